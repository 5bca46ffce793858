//! Data exchange standards, no IO: bytes in, bytes out.
//!
//! - [`htcds`]: cases to and from the Human Trafficking Case Data Standard (HTCDS) v2.0 of IOM, as
//!   CSV, XLSX or JSON, through the field mapping of `data/htcds_fields.toml` ([`mapping`]). An
//!   import validates every row into the domain's inputs and reports every problem and every value
//!   without a Nigehban field, located at file, row and column; such values are kept with their
//!   case and written back on export, never dropped.
//! - [`ctdc`]: the anonymised victim release in the variables of the Counter Trafficking Data
//!   Collaborative, refused unless an independent check finds it k-anonymous over the
//!   quasi-identifiers and free of anything but the CTDC vocabulary.

pub mod ctdc;
pub mod htcds;
pub mod mapping;
pub mod model;

pub use htcds::{FileFormat, HtcdsImport, HtcdsTable, ImportCase, ImportPerson, UnmappedValue};
pub use mapping::Mapping;
pub use model::{
    ExchangeCase, ExchangePerson, KeptValue, LabourSector, RecruiterRelation, VictimContext,
};
