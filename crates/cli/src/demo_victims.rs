//! The demo's victim protection: a directory of providers in Pakistan (shelters, legal aid,
//! medical care, counselling, interpretation, repatriation, vocational training; plausible
//! generic names, no real contact details), and three girls and a boy of a Karachi domestic
//! servitude case identified as victims, with consent and referrals in various states: receiving
//! shelter, awaiting legal aid, closed, declined, and one overdue. Written through the
//! application as officers and providers would, except the overdue referral, whose sending time
//! lies days back (written through the store, with its audit entry).

use anyhow::anyhow;
use chrono::{Duration, Utc};
use nigehban_core::actor::Principal;
use nigehban_core::audit::AuditDraft;
use nigehban_core::service::PersonRef;
use nigehban_core::victims_store::NewReferral;
use nigehban_core::Nigehban;
use nigehban_domain::case::CaseInput;
use nigehban_domain::person::PersonInput;
use nigehban_domain::victims::*;

struct Provider {
    name: &'static str,
    unit: Option<&'static str>,
    services: &'static [&'static str],
    districts: &'static [&'static str],
    sexes: &'static [&'static str],
    ages: (Option<u32>, Option<u32>),
    capacity: Option<(u32, u32)>,
    languages: &'static str,
    contact: &'static str,
}

const KARACHI: &[&str] = &[
    "karachi-south",
    "karachi-east",
    "karachi-west",
    "karachi-central",
    "korangi",
    "malir",
    "keamari",
];

const PROVIDERS: &[Provider] = &[
    Provider {
        name: "Dastak Shelter, Karachi",
        unit: Some("NGO-DASTAK-KHI"),
        services: &["shelter", "psychosocial", "medical"],
        districts: KARACHI,
        sexes: &["female"],
        ages: (None, None),
        capacity: Some((20, 12)),
        languages: "Urdu, Sindhi, Punjabi, Bengali",
        contact: "Duty officer, 24 hours (number with the liaison officer)",
    },
    Provider {
        name: "Legal Aid Society for Survivors, Karachi",
        unit: Some("LAS-KHI"),
        services: &["legal_aid", "compensation"],
        districts: KARACHI,
        sexes: &[],
        ages: (None, None),
        capacity: None,
        languages: "Urdu, English, Sindhi",
        contact: "Intake desk, City Courts annexe, weekdays",
    },
    Provider {
        name: "Dastak Shelter, Lahore",
        unit: Some("NGO-DASTAK-LHE"),
        services: &["shelter", "psychosocial"],
        districts: &["lahore", "kasur", "sheikhupura"],
        sexes: &["female"],
        ages: (None, None),
        capacity: Some((30, 9)),
        languages: "Urdu, Punjabi",
        contact: "Duty officer, 24 hours",
    },
    Provider {
        name: "Dar-ul-Aman (Social Welfare Department), Karachi",
        unit: None,
        services: &["shelter"],
        districts: &["karachi-south", "keamari", "karachi-west"],
        sexes: &["female"],
        ages: (Some(18), None),
        capacity: Some((40, 25)),
        languages: "Urdu, Sindhi",
        contact: "Superintendent's office",
    },
    Provider {
        name: "Civil Hospital Karachi, Medico-Legal and Women's Health",
        unit: None,
        services: &["medical"],
        districts: KARACHI,
        sexes: &[],
        ages: (None, None),
        capacity: None,
        languages: "Urdu, English",
        contact: "Medico-legal officer on duty",
    },
    Provider {
        name: "Child Protection Bureau Shelter, Lahore",
        unit: None,
        services: &["shelter", "family_tracing", "psychosocial"],
        districts: &["lahore"],
        sexes: &[],
        ages: (Some(0), Some(17)),
        capacity: Some((50, 18)),
        languages: "Urdu, Punjabi, Saraiki",
        contact: "Helpline desk",
    },
    Provider {
        name: "Humraz Counselling Centre",
        unit: None,
        services: &["psychosocial"],
        districts: &["lahore", "islamabad", "rawalpindi"],
        sexes: &[],
        ages: (None, None),
        capacity: None,
        languages: "Urdu, Punjabi, English",
        contact: "Appointments through the liaison officer",
    },
    Provider {
        name: "Court and Community Interpreters' Pool",
        unit: None,
        services: &["interpretation"],
        districts: &["karachi-south", "keamari", "quetta", "lahore", "islamabad"],
        sexes: &[],
        ages: (None, None),
        capacity: None,
        languages: "Pashto, Dari, Balochi, Bengali, Persian, Arabic",
        contact: "Coordinator, booked a day ahead",
    },
    Provider {
        name: "IOM Pakistan: return and reintegration",
        unit: Some("IOM-ISB"),
        services: &["repatriation", "family_tracing", "livelihood"],
        districts: &["islamabad", "karachi-south", "keamari", "lahore", "quetta"],
        sexes: &[],
        ages: (None, None),
        capacity: None,
        languages: "Urdu, English, Pashto, Dari",
        contact: "Protection unit",
    },
    Provider {
        name: "Hunarmand Skills Centre, Gujrat",
        unit: None,
        services: &["vocational_training", "livelihood"],
        districts: &["gujrat", "gujranwala", "mandi-bahauddin"],
        sexes: &[],
        ages: (Some(16), None),
        capacity: Some((25, 7)),
        languages: "Urdu, Punjabi",
        contact: "Admissions office",
    },
];

fn girl(name: &str, father: &str, age: u32) -> PersonInput {
    PersonInput {
        name_roman: Some(name.into()),
        parentage_relation: Some("daughter_of".into()),
        parentage_roman: Some(father.into()),
        sex: Some("female".into()),
        estimated_age: Some(age.to_string()),
        nationality_claimed: Some("PAK".into()),
        origin_district: Some("rahim-yar-khan".into()),
        ..Default::default()
    }
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

pub async fn load(app: &Nigehban) -> anyhow::Result<()> {
    let err = |e: nigehban_core::CoreError| anyhow!("loading the demo victim protection: {e}");
    let inv = app.cli_actor("inv.karachi").await.map_err(err)?;
    let shelter_user = app.cli_actor("shelter.khi").await.map_err(err)?;
    let legal_user = app.cli_actor("legalaid.khi").await.map_err(err)?;
    let d = app.refdata();
    let mut ids = std::collections::HashMap::new();
    for p in PROVIDERS {
        let districts: Vec<String> = p
            .districts
            .iter()
            .filter(|c| d.district(c).is_some())
            .map(|c| c.to_string())
            .collect();
        let input = ProviderInput {
            name: Some(p.name.into()),
            unit_code: p.unit.map(str::to_string),
            services: strs(p.services),
            districts,
            sexes: strs(p.sexes),
            min_age: p.ages.0.map(|a| a.to_string()),
            max_age: p.ages.1.map(|a| a.to_string()),
            capacity: p.capacity.map(|c| c.0.to_string()),
            available: p.capacity.map(|c| c.1.to_string()),
            accepting: true,
            languages: Some(p.languages.into()),
            contact: Some(p.contact.into()),
            ..Default::default()
        };
        let id = app
            .save_provider(&inv, None, &input, 0)
            .await
            .map_err(err)?;
        ids.insert(p.name, id);
    }
    let id_of = |name: &str| ids.get(name).cloned().unwrap_or_default();
    let dastak = id_of("Dastak Shelter, Karachi");
    let legal = id_of("Legal Aid Society for Survivors, Karachi");
    let dar_ul_aman = id_of("Dar-ul-Aman (Social Welfare Department), Karachi");

    // The case: girls brought from Rahim Yar Khan to Karachi homes as domestic servants.
    let case = app
        .register_case(
            &inv,
            &CaseInput {
                title: Some("Girls from Rahim Yar Khan in domestic servitude, Clifton".into()),
                crime_types: vec!["tip".into()],
                exploitation_forms: vec!["domestic_servitude".into()],
                provisions: vec!["PTPA-2018-S3".into()],
                province: Some("SD".into()),
                district: Some("karachi-south".into()),
                offence_date: Some((Utc::now().date_naive() - Duration::days(40)).to_string()),
                narrative: Some("Raid on two houses after a neighbour's complaint.".into()),
            },
        )
        .await
        .map_err(err)?
        .id;
    let mut files = Vec::new();
    for p in [
        girl("Samina Bibi", "Allah Ditta", 15),
        girl("Rubina Kausar", "Muhammad Ramzan", 22),
        girl("Shabana Mai", "Ghulam Fareed", 19),
    ] {
        let pid = app
            .add_person_to_case(
                &inv,
                case,
                PersonRef::New(Box::new(p)),
                Some("victim"),
                None,
            )
            .await
            .map_err(err)?;
        files.push(app.identify_person(&inv, pid, "case").await.map_err(err)?);
    }
    let [samina, rubina, shabana] = files.as_slice() else {
        return Err(anyhow!("demo victims: three files expected"));
    };
    let consent = |provider: &str, fields: &[&str], minor: bool| ConsentInput {
        provider: Some(provider.into()),
        purpose: Some(SERVICE_DELIVERY.into()),
        fields: strs(fields),
        given_by: Some(if minor { "guardian" } else { "self" }.into()),
        giver_name: minor.then(|| "Allah Ditta (father)".into()),
    };
    let refer = |provider: &str, service: &str, fields: &[&str]| ReferralInput {
        provider: Some(provider.into()),
        service: Some(service.into()),
        district: Some("karachi-south".into()),
        fields: strs(fields),
        urgent: false,
        note: None,
    };
    let accept = ResponseInput {
        decision: Some("accept".into()),
        ..Default::default()
    };
    let today = Utc::now().date_naive().to_string();

    // Samina (15): in the shelter, legal aid awaited.
    let mut needs = NeedsInput::default();
    needs
        .answers
        .insert("needs_safe_accommodation".into(), "yes".into());
    needs
        .answers
        .insert("family_involved_in_trafficking".into(), "yes".into());
    needs
        .answers
        .insert("wishes_to_return_home".into(), "no".into());
    needs
        .notes
        .insert("health".into(), "Malnourished; burns on both hands.".into());
    app.save_needs(&inv, samina, &needs).await.map_err(err)?;
    app.grant_consent(
        &inv,
        samina,
        &consent(&dastak, &["name", "age", "health"], true),
    )
    .await
    .map_err(err)?;
    app.grant_consent(
        &inv,
        samina,
        &consent(&legal, &["name", "age", "legal_status"], true),
    )
    .await
    .map_err(err)?;
    let r = app
        .refer(
            &inv,
            samina,
            &refer(&dastak, "shelter", &["name", "age", "health"]),
        )
        .await
        .map_err(err)?;
    app.respond_referral(&shelter_user, &r, &accept)
        .await
        .map_err(err)?;
    app.record_service(
        &shelter_user,
        &r,
        &ServiceInput {
            service: Some("shelter".into()),
            delivered_on: Some(today.clone()),
            note: Some("Bed, meals, clothes; seen by the visiting doctor.".into()),
            ..Default::default()
        },
    )
    .await
    .map_err(err)?;
    app.refer(&inv, samina, &refer(&legal, "legal_aid", &["name", "age"]))
        .await
        .map_err(err)?;

    // Rubina (22): legal aid given and closed; the Dar-ul-Aman has not answered for days.
    app.grant_consent(&inv, rubina, &consent(&legal, &["name"], false))
        .await
        .map_err(err)?;
    let r = app
        .refer(&inv, rubina, &refer(&legal, "legal_aid", &["name"]))
        .await
        .map_err(err)?;
    app.respond_referral(&legal_user, &r, &accept)
        .await
        .map_err(err)?;
    app.record_service(
        &legal_user,
        &r,
        &ServiceInput {
            service: Some("legal_aid".into()),
            delivered_on: Some(today.clone()),
            note: Some("Statement prepared; bail of the employer opposed.".into()),
            ..Default::default()
        },
    )
    .await
    .map_err(err)?;
    app.close_referral(
        &legal_user,
        &r,
        &CloseInput {
            reason: Some("service_completed".into()),
            note: None,
        },
    )
    .await
    .map_err(err)?;
    let rid = uuid::Uuid::now_v7().to_string();
    let at = Utc::now() - Duration::days(4);
    let audit = AuditDraft::new(
        &Principal::User(inv.clone()),
        "referral.send",
        "referral",
        Some(rid.clone()),
    )
    .detail(serde_json::json!({"file": rubina, "provider": dar_ul_aman, "service": "shelter", "demo": "sent four days ago"}));
    app.store()
        .insert_referral(
            &NewReferral {
                id: rid,
                file_id: rubina.clone(),
                provider_id: dar_ul_aman.clone(),
                service: "shelter".into(),
                district: "karachi-south".into(),
                fields: Vec::new(),
                urgent: true,
                note: Some("Adult woman, cannot return to her employer's area.".into()),
                by: inv.user_id,
                unit_id: inv.unit_id,
                at,
            },
            audit,
        )
        .await
        .map_err(|e| anyhow!("demo overdue referral: {e}"))?;

    // Shabana (19): the Karachi shelter was full that night.
    let r = app
        .refer(&inv, shabana, &refer(&dastak, "shelter", &[]))
        .await
        .map_err(err)?;
    app.respond_referral(
        &shelter_user,
        &r,
        &ResponseInput {
            decision: Some("decline".into()),
            reason: Some("no_capacity".into()),
            note: Some("No bed tonight; call again tomorrow.".into()),
        },
    )
    .await
    .map_err(err)?;
    Ok(())
}
