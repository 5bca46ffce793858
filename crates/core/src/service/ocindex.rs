//! The organized-crime assessment, following the Global Organized Crime Index: its published
//! country scores (imported from its workbook, all or nothing) with composites and ranks
//! recomputed by its method, and the provincial and district assessments officers make with the
//! same indicators, each score with its written justification, compared side by side and over
//! years. The method itself (indicators, composites, ranks, the workbook) is `nigehban-ocindex`.

use super::*;
use crate::ocindex_store::*;
use nigehban_ocindex::{
    rank_countries, read_workbook, Composites, Edition, Method, RankInput, Ranks, Score,
    ScoreError, Scores, WorkbookProblem, MAX_SCORE, MIN_SCORE,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Longest written justification of one score.
pub const JUSTIFICATION_MAX: usize = 4000;
/// Earliest year an assessment may be for.
pub const ASSESSMENT_YEAR_MIN: i32 = 2000;
/// Most assessments compared at once.
pub const COMPARE_MAX: usize = 8;

/// A country's profile in one edition: scores, composites recomputed by the Index's method, and
/// ranks among all countries of the edition, within its continent and its region.
#[derive(Debug, Clone, Serialize)]
pub struct CountryProfile {
    pub edition: i32,
    pub iso3: String,
    pub name: String,
    pub continent: String,
    pub region: String,
    pub scores: Scores,
    pub composites: Composites,
    pub ranks: Ranks,
}

/// An edition of the Index held in the database.
#[derive(Debug, Clone, Serialize)]
pub struct EditionHeld {
    pub year: i32,
    pub countries: i64,
}

/// What an import of the published workbook did.
#[derive(Debug, Clone, Serialize)]
pub struct IndexImportSummary {
    pub file_name: String,
    pub sha256: String,
    /// Each edition of the file with its number of countries.
    pub editions: Vec<(i32, usize)>,
    pub applied: ImportApplied,
}

impl IndexImportSummary {
    /// Nothing was changed: the database already held exactly this file's scores.
    pub fn unchanged(&self) -> bool {
        self.applied.changed.is_empty()
    }
}

/// The outcome of an import: refused with every problem located, or imported.
#[derive(Debug, Clone, Serialize)]
pub enum IndexImport {
    Refused { problems: Vec<WorkbookProblem> },
    Imported(IndexImportSummary),
}

/// An officer's assessment as typed in a form or sent to the API: every value as text, so that
/// each problem can be reported with its field and everything typed kept.
#[derive(Debug, Clone, Default)]
pub struct AssessmentInput {
    /// `province:PB` or `district:gujrat`.
    pub scope: String,
    pub year: String,
    /// The edition whose indicators are scored (`2021`, `2023`).
    pub edition: String,
    /// Score by indicator code (`7`, `7.5`).
    pub scores: BTreeMap<String, String>,
    pub justifications: BTreeMap<String, String>,
    /// For an edit: the version the officer started from.
    pub version: Option<i64>,
}

/// An assessment with its composites and the names of its place.
#[derive(Debug, Clone, Serialize)]
pub struct AssessmentView {
    pub record: AssessmentRecord,
    pub composites: Composites,
    pub scope_en: String,
    pub scope_ur: String,
    /// For a district: its province's code.
    pub province: Option<String>,
}

impl AssessmentView {
    pub fn scores(&self) -> Scores {
        self.record
            .scores
            .iter()
            .map(|s| (s.indicator.clone(), s.score))
            .collect()
    }
}

/// Field names of the assessment form: `score-<code>` and `justification-<code>`.
pub fn score_field(code: &str) -> String {
    format!("score-{code}")
}
pub fn justification_field(code: &str) -> String {
    format!("justification-{code}")
}

fn method() -> Result<&'static Method, CoreError> {
    // Checked at start (the binary refuses to run without it): failing here means a broken build.
    Method::embedded().map_err(|e| CoreError::Store(StoreError::Corrupt(e.to_string())))
}

fn rank_profiles(
    rows: Vec<PublishedRow>,
    method: &Method,
) -> Result<Vec<CountryProfile>, CoreError> {
    let mut computed = Vec::with_capacity(rows.len());
    for r in rows {
        let edition = method.edition(r.edition).ok_or_else(|| {
            CoreError::Store(StoreError::Corrupt(format!(
                "published scores of unknown edition {}",
                r.edition
            )))
        })?;
        let composites = edition.composites(&r.scores).map_err(|missing| {
            CoreError::Store(StoreError::Corrupt(format!(
                "{} {}: no score for {}",
                r.edition,
                r.iso3,
                missing.join(", ")
            )))
        })?;
        computed.push((r, composites));
    }
    let inputs: Vec<RankInput<'_>> = computed
        .iter()
        .map(|(r, c)| RankInput {
            continent: &r.continent,
            region: &r.region,
            criminality: c.criminality,
            markets: c.markets,
            actors: c.actors,
            resilience: c.resilience,
        })
        .collect();
    let ranks = rank_countries(&inputs);
    Ok(computed
        .into_iter()
        .zip(ranks)
        .map(|((r, composites), ranks)| CountryProfile {
            edition: r.edition,
            iso3: r.iso3,
            name: r.name,
            continent: r.continent,
            region: r.region,
            scores: r.scores,
            composites,
            ranks,
        })
        .collect())
}

/// The problem of a score as typed.
fn score_problem(e: ScoreError) -> Problem {
    match e {
        ScoreError::NotANumber => Problem::NotAScore,
        ScoreError::OutOfRange => Problem::ScoreOutOfRange {
            min: format!("{MIN_SCORE}"),
            max: format!("{MAX_SCORE}"),
        },
        ScoreError::NotHalfStep => Problem::ScoreStep,
    }
}

/// A validated assessment, ready to store.
struct ValidAssessment {
    scope: AssessmentScope,
    year: i32,
    edition: i32,
    scores: Vec<IndicatorScore>,
}

impl Nigehban {
    /// Authorise a principal: a user by the policy; the system (the command line on the server,
    /// the demo) acts as the operator and is always allowed.
    async fn allow(
        &self,
        by: &Principal,
        action: Action,
        name: &str,
        kind: &str,
        id: Option<String>,
    ) -> Result<(), CoreError> {
        if let Principal::User(actor) = by {
            self.authorize(actor, action, name, kind, id).await?;
        }
        Ok(())
    }

    /// Import the Index's published workbook: every edition it holds replaces the stored one, in
    /// one transaction, or, when any cell has a problem, nothing at all and every problem is
    /// returned with where it is. Importing the same scores again changes nothing and says so.
    pub async fn import_index(
        &self,
        by: &Principal,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<IndexImport, CoreError> {
        self.allow(
            by,
            Action::ScoreAssessments,
            "ocindex.import",
            "ocindex",
            None,
        )
        .await?;
        let sha256 = hex::encode(Sha256::digest(bytes));
        let m = method()?;
        let workbook = match read_workbook(m, file_name, bytes) {
            Ok(w) => w,
            Err(problems) => {
                self.store
                    .append_audit(
                        AuditDraft::new(by, "ocindex.import", "ocindex", None)
                            .outcome(crate::audit::Outcome::Failed)
                            .detail(json!({"file": file_name, "sha256": sha256, "problems": problems.len()})),
                    )
                    .await?;
                return Ok(IndexImport::Refused { problems });
            }
        };
        let mut rows = Vec::new();
        let mut editions = Vec::new();
        for e in &workbook.editions {
            editions.push((e.year, e.countries.len()));
            for c in &e.countries {
                rows.push(PublishedRow {
                    edition: e.year,
                    iso3: c.iso3.clone(),
                    name: c.name.clone(),
                    continent: c.continent.clone(),
                    region: c.region.clone(),
                    scores: c.scores.clone(),
                    published: c.published,
                });
            }
        }
        let record = IndexImportRecord {
            id: uuid::Uuid::now_v7().to_string(),
            file_name: file_name.to_string(),
            sha256: sha256.clone(),
            editions: editions.iter().map(|e| e.0).collect(),
            countries: rows.len(),
            by: match by {
                Principal::User(a) => Some(a.user_id),
                Principal::System { .. } => None,
            },
            at: Utc::now(),
        };
        let draft = AuditDraft::new(by, "ocindex.import", "ocindex", Some(record.id.clone()))
            .detail(json!({"file": file_name, "sha256": sha256, "editions": editions}));
        let applied = self.store.import_published(&rows, &record, draft).await?;
        Ok(IndexImport::Imported(IndexImportSummary {
            file_name: file_name.to_string(),
            sha256,
            editions,
            applied,
        }))
    }

    /// The editions of the Index held, oldest first.
    pub async fn index_editions(&self, by: &Principal) -> Result<Vec<EditionHeld>, CoreError> {
        self.allow(
            by,
            Action::ViewAssessments,
            "ocindex.editions",
            "ocindex",
            None,
        )
        .await?;
        Ok(self
            .store
            .published_editions()
            .await?
            .into_iter()
            .map(|(year, countries)| EditionHeld { year, countries })
            .collect())
    }

    async fn ranked(&self, edition: i32) -> Result<Vec<CountryProfile>, CoreError> {
        rank_profiles(self.store.published(edition).await?, method()?)
    }

    /// The countries of one edition whose name or ISO3 code contains `query` (all when empty),
    /// with composites and ranks, highest criminality first. Audited.
    pub async fn country_profiles(
        &self,
        by: &Principal,
        edition: i32,
        query: &str,
    ) -> Result<Vec<CountryProfile>, CoreError> {
        self.allow(
            by,
            Action::ViewAssessments,
            "ocindex.countries",
            "ocindex",
            None,
        )
        .await?;
        let q = nigehban_ocindex::normalise(query);
        let mut list: Vec<CountryProfile> = self
            .ranked(edition)
            .await?
            .into_iter()
            .filter(|p| {
                q.is_empty()
                    || nigehban_ocindex::normalise(&p.name).contains(&q)
                    || p.iso3.eq_ignore_ascii_case(q.trim())
            })
            .collect();
        list.sort_by(|a, b| {
            b.composites
                .criminality
                .cmp(&a.composites.criminality)
                .then_with(|| a.name.cmp(&b.name))
        });
        self.store
            .append_audit(
                AuditDraft::new(by, "ocindex.countries", "ocindex", None)
                    .detail(json!({"edition": edition, "shown": list.len()})),
            )
            .await?;
        Ok(list)
    }

    /// One country's profile in one edition (`NotFound` when that edition or country is not held).
    /// Audited.
    pub async fn country_profile(
        &self,
        by: &Principal,
        iso3: &str,
        edition: i32,
    ) -> Result<CountryProfile, CoreError> {
        let iso3 = iso3.trim().to_ascii_uppercase();
        self.allow(
            by,
            Action::ViewAssessments,
            "ocindex.profile",
            "country",
            Some(iso3.clone()),
        )
        .await?;
        let profile = self
            .ranked(edition)
            .await?
            .into_iter()
            .find(|p| p.iso3 == iso3)
            .ok_or(CoreError::NotFound)?;
        self.store
            .append_audit(
                AuditDraft::new(by, "ocindex.profile", "country", Some(iso3))
                    .detail(json!({"edition": edition})),
            )
            .await?;
        Ok(profile)
    }

    fn scope_names(&self, scope: &AssessmentScope) -> Option<(String, String, Option<String>)> {
        match scope.kind {
            ScopeKind::Province => self
                .refdata
                .province(&scope.code)
                .map(|p| (p.name_en.clone(), p.name_ur.clone(), None)),
            ScopeKind::District => self.refdata.district(&scope.code).map(|d| {
                (
                    d.name_en.clone(),
                    d.name_ur.clone(),
                    Some(d.province.clone()),
                )
            }),
        }
    }

    fn assessment_view(&self, record: AssessmentRecord) -> Result<AssessmentView, CoreError> {
        let corrupt = |what: String| CoreError::Store(StoreError::Corrupt(what));
        let edition = method()?.edition(record.edition).ok_or_else(|| {
            corrupt(format!(
                "assessment {}: edition {}",
                record.id, record.edition
            ))
        })?;
        let scores: Scores = record
            .scores
            .iter()
            .map(|s| (s.indicator.clone(), s.score))
            .collect();
        let composites = edition.composites(&scores).map_err(|m| {
            corrupt(format!(
                "assessment {}: no score for {}",
                record.id,
                m.join(", ")
            ))
        })?;
        let (scope_en, scope_ur, province) = self
            .scope_names(&record.scope)
            .unwrap_or_else(|| (record.scope.code.clone(), record.scope.code.clone(), None));
        Ok(AssessmentView {
            record,
            composites,
            scope_en,
            scope_ur,
            province,
        })
    }

    fn validate_assessment(
        &self,
        input: &AssessmentInput,
    ) -> Result<ValidAssessment, ValidationErrors> {
        let mut errs = ValidationErrors::new();
        let scope = if input.scope.trim().is_empty() {
            errs.add("scope", Problem::Required);
            None
        } else {
            match AssessmentScope::parse_key(&input.scope) {
                Some(s) if self.scope_names(&s).is_some() => Some(s),
                Some(s) if s.kind == ScopeKind::District => {
                    errs.add("scope", Problem::UnknownDistrict { value: s.code });
                    None
                }
                _ => {
                    errs.add(
                        "scope",
                        Problem::UnknownCode {
                            value: input.scope.trim().to_string(),
                        },
                    );
                    None
                }
            }
        };
        let this_year = today().year();
        let year = match input.year.trim() {
            "" => {
                errs.add("year", Problem::Required);
                None
            }
            t => match t.parse::<i32>() {
                Err(_) => {
                    errs.add("year", Problem::NotANumber);
                    None
                }
                Ok(y) if y < ASSESSMENT_YEAR_MIN => {
                    errs.add("year", Problem::DateTooOld);
                    None
                }
                Ok(y) if y > this_year + 1 => {
                    errs.add("year", Problem::DateInFuture);
                    None
                }
                Ok(y) => Some(y),
            },
        };
        let m = match method() {
            Ok(m) => m,
            Err(_) => {
                errs.add("edition", Problem::Required);
                return Err(errs);
            }
        };
        let edition: Option<&Edition> = match input.edition.trim() {
            "" => year.and_then(|y| m.edition_for(y)).or_else(|| m.latest()),
            t => {
                let e = t.parse::<i32>().ok().and_then(|y| m.edition(y));
                if e.is_none() {
                    errs.add(
                        "edition",
                        Problem::UnknownCode {
                            value: t.to_string(),
                        },
                    );
                }
                e
            }
        };
        let mut scores = Vec::new();
        if let Some(e) = edition {
            for i in e.indicators() {
                let raw = input.scores.get(&i.code).map(|s| s.trim()).unwrap_or("");
                let score = if raw.is_empty() {
                    errs.add(score_field(&i.code), Problem::Required);
                    None
                } else {
                    match Score::parse(raw) {
                        Ok(s) => Some(s),
                        Err(err) => {
                            errs.add(score_field(&i.code), score_problem(err));
                            None
                        }
                    }
                };
                let why = input
                    .justifications
                    .get(&i.code)
                    .map(|s| s.trim())
                    .unwrap_or("");
                if why.is_empty() {
                    errs.add(justification_field(&i.code), Problem::Required);
                } else if why.chars().count() > JUSTIFICATION_MAX {
                    errs.add(
                        justification_field(&i.code),
                        Problem::TooLong {
                            max: JUSTIFICATION_MAX,
                        },
                    );
                }
                if let Some(score) = score {
                    scores.push(IndicatorScore {
                        indicator: i.code.clone(),
                        score,
                        justification: why.to_string(),
                    });
                }
            }
        }
        match (scope, year, edition) {
            (Some(scope), Some(year), Some(e)) if errs.is_empty() => Ok(ValidAssessment {
                scope,
                year,
                edition: e.year,
                scores,
            }),
            _ => Err(errs),
        }
    }

    /// Score a province or district (new, or an edit of `id` at `input.version`): every indicator
    /// of the edition from 1 to 10 in half points, each with its justification. One assessment per
    /// agency, place and year. Every problem is reported with its field.
    pub async fn save_assessment(
        &self,
        actor: &Actor,
        id: Option<&str>,
        input: &AssessmentInput,
    ) -> Result<AssessmentView, CoreError> {
        let action = if id.is_some() {
            "ocindex.assessment.update"
        } else {
            "ocindex.assessment.create"
        };
        let scope = self
            .authorize(
                actor,
                Action::ScoreAssessments,
                action,
                "assessment",
                id.map(str::to_string),
            )
            .await?;
        // An edit: the assessment must be the agency's own (else it is not found).
        let existing = match id {
            Some(id) => Some(self.own_assessment(actor, &scope, id, action).await?),
            None => None,
        };
        let valid = self.validate_assessment(input)?;
        let new = NewAssessment {
            id: existing
                .as_ref()
                .map(|e| e.id.clone())
                .unwrap_or_else(|| uuid::Uuid::now_v7().to_string()),
            agency: scope.agency.clone(),
            scope: valid.scope,
            year: valid.year,
            edition: valid.edition,
            scores: valid.scores,
            by: actor.user_id,
            at: Utc::now(),
        };
        let scores: Scores = new
            .scores
            .iter()
            .map(|s| (s.indicator.clone(), s.score))
            .collect();
        let composites = method()?
            .edition(new.edition)
            .and_then(|e| e.composites(&scores).ok());
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            action,
            "assessment",
            Some(new.id.clone()),
        )
        .detail(json!({
            "scope": new.scope.key(),
            "year": new.year,
            "edition": new.edition,
            "composites": composites,
            "before": existing.as_ref().map(|e| json!({"year": e.year, "edition": e.edition, "scope": e.scope.key()})),
        }));
        // An edit is checked against the version the officer read; without one (an API client
        // that did not read first) it applies to the version just loaded.
        let expected = match (&existing, input.version) {
            (Some(_), Some(v)) => Some(v),
            (Some(e), None) => Some(e.version),
            (None, _) => None,
        };
        match self.store.save_assessment(&new, expected, draft).await {
            Ok(()) => {}
            Err(StoreError::Conflict(_)) => {
                let place = self
                    .scope_names(&new.scope)
                    .map(|n| n.0)
                    .unwrap_or_else(|| new.scope.code.clone());
                return Err(ValidationErrors::single(
                    "year",
                    Problem::Duplicate {
                        value: format!("{place} {}", new.year),
                    },
                )
                .into());
            }
            Err(StoreError::Stale(what)) => return Err(CoreError::Conflict(what)),
            Err(e) => return Err(e.into()),
        }
        let record = self
            .store
            .assessment(&new.id)
            .await?
            .ok_or(CoreError::NotFound)?;
        self.assessment_view(record)
    }

    /// An assessment of the actor's agency; another agency's, or none, is `NotFound` and the
    /// attempt is audited as denied under `action`.
    async fn own_assessment(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: &str,
        action: &str,
    ) -> Result<AssessmentRecord, CoreError> {
        match self.store.assessment(id).await? {
            Some(r) if r.agency == scope.agency => Ok(r),
            _ => Err(self
                .deny(
                    actor,
                    action,
                    "assessment",
                    Some(id.to_string()),
                    CoreError::NotFound,
                )
                .await),
        }
    }

    /// One assessment of the actor's agency, with its composites. Audited.
    pub async fn assessment(&self, actor: &Actor, id: &str) -> Result<AssessmentView, CoreError> {
        let action = "ocindex.assessment.view";
        let scope = self
            .authorize(
                actor,
                Action::ViewAssessments,
                action,
                "assessment",
                Some(id.to_string()),
            )
            .await?;
        let record = self.own_assessment(actor, &scope, id, action).await?;
        let view = self.assessment_view(record)?;
        self.store
            .append_audit(AuditDraft::new(
                &Principal::User(actor.clone()),
                action,
                "assessment",
                Some(id.to_string()),
            ))
            .await?;
        Ok(view)
    }

    /// The agency's assessments, of one place when `scope` (`district:gujrat`) is given, by place
    /// then year. Audited.
    pub async fn assessments(
        &self,
        actor: &Actor,
        scope_key: Option<&str>,
    ) -> Result<Vec<AssessmentView>, CoreError> {
        let action = "ocindex.assessment.list";
        let scope = self
            .authorize(actor, Action::ViewAssessments, action, "assessment", None)
            .await?;
        let filter = match scope_key.map(str::trim).filter(|k| !k.is_empty()) {
            Some(k) => Some(AssessmentScope::parse_key(k).ok_or_else(|| {
                ValidationErrors::single(
                    "scope",
                    Problem::UnknownCode {
                        value: k.to_string(),
                    },
                )
            })?),
            None => None,
        };
        let views = self
            .store
            .assessments(&scope.agency, filter.as_ref())
            .await?
            .into_iter()
            .map(|r| self.assessment_view(r))
            .collect::<Result<Vec<_>, _>>()?;
        self.store
            .append_audit(
                AuditDraft::new(&Principal::User(actor.clone()), action, "assessment", None)
                    .detail(json!({"scope": filter.map(|f| f.key()), "shown": views.len()})),
            )
            .await?;
        Ok(views)
    }

    /// Several assessments of the actor's agency side by side, in the order asked (at most
    /// [`COMPARE_MAX`]; an id of another agency is `NotFound`). Audited.
    pub async fn compare_assessments(
        &self,
        actor: &Actor,
        ids: &[String],
    ) -> Result<Vec<AssessmentView>, CoreError> {
        let action = "ocindex.assessment.compare";
        let scope = self
            .authorize(actor, Action::ViewAssessments, action, "assessment", None)
            .await?;
        let mut seen = std::collections::BTreeSet::new();
        let ids: Vec<&String> = ids
            .iter()
            .filter(|i| !i.trim().is_empty() && seen.insert(i.trim().to_string()))
            .collect();
        if ids.len() > COMPARE_MAX {
            return Err(ValidationErrors::single(
                "ids",
                Problem::TooLarge {
                    max: COMPARE_MAX.to_string(),
                },
            )
            .into());
        }
        let mut views = Vec::with_capacity(ids.len());
        for id in &ids {
            let r = self
                .own_assessment(actor, &scope, id.trim(), action)
                .await?;
            views.push(self.assessment_view(r)?);
        }
        self.store
            .append_audit(
                AuditDraft::new(&Principal::User(actor.clone()), action, "assessment", None)
                    .detail(json!({"ids": ids})),
            )
            .await?;
        Ok(views)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_keys_read_both_ways() {
        let s = AssessmentScope::parse_key(" district:gujrat ").unwrap();
        assert_eq!(s.kind, ScopeKind::District);
        assert_eq!(s.key(), "district:gujrat");
        assert!(AssessmentScope::parse_key("province:").is_none());
        assert!(AssessmentScope::parse_key("tehsil:x").is_none());
        assert!(AssessmentScope::parse_key("PB").is_none());
    }

    #[test]
    fn score_problems_name_the_scale() {
        assert_eq!(
            score_problem(ScoreError::OutOfRange),
            Problem::ScoreOutOfRange {
                min: "1".into(),
                max: "10".into()
            }
        );
        assert_eq!(score_problem(ScoreError::NotHalfStep), Problem::ScoreStep);
    }
}
