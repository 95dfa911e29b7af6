//! The change feed while its Redis bus is cut or not reached yet: inbox entries and emails
//! do not wait for it, and what an instance did not hear before it subscribed still reaches
//! it. Each test runs its own Redis server (on both backends), so that it can be cut.

use std::time::Duration;

use secrecy::SecretString;
use serde_json::{Value, json};

use crate::booking_faults::OwnRedis;
use crate::helpers::*;
use crate::mail::{address, received, smtp_url, wait_for};

const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const CHECKOUT: &str = "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }";
const INBOX: &str = "{ notifications(first: 20) { edges { node { kind bookingId } } } }";

/// Counts rows of a query that selects one count.
async fn count(app: &TestApp, sql: &str, values: Vec<sea_orm::Value>) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.services.db.get_database_backend();
    app.services
        .db
        .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
        .await
        .unwrap()
        .unwrap()
        .try_get_by_index::<i64>(0)
        .unwrap()
}

async fn inbox(app: &TestApp, token: &str) -> Vec<Value> {
    app.ok(INBOX, json!({}), Some(token)).await["notifications"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

#[tokio::test]
async fn with_the_bus_cut_a_booking_still_gets_its_email_and_inbox_entry_once_and_no_more_after() {
    let mut redis = OwnRedis::start().await;
    let url = redis.url.clone();
    let app = spawn_app_with(move |s| {
        s.redis_url = Some(SecretString::from(url));
        s.smtp_url = Some(SecretString::from(smtp_url()));
    })
    .await;
    let (showtime, seats) = opening_night(&app).await;
    let to = address("buscut", "example.com");
    let buyer = app.customer(&to).await;

    redis.kill();
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [seats[0]] }),
            Some(&buyer),
        )
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    let paid = app
        .ok(CHECKOUT, json!({ "b": booking }), Some(&buyer))
        .await;
    assert_eq!(paid["checkout"]["status"], "CONFIRMED");

    // With Redis still down: the email reaches the server, the entry the inbox.
    let mail = wait_for(&to, 1, Duration::from_secs(15)).await;
    assert_eq!(
        mail.len(),
        1,
        "no confirmation email while the bus was cut: {mail:?}"
    );
    assert_eq!(mail[0]["subject"], "Your tickets for Blockbuster");
    let entries = inbox(&app, &buyer).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["kind"], "booking.confirmed");
    assert_eq!(entries[0]["bookingId"], booking.as_str());
    // The cut was real: the booking's events (keyed by its id, as text) are not published yet.
    let unpublished = "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL AND \"key\" = $1";
    assert!(count(&app, unpublished, vec![booking.clone().into()]).await > 0);

    // Redis back: the relay publishes what waited, and nothing is told twice.
    redis.restart().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while count(
        &app,
        "SELECT COUNT(*) FROM outbox WHERE published_at IS NULL",
        vec![],
    )
    .await
        > 0
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the relay never caught up once Redis was back"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let emails = "SELECT COUNT(*) FROM emails WHERE recipient = $1 AND status = 'sent'";
    assert_eq!(count(&app, emails, vec![to.clone().into()]).await, 1);
    let all = "SELECT COUNT(*) FROM emails WHERE recipient = $1";
    assert_eq!(count(&app, all, vec![to.clone().into()]).await, 1);
    assert_eq!(received(&to).await.len(), 1);
    assert_eq!(inbox(&app, &buyer).await.len(), 1);
}

/// A door to a Redis server: connections are refused until it opens, then carried through.
struct Door {
    port: u16,
    to: String,
}

impl Door {
    fn shut_before(redis: &OwnRedis) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let to = redis
            .url
            .trim_start_matches("redis://")
            .trim_end_matches('/')
            .to_owned();
        Self { port, to }
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }

    async fn open(&self) {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", self.port))
            .await
            .unwrap();
        let to = self.to.clone();
        tokio::spawn(async move {
            while let Ok((mut inside, _)) = listener.accept().await {
                let to = to.clone();
                tokio::spawn(async move {
                    if let Ok(mut outside) = tokio::net::TcpStream::connect(to).await {
                        let _ = tokio::io::copy_bidirectional(&mut inside, &mut outside).await;
                    }
                });
            }
        });
    }
}

const SEARCH: &str = "query($q: String) { search(query: $q, first: 10) { edges { node { item { ... on Movie { title } } } } } }";

async fn titles_found(app: &TestApp, query: &str) -> Vec<String> {
    app.ok(SEARCH, json!({ "q": query }), None).await["search"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["node"]["item"]["title"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn a_change_published_before_an_instance_first_subscribes_still_reaches_its_search_index() {
    let redis = OwnRedis::start().await;
    let url = redis.url.clone();
    let shared: std::sync::Arc<std::sync::Mutex<Option<(SecretString, String)>>> =
        std::sync::Arc::default();
    let first = {
        let shared = shared.clone();
        spawn_app_with(move |s| {
            s.redis_url = Some(SecretString::from(url));
            *shared.lock().unwrap() =
                Some((s.database_url.clone().unwrap(), s.redis_prefix.clone()));
        })
        .await
    };
    let admin = first.admin().await;
    // An instance starting while it cannot reach Redis yet: its index is built from the
    // database, and its bus keeps trying to subscribe.
    let door = Door::shut_before(&redis);
    let (database, prefix) = shared.lock().unwrap().clone().unwrap();
    let door_url = door.url();
    let second = spawn_app_with(move |s| {
        s.database_url = Some(database);
        s.redis_url = Some(SecretString::from(door_url));
        s.redis_prefix = prefix;
        s.run_workers = false;
    })
    .await;

    // Another instance adds a movie and publishes it; the first one hears it.
    first
        .ok(
            MOVIE,
            json!({ "i": { "title": "Nightfall Express", "runtimeMinutes": 95, "releaseDate": "2026-01-01", "genres": ["thriller"] } }),
            Some(&admin),
        )
        .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while titles_found(&first, "nightfall").await.is_empty() {
        assert!(tokio::time::Instant::now() < deadline, "never published");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(titles_found(&second, "nightfall").await.is_empty());

    // The new instance reaches Redis: it subscribes after the movie was published, and
    // still finds it.
    door.open().await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while titles_found(&second, "nightfall").await.is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "a movie published before the instance subscribed never reached its index"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        titles_found(&second, "nightfall").await,
        vec!["Nightfall Express"]
    );
}
