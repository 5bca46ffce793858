//! Statistics pages: the monitoring dashboard (trends, the case funnel, routes, source
//! districts, post workload), the statistics explorer, and the standard reports (printable and as
//! XLSX). Every chart has its table and a CSV/XLSX download of that table. Counting and access
//! are the core's; these handlers label codes in the reader's language and lay the numbers out.
// Handlers return a ready page as their error, as the other page modules do.
#![allow(clippy::result_large_err)]

use crate::ctx::Ctx;
use crate::pages::render;
use crate::views::*;
use askama::Template;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::{Form, Query};
use nigehban_core::service::{Dashboard, DashboardInput, Report, ReportInput, StatTable};
use nigehban_core::stats_store::StatState;
use nigehban_core::CoreError;
use nigehban_domain::reference::ReferenceData;
use nigehban_domain::statistics::{Dimension, Measure, Place, StatQueryInput, UNKNOWN};
use serde::Deserialize;
use serde_json::json;
use std::collections::BTreeMap;

type PageResult = Result<Response, Response>;

/// The words for one value of a dimension, in the reader's language.
pub fn label(ctx: &Ctx, dim: Dimension, code: &str) -> String {
    let refdata: &ReferenceData = ctx.state.app.refdata();
    let ur = ctx.tr.urdu();
    let pick = |en: &str, urdu: &str| {
        if ur && !urdu.is_empty() {
            urdu.to_string()
        } else {
            en.to_string()
        }
    };
    if code == UNKNOWN {
        return ctx.tr.t("stats-unknown");
    }
    match dim {
        Dimension::CrimeType => match code {
            "neither" | "undecided" => ctx.tr.code("stats-crime", code),
            _ => ctx.tr.code("crime", code),
        },
        Dimension::Form => ctx.tr.code("exploit", code),
        Dimension::Stage => ctx.tr.code("stage", code),
        Dimension::Sex => ctx.tr.code("sex", code),
        Dimension::ChainRole => ctx.tr.code("chain", code),
        Dimension::BatchKind => ctx.tr.code("batch-kind", code),
        Dimension::Status => ctx.tr.code("intake-status", code),
        Dimension::Outcome if code == "none" => ctx.tr.t("stats-no-outcome"),
        Dimension::Outcome => ctx.tr.code("intake-outcome", code),
        Dimension::Mode => ctx.tr.code("travel-mode", code),
        Dimension::Minor => ctx.tr.code("stats-minor", code),
        Dimension::Province | Dimension::OriginProvince => refdata
            .province(code)
            .map(|p| pick(&p.name_en, &p.name_ur))
            .unwrap_or_else(|| code.to_string()),
        Dimension::District | Dimension::OriginDistrict => refdata
            .district(code)
            .map(|d| pick(&d.name_en, &d.name_ur))
            .unwrap_or_else(|| code.to_string()),
        Dimension::Nationality | Dimension::DestinationCountry | Dimension::TransitCountry => {
            refdata
                .country(code)
                .map(|c| pick(&c.name_en, &c.name_ur))
                .unwrap_or_else(|| code.to_string())
        }
        Dimension::Post => refdata
            .place(code)
            .map(|p| pick(&p.name_en, &p.name_ur))
            .unwrap_or_else(|| code.to_string()),
        Dimension::Unit => refdata
            .units
            .iter()
            .find(|u| u.code == code)
            .map(|u| pick(&u.name_en, &u.name_ur))
            .unwrap_or_else(|| code.to_string()),
        Dimension::Provision | Dimension::ProvisionProsecuted => refdata
            .provision(code)
            .map(|p| {
                let act = refdata
                    .act(&p.act)
                    .map(|a| a.short_en.clone())
                    .unwrap_or_else(|| p.act.clone());
                format!("{act} s.{}", p.section)
            })
            .unwrap_or_else(|| code.to_string()),
        Dimension::Act => refdata
            .act(code)
            .map(|a| pick(&a.title_en, &a.title_ur))
            .unwrap_or_else(|| code.to_string()),
        Dimension::Route => match code.split_once('>') {
            Some((exit, dest)) => format!(
                "{} → {}",
                label(ctx, Dimension::Post, exit),
                label(ctx, Dimension::DestinationCountry, dest)
            ),
            None => code.to_string(),
        },
        _ => code.to_string(),
    }
}

/// A table ready to show and download: headers and rows of text.
pub struct ShownTable {
    pub id: String,
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// The chart's data as JSON, read by `charts.js` (empty: no chart).
    pub chart: String,
    pub download: String,
    pub empty: bool,
}

fn long_table(
    ctx: &Ctx,
    id: &str,
    title: String,
    t: &StatTable,
    chart: String,
    download: String,
) -> ShownTable {
    let mut headers: Vec<String> = t
        .query
        .group
        .iter()
        .map(|d| ctx.tr.code("stats-dim", d.as_str()))
        .collect();
    headers.push(ctx.tr.code("stats-measure", t.query.measure.as_str()));
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let mut cells: Vec<String> = r
                .keys
                .iter()
                .zip(&t.query.group)
                .map(|(k, d)| label(ctx, *d, k))
                .collect();
            cells.push(r.count.to_string());
            cells
        })
        .collect::<Vec<_>>();
    ShownTable {
        id: id.to_string(),
        title,
        empty: rows.is_empty(),
        headers,
        rows,
        chart,
        download,
    }
}

/// A line chart of counts by month, one line per crime type (the table's first key).
fn month_chart(ctx: &Ctx, t: &StatTable, months: &[String]) -> String {
    let mut series: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    for r in &t.rows {
        if let (Some(ct), Some(m)) = (r.keys.first(), r.keys.get(1)) {
            *series
                .entry(ct.clone())
                .or_default()
                .entry(m.clone())
                .or_default() += r.count;
        }
    }
    json!({
        "type": "line",
        "categories": months,
        "series": series.iter().map(|(ct, by)| json!({
            "name": label(ctx, Dimension::CrimeType, ct),
            "data": months.iter().map(|m| by.get(m).copied().unwrap_or(0)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
    .to_string()
}

fn months_of(d: &Dashboard) -> Vec<String> {
    let mut out = Vec::new();
    let mut y = chrono::Datelike::year(&d.period.from);
    let mut m = chrono::Datelike::month(&d.period.from);
    let (ey, em) = (
        chrono::Datelike::year(&d.period.to),
        chrono::Datelike::month(&d.period.to),
    );
    while (y, m) <= (ey, em) && out.len() < 400 {
        out.push(format!("{y:04}-{m:02}"));
        if m == 12 {
            y += 1;
            m = 1;
        } else {
            m += 1;
        }
    }
    out
}

fn state_line(ctx: &Ctx, s: &StatState) -> String {
    match s.refreshed_at {
        Some(at) => ctx.tr.ta(
            "stats-as-of",
            &[
                ("at", at.format("%Y-%m-%d %H:%M UTC").to_string()),
                ("cases", s.cases.to_string()),
                ("persons", s.persons.to_string()),
                ("encounters", s.encounters.to_string()),
            ],
        ),
        None => ctx.tr.t("stats-never-refreshed"),
    }
}

/// The places a reader can choose: the nation, each province, each district.
fn place_choices(ctx: &Ctx, selected: &str) -> Vec<Choice> {
    let refdata = ctx.state.app.refdata();
    let mut out = vec![Choice {
        value: "nation".into(),
        label: ctx.tr.t("stats-place-nation"),
        on: selected.is_empty() || selected == "nation",
        group: String::new(),
    }];
    for p in &refdata.provinces {
        let v = format!("province:{}", p.code);
        out.push(Choice {
            on: selected == v,
            label: label(ctx, Dimension::Province, &p.code),
            value: v,
            group: ctx.tr.t("stats-provinces"),
        });
    }
    let mut districts: Vec<_> = refdata.districts.iter().collect();
    districts.sort_by(|a, b| a.name_en.cmp(&b.name_en));
    for d in districts {
        let v = format!("district:{}", d.code);
        out.push(Choice {
            on: selected == v,
            label: label(ctx, Dimension::District, &d.code),
            value: v,
            group: ctx.tr.t("stats-districts"),
        });
    }
    out
}

fn query_string(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", crate::ctx::urlencode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

#[derive(Template)]
#[template(path = "statistics.html")]
struct DashboardPage {
    c: Chrome,
    errors: Vec<ErrorItem>,
    from: String,
    to: String,
    places: Vec<Choice>,
    crime_types: Vec<Choice>,
    state: String,
    tables: Vec<ShownTable>,
    funnel: Vec<FunnelShown>,
    funnel_chart: String,
    funnel_download: String,
}

pub struct FunnelShown {
    pub crime_type: String,
    pub cells: Vec<String>,
}

fn pct(r: Option<f64>) -> String {
    r.map(|r| format!("{:.0}%", r * 100.0))
        .unwrap_or_else(|| "–".into())
}

fn days(d: Option<i64>) -> String {
    d.map(|d| d.to_string()).unwrap_or_else(|| "–".into())
}

fn funnel_headers(ctx: &Ctx) -> Vec<String> {
    [
        "stats-crime-type",
        "stage-fir",
        "stage-challan",
        "stage-trial",
        "stage-judgment",
        "verdict-convicted",
        "stats-rate-challan",
        "stats-rate-trial",
        "stats-rate-conviction",
        "stats-days-fir-challan",
        "stats-days-challan-trial",
        "stats-days-trial-judgment",
    ]
    .iter()
    .map(|k| ctx.tr.t(k))
    .collect()
}

fn funnel_cells(ctx: &Ctx, d: &Dashboard) -> Vec<FunnelShown> {
    d.funnel
        .iter()
        .map(|f| FunnelShown {
            crime_type: label(ctx, Dimension::CrimeType, &f.crime_type),
            cells: vec![
                f.fir.to_string(),
                f.challan.to_string(),
                f.trial.to_string(),
                f.judgment.to_string(),
                f.convicted.to_string(),
                pct(f.challan_rate),
                pct(f.trial_rate),
                pct(f.conviction_rate),
                days(f.days_fir_challan),
                days(f.days_challan_trial),
                days(f.days_trial_judgment),
            ],
        })
        .collect()
}

/// Every table of the dashboard, in page order (the funnel apart).
fn dashboard_tables(ctx: &Ctx, d: &Dashboard, qs: &str) -> Vec<ShownTable> {
    let months = months_of(d);
    let dl = |id: &str| format!("/statistics/download/{id}?{qs}");
    let mut out = vec![
        long_table(
            ctx,
            "cases",
            ctx.tr.t("stats-chart-cases"),
            &d.cases_by_month,
            month_chart(ctx, &d.cases_by_month, &months),
            dl("cases"),
        ),
        long_table(
            ctx,
            "victims",
            ctx.tr.t("stats-chart-victims"),
            &d.victims_by_month,
            month_chart(ctx, &d.victims_by_month, &months),
            dl("victims"),
        ),
        long_table(
            ctx,
            "migrants",
            ctx.tr.t("stats-chart-migrants"),
            &d.migrants_by_month,
            month_chart(ctx, &d.migrants_by_month, &months),
            dl("migrants"),
        ),
    ];
    // Routes as flows: origin district → exit point → destination, the 40 largest.
    let mut flows: Vec<&nigehban_core::stats_store::StatRow> = d.routes.rows.iter().collect();
    flows.sort_by_key(|r| std::cmp::Reverse(r.count));
    let mut links: BTreeMap<(String, String), i64> = BTreeMap::new();
    for r in flows.iter().take(40) {
        let (Some(origin), Some(route)) = (r.keys.first(), r.keys.get(1)) else {
            continue;
        };
        let (exit, dest) = route.split_once('>').unwrap_or((route.as_str(), UNKNOWN));
        // A flow is drawn only when the route is known; the table keeps every row.
        if exit == UNKNOWN && dest == UNKNOWN {
            continue;
        }
        let o = format!("⟵ {}", label(ctx, Dimension::OriginDistrict, origin));
        let e = label(ctx, Dimension::Post, exit);
        let t = format!("{} ⟶", label(ctx, Dimension::DestinationCountry, dest));
        *links.entry((o, e.clone())).or_default() += r.count;
        *links.entry((e, t)).or_default() += r.count;
    }
    let mut nodes: Vec<String> = links
        .keys()
        .flat_map(|(a, b)| [a.clone(), b.clone()])
        .collect();
    nodes.sort();
    nodes.dedup();
    let sankey = json!({
        "type": "sankey",
        "nodes": nodes,
        "links": links.iter().map(|((s, t), v)| json!({"source": s, "target": t, "value": v})).collect::<Vec<_>>(),
    })
    .to_string();
    out.push(long_table(
        ctx,
        "routes",
        ctx.tr.t("stats-chart-routes"),
        &d.routes,
        if links.is_empty() {
            String::new()
        } else {
            sankey
        },
        dl("routes"),
    ));
    // Source districts, ranked.
    let top: Vec<_> = d.sources.iter().take(15).collect();
    let sources_chart = json!({
        "type": "hbar",
        "categories": top.iter().map(|s| label(ctx, Dimension::District, &s.district)).collect::<Vec<_>>(),
        "series": [
            {"name": ctx.tr.t("stats-measure-victims"), "data": top.iter().map(|s| s.victims).collect::<Vec<_>>()},
            {"name": ctx.tr.t("stats-measure-smuggled_migrants"), "data": top.iter().map(|s| s.migrants).collect::<Vec<_>>()},
            {"name": ctx.tr.t("stats-measure-encounters"), "data": top.iter().map(|s| s.encounters).collect::<Vec<_>>()},
        ],
    })
    .to_string();
    let rows: Vec<Vec<String>> = d
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                (i + 1).to_string(),
                label(ctx, Dimension::District, &s.district),
                label(ctx, Dimension::Province, &s.province),
                s.victims.to_string(),
                s.migrants.to_string(),
                s.encounters.to_string(),
                s.total.to_string(),
            ]
        })
        .collect();
    out.push(ShownTable {
        id: "sources".into(),
        title: ctx.tr.t("stats-chart-sources"),
        headers: [
            "stats-rank",
            "stats-dim-district",
            "stats-dim-province",
            "stats-measure-victims",
            "stats-measure-smuggled_migrants",
            "stats-measure-encounters",
            "stats-total",
        ]
        .iter()
        .map(|k| ctx.tr.t(k))
        .collect(),
        empty: rows.is_empty(),
        rows,
        chart: if top.is_empty() {
            String::new()
        } else {
            sources_chart
        },
        download: dl("sources"),
    });
    // Workload per receiving post.
    let workload_chart = json!({
        "type": "stack",
        "categories": d.workload.iter().map(|w| label(ctx, Dimension::Post, &w.post)).collect::<Vec<_>>(),
        "series": [
            {"name": ctx.tr.code("intake-status", "pending"), "data": d.workload.iter().map(|w| w.pending).collect::<Vec<_>>()},
            {"name": ctx.tr.code("intake-status", "interviewed"), "data": d.workload.iter().map(|w| w.interviewed).collect::<Vec<_>>()},
            {"name": ctx.tr.code("intake-status", "done"), "data": d.workload.iter().map(|w| w.done).collect::<Vec<_>>()},
        ],
    })
    .to_string();
    let rows: Vec<Vec<String>> = d
        .workload
        .iter()
        .map(|w| {
            vec![
                label(ctx, Dimension::Post, &w.post),
                w.batches.to_string(),
                w.persons.to_string(),
                w.pending.to_string(),
                w.interviewed.to_string(),
                w.done.to_string(),
            ]
        })
        .collect();
    out.push(ShownTable {
        id: "workload".into(),
        title: ctx.tr.t("stats-chart-workload"),
        headers: vec![
            ctx.tr.t("stats-dim-post"),
            ctx.tr.t("stats-batches"),
            ctx.tr.t("stats-measure-encounters"),
            ctx.tr.code("intake-status", "pending"),
            ctx.tr.code("intake-status", "interviewed"),
            ctx.tr.code("intake-status", "done"),
        ],
        empty: rows.is_empty(),
        rows,
        chart: if d.workload.is_empty() {
            String::new()
        } else {
            workload_chart
        },
        download: dl("workload"),
    });
    out
}

fn dashboard_qs(q: &DashboardInput) -> String {
    query_string(&[
        ("from", q.from.as_deref().unwrap_or("")),
        ("to", q.to.as_deref().unwrap_or("")),
        ("place", q.place.as_deref().unwrap_or("")),
        ("crime_type", q.crime_type.as_deref().unwrap_or("")),
    ])
}

fn crime_choices(ctx: &Ctx, selected: &str) -> Vec<Choice> {
    std::iter::once(("", ctx.tr.t("stats-all-crime-types")))
        .chain(
            nigehban_domain::crime::CrimeType::ALL
                .iter()
                .map(|c| (c.as_str(), ctx.tr.code("crime", c.as_str()))),
        )
        .map(|(v, l)| Choice {
            value: v.to_string(),
            label: l,
            on: v == selected,
            group: String::new(),
        })
        .collect()
}

pub async fn dashboard(ctx: Ctx, Query(q): Query<DashboardInput>) -> PageResult {
    let result = ctx.state.app.dashboard(&ctx.actor, &q).await;
    let (errors, tables, funnel, funnel_chart, state, period) = match result {
        Ok(d) => {
            let qs = dashboard_qs(&q);
            let chart = json!({
                "type": "funnel",
                "categories": [ctx.tr.t("stage-fir"), ctx.tr.t("stage-challan"), ctx.tr.t("stage-trial"), ctx.tr.t("stage-judgment"), ctx.tr.t("verdict-convicted")],
                "series": d.funnel.iter().map(|f| json!({
                    "name": label(&ctx, Dimension::CrimeType, &f.crime_type),
                    "data": [f.fir, f.challan, f.trial, f.judgment, f.convicted],
                })).collect::<Vec<_>>(),
            })
            .to_string();
            (
                Vec::new(),
                dashboard_tables(&ctx, &d, &qs),
                funnel_cells(&ctx, &d),
                if d.funnel.is_empty() {
                    String::new()
                } else {
                    chart
                },
                state_line(&ctx, &d.state),
                Some(d.period),
            )
        }
        Err(CoreError::Invalid(e)) => (
            error_items(&ctx.tr, &e),
            Vec::new(),
            Vec::new(),
            String::new(),
            String::new(),
            None,
        ),
        Err(e) => return Err(ctx.fail(e)),
    };
    let qs = dashboard_qs(&q);
    Ok(render(
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        &DashboardPage {
            c: ctx.chrome(ctx.tr.t("stats-title")),
            errors,
            from: q
                .from
                .clone()
                .or(period.map(|p| p.from.to_string()))
                .unwrap_or_default(),
            to: q
                .to
                .clone()
                .or(period.map(|p| p.to.to_string()))
                .unwrap_or_default(),
            places: place_choices(&ctx, q.place.as_deref().unwrap_or("")),
            crime_types: crime_choices(&ctx, q.crime_type.as_deref().unwrap_or("")),
            state,
            tables,
            funnel,
            funnel_chart,
            funnel_download: format!("/statistics/download/funnel?{qs}"),
        },
    ))
}

#[derive(Deserialize)]
pub struct DownloadQuery {
    #[serde(flatten)]
    q: DashboardInput,
    format: Option<String>,
}

/// A download as CSV (the default) or XLSX.
pub(crate) fn download(
    ctx: &Ctx,
    stem: &str,
    format: &str,
    headers: &[String],
    rows: &[Vec<String>],
) -> PageResult {
    match format {
        "xlsx" => {
            let bytes =
                nigehban_sheets::write_xlsx(stem, headers, rows, ctx.tr.urdu()).map_err(|e| {
                    tracing::error!(error = ?e, "xlsx download failed");
                    ctx.fail(CoreError::NotFound)
                })?;
            Ok((
                [
                    (
                        header::CONTENT_TYPE,
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                            .to_string(),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{stem}.xlsx\""),
                    ),
                ],
                bytes,
            )
                .into_response())
        }
        "csv" | "" => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{stem}.csv\""),
                ),
            ],
            nigehban_sheets::write_csv(headers, rows),
        )
            .into_response()),
        _ => Err(ctx.fail(CoreError::NotFound)),
    }
}

pub async fn dashboard_download(
    ctx: Ctx,
    Path(chart): Path<String>,
    Query(q): Query<DownloadQuery>,
) -> PageResult {
    let d = ctx
        .state
        .app
        .dashboard(&ctx.actor, &q.q)
        .await
        .map_err(|e| ctx.fail(e))?;
    let format = q.format.as_deref().unwrap_or("csv");
    let stem = format!("nigehban-{chart}-{}-{}", d.period.from, d.period.to);
    if chart == "funnel" {
        let rows: Vec<Vec<String>> = funnel_cells(&ctx, &d)
            .into_iter()
            .map(|f| std::iter::once(f.crime_type).chain(f.cells).collect())
            .collect();
        return download(&ctx, &stem, format, &funnel_headers(&ctx), &rows);
    }
    let tables = dashboard_tables(&ctx, &d, "");
    let t = tables
        .iter()
        .find(|t| t.id == chart)
        .ok_or_else(|| ctx.fail(CoreError::NotFound))?;
    download(&ctx, &stem, format, &t.headers, &t.rows)
}

#[derive(Deserialize)]
pub struct RefreshForm {
    csrf: String,
    next: Option<String>,
}

pub async fn refresh(ctx: Ctx, Form(f): Form<RefreshForm>) -> PageResult {
    ctx.require_csrf(&f.csrf)?;
    ctx.state
        .app
        .refresh_statistics(&nigehban_core::actor::Principal::User(ctx.actor.clone()))
        .await
        .map_err(|e| ctx.fail(e))?;
    // Only back to a page of this site.
    let next = f
        .next
        .filter(|n| n.starts_with('/') && !n.starts_with("//"))
        .unwrap_or_else(|| "/statistics".into());
    Ok(Redirect::to(&next).into_response())
}

#[derive(Template)]
#[template(path = "statistics_explore.html")]
struct ExplorePage {
    c: Chrome,
    errors: Vec<ErrorItem>,
    measures: Vec<Choice>,
    group1: Vec<Choice>,
    group2: Vec<Choice>,
    from: String,
    to: String,
    places: Vec<Choice>,
    filters: String,
    table: Option<ShownTable>,
    total: String,
    state: String,
}

fn dim_choices(ctx: &Ctx, selected: &str) -> Vec<Choice> {
    std::iter::once(Choice {
        value: String::new(),
        label: ctx.tr.t("stats-no-breakdown"),
        on: selected.is_empty(),
        group: String::new(),
    })
    .chain(Dimension::ALL.iter().map(|d| Choice {
        value: d.as_str().to_string(),
        label: ctx.tr.code("stats-dim", d.as_str()),
        on: d.as_str() == selected,
        group: String::new(),
    }))
    .collect()
}

fn explore_chart(ctx: &Ctx, t: &StatTable) -> String {
    // A bar per value of the last breakdown, one series per value of the ones before.
    let Some(last) = t.query.group.last().copied() else {
        return String::new();
    };
    let n = t.query.group.len();
    let mut categories: Vec<String> = Vec::new();
    let mut series: BTreeMap<String, BTreeMap<String, i64>> = BTreeMap::new();
    for r in &t.rows {
        let Some(cat) = r.keys.get(n - 1) else {
            continue;
        };
        let cat = label(ctx, last, cat);
        if !categories.contains(&cat) {
            categories.push(cat.clone());
        }
        let name = r
            .keys
            .iter()
            .take(n - 1)
            .zip(&t.query.group)
            .map(|(k, d)| label(ctx, *d, k))
            .collect::<Vec<_>>()
            .join(" · ");
        *series.entry(name).or_default().entry(cat).or_default() += r.count;
    }
    json!({
        "type": "bar",
        "categories": categories,
        "series": series.iter().map(|(name, by)| json!({
            "name": if name.is_empty() { ctx.tr.code("stats-measure", t.query.measure.as_str()) } else { name.clone() },
            "data": categories.iter().map(|c| by.get(c).copied().unwrap_or(0)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    })
    .to_string()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExploreQuery {
    measure: Option<String>,
    from: Option<String>,
    to: Option<String>,
    place: Option<String>,
    group: Vec<String>,
    /// One filter per line, `dimension=value`.
    filters: Option<String>,
    filter: Vec<String>,
    format: Option<String>,
}

impl ExploreQuery {
    fn input(&self) -> StatQueryInput {
        let mut filter = self.filter.clone();
        filter.extend(
            self.filters
                .as_deref()
                .unwrap_or("")
                .lines()
                .map(|l| l.trim().to_string())
                .filter(|l| !l.is_empty()),
        );
        StatQueryInput {
            measure: self.measure.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
            place: self.place.clone(),
            group: self.group.clone(),
            filter,
        }
    }
    fn qs(&self) -> String {
        let input = self.input();
        let mut pairs: Vec<(&str, &str)> = vec![
            ("measure", input.measure.as_deref().unwrap_or("")),
            ("from", input.from.as_deref().unwrap_or("")),
            ("to", input.to.as_deref().unwrap_or("")),
            ("place", input.place.as_deref().unwrap_or("")),
        ];
        for g in &input.group {
            pairs.push(("group", g));
        }
        for f in &input.filter {
            pairs.push(("filter", f));
        }
        query_string(&pairs)
    }
}

pub async fn explore(ctx: Ctx, Query(q): Query<ExploreQuery>) -> PageResult {
    // The empty form reads nothing, but is still only for those who may count.
    if nigehban_core::policy::authorize(&ctx.actor, nigehban_core::policy::Action::ViewStatistics)
        .is_err()
    {
        return Err(ctx.fail(CoreError::Forbidden("view-statistics")));
    }
    let input = q.input();
    let asked = q.measure.is_some();
    let result = if asked {
        Some(ctx.state.app.statistics(&ctx.actor, &input).await)
    } else {
        None
    };
    let (errors, table, total, state) = match result {
        None => (Vec::new(), None, String::new(), String::new()),
        Some(Ok(t)) => {
            if let Some(format) = q.format.as_deref() {
                let shown = long_table(
                    &ctx,
                    "explore",
                    String::new(),
                    &t,
                    String::new(),
                    String::new(),
                );
                let stem = format!(
                    "nigehban-{}-{}-{}",
                    t.query.measure, t.query.period.from, t.query.period.to
                );
                return download(&ctx, &stem, format, &shown.headers, &shown.rows);
            }
            let title = ctx.tr.ta(
                "stats-explore-result",
                &[
                    (
                        "measure",
                        ctx.tr.code("stats-measure", t.query.measure.as_str()),
                    ),
                    ("from", t.query.period.from.to_string()),
                    ("to", t.query.period.to.to_string()),
                    ("place", place_label(&ctx, &t.query.place)),
                ],
            );
            let chart = explore_chart(&ctx, &t);
            let shown = long_table(
                &ctx,
                "explore",
                title,
                &t,
                chart,
                format!("/statistics/explore?{}", q.qs()),
            );
            (
                Vec::new(),
                Some(shown),
                t.total.to_string(),
                state_line(&ctx, &t.state),
            )
        }
        Some(Err(CoreError::Invalid(e))) => {
            (error_items(&ctx.tr, &e), None, String::new(), String::new())
        }
        Some(Err(e)) => return Err(ctx.fail(e)),
    };
    let measure = q.measure.clone().unwrap_or_else(|| "cases".into());
    let g = |i: usize| q.group.get(i).cloned().unwrap_or_default();
    Ok(render(
        if errors.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        &ExplorePage {
            c: ctx.chrome(ctx.tr.t("stats-explore-title")),
            errors,
            measures: Measure::ALL
                .iter()
                .map(|m| Choice {
                    value: m.as_str().into(),
                    label: ctx.tr.code("stats-measure", m.as_str()),
                    on: m.as_str() == measure,
                    group: String::new(),
                })
                .collect(),
            group1: dim_choices(&ctx, &g(0)),
            group2: dim_choices(&ctx, &g(1)),
            from: q.from.clone().unwrap_or_default(),
            to: q.to.clone().unwrap_or_default(),
            places: place_choices(&ctx, q.place.as_deref().unwrap_or("")),
            filters: input.filter.join("\n"),
            table,
            total,
            state,
        },
    ))
}

pub fn place_label(ctx: &Ctx, p: &Place) -> String {
    match p {
        Place::Nation => ctx.tr.t("stats-place-nation"),
        Place::Province(c) => label(ctx, Dimension::Province, c),
        Place::District(c) => label(ctx, Dimension::District, c),
        Place::Unit(c) => label(ctx, Dimension::Unit, c),
    }
}

// ---------------------------------------------------------------- standard reports

pub struct ReportLink {
    pub code: String,
    pub title: String,
    pub about: String,
    pub monthly: bool,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    c: Chrome,
    reports: Vec<ReportLink>,
    places: Vec<Choice>,
    month: String,
    year: String,
}

pub async fn reports(ctx: Ctx) -> PageResult {
    // The list is open to whoever may see statistics; the core checks again on each report.
    if nigehban_core::policy::authorize(&ctx.actor, nigehban_core::policy::Action::ViewStatistics)
        .is_err()
    {
        return Err(ctx.fail(CoreError::Forbidden("view-statistics")));
    }
    let defs = ctx
        .state
        .app
        .report_definitions()
        .map_err(|e| ctx.fail(e))?;
    let today = chrono::Utc::now().date_naive();
    Ok(render(
        StatusCode::OK,
        &ReportsPage {
            c: ctx.chrome(ctx.tr.t("reports-title")),
            reports: defs
                .iter()
                .map(|r| ReportLink {
                    title: ctx.tr.code("report", &r.code),
                    about: ctx.tr.code("report-about", &r.code),
                    monthly: r.period == nigehban_domain::statistics::ReportPeriod::Month,
                    code: r.code.clone(),
                })
                .collect(),
            places: place_choices(&ctx, ""),
            month: today.format("%Y-%m").to_string(),
            year: today.format("%Y").to_string(),
        },
    ))
}

pub struct ReportTableShown {
    pub title: String,
    pub corner: String,
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<String>)>,
    pub totals: Vec<String>,
    pub empty: bool,
}

fn report_tables(ctx: &Ctx, r: &Report) -> Vec<ReportTableShown> {
    r.tables
        .iter()
        .map(|t| {
            let mut columns: Vec<String> = match t.columns_dim {
                Some(d) => t.column_keys.iter().map(|k| label(ctx, d, k)).collect(),
                None => Vec::new(),
            };
            columns.push(ctx.tr.t("stats-total"));
            let rows = t
                .row_keys
                .iter()
                .zip(&t.cells)
                .zip(&t.row_totals)
                .map(|((k, cells), total)| {
                    let mut c: Vec<String> = if t.columns_dim.is_some() {
                        cells.iter().map(|n| n.to_string()).collect()
                    } else {
                        Vec::new()
                    };
                    c.push(total.to_string());
                    (label(ctx, t.rows_dim, k), c)
                })
                .collect::<Vec<_>>();
            let mut totals: Vec<String> = if t.columns_dim.is_some() {
                t.column_totals.iter().map(|n| n.to_string()).collect()
            } else {
                Vec::new()
            };
            totals.push(t.total.to_string());
            ReportTableShown {
                title: ctx.tr.code("report-table", &t.code),
                corner: format!(
                    "{} · {}",
                    ctx.tr.code("stats-measure", t.measure.as_str()),
                    ctx.tr.code("stats-dim", t.rows_dim.as_str())
                ),
                empty: rows.is_empty(),
                columns,
                rows,
                totals,
            }
        })
        .collect()
}

#[derive(Template)]
#[template(path = "report.html")]
struct ReportPage {
    c: Chrome,
    title: String,
    subtitle: String,
    state: String,
    tables: Vec<ReportTableShown>,
    xlsx: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReportQuery {
    period: Option<String>,
    place: Option<String>,
    format: Option<String>,
}

pub async fn report(
    ctx: Ctx,
    Path(code): Path<String>,
    Query(q): Query<ReportQuery>,
) -> PageResult {
    let input = ReportInput {
        period: q.period.clone(),
        place: q.place.clone(),
    };
    let r = match ctx.state.app.report(&ctx.actor, &code, &input).await {
        Ok(r) => r,
        Err(CoreError::Invalid(e)) => {
            let items = error_items(&ctx.tr, &e);
            return Err(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ReportPage {
                    c: ctx.chrome(ctx.tr.code("report", &code)),
                    title: ctx.tr.code("report", &code),
                    subtitle: items
                        .iter()
                        .map(|i| format!("{}: {}", i.label, i.message))
                        .collect::<Vec<_>>()
                        .join(" "),
                    state: String::new(),
                    tables: Vec::new(),
                    xlsx: String::new(),
                },
            ));
        }
        Err(e) => return Err(ctx.fail(e)),
    };
    let title = ctx.tr.code("report", &r.code);
    let subtitle = ctx.tr.ta(
        "report-subtitle",
        &[
            ("from", r.period.from.to_string()),
            ("to", r.period.to.to_string()),
            ("place", place_label(&ctx, &r.place)),
            ("agency", ctx.actor.agency.clone()),
        ],
    );
    let tables = report_tables(&ctx, &r);
    if q.format.as_deref() == Some("xlsx") {
        let sheets: Vec<nigehban_sheets::CountSheet> = r
            .tables
            .iter()
            .zip(&tables)
            .map(|(t, s)| nigehban_sheets::CountSheet {
                name: s.title.clone(),
                caption: vec![title.clone(), subtitle.clone(), s.title.clone()],
                headers: std::iter::once(s.corner.clone())
                    .chain(s.columns.clone())
                    .collect(),
                rows: t
                    .row_keys
                    .iter()
                    .zip(&t.cells)
                    .zip(&t.row_totals)
                    .map(|((k, cells), total)| {
                        let mut c: Vec<i64> = if t.columns_dim.is_some() {
                            cells.clone()
                        } else {
                            Vec::new()
                        };
                        c.push(*total);
                        (label(&ctx, t.rows_dim, k), c)
                    })
                    .chain(std::iter::once((ctx.tr.t("stats-total"), {
                        let mut c: Vec<i64> = if t.columns_dim.is_some() {
                            t.column_totals.clone()
                        } else {
                            Vec::new()
                        };
                        c.push(t.total);
                        c
                    })))
                    .collect(),
            })
            .collect();
        let bytes = nigehban_sheets::write_count_workbook(&sheets, ctx.tr.urdu()).map_err(|e| {
            tracing::error!(error = ?e, "report workbook failed");
            ctx.fail(CoreError::NotFound)
        })?;
        let stem = format!("nigehban-{}-{}-{}", r.code, r.period.from, r.period.to);
        return Ok((
            [
                (
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{stem}.xlsx\""),
                ),
            ],
            bytes,
        )
            .into_response());
    }
    let xlsx = format!(
        "/reports/{}?{}",
        r.code,
        query_string(&[
            ("period", q.period.as_deref().unwrap_or("")),
            ("place", q.place.as_deref().unwrap_or("")),
            ("format", "xlsx"),
        ])
    );
    Ok(render(
        StatusCode::OK,
        &ReportPage {
            c: ctx.chrome(title.clone()),
            title,
            subtitle,
            state: state_line(&ctx, &r.state),
            tables,
            xlsx,
        },
    ))
}
