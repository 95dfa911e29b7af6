//! A week of demo showtimes: day plans per screen, without overlaps, and prices.

use chrono::{Datelike, Days, NaiveDate, TimeDelta, TimeZone, Utc, Weekday};

use super::data::City;
use super::generate::*;
use super::titles::*;
use super::venues::*;

pub(super) fn showtimes(
    rng: &mut Rng,
    today: NaiveDate,
    theatres: &[DemoTheatre],
    sites: &[Site],
    films: &Films,
    acts: &Acts,
) -> Vec<DemoShowtime> {
    let week: Vec<(NaiveDate, Vec<u32>)> = (0..DAYS)
        .filter_map(|d| today.checked_add_days(Days::new(d)))
        .map(|date| (date, movie_weights(films, date)))
        .collect();
    let mut out = Vec::new();
    for (ti, (theatre, site)) in theatres.iter().zip(sites).enumerate() {
        for (si, (screen, &kind)) in theatre.screens.iter().zip(&site.kinds).enumerate() {
            let categories: Vec<&str> = CATEGORIES
                .iter()
                .filter(|(c, _)| screen.rows.iter().any(|r| r.layout.contains(*c)))
                .map(|&(_, name)| name)
                .collect();
            let premium_extra = rng.range(8, 14) * 50;
            // A screen holds one title all week; the other slots rotate daily.
            let Some(primary) = week.first().and_then(|(_, w)| rng.weighted(w)) else {
                continue;
            };
            let headliners = if kind == Kind::Hall && !acts.list.is_empty() {
                let friday = rng.below(acts.list.len());
                // Half the halls hold the same act over for a second night.
                let saturday = if rng.chance(50) {
                    friday
                } else {
                    rng.below(acts.list.len())
                };
                (Some(friday), Some(saturday))
            } else {
                (None, None)
            };
            for (date, weights) in &week {
                let weekday = date.weekday();
                let event = match weekday {
                    Weekday::Fri => headliners.0,
                    Weekday::Sat => headliners.1,
                    _ => None,
                };
                let late = matches!(weekday, Weekday::Fri | Weekday::Sat);
                let Some(midnight) = date.and_hms_opt(0, 0, 0) else {
                    continue;
                };
                for (title, minute) in day_plan(rng, films, acts, weights, primary, event, late) {
                    let Some(local) = midnight.checked_add_signed(TimeDelta::minutes(minute))
                    else {
                        continue;
                    };
                    // US clocks change at 2 am, outside opening hours; skip rather than guess.
                    let Some(starts) = site.city.tz.from_local_datetime(&local).earliest() else {
                        continue;
                    };
                    let standard = match title {
                        DemoTitle::Event(e) => event_price(site.city, acts.price.get(e)),
                        DemoTitle::Movie(_) => ticket_price(site.city, kind, weekday, minute),
                    };
                    let prices = categories
                        .iter()
                        .map(|&c| {
                            let extra = if c == "premium" { premium_extra } else { 0 };
                            (c.to_string(), standard + extra)
                        })
                        .collect();
                    let starts_at = starts.with_timezone(&Utc);
                    out.push(DemoShowtime {
                        theatre: ti,
                        screen: si,
                        title,
                        starts_at,
                        prices,
                    });
                }
            }
        }
    }
    out
}

/// New releases and big titles get the most screens; older ones linger on few.
pub(super) fn movie_weights(films: &Films, date: NaiveDate) -> Vec<u32> {
    let ages = films
        .list
        .iter()
        .map(|m| date.signed_duration_since(m.release_date).num_days());
    ages.zip(&films.popularity)
        .map(|(age, &popularity)| match age {
            ..0 => 0,
            0..=10 => popularity * 10,
            11..=24 => popularity * 6,
            25..=45 => popularity * 3,
            _ => popularity,
        })
        .collect()
}

/// Lays out one screen-day backwards from the evening anchor so prime time is
/// always filled, then spreads the spare minutes over the gaps before it.
/// Returns (title, minutes after local midnight) pairs.
pub(super) fn day_plan(
    rng: &mut Rng,
    films: &Films,
    acts: &Acts,
    weights: &[u32],
    primary: usize,
    event: Option<usize>,
    late: bool,
) -> Vec<(DemoTitle, i64)> {
    let pick = |rng: &mut Rng| {
        let i = if rng.chance(55) {
            primary
        } else {
            rng.weighted(weights).unwrap_or(primary)
        };
        let runtime = films
            .list
            .get(i)
            .map_or(120, |m| i64::from(m.runtime_minutes));
        (DemoTitle::Movie(i), runtime)
    };
    let headliner = event.and_then(|e| acts.list.get(e).map(|act| (e, act)));
    let shows = if headliner.is_some() || rng.chance(60) {
        3
    } else {
        4
    };
    let mut picks: Vec<(DemoTitle, i64)> = (1..shows).map(|_| pick(rng)).collect();
    let last_start = match headliner {
        Some((e, act)) => {
            picks.push((DemoTitle::Event(e), i64::from(act.duration_minutes)));
            rng.range(38, 40) * 30
        }
        None => {
            picks.push(pick(rng));
            if late {
                rng.range(234, 273) * 5
            } else {
                rng.range(228, 264) * 5
            }
        }
    };
    // Slots are multiples of five minutes and include the cleaning buffer.
    let block = |runtime: i64| (runtime + CLEANING_MINUTES + 4) / 5 * 5;
    let mut earliest = rng.range(120, 150) * 5;
    let mut needed: i64 = picks.iter().rev().skip(1).map(|p| block(p.1)).sum();
    while picks.len() > 3 && earliest + needed > last_start {
        let (_, runtime) = picks.remove(0);
        needed -= block(runtime);
    }
    earliest = earliest.min(last_start - needed);
    let slack = (last_start - earliest - needed) / 5;
    let shares: Vec<i64> = (0..picks.len())
        .map(|i| {
            if i == 0 {
                rng.range(0, 2)
            } else {
                rng.range(1, 4)
            }
        })
        .collect();
    let total = shares.iter().sum::<i64>().max(1);
    let mut gaps: Vec<i64> = shares.iter().map(|s| slack * s / total).collect();
    let rest: i64 = gaps.iter().skip(1).sum();
    if let Some(lead) = gaps.first_mut() {
        *lead = slack - rest;
    }
    let mut start = earliest;
    let mut plan = Vec::with_capacity(picks.len());
    for ((title, runtime), gap) in picks.into_iter().zip(gaps) {
        start += gap * 5;
        plan.push((title, start));
        start += block(runtime);
    }
    plan
}

/// Evening and weekend shows cost more; premium formats carry a surcharge.
pub(super) fn ticket_price(city: &City, kind: Kind, weekday: Weekday, minute: i64) -> i64 {
    let time = match minute {
        ..960 => -150,
        960..1080 => 0,
        _ => 150,
    };
    let weekend = matches!(weekday, Weekday::Sat | Weekday::Sun)
        || (weekday == Weekday::Fri && minute >= 17 * 60);
    let format = match kind {
        Kind::Imax => 300,
        Kind::Dolby => 250,
        Kind::Large | Kind::Hall => 50,
        Kind::Standard | Kind::Studio => 0,
    };
    (city.base_price + time + if weekend { 150 } else { 0 } + format).clamp(1100, 1900)
}

pub(super) fn event_price(city: &City, base: Option<&i64>) -> i64 {
    (base.copied().unwrap_or(5000) + (city.base_price - 1300) * 2).clamp(3500, 12000)
}
