//! What record linkage, the agent register and the network view need from storage: likely
//! duplicates and their review, merges that can be undone, alerts when a person shares something
//! with a known agent, and the lookups a graph is built from. Like [`crate::store::Store`], every
//! change takes its audit draft and is written in one transaction.

use crate::audit::AuditDraft;
use crate::store::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use nigehban_domain::case::CaseNumber;
use nigehban_domain::code_enum;
use nigehban_domain::identifiers::{Identifier, IdentifierKind};
use nigehban_domain::ids::{BatchId, CaseId, PersonId, UserId};
use nigehban_domain::intake::{BatchKind, WatchList};
use nigehban_domain::person::{CaseRole, Sex};
use serde::{Deserialize, Serialize};

code_enum! {
    /// Where a likely duplicate stands in the analysts' review.
    pub enum DuplicateStatus {
        Pending = "pending",
        /// Confirmed the same person: the two records are merged (undoable).
        Confirmed = "confirmed",
        /// Confirmed different persons: the pair is not offered again.
        Rejected = "rejected",
    }
}

/// How one field of a pair compared, as the linkage engine explains a score: the level reached
/// (e.g. `exact`, `phonetic`, `day_month_swapped`, `disagree`) and its weight in bits (positive
/// for evidence of the same person, negative against). Never the values compared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldAgreement {
    pub field: String,
    pub level: String,
    pub weight: f64,
}

/// A likely duplicate found by linkage, to store for review. `a` and `b` are in the order of
/// their ids (the store keeps one row per pair).
#[derive(Debug, Clone)]
pub struct NewDuplicate {
    pub id: String,
    pub a: PersonId,
    pub b: PersonId,
    pub agency: String,
    pub probability: f64,
    pub match_weight: f64,
    pub explanation: Vec<FieldAgreement>,
    /// `arrival` (found as a person was recorded) or `sweep` (a run over the agency's records).
    pub source: String,
    pub found_at: DateTime<Utc>,
}

/// A confirmed duplicate joined into another record; `undone_at` once the merge was undone.
#[derive(Debug, Clone, Serialize)]
pub struct MergeRecord {
    pub id: String,
    pub candidate_id: Option<String>,
    pub survivor: PersonId,
    pub merged: PersonId,
    pub merged_by: String,
    pub merged_at: DateTime<Utc>,
    pub undone_by: Option<String>,
    pub undone_at: Option<DateTime<Utc>>,
}

/// A likely duplicate as stored, with its merge when confirmed.
#[derive(Debug, Clone, Serialize)]
pub struct DuplicateRecord {
    pub id: String,
    pub a: PersonId,
    pub b: PersonId,
    pub agency: String,
    pub probability: f64,
    pub match_weight: f64,
    pub explanation: Vec<FieldAgreement>,
    pub source: String,
    pub status: DuplicateStatus,
    pub found_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The active merge made when the pair was confirmed.
    pub merge: Option<MergeRecord>,
}

/// What the linkage engine compares of a stored person (sealed fields opened).
#[derive(Debug, Clone)]
pub struct LinkagePerson {
    pub id: PersonId,
    pub agency: String,
    pub name_roman: Option<String>,
    pub name_urdu: Option<String>,
    pub parentage_roman: Option<String>,
    pub parentage_urdu: Option<String>,
    pub sex: Sex,
    pub dob: Option<NaiveDate>,
    pub origin_district: Option<String>,
    pub identifiers: Vec<Identifier>,
    /// Merged into another record (not offered as a duplicate again).
    pub merged_into: Option<PersonId>,
    /// Holds a protected role (victim, witness, informant) in some case.
    pub protected: bool,
    pub created_at: DateTime<Utc>,
}

/// A case a known agent is recorded in.
#[derive(Debug, Clone, Serialize)]
pub struct AgentCase {
    pub case_id: CaseId,
    pub case_number: CaseNumber,
    pub role: CaseRole,
    pub district: Option<String>,
}

/// An entry of the agent register: a person recorded as a suspect or accused in a case of the
/// agency, or on a watch list, with what is known of their place in the chain.
#[derive(Debug, Clone, Serialize)]
pub struct AgentRecord {
    pub person_id: PersonId,
    pub name_roman: Option<String>,
    pub name_urdu: Option<String>,
    pub parentage_roman: Option<String>,
    pub origin_district: Option<String>,
    pub cases: Vec<AgentCase>,
    /// Active watch-list entries: list, edition, since.
    pub watchlist: Vec<(WatchList, String, DateTime<Utc>)>,
    /// Names of other records merged into this one (aliases).
    pub aliases: Vec<String>,
    /// Also holds a protected role somewhere (then shown by pseudonym only).
    pub protected: bool,
    pub created_at: DateTime<Utc>,
}

/// A person found sharing something with a known agent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgentLinkHit {
    pub person: PersonId,
    pub agent: PersonId,
    /// An identifier kind (`phone`, `cnic`, ...) or `case`.
    pub via: String,
    /// The identifier's blind index, or the case id.
    pub via_ref: String,
}

/// An agent-link alert as stored.
#[derive(Debug, Clone, Serialize)]
pub struct AgentLinkRecord {
    pub id: String,
    pub person: PersonId,
    pub agent: PersonId,
    pub agency: String,
    pub via: String,
    pub via_ref: String,
    pub raised_at: DateTime<Utc>,
    pub ack_by: Option<String>,
    pub ack_at: Option<DateTime<Utc>>,
}

/// An identifier of a person, with its blind index (the key of its node in a graph).
#[derive(Debug, Clone)]
pub struct HeldIdentifier {
    pub person: PersonId,
    pub kind: IdentifierKind,
    pub lookup: String,
    pub value: String,
}

/// A batch a person was received in.
#[derive(Debug, Clone)]
pub struct PersonBatch {
    pub person: PersonId,
    pub batch: BatchId,
    pub unit_id: nigehban_domain::ids::UnitId,
    pub kind: BatchKind,
    pub post: String,
    pub arrival_date: NaiveDate,
    /// The route the person described in the interview: origin district, exit point, transit
    /// countries, destination (codes, as recorded).
    pub route: Vec<String>,
}

#[async_trait]
pub trait LinkageStore: Send + Sync {
    // Likely duplicates.
    /// Store likely duplicates; a pair already stored (in any status) is left as it is. Returns
    /// how many were new; the audit entry is written when any was (nothing is written otherwise).
    async fn insert_duplicates(
        &self,
        found: &[NewDuplicate],
        audit: AuditDraft,
    ) -> StoreResult<u64>;
    /// The agency's likely duplicates in one status (all when `None`), most probable first.
    async fn duplicates(
        &self,
        agency: &str,
        status: Option<DuplicateStatus>,
        limit: i64,
    ) -> StoreResult<Vec<DuplicateRecord>>;
    async fn duplicate(&self, id: &str) -> StoreResult<Option<DuplicateRecord>>;
    /// Confirm a pending pair and merge `merge.merged` into `merge.survivor`; `false` when the pair
    /// was no longer pending.
    async fn confirm_duplicate(
        &self,
        id: &str,
        merge: &MergeRecord,
        by: UserId,
        audit: AuditDraft,
    ) -> StoreResult<bool>;
    /// Reject a pending pair; `false` when it was no longer pending.
    async fn reject_duplicate(
        &self,
        id: &str,
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<bool>;
    /// Undo an active merge: the merged record stands alone again and its pair is pending review
    /// again. `false` when the merge was already undone.
    async fn undo_merge(
        &self,
        merge_id: &str,
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<bool>;
    /// Active merges in which the person is the survivor or the merged record.
    async fn merges_of(&self, person: PersonId) -> StoreResult<Vec<MergeRecord>>;
    /// Persons of an agency for linkage, in id order after `after`, at most `limit`.
    async fn linkage_persons(
        &self,
        agency: &str,
        after: Option<PersonId>,
        limit: i64,
    ) -> StoreResult<Vec<LinkagePerson>>;
    /// The same for given persons (any agency).
    async fn linkage_persons_by_id(&self, ids: &[PersonId]) -> StoreResult<Vec<LinkagePerson>>;

    // The agent register.
    /// Suspects and accused in the agency's cases, and persons on a watch list.
    async fn agents(&self, agency: &str, limit: i64) -> StoreResult<Vec<AgentRecord>>;
    /// Persons (other than known agents' own merged records) sharing an identifier or a case with
    /// a known agent of the agency. With `touching`, only the links in which one of those persons
    /// is the lead or the agent: after a write, the persons just written are all that can have
    /// made a new link, and looking at them alone keeps the scan as cheap as the write.
    async fn agent_link_hits(
        &self,
        agency: &str,
        touching: Option<&[PersonId]>,
    ) -> StoreResult<Vec<AgentLinkHit>>;
    /// Store new agent-link alerts; those raised before are left. Returns how many were new; the
    /// audit entry is written when any was (nothing is written otherwise).
    async fn insert_agent_links(
        &self,
        agency: &str,
        hits: &[AgentLinkHit],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<u64>;
    /// The agency's agent-link alerts, newest first.
    async fn agent_links(&self, agency: &str, limit: i64) -> StoreResult<Vec<AgentLinkRecord>>;
    async fn agent_link(&self, id: &str) -> StoreResult<Option<AgentLinkRecord>>;
    async fn ack_agent_link(
        &self,
        id: &str,
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<Option<AgentLinkRecord>>;

    // The network.
    /// The identifiers of these persons with their blind indexes (values opened).
    async fn held_identifiers(&self, persons: &[PersonId]) -> StoreResult<Vec<HeldIdentifier>>;
    /// Persons holding an identifier, by its blind index.
    async fn holders(
        &self,
        kind: IdentifierKind,
        lookup: &str,
        limit: i64,
    ) -> StoreResult<Vec<PersonId>>;
    /// Persons linked to these cases, with their roles.
    async fn case_members(
        &self,
        cases: &[CaseId],
    ) -> StoreResult<Vec<(CaseId, PersonId, CaseRole)>>;
    /// Batches these persons were received in, with the route each described.
    async fn person_batches(&self, persons: &[PersonId]) -> StoreResult<Vec<PersonBatch>>;
    /// Persons received in a batch.
    async fn batch_members(&self, batch: BatchId) -> StoreResult<Vec<PersonId>>;
}
