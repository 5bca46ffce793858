//! The vocabulary of the network: kinds of node and edge, nodes, edges and errors.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a node stands for. The codes (`as_str`, serde) are stable: they appear in URLs, JSON,
/// exports and the CSS classes of the graph view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Person,
    Phone,
    Cnic,
    Passport,
    BankAccount,
    HawalaAccount,
    Address,
    Vehicle,
    Case,
    Batch,
    Route,
}

impl NodeKind {
    /// Every kind, in code order.
    pub const ALL: [NodeKind; 11] = [
        NodeKind::Person,
        NodeKind::Phone,
        NodeKind::Cnic,
        NodeKind::Passport,
        NodeKind::BankAccount,
        NodeKind::HawalaAccount,
        NodeKind::Address,
        NodeKind::Vehicle,
        NodeKind::Case,
        NodeKind::Batch,
        NodeKind::Route,
    ];

    /// The stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Person => "person",
            NodeKind::Phone => "phone",
            NodeKind::Cnic => "cnic",
            NodeKind::Passport => "passport",
            NodeKind::BankAccount => "bank_account",
            NodeKind::HawalaAccount => "hawala_account",
            NodeKind::Address => "address",
            NodeKind::Vehicle => "vehicle",
            NodeKind::Case => "case",
            NodeKind::Batch => "batch",
            NodeKind::Route => "route",
        }
    }

    /// The kind for a code, `None` for an unknown one.
    pub fn parse(code: &str) -> Option<NodeKind> {
        NodeKind::ALL.into_iter().find(|k| k.as_str() == code)
    }

    /// Identifiers a person uses: phones, CNICs, passports, accounts, vehicles, addresses.
    pub fn is_identifier(self) -> bool {
        matches!(
            self,
            NodeKind::Phone
                | NodeKind::Cnic
                | NodeKind::Passport
                | NodeKind::BankAccount
                | NodeKind::HawalaAccount
                | NodeKind::Address
                | NodeKind::Vehicle
        )
    }
}

impl fmt::Display for NodeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NodeKind {
    type Err = NetworkError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NodeKind::parse(s).ok_or_else(|| NetworkError::UnknownKind(s.to_owned()))
    }
}

/// What an edge says about its two ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// A person uses a phone, CNIC, passport, account, vehicle or address.
    UsesIdentifier,
    /// A person has a role in a case (attribute `role`: suspect, victim, witness...; `chain_role`).
    RoleInCase,
    /// A person was received in an intake batch.
    InBatch,
    /// A person travelled a route.
    TravelledRoute,
    /// Money went from one end to the other (person or account); directed.
    PaidTo,
    /// A deportee named an agent in an interview; directed, deportee to agent.
    MentionedAgent,
    /// A confirmed duplicate or alias: both ends are the same human being.
    SamePerson,
    /// Any other link.
    Linked,
}

impl EdgeKind {
    /// Every kind, in code order.
    pub const ALL: [EdgeKind; 8] = [
        EdgeKind::UsesIdentifier,
        EdgeKind::RoleInCase,
        EdgeKind::InBatch,
        EdgeKind::TravelledRoute,
        EdgeKind::PaidTo,
        EdgeKind::MentionedAgent,
        EdgeKind::SamePerson,
        EdgeKind::Linked,
    ];

    /// The stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::UsesIdentifier => "uses_identifier",
            EdgeKind::RoleInCase => "role_in_case",
            EdgeKind::InBatch => "in_batch",
            EdgeKind::TravelledRoute => "travelled_route",
            EdgeKind::PaidTo => "paid_to",
            EdgeKind::MentionedAgent => "mentioned_agent",
            EdgeKind::SamePerson => "same_person",
            EdgeKind::Linked => "linked",
        }
    }

    /// The kind for a code, `None` for an unknown one.
    pub fn parse(code: &str) -> Option<EdgeKind> {
        EdgeKind::ALL.into_iter().find(|k| k.as_str() == code)
    }

    /// Whether the direction `from -> to` carries meaning (payments, naming an agent). The
    /// metrics treat every edge as undirected; exports keep the direction.
    pub fn is_directed(self) -> bool {
        matches!(self, EdgeKind::PaidTo | EdgeKind::MentionedAgent)
    }
}

impl fmt::Display for EdgeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EdgeKind {
    type Err = NetworkError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EdgeKind::parse(s).ok_or_else(|| NetworkError::UnknownKind(s.to_owned()))
    }
}

/// Markers that change how a node is shown and exported. Merging two nodes ORs them.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct NodeFlags {
    /// Named as an agent (smuggler, recruiter, facilitator).
    pub agent: bool,
    /// On a watch list (most wanted, convicted).
    pub watchlisted: bool,
    /// The label is a pseudonym (`P-XXXXX`), not the person's name.
    pub pseudonymised: bool,
    /// Recorded as a victim.
    pub victim: bool,
}

impl NodeFlags {
    /// Both sets of markers together.
    pub fn union(self, other: NodeFlags) -> NodeFlags {
        NodeFlags {
            agent: self.agent || other.agent,
            watchlisted: self.watchlisted || other.watchlisted,
            pseudonymised: self.pseudonymised || other.pseudonymised,
            victim: self.victim || other.victim,
        }
    }
}

/// One entity of the network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Node {
    /// Stable and unique within a network, by convention `<kind>:<id>` (`person:<uuid>`,
    /// `phone:<opaque>`). It is what the browser sends back to expand a node.
    pub key: String,
    pub kind: NodeKind,
    /// What to show: a name, a pseudonym, a masked number, a case number.
    pub label: String,
    /// Further facts, by name (see the FtM export for the names it understands).
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
    #[serde(default)]
    pub flags: NodeFlags,
}

impl Node {
    /// A node without attributes or flags.
    pub fn new(key: impl Into<String>, kind: NodeKind, label: impl Into<String>) -> Node {
        Node {
            key: key.into(),
            kind,
            label: label.into(),
            attributes: BTreeMap::new(),
            flags: NodeFlags::default(),
        }
    }

    /// With one more attribute.
    #[must_use]
    pub fn with_attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Node {
        self.attributes.insert(name.into(), value.into());
        self
    }

    /// With these flags.
    #[must_use]
    pub fn with_flags(mut self, flags: NodeFlags) -> Node {
        self.flags = flags;
        self
    }

    /// An attribute's value, if set and not blank.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }
}

/// One link between two nodes. Edges are compared as a whole: two edges with the same ends and
/// kind but different evidence are both kept.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Edge {
    /// Key of one end (the payer, the deportee who named an agent, the person using an
    /// identifier).
    pub from: String,
    /// Key of the other end.
    pub to: String,
    pub kind: EdgeKind,
    /// Short text to show on the edge (a role, "paid", an account's use).
    #[serde(default)]
    pub label: String,
    /// Why the link is believed, for a human: "named by P-ABCDE in intake at KHI-SEAPORT on
    /// 2026-03-01".
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

impl Edge {
    /// An edge without label, evidence or attributes.
    pub fn new(from: impl Into<String>, to: impl Into<String>, kind: EdgeKind) -> Edge {
        Edge {
            from: from.into(),
            to: to.into(),
            kind,
            label: String::new(),
            evidence: String::new(),
            attributes: BTreeMap::new(),
        }
    }

    /// With this label.
    #[must_use]
    pub fn with_label(mut self, label: impl Into<String>) -> Edge {
        self.label = label.into();
        self
    }

    /// With this evidence.
    #[must_use]
    pub fn with_evidence(mut self, evidence: impl Into<String>) -> Edge {
        self.evidence = evidence.into();
        self
    }

    /// With one more attribute.
    #[must_use]
    pub fn with_attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Edge {
        self.attributes.insert(name.into(), value.into());
        self
    }

    /// An attribute's value, if set and not blank.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.trim().is_empty())
    }

    /// The end that is not `key` (`None` if `key` is neither end).
    pub fn other_end(&self, key: &str) -> Option<&str> {
        if self.from == key {
            Some(&self.to)
        } else if self.to == key {
            Some(&self.from)
        } else {
            None
        }
    }
}

/// What can go wrong building a network.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NetworkError {
    #[error("unknown kind `{0}`")]
    UnknownKind(String),
    #[error("node `{key}` is already a {existing}, not a {given}")]
    KindMismatch {
        key: String,
        existing: NodeKind,
        given: NodeKind,
    },
    #[error("edge end `{0}` is not a node of the network")]
    MissingNode(String),
    #[error("edge from `{0}` to itself")]
    SelfLoop(String),
    #[error("empty node key")]
    EmptyKey,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in NodeKind::ALL {
            assert_eq!(NodeKind::parse(k.as_str()), Some(k));
            assert_eq!(
                serde_json::to_string(&k).ok(),
                Some(format!("\"{}\"", k.as_str()))
            );
        }
        for k in EdgeKind::ALL {
            assert_eq!(k.as_str().parse::<EdgeKind>().ok(), Some(k));
            assert_eq!(
                serde_json::to_string(&k).ok(),
                Some(format!("\"{}\"", k.as_str()))
            );
        }
        assert!("nobody".parse::<NodeKind>().is_err());
    }

    #[test]
    fn flags_union() {
        let a = NodeFlags {
            agent: true,
            ..NodeFlags::default()
        };
        let b = NodeFlags {
            victim: true,
            ..NodeFlags::default()
        };
        let u = a.union(b);
        assert!(u.agent && u.victim && !u.watchlisted && !u.pseudonymised);
    }
}
