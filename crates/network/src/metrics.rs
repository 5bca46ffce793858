//! Centrality, shortest paths and the analysis summary.
//!
//! Every metric sees the network as a simple undirected graph: parallel edges count once and
//! direction is ignored. The numbers are those networkx gives for the same `nx.Graph`
//! (`degree_centrality`, `betweenness_centrality` with its default normalisation).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::Serialize;

use crate::graph::{Adjacency, Network};
use crate::model::{Edge, NodeFlags, NodeKind};

/// A shortest path: the nodes from start to end and, for each step, one edge that makes it
/// (the smallest in edge order when there are several).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Path {
    pub nodes: Vec<String>,
    pub edges: Vec<Edge>,
}

impl Path {
    /// Number of steps.
    pub fn len(&self) -> usize {
        self.edges.len()
    }

    /// Whether start and end are the same node.
    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }
}

/// Everything computed about a network at once, for exports and the analyst's table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    /// Degree centrality by node key (distinct neighbours / (n - 1)).
    pub degree_centrality: BTreeMap<String, f64>,
    /// Betweenness centrality by node key, normalised as networkx does.
    pub betweenness: BTreeMap<String, f64>,
    /// Community number by node key (0 is the largest community).
    pub communities: BTreeMap<String, usize>,
    /// Modularity of `communities`.
    pub modularity: f64,
}

/// One person with the numbers that show whether they connect otherwise separate groups.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonSummary {
    pub key: String,
    pub label: String,
    pub flags: NodeFlags,
    /// Distinct neighbours.
    pub degree: usize,
    pub degree_centrality: f64,
    pub betweenness: f64,
    pub community: usize,
    /// Number of distinct communities among the person's neighbours, their own included when
    /// a neighbour is in it: above 1 means the person sits between groups.
    pub communities_reached: usize,
}

impl Network {
    /// Degree centrality of every node: distinct neighbours divided by n - 1 (1.0 for the only
    /// node of a one-node network, as networkx).
    pub fn degree_centrality(&self) -> BTreeMap<String, f64> {
        let adj = self.adjacency();
        degree_centrality(&adj)
            .into_iter()
            .zip(adj.keys.iter())
            .map(|(v, k)| ((*k).to_owned(), v))
            .collect()
    }

    /// Betweenness centrality of every node (Brandes' algorithm, unweighted, undirected),
    /// normalised like networkx: divided by (n - 1)(n - 2) / 2, i.e. the share of the shortest
    /// paths between pairs of other nodes that go through the node. Runs on the available
    /// cores; the result does not depend on how many there are.
    pub fn betweenness_centrality(&self) -> BTreeMap<String, f64> {
        let adj = self.adjacency();
        betweenness(&adj, default_threads())
            .into_iter()
            .zip(adj.keys.iter())
            .map(|(v, k)| ((*k).to_owned(), v))
            .collect()
    }

    /// A shortest path between two nodes (fewest links), or `None` when they are not connected
    /// or a key is unknown. Among several shortest paths the one found first when neighbours
    /// are visited in key order is returned, so the answer is always the same.
    pub fn shortest_path(&self, from: &str, to: &str) -> Option<Path> {
        self.shortest_path_through(from, to, None)
    }

    /// A shortest path whose intermediate nodes are all of the given kinds (the two ends may
    /// be of any kind); `None` for `through` means any kind. For example, persons linked
    /// through shared phones and accounts only:
    /// `shortest_path_through(a, b, Some(&[NodeKind::Person, NodeKind::Phone,
    /// NodeKind::BankAccount]))`.
    pub fn shortest_path_through(
        &self,
        from: &str,
        to: &str,
        through: Option<&[NodeKind]>,
    ) -> Option<Path> {
        let adj = self.adjacency();
        let s = adj.position(from)?;
        let t = adj.position(to)?;
        let n = adj.len();
        let mut parent: Vec<u32> = vec![u32::MAX; n];
        let mut seen = vec![false; n];
        *seen.get_mut(s)? = true;
        let mut queue = VecDeque::from([s]);
        let mut found = s == t;
        while let Some(v) = queue.pop_front() {
            if found {
                break;
            }
            // Only the start and allowed kinds are walked through.
            if v != s {
                if let Some(kinds) = through {
                    if !adj.kinds.get(v).is_some_and(|k| kinds.contains(k)) {
                        continue;
                    }
                }
            }
            for &w in adj.neighbours(v) {
                let w = w as usize;
                let Some(slot) = seen.get_mut(w) else {
                    continue;
                };
                if *slot {
                    continue;
                }
                *slot = true;
                if let Some(p) = parent.get_mut(w) {
                    *p = v as u32;
                }
                if w == t {
                    found = true;
                    break;
                }
                queue.push_back(w);
            }
        }
        if !found {
            return None;
        }
        let mut chain = vec![t];
        let mut cur = t;
        while cur != s {
            cur = *parent.get(cur)? as usize;
            chain.push(cur);
        }
        chain.reverse();
        let nodes: Vec<String> = chain
            .iter()
            .filter_map(|&i| adj.keys.get(i).map(|k| (*k).to_owned()))
            .collect();
        let mut edges = Vec::with_capacity(nodes.len().saturating_sub(1));
        for pair in nodes.windows(2) {
            if let [a, b] = pair {
                edges.push(self.edges_between(a, b).first().copied()?.clone());
            }
        }
        Some(Path { nodes, edges })
    }

    /// Degree, betweenness, communities (Louvain with this seed) and modularity at once.
    pub fn analyse(&self, seed: u64) -> Analysis {
        let adj = self.adjacency();
        let to_map = |values: Vec<f64>| -> BTreeMap<String, f64> {
            values
                .into_iter()
                .zip(adj.keys.iter())
                .map(|(v, k)| ((*k).to_owned(), v))
                .collect()
        };
        let degree_centrality = to_map(degree_centrality(&adj));
        let betweenness = to_map(betweenness(&adj, default_threads()));
        let labels = crate::community::louvain(&adj, seed);
        let modularity = crate::community::modularity_of(&adj, &labels);
        let communities = labels
            .into_iter()
            .zip(adj.keys.iter())
            .map(|(c, k)| ((*k).to_owned(), c))
            .collect();
        Analysis {
            degree_centrality,
            betweenness,
            communities,
            modularity,
        }
    }

    /// The `n` persons with the highest betweenness above zero (ties by key): the people who
    /// connect groups that would otherwise not meet. Computes a full [`Analysis`] with seed 0;
    /// use [`Analysis::top_brokers`] when one is at hand.
    pub fn top_brokers(&self, n: usize) -> Vec<PersonSummary> {
        self.analyse(0).top_brokers(self, n)
    }
}

impl Analysis {
    /// The summary of one person (or any node) of `network`, `None` if unknown.
    pub fn person_summary(&self, network: &Network, key: &str) -> Option<PersonSummary> {
        let node = network.node(key)?;
        let neighbours = network.neighbour_keys(key);
        let communities_reached: BTreeSet<usize> = neighbours
            .iter()
            .filter_map(|k| self.communities.get(*k).copied())
            .collect();
        Some(PersonSummary {
            key: node.key.clone(),
            label: node.label.clone(),
            flags: node.flags,
            degree: neighbours.len(),
            degree_centrality: self.degree_centrality.get(key).copied().unwrap_or(0.0),
            betweenness: self.betweenness.get(key).copied().unwrap_or(0.0),
            community: self.communities.get(key).copied().unwrap_or(0),
            communities_reached: communities_reached.len(),
        })
    }

    /// The `n` persons of `network` with the highest betweenness above zero, highest first
    /// (ties by key).
    pub fn top_brokers(&self, network: &Network, n: usize) -> Vec<PersonSummary> {
        let mut persons: Vec<(&String, f64)> = self
            .betweenness
            .iter()
            .filter(|(k, &b)| {
                b > 0.0 && network.node(k).is_some_and(|n| n.kind == NodeKind::Person)
            })
            .map(|(k, &b)| (k, b))
            .collect();
        persons.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(b.0)));
        persons
            .into_iter()
            .take(n)
            .filter_map(|(k, _)| self.person_summary(network, k))
            .collect()
    }
}

fn default_threads() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .min(8)
}

pub(crate) fn degree_centrality(adj: &Adjacency<'_>) -> Vec<f64> {
    let n = adj.len();
    if n <= 1 {
        return vec![1.0; n];
    }
    let scale = 1.0 / (n - 1) as f64;
    (0..n).map(|i| adj.degree(i) as f64 * scale).collect()
}

/// Sources are cut into this many fixed chunks, each summed on its own and the chunks added in
/// order, so the floating-point result is the same for any number of threads.
const CHUNKS: usize = 16;

pub(crate) fn betweenness(adj: &Adjacency<'_>, threads: usize) -> Vec<f64> {
    let n = adj.len();
    if n == 0 {
        return Vec::new();
    }
    let rows = Rows::cuthill_mckee(adj);
    let chunk = n.div_ceil(CHUNKS).max(1);
    let ranges: Vec<(usize, usize)> = (0..n)
        .step_by(chunk)
        .map(|start| (start, (start + chunk).min(n)))
        .collect();
    let threads = threads.clamp(1, ranges.len());
    let mut partials: Vec<Vec<f64>> = Vec::with_capacity(ranges.len());
    if threads == 1 {
        let mut work = Brandes::new(n);
        for &(a, b) in &ranges {
            partials.push(work.run(&rows, a..b));
        }
    } else {
        let next = std::sync::atomic::AtomicUsize::new(0);
        let rows = &rows;
        let mut results: Vec<(usize, Vec<f64>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..threads)
                .map(|_| {
                    let next = &next;
                    let ranges = &ranges;
                    scope.spawn(move || {
                        let mut work = Brandes::new(n);
                        let mut done = Vec::new();
                        loop {
                            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                            let Some(&(a, b)) = ranges.get(i) else {
                                break;
                            };
                            done.push((i, work.run(rows, a..b)));
                        }
                        done
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        results.sort_by_key(|(i, _)| *i);
        if results.len() != ranges.len() {
            // A worker died (out of memory?): do it again on this thread.
            let mut work = Brandes::new(n);
            partials = ranges.iter().map(|&(a, b)| work.run(rows, a..b)).collect();
        } else {
            partials = results.into_iter().map(|(_, v)| v).collect();
        }
    }
    let mut total = vec![0.0; n];
    for part in partials {
        for (t, p) in total.iter_mut().zip(part) {
            *t += p;
        }
    }
    // networkx: for undirected graphs with normalized=True the sum over all sources (each pair
    // counted twice) is multiplied by 1 / ((n - 1)(n - 2)); no scaling when n <= 2.
    if n > 2 {
        let scale = 1.0 / ((n - 1) as f64 * (n - 2) as f64);
        for t in &mut total {
            *t *= scale;
        }
    }
    // Back from the traversal's numbering to key order.
    rows.old_of.iter().map(|&old| old as usize).zip(total).fold(
        vec![0.0; n],
        |mut out, (old, v)| {
            if let Some(slot) = out.get_mut(old) {
                *slot = v;
            }
            out
        },
    )
}

/// The graph renumbered in Cuthill-McKee order (breadth first from a lowest-degree node of
/// each component, neighbours by degree), so that linked nodes get nearby numbers and a
/// traversal's bookkeeping stays closer in the processor's cache (about 10% faster on the
/// synthetic benchmark of `tests/perf.rs`, more on networks with real clusters).
struct Rows {
    offsets: Vec<usize>,
    targets: Vec<u32>,
    /// Key-order number of each new number.
    old_of: Vec<u32>,
    /// Leaves whose one neighbour is not a leaf: no pass of their own.
    hangs: Vec<bool>,
    /// Number of such leaves hanging from each node.
    leaves: Vec<u32>,
}

impl Rows {
    fn cuthill_mckee(adj: &Adjacency<'_>) -> Rows {
        let n = adj.len();
        let by_degree = |a: &u32, b: &u32| {
            adj.degree(*a as usize)
                .cmp(&adj.degree(*b as usize))
                .then(a.cmp(b))
        };
        let mut starts: Vec<u32> = (0..n as u32).collect();
        starts.sort_by(by_degree);
        let mut new_of = vec![u32::MAX; n];
        let mut old_of: Vec<u32> = Vec::with_capacity(n);
        let mut scratch: Vec<u32> = Vec::new();
        for s in starts {
            if new_of.get(s as usize) != Some(&u32::MAX) {
                continue;
            }
            let mut head = old_of.len();
            if let Some(slot) = new_of.get_mut(s as usize) {
                *slot = old_of.len() as u32;
            }
            old_of.push(s);
            while let Some(&v) = old_of.get(head) {
                head += 1;
                scratch.clear();
                scratch.extend(
                    adj.neighbours(v as usize)
                        .iter()
                        .copied()
                        .filter(|&w| new_of.get(w as usize) == Some(&u32::MAX)),
                );
                scratch.sort_by(by_degree);
                for &w in &scratch {
                    if let Some(slot) = new_of.get_mut(w as usize) {
                        *slot = old_of.len() as u32;
                    }
                    old_of.push(w);
                }
            }
        }
        let mut offsets = Vec::with_capacity(n + 1);
        let mut targets = Vec::with_capacity(adj.targets.len());
        offsets.push(0);
        for &old in &old_of {
            let start = targets.len();
            targets.extend(
                adj.neighbours(old as usize)
                    .iter()
                    .filter_map(|&w| new_of.get(w as usize).copied()),
            );
            if let Some(row) = targets.get_mut(start..) {
                row.sort_unstable();
            }
            offsets.push(targets.len());
        }
        let degree = |i: usize| offsets.get(i + 1).unwrap_or(&0) - offsets.get(i).unwrap_or(&0);
        let mut hangs = vec![false; n];
        let mut leaves = vec![0u32; n];
        for (i, hang) in hangs.iter_mut().enumerate() {
            if degree(i) != 1 {
                continue;
            }
            let Some(&u) = offsets.get(i).and_then(|&o| targets.get(o)) else {
                continue;
            };
            if degree(u as usize) > 1 {
                *hang = true;
                if let Some(l) = leaves.get_mut(u as usize) {
                    *l += 1;
                }
            }
        }
        Rows {
            offsets,
            targets,
            old_of,
            hangs,
            leaves,
        }
    }

    fn len(&self) -> usize {
        self.old_of.len()
    }

    fn neighbours(&self, i: usize) -> &[u32] {
        let start = self.offsets.get(i).copied().unwrap_or(0);
        let end = self.offsets.get(i + 1).copied().unwrap_or(start);
        self.targets.get(start..end).unwrap_or(&[])
    }
}

/// Path count and dependency of one node in a single-source pass (kept together: they are
/// read and written together).
#[derive(Clone, Copy, Default)]
struct Counts {
    /// Number of shortest paths from the source.
    sigma: f64,
    /// Dependency of the source on the node.
    delta: f64,
}

const UNSEEN: u32 = u32::MAX;

/// Reusable buffers for single-source shortest-path counting. Distances live apart in a
/// compact array: most neighbour visits only need to read them.
struct Brandes {
    dist: Vec<u32>,
    counts: Vec<Counts>,
    order: Vec<u32>,
}

impl Brandes {
    fn new(n: usize) -> Brandes {
        Brandes {
            dist: vec![UNSEEN; n],
            counts: vec![Counts::default(); n],
            order: Vec::with_capacity(n),
        }
    }

    /// The dependency sums of the sources in `sources`.
    /// The dependency sums of the sources in `sources`.
    ///
    /// A leaf `l` hanging from `u` (degree 1, `u` not a leaf) needs no pass of its own: every
    /// shortest path from `l` goes through `u`, so `l`'s dependencies are `u`'s on every other
    /// node, plus one on `u` for each other node of the component. `u`'s pass counts for its
    /// leaves too. Exact, and real networks are full of leaves (a phone one person used).
    fn run(&mut self, adj: &Rows, sources: std::ops::Range<usize>) -> Vec<f64> {
        let mut acc = vec![0.0; adj.len()];
        for s in sources {
            if adj.hangs.get(s).copied().unwrap_or(false) {
                continue;
            }
            let leaves = adj.leaves.get(s).copied().unwrap_or(0);
            let reached = self.single_source(adj, s, 1.0 + f64::from(leaves), &mut acc);
            if leaves > 0 {
                if let Some(a) = acc.get_mut(s) {
                    *a += f64::from(leaves) * reached.saturating_sub(2) as f64;
                }
            }
        }
        acc
    }

    /// Adds `weight` times the dependencies of source `s` to `acc`; returns the number of
    /// nodes reached (`s` included).
    fn single_source(&mut self, adj: &Rows, s: usize, weight: f64, acc: &mut [f64]) -> usize {
        let Brandes {
            dist,
            counts,
            order,
        } = self;
        order.clear();
        let (Some(d), Some(c)) = (dist.get_mut(s), counts.get_mut(s)) else {
            return 0;
        };
        *d = 0;
        c.sigma = 1.0;
        order.push(s as u32);
        // `order` doubles as the BFS queue: everything before `head` has been expanded.
        let mut head = 0;
        while let Some(&v) = order.get(head) {
            head += 1;
            let v = v as usize;
            let dv = dist.get(v).copied().unwrap_or(0);
            let sv = counts.get(v).map_or(0.0, |c| c.sigma);
            for &w in adj.neighbours(v) {
                let Some(dw) = dist.get_mut(w as usize) else {
                    continue;
                };
                if *dw == UNSEEN {
                    *dw = dv + 1;
                    order.push(w);
                }
                if *dw == dv + 1 {
                    if let Some(c) = counts.get_mut(w as usize) {
                        c.sigma += sv;
                    }
                }
            }
        }
        // Accumulate dependencies in order of non-increasing distance (networkx's order of
        // operations: coefficient (1 + delta) / sigma, times each predecessor's sigma).
        for &w in order.iter().rev() {
            let w = w as usize;
            let dw = dist.get(w).copied().unwrap_or(0);
            if dw == 0 {
                continue;
            }
            let Some(&Counts { sigma, delta }) = counts.get(w) else {
                continue;
            };
            let coeff = (1.0 + delta) / sigma;
            for &v in adj.neighbours(w) {
                if dist.get(v as usize).copied() == Some(dw - 1) {
                    if let Some(c) = counts.get_mut(v as usize) {
                        c.delta += c.sigma * coeff;
                    }
                }
            }
            if let Some(a) = acc.get_mut(w) {
                *a += weight * delta;
            }
        }
        for &w in order.iter() {
            if let Some(d) = dist.get_mut(w as usize) {
                *d = UNSEEN;
            }
            if let Some(c) = counts.get_mut(w as usize) {
                *c = Counts::default();
            }
        }
        order.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EdgeKind, Node};

    fn path_graph(n: usize) -> Network {
        let mut net = Network::new();
        for i in 0..n {
            net.add_node(Node::new(format!("n{i:02}"), NodeKind::Person, ""))
                .unwrap();
        }
        for i in 1..n {
            net.add_edge(Edge::new(
                format!("n{:02}", i - 1),
                format!("n{i:02}"),
                EdgeKind::Linked,
            ))
            .unwrap();
        }
        net
    }

    #[test]
    fn thread_count_does_not_change_betweenness() {
        let net = path_graph(40);
        let adj = net.adjacency();
        let one = betweenness(&adj, 1);
        let four = betweenness(&adj, 4);
        assert_eq!(one, four);
    }

    #[test]
    fn tiny_networks() {
        let net = path_graph(1);
        assert_eq!(net.degree_centrality().get("n00"), Some(&1.0));
        assert_eq!(net.betweenness_centrality().get("n00"), Some(&0.0));
        let net = path_graph(2);
        assert_eq!(net.degree_centrality().get("n00"), Some(&1.0));
        assert!(Network::new().betweenness_centrality().is_empty());
    }

    #[test]
    fn path_to_self_is_empty() {
        let net = path_graph(3);
        let p = net.shortest_path("n01", "n01").unwrap();
        assert_eq!(p.nodes, vec!["n01"]);
        assert!(p.is_empty());
        assert!(net.shortest_path("n01", "zz").is_none());
    }
}
