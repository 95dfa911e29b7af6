//! The Tantivy index of movies, events and theatres: full text with typo tolerance, prefix
//! matching for autocomplete, exact filters, and "near me" by distance on a column of
//! coordinates. Writes go through one `IndexWriter` behind a lock; searches share a reader.

mod document;
mod fuzzy;
mod query;
mod ranking;
mod schema;

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::collector::TopDocs;
use tantivy::directory::MmapDirectory;
use tantivy::schema::Value;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

pub use document::{Kind, SearchDoc};
pub use query::{Filters, Hit, SearchRequest, Suggestion};

use ranking::Columns;
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
        let mut rebuild = self.rebuild()?;
        rebuild.add(docs)?;
        rebuild.finish()
    }

    /// Starts replacing the whole index: documents are then added a batch at a time, so
    /// that a catalogue of millions is never in memory at once. Searches see the old
    /// documents until [`Rebuild::finish`]; a rebuild dropped unfinished changes nothing.
    pub fn rebuild(&self) -> Result<Rebuild<'_>, SearchError> {
        let writer = self.writer.lock().map_err(|_| SearchError::Poisoned)?;
        writer.delete_all_documents()?;
        Ok(Rebuild {
            index: self,
            writer: Some(writer),
        })
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
        let columns = self.columns(&searcher);
        let near = request
            .filters
            .near
            .map(|(center, radius_km)| ranking::Near {
                center,
                radius_km,
                nearest_first: request.text.trim().is_empty(),
            });
        let top = searcher.search(&query, &ranking::top(columns.clone(), near, request.limit))?;
        // The collector ranks those outside the radius last, when it has nothing better.
        let ranked: Vec<(f64, DocAddress)> = top
            .into_iter()
            .filter(|(rank, _)| *rank > f64::NEG_INFINITY)
            .collect();
        let snippets = if request.snippets {
            Some(query::snippets(&searcher, &matched, &self.fields))
        } else {
            None
        };
        let mut hits = Vec::with_capacity(ranked.len());
        for (rank, address) in ranked {
            let distance_km = near.map(|n| columns.distance_km(address, n.center));
            let score = match near {
                Some(n) if n.nearest_first => columns.boost(address) as f32,
                _ => rank as f32,
            };
            // The stored document is read only for what the columns lack.
            let key = columns.key(address);
            let doc: Option<TantivyDocument> = if key.is_none() || snippets.is_some() {
                Some(searcher.doc(address)?)
            } else {
                None
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

/// A whole-index replacement under way, holding the index's one writer.
pub struct Rebuild<'a> {
    index: &'a SearchIndex,
    /// Taken by `finish`; still here when dropped unfinished, to be rolled back.
    writer: Option<MutexGuard<'a, IndexWriter>>,
}

impl Rebuild<'_> {
    /// Adds documents to the new index.
    pub fn add(&mut self, docs: &[SearchDoc]) -> Result<(), SearchError> {
        let writer = self.writer.as_mut().ok_or(SearchError::Poisoned)?;
        for doc in docs {
            writer.add_document(document::to_tantivy(&self.index.fields, doc))?;
        }
        Ok(())
    }

    /// Makes the new index the searchable one.
    pub fn finish(mut self) -> Result<(), SearchError> {
        let mut writer = self.writer.take().ok_or(SearchError::Poisoned)?;
        writer.commit()?;
        // A typo walks every segment's dictionary, so a rebuilt catalogue is searched as
        // one segment (changes made later add small ones the merge policy folds in).
        let segments = writer.index().searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        drop(writer);
        self.index.reader.reload()?;
        Ok(())
    }
}

impl Drop for Rebuild<'_> {
    fn drop(&mut self) {
        if let Some(writer) = self.writer.as_mut()
            && let Err(e) = writer.rollback()
        {
            tracing::warn!(error = %e, "an unfinished rebuild could not be rolled back");
        }
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

fn stored_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .unwrap_or_default()
        .to_owned()
}

fn stored_kind(doc: &TantivyDocument, fields: &Fields) -> Kind {
    Kind::parse(&stored_text(doc, fields.kind)).unwrap_or(Kind::Movie)
}

#[cfg(test)]
mod tests;
