//! The name lists of `data/names.toml`, loaded and checked once, and the choice of a spelling.

use crate::SynthError;
use nigehban_domain::names::{parse_roman_name, parse_urdu_name};
use nigehban_domain::person::Sex;
use rand::distributions::{Distribution, WeightedIndex};
use rand::Rng;
use serde::Deserialize;
use std::collections::BTreeMap;

const NAMES: &str = include_str!("../data/names.toml");

/// Provinces and territories the `regions` of family names may name (gazetteer codes).
const REGIONS: [&str; 7] = ["PB", "SD", "KP", "BA", "IS", "GB", "JK"];
/// Titles borne by women; the others by men.
const FEMALE_TITLES: [&str; 3] = ["Syeda", "Hajiani", "Begum"];
/// Family names of the Hazaras of Quetta.
const HAZARA: [&str; 2] = ["Hazara", "Changezi"];
/// Women's given names that also follow another given name ("Sakina Bibi", "Nasreen Akhtar Bano").
const FEMALE_SUFFIXES: [&str; 5] = ["Bibi", "Bano", "Mai", "Begum", "Khatoon"];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    roman: Vec<String>,
    ur: String,
    #[serde(default)]
    weight: Option<u32>,
    #[serde(default)]
    regions: Vec<String>,
    #[serde(default)]
    nationality: Option<String>,
    #[serde(default)]
    sex: Option<String>,
    #[serde(default)]
    kind: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    male_given: Vec<RawEntry>,
    female_given: Vec<RawEntry>,
    family: Vec<RawEntry>,
    title: Vec<RawEntry>,
    foreign: Vec<RawEntry>,
}

/// One name: its Roman spellings (the usual one first) and its Urdu-script form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NameEntry {
    pub roman: Vec<String>,
    pub ur: String,
}

impl NameEntry {
    /// The usual Roman spelling.
    pub fn canonical(&self) -> &str {
        self.roman.first().map(String::as_str).unwrap_or("")
    }

    /// A spelling as an officer might write it: the usual one most often, variants less and less.
    pub fn spelling(&self, rng: &mut impl Rng) -> &str {
        let n = self.roman.len();
        if n <= 1 {
            return self.canonical();
        }
        // Weights by rank: 50, 22, 12, 7, 4, 3, 2, 1, 1, ...
        const RANK: [u32; 8] = [50, 22, 12, 7, 4, 3, 2, 1];
        let weight = |i: usize| RANK.get(i).copied().unwrap_or(1);
        let total: u32 = (0..n).map(weight).sum();
        let mut x = rng.gen_range(0..total);
        for (i, s) in self.roman.iter().enumerate() {
            let w = weight(i);
            if x < w {
                return s;
            }
            x -= w;
        }
        self.canonical()
    }

    /// A spelling other than `not`, when the name has one.
    pub fn other_spelling(&self, rng: &mut impl Rng, not: &str) -> &str {
        let others: Vec<&String> = self.roman.iter().filter(|s| s.as_str() != not).collect();
        if others.is_empty() {
            return self.canonical();
        }
        let i = rng.gen_range(0..others.len());
        others
            .get(i)
            .map(|s| s.as_str())
            .unwrap_or(self.canonical())
    }
}

/// A weighted list of names.
#[derive(Debug, Clone)]
pub(crate) struct Pool {
    entries: Vec<NameEntry>,
    dist: WeightedIndex<u32>,
}

impl Pool {
    fn new(entries: Vec<(NameEntry, u32)>) -> Option<Pool> {
        if entries.is_empty() {
            return None;
        }
        let dist = WeightedIndex::new(entries.iter().map(|(_, w)| *w)).ok()?;
        Some(Pool {
            entries: entries.into_iter().map(|(e, _)| e).collect(),
            dist,
        })
    }

    pub fn pick(&self, rng: &mut impl Rng) -> Option<&NameEntry> {
        self.entries.get(self.dist.sample(rng))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }
}

/// Whether a foreign name is a given or a family name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum NameKind {
    Given,
    Family,
}

/// Loaded, validated name lists (from the embedded `data/names.toml`).
#[derive(Debug, Clone)]
pub struct NameLists {
    male: Pool,
    female: Pool,
    female_suffixes: Vec<NameEntry>,
    family_all: Pool,
    hazara: Vec<NameEntry>,
    family_by_region: BTreeMap<String, Pool>,
    titles_male: Vec<NameEntry>,
    titles_female: Vec<NameEntry>,
    /// Foreign names by (nationality, female?, kind).
    foreign: BTreeMap<(String, bool, NameKind), Pool>,
    nationalities: Vec<String>,
}

fn check_entry(list: &str, i: usize, e: &RawEntry, errs: &mut Vec<String>) -> Option<NameEntry> {
    let at = format!("names.toml: [[{list}]] #{}", i + 1);
    let mut ok = true;
    if e.roman.is_empty() {
        errs.push(format!("{at}: no Roman spelling"));
        ok = false;
    }
    let mut roman = Vec::with_capacity(e.roman.len());
    for r in &e.roman {
        match parse_roman_name(r) {
            Ok(v) => roman.push(v),
            Err(p) => {
                errs.push(format!(
                    "{at}: Roman spelling `{r}` is invalid ({})",
                    p.code()
                ));
                ok = false;
            }
        }
    }
    let ur = match parse_urdu_name(&e.ur) {
        Ok(v) => v,
        Err(p) => {
            errs.push(format!("{at}: Urdu `{}` is invalid ({})", e.ur, p.code()));
            ok = false;
            String::new()
        }
    };
    if list != "title" && !matches!(e.weight, Some(1..)) {
        errs.push(format!("{at}: weight must be a positive number"));
        ok = false;
    }
    ok.then_some(NameEntry { roman, ur })
}

impl NameLists {
    /// Load and check the name lists embedded in the binary.
    pub fn embedded() -> Result<NameLists, SynthError> {
        Self::from_toml(NAMES)
    }

    /// Load and check name lists from TOML text (the format of `data/names.toml`).
    pub fn from_toml(text: &str) -> Result<NameLists, SynthError> {
        let raw: RawFile = toml::from_str(text)
            .map_err(|e| SynthError::Names(vec![format!("names.toml: {e}")]))?;
        let mut errs = Vec::new();

        let weighted =
            |list: &str, v: &[RawEntry], errs: &mut Vec<String>| -> Vec<(NameEntry, u32)> {
                v.iter()
                    .enumerate()
                    .filter_map(|(i, e)| {
                        check_entry(list, i, e, errs).map(|n| (n, e.weight.unwrap_or(1)))
                    })
                    .collect()
            };
        let male = weighted("male_given", &raw.male_given, &mut errs);
        let female = weighted("female_given", &raw.female_given, &mut errs);
        let female_suffixes: Vec<NameEntry> = female
            .iter()
            .filter(|(e, _)| FEMALE_SUFFIXES.contains(&e.canonical()))
            .map(|(e, _)| e.clone())
            .collect();

        let mut family_all = Vec::new();
        let mut by_region: BTreeMap<String, Vec<(NameEntry, u32)>> = BTreeMap::new();
        for (i, e) in raw.family.iter().enumerate() {
            let Some(n) = check_entry("family", i, e, &mut errs) else {
                continue;
            };
            let w = e.weight.unwrap_or(1);
            if e.regions.is_empty() {
                errs.push(format!("names.toml: [[family]] #{}: no regions", i + 1));
            }
            for r in &e.regions {
                if REGIONS.contains(&r.as_str()) {
                    by_region.entry(r.clone()).or_default().push((n.clone(), w));
                } else {
                    errs.push(format!(
                        "names.toml: [[family]] #{}: unknown region `{r}`",
                        i + 1
                    ));
                }
            }
            family_all.push((n, w));
        }
        let hazara: Vec<NameEntry> = family_all
            .iter()
            .filter(|(e, _)| HAZARA.contains(&e.canonical()))
            .map(|(e, _)| e.clone())
            .collect();

        let mut titles_male = Vec::new();
        let mut titles_female = Vec::new();
        for (i, e) in raw.title.iter().enumerate() {
            if let Some(n) = check_entry("title", i, e, &mut errs) {
                if FEMALE_TITLES.contains(&n.canonical()) {
                    titles_female.push(n);
                } else {
                    titles_male.push(n);
                }
            }
        }

        let mut foreign: BTreeMap<(String, bool, NameKind), Vec<(NameEntry, u32)>> =
            BTreeMap::new();
        let mut nationalities: Vec<String> = Vec::new();
        for (i, e) in raw.foreign.iter().enumerate() {
            let Some(n) = check_entry("foreign", i, e, &mut errs) else {
                continue;
            };
            let at = format!("names.toml: [[foreign]] #{}", i + 1);
            let nat = match e.nationality.as_deref() {
                Some(c) if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase()) => {
                    c.to_string()
                }
                other => {
                    errs.push(format!("{at}: nationality `{other:?}` is not ISO alpha-3"));
                    continue;
                }
            };
            let female = match e.sex.as_deref() {
                Some("male") => false,
                Some("female") => true,
                other => {
                    errs.push(format!("{at}: sex `{other:?}` is not male or female"));
                    continue;
                }
            };
            let kind = match e.kind.as_deref() {
                Some("given") => NameKind::Given,
                Some("family") => NameKind::Family,
                other => {
                    errs.push(format!("{at}: kind `{other:?}` is not given or family"));
                    continue;
                }
            };
            if !nationalities.contains(&nat) {
                nationalities.push(nat.clone());
            }
            foreign
                .entry((nat, female, kind))
                .or_default()
                .push((n, e.weight.unwrap_or(1)));
        }
        for nat in &nationalities {
            for female in [false, true] {
                if !foreign.contains_key(&(nat.clone(), female, NameKind::Given)) {
                    errs.push(format!(
                        "names.toml: no {} given names for nationality {nat}",
                        if female { "female" } else { "male" }
                    ));
                }
            }
        }
        for r in REGIONS {
            if !by_region.contains_key(r) {
                errs.push(format!("names.toml: no family names for region {r}"));
            }
        }
        if titles_male.is_empty() || titles_female.is_empty() {
            errs.push("names.toml: titles for men and for women are both needed".to_string());
        }

        let male = Pool::new(male);
        let female = Pool::new(female);
        let family_all = Pool::new(family_all);
        if male.is_none() {
            errs.push("names.toml: no usable male given names".to_string());
        }
        if female.is_none() {
            errs.push("names.toml: no usable female given names".to_string());
        }
        if family_all.is_none() {
            errs.push("names.toml: no usable family names".to_string());
        }
        let family_by_region: BTreeMap<String, Pool> = by_region
            .into_iter()
            .filter_map(|(k, v)| Pool::new(v).map(|p| (k, p)))
            .collect();
        let foreign: BTreeMap<(String, bool, NameKind), Pool> = foreign
            .into_iter()
            .filter_map(|(k, v)| Pool::new(v).map(|p| (k, p)))
            .collect();

        match (male, female, family_all) {
            (Some(male), Some(female), Some(family_all)) if errs.is_empty() => Ok(NameLists {
                male,
                female,
                female_suffixes,
                family_all,
                hazara,
                family_by_region,
                titles_male,
                titles_female,
                foreign,
                nationalities,
            }),
            _ => Err(SynthError::Names(errs)),
        }
    }

    /// Number of given names (male, female) and family names: for reports and tests.
    pub fn sizes(&self) -> (usize, usize, usize) {
        (self.male.len(), self.female.len(), self.family_all.len())
    }

    /// Nationalities (ISO alpha-3) with foreign name lists.
    pub fn foreign_nationalities(&self) -> &[String] {
        &self.nationalities
    }

    pub(crate) fn given(&self, sex: Sex, rng: &mut impl Rng) -> Option<&NameEntry> {
        if sex == Sex::Female {
            self.female.pick(rng)
        } else {
            self.male.pick(rng)
        }
    }

    pub(crate) fn female_suffix(&self, rng: &mut impl Rng) -> Option<&NameEntry> {
        pick_slice(rng, &self.female_suffixes)
    }

    /// A family name common in a region (province code), or anywhere when the region has none.
    pub(crate) fn family(&self, region: Option<&str>, rng: &mut impl Rng) -> Option<&NameEntry> {
        region
            .and_then(|r| self.family_by_region.get(r))
            .unwrap_or(&self.family_all)
            .pick(rng)
    }

    /// A Hazara family name (Quetta), if the lists have one.
    pub(crate) fn hazara(&self, rng: &mut impl Rng) -> Option<&NameEntry> {
        pick_slice(rng, &self.hazara)
    }

    pub(crate) fn title(&self, female: bool, rng: &mut impl Rng) -> Option<&NameEntry> {
        if female {
            pick_slice(rng, &self.titles_female)
        } else {
            pick_slice(rng, &self.titles_male)
        }
    }

    pub(crate) fn foreign(
        &self,
        nationality: &str,
        female: bool,
        kind: NameKind,
        rng: &mut impl Rng,
    ) -> Option<&NameEntry> {
        self.foreign
            .get(&(nationality.to_string(), female, kind))
            .and_then(|p| p.pick(rng))
    }

    pub(crate) fn has_foreign(&self, nationality: &str) -> bool {
        self.nationalities.iter().any(|n| n == nationality)
    }
}

fn pick_slice<'a, T>(rng: &mut impl Rng, v: &'a [T]) -> Option<&'a T> {
    if v.is_empty() {
        None
    } else {
        v.get(rng.gen_range(0..v.len()))
    }
}
