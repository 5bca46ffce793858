//! `nigehban bench`: performance figures with fixed seeds and sizes, printed (never asserted in
//! tests, where timings would only make the suite flaky).

use crate::config::Config;
use anyhow::{anyhow, Context};
use clap::Subcommand;
use nigehban_core::actor::Principal;
use nigehban_core::service::NewUserInput;
use nigehban_core::store::BulkBatch;
use nigehban_core::Nigehban;
use nigehban_domain::identifiers::IdentifierKind;
use nigehban_domain::person::ValidatedPerson;
use nigehban_synth::{Creator, NameLists};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Screen a manifest against a database of synthetic persons and print how long it takes.
    /// The database is built once per size and seed (in --dir) and reused by later runs.
    Screening {
        /// Persons in the database.
        #[arg(long, default_value_t = 1_000_000)]
        persons: usize,
        /// Persons on the manifest: a quarter are on record with the same passport or CNIC, a
        /// quarter on record under their name only, the rest new.
        #[arg(long, default_value_t = 500)]
        manifest: usize,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Timed screenings (the median is reported).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Where the benchmark database lives (default: target/bench-screening-PERSONS-SEED).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Accuracy (precision, recall, F1) and speed of `nigehban resolve` against Splink on
    /// generated person lists with known truth, and throughput on a million records.
    Linkage(crate::bench_linkage::LinkageArgs),
    /// How long the dashboard and the standard reports take for a year, on synthetic cases and
    /// persons (default 200,000 and 1,000,000), and how long rebuilding the statistics takes.
    Statistics(crate::bench_statistics::StatisticsArgs),
}

/// Persons generated and written per transaction when the database is built.
const BUILD_CHUNK: usize = 5000;

/// Synthetic persons are generated as of a fixed day, so a seed gives the same persons every year.
fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default()
}

fn creator(unit: &nigehban_domain::org::Unit) -> Creator {
    Creator {
        user_id: nigehban_domain::ids::UserId(uuid::Uuid::nil()),
        unit_id: unit.id,
        unit_code: unit.code.clone(),
        agency: unit.agency.clone(),
        username: "system:bench".into(),
    }
}

pub async fn run(cfg: &Config, cmd: BenchCommand) -> anyhow::Result<i32> {
    let (persons, manifest, seed, runs, dir) = match cmd {
        BenchCommand::Screening {
            persons,
            manifest,
            seed,
            runs,
            dir,
        } => (persons, manifest, seed, runs, dir),
        BenchCommand::Linkage(args) => return crate::bench_linkage::run(args),
        BenchCommand::Statistics(args) => return crate::bench_statistics::run(cfg, args).await,
    };
    let mut cfg = cfg.clone();
    cfg.data_dir =
        dir.unwrap_or_else(|| PathBuf::from(format!("target/bench-screening-{persons}-{seed}")));
    let app = crate::open(&cfg).await?;
    let names = NameLists::embedded().map_err(|e| anyhow!("{e}"))?;
    let unit = app
        .store()
        .unit_by_code("FIA-IMM-KHI-SEAPORT")
        .await
        .map_err(|e| anyhow!("{e}"))?
        .context("unit FIA-IMM-KHI-SEAPORT is missing")?;
    let creator = creator(&unit);

    let have = app
        .store()
        .count_persons()
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let have = usize::try_from(have).unwrap_or(0);
    if have == 0 {
        let bar = crate::demo::progress(persons as u64, "building the database");
        let started = Instant::now();
        let by = Principal::system("bench");
        for chunk in nigehban_synth::person_chunks_as_of(
            app.refdata(),
            &names,
            &creator,
            seed,
            persons,
            BUILD_CHUNK,
            as_of(),
        ) {
            let n = chunk.len() as u64;
            app.bulk_load(
                &by,
                &BulkBatch {
                    persons: chunk,
                    cases: Vec::new(),
                },
            )
            .await
            .map_err(|e| anyhow!("{e}"))?;
            bar.inc(n);
        }
        bar.finish_and_clear();
        println!(
            "built a database of {persons} persons in {:.0} s",
            started.elapsed().as_secs_f64()
        );
    } else if have != persons {
        anyhow::bail!(
            "{} holds {have} persons, not {persons}: give another --dir or remove it",
            cfg.data_dir.display()
        );
    } else {
        println!(
            "reusing the database of {have} persons in {}",
            cfg.data_dir.display()
        );
    }

    let actor = bench_actor(&app).await?;
    let rows = manifest_persons(&app, &names, &creator, seed, persons, manifest);
    let input: Vec<(&ValidatedPerson, Option<&str>)> = rows.iter().map(|p| (p, None)).collect();
    let mut times = Vec::new();
    let mut flagged = 0;
    let mut same = 0;
    for _ in 0..runs.max(1) {
        let started = Instant::now();
        let results = app
            .screen_rows(&actor, &input)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        times.push(started.elapsed().as_secs_f64());
        flagged = results.iter().filter(|r| !r.flags.is_empty()).count();
        same = results.iter().filter(|r| r.existing.is_some()).count();
    }
    times.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let median = times.get(times.len() / 2).copied().unwrap_or_default();
    let best = times.first().copied().unwrap_or_default();
    println!(
        "screening benchmark (seed {seed}, {} backend)",
        backend(&app)
    );
    println!("  database:        {persons} persons");
    println!("  manifest:        {manifest} persons");
    println!("  runs:            {}", times.len());
    println!("  median:          {median:.3} s");
    println!("  best:            {best:.3} s");
    println!(
        "  per person:      {:.2} ms",
        median * 1000.0 / manifest.max(1) as f64
    );
    println!("  flagged:         {flagged} (same document: {same})");
    println!("  target:          at most 2 s for 500 against 1,000,000");
    breakdown(&app, &rows).await?;
    Ok(0)
}

/// One more screening's store lookups, each timed, in the order the service makes them: where
/// the time goes when the figure above is too high.
async fn breakdown(app: &Nigehban, rows: &[ValidatedPerson]) -> anyhow::Result<()> {
    use nigehban_core::screening;
    use std::collections::HashSet;
    let names = nigehban_names::NameTables::embedded().map_err(|e| anyhow!("{e}"))?;
    let store = app.store();
    let err = |e: nigehban_core::error::StoreError| anyhow!("{e}");
    println!("  lookups (one more run):");
    let started = Instant::now();
    let ids: Vec<_> = rows
        .iter()
        .flat_map(|p| screening::strong_identifiers(p).cloned())
        .collect();
    let by_id = store.persons_by_identifiers(&ids).await.map_err(err)?;
    step("identifiers", started, ids.len(), by_id.len());
    let started = Instant::now();
    let mut keys: Vec<String> = rows
        .iter()
        .flat_map(|p| screening::match_keys(names, p))
        .collect();
    keys.sort();
    keys.dedup();
    step("match keys (computed)", started, rows.len(), keys.len());
    let started = Instant::now();
    let by_key = store
        .persons_by_match_keys(&keys, screening::PER_KEY_LIMIT)
        .await
        .map_err(err)?;
    step("match keys (looked up)", started, keys.len(), by_key.len());
    let mut wanted: Vec<_> = by_id
        .iter()
        .map(|(_, p)| *p)
        .chain(by_key.iter().map(|(_, p)| *p))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    wanted.sort();
    let started = Instant::now();
    let candidates = store.candidates(&wanted).await.map_err(err)?;
    step("candidates", started, wanted.len(), candidates.len());
    let known: Vec<_> = candidates.iter().map(|c| c.person_id).collect();
    let started = Instant::now();
    let encounters = store.encounters(&known).await.map_err(err)?;
    step("encounters", started, known.len(), encounters.len());
    let started = Instant::now();
    let listed = store.watchlist_of(&known).await.map_err(err)?;
    step("watch lists", started, known.len(), listed.len());

    // The scoring of the candidates (pure computation, no store).
    let mut g = screening::Gathered::default();
    for (i, pid) in by_id {
        g.by_identifier
            .entry((i.kind, i.value))
            .or_default()
            .push(pid);
    }
    let mut hits_by_kind: std::collections::BTreeMap<String, usize> = Default::default();
    for (k, pid) in by_key {
        let kind = k.split(':').next().unwrap_or_default().to_string();
        *hits_by_kind.entry(kind).or_default() += 1;
        g.by_key.entry(k).or_default().push(pid);
    }
    for c in candidates {
        g.candidates.insert(c.person_id, c);
    }
    for e in encounters {
        g.encounters.entry(e.person_id).or_default().push(e);
    }
    for w in listed {
        g.watchlist.entry(w.person_id).or_default().push(w);
    }
    let started = Instant::now();
    let flagged = rows
        .iter()
        .map(|p| screening::flags_for(names, p, Vec::new(), &g, None))
        .filter(|r| !r.flags.is_empty())
        .count();
    step("scoring", started, rows.len(), flagged);
    let kinds: Vec<String> = hits_by_kind
        .iter()
        .map(|(k, n)| format!("{k}: {n}"))
        .collect();
    println!("    match-key hits by kind:  {}", kinds.join(", "));
    Ok(())
}

fn step(what: &str, started: Instant, asked: usize, found: usize) {
    println!(
        "    {what:24} {:8.3} s  ({asked} asked, {found} found)",
        started.elapsed().as_secs_f64()
    );
}

fn backend(app: &Nigehban) -> &'static str {
    match app.store().backend() {
        nigehban_core::store::Backend::Sqlite => "SQLite",
        nigehban_core::store::Backend::Postgres => "PostgreSQL",
    }
}

/// The benchmark's own intake officer at the Karachi seaport.
async fn bench_actor(app: &Nigehban) -> anyhow::Result<nigehban_core::Actor> {
    const USER: &str = "bench.screening";
    if let Ok(a) = app.cli_actor(USER).await {
        return Ok(a);
    }
    let password = nigehban_core::auth::generate_password();
    app.add_user(
        &Principal::system("bench"),
        NewUserInput {
            username: USER.into(),
            display_name: "Screening benchmark".into(),
            role: "intake_officer".into(),
            unit_code: "FIA-IMM-KHI-SEAPORT".into(),
            password,
        },
    )
    .await
    .map_err(|e| anyhow!("{e}"))?;
    app.cli_actor(USER).await.map_err(|e| anyhow!("{e}"))
}

/// The manifest: the first quarter are persons on record (same documents), the next quarter
/// persons on record without their documents (found by name, parentage and birth date only), the
/// rest new persons from another seed.
fn manifest_persons(
    app: &Nigehban,
    names: &NameLists,
    creator: &Creator,
    seed: u64,
    persons: usize,
    manifest: usize,
) -> Vec<ValidatedPerson> {
    let known = (manifest / 2).min(persons);
    // The first persons of the database, generated exactly as it was built (the generator's
    // stream depends on its length and chunking, so the same arguments are given).
    let mut out: Vec<ValidatedPerson> = nigehban_synth::person_chunks_as_of(
        app.refdata(),
        names,
        creator,
        seed,
        persons,
        BUILD_CHUNK,
        as_of(),
    )
    .flatten()
    .take(known)
    .map(|np| np.person)
    .collect();
    for p in out.iter_mut().skip(known / 2) {
        p.identifiers
            .retain(|i| !matches!(i.kind, IdentifierKind::Cnic | IdentifierKind::Passport));
    }
    out.extend(
        nigehban_synth::person_chunks_as_of(
            app.refdata(),
            names,
            creator,
            seed.wrapping_add(1_000_003),
            manifest - known,
            (manifest - known).max(1),
            as_of(),
        )
        .flatten()
        .map(|np| np.person),
    );
    out
}
