//! Data exchange through `Nigehban` over a real `SqlStore`, on SQLite and on PostgreSQL: an HTCDS
//! export of what a supervisor sees, imported into a fresh system and exported again to the same
//! records; a second import adds nothing; a file with errors writes nothing; scopes and roles
//! outside the policy are refused; the CTDC release is refused unless k-anonymous.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;
use nigehban_core::actor::Actor;
use nigehban_core::service::{PeriodInput, PersonRef};
use nigehban_core::store::Store;
use nigehban_core::CoreError;
use nigehban_domain::ids::CaseId;
use nigehban_domain::person::PersonInput;
use nigehban_exchange::ctdc::PrivacyError;
use nigehban_exchange::FileFormat;
use support::*;

fn period(from: &str, to: &str) -> PeriodInput {
    PeriodInput {
        from: Some(from.into()),
        to: Some(to.into()),
    }
}

fn year_2025() -> PeriodInput {
    period("2025-01-01", "2025-12-31")
}

struct World {
    inv: Actor,
    sup: Actor,
    analyst: Actor,
    tip: CaseId,
}

/// A Lahore unit's TIP case (a victim, five more girls, a suspect, a witness) and a SOM case of
/// another unit.
async fn world(b: &Backend) -> World {
    let inv = user(&b.app, "inv", "investigator", "FIA-AHTC-LHE").await;
    let sup = user(&b.app, "sup", "supervisor", "FIA-AHTC-LHE").await;
    let analyst = user(&b.app, "analyst", "analyst", "FIA-AHTC-ISB").await;
    let other = user(&b.app, "other", "investigator", "FIA-AHTC-KHI").await;
    let tip = b.app.register_case(&inv, &tip_case()).await.unwrap().id;
    let add = |input: PersonInput, role: &'static str, chain: Option<&'static str>| {
        let app = b.app.clone();
        let inv = inv.clone();
        async move {
            app.add_person_to_case(
                &inv,
                tip,
                PersonRef::New(Box::new(input)),
                Some(role),
                chain,
            )
            .await
            .unwrap()
        }
    };
    add(victim(), "victim", None).await;
    add(suspect(), "suspect", Some("recruiter")).await;
    add(
        PersonInput {
            name_roman: Some("Shakeel Ahmed".into()),
            sex: Some("male".into()),
            nationality_claimed: Some("PAK".into()),
            ..Default::default()
        },
        "witness",
        None,
    )
    .await;
    for (i, name) in [
        "Sana Bibi",
        "Rabia Noor",
        "Iqra Kanwal",
        "Hina Parveen",
        "Saima Naz",
    ]
    .iter()
    .enumerate()
    {
        add(
            PersonInput {
                name_roman: Some((*name).into()),
                sex: Some("female".into()),
                estimated_age: Some(format!("{}", 14 + (i % 3))),
                nationality_claimed: Some("PAK".into()),
                ..Default::default()
            },
            "victim",
            None,
        )
        .await;
    }
    b.app.register_case(&other, &som_case()).await.unwrap();
    World {
        inv,
        sup,
        analyst,
        tip,
    }
}

fn csv(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// The rows of a CSV export without the columns that name a system's own ids, its organisation
/// or its case number (which an import replaces).
fn comparable(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = csv(bytes);
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let headers: Vec<&str> = lines.next().unwrap().split(',').collect();
    let drop = ["cas_Id", "prs_Id", "nig_CaseNumber", "org_Name", "org_Type"];
    let mut rows: Vec<Vec<String>> = lines
        .map(|l| {
            l.split(',')
                .zip(&headers)
                .filter(|(_, h)| !drop.contains(h))
                .map(|(c, _)| c.to_string())
                .collect()
        })
        .collect();
    rows.sort();
    rows
}

#[tokio::test]
async fn htcds_round_trip_and_idempotent_import_on_both_backends() {
    for b in both("nigehban_exchange").await {
        let w = world(&b).await;
        let out = b
            .app
            .export_htcds(&w.sup, &year_2025(), FileFormat::Csv)
            .await
            .unwrap();
        // Only the supervisor's unit's case: the SOM case belongs to Karachi.
        assert_eq!(out.cases, 1, "{}", b.name);
        assert_eq!(out.rows, 8);
        // Six victims and the witness are protected: withheld, by pseudonym.
        assert_eq!(out.withheld, 7);
        let text = csv(&out.bytes);
        assert!(!text.contains("Kaneez"), "{}", b.name);
        assert!(!text.contains("32304"), "{}", b.name);
        assert!(
            text.contains("Muhammad,,Aslam") || text.contains("Muhammad"),
            "{}",
            b.name
        );
        assert!(text.contains("RecruiterOrIntermediary"));
        // A period outside the offence date finds nothing.
        let none = b
            .app
            .export_htcds(&w.sup, &period("2024-01-01", "2024-12-31"), FileFormat::Csv)
            .await
            .unwrap();
        assert_eq!(none.cases, 0);

        // A fresh system imports the file into its own unit.
        let fresh = sqlite_or_postgres(b.name).await;
        let sup2 = user(&fresh.app, "sup2", "supervisor", "FIA-AHTC-GRW").await;
        let report = fresh
            .app
            .import_htcds(&sup2, "lahore.csv", &out.bytes)
            .await
            .unwrap();
        assert!(report.imported(), "{:?}", report.problems);
        assert_eq!(report.written.added.len(), 1);
        assert_eq!(report.written.persons_added, 8);
        assert!(report.written.added[0]
            .1
            .to_string()
            .starts_with("FIA-AHTC-GRW-"));
        // The sender's organisation is reported as kept, not dropped.
        assert!(report.unmapped.iter().any(|u| u.header == "org_Name"));
        let again = fresh
            .app
            .export_htcds(&sup2, &year_2025(), FileFormat::Csv)
            .await
            .unwrap();
        assert_eq!(
            comparable(&again.bytes),
            comparable(&out.bytes),
            "{}",
            b.name
        );

        // The same file twice adds nothing, and says so.
        let cases = fresh.store.count_cases().await.unwrap();
        let persons = fresh.store.count_persons().await.unwrap();
        let second = fresh
            .app
            .import_htcds(&sup2, "lahore.csv", &out.bytes)
            .await
            .unwrap();
        assert!(second.imported());
        assert!(second.written.added.is_empty());
        assert_eq!(second.written.skipped.len(), 1);
        assert_eq!(fresh.store.count_cases().await.unwrap(), cases);
        assert_eq!(fresh.store.count_persons().await.unwrap(), persons);
        // Nor does a system's own export taken back in.
        let own = b
            .app
            .import_htcds(&w.sup, "own.csv", &out.bytes)
            .await
            .unwrap();
        assert_eq!(own.written.skipped.len(), 1);

        // A file with an error writes nothing, and every problem is located.
        let bad = text.replacen("2025-03-10", "2099-03-10", 1);
        let cases_before = b.store.count_cases().await.unwrap();
        let r = b
            .app
            .import_htcds(&w.sup, "bad.csv", bad.as_bytes())
            .await
            .unwrap();
        assert!(!r.imported());
        assert!(r
            .problems
            .iter()
            .any(|p| p.code == "date-in-future" && p.header.as_deref() == Some("nig_OffenceDate")));
        assert_eq!(b.store.count_cases().await.unwrap(), cases_before);

        // Every write and export sits in an unbroken audit chain.
        assert!(
            b.app.verify_audit().await.unwrap().first_bad.is_none(),
            "{}",
            b.name
        );
        assert!(
            fresh.app.verify_audit().await.unwrap().first_bad.is_none(),
            "{}",
            b.name
        );
        let _ = (&w.inv, w.tip);
    }
}

async fn sqlite_or_postgres(name: &str) -> Backend {
    if name == "sqlite" {
        sqlite().await
    } else {
        postgres("nigehban_exchange_fresh").await
    }
}

#[tokio::test]
async fn exchange_is_refused_outside_the_policy_on_both_backends() {
    for b in both("nigehban_exchange_policy").await {
        let w = world(&b).await;
        let auditor = user(&b.app, "aud", "auditor", "FIA-AHTC-ISB").await;
        for a in [&w.inv, &w.analyst] {
            assert!(matches!(
                b.app.export_htcds(a, &year_2025(), FileFormat::Csv).await,
                Err(CoreError::Forbidden("exchange-cases"))
            ));
            assert!(matches!(
                b.app.import_htcds(a, "x.csv", b"cas_Id\n").await,
                Err(CoreError::Forbidden("exchange-cases"))
            ));
        }
        for a in [&w.inv, &auditor] {
            assert!(matches!(
                b.app
                    .release_ctdc(a, &year_2025(), 5, true, FileFormat::Csv)
                    .await,
                Err(CoreError::Forbidden("release-anonymised"))
            ));
        }
        // A period that ends before it starts.
        match b
            .app
            .export_htcds(&w.sup, &period("2025-12-31", "2025-01-01"), FileFormat::Csv)
            .await
        {
            Err(CoreError::Invalid(e)) => assert_eq!(e.0[0].field, "to"),
            other => panic!("{other:?}"),
        }
        // A file with another worksheet or column: clear, located errors.
        let r = b
            .app
            .import_htcds(&w.sup, "odd.csv", b"cas_Id,Remarks\nC-1,x\n")
            .await
            .unwrap();
        assert!(
            r.problems
                .iter()
                .any(|p| p.code == "sheet-htcds-unexpected-column"
                    && p.column.as_deref() == Some("B"))
        );
        // Refusals are audited as denied.
        let denied = sqlx::query("SELECT COUNT(*) AS n FROM audit_log WHERE outcome = 'denied' AND action LIKE 'exchange.%'")
            .fetch_one(b.store.pool())
            .await
            .unwrap();
        let n: i64 = sqlx::Row::get(&denied, "n");
        assert!(n >= 6, "{}: {n}", b.name);
    }
}

#[tokio::test]
async fn ctdc_release_is_k_anonymous_or_refused_on_both_backends() {
    for b in both("nigehban_exchange_ctdc").await {
        let w = world(&b).await;
        // Six victims: five girls of 14 to 16 (age band 9--17) and Kaneez, also 15: all six in
        // one group of k = 5.
        let rel = b
            .app
            .release_ctdc(&w.analyst, &year_2025(), 5, true, FileFormat::Csv)
            .await
            .unwrap();
        // The analyst is of another unit of the same agency: the agency's cases are theirs to
        // count.
        assert!(rel.refused.is_none(), "{}: {:?}", b.name, rel.refused);
        assert_eq!(rel.victims, 6);
        assert_eq!(rel.rows, 6);
        let text = csv(rel.bytes.as_ref().unwrap());
        for secret in [
            "Kaneez",
            "Fatima",
            "32304",
            "Sana",
            "2025-03-10",
            "FIA-AHTC",
        ] {
            assert!(!text.contains(secret), "{}: {secret}", b.name);
        }
        assert!(text.contains("Female,9--17,PK,unknown"), "{text}");
        // k above the group's size: refused with suppression off, nothing left with it on.
        let refused = b
            .app
            .release_ctdc(&w.sup, &year_2025(), 7, false, FileFormat::Csv)
            .await
            .unwrap();
        assert!(matches!(
            refused.refused,
            Some(PrivacyError::ClassTooSmall { size: 6, k: 7, .. })
        ));
        assert!(refused.bytes.is_none());
        let empty = b
            .app
            .release_ctdc(&w.sup, &year_2025(), 7, true, FileFormat::Csv)
            .await
            .unwrap();
        assert!(matches!(
            empty.refused,
            Some(PrivacyError::NothingToRelease { k: 7 })
        ));
        assert!(b.app.verify_audit().await.unwrap().first_bad.is_none());
    }
}

/// The value of a column in each row of a CSV export.
fn column_values(bytes: &[u8], name: &str) -> Vec<String> {
    let text = csv(bytes);
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    let headers: Vec<&str> = lines.next().unwrap().split(',').collect();
    let i = headers.iter().position(|h| *h == name).unwrap();
    lines
        .map(|l| l.split(',').nth(i).unwrap_or_default().to_string())
        .collect()
}

#[tokio::test]
async fn an_interviewed_victim_brings_the_interview_into_the_export_on_both_backends() {
    use nigehban_core::intake_store::IntakeStore;
    use nigehban_core::service::OutcomeInput;
    use nigehban_domain::assessment::AssessmentFacts;
    use nigehban_domain::intake::{BatchInput, InterviewInput};
    for b in both("nigehban_exchange_intake").await {
        let io = user(&b.app, "intake", "intake_officer", "FIA-IMM-KHI-SEAPORT").await;
        let sup = user(&b.app, "supkhi", "supervisor", "FIA-IMM-KHI-SEAPORT").await;
        let batch = b
            .app
            .create_batch(
                &io,
                &BatchInput {
                    kind: Some("deportation".into()),
                    post: Some("KHI-SEAPORT".into()),
                    arrival_date: Some("2025-06-01".into()),
                    country: Some("OMN".into()),
                    reference: Some("WY-323".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let entry = b
            .app
            .quick_add(
                &io,
                batch.id,
                &PersonInput {
                    name_roman: Some("Imran Ali".into()),
                    sex: Some("male".into()),
                    estimated_age: Some("30".into()),
                    nationality_claimed: Some("PAK".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let interview = InterviewInput {
            destination_country: Some("OMN".into()),
            facts: AssessmentFacts {
                indicators: vec![
                    "recruitment".into(),
                    "deception".into(),
                    "ilo_retention_of_documents".into(),
                    "purpose_forced_labour".into(),
                ],
                ..Default::default()
            },
            ..Default::default()
        };
        b.app
            .complete_interview(&io, entry, &interview)
            .await
            .unwrap();
        let e = IntakeStore::entry(&b.store, entry).await.unwrap().unwrap();
        b.app
            .record_outcome(
                &io,
                entry,
                &OutcomeInput {
                    decision: Some("trafficking".into()),
                    outcome: Some("victim_in_case".into()),
                    new_case: true,
                    version: e.version,
                    ..Default::default()
                },
            )
            .await
            .unwrap()
            .expect("a case");
        let out = b
            .app
            .export_htcds(&sup, &period("2000-01-01", "2100-12-31"), FileFormat::Csv)
            .await
            .unwrap();
        assert_eq!(out.cases, 1, "{}", b.name);
        assert_eq!(
            column_values(&out.bytes, "hte_Country"),
            ["OM"],
            "{}",
            b.name
        );
        assert_eq!(column_values(&out.bytes, "hte_Type"), ["Exploitation"]);
        assert_eq!(
            column_values(&out.bytes, "vic_MethodsOfControlFalsePromises"),
            ["Yes"]
        );
        assert_eq!(
            column_values(&out.bytes, "vic_MethodsOfControlWithholdsDocuments"),
            ["Yes"]
        );
        assert_eq!(
            column_values(&out.bytes, "vic_MethodsOfControlThreats"),
            [""]
        );
        // The victim's identity stays withheld: the supervisor did not reveal it.
        assert_eq!(column_values(&out.bytes, "prs_FirstName"), [""]);
        assert_eq!(column_values(&out.bytes, "nig_IdentityWithheld"), ["Yes"]);
    }
}
