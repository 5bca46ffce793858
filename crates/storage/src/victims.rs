//! Victim protection's tables: the service directory, protection files, consents, referrals
//! with their events and services, and the case plan. What is about the person (the needs
//! assessment, cooperation with prosecution, notes, plan texts, a guardian's name) is sealed; the
//! directory, codes and dates are not. Every write locks the audit head first and writes its entry
//! before commit.

use crate::intake::{open_json, sealed_json};
use crate::rows::*;
use crate::sealing::*;
use crate::store::{db, lock_head, micros, opt_time, write_audit, SqlStore};
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use nigehban_core::audit::AuditDraft;
use nigehban_core::error::StoreError;
use nigehban_core::store::StoreResult;
use nigehban_core::victims_store::*;
use nigehban_crypto::Keyring;
use nigehban_domain::ids::{PersonId, UnitId, UserId};
use nigehban_domain::victims::{
    IdentificationSource, PlanKind, PlanStatus, ProtectionPhase, ReferralStatus, RiskLevel,
    ValidatedPlanItem, ValidatedProvider,
};
use sqlx::any::AnyRow;

fn ctx(table_col: &str, id: &str) -> String {
    format!("{table_col}:{id}")
}

fn json_text<T: serde::Serialize>(v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(s: &str, col: &str) -> Result<T, StoreError> {
    serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("{col}: {e}")))
}

const PROVIDER_COLS: &str = "p.id, p.unit_id, p.detail, p.updated_at, p.version, \
     (SELECT COUNT(*) FROM referrals r WHERE r.provider_id = p.id AND r.status IN ('accepted', 'in_service')) AS n_taken";

fn provider_from(r: &AnyRow) -> Result<ProviderRecord, StoreError> {
    Ok(ProviderRecord {
        id: text(r, "id")?,
        provider: from_json::<ValidatedProvider>(&text(r, "detail")?, "service_providers.detail")?,
        unit_id: opt_text(r, "unit_id")?
            .map(|u| u.parse())
            .transpose()
            .map_err(|_| StoreError::Corrupt("service_providers.unit_id".into()))?,
        places_taken: u32::try_from(int(r, "n_taken")?).unwrap_or(u32::MAX),
        updated_at: time(r, "updated_at")?,
        version: int(r, "version")?,
    })
}

const FILE_COLS: &str = "f.id, f.person_id, f.unit_id, u.code AS unit_code, f.agency, f.source, \
     f.intake_entry_id, f.case_id, f.minor, f.phase, f.identified_by, us.username AS identified_by_name, \
     f.identified_at, f.assessment, f.cooperation, f.closed_at, f.closure_reason, f.closure_note, f.version";
const FILE_FROM: &str =
    "victim_files f JOIN units u ON u.id = f.unit_id JOIN users us ON us.id = f.identified_by";

fn file_from(r: &AnyRow, keys: &Keyring) -> Result<VictimFileRecord, StoreError> {
    let id = text(r, "id")?;
    Ok(VictimFileRecord {
        person_id: parsed(r, "person_id")?,
        unit_id: parsed(r, "unit_id")?,
        unit_code: text(r, "unit_code")?,
        agency: text(r, "agency")?,
        source: code(r, "source", IdentificationSource::parse)?,
        intake_entry: opt_text(r, "intake_entry_id")?,
        case_id: opt_text(r, "case_id")?
            .map(|c| c.parse())
            .transpose()
            .map_err(|_| StoreError::Corrupt("victim_files.case_id".into()))?,
        minor: int(r, "minor")? != 0,
        phase: code(r, "phase", ProtectionPhase::parse)?,
        identified_by: text(r, "identified_by_name")?,
        identified_by_id: parsed(r, "identified_by")?,
        identified_at: time(r, "identified_at")?,
        assessment: open_json(
            keys,
            opt_text(r, "assessment")?,
            &ctx("victim_files.assessment", &id),
        )?,
        cooperation: open_json(
            keys,
            opt_text(r, "cooperation")?,
            &ctx("victim_files.cooperation", &id),
        )?,
        closed_at: opt_time(r, "closed_at")?,
        closure_reason: opt_text(r, "closure_reason")?,
        closure_note: open_opt(
            keys,
            opt_text(r, "closure_note")?,
            &ctx("victim_files.closure_note", &id),
        )?,
        version: int(r, "version")?,
        id,
    })
}

const REFERRAL_COLS: &str = "r.id, r.file_id, f.person_id, f.unit_id AS file_unit_id, fu.code AS file_unit_code, \
     f.agency, f.minor, r.provider_id, p.name AS provider_name, p.unit_id AS provider_unit_id, r.service, r.district, \
     r.fields, r.urgent, r.note, r.status, r.decline_reason, r.closure_reason, us.username AS sent_by_name, r.sent_at, \
     r.responded_at, r.first_service_at, r.closed_at, r.version";
const REFERRAL_FROM: &str =
    "referrals r JOIN victim_files f ON f.id = r.file_id JOIN units fu ON fu.id = f.unit_id \
     JOIN service_providers p ON p.id = r.provider_id JOIN users us ON us.id = r.sent_by";

fn referral_from(r: &AnyRow, keys: &Keyring) -> Result<ReferralRecord, StoreError> {
    let id = text(r, "id")?;
    Ok(ReferralRecord {
        file_id: text(r, "file_id")?,
        person_id: parsed(r, "person_id")?,
        file_unit_id: parsed(r, "file_unit_id")?,
        file_unit_code: text(r, "file_unit_code")?,
        agency: text(r, "agency")?,
        minor: int(r, "minor")? != 0,
        provider_id: text(r, "provider_id")?,
        provider_name: text(r, "provider_name")?,
        provider_unit_id: opt_text(r, "provider_unit_id")?
            .map(|u| u.parse())
            .transpose()
            .map_err(|_| StoreError::Corrupt("service_providers.unit_id".into()))?,
        service: text(r, "service")?,
        district: text(r, "district")?,
        fields: from_json(&text(r, "fields")?, "referrals.fields")?,
        urgent: int(r, "urgent")? != 0,
        note: open_opt(keys, opt_text(r, "note")?, &ctx("referrals.note", &id))?,
        status: code(r, "status", ReferralStatus::parse)?,
        decline_reason: opt_text(r, "decline_reason")?,
        closure_reason: opt_text(r, "closure_reason")?,
        sent_by: text(r, "sent_by_name")?,
        sent_at: time(r, "sent_at")?,
        responded_at: opt_time(r, "responded_at")?,
        first_service_at: opt_time(r, "first_service_at")?,
        closed_at: opt_time(r, "closed_at")?,
        version: int(r, "version")?,
        id,
    })
}

const SERVICE_COLS: &str = "s.id, s.referral_id, s.service, s.delivered_on, s.until_on, s.note, \
     u.username AS recorded_by_name, s.recorded_at";

fn service_from(r: &AnyRow, keys: &Keyring) -> Result<ServiceRecord, StoreError> {
    let id = text(r, "id")?;
    Ok(ServiceRecord {
        referral_id: text(r, "referral_id")?,
        service: text(r, "service")?,
        delivered_on: date(r, "delivered_on")?,
        until: opt_date(r, "until_on")?,
        note: open_opt(
            keys,
            opt_text(r, "note")?,
            &ctx("referral_services.note", &id),
        )?,
        recorded_by: text(r, "recorded_by_name")?,
        recorded_at: time(r, "recorded_at")?,
        id,
    })
}

impl SqlStore {
    async fn fetch<T>(
        &self,
        sql: &str,
        binds: Vec<String>,
        limit: Option<i64>,
        map: impl Fn(&AnyRow, &Keyring) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        let mut q = sqlx::query(sql);
        for b in binds {
            q = q.bind(b);
        }
        if let Some(l) = limit {
            q = q.bind(l);
        }
        let rows = q.fetch_all(self.pool()).await.map_err(db)?;
        rows.iter().map(|r| map(r, self.keys())).collect()
    }
}

fn b(v: bool) -> i64 {
    i64::from(v)
}

#[async_trait]
impl VictimsStore for SqlStore {
    async fn providers(&self) -> StoreResult<Vec<ProviderRecord>> {
        self.fetch(
            &format!("SELECT {PROVIDER_COLS} FROM service_providers p ORDER BY p.name, p.id"),
            vec![],
            None,
            |r, _| provider_from(r),
        )
        .await
    }

    async fn provider(&self, id: &str) -> StoreResult<Option<ProviderRecord>> {
        Ok(self
            .fetch(
                &format!("SELECT {PROVIDER_COLS} FROM service_providers p WHERE p.id = $1"),
                vec![id.to_string()],
                None,
                |r, _| provider_from(r),
            )
            .await?
            .into_iter()
            .next())
    }

    async fn insert_provider(&self, p: &NewProvider, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        sqlx::query(
            "INSERT INTO service_providers (id, name, unit_id, detail, created_by, created_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, 1)",
        )
        .bind(p.id.clone())
        .bind(p.provider.name.clone())
        .bind(p.unit_id.map(|u| u.to_string()))
        .bind(json_text(&p.provider)?)
        .bind(p.by.to_string())
        .bind(micros(p.at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        write_audit(&mut tx, self.keys(), head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    async fn update_provider(
        &self,
        id: &str,
        provider: &ValidatedProvider,
        unit_id: Option<UnitId>,
        version: i64,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<bool> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let n = sqlx::query(
            "UPDATE service_providers SET name = $1, unit_id = $2, detail = $3, updated_at = $4, version = version + 1 \
             WHERE id = $5 AND version = $6",
        )
        .bind(provider.name.clone())
        .bind(unit_id.map(|u| u.to_string()))
        .bind(json_text(provider)?)
        .bind(micros(at))
        .bind(id.to_string())
        .bind(version)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        if n == 0 {
            // Dropped: rolled back, the head's sequence number with it.
            return Ok(false);
        }
        write_audit(&mut tx, self.keys(), head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn insert_victim_file(&self, f: &NewVictimFile, audit: AuditDraft) -> StoreResult<()> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        sqlx::query(
            "INSERT INTO victim_files (id, person_id, unit_id, agency, source, intake_entry_id, case_id, minor, phase, \
             identified_by, identified_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'identified', $9, $10, 1)",
        )
        .bind(f.id.clone())
        .bind(f.person_id.to_string())
        .bind(f.unit_id.to_string())
        .bind(f.agency.clone())
        .bind(f.source.as_str())
        .bind(f.intake_entry.clone())
        .bind(f.case_id.map(|c| c.to_string()))
        .bind(b(f.minor))
        .bind(f.by.to_string())
        .bind(micros(f.at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        write_audit(&mut tx, self.keys(), head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    async fn victim_file(&self, id: &str) -> StoreResult<Option<VictimFileRecord>> {
        Ok(self
            .fetch(
                &format!("SELECT {FILE_COLS} FROM {FILE_FROM} WHERE f.id = $1"),
                vec![id.to_string()],
                None,
                file_from,
            )
            .await?
            .into_iter()
            .next())
    }

    async fn victim_file_of(&self, person: PersonId, unit: UnitId) -> StoreResult<Option<String>> {
        let row = sqlx::query("SELECT id FROM victim_files WHERE person_id = $1 AND unit_id = $2")
            .bind(person.to_string())
            .bind(unit.to_string())
            .fetch_optional(self.pool())
            .await
            .map_err(db)?;
        row.map(|r| text(&r, "id")).transpose()
    }

    async fn victim_files_of_person(&self, person: PersonId) -> StoreResult<Vec<VictimFileRecord>> {
        self.fetch(
            &format!(
                "SELECT {FILE_COLS} FROM {FILE_FROM} WHERE f.person_id = $1 ORDER BY f.identified_at"
            ),
            vec![person.to_string()],
            None,
            file_from,
        )
        .await
    }

    async fn victim_files(
        &self,
        agency: &str,
        unit: Option<UnitId>,
        limit: i64,
    ) -> StoreResult<Vec<VictimFileRecord>> {
        match unit {
            Some(u) => {
                self.fetch(
                    &format!("SELECT {FILE_COLS} FROM {FILE_FROM} WHERE f.agency = $1 AND f.unit_id = $2 \
                              ORDER BY f.identified_at DESC, f.id DESC LIMIT $3"),
                    vec![agency.to_string(), u.to_string()],
                    Some(limit),
                    file_from,
                )
                .await
            }
            None => {
                self.fetch(
                    &format!("SELECT {FILE_COLS} FROM {FILE_FROM} WHERE f.agency = $1 \
                              ORDER BY f.identified_at DESC, f.id DESC LIMIT $2"),
                    vec![agency.to_string()],
                    Some(limit),
                    file_from,
                )
                .await
            }
        }
    }

    async fn change_victim_file(
        &self,
        id: &str,
        version: i64,
        change: &FileChange,
        audit: AuditDraft,
    ) -> StoreResult<bool> {
        let keys = self.keys();
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let q = match change {
            FileChange::Assessment { assessment, minor } => sqlx::query(
                "UPDATE victim_files SET assessment = $1, minor = $2, version = version + 1 WHERE id = $3 AND version = $4",
            )
            .bind(sealed_json(keys, assessment, &ctx("victim_files.assessment", id))?)
            .bind(b(*minor)),
            FileChange::Cooperation(c) => sqlx::query(
                "UPDATE victim_files SET cooperation = $1, version = version + 1 WHERE id = $2 AND version = $3",
            )
            .bind(sealed_json(keys, c, &ctx("victim_files.cooperation", id))?),
            FileChange::Phase(p) => sqlx::query(
                "UPDATE victim_files SET phase = $1, version = version + 1 WHERE id = $2 AND version = $3",
            )
            .bind(p.as_str()),
            FileChange::Close { reason, note, at } => sqlx::query(
                "UPDATE victim_files SET phase = 'closed', closure_reason = $1, closure_note = $2, closed_at = $3, \
                 version = version + 1 WHERE id = $4 AND version = $5",
            )
            .bind(reason.clone())
            .bind(seal_opt(keys, note.as_deref(), &ctx("victim_files.closure_note", id))?)
            .bind(micros(*at)),
        };
        let n = q
            .bind(id.to_string())
            .bind(version)
            .execute(&mut *tx)
            .await
            .map_err(db)?
            .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        write_audit(&mut tx, keys, head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn insert_consents(
        &self,
        file: &str,
        consents: &[NewConsent],
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<()> {
        let keys = self.keys();
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        for c in consents {
            sqlx::query(
                "INSERT INTO victim_consents (id, file_id, provider_id, purpose, field, given_by, giver_name, granted_by, granted_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(c.id.clone())
            .bind(file.to_string())
            .bind(c.provider_id.clone())
            .bind(c.purpose.clone())
            .bind(c.field.clone())
            .bind(c.given_by.clone())
            .bind(seal_opt(keys, c.giver_name.as_deref(), &ctx("victim_consents.giver_name", &c.id))?)
            .bind(by.to_string())
            .bind(micros(at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        write_audit(&mut tx, keys, head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    async fn withdraw_consent(
        &self,
        file: &str,
        consent: &str,
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<bool> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let n = sqlx::query(
            "UPDATE victim_consents SET withdrawn_by = $1, withdrawn_at = $2 \
             WHERE id = $3 AND file_id = $4 AND withdrawn_at IS NULL",
        )
        .bind(by.to_string())
        .bind(micros(at))
        .bind(consent.to_string())
        .bind(file.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        write_audit(&mut tx, self.keys(), head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn consents(&self, file: &str) -> StoreResult<Vec<ConsentRecord>> {
        self.fetch(
            "SELECT c.id, c.file_id, c.provider_id, p.name AS provider_name, c.purpose, c.field, c.given_by, \
             c.giver_name, g.username AS granted_by_name, c.granted_at, w.username AS withdrawn_by_name, c.withdrawn_at \
             FROM victim_consents c JOIN service_providers p ON p.id = c.provider_id \
             JOIN users g ON g.id = c.granted_by LEFT JOIN users w ON w.id = c.withdrawn_by \
             WHERE c.file_id = $1 ORDER BY c.granted_at, c.id",
            vec![file.to_string()],
            None,
            |r, keys| {
                let id = text(r, "id")?;
                Ok(ConsentRecord {
                    file_id: text(r, "file_id")?,
                    provider_id: text(r, "provider_id")?,
                    provider_name: text(r, "provider_name")?,
                    purpose: text(r, "purpose")?,
                    field: text(r, "field")?,
                    given_by: text(r, "given_by")?,
                    giver_name: open_opt(
                        keys,
                        opt_text(r, "giver_name")?,
                        &ctx("victim_consents.giver_name", &id),
                    )?,
                    granted_by: text(r, "granted_by_name")?,
                    granted_at: time(r, "granted_at")?,
                    withdrawn_by: opt_text(r, "withdrawn_by_name")?,
                    withdrawn_at: opt_time(r, "withdrawn_at")?,
                    id,
                })
            },
        )
        .await
    }

    async fn insert_referral(&self, r: &NewReferral, audit: AuditDraft) -> StoreResult<()> {
        let keys = self.keys();
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        sqlx::query(
            "INSERT INTO referrals (id, file_id, provider_id, service, district, fields, urgent, note, status, sent_by, sent_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'sent', $9, $10, 1)",
        )
        .bind(r.id.clone())
        .bind(r.file_id.clone())
        .bind(r.provider_id.clone())
        .bind(r.service.clone())
        .bind(r.district.clone())
        .bind(json_text(&r.fields)?)
        .bind(b(r.urgent))
        .bind(seal_opt(keys, r.note.as_deref(), &ctx("referrals.note", &r.id))?)
        .bind(r.by.to_string())
        .bind(micros(r.at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        insert_event(
            &mut tx,
            keys,
            &r.id,
            r.at,
            r.by,
            r.unit_id,
            ReferralStatus::Sent,
            None,
            None,
        )
        .await?;
        write_audit(&mut tx, keys, head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    async fn referral(&self, id: &str) -> StoreResult<Option<ReferralRecord>> {
        Ok(self
            .fetch(
                &format!("SELECT {REFERRAL_COLS} FROM {REFERRAL_FROM} WHERE r.id = $1"),
                vec![id.to_string()],
                None,
                referral_from,
            )
            .await?
            .into_iter()
            .next())
    }

    async fn referrals_of_file(&self, file: &str) -> StoreResult<Vec<ReferralRecord>> {
        self.fetch(
            &format!("SELECT {REFERRAL_COLS} FROM {REFERRAL_FROM} WHERE r.file_id = $1 ORDER BY r.sent_at, r.id"),
            vec![file.to_string()],
            None,
            referral_from,
        )
        .await
    }

    async fn referrals_to_unit(
        &self,
        unit: UnitId,
        limit: i64,
    ) -> StoreResult<Vec<ReferralRecord>> {
        self.fetch(
            &format!("SELECT {REFERRAL_COLS} FROM {REFERRAL_FROM} WHERE p.unit_id = $1 ORDER BY r.sent_at DESC, r.id DESC LIMIT $2"),
            vec![unit.to_string()],
            Some(limit),
            referral_from,
        )
        .await
    }

    async fn referrals_from(
        &self,
        agency: &str,
        unit: Option<UnitId>,
        limit: i64,
    ) -> StoreResult<Vec<ReferralRecord>> {
        match unit {
            Some(u) => self.fetch(
                &format!("SELECT {REFERRAL_COLS} FROM {REFERRAL_FROM} WHERE f.agency = $1 AND f.unit_id = $2 \
                          ORDER BY r.sent_at DESC, r.id DESC LIMIT $3"),
                vec![agency.to_string(), u.to_string()],
                Some(limit),
                referral_from,
            )
            .await,
            None => self.fetch(
                &format!("SELECT {REFERRAL_COLS} FROM {REFERRAL_FROM} WHERE f.agency = $1 \
                          ORDER BY r.sent_at DESC, r.id DESC LIMIT $2"),
                vec![agency.to_string()],
                Some(limit),
                referral_from,
            )
            .await,
        }
    }

    async fn move_referral(&self, m: &ReferralMove, audit: AuditDraft) -> StoreResult<MoveResult> {
        let keys = self.keys();
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        // The head lock orders this with every other write: the count of places cannot change
        // between reading it and accepting.
        if let Some(max) = m.max_places {
            let row = sqlx::query(
                "SELECT COUNT(*) AS n FROM referrals WHERE status IN ('accepted', 'in_service') \
                 AND provider_id = (SELECT provider_id FROM referrals WHERE id = $1)",
            )
            .bind(m.referral.clone())
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
            if int(&row, "n")? >= i64::from(max) {
                return Ok(MoveResult::Full);
            }
        }
        let at = micros(m.at);
        let base = "UPDATE referrals SET status = $1, version = version + 1";
        let guard = "WHERE id = $2 AND status = $3";
        let q = match m.to {
            ReferralStatus::Accepted | ReferralStatus::Declined => {
                format!("{base}, responded_at = $4, decline_reason = $5 {guard}")
            }
            // The first service is the one the managers' "time to first service" counts.
            ReferralStatus::InService => {
                format!("{base}, first_service_at = COALESCE(first_service_at, $4) {guard}")
            }
            ReferralStatus::Closed | ReferralStatus::Cancelled => {
                format!("{base}, closed_at = $4, closure_reason = $5 {guard}")
            }
            ReferralStatus::Sent => return Ok(MoveResult::Stale),
        };
        let mut query = sqlx::query(&q)
            .bind(m.to.as_str())
            .bind(m.referral.clone())
            .bind(m.expected.as_str())
            .bind(at);
        if m.to != ReferralStatus::InService {
            query = query.bind(m.reason.clone());
        }
        let n = query.execute(&mut *tx).await.map_err(db)?.rows_affected();
        if n == 0 {
            return Ok(MoveResult::Stale);
        }
        if let Some(s) = &m.service {
            sqlx::query(
                "INSERT INTO referral_services (id, referral_id, service, delivered_on, until_on, note, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(s.id.clone())
            .bind(m.referral.clone())
            .bind(s.service.clone())
            .bind(s.delivered_on.to_string())
            .bind(s.until.map(|d| d.to_string()))
            .bind(seal_opt(keys, s.note.as_deref(), &ctx("referral_services.note", &s.id))?)
            .bind(m.by.to_string())
            .bind(micros(s.recorded_at))
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        insert_event(
            &mut tx,
            keys,
            &m.referral,
            m.at,
            m.by,
            m.unit_id,
            m.to,
            m.reason.as_deref(),
            m.note.as_deref(),
        )
        .await?;
        write_audit(&mut tx, keys, head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(MoveResult::Done)
    }

    async fn referral_events(&self, id: &str) -> StoreResult<Vec<ReferralEvent>> {
        self.fetch(
            "SELECT e.id, e.at, us.username AS by_name, u.code AS unit_code, e.status, e.reason, e.note \
             FROM referral_events e JOIN users us ON us.id = e.by_user JOIN units u ON u.id = e.by_unit \
             WHERE e.referral_id = $1 ORDER BY e.at, e.id",
            vec![id.to_string()],
            None,
            |r, keys| {
                let eid = text(r, "id")?;
                Ok(ReferralEvent {
                    at: time(r, "at")?,
                    by: text(r, "by_name")?,
                    unit_code: text(r, "unit_code")?,
                    status: code(r, "status", ReferralStatus::parse)?,
                    reason: opt_text(r, "reason")?,
                    note: open_opt(keys, opt_text(r, "note")?, &ctx("referral_events.note", &eid))?,
                })
            },
        )
        .await
    }

    async fn referral_services(&self, id: &str) -> StoreResult<Vec<ServiceRecord>> {
        self.fetch(
            &format!("SELECT {SERVICE_COLS} FROM referral_services s JOIN users u ON u.id = s.recorded_by \
                      WHERE s.referral_id = $1 ORDER BY s.delivered_on, s.id"),
            vec![id.to_string()],
            None,
            service_from,
        )
        .await
    }

    async fn services_of_agency(&self, agency: &str) -> StoreResult<Vec<ServiceRecord>> {
        self.fetch(
            &format!("SELECT {SERVICE_COLS} FROM referral_services s JOIN users u ON u.id = s.recorded_by \
                      JOIN referrals r ON r.id = s.referral_id JOIN victim_files f ON f.id = r.file_id \
                      WHERE f.agency = $1 ORDER BY s.delivered_on, s.id"),
            vec![agency.to_string()],
            None,
            service_from,
        )
        .await
    }

    async fn plan_items(&self, file: &str) -> StoreResult<Vec<PlanItemRecord>> {
        self.fetch(
            "SELECT i.id, i.file_id, i.kind, i.area, i.text, i.on_date, i.risk, i.status, u.username AS created_by_name, i.created_at \
             FROM victim_plan_items i JOIN users u ON u.id = i.created_by WHERE i.file_id = $1 ORDER BY i.created_at, i.id",
            vec![file.to_string()],
            None,
            |r, keys| {
                let id = text(r, "id")?;
                Ok(PlanItemRecord {
                    file_id: text(r, "file_id")?,
                    item: ValidatedPlanItem {
                        kind: code(r, "kind", PlanKind::parse)?,
                        area: opt_text(r, "area")?,
                        text: open(keys, &text(r, "text")?, &ctx("victim_plan_items.text", &id))?,
                        date: opt_date(r, "on_date")?,
                        risk: opt_code(r, "risk", RiskLevel::parse)?,
                    },
                    status: code(r, "status", PlanStatus::parse)?,
                    created_by: text(r, "created_by_name")?,
                    created_at: time(r, "created_at")?,
                    id,
                })
            },
        )
        .await
    }

    async fn insert_plan_item(
        &self,
        file: &str,
        id: &str,
        item: &ValidatedPlanItem,
        by: UserId,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<()> {
        let keys = self.keys();
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        sqlx::query(
            "INSERT INTO victim_plan_items (id, file_id, kind, area, text, on_date, risk, status, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8, $9)",
        )
        .bind(id.to_string())
        .bind(file.to_string())
        .bind(item.kind.as_str())
        .bind(item.area.clone())
        .bind(seal(keys, &item.text, &ctx("victim_plan_items.text", id))?)
        .bind(item.date.map(|d| d.to_string()))
        .bind(item.risk.map(|r| r.as_str()))
        .bind(by.to_string())
        .bind(micros(at))
        .execute(&mut *tx)
        .await
        .map_err(db)?;
        write_audit(&mut tx, keys, head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(())
    }

    async fn set_plan_status(
        &self,
        file: &str,
        item: &str,
        status: PlanStatus,
        at: DateTime<Utc>,
        audit: AuditDraft,
    ) -> StoreResult<bool> {
        let mut tx = self.pool().begin().await.map_err(db)?;
        let head = lock_head(&mut tx).await?;
        let n = sqlx::query(
            "UPDATE victim_plan_items SET status = $1, done_at = $2 WHERE id = $3 AND file_id = $4 AND status = 'open'",
        )
        .bind(status.as_str())
        .bind(micros(at))
        .bind(item.to_string())
        .bind(file.to_string())
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected();
        if n == 0 {
            return Ok(false);
        }
        write_audit(&mut tx, self.keys(), head, audit).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }
}

#[allow(clippy::too_many_arguments)]
async fn insert_event(
    conn: &mut sqlx::AnyConnection,
    keys: &Keyring,
    referral: &str,
    at: DateTime<Utc>,
    by: UserId,
    unit: UnitId,
    status: ReferralStatus,
    reason: Option<&str>,
    note: Option<&str>,
) -> Result<(), StoreError> {
    let id = uuid::Uuid::now_v7().to_string();
    sqlx::query(
        "INSERT INTO referral_events (id, referral_id, at, by_user, by_unit, status, reason, note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id.clone())
    .bind(referral.to_string())
    .bind(micros(at))
    .bind(by.to_string())
    .bind(unit.to_string())
    .bind(status.as_str())
    .bind(reason.map(str::to_string))
    .bind(seal_opt(keys, note, &ctx("referral_events.note", &id))?)
    .execute(&mut *conn)
    .await
    .map_err(db)?;
    Ok(())
}
