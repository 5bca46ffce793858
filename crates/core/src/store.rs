//! What the core needs from storage. One implementation serves SQLite and PostgreSQL
//! (`nigehban-storage`), and one conformance suite checks it on both. Every method that changes
//! data takes the [`AuditDraft`] of the operation and appends it in the same transaction, so a
//! change and its audit entry are stored together or not at all.

use crate::audit::{AuditDraft, AuditEntry};
use crate::error::StoreError;
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
}

impl PersonDetail {
    pub fn protected(&self) -> bool {
        self.cases.iter().any(|c| c.role.role.is_protected())
    }
}

/// A free-text search, already folded (see `nigehban_domain::names::fold_for_search`), with the
/// identifiers it might be, within an agency's records.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub agency: String,
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
pub trait Store: Send + Sync + 'static {
    fn backend(&self) -> Backend;

    // Organisations.
    /// Insert the units that do not exist yet (by code); existing ones keep their ids.
    async fn seed_units(&self, units: &[UnitDef]) -> StoreResult<()>;
    async fn units(&self) -> StoreResult<Vec<Unit>>;
    async fn unit_by_code(&self, code: &str) -> StoreResult<Option<Unit>>;

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
    async fn recent_cases(&self, agency: &str, limit: i64) -> StoreResult<Vec<CaseSummary>>;
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
    /// The chain head: last sequence number and hash.
    async fn audit_head(&self) -> StoreResult<(i64, String)>;

    // Bulk.
    async fn bulk_insert(&self, batch: &BulkBatch, audit: AuditDraft) -> StoreResult<()>;
    async fn count_persons(&self) -> StoreResult<i64>;
    async fn count_cases(&self) -> StoreResult<i64>;
}
