//! The Tantivy index of movies, events and theatres: full text with typo tolerance, prefix
//! matching for autocomplete, exact filters, and "near me" by distance on stored
//! coordinates. Writes go through one `IndexWriter` behind a lock; searches share a reader.

mod document;
mod fuzzy;
mod query;
mod schema;

use std::path::Path;
use std::sync::{Arc, Mutex};

use tantivy::collector::TopDocs;
use tantivy::columnar::Column;
use tantivy::directory::MmapDirectory;
use tantivy::schema::Value;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use document::{Kind, SearchDoc};
pub use query::{Filters, Hit, SearchRequest, Suggestion};

use crate::geo::{LatLon, distance_km};
use schema::Fields;

/// Memory for the single writer thread (Tantivy's minimum is 15 MB per thread).
const WRITER_HEAP: usize = 32 * 1024 * 1024;

/// Why the index failed.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Tantivy failed (I/O, a corrupt segment, …).
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
    /// The folder could not be opened.
    #[error("search index folder: {0}")]
    Directory(#[from] tantivy::directory::error::OpenDirectoryError),
    /// Another process has the index open for writing.
    #[error("search index is in use by another process")]
    Locked,
    /// The writer lock was poisoned by a panic.
    #[error("search index writer is unusable")]
    Poisoned,
}

/// The index with its reader and its one writer.
pub struct SearchIndex {
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    expansions: fuzzy::Expansions,
    /// The columns of the reader's current generation.
    columns: Mutex<Option<(u64, Arc<Columns>)>>,
}

impl SearchIndex {
    /// An index kept in memory (tests, tools).
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema::build();
        Self::with(Index::create_in_ram(schema), fields)
    }

    /// Opens the index in `dir`, creating it if the folder is empty.
    pub fn open(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| tantivy::TantivyError::IoError(std::sync::Arc::new(e)))?;
        let (schema, fields) = schema::build();
        let index = Index::open_or_create(MmapDirectory::open(dir)?, schema)?;
        Self::with(index, fields)
    }

    fn with(index: Index, fields: Fields) -> Result<Self, SearchError> {
        schema::register_tokenizers(&index);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index
            .writer_with_num_threads(1, WRITER_HEAP)
            .map_err(|e| match e {
                tantivy::TantivyError::LockFailure(..) => SearchError::Locked,
                other => other.into(),
            })?;
        Ok(Self {
            reader,
            writer: Mutex::new(writer),
            fields,
            expansions: fuzzy::Expansions::default(),
            columns: Mutex::default(),
        })
    }

    /// Adds or replaces documents, and makes them searchable.
    pub fn upsert(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        for doc in docs {
            writer.delete_term(Term::from_field_text(self.fields.key, &doc.key()));
            writer.add_document(document::to_tantivy(&self.fields, doc))?;
        }
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Removes documents by kind and id, and makes that visible.
    pub fn remove(&self, items: &[(Kind, String)]) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        for (kind, id) in items {
            writer.delete_term(Term::from_field_text(
                self.fields.key,
                &document::key(*kind, id),
            ));
        }
        writer.commit()?;
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// Replaces the whole index with `docs` (a rebuild).
    pub fn replace_all(&self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        let mut writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        writer.delete_all_documents()?;
        for doc in docs {
            writer.add_document(document::to_tantivy(&self.fields, doc))?;
        }
        writer.commit()?;
        // A typo walks every segment's dictionary, so a rebuilt catalogue is searched as
        // one segment (changes made later add small ones the merge policy folds in).
        let segments = writer.index().searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        drop(writer);
        self.reader.reload()?;
        Ok(())
    }

    /// How many documents are searchable.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Whether nothing is searchable.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Ranked hits for a request.
    pub fn search(&self, request: &SearchRequest) -> Result<Vec<Hit>, SearchError> {
        let searcher = self.reader.searcher();
        let (query, matched) = query::full_text(&searcher, &self.fields, &self.expansions, request);
        // Standing re-ranks the best candidates by relevance, so fetch a few more than the
        // page; distance filtering happens after ranking, so fetch enough to fill it.
        let fetch = if request.filters.near.is_some() {
            (request.limit * 20).max(200)
        } else {
            (request.limit * 3).max(30)
        };
        let top = searcher.search(&query, &TopDocs::with_limit(fetch).order_by_score())?;
        let columns = self.columns(&searcher);
        // Ranked on fast fields; only the page's documents are read from the store (and
        // those near the point, whose theatres' places are stored).
        let mut ranked = Vec::with_capacity(top.len());
        for (score, address) in top {
            let (doc, distance_km) = match request.filters.near {
                Some((center, radius)) => {
                    let doc: TantivyDocument = searcher.doc(address)?;
                    // A theatre has one point; a title has the points of the theatres playing it.
                    let nearest = stored_points(&doc, &self.fields)
                        .into_iter()
                        .map(|p| distance_km(center, p))
                        .fold(f64::INFINITY, f64::min);
                    if nearest > radius {
                        continue;
                    }
                    (Some(doc), Some(nearest))
                }
                None => (None, None),
            };
            let score = score * columns.boost(address) as f32;
            ranked.push((score, address, doc, distance_km));
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
        ranked.truncate(request.limit);
        let snippets = if request.snippets {
            Some(query::snippets(&searcher, &matched, &self.fields))
        } else {
            None
        };
        let mut hits = Vec::with_capacity(ranked.len());
        for (score, address, doc, distance_km) in ranked {
            // The stored document is read only for what the columns lack.
            let key = columns.key(address);
            let doc = match doc {
                None if key.is_none() || snippets.is_some() => Some(searcher.doc(address)?),
                doc => doc,
            };
            let (kind, id) = match (key, &doc) {
                (Some(key), _) => key,
                (None, Some(doc)) => (
                    stored_kind(doc, &self.fields),
                    stored_text(doc, self.fields.id),
                ),
                (None, None) => continue,
            };
            let snippet = snippets.as_ref().zip(doc.as_ref());
            hits.push(Hit {
                kind,
                id,
                score,
                snippet: snippet.and_then(|(s, doc)| s.html(doc)),
                distance_km,
            });
        }
        if request.filters.near.is_some() && request.text.trim().is_empty() {
            hits.sort_by(|a, b| {
                a.distance_km
                    .partial_cmp(&b.distance_km)
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
        }
        Ok(hits)
    }

    /// Titles that start with what was typed so far.
    pub fn autocomplete(&self, prefix: &str, limit: usize) -> Result<Vec<Suggestion>, SearchError> {
        let searcher = self.reader.searcher();
        let Some(query) = query::autocomplete(&self.fields, prefix) else {
            return Ok(Vec::new());
        };
        let top = searcher.search(&query, &TopDocs::with_limit(limit).order_by_score())?;
        top.into_iter()
            .map(|(_, address)| {
                let doc: TantivyDocument = searcher.doc(address)?;
                Ok(Suggestion {
                    kind: stored_kind(&doc, &self.fields),
                    id: stored_text(&doc, self.fields.id),
                    title: stored_text(&doc, self.fields.title),
                })
            })
            .collect()
    }
}

impl SearchIndex {
    /// The columns of `searcher`'s segments, opened once per reader generation: opening
    /// them costs more than ranking a page with them.
    fn columns(&self, searcher: &tantivy::Searcher) -> Arc<Columns> {
        let generation = searcher.generation().generation_id();
        let mut kept = self.columns.lock().unwrap_or_else(|p| p.into_inner());
        match &*kept {
            Some((at, columns)) if *at == generation => columns.clone(),
            _ => {
                let columns = Arc::new(Columns::new(searcher));
                *kept = Some((generation, columns.clone()));
                columns
            }
        }
    }
}

/// Each segment's columns read while ranking: a title's standing, and what names a hit.
struct Columns {
    segments: Vec<SegmentColumns>,
}

struct SegmentColumns {
    boost: Option<Column<f64>>,
    kind: Option<Column<u64>>,
    id_high: Option<Column<u64>>,
    id_low: Option<Column<u64>>,
}

impl Columns {
    fn new(searcher: &tantivy::Searcher) -> Self {
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let columns = segment.fast_fields();
                SegmentColumns {
                    boost: columns.f64(schema::BOOST).ok(),
                    kind: columns.u64(schema::KIND_CODE).ok(),
                    id_high: columns.u64(schema::ID_HIGH).ok(),
                    id_low: columns.u64(schema::ID_LOW).ok(),
                }
            })
            .collect();
        Self { segments }
    }

    /// The standing of a hit (1 when it has none).
    fn boost(&self, address: DocAddress) -> f64 {
        self.segments
            .get(address.segment_ord as usize)
            .and_then(|s| s.boost.as_ref()?.first(address.doc_id))
            .unwrap_or(1.0)
    }

    /// What a hit is and its id, from the columns (`None` for an id that is not a UUID:
    /// then the stored document names the hit).
    fn key(&self, address: DocAddress) -> Option<(Kind, String)> {
        let segment = self.segments.get(address.segment_ord as usize)?;
        let read = |column: &Option<Column<u64>>| column.as_ref()?.first(address.doc_id);
        let kind = Kind::from_code(read(&segment.kind)?)?;
        let id = uuid::Uuid::from_u64_pair(read(&segment.id_high)?, read(&segment.id_low)?);
        Some((kind, id.hyphenated().to_string()))
    }
}

fn stored_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

fn stored_kind(doc: &TantivyDocument, fields: &Fields) -> Kind {
    Kind::parse(&stored_text(doc, fields.kind)).unwrap_or(Kind::Movie)
}

fn stored_points(doc: &TantivyDocument, fields: &Fields) -> Vec<LatLon> {
    let lats = doc.get_all(fields.lat).filter_map(|v| v.as_f64());
    let lons = doc.get_all(fields.lon).filter_map(|v| v.as_f64());
    lats.zip(lons)
        .map(|(lat, lon)| LatLon { lat, lon })
        .collect()
}

#[cfg(test)]
mod tests;
