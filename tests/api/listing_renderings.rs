//! Showtime lists rendered once per catalog generation: shared by every reader until a
//! change of a title, theatre, showtime or price, or until the first showtime in the list
//! starts; never standing in for a selection with live or personal fields.

use serde_json::{Value, json};

use crate::helpers::*;

const LIST: &str = "query($c: String!) { showtimes(city: $c, first: 5) { id startsAt status movie { id title } theatre { name city } prices { category priceCents } } }";
const RENDERS: &str = "marquee_listing_renders_total ";
const REUSES: &str = "marquee_listing_reuses_total ";

fn ids(data: &Value) -> Vec<String> {
    data["showtimes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

fn standard_price(data: &Value, showtime: &str) -> i64 {
    let show = data["showtimes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == showtime)
        .unwrap();
    show["prices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["category"] == "STANDARD")
        .unwrap()["priceCents"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn a_city_listing_is_rendered_once_per_catalog_change_and_loses_a_showtime_once_it_starts() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let soon = app.showtime_at(&f, 2).await;
    let later = app.showtime_at(&f, 30).await;
    let vars = json!({ "c": "Chicago" });
    let renders = app.metric(RENDERS).await;
    let reuses = app.metric(REUSES).await;

    let lists = app.at_once(16, LIST, vars.clone()).await;
    assert!(lists.iter().all(|l| l == &lists[0]));
    assert_eq!(ids(&lists[0]), [soon.clone(), later.clone()]);
    assert_eq!(
        lists[0]["showtimes"][0]["movie"]["title"],
        "The Last Horizon"
    );
    assert_eq!(app.metric(RENDERS).await - renders, 1.0);
    assert_eq!(app.metric(REUSES).await - reuses, 15.0);

    // A price change is a catalog change: the next reader sees it.
    app.ok(
        "mutation($s: ID!) { setPrices(showtimeId: $s, prices: [{ category: STANDARD, priceCents: 4321 }]) { priceCents } }",
        json!({ "s": later }),
        Some(&f.admin),
    )
    .await;
    let repriced = app.ok(LIST, vars.clone(), None).await;
    assert_eq!(standard_price(&repriced, &later), 4321);
    assert_ne!(standard_price(&repriced, &soon), 4321);

    // So is a title's new name.
    app.ok(
        "mutation($id: ID!) { updateMovie(id: $id, input: { title: \"Horizon Redux\" }) { id } }",
        json!({ "id": f.movie_id }),
        Some(&f.admin),
    )
    .await;
    let renamed = app.ok(LIST, vars.clone(), None).await;
    assert_eq!(renamed["showtimes"][1]["movie"]["title"], "Horizon Redux");
    assert_eq!(app.metric(RENDERS).await - renders, 3.0);

    // With no change at all, a showtime that has started leaves the list.
    app.clock.advance(chrono::Duration::hours(3));
    let started = app.ok(LIST, vars.clone(), None).await;
    assert_eq!(ids(&started), std::slice::from_ref(&later));
    assert_eq!(app.metric(RENDERS).await - renders, 4.0);

    // A cancelled showtime leaves it too.
    app.ok(
        "mutation($id: ID!) { cancelShowtime(id: $id) { id } }",
        json!({ "id": later }),
        Some(&f.admin),
    )
    .await;
    assert!(ids(&app.ok(LIST, vars, None).await).is_empty());
}

#[tokio::test]
async fn a_listing_with_live_or_differently_shaped_fields_is_not_answered_from_another_rendering() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let show = app.showtime_at(&f, 30).await;
    let vars = json!({ "c": "Chicago" });
    let plain = app.ok(LIST, vars.clone(), None).await;
    let renders = app.metric(RENDERS).await;

    // Live seats are read for each request, whatever was rendered before.
    let live =
        "query($c: String!) { showtimes(city: $c, first: 5) { id seatMap { availableCount } } }";
    let before = app.ok(live, vars.clone(), None).await;
    let ids_before = seat_ids(&app, &show).await;
    assert_eq!(
        before["showtimes"][0]["seatMap"]["availableCount"],
        ids_before.len()
    );
    let buyer = app.customer("listing-live@example.com").await;
    app.ok(
        "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }",
        json!({ "s": show, "seats": [ids_before[0]] }),
        Some(&buyer),
    )
    .await;
    let after = app.ok(live, vars.clone(), None).await;
    assert_eq!(
        after["showtimes"][0]["seatMap"]["availableCount"],
        ids_before.len() - 1
    );

    // Other names and other fields get their own rendering; fragments are resolved as usual.
    let aliased = app
        .ok(
            "query($c: String!) { showtimes(city: $c, first: 5) { show: id theatre { town: city } } }",
            vars.clone(),
            None,
        )
        .await;
    assert_eq!(aliased["showtimes"][0]["show"], plain["showtimes"][0]["id"]);
    assert_eq!(aliased["showtimes"][0]["theatre"]["town"], "Chicago");
    assert!(aliased["showtimes"][0].get("startsAt").is_none());
    let fragment = app
        .ok(
            "query($c: String!) { showtimes(city: $c, first: 5) { ...S } } fragment S on Showtime { id startsAt status movie { id title } theatre { name city } prices { category priceCents } }",
            vars.clone(),
            None,
        )
        .await;
    assert_eq!(fragment, plain);
    // The aliased list was rendered; the live one and the fragment were not kept.
    assert_eq!(app.metric(RENDERS).await - renders, 1.0);

    // Another city and another page size are other lists.
    assert!(ids(&app.ok(LIST, json!({ "c": "Springfield" }), None).await).is_empty());
    let one = app
        .ok(
            "query($c: String!) { showtimes(city: $c, first: 1) { id } }",
            vars,
            None,
        )
        .await;
    assert_eq!(ids(&one), [show]);
}

#[tokio::test]
async fn bad_listing_arguments_get_coded_errors_and_a_good_listing_after_them_is_whole() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let show = app.showtime_at(&f, 30).await;
    for (query, field) in [
        ("{ showtimes(city: \"Chicago\", first: 0) { id } }", "first"),
        (
            "{ showtimes(city: \"Chicago\", first: 501) { id } }",
            "first",
        ),
        (
            "{ showtimes(city: \"Chicago\", from: \"2030-01-02T00:00:00Z\", to: \"2030-01-01T00:00:00Z\") { id } }",
            "to",
        ),
        (
            "{ showtimes(theatreId: \"not-an-id\") { id } }",
            "theatreId",
        ),
    ] {
        let body = app.gql(query, json!({}), None).await;
        assert_eq!(code(&body), "BAD_USER_INPUT", "{query}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
    }
    let good = app.ok(LIST, json!({ "c": "Chicago" }), None).await;
    assert_eq!(ids(&good), [show]);
}
