//! Pages of victim protection: the service directory, protection files (identification, needs,
//! consent, referrals, case plan, cooperation), referrals as either side sees them, and the
//! managers' measures with their chart and downloads. Every decision is the core's: what a
//! provider sees arrives here already reduced to the consented fields.

// Handlers return `Result<Response, Response>`: the error *is* the page to show, as axum intends.
#![allow(clippy::result_large_err)]

use crate::ctx::{Ctx, Tr};
use crate::pages::{parse_id, render};
use crate::views::*;
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use nigehban_core::service::{
    DirectoryQuery, Measures, ProviderView, ReferralRow, ReferralView, SharedValue, SupportView,
    VictimFileView,
};
use nigehban_core::CoreError;
use nigehban_domain::error::ValidationErrors;
use nigehban_domain::ids::{IntakeEntryId, PersonId};
use nigehban_domain::reference::ReferenceData;
use nigehban_domain::victims::*;
use serde::Deserialize;

type PageResult = Result<Response, Response>;
type Fields = Vec<(String, String)>;

fn one(f: &Fields, k: &str) -> Option<String> {
    f.iter()
        .find(|(n, _)| n == k)
        .map(|(_, v)| v.clone())
        .filter(|v| !v.trim().is_empty())
}

fn all(f: &Fields, k: &str) -> Vec<String> {
    f.iter()
        .filter(|(n, v)| n == k && !v.trim().is_empty())
        .map(|(_, v)| v.clone())
        .collect()
}

fn csrf_of(ctx: &Ctx, f: &Fields) -> Result<(), Response> {
    ctx.require_csrf(&one(f, "csrf").unwrap_or_default())
}

fn code_choices(tr: &Tr, prefix: &str, codes: &[String], on: &dyn Fn(&str) -> bool) -> Vec<Choice> {
    codes
        .iter()
        .map(|c| Choice {
            value: c.clone(),
            label: tr.code(prefix, c),
            on: on(c),
            group: String::new(),
        })
        .collect()
}

fn service_codes(r: &ReferenceData) -> Vec<String> {
    r.victims.services.iter().map(|s| s.code.clone()).collect()
}

fn when(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%Y-%m-%d %H:%M").to_string()
}

fn labels(tr: &Tr, prefix: &str, codes: &[String]) -> String {
    codes
        .iter()
        .map(|c| tr.code(prefix, c))
        .collect::<Vec<_>>()
        .join(", ")
}

// ---- Entry points ------------------------------------------------------------------------------

/// "Identify as victim" from an intake entry.
pub async fn identify_at_intake(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> PageResult {
    let entry: IntakeEntryId = parse_id(&ctx, &id)?;
    csrf_of(&ctx, &f)?;
    let file = ctx
        .state
        .app
        .identify_at_intake(&ctx.actor, entry)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/victims/{file}?msg=identified")).into_response())
}

/// "Identify as victim" from a person's page.
pub async fn identify_person(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> PageResult {
    let person: PersonId = parse_id(&ctx, &id)?;
    csrf_of(&ctx, &f)?;
    let source = one(&f, "source").unwrap_or_else(|| "case".into());
    let file = ctx
        .state
        .app
        .identify_person(&ctx.actor, person, &source)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to(&format!("/victims/{file}?msg=identified")).into_response())
}

/// The support a person has, shown on the person page to those who may see the person.
pub struct SupportBlock {
    pub rows: Vec<SupportRow>,
    pub can_identify: bool,
    pub person_id: String,
}

pub struct SupportRow {
    pub file_id: String,
    pub unit: String,
    pub phase: String,
    pub minor: bool,
    pub willing: String,
    pub requested: String,
    pub granted: String,
    pub services: String,
    pub open_referrals: usize,
    pub own: bool,
}

pub async fn support_block(ctx: &Ctx, person: PersonId) -> SupportBlock {
    let list: Vec<SupportView> = ctx
        .state
        .app
        .support_of(&ctx.actor, person)
        .await
        .unwrap_or_default();
    let tr = &ctx.tr;
    SupportBlock {
        can_identify: nigehban_core::policy::authorize(
            &ctx.actor,
            nigehban_core::policy::Action::ProtectVictims,
        )
        .is_ok(),
        person_id: person.to_string(),
        rows: list
            .into_iter()
            .map(|s| {
                let coop = s.cooperation.unwrap_or_default();
                SupportRow {
                    file_id: s.file_id,
                    unit: s.unit_code,
                    phase: tr.code("vphase", s.phase.as_str()),
                    minor: s.minor,
                    willing: coop
                        .willing_to_testify
                        .map(|w| tr.code("vwilling", w.as_str()))
                        .unwrap_or_default(),
                    requested: labels(tr, "vmeasure", &coop.requested),
                    granted: labels(tr, "vmeasure", &coop.granted),
                    services: labels(tr, "vservice", &s.services),
                    open_referrals: s.open_referrals,
                    own: s.own,
                }
            })
            .collect(),
    }
}

// ---- The directory -----------------------------------------------------------------------------

pub struct ProviderRow {
    pub id: String,
    pub name: String,
    pub services: String,
    pub districts: String,
    pub whom: String,
    pub capacity: String,
    pub free: String,
    pub accepting: bool,
    pub languages: String,
    pub contact: String,
    pub unit: String,
    pub can_edit: bool,
}

fn provider_row(tr: &Tr, r: &ReferenceData, v: &ProviderView) -> ProviderRow {
    let p = &v.record.provider;
    let mut whom = Vec::new();
    if !p.sexes.is_empty() {
        whom.push(
            p.sexes
                .iter()
                .map(|s| tr.code("sex", s.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    match (p.min_age, p.max_age) {
        (None, None) => {}
        (lo, hi) => whom.push(tr.ta(
            "vdir-ages",
            &[
                (
                    "min",
                    lo.map(|a| a.to_string()).unwrap_or_else(|| "0".into()),
                ),
                (
                    "max",
                    hi.map(|a| a.to_string()).unwrap_or_else(|| "…".into()),
                ),
            ],
        )),
    }
    if !p.nationalities.is_empty() {
        whom.push(
            p.nationalities
                .iter()
                .map(|c| country_label(tr, r, c))
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    if !p.exploitation.is_empty() {
        whom.push(labels(tr, "exploit", &p.exploitation));
    }
    ProviderRow {
        id: v.record.id.clone(),
        name: p.name.clone(),
        services: labels(tr, "vservice", &p.services),
        districts: p
            .districts
            .iter()
            .map(|d| district_label(tr, r, d))
            .collect::<Vec<_>>()
            .join(", "),
        whom: if whom.is_empty() {
            tr.t("vdir-everyone")
        } else {
            whom.join(" · ")
        },
        capacity: p.capacity.map(|c| c.to_string()).unwrap_or_default(),
        free: v.free_places.map(|c| c.to_string()).unwrap_or_default(),
        accepting: p.accepting,
        languages: p.languages.clone().unwrap_or_default(),
        contact: p.contact.clone().unwrap_or_default(),
        unit: v.unit_code.clone().unwrap_or_default(),
        can_edit: v.can_edit,
    }
}

/// The directory entry form's choices and values.
pub struct ProviderForm {
    pub name: String,
    pub unit_code: String,
    pub min_age: String,
    pub max_age: String,
    pub capacity: String,
    pub available: String,
    pub accepting: bool,
    pub languages: String,
    pub contact: String,
    pub services: Vec<Choice>,
    pub districts: Vec<Choice>,
    pub sexes: Vec<Choice>,
    pub nationalities: Vec<Choice>,
    pub exploitation: Vec<Choice>,
    pub version: i64,
    /// NGO users' entries are tied to their own unit.
    pub own_unit_only: bool,
}

fn provider_form(ctx: &Ctx, i: &ProviderInput, version: i64) -> ProviderForm {
    let tr = &ctx.tr;
    let r = ctx.state.app.refdata();
    let mut districts = district_choices(tr, r, "");
    for d in districts.iter_mut() {
        d.on = i.districts.contains(&d.value);
    }
    let mut nationalities = country_choices(tr, r, "");
    for c in nationalities.iter_mut() {
        c.on = i.nationalities.contains(&c.value);
    }
    nationalities.retain(|c| !c.value.is_empty());
    ProviderForm {
        name: i.name.clone().unwrap_or_default(),
        unit_code: i.unit_code.clone().unwrap_or_default(),
        min_age: i.min_age.clone().unwrap_or_default(),
        max_age: i.max_age.clone().unwrap_or_default(),
        capacity: i.capacity.clone().unwrap_or_default(),
        available: i.available.clone().unwrap_or_default(),
        accepting: i.accepting,
        languages: i.languages.clone().unwrap_or_default(),
        contact: i.contact.clone().unwrap_or_default(),
        services: code_choices(tr, "vservice", &service_codes(r), &|c| {
            i.services.iter().any(|s| s == c)
        }),
        districts,
        sexes: sex_choices(tr, "")
            .into_iter()
            .filter(|c| c.value != "unknown")
            .map(|mut c| {
                c.on = i.sexes.contains(&c.value);
                c
            })
            .collect(),
        nationalities,
        exploitation: exploitation_choices(tr, &i.exploitation),
        version,
        own_unit_only: ctx.actor.role == nigehban_domain::org::UserRole::NgoCaseWorker,
    }
}

fn provider_input(f: &Fields) -> ProviderInput {
    ProviderInput {
        name: one(f, "name"),
        unit_code: one(f, "unit_code"),
        services: all(f, "services"),
        districts: all(f, "districts"),
        sexes: all(f, "sexes"),
        min_age: one(f, "min_age"),
        max_age: one(f, "max_age"),
        nationalities: all(f, "nationalities"),
        exploitation: all(f, "exploitation"),
        capacity: one(f, "capacity"),
        available: one(f, "available"),
        accepting: one(f, "accepting").is_some(),
        languages: one(f, "languages"),
        contact: one(f, "contact"),
    }
}

fn provider_to_input(p: &ValidatedProvider) -> ProviderInput {
    ProviderInput {
        name: Some(p.name.clone()),
        unit_code: p.unit_code.clone(),
        services: p.services.clone(),
        districts: p.districts.clone(),
        sexes: p.sexes.iter().map(|s| s.as_str().to_string()).collect(),
        min_age: p.min_age.map(|a| a.to_string()),
        max_age: p.max_age.map(|a| a.to_string()),
        nationalities: p.nationalities.clone(),
        exploitation: p.exploitation.clone(),
        capacity: p.capacity.map(|a| a.to_string()),
        available: p.available.map(|a| a.to_string()),
        accepting: p.accepting,
        languages: p.languages.clone(),
        contact: p.contact.clone(),
    }
}

#[derive(Template)]
#[template(path = "services.html")]
struct ServicesPage {
    c: Chrome,
    services: Vec<Choice>,
    districts: Vec<Choice>,
    q: String,
    rows: Vec<ProviderRow>,
    searched: bool,
    can_add: bool,
    form: ProviderForm,
    errors: Vec<ErrorItem>,
}

#[derive(Deserialize, Default)]
pub struct ServicesQuery {
    #[serde(default)]
    service: String,
    #[serde(default)]
    district: String,
    #[serde(default)]
    q: String,
    msg: Option<String>,
}

async fn services_page(
    ctx: &Ctx,
    q: &ServicesQuery,
    input: &ProviderInput,
    errs: Option<&ValidationErrors>,
) -> PageResult {
    let tr = &ctx.tr;
    let r = ctx.state.app.refdata();
    let query = DirectoryQuery {
        service: Some(q.service.clone()),
        district: Some(q.district.clone()),
        q: Some(q.q.clone()),
    };
    let list = ctx
        .state
        .app
        .directory(&ctx.actor, &query)
        .await
        .map_err(|e| ctx.fail(e))?;
    let mut c = ctx.chrome(tr.t("vdir-title"));
    c.flash = q.msg.as_ref().map(|m| tr.t(&format!("vdir-msg-{m}")));
    let page = ServicesPage {
        services: code_choices(tr, "vservice", &service_codes(r), &|x| x == q.service),
        districts: district_choices(tr, r, &q.district),
        q: q.q.clone(),
        searched: !(q.service.is_empty() && q.district.is_empty() && q.q.is_empty()),
        rows: list.iter().map(|v| provider_row(tr, r, v)).collect(),
        can_add: nigehban_core::policy::authorize(
            &ctx.actor,
            nigehban_core::policy::Action::ManageDirectory,
        )
        .is_ok(),
        form: provider_form(ctx, input, 0),
        errors: errs.map(|e| error_items(tr, e)).unwrap_or_default(),
        c,
    };
    let status = if errs.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok(render(status, &page))
}

pub async fn services(ctx: Ctx, Query(q): Query<ServicesQuery>) -> PageResult {
    let input = ProviderInput {
        accepting: true,
        ..Default::default()
    };
    services_page(&ctx, &q, &input, None).await
}

pub async fn add_service(ctx: Ctx, Form(f): Form<Fields>) -> PageResult {
    csrf_of(&ctx, &f)?;
    let input = provider_input(&f);
    match ctx
        .state
        .app
        .save_provider(&ctx.actor, None, &input, 0)
        .await
    {
        Ok(_) => Ok(Redirect::to("/services?msg=added").into_response()),
        Err(CoreError::Invalid(errs)) => {
            services_page(&ctx, &ServicesQuery::default(), &input, Some(&errs)).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

#[derive(Template)]
#[template(path = "service_edit.html")]
struct ServiceEditPage {
    c: Chrome,
    id: String,
    form: ProviderForm,
    errors: Vec<ErrorItem>,
}

pub async fn service(ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let v = ctx
        .state
        .app
        .provider(&ctx.actor, &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    if !v.can_edit {
        return Err(ctx.fail(CoreError::Forbidden("manage-directory")));
    }
    let page = ServiceEditPage {
        c: ctx.chrome(v.record.provider.name.clone()),
        form: provider_form(
            &ctx,
            &provider_to_input(&v.record.provider),
            v.record.version,
        ),
        id,
        errors: Vec::new(),
    };
    Ok(render(StatusCode::OK, &page))
}

pub async fn save_service(ctx: Ctx, Path(id): Path<String>, Form(f): Form<Fields>) -> PageResult {
    csrf_of(&ctx, &f)?;
    let input = provider_input(&f);
    let version = one(&f, "version").and_then(|v| v.parse().ok()).unwrap_or(0);
    match ctx
        .state
        .app
        .save_provider(&ctx.actor, Some(&id), &input, version)
        .await
    {
        Ok(_) => Ok(Redirect::to("/services?msg=saved").into_response()),
        Err(CoreError::Invalid(errs)) => {
            let page = ServiceEditPage {
                c: ctx.chrome(input.name.clone().unwrap_or_default()),
                form: provider_form(&ctx, &input, version),
                id,
                errors: error_items(&ctx.tr, &errs),
            };
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(CoreError::Conflict(_)) => Ok(Redirect::to("/services?msg=stale").into_response()),
        Err(e) => Err(ctx.fail(e)),
    }
}

// ---- Protection files --------------------------------------------------------------------------

pub struct FileListRow {
    pub id: String,
    pub label: String,
    pub minor: bool,
    pub phase: String,
    pub identified: String,
    pub by: String,
    pub open_referrals: usize,
    pub overdue: usize,
}

#[derive(Template)]
#[template(path = "victims.html")]
struct VictimsPage {
    c: Chrome,
    rows: Vec<FileListRow>,
}

pub async fn victims(ctx: Ctx) -> PageResult {
    let list = ctx
        .state
        .app
        .victim_files(&ctx.actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let tr = &ctx.tr;
    let page = VictimsPage {
        c: ctx.chrome(tr.t("victims-title")),
        rows: list
            .into_iter()
            .map(|r| FileListRow {
                id: r.file.id.clone(),
                label: r.label,
                minor: r.file.minor,
                phase: tr.code("vphase", r.file.phase.as_str()),
                identified: when(r.file.identified_at),
                by: r.file.identified_by,
                open_referrals: r.open_referrals,
                overdue: r.overdue,
            })
            .collect(),
    };
    Ok(render(StatusCode::OK, &page))
}

pub struct QuestionRow {
    pub code: String,
    pub label: String,
    pub answer: String,
}

pub struct AreaBlock {
    pub area: String,
    pub label: String,
    pub questions: Vec<QuestionRow>,
    pub note: String,
}

pub struct ConsentRow {
    pub id: String,
    pub provider: String,
    pub field: String,
    pub purpose: String,
    pub given_by: String,
    pub granted: String,
    pub withdrawn: String,
    pub active: bool,
}

pub struct FileReferralRow {
    pub id: String,
    pub provider: String,
    pub service: String,
    pub status: String,
    pub status_code: String,
    pub overdue: bool,
    pub sent: String,
}

pub struct PlanRow {
    pub id: String,
    pub kind: String,
    pub area: String,
    pub text: String,
    pub date: String,
    pub risk: String,
    pub risk_code: String,
    pub status: String,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "victim_file.html")]
struct VictimFilePage {
    c: Chrome,
    id: String,
    label: String,
    minor: bool,
    closed: bool,
    facts: Vec<(String, String)>,
    person_id: String,
    intake_entry: String,
    areas: Vec<AreaBlock>,
    answer_codes: Vec<(String, String)>,
    languages: String,
    exploitation: Vec<Choice>,
    presumed_minor: bool,
    consents: Vec<ConsentRow>,
    providers: Vec<Choice>,
    purposes: Vec<Choice>,
    consent_fields: Vec<Choice>,
    givers: Vec<Choice>,
    giver_name: String,
    referrals: Vec<FileReferralRow>,
    ref_providers: Vec<Choice>,
    ref_services: Vec<Choice>,
    ref_districts: Vec<Choice>,
    ref_fields: Vec<Choice>,
    ref_urgent: bool,
    ref_note: String,
    plan: Vec<PlanRow>,
    plan_kinds: Vec<Choice>,
    plan_areas: Vec<Choice>,
    plan_risks: Vec<Choice>,
    plan_text: String,
    plan_date: String,
    willing: Vec<Choice>,
    requested: Vec<Choice>,
    granted: Vec<Choice>,
    requested_on: String,
    granted_on: String,
    coop_note: String,
    phases: Vec<Choice>,
    closures: Vec<Choice>,
    errors: Vec<ErrorItem>,
    /// Which form the errors belong to (kept open).
    form: String,
    today: String,
}

/// What was typed in the form that failed, kept for the page shown again.
#[derive(Default)]
struct Typed {
    form: String,
    needs: Option<NeedsInput>,
    consent: ConsentInput,
    referral: ReferralInput,
    plan: PlanItemInput,
    coop: Option<CooperationInput>,
}

fn needs_to_input(a: &NeedsAssessment) -> NeedsInput {
    NeedsInput {
        answers: a
            .answers
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().to_string()))
            .collect(),
        notes: a.notes.clone(),
        languages: a.languages.clone(),
        exploitation: a.exploitation.clone(),
        presumed_minor: a.presumed_minor,
    }
}

fn coop_to_input(c: &Cooperation) -> CooperationInput {
    CooperationInput {
        willing_to_testify: c.willing_to_testify.map(|w| w.as_str().to_string()),
        requested: c.requested.clone(),
        granted: c.granted.clone(),
        requested_on: c.requested_on.map(|d| d.to_string()),
        granted_on: c.granted_on.map(|d| d.to_string()),
        note: c.note.clone(),
    }
}

fn file_page(
    ctx: &Ctx,
    v: &VictimFileView,
    typed: Typed,
    errs: Option<&ValidationErrors>,
    msg: Option<&str>,
) -> Response {
    let tr = &ctx.tr;
    let r = ctx.state.app.refdata();
    let vr = &r.victims;
    let f = &v.file;
    let needs = typed.needs.unwrap_or_else(|| {
        f.assessment
            .as_ref()
            .map(needs_to_input)
            .unwrap_or_default()
    });
    let coop = typed.coop.unwrap_or_else(|| {
        f.cooperation
            .as_ref()
            .map(coop_to_input)
            .unwrap_or_default()
    });
    let provider_choices = |chosen: &Option<String>| -> Vec<Choice> {
        v.providers
            .iter()
            .map(|p| Choice {
                value: p.id.clone(),
                label: p.provider.name.clone(),
                on: chosen.as_deref() == Some(p.id.as_str()),
                group: String::new(),
            })
            .collect()
    };
    let default_district = typed
        .referral
        .district
        .clone()
        .or_else(|| {
            ctx.state
                .app
                .refdata()
                .units
                .iter()
                .find(|u| u.code == f.unit_code)
                .map(|u| u.district.clone())
        })
        .unwrap_or_default();
    let mut facts = vec![
        (tr.t("field-sex"), tr.code("sex", v.sex.as_str())),
        (
            tr.t("victims-age"),
            v.age
                .map(|a| a.to_string())
                .unwrap_or_else(|| tr.t("victims-unknown")),
        ),
    ];
    if let Some(n) = &v.nationality {
        facts.push((tr.t("field-nationality_claimed"), country_label(tr, r, n)));
    }
    if let Some(d) = &v.origin_district {
        facts.push((tr.t("field-origin_district"), district_label(tr, r, d)));
    }
    facts.push((tr.t("victims-phase"), tr.code("vphase", f.phase.as_str())));
    facts.push((
        tr.t("victims-identified"),
        format!(
            "{} · {} · {}",
            when(f.identified_at),
            f.identified_by,
            tr.code("vsource", f.source.as_str())
        ),
    ));
    if let Some(reason) = &f.closure_reason {
        facts.push((tr.t("victims-closed"), tr.code("vfileclose", reason)));
    }
    let mut c = ctx.chrome(tr.ta("victims-file-title", &[("label", pseudonym_label(v))]));
    c.flash = msg.map(|m| tr.t(&format!("victims-msg-{m}")));
    let page = VictimFilePage {
        id: f.id.clone(),
        label: v.label.clone(),
        minor: f.minor,
        closed: f.closed_at.is_some(),
        facts,
        person_id: f.person_id.to_string(),
        intake_entry: f.intake_entry.clone().unwrap_or_default(),
        areas: NEED_AREAS
            .iter()
            .map(|area| AreaBlock {
                area: area.to_string(),
                label: tr.code("vneed-area", area),
                questions: vr
                    .needs_in(area)
                    .map(|q| QuestionRow {
                        code: q.code.clone(),
                        label: tr.code("vneed", &q.code),
                        answer: needs.answers.get(&q.code).cloned().unwrap_or_default(),
                    })
                    .collect(),
                note: needs.notes.get(*area).cloned().unwrap_or_default(),
            })
            .collect(),
        answer_codes: Answer::ALL
            .iter()
            .map(|a| (a.as_str().to_string(), tr.code("vanswer", a.as_str())))
            .collect(),
        languages: needs.languages.clone().unwrap_or_default(),
        exploitation: exploitation_choices(tr, &needs.exploitation),
        presumed_minor: needs.presumed_minor,
        consents: v
            .consents
            .iter()
            .map(|k| ConsentRow {
                id: k.id.clone(),
                provider: k.provider_name.clone(),
                field: tr.code("vfield", &k.field),
                purpose: tr.code("vpurpose", &k.purpose),
                given_by: match &k.giver_name {
                    Some(n) => format!("{} ({n})", tr.code("vgiver", &k.given_by)),
                    None => tr.code("vgiver", &k.given_by),
                },
                granted: format!("{} · {}", when(k.granted_at), k.granted_by),
                withdrawn: match (&k.withdrawn_by, k.withdrawn_at) {
                    (Some(by), Some(at)) => format!("{} · {by}", when(at)),
                    _ => String::new(),
                },
                active: k.active(),
            })
            .collect(),
        providers: provider_choices(&typed.consent.provider),
        purposes: code_choices(tr, "vpurpose", &vr.consent_uses, &|x| {
            typed.consent.purpose.as_deref().unwrap_or(SERVICE_DELIVERY) == x
        }),
        consent_fields: code_choices(tr, "vfield", &vr.consent_fields, &|x| {
            typed.consent.fields.iter().any(|f| f == x)
        }),
        givers: vr
            .consent_givers
            .iter()
            .map(|g| Choice {
                value: g.code.clone(),
                label: tr.code("vgiver", &g.code),
                on: typed.consent.given_by.as_deref() == Some(g.code.as_str()),
                // A minor's consent comes from a guardian or an officer: the others are marked.
                group: if g.for_minor {
                    "minor".into()
                } else {
                    "adult".into()
                },
            })
            .collect(),
        giver_name: typed.consent.giver_name.clone().unwrap_or_default(),
        referrals: v
            .referrals
            .iter()
            .map(|row| FileReferralRow {
                id: row.record.id.clone(),
                provider: row.record.provider_name.clone(),
                service: tr.code("vservice", &row.record.service),
                status: tr.code("vstatus", row.record.status.as_str()),
                status_code: row.record.status.as_str().to_string(),
                overdue: row.overdue,
                sent: when(row.record.sent_at),
            })
            .collect(),
        ref_providers: provider_choices(&typed.referral.provider),
        ref_services: code_choices(tr, "vservice", &service_codes(r), &|x| {
            typed.referral.service.as_deref() == Some(x)
        }),
        ref_districts: district_choices(tr, r, &default_district),
        ref_fields: code_choices(tr, "vfield", &vr.consent_fields, &|x| {
            typed.referral.fields.iter().any(|f| f == x)
        }),
        ref_urgent: typed.referral.urgent,
        ref_note: typed.referral.note.clone().unwrap_or_default(),
        plan: v
            .plan
            .iter()
            .map(|p| PlanRow {
                id: p.id.clone(),
                kind: tr.code("vplan", p.item.kind.as_str()),
                area: p
                    .item
                    .area
                    .as_deref()
                    .map(|a| tr.code("vplanarea", a))
                    .unwrap_or_default(),
                text: p.item.text.clone(),
                date: p.item.date.map(|d| d.to_string()).unwrap_or_default(),
                risk: p
                    .item
                    .risk
                    .map(|x| tr.code("vrisk", x.as_str()))
                    .unwrap_or_default(),
                risk_code: p
                    .item
                    .risk
                    .map(|x| x.as_str().to_string())
                    .unwrap_or_default(),
                status: tr.code("vplanstatus", p.status.as_str()),
                open: p.status == PlanStatus::Open,
            })
            .collect(),
        plan_kinds: choices(PlanKind::ALL, PlanKind::as_str, "vplan", tr, &|x| {
            typed.plan.kind.as_deref() == Some(x)
        }),
        plan_areas: code_choices(tr, "vplanarea", &vr.plan_areas, &|x| {
            typed.plan.area.as_deref() == Some(x)
        }),
        plan_risks: choices(RiskLevel::ALL, RiskLevel::as_str, "vrisk", tr, &|x| {
            typed.plan.risk.as_deref() == Some(x)
        }),
        plan_text: typed.plan.text.clone().unwrap_or_default(),
        plan_date: typed.plan.date.clone().unwrap_or_default(),
        willing: choices(
            Willingness::ALL,
            Willingness::as_str,
            "vwilling",
            tr,
            &|x| coop.willing_to_testify.as_deref() == Some(x),
        ),
        requested: code_choices(tr, "vmeasure", &vr.protection_measures, &|x| {
            coop.requested.iter().any(|m| m == x)
        }),
        granted: code_choices(tr, "vmeasure", &vr.protection_measures, &|x| {
            coop.granted.iter().any(|m| m == x)
        }),
        requested_on: coop.requested_on.clone().unwrap_or_default(),
        granted_on: coop.granted_on.clone().unwrap_or_default(),
        coop_note: coop.note.clone().unwrap_or_default(),
        phases: ProtectionPhase::ALL
            .iter()
            .filter(|p| **p != ProtectionPhase::Closed)
            .map(|p| Choice {
                value: p.as_str().into(),
                label: tr.code("vphase", p.as_str()),
                on: *p == f.phase,
                group: String::new(),
            })
            .collect(),
        closures: code_choices(tr, "vfileclose", &vr.file_closures, &|_| false),
        errors: errs.map(|e| error_items(tr, e)).unwrap_or_default(),
        form: typed.form,
        today: chrono::Utc::now().date_naive().to_string(),
        c,
    };
    let status = if errs.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(status, &page)
}

fn pseudonym_label(v: &VictimFileView) -> String {
    v.label.clone()
}

#[derive(Deserialize, Default)]
pub struct MsgQuery {
    msg: Option<String>,
}

pub async fn victim_file(
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<MsgQuery>,
) -> PageResult {
    let v = ctx
        .state
        .app
        .view_victim_file(&ctx.actor, &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(file_page(
        &ctx,
        &v,
        Typed::default(),
        None,
        q.msg.as_deref(),
    ))
}

/// After a form on the file page: back to the file with a message, or the page again with the
/// problems next to their fields and everything typed kept.
async fn after(
    ctx: &Ctx,
    id: &str,
    r: Result<(), CoreError>,
    msg: &str,
    typed: Typed,
) -> PageResult {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/victims/{id}?msg={msg}")).into_response()),
        Err(CoreError::Invalid(errs)) => {
            let v = ctx
                .state
                .app
                .view_victim_file(&ctx.actor, id)
                .await
                .map_err(|e| ctx.fail(e))?;
            Ok(file_page(ctx, &v, typed, Some(&errs), None))
        }
        Err(CoreError::Conflict(_)) => {
            Ok(Redirect::to(&format!("/victims/{id}?msg=stale")).into_response())
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

pub async fn save_needs(ctx: Ctx, Path(id): Path<String>, Form(f): Form<Fields>) -> PageResult {
    csrf_of(&ctx, &f)?;
    let mut input = NeedsInput {
        languages: one(&f, "languages"),
        exploitation: all(&f, "exploitation"),
        presumed_minor: one(&f, "presumed_minor").is_some(),
        ..Default::default()
    };
    for (k, v) in &f {
        if let Some(q) = k.strip_prefix("answer_") {
            input.answers.insert(q.to_string(), v.clone());
        } else if let Some(area) = k.strip_prefix("note_") {
            if !v.trim().is_empty() {
                input.notes.insert(area.to_string(), v.clone());
            }
        }
    }
    let r = ctx.state.app.save_needs(&ctx.actor, &id, &input).await;
    let typed = Typed {
        form: "needs".into(),
        needs: Some(input),
        ..Default::default()
    };
    after(&ctx, &id, r, "needs", typed).await
}

pub async fn grant_consent(ctx: Ctx, Path(id): Path<String>, Form(f): Form<Fields>) -> PageResult {
    csrf_of(&ctx, &f)?;
    let input = ConsentInput {
        provider: one(&f, "provider"),
        purpose: one(&f, "purpose"),
        fields: all(&f, "fields"),
        given_by: one(&f, "given_by"),
        giver_name: one(&f, "giver_name"),
    };
    let r = ctx.state.app.grant_consent(&ctx.actor, &id, &input).await;
    let typed = Typed {
        form: "consent".into(),
        consent: input,
        ..Default::default()
    };
    after(&ctx, &id, r, "consent", typed).await
}

pub async fn withdraw_consent(
    ctx: Ctx,
    Path((id, consent)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> PageResult {
    csrf_of(&ctx, &f)?;
    let r = ctx
        .state
        .app
        .withdraw_consent(&ctx.actor, &id, &consent)
        .await;
    after(&ctx, &id, r, "withdrawn", Typed::default()).await
}

pub async fn refer(ctx: Ctx, Path(id): Path<String>, Form(f): Form<Fields>) -> PageResult {
    csrf_of(&ctx, &f)?;
    let input = ReferralInput {
        provider: one(&f, "provider"),
        service: one(&f, "service"),
        district: one(&f, "district"),
        fields: all(&f, "fields"),
        urgent: one(&f, "urgent").is_some(),
        note: one(&f, "note"),
    };
    let r = ctx
        .state
        .app
        .refer(&ctx.actor, &id, &input)
        .await
        .map(|_| ());
    let typed = Typed {
        form: "referral".into(),
        referral: input,
        ..Default::default()
    };
    after(&ctx, &id, r, "referred", typed).await
}

pub async fn add_plan(ctx: Ctx, Path(id): Path<String>, Form(f): Form<Fields>) -> PageResult {
    csrf_of(&ctx, &f)?;
    let input = PlanItemInput {
        kind: one(&f, "kind"),
        area: one(&f, "area"),
        text: one(&f, "text"),
        date: one(&f, "date"),
        risk: one(&f, "risk"),
    };
    let r = ctx
        .state
        .app
        .add_plan_item(&ctx.actor, &id, &input)
        .await
        .map(|_| ());
    let typed = Typed {
        form: "plan".into(),
        plan: input,
        ..Default::default()
    };
    after(&ctx, &id, r, "plan", typed).await
}

pub async fn set_plan(
    ctx: Ctx,
    Path((id, item)): Path<(String, String)>,
    Form(f): Form<Fields>,
) -> PageResult {
    csrf_of(&ctx, &f)?;
    let status = one(&f, "status").unwrap_or_default();
    let r = ctx
        .state
        .app
        .set_plan_item(&ctx.actor, &id, &item, &status)
        .await;
    after(&ctx, &id, r, "plan", Typed::default()).await
}

pub async fn save_cooperation(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> PageResult {
    csrf_of(&ctx, &f)?;
    let input = CooperationInput {
        willing_to_testify: one(&f, "willing_to_testify"),
        requested: all(&f, "requested"),
        granted: all(&f, "granted"),
        requested_on: one(&f, "requested_on"),
        granted_on: one(&f, "granted_on"),
        note: one(&f, "note"),
    };
    let r = ctx
        .state
        .app
        .save_cooperation(&ctx.actor, &id, &input)
        .await;
    let typed = Typed {
        form: "cooperation".into(),
        coop: Some(input),
        ..Default::default()
    };
    after(&ctx, &id, r, "cooperation", typed).await
}

pub async fn set_phase(ctx: Ctx, Path(id): Path<String>, Form(f): Form<Fields>) -> PageResult {
    csrf_of(&ctx, &f)?;
    let phase = one(&f, "phase").unwrap_or_default();
    let r = ctx.state.app.set_phase(&ctx.actor, &id, &phase).await;
    after(
        &ctx,
        &id,
        r,
        "phase",
        Typed {
            form: "phase".into(),
            ..Default::default()
        },
    )
    .await
}

pub async fn close_file(ctx: Ctx, Path(id): Path<String>, Form(f): Form<Fields>) -> PageResult {
    csrf_of(&ctx, &f)?;
    let input = CloseInput {
        reason: one(&f, "reason"),
        note: one(&f, "note"),
    };
    let r = ctx.state.app.close_file(&ctx.actor, &id, &input).await;
    after(
        &ctx,
        &id,
        r,
        "closed",
        Typed {
            form: "close".into(),
            ..Default::default()
        },
    )
    .await
}

// ---- Referrals ---------------------------------------------------------------------------------

pub struct ReferralListRow {
    pub id: String,
    pub label: String,
    pub service: String,
    pub provider: String,
    pub from_unit: String,
    pub status: String,
    pub status_code: String,
    pub overdue: bool,
    pub urgent: bool,
    pub minor: bool,
    pub sent: String,
}

fn referral_list_row(tr: &Tr, r: &ReferralRow) -> ReferralListRow {
    let rec = &r.record;
    ReferralListRow {
        id: rec.id.clone(),
        label: r.label.clone(),
        service: tr.code("vservice", &rec.service),
        provider: rec.provider_name.clone(),
        from_unit: rec.file_unit_code.clone(),
        status: tr.code("vstatus", rec.status.as_str()),
        status_code: rec.status.as_str().to_string(),
        overdue: r.overdue,
        urgent: rec.urgent,
        minor: rec.minor,
        sent: when(rec.sent_at),
    }
}

#[derive(Template)]
#[template(path = "referrals.html")]
struct ReferralsPage {
    c: Chrome,
    rows: Vec<ReferralListRow>,
    provider_side: bool,
}

pub async fn referrals(ctx: Ctx, Query(q): Query<MsgQuery>) -> PageResult {
    let list = ctx
        .state
        .app
        .referrals(&ctx.actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let tr = &ctx.tr;
    let mut c = ctx.chrome(tr.t("referrals-title"));
    c.flash = q.msg.map(|m| tr.t(&format!("referrals-msg-{m}")));
    let page = ReferralsPage {
        c,
        rows: list.iter().map(|r| referral_list_row(tr, r)).collect(),
        provider_side: nigehban_core::policy::authorize(
            &ctx.actor,
            nigehban_core::policy::Action::RespondToReferrals,
        )
        .is_ok(),
    };
    Ok(render(StatusCode::OK, &page))
}

pub struct SharedRow {
    pub field: String,
    pub label: String,
    pub value: String,
}

fn shared_value(tr: &Tr, r: &ReferenceData, v: &SharedValue) -> String {
    match v {
        SharedValue::Text { text } => text.clone(),
        SharedValue::Code { prefix, code } => match prefix.as_str() {
            "country" => country_label(tr, r, code),
            "district" => district_label(tr, r, code),
            p => tr.code(p, code),
        },
        SharedValue::Codes { prefix, codes } => labels(tr, prefix, codes),
        SharedValue::Answers { answers, note } => {
            let mut parts: Vec<String> = answers
                .iter()
                .map(|(q, a)| {
                    format!(
                        "{}: {}",
                        tr.code("vneed", q),
                        tr.code("vanswer", a.as_str())
                    )
                })
                .collect();
            if !note.is_empty() {
                parts.push(note.clone());
            }
            parts.join(" · ")
        }
    }
}

pub struct EventRow {
    pub at: String,
    pub by: String,
    pub status: String,
    pub reason: String,
    pub note: String,
}

pub struct ServiceRow {
    pub service: String,
    pub dates: String,
    pub note: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "referral.html")]
struct ReferralPage {
    c: Chrome,
    id: String,
    label: String,
    service: String,
    provider: String,
    from_unit: String,
    district: String,
    status: String,
    status_code: String,
    overdue: bool,
    urgent: bool,
    minor: bool,
    note: String,
    file_id: String,
    shared: Vec<SharedRow>,
    withheld: String,
    events: Vec<EventRow>,
    services: Vec<ServiceRow>,
    provider_side: bool,
    can_respond: bool,
    can_record_service: bool,
    can_close: bool,
    can_cancel: bool,
    decline_reasons: Vec<Choice>,
    service_choices: Vec<Choice>,
    closures: Vec<Choice>,
    delivered_on: String,
    until: String,
    service_note: String,
    errors: Vec<ErrorItem>,
    today: String,
}

fn referral_page(
    ctx: &Ctx,
    v: &ReferralView,
    typed: &ServiceInput,
    errs: Option<&ValidationErrors>,
    msg: Option<&str>,
) -> Response {
    let tr = &ctx.tr;
    let r = ctx.state.app.refdata();
    let rec = &v.record;
    let mut c = ctx.chrome(tr.ta(
        "referral-title",
        &[
            ("service", tr.code("vservice", &rec.service)),
            ("label", v.label.clone()),
        ],
    ));
    c.flash = msg.map(|m| tr.t(&format!("referrals-msg-{m}")));
    let page = ReferralPage {
        id: rec.id.clone(),
        label: v.label.clone(),
        service: tr.code("vservice", &rec.service),
        provider: rec.provider_name.clone(),
        from_unit: rec.file_unit_code.clone(),
        district: district_label(tr, r, &rec.district),
        status: tr.code("vstatus", rec.status.as_str()),
        status_code: rec.status.as_str().to_string(),
        overdue: v.overdue,
        urgent: rec.urgent,
        minor: rec.minor,
        note: rec.note.clone().unwrap_or_default(),
        file_id: if v.provider_side {
            String::new()
        } else {
            rec.file_id.clone()
        },
        shared: v
            .shared
            .iter()
            .map(|s| SharedRow {
                field: s.field.clone(),
                label: tr.code("vfield", &s.field),
                value: shared_value(tr, r, &s.value),
            })
            .collect(),
        withheld: labels(tr, "vfield", &v.withheld),
        events: v
            .events
            .iter()
            .map(|e| EventRow {
                at: when(e.at),
                by: format!("{} ({})", e.by, e.unit_code),
                status: tr.code("vstatus", e.status.as_str()),
                reason: e
                    .reason
                    .as_deref()
                    .map(|x| {
                        let key = if e.status == ReferralStatus::Declined {
                            "vdecline"
                        } else {
                            "vrefclose"
                        };
                        tr.code(key, x)
                    })
                    .unwrap_or_default(),
                note: e.note.clone().unwrap_or_default(),
            })
            .collect(),
        services: v
            .services
            .iter()
            .map(|s| ServiceRow {
                service: tr.code("vservice", &s.service),
                dates: match s.until {
                    Some(u) => format!("{} – {u}", s.delivered_on),
                    None => s.delivered_on.to_string(),
                },
                note: s.note.clone().unwrap_or_default(),
                by: s.recorded_by.clone(),
            })
            .collect(),
        provider_side: v.provider_side,
        can_respond: v.can_respond,
        can_record_service: v.can_record_service,
        can_close: v.can_close,
        can_cancel: v.can_cancel,
        decline_reasons: code_choices(tr, "vdecline", &r.victims.decline_reasons, &|_| false),
        service_choices: code_choices(tr, "vservice", &service_codes(r), &|x| {
            typed.service.as_deref().unwrap_or(&rec.service) == x
        }),
        closures: code_choices(tr, "vrefclose", &r.victims.referral_closures, &|_| false),
        delivered_on: typed
            .delivered_on
            .clone()
            .unwrap_or_else(|| chrono::Utc::now().date_naive().to_string()),
        until: typed.until.clone().unwrap_or_default(),
        service_note: typed.note.clone().unwrap_or_default(),
        errors: errs.map(|e| error_items(tr, e)).unwrap_or_default(),
        today: chrono::Utc::now().date_naive().to_string(),
        c,
    };
    let status = if errs.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render(status, &page)
}

pub async fn referral(ctx: Ctx, Path(id): Path<String>, Query(q): Query<MsgQuery>) -> PageResult {
    let v = ctx
        .state
        .app
        .view_referral(&ctx.actor, &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(referral_page(
        &ctx,
        &v,
        &ServiceInput::default(),
        None,
        q.msg.as_deref(),
    ))
}

async fn after_referral(
    ctx: &Ctx,
    id: &str,
    r: Result<(), CoreError>,
    msg: &str,
    typed: &ServiceInput,
) -> PageResult {
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/referrals/{id}?msg={msg}")).into_response()),
        Err(CoreError::Invalid(errs)) => {
            let v = ctx
                .state
                .app
                .view_referral(&ctx.actor, id)
                .await
                .map_err(|e| ctx.fail(e))?;
            Ok(referral_page(ctx, &v, typed, Some(&errs), None))
        }
        Err(CoreError::Conflict(_)) => {
            Ok(Redirect::to(&format!("/referrals/{id}?msg=stale")).into_response())
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

pub async fn respond_referral(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> PageResult {
    csrf_of(&ctx, &f)?;
    let input = ResponseInput {
        decision: one(&f, "decision"),
        reason: one(&f, "reason"),
        note: one(&f, "note"),
    };
    let msg = if input.decision.as_deref() == Some("accept") {
        "accepted"
    } else {
        "declined"
    };
    let r = ctx
        .state
        .app
        .respond_referral(&ctx.actor, &id, &input)
        .await;
    after_referral(&ctx, &id, r, msg, &ServiceInput::default()).await
}

pub async fn record_service(ctx: Ctx, Path(id): Path<String>, Form(f): Form<Fields>) -> PageResult {
    csrf_of(&ctx, &f)?;
    let input = ServiceInput {
        service: one(&f, "service"),
        delivered_on: one(&f, "delivered_on"),
        until: one(&f, "until"),
        note: one(&f, "note"),
    };
    let r = ctx.state.app.record_service(&ctx.actor, &id, &input).await;
    after_referral(&ctx, &id, r, "service", &input).await
}

pub async fn close_referral(ctx: Ctx, Path(id): Path<String>, Form(f): Form<Fields>) -> PageResult {
    csrf_of(&ctx, &f)?;
    let input = CloseInput {
        reason: one(&f, "reason"),
        note: one(&f, "note"),
    };
    let r = ctx.state.app.close_referral(&ctx.actor, &id, &input).await;
    after_referral(&ctx, &id, r, "closed", &ServiceInput::default()).await
}

pub async fn cancel_referral(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<Fields>,
) -> PageResult {
    csrf_of(&ctx, &f)?;
    let r = ctx.state.app.cancel_referral(&ctx.actor, &id).await;
    after_referral(&ctx, &id, r, "cancelled", &ServiceInput::default()).await
}

// ---- Measures ----------------------------------------------------------------------------------

pub struct MeasureTable {
    pub id: String,
    pub title: String,
    pub rows: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "measures.html")]
struct MeasuresPage {
    c: Chrome,
    summary: Vec<(String, String, String)>,
    tables: Vec<MeasureTable>,
    by_provider: Vec<(String, String, u64)>,
    chart_json: String,
    empty: bool,
}

/// Every measure as rows of (measure, key, value), the table the downloads carry.
fn measure_rows(tr: &Tr, m: &Measures) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let mut push = |measure: &str, key: String, value: String| {
        out.push((tr.t(measure), key, value));
    };
    for (w, n) in &m.caseload {
        push("measures-caseload", w.clone(), n.to_string());
    }
    push(
        "measures-first-service",
        tr.t("measures-median-days"),
        m.first_service_median_days
            .map(|d| format!("{d:.1}"))
            .unwrap_or_default(),
    );
    push(
        "measures-first-service",
        tr.t("measures-mean-days"),
        m.first_service_mean_days
            .map(|d| format!("{d:.1}"))
            .unwrap_or_default(),
    );
    push(
        "measures-first-service",
        tr.t("measures-files-served"),
        m.first_service_files.to_string(),
    );
    push(
        "measures-first-service",
        tr.t("measures-files-unserved"),
        m.files_without_service.to_string(),
    );
    for (s, n) in &m.referrals_by_status {
        push("measures-by-status", tr.code("vstatus", s), n.to_string());
    }
    push(
        "measures-by-status",
        tr.t("measures-overdue"),
        m.overdue.to_string(),
    );
    for (p, s, n) in &m.referrals_by_provider {
        push(
            "measures-by-provider",
            format!("{p} · {}", tr.code("vstatus", s)),
            n.to_string(),
        );
    }
    for (s, n) in &m.services_by_type {
        push("measures-services", tr.code("vservice", s), n.to_string());
    }
    for (r, n) in &m.file_closures {
        push(
            "measures-file-closures",
            tr.code("vfileclose", r),
            n.to_string(),
        );
    }
    for (r, n) in &m.referral_closures {
        push(
            "measures-referral-closures",
            tr.code("vrefclose", r),
            n.to_string(),
        );
    }
    out
}

pub async fn measures(ctx: Ctx) -> PageResult {
    let m = ctx
        .state
        .app
        .measures(&ctx.actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let tr = &ctx.tr;
    let table = |id: &str, title: &str, rows: Vec<(String, String)>| MeasureTable {
        id: id.into(),
        title: tr.t(title),
        rows,
    };
    let status_rows: Vec<(String, String)> = m
        .referrals_by_status
        .iter()
        .map(|(s, n)| (tr.code("vstatus", s), n.to_string()))
        .collect();
    let service_rows: Vec<(String, String)> = m
        .services_by_type
        .iter()
        .map(|(s, n)| (tr.code("vservice", s), n.to_string()))
        .collect();
    // The chart reads its data from a JSON block (no inline script under the CSP).
    let chart = serde_json::json!({
        "status": {
            "title": tr.t("measures-by-status"),
            "labels": status_rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
            "values": m.referrals_by_status.iter().map(|r| r.1).collect::<Vec<_>>(),
        },
        "services": {
            "title": tr.t("measures-services"),
            "labels": service_rows.iter().map(|r| r.0.clone()).collect::<Vec<_>>(),
            "values": m.services_by_type.iter().map(|r| r.1).collect::<Vec<_>>(),
        },
        "rtl": tr.urdu(),
    });
    let page = MeasuresPage {
        c: ctx.chrome(tr.t("measures-title")),
        summary: vec![
            (
                "measures-open-files".into(),
                tr.t("measures-open-files"),
                m.caseload.iter().map(|c| c.1).sum::<u64>().to_string(),
            ),
            (
                "measures-median".into(),
                tr.t("measures-median-days"),
                m.first_service_median_days
                    .map(|d| format!("{d:.1}"))
                    .unwrap_or_else(|| "–".into()),
            ),
            (
                "measures-overdue".into(),
                tr.t("measures-overdue"),
                m.overdue.to_string(),
            ),
        ],
        tables: vec![
            table(
                "caseload",
                "measures-caseload",
                m.caseload
                    .iter()
                    .map(|(w, n)| (w.clone(), n.to_string()))
                    .collect(),
            ),
            table("by-status", "measures-by-status", status_rows),
            table("services", "measures-services", service_rows),
            table(
                "file-closures",
                "measures-file-closures",
                m.file_closures
                    .iter()
                    .map(|(r, n)| (tr.code("vfileclose", r), n.to_string()))
                    .collect(),
            ),
            table(
                "referral-closures",
                "measures-referral-closures",
                m.referral_closures
                    .iter()
                    .map(|(r, n)| (tr.code("vrefclose", r), n.to_string()))
                    .collect(),
            ),
        ],
        by_provider: m
            .referrals_by_provider
            .iter()
            .map(|(p, s, n)| (p.clone(), tr.code("vstatus", s), *n))
            .collect(),
        // `</` cannot end the JSON block early: escaped.
        chart_json: chart.to_string().replace("</", "<\\/"),
        empty: m.referrals_by_status.is_empty() && m.caseload.is_empty(),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Deserialize, Default)]
pub struct FormatQuery {
    #[serde(default)]
    format: String,
}

/// The measures as CSV or XLSX (one row per measure and key).
pub async fn measures_download(ctx: Ctx, Query(q): Query<FormatQuery>) -> PageResult {
    let m = ctx
        .state
        .app
        .measures(&ctx.actor)
        .await
        .map_err(|e| ctx.fail(e))?;
    let tr = &ctx.tr;
    let headers = vec![
        tr.t("measures-col-measure"),
        tr.t("measures-col-key"),
        tr.t("measures-col-value"),
    ];
    let rows: Vec<Vec<String>> = measure_rows(tr, &m)
        .into_iter()
        .map(|(a, b, c)| vec![a, b, c])
        .collect();
    let (bytes, mime, ext) = if q.format == "xlsx" {
        let bytes =
            nigehban_sheets::write_xlsx("measures", &headers, &rows, tr.urdu()).map_err(|e| {
                tracing::error!(error = %e, "measures workbook failed");
                ctx.fail(CoreError::Conflict("xlsx".into()))
            })?;
        (
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        )
    } else {
        (
            nigehban_sheets::write_csv(&headers, &rows),
            "text/csv; charset=utf-8",
            "csv",
        )
    };
    let name = format!(
        "victim-protection-{}-{}.{ext}",
        m.agency,
        chrono::Utc::now().date_naive()
    );
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
