//! Rows to domain values. Unknown stored enum values fall back to the safest reading.

use marquee_entity::{events, movies, promotions, screens, showtimes, theatres};

use super::genres;
use super::{
    Event, Movie, Promotion, Screen, SeatCategory, ShowTitle, Showtime, ShowtimeStatus, Theatre,
};

impl From<theatres::Model> for Theatre {
    fn from(m: theatres::Model) -> Self {
        Self {
            id: m.id.into(),
            organisation: m.organisation_id.map(Into::into),
            name: m.name,
            address: m.address,
            city: m.city,
            state: m.state,
            zip: m.zip,
            latitude: m.latitude,
            longitude: m.longitude,
            timezone: m.timezone,
            distance_km: None,
        }
    }
}

impl From<screens::Model> for Screen {
    fn from(m: screens::Model) -> Self {
        let categories = m
            .layout
            .get("categories")
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|c| c.as_str().and_then(SeatCategory::parse))
                    .collect()
            })
            .unwrap_or_default();
        Self {
            id: m.id.into(),
            theatre_id: m.theatre_id.into(),
            name: m.name,
            seat_count: m.seat_count,
            categories,
        }
    }
}

/// The names of a stored cast list (a JSON array of strings).
pub(crate) fn cast_names(cast: &serde_json::Value) -> Vec<String> {
    cast.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

impl From<movies::Model> for Movie {
    fn from(m: movies::Model) -> Self {
        let cast = cast_names(&m.cast);
        Self {
            id: m.id.into(),
            title: m.title,
            synopsis: m.synopsis,
            genres: genres::decode(&m.genres),
            cast,
            runtime_minutes: m.runtime_minutes,
            certificate: m.certificate,
            language: m.language,
            release_date: m.release_date,
            poster_url: m.poster_url,
            trailer_url: m.trailer_url,
            rating_count: m.rating_count,
            rating_total: m.rating_total,
            rating_histogram: [
                m.ratings_1,
                m.ratings_2,
                m.ratings_3,
                m.ratings_4,
                m.ratings_5,
            ],
        }
    }
}

impl From<events::Model> for Event {
    fn from(m: events::Model) -> Self {
        Self {
            id: m.id.into(),
            organisation: m.organisation_id.map(Into::into),
            title: m.title,
            description: m.description,
            performer: m.performer,
            category: m.category,
            genres: genres::decode(&m.genres),
            language: m.language,
            duration_minutes: m.duration_minutes,
            age_rating: m.age_rating,
            poster_url: m.poster_url,
        }
    }
}

impl Showtime {
    pub(crate) fn from_model(m: showtimes::Model) -> Option<Self> {
        let title = match (m.movie_id, m.event_id) {
            (Some(movie), None) => ShowTitle::Movie(movie.into()),
            (None, Some(event)) => ShowTitle::Event(event.into()),
            _ => return None,
        };
        Some(Self {
            id: m.id.into(),
            screen_id: m.screen_id.into(),
            theatre_id: m.theatre_id.into(),
            title,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            status: ShowtimeStatus::parse(&m.status).unwrap_or(ShowtimeStatus::Cancelled),
            on_sale_at: m.on_sale_at,
            waiting_room: m.waiting_room,
            currency: m.currency,
        })
    }
}

impl From<promotions::Model> for Promotion {
    fn from(m: promotions::Model) -> Self {
        Self {
            id: m.id.into(),
            organisation: m.organisation_id.map(Into::into),
            code: m.code,
            description: m.description,
            kind: m.kind,
            value: m.value,
            currency: m.currency,
            starts_at: m.starts_at,
            ends_at: m.ends_at,
            max_uses: m.max_uses,
            max_uses_per_user: m.max_uses_per_user,
        }
    }
}
