//! GraphML (for Gephi, yEd, Cytoscape desktop, networkx).
//!
//! Node data: `kind`, `label`, the four flags (booleans), one key per attribute name found on
//! any node, and with an [`Analysis`] also `degree`, `degree_centrality`, `betweenness` and
//! `community`. Edge data: `kind`, `label`, `evidence`, `directed` and one key per attribute
//! name. The graph is undirected, like the metrics; `source` and `target` are the edge's `from`
//! and `to`, and `directed` says whether that order means something (payments, agents named).
//! networkx, Gephi and yEd all read it (networkx refuses per-edge `directed` attributes in an
//! undirected graph, hence the data key). Node ids are the node keys. Characters XML 1.0
//! cannot carry are dropped.

use std::collections::BTreeSet;
use std::io::{self, Write};

use crate::graph::Network;
use crate::metrics::Analysis;

/// Escapes text for XML content and attribute values, dropping characters XML cannot hold.
pub(crate) fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' => out.push(c),
            '\r' => out.push_str("&#13;"),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

const NODE_FIXED: [&str; 6] = [
    "kind",
    "label",
    "agent",
    "watchlisted",
    "pseudonymised",
    "victim",
];
const NODE_METRICS: [&str; 4] = ["degree", "degree_centrality", "betweenness", "community"];
const EDGE_FIXED: [&str; 4] = ["kind", "label", "evidence", "directed"];

/// The name shown for an attribute: its own, unless a fixed key already has it.
fn attribute_title(name: &str, reserved: &[&str]) -> String {
    if reserved.contains(&name) {
        format!("attribute_{name}")
    } else {
        name.to_owned()
    }
}

/// Writes the network as GraphML, nodes by key and edges in edge order; metrics are included
/// when `analysis` is given.
pub fn write_graphml(
    network: &Network,
    analysis: Option<&Analysis>,
    mut w: impl Write,
) -> io::Result<()> {
    let node_attrs: BTreeSet<&str> = network
        .nodes()
        .flat_map(|n| n.attributes.keys().map(String::as_str))
        .collect();
    let edges = network.edges();
    let edge_attrs: BTreeSet<&str> = edges
        .iter()
        .flat_map(|e| e.attributes.keys().map(String::as_str))
        .collect();

    writeln!(w, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        w,
        r#"<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">"#
    )?;
    let key = |w: &mut dyn Write, id: &str, domain: &str, name: &str, ty: &str| {
        writeln!(
            w,
            r#"  <key id="{id}" for="{domain}" attr.name="{}" attr.type="{ty}"/>"#,
            xml_escape(name)
        )
    };
    for name in NODE_FIXED {
        let ty = if matches!(name, "kind" | "label") {
            "string"
        } else {
            "boolean"
        };
        key(&mut w, &format!("n_{name}"), "node", name, ty)?;
    }
    if analysis.is_some() {
        for name in NODE_METRICS {
            let ty = match name {
                "degree" | "community" => "int",
                _ => "double",
            };
            key(&mut w, &format!("n_{name}"), "node", name, ty)?;
        }
    }
    let reserved: Vec<&str> = NODE_FIXED.iter().chain(&NODE_METRICS).copied().collect();
    for (i, name) in node_attrs.iter().enumerate() {
        let title = attribute_title(name, &reserved);
        key(&mut w, &format!("na{i}"), "node", &title, "string")?;
    }
    for name in EDGE_FIXED {
        let ty = if name == "directed" {
            "boolean"
        } else {
            "string"
        };
        key(&mut w, &format!("e_{name}"), "edge", name, ty)?;
    }
    for (i, name) in edge_attrs.iter().enumerate() {
        let title = attribute_title(name, &EDGE_FIXED);
        key(&mut w, &format!("ea{i}"), "edge", &title, "string")?;
    }

    writeln!(w, r#"  <graph id="nigehban" edgedefault="undirected">"#)?;
    let data = |w: &mut dyn Write, key: &str, value: &str| {
        writeln!(w, r#"      <data key="{key}">{}</data>"#, xml_escape(value))
    };
    for node in network.nodes() {
        writeln!(w, r#"    <node id="{}">"#, xml_escape(&node.key))?;
        data(&mut w, "n_kind", node.kind.as_str())?;
        data(&mut w, "n_label", &node.label)?;
        let f = node.flags;
        for (name, on) in [
            ("n_agent", f.agent),
            ("n_watchlisted", f.watchlisted),
            ("n_pseudonymised", f.pseudonymised),
            ("n_victim", f.victim),
        ] {
            data(&mut w, name, if on { "true" } else { "false" })?;
        }
        if let Some(a) = analysis {
            data(&mut w, "n_degree", &network.degree(&node.key).to_string())?;
            if let Some(v) = a.degree_centrality.get(&node.key) {
                data(&mut w, "n_degree_centrality", &v.to_string())?;
            }
            if let Some(v) = a.betweenness.get(&node.key) {
                data(&mut w, "n_betweenness", &v.to_string())?;
            }
            if let Some(v) = a.communities.get(&node.key) {
                data(&mut w, "n_community", &v.to_string())?;
            }
        }
        for (i, name) in node_attrs.iter().enumerate() {
            if let Some(v) = node.attributes.get(*name) {
                data(&mut w, &format!("na{i}"), v)?;
            }
        }
        writeln!(w, "    </node>")?;
    }
    for (n, edge) in edges.iter().enumerate() {
        writeln!(
            w,
            r#"    <edge id="e{n}" source="{}" target="{}">"#,
            xml_escape(&edge.from),
            xml_escape(&edge.to)
        )?;
        data(&mut w, "e_kind", edge.kind.as_str())?;
        data(&mut w, "e_label", &edge.label)?;
        data(&mut w, "e_evidence", &edge.evidence)?;
        let directed = if edge.kind.is_directed() {
            "true"
        } else {
            "false"
        };
        data(&mut w, "e_directed", directed)?;
        for (i, name) in edge_attrs.iter().enumerate() {
            if let Some(v) = edge.attributes.get(*name) {
                data(&mut w, &format!("ea{i}"), v)?;
            }
        }
        writeln!(w, "    </edge>")?;
    }
    writeln!(w, "  </graph>")?;
    writeln!(w, "</graphml>")?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_drops_what_xml_cannot_hold() {
        assert_eq!(
            xml_escape("a<b>&\"c'\u{1}\u{FFFF}\t"),
            "a&lt;b&gt;&amp;&quot;c&apos;\t"
        );
        assert_eq!(xml_escape("x\ry"), "x&#13;y");
    }
}
