//! The back catalogue: films without showtimes, generated in bulk so that discovery can be
//! measured on a catalogue of a real chain's size (`marquee seed --archive-titles N`).

use std::collections::HashSet;

use chrono::{DateTime, Days, NaiveDate, Utc};
use marquee_entity::movies;
use sea_orm::{DatabaseConnection, DbErr, EntityTrait, QuerySelect, TransactionTrait};

use super::data;
use super::generate::{DemoMovie, Rng};
use super::movie_row;
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
        let film = DemoMovie {
            title,
            synopsis: synopsis(&mut rng, &genres, &[]),
            certificate: certificate(&mut rng, &genres).to_owned(),
            cast: cast(&mut rng, language),
            genres,
            runtime_minutes: (85 + rng.range(0, 60)) as i32,
            language: language.to_owned(),
            release_date: released,
            poster_url: None,
            trailer_url: None,
        };
        rows.push(movie_row(&film, MovieId::generate(), now));
        if rows.len() == 500 || i + 1 == n {
            movies::Entity::insert_many(std::mem::take(&mut rows))
                .exec(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    Ok(n)
}
