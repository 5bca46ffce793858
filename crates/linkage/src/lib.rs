//! Probabilistic record linkage of person lists (Fellegi-Sunter), for Pakistani records: find
//! the records of one list that are the same person (dedupe), or the records of two lists that
//! are (link), and explain every score. Pure: no IO, no async; deterministic for a seed.
//!
//! # API overview
//!
//! Scoring single pairs with the built-in person model (no training needed):
//!
//! ```
//! use nigehban_linkage::{Model, PersonValues, Schema};
//! use nigehban_names::NameTables;
//!
//! let names = NameTables::embedded()?;
//! let model = Model::default_person()?;
//! let a = PersonValues {
//!     name: "Muhammad Asif Khan",
//!     parentage: "Ghulam Abbas",
//!     date_of_birth: "1990-03-12",
//!     cnic: "35202-1234567-1",
//!     ..PersonValues::default()
//! }
//! .prepare(names);
//! let b = PersonValues {
//!     name: "خان محمد آصف",
//!     parentage: "Gh. Abbas",
//!     date_of_birth: "12/03/1990",
//!     ..PersonValues::default()
//! }
//! .prepare(names);
//! let scored = model.score(&a, &b);
//! assert!(scored.probability > 0.9);
//! // Every field's part: prior + the fields' weights (+ the related-persons adjustment)
//! // = match weight.
//! let sum: f64 = scored.prior_weight
//!     + scored.fields.iter().map(|f| f.weight).sum::<f64>()
//!     + scored.related_adjustment;
//! assert!((sum - scored.match_weight).abs() < 1e-9);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Any schema: [`Schema::new`] with [`FieldSpec`]s of the eleven [`FieldKind`]s, then
//! [`Schema::prepare`] (or [`Model::prepare`]) a record's texts into a [`PreparedRecord`] and
//! [`Model::score`] a pair of them: a [`Scored`] with the probability, the match weight and a
//! [`FieldExplanation`] per field (level, m, u, Bayes factor, weight, term-frequency
//! adjustment). A [`Model`] serialises with serde ([`Model::to_json`], [`Model::from_json`],
//! checked on reading) so that it can be stored and used later; [`Model::with_lambda`] sets the
//! prior for a register of another size.
//!
//! Whole lists: [`Linker::new`] (tables, schema, [`Settings`]), [`Linker::prepare`] the records
//! into a [`Dataset`], then [`Linker::run`] (trains a model without labels, or with
//! [`LabelledPair`]s, and links) or [`Linker::run_with_model`], in [`Mode::Dedupe`] or
//! [`Mode::Link`]. The [`Outcome`] holds the model, the pairs at or above the threshold
//! ([`ScoredPair`]), the [`Clusters`] and the run's figures ([`RunStats`]).
//!
//! # How it works
//!
//! - **Values** ([`value`]): names are normalised by `nigehban-names` (spelling variants,
//!   titles, Urdu transliterated, compounds split), dates read in the forms ledgers use,
//!   identifiers and phones reduced to their characters (+92 / 0 dropped), addresses to words.
//!   Placeholders ("N/A", "-", "unknown", 0000000000000) are missing.
//! - **Comparison levels** ([`FieldKind::levels`]): per kind, from exact to different: names
//!   exact, normalised (any order, any spelling variant), transliterated (one in Urdu script),
//!   given/family swapped, phonetic, three similarity bands; dates exact, day and month
//!   swapped, one digit, within a month, within a year; identifiers and phones exact, one
//!   edit, partial (last 7); words by the share of words in common; postcodes by prefix. A
//!   missing value is the null level: no evidence either way, never a disagreement.
//! - **Blocking** ([`blocking`]): keys from the kinds (names-crate name keys with parentage
//!   and birth year; the whole name's sound with the birth year, the parent's name or the
//!   place; the date with the names' initials; identifiers and phones exact and by their last
//!   7); a key held by more than `Settings::max_block` records, or beyond the budget of
//!   `Settings::max_comparisons_per_record`, is skipped and counted.
//! - **Training**: u from random pairs (seeded; all pairs of a small list), blended with the
//!   priors of `data/priors.toml`; m and λ by EM over the distinct comparison vectors of the
//!   candidate pairs, u fixed, the pairs never compared counting as non-matches; labelled
//!   matches enter EM as certain matches (and start m when there are five or more).
//! - **Related persons**: when the schema has fields a household shares (family name,
//!   parentage, phone, address, place) and fields that tell its members apart, EM fits a third
//!   class, related persons, with its own probabilities h for the shared fields; a pair that
//!   agrees on a father, a family name and a phone but not on a given name or a birth date is
//!   then brothers, not one person. Its part of a score is [`Scored::related_adjustment`].
//! - **Term frequencies**: agreeing on a value many records share counts for less: the
//!   weight of an exact or normalised agreement is adjusted by log2(u_agree / frequency),
//!   within [`model::TF_MAX_DOWN`], [`model::TF_MAX_UP`].
//! - **Clustering** ([`cluster`]): connected components of the links, strongest first, no
//!   cluster above `Settings::max_cluster_size`; a cluster is named by its first record.
//!
//! Invariants: the same input, settings and seed give the same model, pairs and clusters,
//! whatever the number of threads (work is split in fixed ranges and joined in order; sums
//! run in a fixed order). No `unsafe`, no panics.

pub mod blocking;
pub mod cluster;
mod compare;
mod linker;
pub mod model;
mod parallel;
mod person;
mod record;
mod schema;
pub mod value;

pub use blocking::{BlockingRule, BlockingStats, Mode};
pub use cluster::{Clusters, Link};
pub use compare::{compare_values, token_similarity, LevelDef};
pub use linker::{
    pair_set, LabelledPair, Linker, NoProgress, Outcome, Progress, RunStats, ScoredPair, Settings,
    Stage, DEFAULT_THRESHOLD,
};
pub use model::{
    probability_of, weight_of, FieldExplanation, FieldModel, LevelParams, Model, Scored, TfTable,
    TrainingSummary,
};
pub use parallel::default_threads;
pub use person::PersonValues;
pub use record::{Dataset, FieldReadStats, PreparedRecord};
pub use schema::{FieldKind, FieldSpec, Schema, MAX_FIELDS};
pub use value::Value;

/// Something could not be done: every problem, in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinkageError {
    #[error("{}", .0.join("; "))]
    Invalid(Vec<String>),
}
