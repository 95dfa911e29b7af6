//! The index's fields and analyzers.

use tantivy::Index;
use tantivy::schema::{
    FAST, Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{LowerCaser, NgramTokenizer, RawTokenizer, TextAnalyzer};

/// Whole titles cut into their prefixes (`s`, `sp`, `spi`, …), lower-cased: autocomplete.
pub(super) const PREFIXES: &str = "title_prefixes";
/// Whole titles lower-cased as one token: exact-title boost.
pub(super) const EXACT: &str = "title_exact";
/// A hit's kind, and its id when that is a UUID, as numbers in columns: a hit is named
/// without reading its stored document, nor a column of strings.
pub(super) const KIND_CODE: &str = "kind_code";
pub(super) const ID_HIGH: &str = "id_high";
pub(super) const ID_LOW: &str = "id_low";
/// Where a hit is, read while filtering by distance.
pub(super) const POINTS: &str = "points";
/// A title's standing, read while ranking.
pub(super) const BOOST: &str = "boost";
/// How titles and descriptions are cut into words (Tantivy's default: split on what is
/// not a letter or digit, long tokens dropped, lower-cased).
pub(super) const WORDS_ANALYZER: &str = "default";
/// Longest prefix indexed.
pub(super) const MAX_PREFIX: usize = 40;

/// Handles on every field.
#[derive(Clone, Copy)]
pub(super) struct Fields {
    /// `kind:id`, unique: what updates and deletes address.
    pub key: Field,
    pub kind: Field,
    pub id: Field,
    pub kind_code: Field,
    pub id_high: Field,
    pub id_low: Field,
    /// Matched for the title preference, and by word starts in autocomplete.
    pub title: Field,
    pub title_exact: Field,
    pub title_prefixes: Field,
    /// Stored for snippets; searched through `words`.
    pub body: Field,
    /// Every word of the title, description, people and places: what a typed word must
    /// match. One field, so that a word and its typo neighbours are one small union of
    /// postings rather than one per field.
    pub words: Field,
    pub genre: Field,
    pub language: Field,
    pub city: Field,
    pub state: Field,
    pub zip: Field,
    pub date: Field,
    /// Where it plays (a theatre: where it is), packed points.
    pub points: Field,
    /// How much a title's standing (rating, playing soon) lifts its relevance.
    pub boost: Field,
}

pub(super) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let analyzed = |name: &str, option: IndexRecordOption| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(name)
                .set_index_option(option),
        )
    };
    let (basic, counted) = (IndexRecordOption::Basic, IndexRecordOption::WithFreqs);
    let fields = Fields {
        key: b.add_text_field("key", STRING),
        kind: b.add_text_field("kind", STRING | STORED),
        id: b.add_text_field("id", STRING | STORED),
        kind_code: b.add_u64_field(KIND_CODE, FAST),
        id_high: b.add_u64_field(ID_HIGH, FAST),
        id_low: b.add_u64_field(ID_LOW, FAST),
        title: b.add_text_field("title", analyzed(WORDS_ANALYZER, counted) | STORED),
        title_exact: b.add_text_field(EXACT, analyzed(EXACT, basic)),
        title_prefixes: b.add_text_field(PREFIXES, analyzed(PREFIXES, basic)),
        body: b.add_text_field("body", STORED),
        words: b.add_text_field("words", analyzed(WORDS_ANALYZER, counted)),
        genre: b.add_text_field("genre", STRING),
        language: b.add_text_field("language", STRING),
        city: b.add_text_field("city", STRING),
        state: b.add_text_field("state", STRING),
        zip: b.add_text_field("zip", STRING),
        date: b.add_text_field("date", STRING),
        points: b.add_u64_field(POINTS, FAST),
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
