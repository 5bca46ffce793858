use super::*;

impl Nigehban {
    /// Walk the whole audit chain and report the first bad entry. Run by `nigehban audit verify`.
    pub async fn verify_audit(&self) -> Result<VerifyReport, CoreError> {
        let mut v = ChainVerifier::new();
        let mut after = 0;
        loop {
            let page = self.store.audit_page(after, 5000).await?;
            let Some(last) = page.last() else { break };
            after = last.seq;
            for e in &page {
                if !v.feed(e) {
                    break;
                }
            }
        }
        let (head_seq, head_hash) = self.store.audit_head().await?;
        Ok(v.finish(head_seq, &head_hash))
    }

    /// How many cases and persons the system holds: aggregate figures any signed-in user may see.
    pub async fn totals(&self, _actor: &Actor) -> Result<(i64, i64), CoreError> {
        Ok((
            self.store.count_cases().await?,
            self.store.count_persons().await?,
        ))
    }

    /// The newest audit entries, newest last, for auditors and administrators.
    pub async fn latest_audit(
        &self,
        actor: &Actor,
        limit: i64,
    ) -> Result<Vec<crate::audit::AuditEntry>, CoreError> {
        self.authorize(actor, Action::ReadAudit, "audit.read", "audit", None)
            .await?;
        let (head, _) = self.store.audit_head().await?;
        let limit = limit.clamp(1, 1000);
        let list = self.store.audit_page((head - limit).max(0), limit).await?;
        self.store
            .append_audit(AuditDraft::new(
                &Principal::User(actor.clone()),
                "audit.read",
                "audit",
                None,
            ))
            .await?;
        Ok(list)
    }

    /// Recent audit entries, for auditors and administrators.
    pub async fn audit_entries(
        &self,
        actor: &Actor,
        after: i64,
        limit: i64,
    ) -> Result<Vec<crate::audit::AuditEntry>, CoreError> {
        self.authorize(actor, Action::ReadAudit, "audit.read", "audit", None)
            .await?;
        let list = self.store.audit_page(after, limit.clamp(1, 1000)).await?;
        self.store
            .append_audit(AuditDraft::new(
                &Principal::User(actor.clone()),
                "audit.read",
                "audit",
                None,
            ))
            .await?;
        Ok(list)
    }

    /// Write a pre-built batch (synthetic data) as the system principal, audited once per batch.
    pub async fn bulk_load(&self, by: &Principal, batch: &BulkBatch) -> Result<(), CoreError> {
        let draft = AuditDraft::new(by, "bulk.load", "batch", None)
            .detail(json!({"persons": batch.persons.len(), "cases": batch.cases.len()}));
        self.store.bulk_insert(batch, draft).await?;
        // A bulk load records persons like any other write: links through them to known agents
        // are raised now, not whenever someone next opens the agent register.
        let mut persons: Vec<PersonId> = batch
            .persons
            .iter()
            .map(|p| p.id)
            .chain(
                batch
                    .cases
                    .iter()
                    .flat_map(|c| c.persons.iter().map(|(_, pid, _, _)| *pid)),
            )
            .collect();
        persons.sort_unstable();
        persons.dedup();
        let mut agencies: Vec<&str> = batch
            .persons
            .iter()
            .map(|p| p.agency.as_str())
            .chain(batch.cases.iter().map(|c| c.case.agency.as_str()))
            .collect();
        agencies.sort_unstable();
        agencies.dedup();
        for agency in agencies {
            self.scan_agent_links(by, agency, Some(&persons)).await?;
        }
        Ok(())
    }

    /// Re-seal all protected values under the current data key (after `keys rotate` added one).
    pub async fn reseal_all(&self, by: &Principal) -> Result<ResealReport, CoreError> {
        let draft = AuditDraft::new(by, "keys.rotate", "keyring", None);
        Ok(self.store.reseal_all(draft).await?)
    }

    /// The auditors' review: entries by user, record, action and time, newest first. Audited.
    pub async fn audit_review(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
    ) -> Result<Vec<crate::audit::AuditEntry>, CoreError> {
        self.authorize(actor, Action::ReadAudit, "audit.read", "audit", None)
            .await?;
        let mut f = filter.clone();
        f.limit = f.limit.clamp(1, 1000);
        f.agency = review_scope(actor);
        if let (Some(a), Some(b)) = (f.from, f.to) {
            if b < a {
                return Err(ValidationErrors::single("to", Problem::DateTooOld).into());
            }
        }
        let list = self.store.audit_search(&f).await?;
        let draft = AuditDraft::new(&Principal::User(actor.clone()), "audit.read", "audit", None).detail(json!({
            "actor": f.actor_name, "record": f.entity_id, "action": f.action, "results": list.len()
        }));
        self.store.append_audit(draft).await?;
        Ok(list)
    }

    /// Look for insider-abuse patterns in the last day of the audit log and raise new alerts.
    /// Run every few minutes by the server, and when an auditor opens the review.
    pub async fn scan_alerts(&self) -> Result<u64, CoreError> {
        let longest = crate::alerts::RULES
            .iter()
            .map(|r| r.window_minutes)
            .max()
            .unwrap_or(60);
        let since = (Utc::now() - Duration::minutes(longest * 2)).timestamp_micros();
        let entries = self
            .store
            .audit_search(&AuditFilter {
                from: Some(since),
                limit: 200_000,
                ..Default::default()
            })
            .await?;
        let findings = crate::alerts::evaluate(&entries);
        Ok(self.store.insert_alerts(&findings, Utc::now()).await?)
    }

    pub async fn alerts(&self, actor: &Actor) -> Result<Vec<crate::alerts::Alert>, CoreError> {
        self.authorize(actor, Action::ReadAudit, "alerts.read", "alert", None)
            .await?;
        Ok(self
            .store
            .alerts(review_scope(actor).as_deref(), 500)
            .await?)
    }

    /// Acknowledge an alert with a comment saying what was found.
    pub async fn acknowledge_alert(
        &self,
        actor: &Actor,
        id: &str,
        comment: &str,
    ) -> Result<(), CoreError> {
        self.authorize(
            actor,
            Action::ReadAudit,
            "alert.ack",
            "alert",
            Some(id.to_string()),
        )
        .await?;
        let comment = nigehban_domain::error::required_text(Some(comment), 1000)
            .map_err(|p| ValidationErrors::single("comment", p))?;
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            "alert.ack",
            "alert",
            Some(id.to_string()),
        )
        .detail(json!({"comment": comment}));
        if self
            .store
            .ack_alert(id, &actor.username, &comment, Utc::now(), draft)
            .await?
        {
            Ok(())
        } else {
            Err(CoreError::NotFound)
        }
    }
}

/// Whose activity a reviewer sees: auditors (the oversight role) the whole log; administrators
/// only the users of their own agency.
fn review_scope(actor: &Actor) -> Option<String> {
    match actor.role {
        nigehban_domain::org::UserRole::Auditor => None,
        _ => Some(actor.agency.clone()),
    }
}
