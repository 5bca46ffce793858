//! Reading cell values as foreign lists write them: dates in several orders and Excel serials,
//! sex words in five languages, countries by name, demonym or code, districts by name or alias.

use crate::text::{ascii_digits, fold_key};
use chrono::{Datelike, NaiveDate};
use nigehban_domain::reference::ReferenceData;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

const VALUE_ALIASES: &str = include_str!("../data/value_aliases.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasFile {
    blank: Vec<String>,
    sex: BTreeMap<String, Vec<String>>,
    countries: BTreeMap<String, Vec<String>>,
}

/// The checked value data.
#[derive(Debug)]
pub struct ValueAliases {
    blank: HashSet<String>,
    sex: HashMap<String, &'static str>,
    /// Folded alias to alpha-3, as listed in the file.
    pub countries: Vec<(String, String)>,
}

const SEX_CODES: [&str; 3] = ["male", "female", "transgender"];

impl ValueAliases {
    /// Parse and check the value data file. Country codes are checked against the reference
    /// data by [`Lookups::new`] and by this crate's tests, as the reference data is not at hand here.
    pub fn parse(src: &str) -> Result<ValueAliases, Vec<String>> {
        let file = "value_aliases.toml";
        let raw: AliasFile = toml::from_str(src).map_err(|e| vec![format!("{file}: {e}")])?;
        let mut errs = Vec::new();
        let mut blank = HashSet::new();
        for b in &raw.blank {
            let k = fold_key(b);
            if k.is_empty() || !blank.insert(k) {
                errs.push(format!("{file}: blank value `{b}` is empty or repeated"));
            }
        }
        let mut sex = HashMap::new();
        for (code, words) in &raw.sex {
            let Some(code) = SEX_CODES.iter().find(|c| *c == code) else {
                errs.push(format!("{file}: unknown sex code `{code}`"));
                continue;
            };
            for w in words {
                let k = fold_key(w);
                if k.is_empty() || blank.contains(&k) || sex.insert(k, *code).is_some() {
                    errs.push(format!(
                        "{file}: sex word `{w}` is empty, blank or repeated"
                    ));
                }
            }
        }
        let mut countries = Vec::new();
        let mut seen: HashMap<String, String> = HashMap::new();
        for (alpha3, names) in &raw.countries {
            if alpha3.len() != 3 || !alpha3.chars().all(|c| c.is_ascii_uppercase()) {
                errs.push(format!("{file}: `{alpha3}` is not an alpha-3 code"));
            }
            for n in names {
                let k = fold_key(n);
                if k.is_empty() || blank.contains(&k) {
                    errs.push(format!("{file}: country name `{n}` is empty or blank"));
                    continue;
                }
                match seen.get(&k) {
                    Some(other) if other != alpha3 => errs.push(format!(
                        "{file}: `{n}` is listed for both {other} and {alpha3}"
                    )),
                    Some(_) => errs.push(format!("{file}: `{n}` is repeated for {alpha3}")),
                    None => {
                        seen.insert(k.clone(), alpha3.clone());
                        countries.push((k, alpha3.clone()));
                    }
                }
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(ValueAliases {
            blank,
            sex,
            countries,
        })
    }
}

static ALIASES: OnceLock<Result<ValueAliases, Vec<String>>> = OnceLock::new();

/// The embedded value data, parsed and checked once.
pub fn value_aliases() -> Result<&'static ValueAliases, &'static [String]> {
    ALIASES
        .get_or_init(|| ValueAliases::parse(VALUE_ALIASES))
        .as_ref()
        .map_err(Vec::as_slice)
}

/// Lookups built once per import from the value data and the reference data.
pub struct Lookups<'a> {
    aliases: &'a ValueAliases,
    countries: HashMap<String, String>,
    districts: HashMap<String, String>,
}

/// Words around a district's name that are not part of it ("Distt. Gujrat", "Sialkot, Pakistan").
const DISTRICT_NOISE: &[&str] = &[
    "district",
    "distt",
    "dist",
    "dt",
    "zila",
    "zilla",
    "tehsil",
    "city",
    "pakistan",
    "punjab",
    "sindh",
    "balochistan",
    "kpk",
    "kp",
    "ajk",
    "ضلع",
    "پاکستان",
    "باكستان",
    "پنجاب",
];

impl<'a> Lookups<'a> {
    /// Index the reference data's countries (alpha-3, alpha-2, English and Urdu names) with the
    /// aliases, and its districts (code, English and Urdu names, aliases). Aliases naming a
    /// country the reference data lacks are returned as problems.
    pub fn new(aliases: &'a ValueAliases, refdata: &ReferenceData) -> Result<Self, Vec<String>> {
        let mut countries = HashMap::new();
        for c in &refdata.countries {
            for name in [&c.alpha3, &c.alpha2, &c.name_en, &c.name_ur] {
                countries
                    .entry(fold_key(name))
                    .or_insert_with(|| c.alpha3.clone());
            }
        }
        let mut errs = Vec::new();
        for (key, alpha3) in &aliases.countries {
            if refdata.country(alpha3).is_none() {
                errs.push(format!(
                    "value_aliases.toml: unknown country code `{alpha3}`"
                ));
                continue;
            }
            match countries.get(key) {
                Some(other) if other != alpha3 => errs.push(format!(
                    "value_aliases.toml: `{key}` for {alpha3} is already a name of {other}"
                )),
                _ => {
                    countries.insert(key.clone(), alpha3.clone());
                }
            }
        }
        let mut districts = HashMap::new();
        for d in &refdata.districts {
            let code_words = d.code.replace(['_', '-'], " ");
            for name in std::iter::once(&code_words)
                .chain([&d.name_en, &d.name_ur])
                .chain(d.aliases.iter())
            {
                districts
                    .entry(fold_key(name))
                    .or_insert_with(|| d.code.clone());
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(Lookups {
            aliases,
            countries,
            districts,
        })
    }

    /// Whether a cell means "nothing given": empty, only punctuation, or a word like "N/A".
    pub fn is_blank(&self, cell: &str) -> bool {
        let k = fold_key(cell);
        k.is_empty() || self.aliases.blank.contains(&k)
    }

    /// The domain's sex code for a word, if it is one.
    pub fn sex(&self, cell: &str) -> Option<&'static str> {
        self.aliases.sex.get(&fold_key(cell)).copied()
    }

    /// The alpha-3 code of a country named, coded or described by nationality.
    pub fn country(&self, cell: &str) -> Option<&str> {
        self.countries.get(&fold_key(cell)).map(String::as_str)
    }

    /// The district code of a place, tried whole, then without surrounding words ("Distt."),
    /// then each comma-separated part ("Village Kotli, Tehsil Sambrial, District Sialkot"),
    /// accepting the parts only when they name one district.
    pub fn district(&self, cell: &str) -> Option<&str> {
        if let Some(d) = self.districts.get(&fold_key(cell)) {
            return Some(d);
        }
        let mut found: Option<&str> = None;
        for part in cell.split([',', '/', ';', '(', ')', '\n', '،']) {
            let words: Vec<&str> = part
                .split(|c: char| c.is_whitespace() || c == '.' || c == '-')
                .filter(|w| !w.is_empty() && !DISTRICT_NOISE.contains(&fold_key(w).as_str()))
                .collect();
            if words.is_empty() {
                continue;
            }
            if let Some(d) = self.districts.get(&fold_key(&words.join(" "))) {
                match found {
                    Some(prev) if prev != d => return None,
                    _ => found = Some(d),
                }
            }
        }
        found
    }
}

/// A date as lists write it: `DD/MM/YYYY`, `DD-MM-YYYY`, `DD.MM.YYYY`, `YYYY-MM-DD`, `12-Mar-1990`,
/// `12 March 1990`, `Mar 12, 1990`, two-digit years (the latest century not after `today`),
/// Arabic-Indic digits, and a trailing time of day. In a workbook a plain number is an Excel
/// serial date. `None` when it is not a date, including impossible ones (31/02/1990).
pub fn parse_sheet_date(raw: &str, today: NaiveDate, workbook: bool) -> Option<NaiveDate> {
    let t = ascii_digits(raw.trim());
    // Drop a time of day: "1990-03-12 00:00:00", "1990-03-12T08:30".
    let t = match t.split_once([' ', 'T']) {
        Some((date, time)) if time.contains(':') => date.to_string(),
        _ => t,
    };
    if workbook && !t.is_empty() && t.len() <= 7 && t.chars().all(|c| c.is_ascii_digit()) {
        return excel_serial(t.parse().ok()?);
    }
    let parts: Vec<&str> = t
        .split(['/', '-', '.', ' ', ',', '\\'])
        .filter(|p| !p.is_empty())
        .collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let (year, month, day) = if a.len() == 4 && a.chars().all(|c| c.is_ascii_digit()) {
        (*a, *b, *c)
    } else if a.chars().all(|c| c.is_ascii_digit()) {
        (*c, *b, *a)
    } else {
        // "Mar 12 1990"
        (*c, *a, *b)
    };
    let year = parse_year(year, today)?;
    let month = month_number(month)?;
    let day: u32 = day.parse().ok().filter(|_| day.len() <= 2)?;
    NaiveDate::from_ymd_opt(year, month, day)
}

fn parse_year(y: &str, today: NaiveDate) -> Option<i32> {
    if !y.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let n: i32 = y.parse().ok()?;
    match y.len() {
        4 => Some(n),
        2 => {
            let century = today.year() / 100 * 100;
            if century + n <= today.year() {
                Some(century + n)
            } else {
                Some(century - 100 + n)
            }
        }
        _ => None,
    }
}

fn month_number(m: &str) -> Option<u32> {
    if m.chars().all(|c| c.is_ascii_digit()) {
        return m
            .parse()
            .ok()
            .filter(|n| (1..=12).contains(n) && m.len() <= 2);
    }
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let l = m.to_ascii_lowercase();
    let l = l.trim_end_matches('.');
    // "Mar", "March", "Sept": a known prefix of the full name.
    const FULL: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    MONTHS
        .iter()
        .zip(FULL)
        .position(|(short, full)| l.starts_with(short) && full.starts_with(l))
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// An Excel serial day number (1900 date system) as a date. Excel counts 1900-02-29, which did
/// not exist, so serials from 61 on are one day ahead of a plain count from 1899-12-31.
pub fn excel_serial(n: i64) -> Option<NaiveDate> {
    if !(1..=2_958_465).contains(&n) || n == 60 {
        return None;
    }
    let epoch = if n > 60 {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    };
    epoch.checked_add_signed(chrono::Duration::days(n))
}

/// Whole years from a cell like "34", "34 years", "34 Yrs", "۳۴ سال"; `None` if it is not that.
pub fn parse_age(raw: &str) -> Option<String> {
    let t = ascii_digits(raw.trim());
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 3 {
        return None;
    }
    let rest = t
        .get(digits.len()..)
        .unwrap_or("")
        .trim()
        .trim_end_matches('.');
    const UNITS: &[&str] = &[
        "", "y", "yr", "yrs", "year", "years", "سال", "سنة", "سنه", "عام", "yas", "ετων", "ετη",
    ];
    UNITS.contains(&fold_key(rest).as_str()).then_some(digits)
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn embedded_value_data_is_valid_against_the_reference_data() {
        let aliases = match value_aliases() {
            Ok(a) => a,
            Err(errs) => panic!("value_aliases.toml is invalid:\n{}", errs.join("\n")),
        };
        let refdata = ReferenceData::embedded().unwrap();
        if let Err(errs) = Lookups::new(aliases, &refdata) {
            panic!(
                "value_aliases.toml does not fit countries.csv:\n{}",
                errs.join("\n")
            );
        }
    }

    #[test]
    fn broken_value_data_lists_every_problem() {
        let errs = ValueAliases::parse(
            "blank = [\"N/A\", \"n.a\"]\n[sex]\nmale = [\"M\"]\nneuter = [\"N\"]\n[countries]\nPAK = [\"Pakistani\"]\nAFG = [\"PAKISTANI\"]\npak = [\"Pak\"]\n",
        )
        .unwrap_err()
        .join("\n");
        assert!(
            errs.contains("blank value `n.a` is empty or repeated"),
            "{errs}"
        );
        assert!(errs.contains("unknown sex code `neuter`"), "{errs}");
        assert!(
            errs.contains("`PAKISTANI` is listed for both PAK and AFG")
                || errs.contains("`Pakistani` is listed for both AFG and PAK"),
            "{errs}"
        );
        assert!(errs.contains("`pak` is not an alpha-3 code"), "{errs}");
    }

    #[test]
    fn dates_in_the_forms_lists_use() {
        let today = d(2025, 6, 1);
        for raw in [
            "12/03/1990",
            "12-03-1990",
            "12.03.1990",
            "1990-03-12",
            "1990/03/12",
            "12-Mar-1990",
            "12 March 1990",
            "Mar 12, 1990",
            "12-MAR-90",
            "١٢/٠٣/١٩٩٠",
            "1990-03-12 00:00:00",
            "2/3/1990 ",
        ] {
            let want = if raw.starts_with("2/3") {
                d(1990, 3, 2)
            } else {
                d(1990, 3, 12)
            };
            assert_eq!(parse_sheet_date(raw, today, false), Some(want), "{raw}");
        }
        assert_eq!(
            parse_sheet_date("01/01/24", today, false),
            Some(d(2024, 1, 1))
        );
        assert_eq!(
            parse_sheet_date("01/01/26", today, false),
            Some(d(1926, 1, 1))
        );
        for raw in [
            "31/02/1990",
            "29/02/2023",
            "12/13/1990",
            "1990",
            "yesterday",
            "12/03",
            "32945",
        ] {
            assert_eq!(parse_sheet_date(raw, today, false), None, "{raw}");
        }
        // Excel serials, in workbooks only.
        assert_eq!(parse_sheet_date("32944", today, true), Some(d(1990, 3, 12)));
        assert_eq!(excel_serial(1), Some(d(1900, 1, 1)));
        assert_eq!(excel_serial(59), Some(d(1900, 2, 28)));
        assert_eq!(excel_serial(61), Some(d(1900, 3, 1)));
        assert_eq!(excel_serial(45658), Some(d(2025, 1, 1)));
    }

    #[test]
    fn ages_with_units() {
        assert_eq!(parse_age("34").as_deref(), Some("34"));
        assert_eq!(parse_age("34 years").as_deref(), Some("34"));
        assert_eq!(parse_age("34Yrs.").as_deref(), Some("34"));
        assert_eq!(parse_age("۳۴ سال").as_deref(), Some("34"));
        assert_eq!(parse_age("about 30"), None);
        assert_eq!(parse_age("30-35"), None);
    }

    #[test]
    fn countries_sexes_and_districts() {
        let refdata = ReferenceData::embedded().unwrap();
        let l = Lookups::new(value_aliases().unwrap(), &refdata).unwrap();
        for raw in [
            "Pakistan",
            "Pakistani",
            "PAKISTANI",
            "pak",
            "PK",
            "باكستان",
            "پاکستانی",
            "Pakistanlı",
        ] {
            assert_eq!(l.country(raw), Some("PAK"), "{raw}");
        }
        assert_eq!(l.country("Afghan"), Some("AFG"));
        assert_eq!(l.country("Bangladeshi"), Some("BGD"));
        assert_eq!(l.country("Indian"), Some("IND"));
        assert_eq!(l.country("IN"), Some("IND"));
        assert_eq!(l.country("Atlantis"), None);
        for (raw, code) in [
            ("M", "male"),
            ("Female", "female"),
            ("ذكر", "male"),
            ("أنثى", "female"),
            ("مرد", "male"),
            ("عورت", "female"),
            ("X", "transgender"),
        ] {
            assert_eq!(l.sex(raw), Some(code), "{raw}");
        }
        assert_eq!(l.sex("Q"), None);
        for (raw, code) in [
            ("Gujranwala", "gujranwala"),
            ("GUJRANWALLA", "gujranwala"),
            ("Mandi Bahauddin", "mandi-bahauddin"),
            ("M.B. Din", "mandi-bahauddin"),
            ("Turbat", "kech"),
            ("Distt. Gujrat", "gujrat"),
            ("Sialkot, Pakistan", "sialkot"),
            (
                "Village Kotli, Tehsil Sambrial, District Sialkot",
                "sialkot",
            ),
            ("سیالکوٹ", "sialkot"),
        ] {
            assert_eq!(l.district(raw), Some(code), "{raw}");
        }
        assert_eq!(l.district("Kabul"), None);
        assert_eq!(l.district("Lahore / Sialkot"), None);
        assert!(l.is_blank(" - "));
        assert!(l.is_blank("N/A"));
        assert!(!l.is_blank("Asif"));
    }
}
