//! The JSON API of the organized-crime assessment: the Global Organized Crime Index's country
//! profiles (composites and ranks recomputed by its method) and the agency's provincial and
//! district assessments (list, read, score, edit, compare). Scores are numbers from 1 to 10 in
//! half points; composites are the Index's two-decimal values.

use crate::api::{ApiCtx, ApiResult};
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::Json;
use nigehban_core::actor::Principal;
use nigehban_core::service::{AssessmentInput, AssessmentView, CountryProfile};
use nigehban_ocindex::{Composites, Rank, RankSet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// The four composites of the Index, each rounded half up to two decimals.
#[derive(Serialize, ToSchema)]
pub struct CompositesOut {
    criminality: f64,
    markets: f64,
    actors: f64,
    resilience: f64,
}

impl From<&Composites> for CompositesOut {
    fn from(c: &Composites) -> Self {
        CompositesOut {
            criminality: c.criminality.to_f64(),
            markets: c.markets.to_f64(),
            actors: c.actors.to_f64(),
            resilience: c.resilience.to_f64(),
        }
    }
}

/// A place among `of` countries (1 is the highest score; ties share a rank).
#[derive(Serialize, ToSchema)]
pub struct RankOut {
    rank: u32,
    of: u32,
}

impl From<Rank> for RankOut {
    fn from(r: Rank) -> Self {
        RankOut {
            rank: r.rank,
            of: r.of,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RankSetOut {
    overall: RankOut,
    continent: RankOut,
    region: RankOut,
}

impl From<&RankSet> for RankSetOut {
    fn from(r: &RankSet) -> Self {
        RankSetOut {
            overall: r.overall.into(),
            continent: r.continent.into(),
            region: r.region.into(),
        }
    }
}

/// A country's profile in one edition of the Index.
#[derive(Serialize, ToSchema)]
pub struct CountryProfileOut {
    edition: i32,
    iso3: String,
    name: String,
    continent: String,
    region: String,
    composites: CompositesOut,
    criminality_rank: RankSetOut,
    resilience_rank: RankSetOut,
    /// Score by indicator code (e.g. `human_trafficking`: 8.0).
    scores: BTreeMap<String, f64>,
}

impl From<&CountryProfile> for CountryProfileOut {
    fn from(p: &CountryProfile) -> Self {
        CountryProfileOut {
            edition: p.edition,
            iso3: p.iso3.clone(),
            name: p.name.clone(),
            continent: p.continent.clone(),
            region: p.region.clone(),
            composites: (&p.composites).into(),
            criminality_rank: (&p.ranks.criminality).into(),
            resilience_rank: (&p.ranks.resilience).into(),
            scores: p
                .scores
                .iter()
                .map(|(k, s)| (k.clone(), s.to_f64()))
                .collect(),
        }
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct CountriesParams {
    /// The edition (2021, 2023); the newest loaded by default.
    edition: Option<i32>,
    /// Part of a country's name, or its ISO3 code.
    q: String,
}

async fn edition_or_latest(ctx: &ApiCtx, edition: Option<i32>) -> ApiResult<Option<i32>> {
    let held = ctx
        .state
        .app
        .index_editions(&Principal::User(ctx.actor.clone()))
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(match edition {
        Some(y) => Some(y),
        None => held.last().map(|e| e.year),
    })
}

/// The countries of one edition (all, or those matching `q`), highest criminality first.
#[utoipa::path(get, path = "/api/v1/assessments/countries", params(CountriesParams),
    responses((status = 200, body = [CountryProfileOut]), (status = 403, body = crate::api::ErrorOut)))]
pub async fn countries(
    ctx: ApiCtx,
    Query(q): Query<CountriesParams>,
) -> ApiResult<Json<Vec<CountryProfileOut>>> {
    let Some(edition) = edition_or_latest(&ctx, q.edition).await? else {
        return Ok(Json(Vec::new()));
    };
    let list = ctx
        .state
        .app
        .country_profiles(&Principal::User(ctx.actor.clone()), edition, &q.q)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(list.iter().map(CountryProfileOut::from).collect()))
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct EditionParams {
    /// The edition (2021, 2023); the newest loaded by default.
    edition: Option<i32>,
}

/// One country's profile (ISO 3166 alpha-3 code) with its composites and ranks overall, in its
/// continent and in its region.
#[utoipa::path(get, path = "/api/v1/assessments/countries/{id}", params(("id" = String, Path, description = "ISO3 code, e.g. PAK"), EditionParams),
    responses((status = 200, body = CountryProfileOut), (status = 404, body = crate::api::ErrorOut), (status = 403, body = crate::api::ErrorOut)))]
pub async fn country(
    ctx: ApiCtx,
    Path(iso3): Path<String>,
    Query(q): Query<EditionParams>,
) -> ApiResult<Json<CountryProfileOut>> {
    let Some(edition) = edition_or_latest(&ctx, q.edition).await? else {
        return Err(ctx.err(nigehban_core::CoreError::NotFound));
    };
    let p = ctx
        .state
        .app
        .country_profile(&Principal::User(ctx.actor.clone()), &iso3, edition)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json((&p).into()))
}

/// One indicator's score and why.
#[derive(Serialize, ToSchema)]
pub struct IndicatorScoreOut {
    indicator: String,
    score: f64,
    justification: String,
}

/// An assessment of a province or district.
#[derive(Serialize, ToSchema)]
pub struct AssessmentOut {
    id: String,
    /// `province:PB` or `district:gujrat` (gazetteer codes).
    scope: String,
    place: String,
    year: i32,
    /// The edition whose indicator set was scored.
    edition: i32,
    composites: CompositesOut,
    scores: Vec<IndicatorScoreOut>,
    assessed_by: String,
    assessed_at: String,
    /// Give it back with an edit: an edit of a changed assessment is refused (409).
    version: i64,
}

impl From<&AssessmentView> for AssessmentOut {
    fn from(v: &AssessmentView) -> Self {
        AssessmentOut {
            id: v.record.id.clone(),
            scope: v.record.scope.key(),
            place: v.scope_en.clone(),
            year: v.record.year,
            edition: v.record.edition,
            composites: (&v.composites).into(),
            scores: v
                .record
                .scores
                .iter()
                .map(|s| IndicatorScoreOut {
                    indicator: s.indicator.clone(),
                    score: s.score.to_f64(),
                    justification: s.justification.clone(),
                })
                .collect(),
            assessed_by: v.record.assessed_by.clone(),
            assessed_at: v.record.assessed_at.to_rfc3339(),
            version: v.record.version,
        }
    }
}

#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
pub struct ScopeParams {
    /// Only this place, e.g. `district:gujrat` (its assessments over the years).
    scope: String,
}

/// The agency's assessments of provinces and districts, by place then year.
#[utoipa::path(get, path = "/api/v1/assessments/subnational", params(ScopeParams),
    responses((status = 200, body = [AssessmentOut]), (status = 403, body = crate::api::ErrorOut)))]
pub async fn list(
    ctx: ApiCtx,
    Query(q): Query<ScopeParams>,
) -> ApiResult<Json<Vec<AssessmentOut>>> {
    let list = ctx
        .state
        .app
        .assessments(&ctx.actor, Some(&q.scope))
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(list.iter().map(AssessmentOut::from).collect()))
}

/// A score as a number (6.5) or as text ("6,5").
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum ScoreIn {
    Number(f64),
    Text(String),
}

impl ScoreIn {
    fn text(&self) -> String {
        match self {
            ScoreIn::Number(n) => n.to_string(),
            ScoreIn::Text(t) => t.clone(),
        }
    }
}

/// An assessment to save: every indicator of the edition scored, each with its justification.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct AssessmentRequest {
    /// `province:PB` or `district:gujrat`.
    scope: String,
    year: Option<i32>,
    /// 2021 or 2023; by default the newest edition published in or before the year.
    edition: Option<i32>,
    /// Score by indicator code, 1 to 10 in half points.
    #[schema(value_type = BTreeMap<String, f64>)]
    scores: BTreeMap<String, ScoreIn>,
    /// Justification by indicator code.
    justifications: BTreeMap<String, String>,
    /// For an edit: the version read.
    version: Option<i64>,
}

impl AssessmentRequest {
    fn input(&self) -> AssessmentInput {
        AssessmentInput {
            scope: self.scope.clone(),
            year: self.year.map(|y| y.to_string()).unwrap_or_default(),
            edition: self.edition.map(|y| y.to_string()).unwrap_or_default(),
            scores: self
                .scores
                .iter()
                .map(|(k, v)| (k.clone(), v.text()))
                .collect(),
            justifications: self.justifications.clone(),
            version: self.version,
        }
    }
}

/// Score a province or district. Every problem comes back with its field (`score-<code>`,
/// `justification-<code>`, `scope`, `year`, `edition`).
#[utoipa::path(post, path = "/api/v1/assessments/subnational", request_body = AssessmentRequest,
    responses((status = 201, body = AssessmentOut), (status = 422, body = crate::api::ErrorOut), (status = 403, body = crate::api::ErrorOut)))]
pub async fn create(
    ctx: ApiCtx,
    Json(r): Json<AssessmentRequest>,
) -> ApiResult<(StatusCode, Json<AssessmentOut>)> {
    let v = ctx
        .state
        .app
        .save_assessment(&ctx.actor, None, &r.input())
        .await
        .map_err(|e| ctx.err(e))?;
    Ok((StatusCode::CREATED, Json((&v).into())))
}

/// One assessment of the agency.
#[utoipa::path(get, path = "/api/v1/assessments/subnational/{id}", params(("id" = String, Path)),
    responses((status = 200, body = AssessmentOut), (status = 404, body = crate::api::ErrorOut)))]
pub async fn get(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<AssessmentOut>> {
    let v = ctx
        .state
        .app
        .assessment(&ctx.actor, &id)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json((&v).into()))
}

/// Replace an assessment's scores (give the `version` read: 409 when it changed meanwhile).
#[utoipa::path(post, path = "/api/v1/assessments/subnational/{id}", params(("id" = String, Path)), request_body = AssessmentRequest,
    responses((status = 200, body = AssessmentOut), (status = 409, body = crate::api::ErrorOut), (status = 422, body = crate::api::ErrorOut)))]
pub async fn update(
    ctx: ApiCtx,
    Path(id): Path<String>,
    Json(r): Json<AssessmentRequest>,
) -> ApiResult<Json<AssessmentOut>> {
    let v = ctx
        .state
        .app
        .save_assessment(&ctx.actor, Some(&id), &r.input())
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json((&v).into()))
}

/// Assessments side by side (`?id=..&id=..`, at most 8), in the order asked.
#[utoipa::path(get, path = "/api/v1/assessments/compare", params(("id" = Vec<String>, Query, description = "assessment ids, repeated")),
    responses((status = 200, body = [AssessmentOut]), (status = 404, body = crate::api::ErrorOut)))]
pub async fn compare(
    ctx: ApiCtx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> ApiResult<Json<Vec<AssessmentOut>>> {
    let ids: Vec<String> = pairs
        .into_iter()
        .filter(|(k, _)| k == "id")
        .map(|(_, v)| v)
        .collect();
    let list = ctx
        .state
        .app
        .compare_assessments(&ctx.actor, &ids)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(list.iter().map(AssessmentOut::from).collect()))
}
