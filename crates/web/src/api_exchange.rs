//! The JSON API of data exchange: the HTCDS export of a period (the file itself), the import of
//! an HTCDS file sent as the request body (a JSON report), and the anonymised CTDC release (a
//! JSON summary with the released table, or the refusal).

use crate::api::{ApiCtx, ApiResult};
use axum::body::Bytes;
use axum::extract::Query;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use nigehban_core::service::PeriodInput;
use nigehban_exchange::FileFormat;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
pub struct ExportParams {
    /// First offence date (YYYY-MM-DD).
    from: String,
    /// Last offence date (YYYY-MM-DD).
    to: String,
    /// csv (default), xlsx or json.
    format: Option<String>,
}

/// The cases the user sees whose offence date falls in the period, as an HTCDS v2.0 file (one
/// row per person in a case; protected identities withheld unless revealed). Audited.
#[utoipa::path(get, path = "/api/v1/exchange/htcds", params(ExportParams),
    responses((status = 200, description = "The HTCDS file", content_type = "text/csv"),
        (status = 403, body = crate::api::ErrorOut), (status = 422, body = crate::api::ErrorOut)))]
pub async fn htcds_export(ctx: ApiCtx, Query(q): Query<ExportParams>) -> ApiResult<Response> {
    let format = q
        .format
        .as_deref()
        .and_then(FileFormat::parse)
        .unwrap_or(FileFormat::Csv);
    let period = PeriodInput {
        from: Some(q.from),
        to: Some(q.to),
    };
    let out = ctx
        .state
        .app
        .export_htcds(&ctx.actor, &period, format)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok((
        [
            (header::CONTENT_TYPE, out.format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", out.file_name),
            ),
        ],
        out.bytes,
    )
        .into_response())
}

#[derive(Deserialize, IntoParams)]
pub struct ImportParams {
    /// The file's name, for the report (default `htcds`).
    file_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LocatedOut {
    row: Option<usize>,
    column: Option<String>,
    header: Option<String>,
    code: String,
    /// The problem with its location, in the request's language.
    message: String,
}

#[derive(Serialize, ToSchema)]
pub struct UnmappedOut {
    row: usize,
    column: String,
    header: String,
    value: String,
    /// no_field or no_value.
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportOut {
    /// Nothing is imported from a file with a problem.
    imported: bool,
    rows: usize,
    cases_in_file: usize,
    /// Case numbers given to the cases added.
    added: Vec<String>,
    /// HTCDS ids of cases already here.
    skipped: Vec<String>,
    persons_added: usize,
    problems: Vec<LocatedOut>,
    warnings: Vec<LocatedOut>,
    /// Values without a Nigehban field: kept with their case and written back on export.
    unmapped: Vec<UnmappedOut>,
}

/// Import an HTCDS file (CSV, XLSX or JSON) sent as the request body into the user's unit: all
/// or nothing, and cases known by their HTCDS id are skipped. Audited.
#[utoipa::path(post, path = "/api/v1/exchange/htcds", params(ImportParams),
    request_body(content = Vec<u8>, description = "The HTCDS file", content_type = "application/octet-stream"),
    responses((status = 200, body = ImportOut), (status = 422, body = ImportOut), (status = 403, body = crate::api::ErrorOut)))]
pub async fn htcds_import(
    ctx: ApiCtx,
    Query(q): Query<ImportParams>,
    body: Bytes,
) -> ApiResult<Response> {
    ctx.state
        .app
        .may_import_htcds(&ctx.actor)
        .await
        .map_err(|e| ctx.err(e))?;
    let name = q.file_name.unwrap_or_else(|| "htcds".to_string());
    let r = ctx
        .state
        .app
        .import_htcds(&ctx.actor, &name, &body)
        .await
        .map_err(|e| ctx.err(e))?;
    let located = |p: &nigehban_sheets::LocatedProblem| LocatedOut {
        row: p.row,
        column: p.column.clone(),
        header: p.header.clone(),
        code: p.code.clone(),
        message: p.describe(&ctx.tr.cat, ctx.tr.lang),
    };
    let out = ImportOut {
        imported: r.imported(),
        rows: r.rows,
        cases_in_file: r.cases_in_file,
        added: r.written.added.iter().map(|(_, n)| n.to_string()).collect(),
        skipped: r.written.skipped.clone(),
        persons_added: r.written.persons_added,
        problems: r.problems.iter().map(located).collect(),
        warnings: r.warnings.iter().map(located).collect(),
        unmapped: r
            .unmapped
            .iter()
            .map(|u| UnmappedOut {
                row: u.row,
                column: u.column.clone(),
                header: u.header.clone(),
                value: u.value.clone(),
                reason: match u.reason {
                    nigehban_exchange::htcds::UnmappedReason::NoField => "no_field".into(),
                    nigehban_exchange::htcds::UnmappedReason::NoValue => "no_value".into(),
                },
            })
            .collect(),
    };
    let status = if out.imported {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(out)).into_response())
}

#[derive(Deserialize, IntoParams)]
pub struct CtdcParams {
    from: String,
    to: String,
    /// The smallest group (default 5, at least 2).
    k: Option<usize>,
    /// Suppress what is needed to reach k (default true); false refuses instead.
    suppress: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct CtdcOut {
    released: bool,
    k: usize,
    victims: usize,
    rows: usize,
    classes: usize,
    smallest_class: usize,
    /// Cells set to unknown, per quasi-identifier.
    cells_suppressed: std::collections::BTreeMap<String, usize>,
    records_suppressed: usize,
    /// Why the release was refused (code and words), when it was.
    refused_code: Option<String>,
    refused: Option<String>,
    /// The released table as CSV (absent when refused).
    csv: Option<String>,
}

/// The anonymised victim table (CTDC variables) of the cases the user sees in the period,
/// refused unless k-anonymous over gender, age band, citizenship and country of exploitation.
#[utoipa::path(get, path = "/api/v1/exchange/ctdc", params(CtdcParams),
    responses((status = 200, body = CtdcOut), (status = 422, body = CtdcOut), (status = 403, body = crate::api::ErrorOut)))]
pub async fn ctdc(ctx: ApiCtx, Query(q): Query<CtdcParams>) -> ApiResult<Response> {
    let period = PeriodInput {
        from: Some(q.from),
        to: Some(q.to),
    };
    let o = ctx
        .state
        .app
        .release_ctdc(
            &ctx.actor,
            &period,
            q.k.unwrap_or(nigehban_exchange::ctdc::DEFAULT_K),
            q.suppress.unwrap_or(true),
            FileFormat::Csv,
        )
        .await
        .map_err(|e| ctx.err(e))?;
    let out = CtdcOut {
        released: o.refused.is_none(),
        k: o.k,
        victims: o.victims,
        rows: o.rows,
        classes: o.classes,
        smallest_class: o.smallest_class,
        cells_suppressed: o.suppression.cells.clone(),
        records_suppressed: o.suppression.records,
        refused_code: o.refused.as_ref().map(|r| r.message_id().to_string()),
        refused: o
            .refused
            .as_ref()
            .map(|r| ctx.tr.ta(r.message_id(), &r.args())),
        csv: o.bytes.as_deref().map(|b| {
            String::from_utf8_lossy(b)
                .trim_start_matches('\u{feff}')
                .to_string()
        }),
    };
    let status = if out.released {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(out)).into_response())
}
