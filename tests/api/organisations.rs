//! Organisations: each manager sees and changes only their own organisation's catalog,
//! support agents read but do not change it, the platform's movies stay the platform's,
//! every staff change is in the audit log, and staff join by an emailed invitation.

use secrecy::SecretString;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::mail::smtp_url;
use crate::org_staff::*;

const UPDATE_THEATRE: &str =
    "mutation($id: ID!, $i: UpdateTheatreInput!) { updateTheatre(id: $id, input: $i) { id name } }";
const DELETE_THEATRE: &str = "mutation($id: ID!) { deleteTheatre(id: $id) }";
const CREATE_EVENT: &str =
    "mutation($i: CreateEventInput!) { createEvent(input: $i) { id organisationId } }";
const UPDATE_EVENT: &str =
    "mutation($id: ID!, $i: UpdateEventInput!) { updateEvent(id: $id, input: $i) { id } }";
const DELETE_EVENT: &str = "mutation($id: ID!) { deleteEvent(id: $id) }";
const UPDATE_SHOWTIME: &str =
    "mutation($id: ID!, $i: UpdateShowtimeInput!) { updateShowtime(id: $id, input: $i) { id } }";
const CANCEL_SHOWTIME: &str = "mutation($id: ID!) { cancelShowtime(id: $id) { id status } }";
const SET_PRICES: &str = "mutation($s: ID!, $p: [PriceInput!]!) { setPrices(showtimeId: $s, prices: $p) { category priceCents } }";
const PROMOTION: &str =
    "mutation($i: CreatePromotionInput!) { createPromotion(input: $i) { id code organisationId } }";
const PROMOTIONS: &str = "{ promotions(first: 100) { edges { node { code organisationId } } } }";
const SEAT_AUDIT: &str =
    "query($s: ID!) { showtimeSeatAudit(showtimeId: $s) { seats consistent } }";
const BOOKINGS_AT: &str =
    "query($t: ID!) { showtimes(theatreId: $t) { id bookings { confirmed held } } }";
const MEMBERS: &str = "query($o: ID!) { organisation(id: $o) { id members { email role refundLimitCents } invitations { email } } }";
const AUDIT: &str = "query($o: ID!) { organisation(id: $o) { auditLog(first: 100) { edges { node { action subjectType subjectId actorName before after } } } } }";
const UPDATE_MEMBER: &str = "mutation($o: ID!, $u: ID!, $r: StaffRole!, $l: Int) { updateStaffMember(organisationId: $o, userId: $u, role: $r, refundLimitCents: $l) { role refundLimitCents } }";
const REMOVE_MEMBER: &str =
    "mutation($o: ID!, $u: ID!) { removeStaffMember(organisationId: $o, userId: $u) }";
const MY_ROLES: &str = "{ myStaffRoles { organisationId role refundLimitCents } }";
const ME: &str = "{ me { id } }";

pub async fn smtp_app() -> TestApp {
    spawn_app_with(|s| s.smtp_url = Some(SecretString::from(smtp_url()))).await
}

/// One organisation's catalog made by its own manager: a theatre, a screen, an event
/// and a showtime of it, and a promotion.
struct Catalog {
    theatre: String,
    screen: String,
    event: String,
    showtime: String,
}

async fn catalog_of(app: &TestApp, manager: &str, name: &str) -> Catalog {
    let theatre = app
        .ok(THEATRE, json!({ "i": theatre_input(name) }), Some(manager))
        .await["createTheatre"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let screen = app
        .ok(
            SCREEN,
            json!({ "t": theatre, "n": "Screen 1", "l": small_layout() }),
            Some(manager),
        )
        .await["createScreen"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let event = app
        .ok(
            CREATE_EVENT,
            json!({ "i": { "title": format!("{name} Live"), "performer": "The Band", "category": "concert", "durationMinutes": 90 } }),
            Some(manager),
        )
        .await["createEvent"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let showtime = app
        .ok(
            SHOWTIME,
            json!({ "i": { "screenId": screen, "eventId": event, "startsAt": in_hours(48), "prices": all_prices() } }),
            Some(manager),
        )
        .await["createShowtime"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    Catalog {
        theatre,
        screen,
        event,
        showtime,
    }
}

async fn user_id(app: &TestApp, token: &str) -> String {
    app.ok(ME, json!({}), Some(token)).await["me"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Every staff operation on `c` (another organisation's catalog) as `who`, by name.
async fn every_operation(
    app: &TestApp,
    who: &str,
    c: &Catalog,
    org: &str,
) -> Vec<(&'static str, Value)> {
    let someone = user_id(app, who).await;
    vec![
        ("updateTheatre", app.gql(UPDATE_THEATRE, json!({ "id": c.theatre, "i": { "name": "Taken Over" } }), Some(who)).await),
        ("deleteTheatre", app.gql(DELETE_THEATRE, json!({ "id": c.theatre }), Some(who)).await),
        ("createScreen", app.gql(SCREEN, json!({ "t": c.theatre, "n": "Annex", "l": small_layout() }), Some(who)).await),
        ("createTheatre", app.gql(THEATRE, json!({ "i": { "organisationId": org, "name": "Intruder", "address": "1 A St", "city": "Chicago", "state": "IL", "zip": "60601", "latitude": 41.9, "longitude": -87.6, "timezone": "America/Chicago" } }), Some(who)).await),
        ("createEvent", app.gql(CREATE_EVENT, json!({ "i": { "organisationId": org, "title": "Intruder Live", "performer": "X", "category": "concert", "durationMinutes": 60 } }), Some(who)).await),
        ("updateEvent", app.gql(UPDATE_EVENT, json!({ "id": c.event, "i": { "title": "Taken Over" } }), Some(who)).await),
        ("deleteEvent", app.gql(DELETE_EVENT, json!({ "id": c.event }), Some(who)).await),
        ("createShowtime", app.gql(SHOWTIME, json!({ "i": { "screenId": c.screen, "eventId": c.event, "startsAt": in_hours(100), "prices": all_prices() } }), Some(who)).await),
        ("updateShowtime", app.gql(UPDATE_SHOWTIME, json!({ "id": c.showtime, "i": { "startsAt": in_hours(72) } }), Some(who)).await),
        ("setPrices", app.gql(SET_PRICES, json!({ "s": c.showtime, "p": [{ "category": "STANDARD", "priceCents": 1 }] }), Some(who)).await),
        ("cancelShowtime", app.gql(CANCEL_SHOWTIME, json!({ "id": c.showtime }), Some(who)).await),
        ("createPromotion", app.gql(PROMOTION, json!({ "i": { "organisationId": org, "code": "STEAL", "kind": "PERCENT", "value": 50, "startsAt": in_hours(-1), "endsAt": in_hours(100) } }), Some(who)).await),
        ("showtimeSeatAudit", app.gql(SEAT_AUDIT, json!({ "s": c.showtime }), Some(who)).await),
        ("showtime.bookings", app.gql(BOOKINGS_AT, json!({ "t": c.theatre }), Some(who)).await),
        ("organisation", app.gql(MEMBERS, json!({ "o": org }), Some(who)).await),
        ("auditLog", app.gql(AUDIT, json!({ "o": org }), Some(who)).await),
        ("inviteStaff", app.gql(INVITE, json!({ "o": org, "e": "mole@staff.test", "r": "MANAGER" }), Some(who)).await),
        ("updateStaffMember", app.gql(UPDATE_MEMBER, json!({ "o": org, "u": someone, "r": "MANAGER" }), Some(who)).await),
        ("removeStaffMember", app.gql(REMOVE_MEMBER, json!({ "o": org, "u": someone }), Some(who)).await),
    ]
}

#[tokio::test]
async fn a_manager_can_change_nothing_of_another_organisation_and_its_catalog_stays_as_it_was() {
    let app = smtp_app().await;
    let admin = app.admin().await;
    let (org_a, org_b) = (
        organisation(&app, &admin, "Lumen Chain").await,
        organisation(&app, &admin, "Bijou Chain").await,
    );
    let (manager_a, _) = member(&app, &admin, &org_a, "MANAGER", None).await;
    let (manager_b, _) = member(&app, &admin, &org_b, "MANAGER", None).await;
    let a = catalog_of(&app, &manager_a, "Lumen Downtown").await;
    catalog_of(&app, &manager_b, "Bijou Uptown").await;

    for (operation, body) in every_operation(&app, &manager_b, &a, &org_a).await {
        assert_eq!(outcome(&body), "FORBIDDEN", "{operation}: {body}");
    }
    // The truth: A's theatre, event and showtime are as A's manager left them.
    let stored = sql_texts(
        &app,
        "SELECT t.name || '|' || e.title || '|' || s.status || '|' || \
           (SELECT COUNT(*) FROM screens WHERE theatre_id = t.id) || '|' || \
           (SELECT COUNT(*) FROM theatres WHERE organisation_id = $2) || '|' || \
           (SELECT COUNT(*) FROM promotions) \
         FROM theatres t, events e, showtimes s WHERE t.id = $1 AND e.id = $3 AND s.id = $4",
        [
            uuid(&a.theatre),
            uuid(&org_a),
            uuid(&a.event),
            uuid(&a.showtime),
        ],
    )
    .await;
    assert_eq!(
        stored,
        vec!["Lumen Downtown|Lumen Downtown Live|scheduled|1|1|0"]
    );
    // The same operations by A's own manager go through (the delete ones last).
    for (operation, body) in every_operation(&app, &manager_a, &a, &org_a).await {
        let expected = match operation {
            // The showtime was cancelled two steps before; the theatre still has a show.
            "deleteTheatre" | "deleteEvent" | "removeStaffMember" | "updateStaffMember" => continue,
            _ => "OK",
        };
        assert_eq!(outcome(&body), expected, "{operation}: {body}");
    }
}

#[tokio::test]
async fn support_agents_read_their_organisation_but_change_nothing_and_movies_are_the_platforms() {
    let app = smtp_app().await;
    let admin = app.admin().await;
    let org = organisation(&app, &admin, "Kinema Chain").await;
    let (manager, _) = member(&app, &admin, &org, "MANAGER", None).await;
    let (agent, _) = member(&app, &admin, &org, "SUPPORT", Some(2_500)).await;
    let buyer = app.customer("buyer@example.com").await;
    let c = catalog_of(&app, &manager, "Kinema Westside").await;

    let audit = app
        .gql(SEAT_AUDIT, json!({ "s": c.showtime }), Some(&agent))
        .await;
    assert_eq!(outcome(&audit), "OK", "{audit}");
    let booked = app
        .gql(BOOKINGS_AT, json!({ "t": c.theatre }), Some(&agent))
        .await;
    assert_eq!(outcome(&booked), "OK", "{booked}");
    for (operation, body) in [
        (
            "updateTheatre",
            app.gql(
                UPDATE_THEATRE,
                json!({ "id": c.theatre, "i": { "name": "Mine" } }),
                Some(&agent),
            )
            .await,
        ),
        (
            "setPrices",
            app.gql(
                SET_PRICES,
                json!({ "s": c.showtime, "p": [{ "category": "STANDARD", "priceCents": 1 }] }),
                Some(&agent),
            )
            .await,
        ),
        (
            "auditLog",
            app.gql(AUDIT, json!({ "o": org }), Some(&agent)).await,
        ),
        (
            "inviteStaff",
            app.gql(
                INVITE,
                json!({ "o": org, "e": "friend@staff.test", "r": "MANAGER" }),
                Some(&agent),
            )
            .await,
        ),
        (
            "createMovie (agent)",
            app.gql(
                MOVIE,
                json!({ "i": { "title": "X", "runtimeMinutes": 90, "releaseDate": "2026-01-01" } }),
                Some(&agent),
            )
            .await,
        ),
        (
            "createMovie (manager)",
            app.gql(
                MOVIE,
                json!({ "i": { "title": "X", "runtimeMinutes": 90, "releaseDate": "2026-01-01" } }),
                Some(&manager),
            )
            .await,
        ),
        (
            "createTheatre (buyer)",
            app.gql(
                THEATRE,
                json!({ "i": theatre_input("Buyer's") }),
                Some(&buyer),
            )
            .await,
        ),
        (
            "seat audit (buyer)",
            app.gql(SEAT_AUDIT, json!({ "s": c.showtime }), Some(&buyer))
                .await,
        ),
        (
            "createOrganisation (manager)",
            app.gql(
                CREATE_ORG,
                json!({ "n": "Mine", "s": "mine" }),
                Some(&manager),
            )
            .await,
        ),
    ] {
        assert_eq!(outcome(&body), "FORBIDDEN", "{operation}: {body}");
    }
    let roles = app.ok(MY_ROLES, json!({}), Some(&agent)).await;
    assert_eq!(
        roles["myStaffRoles"],
        json!([{ "organisationId": org, "role": "SUPPORT", "refundLimitCents": 2500 }])
    );
    let none = app.ok(MY_ROLES, json!({}), Some(&buyer)).await;
    assert_eq!(none["myStaffRoles"], json!([]));
}

#[tokio::test]
async fn an_organisations_promotion_applies_only_to_its_own_showtimes_and_lists_only_to_its_staff()
{
    let app = smtp_app().await;
    let admin = app.admin().await;
    let (org_a, org_b) = (
        organisation(&app, &admin, "Reelhouse").await,
        organisation(&app, &admin, "Starlight").await,
    );
    let (manager_a, _) = member(&app, &admin, &org_a, "MANAGER", None).await;
    let (manager_b, _) = member(&app, &admin, &org_b, "MANAGER", None).await;
    catalog_of(&app, &manager_a, "Reelhouse Midtown").await;
    let b = catalog_of(&app, &manager_b, "Starlight Riverside").await;
    let made = app
        .ok(
            PROMOTION,
            json!({ "i": { "code": "REEL10", "kind": "PERCENT", "value": 10, "startsAt": in_hours(-1), "endsAt": in_hours(100) } }),
            Some(&manager_a),
        )
        .await;
    assert_eq!(made["createPromotion"]["organisationId"], org_a);

    let listed_b = app.ok(PROMOTIONS, json!({}), Some(&manager_b)).await;
    assert_eq!(listed_b["promotions"]["edges"], json!([]));
    let listed_a = app.ok(PROMOTIONS, json!({}), Some(&manager_a)).await;
    assert_eq!(
        listed_a["promotions"]["edges"],
        json!([{ "node": { "code": "REEL10", "organisationId": org_a } }])
    );

    let buyer = app.customer("promo-buyer@example.com").await;
    let seats = seat_ids(&app, &b.showtime).await;
    let held = app
        .ok(
            "mutation($s: ID!, $seats: [ID!]!) { holdSeats(showtimeId: $s, seatIds: $seats) { id } }",
            json!({ "s": b.showtime, "seats": [seats[0]] }),
            Some(&buyer),
        )
        .await;
    let booking = held["holdSeats"]["id"].as_str().unwrap();
    let quoted = app
        .gql(
            "query($b: ID!, $p: String) { checkoutQuote(bookingId: $b, promoCode: $p) { discountCents } }",
            json!({ "b": booking, "p": "REEL10" }),
            Some(&buyer),
        )
        .await;
    assert_eq!(
        quoted["errors"][0]["extensions"]["reason"], "PROMO_OTHER_ORGANISATION",
        "{quoted}"
    );
}

#[tokio::test]
async fn the_audit_log_shows_managers_who_changed_what_before_and_after_in_their_organisation_only()
{
    let app = smtp_app().await;
    let admin = app.admin().await;
    let (org_a, org_b) = (
        organisation(&app, &admin, "Silverlight").await,
        organisation(&app, &admin, "Picture Palace").await,
    );
    let (manager_a, _) = member(&app, &admin, &org_a, "MANAGER", None).await;
    let (manager_b, _) = member(&app, &admin, &org_b, "MANAGER", None).await;
    let a = catalog_of(&app, &manager_a, "Silverlight Parkside").await;
    catalog_of(&app, &manager_b, "Picture Palace Old Town").await;
    app.ok(
        UPDATE_THEATRE,
        json!({ "id": a.theatre, "i": { "name": "Silverlight Lakeview" } }),
        Some(&manager_a),
    )
    .await;
    app.ok(
        SET_PRICES,
        json!({ "s": a.showtime, "p": [{ "category": "PREMIUM", "priceCents": 2400 }] }),
        Some(&manager_a),
    )
    .await;

    let log = app.ok(AUDIT, json!({ "o": org_a }), Some(&manager_a)).await;
    let entries: Vec<Value> = log["organisation"]["auditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    let actions: Vec<&str> = entries
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "showtime.set_prices",
            "theatre.update",
            "showtime.create",
            "event.create",
            "screen.create",
            "theatre.create",
            "member.join",
            "member.invite",
        ],
        "{log}"
    );
    let rename = &entries[1];
    assert_eq!(rename["subjectId"], a.theatre);
    assert_eq!(rename["actorName"], "Test Buyer");
    let before: Value = serde_json::from_str(rename["before"].as_str().unwrap()).unwrap();
    let after: Value = serde_json::from_str(rename["after"].as_str().unwrap()).unwrap();
    assert_eq!(before["name"], "Silverlight Parkside");
    assert_eq!(after["name"], "Silverlight Lakeview");
    let prices: Value = serde_json::from_str(entries[0]["after"].as_str().unwrap()).unwrap();
    assert_eq!(prices["premium"], 2400, "{prices}");
    let old: Value = serde_json::from_str(entries[0]["before"].as_str().unwrap()).unwrap();
    assert_eq!(old["premium"], 1800, "{old}");

    // Stored once per action, in the organisation's log only.
    let stored = sql_texts(
        &app,
        "SELECT COUNT(*) FROM audit_log WHERE organisation_id = $1",
        [uuid(&org_a)],
    )
    .await;
    assert_eq!(stored, vec!["8"]);
    let refused = app
        .gql(AUDIT, json!({ "o": org_a }), Some(&manager_b))
        .await;
    assert_eq!(outcome(&refused), "FORBIDDEN", "{refused}");
    let platform = app
        .ok(
            "{ platformAuditLog(first: 10) { edges { node { action } } } }",
            json!({}),
            Some(&admin),
        )
        .await;
    let platform_actions: Vec<&str> = platform["platformAuditLog"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        platform_actions,
        ["organisation.create", "organisation.create"]
    );
}

#[tokio::test]
async fn an_invitation_joins_only_its_addressee_once_and_an_organisation_keeps_a_manager() {
    let app = smtp_app().await;
    let admin = app.admin().await;
    let org = organisation(&app, &admin, "Marquee Chain").await;
    let (manager, _) = member(&app, &admin, &org, "MANAGER", None).await;
    let invited = crate::mail::address("agent", "staff.test");
    let sent = app
        .ok(
            INVITE,
            json!({ "o": org, "e": invited, "r": "SUPPORT", "l": 5000 }),
            Some(&manager),
        )
        .await;
    assert_eq!(sent["inviteStaff"]["invitation"]["refundLimitCents"], 5000);
    let token = invitation_token(&invited, 1).await;

    let stranger = app.customer("stranger@example.com").await;
    let wrong = app
        .gql(ACCEPT, json!({ "t": token }), Some(&stranger))
        .await;
    assert_eq!(outcome(&wrong), "FORBIDDEN", "{wrong}");
    let forged = app
        .gql(ACCEPT, json!({ "t": "0".repeat(64) }), Some(&stranger))
        .await;
    assert_eq!(outcome(&forged), "BAD_USER_INPUT", "{forged}");

    let agent = app.customer(&invited).await;
    app.ok(ACCEPT, json!({ "t": token }), Some(&agent)).await;
    let again = app.gql(ACCEPT, json!({ "t": token }), Some(&agent)).await;
    assert_eq!(outcome(&again), "BAD_USER_INPUT", "{again}");

    let members = app.ok(MEMBERS, json!({ "o": org }), Some(&manager)).await;
    let roles: Vec<(String, String)> = members["organisation"]["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| {
            (
                m["email"].as_str().unwrap().to_owned(),
                m["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(roles.len(), 2, "{members}");
    assert!(
        roles.contains(&(invited.clone(), "SUPPORT".to_owned())),
        "{members}"
    );
    assert_eq!(members["organisation"]["invitations"], json!([]));

    // The only manager can neither step down nor be removed; the agent can be.
    let me = user_id(&app, &manager).await;
    let demote = app
        .gql(
            UPDATE_MEMBER,
            json!({ "o": org, "u": me, "r": "SUPPORT" }),
            Some(&manager),
        )
        .await;
    assert_eq!(outcome(&demote), "CONFLICT", "{demote}");
    let leave = app
        .gql(REMOVE_MEMBER, json!({ "o": org, "u": me }), Some(&manager))
        .await;
    assert_eq!(outcome(&leave), "CONFLICT", "{leave}");
    let agent_id = user_id(&app, &agent).await;
    app.ok(
        REMOVE_MEMBER,
        json!({ "o": org, "u": agent_id }),
        Some(&manager),
    )
    .await;
    let gone = app.ok(MY_ROLES, json!({}), Some(&agent)).await;
    assert_eq!(gone["myStaffRoles"], json!([]));
    let count = sql_texts(
        &app,
        "SELECT COUNT(*) FROM organisation_members WHERE organisation_id = $1",
        [uuid(&org)],
    )
    .await;
    assert_eq!(count, vec!["1"]);
}
