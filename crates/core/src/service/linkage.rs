//! Likely duplicates (found as persons arrive and by sweeps over an agency's records), their
//! review with merges that can be undone, and the agent register with its alerts.

use super::cases::now_micros;
use super::*;
use crate::linkage_store::*;
use crate::linking;
use crate::policy::CaseAccess;
use nigehban_domain::identifiers::IdentifierKind;
use nigehban_domain::person::{pseudonym, Sex};
use serde::Serialize;
use std::collections::HashMap;

/// Likely duplicates shown per page of the queue.
pub const QUEUE_LIMIT: i64 = 200;
/// Agents listed in the register.
pub const AGENTS_LIMIT: i64 = 500;
/// Alerts listed with the register.
pub const ALERTS_LIMIT: i64 = 200;
/// Persons read from the store per round trip in a sweep.
const SWEEP_PAGE: i64 = 5000;

/// One side of a likely duplicate, as the reviewer may see it.
#[derive(Debug, Clone, Serialize)]
pub struct PartyView {
    pub id: PersonId,
    /// The name in Roman letters (or Urdu when only that was written), or the pseudonym.
    pub label: String,
    pub name_urdu: Option<String>,
    pub parentage: Option<String>,
    pub sex: Sex,
    pub birth_year: Option<i32>,
    pub district: Option<String>,
    pub pseudonymised: bool,
    pub merged_into: Option<PersonId>,
}

/// A likely duplicate with both persons.
#[derive(Debug, Clone, Serialize)]
pub struct DuplicateView {
    pub record: DuplicateRecord,
    pub a: PartyView,
    pub b: PartyView,
}

/// What a sweep over an agency's persons found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SweepReport {
    pub persons: usize,
    pub comparisons: u64,
    pub pairs: usize,
    pub new_in_queue: u64,
}

/// An agent of the register as the reader may see them.
#[derive(Debug, Clone, Serialize)]
pub struct AgentView {
    pub record: AgentRecord,
    pub label: String,
    pub pseudonymised: bool,
    /// Chain roles across the agent's cases, each once.
    pub chain_roles: Vec<String>,
    /// Districts of the agent's cases and origin, each once: the areas they serve.
    pub areas: Vec<String>,
}

/// An alert: a person shares something with a known agent.
#[derive(Debug, Clone, Serialize)]
pub struct AgentLinkView {
    pub record: AgentLinkRecord,
    pub person_label: String,
    pub agent_label: String,
    /// The chain of evidence, one step a line: who holds what, and where it was recorded.
    pub evidence: Vec<String>,
}

/// The agent register: agents and the alerts of new names linked to them.
#[derive(Debug, Clone, Serialize)]
pub struct AgentRegister {
    pub agents: Vec<AgentView>,
    pub alerts: Vec<AgentLinkView>,
}

fn party(p: &LinkagePerson, revealed: bool) -> PartyView {
    let hide = p.protected && !revealed;
    let name = p.name_roman.clone().or_else(|| p.name_urdu.clone());
    PartyView {
        id: p.id,
        label: if hide {
            pseudonym(p.id)
        } else {
            name.unwrap_or_else(|| pseudonym(p.id))
        },
        name_urdu: if hide { None } else { p.name_urdu.clone() },
        parentage: if hide {
            None
        } else {
            p.parentage_roman
                .clone()
                .or_else(|| p.parentage_urdu.clone())
        },
        sex: p.sex,
        birth_year: p.dob.map(|d| d.year()),
        district: p.origin_district.clone(),
        pseudonymised: hide,
        merged_into: p.merged_into,
    }
}

fn agent_label(a: &AgentRecord) -> (String, bool) {
    if a.protected {
        (pseudonym(a.person_id), true)
    } else {
        (
            a.name_roman
                .clone()
                .or_else(|| a.name_urdu.clone())
                .unwrap_or_else(|| pseudonym(a.person_id)),
            false,
        )
    }
}

impl Nigehban {
    /// Link newly recorded persons to the persons on record: candidates share a name match key
    /// or an identifier, are scored by the linkage engine, and pairs above the review threshold
    /// go to the agency's queue. Then the agent-link alerts are refreshed. Run after the persons
    /// are committed; the caller's operation stands whatever happens here.
    pub(crate) async fn link_arrivals(&self, principal: &Principal, persons: &[PersonId]) {
        if persons.is_empty() {
            return;
        }
        if let Err(e) = self.link_arrivals_inner(principal, persons).await {
            tracing::warn!(error = %e, "linking new persons to those on record failed");
        }
    }

    async fn link_arrivals_inner(
        &self,
        principal: &Principal,
        persons: &[PersonId],
    ) -> Result<(), CoreError> {
        let names = self.names()?;
        let arrivals = self.store.linkage_persons_by_id(persons).await?;
        let mut agencies: Vec<String> = arrivals.iter().map(|p| p.agency.clone()).collect();
        agencies.sort();
        agencies.dedup();
        // Candidates of all arrivals in three queries: by name match key, by identifier, then
        // the candidates' fields.
        let keys_of: Vec<Vec<String>> = arrivals
            .iter()
            .map(|p| {
                crate::screening::match_keys_of(
                    names,
                    [p.name_roman.as_deref(), p.name_urdu.as_deref()],
                    [p.parentage_roman.as_deref(), p.parentage_urdu.as_deref()],
                    p.dob.map(|d| d.year()),
                )
            })
            .collect();
        let mut all_keys: Vec<String> = keys_of.iter().flatten().cloned().collect();
        all_keys.sort();
        all_keys.dedup();
        let mut by_key: HashMap<String, Vec<PersonId>> = HashMap::new();
        for (k, id) in self
            .store
            .persons_by_match_keys(&all_keys, crate::screening::PER_KEY_LIMIT)
            .await?
        {
            by_key.entry(k).or_default().push(id);
        }
        let all_ids: Vec<nigehban_domain::identifiers::Identifier> = arrivals
            .iter()
            .flat_map(|p| p.identifiers.clone())
            .collect();
        let mut by_identifier: HashMap<(IdentifierKind, String), Vec<PersonId>> = HashMap::new();
        for (i, id) in self.store.persons_by_identifiers(&all_ids).await? {
            by_identifier.entry((i.kind, i.value)).or_default().push(id);
        }
        let candidate_ids_of: Vec<Vec<PersonId>> = arrivals
            .iter()
            .zip(&keys_of)
            .map(|(p, keys)| {
                let mut ids: Vec<PersonId> = keys
                    .iter()
                    .flat_map(|k| by_key.get(k).into_iter().flatten().copied())
                    .chain(p.identifiers.iter().flat_map(|i| {
                        by_identifier
                            .get(&(i.kind, i.value.clone()))
                            .into_iter()
                            .flatten()
                            .copied()
                    }))
                    .filter(|id| *id != p.id)
                    .collect();
                ids.sort();
                ids.dedup();
                ids
            })
            .collect();
        let mut wanted: Vec<PersonId> = candidate_ids_of.iter().flatten().copied().collect();
        wanted.sort();
        wanted.dedup();
        let candidates: HashMap<PersonId, LinkagePerson> = self
            .store
            .linkage_persons_by_id(&wanted)
            .await?
            .into_iter()
            .map(|c| (c.id, c))
            .collect();
        let mut found = Vec::new();
        for (p, ids) in arrivals.iter().zip(&candidate_ids_of) {
            for c in ids.iter().filter_map(|id| candidates.get(id)) {
                // Duplicates are reviewed within an agency: another agency's record is its own.
                if c.agency != p.agency || c.merged_into.is_some() {
                    continue;
                }
                let scored = linking::score(names, p, c);
                if scored.probability >= linking::REVIEW_THRESHOLD {
                    found.push(NewDuplicate {
                        id: uuid::Uuid::now_v7().to_string(),
                        a: p.id,
                        b: c.id,
                        agency: p.agency.clone(),
                        probability: scored.probability,
                        match_weight: scored.match_weight,
                        explanation: scored.explanation,
                        source: "arrival".into(),
                        found_at: Utc::now(),
                    });
                }
            }
        }
        if !found.is_empty() {
            let draft = AuditDraft::new(principal, "duplicate.found", "person", None)
                .detail(json!({"pairs": found.len(), "source": "arrival"}));
            self.store.insert_duplicates(&found, draft).await?;
        }
        for agency in agencies {
            self.scan_agent_links(principal, &agency, Some(persons))
                .await?;
        }
        Ok(())
    }

    /// Run the linkage engine over all of the actor's agency's persons (trained on them without
    /// labels) and queue the likely duplicates for review.
    pub async fn sweep_duplicates(
        &self,
        actor: &Actor,
        progress: &(dyn Fn(&str, usize) + Send + Sync),
    ) -> Result<SweepReport, CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::ReviewDuplicates,
                "duplicate.sweep",
                "person",
                None,
            )
            .await?;
        let mut persons = Vec::new();
        let mut after = None;
        loop {
            let page = self
                .store
                .linkage_persons(&scope.agency, after, SWEEP_PAGE)
                .await?;
            let Some(last) = page.last() else { break };
            after = Some(last.id);
            persons.extend(page.into_iter().filter(|p| p.merged_into.is_none()));
            progress("read", persons.len());
        }
        let names = self.names()?;
        let run = linking::sweep(names, &persons, progress)
            .map_err(|e| CoreError::Invalid(ValidationErrors::single("linkage", e)))?;
        let now = Utc::now();
        let found: Vec<NewDuplicate> = run
            .pairs
            .into_iter()
            .filter_map(|(i, j, s)| {
                let a = persons.get(i)?;
                let b = persons.get(j)?;
                Some(NewDuplicate {
                    id: uuid::Uuid::now_v7().to_string(),
                    a: a.id,
                    b: b.id,
                    agency: scope.agency.clone(),
                    probability: s.probability,
                    match_weight: s.match_weight,
                    explanation: s.explanation,
                    source: "sweep".into(),
                    found_at: now,
                })
            })
            .collect();
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            "duplicate.sweep",
            "person",
            None,
        )
        .detail(json!({"persons": persons.len(), "pairs": found.len()}));
        // The sweep is audited whether or not it found anything new.
        let added = self.store.insert_duplicates(&found, draft.clone()).await?;
        if added == 0 {
            self.store.append_audit(draft).await?;
        }
        Ok(SweepReport {
            persons: persons.len(),
            comparisons: run.comparisons,
            pairs: found.len(),
            new_in_queue: added,
        })
    }

    async fn duplicate_views(
        &self,
        actor: &Actor,
        records: Vec<DuplicateRecord>,
    ) -> Result<Vec<DuplicateView>, CoreError> {
        let mut ids: Vec<PersonId> = records.iter().flat_map(|r| [r.a, r.b]).collect();
        ids.sort();
        ids.dedup();
        let persons: HashMap<PersonId, LinkagePerson> = self
            .store
            .linkage_persons_by_id(&ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let mut out = Vec::with_capacity(records.len());
        for r in records {
            let (Some(a), Some(b)) = (persons.get(&r.a), persons.get(&r.b)) else {
                continue;
            };
            let mut sides = Vec::with_capacity(2);
            for p in [a, b] {
                let revealed = p.protected
                    && self
                        .store
                        .has_active_reveal(p.id, actor.user_id, now_micros())
                        .await?;
                sides.push(party(p, revealed));
            }
            let mut sides = sides.into_iter();
            if let (Some(a), Some(b)) = (sides.next(), sides.next()) {
                out.push(DuplicateView { record: r, a, b });
            }
        }
        Ok(out)
    }

    /// The agency's likely duplicates in one status, most probable first. Protected persons
    /// appear by pseudonym; the explanation says which fields agreed and by how much.
    pub async fn duplicate_queue(
        &self,
        actor: &Actor,
        status: Option<DuplicateStatus>,
    ) -> Result<Vec<DuplicateView>, CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::ReviewDuplicates,
                "duplicate.queue",
                "person",
                None,
            )
            .await?;
        let records = self
            .store
            .duplicates(&scope.agency, status, QUEUE_LIMIT)
            .await?;
        let views = self.duplicate_views(actor, records).await?;
        self.store
            .append_audit(
                AuditDraft::new(
                    &Principal::User(actor.clone()),
                    "duplicate.queue",
                    "person",
                    None,
                )
                .detail(json!({"status": status.map(|s| s.as_str()), "shown": views.len()})),
            )
            .await?;
        Ok(views)
    }

    /// One likely duplicate of the actor's agency (`NotFound`, audited, for any other).
    pub async fn duplicate(&self, actor: &Actor, id: &str) -> Result<DuplicateView, CoreError> {
        let record = self.reviewable(actor, id, "duplicate.view").await?;
        let view = self
            .duplicate_views(actor, vec![record])
            .await?
            .pop()
            .ok_or(CoreError::NotFound)?;
        self.store
            .append_audit(AuditDraft::new(
                &Principal::User(actor.clone()),
                "duplicate.view",
                "duplicate",
                Some(id.to_string()),
            ))
            .await?;
        Ok(view)
    }

    /// A likely duplicate the actor may review: the role allows it and the pair is of the
    /// actor's agency (any other is `NotFound`; both refusals are audited under `action`).
    async fn reviewable(
        &self,
        actor: &Actor,
        id: &str,
        action: &str,
    ) -> Result<DuplicateRecord, CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::ReviewDuplicates,
                action,
                "duplicate",
                Some(id.to_string()),
            )
            .await?;
        match self.store.duplicate(id).await? {
            Some(r) if r.agency == scope.agency => Ok(r),
            _ => Err(self
                .deny(
                    actor,
                    action,
                    "duplicate",
                    Some(id.to_string()),
                    CoreError::NotFound,
                )
                .await),
        }
    }

    /// Confirm a likely duplicate: `survivor` (one of the pair) keeps its record, the other is
    /// merged into it and its names stay as aliases. Undo with [`Nigehban::undo_merge`].
    pub async fn confirm_duplicate(
        &self,
        actor: &Actor,
        id: &str,
        survivor: &str,
    ) -> Result<MergeRecord, CoreError> {
        let record = self.reviewable(actor, id, "duplicate.confirm").await?;
        // The survivor must be one of the pair.
        let not_of_pair = || {
            ValidationErrors::single(
                "survivor",
                Problem::UnknownCode {
                    value: survivor.to_string(),
                },
            )
        };
        let survivor: PersonId = survivor.parse().map_err(|_| not_of_pair())?;
        let merged = if survivor == record.a {
            record.b
        } else if survivor == record.b {
            record.a
        } else {
            return Err(not_of_pair().into());
        };
        if record.status != DuplicateStatus::Pending {
            return Err(CoreError::Conflict("duplicate-decided".into()));
        }
        let merge = MergeRecord {
            id: uuid::Uuid::now_v7().to_string(),
            candidate_id: Some(record.id.clone()),
            survivor,
            merged,
            merged_by: actor.username.clone(),
            merged_at: Utc::now(),
            undone_by: None,
            undone_at: None,
        };
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            "duplicate.confirm",
            "person",
            Some(survivor.to_string()),
        )
        .detail(json!({"duplicate": id, "merged": merged.to_string(), "merge": merge.id}));
        if !self
            .store
            .confirm_duplicate(id, &merge, actor.user_id, draft)
            .await?
        {
            return Err(CoreError::Conflict("duplicate-decided".into()));
        }
        Ok(merge)
    }

    /// Record that a likely duplicate is two different persons.
    pub async fn reject_duplicate(&self, actor: &Actor, id: &str) -> Result<(), CoreError> {
        self.reviewable(actor, id, "duplicate.reject").await?;
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            "duplicate.reject",
            "duplicate",
            Some(id.to_string()),
        );
        if !self
            .store
            .reject_duplicate(id, actor.user_id, Utc::now(), draft)
            .await?
        {
            return Err(CoreError::Conflict("duplicate-decided".into()));
        }
        Ok(())
    }

    /// Undo a confirmed merge: the merged record stands alone again and the pair returns to the
    /// queue.
    pub async fn undo_merge(&self, actor: &Actor, duplicate_id: &str) -> Result<(), CoreError> {
        let record = self
            .reviewable(actor, duplicate_id, "duplicate.undo")
            .await?;
        let Some(merge) = record.merge else {
            return Err(CoreError::Conflict("merge-not-active".into()));
        };
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            "duplicate.undo",
            "person",
            Some(merge.survivor.to_string()),
        )
        .detail(json!({"duplicate": duplicate_id, "merged": merge.merged.to_string(), "merge": merge.id}));
        if !self
            .store
            .undo_merge(&merge.id, actor.user_id, Utc::now(), draft)
            .await?
        {
            return Err(CoreError::Conflict("merge-not-active".into()));
        }
        Ok(())
    }

    /// The active merges of a person the actor may see: the records merged into it (its aliases)
    /// or the record it was merged into.
    pub async fn merges_of(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Vec<(MergeRecord, PartyView)>, CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::ViewPersons,
                "person.view",
                "person",
                Some(person.to_string()),
            )
            .await?;
        self.person_access(actor, &scope, person, "person.view")
            .await?;
        let merges = self.store.merges_of(person).await?;
        let others: Vec<PersonId> = merges
            .iter()
            .map(|m| {
                if m.survivor == person {
                    m.merged
                } else {
                    m.survivor
                }
            })
            .collect();
        let persons: HashMap<PersonId, LinkagePerson> = self
            .store
            .linkage_persons_by_id(&others)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        let mut out = Vec::new();
        for m in merges {
            let other = if m.survivor == person {
                m.merged
            } else {
                m.survivor
            };
            if let Some(p) = persons.get(&other) {
                let revealed = p.protected
                    && self
                        .store
                        .has_active_reveal(p.id, actor.user_id, now_micros())
                        .await?;
                out.push((m, party(p, revealed)));
            }
        }
        Ok(out)
    }

    /// Raise alerts for persons sharing an identifier or a case with a known agent of the
    /// agency (each link once). Returns how many were new. After a write, `touching` names the
    /// persons written: only links through them can be new.
    pub async fn scan_agent_links(
        &self,
        principal: &Principal,
        agency: &str,
        touching: Option<&[PersonId]>,
    ) -> Result<u64, CoreError> {
        let hits = self.store.agent_link_hits(agency, touching).await?;
        if hits.is_empty() {
            return Ok(0);
        }
        let draft = AuditDraft::new(principal, "agent.link_scan", "person", None)
            .detail(json!({"agency": agency, "links": hits.len()}));
        Ok(self
            .store
            .insert_agent_links(agency, &hits, Utc::now(), draft)
            .await?)
    }

    /// The agent register of the actor's agency with its alerts (refreshed first).
    pub async fn agent_register(&self, actor: &Actor) -> Result<AgentRegister, CoreError> {
        let scope = self
            .authorize(actor, Action::ViewAgents, "agent.register", "person", None)
            .await?;
        let principal = Principal::User(actor.clone());
        self.scan_agent_links(&principal, &scope.agency, None)
            .await?;
        let records = self.store.agents(&scope.agency, AGENTS_LIMIT).await?;
        let mut agents = Vec::with_capacity(records.len());
        let mut labels: HashMap<PersonId, String> = HashMap::new();
        for a in records {
            let (label, pseudonymised) = agent_label(&a);
            labels.insert(a.person_id, label.clone());
            let mut chain_roles: Vec<String> = a
                .cases
                .iter()
                .filter_map(|c| c.role.chain_role.map(|r| r.as_str().to_string()))
                .collect();
            chain_roles.sort();
            chain_roles.dedup();
            let mut areas: Vec<String> = a
                .cases
                .iter()
                .filter_map(|c| c.district.clone())
                .chain(a.origin_district.clone())
                .collect();
            areas.sort();
            areas.dedup();
            agents.push(AgentView {
                record: a,
                label,
                pseudonymised,
                chain_roles,
                areas,
            });
        }
        let links = self.store.agent_links(&scope.agency, ALERTS_LIMIT).await?;
        let alerts = self.agent_link_views(&scope, &labels, links).await?;
        self.store
            .append_audit(
                AuditDraft::new(&principal, "agent.register", "person", None)
                    .detail(json!({"agents": agents.len(), "alerts": alerts.len()})),
            )
            .await?;
        Ok(AgentRegister { agents, alerts })
    }

    async fn agent_link_views(
        &self,
        scope: &Scope,
        agent_labels: &HashMap<PersonId, String>,
        links: Vec<AgentLinkRecord>,
    ) -> Result<Vec<AgentLinkView>, CoreError> {
        let mut ids: Vec<PersonId> = links.iter().flat_map(|l| [l.person, l.agent]).collect();
        ids.sort();
        ids.dedup();
        let persons: HashMap<PersonId, LinkagePerson> = self
            .store
            .linkage_persons_by_id(&ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        // The agents' identifiers in one query, by (kind, blind index), to show the shared one.
        let mut agent_ids: Vec<PersonId> = links.iter().map(|l| l.agent).collect();
        agent_ids.sort();
        agent_ids.dedup();
        let held: HashMap<(PersonId, String, String), String> = self
            .store
            .held_identifiers(&agent_ids)
            .await?
            .into_iter()
            .map(|h| ((h.person, h.kind.as_str().to_string(), h.lookup), h.value))
            .collect();
        // Case numbers only of cases the reader may see, each case looked up once.
        let mut case_numbers: HashMap<String, Option<String>> = HashMap::new();
        for l in links.iter().filter(|l| l.via == "case") {
            if case_numbers.contains_key(&l.via_ref) {
                continue;
            }
            let mut number = None;
            if let Ok(cid) = l.via_ref.parse::<CaseId>() {
                let seen = self
                    .store
                    .case_relation(cid, scope, now_micros())
                    .await?
                    .is_some_and(|r| CaseAccess::decide(scope, &r).see);
                if seen {
                    number = self
                        .store
                        .case_detail(cid)
                        .await?
                        .map(|d| d.summary.number.to_string());
                }
            }
            case_numbers.insert(l.via_ref.clone(), number);
        }
        let label = |id: PersonId| -> String {
            agent_labels.get(&id).cloned().unwrap_or_else(|| {
                persons
                    .get(&id)
                    .map(|p| party(p, false).label)
                    .unwrap_or_else(|| pseudonym(id))
            })
        };
        let recorded = |id: PersonId| {
            persons
                .get(&id)
                .map(|p| p.created_at.format("%Y-%m-%d").to_string())
                .unwrap_or_default()
        };
        let mut out = Vec::with_capacity(links.len());
        for l in links {
            let person_label = label(l.person);
            let agent_label = label(l.agent);
            let shared = if l.via == "case" {
                case_numbers
                    .get(&l.via_ref)
                    .cloned()
                    .flatten()
                    .unwrap_or_else(|| "-".into())
            } else {
                held.get(&(l.agent, l.via.clone(), l.via_ref.clone()))
                    .map(|value| mask(value))
                    .unwrap_or_default()
            };
            let evidence = vec![
                format!(
                    "{person_label} (recorded {}) | {} | {shared}",
                    recorded(l.person),
                    l.via
                ),
                format!(
                    "{agent_label} (recorded {}) | {} | {}",
                    recorded(l.agent),
                    l.via,
                    if l.via == "case" { "suspect" } else { "held" }
                ),
            ];
            out.push(AgentLinkView {
                record: l,
                person_label,
                agent_label,
                evidence,
            });
        }
        Ok(out)
    }

    /// Mark an agent-link alert as seen.
    pub async fn ack_agent_link(&self, actor: &Actor, id: &str) -> Result<(), CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::ViewAgents,
                "agent.link_ack",
                "alert",
                Some(id.to_string()),
            )
            .await?;
        let mine = self
            .store
            .agent_link(id)
            .await?
            .is_some_and(|l| l.agency == scope.agency);
        if !mine {
            return Err(self
                .deny(
                    actor,
                    "agent.link_ack",
                    "alert",
                    Some(id.to_string()),
                    CoreError::NotFound,
                )
                .await);
        }
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            "agent.link_ack",
            "alert",
            Some(id.to_string()),
        );
        self.store
            .ack_agent_link(id, actor.user_id, Utc::now(), draft)
            .await?;
        Ok(())
    }
}

/// An identifier shown with all but its last four characters hidden.
pub fn mask(value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    let keep = chars.len().min(4);
    let hidden = chars.len() - keep;
    let tail: String = chars.iter().skip(hidden).collect();
    format!("{}{}", "•".repeat(hidden.min(8)), tail)
}
