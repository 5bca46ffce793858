//! Places for synthetic records: districts from the gazetteer, weighted toward the source areas.

use crate::util::{pick, pickc, wpick};
use nigehban_domain::reference::{District, Place, ReferenceData};
use rand::Rng;
use std::collections::BTreeMap;

/// Poor districts from which internal trafficking and bonded labour draw (south Punjab, Thar,
/// upper Sindh, Saraiki belt), as gazetteer codes.
pub(crate) const POOR_DISTRICTS: &[&str] = &[
    "muzaffargarh",
    "rajanpur",
    "dera-ghazi-khan",
    "rahim-yar-khan",
    "bahawalpur",
    "bahawalnagar",
    "lodhran",
    "layyah",
    "vehari",
    "kot-addu",
    "taunsa",
    "okara",
    "kasur",
    "tharparkar",
    "umerkot",
    "sanghar",
    "jacobabad",
    "kashmore",
    "badin",
    "dadu",
    "shangla",
    "upper-kohistan",
    "nasirabad",
    "jafarabad",
];

/// Districts with many brick kilns.
pub(crate) const KILN_DISTRICTS: &[&str] = &[
    "kasur",
    "sheikhupura",
    "faisalabad",
    "lahore",
    "okara",
    "sahiwal",
    "nankana-sahib",
    "gujranwala",
    "sialkot",
    "multan",
    "rahim-yar-khan",
    "hyderabad",
    "peshawar",
    "charsadda",
];

/// Districts where haris work under bonded tenancy.
pub(crate) const AGRI_DISTRICTS: &[&str] = &[
    "tharparkar",
    "umerkot",
    "sanghar",
    "mirpur-khas",
    "badin",
    "tando-allahyar",
    "rahim-yar-khan",
    "rajanpur",
];

/// Coal mining districts.
pub(crate) const MINE_DISTRICTS: &[&str] = &[
    "duki", "harnai", "loralai", "quetta", "kohat", "orakzai", "chakwal", "khushab",
];

/// Carpet weaving districts.
pub(crate) const LOOM_DISTRICTS: &[&str] = &[
    "lahore",
    "sheikhupura",
    "gujranwala",
    "hyderabad",
    "tharparkar",
    "sargodha",
];

/// Cities where domestic workers and sex trafficking victims are taken.
pub(crate) const CITY_DISTRICTS: &[&str] = &[
    "lahore",
    "islamabad",
    "rawalpindi",
    "karachi-south",
    "karachi-east",
    "karachi-central",
    "faisalabad",
    "multan",
    "peshawar",
    "hyderabad",
    "gujranwala",
];

/// Districts from which men leave for Gulf jobs (KP, Punjab).
pub(crate) const GULF_SOURCE: &[&str] = &[
    "swat",
    "lower-dir",
    "upper-dir",
    "mardan",
    "swabi",
    "charsadda",
    "peshawar",
    "bannu",
    "shangla",
    "buner",
    "chakwal",
    "attock",
    "sialkot",
    "faisalabad",
    "rawalpindi",
];

/// Transit hubs where facilitators of the land and sea routes live.
pub(crate) const TRANSIT_HUBS: &[&str] = &[
    "quetta",
    "kech",
    "gwadar",
    "panjgur",
    "chagai",
    "karachi-west",
    "keamari",
    "malir",
];

/// How a person's origin district is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OriginMode {
    /// Irregular migrants: the main source districts first.
    Migrant,
    /// Men recruited for Gulf jobs.
    Gulf,
    /// Victims of internal trafficking: poor districts and the case district.
    Internal,
    /// Local to the case district (witnesses, complainants, family, local exploiters).
    Local,
    /// Agents: the source districts, the case district and the transit hubs.
    Agent,
    /// Hazaras of Quetta.
    Hazara,
    /// Anywhere.
    Any,
}

pub(crate) struct Geo<'a> {
    pub refdata: &'a ReferenceData,
    pub main_source: Vec<&'a District>,
    by_province: BTreeMap<&'a str, Vec<&'a District>>,
    poor: Vec<&'a District>,
    gulf: Vec<&'a District>,
    hubs: Vec<&'a District>,
    province_digits: BTreeMap<&'a str, u32>,
    /// Each district's number within its province, for the CNIC's locality digits.
    district_no: BTreeMap<&'a str, u32>,
}

fn digit_of(province: &str) -> Option<u32> {
    match province {
        "KP" => Some(1),
        "PB" => Some(3),
        "SD" => Some(4),
        "BA" => Some(5),
        "IS" => Some(6),
        "GB" => Some(7),
        "JK" => Some(8),
        _ => None,
    }
}

impl<'a> Geo<'a> {
    pub fn new(refdata: &'a ReferenceData) -> Geo<'a> {
        let mut by_province: BTreeMap<&'a str, Vec<&'a District>> = BTreeMap::new();
        let mut district_no = BTreeMap::new();
        for d in &refdata.districts {
            let list = by_province.entry(d.province.as_str()).or_default();
            list.push(d);
            district_no.insert(d.code.as_str(), list.len() as u32);
        }
        let list = |codes: &[&str]| -> Vec<&'a District> {
            codes.iter().filter_map(|c| refdata.district(c)).collect()
        };
        let province_digits = refdata
            .provinces
            .iter()
            .filter_map(|p| digit_of(&p.code).map(|d| (p.code.as_str(), d)))
            .collect();
        Geo {
            refdata,
            main_source: refdata.districts.iter().filter(|d| d.main_source).collect(),
            by_province,
            poor: list(POOR_DISTRICTS),
            gulf: list(GULF_SOURCE),
            hubs: list(TRANSIT_HUBS),
            province_digits,
            district_no,
        }
    }

    pub fn district(&self, code: &str) -> Option<&'a District> {
        self.refdata.district(code)
    }

    pub fn districts_in(&self, province: &str) -> &[&'a District] {
        self.by_province
            .get(province)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// Districts of a list that lie in a province (all of the list when no province is given).
    pub fn listed_in(&self, codes: &[&str], province: Option<&str>) -> Vec<&'a District> {
        codes
            .iter()
            .filter_map(|c| self.refdata.district(c))
            .filter(|d| province.is_none_or(|p| d.province == p))
            .collect()
    }

    pub fn any(&self, rng: &mut impl Rng) -> Option<&'a District> {
        pick(rng, &self.refdata.districts)
    }

    pub fn main_source(&self, rng: &mut impl Rng) -> Option<&'a District> {
        pickc(rng, &self.main_source).or_else(|| self.any(rng))
    }

    /// The first digit of CNICs issued in a district's province.
    pub fn cnic_prefix(&self, district: &District) -> Option<(u32, u32)> {
        let p = *self.province_digits.get(district.province.as_str())?;
        let n = self
            .district_no
            .get(district.code.as_str())
            .copied()
            .unwrap_or(1);
        Some((p, n))
    }

    /// An origin district for a person.
    pub fn origin(
        &self,
        rng: &mut impl Rng,
        mode: OriginMode,
        case_district: Option<&'a District>,
    ) -> Option<&'a District> {
        #[derive(Clone, Copy)]
        enum S {
            Main,
            Poor,
            Gulf,
            Hubs,
            Case,
            CaseProvince,
            Kp,
            Quetta,
            Any,
        }
        let plan: &[(S, u32)] = match mode {
            OriginMode::Migrant => &[
                (S::Main, 62),
                (S::Kp, 12),
                (S::Case, 8),
                (S::CaseProvince, 8),
                (S::Any, 10),
            ],
            OriginMode::Gulf => &[(S::Gulf, 55), (S::Main, 20), (S::Kp, 10), (S::Case, 15)],
            OriginMode::Internal => &[
                (S::Poor, 55),
                (S::Case, 8),
                (S::CaseProvince, 27),
                (S::Main, 5),
                (S::Any, 5),
            ],
            OriginMode::Local => &[(S::Case, 70), (S::CaseProvince, 25), (S::Any, 5)],
            OriginMode::Agent => &[
                (S::Case, 35),
                (S::Main, 30),
                (S::CaseProvince, 15),
                (S::Hubs, 15),
                (S::Any, 5),
            ],
            OriginMode::Hazara => &[(S::Quetta, 90), (S::CaseProvince, 10)],
            OriginMode::Any => &[(S::Any, 60), (S::Main, 40)],
        };
        let s = wpick(rng, plan).unwrap_or(S::Any);
        let d = match s {
            S::Main => self.main_source(rng),
            S::Poor => pickc(rng, &self.poor),
            S::Gulf => pickc(rng, &self.gulf),
            S::Hubs => pickc(rng, &self.hubs),
            S::Case => case_district,
            S::CaseProvince => {
                case_district.and_then(|c| pickc(rng, self.districts_in(&c.province)))
            }
            S::Kp => pickc(rng, self.districts_in("KP")),
            S::Quetta => self.district("quetta"),
            S::Any => self.any(rng),
        };
        d.or(case_district).or_else(|| self.main_source(rng))
    }

    pub fn province_of(&self, p: &Place) -> Option<&'a str> {
        self.refdata
            .district(&p.district)
            .map(|d| d.province.as_str())
    }
}
