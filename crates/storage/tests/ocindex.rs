//! The organized-crime assessment through `Nigehban` over a real `SqlStore`, on SQLite and on
//! PostgreSQL: the Index's published workbook imported all or nothing and idempotently, country
//! profiles with the published composites and ranks, and provincial and district assessments
//! scored, validated, edited, kept within their agency, compared, and audited.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;
use nigehban_core::actor::{Actor, Principal};
use nigehban_core::service::{AssessmentInput, IndexImport};
use nigehban_core::store::Store;
use nigehban_core::CoreError;
use nigehban_ocindex::{Method, Rank};
use std::collections::BTreeMap;
use support::*;

async fn both() -> Vec<Backend> {
    support::both("nigehban_ocindex").await
}

fn published_workbook() -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../ocindex/data/global_oc_index.xlsx");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

async fn import(b: &Backend, name: &str, bytes: &[u8]) -> IndexImport {
    b.app
        .import_index(&Principal::system("test"), name, bytes)
        .await
        .unwrap()
}

#[tokio::test]
async fn the_published_workbook_imports_all_or_nothing_and_once() {
    for b in both().await {
        let pool = b.store.pool().clone();
        // A file that is not a workbook: refused, located, nothing written but the audit entry.
        let IndexImport::Refused { problems } =
            import(&b, "scores.csv", b"Continent,Region\n").await
        else {
            panic!("{}: a CSV was imported", b.name)
        };
        assert_eq!(problems[0].error.code(), "unreadable", "{}", b.name);
        assert_eq!(count_rows(&pool, "ocindex_published").await, 0);
        assert_eq!(count_rows(&pool, "ocindex_imports").await, 0);

        let bytes = published_workbook();
        let IndexImport::Imported(first) = import(&b, "global_oc_index.xlsx", &bytes).await else {
            panic!("{}: the published workbook was refused", b.name)
        };
        assert_eq!(first.editions, vec![(2021, 193), (2023, 193)]);
        assert_eq!(first.applied.changed, vec![2021, 2023]);
        assert!(!first.unchanged());
        let published = count_rows(&pool, "ocindex_published").await;
        let scores = count_rows(&pool, "ocindex_published_scores").await;
        assert_eq!(published, 2 * 193);
        assert_eq!(scores, 193 * (10 + 4 + 12) + 193 * (15 + 5 + 12));

        // The same file again: nothing changes, and the summary says so.
        let IndexImport::Imported(again) = import(&b, "global_oc_index.xlsx", &bytes).await else {
            panic!()
        };
        assert!(again.unchanged(), "{}: {:?}", b.name, again.applied);
        assert_eq!(again.applied.unchanged, vec![2021, 2023]);
        assert_eq!(again.sha256, first.sha256);
        assert_eq!(count_rows(&pool, "ocindex_published").await, published);
        assert_eq!(count_rows(&pool, "ocindex_published_scores").await, scores);
        assert_eq!(count_rows(&pool, "ocindex_imports").await, 2);

        let editions = b
            .app
            .index_editions(&Principal::system("test"))
            .await
            .unwrap();
        assert_eq!(
            editions
                .iter()
                .map(|e| (e.year, e.countries))
                .collect::<Vec<_>>(),
            vec![(2021, 193), (2023, 193)]
        );
        let report = b.app.verify_audit().await.unwrap();
        assert!(
            report.first_bad.is_none(),
            "{}: {:?}",
            b.name,
            report.first_bad
        );
    }
}

#[tokio::test]
async fn pakistan_2021_has_its_published_composites_and_ranks() {
    for b in both().await {
        let IndexImport::Imported(_) =
            import(&b, "global_oc_index.xlsx", &published_workbook()).await
        else {
            panic!()
        };
        let analyst = user(&b.app, "analyst", "analyst", "FIA-AHTC-ISB").await;
        let by = Principal::User(analyst.clone());
        let p = b.app.country_profile(&by, "pak", 2021).await.unwrap();
        let c = p.composites;
        assert_eq!(
            [c.criminality, c.markets, c.actors, c.resilience].map(|x| x.to_string()),
            ["6.28", "6.30", "6.25", "4.00"],
            "{}",
            b.name
        );
        assert_eq!(p.ranks.criminality.overall, Rank { rank: 29, of: 193 });
        assert_eq!(p.ranks.criminality.continent, Rank { rank: 10, of: 46 });
        assert_eq!(p.ranks.criminality.region, Rank { rank: 2, of: 8 });
        assert_eq!(p.ranks.resilience.overall, Rank { rank: 133, of: 193 });
        assert_eq!(p.ranks.resilience.continent, Rank { rank: 29, of: 46 });
        assert_eq!(p.ranks.resilience.region, Rank { rank: 5, of: 8 });
        assert_eq!(p.scores["human_trafficking"].to_string(), "8.00");
        // A search by name finds it; a country not in the Index is not found.
        let found = b.app.country_profiles(&by, 2023, "pakis").await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].iso3, "PAK");
        assert_eq!(
            b.app.country_profiles(&by, 2023, "").await.unwrap().len(),
            193
        );
        assert!(matches!(
            b.app.country_profile(&by, "XKX", 2023).await,
            Err(CoreError::NotFound)
        ));
        // Intake officers and NGO case workers do not read the assessments.
        let intake = user(&b.app, "intake", "intake_officer", "FIA-IMM-KHI-SEAPORT").await;
        assert!(matches!(
            b.app
                .country_profile(&Principal::User(intake), "PAK", 2021)
                .await,
            Err(CoreError::Forbidden(_))
        ));
    }
}

fn input(scope: &str, year: &str, edition: i32, score: &str) -> AssessmentInput {
    let m = Method::embedded().unwrap();
    let e = m.edition(edition).unwrap();
    let mut scores = BTreeMap::new();
    let mut why = BTreeMap::new();
    for i in e.indicators() {
        scores.insert(i.code.clone(), score.to_string());
        why.insert(
            i.code.clone(),
            format!(
                "Sources for {} in {scope}: FIR register and interviews.",
                i.code
            ),
        );
    }
    AssessmentInput {
        scope: scope.into(),
        year: year.into(),
        edition: edition.to_string(),
        scores,
        justifications: why,
        version: None,
    }
}

fn fields(e: CoreError) -> Vec<(String, String)> {
    match e {
        CoreError::Invalid(errs) => errs
            .iter()
            .map(|f| (f.field.clone(), f.problem.code().to_string()))
            .collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

async fn analysts(b: &Backend) -> (Actor, Actor, Actor, Actor) {
    (
        user(&b.app, "analyst", "analyst", "FIA-AHTC-ISB").await,
        user(&b.app, "sup", "supervisor", "FIA-AHTC-LHE").await,
        user(&b.app, "inv", "investigator", "FIA-AHTC-LHE").await,
        // An analyst of another agency.
        user(&b.app, "pp.analyst", "analyst", "PP-RYK").await,
    )
}

#[tokio::test]
async fn districts_and_provinces_are_scored_with_every_problem_named() {
    for b in both().await {
        let (analyst, sup, inv, _) = analysts(&b).await;
        // One score out of range, one between half points, one not a number, one justification
        // missing, an unknown district: every problem with its field.
        let mut bad = input("district:gujrat", "2024", 2023, "7");
        bad.scores.insert("human_smuggling".into(), "11".into());
        bad.scores.insert("human_trafficking".into(), "6.3".into());
        bad.scores.insert("arms_trafficking".into(), "high".into());
        bad.justifications.insert("prevention".into(), "  ".into());
        let got = fields(
            b.app
                .save_assessment(&analyst, None, &bad)
                .await
                .unwrap_err(),
        );
        for want in [
            ("score-human_smuggling", "score-out-of-range"),
            ("score-human_trafficking", "score-step"),
            ("score-arms_trafficking", "not-a-score"),
            ("justification-prevention", "required"),
        ] {
            assert!(
                got.contains(&(want.0.to_string(), want.1.to_string())),
                "{}: {want:?} not in {got:?}",
                b.name
            );
        }
        assert_eq!(got.len(), 4, "{got:?}");
        let got = fields(
            b.app
                .save_assessment(
                    &analyst,
                    None,
                    &input("district:atlantis", "1990", 2023, "7"),
                )
                .await
                .unwrap_err(),
        );
        assert!(
            got.contains(&("scope".into(), "unknown-district".into())),
            "{got:?}"
        );
        assert!(
            got.contains(&("year".into(), "date-too-old".into())),
            "{got:?}"
        );

        // Fixed: saved, with the Index's composites.
        let mut good = input("district:gujrat", "2024", 2023, "7");
        good.scores.insert("human_smuggling".into(), "9.5".into());
        good.scores
            .insert("private_sector_actors".into(), "4,5".into());
        let g = b.app.save_assessment(&analyst, None, &good).await.unwrap();
        // Markets: 14 x 7 + 9.5 = 107.5 / 15 = 7.1666.. -> 7.17; actors (4 x 7 + 4.5) / 5 = 6.50;
        // criminality (7.1666.. + 6.5) / 2 = 6.8333.. -> 6.83.
        assert_eq!(g.composites.markets.to_string(), "7.17");
        assert_eq!(g.composites.actors.to_string(), "6.50");
        assert_eq!(g.composites.criminality.to_string(), "6.83");
        assert_eq!(g.composites.resilience.to_string(), "7.00");
        assert_eq!(g.scope_en, "Gujrat");
        assert_eq!(g.province.as_deref(), Some("PB"));
        assert_eq!(g.record.version, 1);
        assert_eq!(g.record.assessed_by, "analyst");

        // The same district and year again: a duplicate, said on the year.
        let got = fields(
            b.app
                .save_assessment(&analyst, None, &good)
                .await
                .unwrap_err(),
        );
        assert_eq!(got, vec![("year".to_string(), "duplicate".to_string())]);

        // A province by the supervisor, in the 2021 indicator set.
        let p = b
            .app
            .save_assessment(&sup, None, &input("province:PB", "2024", 2021, "6"))
            .await
            .unwrap();
        assert_eq!(p.record.scores.len(), 26);
        assert_eq!(p.composites.criminality.to_string(), "6.00");

        // An edit at the version read; a second edit from the same old version is stale.
        let mut edit = good.clone();
        edit.version = Some(1);
        edit.scores.insert("human_smuggling".into(), "10".into());
        let e = b
            .app
            .save_assessment(&analyst, Some(&g.record.id), &edit)
            .await
            .unwrap();
        assert_eq!(e.record.version, 2);
        assert_eq!(e.composites.markets.to_string(), "7.20");
        assert!(matches!(
            b.app
                .save_assessment(&analyst, Some(&g.record.id), &edit)
                .await,
            Err(CoreError::Conflict(_))
        ));

        // Investigators read but do not score.
        assert!(matches!(
            b.app
                .save_assessment(&inv, None, &input("district:lahore", "2024", 2023, "5"))
                .await,
            Err(CoreError::Forbidden(_))
        ));
        let seen = b.app.assessment(&inv, &g.record.id).await.unwrap();
        assert_eq!(seen.record.scores.len(), 32);
        assert!(seen
            .record
            .scores
            .iter()
            .any(|s| s.justification.contains("FIR register")));

        // Justifications are sealed at rest.
        let raw: Vec<String> =
            sqlx::query_scalar("SELECT justification FROM ocindex_assessment_scores")
                .fetch_all(b.store.pool())
                .await
                .unwrap();
        assert!(!raw.is_empty());
        assert!(
            raw.iter().all(|j| !j.contains("FIR register")),
            "{}",
            b.name
        );

        let report = b.app.verify_audit().await.unwrap();
        assert!(
            report.first_bad.is_none(),
            "{}: {:?}",
            b.name,
            report.first_bad
        );
    }
}

#[tokio::test]
async fn assessments_stay_in_their_agency_and_compare_side_by_side_and_over_years() {
    for b in both().await {
        let (analyst, sup, _, other) = analysts(&b).await;
        let g23 = b
            .app
            .save_assessment(&analyst, None, &input("district:gujrat", "2023", 2023, "7"))
            .await
            .unwrap();
        let g24 = b
            .app
            .save_assessment(
                &analyst,
                None,
                &input("district:gujrat", "2024", 2023, "7.5"),
            )
            .await
            .unwrap();
        let pb = b
            .app
            .save_assessment(&sup, None, &input("province:PB", "2024", 2023, "6"))
            .await
            .unwrap();
        // Side by side, in the order asked.
        let cmp = b
            .app
            .compare_assessments(&analyst, &[pb.record.id.clone(), g24.record.id.clone()])
            .await
            .unwrap();
        assert_eq!(
            cmp.iter().map(|v| v.scope_en.as_str()).collect::<Vec<_>>(),
            vec!["Punjab", "Gujrat"]
        );
        // One place over the years.
        let years = b
            .app
            .assessments(&analyst, Some("district:gujrat"))
            .await
            .unwrap();
        assert_eq!(
            years.iter().map(|v| v.record.year).collect::<Vec<_>>(),
            vec![2023, 2024]
        );
        assert_eq!(years[0].record.id, g23.record.id);
        assert_eq!(b.app.assessments(&sup, None).await.unwrap().len(), 3);

        // Another agency sees none of it: not in its list, not found by id, nor in a comparison.
        assert!(b.app.assessments(&other, None).await.unwrap().is_empty());
        assert!(matches!(
            b.app.assessment(&other, &g23.record.id).await,
            Err(CoreError::NotFound)
        ));
        assert!(matches!(
            b.app
                .compare_assessments(&other, std::slice::from_ref(&g23.record.id))
                .await,
            Err(CoreError::NotFound)
        ));
        let mut edit = input("district:gujrat", "2023", 2023, "1");
        edit.version = Some(1);
        assert!(matches!(
            b.app
                .save_assessment(&other, Some(&g23.record.id), &edit)
                .await,
            Err(CoreError::NotFound)
        ));
        // The other agency may score the same district for itself.
        b.app
            .save_assessment(&other, None, &input("district:gujrat", "2023", 2023, "3"))
            .await
            .unwrap();
        // Each refusal was audited as denied.
        let log = b.store.audit_page(0, 100_000).await.unwrap();
        let denied = log
            .iter()
            .filter(|e| e.outcome == "denied" && e.actor_name == "pp.analyst")
            .count();
        assert_eq!(denied, 3, "{}", b.name);
        // A comparison of too many is refused before reading.
        let many: Vec<String> = (0..9).map(|i| format!("id-{i}")).collect();
        let got = fields(
            b.app
                .compare_assessments(&analyst, &many)
                .await
                .unwrap_err(),
        );
        assert_eq!(got, vec![("ids".to_string(), "too-large".to_string())]);
    }
}
