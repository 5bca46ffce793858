//! The Global Organized Crime Index (Global Initiative Against Transnational Organized Crime) as
//! a method Nigehban can apply: the indicators of its 2021 and 2023 editions (criminal markets,
//! criminal actors, resilience), scores from 1 to 10 in half points, composites and ranks
//! computed exactly as the Index publishes them, and its dataset workbook read with every
//! problem located. Pure: no IO (the workbook arrives as bytes), no async, no database.
//!
//! # API overview
//!
//! ```
//! use nigehban_ocindex::{read_workbook, Method, Pillar, Score, Scores};
//!
//! let method = Method::embedded()?;
//! let e2021 = method.edition(2021).ok_or("no 2021 edition")?;
//! assert_eq!(e2021.pillar(Pillar::Markets).len(), 10);
//! // An officer's scores of a district: every indicator of the edition.
//! let mut scores = Scores::new();
//! for i in e2021.indicators() {
//!     scores.insert(i.code.clone(), Score::parse("6.5")?);
//! }
//! let c = e2021.composites(&scores).map_err(|missing| missing.join(", "))?;
//! assert_eq!(c.criminality.to_string(), "6.50");
//! // The published workbook (bytes read by the caller): all of it, or every problem located.
//! assert!(read_workbook(method, "x.xlsx", b"not a workbook").is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! - [`Method`] holds the editions (each [`Edition`] with its sheet, composite columns and
//!   [`Indicator`]s by [`Pillar`]) from `data/editions.toml`, and the 193 countries with the
//!   names the workbooks use (`data/countries.toml`), checked together on loading
//!   ([`Method::embedded`]).
//! - [`Score`] (half points) and [`Centi`] (hundredths) keep arithmetic exact;
//!   [`Edition::composites`] gives criminality (mean of the markets' mean and the actors' mean),
//!   markets, actors and resilience (mean of its indicators), each rounded half up once from the
//!   exact fraction.
//! - [`rank_countries`] gives competition ranks ("1, 2, 2, 4"), highest score first, overall,
//!   within the continent and within the region.
//! - [`read_workbook`] turns the published XLSX into a [`PublishedWorkbook`], or every
//!   [`WorkbookProblem`] with file, sheet, row, column and header.

mod method;
mod rank;
mod score;
mod workbook;

pub use method::{
    normalise, slug, Columns, Composite, Composites, CountryDef, Edition, Indicator, Method,
    MethodError, Pillar, Scores,
};
pub use rank::{competition_ranks, rank_countries, Rank, RankInput, RankSet, Ranks};
pub use score::{Centi, Score, ScoreError, MAX_SCORE, MIN_SCORE};
pub use workbook::{
    column_letter, read_workbook, PublishedCountry, PublishedEdition, PublishedWorkbook,
    WorkbookError, WorkbookProblem,
};
