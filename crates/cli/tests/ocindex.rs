//! `nigehban ocindex` as an operator uses it, on the repository's copy of the Index's published
//! workbook: import (once, then unchanged), Pakistan's 2021 profile with its published numbers
//! and ranks, in English and Urdu, a comparison, and a damaged workbook refused with the cell.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn nigehban(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_nigehban"))
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .env("NIGEHBAN_LOG", "warn")
        .env_remove("NIGEHBAN_DATABASE_URL")
        .env_remove("NIGEHBAN_KEY")
        .output()
        .unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn workbook() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ocindex/data/global_oc_index.xlsx")
}

#[test]
fn import_then_the_pakistan_2021_profile_has_the_published_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let file = workbook();
    let file = file.to_str().unwrap();

    // Before any import, a profile says what to do.
    let none = nigehban(
        dir.path(),
        &["ocindex", "profile", "--country", "PAK", "--year", "2021"],
    );
    assert!(!none.status.success());
    assert!(
        err(&none).contains("nigehban ocindex import"),
        "{}",
        err(&none)
    );

    let first = nigehban(dir.path(), &["ocindex", "import", file]);
    assert!(first.status.success(), "{}{}", out(&first), err(&first));
    assert!(
        out(&first).contains("Edition 2021: 193 countries, imported."),
        "{}",
        out(&first)
    );
    assert!(
        out(&first).contains("Edition 2023: 193 countries, imported."),
        "{}",
        out(&first)
    );

    let again = nigehban(dir.path(), &["ocindex", "import", file]);
    assert!(again.status.success(), "{}", err(&again));
    assert!(out(&again).contains("Nothing changed"), "{}", out(&again));
    assert!(
        out(&again).contains("unchanged (already imported)"),
        "{}",
        out(&again)
    );

    let p = nigehban(
        dir.path(),
        &["ocindex", "profile", "--country", "PAK", "--year", "2021"],
    );
    assert!(p.status.success(), "{}", err(&p));
    let text = out(&p);
    let line = |start: &str| -> String {
        text.lines()
            .find(|l| l.trim_start().starts_with(start))
            .unwrap_or_else(|| panic!("no line {start} in:\n{text}"))
            .to_string()
    };
    assert!(
        text.starts_with(
            "Pakistan (PAK) — Global Organized Crime Index 2021\nAsia · Southern Asia\n"
        ),
        "{text}"
    );
    let criminality = line("CRIMINALITY");
    assert!(criminality.contains(" 6.28 "), "{criminality}");
    assert!(
        criminality.ends_with("29 of 193 countries · 10 of 46 in Asia · 2 of 8 in Southern Asia"),
        "{criminality}"
    );
    assert!(line("CRIMINAL MARKETS").ends_with(" 6.30"));
    assert!(line("CRIMINAL ACTORS").ends_with(" 6.25"));
    let resilience = line("RESILIENCE");
    assert!(resilience.contains(" 4.00 "), "{resilience}");
    assert!(
        resilience.ends_with("133 of 193 countries · 29 of 46 in Asia · 5 of 8 in Southern Asia"),
        "{resilience}"
    );
    // Every market, actor and resilience score of the published profile.
    for (label, score) in [
        ("Human trafficking", "8.00"),
        ("Human smuggling", "7.00"),
        ("Arms trafficking", "8.00"),
        ("Flora crimes", "4.50"),
        ("Fauna crimes", "5.00"),
        ("Non-renewable resource crimes", "5.50"),
        ("Heroin trade", "8.50"),
        ("Cocaine trade", "3.00"),
        ("Cannabis trade", "7.00"),
        ("Synthetic drug trade", "6.50"),
        ("Mafia-style groups", "6.00"),
        ("Criminal networks", "7.50"),
        ("State-embedded actors", "7.00"),
        ("Foreign actors", "4.50"),
        ("Political leadership and governance", "3.50"),
        ("Government transparency and accountability", "3.50"),
        ("International cooperation", "5.00"),
        ("National policies and laws", "5.00"),
        ("Judicial system and detention", "3.00"),
        ("Law enforcement", "4.00"),
        ("Territorial integrity", "4.00"),
        ("Anti-money laundering", "4.00"),
        ("Economic regulatory capacity", "4.00"),
        ("Victim and witness support", "3.50"),
        ("Prevention", "4.00"),
        ("Non-state actors", "4.50"),
    ] {
        assert!(
            line(label).ends_with(&format!(" {score}")),
            "{label}: {}",
            line(label)
        );
    }
    // The 2021 edition has no cyber-dependent crimes market.
    assert!(!text.contains("Cyber"));

    // In Urdu: the same numbers with Urdu labels.
    let ur = nigehban(
        dir.path(),
        &[
            "ocindex",
            "profile",
            "--country",
            "pak",
            "--year",
            "2021",
            "--lang",
            "ur",
        ],
    );
    let t = out(&ur);
    assert!(t.starts_with("پاکستان (PAK)"), "{t}");
    assert!(t.contains("جرائم کی سطح"), "{t}");
    assert!(t.contains("193 ممالک میں 29 واں"), "{t}");
    assert!(t.contains("جنوبی ایشیا کے 8 ممالک میں 2 واں"), "{t}");

    // Side by side, over both editions.
    let cmp = nigehban(
        dir.path(),
        &["ocindex", "compare", "--country", "PAK", "--country", "AFG"],
    );
    assert!(cmp.status.success(), "{}", err(&cmp));
    let t = out(&cmp);
    assert!(t.lines().next().unwrap().contains("PAK 2021"), "{t}");
    assert!(t.lines().next().unwrap().contains("AFG 2023"), "{t}");
    assert!(t.contains("29/193"), "{t}");

    // A country not in the Index, an edition not loaded.
    let x = nigehban(
        dir.path(),
        &["ocindex", "profile", "--country", "XKX", "--year", "2021"],
    );
    assert!(
        err(&x).contains("No country XKX in the 2021 edition"),
        "{}",
        err(&x)
    );
    let y = nigehban(
        dir.path(),
        &["ocindex", "profile", "--country", "PAK", "--year", "2022"],
    );
    assert!(err(&y).contains("loaded: 2021, 2023"), "{}", err(&y));

    let audit = nigehban(dir.path(), &["audit", "verify"]);
    assert!(audit.status.success(), "{}", out(&audit));
}

/// The published workbook with one cell changed.
fn with_cell(sheet: &str, from: &str, to: &str) -> Vec<u8> {
    let bytes = std::fs::read(workbook()).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut outz = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let mut replaced = false;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        if name == sheet {
            let xml = String::from_utf8(data).unwrap();
            assert!(xml.contains(from), "{from} not in {sheet}");
            data = xml.replace(from, to).into_bytes();
            replaced = true;
        }
        outz.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        outz.write_all(&data).unwrap();
    }
    assert!(replaced);
    outz.finish().unwrap().into_inner()
}

#[test]
fn a_damaged_workbook_is_refused_naming_the_cell_and_nothing_is_imported() {
    let dir = tempfile::tempdir().unwrap();
    // Pakistan's human trafficking score in the 2021 sheet (F72) made 11.
    let bad = dir.path().join("bad_index.xlsx");
    std::fs::write(
        &bad,
        with_cell(
            "xl/worksheets/sheet3.xml",
            r#"<c r="F72" s="6"><v>8</v></c>"#,
            r#"<c r="F72" s="6"><v>11</v></c>"#,
        ),
    )
    .unwrap();
    let o = nigehban(dir.path(), &["ocindex", "import", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "{}{}", out(&o), err(&o));
    let e = err(&o);
    assert!(
        e.contains("bad_index.xlsx, sheet 2021_dataset, row 72, column F (Human trafficking): score 11 is outside 1 to 10"),
        "{e}"
    );
    assert!(e.contains("nothing imported"), "{e}");
    let p = nigehban(
        dir.path(),
        &["ocindex", "profile", "--country", "PAK", "--year", "2023"],
    );
    assert!(
        !p.status.success(),
        "the 2023 sheet was fine but nothing may be imported"
    );

    // The same report in Urdu.
    let o = nigehban(
        dir.path(),
        &["ocindex", "import", bad.to_str().unwrap(), "--lang", "ur"],
    );
    let e = err(&o);
    assert!(
        e.contains("شیٹ 2021_dataset، قطار 72") || e.contains("شیٹ 2021_dataset, قطار 72"),
        "{e}"
    );
}
