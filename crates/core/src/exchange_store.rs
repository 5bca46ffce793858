//! What data exchange (HTCDS export and import, the anonymised CTDC release) needs from storage.
//! Like [`crate::store::Store`], every change takes its audit draft and is written with it in one
//! transaction.

use crate::audit::AuditDraft;
use crate::policy::Scope;
use crate::store::{NewCase, NewPerson, StageEvent, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use nigehban_domain::case::CaseNumber;
use nigehban_domain::ids::{CaseId, CasePersonId, PersonId, UserId};
use nigehban_domain::intake::InterviewInput;
use nigehban_domain::person::CaseRole;
use nigehban_domain::stage::Verdict;
use nigehban_exchange::{KeptValue, VictimContext};
use serde::Serialize;

/// A case that came from another system: its id there, and the values without a Nigehban field
/// kept for it.
#[derive(Debug, Clone)]
pub struct CaseRef {
    pub case_id: CaseId,
    pub external_id: String,
    pub external_number: Option<String>,
    pub kept: Vec<KeptValue>,
}

/// A person of an imported case: a new person, or one an earlier import already brought (by the
/// sender's person id).
#[derive(Debug, Clone)]
pub struct ImportedPerson {
    pub external_id: String,
    pub link_id: CasePersonId,
    pub person: NewPerson,
    pub role: CaseRole,
    pub verdict: Option<Verdict>,
    pub victim: VictimContext,
}

#[derive(Debug, Clone)]
pub struct ImportedCase {
    /// The sending organisation as the file names it (empty when it does not): external ids are
    /// unique only within one sender.
    pub source: String,
    pub external_id: String,
    pub external_number: Option<String>,
    pub case: NewCase,
    pub history: Vec<StageEvent>,
    pub persons: Vec<ImportedPerson>,
    pub kept: Vec<KeptValue>,
}

/// An HTCDS import to write at once.
#[derive(Debug, Clone)]
pub struct ExchangeImport {
    pub id: String,
    pub file_name: String,
    pub file_hash: String,
    pub by: UserId,
    pub at: DateTime<Utc>,
    pub cases: Vec<ImportedCase>,
}

/// What an import wrote.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ImportWritten {
    /// `(external id, number given)` of each case added.
    pub added: Vec<(String, CaseNumber)>,
    /// External ids of cases already here (imported before, or this system's own cases).
    pub skipped: Vec<String>,
    pub persons_added: usize,
    /// Persons an earlier import brought, linked again.
    pub persons_linked: usize,
}

#[async_trait]
pub trait ExchangeStore: Send + Sync {
    /// Cases the scope sees (with their persons open, unless the scope is an analyst's agency
    /// view) whose offence date lies in the period, oldest first.
    async fn exchange_case_ids(
        &self,
        scope: &Scope,
        now: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<CaseId>>;
    /// The external references (and kept values) of these cases, for those that have one.
    async fn case_refs(&self, cases: &[CaseId]) -> StoreResult<Vec<CaseRef>>;
    /// Victim contexts stored by imports for these cases.
    async fn victim_contexts(
        &self,
        cases: &[CaseId],
    ) -> StoreResult<Vec<(CaseId, PersonId, VictimContext)>>;
    /// The latest completed intake interview of each of these persons.
    async fn completed_interviews(
        &self,
        persons: &[PersonId],
    ) -> StoreResult<Vec<(PersonId, InterviewInput)>>;
    /// Write an import in one transaction with its audit entry: cases whose external id is known
    /// (or is the id of a case here) are skipped, persons known by their external id are linked
    /// instead of created again. Re-importing a file therefore adds nothing.
    async fn insert_exchange_import(
        &self,
        import: &ExchangeImport,
        audit: AuditDraft,
    ) -> StoreResult<ImportWritten>;
}
