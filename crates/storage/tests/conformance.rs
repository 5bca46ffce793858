//! The storage conformance suite: every scenario runs against SQLite and against a real
//! PostgreSQL server. PostgreSQL is not optional: without `NIGEHBAN_TEST_POSTGRES_URL` the suite
//! fails (`scripts/test.sh` starts a server and sets it).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;
use nigehban_core::actor::Principal;
use nigehban_core::audit::ChainBreak;
use nigehban_core::service::{NewUserInput, PersonRef};
use nigehban_core::store::{BulkBatch, NewPerson, Store};
use nigehban_core::CoreError;
use nigehban_domain::case::{TransitionInput, VerdictInput};
use nigehban_domain::ids::{PersonId, UserId};
use nigehban_domain::person::PersonInput;
use nigehban_domain::reference::ReferenceData;
use nigehban_domain::stage::CaseStage;
use support::*;

async fn both() -> Vec<Backend> {
    support::both("nigehban_t").await
}

#[tokio::test]
async fn case_numbers_follow_unit_and_year() {
    for b in both().await {
        let inv = user(&b.app, "inv", "investigator", "FIA-AHTC-LHE").await;
        let a = b.app.register_case(&inv, &tip_case()).await.unwrap();
        let c = b.app.register_case(&inv, &som_case()).await.unwrap();
        let year = chrono::Utc::now().format("%Y").to_string();
        assert_eq!(
            a.number.to_string(),
            format!("FIA-AHTC-LHE-{year}-000001"),
            "{}",
            b.name
        );
        assert_eq!(
            c.number.to_string(),
            format!("FIA-AHTC-LHE-{year}-000002"),
            "{}",
            b.name
        );
        // Migrations are idempotent: connecting again runs none and keeps the data.
        let again = match b.store.backend() {
            nigehban_core::store::Backend::Sqlite => b.store.count_cases().await.unwrap(),
            nigehban_core::store::Backend::Postgres => b.store.count_cases().await.unwrap(),
        };
        assert_eq!(again, 2);
    }
}

#[tokio::test]
async fn concurrent_creation_gives_unique_gapless_numbers() {
    for b in both().await {
        let mut actors = Vec::new();
        for i in 0..4 {
            actors.push(user(&b.app, &format!("inv{i}"), "investigator", "FIA-AHTC-KHI").await);
        }
        let mut tasks = Vec::new();
        for i in 0..40 {
            let app = b.app.clone();
            let actor = actors[i % actors.len()].clone();
            tasks.push(tokio::spawn(async move {
                app.register_case(&actor, &som_case()).await
            }));
        }
        let mut serials = Vec::new();
        for t in tasks {
            serials.push(t.await.unwrap().unwrap().number.serial);
        }
        serials.sort_unstable();
        assert_eq!(serials, (1..=40).collect::<Vec<u64>>(), "{}", b.name);
        assert!(
            b.app.verify_audit().await.unwrap().first_bad.is_none(),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn stages_move_only_along_the_table() {
    for b in both().await {
        let inv = user(&b.app, "inv", "investigator", "FIA-AHTC-LHE").await;
        let case = b.app.register_case(&inv, &tip_case()).await.unwrap();
        let go = |to: &str, from: &str| TransitionInput {
            to: Some(to.into()),
            from: Some(from.into()),
            reference: Some("FIR 112/2025".into()),
            ..Default::default()
        };
        let err = b
            .app
            .move_case(&inv, case.id, &go("trial", "complaint"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, CoreError::Invalid(ref e) if e.0[0].problem.code() == "illegal-transition"),
            "{}: {err:?}",
            b.name
        );
        for (from, to) in [
            ("complaint", "fir"),
            ("fir", "investigation"),
            ("investigation", "challan"),
        ] {
            b.app.move_case(&inv, case.id, &go(to, from)).await.unwrap();
        }
        // A move decided on a stale view is refused.
        let stale = b
            .app
            .move_case(&inv, case.id, &go("challan", "investigation"))
            .await
            .unwrap_err();
        assert!(
            matches!(stale, CoreError::Conflict(_)),
            "{}: {stale:?}",
            b.name
        );
        let detail = b.app.view_case(&inv, case.id).await.unwrap().detail;
        assert_eq!(detail.summary.stage, CaseStage::Challan);
        assert_eq!(detail.history.len(), 3);
        assert_eq!(detail.history[0].reference.as_deref(), Some("FIR 112/2025"));
    }
}

#[tokio::test]
async fn judgment_needs_a_verdict_for_every_accused() {
    for b in both().await {
        let inv = user(&b.app, "inv", "investigator", "FIA-AHTC-LHE").await;
        let case = b.app.register_case(&inv, &tip_case()).await.unwrap();
        let s = b
            .app
            .add_person_to_case(
                &inv,
                case.id,
                PersonRef::New(Box::new(suspect())),
                Some("suspect"),
                Some("recruiter"),
            )
            .await
            .unwrap();
        for to in ["fir", "investigation", "challan", "trial"] {
            b.app
                .move_case(
                    &inv,
                    case.id,
                    &TransitionInput {
                        to: Some(to.into()),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
        }
        let bare = TransitionInput {
            to: Some("judgment".into()),
            ..Default::default()
        };
        let err = b.app.move_case(&inv, case.id, &bare).await.unwrap_err();
        assert!(
            matches!(err, CoreError::Invalid(ref e) if e.0[0].problem.code() == "verdict-missing"),
            "{}",
            b.name
        );
        let with = TransitionInput {
            to: Some("judgment".into()),
            verdicts: vec![VerdictInput {
                person_id: s.to_string(),
                verdict: "convicted".into(),
            }],
            ..Default::default()
        };
        let d = b.app.move_case(&inv, case.id, &with).await.unwrap();
        assert_eq!(
            d.detail.persons[0].verdict,
            Some(nigehban_domain::stage::Verdict::Convicted),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn persons_are_found_by_either_script_and_cnic_within_the_agency_only() {
    for b in both().await {
        let inv = user(&b.app, "inv", "investigator", "FIA-AHTC-LHE").await;
        let police = user(&b.app, "pol", "investigator", "PP-LHE").await;
        let case = b.app.register_case(&inv, &tip_case()).await.unwrap();
        let v = b
            .app
            .add_person_to_case(
                &inv,
                case.id,
                PersonRef::New(Box::new(victim())),
                Some("victim"),
                None,
            )
            .await
            .unwrap();
        b.app
            .add_person_to_case(
                &inv,
                case.id,
                PersonRef::New(Box::new(suspect())),
                Some("suspect"),
                Some("main_agent"),
            )
            .await
            .unwrap();
        for q in [
            "kaneez",
            "kane",
            "Kan Fati",
            "کنی",
            "KANEEZ fatima",
            "کنیز",
            "32304-1234567-2",
            "3230412345672",
            "ghulam rasool",
        ] {
            let hits = b.app.search_persons(&inv, q).await.unwrap();
            assert!(
                hits.iter().any(|h| h.id == v && h.protected),
                "{}: {q}",
                b.name
            );
            let cases = b.app.search_cases(&inv, q).await.unwrap();
            assert_eq!(cases.len(), 1, "{}: {q}", b.name);
        }
        assert_eq!(
            b.app
                .search_cases(&inv, &case.number.to_string())
                .await
                .unwrap()
                .len(),
            1
        );
        assert_eq!(
            b.app
                .search_cases(&inv, "+923001234567")
                .await
                .unwrap()
                .len(),
            1,
            "{}",
            b.name
        );
        // Another agency sees nothing of it, by search or by id.
        assert!(
            b.app
                .search_persons(&police, "kaneez")
                .await
                .unwrap()
                .is_empty(),
            "{}",
            b.name
        );
        assert!(b
            .app
            .search_cases(&police, "kaneez")
            .await
            .unwrap()
            .is_empty());
        assert!(matches!(
            b.app.view_case(&police, case.id).await,
            Err(CoreError::NotFound)
        ));
        assert!(matches!(
            b.app.view_person(&police, v).await,
            Err(CoreError::NotFound)
        ));
        // Reading the victim's record is audited and marked as protected; the name is a pseudonym.
        let p = b.app.view_person(&inv, v).await.unwrap();
        assert!(p.detail.protected());
        assert!(p.detail.pseudonymised && p.can_reveal);
        assert_eq!(
            p.detail.person.name.roman.as_deref(),
            Some(nigehban_domain::person::pseudonym(v).as_str())
        );
        assert!(p.detail.person.identifiers.is_empty());
        let last = b.store.audit_page(0, 10_000).await.unwrap().pop().unwrap();
        assert_eq!(last.action, "person.view");
        assert!(last.detail.contains("\"protected\":true"));
        // Another unit of the same agency sees nothing either: need to know is per unit.
        let karachi = user(&b.app, "khi", "investigator", "FIA-AHTC-KHI").await;
        assert!(
            b.app
                .search_cases(&karachi, "kaneez")
                .await
                .unwrap()
                .is_empty(),
            "{}",
            b.name
        );
        assert!(matches!(
            b.app.view_case(&karachi, case.id).await,
            Err(CoreError::NotFound)
        ));
        // LIKE wildcards in a query match only themselves.
        assert!(
            b.app.search_persons(&inv, "%%").await.unwrap().is_empty(),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn invalid_input_is_refused_whole_and_stores_nothing() {
    for b in both().await {
        let inv = user(&b.app, "inv", "investigator", "FIA-AHTC-LHE").await;
        let mut bad = tip_case();
        bad.provisions = vec![
            "PSMA-2018-S3".into(),
            "PACHTO-2002-S3".into(),
            "NOPE".into(),
        ];
        bad.district = Some("karachi-south".into());
        bad.offence_date = Some("2999-01-01".into());
        let CoreError::Invalid(errs) = b.app.register_case(&inv, &bad).await.unwrap_err() else {
            panic!()
        };
        let codes: Vec<_> = errs
            .iter()
            .map(|e| (e.field.as_str(), e.problem.code()))
            .collect();
        assert!(
            codes.contains(&("district", "district-not-in-province")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("offence_date", "date-in-future")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("provisions", "provision-not-for-crime-types")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("provisions", "unknown-provision")),
            "{codes:?}"
        );
        assert_eq!(b.store.count_cases().await.unwrap(), 0);

        let case = b.app.register_case(&inv, &tip_case()).await.unwrap();
        let mut p = victim();
        p.cnic = Some("32304-1234567-1".into()); // odd last digit for a woman
        p.date_of_birth = Some("2010-01-01".into()); // and an estimate as well
        let CoreError::Invalid(errs) = b
            .app
            .add_person_to_case(
                &inv,
                case.id,
                PersonRef::New(Box::new(p)),
                Some("victim"),
                Some("recruiter"),
            )
            .await
            .unwrap_err()
        else {
            panic!()
        };
        let codes: Vec<_> = errs
            .iter()
            .map(|e| (e.field.as_str(), e.problem.code()))
            .collect();
        assert!(codes.contains(&("cnic", "cnic-sex-digit")), "{codes:?}");
        assert!(
            codes.contains(&("estimated_age", "dob-and-age-both")),
            "{codes:?}"
        );
        assert!(
            codes.contains(&("chain_role", "chain-role-only-for-suspects")),
            "{codes:?}"
        );
        assert_eq!(b.store.count_persons().await.unwrap(), 0, "{}", b.name);
    }
}

#[tokio::test]
async fn roles_without_case_access_are_refused_and_audited() {
    for b in both().await {
        let ngo = user(&b.app, "ngo", "ngo_case_worker", "NGO-DASTAK-LHE").await;
        let auditor = user(&b.app, "aud", "auditor", "FIA-AHTC-ISB").await;
        assert!(matches!(
            b.app.register_case(&ngo, &tip_case()).await,
            Err(CoreError::Forbidden(_))
        ));
        assert!(matches!(
            b.app.search_persons(&auditor, "x").await,
            Err(CoreError::Forbidden(_))
        ));
        let entries = b.store.audit_page(0, 1000).await.unwrap();
        assert!(
            entries
                .iter()
                .any(|e| e.outcome == "denied" && e.actor_name == "ngo"),
            "{}",
            b.name
        );
        assert!(b.app.audit_entries(&auditor, 0, 10).await.is_ok());
    }
}

#[tokio::test]
async fn login_sessions_and_failures() {
    for b in both().await {
        user(&b.app, "inv", "investigator", "FIA-AHTC-LHE").await;
        assert!(matches!(
            b.app.login("inv", "wrong password", "127.0.0.1").await,
            Err(CoreError::Unauthenticated)
        ));
        assert!(matches!(
            b.app.login("nobody", "whatever", "127.0.0.1").await,
            Err(CoreError::Unauthenticated)
        ));
        let s = b
            .app
            .login("INV", "long enough password", "127.0.0.1")
            .await
            .unwrap();
        let (actor, csrf) = b.app.authenticate(&s.token, "127.0.0.1").await.unwrap();
        assert_eq!(actor.username, "inv");
        assert_eq!(csrf, s.csrf_token);
        assert!(b.app.authenticate("forged", "x").await.is_err());
        b.app
            .set_password(&Principal::system("test"), "inv", "another long password")
            .await
            .unwrap();
        assert!(
            b.app.authenticate(&s.token, "x").await.is_err(),
            "a new password ends sessions"
        );
        let s2 = b
            .app
            .login("inv", "another long password", "127.0.0.1")
            .await
            .unwrap();
        b.app.logout(&s2.token).await.unwrap();
        assert!(b.app.authenticate(&s2.token, "x").await.is_err());
        let denied = b
            .store
            .audit_page(0, 1000)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.action == "auth.login" && e.outcome == "denied")
            .count();
        assert_eq!(denied, 2, "{}", b.name);
    }
}

#[tokio::test]
async fn audit_chain_detects_edit_delete_and_reorder() {
    for b in both().await {
        let inv = user(&b.app, "inv", "investigator", "FIA-AHTC-LHE").await;
        for _ in 0..3 {
            b.app.register_case(&inv, &som_case()).await.unwrap();
        }
        let report = b.app.verify_audit().await.unwrap();
        assert!(report.first_bad.is_none(), "{}", b.name);
        assert_eq!(report.checked, 4);
        let pool = b.store.pool();

        sqlx::query("UPDATE audit_log SET actor_name = 'someone-else' WHERE seq = 3")
            .execute(pool)
            .await
            .unwrap();
        assert_eq!(
            b.app.verify_audit().await.unwrap().first_bad,
            Some((3, ChainBreak::Edited)),
            "{}",
            b.name
        );
        sqlx::query("UPDATE audit_log SET actor_name = 'inv' WHERE seq = 3")
            .execute(pool)
            .await
            .unwrap();
        assert!(b.app.verify_audit().await.unwrap().first_bad.is_none());

        // Reorder: swap the contents of entries 2 and 3 by swapping their sequence numbers.
        sqlx::query("UPDATE audit_log SET seq = -2 WHERE seq = 2")
            .execute(pool)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET seq = 2 WHERE seq = 3")
            .execute(pool)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET seq = 3 WHERE seq = -2")
            .execute(pool)
            .await
            .unwrap();
        assert_eq!(
            b.app.verify_audit().await.unwrap().first_bad.map(|x| x.0),
            Some(2),
            "{}",
            b.name
        );
        sqlx::query("UPDATE audit_log SET seq = -2 WHERE seq = 2")
            .execute(pool)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET seq = 2 WHERE seq = 3")
            .execute(pool)
            .await
            .unwrap();
        sqlx::query("UPDATE audit_log SET seq = 3 WHERE seq = -2")
            .execute(pool)
            .await
            .unwrap();
        assert!(b.app.verify_audit().await.unwrap().first_bad.is_none());

        sqlx::query("DELETE FROM audit_log WHERE seq = 2")
            .execute(pool)
            .await
            .unwrap();
        assert_eq!(
            b.app.verify_audit().await.unwrap().first_bad,
            Some((3, ChainBreak::Gap { expected: 2 })),
            "{}",
            b.name
        );
    }
}

#[tokio::test]
async fn bulk_load_writes_everything_in_one_audited_step() {
    for b in both().await {
        let refdata = ReferenceData::embedded().unwrap();
        let today = chrono::Utc::now().date_naive();
        let persons: Vec<NewPerson> = (0..1000)
            .map(|i| NewPerson {
                id: PersonId::new(),
                person: PersonInput {
                    name_roman: Some(format!("Person {}", "x".repeat(i % 7 + 1))),
                    sex: Some("male".into()),
                    phone: Some(format!("0300{:07}", i)),
                    ..Default::default()
                }
                .validate(&refdata, today)
                .unwrap(),
                agency: "FIA".into(),
                created_by: UserId::new(),
                created_at: chrono::Utc::now(),
            })
            .collect();
        b.app
            .bulk_load(
                &Principal::system("test"),
                &BulkBatch {
                    persons,
                    cases: vec![],
                },
            )
            .await
            .unwrap();
        assert_eq!(b.store.count_persons().await.unwrap(), 1000, "{}", b.name);
        let entries = b.store.audit_page(0, 10).await.unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].action, "bulk.load");
    }
}

#[tokio::test]
async fn shares_open_a_case_until_they_expire_or_are_revoked() {
    for b in both().await {
        let owner = user(&b.app, "owner", "investigator", "FIA-AHTC-LHE").await;
        let khi = user(&b.app, "khi", "investigator", "FIA-AHTC-KHI").await;
        let pros = user(&b.app, "pros", "prosecutor", "PROS-LHE").await;
        let case = b.app.register_case(&owner, &tip_case()).await.unwrap();
        b.app
            .add_person_to_case(
                &owner,
                case.id,
                PersonRef::New(Box::new(suspect())),
                Some("suspect"),
                Some("recruiter"),
            )
            .await
            .unwrap();
        let until = (chrono::Utc::now() + chrono::Duration::days(30))
            .date_naive()
            .to_string();
        let share = |to_unit: &str, parts: &str| nigehban_core::service::ShareInput {
            to_unit: Some(to_unit.into()),
            parts: Some(parts.into()),
            reason: Some("Joint investigation of the same network".into()),
            until: Some(until.clone()),
            ..Default::default()
        };
        // A summary share: the facts, not the persons.
        let s1 = b
            .app
            .share_case(&owner, case.id, &share("FIA-AHTC-KHI", "summary"))
            .await
            .unwrap();
        let v = b.app.view_case(&khi, case.id).await.unwrap();
        assert!(v.access.see && !v.access.persons, "{}", b.name);
        assert!(v.detail.persons.is_empty());
        assert_eq!(b.app.recent_cases(&khi, 10).await.unwrap().len(), 1);
        assert!(
            b.app
                .search_persons(&khi, "aslam")
                .await
                .unwrap()
                .is_empty(),
            "summary shares do not open persons"
        );
        // The recipient cannot re-share or move it.
        assert!(b
            .app
            .share_case(&khi, case.id, &share("PP-LHE", "full"))
            .await
            .is_err());
        b.app.revoke_share(&owner, case.id, &s1.id).await.unwrap();
        assert!(
            matches!(
                b.app.view_case(&khi, case.id).await,
                Err(CoreError::NotFound)
            ),
            "{}",
            b.name
        );
        assert!(b.app.recent_cases(&khi, 10).await.unwrap().is_empty());

        // A prosecutor sees only what is shared with the prosecution unit; a full share opens persons.
        assert!(matches!(
            b.app.view_case(&pros, case.id).await,
            Err(CoreError::NotFound)
        ));
        b.app
            .share_case(&owner, case.id, &share("PROS-LHE", "full"))
            .await
            .unwrap();
        let v = b.app.view_case(&pros, case.id).await.unwrap();
        assert!(
            v.access.persons && v.access.mov && !v.access.work,
            "{}",
            b.name
        );
        assert_eq!(
            b.app.search_persons(&pros, "aslam").await.unwrap().len(),
            1,
            "{}",
            b.name
        );
        // An expired share opens nothing: age it in the database.
        sqlx::query("UPDATE case_shares SET expires_at = 1")
            .execute(b.store.pool())
            .await
            .unwrap();
        assert!(
            matches!(
                b.app.view_case(&pros, case.id).await,
                Err(CoreError::NotFound)
            ),
            "{}",
            b.name
        );

        // Bad share requests are explained.
        let bad = nigehban_core::service::ShareInput {
            to_unit: Some("NOPE".into()),
            reason: Some("x".into()),
            until: Some("2000-01-01".into()),
            ..Default::default()
        };
        let CoreError::Invalid(errs) = b.app.share_case(&owner, case.id, &bad).await.unwrap_err()
        else {
            panic!()
        };
        let fields: Vec<_> = errs.iter().map(|e| e.field.as_str()).collect();
        assert!(
            fields.contains(&"to_unit") && fields.contains(&"reason") && fields.contains(&"until"),
            "{fields:?}"
        );
    }
}

#[tokio::test]
async fn sealed_cases_are_hidden_from_all_but_the_named() {
    for b in both().await {
        let sup = user(&b.app, "sup", "supervisor", "FIA-AHTC-LHE").await;
        let inv = user(&b.app, "inv", "investigator", "FIA-AHTC-LHE").await;
        let named = user(&b.app, "named", "investigator", "FIA-AHTC-LHE").await;
        let case = b.app.register_case(&inv, &tip_case()).await.unwrap();
        assert!(matches!(
            b.app.seal_case(&inv, case.id, "Order 12/2025", &[]).await,
            Err(CoreError::Forbidden(_))
        ));
        b.app
            .seal_case(
                &sup,
                case.id,
                "Lahore High Court order 12/2025",
                &["named".to_string()],
            )
            .await
            .unwrap();
        assert!(
            matches!(
                b.app.view_case(&inv, case.id).await,
                Err(CoreError::NotFound)
            ),
            "{}",
            b.name
        );
        assert!(
            b.app.recent_cases(&inv, 10).await.unwrap().is_empty(),
            "{}",
            b.name
        );
        assert!(b.app.view_case(&named, case.id).await.is_ok());
        assert!(b.app.view_case(&sup, case.id).await.is_ok());
    }
}

#[tokio::test]
async fn revealing_an_identity_needs_a_reason_and_is_shown_to_the_owner() {
    for b in both().await {
        let inv = user(&b.app, "inv", "investigator", "FIA-AHTC-LHE").await;
        let intake = user(&b.app, "intake", "intake_officer", "FIA-AHTC-LHE").await;
        let case = b.app.register_case(&inv, &tip_case()).await.unwrap();
        let v = b
            .app
            .add_person_to_case(
                &inv,
                case.id,
                PersonRef::New(Box::new(victim())),
                Some("victim"),
                None,
            )
            .await
            .unwrap();
        assert!(matches!(
            b.app.reveal_identity(&inv, v, "").await,
            Err(CoreError::Invalid(_))
        ));
        assert!(matches!(
            b.app.reveal_identity(&inv, v, "short").await,
            Err(CoreError::Invalid(_))
        ));
        assert!(matches!(
            b.app
                .reveal_identity(&intake, v, "I would like to see the name")
                .await,
            Err(CoreError::Forbidden(_))
        ));
        let shown = b
            .app
            .reveal_identity(&inv, v, "Preparing the statement for the magistrate")
            .await
            .unwrap();
        assert_eq!(
            shown.detail.person.name.roman.as_deref(),
            Some("Kaneez Fatima"),
            "{}",
            b.name
        );
        assert!(!shown.detail.pseudonymised);
        assert_eq!(shown.reveals.len(), 1);
        assert_eq!(
            shown.reveals[0].reason,
            "Preparing the statement for the magistrate"
        );
        // The reveal is for that user only.
        assert!(
            b.app
                .view_person(&intake, v)
                .await
                .unwrap()
                .detail
                .pseudonymised
        );
        let case_view = b.app.view_case(&inv, case.id).await.unwrap();
        assert_eq!(
            case_view.detail.persons[0].name_roman.as_deref(),
            Some("Kaneez Fatima")
        );
        let audit = b.store.audit_page(0, 1000).await.unwrap();
        assert!(audit.iter().any(|e| e.action == "identity.reveal"
            && e.outcome == "done"
            && e.detail.contains("magistrate")));
    }
}

#[tokio::test]
async fn accounts_lock_after_repeated_failures() {
    for b in both().await {
        user(&b.app, "inv", "investigator", "FIA-AHTC-LHE").await;
        for _ in 0..nigehban_core::service::LOCKOUT_AFTER {
            assert!(b
                .app
                .login("inv", "wrong password", "10.0.0.9")
                .await
                .is_err());
        }
        // Now even the right password is refused until the lock expires.
        assert!(
            matches!(
                b.app.login("inv", "long enough password", "10.0.0.9").await,
                Err(CoreError::Unauthenticated)
            ),
            "{}",
            b.name
        );
        sqlx::query("UPDATE users SET locked_until = 1")
            .execute(b.store.pool())
            .await
            .unwrap();
        assert!(
            b.app
                .login("inv", "long enough password", "10.0.0.9")
                .await
                .is_ok(),
            "{}",
            b.name
        );
        let u = b.store.user_by_username("inv").await.unwrap().unwrap();
        assert_eq!(u.failed_logins, 0);
    }
}

#[tokio::test]
async fn supervisors_need_a_second_factor_that_cannot_be_replayed() {
    use nigehban_core::auth::totp;
    for b in both().await {
        user(&b.app, "sup", "supervisor", "FIA-AHTC-LHE").await;
        user(&b.app, "inv", "investigator", "FIA-AHTC-LHE").await;
        // An investigator needs no second factor.
        let s = b
            .app
            .login("inv", "long enough password", "127.0.0.1")
            .await
            .unwrap();
        assert!(!s.second_factor);
        // A supervisor's password alone opens nothing.
        let s = b
            .app
            .login("sup", "long enough password", "127.0.0.1")
            .await
            .unwrap();
        assert!(s.second_factor);
        assert!(
            matches!(
                b.app.authenticate(&s.token, "x").await,
                Err(CoreError::SecondFactorRequired)
            ),
            "{}",
            b.name
        );
        let setup = b.app.second_factor_setup(&s.token).await.unwrap();
        let (secret, uri) = setup.enrol.clone().unwrap();
        assert!(uri.contains("secret="));
        assert_eq!(
            b.app
                .second_factor_setup(&s.token)
                .await
                .unwrap()
                .enrol
                .unwrap()
                .0,
            secret,
            "same secret until enrolled"
        );
        assert!(b
            .app
            .verify_second_factor(&s.token, "000000", "x")
            .await
            .is_err());
        let now = chrono::Utc::now().timestamp() as u64;
        let code = totp::code_at(&secret, now).unwrap();
        b.app
            .verify_second_factor(&s.token, &code, "x")
            .await
            .unwrap();
        assert!(
            b.app.authenticate(&s.token, "x").await.is_ok(),
            "{}",
            b.name
        );
        // The secret is sealed at rest.
        let raw: Option<String> =
            sqlx::query_scalar("SELECT totp_secret FROM users WHERE username = 'sup'")
                .fetch_one(b.store.pool())
                .await
                .unwrap();
        assert!(!raw.unwrap().contains(&secret));
        // Next sign-in: enrolled, no secret shown; the same code cannot be used again.
        let s2 = b
            .app
            .login("sup", "long enough password", "127.0.0.1")
            .await
            .unwrap();
        assert!(b
            .app
            .second_factor_setup(&s2.token)
            .await
            .unwrap()
            .enrol
            .is_none());
        assert!(
            b.app
                .verify_second_factor(&s2.token, &code, "x")
                .await
                .is_err(),
            "{}: replayed code refused",
            b.name
        );
        let next = totp::code_at(&secret, now + totp::STEP).unwrap();
        b.app
            .verify_second_factor(&s2.token, &next, "x")
            .await
            .unwrap();
        assert!(b.app.authenticate(&s2.token, "x").await.is_ok());
    }
}

#[tokio::test]
async fn probing_outside_ones_jurisdiction_raises_an_alert_an_auditor_acknowledges() {
    for b in both().await {
        let owner = user(&b.app, "owner", "investigator", "FIA-AHTC-LHE").await;
        let prober = user(&b.app, "prober", "investigator", "PP-LHE").await;
        let auditor = user(&b.app, "aud", "auditor", "FIA-AHTC-ISB").await;
        let case = b.app.register_case(&owner, &tip_case()).await.unwrap();
        for _ in 0..3 {
            assert!(b.app.view_case(&prober, case.id).await.is_err());
        }
        assert_eq!(b.app.scan_alerts().await.unwrap(), 1, "{}", b.name);
        assert_eq!(b.app.scan_alerts().await.unwrap(), 0, "not raised twice");
        assert!(
            b.app.alerts(&prober).await.is_err(),
            "only auditors read alerts"
        );
        let alerts = b.app.alerts(&auditor).await.unwrap();
        assert_eq!(alerts.len(), 1);
        assert_eq!(alerts[0].finding.rule, "outside-jurisdiction");
        assert_eq!(alerts[0].finding.actor_name, "prober");
        assert!(matches!(
            b.app.acknowledge_alert(&auditor, &alerts[0].id, " ").await,
            Err(CoreError::Invalid(_))
        ));
        b.app
            .acknowledge_alert(
                &auditor,
                &alerts[0].id,
                "Asked PP-LHE: officer was following up a complaint",
            )
            .await
            .unwrap();
        assert!(b.app.alerts(&auditor).await.unwrap()[0].ack_by.as_deref() == Some("aud"));
        // The review filters by user and action.
        let f = nigehban_core::store::AuditFilter {
            actor_name: Some("prober".into()),
            action: Some("case.".into()),
            limit: 50,
            ..Default::default()
        };
        let entries = b.app.audit_review(&auditor, &f).await.unwrap();
        assert_eq!(entries.len(), 3, "{}", b.name);
        assert!(entries.iter().all(|e| e.outcome == "denied"));
    }
}

#[tokio::test]
async fn administrators_manage_their_own_agency_only() {
    for b in both().await {
        let admin = user(&b.app, "admin", "administrator", "FIA-AHTC-ISB").await;
        let inv = user(&b.app, "inv", "investigator", "FIA-AHTC-LHE").await;
        user(&b.app, "pol", "investigator", "PP-LHE").await;
        let by = Principal::User(admin.clone());
        let input = |u: &str, unit: &str| NewUserInput {
            username: u.into(),
            display_name: u.into(),
            role: "intake_officer".into(),
            unit_code: unit.into(),
            password: "long enough password".into(),
        };
        b.app
            .add_user(&by, input("new.intake", "FIA-IMM-TAFTAN"))
            .await
            .unwrap();
        assert!(
            matches!(
                b.app.add_user(&by, input("elsewhere", "PP-LHE")).await,
                Err(CoreError::Invalid(_))
            ),
            "{}",
            b.name
        );
        assert!(matches!(
            b.app
                .add_user(&Principal::User(inv.clone()), input("x1", "FIA-AHTC-LHE"))
                .await,
            Err(CoreError::Forbidden(_))
        ));
        let names: Vec<_> = b
            .app
            .list_users(&admin)
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.username)
            .collect();
        assert!(
            names.contains(&"inv".to_string()) && !names.contains(&"pol".to_string()),
            "{names:?}"
        );
        assert!(matches!(
            b.app.reset_password(&admin, "pol").await,
            Err(CoreError::NotFound)
        ));

        let s = b
            .app
            .login("inv", "long enough password", "x")
            .await
            .unwrap();
        b.app.set_user_active(&admin, "inv", false).await.unwrap();
        assert!(
            b.app.authenticate(&s.token, "x").await.is_err(),
            "disabling ends sessions"
        );
        assert!(b
            .app
            .login("inv", "long enough password", "x")
            .await
            .is_err());
        b.app.set_user_active(&admin, "inv", true).await.unwrap();
        let temp = b.app.reset_password(&admin, "inv").await.unwrap();
        let s = b.app.login("inv", &temp, "x").await.unwrap();
        let (me, _) = b.app.authenticate(&s.token, "x").await.unwrap();
        assert!(matches!(
            b.app
                .change_own_password(&me, "wrong", "a brand new password")
                .await,
            Err(CoreError::Invalid(_))
        ));
        b.app
            .change_own_password(&me, &temp, "a brand new password")
            .await
            .unwrap();
        assert!(
            b.app
                .login("inv", "a brand new password", "x")
                .await
                .is_ok(),
            "{}",
            b.name
        );
        assert!(
            matches!(
                b.app.set_user_active(&admin, "admin", false).await,
                Err(CoreError::Forbidden(_))
            ),
            "not one's own account"
        );
    }
}

#[tokio::test]
async fn idle_sessions_expire_and_one_address_cannot_spray_passwords() {
    for b in both().await {
        user(&b.app, "inv", "investigator", "FIA-AHTC-LHE").await;
        let s = b
            .app
            .login("inv", "long enough password", "10.1.1.1")
            .await
            .unwrap();
        assert!(b.app.authenticate(&s.token, "x").await.is_ok());
        // Idle for longer than allowed: the session is gone.
        let old = (chrono::Utc::now()
            - nigehban_core::service::SESSION_IDLE
            - chrono::Duration::minutes(1))
        .timestamp_micros();
        sqlx::query("UPDATE sessions SET last_seen_at = $1")
            .bind(old)
            .execute(b.store.pool())
            .await
            .unwrap();
        assert!(
            matches!(
                b.app.authenticate(&s.token, "x").await,
                Err(CoreError::Unauthenticated)
            ),
            "{}",
            b.name
        );
        assert!(
            matches!(
                b.app.authenticate(&s.token, "x").await,
                Err(CoreError::Unauthenticated)
            ),
            "deleted, not revived"
        );
        // Many failures across accounts from one address: even a right password is refused there.
        for i in 0..nigehban_core::service::THROTTLE_AFTER {
            let _ = b
                .app
                .login(&format!("nobody{i}"), "whatever password", "10.9.9.9")
                .await;
        }
        assert!(
            b.app
                .login("inv", "long enough password", "10.9.9.9")
                .await
                .is_err(),
            "{}",
            b.name
        );
        assert!(
            b.app
                .login("inv", "long enough password", "10.1.1.1")
                .await
                .is_ok(),
            "other addresses are not affected"
        );
    }
}

#[tokio::test]
async fn a_sealed_witness_disappears_for_everyone_not_named() {
    for b in both().await {
        let sup = user(&b.app, "sup", "supervisor", "FIA-AHTC-LHE").await;
        let inv = user(&b.app, "inv", "investigator", "FIA-AHTC-LHE").await;
        let case = b.app.register_case(&inv, &tip_case()).await.unwrap();
        let mut w = victim();
        w.cnic = Some("32304-7777777-2".into());
        let wid = b
            .app
            .add_person_to_case(
                &inv,
                case.id,
                PersonRef::New(Box::new(w)),
                Some("witness"),
                None,
            )
            .await
            .unwrap();
        assert!(b.app.view_person(&inv, wid).await.is_ok());
        assert!(matches!(
            b.app.seal_person(&inv, wid, "Order 3/2025", &[]).await,
            Err(CoreError::Forbidden(_))
        ));
        b.app
            .seal_person(&sup, wid, "Sessions Court Lahore order 3/2025", &[])
            .await
            .unwrap();
        assert!(
            matches!(b.app.view_person(&inv, wid).await, Err(CoreError::NotFound)),
            "{}",
            b.name
        );
        assert!(
            b.app
                .search_persons(&inv, "32304-7777777-2")
                .await
                .unwrap()
                .is_empty(),
            "{}",
            b.name
        );
        assert!(b.app.view_person(&sup, wid).await.is_ok());
        assert!(
            b.app
                .view_case(&inv, case.id)
                .await
                .unwrap()
                .detail
                .persons
                .is_empty(),
            "{}: not in the case's list either",
            b.name
        );
        assert_eq!(
            b.app
                .view_case(&sup, case.id)
                .await
                .unwrap()
                .detail
                .persons
                .len(),
            1
        );
    }
}

#[tokio::test]
async fn administrators_add_units_to_their_own_agency() {
    for b in both().await {
        let admin = user(&b.app, "admin", "administrator", "FIA-AHTC-ISB").await;
        let input = |code: &str, district: &str| nigehban_core::service::NewUnitInput {
            code: code.into(),
            name_en: "FIA Anti-Human Trafficking Circle, Sialkot".into(),
            name_ur: "ایف آئی اے سرکل، سیالکوٹ".into(),
            district: district.into(),
        };
        let u = b
            .app
            .add_unit(&admin, &input("fia-ahtc-skt", "sialkot"))
            .await
            .unwrap();
        assert_eq!(u.code, "FIA-AHTC-SKT");
        let CoreError::Invalid(e) = b
            .app
            .add_unit(&admin, &input("PP-SKT", "nowhere"))
            .await
            .unwrap_err()
        else {
            panic!()
        };
        let fields: Vec<_> = e.iter().map(|f| f.field.as_str()).collect();
        assert!(
            fields.contains(&"code") && fields.contains(&"district"),
            "{fields:?}"
        );
        assert!(
            matches!(
                b.app
                    .add_unit(&admin, &input("FIA-AHTC-SKT", "sialkot"))
                    .await,
                Err(CoreError::Invalid(_))
            ),
            "{}: duplicate",
            b.name
        );
        // Officers of the new unit number their own cases.
        b.app
            .add_user(
                &Principal::User(admin.clone()),
                NewUserInput {
                    username: "skt".into(),
                    display_name: "skt".into(),
                    role: "investigator".into(),
                    unit_code: "FIA-AHTC-SKT".into(),
                    password: "long enough password".into(),
                },
            )
            .await
            .unwrap();
        let skt = b.app.cli_actor("skt").await.unwrap();
        let case = b.app.register_case(&skt, &tip_case()).await.unwrap();
        assert!(case.number.to_string().starts_with("FIA-AHTC-SKT-"));
    }
}

#[tokio::test]
async fn administrators_review_their_own_agency_and_auditors_everyone() {
    for b in both().await {
        let fia = user(&b.app, "fia.inv", "investigator", "FIA-AHTC-LHE").await;
        let pol = user(&b.app, "pol.inv", "investigator", "PP-LHE").await;
        let fia_admin = user(&b.app, "fia.admin", "administrator", "FIA-AHTC-ISB").await;
        let auditor = user(&b.app, "aud", "auditor", "FIA-AHTC-ISB").await;
        b.app.register_case(&fia, &tip_case()).await.unwrap();
        let police_case = b.app.register_case(&pol, &tip_case()).await.unwrap();
        for _ in 0..3 {
            let _ = b.app.view_case(&fia, police_case.id).await;
        }
        b.app.scan_alerts().await.unwrap();
        let all = nigehban_core::store::AuditFilter {
            action: Some("case.create".into()),
            limit: 100,
            ..Default::default()
        };
        let by = |v: &[nigehban_core::audit::AuditEntry]| {
            v.iter()
                .map(|e| e.actor_name.clone())
                .collect::<std::collections::BTreeSet<_>>()
        };
        let seen_by_admin = by(&b.app.audit_review(&fia_admin, &all).await.unwrap());
        let seen_by_auditor = by(&b.app.audit_review(&auditor, &all).await.unwrap());
        assert!(
            seen_by_admin.contains("fia.inv") && !seen_by_admin.contains("pol.inv"),
            "{}: {seen_by_admin:?}",
            b.name
        );
        assert!(
            seen_by_auditor.contains("fia.inv") && seen_by_auditor.contains("pol.inv"),
            "{}",
            b.name
        );
        assert_eq!(
            b.app.alerts(&fia_admin).await.unwrap().len(),
            1,
            "the FIA officer's probing is the FIA admin's business"
        );
        assert_eq!(b.app.alerts(&auditor).await.unwrap().len(), 1);
        let police_admin = user(&b.app, "pp.admin", "administrator", "PP-LHE").await;
        assert!(
            b.app.alerts(&police_admin).await.unwrap().is_empty(),
            "{}",
            b.name
        );
    }
}
