//! Turning a request into a Tantivy query: every word must match a title, a description, a
//! person or a place, exactly or within a few typos; exact titles rank first; filters must
//! all hold.

use std::collections::BTreeMap;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, EmptyQuery, FuzzyTermQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::snippet::SnippetGenerator;
use tantivy::{Index, Searcher, TantivyDocument, Term};

use super::fuzzy::Expansions;

use super::document::Kind;
use super::schema::{Fields, MAX_PREFIX, WORDS_ANALYZER, normalise};
use crate::geo::LatLon;

/// Exact conditions on hits; empty lists do not filter.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Movies, events, theatres.
    pub kinds: Vec<Kind>,
    /// Any of these cities.
    pub cities: Vec<String>,
    /// Any of these states.
    pub states: Vec<String>,
    /// Any of these zip codes.
    pub zips: Vec<String>,
    /// Any of these genres.
    pub genres: Vec<String>,
    /// Any of these languages.
    pub languages: Vec<String>,
    /// Playing on any of these days (`YYYY-MM-DD`).
    pub dates: Vec<String>,
    /// Within this many kilometres of a point (for titles: of a theatre playing them).
    pub near: Option<(LatLon, f64)>,
}

/// What to search for.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// Words, possibly misspelt; empty lists everything that passes the filters.
    pub text: String,
    /// Exact conditions.
    pub filters: Filters,
    /// Hits wanted.
    pub limit: usize,
    /// Whether to highlight the matched words of each hit's description.
    pub snippets: bool,
}

/// A ranked result.
#[derive(Debug, Clone)]
pub struct Hit {
    /// What it is.
    pub kind: Kind,
    /// Its id.
    pub id: String,
    /// BM25 relevance with boosts.
    pub score: f32,
    /// The description with the matched words in `<b>`, when any matched there (and
    /// snippets were asked for).
    pub snippet: Option<String>,
    /// Distance to the requested point, in kilometres.
    pub distance_km: Option<f64>,
}

/// A title for the search box.
#[derive(Debug, Clone)]
pub struct Suggestion {
    /// What it is.
    pub kind: Kind,
    /// Its id.
    pub id: String,
    /// Its title.
    pub title: String,
}

/// Typos forgiven in a word of this length: none in very short words, one in short ones,
/// two in long ones.
pub(super) fn typos(word: &str) -> u8 {
    match word.chars().count() {
        0..=2 => 0,
        3..=5 => 1,
        _ => 2,
    }
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        Term::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn boosted(query: Box<dyn Query>, by: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, by))
}

/// Any of `values` in `field` (values normalised like the indexed ones).
fn any_of(field: Field, values: &[String]) -> Option<Box<dyn Query>> {
    if values.is_empty() {
        return None;
    }
    Some(Box::new(BooleanQuery::new(
        values
            .iter()
            .map(|v| (Occur::Should, term_query(field, &normalise(v))))
            .collect(),
    )))
}

/// The words of `text` as the title field's analyzer cuts them.
fn words(index: &Index, fields: &Fields, text: &str) -> Vec<String> {
    let Ok(mut analyzer) = index.tokenizer_for_field(fields.title) else {
        return Vec::new();
    };
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

/// The terms a typed word matches: itself, and when no document has it as typed, the
/// indexed words nearest to it (fewer typos forgiven in shorter words).
fn matching_words(
    searcher: &Searcher,
    f: &Fields,
    expansions: &Expansions,
    word: &str,
) -> Vec<String> {
    let mut terms = vec![word.to_owned()];
    terms.extend(
        expansions
            .of(searcher, word, typos(word), f.words)
            .iter()
            .cloned(),
    );
    terms
}

/// `terms` in `field`, the first (the word as typed) weighing `by`, its typo neighbours half.
fn any_term(field: Field, terms: &[String], by: f32) -> Box<dyn Query> {
    match terms {
        [only] => boosted(term_query(field, only), by),
        _ => Box::new(BooleanQuery::new(
            terms
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    let weight = if i == 0 { by } else { by / 2.0 };
                    (Occur::Should, boosted(term_query(field, t), weight))
                })
                .collect(),
        )),
    }
}

/// The query, and the words it matches (for snippets).
pub(super) fn full_text(
    searcher: &Searcher,
    f: &Fields,
    expansions: &Expansions,
    request: &SearchRequest,
) -> (Box<dyn Query>, Vec<String>) {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let words = words(searcher.index(), f, &request.text);
    let mut matched = Vec::new();
    for word in &words {
        let terms = matching_words(searcher, f, expansions, word);
        // Every word must be somewhere; one in the title counts for more. Only the
        // documents having every word are looked up in the titles.
        clauses.push((Occur::Must, any_term(f.words, &terms, 1.0)));
        clauses.push((Occur::Should, any_term(f.title, &terms, 2.0)));
        matched.extend(terms);
    }
    if words.is_empty() && !request.text.trim().is_empty() {
        // Typed, but nothing searchable (punctuation, a word too long to be indexed):
        // nothing matches, rather than everything.
        return (Box::new(EmptyQuery), matched);
    } else if words.is_empty() {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    } else {
        // The whole request is a title: rank it above titles that merely contain its words.
        clauses.push((
            Occur::Should,
            boosted(term_query(f.title_exact, &normalise(&request.text)), 10.0),
        ));
    }
    clauses.extend(kinds_filter(searcher, f, &request.filters.kinds));
    for filter in [
        any_of(f.city, &request.filters.cities),
        any_of(f.state, &request.filters.states),
        any_of(f.zip, &request.filters.zips),
        any_of(f.genre, &request.filters.genres),
        any_of(f.language, &request.filters.languages),
        any_of(f.date, &request.filters.dates),
    ]
    .into_iter()
    .flatten()
    {
        clauses.push((Occur::Must, filter));
    }
    (Box::new(BooleanQuery::new(clauses)), matched)
}

/// The kinds asked for, as the cheaper of two equal conditions (every document has exactly
/// one kind): one of the kinds wanted, or none of the others. A search for titles names
/// three kinds that hold nearly every document; walking their postings for every
/// candidate cost more than the words did, while the one kind left out (help articles)
/// is a handful of documents.
fn kinds_filter(searcher: &Searcher, f: &Fields, wanted: &[Kind]) -> Vec<(Occur, Box<dyn Query>)> {
    let others: Vec<Kind> = Kind::ALL
        .into_iter()
        .filter(|k| !wanted.contains(k))
        .collect();
    if wanted.is_empty() || others.is_empty() {
        return Vec::new();
    }
    let postings = |kinds: &[Kind]| -> u64 {
        kinds
            .iter()
            .map(|k| {
                let term = Term::from_field_text(f.kind, k.as_str());
                searcher.doc_freq(&term).unwrap_or(u64::MAX / 8)
            })
            .sum()
    };
    if postings(wanted) <= postings(&others) {
        let wanted: Vec<String> = wanted.iter().map(|k| k.as_str().to_owned()).collect();
        any_of(f.kind, &wanted)
            .map(|q| (Occur::Must, q))
            .into_iter()
            .collect()
    } else {
        others
            .iter()
            .map(|k| (Occur::MustNot, term_query(f.kind, k.as_str())))
            .collect()
    }
}

pub(super) fn autocomplete(f: &Fields, prefix: &str) -> Option<Box<dyn Query>> {
    let typed: String = normalise(prefix).chars().take(MAX_PREFIX).collect();
    if typed.is_empty() {
        return None;
    }
    let mut any: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Should,
        boosted(term_query(f.title_prefixes, &typed), 2.0),
    )];
    // A title any of whose words starts with the last word typed ("man" finds "Spider-Man").
    if let Some(last) = typed
        .split(|c: char| !c.is_alphanumeric())
        .rfind(|w| !w.is_empty())
    {
        let word_prefix =
            FuzzyTermQuery::new_prefix(Term::from_field_text(f.title, last), 0, false);
        any.push((Occur::Should, Box::new(word_prefix)));
    }
    // The search box suggests titles and venues; help articles are found by searching.
    Some(Box::new(BooleanQuery::new(vec![
        (
            Occur::Must,
            Box::new(BooleanQuery::new(any)) as Box<dyn Query>,
        ),
        (Occur::MustNot, term_query(f.kind, Kind::Article.as_str())),
    ])))
}

/// Longest snippet, in characters (Tantivy's default).
const SNIPPET_CHARS: usize = 150;

/// Highlighted descriptions for the hits of one query.
pub(super) struct Snippets {
    generator: Option<SnippetGenerator>,
}

impl Snippets {
    pub(super) fn html(&self, doc: &TantivyDocument) -> Option<String> {
        let snippet = self.generator.as_ref()?.snippet_from_doc(doc);
        (!snippet.highlighted().is_empty()).then(|| snippet.to_html())
    }
}

/// Snippets highlighting `words` in descriptions, the rarer words counting for more when
/// choosing the fragment.
pub(super) fn snippets(searcher: &Searcher, words: &[String], f: &Fields) -> Snippets {
    let mut terms: BTreeMap<String, f32> = BTreeMap::new();
    for word in words {
        let freq = searcher
            .doc_freq(&Term::from_field_text(f.words, word))
            .unwrap_or(0);
        if freq > 0 {
            terms.insert(word.clone(), 1.0 / (1.0 + freq as f32));
        }
    }
    let generator = searcher
        .index()
        .tokenizers()
        .get(WORDS_ANALYZER)
        .map(|analyzer| SnippetGenerator::new(terms, analyzer, f.body, SNIPPET_CHARS));
    Snippets { generator }
}
