//! SeaORM entities for every Marquee table, one module per table.
//!
//! Nothing but table shapes and relations lives here; behaviour belongs to `marquee-domain`.

pub mod audit_log;
pub mod booking_places;
pub mod booking_seats;
pub mod bookings;
pub mod emails;
pub mod events;
pub mod gift_card_entries;
pub mod gift_cards;
pub mod help_articles;
pub mod movies;
pub mod notifications;
pub mod organisation_invitations;
pub mod organisation_members;
pub mod organisations;
pub mod outbox;
pub mod payments;
pub mod promotions;
pub mod refunds;
pub mod reviews;
pub mod screens;
pub mod seats;
pub mod section_prices;
pub mod sections;
pub mod show_seats;
pub mod show_sections;
pub mod showtime_prices;
pub mod showtimes;
pub mod support_messages;
pub mod support_tickets;
pub mod theatres;
pub mod tickets;
pub mod title_alerts;
pub mod users;
pub mod waitlist_entries;
pub mod webhook_events;
