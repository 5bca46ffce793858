//! `nigehban bench linkage`: the accuracy and the speed of `nigehban resolve` against Splink 4
//! (DuckDB backend) on the same generated person lists, in the same run, judged by one evaluator.
//!
//! Each set (`nigehban_synth::linkage_set`) is written once as CSV (cached in --dir) with a
//! `truth` column that neither engine is given. Nigehban runs as an operator runs it (`nigehban
//! resolve dedupe`, a child process, timed from start to exit); Splink runs the script
//! `bench/splink/run_splink.py` (configured as Splink's tutorials are), timed by the script from
//! reading the file to its clusters (its Python start-up and imports are not counted). Both link
//! and cluster at the same match probability (--threshold). The evaluator compares the pairs
//! implied by each engine's clusters with the pairs implied by the truth: precision, recall, F1.

use anyhow::{anyhow, bail, Context};
use clap::Args;
use nigehban_linkage::{Dataset, FieldKind, Linker, Mode, NoProgress, Schema, Settings};
use nigehban_names::NameTables;
use nigehban_synth::linkage_set::{linkage_set, SetKind, COLUMNS};
use nigehban_synth::NameLists;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUN_SPLINK: &str = include_str!("../../../bench/splink/run_splink.py");
const REQUIREMENTS: &str = include_str!("../../../bench/splink/requirements.txt");

/// The fields Nigehban is given (every column but `id` and `truth`).
const FIELDS: [&str; 8] = [
    "given_name:given_name",
    "family_name:family_name",
    "father_name:parentage",
    "dob:date",
    "cnic:identifier",
    "passport:identifier",
    "phone:phone",
    "district:locality",
];

#[derive(Args, Clone)]
pub struct LinkageArgs {
    /// Records in each accuracy set.
    #[arg(long, default_value_t = 20_000)]
    pub records: usize,
    /// Records of the throughput set (0 to skip it).
    #[arg(long, default_value_t = 1_000_000)]
    pub throughput: usize,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Where the sets, the outputs and the figures are written (and the sets reused).
    #[arg(long, default_value = "target/bench-linkage")]
    pub dir: PathBuf,
    /// A Python with splink 4.0.6 installed. Without it, a virtual environment is made (once)
    /// in target/splink-venv and bench/splink/requirements.txt installed into it.
    #[arg(long)]
    pub python: Option<PathBuf>,
    /// Run Nigehban only.
    #[arg(long)]
    pub skip_splink: bool,
    /// Only these accuracy sets (comma-separated): spelling, urdu_script, typos,
    /// order_and_parentage, dates, common_names, mixed.
    #[arg(long, value_delimiter = ',')]
    pub sets: Vec<String>,
    /// The match probability at which both engines link and cluster (Splink's tutorials
    /// cluster at 0.95).
    #[arg(long, default_value_t = 0.95)]
    pub threshold: f64,
    /// Seconds one Splink run may take before it is stopped.
    #[arg(long, default_value_t = 4 * 3600)]
    pub splink_timeout: u64,
    /// Instead of benchmarking: train the built-in person model on a generated `mixed` set of
    /// --records records and write it here (crates/linkage/data/person_model.json).
    #[arg(long)]
    pub write_person_model: Option<PathBuf>,
}

/// Precision, recall and F1 of the pairs implied by clusters.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Accuracy {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub predicted_pairs: u64,
    pub true_pairs: u64,
    pub correct_pairs: u64,
}

/// Compares clusters with the truth: every pair of records in one predicted cluster is a
/// predicted link, every pair of records of one person a true one. Records without a cluster
/// are alone.
pub fn evaluate(truth: &[(String, String)], clusters: &HashMap<String, String>) -> Accuracy {
    let pairs = |n: u64| n * n.saturating_sub(1) / 2;
    let mut cell: HashMap<(&str, &str), u64> = HashMap::new();
    let mut predicted: HashMap<&str, u64> = HashMap::new();
    let mut actual: HashMap<&str, u64> = HashMap::new();
    for (id, person) in truth {
        let c = clusters.get(id).map(String::as_str).unwrap_or(id.as_str());
        *cell.entry((c, person.as_str())).or_insert(0) += 1;
        *predicted.entry(c).or_insert(0) += 1;
        *actual.entry(person.as_str()).or_insert(0) += 1;
    }
    let correct: u64 = cell.values().map(|n| pairs(*n)).sum();
    let predicted: u64 = predicted.values().map(|n| pairs(*n)).sum();
    let true_pairs: u64 = actual.values().map(|n| pairs(*n)).sum();
    let precision = if predicted == 0 {
        1.0
    } else {
        correct as f64 / predicted as f64
    };
    let recall = if true_pairs == 0 {
        1.0
    } else {
        correct as f64 / true_pairs as f64
    };
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    Accuracy {
        precision,
        recall,
        f1,
        predicted_pairs: predicted,
        true_pairs,
        correct_pairs: correct,
    }
}

/// One engine's result on one set.
#[derive(Debug, Clone, serde::Serialize)]
struct EngineResult {
    seconds: f64,
    accuracy: Accuracy,
}

#[derive(Debug, Clone, serde::Serialize)]
struct SetResult {
    set: String,
    records: usize,
    nigehban: EngineResult,
    splink: Option<EngineResult>,
    splink_error: Option<String>,
}

fn set_path(dir: &Path, kind: SetKind, records: usize, seed: u64) -> PathBuf {
    dir.join(format!("{}-{records}-{seed}.csv", kind.as_str()))
}

/// Writes a set as CSV, unless a file of it is there already.
fn ensure_set(
    names: &NameLists,
    dir: &Path,
    kind: SetKind,
    records: usize,
    seed: u64,
) -> anyhow::Result<PathBuf> {
    let path = set_path(dir, kind, records, seed);
    if path.exists() {
        let first = std::fs::read_to_string(&path)
            .ok()
            .and_then(|t| t.lines().next().map(str::to_owned))
            .unwrap_or_default();
        if first == COLUMNS.join(",") {
            return Ok(path);
        }
    }
    let set = linkage_set(names, kind, records, seed);
    let mut w = csv::WriterBuilder::new().from_writer(Vec::with_capacity(records * 120));
    w.write_record(COLUMNS)?;
    for r in &set.records {
        w.write_record(r.cells())?;
    }
    let bytes = w.into_inner().map_err(|e| anyhow!("{e}"))?;
    crate::resolve::write_atomic(&path, &bytes)?;
    Ok(path)
}

/// (id, truth) of every record of a set file.
fn read_truth(path: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let mut rdr = csv::Reader::from_path(path).with_context(|| format!("{}", path.display()))?;
    let headers = rdr.headers()?.clone();
    let col = |n: &str| {
        headers
            .iter()
            .position(|h| h == n)
            .ok_or_else(|| anyhow!("{}: no column {n}", path.display()))
    };
    let (id, truth) = (col("id")?, col("truth")?);
    let mut out = Vec::new();
    for rec in rdr.records() {
        let rec = rec?;
        out.push((
            rec.get(id).unwrap_or("").to_string(),
            rec.get(truth).unwrap_or("").to_string(),
        ));
    }
    Ok(out)
}

/// id -> cluster of a clusters file (`id,cluster`).
fn read_clusters(path: &Path) -> anyhow::Result<HashMap<String, String>> {
    let mut rdr = csv::Reader::from_path(path).with_context(|| format!("{}", path.display()))?;
    let mut out = HashMap::new();
    for rec in rdr.records() {
        let rec = rec?;
        out.insert(
            rec.get(0).unwrap_or("").to_string(),
            rec.get(1).unwrap_or("").to_string(),
        );
    }
    Ok(out)
}

/// Runs `nigehban resolve dedupe` on a set, as an operator would; wall-clock seconds.
fn run_nigehban(args: &LinkageArgs, input: &Path, name: &str) -> anyhow::Result<(f64, PathBuf)> {
    let exe = std::env::current_exe().context("cannot find the nigehban executable")?;
    let pairs = args.dir.join(format!("{name}.nigehban_pairs.csv"));
    let clusters = args.dir.join(format!("{name}.nigehban_clusters.csv"));
    let mut cmd = Command::new(exe);
    cmd.arg("resolve")
        .arg("dedupe")
        .arg(input)
        .args(["--id", "id"]);
    for f in FIELDS {
        cmd.args(["--field", f]);
    }
    cmd.arg("--out")
        .arg(&pairs)
        .arg("--clusters")
        .arg(&clusters)
        .args(["--threshold", &args.threshold.to_string()])
        .args(["--seed", &args.seed.to_string()])
        .stdin(Stdio::null());
    let started = Instant::now();
    let out = cmd.output().context("cannot run nigehban resolve")?;
    let seconds = started.elapsed().as_secs_f64();
    let log = args.dir.join(format!("{name}.nigehban.log"));
    let mut text = out.stdout.clone();
    text.extend(&out.stderr);
    std::fs::write(&log, &text).with_context(|| format!("cannot write {}", log.display()))?;
    if !out.status.success() {
        bail!(
            "nigehban resolve failed on {}:\n{}",
            input.display(),
            String::from_utf8_lossy(&text)
        );
    }
    Ok((seconds, clusters))
}

/// A Python that imports splink: the one given, or the venv in target/splink-venv (made and
/// filled from requirements.txt when missing).
fn splink_python(args: &LinkageArgs) -> Result<(PathBuf, String), String> {
    let check = |py: &Path| -> Result<String, String> {
        let out = Command::new(py)
            .args([
                "-c",
                "import splink, duckdb; print(splink.__version__, duckdb.__version__)",
            ])
            .output()
            .map_err(|e| format!("{}: {e}", py.display()))?;
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
        } else {
            Err(format!(
                "{} cannot import splink: {}",
                py.display(),
                tail(&String::from_utf8_lossy(&out.stderr))
            ))
        }
    };
    if let Some(py) = &args.python {
        return check(py).map(|v| (py.clone(), v));
    }
    let venv = PathBuf::from("target/splink-venv");
    let py = venv.join("bin/python");
    if py.exists() {
        if let Ok(v) = check(&py) {
            return Ok((py, v));
        }
    }
    eprintln!("Installing Splink into {} (once) ...", venv.display());
    let out = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .map_err(|e| format!("python3 -m venv: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "python3 -m venv {} failed: {}",
            venv.display(),
            tail(&String::from_utf8_lossy(&out.stderr))
        ));
    }
    let req = args.dir.join("requirements.txt");
    std::fs::write(&req, REQUIREMENTS).map_err(|e| format!("{}: {e}", req.display()))?;
    let out = Command::new(&py)
        .args(["-m", "pip", "install", "--quiet", "-r"])
        .arg(&req)
        .output()
        .map_err(|e| format!("pip: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "pip install -r {} failed: {}",
            req.display(),
            tail(&String::from_utf8_lossy(&out.stderr))
        ));
    }
    check(&py).map(|v| (py, v))
}

fn tail(s: &str) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines
        .get(lines.len().saturating_sub(8)..)
        .unwrap_or(&[])
        .join("\n")
}

/// Runs Splink on a set; its own timing (reading the file to clusters) and its clusters.
fn run_splink(
    args: &LinkageArgs,
    python: &Path,
    input: &Path,
    name: &str,
) -> anyhow::Result<(f64, PathBuf)> {
    let script = args.dir.join("run_splink.py");
    std::fs::write(&script, RUN_SPLINK)?;
    let log_path = args.dir.join(format!("{name}.splink.log"));
    let log = std::fs::File::create(&log_path)?;
    let mut child = Command::new(python)
        .arg(&script)
        .arg("--input")
        .arg(input)
        .arg("--out-dir")
        .arg(&args.dir)
        .args(["--name", name])
        .args(["--threshold", &args.threshold.to_string()])
        .args(["--seed", &args.seed.to_string()])
        .args([
            "--threads",
            &nigehban_linkage::default_threads().to_string(),
        ])
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("cannot start Splink")?;
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait()? {
            break s;
        }
        if started.elapsed() > Duration::from_secs(args.splink_timeout) {
            let _ = child.kill();
            let _ = child.wait();
            bail!("stopped after {} s (--splink-timeout)", args.splink_timeout);
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    if !status.success() {
        let text = std::fs::read_to_string(&log_path).unwrap_or_default();
        bail!("Splink failed ({status}):\n{}", tail(&text));
    }
    let report: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(
        args.dir.join(format!("{name}.splink.json")),
    )?)?;
    let seconds = report
        .get("seconds")
        .and_then(serde_json::Value::as_f64)
        .ok_or_else(|| anyhow!("no timing in Splink's report"))?;
    Ok((
        seconds,
        args.dir.join(format!("{name}.splink_clusters.csv")),
    ))
}

fn machine() -> String {
    let cores = nigehban_linkage::default_threads();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|t| {
            t.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map(|kb| format!(", {:.0} GB memory", kb / 1024.0 / 1024.0))
        .unwrap_or_default();
    format!("{cores} cores ({cpu}){mem}")
}

fn fmt_acc(a: &Accuracy) -> String {
    format!("{:.4} {:.4} {:.4}", a.precision, a.recall, a.f1)
}

pub fn run(args: LinkageArgs) -> anyhow::Result<i32> {
    std::fs::create_dir_all(&args.dir)
        .with_context(|| format!("cannot create {}", args.dir.display()))?;
    let names = NameLists::embedded().map_err(|e| anyhow!("{e}"))?;
    if let Some(path) = &args.write_person_model {
        return write_person_model(&names, &args, path);
    }
    if !(args.threshold > 0.0 && args.threshold < 1.0) {
        bail!("--threshold {} is not between 0 and 1", args.threshold);
    }
    let kinds: Vec<SetKind> = if args.sets.is_empty() {
        SetKind::ACCURACY.to_vec()
    } else {
        args.sets
            .iter()
            .map(|s| SetKind::parse(s).ok_or_else(|| anyhow!("no set `{s}`")))
            .collect::<anyhow::Result<_>>()?
    };

    println!("Machine: {}", machine());
    let python = if args.skip_splink {
        println!("Splink: skipped (--skip-splink)");
        None
    } else {
        match splink_python(&args) {
            Ok((py, versions)) => {
                println!("Splink: {versions} (splink, duckdb) with {}", py.display());
                Some(py)
            }
            Err(e) => {
                println!(
                    "Splink: NOT RUN, it could not be installed or imported: {e}\n        \
                     Give a Python with splink 4.0.6 (--python PATH) or run with --skip-splink."
                );
                None
            }
        }
    };
    println!(
        "Both engines link and cluster at match probability {}; accuracy is over the pairs implied by each engine's clusters against the pairs of the truth.",
        args.threshold
    );
    println!(
        "Nigehban: `nigehban resolve dedupe` as a child process, wall clock. Splink: run_splink.py's own clock from reading the file to the clusters (Python start-up and imports not counted)."
    );
    println!();

    let mut results = Vec::new();
    let mut sets: Vec<(SetKind, usize)> = kinds.iter().map(|k| (*k, args.records)).collect();
    if args.throughput > 0 {
        sets.push((SetKind::Throughput, args.throughput));
    }
    let header = format!(
        "{:<22} {:>9} | {:<30} {:>8} | {:<30} {:>8}",
        "set", "records", "Nigehban P R F1", "seconds", "Splink P R F1", "seconds"
    );
    println!("{header}");
    println!("{}", "-".repeat(header.chars().count()));
    for (kind, records) in sets {
        eprintln!("generating {} ({records} records) ...", kind.as_str());
        let input = ensure_set(&names, &args.dir, kind, records, args.seed)?;
        let truth = read_truth(&input)?;
        let name = format!("{}-{records}", kind.as_str());
        eprintln!("running Nigehban on {name} ...");
        let (n_seconds, n_clusters) = run_nigehban(&args, &input, &name)?;
        let nigehban = EngineResult {
            seconds: n_seconds,
            accuracy: evaluate(&truth, &read_clusters(&n_clusters)?),
        };
        let (splink, splink_error) = match &python {
            Some(py) => {
                eprintln!("running Splink on {name} ...");
                match run_splink(&args, py, &input, &name) {
                    Ok((s, c)) => (
                        Some(EngineResult {
                            seconds: s,
                            accuracy: evaluate(&truth, &read_clusters(&c)?),
                        }),
                        None,
                    ),
                    Err(e) => (None, Some(format!("{e:#}"))),
                }
            }
            None => (None, None),
        };
        let splink_cols = match (&splink, &splink_error) {
            (Some(s), _) => format!("{:<30} {:>8.1}", fmt_acc(&s.accuracy), s.seconds),
            (None, Some(_)) => format!("{:<30} {:>8}", "failed (see below)", "-"),
            (None, None) => format!("{:<30} {:>8}", "-", "-"),
        };
        println!(
            "{:<22} {:>9} | {:<30} {:>8.1} | {}",
            kind.as_str(),
            records,
            fmt_acc(&nigehban.accuracy),
            nigehban.seconds,
            splink_cols
        );
        results.push(SetResult {
            set: kind.as_str().to_string(),
            records,
            nigehban,
            splink,
            splink_error,
        });
    }
    println!();
    for r in &results {
        if let Some(e) = &r.splink_error {
            println!("Splink on {}: {e}", r.set);
        }
    }
    if let Some(t) = results
        .iter()
        .find(|r| r.set == SetKind::Throughput.as_str())
    {
        let rate = |s: f64| t.records as f64 / s.max(1e-9);
        print!(
            "Throughput at {} records: Nigehban {:.1} s ({:.0} records/s)",
            t.records,
            t.nigehban.seconds,
            rate(t.nigehban.seconds)
        );
        match &t.splink {
            Some(s) => println!(
                "; Splink {:.1} s ({:.0} records/s); Nigehban is {:.1} times as fast.",
                s.seconds,
                rate(s.seconds),
                s.seconds / t.nigehban.seconds.max(1e-9)
            ),
            None => println!("; Splink not measured."),
        }
    }
    let json = serde_json::json!({
        "machine": machine(),
        "threshold": args.threshold,
        "seed": args.seed,
        "results": results,
    });
    let path = args.dir.join("results.json");
    std::fs::write(&path, serde_json::to_string_pretty(&json)?)?;
    println!("Figures written to {}", path.display());
    Ok(0)
}

/// Trains the built-in person model on a generated `mixed` set (name = given and family name,
/// parentage = father's name) and writes it.
fn write_person_model(names: &NameLists, args: &LinkageArgs, path: &Path) -> anyhow::Result<i32> {
    let set = linkage_set(names, SetKind::Mixed, args.records, args.seed);
    let tables = NameTables::embedded().map_err(|e| anyhow!("{e}"))?;
    let full: Vec<String> = set
        .records
        .iter()
        .map(|r| {
            format!("{} {}", r.given_name, r.family_name)
                .trim()
                .to_string()
        })
        .collect();
    let schema = Schema::person();
    let settings = Settings {
        seed: args.seed,
        ..Settings::default()
    };
    let data = Dataset::prepare(
        &schema,
        tables,
        set.records.len(),
        settings.threads,
        |r, f| {
            let rec = set.records.get(r);
            match f {
                0 => full.get(r).map(String::as_str).unwrap_or(""),
                1 => rec.map(|x| x.father_name.as_str()).unwrap_or(""),
                2 => rec.map(|x| x.dob.as_str()).unwrap_or(""),
                3 => rec.map(|x| x.cnic.as_str()).unwrap_or(""),
                4 => rec.map(|x| x.passport.as_str()).unwrap_or(""),
                _ => rec.map(|x| x.phone.as_str()).unwrap_or(""),
            }
        },
    );
    let out = Linker::new(tables, schema, settings)
        .run(&data, Mode::Dedupe, &[], &NoProgress)
        .map_err(|e| anyhow!("{e}"))?;
    let mut model = out.model;
    for f in &mut model.fields {
        // The table of common values of a synthetic register is no register's.
        f.tf = None;
        // Synthetic records never lose a passport or mistype some fields at all; real ones
        // do (a passport renewed has another number): no level below 1% among matches, and
        // a different document number at least 5%.
        for l in &mut f.levels {
            let floor = if f.kind == FieldKind::Identifier && l.code == "different" {
                0.05
            } else {
                0.01
            };
            l.m = l.m.max(floor);
            l.h = l.h.map(|h| h.max(0.01));
        }
        let (sm, sh): (f64, f64) = (
            f.levels.iter().map(|l| l.m).sum(),
            f.levels.iter().filter_map(|l| l.h).sum(),
        );
        for l in &mut f.levels {
            l.m /= sm;
            l.h = l.h.map(|h| h / sh);
        }
    }
    model.check().map_err(|e| anyhow!("{e}"))?;
    model.source = format!(
        "built-in person model: trained without labels by `nigehban bench linkage --write-person-model` on a generated `mixed` set of {} records (seed {}); every m and h at least 0.01, a different document number at least 0.05",
        args.records, args.seed
    );
    crate::resolve::write_atomic(path, model.to_json().as_bytes())?;
    println!("person model written to {}", path.display());
    Ok(0)
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

    fn truth(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn evaluator_counts_pairs_implied_by_clusters() {
        // Persons: {1,2,3}, {4,5}, {6}.
        let t = truth(&[
            ("1", "A"),
            ("2", "A"),
            ("3", "A"),
            ("4", "B"),
            ("5", "B"),
            ("6", "C"),
        ]);
        // Predicted: {1,2}, {3}, {4,5,6}: pairs 1-2, 4-5, 4-6, 5-6; correct 1-2 and 4-5.
        let c: HashMap<String, String> = [
            ("1", "x"),
            ("2", "x"),
            ("3", "y"),
            ("4", "z"),
            ("5", "z"),
            ("6", "z"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let a = evaluate(&t, &c);
        assert_eq!(
            (a.predicted_pairs, a.true_pairs, a.correct_pairs),
            (4, 4, 2)
        );
        assert!((a.precision - 0.5).abs() < 1e-12);
        assert!((a.recall - 0.5).abs() < 1e-12);
        assert!((a.f1 - 0.5).abs() < 1e-12);
        // Perfect clusters; records missing from the file are alone.
        let perfect: HashMap<String, String> = t
            .iter()
            .filter(|(id, _)| id != "6")
            .map(|(id, p)| (id.clone(), p.clone()))
            .collect();
        let a = evaluate(&t, &perfect);
        assert_eq!((a.precision, a.recall, a.f1), (1.0, 1.0, 1.0));
    }

    #[test]
    fn sets_are_written_once_and_their_truth_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let names = NameLists::embedded().unwrap();
        let p = ensure_set(&names, dir.path(), SetKind::Dates, 500, 3).unwrap();
        let first = std::fs::read(&p).unwrap();
        let again = ensure_set(&names, dir.path(), SetKind::Dates, 500, 3).unwrap();
        assert_eq!(first, std::fs::read(&again).unwrap());
        let t = read_truth(&p).unwrap();
        assert_eq!(t.len(), 500);
        let set = linkage_set(&names, SetKind::Dates, 500, 3);
        for ((id, truth), r) in t.iter().zip(&set.records) {
            assert_eq!((id, truth), (&r.id, &r.truth));
        }
        // The truth of a set judged against itself is perfect.
        let own: HashMap<String, String> = t.iter().cloned().collect();
        assert_eq!(evaluate(&t, &own).f1, 1.0);
    }
}
