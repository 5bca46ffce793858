//! The network itself: a petgraph graph of [`Node`]s and [`Edge`]s indexed by node key.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};

use petgraph::graph::{EdgeIndex, NodeIndex, UnGraph};

use crate::model::{Edge, NetworkError, Node, NodeKind};

/// A network of persons, identifiers, cases, batches and routes.
///
/// Nodes are unique by key; adding a node again merges it into the first (flags ORed,
/// attributes added). Edges are kept as given (with their direction) but never twice; several
/// different edges between the same two nodes are allowed. The metrics treat the network as a
/// simple undirected graph (see [`crate::metrics`]). Every listing is sorted, so the same
/// network always gives the same output whatever order it was built in.
#[derive(Debug, Clone, Default)]
pub struct Network {
    graph: UnGraph<Node, Edge>,
    index: BTreeMap<String, NodeIndex>,
    /// The edges between each unordered pair of nodes (smaller index first).
    pairs: HashMap<(NodeIndex, NodeIndex), Vec<EdgeIndex>>,
}

impl Network {
    /// An empty network.
    pub fn new() -> Network {
        Network::default()
    }

    /// Number of nodes.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether there is no node.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// Number of edges (parallel edges counted each).
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// Adds a node, or merges it into the node with the same key: flags are ORed, attributes
    /// not yet known are added (known ones keep their value), and an empty label is replaced.
    /// A key already used by a node of another kind is an error.
    pub fn add_node(&mut self, node: Node) -> Result<(), NetworkError> {
        if node.key.is_empty() {
            return Err(NetworkError::EmptyKey);
        }
        let Some(&idx) = self.index.get(&node.key) else {
            let key = node.key.clone();
            let idx = self.graph.add_node(node);
            self.index.insert(key, idx);
            return Ok(());
        };
        let Some(existing) = self.graph.node_weight_mut(idx) else {
            return Err(NetworkError::MissingNode(node.key));
        };
        if existing.kind != node.kind {
            return Err(NetworkError::KindMismatch {
                key: node.key,
                existing: existing.kind,
                given: node.kind,
            });
        }
        existing.flags = existing.flags.union(node.flags);
        if existing.label.trim().is_empty() {
            existing.label = node.label;
        }
        for (name, value) in node.attributes {
            existing.attributes.entry(name).or_insert(value);
        }
        Ok(())
    }

    /// Adds an edge between two nodes already in the network. Returns `false` (and changes
    /// nothing) when the very same edge is already there. An edge from a node to itself is
    /// refused.
    pub fn add_edge(&mut self, edge: Edge) -> Result<bool, NetworkError> {
        let from = *self
            .index
            .get(&edge.from)
            .ok_or_else(|| NetworkError::MissingNode(edge.from.clone()))?;
        let to = *self
            .index
            .get(&edge.to)
            .ok_or_else(|| NetworkError::MissingNode(edge.to.clone()))?;
        if from == to {
            return Err(NetworkError::SelfLoop(edge.from));
        }
        let pair = (from.min(to), from.max(to));
        let existing = self.pairs.entry(pair).or_default();
        if existing
            .iter()
            .any(|&e| self.graph.edge_weight(e) == Some(&edge))
        {
            return Ok(false);
        }
        let e = self.graph.add_edge(from, to, edge);
        existing.push(e);
        Ok(true)
    }

    /// Adds every node and edge of `other` (merging nodes as [`Network::add_node`] does).
    pub fn extend(&mut self, other: &Network) -> Result<(), NetworkError> {
        for node in other.nodes() {
            self.add_node(node.clone())?;
        }
        for edge in other.graph.edge_weights() {
            self.add_edge(edge.clone())?;
        }
        Ok(())
    }

    /// The node with this key.
    pub fn node(&self, key: &str) -> Option<&Node> {
        self.index
            .get(key)
            .and_then(|&idx| self.graph.node_weight(idx))
    }

    /// Whether a node has this key.
    pub fn contains(&self, key: &str) -> bool {
        self.index.contains_key(key)
    }

    /// Every node, by key.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> + '_ {
        self.index
            .values()
            .filter_map(|&idx| self.graph.node_weight(idx))
    }

    /// Every edge, sorted (by `from`, `to`, kind, label, evidence, attributes).
    pub fn edges(&self) -> Vec<&Edge> {
        let mut edges: Vec<&Edge> = self.graph.edge_weights().collect();
        edges.sort();
        edges
    }

    /// The edges at a node with the node at their other end, sorted by that node's key, then
    /// by edge. Empty for an unknown key.
    pub fn neighbours(&self, key: &str) -> Vec<(&Edge, &Node)> {
        let Some(&idx) = self.index.get(key) else {
            return Vec::new();
        };
        let mut out: Vec<(&Edge, &Node)> = self
            .graph
            .edges(idx)
            .filter_map(|e| {
                let edge = e.weight();
                let other = edge.other_end(key)?;
                Some((edge, self.node(other)?))
            })
            .collect();
        out.sort_by(|a, b| a.1.key.cmp(&b.1.key).then_with(|| a.0.cmp(b.0)));
        out
    }

    /// The keys of the distinct nodes linked to `key`, sorted.
    pub fn neighbour_keys(&self, key: &str) -> Vec<&str> {
        let Some(&idx) = self.index.get(key) else {
            return Vec::new();
        };
        let set: BTreeSet<&str> = self
            .graph
            .neighbors(idx)
            .filter_map(|n| self.graph.node_weight(n))
            .map(|n| n.key.as_str())
            .filter(|&k| k != key)
            .collect();
        set.into_iter().collect()
    }

    /// Number of distinct nodes linked to `key` (parallel edges count once), 0 if unknown.
    pub fn degree(&self, key: &str) -> usize {
        self.neighbour_keys(key).len()
    }

    /// The edges between two nodes, in either direction, sorted.
    pub fn edges_between(&self, a: &str, b: &str) -> Vec<&Edge> {
        let (Some(&x), Some(&y)) = (self.index.get(a), self.index.get(b)) else {
            return Vec::new();
        };
        let mut edges: Vec<&Edge> = self
            .pairs
            .get(&(x.min(y), x.max(y)))
            .map(|list| {
                list.iter()
                    .filter_map(|&e| self.graph.edge_weight(e))
                    .collect()
            })
            .unwrap_or_default();
        edges.sort();
        edges
    }

    /// The ego network of `key`: every node at most `hops` links away and every edge among
    /// them. `None` for an unknown key.
    pub fn ego(&self, key: &str, hops: usize) -> Option<Network> {
        let &start = self.index.get(key)?;
        let mut depth: HashMap<NodeIndex, usize> = HashMap::new();
        depth.insert(start, 0);
        let mut queue = VecDeque::from([start]);
        while let Some(n) = queue.pop_front() {
            let d = depth.get(&n).copied().unwrap_or(0);
            if d >= hops {
                continue;
            }
            for m in self.graph.neighbors(n) {
                if let std::collections::hash_map::Entry::Vacant(slot) = depth.entry(m) {
                    slot.insert(d + 1);
                    queue.push_back(m);
                }
            }
        }
        let keep: BTreeSet<NodeIndex> = depth.into_keys().collect();
        Some(self.induced(&keep))
    }

    /// The nodes for which `keep` is true and the edges among them: for example what a user
    /// may see. Use [`Network::degree`] on both networks to count what was withheld.
    pub fn filter(&self, mut keep: impl FnMut(&Node) -> bool) -> Network {
        let set: BTreeSet<NodeIndex> = self
            .index
            .values()
            .copied()
            .filter(|&idx| self.graph.node_weight(idx).is_some_and(&mut keep))
            .collect();
        self.induced(&set)
    }

    /// The given nodes (unknown keys ignored) and the edges among them.
    pub fn subgraph<'k>(&self, keys: impl IntoIterator<Item = &'k str>) -> Network {
        let set: BTreeSet<NodeIndex> = keys
            .into_iter()
            .filter_map(|k| self.index.get(k).copied())
            .collect();
        self.induced(&set)
    }

    fn induced(&self, keep: &BTreeSet<NodeIndex>) -> Network {
        let mut out = Network::new();
        // Keys order, so the new graph's indices do not depend on how `self` was built.
        let mut nodes: Vec<&Node> = keep
            .iter()
            .filter_map(|&idx| self.graph.node_weight(idx))
            .collect();
        nodes.sort_by(|a, b| a.key.cmp(&b.key));
        for node in nodes {
            // Keys are unique and non-empty here, so this cannot fail.
            let _ = out.add_node(node.clone());
        }
        let mut edges: Vec<&Edge> = self
            .graph
            .edge_indices()
            .filter_map(|e| {
                let (a, b) = self.graph.edge_endpoints(e)?;
                if keep.contains(&a) && keep.contains(&b) {
                    self.graph.edge_weight(e)
                } else {
                    None
                }
            })
            .collect();
        edges.sort();
        for edge in edges {
            let _ = out.add_edge(edge.clone());
        }
        out
    }

    /// The network as a compact simple undirected graph with nodes numbered in key order.
    pub(crate) fn adjacency(&self) -> Adjacency<'_> {
        let n = self.index.len();
        let mut position = vec![u32::MAX; self.graph.node_count()];
        let mut keys = Vec::with_capacity(n);
        let mut kinds = Vec::with_capacity(n);
        let mut order = Vec::with_capacity(n);
        for (pos, (key, &idx)) in self.index.iter().enumerate() {
            if let Some(slot) = position.get_mut(idx.index()) {
                *slot = u32::try_from(pos).unwrap_or(u32::MAX);
            }
            keys.push(key.as_str());
            kinds.push(
                self.graph
                    .node_weight(idx)
                    .map_or(NodeKind::Person, |n| n.kind),
            );
            order.push(idx);
        }
        let mut offsets = Vec::with_capacity(n + 1);
        let mut targets = Vec::with_capacity(self.graph.edge_count() * 2);
        offsets.push(0);
        let mut scratch: Vec<u32> = Vec::new();
        for (pos, &idx) in order.iter().enumerate() {
            scratch.clear();
            scratch.extend(
                self.graph
                    .neighbors(idx)
                    .filter_map(|m| position.get(m.index()).copied())
                    .filter(|&p| p != u32::MAX && p as usize != pos),
            );
            scratch.sort_unstable();
            scratch.dedup();
            targets.extend_from_slice(&scratch);
            offsets.push(targets.len());
        }
        Adjacency {
            keys,
            kinds,
            offsets,
            targets,
        }
    }
}

/// A simple undirected graph in compressed sparse rows: node `i` is the `i`-th key in sorted
/// order, its neighbours are sorted, without duplicates or itself.
pub(crate) struct Adjacency<'a> {
    pub keys: Vec<&'a str>,
    pub kinds: Vec<NodeKind>,
    pub offsets: Vec<usize>,
    pub targets: Vec<u32>,
}

impl Adjacency<'_> {
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn neighbours(&self, i: usize) -> &[u32] {
        let start = self.offsets.get(i).copied().unwrap_or(0);
        let end = self.offsets.get(i + 1).copied().unwrap_or(start);
        self.targets.get(start..end).unwrap_or(&[])
    }

    pub fn degree(&self, i: usize) -> usize {
        self.neighbours(i).len()
    }

    pub fn position(&self, key: &str) -> Option<usize> {
        self.keys.binary_search(&key).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{EdgeKind, NodeFlags};

    fn person(key: &str) -> Node {
        Node::new(key, NodeKind::Person, key)
    }

    #[test]
    fn merging_nodes_ors_flags_and_keeps_known_attributes() {
        let mut net = Network::new();
        net.add_node(person("person:a").with_attribute("alias", "first"))
            .unwrap();
        net.add_node(
            Node::new("person:a", NodeKind::Person, "other")
                .with_attribute("alias", "second")
                .with_attribute("nationality", "pk")
                .with_flags(NodeFlags {
                    agent: true,
                    ..NodeFlags::default()
                }),
        )
        .unwrap();
        assert_eq!(net.len(), 1);
        let a = net.node("person:a").unwrap();
        assert_eq!(a.label, "person:a");
        assert!(a.flags.agent);
        assert_eq!(a.attribute("alias"), Some("first"));
        assert_eq!(a.attribute("nationality"), Some("pk"));
        let err = net
            .add_node(Node::new("person:a", NodeKind::Phone, "x"))
            .unwrap_err();
        assert!(matches!(err, NetworkError::KindMismatch { .. }));
        assert_eq!(
            net.add_node(Node::new("", NodeKind::Phone, "x")),
            Err(NetworkError::EmptyKey)
        );
    }

    #[test]
    fn duplicate_edges_are_ignored_parallel_ones_kept() {
        let mut net = Network::new();
        net.add_node(person("person:a")).unwrap();
        net.add_node(person("person:b")).unwrap();
        let e = Edge::new("person:a", "person:b", EdgeKind::PaidTo).with_evidence("x");
        assert_eq!(net.add_edge(e.clone()), Ok(true));
        assert_eq!(net.add_edge(e.clone()), Ok(false));
        assert_eq!(net.add_edge(e.with_evidence("y")), Ok(true));
        assert_eq!(
            net.add_edge(Edge::new("person:b", "person:a", EdgeKind::PaidTo)),
            Ok(true)
        );
        assert_eq!(net.edge_count(), 3);
        assert_eq!(net.degree("person:a"), 1);
        assert_eq!(net.edges_between("person:b", "person:a").len(), 3);
        assert_eq!(
            net.add_edge(Edge::new("person:a", "person:a", EdgeKind::Linked)),
            Err(NetworkError::SelfLoop("person:a".into()))
        );
        assert_eq!(
            net.add_edge(Edge::new("person:a", "person:z", EdgeKind::Linked)),
            Err(NetworkError::MissingNode("person:z".into()))
        );
        let adj = net.adjacency();
        assert_eq!(adj.targets.len(), 2);
    }
}
