//! The intake suite: batches, manifest import, screening, interviews and outcomes, exercised through
//! `Nigehban` over a real `SqlStore`. Every scenario runs against SQLite and against a real
//! PostgreSQL server (without `NIGEHBAN_TEST_POSTGRES_URL` the suite fails, it never skips), and
//! checks what the database holds, not only what the operation returned.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;
use nigehban_core::actor::Actor;
use nigehban_core::intake_store::{BatchRecord, EntryRecord, IntakeStore};
use nigehban_core::service::{ImportOutcome, ImportResult, OutcomeInput, PersonRef};
use nigehban_core::store::Store;
use nigehban_core::CoreError;
use nigehban_domain::assessment::{AssessmentFacts, Suggestion};
use nigehban_domain::ids::{BatchId, CaseId, IntakeEntryId, PersonId};
use nigehban_domain::intake::{
    AgentInput, BatchInput, Classification, FlagKind, IntakeOutcome, IntakeStatus, InterviewInput,
    PaymentInput, WatchList,
};
use nigehban_domain::person::{pseudonym, ChainRole, PersonInput, PersonRole};
use support::*;

async fn both() -> Vec<Backend> {
    support::both("nigehban_intake").await
}

/// The unit that receives deportees at Karachi port, and one elsewhere.
const PORT: &str = "FIA-IMM-KHI-SEAPORT";
const ELSEWHERE: &str = "FIA-AHTC-LHE";

impl Backend {
    async fn count(&self, table: &str) -> i64 {
        count_rows(self.store.pool(), table).await
    }

    /// The row counts of every table intake writes to.
    async fn snapshot(&self) -> Vec<(&'static str, i64)> {
        let mut out = Vec::new();
        for t in [
            "persons",
            "person_identifiers",
            "intake_batches",
            "intake_imports",
            "intake_entries",
            "cases",
            "case_persons",
            "watchlist_entries",
        ] {
            out.push((t, self.count(t).await));
        }
        out
    }

    async fn batch(&self, io: &Actor, reference: &str) -> BatchRecord {
        self.app
            .create_batch(io, &deportation(reference))
            .await
            .unwrap()
    }

    async fn import(&self, io: &Actor, batch: BatchId, name: &str, bytes: &[u8]) -> ImportOutcome {
        self.app
            .import_manifest(io, batch, name, bytes, true, None)
            .await
            .unwrap()
    }

    /// The entries of a batch as stored (names opened, nothing hidden).
    async fn entries(&self, batch: BatchId) -> Vec<EntryRecord> {
        IntakeStore::entries(&self.store, batch).await.unwrap()
    }

    async fn entry(&self, id: IntakeEntryId) -> EntryRecord {
        IntakeStore::entry(&self.store, id).await.unwrap().unwrap()
    }

    async fn entry_of_row(&self, batch: BatchId, row: i64) -> EntryRecord {
        self.entries(batch)
            .await
            .into_iter()
            .find(|e| e.source_row == Some(row))
            .unwrap_or_else(|| panic!("{}: no entry for row {row}", self.name))
    }

    /// Actions of the audit entries written so far with this outcome.
    async fn audited(&self, outcome: &str) -> Vec<(String, Option<String>, String)> {
        self.store
            .audit_page(0, 100_000)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.outcome == outcome)
            .map(|e| (e.action, e.entity_id, e.actor_name))
            .collect()
    }

    /// How many entries of this action were written (done).
    async fn done_count(&self, action: &str) -> usize {
        self.audited("done")
            .await
            .iter()
            .filter(|(a, _, _)| a == action)
            .count()
    }

    async fn assert_audited(&self, actions: &[&str]) {
        let done = self.audited("done").await;
        for a in actions {
            assert!(
                done.iter().any(|(action, _, _)| action == a),
                "{}: no audit entry for {a} in {done:?}",
                self.name
            );
        }
        let report = self.app.verify_audit().await.unwrap();
        assert!(
            report.first_bad.is_none(),
            "{}: {:?}",
            self.name,
            report.first_bad
        );
        assert_eq!(
            report.checked,
            self.count("audit_log").await,
            "{}: the verifier walked the whole log",
            self.name
        );
    }
}

fn deportation(reference: &str) -> BatchInput {
    BatchInput {
        kind: Some("deportation".into()),
        post: Some("KHI-SEAPORT".into()),
        arrival_date: Some("2025-06-01".into()),
        country: Some("OMN".into()),
        reference: Some(reference.into()),
        ..Default::default()
    }
}

fn oman() -> Vec<u8> {
    fixture("oman_deportation.csv")
}

fn kinds(e: &EntryRecord) -> Vec<FlagKind> {
    e.flags.iter().map(|f| f.kind).collect()
}

fn flag(e: &EntryRecord, kind: FlagKind) -> &nigehban_core::intake_store::Flag {
    e.flags
        .iter()
        .find(|f| f.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} flag in {:?}", e.flags))
}

fn reason_codes(f: &nigehban_core::intake_store::Flag) -> Vec<&str> {
    f.reasons.iter().map(|r| r.code.as_str()).collect()
}

fn invalid_fields(err: &CoreError) -> Vec<String> {
    match err {
        CoreError::Invalid(e) => e.0.iter().map(|f| f.field.clone()).collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn arriving(name: &str, f: impl FnOnce(&mut PersonInput)) -> PersonInput {
    let mut p = PersonInput {
        name_roman: Some(name.into()),
        sex: Some("male".into()),
        nationality_claimed: Some("PAK".into()),
        ..Default::default()
    };
    f(&mut p);
    p
}

/// A person recorded in a case of the investigator's unit (a suspect: no protected role).
async fn recorded(b: &Backend, inv: &Actor, person: PersonInput) -> PersonId {
    let case = b.app.register_case(inv, &som_case()).await.unwrap();
    b.app
        .add_person_to_case(
            inv,
            case.id,
            PersonRef::New(Box::new(person)),
            Some("suspect"),
            Some("facilitator"),
        )
        .await
        .unwrap()
}

// ---- 1. Batches ---------------------------------------------------------------------------------

#[tokio::test]
async fn batches_are_validated_and_seen_by_their_unit_only() {
    for b in both().await {
        let io = user(&b.app, "intake", "intake_officer", PORT).await;
        let other = user(&b.app, "lhe", "intake_officer", ELSEWHERE).await;
        let mut bad = deportation("PK-233");
        bad.post = Some("NOWHERE".into());
        let err = b.app.create_batch(&io, &bad).await.unwrap_err();
        assert_eq!(invalid_fields(&err), ["post"], "{}", b.name);
        assert_eq!(b.count("intake_batches").await, 0, "{}", b.name);

        let batch = b.batch(&io, "PK-233").await;
        assert_eq!(b.count("intake_batches").await, 1, "{}", b.name);
        let stored = IntakeStore::batch(&b.store, batch.id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.post, "KHI-SEAPORT");
        assert_eq!(stored.unit_code, PORT);
        assert_eq!(stored.country.as_deref(), Some("OMN"));
        assert_eq!(stored.reference.as_deref(), Some("PK-233"));
        assert_eq!(stored.created_by, "intake");

        let view = b.app.view_batch(&io, batch.id).await.unwrap();
        assert_eq!(view.batch.id, batch.id);
        assert!(view.entries.is_empty());
        assert_eq!(b.app.batches(&io).await.unwrap().len(), 1);

        // Another unit: not found, and the attempt is audited as denied.
        assert!(
            matches!(
                b.app.view_batch(&other, batch.id).await,
                Err(CoreError::NotFound)
            ),
            "{}",
            b.name
        );
        assert!(b.app.batches(&other).await.unwrap().is_empty());
        assert!(matches!(
            b.app.batch_for_intake(&other, batch.id).await,
            Err(CoreError::NotFound)
        ));
        assert_eq!(
            b.app.batch_for_intake(&io, batch.id).await.unwrap().id,
            batch.id
        );
        let before = b.snapshot().await;
        assert!(matches!(
            b.app
                .import_manifest(&other, batch.id, "oman.csv", &oman(), true, None)
                .await,
            Err(CoreError::NotFound)
        ));
        assert_eq!(b.snapshot().await, before, "{}", b.name);
        let denied = b.audited("denied").await;
        let id = Some(batch.id.to_string());
        for action in ["batch.view", "batch.import"] {
            assert!(
                denied
                    .iter()
                    .any(|(a, e, who)| a == action && *e == id && who == "lhe"),
                "{}: {action} not audited as denied: {denied:?}",
                b.name
            );
        }
        assert!(
            !denied.iter().any(|(_, _, who)| who == "intake"),
            "{}",
            b.name
        );
        // An NGO case worker may not open batches at all.
        let ngo = user(&b.app, "ngo", "ngo_case_worker", "NGO-DASTAK-LHE").await;
        assert!(matches!(
            b.app.create_batch(&ngo, &deportation("x")).await,
            Err(CoreError::Forbidden(_))
        ));
        assert_eq!(b.count("intake_batches").await, 1, "{}", b.name);
        b.assert_audited(&["batch.create", "batch.view", "batch.list"])
            .await;
    }
}

// ---- 2. Manifest import ---------------------------------------------------------------------------

/// The Oman list again: the passport column moved to the end under another header, the last row
/// gone and a new person added.
fn oman_rearranged() -> Vec<u8> {
    let text = String::from_utf8(oman()).unwrap();
    let mut lines: Vec<String> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let mut cells: Vec<&str> = l.split(',').collect();
            let passport = cells.remove(3);
            let passport = if passport == "Passport No" {
                "PP#"
            } else {
                passport
            };
            cells.push(passport);
            cells.join(",")
        })
        .collect();
    assert!(lines.pop().unwrap().starts_with("30,Ali Raza"));
    lines.push(
        "31,Hamza Yousaf,Yousaf Ali,,08/02/1994,M,Pakistani,Sialkot,Overstay,MZ5512093".into(),
    );
    (lines.join("\r\n") + "\r\n").into_bytes()
}

#[tokio::test]
async fn a_manifest_is_taken_once_and_nobody_is_added_twice() {
    for b in both().await {
        let io = user(&b.app, "intake", "intake_officer", PORT).await;
        let batch = b.batch(&io, "Oman 14").await;
        let persons = b.count("persons").await;
        let out = b
            .import(&io, batch.id, "oman_deportation.csv", &oman())
            .await;
        assert_eq!(out.total_rows, 30, "{}", b.name);
        assert_eq!(out.rejected_rows, 0);
        let ImportResult::Imported {
            added,
            existing_persons,
            victim_screening,
            ..
        } = out.result
        else {
            panic!("{}: {:?}", b.name, out.result)
        };
        assert_eq!((added.added, added.already_in_batch), (30, 0), "{}", b.name);
        assert_eq!((existing_persons, victim_screening), (0, 0));
        assert_eq!(b.count("persons").await, persons + 30, "{}", b.name);
        assert_eq!(b.count("intake_entries").await, 30);
        assert_eq!(b.count("intake_imports").await, 1);
        let (rows_total, rows_added): (i64, i64) =
            sqlx::query_as("SELECT rows_total, rows_added FROM intake_imports")
                .fetch_one(b.store.pool())
                .await
                .unwrap();
        assert_eq!((rows_total, rows_added), (30, 30), "{}", b.name);

        let entries = b.entries(batch.id).await;
        assert_eq!(
            entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
            (1..=30).collect::<Vec<_>>()
        );
        assert_eq!(
            entries.iter().map(|e| e.source_row).collect::<Vec<_>>(),
            (2..=31).map(Some).collect::<Vec<_>>(),
            "{}: rows as a spreadsheet numbers them",
            b.name
        );
        assert!(entries
            .iter()
            .all(|e| e.status == IntakeStatus::Pending && e.source == "manifest"));
        let asif = &entries[0];
        assert_eq!(asif.name_roman.as_deref(), Some("Muhammad Asif"));
        assert_eq!(asif.parentage_roman.as_deref(), Some("Muhammad Akram"));
        assert_eq!(asif.identifiers[0].value, "AB1234567");
        assert_eq!(asif.origin_district.as_deref(), Some("gujranwala"));
        assert_eq!(asif.extras.remarks.as_deref(), Some("Overstay"));
        // Row 30 names a home district abroad: a nationality doubt, explained.
        let noor = b.entry_of_row(batch.id, 30).await;
        assert_eq!(noor.name_roman.as_deref(), Some("Noor Ahmad"));
        let doubt = flag(&noor, FlagKind::NationalityDoubt);
        assert!(
            reason_codes(doubt).contains(&"doubt-unknown-district"),
            "{}: {doubt:?}",
            b.name
        );
        let progress = IntakeStore::batch(&b.store, batch.id)
            .await
            .unwrap()
            .unwrap()
            .progress;
        assert_eq!((progress.total, progress.pending), (30, 30));
        assert_eq!(
            progress.flagged,
            entries.iter().filter(|e| !e.flags.is_empty()).count() as i64
        );
        assert!(progress.flagged >= 1);

        // The same bytes again (under another name): nothing is written.
        let before = b.snapshot().await;
        let again = b.import(&io, batch.id, "copy of oman.csv", &oman()).await;
        match again.result {
            ImportResult::AlreadyImported { import } => {
                assert_eq!(import.rows_added, 30, "{}", b.name);
                assert_eq!(import.file_name, "oman_deportation.csv");
            }
            other => panic!("{}: {other:?}", b.name),
        }
        assert_eq!(b.snapshot().await, before, "{}", b.name);

        // The list rearranged, one row gone, one new person: only the new person is added.
        let out = b
            .import(&io, batch.id, "oman_rearranged.csv", &oman_rearranged())
            .await;
        assert!(
            out.problems.iter().all(|p| p.severity.as_str() != "error"),
            "{}: {:?}",
            b.name,
            out.problems
        );
        let ImportResult::Imported {
            added,
            victim_screening,
            existing_persons,
            flagged,
        } = out.result
        else {
            panic!("{}: {:?}", b.name, out.result)
        };
        assert_eq!((added.added, added.already_in_batch), (1, 29), "{}", b.name);
        // The summary speaks of the one row taken in, not of the 29 skipped.
        assert!(flagged <= 1, "{}: {flagged} flagged", b.name);
        assert_eq!(existing_persons, 0, "{}", b.name);
        assert_eq!(
            victim_screening, 0,
            "{}: being in this batch already is no earlier encounter",
            b.name
        );
        assert_eq!(b.count("persons").await, persons + 31, "{}", b.name);
        assert_eq!(b.count("intake_entries").await, 31);
        assert_eq!(b.count("intake_imports").await, 2);
        let entries = b.entries(batch.id).await;
        assert_eq!(
            entries.last().unwrap().name_roman.as_deref(),
            Some("Hamza Yousaf")
        );
        assert_eq!(entries.last().unwrap().seq, 31);
        let mut people: Vec<PersonId> = entries.iter().map(|e| e.person_id).collect();
        people.sort();
        people.dedup();
        assert_eq!(people.len(), 31, "{}", b.name);
        assert_eq!(
            b.done_count("batch.import").await,
            2,
            "{}: one audit entry per file written",
            b.name
        );
        b.assert_audited(&["batch.create", "batch.import"]).await;
    }
}

#[tokio::test]
async fn a_refused_manifest_changes_nothing_and_a_partial_one_takes_the_valid_rows() {
    for b in both().await {
        let io = user(&b.app, "intake", "intake_officer", PORT).await;
        let batch = b.batch(&io, "Oman 15").await;
        let bad = fixture("bad_manifest.csv");
        let before = b.snapshot().await;
        let out = b.import(&io, batch.id, "bad_manifest.csv", &bad).await;
        assert!(
            matches!(out.result, ImportResult::Refused { rejected_rows: 17 }),
            "{}: {:?}",
            b.name,
            out.result
        );
        assert_eq!((out.total_rows, out.rejected_rows), (23, 17));
        assert_eq!(b.snapshot().await, before, "{}", b.name);

        let out = b
            .app
            .import_manifest(&io, batch.id, "bad_manifest.csv", &bad, false, None)
            .await
            .unwrap();
        let ImportResult::Imported { added, .. } = out.result else {
            panic!("{}: {:?}", b.name, out.result)
        };
        assert_eq!((added.added, added.already_in_batch), (6, 0), "{}", b.name);
        let rows: Vec<Option<i64>> = b
            .entries(batch.id)
            .await
            .iter()
            .map(|e| e.source_row)
            .collect();
        assert_eq!(
            rows,
            [2, 11, 17, 20, 21, 22].map(Some),
            "{}: the valid rows only",
            b.name
        );
        assert_eq!(
            b.count("persons").await,
            before[0].1 + 6,
            "{}: a person per valid row",
            b.name
        );
        let (rows_total, rows_added, rows_rejected): (i64, i64, i64) =
            sqlx::query_as("SELECT rows_total, rows_added, rows_rejected FROM intake_imports")
                .fetch_one(b.store.pool())
                .await
                .unwrap();
        assert_eq!((rows_total, rows_added, rows_rejected), (23, 6, 17));
        // Every refused row is reported with its row (and, where one is to blame, its column).
        let errors: Vec<(Option<usize>, Option<&str>, &str)> = out
            .problems
            .iter()
            .filter(|p| p.severity.as_str() == "error")
            .map(|p| (p.row, p.column.as_deref(), p.code.as_str()))
            .collect();
        assert!(errors.iter().all(|(row, _, _)| row.is_some()), "{errors:?}");
        assert!(errors.contains(&(Some(3), Some("B"), "sheet-formula")));
        assert!(errors.contains(&(Some(5), Some("F"), "invalid-date")));
        assert!(errors.contains(&(Some(12), None, "sheet-duplicate-row")));
        let mut bad_rows: Vec<usize> = errors.iter().filter_map(|(r, _, _)| *r).collect();
        bad_rows.dedup();
        assert_eq!(bad_rows.len(), 17, "{}: {errors:?}", b.name);
        assert!(out.problems.iter().all(|p| p.file == "bad_manifest.csv"));
        b.assert_audited(&["batch.import"]).await;
    }
}

// ---- 4. Screening ---------------------------------------------------------------------------------

#[tokio::test]
async fn screening_reuses_a_recorded_passport_and_points_at_similar_persons() {
    for b in both().await {
        let io = user(&b.app, "intake", "intake_officer", PORT).await;
        let inv = user(&b.app, "inv", "investigator", PORT).await;
        // (a) Recorded before with the passport of row 2 of the Oman list.
        let known = recorded(
            &b,
            &inv,
            arriving("Muhammad Asif", |p| {
                p.parentage_roman = Some("Muhammad Akram".into());
                p.passport = Some("AB1234567".into());
                p.passport_country = Some("PAK".into());
            }),
        )
        .await;
        // (b) Recorded with no document, in another spelling.
        let similar = recorded(
            &b,
            &inv,
            arriving("Muhammad Asif", |p| {
                p.parentage_relation = Some("son_of".into());
                p.parentage_roman = Some("Ghulam Rasool".into());
                p.date_of_birth = Some("1990-03-12".into());
            }),
        )
        .await;
        let batch = b.batch(&io, "Oman 16").await;
        let persons = b.count("persons").await;
        let out = b
            .import(&io, batch.id, "oman_deportation.csv", &oman())
            .await;
        let ImportResult::Imported {
            added,
            existing_persons,
            ..
        } = out.result
        else {
            panic!("{}: {:?}", b.name, out.result)
        };
        assert_eq!((added.added, existing_persons), (30, 1), "{}", b.name);
        assert_eq!(
            b.count("persons").await,
            persons + 29,
            "{}: the recorded person is not made again",
            b.name
        );
        let asif = b.entry_of_row(batch.id, 2).await;
        assert_eq!(asif.person_id, known, "{}", b.name);
        let same = flag(&asif, FlagKind::SameIdentifier);
        assert_eq!(same.person_id, Some(known));
        assert_eq!(reason_codes(same), ["same-passport"]);
        let others = b.entries(batch.id).await;
        assert!(
            others
                .iter()
                .filter(|e| e.person_id != known)
                .all(|e| !kinds(e).contains(&FlagKind::SameIdentifier)),
            "{}",
            b.name
        );

        // (b) "Mohd Asif s/o Gulam Rasul", same birth date: a similar person, not the same record.
        let before = b.count("persons").await;
        let id = b
            .app
            .quick_add(
                &io,
                batch.id,
                &arriving("Mohd Asif", |p| {
                    p.parentage_relation = Some("son_of".into());
                    p.parentage_roman = Some("Gulam Rasul".into());
                    p.date_of_birth = Some("1990-03-12".into());
                }),
            )
            .await
            .unwrap();
        let e = b.entry(id).await;
        assert_ne!(e.person_id, similar, "{}", b.name);
        assert_eq!(b.count("persons").await, before + 1);
        assert_eq!(e.source, "manual");
        assert_eq!(e.source_row, None);
        let sim = flag(&e, FlagKind::SimilarPerson);
        assert_eq!(sim.person_id, Some(similar), "{}: {:?}", b.name, e.flags);
        let codes = reason_codes(sim);
        assert!(
            codes.contains(&"similar-name")
                && codes.contains(&"similar-parentage")
                && codes.contains(&"same-dob"),
            "{}: {codes:?}",
            b.name
        );
        // A different father is a different person.
        let id = b
            .app
            .quick_add(
                &io,
                batch.id,
                &arriving("Mohd Asif", |p| {
                    p.parentage_roman = Some("Sher Khan".into());
                    p.date_of_birth = Some("1990-03-12".into());
                }),
            )
            .await
            .unwrap();
        assert!(
            !kinds(&b.entry(id).await).contains(&FlagKind::SimilarPerson),
            "{}",
            b.name
        );
        b.assert_audited(&["batch.import", "batch.quick_add"]).await;
    }
}

#[tokio::test]
async fn an_earlier_deportation_asks_for_victim_screening() {
    for b in both().await {
        let io = user(&b.app, "intake", "intake_officer", PORT).await;
        let first = b.batch(&io, "Oman 17").await;
        b.import(&io, first.id, "oman_deportation.csv", &oman())
            .await;
        assert!(
            b.entries(first.id)
                .await
                .iter()
                .all(|e| !e.victim_screening && !kinds(e).contains(&FlagKind::RepeatEncounter)),
            "{}: nobody was here before",
            b.name
        );
        // Deported again a month later, on another list.
        let mut second = deportation("Oman 18");
        second.arrival_date = Some("2025-07-01".into());
        let second = b.app.create_batch(&io, &second).await.unwrap();
        let again = "Name,Father Name,Passport No,DOB,Gender,Nationality\r\n\
                     Muhammad Asif,Muhammad Akram,AB1234567,12/03/1990,M,Pakistani\r\n\
                     Hamza Yousaf,Yousaf Ali,MZ5512093,08/02/1994,M,Pakistani\r\n";
        let persons = b.count("persons").await;
        let out = b
            .import(&io, second.id, "again.csv", again.as_bytes())
            .await;
        let ImportResult::Imported {
            added,
            victim_screening,
            ..
        } = out.result
        else {
            panic!("{}: {:?}", b.name, out.result)
        };
        assert_eq!((added.added, victim_screening), (2, 1), "{}", b.name);
        assert_eq!(b.count("persons").await, persons + 1);
        let entries = b.entries(second.id).await;
        let asif = &entries[0];
        let first_asif = b.entry_of_row(first.id, 2).await;
        assert_eq!(asif.person_id, first_asif.person_id, "{}", b.name);
        assert!(asif.victim_screening, "{}", b.name);
        let repeat = flag(asif, FlagKind::RepeatEncounter);
        let r = &repeat.reasons[0];
        assert_eq!(r.code, "earlier-encounters");
        let arg = |k: &str| {
            r.args
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(arg("count"), Some("1"), "{}: {r:?}", b.name);
        assert_eq!(arg("kinds"), Some("deportation"));
        assert_eq!(arg("latest"), Some("2025-06-01"));
        let hamza = &entries[1];
        assert!(!hamza.victim_screening && !kinds(hamza).contains(&FlagKind::RepeatEncounter));
        let progress = IntakeStore::batch(&b.store, second.id)
            .await
            .unwrap()
            .unwrap()
            .progress;
        assert_eq!(progress.victim_screening, 1, "{}", b.name);
        // A second file for this batch with the same person again: their entry here is no
        // earlier encounter, and nobody is added.
        let more = "Name,Father Name,Passport No,DOB,Gender,Nationality,Remarks\r\n\
                    Muhammad Asif,Muhammad Akram,AB1234567,12/03/1990,M,Pakistani,Second list\r\n";
        let out = b.import(&io, second.id, "more.csv", more.as_bytes()).await;
        match out.result {
            ImportResult::Imported { added, .. } => {
                assert_eq!((added.added, added.already_in_batch), (0, 1), "{}", b.name);
            }
            other => panic!("{}: {other:?}", b.name),
        }
        // Intercepted before and recorded so in a case: an earlier encounter too.
        let inv = user(&b.app, "inv", "investigator", PORT).await;
        let case = b.app.register_case(&inv, &som_case()).await.unwrap();
        let migrant = b
            .app
            .add_person_to_case(
                &inv,
                case.id,
                PersonRef::New(Box::new(arriving("Javed Iqbal", |p| {
                    p.passport = Some("JI2211334".into());
                    p.passport_country = Some("PAK".into());
                }))),
                Some("intercepted_migrant"),
                None,
            )
            .await
            .unwrap();
        let id = b
            .app
            .quick_add(
                &io,
                second.id,
                &arriving("Javed Iqbal", |p| {
                    p.passport = Some("JI2211334".into());
                    p.passport_country = Some("PAK".into());
                }),
            )
            .await
            .unwrap();
        let e = b.entry(id).await;
        assert_eq!(e.person_id, migrant);
        assert!(e.victim_screening, "{}: {:?}", b.name, e.flags);
        let repeat = flag(&e, FlagKind::RepeatEncounter);
        assert!(
            repeat.reasons[0]
                .args
                .contains(&("kinds".to_string(), "intercepted_migrant".to_string())),
            "{}: {repeat:?}",
            b.name
        );
        b.assert_audited(&["batch.import", "batch.quick_add"]).await;
    }
}

#[tokio::test]
async fn watch_lists_and_doubtful_nationality_are_flagged_with_reasons() {
    for b in both().await {
        let io = user(&b.app, "intake", "intake_officer", PORT).await;
        let inv = user(&b.app, "inv", "investigator", PORT).await;
        let wanted = arriving("Rana Sohail", |p| {
            p.parentage_roman = Some("Rana Iqbal".into());
            p.passport = Some("RS4455667".into());
            p.passport_country = Some("PAK".into());
        })
        .validate(b.app.refdata(), chrono::Utc::now().date_naive())
        .unwrap();
        // An intake officer keeps no lists.
        assert!(matches!(
            b.app
                .add_to_watchlist(&io, WatchList::MostWanted, "2025-1", vec![])
                .await,
            Err(CoreError::Forbidden(_))
        ));
        let n = b
            .app
            .add_to_watchlist(
                &inv,
                WatchList::MostWanted,
                "2025-1",
                vec![(wanted, Some("MW-12".into()), Some("Human smuggling".into()))],
            )
            .await
            .unwrap();
        assert_eq!(n, 1);
        assert_eq!(b.count("watchlist_entries").await, 1, "{}", b.name);
        let listed = b.app.watchlist(&io, None).await.unwrap();
        assert_eq!(listed.len(), 1);
        let batch = b.batch(&io, "Oman 19").await;
        // (d) Arrives on the list with the same passport.
        let id = b
            .app
            .quick_add(
                &io,
                batch.id,
                &arriving("Rana Sohail", |p| {
                    p.passport = Some("RS4455667".into());
                    p.passport_country = Some("PAK".into());
                }),
            )
            .await
            .unwrap();
        let e = b.entry(id).await;
        assert_eq!(e.person_id, listed[0].person_id, "{}", b.name);
        let w = flag(&e, FlagKind::Watchlist);
        assert_eq!(w.person_id, Some(listed[0].person_id));
        assert_eq!(reason_codes(w), ["on-most-wanted"], "{}", b.name);
        assert!(w.reasons[0]
            .args
            .contains(&("reference".to_string(), "MW-12".to_string())));
        // The same person again at the counter: refused, nobody added.
        let before = b.snapshot().await;
        let again = b
            .app
            .quick_add(
                &io,
                batch.id,
                &arriving("Rana Sohail", |p| {
                    p.passport = Some("RS4455667".into());
                    p.passport_country = Some("PAK".into());
                }),
            )
            .await;
        assert!(
            matches!(again, Err(CoreError::Conflict(_))),
            "{}: {again:?}",
            b.name
        );
        assert_eq!(b.snapshot().await, before, "{}", b.name);
        // Taken off the list: no longer flagged.
        b.app
            .remove_from_watchlist(&inv, listed[0].id)
            .await
            .unwrap();
        let other = b.batch(&io, "Oman 20").await;
        let id = b
            .app
            .quick_add(
                &io,
                other.id,
                &arriving("Rana Sohail", |p| {
                    p.passport = Some("RS4455667".into());
                    p.passport_country = Some("PAK".into());
                }),
            )
            .await
            .unwrap();
        assert!(
            !kinds(&b.entry(id).await).contains(&FlagKind::Watchlist),
            "{}",
            b.name
        );

        // (e) Claims to be Pakistani with an Afghan passport and no CNIC.
        let id = b
            .app
            .quick_add(
                &io,
                batch.id,
                &arriving("Gul Khan", |p| {
                    p.passport = Some("P1234567".into());
                    p.passport_country = Some("AFG".into());
                }),
            )
            .await
            .unwrap();
        let e = b.entry(id).await;
        let doubt = flag(&e, FlagKind::NationalityDoubt);
        let codes = reason_codes(doubt);
        assert!(
            codes.contains(&"doubt-foreign-passport")
                && codes.contains(&"doubt-no-cnic")
                && codes.contains(&"doubt-watched-nationality"),
            "{}: {codes:?}",
            b.name
        );
        let foreign = doubt
            .reasons
            .iter()
            .find(|r| r.code == "doubt-foreign-passport")
            .unwrap();
        assert_eq!(
            foreign.args,
            [("country".to_string(), "AFG".to_string())],
            "{}",
            b.name
        );
        // A Pakistani with a Punjab CNIC from a Punjab district raises no doubt.
        let id = b
            .app
            .quick_add(
                &io,
                batch.id,
                &arriving("Bilal Ahmed", |p| {
                    p.cnic = Some("35202-1234567-1".into());
                    p.origin_district = Some("lahore".into());
                }),
            )
            .await
            .unwrap();
        assert!(
            !kinds(&b.entry(id).await).contains(&FlagKind::NationalityDoubt),
            "{}",
            b.name
        );
        b.assert_audited(&[
            "watchlist.add",
            "watchlist.remove",
            "watchlist.view",
            "batch.quick_add",
        ])
        .await;
    }
}

#[tokio::test]
async fn a_person_sealed_by_court_order_is_never_matched() {
    for b in both().await {
        let io = user(&b.app, "intake", "intake_officer", PORT).await;
        let inv = user(&b.app, "inv", "investigator", PORT).await;
        let sup = user(&b.app, "sup", "supervisor", PORT).await;
        let sealed = recorded(
            &b,
            &inv,
            arriving("Muhammad Asif", |p| {
                p.parentage_relation = Some("son_of".into());
                p.parentage_roman = Some("Muhammad Akram".into());
                p.date_of_birth = Some("1990-03-12".into());
                p.passport = Some("AB1234567".into());
                p.passport_country = Some("PAK".into());
            }),
        )
        .await;
        b.app
            .seal_person(&sup, sealed, "Sindh High Court order 7/2025", &[])
            .await
            .unwrap();
        let batch = b.batch(&io, "Oman 21").await;
        let persons = b.count("persons").await;
        b.import(&io, batch.id, "oman_deportation.csv", &oman())
            .await;
        assert_eq!(b.count("persons").await, persons + 30, "{}", b.name);
        for e in b.entries(batch.id).await {
            assert_ne!(e.person_id, sealed, "{}", b.name);
            assert!(
                e.flags.iter().all(|f| f.person_id != Some(sealed)),
                "{}: {:?}",
                b.name,
                e.flags
            );
        }
        // Nor by name alone.
        let id = b
            .app
            .quick_add(
                &io,
                batch.id,
                &arriving("Mohd Asif", |p| {
                    p.parentage_roman = Some("Muhammad Akram".into());
                    p.date_of_birth = Some("1990-03-12".into());
                }),
            )
            .await
            .unwrap();
        let e = b.entry(id).await;
        assert!(
            e.flags.iter().all(|f| f.person_id != Some(sealed)),
            "{}: {:?}",
            b.name,
            e.flags
        );
        // The preview finds nobody either.
        let p = arriving("Muhammad Asif", |p| {
            p.passport = Some("AB1234567".into());
            p.passport_country = Some("PAK".into());
        })
        .validate(b.app.refdata(), chrono::Utc::now().date_naive())
        .unwrap();
        let preview = b.app.screen_rows(&io, &[(&p, None)]).await.unwrap();
        assert!(
            preview[0].existing != Some(sealed)
                && preview[0].flags.iter().all(|f| f.person_id != Some(sealed)),
            "{}: {:?}",
            b.name,
            preview[0]
        );
        b.assert_audited(&["person.seal", "intake.screen"]).await;
    }
}

// ---- 5. The interview -----------------------------------------------------------------------------

fn trafficking_interview() -> InterviewInput {
    InterviewInput {
        origin_district: Some("gujranwala".into()),
        exit_point: Some("KHI-AIRPORT".into()),
        destination_country: Some("OMN".into()),
        mode: Some("air".into()),
        departure_date: Some("2024-02-01".into()),
        payments: vec![PaymentInput {
            amount: Some("4.5 lakh".into()),
            currency: Some("PKR".into()),
            paid_to: Some("Bashir".into()),
            method: Some("cash".into()),
            ..Default::default()
        }],
        agents: vec![AgentInput {
            name: Some("Bashir Ahmad".into()),
            phone: Some("0321-7654321".into()),
            place: Some("Gujranwala".into()),
            chain_role: Some("recruiter".into()),
        }],
        facts: AssessmentFacts {
            indicators: vec![
                "recruitment".into(),
                "deception".into(),
                "purpose_forced_labour".into(),
            ],
            ..Default::default()
        },
        notes: Some("Promised a driver's job; made to work on a farm unpaid.".into()),
        ..Default::default()
    }
}

fn smuggling_interview() -> InterviewInput {
    InterviewInput {
        origin_district: Some("gujranwala".into()),
        transit_countries: vec!["IRN".into(), "TUR".into()],
        destination_country: Some("GRC".into()),
        mode: Some("land".into()),
        departure_date: Some("2025-01-10".into()),
        payments: vec![PaymentInput {
            amount: Some("25 lakh".into()),
            currency: Some("PKR".into()),
            method: Some("hawala".into()),
            ..Default::default()
        }],
        agents: vec![
            AgentInput {
                name: Some("Chaudhry Nadeem".into()),
                phone: Some("0345-1112233".into()),
                place: Some("Gujrat".into()),
                chain_role: Some("main_agent".into()),
            },
            // The phone of a suspect already recorded.
            AgentInput {
                name: Some("Aslam".into()),
                phone: Some("0300-1234567".into()),
                chain_role: Some("transporter".into()),
                ..Default::default()
            },
        ],
        facts: AssessmentFacts {
            crossed_border: Some(true),
            irregular_crossing: Some(true),
            benefit_to_facilitator: Some(true),
            consented: Some(true),
            exploited_en_route: Some(false),
            ..Default::default()
        },
        ..Default::default()
    }
}

#[tokio::test]
async fn interviews_are_kept_as_drafts_validated_on_completion_and_name_agents() {
    for b in both().await {
        let io = user(&b.app, "intake", "intake_officer", PORT).await;
        let inv = user(&b.app, "inv", "investigator", PORT).await;
        let aslam = recorded(&b, &inv, suspect()).await;
        let batch = b.batch(&io, "Oman 22").await;
        b.import(&io, batch.id, "oman_deportation.csv", &oman())
            .await;
        let e = b.entry_of_row(batch.id, 2).await;
        let v0 = e.version;

        // A draft is kept as typed, nothing validated.
        let mut draft = smuggling_interview();
        draft.payments[0].currency = Some("rupees".into());
        draft.mode = Some("by camel".into());
        b.app.save_interview_draft(&io, e.id, &draft).await.unwrap();
        let stored = b.entry(e.id).await;
        assert_eq!(stored.interview.as_ref(), Some(&draft), "{}", b.name);
        assert_eq!(stored.status, IntakeStatus::Pending);
        assert_eq!(stored.interviewed_by.as_deref(), Some("intake"));
        assert!(stored.suggestion.is_none());
        assert_eq!(stored.version, v0 + 1);
        let view = b.app.view_entry(&io, e.id).await.unwrap();
        assert_eq!(view.entry.interview.as_ref(), Some(&draft), "{}", b.name);

        // Completion validates: an unknown currency is located and nothing is kept.
        let persons = b.count("persons").await;
        let err = b
            .app
            .complete_interview(&io, e.id, &draft)
            .await
            .unwrap_err();
        let fields = invalid_fields(&err);
        assert!(
            fields.contains(&"payments[0].currency".to_string()),
            "{}: {fields:?}",
            b.name
        );
        let after = b.entry(e.id).await;
        assert_eq!(after.status, IntakeStatus::Pending, "{}", b.name);
        assert_eq!(after.version, v0 + 1);
        assert!(after.suggestion.is_none() && after.assessment.is_none());
        assert_eq!(b.count("persons").await, persons);

        // An adult recruited by deception for forced labour: trafficking.
        let a = b
            .app
            .complete_interview(&io, e.id, &trafficking_interview())
            .await
            .unwrap();
        assert_eq!(a.suggestion, Suggestion::Trafficking, "{}: {a:?}", b.name);
        let after = b.entry(e.id).await;
        assert_eq!(after.status, IntakeStatus::Interviewed, "{}", b.name);
        assert_eq!(after.suggestion, Some(Suggestion::Trafficking));
        assert_eq!(
            after.interview.as_ref(),
            Some(&trafficking_interview()),
            "{}",
            b.name
        );
        assert_eq!(b.count("persons").await, persons + 1, "{}", b.name);
        let view = b.app.view_entry(&io, e.id).await.unwrap();
        assert_eq!(
            view.assessment.map(|a| a.suggestion),
            Some(Suggestion::Trafficking)
        );

        // Another person: crossed irregularly, paid the agent: smuggling. One agent is new, the
        // other has the phone of a recorded suspect and is linked to them.
        let other = b.entry_of_row(batch.id, 3).await;
        let persons = b.count("persons").await;
        let a = b
            .app
            .complete_interview(&io, other.id, &smuggling_interview())
            .await
            .unwrap();
        assert_eq!(a.suggestion, Suggestion::Smuggling, "{}: {a:?}", b.name);
        assert_eq!(
            b.count("persons").await,
            persons + 1,
            "{}: only the agent nobody knew is recorded",
            b.name
        );
        let agents = agent_ids(&b.entry(other.id).await);
        assert_eq!(agents.len(), 2, "{}", b.name);
        assert_eq!(agents[1], (aslam, "transporter".to_string()), "{}", b.name);
        assert_ne!(agents[0].0, aslam);
        let nadeem = b.store.person_detail(agents[0].0).await.unwrap().unwrap();
        assert_eq!(
            nadeem.person.name.roman.as_deref(),
            Some("Chaudhry Nadeem"),
            "{}",
            b.name
        );
        // Completing again (a correction) records nobody twice.
        let mut corrected = smuggling_interview();
        corrected.notes = Some("Corrected the route.".into());
        b.app
            .complete_interview(&io, other.id, &corrected)
            .await
            .unwrap();
        assert_eq!(b.count("persons").await, persons + 1, "{}", b.name);
        assert_eq!(agent_ids(&b.entry(other.id).await), agents);

        // Another unit cannot touch the interview.
        let lhe = user(&b.app, "lhe", "intake_officer", ELSEWHERE).await;
        assert!(matches!(
            b.app.save_interview_draft(&lhe, e.id, &draft).await,
            Err(CoreError::NotFound)
        ));
        assert_eq!(
            b.entry(e.id).await.interview.as_ref(),
            Some(&trafficking_interview())
        );
        b.assert_audited(&["intake.draft", "intake.interview", "intake.view"])
            .await;
    }
}

/// The agents recorded with a completed interview: person and chain role.
fn agent_ids(e: &EntryRecord) -> Vec<(PersonId, String)> {
    e.assessment.as_ref().unwrap()["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["person_id"].as_str().unwrap().parse().unwrap(),
                a["chain_role"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

// ---- 6. Outcomes ----------------------------------------------------------------------------------

fn outcome(decision: &str, outcome: &str, version: i64) -> OutcomeInput {
    OutcomeInput {
        decision: Some(decision.into()),
        outcome: Some(outcome.into()),
        version,
        ..Default::default()
    }
}

#[tokio::test]
async fn outcomes_are_validated_stored_and_refused_when_stale() {
    for b in both().await {
        let io = user(&b.app, "intake", "intake_officer", PORT).await;
        let batch = b.batch(&io, "Oman 23").await;
        b.import(&io, batch.id, "oman_deportation.csv", &oman())
            .await;
        let entries = b.entries(batch.id).await;

        // (a) A referral needs the service.
        let e = &entries[0];
        let before = b.snapshot().await;
        let mut referral = outcome("trafficking", "referred", e.version);
        referral.organisation = Some("NGO-DASTAK-LHE".into());
        let err = b
            .app
            .record_outcome(&io, e.id, &referral)
            .await
            .unwrap_err();
        assert_eq!(invalid_fields(&err), ["service"], "{}", b.name);
        let mut wrong = referral.clone();
        wrong.service = Some("massage".into());
        wrong.organisation = Some("NGO-NOWHERE".into());
        let err = b.app.record_outcome(&io, e.id, &wrong).await.unwrap_err();
        assert_eq!(invalid_fields(&err), ["service", "organisation"]);
        let unchanged = b.entry(e.id).await;
        assert_eq!(
            (unchanged.status, unchanged.outcome, unchanged.version),
            (IntakeStatus::Pending, None, e.version),
            "{}",
            b.name
        );
        referral.service = Some("shelter".into());
        referral.note = Some("Needs medical care too".into());
        let case = b.app.record_outcome(&io, e.id, &referral).await.unwrap();
        assert_eq!(case, None);
        let done = b.entry(e.id).await;
        assert_eq!(done.status, IntakeStatus::Done, "{}", b.name);
        assert_eq!(done.decision, Some(Classification::Trafficking));
        assert_eq!(done.outcome, Some(IntakeOutcome::Referred));
        assert_eq!(done.processed_by.as_deref(), Some("intake"));
        assert_eq!(done.version, e.version + 1);
        let detail = done.outcome_detail.unwrap();
        assert_eq!(detail.service.as_deref(), Some("shelter"), "{}", b.name);
        assert_eq!(detail.organisation.as_deref(), Some("NGO-DASTAK-LHE"));
        assert_eq!(detail.note.as_deref(), Some("Needs medical care too"));
        assert_eq!(
            b.snapshot().await,
            before,
            "{}: no case for a referral",
            b.name
        );

        // (c) Released.
        let r = &entries[1];
        b.app
            .record_outcome(&io, r.id, &outcome("neither", "released", r.version))
            .await
            .unwrap();
        let released = b.entry(r.id).await;
        assert_eq!(
            (released.status, released.decision, released.outcome),
            (
                IntakeStatus::Done,
                Some(Classification::Neither),
                Some(IntakeOutcome::Released)
            ),
            "{}",
            b.name
        );
        assert_eq!(released.outcome_case_id, None);

        // (d) Decided on a stale view: refused, nothing changed.
        let s = &entries[2];
        b.app
            .save_interview_draft(&io, s.id, &trafficking_interview())
            .await
            .unwrap();
        let before = b.snapshot().await;
        let audit_before = b.audited("done").await.len();
        let stale = b
            .app
            .record_outcome(
                &io,
                s.id,
                &OutcomeInput {
                    new_case: true,
                    ..outcome("trafficking", "victim_in_case", s.version)
                },
            )
            .await
            .unwrap_err();
        assert!(
            matches!(stale, CoreError::Conflict(_)),
            "{}: {stale:?}",
            b.name
        );
        let unchanged = b.entry(s.id).await;
        assert_eq!(
            (unchanged.status, unchanged.outcome, unchanged.version),
            (IntakeStatus::Pending, None, s.version + 1),
            "{}",
            b.name
        );
        assert_eq!(b.snapshot().await, before, "{}: no case opened", b.name);
        assert_eq!(b.audited("done").await.len(), audit_before);

        let progress = IntakeStore::batch(&b.store, batch.id)
            .await
            .unwrap()
            .unwrap()
            .progress;
        assert_eq!(
            (progress.total, progress.done, progress.pending),
            (30, 2, 28),
            "{}",
            b.name
        );
        // A finished entry takes no second outcome (which could open a second case) ...
        let cases = b.count("cases").await;
        let again = b
            .app
            .record_outcome(
                &io,
                e.id,
                &OutcomeInput {
                    new_case: true,
                    ..outcome("trafficking", "victim_in_case", e.version + 1)
                },
            )
            .await;
        assert!(
            matches!(again, Err(CoreError::Conflict(_))),
            "{}: {again:?}",
            b.name
        );
        assert_eq!(b.count("cases").await, cases, "{}", b.name);
        assert_eq!(b.entry(e.id).await.outcome, Some(IntakeOutcome::Referred));
        // ... and no more drafts.
        assert!(matches!(
            b.app
                .save_interview_draft(&io, e.id, &trafficking_interview())
                .await,
            Err(CoreError::Conflict(_))
        ));
        assert_eq!(b.done_count("intake.outcome").await, 2, "{}", b.name);
        b.assert_audited(&["intake.outcome", "intake.draft"]).await;
    }
}

#[tokio::test]
async fn a_smuggled_migrant_opens_a_som_case_with_the_agents_as_suspects() {
    for b in both().await {
        let io = user(&b.app, "intake", "intake_officer", PORT).await;
        let inv = user(&b.app, "inv", "investigator", PORT).await;
        let aslam = recorded(&b, &inv, suspect()).await;
        let batch = b.batch(&io, "Oman 24").await;
        b.import(&io, batch.id, "oman_deportation.csv", &oman())
            .await;
        let e = b.entry_of_row(batch.id, 2).await;
        b.app
            .complete_interview(&io, e.id, &smuggling_interview())
            .await
            .unwrap();
        let e = b.entry(e.id).await;
        let agents = agent_ids(&e);
        let cases = b.count("cases").await;
        let links = b.count("case_persons").await;
        let case_id: CaseId = b
            .app
            .record_outcome(
                &io,
                e.id,
                &OutcomeInput {
                    new_case: true,
                    ..outcome("smuggling", "victim_in_case", e.version)
                },
            )
            .await
            .unwrap()
            .expect("a case");
        assert_eq!(b.count("cases").await, cases + 1, "{}", b.name);
        assert_eq!(b.count("case_persons").await, links + 3, "{}", b.name);
        let case = b.store.case_detail(case_id).await.unwrap().unwrap();
        assert_eq!(case.summary.crime_types, ["som"], "{}", b.name);
        assert_eq!(case.provisions, ["PSMA-2018-S3"], "{}", b.name);
        assert_eq!(case.summary.unit_code, PORT);
        assert_eq!(case.summary.district, "gujranwala");
        assert_eq!(case.summary.offence_date.to_string(), "2025-01-10");
        let role_of = |p: PersonId| {
            case.persons
                .iter()
                .find(|x| x.person_id == p)
                .map(|x| x.role)
                .unwrap_or_else(|| panic!("{}: {p} not in the case", b.name))
        };
        let migrant = role_of(e.person_id);
        assert_eq!(migrant.role, PersonRole::SmuggledMigrant, "{}", b.name);
        assert_eq!(migrant.chain_role, None);
        let nadeem = role_of(agents[0].0);
        assert_eq!(
            (nadeem.role, nadeem.chain_role),
            (PersonRole::Suspect, Some(ChainRole::MainAgent)),
            "{}",
            b.name
        );
        let transporter = role_of(aslam);
        assert_eq!(
            (transporter.role, transporter.chain_role),
            (PersonRole::Suspect, Some(ChainRole::Transporter)),
            "{}",
            b.name
        );
        let done = b.entry(e.id).await;
        assert_eq!(done.status, IntakeStatus::Done);
        assert_eq!(done.outcome, Some(IntakeOutcome::VictimInCase));
        assert_eq!(done.decision, Some(Classification::Smuggling));
        assert_eq!(done.suggestion, Some(Suggestion::Smuggling));
        assert_eq!(done.outcome_case_id, Some(case_id), "{}", b.name);
        let detail = done.outcome_detail.unwrap();
        assert_eq!(
            detail.case_number.as_deref(),
            Some(case.summary.number.to_string().as_str()),
            "{}",
            b.name
        );
        let mut linked = detail.agents_linked.clone();
        linked.sort();
        let mut expected = vec![agents[0].0, aslam];
        expected.sort();
        assert_eq!(linked, expected, "{}", b.name);
        // A smuggled migrant is no protected role: the name stays in the batch view.
        let view = b.app.view_batch(&io, batch.id).await.unwrap();
        let shown = view.entries.iter().find(|x| x.id == e.id).unwrap();
        assert!(!shown.pseudonymised);
        assert_eq!(shown.name_roman.as_deref(), Some("Muhammad Asif"));

        // A second person of the batch joins the same case by its number as a witness.
        let w = b.entry_of_row(batch.id, 3).await;
        let joined = b
            .app
            .record_outcome(
                &io,
                w.id,
                &OutcomeInput {
                    case_number: Some(case.summary.number.to_string()),
                    ..outcome("smuggling", "witness_in_case", w.version)
                },
            )
            .await
            .unwrap();
        assert_eq!(joined, Some(case_id), "{}", b.name);
        let witness = b.entry(w.id).await;
        assert_eq!(witness.outcome_case_id, Some(case_id));
        assert_eq!(
            witness.outcome_detail.unwrap().case_number,
            Some(case.summary.number.to_string()),
            "{}: the case joined is recorded with the outcome",
            b.name
        );
        assert_eq!(b.count("cases").await, cases + 1);
        let case = b.store.case_detail(case_id).await.unwrap().unwrap();
        assert_eq!(case.persons.len(), 4, "{}", b.name);
        let audit = b.store.audit_page(0, 100_000).await.unwrap();
        assert!(
            audit.iter().any(|x| x.action == "intake.outcome"
                && x.detail.contains(&case.summary.number.to_string())),
            "{}: the outcome's audit entry names the case",
            b.name
        );
        b.assert_audited(&["intake.interview", "intake.outcome"])
            .await;
    }
}

#[tokio::test]
async fn a_victim_registered_at_intake_is_pseudonymised_in_the_batch() {
    for b in both().await {
        let io = user(&b.app, "intake", "intake_officer", PORT).await;
        let inv = user(&b.app, "inv", "investigator", PORT).await;
        let batch = b.batch(&io, "Oman 25").await;
        b.import(&io, batch.id, "oman_deportation.csv", &oman())
            .await;
        let e = b.entry_of_row(batch.id, 9).await;
        assert_eq!(e.name_roman.as_deref(), Some("Rukhsana Kausar"));
        b.app
            .complete_interview(&io, e.id, &trafficking_interview())
            .await
            .unwrap();
        let e = b.entry(e.id).await;
        let case_id = b
            .app
            .record_outcome(
                &io,
                e.id,
                &OutcomeInput {
                    new_case: true,
                    ..outcome("trafficking", "victim_in_case", e.version)
                },
            )
            .await
            .unwrap()
            .unwrap();
        let case = b.store.case_detail(case_id).await.unwrap().unwrap();
        assert_eq!(case.summary.crime_types, ["tip"], "{}", b.name);
        assert_eq!(case.provisions, ["PTPA-2018-S3"], "{}", b.name);
        let roles: Vec<(PersonId, PersonRole)> = case
            .persons
            .iter()
            .map(|p| (p.person_id, p.role.role))
            .collect();
        assert!(
            roles.contains(&(e.person_id, PersonRole::Victim)),
            "{roles:?}"
        );
        let agent = agent_ids(&e)[0].0;
        assert!(roles.contains(&(agent, PersonRole::Suspect)), "{roles:?}");

        let view = b.app.view_batch(&io, batch.id).await.unwrap();
        let shown = view.entries.iter().find(|x| x.id == e.id).unwrap();
        assert!(shown.pseudonymised, "{}", b.name);
        assert_eq!(
            shown.name_roman.as_deref(),
            Some(pseudonym(e.person_id).as_str()),
            "{}",
            b.name
        );
        assert!(shown.name_roman.as_deref().unwrap().starts_with("P-"));
        assert!(shown.parentage_roman.is_none() && shown.identifiers.is_empty());
        // The others keep their names.
        let asif = view
            .entries
            .iter()
            .find(|x| x.source_row == Some(2))
            .unwrap();
        assert_eq!(asif.name_roman.as_deref(), Some("Muhammad Asif"));
        let one = b.app.view_entry(&io, e.id).await.unwrap();
        assert!(one.entry.pseudonymised, "{}", b.name);
        assert_ne!(one.entry.name_roman.as_deref(), Some("Rukhsana Kausar"));
        // The store still holds the name; a user who reveals it (with a reason) sees it.
        assert_eq!(
            b.entry(e.id).await.name_roman.as_deref(),
            Some("Rukhsana Kausar")
        );
        b.app
            .reveal_identity(&inv, e.person_id, "Recording her statement for the FIR")
            .await
            .unwrap();
        let view = b.app.view_batch(&inv, batch.id).await.unwrap();
        let shown = view.entries.iter().find(|x| x.id == e.id).unwrap();
        assert!(!shown.pseudonymised, "{}", b.name);
        assert_eq!(shown.name_roman.as_deref(), Some("Rukhsana Kausar"));
        // ... for them only.
        let view = b.app.view_batch(&io, batch.id).await.unwrap();
        assert!(
            view.entries
                .iter()
                .find(|x| x.id == e.id)
                .unwrap()
                .pseudonymised
        );
        b.assert_audited(&[
            "batch.create",
            "batch.import",
            "intake.interview",
            "intake.outcome",
            "batch.view",
            "identity.reveal",
        ])
        .await;
    }
}

// ---- Classification without a record --------------------------------------------------------------

#[tokio::test]
async fn classify_needs_no_record_and_writes_nothing() {
    for b in both().await {
        let before = b.snapshot().await;
        let audit = b.count("audit_log").await;
        let child = AssessmentFacts {
            age_years: Some(15),
            indicators: vec!["recruitment".into(), "purpose_forced_labour".into()],
            ..Default::default()
        };
        assert_eq!(
            b.app.classify(&child).unwrap().suggestion,
            Suggestion::Trafficking,
            "{}: for a child the means need not be shown",
            b.name
        );
        let bogus = AssessmentFacts {
            indicators: vec!["bogus".into()],
            ..Default::default()
        };
        assert!(b.app.classify(&bogus).is_err());
        assert_eq!(b.snapshot().await, before);
        assert_eq!(b.count("audit_log").await, audit);
    }
}

#[tokio::test]
async fn a_person_sealed_after_intake_disappears_from_the_batch() {
    for b in both().await {
        let io = user(&b.app, "intake", "intake_officer", PORT).await;
        let sup = user(&b.app, "sup", "supervisor", PORT).await;
        let named = user(&b.app, "named", "investigator", PORT).await;
        let batch = b.batch(&io, "Oman 26").await;
        b.import(&io, batch.id, "oman_deportation.csv", &oman())
            .await;
        let e = b.entry_of_row(batch.id, 2).await;
        // Named as an accused (no protected role, so no pseudonym), then sealed by court order.
        b.app
            .record_outcome(
                &io,
                e.id,
                &OutcomeInput {
                    new_case: true,
                    chain_role: Some("facilitator".into()),
                    ..outcome("smuggling", "accused_in_case", e.version)
                },
            )
            .await
            .unwrap();
        let before = b.app.view_batch(&io, batch.id).await.unwrap();
        let shown = before.entries.iter().find(|x| x.id == e.id).unwrap();
        assert_eq!(shown.name_roman.as_deref(), Some("Muhammad Asif"));
        b.app
            .seal_person(
                &sup,
                e.person_id,
                "Sindh High Court order 9/2025",
                &["named".to_string()],
            )
            .await
            .unwrap();
        let view = b.app.view_batch(&io, batch.id).await.unwrap();
        assert_eq!(view.entries.len(), 29, "{}", b.name);
        assert!(
            view.entries
                .iter()
                .all(|x| x.person_id != e.person_id
                    && x.name_roman.as_deref() != Some("Muhammad Asif")),
            "{}: a sealed person is shown in the batch",
            b.name
        );
        // Nor counted: the progress would tell that someone sealed passed through.
        assert_eq!(view_progress_total(&b, batch.id).await, 29, "{}", b.name);
        assert!(
            matches!(b.app.view_entry(&io, e.id).await, Err(CoreError::NotFound)),
            "{}",
            b.name
        );
        assert!(matches!(
            b.app
                .record_outcome(&io, e.id, &outcome("neither", "released", e.version + 1))
                .await,
            Err(CoreError::NotFound)
        ));
        assert_eq!(
            b.entry(e.id).await.outcome,
            Some(IntakeOutcome::AccusedInCase),
            "{}",
            b.name
        );
        let denied = b.audited("denied").await;
        assert!(
            denied.iter().any(|(a, id, who)| a == "intake.view"
                && *id == Some(e.id.to_string())
                && who == "intake"),
            "{}: {denied:?}",
            b.name
        );
        // The user named on the order still sees them.
        let view = b.app.view_batch(&named, batch.id).await.unwrap();
        assert_eq!(view.entries.len(), 30, "{}", b.name);
        assert!(b.app.view_entry(&named, e.id).await.is_ok());
        b.assert_audited(&["person.seal", "batch.view"]).await;
    }
}

#[tokio::test]
async fn the_same_file_submitted_twice_at_once_is_taken_once() {
    for b in both().await {
        let io = user(&b.app, "intake", "intake_officer", PORT).await;
        let batch = b.batch(&io, "Oman 27").await;
        let mut tasks = Vec::new();
        for _ in 0..3 {
            let app = b.app.clone();
            let io = io.clone();
            tasks.push(tokio::spawn(async move {
                app.import_manifest(&io, batch.id, "oman.csv", &oman(), true, None)
                    .await
                    .map(|o| o.result)
            }));
        }
        let mut imported = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok(ImportResult::Imported { .. }) => imported += 1,
                Ok(ImportResult::AlreadyImported { .. }) => {}
                other => panic!("{}: {other:?}", b.name),
            }
        }
        assert_eq!(imported, 1, "{}", b.name);
        assert_eq!(b.count("intake_entries").await, 30, "{}", b.name);
        assert_eq!(b.count("intake_imports").await, 1);
        b.assert_audited(&["batch.import"]).await;
    }
}

#[tokio::test]
async fn changing_a_completed_interview_asks_for_it_to_be_completed_again() {
    for b in both().await {
        let io = user(&b.app, "intake", "intake_officer", PORT).await;
        let batch = b.batch(&io, "Oman 31").await;
        b.import(&io, batch.id, "oman_deportation.csv", &oman())
            .await;
        let e = b.entry_of_row(batch.id, 2).await;
        b.app
            .complete_interview(&io, e.id, &smuggling_interview())
            .await
            .unwrap();
        let done = b.entry(e.id).await;
        assert_eq!(done.status, IntakeStatus::Interviewed, "{}", b.name);
        // The page offers the next person still to process: the one after, not this one.
        let second = b.entry_of_row(batch.id, 3).await;
        let view = b.app.view_entry(&io, e.id).await.unwrap();
        assert_eq!(view.next, Some(second.id), "{}", b.name);
        let last = b.entry_of_row(batch.id, 31).await;
        let view = b.app.view_entry(&io, last.id).await.unwrap();
        assert_eq!(view.next, Some(e.id), "{}: wraps to the first", b.name);
        // Saving the same interview again (an autosave after completion) changes nothing.
        b.app
            .save_interview_draft(&io, e.id, &smuggling_interview())
            .await
            .unwrap();
        assert_eq!(b.entry(e.id).await.status, IntakeStatus::Interviewed);
        // Changing a fact drops the suggestion: the interview is pending again...
        let mut changed = smuggling_interview();
        changed.facts.exploited_en_route = Some(true);
        b.app
            .save_interview_draft(&io, e.id, &changed)
            .await
            .unwrap();
        let reopened = b.entry(e.id).await;
        assert_eq!(reopened.status, IntakeStatus::Pending, "{}", b.name);
        assert!(reopened.suggestion.is_none(), "{}", b.name);
        // Completed again, it has a suggestion again.
        let persons = b.count("persons").await;
        b.app.complete_interview(&io, e.id, &changed).await.unwrap();
        let again = b.entry(e.id).await;
        assert_eq!(again.status, IntakeStatus::Interviewed, "{}", b.name);
        assert!(again.suggestion.is_some(), "{}", b.name);
        // The agents named before keep their records.
        assert_eq!(b.count("persons").await, persons, "{}", b.name);
    }
}

async fn view_progress_total(b: &Backend, batch: BatchId) -> i64 {
    IntakeStore::batch(&b.store, batch)
        .await
        .unwrap()
        .unwrap()
        .progress
        .total
}
