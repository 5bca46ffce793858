//! Intake: batches of deportees, offloadees and intercepted migrants; importing their manifests
//! with screening; the interview; the TIP / SOM assessment; and the outcome of each person.
//! Batches belong to the receiving unit: only its intake officers, investigators and supervisors
//! see them, and a batch of another unit is `NotFound` (audited as denied).

use super::*;
use crate::intake_store::*;
use crate::screening::{self, Gathered, ScreenResult};
use nigehban_domain::assessment::{assess, Assessment, AssessmentFacts};
use nigehban_domain::crime::CrimeType;
use nigehban_domain::ids::{BatchId, IntakeEntryId, WatchlistEntryId};
use nigehban_domain::intake::{
    BatchInput, Classification, IntakeOutcome, IntakeStatus, InterviewInput, WatchList,
};
use nigehban_domain::names::is_arabic_script;
use nigehban_domain::person::{pseudonym, ChainRole, ValidatedPerson};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Told how far a long import has gone: a stage (`read`, `screen`, `write`), done and total.
pub type Progress<'a> = &'a (dyn Fn(&str, u64, u64) + Send + Sync);

/// Rows screened per round trip: large enough to keep queries few, small enough to report progress.
const SCREEN_CHUNK: usize = 500;

/// One valid row of a manifest, ready to screen and take in.
#[derive(Debug, Clone)]
pub struct ImportRow {
    /// The row as a spreadsheet numbers it.
    pub row: i64,
    pub person: ValidatedPerson,
    pub extras: EntryExtras,
    /// Stable across re-imports of the same row (the store keeps it blind-indexed).
    pub fingerprint: String,
}

/// A manifest file after parsing: its valid rows and how many were refused.
#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub file_name: String,
    /// SHA-256 of the file's bytes: the same file is taken into a batch once.
    pub file_hash: String,
    pub rows: Vec<ImportRow>,
    pub total_rows: i64,
    pub rejected_rows: i64,
    /// Refuse the whole file when any row is invalid (otherwise take the valid rows and report
    /// the others).
    pub all_or_nothing: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ImportResult {
    /// The file could not be read as a manifest at all (see the problems).
    Unreadable,
    /// Nothing was written: some rows are invalid and the import is all-or-nothing.
    Refused { rejected_rows: i64 },
    /// This file was taken into the batch before; nothing was written again.
    AlreadyImported { import: ImportRecord },
    Imported {
        added: EntriesAdded,
        flagged: i64,
        victim_screening: i64,
        existing_persons: i64,
    },
}

/// What became of a manifest file: the located problems of its rows and what was written.
#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub file_name: String,
    pub total_rows: i64,
    pub rejected_rows: i64,
    pub problems: Vec<nigehban_sheets::LocatedProblem>,
    pub result: ImportResult,
}

/// A batch with its entries, as the receiving unit sees it.
#[derive(Debug, Clone)]
pub struct BatchView {
    pub batch: BatchRecord,
    pub entries: Vec<EntryRecord>,
}

/// One entry with its batch, the current suggestion and what the officer may do.
#[derive(Debug, Clone)]
pub struct EntryView {
    pub batch: BatchRecord,
    pub entry: EntryRecord,
    /// The assessment of the facts recorded so far (draft or completed).
    pub assessment: Option<Assessment>,
    /// The next person of the batch still to process.
    pub next: Option<IntakeEntryId>,
}

/// The decision and outcome as the officer gives them.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
#[serde(default)]
pub struct OutcomeInput {
    pub decision: Option<String>,
    pub outcome: Option<String>,
    /// For referrals.
    pub service: Option<String>,
    pub organisation: Option<String>,
    pub note: Option<String>,
    /// Join this case (its number) ...
    pub case_number: Option<String>,
    /// ... or open a new one.
    pub new_case: bool,
    /// For an accused: their place in the chain.
    pub chain_role: Option<String>,
    /// The version of the entry the officer saw (a concurrent change is refused, not overwritten).
    pub version: i64,
}

/// Services a person may be referred to at intake (issue-7 referrals build on these codes).
pub const SERVICES: &[&str] = &[
    "shelter",
    "medical",
    "psychosocial",
    "legal_aid",
    "repatriation",
    "family_tracing",
    "other",
];

/// What the completed interview stores beside the assessment: the suspect records of the agents.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
struct CompletedInterview {
    assessment: Option<Assessment>,
    agents: Vec<AgentRecord>,
}

#[derive(Debug, Clone, Serialize, serde::Deserialize)]
struct AgentRecord {
    name: String,
    person_id: PersonId,
    chain_role: ChainRole,
}

fn principal(actor: &Actor) -> Principal {
    Principal::User(actor.clone())
}

impl Nigehban {
    async fn own_batch(
        &self,
        actor: &Actor,
        id: BatchId,
        action: &str,
    ) -> Result<BatchRecord, CoreError> {
        match self.store.batch(id).await? {
            Some(b) if b.unit_id == actor.unit_id => Ok(b),
            _ => Err(self
                .deny(
                    actor,
                    action,
                    "batch",
                    Some(id.to_string()),
                    CoreError::NotFound,
                )
                .await),
        }
    }

    async fn own_entry(
        &self,
        actor: &Actor,
        id: IntakeEntryId,
        action: &str,
    ) -> Result<(BatchRecord, EntryRecord), CoreError> {
        let Some(entry) = self.store.entry(id).await? else {
            return Err(self
                .deny(
                    actor,
                    action,
                    "intake_entry",
                    Some(id.to_string()),
                    CoreError::NotFound,
                )
                .await);
        };
        let batch = self.own_batch(actor, entry.batch_id, action).await?;
        if !self.sealed_for(actor, &[entry.person_id]).await?.is_empty() {
            return Err(self
                .deny(
                    actor,
                    action,
                    "intake_entry",
                    Some(id.to_string()),
                    CoreError::NotFound,
                )
                .await);
        }
        Ok((batch, entry))
    }

    /// The persons among these whose records are sealed by court order without naming this user:
    /// they disappear from intake as from everywhere else.
    async fn sealed_for(
        &self,
        actor: &Actor,
        persons: &[PersonId],
    ) -> Result<HashSet<PersonId>, CoreError> {
        let mut ids = persons.to_vec();
        ids.sort();
        ids.dedup();
        // The store leaves sealed persons out of the screening candidates.
        let open: HashSet<PersonId> = self
            .store
            .candidates(&ids)
            .await?
            .into_iter()
            .map(|c| c.person_id)
            .collect();
        let scope = authorize(actor, Action::Intake)?;
        let now = super::cases::now_micros();
        let mut sealed = HashSet::new();
        for id in ids.into_iter().filter(|p| !open.contains(p)) {
            let named = self
                .store
                .person_relation(id, &scope, now)
                .await?
                .is_some_and(|r| !r.sealed || r.named_on_seal);
            if !named {
                sealed.insert(id);
            }
        }
        Ok(sealed)
    }

    /// Hide the identity of persons who hold a protected role, unless this user revealed it.
    async fn guard_entries(
        &self,
        actor: &Actor,
        entries: &mut [EntryRecord],
    ) -> Result<(), CoreError> {
        let now = super::cases::now_micros();
        for e in entries.iter_mut().filter(|e| e.protected) {
            if !self
                .store
                .has_active_reveal(e.person_id, actor.user_id, now)
                .await?
            {
                e.name_roman = Some(pseudonym(e.person_id));
                e.name_urdu = None;
                e.parentage_roman = None;
                e.parentage_urdu = None;
                e.identifiers.clear();
                e.pseudonymised = true;
            }
        }
        Ok(())
    }

    pub async fn create_batch(
        &self,
        actor: &Actor,
        input: &BatchInput,
    ) -> Result<BatchRecord, CoreError> {
        self.authorize(actor, Action::Intake, "batch.create", "batch", None)
            .await?;
        let batch = input.validate(&self.refdata, today())?;
        let new = NewBatch {
            id: BatchId::new(),
            unit_id: actor.unit_id,
            agency: actor.agency.clone(),
            batch,
            created_by: actor.user_id,
            created_at: Utc::now(),
        };
        let draft = AuditDraft::new(
            &principal(actor),
            "batch.create",
            "batch",
            Some(new.id.to_string()),
        )
        .detail(json!({"kind": new.batch.kind.as_str(), "post": new.batch.post}));
        self.store.insert_batch(&new, draft).await?;
        self.store.batch(new.id).await?.ok_or(CoreError::NotFound)
    }

    /// The batch, when the actor may take files into it (checked before an upload is read).
    pub async fn batch_for_intake(
        &self,
        actor: &Actor,
        id: BatchId,
    ) -> Result<BatchRecord, CoreError> {
        self.authorize(
            actor,
            Action::Intake,
            "batch.import",
            "batch",
            Some(id.to_string()),
        )
        .await?;
        self.own_batch(actor, id, "batch.import").await
    }

    /// The unit's batches, newest first.
    pub async fn batches(&self, actor: &Actor) -> Result<Vec<BatchRecord>, CoreError> {
        self.authorize(actor, Action::Intake, "batch.list", "batch", None)
            .await?;
        let out = self.store.batches(actor.unit_id, 200).await?;
        self.store
            .append_audit(AuditDraft::new(
                &principal(actor),
                "batch.list",
                "batch",
                None,
            ))
            .await?;
        Ok(out)
    }

    pub async fn view_batch(&self, actor: &Actor, id: BatchId) -> Result<BatchView, CoreError> {
        self.authorize(
            actor,
            Action::Intake,
            "batch.view",
            "batch",
            Some(id.to_string()),
        )
        .await?;
        let batch = self.own_batch(actor, id, "batch.view").await?;
        let mut entries = self.store.entries(id).await?;
        let persons: Vec<PersonId> = entries.iter().map(|e| e.person_id).collect();
        let sealed = self.sealed_for(actor, &persons).await?;
        entries.retain(|e| !sealed.contains(&e.person_id));
        self.guard_entries(actor, &mut entries).await?;
        self.store
            .append_audit(AuditDraft::new(
                &principal(actor),
                "batch.view",
                "batch",
                Some(id.to_string()),
            ))
            .await?;
        Ok(BatchView { batch, entries })
    }

    /// The name tables (checked at start by the binary; an error here means a broken build).
    pub(super) fn names(&self) -> Result<&'static nigehban_names::NameTables, CoreError> {
        nigehban_names::NameTables::embedded()
            .map_err(|e| CoreError::Store(StoreError::Corrupt(format!("name tables: {e}"))))
    }

    /// Gather from the store what screening needs for these persons.
    async fn gather(&self, persons: &[&ValidatedPerson]) -> Result<Gathered, CoreError> {
        let names = self.names()?;
        let mut g = Gathered::default();
        let ids: Vec<Identifier> = persons
            .iter()
            .flat_map(|p| screening::strong_identifiers(p).cloned())
            .collect();
        for (i, pid) in self.store.persons_by_identifiers(&ids).await? {
            g.by_identifier
                .entry((i.kind, i.value))
                .or_default()
                .push(pid);
        }
        let mut keys: Vec<String> = persons
            .iter()
            .flat_map(|p| screening::match_keys(names, p))
            .collect();
        keys.sort();
        keys.dedup();
        for (k, pid) in self
            .store
            .persons_by_match_keys(&keys, screening::PER_KEY_LIMIT)
            .await?
        {
            g.by_key.entry(k).or_default().push(pid);
        }
        let mut wanted: Vec<PersonId> = g
            .by_identifier
            .values()
            .chain(g.by_key.values())
            .flatten()
            .copied()
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        wanted.sort();
        for c in self.store.candidates(&wanted).await? {
            g.candidates.insert(c.person_id, c);
        }
        // Sealed persons were left out of the candidates: forget their identifier hits too.
        for v in g.by_identifier.values_mut() {
            v.retain(|p| g.candidates.contains_key(p));
        }
        let known: Vec<PersonId> = g.candidates.keys().copied().collect();
        for e in self.store.encounters(&known).await? {
            g.encounters.entry(e.person_id).or_default().push(e);
        }
        for w in self.store.watchlist_of(&known).await? {
            g.watchlist.entry(w.person_id).or_default().push(w);
        }
        Ok(g)
    }

    async fn screen_rows_inner(
        &self,
        rows: &[(&ValidatedPerson, Option<&str>)],
        batch: Option<BatchId>,
    ) -> Result<Vec<ScreenResult>, CoreError> {
        let persons: Vec<&ValidatedPerson> = rows.iter().map(|(p, _)| *p).collect();
        let g = self.gather(&persons).await?;
        let names = self.names()?;
        Ok(rows
            .iter()
            .map(|(p, origin_raw)| {
                let doubts = nigehban_domain::intake::nationality_doubts(
                    p,
                    *origin_raw,
                    &self.refdata,
                    &self.refdata.intake,
                );
                screening::flags_for(names, p, doubts, &g, batch)
            })
            .collect())
    }

    /// Screen persons without taking them in (a preview, and the benchmark's measure).
    pub async fn screen_rows(
        &self,
        actor: &Actor,
        rows: &[(&ValidatedPerson, Option<&str>)],
    ) -> Result<Vec<ScreenResult>, CoreError> {
        self.authorize(actor, Action::Intake, "intake.screen", "batch", None)
            .await?;
        let out = self.screen_rows_inner(rows, None).await?;
        self.store
            .append_audit(
                AuditDraft::new(&principal(actor), "intake.screen", "batch", None)
                    .detail(json!({"persons": rows.len()})),
            )
            .await?;
        Ok(out)
    }

    fn new_entry(&self, actor: &Actor, row: ImportRow, result: ScreenResult) -> NewEntry {
        let person = match result.existing {
            Some(pid) => EntryPerson::Existing(pid),
            None => EntryPerson::New(Box::new(NewPerson {
                id: PersonId::new(),
                person: row.person,
                agency: actor.agency.clone(),
                created_by: actor.user_id,
                created_at: Utc::now(),
            })),
        };
        NewEntry {
            id: IntakeEntryId::new(),
            person,
            source_row: Some(row.row),
            fingerprint: row.fingerprint,
            flags: result.flags,
            victim_screening: result.victim_screening,
            extras: row.extras,
        }
    }

    /// Read a manifest file (CSV or XLSX, as foreign authorities send them), validate every row,
    /// screen the valid ones and take them into the batch: all rows or none when `all_or_nothing`
    /// (the default), otherwise the valid ones, the others reported with file, row and column.
    pub async fn import_manifest(
        &self,
        actor: &Actor,
        batch_id: BatchId,
        file_name: &str,
        bytes: &[u8],
        all_or_nothing: bool,
        progress: Option<Progress<'_>>,
    ) -> Result<ImportOutcome, CoreError> {
        self.batch_for_intake(actor, batch_id).await?;
        if let Some(p) = progress {
            p("read", 0, 1);
        }
        let report = match nigehban_sheets::parse_manifest(file_name, bytes, &self.refdata, today())
        {
            Ok(r) => r,
            Err(failure) => {
                return Ok(ImportOutcome {
                    file_name: file_name.to_string(),
                    total_rows: 0,
                    rejected_rows: 0,
                    problems: failure.problems,
                    result: ImportResult::Unreadable,
                })
            }
        };
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let req = ImportRequest {
            file_name: file_name.to_string(),
            file_hash: hex::encode(<sha2::Sha256 as sha2::Digest>::digest(bytes)),
            rows: report
                .rows
                .into_iter()
                .map(|r| ImportRow {
                    row: count(r.row),
                    person: r.person,
                    extras: EntryExtras {
                        arrival_date: r.extra.arrival_date,
                        reason: r.extra.reason,
                        flight_or_vessel: r.extra.flight_or_vessel,
                        remarks: r.extra.remarks,
                        origin_raw: r.extra.origin_raw,
                    },
                    fingerprint: r.fingerprint,
                })
                .collect(),
            total_rows: count(report.total_rows),
            rejected_rows: count(report.rejected_rows),
            all_or_nothing,
        };
        let (total_rows, rejected_rows) = (req.total_rows, req.rejected_rows);
        let result = self.import_rows(actor, batch_id, req, progress).await?;
        Ok(ImportOutcome {
            file_name: file_name.to_string(),
            total_rows,
            rejected_rows,
            problems: report.problems,
            result,
        })
    }

    /// Take parsed rows into a batch: screen every row, then write all of them (and the import
    /// record) in one transaction, or nothing.
    pub async fn import_rows(
        &self,
        actor: &Actor,
        batch_id: BatchId,
        req: ImportRequest,
        progress: Option<Progress<'_>>,
    ) -> Result<ImportResult, CoreError> {
        self.batch_for_intake(actor, batch_id).await?;
        if req.rejected_rows > 0 && req.all_or_nothing {
            return Ok(ImportResult::Refused {
                rejected_rows: req.rejected_rows,
            });
        }
        if let Some(import) = self.store.import_of(batch_id, &req.file_hash).await? {
            return Ok(ImportResult::AlreadyImported { import });
        }
        let total = u64::try_from(req.rows.len()).unwrap_or(u64::MAX);
        let mut screened = Vec::with_capacity(req.rows.len());
        for chunk in req.rows.chunks(SCREEN_CHUNK) {
            let rows: Vec<(&ValidatedPerson, Option<&str>)> = chunk
                .iter()
                .map(|r| (&r.person, r.extras.origin_raw.as_deref()))
                .collect();
            screened.extend(self.screen_rows_inner(&rows, Some(batch_id)).await?);
            if let Some(p) = progress {
                p(
                    "screen",
                    u64::try_from(screened.len()).unwrap_or(u64::MAX),
                    total,
                );
            }
        }
        let now = Utc::now();
        let mut existing_ids = Vec::new();
        let import = ImportRecord {
            id: uuid::Uuid::now_v7().to_string(),
            batch_id,
            file_name: req.file_name.clone(),
            file_hash: req.file_hash.clone(),
            rows_total: req.total_rows,
            rows_added: 0,
            rows_rejected: req.rejected_rows,
            by_user: actor.user_id,
            at: now,
        };
        let entries: Vec<NewEntry> = req
            .rows
            .into_iter()
            .zip(screened)
            .map(|(row, result)| {
                // Remember which rows named a recorded person, for the summary below.
                let existing = result.existing.is_some();
                let e = self.new_entry(actor, row, result);
                if existing {
                    existing_ids.push(e.id);
                }
                e
            })
            .collect();
        let draft = AuditDraft::new(
            &principal(actor),
            "batch.import",
            "batch",
            Some(batch_id.to_string()),
        )
        .detail(
            json!({"file": req.file_name, "rows": req.total_rows, "rejected": req.rejected_rows}),
        );
        if let Some(p) = progress {
            p("write", 0, total);
        }
        let added = match self
            .store
            .insert_entries(batch_id, Some(&import), &entries, actor.user_id, now, draft)
            .await
        {
            Ok(added) => added,
            Err(e) => {
                // The same file taken in meanwhile (a double submit): say so, not a database error.
                if let Some(import) = self.store.import_of(batch_id, &req.file_hash).await? {
                    return Ok(ImportResult::AlreadyImported { import });
                }
                return Err(e.into());
            }
        };
        if let Some(p) = progress {
            p("write", total, total);
        }
        // The summary counts only the rows taken in, not those already in the batch.
        let skipped: HashSet<IntakeEntryId> = added.skipped.iter().copied().collect();
        let arrived: Vec<PersonId> = entries
            .iter()
            .filter(|e| !skipped.contains(&e.id))
            .filter_map(|e| match &e.person {
                EntryPerson::New(np) => Some(np.id),
                EntryPerson::Existing(_) => None,
            })
            .collect();
        self.link_arrivals(&principal(actor), &arrived).await;
        let taken = entries.iter().filter(|e| !skipped.contains(&e.id));
        let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
        let (mut flagged, mut victim_screening) = (0, 0);
        for e in taken {
            flagged += usize::from(!e.flags.is_empty());
            victim_screening += usize::from(e.victim_screening);
        }
        let existing_persons = existing_ids.iter().filter(|i| !skipped.contains(i)).count();
        Ok(ImportResult::Imported {
            added,
            flagged: count(flagged),
            victim_screening: count(victim_screening),
            existing_persons: count(existing_persons),
        })
    }

    /// Add one person who is on no list (quick-add at the counter), screened like an import.
    pub async fn quick_add(
        &self,
        actor: &Actor,
        batch_id: BatchId,
        input: &PersonInput,
    ) -> Result<IntakeEntryId, CoreError> {
        self.authorize(
            actor,
            Action::Intake,
            "batch.quick_add",
            "batch",
            Some(batch_id.to_string()),
        )
        .await?;
        self.own_batch(actor, batch_id, "batch.quick_add").await?;
        let person = input.validate(&self.refdata, today())?;
        let result = self
            .screen_rows_inner(&[(&person, None)], Some(batch_id))
            .await?
            .into_iter()
            .next()
            .unwrap_or_default();
        let row = ImportRow {
            row: 0,
            // Manual entries are never "the same row again": each is its own.
            fingerprint: format!("manual:{}", uuid::Uuid::now_v7()),
            person,
            extras: EntryExtras::default(),
        };
        let mut entry = self.new_entry(actor, row, result);
        entry.source_row = None;
        let id = entry.id;
        let draft = AuditDraft::new(
            &principal(actor),
            "batch.quick_add",
            "batch",
            Some(batch_id.to_string()),
        );
        let added = self
            .store
            .insert_entries(batch_id, None, &[entry], actor.user_id, Utc::now(), draft)
            .await?;
        if added.added == 0 {
            return Err(CoreError::Conflict("already-in-batch".into()));
        }
        Ok(id)
    }

    pub async fn view_entry(
        &self,
        actor: &Actor,
        id: IntakeEntryId,
    ) -> Result<EntryView, CoreError> {
        self.authorize(
            actor,
            Action::Intake,
            "intake.view",
            "intake_entry",
            Some(id.to_string()),
        )
        .await?;
        let (batch, mut entry) = self.own_entry(actor, id, "intake.view").await?;
        self.guard_entries(actor, std::slice::from_mut(&mut entry))
            .await?;
        self.store
            .append_audit(AuditDraft::new(
                &principal(actor),
                "intake.view",
                "intake_entry",
                Some(id.to_string()),
            ))
            .await?;
        let assessment = entry.interview.as_ref().and_then(|i| {
            let on = i
                .departure_date
                .as_deref()
                .and_then(|d| nigehban_domain::person::parse_date(d).ok())
                .unwrap_or(batch.arrival_date);
            self.classify_for(&entry, &i.facts, on).ok()
        });
        let next = self.store.next_to_process(batch.id, entry.seq).await?;
        Ok(EntryView {
            batch,
            entry,
            assessment,
            next,
        })
    }

    /// The assessment of a set of facts for this entry's person. Their age *when the events
    /// began* (`on`: the departure, else the arrival of the batch) fills in whether they were a
    /// child: someone trafficked at 16 is a child victim even if 19 when interviewed.
    fn classify_for(
        &self,
        entry: &EntryRecord,
        facts: &AssessmentFacts,
        on: NaiveDate,
    ) -> Result<Assessment, ValidationErrors> {
        let mut facts = facts.clone();
        if facts.age_years.is_none() {
            facts.age_years = entry.age.age_on(on);
        }
        assess(&facts, &self.refdata)
    }

    /// The TIP / SOM assessment of any set of facts (no record is read or written).
    pub fn classify(&self, facts: &AssessmentFacts) -> Result<Assessment, ValidationErrors> {
        assess(facts, &self.refdata)
    }

    /// Keep what has been typed so far (called as the officer types; nothing is validated).
    pub async fn save_interview_draft(
        &self,
        actor: &Actor,
        id: IntakeEntryId,
        draft: &InterviewInput,
    ) -> Result<DateTime<Utc>, CoreError> {
        self.authorize(
            actor,
            Action::Intake,
            "intake.draft",
            "intake_entry",
            Some(id.to_string()),
        )
        .await?;
        let (_, entry) = self.own_entry(actor, id, "intake.draft").await?;
        if entry.status == IntakeStatus::Done {
            return Err(CoreError::Conflict("entry-done".into()));
        }
        let at = Utc::now();
        let reopen =
            entry.status == IntakeStatus::Interviewed && entry.interview.as_ref() != Some(draft);
        let save = InterviewSave {
            entry: id,
            draft: draft.clone(),
            completed: None,
            new_persons: Vec::new(),
            reopen,
            by: actor.user_id,
            at,
        };
        let audit = AuditDraft::new(
            &principal(actor),
            "intake.draft",
            "intake_entry",
            Some(id.to_string()),
        );
        self.store.save_interview(&save, Some(audit)).await?;
        Ok(at)
    }

    /// Complete the interview: validate it, assess it, and make each named agent a suspect record
    /// (linked to a recorded person with the same phone, or new).
    pub async fn complete_interview(
        &self,
        actor: &Actor,
        id: IntakeEntryId,
        input: &InterviewInput,
    ) -> Result<Assessment, CoreError> {
        self.authorize(
            actor,
            Action::Intake,
            "intake.interview",
            "intake_entry",
            Some(id.to_string()),
        )
        .await?;
        let (batch, entry) = self.own_entry(actor, id, "intake.interview").await?;
        if entry.status == IntakeStatus::Done {
            return Err(CoreError::Conflict("entry-done".into()));
        }
        let interview = input.validate(&self.refdata, &self.refdata.intake, today())?;
        let on = interview.departure_date.unwrap_or(batch.arrival_date);
        let assessment = self.classify_for(&entry, &interview.facts, on)?;
        let previous: CompletedInterview = entry
            .assessment
            .clone()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        let phones: Vec<Identifier> = interview
            .agents
            .iter()
            .filter_map(|a| a.phone.as_ref().map(Identifier::phone))
            .collect();
        let by_phone: HashMap<String, PersonId> = self
            .store
            .persons_by_identifiers(&phones)
            .await?
            .into_iter()
            .map(|(i, p)| (i.value, p))
            .collect();
        let mut agents = Vec::new();
        let mut new_persons = Vec::new();
        for a in &interview.agents {
            let reuse = previous
                .agents
                .iter()
                .find(|r| r.name.eq_ignore_ascii_case(&a.name))
                .map(|r| r.person_id)
                .or_else(|| {
                    a.phone
                        .as_ref()
                        .and_then(|p| by_phone.get(p.as_str()).copied())
                });
            let person_id = match reuse {
                Some(p) => p,
                None => {
                    let urdu = a.name.chars().any(is_arabic_script);
                    let pin = PersonInput {
                        name_roman: (!urdu).then(|| a.name.clone()),
                        name_urdu: urdu.then(|| a.name.clone()),
                        sex: Some("unknown".into()),
                        phone: a.phone.as_ref().map(|p| p.as_str().to_string()),
                        address: a.place.clone(),
                        notes: Some(format!("Named at intake ({}).", pseudonym(entry.person_id))),
                        ..Default::default()
                    };
                    let person = pin.validate(&self.refdata, today()).map_err(|e| {
                        let mut errs = ValidationErrors::new();
                        errs.extend_prefixed("agents", e);
                        CoreError::Invalid(errs)
                    })?;
                    let np = NewPerson {
                        id: PersonId::new(),
                        person,
                        agency: actor.agency.clone(),
                        created_by: actor.user_id,
                        created_at: Utc::now(),
                    };
                    let pid = np.id;
                    new_persons.push(np);
                    pid
                }
            };
            agents.push(AgentRecord {
                name: a.name.clone(),
                person_id,
                chain_role: a.chain_role,
            });
        }
        let stored = CompletedInterview {
            assessment: Some(assessment.clone()),
            agents,
        };
        let save = InterviewSave {
            entry: id,
            draft: input.clone(),
            completed: Some((
                assessment.suggestion,
                serde_json::to_value(&stored)
                    .map_err(|e| CoreError::Store(StoreError::Corrupt(e.to_string())))?,
            )),
            new_persons,
            reopen: false,
            by: actor.user_id,
            at: Utc::now(),
        };
        let audit = AuditDraft::new(
            &principal(actor),
            "intake.interview",
            "intake_entry",
            Some(id.to_string()),
        )
        .detail(
            json!({"suggestion": assessment.suggestion.as_str(), "agents": stored.agents.len()}),
        );
        self.store.save_interview(&save, Some(audit)).await?;
        Ok(assessment)
    }

    /// Record the officer's decision and the outcome, opening or joining a case when the outcome
    /// puts the person in one (with the agents they named as suspects).
    pub async fn record_outcome(
        &self,
        actor: &Actor,
        id: IntakeEntryId,
        input: &OutcomeInput,
    ) -> Result<Option<CaseId>, CoreError> {
        self.authorize(
            actor,
            Action::Intake,
            "intake.outcome",
            "intake_entry",
            Some(id.to_string()),
        )
        .await?;
        let (batch, entry) = self.own_entry(actor, id, "intake.outcome").await?;
        if entry.status == IntakeStatus::Done {
            return Err(CoreError::Conflict("entry-done".into()));
        }
        let mut errs = ValidationErrors::new();
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_string)
        };
        let decision = match text(&input.decision) {
            None => {
                errs.add("decision", Problem::Required);
                None
            }
            Some(d) => errs.take(
                "decision",
                Classification::parse(&d).ok_or(Problem::UnknownCode { value: d.clone() }),
            ),
        };
        let outcome = match text(&input.outcome) {
            None => {
                errs.add("outcome", Problem::Required);
                None
            }
            Some(o) => errs.take(
                "outcome",
                IntakeOutcome::parse(&o).ok_or(Problem::UnknownCode { value: o.clone() }),
            ),
        };
        let service = text(&input.service);
        if outcome == Some(IntakeOutcome::Referred) {
            match &service {
                None => errs.add("service", Problem::Required),
                Some(s) if !SERVICES.contains(&s.as_str()) => {
                    errs.add("service", Problem::UnknownCode { value: s.clone() })
                }
                _ => {}
            }
        }
        let organisation = text(&input.organisation);
        if let Some(o) = &organisation {
            if self.store.unit_by_code(o).await?.is_none() {
                errs.add("organisation", Problem::UnknownCode { value: o.clone() });
            }
        }
        let note = errs
            .take(
                "note",
                nigehban_domain::error::optional_text(input.note.as_deref(), 2000),
            )
            .flatten();
        let needs_case = outcome.is_some_and(IntakeOutcome::needs_case);
        let chain_role = match (outcome, text(&input.chain_role)) {
            (Some(IntakeOutcome::AccusedInCase), None) => Some(ChainRole::Facilitator),
            (Some(IntakeOutcome::AccusedInCase), Some(c)) => errs.take(
                "chain_role",
                ChainRole::parse(&c).ok_or(Problem::UnknownCode { value: c.clone() }),
            ),
            _ => None,
        };
        let existing_case = match (needs_case, text(&input.case_number), input.new_case) {
            (true, Some(n), false) => match CaseNumber::parse(&n) {
                Ok(num) => Some(num),
                Err(p) => {
                    errs.add("case_number", p);
                    None
                }
            },
            (true, None, false) => {
                errs.add("case_number", Problem::Required);
                None
            }
            _ => None,
        };
        let (Some(decision), Some(outcome)) = (decision, outcome) else {
            return Err(CoreError::Invalid(errs));
        };
        if !errs.is_empty() {
            return Err(CoreError::Invalid(errs));
        }
        let completed: CompletedInterview = entry
            .assessment
            .clone()
            .and_then(|v| serde_json::from_value(v).ok())
            .unwrap_or_default();
        let role = match outcome {
            IntakeOutcome::VictimInCase if decision == Classification::Smuggling => CaseRole {
                role: PersonRole::SmuggledMigrant,
                chain_role: None,
            },
            IntakeOutcome::VictimInCase => CaseRole {
                role: PersonRole::Victim,
                chain_role: None,
            },
            IntakeOutcome::WitnessInCase => CaseRole {
                role: PersonRole::Witness,
                chain_role: None,
            },
            _ => CaseRole {
                role: PersonRole::Suspect,
                chain_role,
            },
        };
        let now = Utc::now();
        let mut new_case = None;
        let mut case_id = None;
        let mut already: HashSet<PersonId> = HashSet::new();
        // The number of a case joined (the store fills in the number of a case it opens).
        let joined_number = existing_case.as_ref().map(ToString::to_string);
        if needs_case {
            if let Some(num) = existing_case {
                let scope = self
                    .authorize(
                        actor,
                        Action::AddPersonToCase,
                        "intake.outcome",
                        "case",
                        None,
                    )
                    .await?;
                let q = SearchQuery {
                    scope: scope.clone(),
                    now: super::cases::now_micros(),
                    folded_text: String::new(),
                    identifiers: Vec::new(),
                    case_number: Some(num.clone()),
                    limit: 1,
                };
                let found = self.store.search_cases(&q).await?.into_iter().next();
                let Some(found) = found.filter(|c| c.number == num) else {
                    return Err(CoreError::Invalid(ValidationErrors::single(
                        "case_number",
                        Problem::UnknownCode {
                            value: num.to_string(),
                        },
                    )));
                };
                let access = self
                    .case_access(actor, &scope, found.id, "intake.outcome")
                    .await?;
                if !access.work {
                    return Err(self
                        .deny(
                            actor,
                            "intake.outcome",
                            "case",
                            Some(found.id.to_string()),
                            CoreError::Forbidden("add-person"),
                        )
                        .await);
                }
                if let Some(detail) = self.store.case_detail(found.id).await? {
                    already.extend(detail.persons.iter().map(|p| p.person_id));
                }
                case_id = Some(found.id);
            } else {
                self.authorize(actor, Action::RegisterCase, "intake.outcome", "case", None)
                    .await?;
                let c = self.case_from_intake(&batch, &entry, decision)?;
                case_id = Some(c.id);
                new_case = Some(NewCase {
                    id: c.id,
                    unit_id: actor.unit_id,
                    unit_code: actor.unit_code.clone(),
                    agency: actor.agency.clone(),
                    year: now.year(),
                    case: c.case,
                    stage: CaseStage::Complaint,
                    created_by: actor.user_id,
                    created_at: now,
                });
            }
        }
        let mut links = Vec::new();
        if case_id.is_some() {
            if !already.contains(&entry.person_id) {
                links.push((
                    CasePersonId::new(),
                    LinkTarget::Existing(entry.person_id),
                    role,
                ));
            }
            if decision != Classification::Neither {
                for a in &completed.agents {
                    if already.insert(a.person_id) && a.person_id != entry.person_id {
                        links.push((
                            CasePersonId::new(),
                            LinkTarget::Existing(a.person_id),
                            CaseRole {
                                role: PersonRole::Suspect,
                                chain_role: Some(a.chain_role),
                            },
                        ));
                    }
                }
            }
        }
        let write = OutcomeWrite {
            entry: id,
            expected_version: input.version,
            decision,
            outcome,
            detail: OutcomeDetail {
                service,
                organisation,
                note,
                case_number: joined_number,
                agents_linked: Vec::new(),
            },
            new_case,
            case_id,
            links,
            by: actor.user_id,
            at: now,
        };
        let audit = AuditDraft::new(&principal(actor), "intake.outcome", "intake_entry", Some(id.to_string()))
            .detail(json!({"decision": decision.as_str(), "outcome": outcome.as_str(), "suggestion": entry.suggestion.map(|s| s.as_str())}));
        match self.store.record_outcome(&write, audit).await {
            Ok(()) => {
                // Agents named in the interview are suspects now: link them, raise alerts.
                let named: Vec<PersonId> = write
                    .links
                    .iter()
                    .filter_map(|(_, t, _)| match t {
                        LinkTarget::New(np) => Some(np.id),
                        LinkTarget::Existing(_) => None,
                    })
                    .collect();
                self.link_arrivals(&principal(actor), &named).await;
                // The existing persons linked now may have become known agents too.
                let linked: Vec<PersonId> = write
                    .links
                    .iter()
                    .map(|(_, t, _)| match t {
                        LinkTarget::New(np) => np.id,
                        LinkTarget::Existing(id) => *id,
                    })
                    .chain(std::iter::once(entry.person_id))
                    .collect();
                if let Err(e) = self
                    .scan_agent_links(&principal(actor), &actor.agency, Some(&linked))
                    .await
                {
                    tracing::warn!(error = %e, "agent-link scan failed");
                }
                Ok(case_id)
            }
            Err(StoreError::Stale(_)) => Err(CoreError::Conflict("entry-changed".into())),
            Err(e) => Err(e.into()),
        }
    }

    /// A new case for an intake outcome: crime types from the decision, the main offence sections
    /// in force, the person's home district (else the receiving post's), and the route as narrative.
    fn case_from_intake(
        &self,
        batch: &BatchRecord,
        entry: &EntryRecord,
        decision: Classification,
    ) -> Result<IntakeCase, CoreError> {
        let crime_types: Vec<CrimeType> = match decision {
            Classification::Trafficking => vec![CrimeType::Tip],
            Classification::Smuggling => vec![CrimeType::Som],
            Classification::Both => vec![CrimeType::Tip, CrimeType::Som],
            Classification::Neither => vec![CrimeType::UnlawfulEmigration],
        };
        // Only a completed interview (validated) informs the case; a draft, or one changed after
        // completion, does not: the case then takes the batch's place and date.
        let interview = if entry.status == IntakeStatus::Interviewed {
            entry.interview.clone().unwrap_or_default()
        } else {
            InterviewInput::default()
        };
        let district = interview
            .origin_district
            .clone()
            .filter(|d| self.refdata.district(d).is_some())
            .or_else(|| entry.origin_district.clone())
            .or_else(|| self.refdata.place(&batch.post).map(|p| p.district.clone()))
            .unwrap_or_default();
        let province = self
            .refdata
            .district(&district)
            .map(|d| d.province.clone())
            .unwrap_or_default();
        let offence_date = interview
            .departure_date
            .clone()
            .filter(|d| nigehban_domain::person::parse_date(d).is_ok())
            .unwrap_or_else(|| batch.arrival_date.to_string());
        let date = nigehban_domain::person::parse_date(&offence_date).unwrap_or(batch.arrival_date);
        let set: std::collections::BTreeSet<CrimeType> = crime_types.iter().copied().collect();
        // The main section of each crime type, where it was in force on the date.
        let provisions: Vec<String> = set
            .iter()
            .filter_map(|c| self.refdata.intake.case_provision(*c))
            .filter(|code| {
                self.refdata
                    .provision(code)
                    .is_some_and(|p| p.in_force_on(date))
            })
            .map(str::to_string)
            .collect();
        let input = CaseInput {
            title: Some(format!(
                "{} {} {}",
                batch.kind.as_str().replace('_', " "),
                batch
                    .reference
                    .clone()
                    .unwrap_or_else(|| batch.post.clone()),
                batch.arrival_date
            )),
            crime_types: crime_types.iter().map(|c| c.as_str().to_string()).collect(),
            exploitation_forms: interview
                .facts
                .exploitation_forms
                .iter()
                .map(|f| f.as_str().to_string())
                .collect(),
            provisions,
            province: Some(province),
            district: Some(district),
            offence_date: Some(offence_date),
            narrative: interview.notes.clone(),
        };
        let case = input.validate(&self.refdata, today())?;
        Ok(IntakeCase {
            id: CaseId::new(),
            case,
        })
    }

    // ---- Watch lists -------------------------------------------------------------------------

    pub async fn watchlist(
        &self,
        actor: &Actor,
        list: Option<WatchList>,
    ) -> Result<Vec<WatchlistRecord>, CoreError> {
        self.authorize(
            actor,
            Action::ViewWatchlist,
            "watchlist.view",
            "watchlist",
            None,
        )
        .await?;
        let out = self.store.watchlist(list, 1000).await?;
        self.store
            .append_audit(AuditDraft::new(
                &principal(actor),
                "watchlist.view",
                "watchlist",
                None,
            ))
            .await?;
        Ok(out)
    }

    /// Put persons on a list (each a new record, or a recorded person with the same CNIC or
    /// passport), in one transaction.
    pub async fn add_to_watchlist(
        &self,
        actor: &Actor,
        list: WatchList,
        edition: &str,
        persons: Vec<(ValidatedPerson, Option<String>, Option<String>)>,
    ) -> Result<usize, CoreError> {
        self.authorize(
            actor,
            Action::ManageWatchlist,
            "watchlist.add",
            "watchlist",
            None,
        )
        .await?;
        let edition = nigehban_domain::error::required_text(Some(edition), 80)
            .map_err(|p| CoreError::Invalid(ValidationErrors::single("edition", p)))?;
        let ids: Vec<Identifier> = persons
            .iter()
            .flat_map(|(p, _, _)| screening::strong_identifiers(p).cloned())
            .collect();
        let found: HashMap<(String, String), PersonId> = self
            .store
            .persons_by_identifiers(&ids)
            .await?
            .into_iter()
            .map(|(i, p)| ((i.kind.as_str().to_string(), i.value), p))
            .collect();
        let now = Utc::now();
        let mut entries = Vec::new();
        for (p, reference, offence) in persons {
            let existing = screening::strong_identifiers(&p).find_map(|i| {
                found
                    .get(&(i.kind.as_str().to_string(), i.value.clone()))
                    .copied()
            });
            let person = match existing {
                Some(pid) => EntryPerson::Existing(pid),
                None => EntryPerson::New(Box::new(NewPerson {
                    id: PersonId::new(),
                    person: p,
                    agency: actor.agency.clone(),
                    created_by: actor.user_id,
                    created_at: now,
                })),
            };
            entries.push(NewWatchlistEntry {
                id: WatchlistEntryId::new(),
                person,
                list,
                edition: edition.clone(),
                reference,
                offence,
                added_by: actor.user_id,
                added_at: now,
            });
        }
        let n = entries.len();
        let audit = AuditDraft::new(&principal(actor), "watchlist.add", "watchlist", None)
            .detail(json!({"list": list.as_str(), "edition": edition, "persons": n}));
        self.store.insert_watchlist(&entries, audit).await?;
        // Everyone on the list is a known agent now: persons recorded after them who share an
        // identifier with them are leads from this moment.
        let listed: Vec<PersonId> = entries
            .iter()
            .map(|e| match &e.person {
                EntryPerson::Existing(pid) => *pid,
                EntryPerson::New(np) => np.id,
            })
            .collect();
        if let Err(e) = self
            .scan_agent_links(&principal(actor), &actor.agency, Some(&listed))
            .await
        {
            tracing::warn!(error = %e, "agent-link scan failed");
        }
        Ok(n)
    }

    /// Put one person, as typed into the form, on a list.
    pub async fn add_person_to_watchlist(
        &self,
        actor: &Actor,
        list: &str,
        edition: &str,
        person: &PersonInput,
        reference: Option<String>,
        offence: Option<String>,
    ) -> Result<(), CoreError> {
        self.authorize(
            actor,
            Action::ManageWatchlist,
            "watchlist.add",
            "watchlist",
            None,
        )
        .await?;
        let mut errs = ValidationErrors::new();
        let list = match WatchList::parse(list) {
            Some(l) => Some(l),
            None => {
                errs.add("list", Problem::Required);
                None
            }
        };
        if edition.trim().is_empty() {
            errs.add("edition", Problem::Required);
        }
        let person = match person.validate(&self.refdata, today()) {
            Ok(p) => Some(p),
            Err(e) => {
                errs.0.extend(e.0);
                None
            }
        };
        let (Some(list), Some(person)) = (list, person) else {
            return Err(CoreError::Invalid(errs));
        };
        if !errs.is_empty() {
            return Err(CoreError::Invalid(errs));
        }
        let offence = offence
            .map(|o| nigehban_domain::error::optional_text(Some(&o), 500))
            .transpose()
            .map_err(|p| CoreError::Invalid(ValidationErrors::single("offence", p)))?
            .flatten();
        self.add_to_watchlist(actor, list, edition, vec![(person, reference, offence)])
            .await
            .map(|_| ())
    }

    pub async fn remove_from_watchlist(
        &self,
        actor: &Actor,
        id: WatchlistEntryId,
    ) -> Result<(), CoreError> {
        self.authorize(
            actor,
            Action::ManageWatchlist,
            "watchlist.remove",
            "watchlist",
            Some(id.to_string()),
        )
        .await?;
        let audit = AuditDraft::new(
            &principal(actor),
            "watchlist.remove",
            "watchlist",
            Some(id.to_string()),
        );
        if self
            .store
            .remove_watchlist(id, actor.user_id, Utc::now(), audit)
            .await?
        {
            Ok(())
        } else {
            Err(CoreError::NotFound)
        }
    }
}

/// A case prepared for an intake outcome.
struct IntakeCase {
    id: CaseId,
    case: nigehban_domain::case::ValidatedCase,
}
