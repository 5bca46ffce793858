//! Cases: what is registered, under which provisions, and how it moves through its stages.

use crate::crime::{CrimeType, ExploitationForm};
use crate::error::{optional_text, required_text, Problem, ValidationErrors};
use crate::ids::PersonId;
use crate::org::is_valid_unit_code;
use crate::person::parse_past_date;
use crate::reference::ReferenceData;
use crate::stage::{CaseStage, Verdict};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

pub const TITLE_MAX: usize = 200;
pub const NARRATIVE_MAX: usize = 20_000;

/// A human-readable case number, unique per unit and year: `FIA-AHTC-LHE-2026-000123`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CaseNumber {
    pub unit_code: String,
    pub year: i32,
    pub serial: u64,
}

impl CaseNumber {
    pub fn parse(raw: &str) -> Result<Self, Problem> {
        let t = raw.trim().to_ascii_uppercase();
        let mut parts: Vec<&str> = t.rsplitn(3, '-').collect();
        if parts.len() != 3 {
            return Err(Problem::UnknownCode {
                value: raw.to_string(),
            });
        }
        parts.reverse();
        let (unit, year, serial) = match parts.as_slice() {
            [u, y, s] => (*u, *y, *s),
            _ => {
                return Err(Problem::UnknownCode {
                    value: raw.to_string(),
                })
            }
        };
        let year: i32 = year.parse().map_err(|_| Problem::UnknownCode {
            value: raw.to_string(),
        })?;
        let serial: u64 = serial.parse().map_err(|_| Problem::UnknownCode {
            value: raw.to_string(),
        })?;
        if !is_valid_unit_code(unit) || !(1900..=9999).contains(&year) {
            return Err(Problem::UnknownCode {
                value: raw.to_string(),
            });
        }
        Ok(CaseNumber {
            unit_code: unit.to_string(),
            year,
            serial,
        })
    }
}

impl fmt::Display for CaseNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:06}", self.unit_code, self.year, self.serial)
    }
}
impl TryFrom<String> for CaseNumber {
    type Error = Problem;
    fn try_from(s: String) -> Result<Self, Problem> {
        CaseNumber::parse(&s)
    }
}
impl From<CaseNumber> for String {
    fn from(c: CaseNumber) -> String {
        c.to_string()
    }
}

/// A case as typed in: strings and lists of codes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct CaseInput {
    pub title: Option<String>,
    pub crime_types: Vec<String>,
    pub exploitation_forms: Vec<String>,
    pub provisions: Vec<String>,
    pub province: Option<String>,
    pub district: Option<String>,
    pub offence_date: Option<String>,
    pub narrative: Option<String>,
}

/// A case whose fields all passed: crime types known, provisions in force on the offence date and
/// applicable to the crime types, the district inside the province.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidatedCase {
    pub title: String,
    pub crime_types: BTreeSet<CrimeType>,
    pub exploitation_forms: BTreeSet<ExploitationForm>,
    pub provisions: BTreeSet<String>,
    pub province: String,
    pub district: String,
    pub offence_date: NaiveDate,
    pub narrative: Option<String>,
}

impl CaseInput {
    pub fn validate(
        &self,
        refdata: &ReferenceData,
        today: NaiveDate,
    ) -> Result<ValidatedCase, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let title = errs.take("title", required_text(self.title.as_deref(), TITLE_MAX));
        let narrative = errs
            .take(
                "narrative",
                optional_text(self.narrative.as_deref(), NARRATIVE_MAX),
            )
            .flatten();

        let mut crime_types = BTreeSet::new();
        for c in self
            .crime_types
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            match CrimeType::parse(c) {
                Some(ct) => {
                    crime_types.insert(ct);
                }
                None => errs.add(
                    "crime_types",
                    Problem::UnknownCode {
                        value: c.to_string(),
                    },
                ),
            }
        }
        if crime_types.is_empty() && errs.iter().all(|e| e.field != "crime_types") {
            errs.add("crime_types", Problem::NoCrimeType);
        }

        let mut exploitation_forms = BTreeSet::new();
        for f in self
            .exploitation_forms
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            match ExploitationForm::parse(f) {
                Some(x) => {
                    exploitation_forms.insert(x);
                }
                None => errs.add(
                    "exploitation_forms",
                    Problem::UnknownCode {
                        value: f.to_string(),
                    },
                ),
            }
        }

        let province = match self
            .province
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => {
                errs.add("province", Problem::Required);
                None
            }
            Some(p) if refdata.province(p).is_some() => Some(p.to_string()),
            Some(p) => {
                errs.add(
                    "province",
                    Problem::UnknownCode {
                        value: p.to_string(),
                    },
                );
                None
            }
        };
        let district = match self
            .district
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => {
                errs.add("district", Problem::Required);
                None
            }
            Some(d) => match refdata.district(d) {
                None => {
                    errs.add(
                        "district",
                        Problem::UnknownDistrict {
                            value: d.to_string(),
                        },
                    );
                    None
                }
                Some(dist) => {
                    if let Some(p) = &province {
                        if &dist.province != p {
                            errs.add(
                                "district",
                                Problem::DistrictNotInProvince {
                                    district: d.to_string(),
                                    province: p.clone(),
                                },
                            );
                        }
                    }
                    Some(d.to_string())
                }
            },
        };

        let offence_date = match self
            .offence_date
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => {
                errs.add("offence_date", Problem::Required);
                None
            }
            Some(d) => errs.take("offence_date", parse_past_date(d, today)),
        };

        let mut provisions = BTreeSet::new();
        for code in self
            .provisions
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            let Some(p) = refdata.provision(code) else {
                errs.add(
                    "provisions",
                    Problem::UnknownProvision {
                        value: code.to_string(),
                    },
                );
                continue;
            };
            if !crime_types.is_empty() && !p.crime_types.iter().any(|c| crime_types.contains(c)) {
                errs.add(
                    "provisions",
                    Problem::ProvisionNotForCrimeTypes {
                        provision: code.to_string(),
                    },
                );
                continue;
            }
            if let Some(date) = offence_date {
                if !p.in_force_on(date) {
                    errs.add(
                        "provisions",
                        Problem::ProvisionNotInForce {
                            provision: code.to_string(),
                            date: date.to_string(),
                        },
                    );
                    continue;
                }
            }
            if !provisions.insert(code.to_string()) {
                errs.add(
                    "provisions",
                    Problem::Duplicate {
                        value: code.to_string(),
                    },
                );
            }
        }

        match (title, province, district, offence_date) {
            (Some(title), Some(province), Some(district), Some(offence_date))
                if errs.is_empty() =>
            {
                Ok(ValidatedCase {
                    title,
                    crime_types,
                    exploitation_forms,
                    provisions,
                    province,
                    district,
                    offence_date,
                    narrative,
                })
            }
            _ => Err(errs),
        }
    }
}

/// A request to move a case to another stage.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct TransitionInput {
    pub to: Option<String>,
    /// The stage the user saw when deciding; guards against two officers moving the case at once.
    pub from: Option<String>,
    pub occurred_on: Option<String>,
    /// FIR number, challan number, court name: the reference the stage is known by.
    pub reference: Option<String>,
    pub note: Option<String>,
    /// For judgment: one verdict per accused, as `person id -> convicted|acquitted`.
    pub verdicts: Vec<VerdictInput>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct VerdictInput {
    pub person_id: String,
    pub verdict: String,
}

/// A transition that passed its checks (legality against the current stage is checked against the
/// reference data's transition table, with the current stage as read in the same transaction).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidatedTransition {
    pub from: Option<CaseStage>,
    pub to: CaseStage,
    pub occurred_on: NaiveDate,
    pub reference: Option<String>,
    pub note: Option<String>,
    pub verdicts: Vec<(PersonId, Verdict)>,
}

impl TransitionInput {
    pub fn validate(&self, today: NaiveDate) -> Result<ValidatedTransition, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let to = match self.to.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                errs.add("to", Problem::Required);
                None
            }
            Some(t) => errs.take(
                "to",
                CaseStage::parse(t).ok_or(Problem::UnknownCode {
                    value: t.to_string(),
                }),
            ),
        };
        let from = self
            .from
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .and_then(|f| {
                errs.take(
                    "from",
                    CaseStage::parse(f).ok_or(Problem::UnknownCode {
                        value: f.to_string(),
                    }),
                )
            });
        let occurred_on = match self
            .occurred_on
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(today),
            Some(d) => errs.take("occurred_on", parse_past_date(d, today)),
        };
        let reference = errs
            .take("reference", optional_text(self.reference.as_deref(), 120))
            .flatten();
        let note = errs
            .take("note", optional_text(self.note.as_deref(), 4000))
            .flatten();
        let mut verdicts = Vec::new();
        for v in &self.verdicts {
            if v.verdict.trim().is_empty() {
                continue;
            }
            let person = errs.take(
                "verdicts",
                v.person_id
                    .parse::<PersonId>()
                    .map_err(|_| Problem::UnknownCode {
                        value: v.person_id.clone(),
                    }),
            );
            let verdict = errs.take(
                "verdicts",
                Verdict::parse(&v.verdict).ok_or(Problem::UnknownCode {
                    value: v.verdict.clone(),
                }),
            );
            if let (Some(p), Some(v)) = (person, verdict) {
                verdicts.push((p, v));
            }
        }
        match (to, occurred_on) {
            (Some(to), Some(occurred_on)) if errs.is_empty() => Ok(ValidatedTransition {
                from,
                to,
                occurred_on,
                reference,
                note,
                verdicts,
            }),
            _ => Err(errs),
        }
    }
}

/// Check a transition against the current stage and the case's accused: the move must be in the
/// transition table, and a judgment needs a verdict for every accused.
pub fn check_transition(
    refdata: &ReferenceData,
    current: CaseStage,
    t: &ValidatedTransition,
    accused: &[(PersonId, String)],
) -> Result<(), ValidationErrors> {
    let mut errs = ValidationErrors::new();
    if !refdata.transition_allowed(current, t.to) {
        errs.add(
            "to",
            Problem::IllegalTransition {
                from: current.as_str().to_string(),
                to: t.to.as_str().to_string(),
            },
        );
    }
    if t.to == CaseStage::Judgment {
        for (id, name) in accused {
            if !t.verdicts.iter().any(|(p, _)| p == id) {
                errs.add(
                    "verdicts",
                    Problem::VerdictMissing {
                        person: name.clone(),
                    },
                );
            }
        }
    }
    errs.into_result(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_numbers_round_trip() {
        let n = CaseNumber::parse("FIA-AHTC-LHE-2026-000123").unwrap();
        assert_eq!(n.unit_code, "FIA-AHTC-LHE");
        assert_eq!(n.year, 2026);
        assert_eq!(n.serial, 123);
        assert_eq!(n.to_string(), "FIA-AHTC-LHE-2026-000123");
        assert!(CaseNumber::parse("garbage").is_err());
        assert!(CaseNumber::parse("FIA-2026-x").is_err());
    }
}
