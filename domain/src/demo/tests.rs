//! Properties of the generated demo catalogue.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, TimeDelta, Weekday};
use chrono_tz::Tz;

use super::data;
use super::generate::*;

/// An ordinary week, the week US clocks spring forward, and the week
/// they fall back.
fn weeks() -> Vec<NaiveDate> {
    [(2025, 6, 12), (2025, 3, 6), (2025, 10, 30)]
        .into_iter()
        .map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap())
        .collect()
}

/// Seat count if the rows follow the server's layout rules.
fn validate(rows: &[DemoRow]) -> Result<usize, String> {
    let mut labels = HashSet::new();
    let mut seats = 0;
    for row in rows {
        let label_ok = (1..=3).contains(&row.label.len())
            && row
                .label
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !label_ok || row.label.contains(['I', 'O']) || !labels.insert(&row.label) {
            return Err(format!("bad or duplicate label {:?}", row.label));
        }
        let chars: Vec<char> = row.layout.chars().collect();
        if let Some(c) = chars.iter().find(|c| !"SPAC_".contains(**c)) {
            return Err(format!("row {}: bad char {c:?}", row.label));
        }
        let in_row = chars.iter().filter(|&&c| c != '_').count();
        if in_row == 0 {
            return Err(format!("row {} has no seats", row.label));
        }
        for (i, _) in chars.iter().enumerate().filter(|(_, c)| **c == 'C') {
            let left = i.checked_sub(1).and_then(|j| chars.get(j)) == Some(&'A');
            if !left && chars.get(i + 1) != Some(&'A') {
                return Err(format!("row {}: companion without accessible", row.label));
            }
        }
        seats += in_row;
    }
    Ok(seats)
}

fn runtime(catalog: &DemoCatalog, title: DemoTitle) -> i64 {
    match title {
        DemoTitle::Movie(i) => i64::from(catalog.movies[i].runtime_minutes),
        DemoTitle::Event(i) => i64::from(catalog.events[i].duration_minutes),
    }
}

#[test]
fn deterministic() {
    for today in weeks() {
        assert_eq!(
            format!("{:?}", generate(today)),
            format!("{:?}", generate(today))
        );
    }
}

#[test]
fn volumes() {
    let catalog = generate(weeks()[0]);
    let cities: HashSet<_> = catalog
        .theatres
        .iter()
        .map(|t| (&t.city, &t.state))
        .collect();
    assert!(cities.len() >= 12, "{} cities", cities.len());
    assert!(catalog.theatres.len() >= 60);
    assert!(catalog.movies.len() + catalog.events.len() >= 250);
    let names: HashSet<_> = catalog.theatres.iter().map(|t| &t.name).collect();
    assert_eq!(names.len(), catalog.theatres.len(), "theatre names repeat");
    let titles: HashSet<_> = catalog.movies.iter().map(|m| &m.title).collect();
    assert_eq!(titles.len(), catalog.movies.len(), "movie titles repeat");
    let events: HashSet<_> = catalog.events.iter().map(|e| &e.title).collect();
    assert_eq!(events.len(), catalog.events.len(), "event titles repeat");
    assert!((5_000..=10_000).contains(&catalog.showtimes.len()));
    for theatre in &catalog.theatres {
        let arena = theatre.screens.iter().any(|s| !s.sections.is_empty());
        assert!(
            (3..=12).contains(&theatre.screens.len()) || (arena && theatre.screens.len() == 1),
            "{}",
            theatre.name
        );
        assert!(
            theatre.timezone.parse::<Tz>().is_ok(),
            "{}",
            theatre.timezone
        );
    }
}

#[test]
fn titles_are_plausible() {
    let catalog = generate(weeks()[0]);
    let genres: Vec<&str> = data::GENRES.iter().map(|g| g.0).collect();
    for movie in &catalog.movies {
        assert!((1..=3).contains(&movie.genres.len()), "{}", movie.title);
        assert!(movie.genres.iter().all(|g| genres.contains(&g.as_str())));
        assert!((3..=6).contains(&movie.cast.len()), "{}", movie.title);
        assert!(
            (85..=175).contains(&movie.runtime_minutes),
            "{}",
            movie.title
        );
        assert!(["G", "PG", "PG-13", "R", "NC-17"].contains(&movie.certificate.as_str()));
        assert!(movie.poster_url.as_deref().unwrap().ends_with(".jpg"));
    }
    for event in &catalog.events {
        assert!(
            (60..=180).contains(&event.duration_minutes),
            "{}",
            event.title
        );
        assert!(["All ages", "12+", "18+"].contains(&event.age_rating.as_str()));
        let categories = ["concert", "comedy", "theatre", "opera", "sports"];
        assert!(categories.contains(&event.category.as_str()));
    }
}

#[test]
fn layouts_follow_the_rules() {
    for theatre in &generate(weeks()[0]).theatres {
        for screen in &theatre.screens {
            if !screen.sections.is_empty() {
                let venue = crate::catalog::ScreenLayout::parse_sections(&screen.sections)
                    .unwrap_or_else(|e| panic!("{} / {}: {e}", theatre.name, screen.name));
                let places = venue.seat_count();
                assert!(
                    (10_000..=60_000).contains(&places),
                    "{}: {places}",
                    screen.name
                );
                assert!(screen.rows.is_empty());
                continue;
            }
            let seats = validate(&screen.rows)
                .unwrap_or_else(|e| panic!("{} / {}: {e}", theatre.name, screen.name));
            assert!(
                (100..=400).contains(&seats),
                "{}: {seats} seats",
                screen.name
            );
        }
    }
}

#[test]
fn validator_rejects_bad_rows() {
    let row = |label: &str, layout: &str| DemoRow {
        label: label.into(),
        layout: layout.into(),
    };
    assert!(validate(&[row("A", "AC__SSSS__CA")]).is_ok());
    assert!(validate(&[row("A", "C_A")]).is_err());
    assert!(validate(&[row("A", "___")]).is_err());
    assert!(validate(&[row("A", "SSX")]).is_err());
    assert!(validate(&[row("A", "SS"), row("A", "SS")]).is_err());
}

#[test]
fn showtimes_fit_their_screens_and_week() {
    for today in weeks() {
        let catalog = generate(today);
        let mut by_screen: HashMap<(usize, usize), Vec<&DemoShowtime>> = HashMap::new();
        for show in &catalog.showtimes {
            let theatre = &catalog.theatres[show.theatre];
            let tz: Tz = theatre.timezone.parse().unwrap();
            let local = show.starts_at.with_timezone(&tz).naive_local();
            let day = (local.date() - today).num_days();
            assert!((0..7).contains(&day), "{} outside the week", show.starts_at);
            assert_eq!(
                local.and_utc().timestamp() % 300,
                0,
                "not on a 5-minute mark"
            );
            if let DemoTitle::Movie(i) = show.title {
                assert!(catalog.movies[i].release_date <= local.date(), "unreleased");
            }
            let screen = &theatre.screens[show.screen];
            let mut wanted: Vec<&str> = CATEGORIES
                .iter()
                .filter(|(c, _)| {
                    screen.rows.iter().any(|r| r.layout.contains(*c))
                        || screen
                            .sections
                            .iter()
                            .any(|s| s.rows.iter().any(|(_, r)| r.contains(*c)))
                })
                .map(|(_, name)| *name)
                .collect();
            let mut priced: Vec<&str> = show.prices.iter().map(|p| p.0.as_str()).collect();
            wanted.sort_unstable();
            priced.sort_unstable();
            assert_eq!(wanted, priced);
            let standard = show.prices.iter().find(|p| p.0 == "standard").unwrap().1;
            let range = match show.title {
                DemoTitle::Movie(_) => 1100..=1900,
                DemoTitle::Event(_) => 3500..=12000,
            };
            assert!(range.contains(&standard), "standard price {standard}");
            by_screen
                .entry((show.theatre, show.screen))
                .or_default()
                .push(show);
        }
        for shows in by_screen.values_mut() {
            shows.sort_by_key(|s| s.starts_at);
            for pair in shows.windows(2) {
                let free = TimeDelta::minutes(runtime(&catalog, pair[0].title) + 15);
                assert!(pair[0].starts_at + free <= pair[1].starts_at, "overlap");
            }
        }
    }
}

#[test]
fn upcoming_titles_have_no_shows_and_events_play_weekends() {
    let today = weeks()[0];
    let catalog = generate(today);
    let week_end = today + TimeDelta::days(7);
    assert!(
        catalog
            .movies
            .iter()
            .filter(|m| m.release_date >= week_end)
            .count()
            >= 5
    );
    let mut events = 0;
    for show in &catalog.showtimes {
        match show.title {
            DemoTitle::Movie(i) => assert!(catalog.movies[i].release_date < week_end),
            // Venues of sections play their tours' nights; cinemas' halls, weekends.
            DemoTitle::Event(_)
                if catalog.theatres[show.theatre].screens[show.screen]
                    .sections
                    .is_empty() =>
            {
                let tz: Tz = catalog.theatres[show.theatre].timezone.parse().unwrap();
                let weekday = show.starts_at.with_timezone(&tz).weekday();
                assert!(matches!(weekday, Weekday::Fri | Weekday::Sat));
                events += 1;
            }
            DemoTitle::Event(_) => {}
        }
    }
    assert!(events >= 10, "{events} event shows");
}

#[test]
fn search_demo_titles_exist() {
    let catalog = generate(weeks()[0]);
    for title in [
        "Spider-Man: Crossing Worlds",
        "Avengers: Last Stand",
        "The Spider Queen",
    ] {
        assert!(
            catalog.movies.iter().any(|m| m.title == title),
            "{title} missing"
        );
    }
}

#[test]
fn fast_enough() {
    let start = Instant::now();
    let catalog = generate(weeks()[0]);
    assert!(!catalog.showtimes.is_empty());
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn an_arena_and_a_stadium_of_sections_have_events_on_sale() {
    let catalog = generate(weeks()[0]);
    for (name, least) in [("Marquee Arena", 10_000), ("Marquee Stadium", 30_000)] {
        let (index, venue) = catalog
            .theatres
            .iter()
            .enumerate()
            .find(|(_, t)| t.name == name)
            .unwrap_or_else(|| panic!("no {name}"));
        let sections = &venue.screens[0].sections;
        assert!(sections.len() > 10, "{name}: {} sections", sections.len());
        assert!(
            sections
                .iter()
                .any(|s| s.kind == crate::catalog::SectionKind::General),
            "{name} has a standing area"
        );
        let places = crate::catalog::ScreenLayout::parse_sections(sections)
            .unwrap()
            .seat_count();
        assert!(places >= least, "{name}: {places} places");
        let shows: Vec<&DemoShowtime> = catalog
            .showtimes
            .iter()
            .filter(|s| s.theatre == index)
            .collect();
        assert!(shows.len() >= 2, "{name}: {} shows", shows.len());
        assert!(shows.iter().all(|s| matches!(s.title, DemoTitle::Event(_))));
    }
}
