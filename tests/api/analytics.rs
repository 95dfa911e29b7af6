//! Sales analytics: the report's figures equal direct counts over the booking tables after
//! a sale with every ending (both backends), the CSV export says the same, and only the
//! organisation's managers (and platform admins) may read them.

use serde_json::{Value, json};

use crate::analytics_support::*;
use crate::helpers::*;

/// The figures of `rows` summed, and the occupancy they imply, checked against the truth.
fn assert_equal_to_direct(rows: &[Value], direct: &[(&str, i64)]) {
    for (name, expected) in direct {
        match *name {
            "soldSeats" => {}
            "sellableSeats" => {}
            _ => assert_eq!(total(rows, name), *expected, "{name} in {rows:?}"),
        }
    }
    let get = |n: &str| direct.iter().find(|(k, _)| *k == n).unwrap().1;
    assert_eq!(
        total(rows, "netCents"),
        get("grossCents") - get("refundCents")
    );
    assert_eq!(
        total(rows, "ticketsSold") - total(rows, "ticketsReturned"),
        get("soldSeats"),
        "tickets still sold are the seats sold"
    );
}

#[tokio::test]
async fn report_figures_equal_direct_counts_after_a_sale_with_refunds_and_cancellations() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let org = organisation_owning(&app, "Marquee State Cinemas", &f.theatre_id).await;
    let manager = member(&app, &org, "manager@state.example", "manager").await;
    let showtimes = [app.showtime_at(&f, 30).await, app.showtime_at(&f, 34).await];
    let buyer = app.customer("analytics-buyer@example.com").await;
    let bookings = generated_sale(&app, &buyer, &showtimes).await;
    assert_eq!(bookings, 11);
    rolled_up(&app).await;
    let direct = direct_counts(&app, &org).await;
    // The sale did make every kind of figure.
    for name in [
        "ticketsReturned",
        "refundCents",
        "holdsLapsed",
        "paymentFailures",
        "cancellations",
    ] {
        assert!(
            direct.iter().any(|(k, v)| *k == name && *v > 0),
            "{name}: {direct:?}"
        );
    }

    // The organisation as a whole, per day; per showtime over the period; per hour.
    let whole = report(&app, &manager, &org, "DAY", "ORGANISATION").await;
    assert_equal_to_direct(&whole, &direct);
    // Day rows of the organisation (read per theatre and day) count the seats of each
    // showtime with sales that day, as the rows per showtime and day do.
    let per_show_day = report(&app, &manager, &org, "DAY", "SHOWTIME").await;
    assert_equal_to_direct(&per_show_day, &direct);
    for row in &whole {
        let same_day: Vec<Value> = per_show_day
            .iter()
            .filter(|r| r["bucket"] == row["bucket"])
            .cloned()
            .collect();
        assert_eq!(
            row["sellableSeats"].as_i64().unwrap(),
            total(&same_day, "sellableSeats"),
            "{row}"
        );
    }
    let per_show = report(&app, &manager, &org, "PERIOD", "SHOWTIME").await;
    assert_eq!(per_show.len(), 2);
    assert_equal_to_direct(&per_show, &direct);
    let sellable: i64 = direct
        .iter()
        .find(|(k, _)| *k == "sellableSeats")
        .unwrap()
        .1;
    assert_eq!(total(&per_show, "sellableSeats"), sellable);
    for row in &per_show {
        let still_sold =
            row["ticketsSold"].as_i64().unwrap() - row["ticketsReturned"].as_i64().unwrap();
        let occupancy = row["occupancy"].as_f64().unwrap();
        let expected = still_sold as f64 / row["sellableSeats"].as_f64().unwrap();
        assert!((occupancy - expected).abs() < 1e-9, "{row}");
        assert!(showtimes.contains(&row["groupId"].as_str().unwrap().to_owned()));
        let name = row["groupName"].as_str().unwrap();
        assert!(
            name.starts_with("The Last Horizon · Marquee State · "),
            "{name}"
        );
    }
    let hourly = report(&app, &manager, &org, "HOUR", "SCREEN").await;
    assert_equal_to_direct(&hourly, &direct);
    assert!(hourly.iter().all(|r| r["groupId"] == json!(f.screen_id)));
    assert!(
        hourly
            .iter()
            .all(|r| r["groupName"] == "Marquee State · Screen 1")
    );
    let per_movie = report(&app, &manager, &org, "PERIOD", "MOVIE").await;
    assert_eq!(per_movie.len(), 1);
    assert_eq!(per_movie[0]["groupId"], json!(f.movie_id));
    assert_eq!(per_movie[0]["groupName"], "The Last Horizon");
    let sold = per_movie[0]["ticketsSold"].as_i64().unwrap();
    assert_eq!(
        per_movie[0]["averagePriceCents"].as_i64().unwrap(),
        (per_movie[0]["grossCents"].as_i64().unwrap() - per_movie[0]["feeCents"].as_i64().unwrap())
            / sold
    );

    // Every other grouping, read from its own rollup, says the same: per period each
    // showtime's seats count once, per day and hour once in each bucket it was active in
    // (as the rows per showtime and bucket count them).
    let per_show_hour = report(&app, &manager, &org, "HOUR", "SHOWTIME").await;
    for (granularity, group) in [
        ("PERIOD", "ORGANISATION"),
        ("PERIOD", "THEATRE"),
        ("PERIOD", "SCREEN"),
        ("DAY", "SCREEN"),
        ("DAY", "MOVIE"),
        ("DAY", "THEATRE"),
        ("HOUR", "ORGANISATION"),
        ("HOUR", "THEATRE"),
    ] {
        let rows = report(&app, &manager, &org, granularity, group).await;
        assert_equal_to_direct(&rows, &direct);
        let finer = match granularity {
            "PERIOD" => &per_show,
            "DAY" => &per_show_day,
            _ => &per_show_hour,
        };
        for row in &rows {
            let same_bucket: Vec<Value> = finer
                .iter()
                .filter(|r| r["bucket"] == row["bucket"])
                .cloned()
                .collect();
            assert_eq!(
                row["sellableSeats"].as_i64().unwrap(),
                total(&same_bucket, "sellableSeats"),
                "{granularity} {group}: {row}"
            );
        }
    }
    assert!(
        report(&app, &manager, &org, "PERIOD", "EVENT")
            .await
            .is_empty()
    );

    // A platform admin reads it too, and the CSV export carries the same numbers.
    let by_admin = report(&app, &f.admin, &org, "PERIOD", "SHOWTIME").await;
    assert_eq!(by_admin, per_show);
    let (from, to) = around_now(&app);
    let (status, body) = csv(
        &app,
        Some(&manager),
        &[
            ("organisationId", &org),
            ("from", &from),
            ("to", &to),
            ("granularity", "period"),
            ("groupBy", "showtime"),
            ("format", "csv"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let mut lines = body.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(header[0], "bucket");
    let csv_rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(csv_rows.len(), per_show.len());
    for (row, fields) in per_show.iter().zip(&csv_rows) {
        assert_eq!(time(&row["bucket"]), time(&json!(fields[0])));
        assert_eq!(row["groupId"], json!(fields[1]));
        for (i, name) in FIGURES.iter().enumerate() {
            assert_eq!(
                fields[2 + i].parse::<i64>().unwrap(),
                row[*name].as_i64().unwrap(),
                "{name}"
            );
        }
        let occupancy: f64 = fields[19].parse().unwrap();
        assert!((occupancy - row["occupancy"].as_f64().unwrap()).abs() < 1e-4);
        assert_eq!(
            fields[20].parse::<i64>().unwrap(),
            row["averagePriceCents"].as_i64().unwrap()
        );
        assert_eq!(
            fields[21],
            format!("\"{}\"", row["groupName"].as_str().unwrap())
        );
    }
}

#[tokio::test]
async fn managers_of_another_organisation_support_agents_and_buyers_are_refused() {
    let app = spawn_app().await;
    let f = app.fixture().await;
    let org = organisation_owning(&app, "Owner Cinemas", &f.theatre_id).await;
    let rival_theatre = app
        .ok(
            THEATRE,
            json!({ "i": theatre_input("Rival Plaza") }),
            Some(&f.admin),
        )
        .await["createTheatre"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let rival = organisation_owning(&app, "Rival Cinemas", &rival_theatre).await;
    let rival_manager = member(&app, &rival, "boss@rival.example", "manager").await;
    let agent = member(&app, &org, "agent@owner.example", "support").await;
    let buyer = app.customer("curious@example.com").await;
    let (from, to) = around_now(&app);
    for token in [&rival_manager, &agent, &buyer] {
        let body = app
            .gql(
                REPORT,
                json!({ "o": org, "f": from, "t": to, "g": "DAY", "b": "THEATRE" }),
                Some(token),
            )
            .await;
        assert_eq!(code(&body), "FORBIDDEN", "{body}");
        let (status, body) = csv(
            &app,
            Some(token),
            &[("organisationId", &org), ("from", &from), ("to", &to)],
        )
        .await;
        assert_eq!(status, 403, "{body}");
        assert!(body.contains("FORBIDDEN"));
    }
    // The rival's manager still reads their own.
    let own = app
        .gql(
            REPORT,
            json!({ "o": rival, "f": from, "t": to, "g": "DAY", "b": "THEATRE" }),
            Some(&rival_manager),
        )
        .await;
    assert!(own.get("errors").is_none(), "{own}");
    // No token, and bad input: coded errors, never a panic.
    let (status, body) = csv(
        &app,
        None,
        &[("organisationId", &org), ("from", &from), ("to", &to)],
    )
    .await;
    assert_eq!(status, 401, "{body}");
    let backwards = app
        .gql(
            REPORT,
            json!({ "o": rival, "f": to, "t": from, "g": "DAY", "b": "THEATRE" }),
            Some(&rival_manager),
        )
        .await;
    assert_eq!(code(&backwards), "BAD_USER_INPUT");
    let (status, body) = csv(
        &app,
        Some(&rival_manager),
        &[
            ("organisationId", "not-an-id"),
            ("from", &from),
            ("to", &to),
        ],
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("BAD_USER_INPUT"));
}
