//! "Notify me": a buyer asks to hear when a movie or event opens for booking in their city
//! or near a point. When a showtime of it goes on sale there (at its on-sale time, for
//! showtimes scheduled later too), the buyer is told once per alert, by inbox and email;
//! staff read how many wait for each title and city before scheduling it.

mod interest;
mod service;
mod worker;

use chrono::{DateTime, Utc};
use marquee_entity::title_alerts;
use uuid::Uuid;

use crate::error::{Classify, ErrorKind};

pub use interest::TitleInterest;
pub use service::AlertService;
pub use worker::AlertWorker;

/// Kind of the inbox entry and email an alert makes.
pub const ON_SALE_KIND: &str = "title.on_sale";

/// The title an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertTitle {
    /// A movie.
    Movie(Uuid),
    /// A live event.
    Event(Uuid),
}

/// Where the buyer wants to see it.
#[derive(Debug, Clone, PartialEq)]
pub enum AlertPlace {
    /// In a city, by name (compared without regard to case).
    City(String),
    /// Within `radius_km` of a point.
    Near {
        /// Latitude.
        lat: f64,
        /// Longitude.
        lon: f64,
        /// Radius in kilometres.
        radius_km: f64,
    },
}

/// Where an alert stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertStatus {
    /// Waiting for an on-sale showtime.
    Active,
    /// Told (once); done.
    Notified,
    /// The buyer no longer wants it.
    Unsubscribed,
}

impl AlertStatus {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Notified => "notified",
            Self::Unsubscribed => "unsubscribed",
        }
    }

    fn from_stored(s: &str) -> Self {
        match s {
            "active" => Self::Active,
            "notified" => Self::Notified,
            _ => Self::Unsubscribed,
        }
    }
}

/// A buyer's alert.
#[derive(Debug, Clone)]
pub struct TitleAlert {
    /// Id.
    pub id: Uuid,
    /// What for.
    pub title: AlertTitle,
    /// Where.
    pub place: AlertPlace,
    /// Where it stands.
    pub status: AlertStatus,
    /// The showtime the buyer was told about.
    pub notified_showtime_id: Option<Uuid>,
    /// When the buyer was told.
    pub notified_at: Option<DateTime<Utc>>,
    /// When it was asked for.
    pub created_at: DateTime<Utc>,
}

impl TitleAlert {
    fn from_row(m: title_alerts::Model) -> Self {
        let title = match (m.movie_id, m.event_id) {
            (Some(movie), _) => AlertTitle::Movie(movie),
            (None, event) => AlertTitle::Event(event.unwrap_or_default()),
        };
        let place = match (m.city, m.lat, m.lon, m.radius_km) {
            (Some(city), _, _, _) => AlertPlace::City(city),
            (None, lat, lon, radius) => AlertPlace::Near {
                lat: lat.unwrap_or_default(),
                lon: lon.unwrap_or_default(),
                radius_km: radius.unwrap_or_default(),
            },
        };
        Self {
            id: m.id,
            title,
            place,
            status: AlertStatus::from_stored(&m.status),
            notified_showtime_id: m.notified_showtime_id,
            notified_at: m.notified_at,
            created_at: m.created_at,
        }
    }
}

/// Everything that can go wrong with alerts.
#[derive(Debug, thiserror::Error)]
pub enum AlertError {
    /// A value outside what is accepted.
    #[error("{field}: {message}")]
    Invalid {
        /// The input field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// No such title or alert (or not the caller's).
    #[error("no such {0}")]
    NotFound(&'static str),
    /// Interest counts are for platform admins and organisation managers.
    #[error("only platform admins and organisation managers may read interest counts")]
    Forbidden,
    /// Storage failure.
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
}

impl AlertError {
    fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }
}

impl Classify for AlertError {
    fn kind(&self) -> ErrorKind {
        match self {
            Self::Invalid { .. } => ErrorKind::BadInput,
            Self::NotFound(_) => ErrorKind::NotFound,
            Self::Forbidden => ErrorKind::Forbidden,
            Self::Database(e) => crate::error::database_error_kind(e),
        }
    }

    fn field(&self) -> Option<&str> {
        match self {
            Self::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

/// Great-circle distance in kilometres.
pub(crate) fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6_371.0 * 2.0 * a.sqrt().atan2((1.0 - a).sqrt())
}

#[cfg(test)]
mod tests {
    use super::distance_km;

    #[test]
    fn distances_are_great_circle_kilometres() {
        // Chicago Loop to Evanston: about 19 km.
        let d = distance_km(41.8853, -87.6278, 42.0451, -87.6877);
        assert!((17.0..21.0).contains(&d), "{d}");
        assert!(distance_km(1.0, 2.0, 1.0, 2.0) < 1e-9);
    }
}
