//! The operations of Nigehban. Every public operation takes the acting user ([`Actor`]), asks the
//! access policy ([`policy`]) before touching data, and writes an audit entry in the same
//! transaction as its effect ([`audit`]). Handlers in the web crate and commands in the CLI call
//! these operations and never check permissions themselves. Storage is reached only through the
//! [`store::Store`] trait, implemented for SQLite and PostgreSQL in `nigehban-storage`.

pub mod actor;
pub mod alerts;
pub mod audit;
pub mod auth;
pub mod error;
pub mod exchange_store;
pub mod intake_store;
pub mod linkage_store;
pub mod linking;
pub mod ocindex_store;
pub mod policy;
pub mod screening;
pub mod service;
pub mod stats_store;
pub mod store;
pub mod victims_store;

pub use actor::Actor;
pub use error::CoreError;
pub use service::Nigehban;
