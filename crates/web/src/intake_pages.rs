//! Intake pages: the unit's batches, a batch with its progress and flags, manifest upload and
//! quick-add, the keyboard-first interview with its TIP / SOM assessment, the outcome, the batch
//! report (CSV, XLSX) and the watch lists. Handlers only translate between HTTP and the core.

// Handlers return `Result<Response, Response>`: the error *is* the page to show, as axum intends.
#![allow(clippy::result_large_err)]

use crate::ctx::Ctx;
use crate::pages::{parse_id, render};
use crate::views::*;
use askama::Template;
use axum::extract::{Multipart, Path, Query};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use nigehban_core::intake_store::{BatchRecord, EntryRecord, Flag, WatchlistRecord};
use nigehban_core::service::{ImportOutcome, ImportResult, OutcomeInput, SERVICES};
use nigehban_core::CoreError;
use nigehban_domain::assessment::{Assessment, AssessmentFacts, IndicatorCategory};
use nigehban_domain::crime::ExploitationForm;
use nigehban_domain::error::ValidationErrors;
use nigehban_domain::identifiers::IdentifierKind;
use nigehban_domain::ids::{BatchId, IntakeEntryId, WatchlistEntryId};
use nigehban_domain::intake::{
    AgentInput, BatchInput, BatchKind, Classification, DocumentInput, DocumentKind, DocumentStatus,
    IntakeOutcome, IntakeStatus, InterviewInput, PaymentInput, PaymentMethod, TravelMode,
    WatchList,
};
use nigehban_domain::person::{AgeInfo, ChainRole, PersonInput};
use nigehban_domain::reference::ReferenceData;
use serde::Deserialize;

type PageResult = Result<Response, Response>;

/// Rows of each repeated group the interview form offers (more can be added by the script).
const PAYMENT_ROWS: usize = 3;
const AGENT_ROWS: usize = 3;
const DOCUMENT_ROWS: usize = 2;
/// Largest manifest file accepted for upload.
pub const MAX_UPLOAD: usize = 20 * 1024 * 1024;

fn place_label(tr: &crate::ctx::Tr, refdata: &ReferenceData, code: &str) -> String {
    refdata
        .place(code)
        .map(|p| {
            if tr.urdu() {
                p.name_ur.clone()
            } else {
                p.name_en.clone()
            }
        })
        .unwrap_or_else(|| code.to_string())
}

fn place_choices(tr: &crate::ctx::Tr, refdata: &ReferenceData, chosen: &str) -> Vec<Choice> {
    refdata
        .places
        .iter()
        .map(|p| Choice {
            value: p.code.clone(),
            label: format!(
                "{} ({})",
                if tr.urdu() { &p.name_ur } else { &p.name_en },
                p.code
            ),
            on: p.code == chosen,
            group: p.kind.as_str().to_string(),
        })
        .collect()
}

// ---- Batches -------------------------------------------------------------------------------

pub struct BatchRow {
    pub id: String,
    pub kind: String,
    pub post: String,
    pub country: String,
    pub reference: String,
    pub arrival_date: String,
    pub total: i64,
    pub done: i64,
    pub pending: i64,
    pub flagged: i64,
    pub percent: i64,
}

fn batch_row(tr: &crate::ctx::Tr, refdata: &ReferenceData, b: &BatchRecord) -> BatchRow {
    let p = b.progress;
    BatchRow {
        id: b.id.to_string(),
        kind: tr.code("batch-kind", b.kind.as_str()),
        post: place_label(tr, refdata, &b.post),
        country: b
            .country
            .as_deref()
            .map(|c| country_label(tr, refdata, c))
            .or_else(|| b.place.clone())
            .unwrap_or_default(),
        reference: b.reference.clone().unwrap_or_default(),
        arrival_date: b.arrival_date.to_string(),
        total: p.total,
        done: p.done,
        pending: p.pending + p.interviewed,
        flagged: p.flagged,
        percent: if p.total > 0 {
            p.done * 100 / p.total
        } else {
            0
        },
    }
}

#[derive(Template)]
#[template(path = "intake.html")]
struct IntakePage {
    c: Chrome,
    batches: Vec<BatchRow>,
    f: BatchInput,
    kinds: Vec<Choice>,
    posts: Vec<Choice>,
    countries: Vec<Choice>,
    errors: Vec<ErrorItem>,
    today: String,
}

async fn intake_page(ctx: &Ctx, f: BatchInput, errs: Option<&ValidationErrors>) -> PageResult {
    let app = &ctx.state.app;
    let list = app.batches(&ctx.actor).await.map_err(|e| ctx.fail(e))?;
    let refdata = app.refdata();
    let kind = f.kind.clone().unwrap_or_default();
    let page = IntakePage {
        c: ctx.chrome(ctx.tr.t("intake-title")),
        batches: list
            .iter()
            .map(|b| batch_row(&ctx.tr, refdata, b))
            .collect(),
        kinds: choices(
            BatchKind::ALL,
            BatchKind::as_str,
            "batch-kind",
            &ctx.tr,
            &|c| c == kind,
        ),
        posts: place_choices(&ctx.tr, refdata, f.post.as_deref().unwrap_or("")),
        countries: country_choices(&ctx.tr, refdata, f.country.as_deref().unwrap_or("")),
        errors: errs.map(|e| error_items(&ctx.tr, e)).unwrap_or_default(),
        today: chrono::Utc::now().date_naive().to_string(),
        f,
    };
    Ok(render(
        if errs.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &page,
    ))
}

pub async fn intake(ctx: Ctx) -> PageResult {
    intake_page(
        &ctx,
        BatchInput {
            arrival_date: Some(chrono::Utc::now().date_naive().to_string()),
            ..Default::default()
        },
        None,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BatchForm {
    csrf: String,
    #[serde(flatten)]
    input: BatchInput,
}

pub async fn create_batch(ctx: Ctx, Form(f): Form<BatchForm>) -> PageResult {
    ctx.require_csrf(&f.csrf)?;
    match ctx.state.app.create_batch(&ctx.actor, &f.input).await {
        Ok(b) => Ok(Redirect::to(&format!("/intake/batches/{}?msg=created", b.id)).into_response()),
        Err(CoreError::Invalid(errs)) => intake_page(&ctx, f.input, Some(&errs)).await,
        Err(e) => Err(ctx.fail(e)),
    }
}

// ---- One batch -----------------------------------------------------------------------------

pub struct FlagView {
    pub kind: String,
    pub css: String,
    pub text: String,
    pub link: String,
}

fn flag_views(tr: &crate::ctx::Tr, refdata: &ReferenceData, flags: &[Flag]) -> Vec<FlagView> {
    flags
        .iter()
        .map(|f| {
            let reasons: Vec<String> = f
                .reasons
                .iter()
                .map(|r| {
                    let key = if r.code.starts_with("doubt-") {
                        r.code.clone()
                    } else {
                        format!("flag-reason-{}", r.code)
                    };
                    let args: Vec<(&str, String)> = r
                        .args
                        .iter()
                        .map(|(k, v)| {
                            let v = if k == "country" {
                                country_label(tr, refdata, v)
                            } else if k == "kinds" {
                                // Batch kinds come as codes ("deportation, handover").
                                v.split(',')
                                    .map(|code| tr.code("batch-kind", code.trim()))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            } else {
                                v.clone()
                            };
                            (k.as_str(), v)
                        })
                        .collect();
                    tr.ta(&key, &args)
                })
                .collect();
            let mut text = reasons.join(" ");
            if let Some(pid) = f.person_id {
                text = format!(
                    "{} {}",
                    tr.ta(
                        "flag-record",
                        &[
                            ("record", nigehban_domain::person::pseudonym(pid)),
                            ("agency", f.agency.clone().unwrap_or_default()),
                        ]
                    ),
                    text
                );
            }
            FlagView {
                kind: tr.code("flag-kind", f.kind.as_str()),
                css: f.kind.as_str().replace('_', "-"),
                text,
                link: f
                    .person_id
                    .map(|p| format!("/persons/{p}"))
                    .unwrap_or_default(),
            }
        })
        .collect()
}

pub struct EntryRow {
    pub id: String,
    pub seq: i64,
    pub name: String,
    pub name_urdu: String,
    pub parentage: String,
    pub document: String,
    pub status: String,
    pub status_code: String,
    pub flags: Vec<FlagView>,
    pub victim_screening: bool,
    pub decision: String,
    pub outcome: String,
    pub processed_by: String,
}

fn document_of(e: &EntryRecord) -> String {
    e.identifiers
        .iter()
        .find(|i| i.kind == IdentifierKind::Passport)
        .or_else(|| {
            e.identifiers
                .iter()
                .find(|i| i.kind == IdentifierKind::Cnic)
        })
        .map(|i| i.display_value())
        .unwrap_or_default()
}

fn entry_row(tr: &crate::ctx::Tr, refdata: &ReferenceData, e: &EntryRecord) -> EntryRow {
    EntryRow {
        id: e.id.to_string(),
        seq: e.seq,
        name: e.name_roman.clone().unwrap_or_default(),
        name_urdu: e.name_urdu.clone().unwrap_or_default(),
        parentage: e
            .parentage_roman
            .clone()
            .or_else(|| e.parentage_urdu.clone())
            .unwrap_or_default(),
        document: document_of(e),
        status: tr.code("intake-status", e.status.as_str()),
        status_code: e.status.as_str().to_string(),
        flags: flag_views(tr, refdata, &e.flags),
        victim_screening: e.victim_screening,
        decision: e
            .decision
            .map(|d| tr.code("classification", d.as_str()))
            .unwrap_or_default(),
        outcome: e
            .outcome
            .map(|o| tr.code("intake-outcome", o.as_str()))
            .unwrap_or_default(),
        processed_by: e.processed_by.clone().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "batch.html")]
struct BatchPage {
    c: Chrome,
    b: BatchRow,
    notes: String,
    entries: Vec<EntryRow>,
    show: String,
    next_pending: String,
    quick: PersonInput,
    sexes: Vec<Choice>,
    countries: Vec<Choice>,
    errors: Vec<ErrorItem>,
    today: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BatchQuery {
    msg: Option<String>,
    show: Option<String>,
}

async fn batch_page(
    ctx: &Ctx,
    id: BatchId,
    q: &BatchQuery,
    quick: PersonInput,
    errs: Option<&ValidationErrors>,
) -> PageResult {
    let app = &ctx.state.app;
    let v = app
        .view_batch(&ctx.actor, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let refdata = app.refdata();
    let show = q.show.clone().unwrap_or_else(|| "all".into());
    let next_pending = v
        .entries
        .iter()
        .find(|e| e.status != IntakeStatus::Done)
        .map(|e| e.id.to_string())
        .unwrap_or_default();
    let entries: Vec<EntryRow> = v
        .entries
        .iter()
        .filter(|e| match show.as_str() {
            "flagged" => !e.flags.is_empty(),
            "pending" => e.status != IntakeStatus::Done,
            "done" => e.status == IntakeStatus::Done,
            _ => true,
        })
        .map(|e| entry_row(&ctx.tr, refdata, e))
        .collect();
    let b = batch_row(&ctx.tr, refdata, &v.batch);
    let mut c = ctx.chrome(ctx.tr.ta(
        "batch-heading",
        &[("kind", b.kind.clone()), ("post", b.post.clone())],
    ));
    c.flash = q
        .msg
        .as_deref()
        .map(|m| ctx.tr.t(&format!("batch-msg-{m}")));
    let sex = quick.sex.clone().unwrap_or_default();
    let nat = quick.nationality_claimed.clone().unwrap_or_default();
    let page = BatchPage {
        c,
        b,
        notes: v.batch.notes.clone().unwrap_or_default(),
        entries,
        show,
        next_pending,
        sexes: sex_choices(&ctx.tr, &sex),
        countries: country_choices(&ctx.tr, refdata, &nat),
        quick,
        errors: errs.map(|e| error_items(&ctx.tr, e)).unwrap_or_default(),
        today: chrono::Utc::now().date_naive().to_string(),
    };
    Ok(render(
        if errs.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &page,
    ))
}

pub async fn batch(ctx: Ctx, Path(id): Path<String>, Query(q): Query<BatchQuery>) -> PageResult {
    let id: BatchId = parse_id(&ctx, &id)?;
    batch_page(
        &ctx,
        id,
        &q,
        PersonInput {
            nationality_claimed: Some("PAK".into()),
            ..Default::default()
        },
        None,
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct QuickAddForm {
    csrf: String,
    #[serde(flatten)]
    person: PersonInput,
}

pub async fn quick_add(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<QuickAddForm>,
) -> PageResult {
    let id: BatchId = parse_id(&ctx, &id)?;
    ctx.require_csrf(&f.csrf)?;
    match ctx.state.app.quick_add(&ctx.actor, id, &f.person).await {
        Ok(entry) => {
            Ok(Redirect::to(&format!("/intake/entries/{entry}?msg=added")).into_response())
        }
        Err(CoreError::Invalid(errs)) => {
            batch_page(&ctx, id, &BatchQuery::default(), f.person, Some(&errs)).await
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

// ---- Manifest upload -----------------------------------------------------------------------

pub struct ProblemRow {
    pub severity: String,
    pub error: bool,
    pub row: String,
    pub column: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "import_result.html")]
struct ImportPage {
    c: Chrome,
    batch_id: String,
    summary: String,
    ok: bool,
    problems: Vec<ProblemRow>,
}

fn import_summary(tr: &crate::ctx::Tr, o: &ImportOutcome) -> (String, bool) {
    match &o.result {
        ImportResult::Unreadable => (
            tr.ta("import-unreadable", &[("file", o.file_name.clone())]),
            false,
        ),
        ImportResult::Refused { rejected_rows } => (
            tr.ta(
                "import-refused",
                &[
                    ("file", o.file_name.clone()),
                    ("rejected", rejected_rows.to_string()),
                    ("total", o.total_rows.to_string()),
                ],
            ),
            false,
        ),
        ImportResult::AlreadyImported { import } => (
            tr.ta(
                "import-already",
                &[
                    ("file", o.file_name.clone()),
                    ("date", import.at.format("%Y-%m-%d %H:%M").to_string()),
                ],
            ),
            true,
        ),
        ImportResult::Imported {
            added,
            flagged,
            victim_screening,
            existing_persons,
        } => (
            tr.ta(
                "import-done",
                &[
                    ("file", o.file_name.clone()),
                    ("added", added.added.to_string()),
                    ("already", added.already_in_batch.to_string()),
                    ("rejected", o.rejected_rows.to_string()),
                    ("flagged", flagged.to_string()),
                    ("screening", victim_screening.to_string()),
                    ("existing", existing_persons.to_string()),
                ],
            ),
            true,
        ),
    }
}

pub async fn upload_manifest(
    ctx: Ctx,
    Path(id): Path<String>,
    form: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    let id: BatchId = parse_id(&ctx, &id)?;
    // The policy decides before the upload is read: a refused user's file is never parsed.
    ctx.state
        .app
        .batch_for_intake(&ctx.actor, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let mut form = form.map_err(|_| {
        ctx.fail(CoreError::Invalid(ValidationErrors::single(
            "file",
            nigehban_domain::Problem::Required,
        )))
    })?;
    let mut csrf = String::new();
    let mut file_name = String::new();
    let mut bytes = Vec::new();
    let mut all_or_nothing = false;
    let bad = |ctx: &Ctx| {
        ctx.fail(CoreError::Invalid(ValidationErrors::single(
            "file",
            nigehban_domain::Problem::Required,
        )))
    };
    while let Some(field) = form.next_field().await.map_err(|_| bad(&ctx))? {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.map_err(|_| bad(&ctx))?,
            "all_or_nothing" => all_or_nothing = field.text().await.map_err(|_| bad(&ctx))? == "on",
            "file" => {
                file_name = field.file_name().unwrap_or("manifest").to_string();
                bytes = field.bytes().await.map_err(|_| bad(&ctx))?.to_vec();
            }
            _ => {}
        }
    }
    ctx.require_csrf(&csrf)?;
    if bytes.is_empty() {
        return Err(bad(&ctx));
    }
    let outcome = ctx
        .state
        .app
        .import_manifest(&ctx.actor, id, &file_name, &bytes, all_or_nothing, None)
        .await
        .map_err(|e| ctx.fail(e))?;
    let (summary, ok) = import_summary(&ctx.tr, &outcome);
    let cat = &ctx.tr.cat;
    let problems = outcome
        .problems
        .iter()
        .map(|p| ProblemRow {
            severity: ctx.tr.code("severity", p.severity.as_str()),
            error: p.is_error(),
            row: p.row.map(|r| r.to_string()).unwrap_or_default(),
            column: p.column.clone().unwrap_or_default(),
            text: p.describe(cat, ctx.tr.lang),
        })
        .collect();
    let page = ImportPage {
        c: ctx.chrome(ctx.tr.t("import-title")),
        batch_id: id.to_string(),
        summary,
        ok,
        problems,
    };
    Ok(render(
        if ok {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        },
        &page,
    ))
}

// ---- The interview -------------------------------------------------------------------------

pub struct IndicatorGroup {
    pub label: String,
    pub items: Vec<Choice>,
}

pub struct Question {
    pub name: String,
    pub label: String,
    pub value: String,
}

pub struct ReasonView {
    pub topic: String,
    pub text: String,
}

pub struct AssessmentView {
    pub suggestion: String,
    pub suggestion_code: String,
    pub reasons: Vec<ReasonView>,
}

fn assessment_view(tr: &crate::ctx::Tr, a: &Assessment) -> AssessmentView {
    AssessmentView {
        suggestion: tr.t(&a.suggestion.message_id()),
        suggestion_code: a.suggestion.as_str().to_string(),
        reasons: a
            .reasons
            .iter()
            .map(|r| {
                let mut text = tr.t(&r.code.message_id());
                let labels: Vec<String> = r
                    .indicators
                    .iter()
                    .map(|i| tr.code("indicator", i))
                    .chain(r.forms.iter().map(|f| tr.code("exploit", f.as_str())))
                    .collect();
                if !labels.is_empty() {
                    text = format!("{text} ({})", labels.join(", "));
                }
                ReasonView {
                    topic: r.topic.as_str().to_string(),
                    text,
                }
            })
            .collect(),
    }
}

pub struct PaymentRow {
    pub i: usize,
    pub p: PaymentInput,
    pub currencies: Vec<Choice>,
    pub methods: Vec<Choice>,
}
pub struct AgentRow {
    pub i: usize,
    pub a: AgentInput,
    pub roles: Vec<Choice>,
}
pub struct DocumentRow {
    pub i: usize,
    pub d: DocumentInput,
    pub kinds: Vec<Choice>,
    pub statuses: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "entry.html")]
struct EntryPage {
    c: Chrome,
    e: EntryRow,
    batch_id: String,
    batch_label: String,
    age: String,
    nationality: String,
    origin: String,
    extras: Vec<(String, String)>,
    status_code: String,
    version: i64,
    saved_at: String,
    i: InterviewInput,
    districts: Vec<Choice>,
    exits: Vec<Choice>,
    destinations: Vec<Choice>,
    transit: Vec<Choice>,
    modes: Vec<Choice>,
    payments: Vec<PaymentRow>,
    agents: Vec<AgentRow>,
    documents: Vec<DocumentRow>,
    groups: Vec<IndicatorGroup>,
    forms: Vec<Choice>,
    questions: Vec<Question>,
    assessment: Option<AssessmentView>,
    decisions: Vec<Choice>,
    outcomes: Vec<Choice>,
    services: Vec<Choice>,
    chain_roles: Vec<Choice>,
    outcome_done: String,
    case_link: String,
    errors: Vec<ErrorItem>,
    next_id: String,
    today: String,
}

fn tri(v: Option<bool>) -> String {
    match v {
        Some(true) => "yes".into(),
        Some(false) => "no".into(),
        None => String::new(),
    }
}

fn age_text(tr: &crate::ctx::Tr, age: &AgeInfo) -> String {
    match age.age_on(chrono::Utc::now().date_naive()) {
        Some(y) => tr.ta("intake-age", &[("years", y.to_string())]),
        None => tr.t("intake-age-unknown"),
    }
}

async fn entry_page(
    ctx: &Ctx,
    id: IntakeEntryId,
    msg: Option<&str>,
    typed: Option<InterviewInput>,
    errs: Option<&ValidationErrors>,
) -> PageResult {
    let app = &ctx.state.app;
    let v = app
        .view_entry(&ctx.actor, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let tr = &ctx.tr;
    let refdata = app.refdata();
    let e = &v.entry;
    let i = typed.unwrap_or_else(|| e.interview.clone().unwrap_or_default());
    let mut payments: Vec<PaymentInput> = i.payments.clone();
    payments.resize(payments.len().max(PAYMENT_ROWS), PaymentInput::default());
    let mut agents: Vec<AgentInput> = i.agents.clone();
    agents.resize(agents.len().max(AGENT_ROWS), AgentInput::default());
    let mut documents: Vec<DocumentInput> = i.documents.clone();
    documents.resize(documents.len().max(DOCUMENT_ROWS), DocumentInput::default());
    let currencies = &refdata.intake.currencies;
    let chosen_indicators: std::collections::HashSet<&str> =
        i.facts.indicators.iter().map(String::as_str).collect();
    let groups = IndicatorCategory::ALL
        .iter()
        .map(|cat| IndicatorGroup {
            label: tr.code("indicator-category", cat.as_str()),
            items: refdata
                .indicators
                .iter()
                .filter(|ind| ind.category == *cat)
                .map(|ind| Choice {
                    value: ind.code.clone(),
                    label: tr.code("indicator", &ind.code),
                    on: chosen_indicators.contains(ind.code.as_str()),
                    group: cat.as_str().to_string(),
                })
                .collect(),
        })
        .filter(|g| !g.items.is_empty())
        .collect();
    let facts = &i.facts;
    let questions = [
        ("crossed_border", facts.crossed_border),
        ("irregular_crossing", facts.irregular_crossing),
        ("benefit_to_facilitator", facts.benefit_to_facilitator),
        ("consented", facts.consented),
        ("exploited_en_route", facts.exploited_en_route),
    ]
    .into_iter()
    .map(|(name, value)| Question {
        name: name.to_string(),
        label: tr.t(&format!("assess-q-{name}")),
        value: tri(value),
    })
    .collect();
    let chosen_forms: Vec<&str> = facts
        .exploitation_forms
        .iter()
        .map(String::as_str)
        .collect();
    let transit_chosen: Vec<&str> = i.transit_countries.iter().map(String::as_str).collect();
    let mut transit = country_choices(tr, refdata, "");
    for t in &mut transit {
        t.on = transit_chosen.contains(&t.value.as_str());
    }
    let suggestion_decision = e
        .decision
        .map(|d| d.as_str().to_string())
        .or_else(|| {
            v.assessment.as_ref().and_then(|a| {
                Classification::parse(a.suggestion.as_str()).map(|c| c.as_str().to_string())
            })
        })
        .unwrap_or_default();
    let mut extras = Vec::new();
    let x = &e.extras;
    for (key, val) in [
        ("manifest-arrival", x.arrival_date.map(|d| d.to_string())),
        ("manifest-reason", x.reason.clone()),
        ("manifest-flight", x.flight_or_vessel.clone()),
        ("manifest-remarks", x.remarks.clone()),
        ("manifest-origin", x.origin_raw.clone()),
    ] {
        if let Some(v) = val {
            extras.push((tr.t(key), v));
        }
    }
    let outcome_done = match (e.decision, e.outcome) {
        (Some(d), Some(o)) => tr.ta(
            "intake-outcome-recorded",
            &[
                ("decision", tr.code("classification", d.as_str())),
                ("outcome", tr.code("intake-outcome", o.as_str())),
                ("by", e.processed_by.clone().unwrap_or_default()),
            ],
        ),
        _ => String::new(),
    };
    let next_id = v.next.map(|n| n.to_string()).unwrap_or_default();
    let row = entry_row(tr, refdata, e);
    let mut c = ctx.chrome(tr.ta(
        "entry-heading",
        &[("seq", e.seq.to_string()), ("name", row.name.clone())],
    ));
    c.flash = msg.map(|m| tr.t(&format!("entry-msg-{m}")));
    let page = EntryPage {
        batch_id: v.batch.id.to_string(),
        batch_label: batch_row(tr, refdata, &v.batch).kind,
        age: age_text(tr, &e.age),
        nationality: e
            .nationality_claimed
            .as_deref()
            .map(|n| country_label(tr, refdata, n))
            .unwrap_or_default(),
        origin: e
            .origin_district
            .as_deref()
            .map(|d| district_label(tr, refdata, d))
            .unwrap_or_default(),
        extras,
        status_code: e.status.as_str().to_string(),
        version: e.version,
        saved_at: e
            .interview_saved_at
            .map(|t| t.format("%H:%M:%S").to_string())
            .unwrap_or_default(),
        districts: district_choices(
            tr,
            refdata,
            i.origin_district
                .as_deref()
                .or(e.origin_district.as_deref())
                .unwrap_or(""),
        ),
        exits: place_choices(tr, refdata, i.exit_point.as_deref().unwrap_or("")),
        destinations: country_choices(tr, refdata, i.destination_country.as_deref().unwrap_or("")),
        transit,
        modes: choices(
            TravelMode::ALL,
            TravelMode::as_str,
            "travel-mode",
            tr,
            &|c| Some(c) == i.mode.as_deref(),
        ),
        payments: payments
            .into_iter()
            .enumerate()
            .map(|(n, p)| PaymentRow {
                i: n,
                currencies: currencies
                    .iter()
                    .map(|cur| Choice {
                        value: cur.clone(),
                        label: cur.clone(),
                        on: p.currency.as_deref().unwrap_or("PKR") == cur,
                        group: String::new(),
                    })
                    .collect(),
                methods: choices(
                    PaymentMethod::ALL,
                    PaymentMethod::as_str,
                    "payment-method",
                    tr,
                    &|c| Some(c) == p.method.as_deref(),
                ),
                p,
            })
            .collect(),
        agents: agents
            .into_iter()
            .enumerate()
            .map(|(n, a)| AgentRow {
                i: n,
                roles: choices(ChainRole::ALL, ChainRole::as_str, "chain", tr, &|c| {
                    Some(c) == a.chain_role.as_deref()
                }),
                a,
            })
            .collect(),
        documents: documents
            .into_iter()
            .enumerate()
            .map(|(n, d)| DocumentRow {
                i: n,
                kinds: choices(
                    DocumentKind::ALL,
                    DocumentKind::as_str,
                    "document-kind",
                    tr,
                    &|c| Some(c) == d.kind.as_deref(),
                ),
                statuses: choices(
                    DocumentStatus::ALL,
                    DocumentStatus::as_str,
                    "document-status",
                    tr,
                    &|c| Some(c) == d.status.as_deref(),
                ),
                d,
            })
            .collect(),
        groups,
        forms: choices(
            ExploitationForm::ALL,
            ExploitationForm::as_str,
            "exploit",
            tr,
            &|c| chosen_forms.contains(&c),
        ),
        questions,
        assessment: v.assessment.as_ref().map(|a| assessment_view(tr, a)),
        decisions: choices(
            Classification::ALL,
            Classification::as_str,
            "classification",
            tr,
            &|c| c == suggestion_decision,
        ),
        outcomes: choices(
            IntakeOutcome::ALL,
            IntakeOutcome::as_str,
            "intake-outcome",
            tr,
            &|c| Some(c) == e.outcome.map(|o| o.as_str()),
        ),
        services: SERVICES
            .iter()
            .map(|s| Choice {
                value: (*s).to_string(),
                label: tr.code("service", s),
                on: false,
                group: String::new(),
            })
            .collect(),
        chain_roles: choices(ChainRole::ALL, ChainRole::as_str, "chain", tr, &|_| false),
        outcome_done,
        case_link: e
            .outcome_case_id
            .map(|c| format!("/cases/{c}"))
            .unwrap_or_default(),
        errors: errs.map(|x| error_items(tr, x)).unwrap_or_default(),
        next_id,
        today: chrono::Utc::now().date_naive().to_string(),
        e: row,
        c,
        i,
    };
    Ok(render(
        if errs.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &page,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MsgQuery {
    msg: Option<String>,
}

pub async fn entry(ctx: Ctx, Path(id): Path<String>, Query(q): Query<MsgQuery>) -> PageResult {
    let id: IntakeEntryId = parse_id(&ctx, &id)?;
    entry_page(&ctx, id, q.msg.as_deref(), None, None).await
}

fn opt(v: &str) -> Option<String> {
    let t = v.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn tri_value(v: &str) -> Option<bool> {
    match v {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    }
}

/// Build the interview from the form's fields: repeated groups are named `payments[0].amount`,
/// `agents[1].phone`, ...; checkboxes repeat their name. Returns the CSRF token too.
pub fn interview_from_form(fields: &[(String, String)]) -> (InterviewInput, String) {
    let mut i = InterviewInput::default();
    let mut csrf = String::new();
    let mut facts = AssessmentFacts::default();
    fn slot<T: Default + Clone>(list: &mut Vec<T>, idx: usize) -> Option<&mut T> {
        // A form may name at most 50 rows; more is not a person's story but a forged request.
        if idx >= 50 {
            return None;
        }
        if list.len() <= idx {
            list.resize(idx + 1, T::default());
        }
        list.get_mut(idx)
    }
    for (k, v) in fields {
        let val = opt(v);
        if let Some((group, rest)) = k.split_once('[') {
            let Some((idx, field)) = rest.split_once("].") else {
                continue;
            };
            let Ok(idx) = idx.parse::<usize>() else {
                continue;
            };
            match group {
                "payments" => {
                    if let Some(p) = slot(&mut i.payments, idx) {
                        match field {
                            "amount" => p.amount = val,
                            "currency" => p.currency = val,
                            "paid_to" => p.paid_to = val,
                            "method" => p.method = val,
                            "note" => p.note = val,
                            _ => {}
                        }
                    }
                }
                "agents" => {
                    if let Some(a) = slot(&mut i.agents, idx) {
                        match field {
                            "name" => a.name = val,
                            "phone" => a.phone = val,
                            "place" => a.place = val,
                            "chain_role" => a.chain_role = val,
                            _ => {}
                        }
                    }
                }
                "documents" => {
                    if let Some(d) = slot(&mut i.documents, idx) {
                        match field {
                            "kind" => d.kind = val,
                            "status" => d.status = val,
                            "note" => d.note = val,
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        match k.as_str() {
            "csrf" => csrf = v.clone(),
            "origin_district" => i.origin_district = val,
            "exit_point" => i.exit_point = val,
            "transit_countries" => i.transit_countries.extend(val),
            "transit_places" => i.transit_places = val,
            "destination_country" => i.destination_country = val,
            "mode" => i.mode = val,
            "departure_date" => i.departure_date = val,
            "apprehension_date" => i.apprehension_date = val,
            "notes" => i.notes = val,
            "indicators" => facts.indicators.extend(val),
            "exploitation_forms" => facts.exploitation_forms.extend(val),
            "crossed_border" => facts.crossed_border = tri_value(v),
            "irregular_crossing" => facts.irregular_crossing = tri_value(v),
            "benefit_to_facilitator" => facts.benefit_to_facilitator = tri_value(v),
            "consented" => facts.consented = tri_value(v),
            "exploited_en_route" => facts.exploited_en_route = tri_value(v),
            _ => {}
        }
    }
    i.facts = facts;
    // The currency select always has a value (PKR preselected), so a payment row the officer left
    // empty still sends one: such a row is empty, not a payment without an amount.
    for p in &mut i.payments {
        if p.amount.is_none() && p.paid_to.is_none() && p.method.is_none() && p.note.is_none() {
            p.currency = None;
        }
    }
    (i, csrf)
}

/// Autosave: keep what has been typed (called by the page's script; answers JSON).
pub async fn save_draft(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let Ok(id) = id.parse::<IntakeEntryId>() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let (input, csrf) = interview_from_form(&fields);
    if !ctx.csrf_ok(&csrf) {
        return StatusCode::FORBIDDEN.into_response();
    }
    match ctx
        .state
        .app
        .save_interview_draft(&ctx.actor, id, &input)
        .await
    {
        Ok(at) => axum::Json(serde_json::json!({
            "saved_at": at.format("%H:%M:%S").to_string(),
        }))
        .into_response(),
        Err(CoreError::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(CoreError::Conflict(_)) => StatusCode::CONFLICT.into_response(),
        Err(CoreError::Forbidden(_)) => StatusCode::FORBIDDEN.into_response(),
        Err(e) => {
            tracing::error!(error = %e, "draft save failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn complete_interview(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> PageResult {
    let id: IntakeEntryId = parse_id(&ctx, &id)?;
    let (input, csrf) = interview_from_form(&fields);
    ctx.require_csrf(&csrf)?;
    match ctx
        .state
        .app
        .complete_interview(&ctx.actor, id, &input)
        .await
    {
        Ok(_) => Ok(
            Redirect::to(&format!("/intake/entries/{id}?msg=interviewed#outcome")).into_response(),
        ),
        Err(CoreError::Invalid(errs)) => entry_page(&ctx, id, None, Some(input), Some(&errs)).await,
        Err(e) => Err(ctx.fail(e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OutcomeForm {
    csrf: String,
    decision: String,
    outcome: String,
    service: String,
    organisation: String,
    note: String,
    case_choice: String,
    case_number: String,
    chain_role: String,
    version: i64,
}

pub async fn record_outcome(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<OutcomeForm>,
) -> PageResult {
    let id: IntakeEntryId = parse_id(&ctx, &id)?;
    ctx.require_csrf(&f.csrf)?;
    let input = OutcomeInput {
        decision: opt(&f.decision),
        outcome: opt(&f.outcome),
        service: opt(&f.service),
        organisation: opt(&f.organisation),
        note: opt(&f.note),
        case_number: opt(&f.case_number),
        new_case: f.case_choice == "new",
        chain_role: opt(&f.chain_role),
        version: f.version,
    };
    match ctx.state.app.record_outcome(&ctx.actor, id, &input).await {
        Ok(_) => {
            let v = ctx
                .state
                .app
                .view_entry(&ctx.actor, id)
                .await
                .map_err(|e| ctx.fail(e))?;
            Ok(Redirect::to(&format!(
                "/intake/batches/{}?msg=outcome&show=pending",
                v.batch.id
            ))
            .into_response())
        }
        Err(CoreError::Invalid(errs)) => entry_page(&ctx, id, None, None, Some(&errs)).await,
        Err(CoreError::Conflict(_)) => entry_page(&ctx, id, Some("changed"), None, None).await,
        Err(e) => Err(ctx.fail(e)),
    }
}

// ---- The batch report ----------------------------------------------------------------------

fn report_table(ctx: &Ctx, entries: &[EntryRecord]) -> (Vec<String>, Vec<Vec<String>>) {
    let tr = &ctx.tr;
    let refdata = ctx.state.app.refdata();
    let headers: Vec<String> = [
        "report-seq",
        "report-name",
        "report-name-urdu",
        "report-parentage",
        "report-document",
        "report-status",
        "report-flags",
        "report-suggestion",
        "report-decision",
        "report-outcome",
        "report-case",
        "report-processed-by",
        "report-processed-at",
    ]
    .iter()
    .map(|k| tr.t(k))
    .collect();
    let rows = entries
        .iter()
        .map(|e| {
            let r = entry_row(tr, refdata, e);
            vec![
                e.seq.to_string(),
                r.name,
                r.name_urdu,
                r.parentage,
                r.document,
                r.status,
                r.flags
                    .iter()
                    .map(|f| f.kind.clone())
                    .collect::<Vec<_>>()
                    .join("; "),
                e.suggestion
                    .map(|s| tr.t(&s.message_id()))
                    .unwrap_or_default(),
                r.decision,
                r.outcome,
                e.outcome_detail
                    .as_ref()
                    .and_then(|d| d.case_number.clone())
                    .unwrap_or_default(),
                r.processed_by,
                e.processed_at
                    .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_default(),
            ]
        })
        .collect();
    (headers, rows)
}

pub async fn batch_report_csv(ctx: Ctx, Path(id): Path<String>) -> PageResult {
    batch_report(ctx, id, "csv").await
}

pub async fn batch_report_xlsx(ctx: Ctx, Path(id): Path<String>) -> PageResult {
    batch_report(ctx, id, "xlsx").await
}

async fn batch_report(ctx: Ctx, id: String, format: &str) -> PageResult {
    let id: BatchId = parse_id(&ctx, &id)?;
    let v = ctx
        .state
        .app
        .view_batch(&ctx.actor, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let (headers, rows) = report_table(&ctx, &v.entries);
    let stem = format!("batch-{}-{}", v.batch.post, v.batch.arrival_date);
    match format {
        "csv" => Ok((
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{stem}.csv\""),
                ),
            ],
            nigehban_sheets::write_csv(&headers, &rows),
        )
            .into_response()),
        "xlsx" => {
            let bytes = nigehban_sheets::write_xlsx(
                &ctx.tr.t("report-sheet"),
                &headers,
                &rows,
                ctx.tr.urdu(),
            )
            .map_err(|e| {
                tracing::error!(error = ?e, "xlsx report failed");
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
        _ => Err(ctx.fail(CoreError::NotFound)),
    }
}

// ---- Watch lists ---------------------------------------------------------------------------

pub struct WatchRow {
    pub id: String,
    pub person_id: String,
    pub name: String,
    pub parentage: String,
    pub list: String,
    pub edition: String,
    pub reference: String,
    pub offence: String,
    pub added_by: String,
}

fn watch_row(tr: &crate::ctx::Tr, w: &WatchlistRecord) -> WatchRow {
    WatchRow {
        id: w.id.to_string(),
        person_id: w.person_id.to_string(),
        name: w
            .name_roman
            .clone()
            .or_else(|| w.name_urdu.clone())
            .unwrap_or_default(),
        parentage: w.parentage_roman.clone().unwrap_or_default(),
        list: tr.code("watchlist", w.list.as_str()),
        edition: w.edition.clone(),
        reference: w.reference.clone().unwrap_or_default(),
        offence: w.offence.clone().unwrap_or_default(),
        added_by: w.added_by.clone(),
    }
}

#[derive(Template)]
#[template(path = "watchlist.html")]
struct WatchlistPage {
    c: Chrome,
    rows: Vec<WatchRow>,
    can_manage: bool,
    lists: Vec<Choice>,
    f: WatchForm,
    sexes: Vec<Choice>,
    errors: Vec<ErrorItem>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct WatchForm {
    csrf: String,
    list: String,
    edition: String,
    reference: String,
    offence: String,
    #[serde(flatten)]
    person: PersonInput,
}

async fn watchlist_page(
    ctx: &Ctx,
    f: WatchForm,
    errs: Option<&ValidationErrors>,
    msg: Option<&str>,
) -> PageResult {
    let rows = ctx
        .state
        .app
        .watchlist(&ctx.actor, None)
        .await
        .map_err(|e| ctx.fail(e))?;
    let mut c = ctx.chrome(ctx.tr.t("watchlist-title"));
    c.flash = msg.map(|m| ctx.tr.t(&format!("watchlist-msg-{m}")));
    let sex = f.person.sex.clone().unwrap_or_default();
    let page = WatchlistPage {
        c,
        rows: rows.iter().map(|w| watch_row(&ctx.tr, w)).collect(),
        can_manage: nigehban_core::policy::authorize(
            &ctx.actor,
            nigehban_core::policy::Action::ManageWatchlist,
        )
        .is_ok(),
        lists: choices(
            WatchList::ALL,
            WatchList::as_str,
            "watchlist",
            &ctx.tr,
            &|c| c == f.list,
        ),
        sexes: sex_choices(&ctx.tr, &sex),
        errors: errs.map(|e| error_items(&ctx.tr, e)).unwrap_or_default(),
        f,
    };
    Ok(render(
        if errs.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &page,
    ))
}

pub async fn watchlist(ctx: Ctx, Query(q): Query<MsgQuery>) -> PageResult {
    watchlist_page(&ctx, WatchForm::default(), None, q.msg.as_deref()).await
}

pub async fn add_watchlist(ctx: Ctx, Form(f): Form<WatchForm>) -> PageResult {
    ctx.require_csrf(&f.csrf)?;
    match ctx
        .state
        .app
        .add_person_to_watchlist(
            &ctx.actor,
            &f.list,
            &f.edition,
            &f.person,
            opt(&f.reference),
            opt(&f.offence),
        )
        .await
    {
        Ok(()) => Ok(Redirect::to("/watchlist?msg=added").into_response()),
        Err(CoreError::Invalid(errs)) => watchlist_page(&ctx, f, Some(&errs), None).await,
        Err(e) => Err(ctx.fail(e)),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn remove_watchlist(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    let id: WatchlistEntryId = parse_id(&ctx, &id)?;
    ctx.require_csrf(&f.csrf)?;
    ctx.state
        .app
        .remove_from_watchlist(&ctx.actor, id)
        .await
        .map_err(|e| ctx.fail(e))?;
    Ok(Redirect::to("/watchlist?msg=removed").into_response())
}

#[cfg(test)]
mod tests {
    use super::interview_from_form;

    #[test]
    fn empty_payment_rows_with_only_the_preselected_currency_are_empty() {
        let fields: Vec<(String, String)> = [
            ("payments[0].amount", "25 lakh"),
            ("payments[0].currency", "PKR"),
            ("payments[1].amount", ""),
            ("payments[1].currency", "PKR"),
            ("payments[1].paid_to", ""),
            ("payments[1].method", ""),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
        let (i, _) = interview_from_form(&fields);
        assert_eq!(i.payments[0].currency.as_deref(), Some("PKR"));
        assert_eq!(i.payments[1].currency, None);
    }
}
