//! Demo films and live events: titles, synopses, casts, genres and release dates.

use std::collections::HashSet;

use chrono::{Datelike, Days, NaiveDate};

use super::data::{self};
use super::generate::*;

/// Films plus the hidden popularity that drives how many screens they get.
#[derive(Default)]
pub(super) struct Films {
    pub(super) list: Vec<DemoMovie>,
    pub(super) popularity: Vec<u32>,
}

impl Films {
    /// Adds the movie with media URLs derived from its title.
    pub(super) fn push(&mut self, mut movie: DemoMovie, popularity: u32, trailer: bool) {
        let slug = slug(&movie.title);
        movie.poster_url = Some(format!("https://images.marquee.example/posters/{slug}.jpg"));
        movie.trailer_url =
            trailer.then(|| format!("https://videos.marquee.example/trailers/{slug}.mp4"));
        self.list.push(movie);
        self.popularity.push(popularity);
    }
}

pub(super) fn movies(rng: &mut Rng, today: NaiveDate, taken: &mut HashSet<String>) -> Films {
    let languages: Vec<u32> = data::LANGUAGES.iter().map(|l| l.1).collect();
    let friday = last_friday(today);
    let mut films = Films::default();
    for f in &data::FEATURED {
        taken.insert(f.title.to_string());
        let weeks = Days::new(7 * rng.below(3) as u64);
        let movie = DemoMovie {
            title: f.title.to_string(),
            synopsis: f.synopsis.to_string(),
            genres: f.genres.split_whitespace().map(str::to_string).collect(),
            cast: cast(rng, f.language),
            runtime_minutes: f.runtime,
            certificate: f.certificate.to_string(),
            language: f.language.to_string(),
            release_date: friday.checked_sub_days(weeks).unwrap_or(today),
            poster_url: None,
            trailer_url: None,
        };
        films.push(movie, 12, rng.chance(95));
    }
    for i in 0..NOW_PLAYING + UPCOMING {
        let sequel = rng.chance(7);
        let title = movie_title(rng, taken, sequel);
        let genres = genres(rng);
        let has = |name: &str| genres.iter().any(|g| g == name);
        let runtime = if has("animation") {
            rng.range(85, 105)
        } else if has("documentary") {
            rng.range(85, 120)
        } else {
            90 + rng.range(0, 42) + rng.range(0, 43)
        };
        let language = data::LANGUAGES[rng.weighted(&languages).unwrap_or(0)].0;
        let release = if i >= NOW_PLAYING {
            friday.checked_add_days(Days::new(7 * rng.range(2, 8) as u64))
        } else if rng.chance(80) {
            friday.checked_sub_days(Days::new(7 * rng.range(0, 9) as u64))
        } else {
            today.checked_sub_days(Days::new(rng.range(0, 69) as u64))
        };
        let movie = DemoMovie {
            title,
            synopsis: synopsis(rng, &genres, &films.list),
            certificate: certificate(rng, &genres).to_string(),
            genres,
            cast: cast(rng, language),
            runtime_minutes: runtime as i32,
            language: language.to_string(),
            release_date: release.unwrap_or(today),
            poster_url: None,
            trailer_url: None,
        };
        let popularity = rng.range(1, 6) as u32 + if sequel { 4 } else { 0 };
        films.push(movie, popularity, rng.chance(85));
    }
    films
}

/// US releases open on Fridays.
pub(super) fn last_friday(date: NaiveDate) -> NaiveDate {
    let back = Days::new(u64::from((date.weekday().num_days_from_monday() + 3) % 7));
    date.checked_sub_days(back).unwrap_or(date)
}

/// A title not yet in `taken`, which it is added to.
pub(super) fn movie_title(rng: &mut Rng, taken: &mut HashSet<String>, sequel: bool) -> String {
    let mut title = String::new();
    for attempt in 0..64 {
        let (adjective, noun) = (rng.word(data::ADJECTIVES), rng.word(data::NOUNS));
        title = match rng.weighted(&[25, 15, 12, 15, 8, 10, 5]).unwrap_or(0) {
            0 => format!("The {adjective} {noun}"),
            1 => format!(
                "{} of the {}",
                rng.word(data::PLURALS),
                rng.word(data::OF_THE)
            ),
            2 => format!("{} in {}", rng.word(data::MOMENTS), rng.word(data::PLACES)),
            3 => format!("{adjective} {noun}"),
            4 => format!(
                "{} {}",
                rng.word(data::GERUNDS),
                rng.token(data::LANGUAGES[0].2)
            ),
            5 => format!("{} the {noun}", rng.word(data::GERUNDS)),
            _ => format!("The {noun}"),
        };
        if sequel {
            title.push_str(rng.word(data::SEQUELS));
        }
        if attempt == 63 {
            title = format!("{title} ({})", taken.len());
        }
        if taken.insert(title.clone()) {
            break;
        }
    }
    title
}

pub(super) fn synopsis(rng: &mut Rng, genres: &[String], earlier: &[DemoMovie]) -> String {
    let (role, setting, goal) = (
        rng.word(data::ROLES),
        rng.word(data::SETTINGS),
        rng.word(data::GOALS),
    );
    let mut text = if genres.iter().any(|g| g == "documentary") {
        format!("This documentary follows {role} {setting} who {goal}.")
    } else {
        let mut chars = role.chars();
        let first = chars.next().map(|c| c.to_ascii_uppercase()).unwrap_or(' ');
        format!("{first}{} {setting} {goal}.", chars.as_str())
    };
    if rng.chance(70) {
        text = format!("{text} {}", rng.word(data::TWISTS));
    }
    if rng.chance(25) {
        let coda = match earlier.get(rng.below(earlier.len() * 2)) {
            Some(other) => format!("From the director of {}.", other.title),
            None => rng.word(data::CODAS).to_string(),
        };
        text = format!("{text} {coda}");
    }
    text
}

pub(super) fn genres(rng: &mut Rng) -> Vec<String> {
    let weights: Vec<u32> = data::GENRES.iter().map(|g| g.1).collect();
    let wanted = 1 + rng.weighted(&[30, 45, 25]).unwrap_or(0);
    let mut out: Vec<&str> = Vec::new();
    for _ in 0..16 {
        let genre = data::GENRES[rng.weighted(&weights).unwrap_or(0)].0;
        if out.iter().all(|&g| compatible(g, genre)) {
            out.push(genre);
        }
        if out.len() == wanted {
            break;
        }
    }
    out.into_iter().map(str::to_string).collect()
}

/// Rules out combinations no distributor would print on a poster.
pub(super) fn compatible(a: &str, b: &str) -> bool {
    const KIDS: [&str; 2] = ["animation", "family"];
    const GRIM: [&str; 4] = ["horror", "crime", "war", "thriller"];
    let clash = |x: &str, y: &str| KIDS.contains(&x) && GRIM.contains(&y);
    a != b && !clash(a, b) && !clash(b, a) && a != "documentary" && b != "documentary"
}

pub(super) fn certificate(rng: &mut Rng, genres: &[String]) -> &'static str {
    let has = |name: &str| genres.iter().any(|g| g == name);
    if has("animation") || has("family") {
        rng.pick_weighted(&[("G", 40), ("PG", 60)])
    } else if has("horror") {
        rng.pick_weighted(&[("PG-13", 15), ("R", 80), ("NC-17", 5)])
    } else if has("crime") || has("war") || has("thriller") {
        rng.pick_weighted(&[("PG-13", 45), ("R", 55)])
    } else {
        rng.pick_weighted(&[("PG", 20), ("PG-13", 55), ("R", 24), ("NC-17", 1)])
    }
}

/// Three to six names from the film's language, no two sharing a surname.
pub(super) fn cast(rng: &mut Rng, language: &str) -> Vec<String> {
    let wanted = rng.range(3, 6) as usize;
    let mut out: Vec<String> = Vec::new();
    for _ in 0..32 {
        let name = person(rng, language);
        let surname = name.rsplit(' ').next();
        if out.iter().all(|n| n.rsplit(' ').next() != surname) {
            out.push(name);
        }
        if out.len() == wanted {
            break;
        }
    }
    out
}

pub(super) fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title
        .chars()
        .flat_map(char::to_lowercase)
        .filter(|&c| c != '\'')
    {
        let c = match c {
            'à' | 'á' | 'â' | 'ä' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            other => other,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// Live events plus each one's base standard price in cents.
#[derive(Default)]
pub(super) struct Acts {
    pub(super) list: Vec<DemoEvent>,
    pub(super) price: Vec<i64>,
}

pub(super) fn events(rng: &mut Rng, taken: &mut HashSet<String>) -> Acts {
    let mut acts = Acts::default();
    for kind in &data::EVENT_KINDS {
        for i in 0..kind.count {
            let Some(mut event) = event(rng, kind.category, i) else {
                continue;
            };
            event.duration_minutes = rng.range(kind.minutes.0, kind.minutes.1) as i32;
            let price = rng.range(kind.dollars.0 / 5, kind.dollars.1 / 5) * 500;
            if taken.insert(event.title.clone()) {
                acts.list.push(event);
                acts.price.push(price);
            }
        }
    }
    acts
}

/// The `i`-th event of a category, duration still unset; `None` once a
/// finite list (plays, operas, …) runs out.
pub(super) fn event(rng: &mut Rng, category: &str, i: usize) -> Option<DemoEvent> {
    let nth = |table: &'static str| table.split('|').nth(i);
    let fill =
        |template: &str, by: &str, detail: &str| template.replace("{p}", by).replace("{d}", detail);
    let (title, text, by, genres, lang, age) = match category {
        "concert" if i < 4 => {
            let (piece, composer) = nth(data::CLASSICAL)?.split_once('=')?;
            let by = rng.word(data::ORCHESTRAS).to_string();
            let text = format!("The {by} performs {composer}'s {piece} in full.");
            let title = format!("{composer}: {piece}");
            let genres = vec!["classical", "orchestral"];
            (title, text, by, genres, "English", "All ages")
        }
        "concert" => {
            let (adjective, noun) = (rng.word(data::BAND_ADJECTIVES), rng.word(data::BAND_NOUNS));
            let band = format!("The {adjective} {noun}");
            let by = if rng.chance(55) {
                band
            } else {
                person(rng, "English")
            };
            let tour = format!("{} {}", rng.word(data::ADJECTIVES), rng.word(data::NOUNS));
            let title = match rng.below(3) {
                0 => format!("{by}: {tour} Tour"),
                1 => format!("{by} Live"),
                _ => format!("An Evening with {by}"),
            };
            let genre = rng.word(data::MUSIC_GENRES);
            let text = fill(rng.word(data::CONCERT_BLURBS), &by, genre);
            let lang = if genre == "latin" {
                "Spanish"
            } else {
                "English"
            };
            let age = rng.pick_weighted(&[("All ages", 50), ("12+", 40), ("18+", 10)]);
            (title, text, by, vec![genre], lang, age)
        }
        "comedy" => {
            let special = nth(data::SPECIALS)?;
            // A couple of Spanish-language sets keep the language filter interesting.
            let lang = if i % 7 == 3 { "Spanish" } else { "English" };
            let by = person(rng, lang);
            let text = fill(rng.word(data::COMEDY_BLURBS), &by, special);
            let age = if rng.chance(60) { "18+" } else { "12+" };
            let title = format!("{by}: {special}");
            (title, text, by, vec!["stand-up"], lang, age)
        }
        "theatre" => {
            let (play, genre) = nth(data::PLAYS)?.split_once('=')?;
            let by = rng.word(data::COMPANIES).to_string();
            let text = fill(data::PLAY_BLURB, &by, play);
            let age = if genre == "tragedy" {
                "12+"
            } else {
                "All ages"
            };
            (
                play.to_string(),
                text,
                by,
                vec![genre, "classic"],
                "English",
                age,
            )
        }
        "opera" => {
            let mut parts = nth(data::OPERAS)?.split('=');
            let (opera, lang, composer) = (parts.next()?, parts.next()?, parts.next()?);
            let by = rng.word(data::OPERA_COMPANIES).to_string();
            let text = format!(
                "{composer}'s {opera}, performed by the {by} with full orchestra and chorus. \
                 Sung in {lang} with English subtitles."
            );
            (opera.to_string(), text, by, vec!["opera"], lang, "All ages")
        }
        _ if i < 2 => {
            let (red, blue) = (person(rng, "English"), person(rng, "English"));
            let title = format!("Fight Night Live: {red} vs {blue}");
            let (text, by) = (
                data::FIGHT_BLURB.to_string(),
                "Fight Night Live".to_string(),
            );
            (title, text, by, vec!["boxing", "live"], "English", "12+")
        }
        _ => {
            let (league, sport) = rng.word(data::LEAGUES).split_once('=')?;
            let home = rng.word(data::TEAMS);
            let away = (0..8).map(|_| rng.word(data::TEAMS)).find(|&t| t != home)?;
            let text = fill(data::FINAL_BLURB, home, away).replace("{s}", sport);
            let title = format!("{league}: {home} vs {away}");
            (
                title,
                text,
                league.to_string(),
                vec![sport, "live"],
                "English",
                "All ages",
            )
        }
    };
    Some(DemoEvent {
        title,
        description: text,
        performer: by,
        category: category.to_string(),
        genres: genres.into_iter().map(str::to_string).collect(),
        language: lang.to_string(),
        duration_minutes: 0,
        age_rating: age.to_string(),
    })
}
