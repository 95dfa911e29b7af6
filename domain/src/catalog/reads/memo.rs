//! Movies, events, theatres and showtimes by id, kept in memory at the catalog generation they were
//! read in. Search hits, showtimes and bookings name the same titles and venues over and
//! over, and catalog rows change seldom; a row is served from memory only while no catalog
//! change has been heard since it was read (the generation of the listings cache, which a
//! write made here moves at once), so it is never older than what a database read would
//! have returned before that change was heard.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use super::super::{CatalogError, Event, Movie, Showtime, Theatre};
use crate::cache::QueryCache;
use crate::ids::{EventId, MovieId, ShowtimeId, TheatreId};

/// Rows kept per kind and half: a half that fills becomes the older half, and the older
/// half is dropped, so the rows read recently stay without tracking each one's last use.
const HALF: usize = 8_192;

/// The rows of the kinds that searches, listings and seat maps name.
#[derive(Default)]
pub(super) struct Rows {
    pub movies: RowMemo<MovieId, Movie>,
    pub events: RowMemo<EventId, Event>,
    pub theatres: RowMemo<TheatreId, Theatre>,
    /// Every buyer of an on-sale asks for the same showtime with its seat map.
    pub showtimes: RowMemo<ShowtimeId, Showtime>,
}

/// Rows of one kind, read at one generation.
pub(super) struct RowMemo<K, V> {
    inner: Mutex<Halves<K, V>>,
}

struct Halves<K, V> {
    generation: i64,
    recent: HashMap<K, V>,
    older: HashMap<K, V>,
}

impl<K, V> Default for RowMemo<K, V> {
    fn default() -> Self {
        Self {
            inner: Mutex::new(Halves {
                generation: i64::MIN,
                recent: HashMap::new(),
                older: HashMap::new(),
            }),
        }
    }
}

impl<K: Copy + Eq + Hash, V: Clone> RowMemo<K, V> {
    /// The rows of `ids`: those kept, and the others read by `read` (which gets the ids
    /// missing) and kept if no catalog change was heard while they were read.
    pub(super) async fn load(
        &self,
        listings: &QueryCache,
        ids: &[K],
        read: impl AsyncFnOnce(&[K]) -> Result<HashMap<K, V>, CatalogError>,
    ) -> Result<HashMap<K, V>, CatalogError> {
        // The generation before the read: every change it stands for is committed, so
        // the rows read reflect them.
        let generation = listings.generation();
        let (mut found, missing) = self.get(generation, ids);
        if missing.is_empty() {
            return Ok(found);
        }
        let read = read(&missing).await?;
        self.keep(generation, &read);
        found.extend(read);
        Ok(found)
    }

    /// The rows of `ids` kept at `generation`, and the ids to read from the database.
    fn get(&self, generation: i64, ids: &[K]) -> (HashMap<K, V>, Vec<K>) {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.generation != generation {
            // The catalog changed: nothing kept may be served any more.
            inner.generation = generation;
            inner.recent.clear();
            inner.older.clear();
        }
        let mut found = HashMap::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in ids {
            if let Some(row) = inner.recent.get(id) {
                found.insert(*id, row.clone());
            } else if let Some(row) = inner.older.remove(id) {
                found.insert(*id, row.clone());
                inner.insert(*id, row);
            } else {
                missing.push(*id);
            }
        }
        (found, missing)
    }

    /// Keeps rows read from the database when `generation` was the newest change heard;
    /// rows read before a change heard since are not kept.
    fn keep<'a>(&self, generation: i64, rows: impl IntoIterator<Item = (&'a K, &'a V)>)
    where
        K: 'a,
        V: 'a,
    {
        let mut inner = self.inner.lock().unwrap_or_else(|p| p.into_inner());
        if inner.generation != generation {
            return;
        }
        for (id, row) in rows {
            inner.insert(*id, row.clone());
        }
    }
}

impl<K: Eq + Hash, V> Halves<K, V> {
    fn insert(&mut self, id: K, row: V) {
        if self.recent.len() >= HALF {
            self.older = std::mem::take(&mut self.recent);
        }
        self.recent.insert(id, row);
    }
}

#[cfg(test)]
mod tests {
    use super::{HALF, RowMemo};

    #[test]
    fn rows_are_served_only_at_the_generation_they_were_read_in() {
        let memo: RowMemo<u32, &str> = RowMemo::default();
        let (found, missing) = memo.get(7, &[1, 2]);
        assert!(found.is_empty());
        assert_eq!(missing, vec![1, 2]);
        memo.keep(7, [(&1, &"one"), (&2, &"two")]);
        let (found, missing) = memo.get(7, &[1, 2, 3]);
        assert_eq!((found[&1], found[&2]), ("one", "two"));
        assert_eq!(missing, vec![3]);
        // A change was heard: what was read before it is read again.
        let (found, missing) = memo.get(8, &[1]);
        assert!(found.is_empty());
        assert_eq!(missing, vec![1]);
        // Rows read at the old generation, arriving after the change, are not kept.
        memo.keep(7, [(&1, &"stale")]);
        assert_eq!(memo.get(8, &[1]).1, vec![1]);
    }

    #[test]
    fn a_full_memo_drops_the_rows_least_recently_read() {
        let memo: RowMemo<usize, usize> = RowMemo::default();
        let all: Vec<usize> = (0..HALF * 2).collect();
        assert_eq!(memo.get(1, &all).1.len(), HALF * 2);
        memo.keep(1, all.iter().map(|i| (i, i)));
        // Row 0 is in the older half; reading it makes it recent again.
        assert!(memo.get(1, &[0]).1.is_empty());
        let more: Vec<usize> = (HALF * 2..HALF * 3).collect();
        memo.keep(1, more.iter().map(|i| (i, i)));
        assert!(memo.get(1, &[0]).1.is_empty(), "a row read lately stays");
        assert_eq!(memo.get(1, &[1]).1, vec![1], "a row not read lately goes");
    }
}
