//! The demo catalog: generated deterministically (no network) and loaded in bulk into an
//! empty database on first start or by `marquee seed`.

mod archive;
mod arenas;
mod data;
mod generate;
mod schedule;
#[cfg(test)]
mod tests;
mod titles;
mod venues;

pub use archive::add_archive;
pub use generate::*;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use marquee_entity::{
    events, movies, organisations, screens, showtime_prices, showtimes, theatres,
};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, Set, TransactionTrait,
};

use crate::catalog::{ScreenLayout, ShowtimeStatus};
use crate::clock::Clock;
use crate::ids::{EventId, MovieId, ScreenId, ShowtimeId, TheatreId};

/// What a seeding run wrote.
#[derive(Debug, Clone, Default)]
pub struct SeedReport {
    /// Theatres.
    pub theatres: usize,
    /// Screens.
    pub screens: usize,
    /// Seats.
    pub seats: usize,
    /// Movies.
    pub movies: usize,
    /// Live events.
    pub events: usize,
    /// Showtimes.
    pub showtimes: usize,
    /// Show seats (one per seat per showtime).
    pub show_seats: u64,
}

/// Seeds the demo catalog when there is no theatre and no movie yet.
pub async fn seed_if_empty(
    db: &DatabaseConnection,
    clock: &dyn Clock,
) -> Result<Option<SeedReport>, DbErr> {
    let theatres = theatres::Entity::find().count(db).await?;
    let movies = movies::Entity::find().count(db).await?;
    if theatres > 0 || movies > 0 {
        return Ok(None);
    }
    let now = clock.now();
    // "Today" as the demo's (North American) cities see it.
    let today = now.with_timezone(&Tz::America__Chicago).date_naive();
    seed(db, &generate(today), now).await.map(Some)
}

/// The stored form of a generated film, not yet rated.
pub(super) fn movie_row(m: &DemoMovie, id: MovieId, now: DateTime<Utc>) -> movies::ActiveModel {
    movies::ActiveModel {
        id: Set(id.uuid()),
        title: Set(m.title.clone()),
        synopsis: Set(m.synopsis.clone()),
        genres: Set(format!("|{}|", m.genres.join("|"))),
        cast: Set(serde_json::Value::from(m.cast.clone())),
        runtime_minutes: Set(m.runtime_minutes),
        certificate: Set(m.certificate.clone()),
        language: Set(m.language.clone()),
        release_date: Set(m.release_date),
        poster_url: Set(m.poster_url.clone()),
        trailer_url: Set(m.trailer_url.clone()),
        rating_count: Set(0),
        rating_total: Set(0),
        ratings_1: Set(0),
        ratings_2: Set(0),
        ratings_3: Set(0),
        ratings_4: Set(0),
        ratings_5: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        deleted_at: Set(None),
    }
}

/// One organisation per theatre brand that the catalog uses, by brand.
fn chain_rows(
    catalog: &DemoCatalog,
    now: DateTime<Utc>,
) -> Vec<(String, organisations::ActiveModel)> {
    data::BRANDS
        .split('|')
        .filter(|brand| catalog.theatres.iter().any(|t| t.name.starts_with(brand)))
        .map(|brand| {
            let row = organisations::ActiveModel {
                id: Set(crate::ids::OrganisationId::generate().uuid()),
                name: Set(format!("{brand} Cinemas")),
                slug: Set(brand.to_lowercase().replace(' ', "-")),
                currency: Set("USD".to_owned()),
                created_at: Set(now),
                updated_at: Set(now),
            };
            (brand.to_owned(), row)
        })
        .collect()
}

fn chunked<T: Clone>(items: &[T], size: usize) -> impl Iterator<Item = Vec<T>> + '_ {
    items.chunks(size).map(<[T]>::to_vec)
}

/// Writes a generated catalog in one transaction.
pub async fn seed(
    db: &DatabaseConnection,
    catalog: &DemoCatalog,
    now: DateTime<Utc>,
) -> Result<SeedReport, DbErr> {
    let bad = |e: crate::catalog::CatalogError| DbErr::Custom(format!("demo data: {e}"));
    let txn = db.begin().await?;
    let mut report = SeedReport::default();

    // Each brand is a chain of its own, running the theatres named after it.
    let chains = chain_rows(catalog, now);
    let chain_of = |name: &str| {
        chains
            .iter()
            .filter(|(brand, _)| name.starts_with(brand.as_str()))
            .max_by_key(|(brand, _)| brand.len())
            .map(|(_, row)| row.id.clone().unwrap())
    };
    for (_, row) in &chains {
        organisations::Entity::insert(row.clone())
            .exec(&txn)
            .await?;
    }
    let mut theatre_rows = Vec::new();
    let mut screen_ids: Vec<Vec<(ScreenId, uuid::Uuid)>> = Vec::new();
    let mut screen_rows = Vec::new();
    let mut layouts = Vec::new();
    for t in &catalog.theatres {
        let theatre_id = TheatreId::generate();
        theatre_rows.push(theatres::ActiveModel {
            id: Set(theatre_id.uuid()),
            name: Set(t.name.clone()),
            address: Set(t.address.clone()),
            city: Set(t.city.clone()),
            state: Set(t.state.clone()),
            zip: Set(t.zip.clone()),
            latitude: Set(t.latitude),
            longitude: Set(t.longitude),
            timezone: Set(t.timezone.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
            organisation_id: Set(chain_of(&t.name)),
        });
        let mut ids = Vec::new();
        for s in &t.screens {
            let rows: Vec<(String, String)> = s
                .rows
                .iter()
                .map(|r| (r.label.clone(), r.layout.clone()))
                .collect();
            let layout = if s.sections.is_empty() {
                ScreenLayout::parse(&rows)
            } else {
                ScreenLayout::parse_sections(&s.sections)
            }
            .map_err(bad)?;
            let screen_id = ScreenId::generate();
            screen_rows.push(screens::ActiveModel {
                id: Set(screen_id.uuid()),
                theatre_id: Set(theatre_id.uuid()),
                name: Set(s.name.clone()),
                layout: Set(layout.to_json()),
                seat_count: Set(layout.seat_count() as i32),
                schedule_version: Set(0),
                created_at: Set(now),
                deleted_at: Set(None),
            });
            report.seats += layout.seat_count();
            layouts.push((screen_id, layout));
            ids.push((screen_id, theatre_id.uuid()));
        }
        screen_ids.push(ids);
    }
    report.theatres = theatre_rows.len();
    report.screens = screen_rows.len();
    for chunk in chunked(&theatre_rows, 500) {
        theatres::Entity::insert_many(chunk).exec(&txn).await?;
    }
    for chunk in chunked(&screen_rows, 500) {
        screens::Entity::insert_many(chunk).exec(&txn).await?;
    }
    for (screen_id, layout) in &layouts {
        crate::catalog::insert_seats_for_seed(&txn, *screen_id, layout)
            .await
            .map_err(bad)?;
    }

    let movie_ids: Vec<MovieId> = catalog.movies.iter().map(|_| MovieId::generate()).collect();
    let movie_rows: Vec<movies::ActiveModel> = catalog
        .movies
        .iter()
        .zip(&movie_ids)
        .map(|(m, id)| movie_row(m, *id, now))
        .collect();
    for chunk in chunked(&movie_rows, 500) {
        movies::Entity::insert_many(chunk).exec(&txn).await?;
    }
    report.movies = movie_rows.len();

    let event_ids: Vec<EventId> = catalog.events.iter().map(|_| EventId::generate()).collect();
    let event_rows: Vec<events::ActiveModel> = catalog
        .events
        .iter()
        .zip(&event_ids)
        .map(|(e, id)| events::ActiveModel {
            id: Set(id.uuid()),
            title: Set(e.title.clone()),
            description: Set(e.description.clone()),
            performer: Set(e.performer.clone()),
            category: Set(e.category.clone()),
            genres: Set(format!("|{}|", e.genres.join("|"))),
            language: Set(e.language.clone()),
            duration_minutes: Set(e.duration_minutes),
            age_rating: Set(e.age_rating.clone()),
            poster_url: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
            organisation_id: Set(None),
        })
        .collect();
    for chunk in chunked(&event_rows, 500) {
        events::Entity::insert_many(chunk).exec(&txn).await?;
    }
    report.events = event_rows.len();

    let mut showtime_rows = Vec::with_capacity(catalog.showtimes.len());
    let mut price_rows = Vec::new();
    for s in &catalog.showtimes {
        let Some(&(screen_id, theatre_id)) =
            screen_ids.get(s.theatre).and_then(|v| v.get(s.screen))
        else {
            return Err(DbErr::Custom(
                "demo data: showtime on an unknown screen".into(),
            ));
        };
        let (movie_id, event_id, minutes) = match s.title {
            DemoTitle::Movie(i) => (
                movie_ids.get(i).map(|m| m.uuid()),
                None,
                catalog.movies.get(i).map(|m| m.runtime_minutes),
            ),
            DemoTitle::Event(i) => (
                None,
                event_ids.get(i).map(|e| e.uuid()),
                catalog.events.get(i).map(|e| e.duration_minutes),
            ),
        };
        let minutes = minutes
            .ok_or_else(|| DbErr::Custom("demo data: showtime of an unknown title".into()))?;
        let id = ShowtimeId::generate();
        showtime_rows.push(showtimes::ActiveModel {
            id: Set(id.uuid()),
            screen_id: Set(screen_id.uuid()),
            theatre_id: Set(theatre_id),
            movie_id: Set(movie_id),
            event_id: Set(event_id),
            starts_at: Set(s.starts_at),
            ends_at: Set(s.starts_at + chrono::Duration::minutes(i64::from(minutes))),
            status: Set(ShowtimeStatus::Scheduled.as_str().to_owned()),
            on_sale_at: Set(now),
            waiting_room: Set(false),
            currency: Set("USD".to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
        });
        for (category, cents) in &s.prices {
            price_rows.push(showtime_prices::ActiveModel {
                showtime_id: Set(id.uuid()),
                category: Set(category.clone()),
                price_cents: Set(*cents),
            });
        }
    }
    for chunk in chunked(&showtime_rows, 1_000) {
        showtimes::Entity::insert_many(chunk).exec(&txn).await?;
    }
    for chunk in chunked(&price_rows, 5_000) {
        showtime_prices::Entity::insert_many(chunk)
            .exec(&txn)
            .await?;
    }
    report.showtimes = showtime_rows.len();
    // Every seat of every showtime in one statement: the database does the fan-out.
    report.show_seats = txn
        .execute_unprepared(
            "INSERT INTO show_seats (showtime_id, seat_id, status) \
             SELECT st.id, s.id, 'available' FROM showtimes st JOIN seats s ON s.screen_id = st.screen_id",
        )
        .await?
        .rows_affected();
    // And the places of every general-admission section (the arena's floor, the field).
    txn.execute_unprepared(
        "INSERT INTO show_sections (showtime_id, section_id, capacity) \
         SELECT st.id, sec.id, sec.capacity FROM showtimes st \
         JOIN sections sec ON sec.screen_id = st.screen_id WHERE sec.kind = 'general'",
    )
    .await?;
    // Seats near the stage cost more: the arena's lower bowl half as much again as its
    // upper tier, the stadium's standing field a quarter more than its stands.
    for (screen, sections, times) in [
        (
            "Arena",
            "sec.kind = 'reserved' AND sec.name < '200'",
            "3 / 2",
        ),
        ("Stadium", "sec.kind = 'general'", "5 / 4"),
    ] {
        txn.execute_unprepared(&format!(
            "INSERT INTO section_prices (showtime_id, section_id, category, price_cents) \
             SELECT st.id, sec.id, p.category, p.price_cents * {times} FROM showtimes st \
             JOIN screens sc ON sc.id = st.screen_id JOIN sections sec ON sec.screen_id = sc.id \
             JOIN showtime_prices p ON p.showtime_id = st.id \
             WHERE sc.name = '{screen}' AND {sections}"
        ))
        .await?;
    }
    // The help center's frequently asked questions, announced for the search index.
    crate::support::seed_help_articles(&txn, now).await?;
    txn.commit().await?;
    Ok(report)
}
