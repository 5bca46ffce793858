//! Network analysis for Nigehban: who is linked to whom, through what, and who sits between
//! groups.
//!
//! A [`Network`] holds [`Node`]s (persons, phones, CNICs, passports, bank and hawala accounts,
//! addresses, vehicles, cases, intake batches, routes) and [`Edge`]s (a person uses an
//! identifier, has a role in a case, came in a batch, travelled a route, paid someone, named an
//! agent, is the same person as another record, or any other link), each edge with the
//! evidence for it in words. The caller (the core, after the access policy has decided what the
//! user may see) builds the network; this crate only computes and writes:
//!
//! - browsing: [`Network::neighbours`], [`Network::ego`] (everything within n links),
//!   [`Network::filter`] / [`Network::subgraph`] (induced subgraphs),
//!   [`Network::shortest_path`] and [`Network::shortest_path_through`] (only through some kinds
//!   of node);
//! - metrics ([`metrics`]): [`Network::degree_centrality`], [`Network::betweenness_centrality`]
//!   (Brandes; the same numbers as networkx), [`Network::communities`] (Louvain, seeded),
//!   [`Network::modularity`], and all of them at once with [`Network::analyse`], whose
//!   [`Analysis::top_brokers`] ranks the persons who connect otherwise separate groups;
//! - exports: [`write_ftm_json`] (FollowTheMoney entities for Aleph), [`write_graphml`],
//!   [`write_nodes_csv`] and [`write_edges_csv`] (formula-safe for Excel).
//!
//! Invariants:
//! - Pure: no IO but writing into the `std::io::Write` given, no async, no database. The metrics
//!   may use several threads; their results do not depend on how many.
//! - Deterministic: every listing and export is sorted (nodes by key, edges by their fields),
//!   and the same network gives the same bytes whatever order it was built in. Communities
//!   depend only on the network and the seed.
//! - The metrics see a simple undirected graph: parallel edges count once, direction and
//!   edge kind are ignored. Exports keep every edge with its direction.
//! - Labels are shown and exported as given: a pseudonymised person stays pseudonymised.
//!
//! ```
//! use nigehban_network::{Edge, EdgeKind, Network, Node, NodeKind};
//!
//! let mut net = Network::new();
//! net.add_node(Node::new("person:a", NodeKind::Person, "P-AAAAA")).unwrap();
//! net.add_node(Node::new("person:b", NodeKind::Person, "P-BBBBB")).unwrap();
//! net.add_node(Node::new("phone:1", NodeKind::Phone, "0300-*****67")).unwrap();
//! net.add_edge(Edge::new("person:a", "phone:1", EdgeKind::UsesIdentifier)).unwrap();
//! net.add_edge(Edge::new("person:b", "phone:1", EdgeKind::UsesIdentifier)
//!     .with_evidence("given at intake, KHI-SEAPORT, 2026-03-01")).unwrap();
//! let path = net.shortest_path("person:a", "person:b").unwrap();
//! assert_eq!(path.nodes, ["person:a", "phone:1", "person:b"]);
//! assert_eq!(net.betweenness_centrality()["phone:1"], 1.0);
//! ```

mod community;
mod csv;
mod ftm;
mod graph;
mod graphml;
pub mod metrics;
mod model;

pub use crate::csv::{neutralise, write_edges_csv, write_nodes_csv};
pub use crate::ftm::{ftm_id, write_ftm_json};
pub use crate::graph::Network;
pub use crate::graphml::write_graphml;
pub use crate::metrics::{Analysis, Path, PersonSummary};
pub use crate::model::{Edge, EdgeKind, NetworkError, Node, NodeFlags, NodeKind};
