//! The whole run: blocking, u from random pairs, m and λ by expectation maximisation, term
//! frequencies, scoring and clustering.

use crate::blocking::{self, BlockingRule, BlockingStats, Mode};
use crate::cluster::{cluster, Clusters, Link};
use crate::model::{
    priors, probability_of, related_adjustment, tf_adjust, FieldModel, LevelParams, Model, TfTable,
    TrainingSummary, Weights, MODEL_FORMAT,
};
use crate::parallel::{default_threads, map_ranges};
use crate::record::{level_of, Dataset};
use crate::schema::Schema;
use crate::LinkageError;
use nigehban_names::NameTables;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};

/// The stages of a run, for progress reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Stage {
    Preparing,
    Blocking,
    EstimatingU,
    Comparing,
    Training,
    Scoring,
    Clustering,
    /// After the engine: writing the results (for callers' progress reports).
    Writing,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Preparing => "preparing",
            Stage::Blocking => "blocking",
            Stage::EstimatingU => "estimating u",
            Stage::Comparing => "comparing",
            Stage::Training => "EM",
            Stage::Scoring => "scoring",
            Stage::Clustering => "clustering",
            Stage::Writing => "writing",
        }
    }
}

/// Where a run reports its progress (a progress bar, or nothing).
pub trait Progress: Sync {
    /// A stage starts with `total` units of work.
    fn stage(&self, stage: Stage, total: u64);
    /// `n` more units of the current stage are done.
    fn advance(&self, n: u64);
}

/// Progress reported nowhere.
pub struct NoProgress;

impl Progress for NoProgress {
    fn stage(&self, _: Stage, _: u64) {}
    fn advance(&self, _: u64) {}
}

/// How a run is done. The defaults suit lists of a few records to a few million.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    /// Seeds the random pairs u is estimated from: the same input and seed give the same
    /// output.
    pub seed: u64,
    /// Pairs with a match probability at least this are links (output and clustered).
    pub threshold: f64,
    /// Blocking keys held by more records than this are skipped (too common to select).
    pub max_block: usize,
    /// The comparisons blocking may give, per record: when blocks up to `max_block` records
    /// would give more, the largest blocks are skipped too (a million records stay fast).
    pub max_comparisons_per_record: usize,
    /// Random pairs to estimate u from (all pairs when there are fewer).
    pub u_pairs: usize,
    pub em_max_iterations: u32,
    /// EM stops when no m and λ (relatively) change by more than this.
    pub em_tolerance: f64,
    /// Clusters never grow beyond this many records (0: no limit).
    pub max_cluster_size: usize,
    /// Values kept per field in a model's term-frequency table.
    pub tf_values: usize,
    /// Threads to use (the output does not depend on it).
    pub threads: usize,
    /// Train a third class besides matches and non-matches: related persons (the same
    /// household: a father, family name, phone or address shared, the given name and date of
    /// birth not), so that brothers are not taken for one person.
    pub related_class: bool,
}

/// The default link threshold: a match probability of 0.9.
pub const DEFAULT_THRESHOLD: f64 = 0.9;

impl Default for Settings {
    fn default() -> Self {
        Settings {
            seed: 42,
            threshold: DEFAULT_THRESHOLD,
            max_block: 300,
            max_comparisons_per_record: 25,
            u_pairs: 1_000_000,
            em_max_iterations: 100,
            em_tolerance: 1e-6,
            max_cluster_size: 100,
            tf_values: 5_000,
            threads: default_threads(),
            related_class: true,
        }
    }
}

/// A pair known to be the same person or not (record indexes of the dataset).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LabelledPair {
    pub a: usize,
    pub b: usize,
    pub is_match: bool,
}

/// A pair at or above the threshold.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ScoredPair {
    pub a: u32,
    pub b: u32,
    pub match_weight: f64,
    pub probability: f64,
}

/// Figures of a run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunStats {
    pub records: u64,
    pub blocking: BlockingStats,
    pub rules: Vec<BlockingRule>,
    /// Random pairs compared to estimate u.
    pub u_pairs: u64,
    /// Distinct comparison vectors among the candidate pairs.
    pub patterns: u64,
    pub em_iterations: u32,
    pub em_converged: bool,
    /// Candidate pairs at or above the threshold.
    pub links: u64,
    pub clusters: u64,
    pub largest_cluster: u64,
    pub refused_links: u64,
}

/// What a run gives: the model (trained, or the one given), the links and the clusters.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub model: Model,
    /// Pairs at or above the threshold, sorted by record indexes.
    pub pairs: Vec<ScoredPair>,
    pub clusters: Clusters,
    pub stats: RunStats,
}

/// Runs linkage on datasets of one schema.
pub struct Linker<'n> {
    names: &'n NameTables,
    schema: Schema,
    settings: Settings,
}

impl<'n> Linker<'n> {
    pub fn new(names: &'n NameTables, schema: Schema, settings: Settings) -> Linker<'n> {
        Linker {
            names,
            schema,
            settings,
        }
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    /// Reads `len` records (`text(record, field)`), reporting progress.
    pub fn prepare<'t, F>(&self, len: usize, text: F, progress: &dyn Progress) -> Dataset
    where
        F: Fn(usize, usize) -> &'t str + Sync,
    {
        progress.stage(Stage::Preparing, self.schema.len() as u64);
        let d = Dataset::prepare(&self.schema, self.names, len, self.settings.threads, text);
        progress.advance(self.schema.len() as u64);
        d
    }

    /// Trains a model on the dataset (without labels, or with some) and links with it.
    pub fn run(
        &self,
        data: &Dataset,
        mode: Mode,
        labels: &[LabelledPair],
        progress: &dyn Progress,
    ) -> Result<Outcome, LinkageError> {
        self.check(data, mode)?;
        let s = &self.settings;
        let (pairs, blocking, gammas) = self.block_and_compare(data, mode, progress);

        // u from random pairs.
        let (u_counts, u_pairs) = self.u_counts(data, mode, progress);
        let priors = priors()?;
        let kinds: Vec<_> = self.schema.fields().iter().map(|f| f.kind).collect();
        let prior_levels: Vec<Vec<LevelParams>> = kinds
            .iter()
            .map(|k| priors.get(k).cloned().unwrap_or_default())
            .collect();
        let u = estimate_u(&u_counts, &prior_levels);

        // Labelled pairs: their comparison vectors, apart from the unlabelled ones.
        let mut labelled: HashMap<(u32, u32), bool> = HashMap::new();
        for l in labels {
            let (a, b) = ordered(l.a, l.b);
            if a == b || b >= data.len() {
                continue;
            }
            if let Mode::Link { left } = mode {
                if a >= left || b < left {
                    continue;
                }
            }
            let key = (to_u32(a), to_u32(b));
            labelled.insert(key, l.is_match);
        }
        progress.stage(Stage::Training, u64::from(s.em_max_iterations));
        let mut counts: BTreeMap<u64, [f64; 2]> = BTreeMap::new();
        for (p, g) in pairs.iter().zip(&gammas) {
            if !labelled.contains_key(p) {
                if let Some(c) = counts.get_mut(g) {
                    c[0] += 1.0;
                } else {
                    counts.insert(*g, [1.0, 0.0]);
                }
            }
        }
        let mut labelled_sorted: Vec<((u32, u32), bool)> =
            labelled.iter().map(|(k, v)| (*k, *v)).collect();
        labelled_sorted.sort_unstable();
        let (mut label_matches, mut label_non) = (0u64, 0u64);
        for ((a, b), is_match) in &labelled_sorted {
            if *is_match {
                label_matches += 1;
                let g = data.gamma(*a as usize, *b as usize);
                counts.entry(g).or_insert([0.0, 0.0])[1] += 1.0;
            } else {
                label_non += 1;
            }
        }
        let patterns: Vec<(u64, f64, f64)> =
            counts.into_iter().map(|(g, [c, l])| (g, c, l)).collect();

        let m0 = initial_m(&patterns, &prior_levels, label_matches);
        let total = mode.total_pairs(data.len()).max(1.0);
        let lambda0 = ((data.len() as f64 / 4.0).max(1.0) / total).clamp(1e-15, 0.25);
        // The related class (another person of the same household) when the schema has
        // fields a household shares, and at least one that tells its members apart.
        let household: Vec<bool> = kinds.iter().map(|k| k.is_household()).collect();
        let related =
            s.related_class && household.iter().any(|h| *h) && household.iter().any(|h| !*h);
        let em = expectation_maximisation(
            &patterns,
            &u,
            m0,
            &prior_levels,
            related.then_some(&household[..]),
            lambda0,
            total,
            s.em_max_iterations,
            s.em_tolerance,
            progress,
        );

        let fields: Vec<FieldModel> = self
            .schema
            .fields()
            .iter()
            .enumerate()
            .map(|(f, spec)| {
                let levels = spec
                    .kind
                    .levels()
                    .iter()
                    .enumerate()
                    .map(|(l, def)| LevelParams {
                        code: def.code.to_string(),
                        m: em.m.get(f).and_then(|v| v.get(l)).copied().unwrap_or(0.5),
                        u: u.get(f).and_then(|v| v.get(l)).copied().unwrap_or(0.5),
                        h: em
                            .h
                            .get(f)
                            .and_then(Option::as_ref)
                            .and_then(|v| v.get(l))
                            .copied(),
                    })
                    .collect();
                FieldModel {
                    field: spec.name.clone(),
                    kind: spec.kind,
                    levels,
                    tf: tf_table(data, f, s.tf_values),
                }
            })
            .collect();
        let model = Model {
            format: MODEL_FORMAT,
            schema: self.schema.clone(),
            lambda: em.lambda,
            related_lambda: em.related_lambda,
            fields,
            training: Some(TrainingSummary {
                records: data.len() as u64,
                comparisons: pairs.len() as u64,
                u_pairs,
                em_iterations: em.iterations,
                em_converged: em.converged,
                labelled_matches: label_matches,
                labelled_non_matches: label_non,
                seed: s.seed,
            }),
            source: format!(
                "trained on {} records ({} comparisons, {} random pairs, seed {})",
                data.len(),
                pairs.len(),
                u_pairs,
                s.seed
            ),
        };
        model.check()?;
        let mut out = self.finish(data, model, &pairs, &gammas, blocking, progress);
        out.stats.u_pairs = u_pairs;
        out.stats.patterns = patterns.len() as u64;
        out.stats.em_iterations = em.iterations;
        out.stats.em_converged = em.converged;
        Ok(out)
    }

    /// Links with a model trained before (no training). The model's schema must be the
    /// dataset's.
    pub fn run_with_model(
        &self,
        data: &Dataset,
        mode: Mode,
        model: &Model,
        progress: &dyn Progress,
    ) -> Result<Outcome, LinkageError> {
        self.check(data, mode)?;
        model.check()?;
        if model.schema != self.schema {
            return Err(LinkageError::Invalid(vec![
                "the model was trained on other fields than those given".into(),
            ]));
        }
        let (pairs, blocking, gammas) = self.block_and_compare(data, mode, progress);
        Ok(self.finish(data, model.clone(), &pairs, &gammas, blocking, progress))
    }

    fn check(&self, data: &Dataset, mode: Mode) -> Result<(), LinkageError> {
        let mut problems = Vec::new();
        if data.schema() != &self.schema {
            problems.push("the dataset was prepared with other fields".to_string());
        }
        if !(self.settings.threshold > 0.0 && self.settings.threshold < 1.0) {
            problems.push(format!(
                "threshold {} is not a probability between 0 and 1 (exclusive)",
                self.settings.threshold
            ));
        }
        if data.len() > u32::MAX as usize / 2 {
            problems.push(format!("{} records are too many", data.len()));
        }
        if let Mode::Link { left } = mode {
            if left == 0 || left >= data.len() {
                problems.push("link mode needs records on both sides".to_string());
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(LinkageError::Invalid(problems))
        }
    }

    fn block_and_compare(
        &self,
        data: &Dataset,
        mode: Mode,
        progress: &dyn Progress,
    ) -> (Vec<(u32, u32)>, BlockingStats, Vec<u64>) {
        let s = &self.settings;
        progress.stage(Stage::Blocking, data.len() as u64);
        let advance = |n: u64| progress.advance(n);
        let budget = (s.max_comparisons_per_record as f64 * data.len() as f64) as u64;
        let (pairs, blocking) = blocking::candidate_pairs(
            self.names,
            data,
            mode,
            s.max_block,
            budget,
            s.threads,
            &advance,
        );
        progress.stage(Stage::Comparing, pairs.len() as u64);
        let gammas = map_ranges(pairs.len(), 262_144, s.threads, |range| {
            let n = range.len() as u64;
            let out: Vec<u64> = pairs
                .get(range)
                .unwrap_or(&[])
                .iter()
                .map(|(a, b)| data.gamma(*a as usize, *b as usize))
                .collect();
            progress.advance(n);
            out
        });
        (pairs, blocking, gammas)
    }

    /// Comparison vectors of random pairs, counted per field and level.
    fn u_counts(
        &self,
        data: &Dataset,
        mode: Mode,
        progress: &dyn Progress,
    ) -> (Vec<Vec<u64>>, u64) {
        let s = &self.settings;
        let n = data.len();
        let total = mode.total_pairs(n);
        let mut sample: Vec<(u32, u32)> = Vec::new();
        if total <= s.u_pairs as f64 {
            // Few enough: every pair.
            for a in 0..n {
                let (from, to) = match mode {
                    Mode::Dedupe => (a + 1, n),
                    Mode::Link { left } if a < left => (left, n),
                    Mode::Link { .. } => (n, n),
                };
                for b in from..to {
                    sample.push((to_u32(a), to_u32(b)));
                }
            }
        } else {
            let mut rng = ChaCha8Rng::seed_from_u64(s.seed);
            sample.reserve(s.u_pairs);
            while sample.len() < s.u_pairs {
                let (a, b) = match mode {
                    Mode::Dedupe => {
                        let a = rng.gen_range(0..n);
                        let mut b = rng.gen_range(0..n - 1);
                        if b >= a {
                            b += 1;
                        }
                        (a, b)
                    }
                    Mode::Link { left } => (rng.gen_range(0..left), rng.gen_range(left..n)),
                };
                sample.push((to_u32(a), to_u32(b)));
            }
        }
        progress.stage(Stage::EstimatingU, sample.len() as u64);
        let fields = self.schema.len();
        let parts: Vec<Vec<Vec<u64>>> = map_ranges(sample.len(), 65_536, s.threads, |range| {
            let mut counts = vec![vec![0u64; 16]; fields];
            let k = range.len() as u64;
            for (a, b) in sample.get(range).unwrap_or(&[]) {
                let g = data.gamma(*a as usize, *b as usize);
                for (f, c) in counts.iter_mut().enumerate() {
                    if let Some(x) = c.get_mut(usize::from(level_of(g, f))) {
                        *x += 1;
                    }
                }
            }
            progress.advance(k);
            vec![counts]
        });
        let mut counts = vec![vec![0u64; 16]; fields];
        for part in parts {
            for (acc, c) in counts.iter_mut().zip(part) {
                for (x, y) in acc.iter_mut().zip(c) {
                    *x += y;
                }
            }
        }
        (counts, sample.len() as u64)
    }

    /// Scores the candidate pairs with a model, keeps those at or above the threshold and
    /// clusters them.
    fn finish(
        &self,
        data: &Dataset,
        model: Model,
        pairs: &[(u32, u32)],
        gammas: &[u64],
        blocking: BlockingStats,
        progress: &dyn Progress,
    ) -> Outcome {
        let s = &self.settings;
        progress.stage(Stage::Scoring, pairs.len() as u64);
        let w = Weights::of(&model);
        // Term-frequency adjustment of each distinct value of each field.
        let tf_adj: Vec<Vec<f64>> = model
            .fields
            .iter()
            .zip(&data.columns)
            .zip(&w.u_agree)
            .map(|((fm, col), u_agree)| match &fm.tf {
                Some(tf) => col
                    .values
                    .iter()
                    .map(|v| {
                        v.tf_key()
                            .map(|k| tf_adjust(*u_agree, tf.frequency(k)))
                            .unwrap_or(0.0)
                    })
                    .collect(),
                None => Vec::new(),
            })
            .collect();
        let min_weight = crate::model::weight_of(s.threshold);
        let scored: Vec<ScoredPair> = map_ranges(pairs.len(), 65_536, s.threads, |range| {
            let k = range.len() as u64;
            let mut out = Vec::new();
            for i in range {
                let (Some(&(a, b)), Some(&g)) = (pairs.get(i), gammas.get(i)) else {
                    continue;
                };
                let mut weight = w.prior;
                let mut related = w.related_prior;
                for (f, col) in data.columns.iter().enumerate() {
                    let l = usize::from(level_of(g, f));
                    if l == 0 {
                        continue;
                    }
                    let mut tf = 0.0;
                    if w.tf_level.get(f).and_then(|v| v.get(l)).copied() == Some(true) {
                        let id = col.id_of(a as usize) as usize;
                        tf = tf_adj
                            .get(f)
                            .and_then(|v| v.get(id))
                            .copied()
                            .unwrap_or(0.0);
                    }
                    weight += w
                        .level
                        .get(f)
                        .and_then(|v| v.get(l))
                        .copied()
                        .unwrap_or(0.0)
                        + tf;
                    if let Some(r) = related.as_mut() {
                        if w.related_field.get(f).copied() == Some(true) {
                            *r += w
                                .related_level
                                .get(f)
                                .and_then(|v| v.get(l))
                                .copied()
                                .unwrap_or(0.0)
                                + tf;
                        }
                    }
                }
                if let Some(r) = related {
                    weight += related_adjustment(r);
                }
                if weight >= min_weight {
                    out.push(ScoredPair {
                        a,
                        b,
                        match_weight: weight,
                        probability: probability_of(weight),
                    });
                }
            }
            progress.advance(k);
            out
        });
        progress.stage(Stage::Clustering, scored.len() as u64);
        let links: Vec<Link> = scored
            .iter()
            .map(|p| Link {
                a: p.a,
                b: p.b,
                match_weight: p.match_weight,
            })
            .collect();
        let clusters = cluster(data.len(), &links, s.max_cluster_size);
        progress.advance(scored.len() as u64);
        let stats = RunStats {
            records: data.len() as u64,
            rules: blocking::rules(data),
            blocking,
            u_pairs: 0,
            patterns: 0,
            em_iterations: 0,
            em_converged: true,
            links: scored.len() as u64,
            clusters: clusters.count,
            largest_cluster: clusters.largest,
            refused_links: clusters.refused_links,
        };
        Outcome {
            model,
            pairs: scored,
            clusters,
            stats,
        }
    }
}

fn to_u32(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

fn ordered(a: usize, b: usize) -> (usize, usize) {
    if a <= b {
        (a, b)
    } else {
        (b, a)
    }
}

/// Pseudo-pairs of the prior u blended into the estimate from random pairs.
const U_PRIOR_PAIRS: f64 = 50.0;
/// Pseudo-matches of the prior m in every M step.
const M_PRIOR_PAIRS: f64 = 1.0;

/// u per field and level from the counts of random pairs (level 0, missing, left out),
/// blended with the prior and kept above half a pair.
fn estimate_u(counts: &[Vec<u64>], priors: &[Vec<LevelParams>]) -> Vec<Vec<f64>> {
    counts
        .iter()
        .zip(priors)
        .map(|(c, prior)| {
            let levels = prior.len();
            let seen: Vec<f64> = (1..=levels)
                .map(|l| c.get(l).copied().unwrap_or(0) as f64)
                .collect();
            let n: f64 = seen.iter().sum();
            let raw: Vec<f64> = seen
                .iter()
                .zip(prior)
                .map(|(x, p)| {
                    ((x + U_PRIOR_PAIRS * p.u) / (n + U_PRIOR_PAIRS)).max(0.5 / (n + U_PRIOR_PAIRS))
                })
                .collect();
            let total: f64 = raw.iter().sum();
            raw.iter().map(|x| x / total).collect()
        })
        .collect()
}

/// m to start EM from: the priors, or the labelled matches when there are enough.
fn initial_m(
    patterns: &[(u64, f64, f64)],
    priors: &[Vec<LevelParams>],
    label_matches: u64,
) -> Vec<Vec<f64>> {
    priors
        .iter()
        .enumerate()
        .map(|(f, prior)| {
            let mut counts = vec![0.0; prior.len()];
            let mut n = 0.0;
            if label_matches >= 5 {
                for (g, _, l) in patterns {
                    let level = usize::from(level_of(*g, f));
                    if level > 0 && *l > 0.0 {
                        if let Some(c) = counts.get_mut(level - 1) {
                            *c += l;
                            n += l;
                        }
                    }
                }
            }
            let k = 5.0;
            prior
                .iter()
                .zip(&counts)
                .map(|(p, c)| (c + k * p.m) / (n + k))
                .collect()
        })
        .collect()
}

struct EmResult {
    m: Vec<Vec<f64>>,
    lambda: f64,
    /// Per field: h of each level, for the fields a household shares (with a related class).
    h: Vec<Option<Vec<f64>>>,
    related_lambda: Option<f64>,
    iterations: u32,
    converged: bool,
}

/// log2 of a sum of powers of two, without overflow.
fn log2_sum(xs: &[f64]) -> f64 {
    let max = xs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return max;
    }
    max + xs.iter().map(|x| (x - max).exp2()).sum::<f64>().log2()
}

/// EM for the class probabilities and m (and h) with u fixed, over the candidate pairs taken
/// as a sample of all pairs in which the pairs not compared are unrelated non-matches.
/// Patterns are `(comparison vector, unlabelled pairs, labelled matches)`; a labelled match
/// counts as a match with certainty.
///
/// With `household` (one flag per field), a third class, related persons, has its own
/// probabilities h for the fields a household shares and u (as any two persons) for the
/// others: so pairs that agree on a father, a family name and a phone but not on a given name
/// or a date of birth are explained as brothers rather than as one person recorded twice.
#[allow(clippy::too_many_arguments)]
fn expectation_maximisation(
    patterns: &[(u64, f64, f64)],
    u: &[Vec<f64>],
    m0: Vec<Vec<f64>>,
    priors: &[Vec<LevelParams>],
    household: Option<&[bool]>,
    lambda0: f64,
    total_pairs: f64,
    max_iterations: u32,
    tolerance: f64,
    progress: &dyn Progress,
) -> EmResult {
    let fields = u.len();
    let is_household = |f: usize| household.is_some_and(|h| h.get(f).copied() == Some(true));
    // h starts where m starts: members of a household agree on what they share.
    let mut h: Vec<Option<Vec<f64>>> = (0..fields)
        .map(|f| is_household(f).then(|| m0.get(f).cloned().unwrap_or_default()))
        .collect();
    let mut m = m0;
    let mut lambda = lambda0;
    let mut lambda_h = household.map(|_| lambda0 / 4.0);
    let mut iterations = 0;
    let mut converged = false;
    let log = |v: &[Vec<f64>]| -> Vec<Vec<f64>> {
        v.iter()
            .map(|x| x.iter().map(|y| y.log2()).collect())
            .collect()
    };
    let log_u = log(u);
    while iterations < max_iterations {
        iterations += 1;
        let log_m = log(&m);
        let log_h: Vec<Option<Vec<f64>>> = h
            .iter()
            .map(|v| v.as_ref().map(|x| x.iter().map(|y| y.log2()).collect()))
            .collect();
        let lambda_u = (1.0 - lambda - lambda_h.unwrap_or(0.0)).max(f64::MIN_POSITIVE);
        let mut num_m: Vec<Vec<f64>> = m.iter().map(|v| vec![0.0; v.len()]).collect();
        let mut den_m = vec![0.0; fields];
        let mut num_h: Vec<Vec<f64>> = m.iter().map(|v| vec![0.0; v.len()]).collect();
        let mut den_h = vec![0.0; fields];
        let (mut mass_m, mut mass_h) = (0.0, 0.0);
        for (g, count, labelled) in patterns {
            let (mut lm, mut lu) = (lambda.log2(), lambda_u.log2());
            let mut lh = lambda_h.map(f64::log2);
            for f in 0..fields {
                let l = usize::from(level_of(*g, f));
                if l == 0 {
                    continue;
                }
                let at = |v: &Vec<Vec<f64>>| v.get(f).and_then(|x| x.get(l - 1)).copied();
                let u_fl = at(&log_u).unwrap_or(0.0);
                lm += at(&log_m).unwrap_or(0.0);
                lu += u_fl;
                if let Some(x) = lh.as_mut() {
                    *x += log_h
                        .get(f)
                        .and_then(Option::as_ref)
                        .and_then(|v| v.get(l - 1))
                        .copied()
                        .unwrap_or(u_fl);
                }
            }
            let all = match lh {
                Some(x) => log2_sum(&[lm, x, lu]),
                None => log2_sum(&[lm, lu]),
            };
            let pm = (lm - all).exp2();
            let ph = lh.map_or(0.0, |x| (x - all).exp2());
            let wm = count * pm + labelled;
            let wh = count * ph;
            mass_m += wm;
            mass_h += wh;
            for f in 0..fields {
                let l = usize::from(level_of(*g, f));
                if l == 0 {
                    continue;
                }
                if let Some(x) = num_m.get_mut(f).and_then(|v| v.get_mut(l - 1)) {
                    *x += wm;
                }
                if let Some(d) = den_m.get_mut(f) {
                    *d += wm;
                }
                if let Some(x) = num_h.get_mut(f).and_then(|v| v.get_mut(l - 1)) {
                    *x += wh;
                }
                if let Some(d) = den_h.get_mut(f) {
                    *d += wh;
                }
            }
        }
        let new_lambda = (mass_m / total_pairs).clamp(1e-15, 0.25);
        let new_lambda_h = lambda_h.map(|_| (mass_h / total_pairs).clamp(1e-15, 0.25));
        let update = |num: &[Vec<f64>], den: &[f64]| -> Vec<Vec<f64>> {
            num.iter()
                .zip(den)
                .zip(priors)
                .map(|((nv, d), prior)| {
                    nv.iter()
                        .zip(prior)
                        .map(|(x, p)| (x + M_PRIOR_PAIRS * p.m) / (d + M_PRIOR_PAIRS))
                        .collect()
                })
                .collect()
        };
        let new_m = update(&num_m, &den_m);
        let all_h = update(&num_h, &den_h);
        let new_h: Vec<Option<Vec<f64>>> = h
            .iter()
            .zip(all_h)
            .map(|(old, new)| old.as_ref().map(|_| new))
            .collect();
        let diff = |a: &[f64], b: &[f64]| {
            a.iter()
                .zip(b)
                .map(|(x, y)| (x - y).abs())
                .fold(0.0, f64::max)
        };
        let dm = new_m
            .iter()
            .zip(&m)
            .map(|(a, b)| diff(a, b))
            .fold(0.0, f64::max);
        let dh = new_h
            .iter()
            .zip(&h)
            .filter_map(|(a, b)| a.as_ref().zip(b.as_ref()))
            .map(|(a, b)| diff(a, b))
            .fold(0.0, f64::max);
        let dl = (new_lambda - lambda).abs() / lambda;
        let dlh = match (new_lambda_h, lambda_h) {
            (Some(a), Some(b)) => (a - b).abs() / b,
            _ => 0.0,
        };
        m = new_m;
        h = new_h;
        lambda = new_lambda;
        lambda_h = new_lambda_h;
        progress.advance(1);
        if dm.max(dh) < tolerance && dl.max(dlh) < tolerance {
            converged = true;
            break;
        }
    }
    EmResult {
        m,
        lambda,
        h,
        related_lambda: lambda_h,
        iterations,
        converged,
    }
}

/// The term-frequency table of a field whose levels use one.
fn tf_table(data: &Dataset, f: usize, keep: usize) -> Option<TfTable> {
    let kind = data.schema().kind(f)?;
    if !kind.levels().iter().any(|l| l.tf) {
        return None;
    }
    let col = data.columns.get(f)?;
    let mut per_value = vec![0u64; col.values.len()];
    for id in &col.ids {
        if let Some(c) = per_value.get_mut(*id as usize) {
            *c += 1;
        }
    }
    let mut per_key: HashMap<&str, u64> = HashMap::new();
    let mut records = 0u64;
    for (v, c) in col.values.iter().zip(&per_value) {
        if let Some(k) = v.tf_key() {
            *per_key.entry(k).or_insert(0) += c;
            records += c;
        }
    }
    if records == 0 {
        return None;
    }
    let mut common: Vec<(&str, u64)> = per_key.into_iter().filter(|(_, c)| *c >= 2).collect();
    common.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(y.0)));
    let cut = common.len() > keep;
    common.truncate(keep);
    let floor = if cut {
        common.last().map(|(_, c)| *c).unwrap_or(1)
    } else {
        1
    };
    Some(TfTable {
        records,
        counts: common
            .into_iter()
            .map(|(k, c)| (k.to_string(), c))
            .collect(),
        floor,
    })
}

/// Distinct keys of a set of pairs (for tests and tools).
pub fn pair_set(pairs: &[ScoredPair]) -> HashSet<(u32, u32)> {
    pairs.iter().map(|p| (p.a, p.b)).collect()
}
