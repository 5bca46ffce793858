//! Problems found in a spreadsheet, each located at its file, row and column, with a stable code
//! whose words live in the message catalogue, so the same report reads in English or Urdu.

use nigehban_i18n::{Catalog, Lang};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Whether a problem stops its row (or the file) from being imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The row (or, without a row, the file) cannot be imported.
    Error,
    /// Worth a look; nothing is refused because of it.
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
    /// The message id of the severity's label ("Error", "Warning").
    pub fn label_key(self) -> &'static str {
        match self {
            Severity::Error => "sheet-severity-error",
            Severity::Warning => "sheet-severity-warning",
        }
    }
}

/// One problem, located as precisely as it can be.
///
/// `code` is either a domain [`nigehban_domain::Problem`] code (translated as `problem-<code>`)
/// or a code of this crate, which always starts with `sheet-` and is its own message id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocatedProblem {
    pub file: String,
    /// Row as a spreadsheet shows it: the first line of the file is row 1.
    pub row: Option<usize>,
    /// Column letter as a spreadsheet shows it ("A", "AB").
    pub column: Option<String>,
    /// The column's header as written in the file.
    pub header: Option<String>,
    /// The manifest field the column was mapped to (`passport`, `full_name`...), when it was.
    pub field: Option<String>,
    pub severity: Severity,
    pub code: String,
    /// Named values for the message.
    pub args: BTreeMap<String, String>,
}

/// The letters a spreadsheet shows for a zero-based column index: 0 is "A", 26 is "AA".
pub fn column_letter(index: usize) -> String {
    let mut n = index + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        // `rem` is below 26, so this is always an upper-case ASCII letter.
        out.push(char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

impl LocatedProblem {
    /// A problem with the whole file.
    pub fn file(file: &str, severity: Severity, code: &str) -> Self {
        LocatedProblem {
            file: file.to_string(),
            row: None,
            column: None,
            header: None,
            field: None,
            severity,
            code: code.to_string(),
            args: BTreeMap::new(),
        }
    }

    /// A problem with one row.
    pub fn row(file: &str, row: usize, severity: Severity, code: &str) -> Self {
        LocatedProblem {
            row: Some(row),
            ..Self::file(file, severity, code)
        }
    }

    /// Locate at a column (zero-based index) with its header.
    pub fn at_column(mut self, index: usize, header: &str) -> Self {
        self.column = Some(column_letter(index));
        self.header = Some(header.to_string());
        self
    }

    pub fn with_field(mut self, field: &str) -> Self {
        self.field = Some(field.to_string());
        self
    }

    pub fn arg(mut self, key: &str, value: impl Into<String>) -> Self {
        self.args.insert(key.to_string(), value.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The message id in the catalogue.
    pub fn message_key(&self) -> String {
        if self.code.starts_with("sheet-") {
            self.code.clone()
        } else {
            format!("problem-{}", self.code)
        }
    }

    /// The problem in words, without its location.
    pub fn message(&self, catalog: &Catalog, lang: Lang) -> String {
        let args: Vec<(&str, String)> = self
            .args
            .iter()
            .map(|(k, v)| {
                // A field code is shown by its label, in the reader's language.
                let v = if k == "field" {
                    catalog.text(lang, &format!("sheet-field-{}", v.replace('_', "-")))
                } else {
                    v.clone()
                };
                (k.as_str(), v)
            })
            .collect();
        catalog.text_args(lang, &self.message_key(), &args)
    }

    /// The problem with its location, e.g. "manifest.csv, row 7, column D (Passport No): Not a
    /// passport number (...)". The location words are translated too.
    pub fn describe(&self, catalog: &Catalog, lang: Lang) -> String {
        let message = self.message(catalog, lang);
        let header = match self.header.as_deref() {
            Some(h) if !h.trim().is_empty() => h.to_string(),
            _ => catalog.text(lang, "sheet-unnamed-header"),
        };
        let mut args = vec![("file", self.file.clone()), ("message", message)];
        let key = match (self.row, &self.column) {
            (Some(row), Some(col)) => {
                args.push(("row", row.to_string()));
                args.push(("column", col.clone()));
                args.push(("header", header));
                "sheet-located-cell"
            }
            (Some(row), None) => {
                args.push(("row", row.to_string()));
                "sheet-located-row"
            }
            (None, Some(col)) => {
                args.push(("column", col.clone()));
                args.push(("header", header));
                "sheet-located-column"
            }
            (None, None) => "sheet-located-file",
        };
        catalog.text_args(lang, key, &args)
    }
}

impl fmt::Display for LocatedProblem {
    /// A language-neutral form for logs: location, severity and code with its arguments.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        if let Some(r) = self.row {
            write!(f, ":{r}")?;
        }
        if let Some(c) = &self.column {
            write!(f, ":{c}")?;
        }
        write!(f, ": {} {}", self.severity.as_str(), self.code)?;
        for (k, v) in &self.args {
            write!(f, " {k}={v}")?;
        }
        Ok(())
    }
}

/// A file that cannot be imported at all: unreadable, not a table, or without the columns a
/// manifest needs. Every reason is listed, each located as precisely as it can be.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{file} cannot be imported: {}", .problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
pub struct SheetFailure {
    pub file: String,
    pub problems: Vec<LocatedProblem>,
}

impl SheetFailure {
    pub fn one(problem: LocatedProblem) -> Self {
        SheetFailure {
            file: problem.file.clone(),
            problems: vec![problem],
        }
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
    fn column_letters_follow_spreadsheets() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(3), "D");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn message_keys_distinguish_domain_and_sheet_codes() {
        let p = LocatedProblem::file("a.csv", Severity::Error, "passport-format");
        assert_eq!(p.message_key(), "problem-passport-format");
        let p = LocatedProblem::file("a.csv", Severity::Error, "sheet-empty-file");
        assert_eq!(p.message_key(), "sheet-empty-file");
    }

    #[test]
    fn display_is_compact() {
        let p = LocatedProblem::row("m.csv", 7, Severity::Error, "passport-format")
            .at_column(3, "Passport No")
            .arg("value", "X1");
        assert_eq!(p.to_string(), "m.csv:7:D: error passport-format value=X1");
    }
}
