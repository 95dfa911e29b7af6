//! The catalog: theatres, screens and their seats, movies, events, showtimes and prices.

mod admin;
mod convert;
pub(crate) use convert::cast_names;
mod error;
pub(crate) mod genres;
mod layout;
mod prices;
pub use prices::PriceList;
mod reads;
mod schedule;
mod screen_seats;
mod section_labels;
pub use screen_seats::screen_seats;
pub use section_labels::{screen_section_labels, seat_label, section_labels};
mod types;
mod validate;

pub use admin::{
    CatalogAdmin, EventInput, MovieInput, NewShowtime, PromotionInput, ShowtimeChanges,
    TheatreInput,
};
pub use error::CatalogError;
pub use layout::{
    LayoutRow, LayoutSeat, LayoutSection, MAX_SEATS, MapPlacement, ScreenLayout, SectionKind,
    SectionSpec,
};
pub use reads::{
    CatalogReader, GeoFilter, HitRef, NearbyFilter, ShowtimeFilter, TheatreFilter, TitleFilter,
};
pub use types::*;

/// Seat rows for a screen of the demo catalog (same path as `createScreen`).
pub async fn insert_seats_for_seed(
    txn: &impl sea_orm::ConnectionTrait,
    screen: crate::ids::ScreenId,
    layout: &ScreenLayout,
) -> Result<(), CatalogError> {
    admin::insert_seats(txn, screen, layout).await
}
