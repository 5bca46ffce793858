//! Victim protection through `Nigehban` over a real `SqlStore`, on SQLite and on PostgreSQL: the
//! directory managed by liaison officers and by organisations, identification, consent and its
//! withdrawal, referrals refused for every bad input, what a provider sees (consented fields only,
//! never the suspects or the other victims of the case), the provider's answer, services, overdue
//! referrals, the managers' measures, and an unbroken audit chain.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;
use nigehban_core::actor::Actor;
use nigehban_core::service::{DirectoryQuery, PersonRef};
use nigehban_core::store::Store;
use nigehban_core::victims_store::VictimsStore;
use nigehban_core::CoreError;
use nigehban_domain::ids::PersonId;
use nigehban_domain::person::PersonInput;
use nigehban_domain::victims::*;
use support::*;

async fn both() -> Vec<Backend> {
    support::both("nigehban_victims").await
}

struct World {
    inv: Actor,
    other_unit: Actor,
    sup: Actor,
    shelter_user: Actor,
    legal_user: Actor,
    lahore_ngo: Actor,
    prosecutor: Actor,
    victim: PersonId,
    other_victim: PersonId,
    shelter: String,
    legal: String,
}

fn second_victim() -> PersonInput {
    PersonInput {
        name_roman: Some("Razia Sultana".into()),
        sex: Some("female".into()),
        estimated_age: Some("24".into()),
        ..Default::default()
    }
}

fn provider(name: &str, services: &[&str], districts: &[&str], unit: &str) -> ProviderInput {
    ProviderInput {
        name: Some(name.into()),
        unit_code: Some(unit.into()),
        services: services.iter().map(|s| s.to_string()).collect(),
        districts: districts.iter().map(|s| s.to_string()).collect(),
        accepting: true,
        languages: Some("Urdu, Sindhi".into()),
        contact: Some("Front desk, 24 hours".into()),
        ..Default::default()
    }
}

async fn world(b: &Backend) -> World {
    let inv = user(&b.app, "inv", "investigator", "FIA-AHTC-KHI").await;
    let other_unit = user(&b.app, "inv.lhe", "investigator", "FIA-AHTC-LHE").await;
    let sup = user(&b.app, "sup", "supervisor", "FIA-AHTC-ISB").await;
    let shelter_user = user(&b.app, "shelter", "ngo_case_worker", "NGO-DASTAK-KHI").await;
    let legal_user = user(&b.app, "legal", "ngo_case_worker", "LAS-KHI").await;
    let lahore_ngo = user(&b.app, "ngo.lhe", "ngo_case_worker", "NGO-DASTAK-LHE").await;
    let prosecutor = user(&b.app, "pros", "prosecutor", "PROS-LHE").await;
    let case = b.app.register_case(&inv, &tip_case()).await.unwrap().id;
    let add = |p: PersonInput, role: &'static str| {
        let app = b.app.clone();
        let inv = inv.clone();
        let chain = (role == "suspect").then_some("recruiter");
        async move {
            app.add_person_to_case(&inv, case, PersonRef::New(Box::new(p)), Some(role), chain)
                .await
                .unwrap()
        }
    };
    let victim = add(victim(), "victim").await;
    add(suspect(), "suspect").await;
    let other_victim = add(second_victim(), "victim").await;
    let mut shelter_in = provider(
        "Dastak Shelter, Karachi",
        &["shelter", "psychosocial"],
        &["karachi-south", "keamari"],
        "NGO-DASTAK-KHI",
    );
    shelter_in.sexes = vec!["female".into()];
    shelter_in.capacity = Some("1".into());
    let shelter = b
        .app
        .save_provider(&inv, None, &shelter_in, 0)
        .await
        .unwrap();
    let legal = b
        .app
        .save_provider(
            &inv,
            None,
            &provider(
                "Legal Aid Society, Karachi",
                &["legal_aid"],
                &["karachi-south"],
                "LAS-KHI",
            ),
            0,
        )
        .await
        .unwrap();
    World {
        inv,
        other_unit,
        sup,
        shelter_user,
        legal_user,
        lahore_ngo,
        prosecutor,
        victim,
        other_victim,
        shelter,
        legal,
    }
}

fn codes(e: CoreError) -> Vec<(String, String)> {
    match e {
        CoreError::Invalid(v) => v
            .iter()
            .map(|f| (f.field.clone(), f.problem.code().to_string()))
            .collect(),
        other => panic!("expected invalid input, got {other:?}"),
    }
}

fn referral(provider: &str, service: &str, district: &str, fields: &[&str]) -> ReferralInput {
    ReferralInput {
        provider: Some(provider.into()),
        service: Some(service.into()),
        district: Some(district.into()),
        fields: fields.iter().map(|s| s.to_string()).collect(),
        note: Some("Arrived last night, frightened.".into()),
        ..Default::default()
    }
}

fn consent(provider: &str, fields: &[&str]) -> ConsentInput {
    ConsentInput {
        provider: Some(provider.into()),
        purpose: Some(SERVICE_DELIVERY.into()),
        fields: fields.iter().map(|s| s.to_string()).collect(),
        given_by: Some("guardian".into()),
        giver_name: Some("Ghulam Rasool (father)".into()),
    }
}

async fn audit_actions(b: &Backend) -> Vec<(String, String)> {
    b.store
        .audit_page(0, 100_000)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.outcome))
        .collect()
}

#[tokio::test]
async fn the_directory_is_managed_by_liaison_officers_and_by_each_organisation() {
    for b in both().await {
        let w = world(&b).await;
        let all = b
            .app
            .directory(&w.shelter_user, &DirectoryQuery::default())
            .await
            .unwrap();
        assert_eq!(all.len(), 2, "{}", b.name);
        let q = DirectoryQuery {
            service: Some("legal_aid".into()),
            district: Some("karachi-south".into()),
            q: None,
        };
        let found = b.app.directory(&w.inv, &q).await.unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].record.id, w.legal);
        let q = DirectoryQuery {
            service: Some("shelter".into()),
            district: Some("lahore".into()),
            q: None,
        };
        assert!(b.app.directory(&w.inv, &q).await.unwrap().is_empty());
        // The shelter edits its own entry (availability), not the legal aid society's.
        let own = b.app.provider(&w.shelter_user, &w.shelter).await.unwrap();
        assert!(own.can_edit);
        let mut input = provider(
            "Dastak Shelter, Karachi",
            &["shelter", "psychosocial"],
            &["karachi-south", "keamari"],
            "ignored for NGO users",
        );
        input.sexes = vec!["female".into()];
        input.capacity = Some("1".into());
        input.available = Some("1".into());
        b.app
            .save_provider(
                &w.shelter_user,
                Some(&w.shelter),
                &input,
                own.record.version,
            )
            .await
            .unwrap();
        let after = b.app.provider(&w.inv, &w.shelter).await.unwrap();
        assert_eq!(after.unit_code.as_deref(), Some("NGO-DASTAK-KHI"));
        assert_eq!(after.free_places, Some(1));
        // A stale version is refused, not overwritten.
        let r = b
            .app
            .save_provider(
                &w.shelter_user,
                Some(&w.shelter),
                &input,
                own.record.version,
            )
            .await;
        assert!(matches!(r, Err(CoreError::Conflict(_))), "{r:?}");
        let r = b
            .app
            .save_provider(&w.shelter_user, Some(&w.legal), &input, 1)
            .await;
        assert!(matches!(r, Err(CoreError::NotFound)), "{r:?}");
        assert!(b
            .app
            .provider(&w.legal_user, &w.shelter)
            .await
            .is_ok_and(|p| !p.can_edit));
        // Bad input is refused with every problem.
        let e = b
            .app
            .save_provider(&w.inv, None, &ProviderInput::default(), 0)
            .await
            .unwrap_err();
        let c = codes(e);
        assert!(c.contains(&("name".into(), "required".into())));
        assert!(c.contains(&("services".into(), "required".into())));
        assert!(c.contains(&("districts".into(), "required".into())));
    }
}

#[tokio::test]
async fn a_provider_sees_only_consented_fields_and_withdrawal_stops_sharing_at_once() {
    for b in both().await {
        let w = world(&b).await;
        let file = b
            .app
            .identify_person(&w.inv, w.victim, "case")
            .await
            .unwrap();
        // Identifying again gives the same file.
        assert_eq!(
            b.app
                .identify_person(&w.inv, w.victim, "case")
                .await
                .unwrap(),
            file
        );
        let view = b.app.view_victim_file(&w.inv, &file).await.unwrap();
        assert!(view.file.minor, "15 years old: a minor");
        // Another unit, and a provider, cannot open the file.
        for who in [&w.other_unit, &w.shelter_user] {
            assert!(matches!(
                b.app.view_victim_file(who, &file).await,
                Err(CoreError::NotFound | CoreError::Forbidden(_))
            ));
        }
        let mut needs = NeedsInput::default();
        needs.answers.insert("in_danger_now".into(), "yes".into());
        needs.answers.insert("injured_or_ill".into(), "no".into());
        needs
            .answers
            .insert("family_involved_in_trafficking".into(), "yes".into());
        needs
            .notes
            .insert("health".into(), "Needs a check-up".into());
        needs
            .notes
            .insert("family".into(), "Uncle arranged the job".into());
        b.app.save_needs(&w.inv, &file, &needs).await.unwrap();

        // A minor's consent is given by a guardian.
        let mut by_self = consent(&w.shelter, &["name"]);
        by_self.given_by = Some("self".into());
        assert_eq!(
            codes(
                b.app
                    .grant_consent(&w.inv, &file, &by_self)
                    .await
                    .unwrap_err()
            ),
            vec![("given_by".to_string(), "minor-needs-guardian".to_string())]
        );
        // Nothing consented yet: every field asked for is named.
        let e = b
            .app
            .refer(
                &w.inv,
                &file,
                &referral(&w.shelter, "shelter", "keamari", &["name", "age"]),
            )
            .await
            .unwrap_err();
        assert_eq!(
            codes(e),
            vec![
                ("fields".to_string(), "consent-missing".to_string()),
                ("fields".to_string(), "consent-missing".to_string())
            ]
        );
        b.app
            .grant_consent(
                &w.inv,
                &file,
                &consent(&w.shelter, &["name", "age", "health"]),
            )
            .await
            .unwrap();
        // Consent to the shelter is not consent to the legal aid society.
        let e = b
            .app
            .refer(
                &w.inv,
                &file,
                &referral(&w.legal, "legal_aid", "karachi-south", &["name"]),
            )
            .await
            .unwrap_err();
        assert_eq!(
            codes(e),
            vec![("fields".to_string(), "consent-missing".to_string())]
        );
        // The provider does not offer the service, or serve the district.
        let e = b
            .app
            .refer(&w.inv, &file, &referral(&w.legal, "shelter", "lahore", &[]))
            .await
            .unwrap_err();
        let c = codes(e);
        assert!(
            c.contains(&("service".into(), "not-offered".into())),
            "{c:?}"
        );
        assert!(
            c.contains(&("district".into(), "not-served".into())),
            "{c:?}"
        );
        // A field not consented among consented ones.
        let e = b
            .app
            .refer(
                &w.inv,
                &file,
                &referral(&w.shelter, "shelter", "keamari", &["name", "family"]),
            )
            .await
            .unwrap_err();
        assert_eq!(
            codes(e),
            vec![("fields".to_string(), "consent-missing".to_string())]
        );
        let rid = b
            .app
            .refer(
                &w.inv,
                &file,
                &referral(&w.shelter, "shelter", "keamari", &["name", "age", "health"]),
            )
            .await
            .unwrap();

        // The shelter's view: exactly the consented fields, nothing of the case.
        let list = b.app.referrals(&w.shelter_user).await.unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].label, "Kaneez Fatima");
        assert!(b.app.referrals(&w.legal_user).await.unwrap().is_empty());
        let v = b.app.view_referral(&w.shelter_user, &rid).await.unwrap();
        assert!(v.provider_side && v.can_respond);
        let fields: Vec<&str> = v.shared.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["name", "age", "health"], "{}", b.name);
        let json = serde_json::to_string(&v.shared).unwrap();
        for never in [
            "Muhammad Aslam", // the suspect
            "محمد اسلم",
            "Razia Sultana",  // the other victim
            "Ghulam Rasool",  // parentage, not consented
            "32304",          // CNIC
            "muzaffargarh",   // origin, not consented
            "Uncle arranged", // family, not consented
            "in_danger_now",  // safety, not consented
        ] {
            assert!(!json.contains(never), "{}: `{never}` in {json}", b.name);
        }
        assert!(json.contains("Kaneez Fatima") && json.contains("Needs a check-up"));
        let whole = serde_json::to_string(&v).unwrap();
        assert!(!whole.contains("Muhammad Aslam") && !whole.contains("Razia"));
        // Another NGO sees nothing of it.
        assert!(matches!(
            b.app.view_referral(&w.lahore_ngo, &rid).await,
            Err(CoreError::NotFound)
        ));
        assert!(matches!(
            b.app.view_referral(&w.legal_user, &rid).await,
            Err(CoreError::NotFound)
        ));

        // Withdrawing consent for the name stops sharing it at once, and is audited.
        let view = b.app.view_victim_file(&w.inv, &file).await.unwrap();
        let name_consent = view
            .consents
            .iter()
            .find(|c| c.field == "name")
            .unwrap()
            .id
            .clone();
        b.app
            .withdraw_consent(&w.inv, &file, &name_consent)
            .await
            .unwrap();
        let v = b.app.view_referral(&w.shelter_user, &rid).await.unwrap();
        let fields: Vec<&str> = v.shared.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, vec!["age", "health"]);
        assert_eq!(v.withheld, vec!["name".to_string()]);
        assert!(v.label.starts_with("P-"), "{}", v.label);
        assert!(!serde_json::to_string(&v).unwrap().contains("Kaneez"));
        assert!(b.app.referrals(&w.shelter_user).await.unwrap()[0]
            .label
            .starts_with("P-"));
        assert!(audit_actions(&b)
            .await
            .contains(&("consent.withdraw".to_string(), "done".to_string())));
        // The file is not the provider's to change consent on.
        assert!(b
            .app
            .withdraw_consent(&w.shelter_user, &file, &name_consent)
            .await
            .is_err());
        // Refused attempts are audited as denied.
        assert!(audit_actions(&b)
            .await
            .iter()
            .any(|(a, o)| a == "referral.view" && o == "denied"));
        assert!(b.app.verify_audit().await.unwrap().first_bad.is_none());
    }
}

#[tokio::test]
async fn the_provider_answers_records_services_and_capacity_is_kept() {
    for b in both().await {
        let w = world(&b).await;
        let file = b
            .app
            .identify_person(&w.inv, w.victim, "case")
            .await
            .unwrap();
        let other = b
            .app
            .identify_person(&w.inv, w.other_victim, "case")
            .await
            .unwrap();
        b.app
            .grant_consent(&w.inv, &file, &consent(&w.shelter, &["age"]))
            .await
            .unwrap();
        let r1 = b
            .app
            .refer(
                &w.inv,
                &file,
                &referral(&w.shelter, "shelter", "keamari", &["age"]),
            )
            .await
            .unwrap();
        let r2 = b
            .app
            .refer(
                &w.inv,
                &other,
                &referral(&w.shelter, "shelter", "keamari", &[]),
            )
            .await
            .unwrap();
        // A decline needs a reason; the referrer cannot answer for the provider.
        let e = b
            .app
            .respond_referral(
                &w.shelter_user,
                &r2,
                &ResponseInput {
                    decision: Some("decline".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap_err();
        assert_eq!(
            codes(e),
            vec![("reason".to_string(), "required".to_string())]
        );
        let accept = ResponseInput {
            decision: Some("accept".into()),
            ..Default::default()
        };
        assert!(b.app.respond_referral(&w.inv, &r1, &accept).await.is_err());
        b.app
            .respond_referral(&w.shelter_user, &r1, &accept)
            .await
            .unwrap();
        // One place, taken: the second cannot be accepted, and no third can be sent.
        let e = b
            .app
            .respond_referral(&w.shelter_user, &r2, &accept)
            .await
            .unwrap_err();
        assert_eq!(
            codes(e),
            vec![("decision".to_string(), "capacity-exceeded".to_string())]
        );
        let e = b
            .app
            .refer(
                &w.inv,
                &other,
                &referral(&w.shelter, "shelter", "keamari", &[]),
            )
            .await
            .unwrap_err();
        assert_eq!(
            codes(e),
            vec![("provider".to_string(), "capacity-exceeded".to_string())]
        );
        b.app
            .respond_referral(
                &w.shelter_user,
                &r2,
                &ResponseInput {
                    decision: Some("decline".into()),
                    reason: Some("no_capacity".into()),
                    note: Some("Full tonight; try the Dar-ul-Aman".into()),
                },
            )
            .await
            .unwrap();
        // A service dated before the referral, or ending before it starts, is refused.
        let sent = b
            .app
            .view_referral(&w.inv, &r1)
            .await
            .unwrap()
            .record
            .sent_at
            .date_naive();
        let before = (sent - chrono::Duration::days(3)).to_string();
        let e = b
            .app
            .record_service(
                &w.shelter_user,
                &r1,
                &ServiceInput {
                    service: Some("shelter".into()),
                    delivered_on: Some(before.clone()),
                    until: Some((sent - chrono::Duration::days(5)).to_string()),
                    note: None,
                },
            )
            .await
            .unwrap_err();
        let c = codes(e);
        assert!(
            c.contains(&("delivered_on".into(), "date-before".into())),
            "{c:?}"
        );
        assert!(c.contains(&("until".into(), "date-before".into())), "{c:?}");
        b.app
            .record_service(
                &w.shelter_user,
                &r1,
                &ServiceInput {
                    service: Some("shelter".into()),
                    delivered_on: Some(sent.to_string()),
                    note: Some("Bed, meals, clothes".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        // Both sides read the same history.
        let provider_side = b.app.view_referral(&w.shelter_user, &r1).await.unwrap();
        let referrer_side = b.app.view_referral(&w.inv, &r1).await.unwrap();
        assert_eq!(provider_side.record.status, ReferralStatus::InService);
        let steps = |v: &nigehban_core::service::ReferralView| {
            v.events.iter().map(|e| e.status).collect::<Vec<_>>()
        };
        assert_eq!(
            steps(&provider_side),
            vec![
                ReferralStatus::Sent,
                ReferralStatus::Accepted,
                ReferralStatus::InService
            ]
        );
        assert_eq!(steps(&provider_side), steps(&referrer_side));
        assert_eq!(referrer_side.services.len(), 1);
        let declined = b.app.view_referral(&w.inv, &r2).await.unwrap();
        assert_eq!(
            declined.record.decline_reason.as_deref(),
            Some("no_capacity")
        );
        b.app
            .close_referral(
                &w.shelter_user,
                &r1,
                &CloseInput {
                    reason: Some("service_completed".into()),
                    note: None,
                },
            )
            .await
            .unwrap();

        // The case plan, follow-up and cooperation; investigators and prosecutors see support.
        b.app
            .add_plan_item(
                &w.inv,
                &file,
                &PlanItemInput {
                    kind: Some("visit".into()),
                    text: Some("Home visit in Muzaffargarh".into()),
                    date: Some(chrono::Utc::now().date_naive().to_string()),
                    risk: Some("high".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        b.app
            .save_cooperation(
                &w.inv,
                &file,
                &CooperationInput {
                    willing_to_testify: Some("willing".into()),
                    requested: vec!["in_camera_hearing".into(), "video_link_testimony".into()],
                    granted: vec!["in_camera_hearing".into()],
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        let support = b.app.support_of(&w.inv, w.victim).await.unwrap();
        assert_eq!(support.len(), 1);
        assert_eq!(support[0].services, vec!["shelter".to_string()]);
        assert_eq!(
            support[0].cooperation.as_ref().unwrap().granted,
            vec!["in_camera_hearing".to_string()]
        );
        // A prosecutor with no access to the case sees nothing.
        assert!(b.app.support_of(&w.prosecutor, w.victim).await.is_err());
        b.app
            .close_file(
                &w.inv,
                &other,
                &CloseInput {
                    reason: Some("lost_contact".into()),
                    note: None,
                },
            )
            .await
            .unwrap();

        // The measures.
        let m = b.app.measures(&w.sup).await.unwrap();
        assert_eq!(m.caseload, vec![("inv".to_string(), 1)]);
        assert_eq!(m.services_by_type, vec![("shelter".to_string(), 1)]);
        assert_eq!(m.first_service_files, 1);
        assert_eq!(m.files_without_service, 1);
        assert!(m.referrals_by_status.contains(&("declined".to_string(), 1)));
        assert!(m.referrals_by_status.contains(&("closed".to_string(), 1)));
        assert_eq!(m.file_closures, vec![("lost_contact".to_string(), 1)]);
        assert_eq!(
            m.referral_closures,
            vec![("service_completed".to_string(), 1)]
        );
        assert!(b.app.measures(&w.inv).await.is_err(), "managers only");
        assert!(b.app.measures(&w.shelter_user).await.is_err());
        assert!(b.app.verify_audit().await.unwrap().first_bad.is_none());
    }
}

#[tokio::test]
async fn an_unanswered_referral_becomes_overdue() {
    for b in both().await {
        let w = world(&b).await;
        let file = b
            .app
            .identify_person(&w.inv, w.victim, "case")
            .await
            .unwrap();
        let shelter = b
            .app
            .refer(
                &w.inv,
                &file,
                &referral(&w.shelter, "shelter", "keamari", &[]),
            )
            .await
            .unwrap();
        let legal = b
            .app
            .refer(
                &w.inv,
                &file,
                &referral(&w.legal, "legal_aid", "karachi-south", &[]),
            )
            .await
            .unwrap();
        assert!(!b.app.view_referral(&w.inv, &shelter).await.unwrap().overdue);
        // Thirty hours ago: over the shelter's 24 hours, under the default 72.
        let then = (chrono::Utc::now() - chrono::Duration::hours(30)).timestamp_micros();
        sqlx::query("UPDATE referrals SET sent_at = $1")
            .bind(then)
            .execute(b.store.pool())
            .await
            .unwrap();
        assert!(b.app.view_referral(&w.inv, &shelter).await.unwrap().overdue);
        assert!(!b.app.view_referral(&w.inv, &legal).await.unwrap().overdue);
        let rows = b.app.victim_files(&w.inv).await.unwrap();
        assert_eq!(rows[0].overdue, 1);
        assert_eq!(b.app.measures(&w.sup).await.unwrap().overdue, 1);
        let store_view = b.store.referral(&shelter).await.unwrap().unwrap();
        assert_eq!(store_view.status, ReferralStatus::Sent);
    }
}
