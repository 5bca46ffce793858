//! Record linkage inside Nigehban, the agent register and the network view, through `Nigehban`
//! over a real `SqlStore`, on SQLite and on PostgreSQL: duplicates found as persons arrive,
//! their review (merge, undo, reject) within the agency, alerts when a person shares something
//! with a known agent, and the graph under the access policy.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;
use nigehban_core::actor::Actor;
use nigehban_core::linkage_store::{DuplicateStatus, LinkageStore};
use nigehban_core::service::{NetworkFormat, PersonRef};
use nigehban_core::CoreError;
use nigehban_domain::ids::{CaseId, PersonId};
use nigehban_domain::person::PersonInput;
use support::*;

async fn both() -> Vec<Backend> {
    support::both("nigehban_linkage").await
}

fn asif_input() -> PersonInput {
    PersonInput {
        name_roman: Some("Muhammad Asif Butt".into()),
        parentage_relation: Some("son_of".into()),
        parentage_roman: Some("Ghulam Rasool".into()),
        sex: Some("male".into()),
        date_of_birth: Some("1985-04-12".into()),
        phone: Some("0300-7654321".into()),
        hawala_account: Some("Haji Sattar Exchange 4471".into()),
        origin_district: Some("gujranwala".into()),
        ..Default::default()
    }
}

/// The same man written by another district: other spellings, Urdu script, day and month
/// swapped, no phone.
fn asif_again_input() -> PersonInput {
    PersonInput {
        name_roman: Some("Mohd. Asif Butt".into()),
        name_urdu: Some("محمد آصف بٹ".into()),
        parentage_relation: Some("son_of".into()),
        parentage_roman: Some("Gh. Rasool".into()),
        sex: Some("male".into()),
        date_of_birth: Some("1985-12-04".into()),
        ..Default::default()
    }
}

/// A "new" name with no record, who uses the known agent's phone.
fn nadeem_input() -> PersonInput {
    PersonInput {
        name_roman: Some("Nadeem Akhtar".into()),
        sex: Some("male".into()),
        phone: Some("+92 300 7654321".into()),
        vehicle: Some("GAB-07-5512".into()),
        ..Default::default()
    }
}

struct World {
    inv: Actor,
    analyst: Actor,
    supervisor: Actor,
    police: Actor,
    case_a: CaseId,
    case_b: CaseId,
    asif: PersonId,
    asif_again: PersonId,
    nadeem: PersonId,
    victim: PersonId,
}

async fn world(b: &Backend) -> World {
    let inv = user(&b.app, "inv", "investigator", "FIA-AHTC-GRW").await;
    let analyst = user(&b.app, "analyst", "analyst", "FIA-AHTC-ISB").await;
    let supervisor = user(&b.app, "sup", "supervisor", "FIA-AHTC-GRW").await;
    let police = user(&b.app, "police", "investigator", "PP-LHE").await;
    let case_a = b.app.register_case(&inv, &som_case()).await.unwrap().id;
    let case_b = b.app.register_case(&inv, &tip_case()).await.unwrap().id;
    let add = |case: CaseId, p: PersonInput, role: &'static str, chain: Option<&'static str>| {
        let app = b.app.clone();
        let inv = inv.clone();
        async move {
            app.add_person_to_case(&inv, case, PersonRef::New(Box::new(p)), Some(role), chain)
                .await
                .unwrap()
        }
    };
    let asif = add(case_a, asif_input(), "suspect", Some("sub_agent")).await;
    let victim = add(case_a, victim(), "victim", None).await;
    let asif_again = add(case_b, asif_again_input(), "suspect", Some("recruiter")).await;
    let nadeem = add(case_b, nadeem_input(), "suspect", Some("facilitator")).await;
    // The same name in another agency's record is that agency's, never FIA's duplicate.
    let pcase = b.app.register_case(&police, &tip_case()).await.unwrap().id;
    b.app
        .add_person_to_case(
            &police,
            pcase,
            PersonRef::New(Box::new(asif_again_input())),
            Some("suspect"),
            Some("recruiter"),
        )
        .await
        .unwrap();
    World {
        inv,
        analyst,
        supervisor,
        police,
        case_a,
        case_b,
        asif,
        asif_again,
        nadeem,
        victim,
    }
}

#[tokio::test]
async fn duplicates_found_on_arrival_are_reviewed_merged_and_undone() {
    for b in both().await {
        let w = world(&b).await;
        let queue = b
            .app
            .duplicate_queue(&w.analyst, Some(DuplicateStatus::Pending))
            .await
            .unwrap();
        assert_eq!(queue.len(), 1, "{}: {queue:#?}", b.name);
        let d = &queue[0];
        let pair = [d.a.id, d.b.id];
        assert!(
            pair.contains(&w.asif) && pair.contains(&w.asif_again),
            "{}",
            b.name
        );
        assert!(d.record.probability >= 0.8, "{}", b.name);
        let fields: Vec<&str> = d
            .record
            .explanation
            .iter()
            .map(|f| f.field.as_str())
            .collect();
        assert!(
            fields.contains(&"name") && fields.contains(&"parentage"),
            "{fields:?}"
        );
        let dob = d
            .record
            .explanation
            .iter()
            .find(|f| f.field == "date_of_birth")
            .unwrap();
        assert!(
            dob.weight > 0.0,
            "a day-month swap is evidence for: {dob:?}"
        );
        // Investigators and the police do not review the FIA's queue.
        assert!(matches!(
            b.app.duplicate_queue(&w.inv, None).await,
            Err(CoreError::Forbidden(_))
        ));
        assert!(matches!(
            b.app.duplicate(&w.police, &d.record.id).await,
            Err(CoreError::Forbidden(_))
        ));
        // A supervisor confirms: the second record is merged into the first, names kept.
        let merge = b
            .app
            .confirm_duplicate(&w.supervisor, &d.record.id, &w.asif.to_string())
            .await
            .unwrap();
        assert_eq!(merge.merged, w.asif_again);
        let merged: Option<String> =
            sqlx::query_scalar("SELECT merged_into FROM persons WHERE id = $1")
                .bind(w.asif_again.to_string())
                .fetch_one(b.store.pool())
                .await
                .unwrap();
        assert_eq!(merged, Some(w.asif.to_string()), "{}", b.name);
        let aliases = b.app.merges_of(&w.inv, w.asif).await.unwrap();
        assert_eq!(aliases.len(), 1);
        assert_eq!(aliases[0].1.label, "Mohd. Asif Butt");
        // Deciding twice is a conflict, not a second merge.
        assert!(matches!(
            b.app
                .confirm_duplicate(&w.supervisor, &d.record.id, &w.asif.to_string())
                .await,
            Err(CoreError::Conflict(_))
        ));
        // Undo: the record stands alone again and the pair is back in the queue.
        b.app.undo_merge(&w.supervisor, &d.record.id).await.unwrap();
        let merged: Option<String> =
            sqlx::query_scalar("SELECT merged_into FROM persons WHERE id = $1")
                .bind(w.asif_again.to_string())
                .fetch_one(b.store.pool())
                .await
                .unwrap();
        assert_eq!(merged, None, "{}", b.name);
        let history: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM person_merges WHERE undone_at IS NOT NULL")
                .fetch_one(b.store.pool())
                .await
                .unwrap();
        assert_eq!(history, 1, "the undone merge stays in the history");
        assert!(b.app.merges_of(&w.inv, w.asif).await.unwrap().is_empty());
        let again = b
            .app
            .duplicate_queue(&w.analyst, Some(DuplicateStatus::Pending))
            .await
            .unwrap();
        assert_eq!(again.len(), 1);
        // Reject: different persons, not offered again by a sweep.
        b.app
            .reject_duplicate(&w.analyst, &d.record.id)
            .await
            .unwrap();
        let report = b
            .app
            .sweep_duplicates(&w.analyst, &|_, _| {})
            .await
            .unwrap();
        assert!(report.comparisons >= 1, "{report:?}");
        assert_eq!(report.new_in_queue, 0, "{report:?}");
        let rejected = b
            .app
            .duplicate_queue(&w.analyst, Some(DuplicateStatus::Rejected))
            .await
            .unwrap();
        assert_eq!(rejected.len(), 1);
        // Every decision is in the audit log.
        for action in [
            "duplicate.found",
            "duplicate.confirm",
            "duplicate.undo",
            "duplicate.reject",
            "duplicate.sweep",
        ] {
            let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = $1")
                .bind(action)
                .fetch_one(b.store.pool())
                .await
                .unwrap();
            assert!(n >= 1, "{}: no {action} in the audit log", b.name);
        }
    }
}

#[tokio::test]
async fn the_scan_after_a_write_looks_only_at_the_persons_written() {
    for b in both().await {
        let w = world(&b).await;
        // Raised when Nadeem was written, before anyone opened the register.
        let raised: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM agent_link_alerts WHERE person_id = $1 AND via = 'phone'",
        )
        .bind(w.nadeem.to_string())
        .fetch_one(b.store.pool())
        .await
        .unwrap();
        assert_eq!(raised, 1, "{}", b.name);
        let all = b.store.agent_link_hits(&w.inv.agency, None).await.unwrap();
        for (touched, expect) in [(w.nadeem, true), (w.asif, true), (w.victim, false)] {
            let hits = b
                .store
                .agent_link_hits(&w.inv.agency, Some(&[touched]))
                .await
                .unwrap();
            // Only links through the person written, each one also found by the full scan.
            assert!(
                hits.iter()
                    .all(|h| (h.person == touched || h.agent == touched) && all.contains(h)),
                "{}: {hits:?}",
                b.name
            );
            // The phone link is found from either end.
            assert_eq!(
                hits.iter()
                    .any(|h| h.person == w.nadeem && h.agent == w.asif && h.via == "phone"),
                expect,
                "{}: {hits:?}",
                b.name
            );
        }
    }
}

#[tokio::test]
async fn a_person_put_on_a_watch_list_is_a_known_agent_at_once() {
    for b in both().await {
        let w = world(&b).await;
        // A witness, then a later witness on the same phone: no agent, no alert.
        let witness = |name: &str, cnic: &str| PersonInput {
            name_roman: Some(name.into()),
            sex: Some("male".into()),
            cnic: Some(cnic.into()),
            phone: Some("0333-1234567".into()),
            ..Default::default()
        };
        let first = witness("Khalid Mehmood", "34101-1234567-1");
        let add = |p: PersonInput| {
            b.app.add_person_to_case(
                &w.inv,
                w.case_a,
                PersonRef::New(Box::new(p)),
                Some("witness"),
                None,
            )
        };
        let khalid = add(first.clone()).await.unwrap();
        let later = add(witness("Tariq Aziz", "34101-7654321-3")).await.unwrap();
        let alerts = |b: &Backend| {
            let pool = b.store.pool().clone();
            async move {
                sqlx::query_scalar::<_, i64>(
                    "SELECT COUNT(*) FROM agent_link_alerts WHERE person_id = $1 AND agent_id = $2 AND via = 'phone'",
                )
                .bind(later.to_string())
                .bind(khalid.to_string())
                .fetch_one(&pool)
                .await
                .unwrap()
            }
        };
        assert_eq!(alerts(&b).await, 0, "{}", b.name);
        // Khalid goes into the most-wanted book (found by his CNIC): the alert is raised with
        // the write, before anyone reads the register.
        b.app
            .add_person_to_watchlist(&w.inv, "most_wanted", "2026", &first, None, None)
            .await
            .unwrap();
        assert_eq!(alerts(&b).await, 1, "{}", b.name);
    }
}

#[tokio::test]
async fn a_new_name_sharing_an_agents_phone_raises_an_alert_with_its_evidence() {
    for b in both().await {
        let w = world(&b).await;
        let reg = b.app.agent_register(&w.inv).await.unwrap();
        let names: Vec<&str> = reg.agents.iter().map(|a| a.label.as_str()).collect();
        assert!(
            names.contains(&"Muhammad Asif Butt"),
            "{}: {names:?}",
            b.name
        );
        // The victim is not an agent, and the police suspect is the police's.
        assert!(!reg.agents.iter().any(|a| a.record.person_id == w.victim));
        assert_eq!(reg.agents.len(), 3, "{names:?}");
        let asif = reg
            .agents
            .iter()
            .find(|a| a.record.person_id == w.asif)
            .unwrap();
        assert_eq!(asif.chain_roles, vec!["sub_agent".to_string()]);
        assert!(
            asif.areas.contains(&"gujranwala".to_string()),
            "{:?}",
            asif.areas
        );
        let alert = reg
            .alerts
            .iter()
            .find(|a| a.record.person == w.nadeem && a.record.via == "phone")
            .unwrap_or_else(|| panic!("{}: no phone alert: {:#?}", b.name, reg.alerts));
        assert_eq!(alert.record.agent, w.asif);
        assert!(alert.evidence.len() == 2, "{:?}", alert.evidence);
        assert!(alert.evidence[0].contains("Nadeem Akhtar"));
        assert!(
            alert.evidence[0].contains("4321") && !alert.evidence[0].contains("7654321"),
            "the phone is shown masked: {:?}",
            alert.evidence
        );
        // Nadeem is also in a case with the agent's other record.
        assert!(reg
            .alerts
            .iter()
            .any(|a| a.record.person == w.nadeem && a.record.via == "case"));
        // Raised once: reading again adds nothing.
        let n = reg.alerts.len();
        let again = b.app.agent_register(&w.inv).await.unwrap();
        assert_eq!(again.alerts.len(), n);
        b.app
            .ack_agent_link(&w.inv, &alert.record.id)
            .await
            .unwrap();
        let acked = b.app.agent_register(&w.inv).await.unwrap();
        assert!(acked
            .alerts
            .iter()
            .any(|a| a.record.id == alert.record.id && a.record.ack_at.is_some()));
        // Another agency's alert is not found.
        assert!(matches!(
            b.app.ack_agent_link(&w.police, &alert.record.id).await,
            Err(CoreError::NotFound)
        ));
        assert!(matches!(
            b.app
                .agent_register(&w.supervisor)
                .await
                .map(|r| r.agents.len()),
            Ok(3)
        ));
        // Reading the register again raised nothing, and left no gap in the audit chain.
        assert!(
            b.app.verify_audit().await.unwrap().first_bad.is_none(),
            "{}",
            b.name
        );
        let _ = (w.case_a, w.case_b, w.asif_again);
    }
}

#[tokio::test]
async fn the_network_follows_the_access_policy() {
    for b in both().await {
        let w = world(&b).await;
        let me = format!("person:{}", w.asif);
        let slice = b.app.network_neighbours(&w.inv, &me).await.unwrap();
        let kinds: Vec<&str> = slice.nodes.iter().map(|n| n.kind.as_str()).collect();
        assert!(
            kinds.contains(&"phone")
                && kinds.contains(&"hawala_account")
                && kinds.contains(&"case"),
            "{kinds:?}"
        );
        assert!(slice.nodes[0].agent, "the centre is the agent");
        let phone = slice.nodes.iter().find(|n| n.kind == "phone").unwrap();
        assert!(
            !phone.key.contains("7654321") && !phone.label.contains("7654321"),
            "{phone:?}"
        );
        // The phone leads to the new name.
        let holders = b.app.network_neighbours(&w.inv, &phone.key).await.unwrap();
        assert!(holders
            .nodes
            .iter()
            .any(|n| n.key == format!("person:{}", w.nadeem)));
        // The case shows its victim by pseudonym only.
        let case = b
            .app
            .network_neighbours(&w.inv, &format!("case:{}", w.case_a))
            .await
            .unwrap();
        let victim = case
            .nodes
            .iter()
            .find(|n| n.key == format!("person:{}", w.victim))
            .unwrap();
        assert!(
            victim.pseudonymised && victim.label.starts_with("P-"),
            "{victim:?}"
        );
        // Shortest chain from the agent to the new name: through the shared phone.
        let path = b
            .app
            .network_path(&w.inv, &me, &format!("person:{}", w.nadeem))
            .await
            .unwrap();
        assert_eq!(path.path.len(), 3, "{:?}", path.path);
        // Another agency's investigator sees nothing of it, and the refusal is audited.
        assert!(matches!(
            b.app.network_neighbours(&w.police, &me).await,
            Err(CoreError::NotFound)
        ));
        let denied: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'network.view' AND outcome = 'denied'",
        )
        .fetch_one(b.store.pool())
        .await
        .unwrap();
        assert!(denied >= 1);
        // Exports: FollowTheMoney lines are JSON entities; CSV neutralises nothing it need not.
        let (ftm, name, _) = b
            .app
            .export_network(&w.inv, &me, 2, NetworkFormat::FtmJson)
            .await
            .unwrap();
        assert!(name.ends_with(".ftm.json"));
        let text = String::from_utf8(ftm).unwrap();
        let schemas: Vec<String> = text
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["schema"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        assert!(schemas.contains(&"Person".to_string()), "{schemas:?}");
        assert!(!text.contains("7654321"), "no unmasked phone in an export");
        let (graphml, _, _) = b
            .app
            .export_network(&w.inv, &me, 2, NetworkFormat::GraphMl)
            .await
            .unwrap();
        assert!(String::from_utf8(graphml).unwrap().contains("<graphml"));
        let held = b.store.held_identifiers(&[w.nadeem]).await.unwrap();
        assert!(held.iter().any(|h| h.value == "GAB075512"), "{held:?}");
    }
}
