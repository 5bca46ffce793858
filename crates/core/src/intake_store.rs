//! What the intake needs from storage: batches, the persons in them with their screening flags,
//! interviews and outcomes, the watch lists, and the candidate lookups screening runs on. Like
//! [`crate::store::Store`], every change takes its audit draft and is written in one transaction.

use crate::audit::AuditDraft;
use crate::store::{LinkTarget, NewCase, NewPerson, StoreResult};
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use nigehban_domain::assessment::Suggestion;
use nigehban_domain::identifiers::Identifier;
use nigehban_domain::ids::{
    BatchId, CaseId, CasePersonId, IntakeEntryId, PersonId, UnitId, UserId, WatchlistEntryId,
};
use nigehban_domain::intake::{
    BatchKind, Classification, FlagKind, IntakeOutcome, IntakeStatus, InterviewInput,
    ValidatedBatch, WatchList,
};
use nigehban_domain::person::{AgeInfo, CaseRole, Sex};
use serde::{Deserialize, Serialize};

/// A batch to insert.
#[derive(Debug, Clone)]
pub struct NewBatch {
    pub id: BatchId,
    pub unit_id: UnitId,
    pub agency: String,
    pub batch: ValidatedBatch,
    pub created_by: UserId,
    pub created_at: DateTime<Utc>,
}

/// How far the processing of a batch has gone.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct BatchProgress {
    pub total: i64,
    pub pending: i64,
    pub interviewed: i64,
    pub done: i64,
    pub flagged: i64,
    pub victim_screening: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct BatchRecord {
    pub id: BatchId,
    pub unit_id: UnitId,
    pub unit_code: String,
    pub agency: String,
    pub kind: BatchKind,
    pub post: String,
    pub arrival_date: NaiveDate,
    pub country: Option<String>,
    pub place: Option<String>,
    pub reference: Option<String>,
    pub notes: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub progress: BatchProgress,
}

/// One reason screening drew attention to a person. What it shows is limited to what any intake
/// officer may know: the kind of hit, how strong, the reasons, and the id of the matched record
/// (whose page the access policy guards), never another agency's names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flag {
    pub kind: FlagKind,
    #[serde(default)]
    pub person_id: Option<PersonId>,
    /// The agency holding the matched record.
    #[serde(default)]
    pub agency: Option<String>,
    /// Match strength in [0, 1] for similar persons.
    #[serde(default)]
    pub score: Option<f64>,
    /// Message codes (`flag-reason-<code>` or `doubt-<code>`) with their arguments.
    #[serde(default)]
    pub reasons: Vec<FlagReason>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlagReason {
    pub code: String,
    #[serde(default)]
    pub args: Vec<(String, String)>,
}

/// Who a new entry is: a person already recorded (same CNIC or passport) or a new one.
#[derive(Debug, Clone)]
pub enum EntryPerson {
    Existing(PersonId),
    New(Box<NewPerson>),
}

/// What came with the person on the list, kept as the sending authority wrote it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryExtras {
    pub arrival_date: Option<NaiveDate>,
    pub reason: Option<String>,
    pub flight_or_vessel: Option<String>,
    pub remarks: Option<String>,
    pub origin_raw: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewEntry {
    pub id: IntakeEntryId,
    pub person: EntryPerson,
    /// Row of the manifest (as a spreadsheet numbers it), for manifest entries.
    pub source_row: Option<i64>,
    /// Plain fingerprint of the row; the store keeps it blind-indexed.
    pub fingerprint: String,
    pub flags: Vec<Flag>,
    pub victim_screening: bool,
    pub extras: EntryExtras,
}

/// A manifest file taken into a batch.
#[derive(Debug, Clone, Serialize)]
pub struct ImportRecord {
    pub id: String,
    pub batch_id: BatchId,
    pub file_name: String,
    pub file_hash: String,
    pub rows_total: i64,
    pub rows_added: i64,
    pub rows_rejected: i64,
    pub by_user: UserId,
    pub at: DateTime<Utc>,
}

/// What inserting entries did: new entries, and rows already in the batch (a re-import).
#[derive(Debug, Clone, Default, Serialize)]
pub struct EntriesAdded {
    pub added: i64,
    pub already_in_batch: i64,
    /// The entries not added because their row or person was already in the batch.
    #[serde(skip)]
    pub skipped: Vec<IntakeEntryId>,
}

/// The decision and outcome recorded for one person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutcomeDetail {
    /// For referrals: the kind of service (shelter, medical, legal aid, ...).
    pub service: Option<String>,
    /// For referrals: the organisation unit referred to.
    pub organisation: Option<String>,
    pub note: Option<String>,
    /// Cases opened or joined, and the agents linked as suspects.
    pub case_number: Option<String>,
    pub agents_linked: Vec<PersonId>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EntryRecord {
    pub id: IntakeEntryId,
    pub batch_id: BatchId,
    pub seq: i64,
    pub person_id: PersonId,
    pub name_roman: Option<String>,
    pub name_urdu: Option<String>,
    pub parentage_roman: Option<String>,
    pub parentage_urdu: Option<String>,
    pub sex: Sex,
    pub age: AgeInfo,
    pub nationality_claimed: Option<String>,
    pub origin_district: Option<String>,
    pub identifiers: Vec<Identifier>,
    pub source: String,
    pub source_row: Option<i64>,
    pub status: IntakeStatus,
    pub flags: Vec<Flag>,
    pub victim_screening: bool,
    pub extras: EntryExtras,
    pub interview: Option<InterviewInput>,
    pub interview_saved_at: Option<DateTime<Utc>>,
    pub interviewed_by: Option<String>,
    pub suggestion: Option<Suggestion>,
    pub assessment: Option<serde_json::Value>,
    pub decision: Option<Classification>,
    pub outcome: Option<IntakeOutcome>,
    pub outcome_case_id: Option<CaseId>,
    pub outcome_detail: Option<OutcomeDetail>,
    pub processed_by: Option<String>,
    pub processed_at: Option<DateTime<Utc>>,
    pub version: i64,
    /// Holds a protected role (victim, witness, informant) in some case.
    pub protected: bool,
    /// Names replaced by a pseudonym (filled in by the core, never by the store).
    pub pseudonymised: bool,
}

/// An interview save: a draft (anything typed so far) or the completed interview with the
/// system's suggestion.
#[derive(Debug, Clone)]
pub struct InterviewSave {
    pub entry: IntakeEntryId,
    pub draft: InterviewInput,
    pub completed: Option<(Suggestion, serde_json::Value)>,
    /// Suspect records made for the agents the person named (written in the same transaction).
    pub new_persons: Vec<NewPerson>,
    /// A draft that changes a completed interview: back to pending, the suggestion dropped.
    pub reopen: bool,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

/// The outcome of one person, with the case records it creates, in one transaction.
#[derive(Debug, Clone)]
pub struct OutcomeWrite {
    pub entry: IntakeEntryId,
    pub expected_version: i64,
    pub decision: Classification,
    pub outcome: IntakeOutcome,
    pub detail: OutcomeDetail,
    /// A case to open for this outcome (`None`: join `case_id`, or no case).
    pub new_case: Option<NewCase>,
    pub case_id: Option<CaseId>,
    /// Persons to link to the case: the person themselves, and the agents they named.
    pub links: Vec<(CasePersonId, LinkTarget, CaseRole)>,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

/// A person screening may match, with what the scoring needs (opened from their sealed fields).
#[derive(Debug, Clone)]
pub struct Candidate {
    pub person_id: PersonId,
    pub agency: String,
    pub name_roman: Option<String>,
    pub name_urdu: Option<String>,
    pub parentage_roman: Option<String>,
    pub parentage_urdu: Option<String>,
    pub sex: Sex,
    pub dob: Option<NaiveDate>,
}

/// An earlier encounter of a person with the authorities at intake or in a case.
#[derive(Debug, Clone, Serialize)]
pub struct Encounter {
    pub person_id: PersonId,
    /// A batch kind, or a case role (`deportee`, `offloadee`, `intercepted_migrant`).
    pub kind: String,
    pub date: NaiveDate,
    pub place: Option<String>,
    pub batch_id: Option<BatchId>,
}

#[derive(Debug, Clone)]
pub struct NewWatchlistEntry {
    pub id: WatchlistEntryId,
    pub person: EntryPerson,
    pub list: WatchList,
    pub edition: String,
    pub reference: Option<String>,
    pub offence: Option<String>,
    pub added_by: UserId,
    pub added_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct WatchlistRecord {
    pub id: WatchlistEntryId,
    pub person_id: PersonId,
    pub name_roman: Option<String>,
    pub name_urdu: Option<String>,
    pub parentage_roman: Option<String>,
    pub list: WatchList,
    pub edition: String,
    pub reference: Option<String>,
    pub offence: Option<String>,
    pub added_by: String,
    pub added_at: DateTime<Utc>,
}

#[async_trait]
pub trait IntakeStore: Send + Sync {
    async fn insert_batch(&self, batch: &NewBatch, audit: AuditDraft) -> StoreResult<()>;
    /// Batches of a unit, newest first, with their progress.
    async fn batches(&self, unit: UnitId, limit: i64) -> StoreResult<Vec<BatchRecord>>;
    async fn batch(&self, id: BatchId) -> StoreResult<Option<BatchRecord>>;
    /// The import of a file (by hash) into a batch, if it was taken before.
    async fn import_of(&self, batch: BatchId, file_hash: &str)
        -> StoreResult<Option<ImportRecord>>;
    /// Add entries (and their new persons) to a batch in one transaction, with the import record
    /// when they come from a file. Rows whose fingerprint or person is already in the batch are
    /// skipped and counted, so a re-import adds nobody twice.
    async fn insert_entries(
        &self,
        batch: BatchId,
        import: Option<&ImportRecord>,
        entries: &[NewEntry],
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<EntriesAdded>;
    /// Entries of a batch in their order, names opened.
    async fn entries(&self, batch: BatchId) -> StoreResult<Vec<EntryRecord>>;
    async fn entry(&self, id: IntakeEntryId) -> StoreResult<Option<EntryRecord>>;
    /// The next entry of the batch still to process after position `seq` (wrapping to the
    /// first), other than that one.
    async fn next_to_process(&self, batch: BatchId, seq: i64)
        -> StoreResult<Option<IntakeEntryId>>;
    /// Save an interview draft or completion; moves a pending entry to interviewed on completion.
    async fn save_interview(
        &self,
        save: &InterviewSave,
        audit: Option<AuditDraft>,
    ) -> StoreResult<()>;
    /// Record the decision and outcome, creating or joining a case, provided the entry is still at
    /// `expected_version` (otherwise `StoreError::Stale`).
    async fn record_outcome(&self, write: &OutcomeWrite, audit: AuditDraft) -> StoreResult<()>;

    // Screening.
    /// Persons holding any of these identifiers (exact, through the blind index).
    async fn persons_by_identifiers(
        &self,
        ids: &[Identifier],
    ) -> StoreResult<Vec<(Identifier, PersonId)>>;
    /// Persons sharing any of these plain match keys (blinded by the store); at most `per_key`
    /// persons per key, since a key shared by thousands says nothing.
    async fn persons_by_match_keys(
        &self,
        keys: &[String],
        per_key: i64,
    ) -> StoreResult<Vec<(String, PersonId)>>;
    async fn candidates(&self, ids: &[PersonId]) -> StoreResult<Vec<Candidate>>;
    /// Earlier intake entries and case roles of deportation, offloading or interception.
    async fn encounters(&self, ids: &[PersonId]) -> StoreResult<Vec<Encounter>>;
    /// Active watch-list entries of these persons.
    async fn watchlist_of(&self, ids: &[PersonId]) -> StoreResult<Vec<WatchlistRecord>>;

    // Watch lists.
    async fn insert_watchlist(
        &self,
        entries: &[NewWatchlistEntry],
        audit: AuditDraft,
    ) -> StoreResult<()>;
    async fn watchlist(
        &self,
        list: Option<WatchList>,
        limit: i64,
    ) -> StoreResult<Vec<WatchlistRecord>>;
    async fn remove_watchlist(
        &self,
        id: WatchlistEntryId,
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<bool>;
}
