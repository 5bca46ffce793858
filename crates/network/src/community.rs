//! Communities by Louvain modularity optimisation, and modularity itself.
//!
//! Louvain (Blondel et al. 2008): move each node to the neighbouring community that raises
//! modularity most, until no move helps; then fold each community into one node and start
//! again on the smaller graph, until nothing moves. Nodes are visited in an order shuffled by
//! a small seeded generator, so a seed always gives the same communities; of a few such runs
//! the one with the highest modularity is kept. Communities are
//! numbered by size, largest first, ties by their first key.

use std::collections::BTreeMap;

use crate::graph::{Adjacency, Network};

impl Network {
    /// Community number of every node (Louvain, deterministic for `seed`). 0 is the largest
    /// community; a node without links is a community of its own.
    pub fn communities(&self, seed: u64) -> BTreeMap<String, usize> {
        let adj = self.adjacency();
        louvain(&adj, seed)
            .into_iter()
            .zip(adj.keys.iter())
            .map(|(c, k)| ((*k).to_owned(), c))
            .collect()
    }

    /// Newman's modularity of a division into communities (on the simple undirected graph, as
    /// networkx's `modularity`): between -0.5 and 1, higher when links fall inside
    /// communities more than chance would have them. Nodes missing from `communities` are
    /// counted as communities of their own. 0 for a network without links.
    pub fn modularity(&self, communities: &BTreeMap<String, usize>) -> f64 {
        let adj = self.adjacency();
        let mut next = communities.values().max().map_or(0, |m| m + 1);
        let labels: Vec<usize> = adj
            .keys
            .iter()
            .map(|k| {
                communities.get(*k).copied().unwrap_or_else(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect();
        modularity_of(&adj, &labels)
    }
}

pub(crate) fn modularity_of(adj: &Adjacency<'_>, labels: &[usize]) -> f64 {
    let m2 = adj.targets.len() as f64; // twice the number of edges
    if m2 == 0.0 {
        return 0.0;
    }
    let mut inside = 0.0; // internal edges counted from both ends
    let mut degree_sum: BTreeMap<usize, f64> = BTreeMap::new();
    for (i, &ci) in labels.iter().enumerate() {
        *degree_sum.entry(ci).or_default() += adj.degree(i) as f64;
        for &j in adj.neighbours(i) {
            if labels.get(j as usize) == Some(&ci) {
                inside += 1.0;
            }
        }
    }
    let expected: f64 = degree_sum.values().map(|d| (d / m2) * (d / m2)).sum();
    inside / m2 - expected
}

/// Weighted undirected graph for the Louvain levels.
struct Weighted {
    /// Neighbours with edge weight (both directions listed, no self).
    links: Vec<Vec<(usize, f64)>>,
    /// Weight of each node's loop (the links folded inside it).
    loops: Vec<f64>,
}

impl Weighted {
    fn from_adjacency(adj: &Adjacency<'_>) -> Weighted {
        let n = adj.len();
        Weighted {
            links: (0..n)
                .map(|i| {
                    adj.neighbours(i)
                        .iter()
                        .map(|&j| (j as usize, 1.0))
                        .collect()
                })
                .collect(),
            loops: vec![0.0; n],
        }
    }

    fn len(&self) -> usize {
        self.links.len()
    }

    /// Weighted degree, loops counted twice.
    fn degrees(&self) -> Vec<f64> {
        self.links
            .iter()
            .zip(&self.loops)
            .map(|(l, s)| l.iter().map(|(_, w)| w).sum::<f64>() + 2.0 * s)
            .collect()
    }

    /// One community per node of the next level.
    fn fold(&self, comm: &[usize], k: usize) -> Weighted {
        let mut rows: Vec<BTreeMap<usize, f64>> = vec![BTreeMap::new(); k];
        let mut loops = vec![0.0; k];
        for (i, links) in self.links.iter().enumerate() {
            let Some(&ci) = comm.get(i) else { continue };
            if let (Some(l), Some(s)) = (loops.get_mut(ci), self.loops.get(i)) {
                *l += s;
            }
            for &(j, w) in links {
                let Some(&cj) = comm.get(j) else { continue };
                if ci == cj {
                    // Each internal link is seen from both ends.
                    if let Some(l) = loops.get_mut(ci) {
                        *l += w / 2.0;
                    }
                } else if let Some(row) = rows.get_mut(ci) {
                    *row.entry(cj).or_default() += w;
                }
            }
        }
        Weighted {
            links: rows.into_iter().map(|r| r.into_iter().collect()).collect(),
            loops,
        }
    }
}

/// SplitMix64: a tiny, good-enough generator so the crate needs no `rand`.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn shuffle(&mut self, v: &mut [usize]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Improvements below this are float noise, not a reason to move.
const EPSILON: f64 = 1e-12;
/// Safety stops; Louvain converges long before on real networks.
const MAX_PASSES: usize = 200;
const MAX_LEVELS: usize = 64;

/// Louvain stops at a local optimum that depends on the visiting order; the best of a few
/// orders is kept (on Zachary's karate club one order in ten stops at 0.395, the others at
/// 0.415-0.420, like networkx).
const RESTARTS: usize = 8;

/// Community label of every node of `adj` (numbered by size, then first node): the division
/// with the highest modularity among [`RESTARTS`] Louvain runs seeded from `seed`.
pub(crate) fn louvain(adj: &Adjacency<'_>, seed: u64) -> Vec<usize> {
    let mut seeds = SplitMix(seed);
    let mut best: Option<(f64, Vec<usize>)> = None;
    for _ in 0..RESTARTS {
        let labels = louvain_once(adj, seeds.next());
        let q = modularity_of(adj, &labels);
        if best.as_ref().is_none_or(|(b, _)| q > *b + EPSILON) {
            best = Some((q, labels));
        }
        if adj.targets.is_empty() {
            break;
        }
    }
    best.map(|(_, labels)| labels).unwrap_or_default()
}

fn louvain_once(adj: &Adjacency<'_>, seed: u64) -> Vec<usize> {
    let n = adj.len();
    let mut membership: Vec<usize> = (0..n).collect();
    let mut rng = SplitMix(seed);
    let mut graph = Weighted::from_adjacency(adj);
    let m2: f64 = adj.targets.len() as f64;
    if m2 > 0.0 {
        for _ in 0..MAX_LEVELS {
            let Some((comm, k)) = one_level(&graph, m2, &mut rng) else {
                break;
            };
            for c in &mut membership {
                *c = comm.get(*c).copied().unwrap_or(*c);
            }
            graph = graph.fold(&comm, k);
        }
    }
    renumber(&membership)
}

/// Local moving on one level. `None` when no node moved; otherwise each node's community,
/// numbered 0..k in order of first appearance, and k.
fn one_level(graph: &Weighted, m2: f64, rng: &mut SplitMix) -> Option<(Vec<usize>, usize)> {
    let n = graph.len();
    let degree = graph.degrees();
    let mut comm: Vec<usize> = (0..n).collect();
    let mut total: Vec<f64> = degree.clone();
    let mut order: Vec<usize> = (0..n).collect();
    rng.shuffle(&mut order);
    let mut weight_to = vec![0.0; n];
    let mut marked = vec![false; n];
    let mut touched: Vec<usize> = Vec::new();
    let mut moved_any = false;
    for _ in 0..MAX_PASSES {
        let mut moved = false;
        for &i in &order {
            let (Some(&ki), Some(&ci), Some(links)) =
                (degree.get(i), comm.get(i), graph.links.get(i))
            else {
                continue;
            };
            touched.clear();
            for &(j, w) in links {
                let Some(&cj) = comm.get(j) else { continue };
                if let (Some(m), Some(t)) = (marked.get_mut(cj), weight_to.get_mut(cj)) {
                    if !*m {
                        *m = true;
                        touched.push(cj);
                    }
                    *t += w;
                }
            }
            if let Some(t) = total.get_mut(ci) {
                *t -= ki;
            }
            let gain = |c: usize| {
                weight_to.get(c).copied().unwrap_or(0.0)
                    - total.get(c).copied().unwrap_or(0.0) * ki / m2
            };
            let mut best = ci;
            let mut best_gain = gain(ci);
            for &c in &touched {
                let g = gain(c);
                if g > best_gain + EPSILON {
                    best = c;
                    best_gain = g;
                }
            }
            if let Some(t) = total.get_mut(best) {
                *t += ki;
            }
            if let Some(c) = comm.get_mut(i) {
                *c = best;
            }
            if best != ci {
                moved = true;
                moved_any = true;
            }
            for &c in &touched {
                if let (Some(m), Some(t)) = (marked.get_mut(c), weight_to.get_mut(c)) {
                    *m = false;
                    *t = 0.0;
                }
            }
        }
        if !moved {
            break;
        }
    }
    if !moved_any {
        return None;
    }
    let mut number: Vec<usize> = vec![usize::MAX; n];
    let mut k = 0;
    for c in &mut comm {
        let Some(slot) = number.get_mut(*c) else {
            continue;
        };
        if *slot == usize::MAX {
            *slot = k;
            k += 1;
        }
        *c = *slot;
    }
    Some((comm, k))
}

/// Numbers communities by size (largest first), ties by their first node.
fn renumber(membership: &[usize]) -> Vec<usize> {
    let mut groups: BTreeMap<usize, (usize, usize)> = BTreeMap::new(); // label -> (size, first)
    for (i, &c) in membership.iter().enumerate() {
        let entry = groups.entry(c).or_insert((0, i));
        entry.0 += 1;
        entry.1 = entry.1.min(i);
    }
    let mut ranked: Vec<(usize, usize, usize)> = groups
        .into_iter()
        .map(|(label, (size, first))| (size, first, label))
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let new: BTreeMap<usize, usize> = ranked
        .iter()
        .enumerate()
        .map(|(rank, &(_, _, label))| (label, rank))
        .collect();
    membership
        .iter()
        .map(|c| new.get(c).copied().unwrap_or(0))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renumber_by_size_then_first() {
        assert_eq!(renumber(&[7, 3, 3, 9, 7, 7]), vec![0, 1, 1, 2, 0, 0]);
        assert_eq!(renumber(&[5, 4]), vec![0, 1]);
    }

    #[test]
    fn shuffle_is_a_permutation_and_seeded() {
        let mut a: Vec<usize> = (0..50).collect();
        let mut b = a.clone();
        SplitMix(3).shuffle(&mut a);
        SplitMix(3).shuffle(&mut b);
        assert_eq!(a, b);
        let mut sorted = a.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<_>>());
    }
}
