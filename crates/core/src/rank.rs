//! One stable sort for every list the app orders (findings, MX hosts,
//! causes, flattening candidates).
//!
//! `slice::sort_by_key` is instantiated per element type and key closure,
//! and each instantiation brings its own copy of the sort algorithm (about
//! 3.5 KB of wasm each). Here the algorithm runs once, on `(rank, index)`
//! pairs, whatever is being ordered; only the small permutation step is
//! generic. The lists are short (tens of items), so the extra allocation
//! does not matter.

/// Sorts `items` by `rank`, lowest first, keeping the order of equal ranks.
pub fn sort_by_rank<T>(items: &mut Vec<T>, rank: impl Fn(&T) -> i64) {
    let mut keyed: Vec<(i64, usize)> = items.iter().enumerate().map(|(at, item)| (rank(item), at)).collect();
    // Distinct indices make every pair unique, so an unstable sort gives the stable order.
    sort_pairs(&mut keyed);
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(keyed.into_iter().filter_map(|(_, at)| slots.get_mut(at).and_then(Option::take)));
}

/// The one instantiation of the sort algorithm.
#[inline(never)]
fn sort_pairs(pairs: &mut [(i64, usize)]) {
    pairs.sort_unstable();
}

#[cfg(test)]
mod tests {
    use super::sort_by_rank;

    #[test]
    fn equal_ranks_keep_their_order() {
        let mut v = vec![(2, 'a'), (1, 'b'), (2, 'c'), (0, 'd'), (1, 'e')];
        sort_by_rank(&mut v, |&(r, _)| r);
        assert_eq!(v, [(0, 'd'), (1, 'b'), (1, 'e'), (2, 'a'), (2, 'c')]);
        let mut empty: Vec<u8> = Vec::new();
        sort_by_rank(&mut empty, |&x| i64::from(x));
        assert!(empty.is_empty());
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// The same order as the standard library's stable sort, on any list.
        #[test]
        fn agrees_with_sort_by_key(v in proptest::collection::vec((0i64..5, proptest::num::u16::ANY), 0..60)) {
            let mut ours = v.clone();
            sort_by_rank(&mut ours, |&(r, _)| r);
            let mut std = v;
            std.sort_by_key(|&(r, _)| r);
            proptest::prop_assert_eq!(ours, std);
        }
    }
}
