//! How the reader threads share the chunks. Each takes a contiguous run of about equal bytes:
//! consecutive Zarr chunks often come from the same source chunks, which one reader then decodes
//! once (and its libnetcdf handles keep cached), instead of every reader decoding them in turn.
//! A reader whose run is done takes from the end of the longest run left, so all finish together.

use std::collections::VecDeque;
use std::sync::Mutex;

pub struct Shares<T> {
    runs: Mutex<Vec<VecDeque<T>>>,
}

impl<T> Shares<T> {
    /// Split `items` (in write order) into `n` contiguous runs of about equal `cost`.
    pub fn new(items: Vec<T>, n: usize, cost: impl Fn(&T) -> u64) -> Shares<T> {
        let n = n.max(1);
        let total: u64 = items.iter().map(&cost).sum();
        let mut runs: Vec<VecDeque<T>> = (0..n).map(|_| VecDeque::new()).collect();
        let (mut run, mut so_far) = (0usize, 0u64);
        for item in items {
            // An item belongs to the run in which its first byte falls.
            while run + 1 < n && so_far * n as u64 >= total * (run as u64 + 1) && total > 0 {
                run += 1;
            }
            so_far += cost(&item);
            runs[run].push_back(item);
        }
        Shares { runs: Mutex::new(runs) }
    }

    /// The next item for reader `reader`; `None` when nothing is left anywhere.
    pub fn next(&self, reader: usize) -> Option<T> {
        let mut runs = self.runs.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let own = reader % runs.len();
        if let Some(item) = runs[own].pop_front() {
            return Some(item);
        }
        let longest = (0..runs.len()).max_by_key(|&i| runs[i].len())?;
        runs[longest].pop_back()
    }
}

#[cfg(test)]
mod tests {
    use super::Shares;

    #[test]
    fn contiguous_runs_of_equal_cost_then_stealing_from_the_end() {
        let s = Shares::new((0..10).collect::<Vec<u32>>(), 2, |_| 1);
        assert_eq!(s.next(0), Some(0));
        assert_eq!(s.next(1), Some(5));
        let mut first: Vec<u32> = (0..4).filter_map(|_| s.next(0)).collect();
        assert_eq!(first, vec![1, 2, 3, 4]);
        // Reader 0 is done with its run: it takes from the end of reader 1's.
        first.clear();
        assert_eq!(s.next(0), Some(9));
        assert_eq!(s.next(1), Some(6));
        let rest: Vec<u32> = std::iter::from_fn(|| s.next(1)).collect();
        assert_eq!(rest, vec![7, 8]);
        assert_eq!(s.next(0), None);
    }

    #[test]
    fn every_item_once_whatever_the_costs() {
        let costs = [0u64, 0, 100, 1, 1, 50, 0, 7, 300, 2];
        for n in 1..6 {
            let s = Shares::new((0..costs.len()).collect(), n, |&i| costs[i]);
            let mut got: Vec<usize> = Vec::new();
            let mut r = 0;
            while let Some(i) = s.next(r % n) {
                got.push(i);
                r += 1;
            }
            got.sort_unstable();
            assert_eq!(got, (0..costs.len()).collect::<Vec<_>>(), "{n} readers");
        }
    }

    #[test]
    fn nothing_to_share() {
        let s: Shares<u8> = Shares::new(Vec::new(), 3, |_| 1);
        assert_eq!(s.next(2), None);
    }
}
