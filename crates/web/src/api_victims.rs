//! The JSON API of victim protection: the service directory, referrals as the reader's side sees
//! them (a provider: consented fields only, decided in the core), a provider's answer, and the
//! managers' measures.

use crate::api::{ApiCtx, ApiResult};
use axum::extract::{Path, Query};
use axum::Json;
use nigehban_core::service::{DirectoryQuery, SharedValue};
use nigehban_domain::victims::ResponseInput;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct ProviderOut {
    id: String,
    name: String,
    /// Service codes (`shelter`, `legal_aid`, ...).
    services: Vec<String>,
    /// District codes served.
    districts: Vec<String>,
    capacity: Option<u32>,
    free_places: Option<u32>,
    accepting: bool,
    languages: Option<String>,
    contact: Option<String>,
}

#[derive(Deserialize, IntoParams)]
pub struct DirectoryParams {
    /// A service code.
    service: Option<String>,
    /// A district code.
    district: Option<String>,
    /// Words of the name.
    q: Option<String>,
}

/// The service directory, searchable by need (service) and place (district).
#[utoipa::path(get, path = "/api/v1/services", params(DirectoryParams),
    responses((status = 200, body = [ProviderOut]), (status = 403, body = crate::api::ErrorOut)))]
pub async fn services(
    ctx: ApiCtx,
    Query(q): Query<DirectoryParams>,
) -> ApiResult<Json<Vec<ProviderOut>>> {
    let query = DirectoryQuery {
        service: q.service,
        district: q.district,
        q: q.q,
    };
    let list = ctx
        .state
        .app
        .directory(&ctx.actor, &query)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(
        list.into_iter()
            .map(|v| {
                let p = v.record.provider;
                ProviderOut {
                    id: v.record.id,
                    name: p.name,
                    services: p.services,
                    districts: p.districts,
                    capacity: p.capacity,
                    free_places: v.free_places,
                    accepting: p.accepting,
                    languages: p.languages,
                    contact: p.contact,
                }
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct ReferralSummaryOut {
    id: String,
    /// A pseudonym (`P-XXXXX`), or the name when the person consented to share it.
    label: String,
    service: String,
    provider: String,
    /// sent, accepted, declined, in_service, closed or cancelled.
    status: String,
    overdue: bool,
    urgent: bool,
    minor: bool,
    sent_at: String,
}

/// Referrals the reader's side holds: from the own unit's files, or to the own organisation.
#[utoipa::path(get, path = "/api/v1/referrals",
    responses((status = 200, body = [ReferralSummaryOut]), (status = 403, body = crate::api::ErrorOut)))]
pub async fn referrals(ctx: ApiCtx) -> ApiResult<Json<Vec<ReferralSummaryOut>>> {
    let list = ctx
        .state
        .app
        .referrals(&ctx.actor)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(
        list.into_iter()
            .map(|r| ReferralSummaryOut {
                id: r.record.id,
                label: r.label,
                service: r.record.service,
                provider: r.record.provider_name,
                status: r.record.status.as_str().into(),
                overdue: r.overdue,
                urgent: r.record.urgent,
                minor: r.record.minor,
                sent_at: r.record.sent_at.to_rfc3339(),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct SharedFieldOut {
    /// A consentable field (`name`, `age`, `health`, ...).
    field: String,
    /// The value as text (codes as they are).
    value: String,
}

#[derive(Serialize, ToSchema)]
pub struct EventOut {
    at: String,
    by: String,
    unit: String,
    status: String,
    reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ReferralOut {
    #[serde(flatten)]
    summary: ReferralSummaryOut,
    district: String,
    /// What the provider sees of the person: only fields consented now.
    shared: Vec<SharedFieldOut>,
    /// Fields asked for whose consent was withdrawn: not shared.
    withheld: Vec<String>,
    history: Vec<EventOut>,
}

fn value_text(v: &SharedValue) -> String {
    match v {
        SharedValue::Text { text } => text.clone(),
        SharedValue::Code { code, .. } => code.clone(),
        SharedValue::Codes { codes, .. } => codes.join(", "),
        SharedValue::Answers { answers, note } => {
            let mut parts: Vec<String> = answers
                .iter()
                .map(|(q, a)| format!("{q}={}", a.as_str()))
                .collect();
            if !note.is_empty() {
                parts.push(note.clone());
            }
            parts.join("; ")
        }
    }
}

/// One referral as the reader's side sees it, with its history.
#[utoipa::path(get, path = "/api/v1/referrals/{id}", params(("id" = String, Path)),
    responses((status = 200, body = ReferralOut), (status = 404, body = crate::api::ErrorOut)))]
pub async fn referral(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<ReferralOut>> {
    let v = ctx
        .state
        .app
        .view_referral(&ctx.actor, &id)
        .await
        .map_err(|e| ctx.err(e))?;
    let r = v.record;
    Ok(Json(ReferralOut {
        district: r.district.clone(),
        shared: v
            .shared
            .iter()
            .map(|s| SharedFieldOut {
                field: s.field.clone(),
                value: value_text(&s.value),
            })
            .collect(),
        withheld: v.withheld,
        history: v
            .events
            .into_iter()
            .map(|e| EventOut {
                at: e.at.to_rfc3339(),
                by: e.by,
                unit: e.unit_code,
                status: e.status.as_str().into(),
                reason: e.reason,
            })
            .collect(),
        summary: ReferralSummaryOut {
            id: r.id,
            label: v.label,
            service: r.service,
            provider: r.provider_name,
            status: r.status.as_str().into(),
            overdue: v.overdue,
            urgent: r.urgent,
            minor: r.minor,
            sent_at: r.sent_at.to_rfc3339(),
        },
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct ResponseRequest {
    /// `accept` or `decline` (required: a missing one is reported with the other problems).
    #[serde(default)]
    decision: Option<String>,
    /// A decline reason code (required to decline).
    reason: Option<String>,
    note: Option<String>,
}

/// The provider accepts or declines a referral to its organisation.
#[utoipa::path(post, path = "/api/v1/referrals/{id}/response", params(("id" = String, Path)), request_body = ResponseRequest,
    responses((status = 200, body = ReferralOut), (status = 422, body = crate::api::ErrorOut), (status = 404, body = crate::api::ErrorOut)))]
pub async fn respond(
    ctx: ApiCtx,
    Path(id): Path<String>,
    Json(body): Json<ResponseRequest>,
) -> ApiResult<Json<ReferralOut>> {
    let input = ResponseInput {
        decision: body.decision,
        reason: body.reason,
        note: body.note,
    };
    ctx.state
        .app
        .respond_referral(&ctx.actor, &id, &input)
        .await
        .map_err(|e| ctx.err(e))?;
    referral(ctx, Path(id)).await
}

#[derive(Serialize, ToSchema)]
pub struct CountOut {
    key: String,
    count: u64,
}

#[derive(Serialize, ToSchema)]
pub struct MeasuresOut {
    agency: String,
    caseload: Vec<CountOut>,
    first_service_median_days: Option<f64>,
    first_service_mean_days: Option<f64>,
    files_without_service: u64,
    referrals_by_status: Vec<CountOut>,
    overdue: u64,
    services_by_type: Vec<CountOut>,
    file_closures: Vec<CountOut>,
    referral_closures: Vec<CountOut>,
}

fn counts(v: Vec<(String, u64)>) -> Vec<CountOut> {
    v.into_iter()
        .map(|(key, count)| CountOut { key, count })
        .collect()
}

/// The managers' measures of victim protection for the own agency.
#[utoipa::path(get, path = "/api/v1/measures",
    responses((status = 200, body = MeasuresOut), (status = 403, body = crate::api::ErrorOut)))]
pub async fn measures(ctx: ApiCtx) -> ApiResult<Json<MeasuresOut>> {
    let m = ctx
        .state
        .app
        .measures(&ctx.actor)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(MeasuresOut {
        agency: m.agency,
        caseload: counts(m.caseload),
        first_service_median_days: m.first_service_median_days,
        first_service_mean_days: m.first_service_mean_days,
        files_without_service: m.files_without_service,
        referrals_by_status: counts(m.referrals_by_status),
        overdue: m.overdue,
        services_by_type: counts(m.services_by_type),
        file_closures: counts(m.file_closures),
        referral_closures: counts(m.referral_closures),
    }))
}
