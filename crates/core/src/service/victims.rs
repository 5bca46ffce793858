//! Victim protection: the service directory, identification and needs, consent, referrals to
//! providers and their answers, the case plan and follow-up, cooperation with prosecution, and
//! the managers' measures.
//!
//! Need-to-know is decided here, never in handlers. A protection file belongs to the unit that
//! identified the person: its intake officers, investigators and supervisors work on it, and to
//! everyone else it is `NotFound` (audited as denied). A provider's users (NGO case workers of the
//! provider's unit) see only referrals to their own organisation, and of each only
//! [`SharedField`]s built here from the fields the person consented to share with that provider
//! for service delivery *now*: a withdrawn consent stops sharing at the next read. Nothing in a
//! provider's view names a suspect, another person of the case, or the case itself.

use super::*;
use crate::victims_store::*;
use nigehban_domain::ids::IntakeEntryId;
use nigehban_domain::person::pseudonym;
use nigehban_domain::victims::*;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

const LIST_LIMIT: i64 = 500;

fn principal(actor: &Actor) -> Principal {
    Principal::User(actor.clone())
}

fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A directory entry with what the reader may do with it.
#[derive(Debug, Clone, Serialize)]
pub struct ProviderView {
    pub record: ProviderRecord,
    /// Places free now (capacity-limited services), when the provider keeps a count.
    pub free_places: Option<u32>,
    pub unit_code: Option<String>,
    pub can_edit: bool,
}

/// Filters of the directory search: by need (service) and place (district), and words of a name.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct DirectoryQuery {
    pub service: Option<String>,
    pub district: Option<String>,
    pub q: Option<String>,
}

/// One field as shared with a provider.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SharedValue {
    Text {
        text: String,
    },
    /// A code of a closed set (`prefix` names the set, for its label).
    Code {
        prefix: String,
        code: String,
    },
    Codes {
        prefix: String,
        codes: Vec<String>,
    },
    /// Needs answers of one area, and its note.
    Answers {
        answers: Vec<(String, Answer)>,
        note: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharedField {
    pub field: String,
    pub value: SharedValue,
}

/// A referral as one side sees it.
#[derive(Debug, Clone, Serialize)]
pub struct ReferralView {
    pub record: ReferralRecord,
    /// The person as the provider knows her: a pseudonym, and the name only if consented.
    pub label: String,
    /// What the provider sees of the person: consented fields only.
    pub shared: Vec<SharedField>,
    /// Fields asked for whose consent is no longer active (withdrawn): not shared.
    pub withheld: Vec<String>,
    pub events: Vec<ReferralEvent>,
    pub services: Vec<ServiceRecord>,
    pub overdue: bool,
    /// The reader is the provider's side (may answer), not the referrer's.
    pub provider_side: bool,
    pub can_respond: bool,
    pub can_record_service: bool,
    pub can_close: bool,
    pub can_cancel: bool,
}

/// A referral in a list, with its overdue flag.
#[derive(Debug, Clone, Serialize)]
pub struct ReferralRow {
    pub record: ReferralRecord,
    pub label: String,
    pub overdue: bool,
}

/// A protection file with everything its unit sees.
#[derive(Debug, Clone, Serialize)]
pub struct VictimFileView {
    pub file: VictimFileRecord,
    pub label: String,
    pub sex: nigehban_domain::person::Sex,
    pub age: Option<u32>,
    pub nationality: Option<String>,
    pub origin_district: Option<String>,
    pub consents: Vec<ConsentRecord>,
    pub referrals: Vec<ReferralRow>,
    pub plan: Vec<PlanItemRecord>,
    pub providers: Vec<ProviderRecord>,
}

/// What an investigator or prosecutor sees of the support a person (a witness) has.
#[derive(Debug, Clone, Serialize)]
pub struct SupportView {
    pub file_id: String,
    pub unit_code: String,
    pub phase: ProtectionPhase,
    pub minor: bool,
    pub cooperation: Option<Cooperation>,
    /// Services delivered, by type.
    pub services: Vec<String>,
    pub open_referrals: usize,
    /// The reader's own unit holds the file (may open it).
    pub own: bool,
}

/// A file in the unit's list.
#[derive(Debug, Clone, Serialize)]
pub struct FileRow {
    pub file: VictimFileRecord,
    pub label: String,
    pub open_referrals: usize,
    pub overdue: usize,
}

/// Counts for managers: one table per measure, as (key, value) rows.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Measures {
    pub agency: String,
    /// Open files per case worker.
    pub caseload: Vec<(String, u64)>,
    /// Days from identification to the first service delivered: files served, median, mean.
    pub first_service_files: u64,
    pub first_service_median_days: Option<f64>,
    pub first_service_mean_days: Option<f64>,
    pub files_without_service: u64,
    pub referrals_by_status: Vec<(String, u64)>,
    /// Referrals per provider and status.
    pub referrals_by_provider: Vec<(String, String, u64)>,
    pub overdue: u64,
    pub services_by_type: Vec<(String, u64)>,
    pub file_closures: Vec<(String, u64)>,
    pub referral_closures: Vec<(String, u64)>,
}

fn count<K: Ord>(items: impl Iterator<Item = K>) -> BTreeMap<K, u64> {
    let mut m = BTreeMap::new();
    for k in items {
        *m.entry(k).or_insert(0) += 1;
    }
    m
}

fn stale() -> CoreError {
    CoreError::Conflict("stale".into())
}

impl Nigehban {
    // --------------------------------------------------------------------------------------------
    // The directory
    // --------------------------------------------------------------------------------------------

    async fn provider_view(
        &self,
        actor: &Actor,
        record: ProviderRecord,
        units: &[Unit],
    ) -> ProviderView {
        let unit_code = record
            .unit_id
            .and_then(|u| units.iter().find(|x| x.id == u))
            .map(|u| u.code.clone());
        let free_places = record.provider.capacity.map(|c| {
            record
                .provider
                .available
                .unwrap_or(c)
                .min(c.saturating_sub(record.places_taken))
        });
        ProviderView {
            can_edit: self.may_edit_provider(actor, record.unit_id),
            free_places,
            unit_code,
            record,
        }
    }

    /// Liaison officers edit any entry; an organisation's own users edit its entries only.
    fn may_edit_provider(&self, actor: &Actor, unit: Option<UnitId>) -> bool {
        authorize(actor, Action::ManageDirectory).is_ok()
            && (actor.role != UserRole::NgoCaseWorker || unit == Some(actor.unit_id))
    }

    /// The directory, searchable by service and district (and words of the name).
    pub async fn directory(
        &self,
        actor: &Actor,
        q: &DirectoryQuery,
    ) -> Result<Vec<ProviderView>, CoreError> {
        self.authorize(
            actor,
            Action::ViewDirectory,
            "directory.view",
            "provider",
            None,
        )
        .await?;
        let units = self.store.units().await?;
        let words: Vec<String> =
            q.q.as_deref()
                .map(|t| {
                    t.split_whitespace()
                        .map(|w| w.to_lowercase())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default();
        let service = q.service.as_deref().filter(|s| !s.is_empty());
        let district = q.district.as_deref().filter(|s| !s.is_empty());
        let mut out = Vec::new();
        for p in self.store.providers().await? {
            let v = &p.provider;
            if service.is_some_and(|s| !v.offers(s))
                || district.is_some_and(|d| !v.serves_district(d))
                || !words
                    .iter()
                    .all(|w| v.name.to_lowercase().contains(w.as_str()))
            {
                continue;
            }
            out.push(self.provider_view(actor, p, &units).await);
        }
        out.sort_by(|a, b| a.record.provider.name.cmp(&b.record.provider.name));
        Ok(out)
    }

    pub async fn provider(&self, actor: &Actor, id: &str) -> Result<ProviderView, CoreError> {
        self.authorize(
            actor,
            Action::ViewDirectory,
            "directory.view",
            "provider",
            Some(id.to_string()),
        )
        .await?;
        let Some(p) = self.store.provider(id).await? else {
            return Err(self
                .deny(
                    actor,
                    "directory.view",
                    "provider",
                    Some(id.to_string()),
                    CoreError::NotFound,
                )
                .await);
        };
        let units = self.store.units().await?;
        Ok(self.provider_view(actor, p, &units).await)
    }

    /// Add a directory entry (`id` none) or change one, provided it is still at `version`.
    pub async fn save_provider(
        &self,
        actor: &Actor,
        id: Option<&str>,
        input: &ProviderInput,
        version: i64,
    ) -> Result<String, CoreError> {
        let action = if id.is_some() {
            "directory.update"
        } else {
            "directory.add"
        };
        self.authorize(
            actor,
            Action::ManageDirectory,
            action,
            "provider",
            id.map(str::to_string),
        )
        .await?;
        let existing = match id {
            Some(i) => match self.store.provider(i).await? {
                Some(p) if self.may_edit_provider(actor, p.unit_id) => Some(p),
                _ => {
                    return Err(self
                        .deny(
                            actor,
                            action,
                            "provider",
                            Some(i.to_string()),
                            CoreError::NotFound,
                        )
                        .await)
                }
            },
            None => None,
        };
        let mut errs = ValidationErrors::new();
        let validated = match input.validate(&self.refdata) {
            Ok(v) => Some(v),
            Err(e) => {
                errs = e;
                None
            }
        };
        // An organisation's own users keep their entries tied to their unit.
        let unit_code = if actor.role == UserRole::NgoCaseWorker {
            Some(actor.unit_code.clone())
        } else {
            input
                .unit_code
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_string)
        };
        let unit_id = match &unit_code {
            None => None,
            Some(c) => match self.store.unit_by_code(c).await? {
                Some(u) => Some(u.id),
                None => {
                    errs.add("unit_code", Problem::UnknownCode { value: c.clone() });
                    None
                }
            },
        };
        let Some(mut provider) = validated.filter(|_| errs.is_empty()) else {
            return Err(CoreError::Invalid(errs));
        };
        provider.unit_code = unit_code;
        let at = Utc::now();
        match existing {
            None => {
                let pid = new_id();
                let audit =
                    AuditDraft::new(&principal(actor), action, "provider", Some(pid.clone()))
                        .detail(json!({"name": provider.name, "services": provider.services}));
                self.store
                    .insert_provider(
                        &NewProvider {
                            id: pid.clone(),
                            provider,
                            unit_id,
                            by: actor.user_id,
                            at,
                        },
                        audit,
                    )
                    .await?;
                Ok(pid)
            }
            Some(p) => {
                let audit =
                    AuditDraft::new(&principal(actor), action, "provider", Some(p.id.clone()))
                        .detail(
                            json!({"services": provider.services, "available": provider.available}),
                        );
                if !self
                    .store
                    .update_provider(&p.id, &provider, unit_id, version, at, audit)
                    .await?
                {
                    return Err(stale());
                }
                Ok(p.id)
            }
        }
    }

    // --------------------------------------------------------------------------------------------
    // Protection files
    // --------------------------------------------------------------------------------------------

    /// Identify a person received in one of the unit's intake batches as a victim. Returns the
    /// file (the one the unit already has, if any).
    pub async fn identify_at_intake(
        &self,
        actor: &Actor,
        entry: IntakeEntryId,
    ) -> Result<String, CoreError> {
        let action = "victim.identify";
        self.authorize(
            actor,
            Action::ProtectVictims,
            action,
            "intake_entry",
            Some(entry.to_string()),
        )
        .await?;
        let found = match self.store.entry(entry).await? {
            Some(e) => match self.store.batch(e.batch_id).await? {
                Some(b) if b.unit_id == actor.unit_id => Some(e),
                _ => None,
            },
            None => None,
        };
        let Some(e) = found else {
            return Err(self
                .deny(
                    actor,
                    action,
                    "intake_entry",
                    Some(entry.to_string()),
                    CoreError::NotFound,
                )
                .await);
        };
        self.identify(
            actor,
            e.person_id,
            IdentificationSource::Intake,
            Some(entry.to_string()),
        )
        .await
    }

    /// Identify a person the actor may see (in a case, or reported by an NGO) as a victim.
    pub async fn identify_person(
        &self,
        actor: &Actor,
        person: PersonId,
        source: &str,
    ) -> Result<String, CoreError> {
        let action = "victim.identify";
        let scope = self
            .authorize(
                actor,
                Action::ProtectVictims,
                action,
                "person",
                Some(person.to_string()),
            )
            .await?;
        let source = match IdentificationSource::parse(source) {
            Some(s) if s != IdentificationSource::Intake => s,
            _ => {
                return Err(CoreError::Invalid(ValidationErrors::single(
                    "source",
                    Problem::UnknownCode {
                        value: source.to_string(),
                    },
                )))
            }
        };
        self.person_access(actor, &scope, person, action).await?;
        self.identify(actor, person, source, None).await
    }

    async fn identify(
        &self,
        actor: &Actor,
        person: PersonId,
        source: IdentificationSource,
        intake_entry: Option<String>,
    ) -> Result<String, CoreError> {
        if let Some(existing) = self.store.victim_file_of(person, actor.unit_id).await? {
            return Ok(existing);
        }
        let detail = self
            .store
            .person_detail(person)
            .await?
            .ok_or(CoreError::NotFound)?;
        let minor = detail
            .person
            .age
            .is_minor_on(Utc::now().date_naive())
            .unwrap_or(false);
        let case_id = detail.cases.first().map(|c| c.case_id);
        let id = new_id();
        let audit = AuditDraft::new(
            &principal(actor),
            "victim.identify",
            "victim_file",
            Some(id.clone()),
        )
        .detail(json!({"person": person.to_string(), "source": source.as_str(), "minor": minor}));
        self.store
            .insert_victim_file(
                &NewVictimFile {
                    id: id.clone(),
                    person_id: person,
                    unit_id: actor.unit_id,
                    agency: actor.agency.clone(),
                    source,
                    intake_entry,
                    case_id,
                    minor,
                    by: actor.user_id,
                    at: Utc::now(),
                },
                audit,
            )
            .await?;
        Ok(id)
    }

    /// The unit's own file, or `NotFound` (audited as denied).
    async fn own_file(
        &self,
        actor: &Actor,
        id: &str,
        action: &str,
    ) -> Result<VictimFileRecord, CoreError> {
        self.authorize(
            actor,
            Action::ProtectVictims,
            action,
            "victim_file",
            Some(id.to_string()),
        )
        .await?;
        match self.store.victim_file(id).await? {
            Some(f) if f.unit_id == actor.unit_id => Ok(f),
            _ => Err(self
                .deny(
                    actor,
                    action,
                    "victim_file",
                    Some(id.to_string()),
                    CoreError::NotFound,
                )
                .await),
        }
    }

    fn overdue(&self, r: &ReferralRecord, now: DateTime<Utc>) -> bool {
        is_overdue(
            r.status,
            r.sent_at,
            now,
            self.refdata.victims.response_hours(&r.service),
        )
    }

    /// The unit's protection files, newest first.
    pub async fn victim_files(&self, actor: &Actor) -> Result<Vec<FileRow>, CoreError> {
        self.authorize(
            actor,
            Action::ProtectVictims,
            "victim.list",
            "victim_file",
            None,
        )
        .await?;
        let files = self
            .store
            .victim_files(&actor.agency, Some(actor.unit_id), LIST_LIMIT)
            .await?;
        let referrals = self
            .store
            .referrals_from(&actor.agency, Some(actor.unit_id), 10 * LIST_LIMIT)
            .await?;
        let now = Utc::now();
        let rows = files
            .into_iter()
            .map(|f| {
                let mine: Vec<&ReferralRecord> =
                    referrals.iter().filter(|r| r.file_id == f.id).collect();
                FileRow {
                    label: pseudonym(f.person_id),
                    open_referrals: mine.iter().filter(|r| r.status.open()).count(),
                    overdue: mine.iter().filter(|r| self.overdue(r, now)).count(),
                    file: f,
                }
            })
            .collect();
        self.store
            .append_audit(AuditDraft::new(
                &principal(actor),
                "victim.list",
                "victim_file",
                None,
            ))
            .await?;
        Ok(rows)
    }

    pub async fn view_victim_file(
        &self,
        actor: &Actor,
        id: &str,
    ) -> Result<VictimFileView, CoreError> {
        let file = self.own_file(actor, id, "victim.view").await?;
        let person = self
            .store
            .person_detail(file.person_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let now = Utc::now();
        let referrals = self
            .store
            .referrals_of_file(id)
            .await?
            .into_iter()
            .map(|r| ReferralRow {
                label: pseudonym(r.person_id),
                overdue: self.overdue(&r, now),
                record: r,
            })
            .collect();
        let view = VictimFileView {
            label: pseudonym(file.person_id),
            sex: person.person.sex,
            age: person.person.age.age_on(now.date_naive()),
            nationality: person.person.nationality_claimed.clone(),
            origin_district: person.person.origin_district.clone(),
            consents: self.store.consents(id).await?,
            referrals,
            plan: self.store.plan_items(id).await?,
            providers: self.store.providers().await?,
            file,
        };
        self.store
            .append_audit(AuditDraft::new(
                &principal(actor),
                "victim.view",
                "victim_file",
                Some(id.to_string()),
            ))
            .await?;
        Ok(view)
    }

    async fn change_file(
        &self,
        actor: &Actor,
        file: &VictimFileRecord,
        action: &str,
        change: FileChange,
        detail: serde_json::Value,
    ) -> Result<(), CoreError> {
        let audit = AuditDraft::new(
            &principal(actor),
            action,
            "victim_file",
            Some(file.id.clone()),
        )
        .detail(detail);
        if self
            .store
            .change_victim_file(&file.id, file.version, &change, audit)
            .await?
        {
            Ok(())
        } else {
            Err(stale())
        }
    }

    /// Record the needs assessment (safety, health, legal status, family, debts, wishes).
    pub async fn save_needs(
        &self,
        actor: &Actor,
        id: &str,
        input: &NeedsInput,
    ) -> Result<(), CoreError> {
        let file = self.own_file(actor, id, "victim.needs").await?;
        let assessment = input.validate(&self.refdata)?;
        let minor = file.minor || assessment.presumed_minor;
        let answered = assessment.answers.len();
        self.change_file(
            actor,
            &file,
            "victim.needs",
            FileChange::Assessment { assessment, minor },
            json!({"answered": answered, "minor": minor}),
        )
        .await
    }

    pub async fn save_cooperation(
        &self,
        actor: &Actor,
        id: &str,
        input: &CooperationInput,
    ) -> Result<(), CoreError> {
        let file = self.own_file(actor, id, "victim.cooperation").await?;
        let c = input.validate(&self.refdata, Utc::now().date_naive())?;
        let detail = json!({"willing": c.willing_to_testify.map(|w| w.as_str()), "requested": c.requested, "granted": c.granted});
        self.change_file(
            actor,
            &file,
            "victim.cooperation",
            FileChange::Cooperation(c),
            detail,
        )
        .await
    }

    pub async fn set_phase(&self, actor: &Actor, id: &str, phase: &str) -> Result<(), CoreError> {
        let file = self.own_file(actor, id, "victim.phase").await?;
        let phase = match ProtectionPhase::parse(phase) {
            Some(p) if p != ProtectionPhase::Closed => p,
            _ => {
                return Err(CoreError::Invalid(ValidationErrors::single(
                    "phase",
                    Problem::UnknownCode {
                        value: phase.to_string(),
                    },
                )))
            }
        };
        if file.closed_at.is_some() {
            return Err(CoreError::Conflict("file-closed".into()));
        }
        self.change_file(
            actor,
            &file,
            "victim.phase",
            FileChange::Phase(phase),
            json!({"phase": phase.as_str()}),
        )
        .await
    }

    pub async fn close_file(
        &self,
        actor: &Actor,
        id: &str,
        input: &CloseInput,
    ) -> Result<(), CoreError> {
        let file = self.own_file(actor, id, "victim.close").await?;
        let c = input.validate(&self.refdata.victims.file_closures)?;
        if file.closed_at.is_some() {
            return Err(CoreError::Conflict("file-closed".into()));
        }
        let detail = json!({"reason": c.reason});
        self.change_file(
            actor,
            &file,
            "victim.close",
            FileChange::Close {
                reason: c.reason,
                note: c.note,
                at: Utc::now(),
            },
            detail,
        )
        .await
    }

    // --------------------------------------------------------------------------------------------
    // Consent
    // --------------------------------------------------------------------------------------------

    /// Record consent to share the chosen fields with one recipient for one use.
    pub async fn grant_consent(
        &self,
        actor: &Actor,
        id: &str,
        input: &ConsentInput,
    ) -> Result<(), CoreError> {
        let file = self.own_file(actor, id, "consent.grant").await?;
        let mut c = input.validate(&self.refdata, file.minor);
        if let Ok(v) = &c {
            if self.store.provider(&v.provider).await?.is_none() {
                c = Err(ValidationErrors::single(
                    "provider",
                    Problem::UnknownCode {
                        value: v.provider.clone(),
                    },
                ));
            }
        }
        let c = c?;
        let existing = self.store.consents(id).await?;
        let new: Vec<NewConsent> = c
            .fields
            .iter()
            .filter(|f| {
                !existing.iter().any(|e| {
                    e.active()
                        && &e.field == *f
                        && e.provider_id == c.provider
                        && e.purpose == c.purpose
                })
            })
            .map(|f| NewConsent {
                id: new_id(),
                provider_id: c.provider.clone(),
                purpose: c.purpose.clone(),
                field: f.clone(),
                given_by: c.given_by.clone(),
                giver_name: c.giver_name.clone(),
            })
            .collect();
        if new.is_empty() {
            return Ok(());
        }
        let audit = AuditDraft::new(&principal(actor), "consent.grant", "victim_file", Some(id.to_string()))
            .detail(json!({"provider": c.provider, "purpose": c.purpose, "fields": c.fields, "given_by": c.given_by}));
        self.store
            .insert_consents(id, &new, actor.user_id, Utc::now(), audit)
            .await?;
        Ok(())
    }

    /// Withdraw one consent: from this moment the field is no longer shown to the recipient.
    pub async fn withdraw_consent(
        &self,
        actor: &Actor,
        id: &str,
        consent: &str,
    ) -> Result<(), CoreError> {
        self.own_file(actor, id, "consent.withdraw").await?;
        let what = self
            .store
            .consents(id)
            .await?
            .into_iter()
            .find(|c| c.id == consent && c.active())
            .ok_or(CoreError::NotFound)?;
        let audit = AuditDraft::new(&principal(actor), "consent.withdraw", "victim_file", Some(id.to_string()))
            .detail(json!({"consent": consent, "provider": what.provider_id, "field": what.field, "purpose": what.purpose}));
        if self
            .store
            .withdraw_consent(id, consent, actor.user_id, Utc::now(), audit)
            .await?
        {
            Ok(())
        } else {
            Err(CoreError::NotFound)
        }
    }

    /// Fields with active consent for this provider and service delivery.
    fn consented(consents: &[ConsentRecord], provider: &str) -> BTreeSet<String> {
        consents
            .iter()
            .filter(|c| c.active() && c.provider_id == provider && c.purpose == SERVICE_DELIVERY)
            .map(|c| c.field.clone())
            .collect()
    }

    // --------------------------------------------------------------------------------------------
    // Referrals
    // --------------------------------------------------------------------------------------------

    /// Refer the person to a provider for a service, sharing only consented fields. Refused with
    /// every problem named: the service not offered, the district not served, the person outside
    /// whom the provider serves, no place free, a field without consent.
    pub async fn refer(
        &self,
        actor: &Actor,
        id: &str,
        input: &ReferralInput,
    ) -> Result<String, CoreError> {
        let file = self.own_file(actor, id, "referral.send").await?;
        if file.closed_at.is_some() {
            return Err(CoreError::Conflict("file-closed".into()));
        }
        let r = input.validate(&self.refdata)?;
        let Some(provider) = self.store.provider(&r.provider).await? else {
            return Err(CoreError::Invalid(ValidationErrors::single(
                "provider",
                Problem::UnknownCode {
                    value: r.provider.clone(),
                },
            )));
        };
        let person = self
            .store
            .person_detail(file.person_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let consents = self.store.consents(id).await?;
        let consented = Self::consented(&consents, &provider.id);
        let who = Eligibility {
            sex: person.person.sex,
            age: person.person.age.age_on(Utc::now().date_naive()),
            nationality: person.person.nationality_claimed.clone(),
            exploitation: file
                .assessment
                .as_ref()
                .map(|a| a.exploitation.clone())
                .unwrap_or_default(),
        };
        let problems = referral_problems(
            &r,
            &ReferralContext {
                provider: &provider.provider,
                places_taken: provider.places_taken,
                consented: &consented,
                person: &who,
            },
            &self.refdata,
        );
        if !problems.is_empty() {
            return Err(CoreError::Invalid(problems));
        }
        let rid = new_id();
        let audit = AuditDraft::new(&principal(actor), "referral.send", "referral", Some(rid.clone()))
            .detail(json!({"file": id, "provider": provider.id, "service": r.service, "district": r.district, "fields": r.fields}));
        self.store
            .insert_referral(
                &NewReferral {
                    id: rid.clone(),
                    file_id: id.to_string(),
                    provider_id: provider.id,
                    service: r.service,
                    district: r.district,
                    fields: r.fields,
                    urgent: r.urgent,
                    note: r.note,
                    by: actor.user_id,
                    unit_id: actor.unit_id,
                    at: Utc::now(),
                },
                audit,
            )
            .await?;
        Ok(rid)
    }

    /// Referrals the reader may see: from the own unit's files (referring side), or to the own
    /// organisation (provider side).
    pub async fn referrals(&self, actor: &Actor) -> Result<Vec<ReferralRow>, CoreError> {
        let list = if authorize(actor, Action::RespondToReferrals).is_ok() {
            self.store
                .referrals_to_unit(actor.unit_id, LIST_LIMIT)
                .await?
        } else {
            self.authorize(
                actor,
                Action::ProtectVictims,
                "referral.list",
                "referral",
                None,
            )
            .await?;
            self.store
                .referrals_from(&actor.agency, Some(actor.unit_id), LIST_LIMIT)
                .await?
        };
        let now = Utc::now();
        let mut rows = Vec::new();
        for r in list {
            // A provider's list names a person by pseudonym, or by name only if consented.
            let label = if r.provider_unit_id == Some(actor.unit_id) {
                self.provider_label(&r).await?
            } else {
                pseudonym(r.person_id)
            };
            rows.push(ReferralRow {
                overdue: self.overdue(&r, now),
                label,
                record: r,
            });
        }
        self.store
            .append_audit(AuditDraft::new(
                &principal(actor),
                "referral.list",
                "referral",
                None,
            ))
            .await?;
        Ok(rows)
    }

    async fn provider_label(&self, r: &ReferralRecord) -> Result<String, CoreError> {
        let consents = self.store.consents(&r.file_id).await?;
        let ok = Self::consented(&consents, &r.provider_id);
        let pseudo = pseudonym(r.person_id);
        if !(r.fields.iter().any(|f| f == "name") && ok.contains("name")) {
            return Ok(pseudo);
        }
        let Some(p) = self.store.person_detail(r.person_id).await? else {
            return Ok(pseudo);
        };
        Ok(p.person
            .name
            .roman
            .clone()
            .or(p.person.name.urdu.clone())
            .unwrap_or(pseudo))
    }

    /// Which side of a referral the actor is on, or `NotFound` (audited as denied).
    async fn referral_side(
        &self,
        actor: &Actor,
        id: &str,
        action: &str,
    ) -> Result<(ReferralRecord, bool), CoreError> {
        let provider_role = authorize(actor, Action::RespondToReferrals).is_ok();
        let referrer_role = authorize(actor, Action::ProtectVictims).is_ok();
        if !provider_role && !referrer_role {
            return Err(self
                .deny(
                    actor,
                    action,
                    "referral",
                    Some(id.to_string()),
                    CoreError::Forbidden("view-referrals"),
                )
                .await);
        }
        match self.store.referral(id).await? {
            Some(r) if provider_role && r.provider_unit_id == Some(actor.unit_id) => Ok((r, true)),
            Some(r) if referrer_role && r.file_unit_id == actor.unit_id => Ok((r, false)),
            _ => Err(self
                .deny(
                    actor,
                    action,
                    "referral",
                    Some(id.to_string()),
                    CoreError::NotFound,
                )
                .await),
        }
    }

    /// What a provider sees of the person of a referral: the fields asked for and consented now,
    /// each built from the record here. Nothing else of the person, her case, the suspects or the
    /// other persons of the case is read into it.
    async fn shared_fields(
        &self,
        r: &ReferralRecord,
    ) -> Result<(Vec<SharedField>, Vec<String>), CoreError> {
        let consents = self.store.consents(&r.file_id).await?;
        let ok = Self::consented(&consents, &r.provider_id);
        let file = self
            .store
            .victim_file(&r.file_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let person = self
            .store
            .person_detail(r.person_id)
            .await?
            .ok_or(CoreError::NotFound)?;
        let p = &person.person;
        let today = Utc::now().date_naive();
        let needs = file.assessment.unwrap_or_default();
        let mut shared = Vec::new();
        let mut withheld = Vec::new();
        for f in &r.fields {
            if !ok.contains(f) {
                withheld.push(f.clone());
                continue;
            }
            let text = |t: Option<String>| t.map(|text| SharedValue::Text { text });
            let value = match f.as_str() {
                "name" => text(
                    [p.name.roman.clone(), p.name.urdu.clone()]
                        .into_iter()
                        .flatten()
                        .reduce(|a, b| format!("{a} · {b}")),
                ),
                "parentage" => text(
                    [p.parentage.roman.clone(), p.parentage.urdu.clone()]
                        .into_iter()
                        .flatten()
                        .reduce(|a, b| format!("{a} · {b}")),
                ),
                "age" => text(p.age.age_on(today).map(|a| a.to_string())),
                "sex" => Some(SharedValue::Code {
                    prefix: "sex".into(),
                    code: p.sex.as_str().into(),
                }),
                "nationality" => p.nationality_claimed.clone().map(|c| SharedValue::Code {
                    prefix: "country".into(),
                    code: c,
                }),
                "origin_district" => p.origin_district.clone().map(|c| SharedValue::Code {
                    prefix: "district".into(),
                    code: c,
                }),
                "phone" => text(
                    p.identifiers
                        .iter()
                        .find(|i| i.kind == nigehban_domain::identifiers::IdentifierKind::Phone)
                        .map(|i| i.value.clone()),
                ),
                "languages" => text(needs.languages.clone()),
                "exploitation" => (!needs.exploitation.is_empty()).then(|| SharedValue::Codes {
                    prefix: "exploitation".into(),
                    codes: needs.exploitation.clone(),
                }),
                area => {
                    let (answers, note) = needs.area(&self.refdata, area);
                    (!answers.is_empty() || !note.is_empty())
                        .then_some(SharedValue::Answers { answers, note })
                }
            };
            if let Some(value) = value {
                shared.push(SharedField {
                    field: f.clone(),
                    value,
                });
            }
        }
        Ok((shared, withheld))
    }

    pub async fn view_referral(&self, actor: &Actor, id: &str) -> Result<ReferralView, CoreError> {
        let (r, provider_side) = self.referral_side(actor, id, "referral.view").await?;
        let (shared, withheld) = self.shared_fields(&r).await?;
        let label = shared
            .iter()
            .find(|f| f.field == "name")
            .and_then(|f| match &f.value {
                SharedValue::Text { text } => Some(text.clone()),
                _ => None,
            })
            .unwrap_or_else(|| pseudonym(r.person_id));
        let view = ReferralView {
            label,
            events: self.store.referral_events(id).await?,
            services: self.store.referral_services(id).await?,
            overdue: self.overdue(&r, Utc::now()),
            can_respond: provider_side && r.status == ReferralStatus::Sent,
            can_record_service: provider_side && r.status.takes_place(),
            can_close: provider_side && r.status.takes_place(),
            can_cancel: !provider_side && r.status == ReferralStatus::Sent,
            provider_side,
            shared,
            withheld,
            record: r,
        };
        self.store
            .append_audit(
                AuditDraft::new(&principal(actor), "referral.view", "referral", Some(id.to_string()))
                    .detail(json!({"provider_side": provider_side, "fields_shown": view.shared.iter().map(|f| f.field.clone()).collect::<Vec<_>>()})),
            )
            .await?;
        Ok(view)
    }

    async fn move_referral(
        &self,
        actor: &Actor,
        action: &str,
        r: &ReferralRecord,
        m: ReferralMove,
    ) -> Result<(), CoreError> {
        let audit = AuditDraft::new(&principal(actor), action, "referral", Some(r.id.clone()))
            .detail(json!({"from": m.expected.as_str(), "to": m.to.as_str(), "reason": m.reason}));
        match self.store.move_referral(&m, audit).await? {
            MoveResult::Done => Ok(()),
            MoveResult::Stale => Err(stale()),
            MoveResult::Full => Err(CoreError::Invalid(ValidationErrors::single(
                "decision",
                Problem::CapacityExceeded {
                    max: m.max_places.unwrap_or(0).to_string(),
                },
            ))),
        }
    }

    fn plain_move(actor: &Actor, r: &ReferralRecord, to: ReferralStatus) -> ReferralMove {
        ReferralMove {
            referral: r.id.clone(),
            expected: r.status,
            to,
            reason: None,
            note: None,
            by: actor.user_id,
            unit_id: actor.unit_id,
            at: Utc::now(),
            max_places: None,
            service: None,
        }
    }

    /// The provider accepts (taking a place, if the service is capacity-limited and places are
    /// counted) or declines with a reason.
    pub async fn respond_referral(
        &self,
        actor: &Actor,
        id: &str,
        input: &ResponseInput,
    ) -> Result<(), CoreError> {
        let (r, provider_side) = self.referral_side(actor, id, "referral.respond").await?;
        if !provider_side {
            return Err(self
                .deny(
                    actor,
                    "referral.respond",
                    "referral",
                    Some(id.to_string()),
                    CoreError::Forbidden("respond-to-referrals"),
                )
                .await);
        }
        let v = input.validate(&self.refdata)?;
        let to = if v.accept {
            ReferralStatus::Accepted
        } else {
            ReferralStatus::Declined
        };
        if !r.status.can_move(to) {
            return Err(stale());
        }
        let limited = self
            .refdata
            .victims
            .service(&r.service)
            .is_some_and(|s| s.capacity_limited);
        let max_places = if v.accept && limited {
            self.store
                .provider(&r.provider_id)
                .await?
                .and_then(|p| p.provider.capacity)
        } else {
            None
        };
        let m = ReferralMove {
            reason: v.reason,
            note: v.note,
            max_places,
            ..Self::plain_move(actor, &r, to)
        };
        self.move_referral(actor, "referral.respond", &r, m).await
    }

    /// The provider records a service delivered.
    pub async fn record_service(
        &self,
        actor: &Actor,
        id: &str,
        input: &ServiceInput,
    ) -> Result<(), CoreError> {
        let (r, provider_side) = self.referral_side(actor, id, "referral.service").await?;
        if !provider_side {
            return Err(self
                .deny(
                    actor,
                    "referral.service",
                    "referral",
                    Some(id.to_string()),
                    CoreError::Forbidden("respond-to-referrals"),
                )
                .await);
        }
        let today = Utc::now().date_naive();
        let s = input.validate(&self.refdata, r.sent_at.date_naive(), today)?;
        if !r.status.can_move(ReferralStatus::InService) {
            return Err(CoreError::Conflict("not-accepted".into()));
        }
        let at = Utc::now();
        let m = ReferralMove {
            note: s.note.clone(),
            service: Some(ServiceRecord {
                id: new_id(),
                referral_id: r.id.clone(),
                service: s.service,
                delivered_on: s.delivered_on,
                until: s.until,
                note: s.note,
                recorded_by: actor.username.clone(),
                recorded_at: at,
            }),
            ..Self::plain_move(actor, &r, ReferralStatus::InService)
        };
        self.move_referral(actor, "referral.service", &r, m).await
    }

    /// The provider closes an accepted referral with a reason.
    pub async fn close_referral(
        &self,
        actor: &Actor,
        id: &str,
        input: &CloseInput,
    ) -> Result<(), CoreError> {
        let (r, provider_side) = self.referral_side(actor, id, "referral.close").await?;
        if !provider_side {
            return Err(self
                .deny(
                    actor,
                    "referral.close",
                    "referral",
                    Some(id.to_string()),
                    CoreError::Forbidden("respond-to-referrals"),
                )
                .await);
        }
        let c = input.validate(&self.refdata.victims.referral_closures)?;
        if !r.status.can_move(ReferralStatus::Closed) {
            return Err(CoreError::Conflict("not-accepted".into()));
        }
        let m = ReferralMove {
            reason: Some(c.reason),
            note: c.note,
            ..Self::plain_move(actor, &r, ReferralStatus::Closed)
        };
        self.move_referral(actor, "referral.close", &r, m).await
    }

    /// The referring unit withdraws a referral not yet answered.
    pub async fn cancel_referral(&self, actor: &Actor, id: &str) -> Result<(), CoreError> {
        let (r, provider_side) = self.referral_side(actor, id, "referral.cancel").await?;
        if provider_side {
            return Err(self
                .deny(
                    actor,
                    "referral.cancel",
                    "referral",
                    Some(id.to_string()),
                    CoreError::Forbidden("protect-victims"),
                )
                .await);
        }
        if !r.status.can_move(ReferralStatus::Cancelled) {
            return Err(stale());
        }
        let m = Self::plain_move(actor, &r, ReferralStatus::Cancelled);
        self.move_referral(actor, "referral.cancel", &r, m).await
    }

    // --------------------------------------------------------------------------------------------
    // The case plan
    // --------------------------------------------------------------------------------------------

    pub async fn add_plan_item(
        &self,
        actor: &Actor,
        id: &str,
        input: &PlanItemInput,
    ) -> Result<String, CoreError> {
        let file = self.own_file(actor, id, "plan.add").await?;
        let item = input.validate(
            &self.refdata,
            file.identified_at.date_naive(),
            Utc::now().date_naive(),
        )?;
        let iid = new_id();
        let audit = AuditDraft::new(
            &principal(actor),
            "plan.add",
            "victim_file",
            Some(id.to_string()),
        )
        .detail(
            json!({"item": iid, "kind": item.kind.as_str(), "risk": item.risk.map(|r| r.as_str())}),
        );
        self.store
            .insert_plan_item(id, &iid, &item, actor.user_id, Utc::now(), audit)
            .await?;
        Ok(iid)
    }

    pub async fn set_plan_item(
        &self,
        actor: &Actor,
        id: &str,
        item: &str,
        status: &str,
    ) -> Result<(), CoreError> {
        self.own_file(actor, id, "plan.status").await?;
        let status = match PlanStatus::parse(status) {
            Some(s) if s != PlanStatus::Open => s,
            _ => {
                return Err(CoreError::Invalid(ValidationErrors::single(
                    "status",
                    Problem::UnknownCode {
                        value: status.to_string(),
                    },
                )))
            }
        };
        let audit = AuditDraft::new(
            &principal(actor),
            "plan.status",
            "victim_file",
            Some(id.to_string()),
        )
        .detail(json!({"item": item, "status": status.as_str()}));
        if self
            .store
            .set_plan_status(id, item, status, Utc::now(), audit)
            .await?
        {
            Ok(())
        } else {
            Err(CoreError::NotFound)
        }
    }

    // --------------------------------------------------------------------------------------------
    // What investigators and prosecutors see
    // --------------------------------------------------------------------------------------------

    /// The support a person has (protection files of any unit): phase, cooperation with
    /// prosecution and protection measures, services delivered. For readers who may see the
    /// person; nothing is returned (and nothing read) for others.
    pub async fn support_of(
        &self,
        actor: &Actor,
        person: PersonId,
    ) -> Result<Vec<SupportView>, CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::ViewPersons,
                "victim.support",
                "person",
                Some(person.to_string()),
            )
            .await?;
        self.person_access(actor, &scope, person, "victim.support")
            .await?;
        let files = self.store.victim_files_of_person(person).await?;
        let mut out = Vec::new();
        for f in files {
            let referrals = self.store.referrals_of_file(&f.id).await?;
            let mut services = BTreeSet::new();
            for r in &referrals {
                for s in self.store.referral_services(&r.id).await? {
                    services.insert(s.service);
                }
            }
            out.push(SupportView {
                own: f.unit_id == actor.unit_id && authorize(actor, Action::ProtectVictims).is_ok(),
                file_id: f.id.clone(),
                unit_code: f.unit_code.clone(),
                phase: f.phase,
                minor: f.minor,
                cooperation: f.cooperation.clone(),
                services: services.into_iter().collect(),
                open_referrals: referrals.iter().filter(|r| r.status.open()).count(),
            });
        }
        if !out.is_empty() {
            self.store
                .append_audit(AuditDraft::new(
                    &principal(actor),
                    "victim.support",
                    "person",
                    Some(person.to_string()),
                ))
                .await?;
        }
        Ok(out)
    }

    // --------------------------------------------------------------------------------------------
    // Measures
    // --------------------------------------------------------------------------------------------

    /// The managers' measures for the own agency's files and referrals.
    pub async fn measures(&self, actor: &Actor) -> Result<Measures, CoreError> {
        self.authorize(
            actor,
            Action::ViewMeasures,
            "victim.measures",
            "victim_file",
            None,
        )
        .await?;
        let files = self
            .store
            .victim_files(&actor.agency, None, i64::MAX)
            .await?;
        let referrals = self
            .store
            .referrals_from(&actor.agency, None, i64::MAX)
            .await?;
        let services = self.store.services_of_agency(&actor.agency).await?;
        let now = Utc::now();
        let mut m = Measures {
            agency: actor.agency.clone(),
            ..Default::default()
        };
        m.caseload = count(
            files
                .iter()
                .filter(|f| f.closed_at.is_none())
                .map(|f| f.identified_by.clone()),
        )
        .into_iter()
        .collect();
        let mut days: Vec<f64> = Vec::new();
        for f in &files {
            let first = referrals
                .iter()
                .filter(|r| r.file_id == f.id)
                .filter_map(|r| r.first_service_at)
                .min();
            match first {
                Some(t) => days.push((t - f.identified_at).num_minutes().max(0) as f64 / 1440.0),
                None => m.files_without_service += 1,
            }
        }
        days.sort_by(|a, b| a.total_cmp(b));
        m.first_service_files = days.len() as u64;
        if !days.is_empty() {
            let n = days.len();
            let mid = days.get(n / 2).copied().unwrap_or(0.0);
            let median = if n.is_multiple_of(2) {
                (days.get(n / 2 - 1).copied().unwrap_or(mid) + mid) / 2.0
            } else {
                mid
            };
            m.first_service_median_days = Some((median * 10.0).round() / 10.0);
            m.first_service_mean_days =
                Some((days.iter().sum::<f64>() / n as f64 * 10.0).round() / 10.0);
        }
        m.referrals_by_status = count(referrals.iter().map(|r| r.status.as_str().to_string()))
            .into_iter()
            .collect();
        m.referrals_by_provider = count(
            referrals
                .iter()
                .map(|r| (r.provider_name.clone(), r.status.as_str().to_string())),
        )
        .into_iter()
        .map(|((p, s), n)| (p, s, n))
        .collect();
        m.overdue = referrals.iter().filter(|r| self.overdue(r, now)).count() as u64;
        m.services_by_type = count(services.iter().map(|s| s.service.clone()))
            .into_iter()
            .collect();
        m.file_closures = count(files.iter().filter_map(|f| f.closure_reason.clone()))
            .into_iter()
            .collect();
        m.referral_closures = count(
            referrals
                .iter()
                .filter(|r| r.status == ReferralStatus::Closed)
                .filter_map(|r| r.closure_reason.clone()),
        )
        .into_iter()
        .collect();
        self.store
            .append_audit(AuditDraft::new(
                &principal(actor),
                "victim.measures",
                "victim_file",
                None,
            ))
            .await?;
        Ok(m)
    }
}
