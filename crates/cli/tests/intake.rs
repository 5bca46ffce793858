//! `nigehban intake import` and `nigehban watchlist import` as an operator runs them on the
//! server: located errors, all-or-nothing, re-imports, encodings, and screening against the
//! watch lists. Nothing here depends on timing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use nigehban_core::intake_store::{EntryRecord, IntakeStore};
use nigehban_domain::intake::FlagKind;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const OFFICER: &str = "zubair";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../sheets/tests/fixtures")
        .join(name)
}

fn nigehban(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nigehban"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("NIGEHBAN_LOG", "warn")
        .env_remove("NIGEHBAN_DATABASE_URL")
        .env_remove("NIGEHBAN_CONFIG")
        .env_remove("NIGEHBAN_KEY")
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

/// A data directory with one intake officer at the Karachi seaport.
fn data_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let out = nigehban(
        dir.path(),
        &[
            "user",
            "add",
            "--username",
            OFFICER,
            "--name",
            "ASI Zubair Baloch",
            "--role",
            "intake_officer",
            "--unit",
            "FIA-IMM-KHI-SEAPORT",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    dir
}

/// `intake import FILE` into a new deportation batch from Oman at the Karachi seaport.
fn import(dir: &Path, file: &Path, extra: &[&str]) -> Output {
    let file = file.to_str().unwrap();
    let mut args = vec![
        "intake",
        "import",
        file,
        "--batch-kind",
        "deportation",
        "--post",
        "KHI-SEAPORT",
        "--from",
        "OMN",
        "--date",
        "2025-06-01",
        "--as",
        OFFICER,
    ];
    args.extend_from_slice(extra);
    nigehban(dir, &args)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Rows in the tables an import writes to.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
struct Counts {
    persons: i64,
    identifiers: i64,
    batches: i64,
    entries: i64,
    imports: i64,
    watchlist: i64,
}

fn counts(dir: &Path) -> Counts {
    let url = format!("sqlite://{}", dir.join("nigehban.db").display());
    runtime().block_on(async {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&url).await.unwrap();
        let mut n = Vec::new();
        for table in [
            "persons",
            "person_identifiers",
            "intake_batches",
            "intake_entries",
            "intake_imports",
            "watchlist_entries",
        ] {
            let c: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
                .fetch_one(&pool)
                .await
                .unwrap();
            n.push(c);
        }
        pool.close().await;
        Counts {
            persons: n[0],
            identifiers: n[1],
            batches: n[2],
            entries: n[3],
            imports: n[4],
            watchlist: n[5],
        }
    })
}

/// The batch id the command printed ("batch <id>").
fn batch_of(o: &Output) -> String {
    let stdout = String::from_utf8_lossy(&o.stdout);
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("batch "))
        .unwrap_or_else(|| panic!("no batch printed: {}", text(o)))
        .trim()
        .to_string()
}

/// The entries of a batch, opened with the data key.
fn entries(dir: &Path, batch: &str) -> Vec<EntryRecord> {
    runtime().block_on(async {
        let (keys, created) =
            nigehban_storage::Keyring::load_or_create(&dir.join("nigehban.key")).unwrap();
        assert!(!created, "the data key exists");
        let store = nigehban_storage::SqlStore::connect(
            &nigehban_storage::DatabaseUrl::in_data_dir(dir),
            keys,
        )
        .await
        .unwrap();
        let out = store.entries(batch.parse().unwrap()).await.unwrap();
        store.close().await;
        out
    })
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

const HEADER: &str =
    "S.No,Name,Father Name,Passport No,DOB,Gender,Nationality,Home District,Remarks";

const FIRST: &[&str] = &[
    "Muhammad", "Ghulam", "Zahid", "Naveed", "Abdul", "Shahid", "Imran", "Waqas", "Tariq", "Bilal",
    "Sajid", "Asad", "Farhan", "Adnan", "Usman", "Kashif", "Arshad", "Zeeshan", "Nasir", "Junaid",
];
const LAST: &[&str] = &[
    "Asif", "Abbas", "Hussain", "Akhtar", "Ghaffar", "Mehmood", "Khan", "Ahmed", "Iqbal", "Raza",
    "Ali", "Ullah", "Saleem", "Ghani", "Javed", "Nazar", "Haider", "Akram", "Rehman", "Qadir",
];
const DISTRICTS: &[&str] = &[
    "Gujranwala",
    "Sialkot",
    "Gujrat",
    "Lahore",
    "Jhelum",
    "Faisalabad",
    "Kasur",
    "Okara",
];

/// A valid manifest of `n` distinct persons, each with a passport.
fn big_manifest(n: usize) -> String {
    let mut s = String::from(HEADER);
    s.push('\n');
    for i in 0..n {
        let name = format!("{} {}", FIRST[i % 20], LAST[(i / 20) % 20]);
        let father = format!("{} {}", FIRST[(i / 400) % 20], LAST[(i / 7) % 20]);
        let dob = format!(
            "{:02}/{:02}/{}",
            1 + i % 28,
            1 + (i / 28) % 12,
            1960 + i % 40
        );
        s.push_str(&format!(
            "{},{name},{father},AK{:07},{dob},M,Pakistani,{},Overstay\n",
            i + 1,
            1_000_000 + i,
            DISTRICTS[i % DISTRICTS.len()],
        ));
    }
    s
}

#[test]
fn a_good_csv_imports_once_and_a_second_import_adds_nobody() {
    let dir = data_dir();
    let before = counts(dir.path());
    let first = import(dir.path(), &fixture("oman_deportation.csv"), &[]);
    assert_eq!(first.status.code(), Some(0), "{}", text(&first));
    let t = text(&first);
    assert!(
        t.contains("oman_deportation.csv: 30 persons added (0 already on record), 0 already in the batch, 0 rows refused."),
        "{t}"
    );
    // The one warning of the file is located, and does not stop the import.
    assert!(
        t.contains(
            "oman_deportation.csv, row 30, column I (Home District): “Kandahar” is not a district"
        ),
        "{t}"
    );
    let after = counts(dir.path());
    assert_eq!(after.persons, before.persons + 30);
    assert_eq!(after.batches, 1);
    assert_eq!(after.entries, 30);
    assert_eq!(after.imports, 1);
    let batch = batch_of(&first);

    // The same command again: the file is recognised, no batch and nobody is added.
    let again = import(dir.path(), &fixture("oman_deportation.csv"), &[]);
    assert_eq!(again.status.code(), Some(0), "{}", text(&again));
    let t = text(&again);
    assert!(
        t.contains("oman_deportation.csv was already imported"),
        "{t}"
    );
    assert!(t.contains("Nobody was added twice"), "{t}");
    assert_eq!(batch_of(&again), batch, "{t}");
    assert_eq!(counts(dir.path()), after);

    // Into the batch by its id: the same.
    let into = import(
        dir.path(),
        &fixture("oman_deportation.csv"),
        &["--batch", &batch],
    );
    assert_eq!(into.status.code(), Some(0), "{}", text(&into));
    assert!(text(&into).contains("already imported"), "{}", text(&into));
    assert_eq!(counts(dir.path()), after);
}

#[test]
fn a_bad_manifest_is_refused_with_every_problem_located_and_nothing_written() {
    let dir = data_dir();
    let before = counts(dir.path());
    let out = import(dir.path(), &fixture("bad_manifest.csv"), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let t = text(&out);
    for expected in [
        // Formula cells: "=", "@" and "+" (the "-" case is below).
        "bad_manifest.csv, row 3, column B (Name): Starts with “=”",
        "bad_manifest.csv, row 10, column J (Remarks): Starts with “@”",
        "bad_manifest.csv, row 18, column C (Father Name): Starts with “+”",
        // Invalid CNICs.
        "bad_manifest.csv, row 4, column E (CNIC): A CNIC starts with a province digit",
        "bad_manifest.csv, row 24, column E (CNIC): A CNIC has 13 digits",
        // An impossible date (31/02) and one in the future.
        "bad_manifest.csv, row 5, column F (DOB): Not a date",
        "bad_manifest.csv, row 6, column F (DOB): This date is in the future.",
        // An empty name.
        "bad_manifest.csv, row 7, column B (Name): The name is empty.",
        // Duplicates: a whole row, a passport, a CNIC.
        "bad_manifest.csv, row 12: This row repeats row 11.",
        "bad_manifest.csv, row 8, column D (Passport No): Passport number AB1234567 is already in row 2.",
        "bad_manifest.csv, row 23, column E (CNIC): CNIC 3420155304187 is already in row 22.",
        // Mixed encodings.
        "bad_manifest.csv, row 19: This row is in a different character encoding (Windows-1252)",
        // Extra cells, and an extra column (a warning).
        "bad_manifest.csv, row 13: This row has 13 cells but the header names only 11 columns",
        "bad_manifest.csv, column K (Agent Contact): Column not recognised",
        "bad_manifest.csv: 17 of 23 rows have errors, so nothing was imported.",
    ] {
        assert!(t.contains(expected), "missing «{expected}» in:\n{t}");
    }
    // Nothing was written, not even an empty batch.
    assert_eq!(counts(dir.path()), before);
}

#[test]
fn a_formula_starting_with_minus_is_refused() {
    let dir = data_dir();
    let csv = format!(
        "{HEADER}\n1,Muhammad Asif,Muhammad Akram,AB1234567,12/03/1990,M,Pakistani,Gujranwala,-2+3+cmd|' /C calc'!A0\n"
    );
    let file = write(dir.path(), "minus.csv", csv.as_bytes());
    let before = counts(dir.path());
    let out = import(dir.path(), &file, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("minus.csv, row 2, column I (Remarks): Starts with “-”"),
        "{}",
        text(&out)
    );
    assert_eq!(counts(dir.path()), before);
}

#[test]
fn a_file_without_a_name_column_is_refused_naming_the_column() {
    let dir = data_dir();
    let before = counts(dir.path());
    let out = import(dir.path(), &fixture("no_name_column.csv"), &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("no_name_column.csv: No column for the person's name."),
        "{t}"
    );
    assert!(t.contains("Nothing was imported"), "{t}");
    assert_eq!(counts(dir.path()), before);
}

#[test]
fn valid_rows_only_takes_the_valid_rows_and_reports_the_others() {
    let dir = data_dir();
    let before = counts(dir.path());
    let out = import(
        dir.path(),
        &fixture("bad_manifest.csv"),
        &["--valid-rows-only"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("6 persons added"), "{t}");
    assert!(t.contains("17 rows refused"), "{t}");
    // The refused rows are still reported where they are.
    assert!(
        t.contains("bad_manifest.csv, row 7, column B (Name): The name is empty."),
        "{t}"
    );
    let after = counts(dir.path());
    assert_eq!(after.entries, before.entries + 6);
    assert_eq!(after.batches, before.batches + 1);
    let rows: Vec<i64> = entries(dir.path(), &batch_of(&out))
        .iter()
        .filter_map(|e| e.source_row)
        .collect();
    assert_eq!(rows.len(), 6);
    for bad in [3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 18, 19, 23, 24] {
        assert!(!rows.contains(&bad), "row {bad} was taken: {rows:?}");
    }
}

#[test]
fn ten_thousand_rows_import_and_one_bad_row_refuses_them_all() {
    let dir = data_dir();
    let n = 10_050;
    let good = big_manifest(n);
    let file = write(dir.path(), "big.csv", good.as_bytes());
    let before = counts(dir.path());
    let out = import(dir.path(), &file, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains(&format!("big.csv: {n} persons added")),
        "{}",
        text(&out)
    );
    let after = counts(dir.path());
    assert_eq!(after.persons, before.persons + 10_050);
    assert_eq!(after.entries, 10_050);

    // The same list with one impossible date far down: nothing at all is taken.
    let mut lines: Vec<String> = good.lines().map(str::to_string).collect();
    let mut cells: Vec<String> = lines[7001].split(',').map(str::to_string).collect();
    cells[4] = "31/02/1990".into();
    lines[7001] = cells.join(",");
    let bad = lines.join("\n") + "\n";
    let file = write(dir.path(), "big_one_bad.csv", bad.as_bytes());
    let out = import(dir.path(), &file, &[]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("big_one_bad.csv, row 7002, column E (DOB): Not a date"),
        "{t}"
    );
    assert!(
        t.contains(&format!(
            "big_one_bad.csv: 1 of {n} rows have errors, so nothing was imported."
        )),
        "{t}"
    );
    assert_eq!(counts(dir.path()), after);
}

#[test]
fn an_xlsx_manifest_imports() {
    let dir = data_dir();
    let out = import(dir.path(), &fixture("gulf_deportation.xlsx"), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("gulf_deportation.xlsx: 5 persons added"), "{t}");
    assert_eq!(counts(dir.path()).entries, 5);
}

/// A UTF-16LE file with a BOM (as Excel writes "Unicode text") and a Windows-1252 file: the
/// names come out as they were written.
#[test]
fn utf16_and_windows_1252_files_keep_their_names() {
    let dir = data_dir();
    let urdu = format!(
        "{HEADER}\n1,محمد آصف,محمد یونس,RT1188352,03/06/1991,M,Pakistani,Narowal,Overstay\n2,Zahid Hussain,Manzoor Hussain,DN7731450,21/07/1992,M,Pakistani,Sialkot,Overstay\n"
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for u in urdu.encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    let file = write(dir.path(), "utf16.csv", &utf16);
    let out = import(dir.path(), &file, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("2 persons added"), "{}", text(&out));
    let e = entries(dir.path(), &batch_of(&out));
    assert_eq!(e.len(), 2);
    let first = e.iter().find(|e| e.source_row == Some(2)).unwrap();
    let shown = [
        first.name_urdu.clone().unwrap_or_default(),
        first.name_roman.clone().unwrap_or_default(),
    ];
    assert!(shown.contains(&"محمد آصف".to_string()), "{shown:?}");
    let parent = [
        first.parentage_urdu.clone().unwrap_or_default(),
        first.parentage_roman.clone().unwrap_or_default(),
    ];
    assert!(parent.contains(&"محمد یونس".to_string()), "{parent:?}");

    // Windows-1252: é is 0xE9, ñ is 0xF1, ü is 0xFC.
    let mut latin = format!("{HEADER}\n").into_bytes();
    latin.extend_from_slice(
        b"1,Jos\xe9 Mu\xf1oz,Carlos Mu\xf1oz,XP1234567,01/01/1980,M,Spanish,,Overstay\n",
    );
    latin.extend_from_slice(
        b"2,Tariq Mehmood,Ghulam Mustafa,SD9045127,11/02/1983,M,Pakistani,Mirpur AJK,Overstay\n",
    );
    let file = write(dir.path(), "latin.csv", &latin);
    let out = import(dir.path(), &file, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(text(&out).contains("2 persons added"), "{}", text(&out));
    let e = entries(dir.path(), &batch_of(&out));
    let jose = e.iter().find(|e| e.source_row == Some(2)).unwrap();
    assert_eq!(jose.name_roman.as_deref(), Some("José Muñoz"));
    assert_eq!(jose.parentage_roman.as_deref(), Some("Carlos Muñoz"));
}

#[test]
fn the_report_is_printed_in_urdu() {
    let dir = data_dir();
    let out = import(
        dir.path(),
        &fixture("oman_deportation.csv"),
        &["--lang", "ur"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("افراد شامل کیے گئے"), "{t}");
    assert!(t.contains("قطار 30"), "{t}");
    assert!(t.contains("گزیٹیئر"), "{t}");
    assert!(!t.contains("persons added"), "{t}");

    let bad = import(dir.path(), &fixture("bad_manifest.csv"), &["--lang", "ur"]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    assert!(
        text(&bad).contains("کچھ بھی درآمد نہیں ہوا"),
        "{}",
        text(&bad)
    );
}

#[test]
fn unknown_batch_fields_are_named_by_their_flag_and_nothing_is_created() {
    let dir = data_dir();
    let before = counts(dir.path());
    let file = fixture("oman_deportation.csv");
    let out = nigehban(
        dir.path(),
        &[
            "intake",
            "import",
            file.to_str().unwrap(),
            "--batch-kind",
            "deportation",
            "--post",
            "NOWHERE",
            "--from",
            "OMN",
            "--as",
            OFFICER,
        ],
    );
    assert!(!out.status.success(), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("--post: Unknown value “NOWHERE”"), "{t}");
    assert!(!t.contains("--from"), "{t}");
    assert_eq!(counts(dir.path()), before);

    let out = nigehban(
        dir.path(),
        &[
            "intake",
            "import",
            file.to_str().unwrap(),
            "--batch-kind",
            "flight",
            "--post",
            "KHI-SEAPORT",
            "--from",
            "XXX",
            "--as",
            OFFICER,
        ],
    );
    assert!(!out.status.success(), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("--batch-kind: Unknown value “flight”"), "{t}");
    assert!(t.contains("--from: "), "{t}");
    assert_eq!(counts(dir.path()), before);
}

#[test]
fn a_person_on_the_most_wanted_list_is_flagged_at_a_later_import() {
    let dir = data_dir();
    let wanted = format!(
        "{HEADER}\n1,Shahid Mehmood,Mehmood Ahmed,JK3306741,02/04/1995,M,Pakistani,Quetta,Human smuggling\n2,Usman Ghani,Abdul Ghani,BD4417702,01/01/1986,M,Pakistani,Dera Ghazi Khan,Forgery\n"
    );
    let file = write(dir.path(), "wanted.csv", wanted.as_bytes());
    // The lists are kept by investigators (an intake officer only screens against them).
    let inv = nigehban(
        dir.path(),
        &[
            "user",
            "add",
            "--username",
            "imran",
            "--name",
            "Sub-Inspector Imran Memon",
            "--role",
            "investigator",
            "--unit",
            "FIA-AHTC-KHI",
        ],
    );
    assert!(inv.status.success(), "{}", text(&inv));
    let before = counts(dir.path());
    let refused = nigehban(
        dir.path(),
        &[
            "watchlist",
            "import",
            file.to_str().unwrap(),
            "--list",
            "most_wanted",
            "--edition",
            "2025-06",
            "--as",
            OFFICER,
        ],
    );
    assert!(!refused.status.success(), "{}", text(&refused));
    assert_eq!(counts(dir.path()), before);
    let out = nigehban(
        dir.path(),
        &[
            "watchlist",
            "import",
            file.to_str().unwrap(),
            "--list",
            "most_wanted",
            "--edition",
            "2025-06",
            "--as",
            "imran",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        text(&out).contains("2 persons added to the most_wanted list, edition 2025-06"),
        "{}",
        text(&out)
    );
    let after = counts(dir.path());
    assert_eq!(after.watchlist, before.watchlist + 2);
    assert_eq!(after.persons, before.persons + 2);

    // A manifest with one of them (same passport) among two persons on no list.
    let manifest = format!(
        "{HEADER}\n1,Farhan Saleem,Muhammad Saleem,XY6672018,09/07/1994,M,Pakistani,Faisalabad,Overstay\n2,Shahid Mehmood,Mehmood Ahmed,JK3306741,02/04/1995,M,Pakistani,Quetta,Visa expired\n3,Sadia Parveen,Abdul Qadir,JL2204631,15/01/1993,F,Pakistani,Lahore,Overstay\n"
    );
    let file = write(dir.path(), "arrivals.csv", manifest.as_bytes());
    let out = import(dir.path(), &file, &[]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("3 persons added (1 already on record)"), "{t}");
    assert!(t.contains(" 1 flagged;"), "{t}");
    let e = entries(dir.path(), &batch_of(&out));
    for entry in &e {
        let on_list = entry.flags.iter().any(|f| f.kind == FlagKind::Watchlist);
        assert_eq!(
            on_list,
            entry.source_row == Some(3),
            "row {:?}: {:?}",
            entry.source_row,
            entry.flags
        );
    }
    let flagged = e.iter().find(|e| e.source_row == Some(3)).unwrap();
    let reasons: Vec<&str> = flagged
        .flags
        .iter()
        .flat_map(|f| f.reasons.iter().map(|r| r.code.as_str()))
        .collect();
    assert!(reasons.contains(&"on-most-wanted"), "{reasons:?}");
}
