//! Cases: registering, reading, searching, moving, and who else may see them (assignment, shares,
//! court seals).

use super::*;
use crate::policy::{CaseAccess, ShareParts};
use nigehban_domain::person::pseudonym;

/// Longest a share may run before it must be renewed.
pub const SHARE_MAX_DAYS: i64 = 365;

/// A case as the actor may see it: the detail (persons removed or pseudonymised as the access
/// requires), what the actor may do with it, and its shares (for the owner).
#[derive(Debug, Clone)]
pub struct CaseView {
    pub detail: CaseDetail,
    pub access: CaseAccess,
    pub shares: Vec<ShareRecord>,
}

/// A request to share a case with another unit (by code) or a whole agency (by code).
#[derive(Debug, Clone, Default)]
pub struct ShareInput {
    pub to_unit: Option<String>,
    pub to_agency: Option<String>,
    pub parts: Option<String>,
    pub reason: Option<String>,
    /// YYYY-MM-DD, the last day the share is valid.
    pub until: Option<String>,
}

pub(super) fn now_micros() -> i64 {
    Utc::now().timestamp_micros()
}

impl Nigehban {
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
        let draft = AuditDraft::new(&Principal::User(actor.clone()), "case.create", "case", Some(new.id.to_string())).detail(
            json!({"crime_types": new.case.crime_types.iter().map(|c| c.as_str()).collect::<Vec<_>>(), "provisions": new.case.provisions}),
        );
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

    /// The actor's access to a case. A case they may not see is `NotFound` (and the attempt audited
    /// as denied), so ids from elsewhere reveal nothing.
    pub(super) async fn case_access(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: CaseId,
        action: &str,
    ) -> Result<CaseAccess, CoreError> {
        let access = match self.store.case_relation(id, scope, now_micros()).await? {
            Some(rel) => CaseAccess::decide(scope, &rel),
            None => {
                return Err(self
                    .deny(
                        actor,
                        action,
                        "case",
                        Some(id.to_string()),
                        CoreError::NotFound,
                    )
                    .await)
            }
        };
        if !access.see {
            return Err(self
                .deny(
                    actor,
                    action,
                    "case",
                    Some(id.to_string()),
                    CoreError::NotFound,
                )
                .await);
        }
        Ok(access)
    }

    /// Load a case the actor may see; the reading is audited.
    pub async fn view_case(&self, actor: &Actor, id: CaseId) -> Result<CaseView, CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::ViewCases,
                "case.view",
                "case",
                Some(id.to_string()),
            )
            .await?;
        let access = self.case_access(actor, &scope, id, "case.view").await?;
        let mut detail = self
            .store
            .case_detail(id)
            .await?
            .ok_or(CoreError::NotFound)?;
        // Persons sealed by court order are left out for everyone the order does not name.
        let sealed = self.store.sealed_persons_of_case(id, actor.user_id).await?;
        detail.persons.retain(|p| !sealed.contains(&p.person_id));
        if !access.persons {
            detail.persons.clear();
        } else {
            for p in detail.persons.iter_mut() {
                let protected = p.role.role.is_protected();
                if access.deidentified
                    || (protected
                        && !self
                            .store
                            .has_active_reveal(p.person_id, actor.user_id, now_micros())
                            .await?)
                {
                    p.name_roman = Some(pseudonym(p.person_id));
                    p.name_urdu = None;
                    p.pseudonymised = true;
                }
            }
        }
        if access.deidentified {
            detail.narrative = None;
        }
        let shares = if access.own {
            self.store.case_shares(id).await?
        } else {
            Vec::new()
        };
        let draft = AuditDraft::new(&Principal::User(actor.clone()), "case.view", "case", Some(id.to_string()))
            .detail(json!({"number": detail.summary.number.to_string(), "persons": access.persons, "deidentified": access.deidentified}));
        self.store.append_audit(draft).await?;
        Ok(CaseView {
            detail,
            access,
            shares,
        })
    }

    /// Cases the actor sees, newest first.
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
            .recent_cases(&scope, now_micros(), limit.clamp(1, 200))
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
    pub(super) fn search_query(&self, scope: &Scope, text: &str) -> Result<SearchQuery, CoreError> {
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
            scope: scope.clone(),
            now: now_micros(),
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
                    .detail(json!({"q": crate::audit::redact_query(text), "results": list.len()})),
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
    ) -> Result<CaseView, CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::MoveCaseStage,
                "case.transition",
                "case",
                Some(id.to_string()),
            )
            .await?;
        let access = self
            .case_access(actor, &scope, id, "case.transition")
            .await?;
        if !access.mov {
            return Err(self
                .deny(
                    actor,
                    "case.transition",
                    "case",
                    Some(id.to_string()),
                    CoreError::Forbidden("move-case-stage"),
                )
                .await);
        }
        let t = input.validate(today())?;
        let detail = self
            .store
            .case_detail(id)
            .await?
            .ok_or(CoreError::NotFound)?;
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
        self.view_case(actor, id).await
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
        let access = self
            .case_access(actor, &scope, case_id, "case.add_person")
            .await?;
        if !access.work {
            return Err(self
                .deny(
                    actor,
                    "case.add_person",
                    "case",
                    Some(case_id.to_string()),
                    CoreError::Forbidden("add-person"),
                )
                .await);
        }
        let mut errs = ValidationErrors::new();
        let role = CaseRole::parse(role, chain_role)
            .map_err(|e| errs.0.extend(e.0))
            .ok();
        let target = match person {
            PersonRef::Existing(pid) => {
                // The person must be open to the actor through some case too.
                self.person_access(actor, &scope, pid, "case.add_person")
                    .await?;
                Some(LinkTarget::Existing(pid))
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
        let (Some(role), Some(target)) = (role, target) else {
            return Err(errs.into());
        };
        if !errs.is_empty() {
            return Err(errs.into());
        }
        if let LinkTarget::Existing(pid) = &target {
            let detail = self
                .store
                .case_detail(case_id)
                .await?
                .ok_or(CoreError::NotFound)?;
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
        let draft = AuditDraft::new(&Principal::User(actor.clone()), "case.add_person", "case", Some(case_id.to_string())).detail(json!({
            "link": link_id.to_string(), "role": role.role.as_str(), "chain_role": role.chain_role.map(|c| c.as_str()),
            "new_person": matches!(target, LinkTarget::New(_))
        }));
        let is_new = matches!(target, LinkTarget::New(_));
        let pid = self
            .store
            .link_person(case_id, link_id, &target, role, Utc::now(), draft)
            .await?;
        let principal = Principal::User(actor.clone());
        if is_new {
            self.link_arrivals(&principal, &[pid]).await;
        } else if let Err(e) = self
            .scan_agent_links(&principal, &actor.agency, Some(&[pid]))
            .await
        {
            tracing::warn!(error = %e, "agent-link scan failed");
        }
        Ok(pid)
    }

    // ---- Who else sees a case -------------------------------------------------------------

    async fn owned_case(
        &self,
        actor: &Actor,
        action: Action,
        name: &str,
        id: CaseId,
    ) -> Result<(), CoreError> {
        let scope = self
            .authorize(actor, action, name, "case", Some(id.to_string()))
            .await?;
        let access = self.case_access(actor, &scope, id, name).await?;
        if !access.own {
            return Err(self
                .deny(
                    actor,
                    name,
                    "case",
                    Some(id.to_string()),
                    CoreError::Forbidden("not-case-owner"),
                )
                .await);
        }
        Ok(())
    }

    /// Share a case with another unit or agency, for a stated reason, until a date.
    pub async fn share_case(
        &self,
        actor: &Actor,
        id: CaseId,
        input: &ShareInput,
    ) -> Result<ShareRecord, CoreError> {
        self.owned_case(actor, Action::ShareCase, "case.share", id)
            .await?;
        let mut errs = ValidationErrors::new();
        let blank = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        let (to_unit, to_agency) = match (blank(&input.to_unit), blank(&input.to_agency)) {
            (Some(code), None) => match self.store.unit_by_code(&code).await? {
                Some(u) if u.id != actor.unit_id => (Some(u), None),
                Some(_) => {
                    errs.add("to_unit", Problem::Duplicate { value: code });
                    (None, None)
                }
                None => {
                    errs.add("to_unit", Problem::UnknownCode { value: code });
                    (None, None)
                }
            },
            (None, Some(code)) => {
                if self.refdata.agency(&code).is_none() {
                    errs.add(
                        "to_agency",
                        Problem::UnknownCode {
                            value: code.clone(),
                        },
                    );
                }
                (None, Some(code))
            }
            (Some(_), Some(_)) => {
                errs.add(
                    "to_agency",
                    Problem::Duplicate {
                        value: "to_unit+to_agency".into(),
                    },
                );
                (None, None)
            }
            (None, None) => {
                errs.add("to_unit", Problem::Required);
                (None, None)
            }
        };
        let parts = match blank(&input.parts) {
            None => Some(ShareParts::Summary),
            Some(p) => errs.take(
                "parts",
                ShareParts::parse(&p).ok_or(Problem::UnknownCode { value: p.clone() }),
            ),
        };
        let reason = errs.take(
            "reason",
            nigehban_domain::error::required_text(input.reason.as_deref(), 500),
        );
        if reason.as_ref().is_some_and(|r| r.chars().count() < 10) {
            errs.add("reason", Problem::TooShort { min: 10 });
        }
        let now = Utc::now();
        let until = match blank(&input.until) {
            None => {
                errs.add("until", Problem::Required);
                None
            }
            Some(d) => match nigehban_domain::person::parse_date(&d) {
                Ok(date) if date < now.date_naive() => {
                    errs.add("until", Problem::DateTooOld);
                    None
                }
                Ok(date) if date > (now + Duration::days(SHARE_MAX_DAYS)).date_naive() => {
                    errs.add(
                        "until",
                        Problem::TooLong {
                            max: SHARE_MAX_DAYS as usize,
                        },
                    );
                    None
                }
                Ok(date) => date.and_hms_opt(23, 59, 59).map(|t| t.and_utc()),
                Err(p) => {
                    errs.add("until", p);
                    None
                }
            },
        };
        let (Some(parts), Some(reason), Some(expires_at)) = (parts, reason, until) else {
            return Err(errs.into());
        };
        if !errs.is_empty() {
            return Err(errs.into());
        }
        let share = ShareRecord {
            id: uuid::Uuid::now_v7().to_string(),
            case_id: id,
            to_unit_id: to_unit.as_ref().map(|u| u.id),
            to_unit_code: to_unit.as_ref().map(|u| u.code.clone()),
            to_agency,
            parts,
            reason,
            expires_at,
            created_by: actor.username.clone(),
            created_at: now,
            revoked_by: None,
            revoked_at: None,
        };
        let draft = AuditDraft::new(&Principal::User(actor.clone()), "case.share", "case", Some(id.to_string())).detail(json!({
            "share": share.id, "to_unit": share.to_unit_code, "to_agency": share.to_agency, "parts": parts.as_str(),
            "reason": share.reason, "expires_at": share.expires_at.to_rfc3339()
        }));
        self.store.insert_share(&share, draft).await?;
        Ok(share)
    }

    /// Revoke a share at once.
    pub async fn revoke_share(
        &self,
        actor: &Actor,
        id: CaseId,
        share_id: &str,
    ) -> Result<(), CoreError> {
        self.owned_case(actor, Action::ShareCase, "case.unshare", id)
            .await?;
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            "case.unshare",
            "case",
            Some(id.to_string()),
        )
        .detail(json!({"share": share_id}));
        if self
            .store
            .revoke_share(id, share_id, &actor.username, Utc::now(), draft)
            .await?
        {
            Ok(())
        } else {
            Err(CoreError::NotFound)
        }
    }

    /// Assign a case of the supervisor's unit to a user of the same agency.
    pub async fn assign_case(
        &self,
        actor: &Actor,
        id: CaseId,
        username: &str,
    ) -> Result<(), CoreError> {
        self.owned_case(actor, Action::AssignCase, "case.assign", id)
            .await?;
        let user = match self
            .store
            .user_by_username(&username.trim().to_ascii_lowercase())
            .await?
        {
            Some(u) if u.agency == actor.agency && u.active => u,
            _ => {
                return Err(ValidationErrors::single(
                    "username",
                    Problem::UnknownCode {
                        value: username.to_string(),
                    },
                )
                .into())
            }
        };
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            "case.assign",
            "case",
            Some(id.to_string()),
        )
        .detail(json!({"user": user.username}));
        match self
            .store
            .assign_case(id, user.id, actor.user_id, Utc::now(), draft)
            .await
        {
            Ok(()) => Ok(()),
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

    /// Seal a case by court order: from now on only the named users (and the sealing supervisor)
    /// see it; everyone else gets "not found".
    pub async fn seal_case(
        &self,
        actor: &Actor,
        id: CaseId,
        order_ref: &str,
        named: &[String],
    ) -> Result<(), CoreError> {
        self.owned_case(actor, Action::SealRecord, "case.seal", id)
            .await?;
        self.seal_record(actor, "case", &id.to_string(), order_ref, named)
            .await
    }

    /// Seal a record by court order (after the caller checked ownership): the order reference is
    /// required, the named users must exist, and the sealing user is always named.
    pub(super) async fn seal_record(
        &self,
        actor: &Actor,
        kind: &'static str,
        id: &str,
        order_ref: &str,
        named: &[String],
    ) -> Result<(), CoreError> {
        let order = nigehban_domain::error::required_text(Some(order_ref), 200)
            .map_err(|p| ValidationErrors::single("order_ref", p))?;
        let mut users = vec![actor.user_id];
        for name in named.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            match self
                .store
                .user_by_username(&name.to_ascii_lowercase())
                .await?
            {
                Some(u) if !users.contains(&u.id) => users.push(u.id),
                Some(_) => {}
                None => {
                    return Err(ValidationErrors::single(
                        "named",
                        Problem::UnknownCode {
                            value: name.to_string(),
                        },
                    )
                    .into())
                }
            }
        }
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            &format!("{kind}.seal"),
            kind,
            Some(id.to_string()),
        )
        .detail(json!({"order": order, "named": users.len()}));
        let order = SealOrder {
            kind,
            id: id.to_string(),
            order_ref: order,
            named: users,
            by: actor.user_id,
            at: Utc::now(),
        };
        self.store.seal(&order, draft).await?;
        Ok(())
    }
}
