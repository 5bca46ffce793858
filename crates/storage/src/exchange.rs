//! Data exchange: the cases of a period for an export, the external references and kept values of
//! imported cases, victims' contexts, and writing an HTCDS import in one transaction.

use crate::intake::{open_json, push_list, LIST_CHUNK};
use crate::rows::*;
use crate::sealing::*;
use crate::sql::Sql;
use crate::store::{
    db, insert_case_row, insert_link, insert_persons, insert_stage_event, lock_head, micros,
    push_case_visible, write_audit, SqlStore,
};
use async_trait::async_trait;
use chrono::NaiveDate;
use nigehban_core::audit::AuditDraft;
use nigehban_core::error::StoreError;
use nigehban_core::exchange_store::*;
use nigehban_core::policy::Scope;
use nigehban_core::store::{Store, StoreResult};
use nigehban_domain::ids::{CaseId, PersonId};
use nigehban_domain::intake::InterviewInput;
use nigehban_exchange::{KeptValue, VictimContext};
use std::collections::{BTreeMap, HashMap};

fn json<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn kept_ctx(case: &str) -> String {
    format!("exchange_case_refs.kept:{case}")
}

fn context_ctx(case: &str, person: &str) -> String {
    format!("victim_contexts.context:{case}:{person}")
}

#[async_trait]
impl ExchangeStore for SqlStore {
    async fn exchange_case_ids(
        &self,
        scope: &Scope,
        now: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> StoreResult<Vec<CaseId>> {
        let mut sql = Sql::new("SELECT c.id FROM cases c WHERE ");
        push_case_visible(&mut sql, scope, now, true);
        sql.push(" AND c.offence_date >= ")
            .bind(from.to_string())
            .push(" AND c.offence_date <= ")
            .bind(to.to_string())
            .push(" ORDER BY c.offence_date, c.created_at, c.id");
        let rows = sql.query().fetch_all(self.pool()).await.map_err(db)?;
        rows.iter().map(|r| parsed(r, "id")).collect()
    }

    async fn case_refs(&self, cases: &[CaseId]) -> StoreResult<Vec<CaseRef>> {
        let ids: Vec<String> = cases.iter().map(ToString::to_string).collect();
        let mut out = Vec::new();
        for chunk in ids.chunks(LIST_CHUNK) {
            let mut sql = Sql::new(
                "SELECT case_id, external_id, external_number, kept FROM exchange_case_refs WHERE ",
            );
            push_list(&mut sql, self.backend(), "case_id", chunk);
            for r in sql.query().fetch_all(self.pool()).await.map_err(db)? {
                let case = text(&r, "case_id")?;
                let kept: Vec<KeptValue> =
                    open_json(self.keys(), opt_text(&r, "kept")?, &kept_ctx(&case))?
                        .unwrap_or_default();
                out.push(CaseRef {
                    case_id: parsed(&r, "case_id")?,
                    external_id: text(&r, "external_id")?,
                    external_number: opt_text(&r, "external_number")?,
                    kept,
                });
            }
        }
        Ok(out)
    }

    async fn victim_contexts(
        &self,
        cases: &[CaseId],
    ) -> StoreResult<Vec<(CaseId, PersonId, VictimContext)>> {
        let ids: Vec<String> = cases.iter().map(ToString::to_string).collect();
        let mut out = Vec::new();
        for chunk in ids.chunks(LIST_CHUNK) {
            let mut sql =
                Sql::new("SELECT case_id, person_id, context FROM victim_contexts WHERE ");
            push_list(&mut sql, self.backend(), "case_id", chunk);
            for r in sql.query().fetch_all(self.pool()).await.map_err(db)? {
                let (case, person) = (text(&r, "case_id")?, text(&r, "person_id")?);
                let ctx: Option<VictimContext> = open_json(
                    self.keys(),
                    opt_text(&r, "context")?,
                    &context_ctx(&case, &person),
                )?;
                out.push((
                    parsed(&r, "case_id")?,
                    parsed(&r, "person_id")?,
                    ctx.unwrap_or_default(),
                ));
            }
        }
        Ok(out)
    }

    async fn completed_interviews(
        &self,
        persons: &[PersonId],
    ) -> StoreResult<Vec<(PersonId, InterviewInput)>> {
        let ids: Vec<String> = persons.iter().map(ToString::to_string).collect();
        let mut latest: BTreeMap<PersonId, InterviewInput> = BTreeMap::new();
        for chunk in ids.chunks(LIST_CHUNK) {
            let mut sql = Sql::new(
                "SELECT id, person_id, interview FROM intake_entries \
                 WHERE status IN ('interviewed', 'done') AND interview IS NOT NULL AND ",
            );
            push_list(&mut sql, self.backend(), "person_id", chunk);
            sql.push(" ORDER BY interview_saved_at, id");
            for r in sql.query().fetch_all(self.pool()).await.map_err(db)? {
                let id = text(&r, "id")?;
                let interview: Option<InterviewInput> = open_json(
                    self.keys(),
                    opt_text(&r, "interview")?,
                    &format!("intake_entries.interview:{id}"),
                )?;
                if let Some(i) = interview {
                    latest.insert(parsed(&r, "person_id")?, i);
                }
            }
        }
        Ok(latest.into_iter().collect())
    }

    async fn insert_exchange_import(
        &self,
        import: &ExchangeImport,
        audit: AuditDraft,
    ) -> StoreResult<ImportWritten> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        // The audit head first: it serialises writers, so two imports of one file cannot both
        // find its cases new.
        let head = lock_head(&mut tx).await?;
        let mut written = ImportWritten::default();
        let mut new_cases = Vec::new();
        for c in &import.cases {
            let known = sqlx::query(
                "SELECT 1 AS x FROM exchange_case_refs WHERE source = $1 AND external_id = $2 \
                 UNION ALL SELECT 1 AS x FROM cases WHERE id = $2",
            )
            .bind(c.source.clone())
            .bind(c.external_id.clone())
            .fetch_optional(&mut *tx)
            .await
            .map_err(db)?;
            if known.is_some()
                || new_cases
                    .iter()
                    .any(|n: &&ImportedCase| n.external_id == c.external_id && n.source == c.source)
            {
                written.skipped.push(c.external_id.clone());
            } else {
                new_cases.push(c);
            }
        }
        if !new_cases.is_empty() {
            sqlx::query(
                "INSERT INTO exchange_imports (id, file_name, file_hash, by_user, at, cases_added, cases_skipped) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(import.id.clone())
            .bind(import.file_name.clone())
            .bind(import.file_hash.clone())
            .bind(import.by.to_string())
            .bind(micros(import.at))
            .bind(new_cases.len() as i64)
            .bind(written.skipped.len() as i64)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        // One person per external id within the file.
        let mut persons: HashMap<&str, PersonId> = HashMap::new();
        for c in new_cases {
            let number = insert_case_row(&mut tx, self.keys(), &c.case).await?;
            for e in &c.history {
                insert_stage_event(&mut tx, c.case.id, e).await?;
            }
            for p in &c.persons {
                let pid = match persons.get(p.external_id.as_str()) {
                    Some(pid) => {
                        written.persons_linked += 1;
                        *pid
                    }
                    None => {
                        insert_persons(&mut tx, self.keys(), &[&p.person]).await?;
                        sqlx::query(
                            "INSERT INTO exchange_person_refs (import_id, external_id, person_id) VALUES ($1, $2, $3)",
                        )
                        .bind(import.id.clone())
                        .bind(p.external_id.clone())
                        .bind(p.person.id.to_string())
                        .execute(&mut *tx)
                        .await
                        .map_err(db)?;
                        persons.insert(p.external_id.as_str(), p.person.id);
                        written.persons_added += 1;
                        p.person.id
                    }
                };
                insert_link(
                    &mut tx,
                    p.link_id,
                    c.case.id,
                    pid,
                    p.role,
                    p.verdict,
                    c.case.created_at,
                )
                .await?;
                if !p.victim.is_empty() {
                    let (case, person) = (c.case.id.to_string(), pid.to_string());
                    sqlx::query(
                        "INSERT INTO victim_contexts (case_id, person_id, context) VALUES ($1, $2, $3) \
                         ON CONFLICT (case_id, person_id) DO NOTHING",
                    )
                    .bind(case.clone())
                    .bind(person.clone())
                    .bind(seal(self.keys(), &json(&p.victim)?, &context_ctx(&case, &person))?)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                }
            }
            let case = c.case.id.to_string();
            let kept = if c.kept.is_empty() {
                None
            } else {
                Some(seal(self.keys(), &json(&c.kept)?, &kept_ctx(&case))?)
            };
            sqlx::query(
                "INSERT INTO exchange_case_refs (source, external_id, case_id, external_number, import_id, kept) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(c.source.clone())
            .bind(c.external_id.clone())
            .bind(case)
            .bind(c.external_number.clone())
            .bind(import.id.clone())
            .bind(kept)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
            written.added.push((c.external_id.clone(), number));
        }
        // The entry says what was written, with the numbers the new cases got.
        let mut audit = audit;
        if let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&audit.detail) {
            if let Some(o) = v.as_object_mut() {
                o.insert(
                    "added".into(),
                    written
                        .added
                        .iter()
                        .map(|(_, n)| serde_json::Value::String(n.to_string()))
                        .collect(),
                );
                o.insert("skipped".into(), written.skipped.len().into());
                o.insert("persons_added".into(), written.persons_added.into());
            }
            audit.detail = v.to_string();
        }
        write_audit(&mut tx, self.keys(), head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(written)
    }
}
