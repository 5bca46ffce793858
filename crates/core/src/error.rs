//! The core's error type: what went wrong in terms a caller can act on.

use nigehban_domain::ValidationErrors;

/// An error from the store, kept apart from what users see.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint failed (e.g. a username or identifier already taken).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The record changed since it was read (e.g. a case moved stage meanwhile).
    #[error("stale: {0}")]
    Stale(String),
    /// Data in the database could not be read back into domain types.
    #[error("corrupt data: {0}")]
    Corrupt(String),
    #[error("database: {0}")]
    Database(String),
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// Absent, or present but outside what the actor may see: the two are not told apart, so an id
    /// from another agency reveals nothing.
    #[error("not found")]
    NotFound,
    #[error("forbidden: {0}")]
    Forbidden(&'static str),
    #[error("authentication failed")]
    Unauthenticated,
    /// Signed in with a password, but the role needs the second factor first.
    #[error("second factor required")]
    SecondFactorRequired,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("storage: {0}")]
    Store(#[from] StoreError),
}
