//! Backup and restore of a whole store as a portable, versioned file of JSON lines.
//!
//! The file is written from, and read into, the schema as it is found at run time (tables,
//! columns, primary keys and foreign keys come from the database's catalogue), so a table added
//! by a later migration is carried without changing this module. Values are copied exactly as
//! stored: sealed (encrypted) columns stay sealed, and the audit chain (`audit_log` with
//! `audit_head`) verifies after a restore because its rows are unchanged.
//!
//! Format (version 1), one JSON document per line:
//!
//! ```text
//! {"format":"nigehban-backup","version":1,"backend":"sqlite","created_at":<micros>,"tables":[...],"migrations":[1,2,...]}
//! {"table":"units","columns":["id","code",...]}
//! ["0190...","FIA-AHTC-LHE",...]          one array per row: strings, integers or null
//! {"end":"units","rows":42}
//! ...                                       the next table, and so on
//! ```
//!
//! Tables come parents first (an order that satisfies every foreign key, ties broken by name),
//! rows in primary-key order (text compared bytewise on both backends), so the same data gives
//! the same file on SQLite and on PostgreSQL. `migrations` lists the schema versions applied to
//! the database that was backed up; a restore needs a database at exactly those versions (the
//! two backends' migration folders carry the same versions), so data is never loaded into a
//! schema whose later migrations it has not been through.

use crate::sql::{Sql, Val};
use crate::SqlStore;
use nigehban_core::error::StoreError;
use nigehban_core::store::{Backend, Store};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};

/// The `format` of every backup file's header.
pub const BACKUP_FORMAT: &str = "nigehban-backup";
/// The version of the file layout this program writes and reads.
pub const BACKUP_VERSION: i64 = 1;

/// Tables that a freshly started system already has rows in: the units seeded at every start,
/// the audit chain's initial head and the record of start-up maintenance done. A restore replaces
/// their rows instead of refusing.
const REPLACED_ON_RESTORE: [&str; 3] = ["units", "audit_head", "maintenance"];
/// Rows read per round trip while writing a backup.
const PAGE: usize = 1000;
/// Bound values per INSERT while restoring: well under SQLite's and PostgreSQL's limits.
const MAX_BINDS: usize = 8000;
/// Rows per INSERT while restoring.
const MAX_BATCH_ROWS: usize = 500;

/// What a backup wrote or a restore loaded: each table with its number of rows, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackupSummary {
    pub tables: Vec<(String, u64)>,
}

impl BackupSummary {
    /// All rows of all tables.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    version: i64,
    backend: String,
    created_at: i64,
    tables: Vec<String>,
    migrations: Vec<i64>,
}

#[derive(Serialize)]
struct TableStart<'a> {
    table: &'a str,
    columns: Vec<&'a str>,
}

#[derive(Serialize)]
struct TableEnd<'a> {
    end: &'a str,
    rows: u64,
}

/// How a column's values travel: as JSON integers or JSON strings (or null).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Text,
}

impl Kind {
    fn describe(self) -> &'static str {
        match self {
            Kind::Int => "an integer",
            Kind::Text => "a string",
        }
    }
}

#[derive(Debug)]
struct Column {
    name: String,
    kind: Kind,
}

#[derive(Debug)]
struct Table {
    name: String,
    columns: Vec<Column>,
    /// Positions in `columns` of the primary key, in key order (empty: no primary key).
    key: Vec<usize>,
    /// Tables this one refers to by foreign key.
    parents: BTreeSet<String>,
}

fn db(e: sqlx::Error) -> StoreError {
    StoreError::Database(e.to_string())
}

fn write_err(e: std::io::Error) -> StoreError {
    StoreError::Database(format!("cannot write the backup: {e}"))
}

/// A problem with the backup file, at a line.
fn bad(line: u64, what: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("backup line {line}: {what}"))
}

/// An identifier quoted for SQL on both backends.
fn quote(ident: &str) -> String {
    format!("\"{}\"", ident.replace('"', "\"\""))
}

fn get_text(row: &AnyRow, col: &str) -> Result<String, StoreError> {
    row.try_get::<String, _>(col)
        .map_err(|e| StoreError::Corrupt(format!("catalogue {col}: {e}")))
}

fn get_int(row: &AnyRow, col: &str) -> Result<i64, StoreError> {
    row.try_get::<i64, _>(col)
        .map_err(|e| StoreError::Corrupt(format!("catalogue {col}: {e}")))
}

fn backend_name(b: Backend) -> &'static str {
    match b {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// How a declared column type travels; anything but integers and text is refused rather than
/// copied approximately.
fn kind_of(
    backend: Backend,
    table: &str,
    column: &str,
    declared: &str,
) -> Result<Kind, StoreError> {
    let t = declared.trim().to_ascii_lowercase();
    let kind = match backend {
        // SQLite's own affinity rules: "INT" anywhere means integer; no declared type or a
        // character type means text.
        Backend::Sqlite => {
            if t.contains("int") {
                Some(Kind::Int)
            } else if t.is_empty() || t.contains("char") || t.contains("clob") || t.contains("text")
            {
                Some(Kind::Text)
            } else {
                None
            }
        }
        Backend::Postgres => match t.as_str() {
            "bigint" | "integer" | "smallint" => Some(Kind::Int),
            "text" | "character varying" | "character" => Some(Kind::Text),
            _ => None,
        },
    };
    kind.ok_or_else(|| {
        StoreError::Database(format!(
            "column {table}.{column} has type `{declared}`, which backups do not carry (only integers and text)"
        ))
    })
}

/// Every table of the schema with its columns, key and parents, parents first. The statistics
/// tables (`stat_*`) are left out: they are derived, de-identified copies rebuilt by a refresh.
async fn schema(conn: &mut AnyConnection, backend: Backend) -> Result<Vec<Table>, StoreError> {
    let list = match backend {
        Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             AND name NOT LIKE '\\_sqlx%' ESCAPE '\\' AND name NOT LIKE 'stat\\_%' ESCAPE '\\' ORDER BY name"
        }
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND table_name NOT LIKE '\\_sqlx%' ESCAPE '\\' AND table_name NOT LIKE 'stat\\_%' ESCAPE '\\' ORDER BY 1"
        }
    };
    let names = sqlx::query(list)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(|r| get_text(r, "name"))
        .collect::<Result<Vec<_>, _>>()?;
    let mut tables = Vec::with_capacity(names.len());
    for name in names {
        tables.push(describe(conn, backend, name).await?);
    }
    parents_first(tables)
}

async fn describe(
    conn: &mut AnyConnection,
    backend: Backend,
    name: String,
) -> Result<Table, StoreError> {
    let mut columns = Vec::new();
    let mut key: Vec<usize> = Vec::new();
    let parents_sql = match backend {
        Backend::Sqlite => {
            let rows = sqlx::query("SELECT name, type, pk FROM pragma_table_info($1) ORDER BY cid")
                .bind(name.clone())
                .fetch_all(&mut *conn)
                .await
                .map_err(db)?;
            let mut keyed = Vec::new();
            for (i, r) in rows.iter().enumerate() {
                let col = get_text(r, "name")?;
                let kind = kind_of(backend, &name, &col, &get_text(r, "type")?)?;
                let pk = get_int(r, "pk")?;
                if pk > 0 {
                    keyed.push((pk, i));
                }
                columns.push(Column { name: col, kind });
            }
            keyed.sort_unstable();
            key = keyed.into_iter().map(|(_, i)| i).collect();
            "SELECT DISTINCT \"table\" AS parent FROM pragma_foreign_key_list($1)"
        }
        Backend::Postgres => {
            let rows = sqlx::query(
                "SELECT CAST(column_name AS TEXT) AS name, CAST(data_type AS TEXT) AS type \
                 FROM information_schema.columns WHERE table_schema = current_schema() \
                 AND CAST(table_name AS TEXT) = $1 ORDER BY ordinal_position",
            )
            .bind(name.clone())
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
            for r in &rows {
                let col = get_text(r, "name")?;
                let kind = kind_of(backend, &name, &col, &get_text(r, "type")?)?;
                columns.push(Column { name: col, kind });
            }
            let pk = sqlx::query(
                "SELECT CAST(a.attname AS TEXT) AS name FROM pg_index i \
                 JOIN pg_class t ON t.oid = i.indrelid \
                 JOIN pg_namespace n ON n.oid = t.relnamespace \
                 JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY(i.indkey) \
                 WHERE i.indisprimary AND n.nspname = current_schema() AND CAST(t.relname AS TEXT) = $1 \
                 ORDER BY array_position(CAST(i.indkey AS SMALLINT[]), a.attnum)",
            )
            .bind(name.clone())
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
            for r in &pk {
                let col = get_text(r, "name")?;
                let pos = columns.iter().position(|c| c.name == col).ok_or_else(|| {
                    StoreError::Corrupt(format!("catalogue: key column {name}.{col} not found"))
                })?;
                key.push(pos);
            }
            "SELECT DISTINCT CAST(p.relname AS TEXT) AS parent FROM pg_constraint c \
             JOIN pg_class t ON t.oid = c.conrelid \
             JOIN pg_class p ON p.oid = c.confrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE c.contype = 'f' AND n.nspname = current_schema() AND CAST(t.relname AS TEXT) = $1"
        }
    };
    let parents = sqlx::query(parents_sql)
        .bind(name.clone())
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(|r| get_text(r, "parent"))
        .collect::<Result<BTreeSet<_>, _>>()?;
    if columns.is_empty() {
        return Err(StoreError::Corrupt(format!(
            "catalogue: table {name} has no columns"
        )));
    }
    Ok(Table {
        name,
        columns,
        key,
        parents,
    })
}

/// Order tables so that every table comes after the tables it refers to; among tables whose
/// parents are all placed, the first by name goes next (so the order is the same everywhere).
fn parents_first(tables: Vec<Table>) -> Result<Vec<Table>, StoreError> {
    let names: BTreeSet<String> = tables.iter().map(|t| t.name.clone()).collect();
    let mut pending: BTreeMap<String, Table> =
        tables.into_iter().map(|t| (t.name.clone(), t)).collect();
    let mut placed: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::with_capacity(pending.len());
    loop {
        let next = pending
            .values()
            .find(|t| {
                t.parents
                    .iter()
                    .all(|p| p == &t.name || placed.contains(p) || !names.contains(p))
            })
            .map(|t| t.name.clone());
        let Some(next) = next else { break };
        if let Some(t) = pending.remove(&next) {
            placed.insert(next);
            out.push(t);
        }
    }
    if !pending.is_empty() {
        let cycle: Vec<&str> = pending.keys().map(String::as_str).collect();
        return Err(StoreError::Database(format!(
            "the foreign keys of tables {} form a cycle: no order restores them",
            cycle.join(", ")
        )));
    }
    Ok(out)
}

/// The schema versions applied to the database.
async fn applied_migrations(conn: &mut AnyConnection) -> Result<Vec<i64>, StoreError> {
    sqlx::query("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(|r| get_int(r, "version"))
        .collect()
}

async fn count_rows(conn: &mut AnyConnection, table: &str) -> Result<u64, StoreError> {
    let r = sqlx::query(&format!("SELECT COUNT(*) AS n FROM {}", quote(table)))
        .fetch_one(&mut *conn)
        .await
        .map_err(db)?;
    Ok(u64::try_from(get_int(&r, "n")?).unwrap_or(0))
}

fn write_line<W: Write + ?Sized, T: Serialize + ?Sized>(
    w: &mut W,
    value: &T,
) -> Result<(), StoreError> {
    serde_json::to_writer(&mut *w, value)
        .map_err(|e| StoreError::Database(format!("cannot write the backup: {e}")))?;
    w.write_all(b"\n").map_err(write_err)
}

/// One row's values as JSON, in the table's column order.
fn row_json(row: &AnyRow, t: &Table) -> Result<Vec<Json>, StoreError> {
    t.columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let v = match c.kind {
                Kind::Int => row
                    .try_get::<Option<i64>, _>(i)
                    .map(|v| v.map_or(Json::Null, Json::from)),
                Kind::Text => row
                    .try_get::<Option<String>, _>(i)
                    .map(|v| v.map_or(Json::Null, Json::String)),
            };
            v.map_err(|e| StoreError::Corrupt(format!("{}.{}: {e}", t.name, c.name)))
        })
        .collect()
}

/// Write every table of the store to `out` as a portable, versioned backup (see the module
/// documentation for the format). Everything is read in one transaction, so the file is a
/// consistent snapshot even while the system is in use (the audit log and its head agree).
/// Sealed columns are written as stored. Wrap `out` in nothing: it is buffered here.
pub async fn backup(
    store: &SqlStore,
    out: &mut (dyn Write + Send),
) -> Result<BackupSummary, StoreError> {
    let backend = store.backend();
    let mut tx = store.pool().begin().await.map_err(db)?;
    let done = async {
        if backend == Backend::Postgres {
            // One snapshot for every table, not one per statement.
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await
                .map_err(db)?;
        }
        dump(&mut tx, backend, out).await
    }
    .await;
    match done {
        Ok(summary) => {
            tx.rollback().await.map_err(db)?;
            Ok(summary)
        }
        Err(e) => {
            if let Err(r) = tx.rollback().await {
                tracing::warn!("ending the backup's read transaction: {r}");
            }
            Err(e)
        }
    }
}

async fn dump(
    conn: &mut AnyConnection,
    backend: Backend,
    out: &mut (dyn Write + Send),
) -> Result<BackupSummary, StoreError> {
    let tables = schema(conn, backend).await?;
    let migrations = applied_migrations(conn).await?;
    let mut w = std::io::BufWriter::new(out);
    write_line(
        &mut w,
        &Header {
            format: BACKUP_FORMAT.into(),
            version: BACKUP_VERSION,
            backend: backend_name(backend).into(),
            created_at: chrono::Utc::now().timestamp_micros(),
            tables: tables.iter().map(|t| t.name.clone()).collect(),
            migrations,
        },
    )?;
    let mut summary = BackupSummary::default();
    for t in &tables {
        write_line(
            &mut w,
            &TableStart {
                table: &t.name,
                columns: t.columns.iter().map(|c| c.name.as_str()).collect(),
            },
        )?;
        let rows = match backend {
            Backend::Sqlite => dump_sqlite(conn, t, &mut w).await?,
            Backend::Postgres => dump_postgres(conn, t, &mut w).await?,
        };
        let expected = count_rows(conn, &t.name).await?;
        if rows != expected {
            return Err(StoreError::Corrupt(format!(
                "table {} holds {expected} rows but {rows} were read in key order (rows with an empty primary key?)",
                t.name
            )));
        }
        write_line(&mut w, &TableEnd { end: &t.name, rows })?;
        summary.tables.push((t.name.clone(), rows));
    }
    w.flush().map_err(write_err)?;
    Ok(summary)
}

/// SQLite: pages in primary-key order, each starting after the previous page's last key (the
/// key's index makes every page cheap).
async fn dump_sqlite<W: Write>(
    conn: &mut AnyConnection,
    t: &Table,
    w: &mut W,
) -> Result<u64, StoreError> {
    let mut select: Vec<String> = t.columns.iter().map(|c| quote(&c.name)).collect();
    // Key expressions and where their values are in a fetched row.
    let (key_exprs, key_at): (Vec<String>, Vec<(usize, Kind)>) = if t.key.is_empty() {
        select.push("_rowid_".into());
        (vec!["_rowid_".into()], vec![(t.columns.len(), Kind::Int)])
    } else {
        t.key
            .iter()
            .filter_map(|&i| t.columns.get(i).map(|c| (quote(&c.name), (i, c.kind))))
            .unzip()
    };
    let keys = key_exprs.join(", ");
    let head = format!("SELECT {} FROM {}", select.join(", "), quote(&t.name));
    let mut after: Option<Vec<Val>> = None;
    let mut n = 0u64;
    loop {
        let mut sql = Sql::new(&head);
        if let Some(last) = &after {
            sql.push(" WHERE (").push(&keys).push(") > (");
            for (i, v) in last.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(v.clone());
            }
            sql.push(")");
        }
        sql.push(&format!(" ORDER BY {keys} LIMIT {PAGE}"));
        let rows = sql.query().fetch_all(&mut *conn).await.map_err(db)?;
        for r in &rows {
            write_line(w, &row_json(r, t)?)?;
            n += 1;
        }
        let Some(last) = rows.last() else { break };
        if rows.len() < PAGE {
            break;
        }
        let mut key = Vec::with_capacity(key_at.len());
        for &(i, kind) in &key_at {
            let v = match kind {
                Kind::Int => last
                    .try_get::<Option<i64>, _>(i)
                    .map(|v| v.map(|x| Val::Int(Some(x)))),
                Kind::Text => last
                    .try_get::<Option<String>, _>(i)
                    .map(|v| v.map(|x| Val::Text(Some(x)))),
            }
            .map_err(|e| StoreError::Corrupt(format!("{}: {e}", t.name)))?;
            key.push(v.ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "table {} has a row with an empty primary key",
                    t.name
                ))
            })?);
        }
        after = Some(key);
    }
    Ok(n)
}

/// PostgreSQL: one sorted scan through a cursor, fetched a page at a time. Text keys are
/// compared bytewise (`COLLATE "C"`, as SQLite does), so both backends give the same order.
async fn dump_postgres<W: Write>(
    conn: &mut AnyConnection,
    t: &Table,
    w: &mut W,
) -> Result<u64, StoreError> {
    let select: Vec<String> = t
        .columns
        .iter()
        .map(|c| {
            let q = quote(&c.name);
            match c.kind {
                Kind::Int => format!("CAST(src.{q} AS BIGINT) AS {q}"),
                Kind::Text => format!("CAST(src.{q} AS TEXT) AS {q}"),
            }
        })
        .collect();
    let order_cols: Vec<&Column> = if t.key.is_empty() {
        t.columns.iter().collect()
    } else {
        t.key.iter().filter_map(|&i| t.columns.get(i)).collect()
    };
    let order: Vec<String> = order_cols
        .iter()
        .map(|c| match c.kind {
            Kind::Int => format!("src.{}", quote(&c.name)),
            Kind::Text => format!("src.{} COLLATE \"C\"", quote(&c.name)),
        })
        .collect();
    // Statements on a cursor are not kept prepared: the same text names another table's rows
    // in the next call.
    sqlx::query(&format!(
        "DECLARE nigehban_backup NO SCROLL CURSOR FOR SELECT {} FROM {} AS src ORDER BY {}",
        select.join(", "),
        quote(&t.name),
        order.join(", ")
    ))
    .persistent(false)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    let fetch = format!("FETCH FORWARD {PAGE} FROM nigehban_backup");
    let mut n = 0u64;
    loop {
        let rows = sqlx::query(&fetch)
            .persistent(false)
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?;
        for r in &rows {
            write_line(w, &row_json(r, t)?)?;
            n += 1;
        }
        if rows.len() < PAGE {
            break;
        }
    }
    sqlx::query("CLOSE nigehban_backup")
        .persistent(false)
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(n)
}

/// The backup file, a line at a time, counting lines from 1.
struct Lines<'a> {
    input: &'a mut (dyn BufRead + Send),
    number: u64,
}

impl Lines<'_> {
    fn next_line(&mut self) -> Result<Option<(u64, String)>, StoreError> {
        let mut s = String::new();
        let read = self
            .input
            .read_line(&mut s)
            .map_err(|e| bad(self.number + 1, format!("cannot be read ({e})")))?;
        if read == 0 {
            return Ok(None);
        }
        self.number += 1;
        if s.ends_with('\n') {
            s.pop();
            if s.ends_with('\r') {
                s.pop();
            }
        }
        Ok(Some((self.number, s)))
    }

    /// The next line as JSON; `at_end` says what was expected when the file ends here.
    fn next_json(&mut self, at_end: impl FnOnce() -> String) -> Result<(u64, Json), StoreError> {
        let Some((n, s)) = self.next_line()? else {
            return Err(bad(self.number + 1, at_end()));
        };
        serde_json::from_str(&s)
            .map(|v| (n, v))
            .map_err(|e| bad(n, format!("not valid JSON (at column {})", e.column())))
    }
}

fn read_header(lines: &mut Lines<'_>) -> Result<Header, StoreError> {
    let (n, v) = lines.next_json(|| "the file is empty, not a Nigehban backup".into())?;
    let format = v.get("format").and_then(Json::as_str);
    if format != Some(BACKUP_FORMAT) {
        return Err(bad(
            n,
            "not a Nigehban backup (the header has no `\"format\":\"nigehban-backup\"`)",
        ));
    }
    match v.get("version").and_then(Json::as_i64) {
        Some(BACKUP_VERSION) => {}
        Some(other) => {
            return Err(bad(
                n,
                format!("backup format version {other} is not supported: this program reads version {BACKUP_VERSION}"),
            ))
        }
        None => return Err(bad(n, "the header has no format version")),
    }
    let header: Header =
        serde_json::from_value(v).map_err(|e| bad(n, format!("bad header: {e}")))?;
    if !["sqlite", "postgres"].contains(&header.backend.as_str()) {
        return Err(bad(n, format!("unknown backend `{}`", header.backend)));
    }
    Ok(header)
}

/// Restore a backup into a store that has been freshly migrated and holds no data of its own
/// (the units seeded at start and the audit chain's initial head are replaced; any other row
/// makes the restore refuse, naming its table). The file may come from either backend.
///
/// Everything happens in one transaction: on any error nothing is restored. The header, table
/// and column names (against this database's schema), the row lengths and value types and the
/// row counts are checked, and errors name the line of the file. The database must be at the
/// same schema version as the one backed up (restore with the same program version, then
/// upgrade). Sealed values are copied as they are, so the target needs the same key file.
pub async fn restore(
    store: &SqlStore,
    input: &mut (dyn BufRead + Send),
) -> Result<BackupSummary, StoreError> {
    let backend = store.backend();
    let mut lines = Lines { input, number: 0 };
    let header = read_header(&mut lines)?;
    let mut tx = store.pool().begin().await.map_err(db)?;
    match load(&mut tx, backend, &header, &mut lines).await {
        Ok(summary) => {
            tx.commit().await.map_err(db)?;
            Ok(summary)
        }
        Err(e) => {
            if let Err(r) = tx.rollback().await {
                tracing::warn!("rolling back the failed restore: {r}");
            }
            Err(e)
        }
    }
}

async fn load(
    conn: &mut AnyConnection,
    backend: Backend,
    header: &Header,
    lines: &mut Lines<'_>,
) -> Result<BackupSummary, StoreError> {
    // Like every write transaction, take the write lock first (the chain head).
    sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1")
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    let tables = schema(conn, backend).await?;
    let migrations = applied_migrations(conn).await?;
    if header.migrations != migrations {
        return Err(StoreError::Conflict(format!(
            "backup line 1: the backup was made at schema versions {:?}, this database is at {:?}: \
             restore with the Nigehban version that made the backup, then upgrade",
            header.migrations, migrations
        )));
    }
    let by_name: BTreeMap<&str, &Table> = tables.iter().map(|t| (t.name.as_str(), t)).collect();
    let mut listed: BTreeSet<&str> = BTreeSet::new();
    for name in &header.tables {
        let Some(t) = by_name.get(name.as_str()) else {
            return Err(bad(
                1,
                format!("unknown table `{name}`: it is not in this database's schema"),
            ));
        };
        if !listed.insert(name.as_str()) {
            return Err(bad(1, format!("table `{name}` is listed twice")));
        }
        if let Some(p) = t.parents.iter().find(|p| {
            *p != name && by_name.contains_key(p.as_str()) && !listed.contains(p.as_str())
        }) {
            return Err(bad(
                1,
                format!("table `{name}` is listed before `{p}`, which it refers to"),
            ));
        }
    }
    if let Some(missing) = tables.iter().find(|t| !listed.contains(t.name.as_str())) {
        return Err(bad(1, format!("the backup lacks table `{}`", missing.name)));
    }
    ensure_empty(conn, &tables).await?;
    for name in REPLACED_ON_RESTORE {
        if by_name.contains_key(name) {
            sqlx::query(&format!("DELETE FROM {}", quote(name)))
                .execute(&mut *conn)
                .await
                .map_err(db)?;
        }
    }
    let mut summary = BackupSummary::default();
    for name in &header.tables {
        let Some(t) = by_name.get(name.as_str()) else {
            return Err(bad(1, format!("unknown table `{name}`")));
        };
        let rows = load_table(conn, backend, t, &by_name, lines).await?;
        summary.tables.push((t.name.clone(), rows));
    }
    if let Some((n, _)) = lines.next_line()? {
        return Err(bad(n, "unexpected content after the last table"));
    }
    if backend == Backend::Postgres {
        reset_sequences(conn).await?;
    }
    Ok(summary)
}

/// Refuse a database holding data of its own, naming the first table that does.
async fn ensure_empty(conn: &mut AnyConnection, tables: &[Table]) -> Result<(), StoreError> {
    // The audit tables last: any other table with rows names the data more plainly.
    let (audit, data): (Vec<&Table>, Vec<&Table>) =
        tables.iter().partition(|t| t.name.starts_with("audit_"));
    for t in data.into_iter().chain(audit) {
        let probe = match t.name.as_str() {
            "units" | "maintenance" => continue,
            "audit_head" => {
                "SELECT 1 AS x FROM audit_head WHERE NOT (id = 1 AND seq = 0) LIMIT 1".to_string()
            }
            other => format!("SELECT 1 AS x FROM {} LIMIT 1", quote(other)),
        };
        if sqlx::query(&probe)
            .fetch_optional(&mut *conn)
            .await
            .map_err(db)?
            .is_some()
        {
            return Err(StoreError::Conflict(format!(
                "the database already holds data (table `{}` is not empty): restore only into a new, empty database",
                t.name
            )));
        }
    }
    Ok(())
}

fn to_val(v: Json, kind: Kind) -> Option<Val> {
    match (v, kind) {
        (Json::Null, Kind::Int) => Some(Val::Int(None)),
        (Json::Null, Kind::Text) => Some(Val::Text(None)),
        (Json::Number(n), Kind::Int) => n.as_i64().map(|i| Val::Int(Some(i))),
        (Json::String(s), Kind::Text) => Some(Val::Text(Some(s))),
        _ => None,
    }
}

async fn load_table(
    conn: &mut AnyConnection,
    backend: Backend,
    t: &Table,
    by_name: &BTreeMap<&str, &Table>,
    lines: &mut Lines<'_>,
) -> Result<u64, StoreError> {
    let (n, start) =
        lines.next_json(|| format!("the backup ends before table `{}` (truncated?)", t.name))?;
    let Some(found) = start.get("table").and_then(Json::as_str) else {
        return Err(bad(n, format!("expected the start of table `{}`", t.name)));
    };
    if found != t.name {
        return Err(if by_name.contains_key(found) {
            bad(
                n,
                format!(
                    "table `{found}` out of place: the header says `{}` comes next",
                    t.name
                ),
            )
        } else {
            bad(
                n,
                format!("unknown table `{found}`: it is not in this database's schema"),
            )
        });
    }
    let Some(listed) = start.get("columns").and_then(Json::as_array) else {
        return Err(bad(n, format!("table `{}` has no column list", t.name)));
    };
    let mut names: Vec<&str> = Vec::with_capacity(listed.len());
    let mut kinds: Vec<Kind> = Vec::with_capacity(listed.len());
    for c in listed {
        let Some(c) = c.as_str() else {
            return Err(bad(n, "a column name is not a string"));
        };
        let Some(col) = t.columns.iter().find(|x| x.name == c) else {
            return Err(bad(
                n,
                format!("unknown column `{c}` in table `{}`", t.name),
            ));
        };
        if names.contains(&c) {
            return Err(bad(n, format!("column `{c}` is listed twice")));
        }
        names.push(c);
        kinds.push(col.kind);
    }
    if let Some(missing) = t.columns.iter().find(|c| !names.contains(&c.name.as_str())) {
        return Err(bad(
            n,
            format!("table `{}` lacks column `{}`", t.name, missing.name),
        ));
    }
    let head = format!(
        "INSERT INTO {} ({}){} VALUES ",
        quote(&t.name),
        names
            .iter()
            .map(|c| quote(c))
            .collect::<Vec<_>>()
            .join(", "),
        if backend == Backend::Postgres {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        }
    );
    let per_insert = (MAX_BINDS / names.len().max(1)).clamp(1, MAX_BATCH_ROWS);
    let mut batch: Vec<Vec<Val>> = Vec::with_capacity(per_insert);
    let mut first_line = 0u64;
    let mut count = 0u64;
    loop {
        let (n, v) = lines
            .next_json(|| format!("the backup ends inside table `{}` (truncated?)", t.name))?;
        match v {
            Json::Array(values) => {
                if values.len() != kinds.len() {
                    return Err(bad(
                        n,
                        format!(
                            "a row of `{}` has {} values where {} columns were listed",
                            t.name,
                            values.len(),
                            kinds.len()
                        ),
                    ));
                }
                let mut row = Vec::with_capacity(kinds.len());
                for ((v, kind), col) in values.into_iter().zip(&kinds).zip(&names) {
                    let Some(val) = to_val(v, *kind) else {
                        return Err(bad(
                            n,
                            format!(
                                "column `{col}` of `{}` needs {} or null",
                                t.name,
                                kind.describe()
                            ),
                        ));
                    };
                    row.push(val);
                }
                if batch.is_empty() {
                    first_line = n;
                }
                batch.push(row);
                count += 1;
                if batch.len() >= per_insert {
                    insert(conn, &head, &mut batch, &t.name, first_line, n).await?;
                }
            }
            Json::Object(o) if o.contains_key("end") => {
                if o.get("end").and_then(Json::as_str) != Some(t.name.as_str()) {
                    return Err(bad(n, format!("expected the end of table `{}`", t.name)));
                }
                let rows = o.get("rows").and_then(Json::as_u64);
                if rows != Some(count) {
                    return Err(bad(
                        n,
                        format!(
                            "table `{}` should have {} rows but the file holds {count} (truncated or edited?)",
                            t.name,
                            rows.map_or_else(|| "?".to_string(), |r| r.to_string())
                        ),
                    ));
                }
                if !batch.is_empty() {
                    insert(
                        conn,
                        &head,
                        &mut batch,
                        &t.name,
                        first_line,
                        n.saturating_sub(1),
                    )
                    .await?;
                }
                return Ok(count);
            }
            _ => {
                return Err(bad(
                    n,
                    format!("expected a row of `{}` (a JSON array) or its end", t.name),
                ))
            }
        }
    }
}

/// Insert the batched rows (from lines `first` to `last`) in one statement and empty the batch.
async fn insert(
    conn: &mut AnyConnection,
    head: &str,
    batch: &mut Vec<Vec<Val>>,
    table: &str,
    first: u64,
    last: u64,
) -> Result<(), StoreError> {
    let mut sql = Sql::new(head);
    for (i, row) in batch.drain(..).enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push("(");
        for (j, v) in row.into_iter().enumerate() {
            if j > 0 {
                sql.push(", ");
            }
            sql.bind(v);
        }
        sql.push(")");
    }
    sql.query().execute(&mut *conn).await.map_err(|e| {
        let what = format!("backup lines {first}-{last} (table `{table}`): {e}");
        match &e {
            sqlx::Error::Database(d) if d.is_unique_violation() => StoreError::Conflict(what),
            _ => StoreError::Corrupt(what),
        }
    })?;
    Ok(())
}

/// PostgreSQL sequences (serial and identity columns) do not move when rows are inserted with
/// their values: set each past the largest restored value.
async fn reset_sequences(conn: &mut AnyConnection) -> Result<(), StoreError> {
    let cols = sqlx::query(
        "SELECT CAST(table_name AS TEXT) AS t, CAST(column_name AS TEXT) AS c FROM information_schema.columns \
         WHERE table_schema = current_schema() AND (column_default LIKE 'nextval(%' OR is_identity = 'YES')",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(db)?;
    for r in &cols {
        let (t, c) = (get_text(r, "t")?, get_text(r, "c")?);
        let seq = sqlx::query("SELECT pg_get_serial_sequence($1, $2) AS s")
            .bind(quote(&t))
            .bind(c.clone())
            .fetch_one(&mut *conn)
            .await
            .map_err(db)?
            .try_get::<Option<String>, _>("s")
            .map_err(db)?;
        if let Some(seq) = seq {
            sqlx::query(&format!(
                "SELECT setval(CAST($1 AS regclass), COALESCE((SELECT MAX({}) FROM {}), 0) + 1, false)",
                quote(&c),
                quote(&t)
            ))
            .bind(seq)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
        }
    }
    Ok(())
}
