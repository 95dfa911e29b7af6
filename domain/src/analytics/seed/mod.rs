//! `marquee seed --bookings N`: an organisation with a chain of theatres, a past schedule
//! and N bookings of it (most confirmed, some cancelled with refunds, some lapsed or
//! declined), written in bulk with their seats, tickets, payments and refunds, and their
//! figures added to the rollups as the rollup worker would have: to measure reports at
//! volume without replaying the booking path.

mod history;

use chrono::{DateTime, Duration, Timelike, Utc};
use marquee_entity::{movies, organisations, screens, seats, showtimes, theatres, users};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use uuid::Uuid;

use crate::catalog::ScreenLayout;
use crate::ids::{OrganisationId, ScreenId};

/// Theatres of the seeded chain.
const THEATRES: usize = 12;
/// Screens per theatre.
const SCREENS: usize = 4;
/// Showtimes per screen and day (UTC hours they start at).
const STARTS: [u32; 4] = [10, 13, 17, 20];
/// Bookings asked of each showtime (fewer when seats run out).
const PER_SHOWTIME: usize = 40;
/// Buyers the bookings are spread over.
const BUYERS: usize = 500;
/// Rows per insert statement (well under SQLite's bind limit for the widest table).
pub(crate) const CHUNK: usize = 1_000;

/// What was seeded.
#[derive(Debug, Default, Clone)]
pub struct SeedReport {
    /// The organisation that owns it all.
    pub organisation: Option<OrganisationId>,
    /// Showtimes scheduled.
    pub showtimes: usize,
    /// Bookings written.
    pub bookings: usize,
    /// Of which confirmed and kept.
    pub confirmed: usize,
    /// Of which confirmed, then cancelled with a refund.
    pub cancelled: usize,
}

/// A screen of the chain and its seats (id and price), in seat-map order.
pub(crate) struct SeededScreen {
    pub theatre_id: Uuid,
    pub screen_id: Uuid,
    pub seats: Vec<(Uuid, i64)>,
}

/// Seeds `bookings` bookings over a new organisation's chain, the last of them shortly
/// before `now`.
pub async fn bookings(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    bookings: usize,
) -> Result<SeedReport, DbErr> {
    let tag = Uuid::new_v4().simple().to_string()[..8].to_owned();
    let (org, screens, movies, buyers) = catalog(db, now, &tag).await?;
    let per_day = screens.len() * STARTS.len() * PER_SHOWTIME;
    let days = bookings.div_ceil(per_day).max(1) as i64;
    let mut report = SeedReport {
        organisation: Some(org),
        ..SeedReport::default()
    };
    let today = now
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .map_or(now, |d| d.and_utc());
    let mut rng = history::Rng::new(u64::from_le_bytes(
        Uuid::new_v4().as_bytes()[..8].try_into().unwrap_or([7; 8]),
    ));
    let mut left = bookings;
    for day in (1..=days).rev() {
        if left == 0 {
            break;
        }
        let date = today - Duration::days(day);
        let txn = db.begin().await?;
        let mut shows = Vec::new();
        for (i, screen) in screens.iter().enumerate() {
            for (j, hour) in STARTS.iter().enumerate() {
                let starts_at = date + Duration::hours(i64::from(*hour));
                let movie = movies[(i + j + day as usize) % movies.len()];
                shows.push((screen, starts_at, movie));
            }
        }
        let rows: Vec<showtimes::ActiveModel> = shows
            .iter()
            .map(|(screen, starts_at, movie)| showtimes::ActiveModel {
                id: Set(Uuid::new_v4()),
                screen_id: Set(screen.screen_id),
                theatre_id: Set(screen.theatre_id),
                movie_id: Set(Some(*movie)),
                event_id: Set(None),
                starts_at: Set(*starts_at),
                ends_at: Set(*starts_at + Duration::minutes(150)),
                status: Set("scheduled".into()),
                on_sale_at: Set(*starts_at - Duration::days(14)),
                waiting_room: Set(false),
                currency: Set("USD".into()),
                created_at: Set(*starts_at - Duration::days(21)),
                updated_at: Set(*starts_at - Duration::days(21)),
            })
            .collect();
        let ids: Vec<Uuid> = rows.iter().filter_map(|r| r.id.clone().take()).collect();
        for chunk in rows.chunks(CHUNK) {
            showtimes::Entity::insert_many(chunk.to_vec())
                .exec(&txn)
                .await?;
        }
        let mut plan = history::Plan::default();
        for ((screen, starts_at, movie), id) in shows.iter().zip(&ids) {
            let wanted = PER_SHOWTIME.min(left);
            let made = plan.showtime(
                &mut rng,
                history::Show {
                    id: *id,
                    screen,
                    movie: *movie,
                    starts_at: *starts_at,
                    now,
                },
                &buyers,
                wanted,
            );
            left -= made;
        }
        report.showtimes += ids.len();
        report.bookings += plan.bookings.len();
        report.confirmed += plan.confirmed;
        report.cancelled += plan.cancelled;
        plan.write(&txn).await?;
        txn.commit().await?;
        tracing::info!(day = %date.date_naive(), bookings = report.bookings, "seeded a day of sales");
    }
    Ok(report)
}

/// The organisation, its theatres and screens with seats, movies and buyers.
async fn catalog(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    tag: &str,
) -> Result<(OrganisationId, Vec<SeededScreen>, Vec<Uuid>, Vec<Uuid>), DbErr> {
    let now = now.with_nanosecond(0).unwrap_or(now);
    let txn = db.begin().await?;
    let org = Uuid::new_v4();
    organisations::Entity::insert(organisations::ActiveModel {
        id: Set(org),
        name: Set(format!("Seeded Cinemas {tag}")),
        slug: Set(format!("seeded-{tag}")),
        currency: Set("USD".into()),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec(&txn)
    .await?;
    let rows: Vec<(String, String)> = (0..10u8)
        .map(|r| {
            let kind = if r >= 8 { "P" } else { "S" };
            (char::from(b'A' + r).to_string(), kind.repeat(15))
        })
        .collect();
    let layout =
        ScreenLayout::parse(&rows).map_err(|e| DbErr::Custom(format!("seed layout: {e}")))?;
    let mut made = Vec::new();
    for t in 0..THEATRES {
        let theatre = Uuid::new_v4();
        theatres::Entity::insert(theatres::ActiveModel {
            id: Set(theatre),
            name: Set(format!("Seeded Cinema {} {tag}", t + 1)),
            address: Set(format!("{} Main Street", t + 1)),
            city: Set("Springfield".into()),
            state: Set("IL".into()),
            zip: Set("62701".into()),
            latitude: Set(39.78 + t as f64 * 0.01),
            longitude: Set(-89.65),
            timezone: Set("America/Chicago".into()),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
            organisation_id: Set(Some(org)),
        })
        .exec(&txn)
        .await?;
        for s in 0..SCREENS {
            let screen = Uuid::new_v4();
            screens::Entity::insert(screens::ActiveModel {
                id: Set(screen),
                theatre_id: Set(theatre),
                name: Set(format!("Screen {}", s + 1)),
                layout: Set(layout.to_json()),
                seat_count: Set(layout.seat_count() as i32),
                schedule_version: Set(0),
                created_at: Set(now),
                deleted_at: Set(None),
            })
            .exec(&txn)
            .await?;
            crate::catalog::insert_seats_for_seed(&txn, ScreenId::from(screen), &layout)
                .await
                .map_err(|e| DbErr::Custom(format!("seed seats: {e}")))?;
            let seats = seats::Entity::find()
                .filter(seats::Column::ScreenId.eq(screen))
                .order_by_asc(seats::Column::RowLabel)
                .order_by_asc(seats::Column::Number)
                .all(&txn)
                .await?
                .into_iter()
                .map(|s| {
                    (
                        s.id,
                        if s.category == "premium" {
                            1_800
                        } else {
                            1_200
                        },
                    )
                })
                .collect();
            made.push(SeededScreen {
                theatre_id: theatre,
                screen_id: screen,
                seats,
            });
        }
    }
    let movie_rows: Vec<movies::ActiveModel> = (0..24)
        .map(|m| movies::ActiveModel {
            id: Set(Uuid::new_v4()),
            title: Set(format!("Seeded Feature {} {tag}", m + 1)),
            synopsis: Set("A film of the seeded schedule.".into()),
            genres: Set("Drama".into()),
            cast: Set(serde_json::json!([])),
            runtime_minutes: Set(120),
            certificate: Set("PG-13".into()),
            language: Set("English".into()),
            release_date: Set(now.date_naive() - Duration::days(200)),
            poster_url: Set(None),
            trailer_url: Set(None),
            rating_count: Set(0),
            rating_total: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
            ..Default::default()
        })
        .collect();
    let movies: Vec<Uuid> = movie_rows
        .iter()
        .filter_map(|m| m.id.clone().take())
        .collect();
    movies::Entity::insert_many(movie_rows).exec(&txn).await?;
    let buyer_rows: Vec<users::ActiveModel> = (0..BUYERS)
        .map(|b| users::ActiveModel {
            id: Set(Uuid::new_v4()),
            email: Set(format!("buyer{b}-{tag}@seeded.invalid")),
            name: Set(format!("Seeded Buyer {b}")),
            password_hash: Set(None),
            role: Set("customer".into()),
            created_at: Set(now),
            updated_at: Set(now),
            deleted_at: Set(None),
            token_version: Set(0),
        })
        .collect();
    let buyers: Vec<Uuid> = buyer_rows
        .iter()
        .filter_map(|b| b.id.clone().take())
        .collect();
    for chunk in buyer_rows.chunks(CHUNK) {
        users::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok((OrganisationId::from(org), made, movies, buyers))
}
