//! The workbook fixture `tests/fixtures/gulf_deportation.xlsx`, built in code so it can be
//! regenerated (`cargo run -p nigehban-sheets --example make_fixtures`) and checked byte for byte.
//!
//! It looks like the lists Gulf police send: a title row above bilingual English/Arabic headers,
//! dates as date cells, a CNIC typed as a number, a date of birth left as a bare Excel serial in a
//! "General" cell, another typed as text, and Arabic values for sex and nationality.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

pub const HEADERS: [&str; 11] = [
    "S.No / م",
    "Name / الاسم",
    "Passport No / رقم الجواز",
    "CNIC",
    "Date of Birth / تاريخ الميلاد",
    "Gender / الجنس",
    "Nationality / الجنسية",
    "Place of Birth / مكان الميلاد",
    "Date of Deportation / تاريخ الترحيل",
    "Reason / السبب",
    "Flight No / رقم الرحلة",
];

enum Dob {
    Date(u16, u8, u8),
    Serial(f64),
    Text(&'static str),
}

struct Row {
    name: &'static str,
    passport: &'static str,
    cnic: Option<f64>,
    dob: Dob,
    sex: &'static str,
    nationality: &'static str,
    birthplace: &'static str,
    reason: &'static str,
}

fn rows() -> Vec<Row> {
    vec![
        Row {
            name: "Muhammad Asif",
            passport: "AB1234567",
            cnic: None,
            dob: Dob::Date(1990, 3, 12),
            sex: "ذكر",
            nationality: "باكستاني",
            birthplace: "Sialkot",
            reason: "تجاوز مدة الإقامة",
        },
        Row {
            name: "Ghulam Abbas",
            passport: "CK4820193",
            cnic: Some(3_520_212_345_671.0),
            dob: Dob::Date(1985, 11, 5),
            sex: "M",
            nationality: "PAKISTAN",
            birthplace: "Lahore",
            reason: "دخول غير قانوني",
        },
        Row {
            name: "محمد آصف",
            passport: "RT1188352",
            cnic: None,
            // 12 March 1990 as Excel stores it, in a cell without a date format.
            dob: Dob::Serial(32_944.0),
            sex: "ذكر",
            nationality: "PAK",
            birthplace: "Gujranwala",
            reason: "تجاوز مدة الإقامة",
        },
        Row {
            name: "Shazia Bibi",
            passport: "ZA1029384",
            cnic: Some(3_520_212_345_672.0),
            dob: Dob::Text("27-Feb-1990"),
            sex: "أنثى",
            nationality: "باكستانية",
            birthplace: "Pakistan",
            reason: "العمل لدى غير الكفيل",
        },
        Row {
            name: "Noor Ahmad",
            passport: "KM7760548",
            cnic: None,
            dob: Dob::Date(1990, 3, 3),
            sex: "ذكر",
            nationality: "باكستاني",
            birthplace: "Kabul",
            reason: "دخول غير قانوني",
        },
    ]
}

/// The workbook's bytes; the same on every run (the creation time is fixed).
pub fn gulf_deportation_xlsx() -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let created = ExcelDateTime::from_ymd(2025, 3, 14)?;
    wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let ws = wb.add_worksheet();
    ws.set_name("Deportees")?;
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let bold = Format::new().set_bold();
    ws.write_string_with_format(
        0,
        0,
        "Royal Oman Police - Deportation list / شرطة عمان السلطانية",
        &bold,
    )?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(2, c as u16, *h, &bold)?;
    }
    let deported = ExcelDateTime::from_ymd(2025, 3, 14)?;
    for (i, r) in rows().iter().enumerate() {
        let row = 3 + i as u32;
        ws.write_number(row, 0, (i + 1) as f64)?;
        ws.write_string(row, 1, r.name)?;
        ws.write_string(row, 2, r.passport)?;
        if let Some(cnic) = r.cnic {
            ws.write_number(row, 3, cnic)?;
        }
        match r.dob {
            Dob::Date(y, m, d) => {
                ws.write_datetime_with_format(row, 4, ExcelDateTime::from_ymd(y, m, d)?, &date)?;
            }
            Dob::Serial(n) => {
                ws.write_number(row, 4, n)?;
            }
            Dob::Text(t) => {
                ws.write_string(row, 4, t)?;
            }
        }
        ws.write_string(row, 5, r.sex)?;
        ws.write_string(row, 6, r.nationality)?;
        ws.write_string(row, 7, r.birthplace)?;
        ws.write_datetime_with_format(row, 8, &deported, &date)?;
        ws.write_string(row, 9, r.reason)?;
        ws.write_string(row, 10, "WY 323")?;
    }
    wb.save_to_buffer()
}
