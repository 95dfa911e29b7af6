//! Rate limits: brute-force log-ins cut off at the limit whatever their shape (aliases,
//! batches, single requests, HTTP or WebSocket), refusals coded `RATE_LIMITED` with a
//! time to retry, limits per account across addresses, and `X-Forwarded-For` believed only
//! from a trusted proxy.

use futures_util::SinkExt;
use marquee::config::{IpNet, Rate, Settings, TrustedProxies};
use serde_json::{Value, json};
use tokio_tungstenite::tungstenite::Message;

use crate::helpers::*;
use crate::subscriptions::{connect, next_json};

const LOG_IN: &str =
    "mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }";
/// The documented limit the brute-force tests set: guesses per address.
const PER_ADDRESS: u32 = 10;

fn trust_loopback(s: &mut Settings) {
    s.trusted_proxies = TrustedProxies::new(vec![IpNet::parse("127.0.0.1").unwrap()]);
}

/// Log-in limits of `PER_ADDRESS` guesses an hour per address and 25 per account.
async fn spawn_guarded() -> TestApp {
    spawn_app_with(|s| {
        s.rate_limit_login = Rate::per(PER_ADDRESS, 3_600);
        s.rate_limit_login_account = Rate::per(25, 3_600);
        trust_loopback(s);
    })
    .await
}

/// POSTs `body` (as if forwarded for `client` by a proxy on 127.0.0.1); status,
/// `Retry-After` and the JSON answer.
async fn post(app: &TestApp, body: &Value, client: Option<&str>) -> (u16, Option<String>, Value) {
    let mut req = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(body);
    if let Some(ip) = client {
        req = req.header("x-forwarded-for", ip);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let retry = resp
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, retry, resp.json().await.unwrap())
}

fn guess(email: &str, n: usize) -> Value {
    json!({ "query": LOG_IN, "variables": { "e": email, "p": format!("guess {n:04}") } })
}

/// Whether an answer is a rate-limit refusal.
fn refused(status: u16, body: &Value) -> bool {
    status == 429 && body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
}

/// Sends 1,000 `logIn` guesses from 127.0.0.1 at `target(i)`: one document of 500
/// aliases, then 20 batches of 5, then 400 single requests. Returns how many ran.
async fn barrage(app: &TestApp, target: impl Fn(usize) -> String) -> usize {
    let mut ran = 0;
    let aliases: String = (0..500)
        .map(|i| {
            format!(
                "a{i}: logIn(email: \"{}\", password: \"guess {i:04}\") {{ token }} ",
                target(i)
            )
        })
        .collect();
    let (status, _, body) = post(
        app,
        &json!({ "query": format!("mutation {{ {aliases} }}") }),
        None,
    )
    .await;
    if !refused(status, &body) {
        ran += body["errors"].as_array().map_or(0, Vec::len);
    }
    for b in 0..20 {
        let batch: Vec<Value> = (0..5)
            .map(|i| guess(&target(500 + b * 5 + i), b * 5 + i))
            .collect();
        let (status, _, body) = post(app, &Value::Array(batch), None).await;
        if !refused(status, &body) {
            let answers = body.as_array().unwrap();
            assert!(
                answers
                    .iter()
                    .all(|a| a["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED")
            );
            ran += answers.len();
        }
    }
    for i in 600..1_000 {
        let (status, _, body) = post(app, &guess(&target(i), i), None).await;
        if !refused(status, &body) {
            assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
            ran += 1;
        }
    }
    ran
}

async fn log_in_from(app: &TestApp, email: &str, client: &str) -> (u16, Value) {
    let body = json!({ "query": LOG_IN, "variables": { "e": email, "p": "correct horse" } });
    let (status, _, body) = post(app, &body, Some(client)).await;
    (status, body)
}

async fn refusals(app: &TestApp, class: &str, scope: &str) -> f64 {
    app.metric(&format!(
        "marquee_rate_limited_total{{class=\"{class}\",scope=\"{scope}\"}}"
    ))
    .await
}

#[tokio::test]
async fn a_thousand_guesses_at_one_account_from_one_address_stop_at_the_limit_and_its_owner_still_logs_in()
 {
    let app = spawn_guarded().await;
    app.customer("victim@example.com").await;
    let ran = barrage(&app, |_| "victim@example.com".to_owned()).await;
    assert_eq!(ran, PER_ADDRESS as usize);
    assert_eq!(refusals(&app, "login", "address").await, 990.0);
    // With Redis, the buckets are there for every instance to see.
    if let Some(redis) = &app.services.redis {
        let mut conn = redis.connection();
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(redis.key("rl:*"))
            .query_async(&mut conn)
            .await
            .unwrap();
        assert!(
            keys.contains(&redis.key("rl:login:address:127.0.0.1")),
            "{keys:?}"
        );
    }
    // The owner, from another address, gets in at once.
    let (status, body) = log_in_from(&app, "victim@example.com", "198.51.100.20").await;
    assert_eq!(status, 200, "{body}");
    assert!(body["data"]["logIn"]["token"].is_string(), "{body}");
}

#[tokio::test]
async fn a_thousand_guesses_spread_over_accounts_from_one_address_stop_at_the_limit() {
    let app = spawn_guarded().await;
    app.customer("buyer@example.com").await;
    let ran = barrage(&app, |i| format!("user{i}@example.com")).await;
    assert_eq!(ran, PER_ADDRESS as usize);
    assert_eq!(refusals(&app, "login", "address").await, 990.0);
    let (status, body) = log_in_from(&app, "buyer@example.com", "198.51.100.21").await;
    assert_eq!(status, 200, "{body}");
    assert!(body["data"]["logIn"]["token"].is_string(), "{body}");
}

#[tokio::test]
async fn guesses_at_one_account_from_many_addresses_stop_at_the_account_limit() {
    let app = spawn_app_with(|s| {
        s.rate_limit_login = Rate::per(100, 3_600);
        s.rate_limit_login_account = Rate::per(3, 3_600);
        trust_loopback(s);
    })
    .await;
    let mut answers = Vec::new();
    for i in 0..5 {
        let body = guess("target@example.com", i);
        let (status, _, body) = post(&app, &body, Some(&format!("198.51.100.{}", 30 + i))).await;
        answers.push(refused(status, &body));
        if refused(status, &body) {
            assert_eq!(body["errors"][0]["extensions"]["scope"], "account");
        }
    }
    assert_eq!(answers, [false, false, false, true, true]);
    // Other accounts are not held back.
    let (status, _) = log_in_from(&app, "other@example.com", "198.51.100.30").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_refusal_is_a_429_with_retry_after_and_a_rate_limited_error_with_retry_after_ms() {
    let app = spawn_app_with(|s| {
        s.rate_limit_login = Rate::per(2, 3_600);
        s.rate_limit_anonymous = Rate::per(5, 60);
    })
    .await;
    for i in 0..2 {
        let (status, retry, _) = post(&app, &guess("a@example.com", i), None).await;
        assert_eq!((status, retry), (200, None));
    }
    let (status, retry, body) = post(&app, &guess("a@example.com", 3), None).await;
    assert_eq!(status, 429, "{body}");
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "RATE_LIMITED");
    assert_eq!(error["extensions"]["class"], "login");
    let ms = error["extensions"]["retryAfterMs"].as_u64().unwrap();
    // One guess more every 30 minutes.
    assert!((1_799_000..=1_800_000).contains(&ms), "{ms}");
    let secs: u64 = retry.unwrap().parse().unwrap();
    assert_eq!(secs, ms.div_ceil(1000));
    // Anonymous reads over GET count too: 2 log-ins and 3 reads, then refused.
    let get = |n: usize| {
        let url = format!("{}/graphql?query={{__typename}}&n={n}", app.address);
        let client = app.client.clone();
        async move { client.get(url).send().await.unwrap() }
    };
    for n in 0..3 {
        assert_eq!(get(n).await.status().as_u16(), 200);
    }
    let resp = get(3).await;
    assert_eq!(resp.status().as_u16(), 429);
    assert!(resp.headers().contains_key("retry-after"));
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["errors"][0]["extensions"]["class"], "anonymous");
}

#[tokio::test]
async fn forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy() {
    let limit = |s: &mut Settings| s.rate_limit_login = Rate::per(2, 3_600);
    // Nobody trusted: every request is the socket's 127.0.0.1, whatever it claims.
    let app = spawn_app_with(limit).await;
    let mut statuses = Vec::new();
    for i in 0..3 {
        let client = format!("198.51.100.{}", 40 + i);
        statuses.push(
            post(&app, &guess("a@example.com", i), Some(&client))
                .await
                .0,
        );
    }
    assert_eq!(statuses, [200, 200, 429]);
    // 127.0.0.1 trusted: the first hop from the right that is not a trusted proxy counts,
    // and what the client wrote to the left of it does not.
    let app = spawn_app_with(|s| {
        limit(s);
        trust_loopback(s);
    })
    .await;
    let mut statuses = Vec::new();
    for (i, chain) in [
        "6.6.6.1, 198.51.100.50",
        "6.6.6.2, 198.51.100.50",
        "6.6.6.3, 198.51.100.50",
        "198.51.100.51",
    ]
    .iter()
    .enumerate()
    {
        statuses.push(post(&app, &guess("a@example.com", i), Some(chain)).await.0);
    }
    assert_eq!(statuses, [200, 200, 429, 200]);
}

#[tokio::test]
async fn a_signed_in_account_is_limited_across_addresses() {
    let app = spawn_app_with(|s| {
        s.rate_limit_hold_account = Rate::per(2, 3_600);
        trust_loopback(s);
    })
    .await;
    let token = app.customer("bot@example.com").await;
    let hold =
        json!({ "query": "mutation { holdSeats(showtimeId: \"nope\", seatIds: []) { id } }" });
    let mut statuses = Vec::new();
    for i in 0..3 {
        let resp = app
            .client
            .post(format!("{}/graphql", app.address))
            .bearer_auth(&token)
            .header("x-forwarded-for", format!("198.51.100.{}", 60 + i))
            .json(&hold)
            .send()
            .await
            .unwrap();
        statuses.push(resp.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 429]);
    assert_eq!(refusals(&app, "hold", "account").await, 1.0);
}

#[tokio::test]
async fn operations_over_a_websocket_are_refused_with_rate_limited_too() {
    let app = spawn_app_with(|s| {
        s.rate_limit_login = Rate::per(2, 3_600);
        s.rate_limit_anonymous = Rate::per(3, 3_600);
    })
    .await;
    let mut socket = connect(&app).await;
    let send = |msg: Value| Message::text(msg.to_string());
    socket
        .send(send(json!({ "type": "connection_init", "payload": {} })))
        .await
        .unwrap();
    assert_eq!(
        next_json(&mut socket).await.unwrap()["type"],
        "connection_ack"
    );
    let mut codes = Vec::new();
    // Three log-ins (the third past the limit), then two subscriptions: the first is the
    // third anonymous operation let through, the second is past that limit.
    let ops = [
        LOG_IN,
        LOG_IN,
        LOG_IN,
        "subscription { heartbeat(intervalMs: 100) }",
        "subscription { heartbeat(intervalMs: 100) }",
    ];
    for (i, query) in ops.iter().enumerate() {
        let id = i.to_string();
        let payload =
            json!({ "query": query, "variables": { "e": "a@example.com", "p": "guess" } });
        socket
            .send(send(
                json!({ "id": id, "type": "subscribe", "payload": payload }),
            ))
            .await
            .unwrap();
        loop {
            let msg = next_json(&mut socket).await.unwrap();
            if msg["id"] != id.as_str() {
                continue;
            }
            let code = match msg["type"].as_str().unwrap() {
                "error" => {
                    let ext = &msg["payload"][0]["extensions"];
                    if ext["code"] == "RATE_LIMITED" {
                        assert!(ext["retryAfterMs"].as_u64().unwrap() > 0);
                    }
                    ext["code"].as_str().unwrap().to_owned()
                }
                other => other.to_owned(),
            };
            codes.push(code);
            break;
        }
    }
    assert_eq!(
        codes,
        [
            "UNAUTHENTICATED",
            "UNAUTHENTICATED",
            "RATE_LIMITED",
            "next",
            "RATE_LIMITED"
        ]
    );
}

#[tokio::test]
async fn switched_off_limits_refuse_nothing() {
    let app = spawn_app_with(|s| {
        s.rate_limits = false;
        s.rate_limit_login = Rate::per(1, 3_600);
        s.rate_limit_anonymous = Rate::per(1, 3_600);
    })
    .await;
    for i in 0..5 {
        let (status, _, body) = post(&app, &guess("a@example.com", i), None).await;
        assert_eq!(status, 200, "{body}");
    }
}

#[tokio::test]
async fn with_redis_unreachable_the_limits_are_counted_in_process_and_nothing_fails() {
    let app = spawn_app_with(|s| {
        s.redis_url = Some(secrecy::SecretString::from(
            "redis://127.0.0.1:1/".to_owned(),
        ));
        s.rate_limit_login = Rate::per(2, 3_600);
    })
    .await;
    let mut statuses = Vec::new();
    for i in 0..3 {
        statuses.push(post(&app, &guess("a@example.com", i), None).await.0);
    }
    assert_eq!(statuses, [200, 200, 429]);
}
