//! Reading rows back into domain types. A value that does not parse is reported as corrupt data,
//! never silently replaced.

use chrono::{DateTime, NaiveDate, Utc};
use nigehban_core::error::StoreError;
use nigehban_core::store::{CaseSummary, PersonSummary};
use nigehban_domain::case::CaseNumber;
use nigehban_domain::person::PersonRole;
use nigehban_domain::stage::CaseStage;
use sqlx::any::AnyRow;
use sqlx::Row;
use std::str::FromStr;

pub type R<T> = Result<T, StoreError>;

pub fn text(row: &AnyRow, col: &str) -> R<String> {
    row.try_get::<String, _>(col)
        .map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}
pub fn opt_text(row: &AnyRow, col: &str) -> R<Option<String>> {
    row.try_get::<Option<String>, _>(col)
        .map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}
pub fn int(row: &AnyRow, col: &str) -> R<i64> {
    row.try_get::<i64, _>(col)
        .map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}
pub fn opt_int(row: &AnyRow, col: &str) -> R<Option<i64>> {
    row.try_get::<Option<i64>, _>(col)
        .map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}
pub fn parsed<T: FromStr>(row: &AnyRow, col: &str) -> R<T> {
    let s = text(row, col)?;
    s.parse::<T>()
        .map_err(|_| StoreError::Corrupt(format!("{col}: cannot parse `{s}`")))
}
pub fn code<T>(row: &AnyRow, col: &str, parse: impl Fn(&str) -> Option<T>) -> R<T> {
    let s = text(row, col)?;
    parse(&s).ok_or_else(|| StoreError::Corrupt(format!("{col}: unknown code `{s}`")))
}
pub fn opt_code<T>(row: &AnyRow, col: &str, parse: impl Fn(&str) -> Option<T>) -> R<Option<T>> {
    match opt_text(row, col)? {
        None => Ok(None),
        Some(s) => parse(&s)
            .map(Some)
            .ok_or_else(|| StoreError::Corrupt(format!("{col}: unknown code `{s}`"))),
    }
}
pub fn time(row: &AnyRow, col: &str) -> R<DateTime<Utc>> {
    let m = int(row, col)?;
    DateTime::from_timestamp_micros(m)
        .ok_or_else(|| StoreError::Corrupt(format!("{col}: bad timestamp {m}")))
}
pub fn date(row: &AnyRow, col: &str) -> R<NaiveDate> {
    let s = text(row, col)?;
    NaiveDate::parse_from_str(&s, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("{col}: bad date `{s}`")))
}
pub fn opt_date(row: &AnyRow, col: &str) -> R<Option<NaiveDate>> {
    match opt_text(row, col)? {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(&s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| StoreError::Corrupt(format!("{col}: bad date `{s}`"))),
    }
}
pub fn list(row: &AnyRow, col: &str) -> R<Vec<String>> {
    Ok(text(row, col)?
        .split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect())
}

pub const CASE_COLS: &str = "c.id, c.number, c.title, c.crime_types, c.stage, c.province, c.district, u.code AS unit_code, c.agency, c.offence_date, c.created_at";
pub const CASE_FROM: &str = "cases c JOIN units u ON u.id = c.unit_id";

pub fn case_summary(row: &AnyRow) -> R<CaseSummary> {
    let number = text(row, "number")?;
    Ok(CaseSummary {
        id: parsed(row, "id")?,
        number: CaseNumber::parse(&number)
            .map_err(|_| StoreError::Corrupt(format!("number: `{number}`")))?,
        title: text(row, "title")?,
        crime_types: list(row, "crime_types")?,
        stage: code(row, "stage", CaseStage::parse)?,
        province: text(row, "province")?,
        district: text(row, "district")?,
        unit_code: text(row, "unit_code")?,
        agency: text(row, "agency")?,
        offence_date: date(row, "offence_date")?,
        created_at: time(row, "created_at")?,
    })
}

/// Person columns for lists, with a count of protected roles (the roles come from the domain's
/// `PersonRole::is_protected`, so the rule stays in one place).
pub fn person_summary_cols() -> String {
    let protected: Vec<String> = PersonRole::ALL
        .iter()
        .filter(|r| r.is_protected())
        .map(|r| format!("'{}'", r.as_str()))
        .collect();
    format!(
        "p.id, p.name_roman, p.name_urdu, p.parentage_relation, p.parentage_roman, p.parentage_urdu, p.sex, \
         p.origin_district, p.nationality_claimed, (SELECT COUNT(*) FROM case_persons x WHERE x.person_id = p.id \
         AND x.role IN ({})) AS protected_roles",
        protected.join(",")
    )
}

pub fn person_summary(row: &AnyRow, keys: &nigehban_crypto::Keyring) -> R<PersonSummary> {
    let id = text(row, "id")?;
    let field = |col: &str| {
        crate::sealing::open_opt(
            keys,
            opt_text(row, col).ok().flatten(),
            &crate::sealing::person_ctx(col, &id),
        )
    };
    Ok(PersonSummary {
        id: parsed(row, "id")?,
        name_roman: field("name_roman")?,
        name_urdu: field("name_urdu")?,
        parentage_relation: opt_text(row, "parentage_relation")?,
        parentage_roman: field("parentage_roman")?,
        parentage_urdu: field("parentage_urdu")?,
        sex: text(row, "sex")?,
        origin_district: opt_text(row, "origin_district")?,
        nationality_claimed: opt_text(row, "nationality_claimed")?,
        protected: int(row, "protected_roles")? > 0,
        pseudonymised: false,
    })
}
