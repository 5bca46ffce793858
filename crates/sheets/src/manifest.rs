//! From a manifest file to validated persons: read the table, map its columns, turn every row
//! into the domain's `PersonInput`, validate it, and locate every problem at its row and column.

use crate::columns::{column_spec, map_columns, ColumnMapping, ManifestField, MappedColumn};
use crate::problem::{LocatedProblem, Severity, SheetFailure};
use crate::table::{read_table, Format, Table};
use crate::text::{ascii_digits, fold_key, split_name_scripts};
use crate::values::{parse_age, parse_sheet_date, value_aliases, Lookups};
use chrono::{Datelike, NaiveDate};
use nigehban_domain::error::optional_text;
use nigehban_domain::identifiers::Cnic;
use nigehban_domain::names::fold_for_search;
use nigehban_domain::person::{AgeInfo, PersonInput, ValidatedPerson, MAX_AGE_YEARS};
use nigehban_domain::reference::ReferenceData;
use nigehban_i18n::{Catalog, Lang};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, HashSet};

/// What a manifest row carries beyond the person: the travel columns the intake keeps as text,
/// and the origin as written when it is not a known district.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestExtras {
    /// The sender's own row number ("S.No").
    pub serial: Option<String>,
    /// Date of deportation, arrival, offloading or rescue.
    pub arrival_date: Option<NaiveDate>,
    /// Reason for deportation, or the offence abroad.
    pub reason: Option<String>,
    pub flight_or_vessel: Option<String>,
    pub remarks: Option<String>,
    /// The origin (district or place of birth) as written, when it is not a district of the
    /// gazetteer. Screening treats an origin that does not exist as a reason to doubt a claimed
    /// Pakistani nationality, so it is kept rather than dropped.
    pub origin_raw: Option<String>,
    /// When the origin column names a country instead of a district ("Afghanistan"), its alpha-3.
    pub origin_country: Option<String>,
}

/// A row that passed every check.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestRow {
    /// Row as a spreadsheet shows it.
    pub row: usize,
    /// The input built from the row (dates in ISO form, countries as alpha-3, districts as codes).
    pub input: PersonInput,
    pub person: ValidatedPerson,
    pub extra: ManifestExtras,
    /// SHA-256 (hex) of the row's identifying values, normalised: the same person on the same
    /// journey gives the same fingerprint however the cells were written, so a list imported
    /// twice can be recognised. Serial number, remarks, reason, phone and address are left out.
    pub fingerprint: String,
}

/// Everything learnt from a manifest that could be read and mapped.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ManifestReport {
    pub file: String,
    pub format: Format,
    pub header_row: usize,
    pub columns: Vec<MappedColumn>,
    /// Headers of the columns that were not recognised (each also has a warning in `problems`).
    pub ignored: Vec<String>,
    /// The valid rows, in file order.
    pub rows: Vec<ManifestRow>,
    /// Every problem: the file's first, then by row and column.
    pub problems: Vec<LocatedProblem>,
    /// Non-empty data rows in the file.
    pub total_rows: usize,
    /// Rows with at least one error (not in `rows`).
    pub rejected_rows: usize,
}

/// What an import does when some rows are rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CommitPolicy {
    /// Import nothing unless every row is valid.
    AllOrNothing,
    /// Import the valid rows; the rejected ones stay listed in the report.
    ValidRows,
}

impl CommitPolicy {
    /// The message id of the policy's label.
    pub fn label_key(self) -> &'static str {
        match self {
            CommitPolicy::AllOrNothing => "sheet-commit-all-or-nothing",
            CommitPolicy::ValidRows => "sheet-commit-valid-rows",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            CommitPolicy::AllOrNothing => "all-or-nothing",
            CommitPolicy::ValidRows => "valid-rows",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [CommitPolicy::AllOrNothing, CommitPolicy::ValidRows]
            .into_iter()
            .find(|p| p.as_str() == s.trim())
    }
}

impl ManifestReport {
    /// Whether any problem is an error (a rejected row or file-level error).
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(LocatedProblem::is_error)
    }

    /// The rows an import under `policy` commits: all valid rows, or none when the policy is
    /// all-or-nothing and anything was rejected.
    pub fn rows_to_commit(&self, policy: CommitPolicy) -> &[ManifestRow] {
        match policy {
            CommitPolicy::AllOrNothing if self.has_errors() => &[],
            _ => &self.rows,
        }
    }

    /// "Rows read: 30. Valid: 27. Rejected: 3." in the reader's language.
    pub fn summary(&self, catalog: &Catalog, lang: Lang) -> String {
        catalog.text_args(
            lang,
            "sheet-summary",
            &[
                ("total", self.total_rows.to_string()),
                ("valid", self.rows.len().to_string()),
                ("rejected", self.rejected_rows.to_string()),
            ],
        )
    }

    /// Problems of one row.
    pub fn problems_of_row(&self, row: usize) -> impl Iterator<Item = &LocatedProblem> {
        self.problems.iter().filter(move |p| p.row == Some(row))
    }
}

/// Read, map and validate a manifest. A file that cannot be read or lacks a name column is a
/// [`SheetFailure`]; otherwise every row is checked and the report holds the valid rows and a
/// located problem for everything else.
pub fn parse_manifest(
    file_name: &str,
    bytes: &[u8],
    refdata: &ReferenceData,
    today: NaiveDate,
) -> Result<ManifestReport, SheetFailure> {
    let table = read_table(file_name, bytes)?;
    parse_manifest_table(table, refdata, today)
}

fn config_failure(file: &str, errs: &[String]) -> SheetFailure {
    SheetFailure::one(
        LocatedProblem::file(file, Severity::Error, "sheet-config-invalid")
            .arg("detail", errs.join("; ")),
    )
}

/// Check the embedded data files of this crate against the reference data, listing every
/// problem; for a start-up check beside `ReferenceData::embedded()`.
pub fn check_embedded_data(refdata: &ReferenceData) -> Result<(), Vec<String>> {
    let mut errs = Vec::new();
    if let Err(e) = column_spec() {
        errs.extend(e.iter().cloned());
    }
    match value_aliases() {
        Err(e) => errs.extend(e.iter().cloned()),
        Ok(a) => {
            if let Err(e) = Lookups::new(a, refdata) {
                errs.extend(e);
            }
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs)
    }
}

/// [`parse_manifest`] for a table already read.
pub fn parse_manifest_table(
    table: Table,
    refdata: &ReferenceData,
    today: NaiveDate,
) -> Result<ManifestReport, SheetFailure> {
    let file = table.file.clone();
    let spec = column_spec().map_err(|e| config_failure(&file, e))?;
    let aliases = value_aliases().map_err(|e| config_failure(&file, e))?;
    let lookups = Lookups::new(aliases, refdata).map_err(|e| config_failure(&file, &e))?;

    let mapping = map_columns(spec, &table);
    let mut problems: Vec<LocatedProblem> = table.problems.clone();
    problems.extend(mapping.problems.iter().cloned());
    if mapping.has_errors() {
        return Err(SheetFailure {
            file,
            problems: problems.into_iter().filter(|p| p.row.is_none()).collect(),
        });
    }
    if table.rows.is_empty() {
        return Err(SheetFailure::one(
            LocatedProblem::file(&file, Severity::Error, "sheet-no-rows")
                .arg("header_row", table.header_row.to_string()),
        ));
    }
    if mapping.column(ManifestField::Sex).is_none() {
        problems.push(LocatedProblem::file(
            &file,
            Severity::Warning,
            "sheet-no-sex-column",
        ));
    }

    let ctx = Ctx {
        file: &file,
        mapping: &mapping,
        lookups: &lookups,
        refdata,
        today,
        workbook: table.format.is_workbook(),
    };
    let mut seen_passport: HashMap<String, usize> = HashMap::new();
    let mut seen_cnic: HashMap<String, usize> = HashMap::new();
    let mut seen_print: HashMap<String, usize> = HashMap::new();
    let mut rows = Vec::new();
    let mut rejected = 0usize;
    let already_rejected = table.rejected_rows();
    for trow in &table.rows {
        let mut out = ctx.row(trow.number, &trow.cells);

        // Repeats within the file: a passport or CNIC seen in an earlier row, or the same row.
        let mut repeated = false;
        for (key, seen, field, code) in [
            (
                out.passport_key.clone(),
                &mut seen_passport,
                ManifestField::Passport,
                "sheet-duplicate-passport",
            ),
            (
                out.cnic_key.clone(),
                &mut seen_cnic,
                ManifestField::Cnic,
                "sheet-duplicate-cnic",
            ),
        ] {
            let Some(key) = key else { continue };
            match seen.get(&key) {
                Some(earlier) => {
                    repeated = true;
                    let mut p = LocatedProblem::row(&file, trow.number, Severity::Error, code)
                        .arg("earlier", earlier.to_string())
                        .arg("value", key.clone());
                    if let Some(c) = mapping.column(field) {
                        p = p.at_column(c.index, &c.header).with_field(field.as_str());
                    }
                    out.problems.push(p);
                }
                None => {
                    seen.insert(key, trow.number);
                }
            }
        }
        match seen_print.get(&out.fingerprint) {
            Some(earlier) if !repeated => out.problems.push(
                LocatedProblem::row(&file, trow.number, Severity::Error, "sheet-duplicate-row")
                    .arg("earlier", earlier.to_string()),
            ),
            Some(_) => {}
            None => {
                seen_print.insert(out.fingerprint.clone(), trow.number);
            }
        }

        let ok = !already_rejected.contains(&trow.number)
            && !out.problems.iter().any(LocatedProblem::is_error);
        problems.append(&mut out.problems);
        match (ok, out.person) {
            (true, Some(person)) => rows.push(ManifestRow {
                row: trow.number,
                input: out.input,
                person,
                extra: out.extra,
                fingerprint: out.fingerprint,
            }),
            _ => rejected += 1,
        }
    }

    // File-level problems first, then by row and, within a row, by column.
    problems.sort_by(|a, b| {
        let col = |p: &LocatedProblem| {
            p.column
                .as_ref()
                .map(|c| (c.len(), c.clone()))
                .unwrap_or((0, String::new()))
        };
        (a.row.is_some(), a.row, col(a)).cmp(&(b.row.is_some(), b.row, col(b)))
    });
    Ok(ManifestReport {
        file: file.clone(),
        format: table.format,
        header_row: table.header_row,
        columns: mapping.columns.clone(),
        ignored: mapping.ignored.clone(),
        rows,
        problems,
        total_rows: table.rows.len(),
        rejected_rows: rejected,
    })
}

struct Ctx<'a> {
    file: &'a str,
    mapping: &'a ColumnMapping,
    lookups: &'a Lookups<'a>,
    refdata: &'a ReferenceData,
    today: NaiveDate,
    workbook: bool,
}

struct RowOutcome {
    input: PersonInput,
    person: Option<ValidatedPerson>,
    extra: ManifestExtras,
    fingerprint: String,
    passport_key: Option<String>,
    cnic_key: Option<String>,
    problems: Vec<LocatedProblem>,
}

/// Starts a spreadsheet reads as a formula (with their full-width forms, which some
/// spreadsheets also accept).
fn looks_like_formula(cell: &str) -> Option<char> {
    cell.chars()
        .next()
        .filter(|c| matches!(c, '=' | '+' | '-' | '@' | '＝' | '＋' | '－' | '＠'))
}

/// Relation words that join a name to the parent's or husband's ("Asif s/o Akram").
const RELATION_MARKERS: &[(&str, &str)] = &[
    ("s/o", "son_of"),
    ("d/o", "daughter_of"),
    ("w/o", "wife_of"),
    ("son of", "son_of"),
    ("daughter of", "daughter_of"),
    ("wife of", "wife_of"),
    ("ولد", "son_of"),
    ("بنت", "daughter_of"),
    ("دختر", "daughter_of"),
    ("زوجہ", "wife_of"),
];

/// Split "Muhammad Asif S/O Muhammad Akram" into the name, the relation and the parent's name.
fn split_relation(cell: &str) -> (String, Option<(&'static str, String)>) {
    let lower = cell.to_ascii_lowercase();
    let mut best: Option<(usize, usize, &'static str)> = None;
    for (marker, relation) in RELATION_MARKERS {
        let pattern = format!(" {marker} ");
        if let Some(pos) = lower.find(&pattern) {
            if best.is_none_or(|(p, _, _)| pos < p) {
                best = Some((pos, pattern.len(), relation));
            }
        }
    }
    match best {
        Some((pos, len, relation)) => {
            // `to_ascii_lowercase` keeps byte offsets, so they index the original too.
            let name = cell.get(..pos).unwrap_or("").trim().to_string();
            let parent = cell.get(pos + len..).unwrap_or("").trim().to_string();
            (name, Some((relation, parent)))
        }
        None => (cell.to_string(), None),
    }
}

/// Strip a leading relation word from a father's-name cell ("S/O Muhammad Akram").
fn strip_relation_prefix(cell: &str) -> (Option<&'static str>, &str) {
    let lower = cell.to_ascii_lowercase();
    for (marker, relation) in RELATION_MARKERS {
        if lower.starts_with(marker) {
            let rest = cell.get(marker.len()..).unwrap_or("");
            if rest.starts_with([' ', '.', ':']) {
                return (Some(relation), rest.trim_start_matches([' ', '.', ':']));
            }
        }
    }
    (None, cell)
}

impl Ctx<'_> {
    fn row(&self, number: usize, cells: &[String]) -> RowOutcome {
        let file = self.file;
        let mut problems = Vec::new();
        let mut flagged: HashSet<usize> = HashSet::new();
        let problem_at = |col: &MappedColumn, severity: Severity, code: &str| {
            LocatedProblem::row(file, number, severity, code)
                .at_column(col.index, &col.header)
                .with_field(col.field.as_str())
        };

        // A cell a spreadsheet would run as a formula is refused, whatever its column (phone
        // numbers start with "+" and are checked as phone numbers instead).
        for col in &self.mapping.columns {
            if col.field == ManifestField::Phone {
                continue;
            }
            let v = cells.get(col.index).map(String::as_str).unwrap_or("");
            if let Some(c) = looks_like_formula(v) {
                if !self.lookups.is_blank(v) {
                    problems.push(
                        problem_at(col, Severity::Error, "sheet-formula")
                            .arg("first", c.to_string())
                            .arg("value", v),
                    );
                    flagged.insert(col.index);
                }
            }
        }

        // The value of a field's column, unless empty, blank ("N/A") or refused above.
        let get = |field: ManifestField| -> Option<(&MappedColumn, &str)> {
            let col = self.mapping.column(field)?;
            if flagged.contains(&col.index) {
                return None;
            }
            let v = cells.get(col.index)?.as_str();
            (!self.lookups.is_blank(v)).then_some((col, v))
        };
        // Where each domain field came from, to locate the domain's errors.
        let mut src: HashMap<&'static str, &MappedColumn> = HashMap::new();
        let mut input = PersonInput::default();
        let mut extra = ManifestExtras::default();

        // Names: a full name in either or both scripts, possibly with "s/o ..."; or given name
        // and surname; or an Urdu name column.
        let mut relation: Option<&'static str> = None;
        let mut parent_from_name: Option<(&MappedColumn, String)> = None;
        if let Some((col, v)) = get(ManifestField::FullName) {
            let (name, rel) = split_relation(v);
            if let Some((r, parent)) = rel {
                relation = Some(r);
                parent_from_name = Some((col, parent));
            }
            let (roman, urdu) = split_name_scripts(&name);
            if roman.is_some() {
                src.insert("name_roman", col);
            }
            if urdu.is_some() {
                src.insert("name_urdu", col);
            }
            input.name_roman = roman;
            input.name_urdu = urdu;
        }
        if input.name_roman.is_none() && input.name_urdu.is_none() {
            let given = get(ManifestField::GivenName);
            let surname = get(ManifestField::Surname);
            let joined: Vec<&str> = [given, surname].iter().flatten().map(|(_, v)| *v).collect();
            if let Some((col, _)) = given.or(surname) {
                let (roman, urdu) = split_name_scripts(&joined.join(" "));
                if roman.is_some() {
                    src.insert("name_roman", col);
                }
                if urdu.is_some() {
                    src.insert("name_urdu", col);
                }
                input.name_roman = roman;
                input.name_urdu = urdu;
            }
        }
        if let Some((col, v)) = get(ManifestField::NameUrdu) {
            input.name_urdu = Some(v.to_string());
            src.insert("name_urdu", col);
        }
        let name_columns = [
            ManifestField::FullName,
            ManifestField::GivenName,
            ManifestField::NameUrdu,
        ];
        let name_refused = name_columns
            .iter()
            .filter_map(|f| self.mapping.column(*f))
            .any(|c| flagged.contains(&c.index));
        let empty_name = input.name_roman.is_none() && input.name_urdu.is_none();
        if empty_name && !name_refused {
            if let Some(col) = name_columns.iter().find_map(|f| self.mapping.column(*f)) {
                problems.push(problem_at(col, Severity::Error, "sheet-empty-name"));
            }
        }

        // Parentage.
        let parent = match get(ManifestField::FatherName) {
            Some((col, v)) => {
                let (rel, rest) = strip_relation_prefix(v);
                relation = rel.or(relation);
                Some((col, rest.to_string()))
            }
            None => parent_from_name,
        };
        if let Some((col, v)) = parent {
            let (roman, urdu) = split_name_scripts(&v);
            if roman.is_some() {
                src.insert("parentage_roman", col);
            }
            if urdu.is_some() {
                src.insert("parentage_urdu", col);
            }
            src.insert("parentage_relation", col);
            input.parentage_roman = roman;
            input.parentage_urdu = urdu;
        }
        if let Some((col, v)) = get(ManifestField::FatherNameUrdu) {
            input.parentage_urdu = Some(v.to_string());
            src.insert("parentage_urdu", col);
            src.entry("parentage_relation").or_insert(col);
        }

        // Sex: a word in any of the lists' languages, else passed on for the domain to refuse.
        let sex_col = self.mapping.column(ManifestField::Sex);
        input.sex = Some(match get(ManifestField::Sex) {
            Some((col, v)) => {
                src.insert("sex", col);
                self.lookups.sex(v).unwrap_or(v).to_string()
            }
            None => {
                if let Some(col) = sex_col.filter(|c| !flagged.contains(&c.index)) {
                    problems.push(problem_at(col, Severity::Warning, "sheet-sex-blank"));
                }
                "unknown".to_string()
            }
        });
        if input.parentage_roman.is_some() || input.parentage_urdu.is_some() {
            input.parentage_relation = relation
                .or(match input.sex.as_deref() {
                    Some("male") => Some("son_of"),
                    Some("female") => Some("daughter_of"),
                    _ => None,
                })
                .map(str::to_string);
        }

        // Arrival (deportation) date, needed for the age check below.
        if let Some((col, v)) = get(ManifestField::ArrivalDate) {
            match parse_sheet_date(v, self.today, self.workbook) {
                Some(d) => extra.arrival_date = Some(d),
                None => {
                    problems.push(problem_at(col, Severity::Error, "invalid-date").arg("value", v))
                }
            }
        }

        // Date of birth or age; when both are given the date wins and the age is only compared.
        let age_cell = get(ManifestField::Age);
        let mut dob: Option<NaiveDate> = None;
        if let Some((col, v)) = get(ManifestField::DateOfBirth) {
            match parse_sheet_date(v, self.today, self.workbook) {
                Some(d) => {
                    dob = Some(d);
                    input.date_of_birth = Some(d.format("%Y-%m-%d").to_string());
                    src.insert("date_of_birth", col);
                }
                None => {
                    let year = ascii_digits(v.trim());
                    let year_only = year.len() == 4 && year.chars().all(|c| c.is_ascii_digit());
                    match year.parse::<i32>() {
                        Ok(y) if year_only && age_cell.is_none() && y <= self.today.year() => {
                            // A year of birth alone is an estimate of age, not a date.
                            input.estimated_age = Some((self.today.year() - y).to_string());
                            src.insert("estimated_age", col);
                            problems.push(
                                problem_at(col, Severity::Warning, "sheet-dob-year-only")
                                    .arg("value", v),
                            );
                        }
                        _ => {
                            input.date_of_birth = Some(v.to_string());
                            src.insert("date_of_birth", col);
                        }
                    }
                }
            }
        }
        if let Some((col, v)) = age_cell {
            let years = parse_age(v);
            if input.date_of_birth.is_none() {
                input.estimated_age = Some(years.clone().unwrap_or_else(|| v.to_string()));
                src.insert("estimated_age", col);
            } else if let (Some(d), Some(given)) = (dob, years.and_then(|y| y.parse::<u32>().ok()))
            {
                let on = extra.arrival_date.unwrap_or(self.today);
                if let Some(computed) = (AgeInfo::DateOfBirth { date: d }).age_on(on) {
                    if given.abs_diff(computed) > 1 && computed <= MAX_AGE_YEARS {
                        problems.push(
                            problem_at(col, Severity::Warning, "sheet-age-mismatch")
                                .arg("age", given.to_string())
                                .arg("computed", computed.to_string()),
                        );
                    }
                }
            }
        }

        // Countries by name, demonym or code; unknown ones go on for the domain to name.
        for (field, target) in [
            (ManifestField::Nationality, "nationality_claimed"),
            (ManifestField::PassportCountry, "passport_country"),
        ] {
            if let Some((col, v)) = get(field) {
                let value = self.lookups.country(v).unwrap_or(v).to_string();
                src.insert(target, col);
                match target {
                    "nationality_claimed" => input.nationality_claimed = Some(value),
                    _ => input.passport_country = Some(value),
                }
            }
        }

        // Origin: a district code when the gazetteer knows the place; otherwise kept as written,
        // with a warning, for screening to weigh.
        if let Some((col, v)) = get(ManifestField::OriginDistrict) {
            match self.lookups.district(v) {
                Some(code) => input.origin_district = Some(code.to_string()),
                None => {
                    extra.origin_raw = Some(v.to_string());
                    match self.lookups.country(v) {
                        Some(country) => {
                            extra.origin_country = Some(country.to_string());
                            problems.push(
                                problem_at(col, Severity::Warning, "sheet-origin-is-country")
                                    .arg("value", v),
                            );
                        }
                        None => problems.push(
                            problem_at(col, Severity::Warning, "sheet-unknown-district")
                                .arg("value", v),
                        ),
                    }
                }
            }
        }

        if let Some((col, v)) = get(ManifestField::Cnic) {
            input.cnic = Some(ascii_digits(v));
            src.insert("cnic", col);
        }
        if let Some((col, v)) = get(ManifestField::Passport) {
            input.passport = Some(ascii_digits(v));
            src.insert("passport", col);
        }
        if let Some((col, v)) = get(ManifestField::Phone) {
            let mut phone = ascii_digits(v);
            // A spreadsheet drops the leading zero of 0300-1234567 typed as a number.
            if phone.len() == 10
                && phone.starts_with('3')
                && phone.chars().all(|c| c.is_ascii_digit())
            {
                phone.insert(0, '0');
            }
            input.phone = Some(phone);
            src.insert("phone", col);
        }
        if let Some((col, v)) = get(ManifestField::Address) {
            input.address = Some(v.to_string());
            src.insert("address", col);
        }

        // The travel columns kept as text, with the domain's checks for free text.
        for (field, max) in [
            (ManifestField::Serial, 50),
            (ManifestField::Remarks, 2000),
            (ManifestField::Reason, 1000),
            (ManifestField::FlightOrVessel, 100),
        ] {
            let Some((col, v)) = get(field) else { continue };
            match optional_text(Some(v), max) {
                Ok(text) => match field {
                    ManifestField::Serial => extra.serial = text,
                    ManifestField::Remarks => extra.remarks = text,
                    ManifestField::Reason => extra.reason = text,
                    _ => extra.flight_or_vessel = text,
                },
                Err(p) => {
                    let mut lp = problem_at(col, Severity::Error, p.code());
                    for (k, a) in p.args() {
                        lp = lp.arg(k, a);
                    }
                    problems.push(lp);
                }
            }
        }

        let person = match input.validate(self.refdata, self.today) {
            Ok(p) => Some(p),
            Err(errs) => {
                for e in errs.iter() {
                    // The empty name is reported once, as such.
                    if e.field == "name_roman" && empty_name {
                        continue;
                    }
                    let mut lp = match src.get(e.field.as_str()) {
                        Some(col) => {
                            let mut lp = problem_at(col, Severity::Error, e.problem.code());
                            if let Some(v) = cells.get(col.index) {
                                lp = lp.arg("value", v.as_str());
                            }
                            lp
                        }
                        None => {
                            LocatedProblem::row(file, number, Severity::Error, e.problem.code())
                                .with_field(&e.field)
                        }
                    };
                    for (k, a) in e.problem.args() {
                        lp = lp.arg(k, a);
                    }
                    problems.push(lp);
                }
                None
            }
        };

        let passport_key = input.passport.as_deref().map(|p| {
            p.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
                .to_ascii_uppercase()
        });
        // Only a well-formed CNIC counts as a repeat; a malformed one is reported as such.
        let cnic_key = input
            .cnic
            .as_deref()
            .and_then(|c| Cnic::parse(c).ok())
            .map(|c| c.digits().to_string());
        RowOutcome {
            fingerprint: fingerprint(&input, &extra),
            input,
            person,
            extra,
            passport_key: passport_key.filter(|k| !k.is_empty()),
            cnic_key,
            problems,
        }
    }
}

/// The identifying values of a row, normalised, hashed. Version-tagged so that a change of
/// normalisation can be told apart from a change of data.
fn fingerprint(input: &PersonInput, extra: &ManifestExtras) -> String {
    let fold = |v: &Option<String>| v.as_deref().map(fold_for_search).unwrap_or_default();
    let key = |v: &Option<String>| v.as_deref().map(fold_key).unwrap_or_default();
    let parts = [
        "nigehban-manifest-row/v1".to_string(),
        fold(&input.name_roman),
        fold(&input.name_urdu),
        fold(&input.parentage_roman),
        fold(&input.parentage_urdu),
        input.sex.clone().unwrap_or_default(),
        key(&input.date_of_birth),
        key(&input.estimated_age),
        key(&input.cnic),
        key(&input.passport),
        key(&input.nationality_claimed),
        key(&input.origin_district),
        key(&extra.origin_raw),
        extra
            .arrival_date
            .map(|d| d.to_string())
            .unwrap_or_default(),
        key(&extra.flight_or_vessel),
    ];
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0x1F]);
    }
    hex::encode(h.finalize())
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

    #[test]
    fn relation_words_split_names() {
        assert_eq!(
            split_relation("Muhammad Asif S/O Muhammad Akram"),
            (
                "Muhammad Asif".to_string(),
                Some(("son_of", "Muhammad Akram".to_string()))
            )
        );
        assert_eq!(
            split_relation("Shazia Bibi w/o Zahid Hussain"),
            (
                "Shazia Bibi".to_string(),
                Some(("wife_of", "Zahid Hussain".to_string()))
            )
        );
        assert_eq!(split_relation("Asif Sohail").1, None);
        assert_eq!(
            strip_relation_prefix("S/O Muhammad Akram"),
            (Some("son_of"), "Muhammad Akram")
        );
        assert_eq!(
            strip_relation_prefix("D/O: Ghulam Abbas"),
            (Some("daughter_of"), "Ghulam Abbas")
        );
        assert_eq!(strip_relation_prefix("Sohail"), (None, "Sohail"));
    }

    #[test]
    fn formula_starts() {
        assert_eq!(looks_like_formula("=HYPERLINK(\"x\")"), Some('='));
        assert_eq!(looks_like_formula("@SUM(A1)"), Some('@'));
        assert_eq!(looks_like_formula("Asif"), None);
    }

    #[test]
    fn commit_policies_parse() {
        assert_eq!(
            CommitPolicy::parse("all-or-nothing"),
            Some(CommitPolicy::AllOrNothing)
        );
        assert_eq!(
            CommitPolicy::parse("valid-rows"),
            Some(CommitPolicy::ValidRows)
        );
        assert_eq!(CommitPolicy::parse("some"), None);
    }
}
