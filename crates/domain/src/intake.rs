//! Intake of deportees, offloadees and intercepted migrants: the batch a person arrived in, the
//! interview that records their route, payments, agents and documents, the outcome of their
//! processing, and the rules that raise doubts about a claimed nationality.
//!
//! Everything here is pure: the store keeps batches and entries, the core screens them against the
//! database. Validation takes "today" as a parameter and collects every problem.

use crate::assessment::AssessmentFacts;
use crate::code_enum;
use crate::crime::CrimeType;
use crate::error::{optional_text, Problem, ValidationErrors};
use crate::identifiers::{IdentifierKind, Phone};
use crate::person::{parse_past_date, ChainRole, ValidatedPerson};
use crate::reference::ReferenceData;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

const INTAKE_DATA: &str = include_str!("../data/intake.toml");

code_enum! {
    /// What brought the people of a batch to the receiving post.
    pub enum BatchKind {
        /// Returned by a foreign state (flight, ship).
        Deportation = "deportation",
        /// Handed over at a land border (e.g. by Iran at Taftan).
        Handover = "handover",
        /// Intercepted by the task force, police or coast guard on the way out.
        Interception = "interception",
        /// Stopped from leaving at an exit point (immigration offloading).
        Offloading = "offloading",
    }
}

code_enum! {
    pub enum TravelMode {
        Land = "land",
        Sea = "sea",
        Air = "air",
    }
}

code_enum! {
    /// How an agent was paid: the trail investigators follow differs for each.
    pub enum PaymentMethod {
        Cash = "cash",
        Bank = "bank",
        Hawala = "hawala",
        Instalments = "instalments",
        Debt = "debt",
    }
}

code_enum! {
    pub enum DocumentKind {
        Passport = "passport",
        Visa = "visa",
        Cnic = "cnic",
        WorkPermit = "work_permit",
        Ticket = "ticket",
        Other = "other",
    }
}

code_enum! {
    pub enum DocumentStatus {
        Genuine = "genuine",
        Forged = "forged",
        FraudulentlyObtained = "fraudulently_obtained",
        Unknown = "unknown",
    }
}

code_enum! {
    /// What became of one person at intake.
    pub enum IntakeOutcome {
        Released = "released",
        /// Referred to shelter, medical, legal or other services.
        Referred = "referred",
        /// Registered as a victim in a case (new or existing).
        VictimInCase = "victim_in_case",
        /// Registered as a witness in a case.
        WitnessInCase = "witness_in_case",
        /// Named as an accused in a case.
        AccusedInCase = "accused_in_case",
    }
}

impl IntakeOutcome {
    /// Outcomes that put the person into a case.
    pub fn needs_case(self) -> bool {
        matches!(
            self,
            IntakeOutcome::VictimInCase
                | IntakeOutcome::WitnessInCase
                | IntakeOutcome::AccusedInCase
        )
    }
}

code_enum! {
    /// Where one person stands in the processing of a batch.
    pub enum IntakeStatus {
        Pending = "pending",
        Interviewed = "interviewed",
        Done = "done",
    }
}

code_enum! {
    /// Why screening drew attention to a person.
    pub enum FlagKind {
        /// Same CNIC or passport as a person already recorded.
        SameIdentifier = "same_identifier",
        /// Similar name, parentage and birth date to a person already recorded.
        SimilarPerson = "similar_person",
        /// Deported, offloaded or intercepted before: screen as a possible victim, never charge for it.
        RepeatEncounter = "repeat_encounter",
        /// On the most-wanted book or the list of the convicted.
        Watchlist = "watchlist",
        /// Something casts doubt on the claimed (Pakistani) nationality.
        NationalityDoubt = "nationality_doubt",
    }
}

code_enum! {
    /// The lists of persons kept by the agency that intake screens against.
    pub enum WatchList {
        MostWanted = "most_wanted",
        Convicted = "convicted",
    }
}

code_enum! {
    /// The officer's decision on the TIP / SOM question (the system's suggestion is kept beside it).
    pub enum Classification {
        Trafficking = "trafficking",
        Smuggling = "smuggling",
        Both = "both",
        Neither = "neither",
    }
}

/// One CNIC province digit and the provinces it stands for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CnicProvince {
    digit: u8,
    provinces: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CaseProvision {
    crime_type: CrimeType,
    provision: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct IntakeFile {
    case_provision: Vec<CaseProvision>,
    cnic_province: Vec<CnicProvince>,
    currencies: Vec<String>,
    claimed_pakistani_watch: Vec<String>,
}

/// The intake's reference data (`data/intake.toml`), checked against the gazetteer and countries.
#[derive(Debug, Clone, Default)]
pub struct IntakeReference {
    cnic_province: BTreeMap<u8, Vec<String>>,
    pub currencies: Vec<String>,
    pub claimed_pakistani_watch: BTreeSet<String>,
    case_provisions: BTreeMap<CrimeType, String>,
}

impl IntakeReference {
    pub fn embedded(refdata: &ReferenceData) -> Result<IntakeReference, Vec<String>> {
        Self::parse(INTAKE_DATA, refdata)
    }

    pub fn parse(src: &str, refdata: &ReferenceData) -> Result<IntakeReference, Vec<String>> {
        let file: IntakeFile =
            toml::from_str(src).map_err(|e| vec![format!("intake.toml: {e}")])?;
        let mut problems = Vec::new();
        let mut cnic_province = BTreeMap::new();
        for row in file.cnic_province {
            if !(1..=9).contains(&row.digit) {
                problems.push(format!("intake.toml: CNIC digit {} is not 1-9", row.digit));
            }
            for p in &row.provinces {
                if refdata.province(p).is_none() {
                    problems.push(format!(
                        "intake.toml: CNIC digit {} names unknown province `{p}`",
                        row.digit
                    ));
                }
            }
            if cnic_province.insert(row.digit, row.provinces).is_some() {
                problems.push(format!("intake.toml: CNIC digit {} twice", row.digit));
            }
        }
        for c in &file.currencies {
            if c.len() != 3 || !c.chars().all(|ch| ch.is_ascii_uppercase()) {
                problems.push(format!("intake.toml: `{c}` is not an ISO 4217 code"));
            }
        }
        for c in &file.claimed_pakistani_watch {
            if refdata.country(c).is_none() {
                problems.push(format!("intake.toml: unknown country `{c}`"));
            }
        }
        let mut case_provisions = BTreeMap::new();
        for cp in file.case_provision {
            match refdata.provision(&cp.provision) {
                None => problems.push(format!("intake.toml: unknown provision `{}`", cp.provision)),
                Some(p) if !p.crime_types.contains(&cp.crime_type) => problems.push(format!(
                    "intake.toml: provision `{}` is not for {}",
                    cp.provision, cp.crime_type
                )),
                Some(_) => {}
            }
            case_provisions.insert(cp.crime_type, cp.provision);
        }
        if problems.is_empty() {
            Ok(IntakeReference {
                case_provisions,
                cnic_province,
                currencies: file.currencies,
                claimed_pakistani_watch: file.claimed_pakistani_watch.into_iter().collect(),
            })
        } else {
            Err(problems)
        }
    }

    /// The section a case of this crime type opened at intake is registered under.
    pub fn case_provision(&self, crime_type: CrimeType) -> Option<&str> {
        self.case_provisions.get(&crime_type).map(String::as_str)
    }

    /// The provinces a CNIC's first digit stands for.
    pub fn cnic_provinces(&self, cnic_digits: &str) -> &[String] {
        cnic_digits
            .chars()
            .next()
            .and_then(|c| c.to_digit(10))
            .and_then(|d| u8::try_from(d).ok())
            .and_then(|d| self.cnic_province.get(&d))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

/// A batch as typed into the form or given to the CLI.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct BatchInput {
    pub kind: Option<String>,
    /// The receiving post: an exit point or crossing of the gazetteer (e.g. `KHI-SEAPORT`).
    pub post: Option<String>,
    pub arrival_date: Option<String>,
    /// The sending country (deportation, handover) or intended destination (offloading,
    /// interception): ISO alpha-3.
    pub country: Option<String>,
    /// Where an interception happened, in words (a coastal point, a road near Turbat).
    pub place: Option<String>,
    /// Flight, vessel or letter number of the sending authority.
    pub reference: Option<String>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidatedBatch {
    pub kind: BatchKind,
    pub post: String,
    pub arrival_date: NaiveDate,
    pub country: Option<String>,
    pub place: Option<String>,
    pub reference: Option<String>,
    pub notes: Option<String>,
}

impl BatchInput {
    pub fn validate(
        &self,
        refdata: &ReferenceData,
        today: NaiveDate,
    ) -> Result<ValidatedBatch, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let kind = match blank(&self.kind) {
            None => {
                errs.add("kind", Problem::Required);
                None
            }
            Some(k) => errs.take(
                "kind",
                BatchKind::parse(k).ok_or(Problem::UnknownCode {
                    value: k.to_string(),
                }),
            ),
        };
        let post = match blank(&self.post) {
            None => {
                errs.add("post", Problem::Required);
                None
            }
            Some(p) => {
                let code = p.to_ascii_uppercase();
                if refdata.place(&code).is_some() {
                    Some(code)
                } else {
                    errs.add(
                        "post",
                        Problem::UnknownCode {
                            value: p.to_string(),
                        },
                    );
                    None
                }
            }
        };
        let arrival_date = match blank(&self.arrival_date) {
            None => {
                errs.add("arrival_date", Problem::Required);
                None
            }
            Some(d) => errs.take("arrival_date", parse_past_date(d, today)),
        };
        let country = blank(&self.country).and_then(|c| {
            let code = c.to_ascii_uppercase();
            errs.take(
                "country",
                refdata
                    .country(&code)
                    .map(|_| code.clone())
                    .ok_or(Problem::UnknownCountry {
                        value: c.to_string(),
                    }),
            )
        });
        if matches!(kind, Some(BatchKind::Deportation | BatchKind::Handover))
            && country.is_none()
            && blank(&self.country).is_none()
        {
            errs.add("country", Problem::Required);
        }
        let place = errs
            .take("place", optional_text(self.place.as_deref(), 200))
            .flatten();
        if kind == Some(BatchKind::Interception) && place.is_none() && blank(&self.place).is_none()
        {
            errs.add("place", Problem::Required);
        }
        let reference = errs
            .take("reference", optional_text(self.reference.as_deref(), 80))
            .flatten();
        let notes = errs
            .take("notes", optional_text(self.notes.as_deref(), 4000))
            .flatten();
        match (kind, post, arrival_date) {
            (Some(kind), Some(post), Some(arrival_date)) if errs.is_empty() => Ok(ValidatedBatch {
                kind,
                post,
                arrival_date,
                country,
                place,
                reference,
                notes,
            }),
            _ => Err(errs),
        }
    }
}

/// One payment as typed in the interview.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentInput {
    pub amount: Option<String>,
    pub currency: Option<String>,
    /// To whom: a name, or "agent 1" style reference to a named agent.
    pub paid_to: Option<String>,
    pub method: Option<String>,
    pub note: Option<String>,
}

/// An agent or facilitator named by the person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AgentInput {
    pub name: Option<String>,
    pub phone: Option<String>,
    pub place: Option<String>,
    pub chain_role: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DocumentInput {
    pub kind: Option<String>,
    pub status: Option<String>,
    pub note: Option<String>,
}

/// The interview as the form holds it: every value a string, nothing trusted. Saved as a draft
/// on every change (so nothing is lost), validated when the officer completes it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InterviewInput {
    pub origin_district: Option<String>,
    /// Exit point of the gazetteer, if the person left through one.
    pub exit_point: Option<String>,
    /// ISO alpha-3 codes of the countries crossed, in order.
    pub transit_countries: Vec<String>,
    /// Places on the way in words (Turbat, Mashkel, Van, Tripoli).
    pub transit_places: Option<String>,
    pub destination_country: Option<String>,
    pub mode: Option<String>,
    pub departure_date: Option<String>,
    pub apprehension_date: Option<String>,
    pub payments: Vec<PaymentInput>,
    pub agents: Vec<AgentInput>,
    pub documents: Vec<DocumentInput>,
    /// The trafficking and smuggling facts (act, means, purpose, border, benefit, consent).
    pub facts: AssessmentFacts,
    pub notes: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// Whole units of the currency.
    pub amount: i64,
    pub currency: String,
    pub paid_to: Option<String>,
    pub method: Option<PaymentMethod>,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentMention {
    pub name: String,
    pub phone: Option<Phone>,
    pub place: Option<String>,
    pub chain_role: ChainRole,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentUsed {
    pub kind: DocumentKind,
    pub status: DocumentStatus,
    pub note: Option<String>,
}

/// A completed interview: route, dates, payments, agents, documents and the assessment facts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interview {
    pub origin_district: Option<String>,
    pub exit_point: Option<String>,
    pub transit_countries: Vec<String>,
    pub transit_places: Option<String>,
    pub destination_country: Option<String>,
    pub mode: Option<TravelMode>,
    pub departure_date: Option<NaiveDate>,
    pub apprehension_date: Option<NaiveDate>,
    pub payments: Vec<Payment>,
    pub agents: Vec<AgentMention>,
    pub documents: Vec<DocumentUsed>,
    pub facts: AssessmentFacts,
    pub notes: Option<String>,
}

impl Interview {
    /// Total paid, per currency.
    pub fn paid_by_currency(&self) -> BTreeMap<String, i64> {
        let mut m = BTreeMap::new();
        for p in &self.payments {
            *m.entry(p.currency.clone()).or_insert(0) += p.amount;
        }
        m
    }
}

/// The largest single payment taken as plausible (a boat to Europe costs a few million rupees).
pub const MAX_PAYMENT: i64 = 100_000_000;
/// Rows of each list an interview may hold; more is a mistake, not a story.
pub const MAX_ROWS: usize = 20;

fn code_field<T>(
    errs: &mut ValidationErrors,
    field: &str,
    raw: Option<&str>,
    parse: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let r = raw?;
    errs.take(
        field,
        parse(r).ok_or(Problem::UnknownCode {
            value: r.to_string(),
        }),
    )
}

fn date_field(
    errs: &mut ValidationErrors,
    field: &str,
    raw: Option<&str>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    raw.and_then(|d| errs.take(field, parse_past_date(d, today)))
}

fn country_field(
    errs: &mut ValidationErrors,
    field: &str,
    raw: Option<&str>,
    refdata: &ReferenceData,
) -> Option<String> {
    let r = raw?;
    let code = r.to_ascii_uppercase();
    errs.take(
        field,
        refdata
            .country(&code)
            .map(|_| code.clone())
            .ok_or(Problem::UnknownCountry {
                value: r.to_string(),
            }),
    )
}

/// A row of a repeated group with nothing typed in it is ignored, not an error: forms show
/// empty rows for the officer to fill.
fn all_blank(values: &[&Option<String>]) -> bool {
    values.iter().all(|v| blank(v).is_none())
}

impl InterviewInput {
    pub fn validate(
        &self,
        refdata: &ReferenceData,
        intake: &IntakeReference,
        today: NaiveDate,
    ) -> Result<Interview, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let origin_district = blank(&self.origin_district).and_then(|d| {
            errs.take(
                "origin_district",
                refdata
                    .district(d)
                    .map(|x| x.code.clone())
                    .ok_or(Problem::UnknownDistrict {
                        value: d.to_string(),
                    }),
            )
        });
        let exit_point = blank(&self.exit_point).and_then(|p| {
            let code = p.to_ascii_uppercase();
            errs.take(
                "exit_point",
                refdata
                    .place(&code)
                    .map(|_| code.clone())
                    .ok_or(Problem::UnknownCode {
                        value: p.to_string(),
                    }),
            )
        });
        let mut transit_countries = Vec::new();
        for (i, c) in self.transit_countries.iter().enumerate() {
            let t = c.trim();
            if t.is_empty() {
                continue;
            }
            if let Some(code) = country_field(
                &mut errs,
                &format!("transit_countries[{i}]"),
                Some(t),
                refdata,
            ) {
                if !transit_countries.contains(&code) {
                    transit_countries.push(code);
                }
            }
        }
        let transit_places = errs
            .take(
                "transit_places",
                optional_text(self.transit_places.as_deref(), 500),
            )
            .flatten();
        let destination_country = country_field(
            &mut errs,
            "destination_country",
            blank(&self.destination_country),
            refdata,
        );
        let mode = code_field(&mut errs, "mode", blank(&self.mode), TravelMode::parse);
        let departure_date = date_field(
            &mut errs,
            "departure_date",
            blank(&self.departure_date),
            today,
        );
        let apprehension_date = date_field(
            &mut errs,
            "apprehension_date",
            blank(&self.apprehension_date),
            today,
        );
        if let (Some(d), Some(a)) = (departure_date, apprehension_date) {
            if a < d {
                errs.add(
                    "apprehension_date",
                    Problem::DateBefore {
                        other: "departure_date".into(),
                    },
                );
            }
        }

        let mut payments = Vec::new();
        for (i, p) in self.payments.iter().enumerate() {
            // The currency alone says nothing: forms preselect it on every row.
            if all_blank(&[&p.amount, &p.paid_to, &p.method, &p.note]) {
                continue;
            }
            let f = |name: &str| format!("payments[{i}].{name}");
            let amount = match blank(&p.amount) {
                None => {
                    errs.add(f("amount"), Problem::Required);
                    None
                }
                Some(a) => errs.take(&f("amount"), parse_amount(a)),
            };
            let currency = match blank(&p.currency) {
                None => Some("PKR".to_string()),
                Some(c) => {
                    let code = c.to_ascii_uppercase();
                    errs.take(
                        &f("currency"),
                        intake.currencies.contains(&code).then_some(code).ok_or(
                            Problem::UnknownCode {
                                value: c.to_string(),
                            },
                        ),
                    )
                }
            };
            let method = code_field(
                &mut errs,
                &f("method"),
                blank(&p.method),
                PaymentMethod::parse,
            );
            let paid_to = errs
                .take(&f("paid_to"), optional_text(p.paid_to.as_deref(), 120))
                .flatten();
            let note = errs
                .take(&f("note"), optional_text(p.note.as_deref(), 500))
                .flatten();
            if let (Some(amount), Some(currency)) = (amount, currency) {
                payments.push(Payment {
                    amount,
                    currency,
                    paid_to,
                    method,
                    note,
                });
            }
        }
        if payments.len() > MAX_ROWS {
            errs.add("payments", Problem::TooLong { max: MAX_ROWS });
        }

        let mut agents = Vec::new();
        for (i, a) in self.agents.iter().enumerate() {
            if all_blank(&[&a.name, &a.phone, &a.place, &a.chain_role]) {
                continue;
            }
            let f = |name: &str| format!("agents[{i}].{name}");
            let name = match blank(&a.name) {
                None => {
                    errs.add(f("name"), Problem::Required);
                    None
                }
                Some(n) => errs.take(&f("name"), optional_text(Some(n), 120)).flatten(),
            };
            let phone = blank(&a.phone).and_then(|p| errs.take(&f("phone"), Phone::parse(p)));
            let place = errs
                .take(&f("place"), optional_text(a.place.as_deref(), 120))
                .flatten();
            let chain_role = match blank(&a.chain_role) {
                None => Some(ChainRole::SubAgent),
                Some(c) => code_field(&mut errs, &f("chain_role"), Some(c), ChainRole::parse),
            };
            if let (Some(name), Some(chain_role)) = (name, chain_role) {
                agents.push(AgentMention {
                    name,
                    phone,
                    place,
                    chain_role,
                });
            }
        }
        if agents.len() > MAX_ROWS {
            errs.add("agents", Problem::TooLong { max: MAX_ROWS });
        }

        let mut documents = Vec::new();
        for (i, d) in self.documents.iter().enumerate() {
            if all_blank(&[&d.kind, &d.status, &d.note]) {
                continue;
            }
            let f = |name: &str| format!("documents[{i}].{name}");
            let kind = match blank(&d.kind) {
                None => {
                    errs.add(f("kind"), Problem::Required);
                    None
                }
                Some(k) => code_field(&mut errs, &f("kind"), Some(k), DocumentKind::parse),
            };
            let status = match blank(&d.status) {
                None => Some(DocumentStatus::Unknown),
                Some(s) => code_field(&mut errs, &f("status"), Some(s), DocumentStatus::parse),
            };
            let note = errs
                .take(&f("note"), optional_text(d.note.as_deref(), 500))
                .flatten();
            if let (Some(kind), Some(status)) = (kind, status) {
                documents.push(DocumentUsed { kind, status, note });
            }
        }
        if documents.len() > MAX_ROWS {
            errs.add("documents", Problem::TooLong { max: MAX_ROWS });
        }
        if let Err(e) = crate::assessment::assess(&self.facts, refdata) {
            errs.extend_prefixed("facts", e);
        }
        let notes = errs
            .take("notes", optional_text(self.notes.as_deref(), 8000))
            .flatten();
        errs.into_result(Interview {
            origin_district,
            exit_point,
            transit_countries,
            transit_places,
            destination_country,
            mode,
            departure_date,
            apprehension_date,
            payments,
            agents,
            documents,
            facts: self.facts.clone(),
            notes,
        })
    }
}

/// An amount of money as officers write it: `450000`, `4,50,000` (lakh grouping), `4.5 lakh`,
/// `12 lac`, `1.2 crore`, `3000 USD` is not accepted here (the currency has its own field).
pub fn parse_amount(raw: &str) -> Result<i64, Problem> {
    let t = raw.trim().to_ascii_lowercase();
    let (number, multiplier) = if let Some(n) = t
        .strip_suffix("lakh")
        .or_else(|| t.strip_suffix("lac"))
        .or_else(|| t.strip_suffix("lacs"))
        .or_else(|| t.strip_suffix("lakhs"))
    {
        (n.trim().to_string(), 100_000.0)
    } else if let Some(n) = t.strip_suffix("crore").or_else(|| t.strip_suffix("cr")) {
        (n.trim().to_string(), 10_000_000.0)
    } else {
        (t.replace([',', ' ', '_'], ""), 1.0)
    };
    let value: f64 = number.parse().map_err(|_| Problem::NotANumber)?;
    if !value.is_finite() || value <= 0.0 {
        return Err(Problem::NotANumber);
    }
    let total = (value * multiplier).round();
    if total > MAX_PAYMENT as f64 {
        return Err(Problem::TooLarge {
            max: MAX_PAYMENT.to_string(),
        });
    }
    // In range by the checks above.
    #[allow(clippy::cast_possible_truncation)]
    Ok(total as i64)
}

/// A reason to doubt a claimed nationality, with what a message needs to explain it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NationalityDoubt {
    /// `doubt-<code>` is the message id.
    pub code: String,
    pub args: Vec<(String, String)>,
}

fn doubt(code: &str, args: &[(&str, &str)]) -> NationalityDoubt {
    NationalityDoubt {
        code: code.to_string(),
        args: args
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
}

/// The rules that cast doubt on a claim to be Pakistani. Each is a reason to verify with NADRA,
/// never a finding: `origin_raw` is the home district as written, when it matched no district.
pub fn nationality_doubts(
    person: &ValidatedPerson,
    origin_raw: Option<&str>,
    refdata: &ReferenceData,
    intake: &IntakeReference,
) -> Vec<NationalityDoubt> {
    let mut out = Vec::new();
    let claims_pak = person.nationality_claimed.as_deref() == Some("PAK");
    let cnic = person
        .identifiers
        .iter()
        .find(|i| i.kind == IdentifierKind::Cnic);
    let foreign_passport = person
        .identifiers
        .iter()
        .filter(|i| i.kind == IdentifierKind::Passport)
        .find_map(|i| i.country.clone().filter(|c| c != "PAK"));
    let pak_passport = person
        .identifiers
        .iter()
        .any(|i| i.kind == IdentifierKind::Passport && i.country.as_deref() == Some("PAK"));
    if claims_pak {
        // A Pakistani passport was issued on a NADRA record: only a claim with neither document
        // is in doubt (flagging every passport holder without a CNIC on the list would bury the
        // real doubts).
        if cnic.is_none() && !pak_passport {
            out.push(doubt("no-cnic", &[]));
        }
        if let Some(country) = &foreign_passport {
            out.push(doubt("foreign-passport", &[("country", country)]));
            if intake.claimed_pakistani_watch.contains(country) {
                out.push(doubt("watched-nationality", &[("country", country)]));
            }
        }
        if let Some(v) = person
            .nationality_verified
            .as_deref()
            .filter(|v| *v != "PAK")
        {
            out.push(doubt("verified-differs", &[("country", v)]));
        }
    }
    if let Some(raw) = origin_raw.filter(|r| !r.trim().is_empty()) {
        if person.origin_district.is_none() {
            out.push(doubt("unknown-district", &[("district", raw.trim())]));
        }
    }
    if let (Some(c), Some(d)) = (cnic, person.origin_district.as_deref()) {
        let provinces = intake.cnic_provinces(&c.value);
        if let Some(district) = refdata.district(d) {
            if !provinces.is_empty() && !provinces.contains(&district.province) {
                out.push(doubt(
                    "cnic-province-mismatch",
                    &[
                        ("district", district.name_en.as_str()),
                        ("province", district.province.as_str()),
                    ],
                ));
            }
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::person::PersonInput;

    fn refdata() -> ReferenceData {
        ReferenceData::embedded().unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn embedded_intake_data_is_valid_and_bad_data_is_refused() {
        let r = refdata();
        let ir = &r.intake;
        assert_eq!(ir.cnic_provinces("3520212345671"), ["PB".to_string()]);
        assert!(ir.currencies.contains(&"PKR".to_string()));
        let bad = "case_provision = []\ncurrencies = [\"rupees\"]\nclaimed_pakistani_watch = [\"XXX\"]\n[[cnic_province]]\ndigit = 3\nprovinces = [\"ZZ\"]\n";
        let errs = IntakeReference::parse(bad, &r).unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
    }

    #[test]
    fn batch_validation_collects_every_problem() {
        let r = refdata();
        let input = BatchInput {
            kind: Some("deportation".into()),
            post: Some("NOWHERE".into()),
            arrival_date: Some("2030-01-01".into()),
            country: None,
            ..Default::default()
        };
        let errs = input.validate(&r, today()).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["post", "arrival_date", "country"]);
        let ok = BatchInput {
            kind: Some("deportation".into()),
            post: Some("khi-seaport".into()),
            arrival_date: Some("2026-11-20".into()),
            country: Some("omn".into()),
            reference: Some("MV Al-Salam".into()),
            ..Default::default()
        }
        .validate(&r, today())
        .unwrap();
        assert_eq!(ok.post, "KHI-SEAPORT");
        assert_eq!(ok.country.as_deref(), Some("OMN"));
        let interception = BatchInput {
            kind: Some("interception".into()),
            post: Some("GWADAR-COAST".into()),
            arrival_date: Some("2026-11-20".into()),
            ..Default::default()
        }
        .validate(&r, today())
        .unwrap_err();
        assert_eq!(interception.0[0].field, "place");
    }

    #[test]
    fn amounts_read_as_officers_write_them() {
        assert_eq!(parse_amount("450000"), Ok(450_000));
        assert_eq!(parse_amount("4,50,000"), Ok(450_000));
        assert_eq!(parse_amount("4.5 lakh"), Ok(450_000));
        assert_eq!(parse_amount("12 lac"), Ok(1_200_000));
        assert_eq!(parse_amount("1.2 crore"), Ok(12_000_000));
        assert_eq!(parse_amount("abc"), Err(Problem::NotANumber));
        assert_eq!(parse_amount("-5"), Err(Problem::NotANumber));
        assert!(matches!(
            parse_amount("50 crore"),
            Err(Problem::TooLarge { .. })
        ));
    }

    #[test]
    fn interview_validation_skips_empty_rows_and_locates_problems() {
        let r = refdata();
        let ir = IntakeReference::embedded(&r).unwrap();
        let input = InterviewInput {
            origin_district: Some("gujranwala".into()),
            exit_point: Some("taftan".into()),
            transit_countries: vec!["IRN".into(), "".into(), "TUR".into()],
            destination_country: Some("GRC".into()),
            mode: Some("land".into()),
            departure_date: Some("2026-05-01".into()),
            apprehension_date: Some("2026-04-01".into()),
            payments: vec![
                PaymentInput {
                    amount: Some("25 lakh".into()),
                    method: Some("hawala".into()),
                    ..Default::default()
                },
                PaymentInput {
                    currency: Some("PKR".into()),
                    ..Default::default()
                },
                PaymentInput {
                    amount: Some("900".into()),
                    currency: Some("XYZ".into()),
                    ..Default::default()
                },
            ],
            agents: vec![AgentInput {
                name: Some("Bashir".into()),
                phone: Some("0300-1234567".into()),
                ..Default::default()
            }],
            ..Default::default()
        };
        let errs = input.validate(&r, &ir, today()).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["apprehension_date", "payments[2].currency"]);
        let mut fixed = input.clone();
        fixed.apprehension_date = Some("2026-06-01".into());
        fixed.payments.truncate(2);
        let ok = fixed.validate(&r, &ir, today()).unwrap();
        assert_eq!(ok.transit_countries, ["IRN", "TUR"]);
        assert_eq!(ok.payments.len(), 1);
        assert_eq!(ok.paid_by_currency().get("PKR"), Some(&2_500_000));
        assert_eq!(ok.agents[0].chain_role, ChainRole::SubAgent);
        assert_eq!(
            ok.agents[0].phone.as_ref().unwrap().as_str(),
            "+923001234567"
        );
    }

    fn person(f: impl FnOnce(&mut PersonInput)) -> ValidatedPerson {
        let mut p = PersonInput {
            name_roman: Some("Muhammad Asif".into()),
            sex: Some("male".into()),
            nationality_claimed: Some("PAK".into()),
            ..Default::default()
        };
        f(&mut p);
        p.validate(&refdata(), today()).unwrap()
    }

    #[test]
    fn nationality_doubts_are_explained() {
        let r = refdata();
        let ir = IntakeReference::embedded(&r).unwrap();
        let codes = |p: &ValidatedPerson, raw: Option<&str>| -> Vec<String> {
            nationality_doubts(p, raw, &r, &ir)
                .into_iter()
                .map(|d| d.code)
                .collect()
        };
        // A Pakistani with a Punjab CNIC from a Punjab district: nothing to doubt.
        let fine = person(|p| {
            p.cnic = Some("35202-1234567-1".into());
            p.origin_district = Some("lahore".into());
        });
        assert!(codes(&fine, None).is_empty());
        // No CNIC, an Afghan passport and a district nobody knows.
        let doubtful = person(|p| {
            p.passport = Some("P1234567".into());
            p.passport_country = Some("AFG".into());
        });
        assert_eq!(
            codes(&doubtful, Some("Kabul Road")),
            [
                "no-cnic",
                "foreign-passport",
                "watched-nationality",
                "unknown-district"
            ]
        );
        // A Sindh CNIC with a Balochistan home district.
        let mismatch = person(|p| {
            p.cnic = Some("42101-1234567-1".into());
            p.origin_district = Some("quetta".into());
        });
        assert_eq!(codes(&mismatch, None), ["cnic-province-mismatch"]);
    }
}
