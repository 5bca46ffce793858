//! Manifests: column mapping, row validation, located problems, duplicates, and the committed
//! fixtures the CLI and browser tests reuse.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use nigehban_domain::identifiers::IdentifierKind;
use nigehban_domain::person::{AgeInfo, Sex};
use nigehban_i18n::Lang;
use nigehban_sheets::{
    parse_manifest, CommitPolicy, Format, ManifestField, ManifestReport, SheetFailure, TextEncoding,
};
use support::{catalog, csv, fixture, located, refdata, today};

fn parse(name: &str, bytes: &[u8]) -> ManifestReport {
    match parse_manifest(name, bytes, refdata(), today()) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

fn fail(name: &str, bytes: &[u8]) -> SheetFailure {
    match parse_manifest(name, bytes, refdata(), today()) {
        Ok(r) => panic!(
            "expected a failure, got {} rows and {:?}",
            r.rows.len(),
            r.problems
        ),
        Err(e) => e,
    }
}

fn date(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn synonyms_map_in_any_order() {
    let a = parse(
        "a.csv",
        &csv(&[
            "PP#,Name of Deportee,F/Name,D.O.B,Sex,NIC No,Nationality",
            "AB1234567,Muhammad Asif,Muhammad Akram,12/03/1990,M,,Pakistani",
        ]),
    );
    let b = parse(
        "b.csv",
        &csv(&[
            "Nationality;Date of Birth;Gender;Father's Name;Full Name;Passport Number;CNIC",
            "PAK;1990-03-12;Male;Muhammad Akram;Muhammad Asif;AB 1234567;",
        ]),
    );
    let fields: Vec<ManifestField> = a.columns.iter().map(|c| c.field).collect();
    assert_eq!(
        fields,
        vec![
            ManifestField::Passport,
            ManifestField::FullName,
            ManifestField::FatherName,
            ManifestField::DateOfBirth,
            ManifestField::Sex,
            ManifestField::Cnic,
            ManifestField::Nationality,
        ]
    );
    assert_eq!(a.columns[2].letter, "C");
    assert_eq!(a.columns[2].header, "F/Name");
    assert_eq!(a.rows.len(), 1, "{:?}", a.problems);
    assert_eq!(b.rows.len(), 1, "{:?}", b.problems);
    // The same person however the list was laid out: same input, same fingerprint.
    assert_eq!(a.rows[0].fingerprint, b.rows[0].fingerprint);
    let p = &a.rows[0].person;
    assert_eq!(p.name.roman.as_deref(), Some("Muhammad Asif"));
    assert_eq!(p.parentage.roman.as_deref(), Some("Muhammad Akram"));
    assert_eq!(p.parentage_relation.map(|r| r.as_str()), Some("son_of"));
    assert_eq!(p.sex, Sex::Male);
    assert_eq!(
        p.age,
        AgeInfo::DateOfBirth {
            date: date(1990, 3, 12)
        }
    );
    assert_eq!(p.nationality_claimed.as_deref(), Some("PAK"));
    assert_eq!(p.identifiers[0].kind, IdentifierKind::Passport);
    assert_eq!(p.identifiers[0].value, "AB1234567");
    assert!(a.problems.is_empty(), "{:?}", a.problems);
}

#[test]
fn arabic_and_urdu_headers_with_urdu_names() {
    let r = parse(
        "gulf.csv",
        &csv(&[
            "الاسم,اسم الأب,رقم الجواز,تاريخ الميلاد,الجنس,الجنسية,مكان الميلاد",
            "محمد آصف,محمد یونس,RT1188352,١٢/٠٣/١٩٩٠,ذكر,باكستاني,سیالکوٹ",
            "شازیہ بی بی,غلام حیدر,ZA1029384,27/02/1990,أنثى,باكستان,Gujrat",
        ]),
    );
    assert_eq!(r.rows.len(), 2, "{:?}", r.problems);
    let asif = &r.rows[0];
    assert_eq!(asif.person.name.urdu.as_deref(), Some("محمد آصف"));
    assert_eq!(asif.person.name.roman, None);
    assert_eq!(asif.person.parentage.urdu.as_deref(), Some("محمد یونس"));
    assert_eq!(
        asif.person.age,
        AgeInfo::DateOfBirth {
            date: date(1990, 3, 12)
        }
    );
    assert_eq!(asif.person.origin_district.as_deref(), Some("sialkot"));
    let shazia = &r.rows[1].person;
    assert_eq!(shazia.sex, Sex::Female);
    assert_eq!(
        shazia.parentage_relation.map(|r| r.as_str()),
        Some("daughter_of")
    );
    assert_eq!(shazia.origin_district.as_deref(), Some("gujrat"));

    let u = parse(
        "urdu.csv",
        &csv(&[
            "نام,ولدیت,شناختی کارڈ نمبر,پاسپورٹ نمبر,جنس",
            "غلام مصطفیٰ,اللہ دتہ,35202-1234567-1,,مرد",
        ]),
    );
    assert_eq!(u.rows.len(), 1, "{:?}", u.problems);
    assert_eq!(u.rows[0].person.identifiers[0].value, "3520212345671");
}

#[test]
fn bilingual_name_cells_and_relation_words_split() {
    let r = parse(
        "bi.csv",
        &csv(&[
            "Name,Gender",
            "Muhammad Asif / محمد آصف S/O Muhammad Akram,M",
            "Shazia Bibi W/O Zahid Hussain,F",
        ]),
    );
    assert_eq!(r.rows.len(), 2, "{:?}", r.problems);
    let a = &r.rows[0].person;
    assert_eq!(a.name.roman.as_deref(), Some("Muhammad Asif"));
    assert_eq!(a.name.urdu.as_deref(), Some("محمد آصف"));
    assert_eq!(a.parentage.roman.as_deref(), Some("Muhammad Akram"));
    assert_eq!(a.parentage_relation.map(|r| r.as_str()), Some("son_of"));
    let s = &r.rows[1].person;
    assert_eq!(s.parentage_relation.map(|r| r.as_str()), Some("wife_of"));
}

#[test]
fn given_name_and_surname_are_joined() {
    let r = parse(
        "g.csv",
        &csv(&["First Name,Surname,Sex", "Naveed,Akhtar,M", ",Khan,M"]),
    );
    assert_eq!(
        r.rows[0].person.name.roman.as_deref(),
        Some("Naveed Akhtar")
    );
    assert_eq!(r.rows[1].person.name.roman.as_deref(), Some("Khan"));
}

#[test]
fn a_missing_name_column_names_the_accepted_headers() {
    let err = fail("no_name_column.csv", &fixture("no_name_column.csv"));
    assert_eq!(
        located(&err.problems),
        vec![(None, None, "sheet-missing-column", true)]
    );
    let accepted = &err.problems[0].args["accepted"];
    assert!(
        accepted.starts_with("Name, Full Name, Name of Deportee"),
        "{accepted}"
    );
    assert!(accepted.contains("First Name"), "{accepted}");
    assert!(accepted.contains("Name (Urdu)"), "{accepted}");
    let text = err.problems[0].describe(catalog(), Lang::En);
    assert!(
        text.starts_with("no_name_column.csv: No column for the person's name. Head one of the columns, for example: Name, Full Name"),
        "{text}"
    );
}

#[test]
fn an_unrecognised_name_header_is_named_among_the_ignored_columns() {
    let err = fail("x.csv", &csv(&["Persoon,Passport No", "Jan,AB1234567"]));
    assert_eq!(
        located(&err.problems),
        vec![
            (None, Some("A"), "sheet-ignored-column", false),
            (None, None, "sheet-missing-column", true),
        ]
    );
}

#[test]
fn two_columns_for_one_field_are_an_error_naming_both() {
    let err = fail(
        "dup.csv",
        &csv(&[
            "Name,Passport No,DOB,PP#",
            "Asif,AB1234567,12/03/1990,AB1234567",
        ]),
    );
    assert_eq!(
        located(&err.problems),
        vec![(None, Some("D"), "sheet-duplicate-column", true)]
    );
    let p = &err.problems[0];
    assert_eq!(p.args["first"], "B (Passport No)");
    assert_eq!(p.args["second"], "D (PP#)");
    assert_eq!(
        p.describe(catalog(), Lang::En),
        "dup.csv, column D (PP#): Columns B (Passport No) and D (PP#) both give the passport number; keep only one."
    );
}

#[test]
fn extra_columns_are_warnings_naming_each() {
    let r = parse(
        "extra.csv",
        &csv(&[
            "Name,Agent Contact,Sex,Shoe Size,,",
            "Asif,0300-1111111,M,9,,",
            "Zahid,,M,,,note",
        ]),
    );
    assert_eq!(r.ignored, vec!["Agent Contact", "Shoe Size"]);
    assert_eq!(
        located(&r.problems),
        vec![
            (None, Some("B"), "sheet-ignored-column", false),
            (None, Some("D"), "sheet-ignored-column", false),
            // Column F has a value but no header; column E is empty throughout and not mentioned.
            (None, Some("F"), "sheet-unnamed-column", false),
        ]
    );
    assert_eq!(r.rows.len(), 2);
    assert!(!r.has_errors());
}

#[test]
fn the_messy_fixture_reports_each_problem_where_it_is() {
    let r = parse("bad_manifest.csv", &fixture("bad_manifest.csv"));
    assert_eq!(
        r.format,
        Format::Csv {
            encoding: TextEncoding::Utf8,
            delimiter: ','
        }
    );
    assert_eq!(
        located(&r.problems),
        vec![
            (None, Some("K"), "sheet-ignored-column", false),
            (Some(3), Some("B"), "sheet-formula", true),
            (Some(4), Some("E"), "cnic-province-digit", true),
            (Some(5), Some("F"), "invalid-date", true),
            (Some(6), Some("F"), "date-in-future", true),
            (Some(7), Some("B"), "sheet-empty-name", true),
            (Some(8), Some("D"), "sheet-duplicate-passport", true),
            (Some(9), Some("D"), "passport-format", true),
            (Some(10), Some("J"), "sheet-formula", true),
            (Some(12), None, "sheet-duplicate-row", true),
            (Some(13), None, "sheet-ragged-row", true),
            (Some(14), Some("G"), "unknown-code", true),
            (Some(15), Some("E"), "cnic-sex-digit", true),
            (Some(16), Some("H"), "unknown-country", true),
            (Some(17), Some("I"), "sheet-unknown-district", false),
            (Some(18), Some("C"), "sheet-formula", true),
            (Some(19), None, "sheet-mixed-encodings", true),
            (Some(23), Some("E"), "sheet-duplicate-cnic", true),
            (Some(24), Some("E"), "cnic-format", true),
        ]
    );
    let valid: Vec<usize> = r.rows.iter().map(|r| r.row).collect();
    assert_eq!(valid, vec![2, 11, 17, 20, 21, 22]);
    assert_eq!(r.total_rows, 23);
    assert_eq!(r.rejected_rows, 17);
    // Never a silent partial import: all or nothing, or the valid rows with the rest listed.
    assert!(r.rows_to_commit(CommitPolicy::AllOrNothing).is_empty());
    assert_eq!(r.rows_to_commit(CommitPolicy::ValidRows).len(), 6);

    let find = |row: usize| r.problems_of_row(row).next().unwrap();
    assert_eq!(find(8).args["earlier"], "2");
    assert_eq!(find(12).args["earlier"], "11");
    assert_eq!(find(23).args["earlier"], "22");
    assert_eq!(find(3).args["first"], "=");
    assert_eq!(find(5).args["value"], "31/02/1990");
    assert_eq!(find(8).field.as_deref(), Some("passport"));
    // The origin that is no district is kept for screening.
    let noor = r.rows.iter().find(|x| x.row == 17).unwrap();
    assert_eq!(noor.extra.origin_raw.as_deref(), Some("Kandahar"));
    assert_eq!(noor.person.origin_district, None);
}

#[test]
fn describe_reads_in_english_and_urdu() {
    let r = parse("bad_manifest.csv", &fixture("bad_manifest.csv"));
    let passport = r.problems_of_row(9).next().unwrap();
    assert_eq!(
        passport.describe(catalog(), Lang::En),
        "bad_manifest.csv, row 9, column D (Passport No): Not a passport number (Pakistani passports: two letters and seven digits, e.g. AB1234567)."
    );
    assert_eq!(
        passport.describe(catalog(), Lang::Ur),
        "فائل \u{2068}bad_manifest.csv\u{2069}، قطار 9، کالم \u{2066}D\u{2069} (\u{2068}Passport No\u{2069}): یہ پاسپورٹ نمبر نہیں (پاکستانی پاسپورٹ: دو حروف اور سات ہندسے، مثلاً \u{2066}AB1234567\u{2069})۔"
    );
    let dup = r.problems_of_row(12).next().unwrap();
    assert_eq!(
        dup.describe(catalog(), Lang::En),
        "bad_manifest.csv, row 12: This row repeats row 11."
    );
    assert_eq!(
        dup.describe(catalog(), Lang::Ur),
        "فائل \u{2068}bad_manifest.csv\u{2069}، قطار 12: یہ قطار، قطار 11 ہی کو دہراتی ہے۔"
    );
    let ignored = &r.problems[0];
    assert_eq!(
        ignored.describe(catalog(), Lang::En),
        "bad_manifest.csv, column K (Agent Contact): Column not recognised: its values are not imported."
    );
    let formula = r.problems_of_row(3).next().unwrap();
    assert_eq!(
        formula.describe(catalog(), Lang::En),
        "bad_manifest.csv, row 3, column B (Name): Starts with “=”, which a spreadsheet would run as a formula. Such values are refused: correct the cell in the list."
    );
    // Every problem of the fixture has words in both languages, never a bare message id.
    for p in &r.problems {
        for lang in Lang::ALL {
            let text = p.describe(catalog(), lang);
            assert!(
                !text.contains("sheet-") && !text.contains("problem-"),
                "{text}"
            );
        }
    }
    assert_eq!(
        r.summary(catalog(), Lang::En),
        "Rows read: 23. Valid: 6. Rejected: 17."
    );
}

#[test]
fn duplicate_rows_by_passport_cnic_or_everything() {
    let r = parse(
        "d.csv",
        &csv(&[
            "Name,Passport No,CNIC,Sex,DOB",
            "Asif,AB1234567,,M,12/03/1990",
            "Zahid,ab 123 4567,,M,21/07/1992",
            "Irfan,,34101-4827163-5,M,17/05/1993",
            "Irfan M.,,3410148271635,M,17/05/1993",
            "Waqas,,,M,25/10/1998",
            "WAQAS,,,m,1998-10-25",
        ]),
    );
    assert_eq!(
        located(&r.problems),
        vec![
            (Some(3), Some("B"), "sheet-duplicate-passport", true),
            (Some(5), Some("C"), "sheet-duplicate-cnic", true),
            (Some(7), None, "sheet-duplicate-row", true),
        ]
    );
    assert_eq!(r.problems[0].args["earlier"], "2");
    assert_eq!(r.problems[1].args["earlier"], "4");
    assert_eq!(r.problems[2].args["earlier"], "6");
}

#[test]
fn formula_cells_are_refused_in_text_columns_but_phones_may_start_with_plus() {
    let r = parse(
        "f.csv",
        &csv(&[
            "Name,Father Name,Sex,Home District,Remarks,Phone",
            "Asif,Akram,M,Sialkot,\"=HYPERLINK(\"\"http://x\"\")\",+92 300 1234567",
            "@Zahid,Manzoor,M,Sialkot,ok,",
            "Naveed,-Akhtar,M,Sialkot,ok,",
            "Bilal,Altaf,M,+Sialkot,ok,",
            "Sajid,Liaquat,M,Sialkot,-,0300-7654321",
        ]),
    );
    assert_eq!(
        located(&r.problems),
        vec![
            (Some(2), Some("E"), "sheet-formula", true),
            (Some(3), Some("A"), "sheet-formula", true),
            (Some(4), Some("B"), "sheet-formula", true),
            (Some(5), Some("D"), "sheet-formula", true),
        ]
    );
    // A lone "-" means "nothing", not a formula.
    assert_eq!(r.rows.len(), 1);
    assert_eq!(r.rows[0].row, 6);
    assert_eq!(r.rows[0].extra.remarks, None);
}

#[test]
fn impossible_and_future_dates_and_invalid_cnics_use_the_domain_codes() {
    let r = parse(
        "dates.csv",
        &csv(&[
            "Name,Sex,DOB,CNIC,Date of Deportation",
            "Asif,M,31/02/1990,,",
            "Zahid,M,01/01/2030,,",
            "Naveed,M,12/03/1990,95202-1234567-1,",
            "Irfan,M,12/03/1990,3520212345,",
            "Rukhsana,F,12/03/1990,35202-1234567-1,",
            "Bilal,M,12/03/1990,,30/02/2025",
            "Sajid,M,1985,,",
            "Tariq,M,01/01/1880,,",
        ]),
    );
    assert_eq!(
        located(&r.problems),
        vec![
            (Some(2), Some("C"), "invalid-date", true),
            (Some(3), Some("C"), "date-in-future", true),
            (Some(4), Some("D"), "cnic-province-digit", true),
            (Some(5), Some("D"), "cnic-format", true),
            (Some(6), Some("D"), "cnic-sex-digit", true),
            (Some(7), Some("E"), "invalid-date", true),
            (Some(8), Some("C"), "sheet-dob-year-only", false),
            (Some(9), Some("C"), "date-too-old", true),
        ]
    );
    let sajid = r.rows.iter().find(|x| x.row == 8).unwrap();
    assert_eq!(sajid.person.age.age_on(today()), Some(40));
}

#[test]
fn empty_names_are_located() {
    let r = parse(
        "n.csv",
        &csv(&[
            "S.No,Name,Passport No,Sex",
            "1,,AB1234567,M",
            "2,N/A,CK4820193,M",
            "3,Asif,DN7731450,M",
        ]),
    );
    assert_eq!(
        located(&r.problems),
        vec![
            (Some(2), Some("B"), "sheet-empty-name", true),
            (Some(3), Some("B"), "sheet-empty-name", true),
        ]
    );
    assert_eq!(r.rows.len(), 1);
}

#[test]
fn sex_missing_or_blank_is_recorded_unknown_with_a_warning() {
    let r = parse("s.csv", &csv(&["Name,Passport No", "Asif,AB1234567"]));
    assert_eq!(
        located(&r.problems),
        vec![(None, None, "sheet-no-sex-column", false)]
    );
    assert_eq!(r.rows[0].person.sex, Sex::Unknown);
    let r = parse("s.csv", &csv(&["Name,Sex", "Asif,", "Zahid,X", "Naveed,Q"]));
    assert_eq!(
        located(&r.problems),
        vec![
            (Some(2), Some("B"), "sheet-sex-blank", false),
            (Some(4), Some("B"), "unknown-code", true),
        ]
    );
    assert_eq!(r.rows[1].person.sex, Sex::Transgender);
}

#[test]
fn ages_districts_countries_and_travel_columns() {
    let r = parse(
        "t.csv",
        &csv(&[
            "Name,Sex,DOB,Age,Nationality,Passport Country,Home District,Date of Deportation,Reason,Flight No,Remarks,S.No",
            "Asif,M,12/03/1990,40,Pakistani,PK,Distt. Gujrat,14/03/2025,Overstay,WY 323,Held 3 months,7",
            "Noor,M,,30 years,Afghan,AFG,Afghanistan,14-Mar-2025,Illegal entry,WY 323,,8",
        ]),
    );
    assert_eq!(
        located(&r.problems),
        vec![
            (Some(2), Some("D"), "sheet-age-mismatch", false),
            (Some(3), Some("G"), "sheet-origin-is-country", false),
        ]
    );
    let asif = &r.rows[0];
    assert_eq!(asif.person.origin_district.as_deref(), Some("gujrat"));
    assert_eq!(asif.extra.arrival_date, Some(date(2025, 3, 14)));
    assert_eq!(asif.extra.reason.as_deref(), Some("Overstay"));
    assert_eq!(asif.extra.flight_or_vessel.as_deref(), Some("WY 323"));
    assert_eq!(asif.extra.remarks.as_deref(), Some("Held 3 months"));
    assert_eq!(asif.extra.serial.as_deref(), Some("7"));
    assert_eq!(asif.input.passport_country.as_deref(), Some("PAK"));
    assert_eq!(r.problems[0].args["computed"], "35");
    let noor = &r.rows[1];
    assert_eq!(noor.person.nationality_claimed.as_deref(), Some("AFG"));
    assert_eq!(
        noor.person.age,
        AgeInfo::Estimated {
            years: 30,
            as_of: today()
        }
    );
    assert_eq!(noor.extra.origin_raw.as_deref(), Some("Afghanistan"));
    assert_eq!(noor.extra.origin_country.as_deref(), Some("AFG"));
}

#[test]
fn title_rows_and_row_numbers_in_problems() {
    let r = parse(
        "title.csv",
        &csv(&[
            "Embassy of Pakistan Muscat - list of deportees,,",
            "",
            "Name,Passport No,Sex",
            "Asif,AB1234567,M",
            "Zahid,XX,M",
        ]),
    );
    assert_eq!(r.header_row, 3);
    assert_eq!(
        located(&r.problems),
        vec![
            (None, None, "sheet-rows-above-header", false),
            (Some(5), Some("B"), "passport-format", true),
        ]
    );
}

#[test]
fn a_header_without_rows_is_refused() {
    let err = fail("h.csv", &csv(&["Name,Passport No"]));
    assert_eq!(
        located(&err.problems),
        vec![(None, None, "sheet-no-rows", true)]
    );
}

#[test]
fn twelve_thousand_rows_parse_with_all_rows() {
    let names = [
        "Muhammad Asif",
        "Ghulam Abbas",
        "Zahid Hussain",
        "Naveed Akhtar",
        "Shazia Bibi",
    ];
    let mut lines =
        vec!["S.No,Name,Father Name,Passport No,DOB,Gender,Nationality,Home District".to_string()];
    for i in 0..12_000 {
        let name = names[i % names.len()];
        let sex = if name == "Shazia Bibi" { "F" } else { "M" };
        lines.push(format!(
            "{},{name},Muhammad Akram,AB{i:07},{:02}/{:02}/19{:02},{sex},Pakistani,Gujranwala",
            i + 1,
            i % 28 + 1,
            i % 12 + 1,
            60 + i % 40
        ));
    }
    let text = lines.join("\n");
    let r = parse("big.csv", text.as_bytes());
    assert!(
        r.problems.is_empty(),
        "{:?}",
        &r.problems[..r.problems.len().min(5)]
    );
    assert_eq!(r.total_rows, 12_000);
    assert_eq!(r.rows.len(), 12_000);
    assert_eq!(r.rows[11_999].row, 12_001);
    assert_eq!(r.rows[11_999].person.identifiers[0].value, "AB0011999");
}

#[test]
fn the_oman_fixture_is_clean() {
    let r = parse("oman_deportation.csv", &fixture("oman_deportation.csv"));
    assert_eq!(
        r.format,
        Format::Csv {
            encoding: TextEncoding::Utf8Bom,
            delimiter: ','
        }
    );
    assert_eq!(r.total_rows, 30);
    assert_eq!(r.rows.len(), 30, "{:?}", r.problems);
    // Kandahar is no district of Pakistan: a warning for screening, not a refusal.
    assert_eq!(
        located(&r.problems),
        vec![(Some(30), Some("I"), "sheet-unknown-district", false)]
    );
    let by_row = |n: usize| r.rows.iter().find(|x| x.row == n).unwrap();
    assert_eq!(by_row(12).person.name.urdu.as_deref(), Some("محمد آصف"));
    assert_eq!(by_row(10).person.identifiers[0].kind, IdentifierKind::Cnic);
    assert_eq!(by_row(25).person.origin_district.as_deref(), Some("kech"));
    assert_eq!(
        by_row(27).person.origin_district.as_deref(),
        Some("mandi-bahauddin")
    );
    assert_eq!(by_row(9).person.sex, Sex::Female);
    let with_cnic = r.rows.iter().filter(|x| x.input.cnic.is_some()).count();
    assert_eq!(with_cnic, 3);
    // Fingerprints are distinct and stable across parses.
    let again = parse("copy.csv", &fixture("oman_deportation.csv"));
    let prints: std::collections::HashSet<_> = r.rows.iter().map(|x| &x.fingerprint).collect();
    assert_eq!(prints.len(), 30);
    assert_eq!(r.rows[0].fingerprint, again.rows[0].fingerprint);
    assert_eq!(r.rows[0].fingerprint.len(), 64);
}

#[test]
fn the_gulf_workbook_fixture_reads_bilingual_headers_dates_and_numbers() {
    let r = parse("gulf_deportation.xlsx", &fixture("gulf_deportation.xlsx"));
    assert_eq!(
        r.format,
        Format::Xlsx {
            sheet: "Deportees".into()
        }
    );
    assert_eq!(r.header_row, 3);
    assert_eq!(r.columns.len(), 11, "{:?}", r.problems);
    assert_eq!(
        located(&r.problems),
        vec![
            (None, None, "sheet-rows-above-header", false),
            (Some(7), Some("H"), "sheet-origin-is-country", false),
            (Some(8), Some("H"), "sheet-unknown-district", false),
        ]
    );
    assert_eq!(r.rows.len(), 5);
    let dobs: Vec<AgeInfo> = r.rows.iter().map(|x| x.person.age).collect();
    assert_eq!(
        dobs,
        vec![
            AgeInfo::DateOfBirth {
                date: date(1990, 3, 12)
            },
            AgeInfo::DateOfBirth {
                date: date(1985, 11, 5)
            },
            AgeInfo::DateOfBirth {
                date: date(1990, 3, 12)
            },
            AgeInfo::DateOfBirth {
                date: date(1990, 2, 27)
            },
            AgeInfo::DateOfBirth {
                date: date(1990, 3, 3)
            },
        ]
    );
    let abbas = &r.rows[1];
    let cnic = abbas
        .person
        .identifiers
        .iter()
        .find(|i| i.kind == IdentifierKind::Cnic)
        .unwrap();
    assert_eq!(cnic.value, "3520212345671");
    assert_eq!(r.rows[3].person.sex, Sex::Female);
    assert_eq!(r.rows[2].person.name.urdu.as_deref(), Some("محمد آصف"));
    assert!(r
        .rows
        .iter()
        .all(|x| x.extra.arrival_date == Some(date(2025, 3, 14))));
    assert!(r
        .rows
        .iter()
        .all(|x| x.person.nationality_claimed.as_deref() == Some("PAK")));
    assert_eq!(r.rows[0].extra.serial.as_deref(), Some("1"));
}

#[test]
fn committed_workbook_fixture_is_current() {
    assert_eq!(
        support::fixture_xlsx::gulf_deportation_xlsx().unwrap(),
        fixture("gulf_deportation.xlsx"),
        "regenerate with `cargo run -p nigehban-sheets --example make_fixtures`"
    );
}

#[test]
fn reports_serialise_for_the_api() {
    let r = parse("bad_manifest.csv", &fixture("bad_manifest.csv"));
    let v = serde_json::to_value(&r.problems[1]).unwrap();
    assert_eq!(
        v,
        serde_json::json!({
            "file": "bad_manifest.csv", "row": 3, "column": "B", "header": "Name",
            "field": "full_name", "severity": "error", "code": "sheet-formula",
            "args": {"first": "=", "value": "=HYPERLINK(\"http://evil.example/x\",\"Click\")"}
        })
    );
    let json = serde_json::to_string(&r).unwrap();
    let back: ManifestReport = serde_json::from_str(&json).unwrap();
    assert_eq!(back.problems, r.problems);
    assert_eq!(
        serde_json::to_value(&r.format).unwrap(),
        serde_json::json!({"kind": "csv", "encoding": "utf-8", "delimiter": ","})
    );
}
