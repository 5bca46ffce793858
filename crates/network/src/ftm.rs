//! FollowTheMoney entities as JSON lines, the form Aleph ingests (`ftm` / `alephclient
//! write-entities`): one `{"id", "schema", "properties"}` object per line, every property a
//! list of strings.
//!
//! Mapping (schema and property names from the FtM model):
//!
//! | node | entity |
//! | --- | --- |
//! | person | `Person`: `name` (the label: a pseudonym stays a pseudonym), `alias`, `nationality`, `birthDate`, `gender`, `fatherName`, `idNumber` (CNICs), `passportNumber`, `phone`, `address` and `addressEntity`, `keywords` (agent, watchlisted, victim, pseudonymised) |
//! | bank_account, hawala_account | `BankAccount`: `name`, `accountNumber`, `bankName`, `accountType` (`hawala` for hawala) |
//! | address | `Address`: `full`, `city`, `country` |
//! | vehicle | `Vehicle`: `name`, `registrationNumber`, `type`, `model`, `country` |
//! | case | `CourtCase`: `name`, `caseNumber`, `status`, `category`, `court`, `fileDate` |
//! | batch, route | `Event`: `name`, `date`, `location`, `country`, `keywords`, `involved` (the persons linked) |
//! | phone, cnic, passport | no entity: FtM holds them as properties of the persons using them, and Aleph matches persons sharing one |
//!
//! | edge | entity |
//! | --- | --- |
//! | uses_identifier to a phone, CNIC, passport or address | folded into the person (see above) |
//! | uses_identifier to an account or vehicle | `Ownership` (`owner`, `asset`, `role`) |
//! | role_in_case | `CourtCaseParty` (`party`, `case`, `role`: attributes `role`, `chain_role`, else the label) |
//! | in_batch, travelled_route | the event's `involved` |
//! | paid_to | `Payment` (`payer` / `payerAccount`, `beneficiary` / `beneficiaryAccount`, `amount`, `currency`, `purpose`) |
//! | mentioned_agent between persons | `Associate` (`person`, `associate`, `relationship`) |
//! | anything else with an entity at both ends | `UnknownLink` (`subject`, `object`, `role`) |
//!
//! Link entities carry the edge's evidence as `description` and an attribute `date` as `date`.
//! Edges from an identifier node to anything but a person have no entity at one end and are
//! left out. Ids are `ngb-` and the first 40 hex digits of the SHA-256 of the node key (of the
//! whole edge for links), so a re-export updates the same entities in Aleph.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::graph::Network;
use crate::model::{Edge, EdgeKind, Node, NodeKind};

type Properties = BTreeMap<&'static str, BTreeSet<String>>;

#[derive(Serialize)]
struct Entity<'a> {
    id: &'a str,
    schema: &'static str,
    properties: BTreeMap<&'static str, Vec<String>>,
}

/// The stable FtM id of a node key.
pub fn ftm_id(key: &str) -> String {
    hashed_id(&[b"node", key.as_bytes()])
}

fn edge_id(edge: &Edge) -> String {
    let mut parts: Vec<&[u8]> = vec![
        b"edge",
        edge.from.as_bytes(),
        edge.to.as_bytes(),
        edge.kind.as_str().as_bytes(),
        edge.label.as_bytes(),
        edge.evidence.as_bytes(),
    ];
    for (k, v) in &edge.attributes {
        parts.push(k.as_bytes());
        parts.push(v.as_bytes());
    }
    hashed_id(&parts)
}

fn hashed_id(parts: &[&[u8]]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        // Length prefixes keep ("ab", "c") and ("a", "bc") apart.
        h.update((p.len() as u64).to_le_bytes());
        h.update(p);
    }
    let digest = h.finalize();
    let mut id = String::from("ngb-");
    for b in digest.iter().take(20) {
        id.push_str(&format!("{b:02x}"));
    }
    id
}

fn schema_of(kind: NodeKind) -> Option<&'static str> {
    match kind {
        NodeKind::Person => Some("Person"),
        NodeKind::BankAccount | NodeKind::HawalaAccount => Some("BankAccount"),
        NodeKind::Address => Some("Address"),
        NodeKind::Vehicle => Some("Vehicle"),
        NodeKind::Case => Some("CourtCase"),
        NodeKind::Batch | NodeKind::Route => Some("Event"),
        NodeKind::Phone | NodeKind::Cnic | NodeKind::Passport => None,
    }
}

fn put(props: &mut Properties, name: &'static str, value: &str) {
    let value = value.trim();
    if !value.is_empty() {
        props.entry(name).or_default().insert(value.to_owned());
    }
}

fn copy(props: &mut Properties, node: &Node, attribute: &str, name: &'static str) {
    if let Some(v) = node.attribute(attribute) {
        put(props, name, v);
    }
}

fn node_properties(node: &Node) -> Properties {
    let mut p = Properties::new();
    match node.kind {
        NodeKind::Person => {
            put(&mut p, "name", &node.label);
            copy(&mut p, node, "alias", "alias");
            copy(&mut p, node, "nationality", "nationality");
            copy(&mut p, node, "birth_date", "birthDate");
            copy(&mut p, node, "gender", "gender");
            copy(&mut p, node, "father_name", "fatherName");
            let f = node.flags;
            for (on, word) in [
                (f.agent, "agent"),
                (f.watchlisted, "watchlisted"),
                (f.victim, "victim"),
                (f.pseudonymised, "pseudonymised"),
            ] {
                if on {
                    put(&mut p, "keywords", word);
                }
            }
        }
        NodeKind::BankAccount | NodeKind::HawalaAccount => {
            put(&mut p, "name", &node.label);
            let number = node.attribute("account_number").unwrap_or(&node.label);
            put(&mut p, "accountNumber", number);
            copy(&mut p, node, "bank_name", "bankName");
            match node.attribute("account_type") {
                Some(t) => put(&mut p, "accountType", t),
                None if node.kind == NodeKind::HawalaAccount => {
                    put(&mut p, "accountType", "hawala")
                }
                None => {}
            }
        }
        NodeKind::Address => {
            put(&mut p, "full", &node.label);
            copy(&mut p, node, "city", "city");
            copy(&mut p, node, "country", "country");
        }
        NodeKind::Vehicle => {
            put(&mut p, "name", &node.label);
            let number = node.attribute("registration_number").unwrap_or(&node.label);
            put(&mut p, "registrationNumber", number);
            copy(&mut p, node, "vehicle_type", "type");
            copy(&mut p, node, "model", "model");
            copy(&mut p, node, "country", "country");
        }
        NodeKind::Case => {
            put(&mut p, "name", &node.label);
            let number = node.attribute("case_number").unwrap_or(&node.label);
            put(&mut p, "caseNumber", number);
            copy(&mut p, node, "status", "status");
            copy(&mut p, node, "category", "category");
            copy(&mut p, node, "court", "court");
            copy(&mut p, node, "file_date", "fileDate");
        }
        NodeKind::Batch | NodeKind::Route => {
            put(&mut p, "name", &node.label);
            put(&mut p, "keywords", node.kind.as_str());
            copy(&mut p, node, "date", "date");
            copy(&mut p, node, "location", "location");
            copy(&mut p, node, "country", "country");
        }
        NodeKind::Phone | NodeKind::Cnic | NodeKind::Passport => {}
    }
    p
}

/// A link entity, or `None` when the edge is folded into a node or cannot be expressed.
fn link_entity(
    edge: &Edge,
    from: &Node,
    to: &Node,
    nodes: &mut BTreeMap<String, (&'static str, Properties)>,
) -> Option<(&'static str, Properties)> {
    use NodeKind as K;
    let (person, other) = match (from.kind, to.kind) {
        (K::Person, _) => (Some(from), to),
        (_, K::Person) => (Some(to), from),
        _ => (None, to),
    };
    // Folded into the person.
    if edge.kind == EdgeKind::UsesIdentifier {
        if let Some(person) = person {
            let folded = match other.kind {
                K::Phone => Some("phone"),
                K::Cnic => Some("idNumber"),
                K::Passport => Some("passportNumber"),
                K::Address => Some("address"),
                _ => None,
            };
            if let Some(name) = folded {
                let props = &mut nodes.get_mut(&person.key)?.1;
                put(props, name, &other.label);
                if other.kind == K::Address {
                    put(props, "addressEntity", &ftm_id(&other.key));
                }
                return None;
            }
        }
    }
    let (Some(_), Some(_)) = (schema_of(from.kind), schema_of(to.kind)) else {
        return None;
    };
    let from_id = ftm_id(&from.key);
    let to_id = ftm_id(&to.key);
    let is_account = |n: &Node| matches!(n.kind, K::BankAccount | K::HawalaAccount);
    let mut p = Properties::new();
    put(&mut p, "description", &edge.evidence);
    if let Some(d) = edge.attribute("date") {
        put(&mut p, "date", d);
    }
    let schema = match edge.kind {
        EdgeKind::UsesIdentifier
            if person.is_some() && (is_account(other) || other.kind == K::Vehicle) =>
        {
            put(&mut p, "owner", &ftm_id(&person?.key));
            put(&mut p, "asset", &ftm_id(&other.key));
            put(&mut p, "role", &edge.label);
            "Ownership"
        }
        EdgeKind::RoleInCase if person.is_some() && other.kind == K::Case => {
            put(&mut p, "party", &ftm_id(&person?.key));
            put(&mut p, "case", &ftm_id(&other.key));
            let mut any = false;
            for a in ["role", "chain_role"] {
                if let Some(v) = edge.attribute(a) {
                    put(&mut p, "role", v);
                    any = true;
                }
            }
            if !any {
                put(&mut p, "role", &edge.label);
            }
            "CourtCaseParty"
        }
        EdgeKind::InBatch | EdgeKind::TravelledRoute
            if person.is_some() && matches!(other.kind, K::Batch | K::Route) =>
        {
            let props = &mut nodes.get_mut(&other.key)?.1;
            put(props, "involved", &ftm_id(&person?.key));
            return None;
        }
        EdgeKind::PaidTo
            if (from.kind == K::Person || is_account(from))
                && (to.kind == K::Person || is_account(to)) =>
        {
            let payer = if is_account(from) {
                "payerAccount"
            } else {
                "payer"
            };
            let beneficiary = if is_account(to) {
                "beneficiaryAccount"
            } else {
                "beneficiary"
            };
            put(&mut p, payer, &from_id);
            put(&mut p, beneficiary, &to_id);
            for (a, name) in [("amount", "amount"), ("currency", "currency")] {
                if let Some(v) = edge.attribute(a) {
                    put(&mut p, name, v);
                }
            }
            put(&mut p, "purpose", &edge.label);
            "Payment"
        }
        EdgeKind::MentionedAgent if from.kind == K::Person && to.kind == K::Person => {
            put(&mut p, "person", &from_id);
            put(&mut p, "associate", &to_id);
            let relationship = if edge.label.trim().is_empty() {
                "named as agent"
            } else {
                &edge.label
            };
            put(&mut p, "relationship", relationship);
            "Associate"
        }
        _ => {
            put(&mut p, "subject", &from_id);
            put(&mut p, "object", &to_id);
            let role = if edge.label.trim().is_empty() {
                edge.kind.as_str()
            } else {
                &edge.label
            };
            put(&mut p, "role", role);
            "UnknownLink"
        }
    };
    Some((schema, p))
}

/// Writes the network as FollowTheMoney entities, one JSON object per line: nodes first (in
/// key order), then link entities (in edge order). See the module documentation for the
/// mapping.
pub fn write_ftm_json(network: &Network, mut w: impl Write) -> io::Result<()> {
    let mut nodes: BTreeMap<String, (&'static str, Properties)> = network
        .nodes()
        .filter_map(|n| schema_of(n.kind).map(|s| (n.key.clone(), (s, node_properties(n)))))
        .collect();
    let mut links: Vec<(String, &'static str, Properties)> = Vec::new();
    for edge in network.edges() {
        let (Some(from), Some(to)) = (network.node(&edge.from), network.node(&edge.to)) else {
            continue;
        };
        if let Some((schema, props)) = link_entity(edge, from, to, &mut nodes) {
            links.push((edge_id(edge), schema, props));
        }
    }
    let mut write = |id: &str, schema: &'static str, props: Properties| -> io::Result<()> {
        let entity = Entity {
            id,
            schema,
            properties: props
                .into_iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| (k, v.into_iter().collect()))
                .collect(),
        };
        serde_json::to_writer(&mut w, &entity)?;
        w.write_all(b"\n")
    };
    for (key, (schema, props)) in nodes {
        write(&ftm_id(&key), schema, props)?;
    }
    for (id, schema, props) in links {
        write(&id, schema, props)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_distinct() {
        assert_eq!(ftm_id("person:a"), ftm_id("person:a"));
        assert_ne!(ftm_id("person:a"), ftm_id("person:b"));
        assert_eq!(ftm_id("person:a").len(), 44);
        assert!(ftm_id("x")
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-'));
    }
}
