#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Performance sanity check, not a timed assertion. Run it in release:
//!
//! ```text
//! cargo test --release -p nigehban-network --test perf -- --ignored --nocapture
//! ```
//!
//! Measured (2026-11, 2-core AMD EPYC, release, 2 threads): betweenness on 20,000 nodes and
//! 60,000 edges took 37 s of processor time (41-59 s on the clock while other builds shared the
//! machine); Louvain 0.5-1.5 s; a shortest path, an ego network and the GraphML export well
//! under a second. Betweenness is O(nodes x edges): compute it on a unit's or a case's network,
//! not on the whole database for every page view.

use std::time::Instant;

use nigehban_network::{Edge, EdgeKind, Network, Node, NodeKind};

/// A seeded random network shaped like the real one: persons with phones and accounts, some
/// shared, persons in cases, and a few heavy hubs (batches).
fn synthetic(nodes: usize, edges: usize, seed: u64) -> Network {
    let mut state = seed;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        state >> 33
    };
    let kinds = [
        NodeKind::Person,
        NodeKind::Person,
        NodeKind::Person,
        NodeKind::Phone,
        NodeKind::Phone,
        NodeKind::BankAccount,
        NodeKind::Case,
    ];
    let mut net = Network::new();
    for i in 0..nodes {
        let kind = if i % 500 == 0 {
            NodeKind::Batch
        } else {
            kinds[i % kinds.len()]
        };
        net.add_node(Node::new(format!("{}:{i:06}", kind.as_str()), kind, ""))
            .unwrap();
    }
    let keys: Vec<String> = net.nodes().map(|n| n.key.clone()).collect();
    let mut added = 0;
    while added < edges {
        // Mostly local links (communities), some long ones.
        let a = (next() as usize) % nodes;
        let b = if next() % 10 < 8 {
            (a + 1 + (next() as usize) % 20) % nodes
        } else {
            (next() as usize) % nodes
        };
        if a != b
            && net
                .add_edge(Edge::new(&keys[a], &keys[b], EdgeKind::Linked))
                .unwrap()
        {
            added += 1;
        }
    }
    net
}

#[test]
#[ignore = "slow in debug; run in release with --ignored --nocapture"]
fn betweenness_on_20k_nodes_60k_edges() {
    let t = Instant::now();
    let net = synthetic(20_000, 60_000, 1);
    println!(
        "built {} nodes, {} edges in {:?}",
        net.len(),
        net.edge_count(),
        t.elapsed()
    );
    let t = Instant::now();
    let b = net.betweenness_centrality();
    println!(
        "betweenness ({} threads): {:?}",
        std::thread::available_parallelism().map_or(1, |n| n.get()),
        t.elapsed()
    );
    assert_eq!(b.len(), 20_000);
    let t = Instant::now();
    let c = net.communities(1);
    let q = net.modularity(&c);
    let count = c.values().max().map_or(0, |m| m + 1);
    println!(
        "communities: {count}, modularity {q:.3}, in {:?}",
        t.elapsed()
    );
    let t = Instant::now();
    let keys: Vec<&String> = b.keys().collect();
    let p = net.shortest_path(keys[0], keys[keys.len() - 1]);
    println!(
        "shortest path of {:?} steps in {:?}",
        p.map(|p| p.len()),
        t.elapsed()
    );
    let t = Instant::now();
    let ego = net.ego(keys[100], 2).unwrap();
    println!("ego(2) of {} nodes in {:?}", ego.len(), t.elapsed());
    let t = Instant::now();
    let mut out = Vec::new();
    nigehban_network::write_graphml(&net, None, &mut out).unwrap();
    println!("graphml {} bytes in {:?}", out.len(), t.elapsed());
}

/// `BENCH_N=5000` (nodes; three times as many edges) for quick comparisons.
#[test]
#[ignore = "benchmark"]
fn betweenness_bench_env() {
    let n: usize = std::env::var("BENCH_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let net = synthetic(n, n * 3, 1);
    let t = Instant::now();
    let b = net.betweenness_centrality();
    let sum: f64 = b.values().sum();
    println!("n={n} betweenness {:?} (sum {sum})", t.elapsed());
}
