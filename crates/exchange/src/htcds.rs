//! Cases to and from HTCDS v2.0 files: one flat table, one row per person in a case, columns named
//! by the mapping. Export writes CSV, XLSX or JSON; import reads any of them, validates every row
//! into the domain's inputs and reports, located at file, row and column, every problem and every
//! value without a Nigehban equivalent (such values are kept with their case, never dropped).

use crate::mapping::{Field, FieldStatus, Mapping, Target};
use crate::model::*;
use chrono::NaiveDate;
use nigehban_domain::case::{CaseInput, ValidatedCase};
use nigehban_domain::crime::ExploitationForm;
use nigehban_domain::error::ValidationErrors;
use nigehban_domain::identifiers::IdentifierKind;
use nigehban_domain::person::{AgeInfo, CaseRole, PersonInput, PersonRole, ValidatedPerson};
use nigehban_domain::reference::ReferenceData;
use nigehban_domain::stage::{CaseStage, Verdict};
use nigehban_sheets::{read_table, LocatedProblem, Severity, SheetFailure, Table, TableRow};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The file formats of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    Csv,
    Xlsx,
    Json,
}

impl FileFormat {
    /// From a file name's extension or a format name.
    pub fn parse(s: &str) -> Option<FileFormat> {
        let ext = s.rsplit('.').next().unwrap_or(s).to_ascii_lowercase();
        match ext.as_str() {
            "csv" => Some(FileFormat::Csv),
            "xlsx" => Some(FileFormat::Xlsx),
            "json" => Some(FileFormat::Json),
            _ => None,
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            FileFormat::Csv => "csv",
            FileFormat::Xlsx => "xlsx",
            FileFormat::Json => "json",
        }
    }
    pub fn content_type(self) -> &'static str {
        match self {
            FileFormat::Csv => "text/csv; charset=utf-8",
            FileFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileFormat::Json => "application/json",
        }
    }
}

/// An HTCDS table: the mapping's headers and one row per person in a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HtcdsTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Sheet(#[from] nigehban_sheets::SheetWriteError),
    #[error("json: {0}")]
    Json(#[from] serde_json::Error),
}

impl HtcdsTable {
    /// The file's bytes. CSV and XLSX never run a cell as a formula; JSON is an array of objects
    /// with the non-empty fields of each row.
    pub fn write(&self, format: FileFormat, sheet: &str) -> Result<Vec<u8>, WriteError> {
        match format {
            FileFormat::Csv => Ok(nigehban_sheets::write_csv(&self.headers, &self.rows)),
            FileFormat::Xlsx => Ok(nigehban_sheets::write_xlsx(
                sheet,
                &self.headers,
                &self.rows,
                false,
            )?),
            FileFormat::Json => {
                let records: Vec<serde_json::Map<String, serde_json::Value>> = self
                    .rows
                    .iter()
                    .map(|row| {
                        self.headers
                            .iter()
                            .zip(row)
                            .filter(|(_, v)| !v.is_empty())
                            .map(|(h, v)| (h.clone(), serde_json::Value::String(v.clone())))
                            .collect()
                    })
                    .collect();
                Ok(serde_json::to_vec_pretty(&records)?)
            }
        }
    }
}

fn yes(b: bool) -> String {
    if b {
        "Yes".to_string()
    } else {
        String::new()
    }
}

fn alpha2(refdata: &ReferenceData, alpha3: Option<&str>) -> String {
    alpha3
        .and_then(|a| refdata.country(a))
        .map(|c| c.alpha2.clone())
        .unwrap_or_default()
}

/// A name in Roman letters split as HTCDS wants it: first word, middle words, last word.
fn split_name(name: &str) -> (String, String, String) {
    let words: Vec<&str> = name.split_whitespace().collect();
    match words.as_slice() {
        [] => (String::new(), String::new(), String::new()),
        [one] => (one.to_string(), String::new(), String::new()),
        [first, middle @ .., last] => (first.to_string(), middle.join(" "), last.to_string()),
    }
}

fn identifier(
    p: &ValidatedPerson,
    kind: IdentifierKind,
) -> Option<&nigehban_domain::identifiers::Identifier> {
    p.identifiers.iter().find(|i| i.kind == kind)
}

/// The case's forms of exploitation as the standard's types (sorted, each once).
fn exploitation_types(field: &Field, forms: &BTreeSet<ExploitationForm>) -> Vec<String> {
    let set: BTreeSet<String> = forms
        .iter()
        .filter_map(|f| field.export_value(f.as_str()))
        .map(str::to_string)
        .collect();
    set.into_iter().collect()
}

/// One cell of an export.
fn export_cell(
    field: &Field,
    c: &ExchangeCase,
    p: Option<&ExchangePerson>,
    refdata: &ReferenceData,
    sep: &str,
    today: NaiveDate,
) -> String {
    let Some(target) = &field.target else {
        return String::new();
    };
    let case = &c.case;
    let join = |v: Vec<&str>| v.join(sep);
    match target {
        Target::CaseId => return c.id.clone(),
        Target::CaseNumber => return c.number.clone().unwrap_or_default(),
        Target::CaseTitle => return case.title.clone(),
        Target::CaseCrimeTypes => {
            return join(case.crime_types.iter().map(|x| x.as_str()).collect())
        }
        Target::CaseExploitationForms => {
            return join(case.exploitation_forms.iter().map(|x| x.as_str()).collect())
        }
        Target::CaseProvisions => {
            return join(case.provisions.iter().map(String::as_str).collect())
        }
        Target::CaseStage => return c.stage.as_str().to_string(),
        Target::CaseStatus => {
            return field
                .export_value(c.stage.as_str())
                .unwrap_or_default()
                .to_string()
        }
        Target::CaseProvince => return case.province.clone(),
        Target::CaseDistrict => return case.district.clone(),
        Target::CaseOffenceDate => return case.offence_date.to_string(),
        Target::CaseNarrative => return case.narrative.clone().unwrap_or_default(),
        Target::OrgName => return c.agency_name.clone().unwrap_or_default(),
        Target::OrgType => {
            return c
                .agency_kind
                .and_then(|k| field.export_value(k.as_str()))
                .unwrap_or_default()
                .to_string()
        }
        _ => {}
    }
    let Some(p) = p else {
        return String::new();
    };
    let v = &p.person;
    let victim = p.role.role == PersonRole::Victim;
    let id_value = |kind| {
        identifier(v, kind)
            .map(|i| i.value.clone())
            .unwrap_or_default()
    };
    let (first, middle, last) = split_name(v.name.roman.as_deref().unwrap_or_default());
    match target {
        Target::PersonId => p.id.clone(),
        Target::FirstName => first,
        Target::MiddleName => middle,
        Target::LastName => last,
        Target::NameUrdu => v.name.urdu.clone().unwrap_or_default(),
        Target::Birthdate => match v.age {
            AgeInfo::DateOfBirth { date } => date.to_string(),
            _ => String::new(),
        },
        Target::EstimatedAge => match v.age {
            AgeInfo::Estimated { .. } => v
                .age
                .age_on(today)
                .map(|a| a.to_string())
                .unwrap_or_default(),
            _ => String::new(),
        },
        Target::Sex => field
            .export_value(v.sex.as_str())
            .unwrap_or_default()
            .to_string(),
        Target::Citizenship => alpha2(refdata, v.nationality_claimed.as_deref()),
        Target::NationalityVerified => v.nationality_verified.clone().unwrap_or_default(),
        Target::OriginDistrict => v.origin_district.clone().unwrap_or_default(),
        Target::Phone => id_value(IdentifierKind::Phone),
        Target::Address => v.address.clone().unwrap_or_default(),
        Target::Cnic => id_value(IdentifierKind::Cnic),
        Target::Passport => id_value(IdentifierKind::Passport),
        Target::PassportCountry => identifier(v, IdentifierKind::Passport)
            .and_then(|i| i.country.clone())
            .unwrap_or_default(),
        Target::NaraCard => id_value(IdentifierKind::NaraCard),
        Target::BankAccount => id_value(IdentifierKind::BankAccount),
        Target::HawalaAccount => id_value(IdentifierKind::HawalaAccount),
        Target::Vehicle => id_value(IdentifierKind::Vehicle),
        Target::ParentageRelation => v
            .parentage_relation
            .map(|r| r.as_str().to_string())
            .unwrap_or_default(),
        Target::ParentageRoman => v.parentage.roman.clone().unwrap_or_default(),
        Target::ParentageUrdu => v.parentage.urdu.clone().unwrap_or_default(),
        Target::Notes => v.notes.clone().unwrap_or_default(),
        Target::Role => p.role.role.as_str().to_string(),
        Target::ChainRole => p
            .role
            .chain_role
            .map(|c| c.as_str().to_string())
            .unwrap_or_default(),
        Target::Verdict => p
            .verdict
            .map(|x| x.as_str().to_string())
            .unwrap_or_default(),
        Target::Withheld => yes(p.withheld),
        Target::TraffickingStatus if victim => {
            field.export_value("victim").unwrap_or_default().to_string()
        }
        Target::TraffickingStatus => String::new(),
        Target::RoleInProcess => p
            .role
            .chain_role
            .and_then(|c| field.export_value(c.as_str()))
            .unwrap_or_default()
            .to_string(),
        Target::AgeWhenTrafficked if victim => v
            .age
            .age_on(case.offence_date)
            .map(|a| a.to_string())
            .unwrap_or_default(),
        Target::AgeWhenTrafficked => String::new(),
        Target::Indicator(code) => yes(p.victim.indicators.contains(code)),
        Target::Indicators => join(p.victim.indicators.iter().map(String::as_str).collect()),
        Target::MethodsOfControl => {
            let mut seen = BTreeSet::new();
            join(
                field
                    .values
                    .iter()
                    .filter(|(_, code)| p.victim.indicators.contains(code))
                    .map(|(v, _)| v.as_str())
                    .filter(|v| seen.insert(*v))
                    .collect(),
            )
        }
        Target::Exploitation if victim => {
            exploitation_types(field, &case.exploitation_forms).join(sep)
        }
        Target::Exploitation => String::new(),
        Target::Labour => join(
            p.victim
                .labour
                .iter()
                .filter_map(|l| field.export_value(l.as_str()))
                .collect(),
        ),
        Target::Relation => p
            .victim
            .recruiter_relation
            .and_then(|r| field.export_value(r.as_str()))
            .unwrap_or_default()
            .to_string(),
        Target::CountryOfExploitation => {
            alpha2(refdata, p.victim.country_of_exploitation.as_deref())
        }
        Target::EventType => match p.victim.country_of_exploitation {
            Some(_) => field
                .export_value("exploitation")
                .unwrap_or_default()
                .to_string(),
            None => String::new(),
        },
        _ => String::new(),
    }
}

/// The HTCDS table of some cases: one row per person (a case without persons has one row).
/// Values kept from an earlier import go back into their columns where the export left them
/// empty (multi-select columns get them added).
pub fn to_table(
    mapping: &Mapping,
    refdata: &ReferenceData,
    cases: &[ExchangeCase],
    today: NaiveDate,
) -> HtcdsTable {
    let sep = mapping.separator().to_string();
    let headers = mapping.headers();
    let mut rows = Vec::new();
    for c in cases {
        let persons: Vec<Option<&ExchangePerson>> = if c.persons.is_empty() {
            vec![None]
        } else {
            c.persons.iter().map(Some).collect()
        };
        for p in persons {
            let mut row: Vec<String> = mapping
                .fields
                .iter()
                .map(|f| export_cell(f, c, p, refdata, &sep, today))
                .collect();
            for k in &c.kept {
                let applies = match (&k.person, p) {
                    (None, _) => true,
                    (Some(pid), Some(p)) => *pid == p.id,
                    (Some(_), None) => false,
                };
                if !applies {
                    continue;
                }
                let Some(i) = mapping.fields.iter().position(|f| f.name == k.column) else {
                    continue;
                };
                let multi = mapping
                    .fields
                    .get(i)
                    .and_then(|f| f.target.as_ref())
                    .is_some_and(Target::is_multi);
                if let Some(cell) = row.get_mut(i) {
                    if cell.is_empty() {
                        *cell = k.value.clone();
                    } else if multi && !cell.split(sep.as_str()).any(|v| v == k.value) {
                        cell.push_str(&sep);
                        cell.push_str(&k.value);
                    }
                }
            }
            rows.push(row);
        }
    }
    HtcdsTable { headers, rows }
}

// ---------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------

/// Why a value was kept instead of translated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnmappedReason {
    /// The column has no Nigehban field.
    NoField,
    /// The column is mapped, but this value has no Nigehban code.
    NoValue,
}

impl UnmappedReason {
    pub fn message_id(self) -> &'static str {
        match self {
            UnmappedReason::NoField => "exchange-unmapped-no-field",
            UnmappedReason::NoValue => "exchange-unmapped-no-value",
        }
    }
}

/// A value of the file without a Nigehban equivalent: reported, and kept with its case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnmappedValue {
    pub row: usize,
    /// Column letter as a spreadsheet shows it (for JSON, the field's position).
    pub column: String,
    pub header: String,
    pub value: String,
    pub reason: UnmappedReason,
}

/// A person of an imported case, validated.
#[derive(Debug, Clone)]
pub struct ImportPerson {
    pub external_id: String,
    pub row: usize,
    pub role: CaseRole,
    pub verdict: Option<Verdict>,
    pub person: ValidatedPerson,
    pub withheld: bool,
    pub victim: VictimContext,
}

/// An imported case, validated, with its persons and the values kept for it.
#[derive(Debug, Clone)]
pub struct ImportCase {
    pub external_id: String,
    /// First row of the case.
    pub row: usize,
    pub number: Option<String>,
    pub case: ValidatedCase,
    pub stage: CaseStage,
    pub persons: Vec<ImportPerson>,
    pub kept: Vec<KeptValue>,
}

/// A file read, every row valid.
#[derive(Debug, Clone)]
pub struct HtcdsImport {
    pub file: String,
    pub rows: usize,
    pub cases: Vec<ImportCase>,
    pub unmapped: Vec<UnmappedValue>,
    /// Worth a look, nothing refused (a derived column that disagrees with its exact column).
    pub warnings: Vec<LocatedProblem>,
}

/// Read a JSON export (an array of objects) as a table, field order as in the mapping.
fn json_table(file: &str, bytes: &[u8], mapping: &Mapping) -> Result<Table, SheetFailure> {
    let fail = |detail: String| {
        SheetFailure::one(
            LocatedProblem::file(file, Severity::Error, "sheet-unreadable").arg("detail", detail),
        )
    };
    let records: Vec<serde_json::Map<String, serde_json::Value>> =
        serde_json::from_slice(bytes).map_err(|e| fail(e.to_string()))?;
    let mut headers: Vec<String> = Vec::new();
    for f in &mapping.fields {
        if records.iter().any(|r| r.contains_key(&f.name)) {
            headers.push(f.name.clone());
        }
    }
    for r in &records {
        for k in r.keys() {
            if !headers.contains(k) {
                headers.push(k.clone());
            }
        }
    }
    let mut rows = Vec::new();
    for (i, r) in records.iter().enumerate() {
        let cells = headers
            .iter()
            .map(|h| match r.get(h) {
                None | Some(serde_json::Value::Null) => String::new(),
                Some(serde_json::Value::String(s)) => s.trim().to_string(),
                Some(other) => other.to_string(),
            })
            .collect();
        rows.push(TableRow {
            number: i + 1,
            cells,
        });
    }
    Ok(Table {
        file: file.to_string(),
        format: nigehban_sheets::Format::Csv {
            encoding: nigehban_sheets::TextEncoding::Utf8,
            delimiter: ',',
        },
        header_row: 0,
        headers,
        rows,
        problems: Vec::new(),
    })
}

/// The cells of one row by column, with where each is.
struct Row<'a> {
    number: usize,
    cells: &'a [String],
}

struct Ctx<'a> {
    file: &'a str,
    mapping: &'a Mapping,
    /// Header -> column index.
    columns: BTreeMap<&'a str, usize>,
    sep: char,
    errors: Vec<LocatedProblem>,
    warnings: Vec<LocatedProblem>,
    unmapped: Vec<UnmappedValue>,
}

impl<'a> Ctx<'a> {
    fn col(&self, t: &Target) -> Option<(usize, &'a str)> {
        let f = self.mapping.field_for(t)?;
        self.columns
            .get(f.name.as_str())
            .map(|i| (*i, f.name.as_str()))
    }
    fn has(&self, t: &Target) -> bool {
        self.col(t).is_some()
    }
    fn value(&self, row: &Row, t: &Target) -> Option<String> {
        let (i, _) = self.col(t)?;
        row.cells
            .get(i)
            .map(|s| unneutralise(s.trim()).to_string())
            .filter(|s| !s.is_empty())
    }
    fn values(&self, row: &Row, t: &Target) -> Vec<String> {
        self.value(row, t)
            .map(|v| {
                v.split(self.sep)
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default()
    }
    /// A problem at a target's column of a row (or at the row, naming the absent column).
    fn problem_at(&self, row: usize, t: &Target, code: &str) -> LocatedProblem {
        match self.col(t) {
            Some((i, h)) => {
                LocatedProblem::row(self.file, row, Severity::Error, code).at_column(i, h)
            }
            None => {
                let name = self
                    .mapping
                    .field_for(t)
                    .map(|f| f.name.clone())
                    .unwrap_or_default();
                LocatedProblem::row(self.file, row, Severity::Error, "sheet-htcds-needs-column")
                    .arg("column", name)
                    .arg("problem", code)
            }
        }
    }
    fn validation(
        &mut self,
        row: usize,
        errs: ValidationErrors,
        field_target: impl Fn(&str) -> Target,
    ) {
        for e in errs.0 {
            let t = field_target(&e.field);
            let mut p = self.problem_at(row, &t, e.problem.code());
            for (k, v) in e.problem.args() {
                p = p.arg(k, v);
            }
            self.errors.push(p);
        }
    }
    fn unmapped_at(&mut self, row: usize, t: &Target, value: &str) {
        if let Some((i, h)) = self.col(t) {
            self.unmapped.push(UnmappedValue {
                row,
                column: nigehban_sheets::column_letter(i),
                header: h.to_string(),
                value: value.to_string(),
                reason: UnmappedReason::NoValue,
            });
        }
    }
}

/// A CSV export guards cells that would start a formula (`+92300...`) with a leading apostrophe;
/// reading them back takes it off again.
fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest)
            if rest
                .trim_start_matches(' ')
                .starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠']) =>
        {
            rest
        }
        _ => cell,
    }
}

fn yes_no(v: &str) -> Option<bool> {
    match v.trim().to_ascii_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "x" => Some(true),
        "no" | "n" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// A country as ISO alpha-2 (the standard) or alpha-3 (Nigehban), as alpha-3.
fn country3(refdata: &ReferenceData, v: &str) -> Option<String> {
    let t = v.trim().to_ascii_uppercase();
    if refdata.country(&t).is_some() {
        return Some(t);
    }
    refdata
        .countries
        .iter()
        .find(|c| c.alpha2 == t)
        .map(|c| c.alpha3.clone())
}

fn case_field_target(field: &str) -> Target {
    match field {
        "title" => Target::CaseTitle,
        "crime_types" => Target::CaseCrimeTypes,
        "exploitation_forms" => Target::CaseExploitationForms,
        "provisions" => Target::CaseProvisions,
        "province" => Target::CaseProvince,
        "district" => Target::CaseDistrict,
        "offence_date" => Target::CaseOffenceDate,
        "narrative" => Target::CaseNarrative,
        _ => Target::CaseId,
    }
}

fn person_field_target(field: &str) -> Target {
    match field {
        "name_roman" => Target::FirstName,
        "name_urdu" => Target::NameUrdu,
        "parentage_relation" => Target::ParentageRelation,
        "parentage_roman" => Target::ParentageRoman,
        "parentage_urdu" => Target::ParentageUrdu,
        "sex" => Target::Sex,
        "date_of_birth" => Target::Birthdate,
        "estimated_age" => Target::EstimatedAge,
        "nationality_claimed" => Target::Citizenship,
        "nationality_verified" => Target::NationalityVerified,
        "origin_district" => Target::OriginDistrict,
        "cnic" => Target::Cnic,
        "passport" => Target::Passport,
        "passport_country" => Target::PassportCountry,
        "phone" => Target::Phone,
        "nara_card" => Target::NaraCard,
        "bank_account" => Target::BankAccount,
        "hawala_account" => Target::HawalaAccount,
        "vehicle" => Target::Vehicle,
        "address" => Target::Address,
        "notes" => Target::Notes,
        "role" => Target::Role,
        "chain_role" => Target::ChainRole,
        _ => Target::PersonId,
    }
}

/// Read an HTCDS file (CSV, XLSX or JSON): every row validated, every problem located. Nothing is
/// imported from a file with an error: the caller gets every problem at once.
pub fn read(
    file: &str,
    bytes: &[u8],
    mapping: &Mapping,
    refdata: &ReferenceData,
    today: NaiveDate,
) -> Result<HtcdsImport, SheetFailure> {
    let trimmed = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(bytes)
        .trim_ascii_start();
    let table = if trimmed.starts_with(b"[") {
        json_table(file, trimmed, mapping)?
    } else {
        read_table(file, bytes)?
    };
    let mut errors: Vec<LocatedProblem> = Vec::new();
    for p in &table.problems {
        if p.code == "sheet-other-sheets" {
            // A workbook holds the table on one worksheet: other sheets with data are not ours to
            // guess at.
            let mut e = p.clone();
            e.severity = Severity::Error;
            e.code = "sheet-htcds-unexpected-sheets".into();
            errors.push(e);
        } else if p.is_error() {
            errors.push(p.clone());
        }
    }
    let mut columns = BTreeMap::new();
    for (i, h) in table.headers.iter().enumerate() {
        // A column is known by its field's name, whatever alias headed it.
        let Some(field) = mapping.field(h) else {
            errors.push(
                LocatedProblem::file(file, Severity::Error, "sheet-htcds-unexpected-column")
                    .at_column(i, h),
            );
            continue;
        };
        if columns.insert(field.name.as_str(), i).is_some() {
            errors.push(
                LocatedProblem::file(file, Severity::Error, "sheet-htcds-duplicate-column")
                    .at_column(i, h),
            );
        }
    }
    let mut cx = Ctx {
        file,
        mapping,
        columns,
        sep: mapping.separator(),
        errors,
        warnings: Vec::new(),
        unmapped: Vec::new(),
    };
    if !cx.has(&Target::CaseId) {
        cx.errors.push(
            LocatedProblem::file(file, Severity::Error, "sheet-htcds-missing-key")
                .arg("column", "cas_Id"),
        );
    }
    if !cx.errors.is_empty() {
        return Err(SheetFailure {
            file: file.to_string(),
            problems: cx.errors,
        });
    }

    // Rows grouped into cases by cas_Id, in file order.
    let rows: Vec<Row> = table
        .rows
        .iter()
        .map(|r| Row {
            number: r.number,
            cells: &r.cells,
        })
        .collect();
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for r in &rows {
        match cx.value(r, &Target::CaseId) {
            Some(id) => {
                if !groups.contains_key(&id) {
                    order.push(id.clone());
                }
                groups.entry(id).or_default().push(r);
            }
            None => {
                let p = cx.problem_at(r.number, &Target::CaseId, "required");
                cx.errors.push(p);
            }
        }
    }
    let mut cases = Vec::new();
    for id in order {
        let Some(group) = groups.get(&id) else {
            continue;
        };
        if let Some(c) = read_case(&mut cx, refdata, today, &id, group) {
            cases.push(c);
        }
    }
    // One person id, one person: rows naming the same person (in several cases, or in several
    // roles) must describe them alike, or the import would keep one description silently.
    let mut first_seen: BTreeMap<&str, (usize, &ValidatedPerson)> = BTreeMap::new();
    for p in cases.iter().flat_map(|c| c.persons.iter()) {
        match first_seen.get(p.external_id.as_str()) {
            Some((row, person)) if *person != &p.person => {
                let e = cx
                    .problem_at(p.row, &Target::PersonId, "sheet-htcds-person-differs")
                    .arg("first", row.to_string())
                    .arg("column", "prs_Id");
                cx.errors.push(e);
            }
            Some(_) => {}
            None => {
                first_seen.insert(p.external_id.as_str(), (p.row, &p.person));
            }
        }
    }
    if !cx.errors.is_empty() {
        return Err(SheetFailure {
            file: file.to_string(),
            problems: cx.errors,
        });
    }
    Ok(HtcdsImport {
        file: file.to_string(),
        rows: table.rows.len(),
        cases,
        unmapped: cx.unmapped,
        warnings: cx.warnings,
    })
}

/// Columns whose values belong to the case, and those whose values belong to the row's person.
fn split_columns(mapping: &Mapping) -> (Vec<&Field>, Vec<&Field>) {
    let case_level = |f: &&Field| match &f.target {
        Some(t) => t.is_case_level(),
        None => f.table == "cas" || f.table == "org",
    };
    let case: Vec<&Field> = mapping.fields.iter().filter(case_level).collect();
    let person: Vec<&Field> = mapping.fields.iter().filter(|f| !case_level(f)).collect();
    (case, person)
}

fn read_case(
    cx: &mut Ctx,
    refdata: &ReferenceData,
    today: NaiveDate,
    id: &str,
    group: &[&Row],
) -> Option<ImportCase> {
    let first = *group.first()?;
    let (case_fields, person_fields) = split_columns(cx.mapping);
    let mut kept: Vec<KeptValue> = Vec::new();

    // The case's columns must say the same on every row of the case.
    for r in group.iter().skip(1) {
        for f in &case_fields {
            let Some(i) = cx.columns.get(f.name.as_str()).copied() else {
                continue;
            };
            let a = first.cells.get(i).map(|s| s.trim()).unwrap_or_default();
            let b = r.cells.get(i).map(|s| s.trim()).unwrap_or_default();
            if !b.is_empty() && a != b {
                cx.errors.push(
                    LocatedProblem::row(
                        cx.file,
                        r.number,
                        Severity::Error,
                        "sheet-htcds-case-differs",
                    )
                    .at_column(i, &f.name)
                    .arg("first", first.number.to_string()),
                );
            }
        }
    }
    // Unmapped case columns (and the sender's organisation) are kept once per case.
    for f in &case_fields {
        let unmapped =
            f.status.is_unmapped() || matches!(f.target, Some(Target::OrgName | Target::OrgType));
        if !unmapped {
            continue;
        }
        let Some(i) = cx.columns.get(f.name.as_str()).copied() else {
            continue;
        };
        if let Some(v) = first
            .cells
            .get(i)
            .map(|s| unneutralise(s.trim()))
            .filter(|s| !s.is_empty())
        {
            cx.unmapped.push(UnmappedValue {
                row: first.number,
                column: nigehban_sheets::column_letter(i),
                header: f.name.clone(),
                value: v.to_string(),
                reason: UnmappedReason::NoField,
            });
            kept.push(KeptValue {
                person: None,
                column: f.name.clone(),
                value: v.to_string(),
            });
        }
    }

    // Forms of exploitation: exact when nig_ExploitationForms is there, else from the victims'
    // types of exploitation (with their types of labour: forced labour in domestic work is
    // domestic servitude).
    let mut forms: Vec<String> = cx.values(first, &Target::CaseExploitationForms);
    if !cx.has(&Target::CaseExploitationForms) {
        let field = cx.mapping.field_for(&Target::Exploitation).cloned();
        let mut set = BTreeSet::new();
        for r in group {
            let labour = cx.values(r, &Target::Labour);
            for v in cx.values(r, &Target::Exploitation) {
                let code = field
                    .as_ref()
                    .and_then(|f| f.import_code(&v).map(str::to_string));
                match code {
                    Some(c)
                        if c == "forced_labour"
                            && labour
                                .iter()
                                .any(|l| l.eq_ignore_ascii_case("DomesticWork")) =>
                    {
                        set.insert("domestic_servitude".to_string());
                    }
                    Some(c) => {
                        set.insert(c);
                    }
                    None => {
                        cx.unmapped_at(r.number, &Target::Exploitation, &v);
                        kept.push(KeptValue {
                            person: cx.value(r, &Target::PersonId),
                            column: field.as_ref().map(|f| f.name.clone()).unwrap_or_default(),
                            value: v.clone(),
                        });
                    }
                }
            }
        }
        forms = set.into_iter().collect();
    }

    // The stage: exact when nig_Stage is there, else from the case status.
    let stage = match cx.value(first, &Target::CaseStage) {
        Some(s) => match CaseStage::parse(&s) {
            Some(st) => st,
            None => {
                let p = cx
                    .problem_at(first.number, &Target::CaseStage, "unknown-code")
                    .arg("value", s);
                cx.errors.push(p);
                CaseStage::Complaint
            }
        },
        None if cx.has(&Target::CaseStage) => CaseStage::Complaint,
        None => match cx.value(first, &Target::CaseStatus) {
            None => CaseStage::Complaint,
            Some(v) => {
                let code = cx
                    .mapping
                    .field_for(&Target::CaseStatus)
                    .and_then(|f| f.import_code(&v))
                    .map(str::to_string);
                match code.as_deref() {
                    Some("closed") => CaseStage::Closed,
                    Some(_) => CaseStage::Complaint,
                    None => {
                        cx.unmapped_at(first.number, &Target::CaseStatus, &v);
                        kept.push(KeptValue {
                            person: None,
                            column: "cas_Status".into(),
                            value: v,
                        });
                        CaseStage::Complaint
                    }
                }
            }
        },
    };

    let input = CaseInput {
        title: cx.value(first, &Target::CaseTitle),
        crime_types: cx.values(first, &Target::CaseCrimeTypes),
        exploitation_forms: forms,
        provisions: cx.values(first, &Target::CaseProvisions),
        province: cx.value(first, &Target::CaseProvince),
        district: cx.value(first, &Target::CaseDistrict),
        offence_date: cx.value(first, &Target::CaseOffenceDate),
        narrative: cx.value(first, &Target::CaseNarrative),
    };
    let case = match input.validate(refdata, today) {
        Ok(c) => Some(c),
        Err(e) => {
            cx.validation(first.number, e, case_field_target);
            None
        }
    };

    // Persons, grouped by prs_Id.
    let mut person_order: Vec<String> = Vec::new();
    let mut by_person: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
    for r in group {
        let filled = person_fields.iter().any(|f| {
            cx.columns
                .get(f.name.as_str())
                .and_then(|i| r.cells.get(*i))
                .is_some_and(|c| !c.trim().is_empty())
        });
        if !filled {
            continue;
        }
        match cx.value(r, &Target::PersonId) {
            Some(pid) => {
                if !by_person.contains_key(&pid) {
                    person_order.push(pid.clone());
                }
                by_person.entry(pid).or_default().push(r);
            }
            None => {
                let p = cx.problem_at(r.number, &Target::PersonId, "required");
                cx.errors.push(p);
            }
        }
    }
    let mut persons = Vec::new();
    let mut seen_roles = BTreeSet::new();
    for pid in person_order {
        let Some(prows) = by_person.get(&pid) else {
            continue;
        };
        // A person is one row per case; a second row for the same person is a second role.
        for r in prows.iter() {
            if let Some(p) = read_person(cx, refdata, today, &pid, r, &person_fields, &mut kept) {
                if !seen_roles.insert((pid.clone(), p.role.role)) {
                    let e = cx
                        .problem_at(r.number, &Target::Role, "duplicate")
                        .arg("value", p.role.role.as_str());
                    cx.errors.push(e);
                    continue;
                }
                persons.push(p);
            }
        }
    }
    // A derived column that disagrees with the exact one it derives from: the exact one is used.
    if let Some(c) = &case {
        check_derived(cx, group, c, stage, &persons);
    }
    kept.sort();
    kept.dedup();
    Some(ImportCase {
        external_id: id.to_string(),
        row: first.number,
        number: cx.value(first, &Target::CaseNumber),
        case: case?,
        stage,
        persons,
        kept,
    })
}

#[allow(clippy::too_many_arguments)]
fn read_person(
    cx: &mut Ctx,
    refdata: &ReferenceData,
    today: NaiveDate,
    pid: &str,
    r: &Row,
    person_fields: &[&Field],
    kept: &mut Vec<KeptValue>,
) -> Option<ImportPerson> {
    let keep = |kept: &mut Vec<KeptValue>, column: &str, value: &str| {
        kept.push(KeptValue {
            person: Some(pid.to_string()),
            column: column.to_string(),
            value: value.to_string(),
        })
    };
    // Columns without a Nigehban field.
    for f in person_fields {
        if !f.status.is_unmapped() {
            continue;
        }
        let Some(i) = cx.columns.get(f.name.as_str()).copied() else {
            continue;
        };
        if let Some(v) = r
            .cells
            .get(i)
            .map(|s| unneutralise(s.trim()))
            .filter(|s| !s.is_empty())
        {
            cx.unmapped.push(UnmappedValue {
                row: r.number,
                column: nigehban_sheets::column_letter(i),
                header: f.name.clone(),
                value: v.to_string(),
                reason: UnmappedReason::NoField,
            });
            keep(kept, &f.name, v);
        }
    }
    let name_parts: Vec<String> = [Target::FirstName, Target::MiddleName, Target::LastName]
        .iter()
        .filter_map(|t| cx.value(r, t))
        .collect();
    let withheld = cx
        .value(r, &Target::Withheld)
        .and_then(|v| yes_no(&v))
        .unwrap_or(false)
        || (name_parts.is_empty() && cx.value(r, &Target::NameUrdu).is_none());
    let name_roman = if name_parts.is_empty() && withheld {
        Some(WITHHELD_NAME.to_string())
    } else if name_parts.is_empty() {
        None
    } else {
        Some(name_parts.join(" "))
    };

    let sex = match cx.value(r, &Target::Sex) {
        None => "unknown".to_string(),
        Some(v) => match cx
            .mapping
            .field_for(&Target::Sex)
            .and_then(|f| f.import_code(&v))
        {
            Some(c) => c.to_string(),
            None => {
                cx.unmapped_at(r.number, &Target::Sex, &v);
                keep(kept, "prs_Gender", &v);
                "unknown".to_string()
            }
        },
    };
    let nationality_claimed = match cx.value(r, &Target::Citizenship) {
        None => None,
        Some(v) => match country3(refdata, &v) {
            Some(c) => Some(c),
            // Left as written: validation reports it as an unknown country.
            None => Some(v),
        },
    };
    let estimated_age = cx.value(r, &Target::EstimatedAge);
    let date_of_birth = cx.value(r, &Target::Birthdate);
    if date_of_birth.is_none() && estimated_age.is_none() {
        if let Some(v) = cx.value(r, &Target::AgeWhenTrafficked) {
            // An age without a birth date to recompute it from: kept as given.
            cx.unmapped_at(r.number, &Target::AgeWhenTrafficked, &v);
            keep(kept, "vic_AgeWhenTrafficked", &v);
        }
    }
    let input = PersonInput {
        name_roman,
        name_urdu: cx.value(r, &Target::NameUrdu),
        parentage_relation: cx.value(r, &Target::ParentageRelation),
        parentage_roman: cx.value(r, &Target::ParentageRoman),
        parentage_urdu: cx.value(r, &Target::ParentageUrdu),
        sex: Some(sex),
        date_of_birth,
        estimated_age,
        nationality_claimed,
        nationality_verified: cx.value(r, &Target::NationalityVerified),
        origin_district: cx.value(r, &Target::OriginDistrict),
        cnic: cx.value(r, &Target::Cnic),
        passport: cx.value(r, &Target::Passport),
        passport_country: cx.value(r, &Target::PassportCountry),
        phone: cx.value(r, &Target::Phone),
        nara_card: cx.value(r, &Target::NaraCard),
        bank_account: cx.value(r, &Target::BankAccount),
        hawala_account: cx.value(r, &Target::HawalaAccount),
        vehicle: cx.value(r, &Target::Vehicle),
        address: cx.value(r, &Target::Address),
        notes: cx.value(r, &Target::Notes),
    };
    let person = match input.validate(refdata, today) {
        Ok(p) => Some(p),
        Err(e) => {
            cx.validation(r.number, e, person_field_target);
            None
        }
    };

    // The role: exact in nig_Role, else from the perpetrator and victim contexts.
    let role_in_process = cx.value(r, &Target::RoleInProcess);
    let role = match cx.value(r, &Target::Role) {
        Some(v) => Some(v),
        None if cx.has(&Target::Role) => None,
        None => {
            if role_in_process.is_some() {
                Some("suspect".to_string())
            } else {
                match cx.value(r, &Target::TraffickingStatus) {
                    Some(v) => match cx
                        .mapping
                        .field_for(&Target::TraffickingStatus)
                        .and_then(|f| f.import_code(&v))
                    {
                        Some("victim") => Some("victim".to_string()),
                        Some(_) => Some("complainant".to_string()),
                        None => {
                            cx.unmapped_at(r.number, &Target::TraffickingStatus, &v);
                            keep(kept, "vic_TraffickingStatus", &v);
                            None
                        }
                    },
                    None => None,
                }
            }
        }
    };
    let chain_from_process = !cx.has(&Target::ChainRole);
    let chain_role = match cx.value(r, &Target::ChainRole) {
        Some(v) => Some(v),
        None if chain_from_process && role.as_deref() == Some("suspect") => match role_in_process {
            Some(v) => match cx
                .mapping
                .field_for(&Target::RoleInProcess)
                .and_then(|f| f.import_code(&v))
            {
                Some(c) => Some(c.to_string()),
                None => {
                    cx.unmapped_at(r.number, &Target::RoleInProcess, &v);
                    keep(kept, "per_RoleInProcess", &v);
                    None
                }
            },
            None => None,
        },
        None => None,
    };
    let role = match CaseRole::parse(role.as_deref(), chain_role.as_deref()) {
        Ok(r) => Some(r),
        Err(e) => {
            cx.validation(r.number, e, |f| match f {
                "chain_role" if chain_from_process => Target::RoleInProcess,
                other => person_field_target(other),
            });
            None
        }
    };
    let verdict = match cx.value(r, &Target::Verdict) {
        None => None,
        Some(v) => match Verdict::parse(&v) {
            Some(x) => Some(x),
            None => {
                let e = cx
                    .problem_at(r.number, &Target::Verdict, "unknown-code")
                    .arg("value", v);
                cx.errors.push(e);
                None
            }
        },
    };

    // The victim's context.
    let mut victim = VictimContext::default();
    for code in cx.values(r, &Target::Indicators) {
        if refdata.indicator(&code).is_some() {
            victim.indicators.insert(code);
        } else {
            let e = cx
                .problem_at(r.number, &Target::Indicators, "unknown-code")
                .arg("value", code);
            cx.errors.push(e);
        }
    }
    let indicator_fields: Vec<(String, String)> = cx
        .mapping
        .fields
        .iter()
        .filter_map(|f| match &f.target {
            Some(Target::Indicator(code)) => Some((f.name.clone(), code.clone())),
            _ => None,
        })
        .collect();
    for (name, code) in indicator_fields {
        let t = Target::Indicator(code.clone());
        if let Some(v) = cx.value(r, &t) {
            match yes_no(&v) {
                Some(true) => {
                    victim.indicators.insert(code);
                }
                Some(false) => {}
                None => {
                    cx.unmapped_at(r.number, &t, &v);
                    keep(kept, &name, &v);
                }
            }
        }
    }
    let moc_field = cx.mapping.field_for(&Target::MethodsOfControl).cloned();
    for v in cx.values(r, &Target::MethodsOfControl) {
        match moc_field.as_ref().and_then(|f| f.import_code(&v)) {
            Some(code) => {
                victim.indicators.insert(code.to_string());
            }
            None => {
                cx.unmapped_at(r.number, &Target::MethodsOfControl, &v);
                keep(kept, "vic_MethodsOfControl", &v);
            }
        }
    }
    let labour_field = cx.mapping.field_for(&Target::Labour).cloned();
    for v in cx.values(r, &Target::Labour) {
        match labour_field
            .as_ref()
            .and_then(|f| f.import_code(&v))
            .and_then(LabourSector::parse)
        {
            Some(l) => {
                victim.labour.insert(l);
            }
            None => {
                cx.unmapped_at(r.number, &Target::Labour, &v);
                keep(kept, "vic_TypeOfLabourExploitation", &v);
            }
        }
    }
    if let Some(v) = cx.value(r, &Target::Relation) {
        match cx
            .mapping
            .field_for(&Target::Relation)
            .and_then(|f| f.import_code(&v))
            .and_then(RecruiterRelation::parse)
        {
            Some(rel) => victim.recruiter_relation = Some(rel),
            None => {
                cx.unmapped_at(r.number, &Target::Relation, &v);
                keep(kept, "vic_RelationshipToTrafficker", &v);
            }
        }
    }
    let event = cx.value(r, &Target::EventType);
    let is_exploitation = match &event {
        None => true,
        Some(v) => cx
            .mapping
            .field_for(&Target::EventType)
            .and_then(|f| f.import_code(v))
            .is_some(),
    };
    if let Some(v) = &event {
        if !is_exploitation {
            cx.unmapped_at(r.number, &Target::EventType, v);
            keep(kept, "hte_Type", v);
        }
    }
    if let Some(v) = cx.value(r, &Target::CountryOfExploitation) {
        match (is_exploitation, country3(refdata, &v)) {
            (true, Some(c)) => victim.country_of_exploitation = Some(c),
            (true, None) => {
                let e = cx
                    .problem_at(r.number, &Target::CountryOfExploitation, "unknown-country")
                    .arg("value", v);
                cx.errors.push(e);
            }
            (false, _) => {
                cx.unmapped_at(r.number, &Target::CountryOfExploitation, &v);
                keep(kept, "hte_Country", &v);
            }
        }
    }
    let (person, role) = (person?, role?);
    Some(ImportPerson {
        external_id: pid.to_string(),
        row: r.number,
        role,
        verdict,
        person,
        withheld,
        victim,
    })
}

/// Warn where a derived column disagrees with the exact column it derives from (the exact one
/// is what was imported). A blank derived cell is no disagreement.
fn check_derived(
    cx: &mut Ctx,
    group: &[&Row],
    case: &ValidatedCase,
    stage: CaseStage,
    persons: &[ImportPerson],
) {
    let sep = cx.sep.to_string();
    let export = |cx: &Ctx, t: &Target, code: &str| {
        cx.mapping
            .field_for(t)
            .and_then(|f| f.export_value(code))
            .unwrap_or_default()
            .to_string()
    };
    let mut checks: Vec<(usize, Target, String, Target)> = Vec::new();
    if let Some(first) = group.first() {
        if cx.has(&Target::CaseStage) {
            checks.push((
                first.number,
                Target::CaseStatus,
                export(cx, &Target::CaseStatus, stage.as_str()),
                Target::CaseStage,
            ));
        }
    }
    for p in persons {
        let victim = p.role.role == PersonRole::Victim;
        if cx.has(&Target::Role) {
            let expected = if victim {
                export(cx, &Target::TraffickingStatus, "victim")
            } else {
                String::new()
            };
            checks.push((p.row, Target::TraffickingStatus, expected, Target::Role));
        }
        if cx.has(&Target::ChainRole) {
            let expected = p
                .role
                .chain_role
                .map(|c| export(cx, &Target::RoleInProcess, c.as_str()))
                .unwrap_or_default();
            checks.push((p.row, Target::RoleInProcess, expected, Target::ChainRole));
        }
        if cx.has(&Target::CaseExploitationForms) && victim {
            if let Some(f) = cx.mapping.field_for(&Target::Exploitation) {
                let expected = exploitation_types(f, &case.exploitation_forms).join(&sep);
                checks.push((
                    p.row,
                    Target::Exploitation,
                    expected,
                    Target::CaseExploitationForms,
                ));
            }
        }
    }
    let as_set = |s: &str, sep: char| -> BTreeSet<String> {
        s.split(sep)
            .map(|v| v.trim().to_ascii_lowercase())
            .filter(|v| !v.is_empty())
            .collect()
    };
    for (row, t, expected, exact) in checks {
        let Some(r) = group.iter().find(|r| r.number == row) else {
            continue;
        };
        let Some(found) = cx.value(r, &t) else {
            continue;
        };
        if as_set(&found, cx.sep) == as_set(&expected, cx.sep) {
            continue;
        }
        if let Some((i, h)) = cx.col(&t) {
            let used = cx
                .mapping
                .field_for(&exact)
                .map(|f| f.name.clone())
                .unwrap_or_default();
            cx.warnings.push(
                LocatedProblem::row(
                    cx.file,
                    row,
                    Severity::Warning,
                    "sheet-htcds-derived-differs",
                )
                .at_column(i, h)
                .arg("used", used),
            );
        }
    }
}

/// What happens to each column of a file on import, for the report.
pub fn status_of(mapping: &Mapping, header: &str) -> Option<FieldStatus> {
    mapping.field(header).map(|f| f.status)
}
