//! The operations. Each one: authorize (policy), validate (domain), act and audit (store, one
//! transaction). Reads that return records are audited too, and a refusal is audited as denied.

use crate::actor::{Actor, Principal};
use crate::audit::{AuditDraft, ChainVerifier, Outcome, VerifyReport};
use crate::auth;
use crate::error::{CoreError, StoreError};
use crate::policy::{authorize, requires_second_factor, Action, Scope};
use crate::store::*;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use nigehban_domain::case::{check_transition, CaseInput, CaseNumber, TransitionInput};
use nigehban_domain::error::{Problem, ValidationErrors};
use nigehban_domain::identifiers::{Cnic, Identifier, Passport, Phone};
use nigehban_domain::ids::{CaseId, CasePersonId, PersonId, UnitId, UserId};
use nigehban_domain::names::fold_for_search;
use nigehban_domain::org::{Unit, UserRole};
use nigehban_domain::person::{CaseRole, PersonInput, PersonRole};
use nigehban_domain::reference::ReferenceData;
use nigehban_domain::stage::CaseStage;
use serde_json::json;
use std::sync::Arc;

/// Sessions end after this long without a request...
pub const SESSION_IDLE: Duration = Duration::minutes(30);
/// ...and in any case this long after sign-in.
pub const SESSION_ABSOLUTE: Duration = Duration::hours(12);
const SEARCH_LIMIT: i64 = 50;
/// Consecutive failed sign-ins that lock an account...
pub const LOCKOUT_AFTER: i64 = 5;
/// ...for this long.
pub const LOCKOUT_FOR: Duration = Duration::minutes(15);

/// The application: reference data and a store, and the operations on them.
#[derive(Clone)]
pub struct Nigehban {
    store: Arc<dyn Store>,
    refdata: Arc<ReferenceData>,
    /// Recent failed sign-ins per network address, against password spraying across accounts.
    throttle: Arc<std::sync::Mutex<std::collections::HashMap<String, Vec<DateTime<Utc>>>>>,
}

/// Failed sign-ins from one address within [`THROTTLE_WINDOW`] before it must wait.
pub const THROTTLE_AFTER: usize = 20;
pub const THROTTLE_WINDOW: Duration = Duration::minutes(10);

/// A new user, as given by an administrator or the `user add` command.
#[derive(Debug, Clone)]
pub struct NewUserInput {
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub unit_code: String,
    pub password: String,
}

/// A signed-in session: the cookie token (given to the browser once) and the CSRF token.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    /// The role needs a TOTP code before the session may act.
    pub second_factor: bool,
}

/// What to do with the person part of an "add person to case" request.
#[derive(Debug, Clone)]
pub enum PersonRef {
    Existing(PersonId),
    New(Box<PersonInput>),
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

impl Nigehban {
    pub fn new(store: Arc<dyn Store>, refdata: Arc<ReferenceData>) -> Self {
        Nigehban {
            store,
            refdata,
            throttle: Arc::default(),
        }
    }

    pub fn refdata(&self) -> &ReferenceData {
        &self.refdata
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    /// Seed the organisations of the reference data (idempotent); run at every start.
    pub async fn bootstrap(&self) -> Result<(), CoreError> {
        self.store.seed_units(&self.refdata.units).await?;
        Ok(())
    }

    async fn deny(
        &self,
        actor: &Actor,
        action: &str,
        kind: &str,
        id: Option<String>,
        err: CoreError,
    ) -> CoreError {
        let draft = AuditDraft::new(&Principal::User(actor.clone()), action, kind, id)
            .outcome(Outcome::Denied);
        if let Err(e) = self.store.append_audit(draft).await {
            return CoreError::Store(e);
        }
        err
    }

    async fn authorize(
        &self,
        actor: &Actor,
        action: Action,
        name: &str,
        kind: &str,
        id: Option<String>,
    ) -> Result<Scope, CoreError> {
        match authorize(actor, action) {
            Ok(s) => Ok(s),
            Err(e) => Err(self.deny(actor, name, kind, id, e).await),
        }
    }
}

fn p_kind() -> nigehban_domain::identifiers::IdentifierKind {
    nigehban_domain::identifiers::IdentifierKind::Passport
}

fn actor_of(user: &UserRecord, origin: &str) -> Actor {
    Actor {
        user_id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role,
        unit_id: user.unit_id,
        unit_code: user.unit_code.clone(),
        agency: user.agency.clone(),
        origin: origin.to_string(),
    }
}

mod audit_ops;
pub use cases::{CaseView, ShareInput, SHARE_MAX_DAYS};
pub use exchange::{
    first_of, parse_period, CtdcOutcome, ExchangeRights, HtcdsExport, HtcdsImportReport,
    PeriodInput,
};
pub use intake::{
    BatchView, EntryView, ImportOutcome, ImportRequest, ImportResult, ImportRow, OutcomeInput,
    Progress, SERVICES,
};
pub use linkage::{
    mask, AgentLinkView, AgentRegister, AgentView, DuplicateView, PartyView, SweepReport,
};
pub use network::{NetworkFormat, NetworkSlice, SliceEdge, SliceNode};
pub use ocindex::{
    justification_field, score_field, AssessmentInput, AssessmentView, CountryProfile, EditionHeld,
    IndexImport, IndexImportSummary,
};
pub use persons::{PersonView, REVEAL_MINUTES};
pub use statistics::{
    check_statistics_reference, funnel_rows, pivot, Dashboard, DashboardInput, FunnelRow, Report,
    ReportInput, ReportTable, SourceDistrict, StatTable,
};
pub use users::{NewUnitInput, SecondFactorSetup};
pub use victims::{
    DirectoryQuery, FileRow, Measures, ProviderView, ReferralRow, ReferralView, SharedField,
    SharedValue, SupportView, VictimFileView,
};
mod cases;
mod exchange;
mod intake;
mod linkage;
mod network;
mod ocindex;
mod persons;
mod statistics;
mod users;
mod victims;
