//! The bookings of seeded showtimes: each booking's whole life at once (hold, checkout,
//! payment, confirmation, maybe a cancellation with its refund, or a lapse), its rows, and
//! the figures the rollup worker would have added for it.

use chrono::{DateTime, Duration, Utc};
use marquee_entity::{booking_seats, bookings, payments, refunds, show_seats, tickets};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, Set};
use uuid::Uuid;

use super::{CHUNK, SeededScreen};
use crate::analytics::figures::{Deltas, Figures, ShowtimeFacts};
use crate::analytics::rollup::record_sellable;

/// Booking fee per booking, in cents.
const FEE: i64 = 150;

/// A small deterministic generator (xorshift64*): enough to spread seeded sales.
pub(crate) struct Rng(u64);

impl Rng {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// A seeded showtime.
pub(crate) struct Show<'a> {
    pub id: Uuid,
    pub screen: &'a SeededScreen,
    pub movie: Uuid,
    pub starts_at: DateTime<Utc>,
    pub now: DateTime<Utc>,
}

/// Rows to write for a day of showtimes, and their figures.
#[derive(Default)]
pub(crate) struct Plan {
    pub bookings: Vec<bookings::ActiveModel>,
    seats: Vec<booking_seats::ActiveModel>,
    show_seats: Vec<show_seats::ActiveModel>,
    tickets: Vec<tickets::ActiveModel>,
    payments: Vec<payments::ActiveModel>,
    refunds: Vec<refunds::ActiveModel>,
    sellable: Vec<(Uuid, i64)>,
    facts: std::collections::HashMap<Uuid, ShowtimeFacts>,
    deltas: Deltas,
    pub confirmed: usize,
    pub cancelled: usize,
}

/// How a seeded booking ends.
#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    Confirmed,
    Cancelled,
    Lapsed,
    Declined,
}

impl Plan {
    /// Plans up to `wanted` bookings of `show`; returns how many.
    pub(crate) fn showtime(
        &mut self,
        rng: &mut Rng,
        show: Show<'_>,
        buyers: &[Uuid],
        wanted: usize,
    ) -> usize {
        let facts = ShowtimeFacts {
            id: show.id,
            theatre_id: show.screen.theatre_id,
            screen_id: show.screen.screen_id,
            movie_id: Some(show.movie),
            event_id: None,
            sellable_seats: show.screen.seats.len() as i64,
        };
        self.facts.insert(show.id, facts);
        let seats = &show.screen.seats;
        self.sellable.push((show.id, seats.len() as i64));
        // Seats in a random order; each booking takes the next few.
        let mut order: Vec<usize> = (0..seats.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i as u64 + 1) as usize);
        }
        let mut status = vec![None::<Uuid>; seats.len()];
        let mut next = 0;
        let mut made = 0;
        while made < wanted {
            let count = 1 + rng.below(4) as usize;
            if next + count > order.len() {
                break;
            }
            let taken: Vec<usize> = order[next..next + count].to_vec();
            let roll = rng.below(100);
            let end = match roll {
                0..=5 => End::Lapsed,
                6..=8 => End::Declined,
                9..=15 => End::Cancelled,
                _ => End::Confirmed,
            };
            // Most tickets sell in the last day or two before the show.
            let lead = 60 + rng.below(60 * 24 * 2) * rng.below(4) / 3 + rng.below(60 * 6);
            let held = (show.starts_at - Duration::minutes(lead as i64)).min(show.now);
            let id = Uuid::new_v4();
            let subtotal: i64 = taken.iter().map(|i| seats[*i].1).sum();
            let total = subtotal + FEE;
            let mut f = Figures {
                holds_placed: 1,
                ..Figures::default()
            };
            self.deltas.add(facts, held, &f);
            f = Figures::default();
            let paid_at = held + Duration::minutes(2);
            let final_at = match end {
                End::Lapsed => {
                    f.holds_lapsed = 1;
                    self.deltas.add(facts, held + Duration::minutes(10), &f);
                    held + Duration::minutes(10)
                }
                End::Declined => {
                    f.checkouts_started = 1;
                    self.deltas.add(facts, held + Duration::minutes(1), &f);
                    self.deltas.add(
                        facts,
                        paid_at,
                        &Figures {
                            payment_failures: 1,
                            ..Figures::default()
                        },
                    );
                    self.payment(id, total, "failed", paid_at);
                    paid_at
                }
                End::Confirmed | End::Cancelled => {
                    f.checkouts_started = 1;
                    self.deltas.add(facts, held + Duration::minutes(1), &f);
                    self.deltas.add(
                        facts,
                        paid_at,
                        &Figures {
                            confirmations: 1,
                            tickets_sold: count as i64,
                            gross_cents: total,
                            fee_cents: FEE,
                            ..Figures::default()
                        },
                    );
                    let payment = self.payment(id, total, "succeeded", paid_at);
                    for i in &taken {
                        self.tickets.push(tickets::ActiveModel {
                            id: Set(Uuid::new_v4()),
                            code: Set(Uuid::new_v4().simple().to_string()[..12].to_uppercase()),
                            booking_id: Set(id),
                            showtime_id: Set(show.id),
                            seat_id: Set(seats[*i].0),
                            status: Set(if end == End::Confirmed {
                                "valid"
                            } else {
                                "void"
                            }
                            .into()),
                            issued_at: Set(paid_at),
                        });
                    }
                    if end == End::Cancelled {
                        let at = (paid_at + Duration::hours(rng.below(24) as i64))
                            .min(show.starts_at - Duration::minutes(30))
                            .max(paid_at);
                        // A full refund, or half of it for late cancellations.
                        let amount = if rng.below(2) == 0 { total } else { total / 2 };
                        self.refunds.push(refunds::ActiveModel {
                            id: Set(Uuid::new_v4()),
                            payment_id: Set(payment),
                            booking_id: Set(id),
                            provider_ref: Set(None),
                            idempotency_key: Set(format!("refund-{id}")),
                            amount_cents: Set(amount),
                            status: Set("succeeded".into()),
                            reason: Set("cancelled by the buyer".into()),
                            created_at: Set(at),
                            updated_at: Set(at),
                        });
                        self.deltas.add(
                            facts,
                            at,
                            &Figures {
                                cancellations: 1,
                                tickets_returned: count as i64,
                                refund_cents: amount,
                                ..Figures::default()
                            },
                        );
                        self.cancelled += 1;
                        at
                    } else {
                        for i in &taken {
                            status[*i] = Some(id);
                        }
                        self.confirmed += 1;
                        paid_at
                    }
                }
            };
            let kept = end == End::Confirmed;
            for i in &taken {
                self.seats.push(booking_seats::ActiveModel {
                    booking_id: Set(id),
                    seat_id: Set(seats[*i].0),
                    showtime_id: Set(show.id),
                    category: Set(if seats[*i].1 > 1_200 {
                        "premium"
                    } else {
                        "standard"
                    }
                    .into()),
                    price_cents: Set(seats[*i].1),
                    active: Set(kept),
                });
            }
            self.bookings.push(bookings::ActiveModel {
                id: Set(id),
                user_id: Set(buyers[rng.below(buyers.len() as u64) as usize]),
                showtime_id: Set(show.id),
                status: Set(match end {
                    End::Confirmed => "confirmed",
                    End::Cancelled => "cancelled",
                    End::Lapsed => "expired",
                    End::Declined => "payment_failed",
                }
                .into()),
                subtotal_cents: Set(subtotal),
                discount_cents: Set(0),
                fee_cents: Set(FEE),
                total_cents: Set(total),
                currency: Set("USD".into()),
                promotion_id: Set(None),
                expires_at: Set(held + Duration::minutes(10)),
                places: Set(0),
                fencing_token: Set(0),
                idempotency_key: Set(None),
                status_reason: Set(None),
                created_at: Set(held),
                updated_at: Set(final_at),
            });
            // Seats of bookings that did not last go back on sale; the next booking may
            // take them.
            if kept {
                next += count;
            } else {
                order[next..].rotate_left(count);
            }
            made += 1;
        }
        for (i, (seat, _)) in seats.iter().enumerate() {
            self.show_seats.push(show_seats::ActiveModel {
                showtime_id: Set(show.id),
                seat_id: Set(*seat),
                status: Set(if status[i].is_some() {
                    "sold"
                } else {
                    "available"
                }
                .into()),
                booking_id: Set(status[i]),
                hold_expires_at: Set(None),
                hold_token: Set(None),
                version: Set(0),
            });
        }
        made
    }

    fn payment(&mut self, booking: Uuid, amount: i64, status: &str, at: DateTime<Utc>) -> Uuid {
        let id = Uuid::new_v4();
        self.payments.push(payments::ActiveModel {
            id: Set(id),
            booking_id: Set(booking),
            provider: Set("fake".into()),
            provider_ref: Set(Some(format!("pi_seed_{}", id.simple()))),
            idempotency_key: Set(booking.to_string()),
            amount_cents: Set(amount),
            currency: Set("USD".into()),
            status: Set(status.into()),
            failure_reason: Set((status == "failed").then(|| "card declined".into())),
            attempts: Set(1),
            next_check_at: Set(None),
            created_at: Set(at),
            updated_at: Set(at),
            trace_parent: Set(None),
        });
        id
    }

    /// Writes the planned rows and adds their figures to the rollups.
    pub(crate) async fn write<C: ConnectionTrait>(self, db: &C) -> Result<(), DbErr> {
        for chunk in self.show_seats.chunks(CHUNK) {
            show_seats::Entity::insert_many(chunk.to_vec())
                .exec(db)
                .await?;
        }
        for chunk in self.bookings.chunks(CHUNK) {
            bookings::Entity::insert_many(chunk.to_vec())
                .exec(db)
                .await?;
        }
        for chunk in self.seats.chunks(CHUNK) {
            booking_seats::Entity::insert_many(chunk.to_vec())
                .exec(db)
                .await?;
        }
        for chunk in self.tickets.chunks(CHUNK) {
            tickets::Entity::insert_many(chunk.to_vec())
                .exec(db)
                .await?;
        }
        for chunk in self.payments.chunks(CHUNK) {
            payments::Entity::insert_many(chunk.to_vec())
                .exec(db)
                .await?;
        }
        for chunk in self.refunds.chunks(CHUNK) {
            refunds::Entity::insert_many(chunk.to_vec())
                .exec(db)
                .await?;
        }
        record_sellable(db, &self.facts, &self.sellable).await?;
        self.deltas.apply(db).await
    }
}
