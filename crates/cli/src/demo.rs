//! The demo: seeded synthetic data, demo users and a printed login; and `synth` for benchmarks.

use anyhow::{anyhow, Context};
use indicatif::{ProgressBar, ProgressStyle};
use nigehban_core::actor::Principal;
use nigehban_core::service::NewUserInput;
use nigehban_core::{CoreError, Nigehban};
use nigehban_domain::ValidationErrors;
use nigehban_synth::{Creator, DemoConfig, NameLists};
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Args)]
pub struct DemoArgs {
    /// Seed of the synthetic dataset (same seed, same data).
    #[arg(long, default_value_t = 2026)]
    pub seed: u64,
    #[arg(long, default_value_t = 2000)]
    pub cases: usize,
    #[arg(long, default_value_t = 10000)]
    pub persons: usize,
    /// Load the data and print the login, but do not start the server.
    #[arg(long)]
    pub no_serve: bool,
}

#[derive(Debug, Clone, clap::Args)]
pub struct SynthArgs {
    /// How many persons to write.
    #[arg(long)]
    pub persons: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write a CSV file instead of the database.
    #[arg(long)]
    pub csv: Option<PathBuf>,
    /// Persons per transaction.
    #[arg(long, default_value_t = 5000)]
    pub chunk: usize,
}

/// Demo accounts: (username, name, role, unit). The first is the one printed.
const DEMO_USERS: &[(&str, &str, &str, &str)] = &[
    (
        "investigator",
        "Inspector Ayesha Siddiqui",
        "investigator",
        "FIA-AHTC-LHE",
    ),
    (
        "inv.karachi",
        "Sub-Inspector Imran Memon",
        "investigator",
        "FIA-AHTC-KHI",
    ),
    (
        "inv.quetta",
        "Inspector Naseebullah Kakar",
        "investigator",
        "FIA-AHTC-UET",
    ),
    (
        "inv.gujrat",
        "Inspector Tariq Mahmood Cheema",
        "investigator",
        "FIA-AHTC-GRT",
    ),
    (
        "intake.khi",
        "ASI Zubair Baloch",
        "intake_officer",
        "FIA-IMM-KHI-SEAPORT",
    ),
    (
        "intake.taftan",
        "ASI Abdul Wahid Rind",
        "intake_officer",
        "FIA-IMM-TAFTAN",
    ),
    (
        "supervisor",
        "Deputy Director Farah Naz",
        "supervisor",
        "FIA-AHTC-LHE",
    ),
    ("police.ryk", "SHO Ghulam Mustafa", "investigator", "PP-RYK"),
    ("police.thar", "SI Kavita Kumari", "investigator", "SP-THR"),
    (
        "police.pesh",
        "SI Shah Faisal Khattak",
        "investigator",
        "KPP-PEW",
    ),
    (
        "fc.taftan",
        "Captain Junaid Afridi",
        "investigator",
        "FC-TAFTAN",
    ),
    (
        "coast.gwadar",
        "Lt Commander Saleem Dashti",
        "investigator",
        "PCG-GWD",
    ),
    ("prosecutor", "DPP Rabia Anwar", "prosecutor", "PROS-LHE"),
    (
        "ngo.worker",
        "Saima Bibi (Dastak)",
        "ngo_case_worker",
        "NGO-DASTAK-LHE",
    ),
    (
        "shelter.khi",
        "Nusrat Parveen (Dastak Shelter, Karachi)",
        "ngo_case_worker",
        "NGO-DASTAK-KHI",
    ),
    (
        "legalaid.khi",
        "Advocate Farhan Qureshi (Legal Aid Society)",
        "ngo_case_worker",
        "LAS-KHI",
    ),
    ("analyst", "Analyst Sana Javed", "analyst", "FIA-AHTC-ISB"),
    (
        "auditor",
        "Auditor Khalid Hussain",
        "auditor",
        "FIA-AHTC-ISB",
    ),
    (
        "admin",
        "System Administrator",
        "administrator",
        "FIA-AHTC-ISB",
    ),
];

/// Ensure the demo users exist with a fresh password, load the dataset if the database has no
/// cases yet, and return the login text to print.
pub async fn prepare(app: &Nigehban, args: &DemoArgs) -> anyhow::Result<String> {
    let by = Principal::system("demo");
    let password = nigehban_core::auth::generate_password();
    for (username, name, role, unit) in DEMO_USERS {
        let input = NewUserInput {
            username: (*username).into(),
            display_name: (*name).into(),
            role: (*role).into(),
            unit_code: (*unit).into(),
            password: password.clone(),
        };
        match app.add_user(&by, input).await {
            Ok(_) => {}
            Err(CoreError::Invalid(ValidationErrors(e)))
                if e.iter().any(|f| f.problem.code() == "duplicate") =>
            {
                app.set_password(&by, username, &password)
                    .await
                    .map_err(|e| anyhow!("demo user {username}: {e}"))?;
            }
            Err(e) => return Err(anyhow!("demo user {username}: {e}")),
        }
    }
    let existing = app
        .store()
        .count_cases()
        .await
        .map_err(|e| anyhow!("{e}"))?;
    if existing == 0 {
        load_dataset(app, args).await?;
    } else {
        eprintln!(
            "The database already holds {existing} cases: the demo dataset is not loaded again."
        );
    }
    let mut text = format!("Sign in as `investigator` (FIA Anti-Human Trafficking Circle, Lahore) with password: {password}\n");
    text.push_str("Other demo accounts, same password: ");
    text.push_str(
        &DEMO_USERS
            .iter()
            .skip(1)
            .map(|u| u.0)
            .collect::<Vec<_>>()
            .join(", "),
    );
    Ok(text)
}

async fn creators(app: &Nigehban, roles: &[&str]) -> anyhow::Result<Vec<Creator>> {
    let mut out = Vec::new();
    for (username, _, role, _) in DEMO_USERS {
        if roles.contains(role) {
            let a = app.cli_actor(username).await.map_err(|e| anyhow!("{e}"))?;
            out.push(Creator {
                user_id: a.user_id,
                unit_id: a.unit_id,
                unit_code: a.unit_code,
                agency: a.agency,
                username: a.username,
            });
        }
    }
    Ok(out)
}

async fn load_dataset(app: &Nigehban, args: &DemoArgs) -> anyhow::Result<()> {
    let names = NameLists::embedded().map_err(|e| anyhow!("{e}"))?;
    let creators = creators(app, &["investigator", "intake_officer"]).await?;
    let cfg = DemoConfig {
        seed: args.seed,
        cases: args.cases,
        persons: args.persons,
    };
    let batches = nigehban_synth::demo_batches(app.refdata(), &names, &creators, &cfg, 100)
        .map_err(|e| anyhow!("{e}"))?;
    let bar = progress(
        batches.iter().map(|b| b.cases.len() as u64).sum(),
        "loading demo cases",
    );
    let by = Principal::system("demo");
    for b in &batches {
        app.bulk_load(&by, b)
            .await
            .map_err(|e| anyhow!("loading the demo dataset: {e}"))?;
        bar.inc(b.cases.len() as u64);
    }
    bar.finish_with_message("demo dataset loaded");
    crate::demo_intake::load(app, &names, args.seed, &batches).await?;
    crate::demo_linkage::load(app).await?;
    crate::demo_victims::load(app).await?;
    crate::demo_ocindex::load(app).await?;
    Ok(())
}

pub(crate) fn progress(total: u64, what: &'static str) -> ProgressBar {
    let bar = ProgressBar::new(total);
    if let Ok(style) =
        ProgressStyle::with_template("{msg:24} [{bar:40}] {pos}/{len} ({per_sec}, eta {eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(what);
    bar
}

pub async fn synth_db(app: &Nigehban, args: &SynthArgs) -> anyhow::Result<()> {
    let names = NameLists::embedded().map_err(|e| anyhow!("{e}"))?;
    let creator = synth_creator(app).await?;
    let bar = progress(args.persons as u64, "writing persons");
    let by = Principal::system("synth");
    let started = std::time::Instant::now();
    for chunk in nigehban_synth::person_chunks(
        app.refdata(),
        &names,
        &creator,
        args.seed,
        args.persons,
        args.chunk.max(1),
    ) {
        let n = chunk.len() as u64;
        let batch = nigehban_core::store::BulkBatch {
            persons: chunk,
            cases: Vec::new(),
        };
        app.bulk_load(&by, &batch)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        bar.inc(n);
    }
    bar.finish();
    let secs = started.elapsed().as_secs_f64();
    println!(
        "wrote {} persons in {secs:.1} s ({:.0} persons/s)",
        args.persons,
        args.persons as f64 / secs.max(0.001)
    );
    Ok(())
}

/// Benchmark persons belong to the first FIA unit, created by the system.
async fn synth_creator(app: &Nigehban) -> anyhow::Result<Creator> {
    let unit = app
        .store()
        .unit_by_code("FIA-AHTC-ISB")
        .await
        .map_err(|e| anyhow!("{e}"))?
        .context("unit FIA-AHTC-ISB is missing")?;
    Ok(Creator {
        user_id: nigehban_domain::ids::UserId(uuid::Uuid::nil()),
        unit_id: unit.id,
        unit_code: unit.code,
        agency: unit.agency,
        username: "system:synth".into(),
    })
}

pub fn synth_csv(args: &SynthArgs) -> anyhow::Result<()> {
    let path = args.csv.clone().context("no CSV path")?;
    let refdata = nigehban_domain::reference::ReferenceData::embedded()?;
    let names = NameLists::embedded().map_err(|e| anyhow!("{e}"))?;
    let creator = Creator {
        user_id: nigehban_domain::ids::UserId(uuid::Uuid::nil()),
        unit_id: nigehban_domain::ids::UnitId(uuid::Uuid::nil()),
        unit_code: "SYNTH".into(),
        agency: "SYNTH".into(),
        username: "system:synth".into(),
    };
    let mut w = csv::Writer::from_path(&path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    let bar = progress(args.persons as u64, "writing persons");
    w.write_record([
        "id",
        "name_roman",
        "name_urdu",
        "parentage_relation",
        "parentage_roman",
        "parentage_urdu",
        "sex",
        "date_of_birth",
        "estimated_age",
        "nationality",
        "origin_district",
        "cnic",
        "passport",
        "phone",
    ])?;
    for chunk in nigehban_synth::person_chunks(
        &refdata,
        &names,
        &creator,
        args.seed,
        args.persons,
        args.chunk.max(1),
    ) {
        for p in &chunk {
            w.write_record(csv_row(p))?;
        }
        bar.inc(chunk.len() as u64);
    }
    w.flush()?;
    bar.finish();
    println!("wrote {} persons to {}", args.persons, path.display());
    Ok(())
}

fn csv_row(p: &nigehban_core::store::NewPerson) -> Vec<String> {
    use nigehban_domain::identifiers::IdentifierKind;
    use nigehban_domain::person::AgeInfo;
    let v = &p.person;
    let id_of = |k: IdentifierKind| {
        v.identifiers
            .iter()
            .find(|i| i.kind == k)
            .map(|i| i.value.clone())
            .unwrap_or_default()
    };
    let (dob, age) = match v.age {
        AgeInfo::DateOfBirth { date } => (date.to_string(), String::new()),
        AgeInfo::Estimated { years, .. } => (String::new(), years.to_string()),
        AgeInfo::Unknown => (String::new(), String::new()),
    };
    vec![
        p.id.to_string(),
        v.name.roman.clone().unwrap_or_default(),
        v.name.urdu.clone().unwrap_or_default(),
        v.parentage_relation
            .map(|r| r.abbreviation().to_string())
            .unwrap_or_default(),
        v.parentage.roman.clone().unwrap_or_default(),
        v.parentage.urdu.clone().unwrap_or_default(),
        v.sex.as_str().to_string(),
        dob,
        age,
        v.nationality_claimed.clone().unwrap_or_default(),
        v.origin_district.clone().unwrap_or_default(),
        id_of(IdentifierKind::Cnic),
        id_of(IdentifierKind::Passport),
        id_of(IdentifierKind::Phone),
    ]
}
