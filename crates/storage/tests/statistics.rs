//! Statistics over a real `SqlStore`, on SQLite and on PostgreSQL: the refresh builds the facts
//! from the records, counts keep TIP and SOM apart and stay within the reader's reach, the funnel
//! and the standard reports count what happened, and bad questions get located errors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;
use nigehban_core::actor::Principal;
use nigehban_core::service::{DashboardInput, PersonRef, ReportInput};
use nigehban_core::CoreError;
use nigehban_domain::case::{TransitionInput, VerdictInput};
use nigehban_domain::statistics::StatQueryInput;
use support::*;

fn go(to: &str, from: &str) -> TransitionInput {
    TransitionInput {
        to: Some(to.into()),
        from: Some(from.into()),
        ..Default::default()
    }
}

fn codes(e: &CoreError) -> Vec<(String, String)> {
    match e {
        CoreError::Invalid(v) => {
            v.0.iter()
                .map(|f| (f.field.clone(), f.problem.code().to_string()))
                .collect()
        }
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn counts_dashboards_and_reports_follow_the_records_within_reach() {
    for b in support::both("nigehban_stats").await {
        let inv = user(&b.app, "inv", "investigator", "FIA-AHTC-GRW").await;
        let analyst = user(&b.app, "analyst", "analyst", "FIA-AHTC-ISB").await;
        let sup = user(&b.app, "sup", "supervisor", "FIA-AHTC-GRW").await;
        let police = user(&b.app, "police", "investigator", "PP-LHE").await;
        // The Punjab Police's analyst counts the police's records only; the FIA compiles the
        // national returns, so its analyst counts every agency's.
        let panalyst = user(&b.app, "panalyst", "analyst", "PP-LHE").await;

        let tip = b.app.register_case(&inv, &tip_case()).await.unwrap().id;
        let som = b.app.register_case(&inv, &som_case()).await.unwrap().id;
        b.app
            .add_person_to_case(
                &inv,
                tip,
                PersonRef::New(Box::new(victim())),
                Some("victim"),
                None,
            )
            .await
            .unwrap();
        let accused = b
            .app
            .add_person_to_case(
                &inv,
                tip,
                PersonRef::New(Box::new(suspect())),
                Some("suspect"),
                Some("recruiter"),
            )
            .await
            .unwrap();
        let mut man = victim();
        man.name_roman = Some("Bilal Ahmed".into());
        man.name_urdu = None;
        man.cnic = None;
        man.sex = Some("male".into());
        man.estimated_age = Some("30".into());
        b.app
            .add_person_to_case(
                &inv,
                som,
                PersonRef::New(Box::new(man)),
                Some("smuggled_migrant"),
                None,
            )
            .await
            .unwrap();
        // Another agency's case: in the national counts, never in another agency's.
        let pcase = b.app.register_case(&police, &tip_case()).await.unwrap().id;
        b.app
            .add_person_to_case(
                &police,
                pcase,
                PersonRef::New(Box::new(victim())),
                Some("victim"),
                None,
            )
            .await
            .unwrap();
        for (from, to) in [
            ("complaint", "fir"),
            ("fir", "investigation"),
            ("investigation", "challan"),
            ("challan", "trial"),
        ] {
            b.app.move_case(&inv, tip, &go(to, from)).await.unwrap();
        }
        let mut judgment = go("judgment", "trial");
        judgment.verdicts = vec![VerdictInput {
            person_id: accused.to_string(),
            verdict: "convicted".into(),
        }];
        b.app.move_case(&inv, tip, &judgment).await.unwrap();

        // Nothing is counted before the facts are built.
        let before = b
            .app
            .statistics(&analyst, &StatQueryInput::default())
            .await
            .unwrap();
        assert_eq!(before.total, 0, "{}", b.name);
        let state = b
            .app
            .refresh_statistics(&Principal::system("test"))
            .await
            .unwrap();
        assert_eq!((state.cases, state.encounters), (3, 0), "{}", b.name);

        // Cases: TIP and SOM apart; the nation for the FIA, the own agency for the police.
        let t = b
            .app
            .statistics(&analyst, &StatQueryInput::default())
            .await
            .unwrap();
        let rows: Vec<(Vec<String>, i64)> =
            t.rows.iter().map(|r| (r.keys.clone(), r.count)).collect();
        assert_eq!(
            rows,
            vec![(vec!["som".to_string()], 1), (vec!["tip".to_string()], 2)],
            "{}",
            b.name
        );
        assert_eq!(t.total, 3, "{}", b.name);
        let t = b
            .app
            .statistics(&panalyst, &StatQueryInput::default())
            .await
            .unwrap();
        let rows: Vec<(Vec<String>, i64)> =
            t.rows.iter().map(|r| (r.keys.clone(), r.count)).collect();
        assert_eq!(rows, vec![(vec!["tip".to_string()], 1)], "{}", b.name);

        // Victims by sex and age band: the girl of 15 is a child.
        let q = StatQueryInput {
            measure: Some("victims".into()),
            group: vec!["sex".into(), "minor".into()],
            ..Default::default()
        };
        let t = b.app.statistics(&panalyst, &q).await.unwrap();
        let rows: Vec<(Vec<String>, i64)> =
            t.rows.iter().map(|r| (r.keys.clone(), r.count)).collect();
        assert_eq!(
            rows,
            vec![(vec!["tip".into(), "female".into(), "child".into()], 1)],
            "{}",
            b.name
        );

        // By law: the section registered under, filtered to TIP.
        let q = StatQueryInput {
            measure: Some("convicted".into()),
            group: vec!["provision".into()],
            filter: vec!["crime_type=tip".into()],
            ..Default::default()
        };
        let t = b.app.statistics(&sup, &q).await.unwrap();
        assert_eq!(t.rows.len(), 1, "{}", b.name);
        assert_eq!(
            (t.rows[0].keys[0].as_str(), t.rows[0].count),
            ("PTPA-2018-S3", 1),
            "{}",
            b.name
        );

        // The dashboard's funnel and sources.
        let d = b
            .app
            .dashboard(&sup, &DashboardInput::default())
            .await
            .unwrap();
        let f = d.funnel.iter().find(|f| f.crime_type == "tip").unwrap();
        assert_eq!(
            (f.fir, f.challan, f.trial, f.judgment, f.convicted),
            (1, 1, 1, 1, 1),
            "{}",
            b.name
        );
        assert_eq!(f.conviction_rate, Some(1.0), "{}", b.name);
        assert!(
            d.sources
                .iter()
                .any(|s| s.district == "muzaffargarh" && s.victims == 1),
            "{}: {:?}",
            b.name,
            d.sources
        );

        // The US TIP report: investigations under each law, TIP and SOM apart.
        let r = b
            .app
            .report(
                &analyst,
                "us_tip",
                &ReportInput {
                    period: Some(chrono::Utc::now().format("%Y").to_string()),
                    place: None,
                },
            )
            .await
            .unwrap();
        let inv_table = r
            .tables
            .iter()
            .find(|t| t.code == "investigations_by_law")
            .unwrap();
        assert_eq!(inv_table.total, 3, "{}", b.name);
        assert!(
            inv_table.row_keys.contains(&"PSMA-2018-S3".to_string()),
            "{}",
            b.name
        );

        // Reach: a supervisor's unit only; an investigator none; bad questions located.
        let err = b
            .app
            .statistics(
                &sup,
                &StatQueryInput {
                    place: Some("province:SD".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(
            codes(&err),
            vec![("place".into(), "outside-access".into())],
            "{}",
            b.name
        );
        let err = b
            .app
            .statistics(
                &panalyst,
                &StatQueryInput {
                    place: Some("unit:FIA-AHTC-GRW".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(
            codes(&err),
            vec![("place".into(), "outside-access".into())],
            "{}",
            b.name
        );
        assert!(matches!(
            b.app.statistics(&inv, &StatQueryInput::default()).await,
            Err(CoreError::Forbidden(_))
        ));
        let err = b
            .app
            .statistics(
                &analyst,
                &StatQueryInput {
                    from: Some("2025-06-01".into()),
                    to: Some("2025-01-01".into()),
                    filter: vec!["colour=red".into()],
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        let c = codes(&err);
        assert!(
            c.contains(&("to_date".into(), "date-before".into())),
            "{c:?}"
        );
        assert!(
            c.contains(&("filter".into(), "unknown-code".into())),
            "{c:?}"
        );

        // The refresh and every read are in the audit chain, which still verifies.
        let report = b.app.verify_audit().await.unwrap();
        assert!(report.first_bad.is_none(), "{}: {report:?}", b.name);
    }
}
