//! Exports: what is written reads back unchanged, and no cell is ever a formula.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use calamine::{Data, Reader, Xlsx};
use nigehban_sheets::{read_table, write_csv, write_xlsx, Format};
use std::io::Cursor;

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn sample() -> (Vec<String>, Vec<Vec<String>>) {
    (
        strings(&["Name", "نام", "Phone", "Remarks"]),
        vec![
            strings(&[
                "Muhammad Asif",
                "محمد آصف",
                "+923001234567",
                "=HYPERLINK(\"http://evil.example\",\"x\")",
            ]),
            strings(&["Khan, Zahid", "ظاہد", "", "said \"no\"\r\nthen left"]),
            strings(&["@SUM(A1)", "-", "-2", "\tTabbed"]),
        ],
    )
}

#[test]
fn csv_export_has_bom_crlf_and_inert_formulas() {
    let (headers, rows) = sample();
    let bytes = write_csv(&headers, &rows);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = std::str::from_utf8(&bytes[3..]).unwrap();
    assert_eq!(
        text,
        "Name,نام,Phone,Remarks\r\n\
         Muhammad Asif,محمد آصف,'+923001234567,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"\r\n\
         \"Khan, Zahid\",ظاہد,,\"said \"\"no\"\"\r\nthen left\"\r\n\
         '@SUM(A1),'-,'-2,\"'\tTabbed\"\r\n"
    );
    // It reads back through the importer, cell for cell (with the quote that made it inert).
    let t = read_table("export.csv", &bytes).unwrap();
    assert_eq!(t.headers, headers);
    assert_eq!(
        t.rows[0].cells[3],
        "'=HYPERLINK(\"http://evil.example\",\"x\")"
    );
    assert_eq!(t.rows[1].cells[3], "said \"no\"\r\nthen left");
    assert_eq!(t.rows[1].number, 3);
}

#[test]
fn xlsx_export_writes_strings_never_formulas() {
    let (headers, rows) = sample();
    let bytes = write_xlsx("Deportees / March", &headers, &rows, true).unwrap();
    let mut wb = Xlsx::new(Cursor::new(bytes.clone())).unwrap();
    let names = wb.sheet_names();
    assert_eq!(names, vec!["Deportees _ March"]);
    let range = wb.worksheet_range("Deportees _ March").unwrap();
    let cell = |r: u32, c: u32| range.get_value((r, c)).cloned().unwrap_or(Data::Empty);
    assert_eq!(cell(0, 1), Data::String("نام".into()));
    assert_eq!(
        cell(1, 3),
        Data::String("=HYPERLINK(\"http://evil.example\",\"x\")".into())
    );
    assert_eq!(cell(1, 2), Data::String("+923001234567".into()));
    assert_eq!(cell(3, 0), Data::String("@SUM(A1)".into()));
    assert_eq!(cell(3, 2), Data::String("-2".into()));
    assert_eq!(cell(2, 2), Data::Empty);
    // No cell of the sheet holds a formula.
    let formulas = wb.worksheet_formula("Deportees _ March").unwrap();
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "{formulas:?}"
    );

    // The sheet is right to left, its header frozen, filtered and bold.
    let xml = unzip_entry(&bytes, "xl/worksheets/sheet1.xml");
    assert!(xml.contains("rightToLeft=\"1\""), "{xml}");
    assert!(
        xml.contains("<pane ySplit=\"1\" topLeftCell=\"A2\""),
        "{xml}"
    );
    assert!(xml.contains("<autoFilter ref=\"A1:D4\"/>"), "{xml}");
    assert!(xml.contains("<col "), "column widths are set: {xml}");
    let styles = unzip_entry(&bytes, "xl/styles.xml");
    assert!(styles.contains("<b/>"), "{styles}");

    // And the importer reads it back.
    let t = read_table("export.xlsx", &bytes).unwrap();
    assert_eq!(
        t.format,
        Format::Xlsx {
            sheet: "Deportees _ March".into()
        }
    );
    assert_eq!(t.rows[1].cells[0], "Khan, Zahid");
}

#[test]
fn xlsx_left_to_right_by_default_and_empty_exports() {
    let bytes = write_xlsx("Report", &strings(&["A"]), &[], false).unwrap();
    let xml = unzip_entry(&bytes, "xl/worksheets/sheet1.xml");
    assert!(!xml.contains("rightToLeft"), "{xml}");
    let bytes = write_xlsx("Empty", &[], &[], false).unwrap();
    let wb = Xlsx::new(Cursor::new(bytes)).unwrap();
    assert_eq!(wb.sheet_names(), vec!["Empty"]);
}

/// One file of the XLSX package, as text: the test reads the package itself so that it checks
/// what Excel will see rather than what a reader makes of it.
fn unzip_entry(zip: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    let mut file = archive
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name} not in the package: {e}"));
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    text
}
