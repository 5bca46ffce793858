//! What is exchanged: a case with its persons as the core reads them (or as an import will write
//! them), and the victim's context of a case (the means of control, exploitation, labour, the
//! country of exploitation and the relation to the recruiter) that HTCDS and CTDC speak of.

use chrono::NaiveDate;
use nigehban_domain::case::ValidatedCase;
use nigehban_domain::code_enum;
use nigehban_domain::org::AgencyKind;
use nigehban_domain::person::{CaseRole, ValidatedPerson};
use nigehban_domain::stage::{CaseStage, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

code_enum! {
    /// The sector a victim was made to work in (HTCDS type of labour exploitation, CTDC type of
    /// labour).
    pub enum LabourSector {
        Agriculture = "agriculture",
        Aquafarming = "aquafarming",
        Begging = "begging",
        Construction = "construction",
        DomesticWork = "domestic_work",
        Hospitality = "hospitality",
        IllicitActivities = "illicit_activities",
        Manufacturing = "manufacturing",
        MiningOrDrilling = "mining_or_drilling",
        Peddling = "peddling",
        Transportation = "transportation",
        Other = "other",
    }
}

code_enum! {
    /// How the victim knew the person who recruited them (HTCDS relationship to trafficker).
    pub enum RecruiterRelation {
        Familial = "familial",
        Acquainted = "acquainted",
        Unacquainted = "unacquainted",
    }
}

/// What is known of a victim's exploitation in one case, beyond the case's forms of exploitation
/// (which belong to the case). Native cases take it from the victim's completed intake
/// interview; imported cases keep what the file said.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct VictimContext {
    /// Indicator codes (`data/indicators.toml`): means, ILO forced labour indicators, purpose.
    pub indicators: BTreeSet<String>,
    pub labour: BTreeSet<LabourSector>,
    /// ISO 3166 alpha-3.
    pub country_of_exploitation: Option<String>,
    pub recruiter_relation: Option<RecruiterRelation>,
}

impl VictimContext {
    pub fn is_empty(&self) -> bool {
        self == &VictimContext::default()
    }
    /// Add what another source knows (an interview and an import may both speak of a victim).
    pub fn merge(&mut self, other: &VictimContext) {
        self.indicators.extend(other.indicators.iter().cloned());
        self.labour.extend(other.labour.iter().copied());
        if self.country_of_exploitation.is_none() {
            self.country_of_exploitation = other.country_of_exploitation.clone();
        }
        if self.recruiter_relation.is_none() {
            self.recruiter_relation = other.recruiter_relation;
        }
    }
}

/// A value of an imported file that has no Nigehban field, kept with its case and written back
/// into its column on export.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct KeptValue {
    /// The sender's person id (`prs_Id`) of the row; `None` for case columns.
    pub person: Option<String>,
    pub column: String,
    pub value: String,
}

/// A case to exchange, as the exporter may see it.
#[derive(Debug, Clone)]
pub struct ExchangeCase {
    /// The case's id in the system that holds it (`cas_Id`).
    pub id: String,
    pub number: Option<String>,
    pub agency_name: Option<String>,
    pub agency_kind: Option<AgencyKind>,
    pub case: ValidatedCase,
    pub stage: CaseStage,
    pub persons: Vec<ExchangePerson>,
    pub kept: Vec<KeptValue>,
}

/// One person in a case.
#[derive(Debug, Clone)]
pub struct ExchangePerson {
    /// The person's id (`prs_Id`): a pseudonym when the identity is withheld.
    pub id: String,
    pub role: CaseRole,
    pub verdict: Option<Verdict>,
    /// The person's fields; names, parentage, birth date, identifiers, address and notes are
    /// empty when `withheld`.
    pub person: ValidatedPerson,
    /// A protected identity the exporter may not see: only sex, nationality and the victim's
    /// context leave the system.
    pub withheld: bool,
    pub victim: VictimContext,
}

/// Name given to a person whose identity the sender withheld: Nigehban needs a name, and this one
/// says plainly that there is none (the sender's pseudonym is kept as the external reference).
pub const WITHHELD_NAME: &str = "Identity Withheld";

/// The age on a date, if known.
pub fn age_on(person: &ValidatedPerson, on: NaiveDate) -> Option<u32> {
    person.age.age_on(on)
}
