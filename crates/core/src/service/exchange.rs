//! Data exchange: cases out to and in from the Human Trafficking Case Data Standard (HTCDS v2.0),
//! and the anonymised victim release in CTDC variables. The conversions and the privacy check are
//! `nigehban-exchange`'s (pure); here they meet the access policy, the store and the audit log.
//!
//! - An export carries what the exporter sees: cases in their scope whose offence date falls in
//!   the period, persons sealed by court order left out, protected persons (victims, witnesses,
//!   informants) with their identity withheld unless the exporter revealed it, exactly as the
//!   case page shows them. It is audited with the ids of the cases it carried.
//! - An import validates the whole file first (every problem located, nothing written from a
//!   file with an error), then writes every new case, person, victim context and external
//!   reference with the audit entry in one transaction. Cases known by their HTCDS id are
//!   skipped, so the same file twice adds nothing, and the report says so.
//! - A release is refused (and the refusal audited) unless the finished table passes the
//!   k-anonymity check.

use super::cases::now_micros;
use super::*;
use crate::exchange_store::*;
use crate::policy::CaseAccess;
use nigehban_domain::case::ValidatedCase;
use nigehban_domain::crime::{CrimeType, ExploitationForm};
use nigehban_domain::names::BilingualName;
use nigehban_domain::person::pseudonym;
use nigehban_exchange::ctdc::{self, Layout, PrivacyError, Suppression, VictimRecord};
use nigehban_exchange::htcds::{self, FileFormat, UnmappedValue};
use nigehban_exchange::{ExchangeCase, ExchangePerson, Mapping, VictimContext};
use nigehban_sheets::LocatedProblem;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};

/// A period as typed (YYYY-MM-DD or DD/MM/YYYY), by offence date.
#[derive(Debug, Clone, Default)]
pub struct PeriodInput {
    pub from: Option<String>,
    pub to: Option<String>,
}

/// Check a period: both ends given and valid, the end not before the start.
pub fn parse_period(p: &PeriodInput) -> Result<(NaiveDate, NaiveDate), ValidationErrors> {
    let mut errs = ValidationErrors::new();
    let mut date = |field: &str, v: &Option<String>| match v.as_deref().map(str::trim) {
        None | Some("") => {
            errs.add(field, Problem::Required);
            None
        }
        Some(d) => errs.take(field, nigehban_domain::person::parse_date(d)),
    };
    let from = date("from", &p.from);
    let to = date("to", &p.to);
    match (from, to) {
        (Some(f), Some(t)) if t < f => {
            errs.add(
                "to",
                Problem::DateBefore {
                    other: "from".into(),
                },
            );
            Err(errs)
        }
        (Some(f), Some(t)) if errs.is_empty() => Ok((f, t)),
        _ => Err(errs),
    }
}

/// A list for a summary line: its first `n` items, and how many more there are.
pub fn first_of(items: &[String], n: usize) -> String {
    let shown: Vec<&str> = items.iter().take(n).map(String::as_str).collect();
    match items.len().saturating_sub(n) {
        0 => shown.join(", "),
        more => format!("{}, … (+{more})", shown.join(", ")),
    }
}

/// An HTCDS export: the file and what it carries.
#[derive(Debug, Clone)]
pub struct HtcdsExport {
    pub file_name: String,
    pub format: FileFormat,
    pub bytes: Vec<u8>,
    pub cases: usize,
    pub rows: usize,
    /// Protected persons whose identity the export withheld.
    pub withheld: usize,
}

/// What an HTCDS import did, or why it did nothing.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct HtcdsImportReport {
    pub file: String,
    pub rows: usize,
    pub cases_in_file: usize,
    /// Problems that stopped the import (nothing was written): every one, located.
    pub problems: Vec<LocatedProblem>,
    pub warnings: Vec<LocatedProblem>,
    /// Values without a Nigehban field: each kept with its case and written back on export.
    pub unmapped: Vec<UnmappedValue>,
    pub written: ImportWritten,
}

impl HtcdsImportReport {
    pub fn imported(&self) -> bool {
        self.problems.is_empty()
    }
}

/// A CTDC release: the file, or the refusal, with what suppression did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CtdcOutcome {
    pub k: usize,
    pub suppress: bool,
    pub victims: usize,
    pub suppression: Suppression,
    /// Rows released, groups and the smallest group (when released).
    pub rows: usize,
    pub classes: usize,
    pub smallest_class: usize,
    pub refused: Option<PrivacyError>,
    #[serde(skip)]
    pub bytes: Option<Vec<u8>>,
    pub format: FileFormat,
}

impl CtdcOutcome {
    pub fn file_name(&self) -> String {
        format!("ctdc-release-k{}.{}", self.k, self.format.extension())
    }
}

fn validated_case(d: &CaseDetail) -> Result<ValidatedCase, CoreError> {
    let corrupt = |what: &str| CoreError::Store(StoreError::Corrupt(format!("case {what}")));
    Ok(ValidatedCase {
        title: d.summary.title.clone(),
        crime_types: d
            .summary
            .crime_types
            .iter()
            .map(|c| CrimeType::parse(c).ok_or_else(|| corrupt("crime type")))
            .collect::<Result<_, _>>()?,
        exploitation_forms: d
            .exploitation_forms
            .iter()
            .map(|c| ExploitationForm::parse(c).ok_or_else(|| corrupt("exploitation form")))
            .collect::<Result<_, _>>()?,
        provisions: d.provisions.iter().cloned().collect(),
        province: d.summary.province.clone(),
        district: d.summary.district.clone(),
        offence_date: d.summary.offence_date,
        narrative: d.narrative.clone(),
    })
}

/// The victim context an interview gives: its indicators and the destination as the country of
/// exploitation.
fn interview_context(i: &nigehban_domain::intake::InterviewInput) -> VictimContext {
    VictimContext {
        indicators: i
            .facts
            .indicators
            .iter()
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect(),
        country_of_exploitation: i
            .destination_country
            .as_deref()
            .map(|c| c.trim().to_ascii_uppercase())
            .filter(|c| !c.is_empty()),
        ..Default::default()
    }
}

/// Withhold what identifies a protected person, as the case page does (`persons::pseudonymise`).
fn withhold(p: &mut nigehban_domain::person::ValidatedPerson) {
    p.name = BilingualName::default();
    p.parentage = BilingualName::default();
    p.parentage_relation = None;
    p.identifiers.clear();
    p.address = None;
    p.notes = None;
}

/// What of data exchange an actor may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExchangeRights {
    /// Export and import HTCDS files.
    pub htcds: bool,
    /// Release the anonymised CTDC table.
    pub ctdc: bool,
}

impl Nigehban {
    /// What of data exchange the actor may do; a user who may do none of it is refused (and the
    /// refusal audited), so the exchange page reveals nothing to them.
    pub async fn exchange_rights(&self, actor: &Actor) -> Result<ExchangeRights, CoreError> {
        let rights = ExchangeRights {
            htcds: authorize(actor, Action::ExchangeCases).is_ok(),
            ctdc: authorize(actor, Action::ReleaseAnonymised).is_ok(),
        };
        if !rights.htcds && !rights.ctdc {
            return Err(self
                .deny(
                    actor,
                    "exchange.page",
                    "case",
                    None,
                    CoreError::Forbidden("exchange-cases"),
                )
                .await);
        }
        Ok(rights)
    }

    /// Refuse (audited) an actor who may not import HTCDS files, before their upload is read.
    pub async fn may_import_htcds(&self, actor: &Actor) -> Result<(), CoreError> {
        self.authorize(
            actor,
            Action::ExchangeCases,
            "exchange.htcds_import",
            "case",
            None,
        )
        .await
        .map(|_| ())
    }

    /// Refuse (audited) an actor who may not release the CTDC table, before their form is read.
    pub async fn may_release_ctdc(&self, actor: &Actor) -> Result<(), CoreError> {
        self.authorize(
            actor,
            Action::ReleaseAnonymised,
            "exchange.ctdc_release",
            "case",
            None,
        )
        .await
        .map(|_| ())
    }

    /// The HTCDS mapping (embedded, checked against the reference data).
    pub fn htcds_mapping(&self) -> Result<Mapping, CoreError> {
        Mapping::embedded(&self.refdata).map_err(|e| {
            CoreError::Store(StoreError::Corrupt(format!(
                "htcds mapping: {}",
                e.join("; ")
            )))
        })
    }

    /// Victim contexts of some cases' persons: what imports stored and what completed interviews
    /// say (for victims).
    async fn contexts(
        &self,
        cases: &[CaseId],
        victims: &[PersonId],
    ) -> Result<BTreeMap<(CaseId, PersonId), VictimContext>, CoreError> {
        let mut out: BTreeMap<(CaseId, PersonId), VictimContext> = BTreeMap::new();
        for (c, p, ctx) in self.store.victim_contexts(cases).await? {
            out.entry((c, p)).or_default().merge(&ctx);
        }
        let interviews: BTreeMap<PersonId, VictimContext> = self
            .store
            .completed_interviews(victims)
            .await?
            .into_iter()
            .map(|(p, i)| (p, interview_context(&i)))
            .collect();
        // An interview speaks of the person, whatever case they are a victim in.
        for c in cases {
            for (p, ctx) in &interviews {
                out.entry((*c, *p)).or_default().merge(ctx);
            }
        }
        Ok(out)
    }

    /// The cases of a scope in a period, as the actor may see them, for exchange.
    async fn exchange_cases(
        &self,
        actor: &Actor,
        scope: &Scope,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<ExchangeCase>, usize), CoreError> {
        let ids = self
            .store
            .exchange_case_ids(scope, now_micros(), from, to)
            .await?;
        let refs: BTreeMap<CaseId, CaseRef> = self
            .store
            .case_refs(&ids)
            .await?
            .into_iter()
            .map(|r| (r.case_id, r))
            .collect();
        let mut cases = Vec::with_capacity(ids.len());
        // The local person id of each exported person, in the same order (the export may carry a
        // pseudonym instead).
        let mut local: Vec<(CaseId, Vec<PersonId>)> = Vec::with_capacity(ids.len());
        let mut victims = Vec::new();
        let mut withheld = 0;
        for id in &ids {
            let Some(rel) = self.store.case_relation(*id, scope, now_micros()).await? else {
                continue;
            };
            let access = CaseAccess::decide(scope, &rel);
            if !access.see {
                continue;
            }
            let Some(detail) = self.store.case_detail(*id).await? else {
                continue;
            };
            let sealed = self
                .store
                .sealed_persons_of_case(*id, actor.user_id)
                .await?;
            let mut persons = Vec::new();
            let mut pids = Vec::new();
            if access.persons {
                for cp in detail
                    .persons
                    .iter()
                    .filter(|p| !sealed.contains(&p.person_id))
                {
                    let Some(pd) = self.store.person_detail(cp.person_id).await? else {
                        continue;
                    };
                    let mut person = pd.person;
                    let hide = access.deidentified
                        || (cp.role.role.is_protected()
                            && !self
                                .store
                                .has_active_reveal(cp.person_id, actor.user_id, now_micros())
                                .await?);
                    if hide {
                        withhold(&mut person);
                        withheld += 1;
                    }
                    if cp.role.role == PersonRole::Victim {
                        victims.push(cp.person_id);
                    }
                    persons.push(ExchangePerson {
                        id: if hide {
                            pseudonym(cp.person_id)
                        } else {
                            cp.person_id.to_string()
                        },
                        role: cp.role,
                        verdict: cp.verdict,
                        person,
                        withheld: hide,
                        victim: VictimContext::default(),
                    });
                    pids.push(cp.person_id);
                }
            }
            local.push((*id, pids));
            let agency = self.refdata.agency(&detail.summary.agency);
            let r = refs.get(id);
            cases.push(ExchangeCase {
                id: id.to_string(),
                number: Some(detail.summary.number.to_string()),
                agency_name: agency.map(|a| a.name_en.clone()),
                agency_kind: agency.map(|a| a.kind),
                case: validated_case(&detail)?,
                stage: detail.summary.stage,
                persons,
                kept: r.map(|r| r.kept.clone()).unwrap_or_default(),
            });
        }
        let contexts = self.contexts(&ids, &victims).await?;
        for (c, (case_id, pids)) in cases.iter_mut().zip(&local) {
            for (p, pid) in c.persons.iter_mut().zip(pids) {
                if p.role.role == PersonRole::Victim {
                    if let Some(ctx) = contexts.get(&(*case_id, *pid)) {
                        p.victim = ctx.clone();
                    }
                }
            }
        }
        Ok((cases, withheld))
    }

    /// Export the cases of the actor's scope whose offence date falls in the period, as an HTCDS
    /// file. Audited with the ids of the cases exported.
    pub async fn export_htcds(
        &self,
        actor: &Actor,
        period: &PeriodInput,
        format: FileFormat,
    ) -> Result<HtcdsExport, CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::ExchangeCases,
                "exchange.htcds_export",
                "case",
                None,
            )
            .await?;
        let (from, to) = parse_period(period)?;
        let mapping = self.htcds_mapping()?;
        let (cases, withheld) = self.exchange_cases(actor, &scope, from, to).await?;
        let table = htcds::to_table(&mapping, &self.refdata, &cases, today());
        let bytes = table
            .write(format, &mapping.standard.sheet)
            .map_err(|e| CoreError::Conflict(format!("export: {e}")))?;
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            "exchange.htcds_export",
            "case",
            None,
        )
        .detail(json!({
            "from": from.to_string(), "to": to.to_string(), "format": format.extension(),
            "cases": cases.iter().map(|c| c.id.clone()).collect::<Vec<_>>(),
            "rows": table.rows.len(), "withheld": withheld,
        }));
        self.store.append_audit(draft).await?;
        Ok(HtcdsExport {
            file_name: format!("htcds-{from}-{to}.{}", format.extension()),
            format,
            bytes,
            cases: cases.len(),
            rows: table.rows.len(),
            withheld,
        })
    }

    /// Import an HTCDS file into the actor's unit: all or nothing, and nothing twice.
    pub async fn import_htcds(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<HtcdsImportReport, CoreError> {
        self.authorize(
            actor,
            Action::ExchangeCases,
            "exchange.htcds_import",
            "case",
            None,
        )
        .await?;
        let mapping = self.htcds_mapping()?;
        let file_hash = hex::encode(Sha256::digest(bytes));
        let principal = Principal::User(actor.clone());
        let parsed = match htcds::read(file_name, bytes, &mapping, &self.refdata, today()) {
            Ok(p) => p,
            Err(failure) => {
                let draft = AuditDraft::new(&principal, "exchange.htcds_import", "case", None)
                    .outcome(crate::audit::Outcome::Failed)
                    .detail(json!({"file": file_name, "hash": file_hash, "problems": failure.problems.len()}));
                self.store.append_audit(draft).await?;
                return Ok(HtcdsImportReport {
                    file: file_name.to_string(),
                    problems: failure.problems,
                    ..Default::default()
                });
            }
        };
        let now = Utc::now();
        let mut cases = Vec::with_capacity(parsed.cases.len());
        for c in &parsed.cases {
            let case_id = CaseId::new();
            let persons = c
                .persons
                .iter()
                .map(|p| ImportedPerson {
                    external_id: p.external_id.clone(),
                    link_id: CasePersonId::new(),
                    person: NewPerson {
                        id: PersonId::new(),
                        person: p.person.clone(),
                        agency: actor.agency.clone(),
                        created_by: actor.user_id,
                        created_at: now,
                    },
                    role: p.role,
                    verdict: p.verdict,
                    victim: p.victim.clone(),
                })
                .collect();
            let source = c
                .kept
                .iter()
                .find(|k| k.person.is_none() && k.column == "org_Name")
                .map(|k| k.value.clone())
                .unwrap_or_default();
            cases.push(ImportedCase {
                source,
                external_id: c.external_id.clone(),
                external_number: c.number.clone(),
                case: NewCase {
                    id: case_id,
                    unit_id: actor.unit_id,
                    unit_code: actor.unit_code.clone(),
                    agency: actor.agency.clone(),
                    year: now.year(),
                    case: c.case.clone(),
                    stage: c.stage,
                    created_by: actor.user_id,
                    created_at: now,
                },
                history: vec![StageEvent {
                    from: None,
                    to: c.stage,
                    occurred_on: now.date_naive(),
                    reference: Some(format!("HTCDS {}", c.external_id)),
                    note: Some(format!("Imported from {file_name}")),
                    by_user: actor.username.clone(),
                    at: now,
                }],
                persons,
                kept: c.kept.clone(),
            });
        }
        let import = ExchangeImport {
            id: uuid::Uuid::now_v7().to_string(),
            file_name: file_name.to_string(),
            file_hash: file_hash.clone(),
            by: actor.user_id,
            at: now,
            cases,
        };
        let draft = AuditDraft::new(&principal, "exchange.htcds_import", "case", None).detail(
            json!({"file": file_name, "hash": file_hash, "import": import.id, "cases_in_file": parsed.cases.len(), "unmapped": parsed.unmapped.len()}),
        );
        let written = self.store.insert_exchange_import(&import, draft).await?;
        let new_persons: Vec<PersonId> = import
            .cases
            .iter()
            .filter(|c| written.added.iter().any(|(e, _)| *e == c.external_id))
            .flat_map(|c| c.persons.iter().map(|p| p.person.id))
            .collect();
        if !new_persons.is_empty() {
            self.link_arrivals(&principal, &new_persons).await;
        }
        Ok(HtcdsImportReport {
            file: file_name.to_string(),
            rows: parsed.rows,
            cases_in_file: parsed.cases.len(),
            problems: Vec::new(),
            warnings: parsed.warnings,
            unmapped: parsed.unmapped,
            written,
        })
    }

    /// The anonymised victim table (CTDC variables) of the cases the actor sees whose offence
    /// date falls in the period, refused unless it is k-anonymous. Audited either way.
    pub async fn release_ctdc(
        &self,
        actor: &Actor,
        period: &PeriodInput,
        k: usize,
        suppress: bool,
        format: FileFormat,
    ) -> Result<CtdcOutcome, CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::ReleaseAnonymised,
                "exchange.ctdc_release",
                "case",
                None,
            )
            .await?;
        let (from, to) = parse_period(period)?;
        let mapping = self.htcds_mapping()?;
        let ids = self
            .store
            .exchange_case_ids(&scope, now_micros(), from, to)
            .await?;
        // Victims of the cases, with the case's date and forms; sealed persons never counted.
        let mut rows: Vec<(CaseId, PersonId, NaiveDate, BTreeSet<ExploitationForm>)> = Vec::new();
        for id in &ids {
            let Some(rel) = self.store.case_relation(*id, &scope, now_micros()).await? else {
                continue;
            };
            if !CaseAccess::decide(&scope, &rel).persons {
                continue;
            }
            let Some(detail) = self.store.case_detail(*id).await? else {
                continue;
            };
            let forms = validated_case(&detail)?.exploitation_forms;
            let sealed = self
                .store
                .sealed_persons_of_case(*id, actor.user_id)
                .await?;
            for p in &detail.persons {
                if p.role.role == PersonRole::Victim && !sealed.contains(&p.person_id) {
                    rows.push((*id, p.person_id, detail.summary.offence_date, forms.clone()));
                }
            }
        }
        let victim_ids: Vec<PersonId> = rows.iter().map(|r| r.1).collect();
        let contexts = self.contexts(&ids, &victim_ids).await?;
        let mut victims = Vec::with_capacity(rows.len());
        for (case, pid, offence, forms) in rows {
            let Some(pd) = self.store.person_detail(pid).await? else {
                continue;
            };
            let p = pd.person;
            let ctx = contexts.get(&(case, pid)).cloned().unwrap_or_default();
            victims.push(VictimRecord {
                sex: Some(p.sex),
                age: p.age.age_on(offence),
                citizenship: p.nationality_verified.or(p.nationality_claimed),
                country_of_exploitation: ctx.country_of_exploitation,
                indicators: ctx.indicators,
                forms,
                labour: ctx.labour,
                relation: ctx.recruiter_relation,
            });
        }
        let layout = Layout::new(&mapping, &self.refdata);
        let result = ctdc::anonymise(&layout, &self.refdata, &victims, k, suppress);
        let mut outcome = CtdcOutcome {
            k,
            suppress,
            victims: victims.len(),
            suppression: Suppression::default(),
            rows: 0,
            classes: 0,
            smallest_class: 0,
            refused: None,
            bytes: None,
            format,
        };
        match result {
            Ok(rel) => {
                outcome.bytes = Some(
                    rel.checked
                        .write(format)
                        .map_err(|e| CoreError::Conflict(format!("release: {e}")))?,
                );
                outcome.rows = rel.checked.rows();
                outcome.classes = rel.checked.classes;
                outcome.smallest_class = rel.checked.smallest_class;
                outcome.suppression = rel.suppression;
            }
            Err(e) => outcome.refused = Some(e),
        }
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            "exchange.ctdc_release",
            "case",
            None,
        )
        .outcome(if outcome.refused.is_some() {
            crate::audit::Outcome::Failed
        } else {
            crate::audit::Outcome::Done
        })
        .detail(json!({
            "from": from.to_string(), "to": to.to_string(), "k": k, "suppress": suppress,
            "victims": outcome.victims, "rows": outcome.rows,
            "cells_suppressed": outcome.suppression.cells_total(),
            "records_suppressed": outcome.suppression.records,
            "refused": outcome.refused.as_ref().map(|e| e.message_id()),
        }));
        self.store.append_audit(draft).await?;
        Ok(outcome)
    }
}
