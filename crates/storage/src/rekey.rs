//! Sealing rows written before encryption existed, and re-sealing everything under a new key
//! (key rotation). Both run in batches, one short transaction each, so a large database is never
//! locked for long and an interrupted run can simply be started again: a value already under the
//! current key is left alone (name tokens and identifier lookups are recomputed on rotation).

use crate::rows::*;
use crate::sealing::*;
use crate::store::{db, SqlStore};
use nigehban_core::error::StoreError;
use nigehban_core::store::ResealReport;
use nigehban_crypto::Keyring;
use sqlx::AnyConnection;

const BATCH: i64 = 1000;
const PERSON_COLUMNS: [&str; 7] = [
    "name_roman",
    "name_urdu",
    "parentage_roman",
    "parentage_urdu",
    "dob",
    "address",
    "notes",
];

/// Take the write lock without changing anything (SQLite: before any read; PostgreSQL: a row lock
/// that orders this batch with audited writes).
async fn lock(conn: &mut AnyConnection) -> Result<(), StoreError> {
    sqlx::query("UPDATE audit_head SET hash = hash WHERE id = 1")
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    Ok(())
}

/// Replace a person's match keys, computed from the plain names, parentage and date of birth (in
/// `PERSON_COLUMNS` order).
async fn write_match_keys(
    conn: &mut AnyConnection,
    keys: &Keyring,
    id: &str,
    plain: &[Option<String>],
) -> Result<(), StoreError> {
    let col = |i: usize| plain.get(i).and_then(|v| v.as_deref());
    let year = col(4)
        .and_then(|d| d.get(0..4))
        .and_then(|y| y.parse().ok());
    let mut values: Vec<String> = nigehban_core::screening::match_keys_of(
        name_tables()?,
        [col(0), col(1)],
        [col(2), col(3)],
        year,
    )
    .iter()
    .map(|k| match_key_index(keys, k))
    .collect();
    values.sort();
    values.dedup();
    sqlx::query("DELETE FROM person_match_keys WHERE person_id = $1")
        .bind(id.to_string())
        .execute(&mut *conn)
        .await
        .map_err(db)?;
    for v in values {
        sqlx::query("INSERT INTO person_match_keys (person_id, key) VALUES ($1, $2)")
            .bind(id.to_string())
            .bind(v)
            .execute(&mut *conn)
            .await
            .map_err(db)?;
    }
    Ok(())
}

impl SqlStore {
    /// Compute the match keys of persons stored before they existed (run at start, once: the
    /// `maintenance` table records that it was done).
    pub(crate) async fn backfill_match_keys(&self) -> Result<(), StoreError> {
        const TASK: &str = "match_keys";
        if self.maintenance_done(TASK).await? {
            return Ok(());
        }
        let keys = self.keys();
        let mut after = String::new();
        loop {
            let rows = sqlx::query(&format!(
                "SELECT id, {} FROM persons p WHERE id > $1 AND NOT EXISTS \
                 (SELECT 1 FROM person_match_keys k WHERE k.person_id = p.id) ORDER BY id LIMIT $2",
                PERSON_COLUMNS.join(", ")
            ))
            .bind(after.clone())
            .bind(BATCH)
            .fetch_all(self.pool())
            .await
            .map_err(db)?;
            let Some(last) = rows.last() else { break };
            after = text(last, "id")?;
            let mut tx = self.pool().begin().await.map_err(db)?;
            lock(&mut tx).await?;
            for r in &rows {
                let id = text(r, "id")?;
                let mut plain = Vec::new();
                for col in PERSON_COLUMNS {
                    plain.push(open_opt(keys, opt_text(r, col)?, &person_ctx(col, &id))?);
                }
                write_match_keys(&mut tx, keys, &id, &plain).await?;
            }
            tx.commit().await.map_err(db)?;
        }
        self.mark_maintenance_done(TASK).await
    }

    async fn maintenance_done(&self, task: &str) -> Result<bool, StoreError> {
        Ok(
            sqlx::query("SELECT 1 AS x FROM maintenance WHERE task = $1")
                .bind(task)
                .fetch_optional(self.pool())
                .await
                .map_err(db)?
                .is_some(),
        )
    }

    async fn mark_maintenance_done(&self, task: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO maintenance (task, done_at) VALUES ($1, $2) ON CONFLICT (task) DO NOTHING",
        )
        .bind(task)
        .bind(chrono::Utc::now().timestamp_micros())
        .execute(self.pool())
        .await
        .map_err(db)?;
        Ok(())
    }

    /// Seal values stored in plain text by versions before encryption at rest (run at start). Every
    /// write since seals, so once a database has been sealed the scan is not repeated (it reads
    /// every person: seconds on a million).
    pub(crate) async fn seal_legacy(&self) -> Result<(), StoreError> {
        const TASK: &str = "seal_legacy";
        if self.maintenance_done(TASK).await? {
            return Ok(());
        }
        let probe = sqlx::query(
            "SELECT 1 AS x FROM persons WHERE (name_roman IS NOT NULL AND name_roman NOT LIKE 'v1:%') \
             OR (name_urdu IS NOT NULL AND name_urdu NOT LIKE 'v1:%') OR search_text <> '' \
             UNION SELECT 1 AS x FROM person_identifiers WHERE lookup IS NULL \
             UNION SELECT 1 AS x FROM audit_log WHERE detail NOT LIKE 'v1:%' LIMIT 1",
        )
        .fetch_optional(self.pool())
        .await
        .map_err(db)?;
        if probe.is_some() {
            tracing::info!("sealing identity fields stored before encryption at rest");
            self.reseal(false).await?;
        }
        self.mark_maintenance_done(TASK).await
    }

    /// Re-seal every sealed value under the keyring's current key and recompute the blind
    /// indexes (`all`), or only values not yet sealed (`!all`).
    pub(crate) async fn reseal(&self, all: bool) -> Result<ResealReport, StoreError> {
        let keys = self.keys();
        let mut report = ResealReport::default();
        let mut tokens_too = all;
        // Persons: identity columns and name tokens.
        let mut after = String::new();
        loop {
            let rows = sqlx::query(&format!(
                "SELECT id, {}, search_text FROM persons WHERE id > $1 ORDER BY id LIMIT $2",
                PERSON_COLUMNS.join(", ")
            ))
            .bind(after.clone())
            .bind(BATCH)
            .fetch_all(self.pool())
            .await
            .map_err(db)?;
            let Some(last) = rows.last() else { break };
            after = text(last, "id")?;
            let mut tx = self.pool().begin().await.map_err(db)?;
            lock(&mut tx).await?;
            for r in &rows {
                let id = text(r, "id")?;
                let stored: Vec<Option<String>> = PERSON_COLUMNS
                    .iter()
                    .map(|c| opt_text(r, c))
                    .collect::<Result<_, _>>()?;
                let stale = stored.iter().any(|v| needs_sealing(keys, v.as_deref()))
                    && (all || stored.iter().flatten().any(|v| !Keyring::is_sealed(v)));
                let plain_search = !text(r, "search_text")?.is_empty();
                if !stale && !plain_search && !tokens_too {
                    continue;
                }
                let mut plain = Vec::new();
                for (col, v) in PERSON_COLUMNS.iter().zip(&stored) {
                    plain.push(open_opt(keys, v.clone(), &person_ctx(col, &id))?);
                }
                let mut sealed = Vec::new();
                for (col, v) in PERSON_COLUMNS.iter().zip(&plain) {
                    sealed.push(seal_opt(keys, v.as_deref(), &person_ctx(col, &id))?);
                }
                let mut q = sqlx::query(
                    "UPDATE persons SET name_roman = $1, name_urdu = $2, parentage_roman = $3, parentage_urdu = $4, dob = $5, \
                     address = $6, notes = $7, search_text = '' WHERE id = $8",
                );
                for v in sealed {
                    q = q.bind(v);
                }
                q.bind(id.clone()).execute(&mut *tx).await.map_err(db)?;
                // Tokens from names and parentage (the first four columns).
                let text_for_tokens = plain
                    .iter()
                    .take(4)
                    .flatten()
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ");
                sqlx::query("DELETE FROM person_name_tokens WHERE person_id = $1")
                    .bind(id.clone())
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                for token in token_values(keys, &text_for_tokens) {
                    sqlx::query(
                        "INSERT INTO person_name_tokens (person_id, token) VALUES ($1, $2)",
                    )
                    .bind(id.clone())
                    .bind(token)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                }
                write_match_keys(&mut tx, keys, &id, &plain).await?;
                report.persons += 1;
            }
            tx.commit().await.map_err(db)?;
        }
        tokens_too = all;
        // Identifiers: sealed value and blind-indexed lookup.
        let mut after = (String::new(), String::new(), String::new());
        loop {
            let rows = sqlx::query(
                "SELECT person_id, kind, value, lookup FROM person_identifiers \
                 WHERE person_id > $1 OR (person_id = $1 AND (kind > $2 OR (kind = $2 AND value > $3))) \
                 ORDER BY person_id, kind, value LIMIT $4",
            )
            .bind(after.0.clone())
            .bind(after.1.clone())
            .bind(after.2.clone())
            .bind(BATCH)
            .fetch_all(self.pool())
            .await
            .map_err(db)?;
            let Some(last) = rows.last() else { break };
            after = (
                text(last, "person_id")?,
                text(last, "kind")?,
                text(last, "value")?,
            );
            let mut tx = self.pool().begin().await.map_err(db)?;
            lock(&mut tx).await?;
            for r in &rows {
                let (pid, kind, value) =
                    (text(r, "person_id")?, text(r, "kind")?, text(r, "value")?);
                let unsealed = !Keyring::is_sealed(&value) || opt_text(r, "lookup")?.is_none();
                if !(unsealed || tokens_too) {
                    continue;
                }
                let ctx = identifier_ctx(&pid, &kind);
                let plain = open(keys, &value, &ctx)?;
                sqlx::query("UPDATE person_identifiers SET value = $1, lookup = $2 WHERE person_id = $3 AND kind = $4 AND value = $5")
                    .bind(seal(keys, &plain, &ctx)?)
                    .bind(identifier_lookup(keys, &kind, &plain))
                    .bind(pid)
                    .bind(kind)
                    .bind(value)
                    .execute(&mut *tx)
                    .await
                    .map_err(db)?;
                report.identifiers += 1;
            }
            tx.commit().await.map_err(db)?;
        }
        // Single sealed columns of other tables.
        report.other += self
            .reseal_column("cases", "id", "narrative", "cases.narrative", all)
            .await?;
        report.other += self
            .reseal_column("audit_log", "seq", "detail", "audit_log.detail", all)
            .await?;
        report.other += self
            .reseal_column(
                "identity_reveals",
                "id",
                "reason",
                "identity_reveals.reason",
                all,
            )
            .await?;
        report.other += self
            .reseal_column("case_shares", "id", "reason", "case_shares.reason", all)
            .await?;
        report.other += self
            .reseal_column("users", "id", "totp_secret", "users.totp_secret", all)
            .await?;
        for col in [
            "flags",
            "extras",
            "interview",
            "assessment",
            "outcome_detail",
        ] {
            report.other += self
                .reseal_column(
                    "intake_entries",
                    "id",
                    col,
                    &format!("intake_entries.{col}"),
                    all,
                )
                .await?;
        }
        report.other += self
            .reseal_column("intake_batches", "id", "notes", "intake_batches.notes", all)
            .await?;
        // Victim protection: what is about the person (contexts `<table>.<column>:<id>`).
        for (table, col) in [
            ("victim_files", "assessment"),
            ("victim_files", "cooperation"),
            ("victim_files", "closure_note"),
            ("victim_consents", "giver_name"),
            ("referrals", "note"),
            ("referral_events", "note"),
            ("referral_services", "note"),
            ("victim_plan_items", "text"),
        ] {
            report.other += self
                .reseal_column(table, "id", col, &format!("{table}.{col}"), all)
                .await?;
        }
        report.other += self
            .reseal_column(
                "watchlist_entries",
                "id",
                "offence",
                "watchlist_entries.offence",
                all,
            )
            .await?;
        report.other += self
            .reseal_column(
                "ocindex_assessment_scores",
                "id",
                "justification",
                "ocindex_assessment_scores.justification",
                all,
            )
            .await?;
        Ok(report)
    }

    /// Re-seal one column keyed by `key` (text, or the integer `seq`), context `<ctx>:<key>`.
    async fn reseal_column(
        &self,
        table: &str,
        key: &str,
        column: &str,
        ctx: &str,
        all: bool,
    ) -> Result<u64, StoreError> {
        let keys = self.keys();
        let numeric = key == "seq";
        let mut done = 0;
        let mut after_text = String::new();
        let mut after_num = 0i64;
        loop {
            let q = format!("SELECT {key} AS k, {column} AS v FROM {table} WHERE {key} > $1 ORDER BY {key} LIMIT $2");
            let rows = if numeric {
                sqlx::query(&q)
                    .bind(after_num)
                    .bind(BATCH)
                    .fetch_all(self.pool())
                    .await
            } else {
                sqlx::query(&q)
                    .bind(after_text.clone())
                    .bind(BATCH)
                    .fetch_all(self.pool())
                    .await
            }
            .map_err(db)?;
            let Some(last) = rows.last() else { break };
            if numeric {
                after_num = int(last, "k")?;
            } else {
                after_text = text(last, "k")?;
            }
            let mut tx = self.pool().begin().await.map_err(db)?;
            lock(&mut tx).await?;
            for r in &rows {
                let Some(stored) = opt_text(r, "v")? else {
                    continue;
                };
                let stale = if all {
                    needs_sealing(keys, Some(&stored))
                } else {
                    !Keyring::is_sealed(&stored)
                };
                if !stale {
                    continue;
                }
                let k = if numeric {
                    int(r, "k")?.to_string()
                } else {
                    text(r, "k")?
                };
                let context = format!("{ctx}:{k}");
                let plain = open(keys, &stored, &context)?;
                let update = format!("UPDATE {table} SET {column} = $1 WHERE {key} = $2");
                let q = sqlx::query(&update).bind(seal(keys, &plain, &context)?);
                if numeric {
                    q.bind(int(r, "k")?)
                } else {
                    q.bind(k)
                }
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                done += 1;
            }
            tx.commit().await.map_err(db)?;
        }
        Ok(done)
    }
}
