//! Writing exports that are safe to open in a spreadsheet: no cell is ever run as a formula.

use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

/// Characters a spreadsheet reads as the start of a formula (OWASP "CSV injection"), with the
/// full-width forms some spreadsheets accept too.
fn is_formula_start(c: char) -> bool {
    matches!(
        c,
        '=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠'
    )
}

/// A cell made inert for CSV: a leading single quote when it would start a formula, also after
/// leading spaces (some spreadsheets trim them before reading the cell).
pub fn neutralise_csv_cell(cell: &str) -> String {
    let first = cell.trim_start_matches(' ').chars().next();
    if first.is_some_and(is_formula_start) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A CSV export: UTF-8 with a byte-order mark (so Excel shows Urdu), CRLF line ends, RFC 4180
/// quoting, and every cell that would start a formula prefixed with a single quote.
pub fn write_csv(headers: &[String], rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * (rows.len() + 1));
    out.extend_from_slice(b"\xEF\xBB\xBF");
    write_csv_row(&mut out, headers);
    for row in rows {
        write_csv_row(&mut out, row);
    }
    out
}

fn write_csv_row(out: &mut Vec<u8>, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let cell = neutralise_csv_cell(cell);
        if cell.contains([',', '"', '\r', '\n', ';', '\t']) {
            out.push(b'"');
            out.extend_from_slice(cell.replace('"', "\"\"").as_bytes());
            out.push(b'"');
        } else {
            out.extend_from_slice(cell.as_bytes());
        }
    }
    out.extend_from_slice(b"\r\n");
}

/// Why an XLSX export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SheetWriteError {
    #[error("{rows} rows do not fit in one worksheet (at most {max})")]
    TooManyRows { rows: usize, max: usize },
    #[error("{columns} columns do not fit in one worksheet (at most {max})")]
    TooManyColumns { columns: usize, max: usize },
    #[error("the workbook could not be written: {0}")]
    Xlsx(#[from] XlsxError),
}

const XLSX_MAX_ROWS: usize = 1_048_576;
const XLSX_MAX_COLUMNS: usize = 16_384;
/// Excel refuses longer strings in a cell.
const XLSX_MAX_CELL_CHARS: usize = 32_767;

/// A worksheet name Excel accepts: at most 31 characters, none of `[]:*?/\`, not empty and not
/// starting or ending with an apostrophe.
fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') {
                '_'
            } else {
                c
            }
        })
        .filter(|c| !c.is_control())
        .take(31)
        .collect();
    let cleaned = cleaned.trim_matches('\'').trim().to_string();
    if cleaned.is_empty() || cleaned.eq_ignore_ascii_case("history") {
        "Sheet1".to_string()
    } else {
        cleaned
    }
}

/// An XLSX export: a bold, frozen header row with an autofilter, columns sized to their text, every
/// cell written as a string (never a formula, whatever it starts with), right to left on request
/// (for Urdu exports).
pub fn write_xlsx(
    sheet_name_wanted: &str,
    headers: &[String],
    rows: &[Vec<String>],
    right_to_left: bool,
) -> Result<Vec<u8>, SheetWriteError> {
    if rows.len() + 1 > XLSX_MAX_ROWS {
        return Err(SheetWriteError::TooManyRows {
            rows: rows.len(),
            max: XLSX_MAX_ROWS - 1,
        });
    }
    let width = rows
        .iter()
        .map(Vec::len)
        .chain([headers.len()])
        .max()
        .unwrap_or(0);
    if width > XLSX_MAX_COLUMNS {
        return Err(SheetWriteError::TooManyColumns {
            columns: width,
            max: XLSX_MAX_COLUMNS,
        });
    }
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.set_name(sheet_name(sheet_name_wanted))?;
    sheet.set_right_to_left(right_to_left);
    let bold = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin);

    let mut widths = vec![0usize; width];
    let mut measure = |col: usize, text: &str| {
        if let Some(w) = widths.get_mut(col) {
            // Characters, not bytes: Urdu letters are two bytes each but one glyph wide.
            *w = (*w).max(text.lines().map(|l| l.chars().count()).max().unwrap_or(0));
        }
    };
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col_num(c), cell_text(h), &bold)?;
        measure(c, h);
    }
    for (r, row) in rows.iter().enumerate() {
        // `rows.len()` was checked against Excel's limit above, so this fits.
        let r = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, v) in row.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            sheet.write_string(r, col_num(c), cell_text(v))?;
            measure(c, v);
        }
    }
    for (c, w) in widths.iter().enumerate() {
        // Room for the autofilter button; wide enough to read, never wider than a screen.
        let chars = (*w + 3).clamp(8, 60);
        sheet.set_column_width(col_num(c), chars as f64)?;
    }
    if !headers.is_empty() {
        sheet.set_freeze_panes(1, 0)?;
        let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
        sheet.autofilter(0, 0, last_row, col_num(headers.len() - 1))?;
    }
    Ok(workbook.save_to_buffer()?)
}

/// A table of counts for a workbook of several sheets (a standard report).
#[derive(Debug, Clone)]
pub struct CountSheet {
    pub name: String,
    /// Lines above the table: the report's title, period and place.
    pub caption: Vec<String>,
    pub headers: Vec<String>,
    /// The row label, then counts.
    pub rows: Vec<(String, Vec<i64>)>,
}

/// A workbook of count tables, one sheet each: the caption, a bold header row, labels as text
/// (never formulas) and counts as numbers, so they can be summed and charted in Excel.
pub fn write_count_workbook(
    sheets: &[CountSheet],
    right_to_left: bool,
) -> Result<Vec<u8>, SheetWriteError> {
    let mut workbook = Workbook::new();
    let bold = Format::new()
        .set_bold()
        .set_border_bottom(FormatBorder::Thin);
    let mut used = std::collections::BTreeSet::new();
    for (i, s) in sheets.iter().enumerate() {
        let sheet = workbook.add_worksheet();
        // Sheet names are unique and at most 31 characters in Excel.
        let mut name = sheet_name(&s.name);
        if !used.insert(name.clone()) {
            name = sheet_name(&format!("{} {}", i + 1, s.name));
            used.insert(name.clone());
        }
        sheet.set_name(name)?;
        sheet.set_right_to_left(right_to_left);
        let mut r: u32 = 0;
        for line in &s.caption {
            sheet.write_string(r, 0, cell_text(line))?;
            r += 1;
        }
        if !s.caption.is_empty() {
            r += 1;
        }
        for (c, h) in s.headers.iter().enumerate() {
            sheet.write_string_with_format(r, col_num(c), cell_text(h), &bold)?;
        }
        let header_row = r;
        for (label, counts) in &s.rows {
            r += 1;
            sheet.write_string(r, 0, cell_text(label))?;
            for (c, n) in counts.iter().enumerate() {
                sheet.write_number(r, col_num(c + 1), *n as f64)?;
            }
        }
        let widest = s
            .rows
            .iter()
            .map(|(l, _)| l.chars().count())
            .chain(s.headers.first().map(|h| h.chars().count()))
            .max()
            .unwrap_or(8);
        sheet.set_column_width(0, (widest + 3).clamp(10, 60) as f64)?;
        sheet.set_freeze_panes(header_row + 1, 1)?;
    }
    if sheets.is_empty() {
        workbook.add_worksheet();
    }
    Ok(workbook.save_to_buffer()?)
}

fn col_num(c: usize) -> u16 {
    // The width was checked against Excel's column limit (16,384), which fits in a u16.
    u16::try_from(c).unwrap_or(u16::MAX)
}

fn cell_text(v: &str) -> String {
    if v.chars().count() > XLSX_MAX_CELL_CHARS {
        v.chars().take(XLSX_MAX_CELL_CHARS).collect()
    } else {
        v.to_string()
    }
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
    fn csv_cells_that_start_formulas_are_neutralised() {
        for (raw, want) in [
            ("=1+2", "'=1+2"),
            ("+923001234567", "'+923001234567"),
            ("-5", "'-5"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("  =cmd", "'  =cmd"),
            ("Asif", "Asif"),
            ("", ""),
        ] {
            assert_eq!(neutralise_csv_cell(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn sheet_names_are_made_acceptable() {
        assert_eq!(sheet_name("Deportees 2025/03"), "Deportees 2025_03");
        assert_eq!(sheet_name(""), "Sheet1");
        assert_eq!(sheet_name("'quoted'"), "quoted");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
    }
}
