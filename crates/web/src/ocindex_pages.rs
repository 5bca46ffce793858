//! Pages of the organized-crime assessment: country profiles of the Global Organized Crime Index
//! (search, profile with its chart and ranks), the agency's provincial and district assessments
//! (list, view, the scoring form with every problem next to its field), and comparisons side by
//! side and over the years. Every chart reads its figures from a JSON block of the page and every
//! figure is also in a table, so pages work without JavaScript and read right to left in Urdu.
//! Every decision is the core's; these handlers only translate.

use crate::ctx::{urlencode, Ctx, Tr};
use crate::pages::render;
use crate::views::{Choice, Chrome, ErrorItem};
use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use nigehban_core::actor::Principal;
use nigehban_core::ocindex_store::ScopeKind;
use nigehban_core::policy::{authorize, Action};
use nigehban_core::service::{AssessmentInput, AssessmentView, CountryProfile, EditionHeld};
use nigehban_core::CoreError;
use nigehban_domain::error::ValidationErrors;
use nigehban_ocindex::{slug, Centi, Composite, Edition, Method, Pillar, RankSet, Scores};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

type PageResult = Result<Response, Response>;

// ---- Labels -----------------------------------------------------------------------------------

pub(crate) fn indicator_label(tr: &Tr, code: &str) -> String {
    tr.t(&format!("ocindex-ind-{code}"))
}

pub(crate) fn pillar_label(tr: &Tr, p: Pillar) -> String {
    tr.t(&format!("ocindex-{}", p.as_str()))
}

/// A continent's or region's name in the reader's language, or as the Index writes it.
pub(crate) fn place_label(tr: &Tr, kind: &str, name: &str) -> String {
    let key = format!("ocindex-{kind}-{}", slug(name));
    if tr.cat.has(tr.lang, &key) {
        tr.t(&key)
    } else {
        name.to_string()
    }
}

fn country_label(ctx: &Ctx, iso3: &str, index_name: &str) -> String {
    match ctx.state.app.refdata().country(iso3) {
        Some(c) if ctx.tr.urdu() => c.name_ur.clone(),
        _ => index_name.to_string(),
    }
}

fn scope_label(tr: &Tr, v: &AssessmentView) -> String {
    if tr.urdu() {
        v.scope_ur.clone()
    } else {
        v.scope_en.clone()
    }
}

fn ranks_text(tr: &Tr, p: &CountryProfile, r: &RankSet) -> [String; 3] {
    [
        tr.ta(
            "ocindex-rank-overall",
            &[
                ("rank", r.overall.rank.to_string()),
                ("of", r.overall.of.to_string()),
            ],
        ),
        tr.ta(
            "ocindex-rank-continent",
            &[
                ("rank", r.continent.rank.to_string()),
                ("of", r.continent.of.to_string()),
                ("continent", place_label(tr, "continent", &p.continent)),
            ],
        ),
        tr.ta(
            "ocindex-rank-region",
            &[
                ("rank", r.region.rank.to_string()),
                ("of", r.region.of.to_string()),
                ("region", place_label(tr, "region", &p.region)),
            ],
        ),
    ]
}

fn method() -> Result<&'static Method, CoreError> {
    Method::embedded()
        .map_err(|e| CoreError::Store(nigehban_core::error::StoreError::Corrupt(e.to_string())))
}

fn edition_of(year: i32) -> Result<&'static Edition, CoreError> {
    method()?.edition(year).ok_or(CoreError::NotFound)
}

// ---- Charts -------------------------------------------------------------------------------------

/// What `assets/assessments.js` draws: horizontal bars (indicators or composites, one series per
/// place or country) or lines (composites over the years). The same figures are in a table.
#[derive(Serialize)]
pub(crate) struct Chart {
    kind: &'static str,
    dir: &'static str,
    categories: Vec<String>,
    /// The pillar of each category (`markets`, `actors`, `resilience`), to colour a single
    /// series' bars by pillar; empty when the categories mix composites and indicators.
    pillars: Vec<&'static str>,
    series: Vec<Series>,
}

#[derive(Serialize)]
pub(crate) struct Series {
    name: String,
    values: Vec<Option<f64>>,
}

impl Chart {
    /// JSON for a `<script type="application/json">` block: `<` is escaped so that no text in it
    /// (a place name, a label) can close the block.
    fn json(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|_| "{}".into())
            .replace('<', "\\u003c")
    }
}

/// The four composites as lines over a sequence (editions, years).
fn composite_lines(tr: &Tr, values: &[nigehban_ocindex::Composites]) -> Vec<Series> {
    Composite::ALL
        .into_iter()
        .map(|which| Series {
            name: tr.t(&format!("ocindex-{}", which.as_str())),
            values: values.iter().map(|c| Some(c.get(which).to_f64())).collect(),
        })
        .collect()
}

fn chart(tr: &Tr, kind: &'static str, categories: Vec<String>, series: Vec<Series>) -> String {
    Chart {
        kind,
        dir: tr.lang.dir(),
        categories,
        pillars: Vec::new(),
        series,
    }
    .json()
}

// ---- Score tables --------------------------------------------------------------------------------

/// One indicator in a table or the form.
pub struct IndicatorRow {
    pub code: String,
    pub label: String,
    pub score: String,
    pub justification: String,
    pub score_error: String,
    pub why_error: String,
}

/// The indicators of one pillar with its composite.
pub struct PillarBlock {
    pub key: &'static str,
    pub label: String,
    pub composite: String,
    pub rows: Vec<IndicatorRow>,
}

fn blocks(
    tr: &Tr,
    edition: &Edition,
    scores: &Scores,
    composites: Option<&nigehban_ocindex::Composites>,
    why: &BTreeMap<String, String>,
) -> Vec<PillarBlock> {
    Pillar::ALL
        .iter()
        .map(|p| PillarBlock {
            key: p.as_str(),
            label: pillar_label(tr, *p),
            composite: composites
                .map(|c| c.get((*p).into()).to_string())
                .unwrap_or_default(),
            rows: edition
                .pillar(*p)
                .iter()
                .map(|i| IndicatorRow {
                    label: indicator_label(tr, &i.code),
                    score: scores
                        .get(&i.code)
                        .map(|s| s.to_string())
                        .unwrap_or_default(),
                    justification: why.get(&i.code).cloned().unwrap_or_default(),
                    code: i.code.clone(),
                    score_error: String::new(),
                    why_error: String::new(),
                })
                .collect(),
        })
        .collect()
}

/// The bar chart of a profile or an assessment: every indicator, in the pillars' order.
fn indicator_chart(tr: &Tr, edition: &Edition, name: String, scores: &Scores) -> String {
    let mut categories = Vec::new();
    let mut pillars = Vec::new();
    let mut values = Vec::new();
    for i in edition.indicators() {
        categories.push(indicator_label(tr, &i.code));
        pillars.push(i.pillar.as_str());
        values.push(scores.get(&i.code).map(|s| s.to_f64()));
    }
    Chart {
        kind: "bars",
        dir: tr.lang.dir(),
        categories,
        pillars,
        series: vec![Series { name, values }],
    }
    .json()
}

fn edition_choices(tr: &Tr, held: &[EditionHeld], on: i32) -> Vec<EditionChoice> {
    held.iter()
        .map(|e| EditionChoice {
            year: e.year,
            label: tr.ta("ocindex-edition-label", &[("year", e.year.to_string())]),
            on: e.year == on,
        })
        .collect()
}

// ---- The index page -----------------------------------------------------------------------------

pub struct CountryRow {
    pub iso3: String,
    pub name: String,
    pub region: String,
    pub criminality: String,
    pub criminality_rank: String,
    pub resilience: String,
    pub resilience_rank: String,
}

pub struct SubRow {
    pub id: String,
    pub place: String,
    pub scope: String,
    pub year: i32,
    pub edition: i32,
    pub criminality: String,
    pub resilience: String,
    pub assessed_by: String,
    pub assessed_at: String,
    pub select_label: String,
}

fn sub_row(tr: &Tr, v: &AssessmentView) -> SubRow {
    SubRow {
        select_label: tr.ta(
            "ocindex-select-for-compare",
            &[
                ("place", scope_label(tr, v)),
                ("year", v.record.year.to_string()),
            ],
        ),
        id: v.record.id.clone(),
        place: scope_label(tr, v),
        scope: v.record.scope.key(),
        year: v.record.year,
        edition: v.record.edition,
        criminality: v.composites.criminality.to_string(),
        resilience: v.composites.resilience.to_string(),
        assessed_by: v.record.assessed_by_name.clone(),
        assessed_at: v.record.assessed_at.format("%Y-%m-%d").to_string(),
    }
}

#[derive(Template)]
#[template(path = "assessments.html")]
struct IndexPage {
    c: Chrome,
    editions: Vec<EditionChoice>,
    edition: i32,
    index_name: String,
    q: String,
    loaded: bool,
    countries: Vec<CountryRow>,
    subnational: Vec<SubRow>,
    can_score: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct IndexQuery {
    q: String,
    /// Text, so that a link with anything else still opens the newest edition.
    edition: String,
    msg: Option<String>,
}

pub async fn index(ctx: Ctx, Query(q): Query<IndexQuery>) -> PageResult {
    let by = Principal::User(ctx.actor.clone());
    let app = &ctx.state.app;
    let held = app.index_editions(&by).await.map_err(|e| ctx.fail(e))?;
    let edition = chosen_edition(&q.edition, &held).unwrap_or_default();
    let countries = if held.is_empty() {
        Vec::new()
    } else {
        app.country_profiles(&by, edition, &q.q)
            .await
            .map_err(|e| ctx.fail(e))?
    };
    let subnational = app
        .assessments(&ctx.actor, None)
        .await
        .map_err(|e| ctx.fail(e))?;
    let tr = &ctx.tr;
    let mut c = ctx.chrome(tr.t("ocindex-title"));
    c.flash = q.msg.map(|m| tr.t(&format!("ocindex-msg-{m}")));
    let page = IndexPage {
        c,
        editions: edition_choices(tr, &held, edition),
        edition,
        index_name: tr.ta("ocindex-index-name", &[("year", edition.to_string())]),
        q: q.q.clone(),
        loaded: !held.is_empty(),
        countries: countries
            .iter()
            .map(|p| CountryRow {
                iso3: p.iso3.clone(),
                name: country_label(&ctx, &p.iso3, &p.name),
                region: place_label(tr, "region", &p.region),
                criminality: p.composites.criminality.to_string(),
                criminality_rank: p.ranks.criminality.overall.rank.to_string(),
                resilience: p.composites.resilience.to_string(),
                resilience_rank: p.ranks.resilience.overall.rank.to_string(),
            })
            .collect(),
        subnational: subnational.iter().map(|v| sub_row(tr, v)).collect(),
        can_score: authorize(&ctx.actor, Action::ScoreAssessments).is_ok(),
    };
    Ok(render(StatusCode::OK, &page))
}

// ---- A country's profile ----------------------------------------------------------------------------

pub struct HistoryRow {
    pub edition: i32,
    pub criminality: String,
    pub markets: String,
    pub actors: String,
    pub resilience: String,
    pub criminality_rank: String,
    pub resilience_rank: String,
}

#[derive(Template)]
#[template(path = "assessment_country.html")]
struct CountryPage {
    c: Chrome,
    iso3: String,
    edition: i32,
    editions: Vec<EditionChoice>,
    index_name: String,
    place: String,
    criminality: String,
    markets: String,
    actors: String,
    resilience: String,
    criminality_ranks: [String; 3],
    resilience_ranks: [String; 3],
    pillars: Vec<PillarBlock>,
    history: Vec<HistoryRow>,
    chart: String,
    history_chart: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditionQuery {
    edition: String,
}

/// The edition asked for when it is held, or the newest held.
fn chosen_edition(asked: &str, held: &[EditionHeld]) -> Option<i32> {
    asked
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| held.iter().any(|e| e.year == *y))
        .or_else(|| held.last().map(|e| e.year))
}

pub async fn country(
    ctx: Ctx,
    Path(iso3): Path<String>,
    Query(q): Query<EditionQuery>,
) -> PageResult {
    let by = Principal::User(ctx.actor.clone());
    let app = &ctx.state.app;
    let held = app.index_editions(&by).await.map_err(|e| ctx.fail(e))?;
    let edition = chosen_edition(&q.edition, &held).ok_or_else(|| ctx.fail(CoreError::NotFound))?;
    let p = app
        .country_profile(&by, &iso3, edition)
        .await
        .map_err(|e| ctx.fail(e))?;
    let mut history = Vec::new();
    for e in &held {
        let other = if e.year == edition {
            Ok(p.clone())
        } else {
            app.country_profile(&by, &p.iso3, e.year).await
        };
        match other {
            Ok(h) => history.push(h),
            Err(CoreError::NotFound) => {}
            Err(e) => return Err(ctx.fail(e)),
        }
    }
    let tr = &ctx.tr;
    let ed = edition_of(edition).map_err(|e| ctx.fail(e))?;
    let name = country_label(&ctx, &p.iso3, &p.name);
    let history_chart = chart(
        tr,
        "lines",
        history.iter().map(|h| h.edition.to_string()).collect(),
        composite_lines(
            tr,
            &history.iter().map(|h| h.composites).collect::<Vec<_>>(),
        ),
    );
    let page = CountryPage {
        c: ctx.chrome(format!("{name} ({})", p.iso3)),
        iso3: p.iso3.clone(),
        edition,
        editions: edition_choices(tr, &held, edition),
        index_name: tr.ta("ocindex-index-name", &[("year", edition.to_string())]),
        place: tr.ta(
            "ocindex-profile-place",
            &[
                ("continent", place_label(tr, "continent", &p.continent)),
                ("region", place_label(tr, "region", &p.region)),
            ],
        ),
        criminality: p.composites.criminality.to_string(),
        markets: p.composites.markets.to_string(),
        actors: p.composites.actors.to_string(),
        resilience: p.composites.resilience.to_string(),
        criminality_ranks: ranks_text(tr, &p, &p.ranks.criminality),
        resilience_ranks: ranks_text(tr, &p, &p.ranks.resilience),
        pillars: blocks(tr, ed, &p.scores, Some(&p.composites), &BTreeMap::new()),
        chart: indicator_chart(tr, ed, format!("{name} {edition}"), &p.scores),
        history: history
            .iter()
            .map(|h| HistoryRow {
                edition: h.edition,
                criminality: h.composites.criminality.to_string(),
                markets: h.composites.markets.to_string(),
                actors: h.composites.actors.to_string(),
                resilience: h.composites.resilience.to_string(),
                criminality_rank: format!(
                    "{} / {}",
                    h.ranks.criminality.overall.rank, h.ranks.criminality.overall.of
                ),
                resilience_rank: format!(
                    "{} / {}",
                    h.ranks.resilience.overall.rank, h.ranks.resilience.overall.of
                ),
            })
            .collect(),
        history_chart,
    };
    Ok(render(StatusCode::OK, &page))
}

// ---- One assessment ----------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "assessment.html")]
struct AssessmentPage {
    c: Chrome,
    id: String,
    scope: String,
    year: i32,
    edition_label: String,
    criminality: String,
    markets: String,
    actors: String,
    resilience: String,
    pillars: Vec<PillarBlock>,
    assessed: String,
    can_edit: bool,
    chart: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MsgQuery {
    msg: Option<String>,
}

pub async fn assessment(ctx: Ctx, Path(id): Path<String>, Query(q): Query<MsgQuery>) -> PageResult {
    let v = ctx
        .state
        .app
        .assessment(&ctx.actor, &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let tr = &ctx.tr;
    let ed = edition_of(v.record.edition).map_err(|e| ctx.fail(e))?;
    let why: BTreeMap<String, String> = v
        .record
        .scores
        .iter()
        .map(|s| (s.indicator.clone(), s.justification.clone()))
        .collect();
    let place = scope_label(tr, &v);
    let mut c = ctx.chrome(format!("{place} {}", v.record.year));
    c.flash = q.msg.map(|m| tr.t(&format!("ocindex-msg-{m}")));
    let scores = v.scores();
    let page = AssessmentPage {
        c,
        id: v.record.id.clone(),
        scope: v.record.scope.key(),
        year: v.record.year,
        edition_label: tr.ta(
            "ocindex-index-name",
            &[("year", v.record.edition.to_string())],
        ),
        criminality: v.composites.criminality.to_string(),
        markets: v.composites.markets.to_string(),
        actors: v.composites.actors.to_string(),
        resilience: v.composites.resilience.to_string(),
        pillars: blocks(tr, ed, &scores, Some(&v.composites), &why),
        assessed: tr.ta(
            "ocindex-assessed",
            &[
                ("name", v.record.assessed_by_name.clone()),
                ("date", v.record.assessed_at.format("%Y-%m-%d").to_string()),
            ],
        ),
        can_edit: authorize(&ctx.actor, Action::ScoreAssessments).is_ok(),
        chart: indicator_chart(tr, ed, format!("{place} {}", v.record.year), &scores),
    };
    Ok(render(StatusCode::OK, &page))
}

// ---- The scoring form -------------------------------------------------------------------------------------

pub struct ChoiceGroup {
    pub label: String,
    pub choices: Vec<Choice>,
}

pub struct EditionChoice {
    pub year: i32,
    pub label: String,
    pub on: bool,
}

#[derive(Template)]
#[template(path = "assessment_form.html")]
struct FormPage {
    c: Chrome,
    action: String,
    heading: String,
    edition: i32,
    editions: Vec<EditionChoice>,
    groups: Vec<ChoiceGroup>,
    year: String,
    version: String,
    pillars: Vec<PillarBlock>,
    errors: Vec<ErrorItem>,
    is_edit: bool,
}

/// What the form sent (or, for a new form, what the query chose).
#[derive(Default, Clone)]
struct Typed {
    scope: String,
    year: String,
    edition: String,
    version: String,
    scores: BTreeMap<String, String>,
    why: BTreeMap<String, String>,
}

impl Typed {
    fn from_pairs(pairs: &[(String, String)]) -> (Typed, String) {
        let mut t = Typed::default();
        let mut csrf = String::new();
        for (k, v) in pairs {
            match k.as_str() {
                "csrf" => csrf = v.clone(),
                "scope" => t.scope = v.clone(),
                "year" => t.year = v.clone(),
                "edition" => t.edition = v.clone(),
                "version" => t.version = v.clone(),
                _ => {
                    if let Some(code) = k.strip_prefix("score-") {
                        t.scores.insert(code.to_string(), v.clone());
                    } else if let Some(code) = k.strip_prefix("justification-") {
                        t.why.insert(code.to_string(), v.clone());
                    }
                }
            }
        }
        (t, csrf)
    }

    fn input(&self) -> AssessmentInput {
        AssessmentInput {
            scope: self.scope.clone(),
            year: self.year.clone(),
            edition: self.edition.clone(),
            scores: self.scores.clone(),
            justifications: self.why.clone(),
            version: self.version.trim().parse().ok(),
        }
    }

    fn from_view(v: &AssessmentView) -> Typed {
        Typed {
            scope: v.record.scope.key(),
            year: v.record.year.to_string(),
            edition: v.record.edition.to_string(),
            version: v.record.version.to_string(),
            scores: v
                .record
                .scores
                .iter()
                .map(|s| (s.indicator.clone(), trim_score(&s.score.to_string())))
                .collect(),
            why: v
                .record
                .scores
                .iter()
                .map(|s| (s.indicator.clone(), s.justification.clone()))
                .collect(),
        }
    }
}

/// A score as an officer would type it again ("6.50" is "6.5", "8.00" is "8").
fn trim_score(s: &str) -> String {
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Field errors with labels and messages in the reader's language.
fn form_errors(tr: &Tr, errs: &ValidationErrors) -> Vec<ErrorItem> {
    errs.iter()
        .map(|e| {
            let label = if let Some(code) = e.field.strip_prefix("score-") {
                tr.ta(
                    "ocindex-field-score",
                    &[("indicator", indicator_label(tr, code))],
                )
            } else if let Some(code) = e.field.strip_prefix("justification-") {
                tr.ta(
                    "ocindex-field-justification",
                    &[("indicator", indicator_label(tr, code))],
                )
            } else {
                match e.field.as_str() {
                    "scope" => tr.t("ocindex-scope"),
                    "year" => tr.t("ocindex-year"),
                    "edition" => tr.t("ocindex-edition-choose"),
                    other => other.to_string(),
                }
            };
            ErrorItem {
                field: e.field.clone(),
                label,
                message: tr.ta(&format!("problem-{}", e.problem.code()), &e.problem.args()),
            }
        })
        .collect()
}

fn form_page(
    ctx: &Ctx,
    typed: &Typed,
    errors: Vec<ErrorItem>,
    edit: Option<(&str, String)>,
) -> Result<FormPage, CoreError> {
    let tr = &ctx.tr;
    let m = method()?;
    let year: Option<i32> = typed.year.trim().parse().ok();
    let edition = typed
        .edition
        .trim()
        .parse::<i32>()
        .ok()
        .and_then(|y| m.edition(y))
        .or_else(|| year.and_then(|y| m.edition_for(y)))
        .or_else(|| m.latest())
        .ok_or(CoreError::NotFound)?;
    let refdata = ctx.state.app.refdata();
    let name = |en: &str, ur: &str| {
        if tr.urdu() {
            ur.to_string()
        } else {
            en.to_string()
        }
    };
    let mut groups = vec![ChoiceGroup {
        label: tr.t("ocindex-provinces"),
        choices: refdata
            .provinces
            .iter()
            .map(|p| {
                let value = format!("{}:{}", ScopeKind::Province.as_str(), p.code);
                Choice {
                    on: value == typed.scope,
                    value,
                    label: name(&p.name_en, &p.name_ur),
                    group: String::new(),
                }
            })
            .collect(),
    }];
    for p in &refdata.provinces {
        let mut choices: Vec<Choice> = refdata
            .districts_of(&p.code)
            .map(|d| {
                let value = format!("{}:{}", ScopeKind::District.as_str(), d.code);
                Choice {
                    on: value == typed.scope,
                    value,
                    label: name(&d.name_en, &d.name_ur),
                    group: p.code.clone(),
                }
            })
            .collect();
        choices.sort_by(|a, b| a.label.cmp(&b.label));
        groups.push(ChoiceGroup {
            label: tr.ta(
                "ocindex-districts-of",
                &[("province", name(&p.name_en, &p.name_ur))],
            ),
            choices,
        });
    }
    let mut pillars = blocks(tr, edition, &Scores::new(), None, &typed.why);
    for b in &mut pillars {
        for r in &mut b.rows {
            r.score = typed.scores.get(&r.code).cloned().unwrap_or_default();
            r.score_error = crate::views::field_error(&errors, &format!("score-{}", r.code));
            r.why_error = crate::views::field_error(&errors, &format!("justification-{}", r.code));
        }
    }
    let (action, heading, is_edit) = match edit {
        Some((id, heading)) => (format!("/assessments/{id}"), heading, true),
        None => (
            "/assessments".to_string(),
            tr.t("ocindex-form-title-new"),
            false,
        ),
    };
    Ok(FormPage {
        c: ctx.chrome(heading.clone()),
        action,
        heading,
        edition: edition.year,
        editions: m
            .editions()
            .iter()
            .map(|e| EditionChoice {
                year: e.year,
                label: tr.ta(
                    "ocindex-edition-option",
                    &[
                        ("year", e.year.to_string()),
                        ("markets", e.pillar(Pillar::Markets).len().to_string()),
                        ("actors", e.pillar(Pillar::Actors).len().to_string()),
                        ("resilience", e.pillar(Pillar::Resilience).len().to_string()),
                    ],
                ),
                on: e.year == edition.year,
            })
            .collect(),
        groups,
        year: typed.year.clone(),
        version: typed.version.clone(),
        pillars,
        errors,
        is_edit,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewQuery {
    scope: String,
    year: String,
    edition: String,
}

/// The empty form (reads nothing): refused before anything to those who may not score.
pub async fn new_form(ctx: Ctx, Query(q): Query<NewQuery>) -> PageResult {
    authorize(&ctx.actor, Action::ScoreAssessments).map_err(|e| ctx.fail(e))?;
    let typed = Typed {
        scope: q.scope,
        year: if q.year.is_empty() {
            chrono::Utc::now().format("%Y").to_string()
        } else {
            q.year
        },
        edition: q.edition,
        ..Typed::default()
    };
    let page = form_page(&ctx, &typed, Vec::new(), None).map_err(|e| ctx.fail(e))?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn create(ctx: Ctx, Form(pairs): Form<Vec<(String, String)>>) -> PageResult {
    let (typed, csrf) = Typed::from_pairs(&pairs);
    ctx.require_csrf(&csrf)?;
    save(&ctx, None, typed).await
}

/// The edit form: refused before reading to those who may not score.
pub async fn edit_form(ctx: Ctx, Path(id): Path<String>) -> PageResult {
    authorize(&ctx.actor, Action::ScoreAssessments).map_err(|e| ctx.fail(e))?;
    let v = ctx
        .state
        .app
        .assessment(&ctx.actor, &id)
        .await
        .map_err(|e| ctx.fail(e))?;
    let heading = ctx.tr.ta(
        "ocindex-form-title-edit",
        &[
            ("place", scope_label(&ctx.tr, &v)),
            ("year", v.record.year.to_string()),
        ],
    );
    let page = form_page(
        &ctx,
        &Typed::from_view(&v),
        Vec::new(),
        Some((&id, heading)),
    )
    .map_err(|e| ctx.fail(e))?;
    Ok(render(StatusCode::OK, &page))
}

pub async fn update(
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let (typed, csrf) = Typed::from_pairs(&pairs);
    ctx.require_csrf(&csrf)?;
    save(&ctx, Some(&id), typed).await
}

async fn save(ctx: &Ctx, id: Option<&str>, typed: Typed) -> PageResult {
    match ctx
        .state
        .app
        .save_assessment(&ctx.actor, id, &typed.input())
        .await
    {
        Ok(v) => {
            Ok(Redirect::to(&format!("/assessments/{}?msg=saved", v.record.id)).into_response())
        }
        Err(CoreError::Invalid(errs)) => {
            let errors = form_errors(&ctx.tr, &errs);
            let edit = id.map(|i| {
                let place = scope_name(ctx, &typed.scope);
                (
                    i,
                    ctx.tr.ta(
                        "ocindex-form-title-edit",
                        &[("place", place), ("year", typed.year.clone())],
                    ),
                )
            });
            let page = form_page(ctx, &typed, errors, edit).map_err(|e| ctx.fail(e))?;
            Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
        }
        Err(CoreError::Conflict(_)) => {
            let mut c = ctx.chrome(ctx.tr.t("error-title"));
            c.flash = Some(ctx.tr.t("ocindex-stale"));
            Err((StatusCode::CONFLICT, stale_page(c)).into_response())
        }
        Err(e) => Err(ctx.fail(e)),
    }
}

/// The name of a place from its scope key (`district:gujrat` is "Gujrat"), as typed in a form.
fn scope_name(ctx: &Ctx, key: &str) -> String {
    let refdata = ctx.state.app.refdata();
    let names = match nigehban_core::ocindex_store::AssessmentScope::parse_key(key) {
        Some(s) if s.kind == ScopeKind::Province => refdata
            .province(&s.code)
            .map(|p| (p.name_en.clone(), p.name_ur.clone())),
        Some(s) => refdata
            .district(&s.code)
            .map(|d| (d.name_en.clone(), d.name_ur.clone())),
        None => None,
    };
    match names {
        Some((_, ur)) if ctx.tr.urdu() => ur,
        Some((en, _)) => en,
        None => key.to_string(),
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct StalePage {
    c: Chrome,
    message: String,
}

fn stale_page(c: Chrome) -> axum::response::Html<String> {
    let message = c.flash.clone().unwrap_or_default();
    let page = StalePage {
        c: Chrome { flash: None, ..c },
        message,
    };
    axum::response::Html(page.render().unwrap_or_default())
}

// ---- Comparison ------------------------------------------------------------------------------------

pub struct CompareColumn {
    pub label: String,
    pub sub: String,
    pub national: bool,
}

pub struct CompareRow {
    pub label: String,
    /// `composite`, `pillar` or `indicator`.
    pub class: &'static str,
    pub cells: Vec<String>,
}

pub struct CompareChoice {
    pub id: String,
    pub label: String,
    pub on: bool,
}

#[derive(Template)]
#[template(path = "assessment_compare.html")]
struct ComparePage {
    c: Chrome,
    columns: Vec<CompareColumn>,
    rows: Vec<CompareRow>,
    choices: Vec<CompareChoice>,
    scopes: Vec<Choice>,
    years_mode: bool,
    chart: String,
}

/// One column of the comparison: a label and its scores and composites.
struct Column {
    label: String,
    sub: String,
    national: bool,
    scores: Scores,
    composites: nigehban_ocindex::Composites,
}

/// A row of the comparison chart.
enum Category {
    Composite(Composite),
    Indicator(String),
}

impl Category {
    fn value(&self, c: &Column) -> Option<f64> {
        match self {
            Category::Composite(w) => Some(c.composites.get(*w).to_f64()),
            Category::Indicator(code) => c.scores.get(code).map(|s| s.to_f64()),
        }
    }
}

pub async fn compare(ctx: Ctx, Query(pairs): Query<Vec<(String, String)>>) -> PageResult {
    let ids: Vec<String> = pairs
        .iter()
        .filter(|(k, _)| k == "id")
        .map(|(_, v)| v.clone())
        .collect();
    let scope = pairs
        .iter()
        .find(|(k, _)| k == "scope")
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let app = &ctx.state.app;
    let tr = &ctx.tr;
    // Every assessment of the agency: the choices, and the years of one place.
    let all = app
        .assessments(&ctx.actor, None)
        .await
        .map_err(|e| ctx.fail(e))?;
    let years_mode = ids.is_empty() && !scope.is_empty();
    let chosen: Vec<AssessmentView> = if years_mode {
        all.iter()
            .filter(|v| v.record.scope.key() == scope)
            .cloned()
            .collect()
    } else {
        app.compare_assessments(&ctx.actor, &ids)
            .await
            .map_err(|e| ctx.fail(e))?
    };
    let mut columns: Vec<Column> = chosen
        .iter()
        .map(|v| Column {
            label: scope_label(tr, v),
            sub: v.record.year.to_string(),
            national: false,
            scores: v.scores(),
            composites: v.composites,
        })
        .collect();
    // Pakistan's published national scores in the editions used, for reference.
    let mut editions: Vec<i32> = chosen.iter().map(|v| v.record.edition).collect();
    editions.sort();
    editions.dedup();
    if !chosen.is_empty() {
        let by = Principal::User(ctx.actor.clone());
        let held = app.index_editions(&by).await.map_err(|e| ctx.fail(e))?;
        for e in editions
            .iter()
            .filter(|e| held.iter().any(|h| h.year == **e))
        {
            match app.country_profile(&by, "PAK", *e).await {
                Ok(p) => columns.push(Column {
                    label: tr.ta("ocindex-national", &[("year", e.to_string())]),
                    sub: String::new(),
                    national: true,
                    scores: p.scores,
                    composites: p.composites,
                }),
                Err(CoreError::NotFound) => {}
                Err(err) => return Err(ctx.fail(err)),
            }
        }
    }
    let m = method().map_err(|e| ctx.fail(e))?;
    let mut rows = Vec::new();
    let comp = |label: String, f: fn(&nigehban_ocindex::Composites) -> Centi| CompareRow {
        label,
        class: "composite",
        cells: columns
            .iter()
            .map(|c| f(&c.composites).to_string())
            .collect(),
    };
    // Criminality first; markets, actors and resilience head their pillars' indicators.
    rows.push(comp(tr.t("ocindex-criminality"), |c| c.criminality));
    for p in Pillar::ALL {
        rows.push(CompareRow {
            label: pillar_label(tr, p),
            class: "pillar",
            cells: columns
                .iter()
                .map(|c| c.composites.get(p.into()).to_string())
                .collect(),
        });
        for i in m.all_indicators().into_iter().filter(|i| i.pillar == p) {
            if columns.iter().all(|c| !c.scores.contains_key(&i.code)) {
                continue;
            }
            rows.push(CompareRow {
                label: indicator_label(tr, &i.code),
                class: "indicator",
                cells: columns
                    .iter()
                    .map(|c| {
                        c.scores
                            .get(&i.code)
                            .map(|s| s.to_string())
                            .unwrap_or_else(|| "–".into())
                    })
                    .collect(),
            });
        }
    }
    let chart_json = if years_mode {
        let own: Vec<&Column> = columns.iter().filter(|c| !c.national).collect();
        chart(
            tr,
            "lines",
            own.iter().map(|c| c.sub.clone()).collect(),
            composite_lines(tr, &own.iter().map(|c| c.composites).collect::<Vec<_>>()),
        )
    } else {
        // The composites, then every indicator any column scores; one series per column.
        let mut cats: Vec<(String, Category)> = Composite::ALL
            .into_iter()
            .map(|w| {
                (
                    tr.t(&format!("ocindex-{}", w.as_str())),
                    Category::Composite(w),
                )
            })
            .collect();
        for i in m.all_indicators() {
            if columns.iter().any(|c| c.scores.contains_key(&i.code)) {
                cats.push((
                    indicator_label(tr, &i.code),
                    Category::Indicator(i.code.clone()),
                ));
            }
        }
        chart(
            tr,
            "bars",
            cats.iter().map(|(l, _)| l.clone()).collect(),
            columns
                .iter()
                .map(|c| Series {
                    name: format!("{} {}", c.label, c.sub).trim().to_string(),
                    values: cats.iter().map(|(_, cat)| cat.value(c)).collect(),
                })
                .collect(),
        )
    };
    let mut scopes: Vec<Choice> = Vec::new();
    for v in &all {
        let key = v.record.scope.key();
        if !scopes.iter().any(|s| s.value == key) {
            scopes.push(Choice {
                on: years_mode && key == scope,
                value: key,
                label: scope_label(tr, v),
                group: String::new(),
            });
        }
    }
    let page = ComparePage {
        c: ctx.chrome(tr.t("ocindex-compare-title")),
        columns: columns
            .iter()
            .map(|c| CompareColumn {
                label: c.label.clone(),
                sub: c.sub.clone(),
                national: c.national,
            })
            .collect(),
        rows: if columns.is_empty() { Vec::new() } else { rows },
        choices: all
            .iter()
            .map(|v| CompareChoice {
                id: v.record.id.clone(),
                label: format!("{} {}", scope_label(tr, v), v.record.year),
                on: chosen.iter().any(|c| c.record.id == v.record.id),
            })
            .collect(),
        scopes,
        years_mode,
        chart: chart_json,
    };
    Ok(render(StatusCode::OK, &page))
}

/// A link to the comparison of one place over the years.
pub fn years_link(scope: &str) -> String {
    format!("/assessments/compare?scope={}", urlencode(scope))
}

#[cfg(test)]
mod tests {
    use super::*;
    use nigehban_i18n::{Catalog, Lang};
    use std::sync::Arc;

    #[test]
    fn every_indicator_continent_and_region_has_words_in_both_languages() {
        let cat = Arc::new(Catalog::embedded().unwrap());
        let m = Method::embedded().unwrap();
        let mut missing = Vec::new();
        let workbook = include_bytes!("../../ocindex/data/global_oc_index.xlsx");
        let w = nigehban_ocindex::read_workbook(m, "w.xlsx", workbook).unwrap();
        let mut keys: Vec<String> = m
            .all_indicators()
            .iter()
            .map(|i| format!("ocindex-ind-{}", i.code))
            .collect();
        for e in &w.editions {
            for c in &e.countries {
                keys.push(format!("ocindex-continent-{}", slug(&c.continent)));
                keys.push(format!("ocindex-region-{}", slug(&c.region)));
            }
        }
        keys.sort();
        keys.dedup();
        for lang in Lang::ALL {
            for k in &keys {
                if !cat.has(lang, k) {
                    missing.push(format!("{}: {k}", lang.code()));
                }
            }
        }
        assert!(missing.is_empty(), "{missing:?}");
        // Every country of the Index has an Urdu name in the reference data.
        let refdata = nigehban_domain::reference::ReferenceData::embedded().unwrap();
        let unnamed: Vec<&str> = m
            .countries()
            .iter()
            .filter(|c| refdata.country(&c.iso3).is_none())
            .map(|c| c.iso3.as_str())
            .collect();
        assert!(unnamed.is_empty(), "{unnamed:?}");
    }

    #[test]
    fn chart_json_cannot_close_its_script_block() {
        let tr = Tr {
            cat: Arc::new(Catalog::embedded().unwrap()),
            lang: Lang::Ur,
        };
        let j = chart(
            &tr,
            "bars",
            vec!["</script><script>alert(1)</script>".into()],
            vec![],
        );
        assert!(!j.contains("</"), "{j}");
        assert!(j.contains("\"dir\":\"rtl\""));
        assert_eq!(trim_score("6.50"), "6.5");
        assert_eq!(trim_score("8.00"), "8");
        assert_eq!(trim_score("10.00"), "10");
    }
}
