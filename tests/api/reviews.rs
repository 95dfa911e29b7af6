//! Ratings and reviews: one per user and movie, verified for ticket holders, and a movie
//! rating that stays exact under concurrent writes.

use serde_json::{Value, json};

use crate::helpers::*;

const ADD: &str = "mutation($m: ID!, $r: Int!, $b: String) { addReview(movieId: $m, rating: $r, body: $b) { id rating body verified authorName } }";
const UPDATE: &str = "mutation($id: ID!, $r: Int, $b: String) { updateReview(id: $id, rating: $r, body: $b) { id rating body } }";
const DELETE: &str = "mutation($id: ID!) { deleteReview(id: $id) }";
const HIDE: &str =
    "mutation($id: ID!, $h: Boolean!) { hideReview(id: $id, hidden: $h) { id hidden } }";
const MOVIE: &str = "query($m: ID!, $v: Boolean) { movie(id: $m) { rating { average count histogram } reviews(first: 100, verifiedOnly: $v) { edges { node { id rating verified authorName } } } } }";

async fn movie(app: &TestApp, id: &str, verified_only: bool) -> Value {
    app.ok(MOVIE, json!({ "m": id, "v": verified_only }), None)
        .await["movie"]
        .clone()
}

fn reviews(m: &Value) -> Vec<Value> {
    m["reviews"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

/// The rating the listed reviews add up to: (count, histogram, total).
fn tally(listed: &[Value]) -> (i64, Vec<i64>, i64) {
    let mut histogram = vec![0; 5];
    let mut total = 0;
    for r in listed {
        let stars = r["rating"].as_i64().unwrap();
        histogram[(stars - 1) as usize] += 1;
        total += stars;
    }
    (listed.len() as i64, histogram, total)
}

fn assert_consistent(m: &Value) {
    let (count, histogram, total) = tally(&reviews(m));
    assert_eq!(m["rating"]["count"], count, "{m}");
    assert_eq!(m["rating"]["histogram"], json!(histogram), "{m}");
    let average = m["rating"]["average"].as_f64().unwrap();
    let expected = if count > 0 {
        total as f64 / count as f64
    } else {
        0.0
    };
    assert!((average - expected).abs() < 1e-9, "{average} != {expected}");
}

#[tokio::test]
async fn one_review_per_user_and_movie_verified_for_ticket_holders() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let showtime = app.showtime_at(&f, 30).await;
    let seats = seat_ids(&app, &showtime).await;

    let critic = app.customer("critic@example.com").await;
    let first = app
        .ok(
            ADD,
            json!({ "m": f.movie_id, "r": 4, "b": "  Gripping.  " }),
            Some(&critic),
        )
        .await;
    assert_eq!(first["addReview"]["verified"], false);
    assert_eq!(first["addReview"]["body"], "Gripping.");
    assert_eq!(first["addReview"]["authorName"], "Test Buyer");
    let again = app
        .gql(ADD, json!({ "m": f.movie_id, "r": 1 }), Some(&critic))
        .await;
    assert_eq!(code(&again), "CONFLICT");

    // A ticket holder's review is verified.
    let fan = app.customer("fan@example.com").await;
    let held = app
        .ok(
            "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }",
            json!({ "s": showtime, "seats": [seats[0]] }),
            Some(&fan),
        )
        .await;
    app.ok(
        "mutation($b: ID!) { checkout(bookingId: $b, input: { paymentMethod: \"pm_card_visa\" }) { status } }",
        json!({ "b": held["holdSeats"]["id"] }),
        Some(&fan),
    )
    .await;
    let verified = app
        .ok(ADD, json!({ "m": f.movie_id, "r": 5 }), Some(&fan))
        .await;
    assert_eq!(verified["addReview"]["verified"], true);

    let m = movie(&app, &f.movie_id, false).await;
    assert_eq!(m["rating"]["count"], 2);
    assert_eq!(m["rating"]["histogram"], json!([0, 0, 0, 1, 1]));
    assert_eq!(m["rating"]["average"], 4.5);
    assert_consistent(&m);
    let only = reviews(&movie(&app, &f.movie_id, true).await);
    assert_eq!(only.len(), 1);
    assert_eq!(only[0]["rating"], 5);

    // The author changes it; the rating follows.
    let id = first["addReview"]["id"].clone();
    let changed = app
        .ok(UPDATE, json!({ "id": id, "r": 2 }), Some(&critic))
        .await;
    assert_eq!(changed["updateReview"]["body"], "Gripping.");
    let m = movie(&app, &f.movie_id, false).await;
    assert_eq!(m["rating"]["histogram"], json!([0, 1, 0, 0, 1]));
    assert_consistent(&m);

    // An admin hides it: gone from the list and from the rating; shown again, it counts again.
    let admin = app.admin().await;
    app.ok(HIDE, json!({ "id": id, "h": true }), Some(&admin))
        .await;
    let m = movie(&app, &f.movie_id, false).await;
    assert_eq!(m["rating"]["count"], 1);
    assert_consistent(&m);
    let body = app
        .gql(HIDE, json!({ "id": id, "h": false }), Some(&critic))
        .await;
    assert_eq!(code(&body), "FORBIDDEN");
    app.ok(HIDE, json!({ "id": id, "h": false }), Some(&admin))
        .await;
    assert_eq!(movie(&app, &f.movie_id, false).await["rating"]["count"], 2);

    // Deleted by its author; a new review is then allowed.
    assert_eq!(
        app.ok(DELETE, json!({ "id": id }), Some(&critic)).await["deleteReview"],
        true
    );
    app.ok(ADD, json!({ "m": f.movie_id, "r": 3 }), Some(&critic))
        .await;
    assert_consistent(&movie(&app, &f.movie_id, false).await);
}

#[tokio::test]
async fn bad_review_requests_get_a_coded_error_and_change_nothing() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let author = app.customer("author@example.com").await;
    let mine = app
        .ok(ADD, json!({ "m": f.movie_id, "r": 3 }), Some(&author))
        .await["addReview"]["id"]
        .clone();
    let other = app.customer("other@example.com").await;
    let long = "x".repeat(4_001);
    for (query, vars, token, want, field) in [
        (
            ADD,
            json!({ "m": f.movie_id, "r": 0 }),
            &other,
            "BAD_USER_INPUT",
            Some("rating"),
        ),
        (
            ADD,
            json!({ "m": f.movie_id, "r": 6 }),
            &other,
            "BAD_USER_INPUT",
            Some("rating"),
        ),
        (
            ADD,
            json!({ "m": f.movie_id, "r": 3, "b": long }),
            &other,
            "BAD_USER_INPUT",
            Some("body"),
        ),
        (
            ADD,
            json!({ "m": "nope", "r": 3 }),
            &other,
            "BAD_USER_INPUT",
            Some("movieId"),
        ),
        (
            ADD,
            json!({ "m": uuid::Uuid::new_v4(), "r": 3 }),
            &other,
            "NOT_FOUND",
            None,
        ),
        (
            UPDATE,
            json!({ "id": mine, "r": 1 }),
            &other,
            "NOT_FOUND",
            None,
        ),
        (
            UPDATE,
            json!({ "id": mine, "r": 9 }),
            &author,
            "BAD_USER_INPUT",
            Some("rating"),
        ),
        (DELETE, json!({ "id": mine }), &other, "NOT_FOUND", None),
        (
            DELETE,
            json!({ "id": "nope" }),
            &author,
            "BAD_USER_INPUT",
            Some("id"),
        ),
    ] {
        let body = app.gql(query, vars.clone(), Some(token)).await;
        assert_eq!(code(&body), want, "{vars}: {body}");
        if let Some(field) = field {
            assert_eq!(body["errors"][0]["extensions"]["field"], field, "{body}");
        }
    }
    let body = app.gql(ADD, json!({ "m": f.movie_id, "r": 3 }), None).await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
    let m = movie(&app, &f.movie_id, false).await;
    assert_eq!(m["rating"]["histogram"], json!([0, 0, 1, 0, 0]));
    assert_eq!(reviews(&m).len(), 1);
}

#[tokio::test]
async fn the_rating_is_exact_after_concurrent_adds_updates_and_deletes() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let tokens = futures_util::future::join_all((0..30).map(|i| {
        let app = &app;
        async move { app.customer(&format!("rater{i}@example.com")).await }
    }))
    .await;
    let added = futures_util::future::join_all(tokens.iter().enumerate().map(|(i, t)| {
        let (app, movie) = (&app, f.movie_id.clone());
        async move {
            app.ok(ADD, json!({ "m": movie, "r": (i % 5) + 1 }), Some(t))
                .await["addReview"]["id"]
                .clone()
        }
    }))
    .await;
    assert_consistent(&movie(&app, &f.movie_id, false).await);

    // Ten delete, ten change their rating, and everyone tries to add a second review, at once.
    let deletes = (0..10).map(|i| {
        let (app, id, t) = (&app, added[i].clone(), &tokens[i]);
        async move {
            app.ok(DELETE, json!({ "id": id }), Some(t)).await;
        }
    });
    let updates = (10..20).map(|i| {
        let (app, id, t) = (&app, added[i].clone(), &tokens[i]);
        async move {
            app.ok(UPDATE, json!({ "id": id, "r": 5 - (i % 5) }), Some(t))
                .await;
        }
    });
    let seconds = (20..30).map(|i| {
        let (app, movie, t) = (&app, f.movie_id.clone(), &tokens[i]);
        async move {
            let body = app.gql(ADD, json!({ "m": movie, "r": 1 }), Some(t)).await;
            assert_eq!(code(&body), "CONFLICT");
        }
    });
    futures_util::future::join3(
        futures_util::future::join_all(deletes),
        futures_util::future::join_all(updates),
        futures_util::future::join_all(seconds),
    )
    .await;
    let m = movie(&app, &f.movie_id, false).await;
    assert_eq!(m["rating"]["count"], 20);
    assert_consistent(&m);
}

#[tokio::test]
async fn a_reader_is_told_which_review_is_their_own_from_any_device() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let critic = app.customer("critic@example.com").await;
    let other = app.customer("other@example.com").await;
    app.ok(ADD, json!({ "m": f.movie_id, "r": 4 }), Some(&critic))
        .await;
    app.ok(ADD, json!({ "m": f.movie_id, "r": 2 }), Some(&other))
        .await;
    const MINE: &str =
        "query($m: ID!) { movie(id: $m) { reviews(first: 10) { nodes { rating mine } } } }";
    let mine_of = |body: Value| -> Vec<(i64, bool)> {
        let mut found: Vec<(i64, bool)> = body["movie"]["reviews"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| (n["rating"].as_i64().unwrap(), n["mine"].as_bool().unwrap()))
            .collect();
        found.sort();
        found
    };

    // The critic signs in again (another device): a token of its own, the same account.
    let critic_elsewhere = app
        .ok(
            "mutation { logIn(email: \"critic@example.com\", password: \"correct horse\") { token } }",
            json!({}),
            None,
        )
        .await["logIn"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let seen = mine_of(
        app.ok(MINE, json!({ "m": f.movie_id }), Some(&critic_elsewhere))
            .await,
    );
    assert_eq!(seen, vec![(2, false), (4, true)]);
    let seen = mine_of(app.ok(MINE, json!({ "m": f.movie_id }), Some(&other)).await);
    assert_eq!(seen, vec![(2, true), (4, false)]);
    let seen = mine_of(app.ok(MINE, json!({ "m": f.movie_id }), None).await);
    assert_eq!(seen, vec![(2, false), (4, false)]);

    // Their own review by movie, hidden by an admin or not (it is still theirs to change).
    const MY: &str = "query($m: ID!) { movie(id: $m) { myReview { rating hidden mine } } }";
    let my = app
        .ok(MY, json!({ "m": f.movie_id }), Some(&critic_elsewhere))
        .await;
    assert_eq!(
        my["movie"]["myReview"],
        json!({ "rating": 4, "hidden": false, "mine": true })
    );
    let id = app
        .ok(
            MINE.replace("rating mine", "id rating").as_str(),
            json!({ "m": f.movie_id }),
            None,
        )
        .await["movie"]["reviews"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["rating"] == 4)
        .unwrap()["id"]
        .clone();
    let admin = app.admin().await;
    app.ok(HIDE, json!({ "id": id, "h": true }), Some(&admin))
        .await;
    let my = app.ok(MY, json!({ "m": f.movie_id }), Some(&critic)).await;
    assert_eq!(
        my["movie"]["myReview"],
        json!({ "rating": 4, "hidden": true, "mine": true })
    );
    assert_eq!(
        app.ok(MY, json!({ "m": f.movie_id }), None).await["movie"]["myReview"],
        Value::Null
    );
    let fresh = app.customer("fresh@example.com").await;
    assert_eq!(
        app.ok(MY, json!({ "m": f.movie_id }), Some(&fresh)).await["movie"]["myReview"],
        Value::Null
    );

    // A token that no longer works reads the reviews as anyone would (its own listed, not
    // marked; the hidden one not listed).
    app.ok("mutation { logOut }", json!({}), Some(&other)).await;
    let seen = mine_of(app.ok(MINE, json!({ "m": f.movie_id }), Some(&other)).await);
    assert_eq!(seen, vec![(2, false)]);
    assert_eq!(
        app.ok(MY, json!({ "m": f.movie_id }), Some(&other)).await["movie"]["myReview"],
        Value::Null
    );
}
