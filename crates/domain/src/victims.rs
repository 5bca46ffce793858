//! Victim protection: the service directory, the needs assessment, consent, referrals and their
//! status machine, the case plan and cooperation with prosecution. Pure rules and typed inputs
//! (`ProviderInput -> ValidatedProvider`, `ReferralInput -> ValidatedReferral`, ...) that collect
//! every problem; the closed sets (service types, needs questions, consentable fields, reasons,
//! protection measures) are data (`data/victims.toml`), loaded into [`VictimsReference`] and
//! checked at start. What depends on stored records (does the provider offer this service, is
//! there consent for this field) is checked by the core with [`referral_problems`].

use crate::code_enum;
use crate::error::{optional_text, required_text, Problem, ValidationErrors};
use crate::person::{parse_date, Sex};
use crate::reference::ReferenceData;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

const VICTIMS_DATA: &str = include_str!("../data/victims.toml");

/// Longest free text of a note, a goal or a message.
pub const NOTE_MAX: usize = 2000;

code_enum! {
    /// Where a referral stands. `sent -> accepted | declined | cancelled`, `accepted -> in_service
    /// | closed`, `in_service -> closed` (and a further service keeps it `in_service`).
    pub enum ReferralStatus {
        Sent = "sent",
        Accepted = "accepted",
        Declined = "declined",
        /// At least one service was recorded as delivered.
        InService = "in_service",
        Closed = "closed",
        /// Withdrawn by the referring unit before an answer (e.g. consent withdrawn).
        Cancelled = "cancelled",
    }
}

impl ReferralStatus {
    /// The moves the status machine allows.
    pub fn can_move(self, to: ReferralStatus) -> bool {
        use ReferralStatus::*;
        matches!(
            (self, to),
            (Sent, Accepted | Declined | Cancelled)
                | (Accepted, InService | Closed)
                | (InService, InService | Closed)
        )
    }
    /// Still open: awaiting an answer or being served.
    pub fn open(self) -> bool {
        matches!(
            self,
            ReferralStatus::Sent | ReferralStatus::Accepted | ReferralStatus::InService
        )
    }
    /// Takes one of the provider's places (accepted, not yet closed).
    pub fn takes_place(self) -> bool {
        matches!(self, ReferralStatus::Accepted | ReferralStatus::InService)
    }
}

code_enum! {
    /// Where a victim stands on the way from identification to reintegration.
    pub enum ProtectionPhase {
        Identified = "identified",
        Recovery = "recovery",
        Return = "return",
        Reintegration = "reintegration",
        Closed = "closed",
    }
}

code_enum! {
    /// How the person came to be identified as a victim.
    pub enum IdentificationSource {
        Intake = "intake",
        Case = "case",
        /// Reported by an NGO or UN agency to the unit.
        NgoReport = "ngo_report",
    }
}

code_enum! {
    /// An answer to a needs question.
    pub enum Answer {
        Yes = "yes",
        No = "no",
        Unknown = "unknown",
    }
}

code_enum! {
    pub enum PlanKind {
        Goal = "goal",
        Task = "task",
        Visit = "visit",
    }
}

code_enum! {
    pub enum PlanStatus {
        Open = "open",
        Done = "done",
        Dropped = "dropped",
    }
}

code_enum! {
    /// The risk of being trafficked again, as judged at a follow-up visit.
    pub enum RiskLevel {
        Low = "low",
        Medium = "medium",
        High = "high",
    }
}

code_enum! {
    pub enum Willingness {
        Willing = "willing",
        Undecided = "undecided",
        Unwilling = "unwilling",
    }
}

// ------------------------------------------------------------------------------------------------
// Reference data
// ------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceType {
    pub code: String,
    /// Hours within which a referral for it must be answered (else the file's default).
    pub response_hours: Option<u32>,
    pub capacity_limited: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NeedQuestion {
    pub code: String,
    pub area: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Coded {
    pub code: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsentGiver {
    pub code: String,
    /// May give consent for a minor.
    pub for_minor: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReferralSettings {
    overdue_after_hours: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VictimsFile {
    referrals: ReferralSettings,
    service: Vec<ServiceType>,
    need: Vec<NeedQuestion>,
    consent_field: Vec<Coded>,
    consent_use: Vec<Coded>,
    consent_giver: Vec<ConsentGiver>,
    decline_reason: Vec<Coded>,
    referral_closure: Vec<Coded>,
    file_closure: Vec<Coded>,
    plan_area: Vec<Coded>,
    protection_measure: Vec<Coded>,
}

/// The areas of the needs assessment, in the order the form shows them.
pub const NEED_AREAS: &[&str] = &[
    "safety",
    "health",
    "legal_status",
    "family",
    "debts",
    "wishes",
];

/// The closed sets of victim protection (`data/victims.toml`).
#[derive(Debug, Clone, Default)]
pub struct VictimsReference {
    pub overdue_after_hours: u32,
    pub services: Vec<ServiceType>,
    pub needs: Vec<NeedQuestion>,
    pub consent_fields: Vec<String>,
    pub consent_uses: Vec<String>,
    pub consent_givers: Vec<ConsentGiver>,
    pub decline_reasons: Vec<String>,
    pub referral_closures: Vec<String>,
    pub file_closures: Vec<String>,
    pub plan_areas: Vec<String>,
    pub protection_measures: Vec<String>,
}

fn codes(list: Vec<Coded>, what: &str, problems: &mut Vec<String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for c in list {
        if !is_code(&c.code) {
            problems.push(format!(
                "victims.toml: {what} `{}` is not a lower-case code",
                c.code
            ));
        }
        if !seen.insert(c.code.clone()) {
            problems.push(format!(
                "victims.toml: {what} `{}` is defined twice",
                c.code
            ));
        }
        out.push(c.code);
    }
    if out.is_empty() {
        problems.push(format!("victims.toml: no {what} is defined"));
    }
    out
}

fn is_code(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl VictimsReference {
    pub fn embedded() -> Result<VictimsReference, Vec<String>> {
        Self::parse(VICTIMS_DATA)
    }

    pub fn parse(src: &str) -> Result<VictimsReference, Vec<String>> {
        let file: VictimsFile =
            toml::from_str(src).map_err(|e| vec![format!("victims.toml: {e}")])?;
        let mut problems = Vec::new();
        if file.referrals.overdue_after_hours == 0 {
            problems.push("victims.toml: overdue_after_hours must be above 0".to_string());
        }
        let _ = codes(
            file.service
                .iter()
                .map(|s| Coded {
                    code: s.code.clone(),
                })
                .collect(),
            "service",
            &mut problems,
        );
        for s in &file.service {
            if s.response_hours == Some(0) {
                problems.push(format!(
                    "victims.toml: service `{}` has response_hours 0",
                    s.code
                ));
            }
        }
        let _ = codes(
            file.need
                .iter()
                .map(|n| Coded {
                    code: n.code.clone(),
                })
                .collect(),
            "need",
            &mut problems,
        );
        for n in &file.need {
            if !NEED_AREAS.contains(&n.area.as_str()) {
                problems.push(format!(
                    "victims.toml: need `{}` has unknown area `{}`",
                    n.code, n.area
                ));
            }
        }
        let _ = codes(
            file.consent_giver
                .iter()
                .map(|g| Coded {
                    code: g.code.clone(),
                })
                .collect(),
            "consent_giver",
            &mut problems,
        );
        if !file.consent_giver.iter().any(|g| g.for_minor) {
            problems.push("victims.toml: no consent_giver may consent for a minor".to_string());
        }
        let consent_uses = codes(file.consent_use, "consent_use", &mut problems);
        if !consent_uses.iter().any(|u| u == SERVICE_DELIVERY) {
            problems.push(format!(
                "victims.toml: consent_use `{SERVICE_DELIVERY}` (what referrals need) is missing"
            ));
        }
        let r = VictimsReference {
            overdue_after_hours: file.referrals.overdue_after_hours,
            services: file.service,
            needs: file.need,
            consent_fields: codes(file.consent_field, "consent_field", &mut problems),
            consent_uses,
            consent_givers: file.consent_giver,
            decline_reasons: codes(file.decline_reason, "decline_reason", &mut problems),
            referral_closures: codes(file.referral_closure, "referral_closure", &mut problems),
            file_closures: codes(file.file_closure, "file_closure", &mut problems),
            plan_areas: codes(file.plan_area, "plan_area", &mut problems),
            protection_measures: codes(
                file.protection_measure,
                "protection_measure",
                &mut problems,
            ),
        };
        if problems.is_empty() {
            Ok(r)
        } else {
            Err(problems)
        }
    }

    pub fn service(&self, code: &str) -> Option<&ServiceType> {
        self.services.iter().find(|s| s.code == code)
    }
    /// Hours after which an unanswered referral for this service is overdue.
    pub fn response_hours(&self, service: &str) -> u32 {
        self.service(service)
            .and_then(|s| s.response_hours)
            .unwrap_or(self.overdue_after_hours)
    }
    pub fn is_consent_field(&self, code: &str) -> bool {
        self.consent_fields.iter().any(|f| f == code)
    }
    pub fn needs_in<'a>(&'a self, area: &'a str) -> impl Iterator<Item = &'a NeedQuestion> + 'a {
        self.needs.iter().filter(move |n| n.area == area)
    }
}

/// The consent use a referral relies on.
pub const SERVICE_DELIVERY: &str = "service_delivery";

/// Has a referral sent at `sent_at` and still unanswered (status `sent`) waited too long?
pub fn is_overdue(
    status: ReferralStatus,
    sent_at: DateTime<Utc>,
    now: DateTime<Utc>,
    hours: u32,
) -> bool {
    status == ReferralStatus::Sent && now - sent_at > Duration::hours(i64::from(hours))
}

// ------------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------------

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// A code from a closed list, required.
fn one_of(
    errs: &mut ValidationErrors,
    field: &str,
    raw: &Option<String>,
    allowed: &[String],
) -> Option<String> {
    match blank(raw) {
        None => {
            errs.add(field, Problem::Required);
            None
        }
        Some(v) if allowed.iter().any(|a| a == v) => Some(v.to_string()),
        Some(v) => {
            errs.add(
                field,
                Problem::UnknownCode {
                    value: v.to_string(),
                },
            );
            None
        }
    }
}

/// Codes from a closed list (duplicates dropped, each unknown one reported).
fn many_of(
    errs: &mut ValidationErrors,
    field: &str,
    raw: &[String],
    ok: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in raw.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !ok(v) {
            errs.add(
                field,
                Problem::UnknownCode {
                    value: v.to_string(),
                },
            );
        } else if !out.iter().any(|o| o == v) {
            out.push(v.to_string());
        }
    }
    out
}

fn date_field(
    errs: &mut ValidationErrors,
    field: &str,
    raw: &Option<String>,
    today: NaiveDate,
    future_ok: bool,
) -> Option<NaiveDate> {
    let v = blank(raw)?;
    match parse_date(v) {
        Ok(d) if !future_ok && d > today => {
            errs.add(field, Problem::DateInFuture);
            None
        }
        Ok(d) => Some(d),
        Err(p) => {
            errs.add(field, p);
            None
        }
    }
}

fn number(errs: &mut ValidationErrors, field: &str, raw: &Option<String>, max: u32) -> Option<u32> {
    let v = blank(raw)?;
    match v.parse::<u32>() {
        Ok(n) if n <= max => Some(n),
        Ok(_) => {
            errs.add(
                field,
                Problem::TooLarge {
                    max: max.to_string(),
                },
            );
            None
        }
        Err(_) => {
            errs.add(field, Problem::NotANumber);
            None
        }
    }
}

// ------------------------------------------------------------------------------------------------
// The service directory
// ------------------------------------------------------------------------------------------------

/// A directory entry as typed by a liaison officer or the organisation itself.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ProviderInput {
    pub name: Option<String>,
    /// The unit (code) whose users answer this provider's referrals, if it uses Nigehban.
    pub unit_code: Option<String>,
    pub services: Vec<String>,
    pub districts: Vec<String>,
    /// Sexes served (none: all).
    pub sexes: Vec<String>,
    pub min_age: Option<String>,
    pub max_age: Option<String>,
    /// Nationalities served, ISO alpha-3 (none: all).
    pub nationalities: Vec<String>,
    /// Forms of exploitation served (none: all).
    pub exploitation: Vec<String>,
    /// Places (beds) for capacity-limited services.
    pub capacity: Option<String>,
    /// Places free now, as the provider last said.
    pub available: Option<String>,
    /// Takes new referrals.
    pub accepting: bool,
    pub languages: Option<String>,
    pub contact: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ValidatedProvider {
    pub name: String,
    pub unit_code: Option<String>,
    pub services: Vec<String>,
    pub districts: Vec<String>,
    pub sexes: Vec<Sex>,
    pub min_age: Option<u32>,
    pub max_age: Option<u32>,
    pub nationalities: Vec<String>,
    pub exploitation: Vec<String>,
    pub capacity: Option<u32>,
    pub available: Option<u32>,
    pub accepting: bool,
    pub languages: Option<String>,
    pub contact: Option<String>,
}

impl ProviderInput {
    pub fn validate(&self, refdata: &ReferenceData) -> Result<ValidatedProvider, ValidationErrors> {
        let v = &refdata.victims;
        let mut errs = ValidationErrors::new();
        let name = errs.take("name", required_text(self.name.as_deref(), 200));
        let unit_code = blank(&self.unit_code).map(str::to_string);
        let services = many_of(&mut errs, "services", &self.services, |s| {
            v.service(s).is_some()
        });
        if services.is_empty() && !errs.iter().any(|e| e.field == "services") {
            errs.add("services", Problem::Required);
        }
        let districts = many_of(&mut errs, "districts", &self.districts, |d| {
            refdata.district(d).is_some()
        });
        if districts.is_empty() && !errs.iter().any(|e| e.field == "districts") {
            errs.add("districts", Problem::Required);
        }
        let sexes: Vec<Sex> = many_of(&mut errs, "sexes", &self.sexes, |s| Sex::parse(s).is_some())
            .iter()
            .filter_map(|s| Sex::parse(s))
            .collect();
        let min_age = number(&mut errs, "min_age", &self.min_age, 120);
        let max_age = number(&mut errs, "max_age", &self.max_age, 120);
        if let (Some(lo), Some(hi)) = (min_age, max_age) {
            if hi < lo {
                errs.add(
                    "max_age",
                    Problem::DateBefore {
                        other: "min_age".into(),
                    },
                );
            }
        }
        let nationalities = many_of(&mut errs, "nationalities", &self.nationalities, |c| {
            refdata.country(c).is_some()
        });
        let exploitation = many_of(&mut errs, "exploitation", &self.exploitation, |e| {
            crate::crime::ExploitationForm::parse(e).is_some()
        });
        let capacity = number(&mut errs, "capacity", &self.capacity, 100_000);
        let available = number(&mut errs, "available", &self.available, 100_000);
        match (capacity, available) {
            (Some(c), Some(a)) if a > c => {
                errs.add("available", Problem::TooLarge { max: c.to_string() })
            }
            (None, Some(_)) => errs.add("capacity", Problem::Required),
            _ => {}
        }
        let languages = errs
            .take("languages", optional_text(self.languages.as_deref(), 300))
            .flatten();
        let contact = errs
            .take("contact", optional_text(self.contact.as_deref(), 500))
            .flatten();
        let p = ValidatedProvider {
            name: name.unwrap_or_default(),
            unit_code,
            services,
            districts,
            sexes,
            min_age,
            max_age,
            nationalities,
            exploitation,
            capacity,
            available,
            accepting: self.accepting,
            languages,
            contact,
        };
        errs.into_result(p)
    }
}

impl ValidatedProvider {
    pub fn offers(&self, service: &str) -> bool {
        self.services.iter().any(|s| s == service)
    }
    pub fn serves_district(&self, district: &str) -> bool {
        self.districts.iter().any(|d| d == district)
    }
    /// Whether it serves a person of this sex, age (when known), nationality (when known) and
    /// forms of exploitation (when known). An empty list serves everyone.
    pub fn serves_person(&self, who: &Eligibility) -> Vec<&'static str> {
        let mut misses = Vec::new();
        if !self.sexes.is_empty() && !self.sexes.contains(&who.sex) && who.sex != Sex::Unknown {
            misses.push("sex");
        }
        if let Some(age) = who.age {
            if self.min_age.is_some_and(|m| age < m) || self.max_age.is_some_and(|m| age > m) {
                misses.push("age");
            }
        }
        if let Some(n) = &who.nationality {
            if !self.nationalities.is_empty() && !self.nationalities.contains(n) {
                misses.push("nationality");
            }
        }
        if !self.exploitation.is_empty()
            && !who.exploitation.is_empty()
            && !who
                .exploitation
                .iter()
                .any(|e| self.exploitation.contains(e))
        {
            misses.push("exploitation");
        }
        misses
    }
}

/// What a provider's conditions are checked against.
#[derive(Debug, Clone)]
pub struct Eligibility {
    pub sex: Sex,
    pub age: Option<u32>,
    pub nationality: Option<String>,
    pub exploitation: Vec<String>,
}

// ------------------------------------------------------------------------------------------------
// Identification and the needs assessment
// ------------------------------------------------------------------------------------------------

/// The needs assessment as typed: an answer per question code, a note per area, and the rest.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct NeedsInput {
    pub answers: BTreeMap<String, String>,
    pub notes: BTreeMap<String, String>,
    /// Languages the person speaks.
    pub languages: Option<String>,
    /// Forms of exploitation the person went through.
    pub exploitation: Vec<String>,
    /// Treat as a minor even if the recorded age says otherwise (age in doubt: presume a child).
    pub presumed_minor: bool,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct NeedsAssessment {
    pub answers: BTreeMap<String, Answer>,
    pub notes: BTreeMap<String, String>,
    pub languages: Option<String>,
    pub exploitation: Vec<String>,
    pub presumed_minor: bool,
}

impl NeedsInput {
    pub fn validate(&self, refdata: &ReferenceData) -> Result<NeedsAssessment, ValidationErrors> {
        let v = &refdata.victims;
        let mut errs = ValidationErrors::new();
        let mut answers = BTreeMap::new();
        for (q, a) in &self.answers {
            let a = a.trim();
            if a.is_empty() {
                continue;
            }
            if !v.needs.iter().any(|n| &n.code == q) {
                errs.add(
                    format!("answers.{q}"),
                    Problem::UnknownCode { value: q.clone() },
                );
                continue;
            }
            match Answer::parse(a) {
                Some(ans) => {
                    answers.insert(q.clone(), ans);
                }
                None => errs.add(
                    format!("answers.{q}"),
                    Problem::UnknownCode {
                        value: a.to_string(),
                    },
                ),
            }
        }
        let mut notes = BTreeMap::new();
        for (area, text) in &self.notes {
            if !NEED_AREAS.contains(&area.as_str()) {
                errs.add(
                    format!("notes.{area}"),
                    Problem::UnknownCode {
                        value: area.clone(),
                    },
                );
                continue;
            }
            if let Some(t) = errs
                .take(
                    &format!("note_{area}"),
                    optional_text(Some(text.as_str()), NOTE_MAX),
                )
                .flatten()
            {
                notes.insert(area.clone(), t);
            }
        }
        let languages = errs
            .take("languages", optional_text(self.languages.as_deref(), 300))
            .flatten();
        let exploitation = many_of(&mut errs, "exploitation", &self.exploitation, |e| {
            crate::crime::ExploitationForm::parse(e).is_some()
        });
        errs.into_result(NeedsAssessment {
            answers,
            notes,
            languages,
            exploitation,
            presumed_minor: self.presumed_minor,
        })
    }
}

impl NeedsAssessment {
    /// The questions of one area answered so far, with the note: the text of a consentable field
    /// of that area (`safety`, `health`, `legal_status`, `family`, `debts`, `wishes`).
    pub fn area(&self, refdata: &ReferenceData, area: &str) -> (Vec<(String, Answer)>, String) {
        let answers = refdata
            .victims
            .needs_in(area)
            .filter_map(|n| self.answers.get(&n.code).map(|a| (n.code.clone(), *a)))
            .collect();
        (answers, self.notes.get(area).cloned().unwrap_or_default())
    }
}

// ------------------------------------------------------------------------------------------------
// Consent
// ------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ConsentInput {
    /// The recipient: a directory entry (provider id).
    pub provider: Option<String>,
    pub purpose: Option<String>,
    pub fields: Vec<String>,
    pub given_by: Option<String>,
    /// The guardian's or officer's name, when consent is given for a minor.
    pub giver_name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidatedConsent {
    pub provider: String,
    pub purpose: String,
    pub fields: Vec<String>,
    pub given_by: String,
    pub giver_name: Option<String>,
}

impl ConsentInput {
    /// `minor`: the person is (or is presumed) a child, so someone else consents for her.
    pub fn validate(
        &self,
        refdata: &ReferenceData,
        minor: bool,
    ) -> Result<ValidatedConsent, ValidationErrors> {
        let v = &refdata.victims;
        let mut errs = ValidationErrors::new();
        let provider = blank(&self.provider).map(str::to_string);
        if provider.is_none() {
            errs.add("provider", Problem::Required);
        }
        let purpose = one_of(&mut errs, "purpose", &self.purpose, &v.consent_uses);
        let fields = many_of(&mut errs, "fields", &self.fields, |f| v.is_consent_field(f));
        if fields.is_empty() && !errs.iter().any(|e| e.field == "fields") {
            errs.add("fields", Problem::Required);
        }
        let givers: Vec<String> = v.consent_givers.iter().map(|g| g.code.clone()).collect();
        let given_by = one_of(&mut errs, "given_by", &self.given_by, &givers);
        let giver_name = errs
            .take("giver_name", optional_text(self.giver_name.as_deref(), 200))
            .flatten();
        if let Some(g) = &given_by {
            let for_minor = v.consent_givers.iter().any(|c| &c.code == g && c.for_minor);
            if minor && !for_minor {
                errs.add("given_by", Problem::MinorNeedsGuardian);
            }
            if for_minor && giver_name.is_none() {
                errs.add("giver_name", Problem::Required);
            }
        }
        errs.into_result(ValidatedConsent {
            provider: provider.unwrap_or_default(),
            purpose: purpose.unwrap_or_default(),
            fields,
            given_by: given_by.unwrap_or_default(),
            giver_name,
        })
    }
}

// ------------------------------------------------------------------------------------------------
// Referrals
// ------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ReferralInput {
    pub provider: Option<String>,
    pub service: Option<String>,
    /// Where the service is needed.
    pub district: Option<String>,
    /// The consentable fields to share with the provider.
    pub fields: Vec<String>,
    pub urgent: bool,
    /// A message to the provider (no personal details: those go through consent).
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidatedReferral {
    pub provider: String,
    pub service: String,
    pub district: String,
    pub fields: Vec<String>,
    pub urgent: bool,
    pub note: Option<String>,
}

impl ReferralInput {
    pub fn validate(&self, refdata: &ReferenceData) -> Result<ValidatedReferral, ValidationErrors> {
        let v = &refdata.victims;
        let mut errs = ValidationErrors::new();
        let provider = blank(&self.provider).map(str::to_string);
        if provider.is_none() {
            errs.add("provider", Problem::Required);
        }
        let service_codes: Vec<String> = v.services.iter().map(|s| s.code.clone()).collect();
        let service = one_of(&mut errs, "service", &self.service, &service_codes);
        let district = match blank(&self.district) {
            None => {
                errs.add("district", Problem::Required);
                None
            }
            Some(d) if refdata.district(d).is_some() => Some(d.to_string()),
            Some(d) => {
                errs.add(
                    "district",
                    Problem::UnknownDistrict {
                        value: d.to_string(),
                    },
                );
                None
            }
        };
        let fields = many_of(&mut errs, "fields", &self.fields, |f| v.is_consent_field(f));
        let note = errs
            .take("note", optional_text(self.note.as_deref(), NOTE_MAX))
            .flatten();
        errs.into_result(ValidatedReferral {
            provider: provider.unwrap_or_default(),
            service: service.unwrap_or_default(),
            district: district.unwrap_or_default(),
            fields,
            urgent: self.urgent,
            note,
        })
    }
}

/// What the core knows when it checks a referral against stored records.
#[derive(Debug, Clone)]
pub struct ReferralContext<'a> {
    pub provider: &'a ValidatedProvider,
    /// The provider's places taken now (accepted, open referrals).
    pub places_taken: u32,
    /// Fields with active consent for this provider and service delivery.
    pub consented: &'a BTreeSet<String>,
    pub person: &'a Eligibility,
}

/// Every problem of a referral against the provider and the consents: the service not offered,
/// the district not served, the person outside whom the provider serves, no places, no consent
/// for a field. Empty when the referral may be sent.
pub fn referral_problems(
    r: &ValidatedReferral,
    ctx: &ReferralContext<'_>,
    refdata: &ReferenceData,
) -> ValidationErrors {
    let mut errs = ValidationErrors::new();
    let p = ctx.provider;
    if !p.offers(&r.service) {
        errs.add(
            "service",
            Problem::NotOffered {
                value: r.service.clone(),
            },
        );
    }
    if !p.serves_district(&r.district) {
        errs.add(
            "district",
            Problem::NotServed {
                value: r.district.clone(),
            },
        );
    }
    for miss in p.serves_person(ctx.person) {
        errs.add(
            "provider",
            Problem::NotEligible {
                value: miss.to_string(),
            },
        );
    }
    if !p.accepting {
        errs.add("provider", Problem::NotAccepting);
    }
    let limited = refdata
        .victims
        .service(&r.service)
        .is_some_and(|s| s.capacity_limited);
    if limited {
        if let Some(cap) = p.capacity {
            let free = p
                .available
                .unwrap_or(cap)
                .min(cap.saturating_sub(ctx.places_taken));
            if free == 0 {
                errs.add(
                    "provider",
                    Problem::CapacityExceeded {
                        max: cap.to_string(),
                    },
                );
            }
        }
    }
    for f in &r.fields {
        if !ctx.consented.contains(f) {
            errs.add(
                "fields",
                Problem::ConsentMissing {
                    value: f.to_string(),
                },
            );
        }
    }
    errs
}

/// A provider's answer to a referral.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ResponseInput {
    /// `accept` or `decline`.
    pub decision: Option<String>,
    pub reason: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidatedResponse {
    pub accept: bool,
    pub reason: Option<String>,
    pub note: Option<String>,
}

impl ResponseInput {
    pub fn validate(&self, refdata: &ReferenceData) -> Result<ValidatedResponse, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let accept = match blank(&self.decision) {
            Some("accept") => Some(true),
            Some("decline") => Some(false),
            None => {
                errs.add("decision", Problem::Required);
                None
            }
            Some(v) => {
                errs.add(
                    "decision",
                    Problem::UnknownCode {
                        value: v.to_string(),
                    },
                );
                None
            }
        };
        let reason = if accept == Some(false) {
            one_of(
                &mut errs,
                "reason",
                &self.reason,
                &refdata.victims.decline_reasons,
            )
        } else {
            None
        };
        let note = errs
            .take("note", optional_text(self.note.as_deref(), NOTE_MAX))
            .flatten();
        errs.into_result(ValidatedResponse {
            accept: accept.unwrap_or(false),
            reason,
            note,
        })
    }
}

/// A service delivered under a referral.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct ServiceInput {
    pub service: Option<String>,
    pub delivered_on: Option<String>,
    /// The last day, for a stay or a course.
    pub until: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidatedService {
    pub service: String,
    pub delivered_on: NaiveDate,
    pub until: Option<NaiveDate>,
    pub note: Option<String>,
}

impl ServiceInput {
    /// `referred_on`: the day the referral was sent (nothing is delivered before it).
    pub fn validate(
        &self,
        refdata: &ReferenceData,
        referred_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<ValidatedService, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let codes: Vec<String> = refdata
            .victims
            .services
            .iter()
            .map(|s| s.code.clone())
            .collect();
        let service = one_of(&mut errs, "service", &self.service, &codes);
        let delivered_on = date_field(&mut errs, "delivered_on", &self.delivered_on, today, false);
        if delivered_on.is_none() && blank(&self.delivered_on).is_none() {
            errs.add("delivered_on", Problem::Required);
        }
        if delivered_on.is_some_and(|d| d < referred_on) {
            errs.add(
                "delivered_on",
                Problem::DateBefore {
                    other: "referred_on".into(),
                },
            );
        }
        // A stay may be planned to go on: its end may lie ahead.
        let until = date_field(&mut errs, "until", &self.until, today, true);
        if let (Some(d), Some(u)) = (delivered_on, until) {
            if u < d {
                errs.add(
                    "until",
                    Problem::DateBefore {
                        other: "delivered_on".into(),
                    },
                );
            }
        }
        let note = errs
            .take("note", optional_text(self.note.as_deref(), NOTE_MAX))
            .flatten();
        errs.into_result(ValidatedService {
            service: service.unwrap_or_default(),
            delivered_on: delivered_on.unwrap_or(today),
            until,
            note,
        })
    }
}

/// Closing a referral or a protection file.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CloseInput {
    pub reason: Option<String>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidatedClose {
    pub reason: String,
    pub note: Option<String>,
}

impl CloseInput {
    pub fn validate(&self, reasons: &[String]) -> Result<ValidatedClose, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let reason = one_of(&mut errs, "reason", &self.reason, reasons);
        let note = errs
            .take("note", optional_text(self.note.as_deref(), NOTE_MAX))
            .flatten();
        errs.into_result(ValidatedClose {
            reason: reason.unwrap_or_default(),
            note,
        })
    }
}

// ------------------------------------------------------------------------------------------------
// The case plan, follow-up and cooperation with prosecution
// ------------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct PlanItemInput {
    pub kind: Option<String>,
    pub area: Option<String>,
    pub text: Option<String>,
    /// A goal's target date, a task's due date, a visit's date.
    pub date: Option<String>,
    /// At a visit: the risk of being trafficked again.
    pub risk: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidatedPlanItem {
    pub kind: PlanKind,
    pub area: Option<String>,
    pub text: String,
    pub date: Option<NaiveDate>,
    pub risk: Option<RiskLevel>,
}

impl PlanItemInput {
    /// `identified_on`: nothing in the plan comes before the identification.
    pub fn validate(
        &self,
        refdata: &ReferenceData,
        identified_on: NaiveDate,
        today: NaiveDate,
    ) -> Result<ValidatedPlanItem, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let kind = match blank(&self.kind) {
            None => {
                errs.add("kind", Problem::Required);
                None
            }
            Some(k) => errs.take(
                "kind",
                PlanKind::parse(k).ok_or(Problem::UnknownCode {
                    value: k.to_string(),
                }),
            ),
        };
        let area = match blank(&self.area) {
            None => None,
            Some(a) if refdata.victims.plan_areas.iter().any(|p| p == a) => Some(a.to_string()),
            Some(a) => {
                errs.add(
                    "area",
                    Problem::UnknownCode {
                        value: a.to_string(),
                    },
                );
                None
            }
        };
        let text = errs.take("text", required_text(self.text.as_deref(), NOTE_MAX));
        // A visit has happened (not in the future); goals and tasks lie ahead.
        let is_visit = kind == Some(PlanKind::Visit);
        let date = date_field(&mut errs, "date", &self.date, today, !is_visit);
        if is_visit && date.is_none() && blank(&self.date).is_none() {
            errs.add("date", Problem::Required);
        }
        if date.is_some_and(|d| d < identified_on) {
            errs.add(
                "date",
                Problem::DateBefore {
                    other: "identified_on".into(),
                },
            );
        }
        let risk = match blank(&self.risk) {
            None => None,
            Some(r) => errs.take(
                "risk",
                RiskLevel::parse(r).ok_or(Problem::UnknownCode {
                    value: r.to_string(),
                }),
            ),
        };
        errs.into_result(ValidatedPlanItem {
            kind: kind.unwrap_or(PlanKind::Task),
            area,
            text: text.unwrap_or_default(),
            date,
            risk,
        })
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(default)]
pub struct CooperationInput {
    pub willing_to_testify: Option<String>,
    pub requested: Vec<String>,
    pub granted: Vec<String>,
    pub requested_on: Option<String>,
    pub granted_on: Option<String>,
    pub note: Option<String>,
}

/// Cooperation with prosecution: what investigators and prosecutors see of a witness's support.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cooperation {
    pub willing_to_testify: Option<Willingness>,
    pub requested: Vec<String>,
    pub granted: Vec<String>,
    pub requested_on: Option<NaiveDate>,
    pub granted_on: Option<NaiveDate>,
    pub note: Option<String>,
}

impl CooperationInput {
    pub fn validate(
        &self,
        refdata: &ReferenceData,
        today: NaiveDate,
    ) -> Result<Cooperation, ValidationErrors> {
        let measures = &refdata.victims.protection_measures;
        let mut errs = ValidationErrors::new();
        let willing = match blank(&self.willing_to_testify) {
            None => None,
            Some(w) => errs.take(
                "willing_to_testify",
                Willingness::parse(w).ok_or(Problem::UnknownCode {
                    value: w.to_string(),
                }),
            ),
        };
        let requested = many_of(&mut errs, "requested", &self.requested, |m| {
            measures.iter().any(|x| x == m)
        });
        let granted = many_of(&mut errs, "granted", &self.granted, |m| {
            measures.iter().any(|x| x == m)
        });
        for g in &granted {
            if !requested.contains(g) {
                errs.add("granted", Problem::NotRequested { value: g.clone() });
            }
        }
        let requested_on = date_field(&mut errs, "requested_on", &self.requested_on, today, false);
        let granted_on = date_field(&mut errs, "granted_on", &self.granted_on, today, false);
        if let (Some(r), Some(g)) = (requested_on, granted_on) {
            if g < r {
                errs.add(
                    "granted_on",
                    Problem::DateBefore {
                        other: "requested_on".into(),
                    },
                );
            }
        }
        let note = errs
            .take("note", optional_text(self.note.as_deref(), NOTE_MAX))
            .flatten();
        errs.into_result(Cooperation {
            willing_to_testify: willing,
            requested,
            granted,
            requested_on,
            granted_on,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refdata() -> ReferenceData {
        ReferenceData::embedded().unwrap()
    }

    fn codes_of(e: &ValidationErrors) -> Vec<(String, &'static str)> {
        e.iter()
            .map(|f| (f.field.clone(), f.problem.code()))
            .collect()
    }

    fn shelter() -> ValidatedProvider {
        ProviderInput {
            name: Some("Dastak Shelter, Karachi".into()),
            services: vec!["shelter".into(), "psychosocial".into()],
            districts: vec!["karachi-south".into(), "keamari".into()],
            sexes: vec!["female".into()],
            capacity: Some("2".into()),
            available: Some("2".into()),
            accepting: true,
            ..Default::default()
        }
        .validate(&refdata())
        .unwrap()
    }

    fn girl() -> Eligibility {
        Eligibility {
            sex: Sex::Female,
            age: Some(15),
            nationality: Some("PAK".into()),
            exploitation: vec![],
        }
    }

    #[test]
    fn the_data_file_is_valid_and_checked() {
        let r = VictimsReference::embedded().unwrap();
        assert!(r.service("shelter").is_some_and(|s| s.capacity_limited));
        assert_eq!(r.response_hours("shelter"), 24);
        assert_eq!(r.response_hours("legal_aid"), r.overdue_after_hours);
        for area in NEED_AREAS {
            assert!(r.needs_in(area).count() > 0, "{area} has questions");
        }
        let bad = VICTIMS_DATA.replace("area = \"debts\"", "area = \"money\"");
        let e = VictimsReference::parse(&bad).unwrap_err();
        assert!(
            e.iter().any(|p| p.contains("unknown area `money`")),
            "{e:?}"
        );
        let twice = format!("{VICTIMS_DATA}\n[[decline_reason]]\ncode = \"other\"\n");
        let e = VictimsReference::parse(&twice).unwrap_err();
        assert!(e
            .iter()
            .any(|p| p.contains("decline_reason `other` is defined twice")));
    }

    #[test]
    fn a_directory_entry_collects_every_problem() {
        let e = ProviderInput {
            services: vec!["massage".into()],
            districts: vec!["atlantis".into()],
            min_age: Some("18".into()),
            max_age: Some("12".into()),
            capacity: Some("3".into()),
            available: Some("5".into()),
            ..Default::default()
        }
        .validate(&refdata())
        .unwrap_err();
        let c = codes_of(&e);
        assert!(c.contains(&("name".into(), "required")));
        assert!(c.contains(&("services".into(), "unknown-code")));
        assert!(c.contains(&("districts".into(), "unknown-code")));
        assert!(c.contains(&("max_age".into(), "date-before")));
        assert!(c.contains(&("available".into(), "too-large")));
    }

    fn referral(service: &str, district: &str, fields: &[&str]) -> ValidatedReferral {
        ReferralInput {
            provider: Some("p".into()),
            service: Some(service.into()),
            district: Some(district.into()),
            fields: fields.iter().map(|s| s.to_string()).collect(),
            ..Default::default()
        }
        .validate(&refdata())
        .unwrap()
    }

    #[test]
    fn a_referral_is_checked_against_the_provider_and_the_consents() {
        let r = refdata();
        let p = shelter();
        let consented: BTreeSet<String> = ["name".to_string(), "age".to_string()].into();
        let who = girl();
        let ctx = ReferralContext {
            provider: &p,
            places_taken: 0,
            consented: &consented,
            person: &who,
        };
        assert!(
            referral_problems(&referral("shelter", "keamari", &["name", "age"]), &ctx, &r)
                .is_empty()
        );
        // Not offered, not served, a field without consent: each named.
        let e = referral_problems(
            &referral("legal_aid", "lahore", &["name", "health"]),
            &ctx,
            &r,
        );
        let c = codes_of(&e);
        assert!(c.contains(&("service".into(), "not-offered")), "{c:?}");
        assert!(c.contains(&("district".into(), "not-served")), "{c:?}");
        assert!(c.contains(&("fields".into(), "consent-missing")), "{c:?}");
        assert_eq!(c.len(), 3, "{c:?}");
        // Capacity: both places taken.
        let full = ReferralContext {
            places_taken: 2,
            ..ctx.clone()
        };
        let e = referral_problems(&referral("shelter", "keamari", &[]), &full, &r);
        assert_eq!(codes_of(&e), vec![("provider".into(), "capacity-exceeded")]);
        // The provider said none are free, whatever the count says.
        let mut none_free = shelter();
        none_free.available = Some(0);
        let e = referral_problems(
            &referral("shelter", "keamari", &[]),
            &ReferralContext {
                provider: &none_free,
                ..ctx.clone()
            },
            &r,
        );
        assert_eq!(codes_of(&e), vec![("provider".into(), "capacity-exceeded")]);
        // Psychosocial support takes no places.
        assert!(referral_problems(&referral("psychosocial", "keamari", &[]), &full, &r).is_empty());
        // A man is not served by a women's shelter.
        let man = Eligibility {
            sex: Sex::Male,
            ..girl()
        };
        let e = referral_problems(
            &referral("shelter", "keamari", &[]),
            &ReferralContext {
                person: &man,
                ..ctx
            },
            &r,
        );
        assert_eq!(codes_of(&e), vec![("provider".into(), "not-eligible")]);
    }

    #[test]
    fn referral_input_problems_are_all_listed() {
        let e = ReferralInput {
            service: Some("spa".into()),
            district: Some("atlantis".into()),
            fields: vec!["shoe_size".into()],
            ..Default::default()
        }
        .validate(&refdata())
        .unwrap_err();
        let c = codes_of(&e);
        assert!(c.contains(&("provider".into(), "required")));
        assert!(c.contains(&("service".into(), "unknown-code")));
        assert!(c.contains(&("district".into(), "unknown-district")));
        assert!(c.contains(&("fields".into(), "unknown-code")));
    }

    #[test]
    fn the_status_machine_and_overdue() {
        use ReferralStatus::*;
        assert!(Sent.can_move(Accepted));
        assert!(Sent.can_move(Declined));
        assert!(
            !Sent.can_move(InService),
            "a service needs an accepted referral"
        );
        assert!(!Declined.can_move(Accepted));
        assert!(!Closed.can_move(InService));
        assert!(InService.can_move(InService));
        let sent = Utc::now() - Duration::hours(30);
        assert!(is_overdue(Sent, sent, Utc::now(), 24));
        assert!(!is_overdue(Sent, sent, Utc::now(), 72));
        assert!(!is_overdue(Accepted, sent, Utc::now(), 24), "answered");
    }

    #[test]
    fn consent_for_a_minor_is_given_by_a_guardian() {
        let r = refdata();
        let input = ConsentInput {
            provider: Some("p".into()),
            purpose: Some("service_delivery".into()),
            fields: vec!["name".into(), "age".into()],
            given_by: Some("self".into()),
            giver_name: None,
        };
        assert!(input.validate(&r, false).is_ok());
        let e = input.validate(&r, true).unwrap_err();
        assert_eq!(
            codes_of(&e),
            vec![("given_by".into(), "minor-needs-guardian")]
        );
        let guardian = ConsentInput {
            given_by: Some("guardian".into()),
            ..input.clone()
        };
        let e = guardian.validate(&r, true).unwrap_err();
        assert_eq!(codes_of(&e), vec![("giver_name".into(), "required")]);
        let e = ConsentInput {
            fields: vec![],
            purpose: Some("gossip".into()),
            ..input
        }
        .validate(&r, false)
        .unwrap_err();
        let c = codes_of(&e);
        assert!(c.contains(&("fields".into(), "required")));
        assert!(c.contains(&("purpose".into(), "unknown-code")));
    }

    #[test]
    fn dates_out_of_order_are_refused() {
        let r = refdata();
        let today = NaiveDate::from_ymd_opt(2026, 3, 10).unwrap();
        let sent = NaiveDate::from_ymd_opt(2026, 3, 5).unwrap();
        let e = ServiceInput {
            service: Some("shelter".into()),
            delivered_on: Some("2026-03-01".into()),
            until: Some("2026-02-20".into()),
            note: None,
        }
        .validate(&r, sent, today)
        .unwrap_err();
        let c = codes_of(&e);
        assert!(c.contains(&("delivered_on".into(), "date-before")), "{c:?}");
        assert!(c.contains(&("until".into(), "date-before")), "{c:?}");
        let e = ServiceInput {
            service: Some("shelter".into()),
            delivered_on: Some("2026-04-01".into()),
            ..Default::default()
        }
        .validate(&r, sent, today)
        .unwrap_err();
        assert_eq!(
            codes_of(&e),
            vec![("delivered_on".into(), "date-in-future")]
        );
        let e = PlanItemInput {
            kind: Some("visit".into()),
            text: Some("Home visit".into()),
            date: Some("2026-03-01".into()),
            risk: Some("high".into()),
            ..Default::default()
        }
        .validate(&r, sent, today)
        .unwrap_err();
        assert_eq!(codes_of(&e), vec![("date".into(), "date-before")]);
        let e = CooperationInput {
            willing_to_testify: Some("willing".into()),
            requested: vec!["in_camera_hearing".into()],
            granted: vec!["relocation".into()],
            requested_on: Some("2026-03-08".into()),
            granted_on: Some("2026-03-07".into()),
            note: None,
        }
        .validate(&r, today)
        .unwrap_err();
        let c = codes_of(&e);
        assert!(c.contains(&("granted".into(), "not-requested")), "{c:?}");
        assert!(c.contains(&("granted_on".into(), "date-before")), "{c:?}");
    }

    #[test]
    fn a_decline_needs_a_reason() {
        let r = refdata();
        let e = ResponseInput {
            decision: Some("decline".into()),
            ..Default::default()
        }
        .validate(&r)
        .unwrap_err();
        assert_eq!(codes_of(&e), vec![("reason".into(), "required")]);
        assert!(
            ResponseInput {
                decision: Some("accept".into()),
                ..Default::default()
            }
            .validate(&r)
            .unwrap()
            .accept
        );
    }

    #[test]
    fn needs_answers_are_checked() {
        let r = refdata();
        let mut input = NeedsInput::default();
        input.answers.insert("in_danger_now".into(), "yes".into());
        input.answers.insert("likes_cats".into(), "yes".into());
        input.answers.insert("pregnant".into(), "maybe".into());
        let e = input.validate(&r).unwrap_err();
        assert_eq!(e.0.len(), 2);
        input.answers.remove("likes_cats");
        input.answers.insert("pregnant".into(), "no".into());
        input
            .notes
            .insert("safety".into(), "Agent phoned her mother".into());
        let a = input.validate(&r).unwrap();
        let (answers, note) = a.area(&r, "safety");
        assert_eq!(answers, vec![("in_danger_now".to_string(), Answer::Yes)]);
        assert_eq!(note, "Agent phoned her mother");
    }
}
