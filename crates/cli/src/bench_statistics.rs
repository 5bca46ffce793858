//! `nigehban bench statistics`: how long the dashboard and each standard report take for the
//! nation (the analyst's whole agency) and a year, on a database of synthetic cases and persons
//! built once per size and seed (the demo generator: cases with their stage histories, verdicts,
//! persons received at intake), and how long rebuilding the statistics takes.

use crate::config::Config;
use anyhow::anyhow;
use chrono::Datelike;
use nigehban_core::actor::Principal;
use nigehban_core::service::ImportResult;
use nigehban_core::service::{DashboardInput, ReportInput};
use nigehban_core::Nigehban;
use nigehban_domain::intake::BatchInput;
use nigehban_domain::statistics::StatQueryInput;
use nigehban_synth::{Creator, NameLists};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, Clone, clap::Args)]
pub struct StatisticsArgs {
    /// Cases in the database (at least).
    #[arg(long, default_value_t = 200_000)]
    pub cases: usize,
    /// Persons in the database (at least).
    #[arg(long, default_value_t = 1_000_000)]
    pub persons: usize,
    /// Persons received at intake (at least): deportation and offloading lists of 500 through
    /// the real import and screening, arriving over the year measured.
    #[arg(long, default_value_t = 20_000)]
    pub received: usize,
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Timed runs of each page (the median is reported).
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
    /// Where the benchmark database lives (default: target/bench-statistics-CASES-PERSONS-SEED);
    /// NIGEHBAN_DATABASE_URL chooses PostgreSQL instead.
    #[arg(long)]
    pub dir: Option<PathBuf>,
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    v.get(v.len() / 2).copied().unwrap_or_default()
}

pub async fn run(cfg: &Config, args: StatisticsArgs) -> anyhow::Result<i32> {
    let mut cfg = cfg.clone();
    cfg.data_dir = args.dir.clone().unwrap_or_else(|| {
        PathBuf::from(format!(
            "target/bench-statistics-{}-{}-{}",
            args.cases, args.persons, args.seed
        ))
    });
    let app = crate::open(&cfg).await?;
    let have = app
        .store()
        .count_persons()
        .await
        .map_err(|e| anyhow!("{e}"))?;
    if have == 0 {
        let started = Instant::now();
        crate::demo::prepare(
            &app,
            &crate::demo::DemoArgs {
                seed: args.seed,
                cases: args.cases,
                persons: args.persons,
                no_serve: true,
            },
        )
        .await?;
        println!(
            "built the database in {:.0} s",
            started.elapsed().as_secs_f64()
        );
    } else {
        println!("reusing the database of {have} persons");
    }
    let mut started = Instant::now();
    let mut state = app
        .refresh_statistics(&Principal::system("bench"))
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let year = chrono::Utc::now().year();
    let have = usize::try_from(state.encounters).unwrap_or(0);
    if have < args.received {
        let t0 = Instant::now();
        receive(&app, args.received - have, args.seed, year).await?;
        println!(
            "received {} persons at intake in {:.0} s",
            args.received - have,
            t0.elapsed().as_secs_f64()
        );
        started = Instant::now();
        state = app
            .refresh_statistics(&Principal::system("bench"))
            .await
            .map_err(|e| anyhow!("{e}"))?;
    }
    let refresh = started.elapsed().as_secs_f64();
    let analyst = app.cli_actor("analyst").await.map_err(|e| anyhow!("{e}"))?;
    let backend = match app.store().backend() {
        nigehban_core::store::Backend::Sqlite => "SQLite",
        nigehban_core::store::Backend::Postgres => "PostgreSQL",
    };
    println!("statistics benchmark (seed {}, {backend})", args.seed);
    println!(
        "  facts:           {} cases, {} persons, {} persons received",
        state.cases, state.persons, state.encounters
    );
    println!("  rebuild:         {refresh:.2} s");
    let runs = args.runs.max(1);
    let period = |y: i32| (format!("{y}-01-01"), format!("{y}-12-31"));
    // The busiest year of the data, so the figures are not of an empty year.
    let mut busiest = (year, -1i64);
    for y in (year - 6)..=year {
        let (from, to) = period(y);
        let t = app
            .statistics_as_system(&StatQueryInput {
                from: Some(from),
                to: Some(to),
                ..Default::default()
            })
            .await
            .map_err(|e| anyhow!("{e}"))?;
        if t.total > busiest.1 {
            busiest = (y, t.total);
        }
    }
    let y = busiest.0;
    let (from, to) = period(y);
    println!(
        "  year:            {y} ({} cases registered in the nation)",
        busiest.1
    );
    let mut times = Vec::new();
    for _ in 0..runs {
        let t0 = Instant::now();
        app.dashboard(
            &analyst,
            &DashboardInput {
                from: Some(from.clone()),
                to: Some(to.clone()),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
        times.push(t0.elapsed().as_secs_f64());
    }
    println!(
        "  dashboard:       {:.3} s (median of {runs})",
        median(times)
    );
    let defs: Vec<String> = app
        .report_definitions()
        .map_err(|e| anyhow!("{e}"))?
        .iter()
        .map(|r| r.code.clone())
        .collect();
    for code in defs {
        let period = if code == "monthly_return" {
            format!("{y}-06")
        } else {
            y.to_string()
        };
        let mut times = Vec::new();
        for _ in 0..runs {
            let t0 = Instant::now();
            app.report(
                &analyst,
                &code,
                &ReportInput {
                    period: Some(period.clone()),
                    place: None,
                },
            )
            .await
            .map_err(|e| anyhow!("{e}"))?;
            times.push(t0.elapsed().as_secs_f64());
        }
        println!("  report {code:15} {:.3} s", median(times));
    }
    let mut times = Vec::new();
    for _ in 0..runs {
        let t0 = Instant::now();
        app.statistics(
            &analyst,
            &StatQueryInput {
                measure: Some("victims".into()),
                from: Some(from.clone()),
                to: Some(to.clone()),
                group: vec!["form".into(), "age_band".into()],
                ..Default::default()
            },
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
        times.push(t0.elapsed().as_secs_f64());
    }
    println!("  victims by form and age: {:.3} s", median(times));
    println!("  target:          under 1 s for any dashboard or report (nation, a year)");
    Ok(0)
}

/// Where and how the benchmark's lists arrive (Karachi's posts: the demo's intake officer's).
const POSTS: [&str; 3] = ["KHI-AIRPORT", "KHI-SEAPORT", "QASIM-SEAPORT"];
const KINDS: [&str; 2] = ["deportation", "offloading"];
const COUNTRIES: [&str; 6] = ["SAU", "ARE", "OMN", "IRN", "TUR", "GRC"];

/// Receive `n` persons at intake as the demo's Karachi intake officer: lists of 500 imported and
/// screened against everyone on record, the real path an officer's upload takes.
async fn receive(app: &Nigehban, n: usize, seed: u64, year: i32) -> anyhow::Result<()> {
    let names = NameLists::embedded().map_err(|e| anyhow!("{e}"))?;
    let officer = app
        .cli_actor("intake.khi")
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let creator = Creator {
        user_id: officer.user_id,
        unit_id: officer.unit_id,
        unit_code: officer.unit_code.clone(),
        agency: officer.agency.clone(),
        username: officer.username.clone(),
    };
    let today = chrono::Utc::now().date_naive();
    let start = chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(today);
    let span = (today - start).num_days().max(1);
    let bar = crate::demo::progress(n as u64, "receiving persons");
    let headers = crate::demo_intake::manifest_headers();
    for (i, list) in nigehban_synth::person_chunks(
        app.refdata(),
        &names,
        &creator,
        seed.wrapping_add(90_001),
        n,
        500,
    )
    .enumerate()
    {
        let rows: Vec<Vec<String>> = list
            .iter()
            .enumerate()
            .map(|(k, p)| crate::demo_intake::manifest_row(app, k + 1, p))
            .collect();
        let csv = nigehban_sheets::write_csv(&headers, &rows);
        let arrival = start + chrono::Duration::days((i as i64 * 37) % span);
        let pick = |options: &[&str]| options.get(i % options.len()).map(|s| s.to_string());
        let batch = app
            .create_batch(
                &officer,
                &BatchInput {
                    kind: pick(&KINDS),
                    post: pick(&POSTS),
                    arrival_date: Some(arrival.to_string()),
                    country: pick(&COUNTRIES),
                    reference: Some(format!("benchmark list {}", i + 1)),
                    ..Default::default()
                },
            )
            .await
            .map_err(|e| anyhow!("benchmark batch: {e}"))?;
        let outcome = app
            .import_manifest(&officer, batch.id, "list.csv", &csv, false, None)
            .await
            .map_err(|e| anyhow!("benchmark list: {e}"))?;
        if !matches!(outcome.result, ImportResult::Imported { .. }) {
            return Err(anyhow!(
                "benchmark list {} was not imported: {:?}",
                i + 1,
                outcome.result
            ));
        }
        bar.inc(list.len() as u64);
    }
    bar.finish();
    Ok(())
}
