//! What statistics need from storage: a refresh that rebuilds the de-identified fact tables from
//! the records (opening sealed fields, such as dates of birth and interviews, inside the store,
//! so only age bands and routes come out), and counts over those facts. Counts never carry a
//! name or a record id.

use crate::audit::AuditDraft;
use crate::store::StoreResult;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use nigehban_domain::reference::ReferenceData;
use nigehban_domain::statistics::{StatQuery, StatisticsReference};
use serde::Serialize;

/// The records a count may draw on, from the access policy: an agency's (analysts) or a unit's
/// (supervisors). `None` for both is the whole nation (the system itself, for benchmarks and
/// the command line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatAccess {
    pub agency: Option<String>,
    pub unit: Option<String>,
}

/// One cell of a breakdown: the values of the grouped dimensions, in the query's order, and
/// the count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatRow {
    pub keys: Vec<String>,
    pub count: i64,
}

/// A case on its way through the funnel: day numbers (days since 1970-01-01) of the first time
/// it reached each stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunnelCase {
    pub crime_type: String,
    pub fir: Option<i64>,
    pub challan: Option<i64>,
    pub trial: Option<i64>,
    pub judgment: Option<i64>,
    pub convicted: bool,
}

/// The load of one receiving post over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PostLoad {
    pub post: String,
    pub batches: i64,
    pub persons: i64,
    pub pending: i64,
    pub interviewed: i64,
    pub done: i64,
}

/// When the facts were last rebuilt, how long it took, and what they hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct StatState {
    pub refreshed_at: Option<DateTime<Utc>>,
    pub took_ms: i64,
    pub cases: i64,
    pub persons: i64,
    pub encounters: i64,
}

#[async_trait]
pub trait StatsStore {
    /// Rebuild the fact tables from the records, in one transaction (readers see the old facts
    /// until it commits), with its audit entry.
    async fn refresh_statistics(
        &self,
        refdata: &ReferenceData,
        stats: &StatisticsReference,
        audit: AuditDraft,
    ) -> StoreResult<StatState>;

    async fn statistics_state(&self) -> StoreResult<StatState>;

    /// Counts of the query's measure, grouped by its dimensions, within the access given.
    async fn stat_counts(&self, access: &StatAccess, q: &StatQuery) -> StoreResult<Vec<StatRow>>;

    /// The cases of the query (measure `cases`) that reached at least an FIR, for the funnel.
    async fn stat_funnel(&self, access: &StatAccess, q: &StatQuery)
        -> StoreResult<Vec<FunnelCase>>;

    /// Batches and persons per receiving post (measure `encounters`).
    async fn stat_workload(&self, access: &StatAccess, q: &StatQuery)
        -> StoreResult<Vec<PostLoad>>;
}
