//! Reading files into tables: encodings, delimiters, workbooks, row numbers.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use nigehban_sheets::{read_table, Format, Severity, TextEncoding};
use rust_xlsxwriter::{ExcelDateTime, Format as XFormat, Workbook};
use support::located;

fn csv_format(encoding: TextEncoding, delimiter: char) -> Format {
    Format::Csv {
        encoding,
        delimiter,
    }
}

#[test]
fn utf8_with_bom_keeps_urdu_names() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice("Name,Father Name\r\nمحمد آصف,محمد یونس\r\n".as_bytes());
    let t = read_table("bom.csv", &bytes).unwrap();
    assert_eq!(t.format, csv_format(TextEncoding::Utf8Bom, ','));
    // The BOM is not part of the first header.
    assert_eq!(t.headers, vec!["Name", "Father Name"]);
    assert_eq!(t.rows[0].number, 2);
    assert_eq!(t.rows[0].cells, vec!["محمد آصف", "محمد یونس"]);
}

#[test]
fn utf16le_with_bom() {
    let text = "Name\tPassport No\r\nغلام عباس\tCK4820193\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let t = read_table("u16.txt", &bytes).unwrap();
    assert_eq!(t.format, csv_format(TextEncoding::Utf16Le, '\t'));
    assert_eq!(t.rows[0].cells, vec!["غلام عباس", "CK4820193"]);
}

#[test]
fn utf16be_with_bom() {
    let text = "Name;City\nZahid;Sialkot\n";
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    let t = read_table("u16be.csv", &bytes).unwrap();
    assert_eq!(t.format, csv_format(TextEncoding::Utf16Be, ';'));
    assert_eq!(t.rows[0].cells, vec!["Zahid", "Sialkot"]);
}

#[test]
fn windows_1252_is_decoded_whole() {
    // "Muñoz" and "café" as a European office's Excel saves them: one byte per letter.
    let bytes = b"Name;Remarks\r\nJos\xE9 Mu\xF1oz;caf\xE9 worker\r\nAli;\x93quoted\x94\r\n";
    let t = read_table("w1252.csv", bytes).unwrap();
    assert_eq!(t.format, csv_format(TextEncoding::Windows1252, ';'));
    assert_eq!(t.rows[0].cells, vec!["José Muñoz", "café worker"]);
    assert_eq!(t.rows[1].cells, vec!["Ali", "“quoted”"]);
    assert!(t.problems.is_empty());
}

#[test]
fn mixed_encodings_are_located_at_each_offending_row() {
    let mut bytes = "Name,Remarks\nمحمد آصف,ok\nAli,fine\n".as_bytes().to_vec();
    bytes.extend_from_slice(b"Jos\xE9,bad\n\nMu\xF1oz,bad too\nZahid,ok\n");
    let t = read_table("mixed.csv", &bytes).unwrap();
    assert_eq!(t.format, csv_format(TextEncoding::Utf8, ','));
    assert_eq!(
        located(&t.problems),
        vec![
            (Some(4), None, "sheet-mixed-encodings", true),
            (Some(6), None, "sheet-mixed-encodings", true),
        ]
    );
    assert_eq!(
        t.rejected_rows().into_iter().collect::<Vec<_>>(),
        vec![4, 6]
    );
    // The other rows read normally, with their true row numbers (row 5 is empty).
    let numbers: Vec<usize> = t.rows.iter().map(|r| r.number).collect();
    assert_eq!(numbers, vec![2, 3, 4, 6, 7]);
}

#[test]
fn a_header_in_another_encoding_fails_the_file() {
    let mut bytes = b"Nom de famille,R\xE9marques\n".to_vec();
    bytes.extend_from_slice("محمد,ok\n".as_bytes());
    let err = read_table("h.csv", &bytes).unwrap_err();
    assert_eq!(
        located(&err.problems),
        vec![(Some(1), None, "sheet-mixed-encodings", true)]
    );
}

#[test]
fn ragged_rows_are_errors_but_trailing_empty_cells_are_not() {
    let bytes = support::csv(&[
        "Name,Passport No,DOB",
        "Asif,AB1234567,12/03/1990,,",
        "Zahid,DN7731450,21/07/1992,Sialkot,extra",
        "Naveed",
    ]);
    let t = read_table("r.csv", &bytes).unwrap();
    assert_eq!(
        located(&t.problems),
        vec![(Some(3), None, "sheet-ragged-row", true)]
    );
    let p = &t.problems[0];
    assert_eq!(p.args["found"], "5");
    assert_eq!(p.args["expected"], "3");
    assert_eq!(p.args["from"], "D");
    // Short rows are padded, long ones cut to the header.
    assert_eq!(t.rows[1].cells, vec!["Zahid", "DN7731450", "21/07/1992"]);
    assert_eq!(t.rows[2].cells, vec!["Naveed", "", ""]);
}

#[test]
fn cells_are_trimmed_including_no_break_spaces() {
    let bytes = "Name , Passport No\n  Asif\u{A0} ,\tAB1234567 \n".as_bytes();
    let t = read_table("trim.csv", bytes).unwrap();
    assert_eq!(t.headers, vec!["Name", "Passport No"]);
    assert_eq!(t.rows[0].cells, vec!["Asif", "AB1234567"]);
}

fn workbook_with_dates_and_numbers() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("List").unwrap();
    let date = XFormat::new().set_num_format("dd/mm/yyyy");
    for (c, h) in ["Name", "CNIC", "DOB", "Age", "Weight", "Paid"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "Muhammad Asif").unwrap();
    ws.write_number(1, 1, 3_520_212_345_671.0).unwrap();
    ws.write_datetime_with_format(1, 2, ExcelDateTime::from_ymd(1990, 3, 12).unwrap(), &date)
        .unwrap();
    ws.write_number(1, 3, 34.0).unwrap();
    ws.write_number(1, 4, 71.5).unwrap();
    ws.write_boolean(1, 5, true).unwrap();
    // Row 3 empty, row 4 starts in column B.
    ws.write_number(3, 1, 4_210_112_345_678.0).unwrap();
    ws.write_string(3, 2, "not a date").unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn xlsx_numbers_and_dates_read_as_people_see_them() {
    let t = read_table("list.xlsx", &workbook_with_dates_and_numbers()).unwrap();
    assert_eq!(
        t.format,
        Format::Xlsx {
            sheet: "List".into()
        }
    );
    assert_eq!(
        t.headers,
        vec!["Name", "CNIC", "DOB", "Age", "Weight", "Paid"]
    );
    assert_eq!(t.rows[0].number, 2);
    assert_eq!(
        t.rows[0].cells,
        vec![
            "Muhammad Asif",
            "3520212345671",
            "1990-03-12",
            "34",
            "71.5",
            "TRUE"
        ]
    );
    assert_eq!(t.rows[1].number, 4);
    assert_eq!(
        t.rows[1].cells,
        vec!["", "4210112345678", "not a date", "", "", ""]
    );
}

#[test]
fn the_first_worksheet_with_data_is_read_and_others_are_named() {
    let mut wb = Workbook::new();
    wb.add_worksheet().set_name("Cover").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Deportees").unwrap();
    ws.write_string(0, 0, "Name").unwrap();
    ws.write_string(1, 0, "Zahid Hussain").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Offloaded").unwrap();
    ws.write_string(0, 0, "Name").unwrap();
    ws.write_string(1, 0, "Naveed Akhtar").unwrap();
    let t = read_table("book.xlsx", &wb.save_to_buffer().unwrap()).unwrap();
    assert_eq!(
        t.format,
        Format::Xlsx {
            sheet: "Deportees".into()
        }
    );
    assert_eq!(t.rows[0].cells, vec!["Zahid Hussain"]);
    assert_eq!(
        located(&t.problems),
        vec![(None, None, "sheet-other-sheets", false)]
    );
    assert_eq!(t.problems[0].args["others"], "Offloaded");
    assert_eq!(t.problems[0].severity, Severity::Warning);
}

#[test]
fn an_empty_workbook_is_refused() {
    let mut wb = Workbook::new();
    wb.add_worksheet();
    let err = read_table("empty.xlsx", &wb.save_to_buffer().unwrap()).unwrap_err();
    assert_eq!(
        located(&err.problems),
        vec![(None, None, "sheet-no-sheet", true)]
    );
}

#[test]
fn a_zip_that_is_not_a_workbook_is_named() {
    // A minimal ZIP with one stored file "a.txt".
    let mut zip = Vec::new();
    zip.extend_from_slice(b"PK\x03\x04\x0a\x00\x00\x00\x00\x00\x00\x00\x00\x00");
    zip.extend_from_slice(&[0; 12]);
    zip.extend_from_slice(b"\x05\x00\x00\x00a.txt");
    let err = read_table("photos.zip", &zip).unwrap_err();
    assert_eq!(err.problems[0].code, "sheet-not-a-table");
    assert_eq!(err.problems[0].args["kind"], "ZIP archive");
}

#[test]
fn twenty_thousand_rows_read_with_true_numbers() {
    let mut text = String::from("Name,Passport No\n");
    for i in 0..20_000 {
        text.push_str(&format!("Person {i},AB{i:07}\n"));
    }
    let t = read_table("big.csv", text.as_bytes()).unwrap();
    assert_eq!(t.rows.len(), 20_000);
    assert_eq!(t.rows[19_999].number, 20_001);
    assert_eq!(t.rows[19_999].cells, vec!["Person 19999", "AB0019999"]);
}

#[test]
fn too_many_rows_are_refused() {
    let mut text = String::from("Name\n");
    for _ in 0..=nigehban_sheets::MAX_ROWS {
        text.push_str("x\n");
    }
    let err = read_table("huge.csv", text.as_bytes()).unwrap_err();
    assert_eq!(err.problems[0].code, "sheet-too-large");
}
