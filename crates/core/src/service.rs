//! The operations. Each one: authorize (policy), validate (domain), act and audit (store, one
//! transaction). Reads that return records are audited too, and a refusal is audited as denied.

use crate::actor::{Actor, Principal};
use crate::audit::{AuditDraft, ChainVerifier, Outcome, VerifyReport};
use crate::auth;
use crate::error::{CoreError, StoreError};
use crate::policy::{authorize, Action, Scope};
use crate::store::*;
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use nigehban_domain::case::{check_transition, CaseInput, CaseNumber, TransitionInput};
use nigehban_domain::error::{Problem, ValidationErrors};
use nigehban_domain::identifiers::{Cnic, Identifier, Passport, Phone};
use nigehban_domain::ids::{CaseId, CasePersonId, PersonId, UserId};
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

/// The application: reference data and a store, and the operations on them.
#[derive(Clone)]
pub struct Nigehban {
    store: Arc<dyn Store>,
    refdata: Arc<ReferenceData>,
}

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
        Nigehban { store, refdata }
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

    // ---- Users and sessions -------------------------------------------------------------

    /// Create a user. Administrators through the UI; the CLI acts as the system principal.
    pub async fn add_user(
        &self,
        by: &Principal,
        input: NewUserInput,
    ) -> Result<UserRecord, CoreError> {
        if let Principal::User(actor) = by {
            authorize(actor, Action::ManageUsers)?;
        }
        let mut errs = ValidationErrors::new();
        let username = input.username.trim().to_ascii_lowercase();
        if username.len() < 3
            || username.len() > 64
            || !username
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            errs.add("username", Problem::InvalidChars);
        }
        let display_name = input.display_name.trim().to_string();
        if display_name.is_empty() {
            errs.add("display_name", Problem::Required);
        } else if display_name.chars().count() > 120 {
            errs.add("display_name", Problem::TooLong { max: 120 });
        }
        let role = UserRole::parse(&input.role);
        if role.is_none() {
            errs.add(
                "role",
                Problem::UnknownCode {
                    value: input.role.clone(),
                },
            );
        }
        let pw_len = input.password.chars().count();
        if pw_len < auth::PASSWORD_MIN {
            errs.add(
                "password",
                Problem::TooShort {
                    min: auth::PASSWORD_MIN,
                },
            );
        } else if pw_len > auth::PASSWORD_MAX {
            errs.add(
                "password",
                Problem::TooLong {
                    max: auth::PASSWORD_MAX,
                },
            );
        }
        let unit = self.store.unit_by_code(input.unit_code.trim()).await?;
        if unit.is_none() {
            errs.add(
                "unit",
                Problem::UnknownCode {
                    value: input.unit_code.clone(),
                },
            );
        }
        let (Some(role), Some(unit)) = (role, unit) else {
            return Err(errs.into());
        };
        if !errs.is_empty() {
            return Err(errs.into());
        }
        let hash = auth::hash_password(&input.password)
            .map_err(|e| CoreError::Store(StoreError::Database(e)))?;
        let user = UserRecord {
            id: UserId::new(),
            username,
            display_name,
            role,
            unit_id: unit.id,
            unit_code: unit.code.clone(),
            agency: unit.agency.clone(),
            password_hash: hash,
            active: true,
            created_at: Utc::now(),
        };
        let draft = AuditDraft::new(by, "user.create", "user", Some(user.id.to_string()))
            .detail(json!({"username": user.username, "role": role.as_str(), "unit": unit.code}));
        match self.store.insert_user(&user, draft).await {
            Ok(()) => Ok(user),
            Err(StoreError::Conflict(_)) => Err(ValidationErrors::single(
                "username",
                Problem::Duplicate {
                    value: user.username,
                },
            )
            .into()),
            Err(e) => Err(e.into()),
        }
    }

    /// Set a user's password (CLI as system; administrators later through the UI).
    pub async fn set_password(
        &self,
        by: &Principal,
        username: &str,
        password: &str,
    ) -> Result<(), CoreError> {
        if let Principal::User(actor) = by {
            authorize(actor, Action::ManageUsers)?;
        }
        let n = password.chars().count();
        if n < auth::PASSWORD_MIN {
            return Err(ValidationErrors::single(
                "password",
                Problem::TooShort {
                    min: auth::PASSWORD_MIN,
                },
            )
            .into());
        }
        if n > auth::PASSWORD_MAX {
            return Err(ValidationErrors::single(
                "password",
                Problem::TooLong {
                    max: auth::PASSWORD_MAX,
                },
            )
            .into());
        }
        let user = self
            .store
            .user_by_username(&username.trim().to_ascii_lowercase())
            .await?
            .ok_or(CoreError::NotFound)?;
        let hash =
            auth::hash_password(password).map_err(|e| CoreError::Store(StoreError::Database(e)))?;
        let draft = AuditDraft::new(by, "user.set_password", "user", Some(user.id.to_string()));
        self.store.set_password(user.id, &hash, draft).await?;
        Ok(())
    }

    /// Check a username and password and open a session. Failures are audited.
    pub async fn login(
        &self,
        username: &str,
        password: &str,
        origin: &str,
    ) -> Result<NewSession, CoreError> {
        let username = username.trim().to_ascii_lowercase();
        let user = self.store.user_by_username(&username).await?;
        let ok = match &user {
            Some(u) => u.active && auth::verify_password(password, &u.password_hash),
            None => {
                // Spend the same time as a real check, so timing does not reveal which users exist.
                let _ = auth::verify_password(password, &auth::dummy_hash());
                false
            }
        };
        let principal = Principal::System {
            name: "auth".into(),
            origin: origin.to_string(),
        };
        let mut draft = AuditDraft::new(
            &principal,
            "auth.login",
            "user",
            user.as_ref().map(|u| u.id.to_string()),
        )
        .detail(json!({"username": username}));
        if let Some(u) = user.as_ref() {
            draft.actor_id = Some(u.id.to_string());
            draft.actor_name = u.username.clone();
        }
        let Some(user) = user.filter(|_| ok) else {
            self.store
                .append_audit(draft.outcome(Outcome::Denied))
                .await?;
            return Err(CoreError::Unauthenticated);
        };
        let now = Utc::now();
        let token = auth::random_token();
        let session = SessionRecord {
            token_hash: auth::token_hash(&token),
            user_id: user.id,
            csrf_token: auth::random_token(),
            created_at: now,
            last_seen_at: now,
            expires_at: now + SESSION_ABSOLUTE,
        };
        self.store.insert_session(&session).await?;
        self.store.append_audit(draft).await?;
        Ok(NewSession {
            token,
            csrf_token: session.csrf_token,
            expires_at: session.expires_at,
        })
    }

    /// Resolve a session token to the acting user, extending its idle timer. Expired sessions are removed.
    pub async fn authenticate(
        &self,
        token: &str,
        origin: &str,
    ) -> Result<(Actor, String), CoreError> {
        let hash = auth::token_hash(token);
        let session = self
            .store
            .session(&hash)
            .await?
            .ok_or(CoreError::Unauthenticated)?;
        let now = Utc::now();
        if now > session.expires_at || now - session.last_seen_at > SESSION_IDLE {
            self.store.delete_session(&hash).await?;
            return Err(CoreError::Unauthenticated);
        }
        let user = self
            .store
            .user_by_id(session.user_id)
            .await?
            .ok_or(CoreError::Unauthenticated)?;
        if !user.active {
            return Err(CoreError::Unauthenticated);
        }
        if now - session.last_seen_at > Duration::seconds(30) {
            self.store.touch_session(&hash, now).await?;
        }
        Ok((actor_of(&user, origin), session.csrf_token))
    }

    pub async fn logout(&self, token: &str) -> Result<(), CoreError> {
        self.store.delete_session(&auth::token_hash(token)).await?;
        Ok(())
    }

    /// The actor for a user acting from the command line.
    pub async fn cli_actor(&self, username: &str) -> Result<Actor, CoreError> {
        let user = self
            .store
            .user_by_username(&username.trim().to_ascii_lowercase())
            .await?
            .ok_or(CoreError::NotFound)?;
        Ok(actor_of(&user, &crate::audit::local_origin()))
    }

    pub async fn units(&self) -> Result<Vec<Unit>, CoreError> {
        Ok(self.store.units().await?)
    }

    // ---- Cases ---------------------------------------------------------------------------

    /// Register a case in the actor's unit; it starts at the complaint stage.
    pub async fn register_case(
        &self,
        actor: &Actor,
        input: &CaseInput,
    ) -> Result<CaseSummary, CoreError> {
        self.authorize(actor, Action::RegisterCase, "case.create", "case", None)
            .await?;
        let case = input.validate(&self.refdata, today())?;
        let now = Utc::now();
        let new = NewCase {
            id: CaseId::new(),
            unit_id: actor.unit_id,
            unit_code: actor.unit_code.clone(),
            agency: actor.agency.clone(),
            year: now.year(),
            case,
            stage: CaseStage::Complaint,
            created_by: actor.user_id,
            created_at: now,
        };
        let draft = AuditDraft::new(&Principal::User(actor.clone()), "case.create", "case", Some(new.id.to_string()))
            .detail(json!({"crime_types": new.case.crime_types.iter().map(|c| c.as_str()).collect::<Vec<_>>(), "provisions": new.case.provisions}));
        let number = self.store.insert_case(&new, draft).await?;
        Ok(CaseSummary {
            id: new.id,
            number,
            title: new.case.title.clone(),
            crime_types: new
                .case
                .crime_types
                .iter()
                .map(|c| c.as_str().to_string())
                .collect(),
            stage: new.stage,
            province: new.case.province.clone(),
            district: new.case.district.clone(),
            unit_code: new.unit_code.clone(),
            agency: new.agency.clone(),
            offence_date: new.case.offence_date,
            created_at: new.created_at,
        })
    }

    /// Load a case the actor may see; its reading is audited.
    pub async fn view_case(&self, actor: &Actor, id: CaseId) -> Result<CaseDetail, CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::ViewCases,
                "case.view",
                "case",
                Some(id.to_string()),
            )
            .await?;
        let detail = self.visible_case(&scope, id).await?;
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            "case.view",
            "case",
            Some(id.to_string()),
        )
        .detail(json!({"number": detail.summary.number.to_string()}));
        self.store.append_audit(draft).await?;
        Ok(detail)
    }

    async fn visible_case(&self, scope: &Scope, id: CaseId) -> Result<CaseDetail, CoreError> {
        match self.store.case_detail(id).await? {
            Some(d) if d.summary.agency == scope.agency() => Ok(d),
            _ => Err(CoreError::NotFound),
        }
    }

    /// Cases of the actor's scope, newest first.
    pub async fn recent_cases(
        &self,
        actor: &Actor,
        limit: i64,
    ) -> Result<Vec<CaseSummary>, CoreError> {
        let scope = self
            .authorize(actor, Action::ViewCases, "case.list", "case", None)
            .await?;
        let list = self
            .store
            .recent_cases(scope.agency(), limit.clamp(1, 200))
            .await?;
        self.store
            .append_audit(
                AuditDraft::new(&Principal::User(actor.clone()), "case.list", "case", None)
                    .detail(json!({"count": list.len()})),
            )
            .await?;
        Ok(list)
    }

    /// Parse a search: the text folded for name matching, plus whatever identifiers it could be.
    fn search_query(&self, scope: &Scope, text: &str) -> Result<SearchQuery, CoreError> {
        if text.chars().count() > 200 {
            return Err(ValidationErrors::single("q", Problem::TooLong { max: 200 }).into());
        }
        let text = text.trim();
        let mut identifiers = Vec::new();
        if let Ok(c) = Cnic::parse(text) {
            identifiers.push(Identifier::cnic(&c));
        }
        if let Ok(p) = Phone::parse(text) {
            if text.chars().filter(|c| c.is_ascii_digit()).count() >= 10 {
                identifiers.push(Identifier::phone(&p));
            }
        }
        if let Ok(p) = Passport::parse(text, "XXX") {
            if p.number.chars().any(|c| c.is_ascii_alphabetic())
                && p.number.chars().any(|c| c.is_ascii_digit())
            {
                identifiers.push(Identifier {
                    kind: p_kind(),
                    value: p.number,
                    country: None,
                });
            }
        }
        let case_number = CaseNumber::parse(text).ok();
        // A query that is a CNIC, phone, passport or case number is looked up exactly (indexed);
        // scanning names for its digits would only cost time.
        let folded_text = if identifiers.is_empty() && case_number.is_none() {
            fold_for_search(text)
        } else {
            String::new()
        };
        Ok(SearchQuery {
            agency: scope.agency().to_string(),
            folded_text,
            identifiers,
            case_number,
            limit: SEARCH_LIMIT,
        })
    }

    /// Find cases by number, title, or a linked person's name (either script) or identifier.
    pub async fn search_cases(
        &self,
        actor: &Actor,
        text: &str,
    ) -> Result<Vec<CaseSummary>, CoreError> {
        let scope = self
            .authorize(actor, Action::ViewCases, "case.search", "case", None)
            .await?;
        let q = self.search_query(&scope, text)?;
        let list = if q.is_empty() {
            Vec::new()
        } else {
            self.store.search_cases(&q).await?
        };
        self.store
            .append_audit(
                AuditDraft::new(&Principal::User(actor.clone()), "case.search", "case", None)
                    .detail(json!({"q": text, "results": list.len()})),
            )
            .await?;
        Ok(list)
    }

    /// Move a case to another stage, if the transition table allows it from where it stands.
    pub async fn move_case(
        &self,
        actor: &Actor,
        id: CaseId,
        input: &TransitionInput,
    ) -> Result<CaseDetail, CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::MoveCaseStage,
                "case.transition",
                "case",
                Some(id.to_string()),
            )
            .await?;
        let t = input.validate(today())?;
        let detail = self.visible_case(&scope, id).await?;
        let current = detail.summary.stage;
        if let Some(seen) = t.from {
            if seen != current {
                return Err(CoreError::Conflict(format!(
                    "stage-changed:{}",
                    current.as_str()
                )));
            }
        }
        let accused: Vec<(PersonId, String)> = detail
            .persons
            .iter()
            .filter(|p| p.role.role == PersonRole::Suspect)
            .map(|p| {
                (
                    p.person_id,
                    p.name_roman
                        .clone()
                        .or(p.name_urdu.clone())
                        .unwrap_or_default(),
                )
            })
            .collect();
        check_transition(&self.refdata, current, &t, &accused)?;
        let verdicts: Vec<_> = t
            .verdicts
            .iter()
            .filter(|(p, _)| accused.iter().any(|(a, _)| a == p))
            .copied()
            .collect();
        let event = StageEvent {
            from: Some(current),
            to: t.to,
            occurred_on: t.occurred_on,
            reference: t.reference.clone(),
            note: t.note.clone(),
            by_user: actor.username.clone(),
            at: Utc::now(),
        };
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            "case.transition",
            "case",
            Some(id.to_string()),
        )
        .detail(json!({"from": current.as_str(), "to": t.to.as_str(), "reference": t.reference}));
        match self
            .store
            .record_transition(id, current, &event, &verdicts, draft)
            .await
        {
            Ok(()) => {}
            Err(StoreError::Stale(s)) => {
                return Err(CoreError::Conflict(format!("stage-changed:{s}")))
            }
            Err(e) => return Err(e.into()),
        }
        self.visible_case(&scope, id).await
    }

    /// Add a person, new or already known, to a case in a role.
    pub async fn add_person_to_case(
        &self,
        actor: &Actor,
        case_id: CaseId,
        person: PersonRef,
        role: Option<&str>,
        chain_role: Option<&str>,
    ) -> Result<PersonId, CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::AddPersonToCase,
                "case.add_person",
                "case",
                Some(case_id.to_string()),
            )
            .await?;
        let mut errs = ValidationErrors::new();
        let role = CaseRole::parse(role, chain_role)
            .map_err(|e| errs.0.extend(e.0))
            .ok();
        let target = match person {
            PersonRef::Existing(pid) => {
                // The person must be visible to the actor too.
                match self.store.person_detail(pid).await? {
                    Some(p) if person_visible(&p, scope.agency()) => {
                        Some(LinkTarget::Existing(pid))
                    }
                    _ => return Err(CoreError::NotFound),
                }
            }
            PersonRef::New(input) => match input.validate(&self.refdata, today()) {
                Ok(v) => Some(LinkTarget::New(Box::new(NewPerson {
                    id: PersonId::new(),
                    person: v,
                    agency: actor.agency.clone(),
                    created_by: actor.user_id,
                    created_at: Utc::now(),
                }))),
                Err(e) => {
                    errs.0.extend(e.0);
                    None
                }
            },
        };
        let detail = self.visible_case(&scope, case_id).await?;
        let (Some(role), Some(target)) = (role, target) else {
            return Err(errs.into());
        };
        if !errs.is_empty() {
            return Err(errs.into());
        }
        if let LinkTarget::Existing(pid) = &target {
            if detail
                .persons
                .iter()
                .any(|p| p.person_id == *pid && p.role.role == role.role)
            {
                return Err(ValidationErrors::single(
                    "role",
                    Problem::Duplicate {
                        value: role.role.as_str().to_string(),
                    },
                )
                .into());
            }
        }
        let link_id = CasePersonId::new();
        let draft = AuditDraft::new(&Principal::User(actor.clone()), "case.add_person", "case", Some(case_id.to_string()))
            .detail(json!({"link": link_id.to_string(), "role": role.role.as_str(), "chain_role": role.chain_role.map(|c| c.as_str()), "new_person": matches!(target, LinkTarget::New(_))}));
        let pid = self
            .store
            .link_person(case_id, link_id, &target, role, Utc::now(), draft)
            .await?;
        Ok(pid)
    }

    // ---- Persons -------------------------------------------------------------------------

    /// Load a person the actor may see; reading is audited, and marked when the person is protected.
    pub async fn view_person(
        &self,
        actor: &Actor,
        id: PersonId,
    ) -> Result<PersonDetail, CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::ViewPersons,
                "person.view",
                "person",
                Some(id.to_string()),
            )
            .await?;
        let detail = match self.store.person_detail(id).await? {
            Some(p) if person_visible(&p, scope.agency()) => p,
            _ => return Err(CoreError::NotFound),
        };
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            "person.view",
            "person",
            Some(id.to_string()),
        )
        .detail(json!({"protected": detail.protected()}));
        self.store.append_audit(draft).await?;
        Ok(detail)
    }

    pub async fn search_persons(
        &self,
        actor: &Actor,
        text: &str,
    ) -> Result<Vec<PersonSummary>, CoreError> {
        let scope = self
            .authorize(actor, Action::ViewPersons, "person.search", "person", None)
            .await?;
        let q = self.search_query(&scope, text)?;
        let list = if q.is_empty() {
            Vec::new()
        } else {
            self.store.search_persons(&q).await?
        };
        self.store
            .append_audit(
                AuditDraft::new(
                    &Principal::User(actor.clone()),
                    "person.search",
                    "person",
                    None,
                )
                .detail(json!({"q": text, "results": list.len()})),
            )
            .await?;
        Ok(list)
    }

    // ---- Audit ---------------------------------------------------------------------------

    /// Walk the whole audit chain and report the first bad entry. Run by `nigehban audit verify`.
    pub async fn verify_audit(&self) -> Result<VerifyReport, CoreError> {
        let mut v = ChainVerifier::new();
        let mut after = 0;
        loop {
            let page = self.store.audit_page(after, 5000).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            for e in &page {
                if !v.feed(e) {
                    break;
                }
            }
        }
        let (head_seq, head_hash) = self.store.audit_head().await?;
        Ok(v.finish(head_seq, &head_hash))
    }

    /// How many cases and persons the system holds: aggregate figures any signed-in user may see.
    pub async fn totals(&self, _actor: &Actor) -> Result<(i64, i64), CoreError> {
        Ok((
            self.store.count_cases().await?,
            self.store.count_persons().await?,
        ))
    }

    /// The newest audit entries, newest last, for auditors and administrators.
    pub async fn latest_audit(
        &self,
        actor: &Actor,
        limit: i64,
    ) -> Result<Vec<crate::audit::AuditEntry>, CoreError> {
        self.authorize(actor, Action::ReadAudit, "audit.read", "audit", None)
            .await?;
        let (head, _) = self.store.audit_head().await?;
        let limit = limit.clamp(1, 1000);
        let list = self.store.audit_page((head - limit).max(0), limit).await?;
        self.store
            .append_audit(AuditDraft::new(
                &Principal::User(actor.clone()),
                "audit.read",
                "audit",
                None,
            ))
            .await?;
        Ok(list)
    }

    /// Recent audit entries, for auditors and administrators.
    pub async fn audit_entries(
        &self,
        actor: &Actor,
        after: i64,
        limit: i64,
    ) -> Result<Vec<crate::audit::AuditEntry>, CoreError> {
        self.authorize(actor, Action::ReadAudit, "audit.read", "audit", None)
            .await?;
        let list = self.store.audit_page(after, limit.clamp(1, 1000)).await?;
        self.store
            .append_audit(AuditDraft::new(
                &Principal::User(actor.clone()),
                "audit.read",
                "audit",
                None,
            ))
            .await?;
        Ok(list)
    }

    /// Write a pre-built batch (synthetic data) as the system principal, audited once per batch.
    pub async fn bulk_load(&self, by: &Principal, batch: &BulkBatch) -> Result<(), CoreError> {
        let draft = AuditDraft::new(by, "bulk.load", "batch", None)
            .detail(json!({"persons": batch.persons.len(), "cases": batch.cases.len()}));
        self.store.bulk_insert(batch, draft).await?;
        Ok(())
    }
}

fn p_kind() -> nigehban_domain::identifiers::IdentifierKind {
    nigehban_domain::identifiers::IdentifierKind::Passport
}

fn person_visible(p: &PersonDetail, agency: &str) -> bool {
    p.agency == agency || p.cases.iter().any(|c| c.agency == agency)
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
