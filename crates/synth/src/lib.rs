//! Seeded generator of a synthetic, realistic dataset of trafficking (TIP) and smuggling (SOM)
//! cases and the persons in them, for demonstrations, tests and benchmarks.
//!
//! Everything is drawn from one seeded generator (ChaCha8), so the same seed and the same "as of"
//! date give the same data: names, dates, roles, structure and ids (UUIDv7-shaped, built from the
//! record's creation time and random bytes of the generator). Every person and case passes the
//! domain's validation; stage histories follow the reference transition table; names come from
//! `data/names.toml` in Urdu script and in varying Roman spellings.
//!
//! What the demo holds (see the project's domain brief): bonded labour at brick kilns and on farms,
//! domestic servitude, sexual exploitation, forced marriage (incl. to China), begging rings,
//! camel jockeys (old cases under PACHTO 2002), organ removal, Gulf labour trafficking; land
//! interceptions near Taftan and Mand Ballo, boats off Jiwani and Pishukan, deportees from Iran,
//! Oman and by air, offloadees at airports, visa fraud, boat tragedies, ransom in Iran, harbouring
//! of foreigners. Agents recur across cases within their network and share phone numbers; about
//! one migrant in twenty is met again in a later case.

mod chunks;
mod demo;
mod geo;
pub mod linkage_set;
mod names;
mod person;
mod scenario;
mod util;

#[cfg(test)]
mod tests;

pub use names::NameLists;

use chrono::{NaiveDate, Utc};
use nigehban_core::store::{BulkBatch, NewPerson};
use nigehban_domain::ids::{UnitId, UserId};
use nigehban_domain::reference::ReferenceData;

/// Why synthetic data could not be generated.
#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    /// The embedded name lists are malformed (every problem listed).
    #[error("name lists are invalid:\n{}", .0.join("\n"))]
    Names(Vec<String>),
    /// No unit and user to create the records.
    #[error("no creators given: at least one unit with a user must exist")]
    NoCreators,
    /// A generated record kept failing validation (a bug in the generator or the data).
    #[error("could not generate a valid {what} in {attempts} attempts: {detail}")]
    Invalid {
        what: &'static str,
        attempts: u32,
        detail: String,
    },
    /// The reference data lacks something the generator needs.
    #[error("reference data lacks {0}")]
    Reference(String),
}

/// Who creates records: the units and users that exist in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Creator {
    pub user_id: UserId,
    pub unit_id: UnitId,
    pub unit_code: String,
    pub agency: String,
    pub username: String,
}

/// Size and seed of the demo dataset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoConfig {
    pub seed: u64,
    /// At least this many cases.
    pub cases: usize,
    /// At least this many persons.
    pub persons: usize,
}

impl Default for DemoConfig {
    fn default() -> Self {
        DemoConfig {
            seed: 2011,
            cases: 2_000,
            persons: 10_000,
        }
    }
}

/// The demo dataset as batches of at most `batch_cases` cases each, with the persons first linked
/// in them, dated up to yesterday (UTC). A person reused by a later case was written by an earlier
/// or the same batch. Deterministic for a seed on a given day; see [`demo_batches_as_of`].
pub fn demo_batches(
    refdata: &ReferenceData,
    names: &NameLists,
    creators: &[Creator],
    cfg: &DemoConfig,
    batch_cases: usize,
) -> Result<Vec<BulkBatch>, SynthError> {
    demo_batches_as_of(
        refdata,
        names,
        creators,
        cfg,
        batch_cases,
        Utc::now().date_naive(),
    )
}

/// [`demo_batches`] as of a given day: every date falls before `today`, and the output depends only
/// on the arguments.
pub fn demo_batches_as_of(
    refdata: &ReferenceData,
    names: &NameLists,
    creators: &[Creator],
    cfg: &DemoConfig,
    batch_cases: usize,
    today: NaiveDate,
) -> Result<Vec<BulkBatch>, SynthError> {
    demo::Demo::new(refdata, names, creators, cfg.seed, today)?.run(cfg, batch_cases)
}

/// Persons only, for benchmarks: `n` persons in chunks of `chunk` (the last may be smaller),
/// generated lazily, deterministic for the seed on a given day. About 3% are near-duplicates of an
/// earlier person (another spelling, parentage left out, day and month of birth swapped...).
pub fn person_chunks<'a>(
    refdata: &'a ReferenceData,
    names: &'a NameLists,
    creator: &'a Creator,
    seed: u64,
    n: usize,
    chunk: usize,
) -> impl Iterator<Item = Vec<NewPerson>> + 'a {
    person_chunks_as_of(
        refdata,
        names,
        creator,
        seed,
        n,
        chunk,
        Utc::now().date_naive(),
    )
}

/// [`person_chunks`] as of a given day.
pub fn person_chunks_as_of<'a>(
    refdata: &'a ReferenceData,
    names: &'a NameLists,
    creator: &'a Creator,
    seed: u64,
    n: usize,
    chunk: usize,
    today: NaiveDate,
) -> impl Iterator<Item = Vec<NewPerson>> + 'a {
    chunks::PersonChunks::new(refdata, names, creator, seed, n, chunk, today)
}
