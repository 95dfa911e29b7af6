//! Ranking every candidate on columns: relevance lifted by a title's standing, or, when
//! browsing near a point, nearest first; candidates outside the radius are left out. Done
//! while collecting, so that no candidate is lost to a cut made before filtering.

use std::sync::Arc;

use tantivy::collector::{Collector, TopDocs};
use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentReader};

use super::document::Kind;
use super::schema;
use crate::geo::{BoundingBox, LatLon, distance_km};

/// Each segment's columns: a title's standing, where it is, and what names it.
pub(super) struct Columns {
    segments: Vec<(SegmentId, SegmentColumns)>,
}

struct SegmentColumns {
    boost: Option<Column<f64>>,
    points: Option<Column<u64>>,
    kind: Option<Column<u64>>,
    id_high: Option<Column<u64>>,
    id_low: Option<Column<u64>>,
}

impl Columns {
    pub(super) fn new(searcher: &Searcher) -> Self {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let columns = segment.fast_fields();
                let opened = SegmentColumns {
                    boost: columns.f64(schema::BOOST).ok(),
                    points: columns.u64(schema::POINTS).ok(),
                    kind: columns.u64(schema::KIND_CODE).ok(),
                    id_high: columns.u64(schema::ID_HIGH).ok(),
                    id_low: columns.u64(schema::ID_LOW).ok(),
                };
                (segment.segment_id(), opened)
            })
            .collect();
        Self { segments }
    }

    fn segment(&self, address: DocAddress) -> Option<&SegmentColumns> {
        self.segments
            .get(address.segment_ord as usize)
            .map(|(_, columns)| columns)
    }

    /// The standing of a hit (1 when it has none).
    pub(super) fn boost(&self, address: DocAddress) -> f64 {
        self.segment(address)
            .map_or(1.0, |s| s.boost(address.doc_id))
    }

    /// How far the nearest of a hit's points is from `center`.
    pub(super) fn distance_km(&self, address: DocAddress, center: LatLon) -> f64 {
        self.segment(address)
            .map_or(f64::INFINITY, |s| s.nearest(address.doc_id, center, None))
    }

    /// What a hit is and its id (`None` for an id that is not a UUID: then the stored
    /// document names the hit).
    pub(super) fn key(&self, address: DocAddress) -> Option<(Kind, String)> {
        let segment = self.segment(address)?;
        let read = |column: &Option<Column<u64>>| column.as_ref()?.first(address.doc_id);
        let kind = Kind::from_code(read(&segment.kind)?)?;
        let id = uuid::Uuid::from_u64_pair(read(&segment.id_high)?, read(&segment.id_low)?);
        Some((kind, id.hyphenated().to_string()))
    }
}

impl SegmentColumns {
    fn boost(&self, doc: DocId) -> f64 {
        self.boost
            .as_ref()
            .and_then(|column| column.first(doc))
            .unwrap_or(1.0)
    }

    /// The distance to the nearest point (a theatre has one; a title has those of the
    /// theatres playing it), infinite when none is in `within` (a cheap first test).
    fn nearest(&self, doc: DocId, center: LatLon, within: Option<&BoundingBox>) -> f64 {
        let Some(column) = &self.points else {
            return f64::INFINITY;
        };
        column
            .values_for_doc(doc)
            .map(LatLon::unpacked)
            .filter(|p| within.is_none_or(|b| b.contains(*p)))
            .map(|p| distance_km(center, p))
            .fold(f64::INFINITY, f64::min)
    }
}

/// Where hits must be, and whether they are listed nearest first.
#[derive(Clone, Copy)]
pub(super) struct Near {
    pub center: LatLon,
    pub radius_km: f64,
    /// No words to rank by.
    pub nearest_first: bool,
}

/// The best `limit` candidates, best first, with the key they were ranked by (relevance
/// times standing, or the negated distance when nearest first); candidates outside the
/// radius are not collected.
pub(super) fn top(
    columns: Arc<Columns>,
    near: Option<Near>,
    limit: usize,
) -> impl Collector<Fruit = Vec<(f64, DocAddress)>> {
    let bounds = near.map(|n| BoundingBox::around(n.center, n.radius_km));
    TopDocs::with_limit(limit).tweak_score(move |segment: &SegmentReader| {
        let columns = columns.clone();
        let at = columns
            .segments
            .iter()
            .position(|(id, _)| *id == segment.segment_id());
        move |doc: DocId, score: Score| -> f64 {
            let Some((_, segment)) = at.and_then(|i| columns.segments.get(i)) else {
                return f64::from(score);
            };
            match (near, &bounds) {
                (Some(near), Some(bounds)) => {
                    let distance = segment.nearest(doc, near.center, Some(bounds));
                    if distance > near.radius_km {
                        f64::NEG_INFINITY
                    } else if near.nearest_first {
                        -distance
                    } else {
                        f64::from(score) * segment.boost(doc)
                    }
                }
                _ => f64::from(score) * segment.boost(doc),
            }
        }
    })
}
