//! Reading the Index's published dataset workbook (XLSX): one sheet per edition, a header row,
//! one row per country. Everything is checked and every problem is reported together, each with
//! where it is (file, sheet, row, column and its header): sheets that are neither an edition's
//! nor a known cover sheet, columns missing, repeated or not expected, unknown or repeated
//! countries, scores that are not whole or half points from 1 to 10, and published composites
//! that the row's own scores do not give by the Index's method. A workbook with any problem
//! gives nothing: the caller imports all of it or none.

use crate::method::{normalise, Composite, Composites, Edition, Method, Scores};
use crate::score::{Centi, Score, ScoreError};
use calamine::{Data, Reader};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::io::Cursor;

/// One country's published scores in one edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedCountry {
    pub iso3: String,
    /// As the workbook writes it.
    pub name: String,
    /// Spaces trimmed and collapsed (the 2021 sheet writes "Caribbean " for some countries and
    /// "Caribbean" for others: one region).
    pub continent: String,
    pub region: String,
    pub scores: Scores,
    /// The composites as published (equal to those computed: a difference is a problem).
    pub published: Composites,
    /// The row of the sheet (1-based, as a spreadsheet shows it).
    pub row: u32,
}

/// One edition's sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedEdition {
    pub year: i32,
    pub sheet: String,
    pub countries: Vec<PublishedCountry>,
}

/// A whole workbook, every edition it holds, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedWorkbook {
    pub editions: Vec<PublishedEdition>,
}

/// What is wrong, with what the message needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum WorkbookError {
    /// Not a workbook this program can read (damaged, or not XLSX).
    Unreadable {
        detail: String,
    },
    /// None of the sheets is an edition's dataset.
    NoEditionSheet {
        expected: String,
    },
    /// A sheet that is neither an edition's dataset nor a known cover sheet.
    UnexpectedSheet {
        expected: String,
    },
    /// An edition's sheet without a header row or without any country.
    EmptySheet,
    MissingColumn {
        header: String,
    },
    UnexpectedColumn {
        header: String,
    },
    DuplicateColumn {
        header: String,
        first: String,
    },
    /// A cell that must hold something is empty.
    MissingValue,
    UnknownCountry {
        name: String,
    },
    DuplicateCountry {
        iso3: String,
        first_row: u32,
    },
    /// A score that is not a number, not from 1 to 10, or not a whole or half point.
    BadScore {
        found: String,
        why: ScoreError,
    },
    /// A published composite that is not a number.
    NotANumber {
        found: String,
    },
    /// The published composite differs from what the row's scores give.
    CompositeMismatch {
        published: String,
        computed: String,
    },
}

impl WorkbookError {
    /// Stable code; messages key on it (`ocindex-problem-<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            WorkbookError::Unreadable { .. } => "unreadable",
            WorkbookError::NoEditionSheet { .. } => "no-edition-sheet",
            WorkbookError::UnexpectedSheet { .. } => "unexpected-sheet",
            WorkbookError::EmptySheet => "empty-sheet",
            WorkbookError::MissingColumn { .. } => "missing-column",
            WorkbookError::UnexpectedColumn { .. } => "unexpected-column",
            WorkbookError::DuplicateColumn { .. } => "duplicate-column",
            WorkbookError::MissingValue => "missing-value",
            WorkbookError::UnknownCountry { .. } => "unknown-country",
            WorkbookError::DuplicateCountry { .. } => "duplicate-country",
            WorkbookError::BadScore { why, .. } => match why {
                ScoreError::NotANumber => "score-not-a-number",
                ScoreError::OutOfRange => "score-out-of-range",
                ScoreError::NotHalfStep => "score-not-half-step",
            },
            WorkbookError::NotANumber { .. } => "not-a-number",
            WorkbookError::CompositeMismatch { .. } => "composite-mismatch",
        }
    }

    /// Named values for the message.
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            WorkbookError::Unreadable { detail } => vec![("detail", detail.clone())],
            WorkbookError::NoEditionSheet { expected }
            | WorkbookError::UnexpectedSheet { expected } => vec![("expected", expected.clone())],
            WorkbookError::MissingColumn { header }
            | WorkbookError::UnexpectedColumn { header } => {
                vec![("header", header.clone())]
            }
            WorkbookError::DuplicateColumn { header, first } => {
                vec![("header", header.clone()), ("first", first.clone())]
            }
            WorkbookError::UnknownCountry { name } => vec![("name", name.clone())],
            WorkbookError::DuplicateCountry { iso3, first_row } => {
                vec![("iso3", iso3.clone()), ("first", first_row.to_string())]
            }
            WorkbookError::BadScore { found, .. } | WorkbookError::NotANumber { found } => {
                vec![("found", found.clone())]
            }
            WorkbookError::CompositeMismatch {
                published,
                computed,
            } => vec![
                ("published", published.clone()),
                ("computed", computed.clone()),
            ],
            WorkbookError::EmptySheet | WorkbookError::MissingValue => Vec::new(),
        }
    }
}

impl fmt::Display for WorkbookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkbookError::Unreadable { detail } => {
                write!(f, "not a workbook that can be read (XLSX): {detail}")
            }
            WorkbookError::NoEditionSheet { expected } => {
                write!(
                    f,
                    "no sheet of an edition of the Index; expected {expected}"
                )
            }
            WorkbookError::UnexpectedSheet { expected } => write!(
                f,
                "unexpected sheet: the Index's workbook has the sheets {expected}"
            ),
            WorkbookError::EmptySheet => write!(f, "the sheet has no header row or no country"),
            WorkbookError::MissingColumn { header } => {
                write!(f, "the column \"{header}\" is missing")
            }
            WorkbookError::UnexpectedColumn { header } if header.is_empty() => {
                write!(f, "unexpected column: it has values but no header")
            }
            WorkbookError::UnexpectedColumn { header } => write!(
                f,
                "unexpected column \"{header}\": not an indicator or composite of this edition"
            ),
            WorkbookError::DuplicateColumn { header, first } => write!(
                f,
                "the column \"{header}\" appears twice (first in column {first})"
            ),
            WorkbookError::MissingValue => write!(f, "empty cell: a value is needed here"),
            WorkbookError::UnknownCountry { name } => write!(
                f,
                "unknown country \"{name}\": not one of the Index's 193 countries"
            ),
            WorkbookError::DuplicateCountry { iso3, first_row } => {
                write!(f, "{iso3} appears twice (first in row {first_row})")
            }
            WorkbookError::BadScore { found, why } => match why {
                ScoreError::NotANumber => write!(f, "\"{found}\" is not a score"),
                ScoreError::OutOfRange => {
                    write!(f, "score {found} is outside 1 to 10")
                }
                ScoreError::NotHalfStep => write!(
                    f,
                    "score {found} is not a whole or half point (the Index scores in steps of 0.5)"
                ),
            },
            WorkbookError::NotANumber { found } => write!(f, "\"{found}\" is not a number"),
            WorkbookError::CompositeMismatch {
                published,
                computed,
            } => write!(
                f,
                "published {published}, but the row's scores give {computed} by the Index's method"
            ),
        }
    }
}

/// A problem and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkbookProblem {
    pub file: String,
    pub sheet: Option<String>,
    /// 1-based row number, as a spreadsheet shows it.
    pub row: Option<u32>,
    /// Column letter (A, B, ..., AA).
    pub column: Option<String>,
    /// The header of that column, when it has one.
    pub header: Option<String>,
    pub error: WorkbookError,
}

impl fmt::Display for WorkbookProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(s) = &self.sheet {
            write!(f, ", sheet {s}")?;
        }
        if let Some(r) = self.row {
            write!(f, ", row {r}")?;
        }
        match (&self.column, &self.header) {
            (Some(c), Some(h)) if !h.is_empty() => write!(f, ", column {c} ({h})")?,
            (Some(c), _) => write!(f, ", column {c}")?,
            _ => {}
        }
        write!(f, ": {}", self.error)
    }
}

/// The spreadsheet letter of a 0-based column index (0 is A, 26 is AA).
pub fn column_letter(index: u32) -> String {
    let mut n = u64::from(index) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = ((n - 1) % 26) as u8;
        out.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// A cell as a person would read it (for messages).
fn shown(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(v) => {
            if v.fract() == 0.0 && v.abs() < 1e15 {
                format!("{}", *v as i64)
            } else {
                v.to_string()
            }
        }
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => dt.to_string(),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

fn is_blank(d: &Data) -> bool {
    match d {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

/// A number from a cell: workbook numbers, or text holding one (a column typed as text).
fn number(d: &Data) -> Option<f64> {
    match d {
        Data::Float(v) => Some(*v),
        Data::Int(i) => Some(*i as f64),
        Data::String(s) => s.trim().replace(',', ".").parse().ok(),
        _ => None,
    }
}

/// The role of a column of an edition's sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role<'a> {
    Continent,
    Region,
    Country,
    Composite(Composite),
    Indicator(&'a str),
}

fn roles(e: &Edition) -> Vec<(String, &str, Role<'_>)> {
    let c = &e.columns;
    let mut out = vec![
        (
            normalise(&c.continent),
            c.continent.as_str(),
            Role::Continent,
        ),
        (normalise(&c.region), c.region.as_str(), Role::Region),
        (normalise(&c.country), c.country.as_str(), Role::Country),
        (
            normalise(&c.criminality),
            c.criminality.as_str(),
            Role::Composite(Composite::Criminality),
        ),
        (
            normalise(&c.markets),
            c.markets.as_str(),
            Role::Composite(Composite::Markets),
        ),
        (
            normalise(&c.actors),
            c.actors.as_str(),
            Role::Composite(Composite::Actors),
        ),
        (
            normalise(&c.resilience),
            c.resilience.as_str(),
            Role::Composite(Composite::Resilience),
        ),
    ];
    for i in e.indicators() {
        out.push((
            normalise(&i.header),
            i.header.as_str(),
            Role::Indicator(&i.code),
        ));
    }
    out
}

struct SheetReader<'a> {
    file: &'a str,
    sheet: &'a str,
    problems: &'a mut Vec<WorkbookProblem>,
}

impl SheetReader<'_> {
    fn push(&mut self, row: Option<u32>, col: Option<(u32, &str)>, error: WorkbookError) {
        self.problems.push(WorkbookProblem {
            file: self.file.to_string(),
            sheet: Some(self.sheet.to_string()),
            row,
            column: col.map(|(c, _)| column_letter(c)),
            header: col.map(|(_, h)| h.to_string()),
            error,
        });
    }
}

/// The grid of a sheet with absolute positions: (row index, first column index, cells).
fn grid(range: &calamine::Range<Data>) -> (u32, u32, Vec<&[Data]>) {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    (r0, c0, range.rows().collect())
}

fn read_edition(
    method: &Method,
    edition: &Edition,
    file: &str,
    sheet: &str,
    range: &calamine::Range<Data>,
    problems: &mut Vec<WorkbookProblem>,
) -> Option<PublishedEdition> {
    let before = problems.len();
    let mut rd = SheetReader {
        file,
        sheet,
        problems,
    };
    let (r0, c0, rows) = grid(range);
    // The header row is the first row with anything in it.
    let Some((h_at, header)) = rows
        .iter()
        .enumerate()
        .find(|(_, r)| r.iter().any(|d| !is_blank(d)))
    else {
        rd.push(None, None, WorkbookError::EmptySheet);
        return None;
    };
    let header_row = r0 + h_at as u32 + 1;
    let expected = roles(edition);
    // Absolute column index -> (header as written, role).
    let mut columns: BTreeMap<u32, (String, Role<'_>)> = BTreeMap::new();
    let mut found: HashMap<String, u32> = HashMap::new();
    let mut headerless: Vec<u32> = Vec::new();
    for (j, cell) in header.iter().enumerate() {
        let col = c0 + j as u32;
        let text = shown(cell).trim().to_string();
        if text.is_empty() {
            headerless.push(col);
            continue;
        }
        let key = normalise(&text);
        if let Some(first) = found.get(&key) {
            rd.push(
                Some(header_row),
                Some((col, &text)),
                WorkbookError::DuplicateColumn {
                    header: text.clone(),
                    first: column_letter(*first),
                },
            );
            continue;
        }
        found.insert(key.clone(), col);
        match expected.iter().find(|(k, _, _)| *k == key) {
            Some((_, _, role)) => {
                columns.insert(col, (text, *role));
            }
            None => rd.push(
                Some(header_row),
                Some((col, &text)),
                WorkbookError::UnexpectedColumn {
                    header: text.clone(),
                },
            ),
        }
    }
    for (key, written, _) in &expected {
        if !found.contains_key(key) {
            rd.push(
                Some(header_row),
                None,
                WorkbookError::MissingColumn {
                    header: written.to_string(),
                },
            );
        }
    }
    if rd.problems.len() > before {
        // Without the right columns the rows cannot be read meaningfully.
        return None;
    }

    // The country column (present: a missing column returned above) and its header.
    let country_col = columns
        .iter()
        .find(|(_, (_, r))| *r == Role::Country)
        .map(|(c, (h, _))| (*c, h.clone()))
        .unwrap_or((0, String::new()));
    let mut countries = Vec::new();
    let mut seen: HashMap<String, u32> = HashMap::new();
    let mut headerless_reported = std::collections::BTreeSet::new();
    for (i, row) in rows.iter().enumerate().skip(h_at + 1) {
        if row.iter().all(is_blank) {
            continue;
        }
        let row_no = r0 + i as u32 + 1;
        let cell = |col: u32| -> &Data { row.get((col - c0) as usize).unwrap_or(&Data::Empty) };
        for col in &headerless {
            if !is_blank(cell(*col)) && headerless_reported.insert(*col) {
                rd.push(
                    Some(row_no),
                    Some((*col, "")),
                    WorkbookError::UnexpectedColumn {
                        header: String::new(),
                    },
                );
            }
        }
        let text = |role: Role<'_>, rd: &mut SheetReader<'_>| -> Option<String> {
            let (col, (h, _)) = columns.iter().find(|(_, (_, r))| *r == role)?;
            let v = shown(cell(*col));
            let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
            if v.is_empty() {
                rd.push(Some(row_no), Some((*col, h)), WorkbookError::MissingValue);
                None
            } else {
                Some(v)
            }
        };
        let continent = text(Role::Continent, &mut rd);
        let region = text(Role::Region, &mut rd);
        let name = text(Role::Country, &mut rd);
        let mut ok = continent.is_some() && region.is_some() && name.is_some();
        let mut iso3 = None;
        if let Some(n) = &name {
            match method.country_by_name(n) {
                Some(c) => {
                    if let Some(first) = seen.get(&c.iso3) {
                        rd.push(
                            Some(row_no),
                            Some((country_col.0, &country_col.1)),
                            WorkbookError::DuplicateCountry {
                                iso3: c.iso3.clone(),
                                first_row: *first,
                            },
                        );
                        ok = false;
                    } else {
                        seen.insert(c.iso3.clone(), row_no);
                        iso3 = Some(c.iso3.clone());
                    }
                }
                None => {
                    rd.push(
                        Some(row_no),
                        Some((country_col.0, &country_col.1)),
                        WorkbookError::UnknownCountry { name: n.clone() },
                    );
                    ok = false;
                }
            }
        }
        let mut scores = Scores::new();
        let mut published: HashMap<Composite, (Centi, u32, String)> = HashMap::new();
        for (col, (h, role)) in &columns {
            let d = cell(*col);
            match role {
                Role::Indicator(code) => {
                    if is_blank(d) {
                        rd.push(Some(row_no), Some((*col, h)), WorkbookError::MissingValue);
                        ok = false;
                        continue;
                    }
                    let r = match number(d) {
                        Some(v) => Score::from_f64(v),
                        None => Err(ScoreError::NotANumber),
                    };
                    match r {
                        Ok(s) => {
                            scores.insert((*code).to_string(), s);
                        }
                        Err(why) => {
                            rd.push(
                                Some(row_no),
                                Some((*col, h)),
                                WorkbookError::BadScore {
                                    found: shown(d),
                                    why,
                                },
                            );
                            ok = false;
                        }
                    }
                }
                Role::Composite(which) => {
                    if is_blank(d) {
                        rd.push(Some(row_no), Some((*col, h)), WorkbookError::MissingValue);
                        ok = false;
                        continue;
                    }
                    match number(d).and_then(Centi::from_f64) {
                        Some(v) => {
                            published.insert(*which, (v, *col, h.clone()));
                        }
                        None => {
                            rd.push(
                                Some(row_no),
                                Some((*col, h)),
                                WorkbookError::NotANumber { found: shown(d) },
                            );
                            ok = false;
                        }
                    }
                }
                Role::Continent | Role::Region | Role::Country => {}
            }
        }
        if !ok {
            continue;
        }
        let (Some(iso3), Some(continent), Some(region), Some(name)) =
            (iso3, continent, region, name)
        else {
            continue;
        };
        let Ok(computed) = edition.composites(&scores) else {
            continue;
        };
        // Every composite column exists (checked with the header) and every cell held a
        // number (or the row was left above).
        let get = |w: Composite| published.get(&w).map(|(v, _, _)| *v);
        let (Some(criminality), Some(markets), Some(actors), Some(resilience)) = (
            get(Composite::Criminality),
            get(Composite::Markets),
            get(Composite::Actors),
            get(Composite::Resilience),
        ) else {
            continue;
        };
        let pubd = Composites {
            criminality,
            markets,
            actors,
            resilience,
        };
        let mut consistent = true;
        for which in Composite::ALL {
            let (mine, theirs) = (computed.get(which), pubd.get(which));
            if mine != theirs {
                if let Some((_, col, h)) = published.get(&which) {
                    rd.push(
                        Some(row_no),
                        Some((*col, h)),
                        WorkbookError::CompositeMismatch {
                            published: theirs.to_string(),
                            computed: mine.to_string(),
                        },
                    );
                }
                consistent = false;
            }
        }
        if consistent {
            countries.push(PublishedCountry {
                iso3,
                name,
                continent,
                region,
                scores,
                published: pubd,
                row: row_no,
            });
        }
    }
    if countries.is_empty() && rd.problems.len() == before {
        rd.push(None, None, WorkbookError::EmptySheet);
    }
    if rd.problems.len() > before {
        return None;
    }
    Some(PublishedEdition {
        year: edition.year,
        sheet: sheet.to_string(),
        countries,
    })
}

/// Read a published workbook from its bytes. `file` names it in problems. Every problem of every
/// sheet is returned together; a workbook with any problem gives no editions at all.
pub fn read_workbook(
    method: &Method,
    file: &str,
    bytes: &[u8],
) -> Result<PublishedWorkbook, Vec<WorkbookProblem>> {
    let whole = |error| WorkbookProblem {
        file: file.to_string(),
        sheet: None,
        row: None,
        column: None,
        header: None,
        error,
    };
    let mut wb = match calamine::Xlsx::new(Cursor::new(bytes)) {
        Ok(wb) => wb,
        Err(e) => {
            return Err(vec![whole(WorkbookError::Unreadable {
                detail: e.to_string(),
            })])
        }
    };
    let expected = {
        let mut names: Vec<String> = method
            .editions()
            .iter()
            .map(|e| format!("\"{}\"", e.sheet))
            .collect();
        names.push(format!(
            "and optionally a cover sheet such as \"{}\"",
            "2023_Global_OC_Index"
        ));
        names.join(", ")
    };
    let mut problems = Vec::new();
    let mut editions = Vec::new();
    let mut any_edition = false;
    for name in wb.sheet_names() {
        if method.is_cover_sheet(&name) {
            continue;
        }
        let Some(edition) = method.edition_of_sheet(&name) else {
            problems.push(WorkbookProblem {
                sheet: Some(name.clone()),
                ..whole(WorkbookError::UnexpectedSheet {
                    expected: expected.clone(),
                })
            });
            continue;
        };
        any_edition = true;
        match wb.worksheet_range(&name) {
            Ok(range) => {
                if let Some(e) = read_edition(method, edition, file, &name, &range, &mut problems) {
                    editions.push(e);
                }
            }
            Err(e) => problems.push(WorkbookProblem {
                sheet: Some(name.clone()),
                ..whole(WorkbookError::Unreadable {
                    detail: e.to_string(),
                })
            }),
        }
    }
    if !any_edition {
        problems.push(whole(WorkbookError::NoEditionSheet { expected }));
    }
    if problems.is_empty() {
        editions.sort_by_key(|e| e.year);
        Ok(PublishedWorkbook { editions })
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_are_as_a_spreadsheet_shows_them() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(3), "D");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(38), "AM");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn a_file_that_is_not_a_workbook_is_one_clear_problem() {
        let m = Method::embedded().unwrap();
        let err = read_workbook(m, "scores.xlsx", b"Continent,Region\n").unwrap_err();
        assert_eq!(err.len(), 1);
        assert_eq!(err[0].error.code(), "unreadable");
        assert!(err[0]
            .to_string()
            .starts_with("scores.xlsx: not a workbook"));
    }
}
