//! The linkage engine on small generated lists with known truth.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use nigehban_linkage::{
    Dataset, FieldKind, FieldSpec, LabelledPair, Linker, Mode, Model, NoProgress, Schema, Settings,
};
use nigehban_names::NameTables;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashSet;

const GIVEN: &[(&str, &str)] = &[
    ("Muhammad Asif", "محمد آصف"),
    ("Bilal", "بلال"),
    ("Zahid", "زاہد"),
    ("Imran", "عمران"),
    ("Shahid", "شاہد"),
    ("Tariq", "طارق"),
    ("Naveed", "نوید"),
    ("Kamran", "کامران"),
    ("Waqas", "وقاص"),
    ("Usman", "عثمان"),
    ("Faisal", "فیصل"),
    ("Irfan", "عرفان"),
    ("Sajid", "ساجد"),
    ("Nadeem", "ندیم"),
    ("Rashid", "راشد"),
    ("Javed", "جاوید"),
    ("Khalid", "خالد"),
    ("Abid", "عابد"),
    ("Qasim", "قاسم"),
    ("Yasir", "یاسر"),
];
const FAMILY: &[(&str, &str)] = &[
    ("Khan", "خان"),
    ("Awan", "اعوان"),
    ("Butt", "بٹ"),
    ("Qureshi", "قریشی"),
    ("Chaudhry", "چوہدری"),
    ("Malik", "ملک"),
    ("Baloch", "بلوچ"),
    ("Memon", "میمن"),
];
const FATHER: &[&str] = &[
    "Ghulam Abbas",
    "Muhammad Hussain",
    "Allah Ditta",
    "Abdul Rehman",
    "Ghulam Rasool",
    "Muhammad Ramzan",
    "Noor Muhammad",
    "Ali Ahmed",
];

struct Gen {
    rows: Vec<Vec<String>>,
    truth: Vec<usize>,
}

fn schema() -> Schema {
    Schema::new(vec![
        FieldSpec::new("name", FieldKind::FullName),
        FieldSpec::new("father", FieldKind::Parentage),
        FieldSpec::new("dob", FieldKind::Date),
        FieldSpec::new("cnic", FieldKind::Identifier),
        FieldSpec::new("phone", FieldKind::Phone),
    ])
    .unwrap()
}

/// `persons` persons, each recorded once or twice (Roman or Urdu, dates sometimes with day
/// and month swapped, identifiers sometimes missing).
fn generate(persons: usize, seed: u64) -> Gen {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut rows = Vec::new();
    let mut truth = Vec::new();
    for p in 0..persons {
        let g = GIVEN[rng.gen_range(0..GIVEN.len())];
        let f = FAMILY[rng.gen_range(0..FAMILY.len())];
        let father = FATHER[rng.gen_range(0..FATHER.len())];
        let (y, m, d) = (
            rng.gen_range(1960..2005),
            rng.gen_range(1..=12u32),
            rng.gen_range(1..=28u32),
        );
        let cnic = format!(
            "3520{}-{:07}-{}",
            rng.gen_range(1..10),
            rng.gen_range(1_000_000..10_000_000),
            rng.gen_range(0..10)
        );
        let phone = format!("0300-{:07}", rng.gen_range(1_000_000..10_000_000));
        let copies = if rng.gen_bool(0.4) { 2 } else { 1 };
        for c in 0..copies {
            let urdu = c == 1 && rng.gen_bool(0.4);
            let name = if urdu {
                format!("{} {}", g.1, f.1)
            } else if c == 1 && rng.gen_bool(0.3) {
                format!("{} {}", f.0, g.0)
            } else {
                format!("{} {}", g.0, f.0)
            };
            let (mm, dd) = if c == 1 && d <= 12 && rng.gen_bool(0.3) {
                (d, m)
            } else {
                (m, d)
            };
            rows.push(vec![
                name,
                if c == 1 && rng.gen_bool(0.3) {
                    String::new()
                } else {
                    father.to_string()
                },
                format!("{y:04}-{mm:02}-{dd:02}"),
                if rng.gen_bool(0.3) {
                    String::new()
                } else {
                    cnic.clone()
                },
                if rng.gen_bool(0.5) {
                    String::new()
                } else {
                    phone.clone()
                },
            ]);
            truth.push(p);
        }
    }
    Gen { rows, truth }
}

fn dataset(g: &Gen, threads: usize) -> Dataset {
    let names = NameTables::embedded().unwrap();
    Dataset::prepare(&schema(), names, g.rows.len(), threads, |r, f| {
        g.rows[r][f].as_str()
    })
}

fn settings() -> Settings {
    Settings {
        u_pairs: 200_000,
        ..Settings::default()
    }
}

fn f1(g: &Gen, pairs: &[(u32, u32)]) -> (f64, f64, f64) {
    let mut truth = HashSet::new();
    for i in 0..g.truth.len() {
        for j in i + 1..g.truth.len() {
            if g.truth[i] == g.truth[j] {
                truth.insert((i as u32, j as u32));
            }
        }
    }
    let found: HashSet<(u32, u32)> = pairs.iter().copied().collect();
    let tp = found.intersection(&truth).count() as f64;
    let p = tp / found.len().max(1) as f64;
    let r = tp / truth.len().max(1) as f64;
    (p, r, 2.0 * p * r / (p + r).max(1e-9))
}

#[test]
fn dedupe_learns_without_labels_and_finds_the_duplicates() {
    let names = NameTables::embedded().unwrap();
    let g = generate(1500, 1);
    let data = dataset(&g, 2);
    let linker = Linker::new(names, schema(), settings());
    let out = linker.run(&data, Mode::Dedupe, &[], &NoProgress).unwrap();
    let pairs: Vec<(u32, u32)> = out.pairs.iter().map(|p| (p.a, p.b)).collect();
    let (p, r, f) = f1(&g, &pairs);
    eprintln!("P {p:.4} R {r:.4} F1 {f:.4} {:?}", out.stats);
    assert!(p > 0.95 && r > 0.9 && f > 0.93, "P {p} R {r} F1 {f}");
    assert!(out.stats.em_converged, "{:?}", out.stats);

    // Sensible parameters: agreement far likelier among matches, disagreement among
    // non-matches.
    let m = &out.model;
    for fm in &m.fields {
        let first = &fm.levels[0];
        let last = fm.levels.last().unwrap();
        assert!(first.m > first.u * 5.0, "{}: {first:?}", fm.field);
        assert!(last.u > last.m, "{}: {last:?}", fm.field);
        let sum_m: f64 = fm.levels.iter().map(|l| l.m).sum();
        let sum_u: f64 = fm.levels.iter().map(|l| l.u).sum();
        assert!((sum_m - 1.0).abs() < 1e-6 && (sum_u - 1.0).abs() < 1e-6);
    }
    // u of an exact CNIC is tiny, m large.
    let cnic = &m.fields[3].levels[0];
    assert!(cnic.u < 1e-3 && cnic.m > 0.5, "{cnic:?}");
    // About 40% of persons recorded twice: λ close to the true share of matching pairs.
    let n = data.len() as f64;
    let true_pairs = g.truth.len() - 1500;
    let lambda_true = true_pairs as f64 / (n * (n - 1.0) / 2.0);
    assert!(
        m.lambda > lambda_true / 3.0 && m.lambda < lambda_true * 3.0,
        "λ {} vs {lambda_true}",
        m.lambda
    );
}

#[test]
fn the_same_input_gives_the_same_output_whatever_the_threads() {
    let names = NameTables::embedded().unwrap();
    let g = generate(600, 2);
    let run = |threads: usize| {
        let data = dataset(&g, threads);
        let s = Settings {
            threads,
            ..settings()
        };
        Linker::new(names, schema(), s)
            .run(&data, Mode::Dedupe, &[], &NoProgress)
            .unwrap()
    };
    let (a, b) = (run(1), run(3));
    assert_eq!(a.model.to_json(), b.model.to_json());
    assert_eq!(a.pairs, b.pairs);
    assert_eq!(a.clusters, b.clusters);
}

#[test]
fn explanations_add_up_to_the_match_weight() {
    let names = NameTables::embedded().unwrap();
    let g = generate(600, 3);
    let data = dataset(&g, 2);
    let out = Linker::new(names, schema(), settings())
        .run(&data, Mode::Dedupe, &[], &NoProgress)
        .unwrap();
    assert!(!out.pairs.is_empty());
    for p in out.pairs.iter().take(50) {
        let s = out
            .model
            .score(&data.record(p.a as usize), &data.record(p.b as usize));
        let sum: f64 =
            s.prior_weight + s.fields.iter().map(|f| f.weight).sum::<f64>() + s.related_adjustment;
        assert!((sum - s.match_weight).abs() < 1e-9);
        // The bulk path and the single-pair path agree.
        assert!(
            (s.match_weight - p.match_weight).abs() < 1e-9,
            "{s:?} {p:?}"
        );
        for f in &s.fields {
            if f.level.is_none() {
                assert_eq!(f.weight, 0.0);
            }
        }
    }
}

#[test]
fn a_common_name_counts_for_less_than_a_rare_one() {
    let names = NameTables::embedded().unwrap();
    let s = Schema::new(vec![
        FieldSpec::new("name", FieldKind::FullName),
        FieldSpec::new("dob", FieldKind::Date),
    ])
    .unwrap();
    // 300 records named Muhammad Ali, 2 named Shahzaib Gondal, 200 others.
    let mut rows: Vec<[String; 2]> = Vec::new();
    let mut rng = ChaCha8Rng::seed_from_u64(4);
    let date = |rng: &mut ChaCha8Rng| {
        format!(
            "{}-{:02}-{:02}",
            rng.gen_range(1960..2000),
            rng.gen_range(1..13),
            rng.gen_range(1..29)
        )
    };
    for _ in 0..300 {
        rows.push(["Muhammad Ali".into(), date(&mut rng)]);
    }
    rows.push(["Shahzaib Gondal".into(), "1990-01-01".into()]);
    rows.push(["Shahzaib Gondal".into(), "1971-06-30".into()]);
    for i in 0..200 {
        let g = GIVEN[i % GIVEN.len()].0;
        let f = FAMILY[(i / GIVEN.len()) % FAMILY.len()].0;
        rows.push([format!("{g} {f}"), date(&mut rng)]);
    }
    let data = Dataset::prepare(&s, names, rows.len(), 2, |r, f| rows[r][f].as_str());
    let out = Linker::new(names, s, settings())
        .run(&data, Mode::Dedupe, &[], &NoProgress)
        .unwrap();
    let common = out.model.score(&data.record(0), &data.record(1));
    let rare = out.model.score(&data.record(300), &data.record(301));
    let (c, r) = (&common.fields[0], &rare.fields[0]);
    assert_eq!(c.level.as_deref(), Some("exact"));
    assert_eq!(r.level.as_deref(), Some("exact"));
    assert!(c.tf_adjustment < 0.0, "{c:?}");
    assert!(r.tf_adjustment > 0.0, "{r:?}");
    assert!(c.weight < r.weight - 3.0, "{c:?} {r:?}");
}

#[test]
fn day_and_month_swapped_is_its_own_level() {
    let names = NameTables::embedded().unwrap();
    let model = Model::default_person().unwrap();
    let a = Schema::person().prepare(names, &["Asif Khan", "", "1990-03-12"]);
    let b = Schema::person().prepare(names, &["Asif Khan", "", "1990-12-03"]);
    let c = Schema::person().prepare(names, &["Asif Khan", "", "1990-07-21"]);
    let ab = model.score(&a, &b);
    let ac = model.score(&a, &c);
    assert_eq!(ab.fields[2].level.as_deref(), Some("day_month_swapped"));
    assert_eq!(ac.fields[2].level.as_deref(), Some("within_year"));
    assert!(ab.fields[2].weight > ac.fields[2].weight);
    assert!(ab.match_weight > ac.match_weight);
}

#[test]
fn link_mode_compares_only_across_the_lists() {
    let names = NameTables::embedded().unwrap();
    let g = generate(800, 5);
    // Left: first copies; right: second copies and the persons recorded once.
    let mut left = Vec::new();
    let mut right = Vec::new();
    let mut seen = HashSet::new();
    for (i, t) in g.truth.iter().enumerate() {
        if seen.insert(*t) {
            left.push(i);
        } else {
            right.push(i);
        }
    }
    let order: Vec<usize> = left.iter().chain(&right).copied().collect();
    let data = Dataset::prepare(&schema(), names, order.len(), 2, |r, f| {
        g.rows[order[r]][f].as_str()
    });
    let out = Linker::new(names, schema(), settings())
        .run(&data, Mode::Link { left: left.len() }, &[], &NoProgress)
        .unwrap();
    assert!(!out.pairs.is_empty());
    let mut correct = 0;
    for p in &out.pairs {
        assert!((p.a as usize) < left.len() && (p.b as usize) >= left.len());
        if g.truth[order[p.a as usize]] == g.truth[order[p.b as usize]] {
            correct += 1;
        }
    }
    assert!(
        correct * 100 >= out.pairs.len() * 95,
        "{correct} / {}",
        out.pairs.len()
    );
    assert!(
        correct * 100 >= right.len() * 80,
        "{correct} of {}",
        right.len()
    );
}

#[test]
fn labels_enter_training() {
    let names = NameTables::embedded().unwrap();
    let g = generate(600, 6);
    let data = dataset(&g, 2);
    let mut labels = Vec::new();
    for i in 0..g.truth.len() {
        for j in i + 1..g.truth.len() {
            if g.truth[i] == g.truth[j] && labels.len() < 40 {
                labels.push(LabelledPair {
                    a: i,
                    b: j,
                    is_match: true,
                });
            }
        }
    }
    let other = (1..g.truth.len())
        .find(|j| g.truth[*j] != g.truth[0])
        .unwrap();
    labels.push(LabelledPair {
        a: 0,
        b: other,
        is_match: false,
    });
    let out = Linker::new(names, schema(), settings())
        .run(&data, Mode::Dedupe, &labels, &NoProgress)
        .unwrap();
    let t = out.model.training.as_ref().unwrap();
    assert_eq!((t.labelled_matches, t.labelled_non_matches), (40, 1));
    let pairs: Vec<(u32, u32)> = out.pairs.iter().map(|p| (p.a, p.b)).collect();
    let (_, _, f) = f1(&g, &pairs);
    assert!(f > 0.9, "{f}");
}

#[test]
fn a_model_survives_json_and_scores_the_same() {
    let names = NameTables::embedded().unwrap();
    let g = generate(400, 7);
    let data = dataset(&g, 2);
    let linker = Linker::new(names, schema(), settings());
    let out = linker.run(&data, Mode::Dedupe, &[], &NoProgress).unwrap();
    let json = out.model.to_json();
    let back = Model::from_json(&json).unwrap();
    let again = linker
        .run_with_model(&data, Mode::Dedupe, &back, &NoProgress)
        .unwrap();
    assert_eq!(again.pairs, out.pairs);
    assert!(Model::from_json("{\"format\": 1}").is_err());
}

/// Households: brothers share a father, a family name, a district and often a phone, but not
/// a given name or a date of birth. They are not one person; a man recorded twice is.
#[test]
fn brothers_are_not_taken_for_one_person() {
    let names = NameTables::embedded().unwrap();
    let s = Schema::new(vec![
        FieldSpec::new("given", FieldKind::GivenName),
        FieldSpec::new("family", FieldKind::FamilyName),
        FieldSpec::new("father", FieldKind::Parentage),
        FieldSpec::new("dob", FieldKind::Date),
        FieldSpec::new("phone", FieldKind::Phone),
        FieldSpec::new("district", FieldKind::Locality),
    ])
    .unwrap();
    let mut rng = ChaCha8Rng::seed_from_u64(9);
    let mut rows: Vec<[String; 6]> = Vec::new();
    let mut truth: Vec<usize> = Vec::new();
    let mut person = 0;
    for h in 0..700 {
        let family = FAMILY[rng.gen_range(0..FAMILY.len())].0;
        let father = FATHER[rng.gen_range(0..FATHER.len())];
        let phone = format!("0300-{:07}", rng.gen_range(1_000_000..10_000_000));
        let district = ["Gujrat", "Sialkot", "Mardan", "Swat", "Kotli"][h % 5];
        let brothers = if h % 3 == 0 { 2 } else { 1 };
        let mut given_used = Vec::new();
        for _ in 0..brothers {
            let mut g = GIVEN[rng.gen_range(0..GIVEN.len())].0;
            while given_used.contains(&g) {
                g = GIVEN[rng.gen_range(0..GIVEN.len())].0;
            }
            given_used.push(g);
            let dob = format!(
                "{}-{:02}-{:02}",
                rng.gen_range(1960..2005),
                rng.gen_range(1..13),
                rng.gen_range(1..29)
            );
            let copies = if rng.gen_bool(0.5) { 2 } else { 1 };
            for c in 0..copies {
                rows.push([
                    g.to_string(),
                    family.to_string(),
                    father.to_string(),
                    if c == 1 && rng.gen_bool(0.3) {
                        String::new()
                    } else {
                        dob.clone()
                    },
                    phone.clone(),
                    district.to_string(),
                ]);
                truth.push(person);
            }
            person += 1;
        }
    }
    let data = Dataset::prepare(&s, names, rows.len(), 2, |r, f| rows[r][f].as_str());
    let out = Linker::new(names, s, settings())
        .run(&data, Mode::Dedupe, &[], &NoProgress)
        .unwrap();
    assert!(out.model.related_lambda.is_some());
    let wrong: Vec<_> = out
        .pairs
        .iter()
        .filter(|p| truth[p.a as usize] != truth[p.b as usize])
        .collect();
    let right = out.pairs.len() - wrong.len();
    let true_pairs = (0..truth.len())
        .flat_map(|i| (i + 1..truth.len()).map(move |j| (i, j)))
        .filter(|(i, j)| truth[*i] == truth[*j])
        .count();
    assert!(
        wrong.len() * 50 <= out.pairs.len(),
        "{} brothers linked of {}",
        wrong.len(),
        out.pairs.len()
    );
    assert!(
        right * 10 >= true_pairs * 9,
        "{right} of {true_pairs} found"
    );
    // The explanation says why a pair of brothers is not one person.
    let (a, b) = (0..truth.len())
        .flat_map(|i| (i + 1..truth.len()).map(move |j| (i, j)))
        .find(|(i, j)| {
            truth[*i] != truth[*j] && rows[*i][2] == rows[*j][2] && rows[*i][4] == rows[*j][4]
        })
        .unwrap();
    let scored = out.model.score(&data.record(a), &data.record(b));
    assert!(scored.related_adjustment < -1.0, "{scored:?}");
    assert!(scored.probability < 0.5, "{scored:?}");
}
