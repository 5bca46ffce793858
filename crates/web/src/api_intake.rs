//! The JSON API of intake: the TIP / SOM assessment of any set of facts.

use crate::api::{ApiCtx, ApiResult};
use axum::Json;
use nigehban_core::CoreError;
use nigehban_domain::assessment::AssessmentFacts;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The facts of one person's story. Every field is optional; `null` or absent means unknown,
/// which is not the same as `false`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClassifyRequest {
    /// Age in whole years at the time of the events.
    #[schema(example = 16)]
    age_years: Option<u32>,
    /// Whether the person was a child (under 18), when the exact age is not known.
    is_child: Option<bool>,
    /// Indicator codes (act, means, purpose, ILO forced labour, smuggling, vulnerability), as
    /// listed by `GET /api/v1/reference/indicators`.
    #[serde(default)]
    #[schema(example = json!(["recruitment", "deception", "purpose_forced_labour"]))]
    indicators: Vec<String>,
    /// Forms of exploitation, actual or intended (e.g. `forced_labour`).
    #[serde(default)]
    exploitation_forms: Vec<String>,
    /// Crossed an international border into a country of which they are not a national.
    crossed_border: Option<bool>,
    /// Entered or left outside the law (no valid documents, away from an official crossing).
    irregular_crossing: Option<bool>,
    /// The person who arranged the journey received or was promised a material benefit.
    benefit_to_facilitator: Option<bool>,
    /// The person agreed to the journey or the work (never defeats trafficking).
    consented: Option<bool>,
    /// Exploited on the way or at the destination.
    exploited_en_route: Option<bool>,
}

impl From<ClassifyRequest> for AssessmentFacts {
    fn from(r: ClassifyRequest) -> Self {
        AssessmentFacts {
            age_years: r.age_years,
            is_child: r.is_child,
            indicators: r.indicators,
            exploitation_forms: r.exploitation_forms,
            crossed_border: r.crossed_border,
            irregular_crossing: r.irregular_crossing,
            benefit_to_facilitator: r.benefit_to_facilitator,
            consented: r.consented,
            exploited_en_route: r.exploited_en_route,
        }
    }
}

/// One reason for the suggestion, in the caller's language.
#[derive(Serialize, ToSchema)]
pub struct ReasonOut {
    code: String,
    /// `trafficking`, `smuggling` or `general`.
    topic: String,
    text: String,
    indicators: Vec<String>,
    forms: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ClassifyOut {
    /// `trafficking`, `smuggling`, `both`, `neither` or `insufficient_information`.
    suggestion: String,
    suggestion_label: String,
    reasons: Vec<ReasonOut>,
    /// Element by element: act, means, purpose (trafficking); border, irregularity, benefit
    /// (smuggling), each with its status and the facts that showed it.
    #[schema(value_type = Object)]
    trafficking: serde_json::Value,
    #[schema(value_type = Object)]
    smuggling: serde_json::Value,
}

/// Suggest trafficking, smuggling, both or neither for a set of facts, with the reasons in plain
/// words (for a child the means need not be shown; consent is irrelevant to trafficking; smuggling
/// needs a border and a benefit; a smuggled migrant exploited on the way is also a victim of
/// trafficking). Nothing is read or stored: the officer decides.
#[utoipa::path(post, path = "/api/v1/assessments/classify", request_body = ClassifyRequest,
    responses((status = 200, body = ClassifyOut), (status = 401, body = crate::api::ErrorOut), (status = 422, body = crate::api::ErrorOut)))]
pub async fn classify(
    ctx: ApiCtx,
    Json(req): Json<ClassifyRequest>,
) -> ApiResult<Json<ClassifyOut>> {
    let facts: AssessmentFacts = req.into();
    let a = ctx
        .state
        .app
        .classify(&facts)
        .map_err(|e| ctx.err(CoreError::Invalid(e)))?;
    let tr = &ctx.tr;
    Ok(Json(ClassifyOut {
        suggestion: a.suggestion.as_str().to_string(),
        suggestion_label: tr.t(&a.suggestion.message_id()),
        reasons: a
            .reasons
            .iter()
            .map(|r| ReasonOut {
                code: r.code.as_str().to_string(),
                topic: r.topic.as_str().to_string(),
                text: tr.t(&r.code.message_id()),
                indicators: r.indicators.clone(),
                forms: r.forms.iter().map(|f| f.as_str().to_string()).collect(),
            })
            .collect(),
        trafficking: serde_json::to_value(&a.trafficking).unwrap_or_default(),
        smuggling: serde_json::to_value(&a.smuggling).unwrap_or_default(),
    }))
}

/// One indicator of the interview's catalogue.
#[derive(Serialize, ToSchema)]
pub struct IndicatorOut {
    code: String,
    category: String,
    label: String,
}

/// The indicators of trafficking and smuggling the interview records and the assessment reads.
#[utoipa::path(get, path = "/api/v1/reference/indicators", responses((status = 200, body = [IndicatorOut])))]
pub async fn indicators(ctx: ApiCtx) -> Json<Vec<IndicatorOut>> {
    Json(
        ctx.state
            .app
            .refdata()
            .indicators
            .iter()
            .map(|i| IndicatorOut {
                code: i.code.clone(),
                category: i.category.as_str().to_string(),
                label: ctx.tr.code("indicator", &i.code),
            })
            .collect(),
    )
}
