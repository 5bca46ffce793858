//! Pages of record linkage and intelligence: the queue of likely duplicates (confirm, reject,
//! undo), the agent register with its alerts, and the network view. Every decision is the
//! core's; these handlers only translate.

use crate::ctx::urlencode;
use crate::ctx::Ctx;
use crate::pages::render;
use crate::views::*;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use nigehban_core::linkage_store::DuplicateStatus;
use nigehban_core::service::{AgentLinkView, AgentView, DuplicateView, NetworkFormat, PartyView};
use nigehban_core::CoreError;
use serde::Deserialize;

type PageResult = Result<Response, Response>;

/// One field's agreement, for the explanation table.
pub struct AgreementRow {
    pub field: String,
    pub level: String,
    pub weight: String,
    pub positive: bool,
}

pub struct PartyRow {
    pub id: String,
    pub label: String,
    pub urdu: String,
    pub parentage: String,
    pub sex: String,
    pub birth_year: String,
    pub district: String,
    pub pseudonymised: bool,
}

pub struct DuplicateRow {
    pub id: String,
    pub probability: String,
    pub weight: String,
    pub source: String,
    pub status: String,
    pub decided: String,
    pub parties: [PartyRow; 2],
    pub agreements: Vec<AgreementRow>,
    pub merged: bool,
    pub pending: bool,
}

fn party_row(ctx: &Ctx, p: &PartyView) -> PartyRow {
    PartyRow {
        id: p.id.to_string(),
        label: p.label.clone(),
        urdu: p.name_urdu.clone().unwrap_or_default(),
        parentage: p.parentage.clone().unwrap_or_default(),
        sex: ctx.tr.code("sex", p.sex.as_str()),
        birth_year: p.birth_year.map(|y| y.to_string()).unwrap_or_default(),
        district: p.district.clone().unwrap_or_default(),
        pseudonymised: p.pseudonymised,
    }
}

fn duplicate_row(ctx: &Ctx, d: &DuplicateView) -> DuplicateRow {
    let r = &d.record;
    DuplicateRow {
        id: r.id.clone(),
        probability: format!("{:.1}%", r.probability * 100.0),
        weight: format!("{:+.1}", r.match_weight),
        source: ctx.tr.code("duplicate-source", &r.source),
        status: ctx.tr.code("duplicate-status", r.status.as_str()),
        decided: match (&r.decided_by, r.decided_at) {
            (Some(by), Some(at)) => format!("{by} · {}", at.format("%Y-%m-%d %H:%M")),
            _ => String::new(),
        },
        parties: [party_row(ctx, &d.a), party_row(ctx, &d.b)],
        agreements: r
            .explanation
            .iter()
            .map(|f| AgreementRow {
                field: ctx.tr.code("linkage-field", &f.field),
                level: ctx.tr.code("linkage-level", &f.level),
                weight: format!("{:+.1}", f.weight),
                positive: f.weight >= 0.0,
            })
            .collect(),
        merged: r.merge.is_some(),
        pending: r.status == DuplicateStatus::Pending,
    }
}

pub struct StatusTab {
    pub value: &'static str,
    pub label: String,
    pub on: bool,
}

#[derive(Template)]
#[template(path = "duplicates.html")]
struct DuplicatesPage {
    c: Chrome,
    tabs: Vec<StatusTab>,
    rows: Vec<DuplicateRow>,
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    status: Option<String>,
    msg: Option<String>,
}

pub async fn duplicates(ctx: Ctx, Query(q): Query<QueueQuery>) -> PageResult {
    let status = q
        .status
        .as_deref()
        .and_then(DuplicateStatus::parse)
        .unwrap_or(DuplicateStatus::Pending);
    let list = ctx
        .state
        .app
        .duplicate_queue(&ctx.actor, Some(status))
        .await
        .map_err(|e| ctx.fail(e))?;
    let mut c = ctx.chrome(ctx.tr.t("duplicates-title"));
    c.flash = q.msg.map(|m| ctx.tr.t(&format!("duplicates-msg-{m}")));
    let page = DuplicatesPage {
        c,
        tabs: DuplicateStatus::ALL
            .iter()
            .map(|s| StatusTab {
                value: s.as_str(),
                label: ctx.tr.code("duplicate-status", s.as_str()),
                on: *s == status,
            })
            .collect(),
        rows: list.iter().map(|d| duplicate_row(&ctx, d)).collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct DecideForm {
    csrf: String,
    /// For a confirmation: the id of the record that stays.
    #[serde(default)]
    survivor: String,
}

/// Back to the queue with a message, or the error page.
fn decided(ctx: &Ctx, r: Result<(), CoreError>, msg: &str, back: &str) -> Response {
    match r {
        Ok(()) => Redirect::to(&format!("/duplicates?status={back}&msg={msg}")).into_response(),
        Err(CoreError::Conflict(_)) => {
            Redirect::to(&format!("/duplicates?status={back}&msg=stale")).into_response()
        }
        Err(e) => ctx.fail(e),
    }
}

pub async fn confirm_duplicate(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<DecideForm>,
) -> PageResult {
    ctx.require_csrf(&f.csrf)?;
    let r = ctx
        .state
        .app
        .confirm_duplicate(&ctx.actor, &id, &f.survivor)
        .await
        .map(|_| ());
    Ok(decided(&ctx, r, "merged", "pending"))
}

pub async fn reject_duplicate(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<DecideForm>,
) -> PageResult {
    ctx.require_csrf(&f.csrf)?;
    let r = ctx.state.app.reject_duplicate(&ctx.actor, &id).await;
    Ok(decided(&ctx, r, "rejected", "pending"))
}

pub async fn undo_merge(ctx: Ctx, Path(id): Path<String>, Form(f): Form<DecideForm>) -> PageResult {
    ctx.require_csrf(&f.csrf)?;
    let r = ctx.state.app.undo_merge(&ctx.actor, &id).await;
    Ok(decided(&ctx, r, "undone", "pending"))
}

pub struct AgentRow {
    pub id: String,
    pub label: String,
    pub urdu: String,
    pub parentage: String,
    pub pseudonymised: bool,
    pub chain_roles: String,
    pub areas: String,
    pub cases: Vec<(String, String)>,
    pub watchlist: String,
    pub aliases: String,
}

pub struct AlertRow {
    pub id: String,
    pub person_id: String,
    pub person: String,
    pub agent_id: String,
    pub agent: String,
    pub via: String,
    pub evidence: Vec<String>,
    pub raised: String,
    pub acked: String,
}

fn agent_row(ctx: &Ctx, a: &AgentView) -> AgentRow {
    let r = &a.record;
    AgentRow {
        id: r.person_id.to_string(),
        label: a.label.clone(),
        urdu: if a.pseudonymised {
            String::new()
        } else {
            r.name_urdu.clone().unwrap_or_default()
        },
        parentage: if a.pseudonymised {
            String::new()
        } else {
            r.parentage_roman.clone().unwrap_or_default()
        },
        pseudonymised: a.pseudonymised,
        chain_roles: a
            .chain_roles
            .iter()
            .map(|c| ctx.tr.code("chain", c))
            .collect::<Vec<_>>()
            .join(", "),
        areas: a.areas.join(", "),
        cases: r
            .cases
            .iter()
            .map(|c| (c.case_id.to_string(), c.case_number.to_string()))
            .collect(),
        watchlist: r
            .watchlist
            .iter()
            .map(|(l, edition, since)| {
                format!(
                    "{} ({edition}, {})",
                    ctx.tr.code("watchlist", l.as_str()),
                    since.format("%Y-%m-%d")
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        aliases: if a.pseudonymised {
            String::new()
        } else {
            r.aliases.join(", ")
        },
    }
}

fn alert_row(ctx: &Ctx, a: &AgentLinkView) -> AlertRow {
    let r = &a.record;
    AlertRow {
        id: r.id.clone(),
        person_id: r.person.to_string(),
        person: a.person_label.clone(),
        agent_id: r.agent.to_string(),
        agent: a.agent_label.clone(),
        via: ctx.tr.code("linkage-via", &r.via),
        evidence: a.evidence.clone(),
        raised: r.raised_at.format("%Y-%m-%d %H:%M").to_string(),
        acked: match (&r.ack_by, r.ack_at) {
            (Some(by), Some(at)) => format!("{by} · {}", at.format("%Y-%m-%d")),
            _ => String::new(),
        },
    }
}

#[derive(Template)]
#[template(path = "agents.html")]
struct AgentsPage {
    c: Chrome,
    agents: Vec<AgentRow>,
    alerts: Vec<AlertRow>,
    open_alerts: usize,
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    msg: Option<String>,
}

pub async fn agents(ctx: Ctx, Query(q): Query<MsgQuery>) -> PageResult {
    let reg = ctx
        .state
        .app
        .agent_register(&ctx.actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let mut c = ctx.chrome(ctx.tr.t("agents-title"));
    c.flash = q.msg.map(|m| ctx.tr.t(&format!("agents-msg-{m}")));
    let alerts: Vec<AlertRow> = reg.alerts.iter().map(|a| alert_row(&ctx, a)).collect();
    let page = AgentsPage {
        c,
        agents: reg.agents.iter().map(|a| agent_row(&ctx, a)).collect(),
        open_alerts: alerts.iter().filter(|a| a.acked.is_empty()).count(),
        alerts,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn ack_agent_link(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    ctx.require_csrf(&f.csrf)?;
    ctx.state
        .app
        .ack_agent_link(&ctx.actor, &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to("/agents?msg=acked").into_response())
}

pub struct KindLabel {
    pub kind: &'static str,
    pub label: String,
}

#[derive(Template)]
#[template(path = "network.html")]
struct NetworkPage {
    c: Chrome,
    focus: String,
    focus_q: String,
    kinds: Vec<KindLabel>,
    formats: Vec<(&'static str, String)>,
}

#[derive(Deserialize, Default)]
pub struct NodeQuery {
    #[serde(default)]
    node: String,
}

pub async fn network(ctx: Ctx, Query(q): Query<NodeQuery>) -> PageResult {
    // The page is a frame: the script asks the API for what the reader may see, so a node the
    // reader may not see gives the API's "not found" in the page, audited there.
    ctx.state
        .app
        .open_network(&ctx.actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let page = NetworkPage {
        c: ctx.chrome(ctx.tr.t("network-title")),
        focus_q: urlencode(&q.node),
        focus: q.node,
        kinds: nigehban_network::NodeKind::ALL
            .iter()
            .map(|k| KindLabel {
                kind: k.as_str(),
                label: ctx.tr.code("network-kind", k.as_str()),
            })
            .collect(),
        formats: vec![
            ("ftm", ctx.tr.t("network-export-ftm")),
            ("graphml", ctx.tr.t("network-export-graphml")),
            ("nodes", ctx.tr.t("network-export-nodes")),
            ("edges", ctx.tr.t("network-export-edges")),
        ],
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize, Default)]
pub struct ExportQuery {
    #[serde(default)]
    node: String,
    #[serde(default)]
    format: String,
    hops: Option<usize>,
}

/// The network around a node as a file: FollowTheMoney JSON lines (Aleph), GraphML, or the
/// nodes or edges as CSV.
pub async fn network_export(ctx: Ctx, Query(q): Query<ExportQuery>) -> PageResult {
    let Some(format) = NetworkFormat::parse(&q.format) else {
        return Err(ctx.fail(CoreError::Invalid(
            nigehban_domain::error::ValidationErrors::single(
                "format",
                nigehban_domain::error::Problem::UnknownCode {
                    value: q.format.clone(),
                },
            ),
        )));
    };
    let (bytes, name, mime) = ctx
        .state
        .app
        .export_network(&ctx.actor, &q.node, q.hops.unwrap_or(2), format)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok((
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
