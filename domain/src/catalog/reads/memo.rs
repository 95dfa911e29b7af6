//! Movies, events, theatres and showtimes by id, kept in memory at the catalog generation they were
//! read in. Search hits, showtimes and bookings name the same titles and venues over and
//! over, and catalog rows change seldom; a row is served from memory only while no catalog
//! change has been heard since it was read (the generation of the listings cache, which a
//! write made here moves at once), so it is never older than what a database read would
//! have returned before that change was heard.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::atomic::{AtomicI64, Ordering};

use moka::sync::Cache;

use super::super::{CatalogError, Event, Movie, Showtime, Theatre};
use crate::cache::QueryCache;
use crate::ids::{EventId, MovieId, ShowtimeId, TheatreId};

/// Rows kept per kind; beyond, the least used go first.
const MAX_ROWS: u64 = 16_384;

/// The rows of the kinds that searches, listings and seat maps name.
#[derive(Default)]
pub(super) struct Rows {
    pub movies: RowMemo<MovieId, Movie>,
    pub events: RowMemo<EventId, Event>,
    pub theatres: RowMemo<TheatreId, Theatre>,
    /// Every buyer of an on-sale asks for the same showtime with its seat map.
    pub showtimes: RowMemo<ShowtimeId, Showtime>,
}

/// Rows of one kind, by the generation they were read at and their id: a row read before
/// a change is never found by a reader after it, even one kept after the change was heard.
pub(super) struct RowMemo<K, V> {
    rows: Cache<(i64, K), V>,
    /// The newest generation asked for: when it moves, the older rows are dropped at once.
    newest: AtomicI64,
}

impl<K, V> Default for RowMemo<K, V>
where
    K: Eq + Hash + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    fn default() -> Self {
        Self {
            rows: Cache::new(MAX_ROWS),
            newest: AtomicI64::new(i64::MIN),
        }
    }
}

impl<K, V> RowMemo<K, V>
where
    K: Copy + Eq + Hash + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    /// The rows of `ids`: those kept, and the others read by `read` (which gets the ids
    /// missing) and kept at the generation from before the read.
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
        if self.newest.fetch_max(generation, Ordering::SeqCst) < generation {
            // The catalog changed: nothing kept may be served any more.
            self.rows.invalidate_all();
        }
        let mut found = HashMap::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in ids {
            match self.rows.get(&(generation, *id)) {
                Some(row) => {
                    found.insert(*id, row);
                }
                None => missing.push(*id),
            }
        }
        (found, missing)
    }

    /// Keeps rows read from the database when `generation` was the newest change heard.
    fn keep<'a>(&self, generation: i64, rows: impl IntoIterator<Item = (&'a K, &'a V)>)
    where
        K: 'a,
        V: 'a,
    {
        if self.newest.load(Ordering::SeqCst) > generation {
            return;
        }
        for (id, row) in rows {
            self.rows.insert((generation, *id), row.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{MAX_ROWS, RowMemo};

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
    fn a_full_memo_stays_bounded_and_keeps_the_rows_read_often() {
        let memo: RowMemo<u64, u64> = RowMemo::default();
        for i in 1..=MAX_ROWS * 2 {
            // Row 0 is read between every two rows read once.
            for id in [0, i] {
                if !memo.get(1, &[id]).1.is_empty() {
                    memo.keep(1, [(&id, &id)]);
                }
            }
        }
        memo.rows.run_pending_tasks();
        assert!(memo.rows.entry_count() <= MAX_ROWS);
        assert!(memo.get(1, &[0]).1.is_empty(), "a row read often stays");
    }
}
