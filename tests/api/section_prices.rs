//! Prices per section: a section's price of a category replaces the showtime's for its
//! seats and places only, in the seat map, the overview and the holds; holds keep what they
//! were priced at; only the showtime's managers may set them, and bad input is refused.

use serde_json::{Value, json};

use crate::analytics_support::{member, organisation_owning};
use crate::helpers::*;
use crate::venue_sections::{overview, section_seats, venue};

const SET: &str = "mutation($s: ID!, $sec: ID!, $p: [PriceInput!]!) { setSectionPrices(showtimeId: $s, sectionId: $sec, prices: $p) { category priceCents } }";
const HOLD: &str = "mutation($s: ID!, $seats: [ID!]!, $places: [GeneralAdmissionInput!]!) { holdSeats(showtimeId: $s, seatIds: $seats, places: $places) { id seats { section priceCents } places { section quantity priceCents } } }";
const BOOKING: &str =
    "query($b: ID!) { booking(id: $b) { seats { priceCents } places { priceCents } } }";

/// Reserved 101 (standard and premium rows), reserved 102, and a standing pit.
fn bowl() -> Value {
    json!({ "sections": [
        { "name": "101", "rows": [ { "label": "A", "seats": "SSSS" }, { "label": "B", "seats": "PPPP" } ] },
        { "name": "102", "rows": [ { "label": "A", "seats": "SSS" } ] },
        { "name": "Pit", "kind": "GENERAL", "capacity": 10, "category": "STANDARD" }
    ] })
}

fn find<'a>(sections: &'a [Value], name: &str) -> &'a Value {
    sections.iter().find(|s| s["name"] == name).unwrap()
}

fn prices_by_category(seats: &[Value]) -> Vec<(String, i64)> {
    let mut out: Vec<(String, i64)> = seats
        .iter()
        .map(|s| {
            (
                s["category"].as_str().unwrap().to_owned(),
                s["priceCents"].as_i64().unwrap(),
            )
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

#[tokio::test]
async fn a_sections_prices_replace_the_showtimes_for_its_places_only_and_holds_keep_theirs() {
    let app = spawn_app().await;
    let (admin, _, showtime) = venue(&app, bowl()).await;
    let sections = overview(&app, &showtime).await;
    let (s101, s102, pit) = (
        find(&sections, "101")["id"].clone(),
        find(&sections, "102")["id"].clone(),
        find(&sections, "Pit")["id"].clone(),
    );
    let set = app
        .ok(
            SET,
            json!({ "s": showtime, "sec": s101, "p": [{ "category": "STANDARD", "priceCents": 5000 }] }),
            Some(&admin),
        )
        .await;
    assert_eq!(
        set["setSectionPrices"],
        json!([{ "category": "STANDARD", "priceCents": 5000 }])
    );
    app.ok(
        SET,
        json!({ "s": showtime, "sec": pit, "p": [{ "category": "STANDARD", "priceCents": 3000 }] }),
        Some(&admin),
    )
    .await;

    // 101's standard seats cost its price, its premium ones the showtime's; 102 is untouched.
    let seats_101 = section_seats(&app, &showtime, s101.as_str().unwrap()).await;
    assert_eq!(
        prices_by_category(&seats_101),
        [("PREMIUM".into(), 1800), ("STANDARD".into(), 5000)]
    );
    let seats_102 = section_seats(&app, &showtime, s102.as_str().unwrap()).await;
    assert_eq!(prices_by_category(&seats_102), [("STANDARD".into(), 1200)]);
    let sections = overview(&app, &showtime).await;
    let range = |name: &str| {
        let s = find(&sections, name);
        (
            s["priceMin"].as_i64().unwrap(),
            s["priceMax"].as_i64().unwrap(),
        )
    };
    assert_eq!(range("101"), (1800, 5000));
    assert_eq!(range("102"), (1200, 1200));
    assert_eq!(range("Pit"), (3000, 3000));

    // A hold is priced by section: a standard seat of 101, one of 102, two places of the pit.
    let standard_101 = seats_101
        .iter()
        .find(|s| s["category"] == "STANDARD")
        .unwrap()["id"]
        .clone();
    let buyer = app.customer("lower-bowl@marquee.test").await;
    let held = app
        .ok(
            HOLD,
            json!({ "s": showtime, "seats": [standard_101, seats_102[0]["id"]], "places": [{ "sectionId": pit, "quantity": 2 }] }),
            Some(&buyer),
        )
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap().to_owned();
    let mut seat_prices: Vec<i64> = held["holdSeats"]["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["priceCents"].as_i64().unwrap())
        .collect();
    seat_prices.sort_unstable();
    assert_eq!(seat_prices, [1200, 5000]);
    assert_eq!(held["holdSeats"]["places"][0]["priceCents"], 3000);
    let stored = sql_texts(
        &app,
        "SELECT CAST(SUM(price_cents) AS BIGINT) FROM booking_seats WHERE booking_id = $1",
        [uuid(&booking)],
    )
    .await;
    assert_eq!(stored, ["6200"]);

    // Giving 101 the showtime's prices back changes the map, not the hold.
    let cleared = app
        .ok(
            SET,
            json!({ "s": showtime, "sec": s101, "p": [] }),
            Some(&admin),
        )
        .await;
    assert_eq!(cleared["setSectionPrices"], json!([]));
    let seats_101 = section_seats(&app, &showtime, s101.as_str().unwrap()).await;
    assert_eq!(
        prices_by_category(&seats_101),
        [("PREMIUM".into(), 1800), ("STANDARD".into(), 1200)]
    );
    let kept = app.ok(BOOKING, json!({ "b": booking }), Some(&buyer)).await;
    let mut kept_prices: Vec<i64> = kept["booking"]["seats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["priceCents"].as_i64().unwrap())
        .collect();
    kept_prices.sort_unstable();
    assert_eq!(kept_prices, [1200, 5000]);
    assert_eq!(kept["booking"]["places"][0]["priceCents"], 3000);
    let audited = sql_texts(
        &app,
        "SELECT action FROM audit_log WHERE action = 'showtime.set_section_prices'",
        [],
    )
    .await;
    assert_eq!(audited.len(), 3);
}

#[tokio::test]
async fn section_prices_are_set_only_by_the_showtimes_managers_and_bad_input_is_refused() {
    let app = spawn_app().await;
    let (_, _, showtime) = venue(&app, bowl()).await;
    let s101 = find(&overview(&app, &showtime).await, "101")["id"].clone();
    let theatre = app
        .ok(
            "query($s: ID!) { showtime(id: $s) { theatre { id } } }",
            json!({ "s": showtime }),
            None,
        )
        .await["showtime"]["theatre"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let org = organisation_owning(&app, "Bowl Promotions", &theatre).await;
    let manager = member(&app, &org, "manager@bowl.example", "manager").await;
    // The platform admin signs in again for the second venue: its token is the one to use.
    let (admin, _, other_show) = venue(&app, bowl()).await;
    let other_theatre = app
        .ok(
            "query($s: ID!) { showtime(id: $s) { theatre { id } } }",
            json!({ "s": other_show }),
            None,
        )
        .await["showtime"]["theatre"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let rival_org = organisation_owning(&app, "Rival Promotions", &other_theatre).await;
    let rival = member(&app, &rival_org, "manager@rival.example", "manager").await;
    let buyer = app.customer("not-staff@marquee.test").await;
    let price = |cents: i64| json!([{ "category": "STANDARD", "priceCents": cents }]);

    let ok = app
        .ok(
            SET,
            json!({ "s": showtime, "sec": s101, "p": price(4000) }),
            Some(&manager),
        )
        .await;
    assert_eq!(ok["setSectionPrices"][0]["priceCents"], 4000);
    for (who, expected) in [(&rival, "FORBIDDEN"), (&buyer, "FORBIDDEN")] {
        let refused = app
            .gql(
                SET,
                json!({ "s": showtime, "sec": s101, "p": price(1) }),
                Some(who),
            )
            .await;
        assert_eq!(code(&refused), expected, "{refused}");
    }
    let foreign = find(&overview(&app, &other_show).await, "101")["id"].clone();
    let cases = [
        (
            json!({ "s": showtime, "sec": foreign, "p": price(1) }),
            "NOT_FOUND",
        ),
        (
            json!({ "s": showtime, "sec": "nope", "p": price(1) }),
            "BAD_USER_INPUT",
        ),
        (
            json!({ "s": showtime, "sec": s101, "p": price(-5) }),
            "BAD_USER_INPUT",
        ),
        (
            json!({ "s": showtime, "sec": s101, "p": [
                { "category": "STANDARD", "priceCents": 1 }, { "category": "STANDARD", "priceCents": 2 }
            ] }),
            "BAD_USER_INPUT",
        ),
    ];
    for (vars, expected) in cases {
        let refused = app.gql(SET, vars.clone(), Some(&admin)).await;
        assert_eq!(code(&refused), expected, "{vars}: {refused}");
    }
    // Nothing refused changed the price set first.
    let seats = section_seats(&app, &showtime, s101.as_str().unwrap()).await;
    assert!(
        seats
            .iter()
            .filter(|s| s["category"] == "STANDARD")
            .all(|s| s["priceCents"] == 4000)
    );
}
