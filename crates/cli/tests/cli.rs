//! The `nigehban` binary as an operator uses it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::process::{Command, Output};

fn nigehban(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nigehban"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("NIGEHBAN_LOG", "warn")
        .env_remove("NIGEHBAN_DATABASE_URL")
        .output()
        .unwrap()
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn audit_verify_passes_on_demo_data_and_fails_after_a_hand_edit() {
    let dir = tempfile::tempdir().unwrap();
    let demo = nigehban(
        dir.path(),
        &[
            "demo",
            "--no-serve",
            "--cases",
            "60",
            "--persons",
            "300",
            "--seed",
            "3",
        ],
    );
    assert!(demo.status.success(), "{}", text(&demo));
    assert!(text(&demo).contains("password: "), "{}", text(&demo));

    let ok = nigehban(dir.path(), &["audit", "verify"]);
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(text(&ok).contains("audit log intact"));

    // Edit one audit row by hand, as an insider with database access might.
    let url = format!("sqlite://{}", dir.path().join("nigehban.db").display());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&url).await.unwrap();
        sqlx::query("UPDATE audit_log SET actor_name = 'nobody' WHERE seq = 5")
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    });
    let bad = nigehban(dir.path(), &["audit", "verify"]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    assert!(text(&bad).contains("BROKEN at entry 5"), "{}", text(&bad));

    // Loading the demo again does not duplicate the dataset.
    let again = nigehban(
        dir.path(),
        &["demo", "--no-serve", "--cases", "60", "--persons", "300"],
    );
    assert!(
        text(&again).contains("not loaded again"),
        "{}",
        text(&again)
    );
}

#[test]
fn users_are_added_with_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let ok = nigehban(
        dir.path(),
        &[
            "user",
            "add",
            "--username",
            "ayesha",
            "--name",
            "Ayesha Khan",
            "--role",
            "investigator",
            "--unit",
            "FIA-AHTC-LHE",
        ],
    );
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(text(&ok).contains("password: "));
    let dup = nigehban(
        dir.path(),
        &[
            "user",
            "add",
            "--username",
            "ayesha",
            "--name",
            "A",
            "--role",
            "investigator",
            "--unit",
            "FIA-AHTC-LHE",
        ],
    );
    assert!(!dup.status.success());
    assert!(text(&dup).contains("--username"), "{}", text(&dup));
    let bad = nigehban(
        dir.path(),
        &[
            "user",
            "add",
            "--username",
            "x y",
            "--name",
            "B",
            "--role",
            "chief",
            "--unit",
            "NOPE",
        ],
    );
    assert!(!bad.status.success());
    let t = text(&bad);
    assert!(t.contains("--role: Unknown value “chief”"), "{t}");
    assert!(t.contains("--unit: Unknown value “NOPE”"), "{t}");
    assert!(t.contains("--username"), "{t}");
}

#[test]
fn unknown_database_urls_are_refused_without_creating_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_nigehban"))
        .args([
            "--database-url",
            "mysql://root@localhost/nigehban",
            "audit",
            "verify",
        ])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        text(&out).contains("unrecognised database URL"),
        "{}",
        text(&out)
    );
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "nothing created"
    );
}

#[test]
fn default_config_is_a_valid_commented_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = nigehban(dir.path(), &["default-config"]);
    assert!(out.status.success());
    let cfg = String::from_utf8(out.stdout).unwrap();
    assert!(cfg.contains("# "));
    std::fs::write(dir.path().join("nigehban.toml"), cfg).unwrap();
    let ok = nigehban(dir.path(), &["audit", "verify"]);
    assert!(ok.status.success(), "{}", text(&ok));
    std::fs::write(
        dir.path().join("nigehban.toml"),
        "listne = \"0.0.0.0:80\"\n",
    )
    .unwrap();
    let bad = nigehban(dir.path(), &["audit", "verify"]);
    assert!(!bad.status.success());
    assert!(
        text(&bad).contains("unknown field `listne`"),
        "{}",
        text(&bad)
    );
}

#[test]
fn synth_writes_persons_to_the_database_and_to_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = nigehban(
        dir.path(),
        &[
            "synth",
            "--persons",
            "3000",
            "--seed",
            "9",
            "--chunk",
            "1000",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("wrote 3000 persons"), "{}", text(&out));
    let csv = dir.path().join("p.csv");
    let out = nigehban(
        dir.path(),
        &["synth", "--persons", "500", "--csv", csv.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    let body = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(body.lines().count(), 501);
    assert!(body
        .lines()
        .next()
        .unwrap()
        .starts_with("id,name_roman,name_urdu"));
}

/// Names and CNICs of the demo's victims, read through the store with the data key.
fn victims(dir: &std::path::Path) -> Vec<(String, Option<String>, Vec<String>)> {
    use nigehban_core::store::Store;
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let (keys, created) = nigehban_storage::Keyring::load_or_create(&dir.join("nigehban.key")).unwrap();
        assert!(!created, "the demo created the key file");
        let store = nigehban_storage::SqlStore::connect(&nigehban_storage::DatabaseUrl::in_data_dir(dir), keys).await.unwrap();
        let ids: Vec<String> = sqlx::query_scalar("SELECT DISTINCT person_id FROM case_persons WHERE role = 'victim' ORDER BY person_id LIMIT 200")
            .fetch_all(store.pool())
            .await
            .unwrap();
        let mut out = Vec::new();
        for id in ids {
            let p = store.person_detail(id.parse().unwrap()).await.unwrap().unwrap();
            let ids = p.person.identifiers.iter().map(|i| i.value.clone()).collect();
            out.push((p.person.name.roman.clone().unwrap_or_default(), p.person.name.urdu.clone(), ids));
        }
        store.close().await;
        out
    })
}

#[test]
fn a_dump_of_the_demo_reveals_no_victim_and_key_rotation_keeps_everything_readable() {
    let dir = tempfile::tempdir().unwrap();
    let demo = nigehban(
        dir.path(),
        &[
            "demo",
            "--no-serve",
            "--cases",
            "120",
            "--persons",
            "600",
            "--seed",
            "5",
        ],
    );
    assert!(demo.status.success(), "{}", text(&demo));
    let before = victims(dir.path());
    assert!(before.len() > 20, "the demo has victims");
    assert!(
        before.iter().any(|v| !v.2.is_empty()),
        "some victims have identifiers"
    );
    assert!(
        before.iter().filter(|v| v.0.contains(' ')).count() > 10,
        "most victims have full names"
    );

    // Everything the database holds on disk: the main file and its write-ahead log.
    let mut raw = std::fs::read(dir.path().join("nigehban.db")).unwrap();
    if let Ok(wal) = std::fs::read(dir.path().join("nigehban.db-wal")) {
        raw.extend(wal);
    }
    // Full names only: one word ("Hussain") also stands in officers' names and place names.
    let contains = |needle: &str| {
        needle.contains(' ') && raw.windows(needle.len()).any(|w| w == needle.as_bytes())
    };
    let contains_id = |needle: &str| raw.windows(needle.len()).any(|w| w == needle.as_bytes());
    for (roman, urdu, ids) in &before {
        // Whole names: single common words (e.g. "Bibi") also occur in case titles and places.
        assert!(
            !contains(roman),
            "victim name {roman:?} is in the database file in clear text"
        );
        if let Some(u) = urdu {
            assert!(
                !contains(u),
                "victim name {u:?} is in the database file in clear text"
            );
        }
        for id in ids {
            assert!(
                !contains_id(id),
                "identifier {id:?} is in the database file in clear text"
            );
        }
    }

    let rotate = nigehban(dir.path(), &["keys", "rotate"]);
    assert!(rotate.status.success(), "{}", text(&rotate));
    assert!(
        text(&rotate).contains("data key 2 now seals everything"),
        "{}",
        text(&rotate)
    );
    let keyfile = std::fs::read_to_string(dir.path().join("nigehban.key")).unwrap();
    assert_eq!(keyfile.matches("[[key]]").count(), 1, "old keys retired");
    assert!(keyfile.contains("id = 2"));
    assert_eq!(
        victims(dir.path()),
        before,
        "everything reads the same under the new key"
    );
    let verify = nigehban(dir.path(), &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
}

#[test]
fn backup_and_restore_into_an_empty_database_keep_the_audit_chain() {
    let src = tempfile::tempdir().unwrap();
    let demo = nigehban(
        src.path(),
        &[
            "demo",
            "--no-serve",
            "--cases",
            "40",
            "--persons",
            "200",
            "--seed",
            "11",
        ],
    );
    assert!(demo.status.success(), "{}", text(&demo));
    let file = src.path().join("backup.jsonl");
    let out = nigehban(src.path(), &["backup", "--out", file.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out));

    // A new installation with the same key file.
    let dst = tempfile::tempdir().unwrap();
    std::fs::copy(
        src.path().join("nigehban.key"),
        dst.path().join("nigehban.key"),
    )
    .unwrap();
    let restored = nigehban(dst.path(), &["restore", file.to_str().unwrap()]);
    assert!(restored.status.success(), "{}", text(&restored));
    let verify = nigehban(dst.path(), &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify));
    assert_eq!(victims(dst.path()), victims(src.path()));
    // Restoring again into the now full database is refused.
    let again = nigehban(dst.path(), &["restore", file.to_str().unwrap()]);
    assert!(!again.status.success());
    assert!(text(&again).contains("not empty"), "{}", text(&again));
}
