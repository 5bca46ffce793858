//! Fixtures shared by the storage suites: a fresh PostgreSQL database per test (PostgreSQL is
//! required: without `NIGEHBAN_TEST_POSTGRES_URL` the suites fail), users, and typical inputs.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use nigehban_core::actor::{Actor, Principal};
use nigehban_core::service::NewUserInput;
use nigehban_core::Nigehban;
use nigehban_domain::case::CaseInput;
use nigehban_domain::person::PersonInput;
use nigehban_storage::DatabaseUrl;
use sqlx::Connection;

pub const PASSWORD: &str = "long enough password";

/// One backend under test: the application over a fresh store.
pub struct Backend {
    pub name: &'static str,
    pub app: Nigehban,
    pub store: nigehban_storage::SqlStore,
    _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> Backend {
    let dir = tempfile::tempdir().unwrap();
    let store = nigehban_storage::SqlStore::connect(
        &DatabaseUrl::in_data_dir(dir.path()),
        nigehban_storage::Keyring::generate(),
    )
    .await
    .unwrap();
    backend("sqlite", store, Some(dir)).await
}

/// A fresh PostgreSQL database named with `prefix`.
pub async fn postgres(prefix: &str) -> Backend {
    let url = new_postgres_database(prefix).await;
    let store = nigehban_storage::SqlStore::connect(&url, nigehban_storage::Keyring::generate())
        .await
        .unwrap();
    backend("postgres", store, None).await
}

async fn backend(
    name: &'static str,
    store: nigehban_storage::SqlStore,
    dir: Option<tempfile::TempDir>,
) -> Backend {
    let refdata =
        std::sync::Arc::new(nigehban_domain::reference::ReferenceData::embedded().unwrap());
    let app = Nigehban::new(std::sync::Arc::new(store.clone()), refdata);
    app.bootstrap().await.unwrap();
    Backend {
        name,
        app,
        store,
        _dir: dir,
    }
}

/// The same scenario runs on both: SQLite, then PostgreSQL.
pub async fn both(prefix: &str) -> Vec<Backend> {
    vec![sqlite().await, postgres(prefix).await]
}

/// A new, empty PostgreSQL database on the test server, named with `prefix`.
pub async fn new_postgres_database(prefix: &str) -> DatabaseUrl {
    let admin = std::env::var("NIGEHBAN_TEST_POSTGRES_URL").expect(
        "NIGEHBAN_TEST_POSTGRES_URL is not set: the storage suites must also run on PostgreSQL (scripts/test.sh starts one)",
    );
    let name = format!("{prefix}_{}", uuid::Uuid::now_v7().simple());
    let mut conn = sqlx::postgres::PgConnection::connect(&admin)
        .await
        .expect("cannot reach PostgreSQL");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap();
    DatabaseUrl::parse(&format!("{base}/{name}")).unwrap()
}

pub async fn user(app: &Nigehban, username: &str, role: &str, unit: &str) -> Actor {
    app.add_user(
        &Principal::system("test"),
        NewUserInput {
            username: username.into(),
            display_name: username.into(),
            role: role.into(),
            unit_code: unit.into(),
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    app.cli_actor(username).await.unwrap()
}

pub fn tip_case() -> CaseInput {
    CaseInput {
        title: Some("Girls recruited for domestic work in Lahore".into()),
        crime_types: vec!["tip".into()],
        exploitation_forms: vec!["domestic_servitude".into()],
        provisions: vec!["PTPA-2018-S3".into()],
        province: Some("PB".into()),
        district: Some("lahore".into()),
        offence_date: Some("2025-03-10".into()),
        narrative: Some("Complaint by the mother.".into()),
    }
}

pub fn som_case() -> CaseInput {
    CaseInput {
        title: Some("Boat intercepted off Jiwani".into()),
        crime_types: vec!["som".into()],
        provisions: vec!["PSMA-2018-S3".into()],
        province: Some("BA".into()),
        district: Some("gwadar".into()),
        offence_date: Some("2025-06-01".into()),
        ..Default::default()
    }
}

pub fn victim() -> PersonInput {
    PersonInput {
        name_roman: Some("Kaneez Fatima".into()),
        name_urdu: Some("کنیز فاطمہ".into()),
        parentage_relation: Some("daughter_of".into()),
        parentage_roman: Some("Ghulam Rasool".into()),
        sex: Some("female".into()),
        estimated_age: Some("15".into()),
        nationality_claimed: Some("PAK".into()),
        origin_district: Some("muzaffargarh".into()),
        cnic: Some("32304-1234567-2".into()),
        ..Default::default()
    }
}

pub fn suspect() -> PersonInput {
    PersonInput {
        name_roman: Some("Muhammad Aslam".into()),
        name_urdu: Some("محمد اسلم".into()),
        sex: Some("male".into()),
        phone: Some("0300-1234567".into()),
        ..Default::default()
    }
}

/// A committed fixture of the spreadsheet suite (`crates/sheets/tests/fixtures`), as bytes.
pub fn fixture(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sheets/tests/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// How many rows a table holds.
pub async fn count_rows(pool: &sqlx::AnyPool, table: &str) -> i64 {
    sqlx::query_scalar::<_, i64>(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(pool)
        .await
        .unwrap()
}
