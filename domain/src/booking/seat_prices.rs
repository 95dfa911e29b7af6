//! What the requested seats of a hold cost: their categories priced by the showtime.

use std::collections::{HashMap, HashSet};

use marquee_entity::{seats, showtimes};
use uuid::Uuid;

use crate::catalog::{PriceList, SeatCategory};
use crate::ids::SeatId;

use super::{BookedSeat, BookingError};

/// Category and price of every requested seat (its section's price when the section has
/// one); refuses seats of another screen and categories without a price.
pub(super) fn price_seats(
    showtime: &showtimes::Model,
    ids: &[SeatId],
    found: Vec<seats::Model>,
    prices: &PriceList,
    sections: &HashMap<Uuid, String>,
) -> Result<Vec<BookedSeat>, BookingError> {
    let found: Vec<seats::Model> = found
        .into_iter()
        .filter(|s| s.screen_id == showtime.screen_id)
        .collect();
    if found.len() != ids.len() {
        let known: HashSet<Uuid> = found.iter().map(|s| s.id).collect();
        let foreign: Vec<String> = ids
            .iter()
            .filter(|s| !known.contains(&s.uuid()))
            .map(ToString::to_string)
            .collect();
        return Err(BookingError::invalid(
            "seatIds",
            format!("not seats of this showtime: {}", foreign.join(", ")),
        ));
    }
    found
        .into_iter()
        .map(|s| {
            let category = SeatCategory::parse(&s.category).unwrap_or(SeatCategory::Standard);
            let price = prices.price(s.section_id, category).ok_or_else(|| {
                BookingError::NotOnSale(format!("{} seats have no price yet", category.as_str()))
            })?;
            Ok(BookedSeat {
                seat_id: SeatId::from(s.id),
                section: sections.get(&s.section_id).cloned(),
                row: s.row_label,
                number: s.number,
                category,
                price_cents: price,
            })
        })
        .collect()
}
