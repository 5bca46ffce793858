//! Likely duplicates and merges, the agent register and its alerts, and the lookups the network
//! view is built from. Persons sealed by court order are never offered as duplicates, agents or
//! neighbours.

use crate::intake::{open_json, push_list, push_list_table, LIST_CHUNK};
use crate::rows::*;
use crate::sealing::*;
use crate::sql::Sql;
use crate::store::{db, lock_head, micros, opt_time, write_audit, SqlStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use nigehban_core::audit::AuditDraft;
use nigehban_core::error::StoreError;
use nigehban_core::linkage_store::*;
use nigehban_core::store::{Backend, Store, StoreResult};
use nigehban_domain::case::CaseNumber;
use nigehban_domain::identifiers::{Identifier, IdentifierKind};
use nigehban_domain::ids::{BatchId, CaseId, PersonId, UserId};
use nigehban_domain::intake::{BatchKind, InterviewInput, WatchList};
use nigehban_domain::person::{CaseRole, ChainRole, PersonRole, Sex};
use sqlx::any::AnyRow;
use std::collections::{BTreeMap, HashMap};

const NOT_SEALED: &str = "NOT IN (SELECT entity_id FROM seals WHERE entity_kind = 'person')";

const DUP_COLS: &str =
    "d.id, d.person_a, d.person_b, d.agency, d.probability_ppm, d.weight_milli, \
     d.explanation, d.source, d.status, d.found_at, du.username AS decided_by_name, d.decided_at, \
     m.id AS merge_id, m.survivor_id, m.merged_id, mu.username AS merged_by_name, m.merged_at";
const DUP_FROM: &str = "duplicate_candidates d LEFT JOIN users du ON du.id = d.decided_by \
     LEFT JOIN person_merges m ON m.candidate_id = d.id AND m.undone_at IS NULL \
     LEFT JOIN users mu ON mu.id = m.merged_by";

fn duplicate_from(r: &AnyRow) -> Result<DuplicateRecord, StoreError> {
    let explanation: Vec<FieldAgreement> = serde_json::from_str(&text(r, "explanation")?)
        .map_err(|e| StoreError::Corrupt(format!("duplicate_candidates.explanation: {e}")))?;
    let id = text(r, "id")?;
    let merge = match opt_text(r, "merge_id")? {
        Some(mid) => Some(MergeRecord {
            id: mid,
            candidate_id: Some(id.clone()),
            survivor: parsed(r, "survivor_id")?,
            merged: parsed(r, "merged_id")?,
            merged_by: opt_text(r, "merged_by_name")?.unwrap_or_default(),
            merged_at: time(r, "merged_at")?,
            undone_by: None,
            undone_at: None,
        }),
        None => None,
    };
    Ok(DuplicateRecord {
        id,
        a: parsed(r, "person_a")?,
        b: parsed(r, "person_b")?,
        agency: text(r, "agency")?,
        probability: int(r, "probability_ppm")? as f64 / 1e6,
        match_weight: int(r, "weight_milli")? as f64 / 1e3,
        explanation,
        source: text(r, "source")?,
        status: code(r, "status", DuplicateStatus::parse)?,
        found_at: time(r, "found_at")?,
        decided_by: opt_text(r, "decided_by_name")?,
        decided_at: opt_time(r, "decided_at")?,
        merge,
    })
}

fn merge_from(r: &AnyRow) -> Result<MergeRecord, StoreError> {
    Ok(MergeRecord {
        id: text(r, "id")?,
        candidate_id: opt_text(r, "candidate_id")?,
        survivor: parsed(r, "survivor_id")?,
        merged: parsed(r, "merged_id")?,
        merged_by: opt_text(r, "merged_by_name")?.unwrap_or_default(),
        merged_at: time(r, "merged_at")?,
        undone_by: opt_text(r, "undone_by_name")?,
        undone_at: opt_time(r, "undone_at")?,
    })
}

fn link_from(r: &AnyRow) -> Result<AgentLinkRecord, StoreError> {
    Ok(AgentLinkRecord {
        id: text(r, "id")?,
        person: parsed(r, "person_id")?,
        agent: parsed(r, "agent_id")?,
        agency: text(r, "agency")?,
        via: text(r, "via")?,
        via_ref: text(r, "via_ref")?,
        raised_at: time(r, "raised_at")?,
        ack_by: opt_text(r, "ack_by_name")?,
        ack_at: opt_time(r, "ack_at")?,
    })
}

const LINK_COLS: &str = "l.id, l.person_id, l.agent_id, l.agency, l.via, l.via_ref, l.raised_at, \
     u.username AS ack_by_name, l.ack_at";

/// Probability in millionths and weight in thousandths of a bit, as stored.
fn ppm(p: f64) -> i64 {
    (p.clamp(0.0, 1.0) * 1e6).round() as i64
}

fn milli(w: f64) -> i64 {
    if w.is_finite() {
        (w.clamp(-1e9, 1e9) * 1e3).round() as i64
    } else {
        0
    }
}

impl SqlStore {
    async fn linkage_rows(&self, sql: &Sql) -> Result<Vec<LinkagePerson>, StoreError> {
        let mut conn = self.pool().acquire().await.map_err(db)?;
        let rows = sql.query().fetch_all(&mut *conn).await.map_err(db)?;
        let mut persons = Vec::with_capacity(rows.len());
        for r in &rows {
            let pid = text(r, "id")?;
            let keys = self.keys();
            let field = |col: &str| open_opt(keys, opt_text(r, col)?, &person_ctx(col, &pid));
            persons.push(LinkagePerson {
                id: parsed(r, "id")?,
                agency: text(r, "agency")?,
                name_roman: field("name_roman")?,
                name_urdu: field("name_urdu")?,
                parentage_roman: field("parentage_roman")?,
                parentage_urdu: field("parentage_urdu")?,
                sex: code(r, "sex", Sex::parse)?,
                dob: field("dob")?.and_then(|d| d.parse().ok()),
                origin_district: opt_text(r, "origin_district")?,
                identifiers: Vec::new(),
                merged_into: opt_text(r, "merged_into")?
                    .map(|m| m.parse())
                    .transpose()
                    .map_err(|_| StoreError::Corrupt("persons.merged_into".into()))?,
                protected: int(r, "n_protected")? > 0,
                created_at: time(r, "created_at")?,
            });
        }
        let ids: Vec<PersonId> = persons.iter().map(|p| p.id).collect();
        let mut held: HashMap<PersonId, Vec<Identifier>> = HashMap::new();
        for h in self.held_identifiers(&ids).await? {
            held.entry(h.person).or_default().push(Identifier {
                kind: h.kind,
                value: h.value,
                country: None,
            });
        }
        for p in persons.iter_mut() {
            p.identifiers = held.remove(&p.id).unwrap_or_default();
        }
        Ok(persons)
    }
}

const LINKAGE_COLS: &str = "id, agency, name_roman, name_urdu, parentage_roman, parentage_urdu, sex, dob, \
     origin_district, merged_into, created_at, (SELECT COUNT(*) FROM case_persons cp WHERE cp.person_id = persons.id \
     AND cp.role IN ('victim', 'witness', 'informant')) AS n_protected";

#[async_trait]
impl LinkageStore for SqlStore {
    async fn insert_duplicates(
        &self,
        found: &[NewDuplicate],
        audit: AuditDraft,
    ) -> StoreResult<u64> {
        if found.is_empty() {
            return Ok(0);
        }
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let mut added = 0;
        for d in found {
            let (a, b) = if d.a.to_string() <= d.b.to_string() {
                (d.a, d.b)
            } else {
                (d.b, d.a)
            };
            let explanation = serde_json::to_string(&d.explanation)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            added += sqlx::query(
                "INSERT INTO duplicate_candidates (id, person_a, person_b, agency, probability_ppm, weight_milli, \
                 explanation, source, status, found_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9) \
                 ON CONFLICT (person_a, person_b) DO NOTHING",
            )
            .bind(d.id.clone())
            .bind(a.to_string())
            .bind(b.to_string())
            .bind(d.agency.clone())
            .bind(ppm(d.probability))
            .bind(milli(d.match_weight))
            .bind(explanation)
            .bind(d.source.clone())
            .bind(micros(d.found_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        }
        // Every locked head takes a sequence number: commit only with the entry written, or
        // the chain would have a gap (nothing new: the transaction is dropped, rolled back).
        if added > 0 {
            write_audit(&mut tx, self.keys(), head, audit).await?;
            tx.commit().await.map_err(db)?;
        }
        Ok(added)
    }

    async fn duplicates(
        &self,
        agency: &str,
        status: Option<DuplicateStatus>,
        limit: i64,
    ) -> StoreResult<Vec<DuplicateRecord>> {
        let mut sql = Sql::new(&format!(
            "SELECT {DUP_COLS} FROM {DUP_FROM} WHERE d.agency = "
        ));
        sql.bind(agency.to_string());
        if let Some(s) = status {
            sql.push(" AND d.status = ").bind(s.as_str().to_string());
        }
        sql.push(&format!(
            " AND d.person_a {NOT_SEALED} AND d.person_b {NOT_SEALED} \
             ORDER BY d.probability_ppm DESC, d.found_at DESC, d.id LIMIT "
        ))
        .bind(limit);
        let mut conn = self.pool().acquire().await.map_err(db)?;
        sql.query()
            .fetch_all(&mut *conn)
            .await
            .map_err(db)?
            .iter()
            .map(duplicate_from)
            .collect()
    }

    async fn duplicate(&self, id: &str) -> StoreResult<Option<DuplicateRecord>> {
        let mut conn = self.pool().acquire().await.map_err(db)?;
        sqlx::query(&format!(
            "SELECT {DUP_COLS} FROM {DUP_FROM} WHERE d.id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
        .as_ref()
        .map(duplicate_from)
        .transpose()
    }

    async fn confirm_duplicate(
        &self,
        id: &str,
        merge: &MergeRecord,
        by: UserId,
        audit: AuditDraft,
    ) -> StoreResult<bool> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let at = micros(merge.merged_at);
        let done = sqlx::query(
            "UPDATE duplicate_candidates SET status = 'confirmed', decided_by = $1, decided_at = $2 \
             WHERE id = $3 AND status = 'pending'",
        )
        .bind(by.to_string())
        .bind(at)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected()
            > 0;
        if !done {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO person_merges (id, candidate_id, survivor_id, merged_id, merged_by, merged_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(merge.id.clone())
        .bind(merge.candidate_id.clone())
        .bind(merge.survivor.to_string())
        .bind(merge.merged.to_string())
        .bind(by.to_string())
        .bind(at)
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        sqlx::query("UPDATE persons SET merged_into = $1 WHERE id = $2")
            .bind(merge.survivor.to_string())
            .bind(merge.merged.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        write_audit(&mut tx, self.keys(), head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn reject_duplicate(
        &self,
        id: &str,
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<bool> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let done = sqlx::query(
            "UPDATE duplicate_candidates SET status = 'rejected', decided_by = $1, decided_at = $2 \
             WHERE id = $3 AND status = 'pending'",
        )
        .bind(by.to_string())
        .bind(micros(at))
        .bind(id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected()
            > 0;
        if done {
            write_audit(&mut tx, self.keys(), head, audit).await?;
            tx.commit().await.map_err(db)?;
        }
        Ok(done)
    }

    async fn undo_merge(
        &self,
        merge_id: &str,
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<bool> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let Some(row) = sqlx::query(
            "SELECT candidate_id, merged_id FROM person_merges WHERE id = $1 AND undone_at IS NULL",
        )
        .bind(merge_id.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?
        else {
            return Ok(false);
        };
        let candidate = opt_text(&row, "candidate_id")?;
        let merged = text(&row, "merged_id")?;
        sqlx::query("UPDATE person_merges SET undone_by = $1, undone_at = $2 WHERE id = $3")
            .bind(by.to_string())
            .bind(micros(at))
            .bind(merge_id.to_string())
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        sqlx::query("UPDATE persons SET merged_into = NULL WHERE id = $1")
            .bind(merged)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        if let Some(c) = candidate {
            sqlx::query(
                "UPDATE duplicate_candidates SET status = 'pending', decided_by = NULL, decided_at = NULL WHERE id = $1",
            )
            .bind(c)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        write_audit(&mut tx, self.keys(), head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn merges_of(&self, person: PersonId) -> StoreResult<Vec<MergeRecord>> {
        let mut conn = self.pool().acquire().await.map_err(db)?;
        sqlx::query(
            "SELECT m.id, m.candidate_id, m.survivor_id, m.merged_id, mu.username AS merged_by_name, m.merged_at, \
             uu.username AS undone_by_name, m.undone_at FROM person_merges m \
             LEFT JOIN users mu ON mu.id = m.merged_by LEFT JOIN users uu ON uu.id = m.undone_by \
             WHERE (m.survivor_id = $1 OR m.merged_id = $1) AND m.undone_at IS NULL ORDER BY m.merged_at, m.id",
        )
        .bind(person.to_string())
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(merge_from)
        .collect()
    }

    async fn linkage_persons(
        &self,
        agency: &str,
        after: Option<PersonId>,
        limit: i64,
    ) -> StoreResult<Vec<LinkagePerson>> {
        let mut sql = Sql::new(&format!(
            "SELECT {LINKAGE_COLS} FROM persons WHERE id {NOT_SEALED} AND agency = "
        ));
        sql.bind(agency.to_string());
        if let Some(a) = after {
            sql.push(" AND id > ").bind(a.to_string());
        }
        sql.push(" ORDER BY id LIMIT ").bind(limit);
        self.linkage_rows(&sql).await
    }

    async fn linkage_persons_by_id(&self, ids: &[PersonId]) -> StoreResult<Vec<LinkagePerson>> {
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(LIST_CHUNK) {
            let chunk: Vec<String> = chunk.iter().map(|p| p.to_string()).collect();
            let mut sql = Sql::new(&format!(
                "SELECT {LINKAGE_COLS} FROM persons WHERE id {NOT_SEALED} AND "
            ));
            push_list(&mut sql, self.backend(), "id", &chunk);
            sql.push(" ORDER BY id");
            out.extend(self.linkage_rows(&sql).await?);
        }
        Ok(out)
    }

    async fn agents(&self, agency: &str, limit: i64) -> StoreResult<Vec<AgentRecord>> {
        let mut conn = self.pool().acquire().await.map_err(db)?;
        // Suspects of the agency's cases, and anyone on a watch list, not merged away.
        let ids: Vec<String> = sqlx::query(&format!(
            "SELECT p.id FROM persons p WHERE p.id {NOT_SEALED} AND p.merged_into IS NULL AND ( \
               EXISTS (SELECT 1 FROM case_persons cp JOIN cases c ON c.id = cp.case_id \
                       WHERE cp.person_id = p.id AND cp.role = 'suspect' AND c.agency = $1) \
               OR EXISTS (SELECT 1 FROM watchlist_entries w WHERE w.person_id = p.id AND w.removed_at IS NULL)) \
             ORDER BY p.created_at DESC, p.id LIMIT $2"
        ))
        .bind(agency.to_string())
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(|r| text(r, "id"))
        .collect::<Result<_, _>>()?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(
            "SELECT id, name_roman, name_urdu, parentage_roman, origin_district, created_at FROM persons WHERE ",
        );
        push_list(&mut sql, self.backend(), "id", &ids);
        let rows = sql.query().fetch_all(&mut *conn).await.map_err(db)?;
        let mut by_id: BTreeMap<String, AgentRecord> = BTreeMap::new();
        for r in &rows {
            let pid = text(r, "id")?;
            let keys = self.keys();
            let field = |col: &str| open_opt(keys, opt_text(r, col)?, &person_ctx(col, &pid));
            by_id.insert(
                pid.clone(),
                AgentRecord {
                    person_id: parsed(r, "id")?,
                    name_roman: field("name_roman")?,
                    name_urdu: field("name_urdu")?,
                    parentage_roman: field("parentage_roman")?,
                    origin_district: opt_text(r, "origin_district")?,
                    cases: Vec::new(),
                    watchlist: Vec::new(),
                    aliases: Vec::new(),
                    protected: false,
                    created_at: time(r, "created_at")?,
                },
            );
        }
        let mut sql = Sql::new(
            "SELECT cp.person_id, cp.case_id, c.number, c.district, cp.role, cp.chain_role FROM case_persons cp \
             JOIN cases c ON c.id = cp.case_id WHERE ",
        );
        push_list(&mut sql, self.backend(), "cp.person_id", &ids);
        sql.push(" ORDER BY c.created_at, c.id");
        for r in sql.query().fetch_all(&mut *conn).await.map_err(db)? {
            let Some(agent) = by_id.get_mut(&text(&r, "person_id")?) else {
                continue;
            };
            let role = code(&r, "role", PersonRole::parse)?;
            if role.is_protected() {
                agent.protected = true;
            }
            let number = text(&r, "number")?;
            agent.cases.push(AgentCase {
                case_id: parsed(&r, "case_id")?,
                case_number: CaseNumber::parse(&number)
                    .map_err(|_| StoreError::Corrupt(format!("number `{number}`")))?,
                role: CaseRole {
                    role,
                    chain_role: opt_code(&r, "chain_role", ChainRole::parse)?,
                },
                district: opt_text(&r, "district")?,
            });
        }
        let mut sql = Sql::new(
            "SELECT person_id, list, edition, added_at FROM watchlist_entries WHERE removed_at IS NULL AND ",
        );
        push_list(&mut sql, self.backend(), "person_id", &ids);
        sql.push(" ORDER BY added_at");
        for r in sql.query().fetch_all(&mut *conn).await.map_err(db)? {
            if let Some(agent) = by_id.get_mut(&text(&r, "person_id")?) {
                agent.watchlist.push((
                    code(&r, "list", WatchList::parse)?,
                    text(&r, "edition")?,
                    time(&r, "added_at")?,
                ));
            }
        }
        // Aliases: the names of records merged into an agent.
        let mut sql = Sql::new(&format!(
            "SELECT id, merged_into, name_roman, name_urdu FROM persons WHERE id {NOT_SEALED} AND "
        ));
        push_list(&mut sql, self.backend(), "merged_into", &ids);
        for r in sql.query().fetch_all(&mut *conn).await.map_err(db)? {
            let pid = text(&r, "id")?;
            let keys = self.keys();
            let name = open_opt(
                keys,
                opt_text(&r, "name_roman")?,
                &person_ctx("name_roman", &pid),
            )?
            .or(open_opt(
                keys,
                opt_text(&r, "name_urdu")?,
                &person_ctx("name_urdu", &pid),
            )?);
            if let (Some(agent), Some(name)) = (by_id.get_mut(&text(&r, "merged_into")?), name) {
                agent.aliases.push(name);
            }
        }
        let mut out: Vec<AgentRecord> = ids.iter().filter_map(|i| by_id.remove(i)).collect();
        for a in out.iter_mut() {
            a.aliases.sort();
            a.aliases.dedup();
        }
        Ok(out)
    }

    async fn agent_link_hits(
        &self,
        agency: &str,
        touching: Option<&[PersonId]>,
    ) -> StoreResult<Vec<AgentLinkHit>> {
        let mut conn = self.pool().acquire().await.map_err(db)?;
        let mut hits = Vec::new();
        let queries = match touching {
            None => vec![identifier_links(agency, None), case_links(agency, None)],
            Some(ids) => {
                let ids: Vec<String> = ids.iter().map(ToString::to_string).collect();
                let from = Some((self.backend(), ids.as_slice(), LinkSide::Lead));
                let to = Some((self.backend(), ids.as_slice(), LinkSide::Agent));
                vec![
                    identifier_links(agency, from),
                    identifier_links(agency, to),
                    case_links(agency, from),
                    case_links(agency, to),
                ]
            }
        };
        for sql in &queries {
            for r in sql.query().fetch_all(&mut *conn).await.map_err(db)? {
                hits.push(AgentLinkHit {
                    person: parsed(&r, "person")?,
                    agent: parsed(&r, "agent")?,
                    via: text(&r, "via")?,
                    via_ref: text(&r, "via_ref")?,
                });
            }
        }
        // Each link once, however many of the queries found it.
        hits.sort_by(|x, y| {
            (x.person, x.agent, &x.via, &x.via_ref).cmp(&(y.person, y.agent, &y.via, &y.via_ref))
        });
        hits.dedup();
        Ok(hits)
    }

    async fn insert_agent_links(
        &self,
        agency: &str,
        hits: &[AgentLinkHit],
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<u64> {
        if hits.is_empty() {
            return Ok(0);
        }
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let mut added = 0;
        for h in hits {
            added += sqlx::query(
                "INSERT INTO agent_link_alerts (id, person_id, agent_id, agency, via, via_ref, raised_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (person_id, agent_id, via, via_ref) DO NOTHING",
            )
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(h.person.to_string())
            .bind(h.agent.to_string())
            .bind(agency.to_string())
            .bind(h.via.clone())
            .bind(h.via_ref.clone())
            .bind(micros(at))
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        }
        // As above: no entry, no commit, so the chain has no gap.
        if added > 0 {
            write_audit(&mut tx, self.keys(), head, audit).await?;
            tx.commit().await.map_err(db)?;
        }
        Ok(added)
    }

    async fn agent_links(&self, agency: &str, limit: i64) -> StoreResult<Vec<AgentLinkRecord>> {
        let mut conn = self.pool().acquire().await.map_err(db)?;
        sqlx::query(&format!(
            "SELECT {LINK_COLS} FROM agent_link_alerts l LEFT JOIN users u ON u.id = l.ack_by \
             WHERE l.agency = $1 AND l.person_id {NOT_SEALED} AND l.agent_id {NOT_SEALED} \
             ORDER BY l.raised_at DESC, l.id LIMIT $2"
        ))
        .bind(agency.to_string())
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(link_from)
        .collect()
    }

    async fn agent_link(&self, id: &str) -> StoreResult<Option<AgentLinkRecord>> {
        let mut conn = self.pool().acquire().await.map_err(db)?;
        sqlx::query(&format!(
            "SELECT {LINK_COLS} FROM agent_link_alerts l LEFT JOIN users u ON u.id = l.ack_by WHERE l.id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&mut *conn)
        .await
        .map_err(db)?
        .as_ref()
        .map(link_from)
        .transpose()
    }

    async fn ack_agent_link(
        &self,
        id: &str,
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<Option<AgentLinkRecord>> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let done = sqlx::query(
            "UPDATE agent_link_alerts SET ack_by = $1, ack_at = $2 WHERE id = $3 AND ack_at IS NULL",
        )
        .bind(by.to_string())
        .bind(micros(at))
        .bind(id.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected()
            > 0;
        if !done {
            return Ok(None);
        }
        write_audit(&mut tx, self.keys(), head, audit).await?;
        let row = sqlx::query(&format!(
            "SELECT {LINK_COLS} FROM agent_link_alerts l LEFT JOIN users u ON u.id = l.ack_by WHERE l.id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        row.as_ref().map(link_from).transpose()
    }

    async fn held_identifiers(&self, persons: &[PersonId]) -> StoreResult<Vec<HeldIdentifier>> {
        let mut conn = self.pool().acquire().await.map_err(db)?;
        let mut out = Vec::new();
        for chunk in persons.chunks(LIST_CHUNK) {
            let chunk: Vec<String> = chunk.iter().map(|p| p.to_string()).collect();
            let mut sql = Sql::new(
                "SELECT person_id, kind, lookup, value FROM person_identifiers WHERE lookup IS NOT NULL AND ",
            );
            push_list(&mut sql, self.backend(), "person_id", &chunk);
            sql.push(" ORDER BY person_id, kind, lookup");
            for r in sql.query().fetch_all(&mut *conn).await.map_err(db)? {
                let pid = text(&r, "person_id")?;
                let kind = code(&r, "kind", IdentifierKind::parse)?;
                out.push(HeldIdentifier {
                    person: parsed(&r, "person_id")?,
                    kind,
                    lookup: text(&r, "lookup")?,
                    value: open(
                        self.keys(),
                        &text(&r, "value")?,
                        &identifier_ctx(&pid, kind.as_str()),
                    )?,
                });
            }
        }
        Ok(out)
    }

    async fn holders(
        &self,
        kind: IdentifierKind,
        lookup: &str,
        limit: i64,
    ) -> StoreResult<Vec<PersonId>> {
        let mut conn = self.pool().acquire().await.map_err(db)?;
        sqlx::query(&format!(
            "SELECT person_id FROM person_identifiers WHERE kind = $1 AND lookup = $2 AND person_id {NOT_SEALED} \
             ORDER BY person_id LIMIT $3"
        ))
        .bind(kind.as_str().to_string())
        .bind(lookup.to_string())
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(|r| parsed(r, "person_id"))
        .collect()
    }

    async fn case_members(
        &self,
        cases: &[CaseId],
    ) -> StoreResult<Vec<(CaseId, PersonId, CaseRole)>> {
        let mut conn = self.pool().acquire().await.map_err(db)?;
        let mut out = Vec::new();
        for chunk in cases.chunks(LIST_CHUNK) {
            let chunk: Vec<String> = chunk.iter().map(|c| c.to_string()).collect();
            let mut sql = Sql::new(&format!(
                "SELECT case_id, person_id, role, chain_role FROM case_persons WHERE person_id {NOT_SEALED} AND "
            ));
            push_list(&mut sql, self.backend(), "case_id", &chunk);
            sql.push(" ORDER BY case_id, added_at, person_id");
            for r in sql.query().fetch_all(&mut *conn).await.map_err(db)? {
                out.push((
                    parsed(&r, "case_id")?,
                    parsed(&r, "person_id")?,
                    CaseRole {
                        role: code(&r, "role", PersonRole::parse)?,
                        chain_role: opt_code(&r, "chain_role", ChainRole::parse)?,
                    },
                ));
            }
        }
        Ok(out)
    }

    async fn person_batches(&self, persons: &[PersonId]) -> StoreResult<Vec<PersonBatch>> {
        let mut conn = self.pool().acquire().await.map_err(db)?;
        let mut out = Vec::new();
        for chunk in persons.chunks(LIST_CHUNK) {
            let chunk: Vec<String> = chunk.iter().map(|p| p.to_string()).collect();
            let mut sql = Sql::new(
                "SELECT e.id, e.person_id, e.batch_id, e.interview, b.unit_id, b.kind, b.post, b.arrival_date \
                 FROM intake_entries e JOIN intake_batches b ON b.id = e.batch_id WHERE ",
            );
            push_list(&mut sql, self.backend(), "e.person_id", &chunk);
            sql.push(" ORDER BY b.arrival_date, e.id");
            for r in sql.query().fetch_all(&mut *conn).await.map_err(db)? {
                let eid = text(&r, "id")?;
                let interview: Option<InterviewInput> = open_json(
                    self.keys(),
                    opt_text(&r, "interview")?,
                    &format!("intake_entries.interview:{eid}"),
                )?;
                let route = interview
                    .map(|i| {
                        let mut route: Vec<String> = Vec::new();
                        route.extend(i.origin_district);
                        route.extend(i.exit_point);
                        route.extend(i.transit_countries);
                        route.extend(i.destination_country);
                        route.retain(|s| !s.trim().is_empty());
                        route
                    })
                    .unwrap_or_default();
                out.push(PersonBatch {
                    person: parsed(&r, "person_id")?,
                    batch: parsed(&r, "batch_id")?,
                    unit_id: parsed(&r, "unit_id")?,
                    kind: code(&r, "kind", BatchKind::parse)?,
                    post: text(&r, "post")?,
                    arrival_date: date(&r, "arrival_date")?,
                    route,
                });
            }
        }
        Ok(out)
    }

    async fn batch_members(&self, batch: BatchId) -> StoreResult<Vec<PersonId>> {
        let mut conn = self.pool().acquire().await.map_err(db)?;
        sqlx::query(&format!(
            "SELECT person_id FROM intake_entries WHERE batch_id = $1 AND person_id {NOT_SEALED} ORDER BY seq"
        ))
        .bind(batch.to_string())
        .fetch_all(&mut *conn)
        .await
        .map_err(db)?
        .iter()
        .map(|r| parsed(r, "person_id"))
        .collect()
    }
}

/// Which end of a link the persons just written are looked for at.
#[derive(Clone, Copy)]
enum LinkSide {
    /// The person who may be new to a known agent.
    Lead,
    /// The person who may have become a known agent.
    Agent,
}

/// The start of a link query: every row of `table` (as `o` and `a`), or, after a write, only
/// the rows of the persons written, read first. SQLite is told so (`CROSS JOIN` fixes its join
/// order): left to itself it starts from the agency's two hundred thousand cases.
fn link_start(sql: &mut Sql, table: &str, on: &str, only: Option<(Backend, &[String], LinkSide)>) {
    match only {
        None => {
            sql.push(&format!(" FROM {table} a JOIN {table} o ON {on}"));
        }
        Some((backend, ids, side)) => {
            let (first, second) = match side {
                LinkSide::Lead => ("o", "a"),
                LinkSide::Agent => ("a", "o"),
            };
            let join = match backend {
                Backend::Sqlite => "CROSS JOIN",
                Backend::Postgres => "JOIN",
            };
            sql.push(" FROM ");
            push_list_table(sql, backend, ids);
            sql.push(&format!(
                " {join} {table} {first} ON {first}.person_id = list.value JOIN {table} {second} ON {on}"
            ));
        }
    }
}

/// `a` is a known agent of the agency: a suspect in one of its cases, or on a watch list it
/// keeps.
fn push_known_agent(sql: &mut Sql, agency: &str) {
    sql.push(
        "(EXISTS (SELECT 1 FROM case_persons cp JOIN cases ca ON ca.id = cp.case_id \
         WHERE cp.person_id = a.person_id AND cp.role = 'suspect' AND ca.agency = ",
    )
    .bind(agency.to_string())
    .push(
        ") OR EXISTS (SELECT 1 FROM watchlist_entries w JOIN persons wp ON wp.id = w.person_id \
         WHERE w.person_id = a.person_id AND w.removed_at IS NULL AND wp.agency = ",
    )
    .bind(agency.to_string())
    .push("))");
}

/// Persons sharing an identifier with a known agent (by blind index: the values are never
/// compared in the clear), recorded after the agent.
fn identifier_links(agency: &str, only: Option<(Backend, &[String], LinkSide)>) -> Sql {
    let mut sql = Sql::new(
        "SELECT o.person_id AS person, a.person_id AS agent, a.kind AS via, a.lookup AS via_ref",
    );
    link_start(
        &mut sql,
        "person_identifiers",
        "o.kind = a.kind AND o.lookup = a.lookup AND o.person_id <> a.person_id",
        only,
    );
    sql.push(
        " JOIN persons op ON op.id = o.person_id JOIN persons ap ON ap.id = a.person_id WHERE ",
    );
    push_known_agent(&mut sql, agency);
    sql.push(&format!(
        " AND o.person_id {NOT_SEALED} AND a.person_id {NOT_SEALED} \
         AND op.merged_into IS NULL AND a.lookup IS NOT NULL \
         AND (op.created_at > ap.created_at OR (op.created_at = ap.created_at AND op.id > ap.id))"
    ));
    sql
}

/// A new suspect (recorded after the agent, in this one case only) named in a case with a known
/// agent: victims, complainants and families are expected in a case, and are not leads.
fn case_links(agency: &str, only: Option<(Backend, &[String], LinkSide)>) -> Sql {
    let mut sql = Sql::new(
        "SELECT o.person_id AS person, a.person_id AS agent, 'case' AS via, a.case_id AS via_ref",
    );
    link_start(
        &mut sql,
        "case_persons",
        "o.case_id = a.case_id AND o.person_id <> a.person_id",
        only,
    );
    sql.push(
        " JOIN cases c ON c.id = a.case_id \
         JOIN persons op ON op.id = o.person_id JOIN persons ap ON ap.id = a.person_id \
         WHERE a.role = 'suspect' AND o.role = 'suspect' AND c.agency = ",
    )
    .bind(agency.to_string());
    sql.push(&format!(
        " AND (op.created_at > ap.created_at OR (op.created_at = ap.created_at AND op.id > ap.id)) \
         AND (SELECT COUNT(*) FROM case_persons x WHERE x.person_id = o.person_id) = 1 \
         AND op.merged_into IS NULL \
         AND o.person_id {NOT_SEALED} AND a.person_id {NOT_SEALED}"
    ));
    sql
}
