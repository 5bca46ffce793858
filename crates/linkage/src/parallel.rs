//! Work split over threads with results in input order, so that the output does not depend on
//! the number of threads or on their timing.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// The number of threads to use when none is configured: what the machine offers.
pub fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(std::num::NonZeroUsize::get)
        .unwrap_or(1)
}

/// Applies `f` to consecutive ranges covering `0..n` (at most `chunk` items each) on `threads`
/// threads and concatenates the results in the order of the ranges.
pub(crate) fn map_ranges<T, F>(n: usize, chunk: usize, threads: usize, f: F) -> Vec<T>
where
    T: Send,
    F: Fn(Range<usize>) -> Vec<T> + Sync,
{
    let chunk = chunk.max(1);
    let chunks = n.div_ceil(chunk);
    let threads = threads.clamp(1, chunks.max(1));
    if threads <= 1 || chunks <= 1 {
        return f(0..n);
    }
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Vec<T>)>> = Mutex::new(Vec::with_capacity(chunks));
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let c = next.fetch_add(1, Ordering::Relaxed);
                if c >= chunks {
                    break;
                }
                let start = c * chunk;
                let out = f(start..(start + chunk).min(n));
                if let Ok(mut r) = results.lock() {
                    r.push((c, out));
                }
            });
        }
    });
    let mut parts = results.into_inner().unwrap_or_default();
    parts.sort_by_key(|(c, _)| *c);
    let mut out = Vec::with_capacity(parts.iter().map(|(_, v)| v.len()).sum());
    for (_, v) in parts {
        out.extend(v);
    }
    out
}

/// A 64-bit FNV-1a hash: stable across runs and platforms (unlike the standard hasher's random
/// keys), for blocking keys.
pub(crate) fn stable_hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in *p {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        // Separator, so that ("ab", "c") and ("a", "bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_their_order_whatever_the_threads() {
        let f = |r: Range<usize>| r.map(|i| i * 2).collect::<Vec<_>>();
        let one = map_ranges(1000, 7, 1, f);
        let four = map_ranges(1000, 7, 4, f);
        assert_eq!(one, four);
        assert_eq!(one.len(), 1000);
        assert_eq!(map_ranges(0, 7, 4, f), Vec::<usize>::new());
    }

    #[test]
    fn hash_is_stable() {
        assert_eq!(stable_hash(&[b"ab", b"c"]), stable_hash(&[b"ab", b"c"]));
        assert_ne!(stable_hash(&[b"ab", b"c"]), stable_hash(&[b"a", b"bc"]));
    }
}
