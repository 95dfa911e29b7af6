//! What fields cost against `graphql_max_complexity`. A plain field costs 1 plus what it
//! selects; a list costs what it selects once per item it may return, so that a page of
//! 500 showtimes each asking for its seat map is refused before it runs rather than after
//! reading 500 maps.

/// The cost of a seat map beyond its fields: one read of every seat of a screen (up to a
/// few thousand) and their live status.
pub const SEAT_MAP: usize = 300;

/// A ceiling on any one field's cost, far above every limit, so that sums of costs never
/// overflow.
const CEILING: usize = 1 << 40;

/// The cost of a list field returning up to `first` items (`default` when not asked),
/// each costing `child_complexity`. A `first` beyond `max` counts as `max`: the field
/// refuses it with `BAD_USER_INPUT` without reading anything.
pub fn page(first: Option<i32>, default: usize, max: usize, child_complexity: usize) -> usize {
    let items = first.map_or(default, |n| usize::try_from(n.max(1)).unwrap_or(default));
    items
        .min(max)
        .saturating_mul(child_complexity.max(1))
        .saturating_add(1)
        .min(CEILING)
}

/// The cost of a list of about `items` entries, each costing `child_complexity`.
pub fn list(items: usize, child_complexity: usize) -> usize {
    page(None, items, items, child_complexity)
}

/// The cost of a seat map whose fields cost `child_complexity`.
pub fn seat_map(child_complexity: usize) -> usize {
    SEAT_MAP.saturating_add(child_complexity).min(CEILING)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_costs_its_items_times_their_fields() {
        assert_eq!(page(Some(10), 20, 100, 3), 31);
        assert_eq!(page(None, 20, 100, 3), 61);
        assert_eq!(page(Some(-5), 20, 100, 3), 4);
        assert_eq!(page(Some(1000), 20, 100, 3), 301);
        assert_eq!(list(5, 2), 11);
    }

    #[test]
    fn huge_costs_stay_bounded() {
        let nested = page(
            Some(i32::MAX),
            20,
            usize::MAX,
            page(Some(i32::MAX), 20, usize::MAX, usize::MAX),
        );
        assert_eq!(nested, CEILING);
        assert!(seat_map(usize::MAX) <= CEILING);
    }
}
