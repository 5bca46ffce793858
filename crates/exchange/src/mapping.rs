//! The HTCDS field mapping (`data/htcds_fields.toml`): every field of the standard, where it goes
//! in Nigehban and how its values translate, or why it has no place. Parsed and checked once at
//! start; the conversions read it instead of hard-coding columns.

use nigehban_domain::reference::ReferenceData;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

const EMBEDDED: &str = include_str!("../data/htcds_fields.toml");

/// What a column is to Nigehban.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldStatus {
    /// A record key of the layout (`cas_Id`, `prs_Id`).
    Key,
    /// Carries a Nigehban field both ways.
    Mapped,
    /// Written from Nigehban fields; read only when the exact extension column is absent.
    Derived,
    /// A Nigehban field the standard has no place for.
    Extension,
    /// No Nigehban equivalent: reported and kept on import.
    Unmapped,
    /// Removed in v2.0: treated as unmapped.
    Deprecated,
}

impl FieldStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldStatus::Key => "key",
            FieldStatus::Mapped => "mapped",
            FieldStatus::Derived => "derived",
            FieldStatus::Extension => "extension",
            FieldStatus::Unmapped => "unmapped",
            FieldStatus::Deprecated => "deprecated",
        }
    }
    /// Whether values of this column have no Nigehban field (reported and kept on import).
    pub fn is_unmapped(self) -> bool {
        matches!(self, FieldStatus::Unmapped | FieldStatus::Deprecated)
    }
}

/// The Nigehban field a column carries. A closed set: the mapping file may only name these.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    CaseId,
    CaseNumber,
    CaseTitle,
    CaseCrimeTypes,
    CaseExploitationForms,
    CaseProvisions,
    CaseStage,
    CaseStatus,
    CaseProvince,
    CaseDistrict,
    CaseOffenceDate,
    CaseNarrative,
    OrgName,
    OrgType,
    PersonId,
    FirstName,
    MiddleName,
    LastName,
    NameUrdu,
    Birthdate,
    EstimatedAge,
    Sex,
    Citizenship,
    NationalityVerified,
    OriginDistrict,
    Phone,
    Address,
    Cnic,
    Passport,
    PassportCountry,
    NaraCard,
    BankAccount,
    HawalaAccount,
    Vehicle,
    ParentageRelation,
    ParentageRoman,
    ParentageUrdu,
    Notes,
    Role,
    ChainRole,
    Verdict,
    Withheld,
    TraffickingStatus,
    RoleInProcess,
    AgeWhenTrafficked,
    /// One indicator as a yes/no column (a method of control).
    Indicator(String),
    Indicators,
    /// The methods of control as one multi-select column.
    MethodsOfControl,
    Exploitation,
    Labour,
    Relation,
    CountryOfExploitation,
    EventType,
}

impl Target {
    fn parse(s: &str) -> Option<Target> {
        if let Some(code) = s.strip_prefix("victim.indicator:") {
            return Some(Target::Indicator(code.to_string()));
        }
        Some(match s {
            "case.id" => Target::CaseId,
            "case.number" => Target::CaseNumber,
            "case.title" => Target::CaseTitle,
            "case.crime_types" => Target::CaseCrimeTypes,
            "case.exploitation_forms" => Target::CaseExploitationForms,
            "case.provisions" => Target::CaseProvisions,
            "case.stage" => Target::CaseStage,
            "case.status" => Target::CaseStatus,
            "case.province" => Target::CaseProvince,
            "case.district" => Target::CaseDistrict,
            "case.offence_date" => Target::CaseOffenceDate,
            "case.narrative" => Target::CaseNarrative,
            "org.name" => Target::OrgName,
            "org.type" => Target::OrgType,
            "person.id" => Target::PersonId,
            "person.first_name" => Target::FirstName,
            "person.middle_name" => Target::MiddleName,
            "person.last_name" => Target::LastName,
            "person.name_urdu" => Target::NameUrdu,
            "person.birthdate" => Target::Birthdate,
            "person.estimated_age" => Target::EstimatedAge,
            "person.sex" => Target::Sex,
            "person.citizenship" => Target::Citizenship,
            "person.nationality_verified" => Target::NationalityVerified,
            "person.origin_district" => Target::OriginDistrict,
            "person.phone" => Target::Phone,
            "person.address" => Target::Address,
            "person.cnic" => Target::Cnic,
            "person.passport" => Target::Passport,
            "person.passport_country" => Target::PassportCountry,
            "person.nara_card" => Target::NaraCard,
            "person.bank_account" => Target::BankAccount,
            "person.hawala_account" => Target::HawalaAccount,
            "person.vehicle" => Target::Vehicle,
            "person.parentage_relation" => Target::ParentageRelation,
            "person.parentage_roman" => Target::ParentageRoman,
            "person.parentage_urdu" => Target::ParentageUrdu,
            "person.notes" => Target::Notes,
            "person.role" => Target::Role,
            "person.chain_role" => Target::ChainRole,
            "person.verdict" => Target::Verdict,
            "person.withheld" => Target::Withheld,
            "person.trafficking_status" => Target::TraffickingStatus,
            "person.role_in_process" => Target::RoleInProcess,
            "person.age_when_trafficked" => Target::AgeWhenTrafficked,
            "victim.indicators" => Target::Indicators,
            "victim.methods_of_control" => Target::MethodsOfControl,
            "victim.exploitation" => Target::Exploitation,
            "victim.labour" => Target::Labour,
            "victim.relation" => Target::Relation,
            "victim.country_of_exploitation" => Target::CountryOfExploitation,
            "event.type" => Target::EventType,
            _ => return None,
        })
    }

    /// The extension column whose exact values a derived column is computed from (a derived
    /// column is read on import only when this one is absent from the file).
    pub fn exact_source(&self) -> Option<Target> {
        match self {
            Target::CaseStatus => Some(Target::CaseStage),
            Target::TraffickingStatus => Some(Target::Role),
            Target::RoleInProcess => Some(Target::ChainRole),
            Target::Exploitation => Some(Target::CaseExploitationForms),
            _ => None,
        }
    }

    /// Whether the column belongs to the case (the same on every row of the case) rather than to
    /// the person of the row.
    pub fn is_case_level(&self) -> bool {
        matches!(
            self,
            Target::CaseId
                | Target::CaseNumber
                | Target::CaseTitle
                | Target::CaseCrimeTypes
                | Target::CaseExploitationForms
                | Target::CaseProvisions
                | Target::CaseStage
                | Target::CaseStatus
                | Target::CaseProvince
                | Target::CaseDistrict
                | Target::CaseOffenceDate
                | Target::CaseNarrative
                | Target::OrgName
                | Target::OrgType
        )
    }

    /// Whether the column holds several values separated by the standard's delimiter.
    pub fn is_multi(&self) -> bool {
        matches!(
            self,
            Target::CaseCrimeTypes
                | Target::CaseExploitationForms
                | Target::CaseProvisions
                | Target::Indicators
                | Target::MethodsOfControl
                | Target::Exploitation
                | Target::Labour
        )
    }
}

/// One column of the layout.
#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    /// The table prefix (`cas`, `prs`, `vic`, `per`, `hte`, `org`, `nig`).
    pub table: String,
    pub status: FieldStatus,
    pub target: Option<Target>,
    /// `(HTCDS value, Nigehban code)` pairs in file order.
    pub values: Vec<(String, String)>,
    pub why: Option<String>,
    /// Other headers read as this column on import.
    pub aliases: Vec<String>,
}

impl Field {
    /// The HTCDS value export writes for a Nigehban code: the first pair naming it.
    pub fn export_value(&self, code: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(_, c)| c == code)
            .map(|(v, _)| v.as_str())
    }
    /// The Nigehban code of an HTCDS value (exact, then ignoring case and spaces).
    pub fn import_code(&self, value: &str) -> Option<&str> {
        let fold = |s: &str| {
            s.chars()
                .filter(|c| !c.is_whitespace())
                .flat_map(char::to_lowercase)
                .collect::<String>()
        };
        let v = value.trim();
        self.values
            .iter()
            .find(|(h, _)| h == v)
            .or_else(|| self.values.iter().find(|(h, _)| fold(h) == fold(v)))
            .map(|(_, c)| c.as_str())
    }
}

/// The standard's header information.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    pub name: String,
    pub version: String,
    pub publisher: String,
    pub licence: String,
    pub multi_separator: String,
    pub sheet: String,
}

/// The whole mapping, in the file's column order.
#[derive(Debug, Clone)]
pub struct Mapping {
    pub standard: Standard,
    pub fields: Vec<Field>,
    by_name: BTreeMap<String, usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    standard: Standard,
    field: Vec<RawField>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    name: String,
    status: FieldStatus,
    target: Option<String>,
    #[serde(default)]
    values: Vec<(String, String)>,
    why: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
}

/// The HTCDS v2.0 fields every mapping must account for (tables org_, prs_, vic_, per_, hte_,
/// cas_), so a field cannot be forgotten by leaving it out of the data file.
pub const STANDARD_FIELDS: &[&str] = &[
    "org_Name",
    "org_Type",
    "org_ShippingStreet",
    "org_ShippingCity",
    "org_ShippingState",
    "org_ShippingPostalCode",
    "org_ShippingCountry",
    "org_ShippingLongitude",
    "org_ShippingLatitude",
    "org_Phone",
    "prs_Salutation",
    "prs_FirstName",
    "prs_MiddleName",
    "prs_LastName",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Deceased",
    "prs_Citizenship",
    "prs_Title",
    "prs_Email",
    "prs_HomePhone",
    "prs_MobilePhone",
    "prs_MailingStreet",
    "prs_MailingCity",
    "prs_MailingState",
    "prs_MailingPostalCode",
    "prs_MailingCountry",
    "prs_MailingLongitude",
    "prs_MailingLatitude",
    "prs_MaritalStatus",
    "prs_NumberOfChildren",
    "prs_PrimaryLanguage",
    "prs_SecondaryLanguage",
    "prs_HighestLevelOfEducation",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrganisation",
    "vic_AgreementToManagePersonalData",
    "vic_AgeWhenTrafficked",
    "vic_RelationshipToTrafficker",
    "vic_MethodOfRecruitment",
    "vic_RecruitmentWebsitesAndApps",
    "vic_LocationOfRecruitment",
    "vic_MethodsOfControl",
    "vic_MethodsOfControlDebtBondage",
    "vic_MethodsOfControlTakesEarnings",
    "vic_MethodsOfControlRestrictsFinancialAccess",
    "vic_MethodsOfControlThreats",
    "vic_MethodsOfControlPsychologicalAbuse",
    "vic_MethodsOfControlPhysicalAbuse",
    "vic_MethodsOfControlSexualAbuse",
    "vic_MethodsOfControlFalsePromises",
    "vic_MethodsOfControlPsychoactiveSubstances",
    "vic_MethodsOfControlRestrictsMovement",
    "vic_MethodsOfControlRestrictsMedicalCare",
    "vic_MethodsOfControlExcessiveWorkingHours",
    "vic_MethodsOfControlUsesChildren",
    "vic_MethodsOfControlThreatOfLawEnforcement",
    "vic_MethodsOfControlWithholdsNecessities",
    "vic_MethodsOfControlWithholdsDocuments",
    "vic_MethodsOfControlOther",
    "vic_TypeOfExploitation",
    "vic_TypeOfLabourExploitation",
    "vic_LabourIndustry",
    "vic_TypeOfSexExploitation",
    "vic_LocationOfExploitation",
    "vic_ExploitationWebsitesAndApps",
    "vic_Vulnerabilities",
    "vic_DetailsOfVulnerabilities",
    "per_RoleInProcess",
    "per_RoleDetails",
    "per_Organisation",
    "hte_Type",
    "hte_Country",
    "hte_City",
    "hte_State",
    "hte_Street",
    "hte_PostalCode",
    "hte_Longitude",
    "hte_Latitude",
    "hte_Date",
    "hte_Description",
    "cas_Status",
    "cas_CaseComment",
    "cas_ReferringOrganisation",
    "cas_IncomingReferralDate",
    "cas_ReferringPrimaryCaseWorker",
    "cas_ReasonForIncomingReferral",
    "cas_IncomingReferralDetails",
    "cas_ReferredOrganisation",
    "cas_ReferredPrimaryCaseWorker",
    "cas_ReasonForOutgoingReferral",
    "cas_OutgoingReferralDate",
    "cas_OutgoingReferralDetails",
    "cas_ReasonForCaseClosure",
];

const TABLES: &[&str] = &["cas", "prs", "vic", "per", "hte", "org", "nig"];

impl Mapping {
    /// The embedded mapping, checked against the reference data (indicator and code values).
    pub fn embedded(refdata: &ReferenceData) -> Result<Mapping, Vec<String>> {
        Mapping::parse(EMBEDDED, refdata)
    }

    /// Parse and check a mapping file; every problem is listed.
    pub fn parse(src: &str, refdata: &ReferenceData) -> Result<Mapping, Vec<String>> {
        let file = "crates/exchange/data/htcds_fields.toml";
        let raw: RawFile = toml::from_str(src).map_err(|e| vec![format!("{file}: {e}")])?;
        let mut errs = Vec::new();
        let mut fields = Vec::new();
        let mut by_name = BTreeMap::new();
        for r in raw.field {
            let at = format!("{file}: field {}", r.name);
            let table = r.name.split('_').next().unwrap_or_default().to_string();
            if !TABLES.contains(&table.as_str()) || !r.name.contains('_') {
                errs.push(format!(
                    "{at}: the name must start with one of {TABLES:?} and _"
                ));
            }
            if by_name.insert(r.name.clone(), fields.len()).is_some() {
                errs.push(format!("{at}: listed twice"));
            }
            let target = match r.target.as_deref() {
                None => None,
                Some(t) => match Target::parse(t) {
                    Some(t) => Some(t),
                    None => {
                        errs.push(format!("{at}: unknown target {t}"));
                        None
                    }
                },
            };
            match (r.status.is_unmapped(), &target) {
                (true, Some(_)) => errs.push(format!("{at}: an unmapped field names no target")),
                (false, None) if r.target.is_none() => errs.push(format!(
                    "{at}: a {} field needs a target",
                    r.status.as_str()
                )),
                _ => {}
            }
            if r.status.is_unmapped() && r.why.as_deref().is_none_or(|w| w.trim().is_empty()) {
                errs.push(format!("{at}: say why the field is unmapped"));
            }
            if (table == "nig") != (r.status == FieldStatus::Extension) {
                errs.push(format!("{at}: nig_ columns and only they are extensions"));
            }
            if let Some(Target::Indicator(code)) = &target {
                if refdata.indicator(code).is_none() {
                    errs.push(format!("{at}: no indicator {code} in data/indicators.toml"));
                }
            }
            for (h, c) in &r.values {
                if h.trim().is_empty() || c.trim().is_empty() {
                    errs.push(format!("{at}: an empty value in values"));
                }
                if let Some(t) = &target {
                    if !code_known(t, c, refdata) {
                        errs.push(format!("{at}: {c} is not a Nigehban code for this field"));
                    }
                }
            }
            fields.push(Field {
                name: r.name,
                table,
                status: r.status,
                target,
                values: r.values,
                why: r.why,
                aliases: r.aliases,
            });
        }
        // Aliases are read as their field's column: none may be another field's name, nor given
        // twice.
        for (i, f) in fields.iter().enumerate() {
            for a in &f.aliases {
                if by_name.insert(a.clone(), i).is_some() {
                    errs.push(format!("{file}: field {}: the alias {a} is taken", f.name));
                }
            }
        }
        for name in STANDARD_FIELDS {
            if !by_name.contains_key(*name) {
                errs.push(format!("{file}: the HTCDS field {name} is missing"));
            }
        }
        let mut targets = BTreeSet::new();
        for f in &fields {
            if let Some(t) = &f.target {
                if !targets.insert(t.clone()) {
                    errs.push(format!(
                        "{file}: field {}: its target is given twice",
                        f.name
                    ));
                }
            }
        }
        for key in [Target::CaseId, Target::PersonId] {
            if !targets.contains(&key) {
                errs.push(format!("{file}: no field is the key {key:?}"));
            }
        }
        if raw.standard.multi_separator.chars().count() != 1 {
            errs.push(format!("{file}: multi_separator must be one character"));
        }
        if errs.is_empty() {
            Ok(Mapping {
                standard: raw.standard,
                fields,
                by_name,
            })
        } else {
            Err(errs)
        }
    }

    pub fn field(&self, name: &str) -> Option<&Field> {
        self.by_name.get(name).and_then(|i| self.fields.get(*i))
    }

    /// The column carrying a target.
    pub fn field_for(&self, target: &Target) -> Option<&Field> {
        self.fields
            .iter()
            .find(|f| f.target.as_ref() == Some(target))
    }

    /// The column headers of an export, in the file's order.
    pub fn headers(&self) -> Vec<String> {
        self.fields.iter().map(|f| f.name.clone()).collect()
    }

    pub fn separator(&self) -> char {
        self.standard.multi_separator.chars().next().unwrap_or(';')
    }

    /// How many fields of the standard are mapped (both ways or derived), and how many not.
    pub fn coverage(&self) -> (usize, usize) {
        let standard: Vec<&Field> = self
            .fields
            .iter()
            .filter(|f| STANDARD_FIELDS.contains(&f.name.as_str()))
            .collect();
        let unmapped = standard.iter().filter(|f| f.status.is_unmapped()).count();
        (standard.len() - unmapped, unmapped)
    }
}

/// Whether a code in a `values` table is one the target knows.
fn code_known(t: &Target, code: &str, refdata: &ReferenceData) -> bool {
    use nigehban_domain::crime::ExploitationForm;
    use nigehban_domain::org::AgencyKind;
    use nigehban_domain::person::{ChainRole, Sex};
    use nigehban_domain::stage::CaseStage;
    match t {
        Target::Sex => Sex::parse(code).is_some(),
        Target::OrgType => AgencyKind::parse(code).is_some(),
        Target::CaseStatus => CaseStage::parse(code).is_some(),
        Target::Exploitation => ExploitationForm::parse(code).is_some(),
        Target::RoleInProcess => ChainRole::parse(code).is_some(),
        Target::Labour => crate::model::LabourSector::parse(code).is_some(),
        Target::Relation => crate::model::RecruiterRelation::parse(code).is_some(),
        Target::TraffickingStatus => matches!(code, "victim" | "not_victim"),
        Target::MethodsOfControl => refdata.indicator(code).is_some(),
        Target::EventType => code == "exploitation",
        _ => false,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn refdata() -> ReferenceData {
        ReferenceData::embedded().unwrap()
    }

    #[test]
    fn the_embedded_mapping_accounts_for_every_field_of_the_standard() {
        let m = Mapping::embedded(&refdata()).expect("mapping");
        for name in STANDARD_FIELDS {
            let f = m.field(name).expect(name);
            if f.status.is_unmapped() {
                assert!(f.why.is_some(), "{name} unmapped without a reason");
            } else {
                assert!(f.target.is_some(), "{name} mapped without a target");
            }
        }
        let (mapped, unmapped) = m.coverage();
        assert_eq!(mapped + unmapped, STANDARD_FIELDS.len());
        assert!(mapped >= 25, "{mapped} mapped");
    }

    #[test]
    fn a_bad_mapping_is_refused_with_every_problem() {
        let src = EMBEDDED
            .replacen("name = \"prs_Deceased\"", "name = \"prs_Deceasedx\"", 1)
            .replacen(
                "victim.indicator:ilo_debt_bondage",
                "victim.indicator:no_such_indicator",
                1,
            )
            .replacen("[\"Masculine\", \"male\"]", "[\"Masculine\", \"man\"]", 1);
        let errs = Mapping::parse(&src, &refdata()).unwrap_err();
        let all = errs.join("\n");
        assert!(all.contains("prs_Deceased is missing"), "{all}");
        assert!(all.contains("no_such_indicator"), "{all}");
        assert!(all.contains("man is not a Nigehban code"), "{all}");
        let no_reason =
            EMBEDDED.replacen("why = \"Nigehban records no deaths.\"", "why = \" \"", 1);
        let errs = Mapping::parse(&no_reason, &refdata()).unwrap_err();
        assert!(errs.iter().any(|e| e.contains("say why")), "{errs:?}");
    }

    #[test]
    fn values_translate_both_ways() {
        let m = Mapping::embedded(&refdata()).unwrap();
        let g = m.field("prs_Gender").unwrap();
        assert_eq!(g.export_value("male"), Some("Masculine"));
        assert_eq!(g.import_code("Male"), Some("male"));
        assert_eq!(g.import_code(" transgender feminine "), Some("transgender"));
        assert_eq!(g.import_code("Alien"), None);
    }
}
