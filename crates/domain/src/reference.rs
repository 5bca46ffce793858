//! Reference data: the gazetteer (provinces, districts, exit points and crossings), ISO 3166
//! countries, the legal-provision catalogue, the case-stage table and the starting organisations.
//! All of it is data files embedded in the binary and checked once at start; a bad file stops
//! the program with every problem listed, rather than surfacing later as a wrong answer.

use crate::assessment::{parse_indicators, Indicator, IndicatorCategory};
use crate::code_enum;
use crate::crime::CrimeType;
use crate::org::{is_valid_unit_code, Agency, AgencyKind, UnitDef};
use crate::stage::CaseStage;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

const GAZETTEER: &str = include_str!("../data/gazetteer.toml");
const COUNTRIES: &str = include_str!("../data/countries.csv");
const PROVISIONS: &str = include_str!("../data/legal_provisions.toml");
const STAGES: &str = include_str!("../data/case_stages.toml");
const ORGANISATIONS: &str = include_str!("../data/organisations.toml");
const INDICATORS: &str = include_str!("../data/indicators.toml");

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Province {
    pub code: String,
    pub kind: String,
    pub name_en: String,
    pub name_ur: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct District {
    pub code: String,
    pub province: String,
    pub name_en: String,
    pub name_ur: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Named as a main source area of irregular migration and trafficking.
    #[serde(default)]
    pub main_source: bool,
}

code_enum! {
    pub enum PlaceKind {
        Airport = "airport",
        LandBorder = "land_border",
        Seaport = "seaport",
        CoastalLaunchPoint = "coastal_launch_point",
        InformalCrossing = "informal_crossing",
    }
}

/// An exit point, border crossing or coastal launch point.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Place {
    pub code: String,
    pub kind: PlaceKind,
    pub legal_exit_point: bool,
    pub name_en: String,
    pub name_ur: String,
    pub district: String,
    pub neighbour: Option<String>,
    pub iata: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Country {
    pub alpha3: String,
    pub alpha2: String,
    pub numeric: String,
    pub name_en: String,
    pub name_ur: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Act {
    pub code: String,
    pub title_en: String,
    pub title_ur: String,
    pub short_en: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// One section of an act under which a case can be registered and prosecuted.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provision {
    pub code: String,
    pub act: String,
    pub section: String,
    pub offence_en: String,
    pub offence_ur: String,
    pub penalty_en: String,
    pub penalty_ur: String,
    pub min_years: u32,
    pub max_years: u32,
    pub life: bool,
    pub death: bool,
    pub max_fine_pkr: u64,
    pub cognizable: bool,
    pub bailable: bool,
    pub compoundable: bool,
    pub agencies: Vec<String>,
    pub crime_types: Vec<CrimeType>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    /// Checked against the statute text; unchecked entries are shown as such.
    pub verified: bool,
}

impl Provision {
    pub fn in_force_on(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && self.valid_to.is_none_or(|to| date <= to)
    }
    pub fn applies_to_any(&self, crime_types: &BTreeSet<CrimeType>) -> bool {
        self.crime_types.iter().any(|c| crime_types.contains(c))
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GazetteerFile {
    province: Vec<Province>,
    district: Vec<District>,
    place: Vec<Place>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProvisionsFile {
    act: Vec<Act>,
    provision: Vec<Provision>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StageDef {
    code: String,
    next: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StagesFile {
    stage: Vec<StageDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrganisationsFile {
    agency: Vec<Agency>,
    unit: Vec<UnitDef>,
}

/// Every problem found in the reference data, with the file it is in.
#[derive(Debug, thiserror::Error)]
#[error("reference data is invalid:\n{}", .0.join("\n"))]
pub struct ReferenceError(pub Vec<String>);

/// All reference data, indexed for lookup.
#[derive(Debug)]
pub struct ReferenceData {
    pub provinces: Vec<Province>,
    pub districts: Vec<District>,
    pub places: Vec<Place>,
    pub countries: Vec<Country>,
    pub acts: Vec<Act>,
    pub provisions: Vec<Provision>,
    pub agencies: Vec<Agency>,
    pub units: Vec<UnitDef>,
    /// Indicators of trafficking and smuggling recorded at interview (`indicators.toml`).
    pub indicators: Vec<Indicator>,
    /// The intake's own tables (`intake.toml`): CNIC province digits, currencies, case sections.
    pub intake: crate::intake::IntakeReference,
    /// Victim protection's closed sets (`victims.toml`): services, needs, consent, reasons.
    pub victims: crate::victims::VictimsReference,
    transitions: BTreeMap<CaseStage, Vec<CaseStage>>,
    province_idx: HashMap<String, usize>,
    district_idx: HashMap<String, usize>,
    place_idx: HashMap<String, usize>,
    country_idx: HashMap<String, usize>,
    act_idx: HashMap<String, usize>,
    provision_idx: HashMap<String, usize>,
    agency_idx: HashMap<String, usize>,
    indicator_idx: HashMap<String, usize>,
}

fn index<T>(
    items: &[T],
    key: impl Fn(&T) -> &str,
    file: &str,
    what: &str,
    errs: &mut Vec<String>,
) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for (i, item) in items.iter().enumerate() {
        if map.insert(key(item).to_string(), i).is_some() {
            errs.push(format!("{file}: {what} `{}` is defined twice", key(item)));
        }
    }
    map
}

impl ReferenceData {
    /// Load and check the data files embedded in the binary.
    pub fn embedded() -> Result<ReferenceData, ReferenceError> {
        Self::from_sources(
            GAZETTEER,
            COUNTRIES,
            PROVISIONS,
            STAGES,
            ORGANISATIONS,
            INDICATORS,
        )
    }

    /// Load and check reference data from the given file contents.
    pub fn from_sources(
        gazetteer: &str,
        countries: &str,
        provisions: &str,
        stages: &str,
        organisations: &str,
        indicators: &str,
    ) -> Result<ReferenceData, ReferenceError> {
        let mut errs = Vec::new();
        let gz: Option<GazetteerFile> = toml::from_str(gazetteer)
            .map_err(|e| errs.push(format!("gazetteer.toml: {e}")))
            .ok();
        let pv: Option<ProvisionsFile> = toml::from_str(provisions)
            .map_err(|e| errs.push(format!("legal_provisions.toml: {e}")))
            .ok();
        let st: Option<StagesFile> = toml::from_str(stages)
            .map_err(|e| errs.push(format!("case_stages.toml: {e}")))
            .ok();
        let org: Option<OrganisationsFile> = toml::from_str(organisations)
            .map_err(|e| errs.push(format!("organisations.toml: {e}")))
            .ok();
        // Checked in full by `parse_indicators` (assessment.rs), which lists every bad entry.
        let indicator_list = parse_indicators(indicators)
            .map_err(|e| errs.extend(e))
            .unwrap_or_default();
        let indicator_idx: HashMap<String, usize> = indicator_list
            .iter()
            .enumerate()
            .map(|(i, ind)| (ind.code.clone(), i))
            .collect();
        let mut country_list = Vec::new();
        let mut reader = csv::Reader::from_reader(countries.as_bytes());
        for (i, rec) in reader.deserialize::<Country>().enumerate() {
            match rec {
                Ok(c) => country_list.push(c),
                Err(e) => errs.push(format!("countries.csv: row {}: {e}", i + 2)),
            }
        }
        let (Some(gz), Some(pv), Some(st), Some(org)) = (gz, pv, st, org) else {
            return Err(ReferenceError(errs));
        };

        let province_idx = index(
            &gz.province,
            |p| &p.code,
            "gazetteer.toml",
            "province",
            &mut errs,
        );
        let district_idx = index(
            &gz.district,
            |d| &d.code,
            "gazetteer.toml",
            "district",
            &mut errs,
        );
        let place_idx = index(&gz.place, |p| &p.code, "gazetteer.toml", "place", &mut errs);
        let country_idx = index(
            &country_list,
            |c| &c.alpha3,
            "countries.csv",
            "country",
            &mut errs,
        );
        let act_idx = index(
            &pv.act,
            |a| &a.code,
            "legal_provisions.toml",
            "act",
            &mut errs,
        );
        let provision_idx = index(
            &pv.provision,
            |p| &p.code,
            "legal_provisions.toml",
            "provision",
            &mut errs,
        );
        let agency_idx = index(
            &org.agency,
            |a| &a.code,
            "organisations.toml",
            "agency",
            &mut errs,
        );
        let _ = index(
            &org.unit,
            |u| &u.code,
            "organisations.toml",
            "unit",
            &mut errs,
        );

        for d in &gz.district {
            if !province_idx.contains_key(&d.province) {
                errs.push(format!(
                    "gazetteer.toml: district `{}` names unknown province `{}`",
                    d.code, d.province
                ));
            }
            if d.name_ur.trim().is_empty() || d.name_en.trim().is_empty() {
                errs.push(format!(
                    "gazetteer.toml: district `{}` lacks a name",
                    d.code
                ));
            }
        }
        for p in &gz.place {
            if !district_idx.contains_key(&p.district) {
                errs.push(format!(
                    "gazetteer.toml: place `{}` names unknown district `{}`",
                    p.code, p.district
                ));
            }
            if let Some(n) = &p.neighbour {
                if !country_idx.contains_key(n) {
                    errs.push(format!(
                        "gazetteer.toml: place `{}` names unknown country `{n}`",
                        p.code
                    ));
                }
            }
        }
        for a in &pv.act {
            if a.valid_to.is_some_and(|to| to < a.valid_from) {
                errs.push(format!(
                    "legal_provisions.toml: act `{}` ends before it starts",
                    a.code
                ));
            }
        }
        for p in &pv.provision {
            let file = "legal_provisions.toml";
            match act_idx.get(&p.act).and_then(|i| pv.act.get(*i)) {
                None => errs.push(format!(
                    "{file}: provision `{}` names unknown act `{}`",
                    p.code, p.act
                )),
                Some(act) => {
                    if p.valid_from < act.valid_from {
                        errs.push(format!(
                            "{file}: provision `{}` starts before its act",
                            p.code
                        ));
                    }
                }
            }
            if p.valid_to.is_some_and(|to| to < p.valid_from) {
                errs.push(format!(
                    "{file}: provision `{}` ends before it starts",
                    p.code
                ));
            }
            if p.min_years > p.max_years {
                errs.push(format!(
                    "{file}: provision `{}` has min_years above max_years",
                    p.code
                ));
            }
            if p.crime_types.is_empty() {
                errs.push(format!(
                    "{file}: provision `{}` applies to no crime type",
                    p.code
                ));
            }
            for a in &p.agencies {
                if !matches!(a.as_str(), "FIA" | "POLICE") {
                    errs.push(format!(
                        "{file}: provision `{}` names unknown investigating agency `{a}`",
                        p.code
                    ));
                }
            }
        }

        let mut transitions = BTreeMap::new();
        for s in &st.stage {
            let Some(from) = CaseStage::parse(&s.code) else {
                errs.push(format!("case_stages.toml: unknown stage `{}`", s.code));
                continue;
            };
            let mut next = Vec::new();
            for n in &s.next {
                match CaseStage::parse(n) {
                    Some(to) if to != from => next.push(to),
                    Some(_) => errs.push(format!(
                        "case_stages.toml: stage `{}` moves to itself",
                        s.code
                    )),
                    None => errs.push(format!(
                        "case_stages.toml: stage `{}` moves to unknown stage `{n}`",
                        s.code
                    )),
                }
            }
            if transitions.insert(from, next).is_some() {
                errs.push(format!(
                    "case_stages.toml: stage `{}` is defined twice",
                    s.code
                ));
            }
        }
        for s in CaseStage::ALL {
            if !transitions.contains_key(s) {
                errs.push(format!("case_stages.toml: stage `{s}` is missing"));
            }
        }

        for u in &org.unit {
            if !is_valid_unit_code(&u.code) {
                errs.push(format!("organisations.toml: unit code `{}` is not upper-case letters and digits in dash-separated parts", u.code));
            }
            if !agency_idx.contains_key(&u.agency) {
                errs.push(format!(
                    "organisations.toml: unit `{}` names unknown agency `{}`",
                    u.code, u.agency
                ));
            }
            if !district_idx.contains_key(&u.district) {
                errs.push(format!(
                    "organisations.toml: unit `{}` names unknown district `{}`",
                    u.code, u.district
                ));
            }
        }
        let _: Vec<AgencyKind> = org.agency.iter().map(|a| a.kind).collect();

        if !errs.is_empty() {
            return Err(ReferenceError(errs));
        }
        let mut data = ReferenceData {
            provinces: gz.province,
            districts: gz.district,
            places: gz.place,
            countries: country_list,
            acts: pv.act,
            provisions: pv.provision,
            agencies: org.agency,
            units: org.unit,
            indicators: indicator_list,
            transitions,
            province_idx,
            district_idx,
            place_idx,
            country_idx,
            act_idx,
            provision_idx,
            agency_idx,
            indicator_idx,
            intake: crate::intake::IntakeReference::default(),
            victims: crate::victims::VictimsReference::default(),
        };
        // The intake tables refer to provinces, countries and provisions: checked against them.
        data.intake = crate::intake::IntakeReference::embedded(&data).map_err(ReferenceError)?;
        data.victims = crate::victims::VictimsReference::embedded().map_err(ReferenceError)?;
        Ok(data)
    }

    pub fn province(&self, code: &str) -> Option<&Province> {
        self.province_idx
            .get(code)
            .and_then(|i| self.provinces.get(*i))
    }
    pub fn district(&self, code: &str) -> Option<&District> {
        self.district_idx
            .get(code)
            .and_then(|i| self.districts.get(*i))
    }
    pub fn districts_of<'a>(
        &'a self,
        province: &'a str,
    ) -> impl Iterator<Item = &'a District> + 'a {
        self.districts
            .iter()
            .filter(move |d| d.province == province)
    }
    pub fn place(&self, code: &str) -> Option<&Place> {
        self.place_idx.get(code).and_then(|i| self.places.get(*i))
    }
    pub fn country(&self, alpha3: &str) -> Option<&Country> {
        self.country_idx
            .get(alpha3)
            .and_then(|i| self.countries.get(*i))
    }
    pub fn act(&self, code: &str) -> Option<&Act> {
        self.act_idx.get(code).and_then(|i| self.acts.get(*i))
    }
    pub fn provision(&self, code: &str) -> Option<&Provision> {
        self.provision_idx
            .get(code)
            .and_then(|i| self.provisions.get(*i))
    }
    pub fn agency(&self, code: &str) -> Option<&Agency> {
        self.agency_idx
            .get(code)
            .and_then(|i| self.agencies.get(*i))
    }

    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicator_idx
            .get(code)
            .and_then(|i| self.indicators.get(*i))
    }
    /// The indicators of one category, in file order (the order of the interview's checkboxes).
    pub fn indicators_in(&self, category: IndicatorCategory) -> impl Iterator<Item = &Indicator> {
        self.indicators
            .iter()
            .filter(move |i| i.category == category)
    }

    /// Provisions that may be charged for these crime types on this date (all, when either is open).
    pub fn provisions_for(
        &self,
        crime_types: &BTreeSet<CrimeType>,
        date: Option<NaiveDate>,
    ) -> Vec<&Provision> {
        self.provisions
            .iter()
            .filter(|p| crime_types.is_empty() || p.applies_to_any(crime_types))
            .filter(|p| date.is_none_or(|d| p.in_force_on(d)))
            .collect()
    }

    /// Stages a case may move to from `from`.
    pub fn next_stages(&self, from: CaseStage) -> &[CaseStage] {
        self.transitions
            .get(&from)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
    pub fn transition_allowed(&self, from: CaseStage, to: CaseStage) -> bool {
        self.next_stages(from).contains(&to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_reference_data_is_valid() {
        let r = ReferenceData::embedded().unwrap();
        assert!(r.provinces.len() == 7);
        assert!(r.districts.len() > 150);
        assert!(r.countries.len() >= 249);
        assert!(r.country("PAK").is_some());
        assert!(r.district("lahore").is_some());
        assert!(r.provisions.iter().any(|p| p.act == "PTPA-2018"));
        assert!(r.provisions.iter().any(|p| p.act == "PSMA-2018"));
        assert!(r.transition_allowed(CaseStage::Investigation, CaseStage::Challan));
        assert!(!r.transition_allowed(CaseStage::Complaint, CaseStage::Trial));
    }

    #[test]
    fn provisions_filter_by_crime_type_and_date() {
        let r = ReferenceData::embedded().unwrap();
        let som: BTreeSet<_> = [CrimeType::Som].into_iter().collect();
        let today = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
        let list = r.provisions_for(&som, Some(today));
        assert!(list.iter().all(|p| p.crime_types.contains(&CrimeType::Som)));
        assert!(list.iter().any(|p| p.act == "PSMA-2018"));
        assert!(
            !list.iter().any(|p| p.act == "PACHTO-2002"),
            "PACHTO was repealed in 2018"
        );
        let old = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap();
        let tip: BTreeSet<_> = [CrimeType::Tip].into_iter().collect();
        let list = r.provisions_for(&tip, Some(old));
        assert!(list.iter().any(|p| p.act == "PACHTO-2002"));
        assert!(!list.iter().any(|p| p.act == "PTPA-2018"));
    }

    #[test]
    fn broken_data_is_reported_with_its_file() {
        let err = ReferenceData::from_sources(
            GAZETTEER,
            COUNTRIES,
            PROVISIONS,
            "[[stage]]\ncode = \"complaint\"\nnext = [\"nowhere\"]\n",
            ORGANISATIONS,
            INDICATORS,
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("case_stages.toml: stage `complaint` moves to unknown stage `nowhere`"),
            "{text}"
        );
        assert!(text.contains("stage `trial` is missing"), "{text}");
    }

    #[test]
    fn broken_indicators_are_reported_with_the_other_files() {
        let err = ReferenceData::from_sources(
            GAZETTEER,
            COUNTRIES,
            PROVISIONS,
            STAGES,
            ORGANISATIONS,
            "[[indicator]]\ncode = \"threat\"\ncategory = \"menace\"\n",
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("indicators.toml: indicator `threat` has unknown category `menace`"),
            "{text}"
        );
        let r = ReferenceData::embedded().unwrap();
        assert!(r.indicator("debt_bondage").is_none());
        assert!(r.indicator("ilo_debt_bondage").is_some());
    }
}
