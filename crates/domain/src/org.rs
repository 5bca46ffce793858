//! Organisations, their units, and the roles users hold.

use crate::code_enum;
use crate::ids::UnitId;
use serde::{Deserialize, Serialize};

code_enum! {
    /// The kind of organisation a unit belongs to.
    pub enum AgencyKind {
        /// Federal Investigation Agency: anti-human-trafficking circles, immigration posts.
        Fia = "fia",
        /// Provincial or territorial police.
        Police = "police",
        /// Inter-agency task force members at the borders and coast (Frontier Corps, Coast Guards, ...).
        TaskForce = "task_force",
        Prosecution = "prosecution",
        Ngo = "ngo",
        UnAgency = "un_agency",
        ForeignLiaison = "foreign_liaison",
    }
}

code_enum! {
    /// What a user does; the access policy in `nigehban-core` decides from it.
    pub enum UserRole {
        IntakeOfficer = "intake_officer",
        Investigator = "investigator",
        Supervisor = "supervisor",
        Analyst = "analyst",
        Prosecutor = "prosecutor",
        NgoCaseWorker = "ngo_case_worker",
        Auditor = "auditor",
        Administrator = "administrator",
    }
}

/// An agency, as defined in `data/organisations.toml`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Agency {
    pub code: String,
    pub kind: AgencyKind,
    pub name_en: String,
    pub name_ur: String,
    /// The agency that compiles the national returns (the monthly return, the UNODC and US TIP
    /// submissions): its analysts count the records of every agency. Counts only; names stay
    /// with each agency.
    #[serde(default)]
    pub national_statistics: bool,
}

/// A unit of an agency: a circle, an immigration post, a district police, an NGO office.
/// Its `code` prefixes the case numbers it issues (`FIA-AHTC-LHE` gives `FIA-AHTC-LHE-2026-000123`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub id: UnitId,
    pub code: String,
    pub agency: String,
    pub name_en: String,
    pub name_ur: String,
    pub district: String,
}

/// A unit as listed in the reference data (its id is given by the database when first seeded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitDef {
    pub code: String,
    pub agency: String,
    pub name_en: String,
    pub name_ur: String,
    pub district: String,
}

/// Is this a well-formed unit code: upper-case letters and digits in dash-separated parts?
pub fn is_valid_unit_code(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= 40
        && code.split('-').all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
        })
}
