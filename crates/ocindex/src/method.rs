//! The Index's method as data: its indicators, the editions that score them (`data/editions.toml`)
//! and the countries its workbooks name (`data/countries.toml`), loaded and checked together.
//! Composites are computed here, for published countries and officers' assessments alike.

use crate::score::{Centi, Score};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

const EDITIONS_TOML: &str = include_str!("../data/editions.toml");
const COUNTRIES_TOML: &str = include_str!("../data/countries.toml");

/// The three pillars of the Index. Criminality is made of the first two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Pillar {
    Markets,
    Actors,
    Resilience,
}

impl Pillar {
    pub const ALL: [Pillar; 3] = [Pillar::Markets, Pillar::Actors, Pillar::Resilience];
    pub fn as_str(self) -> &'static str {
        match self {
            Pillar::Markets => "markets",
            Pillar::Actors => "actors",
            Pillar::Resilience => "resilience",
        }
    }
}

/// One indicator: a criminal market, a type of criminal actor, or a resilience indicator.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Indicator {
    /// Stable code, stored with scores and used for labels (`ocindex-ind-<code>`).
    pub code: String,
    pub pillar: Pillar,
    /// The column header of the published workbook.
    pub header: String,
}

/// Column headers of an edition's sheet besides the indicators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Columns {
    pub continent: String,
    pub region: String,
    pub country: String,
    pub criminality: String,
    pub markets: String,
    pub actors: String,
    pub resilience: String,
}

/// An edition of the Index (2021, 2023): the indicators it scores and its sheet in the workbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edition {
    pub year: i32,
    pub sheet: String,
    pub columns: Columns,
    markets: Vec<Indicator>,
    actors: Vec<Indicator>,
    resilience: Vec<Indicator>,
}

/// The four composites of a set of scores, each rounded half up to two decimals from the exact
/// means (never from rounded parts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Composites {
    pub criminality: Centi,
    pub markets: Centi,
    pub actors: Centi,
    pub resilience: Centi,
}

/// One of the four composites.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Composite {
    Criminality,
    Markets,
    Actors,
    Resilience,
}

impl Composite {
    /// In the order the Index presents them.
    pub const ALL: [Composite; 4] = [
        Composite::Criminality,
        Composite::Markets,
        Composite::Actors,
        Composite::Resilience,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            Composite::Criminality => "criminality",
            Composite::Markets => "markets",
            Composite::Actors => "actors",
            Composite::Resilience => "resilience",
        }
    }
}

impl From<Pillar> for Composite {
    /// A pillar's own composite (the mean of its indicators).
    fn from(p: Pillar) -> Composite {
        match p {
            Pillar::Markets => Composite::Markets,
            Pillar::Actors => Composite::Actors,
            Pillar::Resilience => Composite::Resilience,
        }
    }
}

impl Composites {
    pub fn get(&self, which: Composite) -> Centi {
        match which {
            Composite::Criminality => self.criminality,
            Composite::Markets => self.markets,
            Composite::Actors => self.actors,
            Composite::Resilience => self.resilience,
        }
    }
}

/// Scores by indicator code.
pub type Scores = BTreeMap<String, Score>;

impl Edition {
    /// The indicators of one pillar, in the Index's order.
    pub fn pillar(&self, p: Pillar) -> &[Indicator] {
        match p {
            Pillar::Markets => &self.markets,
            Pillar::Actors => &self.actors,
            Pillar::Resilience => &self.resilience,
        }
    }

    /// Every indicator: markets, actors, resilience.
    pub fn indicators(&self) -> impl Iterator<Item = &Indicator> {
        self.markets
            .iter()
            .chain(self.actors.iter())
            .chain(self.resilience.iter())
    }

    pub fn indicator(&self, code: &str) -> Option<&Indicator> {
        self.indicators().find(|i| i.code == code)
    }

    /// The composites of a complete set of scores; the codes of the edition's indicators that
    /// have no score otherwise. Scores of indicators the edition does not have are ignored.
    pub fn composites(&self, scores: &Scores) -> Result<Composites, Vec<String>> {
        let missing: Vec<String> = self
            .indicators()
            .filter(|i| !scores.contains_key(&i.code))
            .map(|i| i.code.clone())
            .collect();
        if !missing.is_empty() {
            return Err(missing);
        }
        // Sums of half points: a pillar's mean is sum / (2 n).
        let sum = |list: &[Indicator]| -> i64 {
            list.iter()
                .filter_map(|i| scores.get(&i.code))
                .map(|s| i64::from(s.halves()))
                .sum()
        };
        let (nm, na, nr) = (
            self.markets.len() as i64,
            self.actors.len() as i64,
            self.resilience.len() as i64,
        );
        let (sm, sa, sr) = (sum(&self.markets), sum(&self.actors), sum(&self.resilience));
        Ok(Composites {
            markets: Centi::round_half_up(sm, 2 * nm),
            actors: Centi::round_half_up(sa, 2 * na),
            // (sm / 2nm + sa / 2na) / 2 = (sm na + sa nm) / (4 nm na): exact, rounded once.
            criminality: Centi::round_half_up(sm * na + sa * nm, 4 * nm * na),
            resilience: Centi::round_half_up(sr, 2 * nr),
        })
    }

    /// Criminality and resilience as exact fractions (numerator, denominator), for checking that
    /// ranking on the published two decimals orders countries as the exact means would.
    pub fn exact(&self, scores: &Scores) -> Option<((i64, i64), (i64, i64))> {
        let sum = |list: &[Indicator]| -> Option<i64> {
            list.iter()
                .map(|i| scores.get(&i.code).map(|s| i64::from(s.halves())))
                .sum()
        };
        let (nm, na, nr) = (
            self.markets.len() as i64,
            self.actors.len() as i64,
            self.resilience.len() as i64,
        );
        let (sm, sa, sr) = (
            sum(&self.markets)?,
            sum(&self.actors)?,
            sum(&self.resilience)?,
        );
        Some(((sm * na + sa * nm, 4 * nm * na), (sr, 2 * nr)))
    }
}

/// A country as the Index's workbooks name it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryDef {
    pub iso3: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The whole method: editions, indicators, countries. Immutable once loaded.
#[derive(Debug)]
pub struct Method {
    editions: Vec<Edition>,
    cover_sheets: Vec<String>,
    countries: Vec<CountryDef>,
    by_name: HashMap<String, usize>,
    by_iso3: HashMap<String, usize>,
}

/// The data files are malformed: every problem found, each naming its file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the organized-crime index tables are invalid:\n{}", .problems.join("\n"))]
pub struct MethodError {
    pub problems: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditionsFile {
    cover_sheets: Vec<String>,
    indicator: Vec<Indicator>,
    edition: Vec<EditionDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    markets: usize,
    actors: usize,
    resilience: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EditionDef {
    year: i32,
    sheet: String,
    expect: Expect,
    columns: Columns,
    markets: Vec<String>,
    actors: Vec<String>,
    resilience: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CountriesFile {
    country: Vec<CountryDef>,
}

/// How names and headers are compared: case, repeated or surrounding spaces, and trailing commas
/// and full stops do not matter ("Criminality avg," is "criminality avg"; "Caribbean " is
/// "caribbean").
pub fn normalise(text: &str) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .join(" ")
        .trim_end_matches([',', '.'])
        .trim_end()
        .to_lowercase()
}

/// A name as a message-key part: lower case, runs of anything but letters and digits as one `-`
/// ("Central & Eastern Europe" is `central-eastern-europe`), for labels such as
/// `ocindex-region-<slug>`.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

static EMBEDDED: OnceLock<Result<Method, MethodError>> = OnceLock::new();

impl Method {
    /// The tables compiled into the crate, parsed and checked on first use. An error lists every
    /// problem; it cannot happen with the shipped files (a test loads them), so callers treat it
    /// as a start-up failure.
    pub fn embedded() -> Result<&'static Method, MethodError> {
        EMBEDDED
            .get_or_init(|| Method::from_sources(EDITIONS_TOML, COUNTRIES_TOML))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parse and check the two data files. Every problem is reported, with its file.
    pub fn from_sources(editions_toml: &str, countries_toml: &str) -> Result<Method, MethodError> {
        let mut problems = Vec::new();
        let editions_file: Option<EditionsFile> = toml::from_str(editions_toml)
            .map_err(|e| problems.push(format!("editions.toml: {e}")))
            .ok();
        let countries_file: Option<CountriesFile> = toml::from_str(countries_toml)
            .map_err(|e| problems.push(format!("countries.toml: {e}")))
            .ok();
        let (Some(ef), Some(cf)) = (editions_file, countries_file) else {
            return Err(MethodError { problems });
        };

        let mut indicators: HashMap<String, Indicator> = HashMap::new();
        let mut headers = BTreeSet::new();
        for i in &ef.indicator {
            if i.code.is_empty()
                || !i
                    .code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                problems.push(format!(
                    "editions.toml: indicator code `{}` must be lower-case letters, digits and _",
                    i.code
                ));
            }
            if normalise(&i.header).is_empty() {
                problems.push(format!(
                    "editions.toml: indicator `{}` has no header",
                    i.code
                ));
            }
            if !headers.insert(normalise(&i.header)) {
                problems.push(format!(
                    "editions.toml: header `{}` is given to two indicators",
                    i.header
                ));
            }
            if indicators.insert(i.code.clone(), i.clone()).is_some() {
                problems.push(format!(
                    "editions.toml: indicator `{}` is defined twice",
                    i.code
                ));
            }
        }

        let mut editions = Vec::new();
        let mut years = BTreeSet::new();
        let mut sheets = BTreeSet::new();
        for e in ef.edition {
            let at = format!("editions.toml: edition {}", e.year);
            if !years.insert(e.year) {
                problems.push(format!("{at} is defined twice"));
            }
            if !sheets.insert(normalise(&e.sheet)) {
                problems.push(format!("{at}: sheet `{}` is used twice", e.sheet));
            }
            let mut pick = |codes: &[String], pillar: Pillar, expect: usize| -> Vec<Indicator> {
                if codes.len() != expect {
                    problems.push(format!(
                        "{at}: {} lists {} indicators, the Index has {expect}",
                        pillar.as_str(),
                        codes.len()
                    ));
                }
                let mut seen = BTreeSet::new();
                let mut out = Vec::new();
                for c in codes {
                    if !seen.insert(c.clone()) {
                        problems.push(format!("{at}: `{c}` is listed twice"));
                    }
                    match indicators.get(c) {
                        Some(i) if i.pillar == pillar => out.push(i.clone()),
                        Some(i) => problems.push(format!(
                            "{at}: `{c}` is listed under {} but is an indicator of {}",
                            pillar.as_str(),
                            i.pillar.as_str()
                        )),
                        None => problems.push(format!("{at}: unknown indicator `{c}`")),
                    }
                }
                out
            };
            let markets = pick(&e.markets, Pillar::Markets, e.expect.markets);
            let actors = pick(&e.actors, Pillar::Actors, e.expect.actors);
            let resilience = pick(&e.resilience, Pillar::Resilience, e.expect.resilience);
            let cols = &e.columns;
            let mut names: Vec<String> = [
                &cols.continent,
                &cols.region,
                &cols.country,
                &cols.criminality,
                &cols.markets,
                &cols.actors,
                &cols.resilience,
            ]
            .iter()
            .map(|h| normalise(h))
            .collect();
            names.extend(
                markets
                    .iter()
                    .chain(&actors)
                    .chain(&resilience)
                    .map(|i| normalise(&i.header)),
            );
            let mut seen = BTreeSet::new();
            for n in &names {
                if n.is_empty() {
                    problems.push(format!("{at}: a column header is empty"));
                } else if !seen.insert(n.clone()) {
                    problems.push(format!("{at}: column header `{n}` appears twice"));
                }
            }
            editions.push(Edition {
                year: e.year,
                sheet: e.sheet,
                columns: e.columns,
                markets,
                actors,
                resilience,
            });
        }
        if editions.is_empty() {
            problems.push("editions.toml: no edition".into());
        }
        editions.sort_by_key(|e| e.year);
        for c in &ef.cover_sheets {
            if sheets.contains(&normalise(c)) {
                problems.push(format!(
                    "editions.toml: `{c}` is both a cover sheet and an edition's sheet"
                ));
            }
        }

        let mut by_name = HashMap::new();
        let mut by_iso3 = HashMap::new();
        for (i, c) in cf.country.iter().enumerate() {
            if c.iso3.len() != 3 || !c.iso3.chars().all(|ch| ch.is_ascii_uppercase()) {
                problems.push(format!(
                    "countries.toml: `{}` is not an ISO 3166 alpha-3 code",
                    c.iso3
                ));
            }
            if by_iso3.insert(c.iso3.clone(), i).is_some() {
                problems.push(format!("countries.toml: {} is listed twice", c.iso3));
            }
            for n in std::iter::once(&c.name).chain(&c.aliases) {
                let key = normalise(n);
                if key.is_empty() {
                    problems.push(format!("countries.toml: {} has an empty name", c.iso3));
                    continue;
                }
                match by_name.insert(key, i) {
                    Some(j) if j != i => problems.push(format!(
                        "countries.toml: the name `{n}` is given to two countries"
                    )),
                    _ => {}
                }
            }
        }

        if problems.is_empty() {
            Ok(Method {
                editions,
                cover_sheets: ef.cover_sheets,
                countries: cf.country,
                by_name,
                by_iso3,
            })
        } else {
            Err(MethodError { problems })
        }
    }

    /// The editions, oldest first.
    pub fn editions(&self) -> &[Edition] {
        &self.editions
    }

    pub fn edition(&self, year: i32) -> Option<&Edition> {
        self.editions.iter().find(|e| e.year == year)
    }

    /// The newest edition published in or before `year` (the indicator set an assessment of that
    /// year would use), or the oldest when `year` precedes them all.
    pub fn edition_for(&self, year: i32) -> Option<&Edition> {
        self.editions
            .iter()
            .rev()
            .find(|e| e.year <= year)
            .or_else(|| self.editions.first())
    }

    pub fn latest(&self) -> Option<&Edition> {
        self.editions.last()
    }

    pub fn is_cover_sheet(&self, name: &str) -> bool {
        let n = normalise(name);
        self.cover_sheets.iter().any(|c| normalise(c) == n)
    }

    /// The edition whose dataset a sheet holds.
    pub fn edition_of_sheet(&self, name: &str) -> Option<&Edition> {
        let n = normalise(name);
        self.editions.iter().find(|e| normalise(&e.sheet) == n)
    }

    /// A country by any of the names the Index's workbooks give it.
    pub fn country_by_name(&self, name: &str) -> Option<&CountryDef> {
        self.by_name
            .get(&normalise(name))
            .and_then(|i| self.countries.get(*i))
    }

    pub fn country(&self, iso3: &str) -> Option<&CountryDef> {
        self.by_iso3
            .get(&iso3.trim().to_ascii_uppercase())
            .and_then(|i| self.countries.get(*i))
    }

    pub fn countries(&self) -> &[CountryDef] {
        &self.countries
    }

    /// Every indicator of any edition, each once, in edition order (the newest edition's
    /// additions after the older ones).
    pub fn all_indicators(&self) -> Vec<&Indicator> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for p in Pillar::ALL {
            for e in &self.editions {
                for i in e.pillar(p) {
                    if seen.insert(i.code.as_str()) {
                        out.push(i);
                    }
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scores(e: &Edition, halves: u8) -> Scores {
        e.indicators()
            .map(|i| (i.code.clone(), Score::from_halves(halves).unwrap()))
            .collect()
    }

    #[test]
    fn the_shipped_tables_load_and_have_the_published_sizes() {
        let m = Method::embedded().unwrap();
        let sizes: Vec<(i32, usize, usize, usize)> = m
            .editions()
            .iter()
            .map(|e| {
                (
                    e.year,
                    e.pillar(Pillar::Markets).len(),
                    e.pillar(Pillar::Actors).len(),
                    e.pillar(Pillar::Resilience).len(),
                )
            })
            .collect();
        assert_eq!(sizes, vec![(2021, 10, 4, 12), (2023, 15, 5, 12)]);
        assert_eq!(m.countries().len(), 193);
        assert_eq!(
            m.country_by_name("  congo, dem, rep, ").unwrap().iso3,
            "COD"
        );
        assert_eq!(m.country_by_name("Congo, Dem. Rep.").unwrap().iso3, "COD");
        assert_eq!(m.country("pak").unwrap().name, "Pakistan");
        assert!(m.is_cover_sheet("2023_Global_OC_Index"));
        assert_eq!(m.edition_of_sheet("2021_DATASET").unwrap().year, 2021);
        assert_eq!(m.edition_for(2024).unwrap().year, 2023);
        assert_eq!(m.edition_for(2022).unwrap().year, 2021);
        assert_eq!(m.edition_for(2019).unwrap().year, 2021);
        assert_eq!(m.all_indicators().len(), 15 + 5 + 12);
    }

    #[test]
    fn slugs_make_message_keys() {
        assert_eq!(slug("Central & Eastern Europe"), "central-eastern-europe");
        assert_eq!(slug(" South-Eastern Asia "), "south-eastern-asia");
        assert_eq!(slug("Caribbean & Central"), "caribbean-central");
    }

    #[test]
    fn composites_are_means_of_means_rounded_once() {
        let m = Method::embedded().unwrap();
        let e = m.edition(2021).unwrap();
        let mut s = scores(e, 8);
        let c = e.composites(&s).unwrap();
        assert_eq!(
            (c.criminality, c.markets, c.actors, c.resilience),
            (Centi(400), Centi(400), Centi(400), Centi(400))
        );
        // One actor up by half a point: actors 4.125 -> 4.13, criminality 4.0625 -> 4.06.
        s.insert("foreign_actors".into(), Score::from_halves(9).unwrap());
        let c = e.composites(&s).unwrap();
        assert_eq!((c.actors, c.criminality), (Centi(413), Centi(406)));
        s.remove("prevention");
        assert_eq!(e.composites(&s), Err(vec!["prevention".to_string()]));
    }

    #[test]
    fn bad_tables_are_refused_with_every_problem() {
        let editions = r#"
cover_sheets = ["x_dataset"]
[[indicator]]
code = "a"
pillar = "markets"
header = "A"
[[indicator]]
code = "a"
pillar = "actors"
header = "a"
[[edition]]
year = 2021
sheet = "x_dataset"
expect = { markets = 2, actors = 1, resilience = 0 }
columns = { continent = "Continent", region = "Country", country = "Country", criminality = "C", markets = "M", actors = "A", resilience = "R" }
markets = ["a", "zz"]
actors = []
resilience = []
"#;
        let countries = r#"
[[country]]
iso3 = "PAK"
name = "Pakistan"
[[country]]
iso3 = "pk"
name = "pakistan"
"#;
        let err = Method::from_sources(editions, countries).unwrap_err();
        let all = err.problems.join("\n");
        for want in [
            "defined twice",
            "given to two indicators",
            "unknown indicator `zz`",
            "actors lists 0 indicators, the Index has 1",
            "cover sheet and an edition's sheet",
            "`pk` is not an ISO 3166 alpha-3 code",
            "the name `pakistan` is given to two countries",
            "column header `country` appears twice",
            "`a` is listed under markets but is an indicator of actors",
        ] {
            assert!(all.contains(want), "{want} not in:\n{all}");
        }
    }
}
