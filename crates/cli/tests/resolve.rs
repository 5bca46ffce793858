//! `nigehban resolve dedupe|link` on small ledgers with known duplicates (Roman and Urdu
//! script), its determinism, and every kind of bad input with its located message.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn nigehban(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nigehban"))
        .args(args)
        .env("NIGEHBAN_LOG", "warn")
        .env_remove("NIGEHBAN_DATABASE_URL")
        .env_remove("NIGEHBAN_CONFIG")
        .env_remove("NIGEHBAN_DATA_DIR")
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

const LEDGER_FIELDS: [&str; 12] = [
    "--field",
    "Name:full_name",
    "--field",
    "Father Name:parentage",
    "--field",
    "Date of Birth:date",
    "--field",
    "CNIC:identifier",
    "--field",
    "Mobile:phone",
    "--field",
    "District:locality",
];

/// Runs dedupe on a file with the ledger's fields and extra arguments; returns the output and
/// the paths of the pairs and clusters files.
fn dedupe(dir: &Path, input: &Path, extra: &[&str]) -> (Output, PathBuf, PathBuf) {
    let pairs = dir.join("pairs.csv");
    let clusters = dir.join("clusters.csv");
    let mut args: Vec<&str> = vec![
        "resolve",
        "dedupe",
        input.to_str().unwrap(),
        "--id",
        "Serial",
    ];
    args.extend(LEDGER_FIELDS);
    let (p, c) = (pairs.to_str().unwrap(), clusters.to_str().unwrap());
    args.extend(["--out", p, "--clusters", c]);
    args.extend(extra);
    (nigehban(&args), pairs, clusters)
}

fn pair_set(path: &Path) -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("id_a,id_b,probability"));
    lines
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            let p: f64 = cells[2].parse().unwrap();
            assert!((0.0..=1.0).contains(&p));
            (cells[0].to_string(), cells[1].to_string())
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> BTreeSet<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// The duplicates of `resolve_ledger.csv`: Roman and Urdu script, spelling variants, swapped
/// name order, day and month swapped, CNIC written with and without dashes. Rows 8 and 10 are
/// brothers (same father, phone and district), not the same person.
fn ledger_truth() -> BTreeSet<(String, String)> {
    pairs(&[
        ("1", "3"),
        ("1", "5"),
        ("3", "5"),
        ("2", "7"),
        ("4", "11"),
        ("6", "9"),
        ("12", "14"),
    ])
}

#[test]
fn dedupe_finds_the_duplicates_of_a_ledger_in_both_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let (out, p, c) = dedupe(dir.path(), &fixture("resolve_ledger.csv"), &[]);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(pair_set(&p), ledger_truth());
    let clusters = std::fs::read_to_string(&c).unwrap();
    let mut lines = clusters.lines();
    assert_eq!(lines.next(), Some("id,cluster"));
    let rows: Vec<(String, String)> = lines
        .map(|l| {
            let (a, b) = l.split_once(',').unwrap();
            (a.to_string(), b.to_string())
        })
        .collect();
    assert_eq!(rows.len(), 16, "every id, singletons too");
    let cluster_of = |id: &str| rows.iter().find(|(a, _)| a == id).unwrap().1.clone();
    assert_eq!(cluster_of("1"), "1");
    assert_eq!(cluster_of("3"), "1");
    assert_eq!(cluster_of("5"), "1");
    assert_eq!(cluster_of("9"), "6");
    assert_eq!(cluster_of("8"), "8");
    assert_eq!(cluster_of("10"), "10");
    let summary = text(&out);
    for words in [
        "Records: 16",
        "Comparisons",
        "Clusters",
        "λ",
        "day_month_swapped",
    ] {
        assert!(summary.contains(words), "{words}: {summary}");
    }
}

#[test]
fn two_runs_give_the_same_bytes_whatever_the_threads() {
    let dir = tempfile::tempdir().unwrap();
    let (a, pa, ca) = dedupe(
        dir.path(),
        &fixture("resolve_ledger.csv"),
        &["--threads", "1"],
    );
    assert!(a.status.success(), "{}", text(&a));
    let first = (std::fs::read(&pa).unwrap(), std::fs::read(&ca).unwrap());
    let (b, pb, cb) = dedupe(
        dir.path(),
        &fixture("resolve_ledger.csv"),
        &["--threads", "4"],
    );
    assert!(b.status.success(), "{}", text(&b));
    assert_eq!(
        first,
        (std::fs::read(&pb).unwrap(), std::fs::read(&cb).unwrap())
    );
}

#[test]
fn link_pairs_records_across_two_lists() {
    let dir = tempfile::tempdir().unwrap();
    let out_path = dir.path().join("links.csv");
    let mut args: Vec<String> = vec![
        "resolve".into(),
        "link".into(),
        fixture("resolve_left.csv").to_str().unwrap().to_string(),
        fixture("resolve_right.csv").to_str().unwrap().to_string(),
        "--id".into(),
        "Serial".into(),
    ];
    args.extend(LEDGER_FIELDS.iter().map(|s| s.to_string()));
    args.extend(["--out".into(), out_path.to_str().unwrap().to_string()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = nigehban(&args);
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        pair_set(&out_path),
        pairs(&[("1", "3"), ("1", "5"), ("2", "7"), ("4", "11"), ("6", "9")])
    );
    assert!(text(&out).contains("in resolve_left.csv"), "{}", text(&out));
}

#[test]
fn a_trained_model_is_written_and_reused_and_explanations_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.json");
    let explain = dir.path().join("explain.csv");
    let (out, p, _) = dedupe(
        dir.path(),
        &fixture("resolve_ledger.csv"),
        &[
            "--model-out",
            model.to_str().unwrap(),
            "--explain",
            explain.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let trained = pair_set(&p);
    let ex = std::fs::read_to_string(&explain).unwrap();
    assert!(ex.starts_with(
        "id_a,id_b,probability,match_weight,prior_weight,related_adjustment,Name_level,Name_weight"
    ));
    assert!(ex.contains("transliterated"), "{ex}");
    let (again, p2, _) = dedupe(
        dir.path(),
        &fixture("resolve_ledger.csv"),
        &["--model", model.to_str().unwrap()],
    );
    assert!(again.status.success(), "{}", text(&again));
    assert_eq!(pair_set(&p2), trained);
    assert!(text(&again).contains("no training"), "{}", text(&again));
}

#[test]
fn labels_are_used_and_bad_labels_located() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("labels.csv");
    std::fs::write(&good, "id_a,id_b,is_match\n1,3,1\n8,10,0\n2,7,yes\n").unwrap();
    let (out, p, _) = dedupe(
        dir.path(),
        &fixture("resolve_ledger.csv"),
        &["--labels", good.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("3 labelled pairs"), "{}", text(&out));
    assert_eq!(pair_set(&p), ledger_truth());

    let bad = dir.path().join("bad_labels.csv");
    std::fs::write(&bad, "id_a,id_b,is_match\n1,3,perhaps\n1,99,1\n").unwrap();
    std::fs::remove_file(&p).unwrap();
    let (out, p, _) = dedupe(
        dir.path(),
        &fixture("resolve_ledger.csv"),
        &["--labels", bad.to_str().unwrap()],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let t = text(&out);
    assert!(
        t.contains("bad_labels.csv, row 2, column C (is_match): “perhaps” is not a label"),
        "{t}"
    );
    assert!(
        t.contains(
            "bad_labels.csv, row 3, column B (id_b): The id “99” is not in resolve_ledger.csv"
        ),
        "{t}"
    );
    assert!(!p.exists(), "nothing is written on error");
}

/// Runs dedupe on `content` written to a file in `dir`, with the given fields.
fn dedupe_text(dir: &Path, name: &str, content: &[u8], args: &[&str]) -> (Output, PathBuf) {
    let input = dir.join(name);
    std::fs::write(&input, content).unwrap();
    let out = dir.join("out.csv");
    let mut all: Vec<&str> = vec!["resolve", "dedupe", input.to_str().unwrap()];
    all.extend(args);
    all.extend(["--out", out.to_str().unwrap()]);
    (nigehban(&all), out)
}

fn assert_refused(o: &Output, out: &Path, messages: &[&str]) {
    let t = text(o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    for m in messages {
        assert!(t.contains(m), "missing «{m}» in:\n{t}");
    }
    assert!(t.contains("Nothing was written"), "{t}");
    assert!(!out.exists(), "nothing is written on error");
}

const SMALL: &str =
    "id,name,dob,phone\n1,Asif Khan,1990-01-02,0300-1234567\n2,Asif Khan,1990-01-02,0300-1234567\n";

#[test]
fn a_missing_id_column_names_the_columns_there_are() {
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = dedupe_text(
        dir.path(),
        "a.csv",
        SMALL.as_bytes(),
        &["--id", "serial", "--field", "name:full_name"],
    );
    assert_refused(
        &o,
        &out,
        &["a.csv: No column “serial” for the ids (--id). The columns of this file are: “id”, “name”, “dob”, “phone”."],
    );
}

#[test]
fn every_command_line_problem_is_reported_together() {
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = dedupe_text(
        dir.path(),
        "a.csv",
        SMALL.as_bytes(),
        &[
            "--id",
            "id",
            "--field",
            "name:surname",
            "--field",
            "dob:date",
            "--field",
            "dob:text",
            "--field",
            "nothing",
            "--field",
            "mobile:phone",
            "--threshold",
            "1.5",
        ],
    );
    assert_refused(
        &o,
        &out,
        &[
            "--field: “name:surname”: “surname” is not a kind of field. The kinds are: given_name, family_name, full_name, parentage, date, identifier, phone, address, locality, postcode, text.",
            "--field: Column “dob” is given twice (as date and as text)",
            "--field: “nothing” is not COLUMN:KIND",
            "--threshold: The threshold “1.5” is not a probability between 0 and 1",
            "a.csv: No column “mobile” (given with --field as phone). The columns of this file are: “id”, “name”, “dob”, “phone”.",
        ],
    );
}

#[test]
fn empty_and_duplicate_ids_are_located_row_by_row() {
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = dedupe_text(
        dir.path(),
        "ids.csv",
        b"id,name\n1,Asif\n2,Bilal\n1,Zahid\n,Imran\n2,Kamran\n",
        &["--id", "id", "--field", "name:given_name"],
    );
    assert_refused(
        &o,
        &out,
        &[
            "ids.csv, row 4, column A (id): The id “1” is also the id of row 2",
            "ids.csv, row 5, column A (id): The id is empty",
            "ids.csv, row 6, column A (id): The id “2” is also the id of row 3",
        ],
    );
}

#[test]
fn a_kind_that_does_not_fit_its_values_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = dedupe_text(
        dir.path(),
        "kinds.csv",
        "id,name,dob,phone\n1,Asif Khan,yesterday,Lahore\n2,Bilal,1990-01-02,Karachi office\n3,Zahid,last year,0300-1234567\n".as_bytes(),
        &["--id", "id", "--field", "dob:date", "--field", "phone:phone", "--field", "name:full_name"],
    );
    assert_refused(
        &o,
        &out,
        &[
            "kinds.csv, column C (dob): Column “dob” was given as date, but 2 of its 3 values are not, for example row 2: “yesterday”.",
            "kinds.csv, column D (phone): Column “phone” was given as phone, but 2 of its 3 values are not, for example row 2: “Lahore”.",
        ],
    );
    // A few bad values only warn, and count as missing.
    let (o, out) = dedupe_text(
        dir.path(),
        "few.csv",
        "id,name,dob\n1,Asif Khan,1990-01-02\n2,Asif Khan,1990-01-02\n3,Zahid,soon\n".as_bytes(),
        &[
            "--id",
            "id",
            "--field",
            "dob:date",
            "--field",
            "name:full_name",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains("Warning: few.csv, column C (dob): 1 of the 3 values of column “dob” are not date (for example row 4: “soon”)"),
        "{}",
        text(&o)
    );
    assert!(out.exists());

    // A column with no value at all is said, and compares nothing.
    let (o, out) = dedupe_text(
        dir.path(),
        "blank.csv",
        "id,name,cnic\n1,Asif Khan,\n2,Asif Khan,\n".as_bytes(),
        &[
            "--id",
            "id",
            "--field",
            "cnic:identifier",
            "--field",
            "name:full_name",
        ],
    );
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        text(&o).contains(
            "Warning: blank.csv, column C (cnic): Column “cnic” is empty in every record"
        ),
        "{}",
        text(&o)
    );
    assert!(out.exists());
}

#[test]
fn huge_fields_empty_files_mixed_encodings_and_ragged_rows_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let huge = format!("id,name\n1,Asif\n2,{}\n", "x".repeat(5000));
    let (o, out) = dedupe_text(
        dir.path(),
        "huge.csv",
        huge.as_bytes(),
        &["--id", "id", "--field", "name:full_name"],
    );
    assert_refused(
        &o,
        &out,
        &["huge.csv, row 3, column B (name): This value is 5000 characters long; at most 4096 are read."],
    );

    let (o, out) = dedupe_text(
        dir.path(),
        "empty.csv",
        b"",
        &["--id", "id", "--field", "name:full_name"],
    );
    assert_refused(&o, &out, &["empty.csv: The file is empty."]);

    let mut mixed = "id,name\n1,آصف\n".as_bytes().to_vec();
    mixed.extend(b"2,Jos\xe9\n");
    let (o, out) = dedupe_text(
        dir.path(),
        "mixed.csv",
        &mixed,
        &["--id", "id", "--field", "name:full_name"],
    );
    assert_refused(
        &o,
        &out,
        &["mixed.csv, row 3: This row is in a different character encoding"],
    );

    let (o, out) = dedupe_text(
        dir.path(),
        "ragged.csv",
        b"id,name\n1,Asif\n2,Bilal,extra,cells\n",
        &["--id", "id", "--field", "name:full_name"],
    );
    assert_refused(
        &o,
        &out,
        &["ragged.csv, row 3: This row has 4 cells but the header names only 2 columns"],
    );
}

#[test]
fn problems_read_in_urdu() {
    let dir = tempfile::tempdir().unwrap();
    let (o, out) = dedupe_text(
        dir.path(),
        "ids.csv",
        b"id,name\n1,Asif\n1,Zahid\n",
        &["--id", "id", "--field", "name:given_name", "--lang", "ur"],
    );
    let t = text(&o);
    assert_eq!(o.status.code(), Some(2), "{t}");
    assert!(
        t.contains("فائل \u{2068}ids.csv\u{2069}، قطار 3، کالم \u{2066}A\u{2069} (\u{2068}id\u{2069}): شناخت “\u{2066}1\u{2069}” قطار \u{2066}2\u{2069} کی بھی شناخت ہے"),
        "{t}"
    );
    assert!(t.contains("کچھ نہیں لکھا گیا"), "{t}");
    assert!(!out.exists());
}

#[test]
fn urdu_messages_keep_latin_text_isolated() {
    let ur = include_str!("../../i18n/locales/resolve.ur.ftl");
    let en = include_str!("../../i18n/locales/resolve.en.ftl");
    let keys = |s: &str| -> Vec<String> {
        s.lines()
            .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
            .map(|l| l.split_once(" = ").unwrap().0.to_string())
            .collect()
    };
    assert_eq!(keys(en), keys(ur));
    for line in ur.lines().filter(|l| l.contains(" = ")) {
        let (id, text) = line.split_once(" = ").unwrap();
        assert!(
            text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "{id} is not in Urdu script"
        );
        let mut depth = 0i32;
        for c in text.chars() {
            match c {
                '\u{2066}' => depth += 1,
                '\u{2069}' => depth -= 1,
                c if c.is_ascii_alphabetic() => {
                    assert!(depth > 0, "{id}: Latin text outside U+2066..U+2069")
                }
                _ => {}
            }
        }
        assert_eq!(depth, 0, "{id}: unbalanced isolates");
    }
}

#[test]
fn resolve_needs_no_database() {
    let dir = tempfile::tempdir().unwrap();
    let data_dir = dir.path().join("data");
    let input = dir.path().join("a.csv");
    std::fs::write(&input, SMALL).unwrap();
    let out = dir.path().join("out.csv");
    let o = nigehban(&[
        "--data-dir",
        data_dir.to_str().unwrap(),
        "resolve",
        "dedupe",
        input.to_str().unwrap(),
        "--id",
        "id",
        "--field",
        "name:full_name",
        "--field",
        "dob:date",
        "--field",
        "phone:phone",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(
        !data_dir.exists(),
        "no data directory, no database, no key file"
    );
    assert_eq!(pair_set(&out), pairs(&[("1", "2")]));
}
