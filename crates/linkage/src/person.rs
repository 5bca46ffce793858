//! The person record of Nigehban, for the built-in model (`Model::default_person`).

use crate::record::PreparedRecord;
use crate::schema::Schema;
use nigehban_names::NameTables;

/// A person's values as texts, in the fields of `Schema::person`. Empty texts are missing.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PersonValues<'a> {
    /// The name as written, in either script; may hold titles and "s/o ...".
    pub name: &'a str,
    /// Father's (or husband's) name.
    pub parentage: &'a str,
    pub date_of_birth: &'a str,
    pub cnic: &'a str,
    pub passport: &'a str,
    pub phone: &'a str,
}

impl PersonValues<'_> {
    /// The texts in the order of `Schema::person`.
    pub fn texts(&self) -> [&str; 6] {
        [
            self.name,
            self.parentage,
            self.date_of_birth,
            self.cnic,
            self.passport,
            self.phone,
        ]
    }

    /// The record read for comparison with `Model::default_person` (or any model of
    /// `Schema::person`).
    pub fn prepare(&self, names: &NameTables) -> PreparedRecord {
        Schema::person().prepare(names, &self.texts())
    }
}
