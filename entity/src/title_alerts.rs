use sea_orm::entity::prelude::*;

/// A buyer's wish to hear when a movie or event opens for booking in a city or near a point.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "title_alerts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub movie_id: Option<Uuid>,
    pub event_id: Option<Uuid>,
    /// Where, by city name…
    pub city: Option<String>,
    /// …or within `radius_km` of a point.
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub radius_km: Option<f64>,
    /// `active`, `notified` (told once, done) or `unsubscribed`.
    pub status: String,
    /// Carried by the email's unsubscribe link.
    #[sea_orm(unique)]
    pub unsubscribe_token: String,
    /// The showtime the buyer was told about.
    pub notified_showtime_id: Option<Uuid>,
    pub notified_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
