//! Server-rendered pages. Each handler: extract the actor, call one core operation, render.
//! Invalid input re-renders the form with every problem and everything typed kept.

// Handlers return `Result<Response, Response>`: the error *is* the page to show, as axum intends.
#![allow(clippy::result_large_err)]

use crate::ctx::{safe_next, Anon, AppState, Ctx, Tr, LANG_COOKIE, SESSION_COOKIE};
use crate::views::*;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, SameSite};
use axum_extra::extract::{CookieJar, Form};
use nigehban_core::service::PersonRef;
use nigehban_core::CoreError;
use nigehban_domain::case::{CaseInput, TransitionInput, VerdictInput};
use nigehban_domain::crime::CrimeType;
use nigehban_domain::error::ValidationErrors;
use nigehban_domain::ids::{CaseId, PersonId};
use nigehban_domain::person::{parse_date, PersonInput};
use nigehban_i18n::Lang;
use serde::Deserialize;
use std::collections::BTreeSet;

type PageResult = Result<Response, Response>;

pub(crate) fn render<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    message: String,
}

fn error_page(tr: &Tr, path: &str, ctx: Option<&Ctx>, status: StatusCode, key: &str) -> Response {
    let c = Chrome::new(
        tr,
        tr.t("error-title"),
        path,
        ctx.map(|c| &c.actor),
        ctx.map(|c| c.csrf.as_str()).unwrap_or(""),
    );
    render(
        status,
        &ErrorPage {
            c,
            message: tr.t(key),
        },
    )
}

impl Ctx {
    pub(crate) fn chrome(&self, title: String) -> Chrome {
        Chrome::new(&self.tr, title, &self.path, Some(&self.actor), &self.csrf)
    }
    /// The page for a core error that is not a form problem.
    pub(crate) fn fail(&self, e: CoreError) -> Response {
        let (status, key) = match &e {
            CoreError::NotFound => (StatusCode::NOT_FOUND, "error-not-found"),
            CoreError::Forbidden(_) => (StatusCode::FORBIDDEN, "error-forbidden"),
            CoreError::Conflict(_) => (StatusCode::CONFLICT, "error-conflict"),
            CoreError::Unauthenticated => return Redirect::to("/login").into_response(),
            CoreError::SecondFactorRequired => return Redirect::to("/login/totp").into_response(),
            CoreError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "error-server"),
            CoreError::Store(err) => {
                tracing::error!(error = %err, "storage error");
                (StatusCode::INTERNAL_SERVER_ERROR, "error-server")
            }
        };
        error_page(&self.tr, &self.path, Some(self), status, key)
    }
    pub(crate) fn require_csrf(&self, submitted: &str) -> Result<(), Response> {
        if self.csrf_ok(submitted) {
            Ok(())
        } else {
            Err(error_page(
                &self.tr,
                &self.path,
                Some(self),
                StatusCode::FORBIDDEN,
                "error-csrf",
            ))
        }
    }
}

fn today() -> String {
    chrono::Utc::now().date_naive().to_string()
}

pub async fn not_found(anon: Anon) -> Response {
    error_page(
        &anon.tr,
        &anon.path,
        None,
        StatusCode::NOT_FOUND,
        "error-not-found",
    )
}

// ---- Sign-in and language -----------------------------------------------------------------

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    c: Chrome,
    next: String,
    username: String,
    failed: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NextQuery {
    next: Option<String>,
}

pub async fn login_form(anon: Anon, Query(q): Query<NextQuery>) -> Response {
    let c = Chrome::new(&anon.tr, anon.tr.t("login-title"), &anon.path, None, "");
    render(
        StatusCode::OK,
        &LoginPage {
            c,
            next: safe_next(q.next.as_deref()),
            username: String::new(),
            failed: false,
        },
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    username: String,
    password: String,
    next: Option<String>,
}

pub async fn login(anon: Anon, jar: CookieJar, Form(f): Form<LoginForm>) -> Response {
    match anon
        .state
        .app
        .login(&f.username, &f.password, &anon.origin)
        .await
    {
        Ok(s) => {
            let cookie = Cookie::build((SESSION_COOKIE, s.token))
                .http_only(true)
                .same_site(SameSite::Strict)
                .secure(anon.state.secure_cookies)
                .path("/")
                .build();
            let next = safe_next(f.next.as_deref());
            let to = if s.second_factor {
                format!("/login/totp?next={}", crate::ctx::urlencode(&next))
            } else {
                next
            };
            (jar.add(cookie), Redirect::to(&to)).into_response()
        }
        Err(CoreError::Unauthenticated) => {
            let c = Chrome::new(&anon.tr, anon.tr.t("login-title"), &anon.path, None, "");
            render(
                StatusCode::UNAUTHORIZED,
                &LoginPage {
                    c,
                    next: safe_next(f.next.as_deref()),
                    username: f.username,
                    failed: true,
                },
            )
        }
        Err(e) => {
            tracing::error!(error = %e, "login failed");
            error_page(
                &anon.tr,
                &anon.path,
                None,
                StatusCode::INTERNAL_SERVER_ERROR,
                "error-server",
            )
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn logout(ctx: Ctx, jar: CookieJar, Form(f): Form<CsrfForm>) -> PageResult {
    ctx.require_csrf(&f.csrf)?;
    if let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) {
        ctx.state
            .app
            .logout(&token)
            .await
            .map_err(|e| ctx.fail(e))?;
    }
    Ok((
        jar.remove(Cookie::build(SESSION_COOKIE).path("/")),
        Redirect::to("/login"),
    )
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LangQuery {
    to: String,
    next: Option<String>,
}

pub async fn switch_lang(
    State(state): State<AppState>,
    jar: CookieJar,
    Query(q): Query<LangQuery>,
) -> Response {
    let lang = Lang::parse(&q.to).unwrap_or_default();
    let cookie = Cookie::build((LANG_COOKIE, lang.code()))
        .same_site(SameSite::Lax)
        .secure(state.secure_cookies)
        .path("/")
        .permanent()
        .build();
    (jar.add(cookie), Redirect::to(&safe_next(q.next.as_deref()))).into_response()
}

// ---- Home, lists, search ------------------------------------------------------------------

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    counts: String,
    cases: Vec<CaseRow>,
}

pub async fn home(ctx: Ctx) -> PageResult {
    let refdata = ctx.state.app.refdata();
    let cases = if ctx.chrome(String::new()).nav_cases {
        ctx.state
            .app
            .recent_cases(&ctx.actor, 15)
            .await
            .map_err(|e| ctx.fail(e))?
    } else {
        Vec::new()
    };
    let (nc, np) = ctx
        .state
        .app
        .totals(&ctx.actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let counts = ctx.tr.ta(
        "home-counts",
        &[("cases", nc.to_string()), ("persons", np.to_string())],
    );
    let page = HomePage {
        c: ctx.chrome(ctx.tr.t("home-title")),
        counts,
        cases: case_rows(&ctx.tr, refdata, &cases),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SearchQuery {
    q: String,
}

#[derive(Template)]
#[template(path = "cases.html")]
struct CasesPage {
    c: Chrome,
    q: String,
    cases: Vec<CaseRow>,
}

pub async fn cases(ctx: Ctx, Query(q): Query<SearchQuery>) -> PageResult {
    let list = if q.q.trim().is_empty() {
        ctx.state.app.recent_cases(&ctx.actor, 100).await
    } else {
        ctx.state.app.search_cases(&ctx.actor, &q.q).await
    }
    .map_err(|e| ctx.fail(e))?;
    let page = CasesPage {
        c: ctx.chrome(ctx.tr.t("cases-title")),
        cases: case_rows(&ctx.tr, ctx.state.app.refdata(), &list),
        q: q.q,
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    c: Chrome,
    q: String,
    searched: bool,
    no_results: String,
    cases: Vec<CaseRow>,
    persons: Vec<PersonRow>,
}

pub async fn search(ctx: Ctx, Query(q): Query<SearchQuery>) -> PageResult {
    let refdata = ctx.state.app.refdata();
    let searched = !q.q.trim().is_empty();
    let (cases, persons) = if searched {
        let c = ctx
            .state
            .app
            .search_cases(&ctx.actor, &q.q)
            .await
            .map_err(|e| ctx.fail(e))?;
        let p = ctx
            .state
            .app
            .search_persons(&ctx.actor, &q.q)
            .await
            .map_err(|e| ctx.fail(e))?;
        (c, p)
    } else {
        (Vec::new(), Vec::new())
    };
    let page = SearchPage {
        c: ctx.chrome(ctx.tr.t("search-title")),
        no_results: ctx.tr.ta("search-no-results", &[("q", q.q.clone())]),
        q: q.q,
        searched,
        cases: case_rows(&ctx.tr, refdata, &cases),
        persons: person_rows(&ctx.tr, refdata, &persons),
    };
    Ok(render(StatusCode::OK, &page))
}

// ---- Registering a case -------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CaseForm {
    csrf: String,
    title: String,
    crime_types: Vec<String>,
    exploitation_forms: Vec<String>,
    provisions: Vec<String>,
    province: String,
    district: String,
    offence_date: String,
    narrative: String,
}

impl CaseForm {
    fn input(&self) -> CaseInput {
        CaseInput {
            title: Some(self.title.clone()),
            crime_types: self.crime_types.clone(),
            exploitation_forms: self.exploitation_forms.clone(),
            provisions: self.provisions.clone(),
            province: Some(self.province.clone()),
            district: Some(self.district.clone()),
            offence_date: Some(self.offence_date.clone()),
            narrative: Some(self.narrative.clone()),
        }
    }
}

#[derive(Template)]
#[template(path = "case_new.html")]
struct NewCasePage {
    c: Chrome,
    errors: Vec<ErrorItem>,
    title: String,
    narrative: String,
    offence_date: String,
    today: String,
    crime_types: Vec<Choice>,
    exploitation: Vec<Choice>,
    provinces: Vec<Choice>,
    districts: Vec<Choice>,
    provisions: Vec<ProvisionChoice>,
    any_match: bool,
}

fn new_case_page(ctx: &Ctx, f: &CaseForm, errs: Option<&ValidationErrors>) -> NewCasePage {
    let refdata = ctx.state.app.refdata();
    let chosen: BTreeSet<CrimeType> = f
        .crime_types
        .iter()
        .filter_map(|c| CrimeType::parse(c))
        .collect();
    let date = parse_date(&f.offence_date).ok();
    let provisions = provision_choices(&ctx.tr, refdata, &chosen, date, &f.provisions);
    NewCasePage {
        c: ctx.chrome(ctx.tr.t("case-new-title")),
        errors: errs.map(|e| error_items(&ctx.tr, e)).unwrap_or_default(),
        title: f.title.clone(),
        narrative: f.narrative.clone(),
        offence_date: f.offence_date.clone(),
        today: today(),
        crime_types: crime_choices(&ctx.tr, &f.crime_types),
        exploitation: exploitation_choices(&ctx.tr, &f.exploitation_forms),
        provinces: province_choices(&ctx.tr, refdata, &f.province),
        districts: district_choices(&ctx.tr, refdata, &f.district),
        any_match: provisions.iter().any(|p| p.matches),
        provisions,
    }
}

/// The form; also the no-JavaScript way to filter provisions (the form re-submits here by GET).
pub async fn new_case(ctx: Ctx, Form(f): Form<CaseForm>) -> PageResult {
    nigehban_core::policy::authorize(&ctx.actor, nigehban_core::policy::Action::RegisterCase)
        .map_err(|e| ctx.fail(e))?;
    Ok(render(StatusCode::OK, &new_case_page(&ctx, &f, None)))
}

pub async fn create_case(ctx: Ctx, Form(f): Form<CaseForm>) -> PageResult {
    ctx.require_csrf(&f.csrf)?;
    match ctx.state.app.register_case(&ctx.actor, &f.input()).await {
        Ok(c) => Ok(Redirect::to(&format!("/cases/{}?msg=registered", c.id)).into_response()),
        Err(CoreError::Invalid(errs)) => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &new_case_page(&ctx, &f, Some(&errs)),
        )),
        Err(e) => Err(ctx.fail(e)),
    }
}

// ---- A case -------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "case.html")]
struct CasePage {
    c: Chrome,
    v: CaseView,
    errors: Vec<ErrorItem>,
    today: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MsgQuery {
    msg: Option<String>,
}

pub(crate) fn parse_id<T: std::str::FromStr>(ctx: &Ctx, raw: &str) -> Result<T, Response> {
    raw.parse::<T>().map_err(|_| ctx.fail(CoreError::NotFound))
}

async fn case_page(
    ctx: &Ctx,
    id: CaseId,
    msg: Option<&str>,
    errs: Option<&ValidationErrors>,
) -> PageResult {
    let d = ctx
        .state
        .app
        .view_case(&ctx.actor, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let units = ctx.state.app.units().await.map_err(|e| ctx.fail(e))?;
    let v = case_view(&ctx.tr, ctx.state.app.refdata(), &d, &ctx.actor, &units);
    let mut c = ctx.chrome(ctx.tr.ta("case-heading", &[("number", v.number.clone())]));
    c.flash = match msg {
        Some("registered") => Some(
            ctx.tr
                .ta("case-registered", &[("number", v.number.clone())]),
        ),
        Some("moved") => Some(ctx.tr.ta("case-moved", &[("stage", v.stage.clone())])),
        Some("person-added") => Some(ctx.tr.t("person-added")),
        Some("shared") => Some(ctx.tr.t("case-shared")),
        Some("unshared") => Some(ctx.tr.t("case-unshared")),
        Some("assigned") => Some(ctx.tr.t("case-assigned")),
        Some("sealed") => Some(ctx.tr.t("case-sealed")),
        _ => None,
    };
    let status = if errs.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &CasePage {
            c,
            v,
            errors: errs.map(|e| error_items(&ctx.tr, e)).unwrap_or_default(),
            today: today(),
        },
    ))
}

pub async fn case(ctx: Ctx, Path(id): Path<String>, Query(q): Query<MsgQuery>) -> PageResult {
    let id: CaseId = parse_id(&ctx, &id)?;
    case_page(&ctx, id, q.msg.as_deref(), None).await
}

/// The transition form: fixed fields plus one `verdict:<person id>` per accused.
pub async fn move_case(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let id: CaseId = parse_id(&ctx, &id)?;
    let get = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    ctx.require_csrf(&get("csrf").unwrap_or_default())?;
    let input = TransitionInput {
        to: get("to"),
        from: get("from"),
        occurred_on: get("occurred_on"),
        reference: get("reference"),
        note: get("note"),
        verdicts: fields
            .iter()
            .filter_map(|(k, v)| {
                k.strip_prefix("verdict:").map(|p| VerdictInput {
                    person_id: p.to_string(),
                    verdict: v.clone(),
                })
            })
            .collect(),
    };
    match ctx.state.app.move_case(&ctx.actor, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{id}?msg=moved")).into_response()),
        Err(CoreError::Invalid(errs)) => case_page(&ctx, id, None, Some(&errs)).await,
        Err(e) => Err(ctx.fail(e)),
    }
}

// ---- Adding a person ----------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PersonForm {
    csrf: String,
    role: String,
    chain_role: String,
    name_roman: String,
    name_urdu: String,
    parentage_relation: String,
    parentage_roman: String,
    parentage_urdu: String,
    sex: String,
    date_of_birth: String,
    estimated_age: String,
    nationality_claimed: String,
    nationality_verified: String,
    origin_district: String,
    cnic: String,
    passport: String,
    passport_country: String,
    phone: String,
    nara_card: String,
    bank_account: String,
    hawala_account: String,
    vehicle: String,
    address: String,
    notes: String,
}

impl PersonForm {
    fn input(&self) -> PersonInput {
        let s = |v: &String| Some(v.clone());
        PersonInput {
            name_roman: s(&self.name_roman),
            name_urdu: s(&self.name_urdu),
            parentage_relation: s(&self.parentage_relation),
            parentage_roman: s(&self.parentage_roman),
            parentage_urdu: s(&self.parentage_urdu),
            sex: s(&self.sex),
            date_of_birth: s(&self.date_of_birth),
            estimated_age: s(&self.estimated_age),
            nationality_claimed: s(&self.nationality_claimed),
            nationality_verified: s(&self.nationality_verified),
            origin_district: s(&self.origin_district),
            cnic: s(&self.cnic),
            passport: s(&self.passport),
            passport_country: s(&self.passport_country),
            phone: s(&self.phone),
            nara_card: s(&self.nara_card),
            bank_account: s(&self.bank_account),
            hawala_account: s(&self.hawala_account),
            vehicle: s(&self.vehicle),
            address: s(&self.address),
            notes: s(&self.notes),
        }
    }
}

#[derive(Template)]
#[template(path = "person_new.html")]
struct NewPersonPage {
    c: Chrome,
    heading: String,
    case_id: String,
    errors: Vec<ErrorItem>,
    f: PersonForm,
    today: String,
    roles: Vec<Choice>,
    chains: Vec<Choice>,
    relations: Vec<Choice>,
    sexes: Vec<Choice>,
    nationalities: Vec<Choice>,
    verified_nationalities: Vec<Choice>,
    passport_countries: Vec<Choice>,
    districts: Vec<Choice>,
}

async fn person_page(
    ctx: &Ctx,
    case_id: CaseId,
    f: PersonForm,
    errs: Option<&ValidationErrors>,
) -> PageResult {
    // Reading the case first applies the access policy to the case, and gives its number.
    let d = ctx
        .state
        .app
        .view_case(&ctx.actor, case_id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let refdata = ctx.state.app.refdata();
    let number = d.detail.summary.number.to_string();
    let nationality = if f.nationality_claimed.is_empty() && errs.is_none() {
        "PAK".to_string()
    } else {
        f.nationality_claimed.clone()
    };
    let page = NewPersonPage {
        c: ctx.chrome(ctx.tr.ta("person-add-title", &[("number", number.clone())])),
        heading: ctx.tr.ta("person-add-title", &[("number", number)]),
        case_id: case_id.to_string(),
        errors: errs.map(|e| error_items(&ctx.tr, e)).unwrap_or_default(),
        today: today(),
        roles: role_choices(&ctx.tr, &f.role),
        chains: chain_choices(&ctx.tr, &f.chain_role),
        relations: relation_choices(&ctx.tr, &f.parentage_relation),
        sexes: sex_choices(&ctx.tr, &f.sex),
        nationalities: country_choices(&ctx.tr, refdata, &nationality),
        verified_nationalities: country_choices(&ctx.tr, refdata, &f.nationality_verified),
        passport_countries: country_choices(&ctx.tr, refdata, &f.passport_country),
        districts: district_choices(&ctx.tr, refdata, &f.origin_district),
        f,
    };
    let status = if errs.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(status, &page))
}

pub async fn new_person(ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id: CaseId = parse_id(&ctx, &id)?;
    nigehban_core::policy::authorize(&ctx.actor, nigehban_core::policy::Action::AddPersonToCase)
        .map_err(|e| ctx.fail(e))?;
    person_page(&ctx, id, PersonForm::default(), None).await
}

pub async fn add_person(ctx: Ctx, Path(id): Path<String>, Form(f): Form<PersonForm>) -> PageResult {
    let id: CaseId = parse_id(&ctx, &id)?;
    ctx.require_csrf(&f.csrf)?;
    let result = ctx
        .state
        .app
        .add_person_to_case(
            &ctx.actor,
            id,
            PersonRef::New(Box::new(f.input())),
            Some(&f.role),
            Some(&f.chain_role),
        )
        .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{id}?msg=person-added")).into_response()),
        Err(CoreError::Invalid(errs)) => person_page(&ctx, id, f, Some(&errs)).await,
        Err(e) => Err(ctx.fail(e)),
    }
}

// ---- A person -----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    c: Chrome,
    v: PersonView,
    errors: Vec<ErrorItem>,
    support: crate::victim_pages::SupportBlock,
}

pub async fn person(ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let id: PersonId = parse_id(&ctx, &id)?;
    let d = ctx
        .state
        .app
        .view_person(&ctx.actor, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let v = person_view(&ctx.tr, ctx.state.app.refdata(), &d);
    let mut c = ctx.chrome(String::new());
    if v.protected && !v.pseudonymised {
        // The identity is on screen because this user revealed it: say so, and for how long.
        c.flash = Some(ctx.tr.ta(
            "person-revealed",
            &[(
                "minutes",
                nigehban_core::service::REVEAL_MINUTES.to_string(),
            )],
        ));
    }
    let title = if v.name_roman.is_empty() {
        v.name_urdu.clone()
    } else {
        v.name_roman.clone()
    };
    Ok(render(
        StatusCode::OK,
        &PersonPage {
            c: Chrome { title, ..c },
            v,
            errors: Vec::new(),
            support: crate::victim_pages::support_block(&ctx, id).await,
        },
    ))
}

// ---- Audit --------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    chain_ok: bool,
    chain_status: String,
    f: AuditQuery,
    alerts: Vec<AlertRow>,
    entries: Vec<AuditRow>,
    errors: Vec<ErrorItem>,
}

/// One audit entry as shown: sequence, time, user, action, record, origin, outcome, detail.
type AuditRow = (i64, String, String, String, String, String, String, String);

struct AlertRow {
    id: String,
    title: String,
    explanation: String,
    raised: String,
    acked: bool,
    ack: String,
}

/// Filters of the review, as typed (dates are YYYY-MM-DD, whole days in UTC).
#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct AuditQuery {
    user: String,
    record: String,
    action: String,
    from: String,
    to: String,
}

fn day_micros(raw: &str, end: bool) -> Result<Option<i64>, nigehban_domain::Problem> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    let d = parse_date(raw)?;
    let t = if end {
        d.and_hms_opt(23, 59, 59)
    } else {
        d.and_hms_opt(0, 0, 0)
    };
    Ok(t.map(|t| t.and_utc().timestamp_micros()))
}

pub async fn audit(ctx: Ctx, Query(q): Query<AuditQuery>) -> PageResult {
    let app = &ctx.state.app;
    let mut errs = ValidationErrors::new();
    let from = errs.take("from", day_micros(&q.from, false)).flatten();
    let to = errs.take("to", day_micros(&q.to, true)).flatten();
    let filter = nigehban_core::store::AuditFilter {
        actor_name: Some(q.user.trim().to_ascii_lowercase()),
        entity_id: Some(q.record.trim().to_string()),
        action: Some(q.action.trim().to_string()),
        from,
        to,
        limit: 300,
        // The core decides whose activity this reviewer sees.
        agency: None,
    };
    let entries = match app.audit_review(&ctx.actor, &filter).await {
        Ok(e) => e,
        Err(CoreError::Invalid(e)) => {
            errs.0.extend(e.0);
            Vec::new()
        }
        Err(e) => return Err(ctx.fail(e)),
    };
    // Opening the review also looks for new patterns.
    app.scan_alerts().await.map_err(|e| ctx.fail(e))?;
    let alerts = app.alerts(&ctx.actor).await.map_err(|e| ctx.fail(e))?;
    let report = app.verify_audit().await.map_err(|e| ctx.fail(e))?;
    let (chain_ok, chain_status) = match report.first_bad {
        None => (
            true,
            ctx.tr
                .ta("audit-verify-ok", &[("count", report.checked.to_string())]),
        ),
        Some((seq, _)) => (
            false,
            ctx.tr.ta("audit-verify-bad", &[("seq", seq.to_string())]),
        ),
    };
    let fmt = |m: i64| {
        chrono::DateTime::from_timestamp_micros(m)
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_default()
    };
    let alert_rows = alerts
        .iter()
        .map(|a| {
            let f = &a.finding;
            AlertRow {
                id: a.id.clone(),
                title: ctx.tr.ta(
                    &format!("alert-{}", f.rule),
                    &[("user", f.actor_name.clone())],
                ),
                explanation: ctx.tr.ta(
                    "alert-explain",
                    &[
                        ("count", f.count.to_string()),
                        ("threshold", f.threshold.to_string()),
                        ("minutes", f.window_minutes.to_string()),
                        ("from", fmt(f.window_start)),
                        ("entries", f.examples.clone()),
                    ],
                ),
                raised: a.raised_at.format("%Y-%m-%d %H:%M").to_string(),
                acked: a.ack_at.is_some(),
                ack: match (&a.ack_by, &a.ack_comment) {
                    (Some(by), Some(c)) => format!("{by}: {c}"),
                    _ => String::new(),
                },
            }
        })
        .collect();
    let rows = entries
        .iter()
        .map(|e| {
            let record = match &e.entity_id {
                Some(id) => format!("{} {id}", e.entity_kind),
                None => e.entity_kind.clone(),
            };
            (
                e.seq,
                fmt(e.at_micros),
                e.actor_name.clone(),
                e.action.clone(),
                record,
                e.origin.clone(),
                ctx.tr.code("outcome", &e.outcome),
                e.detail.clone(),
            )
        })
        .collect();
    let status = if errs.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(render(
        status,
        &AuditPage {
            c: ctx.chrome(ctx.tr.t("audit-title")),
            chain_ok,
            chain_status,
            f: q,
            alerts: alert_rows,
            entries: rows,
            errors: error_items(&ctx.tr, &errs),
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AckForm {
    csrf: String,
    comment: String,
}

pub async fn acknowledge_alert(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<AckForm>,
) -> PageResult {
    ctx.require_csrf(&f.csrf)?;
    match ctx
        .state
        .app
        .acknowledge_alert(&ctx.actor, &id, &f.comment)
        .await
    {
        Ok(()) | Err(CoreError::Invalid(_)) => Ok(Redirect::to("/audit#alerts").into_response()),
        Err(e) => Err(ctx.fail(e)),
    }
}

// ---- Sharing, assigning, sealing, revealing -----------------------------------------------

/// Re-render the case page with a form's errors, or show the failure page.
async fn case_form_result(
    ctx: &Ctx,
    id: CaseId,
    r: Result<(), CoreError>,
    done: &str,
) -> PageResult {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}?msg={done}")).into_response()),
        Err(CoreError::Invalid(errs)) => case_page(ctx, id, None, Some(&errs)).await,
        Err(e) => Err(ctx.fail(e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ShareForm {
    csrf: String,
    to_unit: String,
    to_agency: String,
    parts: String,
    reason: String,
    until: String,
}

pub async fn share_case(ctx: Ctx, Path(id): Path<String>, Form(f): Form<ShareForm>) -> PageResult {
    let id: CaseId = parse_id(&ctx, &id)?;
    ctx.require_csrf(&f.csrf)?;
    let input = nigehban_core::service::ShareInput {
        to_unit: Some(f.to_unit),
        to_agency: Some(f.to_agency),
        parts: Some(f.parts),
        reason: Some(f.reason),
        until: Some(f.until),
    };
    let r = ctx
        .state
        .app
        .share_case(&ctx.actor, id, &input)
        .await
        .map(|_| ());
    case_form_result(&ctx, id, r, "shared").await
}

pub async fn revoke_share(
    ctx: Ctx,
    Path((id, share)): Path<(String, String)>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    let id: CaseId = parse_id(&ctx, &id)?;
    ctx.require_csrf(&f.csrf)?;
    let r = ctx.state.app.revoke_share(&ctx.actor, id, &share).await;
    case_form_result(&ctx, id, r, "unshared").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AssignForm {
    csrf: String,
    username: String,
}

pub async fn assign_case(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<AssignForm>,
) -> PageResult {
    let id: CaseId = parse_id(&ctx, &id)?;
    ctx.require_csrf(&f.csrf)?;
    let r = ctx.state.app.assign_case(&ctx.actor, id, &f.username).await;
    case_form_result(&ctx, id, r, "assigned").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SealForm {
    csrf: String,
    order_ref: String,
    named: String,
}

pub async fn seal_case(ctx: Ctx, Path(id): Path<String>, Form(f): Form<SealForm>) -> PageResult {
    let id: CaseId = parse_id(&ctx, &id)?;
    ctx.require_csrf(&f.csrf)?;
    let r = ctx
        .state
        .app
        .seal_case(&ctx.actor, id, &f.order_ref, &named_users(&f.named))
        .await;
    case_form_result(&ctx, id, r, "sealed").await
}

/// Usernames typed into a seal form, separated by commas or spaces.
fn named_users(text: &str) -> Vec<String> {
    text.split([',', ' '])
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RevealForm {
    csrf: String,
    reason: String,
}

pub async fn reveal_identity(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<RevealForm>,
) -> PageResult {
    let id: PersonId = parse_id(&ctx, &id)?;
    ctx.require_csrf(&f.csrf)?;
    match ctx
        .state
        .app
        .reveal_identity(&ctx.actor, id, &f.reason)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/persons/{id}")).into_response()),
        Err(CoreError::Invalid(errs)) => person_page_with_errors(&ctx, id, &errs).await,
        Err(e) => Err(ctx.fail(e)),
    }
}

// ---- Second factor ------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "totp.html")]
struct TotpPage {
    c: Chrome,
    next: String,
    secret: String,
    uri: String,
    failed: bool,
}

fn session_token(jar: &CookieJar) -> Option<String> {
    jar.get(SESSION_COOKIE).map(|c| c.value().to_string())
}

async fn totp_page(anon: &Anon, token: &str, next: &str, failed: bool) -> Response {
    match anon.state.app.second_factor_setup(token).await {
        Ok(setup) => {
            let (secret, uri) = setup.enrol.unwrap_or_default();
            let c = Chrome::new(&anon.tr, anon.tr.t("totp-title"), &anon.path, None, "");
            let status = if failed {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::OK
            };
            render(
                status,
                &TotpPage {
                    c,
                    next: next.to_string(),
                    secret,
                    uri,
                    failed,
                },
            )
        }
        Err(_) => Redirect::to("/login").into_response(),
    }
}

pub async fn totp_form(anon: Anon, jar: CookieJar, Query(q): Query<NextQuery>) -> Response {
    let Some(token) = session_token(&jar) else {
        return Redirect::to("/login").into_response();
    };
    totp_page(&anon, &token, &safe_next(q.next.as_deref()), false).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TotpForm {
    code: String,
    next: Option<String>,
}

/// The second factor. No CSRF token yet (the session is not active before this step); the
/// session cookie is SameSite=Strict, so other sites cannot submit this form with it.
pub async fn totp(anon: Anon, jar: CookieJar, Form(f): Form<TotpForm>) -> Response {
    let Some(token) = session_token(&jar) else {
        return Redirect::to("/login").into_response();
    };
    let next = safe_next(f.next.as_deref());
    match anon
        .state
        .app
        .verify_second_factor(&token, &f.code, &anon.origin)
        .await
    {
        Ok(()) => Redirect::to(&next).into_response(),
        Err(CoreError::Unauthenticated) => totp_page(&anon, &token, &next, true).await,
        Err(e) => {
            tracing::error!(error = %e, "second factor failed");
            error_page(
                &anon.tr,
                &anon.path,
                None,
                StatusCode::INTERNAL_SERVER_ERROR,
                "error-server",
            )
        }
    }
}

// ---- Administration and own account --------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct NewUserForm {
    csrf: String,
    username: String,
    display_name: String,
    role: String,
    unit: String,
}

struct UserRow {
    username: String,
    name: String,
    role: String,
    unit: String,
    status: String,
    active: bool,
    totp: bool,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct AdminUsersPage {
    c: Chrome,
    notice: Option<String>,
    users: Vec<UserRow>,
    f: NewUserForm,
    roles: Vec<Choice>,
    units: Vec<Choice>,
    errors: Vec<ErrorItem>,
    unit_rows: Vec<(String, String, String)>,
    districts: Vec<Choice>,
    unit_errors: Vec<ErrorItem>,
    agency: String,
}

async fn admin_page(
    ctx: &Ctx,
    notice: Option<String>,
    f: NewUserForm,
    errs: Option<&ValidationErrors>,
) -> PageResult {
    admin_page_with(ctx, notice, f, errs, None).await
}

async fn admin_page_with(
    ctx: &Ctx,
    notice: Option<String>,
    f: NewUserForm,
    errs: Option<&ValidationErrors>,
    unit_errs: Option<&ValidationErrors>,
) -> PageResult {
    let app = &ctx.state.app;
    let users = app.list_users(&ctx.actor).await.map_err(|e| ctx.fail(e))?;
    let units = app
        .agency_units(&ctx.actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let now = chrono::Utc::now();
    let rows = users
        .iter()
        .map(|u| UserRow {
            username: u.username.clone(),
            name: u.display_name.clone(),
            role: ctx.tr.code("user-role", u.role.as_str()),
            unit: u.unit_code.clone(),
            status: if !u.active {
                ctx.tr.t("admin-status-disabled")
            } else if u.locked_until.is_some_and(|t| t > now) {
                ctx.tr.t("admin-status-locked")
            } else {
                ctx.tr.t("admin-status-active")
            },
            active: u.active,
            totp: u.totp_enabled,
        })
        .collect();
    let roles = choices(
        nigehban_domain::org::UserRole::ALL,
        nigehban_domain::org::UserRole::as_str,
        "user-role",
        &ctx.tr,
        &|c| c == f.role,
    );
    let unit_rows = units
        .iter()
        .map(|u| {
            (
                u.code.clone(),
                if ctx.tr.urdu() {
                    u.name_ur.clone()
                } else {
                    u.name_en.clone()
                },
                district_label(&ctx.tr, ctx.state.app.refdata(), &u.district),
            )
        })
        .collect();
    let units = units
        .iter()
        .map(|u| Choice {
            value: u.code.clone(),
            label: format!(
                "{} ({})",
                if ctx.tr.urdu() {
                    &u.name_ur
                } else {
                    &u.name_en
                },
                u.code
            ),
            on: u.code == f.unit,
            group: String::new(),
        })
        .collect();
    let status = if errs.is_some() || unit_errs.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(
        status,
        &AdminUsersPage {
            c: ctx.chrome(ctx.tr.t("admin-users-title")),
            notice,
            users: rows,
            f,
            roles,
            units,
            errors: errs.map(|e| error_items(&ctx.tr, e)).unwrap_or_default(),
            unit_rows,
            districts: district_choices(&ctx.tr, ctx.state.app.refdata(), ""),
            unit_errors: unit_errs
                .map(|e| error_items(&ctx.tr, e))
                .unwrap_or_default(),
            agency: ctx.actor.agency.clone(),
        },
    ))
}

pub async fn admin_users(ctx: Ctx) -> PageResult {
    admin_page(&ctx, None, NewUserForm::default(), None).await
}

pub async fn admin_add_user(ctx: Ctx, Form(f): Form<NewUserForm>) -> PageResult {
    ctx.require_csrf(&f.csrf)?;
    let password = nigehban_core::auth::generate_password();
    let input = nigehban_core::service::NewUserInput {
        username: f.username.clone(),
        display_name: f.display_name.clone(),
        role: f.role.clone(),
        unit_code: f.unit.clone(),
        password: password.clone(),
    };
    match ctx
        .state
        .app
        .add_user(
            &nigehban_core::actor::Principal::User(ctx.actor.clone()),
            input,
        )
        .await
    {
        Ok(u) => {
            let notice = ctx.tr.ta(
                "admin-created",
                &[("username", u.username), ("password", password)],
            );
            admin_page(&ctx, Some(notice), NewUserForm::default(), None).await
        }
        Err(CoreError::Invalid(errs)) => admin_page(&ctx, None, f, Some(&errs)).await,
        Err(e) => Err(ctx.fail(e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActiveForm {
    csrf: String,
    active: bool,
}

pub async fn admin_set_active(
    ctx: Ctx,
    Path(username): Path<String>,
    Form(f): Form<ActiveForm>,
) -> PageResult {
    ctx.require_csrf(&f.csrf)?;
    ctx.state
        .app
        .set_user_active(&ctx.actor, &username, f.active)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to("/admin/users").into_response())
}

pub async fn admin_reset_password(
    ctx: Ctx,
    Path(username): Path<String>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    ctx.require_csrf(&f.csrf)?;
    let password = ctx
        .state
        .app
        .reset_password(&ctx.actor, &username)
        .await
        .map_err(|e| ctx.fail(e))?;
    let notice = ctx.tr.ta(
        "admin-reset-done",
        &[("username", username), ("password", password)],
    );
    admin_page(&ctx, Some(notice), NewUserForm::default(), None).await
}

pub async fn admin_reset_totp(
    ctx: Ctx,
    Path(username): Path<String>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    ctx.require_csrf(&f.csrf)?;
    ctx.state
        .app
        .reset_second_factor(&ctx.actor, &username)
        .await
        .map_err(|e| ctx.fail(e))?;
    let notice = ctx.tr.ta("admin-totp-done", &[("username", username)]);
    admin_page(&ctx, Some(notice), NewUserForm::default(), None).await
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    done: bool,
    errors: Vec<ErrorItem>,
}

pub async fn account(ctx: Ctx, Query(q): Query<MsgQuery>) -> PageResult {
    let done = q.msg.as_deref() == Some("changed");
    Ok(render(
        StatusCode::OK,
        &AccountPage {
            c: ctx.chrome(ctx.tr.t("account-title")),
            done,
            errors: Vec::new(),
        },
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    csrf: String,
    current_password: String,
    password: String,
}

/// A password change ends every session of the user, this one included: sign in again.
pub async fn change_password(ctx: Ctx, Form(f): Form<PasswordForm>) -> PageResult {
    ctx.require_csrf(&f.csrf)?;
    match ctx
        .state
        .app
        .change_own_password(&ctx.actor, &f.current_password, &f.password)
        .await
    {
        Ok(()) => Ok(Redirect::to("/login").into_response()),
        Err(CoreError::Invalid(errs)) => Ok(render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &AccountPage {
                c: ctx.chrome(ctx.tr.t("account-title")),
                done: false,
                errors: error_items(&ctx.tr, &errs),
            },
        )),
        Err(e) => Err(ctx.fail(e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewUnitForm {
    csrf: String,
    code: String,
    name_en: String,
    name_ur: String,
    district: String,
}

pub async fn admin_add_unit(ctx: Ctx, Form(f): Form<NewUnitForm>) -> PageResult {
    ctx.require_csrf(&f.csrf)?;
    let input = nigehban_core::service::NewUnitInput {
        code: f.code,
        name_en: f.name_en,
        name_ur: f.name_ur,
        district: f.district,
    };
    match ctx.state.app.add_unit(&ctx.actor, &input).await {
        Ok(u) => {
            admin_page(
                &ctx,
                Some(ctx.tr.ta("admin-unit-created", &[("code", u.code)])),
                NewUserForm::default(),
                None,
            )
            .await
        }
        Err(CoreError::Invalid(errs)) => {
            admin_page_with(&ctx, None, NewUserForm::default(), None, Some(&errs)).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

pub async fn seal_person(ctx: Ctx, Path(id): Path<String>, Form(f): Form<SealForm>) -> PageResult {
    let id: PersonId = parse_id(&ctx, &id)?;
    ctx.require_csrf(&f.csrf)?;
    let named = named_users(&f.named);
    match ctx
        .state
        .app
        .seal_person(&ctx.actor, id, &f.order_ref, &named)
        .await
    {
        // The person is now hidden from almost everyone; back to the cases.
        Ok(()) => Ok(Redirect::to("/cases").into_response()),
        Err(CoreError::Invalid(errs)) => person_page_with_errors(&ctx, id, &errs).await,
        Err(e) => Err(ctx.fail(e)),
    }
}

/// The person page again, with the problems of a form posted from it (reveal, seal).
async fn person_page_with_errors(ctx: &Ctx, id: PersonId, errs: &ValidationErrors) -> PageResult {
    let d = ctx
        .state
        .app
        .view_person(&ctx.actor, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let v = person_view(&ctx.tr, ctx.state.app.refdata(), &d);
    let title = v.name_roman.clone();
    Ok(render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &PersonPage {
            c: ctx.chrome(title),
            v,
            errors: error_items(&ctx.tr, errs),
            support: crate::victim_pages::support_block(ctx, id).await,
        },
    ))
}
