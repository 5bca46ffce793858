//! Nigehban's persons through the linkage engine (`nigehban-linkage`): a stored person becomes a
//! record of the engine's person schema (name, parentage, date of birth, CNIC, passport, phone),
//! arrivals are scored with the built-in person model, and a sweep trains a model on the
//! agency's own persons (EM, without labels) and links them all.

use crate::linkage_store::{FieldAgreement, LinkagePerson};
use nigehban_domain::error::Problem;
use nigehban_domain::identifiers::IdentifierKind;
use nigehban_linkage::{
    FieldExplanation, Linker, Mode, Model, PersonValues, Progress, Schema, Settings, Stage,
};
use nigehban_names::NameTables;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

/// Pairs at least this probable go to the analysts' queue. Lower than a certain match: the
/// queue is for people to decide, and a missed duplicate costs more than a rejected one.
pub const REVIEW_THRESHOLD: f64 = 0.8;
/// A sweep's random sample (u) and EM are seeded: the same records give the same queue.
pub const SWEEP_SEED: u64 = 20_260_101;

/// A pair's score with its explanation.
#[derive(Debug, Clone)]
pub struct Scored {
    pub probability: f64,
    pub match_weight: f64,
    pub explanation: Vec<FieldAgreement>,
}

/// The pairs a sweep found (indexes into the persons given) and how many it compared.
#[derive(Debug, Clone, Default)]
pub struct SweepRun {
    pub pairs: Vec<(usize, usize, Scored)>,
    pub comparisons: u64,
}

struct Texts {
    name: String,
    parentage: String,
    dob: String,
    cnic: String,
    passport: String,
    phone: String,
}

fn identifier(p: &LinkagePerson, kind: IdentifierKind) -> String {
    p.identifiers
        .iter()
        .find(|i| i.kind == kind)
        .map(|i| i.value.clone())
        .unwrap_or_default()
}

fn texts(p: &LinkagePerson) -> Texts {
    Texts {
        // One text per field: the Roman spelling when there is one (Urdu-only records are
        // transliterated by the engine).
        name: p
            .name_roman
            .clone()
            .or_else(|| p.name_urdu.clone())
            .unwrap_or_default(),
        parentage: p
            .parentage_roman
            .clone()
            .or_else(|| p.parentage_urdu.clone())
            .unwrap_or_default(),
        dob: p.dob.map(|d| d.to_string()).unwrap_or_default(),
        cnic: identifier(p, IdentifierKind::Cnic),
        passport: identifier(p, IdentifierKind::Passport),
        phone: identifier(p, IdentifierKind::Phone),
    }
}

impl Texts {
    fn values(&self) -> PersonValues<'_> {
        PersonValues {
            name: &self.name,
            parentage: &self.parentage,
            date_of_birth: &self.dob,
            cnic: &self.cnic,
            passport: &self.passport,
            phone: &self.phone,
        }
    }
    fn get(&self, field: usize) -> &str {
        match field {
            0 => &self.name,
            1 => &self.parentage,
            2 => &self.dob,
            3 => &self.cnic,
            4 => &self.passport,
            5 => &self.phone,
            _ => "",
        }
    }
}

fn default_model() -> Option<&'static Model> {
    static MODEL: OnceLock<Option<Model>> = OnceLock::new();
    MODEL
        .get_or_init(|| match Model::default_person() {
            Ok(m) => Some(m),
            Err(e) => {
                tracing::error!(error = %e, "the built-in person model does not load");
                None
            }
        })
        .as_ref()
}

fn explanation(fields: &[FieldExplanation]) -> Vec<FieldAgreement> {
    fields
        .iter()
        .filter_map(|f| {
            Some(FieldAgreement {
                field: f.field.clone(),
                level: f.level.clone()?,
                weight: (f.weight * 100.0).round() / 100.0,
            })
        })
        .collect()
}

/// Both sexes recorded, and not the same: never one person (the engine compares no sex field).
fn different_sex(a: &LinkagePerson, b: &LinkagePerson) -> bool {
    use nigehban_domain::person::Sex;
    matches!(
        (a.sex, b.sex),
        (Sex::Male, Sex::Female) | (Sex::Female, Sex::Male)
    )
}

/// Two persons scored with the built-in person model (no training needed). Persons of
/// different recorded sex, when both are known, are never the same.
pub fn score(names: &NameTables, a: &LinkagePerson, b: &LinkagePerson) -> Scored {
    let never = Scored {
        probability: 0.0,
        match_weight: f64::NEG_INFINITY,
        explanation: Vec::new(),
    };
    if different_sex(a, b) {
        return never;
    }
    let Some(model) = default_model() else {
        return never;
    };
    let (ta, tb) = (texts(a), texts(b));
    let s = model.score(&ta.values().prepare(names), &tb.values().prepare(names));
    Scored {
        probability: s.probability,
        match_weight: s.match_weight,
        explanation: explanation(&s.fields),
    }
}

/// Progress of a sweep, as (stage, units done) to the caller's function.
struct SweepProgress<'a> {
    report: &'a (dyn Fn(&str, usize) + Send + Sync),
    stage: std::sync::Mutex<&'static str>,
    done: AtomicU64,
}

impl Progress for SweepProgress<'_> {
    fn stage(&self, stage: Stage, _total: u64) {
        if let Ok(mut s) = self.stage.lock() {
            *s = stage.as_str();
        }
        self.done.store(0, Ordering::Relaxed);
        (self.report)(stage.as_str(), 0);
    }
    fn advance(&self, n: u64) {
        let done = self.done.fetch_add(n, Ordering::Relaxed) + n;
        let stage = self.stage.lock().map(|s| *s).unwrap_or("linking");
        (self.report)(stage, usize::try_from(done).unwrap_or(usize::MAX));
    }
}

/// Train a model on these persons without labels and find the likely duplicates among them.
pub fn sweep(
    names: &NameTables,
    persons: &[LinkagePerson],
    report: &(dyn Fn(&str, usize) + Send + Sync),
) -> Result<SweepRun, Problem> {
    if persons.len() < 2 {
        return Ok(SweepRun::default());
    }
    let texts: Vec<Texts> = persons.iter().map(texts).collect();
    let settings = Settings {
        seed: SWEEP_SEED,
        threshold: REVIEW_THRESHOLD,
        ..Settings::default()
    };
    let linker = Linker::new(names, Schema::person(), settings);
    let progress = SweepProgress {
        report,
        stage: std::sync::Mutex::new("preparing"),
        done: AtomicU64::new(0),
    };
    let data = linker.prepare(
        texts.len(),
        |r, f| texts.get(r).map(|t| t.get(f)).unwrap_or(""),
        &progress,
    );
    let outcome = linker
        .run(&data, Mode::Dedupe, &[], &progress)
        .map_err(|e| Problem::UnknownCode {
            value: e.to_string(),
        })?;
    let mut pairs = Vec::with_capacity(outcome.pairs.len());
    for p in &outcome.pairs {
        let (a, b) = (p.a as usize, p.b as usize);
        let (Some(pa), Some(pb)) = (persons.get(a), persons.get(b)) else {
            continue;
        };
        if different_sex(pa, pb) {
            continue;
        }
        let s = outcome.model.score(&data.record(a), &data.record(b));
        pairs.push((
            a,
            b,
            Scored {
                probability: p.probability,
                match_weight: p.match_weight,
                explanation: explanation(&s.fields),
            },
        ));
    }
    Ok(SweepRun {
        pairs,
        comparisons: outcome.stats.blocking.pairs,
    })
}
