//! The data exchange page: the HTCDS export (period, format) and import (upload, with the report
//! of unmapped values and located errors), and the anonymised CTDC release (k, period; the
//! suppression summary or the refusal). Every decision is the core's; these handlers translate.

use crate::ctx::{urlencode, Ctx};
use crate::pages::render;
use crate::views::*;
use askama::Template;
use axum::extract::{Multipart, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;
use nigehban_core::service::{CtdcOutcome, ExchangeRights, HtcdsImportReport, PeriodInput};
use nigehban_core::CoreError;
use nigehban_domain::error::ValidationErrors;
use nigehban_exchange::FileFormat;
use serde::Deserialize;

type PageResult = Result<Response, Response>;

pub struct Row4 {
    pub row: String,
    pub column: String,
    pub value: String,
    pub why: String,
}

pub struct CtdcView {
    pub ok: bool,
    pub message: String,
    pub download: String,
}

#[derive(Template)]
#[template(path = "exchange.html")]
struct ExchangePage {
    c: Chrome,
    rights: ExchangeRights,
    from: String,
    to: String,
    k: String,
    suppress: bool,
    errors: Vec<ErrorItem>,
    /// Import report: its summary (empty: no import) and whether the file was taken.
    import_summary: String,
    import_ok: bool,
    problems: Vec<Row4>,
    unmapped: Vec<Row4>,
    unmapped_heading: String,
    warnings: Vec<Row4>,
    ctdc: Option<CtdcView>,
}

fn default_period() -> (String, String) {
    let today = chrono::Utc::now().date_naive();
    (format!("{}-01-01", today.format("%Y")), today.to_string())
}

fn page(ctx: &Ctx, rights: ExchangeRights) -> ExchangePage {
    let (from, to) = default_period();
    ExchangePage {
        c: ctx.chrome(ctx.tr.t("exchange-title")),
        rights,
        from,
        to,
        k: nigehban_exchange::ctdc::DEFAULT_K.to_string(),
        suppress: true,
        errors: Vec::new(),
        import_summary: String::new(),
        import_ok: false,
        problems: Vec::new(),
        unmapped: Vec::new(),
        unmapped_heading: String::new(),
        warnings: Vec::new(),
        ctdc: None,
    }
}

/// Period problems named by the page's own labels.
fn period_errors(ctx: &Ctx, errs: &ValidationErrors) -> Vec<ErrorItem> {
    errs.iter()
        .map(|e| ErrorItem {
            field: e.field.clone(),
            label: ctx.tr.t(match e.field.as_str() {
                "from" => "exchange-from",
                "to" => "exchange-to",
                _ => "exchange-k",
            }),
            message: ctx.tr.ta(
                &format!("problem-{}", e.problem.code()),
                &e.problem
                    .args()
                    .into_iter()
                    .map(|(k, v)| {
                        let v = if v == "from" {
                            ctx.tr.t("exchange-from")
                        } else {
                            v
                        };
                        (k, v)
                    })
                    .collect::<Vec<_>>(),
            ),
        })
        .collect()
}

async fn rights(ctx: &Ctx) -> Result<ExchangeRights, Response> {
    ctx.state
        .app
        .exchange_rights(&ctx.actor)
        .await
        .map_err(|e| ctx.fail(e))
}

pub async fn exchange(ctx: Ctx) -> PageResult {
    let r = rights(&ctx).await?;
    Ok(render(StatusCode::OK, &page(&ctx, r)))
}

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    from: Option<String>,
    to: Option<String>,
    format: Option<String>,
    k: Option<String>,
    suppress: Option<String>,
}

fn format_of(raw: Option<&str>) -> FileFormat {
    raw.and_then(FileFormat::parse).unwrap_or(FileFormat::Csv)
}

fn download(file_name: &str, format: FileFormat, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, format.content_type().to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        bytes,
    )
        .into_response()
}

/// The page again with the period's problems next to the form.
fn invalid(
    ctx: &Ctx,
    rights: ExchangeRights,
    q: &ExportQuery,
    errs: &ValidationErrors,
) -> Response {
    let mut p = page(ctx, rights);
    p.from = q.from.clone().unwrap_or_default();
    p.to = q.to.clone().unwrap_or_default();
    p.errors = period_errors(ctx, errs);
    render(StatusCode::UNPROCESSABLE_ENTITY, &p)
}

/// The HTCDS file of the period, as an attachment.
pub async fn htcds_export(ctx: Ctx, Query(q): Query<ExportQuery>) -> PageResult {
    let period = PeriodInput {
        from: q.from.clone(),
        to: q.to.clone(),
    };
    let format = format_of(q.format.as_deref());
    match ctx
        .state
        .app
        .export_htcds(&ctx.actor, &period, format)
        .await
    {
        Ok(out) => Ok(download(&out.file_name, out.format, out.bytes)),
        Err(CoreError::Invalid(errs)) => {
            let r = rights(&ctx).await?;
            Err(invalid(&ctx, r, &q, &errs))
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

fn import_rows(ctx: &Ctx, report: &HtcdsImportReport) -> (Vec<Row4>, Vec<Row4>, Vec<Row4>) {
    let located = |p: &nigehban_sheets::LocatedProblem| Row4 {
        row: p.row.map(|r| r.to_string()).unwrap_or_default(),
        column: match (&p.column, &p.header) {
            (Some(c), Some(h)) => format!("{c} ({h})"),
            (Some(c), None) => c.clone(),
            (None, Some(h)) => h.clone(),
            (None, None) => String::new(),
        },
        value: String::new(),
        why: p.describe(&ctx.tr.cat, ctx.tr.lang),
    };
    let problems = report.problems.iter().map(located).collect();
    let warnings = report.warnings.iter().map(located).collect();
    let unmapped = report
        .unmapped
        .iter()
        .map(|u| Row4 {
            row: u.row.to_string(),
            column: format!("{} ({})", u.column, u.header),
            value: u.value.clone(),
            why: ctx.tr.t(u.reason.message_id()),
        })
        .collect();
    (problems, unmapped, warnings)
}

/// Take an uploaded HTCDS file; the page shows what was imported, every value kept without a
/// Nigehban field, or every problem that stopped the import.
pub async fn htcds_import(
    ctx: Ctx,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    // The policy decides before the upload is read: a refused user's file is never parsed.
    ctx.state
        .app
        .may_import_htcds(&ctx.actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let bad = |ctx: &Ctx| {
        ctx.fail(CoreError::Invalid(ValidationErrors::single(
            "file",
            nigehban_domain::Problem::Required,
        )))
    };
    let mut form = form.map_err(|_| bad(&ctx))?;
    let mut csrf = String::new();
    let mut file_name = String::new();
    let mut bytes = Vec::new();
    while let Some(field) = form.next_field().await.map_err(|_| bad(&ctx))? {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.map_err(|_| bad(&ctx))?,
            "file" => {
                file_name = field.file_name().unwrap_or("htcds").to_string();
                bytes = field.bytes().await.map_err(|_| bad(&ctx))?.to_vec();
            }
            _ => {}
        }
    }
    ctx.require_csrf(&csrf)?;
    let r = rights(&ctx).await?;
    if bytes.is_empty() {
        let mut p = page(&ctx, r);
        p.import_summary = ctx.tr.t("problem-required");
        return Err(render(StatusCode::UNPROCESSABLE_ENTITY, &p));
    }
    let report = ctx
        .state
        .app
        .import_htcds(&ctx.actor, &file_name, &bytes)
        .await
        .map_err(|e| ctx.fail(e))?;
    let mut p = page(&ctx, r);
    let t = |k: &str, a: &[(&str, String)]| ctx.tr.ta(k, a);
    let summary = if !report.imported() {
        t(
            "exchange-import-refused",
            &[
                ("file", report.file.clone()),
                ("problems", report.problems.len().to_string()),
            ],
        )
    } else if report.written.added.is_empty() {
        t(
            "exchange-import-nothing-new",
            &[
                ("file", report.file.clone()),
                ("skipped", report.written.skipped.len().to_string()),
            ],
        )
    } else {
        let numbers: Vec<String> = report
            .written
            .added
            .iter()
            .map(|(_, n)| n.to_string())
            .collect();
        t(
            "exchange-import-done",
            &[
                ("file", report.file.clone()),
                ("added", report.written.added.len().to_string()),
                ("numbers", nigehban_core::service::first_of(&numbers, 10)),
                ("persons", report.written.persons_added.to_string()),
                ("skipped", report.written.skipped.len().to_string()),
            ],
        )
    };
    let ok = report.imported();
    p.import_summary = summary;
    p.import_ok = ok;
    (p.problems, p.unmapped, p.warnings) = import_rows(&ctx, &report);
    p.unmapped_heading = t(
        "exchange-unmapped-heading",
        &[("count", report.unmapped.len().to_string())],
    );
    let status = if ok {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(status, &p))
}

#[derive(Deserialize, Default)]
pub struct CtdcForm {
    #[serde(default)]
    csrf: String,
    from: Option<String>,
    to: Option<String>,
    k: Option<String>,
    suppress: Option<String>,
    format: Option<String>,
}

fn ctdc_message(ctx: &Ctx, o: &CtdcOutcome) -> (bool, String) {
    match &o.refused {
        Some(r) => {
            let reason = ctx.tr.ta(r.message_id(), &r.args());
            (
                false,
                ctx.tr.ta("exchange-ctdc-refused", &[("reason", reason)]),
            )
        }
        None => (
            true,
            ctx.tr.ta(
                "exchange-ctdc-done",
                &[
                    ("rows", o.rows.to_string()),
                    ("victims", o.victims.to_string()),
                    ("k", o.k.to_string()),
                    ("classes", o.classes.to_string()),
                    ("smallest", o.smallest_class.to_string()),
                    ("cells", o.suppression.cells_total().to_string()),
                    ("records", o.suppression.records.to_string()),
                ],
            ),
        ),
    }
}

fn parse_k(raw: Option<&str>) -> Result<usize, ValidationErrors> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(nigehban_exchange::ctdc::DEFAULT_K),
        Some(s) => s
            .parse::<usize>()
            .map_err(|_| ValidationErrors::single("k", nigehban_domain::Problem::NotANumber)),
    }
}

/// Run the release and show its summary (or its refusal) with a link to the file.
pub async fn ctdc(ctx: Ctx, Form(f): Form<CtdcForm>) -> PageResult {
    ctx.state
        .app
        .may_release_ctdc(&ctx.actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    ctx.require_csrf(&f.csrf)?;
    let r = rights(&ctx).await?;
    let q = ExportQuery {
        from: f.from.clone(),
        to: f.to.clone(),
        format: f.format.clone(),
        k: f.k.clone(),
        suppress: f.suppress.clone(),
    };
    let k = parse_k(f.k.as_deref()).map_err(|e| invalid(&ctx, r, &q, &e))?;
    let suppress = f.suppress.as_deref() == Some("on");
    let format = format_of(f.format.as_deref());
    let period = PeriodInput {
        from: f.from.clone(),
        to: f.to.clone(),
    };
    let out = match ctx
        .state
        .app
        .release_ctdc(&ctx.actor, &period, k, suppress, format)
        .await
    {
        Ok(o) => o,
        Err(CoreError::Invalid(errs)) => return Err(invalid(&ctx, r, &q, &errs)),
        Err(e) => return Err(ctx.fail(e)),
    };
    let (ok, message) = ctdc_message(&ctx, &out);
    let mut p = page(&ctx, r);
    p.from = f.from.unwrap_or_default();
    p.to = f.to.unwrap_or_default();
    p.k = k.to_string();
    p.suppress = suppress;
    p.ctdc = Some(CtdcView {
        ok,
        message,
        download: format!(
            "/exchange/ctdc/export?from={}&to={}&k={k}&format={}{}",
            urlencode(&p.from),
            urlencode(&p.to),
            format.extension(),
            if suppress { "&suppress=on" } else { "" }
        ),
    });
    Ok(render(
        if ok {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        &p,
    ))
}

/// The released file itself (the release is computed, checked and audited again).
pub async fn ctdc_export(ctx: Ctx, Query(q): Query<ExportQuery>) -> PageResult {
    let period = PeriodInput {
        from: q.from.clone(),
        to: q.to.clone(),
    };
    let format = format_of(q.format.as_deref());
    let suppress = q.suppress.as_deref() == Some("on");
    let k = match parse_k(q.k.as_deref()) {
        Ok(k) => k,
        Err(e) => {
            let r = rights(&ctx).await?;
            return Err(invalid(&ctx, r, &q, &e));
        }
    };
    let out = match ctx
        .state
        .app
        .release_ctdc(&ctx.actor, &period, k, suppress, format)
        .await
    {
        Ok(o) => o,
        Err(CoreError::Invalid(errs)) => {
            let r = rights(&ctx).await?;
            return Err(invalid(&ctx, r, &q, &errs));
        }
        Err(e) => return Err(ctx.fail(e)),
    };
    match out.bytes.clone() {
        Some(bytes) => Ok(download(&out.file_name(), format, bytes)),
        None => {
            let r = rights(&ctx).await?;
            let (ok, message) = ctdc_message(&ctx, &out);
            let mut p = page(&ctx, r);
            p.k = k.to_string();
            p.ctdc = Some(CtdcView {
                ok,
                message,
                download: String::new(),
            });
            Err(render(StatusCode::UNPROCESSABLE_ENTITY, &p))
        }
    }
}
