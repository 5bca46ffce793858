//! `nigehban intake import`, `nigehban watchlist import` and `nigehban bench screening`: the
//! intake work an operator runs on the server, in a named user's name (audited as that user).

use anyhow::{anyhow, Context};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use nigehban_core::service::{ImportOutcome, ImportResult};
use nigehban_core::{Actor, CoreError, Nigehban};
use nigehban_domain::ids::BatchId;
use nigehban_domain::intake::{BatchInput, WatchList};
use nigehban_i18n::{Catalog, Lang};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum IntakeCommand {
    /// Import a manifest (CSV or XLSX, any column order, UTF-8/UTF-16/Windows-1252) into a new
    /// batch, or into an existing one with --batch. Screens every person against the database.
    Import(ImportArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    /// The list as the sending authority sent it.
    pub file: PathBuf,
    /// deportation, handover, interception or offloading (for a new batch).
    #[arg(long)]
    pub batch_kind: Option<String>,
    /// The receiving post, a gazetteer code such as KHI-SEAPORT or TAFTAN (for a new batch).
    #[arg(long)]
    pub post: Option<String>,
    /// Sending country (deportation, handover) or intended destination, ISO alpha-3 (e.g. OMN).
    #[arg(long = "from")]
    pub from: Option<String>,
    /// Date of arrival (default: today).
    #[arg(long)]
    pub date: Option<String>,
    /// Where an interception happened.
    #[arg(long)]
    pub place: Option<String>,
    /// Flight, vessel or letter number.
    #[arg(long)]
    pub reference: Option<String>,
    /// Add to this existing batch (its id) instead of creating one.
    #[arg(long)]
    pub batch: Option<String>,
    /// The user the import is done as (audited in their name; must be active).
    #[arg(long = "as", default_value = "investigator")]
    pub as_user: String,
    /// Take the valid rows and report the others (default: nothing unless every row is valid).
    #[arg(long)]
    pub valid_rows_only: bool,
    /// Language of the report: en or ur.
    #[arg(long, default_value = "en")]
    pub lang: String,
}

#[derive(Subcommand)]
pub enum WatchlistCommand {
    /// Add the persons of a list file (CSV or XLSX, read like a manifest) to a watch list.
    Import {
        file: PathBuf,
        /// most_wanted or convicted.
        #[arg(long)]
        list: String,
        /// The edition of the book or list, e.g. "2025-06".
        #[arg(long)]
        edition: String,
        #[arg(long = "as", default_value = "investigator")]
        as_user: String,
        #[arg(long, default_value = "en")]
        lang: String,
    },
}

fn lang_of(raw: &str) -> anyhow::Result<Lang> {
    Lang::parse(raw).ok_or_else(|| anyhow!("unknown language `{raw}` (en or ur)"))
}

async fn operator(app: &Nigehban, username: &str) -> anyhow::Result<Actor> {
    app.cli_actor(username)
        .await
        .map_err(|_| anyhow!("no active user `{username}` (give one with --as)"))
}

fn describe_core(catalog: &Catalog, lang: Lang, e: CoreError) -> anyhow::Error {
    match e {
        CoreError::Invalid(errs) => {
            let lines: Vec<String> = errs
                .iter()
                .map(|fe| {
                    let args: Vec<(&str, String)> = fe.problem.args();
                    format!(
                        "{}: {}",
                        fe.field,
                        catalog.text_args(lang, &format!("problem-{}", fe.problem.code()), &args)
                    )
                })
                .collect();
            anyhow!("{}", lines.join("\n"))
        }
        other => anyhow!("{other}"),
    }
}

fn stage_bar() -> ProgressBar {
    let bar = ProgressBar::new(1);
    bar.set_style(
        ProgressStyle::with_template("{msg:10} [{bar:40}] {pos}/{len} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar
}

/// Print the located problems and the summary; the exit code is 0 when the file was taken (or
/// was taken before), 2 when nothing was imported.
fn report(catalog: &Catalog, lang: Lang, o: &ImportOutcome) -> i32 {
    for p in &o.problems {
        eprintln!("{}", p.describe(catalog, lang));
    }
    let t = |k: &str, a: &[(&str, String)]| catalog.text_args(lang, k, a);
    let file = o.file_name.clone();
    match &o.result {
        ImportResult::Unreadable => {
            eprintln!("{}", t("import-unreadable", &[("file", file)]));
            2
        }
        ImportResult::Refused { rejected_rows } => {
            eprintln!(
                "{}",
                t(
                    "import-refused",
                    &[
                        ("file", file),
                        ("rejected", rejected_rows.to_string()),
                        ("total", o.total_rows.to_string())
                    ]
                )
            );
            2
        }
        ImportResult::AlreadyImported { import } => {
            println!(
                "{}",
                t(
                    "import-already",
                    &[
                        ("file", file),
                        ("date", import.at.format("%Y-%m-%d %H:%M").to_string())
                    ]
                )
            );
            0
        }
        ImportResult::Imported {
            added,
            flagged,
            victim_screening,
            existing_persons,
        } => {
            println!(
                "{}",
                t(
                    "import-done",
                    &[
                        ("file", file),
                        ("added", added.added.to_string()),
                        ("already", added.already_in_batch.to_string()),
                        ("rejected", o.rejected_rows.to_string()),
                        ("flagged", flagged.to_string()),
                        ("screening", victim_screening.to_string()),
                        ("existing", existing_persons.to_string()),
                    ]
                )
            );
            0
        }
    }
}

/// The command-line flag of a batch field, so an error names what the operator typed.
fn batch_flag(field: &str) -> &str {
    match field {
        "kind" => "--batch-kind",
        "post" => "--post",
        "arrival_date" => "--date",
        "country" => "--from",
        "place" => "--place",
        "reference" => "--reference",
        other => other,
    }
}

fn describe_batch_errors(
    catalog: &Catalog,
    lang: Lang,
    errs: &nigehban_domain::error::ValidationErrors,
) -> anyhow::Error {
    let lines: Vec<String> = errs
        .iter()
        .map(|fe| {
            let args: Vec<(&str, String)> = fe.problem.args();
            format!(
                "{}: {}",
                batch_flag(&fe.field),
                catalog.text_args(lang, &format!("problem-{}", fe.problem.code()), &args)
            )
        })
        .collect();
    anyhow!("{}", lines.join("\n"))
}

/// What is decided before a new batch is created for a file, so that a file that is refused or
/// was taken before leaves no empty batch behind.
async fn precheck_new_batch(
    app: &Nigehban,
    actor: &Actor,
    file_name: &str,
    bytes: &[u8],
    valid_rows_only: bool,
) -> anyhow::Result<Option<ImportOutcome>> {
    let outcome = |total: usize, rejected: usize, problems, result| ImportOutcome {
        file_name: file_name.to_string(),
        total_rows: i64::try_from(total).unwrap_or(i64::MAX),
        rejected_rows: i64::try_from(rejected).unwrap_or(i64::MAX),
        problems,
        result,
    };
    let today = chrono::Utc::now().date_naive();
    let report = match nigehban_sheets::parse_manifest(file_name, bytes, app.refdata(), today) {
        Ok(r) => r,
        Err(f) => return Ok(Some(outcome(0, 0, f.problems, ImportResult::Unreadable))),
    };
    if report.rows.is_empty() || (report.rejected_rows > 0 && !valid_rows_only) {
        let rejected = if report.rows.is_empty() {
            report.total_rows
        } else {
            report.rejected_rows
        };
        return Ok(Some(outcome(
            report.total_rows,
            rejected,
            report.problems,
            ImportResult::Refused {
                rejected_rows: i64::try_from(rejected).unwrap_or(i64::MAX),
            },
        )));
    }
    // The same file taken into one of the unit's batches before: point at that batch.
    let hash = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes));
    let batches = app.batches(actor).await.map_err(|e| anyhow!("{e}"))?;
    for b in batches {
        if let Some(import) = app
            .store()
            .import_of(b.id, &hash)
            .await
            .map_err(|e| anyhow!("{e}"))?
        {
            println!("batch {}", b.id);
            return Ok(Some(outcome(
                report.total_rows,
                report.rejected_rows,
                Vec::new(),
                ImportResult::AlreadyImported { import },
            )));
        }
    }
    Ok(None)
}

pub async fn intake(app: &Nigehban, cmd: IntakeCommand) -> anyhow::Result<i32> {
    let IntakeCommand::Import(a) = cmd;
    let catalog = Catalog::embedded()?;
    let lang = lang_of(&a.lang)?;
    let actor = operator(app, &a.as_user).await?;
    let bytes =
        std::fs::read(&a.file).with_context(|| format!("cannot read {}", a.file.display()))?;
    let file_name = a
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| a.file.display().to_string());
    let batch_id = match &a.batch {
        Some(id) => id
            .parse::<BatchId>()
            .map_err(|_| anyhow!("--batch: `{id}` is not a batch id"))?,
        None => {
            let input = BatchInput {
                kind: a.batch_kind.clone(),
                post: a.post.clone(),
                arrival_date: Some(
                    a.date
                        .clone()
                        .unwrap_or_else(|| chrono::Utc::now().date_naive().to_string()),
                ),
                country: a.from.clone(),
                place: a.place.clone(),
                reference: a.reference.clone(),
                notes: None,
            };
            input
                .validate(app.refdata(), chrono::Utc::now().date_naive())
                .map_err(|errs| describe_batch_errors(&catalog, lang, &errs))?;
            if let Some(done) =
                precheck_new_batch(app, &actor, &file_name, &bytes, a.valid_rows_only).await?
            {
                return Ok(report(&catalog, lang, &done));
            }
            let b = app
                .create_batch(&actor, &input)
                .await
                .map_err(|e| match e {
                    CoreError::Invalid(errs) => describe_batch_errors(&catalog, lang, &errs),
                    other => describe_core(&catalog, lang, other),
                })?;
            println!("batch {}", b.id);
            b.id
        }
    };
    let bar = stage_bar();
    let progress = |stage: &str, done: u64, total: u64| {
        bar.set_message(stage.to_string());
        bar.set_length(total.max(1));
        bar.set_position(done);
    };
    let outcome = app
        .import_manifest(
            &actor,
            batch_id,
            &file_name,
            &bytes,
            !a.valid_rows_only,
            Some(&progress),
        )
        .await
        .map_err(|e| describe_core(&catalog, lang, e))?;
    bar.finish_and_clear();
    Ok(report(&catalog, lang, &outcome))
}

pub async fn watchlist(app: &Nigehban, cmd: WatchlistCommand) -> anyhow::Result<i32> {
    let WatchlistCommand::Import {
        file,
        list,
        edition,
        as_user,
        lang,
    } = cmd;
    let catalog = Catalog::embedded()?;
    let lang = lang_of(&lang)?;
    let list = WatchList::parse(&list)
        .ok_or_else(|| anyhow!("--list: `{list}` is not most_wanted or convicted"))?;
    let actor = operator(app, &as_user).await?;
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let report = match nigehban_sheets::parse_manifest(
        &name,
        &bytes,
        app.refdata(),
        chrono::Utc::now().date_naive(),
    ) {
        Ok(r) => r,
        Err(f) => {
            for p in &f.problems {
                eprintln!("{}", p.describe(&catalog, lang));
            }
            return Ok(2);
        }
    };
    for p in &report.problems {
        eprintln!("{}", p.describe(&catalog, lang));
    }
    if report.problems.iter().any(|p| p.is_error()) {
        eprintln!("nothing was added: correct the rows above and run again");
        return Ok(2);
    }
    let persons = report
        .rows
        .into_iter()
        .map(|r| {
            let offence = r.extra.reason.or(r.extra.remarks);
            (r.person, r.extra.flight_or_vessel, offence)
        })
        .collect();
    let n = app
        .add_to_watchlist(&actor, list, &edition, persons)
        .await
        .map_err(|e| describe_core(&catalog, lang, e))?;
    println!(
        "{n} persons added to the {} list, edition {edition}",
        list.as_str()
    );
    Ok(0)
}
