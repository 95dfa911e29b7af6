//! The domain services, wired once at start from a [`DomainConfig`].

use std::sync::Arc;

use chrono::Duration;
use sea_orm::DatabaseConnection;

use crate::accounts::{AccountService, PasswordHasher, TokenIssuer, TokenSettings};
use crate::alerts::{AlertService, AlertWorker};
use crate::analytics::{AnalyticsService, RollupWorker};
use crate::booking::{
    BookingService, BookingSettings, ExpiryWorker, InProcessSeatHolds, NoFrontLine,
    ReconcileWorker, RedisSeatHolds, SeatHolds,
};
use crate::cache::{CacheStore, InProcessCache, QueryCache, RedisCache};
use crate::catalog::{CatalogAdmin, CatalogReader};
use crate::clock::SharedClock;
use crate::db::{self, DbSettings};
use crate::discovery::DiscoveryService;
use crate::events::{EventBus, Fanout, InProcessBus, LiveLane, OutboxRelay, RedisBus};
use crate::feed::{FeedObserver, KafkaSettings, KafkaSink, OutboxExporter};
use crate::gift_cards::GiftCardService;
use crate::inbox::{InboxDeriver, InboxService};
use crate::mail::{DirectMail, EmailSettings, EmailWorker, Mailer};
use crate::organisations::{InvitationMail, OrganisationService};
use crate::payments::PaymentGateway;
use crate::redis_store::RedisStore;
use crate::replica::{ReadPool, ReplicaSettings};
use crate::reviews::ReviewService;
use crate::support::{SupportService, SupportSettings};
use crate::waiting_room::{
    InProcessWaitingRoom, RedisWaitingRoom, WaitingRoomService, WaitingRoomSettings,
    WaitingRoomStore,
};
use crate::waitlist::{WaitlistService, WaitlistSettings, WaitlistWorker};
use marquee_search::index::{SearchError, SearchIndex};
use tokio::sync::Notify;

/// How long a cached listing is served (changes heard of end it sooner).
const LISTINGS_FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(30);

/// Everything the domain needs to start.
#[derive(Clone)]
pub struct DomainConfig {
    /// Database of record.
    pub database: DbSettings,
    /// Redis URL and key prefix, when scaled out.
    pub redis: Option<(String, String)>,
    /// Whether holds pass a front line (Redis, or in-process) before the database.
    pub seat_hold_front_line: bool,
    /// Access-token signing.
    pub tokens: TokenSettings,
    /// Password hashes computed at once (each takes 19 MiB while it runs).
    pub password_hashing: usize,
    /// Gap between consecutive shows on one screen.
    pub cleaning_buffer: Duration,
    /// Hold lifetime and seat limits.
    pub booking: BookingSettings,
    /// Where payments go.
    pub gateway: Arc<dyn PaymentGateway>,
    /// Where email goes.
    pub mailer: Arc<dyn Mailer>,
    /// How email is sent.
    pub email: EmailSettings,
    /// Source of "now".
    pub clock: SharedClock,
    /// Admission through the waiting rooms of hot showtimes.
    pub waiting_room: WaitingRoomSettings,
    /// How long a waitlist offer holds its seats.
    pub waitlist_offer_ttl: Duration,
    /// Where the search index lives; in memory when `None` (maintenance commands).
    pub search_dir: Option<std::path::PathBuf>,
    /// A streaming standby for catalog, listing and search reads, with its staleness bound.
    pub read_replica: Option<ReplicaSettings>,
    /// The event feed to Kafka, when it is on.
    pub feed: Option<FeedConfig>,
    /// The help center's waits and reply address.
    pub support: SupportSettings,
    /// Whether the sales rollups are kept current from the outbox.
    pub analytics_rollups: bool,
}

/// The event feed's settings.
#[derive(Clone)]
pub struct FeedConfig {
    /// How to reach Kafka.
    pub kafka: KafkaSettings,
    /// Receives the exporter's counts and lag (metrics).
    pub observer: Option<FeedObserver>,
}

/// Failure to start the domain.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// Database unreachable or migrations failed.
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
    /// Bad Redis URL.
    #[error(transparent)]
    Redis(#[from] crate::redis_store::RedisUnavailable),
    /// The search index cannot be opened (held by another process, or a disk failure).
    #[error(transparent)]
    Search(#[from] SearchError),
    /// The live lane's thread could not be started.
    #[error("live lane: {0}")]
    Lane(String),
}

impl From<std::io::Error> for StartupError {
    fn from(e: std::io::Error) -> Self {
        Self::Lane(e.to_string())
    }
}

impl From<tokio::task::JoinError> for StartupError {
    fn from(e: tokio::task::JoinError) -> Self {
        Self::Lane(e.to_string())
    }
}

/// Health of each dependency, for `/readyz`.
#[derive(Debug, Clone)]
pub struct Readiness {
    /// Database check result.
    pub database: Result<(), String>,
    /// Redis check result, when Redis is configured.
    pub redis: Option<Result<(), String>>,
}

impl Readiness {
    /// Whether every configured dependency answered.
    pub fn is_ready(&self) -> bool {
        self.database.is_ok() && self.redis.as_ref().is_none_or(|r| r.is_ok())
    }
}

/// The wired services. Cheap to clone.
#[derive(Clone)]
pub struct Services {
    /// Database pool.
    pub db: DatabaseConnection,
    /// Reads that tolerate bounded staleness (the standby when configured and fresh).
    pub reads: ReadPool,
    /// Operators' reads (queue depths for metrics), outside the main pool and its metrics.
    pub monitor_db: DatabaseConnection,
    /// Clock.
    pub clock: SharedClock,
    /// Accounts and authentication.
    pub accounts: AccountService,
    /// Catalog reads.
    pub catalog: CatalogReader,
    /// Catalog admin writes.
    pub catalog_admin: CatalogAdmin,
    /// Seat holds and bookings.
    pub bookings: BookingService,
    /// Releases lapsed holds (spawned by the server; tests drive it directly).
    pub expiry: ExpiryWorker,
    /// Settles payments whose outcome was unknown.
    pub reconcile: ReconcileWorker,
    /// Redis, when configured.
    pub redis: Option<RedisStore>,
    /// Publishes the outbox (spawned by the server; tests may drive it directly).
    pub relay: OutboxRelay,
    /// Writes inbox entries and emails from the outbox, whatever the bus does (spawned by
    /// the server; tests may drive it directly).
    pub deriver: InboxDeriver,
    /// The in-app inbox.
    pub inbox: InboxService,
    /// Sends queued email (spawned by the server; tests may drive it directly).
    pub emails: EmailWorker,
    /// Exports the outbox to the event feed, when it is on (spawned by the server).
    pub exporter: Option<OutboxExporter>,
    /// Ratings and reviews.
    pub reviews: ReviewService,
    /// Organisations, their staff and the audit log.
    pub organisations: OrganisationService,
    /// Gift cards: staff's issue and history, buyers' balances.
    pub gift_cards: GiftCardService,
    /// Sales reports over the rollups.
    pub analytics: AnalyticsService,
    /// Keeps the sales rollups current, when they are on (spawned by the server).
    pub rollups: Option<RollupWorker>,
    /// The waiting rooms of hot showtimes.
    pub waiting_rooms: WaitingRoomService,
    /// Waitlists of sold-out showtimes.
    pub waitlist: WaitlistService,
    /// Buyers' "notify me" alerts for titles not yet on sale where they are.
    pub alerts: AlertService,
    /// Tells buyers their titles went on sale (spawned by the server; tests may drive it).
    pub alert_worker: AlertWorker,
    /// Offers freed seats to the waitlists (spawned by the server; tests may drive it).
    pub waitlist_offers: WaitlistWorker,
    /// Search over the catalog (its listener is spawned by the server).
    pub discovery: DiscoveryService,
    /// Help articles and support tickets (its closing worker is spawned by the server).
    pub support: SupportService,
    /// Where published domain events can be heard.
    pub events: Arc<dyn EventBus>,
    /// Movie and event listings by city and date, cached.
    pub listings: Arc<QueryCache>,
    /// The same events routed by topic and key, for live subscribers.
    pub live: Fanout,
    /// Where the relay runs (spawned by the server), beside the bus and the router.
    pub lane: LiveLane,
}

/// Opens the search index in `dir`; one that cannot be read is discarded and started anew
/// (the server rebuilds it from the database), unless another process holds it.
fn open_search(dir: Option<&std::path::Path>) -> Result<SearchIndex, SearchError> {
    let Some(dir) = dir else {
        return SearchIndex::in_memory();
    };
    match SearchIndex::open(dir) {
        Ok(index) => Ok(index),
        Err(SearchError::Locked) => Err(SearchError::Locked),
        Err(e) => {
            tracing::warn!(error = %e, dir = %dir.display(), "search index unreadable; starting it anew");
            let _ = std::fs::remove_dir_all(dir);
            SearchIndex::open(dir)
        }
    }
}

impl Services {
    /// Connects, migrates and wires the services.
    pub async fn start(config: DomainConfig) -> Result<Arc<Self>, StartupError> {
        let db = db::connect(&config.database).await?;
        db::migrate(&db).await?;
        let reads = match &config.read_replica {
            Some(replica) => ReadPool::with_replica(db.clone(), &config.database, replica).await?,
            None => ReadPool::primary_only(db.clone()),
        };
        // The email worker and the inbox deriver have a small pool of their own, and the
        // relay another on its lane
        // (whose thread drives its connections): in an on-sale, requests queue for the main
        // pool, and published changes must not queue behind them.
        let worker_db = db::connect(&DbSettings {
            max_connections: 3,
            ..config.database.clone()
        })
        .await?;
        // Scrapes read the queues' depths on a connection of their own, unobserved: a scrape
        // must answer in an on-sale whose requests hold the main pool, and its reads are
        // not the application's statements.
        let monitor_db = db::connect(&DbSettings {
            max_connections: 1,
            observer: None,
            ..config.database.clone()
        })
        .await?;
        let lane = LiveLane::start()?;
        let relay_settings = DbSettings {
            max_connections: 2,
            ..config.database.clone()
        };
        let relay_db = lane
            .spawn(async move { db::connect(&relay_settings).await })
            .await??;
        let redis = match &config.redis {
            Some((url, prefix)) => Some(RedisStore::open(url, prefix)?),
            None => None,
        };
        let search = open_search(config.search_dir.as_deref())?;
        let clock = config.clock.clone();
        let tokens = TokenIssuer::new(&config.tokens, clock.clone());
        // Redis when scaled out, so that every instance sees the same claims.
        let holds: Arc<dyn SeatHolds> = match (config.seat_hold_front_line, &redis) {
            (false, _) => Arc::new(NoFrontLine),
            (true, Some(store)) => Arc::new(RedisSeatHolds::new(store.clone())),
            (true, None) => Arc::new(InProcessSeatHolds::default()),
        };
        // Redis pub/sub when scaled out, so that every instance hears every event.
        let events: Arc<dyn EventBus> = match &redis {
            Some(store) => {
                let own = store.separate()?;
                lane.spawn(async move { RedisBus::start(own) }).await?
            }
            None => Arc::new(InProcessBus::default()),
        };
        // Redis when scaled out, so that instances share the answers.
        let cache_store: Arc<dyn CacheStore> = match &redis {
            Some(store) => Arc::new(RedisCache::new(store.clone())),
            None => Arc::new(InProcessCache::default()),
        };
        let listings = Arc::new(QueryCache::new(cache_store, LISTINGS_FRESH_FOR));
        // Listening first, then the start state: a change committed in between is heard.
        let listings_feed = events.subscribe();
        listings.catch_up(&db).await?;
        tokio::spawn(listings.clone().follow(db.clone(), listings_feed));
        // Redis when scaled out, so that there is one line per showtime across instances.
        let rooms: Arc<dyn WaitingRoomStore> = match &redis {
            Some(store) => Arc::new(RedisWaitingRoom::new(store.clone())),
            None => Arc::new(InProcessWaitingRoom::default()),
        };
        let waiting_rooms =
            WaitingRoomService::new(db.clone(), clock.clone(), rooms, config.waiting_room);
        // The feed's pool of its own: a pass holds a connection while the broker answers.
        let exporter = match &config.feed {
            Some(feed) => {
                let feed_db = db::connect(&DbSettings {
                    max_connections: 2,
                    ..config.database.clone()
                })
                .await?;
                Some(OutboxExporter::new(
                    feed_db,
                    clock.clone(),
                    Arc::new(KafkaSink::new(feed.kafka.clone())),
                    feed.observer.clone(),
                ))
            }
            None => None,
        };
        let outbox_wake = Arc::new(Notify::new());
        let mail_wake = Arc::new(Notify::new());
        let direct_mail = DirectMail::new(
            config.mailer.clone(),
            config.email.from.clone(),
            &config.email.public_url,
        );
        let derive_wake = Arc::new(Notify::new());
        let bookings = BookingService::new(
            db.clone(),
            clock.clone(),
            holds.clone(),
            config.gateway.clone(),
            config.booking,
            outbox_wake.clone(),
            waiting_rooms.clone(),
        );
        let waitlist_settings = WaitlistSettings {
            offer_ttl: config.waitlist_offer_ttl,
            max_seats: config.booking.max_seats,
            buyer_caps: config.booking.buyer_caps,
        };
        let waitlist_wake = Arc::new(Notify::new());
        let discovery = DiscoveryService::new(db.clone(), clock.clone(), Arc::new(search));
        let support = SupportService::new(
            db.clone(),
            clock.clone(),
            config.support.clone(),
            bookings.clone(),
            discovery.clone(),
            events.clone(),
            mail_wake.clone(),
            outbox_wake.clone(),
            config.email.max_per_recipient_hour,
        );
        Ok(Arc::new(Self {
            waitlist: WaitlistService::new(
                db.clone(),
                clock.clone(),
                waitlist_settings,
                waitlist_wake.clone(),
            ),
            waitlist_offers: WaitlistWorker::new(
                db.clone(),
                clock.clone(),
                bookings.clone(),
                waitlist_settings,
                waitlist_wake,
            ),
            alerts: AlertService::new(db.clone(), clock.clone()),
            alert_worker: AlertWorker::new(
                worker_db.clone(),
                clock.clone(),
                events.clone(),
                config.email.max_per_recipient_hour,
            ),
            reconcile: ReconcileWorker::new(bookings.clone()),
            bookings,
            expiry: ExpiryWorker::new(db.clone(), clock.clone(), holds, outbox_wake.clone()),
            emails: EmailWorker::new(
                worker_db.clone(),
                clock.clone(),
                config.mailer.clone(),
                config.email.clone(),
                mail_wake.clone(),
                outbox_wake.clone(),
            ),
            live: {
                let heard = events.subscribe();
                lane.spawn(async move { Fanout::start(heard) }).await?
            },
            relay: {
                let relay = OutboxRelay::new(
                    relay_db,
                    clock.clone(),
                    events.clone(),
                    outbox_wake,
                    derive_wake.clone(),
                );
                let relay = if exporter.is_some() {
                    relay.keeping_rows_for_the_feed()
                } else {
                    relay
                };
                if config.analytics_rollups {
                    relay.keeping_rows_for_the_rollups()
                } else {
                    relay
                }
            },
            exporter,
            deriver: InboxDeriver::new(
                worker_db.clone(),
                clock.clone(),
                events.clone(),
                derive_wake,
                mail_wake.clone(),
                config.email.max_per_recipient_hour,
            ),
            events,
            lane,
            waiting_rooms,
            inbox: InboxService::new(db.clone(), clock.clone()),
            reviews: ReviewService::new(db.clone(), clock.clone(), listings.clone()),
            organisations: OrganisationService::new(
                db.clone(),
                clock.clone(),
                InvitationMail::new(direct_mail.clone()),
            ),
            gift_cards: GiftCardService::new(db.clone(), clock.clone(), direct_mail),
            discovery,
            support,
            analytics: AnalyticsService::new(db.clone()),
            rollups: config
                .analytics_rollups
                .then(|| RollupWorker::new(worker_db.clone(), clock.clone())),
            accounts: AccountService::new(
                db.clone(),
                clock.clone(),
                tokens,
                config.tokens.account_recheck,
                PasswordHasher::new(config.password_hashing),
            ),
            catalog: CatalogReader::new(db.clone(), reads.clone(), clock.clone(), listings.clone()),
            catalog_admin: CatalogAdmin::new(
                db.clone(),
                clock.clone(),
                config.cleaning_buffer,
                listings.clone(),
            ),
            listings,
            clock,
            redis,
            reads,
            monitor_db,
            db,
        }))
    }

    /// Checks every dependency.
    pub async fn readiness(&self) -> Readiness {
        let database = db::ping(&self.db).await.map_err(|e| e.to_string());
        let redis = match &self.redis {
            Some(r) => Some(r.ping().await.map_err(|e| e.to_string())),
            None => None,
        };
        Readiness { database, redis }
    }
}
