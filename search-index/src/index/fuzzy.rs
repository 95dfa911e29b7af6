//! Typo tolerance by expansion: a misspelt word becomes the few indexed words nearest to
//! it, each searched as an ordinary term. A fuzzy query that unions the postings of every
//! word within two edits reads thousands of documents per word on a large catalogue;
//! searching the nearest words as terms lets the other words of the request skip most of
//! them, and ranks by BM25 rather than a flat score.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock as OnceCell};

use tantivy::query::{DfaWrapper, FuzzyTermQuery};
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// Nearest words kept per word. Enough for a typo between a few close words ("stranger",
/// "strangers", "strange"); more only adds words the user did not mean.
const MAX_EXPANSIONS: usize = 4;

/// The automata of one typed word.
struct Misspelt<'w> {
    word: &'w str,
    field: Field,
    /// One edit anywhere in the word.
    one: DfaWrapper,
    /// Two edits after the first letter (long words only), built when some field has no
    /// word one edit away: building and walking it costs most of a lookup.
    two: Option<OnceCell<Option<(DfaWrapper, String, String)>>>,
}

impl<'w> Misspelt<'w> {
    /// Words of `field` within `distance` edits of `word` (a transposition counts as one);
    /// `None` when the word forgives no typo. Two edits are looked for only among the words that
    /// start with the same letter: walking the whole dictionary at two edits costs most of
    /// a search, and a first letter is seldom the one mistyped.
    fn new(field: Field, word: &'w str, distance: u8) -> Option<Self> {
        if distance == 0 {
            return None;
        }
        let one = automaton(field, word, 1)?;
        let two = (distance >= 2).then(OnceCell::new);
        Some(Self {
            word,
            field,
            one,
            two,
        })
    }

    /// The two-edit automaton, and the range of words it walks.
    fn two(&self) -> Option<&(DfaWrapper, String, String)> {
        self.two
            .as_ref()?
            .get_or_init(|| {
                let first = self.word.chars().next()?;
                let next = char::from_u32(first as u32 + 1).unwrap_or(char::MAX);
                let dfa = automaton(self.field, self.word, 2)?;
                Some((dfa, first.to_string(), next.to_string()))
            })
            .as_ref()
    }

    /// The indexed words nearest to the typed one, fewest edits first, then the most
    /// common. Words two edits away are looked for only when none is one edit away, as
    /// only the nearest are kept.
    fn expansions(&self, searcher: &Searcher) -> Vec<String> {
        let one = walk(searcher, self.field, &self.one, None);
        let found = if one.is_empty()
            && let Some((two, from, until)) = self.two()
        {
            walk(searcher, self.field, two, Some((from, until)))
        } else {
            one
        };
        let mut ranked: Vec<(usize, u32, String)> = found
            .into_iter()
            .map(|(text, freq)| (edits(self.word, &text), freq, text))
            .collect();
        let Some(nearest) = ranked.iter().map(|(d, ..)| *d).min() else {
            return Vec::new();
        };
        ranked.retain(|(d, ..)| *d == nearest);
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.2.cmp(&b.2)));
        ranked
            .into_iter()
            .take(MAX_EXPANSIONS)
            .map(|(.., text)| text)
            .collect()
    }
}

/// The words of `field` that `dfa` accepts (among those in `range`, if given) in each
/// segment's dictionary, with the number of documents holding each.
fn walk(
    searcher: &Searcher,
    field: Field,
    dfa: &DfaWrapper,
    range: Option<(&str, &str)>,
) -> HashMap<String, u32> {
    let mut found: HashMap<String, u32> = HashMap::new();
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else {
            continue;
        };
        let terms = inverted.terms();
        let builder = match range {
            Some((from, until)) => terms.search(dfa).ge(from).lt(until),
            None => terms.search(dfa),
        };
        let Ok(mut words) = builder.into_stream() else {
            continue;
        };
        while words.advance() {
            if let Ok(text) = std::str::from_utf8(words.key()) {
                *found.entry(text.to_owned()).or_default() += words.value().doc_freq;
            }
        }
    }
    found
}

/// The automaton of the words within `distance` edits of `word`.
fn automaton(field: Field, word: &str, distance: u8) -> Option<DfaWrapper> {
    FuzzyTermQuery::new(Term::from_field_text(field, word), distance, true)
        .automaton()
        .ok()
}

/// Misspelt words remembered per index generation at most.
const REMEMBERED: usize = 8_192;

/// The nearest indexed words of a misspelt word.
pub(super) type Nearest = Arc<[String]>;

/// The expansions of words already looked up, for the index as it is now: a search box sees
/// the same typos over and over, and finding a word's neighbours costs two automata and
/// two walks of the words' dictionary in every segment. Forgotten as soon as the index
/// changes (a new reader generation), so an added or renamed title is found at once.
#[derive(Default)]
pub(super) struct Expansions {
    memo: Mutex<Memo>,
}

/// The generation the words were looked up in, and their expansions by word and distance.
type Memo = (u64, HashMap<(String, u8), Nearest>);

impl Expansions {
    /// The nearest words of `word` in `field` within `distance` edits; none when the word
    /// is indexed as typed, or forgives no typo.
    pub(super) fn of(
        &self,
        searcher: &Searcher,
        word: &str,
        distance: u8,
        field: Field,
    ) -> Nearest {
        let generation = searcher.generation().generation_id();
        let key = (word.to_owned(), distance);
        {
            let mut memo = self.memo.lock().unwrap_or_else(|p| p.into_inner());
            if memo.0 != generation {
                *memo = (generation, HashMap::new());
            }
            if let Some(kept) = memo.1.get(&key) {
                return kept.clone();
            }
        }
        let nearest: Nearest = match Misspelt::new(field, word, distance) {
            Some(misspelt) if !is_indexed(searcher, word, field) => {
                misspelt.expansions(searcher).into()
            }
            _ => Arc::new([]),
        };
        let mut memo = self.memo.lock().unwrap_or_else(|p| p.into_inner());
        if memo.0 == generation {
            if memo.1.len() >= REMEMBERED {
                memo.1.clear();
            }
            memo.1.insert(key, nearest.clone());
        }
        nearest
    }
}

/// Whether some document has `word` as typed: then it is taken as meant and not expanded.
fn is_indexed(searcher: &Searcher, word: &str, field: Field) -> bool {
    searcher.segment_readers().iter().any(|segment| {
        segment
            .inverted_index(field)
            .ok()
            .and_then(|inverted| inverted.terms().get(word).ok().flatten())
            .is_some()
    })
}

/// Edits between two words (insert, delete, substitute, swap two neighbours), the measure
/// the automaton matched by.
fn edits(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows of the optimal-string-alignment table.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current: Vec<usize> = vec![0; b.len() + 1];
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
        }
        std::mem::swap(&mut before, &mut previous);
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::edits;

    #[test]
    fn edits_count_swaps_as_one() {
        assert_eq!(edits("avengrs", "avengers"), 1);
        assert_eq!(edits("spdier", "spider"), 1);
        assert_eq!(edits("stranger", "strange"), 1);
        assert_eq!(edits("kitten", "sitting"), 3);
        assert_eq!(edits("", "abc"), 3);
        assert_eq!(edits("same", "same"), 0);
    }
}
