//! `nigehban htcds export|import` and `nigehban ctdc export`: data exchange an operator runs on the
//! server, in a named user's name (audited as that user, under that user's access).

use anyhow::{anyhow, Context};
use clap::{Args, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use nigehban_core::service::{HtcdsImportReport, PeriodInput};
use nigehban_core::{Actor, CoreError, Nigehban};
use nigehban_exchange::FileFormat;
use nigehban_i18n::{Catalog, Lang};
use std::path::{Path, PathBuf};

#[derive(Subcommand)]
pub enum HtcdsCommand {
    /// Export the cases the user sees whose offence date falls in the period, in the Human
    /// Trafficking Case Data Standard v2.0 (one row per person in a case).
    Export(HtcdsExportArgs),
    /// Import an HTCDS file (CSV, XLSX or JSON) into the user's unit: every row checked first,
    /// nothing imported from a file with an error, cases imported before skipped.
    Import(HtcdsImportArgs),
}

#[derive(Args)]
pub struct HtcdsExportArgs {
    /// First offence date (YYYY-MM-DD).
    #[arg(long)]
    pub from: String,
    /// Last offence date (YYYY-MM-DD).
    #[arg(long)]
    pub to: String,
    /// The file to write: .csv, .xlsx or .json.
    #[arg(long)]
    pub out: PathBuf,
    /// The user the export is done as (a supervisor; audited in their name).
    #[arg(long = "as", default_value = "supervisor")]
    pub as_user: String,
    #[arg(long, default_value = "en")]
    pub lang: String,
}

#[derive(Args)]
pub struct HtcdsImportArgs {
    pub file: PathBuf,
    #[arg(long = "as", default_value = "supervisor")]
    pub as_user: String,
    #[arg(long, default_value = "en")]
    pub lang: String,
}

#[derive(Subcommand)]
pub enum CtdcCommand {
    /// Write the anonymised victim table (CTDC variables) of the cases the user sees, refused
    /// unless every group of gender, age band, citizenship and country of exploitation holds k.
    Export(CtdcExportArgs),
}

#[derive(Args)]
pub struct CtdcExportArgs {
    /// The smallest group allowed (at least 2).
    #[arg(long, default_value_t = nigehban_exchange::ctdc::DEFAULT_K)]
    pub k: usize,
    /// First offence date (default: the earliest).
    #[arg(long, default_value = "1900-01-01")]
    pub from: String,
    /// Last offence date (default: today).
    #[arg(long)]
    pub to: Option<String>,
    /// The file to write: .csv, .xlsx or .json.
    #[arg(long)]
    pub out: PathBuf,
    /// Refuse instead of suppressing: no cell set to unknown, no victim left out.
    #[arg(long)]
    pub no_suppression: bool,
    /// The user the release is done as (an analyst or a supervisor).
    #[arg(long = "as", default_value = "analyst")]
    pub as_user: String,
    #[arg(long, default_value = "en")]
    pub lang: String,
}

fn lang_of(raw: &str) -> anyhow::Result<Lang> {
    Lang::parse(raw).ok_or_else(|| anyhow!("unknown language `{raw}` (en or ur)"))
}

async fn operator(app: &Nigehban, username: &str) -> anyhow::Result<Actor> {
    app.cli_actor(username)
        .await
        .map_err(|_| anyhow!("no active user `{username}` (give one with --as)"))
}

fn format_of(out: &Path) -> anyhow::Result<FileFormat> {
    FileFormat::parse(&out.to_string_lossy()).ok_or_else(|| {
        anyhow!(
            "{}: the file must end in .csv, .xlsx or .json",
            out.display()
        )
    })
}

/// A refusal or invalid input in words (the period's fields named as the flags).
fn describe(catalog: &Catalog, lang: Lang, e: CoreError) -> anyhow::Error {
    match e {
        CoreError::Invalid(errs) => {
            let lines: Vec<String> = errs
                .iter()
                .map(|fe| {
                    let args = fe.problem.args();
                    format!(
                        "--{}: {}",
                        fe.field,
                        catalog.text_args(lang, &format!("problem-{}", fe.problem.code()), &args)
                    )
                })
                .collect();
            anyhow!("{}", lines.join("\n"))
        }
        CoreError::Forbidden(what) => {
            anyhow!("{} ({what})", catalog.text(lang, "error-forbidden"))
        }
        other => anyhow!("{other}"),
    }
}

fn spinner(msg: &str) -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar.set_message(msg.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Write a file whole or not at all: a temporary file beside it, renamed over it.
fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

pub async fn htcds(app: &Nigehban, cmd: HtcdsCommand) -> anyhow::Result<i32> {
    let catalog = Catalog::embedded()?;
    match cmd {
        HtcdsCommand::Export(a) => {
            let lang = lang_of(&a.lang)?;
            let format = format_of(&a.out)?;
            let actor = operator(app, &a.as_user).await?;
            let bar = spinner(&catalog.text(lang, "exchange-htcds-export-heading"));
            let period = PeriodInput {
                from: Some(a.from),
                to: Some(a.to),
            };
            let out = app.export_htcds(&actor, &period, format).await;
            bar.finish_and_clear();
            let out = out.map_err(|e| describe(&catalog, lang, e))?;
            write_atomic(&a.out, &out.bytes)?;
            println!(
                "{}",
                catalog.text_args(
                    lang,
                    "exchange-export-done",
                    &[
                        ("file", a.out.display().to_string()),
                        ("cases", out.cases.to_string()),
                        ("rows", out.rows.to_string()),
                        ("withheld", out.withheld.to_string()),
                    ],
                )
            );
            Ok(0)
        }
        HtcdsCommand::Import(a) => {
            let lang = lang_of(&a.lang)?;
            let actor = operator(app, &a.as_user).await?;
            let bytes = std::fs::read(&a.file)
                .with_context(|| format!("cannot read {}", a.file.display()))?;
            let name = a
                .file
                .file_name()
                .map(|n| n.to_string_lossy().to_string())
                .unwrap_or_else(|| a.file.display().to_string());
            let bar = spinner(&catalog.text(lang, "exchange-htcds-import-heading"));
            let report = app.import_htcds(&actor, &name, &bytes).await;
            bar.finish_and_clear();
            let report = report.map_err(|e| describe(&catalog, lang, e))?;
            Ok(print_import(&catalog, lang, &report))
        }
    }
}

/// The import's report: refused (every problem located, exit 2), or what was written and every
/// value kept without a Nigehban field.
pub fn print_import(catalog: &Catalog, lang: Lang, r: &HtcdsImportReport) -> i32 {
    let t = |k: &str, a: &[(&str, String)]| catalog.text_args(lang, k, a);
    if !r.imported() {
        eprintln!(
            "{}",
            t(
                "exchange-import-refused",
                &[
                    ("file", r.file.clone()),
                    ("problems", r.problems.len().to_string())
                ]
            )
        );
        for p in &r.problems {
            eprintln!("  {}", p.describe(catalog, lang));
        }
        return 2;
    }
    if r.written.added.is_empty() {
        println!(
            "{}",
            t(
                "exchange-import-nothing-new",
                &[
                    ("file", r.file.clone()),
                    ("skipped", r.written.skipped.len().to_string())
                ]
            )
        );
    } else {
        let numbers: Vec<String> = r.written.added.iter().map(|(_, n)| n.to_string()).collect();
        println!(
            "{}",
            t(
                "exchange-import-done",
                &[
                    ("file", r.file.clone()),
                    ("added", r.written.added.len().to_string()),
                    ("numbers", nigehban_core::service::first_of(&numbers, 10)),
                    ("persons", r.written.persons_added.to_string()),
                    ("skipped", r.written.skipped.len().to_string()),
                ]
            )
        );
    }
    if !r.unmapped.is_empty() {
        println!(
            "{}",
            t(
                "exchange-unmapped-heading",
                &[("count", r.unmapped.len().to_string())]
            )
        );
        for u in &r.unmapped {
            println!(
                "  {}",
                t(
                    "exchange-unmapped-line",
                    &[
                        ("row", u.row.to_string()),
                        ("column", u.column.clone()),
                        ("header", u.header.clone()),
                        ("value", u.value.clone()),
                        ("reason", catalog.text(lang, u.reason.message_id())),
                    ]
                )
            );
        }
    }
    if !r.warnings.is_empty() {
        println!("{}", catalog.text(lang, "exchange-warnings-heading"));
        for w in &r.warnings {
            println!("  {}", w.describe(catalog, lang));
        }
    }
    0
}

pub async fn ctdc(app: &Nigehban, cmd: CtdcCommand) -> anyhow::Result<i32> {
    let catalog = Catalog::embedded()?;
    let CtdcCommand::Export(a) = cmd;
    let lang = lang_of(&a.lang)?;
    let format = format_of(&a.out)?;
    let actor = operator(app, &a.as_user).await?;
    let period = PeriodInput {
        from: Some(a.from),
        to: Some(a.to.unwrap_or_else(|| chrono::Utc::now().date_naive().to_string())),
    };
    let bar = spinner(&catalog.text(lang, "exchange-ctdc-heading"));
    let out = app
        .release_ctdc(&actor, &period, a.k, !a.no_suppression, format)
        .await;
    bar.finish_and_clear();
    let out = out.map_err(|e| describe(&catalog, lang, e))?;
    if let Some(refusal) = &out.refused {
        let reason = catalog.text_args(lang, refusal.message_id(), &refusal.args());
        eprintln!(
            "{}",
            catalog.text_args(lang, "exchange-ctdc-refused", &[("reason", reason)])
        );
        return Ok(2);
    }
    let bytes = out
        .bytes
        .as_deref()
        .ok_or_else(|| anyhow!("the release produced no file"))?;
    write_atomic(&a.out, bytes)?;
    println!(
        "{}",
        catalog.text_args(
            lang,
            "exchange-ctdc-done",
            &[
                ("rows", out.rows.to_string()),
                ("victims", out.victims.to_string()),
                ("k", out.k.to_string()),
                ("classes", out.classes.to_string()),
                ("smallest", out.smallest_class.to_string()),
                ("cells", out.suppression.cells_total().to_string()),
                ("records", out.suppression.records.to_string()),
            ],
        )
    );
    Ok(0)
}
