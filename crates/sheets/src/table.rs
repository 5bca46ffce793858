//! Reading a file into a table of text cells: CSV in whatever encoding and delimiter it came in,
//! or the first worksheet with data of a workbook (XLSX, and the older XLS and OpenDocument ODS).
//!
//! Row numbers are always those a spreadsheet shows (the file's first line is row 1), counting
//! empty rows and never counting a line break inside a quoted cell, so a problem reported at
//! "row 7" is found at row 7 when the officer opens the file.

use crate::problem::{column_letter, LocatedProblem, Severity, SheetFailure};
use calamine::{Data, Reader, SheetType, SheetVisible};
use nigehban_i18n::{Catalog, Lang};
use serde::{Deserialize, Serialize};
use std::io::Cursor;

/// Data rows read from one file at most. Manifests run to tens of thousands of rows; a file far
/// larger is an export of something else, and would hold the importing request for too long.
pub const MAX_ROWS: usize = 100_000;

/// How many leading rows are searched for the header row (rows above it are titles or notes).
const HEADER_SEARCH_ROWS: usize = 10;

/// The character encoding a text file was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TextEncoding {
    #[serde(rename = "utf-8")]
    Utf8,
    /// UTF-8 with a byte-order mark (what Excel writes for "CSV UTF-8").
    #[serde(rename = "utf-8-bom")]
    Utf8Bom,
    #[serde(rename = "utf-16le")]
    Utf16Le,
    #[serde(rename = "utf-16be")]
    Utf16Be,
    #[serde(rename = "windows-1252")]
    Windows1252,
}

impl TextEncoding {
    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf8Bom => "utf-8-bom",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Windows1252 => "windows-1252",
        }
    }

    /// The encoding's usual name, for people.
    pub fn label(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (BOM)",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Windows1252 => "Windows-1252",
        }
    }
}

/// What kind of file a table came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Format {
    Csv {
        encoding: TextEncoding,
        delimiter: char,
    },
    Xlsx {
        sheet: String,
    },
    /// The binary Excel 97-2003 format, still sent by some offices.
    Xls {
        sheet: String,
    },
    /// OpenDocument (LibreOffice).
    Ods {
        sheet: String,
    },
}

impl Format {
    /// Whether the table came from a workbook, whose numbers may be Excel date serials.
    pub fn is_workbook(&self) -> bool {
        !matches!(self, Format::Csv { .. })
    }

    /// How the file was read, in words ("CSV file, UTF-8, separated by semicolons").
    pub fn describe(&self, catalog: &Catalog, lang: Lang) -> String {
        match self {
            Format::Csv {
                encoding,
                delimiter,
            } => {
                let d = match delimiter {
                    ';' => "sheet-delimiter-semicolon",
                    '\t' => "sheet-delimiter-tab",
                    '|' => "sheet-delimiter-pipe",
                    _ => "sheet-delimiter-comma",
                };
                catalog.text_args(
                    lang,
                    "sheet-format-csv",
                    &[
                        ("encoding", encoding.label().to_string()),
                        ("delimiter", catalog.text(lang, d)),
                    ],
                )
            }
            Format::Xlsx { sheet } => {
                catalog.text_args(lang, "sheet-format-xlsx", &[("sheet", sheet.clone())])
            }
            Format::Xls { sheet } => {
                catalog.text_args(lang, "sheet-format-xls", &[("sheet", sheet.clone())])
            }
            Format::Ods { sheet } => {
                catalog.text_args(lang, "sheet-format-ods", &[("sheet", sheet.clone())])
            }
        }
    }
}

/// One non-empty row below the header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableRow {
    /// Row as a spreadsheet shows it (the first line of the file is row 1).
    pub number: usize,
    /// Trimmed cells, exactly one per header (padded with empty cells when the row was short).
    pub cells: Vec<String>,
}

/// A file read as a table of text cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    pub file: String,
    pub format: Format,
    /// Row number of the header row.
    pub header_row: usize,
    /// Trimmed header cells; trailing empty headers are dropped unless a row has values there.
    pub headers: Vec<String>,
    pub rows: Vec<TableRow>,
    /// Problems found while reading (rows above the header, rows in another encoding, rows with
    /// more cells than the header). A row with an `Error` here must not be imported.
    pub problems: Vec<LocatedProblem>,
}

impl Table {
    /// Row numbers that reading already found unusable.
    pub fn rejected_rows(&self) -> std::collections::BTreeSet<usize> {
        self.problems
            .iter()
            .filter(|p| p.is_error())
            .filter_map(|p| p.row)
            .collect()
    }
}

/// Read a CSV or spreadsheet file. `file_name` is only used to name the file in problems.
///
/// Workbooks are recognised by content (ZIP or OLE signature), not by name; everything else is
/// read as delimited text. A file that cannot be read at all is a [`SheetFailure`]; problems with
/// single rows are kept in [`Table::problems`].
pub fn read_table(file_name: &str, bytes: &[u8]) -> Result<Table, SheetFailure> {
    let fail =
        |code: &str| SheetFailure::one(LocatedProblem::file(file_name, Severity::Error, code));
    if bytes.iter().all(|b| b.is_ascii_whitespace())
        || bytes == b"\xEF\xBB\xBF"
        || bytes == b"\xFF\xFE"
        || bytes == b"\xFE\xFF"
    {
        return Err(fail("sheet-empty-file"));
    }
    match sniff_kind(bytes) {
        Kind::Zip => read_zip_workbook(file_name, bytes),
        Kind::Ole => read_ole_workbook(file_name, bytes),
        Kind::Other(kind) => Err(SheetFailure::one(
            LocatedProblem::file(file_name, Severity::Error, "sheet-not-a-table").arg("kind", kind),
        )),
        Kind::Text => read_text(file_name, bytes),
    }
}

enum Kind {
    Zip,
    Ole,
    Other(&'static str),
    Text,
}

fn sniff_kind(bytes: &[u8]) -> Kind {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF", "PDF"),
        (b"\x89PNG", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"II*\x00", "TIFF image"),
        (b"MM\x00*", "TIFF image"),
        (b"Rar!", "RAR archive"),
        (b"\x1F\x8B", "gzip archive"),
        (b"7z\xBC\xAF", "7-Zip archive"),
        (b"{\\rtf", "RTF document"),
    ];
    if bytes.starts_with(b"PK\x03\x04") {
        return Kind::Zip;
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1") {
        return Kind::Ole;
    }
    for (sig, kind) in SIGNATURES {
        if bytes.starts_with(sig) {
            return Kind::Other(kind);
        }
    }
    Kind::Text
}

// ---------------------------------------------------------------------------------------------
// Text files
// ---------------------------------------------------------------------------------------------

/// A row as split from the bytes, before decoding.
struct RawRow {
    number: usize,
    cells: Vec<Vec<u8>>,
}

/// A row of decoded (not yet trimmed) cells, with its spreadsheet row number.
struct GridRow {
    number: usize,
    cells: Vec<String>,
}

fn read_text(file: &str, bytes: &[u8]) -> Result<Table, SheetFailure> {
    let utf16 = if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        Some((TextEncoding::Utf16Le, encoding_rs::UTF_16LE, rest))
    } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        Some((TextEncoding::Utf16Be, encoding_rs::UTF_16BE, rest))
    } else {
        match sniff_utf16(bytes) {
            Some(TextEncoding::Utf16Be) => {
                Some((TextEncoding::Utf16Be, encoding_rs::UTF_16BE, bytes))
            }
            Some(_) => Some((TextEncoding::Utf16Le, encoding_rs::UTF_16LE, bytes)),
            None => None,
        }
    };
    if let Some((label, enc, rest)) = utf16 {
        let (text, _) = enc.decode_without_bom_handling(rest);
        let (grid, delimiter) = split_rows(file, text.as_bytes())?;
        let mut problems = Vec::new();
        let mut rows = Vec::with_capacity(grid.len());
        for raw in grid {
            let cells: Vec<String> = raw
                .cells
                .iter()
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            // Malformed UTF-16 decodes to U+FFFD: locate the rows it spoiled.
            if cells.iter().any(|c| c.contains('\u{FFFD}')) {
                problems.push(
                    LocatedProblem::row(file, raw.number, Severity::Error, "sheet-invalid-text")
                        .arg("encoding", label.as_str()),
                );
            }
            rows.push(GridRow {
                number: raw.number,
                cells,
            });
        }
        let format = Format::Csv {
            encoding: label,
            delimiter: char::from(delimiter),
        };
        return build_table(file, format, rows, problems);
    }

    let (has_bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    if body.contains(&0) {
        return Err(SheetFailure::one(
            LocatedProblem::file(file, Severity::Error, "sheet-not-a-table")
                .arg("kind", "binary data"),
        ));
    }
    let (raw_rows, delimiter) = split_rows(file, body)?;

    // Classify rows: valid UTF-8 with non-ASCII letters, not UTF-8 at all, or plain ASCII.
    let mut utf8_rows = 0usize;
    let mut bad_rows = Vec::new();
    for raw in &raw_rows {
        let mut any_non_ascii = false;
        let mut valid = true;
        for c in &raw.cells {
            if !c.is_ascii() {
                any_non_ascii = true;
                if std::str::from_utf8(c).is_err() {
                    valid = false;
                }
            }
        }
        if !valid {
            bad_rows.push(raw.number);
        } else if any_non_ascii {
            utf8_rows += 1;
        }
    }
    let mixed = utf8_rows > 0 && !bad_rows.is_empty();
    let encoding = if !bad_rows.is_empty() && !mixed {
        TextEncoding::Windows1252
    } else if has_bom {
        TextEncoding::Utf8Bom
    } else {
        TextEncoding::Utf8
    };
    let mut problems = Vec::new();
    if mixed {
        for row in &bad_rows {
            problems.push(LocatedProblem::row(
                file,
                *row,
                Severity::Error,
                "sheet-mixed-encodings",
            ));
        }
    }
    let rows = raw_rows
        .into_iter()
        .map(|raw| GridRow {
            number: raw.number,
            cells: raw
                .cells
                .iter()
                .map(|c| match std::str::from_utf8(c) {
                    Ok(s) => s.to_string(),
                    // Windows-1252 maps every byte, so this never fails; in a mixed file the row
                    // is already reported and the text is kept only to show it.
                    Err(_) => encoding_rs::WINDOWS_1252
                        .decode_without_bom_handling(c)
                        .0
                        .into_owned(),
                })
                .collect(),
        })
        .collect();
    let format = Format::Csv {
        encoding,
        delimiter: char::from(delimiter),
    };
    build_table(file, format, rows, problems)
}

/// UTF-16 without a byte-order mark, recognised by the NUL high (or low) bytes of the ASCII
/// characters every table has: delimiters, digits, line ends.
fn sniff_utf16(bytes: &[u8]) -> Option<TextEncoding> {
    let sample = bytes.get(..bytes.len().min(4096)).unwrap_or(bytes);
    let mut pairs = 0usize;
    let mut low_nul = 0usize; // second byte NUL: little-endian ASCII
    let mut high_nul = 0usize; // first byte NUL: big-endian ASCII
    for pair in sample.chunks_exact(2) {
        if let [a, b] = pair {
            pairs += 1;
            if *b == 0 && *a != 0 {
                low_nul += 1;
            }
            if *a == 0 && *b != 0 {
                high_nul += 1;
            }
        }
    }
    if pairs < 2 {
        return None;
    }
    if low_nul * 5 >= pairs && high_nul * 20 < pairs {
        Some(TextEncoding::Utf16Le)
    } else if high_nul * 5 >= pairs && low_nul * 20 < pairs {
        Some(TextEncoding::Utf16Be)
    } else {
        None
    }
}

/// Pick the delimiter from the first non-empty line: the candidate occurring most often outside
/// quotes (comma on a tie or when none occurs, as in a one-column list).
pub fn sniff_delimiter(body: &[u8]) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    let line = body
        .split(|b| *b == b'\n' || *b == b'\r')
        .find(|l| !l.iter().all(u8::is_ascii_whitespace))
        .unwrap_or(&[]);
    let mut counts = [0usize; 4];
    let mut in_quotes = false;
    for b in line {
        if *b == b'"' {
            in_quotes = !in_quotes;
        } else if !in_quotes {
            for (i, c) in CANDIDATES.iter().enumerate() {
                if b == c {
                    if let Some(n) = counts.get_mut(i) {
                        *n += 1;
                    }
                }
            }
        }
    }
    let mut best = b',';
    let mut best_count = 0;
    for (c, n) in CANDIDATES.iter().zip(counts) {
        if n > best_count {
            best = *c;
            best_count = n;
        }
    }
    best
}

/// Split delimited text into rows of byte cells, as a spreadsheet opens it: RFC 4180 quoting
/// (`""` inside quotes is one quote, line breaks inside quotes stay in the cell), rows ended by
/// LF, CRLF or CR. The bytes are UTF-8 or an 8-bit encoding; either way the delimiters, quotes
/// and line ends are the ASCII bytes, which never occur inside a multi-byte UTF-8 character.
fn split_rows(file: &str, body: &[u8]) -> Result<(Vec<RawRow>, u8), SheetFailure> {
    let delimiter = sniff_delimiter(body);
    let mut rows = Vec::new();
    for_each_row(body, delimiter, |number, cells| {
        rows.push(RawRow {
            number,
            cells: cells.to_vec(),
        })
    })
    .map_err(|quote_row| {
        SheetFailure::one(LocatedProblem::row(
            file,
            quote_row,
            Severity::Error,
            "sheet-unclosed-quote",
        ))
    })?;
    Ok((rows, delimiter))
}

/// The splitting of [`read_table`], streamed: each row's byte cells are given to `row` with its
/// number as a spreadsheet shows it, without holding the whole file's rows (for lists too long
/// to read at once). `Err(row)` when a quote opened on that row is never closed.
pub fn for_each_row(
    body: &[u8],
    delimiter: u8,
    mut row: impl FnMut(usize, &[Vec<u8>]),
) -> Result<(), usize> {
    let mut cells: Vec<Vec<u8>> = Vec::new();
    let mut field: Vec<u8> = Vec::new();
    let mut number = 1usize;
    let mut in_quotes = false;
    let mut quote_row = 0usize;
    let mut field_start = true;
    let mut iter = body.iter().copied().peekable();
    while let Some(b) = iter.next() {
        if in_quotes {
            if b == b'"' {
                if iter.peek() == Some(&b'"') {
                    field.push(b'"');
                    iter.next();
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(b);
            }
            continue;
        }
        match b {
            b'"' if field_start => {
                in_quotes = true;
                quote_row = number;
                field_start = false;
            }
            b'\r' | b'\n' => {
                if b == b'\r' && iter.peek() == Some(&b'\n') {
                    iter.next();
                }
                cells.push(std::mem::take(&mut field));
                row(number, &cells);
                cells.clear();
                number += 1;
                field_start = true;
            }
            _ if b == delimiter => {
                cells.push(std::mem::take(&mut field));
                field_start = true;
            }
            _ => {
                field.push(b);
                field_start = false;
            }
        }
    }
    if in_quotes {
        return Err(quote_row);
    }
    if !field.is_empty() || !cells.is_empty() || !field_start {
        cells.push(field);
        row(number, &cells);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Workbooks
// ---------------------------------------------------------------------------------------------

fn read_zip_workbook(file: &str, bytes: &[u8]) -> Result<Table, SheetFailure> {
    let xlsx_err = match calamine::Xlsx::new(Cursor::new(bytes)) {
        Ok(wb) => return from_workbook(file, wb, |sheet| Format::Xlsx { sheet }),
        Err(e) => e.to_string(),
    };
    if let Ok(wb) = calamine::Ods::new(Cursor::new(bytes)) {
        return from_workbook(file, wb, |sheet| Format::Ods { sheet });
    }
    // File names stand unencoded in a ZIP's headers: an Excel workbook names its parts `xl/...`.
    if contains(bytes, b"xl/workbook") {
        Err(SheetFailure::one(
            LocatedProblem::file(file, Severity::Error, "sheet-unreadable").arg("detail", xlsx_err),
        ))
    } else {
        let kind = if contains(bytes, b"word/") {
            "Word document"
        } else {
            "ZIP archive"
        };
        Err(SheetFailure::one(
            LocatedProblem::file(file, Severity::Error, "sheet-not-a-table").arg("kind", kind),
        ))
    }
}

fn read_ole_workbook(file: &str, bytes: &[u8]) -> Result<Table, SheetFailure> {
    // A password-protected XLSX is an OLE container holding an `EncryptionInfo` stream.
    let encryption_info: Vec<u8> = "EncryptionInfo"
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    if contains(bytes, &encryption_info) {
        return Err(SheetFailure::one(LocatedProblem::file(
            file,
            Severity::Error,
            "sheet-encrypted",
        )));
    }
    match calamine::Xls::new(Cursor::new(bytes)) {
        Ok(wb) => from_workbook(file, wb, |sheet| Format::Xls { sheet }),
        Err(e) => Err(SheetFailure::one(
            LocatedProblem::file(file, Severity::Error, "sheet-unreadable")
                .arg("detail", e.to_string()),
        )),
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

fn from_workbook<R, RS>(
    file: &str,
    mut wb: R,
    format: impl Fn(String) -> Format,
) -> Result<Table, SheetFailure>
where
    RS: std::io::Read + std::io::Seek,
    R: Reader<RS>,
    R::Error: std::fmt::Display,
{
    // Worksheets in workbook order, visible ones first: hidden sheets are a last resort.
    let mut names: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.typ == SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    names.sort_by_key(|(_, visible)| !visible);

    let mut chosen: Option<(String, Vec<GridRow>)> = None;
    let mut others = Vec::new();
    let mut last_error = None;
    for (name, _) in names {
        let range = match wb.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                last_error = Some(e.to_string());
                continue;
            }
        };
        if range
            .used_cells()
            .all(|(_, _, d)| cell_text(d).trim().is_empty())
        {
            continue;
        }
        if chosen.is_some() {
            others.push(name);
            continue;
        }
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut grid = Vec::with_capacity(range.height());
        for (i, row) in range.rows().enumerate() {
            let mut cells = vec![String::new(); c0 as usize];
            cells.extend(row.iter().map(cell_text));
            grid.push(GridRow {
                number: r0 as usize + i + 1,
                cells,
            });
        }
        chosen = Some((name, grid));
    }
    let Some((sheet, grid)) = chosen else {
        let p = match last_error {
            Some(detail) => LocatedProblem::file(file, Severity::Error, "sheet-unreadable")
                .arg("detail", detail),
            None => LocatedProblem::file(file, Severity::Error, "sheet-no-sheet"),
        };
        return Err(SheetFailure::one(p));
    };
    let mut problems = Vec::new();
    if !others.is_empty() {
        problems.push(
            LocatedProblem::file(file, Severity::Warning, "sheet-other-sheets")
                .arg("sheet", sheet.clone())
                .arg("others", others.join(", ")),
        );
    }
    build_table(file, format(sheet), grid, problems)
}

/// A workbook cell as the text a person sees: whole numbers without ".0" or an exponent (so a
/// CNIC typed as a number stays 13 digits), dates as ISO `YYYY-MM-DD`.
pub(crate) fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => format_number(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => {
            if dt.is_duration() {
                return format_number(dt.as_f64());
            }
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            if dt.as_f64() < 1.0 {
                format!("{h:02}:{mi:02}:{s:02}")
            } else if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTimeIso(s) => s.strip_suffix("T00:00:00").unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

fn format_number(f: f64) -> String {
    // Whole numbers below 2^53 are exact in an f64 and print as integers.
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 9_007_199_254_740_992.0 {
        format!("{}", f as i64)
    } else {
        // Rust prints the shortest text that reads back to the same number, never an exponent.
        format!("{f}")
    }
}

// ---------------------------------------------------------------------------------------------
// From a grid of cells to a table
// ---------------------------------------------------------------------------------------------

fn clean(cell: &str) -> String {
    cell.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{FEFF}' | '\u{200B}'))
        .to_string()
}

fn build_table(
    file: &str,
    format: Format,
    grid: Vec<GridRow>,
    mut problems: Vec<LocatedProblem>,
) -> Result<Table, SheetFailure> {
    let mut rows: Vec<GridRow> = grid
        .into_iter()
        .map(|r| GridRow {
            number: r.number,
            cells: r.cells.iter().map(|c| clean(c)).collect(),
        })
        .filter(|r| r.cells.iter().any(|c| !c.is_empty()))
        .collect();
    if rows.is_empty() {
        return Err(SheetFailure::one(LocatedProblem::file(
            file,
            Severity::Error,
            "sheet-no-header",
        )));
    }

    // The header is the first row about as wide as the widest of the leading rows; narrower
    // rows above it are titles ("Deportees from Muscat, 12 March").
    let filled = |r: &GridRow| r.cells.iter().filter(|c| !c.is_empty()).count();
    let widest = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .map(filled)
        .max()
        .unwrap_or(0);
    let header_idx = rows
        .iter()
        .take(HEADER_SEARCH_ROWS)
        .position(|r| filled(r) * 2 >= widest)
        .unwrap_or(0);
    let rest = rows.split_off(header_idx + 1);
    let Some(header) = rows.pop() else {
        return Err(SheetFailure::one(LocatedProblem::file(
            file,
            Severity::Error,
            "sheet-no-header",
        )));
    };
    if !rows.is_empty() {
        let skipped: Vec<String> = rows.iter().map(|r| r.number.to_string()).collect();
        problems.push(
            LocatedProblem::file(file, Severity::Warning, "sheet-rows-above-header")
                .arg("rows", skipped.join(", ")),
        );
    }
    // A problem on the header row (a different encoding) spoils every column name.
    if let Some(p) = problems
        .iter()
        .find(|p| p.is_error() && p.row == Some(header.number))
    {
        return Err(SheetFailure::one(p.clone()));
    }

    // The header row's cells as read: a row longer than that is ragged. Columns without a
    // header are kept while any row has a value in them (mapping warns about those).
    let mut headers = header.cells;
    let width = headers.len();
    if rest.len() > MAX_ROWS {
        return Err(SheetFailure::one(
            LocatedProblem::file(file, Severity::Error, "sheet-too-large")
                .arg("max", MAX_ROWS.to_string())
                .arg("rows", rest.len().to_string()),
        ));
    }

    let mut out = Vec::with_capacity(rest.len());
    for mut r in rest {
        if r.cells.len() > width {
            let last_filled = r.cells.iter().rposition(|c| !c.is_empty()).unwrap_or(0);
            if last_filled >= width {
                problems.push(
                    LocatedProblem::row(file, r.number, Severity::Error, "sheet-ragged-row")
                        .arg("found", (last_filled + 1).to_string())
                        .arg("expected", width.to_string())
                        .arg("from", column_letter(width)),
                );
            }
            r.cells.truncate(width);
        }
        r.cells.resize(width, String::new());
        out.push(TableRow {
            number: r.number,
            cells: r.cells,
        });
    }
    while headers.last().is_some_and(|h| h.is_empty()) {
        let col = headers.len() - 1;
        if out
            .iter()
            .any(|r| r.cells.get(col).is_some_and(|c| !c.is_empty()))
        {
            break;
        }
        headers.pop();
        for r in &mut out {
            r.cells.truncate(col);
        }
    }
    problems.sort_by_key(|p| (p.row.is_some(), p.row));
    Ok(Table {
        file: file.to_string(),
        format,
        header_row: header.number,
        headers,
        rows: out,
        problems,
    })
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

    fn rows(t: &Table) -> Vec<(usize, Vec<&str>)> {
        t.rows
            .iter()
            .map(|r| (r.number, r.cells.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn quoted_cells_keep_delimiters_quotes_and_line_breaks() {
        let t = read_table(
            "q.csv",
            b"Name,Remarks\r\n\"Khan, Asif\",\"said \"\"no\"\"\"\r\n\"Ali\",\"two\r\nlines\"\r\nZahid,x\r\n",
        )
        .unwrap();
        assert_eq!(
            rows(&t),
            vec![
                (2, vec!["Khan, Asif", "said \"no\""]),
                (3, vec!["Ali", "two\r\nlines"]),
                // The line break inside quotes does not start a row, as in a spreadsheet.
                (4, vec!["Zahid", "x"]),
            ]
        );
    }

    #[test]
    fn empty_rows_are_skipped_but_counted() {
        let t = read_table("e.csv", b"Name;Age\n\n;\nAsif;30\r\rBilal;40").unwrap();
        assert_eq!(
            t.format,
            Format::Csv {
                encoding: TextEncoding::Utf8,
                delimiter: ';'
            }
        );
        assert_eq!(
            rows(&t),
            vec![(4, vec!["Asif", "30"]), (6, vec!["Bilal", "40"])]
        );
    }

    #[test]
    fn delimiters_are_sniffed_from_the_header() {
        for (d, text) in [
            ('\t', "Name\tPassport No\tDOB\nA\tB\tC\n"),
            ('|', "Name|Passport No|DOB\nA|B|C\n"),
            (',', "\"Name; full\",Passport\nA,B\n"),
            (',', "Name\nAsif\n"),
        ] {
            let t = read_table("d.csv", text.as_bytes()).unwrap();
            assert_eq!(
                t.format,
                Format::Csv {
                    encoding: TextEncoding::Utf8,
                    delimiter: d
                },
                "{text}"
            );
        }
    }

    #[test]
    fn unclosed_quote_is_located_where_it_opened() {
        let err = read_table(
            "u.csv",
            b"Name,Remarks\nAsif,ok\nBilal,\"never closed\nZahid,x\n",
        )
        .unwrap_err();
        assert_eq!(err.problems[0].code, "sheet-unclosed-quote");
        assert_eq!(err.problems[0].row, Some(3));
    }

    #[test]
    fn title_rows_above_the_header_are_skipped_with_a_warning() {
        let t = read_table(
            "t.csv",
            b"Embassy of Pakistan Muscat,,\nList of deportees,,\n\nName,Passport No,DOB\nAsif,AB1234567,01/01/1990\n",
        )
        .unwrap();
        assert_eq!(t.header_row, 4);
        assert_eq!(t.headers, vec!["Name", "Passport No", "DOB"]);
        assert_eq!(t.problems[0].code, "sheet-rows-above-header");
        assert_eq!(t.problems[0].args["rows"], "1, 2");
        assert_eq!(rows(&t), vec![(5, vec!["Asif", "AB1234567", "01/01/1990"])]);
    }

    #[test]
    fn utf16_without_bom_is_recognised() {
        let text = "Name,City\nمحمد آصف,Sialkot\n";
        let le: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        let be: Vec<u8> = text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        let t = read_table("le.csv", &le).unwrap();
        assert_eq!(
            t.format,
            Format::Csv {
                encoding: TextEncoding::Utf16Le,
                delimiter: ','
            }
        );
        assert_eq!(t.rows[0].cells, vec!["محمد آصف", "Sialkot"]);
        let t = read_table("be.csv", &be).unwrap();
        assert_eq!(
            t.format,
            Format::Csv {
                encoding: TextEncoding::Utf16Be,
                delimiter: ','
            }
        );
        assert_eq!(t.rows[0].cells[0], "محمد آصف");
    }

    #[test]
    fn numbers_print_as_people_see_them() {
        assert_eq!(cell_text(&Data::Float(3520212345671.0)), "3520212345671");
        assert_eq!(cell_text(&Data::Float(34.0)), "34");
        assert_eq!(cell_text(&Data::Float(1.5)), "1.5");
        assert_eq!(cell_text(&Data::Int(-7)), "-7");
        assert_eq!(cell_text(&Data::Bool(true)), "TRUE");
    }

    #[test]
    fn other_files_are_named() {
        let err = read_table("scan.pdf", b"%PDF-1.7\n...").unwrap_err();
        assert_eq!(err.problems[0].code, "sheet-not-a-table");
        assert_eq!(err.problems[0].args["kind"], "PDF");
        let err = read_table("x.csv", b"Name,\x00\x00\x01\x02binary\x00\xff\xfe").unwrap_err();
        assert_eq!(err.problems[0].code, "sheet-not-a-table");
        let err = read_table("empty.csv", b" \r\n ").unwrap_err();
        assert_eq!(err.problems[0].code, "sheet-empty-file");
        let err = read_table("bom.csv", b"\xEF\xBB\xBF").unwrap_err();
        assert_eq!(err.problems[0].code, "sheet-empty-file");
        let err = read_table("commas.csv", b",,,\n,,\n").unwrap_err();
        assert_eq!(err.problems[0].code, "sheet-no-header");
        let err = read_table("junk.xlsx", b"PK\x03\x04 not really a zip").unwrap_err();
        assert_eq!(err.problems[0].code, "sheet-not-a-table");
    }
}
