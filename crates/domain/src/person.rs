//! Persons and the roles they play in cases.

use crate::code_enum;
use crate::error::{optional_text, Problem, ValidationErrors};
use crate::identifiers::{
    address_key, BankAccount, Cnic, HawalaAccount, Identifier, IdentifierKind, NaraCard, Passport,
    Phone, VehicleRegistration,
};
use crate::names::{parse_roman_name, parse_urdu_name, BilingualName, ParentageRelation};
use crate::reference::ReferenceData;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// The oldest plausible age, for dates of birth and estimates alike.
pub const MAX_AGE_YEARS: u32 = 110;

code_enum! {
    /// Sex as recorded. Disaggregation by sex is a stated gap, so it is always asked; Pakistani law
    /// recognises transgender persons (NADRA's "X").
    pub enum Sex {
        Male = "male",
        Female = "female",
        Transgender = "transgender",
        Unknown = "unknown",
    }
}

code_enum! {
    /// The part a person plays in one case.
    pub enum PersonRole {
        Victim = "victim",
        SmuggledMigrant = "smuggled_migrant",
        Deportee = "deportee",
        Offloadee = "offloadee",
        InterceptedMigrant = "intercepted_migrant",
        Witness = "witness",
        Informant = "informant",
        Complainant = "complainant",
        FamilyMember = "family_member",
        Suspect = "suspect",
    }
}

impl PersonRole {
    /// Roles whose holders the 2018 trafficking act protects (pseudonyms, sealed records): reading
    /// their records is always audited and, later, their identity is shown only on justified request.
    pub fn is_protected(self) -> bool {
        matches!(
            self,
            PersonRole::Victim | PersonRole::Witness | PersonRole::Informant
        )
    }
}

code_enum! {
    /// A suspect's place in the smuggling or trafficking chain.
    pub enum ChainRole {
        MainAgent = "main_agent",
        SubAgent = "sub_agent",
        Recruiter = "recruiter",
        Facilitator = "facilitator",
        Transporter = "transporter",
        FinancialAgent = "financial_agent",
        DocumentForger = "document_forger",
        SafeHouseKeeper = "safe_house_keeper",
        Exploiter = "exploiter",
        CorruptOfficial = "corrupt_official",
    }
}

/// Age as known: an exact date of birth, or an officer's estimate at a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AgeInfo {
    DateOfBirth { date: NaiveDate },
    Estimated { years: u32, as_of: NaiveDate },
    Unknown,
}

impl AgeInfo {
    /// Age in whole years on a date, if known.
    pub fn age_on(&self, on: NaiveDate) -> Option<u32> {
        match *self {
            AgeInfo::DateOfBirth { date } => years_between(date, on),
            AgeInfo::Estimated { years, as_of } => {
                let passed = years_between(as_of, on).unwrap_or(0);
                Some(years + passed)
            }
            AgeInfo::Unknown => None,
        }
    }
    /// Whether the person was a child (under 18) on a date; `None` if the age is unknown.
    pub fn is_minor_on(&self, on: NaiveDate) -> Option<bool> {
        self.age_on(on).map(|a| a < 18)
    }
}

fn years_between(from: NaiveDate, to: NaiveDate) -> Option<u32> {
    if to < from {
        return None;
    }
    let mut years = to.year() - from.year();
    if (to.month(), to.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// Parse a calendar date written as YYYY-MM-DD (the HTML date input) or DD/MM/YYYY (Pakistani forms).
pub fn parse_date(raw: &str) -> Result<NaiveDate, Problem> {
    let t = raw.trim();
    NaiveDate::parse_from_str(t, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(t, "%d/%m/%Y"))
        .or_else(|_| NaiveDate::parse_from_str(t, "%d-%m-%Y"))
        .map_err(|_| Problem::InvalidDate)
}

/// A past (or today's) date, not absurdly old.
pub fn parse_past_date(raw: &str, today: NaiveDate) -> Result<NaiveDate, Problem> {
    let d = parse_date(raw)?;
    if d > today {
        return Err(Problem::DateInFuture);
    }
    if d.year() < today.year() - MAX_AGE_YEARS as i32 {
        return Err(Problem::DateTooOld);
    }
    Ok(d)
}

/// A person as typed into a form or an API body: every field a string, nothing trusted yet.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct PersonInput {
    pub name_roman: Option<String>,
    pub name_urdu: Option<String>,
    pub parentage_relation: Option<String>,
    pub parentage_roman: Option<String>,
    pub parentage_urdu: Option<String>,
    pub sex: Option<String>,
    pub date_of_birth: Option<String>,
    pub estimated_age: Option<String>,
    pub nationality_claimed: Option<String>,
    pub nationality_verified: Option<String>,
    pub origin_district: Option<String>,
    pub cnic: Option<String>,
    pub passport: Option<String>,
    pub passport_country: Option<String>,
    pub phone: Option<String>,
    pub nara_card: Option<String>,
    /// A bank account (IBAN or account number) the person holds or was paid through.
    pub bank_account: Option<String>,
    /// A hawala account (hawaladar and code) the person used.
    pub hawala_account: Option<String>,
    /// A vehicle registration number the person was seen with.
    pub vehicle: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
}

/// A person whose every field passed its checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ValidatedPerson {
    pub name: BilingualName,
    pub parentage_relation: Option<ParentageRelation>,
    pub parentage: BilingualName,
    pub sex: Sex,
    pub age: AgeInfo,
    pub nationality_claimed: Option<String>,
    pub nationality_verified: Option<String>,
    pub origin_district: Option<String>,
    pub identifiers: Vec<Identifier>,
    pub address: Option<String>,
    pub notes: Option<String>,
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

impl PersonInput {
    /// Check every field against the rules and the reference data, collecting all problems.
    pub fn validate(
        &self,
        refdata: &ReferenceData,
        today: NaiveDate,
    ) -> Result<ValidatedPerson, ValidationErrors> {
        let mut errs = ValidationErrors::new();

        let roman =
            blank(&self.name_roman).and_then(|r| errs.take("name_roman", parse_roman_name(r)));
        let urdu = blank(&self.name_urdu).and_then(|r| errs.take("name_urdu", parse_urdu_name(r)));
        if blank(&self.name_roman).is_none() && blank(&self.name_urdu).is_none() {
            errs.add("name_roman", Problem::Required);
        }

        let parentage_relation = blank(&self.parentage_relation).and_then(|r| {
            errs.take(
                "parentage_relation",
                ParentageRelation::parse(r).ok_or(Problem::UnknownCode {
                    value: r.to_string(),
                }),
            )
        });
        let parentage = BilingualName {
            roman: blank(&self.parentage_roman)
                .and_then(|r| errs.take("parentage_roman", parse_roman_name(r))),
            urdu: blank(&self.parentage_urdu)
                .and_then(|r| errs.take("parentage_urdu", parse_urdu_name(r))),
        };
        if parentage_relation.is_some() && parentage.is_empty() {
            errs.add("parentage_roman", Problem::Required);
        }

        let sex = match blank(&self.sex) {
            None => {
                errs.add("sex", Problem::Required);
                Sex::Unknown
            }
            Some(s) => errs
                .take(
                    "sex",
                    Sex::parse(s).ok_or(Problem::UnknownCode {
                        value: s.to_string(),
                    }),
                )
                .unwrap_or(Sex::Unknown),
        };

        let age = match (blank(&self.date_of_birth), blank(&self.estimated_age)) {
            (Some(_), Some(_)) => {
                errs.add("estimated_age", Problem::DobAndAgeBoth);
                AgeInfo::Unknown
            }
            (Some(d), None) => errs
                .take("date_of_birth", parse_past_date(d, today))
                .map(|date| AgeInfo::DateOfBirth { date })
                .unwrap_or(AgeInfo::Unknown),
            (None, Some(a)) => match a.parse::<u32>() {
                Ok(years) if years <= MAX_AGE_YEARS => AgeInfo::Estimated {
                    years,
                    as_of: today,
                },
                Ok(_) => {
                    errs.add(
                        "estimated_age",
                        Problem::AgeImplausible { max: MAX_AGE_YEARS },
                    );
                    AgeInfo::Unknown
                }
                Err(_) => {
                    errs.add("estimated_age", Problem::NotANumber);
                    AgeInfo::Unknown
                }
            },
            (None, None) => AgeInfo::Unknown,
        };

        let mut country = |field: &str, v: Option<&str>| -> Option<String> {
            let v = v?;
            let code = v.to_ascii_uppercase();
            if refdata.country(&code).is_some() {
                Some(code)
            } else {
                errs.add(
                    field,
                    Problem::UnknownCountry {
                        value: v.to_string(),
                    },
                );
                None
            }
        };
        let nationality_claimed = country("nationality_claimed", blank(&self.nationality_claimed));
        let nationality_verified =
            country("nationality_verified", blank(&self.nationality_verified));
        let passport_country = country("passport_country", blank(&self.passport_country));

        let origin_district = blank(&self.origin_district).and_then(|d| {
            if refdata.district(d).is_some() {
                Some(d.to_string())
            } else {
                errs.add(
                    "origin_district",
                    Problem::UnknownDistrict {
                        value: d.to_string(),
                    },
                );
                None
            }
        });

        let mut identifiers = Vec::new();
        if let Some(raw) = blank(&self.cnic) {
            if let Some(c) = errs.take("cnic", Cnic::parse(raw)) {
                if errs.take("cnic", c.check_sex(sex)).is_some() {
                    identifiers.push(Identifier::cnic(&c));
                }
            }
        }
        if let Some(raw) = blank(&self.passport) {
            let issuing = passport_country
                .clone()
                .or_else(|| nationality_claimed.clone())
                .unwrap_or_else(|| "PAK".to_string());
            if let Some(p) = errs.take("passport", Passport::parse(raw, &issuing)) {
                identifiers.push(Identifier::passport(&p));
            }
        }
        if let Some(raw) = blank(&self.phone) {
            if let Some(p) = errs.take("phone", Phone::parse(raw)) {
                identifiers.push(Identifier::phone(&p));
            }
        }
        if let Some(raw) = blank(&self.nara_card) {
            if let Some(n) = errs.take("nara_card", NaraCard::parse(raw)) {
                identifiers.push(Identifier::nara(&n));
            }
        }

        if let Some(raw) = blank(&self.bank_account) {
            if let Some(a) = errs.take("bank_account", BankAccount::parse(raw)) {
                identifiers.push(Identifier::of_kind(IdentifierKind::BankAccount, a.0));
            }
        }
        if let Some(raw) = blank(&self.hawala_account) {
            if let Some(a) = errs.take("hawala_account", HawalaAccount::parse(raw)) {
                identifiers.push(Identifier::of_kind(IdentifierKind::HawalaAccount, a.0));
            }
        }
        if let Some(raw) = blank(&self.vehicle) {
            if let Some(v) = errs.take("vehicle", VehicleRegistration::parse(raw)) {
                identifiers.push(Identifier::of_kind(IdentifierKind::Vehicle, v.0));
            }
        }

        let address = errs
            .take("address", optional_text(self.address.as_deref(), 500))
            .flatten();
        if let Some(key) = address.as_deref().and_then(address_key) {
            identifiers.push(Identifier::of_kind(IdentifierKind::Address, key));
        }
        let notes = errs
            .take("notes", optional_text(self.notes.as_deref(), 4000))
            .flatten();

        errs.into_result(ValidatedPerson {
            name: BilingualName { roman, urdu },
            parentage_relation,
            parentage,
            sex,
            age,
            nationality_claimed,
            nationality_verified,
            origin_district,
            identifiers,
            address,
            notes,
        })
    }
}

/// How a person joins a case: in which role, and for suspects where they sit in the chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRole {
    pub role: PersonRole,
    pub chain_role: Option<ChainRole>,
}

impl CaseRole {
    /// Parse role and chain role; a chain role belongs to suspects only, and every suspect has one.
    pub fn parse(
        role: Option<&str>,
        chain_role: Option<&str>,
    ) -> Result<CaseRole, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let role = match role.map(str::trim).filter(|s| !s.is_empty()) {
            None => {
                errs.add("role", Problem::Required);
                None
            }
            Some(r) => errs.take(
                "role",
                PersonRole::parse(r).ok_or(Problem::UnknownCode {
                    value: r.to_string(),
                }),
            ),
        };
        let chain = chain_role
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .and_then(|c| {
                errs.take(
                    "chain_role",
                    ChainRole::parse(c).ok_or(Problem::UnknownCode {
                        value: c.to_string(),
                    }),
                )
            });
        match (role, chain) {
            (Some(PersonRole::Suspect), None) if errs.is_empty() => {
                errs.add("chain_role", Problem::ChainRoleRequired)
            }
            (Some(r), Some(_)) if r != PersonRole::Suspect => {
                errs.add("chain_role", Problem::ChainRoleOnlyForSuspects)
            }
            _ => {}
        }
        match role {
            Some(role) if errs.is_empty() => Ok(CaseRole {
                role,
                chain_role: chain,
            }),
            _ => Err(errs),
        }
    }
}

/// The name a protected person is shown under until their identity is revealed: "P-" and five
/// characters derived from the person's id, the same on every page and in every case, so officers
/// can refer to "P-7KQ2M" without naming anyone.
pub fn pseudonym(person: crate::ids::PersonId) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    // FNV-1a over the id: stable and spread; it hides nothing the id itself does not.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in person.0.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = String::from("P-");
    for i in 0..5 {
        let idx = ((h >> (i * 5)) & 31) as usize;
        out.push(ALPHABET.get(idx).copied().map(char::from).unwrap_or('X'));
    }
    out
}

#[cfg(test)]
mod pseudonym_tests {
    use super::*;

    #[test]
    fn pseudonyms_are_stable() {
        let id = crate::ids::PersonId::new();
        let a = pseudonym(id);
        assert_eq!(a, pseudonym(id));
        assert!(a.starts_with("P-") && a.len() == 7);
        assert_ne!(a, pseudonym(crate::ids::PersonId::new()));
    }
}
