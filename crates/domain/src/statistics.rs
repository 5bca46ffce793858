//! Statistics: what can be counted (measures), what counts can be broken down by (dimensions),
//! the age bands, and the validation of a statistics query typed by a user. Counting itself is
//! the store's; this module only says what a well-formed question is.

use crate::code_enum;
use crate::error::{Problem, ValidationErrors};
use crate::reference::ReferenceData;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

code_enum! {
    /// What a statistic counts.
    pub enum Measure {
        /// Cases registered in the period (one per crime type: TIP and SOM are never added up).
        Cases = "cases",
        /// Victims of trafficking named in cases registered in the period.
        Victims = "victims",
        /// Smuggled migrants named in cases registered in the period.
        SmuggledMigrants = "smuggled_migrants",
        /// Suspects named in cases registered in the period.
        Suspects = "suspects",
        /// Accused sent up for trial (challan) in the period.
        Prosecuted = "prosecuted",
        /// Accused convicted (judgment) in the period.
        Convicted = "convicted",
        /// Persons received at intake (deported, handed over, intercepted, offloaded) in the period.
        Encounters = "encounters",
    }
}

code_enum! {
    /// What a count can be filtered and grouped by.
    pub enum Dimension {
        CrimeType = "crime_type",
        Form = "form",
        /// Law and section the case was registered under.
        Provision = "provision",
        /// Law and section the case went to trial under (cases with a challan).
        ProvisionProsecuted = "provision_prosecuted",
        Act = "act",
        Stage = "stage",
        Agency = "agency",
        Unit = "unit",
        Province = "province",
        District = "district",
        Sex = "sex",
        AgeBand = "age_band",
        /// `child` or `adult` (or `unknown`).
        Minor = "minor",
        Nationality = "nationality",
        OriginProvince = "origin_province",
        OriginDistrict = "origin_district",
        ChainRole = "chain_role",
        Post = "post",
        BatchKind = "batch_kind",
        Status = "status",
        Outcome = "outcome",
        /// Exit point and destination, as `EXIT>DEST`.
        Route = "route",
        Mode = "mode",
        TransitCountry = "transit_country",
        DestinationCountry = "destination_country",
        Year = "year",
        Quarter = "quarter",
        Month = "month",
    }
}

/// One age band, in whole years at the event counted.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AgeBand {
    pub code: String,
    pub from: u32,
    pub to: u32,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatisticsFile {
    minor_below: u32,
    age_band: Vec<AgeBand>,
    measures: BTreeMap<String, Vec<String>>,
}

/// The statistics reference data (`data/statistics.toml`), checked.
#[derive(Debug, Clone)]
pub struct StatisticsReference {
    pub minor_below: u32,
    pub age_bands: Vec<AgeBand>,
    dimensions: BTreeMap<Measure, BTreeSet<Dimension>>,
}

/// The code of the band for unknown ages.
pub const UNKNOWN: &str = "unknown";

impl StatisticsReference {
    /// The embedded file, checked: bands ordered without gaps or overlaps from 0, the minor limit
    /// on a band boundary, every measure listed with known dimensions. Every problem is listed.
    pub fn embedded() -> Result<StatisticsReference, Vec<String>> {
        Self::parse(include_str!("../data/statistics.toml"))
    }

    pub fn parse(text: &str) -> Result<StatisticsReference, Vec<String>> {
        let file: StatisticsFile =
            toml::from_str(text).map_err(|e| vec![format!("statistics.toml: {e}")])?;
        let mut errs = Vec::new();
        let mut next = 0u32;
        let mut boundary = false;
        for b in &file.age_band {
            if b.from != next {
                errs.push(format!(
                    "statistics.toml: age band {} starts at {}, expected {next}",
                    b.code, b.from
                ));
            }
            if b.to < b.from {
                errs.push(format!(
                    "statistics.toml: age band {} ends before it starts",
                    b.code
                ));
            }
            if b.from == file.minor_below {
                boundary = true;
            }
            next = b.to.saturating_add(1);
        }
        if !boundary {
            errs.push(format!(
                "statistics.toml: no age band starts at minor_below = {}: children and adults would share a band",
                file.minor_below
            ));
        }
        let mut dimensions = BTreeMap::new();
        for (m, dims) in &file.measures {
            let Some(measure) = Measure::parse(m) else {
                errs.push(format!("statistics.toml: unknown measure `{m}`"));
                continue;
            };
            let mut set = BTreeSet::new();
            for d in dims {
                match Dimension::parse(d) {
                    Some(d) => {
                        set.insert(d);
                    }
                    None => errs.push(format!(
                        "statistics.toml: measure {m}: unknown dimension `{d}`"
                    )),
                }
            }
            dimensions.insert(measure, set);
        }
        for m in Measure::ALL {
            if !dimensions.contains_key(m) {
                errs.push(format!(
                    "statistics.toml: measure {m} has no dimensions listed"
                ));
            }
        }
        if errs.is_empty() {
            Ok(StatisticsReference {
                minor_below: file.minor_below,
                age_bands: file.age_band,
                dimensions,
            })
        } else {
            Err(errs)
        }
    }

    /// The band of an age in whole years.
    pub fn band(&self, years: Option<u32>) -> &str {
        match years {
            None => UNKNOWN,
            Some(y) => self
                .age_bands
                .iter()
                .find(|b| b.from <= y && y <= b.to)
                .map(|b| b.code.as_str())
                .unwrap_or(UNKNOWN),
        }
    }

    /// `child`, `adult` or `unknown`.
    pub fn minor(&self, years: Option<u32>) -> &'static str {
        match years {
            None => UNKNOWN,
            Some(y) if y < self.minor_below => "child",
            Some(_) => "adult",
        }
    }

    pub fn applies(&self, measure: Measure, dim: Dimension) -> bool {
        self.dimensions
            .get(&measure)
            .is_some_and(|s| s.contains(&dim))
    }

    pub fn dimensions_of(&self, measure: Measure) -> Vec<Dimension> {
        self.dimensions
            .get(&measure)
            .map(|s| s.iter().copied().collect())
            .unwrap_or_default()
    }
}

/// Whole years between a birth date and a day (None when the day is before the birth).
pub fn age_at(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// Where a statistic is taken: the whole nation, a province, a district or one unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "level", content = "code", rename_all = "snake_case")]
pub enum Place {
    Nation,
    Province(String),
    District(String),
    Unit(String),
}

impl Place {
    /// `nation`, `province:PB`, `district:LHR`, `unit:FIA-AHTC-LHE`.
    pub fn code(&self) -> String {
        match self {
            Place::Nation => "nation".into(),
            Place::Province(c) => format!("province:{c}"),
            Place::District(c) => format!("district:{c}"),
            Place::Unit(c) => format!("unit:{c}"),
        }
    }

    pub fn parse(text: &str, refdata: &ReferenceData) -> Result<Place, Problem> {
        let t = text.trim();
        if t.is_empty() || t == "nation" {
            return Ok(Place::Nation);
        }
        let unknown = || Problem::UnknownCode {
            value: t.to_string(),
        };
        let (level, code) = t.split_once(':').ok_or_else(unknown)?;
        match level {
            "province" if refdata.province(code).is_some() => Ok(Place::Province(code.into())),
            "district" if refdata.district(code).is_some() => Ok(Place::District(code.into())),
            "district" => Err(Problem::UnknownDistrict { value: code.into() }),
            "unit" if refdata.units.iter().any(|u| u.code == code) => Ok(Place::Unit(code.into())),
            _ => Err(unknown()),
        }
    }
}

/// An inclusive period of days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The calendar year.
    pub fn year(year: i32) -> Option<Period> {
        Some(Period {
            from: NaiveDate::from_ymd_opt(year, 1, 1)?,
            to: NaiveDate::from_ymd_opt(year, 12, 31)?,
        })
    }

    /// The calendar month.
    pub fn month(year: i32, month: u32) -> Option<Period> {
        let from = NaiveDate::from_ymd_opt(year, month, 1)?;
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)?
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)?
        };
        Some(Period {
            from,
            to: next.pred_opt()?,
        })
    }

    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
}

/// The longest period one question may cover.
pub const MAX_PERIOD_DAYS: i64 = 366 * 30;
/// At most this many breakdowns at once (a table has rows and columns).
pub const MAX_GROUPS: usize = 2;
/// At most this many values per filter.
pub const MAX_FILTER_VALUES: usize = 50;

/// A statistics question as typed (form or query string).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct StatQueryInput {
    pub measure: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    /// `nation` (the default), `province:CODE`, `district:CODE` or `unit:CODE`.
    pub place: Option<String>,
    /// Breakdowns, at most two (rows, then columns).
    pub group: Vec<String>,
    /// Filters as `dimension=value` (repeat a dimension for several values).
    pub filter: Vec<String>,
}

/// A checked statistics question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatQuery {
    pub measure: Measure,
    pub period: Period,
    pub place: Place,
    pub group: Vec<Dimension>,
    pub filters: BTreeMap<Dimension, BTreeSet<String>>,
}

/// Read a day given as `YYYY-MM-DD`, or a month `YYYY-MM` (its first day, or its last for `to`).
fn period_day(text: &str, end: bool) -> Result<NaiveDate, Problem> {
    let t = text.trim();
    if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
        return Ok(d);
    }
    let (y, m) = t.split_once('-').ok_or(Problem::InvalidDate)?;
    let (y, m): (i32, u32) = (
        y.parse().map_err(|_| Problem::InvalidDate)?,
        m.parse().map_err(|_| Problem::InvalidDate)?,
    );
    let p = Period::month(y, m).ok_or(Problem::InvalidDate)?;
    Ok(if end { p.to } else { p.from })
}

impl StatQueryInput {
    /// Check the question: the measure known, the period well-formed (a missing start is the
    /// 1st of January of the end's year, a missing end is `today`), the place known, every
    /// breakdown and filter a dimension of the measure. Every problem is reported.
    pub fn validate(
        &self,
        refdata: &ReferenceData,
        stats: &StatisticsReference,
        today: NaiveDate,
    ) -> Result<StatQuery, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let measure = match self
            .measure
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(Measure::Cases),
            Some(m) => errs.take(
                "measure",
                Measure::parse(m).ok_or(Problem::UnknownCode { value: m.into() }),
            ),
        };
        let to = match self.to.as_deref().filter(|s| !s.trim().is_empty()) {
            None => Some(today),
            Some(t) => errs.take("to_date", period_day(t, true)),
        };
        let from = match self.from.as_deref().filter(|s| !s.trim().is_empty()) {
            None => to.and_then(|t| NaiveDate::from_ymd_opt(t.year(), 1, 1)),
            Some(f) => errs.take("from_date", period_day(f, false)),
        };
        let period = match (from, to) {
            (Some(from), Some(to)) if to < from => {
                errs.add(
                    "to_date",
                    Problem::DateBefore {
                        other: "from_date".into(),
                    },
                );
                None
            }
            (Some(from), Some(to)) if (to - from).num_days() > MAX_PERIOD_DAYS => {
                errs.add(
                    "to_date",
                    Problem::TooLarge {
                        max: format!("{} years", MAX_PERIOD_DAYS / 366),
                    },
                );
                None
            }
            (Some(from), Some(to)) => Some(Period { from, to }),
            _ => None,
        };
        let place = errs.take(
            "place",
            Place::parse(self.place.as_deref().unwrap_or(""), refdata),
        );
        let mut group = Vec::new();
        for g in self
            .group
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            match Dimension::parse(g) {
                None => errs.add("group", Problem::UnknownCode { value: g.into() }),
                Some(d) => {
                    if let Some(m) = measure {
                        if !stats.applies(m, d) {
                            errs.add(
                                "group",
                                Problem::DoesNotApply {
                                    value: d.as_str().into(),
                                    to: m.as_str().into(),
                                },
                            );
                            continue;
                        }
                    }
                    if group.contains(&d) {
                        errs.add("group", Problem::Duplicate { value: g.into() });
                    } else {
                        group.push(d);
                    }
                }
            }
        }
        if group.len() > MAX_GROUPS {
            errs.add(
                "group",
                Problem::TooLarge {
                    max: MAX_GROUPS.to_string(),
                },
            );
        }
        let mut filters: BTreeMap<Dimension, BTreeSet<String>> = BTreeMap::new();
        for f in self
            .filter
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
        {
            let Some((dim, value)) = f.split_once('=') else {
                errs.add("filter", Problem::UnknownCode { value: f.into() });
                continue;
            };
            let Some(d) = Dimension::parse(dim) else {
                errs.add("filter", Problem::UnknownCode { value: dim.into() });
                continue;
            };
            if let Some(m) = measure {
                if !stats.applies(m, d) {
                    errs.add(
                        "filter",
                        Problem::DoesNotApply {
                            value: d.as_str().into(),
                            to: m.as_str().into(),
                        },
                    );
                    continue;
                }
            }
            let value = value.trim();
            if value.is_empty() || value.chars().count() > 64 {
                errs.add("filter", Problem::UnknownCode { value: f.into() });
                continue;
            }
            let set = filters.entry(d).or_default();
            set.insert(value.to_string());
            if set.len() > MAX_FILTER_VALUES {
                errs.add(
                    "filter",
                    Problem::TooLarge {
                        max: MAX_FILTER_VALUES.to_string(),
                    },
                );
            }
        }
        match (measure, period, place) {
            (Some(measure), Some(period), Some(place)) if errs.is_empty() => Ok(StatQuery {
                measure,
                period,
                place,
                group,
                filters,
            }),
            _ => Err(errs),
        }
    }
}

/// The period a report is made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportPeriod {
    Month,
    Year,
}

/// One table of a standard report: a count broken down by rows and, optionally, columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportTableDef {
    pub code: String,
    pub measure: Measure,
    pub rows: Dimension,
    pub columns: Option<Dimension>,
    pub filters: Vec<String>,
}

/// A standard report (`data/reports.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportDef {
    pub code: String,
    pub period: ReportPeriod,
    pub tables: Vec<ReportTableDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportsFile {
    report: Vec<ReportEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportEntry {
    code: String,
    period: ReportPeriod,
    table: Vec<TableEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TableEntry {
    code: String,
    measure: String,
    rows: String,
    columns: Option<String>,
    #[serde(default)]
    filters: Vec<String>,
}

/// The embedded standard reports, each table checked against the measures' dimensions; every
/// problem is listed.
pub fn embedded_reports(stats: &StatisticsReference) -> Result<Vec<ReportDef>, Vec<String>> {
    parse_reports(include_str!("../data/reports.toml"), stats)
}

pub fn parse_reports(
    text: &str,
    stats: &StatisticsReference,
) -> Result<Vec<ReportDef>, Vec<String>> {
    let file: ReportsFile = toml::from_str(text).map_err(|e| vec![format!("reports.toml: {e}")])?;
    let mut errs = Vec::new();
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for r in file.report {
        if !seen.insert(r.code.clone()) {
            errs.push(format!("reports.toml: report {} is defined twice", r.code));
        }
        let mut tables = Vec::new();
        for t in r.table {
            let at = format!("reports.toml: report {}, table {}", r.code, t.code);
            let Some(measure) = Measure::parse(&t.measure) else {
                errs.push(format!("{at}: unknown measure `{}`", t.measure));
                continue;
            };
            let dim = |name: &str, errs: &mut Vec<String>| match Dimension::parse(name) {
                Some(d) if stats.applies(measure, d) => Some(d),
                Some(_) => {
                    errs.push(format!("{at}: `{name}` does not apply to {measure}"));
                    None
                }
                None => {
                    errs.push(format!("{at}: unknown dimension `{name}`"));
                    None
                }
            };
            let rows = dim(&t.rows, &mut errs);
            let columns = t.columns.as_deref().map(|c| dim(c, &mut errs));
            for f in &t.filters {
                match f.split_once('=') {
                    Some((d, _)) => {
                        dim(d, &mut errs);
                    }
                    None => errs.push(format!("{at}: filter `{f}` is not dimension=value")),
                }
            }
            // `columns` is None when the table has none, Some(None) when it named a bad one.
            match (rows, columns) {
                (Some(rows), None) => tables.push(ReportTableDef {
                    code: t.code,
                    measure,
                    rows,
                    columns: None,
                    filters: t.filters,
                }),
                (Some(rows), Some(Some(c))) => tables.push(ReportTableDef {
                    code: t.code,
                    measure,
                    rows,
                    columns: Some(c),
                    filters: t.filters,
                }),
                _ => {}
            }
        }
        out.push(ReportDef {
            code: r.code,
            period: r.period,
            tables,
        });
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_embedded_file_is_valid_and_keeps_children_apart() {
        let s = StatisticsReference::embedded().unwrap();
        assert_eq!(s.band(Some(17)), "12-17");
        assert_eq!(s.band(Some(18)), "18-24");
        assert_eq!(s.band(None), UNKNOWN);
        assert_eq!(s.minor(Some(17)), "child");
        assert_eq!(s.minor(Some(18)), "adult");
        assert!(s.applies(Measure::Encounters, Dimension::Route));
        assert!(!s.applies(Measure::Cases, Dimension::Route));
    }

    #[test]
    fn a_bad_file_lists_every_problem() {
        let bad = r#"
minor_below = 16
[[age_band]]
code = "a"
from = 1
to = 10
[measures]
cases = ["crime_type", "colour"]
"#;
        let errs = StatisticsReference::parse(bad).unwrap_err();
        assert!(errs.iter().any(|e| e.contains("starts at 1")), "{errs:?}");
        assert!(errs.iter().any(|e| e.contains("minor_below")), "{errs:?}");
        assert!(errs.iter().any(|e| e.contains("colour")), "{errs:?}");
        assert!(
            errs.iter().any(|e| e.contains("measure victims")),
            "{errs:?}"
        );
    }

    #[test]
    fn the_standard_reports_are_valid_and_bad_ones_are_listed() {
        let s = StatisticsReference::embedded().unwrap();
        let reports = embedded_reports(&s).unwrap();
        let codes: Vec<&str> = reports.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, ["monthly_return", "unodc_glotip", "us_tip"]);
        let bad = r#"
[[report]]
code = "x"
period = "year"
[[report.table]]
code = "t"
measure = "cases"
rows = "route"
columns = "colour"
filters = ["nonsense"]
"#;
        let errs = parse_reports(bad, &s).unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
    }

    #[test]
    fn ages_are_whole_years_at_the_event() {
        assert_eq!(age_at(day("2008-05-10"), day("2026-05-09")), Some(17));
        assert_eq!(age_at(day("2008-05-10"), day("2026-05-10")), Some(18));
        assert_eq!(age_at(day("2027-01-01"), day("2026-05-10")), None);
    }

    #[test]
    fn a_good_question_is_read_with_its_defaults() {
        let r = ReferenceData::embedded().unwrap();
        let s = StatisticsReference::embedded().unwrap();
        let q = StatQueryInput {
            measure: Some("victims".into()),
            from: Some("2025-01".into()),
            to: Some("2025-03".into()),
            group: vec!["sex".into(), "age_band".into()],
            filter: vec!["crime_type=tip".into(), "province=PB".into()],
            ..Default::default()
        }
        .validate(&r, &s, day("2026-01-01"))
        .unwrap();
        assert_eq!(q.period.from, day("2025-01-01"));
        assert_eq!(q.period.to, day("2025-03-31"));
        assert_eq!(q.place, Place::Nation);
        assert_eq!(q.group, vec![Dimension::Sex, Dimension::AgeBand]);
        assert_eq!(q.filters.len(), 2);

        let d = StatQueryInput::default()
            .validate(&r, &s, day("2026-06-30"))
            .unwrap();
        assert_eq!(d.measure, Measure::Cases);
        assert_eq!(d.period.from, day("2026-01-01"));
    }

    #[test]
    fn bad_questions_get_every_problem_by_field() {
        let r = ReferenceData::embedded().unwrap();
        let s = StatisticsReference::embedded().unwrap();
        let errs = StatQueryInput {
            measure: Some("cases".into()),
            from: Some("2025-06-01".into()),
            to: Some("2025-01-31".into()),
            place: Some("district:NOWHERE".into()),
            group: vec!["route".into(), "colour".into()],
            filter: vec!["sex=female".into(), "nonsense".into()],
        }
        .validate(&r, &s, day("2026-01-01"))
        .unwrap_err();
        let codes: Vec<(String, &str)> = errs
            .0
            .iter()
            .map(|e| (e.field.clone(), e.problem.code()))
            .collect();
        assert!(
            codes.contains(&("to_date".into(), "date-before")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("place".into(), "unknown-district")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("group".into(), "does-not-apply")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("group".into(), "unknown-code")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("filter".into(), "does-not-apply")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("filter".into(), "unknown-code")),
            "{codes:?}"
        );
    }
}
