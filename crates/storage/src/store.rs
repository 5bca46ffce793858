//! `SqlStore`: the `Store` trait on an sqlx `AnyPool`.

use crate::rows::*;
use crate::sealing::*;
use crate::sql::{Sql, Val};
use crate::DatabaseUrl;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use nigehban_core::audit::{AuditDraft, AuditEntry};
use nigehban_core::error::StoreError;
use nigehban_core::policy::{CaseRelation, Reach, Scope, ShareParts};
use nigehban_core::store::*;
use nigehban_crypto::Keyring;
use nigehban_domain::case::CaseNumber;
use nigehban_domain::identifiers::{Identifier, IdentifierKind};
use nigehban_domain::ids::{CaseId, CasePersonId, PersonId, UnitId, UserId};
use nigehban_domain::names::{fold_for_search, BilingualName, ParentageRelation};
use nigehban_domain::org::{Unit, UnitDef, UserRole};
use nigehban_domain::person::{AgeInfo, CaseRole, ChainRole, PersonRole, Sex, ValidatedPerson};
use nigehban_domain::stage::{CaseStage, Verdict};
use sqlx::any::AnyPoolOptions;
use sqlx::pool::PoolOptions;
use sqlx::AnyConnection;
use sqlx::{Any, AnyPool, Executor};
use std::sync::Arc;
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Rows per multi-row INSERT in bulk loads: under SQLite's and PostgreSQL's bind-parameter limits.
const BULK_ROWS: usize = 400;

pub(crate) fn db(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(d) = &e {
        if d.is_unique_violation() {
            return StoreError::Conflict(d.message().to_string());
        }
    }
    StoreError::Database(e.to_string())
}

/// The store. Cloning shares the pool.
#[derive(Clone, Debug)]
pub struct SqlStore {
    pool: AnyPool,
    backend: Backend,
    keys: Arc<Keyring>,
}

impl SqlStore {
    /// Connect, run the backend's pending migrations, and return the store.
    pub async fn connect(url: &DatabaseUrl, keys: Keyring) -> Result<SqlStore, StoreError> {
        sqlx::any::install_default_drivers();
        let (url, backend, max) = match url {
            DatabaseUrl::Sqlite(u) => (u.as_str(), Backend::Sqlite, 8),
            DatabaseUrl::Postgres(u) => (u.as_str(), Backend::Postgres, 16),
        };
        let opts: PoolOptions<Any> = AnyPoolOptions::new()
            .max_connections(max)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // WAL lets readers go on while one writer writes; writers wait their turn.
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA busy_timeout = 30000").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        // Statistics read a million-row fact table: a 32 MB page cache per
                        // connection (the default is 2 MB) and sorts in memory keep a yearly
                        // report off the disk.
                        conn.execute("PRAGMA cache_size = -32768").await?;
                        conn.execute("PRAGMA temp_store = MEMORY").await?;
                    } else {
                        // Every query here is short: compiling it first (JIT) costs more than it
                        // saves (50 ms on a statistics count that runs in 170). Counts sort up to
                        // a year of a million persons: 32 MB keeps those sorts in memory.
                        conn.execute("SET jit = off").await?;
                        conn.execute("SET work_mem = '32MB'").await?;
                    }
                    Ok(())
                })
            });
        let pool = opts
            .connect(url)
            .await
            .map_err(|e| StoreError::Database(format!("cannot open the database: {e}")))?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator
            .run(&pool)
            .await
            .map_err(|e| StoreError::Database(format!("migration failed: {e}")))?;
        let store = SqlStore {
            pool,
            backend,
            keys: Arc::new(keys),
        };
        store.seal_legacy().await?;
        store.backfill_match_keys().await?;
        Ok(store)
    }

    /// The keyring sealing identity fields.
    pub(crate) fn keys(&self) -> &Keyring {
        &self.keys
    }

    /// The pool, for tests that tamper with data on purpose.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Lock the audit chain head (the first statement of every write transaction) and return the
/// previous sequence number and hash.
pub(crate) async fn lock_head(conn: &mut AnyConnection) -> Result<(i64, String), StoreError> {
    let row = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
    Ok((int(&row, "seq")? - 1, text(&row, "hash")?))
}

/// Append the operation's audit entry after the locked head, and move the head.
pub(crate) async fn write_audit(
    conn: &mut AnyConnection,
    keys: &Keyring,
    head: (i64, String),
    draft: AuditDraft,
) -> Result<(), StoreError> {
    // The hash covers the plain detail; the database holds it sealed (searches and reasons may
    // name people).
    let e = AuditEntry::chain(draft, head.0, &head.1);
    let detail = seal(keys, &e.detail, &format!("audit_log.detail:{}", e.seq))?;
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor_id, actor_name, origin, action, entity_kind, entity_id, outcome, detail, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(e.seq)
    .bind(e.at_micros)
    .bind(e.actor_id.clone())
    .bind(e.actor_name.clone())
    .bind(e.origin.clone())
    .bind(e.action.clone())
    .bind(e.entity_kind.clone())
    .bind(e.entity_id.clone())
    .bind(e.outcome.clone())
    .bind(detail)
    .bind(e.prev_hash.clone())
    .bind(e.hash.clone())
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(e.hash)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

pub(crate) fn micros(t: DateTime<Utc>) -> i64 {
    t.timestamp_micros()
}

fn like_pattern(folded: &str) -> String {
    let escaped = folded
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

fn insert_person_rows(
    sql: &mut Sql,
    keys: &Keyring,
    persons: &[&NewPerson],
) -> Result<(), StoreError> {
    sql.push(
        "INSERT INTO persons (id, name_roman, name_urdu, parentage_relation, parentage_roman, parentage_urdu, sex, dob, \
         est_age, est_age_as_of, nationality_claimed, nationality_verified, origin_district, address, notes, agency, \
         created_by, created_at, search_text) VALUES ",
    );
    for (i, np) in persons.iter().enumerate() {
        let p = &np.person;
        let (dob, est, as_of) = match p.age {
            AgeInfo::DateOfBirth { date } => (Some(date.to_string()), None, None),
            AgeInfo::Estimated { years, as_of } => {
                (None, Some(i64::from(years)), Some(as_of.to_string()))
            }
            AgeInfo::Unknown => (None, None, None),
        };
        if i > 0 {
            sql.push(", ");
        }
        sql.push("(");
        let id = np.id.to_string();
        let sealed = |col: &str, v: Option<&str>| seal_opt(keys, v, &person_ctx(col, &id));
        let vals: Vec<Val> = vec![
            id.clone().into(),
            sealed("name_roman", p.name.roman.as_deref())?.into(),
            sealed("name_urdu", p.name.urdu.as_deref())?.into(),
            p.parentage_relation.map(|r| r.as_str().to_string()).into(),
            sealed("parentage_roman", p.parentage.roman.as_deref())?.into(),
            sealed("parentage_urdu", p.parentage.urdu.as_deref())?.into(),
            p.sex.as_str().into(),
            sealed("dob", dob.as_deref())?.into(),
            est.into(),
            as_of.into(),
            p.nationality_claimed.clone().into(),
            p.nationality_verified.clone().into(),
            p.origin_district.clone().into(),
            sealed("address", p.address.as_deref())?.into(),
            sealed("notes", p.notes.as_deref())?.into(),
            np.agency.clone().into(),
            np.created_by.to_string().into(),
            micros(np.created_at).into(),
            // Kept empty: names are found through blind-indexed tokens, never plain text.
            String::new().into(),
        ];
        for (j, v) in vals.into_iter().enumerate() {
            if j > 0 {
                sql.push(", ");
            }
            sql.bind(v);
        }
        sql.push(")");
    }
    Ok(())
}

fn insert_identifier_rows(
    sql: &mut Sql,
    keys: &Keyring,
    rows: &[(PersonId, &Identifier)],
) -> Result<(), StoreError> {
    sql.push("INSERT INTO person_identifiers (person_id, kind, value, country, lookup) VALUES ");
    for (i, (pid, idf)) in rows.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        let id = pid.to_string();
        let kind = idf.kind.as_str();
        sql.push("(")
            .bind(id.clone())
            .push(", ")
            .bind(kind)
            .push(", ");
        sql.bind(seal(keys, &idf.value, &identifier_ctx(&id, kind))?)
            .push(", ")
            .bind(idf.country.clone())
            .push(", ")
            .bind(identifier_lookup(keys, kind, &idf.value))
            .push(")");
    }
    Ok(())
}

fn insert_token_rows(sql: &mut Sql, rows: &[(String, String)]) {
    sql.push("INSERT INTO person_name_tokens (person_id, token) VALUES ");
    for (i, (pid, token)) in rows.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push("(")
            .bind(pid.clone())
            .push(", ")
            .bind(token.clone())
            .push(")");
    }
}

fn insert_match_key_rows(sql: &mut Sql, rows: &[(String, String)]) {
    sql.push("INSERT INTO person_match_keys (person_id, key) VALUES ");
    for (i, (pid, key)) in rows.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push("(")
            .bind(pid.clone())
            .push(", ")
            .bind(key.clone())
            .push(")");
    }
}

pub(crate) async fn insert_persons(
    conn: &mut AnyConnection,
    keys: &Keyring,
    persons: &[&NewPerson],
) -> Result<(), StoreError> {
    for chunk in persons.chunks(BULK_ROWS / 2) {
        let mut sql = Sql::default();
        insert_person_rows(&mut sql, keys, chunk)?;
        sql.query().execute(&mut *conn).await.map_err(db)?;
        let ids: Vec<(PersonId, &Identifier)> = chunk
            .iter()
            .flat_map(|p| {
                let mut seen = std::collections::HashSet::new();
                p.person
                    .identifiers
                    .iter()
                    .filter(move |i| seen.insert((i.kind, i.value.clone())))
                    .map(|i| (p.id, i))
            })
            .collect();
        for ichunk in ids.chunks(BULK_ROWS) {
            let mut sql = Sql::default();
            insert_identifier_rows(&mut sql, keys, ichunk)?;
            sql.query().execute(&mut *conn).await.map_err(db)?;
        }
        let tokens: Vec<(String, String)> = chunk
            .iter()
            .flat_map(|p| {
                let id = p.id.to_string();
                name_tokens(keys, &p.person)
                    .into_iter()
                    .map(move |t| (id.clone(), t))
            })
            .collect();
        for tchunk in tokens.chunks(BULK_ROWS) {
            let mut sql = Sql::default();
            insert_token_rows(&mut sql, tchunk);
            sql.query().execute(&mut *conn).await.map_err(db)?;
        }
        let mut match_keys: Vec<(String, String)> = Vec::new();
        for p in chunk {
            let id = p.id.to_string();
            for k in match_key_values(keys, &p.person)? {
                match_keys.push((id.clone(), k));
            }
        }
        for kchunk in match_keys.chunks(BULK_ROWS) {
            let mut sql = Sql::default();
            insert_match_key_rows(&mut sql, kchunk);
            sql.query().execute(&mut *conn).await.map_err(db)?;
        }
    }
    Ok(())
}

fn case_search_text(c: &NewCase) -> String {
    fold_for_search(&c.case.title)
}

async fn next_serial(conn: &mut AnyConnection, unit: UnitId, year: i32) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO case_counters (unit_id, year, last) VALUES ($1, $2, 1) \
         ON CONFLICT (unit_id, year) DO UPDATE SET last = case_counters.last + 1 RETURNING last",
    )
    .bind(unit.to_string())
    .bind(i64::from(year))
    .fetch_one(&mut *conn)
    .await
    .map_err(db)?;
    int(&row, "last")
}

pub(crate) async fn insert_case_row(
    conn: &mut AnyConnection,
    keys: &Keyring,
    c: &NewCase,
) -> Result<CaseNumber, StoreError> {
    let serial = next_serial(conn, c.unit_id, c.year).await?;
    let number = CaseNumber {
        unit_code: c.unit_code.clone(),
        year: c.year,
        serial: serial as u64,
    };
    let join = |v: Vec<&str>| v.join(",");
    sqlx::query(
        "INSERT INTO cases (id, number, unit_id, agency, year, serial, title, crime_types, exploitation_forms, province, \
         district, offence_date, narrative, stage, created_by, created_at, updated_at, search_text) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)",
    )
    .bind(c.id.to_string())
    .bind(number.to_string())
    .bind(c.unit_id.to_string())
    .bind(c.agency.clone())
    .bind(i64::from(c.year))
    .bind(serial)
    .bind(c.case.title.clone())
    .bind(join(c.case.crime_types.iter().map(|x| x.as_str()).collect()))
    .bind(join(c.case.exploitation_forms.iter().map(|x| x.as_str()).collect()))
    .bind(c.case.province.clone())
    .bind(c.case.district.clone())
    .bind(c.case.offence_date.to_string())
    .bind(seal_opt(keys, c.case.narrative.as_deref(), &format!("cases.narrative:{}", c.id))?)
    .bind(c.stage.as_str())
    .bind(c.created_by.to_string())
    .bind(micros(c.created_at))
    .bind(micros(c.created_at))
    .bind(case_search_text(c))
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    for p in &c.case.provisions {
        sqlx::query("INSERT INTO case_provisions (case_id, provision) VALUES ($1, $2)")
            .bind(c.id.to_string())
            .bind(p.clone())
            .execute(&mut *conn)
            .await
            .map_err(db)?;
    }
    Ok(number)
}

pub(crate) async fn insert_stage_event(
    conn: &mut AnyConnection,
    case: CaseId,
    e: &StageEvent,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO case_stage_events (id, case_id, from_stage, to_stage, occurred_on, reference, note, by_user, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(case.to_string())
    .bind(e.from.map(|s| s.as_str()))
    .bind(e.to.as_str())
    .bind(e.occurred_on.to_string())
    .bind(e.reference.clone())
    .bind(e.note.clone())
    .bind(e.by_user.clone())
    .bind(micros(e.at))
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(())
}

pub(crate) async fn insert_link(
    conn: &mut AnyConnection,
    link: CasePersonId,
    case: CaseId,
    person: PersonId,
    role: CaseRole,
    verdict: Option<Verdict>,
    at: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO case_persons (id, case_id, person_id, role, chain_role, verdict, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(link.to_string())
    .bind(case.to_string())
    .bind(person.to_string())
    .bind(role.role.as_str())
    .bind(role.chain_role.map(|c| c.as_str()))
    .bind(verdict.map(|v| v.as_str()))
    .bind(micros(at))
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(())
}

fn user_from(row: &sqlx::any::AnyRow, keys: &Keyring) -> Result<UserRecord, StoreError> {
    let id = text(row, "id")?;
    Ok(UserRecord {
        totp_secret: open_opt(
            keys,
            opt_text(row, "totp_secret")?,
            &format!("users.totp_secret:{id}"),
        )?,
        totp_enabled: int(row, "totp_enabled")? != 0,
        totp_last_step: int(row, "totp_last_step")?,
        id: parsed(row, "id")?,
        username: text(row, "username")?,
        display_name: text(row, "display_name")?,
        role: code(row, "role", UserRole::parse)?,
        unit_id: parsed(row, "unit_id")?,
        unit_code: text(row, "unit_code")?,
        agency: text(row, "agency")?,
        password_hash: text(row, "password_hash")?,
        active: int(row, "active")? != 0,
        created_at: time(row, "created_at")?,
        failed_logins: int(row, "failed_logins")?,
        locked_until: opt_time(row, "locked_until")?,
    })
}

const USER_COLS: &str =
    "us.id, us.username, us.display_name, us.role, us.unit_id, un.code AS unit_code, un.agency, \
     us.password_hash, us.active, us.created_at, us.failed_logins, us.locked_until, us.totp_secret, us.totp_enabled, us.totp_last_step FROM users us JOIN units un ON un.id = us.unit_id";

fn unit_from(row: &sqlx::any::AnyRow) -> Result<Unit, StoreError> {
    Ok(Unit {
        id: parsed(row, "id")?,
        code: text(row, "code")?,
        agency: text(row, "agency")?,
        name_en: text(row, "name_en")?,
        name_ur: text(row, "name_ur")?,
        district: text(row, "district")?,
    })
}

/// The cases (alias `c`) a scope sees: by reach (own unit, assignment, active share, or the
/// agency for analysts), minus cases sealed by court order that do not name the user. This is the
/// list-query form of `CaseAccess::decide`; the access-matrix tests hold the two together.
/// `persons_open`: only relations that open the persons of a case (no summary shares).
pub(crate) fn push_case_visible(sql: &mut Sql, scope: &Scope, now: i64, persons_open: bool) {
    match scope.reach {
        Reach::AgencyDeidentified => {
            sql.push("(c.agency = ")
                .bind(scope.agency.clone())
                .push(")");
        }
        reach => {
            sql.push("(");
            if reach == Reach::OwnUnit {
                sql.push("c.unit_id = ")
                    .bind(scope.unit_id.to_string())
                    .push(" OR ");
            }
            sql.push(
                "EXISTS (SELECT 1 FROM case_assignments a WHERE a.case_id = c.id AND a.user_id = ",
            )
            .bind(scope.user_id.to_string())
            .push(")");
            sql.push(" OR EXISTS (SELECT 1 FROM case_shares s WHERE s.case_id = c.id AND s.revoked_at IS NULL AND s.expires_at > ")
                .bind(now)
                .push(" AND (s.to_unit_id = ")
                .bind(scope.unit_id.to_string())
                .push(" OR s.to_agency = ")
                .bind(scope.agency.clone())
                .push(")");
            if persons_open {
                sql.push(" AND s.parts = 'full'");
            }
            sql.push("))");
        }
    }
    push_not_sealed(sql, "case", "c.id", scope);
}

fn push_not_sealed(sql: &mut Sql, kind: &str, id_expr: &str, scope: &Scope) {
    sql.push(&format!(
        " AND (NOT EXISTS (SELECT 1 FROM seals z WHERE z.entity_kind = '{kind}' AND z.entity_id = {id_expr}) \
         OR EXISTS (SELECT 1 FROM seal_access za WHERE za.entity_kind = '{kind}' AND za.entity_id = {id_expr} AND za.user_id = "
    ));
    sql.bind(scope.user_id.to_string()).push("))");
}

/// Columns describing how a scope relates to the case `c` (see `CaseRelation`).
fn push_relation_cols(sql: &mut Sql, scope: &Scope, now: i64) {
    sql.push("CAST(CASE WHEN c.unit_id = ")
        .bind(scope.unit_id.to_string())
        .push(" THEN 1 ELSE 0 END AS BIGINT) AS own_unit, ");
    sql.push("CAST(CASE WHEN c.agency = ")
        .bind(scope.agency.clone())
        .push(" THEN 1 ELSE 0 END AS BIGINT) AS own_agency, ");
    sql.push("(SELECT COUNT(*) FROM case_assignments a WHERE a.case_id = c.id AND a.user_id = ")
        .bind(scope.user_id.to_string())
        .push(") AS assigned, ");
    sql.push("(SELECT CAST(MAX(CASE WHEN s.parts = 'full' THEN 2 ELSE 1 END) AS BIGINT) FROM case_shares s WHERE s.case_id = c.id AND s.revoked_at IS NULL AND s.expires_at > ")
        .bind(now)
        .push(" AND (s.to_unit_id = ")
        .bind(scope.unit_id.to_string())
        .push(" OR s.to_agency = ")
        .bind(scope.agency.clone())
        .push(")) AS share, ");
    sql.push("(SELECT COUNT(*) FROM seals z WHERE z.entity_kind = 'case' AND z.entity_id = c.id) AS sealed, ");
    sql.push("(SELECT COUNT(*) FROM seal_access za WHERE za.entity_kind = 'case' AND za.entity_id = c.id AND za.user_id = ")
        .bind(scope.user_id.to_string())
        .push(") AS named");
}

fn relation_from(row: &sqlx::any::AnyRow) -> Result<CaseRelation, StoreError> {
    Ok(CaseRelation {
        own_unit: int(row, "own_unit")? != 0,
        own_agency: int(row, "own_agency")? != 0,
        assigned: int(row, "assigned")? != 0,
        share: match opt_int(row, "share")? {
            Some(2) => Some(ShareParts::Full),
            Some(1) => Some(ShareParts::Summary),
            _ => None,
        },
        sealed: int(row, "sealed")? != 0,
        named_on_seal: int(row, "named")? != 0,
    })
}

pub(crate) fn opt_time(
    r: &sqlx::any::AnyRow,
    col: &str,
) -> Result<Option<DateTime<Utc>>, StoreError> {
    match opt_int(r, col)? {
        Some(m) => Ok(Some(
            DateTime::from_timestamp_micros(m).ok_or_else(|| StoreError::Corrupt(col.into()))?,
        )),
        None => Ok(None),
    }
}

fn share_from(r: &sqlx::any::AnyRow, keys: &Keyring) -> Result<ShareRecord, StoreError> {
    let id = text(r, "id")?;
    Ok(ShareRecord {
        reason: open(
            keys,
            &text(r, "reason")?,
            &format!("case_shares.reason:{id}"),
        )?,
        id,
        case_id: parsed(r, "case_id")?,
        to_unit_id: opt_text(r, "to_unit_id")?
            .map(|u| u.parse())
            .transpose()
            .map_err(|_| StoreError::Corrupt("to_unit_id".into()))?,
        to_unit_code: opt_text(r, "to_unit_code")?,
        to_agency: opt_text(r, "to_agency")?,
        parts: code(r, "parts", ShareParts::parse)?,
        expires_at: time(r, "expires_at")?,
        created_by: text(r, "created_by")?,
        created_at: time(r, "created_at")?,
        revoked_by: opt_text(r, "revoked_by")?,
        revoked_at: opt_time(r, "revoked_at")?,
    })
}

fn audit_entry(r: &sqlx::any::AnyRow, keys: &Keyring) -> Result<AuditEntry, StoreError> {
    Ok(AuditEntry {
        seq: int(r, "seq")?,
        at_micros: int(r, "at")?,
        actor_id: opt_text(r, "actor_id")?,
        actor_name: text(r, "actor_name")?,
        origin: text(r, "origin")?,
        action: text(r, "action")?,
        entity_kind: text(r, "entity_kind")?,
        entity_id: opt_text(r, "entity_id")?,
        outcome: text(r, "outcome")?,
        // A detail that no longer opens was altered: verification reports the entry as edited.
        detail: open(
            keys,
            &text(r, "detail")?,
            &format!("audit_log.detail:{}", int(r, "seq")?),
        )
        .unwrap_or_else(|_| "\u{0}undecryptable".to_string()),
        prev_hash: text(r, "prev_hash")?,
        hash: text(r, "hash")?,
    })
}

/// The identifier/name matching part of a search, as a set of person ids.
fn push_person_hits(sql: &mut Sql, keys: &Keyring, q: &SearchQuery) {
    // Every word of the query must match a name token of the person: the whole word or the start
    // of one (blind-indexed: the database never sees the words).
    let query_words = words(&q.folded_text);
    sql.push("SELECT n.id FROM (");
    if query_words.is_empty() {
        sql.push("SELECT p.id FROM persons p WHERE 1 = 0");
    }
    for (i, w) in query_words.iter().enumerate() {
        if i > 0 {
            sql.push(" INTERSECT ");
        }
        sql.push("SELECT t.person_id AS id FROM person_name_tokens t WHERE t.token IN (");
        for (j, t) in query_word_tokens(keys, w).into_iter().enumerate() {
            if j > 0 {
                sql.push(", ");
            }
            sql.bind(t);
        }
        sql.push(")");
    }
    sql.push(") n");
    for idf in &q.identifiers {
        sql.push(" UNION SELECT i.person_id AS id FROM person_identifiers i WHERE i.kind = ")
            .bind(idf.kind.as_str())
            .push(" AND i.lookup = ")
            .bind(identifier_lookup(keys, idf.kind.as_str(), &idf.value));
    }
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> Backend {
        self.backend
    }

    async fn seed_units(&self, units: &[UnitDef]) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        for u in units {
            sqlx::query(
                "INSERT INTO units (id, code, agency, name_en, name_ur, district) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (code) DO NOTHING",
            )
            .bind(UnitId::new().to_string())
            .bind(u.code.clone())
            .bind(u.agency.clone())
            .bind(u.name_en.clone())
            .bind(u.name_ur.clone())
            .bind(u.district.clone())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    async fn units(&self) -> StoreResult<Vec<Unit>> {
        let rows = sqlx::query(
            "SELECT id, code, agency, name_en, name_ur, district FROM units ORDER BY code",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(unit_from).collect()
    }

    async fn unit_by_code(&self, code: &str) -> StoreResult<Option<Unit>> {
        let row = sqlx::query(
            "SELECT id, code, agency, name_en, name_ur, district FROM units WHERE code = $1",
        )
        .bind(code.to_string())
        .fetch_optional(&self.pool)
        .await
        .map_err(db)?;
        row.as_ref().map(unit_from).transpose()
    }

    async fn insert_unit(&self, u: &Unit, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        sqlx::query("INSERT INTO units (id, code, agency, name_en, name_ur, district) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(u.id.to_string())
            .bind(u.code.clone())
            .bind(u.agency.clone())
            .bind(u.name_en.clone())
            .bind(u.name_ur.clone())
            .bind(u.district.clone())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)
    }

    async fn insert_user(&self, u: &UserRecord, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        sqlx::query(
            "INSERT INTO users (id, username, display_name, role, unit_id, password_hash, active, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(u.id.to_string())
        .bind(u.username.clone())
        .bind(u.display_name.clone())
        .bind(u.role.as_str())
        .bind(u.unit_id.to_string())
        .bind(u.password_hash.clone())
        .bind(i64::from(u.active))
        .bind(micros(u.created_at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)
    }

    async fn user_by_username(&self, username: &str) -> StoreResult<Option<UserRecord>> {
        let row = sqlx::query(&format!("SELECT {USER_COLS} WHERE us.username = $1"))
            .bind(username.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(|r| user_from(r, &self.keys)).transpose()
    }

    async fn user_by_id(&self, id: UserId) -> StoreResult<Option<UserRecord>> {
        let row = sqlx::query(&format!("SELECT {USER_COLS} WHERE us.id = $1"))
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.as_ref().map(|r| user_from(r, &self.keys)).transpose()
    }

    async fn set_password(&self, id: UserId, hash: &str, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(hash.to_string())
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        // A new password ends every open session of the user.
        sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)
    }

    async fn insert_session(&self, s: &SessionRecord) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, mfa_done) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(s.token_hash.clone())
        .bind(s.user_id.to_string())
        .bind(s.csrf_token.clone())
        .bind(micros(s.created_at))
        .bind(micros(s.last_seen_at))
        .bind(micros(s.expires_at))
        .bind(i64::from(s.mfa_done))
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(())
    }

    async fn session(&self, token_hash: &str) -> StoreResult<Option<SessionRecord>> {
        let row = sqlx::query("SELECT token_hash, user_id, csrf_token, created_at, last_seen_at, expires_at, mfa_done FROM sessions WHERE token_hash = $1")
            .bind(token_hash.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        row.map(|r| {
            Ok(SessionRecord {
                token_hash: text(&r, "token_hash")?,
                user_id: parsed(&r, "user_id")?,
                csrf_token: text(&r, "csrf_token")?,
                created_at: time(&r, "created_at")?,
                last_seen_at: time(&r, "last_seen_at")?,
                expires_at: time(&r, "expires_at")?,
                mfa_done: int(&r, "mfa_done")? != 0,
            })
        })
        .transpose()
    }

    async fn touch_session(&self, token_hash: &str, at: DateTime<Utc>) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(micros(at))
            .bind(token_hash.to_string())
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash.to_string())
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn insert_case(&self, c: &NewCase, audit: AuditDraft) -> StoreResult<CaseNumber> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let number = insert_case_row(&mut tx, &self.keys, c).await?;
        let mut audit = audit;
        // Record the allocated number with the creation.
        if let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&audit.detail) {
            if let Some(o) = v.as_object_mut() {
                o.insert(
                    "number".into(),
                    serde_json::Value::String(number.to_string()),
                );
            }
            audit.detail = v.to_string();
        }
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(number)
    }

    async fn case_detail(&self, id: CaseId) -> StoreResult<Option<CaseDetail>> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        let Some(row) = sqlx::query(&format!(
            "SELECT {CASE_COLS}, c.exploitation_forms, c.narrative, us.username AS created_by_name \
             FROM {CASE_FROM} LEFT JOIN users us ON us.id = c.created_by WHERE c.id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
        else {
            return Ok(None);
        };
        let summary = case_summary(&row)?;
        let provisions = sqlx::query(
            "SELECT provision FROM case_provisions WHERE case_id = $1 ORDER BY provision",
        )
        .bind(id.to_string())
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(|r| text(r, "provision"))
        .collect::<Result<Vec<_>, _>>()?;
        let persons = sqlx::query(
            "SELECT cp.id AS link_id, cp.person_id, cp.role, cp.chain_role, cp.verdict, cp.added_at, p.name_roman, p.name_urdu, p.sex \
             FROM case_persons cp JOIN persons p ON p.id = cp.person_id WHERE cp.case_id = $1 ORDER BY cp.added_at, cp.id",
        )
        .bind(id.to_string())
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(|r| {
            let pid = text(r, "person_id")?;
            Ok(CasePerson {
                link_id: parsed(r, "link_id")?,
                person_id: parsed(r, "person_id")?,
                name_roman: open_opt(&self.keys, opt_text(r, "name_roman")?, &person_ctx("name_roman", &pid))?,
                name_urdu: open_opt(&self.keys, opt_text(r, "name_urdu")?, &person_ctx("name_urdu", &pid))?,
                sex: text(r, "sex")?,
                role: CaseRole { role: code(r, "role", PersonRole::parse)?, chain_role: opt_code(r, "chain_role", ChainRole::parse)? },
                verdict: opt_code(r, "verdict", Verdict::parse)?,
                added_at: time(r, "added_at")?,
                pseudonymised: false,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        let history = sqlx::query(
            "SELECT from_stage, to_stage, occurred_on, reference, note, by_user, at FROM case_stage_events WHERE case_id = $1 ORDER BY at, id",
        )
        .bind(id.to_string())
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(|r| {
            Ok(StageEvent {
                from: opt_code(r, "from_stage", CaseStage::parse)?,
                to: code(r, "to_stage", CaseStage::parse)?,
                occurred_on: date(r, "occurred_on")?,
                reference: opt_text(r, "reference")?,
                note: opt_text(r, "note")?,
                by_user: text(r, "by_user")?,
                at: time(r, "at")?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(CaseDetail {
            summary,
            exploitation_forms: list(&row, "exploitation_forms")?,
            provisions,
            narrative: open_opt(
                &self.keys,
                opt_text(&row, "narrative")?,
                &format!("cases.narrative:{id}"),
            )?,
            created_by: opt_text(&row, "created_by_name")?.unwrap_or_else(|| "system".into()),
            persons,
            history,
        }))
    }

    async fn search_cases(&self, q: &SearchQuery) -> StoreResult<Vec<CaseSummary>> {
        let mut sql = Sql::new("WITH hits AS (");
        push_person_hits(&mut sql, &self.keys, q);
        sql.push(&format!(") SELECT {CASE_COLS} FROM {CASE_FROM} WHERE "));
        push_case_visible(&mut sql, &q.scope, q.now, false);
        sql.push(" AND (");
        match &q.case_number {
            Some(n) => sql.push("c.number = ").bind(n.to_string()),
            None => sql.push("1 = 0"),
        };
        if q.folded_text.chars().count() >= 2 {
            sql.push(" OR c.search_text LIKE ")
                .bind(like_pattern(&q.folded_text))
                .push(" ESCAPE '\\'");
            sql.push(" OR c.number LIKE ")
                .bind(like_pattern(&q.folded_text.to_ascii_uppercase()))
                .push(" ESCAPE '\\'");
        }
        // Matching a case through its persons only where the searcher may see them: otherwise a
        // summary share or an analyst's view would tell whether a CNIC or name is in the case.
        if q.scope.reach != Reach::AgencyDeidentified {
            sql.push(" OR (c.id IN (SELECT cp.case_id FROM case_persons cp WHERE cp.person_id IN (SELECT id FROM hits)) AND ");
            push_case_visible(&mut sql, &q.scope, q.now, true);
            sql.push(")");
        }
        sql.push(") ORDER BY c.created_at DESC, c.id DESC LIMIT ")
            .bind(q.limit);
        let rows = sql.query().fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(case_summary).collect()
    }

    async fn recent_cases(
        &self,
        scope: &Scope,
        now: i64,
        limit: i64,
    ) -> StoreResult<Vec<CaseSummary>> {
        let mut sql = Sql::new(&format!("SELECT {CASE_COLS} FROM {CASE_FROM} WHERE "));
        push_case_visible(&mut sql, scope, now, false);
        sql.push(" ORDER BY c.created_at DESC, c.id DESC LIMIT ")
            .bind(limit);
        let rows = sql.query().fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(case_summary).collect()
    }

    async fn case_relation(
        &self,
        id: CaseId,
        scope: &Scope,
        now: i64,
    ) -> StoreResult<Option<CaseRelation>> {
        let mut sql = Sql::new("SELECT ");
        push_relation_cols(&mut sql, scope, now);
        sql.push(" FROM cases c WHERE c.id = ").bind(id.to_string());
        let row = sql.query().fetch_optional(&self.pool).await.map_err(db)?;
        row.as_ref().map(relation_from).transpose()
    }

    async fn person_relation(
        &self,
        id: PersonId,
        scope: &Scope,
        now: i64,
    ) -> StoreResult<Option<PersonRelation>> {
        let exists = sqlx::query("SELECT id FROM persons WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await
            .map_err(db)?;
        if exists.is_none() {
            return Ok(None);
        }
        let mut sql = Sql::new("SELECT ");
        push_relation_cols(&mut sql, scope, now);
        sql.push(" FROM case_persons cp JOIN cases c ON c.id = cp.case_id WHERE cp.person_id = ")
            .bind(id.to_string());
        let rows = sql.query().fetch_all(&self.pool).await.map_err(db)?;
        let cases = rows
            .iter()
            .map(relation_from)
            .collect::<Result<Vec<_>, _>>()?;
        let seal = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM seals z WHERE z.entity_kind = 'person' AND z.entity_id = $1) AS sealed, \
             (SELECT COUNT(*) FROM seal_access za WHERE za.entity_kind = 'person' AND za.entity_id = $1 AND za.user_id = $2) AS named, \
             (SELECT COUNT(*) FROM intake_entries e JOIN intake_batches b ON b.id = e.batch_id \
              WHERE e.person_id = $1 AND b.unit_id = $3) AS own_batches",
        )
        .bind(id.to_string())
        .bind(scope.user_id.to_string())
        .bind(scope.unit_id.to_string())
        .fetch_one(&self.pool)
        .await
        .map_err(db)?;
        Ok(Some(PersonRelation {
            cases,
            sealed: int(&seal, "sealed")? != 0,
            named_on_seal: int(&seal, "named")? != 0,
            in_own_batch: int(&seal, "own_batches")? != 0,
        }))
    }

    async fn assign_case(
        &self,
        id: CaseId,
        user: UserId,
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        sqlx::query("INSERT INTO case_assignments (case_id, user_id, assigned_by, assigned_at) VALUES ($1, $2, $3, $4)")
            .bind(id.to_string())
            .bind(user.to_string())
            .bind(by.to_string())
            .bind(micros(at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)
    }

    async fn insert_share(&self, s: &ShareRecord, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        sqlx::query(
            "INSERT INTO case_shares (id, case_id, to_unit_id, to_agency, parts, reason, expires_at, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(s.id.clone())
        .bind(s.case_id.to_string())
        .bind(s.to_unit_id.map(|u| u.to_string()))
        .bind(s.to_agency.clone())
        .bind(s.parts.as_str())
        .bind(seal(&self.keys, &s.reason, &format!("case_shares.reason:{}", s.id))?)
        .bind(micros(s.expires_at))
        .bind(s.created_by.clone())
        .bind(micros(s.created_at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)
    }

    async fn revoke_share(
        &self,
        case: CaseId,
        share_id: &str,
        by: &str,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let done = sqlx::query("UPDATE case_shares SET revoked_by = $1, revoked_at = $2 WHERE id = $3 AND case_id = $4 AND revoked_at IS NULL")
            .bind(by.to_string())
            .bind(micros(at))
            .bind(share_id.to_string())
            .bind(case.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn case_shares(&self, case: CaseId) -> StoreResult<Vec<ShareRecord>> {
        let rows = sqlx::query(
            "SELECT s.id, s.case_id, s.to_unit_id, u.code AS to_unit_code, s.to_agency, s.parts, s.reason, s.expires_at, s.created_by, \
             s.created_at, s.revoked_by, s.revoked_at FROM case_shares s LEFT JOIN units u ON u.id = s.to_unit_id \
             WHERE s.case_id = $1 ORDER BY s.created_at DESC",
        )
        .bind(case.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(|r| share_from(r, &self.keys)).collect()
    }

    async fn seal(&self, seal: &SealOrder, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        sqlx::query("INSERT INTO seals (entity_kind, entity_id, order_ref, sealed_by, sealed_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(seal.kind)
            .bind(seal.id.clone())
            .bind(seal.order_ref.clone())
            .bind(seal.by.to_string())
            .bind(micros(seal.at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        for u in &seal.named {
            sqlx::query(
                "INSERT INTO seal_access (entity_kind, entity_id, user_id) VALUES ($1, $2, $3)",
            )
            .bind(seal.kind)
            .bind(seal.id.clone())
            .bind(u.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)
    }

    async fn sealed_persons_of_case(
        &self,
        case: CaseId,
        user: UserId,
    ) -> StoreResult<Vec<PersonId>> {
        let rows = sqlx::query(
            "SELECT DISTINCT cp.person_id FROM case_persons cp JOIN seals z ON z.entity_kind = 'person' AND z.entity_id = cp.person_id \
             WHERE cp.case_id = $1 AND NOT EXISTS (SELECT 1 FROM seal_access za WHERE za.entity_kind = 'person' \
             AND za.entity_id = cp.person_id AND za.user_id = $2)",
        )
        .bind(case.to_string())
        .bind(user.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(|r| parsed(r, "person_id")).collect()
    }

    async fn insert_reveal(
        &self,
        r: &RevealRecord,
        user: UserId,
        audit: AuditDraft,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let rid = uuid::Uuid::now_v7().to_string();
        let reason = seal(
            &self.keys,
            &r.reason,
            &format!("identity_reveals.reason:{rid}"),
        )?;
        sqlx::query("INSERT INTO identity_reveals (id, person_id, user_id, reason, revealed_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(rid)
            .bind(r.person_id.to_string())
            .bind(user.to_string())
            .bind(reason)
            .bind(micros(r.revealed_at))
            .bind(micros(r.expires_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)
    }

    async fn reveals(&self, person: PersonId) -> StoreResult<Vec<RevealRecord>> {
        let rows = sqlx::query(
            "SELECT r.id, r.person_id, u.username, r.reason, r.revealed_at, r.expires_at FROM identity_reveals r JOIN users u ON u.id = r.user_id \
             WHERE r.person_id = $1 ORDER BY r.revealed_at DESC",
        )
        .bind(person.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(RevealRecord {
                    person_id: parsed(r, "person_id")?,
                    username: text(r, "username")?,
                    reason: open(
                        &self.keys,
                        &text(r, "reason")?,
                        &format!("identity_reveals.reason:{}", text(r, "id")?),
                    )?,
                    revealed_at: time(r, "revealed_at")?,
                    expires_at: time(r, "expires_at")?,
                })
            })
            .collect()
    }

    async fn has_active_reveal(
        &self,
        person: PersonId,
        user: UserId,
        now: i64,
    ) -> StoreResult<bool> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM identity_reveals WHERE person_id = $1 AND user_id = $2 AND expires_at > $3")
            .bind(person.to_string())
            .bind(user.to_string())
            .bind(now)
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        Ok(int(&r, "n")? > 0)
    }

    async fn login_failed(
        &self,
        user: UserId,
        locked_until: Option<DateTime<Utc>>,
        audit: AuditDraft,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        sqlx::query(
            "UPDATE users SET failed_logins = failed_logins + 1, locked_until = $1 WHERE id = $2",
        )
        .bind(locked_until.map(micros))
        .bind(user.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)
    }

    async fn login_succeeded(&self, user: UserId) -> StoreResult<()> {
        sqlx::query("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(user.to_string())
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn users_of_agency(&self, agency: &str) -> StoreResult<Vec<UserRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLS} WHERE un.agency = $1 ORDER BY us.username"
        ))
        .bind(agency.to_string())
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(|r| user_from(r, &self.keys)).collect()
    }

    async fn set_user_active(
        &self,
        user: UserId,
        active: bool,
        audit: AuditDraft,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        sqlx::query("UPDATE users SET active = $1 WHERE id = $2")
            .bind(i64::from(active))
            .bind(user.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if !active {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1")
                .bind(user.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)
    }

    async fn record_transition(
        &self,
        id: CaseId,
        expected: CaseStage,
        event: &StageEvent,
        verdicts: &[(PersonId, Verdict)],
        audit: AuditDraft,
    ) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let moved = sqlx::query(
            "UPDATE cases SET stage = $1, updated_at = $2 WHERE id = $3 AND stage = $4",
        )
        .bind(event.to.as_str())
        .bind(micros(event.at))
        .bind(id.to_string())
        .bind(expected.as_str())
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        if moved.rows_affected() != 1 {
            let now = sqlx::query("SELECT stage FROM cases WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db)?;
            let stage = match now {
                Some(r) => text(&r, "stage")?,
                None => "missing".into(),
            };
            return Err(StoreError::Stale(stage));
        }
        insert_stage_event(&mut tx, id, event).await?;
        for (person, verdict) in verdicts {
            sqlx::query("UPDATE case_persons SET verdict = $1 WHERE case_id = $2 AND person_id = $3 AND role = 'suspect'")
                .bind(verdict.as_str())
                .bind(id.to_string())
                .bind(person.to_string())
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)
    }

    async fn link_person(
        &self,
        case_id: CaseId,
        link_id: CasePersonId,
        target: &LinkTarget,
        role: CaseRole,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<PersonId> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let pid = match target {
            LinkTarget::Existing(pid) => *pid,
            LinkTarget::New(np) => {
                insert_persons(&mut tx, &self.keys, &[np.as_ref()]).await?;
                np.id
            }
        };
        insert_link(&mut tx, link_id, case_id, pid, role, None, at).await?;
        sqlx::query("UPDATE cases SET updated_at = $1 WHERE id = $2")
            .bind(micros(at))
            .bind(case_id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        let mut audit = audit;
        audit.detail = {
            let mut v: serde_json::Value = serde_json::from_str(&audit.detail).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("person".into(), serde_json::Value::String(pid.to_string()));
            }
            v.to_string()
        };
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(pid)
    }

    async fn insert_person(&self, p: &NewPerson, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        insert_persons(&mut tx, &self.keys, &[p]).await?;
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)
    }

    async fn person_detail(&self, id: PersonId) -> StoreResult<Option<PersonDetail>> {
        let mut conn = self.pool.acquire().await.map_err(db)?;
        let Some(r) = sqlx::query("SELECT * FROM persons WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?
        else {
            return Ok(None);
        };
        let identifiers = sqlx::query("SELECT kind, value, country FROM person_identifiers WHERE person_id = $1 ORDER BY kind, lookup")
            .bind(id.to_string())
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?
            .iter()
            .map(|i| {
                let kind = code(i, "kind", IdentifierKind::parse)?;
                Ok(Identifier {
                    kind,
                    value: open(&self.keys, &text(i, "value")?, &identifier_ctx(&id.to_string(), kind.as_str()))?,
                    country: opt_text(i, "country")?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        let pid = id.to_string();
        let field = |col: &str| -> Result<Option<String>, StoreError> {
            open_opt(&self.keys, opt_text(&r, col)?, &person_ctx(col, &pid))
        };
        let dob = match field("dob")? {
            Some(d) => Some(
                chrono::NaiveDate::parse_from_str(&d, "%Y-%m-%d")
                    .map_err(|_| StoreError::Corrupt("persons.dob".into()))?,
            ),
            None => None,
        };
        let age = match (dob, opt_int(&r, "est_age")?, opt_date(&r, "est_age_as_of")?) {
            (Some(date), _, _) => AgeInfo::DateOfBirth { date },
            (None, Some(y), Some(as_of)) => AgeInfo::Estimated {
                years: u32::try_from(y).unwrap_or(0),
                as_of,
            },
            _ => AgeInfo::Unknown,
        };
        let person = ValidatedPerson {
            name: BilingualName {
                roman: field("name_roman")?,
                urdu: field("name_urdu")?,
            },
            parentage_relation: opt_code(&r, "parentage_relation", ParentageRelation::parse)?,
            parentage: BilingualName {
                roman: field("parentage_roman")?,
                urdu: field("parentage_urdu")?,
            },
            sex: code(&r, "sex", Sex::parse)?,
            age,
            nationality_claimed: opt_text(&r, "nationality_claimed")?,
            nationality_verified: opt_text(&r, "nationality_verified")?,
            origin_district: opt_text(&r, "origin_district")?,
            identifiers,
            address: field("address")?,
            notes: field("notes")?,
        };
        let cases = sqlx::query(
            "SELECT cp.case_id, c.number, c.agency, cp.role, cp.chain_role FROM case_persons cp JOIN cases c ON c.id = cp.case_id \
             WHERE cp.person_id = $1 ORDER BY c.created_at",
        )
        .bind(id.to_string())
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(|c| {
            let number = text(c, "number")?;
            Ok(PersonCaseLink {
                case_id: parsed(c, "case_id")?,
                case_number: CaseNumber::parse(&number).map_err(|_| StoreError::Corrupt(format!("number `{number}`")))?,
                agency: text(c, "agency")?,
                role: CaseRole { role: code(c, "role", PersonRole::parse)?, chain_role: opt_code(c, "chain_role", ChainRole::parse)? },
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(PersonDetail {
            id,
            person,
            agency: text(&r, "agency")?,
            created_at: time(&r, "created_at")?,
            cases,
            pseudonymised: false,
        }))
    }

    async fn search_persons(&self, q: &SearchQuery) -> StoreResult<Vec<PersonSummary>> {
        let mut sql = Sql::new("WITH hits AS (");
        push_person_hits(&mut sql, &self.keys, q);
        sql.push(&format!(
            ") SELECT {} FROM persons p WHERE p.id IN (SELECT id FROM hits) AND EXISTS (SELECT 1 FROM case_persons cp \
             JOIN cases c ON c.id = cp.case_id WHERE cp.person_id = p.id AND ",
            person_summary_cols()
        ));
        push_case_visible(&mut sql, &q.scope, q.now, true);
        sql.push(")");
        push_not_sealed(&mut sql, "person", "p.id", &q.scope);
        sql.push(" ORDER BY p.created_at DESC, p.id DESC LIMIT ")
            .bind(q.limit);
        let rows = sql.query().fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(|r| person_summary(r, &self.keys)).collect()
    }

    async fn append_audit(&self, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)
    }

    async fn audit_page(&self, after: i64, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT seq, at, actor_id, actor_name, origin, action, entity_kind, entity_id, outcome, detail, prev_hash, hash \
             FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .map_err(db)?;
        rows.iter().map(|r| audit_entry(r, &self.keys)).collect()
    }

    async fn audit_head(&self) -> StoreResult<(i64, String)> {
        let r = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        Ok((int(&r, "seq")?, text(&r, "hash")?))
    }

    async fn bulk_insert(&self, batch: &BulkBatch, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let persons: Vec<&NewPerson> = batch.persons.iter().collect();
        insert_persons(&mut tx, &self.keys, &persons).await?;
        for bc in &batch.cases {
            insert_case_row(&mut tx, &self.keys, &bc.case).await?;
            for e in &bc.history {
                insert_stage_event(&mut tx, bc.case.id, e).await?;
            }
            for (link, pid, role, verdict) in &bc.persons {
                insert_link(
                    &mut tx,
                    *link,
                    bc.case.id,
                    *pid,
                    *role,
                    *verdict,
                    bc.case.created_at,
                )
                .await?;
            }
        }
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)
    }

    async fn set_totp(
        &self,
        user: UserId,
        secret: Option<&str>,
        enabled: bool,
        audit: Option<AuditDraft>,
    ) -> StoreResult<()> {
        let id = user.to_string();
        let sealed = seal_opt(&self.keys, secret, &format!("users.totp_secret:{id}"))?;
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = match &audit {
            Some(_) => Some(lock_head(&mut tx).await?),
            None => None,
        };
        sqlx::query("UPDATE users SET totp_secret = $1, totp_enabled = $2 WHERE id = $3")
            .bind(sealed)
            .bind(i64::from(enabled))
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if let (Some(head), Some(audit)) = (head, audit) {
            write_audit(&mut tx, &self.keys, head, audit).await?;
        }
        tx.commit().await.map_err(db)
    }

    async fn use_totp_step(&self, user: UserId, step: i64) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
        )
        .bind(step)
        .bind(user.to_string())
        .execute(&self.pool)
        .await
        .map_err(db)?;
        Ok(done.rows_affected() == 1)
    }

    async fn session_mfa_done(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET mfa_done = 1 WHERE token_hash = $1")
            .bind(token_hash.to_string())
            .execute(&self.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    async fn audit_search(&self, f: &AuditFilter) -> StoreResult<Vec<AuditEntry>> {
        let mut sql = Sql::new(
            "SELECT seq, at, actor_id, actor_name, origin, action, entity_kind, entity_id, outcome, detail, prev_hash, hash FROM audit_log WHERE 1 = 1",
        );
        if let Some(a) = f.actor_name.as_deref().filter(|s| !s.is_empty()) {
            sql.push(" AND actor_name = ").bind(a);
        }
        if let Some(e) = f.entity_id.as_deref().filter(|s| !s.is_empty()) {
            sql.push(" AND entity_id = ").bind(e);
        }
        if let Some(a) = f.action.as_deref().filter(|s| !s.is_empty()) {
            sql.push(" AND action LIKE ")
                .bind(format!(
                    "{}%",
                    a.replace(['\\', '%'], "").replace('_', "\\_")
                ))
                .push(" ESCAPE '\\'");
        }
        if let Some(agency) = &f.agency {
            sql.push(" AND actor_id IN (SELECT us.id FROM users us JOIN units un ON un.id = us.unit_id WHERE un.agency = ")
                .bind(agency.clone())
                .push(")");
        }
        if let Some(from) = f.from {
            sql.push(" AND at >= ").bind(from);
        }
        if let Some(to) = f.to {
            sql.push(" AND at <= ").bind(to);
        }
        sql.push(" ORDER BY seq DESC LIMIT ").bind(f.limit);
        let rows = sql.query().fetch_all(&self.pool).await.map_err(db)?;
        rows.iter().map(|r| audit_entry(r, &self.keys)).collect()
    }

    async fn insert_alerts(
        &self,
        findings: &[nigehban_core::alerts::Finding],
        at: DateTime<Utc>,
    ) -> StoreResult<u64> {
        let mut new = 0;
        for f in findings {
            let done = sqlx::query(
                "INSERT INTO alerts (id, rule, actor_name, window_start, window_minutes, count, threshold, examples, raised_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (rule, actor_name, window_start) DO NOTHING",
            )
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(f.rule)
            .bind(f.actor_name.clone())
            .bind(f.window_start)
            .bind(f.window_minutes)
            .bind(f.count as i64)
            .bind(f.threshold as i64)
            .bind(f.examples.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(","))
            .bind(micros(at))
            .execute(&self.pool)
            .await
            .map_err(db)?;
            new += done.rows_affected();
        }
        Ok(new)
    }

    async fn alerts(
        &self,
        agency: Option<&str>,
        limit: i64,
    ) -> StoreResult<Vec<nigehban_core::alerts::Alert>> {
        let mut sql = Sql::new(
            "SELECT id, rule, actor_name, window_start, window_minutes, count, threshold, examples, raised_at, ack_by, ack_at, ack_comment \
             FROM alerts a WHERE 1 = 1",
        );
        if let Some(agency) = agency {
            sql.push(" AND a.actor_name IN (SELECT us.username FROM users us JOIN units un ON un.id = us.unit_id WHERE un.agency = ")
                .bind(agency)
                .push(")");
        }
        sql.push(" ORDER BY (CASE WHEN ack_at IS NULL THEN 0 ELSE 1 END), raised_at DESC LIMIT ")
            .bind(limit);
        let rows = sql.query().fetch_all(&self.pool).await.map_err(db)?;
        rows.iter()
            .map(|r| {
                Ok(nigehban_core::alerts::Alert {
                    id: text(r, "id")?,
                    finding: nigehban_core::alerts::StoredFinding {
                        rule: text(r, "rule")?,
                        actor_name: text(r, "actor_name")?,
                        window_start: int(r, "window_start")?,
                        window_minutes: int(r, "window_minutes")?,
                        count: int(r, "count")?,
                        threshold: int(r, "threshold")?,
                        examples: text(r, "examples")?,
                    },
                    raised_at: time(r, "raised_at")?,
                    ack_by: opt_text(r, "ack_by")?,
                    ack_at: opt_time(r, "ack_at")?,
                    ack_comment: opt_text(r, "ack_comment")?,
                })
            })
            .collect()
    }

    async fn ack_alert(
        &self,
        id: &str,
        by: &str,
        comment: &str,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<bool> {
        let mut tx = self.pool.begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let done = sqlx::query("UPDATE alerts SET ack_by = $1, ack_at = $2, ack_comment = $3 WHERE id = $4 AND ack_at IS NULL")
            .bind(by.to_string())
            .bind(micros(at))
            .bind(comment.to_string())
            .bind(id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if done.rows_affected() != 1 {
            return Ok(false);
        }
        write_audit(&mut tx, &self.keys, head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn reseal_all(&self, audit: AuditDraft) -> StoreResult<ResealReport> {
        let report = self.reseal(true).await?;
        let mut audit = audit;
        audit.detail = serde_json::json!({"persons": report.persons, "identifiers": report.identifiers, "other": report.other, "key": self.keys.current_id()}).to_string();
        self.append_audit(audit).await?;
        Ok(report)
    }

    async fn count_persons(&self) -> StoreResult<i64> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM persons")
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        int(&r, "n")
    }

    async fn count_cases(&self) -> StoreResult<i64> {
        let r = sqlx::query("SELECT COUNT(*) AS n FROM cases")
            .fetch_one(&self.pool)
            .await
            .map_err(db)?;
        int(&r, "n")
    }
}
