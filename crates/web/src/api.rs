//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/v1/openapi.json`.
//! Authentication: `POST /api/v1/session` returns a bearer token; a browser session cookie also
//! works, with the `X-CSRF-Token` header on requests that change data.

use crate::ctx::{origin, request_lang, AppState, Tr, SESSION_COOKIE};
use axum::extract::{FromRef, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{header, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::CookieJar;
use nigehban_core::service::PersonRef;
use nigehban_core::service::{CaseView, PersonView, ShareInput};
use nigehban_core::store::{CaseSummary, PersonSummary};
use nigehban_core::{Actor, CoreError};
use nigehban_domain::case::{CaseInput, TransitionInput, VerdictInput};
use nigehban_domain::crime::CrimeType;
use nigehban_domain::ids::{CaseId, PersonId};
use nigehban_domain::person::{parse_date, AgeInfo, PersonInput};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use utoipa::{OpenApi, ToSchema};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/session", post(create_session).delete(delete_session))
        .route("/session/totp", post(session_totp))
        .route("/cases", get(list_cases).post(create_case))
        .route("/cases/{id}", get(get_case))
        .route("/cases/{id}/transitions", post(move_case))
        .route("/cases/{id}/persons", post(add_person))
        .route("/persons", get(list_persons))
        .route("/cases/{id}/shares", post(share_case))
        .route(
            "/cases/{id}/shares/{share}",
            axum::routing::delete(revoke_share),
        )
        .route("/cases/{id}/assignments", post(assign_case))
        .route("/cases/{id}/seal", post(seal_case))
        .route("/persons/{id}", get(get_person))
        .route("/persons/{id}/reveal", post(reveal_identity))
        .route("/persons/{id}/seal", post(seal_person))
        .route("/reference/provisions", get(provisions))
        .route("/reference/districts", get(districts))
        .route("/reference/indicators", get(crate::api_intake::indicators))
        .route("/assessments/classify", post(crate::api_intake::classify))
        .route("/network/neighbours", get(crate::api_linkage::neighbours))
        .route("/network/path", get(crate::api_linkage::path))
        .route("/duplicates", get(crate::api_linkage::duplicates))
        .route("/statistics", get(crate::api_statistics::statistics))
        .route(
            "/statistics/dashboard",
            get(crate::api_statistics::dashboard),
        )
        .route("/reports/{code}", get(crate::api_statistics::report))
        .route("/services", get(crate::api_victims::services))
        .route("/referrals", get(crate::api_victims::referrals))
        .route("/referrals/{id}", get(crate::api_victims::referral))
        .route(
            "/referrals/{id}/response",
            post(crate::api_victims::respond),
        )
        .route("/measures", get(crate::api_victims::measures))
        .route(
            "/exchange/htcds",
            get(crate::api_exchange::htcds_export).post(crate::api_exchange::htcds_import),
        )
        .route("/exchange/ctdc", get(crate::api_exchange::ctdc))
        .route("/assessments/countries", get(crate::api_ocindex::countries))
        .route(
            "/assessments/countries/{id}",
            get(crate::api_ocindex::country),
        )
        .route(
            "/assessments/subnational",
            get(crate::api_ocindex::list).post(crate::api_ocindex::create),
        )
        .route(
            "/assessments/subnational/{id}",
            get(crate::api_ocindex::get).post(crate::api_ocindex::update),
        )
        .route("/assessments/compare", get(crate::api_ocindex::compare))
        .fallback(|| async {
            ApiError::plain(StatusCode::NOT_FOUND, "not-found", "No such endpoint.")
        })
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Nigehban API", version = "1", description = "Cases, persons and stages of TIP and SOM cases. Every call is made as the signed-in user, subject to the access policy, and audited."),
    paths(create_session, session_totp, delete_session, list_cases, create_case, get_case, move_case, add_person, share_case, revoke_share, assign_case, seal_case, list_persons, get_person, reveal_identity, seal_person, provisions, districts,
        crate::api_intake::classify, crate::api_intake::indicators,
        crate::api_linkage::neighbours, crate::api_linkage::path, crate::api_linkage::duplicates,
        crate::api_statistics::statistics, crate::api_statistics::dashboard, crate::api_statistics::report,
        crate::api_victims::services, crate::api_victims::referrals, crate::api_victims::referral, crate::api_victims::respond, crate::api_victims::measures,
        crate::api_exchange::htcds_export, crate::api_exchange::htcds_import, crate::api_exchange::ctdc,
        crate::api_ocindex::countries, crate::api_ocindex::country, crate::api_ocindex::list, crate::api_ocindex::create,
        crate::api_ocindex::get, crate::api_ocindex::update, crate::api_ocindex::compare),
    components(schemas(LoginRequest, SessionOut, TotpRequest, CaseRequest, CaseOut, CaseDetailOut, CasePersonOut, StageEventOut, TransitionRequest, VerdictRequest,
        AddPersonRequest, PersonRequest, ShareRequest, ShareOut, AssignRequest, SealRequest, RevealRequest, PersonOut, PersonDetailOut, IdentifierOut, PersonCaseOut, ProvisionOut, DistrictOut, ErrorOut, ErrorBody, FieldErrorOut, AddedPersonOut,
        crate::api_intake::ClassifyRequest, crate::api_intake::ClassifyOut, crate::api_intake::ReasonOut, crate::api_intake::IndicatorOut,
        crate::api_linkage::NodeOut, crate::api_linkage::EdgeOut, crate::api_linkage::NetworkOut,
        crate::api_linkage::AgreementOut, crate::api_linkage::PartyOut, crate::api_linkage::DuplicateOut,
        crate::api_statistics::StatRowOut, crate::api_statistics::StatTableOut,
        crate::api_victims::ProviderOut, crate::api_victims::ReferralSummaryOut, crate::api_victims::SharedFieldOut, crate::api_victims::EventOut,
        crate::api_victims::ReferralOut, crate::api_victims::ResponseRequest, crate::api_victims::CountOut, crate::api_victims::MeasuresOut,
        crate::api_exchange::ImportOut, crate::api_exchange::LocatedOut, crate::api_exchange::UnmappedOut, crate::api_exchange::CtdcOut,
        crate::api_ocindex::CompositesOut, crate::api_ocindex::RankOut, crate::api_ocindex::RankSetOut, crate::api_ocindex::CountryProfileOut,
        crate::api_ocindex::IndicatorScoreOut, crate::api_ocindex::AssessmentOut, crate::api_ocindex::AssessmentRequest)),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
struct ApiDoc;

struct BearerAuth;
impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

async fn openapi() -> Response {
    match ApiDoc::openapi().to_pretty_json() {
        Ok(s) => ([(header::CONTENT_TYPE, "application/json")], s).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

// ---- Errors -------------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct ErrorOut {
    error: ErrorBody,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable code: invalid, not-found, forbidden, conflict, unauthenticated, csrf, server-error.
    code: String,
    /// In the request's language (Accept-Language or ?lang=).
    message: String,
    fields: Vec<FieldErrorOut>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldErrorOut {
    field: String,
    code: String,
    message: String,
}

pub struct ApiError(StatusCode, ErrorOut);

impl ApiError {
    fn plain(status: StatusCode, code: &str, message: &str) -> ApiError {
        ApiError(
            status,
            ErrorOut {
                error: ErrorBody {
                    code: code.into(),
                    message: message.into(),
                    fields: Vec::new(),
                },
            },
        )
    }
    pub(crate) fn from_core(tr: &Tr, e: CoreError) -> ApiError {
        let (status, code, key) = match &e {
            CoreError::Invalid(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                "form-errors-title",
            ),
            CoreError::NotFound => (StatusCode::NOT_FOUND, "not-found", "error-not-found"),
            CoreError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "error-forbidden"),
            CoreError::Conflict(_) => (StatusCode::CONFLICT, "conflict", "error-conflict"),
            CoreError::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                "error-unauthenticated",
            ),
            CoreError::SecondFactorRequired => (
                StatusCode::UNAUTHORIZED,
                "second-factor-required",
                "totp-intro",
            ),
            CoreError::Store(err) => {
                tracing::error!(error = %err, "storage error");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "server-error",
                    "error-server",
                )
            }
        };
        let fields = match &e {
            CoreError::Invalid(errs) => crate::views::error_items(tr, errs)
                .into_iter()
                .zip(errs.iter())
                .map(|(item, fe)| FieldErrorOut {
                    field: fe.field.clone(),
                    code: fe.problem.code().to_string(),
                    message: item.message,
                })
                .collect(),
            _ => Vec::new(),
        };
        ApiError(
            status,
            ErrorOut {
                error: ErrorBody {
                    code: code.into(),
                    message: tr.t(key),
                    fields,
                },
            },
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(self.1)).into_response()
    }
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;

// ---- Authentication -----------------------------------------------------------------------

/// The signed-in user of an API call.
pub struct ApiCtx {
    pub(crate) state: AppState,
    pub(crate) tr: Tr,
    pub(crate) actor: Actor,
}

impl<S> FromRequestParts<S> for ApiCtx
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let state = AppState::from_ref(state);
        let tr = Tr {
            cat: state.i18n.clone(),
            lang: request_lang(parts),
        };
        let unauth = |tr: &Tr| ApiError::from_core(tr, CoreError::Unauthenticated);
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok())
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(|t| t.trim().to_string());
        let (token, via_cookie) = match bearer {
            Some(t) => (t, false),
            None => match CookieJar::from_headers(&parts.headers).get(SESSION_COOKIE) {
                Some(c) => (c.value().to_string(), true),
                None => return Err(unauth(&tr)),
            },
        };
        let (actor, csrf) = match state.app.authenticate(&token, &origin(parts)).await {
            Ok(x) => x,
            Err(e) => return Err(ApiError::from_core(&tr, e)),
        };
        // A cookie is sent by the browser on its own, so changes made with it need proof that the
        // request came from our page: the CSRF token in a header.
        if via_cookie && !matches!(parts.method, Method::GET | Method::HEAD) {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|h| h.to_str().ok())
                .unwrap_or("");
            if sent != csrf {
                return Err(ApiError(
                    StatusCode::FORBIDDEN,
                    ErrorOut {
                        error: ErrorBody {
                            code: "csrf".into(),
                            message: tr.t("error-csrf"),
                            fields: Vec::new(),
                        },
                    },
                ));
            }
        }
        Ok(ApiCtx { state, tr, actor })
    }
}

impl ApiCtx {
    pub(crate) fn err(&self, e: CoreError) -> ApiError {
        ApiError::from_core(&self.tr, e)
    }
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    username: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionOut {
    /// Send as `Authorization: Bearer <token>`.
    token: String,
    expires_at: String,
    /// The role needs a TOTP code: send it to `POST /api/v1/session/totp` before anything else.
    second_factor_required: bool,
}

/// Sign in and get a bearer token.
#[utoipa::path(post, path = "/api/v1/session", request_body = LoginRequest, security(()),
    responses((status = 200, body = SessionOut), (status = 401, body = ErrorOut)))]
async fn create_session(
    State(state): State<AppState>,
    parts: Parts,
    Json(req): Json<LoginRequest>,
) -> ApiResult<Json<SessionOut>> {
    let tr = Tr {
        cat: state.i18n.clone(),
        lang: request_lang(&parts),
    };
    match state
        .app
        .login(&req.username, &req.password, &origin(&parts))
        .await
    {
        Ok(s) => Ok(Json(SessionOut {
            token: s.token,
            expires_at: s.expires_at.to_rfc3339(),
            second_factor_required: s.second_factor,
        })),
        Err(e) => Err(ApiError::from_core(&tr, e)),
    }
}

/// Sign out: the token stops working.
#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204), (status = 401, body = ErrorOut)))]
async fn delete_session(ctx: ApiCtx, parts: Parts) -> ApiResult<StatusCode> {
    let token = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::to_string)
        .or_else(|| {
            CookieJar::from_headers(&parts.headers)
                .get(SESSION_COOKIE)
                .map(|c| c.value().to_string())
        })
        .unwrap_or_default();
    ctx.state.app.logout(&token).await.map_err(|e| ctx.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

// ---- Cases --------------------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct CaseOut {
    id: String,
    number: String,
    title: String,
    crime_types: Vec<String>,
    stage: String,
    province: String,
    district: String,
    unit: String,
    offence_date: String,
    created_at: String,
}

impl From<&CaseSummary> for CaseOut {
    fn from(c: &CaseSummary) -> Self {
        CaseOut {
            id: c.id.to_string(),
            number: c.number.to_string(),
            title: c.title.clone(),
            crime_types: c.crime_types.clone(),
            stage: c.stage.as_str().into(),
            province: c.province.clone(),
            district: c.district.clone(),
            unit: c.unit_code.clone(),
            offence_date: c.offence_date.to_string(),
            created_at: c.created_at.to_rfc3339(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CasePersonOut {
    person_id: String,
    name_roman: Option<String>,
    name_urdu: Option<String>,
    sex: String,
    role: String,
    chain_role: Option<String>,
    verdict: Option<String>,
    /// The name is a pseudonym: a protected person whose identity was not revealed to this user.
    pseudonymised: bool,
}

#[derive(Serialize, ToSchema)]
pub struct StageEventOut {
    from: Option<String>,
    to: String,
    occurred_on: String,
    reference: Option<String>,
    note: Option<String>,
    by: String,
    at: String,
}

#[derive(Serialize, ToSchema)]
pub struct CaseDetailOut {
    #[serde(flatten)]
    case: CaseOut,
    exploitation_forms: Vec<String>,
    provisions: Vec<String>,
    narrative: Option<String>,
    registered_by: String,
    /// True when the case is shared as a summary: persons are not given.
    persons_withheld: bool,
    persons: Vec<CasePersonOut>,
    history: Vec<StageEventOut>,
}

impl From<&CaseView> for CaseDetailOut {
    fn from(v: &CaseView) -> Self {
        let d = &v.detail;
        CaseDetailOut {
            persons_withheld: !v.access.persons,
            case: CaseOut::from(&d.summary),
            exploitation_forms: d.exploitation_forms.clone(),
            provisions: d.provisions.clone(),
            narrative: d.narrative.clone(),
            registered_by: d.created_by.clone(),
            persons: d
                .persons
                .iter()
                .map(|p| CasePersonOut {
                    person_id: p.person_id.to_string(),
                    name_roman: p.name_roman.clone(),
                    name_urdu: p.name_urdu.clone(),
                    sex: p.sex.clone(),
                    role: p.role.role.as_str().into(),
                    chain_role: p.role.chain_role.map(|c| c.as_str().into()),
                    verdict: p.verdict.map(|v| v.as_str().into()),
                    pseudonymised: p.pseudonymised,
                })
                .collect(),
            history: d
                .history
                .iter()
                .map(|h| StageEventOut {
                    from: h.from.map(|s| s.as_str().into()),
                    to: h.to.as_str().into(),
                    occurred_on: h.occurred_on.to_string(),
                    reference: h.reference.clone(),
                    note: h.note.clone(),
                    by: h.by_user.clone(),
                    at: h.at.to_rfc3339(),
                })
                .collect(),
        }
    }
}

/// A case to register. Codes: crime types `tip`, `som`, `document_fraud`, `unlawful_emigration`,
/// `harbouring`, `bonded_labour`; provisions and districts from `/reference/...`.
#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct CaseRequest {
    title: Option<String>,
    crime_types: Vec<String>,
    exploitation_forms: Vec<String>,
    provisions: Vec<String>,
    /// ISO 3166-2:PK code without prefix: PB, SD, KP, BA, IS, GB, JK.
    province: Option<String>,
    district: Option<String>,
    /// YYYY-MM-DD.
    offence_date: Option<String>,
    narrative: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[serde(default)]
pub struct QueryParams {
    /// Case number, name in either script, CNIC, passport or phone. Empty: the most recent cases.
    q: String,
}

/// Search cases (or list the most recent ones) within what the user may see.
#[utoipa::path(get, path = "/api/v1/cases", params(QueryParams), responses((status = 200, body = [CaseOut]), (status = 401, body = ErrorOut)))]
async fn list_cases(ctx: ApiCtx, Query(q): Query<QueryParams>) -> ApiResult<Json<Vec<CaseOut>>> {
    let list = if q.q.trim().is_empty() {
        ctx.state.app.recent_cases(&ctx.actor, 100).await
    } else {
        ctx.state.app.search_cases(&ctx.actor, &q.q).await
    }
    .map_err(|e| ctx.err(e))?;
    Ok(Json(list.iter().map(CaseOut::from).collect()))
}

/// Register a case in the user's unit; it starts at the complaint stage.
#[utoipa::path(post, path = "/api/v1/cases", request_body = CaseRequest,
    responses((status = 201, body = CaseOut), (status = 422, body = ErrorOut), (status = 403, body = ErrorOut)))]
async fn create_case(
    ctx: ApiCtx,
    Json(r): Json<CaseRequest>,
) -> ApiResult<(StatusCode, Json<CaseOut>)> {
    let input = CaseInput {
        title: r.title,
        crime_types: r.crime_types,
        exploitation_forms: r.exploitation_forms,
        provisions: r.provisions,
        province: r.province,
        district: r.district,
        offence_date: r.offence_date,
        narrative: r.narrative,
    };
    let c = ctx
        .state
        .app
        .register_case(&ctx.actor, &input)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok((StatusCode::CREATED, Json(CaseOut::from(&c))))
}

fn parse_id<T: std::str::FromStr>(ctx: &ApiCtx, raw: &str) -> ApiResult<T> {
    raw.parse::<T>().map_err(|_| ctx.err(CoreError::NotFound))
}

/// A case with its persons and stage history.
#[utoipa::path(get, path = "/api/v1/cases/{id}", params(("id" = String, Path)),
    responses((status = 200, body = CaseDetailOut), (status = 404, body = ErrorOut)))]
async fn get_case(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<CaseDetailOut>> {
    let id: CaseId = parse_id(&ctx, &id)?;
    let d = ctx
        .state
        .app
        .view_case(&ctx.actor, id)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(CaseDetailOut::from(&d)))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct VerdictRequest {
    person_id: String,
    /// convicted or acquitted
    verdict: String,
}

/// Move a case to another stage. `from` (the stage the user saw) guards against concurrent moves.
#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct TransitionRequest {
    to: Option<String>,
    from: Option<String>,
    occurred_on: Option<String>,
    reference: Option<String>,
    note: Option<String>,
    verdicts: Vec<VerdictRequest>,
}

/// Move a case to its next stage (complaint, inquiry, fir, investigation, challan, trial, judgment, appeal, closed).
#[utoipa::path(post, path = "/api/v1/cases/{id}/transitions", params(("id" = String, Path)), request_body = TransitionRequest,
    responses((status = 200, body = CaseDetailOut), (status = 422, body = ErrorOut), (status = 409, body = ErrorOut)))]
async fn move_case(
    ctx: ApiCtx,
    Path(id): Path<String>,
    Json(r): Json<TransitionRequest>,
) -> ApiResult<Json<CaseDetailOut>> {
    let id: CaseId = parse_id(&ctx, &id)?;
    let input = TransitionInput {
        to: r.to,
        from: r.from,
        occurred_on: r.occurred_on,
        reference: r.reference,
        note: r.note,
        verdicts: r
            .verdicts
            .into_iter()
            .map(|v| VerdictInput {
                person_id: v.person_id,
                verdict: v.verdict,
            })
            .collect(),
    };
    let d = ctx
        .state
        .app
        .move_case(&ctx.actor, id, &input)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(CaseDetailOut::from(&d)))
}

// ---- Persons ------------------------------------------------------------------------------

/// A person as entered: names in Roman and/or Urdu script, parentage, identifiers.
#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct PersonRequest {
    name_roman: Option<String>,
    name_urdu: Option<String>,
    /// son_of, daughter_of or wife_of
    parentage_relation: Option<String>,
    parentage_roman: Option<String>,
    parentage_urdu: Option<String>,
    /// male, female, transgender or unknown
    sex: Option<String>,
    date_of_birth: Option<String>,
    estimated_age: Option<String>,
    /// ISO 3166-1 alpha-3
    nationality_claimed: Option<String>,
    nationality_verified: Option<String>,
    origin_district: Option<String>,
    /// 13 digits, e.g. 35202-1234567-1
    cnic: Option<String>,
    passport: Option<String>,
    passport_country: Option<String>,
    phone: Option<String>,
    nara_card: Option<String>,
    /// A Pakistani IBAN or a bank account number.
    bank_account: Option<String>,
    /// A hawala account: the hawaladar or shop and the code used.
    hawala_account: Option<String>,
    /// A vehicle registration number, e.g. LEA-08-1234.
    vehicle: Option<String>,
    address: Option<String>,
    notes: Option<String>,
}

impl From<PersonRequest> for PersonInput {
    fn from(p: PersonRequest) -> PersonInput {
        PersonInput {
            name_roman: p.name_roman,
            name_urdu: p.name_urdu,
            parentage_relation: p.parentage_relation,
            parentage_roman: p.parentage_roman,
            parentage_urdu: p.parentage_urdu,
            sex: p.sex,
            date_of_birth: p.date_of_birth,
            estimated_age: p.estimated_age,
            nationality_claimed: p.nationality_claimed,
            nationality_verified: p.nationality_verified,
            origin_district: p.origin_district,
            cnic: p.cnic,
            passport: p.passport,
            passport_country: p.passport_country,
            phone: p.phone,
            nara_card: p.nara_card,
            bank_account: p.bank_account,
            hawala_account: p.hawala_account,
            vehicle: p.vehicle,
            address: p.address,
            notes: p.notes,
        }
    }
}

/// Link a person to a case: an existing one by `person_id`, or a new one described in `person`.
#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct AddPersonRequest {
    /// victim, smuggled_migrant, deportee, offloadee, intercepted_migrant, witness, informant, complainant, family_member, suspect
    role: Option<String>,
    /// For suspects: main_agent, sub_agent, recruiter, facilitator, transporter, financial_agent, document_forger, safe_house_keeper, exploiter, corrupt_official
    chain_role: Option<String>,
    person_id: Option<String>,
    person: Option<PersonRequest>,
}

#[derive(Serialize, ToSchema)]
pub struct AddedPersonOut {
    person_id: String,
}

/// Add a person to a case in a role.
#[utoipa::path(post, path = "/api/v1/cases/{id}/persons", params(("id" = String, Path)), request_body = AddPersonRequest,
    responses((status = 201, body = AddedPersonOut), (status = 422, body = ErrorOut), (status = 404, body = ErrorOut)))]
async fn add_person(
    ctx: ApiCtx,
    Path(id): Path<String>,
    Json(r): Json<AddPersonRequest>,
) -> ApiResult<(StatusCode, Json<AddedPersonOut>)> {
    let id: CaseId = parse_id(&ctx, &id)?;
    let person = match (r.person_id, r.person) {
        (Some(pid), _) => PersonRef::Existing(parse_id::<PersonId>(&ctx, &pid)?),
        (None, Some(p)) => PersonRef::New(Box::new(p.into())),
        (None, None) => PersonRef::New(Box::default()),
    };
    let pid = ctx
        .state
        .app
        .add_person_to_case(
            &ctx.actor,
            id,
            person,
            r.role.as_deref(),
            r.chain_role.as_deref(),
        )
        .await
        .map_err(|e| ctx.err(e))?;
    Ok((
        StatusCode::CREATED,
        Json(AddedPersonOut {
            person_id: pid.to_string(),
        }),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct PersonOut {
    id: String,
    name_roman: Option<String>,
    name_urdu: Option<String>,
    parentage_relation: Option<String>,
    parentage_roman: Option<String>,
    parentage_urdu: Option<String>,
    sex: String,
    origin_district: Option<String>,
    nationality_claimed: Option<String>,
    /// A victim, witness or informant in some case.
    protected: bool,
    pseudonymised: bool,
}

impl From<&PersonSummary> for PersonOut {
    fn from(p: &PersonSummary) -> Self {
        PersonOut {
            id: p.id.to_string(),
            name_roman: p.name_roman.clone(),
            name_urdu: p.name_urdu.clone(),
            parentage_relation: p.parentage_relation.clone(),
            parentage_roman: p.parentage_roman.clone(),
            parentage_urdu: p.parentage_urdu.clone(),
            sex: p.sex.clone(),
            origin_district: p.origin_district.clone(),
            nationality_claimed: p.nationality_claimed.clone(),
            protected: p.protected,
            pseudonymised: p.pseudonymised,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct IdentifierOut {
    kind: String,
    value: String,
    country: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PersonCaseOut {
    case_id: String,
    case_number: String,
    role: String,
    chain_role: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PersonDetailOut {
    id: String,
    name_roman: Option<String>,
    name_urdu: Option<String>,
    parentage_relation: Option<String>,
    parentage_roman: Option<String>,
    parentage_urdu: Option<String>,
    sex: String,
    date_of_birth: Option<String>,
    estimated_age: Option<u32>,
    nationality_claimed: Option<String>,
    nationality_verified: Option<String>,
    origin_district: Option<String>,
    identifiers: Vec<IdentifierOut>,
    address: Option<String>,
    notes: Option<String>,
    protected: bool,
    /// Identity fields are withheld and the name is a pseudonym; `POST .../reveal` with a reason shows them.
    pseudonymised: bool,
    cases: Vec<PersonCaseOut>,
}

impl From<&PersonView> for PersonDetailOut {
    fn from(v: &PersonView) -> Self {
        let d = &v.detail;
        let p = &d.person;
        let (dob, est) = match p.age {
            AgeInfo::DateOfBirth { date } => (Some(date.to_string()), None),
            AgeInfo::Estimated { .. } => (None, p.age.age_on(chrono::Utc::now().date_naive())),
            AgeInfo::Unknown => (None, None),
        };
        PersonDetailOut {
            id: d.id.to_string(),
            name_roman: p.name.roman.clone(),
            name_urdu: p.name.urdu.clone(),
            parentage_relation: p.parentage_relation.map(|r| r.as_str().into()),
            parentage_roman: p.parentage.roman.clone(),
            parentage_urdu: p.parentage.urdu.clone(),
            sex: p.sex.as_str().into(),
            date_of_birth: dob,
            estimated_age: est,
            nationality_claimed: p.nationality_claimed.clone(),
            nationality_verified: p.nationality_verified.clone(),
            origin_district: p.origin_district.clone(),
            identifiers: p
                .identifiers
                .iter()
                .map(|i| IdentifierOut {
                    kind: i.kind.as_str().into(),
                    value: i.display_value(),
                    country: i.country.clone(),
                })
                .collect(),
            address: p.address.clone(),
            notes: p.notes.clone(),
            protected: v.protected,
            pseudonymised: d.pseudonymised,
            cases: d
                .cases
                .iter()
                .map(|c| PersonCaseOut {
                    case_id: c.case_id.to_string(),
                    case_number: c.case_number.to_string(),
                    role: c.role.role.as_str().into(),
                    chain_role: c.role.chain_role.map(|x| x.as_str().into()),
                })
                .collect(),
        }
    }
}

/// Find persons by name (either script), parentage, CNIC, passport or phone.
#[utoipa::path(get, path = "/api/v1/persons", params(QueryParams), responses((status = 200, body = [PersonOut]), (status = 401, body = ErrorOut)))]
async fn list_persons(
    ctx: ApiCtx,
    Query(q): Query<QueryParams>,
) -> ApiResult<Json<Vec<PersonOut>>> {
    let list = ctx
        .state
        .app
        .search_persons(&ctx.actor, &q.q)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(list.iter().map(PersonOut::from).collect()))
}

/// One person with identifiers and the cases they appear in. Reading is audited.
#[utoipa::path(get, path = "/api/v1/persons/{id}", params(("id" = String, Path)),
    responses((status = 200, body = PersonDetailOut), (status = 404, body = ErrorOut)))]
async fn get_person(ctx: ApiCtx, Path(id): Path<String>) -> ApiResult<Json<PersonDetailOut>> {
    let id: PersonId = parse_id(&ctx, &id)?;
    let d = ctx
        .state
        .app
        .view_person(&ctx.actor, id)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(PersonDetailOut::from(&d)))
}

// ---- Reference data -----------------------------------------------------------------------

#[derive(Serialize, ToSchema)]
pub struct ProvisionOut {
    code: String,
    act: String,
    section: String,
    offence_en: String,
    offence_ur: String,
    penalty_en: String,
    crime_types: Vec<String>,
    cognizable: bool,
    bailable: bool,
    compoundable: bool,
    valid_from: String,
    valid_to: Option<String>,
    verified: bool,
}

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[serde(default)]
pub struct ProvisionParams {
    /// Comma-separated crime types; empty: all.
    crime_types: String,
    /// Offence date (YYYY-MM-DD); empty: any.
    date: String,
}

/// Legal provisions that may be charged for the crime types on the date.
#[utoipa::path(get, path = "/api/v1/reference/provisions", params(ProvisionParams), responses((status = 200, body = [ProvisionOut])))]
async fn provisions(
    ctx: ApiCtx,
    Query(p): Query<ProvisionParams>,
) -> ApiResult<Json<Vec<ProvisionOut>>> {
    let types: BTreeSet<CrimeType> = p
        .crime_types
        .split(',')
        .filter_map(CrimeType::parse)
        .collect();
    let date =
        if p.date.trim().is_empty() {
            None
        } else {
            Some(parse_date(&p.date).map_err(|pr| {
                ctx.err(nigehban_domain::ValidationErrors::single("date", pr).into())
            })?)
        };
    let list = ctx
        .state
        .app
        .refdata()
        .provisions_for(&types, date)
        .into_iter()
        .map(|x| ProvisionOut {
            code: x.code.clone(),
            act: x.act.clone(),
            section: x.section.clone(),
            offence_en: x.offence_en.clone(),
            offence_ur: x.offence_ur.clone(),
            penalty_en: x.penalty_en.clone(),
            crime_types: x.crime_types.iter().map(|c| c.as_str().into()).collect(),
            cognizable: x.cognizable,
            bailable: x.bailable,
            compoundable: x.compoundable,
            valid_from: x.valid_from.to_string(),
            valid_to: x.valid_to.map(|d| d.to_string()),
            verified: x.verified,
        })
        .collect();
    Ok(Json(list))
}

#[derive(Serialize, ToSchema)]
pub struct DistrictOut {
    code: String,
    province: String,
    name_en: String,
    name_ur: String,
}

#[derive(Deserialize, utoipa::IntoParams, Default)]
#[serde(default)]
pub struct DistrictParams {
    /// PB, SD, KP, BA, IS, GB or JK; empty: all.
    province: String,
}

/// Districts of Pakistan, optionally of one province or territory.
#[utoipa::path(get, path = "/api/v1/reference/districts", params(DistrictParams), responses((status = 200, body = [DistrictOut])))]
async fn districts(
    ctx: ApiCtx,
    Query(p): Query<DistrictParams>,
) -> ApiResult<Json<Vec<DistrictOut>>> {
    let list = ctx
        .state
        .app
        .refdata()
        .districts
        .iter()
        .filter(|d| p.province.is_empty() || d.province == p.province)
        .map(|d| DistrictOut {
            code: d.code.clone(),
            province: d.province.clone(),
            name_en: d.name_en.clone(),
            name_ur: d.name_ur.clone(),
        })
        .collect();
    Ok(Json(list))
}

// ---- Sharing, assignment, seals, reveals --------------------------------------------------

/// Share a case with another unit (`to_unit`, a unit code) or a whole agency (`to_agency`).
#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct ShareRequest {
    to_unit: Option<String>,
    to_agency: Option<String>,
    /// summary (facts and stages) or full (with persons)
    parts: Option<String>,
    /// Why the recipient needs it (at least 10 characters).
    reason: Option<String>,
    /// Last day of validity, YYYY-MM-DD (at most a year ahead).
    until: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ShareOut {
    id: String,
    to_unit: Option<String>,
    to_agency: Option<String>,
    parts: String,
    reason: String,
    expires_at: String,
}

/// Share a case (owner's unit only). Visible, revocable and audited.
#[utoipa::path(post, path = "/api/v1/cases/{id}/shares", params(("id" = String, Path)), request_body = ShareRequest,
    responses((status = 201, body = ShareOut), (status = 422, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
async fn share_case(
    ctx: ApiCtx,
    Path(id): Path<String>,
    Json(r): Json<ShareRequest>,
) -> ApiResult<(StatusCode, Json<ShareOut>)> {
    let id: CaseId = parse_id(&ctx, &id)?;
    let input = ShareInput {
        to_unit: r.to_unit,
        to_agency: r.to_agency,
        parts: r.parts,
        reason: r.reason,
        until: r.until,
    };
    let s = ctx
        .state
        .app
        .share_case(&ctx.actor, id, &input)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok((
        StatusCode::CREATED,
        Json(ShareOut {
            id: s.id,
            to_unit: s.to_unit_code,
            to_agency: s.to_agency,
            parts: s.parts.as_str().into(),
            reason: s.reason,
            expires_at: s.expires_at.to_rfc3339(),
        }),
    ))
}

/// Revoke a share at once.
#[utoipa::path(delete, path = "/api/v1/cases/{id}/shares/{share}", params(("id" = String, Path), ("share" = String, Path)),
    responses((status = 204), (status = 404, body = ErrorOut)))]
async fn revoke_share(
    ctx: ApiCtx,
    Path((id, share)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    let id: CaseId = parse_id(&ctx, &id)?;
    ctx.state
        .app
        .revoke_share(&ctx.actor, id, &share)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct AssignRequest {
    username: String,
}

/// Assign a case of the supervisor's unit to an officer of the same agency.
#[utoipa::path(post, path = "/api/v1/cases/{id}/assignments", params(("id" = String, Path)), request_body = AssignRequest,
    responses((status = 204), (status = 422, body = ErrorOut), (status = 403, body = ErrorOut)))]
async fn assign_case(
    ctx: ApiCtx,
    Path(id): Path<String>,
    Json(r): Json<AssignRequest>,
) -> ApiResult<StatusCode> {
    let id: CaseId = parse_id(&ctx, &id)?;
    ctx.state
        .app
        .assign_case(&ctx.actor, id, &r.username)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct SealRequest {
    /// The court order's reference.
    order_ref: String,
    /// Usernames who may still see the case (the sealing supervisor always may).
    named: Vec<String>,
}

/// Seal a case by court order: hidden from everyone but the named users.
#[utoipa::path(post, path = "/api/v1/cases/{id}/seal", params(("id" = String, Path)), request_body = SealRequest,
    responses((status = 204), (status = 422, body = ErrorOut), (status = 403, body = ErrorOut)))]
async fn seal_case(
    ctx: ApiCtx,
    Path(id): Path<String>,
    Json(r): Json<SealRequest>,
) -> ApiResult<StatusCode> {
    let id: CaseId = parse_id(&ctx, &id)?;
    ctx.state
        .app
        .seal_case(&ctx.actor, id, &r.order_ref, &r.named)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct RevealRequest {
    /// Why the identity is needed (at least 10 characters); recorded and shown to the owner.
    reason: String,
}

/// Reveal a protected person's identity to the caller for a limited time.
#[utoipa::path(post, path = "/api/v1/persons/{id}/reveal", params(("id" = String, Path)), request_body = RevealRequest,
    responses((status = 200, body = PersonDetailOut), (status = 422, body = ErrorOut), (status = 403, body = ErrorOut)))]
async fn reveal_identity(
    ctx: ApiCtx,
    Path(id): Path<String>,
    Json(r): Json<RevealRequest>,
) -> ApiResult<Json<PersonDetailOut>> {
    let id: PersonId = parse_id(&ctx, &id)?;
    let v = ctx
        .state
        .app
        .reveal_identity(&ctx.actor, id, &r.reason)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(Json(PersonDetailOut::from(&v)))
}

#[derive(Deserialize, Serialize, ToSchema, Default)]
#[serde(default)]
pub struct TotpRequest {
    /// The 6-digit code from the authenticator app.
    code: String,
}

/// Complete a sign-in with the TOTP code (roles that need a second factor).
#[utoipa::path(post, path = "/api/v1/session/totp", request_body = TotpRequest,
    responses((status = 204), (status = 401, body = ErrorOut)))]
async fn session_totp(
    State(state): State<AppState>,
    parts: Parts,
    Json(r): Json<TotpRequest>,
) -> ApiResult<StatusCode> {
    let tr = Tr {
        cat: state.i18n.clone(),
        lang: request_lang(&parts),
    };
    let token = parts
        .headers
        .get(header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string())
        .ok_or_else(|| ApiError::from_core(&tr, CoreError::Unauthenticated))?;
    state
        .app
        .verify_second_factor(&token, &r.code, &origin(&parts))
        .await
        .map_err(|e| ApiError::from_core(&tr, e))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Seal a person's record by court order: hidden everywhere from all but the named users.
#[utoipa::path(post, path = "/api/v1/persons/{id}/seal", params(("id" = String, Path)), request_body = SealRequest,
    responses((status = 204), (status = 422, body = ErrorOut), (status = 403, body = ErrorOut), (status = 404, body = ErrorOut)))]
async fn seal_person(
    ctx: ApiCtx,
    Path(id): Path<String>,
    Json(r): Json<SealRequest>,
) -> ApiResult<StatusCode> {
    let id: PersonId = parse_id(&ctx, &id)?;
    ctx.state
        .app
        .seal_person(&ctx.actor, id, &r.order_ref, &r.named)
        .await
        .map_err(|e| ctx.err(e))?;
    Ok(StatusCode::NO_CONTENT)
}
