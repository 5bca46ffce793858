#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Metrics and browsing against numbers from networkx 3.6 (`betweenness_centrality`,
//! `degree_centrality`, `community.modularity` on the same `nx.Graph`).

use std::collections::{BTreeMap, BTreeSet};

use nigehban_network::{Edge, EdgeKind, Network, Node, NodeFlags, NodeKind};

fn key(i: usize) -> String {
    format!("n{i:02}")
}

/// A network of persons `n00`, `n01`... with the given undirected edges.
fn numbered(n: usize, edges: &[(usize, usize)]) -> Network {
    let mut net = Network::new();
    for i in 0..n {
        net.add_node(Node::new(key(i), NodeKind::Person, key(i)))
            .unwrap();
    }
    for &(a, b) in edges {
        net.add_edge(Edge::new(key(a), key(b), EdgeKind::Linked))
            .unwrap();
    }
    net
}

fn assert_close(got: &BTreeMap<String, f64>, want: &[f64]) {
    assert_eq!(got.len(), want.len());
    for (i, w) in want.iter().enumerate() {
        let g = got[&key(i)];
        assert!((g - w).abs() < 1e-12, "{}: got {g}, networkx {w}", key(i));
    }
}

fn path_edges(n: usize) -> Vec<(usize, usize)> {
    (1..n).map(|i| (i - 1, i)).collect()
}

const KARATE: [(usize, usize); 78] = [
    (0, 1),
    (0, 2),
    (0, 3),
    (0, 4),
    (0, 5),
    (0, 6),
    (0, 7),
    (0, 8),
    (0, 10),
    (0, 11),
    (0, 12),
    (0, 13),
    (0, 17),
    (0, 19),
    (0, 21),
    (0, 31),
    (1, 2),
    (1, 3),
    (1, 7),
    (1, 13),
    (1, 17),
    (1, 19),
    (1, 21),
    (1, 30),
    (2, 3),
    (2, 7),
    (2, 8),
    (2, 9),
    (2, 13),
    (2, 27),
    (2, 28),
    (2, 32),
    (3, 7),
    (3, 12),
    (3, 13),
    (4, 6),
    (4, 10),
    (5, 6),
    (5, 10),
    (5, 16),
    (6, 16),
    (8, 30),
    (8, 32),
    (8, 33),
    (9, 33),
    (13, 33),
    (14, 32),
    (14, 33),
    (15, 32),
    (15, 33),
    (18, 32),
    (18, 33),
    (19, 33),
    (20, 32),
    (20, 33),
    (22, 32),
    (22, 33),
    (23, 25),
    (23, 27),
    (23, 29),
    (23, 32),
    (23, 33),
    (24, 25),
    (24, 27),
    (24, 31),
    (25, 31),
    (26, 29),
    (26, 33),
    (27, 33),
    (28, 31),
    (28, 33),
    (29, 32),
    (29, 33),
    (30, 32),
    (30, 33),
    (31, 32),
    (31, 33),
    (32, 33),
];

#[test]
fn betweenness_of_a_path_matches_networkx() {
    let net = numbered(5, &path_edges(5));
    assert_close(
        &net.betweenness_centrality(),
        &[0.0, 0.5, 0.6666666666666666, 0.5, 0.0],
    );
}

#[test]
fn betweenness_of_a_star_matches_networkx() {
    let edges: Vec<(usize, usize)> = (1..=5).map(|i| (0, i)).collect();
    let net = numbered(6, &edges);
    assert_close(
        &net.betweenness_centrality(),
        &[1.0, 0.0, 0.0, 0.0, 0.0, 0.0],
    );
}

#[test]
fn betweenness_of_a_barbell_matches_networkx() {
    // nx.barbell_graph(4, 2)
    let edges = [
        (0, 1),
        (0, 2),
        (0, 3),
        (1, 2),
        (1, 3),
        (2, 3),
        (3, 4),
        (4, 5),
        (5, 6),
        (6, 7),
        (6, 8),
        (6, 9),
        (7, 8),
        (7, 9),
        (8, 9),
    ];
    let net = numbered(10, &edges);
    assert_close(
        &net.betweenness_centrality(),
        &[
            0.0,
            0.0,
            0.0,
            0.5,
            0.5555555555555556,
            0.5555555555555556,
            0.5,
            0.0,
            0.0,
            0.0,
        ],
    );
}

#[test]
fn karate_club_matches_networkx() {
    let net = numbered(34, &KARATE);
    assert_close(
        &net.betweenness_centrality(),
        &[
            0.43763528138528146,
            0.053936688311688304,
            0.14365680615680618,
            0.011909271284271283,
            0.0006313131313131313,
            0.02998737373737374,
            0.029987373737373736,
            0.0,
            0.05592682780182781,
            0.0008477633477633478,
            0.0006313131313131313,
            0.0,
            0.0,
            0.04586339586339586,
            0.0,
            0.0,
            0.0,
            0.0,
            0.0,
            0.03247504810004811,
            0.0,
            0.0,
            0.0,
            0.017613636363636363,
            0.0022095959595959595,
            0.0038404882154882154,
            0.0,
            0.02233345358345358,
            0.0017947330447330447,
            0.0029220779220779218,
            0.014411976911976909,
            0.13827561327561325,
            0.145247113997114,
            0.30407497594997596,
        ],
    );
    let degree = net.degree_centrality();
    assert!((degree[&key(0)] - 0.48484848484848486).abs() < 1e-15);
    assert!((degree[&key(33)] - 0.5151515151515151).abs() < 1e-15);
    assert!((degree[&key(11)] - 0.030303030303030304).abs() < 1e-15);

    // networkx's unweighted Louvain reaches 0.415-0.420 on this graph (the optimum is 0.4198).
    for seed in 0..5 {
        let communities = net.communities(seed);
        let q = net.modularity(&communities);
        assert!(q > 0.415, "seed {seed}: modularity {q}");
        assert_eq!(communities, net.communities(seed), "seed {seed}");
    }
}

#[test]
fn parallel_edges_and_direction_do_not_change_metrics() {
    let mut net = numbered(5, &path_edges(5));
    net.add_edge(Edge::new(key(2), key(1), EdgeKind::PaidTo))
        .unwrap();
    net.add_edge(Edge::new(key(1), key(2), EdgeKind::SamePerson))
        .unwrap();
    assert_eq!(net.edge_count(), 6);
    assert_close(
        &net.betweenness_centrality(),
        &[0.0, 0.5, 0.6666666666666666, 0.5, 0.0],
    );
    assert_eq!(net.degree(&key(1)), 2);
}

fn two_cliques() -> Network {
    let mut edges = Vec::new();
    for base in [0, 5] {
        for a in 0..5 {
            for b in a + 1..5 {
                edges.push((base + a, base + b));
            }
        }
    }
    edges.push((4, 5));
    numbered(10, &edges)
}

#[test]
fn two_cliques_joined_by_a_bridge_are_two_communities() {
    let net = two_cliques();
    for seed in 0..20 {
        let c = net.communities(seed);
        let want: BTreeMap<String, usize> =
            (0..10).map(|i| (key(i), usize::from(i >= 5))).collect();
        assert_eq!(c, want, "seed {seed}");
    }
    let c = net.communities(7);
    // networkx: modularity(G, [{0..4}, {5..9}])
    assert!((net.modularity(&c) - 0.45238095238095233).abs() < 1e-12);
    // Everyone together: 0.
    let one: BTreeMap<String, usize> = (0..10).map(|i| (key(i), 0)).collect();
    assert!(net.modularity(&one).abs() < 1e-12);

    let analysis = net.analyse(1);
    assert_eq!(analysis.communities, c);
    assert!((analysis.modularity - 0.45238095238095233).abs() < 1e-12);
    // The two ends of the bridge are the brokers.
    let brokers = analysis.top_brokers(&net, 3);
    let keys: Vec<&str> = brokers.iter().map(|b| b.key.as_str()).collect();
    assert_eq!(keys, ["n04", "n05"]);
    assert_eq!(brokers[0].communities_reached, 2);
    assert_eq!(brokers[0].degree, 5);
    assert_eq!(net.top_brokers(1).len(), 1);
}

#[test]
fn isolated_nodes_are_communities_of_their_own_numbered_by_size() {
    let mut net = two_cliques();
    net.add_node(Node::new("a-lonely", NodeKind::Phone, "x"))
        .unwrap();
    net.add_node(Node::new("z-lonely", NodeKind::Phone, "y"))
        .unwrap();
    let c = net.communities(0);
    assert_eq!(c["n00"], 0);
    assert_eq!(c["n09"], 1);
    assert_eq!(c["a-lonely"], 2);
    assert_eq!(c["z-lonely"], 3);
    assert_eq!(Network::new().communities(0), BTreeMap::new());
    assert_eq!(Network::new().modularity(&BTreeMap::new()), 0.0);
}

/// Two smuggling rings sharing one agent: persons, phones, an account, a case, a batch.
fn rings() -> Network {
    let mut net = Network::new();
    let person = |k: &str, agent: bool| {
        Node::new(format!("person:{k}"), NodeKind::Person, format!("P-{k}")).with_flags(NodeFlags {
            agent,
            pseudonymised: !agent,
            ..NodeFlags::default()
        })
    };
    for (k, agent) in [
        ("a", false),
        ("b", false),
        ("c", true),
        ("d", false),
        ("e", false),
        ("x", false),
    ] {
        net.add_node(person(k, agent)).unwrap();
    }
    net.add_node(Node::new("phone:1", NodeKind::Phone, "0300-***1"))
        .unwrap();
    net.add_node(Node::new("phone:2", NodeKind::Phone, "0300-***2"))
        .unwrap();
    net.add_node(Node::new("account:1", NodeKind::HawalaAccount, "HW-1"))
        .unwrap();
    net.add_node(Node::new("case:1", NodeKind::Case, "FIA/LHE/2026/1"))
        .unwrap();
    let uses = |p: &str, id: &str| {
        Edge::new(format!("person:{p}"), id, EdgeKind::UsesIdentifier).with_evidence("intake")
    };
    net.add_edge(uses("a", "phone:1")).unwrap();
    net.add_edge(uses("c", "phone:1")).unwrap();
    net.add_edge(uses("c", "phone:2")).unwrap();
    net.add_edge(uses("d", "phone:2")).unwrap();
    net.add_edge(
        Edge::new("person:b", "person:c", EdgeKind::MentionedAgent)
            .with_evidence("named by P-b in intake at KHI-SEAPORT on 2026-03-01"),
    )
    .unwrap();
    net.add_edge(
        Edge::new("person:d", "account:1", EdgeKind::PaidTo).with_attribute("amount", "350000"),
    )
    .unwrap();
    net.add_edge(Edge::new("person:e", "account:1", EdgeKind::UsesIdentifier))
        .unwrap();
    net.add_edge(
        Edge::new("person:e", "case:1", EdgeKind::RoleInCase).with_attribute("role", "suspect"),
    )
    .unwrap();
    net
}

#[test]
fn shortest_path_between_two_persons() {
    let net = rings();
    let path = net.shortest_path("person:a", "person:e").unwrap();
    assert_eq!(
        path.nodes,
        [
            "person:a",
            "phone:1",
            "person:c",
            "phone:2",
            "person:d",
            "account:1",
            "person:e"
        ]
    );
    assert_eq!(path.len(), 6);
    assert_eq!(path.edges[0].from, "person:a");
    assert_eq!(path.edges[4].kind, EdgeKind::PaidTo);
    // Walked backwards the same way.
    let back = net.shortest_path("person:e", "person:a").unwrap();
    let mut reversed = back.nodes.clone();
    reversed.reverse();
    assert_eq!(reversed, path.nodes);
    // Not connected.
    assert!(net.shortest_path("person:a", "person:x").is_none());
    // Through phones and persons only: the account is not allowed in between.
    let through = [NodeKind::Person, NodeKind::Phone];
    assert!(net
        .shortest_path_through("person:a", "person:e", Some(&through))
        .is_none());
    let p = net
        .shortest_path_through("person:a", "person:d", Some(&through))
        .unwrap();
    assert_eq!(p.nodes.len(), 5);
    // The ends may be of any kind.
    let p = net
        .shortest_path_through("phone:1", "account:1", Some(&[NodeKind::Person]))
        .is_none();
    assert!(p, "phone:2 is not allowed in between");
}

#[test]
fn shortest_path_ties_are_broken_by_key() {
    // Square: 0-1-3 and 0-2-3 are both shortest; n01 comes first.
    let net = numbered(4, &[(0, 2), (2, 3), (0, 1), (1, 3)]);
    let p = net.shortest_path("n00", "n03").unwrap();
    assert_eq!(p.nodes, ["n00", "n01", "n03"]);
}

#[test]
fn ego_network_and_neighbours() {
    let net = rings();
    let one = net.ego("person:c", 1).unwrap();
    let keys: Vec<&str> = one.nodes().map(|n| n.key.as_str()).collect();
    assert_eq!(keys, ["person:b", "person:c", "phone:1", "phone:2"]);
    assert_eq!(one.edge_count(), 3);
    let two = net.ego("person:c", 2).unwrap();
    let keys: BTreeSet<&str> = two.nodes().map(|n| n.key.as_str()).collect();
    assert_eq!(
        keys,
        BTreeSet::from(["person:a", "person:b", "person:c", "person:d", "phone:1", "phone:2"])
    );
    assert_eq!(two.edge_count(), 5);
    assert_eq!(net.ego("person:c", 0).unwrap().len(), 1);
    assert!(net.ego("person:zz", 1).is_none());

    let neighbours = net.neighbours("person:c");
    let keys: Vec<&str> = neighbours.iter().map(|(_, n)| n.key.as_str()).collect();
    assert_eq!(keys, ["person:b", "phone:1", "phone:2"]);
    assert_eq!(neighbours[0].0.kind, EdgeKind::MentionedAgent);
    assert!(neighbours[0].0.evidence.contains("KHI-SEAPORT"));
    assert!(net.neighbours("nobody").is_empty());

    // What a user may see: no persons but the agent.
    let visible = net.filter(|n| n.kind != NodeKind::Person || n.flags.agent);
    assert_eq!(visible.degree("person:c"), 2);
    assert_eq!(net.degree("person:c") - visible.degree("person:c"), 1);
    let sub = net.subgraph(["person:a", "phone:1", "missing"]);
    assert_eq!((sub.len(), sub.edge_count()), (2, 1));
}

#[test]
fn build_order_does_not_matter() {
    let net = rings();
    let mut shuffled = Network::new();
    let mut nodes: Vec<Node> = net.nodes().cloned().collect();
    nodes.reverse();
    for n in nodes {
        shuffled.add_node(n).unwrap();
    }
    let mut edges: Vec<Edge> = net.edges().into_iter().cloned().collect();
    edges.rotate_left(3);
    for e in edges {
        shuffled.add_edge(e).unwrap();
    }
    assert_eq!(net.analyse(5), shuffled.analyse(5));
    assert_eq!(
        net.shortest_path("person:a", "person:e"),
        shuffled.shortest_path("person:a", "person:e")
    );
    let mut merged = Network::new();
    merged.extend(&net).unwrap();
    merged.extend(&shuffled).unwrap();
    assert_eq!(merged.edge_count(), net.edge_count());
}

/// Betweenness by its definition, pair by pair (networkx's normalisation), to check the fast
/// one on awkward shapes: leaves, chains of leaves, two-node components, isolated nodes.
fn betweenness_by_definition(n: usize, edges: &[(usize, usize)]) -> Vec<f64> {
    let mut adj = vec![Vec::new(); n];
    for &(a, b) in edges {
        if !adj[a].contains(&b) {
            adj[a].push(b);
            adj[b].push(a);
        }
    }
    let bfs = |s: usize| {
        let mut dist = vec![usize::MAX; n];
        let mut sigma = vec![0.0f64; n];
        dist[s] = 0;
        sigma[s] = 1.0;
        let mut queue = std::collections::VecDeque::from([s]);
        while let Some(v) = queue.pop_front() {
            for &w in &adj[v] {
                if dist[w] == usize::MAX {
                    dist[w] = dist[v] + 1;
                    queue.push_back(w);
                }
                if dist[w] == dist[v] + 1 {
                    sigma[w] += sigma[v];
                }
            }
        }
        (dist, sigma)
    };
    let all: Vec<_> = (0..n).map(bfs).collect();
    let mut out = vec![0.0; n];
    for s in 0..n {
        for t in s + 1..n {
            let (ds, ss) = &all[s];
            let (dt, st) = &all[t];
            if ds[t] == usize::MAX {
                continue;
            }
            for v in 0..n {
                if v != s && v != t && ds[v] != usize::MAX && ds[v] + dt[v] == ds[t] {
                    out[v] += ss[v] * st[v] / ss[t];
                }
            }
        }
    }
    if n > 2 {
        let scale = 2.0 / ((n - 1) as f64 * (n - 2) as f64);
        for x in &mut out {
            *x *= scale;
        }
    }
    out
}

#[test]
fn betweenness_matches_the_definition_on_awkward_shapes() {
    let mut state: u64 = 42;
    let mut next = move |m: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % m
    };
    for round in 0..5 {
        let n = 60;
        let mut edges = Vec::new();
        // A random tree on the first 40 nodes (lots of leaves), a few cycles through it...
        for i in 1..40 {
            edges.push((next(i), i));
        }
        for _ in 0..(round * 3) {
            let (a, b) = (next(40), next(40));
            if a != b {
                edges.push((a, b));
            }
        }
        // ...a chain hanging off it, two-node components, a triangle, and isolated nodes.
        edges.extend([
            (5, 40),
            (40, 41),
            (41, 42),
            (43, 44),
            (45, 46),
            (47, 48),
            (48, 49),
        ]);
        edges.extend([(49, 47), (50, 51), (51, 52)]);
        let mut net = numbered(n, &[]);
        for &(a, b) in &edges {
            let _ = net.add_edge(Edge::new(key(a), key(b), EdgeKind::Linked));
        }
        let want = betweenness_by_definition(n, &edges);
        let got = net.betweenness_centrality();
        for (i, w) in want.iter().enumerate() {
            let g = got[&key(i)];
            assert!(
                (g - w).abs() < 1e-12,
                "round {round}, {}: {g} vs {w}",
                key(i)
            );
        }
    }
}
