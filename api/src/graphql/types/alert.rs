//! "Notify me" alerts and the interest they add up to.

use async_graphql::{ID, SimpleObject};
use chrono::{DateTime, Utc};
use marquee_domain::alerts::{self, AlertPlace, AlertTitle};

use super::AlertStatus;

/// A buyer's wish to be told when a title opens for booking where they are.
#[derive(SimpleObject)]
pub struct TitleAlert {
    /// Id.
    pub id: ID,
    /// The movie, when it is about one.
    pub movie_id: Option<ID>,
    /// The event, when it is about one.
    pub event_id: Option<ID>,
    /// The city, when asked by city.
    pub city: Option<String>,
    /// The point and radius, when asked by distance.
    pub near: Option<AlertNear>,
    /// Where it stands.
    pub status: AlertStatus,
    /// The showtime the buyer was told about.
    pub notified_showtime_id: Option<ID>,
    /// When the buyer was told.
    pub notified_at: Option<DateTime<Utc>>,
    /// When it was asked for.
    pub created_at: DateTime<Utc>,
}

/// A circle on the map.
#[derive(SimpleObject)]
pub struct AlertNear {
    /// Latitude in degrees.
    pub lat: f64,
    /// Longitude in degrees.
    pub lon: f64,
    /// Radius in kilometres.
    pub radius_km: f64,
}

fn title_ids(title: AlertTitle) -> (Option<ID>, Option<ID>) {
    match title {
        AlertTitle::Movie(id) => (Some(ID(id.to_string())), None),
        AlertTitle::Event(id) => (None, Some(ID(id.to_string()))),
    }
}

impl From<alerts::TitleAlert> for TitleAlert {
    fn from(a: alerts::TitleAlert) -> Self {
        let (movie_id, event_id) = title_ids(a.title);
        let (city, near) = match a.place {
            AlertPlace::City(city) => (Some(city), None),
            AlertPlace::Near {
                lat,
                lon,
                radius_km,
            } => (
                None,
                Some(AlertNear {
                    lat,
                    lon,
                    radius_km,
                }),
            ),
        };
        Self {
            id: ID(a.id.to_string()),
            movie_id,
            event_id,
            city,
            near,
            status: a.status.into(),
            notified_showtime_id: a.notified_showtime_id.map(|s| ID(s.to_string())),
            notified_at: a.notified_at,
            created_at: a.created_at,
        }
    }
}

/// Buyers waiting for one title in one city.
#[derive(SimpleObject)]
pub struct TitleInterest {
    /// The movie, when it is one.
    pub movie_id: Option<ID>,
    /// The event, when it is one.
    pub event_id: Option<ID>,
    /// Its title.
    pub title: String,
    /// The city in lower case; null for alerts asked by distance from a point.
    pub city: Option<String>,
    /// Buyers waiting to be told.
    pub count: i32,
}

impl From<alerts::TitleInterest> for TitleInterest {
    fn from(i: alerts::TitleInterest) -> Self {
        let (movie_id, event_id) = title_ids(i.title);
        Self {
            movie_id,
            event_id,
            title: i.name,
            city: i.city,
            count: i32::try_from(i.count).unwrap_or(i32::MAX),
        }
    }
}
