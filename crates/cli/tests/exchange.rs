//! `nigehban htcds import|export` and `nigehban ctdc export` as an operator runs them: an HTCDS
//! file from an NGO imported once (a second time adds nothing), exported again, located errors
//! for a bad file and a bad period, and the CTDC release written at k or refused.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::Path;
use std::process::{Command, Output};

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

fn add_user(dir: &Path, username: &str, role: &str, unit: &str) {
    let out = nigehban(
        dir,
        &[
            "user",
            "add",
            "--username",
            username,
            "--name",
            username,
            "--role",
            role,
            "--unit",
            unit,
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
}

/// An NGO's HTCDS sheet: one brick-kiln case with six girls and the kiln owner, a column
/// Nigehban has no field for (marital status).
fn ngo_file() -> String {
    let mut s = String::from(
        "cas_Id,org_Name,nig_Title,nig_CrimeTypes,nig_Province,nig_District,nig_OffenceDate,prs_Id,prs_FirstName,prs_LastName,prs_Gender,prs_Citizenship,nig_EstimatedAge,prs_MaritalStatus,vic_TraffickingStatus,vic_MethodsOfControlDebtBondage,per_RoleInProcess\n",
    );
    for (i, name) in ["Sana", "Rabia", "Iqra", "Hina", "Saima", "Nadia"]
        .iter()
        .enumerate()
    {
        s.push_str(&format!(
            "K-1,Brick Kiln Watch,Girls at a kiln near Kasur,tip,PB,kasur,2025-02-01,V{i},{name},Bibi,Feminine,PK,15,Single,ActualVictimOfTrafficking,Yes,\n"
        ));
    }
    s.push_str("K-1,Brick Kiln Watch,Girls at a kiln near Kasur,tip,PB,kasur,2025-02-01,S1,Rasheed,Ahmad,Masculine,PK,50,,,,Exploiter\n");
    s
}

#[test]
fn htcds_and_ctdc_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    add_user(d, "sup", "supervisor", "FIA-AHTC-LHE");
    add_user(d, "ana", "analyst", "FIA-AHTC-ISB");
    let file = d.join("ngo.csv");
    std::fs::write(&file, ngo_file()).unwrap();
    let f = file.to_str().unwrap();

    let out = nigehban(d, &["htcds", "import", f, "--as", "sup"]);
    assert!(out.status.success(), "{}", text(&out));
    let t = text(&out);
    assert!(t.contains("case(s) imported: 1 (FIA-AHTC-LHE-"), "{t}");
    assert!(t.contains("persons added: 7"), "{t}");
    // The marital status is reported, row by row, and kept.
    assert!(t.contains("column N (prs_MaritalStatus): “Single”"), "{t}");

    let again = nigehban(d, &["htcds", "import", f, "--as", "sup"]);
    assert!(again.status.success());
    assert!(text(&again).contains("nothing new"), "{}", text(&again));

    let xlsx = d.join("out.xlsx");
    let out = nigehban(
        d,
        &[
            "htcds",
            "export",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--out",
            xlsx.to_str().unwrap(),
            "--as",
            "sup",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("case(s): 1; rows: 7; protected persons withheld: 6"),
        "{}",
        text(&out)
    );
    assert!(std::fs::read(&xlsx).unwrap().starts_with(b"PK"));

    // A period that ends before it starts, in Urdu too.
    let out = nigehban(
        d,
        &[
            "htcds",
            "export",
            "--from",
            "2025-12-31",
            "--to",
            "2025-01-01",
            "--out",
            "x.csv",
            "--as",
            "sup",
        ],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("--to"), "{}", text(&out));
    // An analyst may not export cases.
    let out = nigehban(
        d,
        &[
            "htcds",
            "export",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--out",
            "x.csv",
            "--as",
            "ana",
        ],
    );
    assert!(!out.status.success());
    assert!(text(&out).contains("(exchange-cases)"), "{}", text(&out));

    // A file with a column HTCDS does not have: nothing imported, the column named.
    let bad = d.join("bad.csv");
    std::fs::write(&bad, "cas_Id,Remarks\nK-9,call back\n").unwrap();
    let out = nigehban(
        d,
        &[
            "htcds",
            "import",
            bad.to_str().unwrap(),
            "--as",
            "sup",
            "--lang",
            "ur",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("Remarks"), "{}", text(&out));
    assert!(text(&out).contains("کچھ درآمد نہیں ہوا"), "{}", text(&out));

    // The CTDC release: six girls of 15 from Pakistan are one group of six.
    let csv = d.join("ctdc.csv");
    let out = nigehban(
        d,
        &[
            "ctdc",
            "export",
            "--k",
            "5",
            "--out",
            csv.to_str().unwrap(),
            "--as",
            "ana",
        ],
    );
    assert!(out.status.success(), "{}", text(&out));
    let release = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(release.lines().count(), 7, "{release}");
    for secret in ["Sana", "Bibi", "Kasur", "K-1", "FIA-AHTC"] {
        assert!(!release.contains(secret), "{secret}");
    }
    // At k = 7 without suppression it is refused, and no file is written.
    let refused = d.join("refused.csv");
    let out = nigehban(
        d,
        &[
            "ctdc",
            "export",
            "--k",
            "7",
            "--no-suppression",
            "--out",
            refused.to_str().unwrap(),
            "--as",
            "ana",
        ],
    );
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(
        text(&out).contains("Not released: a group of 6 victims"),
        "{}",
        text(&out)
    );
    assert!(!refused.exists());
}
