//! `nigehban ocindex import|profile|compare`: the Global Organized Crime Index on the command line.
//! Import loads the Index's published workbook (all or nothing, every problem located); profile
//! prints a country's profile as the Index publishes it (criminality with its markets and actors,
//! resilience, ranks overall, in the continent and in the region); compare puts countries side by
//! side. The operator on the server acts as the system (audited as `system:cli`).

use anyhow::{anyhow, bail, Context};
use clap::Subcommand;
use nigehban_core::actor::Principal;
use nigehban_core::service::{CountryProfile, IndexImport};
use nigehban_core::{CoreError, Nigehban};
use nigehban_domain::reference::ReferenceData;
use nigehban_i18n::{Catalog, Lang};
use nigehban_ocindex::{slug, Method, Pillar, Rank, RankSet, WorkbookProblem};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum OcindexCommand {
    /// Load the Index's published scores of every country (its dataset workbook, XLSX, with the
    /// sheets 2021_dataset and 2023_dataset). All or nothing: any problem is reported with its
    /// sheet, row and column and nothing is loaded. Loading the same scores again changes nothing.
    Import {
        /// The workbook, e.g. global_oc_index.xlsx as published by the Global Initiative.
        file: PathBuf,
        /// Language of the report: en or ur.
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Print a country's profile: criminality with each criminal market and actor type,
    /// resilience with each indicator, and the ranks overall, in the continent and in the region.
    Profile {
        /// ISO 3166 alpha-3 code, e.g. PAK.
        #[arg(long)]
        country: String,
        /// The edition of the Index: 2021 or 2023.
        #[arg(long)]
        year: i32,
        #[arg(long, default_value = "en")]
        lang: String,
    },
    /// Put countries side by side (composites, every indicator, ranks), in one edition or, without
    /// --year, in every edition loaded.
    Compare {
        /// ISO 3166 alpha-3 codes; repeat the option: --country PAK --country AFG.
        #[arg(long = "country", required = true)]
        countries: Vec<String>,
        #[arg(long)]
        year: Option<i32>,
        #[arg(long, default_value = "en")]
        lang: String,
    },
}

fn lang_of(raw: &str) -> anyhow::Result<Lang> {
    Lang::parse(raw).ok_or_else(|| anyhow!("unknown language `{raw}` (en or ur)"))
}

struct Words<'a> {
    cat: &'a Catalog,
    lang: Lang,
    refdata: &'a ReferenceData,
}

impl Words<'_> {
    fn t(&self, key: &str) -> String {
        self.cat.text(self.lang, key)
    }
    fn ta(&self, key: &str, args: &[(&str, String)]) -> String {
        self.cat.text_args(self.lang, key, args)
    }
    /// A continent's or region's name in the language, or as the Index writes it.
    fn place(&self, kind: &str, name: &str) -> String {
        let key = format!("ocindex-{kind}-{}", slug(name));
        if self.cat.has(self.lang, &key) {
            self.t(&key)
        } else {
            name.to_string()
        }
    }
    fn country(&self, p: &CountryProfile) -> String {
        match (self.lang, self.refdata.country(&p.iso3)) {
            (Lang::Ur, Some(c)) => c.name_ur.clone(),
            _ => p.name.clone(),
        }
    }
    fn ranks(&self, p: &CountryProfile, r: &RankSet) -> String {
        let arg = |r: Rank| [("rank", r.rank.to_string()), ("of", r.of.to_string())];
        let [a, b] = arg(r.overall);
        let overall = self.ta("ocindex-rank-overall", &[a, b]);
        let [a, b] = arg(r.continent);
        let continent = self.ta(
            "ocindex-rank-continent",
            &[a, b, ("continent", self.place("continent", &p.continent))],
        );
        let [a, b] = arg(r.region);
        let region = self.ta(
            "ocindex-rank-region",
            &[a, b, ("region", self.place("region", &p.region))],
        );
        format!("{overall} · {continent} · {region}")
    }
    /// A located workbook problem in the language.
    fn problem(&self, p: &WorkbookProblem) -> String {
        let mut at = vec![p.file.clone()];
        if let Some(s) = &p.sheet {
            at.push(self.ta("ocindex-at-sheet", &[("sheet", s.clone())]));
        }
        if let Some(r) = p.row {
            at.push(self.ta("ocindex-at-row", &[("row", r.to_string())]));
        }
        if let Some(c) = &p.column {
            let col = self.ta("ocindex-at-column", &[("column", c.clone())]);
            match &p.header {
                Some(h) if !h.is_empty() => at.push(format!("{col} ({h})")),
                _ => at.push(col),
            }
        }
        let what = self.ta(
            &format!("ocindex-problem-{}", p.error.code()),
            &p.error.args(),
        );
        format!("{}: {what}", at.join(", "))
    }
}

/// Text padded to a width in characters (Urdu included), for aligned columns.
fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

pub async fn run(app: &Nigehban, cmd: OcindexCommand) -> anyhow::Result<i32> {
    let cat = Catalog::embedded()?;
    match cmd {
        OcindexCommand::Import { file, lang } => {
            let w = Words {
                cat: &cat,
                lang: lang_of(&lang)?,
                refdata: app.refdata(),
            };
            import(app, &w, &file).await
        }
        OcindexCommand::Profile {
            country,
            year,
            lang,
        } => {
            let w = Words {
                cat: &cat,
                lang: lang_of(&lang)?,
                refdata: app.refdata(),
            };
            let p = profile_of(app, &w, &country, year).await?;
            print!("{}", render_profile(&w, &p)?);
            Ok(0)
        }
        OcindexCommand::Compare {
            countries,
            year,
            lang,
        } => {
            let w = Words {
                cat: &cat,
                lang: lang_of(&lang)?,
                refdata: app.refdata(),
            };
            compare(app, &w, &countries, year).await
        }
    }
}

async fn import(app: &Nigehban, w: &Words<'_>, file: &std::path::Path) -> anyhow::Result<i32> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string());
    eprintln!(
        "{}",
        w.ta(
            "ocindex-cli-reading",
            &[("file", name.clone()), ("bytes", bytes.len().to_string())]
        )
    );
    let outcome = app
        .import_index(&Principal::system("cli"), &name, &bytes)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    match outcome {
        IndexImport::Refused { problems } => {
            for p in &problems {
                eprintln!("{}", w.problem(p));
            }
            eprintln!(
                "{}",
                w.ta(
                    "ocindex-cli-refused",
                    &[("file", name), ("count", problems.len().to_string())]
                )
            );
            Ok(2)
        }
        IndexImport::Imported(s) => {
            for (year, countries) in &s.editions {
                let state = if s.applied.changed.contains(year) {
                    w.t("ocindex-cli-state-changed")
                } else {
                    w.t("ocindex-cli-state-unchanged")
                };
                println!(
                    "{}",
                    w.ta(
                        "ocindex-cli-edition",
                        &[
                            ("year", year.to_string()),
                            ("countries", countries.to_string()),
                            ("state", state)
                        ]
                    )
                );
            }
            if s.unchanged() {
                println!("{}", w.t("ocindex-cli-unchanged"));
            } else {
                println!("{}", w.t("ocindex-cli-imported"));
            }
            Ok(0)
        }
    }
}

async fn profile_of(
    app: &Nigehban,
    w: &Words<'_>,
    iso3: &str,
    year: i32,
) -> anyhow::Result<CountryProfile> {
    let by = Principal::system("cli");
    let held = app.index_editions(&by).await.map_err(|e| anyhow!("{e}"))?;
    if held.is_empty() {
        bail!("{}", w.t("ocindex-cli-not-loaded"));
    }
    if !held.iter().any(|e| e.year == year) {
        let loaded = held
            .iter()
            .map(|e| e.year.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        bail!(
            "{}",
            w.ta(
                "ocindex-cli-no-edition",
                &[("year", year.to_string()), ("loaded", loaded)]
            )
        );
    }
    match app.country_profile(&by, iso3, year).await {
        Ok(p) => Ok(p),
        Err(CoreError::NotFound) => bail!(
            "{}",
            w.ta(
                "ocindex-cli-no-country",
                &[
                    ("iso3", iso3.trim().to_ascii_uppercase()),
                    ("year", year.to_string())
                ]
            )
        ),
        Err(e) => Err(anyhow!("{e}")),
    }
}

/// The profile as the Index lays it out: criminality (markets, actors) then resilience.
fn render_profile(w: &Words<'_>, p: &CountryProfile) -> anyhow::Result<String> {
    let m = Method::embedded().map_err(|e| anyhow!("{e}"))?;
    let edition = m
        .edition(p.edition)
        .ok_or_else(|| anyhow!("unknown edition {}", p.edition))?;
    const W: usize = 48;
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(s.trim_end());
        out.push('\n');
    };
    line(format!(
        "{} ({}) — {}",
        w.country(p),
        p.iso3,
        w.ta("ocindex-index-name", &[("year", p.edition.to_string())])
    ));
    line(w.ta(
        "ocindex-profile-place",
        &[
            ("continent", w.place("continent", &p.continent)),
            ("region", w.place("region", &p.region)),
        ],
    ));
    line(String::new());
    let c = &p.composites;
    line(format!(
        "{} {}   {}",
        pad(&w.t("ocindex-criminality").to_uppercase(), W),
        c.criminality,
        w.ranks(p, &p.ranks.criminality)
    ));
    for pillar in [Pillar::Markets, Pillar::Actors] {
        let value = c.get(pillar.into());
        line(format!(
            "  {} {value}",
            pad(
                &w.t(&format!("ocindex-{}", pillar.as_str())).to_uppercase(),
                W - 2
            )
        ));
        for i in edition.pillar(pillar) {
            let score = p
                .scores
                .get(&i.code)
                .map(|s| s.to_string())
                .unwrap_or_default();
            line(format!(
                "    {} {score}",
                pad(&w.t(&format!("ocindex-ind-{}", i.code)), W - 4)
            ));
        }
    }
    line(String::new());
    line(format!(
        "{} {}   {}",
        pad(&w.t("ocindex-resilience").to_uppercase(), W),
        c.resilience,
        w.ranks(p, &p.ranks.resilience)
    ));
    for i in edition.pillar(Pillar::Resilience) {
        let score = p
            .scores
            .get(&i.code)
            .map(|s| s.to_string())
            .unwrap_or_default();
        line(format!(
            "    {} {score}",
            pad(&w.t(&format!("ocindex-ind-{}", i.code)), W - 4)
        ));
    }
    Ok(out)
}

async fn compare(
    app: &Nigehban,
    w: &Words<'_>,
    countries: &[String],
    year: Option<i32>,
) -> anyhow::Result<i32> {
    let by = Principal::system("cli");
    let years: Vec<i32> = match year {
        Some(y) => vec![y],
        None => app
            .index_editions(&by)
            .await
            .map_err(|e| anyhow!("{e}"))?
            .into_iter()
            .map(|e| e.year)
            .collect(),
    };
    let mut profiles = Vec::new();
    for y in &years {
        for c in countries {
            profiles.push(profile_of(app, w, c, *y).await?);
        }
    }
    if profiles.is_empty() {
        bail!("{}", w.t("ocindex-cli-not-loaded"));
    }
    let m = Method::embedded().map_err(|e| anyhow!("{e}"))?;
    const LABEL: usize = 44;
    const COL: usize = 12;
    let mut header = pad("", LABEL);
    for p in &profiles {
        header.push_str(&pad(&format!("{} {}", p.iso3, p.edition), COL));
    }
    println!("{}", header.trim_end());
    let row = |label: String, cells: Vec<String>| {
        let mut s = pad(&label, LABEL);
        for c in cells {
            s.push_str(&pad(&c, COL));
        }
        println!("{}", s.trim_end());
    };
    row(
        w.t("ocindex-criminality"),
        profiles
            .iter()
            .map(|p| p.composites.criminality.to_string())
            .collect(),
    );
    row(
        format!("  {}", w.t("ocindex-rank")),
        profiles
            .iter()
            .map(|p| {
                format!(
                    "{}/{}",
                    p.ranks.criminality.overall.rank, p.ranks.criminality.overall.of
                )
            })
            .collect(),
    );
    for pillar in Pillar::ALL {
        row(
            w.t(&format!("ocindex-{}", pillar.as_str())),
            profiles
                .iter()
                .map(|p| p.composites.get(pillar.into()).to_string())
                .collect(),
        );
        if pillar == Pillar::Resilience {
            row(
                format!("  {}", w.t("ocindex-rank")),
                profiles
                    .iter()
                    .map(|p| {
                        format!(
                            "{}/{}",
                            p.ranks.resilience.overall.rank, p.ranks.resilience.overall.of
                        )
                    })
                    .collect(),
            );
        }
        for i in m
            .all_indicators()
            .into_iter()
            .filter(|i| i.pillar == pillar)
        {
            row(
                format!("  {}", w.t(&format!("ocindex-ind-{}", i.code))),
                profiles
                    .iter()
                    .map(|p| {
                        p.scores
                            .get(&i.code)
                            .map(|s| s.to_string())
                            .unwrap_or_else(|| "–".into())
                    })
                    .collect(),
            );
        }
    }
    Ok(0)
}
