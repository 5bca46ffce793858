//! Shared helpers of the integration tests: reference data, a fixed "today", the catalogue, the
//! committed fixtures, and a compact view of located problems for exact assertions.
#![allow(dead_code)]

pub mod fixture_xlsx;

use chrono::NaiveDate;
use nigehban_domain::reference::ReferenceData;
use nigehban_i18n::Catalog;
use nigehban_sheets::{LocatedProblem, Severity};
use std::sync::OnceLock;

pub fn refdata() -> &'static ReferenceData {
    static R: OnceLock<ReferenceData> = OnceLock::new();
    R.get_or_init(|| ReferenceData::embedded().unwrap())
}

pub fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| Catalog::embedded().unwrap())
}

/// The tests' "today": validation never reads the clock.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 1).unwrap()
}

pub fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// (row, column letter, code, is-error) of each problem, for exact comparison.
pub fn located(problems: &[LocatedProblem]) -> Vec<(Option<usize>, Option<&str>, &str, bool)> {
    problems
        .iter()
        .map(|p| {
            (
                p.row,
                p.column.as_deref(),
                p.code.as_str(),
                p.severity == Severity::Error,
            )
        })
        .collect()
}

/// Build a CSV text from lines joined with CRLF.
pub fn csv(lines: &[&str]) -> Vec<u8> {
    let mut s = lines.join("\r\n");
    s.push_str("\r\n");
    s.into_bytes()
}
