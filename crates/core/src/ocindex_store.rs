//! What the organized-crime assessment needs from storage: the Global Organized Crime Index's
//! published country scores (replaced edition by edition, all or nothing) and the provincial and
//! district assessments officers make with the same indicators. Like [`crate::store::Store`],
//! every change takes its audit draft and is written in one transaction with it.

use crate::audit::AuditDraft;
use crate::store::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use nigehban_domain::code_enum;
use nigehban_domain::ids::UserId;
use nigehban_ocindex::{Composites, Score, Scores};
use serde::Serialize;

code_enum! {
    /// What an officer's assessment covers: a province or territory, or a district (codes of the
    /// gazetteer).
    pub enum ScopeKind {
        Province = "province",
        District = "district",
    }
}

/// A province or district of the gazetteer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct AssessmentScope {
    pub kind: ScopeKind,
    pub code: String,
}

impl AssessmentScope {
    /// `province:PB`, `district:gujrat`: the form a scope takes in links and queries.
    pub fn key(&self) -> String {
        format!("{}:{}", self.kind.as_str(), self.code)
    }

    pub fn parse_key(key: &str) -> Option<AssessmentScope> {
        let (kind, code) = key.trim().split_once(':')?;
        let code = code.trim();
        if code.is_empty() {
            return None;
        }
        Some(AssessmentScope {
            kind: ScopeKind::parse(kind)?,
            code: code.to_string(),
        })
    }
}

/// One country's published scores in one edition of the Index.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublishedRow {
    pub edition: i32,
    pub iso3: String,
    /// As the Index's workbook writes it.
    pub name: String,
    pub continent: String,
    pub region: String,
    pub scores: Scores,
    /// The composites as published (the import checked them against the scores).
    pub published: Composites,
}

/// An import of the published workbook, as recorded.
#[derive(Debug, Clone)]
pub struct IndexImportRecord {
    pub id: String,
    pub file_name: String,
    pub sha256: String,
    pub editions: Vec<i32>,
    pub countries: usize,
    /// The user who imported (none for the system, e.g. the command line or the demo).
    pub by: Option<UserId>,
    pub at: DateTime<Utc>,
}

/// What an import changed: editions replaced, and editions whose stored scores were already
/// exactly those of the file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImportApplied {
    pub changed: Vec<i32>,
    pub unchanged: Vec<i32>,
}

/// One indicator of an officer's assessment: the score and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IndicatorScore {
    pub indicator: String,
    pub score: Score,
    pub justification: String,
}

/// An assessment to store (new, or replacing the scores of an existing one).
#[derive(Debug, Clone)]
pub struct NewAssessment {
    pub id: String,
    pub agency: String,
    pub scope: AssessmentScope,
    pub year: i32,
    /// The edition whose indicator set is scored.
    pub edition: i32,
    pub scores: Vec<IndicatorScore>,
    pub by: UserId,
    pub at: DateTime<Utc>,
}

/// An assessment as stored.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentRecord {
    pub id: String,
    pub agency: String,
    pub scope: AssessmentScope,
    pub year: i32,
    pub edition: i32,
    pub scores: Vec<IndicatorScore>,
    /// Username and display name of who scored it last, and when.
    pub assessed_by: String,
    pub assessed_by_name: String,
    pub assessed_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    /// Increases with every change; an edit names the version it started from.
    pub version: i64,
}

#[async_trait]
pub trait OcindexStore: Send + Sync {
    /// Replace the published scores of the editions in `rows` (an edition the file does not hold
    /// is left alone), record the import and write its audit entry, in one transaction. An
    /// edition whose stored rows already equal the file's is not touched.
    async fn import_published(
        &self,
        rows: &[PublishedRow],
        record: &IndexImportRecord,
        audit: AuditDraft,
    ) -> StoreResult<ImportApplied>;
    /// Every country of one edition, by ISO3.
    async fn published(&self, edition: i32) -> StoreResult<Vec<PublishedRow>>;
    /// The editions held, with their number of countries.
    async fn published_editions(&self) -> StoreResult<Vec<(i32, i64)>>;

    /// Store a new assessment (`expected_version` `None`) or replace the year, edition and scores
    /// of an existing one at that version (`Stale` when it changed meanwhile). One assessment per
    /// agency, scope and year (`Conflict` otherwise).
    async fn save_assessment(
        &self,
        a: &NewAssessment,
        expected_version: Option<i64>,
        audit: AuditDraft,
    ) -> StoreResult<()>;
    async fn assessment(&self, id: &str) -> StoreResult<Option<AssessmentRecord>>;
    /// The agency's assessments (of one scope when given), by scope then year.
    async fn assessments(
        &self,
        agency: &str,
        scope: Option<&AssessmentScope>,
    ) -> StoreResult<Vec<AssessmentRecord>>;
}
