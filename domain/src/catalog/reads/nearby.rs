//! The showtimes to show under search hits: for each title found, its next performances at
//! theatres in the place searched (city, postal code or radius) and on the date searched
//! (the theatre's local date); for each theatre found, what plays there. One theatre query
//! and one showtime query for a whole page of hits.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use marquee_entity::showtimes;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::super::{CatalogError, ShowTitle, Showtime, ShowtimeStatus, Theatre};
use super::*;

/// Where and when the buyer is looking.
#[derive(Debug, Clone, Default)]
pub struct NearbyFilter {
    /// The place: theatres matching it.
    pub place: TheatreFilter,
    /// The theatre's local date.
    pub date: Option<NaiveDate>,
    /// Showtimes per hit at most.
    pub per_hit: usize,
}

/// A search hit to find showtimes for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HitRef {
    /// Performances of this movie.
    Movie(MovieId),
    /// Performances of this event.
    Event(EventId),
    /// Performances at this theatre.
    Theatre(TheatreId),
}

/// Rows read at most for one page of hits.
const MAX_ROWS: u64 = 2_000;

impl CatalogReader {
    /// The upcoming scheduled showtimes of each hit in the place and on the date, earliest
    /// first; hits with none are absent.
    pub async fn nearby_showtimes(
        &self,
        hits: &[HitRef],
        filter: &NearbyFilter,
    ) -> Result<HashMap<HitRef, Vec<Showtime>>, CatalogError> {
        if hits.is_empty() || filter.per_hit == 0 {
            return Ok(HashMap::new());
        }
        let theatres: HashMap<TheatreId, Theatre> = self
            .theatres(&filter.place)
            .await?
            .into_iter()
            .map(|t| (t.id, t))
            .collect();
        if theatres.is_empty() {
            return Ok(HashMap::new());
        }
        let now = self.clock.now();
        let mut q = showtimes::Entity::find()
            .filter(showtimes::Column::StartsAt.gte(now))
            .filter(showtimes::Column::Status.eq(ShowtimeStatus::Scheduled.as_str()))
            .filter(showtimes::Column::TheatreId.is_in(theatres.keys().map(|t| t.uuid())));
        if let Some(date) = filter.date {
            // Local dates span a day either side of the UTC one; each row is checked below.
            let start = date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
            q = q
                .filter(showtimes::Column::StartsAt.gte(start - Duration::days(1)))
                .filter(showtimes::Column::StartsAt.lt(start + Duration::days(2)));
        }
        let mut of_hits = Condition::any();
        for hit in hits {
            of_hits = of_hits.add(match hit {
                HitRef::Movie(id) => showtimes::Column::MovieId.eq(id.uuid()),
                HitRef::Event(id) => showtimes::Column::EventId.eq(id.uuid()),
                HitRef::Theatre(id) => showtimes::Column::TheatreId.eq(id.uuid()),
            });
        }
        let rows = q
            .filter(of_hits)
            .order_by_asc(showtimes::Column::StartsAt)
            .order_by_asc(showtimes::Column::Id)
            .limit(MAX_ROWS)
            .all(self.reads.get())
            .await?;
        let mut out: HashMap<HitRef, Vec<Showtime>> = HashMap::new();
        for s in rows.into_iter().filter_map(Showtime::from_model) {
            if let Some(date) = filter.date
                && theatres.get(&s.theatre_id).map(|t| local_date(t, &s)) != Some(date)
            {
                continue;
            }
            let title = match s.title {
                ShowTitle::Movie(id) => HitRef::Movie(id),
                ShowTitle::Event(id) => HitRef::Event(id),
            };
            for key in [title, HitRef::Theatre(s.theatre_id)] {
                if !hits.contains(&key) {
                    continue;
                }
                let list = out.entry(key).or_default();
                if list.len() < filter.per_hit {
                    list.push(s.clone());
                }
            }
        }
        Ok(out)
    }
}

fn local_date(theatre: &Theatre, s: &Showtime) -> NaiveDate {
    match theatre.timezone.parse::<chrono_tz::Tz>() {
        Ok(tz) => s.starts_at.with_timezone(&tz).date_naive(),
        Err(_) => s.starts_at.date_naive(),
    }
}
