//! `nigehban`: the one binary. It chooses the storage backend from the configuration, wires the
//! core, the web server and the synthetic-data generator together, and offers the
//! administrative commands.

mod bench;
mod bench_linkage;
mod bench_statistics;
mod config;
mod demo;
mod demo_intake;
mod demo_linkage;
mod demo_ocindex;
mod demo_victims;
mod exchange;
mod intake;
mod ocindex;
mod resolve;

use anyhow::{anyhow, bail, Context};
use clap::{Parser, Subcommand};
use config::{Config, ConfigArgs};
use nigehban_core::actor::Principal;
use nigehban_core::audit::ChainBreak;
use nigehban_core::service::NewUserInput;
use nigehban_core::{CoreError, Nigehban};
use nigehban_domain::reference::ReferenceData;
use nigehban_i18n::{Catalog, Lang};
use nigehban_storage::{redact, DatabaseUrl, Keyring, SqlStore};
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "nigehban",
    version,
    about = "Nigehban: case management against human trafficking and migrant smuggling"
)]
struct Cli {
    #[command(flatten)]
    config: ConfigArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server.
    Serve,
    /// Load a synthetic, realistic dataset (once), print a login, and start the web server.
    Demo(demo::DemoArgs),
    /// Write synthetic persons for benchmarks, into the database or a CSV file.
    Synth(demo::SynthArgs),
    /// Manage user accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The data keys that seal identities at rest.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Write a backup of the whole database (sealed values stay sealed; keep the key file apart).
    Backup {
        /// The backup file to write (`-` for standard output).
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// Restore a backup into an empty database (of either backend), with the same key file.
    Restore {
        /// The backup file to read.
        file: std::path::PathBuf,
    },
    /// Intake of deportees, offloadees and intercepted migrants.
    #[command(subcommand)]
    Intake(intake::IntakeCommand),
    /// The watch lists intake screens against (most wanted, convicted).
    #[command(subcommand)]
    Watchlist(intake::WatchlistCommand),
    /// Cases to and from the Human Trafficking Case Data Standard (HTCDS v2.0).
    #[command(subcommand)]
    Htcds(exchange::HtcdsCommand),
    /// The anonymised victim release in CTDC variables, under a k-anonymity check.
    #[command(subcommand)]
    Ctdc(exchange::CtdcCommand),
    /// The Global Organized Crime Index: load its published scores, print country profiles.
    #[command(subcommand)]
    Ocindex(ocindex::OcindexCommand),
    /// Measure performance with fixed seeds and sizes, and print the figures.
    #[command(subcommand)]
    Bench(bench::BenchCommand),
    /// Record linkage of any person list (CSV or workbook), without a database: find the
    /// records of one list (dedupe) or of two lists (link) that are the same person.
    #[command(subcommand)]
    Resolve(resolve::ResolveCommand),
    /// Print a commented example configuration file.
    DefaultConfig,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user. Without --password, a random one is generated and printed.
    Add {
        #[arg(long)]
        username: String,
        /// Full name as shown in the interface.
        #[arg(long)]
        name: String,
        /// intake_officer, investigator, supervisor, analyst, prosecutor, ngo_case_worker, auditor or administrator.
        #[arg(long)]
        role: String,
        /// Unit code, e.g. FIA-AHTC-LHE.
        #[arg(long)]
        unit: String,
        #[arg(long, env = "NIGEHBAN_NEW_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Set a user's password (ends their open sessions).
    SetPassword {
        #[arg(long)]
        username: String,
        #[arg(long, env = "NIGEHBAN_NEW_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Add a new data key, re-seal every protected value under it, then retire the old keys.
    /// Run it while the server is stopped.
    Rotate,
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain of the audit log; exits non-zero naming the first bad entry.
    Verify,
}

fn main() {
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            1
        }
    };
    std::process::exit(code);
}

fn run(cli: Cli) -> anyhow::Result<i32> {
    if let Command::DefaultConfig = cli.command {
        print!("{}", config::example());
        return Ok(0);
    }
    if let Command::Resolve(cmd) = cli.command {
        // Works on files only: no configuration, no database.
        return resolve::run(cmd);
    }
    let cfg = cli.config.resolve()?;
    init_logging(&cfg.log);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    rt.block_on(async move {
        match cli.command {
            Command::DefaultConfig | Command::Resolve(_) => Ok(0),
            Command::Serve => {
                let app = open(&cfg).await?;
                serve(app, &cfg, None).await?;
                Ok(0)
            }
            Command::Demo(args) => {
                let app = open(&cfg).await?;
                let login = demo::prepare(&app, &args).await?;
                if args.no_serve {
                    println!("{login}");
                    return Ok(0);
                }
                serve(app, &cfg, Some(login)).await?;
                Ok(0)
            }
            Command::Synth(args) => {
                if args.csv.is_some() {
                    demo::synth_csv(&args)?;
                } else {
                    let app = open(&cfg).await?;
                    demo::synth_db(&app, &args).await?;
                }
                Ok(0)
            }
            Command::User(cmd) => {
                let app = open(&cfg).await?;
                user(&app, cmd).await
            }
            Command::Audit(AuditCommand::Verify) => {
                let app = open(&cfg).await?;
                audit_verify(&app).await
            }
            Command::Keys(KeysCommand::Rotate) => rotate_keys(&cfg).await,
            Command::Backup { out } => backup(&cfg, &out).await,
            Command::Restore { file } => restore(&cfg, &file).await,
            Command::Intake(cmd) => {
                let app = open(&cfg).await?;
                intake::intake(&app, cmd).await
            }
            Command::Watchlist(cmd) => {
                let app = open(&cfg).await?;
                intake::watchlist(&app, cmd).await
            }
            Command::Htcds(cmd) => exchange::htcds(&open(&cfg).await?, cmd).await,
            Command::Ctdc(cmd) => exchange::ctdc(&open(&cfg).await?, cmd).await,
            Command::Ocindex(cmd) => {
                let app = open(&cfg).await?;
                ocindex::run(&app, cmd).await
            }
            Command::Bench(cmd) => bench::run(&cfg, cmd).await,
        }
    })
}

fn init_logging(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// The database chosen by the configuration: a URL if given, else SQLite in the data directory.
pub fn database_url(cfg: &Config) -> anyhow::Result<DatabaseUrl> {
    if cfg.database_url.trim().is_empty() {
        std::fs::create_dir_all(&cfg.data_dir)
            .with_context(|| format!("cannot create data directory {}", cfg.data_dir.display()))?;
        Ok(DatabaseUrl::in_data_dir(&cfg.data_dir))
    } else {
        DatabaseUrl::parse(&cfg.database_url).map_err(|e| anyhow!("{e}"))
    }
}

/// Where the data keys live: NIGEHBAN_KEY, the configured key file, or nigehban.key in the data directory.
enum KeySource {
    Env(String),
    File(std::path::PathBuf),
}

fn key_source(cfg: &Config) -> KeySource {
    match std::env::var("NIGEHBAN_KEY") {
        Ok(k) if !k.trim().is_empty() => KeySource::Env(k),
        _ if !cfg.key_file.trim().is_empty() => KeySource::File(cfg.key_file.clone().into()),
        _ => KeySource::File(cfg.data_dir.join("nigehban.key")),
    }
}

fn load_keys(cfg: &Config) -> anyhow::Result<Keyring> {
    match key_source(cfg) {
        KeySource::Env(k) => Keyring::from_base64_key(&k).map_err(|e| anyhow!("NIGEHBAN_KEY: {e}")),
        KeySource::File(path) => {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            let (keys, created) = Keyring::load_or_create(&path).map_err(|e| anyhow!("{e}"))?;
            if created {
                eprintln!(
                    "Created a new data key in {}. Identities are sealed with it: back it up apart from the database; without it the data cannot be read.",
                    path.display()
                );
            }
            Ok(keys)
        }
    }
}

/// The store itself, for commands that work below the core (backup and restore).
async fn open_store(cfg: &Config) -> anyhow::Result<SqlStore> {
    let url = database_url(cfg)?;
    let keys = load_keys(cfg)?;
    let shown = match &url {
        DatabaseUrl::Sqlite(u) | DatabaseUrl::Postgres(u) => redact(u),
    };
    SqlStore::connect(&url, keys)
        .await
        .map_err(|e| anyhow!("{shown}: {e}"))
}

async fn backup(cfg: &Config, out: &std::path::Path) -> anyhow::Result<i32> {
    let store = open_store(cfg).await?;
    let summary = if out.as_os_str() == "-" {
        nigehban_storage::backup(&store, &mut std::io::stdout()).await
    } else {
        let mut file = std::fs::File::create(out)
            .with_context(|| format!("cannot create {}", out.display()))?;
        nigehban_storage::backup(&store, &mut file).await
    }
    .map_err(|e| anyhow!("backup failed: {e}"))?;
    eprintln!(
        "backup written: {} tables, {} rows",
        summary.tables.len(),
        summary.rows()
    );
    Ok(0)
}

async fn restore(cfg: &Config, file: &std::path::Path) -> anyhow::Result<i32> {
    let store = open_store(cfg).await?;
    let f = std::fs::File::open(file).with_context(|| format!("cannot open {}", file.display()))?;
    let mut reader = std::io::BufReader::new(f);
    let summary = nigehban_storage::restore(&store, &mut reader)
        .await
        .map_err(|e| anyhow!("{}: {e}", file.display()))?;
    println!(
        "restored {} tables, {} rows; run `nigehban audit verify` to check the audit chain",
        summary.tables.len(),
        summary.rows()
    );
    Ok(0)
}

pub(crate) async fn open(cfg: &Config) -> anyhow::Result<Nigehban> {
    // The URL is checked before anything (a key file included) is created.
    let url = database_url(cfg)?;
    let keys = load_keys(cfg)?;
    open_with(url, keys).await
}

async fn open_with(url: DatabaseUrl, keys: Keyring) -> anyhow::Result<Nigehban> {
    let shown = match &url {
        DatabaseUrl::Sqlite(u) | DatabaseUrl::Postgres(u) => redact(u),
    };
    let refdata = Arc::new(ReferenceData::embedded()?);
    // Every embedded table is checked before anything is served: a bad one stops the program.
    nigehban_names::NameTables::embedded().map_err(|e| anyhow!("{e}"))?;
    nigehban_sheets::check_embedded_data(&refdata)
        .map_err(|problems| anyhow!("{}", problems.join("\n")))?;
    nigehban_core::service::check_statistics_reference()
        .map_err(|problems| anyhow!("{}", problems.join("\n")))?;
    nigehban_exchange::Mapping::embedded(&refdata)
        .map_err(|problems| anyhow!("{}", problems.join("\n")))?;
    nigehban_ocindex::Method::embedded().map_err(|e| anyhow!("{e}"))?;
    let store = SqlStore::connect(&url, keys)
        .await
        .map_err(|e| anyhow!("{shown}: {e}"))?;
    tracing::info!(database = %shown, "database ready");
    let app = Nigehban::new(Arc::new(store), refdata);
    app.bootstrap()
        .await
        .map_err(|e| anyhow!("cannot seed organisations: {e}"))?;
    Ok(app)
}

async fn serve(app: Nigehban, cfg: &Config, login: Option<String>) -> anyhow::Result<()> {
    let i18n = Arc::new(Catalog::embedded()?);
    let listener = tokio::net::TcpListener::bind(&cfg.listen)
        .await
        .with_context(|| format!("cannot listen on {}", cfg.listen))?;
    let addr = listener.local_addr()?;
    // Look for insider-abuse patterns every few minutes while serving.
    let scanner = app.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(300));
        loop {
            every.tick().await;
            match scanner.scan_alerts().await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(
                    new_alerts = n,
                    "insider-abuse alerts raised; see the audit review"
                ),
                Err(e) => tracing::error!(error = %e, "alert scan failed"),
            }
        }
    });
    // Build the statistics before serving (dashboards read the rebuilt facts), then on a timer.
    let by = nigehban_core::actor::Principal::system("statistics");
    match app.refresh_statistics(&by).await {
        Ok(s) => tracing::info!(
            cases = s.cases,
            persons = s.persons,
            took_ms = s.took_ms,
            "statistics built"
        ),
        Err(e) => tracing::error!(error = %e, "statistics build failed"),
    }
    let minutes = cfg.statistics_refresh_minutes;
    if minutes > 0 {
        let refresher = app.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_secs(minutes.saturating_mul(60)))
                    .await;
                if let Err(e) = refresher.refresh_statistics(&by).await {
                    tracing::error!(error = %e, "statistics rebuild failed");
                }
            }
        });
    }
    let state = nigehban_web::AppState::new(app, i18n, cfg.secure_cookies);
    println!("Nigehban is listening on http://{addr}/");
    if let Some(l) = login {
        println!("{l}");
    }
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    nigehban_web::serve(listener, state, shutdown).await?;
    Ok(())
}

fn describe(e: &CoreError) -> String {
    let cat = Catalog::embedded().ok();
    match (e, cat) {
        (CoreError::Invalid(errs), Some(cat)) => errs
            .iter()
            .map(|f| {
                let msg = cat.text_args(
                    Lang::En,
                    &format!("problem-{}", f.problem.code()),
                    &f.problem.args(),
                );
                format!("--{}: {msg}", f.field.replace('_', "-"))
            })
            .collect::<Vec<_>>()
            .join("\n"),
        _ => e.to_string(),
    }
}

async fn user(app: &Nigehban, cmd: UserCommand) -> anyhow::Result<i32> {
    let by = Principal::system("cli");
    match cmd {
        UserCommand::Add {
            username,
            name,
            role,
            unit,
            password,
        } => {
            let generated = password.is_none();
            let password = password.unwrap_or_else(nigehban_core::auth::generate_password);
            let input = NewUserInput {
                username,
                display_name: name,
                role,
                unit_code: unit,
                password: password.clone(),
            };
            match app.add_user(&by, input).await {
                Ok(u) => {
                    println!(
                        "created user {} ({}, {})",
                        u.username,
                        u.role.as_str(),
                        u.unit_code
                    );
                    if generated {
                        println!("password: {password}");
                    }
                    Ok(0)
                }
                Err(e) => bail!("{}", describe(&e)),
            }
        }
        UserCommand::SetPassword { username, password } => {
            let generated = password.is_none();
            let password = password.unwrap_or_else(nigehban_core::auth::generate_password);
            match app.set_password(&by, &username, &password).await {
                Ok(()) => {
                    println!("password changed for {username}");
                    if generated {
                        println!("password: {password}");
                    }
                    Ok(0)
                }
                Err(CoreError::NotFound) => bail!("no user named {username}"),
                Err(e) => bail!("{}", describe(&e)),
            }
        }
    }
}

async fn audit_verify(app: &Nigehban) -> anyhow::Result<i32> {
    let report = app.verify_audit().await.map_err(|e| anyhow!("{e}"))?;
    match report.first_bad {
        None => {
            println!("audit log intact: {} entries verified", report.checked);
            Ok(0)
        }
        Some((seq, why)) => {
            let reason = match why {
                ChainBreak::Edited => "its contents do not match its hash (edited)".to_string(),
                ChainBreak::Unlinked => "it does not follow the entry before it (entries deleted, inserted or reordered)".to_string(),
                ChainBreak::Gap { expected } => format!("entry {expected} is missing (deleted)"),
                ChainBreak::Truncated { head_seq } => format!("the log ends early: the chain head records {head_seq} entries (deleted)"),
            };
            eprintln!(
                "audit log BROKEN at entry {seq}: {reason}; {} entries before it verified",
                report.checked
            );
            Ok(2)
        }
    }
}

/// Rotate the data key: the key file first gains the new key (so nothing is ever sealed under a
/// key that is not on disk), every value is re-sealed, then the old keys are retired.
async fn rotate_keys(cfg: &Config) -> anyhow::Result<i32> {
    let KeySource::File(path) = key_source(cfg) else {
        bail!("keys rotate works on a key file; NIGEHBAN_KEY is set: unset it and use --key-file");
    };
    let url = database_url(cfg)?;
    let mut keys = load_keys(cfg)?;
    let new_id = keys.rotate();
    keys.save(&path).map_err(|e| anyhow!("{e}"))?;
    let app = open_with(url, keys.clone()).await?;
    let report = app
        .reseal_all(&Principal::system("keys"))
        .await
        .map_err(|e| anyhow!("{e}"))?;
    keys.retire_old();
    keys.save(&path).map_err(|e| anyhow!("{e}"))?;
    println!(
        "data key {new_id} now seals everything: {} persons, {} identifiers and {} other values re-sealed; older keys retired from {}",
        report.persons,
        report.identifiers,
        report.other,
        path.display()
    );
    Ok(0)
}
