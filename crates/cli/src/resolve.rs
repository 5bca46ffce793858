//! `nigehban resolve dedupe` and `nigehban resolve link`: record linkage of any person list
//! (a district's ledger, a spreadsheet), without a database. Every problem with the input is
//! located (file, row, column, field) and reported together, in English or Urdu; nothing is
//! written unless the input is usable.

use anyhow::{anyhow, Context};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use nigehban_i18n::{Catalog, Lang};
use nigehban_linkage::{
    Dataset, FieldKind, FieldSpec, LabelledPair, Linker, Mode, Model, Outcome, Progress, Schema,
    Settings, Stage, DEFAULT_THRESHOLD, MAX_FIELDS,
};
use nigehban_names::NameTables;
use nigehban_sheets::{
    column_letter, for_each_row, read_table, sniff_delimiter, Format, LocatedProblem, Severity,
    SheetFailure, Table, TableRow, TextEncoding, MAX_ROWS,
};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Longest value read from a cell (characters); a longer one is an error, located.
pub const MAX_FIELD_CHARS: usize = 4096;
/// A field whose values are mostly not of its kind is an error: more than this share of the
/// values present cannot be read.
const KIND_MISMATCH_SHARE: f64 = 0.5;

#[derive(Subcommand)]
pub enum ResolveCommand {
    /// Find the records of one list that are the same person. Writes the pairs (and clusters).
    Dedupe(DedupeArgs),
    /// Find the records of two lists that are the same person: pairs across LEFT and RIGHT.
    Link(LinkArgs),
}

#[derive(Args)]
pub struct DedupeArgs {
    /// The list: CSV (any delimiter; UTF-8, UTF-16 or Windows-1252) or a workbook (XLSX, XLS,
    /// ODS).
    pub input: PathBuf,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Also write every record's cluster: CSV with the header `id,cluster`.
    #[arg(long)]
    pub clusters: Option<PathBuf>,
}

#[derive(Args)]
pub struct LinkArgs {
    pub left: PathBuf,
    pub right: PathBuf,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Args, Clone)]
pub struct CommonArgs {
    /// The column holding each record's id (unique, not empty).
    #[arg(long)]
    pub id: String,
    /// A column to compare and its kind, as COLUMN:KIND. KIND is one of given_name,
    /// family_name, full_name, parentage, date, identifier, phone, address, locality,
    /// postcode, text. Repeat for each column.
    #[arg(long = "field", value_name = "COLUMN:KIND", required = true)]
    pub fields: Vec<String>,
    /// Where to write the pairs: CSV with the header `id_a,id_b,probability`.
    #[arg(long)]
    pub out: PathBuf,
    /// Pairs with a match probability at least this are written (and clustered).
    #[arg(long, default_value_t = DEFAULT_THRESHOLD.to_string())]
    pub threshold: String,
    /// Seed of the random pairs u is estimated from: the same input and seed give the same
    /// output.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Pairs known to be the same person or not: CSV with the columns id_a, id_b, is_match
    /// (1/0, yes/no, true/false). Used to train the model.
    #[arg(long)]
    pub labels: Option<PathBuf>,
    /// Use this model (written by --model-out) instead of training one.
    #[arg(long)]
    pub model: Option<PathBuf>,
    /// Write the trained model (JSON) here, to score other lists with it later.
    #[arg(long)]
    pub model_out: Option<PathBuf>,
    /// Write every pair's explanation here: each field's level and weight.
    #[arg(long)]
    pub explain: Option<PathBuf>,
    /// Blocking keys held by more records than this are skipped as too common.
    #[arg(long, default_value_t = Settings::default().max_block)]
    pub max_block: usize,
    /// Blocking gives at most about this many comparisons per record: beyond, the most common
    /// keys are skipped too (counted in the summary).
    #[arg(long, default_value_t = Settings::default().max_comparisons_per_record)]
    pub comparisons_per_record: usize,
    /// Threads (default: all cores). The output does not depend on it.
    #[arg(long)]
    pub threads: Option<usize>,
    /// Language of messages and of the summary: en or ur.
    #[arg(long, default_value = "en")]
    pub lang: String,
}

/// A column given with --field.
#[derive(Debug, Clone)]
struct FieldArg {
    column: String,
    kind: FieldKind,
}

/// A list read and checked: its table and where its id and fields are.
pub(crate) struct Input {
    pub table: Table,
    pub id_col: usize,
    pub field_cols: Vec<usize>,
}

impl Input {
    pub fn len(&self) -> usize {
        self.table.rows.len()
    }

    pub fn id(&self, row: usize) -> &str {
        cell(self.table.rows.get(row), self.id_col)
    }

    pub fn text(&self, row: usize, field: usize) -> &str {
        let col = self.field_cols.get(field).copied().unwrap_or(usize::MAX);
        let t = cell(self.table.rows.get(row), col);
        if t.chars().count() > MAX_FIELD_CHARS {
            ""
        } else {
            t
        }
    }
}

fn cell(row: Option<&TableRow>, col: usize) -> &str {
    row.and_then(|r| r.cells.get(col))
        .map(String::as_str)
        .unwrap_or("")
}

/// Problems found in the input; errors stop the run (exit code 2).
#[derive(Default)]
pub(crate) struct Problems {
    pub list: Vec<LocatedProblem>,
}

impl Problems {
    fn push(&mut self, p: LocatedProblem) {
        self.list.push(p);
    }

    /// An error about a whole file (or an argument), with its message's arguments.
    fn file(&mut self, file: &str, code: &str, args: &[(&str, String)]) {
        let mut p = LocatedProblem::file(file, Severity::Error, code);
        for (k, v) in args {
            p = p.arg(k, v.clone());
        }
        self.list.push(p);
    }

    pub fn has_errors(&self) -> bool {
        self.list.iter().any(LocatedProblem::is_error)
    }
}

/// A problem of this command (its code is a message id of `resolve.*.ftl`) or of reading the
/// file (a `sheet-` or domain code), in words with its location.
pub(crate) fn describe(catalog: &Catalog, lang: Lang, p: &LocatedProblem) -> String {
    let text = if !p.code.starts_with("resolve-") {
        p.describe(catalog, lang)
    } else {
        let args: Vec<(&str, String)> = p
            .args
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        let message = catalog.text_args(lang, &p.code, &args);
        let header = match p.header.as_deref() {
            Some(h) if !h.trim().is_empty() => h.to_string(),
            _ => catalog.text(lang, "sheet-unnamed-header"),
        };
        let mut a = vec![("file", p.file.clone()), ("message", message)];
        let key = match (p.row, &p.column) {
            (Some(row), Some(col)) => {
                a.push(("row", row.to_string()));
                a.push(("column", col.clone()));
                a.push(("header", header));
                "sheet-located-cell"
            }
            (Some(row), None) => {
                a.push(("row", row.to_string()));
                "sheet-located-row"
            }
            (None, Some(col)) => {
                a.push(("column", col.clone()));
                a.push(("header", header));
                "sheet-located-column"
            }
            (None, None) => "sheet-located-file",
        };
        catalog.text_args(lang, key, &a)
    };
    if p.is_error() {
        text
    } else {
        format!("{}: {text}", catalog.text(lang, "sheet-severity-warning"))
    }
}

fn lang_of(raw: &str) -> anyhow::Result<Lang> {
    Lang::parse(raw).ok_or_else(|| anyhow!("unknown language `{raw}` (en or ur)"))
}

fn kinds_list() -> String {
    FieldKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Parses the --field arguments; problems are about the command line (no file).
fn parse_fields(raw: &[String], problems: &mut Problems) -> Vec<FieldArg> {
    let mut out: Vec<FieldArg> = Vec::new();
    for r in raw {
        let Some((col, kind)) = r.rsplit_once(':') else {
            problems.file("--field", "resolve-field-syntax", &[("value", r.clone())]);
            continue;
        };
        let col = col.trim();
        if col.is_empty() {
            problems.file("--field", "resolve-field-syntax", &[("value", r.clone())]);
            continue;
        }
        let Some(kind) = FieldKind::parse(kind) else {
            problems.file(
                "--field",
                "resolve-unknown-kind",
                &[
                    ("value", r.clone()),
                    ("kind", kind.trim().to_string()),
                    ("kinds", kinds_list()),
                ],
            );
            continue;
        };
        if let Some(prev) = out.iter().find(|f| f.column == col) {
            problems.file(
                "--field",
                "resolve-field-twice",
                &[
                    ("column", col.to_string()),
                    ("first", prev.kind.as_str().to_string()),
                    ("second", kind.as_str().to_string()),
                ],
            );
            continue;
        }
        out.push(FieldArg {
            column: col.to_string(),
            kind,
        });
    }
    if out.len() > MAX_FIELDS {
        problems.file(
            "--field",
            "resolve-too-many-fields",
            &[
                ("count", out.len().to_string()),
                ("max", MAX_FIELDS.to_string()),
            ],
        );
    }
    out
}

/// The threshold, or a problem.
fn parse_threshold(raw: &str, problems: &mut Problems) -> f64 {
    match raw.trim().parse::<f64>() {
        Ok(t) if t > 0.0 && t < 1.0 => t,
        _ => {
            problems.file(
                "--threshold",
                "resolve-threshold",
                &[("value", raw.to_string())],
            );
            DEFAULT_THRESHOLD
        }
    }
}

fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// Reads a file as a table: `read_table` (encodings, delimiters, workbooks, ragged rows,
/// mixed encodings); a text file of more rows than it takes is read by `read_large_csv`.
pub(crate) fn read_any(file: &str, bytes: &[u8]) -> Result<Table, SheetFailure> {
    let workbook =
        bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1");
    let lines = bytes.iter().filter(|b| **b == b'\n').count();
    if !workbook && lines > MAX_ROWS {
        read_large_csv(file, bytes)
    } else {
        read_table(file, bytes)
    }
}

/// Reads a large delimited text file (more than `MAX_ROWS` rows) row by row: UTF-8 (with or
/// without BOM), UTF-16 with a BOM, or Windows-1252; rows in another encoding than the rest,
/// and rows longer than the header, are located problems as with `read_table`. The first
/// non-empty row is the header.
pub(crate) fn read_large_csv(file: &str, bytes: &[u8]) -> Result<Table, SheetFailure> {
    let decoded: Option<(String, TextEncoding)> =
        if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
            let (t, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
            Some((t.into_owned(), TextEncoding::Utf16Le))
        } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
            let (t, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
            Some((t.into_owned(), TextEncoding::Utf16Be))
        } else {
            // UTF-16 without a byte-order mark: the NUL halves of ASCII characters.
            let sample = bytes.get(..bytes.len().min(4096)).unwrap_or(bytes);
            let nul_at = |odd: bool| {
                sample
                    .iter()
                    .enumerate()
                    .filter(|(i, b)| **b == 0 && (i % 2 == 1) == odd)
                    .count()
            };
            let (even, odd) = (nul_at(false), nul_at(true));
            if odd * 5 >= sample.len() / 2 && even * 20 < sample.len() / 2 {
                let (t, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(bytes);
                Some((t.into_owned(), TextEncoding::Utf16Le))
            } else if even * 5 >= sample.len() / 2 && odd * 20 < sample.len() / 2 {
                let (t, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(bytes);
                Some((t.into_owned(), TextEncoding::Utf16Be))
            } else {
                None
            }
        };
    let (body, bom): (&[u8], bool) = match &decoded {
        Some((t, _)) => (t.as_bytes(), false),
        None => match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => (rest, true),
            None => (bytes, false),
        },
    };
    let all_utf8 = std::str::from_utf8(body).is_ok();
    let delimiter = sniff_delimiter(body);
    // Without valid UTF-8 throughout: are there rows of valid UTF-8 with non-ASCII letters?
    let mut utf8_rows = 0usize;
    if !all_utf8 {
        for_each_row(body, delimiter, |_, cells| {
            let non_ascii = cells.iter().any(|c| !c.is_ascii());
            if non_ascii && cells.iter().all(|c| std::str::from_utf8(c).is_ok()) {
                utf8_rows += 1;
            }
        })
        .map_err(|row| unclosed(file, row))?;
    }
    let encoding = match &decoded {
        Some((_, e)) => *e,
        None if all_utf8 && bom => TextEncoding::Utf8Bom,
        None if all_utf8 || utf8_rows > 0 => TextEncoding::Utf8,
        None => TextEncoding::Windows1252,
    };
    let mut problems = Vec::new();
    let mut headers: Option<(usize, Vec<String>)> = None;
    let mut rows = Vec::new();
    for_each_row(body, delimiter, |number, raw| {
        let mut mixed = false;
        let cells: Vec<String> = raw
            .iter()
            .map(|c| match std::str::from_utf8(c) {
                Ok(s) => clean_cell(s),
                Err(_) => {
                    mixed |= encoding != TextEncoding::Windows1252;
                    clean_cell(&encoding_rs::WINDOWS_1252.decode_without_bom_handling(c).0)
                }
            })
            .collect();
        if cells.iter().all(String::is_empty) {
            return;
        }
        if mixed {
            problems.push(LocatedProblem::row(
                file,
                number,
                Severity::Error,
                "sheet-mixed-encodings",
            ));
        }
        let Some((_, h)) = &headers else {
            headers = Some((number, cells));
            return;
        };
        let width = h.len();
        let mut cells = cells;
        if cells.len() > width {
            let last = cells.iter().rposition(|c| !c.is_empty()).unwrap_or(0);
            if last >= width {
                problems.push(
                    LocatedProblem::row(file, number, Severity::Error, "sheet-ragged-row")
                        .arg("found", (last + 1).to_string())
                        .arg("expected", width.to_string())
                        .arg("from", column_letter(width)),
                );
            }
            cells.truncate(width);
        }
        cells.resize(width, String::new());
        rows.push(TableRow { number, cells });
    })
    .map_err(|row| unclosed(file, row))?;
    let Some((header_row, headers)) = headers else {
        return Err(SheetFailure::one(LocatedProblem::file(
            file,
            Severity::Error,
            "sheet-empty-file",
        )));
    };
    Ok(Table {
        file: file.to_string(),
        format: Format::Csv {
            encoding,
            delimiter: char::from(delimiter),
        },
        header_row,
        headers,
        rows,
        problems,
    })
}

fn unclosed(file: &str, row: usize) -> SheetFailure {
    SheetFailure::one(LocatedProblem::row(
        file,
        row,
        Severity::Error,
        "sheet-unclosed-quote",
    ))
}

/// A cell as `read_table` keeps it: trimmed of spaces, BOMs and zero-width spaces.
fn clean_cell(cell: &str) -> String {
    cell.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{FEFF}' | '\u{200B}'))
        .to_string()
}

/// Reads one list and checks its columns and rows: the id column, every --field column, empty
/// and duplicate ids, values too long. Problems go to `problems`; `None` when the file cannot be
/// used at all.
fn load(
    path: &Path,
    id: &str,
    fields: &[FieldArg],
    problems: &mut Problems,
    bar: &ProgressBar,
) -> Option<Input> {
    let file = display_name(path);
    bar.set_message(format!("reading {file}"));
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            problems.file(&file, "resolve-cannot-read", &[("detail", e.to_string())]);
            return None;
        }
    };
    let table = match read_any(&file, &bytes) {
        Ok(t) => t,
        Err(f) => {
            problems.list.extend(f.problems);
            return None;
        }
    };
    problems.list.extend(table.problems.iter().cloned());
    let headers_list = table
        .headers
        .iter()
        .map(|h| format!("“{h}”"))
        .collect::<Vec<_>>()
        .join(", ");
    let find = |name: &str| -> Option<usize> {
        table.headers.iter().position(|h| h == name).or_else(|| {
            let low = name.trim().to_lowercase();
            table
                .headers
                .iter()
                .position(|h| h.trim().to_lowercase() == low)
        })
    };
    let id_col = find(id);
    if id_col.is_none() {
        problems.file(
            &file,
            "resolve-missing-id-column",
            &[
                ("column", id.to_string()),
                ("headers", headers_list.clone()),
            ],
        );
    }
    let mut field_cols = Vec::new();
    for f in fields {
        match find(&f.column) {
            Some(c) => field_cols.push(c),
            None => {
                problems.file(
                    &file,
                    "resolve-missing-column",
                    &[
                        ("column", f.column.clone()),
                        ("kind", f.kind.as_str().to_string()),
                        ("headers", headers_list.clone()),
                    ],
                );
            }
        }
    }
    let id_col = id_col?;
    if field_cols.len() != fields.len() {
        return None;
    }
    if table.rows.is_empty() {
        problems.file(&file, "resolve-no-records", &[]);
        return None;
    }
    // Ids: present and unique.
    let id_header = table.headers.get(id_col).cloned().unwrap_or_default();
    let mut seen: HashMap<&str, usize> = HashMap::with_capacity(table.rows.len());
    for r in &table.rows {
        let v = cell(Some(r), id_col);
        if v.is_empty() {
            problems.push(
                LocatedProblem::row(&file, r.number, Severity::Error, "resolve-empty-id")
                    .at_column(id_col, &id_header),
            );
        } else if let Some(earlier) = seen.get(v) {
            problems.push(
                LocatedProblem::row(&file, r.number, Severity::Error, "resolve-duplicate-id")
                    .at_column(id_col, &id_header)
                    .arg("id", v)
                    .arg("earlier", earlier.to_string()),
            );
        } else {
            seen.insert(v, r.number);
        }
    }
    // Values too long to be a field of a person.
    let mut cols: Vec<usize> = field_cols.clone();
    cols.push(id_col);
    cols.sort_unstable();
    cols.dedup();
    for r in &table.rows {
        for c in &cols {
            let len = cell(Some(r), *c).chars().count();
            if len > MAX_FIELD_CHARS {
                let header = table.headers.get(*c).cloned().unwrap_or_default();
                problems.push(
                    LocatedProblem::row(&file, r.number, Severity::Error, "resolve-huge-field")
                        .at_column(*c, &header)
                        .arg("length", len.to_string())
                        .arg("max", MAX_FIELD_CHARS.to_string()),
                );
            }
        }
    }
    Some(Input {
        table,
        id_col,
        field_cols,
    })
}

/// Checks that each field's values are of its kind: most values unreadable is an error (the
/// kind does not fit the column), some is a warning (they count as missing).
fn check_kinds(
    data: &Dataset,
    inputs: &[(&Input, usize)],
    fields: &[FieldArg],
    problems: &mut Problems,
) {
    let stats = data.read_stats(1);
    for (f, (s, arg)) in stats.iter().zip(fields).enumerate() {
        if s.present == 0 {
            // A column with no value at all compares nothing: said, not refused.
            for (input, _) in inputs {
                let col = input.field_cols.get(f).copied().unwrap_or(0);
                let header = input.table.headers.get(col).cloned().unwrap_or_default();
                problems.push(
                    LocatedProblem::file(
                        &input.table.file,
                        Severity::Warning,
                        "resolve-empty-column",
                    )
                    .at_column(col, &header)
                    .with_field(&arg.column)
                    .arg("column", arg.column.clone()),
                );
            }
            continue;
        }
        if s.unreadable == 0 {
            continue;
        }
        let Some(&first) = s.unreadable_examples.first() else {
            continue;
        };
        // Which input and row the example is in.
        let mut offset = 0;
        let mut located = None;
        for (input, len) in inputs {
            if first < offset + len {
                located = Some((*input, first - offset));
                break;
            }
            offset += len;
        }
        let Some((input, row)) = located else {
            continue;
        };
        let col = input.field_cols.get(f).copied().unwrap_or(0);
        let header = input.table.headers.get(col).cloned().unwrap_or_default();
        let number = input.table.rows.get(row).map(|r| r.number).unwrap_or(0);
        let example: String = input.text(row, f).chars().take(60).collect();
        let error = s.unreadable as f64 > KIND_MISMATCH_SHARE * s.present as f64;
        let (severity, code) = if error {
            (Severity::Error, "resolve-kind-mismatch")
        } else {
            (Severity::Warning, "resolve-unreadable-values")
        };
        let mut p = LocatedProblem::file(&input.table.file, severity, code)
            .at_column(col, &header)
            .with_field(&arg.column)
            .arg("column", arg.column.clone())
            .arg("kind", arg.kind.as_str())
            .arg("unreadable", s.unreadable.to_string())
            .arg("present", s.present.to_string())
            .arg("row", number.to_string())
            .arg("example", example);
        p.column = Some(column_letter(col));
        problems.push(p);
    }
}

/// Reads the labels file (`id_a,id_b,is_match`) against the ids of the lists.
fn load_labels(
    path: &Path,
    left: &Input,
    right: Option<(&Input, usize)>,
    problems: &mut Problems,
) -> Vec<LabelledPair> {
    let file = display_name(path);
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            problems.file(&file, "resolve-cannot-read", &[("detail", e.to_string())]);
            return Vec::new();
        }
    };
    let table = match read_any(&file, &bytes) {
        Ok(t) => t,
        Err(f) => {
            problems.list.extend(f.problems);
            return Vec::new();
        }
    };
    problems.list.extend(table.problems.iter().cloned());
    let col = |name: &str| {
        table
            .headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(ca), Some(cb), Some(cm)) = (col("id_a"), col("id_b"), col("is_match")) else {
        let missing: Vec<&str> = ["id_a", "id_b", "is_match"]
            .into_iter()
            .filter(|n| col(n).is_none())
            .collect();
        problems.file(
            &file,
            "resolve-labels-columns",
            &[("missing", missing.join(", "))],
        );
        return Vec::new();
    };
    let index = |input: &Input| -> HashMap<String, usize> {
        (0..input.len())
            .map(|i| (input.id(i).to_string(), i))
            .collect()
    };
    let left_ids = index(left);
    let right_ids = right.map(|(r, _)| index(r));
    let offset = right.map(|(_, o)| o).unwrap_or(0);
    let mut out = Vec::new();
    for r in &table.rows {
        let a = cell(Some(r), ca);
        let b = cell(Some(r), cb);
        let m = cell(Some(r), cm).to_lowercase();
        let is_match = match m.as_str() {
            "1" | "true" | "yes" | "y" | "match" => Some(true),
            "0" | "false" | "no" | "n" | "non_match" | "nonmatch" => Some(false),
            _ => None,
        };
        let header = |c: usize| table.headers.get(c).cloned().unwrap_or_default();
        let ia = left_ids.get(a).copied();
        let ib = match &right_ids {
            Some(ids) => ids.get(b).map(|i| i + offset),
            None => left_ids.get(b).copied(),
        };
        let mut ok = true;
        for (v, c, found, list) in [
            (a, ca, ia.is_some(), left.table.file.as_str()),
            (
                b,
                cb,
                ib.is_some(),
                right
                    .map(|(r, _)| r.table.file.as_str())
                    .unwrap_or(&left.table.file),
            ),
        ] {
            if !found {
                ok = false;
                problems.push(
                    LocatedProblem::row(
                        &file,
                        r.number,
                        Severity::Error,
                        "resolve-labels-unknown-id",
                    )
                    .at_column(c, &header(c))
                    .arg("id", v)
                    .arg("list", list),
                );
            }
        }
        if is_match.is_none() {
            ok = false;
            problems.push(
                LocatedProblem::row(&file, r.number, Severity::Error, "resolve-labels-value")
                    .at_column(cm, &header(cm))
                    .arg("value", cell(Some(r), cm)),
            );
        }
        if let (true, Some(a), Some(b), Some(is_match)) = (ok, ia, ib, is_match) {
            out.push(LabelledPair { a, b, is_match });
        }
    }
    out
}

/// A progress bar over the stages of a run (on standard error; hidden when that is not a
/// terminal).
pub(crate) struct Bar {
    pub bar: ProgressBar,
    /// When each stage started (reading first), for the summary.
    stages: std::sync::Mutex<Vec<(&'static str, Instant)>>,
}

impl Bar {
    pub fn new() -> Bar {
        let bar = ProgressBar::new(1);
        if let Ok(style) =
            ProgressStyle::with_template("{msg:24} [{bar:40}] {pos}/{len} ({elapsed})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        Bar {
            bar,
            stages: std::sync::Mutex::new(vec![("reading", Instant::now())]),
        }
    }

    /// Seconds spent in each stage, in order.
    pub fn timings(&self) -> Vec<(&'static str, f64)> {
        let now = Instant::now();
        let stages = self.stages.lock().map(|s| s.clone()).unwrap_or_default();
        let mut out: Vec<(&'static str, f64)> = Vec::new();
        for (i, (name, start)) in stages.iter().enumerate() {
            let end = stages.get(i + 1).map(|s| s.1).unwrap_or(now);
            let secs = end.duration_since(*start).as_secs_f64();
            match out.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 += secs,
                None => out.push((name, secs)),
            }
        }
        out
    }
}

impl Progress for Bar {
    fn stage(&self, stage: Stage, total: u64) {
        if let Ok(mut s) = self.stages.lock() {
            s.push((stage.as_str(), Instant::now()));
        }
        self.bar.set_length(total.max(1));
        self.bar.set_position(0);
        self.bar.set_message(stage.as_str());
    }

    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
}

/// Writes a file atomically: to a temporary file beside it, then renamed.
pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| -> anyhow::Result<()> {
        let mut f = std::fs::File::create(&tmp)
            .with_context(|| format!("cannot create {}", tmp.display()))?;
        f.write_all(bytes)
            .and_then(|()| f.sync_all())
            .with_context(|| format!("cannot write {}", tmp.display()))?;
        std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn csv_bytes(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(header)?;
    for r in rows {
        w.write_record(&r)?;
    }
    w.into_inner().map_err(|e| anyhow!("{e}"))
}

/// Probabilities as written: six decimals, never 1 for a probability below 1.
pub(crate) fn format_probability(p: f64) -> String {
    let s = format!("{p:.6}");
    if s == "1.000000" && p < 1.0 {
        "0.999999".to_string()
    } else {
        s
    }
}

/// What a run needs, from the command line.
struct Plan<'a> {
    args: &'a CommonArgs,
    fields: Vec<FieldArg>,
    threshold: f64,
}

/// The inputs, the schema and the settings of a run, all checked.
pub(crate) struct Prepared {
    pub inputs: Vec<Input>,
    pub schema: Schema,
    pub settings: Settings,
}

pub fn run(cmd: ResolveCommand) -> anyhow::Result<i32> {
    let (common, files, clusters) = match &cmd {
        ResolveCommand::Dedupe(a) => (&a.common, vec![a.input.clone()], a.clusters.clone()),
        ResolveCommand::Link(a) => (&a.common, vec![a.left.clone(), a.right.clone()], None),
    };
    let lang = lang_of(&common.lang)?;
    let catalog = Catalog::embedded()?;
    let names = NameTables::embedded().map_err(|e| anyhow!("{e}"))?;
    let started = Instant::now();
    let bar = Bar::new();

    let mut problems = Problems::default();
    let fields = parse_fields(&common.fields, &mut problems);
    let threshold = parse_threshold(&common.threshold, &mut problems);
    let plan = Plan {
        args: common,
        fields,
        threshold,
    };
    let prepared = prepare_inputs(&plan, &files, &mut problems, &bar);

    // The data, read; the kinds checked against it.
    let mut dataset = None;
    let mut labels = Vec::new();
    if let Some(p) = &prepared {
        let lens: Vec<(&Input, usize)> = p.inputs.iter().map(|i| (i, i.len())).collect();
        let total: usize = lens.iter().map(|(_, l)| l).sum();
        let linker = Linker::new(names, p.schema.clone(), p.settings.clone());
        let first_len = lens.first().map(|(_, l)| *l).unwrap_or(0);
        let data = linker.prepare(
            total,
            |r, f| match (p.inputs.first(), p.inputs.get(1)) {
                (Some(a), _) if r < first_len => a.text(r, f),
                (_, Some(b)) => b.text(r - first_len, f),
                _ => "",
            },
            &bar,
        );
        check_kinds(&data, &lens, &plan.fields, &mut problems);
        if let (Some(path), Some(left)) = (&common.labels, p.inputs.first()) {
            let right = p.inputs.get(1).map(|r| (r, first_len));
            labels = load_labels(path, left, right, &mut problems);
        }
        dataset = Some(data);
    }
    let model_in = match &common.model {
        Some(path) => load_model(path, prepared.as_ref().map(|p| &p.schema), &mut problems),
        None => None,
    };

    for p in &problems.list {
        bar.bar
            .suspend(|| eprintln!("{}", describe(&catalog, lang, p)));
    }
    let (Some(prepared), Some(data)) = (prepared, dataset) else {
        bar.bar.finish_and_clear();
        eprintln!("{}", catalog.text(lang, "resolve-nothing-written"));
        return Ok(2);
    };
    if problems.has_errors() {
        bar.bar.finish_and_clear();
        eprintln!("{}", catalog.text(lang, "resolve-nothing-written"));
        return Ok(2);
    }

    let mode = match prepared.inputs.as_slice() {
        [left, _] => Mode::Link { left: left.len() },
        _ => Mode::Dedupe,
    };
    let linker = Linker::new(names, prepared.schema.clone(), prepared.settings.clone());
    let outcome = match &model_in {
        Some(m) => linker.run_with_model(&data, mode, m, &bar),
        None => linker.run(&data, mode, &labels, &bar),
    }
    .map_err(|e| anyhow!("{e}"))?;
    bar.stage(Stage::Writing, 0);
    bar.bar.finish_and_clear();

    let ids: Vec<&str> = prepared
        .inputs
        .iter()
        .flat_map(|i| (0..i.len()).map(move |r| i.id(r)))
        .collect();
    let id = |i: u32| ids.get(i as usize).copied().unwrap_or("");
    // Outputs, each written whole or not at all.
    let pairs = csv_bytes(
        &["id_a", "id_b", "probability"],
        outcome.pairs.iter().map(|p| {
            vec![
                id(p.a).to_string(),
                id(p.b).to_string(),
                format_probability(p.probability),
            ]
        }),
    )?;
    write_atomic(&common.out, &pairs)?;
    if let Some(path) = &clusters {
        let rows = outcome
            .clusters
            .cluster_of
            .iter()
            .enumerate()
            .map(|(i, c)| {
                vec![
                    ids.get(i).copied().unwrap_or("").to_string(),
                    id(*c).to_string(),
                ]
            });
        write_atomic(path, &csv_bytes(&["id", "cluster"], rows)?)?;
    }
    if let Some(path) = &common.explain {
        write_atomic(path, &explain_csv(&outcome, &data, &id)?)?;
    }
    if let Some(path) = &common.model_out {
        write_atomic(path, outcome.model.to_json().as_bytes())?;
    }
    print_summary(
        &catalog,
        lang,
        &prepared,
        &outcome,
        common,
        clusters.as_deref(),
        model_in.is_some(),
        started.elapsed().as_secs_f64(),
        &bar.timings(),
    );
    Ok(0)
}

fn prepare_inputs(
    plan: &Plan,
    files: &[PathBuf],
    problems: &mut Problems,
    bar: &Bar,
) -> Option<Prepared> {
    let mut inputs = Vec::new();
    let mut ok = !problems.has_errors();
    for f in files {
        match load(f, &plan.args.id, &plan.fields, problems, &bar.bar) {
            Some(i) => inputs.push(i),
            None => ok = false,
        }
    }
    if !ok || plan.fields.is_empty() {
        return None;
    }
    let schema = Schema::new(
        plan.fields
            .iter()
            .map(|f| FieldSpec::new(f.column.clone(), f.kind))
            .collect(),
    )
    .ok()?;
    let defaults = Settings::default();
    let settings = Settings {
        seed: plan.args.seed,
        threshold: plan.threshold,
        max_block: plan.args.max_block.max(2),
        max_comparisons_per_record: plan.args.comparisons_per_record.max(1),
        threads: plan.args.threads.unwrap_or(defaults.threads).max(1),
        ..defaults
    };
    Some(Prepared {
        inputs,
        schema,
        settings,
    })
}

fn load_model(path: &Path, schema: Option<&Schema>, problems: &mut Problems) -> Option<Model> {
    let file = display_name(path);
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            problems.file(&file, "resolve-cannot-read", &[("detail", e.to_string())]);
            return None;
        }
    };
    match Model::from_json(&text) {
        Ok(m) => {
            if let Some(s) = schema {
                if &m.schema != s {
                    let fields = m
                        .schema
                        .fields()
                        .iter()
                        .map(|f| format!("{}:{}", f.name, f.kind))
                        .collect::<Vec<_>>()
                        .join(", ");
                    problems.file(&file, "resolve-model-fields", &[("fields", fields)]);
                    return None;
                }
            }
            Some(m)
        }
        Err(e) => {
            problems.file(
                &file,
                "resolve-model-unreadable",
                &[("detail", e.to_string())],
            );
            None
        }
    }
}

fn explain_csv<'i>(
    outcome: &Outcome,
    data: &Dataset,
    id: &dyn Fn(u32) -> &'i str,
) -> anyhow::Result<Vec<u8>> {
    let model = &outcome.model;
    let mut header: Vec<String> = vec![
        "id_a".into(),
        "id_b".into(),
        "probability".into(),
        "match_weight".into(),
        "prior_weight".into(),
        "related_adjustment".into(),
    ];
    for f in &model.fields {
        header.push(format!("{}_level", f.field));
        header.push(format!("{}_weight", f.field));
    }
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let rows = outcome.pairs.iter().map(|p| {
        let s = model.score(&data.record(p.a as usize), &data.record(p.b as usize));
        let mut row = vec![
            id(p.a).to_string(),
            id(p.b).to_string(),
            format_probability(s.probability),
            format!("{:.3}", s.match_weight),
            format!("{:.3}", s.prior_weight),
            format!("{:.3}", s.related_adjustment),
        ];
        for f in &s.fields {
            row.push(f.level.clone().unwrap_or_else(|| "missing".into()));
            row.push(format!("{:.3}", f.weight));
        }
        row
    });
    csv_bytes(&header_refs, rows)
}

#[allow(clippy::too_many_arguments)]
fn print_summary(
    catalog: &Catalog,
    lang: Lang,
    prepared: &Prepared,
    outcome: &Outcome,
    args: &CommonArgs,
    clusters: Option<&Path>,
    model_given: bool,
    seconds: f64,
    stages: &[(&str, f64)],
) {
    let t = |k: &str, a: &[(&str, String)]| catalog.text_args(lang, k, a);
    let s = &outcome.stats;
    match prepared.inputs.as_slice() {
        [left, right] => println!(
            "{}",
            t(
                "resolve-summary-records-link",
                &[
                    ("left", left.len().to_string()),
                    ("left_file", left.table.file.clone()),
                    ("right", right.len().to_string()),
                    ("right_file", right.table.file.clone()),
                ]
            )
        ),
        inputs => println!(
            "{}",
            t(
                "resolve-summary-records",
                &[
                    ("records", s.records.to_string()),
                    (
                        "file",
                        inputs
                            .first()
                            .map(|i| i.table.file.clone())
                            .unwrap_or_default()
                    ),
                ]
            )
        ),
    }
    println!(
        "{}",
        t(
            "resolve-summary-comparisons",
            &[("pairs", s.blocking.pairs.to_string())]
        )
    );
    if s.blocking.skipped_keys > 0 {
        println!(
            "{}",
            t(
                "resolve-summary-skipped",
                &[
                    ("keys", s.blocking.skipped_keys.to_string()),
                    ("records", s.blocking.skipped_key_records.to_string()),
                    ("max", s.blocking.max_block.to_string()),
                ]
            )
        );
    }
    println!(
        "{}",
        t(
            "resolve-summary-pairs",
            &[
                ("threshold", prepared.settings.threshold.to_string()),
                ("pairs", s.links.to_string()),
                ("file", args.out.display().to_string()),
            ]
        )
    );
    if let Some(path) = clusters {
        println!(
            "{}",
            t(
                "resolve-summary-clusters",
                &[
                    ("clusters", s.clusters.to_string()),
                    ("largest", s.largest_cluster.to_string()),
                    ("file", path.display().to_string()),
                ]
            )
        );
    }
    if model_given {
        println!(
            "{}",
            t(
                "resolve-summary-model-used",
                &[(
                    "file",
                    args.model
                        .as_ref()
                        .map(|p| p.display().to_string())
                        .unwrap_or_default()
                )]
            )
        );
    } else {
        let converged = if s.em_converged {
            "resolve-summary-converged"
        } else {
            "resolve-summary-not-converged"
        };
        let labels = outcome
            .model
            .training
            .as_ref()
            .map(|tr| tr.labelled_matches + tr.labelled_non_matches)
            .unwrap_or(0);
        println!(
            "{}",
            t(
                "resolve-summary-training",
                &[
                    ("u_pairs", s.u_pairs.to_string()),
                    ("iterations", s.em_iterations.to_string()),
                    ("converged", catalog.text(lang, converged)),
                    ("labels", labels.to_string()),
                ]
            )
        );
    }
    let m = &outcome.model;
    println!(
        "{}",
        t(
            "resolve-summary-lambda",
            &[
                ("lambda", format!("{:.3e}", m.lambda)),
                ("prior", format!("{:.2}", m.prior_weight())),
            ]
        )
    );
    println!("{}", catalog.text(lang, "resolve-summary-weights"));
    let h = |k: &str| catalog.text(lang, k);
    let labels: Vec<String> = m
        .fields
        .iter()
        .map(|f| format!("{} ({})", f.field, f.kind))
        .collect();
    let width = labels
        .iter()
        .map(|l| l.chars().count())
        .chain([h("resolve-column-field").chars().count()])
        .max()
        .unwrap_or(18);
    println!(
        "  {:<width$} {:<20} {:>9} {:>11} {:>8}",
        h("resolve-column-field"),
        h("resolve-column-level"),
        "m",
        "u",
        h("resolve-column-weight")
    );
    for (f, label) in m.fields.iter().zip(&labels) {
        for (i, l) in f.levels.iter().enumerate() {
            let name = if i == 0 { label.as_str() } else { "" };
            println!(
                "  {:<width$} {:<20} {:>9.4} {:>11.3e} {:>8.2}",
                name,
                l.code,
                l.m,
                l.u,
                l.weight()
            );
        }
    }
    if let Some(path) = &args.explain {
        println!(
            "{}",
            t(
                "resolve-summary-explain",
                &[("file", path.display().to_string())]
            )
        );
    }
    if let Some(path) = &args.model_out {
        println!(
            "{}",
            t(
                "resolve-summary-model-out",
                &[("file", path.display().to_string())]
            )
        );
    }
    let per_stage: Vec<String> = stages
        .iter()
        .map(|(name, secs)| format!("{name} {secs:.1}"))
        .collect();
    println!(
        "{}",
        t(
            "resolve-summary-time",
            &[
                ("seconds", format!("{seconds:.1}")),
                ("stages", per_stage.join(", ")),
            ]
        )
    );
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
    fn large_files_are_read_row_by_row_like_small_ones() {
        let text = "\u{feff}id;name;note\r\n1;Asif;\"a; b\"\r\n\r\n2;Bilal;x;extra\r\n3;آصف;\r\n";
        let big = read_large_csv("big.csv", text.as_bytes()).unwrap();
        let small = read_table("big.csv", text.as_bytes()).unwrap();
        assert_eq!(big.headers, small.headers);
        assert_eq!(big.rows, small.rows);
        assert_eq!(
            big.format,
            Format::Csv {
                encoding: TextEncoding::Utf8Bom,
                delimiter: ';'
            }
        );
        let codes: Vec<(Option<usize>, &str)> = big
            .problems
            .iter()
            .map(|p| (p.row, p.code.as_str()))
            .collect();
        assert_eq!(codes, vec![(Some(4), "sheet-ragged-row")]);
    }

    #[test]
    fn large_files_locate_rows_in_another_encoding() {
        let mut bytes = "id,name\n1,آصف\n".as_bytes().to_vec();
        bytes.extend(b"2,Jos\xe9\n3,Ali\n");
        let t = read_large_csv("mixed.csv", &bytes).unwrap();
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.problems.len(), 1);
        assert_eq!(t.problems[0].row, Some(3));
        assert_eq!(t.problems[0].code, "sheet-mixed-encodings");
        // Windows-1252 throughout is read as such.
        let t = read_large_csv("w.csv", b"id,name\n1,Jos\xe9\n").unwrap();
        assert!(t.problems.is_empty());
        assert_eq!(t.rows[0].cells[1], "José");
        // UTF-16, with or without a byte-order mark.
        let utf16: Vec<u8> = "id,name\n1,آصف\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        for bytes in [utf16.clone(), [&[0xFF, 0xFE][..], &utf16].concat()] {
            let t = read_large_csv("u.csv", &bytes).unwrap();
            assert_eq!(t.rows[0].cells, vec!["1".to_string(), "آصف".to_string()]);
        }
        assert!(read_large_csv("e.csv", b"\n\n").is_err());
    }

    #[test]
    fn field_arguments_are_checked_together() {
        let mut p = Problems::default();
        let f = parse_fields(
            &[
                "Name:full_name".into(),
                "Name:text".into(),
                "dob".into(),
                "x:nonsense".into(),
                "a:b:date".into(),
            ],
            &mut p,
        );
        assert_eq!(f.len(), 2);
        assert_eq!(f[1].column, "a:b");
        let codes: Vec<&str> = p.list.iter().map(|x| x.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "resolve-field-twice",
                "resolve-field-syntax",
                "resolve-unknown-kind"
            ]
        );
        assert_eq!(parse_threshold("0.5", &mut p), 0.5);
        assert_eq!(p.list.len(), 3);
        parse_threshold("1", &mut p);
        parse_threshold("abc", &mut p);
        assert_eq!(p.list.len(), 5);
        assert_eq!(format_probability(0.9999999), "0.999999");
        assert_eq!(format_probability(0.5), "0.500000");
    }
}
