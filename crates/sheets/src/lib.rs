//! Spreadsheets in and out.
//!
//! In: the passenger and deportee lists that foreign authorities send, as CSV (any delimiter;
//! UTF-8 with or without BOM, UTF-16, Windows-1252) or as workbooks (XLSX, XLS, ODS).
//! [`read_table`] turns a file into rows of text cells with the row numbers a spreadsheet shows;
//! [`parse_manifest`] maps the columns by their headers (synonyms in English, Arabic, Urdu,
//! Persian, Turkish and Greek, from `data/manifest_columns.toml`), builds the domain's
//! `PersonInput` from every row, validates it, and reports every problem located at file, row and
//! column ([`LocatedProblem`], in English or Urdu through the message catalogue). Whether an
//! import commits the valid rows or nothing is the caller's choice ([`CommitPolicy`]); the report
//! always lists every rejected row.
//!
//! Out: [`write_csv`] and [`write_xlsx`] write exports no spreadsheet will run as formulas.
//!
//! No IO: bytes in, bytes out. Validation takes "today" as a parameter, as in the domain.

mod columns;
mod manifest;
mod problem;
mod table;
mod text;
mod values;
mod write;

pub use columns::{column_spec, ColumnSpec, FieldSpec, ManifestField, MappedColumn};
pub use manifest::{
    check_embedded_data, parse_manifest, parse_manifest_table, CommitPolicy, ManifestExtras,
    ManifestReport, ManifestRow,
};
pub use problem::{column_letter, LocatedProblem, Severity, SheetFailure};
pub use table::{
    for_each_row, read_table, sniff_delimiter, Format, Table, TableRow, TextEncoding, MAX_ROWS,
};
pub use values::{excel_serial, parse_sheet_date};
pub use write::{
    neutralise_csv_cell, write_count_workbook, write_csv, write_xlsx, CountSheet, SheetWriteError,
};
