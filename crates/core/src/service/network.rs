//! The network of persons, identifiers, cases, batches and routes, explored one node at a time
//! under the access policy: a person appears only if the reader may see them (by pseudonym when
//! protected), a case only if the reader sees its persons, a batch only to its receiving unit.
//! What is withheld is counted, never named. Identifier nodes are keyed by blind index and
//! labelled with all but the last four characters hidden.

use super::cases::now_micros;
use super::linkage::mask;
use super::*;
use crate::linkage_store::HeldIdentifier;
use crate::policy::CaseAccess;
use nigehban_domain::identifiers::IdentifierKind;
use nigehban_domain::ids::BatchId;
use nigehban_domain::person::pseudonym;
use nigehban_network::{Edge, EdgeKind, Network, Node, NodeFlags, NodeKind};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Neighbours returned for one node at most (a phone shared by hundreds says little, and a page
/// of hundreds of nodes helps nobody): the rest are counted as not shown.
pub const NEIGHBOURS_LIMIT: usize = 150;
/// How far a path search or an export reaches from its starting persons.
pub const MAX_HOPS: usize = 6;
/// Nodes a path search or an export explores at most.
pub const MAX_NODES: usize = 2000;

/// A node as shown, with its visible degree and how many of its neighbours were withheld.
#[derive(Debug, Clone, Serialize)]
pub struct SliceNode {
    pub key: String,
    pub kind: String,
    pub label: String,
    pub agent: bool,
    pub watchlisted: bool,
    pub pseudonymised: bool,
    pub degree: usize,
    pub hidden_neighbours: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SliceEdge {
    pub key: String,
    pub from: String,
    pub to: String,
    pub kind: String,
    pub label: String,
    pub evidence: String,
}

/// Part of the network: a node's neighbourhood, or a path.
#[derive(Debug, Clone, Serialize)]
pub struct NetworkSlice {
    pub center: String,
    pub nodes: Vec<SliceNode>,
    pub edges: Vec<SliceEdge>,
    /// The path found, node keys in order (path queries only; empty when none).
    pub path: Vec<String>,
}

/// Export formats of a network.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkFormat {
    /// FollowTheMoney entities as JSON lines (for Aleph).
    FtmJson,
    GraphMl,
    NodesCsv,
    EdgesCsv,
}

impl NetworkFormat {
    pub fn parse(s: &str) -> Option<NetworkFormat> {
        match s {
            "ftm" | "ftm.json" | "json" => Some(NetworkFormat::FtmJson),
            "graphml" => Some(NetworkFormat::GraphMl),
            "nodes.csv" | "nodes" => Some(NetworkFormat::NodesCsv),
            "edges.csv" | "edges" | "csv" => Some(NetworkFormat::EdgesCsv),
            _ => None,
        }
    }
}

/// How the reader may see one person in the graph.
#[derive(Debug, Clone)]
struct Sight {
    node: Node,
}

fn identifier_node_kind(k: IdentifierKind) -> Option<NodeKind> {
    Some(match k {
        IdentifierKind::Cnic => NodeKind::Cnic,
        IdentifierKind::Passport => NodeKind::Passport,
        IdentifierKind::Phone => NodeKind::Phone,
        IdentifierKind::BankAccount => NodeKind::BankAccount,
        IdentifierKind::HawalaAccount => NodeKind::HawalaAccount,
        IdentifierKind::Vehicle => NodeKind::Vehicle,
        IdentifierKind::Address => NodeKind::Address,
        IdentifierKind::NaraCard => return None,
    })
}

fn identifier_kind_of(k: NodeKind) -> Option<IdentifierKind> {
    Some(match k {
        NodeKind::Cnic => IdentifierKind::Cnic,
        NodeKind::Passport => IdentifierKind::Passport,
        NodeKind::Phone => IdentifierKind::Phone,
        NodeKind::BankAccount => IdentifierKind::BankAccount,
        NodeKind::HawalaAccount => IdentifierKind::HawalaAccount,
        NodeKind::Vehicle => IdentifierKind::Vehicle,
        NodeKind::Address => IdentifierKind::Address,
        _ => return None,
    })
}

fn identifier_node(h: &HeldIdentifier) -> Option<Node> {
    let kind = identifier_node_kind(h.kind)?;
    // Addresses are words, not numbers: their label keeps only the first word (the house).
    let label = if h.kind == IdentifierKind::Address {
        let first = h.value.split(' ').next().unwrap_or_default();
        format!("{first} …")
    } else {
        mask(&h.value)
    };
    Some(Node::new(
        format!("{}:{}", kind.as_str(), h.lookup),
        kind,
        label,
    ))
}

/// A node key split into its kind and reference.
fn split_key(key: &str) -> Result<(NodeKind, &str), CoreError> {
    let bad = || ValidationErrors::single("node", Problem::UnknownCode { value: key.into() });
    let (kind, rest) = key.split_once(':').ok_or_else(bad)?;
    let kind = NodeKind::parse(kind).ok_or_else(bad)?;
    if rest.is_empty() || rest.len() > 200 {
        return Err(bad().into());
    }
    Ok((kind, rest))
}

fn slice_of(net: &Network, center: &str, hidden: &BTreeMap<String, usize>) -> NetworkSlice {
    let mut nodes: Vec<SliceNode> = net
        .nodes()
        .map(|n| SliceNode {
            key: n.key.clone(),
            kind: n.kind.as_str().to_string(),
            label: n.label.clone(),
            agent: n.flags.agent,
            watchlisted: n.flags.watchlisted,
            pseudonymised: n.flags.pseudonymised,
            degree: net.degree(&n.key),
            hidden_neighbours: hidden.get(&n.key).copied().unwrap_or(0),
        })
        .collect();
    nodes.sort_by(|a, b| (a.key != center, &a.key).cmp(&(b.key != center, &b.key)));
    let edges = net
        .edges()
        .into_iter()
        .map(|e| SliceEdge {
            key: format!("{}|{}|{}", e.from, e.kind.as_str(), e.to),
            from: e.from.clone(),
            to: e.to.clone(),
            kind: e.kind.as_str().to_string(),
            label: e.label.clone(),
            evidence: e.evidence.clone(),
        })
        .collect();
    NetworkSlice {
        center: center.to_string(),
        nodes,
        edges,
        path: Vec::new(),
    }
}

impl Nigehban {
    /// How the reader sees a person in the graph, or `None` when they may not.
    async fn person_sight(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: PersonId,
        cache: &mut HashMap<PersonId, Option<Sight>>,
    ) -> Result<Option<Sight>, CoreError> {
        if let Some(s) = cache.get(&id) {
            return Ok(s.clone());
        }
        let sight = self.person_sight_uncached(actor, scope, id).await?;
        cache.insert(id, sight.clone());
        Ok(sight)
    }

    async fn person_sight_uncached(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: PersonId,
    ) -> Result<Option<Sight>, CoreError> {
        let Some(rel) = self.store.person_relation(id, scope, now_micros()).await? else {
            return Ok(None);
        };
        if rel.sealed && !rel.named_on_seal {
            return Ok(None);
        }
        let best = rel
            .cases
            .iter()
            .map(|r| CaseAccess::decide(scope, r))
            .filter(|a| a.persons)
            .max_by_key(|a| (a.own, a.work, !a.deidentified))
            .or_else(|| {
                (rel.in_own_batch && authorize(actor, Action::Intake).is_ok())
                    .then(CaseAccess::received_at_intake)
            });
        let Some(detail) = self.store.person_detail(id).await? else {
            return Ok(None);
        };
        let agent_here = detail
            .cases
            .iter()
            .any(|c| c.role.role == PersonRole::Suspect && c.agency == scope.agency);
        let watchlisted = !self.store.watchlist_of(&[id]).await?.is_empty();
        let agent = agent_here || watchlisted;
        // Readers of the agent register see the agency's agents, whatever case holds them.
        let access = match best {
            Some(a) => a,
            None if agent && authorize(actor, Action::ViewAgents).is_ok() => CaseAccess {
                see: true,
                persons: true,
                deidentified: false,
                work: false,
                mov: false,
                own: false,
            },
            None => return Ok(None),
        };
        let protected = detail.protected();
        let revealed = protected
            && self
                .store
                .has_active_reveal(id, actor.user_id, now_micros())
                .await?;
        let hide = (protected && !revealed) || (access.deidentified && !agent);
        let label = if hide {
            pseudonym(id)
        } else {
            detail
                .person
                .name
                .roman
                .clone()
                .or_else(|| detail.person.name.urdu.clone())
                .unwrap_or_else(|| pseudonym(id))
        };
        let mut node =
            Node::new(format!("person:{id}"), NodeKind::Person, label).with_flags(NodeFlags {
                agent,
                watchlisted,
                pseudonymised: hide,
                victim: protected,
            });
        if !hide {
            if let Some(d) = &detail.person.origin_district {
                node = node.with_attribute("district", d.clone());
            }
            if let Some(n) = &detail.person.nationality_claimed {
                node = node.with_attribute("nationality", n.clone());
            }
        }
        Ok(Some(Sight { node }))
    }

    /// The visible neighbourhood of one node (not audited: the callers audit).
    async fn expand(
        &self,
        actor: &Actor,
        scope: &Scope,
        key: &str,
        cache: &mut HashMap<PersonId, Option<Sight>>,
    ) -> Result<Option<(Network, usize)>, CoreError> {
        let (kind, reference) = split_key(key)?;
        let mut net = Network::new();
        let mut hidden = 0usize;
        let add = |net: &mut Network, n: Node| net.add_node(n).map_err(graph_error);
        match kind {
            NodeKind::Person => {
                let id: PersonId = reference.parse().map_err(|_| bad_key(key))?;
                let Some(me) = self.person_sight(actor, scope, id, cache).await? else {
                    return Ok(None);
                };
                let me_key = me.node.key.clone();
                let hidden_details = me.node_hidden_details();
                add(&mut net, me.node)?;
                if !hidden_details {
                    for h in self.store.held_identifiers(&[id]).await? {
                        if let Some(n) = identifier_node(&h) {
                            let to = n.key.clone();
                            add(&mut net, n)?;
                            net.add_edge(
                                Edge::new(me_key.clone(), to, EdgeKind::UsesIdentifier)
                                    .with_label(h.kind.as_str()),
                            )
                            .map_err(graph_error)?;
                        }
                    }
                }
                if let Some(detail) = self.store.person_detail(id).await? {
                    for link in &detail.cases {
                        let rel = self
                            .store
                            .case_relation(link.case_id, scope, now_micros())
                            .await?;
                        let ok = rel.is_some_and(|r| {
                            let a = CaseAccess::decide(scope, &r);
                            a.see && a.persons
                        });
                        if !ok {
                            hidden += 1;
                            continue;
                        }
                        let ck = format!("case:{}", link.case_id);
                        add(
                            &mut net,
                            Node::new(ck.clone(), NodeKind::Case, link.case_number.to_string()),
                        )?;
                        let mut e = Edge::new(me_key.clone(), ck, EdgeKind::RoleInCase)
                            .with_label(link.role.role.as_str());
                        if let Some(cr) = link.role.chain_role {
                            e = e.with_attribute("chain_role", cr.as_str());
                        }
                        net.add_edge(e).map_err(graph_error)?;
                    }
                }
                for b in self.store.person_batches(&[id]).await? {
                    if b.unit_id != actor.unit_id {
                        hidden += 1;
                        continue;
                    }
                    let bk = format!("batch:{}", b.batch);
                    add(
                        &mut net,
                        Node::new(
                            bk.clone(),
                            NodeKind::Batch,
                            format!("{} {} {}", b.kind.as_str(), b.post, b.arrival_date),
                        ),
                    )?;
                    net.add_edge(
                        Edge::new(me_key.clone(), bk, EdgeKind::InBatch)
                            .with_evidence(format!("{} {}", b.post, b.arrival_date)),
                    )
                    .map_err(graph_error)?;
                    if b.route.len() >= 2 {
                        let rk = format!("route:{}", b.route.join(">"));
                        add(
                            &mut net,
                            Node::new(rk.clone(), NodeKind::Route, b.route.join(" → ")),
                        )?;
                        net.add_edge(Edge::new(me_key.clone(), rk, EdgeKind::TravelledRoute))
                            .map_err(graph_error)?;
                    }
                }
                for m in self.store.merges_of(id).await? {
                    let other = if m.survivor == id {
                        m.merged
                    } else {
                        m.survivor
                    };
                    match self.person_sight(actor, scope, other, cache).await? {
                        Some(s) => {
                            let ok = s.node.key.clone();
                            add(&mut net, s.node)?;
                            net.add_edge(
                                Edge::new(me_key.clone(), ok, EdgeKind::SamePerson)
                                    .with_evidence(format!("merged by {}", m.merged_by)),
                            )
                            .map_err(graph_error)?;
                        }
                        None => hidden += 1,
                    }
                }
            }
            NodeKind::Case => {
                let id: CaseId = reference.parse().map_err(|_| bad_key(key))?;
                let Some(rel) = self.store.case_relation(id, scope, now_micros()).await? else {
                    return Ok(None);
                };
                let a = CaseAccess::decide(scope, &rel);
                if !(a.see && a.persons) {
                    return Ok(None);
                }
                let Some(detail) = self.store.case_detail(id).await? else {
                    return Ok(None);
                };
                add(
                    &mut net,
                    Node::new(key, NodeKind::Case, detail.summary.number.to_string())
                        .with_attribute("stage", detail.summary.stage.as_str()),
                )?;
                let members = self.store.case_members(&[id]).await?;
                for (_, pid, role) in members.into_iter().take(NEIGHBOURS_LIMIT) {
                    match self.person_sight(actor, scope, pid, cache).await? {
                        Some(s) => {
                            let pk = s.node.key.clone();
                            add(&mut net, s.node)?;
                            let mut e = Edge::new(pk, key, EdgeKind::RoleInCase)
                                .with_label(role.role.as_str());
                            if let Some(cr) = role.chain_role {
                                e = e.with_attribute("chain_role", cr.as_str());
                            }
                            net.add_edge(e).map_err(graph_error)?;
                        }
                        None => hidden += 1,
                    }
                }
            }
            NodeKind::Batch => {
                let id: BatchId = reference.parse().map_err(|_| bad_key(key))?;
                let Some(batch) = self.store.batch(id).await? else {
                    return Ok(None);
                };
                if batch.unit_id != actor.unit_id {
                    return Ok(None);
                }
                add(
                    &mut net,
                    Node::new(
                        key,
                        NodeKind::Batch,
                        format!(
                            "{} {} {}",
                            batch.kind.as_str(),
                            batch.post,
                            batch.arrival_date
                        ),
                    ),
                )?;
                let members = self.store.batch_members(id).await?;
                hidden += members.len().saturating_sub(NEIGHBOURS_LIMIT);
                for pid in members.into_iter().take(NEIGHBOURS_LIMIT) {
                    match self.person_sight(actor, scope, pid, cache).await? {
                        Some(s) => {
                            let pk = s.node.key.clone();
                            add(&mut net, s.node)?;
                            net.add_edge(Edge::new(pk, key, EdgeKind::InBatch))
                                .map_err(graph_error)?;
                        }
                        None => hidden += 1,
                    }
                }
            }
            NodeKind::Route => {
                // A route is reached from the persons who described it; it is not an index.
                add(
                    &mut net,
                    Node::new(key, NodeKind::Route, reference.replace('>', " → ")),
                )?;
            }
            k => {
                let Some(ik) = identifier_kind_of(k) else {
                    return Ok(None);
                };
                let holders = self
                    .store
                    .holders(ik, reference, (NEIGHBOURS_LIMIT + 1) as i64)
                    .await?;
                let mut center: Option<Node> = None;
                let mut persons = Vec::new();
                for pid in holders.iter().take(NEIGHBOURS_LIMIT) {
                    match self.person_sight(actor, scope, *pid, cache).await? {
                        Some(s) => {
                            if center.is_none() && !s.node_hidden_details() {
                                center = self
                                    .store
                                    .held_identifiers(&[*pid])
                                    .await?
                                    .iter()
                                    .find(|h| h.kind == ik && h.lookup == reference)
                                    .and_then(identifier_node);
                            }
                            persons.push(s);
                        }
                        None => hidden += 1,
                    }
                }
                hidden += holders.len().saturating_sub(NEIGHBOURS_LIMIT);
                // An identifier nobody visible holds (or only protected persons) is not shown.
                let Some(center) = center else {
                    return Ok(None);
                };
                add(&mut net, center)?;
                for s in persons {
                    let pk = s.node.key.clone();
                    add(&mut net, s.node)?;
                    net.add_edge(
                        Edge::new(pk, key, EdgeKind::UsesIdentifier).with_label(ik.as_str()),
                    )
                    .map_err(graph_error)?;
                }
            }
        }
        Ok(Some((net, hidden)))
    }

    /// Whether the actor may open the network view at all (a refusal is audited).
    pub async fn open_network(&self, actor: &Actor) -> Result<(), CoreError> {
        self.authorize(actor, Action::ViewNetwork, "network.open", "node", None)
            .await
            .map(|_| ())
    }

    /// A node's visible neighbourhood, for the graph view to expand on demand. `NotFound`
    /// (audited as denied) when the node itself is not visible.
    pub async fn network_neighbours(
        &self,
        actor: &Actor,
        key: &str,
    ) -> Result<NetworkSlice, CoreError> {
        let scope = self
            .authorize(actor, Action::ViewNetwork, "network.view", "node", None)
            .await?;
        let mut cache = HashMap::new();
        let Some((net, hidden)) = self.expand(actor, &scope, key, &mut cache).await? else {
            return Err(self
                .deny(
                    actor,
                    "network.view",
                    "node",
                    Some(audit_key(key)),
                    CoreError::NotFound,
                )
                .await);
        };
        let mut hidden_map = BTreeMap::new();
        hidden_map.insert(key.to_string(), hidden);
        let slice = slice_of(&net, key, &hidden_map);
        self.store
            .append_audit(
                AuditDraft::new(
                    &Principal::User(actor.clone()),
                    "network.view",
                    "node",
                    Some(audit_key(key)),
                )
                .detail(json!({"nodes": slice.nodes.len(), "withheld": hidden})),
            )
            .await?;
        Ok(slice)
    }

    /// Explore outwards from some nodes, breadth first, within the policy and the bounds.
    async fn explore(
        &self,
        actor: &Actor,
        scope: &Scope,
        starts: &[String],
        hops: usize,
        stop_at: Option<&str>,
    ) -> Result<(Network, BTreeMap<String, usize>), CoreError> {
        let mut cache = HashMap::new();
        let mut net = Network::new();
        let mut hidden = BTreeMap::new();
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut frontier: Vec<String> = starts.to_vec();
        for _ in 0..=hops {
            let mut next = Vec::new();
            for key in frontier {
                if !seen.insert(key.clone()) || net.len() >= MAX_NODES {
                    continue;
                }
                let Some((part, h)) = self.expand(actor, scope, &key, &mut cache).await? else {
                    continue;
                };
                hidden.insert(key.clone(), h);
                for n in part.nodes() {
                    if !seen.contains(&n.key) {
                        next.push(n.key.clone());
                    }
                }
                net.extend(&part).map_err(graph_error)?;
            }
            if stop_at.is_some_and(|t| net.contains(t)) && starts.iter().all(|s| net.contains(s)) {
                if let (Some(a), Some(b)) = (starts.first(), stop_at) {
                    if net.shortest_path(a, b).is_some() {
                        break;
                    }
                }
            }
            next.sort();
            next.dedup();
            frontier = next;
        }
        Ok((net, hidden))
    }

    /// The shortest chain between two visible nodes through what the reader may see.
    pub async fn network_path(
        &self,
        actor: &Actor,
        from: &str,
        to: &str,
    ) -> Result<NetworkSlice, CoreError> {
        let scope = self
            .authorize(actor, Action::ViewNetwork, "network.path", "node", None)
            .await?;
        split_key(from)?;
        split_key(to)?;
        let (net, hidden) = self
            .explore(
                actor,
                &scope,
                &[from.to_string(), to.to_string()],
                MAX_HOPS / 2,
                Some(to),
            )
            .await?;
        if !net.contains(from) || !net.contains(to) {
            return Err(self
                .deny(
                    actor,
                    "network.path",
                    "node",
                    Some(audit_key(from)),
                    CoreError::NotFound,
                )
                .await);
        }
        let path = net.shortest_path(from, to);
        let mut slice = match &path {
            Some(p) => {
                let sub = net.subgraph(p.nodes.iter().map(String::as_str));
                slice_of(&sub, from, &hidden)
            }
            None => slice_of(&net.subgraph([from, to]), from, &hidden),
        };
        slice.path = path.map(|p| p.nodes).unwrap_or_default();
        self.store
            .append_audit(
                AuditDraft::new(
                    &Principal::User(actor.clone()),
                    "network.path",
                    "node",
                    Some(audit_key(from)),
                )
                .detail(json!({"to": audit_key(to), "length": slice.path.len()})),
            )
            .await?;
        Ok(slice)
    }

    /// The visible network within `hops` of a node, with degree and betweenness centrality and
    /// communities, for the analysis view and exports.
    pub async fn network_around(
        &self,
        actor: &Actor,
        key: &str,
        hops: usize,
    ) -> Result<Network, CoreError> {
        let scope = self
            .authorize(actor, Action::ViewNetwork, "network.export", "node", None)
            .await?;
        split_key(key)?;
        let (net, _) = self
            .explore(actor, &scope, &[key.to_string()], hops.min(MAX_HOPS), None)
            .await?;
        if !net.contains(key) {
            return Err(self
                .deny(
                    actor,
                    "network.export",
                    "node",
                    Some(audit_key(key)),
                    CoreError::NotFound,
                )
                .await);
        }
        self.store
            .append_audit(
                AuditDraft::new(
                    &Principal::User(actor.clone()),
                    "network.export",
                    "node",
                    Some(audit_key(key)),
                )
                .detail(json!({"hops": hops, "nodes": net.len(), "edges": net.edge_count()})),
            )
            .await?;
        Ok(net)
    }
}

impl Nigehban {
    /// The visible network within `hops` of a node as a file: bytes, file name, media type.
    /// Protected persons stay pseudonymised and identifiers masked in every format, so an export
    /// carries no more than the screen showed.
    pub async fn export_network(
        &self,
        actor: &Actor,
        key: &str,
        hops: usize,
        format: NetworkFormat,
    ) -> Result<(Vec<u8>, String, &'static str), CoreError> {
        let net = self.network_around(actor, key, hops).await?;
        let analysis = net.analyse(ANALYSIS_SEED);
        let mut out = Vec::new();
        let io = |e: std::io::Error| CoreError::Store(StoreError::Database(e.to_string()));
        let stem = format!("network-{}", Utc::now().format("%Y%m%d-%H%M"));
        let (name, mime) = match format {
            NetworkFormat::FtmJson => {
                nigehban_network::write_ftm_json(&net, &mut out).map_err(io)?;
                (format!("{stem}.ftm.json"), "application/json")
            }
            NetworkFormat::GraphMl => {
                nigehban_network::write_graphml(&net, Some(&analysis), &mut out).map_err(io)?;
                (format!("{stem}.graphml"), "application/graphml+xml")
            }
            NetworkFormat::NodesCsv => {
                out.extend_from_slice("\u{feff}".as_bytes());
                nigehban_network::write_nodes_csv(&net, Some(&analysis), &mut out).map_err(io)?;
                (format!("{stem}-nodes.csv"), "text/csv; charset=utf-8")
            }
            NetworkFormat::EdgesCsv => {
                out.extend_from_slice("\u{feff}".as_bytes());
                nigehban_network::write_edges_csv(&net, &mut out).map_err(io)?;
                (format!("{stem}-edges.csv"), "text/csv; charset=utf-8")
            }
        };
        Ok((out, name, mime))
    }
}

/// Communities are found with a fixed seed, so the same network gives the same groups.
pub const ANALYSIS_SEED: u64 = 7;

impl Sight {
    /// A pseudonymised person's identifiers are not shown (they would identify them).
    fn node_hidden_details(&self) -> bool {
        self.node.flags.pseudonymised
    }
}

/// Node keys in the audit log: a person's or case's id as it is; an identifier's blind index is
/// not written (the log says an identifier was looked at, not which).
fn audit_key(key: &str) -> String {
    match split_key(key) {
        Ok((k, r)) if matches!(k, NodeKind::Person | NodeKind::Case | NodeKind::Batch) => {
            format!("{}:{r}", k.as_str())
        }
        Ok((k, _)) => k.as_str().to_string(),
        Err(_) => "invalid".into(),
    }
}

fn bad_key(key: &str) -> CoreError {
    ValidationErrors::single("node", Problem::UnknownCode { value: key.into() }).into()
}

fn graph_error(e: nigehban_network::NetworkError) -> CoreError {
    CoreError::Store(StoreError::Corrupt(format!("network: {e}")))
}
