//! A title's sales move its ranking, but an on-sale confirms many bookings a second: a title
//! is reindexed for its sales at most once a minute (by the domain clock), and a sale that
//! comes before its title's turn waits for that turn rather than being forgotten.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Duration, Utc};

use super::titles::Title;

/// How often, at most, a title is reindexed for its sales alone.
pub(super) const SALES_REINDEX_EVERY: Duration = Duration::seconds(60);

/// When titles' sales figures were last written, and the titles whose latest sales are not.
#[derive(Debug, Default)]
pub(super) struct SalesThrottle {
    written: HashMap<Title, DateTime<Utc>>,
    waiting: BTreeSet<Title>,
}

/// Whether a figure written `at` is recent enough at `now` to make a new sale wait (a clock
/// set back makes nothing wait).
fn recent(at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= at && now - at < SALES_REINDEX_EVERY
}

impl SalesThrottle {
    /// A title sold at `now`: whether to reindex it at once; if not, it waits for its turn.
    pub(super) fn sold(&mut self, title: Title, now: DateTime<Utc>) -> bool {
        match self.written.get(&title) {
            Some(at) if recent(*at, now) => {
                self.waiting.insert(title);
                false
            }
            _ => true,
        }
    }

    /// Titles waiting with sales whose turn has come by `now`.
    pub(super) fn due(&self, now: DateTime<Utc>) -> Vec<Title> {
        self.waiting
            .iter()
            .filter(|t| !self.written.get(t).is_some_and(|at| recent(*at, now)))
            .copied()
            .collect()
    }

    /// Titles reindexed at `now`: the figure of each is current, so none waits any more,
    /// and the next sale of those reindexed for their sales waits a minute from now (a
    /// reindex for another reason lets the first sale after it through at once).
    pub(super) fn written(
        &mut self,
        titles: impl IntoIterator<Item = Title>,
        for_sales: &[Title],
        now: DateTime<Utc>,
    ) {
        for title in titles {
            self.waiting.remove(&title);
        }
        for title in for_sales {
            self.written.insert(*title, now);
        }
        self.written.retain(|_, at| recent(*at, now));
    }

    /// Every title was reindexed (a rebuild): none waits any more.
    pub(super) fn all_written(&mut self) {
        self.waiting.clear();
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    #[test]
    fn a_title_selling_every_few_seconds_is_reindexed_once_a_minute() {
        let mut sales = SalesThrottle::default();
        let title = Title::Movie(Uuid::new_v4());
        let start = Utc::now();
        let mut reindexed = Vec::new();
        for second in (0..=180).step_by(10) {
            let now = start + Duration::seconds(second);
            let mut go = sales.sold(title, now);
            go |= sales.due(now).contains(&title);
            if go {
                sales.written([title], &[title], now);
                reindexed.push(second);
            }
        }
        assert_eq!(reindexed, vec![0, 60, 120, 180]);
    }

    #[test]
    fn a_sale_before_its_turn_is_reindexed_when_the_turn_comes() {
        let mut sales = SalesThrottle::default();
        let title = Title::Event(Uuid::new_v4());
        let start = Utc::now();
        assert!(sales.sold(title, start));
        sales.written([title], &[title], start);
        assert!(!sales.sold(title, start + Duration::seconds(5)));
        assert!(sales.due(start + Duration::seconds(59)).is_empty());
        assert_eq!(sales.due(start + Duration::seconds(60)), vec![title]);
        sales.written([title], &[title], start + Duration::seconds(60));
        assert!(sales.due(start + Duration::seconds(200)).is_empty());
    }

    #[test]
    fn a_reindex_for_another_reason_takes_in_waiting_sales_and_lets_the_next_through() {
        let mut sales = SalesThrottle::default();
        let title = Title::Movie(Uuid::new_v4());
        let start = Utc::now();
        sales.written([title], &[title], start);
        assert!(!sales.sold(title, start + Duration::seconds(1)));
        sales.written([title], &[], start + Duration::seconds(2));
        assert!(sales.due(start + Duration::seconds(90)).is_empty());
        let untouched = Title::Movie(Uuid::new_v4());
        sales.written([untouched], &[], start);
        assert!(sales.sold(untouched, start + Duration::seconds(1)));
    }
}
