//! The back catalogue: films without showtimes, generated in bulk so that discovery can be
//! measured on a catalogue of a real chain's size (`marquee seed --archive-titles N`).

use std::collections::HashSet;

use chrono::{DateTime, Days, NaiveDate, Utc};
use marquee_entity::movies;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, QuerySelect, Set, TransactionTrait};

use super::data;
use super::generate::Rng;
use super::titles::{cast, certificate, genres, movie_title, synopsis};
use crate::ids::MovieId;

/// Adds `n` generated films released over the last fifty years; returns how many.
pub async fn add_archive(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    n: usize,
) -> Result<usize, DbErr> {
    let mut taken: HashSet<String> = movies::Entity::find()
        .select_only()
        .column(movies::Column::Title)
        .into_tuple::<String>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut rng = Rng::new(0x4172_6368_6976_6573 ^ n as u64);
    let languages: Vec<u32> = data::LANGUAGES.iter().map(|l| l.1).collect();
    let today = now.date_naive();
    let txn = db.begin().await?;
    let mut rows = Vec::with_capacity(500);
    for i in 0..n {
        let sequel = rng.chance(5);
        let title = movie_title(&mut rng, &mut taken, sequel);
        let genres = genres(&mut rng);
        let language = data::LANGUAGES[rng.weighted(&languages).unwrap_or(0)].0;
        let released = today
            .checked_sub_days(Days::new(rng.range(60, 50 * 365) as u64))
            .unwrap_or(NaiveDate::MIN);
        rows.push(movies::ActiveModel {
            id: Set(MovieId::generate().uuid()),
            title: Set(title),
            synopsis: Set(synopsis(&mut rng, &genres, &[])),
            certificate: Set(certificate(&mut rng, &genres).to_owned()),
            genres: Set(format!("|{}|", genres.join("|"))),
            cast: Set(serde_json::Value::from(cast(&mut rng, language))),
            runtime_minutes: Set((85 + rng.range(0, 60)) as i32),
            language: Set(language.to_owned()),
            release_date: Set(released),
            poster_url: Set(None),
            trailer_url: Set(None),
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
        });
        if rows.len() == 500 || i + 1 == n {
            movies::Entity::insert_many(std::mem::take(&mut rows))
                .exec(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    Ok(n)
}
