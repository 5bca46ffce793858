//! Nodes and edges as two CSV files, for spreadsheets and Gephi's import.
//!
//! UTF-8 with a byte-order mark (so Excel shows Urdu), CRLF line ends, fields quoted when they
//! hold a comma, quote or line break. A cell that starts with `=`, `+`, `-`, `@`, a tab or a
//! carriage return is prefixed with `'` so a spreadsheet never runs it as a formula: officers
//! open these files in Excel, and labels come from what other people typed.

use std::collections::BTreeSet;
use std::io::{self, Write};

use crate::graph::Network;
use crate::metrics::Analysis;

/// The cell as a spreadsheet should see it: formula-like text neutralised.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

fn field(cell: &str) -> String {
    let cell = neutralise(cell);
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell
    }
}

fn row<S: AsRef<str>>(w: &mut impl Write, cells: &[S]) -> io::Result<()> {
    let line: Vec<String> = cells.iter().map(|c| field(c.as_ref())).collect();
    w.write_all(line.join(",").as_bytes())?;
    w.write_all(b"\r\n")
}

const BOM: &[u8] = "\u{FEFF}".as_bytes();

/// Writes one row per node, by key. Columns: `key,kind,label,agent,watchlisted,pseudonymised,
/// victim,degree`, then with an analysis `degree_centrality,betweenness,community`, then one
/// column per attribute name (sorted) found on any node.
pub fn write_nodes_csv(
    network: &Network,
    analysis: Option<&Analysis>,
    mut w: impl Write,
) -> io::Result<()> {
    let attrs: BTreeSet<&str> = network
        .nodes()
        .flat_map(|n| n.attributes.keys().map(String::as_str))
        .collect();
    w.write_all(BOM)?;
    let mut header: Vec<String> = [
        "key",
        "kind",
        "label",
        "agent",
        "watchlisted",
        "pseudonymised",
        "victim",
        "degree",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    if analysis.is_some() {
        header.extend(["degree_centrality", "betweenness", "community"].map(String::from));
    }
    header.extend(attrs.iter().map(|a| (*a).to_owned()));
    row(&mut w, &header)?;
    let yes = |b: bool| if b { "true" } else { "false" }.to_owned();
    for node in network.nodes() {
        let f = node.flags;
        let mut cells = vec![
            node.key.clone(),
            node.kind.as_str().to_owned(),
            node.label.clone(),
            yes(f.agent),
            yes(f.watchlisted),
            yes(f.pseudonymised),
            yes(f.victim),
            network.degree(&node.key).to_string(),
        ];
        if let Some(a) = analysis {
            let num = |v: Option<&f64>| v.map(f64::to_string).unwrap_or_default();
            cells.push(num(a.degree_centrality.get(&node.key)));
            cells.push(num(a.betweenness.get(&node.key)));
            cells.push(
                a.communities
                    .get(&node.key)
                    .map(usize::to_string)
                    .unwrap_or_default(),
            );
        }
        for a in &attrs {
            cells.push(node.attributes.get(*a).cloned().unwrap_or_default());
        }
        row(&mut w, &cells)?;
    }
    Ok(())
}

/// Writes one row per edge, in edge order. Columns: `from,to,kind,label,evidence`, then one
/// column per attribute name (sorted) found on any edge.
pub fn write_edges_csv(network: &Network, mut w: impl Write) -> io::Result<()> {
    let edges = network.edges();
    let attrs: BTreeSet<&str> = edges
        .iter()
        .flat_map(|e| e.attributes.keys().map(String::as_str))
        .collect();
    w.write_all(BOM)?;
    let mut header: Vec<String> = ["from", "to", "kind", "label", "evidence"]
        .map(String::from)
        .to_vec();
    header.extend(attrs.iter().map(|a| (*a).to_owned()));
    row(&mut w, &header)?;
    for edge in edges {
        let mut cells = vec![
            edge.from.clone(),
            edge.to.clone(),
            edge.kind.as_str().to_owned(),
            edge.label.clone(),
            edge.evidence.clone(),
        ];
        for a in &attrs {
            cells.push(edge.attributes.get(*a).cloned().unwrap_or_default());
        }
        row(&mut w, &cells)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_fields_quoted() {
        assert_eq!(neutralise("=1+1"), "'=1+1");
        assert_eq!(neutralise("+923001234567"), "'+923001234567");
        assert_eq!(neutralise("-2"), "'-2");
        assert_eq!(neutralise("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise("Ali"), "Ali");
        assert_eq!(field("a,\"b\""), "\"a,\"\"b\"\"\"");
        assert_eq!(field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
    }
}
