//! The intake tables: batches, their entries (screening flags, interview, outcome), the watch
//! lists, and the candidate lookups screening runs on. Sealed columns hold JSON under the same
//! keyring as the persons' names; blind indexes serve the exact lookups.

use crate::rows::*;
use crate::sealing::*;
use crate::sql::Sql;
use crate::store::{
    db, insert_case_row, insert_link, insert_persons, lock_head, micros, opt_time, write_audit,
    SqlStore,
};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use nigehban_core::audit::AuditDraft;
use nigehban_core::error::StoreError;
use nigehban_core::intake_store::*;
use nigehban_core::store::{Backend, LinkTarget, NewPerson, Store, StoreResult};
use nigehban_domain::assessment::Suggestion;
use nigehban_domain::identifiers::{Identifier, IdentifierKind};
use nigehban_domain::ids::{BatchId, IntakeEntryId, PersonId, UnitId, UserId, WatchlistEntryId};
use nigehban_domain::intake::{
    BatchKind, Classification, IntakeOutcome, IntakeStatus, InterviewInput, WatchList,
};
use nigehban_domain::person::{AgeInfo, PersonRole, Sex};
use serde::de::DeserializeOwned;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use std::collections::{HashMap, HashSet};

/// Values bound per statement: well under SQLite's and PostgreSQL's parameter limits.
const IN_CHUNK: usize = 500;

pub(crate) fn sealed_json<T: Serialize>(
    keys: &nigehban_crypto::Keyring,
    value: &T,
    ctx: &str,
) -> Result<String, StoreError> {
    let json = serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    seal(keys, &json, ctx)
}

pub(crate) fn open_json<T: DeserializeOwned>(
    keys: &nigehban_crypto::Keyring,
    stored: Option<String>,
    ctx: &str,
) -> Result<Option<T>, StoreError> {
    match open_opt(keys, stored, ctx)? {
        None => Ok(None),
        Some(s) => serde_json::from_str(&s)
            .map(Some)
            .map_err(|e| StoreError::Corrupt(format!("{ctx}: {e}"))),
    }
}

pub(crate) fn entry_ctx(col: &str, id: &str) -> String {
    format!("intake_entries.{col}:{id}")
}

/// The blind index of a manifest row's fingerprint (the plain one names the person's details).
fn fingerprint_index(keys: &nigehban_crypto::Keyring, fp: &str) -> String {
    keys.blind_index("intake-row", fp)
}

// Progress leaves out persons sealed by court order: their rows are hidden, and so is their
// number (a count would tell that someone sealed passed through this batch).
const BATCH_COLS: &str = "b.id, b.unit_id, u.code AS unit_code, b.agency, b.kind, b.post, b.arrival_date, \
     b.country, b.place, b.reference, b.notes, us.username AS created_by_name, b.created_at, \
     (SELECT COUNT(*) FROM intake_entries e WHERE e.batch_id = b.id AND e.person_id NOT IN (SELECT entity_id FROM seals WHERE entity_kind = 'person')) AS n_total, \
     (SELECT COUNT(*) FROM intake_entries e WHERE e.batch_id = b.id AND e.person_id NOT IN (SELECT entity_id FROM seals WHERE entity_kind = 'person') AND e.status = 'pending') AS n_pending, \
     (SELECT COUNT(*) FROM intake_entries e WHERE e.batch_id = b.id AND e.person_id NOT IN (SELECT entity_id FROM seals WHERE entity_kind = 'person') AND e.status = 'interviewed') AS n_interviewed, \
     (SELECT COUNT(*) FROM intake_entries e WHERE e.batch_id = b.id AND e.person_id NOT IN (SELECT entity_id FROM seals WHERE entity_kind = 'person') AND e.status = 'done') AS n_done, \
     (SELECT COUNT(*) FROM intake_entries e WHERE e.batch_id = b.id AND e.person_id NOT IN (SELECT entity_id FROM seals WHERE entity_kind = 'person') AND e.flag_kinds <> '') AS n_flagged, \
     (SELECT COUNT(*) FROM intake_entries e WHERE e.batch_id = b.id AND e.person_id NOT IN (SELECT entity_id FROM seals WHERE entity_kind = 'person') AND e.victim_screening = 1) AS n_vs";
const BATCH_FROM: &str =
    "intake_batches b JOIN units u ON u.id = b.unit_id LEFT JOIN users us ON us.id = b.created_by";

fn batch_from(row: &AnyRow, keys: &nigehban_crypto::Keyring) -> Result<BatchRecord, StoreError> {
    let id = text(row, "id")?;
    Ok(BatchRecord {
        id: parsed(row, "id")?,
        unit_id: parsed(row, "unit_id")?,
        unit_code: text(row, "unit_code")?,
        agency: text(row, "agency")?,
        kind: code(row, "kind", BatchKind::parse)?,
        post: text(row, "post")?,
        arrival_date: date(row, "arrival_date")?,
        country: opt_text(row, "country")?,
        place: opt_text(row, "place")?,
        reference: opt_text(row, "reference")?,
        notes: open_opt(
            keys,
            opt_text(row, "notes")?,
            &format!("intake_batches.notes:{id}"),
        )?,
        created_by: opt_text(row, "created_by_name")?.unwrap_or_default(),
        created_at: time(row, "created_at")?,
        progress: BatchProgress {
            total: int(row, "n_total")?,
            pending: int(row, "n_pending")?,
            interviewed: int(row, "n_interviewed")?,
            done: int(row, "n_done")?,
            flagged: int(row, "n_flagged")?,
            victim_screening: int(row, "n_vs")?,
        },
    })
}

const ENTRY_COLS: &str = "e.id, e.batch_id, e.seq, e.person_id, e.source, e.source_row, e.status, e.flags, \
     e.victim_screening, e.extras, e.interview, e.interview_saved_at, iu.username AS interviewed_by_name, \
     e.suggestion, e.assessment, e.decision, e.outcome, e.outcome_case_id, e.outcome_detail, \
     pu.username AS processed_by_name, e.processed_at, e.version, \
     p.name_roman, p.name_urdu, p.parentage_roman, p.parentage_urdu, p.sex, p.dob, p.est_age, p.est_age_as_of, \
     p.nationality_claimed, p.origin_district, \
     (SELECT COUNT(*) FROM case_persons x WHERE x.person_id = e.person_id AND x.role IN ('victim', 'witness', 'informant')) \
     AS protected_roles";
const ENTRY_FROM: &str = "intake_entries e JOIN persons p ON p.id = e.person_id \
     LEFT JOIN users iu ON iu.id = e.interviewed_by LEFT JOIN users pu ON pu.id = e.processed_by";

fn entry_from(row: &AnyRow, keys: &nigehban_crypto::Keyring) -> Result<EntryRecord, StoreError> {
    let id = text(row, "id")?;
    let pid = text(row, "person_id")?;
    let person = |col: &str| open_opt(keys, opt_text(row, col)?, &person_ctx(col, &pid));
    let dob = person("dob")?;
    let age = match (
        dob,
        opt_int(row, "est_age")?,
        opt_date(row, "est_age_as_of")?,
    ) {
        (Some(d), _, _) => AgeInfo::DateOfBirth {
            date: d
                .parse()
                .map_err(|_| StoreError::Corrupt(format!("persons.dob of {pid}")))?,
        },
        (None, Some(years), Some(as_of)) => AgeInfo::Estimated {
            years: u32::try_from(years).unwrap_or(0),
            as_of,
        },
        _ => AgeInfo::Unknown,
    };
    Ok(EntryRecord {
        id: parsed(row, "id")?,
        batch_id: parsed(row, "batch_id")?,
        seq: int(row, "seq")?,
        person_id: parsed(row, "person_id")?,
        name_roman: person("name_roman")?,
        name_urdu: person("name_urdu")?,
        parentage_roman: person("parentage_roman")?,
        parentage_urdu: person("parentage_urdu")?,
        sex: code(row, "sex", Sex::parse)?,
        age,
        nationality_claimed: opt_text(row, "nationality_claimed")?,
        origin_district: opt_text(row, "origin_district")?,
        identifiers: Vec::new(),
        source: text(row, "source")?,
        source_row: opt_int(row, "source_row")?,
        status: code(row, "status", IntakeStatus::parse)?,
        flags: open_json(keys, opt_text(row, "flags")?, &entry_ctx("flags", &id))?
            .unwrap_or_default(),
        victim_screening: int(row, "victim_screening")? != 0,
        extras: open_json(keys, opt_text(row, "extras")?, &entry_ctx("extras", &id))?
            .unwrap_or_default(),
        interview: open_json::<InterviewInput>(
            keys,
            opt_text(row, "interview")?,
            &entry_ctx("interview", &id),
        )?,
        interview_saved_at: opt_time(row, "interview_saved_at")?,
        interviewed_by: opt_text(row, "interviewed_by_name")?,
        suggestion: opt_code(row, "suggestion", Suggestion::parse)?,
        assessment: open_json(
            keys,
            opt_text(row, "assessment")?,
            &entry_ctx("assessment", &id),
        )?,
        decision: opt_code(row, "decision", Classification::parse)?,
        outcome: opt_code(row, "outcome", IntakeOutcome::parse)?,
        outcome_case_id: opt_text(row, "outcome_case_id")?
            .map(|s| s.parse())
            .transpose()
            .map_err(|_| StoreError::Corrupt(format!("outcome_case_id of {id}")))?,
        outcome_detail: open_json(
            keys,
            opt_text(row, "outcome_detail")?,
            &entry_ctx("outcome_detail", &id),
        )?,
        processed_by: opt_text(row, "processed_by_name")?,
        processed_at: opt_time(row, "processed_at")?,
        version: int(row, "version")?,
        protected: int(row, "protected_roles")? > 0,
        pseudonymised: false,
    })
}

/// The identifiers of these persons, opened, by person.
async fn identifiers_of(
    conn: &mut AnyConnection,
    keys: &nigehban_crypto::Keyring,
    ids: &[PersonId],
) -> Result<HashMap<PersonId, Vec<Identifier>>, StoreError> {
    let mut out: HashMap<PersonId, Vec<Identifier>> = HashMap::new();
    for chunk in ids.chunks(IN_CHUNK) {
        let mut sql = Sql::new(
            "SELECT person_id, kind, value, country FROM person_identifiers WHERE person_id IN (",
        );
        push_in(&mut sql, chunk.iter().map(|p| p.to_string()));
        sql.push(") ORDER BY person_id, kind, lookup");
        for r in sql.query().fetch_all(&mut *conn).await.map_err(db)? {
            let pid = text(&r, "person_id")?;
            let kind_s = text(&r, "kind")?;
            let kind = IdentifierKind::parse(&kind_s)
                .ok_or_else(|| StoreError::Corrupt(format!("identifier kind {kind_s}")))?;
            let value = open(keys, &text(&r, "value")?, &identifier_ctx(&pid, &kind_s))?;
            out.entry(parsed(&r, "person_id")?)
                .or_default()
                .push(Identifier {
                    kind,
                    value,
                    country: opt_text(&r, "country")?,
                });
        }
    }
    Ok(out)
}

fn push_in(sql: &mut Sql, values: impl Iterator<Item = String>) {
    for (i, v) in values.enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(v);
    }
}

/// Values per statement when they travel as one bound list (see [`push_list`]).
pub(crate) const LIST_CHUNK: usize = 2000;

/// The rows of `json` (a JSON array of strings, bound once) as a one-column table `value`.
fn list_table(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "(SELECT value FROM json_each(",
        Backend::Postgres => "(SELECT json_array_elements_text(CAST(",
    }
}

fn list_table_end(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => ")) AS list",
        Backend::Postgres => " AS json))) AS list (value)",
    }
}

fn json_list(values: &[String]) -> String {
    serde_json::to_string(values).unwrap_or_else(|_| "[]".to_string())
}

/// `values` as a table `list` with one column `value`, for a query that should start from them.
pub(crate) fn push_list_table(sql: &mut Sql, backend: Backend, values: &[String]) {
    sql.push(list_table(backend))
        .bind(json_list(values))
        .push(list_table_end(backend));
}

/// `column IN (values)` with the values bound as one JSON array rather than one parameter
/// each: a screening asks for a hundred thousand ids, and SQLite finds each numbered parameter
/// by a linear scan, so long IN lists of parameters cost quadratically.
pub(crate) fn push_list(sql: &mut Sql, backend: Backend, column: &str, values: &[String]) {
    sql.push(column).push(" IN (SELECT value FROM ");
    sql.push(list_table(backend))
        .bind(json_list(values))
        .push(list_table_end(backend))
        .push(")");
}

async fn fetch_entries(
    store: &SqlStore,
    filter: &str,
    value: String,
) -> Result<Vec<EntryRecord>, StoreError> {
    let mut conn = store.pool().acquire().await.map_err(db)?;
    let rows = sqlx::query(&format!(
        "SELECT {ENTRY_COLS} FROM {ENTRY_FROM} WHERE {filter} ORDER BY e.seq"
    ))
    .bind(value)
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    let mut entries = rows
        .iter()
        .map(|r| entry_from(r, store.keys()))
        .collect::<Result<Vec<_>, _>>()?;
    let ids: Vec<PersonId> = entries.iter().map(|e| e.person_id).collect();
    let mut idents = identifiers_of(&mut conn, store.keys(), &ids).await?;
    for e in &mut entries {
        e.identifiers = idents.remove(&e.person_id).unwrap_or_default();
    }
    Ok(entries)
}

async fn watchlist_rows(
    store: &SqlStore,
    filter: &str,
    persons: Vec<String>,
    limit: i64,
) -> Result<Vec<WatchlistRecord>, StoreError> {
    let mut sql = Sql::new(
        "SELECT w.id, w.person_id, w.list, w.edition, w.reference, w.offence, us.username AS added_by_name, w.added_at, \
         p.name_roman, p.name_urdu, p.parentage_roman FROM watchlist_entries w JOIN persons p ON p.id = w.person_id \
         LEFT JOIN users us ON us.id = w.added_by WHERE w.removed_at IS NULL",
    );
    sql.push(filter);
    if !persons.is_empty() {
        sql.push(" AND ");
        push_list(&mut sql, store.backend(), "w.person_id", &persons);
    }
    sql.push(" ORDER BY w.added_at DESC LIMIT ").bind(limit);
    let rows = sql.query().fetch_all(store.pool()).await.map_err(db)?;
    let keys = store.keys();
    rows.iter()
        .map(|r| {
            let pid = text(r, "person_id")?;
            let id = text(r, "id")?;
            let person = |col: &str| open_opt(keys, opt_text(r, col)?, &person_ctx(col, &pid));
            Ok(WatchlistRecord {
                id: parsed(r, "id")?,
                person_id: parsed(r, "person_id")?,
                name_roman: person("name_roman")?,
                name_urdu: person("name_urdu")?,
                parentage_roman: person("parentage_roman")?,
                list: code(r, "list", WatchList::parse)?,
                edition: text(r, "edition")?,
                reference: opt_text(r, "reference")?,
                offence: open_opt(
                    keys,
                    opt_text(r, "offence")?,
                    &format!("watchlist_entries.offence:{id}"),
                )?,
                added_by: opt_text(r, "added_by_name")?.unwrap_or_default(),
                added_at: time(r, "added_at")?,
            })
        })
        .collect()
}

/// A screening candidate from its `persons` row, its sealed fields opened.
fn candidate_from(r: &AnyRow, keys: &nigehban_crypto::Keyring) -> Result<Candidate, StoreError> {
    let pid = text(r, "id")?;
    let field = |col: &str| open_opt(keys, opt_text(r, col)?, &person_ctx(col, &pid));
    Ok(Candidate {
        person_id: pid
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("persons.id `{pid}`")))?,
        agency: text(r, "agency")?,
        name_roman: field("name_roman")?,
        name_urdu: field("name_urdu")?,
        parentage_roman: field("parentage_roman")?,
        parentage_urdu: field("parentage_urdu")?,
        sex: code(r, "sex", Sex::parse)?,
        dob: field("dob")?.and_then(|d| d.parse().ok()),
    })
}

async fn opened(
    task: tokio::task::JoinHandle<Result<Vec<Candidate>, StoreError>>,
) -> Result<Vec<Candidate>, StoreError> {
    task.await
        .map_err(|e| StoreError::Database(format!("opening candidates: {e}")))?
}

/// Insert the new persons among `targets` (existing ones are left alone).
async fn insert_new_persons(
    conn: &mut AnyConnection,
    keys: &nigehban_crypto::Keyring,
    persons: &[&NewPerson],
) -> Result<(), StoreError> {
    if persons.is_empty() {
        return Ok(());
    }
    insert_persons(conn, keys, persons).await
}

#[async_trait]
impl IntakeStore for SqlStore {
    async fn insert_batch(&self, b: &NewBatch, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let id = b.id.to_string();
        sqlx::query(
            "INSERT INTO intake_batches (id, unit_id, agency, kind, post, arrival_date, country, place, reference, notes, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
        )
        .bind(id.clone())
        .bind(b.unit_id.to_string())
        .bind(b.agency.clone())
        .bind(b.batch.kind.as_str())
        .bind(b.batch.post.clone())
        .bind(b.batch.arrival_date.to_string())
        .bind(b.batch.country.clone())
        .bind(b.batch.place.clone())
        .bind(b.batch.reference.clone())
        .bind(seal_opt(
            self.keys(),
            b.batch.notes.as_deref(),
            &format!("intake_batches.notes:{id}"),
        )?)
        .bind(b.created_by.to_string())
        .bind(micros(b.created_at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        write_audit(&mut tx, self.keys(), head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    async fn batches(&self, unit: UnitId, limit: i64) -> StoreResult<Vec<BatchRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {BATCH_COLS} FROM {BATCH_FROM} WHERE b.unit_id = $1 ORDER BY b.created_at DESC LIMIT $2"
        ))
        .bind(unit.to_string())
        .bind(limit)
        .fetch_all(self.pool())
        .await
        .map_err(db)?;
        rows.iter().map(|r| batch_from(r, self.keys())).collect()
    }

    async fn batch(&self, id: BatchId) -> StoreResult<Option<BatchRecord>> {
        let row = sqlx::query(&format!(
            "SELECT {BATCH_COLS} FROM {BATCH_FROM} WHERE b.id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(self.pool())
        .await
        .map_err(db)?;
        row.map(|r| batch_from(&r, self.keys())).transpose()
    }

    async fn import_of(
        &self,
        batch: BatchId,
        file_hash: &str,
    ) -> StoreResult<Option<ImportRecord>> {
        let row = sqlx::query(
            "SELECT id, batch_id, file_name, file_hash, rows_total, rows_added, rows_rejected, by_user, at \
             FROM intake_imports WHERE batch_id = $1 AND file_hash = $2",
        )
        .bind(batch.to_string())
        .bind(file_hash.to_string())
        .fetch_optional(self.pool())
        .await
        .map_err(db)?;
        row.map(|r| {
            Ok(ImportRecord {
                id: text(&r, "id")?,
                batch_id: parsed(&r, "batch_id")?,
                file_name: text(&r, "file_name")?,
                file_hash: text(&r, "file_hash")?,
                rows_total: int(&r, "rows_total")?,
                rows_added: int(&r, "rows_added")?,
                rows_rejected: int(&r, "rows_rejected")?,
                by_user: parsed(&r, "by_user")?,
                at: time(&r, "at")?,
            })
        })
        .transpose()
    }

    async fn insert_entries(
        &self,
        batch: BatchId,
        import: Option<&ImportRecord>,
        entries: &[NewEntry],
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<EntriesAdded> {
        let keys = self.keys();
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let bid = batch.to_string();
        let existing = sqlx::query(
            "SELECT fingerprint, person_id, seq FROM intake_entries WHERE batch_id = $1",
        )
        .bind(bid.clone())
        .fetch_all(&mut *tx)
        .await
        .map_err(db)?;
        let mut fingerprints = HashSet::new();
        let mut persons = HashSet::new();
        let mut seq = 0i64;
        for r in &existing {
            fingerprints.insert(text(r, "fingerprint")?);
            persons.insert(text(r, "person_id")?);
            seq = seq.max(int(r, "seq")?);
        }
        let mut added = EntriesAdded::default();
        let mut new_persons: Vec<&NewPerson> = Vec::new();
        let mut rows = Vec::new();
        for e in entries {
            let fp = fingerprint_index(keys, &e.fingerprint);
            let pid = match &e.person {
                EntryPerson::Existing(p) => *p,
                EntryPerson::New(np) => np.id,
            };
            if fingerprints.contains(&fp) || persons.contains(&pid.to_string()) {
                added.already_in_batch += 1;
                added.skipped.push(e.id);
                continue;
            }
            fingerprints.insert(fp.clone());
            persons.insert(pid.to_string());
            if let EntryPerson::New(np) = &e.person {
                new_persons.push(np);
            }
            seq += 1;
            rows.push((e, pid, fp, seq));
        }
        if let Some(imp) = import {
            sqlx::query(
                "INSERT INTO intake_imports (id, batch_id, file_name, file_hash, rows_total, rows_added, rows_rejected, by_user, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(imp.id.clone())
            .bind(bid.clone())
            .bind(imp.file_name.clone())
            .bind(imp.file_hash.clone())
            .bind(imp.rows_total)
            .bind(i64::try_from(rows.len()).unwrap_or(i64::MAX))
            .bind(imp.rows_rejected)
            .bind(by.to_string())
            .bind(micros(at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        insert_new_persons(&mut tx, keys, &new_persons).await?;
        for chunk in rows.chunks(100) {
            let mut sql = Sql::new(
                "INSERT INTO intake_entries (id, batch_id, person_id, seq, source, import_id, source_row, fingerprint, status, \
                 flag_kinds, flags, victim_screening, extras, created_by, created_at, version) VALUES ",
            );
            for (i, (e, pid, fp, seq)) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                let id = e.id.to_string();
                let mut kinds: Vec<&str> = e.flags.iter().map(|f| f.kind.as_str()).collect();
                kinds.sort_unstable();
                kinds.dedup();
                sql.push("(")
                    .bind(id.clone())
                    .push(", ")
                    .bind(bid.clone())
                    .push(", ")
                    .bind(pid.to_string())
                    .push(", ")
                    .bind(*seq)
                    .push(", ")
                    .bind(if import.is_some() {
                        "manifest"
                    } else {
                        "manual"
                    })
                    .push(", ")
                    .bind(import.map(|i| i.id.clone()))
                    .push(", ")
                    .bind(e.source_row)
                    .push(", ")
                    .bind(fp.clone())
                    .push(", ")
                    .bind(IntakeStatus::Pending.as_str())
                    .push(", ")
                    .bind(kinds.join(","))
                    .push(", ")
                    .bind(sealed_json(keys, &e.flags, &entry_ctx("flags", &id))?)
                    .push(", ")
                    .bind(i64::from(e.victim_screening))
                    .push(", ")
                    .bind(sealed_json(keys, &e.extras, &entry_ctx("extras", &id))?)
                    .push(", ")
                    .bind(by.to_string())
                    .push(", ")
                    .bind(micros(at))
                    .push(", 1)");
            }
            sql.query().execute(&mut *tx).await.map_err(db)?;
        }
        added.added = i64::try_from(rows.len()).unwrap_or(i64::MAX);
        if rows.is_empty() && import.is_none() {
            // Nothing to record (a quick-add of a person already in the batch): no audit entry
            // claims a change that did not happen.
            tx.rollback().await.map_err(db)?;
            return Ok(added);
        }
        let mut audit = audit;
        if let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&audit.detail) {
            if let Some(o) = v.as_object_mut() {
                o.insert("added".into(), added.added.into());
                o.insert("already_in_batch".into(), added.already_in_batch.into());
            }
            audit.detail = v.to_string();
        }
        write_audit(&mut tx, keys, head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(added)
    }

    async fn entries(&self, batch: BatchId) -> StoreResult<Vec<EntryRecord>> {
        fetch_entries(self, "e.batch_id = $1", batch.to_string()).await
    }

    async fn entry(&self, id: IntakeEntryId) -> StoreResult<Option<EntryRecord>> {
        Ok(fetch_entries(self, "e.id = $1", id.to_string())
            .await?
            .into_iter()
            .next())
    }

    async fn next_to_process(
        &self,
        batch: BatchId,
        seq: i64,
    ) -> StoreResult<Option<IntakeEntryId>> {
        // After this one first, then from the start of the batch.
        let row = sqlx::query(
            "SELECT id FROM intake_entries WHERE batch_id = $1 AND status <> 'done' AND seq <> $2 \
             ORDER BY CASE WHEN seq > $2 THEN 0 ELSE 1 END, seq LIMIT 1",
        )
        .bind(batch.to_string())
        .bind(seq)
        .fetch_optional(self.pool())
        .await
        .map_err(db)?;
        row.map(|r| parsed(&r, "id")).transpose()
    }

    async fn save_interview(
        &self,
        save: &InterviewSave,
        audit: Option<AuditDraft>,
    ) -> StoreResult<()> {
        let keys = self.keys();
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let id = save.entry.to_string();
        let interview = sealed_json(keys, &save.draft, &entry_ctx("interview", &id))?;
        let status_row = sqlx::query("SELECT status FROM intake_entries WHERE id = $1")
            .bind(id.clone())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or_else(|| StoreError::Stale(id.clone()))?;
        let status = code(&status_row, "status", IntakeStatus::parse)?;
        let agents: Vec<&NewPerson> = save.new_persons.iter().collect();
        insert_new_persons(&mut tx, keys, &agents).await?;
        match &save.completed {
            None if save.reopen => {
                // The facts changed after completion: the suggestion no longer holds, and the
                // interview must be completed again before an outcome.
                sqlx::query(
                    "UPDATE intake_entries SET interview = $1, interview_saved_at = $2, interviewed_by = $3, \
                     status = 'pending', suggestion = NULL, version = version + 1 WHERE id = $4",
                )
                .bind(interview)
                .bind(micros(save.at))
                .bind(save.by.to_string())
                .bind(id.clone())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            }
            None => {
                sqlx::query(
                    "UPDATE intake_entries SET interview = $1, interview_saved_at = $2, interviewed_by = $3, \
                     version = version + 1 WHERE id = $4",
                )
                .bind(interview)
                .bind(micros(save.at))
                .bind(save.by.to_string())
                .bind(id.clone())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            }
            Some((suggestion, assessment)) => {
                let next = if status == IntakeStatus::Pending {
                    IntakeStatus::Interviewed
                } else {
                    status
                };
                sqlx::query(
                    "UPDATE intake_entries SET interview = $1, interview_saved_at = $2, interviewed_by = $3, \
                     suggestion = $4, assessment = $5, status = $6, version = version + 1 WHERE id = $7",
                )
                .bind(interview)
                .bind(micros(save.at))
                .bind(save.by.to_string())
                .bind(suggestion.as_str())
                .bind(sealed_json(keys, assessment, &entry_ctx("assessment", &id))?)
                .bind(next.as_str())
                .bind(id.clone())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            }
        }
        if let Some(audit) = audit {
            write_audit(&mut tx, keys, head, audit).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    async fn record_outcome(&self, w: &OutcomeWrite, audit: AuditDraft) -> StoreResult<()> {
        let keys = self.keys();
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let id = w.entry.to_string();
        let row = sqlx::query("SELECT version FROM intake_entries WHERE id = $1")
            .bind(id.clone())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?
            .ok_or_else(|| StoreError::Stale(id.clone()))?;
        if int(&row, "version")? != w.expected_version {
            return Err(StoreError::Stale(id));
        }
        let mut detail = w.detail.clone();
        let case_id = match &w.new_case {
            Some(c) => {
                let number = insert_case_row(&mut tx, keys, c).await?;
                detail.case_number = Some(number.to_string());
                Some(c.id)
            }
            None => w.case_id,
        };
        if let Some(case_id) = case_id {
            for (link, target, role) in &w.links {
                let pid = match target {
                    LinkTarget::Existing(p) => *p,
                    LinkTarget::New(np) => {
                        insert_persons(&mut tx, keys, &[np.as_ref()]).await?;
                        np.id
                    }
                };
                if role.role == PersonRole::Suspect {
                    detail.agents_linked.push(pid);
                }
                insert_link(&mut tx, *link, case_id, pid, *role, None, w.at).await?;
            }
            if w.new_case.is_none() {
                sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2")
                    .bind(micros(w.at))
                    .bind(case_id.to_string())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
            }
        }
        sqlx::query(
            "UPDATE intake_entries SET decision = $1, outcome = $2, outcome_case_id = $3, outcome_detail = $4, status = $5, \
             processed_by = $6, processed_at = $7, version = version + 1 WHERE id = $8",
        )
        .bind(w.decision.as_str())
        .bind(w.outcome.as_str())
        .bind(case_id.map(|c| c.to_string()))
        .bind(sealed_json(keys, &detail, &entry_ctx("outcome_detail", &id))?)
        .bind(IntakeStatus::Done.as_str())
        .bind(w.by.to_string())
        .bind(micros(w.at))
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        let mut audit = audit;
        if let (Some(n), Ok(mut v)) = (
            &detail.case_number,
            serde_json::from_str::<serde_json::Value>(&audit.detail),
        ) {
            if let Some(o) = v.as_object_mut() {
                o.insert("case_number".into(), n.clone().into());
            }
            audit.detail = v.to_string();
        }
        write_audit(&mut tx, keys, head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    async fn persons_by_identifiers(
        &self,
        ids: &[Identifier],
    ) -> StoreResult<Vec<(Identifier, PersonId)>> {
        let keys = self.keys();
        let mut by_lookup: HashMap<(String, String), &Identifier> = HashMap::new();
        for i in ids {
            let kind = i.kind.as_str().to_string();
            by_lookup.insert((kind.clone(), identifier_lookup(keys, &kind, &i.value)), i);
        }
        // By kind: the index is on (kind, lookup), and a lookup alone would scan every row.
        let mut by_kind: HashMap<&str, Vec<String>> = HashMap::new();
        for (kind, lookup) in by_lookup.keys() {
            by_kind
                .entry(kind.as_str())
                .or_default()
                .push(lookup.clone());
        }
        let mut out = Vec::new();
        let mut conn = self.pool().acquire().await.map_err(db)?;
        for (kind, lookups) in by_kind {
            for chunk in lookups.chunks(IN_CHUNK) {
                let mut sql = Sql::new(
                    "SELECT person_id, kind, lookup FROM person_identifiers WHERE person_id NOT IN \
                     (SELECT entity_id FROM seals WHERE entity_kind = 'person') AND kind = ",
                );
                sql.bind(kind.to_string()).push(" AND lookup IN (");
                push_in(&mut sql, chunk.iter().cloned());
                sql.push(")");
                for r in sql.query().fetch_all(&mut *conn).await.map_err(db)? {
                    if let Some(i) = by_lookup.get(&(text(&r, "kind")?, text(&r, "lookup")?)) {
                        out.push(((*i).clone(), parsed(&r, "person_id")?));
                    }
                }
            }
        }
        Ok(out)
    }

    async fn persons_by_match_keys(
        &self,
        plain: &[String],
        per_key: i64,
    ) -> StoreResult<Vec<(String, PersonId)>> {
        let keys = self.keys();
        let backend = self.backend();
        let blind: HashMap<String, &String> = plain
            .iter()
            .map(|k| (match_key_index(keys, k), k))
            .collect();
        let all: Vec<String> = blind.keys().cloned().collect();
        // Per key, at most one person more than `per_key` is read (a key shared by more is not
        // worth reading, and is dropped below), straight from the (key, person_id) index, and
        // the ids come back as one row per key.
        let limit = per_key.max(0).saturating_add(1);
        let agg = match backend {
            Backend::Sqlite => "group_concat(m.person_id, ',')",
            Backend::Postgres => "string_agg(m.person_id, ',')",
        };
        let mut out = Vec::new();
        let mut conn = self.pool().acquire().await.map_err(db)?;
        for chunk in all.chunks(LIST_CHUNK) {
            let mut sql = Sql::new(&format!(
                "SELECT list.value AS key, (SELECT {agg} FROM (SELECT person_id FROM person_match_keys \
                 WHERE key = list.value LIMIT {limit}) m) AS ids FROM "
            ));
            sql.push(list_table(backend))
                .bind(json_list(chunk))
                .push(list_table_end(backend));
            for r in sql.query().fetch_all(&mut *conn).await.map_err(db)? {
                let Some(ids) = opt_text(&r, "ids")? else {
                    continue;
                };
                let Some(k) = blind.get(&text(&r, "key")?) else {
                    continue;
                };
                let ids: Vec<&str> = ids.split(',').collect();
                if i64::try_from(ids.len()).unwrap_or(i64::MAX) > per_key {
                    continue;
                }
                for id in ids {
                    let pid = id.parse().map_err(|_| {
                        StoreError::Corrupt(format!("person_match_keys: person id `{id}`"))
                    })?;
                    out.push(((*k).clone(), pid));
                }
            }
        }
        Ok(out)
    }

    async fn candidates(&self, ids: &[PersonId]) -> StoreResult<Vec<Candidate>> {
        let backend = self.backend();
        let keys = std::sync::Arc::new(self.keys().clone());
        let mut conn = self.pool().acquire().await.map_err(db)?;
        // Opening the sealed names is half the work: each chunk is opened on a blocking thread
        // while the next one is read (one chunk in flight, so two cores are kept busy, no more).
        let mut out = Vec::with_capacity(ids.len());
        let mut opening: Option<tokio::task::JoinHandle<Result<Vec<Candidate>, StoreError>>> = None;
        for chunk in ids.chunks(LIST_CHUNK) {
            let mut sql = Sql::new(
                "SELECT id, agency, name_roman, name_urdu, parentage_roman, parentage_urdu, sex, dob FROM persons WHERE id NOT IN \
                 (SELECT entity_id FROM seals WHERE entity_kind = 'person') AND ",
            );
            let chunk: Vec<String> = chunk.iter().map(|p| p.to_string()).collect();
            push_list(&mut sql, backend, "id", &chunk);
            let rows = sql.query().fetch_all(&mut *conn).await.map_err(db)?;
            if let Some(task) = opening.take() {
                out.extend(opened(task).await?);
            }
            let keys = keys.clone();
            opening = Some(tokio::task::spawn_blocking(move || {
                rows.iter()
                    .map(|r| candidate_from(r, &keys))
                    .collect::<Result<Vec<_>, _>>()
            }));
        }
        if let Some(task) = opening {
            out.extend(opened(task).await?);
        }
        Ok(out)
    }

    async fn encounters(&self, ids: &[PersonId]) -> StoreResult<Vec<Encounter>> {
        let mut out = Vec::new();
        let roles = [
            PersonRole::Deportee,
            PersonRole::Offloadee,
            PersonRole::InterceptedMigrant,
        ];
        let mut conn = self.pool().acquire().await.map_err(db)?;
        let backend = self.backend();
        for chunk in ids.chunks(LIST_CHUNK) {
            let chunk: Vec<String> = chunk.iter().map(|p| p.to_string()).collect();
            let mut sql = Sql::new(
                "SELECT e.person_id, b.kind, b.arrival_date AS on_date, b.post AS place, b.id AS batch_id \
                 FROM intake_entries e JOIN intake_batches b ON b.id = e.batch_id WHERE ",
            );
            push_list(&mut sql, backend, "e.person_id", &chunk);
            sql.push(" UNION ALL SELECT cp.person_id, cp.role AS kind, c.offence_date AS on_date, c.district AS place, \
                      NULL AS batch_id FROM case_persons cp JOIN cases c ON c.id = cp.case_id WHERE cp.role IN (");
            push_in(&mut sql, roles.iter().map(|r| r.as_str().to_string()));
            sql.push(") AND ");
            push_list(&mut sql, backend, "cp.person_id", &chunk);
            for r in sql.query().fetch_all(&mut *conn).await.map_err(db)? {
                out.push(Encounter {
                    person_id: parsed(&r, "person_id")?,
                    kind: text(&r, "kind")?,
                    date: date(&r, "on_date")?,
                    place: opt_text(&r, "place")?,
                    batch_id: opt_text(&r, "batch_id")?
                        .map(|s| s.parse())
                        .transpose()
                        .map_err(|_| StoreError::Corrupt("encounter batch id".into()))?,
                });
            }
        }
        Ok(out)
    }

    async fn watchlist_of(&self, ids: &[PersonId]) -> StoreResult<Vec<WatchlistRecord>> {
        let mut out = Vec::new();
        // The persons on a list first (few, from the index), then their entries: joined at
        // once, SQLite would start from the hundred thousand persons asked about.
        let backend = self.backend();
        let mut listed = Vec::new();
        {
            let mut conn = self.pool().acquire().await.map_err(db)?;
            for chunk in ids.chunks(LIST_CHUNK) {
                let chunk: Vec<String> = chunk.iter().map(|p| p.to_string()).collect();
                let mut sql = Sql::new(
                    "SELECT DISTINCT person_id FROM watchlist_entries WHERE removed_at IS NULL AND ",
                );
                push_list(&mut sql, backend, "person_id", &chunk);
                for r in sql.query().fetch_all(&mut *conn).await.map_err(db)? {
                    listed.push(text(&r, "person_id")?);
                }
            }
        }
        for chunk in listed.chunks(LIST_CHUNK) {
            out.extend(watchlist_rows(self, "", chunk.to_vec(), i64::MAX).await?);
        }
        Ok(out)
    }

    async fn insert_watchlist(
        &self,
        entries: &[NewWatchlistEntry],
        audit: AuditDraft,
    ) -> StoreResult<()> {
        let keys = self.keys();
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let new: Vec<&NewPerson> = entries
            .iter()
            .filter_map(|e| match &e.person {
                EntryPerson::New(np) => Some(np.as_ref()),
                EntryPerson::Existing(_) => None,
            })
            .collect();
        insert_new_persons(&mut tx, keys, &new).await?;
        for e in entries {
            let id = e.id.to_string();
            let pid = match &e.person {
                EntryPerson::Existing(p) => *p,
                EntryPerson::New(np) => np.id,
            };
            sqlx::query(
                "INSERT INTO watchlist_entries (id, person_id, list, edition, reference, offence, added_by, added_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id.clone())
            .bind(pid.to_string())
            .bind(e.list.as_str())
            .bind(e.edition.clone())
            .bind(e.reference.clone())
            .bind(seal_opt(
                keys,
                e.offence.as_deref(),
                &format!("watchlist_entries.offence:{id}"),
            )?)
            .bind(e.added_by.to_string())
            .bind(micros(e.added_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        write_audit(&mut tx, keys, head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    async fn watchlist(
        &self,
        list: Option<WatchList>,
        limit: i64,
    ) -> StoreResult<Vec<WatchlistRecord>> {
        match list {
            // The list code is one of a closed set, so it can be written into the SQL.
            Some(l) => {
                watchlist_rows(
                    self,
                    &format!(" AND w.list = '{}'", l.as_str()),
                    Vec::new(),
                    limit,
                )
                .await
            }
            None => watchlist_rows(self, "", Vec::new(), limit).await,
        }
    }

    async fn remove_watchlist(
        &self,
        id: WatchlistEntryId,
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<bool> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let done = sqlx::query(
            "UPDATE watchlist_entries SET removed_by = $1, removed_at = $2 WHERE id = $3 AND removed_at IS NULL",
        )
        .bind(by.to_string())
        .bind(micros(at))
        .bind(id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected()
            > 0;
        if done {
            write_audit(&mut tx, self.keys(), head, audit).await?;
            tx.commit().await.map_err(db)?;
        }
        Ok(done)
    }
}
