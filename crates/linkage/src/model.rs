//! The Fellegi-Sunter model: for each field and comparison level the probabilities m (same
//! person) and u (different persons), the prior probability λ that two records are the same
//! person, term frequencies, and the scoring of pairs with an explanation of every score.

use crate::compare::LevelDef;
use crate::record::PreparedRecord;
use crate::schema::{FieldKind, Schema};
use crate::value::Value;
use crate::LinkageError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The version of the model format written by `to_json`.
pub const MODEL_FORMAT: u32 = 1;

/// A term-frequency adjustment never lowers a match's weight by more than this (bits)...
pub const TF_MAX_DOWN: f64 = -10.0;
/// ... nor raises it by more than this: a rare value is good evidence, but counts of rare
/// values are noisy.
pub const TF_MAX_UP: f64 = 4.0;

const PRIORS_TOML: &str = include_str!("../data/priors.toml");
const PERSON_MODEL_JSON: &str = include_str!("../data/person_model.json");

/// m and u of one comparison level.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelParams {
    /// The level's code (`FieldKind::levels`).
    pub code: String,
    /// Probability of the level for two records of the same person.
    pub m: f64,
    /// Probability of the level for two records of different persons.
    pub u: f64,
    /// Probability of the level for two records of related persons (same household: brothers,
    /// sisters, husband and wife), for the fields a household shares (family name, parentage,
    /// phone, address, place). `None` where related persons are as unlike as any two persons.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub h: Option<f64>,
}

impl LevelParams {
    /// The Bayes factor m / u.
    pub fn bayes_factor(&self) -> f64 {
        self.m / self.u
    }

    /// The match weight log2(m / u).
    pub fn weight(&self) -> f64 {
        (self.m / self.u).log2()
    }

    /// log2(h / u): how much likelier the level is for related persons than for any two
    /// (0 without h).
    pub fn related_weight(&self) -> f64 {
        self.h.map_or(0.0, |h| (h / self.u).log2())
    }
}

/// How often each value of a field occurs, for term-frequency adjustment: a match on a value
/// many records share ("Muhammad Ali") counts for less than a match on a rare one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TfTable {
    /// Records with a value in the field when the table was made.
    pub records: u64,
    /// Records per value (the comparison key: canonical name, code, folded words), for the
    /// values held by at least two records, most frequent first, at most `Settings::tf_values`.
    pub counts: BTreeMap<String, u64>,
    /// The count assumed for a value not in `counts`: 1, or the smallest count kept when the
    /// table was cut.
    pub floor: u64,
}

impl TfTable {
    /// The share of records holding a value.
    pub fn frequency(&self, key: &str) -> f64 {
        let c = self.counts.get(key).copied().unwrap_or(self.floor).max(1);
        c as f64 / (self.records.max(1)) as f64
    }
}

/// The parameters of one field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldModel {
    pub field: String,
    pub kind: FieldKind,
    /// One entry per level of the kind, in order.
    pub levels: Vec<LevelParams>,
    /// Term frequencies, for the levels marked `tf` (exact and normalised agreement).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tf: Option<TfTable>,
}

impl FieldModel {
    /// The u of agreeing on the value itself (the sum over the levels adjusted by term
    /// frequency): what the frequency of one value is compared with.
    pub fn u_agree(&self) -> f64 {
        self.kind
            .levels()
            .iter()
            .zip(&self.levels)
            .filter(|(d, _)| d.tf)
            .map(|(_, p)| p.u)
            .sum()
    }
}

/// What was learnt from, when a model was trained.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingSummary {
    pub records: u64,
    /// Candidate pairs compared (after blocking).
    pub comparisons: u64,
    /// Random pairs u was estimated from.
    pub u_pairs: u64,
    pub em_iterations: u32,
    pub em_converged: bool,
    /// Labelled pairs used (matches, non-matches).
    pub labelled_matches: u64,
    pub labelled_non_matches: u64,
    pub seed: u64,
}

/// A trained (or built-in) Fellegi-Sunter model. Serialisable with serde (`to_json`,
/// `from_json`), so that it can be stored and used later to score single pairs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// `MODEL_FORMAT`.
    pub format: u32,
    pub schema: Schema,
    /// λ: the probability that two records picked at random are the same person.
    pub lambda: f64,
    /// The probability that two records picked at random are of related persons (another
    /// person of the same household), when the model has that class (see `LevelParams::h`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub related_lambda: Option<f64>,
    /// One per field of the schema, in order.
    pub fields: Vec<FieldModel>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub training: Option<TrainingSummary>,
    /// Where the model comes from, for people.
    #[serde(default)]
    pub source: String,
}

/// One field's part in a score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldExplanation {
    pub field: String,
    pub kind: FieldKind,
    /// The level reached (its code), or `None` when either value is missing (no evidence).
    pub level: Option<String>,
    /// What the level means, for people.
    pub description: String,
    pub m: Option<f64>,
    pub u: Option<f64>,
    /// m / u (1 when missing), before the term-frequency adjustment.
    pub bayes_factor: f64,
    /// log2 of the Bayes factor plus the term-frequency adjustment: this field's part of the
    /// match weight.
    pub weight: f64,
    /// Bits added (or, for common values, taken away) for how common the agreed value is.
    pub tf_adjustment: f64,
    /// The share of records holding the agreed value, when adjusted.
    pub value_frequency: Option<f64>,
    /// log2(h / u) plus the term-frequency adjustment: how much this field makes the two
    /// records look like related persons rather than any two (0 for fields that tell persons
    /// apart). Enters `Scored::related_adjustment`, not `weight`.
    #[serde(default)]
    pub related_weight: f64,
}

/// A scored pair: the probability that both records are the same person, the match weight
/// (log2 of the odds) and every field's part in it. `prior_weight` plus the fields' `weight`s
/// plus `related_adjustment` is `match_weight`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scored {
    pub probability: f64,
    pub match_weight: f64,
    /// log2(λ / λ_unrelated): the weight before any field is compared.
    pub prior_weight: f64,
    pub fields: Vec<FieldExplanation>,
    /// At most 0: the bits taken away because the records may be of two related persons
    /// (brothers sharing a father, a family name, a phone and a district), in a model with
    /// that class: -log2(1 + odds of related against unrelated).
    #[serde(default)]
    pub related_adjustment: f64,
}

/// The probability of a match weight (log2 odds).
pub fn probability_of(weight: f64) -> f64 {
    1.0 / (1.0 + (-weight).exp2())
}

/// The match weight (log2 odds) of a probability.
pub fn weight_of(probability: f64) -> f64 {
    let p = probability.clamp(1e-300, 1.0 - 1e-16);
    (p / (1.0 - p)).log2()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PriorEntry {
    levels: Vec<String>,
    m: Vec<f64>,
    u: Vec<f64>,
}

/// Starting parameters of every kind (`data/priors.toml`), checked.
pub(crate) fn priors() -> Result<BTreeMap<FieldKind, Vec<LevelParams>>, LinkageError> {
    let raw: BTreeMap<String, PriorEntry> = toml::from_str(PRIORS_TOML)
        .map_err(|e| LinkageError::Invalid(vec![format!("priors.toml: {e}")]))?;
    let mut problems = Vec::new();
    let mut out = BTreeMap::new();
    for (name, entry) in &raw {
        let Some(kind) = FieldKind::parse(name) else {
            problems.push(format!("priors.toml: [{name}] is not a kind of field"));
            continue;
        };
        let want: Vec<&str> = kind.levels().iter().map(|l| l.code).collect();
        if entry.levels != want {
            problems.push(format!(
                "priors.toml: [{name}] levels {:?} are not the kind's levels {want:?}",
                entry.levels
            ));
            continue;
        }
        for (what, v) in [("m", &entry.m), ("u", &entry.u)] {
            if v.len() != want.len() {
                problems.push(format!(
                    "priors.toml: [{name}] {what} has {} values for {} levels",
                    v.len(),
                    want.len()
                ));
            } else if v.iter().any(|x| !(*x > 0.0 && *x < 1.0)) {
                problems.push(format!(
                    "priors.toml: [{name}] {what} has a value outside (0, 1)"
                ));
            } else if (v.iter().sum::<f64>() - 1.0).abs() > 1e-3 {
                problems.push(format!(
                    "priors.toml: [{name}] {what} sums to {}, not 1",
                    v.iter().sum::<f64>()
                ));
            }
        }
        let params = want
            .iter()
            .zip(entry.m.iter().zip(&entry.u))
            .map(|(code, (m, u))| LevelParams {
                code: (*code).to_string(),
                m: *m,
                u: *u,
                h: None,
            })
            .collect();
        out.insert(kind, params);
    }
    for kind in FieldKind::ALL {
        if !out.contains_key(&kind) && !problems.iter().any(|p| p.contains(kind.as_str())) {
            problems.push(format!("priors.toml: no [{kind}] section"));
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(LinkageError::Invalid(problems))
    }
}

impl Model {
    /// A model of the schema with the starting parameters of `data/priors.toml` and a given λ:
    /// usable before any training, if crudely.
    pub fn from_priors(schema: &Schema, lambda: f64) -> Result<Model, LinkageError> {
        let priors = priors()?;
        let fields = schema
            .fields()
            .iter()
            .map(|f| FieldModel {
                field: f.name.clone(),
                kind: f.kind,
                levels: priors.get(&f.kind).cloned().unwrap_or_default(),
                tf: None,
            })
            .collect();
        let model = Model {
            format: MODEL_FORMAT,
            schema: schema.clone(),
            lambda,
            related_lambda: None,
            fields,
            training: None,
            source: "priors".to_string(),
        };
        model.check()?;
        Ok(model)
    }

    /// The built-in model of persons (`data/person_model.json`, fields of `Schema::person`:
    /// name, parentage, date_of_birth, cnic, passport, phone), for scoring new persons as they
    /// arrive before any model was trained on the register. Its λ is that of a register of
    /// about twenty thousand persons; use `with_lambda` for another size.
    pub fn default_person() -> Result<Model, LinkageError> {
        let m = Model::from_json(PERSON_MODEL_JSON)
            .map_err(|e| LinkageError::Invalid(vec![format!("person_model.json: {e}")]))?;
        if m.schema != Schema::person() {
            return Err(LinkageError::Invalid(vec![
                "person_model.json: its fields are not those of Schema::person".into(),
            ]));
        }
        Ok(m)
    }

    /// Reads a model written by `to_json`, checking it.
    pub fn from_json(text: &str) -> Result<Model, LinkageError> {
        let m: Model = serde_json::from_str(text)
            .map_err(|e| LinkageError::Invalid(vec![format!("not a linkage model: {e}")]))?;
        m.check()?;
        Ok(m)
    }

    /// The model as JSON (stable field order; the same model gives the same text).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The same model with another prior λ (the probability that two records picked at random
    /// are the same person; smaller for larger registers).
    pub fn with_lambda(mut self, lambda: f64) -> Result<Model, LinkageError> {
        self.lambda = lambda;
        self.check()?;
        Ok(self)
    }

    /// Checks that the model is usable: the format, one field model per schema field with the
    /// kind's levels, probabilities in (0, 1], λ in (0, 1). Every problem is listed.
    pub fn check(&self) -> Result<(), LinkageError> {
        let mut problems = Vec::new();
        if self.format != MODEL_FORMAT {
            problems.push(format!(
                "model format {} (this version reads {MODEL_FORMAT})",
                self.format
            ));
        }
        if !(self.lambda > 0.0 && self.lambda < 1.0) {
            problems.push(format!("lambda {} is not in (0, 1)", self.lambda));
        }
        if let Some(r) = self.related_lambda {
            if !(r > 0.0 && r < 1.0 && self.lambda + r < 1.0) {
                problems.push(format!("related_lambda {r} is not in (0, 1 - lambda)"));
            }
        }
        if self.fields.len() != self.schema.len() {
            problems.push(format!(
                "{} field models for {} fields",
                self.fields.len(),
                self.schema.len()
            ));
        }
        for (spec, fm) in self.schema.fields().iter().zip(&self.fields) {
            if spec.name != fm.field || spec.kind != fm.kind {
                problems.push(format!(
                    "field model `{}` ({}) does not match schema field `{}` ({})",
                    fm.field, fm.kind, spec.name, spec.kind
                ));
            }
            let want: Vec<&str> = fm.kind.levels().iter().map(|l| l.code).collect();
            let have: Vec<&str> = fm.levels.iter().map(|l| l.code.as_str()).collect();
            if want != have {
                problems.push(format!(
                    "field `{}`: levels {have:?}, expected {want:?}",
                    fm.field
                ));
            }
            for l in &fm.levels {
                if !(l.m > 0.0 && l.m <= 1.0 && l.u > 0.0 && l.u <= 1.0) {
                    problems.push(format!(
                        "field `{}` level `{}`: m {} and u {} must be in (0, 1]",
                        fm.field, l.code, l.m, l.u
                    ));
                }
                if l.h.is_some_and(|h| !(h > 0.0 && h <= 1.0)) {
                    problems.push(format!(
                        "field `{}` level `{}`: h must be in (0, 1]",
                        fm.field, l.code
                    ));
                }
            }
            let with_h = fm.levels.iter().filter(|l| l.h.is_some()).count();
            if with_h != 0 && (with_h != fm.levels.len() || self.related_lambda.is_none()) {
                problems.push(format!(
                    "field `{}`: h given for some levels only, or without related_lambda",
                    fm.field
                ));
            }
            if let Some(tf) = &fm.tf {
                if tf.records == 0 || tf.floor == 0 || tf.counts.values().any(|c| *c == 0) {
                    problems.push(format!(
                        "field `{}`: term-frequency table with zero counts",
                        fm.field
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(LinkageError::Invalid(problems))
        }
    }

    /// The probability that two records picked at random are of two unrelated persons.
    fn lambda_unrelated(&self) -> f64 {
        (1.0 - self.lambda - self.related_lambda.unwrap_or(0.0)).max(f64::MIN_POSITIVE)
    }

    /// log2(λ / λ_unrelated) (λ_unrelated = 1 - λ without a related class): the match weight
    /// of two records before any field is compared.
    pub fn prior_weight(&self) -> f64 {
        (self.lambda / self.lambda_unrelated()).log2()
    }

    /// log2(λ_related / λ_unrelated), for a model with a related class.
    pub fn related_prior_weight(&self) -> Option<f64> {
        self.related_lambda
            .map(|r| (r / self.lambda_unrelated()).log2())
    }

    /// Reads one record's texts in the order of the model's fields (`Schema::prepare`).
    pub fn prepare(&self, names: &nigehban_names::NameTables, texts: &[&str]) -> PreparedRecord {
        self.schema.prepare(names, texts)
    }

    /// Scores a pair of records prepared with this model's schema (`Schema::prepare`),
    /// explaining every field's part.
    pub fn score(&self, a: &PreparedRecord, b: &PreparedRecord) -> Scored {
        let levels = self.schema.levels(a, b);
        let prior_weight = self.prior_weight();
        let mut total = prior_weight;
        let mut related = self.related_prior_weight();
        let mut fields = Vec::with_capacity(self.fields.len());
        for (f, (fm, level)) in self.fields.iter().zip(&levels).enumerate() {
            let def: Option<&LevelDef> = (*level > 0)
                .then(|| fm.kind.levels().get(usize::from(*level - 1)))
                .flatten();
            let params = (*level > 0)
                .then(|| fm.levels.get(usize::from(*level - 1)))
                .flatten();
            let (Some(def), Some(params)) = (def, params) else {
                let present = |r: &PreparedRecord| r.value(f).is_some_and(Value::is_present);
                let swapped = self
                    .schema
                    .partner(f)
                    .is_some_and(|p| levels.get(p).copied() == fm_level(self, p, "swapped"));
                let description = if swapped && (present(a) || present(b)) {
                    "compared with the given name (the names are in each other's columns)"
                } else {
                    "missing in one record or both"
                };
                fields.push(FieldExplanation {
                    field: fm.field.clone(),
                    kind: fm.kind,
                    level: None,
                    description: description.to_string(),
                    m: None,
                    u: None,
                    bayes_factor: 1.0,
                    weight: 0.0,
                    tf_adjustment: 0.0,
                    value_frequency: None,
                    related_weight: 0.0,
                });
                continue;
            };
            let mut tf_adjustment = 0.0;
            let mut value_frequency = None;
            if def.tf {
                let key = a.value(f).and_then(Value::tf_key);
                if let (Some(tf), Some(key)) = (&fm.tf, key) {
                    let freq = tf.frequency(key);
                    tf_adjustment = tf_adjust(fm.u_agree(), freq);
                    value_frequency = Some(freq);
                }
            }
            let weight = params.weight() + tf_adjustment;
            let related_weight = if params.h.is_some() {
                params.related_weight() + tf_adjustment
            } else {
                0.0
            };
            total += weight;
            if let Some(r) = related.as_mut() {
                *r += related_weight;
            }
            fields.push(FieldExplanation {
                field: fm.field.clone(),
                kind: fm.kind,
                level: Some(def.code.to_string()),
                description: def.description.to_string(),
                m: Some(params.m),
                u: Some(params.u),
                bayes_factor: params.bayes_factor(),
                weight,
                tf_adjustment,
                value_frequency,
                related_weight,
            });
        }
        let related_adjustment = related.map_or(0.0, related_adjustment);
        total += related_adjustment;
        Scored {
            probability: probability_of(total),
            match_weight: total,
            prior_weight,
            fields,
            related_adjustment,
        }
    }
}

/// The level number of a level code of field `f`, if the field has that level.
fn fm_level(model: &Model, f: usize, code: &str) -> Option<u8> {
    model
        .fields
        .get(f)
        .and_then(|fm| fm.kind.level_number(code))
}

/// -log2(1 + 2^x): the bits a match loses when the odds of "related" against "unrelated" are
/// 2^x (the match weight is against both).
pub(crate) fn related_adjustment(x: f64) -> f64 {
    if x > 60.0 {
        -x
    } else {
        -(x.exp2().ln_1p() / std::f64::consts::LN_2)
    }
}

/// The term-frequency adjustment (bits) of agreeing on a value of frequency `freq` in a field
/// whose agreement has probability `u_agree` among random pairs.
pub(crate) fn tf_adjust(u_agree: f64, freq: f64) -> f64 {
    if u_agree <= 0.0 || freq <= 0.0 {
        return 0.0;
    }
    (u_agree / freq).log2().clamp(TF_MAX_DOWN, TF_MAX_UP)
}

/// Weights of a model laid out for scoring many pairs quickly.
pub(crate) struct Weights {
    pub prior: f64,
    /// Per field, per level (index 0 = missing = 0 bits).
    pub level: Vec<Vec<f64>>,
    /// Per field, per level: whether the level is adjusted by term frequency.
    pub tf_level: Vec<Vec<bool>>,
    pub u_agree: Vec<f64>,
    /// log2(λ_related / λ_unrelated), with a related class.
    pub related_prior: Option<f64>,
    /// Per field, per level: log2(h / u) (0 where the field has no h).
    pub related_level: Vec<Vec<f64>>,
    /// Per field: whether it has h (its term-frequency adjustment enters the related odds).
    pub related_field: Vec<bool>,
}

impl Weights {
    pub fn of(model: &Model) -> Weights {
        let level = model
            .fields
            .iter()
            .map(|fm| {
                std::iter::once(0.0)
                    .chain(fm.levels.iter().map(LevelParams::weight))
                    .collect()
            })
            .collect();
        let tf_level = model
            .fields
            .iter()
            .map(|fm| {
                std::iter::once(false)
                    .chain(fm.kind.levels().iter().map(|d| d.tf && fm.tf.is_some()))
                    .collect()
            })
            .collect();
        let related_level = model
            .fields
            .iter()
            .map(|fm| {
                std::iter::once(0.0)
                    .chain(fm.levels.iter().map(LevelParams::related_weight))
                    .collect()
            })
            .collect();
        Weights {
            prior: model.prior_weight(),
            level,
            tf_level,
            u_agree: model.fields.iter().map(FieldModel::u_agree).collect(),
            related_prior: model.related_prior_weight(),
            related_level,
            related_field: model
                .fields
                .iter()
                .map(|fm| fm.levels.iter().any(|l| l.h.is_some()))
                .collect(),
        }
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;

    #[test]
    fn priors_are_valid_for_every_kind() {
        let p = priors().unwrap();
        assert_eq!(p.len(), FieldKind::ALL.len());
    }

    #[test]
    fn the_default_person_model_loads() {
        let m = Model::default_person().unwrap();
        assert_eq!(m.schema, Schema::person());
        let again = Model::from_json(&m.to_json()).unwrap();
        assert_eq!(again, m);
    }

    #[test]
    fn probability_and_weight_are_inverse() {
        for p in [0.001, 0.5, 0.9, 0.999] {
            assert!((probability_of(weight_of(p)) - p).abs() < 1e-9);
        }
    }
}
