//! The statistics facts (`stat_*` tables, migration 0012): rebuilt from the records by a refresh,
//! counted by the dashboards and reports. The refresh opens the sealed fields it needs (dates
//! of birth, interviews) here, inside the store, and writes only bands, codes and day numbers;
//! the counts read nothing else.

use crate::intake::open_json;
use crate::rows::*;
use crate::sealing::*;
use crate::sql::{Sql, Val};
use crate::store::{db, lock_head, micros, write_audit, SqlStore};
use async_trait::async_trait;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use nigehban_core::audit::AuditDraft;
use nigehban_core::error::StoreError;
use nigehban_core::stats_store::*;
use nigehban_core::store::{Backend, Store, StoreResult};
use nigehban_domain::intake::InterviewInput;
use nigehban_domain::reference::ReferenceData;
use nigehban_domain::statistics::{
    age_at, Dimension, Measure, Place, StatQuery, StatisticsReference, UNKNOWN,
};
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use std::collections::HashMap;
use std::time::Instant;

/// Bound values per INSERT. Small statements: every full batch has the same text, so it is
/// prepared once and reused (a statement of thousands of values costs more to parse than to run).
const MAX_BINDS: usize = 1_000;

fn day_number(d: NaiveDate) -> i64 {
    d.signed_duration_since(NaiveDate::default()).num_days()
}

fn month_of(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Multi-row INSERTs of one table, flushed before they pass the bind limit.
struct Inserter {
    head: String,
    width: usize,
    sql: Sql,
    rows: usize,
    written: i64,
}

impl Inserter {
    fn new(table: &str, columns: &[&str]) -> Inserter {
        let head = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        Inserter {
            sql: Sql::new(&head),
            head,
            width: columns.len(),
            rows: 0,
            written: 0,
        }
    }

    async fn row(&mut self, conn: &mut AnyConnection, vals: Vec<Val>) -> Result<(), StoreError> {
        if (self.rows + 1) * self.width > MAX_BINDS {
            self.flush(conn).await?;
        }
        self.sql.push(if self.rows == 0 { "(" } else { ", (" });
        for (i, v) in vals.into_iter().enumerate() {
            if i > 0 {
                self.sql.push(", ");
            }
            self.sql.bind(v);
        }
        self.sql.push(")");
        self.rows += 1;
        Ok(())
    }

    async fn flush(&mut self, conn: &mut AnyConnection) -> Result<(), StoreError> {
        if self.rows > 0 {
            self.sql.query().execute(&mut *conn).await.map_err(db)?;
            self.written += self.rows as i64;
        }
        self.sql = Sql::new(&self.head);
        self.rows = 0;
        Ok(())
    }
}

/// What the refresh knows of a case before writing its rows.
struct CaseFacts {
    key: i64,
    crime_types: Vec<String>,
    agency: String,
    unit: String,
    province: String,
    district: String,
    stage: String,
    reg: NaiveDate,
    challan: Option<NaiveDate>,
    judgment: Option<NaiveDate>,
}

/// A person's traits as counted: sex, nationality, origin, and how to know their age on a day.
struct Traits {
    sex: String,
    birth: Option<NaiveDate>,
    nationality: String,
    origin_province: String,
    origin_district: String,
}

fn traits(
    r: &AnyRow,
    keys: &nigehban_crypto::Keyring,
    refdata: &ReferenceData,
) -> Result<Traits, StoreError> {
    let pid = text(r, "person_id")?;
    let dob = open_opt(keys, opt_text(r, "dob")?, &person_ctx("dob", &pid))?;
    let birth = match dob.as_deref().and_then(parse_day) {
        Some(d) => Some(d),
        // An estimate "about 30 on 2024-03-01" puts the birth 30 years before that day.
        None => match (opt_int(r, "est_age")?, opt_text(r, "est_age_as_of")?) {
            (Some(years), Some(as_of)) => parse_day(&as_of).and_then(|d| {
                d.with_year(d.year() - i32::try_from(years).unwrap_or(0))
                    .or_else(|| {
                        d.pred_opt()?
                            .with_year(d.year() - i32::try_from(years).ok()?)
                    })
            }),
            _ => None,
        },
    };
    let origin = opt_text(r, "origin_district")?.filter(|s| !s.is_empty());
    let origin_province = origin
        .as_deref()
        .and_then(|d| refdata.district(d))
        .map(|d| d.province.clone())
        .unwrap_or_else(|| UNKNOWN.into());
    Ok(Traits {
        sex: text(r, "sex")?,
        birth,
        nationality: opt_text(r, "nationality_verified")?
            .or(opt_text(r, "nationality_claimed")?)
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| UNKNOWN.into()),
        origin_province,
        origin_district: origin.unwrap_or_else(|| UNKNOWN.into()),
    })
}

const CASE_COLUMNS: [&str; 15] = [
    "case_key",
    "crime_type",
    "agency",
    "unit",
    "province",
    "district",
    "stage",
    "reg_day",
    "reg_month",
    "fir_day",
    "challan_day",
    "trial_day",
    "judgment_day",
    "convicted",
    "acquitted",
];
const PERSON_COLUMNS: [&str; 23] = [
    "case_key",
    "person_key",
    "crime_type",
    "role",
    "agency",
    "unit",
    "province",
    "district",
    "stage",
    "sex",
    "age_band",
    "minor",
    "nationality",
    "origin_province",
    "origin_district",
    "chain_role",
    "verdict",
    "reg_day",
    "reg_month",
    "challan_day",
    "challan_month",
    "judgment_day",
    "judgment_month",
];
const ENCOUNTER_COLUMNS: [&str; 23] = [
    "enc_key",
    "batch_key",
    "crime_type",
    "agency",
    "unit",
    "province",
    "district",
    "post",
    "batch_kind",
    "status",
    "outcome",
    "sex",
    "age_band",
    "minor",
    "nationality",
    "origin_province",
    "origin_district",
    "exit_point",
    "route",
    "mode",
    "destination_country",
    "arrival_day",
    "arrival_month",
];

fn opt_day(d: Option<NaiveDate>) -> Val {
    Val::Int(d.map(day_number))
}

fn opt_month(d: Option<NaiveDate>) -> Val {
    Val::Text(d.map(month_of))
}

/// The crime type an encounter is counted under: the officer's decision at intake.
fn encounter_crime_type(decision: Option<&str>) -> &'static str {
    match decision {
        Some("trafficking") => "tip",
        Some("smuggling") => "som",
        Some("both") => "tip+som",
        Some("neither") => "neither",
        _ => "undecided",
    }
}

#[async_trait]
impl StatsStore for SqlStore {
    async fn refresh_statistics(
        &self,
        refdata: &ReferenceData,
        stats: &StatisticsReference,
        audit: AuditDraft,
    ) -> StoreResult<StatState> {
        let started = Instant::now();
        let keys = self.keys();
        let province_of = |district: &str| {
            refdata
                .district(district)
                .map(|d| d.province.clone())
                .unwrap_or_else(|| UNKNOWN.into())
        };
        // Everything is read before the write transaction, so writers wait only for the writes.
        let units: HashMap<String, (String, String)> =
            sqlx::query("SELECT id, code, district FROM units")
                .fetch_all(self.pool())
                .await
                .map_err(db)?
                .iter()
                .map(|r| Ok((text(r, "id")?, (text(r, "code")?, text(r, "district")?))))
                .collect::<Result<_, StoreError>>()?;
        let mut firsts: HashMap<String, HashMap<String, NaiveDate>> = HashMap::new();
        for r in sqlx::query(
            "SELECT case_id, to_stage, MIN(occurred_on) AS d FROM case_stage_events GROUP BY case_id, to_stage",
        )
        .fetch_all(self.pool())
        .await
        .map_err(db)?
        {
            if let Some(d) = parse_day(&text(&r, "d")?) {
                firsts
                    .entry(text(&r, "case_id")?)
                    .or_default()
                    .insert(text(&r, "to_stage")?, d);
            }
        }
        let mut verdicts: HashMap<String, (i64, i64)> = HashMap::new();
        for r in sqlx::query(
            "SELECT case_id, verdict, COUNT(*) AS n FROM case_persons WHERE verdict IS NOT NULL GROUP BY case_id, verdict",
        )
        .fetch_all(self.pool())
        .await
        .map_err(db)?
        {
            let e = verdicts.entry(text(&r, "case_id")?).or_default();
            match text(&r, "verdict")?.as_str() {
                "convicted" => e.0 += int(&r, "n")?,
                _ => e.1 += int(&r, "n")?,
            }
        }
        let mut codes: Vec<(String, &'static str, String)> = Vec::new();
        for r in sqlx::query("SELECT case_id, provision FROM case_provisions")
            .fetch_all(self.pool())
            .await
            .map_err(db)?
        {
            codes.push((text(&r, "case_id")?, "provision", text(&r, "provision")?));
        }

        let case_rows = sqlx::query(
            "SELECT id, unit_id, agency, crime_types, exploitation_forms, province, district, created_at, stage FROM cases",
        )
        .fetch_all(self.pool())
        .await
        .map_err(db)?;
        let mut cases: HashMap<String, CaseFacts> = HashMap::with_capacity(case_rows.len());
        let mut forms: Vec<(String, String)> = Vec::new();
        for (i, r) in case_rows.iter().enumerate() {
            let id = text(r, "id")?;
            let stage_days = firsts.get(&id);
            let first = |s: &str| stage_days.and_then(|m| m.get(s)).copied();
            // Registered when entered, or at its first recorded stage if that came earlier
            // (cases entered after the fact keep their history's dates).
            let entered = time(r, "created_at")?.date_naive();
            let reg = stage_days
                .and_then(|m| m.values().min().copied())
                .map_or(entered, |d| d.min(entered));
            for f in list(r, "exploitation_forms")? {
                forms.push((id.clone(), f));
            }
            let unit = units
                .get(&text(r, "unit_id")?)
                .map(|u| u.0.clone())
                .unwrap_or_default();
            cases.insert(
                id,
                CaseFacts {
                    key: i as i64,
                    crime_types: list(r, "crime_types")?,
                    agency: text(r, "agency")?,
                    unit,
                    province: text(r, "province")?,
                    district: text(r, "district")?,
                    stage: text(r, "stage")?,
                    reg,
                    challan: first("challan"),
                    judgment: first("judgment"),
                },
            );
        }

        let person_rows = sqlx::query(
            "SELECT cp.case_id, cp.person_id, COALESCE(p.merged_into, p.id) AS survivor, cp.role, cp.chain_role, cp.verdict, \
             p.sex, p.dob, p.est_age, p.est_age_as_of, p.nationality_verified, p.nationality_claimed, p.origin_district \
             FROM case_persons cp JOIN persons p ON p.id = cp.person_id",
        )
        .fetch_all(self.pool())
        .await
        .map_err(db)?;
        let encounter_rows = sqlx::query(
            "SELECT e.id, e.batch_id, e.person_id, e.status, e.outcome, e.decision, e.interview, \
             b.unit_id, b.agency, b.kind, b.post, b.arrival_date, \
             p.sex, p.dob, p.est_age, p.est_age_as_of, p.nationality_verified, p.nationality_claimed, p.origin_district \
             FROM intake_entries e JOIN intake_batches b ON b.id = e.batch_id JOIN persons p ON p.id = e.person_id",
        )
        .fetch_all(self.pool())
        .await
        .map_err(db)?;

        // Rows are written in the order the counts read them (cases by registration day, their
        // codes by case, persons by role then day), so a year's rows sit on neighbouring pages:
        // on SQLite a yearly report reads a few thousand pages instead of jumping across the
        // whole table (two to three times faster at a million persons).
        let mut order: Vec<(NaiveDate, String)> =
            cases.iter().map(|(id, c)| (c.reg, id.clone())).collect();
        order.sort();
        for (pos, (_, id)) in order.iter().enumerate() {
            if let Some(c) = cases.get_mut(id) {
                c.key = pos as i64;
            }
        }
        let mut person_order: Vec<(String, i64, usize)> = Vec::with_capacity(person_rows.len());
        for (i, r) in person_rows.iter().enumerate() {
            if let Some(c) = cases.get(&text(r, "case_id")?) {
                person_order.push((text(r, "role")?, day_number(c.reg), i));
            }
        }
        person_order.sort();

        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        for t in [
            "stat_cases",
            "stat_case_codes",
            "stat_persons",
            "stat_encounters",
            "stat_encounter_transits",
        ] {
            sqlx::query(&format!("DELETE FROM {t}"))
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }

        let mut ins = Inserter::new("stat_cases", &CASE_COLUMNS);
        for (_, id) in &order {
            let Some(c) = cases.get(id) else { continue };
            let days = firsts.get(id);
            let first = |s: &str| days.and_then(|m| m.get(s)).copied();
            let (convicted, acquitted) = verdicts.get(id).copied().unwrap_or_default();
            for ct in &c.crime_types {
                ins.row(
                    &mut tx,
                    vec![
                        c.key.into(),
                        ct.clone().into(),
                        c.agency.clone().into(),
                        c.unit.clone().into(),
                        c.province.clone().into(),
                        c.district.clone().into(),
                        c.stage.clone().into(),
                        day_number(c.reg).into(),
                        month_of(c.reg).into(),
                        opt_day(first("fir")),
                        opt_day(first("challan")),
                        opt_day(first("trial")),
                        opt_day(c.judgment),
                        convicted.into(),
                        acquitted.into(),
                    ],
                )
                .await?;
            }
        }
        ins.flush(&mut tx).await?;
        let case_count = cases.len() as i64;

        let mut case_codes: Vec<(i64, &'static str, String)> = Vec::new();
        for (case_id, form) in &forms {
            if let Some(c) = cases.get(case_id) {
                case_codes.push((c.key, "form", form.clone()));
            }
        }
        for (case_id, kind, code) in &codes {
            if let Some(c) = cases.get(case_id) {
                case_codes.push((c.key, kind, code.clone()));
                if let Some(p) = refdata.provision(code) {
                    case_codes.push((c.key, "act", p.act.clone()));
                }
            }
        }
        case_codes.sort();
        let mut ins = Inserter::new("stat_case_codes", &["case_key", "kind", "code"]);
        for (key, kind, code) in case_codes {
            ins.row(&mut tx, vec![key.into(), kind.into(), code.into()])
                .await?;
        }
        ins.flush(&mut tx).await?;

        let mut person_keys: HashMap<String, i64> = HashMap::new();
        let mut ins = Inserter::new("stat_persons", &PERSON_COLUMNS);
        for (_, _, i) in &person_order {
            let Some(r) = person_rows.get(*i) else {
                continue;
            };
            let Some(c) = cases.get(&text(r, "case_id")?) else {
                continue;
            };
            let survivor = text(r, "survivor")?;
            let next = person_keys.len() as i64;
            let person_key = *person_keys.entry(survivor).or_insert(next);
            let t = traits(r, keys, refdata)?;
            let age = t.birth.and_then(|b| age_at(b, c.reg));
            for ct in &c.crime_types {
                ins.row(
                    &mut tx,
                    vec![
                        c.key.into(),
                        person_key.into(),
                        ct.clone().into(),
                        text(r, "role")?.into(),
                        c.agency.clone().into(),
                        c.unit.clone().into(),
                        c.province.clone().into(),
                        c.district.clone().into(),
                        c.stage.clone().into(),
                        t.sex.clone().into(),
                        stats.band(age).into(),
                        stats.minor(age).into(),
                        t.nationality.clone().into(),
                        t.origin_province.clone().into(),
                        t.origin_district.clone().into(),
                        opt_text(r, "chain_role")?
                            .unwrap_or_else(|| UNKNOWN.into())
                            .into(),
                        opt_text(r, "verdict")?
                            .unwrap_or_else(|| "none".into())
                            .into(),
                        day_number(c.reg).into(),
                        month_of(c.reg).into(),
                        opt_day(c.challan),
                        opt_month(c.challan),
                        opt_day(c.judgment),
                        opt_month(c.judgment),
                    ],
                )
                .await?;
            }
        }
        ins.flush(&mut tx).await?;
        let persons_written = person_keys.len() as i64;

        let mut batch_keys: HashMap<String, i64> = HashMap::new();
        let mut ins = Inserter::new("stat_encounters", &ENCOUNTER_COLUMNS);
        let mut transits = Inserter::new("stat_encounter_transits", &["enc_key", "country"]);
        for (i, r) in encounter_rows.iter().enumerate() {
            let id = text(r, "id")?;
            let next = batch_keys.len() as i64;
            let batch_key = *batch_keys.entry(text(r, "batch_id")?).or_insert(next);
            let t = traits(r, keys, refdata)?;
            let arrival = parse_day(&text(r, "arrival_date")?).unwrap_or_default();
            let age = t.birth.and_then(|b| age_at(b, arrival));
            let interview: Option<InterviewInput> = open_json(
                keys,
                opt_text(r, "interview")?,
                &crate::intake::entry_ctx("interview", &id),
            )?;
            let field = |v: Option<&String>| {
                v.map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| UNKNOWN.into())
            };
            let (exit, destination, mode, transit) = match &interview {
                Some(iv) => (
                    field(iv.exit_point.as_ref()),
                    field(iv.destination_country.as_ref()),
                    field(iv.mode.as_ref()),
                    iv.transit_countries.clone(),
                ),
                None => (UNKNOWN.into(), UNKNOWN.into(), UNKNOWN.into(), Vec::new()),
            };
            // An interview names the origin more surely than the manifest did.
            let (origin_province, origin_district) = match interview
                .as_ref()
                .and_then(|iv| iv.origin_district.as_deref())
                .filter(|d| refdata.district(d).is_some())
            {
                Some(d) => (province_of(d), d.to_string()),
                None => (t.origin_province.clone(), t.origin_district.clone()),
            };
            let (unit, district) = units.get(&text(r, "unit_id")?).cloned().unwrap_or_default();
            let key = i as i64;
            for ct in encounter_crime_type(opt_text(r, "decision")?.as_deref()).split('+') {
                ins.row(
                    &mut tx,
                    vec![
                        key.into(),
                        batch_key.into(),
                        ct.into(),
                        text(r, "agency")?.into(),
                        unit.clone().into(),
                        province_of(&district).into(),
                        district.clone().into(),
                        text(r, "post")?.into(),
                        text(r, "kind")?.into(),
                        text(r, "status")?.into(),
                        opt_text(r, "outcome")?
                            .unwrap_or_else(|| "none".into())
                            .into(),
                        t.sex.clone().into(),
                        stats.band(age).into(),
                        stats.minor(age).into(),
                        t.nationality.clone().into(),
                        origin_province.clone().into(),
                        origin_district.clone().into(),
                        exit.clone().into(),
                        format!("{exit}>{destination}").into(),
                        mode.clone().into(),
                        destination.clone().into(),
                        day_number(arrival).into(),
                        month_of(arrival).into(),
                    ],
                )
                .await?;
            }
            for country in transit.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
                transits
                    .row(&mut tx, vec![key.into(), country.to_string().into()])
                    .await?;
            }
        }
        ins.flush(&mut tx).await?;
        transits.flush(&mut tx).await?;
        let encounters = encounter_rows.len() as i64;

        let now = Utc::now();
        let took_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        sqlx::query(
            "UPDATE stat_state SET refreshed_at = $1, took_ms = $2, cases = $3, persons = $4, encounters = $5 WHERE id = 1",
        )
        .bind(micros(now))
        .bind(took_ms)
        .bind(case_count)
        .bind(persons_written)
        .bind(encounters)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        let audit = AuditDraft {
            detail: serde_json::json!({"cases": case_count, "persons": persons_written, "encounters": encounters, "took_ms": took_ms}).to_string(),
            ..audit
        };
        write_audit(&mut tx, keys, head, audit).await?;
        tx.commit().await.map_err(db)?;
        // The tables were just rewritten: give the planner their new shape, or the first counts
        // are planned on the old one. PostgreSQL also vacuums them: the old generation's rows
        // are dead now, and a vacuumed table's pages are marked all-visible, so the first counts
        // do not each pay to check (and mark) a million new rows' visibility.
        let analyze = match self.backend() {
            Backend::Sqlite => "ANALYZE",
            Backend::Postgres => "VACUUM (ANALYZE)",
        };
        for t in [
            "stat_cases",
            "stat_case_codes",
            "stat_persons",
            "stat_encounters",
            "stat_encounter_transits",
        ] {
            sqlx::query(&format!("{analyze} {t}"))
                .execute(self.pool())
                .await
                .map_err(db)?;
        }
        Ok(StatState {
            refreshed_at: Some(now),
            took_ms,
            cases: case_count,
            persons: persons_written,
            encounters,
        })
    }

    async fn statistics_state(&self) -> StoreResult<StatState> {
        let r = sqlx::query(
            "SELECT refreshed_at, took_ms, cases, persons, encounters FROM stat_state WHERE id = 1",
        )
        .fetch_one(self.pool())
        .await
        .map_err(db)?;
        Ok(StatState {
            refreshed_at: opt_int(&r, "refreshed_at")?.and_then(DateTime::from_timestamp_micros),
            took_ms: int(&r, "took_ms")?,
            cases: int(&r, "cases")?,
            persons: int(&r, "persons")?,
            encounters: int(&r, "encounters")?,
        })
    }

    async fn stat_counts(&self, access: &StatAccess, q: &StatQuery) -> StoreResult<Vec<StatRow>> {
        let m = MeasureSql::of(q.measure);
        let mut sql = Sql::new("SELECT ");
        for (i, d) in q.group.iter().enumerate() {
            sql.push(&format!("{} AS g{i}, ", group_expr(&m, *d, i)));
        }
        sql.push(&format!("COUNT({}) AS n FROM {} t", m.count, m.table));
        for (i, d) in q.group.iter().enumerate() {
            if let Some(join) = group_join(&m, *d, i) {
                sql.push(&join);
            }
        }
        where_clause(&mut sql, &m, access, q);
        if !q.group.is_empty() {
            let cols: Vec<String> = (0..q.group.len()).map(|i| format!("g{i}")).collect();
            sql.push(&format!(
                " GROUP BY {} ORDER BY {}",
                cols.join(", "),
                cols.join(", ")
            ));
        }
        let rows = sql.query().fetch_all(self.pool()).await.map_err(db)?;
        rows.iter()
            .map(|r| {
                let keys = (0..q.group.len())
                    .map(|i| Ok(opt_text(r, &format!("g{i}"))?.unwrap_or_else(|| UNKNOWN.into())))
                    .collect::<Result<Vec<_>, StoreError>>()?;
                Ok(StatRow {
                    keys,
                    count: int(r, "n")?,
                })
            })
            .filter(|r: &Result<StatRow, StoreError>| r.as_ref().map_or(true, |r| r.count > 0))
            .collect()
    }

    async fn stat_funnel(
        &self,
        access: &StatAccess,
        q: &StatQuery,
    ) -> StoreResult<Vec<FunnelCase>> {
        let m = MeasureSql::of(Measure::Cases);
        let mut sql = Sql::new(
            "SELECT t.crime_type, t.fir_day, t.challan_day, t.trial_day, t.judgment_day, t.convicted FROM stat_cases t",
        );
        where_clause(&mut sql, &m, access, q);
        sql.push(" AND t.fir_day IS NOT NULL");
        let rows = sql.query().fetch_all(self.pool()).await.map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(FunnelCase {
                    crime_type: text(r, "crime_type")?,
                    fir: opt_int(r, "fir_day")?,
                    challan: opt_int(r, "challan_day")?,
                    trial: opt_int(r, "trial_day")?,
                    judgment: opt_int(r, "judgment_day")?,
                    convicted: int(r, "convicted")? > 0,
                })
            })
            .collect()
    }

    async fn stat_workload(
        &self,
        access: &StatAccess,
        q: &StatQuery,
    ) -> StoreResult<Vec<PostLoad>> {
        let m = MeasureSql::of(Measure::Encounters);
        // One row per person received, whatever the number of crime types it is counted under.
        let mut sql = Sql::new(
            "SELECT post, COUNT(DISTINCT batch_key) AS batches, COUNT(*) AS persons, \
             SUM(CASE WHEN status = 'pending' THEN 1 ELSE 0 END) AS pending, \
             SUM(CASE WHEN status = 'interviewed' THEN 1 ELSE 0 END) AS interviewed, \
             SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END) AS done \
             FROM (SELECT DISTINCT t.enc_key, t.batch_key, t.post, t.status FROM stat_encounters t",
        );
        where_clause(&mut sql, &m, access, q);
        sql.push(") x GROUP BY post ORDER BY persons DESC, post");
        let rows = sql.query().fetch_all(self.pool()).await.map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(PostLoad {
                    post: text(r, "post")?,
                    batches: int(r, "batches")?,
                    persons: int(r, "persons")?,
                    pending: int(r, "pending")?,
                    interviewed: int(r, "interviewed")?,
                    done: int(r, "done")?,
                })
            })
            .collect()
    }
}

/// How one measure reads: its table, what it counts, its date and month columns and the rows
/// it keeps.
struct MeasureSql {
    table: &'static str,
    count: &'static str,
    day: &'static str,
    month: &'static str,
    keep: &'static str,
    case_key: bool,
}

impl MeasureSql {
    fn of(m: Measure) -> MeasureSql {
        let person = |keep, day, month| MeasureSql {
            table: "stat_persons",
            count: "DISTINCT t.person_key",
            day,
            month,
            keep,
            case_key: true,
        };
        match m {
            Measure::Cases => MeasureSql {
                table: "stat_cases",
                count: "DISTINCT t.case_key",
                day: "t.reg_day",
                month: "t.reg_month",
                keep: "1 = 1",
                case_key: true,
            },
            Measure::Victims => person("t.role = 'victim'", "t.reg_day", "t.reg_month"),
            Measure::SmuggledMigrants => {
                person("t.role = 'smuggled_migrant'", "t.reg_day", "t.reg_month")
            }
            Measure::Suspects => person("t.role = 'suspect'", "t.reg_day", "t.reg_month"),
            Measure::Prosecuted => person(
                "t.role = 'suspect' AND t.challan_day IS NOT NULL",
                "t.challan_day",
                "t.challan_month",
            ),
            Measure::Convicted => person(
                "t.role = 'suspect' AND t.verdict = 'convicted' AND t.judgment_day IS NOT NULL",
                "t.judgment_day",
                "t.judgment_month",
            ),
            Measure::Encounters => MeasureSql {
                table: "stat_encounters",
                count: "DISTINCT t.enc_key",
                day: "t.arrival_day",
                month: "t.arrival_month",
                keep: "1 = 1",
                case_key: false,
            },
        }
    }
}

/// The kind of `stat_case_codes` row a dimension reads, when it is one of a case's codes.
fn code_kind(d: Dimension) -> Option<&'static str> {
    match d {
        Dimension::Form => Some("form"),
        Dimension::Provision | Dimension::ProvisionProsecuted => Some("provision"),
        Dimension::Act => Some("act"),
        _ => None,
    }
}

/// The column of a single-valued dimension. Every name here is a constant: user input only
/// ever reaches the SQL as bound values.
fn column(m: &MeasureSql, d: Dimension) -> String {
    match d {
        Dimension::Year => format!("SUBSTR({}, 1, 4)", m.month),
        Dimension::Quarter => format!(
            "SUBSTR({0}, 1, 4) || '-Q' || CAST((CAST(SUBSTR({0}, 6, 2) AS INTEGER) + 2) / 3 AS TEXT)",
            m.month
        ),
        Dimension::Month => m.month.to_string(),
        other => format!("t.{}", other.as_str()),
    }
}

fn group_expr(m: &MeasureSql, d: Dimension, i: usize) -> String {
    if code_kind(d).is_some() && m.case_key {
        format!("c{i}.code")
    } else if d == Dimension::TransitCountry {
        format!("x{i}.country")
    } else {
        column(m, d)
    }
}

fn group_join(m: &MeasureSql, d: Dimension, i: usize) -> Option<String> {
    if let (Some(kind), true) = (code_kind(d), m.case_key) {
        Some(format!(
            " JOIN stat_case_codes c{i} ON c{i}.case_key = t.case_key AND c{i}.kind = '{kind}'"
        ))
    } else if d == Dimension::TransitCountry {
        Some(format!(
            " JOIN stat_encounter_transits x{i} ON x{i}.enc_key = t.enc_key"
        ))
    } else {
        None
    }
}

fn bind_list(sql: &mut Sql, values: &std::collections::BTreeSet<String>) {
    sql.push("(");
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(v.clone());
    }
    sql.push(")");
}

fn where_clause(sql: &mut Sql, m: &MeasureSql, access: &StatAccess, q: &StatQuery) {
    sql.push(&format!(" WHERE {} AND {} BETWEEN ", m.keep, m.day));
    sql.bind(day_number(q.period.from));
    sql.push(" AND ");
    sql.bind(day_number(q.period.to));
    if let Some(agency) = &access.agency {
        sql.push(" AND t.agency = ").bind(agency.clone());
    }
    if let Some(unit) = &access.unit {
        sql.push(" AND t.unit = ").bind(unit.clone());
    }
    match &q.place {
        Place::Nation => {}
        Place::Province(p) => {
            sql.push(" AND t.province = ").bind(p.clone());
        }
        Place::District(d) => {
            sql.push(" AND t.district = ").bind(d.clone());
        }
        Place::Unit(u) => {
            sql.push(" AND t.unit = ").bind(u.clone());
        }
    }
    for (d, values) in &q.filters {
        if let (Some(kind), true) = (code_kind(*d), m.case_key) {
            sql.push(&format!(
                " AND EXISTS (SELECT 1 FROM stat_case_codes f WHERE f.case_key = t.case_key AND f.kind = '{kind}' AND f.code IN "
            ));
            bind_list(sql, values);
            sql.push(")");
        } else if *d == Dimension::TransitCountry {
            sql.push(
                " AND EXISTS (SELECT 1 FROM stat_encounter_transits f WHERE f.enc_key = t.enc_key AND f.country IN ",
            );
            bind_list(sql, values);
            sql.push(")");
        } else {
            sql.push(&format!(" AND {} IN ", column(m, *d)));
            bind_list(sql, values);
        }
    }
    let prosecuted = q.group.contains(&Dimension::ProvisionProsecuted)
        || q.filters.contains_key(&Dimension::ProvisionProsecuted);
    if prosecuted && m.table == "stat_cases" {
        sql.push(" AND t.challan_day IS NOT NULL");
    }
}
