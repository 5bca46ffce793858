//! The JSON API of statistics: counts of a measure over a period and place, broken down by up
//! to two dimensions (TIP and SOM always apart), the dashboard's figures, and the standard
//! reports. Codes, not labels: a client labels them in its own language.

use crate::api::{ApiCtx, ApiResult};
use axum::extract::Path;
use axum::Json;
use axum_extra::extract::Query;
use nigehban_core::service::{DashboardInput, ReportInput};
use nigehban_domain::statistics::StatQueryInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct StatParams {
    /// cases (default), victims, smuggled_migrants, suspects, prosecuted, convicted or encounters.
    measure: Option<String>,
    /// First day, `YYYY-MM-DD` or `YYYY-MM` (default: 1 January of the end's year).
    from: Option<String>,
    /// Last day, `YYYY-MM-DD` or `YYYY-MM` (default: today).
    to: Option<String>,
    /// nation (default), `province:CODE`, `district:CODE` or `unit:CODE`.
    place: Option<String>,
    /// Breakdowns (repeat, at most two): crime_type, form, provision, provision_prosecuted, act,
    /// stage, agency, unit, province, district, sex, age_band, minor, nationality,
    /// origin_province, origin_district, chain_role, post, batch_kind, status, outcome, route,
    /// mode, transit_country, destination_country, year, quarter, month.
    group: Vec<String>,
    /// Filters as `dimension=value` (repeat).
    filter: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StatRowOut {
    /// The values of the breakdowns, in order (crime type first when not filtered to one).
    keys: Vec<String>,
    count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct StatTableOut {
    measure: String,
    from: String,
    to: String,
    place: String,
    group: Vec<String>,
    rows: Vec<StatRowOut>,
    total: i64,
    /// When the figures were last rebuilt (RFC 3339), if ever.
    refreshed_at: Option<String>,
}

/// Counts of a measure, broken down; only the caller's agency (analysts) or unit (supervisors).
#[utoipa::path(get, path = "/api/v1/statistics", params(StatParams),
    responses((status = 200, body = StatTableOut), (status = 403, body = crate::api::ErrorOut), (status = 422, body = crate::api::ErrorOut)))]
pub async fn statistics(ctx: ApiCtx, Query(p): Query<StatParams>) -> ApiResult<Json<StatTableOut>> {
    let input = StatQueryInput {
        measure: p.measure,
        from: p.from,
        to: p.to,
        place: p.place,
        group: p.group,
        filter: p.filter,
    };
    let t = ctx
        .state
        .app
        .statistics(&ctx.actor, &input)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(StatTableOut {
        measure: t.query.measure.as_str().into(),
        from: t.query.period.from.to_string(),
        to: t.query.period.to.to_string(),
        place: t.query.place.code(),
        group: t
            .query
            .group
            .iter()
            .map(|d| d.as_str().to_string())
            .collect(),
        rows: t
            .rows
            .into_iter()
            .map(|r| StatRowOut {
                keys: r.keys,
                count: r.count,
            })
            .collect(),
        total: t.total,
        refreshed_at: t.state.refreshed_at.map(|a| a.to_rfc3339()),
    }))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct DashboardParams {
    from: Option<String>,
    to: Option<String>,
    place: Option<String>,
    /// One crime type (tip, som, ...), or none for each apart.
    crime_type: Option<String>,
}

/// The dashboard's figures: counts by month, the FIR-to-conviction funnel with conversion
/// rates and median days, routes, source districts and the workload of receiving posts.
#[utoipa::path(get, path = "/api/v1/statistics/dashboard", params(DashboardParams),
    responses((status = 200, description = "The dashboard as JSON"), (status = 403, body = crate::api::ErrorOut), (status = 422, body = crate::api::ErrorOut)))]
pub async fn dashboard(
    ctx: ApiCtx,
    Query(p): Query<DashboardParams>,
) -> ApiResult<Json<serde_json::Value>> {
    let d = ctx
        .state
        .app
        .dashboard(
            &ctx.actor,
            &DashboardInput {
                from: p.from,
                to: p.to,
                place: p.place,
                crime_type: p.crime_type,
            },
        )
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(serde_json::to_value(&d).unwrap_or_default()))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct ReportParams {
    /// `YYYY-MM` for the monthly return, `YYYY` for the yearly reports.
    period: Option<String>,
    place: Option<String>,
}

/// A standard report (monthly_return, unodc_glotip, us_tip): its tables as rows by columns.
#[utoipa::path(get, path = "/api/v1/reports/{code}", params(("code" = String, Path), ReportParams),
    responses((status = 200, description = "The report as JSON"), (status = 404, body = crate::api::ErrorOut), (status = 422, body = crate::api::ErrorOut)))]
pub async fn report(
    ctx: ApiCtx,
    Path(code): Path<String>,
    Query(p): Query<ReportParams>,
) -> ApiResult<Json<serde_json::Value>> {
    let r = ctx
        .state
        .app
        .report(
            &ctx.actor,
            &code,
            &ReportInput {
                period: p.period,
                place: p.place,
            },
        )
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(serde_json::to_value(&r).unwrap_or_default()))
}
