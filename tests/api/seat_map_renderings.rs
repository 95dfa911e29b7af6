//! Seat lists rendered once per edition of their map: shared by every reader of that
//! edition, made again after any change, and never standing in for another selection.

use serde_json::{Value, json};

use crate::helpers::*;

const SEAT_MAP: &str =
    "query($s: ID!) { showtime(id: $s) { seatMap { seats { id status priceCents } } } }";
const HOLD: &str =
    "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }";
const RENDERS: &str = "marquee_seat_map_renders_total ";
const REUSES: &str = "marquee_seat_map_reuses_total ";

fn seats(data: &Value) -> Vec<Value> {
    data["showtime"]["seatMap"]["seats"]
        .as_array()
        .unwrap()
        .clone()
}

fn with_status(seats: &[Value], status: &str) -> usize {
    seats.iter().filter(|s| s["status"] == status).count()
}

#[tokio::test]
async fn readers_of_one_edition_share_one_rendering_and_every_change_makes_a_new_one() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let ids = seat_ids(&app, &showtime).await;
    let renders = app.metric(RENDERS).await;
    let reuses = app.metric(REUSES).await;

    let maps: Vec<Vec<Value>> = app
        .at_once(24, SEAT_MAP, json!({ "s": showtime }))
        .await
        .iter()
        .map(seats)
        .collect();
    assert!(maps.iter().all(|m| m == &maps[0]));
    assert_eq!(maps[0].len(), ids.len());
    assert_eq!(with_status(&maps[0], "AVAILABLE"), ids.len());
    assert_eq!(app.metric(RENDERS).await - renders, 1.0);
    assert_eq!(app.metric(REUSES).await - reuses, 23.0);

    // A hold is a new edition: the next reader sees it.
    let buyer = app.customer("renderings@example.com").await;
    app.ok(
        HOLD,
        json!({ "s": showtime, "seats": [ids[0], ids[1]] }),
        Some(&buyer),
    )
    .await;
    let held = seats(&app.ok(SEAT_MAP, json!({ "s": showtime }), None).await);
    assert_eq!(with_status(&held, "HELD"), 2);
    assert_eq!(app.metric(RENDERS).await - renders, 2.0);

    // So is a price change, and a hold lapsing with no write at all.
    app.ok(
        "mutation($s: ID!) { setPrices(showtimeId: $s, prices: [{ category: STANDARD, priceCents: 4321 }]) { priceCents } }",
        json!({ "s": showtime }),
        Some(&app.admin().await),
    )
    .await;
    let repriced = seats(&app.ok(SEAT_MAP, json!({ "s": showtime }), None).await);
    assert!(repriced.iter().any(|s| s["priceCents"] == 4321));
    app.clock.advance(chrono::Duration::minutes(11));
    let lapsed = seats(&app.ok(SEAT_MAP, json!({ "s": showtime }), None).await);
    assert_eq!(with_status(&lapsed, "HELD"), 0);
    assert_eq!(with_status(&lapsed, "AVAILABLE"), ids.len());
    assert_eq!(app.metric(RENDERS).await - renders, 4.0);
}

#[tokio::test]
async fn each_selection_of_a_seat_list_gets_its_own_fields_under_its_own_names() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let plain = seats(&app.ok(SEAT_MAP, json!({ "s": showtime }), None).await);

    let aliased = seats(
        &app.ok(
            "query($s: ID!) { showtime(id: $s) { seatMap { seats { seat: id state: status } } } }",
            json!({ "s": showtime }),
            None,
        )
        .await,
    );
    let renamed: Vec<Value> = plain
        .iter()
        .map(|s| json!({ "seat": s["id"], "state": s["status"] }))
        .collect();
    assert_eq!(aliased, renamed);

    let fragment = seats(
        &app.ok(
            "query($s: ID!) { showtime(id: $s) { seatMap { seats { ...S } } } } fragment S on ShowSeat { id status priceCents }",
            json!({ "s": showtime }),
            None,
        )
        .await,
    );
    assert_eq!(fragment, plain);

    let skipped = "query($s: ID!, $p: Boolean!) { showtime(id: $s) { seatMap { seats { id status priceCents @include(if: $p) } } } }";
    for with_price in [false, true, false] {
        let got = seats(
            &app.ok(skipped, json!({ "s": showtime, "p": with_price }), None)
                .await,
        );
        assert_eq!(got.len(), plain.len());
        assert!(
            got.iter()
                .all(|s| s.get("priceCents").is_some() == with_price)
        );
    }
}

/// Over HTTP a seat list is written into the response as JSON made once per edition; every
/// way of asking over HTTP must read exactly as the list resolved field by field.
#[tokio::test]
async fn a_seat_list_written_once_reads_as_resolved_in_batches_aliases_gets_and_beside_errors() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let by_field = seats(
        &app.ok(
            "query($s: ID!) { showtime(id: $s) { seatMap { seats { ...S } } } } fragment S on ShowSeat { id status priceCents }",
            json!({ "s": showtime }),
            None,
        )
        .await,
    );
    assert!(!by_field.is_empty());
    let vars = json!({ "s": showtime });
    let url = format!("{}/graphql", app.address);
    let text = |resp: reqwest::Response| async move {
        assert!(resp.status().is_success());
        let body = resp.text().await.unwrap();
        assert!(!body.contains("@part-"), "a placeholder leaked: {body}");
        serde_json::from_str::<Value>(&body).unwrap()
    };

    let twice = "query($s: ID!) { showtime(id: $s) { seatMap { a: seats { id status priceCents } b: seats { id status priceCents } } } }";
    let batch = text(
        app.client
            .post(&url)
            .json(&json!([
                { "query": twice, "variables": vars },
                { "query": SEAT_MAP, "variables": vars },
            ]))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let map = &batch[0]["data"]["showtime"]["seatMap"];
    assert_eq!(map["a"].as_array().unwrap(), &by_field);
    assert_eq!(map["b"].as_array().unwrap(), &by_field);
    assert_eq!(seats(&batch[1]["data"]), by_field);

    let got = text(
        app.client
            .get(&url)
            .query(&[("query", SEAT_MAP), ("variables", &vars.to_string())])
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(seats(&got["data"]), by_field);

    let beside_error = "query($s: ID!) { showtime(id: $s) { seatMap { seats { id status priceCents } } } other: showtime(id: \"not-an-id\") { id } }";
    let got = text(
        app.client
            .post(&url)
            .header("accept", "application/graphql-response+json")
            .json(&json!({ "query": beside_error, "variables": vars }))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(code(&got), "BAD_USER_INPUT");
    assert_eq!(seats(&got["data"]), by_field);
}
