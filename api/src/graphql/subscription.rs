use std::time::Duration;

use async_graphql::{Context, Subscription};
use chrono::{DateTime, Utc};
use futures_util::Stream;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::IntervalStream;

use async_graphql::ID;
use futures_util::stream;
use marquee_domain::events::{BOOKING_STATUS, Delivery, DomainEvent, RecentIds, SEAT_CHANGES};
use marquee_domain::ids::{BookingId, SectionId, ShowtimeId};
use marquee_domain::{Services, booking};
use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use tokio::sync::broadcast::Receiver;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use uuid::Uuid;

use crate::graphql::auth::{principal, services};
use crate::graphql::error::ApiError;
use crate::graphql::overview_feed::OverviewFeeds;
use crate::graphql::types::showtime_seat_map;
use crate::graphql::types::{
    BookingStatusUpdate, Notification, SeatMapUpdate, SeatUpdate, VenueSection,
};
use crate::http::ws_limits::{Connection, Slot};
use marquee_domain::inbox::NOTIFICATION_ADDED;

/// Every subscription.
#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// The server's clock every `intervalMs` (100–60000): a liveness signal for clients.
    async fn heartbeat(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 1000)] interval_ms: i32,
    ) -> Result<impl Stream<Item = DateTime<Utc>>, ApiError> {
        if !(100..=60_000).contains(&interval_ms) {
            return Err(ApiError::bad_input(
                "intervalMs",
                "must be between 100 and 60000",
            ));
        }
        let slot = slot(ctx)?;
        let clock = services(ctx).clock.clone();
        let ticks = IntervalStream::new(tokio::time::interval(Duration::from_millis(
            interval_ms as u64,
        )));
        Ok(ticks.map(move |_| {
            let _held = &slot;
            clock.now()
        }))
    }

    /// The seat map of a showtime, live: first the whole map, then every change as it is
    /// committed. A client that falls behind gets a fresh whole map, never a wrong one.
    /// With `sectionId`, only that section's seats and their changes: a stadium's buyers
    /// watch the section they are choosing in, not all of its seats.
    async fn seat_map_updates(
        &self,
        ctx: &Context<'_>,
        showtime_id: ID,
        section_id: Option<ID>,
    ) -> Result<impl Stream<Item = SeatMapUpdate>, ApiError> {
        let id = ApiError::parse_id("showtimeId", &showtime_id, ShowtimeId::parse)?;
        let section = section_id
            .map(|s| ApiError::parse_id("sectionId", &s, SectionId::parse))
            .transpose()?;
        let services = services(ctx).clone();
        // Listen before reading the map, so that no change falls between the two.
        let events = services.live.subscribe(SEAT_CHANGES, &id.to_string());
        let first = read_map(&services, id, section).await?;
        // A venue's seats never change, so the first map says which are the section's.
        let only: Option<Arc<HashSet<Uuid>>> =
            section.map(|_| Arc::new(first.seats().map(|s| s.seat.id.uuid()).collect()));
        let state = Live::new(events, id.to_string(), first, slot(ctx)?);
        let mark = ctx.data_opt::<CommitMark>().cloned();
        Ok(stream::unfold(state, move |mut st| {
            let (services, mark, only) = (services.clone(), mark.clone(), only.clone());
            async move {
                if let Some(map) = st.pending.take() {
                    return Some((snapshot(map), st));
                }
                loop {
                    match st.bursts().await {
                        Bursts::Changes(events, oldest) => {
                            if let Some(mark) = &mark {
                                mark.set(oldest);
                            }
                            // A client that is behind gets what piled up in one message, so
                            // a burst costs one write per client rather than one per change.
                            let changes: Vec<SeatUpdate> = events
                                .iter()
                                .filter_map(|e| e.seats.as_deref())
                                .flatten()
                                .filter(|c| only.as_ref().is_none_or(|o| o.contains(&c.seat_id)))
                                .map(SeatUpdate::from)
                                .collect();
                            if changes.is_empty() {
                                continue;
                            }
                            let update = SeatMapUpdate {
                                snapshot: None,
                                changes,
                                // The oldest change of the message: its delay is the message's.
                                committed_at: Some(oldest),
                            };
                            return Some((update, st));
                        }
                        Bursts::Lagged => {
                            return match read_map(&services, id, section).await {
                                Ok(map) => Some((snapshot(map), st)),
                                Err(e) => {
                                    tracing::warn!(error = %e, "cannot resynchronise a seat map");
                                    None
                                }
                            };
                        }
                        Bursts::Closed => return None,
                    }
                }
            }
        }))
    }

    /// A venue's overview, live: each section's availability and price range now, then
    /// again whenever a committed change (seats or general-admission places) moved a
    /// section's figures, at most every quarter second. What a stadium's buyers watch
    /// while they choose a section, without a single seat sent.
    async fn section_updates(
        &self,
        ctx: &Context<'_>,
        showtime_id: ID,
    ) -> Result<impl Stream<Item = Vec<VenueSection>>, ApiError> {
        let id = ApiError::parse_id("showtimeId", &showtime_id, ShowtimeId::parse)?;
        let slot = slot(ctx)?;
        let feed = ctx
            .data_unchecked::<Arc<OverviewFeeds>>()
            .feed(services(ctx), id)
            .await?;
        let rx = feed.watch();
        // The watcher holds the feed (and so its reader) and its place on the connection.
        Ok(stream::unfold(
            (rx, feed, slot),
            |(mut rx, feed, slot)| async move {
                rx.changed().await.ok()?;
                let now = rx.borrow_and_update().clone();
                Some((sections_of(&now), (rx, feed, slot)))
            },
        ))
    }

    /// The signed-in user's new inbox entries, as they arrive.
    async fn notification_added(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = Notification>, ApiError> {
        let who = principal(ctx).await?;
        let services: Arc<Services> = services(ctx).clone();
        let state = Live::new(
            services
                .live
                .subscribe(NOTIFICATION_ADDED, &who.user_id.to_string()),
            who.user_id.to_string(),
            (),
            slot(ctx)?,
        );
        Ok(stream::unfold(state, move |mut st| {
            let services = services.clone();
            async move {
                loop {
                    match st.next().await {
                        Next::Event(e) => {
                            let id = e.payload["id"]
                                .as_str()
                                .and_then(|s| uuid::Uuid::parse_str(s).ok())?;
                            // The inbox is the record: read the entry back from it.
                            match services.inbox.find(&who, id).await {
                                Ok(Some(n)) => return Some((Notification::from(n), st)),
                                Ok(None) => continue,
                                Err(_) => return None,
                            }
                        }
                        // Missed pushes are in the inbox; the stream just goes on.
                        Next::Lagged => continue,
                        Next::Closed => return None,
                    }
                }
            }
        }))
    }

    /// A booking's status, live (its owner, or an admin): the status now, then every change
    /// (HELD → PAYMENT_PENDING → CONFIRMED, PAYMENT_FAILED, EXPIRED, REFUNDED, CANCELLED),
    /// with the hold countdown while it runs.
    async fn booking_status(
        &self,
        ctx: &Context<'_>,
        booking_id: ID,
    ) -> Result<impl Stream<Item = BookingStatusUpdate>, ApiError> {
        let who = principal(ctx).await?;
        let id = ApiError::parse_id("bookingId", &booking_id, BookingId::parse)?;
        let services: Arc<Services> = services(ctx).clone();
        let events = services.live.subscribe(BOOKING_STATUS, &id.to_string());
        let state = match services.bookings.find_owned(&who, id).await? {
            Some(now) => {
                let mut state = Live::new(
                    events,
                    id.to_string(),
                    Some(BookingStatusUpdate::current(&now)),
                    slot(ctx)?,
                );
                state.status = now.status;
                state
            }
            // A waitlist offer not made yet: the first message is the offer itself.
            None if services.waitlist.awaits_offer(&who, id.uuid()).await? => {
                let mut state = Live::new(events, id.to_string(), None, slot(ctx)?);
                state.awaiting_first = true;
                state
            }
            None => return Err(ApiError::new("NOT_FOUND", format!("no booking {id}"))),
        };
        Ok(stream::unfold(state, move |mut st| {
            let (services, who) = (services.clone(), who);
            async move {
                if let Some(Some(first)) = st.pending.take() {
                    return Some((first, st));
                }
                loop {
                    match st.next().await {
                        Next::Event(e) => {
                            let status = e.payload["status"]
                                .as_str()
                                .and_then(booking::BookingStatus::parse)?;
                            // Events committed before the first read arrive too: a status
                            // the client already has, or one it has moved past, is skipped.
                            if !st.awaiting_first
                                && (rank(status) < rank(st.status) || status == st.status)
                            {
                                continue;
                            }
                            st.awaiting_first = false;
                            st.status = status;
                            let update = BookingStatusUpdate {
                                booking_id: ID(st.key.clone()),
                                status: status.into(),
                                expires_at: serde_json::from_value(e.payload["expiresAt"].clone())
                                    .ok()
                                    .flatten(),
                            };
                            return Some((update, st));
                        }
                        // Fell behind: the booking as it is now.
                        Next::Lagged => {
                            let b = match services.bookings.find_owned(&who, id).await.ok()? {
                                Some(b) => b,
                                None if st.awaiting_first => continue,
                                None => return None,
                            };
                            st.awaiting_first = false;
                            st.status = b.status;
                            return Some((BookingStatusUpdate::current(&b), st));
                        }
                        Next::Closed => return None,
                    }
                }
            }
        }))
    }
}

/// Where an execution of `seatMapUpdates` notes when the changes of the message it is
/// about to resolve were committed, for whoever sends the result to measure the delay
/// (whatever the request selects).
#[derive(Clone, Default)]
pub struct CommitMark(Arc<std::sync::Mutex<Option<DateTime<Utc>>>>);

impl CommitMark {
    /// The time noted for the last message, if any; clears it.
    pub fn take(&self) -> Option<DateTime<Utc>> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }

    fn set(&self, at: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(at);
    }
}

/// A showtime's whole map, or one section's.
async fn read_map(
    services: &Services,
    id: ShowtimeId,
    section: Option<SectionId>,
) -> Result<marquee_domain::catalog::SeatMap, marquee_domain::catalog::CatalogError> {
    match section {
        Some(section) => services.catalog.section_seat_map(id, section).await,
        None => services.catalog.seat_map(id).await,
    }
}

fn snapshot(map: marquee_domain::catalog::SeatMap) -> SeatMapUpdate {
    SeatMapUpdate {
        snapshot: Some(showtime_seat_map(map)),
        changes: Vec::new(),
        committed_at: None,
    }
}

/// Event ids remembered per subscriber to skip redeliveries (delivery is at least once).
const REMEMBERED: usize = 4_096;

/// A subscriber's place in the event stream of one key.
struct Live<T> {
    deliveries: Receiver<Delivery>,
    /// Events delivered and not yet taken.
    queue: VecDeque<Arc<DomainEvent>>,
    key: String,
    /// Recent event ids, to skip redeliveries.
    seen: RecentIds,
    /// The first message, not yet sent.
    pending: Option<T>,
    /// The booking status last sent (booking subscriptions only).
    status: booking::BookingStatus,
    /// A booking that does not exist yet (a waitlist offer): its first status is news.
    awaiting_first: bool,
    /// This subscription's place on its connection, freed when it ends.
    _slot: Option<Slot>,
}

/// A place for one more subscription on the caller's WebSocket connection, or
/// `RATE_LIMITED` when it has as many as it may run.
fn slot(ctx: &Context<'_>) -> Result<Option<Slot>, ApiError> {
    match ctx.data_opt::<Arc<Connection>>() {
        Some(conn) => conn.acquire().map(Some).ok_or_else(|| {
            ApiError::new(
                "RATE_LIMITED",
                "too many subscriptions on this connection; end one first",
            )
        }),
        None => Ok(None),
    }
}

/// Where a status stands in a booking's life: a booking never goes back.
fn rank(status: booking::BookingStatus) -> u8 {
    use booking::BookingStatus::*;
    match status {
        Held => 0,
        PaymentPending => 1,
        Confirmed => 2,
        _ => 3,
    }
}

/// What a seat-map subscriber is to send next.
enum Bursts {
    /// New changes, and when the oldest of them was committed.
    Changes(Vec<Arc<DomainEvent>>, DateTime<Utc>),
    Lagged,
    Closed,
}

enum Next {
    Event(Arc<DomainEvent>),
    Lagged,
    Closed,
}

impl<T> Live<T> {
    fn new(deliveries: Receiver<Delivery>, key: String, first: T, slot: Option<Slot>) -> Self {
        Self {
            _slot: slot,
            deliveries,
            queue: VecDeque::new(),
            key,
            seen: RecentIds::new(REMEMBERED),
            pending: Some(first),
            status: booking::BookingStatus::Held,
            awaiting_first: false,
        }
    }

    /// The events of the bursts delivered since the last call, waiting for one, less
    /// those this subscriber already had.
    async fn bursts(&mut self) -> Bursts {
        loop {
            let mut got = match self.deliveries.recv().await {
                Ok(Delivery::Events(burst)) => vec![burst],
                Ok(Delivery::Resync) | Err(RecvError::Lagged(_)) => return Bursts::Lagged,
                Err(RecvError::Closed) => return Bursts::Closed,
            };
            loop {
                match self.deliveries.try_recv() {
                    Ok(Delivery::Events(burst)) => got.push(burst),
                    Ok(Delivery::Resync) | Err(TryRecvError::Lagged(_)) => return Bursts::Lagged,
                    Err(TryRecvError::Empty | TryRecvError::Closed) => break,
                }
            }
            let fresh: Vec<Arc<DomainEvent>> = got
                .iter()
                .flat_map(|burst| burst.events())
                .filter(|e| self.seen.is_new(e.id))
                .cloned()
                .collect();
            if let Some(oldest) = fresh.iter().map(|e| e.created_at).min() {
                return Bursts::Changes(fresh, oldest);
            }
        }
    }

    async fn next(&mut self) -> Next {
        loop {
            if let Some(e) = self.queue.pop_front() {
                if self.seen.is_new(e.id) {
                    return Next::Event(e);
                }
                continue;
            }
            match self.deliveries.recv().await {
                Ok(Delivery::Events(burst)) => self.queue.extend(burst.events().iter().cloned()),
                Ok(Delivery::Resync) | Err(RecvError::Lagged(_)) => return Next::Lagged,
                Err(RecvError::Closed) => return Next::Closed,
            }
        }
    }
}

/// How often a venue overview is read again while changes keep coming.
fn sections_of(summaries: &[marquee_domain::catalog::SectionSummary]) -> Vec<VenueSection> {
    summaries.iter().cloned().map(VenueSection::from).collect()
}
