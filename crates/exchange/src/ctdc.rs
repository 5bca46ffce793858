//! The anonymised release of victim data in the variables of the Counter Trafficking Data
//! Collaborative (CTDC): gender, age band, citizenship, country of exploitation, means of control,
//! types of exploitation and labour, and the relation to the recruiter.
//!
//! The guarantee is k-anonymity over the quasi-identifiers ([`QUASI_IDENTIFIERS`]: gender, age
//! band, citizenship, country of exploitation): every combination of them that appears in the
//! file appears at least k times, so no row can be singled out by someone who knows those facts of
//! a victim. [`anonymise`] gets there by local suppression (a quasi-identifier of a row in a
//! too-small group becomes `unknown`, citizenship first, gender last; rows still alone at the end
//! are left out), and then [`check`] looks at the finished table again, on its own, and refuses
//! it unless k is at least 2, every column is a CTDC column, every cell is a value of that
//! column's closed vocabulary (so no name, number, date or free text can be in it) and every group
//! holds k rows. A file can only be written from what [`check`] returned.
//!
//! What k-anonymity does not give: the other columns (means, exploitation, labour, relation) are
//! released as they are, so a group whose rows all share a value discloses that value for
//! everyone in it (no l-diversity), and two releases of overlapping periods can be combined.

use crate::htcds::FileFormat;
use crate::mapping::{Mapping, Target};
use crate::model::{LabourSector, RecruiterRelation};
use nigehban_domain::crime::ExploitationForm;
use nigehban_domain::person::Sex;
use nigehban_domain::reference::ReferenceData;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The smallest k of a release unless asked otherwise.
pub const DEFAULT_K: usize = 5;
/// A value the release does not give: not recorded, or suppressed (the two are not told apart).
pub const UNKNOWN: &str = "unknown";

/// CTDC's broad age bands (years at the offence).
pub const AGE_BANDS: &[(u32, u32, &str)] = &[
    (0, 8, "0--8"),
    (9, 17, "9--17"),
    (18, 20, "18--20"),
    (21, 23, "21--23"),
    (24, 26, "24--26"),
    (27, 29, "27--29"),
    (30, 38, "30--38"),
    (39, 47, "39--47"),
    (48, u32::MAX, "48+"),
];

pub const GENDER: &str = "gender";
pub const AGE: &str = "ageBroad";
pub const CITIZENSHIP: &str = "citizenship";
pub const COUNTRY: &str = "CountryOfExploitation";
pub const RELATION: &str = "recruiterRelation";

/// The quasi-identifiers, in the order suppression gives them up: citizenship and country are
/// the rarest values (a lone foreigner), gender the most useful to keep.
pub const QUASI_IDENTIFIERS: [&str; 4] = [GENDER, AGE, CITIZENSHIP, COUNTRY];
const SUPPRESSION_ORDER: [&str; 4] = [CITIZENSHIP, COUNTRY, AGE, GENDER];

/// One victim as the release needs them: no name, number, date or text can be expressed here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VictimRecord {
    pub sex: Option<Sex>,
    /// Age in years at the offence.
    pub age: Option<u32>,
    /// ISO 3166 alpha-3.
    pub citizenship: Option<String>,
    /// ISO 3166 alpha-3.
    pub country_of_exploitation: Option<String>,
    pub indicators: BTreeSet<String>,
    pub forms: BTreeSet<ExploitationForm>,
    pub labour: BTreeSet<LabourSector>,
    pub relation: Option<RecruiterRelation>,
}

pub fn age_band(age: u32) -> &'static str {
    AGE_BANDS
        .iter()
        .find(|(lo, hi, _)| (*lo..=*hi).contains(&age))
        .map(|(_, _, b)| *b)
        .unwrap_or(UNKNOWN)
}

fn gender(sex: Option<Sex>) -> &'static str {
    match sex {
        Some(Sex::Male) => "Male",
        Some(Sex::Female) => "Female",
        Some(Sex::Transgender) => "Transgender",
        Some(Sex::Unknown) | None => UNKNOWN,
    }
}

fn relation(r: Option<RecruiterRelation>) -> &'static str {
    match r {
        Some(RecruiterRelation::Familial) => "Family",
        Some(RecruiterRelation::Acquainted) => "Acquaintance",
        Some(RecruiterRelation::Unacquainted) => "Stranger",
        None => UNKNOWN,
    }
}

fn is_forced_labour(f: ExploitationForm) -> bool {
    matches!(
        f,
        ExploitationForm::ForcedLabour
            | ExploitationForm::BondedLabour
            | ExploitationForm::DomesticServitude
            | ExploitationForm::ForcedBegging
            | ExploitationForm::ChildCamelJockey
    )
}

/// The release's layout: the CTDC columns and, for the means of control, the indicators they
/// read (the same pairs as the HTCDS mapping's methods of control).
#[derive(Debug, Clone)]
pub struct Layout {
    pub headers: Vec<String>,
    means: Vec<(String, String)>,
    alpha2: BTreeSet<String>,
}

impl Layout {
    pub fn new(mapping: &Mapping, refdata: &ReferenceData) -> Layout {
        let means: Vec<(String, String)> = mapping
            .fields
            .iter()
            .filter_map(|f| match &f.target {
                Some(Target::Indicator(code)) => Some((
                    format!(
                        "meansOfControl{}",
                        f.name.trim_start_matches("vic_MethodsOfControl")
                    ),
                    code.clone(),
                )),
                _ => None,
            })
            .collect();
        let mut headers: Vec<String> = QUASI_IDENTIFIERS.iter().map(|s| s.to_string()).collect();
        headers.extend(means.iter().map(|(h, _)| h.clone()));
        headers.extend(
            ["isForcedLabour", "isSexualExploit", "isOtherExploit"]
                .iter()
                .map(|s| s.to_string()),
        );
        headers.extend(
            LabourSector::ALL
                .iter()
                .map(|l| format!("typeOfLabour{}", camel(l.as_str()))),
        );
        headers.push(RELATION.to_string());
        Layout {
            headers,
            means,
            alpha2: refdata.countries.iter().map(|c| c.alpha2.clone()).collect(),
        }
    }

    /// What a cell of a column may hold. Anything else (a name, a number, a date, a sentence)
    /// makes the check refuse the file.
    fn allowed(&self, column: &str, value: &str) -> bool {
        match column {
            GENDER => ["Male", "Female", "Transgender", UNKNOWN].contains(&value),
            AGE => value == UNKNOWN || AGE_BANDS.iter().any(|(_, _, b)| *b == value),
            CITIZENSHIP | COUNTRY => value == UNKNOWN || self.alpha2.contains(value),
            RELATION => ["Family", "Acquaintance", "Stranger", UNKNOWN].contains(&value),
            c if self.headers.iter().any(|h| h == c) => ["1", "0", ""].contains(&value),
            _ => false,
        }
    }

    fn row(&self, v: &VictimRecord, refdata: &ReferenceData) -> Vec<String> {
        let a2 = |c: Option<&str>| {
            c.and_then(|c| refdata.country(c))
                .map(|c| c.alpha2.clone())
                .unwrap_or_else(|| UNKNOWN.to_string())
        };
        let flag = |known: bool, yes: bool| {
            if !known {
                String::new()
            } else if yes {
                "1".to_string()
            } else {
                "0".to_string()
            }
        };
        let mut row = vec![
            gender(v.sex).to_string(),
            v.age.map(age_band).unwrap_or(UNKNOWN).to_string(),
            a2(v.citizenship.as_deref()),
            a2(v.country_of_exploitation.as_deref()),
        ];
        let means_known = !v.indicators.is_empty();
        for (_, code) in &self.means {
            row.push(flag(means_known, v.indicators.contains(code)));
        }
        let forms_known = !v.forms.is_empty();
        row.push(flag(
            forms_known,
            v.forms.iter().any(|f| is_forced_labour(*f)),
        ));
        row.push(flag(
            forms_known,
            v.forms.contains(&ExploitationForm::SexualExploitation),
        ));
        row.push(flag(
            forms_known,
            v.forms
                .iter()
                .any(|f| !is_forced_labour(*f) && *f != ExploitationForm::SexualExploitation),
        ));
        let labour_known = !v.labour.is_empty();
        for l in LabourSector::ALL {
            row.push(flag(labour_known, v.labour.contains(l)));
        }
        row.push(relation(v.relation).to_string());
        row
    }

    fn qi_indexes(&self) -> Vec<usize> {
        QUASI_IDENTIFIERS
            .iter()
            .filter_map(|q| self.headers.iter().position(|h| h == q))
            .collect()
    }
}

fn camel(code: &str) -> String {
    code.split('_')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// Why a release was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum PrivacyError {
    /// k below 2 protects no one.
    #[error("k must be at least 2 (asked for {k})")]
    KTooSmall { k: usize },
    #[error("a group of {size} victims shares gender, age band, citizenship and country of exploitation ({class}); every group must hold at least {k}")]
    ClassTooSmall {
        size: usize,
        k: usize,
        class: String,
    },
    #[error("column {column} is not a CTDC variable")]
    UnexpectedColumn { column: String },
    #[error("row {row}, column {column}: a value outside the column's vocabulary")]
    ValueNotAllowed { row: usize, column: String },
    #[error("row {row} has {found} cells for {expected} columns")]
    RaggedRow {
        row: usize,
        found: usize,
        expected: usize,
    },
    #[error("fewer than {k} victims could be released")]
    NothingToRelease { k: usize },
}

impl PrivacyError {
    pub fn message_id(&self) -> &'static str {
        match self {
            PrivacyError::KTooSmall { .. } => "ctdc-refused-k",
            PrivacyError::ClassTooSmall { .. } => "ctdc-refused-class",
            PrivacyError::UnexpectedColumn { .. } => "ctdc-refused-column",
            PrivacyError::ValueNotAllowed { .. } => "ctdc-refused-value",
            PrivacyError::RaggedRow { .. } => "ctdc-refused-ragged",
            PrivacyError::NothingToRelease { .. } => "ctdc-refused-empty",
        }
    }
    pub fn args(&self) -> Vec<(&'static str, String)> {
        match self {
            PrivacyError::KTooSmall { k } | PrivacyError::NothingToRelease { k } => {
                vec![("k", k.to_string())]
            }
            PrivacyError::ClassTooSmall { size, k, class } => vec![
                ("size", size.to_string()),
                ("k", k.to_string()),
                ("class", class.clone()),
            ],
            PrivacyError::UnexpectedColumn { column } => vec![("column", column.clone())],
            PrivacyError::ValueNotAllowed { row, column } => {
                vec![("row", row.to_string()), ("column", column.clone())]
            }
            PrivacyError::RaggedRow {
                row,
                found,
                expected,
            } => vec![
                ("row", row.to_string()),
                ("found", found.to_string()),
                ("expected", expected.to_string()),
            ],
        }
    }
}

/// A table of the release before its check: headers and rows of text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CtdcTable {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

/// What suppression did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Suppression {
    /// Cells of each quasi-identifier set to unknown.
    pub cells: BTreeMap<String, usize>,
    /// Victims left out because no suppression of their cells reached k.
    pub records: usize,
}

impl Suppression {
    pub fn cells_total(&self) -> usize {
        self.cells.values().sum()
    }
}

/// A release that passed [`check`]: the only thing a file is written from.
#[derive(Debug, Clone, Serialize)]
pub struct CheckedRelease {
    table: CtdcTable,
    pub k: usize,
    /// Groups of equal quasi-identifiers, and the smallest.
    pub classes: usize,
    pub smallest_class: usize,
}

impl CheckedRelease {
    pub fn table(&self) -> &CtdcTable {
        &self.table
    }
    pub fn rows(&self) -> usize {
        self.table.rows.len()
    }
    /// The file: CSV (formulas neutralised), XLSX (every cell a string) or JSON.
    pub fn write(&self, format: FileFormat) -> Result<Vec<u8>, crate::htcds::WriteError> {
        let t = crate::htcds::HtcdsTable {
            headers: self.table.headers.clone(),
            rows: self.table.rows.clone(),
        };
        t.write(format, "ctdc")
    }
}

/// The outcome of an anonymisation: the checked release and what was suppressed for it.
#[derive(Debug, Clone, Serialize)]
pub struct Release {
    pub checked: CheckedRelease,
    pub victims: usize,
    pub suppression: Suppression,
}

/// Build the table of victims as they are (no suppression): the input of [`anonymise`], and what
/// [`check`] must refuse when a group is too small.
pub fn table(layout: &Layout, refdata: &ReferenceData, victims: &[VictimRecord]) -> CtdcTable {
    CtdcTable {
        headers: layout.headers.clone(),
        rows: victims.iter().map(|v| layout.row(v, refdata)).collect(),
    }
}

fn class_key(row: &[String], qi: &[usize]) -> Vec<String> {
    qi.iter()
        .map(|i| row.get(*i).cloned().unwrap_or_default())
        .collect()
}

fn class_sizes(rows: &[Vec<String>], qi: &[usize]) -> BTreeMap<Vec<String>, usize> {
    let mut sizes = BTreeMap::new();
    for r in rows {
        *sizes.entry(class_key(r, qi)).or_insert(0) += 1;
    }
    sizes
}

/// Anonymise victims for release at k: with `suppress`, quasi-identifiers of rows in groups
/// smaller than k become unknown one column at a time (citizenship, country of exploitation, age
/// band, gender) and rows still in too-small groups are left out; without it the table is checked
/// as it is. Either way the result is refused unless [`check`] passes.
pub fn anonymise(
    layout: &Layout,
    refdata: &ReferenceData,
    victims: &[VictimRecord],
    k: usize,
    suppress: bool,
) -> Result<Release, PrivacyError> {
    if k < 2 {
        return Err(PrivacyError::KTooSmall { k });
    }
    let mut t = table(layout, refdata, victims);
    let qi = layout.qi_indexes();
    let mut suppression = Suppression::default();
    if suppress {
        for column in SUPPRESSION_ORDER {
            let Some(ci) = layout.headers.iter().position(|h| h == column) else {
                continue;
            };
            let sizes = class_sizes(&t.rows, &qi);
            for row in t.rows.iter_mut() {
                let small = sizes.get(&class_key(row, &qi)).is_some_and(|n| *n < k);
                if let Some(cell) = row.get_mut(ci) {
                    if small && cell != UNKNOWN {
                        *cell = UNKNOWN.to_string();
                        *suppression.cells.entry(column.to_string()).or_insert(0) += 1;
                    }
                }
            }
        }
        let sizes = class_sizes(&t.rows, &qi);
        let before = t.rows.len();
        t.rows
            .retain(|r| sizes.get(&class_key(r, &qi)).is_some_and(|n| *n >= k));
        suppression.records = before - t.rows.len();
        if t.rows.is_empty() && before > 0 {
            return Err(PrivacyError::NothingToRelease { k });
        }
    }
    let checked = check(layout, t, k)?;
    Ok(Release {
        checked,
        victims: victims.len(),
        suppression,
    })
}

/// The final check, independent of how the table was made: k of at least 2, only CTDC columns in
/// their order, every cell inside its column's vocabulary, every group of equal
/// quasi-identifiers at least k rows. The table is refused on the first failure.
pub fn check(layout: &Layout, table: CtdcTable, k: usize) -> Result<CheckedRelease, PrivacyError> {
    if k < 2 {
        return Err(PrivacyError::KTooSmall { k });
    }
    for (i, h) in table.headers.iter().enumerate() {
        if layout.headers.get(i) != Some(h) {
            return Err(PrivacyError::UnexpectedColumn { column: h.clone() });
        }
    }
    if table.headers.len() != layout.headers.len() {
        let missing = layout
            .headers
            .get(table.headers.len())
            .cloned()
            .unwrap_or_default();
        return Err(PrivacyError::UnexpectedColumn { column: missing });
    }
    for (r, row) in table.rows.iter().enumerate() {
        if row.len() != table.headers.len() {
            return Err(PrivacyError::RaggedRow {
                row: r + 2,
                found: row.len(),
                expected: table.headers.len(),
            });
        }
        for (h, v) in table.headers.iter().zip(row) {
            if !layout.allowed(h, v) {
                return Err(PrivacyError::ValueNotAllowed {
                    row: r + 2,
                    column: h.clone(),
                });
            }
        }
    }
    let qi: Vec<usize> = QUASI_IDENTIFIERS
        .iter()
        .filter_map(|q| table.headers.iter().position(|h| h == q))
        .collect();
    if qi.len() != QUASI_IDENTIFIERS.len() {
        return Err(PrivacyError::UnexpectedColumn {
            column: QUASI_IDENTIFIERS.join(","),
        });
    }
    let sizes = class_sizes(&table.rows, &qi);
    if let Some((class, size)) = sizes.iter().find(|(_, n)| **n < k) {
        return Err(PrivacyError::ClassTooSmall {
            size: *size,
            k,
            class: class.join(", "),
        });
    }
    Ok(CheckedRelease {
        classes: sizes.len(),
        smallest_class: sizes.values().copied().min().unwrap_or(0),
        table,
        k,
    })
}
