//! What victim protection needs from storage: the service directory, protection files (needs
//! assessment, cooperation with prosecution, phase), consents per field, recipient and use,
//! referrals with their history and services, and the case plan. Like [`crate::store::Store`],
//! every change takes its audit draft and is written in one transaction with it. The store
//! returns whole records; what a provider may see of them is decided in the core.

use crate::audit::AuditDraft;
use crate::store::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use nigehban_domain::ids::{CaseId, PersonId, UnitId, UserId};
use nigehban_domain::victims::{
    Cooperation, IdentificationSource, NeedsAssessment, PlanStatus, ProtectionPhase,
    ReferralStatus, ValidatedPlanItem, ValidatedProvider,
};
use serde::Serialize;

/// A directory entry as stored.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderRecord {
    pub id: String,
    pub provider: ValidatedProvider,
    /// The unit whose users answer its referrals.
    pub unit_id: Option<UnitId>,
    /// Places taken now: referrals accepted and not closed.
    pub places_taken: u32,
    pub updated_at: DateTime<Utc>,
    pub version: i64,
}

#[derive(Debug, Clone)]
pub struct NewProvider {
    pub id: String,
    pub provider: ValidatedProvider,
    pub unit_id: Option<UnitId>,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

/// A person identified as a victim, to insert.
#[derive(Debug, Clone)]
pub struct NewVictimFile {
    pub id: String,
    pub person_id: PersonId,
    pub unit_id: UnitId,
    pub agency: String,
    pub source: IdentificationSource,
    pub intake_entry: Option<String>,
    pub case_id: Option<CaseId>,
    pub minor: bool,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

/// A protection file as stored (sealed parts opened).
#[derive(Debug, Clone, Serialize)]
pub struct VictimFileRecord {
    pub id: String,
    pub person_id: PersonId,
    pub unit_id: UnitId,
    pub unit_code: String,
    pub agency: String,
    pub source: IdentificationSource,
    pub intake_entry: Option<String>,
    pub case_id: Option<CaseId>,
    pub minor: bool,
    pub phase: ProtectionPhase,
    /// The case worker: the user who identified the person.
    pub identified_by: String,
    pub identified_by_id: UserId,
    pub identified_at: DateTime<Utc>,
    pub assessment: Option<NeedsAssessment>,
    pub cooperation: Option<Cooperation>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closure_reason: Option<String>,
    pub closure_note: Option<String>,
    pub version: i64,
}

/// One field a person agreed to share with one recipient for one use.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentRecord {
    pub id: String,
    pub file_id: String,
    pub provider_id: String,
    pub provider_name: String,
    pub purpose: String,
    pub field: String,
    pub given_by: String,
    pub giver_name: Option<String>,
    pub granted_by: String,
    pub granted_at: DateTime<Utc>,
    pub withdrawn_by: Option<String>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

impl ConsentRecord {
    pub fn active(&self) -> bool {
        self.withdrawn_at.is_none()
    }
}

#[derive(Debug, Clone)]
pub struct NewConsent {
    pub id: String,
    pub provider_id: String,
    pub purpose: String,
    pub field: String,
    pub given_by: String,
    pub giver_name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewReferral {
    pub id: String,
    pub file_id: String,
    pub provider_id: String,
    pub service: String,
    pub district: String,
    pub fields: Vec<String>,
    pub urgent: bool,
    pub note: Option<String>,
    pub by: UserId,
    pub unit_id: UnitId,
    pub at: DateTime<Utc>,
}

/// A referral as stored, with what both sides need to know of its ends.
#[derive(Debug, Clone, Serialize)]
pub struct ReferralRecord {
    pub id: String,
    pub file_id: String,
    pub person_id: PersonId,
    /// The referring unit (the file's owner) and its agency.
    pub file_unit_id: UnitId,
    pub file_unit_code: String,
    pub agency: String,
    pub minor: bool,
    pub provider_id: String,
    pub provider_name: String,
    pub provider_unit_id: Option<UnitId>,
    pub service: String,
    pub district: String,
    /// The fields the referrer asked to share (each shown only while consent lasts).
    pub fields: Vec<String>,
    pub urgent: bool,
    pub note: Option<String>,
    pub status: ReferralStatus,
    pub decline_reason: Option<String>,
    pub closure_reason: Option<String>,
    pub sent_by: String,
    pub sent_at: DateTime<Utc>,
    pub responded_at: Option<DateTime<Utc>>,
    pub first_service_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub version: i64,
}

/// A step of a referral's history, visible to both sides.
#[derive(Debug, Clone, Serialize)]
pub struct ReferralEvent {
    pub at: DateTime<Utc>,
    pub by: String,
    pub unit_code: String,
    pub status: ReferralStatus,
    pub reason: Option<String>,
    pub note: Option<String>,
}

/// A change of a referral's status, provided it is still at `expected`.
#[derive(Debug, Clone)]
pub struct ReferralMove {
    pub referral: String,
    pub expected: ReferralStatus,
    pub to: ReferralStatus,
    pub reason: Option<String>,
    pub note: Option<String>,
    pub by: UserId,
    pub unit_id: UnitId,
    pub at: DateTime<Utc>,
    /// Accepting takes a place: refused (`MoveResult::Full`) when this many are taken already.
    pub max_places: Option<u32>,
    /// A service delivered with the move (to `in_service`).
    pub service: Option<ServiceRecord>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveResult {
    Done,
    /// The referral was no longer at the expected status.
    Stale,
    /// No place free.
    Full,
}

#[derive(Debug, Clone, Serialize)]
pub struct ServiceRecord {
    pub id: String,
    pub referral_id: String,
    pub service: String,
    pub delivered_on: NaiveDate,
    pub until: Option<NaiveDate>,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanItemRecord {
    pub id: String,
    pub file_id: String,
    pub item: ValidatedPlanItem,
    pub status: PlanStatus,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A change to a protection file's own columns.
#[derive(Debug, Clone)]
pub enum FileChange {
    Assessment {
        assessment: NeedsAssessment,
        minor: bool,
    },
    Cooperation(Cooperation),
    Phase(ProtectionPhase),
    Close {
        reason: String,
        note: Option<String>,
        at: DateTime<Utc>,
    },
}

#[async_trait]
pub trait VictimsStore: Send + Sync {
    // The directory.
    async fn providers(&self) -> StoreResult<Vec<ProviderRecord>>;
    async fn provider(&self, id: &str) -> StoreResult<Option<ProviderRecord>>;
    async fn insert_provider(&self, p: &NewProvider, audit: AuditDraft) -> StoreResult<()>;
    /// Replace an entry, provided it is still at `version`; false otherwise.
    async fn update_provider(
        &self,
        id: &str,
        provider: &ValidatedProvider,
        unit_id: Option<UnitId>,
        version: i64,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<bool>;

    // Protection files.
    /// Insert a file; `Conflict` when the unit already has one for the person.
    async fn insert_victim_file(&self, f: &NewVictimFile, audit: AuditDraft) -> StoreResult<()>;
    async fn victim_file(&self, id: &str) -> StoreResult<Option<VictimFileRecord>>;
    /// The unit's file of a person, if any.
    async fn victim_file_of(&self, person: PersonId, unit: UnitId) -> StoreResult<Option<String>>;
    /// Files of a person, in any unit (for what investigators and prosecutors see of support).
    async fn victim_files_of_person(&self, person: PersonId) -> StoreResult<Vec<VictimFileRecord>>;
    /// Files of a unit (`unit`) or of a whole agency, newest first.
    async fn victim_files(
        &self,
        agency: &str,
        unit: Option<UnitId>,
        limit: i64,
    ) -> StoreResult<Vec<VictimFileRecord>>;
    /// Change a file, provided it is still at `version`; false otherwise.
    async fn change_victim_file(
        &self,
        id: &str,
        version: i64,
        change: &FileChange,
        audit: AuditDraft,
    ) -> StoreResult<bool>;

    // Consent.
    async fn insert_consents(
        &self,
        file: &str,
        consents: &[NewConsent],
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<()>;
    /// Withdraw an active consent of the file; false when there is none.
    async fn withdraw_consent(
        &self,
        file: &str,
        consent: &str,
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<bool>;
    async fn consents(&self, file: &str) -> StoreResult<Vec<ConsentRecord>>;

    // Referrals.
    async fn insert_referral(&self, r: &NewReferral, audit: AuditDraft) -> StoreResult<()>;
    async fn referral(&self, id: &str) -> StoreResult<Option<ReferralRecord>>;
    async fn referrals_of_file(&self, file: &str) -> StoreResult<Vec<ReferralRecord>>;
    /// Referrals to the providers a unit answers for, newest first.
    async fn referrals_to_unit(&self, unit: UnitId, limit: i64)
        -> StoreResult<Vec<ReferralRecord>>;
    /// Referrals made from an agency's files (or one unit's), newest first.
    async fn referrals_from(
        &self,
        agency: &str,
        unit: Option<UnitId>,
        limit: i64,
    ) -> StoreResult<Vec<ReferralRecord>>;
    async fn move_referral(&self, m: &ReferralMove, audit: AuditDraft) -> StoreResult<MoveResult>;
    async fn referral_events(&self, id: &str) -> StoreResult<Vec<ReferralEvent>>;
    async fn referral_services(&self, id: &str) -> StoreResult<Vec<ServiceRecord>>;
    /// Services delivered under the referrals of an agency's files.
    async fn services_of_agency(&self, agency: &str) -> StoreResult<Vec<ServiceRecord>>;

    // The case plan.
    async fn plan_items(&self, file: &str) -> StoreResult<Vec<PlanItemRecord>>;
    async fn insert_plan_item(
        &self,
        file: &str,
        id: &str,
        item: &ValidatedPlanItem,
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<()>;
    /// Mark an item of the file done or dropped; false when there is no such open item.
    async fn set_plan_status(
        &self,
        file: &str,
        item: &str,
        status: PlanStatus,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<bool>;
}
