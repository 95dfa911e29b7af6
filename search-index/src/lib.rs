//! Discovery without a database: geographic distance and bounding boxes, and the Tantivy
//! index of movies, events and theatres (full text with typo tolerance, autocomplete,
//! filters, near me). Callers build the documents from their catalog.

pub mod geo;
pub mod index;
