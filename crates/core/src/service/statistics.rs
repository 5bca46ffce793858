//! Statistics, dashboards and the standard reports. Every count goes through [`Nigehban::count`]:
//! the policy decides whose records it may draw on (an analyst's agency, a supervisor's unit),
//! the place asked for must lie within that reach, and TIP and SOM are always counted apart
//! (a count that is not filtered to one crime type is broken down by it). Counts carry no
//! names and no record ids; each read is audited.

use super::*;
use crate::stats_store::{FunnelCase, PostLoad, StatAccess, StatRow, StatState};
use nigehban_domain::statistics::{
    embedded_reports, Dimension, Measure, Period, Place, ReportDef, ReportPeriod, StatQuery,
    StatQueryInput, StatisticsReference,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// The statistics reference data, parsed once. The binary checks it at start
/// ([`check_statistics_reference`]), so a bad file never reaches a user.
fn stats_ref() -> Result<&'static (StatisticsReference, Vec<ReportDef>), CoreError> {
    static REF: OnceLock<Result<(StatisticsReference, Vec<ReportDef>), String>> = OnceLock::new();
    REF.get_or_init(|| {
        let s = StatisticsReference::embedded().map_err(|e| e.join("; "))?;
        let r = embedded_reports(&s).map_err(|e| e.join("; "))?;
        Ok((s, r))
    })
    .as_ref()
    .map_err(|e| {
        CoreError::Store(StoreError::Corrupt(format!(
            "statistics reference data: {e}"
        )))
    })
}

/// Check the statistics and report definitions (`statistics.toml`, `reports.toml`), listing
/// every problem: called at start.
pub fn check_statistics_reference() -> Result<(), Vec<String>> {
    let s = StatisticsReference::embedded()?;
    embedded_reports(&s)?;
    Ok(())
}

/// A count broken down by its dimensions.
#[derive(Debug, Clone, Serialize)]
pub struct StatTable {
    pub query: StatQuery,
    pub rows: Vec<StatRow>,
    pub total: i64,
    pub state: StatState,
}

/// One crime type's way from FIR to conviction, for cases registered in the period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelRow {
    pub crime_type: String,
    pub fir: i64,
    pub challan: i64,
    pub trial: i64,
    pub judgment: i64,
    pub convicted: i64,
    /// Share of the previous stage that reached this one (challan, trial, conviction).
    pub challan_rate: Option<f64>,
    pub trial_rate: Option<f64>,
    pub conviction_rate: Option<f64>,
    /// Median days between stages.
    pub days_fir_challan: Option<i64>,
    pub days_challan_trial: Option<i64>,
    pub days_trial_judgment: Option<i64>,
}

/// A dashboard question: the period, the place and, optionally, one crime type.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize)]
#[serde(default)]
pub struct DashboardInput {
    pub from: Option<String>,
    pub to: Option<String>,
    pub place: Option<String>,
    pub crime_type: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub period: Period,
    pub place: Place,
    /// Cases registered by month and crime type.
    pub cases_by_month: StatTable,
    /// Victims and smuggled migrants named in cases, by month.
    pub victims_by_month: StatTable,
    pub migrants_by_month: StatTable,
    pub funnel: Vec<FunnelRow>,
    /// Persons received at intake by origin district and route (exit point > destination).
    pub routes: StatTable,
    /// Victims, smuggled migrants and persons received, by district of origin, most first.
    pub sources: Vec<SourceDistrict>,
    pub workload: Vec<PostLoad>,
    pub state: StatState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceDistrict {
    pub district: String,
    pub province: String,
    pub victims: i64,
    pub migrants: i64,
    pub encounters: i64,
    pub total: i64,
}

/// A standard report's table, as rows by columns.
#[derive(Debug, Clone, Serialize)]
pub struct ReportTable {
    pub code: String,
    pub measure: Measure,
    pub rows_dim: Dimension,
    pub columns_dim: Option<Dimension>,
    pub row_keys: Vec<String>,
    pub column_keys: Vec<String>,
    /// `cells[row][column]`.
    pub cells: Vec<Vec<i64>>,
    pub row_totals: Vec<i64>,
    pub column_totals: Vec<i64>,
    pub total: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub code: String,
    pub period: Period,
    pub place: Place,
    pub tables: Vec<ReportTable>,
    pub state: StatState,
}

/// A report asked for: which one, its period (a month `YYYY-MM` or a year `YYYY`) and place.
#[derive(Debug, Clone, Default, serde::Deserialize, Serialize)]
#[serde(default)]
pub struct ReportInput {
    pub period: Option<String>,
    pub place: Option<String>,
}

fn median(mut v: Vec<i64>) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    v.get(v.len() / 2).copied()
}

fn rate(n: i64, of: i64) -> Option<f64> {
    (of > 0).then(|| n as f64 / of as f64)
}

/// The funnel of each crime type from the cases that reached an FIR.
pub fn funnel_rows(cases: &[FunnelCase]) -> Vec<FunnelRow> {
    // TIP first, then SOM, then the related offences, in the order of the closed set.
    let order = |ct: &str| {
        nigehban_domain::crime::CrimeType::ALL
            .iter()
            .position(|c| c.as_str() == ct)
            .unwrap_or(usize::MAX)
    };
    let mut by: BTreeMap<(usize, &str), Vec<&FunnelCase>> = BTreeMap::new();
    for c in cases {
        by.entry((order(&c.crime_type), c.crime_type.as_str()))
            .or_default()
            .push(c);
    }
    by.into_iter()
        .map(|((_, ct), cs)| (ct, cs))
        .map(|(ct, cs)| {
            let n = |f: &dyn Fn(&FunnelCase) -> bool| cs.iter().filter(|c| f(c)).count() as i64;
            let fir = cs.len() as i64;
            let challan = n(&|c| c.challan.is_some());
            let trial = n(&|c| c.trial.is_some());
            let judgment = n(&|c| c.judgment.is_some());
            let convicted = n(&|c| c.convicted);
            let gaps = |a: fn(&FunnelCase) -> Option<i64>, b: fn(&FunnelCase) -> Option<i64>| {
                median(
                    cs.iter()
                        .filter_map(|c| Some(b(c)? - a(c)?))
                        .filter(|d| *d >= 0)
                        .collect(),
                )
            };
            FunnelRow {
                crime_type: ct.to_string(),
                fir,
                challan,
                trial,
                judgment,
                convicted,
                challan_rate: rate(challan, fir),
                trial_rate: rate(trial, challan),
                conviction_rate: rate(convicted, judgment),
                days_fir_challan: gaps(|c| c.fir, |c| c.challan),
                days_challan_trial: gaps(|c| c.challan, |c| c.trial),
                days_trial_judgment: gaps(|c| c.trial, |c| c.judgment),
            }
        })
        .collect()
}

/// Lay a count grouped by (rows[, columns]) out as a table with totals. Row and column keys
/// are sorted; a row or column with nothing in it does not appear.
pub fn pivot(
    code: &str,
    measure: Measure,
    rows_dim: Dimension,
    columns_dim: Option<Dimension>,
    counts: &[StatRow],
    total: i64,
) -> ReportTable {
    let row_keys: Vec<String> = counts
        .iter()
        .filter_map(|r| r.keys.first().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let column_keys: Vec<String> = match columns_dim {
        Some(_) => counts
            .iter()
            .filter_map(|r| r.keys.get(1).cloned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        None => Vec::new(),
    };
    let mut cells = vec![vec![0i64; column_keys.len().max(1)]; row_keys.len()];
    for r in counts {
        let Some(ri) = r
            .keys
            .first()
            .and_then(|k| row_keys.iter().position(|x| x == k))
        else {
            continue;
        };
        let ci = match columns_dim {
            Some(_) => match r
                .keys
                .get(1)
                .and_then(|k| column_keys.iter().position(|x| x == k))
            {
                Some(ci) => ci,
                None => continue,
            },
            None => 0,
        };
        if let Some(cell) = cells.get_mut(ri).and_then(|row| row.get_mut(ci)) {
            *cell += r.count;
        }
    }
    let row_totals = cells.iter().map(|r| r.iter().sum()).collect();
    let column_totals = (0..column_keys.len().max(1))
        .map(|ci| cells.iter().filter_map(|r| r.get(ci)).sum())
        .collect();
    ReportTable {
        code: code.to_string(),
        measure,
        rows_dim,
        columns_dim,
        row_keys,
        column_keys,
        cells,
        row_totals,
        column_totals,
        total,
    }
}

impl Nigehban {
    /// The records an actor's counts may draw on, and the check that the place asked for lies
    /// within them (a refusal names the place, in the `place` field).
    async fn stat_access(
        &self,
        actor: &Actor,
        place: &Place,
        action: &str,
    ) -> Result<StatAccess, CoreError> {
        let scope = self
            .authorize(actor, Action::ViewStatistics, action, "statistics", None)
            .await?;
        let outside = || -> CoreError {
            ValidationErrors::single(
                "place",
                Problem::OutsideAccess {
                    value: place.code(),
                },
            )
            .into()
        };
        let unit_of = |code: &str| self.refdata.units.iter().find(|u| u.code == code);
        match actor.role {
            UserRole::Supervisor => {
                let own = unit_of(&actor.unit_code);
                let district = own.map(|u| u.district.as_str()).unwrap_or_default();
                let province = self
                    .refdata
                    .district(district)
                    .map(|d| d.province.as_str())
                    .unwrap_or_default();
                let inside = match place {
                    Place::Nation => true,
                    Place::Unit(u) => *u == actor.unit_code,
                    Place::District(d) => d == district,
                    Place::Province(p) => p == province,
                };
                if !inside {
                    return Err(outside());
                }
                Ok(StatAccess {
                    agency: None,
                    unit: Some(actor.unit_code.clone()),
                })
            }
            _ => {
                // The agency compiling the national returns counts every agency's records.
                let national = self
                    .refdata
                    .agency(&scope.agency)
                    .is_some_and(|a| a.national_statistics);
                if let Place::Unit(u) = place {
                    if unit_of(u).is_none_or(|u| !national && u.agency != scope.agency) {
                        return Err(outside());
                    }
                }
                Ok(StatAccess {
                    agency: (!national).then(|| scope.agency.clone()),
                    unit: None,
                })
            }
        }
    }

    /// TIP and SOM apart: a count of a measure that knows the crime type, not filtered to one
    /// crime type, is broken down by it first.
    fn apart(q: &mut StatQuery, stats: &StatisticsReference) {
        let single = q
            .filters
            .get(&Dimension::CrimeType)
            .is_some_and(|v| v.len() == 1);
        if stats.applies(q.measure, Dimension::CrimeType)
            && !single
            && !q.group.contains(&Dimension::CrimeType)
        {
            q.group.insert(0, Dimension::CrimeType);
        }
    }

    /// A count with its total. The total is its own question (a person counted under two
    /// forms is one person in the total), asked alongside the breakdown rather than after it.
    async fn table(&self, access: &StatAccess, q: StatQuery) -> Result<StatTable, CoreError> {
        self.tables(access, vec![q]).await?.pop().ok_or_else(|| {
            StoreError::Corrupt("a statistics question went unanswered".into()).into()
        })
    }

    /// Several counts with their totals: every question asked at once (the pool
    /// has a connection for each, so a report takes as long as its slowest table rather than the
    /// sum), and a total shared by several tables (the same measure, period, place and filters)
    /// asked once.
    async fn tables(
        &self,
        access: &StatAccess,
        questions: Vec<StatQuery>,
    ) -> Result<Vec<StatTable>, CoreError> {
        let total_of = |q: &StatQuery| StatQuery {
            group: Vec::new(),
            ..q.clone()
        };
        let mut totals: Vec<StatQuery> = Vec::new();
        for q in &questions {
            let total = total_of(q);
            if !totals.contains(&total) {
                totals.push(total);
            }
        }
        let (rows, total_rows) = futures::try_join!(
            futures::future::try_join_all(
                questions.iter().map(|q| self.store.stat_counts(access, q))
            ),
            futures::future::try_join_all(totals.iter().map(|t| self.store.stat_counts(access, t))),
        )?;
        Ok(questions
            .into_iter()
            .zip(rows)
            .map(|(q, rows)| {
                let mine = total_of(&q);
                let total = totals
                    .iter()
                    .zip(&total_rows)
                    .find(|(t, _)| **t == mine)
                    .and_then(|(_, r)| r.first())
                    .map_or(0, |r| r.count);
                StatTable {
                    query: q,
                    rows,
                    total,
                    state: StatState::default(),
                }
            })
            .collect())
    }

    /// One statistics question: a measure over a period and place, filtered and broken down.
    pub async fn statistics(
        &self,
        actor: &Actor,
        input: &StatQueryInput,
    ) -> Result<StatTable, CoreError> {
        // Refused before the question is even read: a refusal says nothing of the data.
        self.authorize(
            actor,
            Action::ViewStatistics,
            "statistics.query",
            "statistics",
            None,
        )
        .await?;
        let (stats, _) = stats_ref()?;
        let mut q = input.validate(&self.refdata, stats, Utc::now().date_naive())?;
        let access = self
            .stat_access(actor, &q.place, "statistics.query")
            .await?;
        Self::apart(&mut q, stats);
        let mut table = self.table(&access, q).await?;
        table.state = self.store.statistics_state().await?;
        self.store
            .append_audit(
                AuditDraft::new(
                    &Principal::User(actor.clone()),
                    "statistics.query",
                    "statistics",
                    None,
                )
                .detail(json!({"query": table.query, "total": table.total})),
            )
            .await?;
        Ok(table)
    }

    /// The monitoring dashboard: trends, the case funnel, routes, source districts and the
    /// workload of receiving posts, for a period and place.
    pub async fn dashboard(
        &self,
        actor: &Actor,
        input: &DashboardInput,
    ) -> Result<Dashboard, CoreError> {
        // Refused before the question is even read: a refusal says nothing of the data.
        self.authorize(
            actor,
            Action::ViewStatistics,
            "statistics.dashboard",
            "statistics",
            None,
        )
        .await?;
        let (stats, _) = stats_ref()?;
        let mut filter = Vec::new();
        if let Some(ct) = input
            .crime_type
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            filter.push(format!("crime_type={ct}"));
        }
        let base = StatQueryInput {
            measure: Some("cases".into()),
            from: input.from.clone(),
            to: input.to.clone(),
            place: input.place.clone(),
            group: Vec::new(),
            filter: filter.clone(),
        };
        let today = Utc::now().date_naive();
        let q = base.validate(&self.refdata, stats, today)?;
        if let Some(values) = q.filters.get(&Dimension::CrimeType) {
            for v in values {
                if nigehban_domain::crime::CrimeType::parse(v).is_none() {
                    return Err(ValidationErrors::single(
                        "crime_type",
                        Problem::UnknownCode { value: v.clone() },
                    )
                    .into());
                }
            }
        }
        let access = self
            .stat_access(actor, &q.place, "statistics.dashboard")
            .await?;
        let with = |measure: Measure, group: Vec<Dimension>| {
            let mut q = StatQuery {
                measure,
                group,
                ..q.clone()
            };
            Self::apart(&mut q, stats);
            q
        };
        // Routes and sources count persons, whatever crime type they were counted under.
        let plain = |measure: Measure, group: Vec<Dimension>| StatQuery {
            measure,
            group,
            ..q.clone()
        };
        let source_qs = [
            plain(Measure::Victims, vec![Dimension::OriginDistrict]),
            plain(Measure::SmuggledMigrants, vec![Dimension::OriginDistrict]),
            plain(Measure::Encounters, vec![Dimension::OriginDistrict]),
        ];
        let workload_q = plain(Measure::Encounters, Vec::new());
        // The panels are independent questions, asked at once.
        let (
            cases_by_month,
            victims_by_month,
            migrants_by_month,
            funnel,
            routes,
            source_counts,
            workload,
        ) = futures::try_join!(
            self.table(&access, with(Measure::Cases, vec![Dimension::Month])),
            self.table(&access, with(Measure::Victims, vec![Dimension::Month])),
            self.table(
                &access,
                with(Measure::SmuggledMigrants, vec![Dimension::Month]),
            ),
            async { Ok::<_, CoreError>(self.store.stat_funnel(&access, &q).await?) },
            self.table(
                &access,
                plain(
                    Measure::Encounters,
                    vec![Dimension::OriginDistrict, Dimension::Route],
                ),
            ),
            async {
                Ok::<_, CoreError>(
                    futures::future::try_join_all(
                        source_qs
                            .iter()
                            .map(|sq| self.store.stat_counts(&access, sq)),
                    )
                    .await?,
                )
            },
            async { Ok::<_, CoreError>(self.store.stat_workload(&access, &workload_q).await?) },
        )?;
        let funnel = funnel_rows(&funnel);
        let mut sources: BTreeMap<String, SourceDistrict> = BTreeMap::new();
        for (slot, counts) in source_counts.iter().enumerate() {
            for r in counts {
                let Some(d) = r.keys.first() else { continue };
                if d == nigehban_domain::statistics::UNKNOWN {
                    continue;
                }
                let e = sources.entry(d.clone()).or_insert_with(|| SourceDistrict {
                    district: d.clone(),
                    province: self
                        .refdata
                        .district(d)
                        .map(|x| x.province.clone())
                        .unwrap_or_default(),
                    victims: 0,
                    migrants: 0,
                    encounters: 0,
                    total: 0,
                });
                match slot {
                    0 => e.victims += r.count,
                    1 => e.migrants += r.count,
                    _ => e.encounters += r.count,
                }
                e.total += r.count;
            }
        }
        let mut sources: Vec<SourceDistrict> = sources.into_values().collect();
        sources.sort_by(|a, b| b.total.cmp(&a.total).then(a.district.cmp(&b.district)));
        let state = self.store.statistics_state().await?;
        self.store
            .append_audit(
                AuditDraft::new(
                    &Principal::User(actor.clone()),
                    "statistics.dashboard",
                    "statistics",
                    None,
                )
                .detail(json!({"from": q.period.from, "to": q.period.to, "place": q.place.code(), "crime_type": input.crime_type})),
            )
            .await?;
        Ok(Dashboard {
            period: q.period,
            place: q.place,
            cases_by_month,
            victims_by_month,
            migrants_by_month,
            funnel,
            routes,
            sources,
            workload,
            state,
        })
    }

    /// The standard reports there are.
    pub fn report_definitions(&self) -> Result<&'static [ReportDef], CoreError> {
        Ok(stats_ref()?.1.as_slice())
    }

    /// A standard report for a period (a month `YYYY-MM` for monthly reports, a year `YYYY` for
    /// yearly ones) and a place.
    pub async fn report(
        &self,
        actor: &Actor,
        code: &str,
        input: &ReportInput,
    ) -> Result<Report, CoreError> {
        // Refused before the question is even read: a refusal says nothing of the data.
        self.authorize(
            actor,
            Action::ViewStatistics,
            "statistics.report",
            "statistics",
            None,
        )
        .await?;
        let (stats, reports) = stats_ref()?;
        let def = reports
            .iter()
            .find(|r| r.code == code)
            .ok_or(CoreError::NotFound)?;
        let today = Utc::now().date_naive();
        let text = input.period.as_deref().map(str::trim).unwrap_or("");
        let bad = |p: Problem| -> CoreError { ValidationErrors::single("period", p).into() };
        let period = match def.period {
            ReportPeriod::Year => {
                let y: i32 = if text.is_empty() {
                    today.year()
                } else {
                    text.parse().map_err(|_| bad(Problem::InvalidDate))?
                };
                Period::year(y).ok_or_else(|| bad(Problem::InvalidDate))?
            }
            ReportPeriod::Month => {
                let (y, m) = if text.is_empty() {
                    (today.year(), today.month())
                } else {
                    let (y, m) = text
                        .split_once('-')
                        .ok_or_else(|| bad(Problem::InvalidDate))?;
                    (
                        y.parse().map_err(|_| bad(Problem::InvalidDate))?,
                        m.parse().map_err(|_| bad(Problem::InvalidDate))?,
                    )
                };
                Period::month(y, m).ok_or_else(|| bad(Problem::InvalidDate))?
            }
        };
        if period.from > today {
            return Err(bad(Problem::DateInFuture));
        }
        let place = Place::parse(input.place.as_deref().unwrap_or(""), &self.refdata)
            .map_err(|p| CoreError::from(ValidationErrors::single("place", p)))?;
        let access = self.stat_access(actor, &place, "statistics.report").await?;
        let mut questions = Vec::new();
        for t in &def.tables {
            let q = StatQueryInput {
                measure: Some(t.measure.as_str().into()),
                from: Some(period.from.to_string()),
                to: Some(period.to.to_string()),
                place: Some(place.code()),
                group: std::iter::once(t.rows)
                    .chain(t.columns)
                    .map(|d| d.as_str().to_string())
                    .collect(),
                filter: t.filters.clone(),
            }
            .validate(&self.refdata, stats, today)?;
            questions.push(q);
        }
        let answers = self.tables(&access, questions).await?;
        let tables = def
            .tables
            .iter()
            .zip(&answers)
            .map(|(t, table)| {
                pivot(
                    &t.code,
                    t.measure,
                    t.rows,
                    t.columns,
                    &table.rows,
                    table.total,
                )
            })
            .collect();
        let state = self.store.statistics_state().await?;
        self.store
            .append_audit(
                AuditDraft::new(
                    &Principal::User(actor.clone()),
                    "statistics.report",
                    "statistics",
                    Some(code.to_string()),
                )
                .detail(json!({"from": period.from, "to": period.to, "place": place.code()})),
            )
            .await?;
        Ok(Report {
            code: def.code.clone(),
            period,
            place,
            tables,
            state,
        })
    }

    /// Rebuild the statistics facts from the records (at start, on a timer, on request).
    pub async fn refresh_statistics(&self, by: &Principal) -> Result<StatState, CoreError> {
        if let Principal::User(actor) = by {
            self.authorize(
                actor,
                Action::ViewStatistics,
                "statistics.refresh",
                "statistics",
                None,
            )
            .await?;
        }
        let (stats, _) = stats_ref()?;
        let draft = AuditDraft::new(by, "statistics.refresh", "statistics", None);
        Ok(self
            .store
            .refresh_statistics(&self.refdata, stats, draft)
            .await?)
    }

    /// When the facts were last rebuilt.
    pub async fn statistics_state(&self) -> Result<StatState, CoreError> {
        Ok(self.store.statistics_state().await?)
    }

    /// A count for the system itself (benchmarks, the command line): the whole nation, no user.
    pub async fn statistics_as_system(
        &self,
        input: &StatQueryInput,
    ) -> Result<StatTable, CoreError> {
        let (stats, _) = stats_ref()?;
        let mut q = input.validate(&self.refdata, stats, Utc::now().date_naive())?;
        Self::apart(&mut q, stats);
        self.table(&StatAccess::default(), q).await
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn case(
        ct: &str,
        fir: i64,
        challan: Option<i64>,
        trial: Option<i64>,
        judgment: Option<i64>,
        convicted: bool,
    ) -> FunnelCase {
        FunnelCase {
            crime_type: ct.into(),
            fir: Some(fir),
            challan,
            trial,
            judgment,
            convicted,
        }
    }

    #[test]
    fn the_funnel_counts_rates_and_median_days_per_crime_type() {
        let rows = funnel_rows(&[
            case("tip", 0, Some(10), Some(40), Some(100), true),
            case("tip", 0, Some(20), Some(50), Some(200), false),
            case("tip", 0, Some(30), None, None, false),
            case("tip", 0, None, None, None, false),
            case("som", 5, None, None, None, false),
        ]);
        assert_eq!(rows.len(), 2);
        let som = &rows[1];
        assert_eq!(
            (som.crime_type.as_str(), som.fir, som.challan),
            ("som", 1, 0)
        );
        assert_eq!(som.trial_rate, None);
        let tip = &rows[0];
        assert_eq!(
            (tip.fir, tip.challan, tip.trial, tip.judgment, tip.convicted),
            (4, 3, 2, 2, 1)
        );
        assert_eq!(tip.challan_rate, Some(0.75));
        assert_eq!(tip.conviction_rate, Some(0.5));
        assert_eq!(tip.days_fir_challan, Some(20));
        assert_eq!(tip.days_challan_trial, Some(30));
    }

    #[test]
    fn a_pivot_puts_every_count_in_its_cell_with_totals() {
        let counts = vec![
            StatRow {
                keys: vec!["child".into(), "female".into()],
                count: 3,
            },
            StatRow {
                keys: vec!["adult".into(), "female".into()],
                count: 5,
            },
            StatRow {
                keys: vec!["adult".into(), "male".into()],
                count: 7,
            },
        ];
        let t = pivot(
            "t",
            Measure::Victims,
            Dimension::Minor,
            Some(Dimension::Sex),
            &counts,
            15,
        );
        assert_eq!(t.row_keys, ["adult", "child"]);
        assert_eq!(t.column_keys, ["female", "male"]);
        assert_eq!(t.cells, vec![vec![5, 7], vec![3, 0]]);
        assert_eq!(t.row_totals, [12, 3]);
        assert_eq!(t.column_totals, [8, 7]);
    }
}
