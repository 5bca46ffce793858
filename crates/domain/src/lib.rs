//! The pure domain model of Nigehban: what a case, a person, a provision and a place *are*, and the
//! rules that make them valid. Nothing here does IO, knows a database or a web framework: every
//! other crate builds on these types, and a value of a validated type (`Cnic`, `ValidatedCase`, ...)
//! exists only after its checks passed ("parse, don't validate").

pub mod assessment;
pub mod case;
mod code_enum;
pub mod crime;
pub mod error;
pub mod identifiers;
pub mod ids;
pub mod intake;
pub mod names;
pub mod org;
pub mod person;
pub mod reference;
pub mod stage;
pub mod statistics;
pub mod victims;

pub use error::{FieldError, Problem, ValidationErrors};
