//! A buyer's way through a hot showtime's waiting room: line up, wait on the server until
//! admitted, and give the admission back when no seats could be had.

use std::time::{Duration, Instant};

use anyhow::bail;
use serde_json::json;

use crate::onsale::{Who, gql};

const ENTER: &str = "mutation E($s: ID!) { enterWaitingRoom(showtimeId: $s) { status } }";
const WAIT: &str = "query W($s: ID!) { waitingRoom(showtimeId: $s, waitMs: 10000) { status } }";
const LEAVE: &str = "mutation L($s: ID!) { leaveWaitingRoom(showtimeId: $s) { status } }";

/// Enters the room and returns once admitted, with the time spent in line.
pub async fn wait_for_admission(
    client: &reqwest::Client,
    url: &str,
    who: &Who,
    showtime: &str,
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let entered = gql(client, url, who, ENTER, json!({ "s": showtime })).await?;
    let mut status = entered["data"]["enterWaitingRoom"]["status"].clone();
    // Each wait is answered on admission or after ten seconds; two minutes in all.
    for _ in 0..12 {
        match status.as_str() {
            Some("ADMITTED" | "NOT_REQUIRED") => return Ok(started.elapsed()),
            Some("WAITING") => {}
            _ => bail!("not admitted: {entered}"),
        }
        let place = gql(client, url, who, WAIT, json!({ "s": showtime })).await?;
        status = place["data"]["waitingRoom"]["status"].clone();
    }
    bail!("still waiting after two minutes")
}

/// Gives the admission back so the next buyer in line gets it.
pub async fn leave(client: &reqwest::Client, url: &str, who: &Who, showtime: &str) {
    let _ = gql(client, url, who, LEAVE, json!({ "s": showtime })).await;
}
