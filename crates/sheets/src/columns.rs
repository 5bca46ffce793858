//! Which column means which field: the header synonyms of `data/manifest_columns.toml`, and the
//! mapping of a file's header row onto them.

use crate::problem::{column_letter, LocatedProblem, Severity};
use crate::table::Table;
use crate::text::{fold_key, script_runs};
use nigehban_domain::code_enum;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::OnceLock;

const MANIFEST_COLUMNS: &str = include_str!("../data/manifest_columns.toml");

code_enum! {
    /// What a manifest column can mean. The codes are stable: they appear in reports, the API
    /// and the message ids (`sheet-field-<code with dashes>`).
    pub enum ManifestField {
        /// The sender's own row number ("S.No"), kept to refer back to their list.
        Serial = "serial",
        /// The whole name in one cell, in Roman letters or Urdu script (or both).
        FullName = "full_name",
        GivenName = "given_name",
        Surname = "surname",
        FatherName = "father_name",
        NameUrdu = "name_urdu",
        FatherNameUrdu = "father_name_urdu",
        Sex = "sex",
        DateOfBirth = "date_of_birth",
        Age = "age",
        Cnic = "cnic",
        Passport = "passport",
        PassportCountry = "passport_country",
        Nationality = "nationality",
        OriginDistrict = "origin_district",
        Phone = "phone",
        Address = "address",
        Remarks = "remarks",
        /// Date of deportation, arrival, offloading or rescue.
        ArrivalDate = "arrival_date",
        /// Reason for deportation or the offence abroad.
        Reason = "reason",
        FlightOrVessel = "flight_or_vessel",
    }
}

/// One field's entry in the data file.
#[derive(Debug, Clone)]
pub struct FieldSpec {
    pub field: ManifestField,
    /// The group of required fields this one belongs to ("name").
    pub required: Option<String>,
    /// Headers as written in the data file, most common first.
    pub synonyms: Vec<String>,
}

/// The checked column data: every field once, every folded synonym meaning one field.
#[derive(Debug)]
pub struct ColumnSpec {
    pub fields: Vec<FieldSpec>,
    by_key: HashMap<String, ManifestField>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecFile {
    field: Vec<RawField>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawField {
    code: String,
    #[serde(default)]
    required: Option<String>,
    synonyms: Vec<String>,
}

/// The groups of which a manifest must have at least one column.
pub const REQUIRED_GROUPS: &[&str] = &["name"];

impl ColumnSpec {
    /// Parse and check a column data file, listing every problem.
    pub fn parse(src: &str) -> Result<ColumnSpec, Vec<String>> {
        let file = "manifest_columns.toml";
        let raw: SpecFile = toml::from_str(src).map_err(|e| vec![format!("{file}: {e}")])?;
        let mut errs = Vec::new();
        let mut fields: Vec<FieldSpec> = Vec::new();
        let mut by_key: HashMap<String, (ManifestField, String)> = HashMap::new();
        for f in raw.field {
            let Some(field) = ManifestField::parse(&f.code) else {
                errs.push(format!("{file}: unknown field `{}`", f.code));
                continue;
            };
            if fields.iter().any(|s| s.field == field) {
                errs.push(format!("{file}: field `{}` is listed twice", f.code));
            }
            if let Some(g) = &f.required {
                if !REQUIRED_GROUPS.contains(&g.as_str()) {
                    errs.push(format!(
                        "{file}: field `{}` names unknown required group `{g}`",
                        f.code
                    ));
                }
            }
            if f.synonyms.is_empty() {
                errs.push(format!("{file}: field `{}` has no synonyms", f.code));
            }
            for s in &f.synonyms {
                let key = fold_key(s);
                if key.is_empty() {
                    errs.push(format!(
                        "{file}: synonym `{s}` of `{}` has no letters",
                        f.code
                    ));
                    continue;
                }
                if let Some((other, other_syn)) = by_key.get(&key) {
                    errs.push(format!(
                        "{file}: synonym `{s}` of `{}` is the same header as `{other_syn}` of `{other}`",
                        f.code
                    ));
                    continue;
                }
                by_key.insert(key, (field, s.clone()));
            }
            fields.push(FieldSpec {
                field,
                required: f.required,
                synonyms: f.synonyms,
            });
        }
        for field in ManifestField::ALL {
            if !fields.iter().any(|f| f.field == *field) {
                errs.push(format!("{file}: field `{field}` is missing"));
            }
        }
        for g in REQUIRED_GROUPS {
            if !fields.iter().any(|f| f.required.as_deref() == Some(*g)) {
                errs.push(format!("{file}: no field is in required group `{g}`"));
            }
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(ColumnSpec {
            fields,
            by_key: by_key.into_iter().map(|(k, (f, _))| (k, f)).collect(),
        })
    }

    /// The field a header means, if any. Tried whole, then without a trailing bracket ("Date of
    /// Birth (DD/MM/YYYY)"), then part by part for bilingual headers ("Passport No / رقم الجواز"
    /// or "Name الاسم"), accepting the parts only when they agree.
    pub fn match_header(&self, header: &str) -> Option<ManifestField> {
        if let Some(f) = self.by_key.get(&fold_key(header)) {
            return Some(*f);
        }
        if let Some((before, _)) = header.split_once(['(', '[']) {
            if let Some(f) = self.by_key.get(&fold_key(before)) {
                return Some(*f);
            }
        }
        let mut parts: Vec<String> = Vec::new();
        for part in header.split(['/', '|', '\n', '\\']) {
            parts.extend(script_runs(part));
        }
        if parts.len() < 2 {
            return None;
        }
        let mut found: Option<ManifestField> = None;
        for p in parts {
            let key = fold_key(p.split(['(', '[']).next().unwrap_or(&p));
            if key.is_empty() {
                continue;
            }
            if let Some(f) = self.by_key.get(&key) {
                match found {
                    Some(prev) if prev != *f => return None,
                    _ => found = Some(*f),
                }
            }
        }
        found
    }

    pub fn field(&self, field: ManifestField) -> Option<&FieldSpec> {
        self.fields.iter().find(|f| f.field == field)
    }

    /// Headers to suggest for a missing required group: the first few synonyms of each of its
    /// fields, in the data file's order.
    pub fn accepted_headers(&self, group: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|f| f.required.as_deref() == Some(group))
            .flat_map(|f| f.synonyms.iter().take(4).cloned())
            .collect()
    }
}

static SPEC: OnceLock<Result<ColumnSpec, Vec<String>>> = OnceLock::new();

/// The embedded column data, parsed and checked once.
pub fn column_spec() -> Result<&'static ColumnSpec, &'static [String]> {
    SPEC.get_or_init(|| ColumnSpec::parse(MANIFEST_COLUMNS))
        .as_ref()
        .map_err(Vec::as_slice)
}

/// A column of the file and the field it was mapped to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappedColumn {
    /// Zero-based column index.
    pub index: usize,
    /// Column letter as a spreadsheet shows it.
    pub letter: String,
    /// The header as written in the file.
    pub header: String,
    pub field: ManifestField,
}

/// The result of mapping a header row: the mapped columns, the ignored ones, and the problems
/// (file-level errors when a required column is missing or a field is given twice; warnings for
/// every ignored column).
#[derive(Debug, Clone, Default)]
pub struct ColumnMapping {
    pub columns: Vec<MappedColumn>,
    pub ignored: Vec<String>,
    pub problems: Vec<LocatedProblem>,
}

impl ColumnMapping {
    pub fn column(&self, field: ManifestField) -> Option<&MappedColumn> {
        self.columns.iter().find(|c| c.field == field)
    }
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(LocatedProblem::is_error)
    }
}

/// Map a table's headers onto manifest fields.
pub fn map_columns(spec: &ColumnSpec, table: &Table) -> ColumnMapping {
    let file = table.file.as_str();
    let mut m = ColumnMapping::default();
    for (index, header) in table.headers.iter().enumerate() {
        if header.is_empty() {
            // A column without a header is noise unless it holds values, which would be lost.
            let has_values = table
                .rows
                .iter()
                .any(|r| r.cells.get(index).is_some_and(|c| !c.is_empty()));
            if has_values {
                m.problems.push(
                    LocatedProblem::file(file, Severity::Warning, "sheet-unnamed-column")
                        .at_column(index, header),
                );
            }
            continue;
        }
        match spec.match_header(header) {
            Some(field) => {
                if let Some(first) = m.column(field) {
                    m.problems.push(
                        LocatedProblem::file(file, Severity::Error, "sheet-duplicate-column")
                            .at_column(index, header)
                            .with_field(field.as_str())
                            .arg("field", field.as_str())
                            .arg("first", format!("{} ({})", first.letter, first.header))
                            .arg("second", format!("{} ({header})", column_letter(index))),
                    );
                    continue;
                }
                m.columns.push(MappedColumn {
                    index,
                    letter: column_letter(index),
                    header: header.clone(),
                    field,
                });
            }
            None => {
                m.problems.push(
                    LocatedProblem::file(file, Severity::Warning, "sheet-ignored-column")
                        .at_column(index, header),
                );
                m.ignored.push(header.clone());
            }
        }
    }
    for group in REQUIRED_GROUPS {
        let present = m.columns.iter().any(|c| {
            spec.field(c.field)
                .is_some_and(|f| f.required.as_deref() == Some(*group))
        });
        if !present {
            m.problems.push(
                LocatedProblem::file(file, Severity::Error, "sheet-missing-column")
                    .arg("group", *group)
                    .arg("accepted", spec.accepted_headers(group).join(", ")),
            );
        }
    }
    m
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;

    #[test]
    fn embedded_column_data_is_valid() {
        let spec = match column_spec() {
            Ok(s) => s,
            Err(errs) => panic!("manifest_columns.toml is invalid:\n{}", errs.join("\n")),
        };
        assert_eq!(spec.fields.len(), ManifestField::ALL.len());
    }

    #[test]
    fn broken_column_data_lists_every_problem() {
        let errs = ColumnSpec::parse(
            r#"
[[field]]
code = "passport"
synonyms = ["Passport No", "PP#"]
[[field]]
code = "cnic"
required = "identity"
synonyms = ["Passport Number"]
[[field]]
code = "shoe_size"
synonyms = ["Shoe"]
"#,
        )
        .unwrap_err();
        let text = errs.join("\n");
        assert!(text.contains("synonym `Passport Number` of `cnic` is the same header as `Passport No` of `passport`"), "{text}");
        assert!(text.contains("unknown required group `identity`"), "{text}");
        assert!(text.contains("unknown field `shoe_size`"), "{text}");
        assert!(text.contains("field `full_name` is missing"), "{text}");
    }

    #[test]
    fn synonyms_in_many_languages_match() {
        let spec = column_spec().unwrap();
        let cases = [
            ("Passport No", ManifestField::Passport),
            ("PP#", ManifestField::Passport),
            ("PP No.", ManifestField::Passport),
            ("Passport Number", ManifestField::Passport),
            ("Travel Doc No", ManifestField::Passport),
            ("Name of Deportee", ManifestField::FullName),
            ("Full Name", ManifestField::FullName),
            ("Father's Name", ManifestField::FatherName),
            ("F/Name", ManifestField::FatherName),
            ("S/O", ManifestField::FatherName),
            ("DOB", ManifestField::DateOfBirth),
            ("D.O.B", ManifestField::DateOfBirth),
            ("Date of Birth (DD/MM/YYYY)", ManifestField::DateOfBirth),
            ("CNIC", ManifestField::Cnic),
            ("NIC No", ManifestField::Cnic),
            ("ID Card No", ManifestField::Cnic),
            ("Gender", ManifestField::Sex),
            ("SEX", ManifestField::Sex),
            ("Nationality", ManifestField::Nationality),
            ("Remarks", ManifestField::Remarks),
            ("Home District", ManifestField::OriginDistrict),
            ("POB", ManifestField::OriginDistrict),
            ("Place of Birth", ManifestField::OriginDistrict),
            ("S.No", ManifestField::Serial),
            ("الاسم", ManifestField::FullName),
            ("رقم الجواز", ManifestField::Passport),
            ("الجنسية", ManifestField::Nationality),
            ("تاريخ الميلاد", ManifestField::DateOfBirth),
            ("الجنس", ManifestField::Sex),
            ("نام", ManifestField::FullName),
            ("ولدیت", ManifestField::FatherName),
            ("شناختی کارڈ نمبر", ManifestField::Cnic),
            ("پاسپورٹ نمبر", ManifestField::Passport),
            ("شماره گذرنامه", ManifestField::Passport),
            ("نام پدر", ManifestField::FatherName),
            ("تابعیت", ManifestField::Nationality),
            ("Doğum Tarihi", ManifestField::DateOfBirth),
            ("Ονοματεπώνυμο", ManifestField::FullName),
            ("Passport No / رقم الجواز", ManifestField::Passport),
            ("Name الاسم", ManifestField::FullName),
            ("Reason of Deportation", ManifestField::Reason),
            ("Date of Deportation", ManifestField::ArrivalDate),
            ("Flight No", ManifestField::FlightOrVessel),
        ];
        for (h, f) in cases {
            assert_eq!(spec.match_header(h), Some(f), "{h}");
        }
        assert_eq!(spec.match_header("Shoe size"), None);
        // Parts that disagree are not guessed at.
        assert_eq!(spec.match_header("Name / Passport No"), None);
    }
}
