//! Validation errors. They carry a stable code, the field they concern and the values a message
//! needs; the words themselves live in `nigehban-i18n`, so the same error reads in English or Urdu.

use serde::Serialize;
use std::fmt;

/// What is wrong with one field. Codes are stable: the API returns them and the translations key on them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum Problem {
    Required,
    TooLong {
        max: usize,
    },
    TooShort {
        min: usize,
    },
    InvalidChars,
    NotUrduScript,
    NotRomanScript,
    CnicFormat,
    CnicProvinceDigit,
    CnicSexDigit,
    PhoneFormat,
    PassportFormat,
    NaraFormat,
    AccountFormat,
    HawalaFormat,
    VehicleFormat,
    InvalidDate,
    DateInFuture,
    DateTooOld,
    AgeImplausible {
        max: u32,
    },
    DobAndAgeBoth,
    UnknownCode {
        value: String,
    },
    UnknownDistrict {
        value: String,
    },
    DistrictNotInProvince {
        district: String,
        province: String,
    },
    UnknownCountry {
        value: String,
    },
    UnknownProvision {
        value: String,
    },
    ProvisionNotForCrimeTypes {
        provision: String,
    },
    ProvisionNotInForce {
        provision: String,
        date: String,
    },
    NoCrimeType,
    ChainRoleOnlyForSuspects,
    ChainRoleRequired,
    Duplicate {
        value: String,
    },
    IllegalTransition {
        from: String,
        to: String,
    },
    VerdictMissing {
        person: String,
    },
    NotANumber,
    WrongPassword,
    /// A date that must not come before another field's date.
    DateBefore {
        other: String,
    },
    TooLarge {
        max: String,
    },
    /// A statistics dimension or filter that means nothing for the measure asked (e.g. the route
    /// of a case count).
    DoesNotApply {
        value: String,
        to: String,
    },
    /// A place or unit outside what the user may see.
    OutsideAccess {
        value: String,
    },
    /// Victim protection: the provider does not offer this service.
    NotOffered {
        value: String,
    },
    /// The provider does not serve this district.
    NotServed {
        value: String,
    },
    /// The person is outside whom the provider serves (sex, age, nationality, exploitation).
    NotEligible {
        value: String,
    },
    /// The provider takes no new referrals now.
    NotAccepting,
    /// No place is free (capacity `max`).
    CapacityExceeded {
        max: String,
    },
    /// The person has not consented to share this field with this recipient.
    ConsentMissing {
        value: String,
    },
    /// A minor's consent is given by a guardian or a child protection officer.
    MinorNeedsGuardian,
    /// Granted without having been requested.
    NotRequested {
        value: String,
    },
    /// A score that is not a number at all (organized-crime assessment: 1 to 10).
    NotAScore,
    /// A score outside its scale.
    ScoreOutOfRange {
        min: String,
        max: String,
    },
    /// A score between the steps of its scale (the Index scores in half points).
    ScoreStep,
}

impl Problem {
    /// The stable code, as used in the API and as the translation key suffix.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Required => "required",
            Problem::TooLong { .. } => "too-long",
            Problem::TooShort { .. } => "too-short",
            Problem::InvalidChars => "invalid-chars",
            Problem::NotUrduScript => "not-urdu-script",
            Problem::NotRomanScript => "not-roman-script",
            Problem::CnicFormat => "cnic-format",
            Problem::CnicProvinceDigit => "cnic-province-digit",
            Problem::CnicSexDigit => "cnic-sex-digit",
            Problem::PhoneFormat => "phone-format",
            Problem::PassportFormat => "passport-format",
            Problem::NaraFormat => "nara-format",
            Problem::AccountFormat => "account-format",
            Problem::HawalaFormat => "hawala-format",
            Problem::VehicleFormat => "vehicle-format",
            Problem::InvalidDate => "invalid-date",
            Problem::DateInFuture => "date-in-future",
            Problem::DateTooOld => "date-too-old",
            Problem::AgeImplausible { .. } => "age-implausible",
            Problem::DobAndAgeBoth => "dob-and-age-both",
            Problem::UnknownCode { .. } => "unknown-code",
            Problem::UnknownDistrict { .. } => "unknown-district",
            Problem::DistrictNotInProvince { .. } => "district-not-in-province",
            Problem::UnknownCountry { .. } => "unknown-country",
            Problem::UnknownProvision { .. } => "unknown-provision",
            Problem::ProvisionNotForCrimeTypes { .. } => "provision-not-for-crime-types",
            Problem::ProvisionNotInForce { .. } => "provision-not-in-force",
            Problem::NoCrimeType => "no-crime-type",
            Problem::ChainRoleOnlyForSuspects => "chain-role-only-for-suspects",
            Problem::ChainRoleRequired => "chain-role-required",
            Problem::Duplicate { .. } => "duplicate",
            Problem::IllegalTransition { .. } => "illegal-transition",
            Problem::VerdictMissing { .. } => "verdict-missing",
            Problem::NotANumber => "not-a-number",
            Problem::WrongPassword => "wrong-password",
            Problem::DateBefore { .. } => "date-before",
            Problem::TooLarge { .. } => "too-large",
            Problem::DoesNotApply { .. } => "does-not-apply",
            Problem::OutsideAccess { .. } => "outside-access",
            Problem::NotOffered { .. } => "not-offered",
            Problem::NotServed { .. } => "not-served",
            Problem::NotEligible { .. } => "not-eligible",
            Problem::NotAccepting => "not-accepting",
            Problem::CapacityExceeded { .. } => "capacity-exceeded",
            Problem::ConsentMissing { .. } => "consent-missing",
            Problem::MinorNeedsGuardian => "minor-needs-guardian",
            Problem::NotRequested { .. } => "not-requested",
            Problem::NotAScore => "not-a-score",
            Problem::ScoreOutOfRange { .. } => "score-out-of-range",
            Problem::ScoreStep => "score-step",
        }
    }

    /// Named values for the message (Fluent arguments).
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            Problem::TooLong { max } => vec![("max", max.to_string())],
            Problem::TooShort { min } => vec![("min", min.to_string())],
            Problem::AgeImplausible { max } => vec![("max", max.to_string())],
            Problem::UnknownCode { value }
            | Problem::UnknownDistrict { value }
            | Problem::UnknownCountry { value }
            | Problem::UnknownProvision { value }
            | Problem::Duplicate { value }
            | Problem::NotOffered { value }
            | Problem::NotServed { value }
            | Problem::NotEligible { value }
            | Problem::ConsentMissing { value }
            | Problem::NotRequested { value }
            | Problem::OutsideAccess { value } => vec![("value", value.clone())],
            Problem::DoesNotApply { value, to } => {
                vec![("value", value.clone()), ("to", to.clone())]
            }
            Problem::DistrictNotInProvince { district, province } => {
                vec![
                    ("district", district.clone()),
                    ("province", province.clone()),
                ]
            }
            Problem::ProvisionNotForCrimeTypes { provision } => {
                vec![("provision", provision.clone())]
            }
            Problem::ProvisionNotInForce { provision, date } => {
                vec![("provision", provision.clone()), ("date", date.clone())]
            }
            Problem::IllegalTransition { from, to } => {
                vec![("from", from.clone()), ("to", to.clone())]
            }
            Problem::VerdictMissing { person } => vec![("person", person.clone())],
            Problem::DateBefore { other } => vec![("other", other.clone())],
            Problem::TooLarge { max } | Problem::CapacityExceeded { max } => {
                vec![("max", max.clone())]
            }
            Problem::ScoreOutOfRange { min, max } => {
                vec![("min", min.clone()), ("max", max.clone())]
            }
            _ => Vec::new(),
        }
    }
}

/// A problem with a named field (the form field or JSON property, e.g. `cnic` or `provisions`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    #[serde(flatten)]
    pub problem: Problem,
}

/// All problems found in one input; validation collects every one, not just the first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn add(&mut self, field: impl Into<String>, problem: Problem) {
        self.0.push(FieldError {
            field: field.into(),
            problem,
        });
    }
    pub fn single(field: impl Into<String>, problem: Problem) -> Self {
        let mut e = Self::new();
        e.add(field, problem);
        e
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }
    /// Collect the error of a field-level parse, returning the value when it parsed.
    pub fn take<T>(&mut self, field: &str, r: Result<T, Problem>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(p) => {
                self.add(field, p);
                None
            }
        }
    }
    /// Merge errors of a nested input, prefixing field names (e.g. `persons[2].cnic`).
    pub fn extend_prefixed(&mut self, prefix: &str, other: ValidationErrors) {
        for e in other.0 {
            self.0.push(FieldError {
                field: format!("{prefix}.{}", e.field),
                problem: e.problem,
            });
        }
    }
    pub fn into_result<T>(self, value: T) -> Result<T, ValidationErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|e| format!("{}: {}", e.field, e.problem.code()))
            .collect();
        write!(f, "invalid input ({})", parts.join(", "))
    }
}

impl std::error::Error for ValidationErrors {}

/// Trim a free-text field and check its length in characters. Empty becomes `None`.
pub fn optional_text(raw: Option<&str>, max: usize) -> Result<Option<String>, Problem> {
    let Some(raw) = raw else { return Ok(None) };
    let t = raw.trim();
    if t.is_empty() {
        return Ok(None);
    }
    if t.chars().count() > max {
        return Err(Problem::TooLong { max });
    }
    if t.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(Problem::InvalidChars);
    }
    Ok(Some(t.to_string()))
}

/// Like [`optional_text`] but the field must be present.
pub fn required_text(raw: Option<&str>, max: usize) -> Result<String, Problem> {
    optional_text(raw, max)?.ok_or(Problem::Required)
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())?;
        for (k, v) in self.args() {
            write!(f, " {k}={v}")?;
        }
        Ok(())
    }
}
