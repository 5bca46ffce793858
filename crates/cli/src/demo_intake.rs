//! The demo's intake: a deportation batch at the Karachi seaport whose list (written as the Omani
//! authorities would send it) goes through the real import and screening, with a few of its
//! people already on record from earlier deportations, one agent on the most-wanted book, and a
//! few persons processed, so the intake pages open on realistic work.

use anyhow::anyhow;
use nigehban_core::service::{ImportResult, OutcomeInput};
use nigehban_core::store::{BulkBatch, NewPerson};
use nigehban_core::Nigehban;
use nigehban_domain::assessment::AssessmentFacts;
use nigehban_domain::identifiers::IdentifierKind;
use nigehban_domain::intake::{BatchInput, IntakeStatus, InterviewInput, WatchList};
use nigehban_domain::person::{AgeInfo, PersonRole};
use nigehban_synth::{Creator, NameLists};

/// Persons on the demo manifest who are new to the system.
const NEW_ON_LIST: usize = 36;

/// One person as a row of a deportation list, in the columns of [`manifest_headers`].
pub(crate) fn manifest_row(app: &Nigehban, n: usize, p: &NewPerson) -> Vec<String> {
    let v = &p.person;
    let id = |k: IdentifierKind| {
        v.identifiers
            .iter()
            .find(|i| i.kind == k)
            .map(|i| i.display_value())
            .unwrap_or_default()
    };
    let dob = match v.age {
        AgeInfo::DateOfBirth { date } => date.format("%d/%m/%Y").to_string(),
        _ => String::new(),
    };
    let district = v
        .origin_district
        .as_deref()
        .and_then(|d| app.refdata().district(d))
        .map(|d| d.name_en.clone())
        .unwrap_or_default();
    vec![
        n.to_string(),
        v.name
            .roman
            .clone()
            .or_else(|| v.name.urdu.clone())
            .unwrap_or_default(),
        v.parentage
            .roman
            .clone()
            .or_else(|| v.parentage.urdu.clone())
            .unwrap_or_default(),
        id(IdentifierKind::Passport),
        id(IdentifierKind::Cnic),
        dob,
        match v.sex.as_str() {
            "female" => "F".into(),
            "male" => "M".into(),
            _ => String::new(),
        },
        "PAKISTANI".into(),
        district,
        "Illegal stay".into(),
    ]
}

/// Load the demo's intake batch, from the persons of the demo dataset and new ones.
pub async fn load(
    app: &Nigehban,
    names: &NameLists,
    seed: u64,
    dataset: &[BulkBatch],
) -> anyhow::Result<()> {
    let officer = app
        .cli_actor("intake.khi")
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let creator = Creator {
        user_id: officer.user_id,
        unit_id: officer.unit_id,
        unit_code: officer.unit_code.clone(),
        agency: officer.agency.clone(),
        username: officer.username.clone(),
    };
    // Earlier deportees of the dataset come back (repeat encounters), and one of its agents is on
    // the most-wanted book and deported with them.
    let role_of = |role: PersonRole| {
        dataset
            .iter()
            .flat_map(|b| b.cases.iter())
            .flat_map(|c| c.persons.iter())
            .filter(move |(_, _, r, _)| r.role == role)
            .map(|(_, pid, _, _)| *pid)
    };
    let persons: std::collections::HashMap<_, _> = dataset
        .iter()
        .flat_map(|b| b.persons.iter())
        .map(|p| (p.id, p))
        .collect();
    let with_passport = |pid: &nigehban_domain::ids::PersonId| {
        persons.get(pid).copied().filter(|p| {
            p.person
                .identifiers
                .iter()
                .any(|i| i.kind == IdentifierKind::Passport)
        })
    };
    let returning: Vec<&NewPerson> = role_of(PersonRole::Deportee)
        .filter_map(|pid| with_passport(&pid))
        .take(3)
        .collect();
    let agent = role_of(PersonRole::Suspect).find_map(|pid| with_passport(&pid));
    let mut list: Vec<NewPerson> = nigehban_synth::person_chunks(
        app.refdata(),
        names,
        &creator,
        seed.wrapping_add(4_242),
        NEW_ON_LIST,
        NEW_ON_LIST,
    )
    .flatten()
    .filter(|p| {
        p.person
            .identifiers
            .iter()
            .any(|i| matches!(i.kind, IdentifierKind::Passport | IdentifierKind::Cnic))
    })
    .collect();
    list.extend(returning.into_iter().cloned());
    if let Some(a) = agent {
        app.add_to_watchlist(
            &app.cli_actor("investigator")
                .await
                .map_err(|e| anyhow!("{e}"))?,
            WatchList::MostWanted,
            "2026-06",
            vec![(
                a.person.clone(),
                Some("FIA red book p. 14".into()),
                Some("Main agent, boat departures from Gwadar".into()),
            )],
        )
        .await
        .map_err(|e| anyhow!("demo watch list: {e}"))?;
        list.push(a.clone());
    }
    let headers = manifest_headers();
    let rows: Vec<Vec<String>> = list
        .iter()
        .enumerate()
        .map(|(i, p)| manifest_row(app, i + 1, p))
        .collect();
    let csv = nigehban_sheets::write_csv(&headers, &rows);
    let arrival = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
    let batch = app
        .create_batch(
            &officer,
            &BatchInput {
                kind: Some("deportation".into()),
                post: Some("KHI-SEAPORT".into()),
                arrival_date: Some(arrival.to_string()),
                country: Some("OMN".into()),
                reference: Some("Oman MoI letter 2026/114, MV Nizwa".into()),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| anyhow!("demo batch: {e}"))?;
    let outcome = app
        .import_manifest(&officer, batch.id, "oman-deportees.csv", &csv, false, None)
        .await
        .map_err(|e| anyhow!("demo manifest: {e}"))?;
    if !matches!(outcome.result, ImportResult::Imported { .. }) {
        return Err(anyhow!(
            "demo manifest was not imported: {:?}",
            outcome.result
        ));
    }
    // The first two persons without flags are processed: one released, one referred.
    let view = app
        .view_batch(&officer, batch.id)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let plain: Vec<_> = view
        .entries
        .iter()
        .filter(|e| e.flags.is_empty() && e.status == IntakeStatus::Pending)
        .take(2)
        .collect();
    for (n, e) in plain.iter().enumerate() {
        let interview = InterviewInput {
            origin_district: e.origin_district.clone(),
            destination_country: Some("OMN".into()),
            mode: Some("air".into()),
            facts: AssessmentFacts {
                crossed_border: Some(true),
                irregular_crossing: Some(false),
                ..Default::default()
            },
            notes: Some("Overstayed a work visa; travelled on his own.".into()),
            ..Default::default()
        };
        app.complete_interview(&officer, e.id, &interview)
            .await
            .map_err(|err| anyhow!("demo interview: {err}"))?;
        let fresh = app
            .view_entry(&officer, e.id)
            .await
            .map_err(|err| anyhow!("{err}"))?;
        let input = OutcomeInput {
            decision: Some("neither".into()),
            outcome: Some(if n == 0 { "released" } else { "referred" }.into()),
            service: (n == 1).then(|| "repatriation".into()),
            organisation: None,
            note: None,
            case_number: None,
            new_case: false,
            chain_role: None,
            version: fresh.entry.version,
        };
        app.record_outcome(&officer, e.id, &input)
            .await
            .map_err(|err| anyhow!("demo outcome: {err}"))?;
    }
    Ok(())
}

/// The columns of a deportation list as the sending authorities write it.
pub(crate) fn manifest_headers() -> Vec<String> {
    [
        "S.No",
        "Name",
        "Father Name",
        "Passport No",
        "CNIC",
        "DOB",
        "Gender",
        "Nationality",
        "Home District",
        "Remarks",
    ]
    .iter()
    .map(|h| (*h).to_string())
    .collect()
}
