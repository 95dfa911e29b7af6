//! Search documents built from the catalog: each title with where and when it plays in the
//! coming weeks and how well it sells, each theatre with its address and place.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};
use marquee_entity::{events, movies, showtimes, theatres, tickets};
use marquee_search::geo::LatLon;
use marquee_search::index::{Kind, SearchDoc};
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use tokio::sync::mpsc;
use uuid::Uuid;

use crate::catalog::genres;

/// How far ahead a title's showtimes count as "playing".
pub(super) const PLAYING_DAYS: i64 = 14;

/// Where and when titles play: (title id → places), read once for a batch of titles.
#[derive(Default)]
struct Playing {
    places: BTreeSet<String>,
    cities: BTreeSet<String>,
    states: BTreeSet<String>,
    zips: BTreeSet<String>,
    dates: BTreeSet<String>,
    points: Vec<(Uuid, LatLon)>,
}

async fn playing<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    movie_ids: Option<&[Uuid]>,
    event_ids: Option<&[Uuid]>,
) -> Result<HashMap<Uuid, Playing>, DbErr> {
    let mut q = showtimes::Entity::find()
        .filter(showtimes::Column::Status.eq("scheduled"))
        .filter(showtimes::Column::StartsAt.gt(now))
        .filter(showtimes::Column::StartsAt.lte(now + Duration::days(PLAYING_DAYS)));
    match (movie_ids, event_ids) {
        (Some(m), None) => q = q.filter(showtimes::Column::MovieId.is_in(m.to_vec())),
        (None, Some(e)) => q = q.filter(showtimes::Column::EventId.is_in(e.to_vec())),
        _ => {}
    }
    let shows = q.all(db).await?;
    let theatre_ids: BTreeSet<Uuid> = shows.iter().map(|s| s.theatre_id).collect();
    let venues: HashMap<Uuid, theatres::Model> = theatres::Entity::find()
        .filter(theatres::Column::Id.is_in(theatre_ids))
        .filter(theatres::Column::DeletedAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut out: HashMap<Uuid, Playing> = HashMap::new();
    for s in shows {
        let (Some(title), Some(t)) = (s.movie_id.or(s.event_id), venues.get(&s.theatre_id)) else {
            continue;
        };
        let p = out.entry(title).or_default();
        p.places.insert(t.name.clone());
        p.cities.insert(t.city.clone());
        p.states.insert(t.state.clone());
        p.zips.insert(t.zip.clone());
        let day = match t.timezone.parse::<chrono_tz::Tz>() {
            Ok(tz) => s.starts_at.with_timezone(&tz).date_naive(),
            Err(_) => s.starts_at.date_naive(),
        };
        p.dates.insert(day.to_string());
        if !p.points.iter().any(|(id, _)| *id == t.id) {
            p.points.push((
                t.id,
                LatLon {
                    lat: t.latitude,
                    lon: t.longitude,
                },
            ));
        }
    }
    Ok(out)
}

fn with_playing(mut doc: SearchDoc, p: Option<Playing>) -> SearchDoc {
    if let Some(p) = p {
        doc.places = p.places.into_iter().collect();
        doc.cities = p.cities.into_iter().collect();
        doc.states = p.states.into_iter().collect();
        doc.zips = p.zips.into_iter().collect();
        doc.dates = p.dates.into_iter().collect();
        doc.points = p.points.into_iter().map(|(_, at)| at).collect();
    }
    doc
}

fn movie_doc(m: movies::Model, p: Option<Playing>) -> SearchDoc {
    let people = crate::catalog::cast_names(&m.cast);
    with_playing(
        SearchDoc {
            kind: Some(Kind::Movie),
            id: m.id.to_string(),
            title: m.title,
            body: m.synopsis,
            people,
            genres: genres::decode(&m.genres),
            language: m.language,
            rating: (m.rating_count > 0).then(|| m.rating_total as f64 / f64::from(m.rating_count)),
            ..SearchDoc::default()
        },
        p,
    )
}

fn event_doc(e: events::Model, p: Option<Playing>) -> SearchDoc {
    with_playing(
        SearchDoc {
            kind: Some(Kind::Event),
            id: e.id.to_string(),
            title: e.title,
            body: e.description,
            people: vec![e.performer],
            genres: genres::decode(&e.genres),
            language: e.language,
            ..SearchDoc::default()
        },
        p,
    )
}

fn theatre_doc(t: theatres::Model) -> SearchDoc {
    SearchDoc {
        kind: Some(Kind::Theatre),
        id: t.id.to_string(),
        body: format!("{}, {}, {} {}", t.address, t.city, t.state, t.zip),
        places: vec![t.name.clone()],
        title: t.name,
        cities: vec![t.city],
        states: vec![t.state],
        zips: vec![t.zip],
        points: vec![LatLon {
            lat: t.latitude,
            lon: t.longitude,
        }],
        ..SearchDoc::default()
    }
}

/// How far back sold tickets count towards a title's popularity.
const POPULAR_DAYS: i64 = 30;

/// Valid tickets issued in the last [`POPULAR_DAYS`], by title; of these movies and
/// events only when given (through the tickets' showtime index).
async fn tickets_sold<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    of: Option<(&[Uuid], &[Uuid])>,
) -> Result<HashMap<Uuid, u64>, DbErr> {
    let mut q = tickets::Entity::find();
    if let Some((movie_ids, event_ids)) = of {
        let mut shows = Query::select();
        shows
            .column(showtimes::Column::Id)
            .from(showtimes::Entity)
            .cond_where(
                Condition::any()
                    .add(showtimes::Column::MovieId.is_in(movie_ids.to_vec()))
                    .add(showtimes::Column::EventId.is_in(event_ids.to_vec())),
            );
        q = q.filter(tickets::Column::ShowtimeId.in_subquery(shows));
    }
    let by_show: Vec<(Uuid, i64)> = q
        .select_only()
        .column(tickets::Column::ShowtimeId)
        .column_as(tickets::Column::Id.count(), "sold")
        .filter(tickets::Column::Status.eq("valid"))
        .filter(tickets::Column::IssuedAt.gt(now - Duration::days(POPULAR_DAYS)))
        .group_by(tickets::Column::ShowtimeId)
        .into_tuple()
        .all(db)
        .await?;
    let mut out = HashMap::new();
    if by_show.is_empty() {
        return Ok(out);
    }
    let titles: HashMap<Uuid, Uuid> = showtimes::Entity::find()
        .filter(showtimes::Column::Id.is_in(by_show.iter().map(|(s, _)| *s)))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|s| Some((s.id, s.movie_id.or(s.event_id)?)))
        .collect();
    for (show, sold) in by_show {
        if let Some(title) = titles.get(&show) {
            *out.entry(*title).or_default() += sold.max(0) as u64;
        }
    }
    Ok(out)
}

/// Sets each title's sales.
fn with_sales(docs: &mut [SearchDoc], sold: &HashMap<Uuid, u64>) {
    for d in docs {
        if let Ok(id) = Uuid::parse_str(&d.id) {
            d.tickets_sold = sold.get(&id).copied().unwrap_or(0);
        }
    }
}

/// Documents per page of a rebuild: a catalogue of millions is read and indexed a page at
/// a time rather than held whole.
const PAGE: u64 = 5_000;

/// What a rebuild's reader hands its writer.
pub(super) enum Page {
    Docs(Vec<SearchDoc>),
    /// Every page was sent: the new index may replace the old.
    End,
}

/// Every live movie, event, theatre and published article, a page at a time, to `pages`,
/// then [`Page::End`]; stops early when the writer is gone.
pub(super) async fn all_in_pages<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    pages: &mpsc::Sender<Page>,
) -> Result<(), DbErr> {
    // Few titles play or sell in any fortnight or month: both maps are small.
    let mut where_ = playing(db, now, None, None).await?;
    let sold = tickets_sold(db, now, None).await?;
    let mut after = None;
    loop {
        let mut q = movies::Entity::find()
            .filter(movies::Column::DeletedAt.is_null())
            .order_by_asc(movies::Column::Id)
            .limit(PAGE);
        if let Some(last) = after {
            q = q.filter(movies::Column::Id.gt(last));
        }
        let page = q.all(db).await?;
        let Some(last) = page.last().map(|m| m.id) else {
            break;
        };
        after = Some(last);
        let mut docs: Vec<SearchDoc> = page
            .into_iter()
            .map(|m| {
                let p = where_.remove(&m.id);
                movie_doc(m, p)
            })
            .collect();
        with_sales(&mut docs, &sold);
        if pages.send(Page::Docs(docs)).await.is_err() {
            return Ok(());
        }
    }
    let mut docs = Vec::new();
    for e in events::Entity::find()
        .filter(events::Column::DeletedAt.is_null())
        .all(db)
        .await?
    {
        let p = where_.remove(&e.id);
        docs.push(event_doc(e, p));
    }
    with_sales(&mut docs, &sold);
    for t in theatres::Entity::find()
        .filter(theatres::Column::DeletedAt.is_null())
        .all(db)
        .await?
    {
        docs.push(theatre_doc(t));
    }
    docs.extend(super::articles::all(db).await?);
    if pages.send(Page::Docs(docs)).await.is_ok() {
        // A writer gone meanwhile reports why.
        let _ = pages.send(Page::End).await;
    }
    Ok(())
}

/// The documents of some titles and theatres as they are now: (live documents, retired ones).
pub(super) async fn some<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    movie_ids: &[Uuid],
    event_ids: &[Uuid],
    theatre_ids: &[Uuid],
) -> Result<(Vec<SearchDoc>, Vec<(Kind, String)>), DbErr> {
    let mut docs = Vec::new();
    let mut gone = Vec::new();
    if !movie_ids.is_empty() {
        let mut where_ = playing(db, now, Some(movie_ids), None).await?;
        let found = movies::Entity::find()
            .filter(movies::Column::Id.is_in(movie_ids.to_vec()))
            .all(db)
            .await?;
        for id in movie_ids {
            match found.iter().find(|m| m.id == *id && m.deleted_at.is_none()) {
                Some(m) => docs.push(movie_doc(m.clone(), where_.remove(id))),
                None => gone.push((Kind::Movie, id.to_string())),
            }
        }
    }
    if !event_ids.is_empty() {
        let mut where_ = playing(db, now, None, Some(event_ids)).await?;
        let found = events::Entity::find()
            .filter(events::Column::Id.is_in(event_ids.to_vec()))
            .all(db)
            .await?;
        for id in event_ids {
            match found.iter().find(|e| e.id == *id && e.deleted_at.is_none()) {
                Some(e) => docs.push(event_doc(e.clone(), where_.remove(id))),
                None => gone.push((Kind::Event, id.to_string())),
            }
        }
    }
    if !theatre_ids.is_empty() {
        let found = theatres::Entity::find()
            .filter(theatres::Column::Id.is_in(theatre_ids.to_vec()))
            .all(db)
            .await?;
        for id in theatre_ids {
            match found.iter().find(|t| t.id == *id && t.deleted_at.is_none()) {
                Some(t) => docs.push(theatre_doc(t.clone())),
                None => gone.push((Kind::Theatre, id.to_string())),
            }
        }
    }
    if !movie_ids.is_empty() || !event_ids.is_empty() {
        let sold = tickets_sold(db, now, Some((movie_ids, event_ids))).await?;
        with_sales(&mut docs, &sold);
    }
    Ok((docs, gone))
}
