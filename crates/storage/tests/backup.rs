//! Backup and restore on both backends and across them. PostgreSQL is not optional: without
//! `NIGEHBAN_TEST_POSTGRES_URL` these tests fail (`scripts/test.sh` starts a server and sets it).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;
use nigehban_core::actor::Principal;
use nigehban_core::service::{PersonRef, ShareInput};
use nigehban_core::store::{Backend, BulkBatch, NewPerson, Store};
use nigehban_core::Nigehban;
use nigehban_domain::case::TransitionInput;
use nigehban_domain::ids::{CaseId, PersonId, UserId};
use nigehban_domain::person::PersonInput;
use nigehban_domain::reference::ReferenceData;
use nigehban_storage::{backup, restore, BackupSummary, DatabaseUrl, Keyring, SqlStore};
use sqlx::Row;
use std::collections::BTreeSet;
use std::sync::Arc;
use support::*;

struct Env {
    name: &'static str,
    app: Nigehban,
    store: SqlStore,
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite(keys: &Keyring) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let store = SqlStore::connect(&DatabaseUrl::in_data_dir(dir.path()), keys.clone())
        .await
        .unwrap();
    env("sqlite", store, Some(dir)).await
}

async fn postgres(keys: &Keyring) -> Env {
    let url = support::new_postgres_database("nigehban_b").await;
    let store = SqlStore::connect(&url, keys.clone()).await.unwrap();
    env("postgres", store, None).await
}

async fn fresh(backend: Backend, keys: &Keyring) -> Env {
    match backend {
        Backend::Sqlite => sqlite(keys).await,
        Backend::Postgres => postgres(keys).await,
    }
}

/// A store as the program leaves it at start: migrated, units seeded.
async fn env(name: &'static str, store: SqlStore, dir: Option<tempfile::TempDir>) -> Env {
    let refdata = Arc::new(ReferenceData::embedded().unwrap());
    let app = Nigehban::new(Arc::new(store.clone()), refdata);
    app.bootstrap().await.unwrap();
    Env {
        name,
        app,
        store,
        _dir: dir,
    }
}

/// Fill a store through the application so that nearly every table has rows; returns the cases.
async fn populate(app: &Nigehban) -> Vec<CaseId> {
    let inv = user(app, "inv", "investigator", "FIA-AHTC-LHE").await;
    let sup = user(app, "sup", "supervisor", "FIA-AHTC-LHE").await;
    user(app, "named", "investigator", "FIA-AHTC-LHE").await;
    user(app, "khi", "investigator", "FIA-AHTC-KHI").await;
    let tip = app.register_case(&inv, &tip_case()).await.unwrap();
    let som = app.register_case(&inv, &som_case()).await.unwrap();
    let v = app
        .add_person_to_case(
            &inv,
            tip.id,
            PersonRef::New(Box::new(victim())),
            Some("victim"),
            None,
        )
        .await
        .unwrap();
    app.add_person_to_case(
        &inv,
        tip.id,
        PersonRef::New(Box::new(suspect())),
        Some("suspect"),
        Some("recruiter"),
    )
    .await
    .unwrap();
    app.move_case(
        &inv,
        tip.id,
        &TransitionInput {
            to: Some("fir".into()),
            from: Some("complaint".into()),
            reference: Some("FIR 112/2025".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    app.share_case(
        &inv,
        tip.id,
        &ShareInput {
            to_unit: Some("FIA-AHTC-KHI".into()),
            parts: Some("summary".into()),
            reason: Some("Joint investigation of the same network".into()),
            until: Some(
                (chrono::Utc::now() + chrono::Duration::days(30))
                    .date_naive()
                    .to_string(),
            ),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    app.assign_case(&sup, tip.id, "named").await.unwrap();
    app.seal_case(
        &sup,
        som.id,
        "Lahore High Court order 12/2025",
        &["named".to_string()],
    )
    .await
    .unwrap();
    app.reveal_identity(&inv, v, "Preparing the statement for the magistrate")
        .await
        .unwrap();
    app.login("inv", PASSWORD, "127.0.0.1").await.unwrap();
    assert!(app
        .login("khi", "wrong password", "127.0.0.1")
        .await
        .is_err());
    app.view_case(&inv, tip.id).await.unwrap();
    vec![tip.id, som.id]
}

/// The tables of the schema, read from the catalogue independently of the backup code.
/// The tables a backup carries: all but the statistics facts (`stat_*`), which are derived and
/// rebuilt after a restore.
async fn catalogue(store: &SqlStore) -> BTreeSet<String> {
    let sql = match store.backend() {
        Backend::Sqlite => {
            "SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE '%sqlx%'"
        }
        Backend::Postgres => {
            "SELECT CAST(table_name AS TEXT) AS t FROM information_schema.tables WHERE table_schema = current_schema() \
             AND table_type = 'BASE TABLE' AND table_name NOT LIKE '%sqlx%'"
        }
    };
    sqlx::query(sql)
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>("t"))
        .filter(|t| !t.starts_with("stat_"))
        .collect()
}

async fn count(store: &SqlStore, table: &str) -> i64 {
    sqlx::query(&format!("SELECT COUNT(*) AS n FROM \"{table}\""))
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get::<i64, _>("n")
}

async fn counts(store: &SqlStore) -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for t in catalogue(store).await {
        let n = count(store, &t).await;
        out.push((t, n));
    }
    out
}

async fn units(store: &SqlStore) -> Vec<(String, String)> {
    sqlx::query("SELECT id, code FROM units ORDER BY code")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get::<String, _>("id"), r.get::<String, _>("code")))
        .collect()
}

async fn take_backup(store: &SqlStore) -> (Vec<u8>, BackupSummary) {
    let mut file = Vec::new();
    let summary = backup(store, &mut file).await.unwrap();
    (file, summary)
}

fn lines(file: &[u8]) -> Vec<String> {
    String::from_utf8(file.to_vec())
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Everything but the header (which carries the time and the backend).
fn body(file: &[u8]) -> Vec<String> {
    lines(file).into_iter().skip(1).collect()
}

/// The target holds nothing but what a fresh start put there.
async fn assert_untouched(target: &Env, seeded: &[(String, String)]) {
    for (t, n) in counts(&target.store).await {
        match t.as_str() {
            "units" => assert_eq!(n as usize, seeded.len(), "{}", target.name),
            "audit_head" => assert_eq!(n, 1, "{}", target.name),
            // The start-up maintenance done on the empty database (sealing checked, match keys
            // computed).
            "maintenance" => assert_eq!(n, 2, "{}", target.name),
            _ => assert_eq!(n, 0, "{}: table {t} has rows", target.name),
        }
    }
    assert_eq!(units(&target.store).await, seeded, "{}", target.name);
    assert_eq!(
        target.store.audit_head().await.unwrap().0,
        0,
        "{}",
        target.name
    );
}

async fn round_trip(from: Backend, to: Backend) {
    let keys = Keyring::generate();
    let src = fresh(from, &keys).await;
    let dst = fresh(to, &keys).await;
    let cases = populate(&src.app).await;
    let label = format!("{} -> {}", src.name, dst.name);

    let before = src.app.verify_audit().await.unwrap();
    assert!(before.first_bad.is_none(), "{label}");
    let (file, written) = take_backup(&src.store).await;
    assert_eq!(written.tables.len(), catalogue(&src.store).await.len());

    // The header says what the file is.
    let header: serde_json::Value = serde_json::from_str(&lines(&file)[0]).unwrap();
    assert_eq!(header["format"], "nigehban-backup");
    assert_eq!(header["version"], 1);
    assert_eq!(header["backend"], src.name);
    assert!(!header["migrations"].as_array().unwrap().is_empty());

    // Sealed columns stay sealed: the file names no one the database does not.
    let text = String::from_utf8(file.clone()).unwrap();
    for secret in [
        "Kaneez",
        "کنیز",
        "Ghulam Rasool",
        "32304-1234567-2",
        "3230412345672",
        "3001234567",
    ] {
        assert!(
            !text.contains(secret),
            "{label}: the backup shows `{secret}`"
        );
    }

    let restored = restore(&dst.store, &mut file.as_slice()).await.unwrap();
    assert_eq!(restored, written, "{label}");

    let after = dst.app.verify_audit().await.unwrap();
    assert_eq!(after.first_bad, None, "{label}");
    assert_eq!(after.checked, before.checked, "{label}");
    assert_eq!(
        counts(&dst.store).await,
        counts(&src.store).await,
        "{label}"
    );
    assert_eq!(units(&dst.store).await, units(&src.store).await, "{label}");
    for id in &cases {
        let a = src.store.case_detail(*id).await.unwrap().unwrap();
        let b = dst.store.case_detail(*id).await.unwrap().unwrap();
        assert_eq!(a.summary.number, b.summary.number, "{label}");
        assert_eq!(
            serde_json::to_value(&a.persons).unwrap(),
            serde_json::to_value(&b.persons).unwrap(),
            "{label}"
        );
        assert_eq!(
            serde_json::to_value(&a.history).unwrap(),
            serde_json::to_value(&b.history).unwrap(),
            "{label}"
        );
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            serde_json::to_value(&b).unwrap(),
            "{label}"
        );
    }
    // Backing up the restored store gives the same rows in the same order, whatever the backend.
    let (again, _) = take_backup(&dst.store).await;
    assert_eq!(body(&again), body(&file), "{label}");

    // The restored system goes on: sign-in with the old password, the next case number, a valid
    // chain after new entries; a start seeds no duplicate units.
    dst.app.bootstrap().await.unwrap();
    assert_eq!(units(&dst.store).await, units(&src.store).await, "{label}");
    dst.app.login("inv", PASSWORD, "127.0.0.1").await.unwrap();
    let inv = dst.app.cli_actor("inv").await.unwrap();
    let next = dst.app.register_case(&inv, &som_case()).await.unwrap();
    assert_eq!(next.number.serial, 3, "{label}");
    let later = dst.app.verify_audit().await.unwrap();
    assert_eq!(later.first_bad, None, "{label}");
    assert!(later.checked > before.checked, "{label}");
    let tip = dst.app.view_case(&inv, cases[0]).await.unwrap();
    assert_eq!(tip.detail.persons.len(), 2, "{label}");
}

#[tokio::test]
async fn sqlite_to_sqlite() {
    round_trip(Backend::Sqlite, Backend::Sqlite).await;
}

#[tokio::test]
async fn postgres_to_postgres() {
    round_trip(Backend::Postgres, Backend::Postgres).await;
}

#[tokio::test]
async fn sqlite_to_postgres() {
    round_trip(Backend::Sqlite, Backend::Postgres).await;
}

#[tokio::test]
async fn postgres_to_sqlite() {
    round_trip(Backend::Postgres, Backend::Sqlite).await;
}

#[tokio::test]
async fn the_populated_store_has_rows_in_nearly_every_table() {
    let keys = Keyring::generate();
    let src = sqlite(&keys).await;
    populate(&src.app).await;
    let (_, summary) = take_backup(&src.store).await;
    for t in [
        "units",
        "users",
        "sessions",
        "case_counters",
        "cases",
        "case_provisions",
        "case_stage_events",
        "persons",
        "person_identifiers",
        "case_persons",
        "audit_log",
        "audit_head",
        "case_assignments",
        "case_shares",
        "seals",
        "seal_access",
        "identity_reveals",
    ] {
        let n = summary.tables.iter().find(|(n, _)| n == t).map(|x| x.1);
        assert!(matches!(n, Some(k) if k > 0), "table {t}: {n:?}");
    }
}

#[tokio::test]
async fn a_database_with_data_is_refused_and_left_unchanged() {
    let keys = Keyring::generate();
    let src = sqlite(&keys).await;
    populate(&src.app).await;
    let (file, _) = take_backup(&src.store).await;
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let dst = fresh(backend, &keys).await;
        user(&dst.app, "someone", "investigator", "PP-LHE").await;
        let (before, _) = take_backup(&dst.store).await;
        let err = restore(&dst.store, &mut file.as_slice())
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("not empty") && err.contains("`users`"),
            "{}: {err}",
            dst.name
        );
        let (after, _) = take_backup(&dst.store).await;
        assert_eq!(body(&after), body(&before), "{}", dst.name);
        assert!(dst.app.verify_audit().await.unwrap().first_bad.is_none());
    }
}

/// The line (1-based) of the first line matching `pred`.
fn find(lines: &[String], pred: impl Fn(&str) -> bool) -> usize {
    lines.iter().position(|l| pred(l)).unwrap() + 1
}

/// Each edit of a good file, and the line its error must name.
fn broken_files(good: &[u8]) -> Vec<(&'static str, Vec<u8>, usize, &'static str)> {
    let lines = lines(good);
    let join = |ls: &[String]| {
        let mut s = ls.join("\n");
        s.push('\n');
        s.into_bytes()
    };
    let edit = |at: usize, to: &str| {
        let mut ls = lines.clone();
        ls[at - 1] = to.to_string();
        join(&ls)
    };
    let start = |t: &str| find(&lines, |l| l.starts_with(&format!("{{\"table\":\"{t}\"")));
    let mut out = Vec::new();

    // Cut in the middle of a table: the end marker and the rest are missing.
    let cases_row = start("cases") + 1;
    out.push((
        "truncated",
        join(&lines[..cases_row]),
        cases_row + 1,
        "truncated",
    ));
    // Cut after a whole table: the next table never starts.
    let persons_end = find(&lines, |l| l.starts_with("{\"end\":\"persons\""));
    out.push((
        "cut between tables",
        join(&lines[..persons_end]),
        persons_end + 1,
        "ends before",
    ));
    // A row that is not JSON (later tables are in the file, earlier ones were already loaded).
    let row = start("persons") + 1;
    out.push((
        "bad json",
        edit(row, "[\"0191\", 12"),
        row,
        "not valid JSON",
    ));
    // A table that this schema does not have.
    let seals = start("seals");
    out.push((
        "unknown table",
        edit(seals, &lines[seals - 1].replace("\"seals\"", "\"nope\"")),
        seals,
        "unknown table",
    ));
    let mut header: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    header["tables"].as_array_mut().unwrap().push("nope".into());
    out.push((
        "unknown table in header",
        edit(1, &header.to_string()),
        1,
        "unknown table",
    ));
    // A column that this schema does not have.
    let users = start("users");
    out.push((
        "unknown column",
        edit(
            users,
            &lines[users - 1].replace("\"display_name\"", "\"nick\""),
        ),
        users,
        "unknown column",
    ));
    // Rows with too few or too many values, or a value of the wrong type.
    let row = start("case_persons") + 1;
    let mut short: Vec<serde_json::Value> = serde_json::from_str(&lines[row - 1]).unwrap();
    short.pop();
    out.push((
        "short row",
        edit(row, &serde_json::to_string(&short).unwrap()),
        row,
        "values where",
    ));
    let mut long: Vec<serde_json::Value> = serde_json::from_str(&lines[row - 1]).unwrap();
    long.push(serde_json::Value::Null);
    out.push((
        "long row",
        edit(row, &serde_json::to_string(&long).unwrap()),
        row,
        "values where",
    ));
    let row = start("audit_log") + 1;
    let mut typed: Vec<serde_json::Value> = serde_json::from_str(&lines[row - 1]).unwrap();
    typed[0] = "one".into();
    out.push((
        "wrong type",
        edit(row, &serde_json::to_string(&typed).unwrap()),
        row,
        "needs an integer",
    ));
    // A row removed: the end marker's count no longer matches.
    let row = start("users") + 1;
    let mut ls = lines.clone();
    ls.remove(row - 1);
    let end = find(&ls, |l| l.starts_with("{\"end\":\"users\""));
    out.push(("row removed", join(&ls), end, "should have"));
    // A row duplicated (count fixed): the database refuses the second copy.
    let mut ls = lines.clone();
    ls.insert(row, lines[row - 1].clone());
    let end = find(&ls, |l| l.starts_with("{\"end\":\"users\""));
    let n: serde_json::Value = serde_json::from_str(&ls[end - 1]).unwrap();
    ls[end - 1] = format!(
        "{{\"end\":\"users\",\"rows\":{}}}",
        n["rows"].as_u64().unwrap() + 1
    );
    out.push(("duplicate row", join(&ls), row, "backup lines"));
    // Content after the last table.
    let mut ls = lines.clone();
    ls.push("[]".into());
    out.push((
        "trailing content",
        join(&ls),
        lines.len() + 1,
        "after the last table",
    ));
    // Headers that do not fit.
    let mut h: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    h["migrations"] = serde_json::json!([1]);
    out.push((
        "other schema version",
        edit(1, &h.to_string()),
        1,
        "schema versions",
    ));
    let mut h: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
    h["version"] = 2.into();
    out.push(("newer format", edit(1, &h.to_string()), 1, "version 2"));
    out.push(("not a backup", b"hello\n".to_vec(), 1, "not valid JSON"));
    out.push(("empty", Vec::new(), 1, "empty"));
    out
}

#[tokio::test]
async fn broken_files_are_refused_with_their_line_and_restore_nothing() {
    let keys = Keyring::generate();
    let src = sqlite(&keys).await;
    populate(&src.app).await;
    let (good, _) = take_backup(&src.store).await;
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let dst = fresh(backend, &keys).await;
        let seeded = units(&dst.store).await;
        for (what, file, line, says) in broken_files(&good) {
            let err = restore(&dst.store, &mut file.as_slice())
                .await
                .unwrap_err()
                .to_string();
            assert!(
                err.contains(&format!("line {line}:")) || err.contains(&format!("lines {line}-")),
                "{} {what}: expected line {line}: {err}",
                dst.name
            );
            assert!(err.contains(says), "{} {what}: {err}", dst.name);
            assert_untouched(&dst, &seeded).await;
        }
        // The refusals left the database as new: the good file restores.
        restore(&dst.store, &mut good.as_slice()).await.unwrap();
        assert_eq!(
            counts(&dst.store).await,
            counts(&src.store).await,
            "{}",
            dst.name
        );
    }
}

#[tokio::test]
async fn every_table_of_the_schema_is_in_the_backup_parents_first() {
    let keys = Keyring::generate();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let src = fresh(backend, &keys).await;
        let dst = fresh(backend, &keys).await;
        // Tables a later migration might add: one referring to cases, named to sort before it,
        // and one numbered by the database.
        let serial = match backend {
            Backend::Sqlite => "id INTEGER PRIMARY KEY AUTOINCREMENT",
            Backend::Postgres => "id BIGSERIAL PRIMARY KEY",
        };
        for s in [&src, &dst] {
            for ddl in [
                "CREATE TABLE aaa_case_notes (id TEXT PRIMARY KEY, case_id TEXT NOT NULL REFERENCES cases(id), note TEXT, n BIGINT)".to_string(),
                format!("CREATE TABLE aaa_numbered ({serial}, label TEXT NOT NULL)"),
            ] {
                sqlx::query(&ddl).execute(s.store.pool()).await.unwrap();
            }
        }
        populate(&src.app).await;
        let case_id: String = sqlx::query("SELECT id FROM cases ORDER BY id LIMIT 1")
            .fetch_one(src.store.pool())
            .await
            .unwrap()
            .get("id");
        sqlx::query("INSERT INTO aaa_case_notes (id, case_id, note, n) VALUES ('n1', $1, 'a note', 7), ('n2', $1, NULL, NULL)")
            .bind(case_id)
            .execute(src.store.pool())
            .await
            .unwrap();
        for label in ["one", "two", "three"] {
            sqlx::query("INSERT INTO aaa_numbered (label) VALUES ($1)")
                .bind(label)
                .execute(src.store.pool())
                .await
                .unwrap();
        }

        let (file, summary) = take_backup(&src.store).await;
        let lines = lines(&file);
        let header: serde_json::Value = serde_json::from_str(&lines[0]).unwrap();
        let listed: Vec<String> = header["tables"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect();
        let sections: Vec<String> = lines
            .iter()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter_map(|v| v.get("table").and_then(|t| t.as_str()).map(str::to_string))
            .collect();
        let schema = catalogue(&src.store).await;
        assert_eq!(
            listed.iter().cloned().collect::<BTreeSet<_>>(),
            schema,
            "{}: tables missing from the backup",
            src.name
        );
        assert_eq!(listed.len(), schema.len(), "{}", src.name);
        assert_eq!(sections, listed, "{}", src.name);
        assert_eq!(
            summary
                .tables
                .iter()
                .map(|t| t.0.clone())
                .collect::<Vec<_>>(),
            listed
        );
        let at = |t: &str| listed.iter().position(|x| x == t).unwrap();
        for (child, parent) in [
            ("aaa_case_notes", "cases"),
            ("users", "units"),
            ("sessions", "users"),
            ("cases", "units"),
            ("case_persons", "cases"),
            ("case_persons", "persons"),
            ("person_identifiers", "persons"),
            ("case_shares", "cases"),
            ("seal_access", "users"),
            ("identity_reveals", "persons"),
        ] {
            assert!(
                at(parent) < at(child),
                "{}: {child} before {parent}",
                src.name
            );
        }

        restore(&dst.store, &mut file.as_slice()).await.unwrap();
        assert_eq!(
            counts(&dst.store).await,
            counts(&src.store).await,
            "{}",
            src.name
        );
        // The database's own numbering continues after the restored rows.
        sqlx::query("INSERT INTO aaa_numbered (label) VALUES ('four')")
            .execute(dst.store.pool())
            .await
            .unwrap();
        let id: i64 = sqlx::query("SELECT id FROM aaa_numbered WHERE label = 'four'")
            .fetch_one(dst.store.pool())
            .await
            .unwrap()
            .get("id");
        assert_eq!(id, 4, "{}", src.name);
        assert!(dst.app.verify_audit().await.unwrap().first_bad.is_none());
    }
}

/// Thousands of rows: several pages per table when backing up, several statements per table when
/// restoring, and the same file from SQLite and PostgreSQL.
#[tokio::test]
async fn large_tables_go_through_in_pages_across_backends() {
    let keys = Keyring::generate();
    let src = sqlite(&keys).await;
    let refdata = ReferenceData::embedded().unwrap();
    let today = chrono::Utc::now().date_naive();
    let persons: Vec<NewPerson> = (0..2500)
        .map(|i| NewPerson {
            id: PersonId::new(),
            person: PersonInput {
                name_roman: Some(format!("Person {} Khan", "x".repeat(i % 7 + 1))),
                sex: Some("male".into()),
                phone: Some(format!("0300{:07}", i)),
                ..Default::default()
            }
            .validate(&refdata, today)
            .unwrap(),
            agency: "FIA".into(),
            created_by: UserId::new(),
            created_at: chrono::Utc::now(),
        })
        .collect();
    src.app
        .bulk_load(
            &Principal::system("test"),
            &BulkBatch {
                persons,
                cases: vec![],
            },
        )
        .await
        .unwrap();
    populate(&src.app).await;
    let (file, summary) = take_backup(&src.store).await;
    let rows = |t: &str| summary.tables.iter().find(|x| x.0 == t).unwrap().1;
    assert!(rows("persons") > 2500 && rows("person_identifiers") > 2500);
    assert!(summary.rows() > 7000);

    let pg = postgres(&keys).await;
    assert_eq!(
        restore(&pg.store, &mut file.as_slice()).await.unwrap(),
        summary
    );
    let (from_pg, _) = take_backup(&pg.store).await;
    assert_eq!(body(&from_pg), body(&file));
    let back = sqlite(&keys).await;
    assert_eq!(
        restore(&back.store, &mut from_pg.as_slice()).await.unwrap(),
        summary
    );
    let (again, _) = take_backup(&back.store).await;
    assert_eq!(body(&again), body(&file));
    for env in [&pg, &back] {
        let report = env.app.verify_audit().await.unwrap();
        assert_eq!(report.first_bad, None, "{}", env.name);
        assert_eq!(
            counts(&env.store).await,
            counts(&src.store).await,
            "{}",
            env.name
        );
    }
}
