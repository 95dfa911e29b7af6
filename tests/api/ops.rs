//! Health, readiness (with Redis up and down), metrics, and the demo catalog.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

#[tokio::test]
async fn healthz_answers_ok() {
    let app = spawn_app().await;
    let resp = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn readyz_checks_the_database_and_the_configured_redis() {
    let app = spawn_app().await;
    let resp = app
        .client
        .get(format!("{}/readyz", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["checks"]["database"], "ok");
    if std::env::var("TEST_REDIS_URL").is_ok() {
        assert_eq!(body["checks"]["redis"], "ok", "{body}");
    } else {
        assert!(body["checks"].get("redis").is_none());
    }
}

#[tokio::test]
async fn metrics_count_requests_and_operations_by_name() {
    let app = spawn_app().await;
    app.ok(
        "query ListMovies { movies { edges { cursor } } }",
        json!({}),
        None,
    )
    .await;
    app.ok(
        "query ListMovies { movies { edges { cursor } } }",
        json!({}),
        None,
    )
    .await;
    let text = app.metrics_text().await;
    assert!(
        text.contains(
            "marquee_graphql_operations_total{operation=\"ListMovies\",outcome=\"ok\"} 2"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "marquee_http_requests_total{method=\"POST\",path=\"/graphql\",status=\"200\"}"
        ),
        "{text}"
    );
    assert!(
        text.contains("marquee_graphql_operation_duration_seconds_bucket{le="),
        "{text}"
    );
    assert!(app.db_statements().await > 0.0);
}

#[tokio::test]
async fn the_demo_catalog_seeds_a_realistic_week() {
    let app = spawn_app_with(|s| s.seed_demo = true).await;
    let cities = app
        .ok(
            "{ theatres { id name city zip latitude screens { seatCount } } }",
            json!({}),
            None,
        )
        .await;
    let theatres = cities["theatres"].as_array().unwrap();
    assert!(theatres.len() >= 60, "{} theatres", theatres.len());
    let mut names: Vec<&str> = theatres
        .iter()
        .map(|t| t["city"].as_str().unwrap())
        .collect();
    names.sort();
    names.dedup();
    assert!(names.len() >= 12);
    let (arenas, cinemas): (Vec<&Value>, Vec<&Value>) = theatres
        .iter()
        .partition(|t| t["name"] == "Marquee Arena" || t["name"] == "Marquee Stadium");
    assert_eq!(arenas.len(), 2, "an arena and a stadium");
    for t in cinemas {
        let screens = t["screens"].as_array().unwrap();
        assert!((3..=12).contains(&screens.len()));
        assert!(
            screens
                .iter()
                .all(|s| (100..=400).contains(&s["seatCount"].as_i64().unwrap()))
        );
    }
    let movies = app
        .ok(
            "{ movies(first: 100, filter: { city: \"Chicago\" }) { edges { node { title } } } }",
            json!({}),
            None,
        )
        .await;
    assert!(!movies["movies"]["edges"].as_array().unwrap().is_empty());
    let st = app
        .ok(
            "{ showtimes(city: \"Seattle\", first: 1) { id } }",
            json!({}),
            None,
        )
        .await;
    let id = st["showtimes"][0]["id"].clone();
    let map = app.ok("query($id: ID!) { showtime(id: $id) { seatMap { availableCount seats { priceCents } } } }", json!({ "id": id }), None).await;
    let seats = map["showtime"]["seatMap"]["seats"].as_array().unwrap();
    assert!(seats.len() >= 100 && seats.iter().all(|s| s["priceCents"].as_i64().unwrap() > 0));
    // The arena and the stadium: one venue of sections each, with events on sale whose
    // overview has a standing area and reserved sections, every one priced.
    for arena in arenas {
        let places = arena["screens"][0]["seatCount"].as_i64().unwrap();
        assert!(places >= 10_000, "{}: {places}", arena["name"]);
        let shows = app
            .ok(
                "query($t: ID!) { showtimes(theatreId: $t) { event { title } sections { name kind capacity available priceMin priceMax } } }",
                json!({ "t": arena["id"] }),
                None,
            )
            .await;
        let shows = shows["showtimes"].as_array().unwrap();
        assert!(shows.len() >= 2, "{}: {shows:?}", arena["name"]);
        for show in shows {
            assert!(show["event"]["title"].is_string());
            let sections = show["sections"].as_array().unwrap();
            assert!(sections.iter().any(|s| s["kind"] == "GENERAL"));
            assert!(sections.iter().any(|s| s["kind"] == "RESERVED"));
            for s in sections {
                assert_eq!(s["available"], s["capacity"], "{s}");
                assert!(s["priceMin"].as_i64().unwrap() > 0, "{s}");
            }
            // The arena's lower bowl is priced above its upper tier, seat for seat.
            let cheapest = |name: &str| {
                sections
                    .iter()
                    .find(|s| s["name"] == name)
                    .map(|s| s["priceMin"].as_i64().unwrap())
            };
            if let (Some(lower), Some(upper)) = (cheapest("101"), cheapest("201")) {
                assert!(lower > upper, "{lower} <= {upper}");
            }
        }
    }
    // A second start does not seed twice.
    let again =
        marquee_domain::demo::seed_if_empty(&app.services.db, &marquee_domain::clock::SystemClock)
            .await
            .unwrap();
    assert!(again.is_none());
}

#[tokio::test]
async fn metrics_are_served_as_openmetrics_under_its_content_type() {
    let app = spawn_app().await;
    app.ok("{ movies { edges { cursor } } }", json!({}), None)
        .await;
    let resp = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    let content_type = resp.headers()["content-type"].to_str().unwrap().to_owned();
    assert!(
        content_type.starts_with("application/openmetrics-text; version=1.0.0"),
        "{content_type}"
    );
    let text = resp.text().await.unwrap();
    assert_eq!(text.lines().last(), Some("# EOF"));
    // What a parser of the declared format expects: a counter family `x` has samples
    // `x_total` (and `x_created`), never a bare `x`.
    for line in text
        .lines()
        .filter(|l| l.starts_with("# TYPE ") && l.ends_with(" counter"))
    {
        let family = line.split(' ').nth(2).unwrap();
        for sample in text.lines().filter(|l| !l.starts_with('#')) {
            let name = sample.split(['{', ' ']).next().unwrap();
            assert_ne!(name, family, "a bare sample of counter {family}: {sample}");
        }
    }
}

/// Prometheus itself (scripts/test.sh installs it) scrapes the server: it negotiates the
/// OpenMetrics format, parses every family, and stores the counters under their names.
#[tokio::test]
async fn a_real_prometheus_scrapes_the_metrics_without_error() {
    let app = spawn_app().await;
    app.ok("{ movies { edges { cursor } } }", json!({}), None)
        .await;
    let dir = tempfile::tempdir().unwrap();
    let target = app.address.trim_start_matches("http://");
    let config = dir.path().join("prometheus.yml");
    std::fs::write(
        &config,
        format!(
            "global: {{ scrape_interval: 1s, scrape_timeout: 1s }}\n\
             scrape_configs:\n  - job_name: marquee\n    static_configs:\n      - targets: ['{target}']\n"
        ),
    )
    .unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut prometheus = tokio::process::Command::new("prometheus")
        .arg(format!("--config.file={}", config.display()))
        .arg(format!(
            "--storage.tsdb.path={}",
            dir.path().join("data").display()
        ))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("prometheus on PATH (scripts/test.sh installs it)");
    let api = format!("http://127.0.0.1:{port}/api/v1");
    let mut target_state = Value::Null;
    for _ in 0..300 {
        if let Ok(resp) = app.client.get(format!("{api}/targets")).send().await
            && let Ok(body) = resp.json::<Value>().await
        {
            target_state = body["data"]["activeTargets"][0].clone();
            if target_state["health"] == "up" {
                break;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(target_state["health"], "up", "{target_state}");
    assert_eq!(target_state["lastError"], "", "{target_state}");
    // The counter is stored as a counter family with its samples.
    let query = format!("{api}/query?query=marquee_http_requests_total");
    let found: Value = app
        .client
        .get(query)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        !found["data"]["result"].as_array().unwrap().is_empty(),
        "{found}"
    );
    let meta: Value = app
        .client
        .get(format!(
            "{api}/targets/metadata?metric=marquee_http_requests"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(meta["data"][0]["type"], "counter", "{meta}");
    prometheus.kill().await.ok();
}
