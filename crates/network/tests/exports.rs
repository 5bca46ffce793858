#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! FollowTheMoney, GraphML and CSV exports.

use std::collections::{BTreeMap, BTreeSet};

use nigehban_network::{
    ftm_id, write_edges_csv, write_ftm_json, write_graphml, write_nodes_csv, Edge, EdgeKind,
    Network, Node, NodeFlags, NodeKind,
};
use serde_json::Value;

fn sample() -> Network {
    let mut net = Network::new();
    let mut add = |n: Node| net.add_node(n).unwrap();
    add(
        Node::new("person:victim", NodeKind::Person, "P-ABCDE").with_flags(NodeFlags {
            pseudonymised: true,
            victim: true,
            ..NodeFlags::default()
        }),
    );
    add(Node::new("person:agent", NodeKind::Person, "Shahid Iqbal")
        .with_attribute("alias", "Shahid Bhai")
        .with_attribute("nationality", "pk")
        .with_attribute("father_name", "Muhammad Iqbal")
        .with_flags(NodeFlags {
            agent: true,
            watchlisted: true,
            ..NodeFlags::default()
        }));
    add(Node::new(
        "person:alias",
        NodeKind::Person,
        "Shahid Iqbal Butt",
    ));
    add(Node::new("phone:1", NodeKind::Phone, "+923001234567"));
    add(Node::new("cnic:1", NodeKind::Cnic, "35202-1234567-1"));
    add(Node::new("passport:1", NodeKind::Passport, "AB1234567"));
    add(Node::new("account:1", NodeKind::HawalaAccount, "HW-GUJ-17")
        .with_attribute("bank_name", "Gujranwala hawala"));
    add(Node::new(
        "account:2",
        NodeKind::BankAccount,
        "PK36SCBL0000001123456702",
    )
    .with_attribute("bank_name", "Standard Chartered"));
    add(
        Node::new("address:1", NodeKind::Address, "House 5, Street 2, Gujrat")
            .with_attribute("city", "Gujrat"),
    );
    add(Node::new("vehicle:1", NodeKind::Vehicle, "LEA-1234").with_attribute("model", "Hiace"));
    add(Node::new("case:1", NodeKind::Case, "FIA/AHTC/GRW/2026/17")
        .with_attribute("status", "investigation"));
    add(Node::new(
        "batch:1",
        NodeKind::Batch,
        "Deportees from Muscat, 2026-03-01",
    )
    .with_attribute("date", "2026-03-01")
    .with_attribute("location", "KHI-SEAPORT"));
    add(Node::new(
        "route:1",
        NodeKind::Route,
        "Gwadar -> Iran -> Turkey",
    ));
    add(Node::new("phone:orphan", NodeKind::Phone, "0311-0000000"));

    let ev = "named by P-ABCDE in intake at KHI-SEAPORT on 2026-03-01";
    let edges = [
        Edge::new("person:agent", "phone:1", EdgeKind::UsesIdentifier).with_evidence(ev),
        Edge::new("person:agent", "cnic:1", EdgeKind::UsesIdentifier),
        Edge::new("person:agent", "passport:1", EdgeKind::UsesIdentifier),
        Edge::new("person:agent", "address:1", EdgeKind::UsesIdentifier),
        Edge::new("person:agent", "vehicle:1", EdgeKind::UsesIdentifier).with_label("driver"),
        Edge::new("person:agent", "account:1", EdgeKind::UsesIdentifier).with_label("holder"),
        Edge::new("person:victim", "person:agent", EdgeKind::MentionedAgent).with_evidence(ev),
        Edge::new("person:victim", "account:1", EdgeKind::PaidTo)
            .with_label("for the journey")
            .with_attribute("amount", "850000")
            .with_attribute("currency", "PKR")
            .with_attribute("date", "2025-11-02"),
        Edge::new("account:1", "account:2", EdgeKind::PaidTo),
        Edge::new("person:agent", "case:1", EdgeKind::RoleInCase)
            .with_label("suspect")
            .with_attribute("role", "suspect")
            .with_attribute("chain_role", "recruiter"),
        Edge::new("person:victim", "case:1", EdgeKind::RoleInCase).with_label("victim"),
        Edge::new("person:victim", "batch:1", EdgeKind::InBatch),
        Edge::new("person:victim", "route:1", EdgeKind::TravelledRoute),
        Edge::new("person:agent", "person:alias", EdgeKind::SamePerson)
            .with_evidence("same CNIC, confirmed by SI Rana on 2026-03-04"),
        Edge::new("phone:orphan", "case:1", EdgeKind::Linked),
    ];
    for e in edges {
        net.add_edge(e).unwrap();
    }
    net
}

fn ftm_lines(net: &Network) -> Vec<Value> {
    let mut out = Vec::new();
    write_ftm_json(net, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.ends_with('\n'));
    text.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .collect()
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

#[test]
fn ftm_entities_have_the_expected_schemas_and_properties() {
    let net = sample();
    let entities = ftm_lines(&net);
    let by_id: BTreeMap<&str, &Value> = entities
        .iter()
        .map(|e| (e["id"].as_str().unwrap(), e))
        .collect();
    assert_eq!(by_id.len(), entities.len(), "ids are unique");

    let schemas: BTreeMap<&str, usize> = entities.iter().fold(BTreeMap::new(), |mut m, e| {
        *m.entry(e["schema"].as_str().unwrap()).or_default() += 1;
        m
    });
    let want: BTreeMap<&str, usize> = [
        ("Person", 3),
        ("BankAccount", 2),
        ("Address", 1),
        ("Vehicle", 1),
        ("CourtCase", 1),
        ("Event", 2),
        ("Ownership", 2),
        ("CourtCaseParty", 2),
        ("Payment", 2),
        ("Associate", 1),
        ("UnknownLink", 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(schemas, want);

    let agent = by_id[ftm_id("person:agent").as_str()];
    assert_eq!(agent["schema"], "Person");
    let p = &agent["properties"];
    assert_eq!(strings(&p["name"]), ["Shahid Iqbal"]);
    assert_eq!(strings(&p["alias"]), ["Shahid Bhai"]);
    assert_eq!(strings(&p["nationality"]), ["pk"]);
    assert_eq!(strings(&p["fatherName"]), ["Muhammad Iqbal"]);
    assert_eq!(strings(&p["phone"]), ["+923001234567"]);
    assert_eq!(strings(&p["idNumber"]), ["35202-1234567-1"]);
    assert_eq!(strings(&p["passportNumber"]), ["AB1234567"]);
    assert_eq!(strings(&p["address"]), ["House 5, Street 2, Gujrat"]);
    assert_eq!(strings(&p["addressEntity"]), [ftm_id("address:1")]);
    assert_eq!(strings(&p["keywords"]), ["agent", "watchlisted"]);

    let victim = &by_id[ftm_id("person:victim").as_str()]["properties"];
    assert_eq!(strings(&victim["name"]), ["P-ABCDE"]);
    assert_eq!(strings(&victim["keywords"]), ["pseudonymised", "victim"]);

    let hawala = &by_id[ftm_id("account:1").as_str()]["properties"];
    assert_eq!(strings(&hawala["accountNumber"]), ["HW-GUJ-17"]);
    assert_eq!(strings(&hawala["accountType"]), ["hawala"]);
    assert_eq!(strings(&hawala["bankName"]), ["Gujranwala hawala"]);
    let vehicle = &by_id[ftm_id("vehicle:1").as_str()]["properties"];
    assert_eq!(strings(&vehicle["registrationNumber"]), ["LEA-1234"]);
    let case = &by_id[ftm_id("case:1").as_str()]["properties"];
    assert_eq!(strings(&case["caseNumber"]), ["FIA/AHTC/GRW/2026/17"]);
    let batch = &by_id[ftm_id("batch:1").as_str()]["properties"];
    assert_eq!(strings(&batch["involved"]), [ftm_id("person:victim")]);
    assert_eq!(strings(&batch["date"]), ["2026-03-01"]);
    let address = &by_id[ftm_id("address:1").as_str()]["properties"];
    assert_eq!(strings(&address["full"]), ["House 5, Street 2, Gujrat"]);

    let of = |schema: &str| -> Vec<&Value> {
        entities
            .iter()
            .filter(|e| e["schema"] == schema)
            .map(|e| &e["properties"])
            .collect()
    };
    let payment = of("Payment")
        .into_iter()
        .find(|p| p.get("payer").is_some())
        .unwrap();
    assert_eq!(strings(&payment["payer"]), [ftm_id("person:victim")]);
    assert_eq!(
        strings(&payment["beneficiaryAccount"]),
        [ftm_id("account:1")]
    );
    assert_eq!(strings(&payment["amount"]), ["850000"]);
    assert_eq!(strings(&payment["currency"]), ["PKR"]);
    assert_eq!(strings(&payment["date"]), ["2025-11-02"]);
    let party = of("CourtCaseParty")
        .into_iter()
        .find(|p| strings(&p["party"]) == [ftm_id("person:agent")])
        .unwrap();
    assert_eq!(strings(&party["role"]), ["recruiter", "suspect"]);
    assert_eq!(strings(&party["case"]), [ftm_id("case:1")]);
    let associate = &of("Associate")[0];
    assert_eq!(strings(&associate["person"]), [ftm_id("person:victim")]);
    assert_eq!(strings(&associate["associate"]), [ftm_id("person:agent")]);
    assert!(strings(&associate["description"])[0].contains("KHI-SEAPORT"));
    let link = &of("UnknownLink")[0];
    assert_eq!(strings(&link["role"]), ["same_person"]);
    let owned: BTreeSet<&str> = of("Ownership")
        .iter()
        .map(|p| strings(&p["asset"])[0])
        .collect();
    assert_eq!(
        owned,
        BTreeSet::from([ftm_id("account:1").as_str(), ftm_id("vehicle:1").as_str()])
    );

    // Every entity reference points at an entity of the file.
    let refs = [
        "owner",
        "asset",
        "party",
        "case",
        "payer",
        "payerAccount",
        "beneficiary",
        "beneficiaryAccount",
        "person",
        "associate",
        "subject",
        "object",
        "involved",
        "addressEntity",
    ];
    for e in &entities {
        for r in refs {
            if let Some(v) = e["properties"].get(r) {
                for id in strings(v) {
                    assert!(by_id.contains_key(id), "{r} -> {id} missing");
                }
            }
        }
        // Every property is a non-empty list of strings.
        for (_, v) in e["properties"].as_object().unwrap() {
            assert!(!strings(v).is_empty());
        }
    }

    // Stable: the same bytes again, and ids do not depend on anything but the key.
    let mut a = Vec::new();
    let mut b = Vec::new();
    write_ftm_json(&net, &mut a).unwrap();
    write_ftm_json(&net.ego("person:agent", 5).unwrap(), &mut b).unwrap();
    assert_eq!(a, b);
}

#[test]
fn graphml_is_well_formed_and_complete() {
    let mut net = sample();
    net.add_node(
        Node::new(
            "person:<odd>&\"",
            NodeKind::Person,
            "Ali & <Sons> \u{1}\u{7}",
        )
        .with_attribute("kind", "clash"),
    )
    .unwrap();
    net.add_edge(
        Edge::new("person:<odd>&\"", "person:agent", EdgeKind::Linked)
            .with_evidence("x < y & \"z\"")
            .with_attribute("weight", "2"),
    )
    .unwrap();
    let analysis = net.analyse(0);
    let mut out = Vec::new();
    write_graphml(&net, Some(&analysis), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    let doc = roxmltree::Document::parse(&text).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "graphml");
    let keys: BTreeMap<&str, &str> = root
        .children()
        .filter(|n| n.has_tag_name("key"))
        .map(|k| {
            (
                k.attribute("id").unwrap(),
                k.attribute("attr.name").unwrap(),
            )
        })
        .collect();
    for (id, name) in [
        ("n_kind", "kind"),
        ("n_label", "label"),
        ("n_agent", "agent"),
        ("n_betweenness", "betweenness"),
        ("n_community", "community"),
        ("e_evidence", "evidence"),
    ] {
        assert_eq!(keys.get(id), Some(&name));
    }
    assert!(keys.values().any(|v| *v == "attribute_kind"));
    assert!(keys.values().any(|v| *v == "weight"));
    let graph = root.children().find(|n| n.has_tag_name("graph")).unwrap();
    let nodes: Vec<_> = graph
        .children()
        .filter(|n| n.has_tag_name("node"))
        .collect();
    let edges: Vec<_> = graph
        .children()
        .filter(|n| n.has_tag_name("edge"))
        .collect();
    assert_eq!(nodes.len(), net.len());
    assert_eq!(edges.len(), net.edge_count());
    let odd = nodes
        .iter()
        .find(|n| n.attribute("id") == Some("person:<odd>&\""))
        .unwrap();
    let label = odd
        .children()
        .find(|d| d.attribute("key") == Some("n_label"))
        .unwrap();
    assert_eq!(label.text(), Some("Ali & <Sons> "));
    let ids: BTreeSet<&str> = nodes.iter().map(|n| n.attribute("id").unwrap()).collect();
    for e in &edges {
        assert!(ids.contains(e.attribute("source").unwrap()));
        assert!(ids.contains(e.attribute("target").unwrap()));
    }
    let directed = edges
        .iter()
        .filter(|e| {
            e.children()
                .any(|d| d.attribute("key") == Some("e_directed") && d.text() == Some("true"))
        })
        .count();
    assert_eq!(directed, 3, "two payments and one agent named");
    // Without analysis there are no metric keys.
    let mut plain = Vec::new();
    write_graphml(&net, None, &mut plain).unwrap();
    let plain = String::from_utf8(plain).unwrap();
    roxmltree::Document::parse(&plain).unwrap();
    assert!(!plain.contains("betweenness"));
}

/// Parses CSV as written (quoted fields, CRLF), for checking.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let text = text.strip_prefix('\u{FEFF}').expect("BOM");
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut cell));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => cell.push(c),
        }
    }
    rows
}

#[test]
fn csv_neutralises_formulas() {
    let mut net = sample();
    net.add_node(Node::new(
        "person:evil",
        NodeKind::Person,
        "=HYPERLINK(\"http://x\",\"y\")",
    ))
    .unwrap();
    net.add_node(Node::new("person:at", NodeKind::Person, "@SUM(A1:A9)"))
        .unwrap();
    net.add_edge(
        Edge::new("person:evil", "person:at", EdgeKind::Linked)
            .with_label("-1+2")
            .with_evidence("+cmd|' /C calc'!A0, said \"no\""),
    )
    .unwrap();
    let mut out = Vec::new();
    write_nodes_csv(&net, None, &mut out).unwrap();
    let rows = parse_csv(&String::from_utf8(out).unwrap());
    assert_eq!(
        rows[0][..8],
        [
            "key",
            "kind",
            "label",
            "agent",
            "watchlisted",
            "pseudonymised",
            "victim",
            "degree"
        ]
    );
    assert!(rows[0].contains(&"bank_name".to_owned()));
    assert_eq!(rows.len(), net.len() + 1);
    let evil = rows.iter().find(|r| r[0] == "person:evil").unwrap();
    assert_eq!(evil[2], "'=HYPERLINK(\"http://x\",\"y\")");
    assert_eq!(evil[7], "1");
    let at = rows.iter().find(|r| r[0] == "person:at").unwrap();
    assert_eq!(at[2], "'@SUM(A1:A9)");
    let phone = rows.iter().find(|r| r[0] == "phone:1").unwrap();
    assert_eq!(phone[2], "'+923001234567");
    let agent = rows.iter().find(|r| r[0] == "person:agent").unwrap();
    assert_eq!(&agent[3..5], ["true", "true"]);
    for r in &rows {
        assert_eq!(r.len(), rows[0].len());
    }

    let analysis = net.analyse(0);
    let mut out = Vec::new();
    write_nodes_csv(&net, Some(&analysis), &mut out).unwrap();
    let rows = parse_csv(&String::from_utf8(out).unwrap());
    assert_eq!(
        rows[0][8..11],
        ["degree_centrality", "betweenness", "community"]
    );

    let mut out = Vec::new();
    write_edges_csv(&net, &mut out).unwrap();
    let rows = parse_csv(&String::from_utf8(out).unwrap());
    assert_eq!(rows[0][..5], ["from", "to", "kind", "label", "evidence"]);
    assert_eq!(rows.len(), net.edge_count() + 1);
    let evil = rows.iter().find(|r| r[0] == "person:evil").unwrap();
    assert_eq!(evil[3], "'-1+2");
    assert_eq!(evil[4], "'+cmd|' /C calc'!A0, said \"no\"");
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "unneutralised {cell}"
            );
        }
    }
}
