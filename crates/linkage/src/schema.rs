//! What the records hold: named fields, each of a kind that decides how it is read, compared
//! and blocked on.

use crate::LinkageError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// At most this many fields per schema (a comparison vector is packed in 64 bits, 4 per field).
pub const MAX_FIELDS: usize = 16;

/// What a field holds. The kind decides how values are read (`prepare`), the comparison levels
/// (`FieldKind::levels`) and the blocking keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldKind {
    /// A given name ("Muhammad Asif"); may be compound. Roman or Urdu script.
    GivenName,
    /// A family (or tribal, caste) name ("Awan", "Chaudhry").
    FamilyName,
    /// A whole name in any order, possibly with titles and "s/o ..." parentage inside.
    FullName,
    /// The father's (or husband's) name.
    Parentage,
    /// A calendar date (date of birth): ISO, day first (12/03/1990, 12-03-1990, 12.03.1990,
    /// 12 Mar 1990) or a year alone.
    Date,
    /// A document number (CNIC, passport, NARA card): letters and digits, punctuation ignored.
    Identifier,
    /// A telephone number; Pakistani numbers in any form (0300-1234567, +92 300 1234567).
    Phone,
    /// A postal address: compared by its words.
    Address,
    /// A place (district, town, village): compared as a name of a place.
    Locality,
    /// A postal code.
    Postcode,
    /// Any other text: compared by its words.
    Text,
}

impl FieldKind {
    /// Every kind, in the order of the documentation.
    pub const ALL: [FieldKind; 11] = [
        FieldKind::GivenName,
        FieldKind::FamilyName,
        FieldKind::FullName,
        FieldKind::Parentage,
        FieldKind::Date,
        FieldKind::Identifier,
        FieldKind::Phone,
        FieldKind::Address,
        FieldKind::Locality,
        FieldKind::Postcode,
        FieldKind::Text,
    ];

    /// Stable code (`given_name`, `date`...), as written on the command line and in models.
    pub fn as_str(self) -> &'static str {
        match self {
            FieldKind::GivenName => "given_name",
            FieldKind::FamilyName => "family_name",
            FieldKind::FullName => "full_name",
            FieldKind::Parentage => "parentage",
            FieldKind::Date => "date",
            FieldKind::Identifier => "identifier",
            FieldKind::Phone => "phone",
            FieldKind::Address => "address",
            FieldKind::Locality => "locality",
            FieldKind::Postcode => "postcode",
            FieldKind::Text => "text",
        }
    }

    /// The kind of a code, if it is one.
    pub fn parse(code: &str) -> Option<FieldKind> {
        let code = code.trim().to_ascii_lowercase().replace('-', "_");
        FieldKind::ALL.into_iter().find(|k| k.as_str() == code)
    }

    /// Whether members of one household usually share the value (family name, parentage,
    /// phone, address, place): such fields cannot tell brothers apart.
    pub fn is_household(self) -> bool {
        matches!(
            self,
            FieldKind::FamilyName
                | FieldKind::Parentage
                | FieldKind::Phone
                | FieldKind::Address
                | FieldKind::Locality
                | FieldKind::Postcode
        )
    }

    /// Whether values of this kind are names of persons (compared with `nigehban-names`).
    pub fn is_person_name(self) -> bool {
        matches!(
            self,
            FieldKind::GivenName
                | FieldKind::FamilyName
                | FieldKind::FullName
                | FieldKind::Parentage
        )
    }
}

impl fmt::Display for FieldKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One field: its name (a column header, for people) and its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldSpec {
    pub name: String,
    pub kind: FieldKind,
}

impl FieldSpec {
    pub fn new(name: impl Into<String>, kind: FieldKind) -> FieldSpec {
        FieldSpec {
            name: name.into(),
            kind,
        }
    }
}

/// The fields of the records to link, in the order values are given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<FieldSpec>", into = "Vec<FieldSpec>")]
pub struct Schema {
    fields: Vec<FieldSpec>,
}

impl TryFrom<Vec<FieldSpec>> for Schema {
    type Error = LinkageError;
    fn try_from(fields: Vec<FieldSpec>) -> Result<Self, Self::Error> {
        Schema::new(fields)
    }
}

impl From<Schema> for Vec<FieldSpec> {
    fn from(s: Schema) -> Self {
        s.fields
    }
}

impl Schema {
    /// A schema of one to `MAX_FIELDS` fields with distinct, non-empty names. Every problem is
    /// listed.
    pub fn new(fields: Vec<FieldSpec>) -> Result<Schema, LinkageError> {
        let mut problems = Vec::new();
        if fields.is_empty() {
            problems.push("no fields: give at least one field to compare".to_string());
        }
        if fields.len() > MAX_FIELDS {
            problems.push(format!(
                "{} fields: at most {MAX_FIELDS} can be compared",
                fields.len()
            ));
        }
        for (i, f) in fields.iter().enumerate() {
            if f.name.trim().is_empty() {
                problems.push(format!("field {} has no name", i + 1));
            }
            if fields.iter().take(i).any(|g| g.name == f.name) {
                problems.push(format!("field `{}` is named twice", f.name));
            }
        }
        if problems.is_empty() {
            Ok(Schema { fields })
        } else {
            Err(LinkageError::Invalid(problems))
        }
    }

    pub fn fields(&self) -> &[FieldSpec] {
        &self.fields
    }

    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// The position of a field by name.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// The kind of the field at `i`.
    pub fn kind(&self, i: usize) -> Option<FieldKind> {
        self.fields.get(i).map(|f| f.kind)
    }

    /// The first field of a kind.
    pub fn first(&self, kind: FieldKind) -> Option<usize> {
        self.fields.iter().position(|f| f.kind == kind)
    }

    /// For a given-name field, the family-name field (and the other way round) when the schema
    /// has exactly one of each: values recorded in each other's column are recognised.
    pub fn partner(&self, i: usize) -> Option<usize> {
        let kind = self.kind(i)?;
        let other = match kind {
            FieldKind::GivenName => FieldKind::FamilyName,
            FieldKind::FamilyName => FieldKind::GivenName,
            _ => return None,
        };
        let count = |k: FieldKind| self.fields.iter().filter(|f| f.kind == k).count();
        if count(kind) == 1 && count(other) == 1 {
            self.first(other)
        } else {
            None
        }
    }

    /// The schema of persons in Nigehban, for [`crate::Model::default_person`]: `name`
    /// (full_name), `parentage`, `date_of_birth` (date), `cnic` and `passport` (identifier),
    /// `phone`.
    pub fn person() -> Schema {
        Schema {
            fields: vec![
                FieldSpec::new("name", FieldKind::FullName),
                FieldSpec::new("parentage", FieldKind::Parentage),
                FieldSpec::new("date_of_birth", FieldKind::Date),
                FieldSpec::new("cnic", FieldKind::Identifier),
                FieldSpec::new("passport", FieldKind::Identifier),
                FieldSpec::new("phone", FieldKind::Phone),
            ],
        }
    }
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
    fn kinds_round_trip_and_unknown_is_none() {
        for k in FieldKind::ALL {
            assert_eq!(FieldKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(FieldKind::parse("Given-Name"), Some(FieldKind::GivenName));
        assert_eq!(FieldKind::parse("surname"), None);
    }

    #[test]
    fn a_field_named_twice_is_refused() {
        let e = Schema::new(vec![
            FieldSpec::new("a", FieldKind::Date),
            FieldSpec::new("a", FieldKind::Phone),
        ])
        .unwrap_err();
        assert!(e.to_string().contains("named twice"), "{e}");
    }

    #[test]
    fn given_and_family_are_partners() {
        let s = Schema::new(vec![
            FieldSpec::new("g", FieldKind::GivenName),
            FieldSpec::new("d", FieldKind::Date),
            FieldSpec::new("f", FieldKind::FamilyName),
        ])
        .unwrap();
        assert_eq!(s.partner(0), Some(2));
        assert_eq!(s.partner(2), Some(0));
        assert_eq!(s.partner(1), None);
    }
}
