//! The index's fields and analyzers.

use tantivy::Index;
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TEXT, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{LowerCaser, NgramTokenizer, RawTokenizer, TextAnalyzer};

/// Whole titles cut into their prefixes (`s`, `sp`, `spi`, …), lower-cased: autocomplete.
pub(super) const PREFIXES: &str = "title_prefixes";
/// Whole titles lower-cased as one token: exact-title boost.
pub(super) const EXACT: &str = "title_exact";
/// `kind:id`, also a column: a hit is named without reading its stored document.
pub(super) const KEY: &str = "key";
/// A title's standing, read while ranking.
pub(super) const BOOST: &str = "boost";
/// Longest prefix indexed.
pub(super) const MAX_PREFIX: usize = 40;

/// Handles on every field.
#[derive(Clone, Copy)]
pub(super) struct Fields {
    /// `kind:id`, unique: what updates and deletes address.
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub title: Field,
    pub title_exact: Field,
    pub title_prefixes: Field,
    pub body: Field,
    pub people: Field,
    pub place: Field,
    pub genre: Field,
    pub language: Field,
    pub city: Field,
    pub state: Field,
    pub zip: Field,
    pub date: Field,
    pub lat: Field,
    pub lon: Field,
    /// How much a title's standing (rating, playing soon) lifts its relevance.
    pub boost: Field,
}

pub(super) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analyzed = |name: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(name)
                .set_index_option(IndexRecordOption::Basic),
        )
    };
    let fields = Fields {
        key: b.add_text_field(KEY, STRING | FAST),
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", TEXT | STORED),
        title_exact: b.add_text_field(EXACT, analyzed(EXACT)),
        title_prefixes: b.add_text_field(PREFIXES, analyzed(PREFIXES)),
        body: b.add_text_field("body", TEXT | STORED),
        people: b.add_text_field("people", TEXT),
        place: b.add_text_field("place", TEXT),
        genre: b.add_text_field("genre", STRING),
        language: b.add_text_field("language", STRING),
        city: b.add_text_field("city", STRING),
        state: b.add_text_field("state", STRING),
        zip: b.add_text_field("zip", STRING),
        date: b.add_text_field("date", STRING),
        lat: b.add_f64_field("lat", STORED),
        lon: b.add_f64_field("lon", STORED),
        boost: b.add_f64_field(BOOST, FAST),
    };
    (b.build(), fields)
}

pub(super) fn register_tokenizers(index: &Index) {
    let tokenizers = index.tokenizers();
    tokenizers.register(
        EXACT,
        TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .build(),
    );
    if let Ok(prefixes) = NgramTokenizer::prefix_only(1, MAX_PREFIX) {
        tokenizers.register(
            PREFIXES,
            TextAnalyzer::builder(prefixes).filter(LowerCaser).build(),
        );
    }
}

/// How filters store values: trimmed and lower-cased.
pub(super) fn normalise(value: &str) -> String {
    value.trim().to_lowercase()
}
