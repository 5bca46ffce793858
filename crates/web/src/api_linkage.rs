//! The JSON API of linkage and the network: likely duplicates, and the graph view's
//! neighbourhoods and paths (what the reader may see; withheld neighbours are counted only).

use crate::api::{ApiCtx, ApiResult};
use axum::extract::Query;
use axum::Json;
use nigehban_core::linkage_store::DuplicateStatus;
use nigehban_core::service::NetworkSlice;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A node of the network as the reader may see it.
#[derive(Serialize, ToSchema)]
pub struct NodeOut {
    /// `kind:reference`, e.g. `person:0190…`, `phone:<blind index>`, `case:0190…`.
    key: String,
    /// person, phone, cnic, passport, bank_account, hawala_account, address, vehicle, case,
    /// batch or route.
    kind: String,
    /// Name, pseudonym (`P-XXXXX`), case number, or an identifier with all but its last four
    /// characters hidden.
    label: String,
    agent: bool,
    watchlisted: bool,
    pseudonymised: bool,
    /// Visible edges of the node in this answer.
    degree: usize,
    /// Neighbours withheld by the access policy (the centre node only).
    hidden_neighbours: usize,
}

#[derive(Serialize, ToSchema)]
pub struct EdgeOut {
    key: String,
    from: String,
    to: String,
    /// uses_identifier, role_in_case, in_batch, travelled_route, same_person, ...
    kind: String,
    label: String,
    evidence: String,
}

#[derive(Serialize, ToSchema)]
pub struct NetworkOut {
    center: String,
    nodes: Vec<NodeOut>,
    edges: Vec<EdgeOut>,
    /// Node keys of the shortest path, in order (path queries; empty when there is none).
    path: Vec<String>,
}

impl From<NetworkSlice> for NetworkOut {
    fn from(s: NetworkSlice) -> Self {
        NetworkOut {
            center: s.center,
            nodes: s
                .nodes
                .into_iter()
                .map(|n| NodeOut {
                    key: n.key,
                    kind: n.kind,
                    label: n.label,
                    agent: n.agent,
                    watchlisted: n.watchlisted,
                    pseudonymised: n.pseudonymised,
                    degree: n.degree,
                    hidden_neighbours: n.hidden_neighbours,
                })
                .collect(),
            edges: s
                .edges
                .into_iter()
                .map(|e| EdgeOut {
                    key: e.key,
                    from: e.from,
                    to: e.to,
                    kind: e.kind,
                    label: e.label,
                    evidence: e.evidence,
                })
                .collect(),
            path: s.path,
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct NodeParams {
    /// The node to expand, e.g. `person:0190…`.
    node: String,
}

/// The neighbours of one node that the reader may see. Viewing is audited.
#[utoipa::path(get, path = "/api/v1/network/neighbours", params(NodeParams),
    responses((status = 200, body = NetworkOut), (status = 404, body = crate::api::ErrorOut), (status = 403, body = crate::api::ErrorOut)))]
pub async fn neighbours(ctx: ApiCtx, Query(q): Query<NodeParams>) -> ApiResult<Json<NetworkOut>> {
    let slice = ctx
        .state
        .app
        .network_neighbours(&ctx.actor, &q.node)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(slice.into()))
}

#[derive(Deserialize, IntoParams)]
pub struct PathParams {
    from: String,
    to: String,
}

/// The shortest chain between two nodes through what the reader may see.
#[utoipa::path(get, path = "/api/v1/network/path", params(PathParams),
    responses((status = 200, body = NetworkOut), (status = 404, body = crate::api::ErrorOut)))]
pub async fn path(ctx: ApiCtx, Query(q): Query<PathParams>) -> ApiResult<Json<NetworkOut>> {
    let slice = ctx
        .state
        .app
        .network_path(&ctx.actor, &q.from, &q.to)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(slice.into()))
}

/// How one field compared.
#[derive(Serialize, ToSchema)]
pub struct AgreementOut {
    field: String,
    level: String,
    /// Weight in bits: positive for the same person, negative against.
    weight: f64,
}

#[derive(Serialize, ToSchema)]
pub struct PartyOut {
    id: String,
    label: String,
    pseudonymised: bool,
}

#[derive(Serialize, ToSchema)]
pub struct DuplicateOut {
    id: String,
    a: PartyOut,
    b: PartyOut,
    probability: f64,
    match_weight: f64,
    /// pending, confirmed or rejected.
    status: String,
    /// arrival or sweep.
    source: String,
    explanation: Vec<AgreementOut>,
}

#[derive(Deserialize, IntoParams)]
pub struct QueueParams {
    /// pending (default), confirmed or rejected.
    status: Option<String>,
}

/// The agency's likely duplicates, most probable first, with the explanation of each score.
#[utoipa::path(get, path = "/api/v1/duplicates", params(QueueParams),
    responses((status = 200, body = [DuplicateOut]), (status = 403, body = crate::api::ErrorOut)))]
pub async fn duplicates(
    ctx: ApiCtx,
    Query(q): Query<QueueParams>,
) -> ApiResult<Json<Vec<DuplicateOut>>> {
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
        .map_err(|e| ctx.err(e))?;
    Ok(Json(
        list.into_iter()
            .map(|d| DuplicateOut {
                id: d.record.id.clone(),
                a: PartyOut {
                    id: d.a.id.to_string(),
                    label: d.a.label,
                    pseudonymised: d.a.pseudonymised,
                },
                b: PartyOut {
                    id: d.b.id.to_string(),
                    label: d.b.label,
                    pseudonymised: d.b.pseudonymised,
                },
                probability: d.record.probability,
                match_weight: d.record.match_weight,
                status: d.record.status.as_str().to_string(),
                source: d.record.source.clone(),
                explanation: d
                    .record
                    .explanation
                    .into_iter()
                    .map(|f| AgreementOut {
                        field: f.field,
                        level: f.level,
                        weight: f.weight,
                    })
                    .collect(),
            })
            .collect(),
    ))
}
