//! What the core needs from storage. One implementation serves SQLite and PostgreSQL
//! (`nigehban-storage`), and one conformance suite checks it on both. Every method that changes
//! data takes the [`AuditDraft`] of the operation and appends it in the same transaction, so a
//! change and its audit entry are stored together or not at all.

use crate::audit::{AuditDraft, AuditEntry};
use crate::error::StoreError;
use crate::policy::{CaseRelation, Scope, ShareParts};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use nigehban_domain::case::{CaseNumber, ValidatedCase};
use nigehban_domain::identifiers::Identifier;
use nigehban_domain::ids::{CaseId, CasePersonId, PersonId, UnitId, UserId};
use nigehban_domain::org::{Unit, UnitDef, UserRole};
use nigehban_domain::person::{CaseRole, ValidatedPerson};
use nigehban_domain::stage::{CaseStage, Verdict};
use serde::Serialize;

pub type StoreResult<T> = Result<T, StoreError>;

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone, Serialize)]
pub struct UserRecord {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: UserRole,
    pub unit_id: UnitId,
    pub unit_code: String,
    pub agency: String,
    #[serde(skip)]
    pub password_hash: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    /// Consecutive failed sign-ins since the last success.
    pub failed_logins: i64,
    pub locked_until: Option<DateTime<Utc>>,
    /// The TOTP secret (base32), opened by the store; `None` until enrolment starts.
    #[serde(skip)]
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
    /// Last TOTP time step accepted (replay guard).
    #[serde(skip)]
    pub totp_last_step: i64,
}

#[derive(Debug, Clone)]
pub struct SessionRecord {
    /// SHA-256 of the cookie token: a stolen database does not yield live sessions.
    pub token_hash: String,
    pub user_id: UserId,
    pub csrf_token: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The second factor was passed (or is not needed).
    pub mfa_done: bool,
}

/// A case to insert; its number is allocated by the store in the insert's transaction.
#[derive(Debug, Clone)]
pub struct NewCase {
    pub id: CaseId,
    pub unit_id: UnitId,
    pub unit_code: String,
    pub agency: String,
    pub year: i32,
    pub case: ValidatedCase,
    pub stage: CaseStage,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseSummary {
    pub id: CaseId,
    pub number: CaseNumber,
    pub title: String,
    pub crime_types: Vec<String>,
    pub stage: CaseStage,
    pub province: String,
    pub district: String,
    pub unit_code: String,
    pub agency: String,
    pub offence_date: NaiveDate,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageEvent {
    pub from: Option<CaseStage>,
    pub to: CaseStage,
    pub occurred_on: NaiveDate,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub by_user: String,
    pub at: DateTime<Utc>,
}

/// A person as linked to a case.
#[derive(Debug, Clone, Serialize)]
pub struct CasePerson {
    pub link_id: CasePersonId,
    pub person_id: PersonId,
    pub name_roman: Option<String>,
    pub name_urdu: Option<String>,
    pub sex: String,
    pub role: CaseRole,
    pub verdict: Option<Verdict>,
    pub added_at: DateTime<Utc>,
    /// Names replaced by a pseudonym (a protected person whose identity was not revealed).
    pub pseudonymised: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseDetail {
    pub summary: CaseSummary,
    pub exploitation_forms: Vec<String>,
    pub provisions: Vec<String>,
    pub narrative: Option<String>,
    pub created_by: String,
    pub persons: Vec<CasePerson>,
    pub history: Vec<StageEvent>,
}

/// A person to insert.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub id: PersonId,
    pub person: ValidatedPerson,
    pub agency: String,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonSummary {
    pub id: PersonId,
    pub name_roman: Option<String>,
    pub name_urdu: Option<String>,
    pub parentage_relation: Option<String>,
    pub parentage_roman: Option<String>,
    pub parentage_urdu: Option<String>,
    pub sex: String,
    pub origin_district: Option<String>,
    pub nationality_claimed: Option<String>,
    /// Holds a protected role (victim, witness, informant) in some case.
    pub protected: bool,
    pub pseudonymised: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonCaseLink {
    pub case_id: CaseId,
    pub case_number: CaseNumber,
    pub agency: String,
    pub role: CaseRole,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonDetail {
    pub id: PersonId,
    pub person: ValidatedPerson,
    pub agency: String,
    pub created_at: DateTime<Utc>,
    pub cases: Vec<PersonCaseLink>,
    /// Identity fields replaced by a pseudonym.
    pub pseudonymised: bool,
}

impl PersonDetail {
    pub fn protected(&self) -> bool {
        self.cases.iter().any(|c| c.role.role.is_protected())
    }
}

/// A free-text search, already folded (see `nigehban_domain::names::fold_for_search`), with the
/// identifiers it might be, within an agency's records.
#[derive(Debug, Clone)]
pub struct SearchQuery {
    pub scope: Scope,
    /// Microseconds since the epoch: shares expiring before it do not count.
    pub now: i64,
    pub folded_text: String,
    pub identifiers: Vec<Identifier>,
    pub case_number: Option<CaseNumber>,
    pub limit: i64,
}

impl SearchQuery {
    /// Too little to search for: under two letters and no identifier or case number.
    pub fn is_empty(&self) -> bool {
        self.folded_text.chars().count() < 2
            && self.identifiers.is_empty()
            && self.case_number.is_none()
    }
}

/// A share of a case with another unit or agency.
#[derive(Debug, Clone, Serialize)]
pub struct ShareRecord {
    pub id: String,
    pub case_id: CaseId,
    pub to_unit_id: Option<UnitId>,
    pub to_unit_code: Option<String>,
    pub to_agency: Option<String>,
    #[serde(skip)]
    pub parts: ShareParts,
    pub reason: String,
    pub expires_at: DateTime<Utc>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub revoked_by: Option<String>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl ShareRecord {
    pub fn active(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at > now
    }
}

/// What a re-sealing pass (key rotation, or sealing old plain rows) touched.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ResealReport {
    pub persons: u64,
    pub identifiers: u64,
    pub other: u64,
}

/// Filters of the auditors' review (all optional; times in microseconds since the epoch).
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_name: Option<String>,
    /// A record id (case, person, user) the entries concern.
    pub entity_id: Option<String>,
    /// An action or the start of one (e.g. `case.` or `identity.reveal`).
    pub action: Option<String>,
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub limit: i64,
    /// Only entries by users of this agency (administrators review their own agency).
    pub agency: Option<String>,
}

/// A court order sealing a record (`kind` is `case` or `person`).
#[derive(Debug, Clone)]
pub struct SealOrder {
    pub kind: &'static str,
    pub id: String,
    pub order_ref: String,
    /// Users who may still see the record.
    pub named: Vec<UserId>,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

/// A justified reveal of a protected identity.
#[derive(Debug, Clone, Serialize)]
pub struct RevealRecord {
    pub person_id: PersonId,
    pub username: String,
    pub reason: String,
    pub revealed_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The relations of an actor to a person: through each case the person is in, and any seal.
#[derive(Debug, Clone, Default)]
pub struct PersonRelation {
    pub cases: Vec<CaseRelation>,
    pub sealed: bool,
    pub named_on_seal: bool,
    /// The person was received at intake in a batch of the actor's unit.
    pub in_own_batch: bool,
}

/// How a new link of a person to a case is made: with an existing person or a new one.
#[derive(Debug, Clone)]
pub enum LinkTarget {
    Existing(PersonId),
    New(Box<NewPerson>),
}

/// A pre-built set of records written at once (synthetic data, later imports).
#[derive(Debug, Clone, Default)]
pub struct BulkBatch {
    pub persons: Vec<NewPerson>,
    pub cases: Vec<BulkCase>,
}

#[derive(Debug, Clone)]
pub struct BulkCase {
    pub case: NewCase,
    pub history: Vec<StageEvent>,
    pub persons: Vec<(CasePersonId, PersonId, CaseRole, Option<Verdict>)>,
}

#[async_trait]
pub trait Store:
    crate::intake_store::IntakeStore
    + crate::linkage_store::LinkageStore
    + crate::stats_store::StatsStore
    + crate::victims_store::VictimsStore
    + crate::exchange_store::ExchangeStore
    + crate::ocindex_store::OcindexStore
    + Send
    + Sync
    + 'static
{
    fn backend(&self) -> Backend;

    // Organisations.
    /// Insert the units that do not exist yet (by code); existing ones keep their ids.
    async fn seed_units(&self, units: &[UnitDef]) -> StoreResult<()>;
    async fn units(&self) -> StoreResult<Vec<Unit>>;
    async fn unit_by_code(&self, code: &str) -> StoreResult<Option<Unit>>;
    async fn insert_unit(&self, unit: &Unit, audit: AuditDraft) -> StoreResult<()>;

    // Users and sessions.
    async fn insert_user(&self, user: &UserRecord, audit: AuditDraft) -> StoreResult<()>;
    async fn user_by_username(&self, username: &str) -> StoreResult<Option<UserRecord>>;
    async fn user_by_id(&self, id: UserId) -> StoreResult<Option<UserRecord>>;
    async fn set_password(
        &self,
        id: UserId,
        password_hash: &str,
        audit: AuditDraft,
    ) -> StoreResult<()>;
    async fn insert_session(&self, session: &SessionRecord) -> StoreResult<()>;
    async fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>>;
    async fn touch_session(&self, token_hash: &str, at: DateTime<Utc>) -> StoreResult<()>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;

    // Cases.
    /// Insert a case, allocating the next number of its unit and year.
    async fn insert_case(&self, case: &NewCase, audit: AuditDraft) -> StoreResult<CaseNumber>;
    async fn case_detail(&self, id: CaseId) -> StoreResult<Option<CaseDetail>>;
    async fn search_cases(&self, q: &SearchQuery) -> StoreResult<Vec<CaseSummary>>;
    /// Cases the scope sees, newest first.
    async fn recent_cases(
        &self,
        scope: &Scope,
        now: i64,
        limit: i64,
    ) -> StoreResult<Vec<CaseSummary>>;
    /// How the scope's actor relates to one case (`None`: no such case).
    async fn case_relation(
        &self,
        id: CaseId,
        scope: &Scope,
        now: i64,
    ) -> StoreResult<Option<CaseRelation>>;
    /// How the scope's actor relates to one person (`None`: no such person).
    async fn person_relation(
        &self,
        id: PersonId,
        scope: &Scope,
        now: i64,
    ) -> StoreResult<Option<PersonRelation>>;
    async fn assign_case(
        &self,
        id: CaseId,
        user: UserId,
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<()>;
    async fn insert_share(&self, share: &ShareRecord, audit: AuditDraft) -> StoreResult<()>;
    /// Revoke an active share of the case; false when there was none.
    async fn revoke_share(
        &self,
        case: CaseId,
        share_id: &str,
        by: &str,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<bool>;
    async fn case_shares(&self, case: CaseId) -> StoreResult<Vec<ShareRecord>>;
    /// Seal a record by court order, naming the users who may still see it.
    async fn seal(&self, seal: &SealOrder, audit: AuditDraft) -> StoreResult<()>;
    /// Persons of a case whose records are sealed and do not name this user.
    async fn sealed_persons_of_case(
        &self,
        case: CaseId,
        user: UserId,
    ) -> StoreResult<Vec<PersonId>>;
    async fn insert_reveal(
        &self,
        reveal: &RevealRecord,
        user: UserId,
        audit: AuditDraft,
    ) -> StoreResult<()>;
    async fn reveals(&self, person: PersonId) -> StoreResult<Vec<RevealRecord>>;
    async fn has_active_reveal(
        &self,
        person: PersonId,
        user: UserId,
        now: i64,
    ) -> StoreResult<bool>;
    /// Record a failed sign-in (and a lock until the given time); audited.
    async fn login_failed(
        &self,
        user: UserId,
        locked_until: Option<DateTime<Utc>>,
        audit: AuditDraft,
    ) -> StoreResult<()>;
    async fn login_succeeded(&self, user: UserId) -> StoreResult<()>;
    async fn users_of_agency(&self, agency: &str) -> StoreResult<Vec<UserRecord>>;
    /// Store (sealed) or clear a user's TOTP secret and whether it is in use.
    async fn set_totp(
        &self,
        user: UserId,
        secret: Option<&str>,
        enabled: bool,
        audit: Option<AuditDraft>,
    ) -> StoreResult<()>;
    /// Record a TOTP step as used; false when it (or a later one) was used already.
    async fn use_totp_step(&self, user: UserId, step: i64) -> StoreResult<bool>;
    async fn session_mfa_done(&self, token_hash: &str) -> StoreResult<()>;
    async fn set_user_active(
        &self,
        user: UserId,
        active: bool,
        audit: AuditDraft,
    ) -> StoreResult<()>;
    /// Move a case, provided it is still at `expected` (otherwise `StoreError::Stale`).
    async fn record_transition(
        &self,
        id: CaseId,
        expected: CaseStage,
        event: &StageEvent,
        verdicts: &[(PersonId, Verdict)],
        audit: AuditDraft,
    ) -> StoreResult<()>;
    /// Link a person (existing or new) to a case in a role, in one transaction.
    async fn link_person(
        &self,
        case_id: CaseId,
        link_id: CasePersonId,
        target: &LinkTarget,
        role: CaseRole,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<PersonId>;

    // Persons.
    async fn insert_person(&self, person: &NewPerson, audit: AuditDraft) -> StoreResult<()>;
    async fn person_detail(&self, id: PersonId) -> StoreResult<Option<PersonDetail>>;
    /// Persons visible to the query's agency: created by it or linked to one of its cases.
    async fn search_persons(&self, q: &SearchQuery) -> StoreResult<Vec<PersonSummary>>;

    // Audit.
    async fn append_audit(&self, audit: AuditDraft) -> StoreResult<()>;
    /// Entries with `seq > after`, in sequence order.
    async fn audit_page(&self, after: i64, limit: i64) -> StoreResult<Vec<AuditEntry>>;
    /// Entries matching the filter, newest first.
    async fn audit_search(&self, filter: &AuditFilter) -> StoreResult<Vec<AuditEntry>>;
    /// Store new alerts (an alert already raised for the same rule, user and window is skipped);
    /// returns how many were new.
    async fn insert_alerts(
        &self,
        findings: &[crate::alerts::Finding],
        at: DateTime<Utc>,
    ) -> StoreResult<u64>;
    /// Alerts, newest open first; with `agency`, only about users of that agency.
    async fn alerts(
        &self,
        agency: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<crate::alerts::Alert>>;
    /// Acknowledge an open alert; false when there is no such open alert.
    async fn ack_alert(
        &self,
        id: &str,
        by: &str,
        comment: &str,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<bool>;
    /// The chain head: last sequence number and hash.
    async fn audit_head(&self) -> StoreResult<(i64, String)>;

    // Bulk.
    async fn bulk_insert(&self, batch: &BulkBatch, audit: AuditDraft) -> StoreResult<()>;
    /// Re-seal every protected value under the current data key and recompute blind indexes.
    async fn reseal_all(&self, audit: AuditDraft) -> StoreResult<ResealReport>;
    async fn count_persons(&self) -> StoreResult<i64>;
    async fn count_cases(&self) -> StoreResult<i64>;
}
