//! Synthetic persons: a `PersonSpec` is the "true" person (names chosen, spelling chosen, birth date,
//! documents); it is rendered to a `PersonInput` as an officer would type it, and validated.

use crate::geo::{Geo, OriginMode};
use crate::names::{NameEntry, NameKind, NameLists};
use crate::util::{age_between, pickc, wpick, years_before};
use chrono::{Datelike, NaiveDate};
use nigehban_domain::names::ParentageRelation;
use nigehban_domain::person::{PersonInput, Sex, ValidatedPerson};
use nigehban_domain::reference::District;
use nigehban_domain::ValidationErrors;
use rand::Rng;

/// A name as recorded: which name, and how it was spelt this time.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Part<'a> {
    pub entry: &'a NameEntry,
    pub spelling: &'a str,
}

impl<'a> Part<'a> {
    pub fn new(entry: &'a NameEntry, rng: &mut impl Rng) -> Part<'a> {
        Part {
            entry,
            spelling: entry.spelling(rng),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Script {
    Both,
    RomanOnly,
    UrduOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AgeMode {
    Dob,
    /// Estimated, with the officer's error in years.
    Estimated(i32),
    Unknown,
}

/// A person as they "really" are in the synthetic world, and how they were recorded.
#[derive(Debug, Clone)]
pub(crate) struct PersonSpec<'a> {
    pub sex: Sex,
    pub birth: NaiveDate,
    pub claimed: Option<&'static str>,
    pub verified: Option<&'static str>,
    pub origin: Option<&'a District>,
    pub title: Option<Part<'a>>,
    pub given: Part<'a>,
    pub given2: Option<Part<'a>>,
    pub family: Option<Part<'a>>,
    pub parent_rel: Option<ParentageRelation>,
    pub parent: Vec<Part<'a>>,
    pub script: Script,
    pub upper: bool,
    pub age_mode: AgeMode,
    pub dob_iso: bool,
    /// 13 digits.
    pub cnic: Option<String>,
    pub cnic_dashed: bool,
    /// Number and issuing state.
    pub passport: Option<(String, &'static str)>,
    /// E.164.
    pub phone: Option<String>,
    pub phone_form: u8,
    pub nara: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
}

/// How likely each document is for a kind of person.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Docs {
    pub cnic: f64,
    pub passport: f64,
    pub phone: f64,
}

/// What to generate.
#[derive(Debug, Clone)]
pub(crate) struct Req<'a, 's> {
    pub sex: Sex,
    /// Age on `ref_date`.
    pub age: u32,
    pub ref_date: NaiveDate,
    pub nationality: &'static str,
    /// A foreigner passing as Pakistani.
    pub claims_pak: bool,
    pub origin: Option<&'a District>,
    pub docs: Docs,
    pub father: Option<&'s PersonSpec<'a>>,
    pub husband: Option<&'s PersonSpec<'a>>,
    /// Force this family name (households).
    pub family: Option<&'a NameEntry>,
    pub title_p: f64,
    pub phone: Option<String>,
    pub notes: Option<String>,
}

impl<'a, 's> Req<'a, 's> {
    pub fn new(sex: Sex, age: u32, ref_date: NaiveDate, origin: Option<&'a District>) -> Self {
        Req {
            sex,
            age,
            ref_date,
            nationality: "PAK",
            claims_pak: false,
            origin,
            docs: Docs {
                cnic: 0.7,
                passport: 0.1,
                phone: 0.55,
            },
            father: None,
            husband: None,
            family: None,
            title_p: 0.05,
            phone: None,
            notes: None,
        }
    }
}

/// Intern a nationality code as `'static` (the few the generator uses).
pub(crate) fn nat_static(code: &str) -> &'static str {
    match code {
        "AFG" => "AFG",
        "BGD" => "BGD",
        "IND" => "IND",
        "IRN" => "IRN",
        "CHN" => "CHN",
        "NPL" => "NPL",
        "LKA" => "LKA",
        "MMR" => "MMR",
        _ => "PAK",
    }
}

pub(crate) struct PersonGen<'g, 'a> {
    pub geo: &'g Geo<'a>,
    pub names: &'a NameLists,
}

const MOHALLAS: &[&str] = &[
    "Islampura",
    "Rehmanpura",
    "Ghousia Colony",
    "Madina Town",
    "Muslim Town",
    "Satellite Town",
    "Model Colony",
    "Sultanabad",
    "Shah Faisal Colony",
    "Orangi Town",
    "Baldia Town",
    "Lyari",
    "Gulshan-e-Iqbal",
    "Ittehad Town",
    "Faisal Colony",
    "Bilal Colony",
    "Mohallah Jinnah Abad",
    "Christian Colony",
    "Awan Town",
    "Hazara Town",
    "Mariabad",
    "Pashtunabad",
    "Nawa Kili",
    "Gulberg",
    "Samanabad",
    "Ghaziabad",
];

const CHAK_SUFFIX: &[&str] = &["GB", "JB", "RB", "EB", "WB", "SB", "ML", "DNB"];

impl<'a> PersonGen<'_, 'a> {
    /// Generate a person to the request. Never fails: missing lists fall back to others.
    pub fn generate<'s>(&self, rng: &mut impl Rng, req: &Req<'a, 's>) -> Option<PersonSpec<'a>> {
        let foreign = req.nationality != "PAK" && self.names.has_foreign(req.nationality);
        let nationality = if foreign { req.nationality } else { "PAK" };
        let female = req.sex == Sex::Female;
        let region = req.origin.map(|d| d.province.as_str());
        let names = self.names;

        // Names.
        let (title, given, given2, family) = if foreign {
            let given = names.foreign(nationality, female, NameKind::Given, rng)?;
            let family_p = match nationality {
                "AFG" => 0.45,
                "BGD" => 0.75,
                "IND" => 0.85,
                _ => 0.9,
            };
            let family = if rng.gen_bool(family_p) {
                let own = if female && rng.gen_bool(0.6) {
                    names.foreign(nationality, true, NameKind::Family, rng)
                } else {
                    None
                };
                own.or_else(|| names.foreign(nationality, false, NameKind::Family, rng))
            } else {
                None
            };
            (None, given, None, family)
        } else {
            let given = names.given(req.sex, rng)?;
            let given2 = if female {
                if rng.gen_bool(0.18) {
                    names.female_suffix(rng)
                } else {
                    None
                }
            } else if given.canonical().contains(' ') {
                // Compound names ("Muhammad Ali", "Ghulam Rasool") stand alone.
                None
            } else if rng.gen_bool(if given.canonical() == "Muhammad" {
                0.8
            } else {
                0.08
            }) {
                names.given(Sex::Male, rng)
            } else {
                None
            }
            .filter(|g2| {
                g2.ur != given.ur
                    && !g2.ur.contains(given.ur.as_str())
                    && !g2.canonical().contains(' ')
            });
            let family = match req.family {
                Some(f) if rng.gen_bool(0.85) => Some(f),
                Some(_) => None,
                None => {
                    let p = if female { 0.4 } else { 0.62 };
                    if rng.gen_bool(p) {
                        names.family(region, rng)
                    } else {
                        None
                    }
                }
            };
            let title = if rng.gen_bool(req.title_p.clamp(0.0, 1.0)) && req.age >= 18 {
                names.title(female, rng)
            } else {
                None
            }
            .filter(|t| {
                t.ur != given.ur
                    && given2.is_none_or(|g| g.ur != t.ur)
                    && family.is_none_or(|f| f.ur != t.ur)
            });
            (title, given, given2, family)
        };

        // Parentage.
        let mut parent_rel = None;
        let mut parent = Vec::new();
        let parentage_p = if foreign { 0.55 } else { 0.87 };
        if rng.gen_bool(parentage_p) {
            if let Some(h) = req.husband {
                parent_rel = Some(ParentageRelation::WifeOf);
                parent = respelt_name(rng, h);
            } else if let Some(f) = req.father {
                parent_rel = Some(if female {
                    ParentageRelation::DaughterOf
                } else {
                    ParentageRelation::SonOf
                });
                parent = respelt_name(rng, f);
            } else {
                let married = female && req.age >= 20 && rng.gen_bool(0.5);
                parent_rel = Some(if married {
                    ParentageRelation::WifeOf
                } else if female {
                    ParentageRelation::DaughterOf
                } else {
                    ParentageRelation::SonOf
                });
                if foreign {
                    if let Some(g) = names.foreign(nationality, false, NameKind::Given, rng) {
                        parent.push(Part::new(g, rng));
                    }
                    if let Some(f) = family.filter(|_| rng.gen_bool(0.7)) {
                        parent.push(Part::new(f, rng));
                    }
                } else {
                    let g = names
                        .given(Sex::Male, rng)
                        .filter(|g| g.ur != given.ur)
                        .or_else(|| names.given(Sex::Male, rng));
                    if let Some(g) = g {
                        parent.push(Part::new(g, rng));
                        if g.canonical() == "Muhammad" || rng.gen_bool(0.1) {
                            if let Some(g2) = names.given(Sex::Male, rng).filter(|x| x.ur != g.ur) {
                                parent.push(Part::new(g2, rng));
                            }
                        }
                    }
                    let fam = if married {
                        names.family(region, rng)
                    } else {
                        family.or_else(|| names.family(region, rng))
                    };
                    if let Some(f) = fam.filter(|_| rng.gen_bool(0.7)) {
                        parent.push(Part::new(f, rng));
                    }
                }
                if parent.is_empty() {
                    parent_rel = None;
                }
            }
        }

        let script = wpick(
            rng,
            &[
                (Script::Both, if foreign { 55 } else { 68 }),
                (Script::RomanOnly, if foreign { 43 } else { 28 }),
                (Script::UrduOnly, if foreign { 2 } else { 4 }),
            ],
        )
        .unwrap_or(Script::Both);

        // Birth: the age on the reference date, and a day in the year before it.
        let birth =
            crate::util::add_days(years_before(req.ref_date, req.age), -rng.gen_range(0..365));

        // Documents.
        let adult = req.age >= 18;
        let pakistani_papers = nationality == "PAK" || req.claims_pak;
        let cnic = if pakistani_papers {
            let p = if nationality != "PAK" {
                0.3
            } else if adult {
                req.docs.cnic
            } else {
                0.12
            };
            if rng.gen_bool(p.clamp(0.0, 1.0)) {
                req.origin.and_then(|d| self.cnic(rng, d, req.sex))
            } else {
                None
            }
        } else {
            None
        };
        let passport = if rng.gen_bool(req.docs.passport.clamp(0.0, 1.0)) {
            let issuer = if pakistani_papers { "PAK" } else { nationality };
            Some((passport_number(rng, issuer), issuer))
        } else {
            None
        };
        let phone = req.phone.clone().or_else(|| {
            let p = if adult {
                req.docs.phone
            } else {
                req.docs.phone * 0.1
            };
            rng.gen_bool(p.clamp(0.0, 1.0)).then(|| mobile(rng))
        });
        let nara = if !pakistani_papers
            && matches!(nationality, "BGD" | "AFG" | "MMR")
            && rng.gen_bool(0.2)
        {
            Some(format!(
                "NARA-{}-{:07}",
                pickc(rng, &["KHI", "LHE", "ISB", "HYD"]).unwrap_or("KHI"),
                rng.gen_range(1..9_999_999)
            ))
        } else {
            None
        };

        let age_mode = {
            let w: [(u8, u32); 3] = if cnic.is_some() || passport.is_some() {
                [(0, 75), (1, 25), (2, 0)]
            } else if !adult {
                [(0, 30), (1, 65), (2, 5)]
            } else {
                [(0, 25), (1, 60), (2, 15)]
            };
            match wpick(rng, &w).unwrap_or(1) {
                0 => AgeMode::Dob,
                1 => AgeMode::Estimated(rng.gen_range(-2..=2)),
                _ => AgeMode::Unknown,
            }
        };

        let claimed = if foreign {
            if req.claims_pak {
                Some("PAK")
            } else {
                Some(nationality)
            }
        } else if rng.gen_bool(0.97) {
            Some("PAK")
        } else {
            None
        };
        let verified = if foreign && req.claims_pak && rng.gen_bool(0.5) {
            Some(nationality)
        } else if nationality == "PAK" && cnic.is_some() && rng.gen_bool(0.3) {
            Some("PAK")
        } else {
            None
        };

        let address = if rng.gen_bool(0.35) {
            req.origin.map(|d| self.address(rng, d, family))
        } else {
            None
        };

        Some(PersonSpec {
            sex: req.sex,
            birth,
            claimed,
            verified,
            origin: req.origin,
            title: title.map(|t| Part::new(t, rng)),
            given: Part::new(given, rng),
            given2: given2.map(|g| Part::new(g, rng)),
            family: family.map(|f| Part::new(f, rng)),
            parent_rel,
            parent,
            script,
            upper: rng.gen_bool(0.07),
            age_mode,
            dob_iso: rng.gen_bool(0.5),
            cnic,
            cnic_dashed: rng.gen_bool(0.8),
            passport,
            phone,
            phone_form: rng.gen_range(0..4),
            nara,
            address,
            notes: req.notes.clone(),
        })
    }

    /// A CNIC registered in a district, with the sex digit NADRA would give.
    pub fn cnic(&self, rng: &mut impl Rng, district: &District, sex: Sex) -> Option<String> {
        let (p, n) = self.geo.cnic_prefix(district)?;
        let last = match sex {
            Sex::Male => 2 * rng.gen_range(0..5) + 1,
            Sex::Female => 2 * rng.gen_range(0..5),
            _ => rng.gen_range(0..10),
        };
        Some(format!(
            "{p}{:02}{:02}{:07}{last}",
            n % 100,
            rng.gen_range(1..100),
            rng.gen_range(1_000_000..10_000_000)
        ))
    }

    fn address(&self, rng: &mut impl Rng, d: &District, family: Option<&NameEntry>) -> String {
        let fam = family
            .map(|f| f.canonical().to_string())
            .unwrap_or_else(|| {
                self.names
                    .family(Some(&d.province), rng)
                    .map(|f| f.canonical().to_string())
                    .unwrap_or_default()
            });
        let mohalla = pickc(rng, MOHALLAS).unwrap_or("Islampura");
        let district = &d.name_en;
        let form = rng.gen_range(0..4);
        match (d.province.as_str(), form) {
            ("PB", 0) => format!(
                "Chak No. {}/{}, District {district}",
                rng.gen_range(1..600),
                pickc(rng, CHAK_SUFFIX).unwrap_or("GB")
            ),
            ("PB", 1) | ("JK", 1) => format!("Basti {fam}, District {district}"),
            ("SD", 0) | ("SD", 1) => format!("Goth {fam}, Taluka {district}, District {district}"),
            ("BA", 0) | ("BA", 1) => format!("Killi {fam}, District {district}"),
            ("KP", 0) => format!("Village {fam} Kalay, District {district}"),
            (_, 2) => format!(
                "House No. {}, Street {}, {mohalla}, {district}",
                rng.gen_range(1..900),
                rng.gen_range(1..40)
            ),
            _ => format!("Mohalla {mohalla}, {district}"),
        }
    }

    /// A person for benchmarks: any of the kinds that fill the records, with realistic mixes.
    pub fn random(&self, rng: &mut impl Rng, today: NaiveDate) -> Option<PersonSpec<'a>> {
        let kind = wpick(rng, &[(0u8, 45), (1, 20), (2, 10), (3, 20), (4, 5)]).unwrap_or(0);
        let ref_date = crate::util::add_days(today, -rng.gen_range(0..3650));
        let (sex, age, mode, docs) = match kind {
            // Migrants, deportees, offloadees.
            0 => (
                if rng.gen_bool(0.93) {
                    Sex::Male
                } else {
                    Sex::Female
                },
                rng.gen_range(16..45),
                OriginMode::Migrant,
                Docs {
                    cnic: 0.8,
                    passport: 0.6,
                    phone: 0.7,
                },
            ),
            // Victims of trafficking: many women and children.
            1 => (
                if rng.gen_bool(0.65) {
                    Sex::Female
                } else {
                    Sex::Male
                },
                rng.gen_range(6..35),
                OriginMode::Internal,
                Docs {
                    cnic: 0.5,
                    passport: 0.1,
                    phone: 0.3,
                },
            ),
            // Suspects.
            2 => (
                if rng.gen_bool(0.88) {
                    Sex::Male
                } else {
                    Sex::Female
                },
                rng.gen_range(24..65),
                OriginMode::Agent,
                Docs {
                    cnic: 0.65,
                    passport: 0.3,
                    phone: 0.9,
                },
            ),
            // Witnesses, complainants, family.
            3 => (
                if rng.gen_bool(0.7) {
                    Sex::Male
                } else {
                    Sex::Female
                },
                rng.gen_range(20..70),
                OriginMode::Any,
                Docs {
                    cnic: 0.85,
                    passport: 0.1,
                    phone: 0.7,
                },
            ),
            _ => (
                if rng.gen_bool(0.8) {
                    Sex::Male
                } else {
                    Sex::Female
                },
                rng.gen_range(14..50),
                OriginMode::Migrant,
                Docs {
                    cnic: 0.3,
                    passport: 0.3,
                    phone: 0.5,
                },
            ),
        };
        let origin = self.geo.origin(rng, mode, None);
        let mut req = Req::new(sex, age, ref_date, origin);
        req.docs = docs;
        if kind == 4 {
            let nats: &[(&str, u32)] = &[("AFG", 55), ("BGD", 25), ("IRN", 10), ("IND", 10)];
            req.nationality = nat_static(wpick(rng, nats).unwrap_or("AFG"));
            req.claims_pak = rng.gen_bool(0.35);
        }
        if kind == 2 {
            req.title_p = 0.15;
        }
        self.generate(rng, &req)
    }
}

/// The name of a person as someone else (their child, their wife) records it.
fn respelt_name<'a>(rng: &mut impl Rng, p: &PersonSpec<'a>) -> Vec<Part<'a>> {
    let mut parts = vec![p.given];
    parts.extend(p.given2);
    if let Some(f) = p.family {
        if rng.gen_bool(0.8) {
            parts.push(f);
        }
    }
    parts
        .into_iter()
        .map(|part| {
            if rng.gen_bool(0.35) {
                Part::new(part.entry, rng)
            } else {
                part
            }
        })
        .collect()
}

/// A Pakistani mobile number, E.164.
pub(crate) fn mobile(rng: &mut impl Rng) -> String {
    format!(
        "+923{}{}{:07}",
        rng.gen_range(0..5),
        rng.gen_range(0..10),
        rng.gen_range(0..10_000_000)
    )
}

/// A foreign mobile number (Oman, Iran, UAE, Greece, Turkey...), E.164.
pub(crate) fn foreign_mobile(rng: &mut impl Rng) -> String {
    match rng.gen_range(0..6) {
        0 => format!("+9689{:07}", rng.gen_range(0..10_000_000)),
        1 => format!("+989{:09}", rng.gen_range(0..1_000_000_000)),
        2 => format!("+9715{:08}", rng.gen_range(0..100_000_000)),
        3 => format!("+3069{:08}", rng.gen_range(0..100_000_000)),
        4 => format!("+905{:09}", rng.gen_range(0..1_000_000_000)),
        _ => format!("+9665{:08}", rng.gen_range(0..100_000_000)),
    }
}

fn passport_number(rng: &mut impl Rng, issuer: &str) -> String {
    let letter = |rng: &mut dyn rand::RngCore| char::from(b'A' + rng.gen_range(0..26u8));
    match issuer {
        "PAK" => format!(
            "{}{}{:07}",
            letter(rng),
            letter(rng),
            rng.gen_range(0..10_000_000)
        ),
        "IND" => format!("{}{:07}", letter(rng), rng.gen_range(0..10_000_000)),
        _ => format!("{}{:08}", letter(rng), rng.gen_range(0..100_000_000)),
    }
}

impl<'a> PersonSpec<'a> {
    /// The Roman name as recorded.
    pub fn roman_name(&self) -> String {
        let mut parts: Vec<&str> = Vec::with_capacity(4);
        let suffix_title = self.title.filter(|t| t.entry.canonical() == "Begum");
        if let Some(t) = self.title.filter(|t| t.entry.canonical() != "Begum") {
            parts.push(t.spelling);
        }
        parts.push(self.given.spelling);
        if let Some(g) = self.given2 {
            parts.push(g.spelling);
        }
        if let Some(f) = self.family {
            parts.push(f.spelling);
        }
        if let Some(t) = suffix_title {
            parts.push(t.spelling);
        }
        let s = parts.join(" ");
        if self.upper {
            s.to_uppercase()
        } else {
            s
        }
    }

    pub fn urdu_name(&self) -> String {
        let mut parts: Vec<&str> = Vec::with_capacity(4);
        let suffix_title = self.title.filter(|t| t.entry.canonical() == "Begum");
        if let Some(t) = self.title.filter(|t| t.entry.canonical() != "Begum") {
            parts.push(&t.entry.ur);
        }
        parts.push(&self.given.entry.ur);
        if let Some(g) = self.given2 {
            parts.push(&g.entry.ur);
        }
        if let Some(f) = self.family {
            parts.push(&f.entry.ur);
        }
        if let Some(t) = suffix_title {
            parts.push(&t.entry.ur);
        }
        parts.join(" ")
    }

    /// The short form used in narratives: name, and parentage when known.
    pub fn display(&self) -> String {
        let name = self.roman_name();
        match (self.parent_rel, self.parent.is_empty()) {
            (Some(rel), false) => format!(
                "{name} {} {}",
                rel.abbreviation(),
                self.parent
                    .iter()
                    .map(|p| p.spelling)
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
            _ => name,
        }
    }

    pub fn age_on(&self, d: NaiveDate) -> u32 {
        age_between(self.birth, d)
    }

    /// As an officer would type it into the form.
    pub fn to_input(&self, today: NaiveDate) -> PersonInput {
        let roman = (self.script != Script::UrduOnly).then(|| self.roman_name());
        let urdu = (self.script != Script::RomanOnly).then(|| self.urdu_name());
        let (prel, proman, purdu) = match self.parent_rel {
            Some(rel) if !self.parent.is_empty() => {
                let r = self
                    .parent
                    .iter()
                    .map(|p| p.spelling)
                    .collect::<Vec<_>>()
                    .join(" ");
                let u = self
                    .parent
                    .iter()
                    .map(|p| p.entry.ur.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let r = if self.upper { r.to_uppercase() } else { r };
                (
                    Some(rel.abbreviation().to_string()),
                    (self.script != Script::UrduOnly).then_some(r),
                    (self.script != Script::RomanOnly).then_some(u),
                )
            }
            _ => (None, None, None),
        };
        let (dob, est) = match self.age_mode {
            AgeMode::Dob => (
                Some(if self.dob_iso {
                    self.birth.format("%Y-%m-%d").to_string()
                } else {
                    self.birth.format("%d/%m/%Y").to_string()
                }),
                None,
            ),
            AgeMode::Estimated(noise) => {
                let age = i64::from(age_between(self.birth, today)) + i64::from(noise);
                let age = if age > 25 && noise == 0 {
                    // Officers round adults' ages.
                    (age + 2) / 5 * 5
                } else {
                    age
                };
                (None, Some(age.clamp(0, 100).to_string()))
            }
            AgeMode::Unknown => (None, None),
        };
        let cnic = self.cnic.as_ref().map(|c| {
            if self.cnic_dashed {
                match (c.get(0..5), c.get(5..12), c.get(12..13)) {
                    (Some(a), Some(b), Some(x)) => format!("{a}-{b}-{x}"),
                    _ => c.clone(),
                }
            } else {
                c.clone()
            }
        });
        let phone = self.phone.as_ref().map(|p| match p.strip_prefix("+92") {
            Some(national) => match self.phone_form {
                0 => p.clone(),
                1 => format!(
                    "0{}-{}",
                    national.get(0..3).unwrap_or(""),
                    national.get(3..).unwrap_or("")
                ),
                2 => format!("0{national}"),
                _ => format!("92{national}"),
            },
            None => p.clone(),
        });
        PersonInput {
            name_roman: roman,
            name_urdu: urdu,
            parentage_relation: prel,
            parentage_roman: proman,
            parentage_urdu: purdu,
            sex: Some(self.sex.as_str().to_string()),
            date_of_birth: dob,
            estimated_age: est,
            nationality_claimed: self.claimed.map(str::to_string),
            nationality_verified: self.verified.map(str::to_string),
            origin_district: self.origin.map(|d| d.code.clone()),
            cnic,
            passport: self.passport.as_ref().map(|(n, _)| n.clone()),
            passport_country: self.passport.as_ref().map(|(_, c)| c.to_string()),
            phone,
            nara_card: self.nara.clone(),
            bank_account: None,
            hawala_account: None,
            vehicle: None,
            address: self.address.clone(),
            notes: self.notes.clone(),
        }
    }

    pub fn validate(
        &self,
        geo: &Geo<'_>,
        today: NaiveDate,
    ) -> Result<ValidatedPerson, ValidationErrors> {
        self.to_input(today).validate(geo.refdata, today)
    }

    /// The same person recorded again, differently: another spelling, parentage left out, day and
    /// month of birth swapped, or the title and family name dropped.
    pub fn near_duplicate(&self, rng: &mut impl Rng) -> PersonSpec<'a> {
        let mut d = self.clone();
        d.upper = rng.gen_bool(0.1);
        d.phone_form = rng.gen_range(0..4);
        d.cnic_dashed = !self.cnic_dashed;
        let swappable = self.age_mode == AgeMode::Dob
            && self.birth.day() <= 12
            && self.birth.day() != self.birth.month();
        let kind = wpick(
            rng,
            &[
                (0u8, 50),
                (1, 20),
                (2, if swappable { 20 } else { 0 }),
                (3, 10),
            ],
        )
        .unwrap_or(0);
        match kind {
            1 => {
                d.parent_rel = None;
                d.parent.clear();
            }
            2 => {
                if let Some(b) =
                    NaiveDate::from_ymd_opt(self.birth.year(), self.birth.day(), self.birth.month())
                {
                    d.birth = b;
                }
            }
            3 => {
                // Title dropped; the family name too when another given name remains.
                d.title = None;
                if d.given2.is_some() {
                    d.family = None;
                }
            }
            _ => {}
        }
        // Always respell at least one part of the name, and often the parentage.
        let respell_given = d.given.entry.roman.len() > 1 && (kind == 0 || rng.gen_bool(0.5));
        if respell_given {
            d.given.spelling = d.given.entry.other_spelling(rng, d.given.spelling);
        } else if let Some(f) = d.family.as_mut() {
            f.spelling = f.entry.other_spelling(rng, f.spelling);
        }
        if rng.gen_bool(0.5) {
            for p in &mut d.parent {
                if rng.gen_bool(0.5) {
                    p.spelling = p.entry.other_spelling(rng, p.spelling);
                }
            }
        }
        // A record made elsewhere may lack some documents or the script.
        if rng.gen_bool(0.25) {
            d.phone = None;
        }
        if rng.gen_bool(0.15) {
            d.cnic = None;
        }
        if d.script == Script::Both && rng.gen_bool(0.3) {
            d.script = Script::RomanOnly;
        }
        if d.script == Script::UrduOnly {
            d.script = Script::Both;
        }
        d.address = None;
        d.notes = None;
        d
    }
}
