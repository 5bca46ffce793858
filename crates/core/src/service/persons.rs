//! Persons: reading, searching, and revealing a protected identity for a stated reason.

use super::cases::now_micros;
use super::*;
use crate::policy::CaseAccess;
use nigehban_domain::names::BilingualName;
use nigehban_domain::person::pseudonym;

/// How long a reveal lasts before the pseudonym returns.
pub const REVEAL_MINUTES: i64 = 60;

/// A person as the actor may see them, with the reveals their owner is shown.
#[derive(Debug, Clone)]
pub struct PersonView {
    pub detail: PersonDetail,
    /// The actor may ask to reveal the identity (it is hidden and they have full access).
    pub can_reveal: bool,
    /// The actor may seal the record by court order (a supervisor of an owning unit).
    pub can_seal: bool,
    /// Holds a protected role in any case, seen or not by this reader.
    pub protected: bool,
    /// Who revealed this identity, when and why: shown to the owning unit.
    pub reveals: Vec<RevealRecord>,
}

/// Replace everything that identifies a protected person by the pseudonym.
fn pseudonymise(d: &mut PersonDetail) {
    let p = &mut d.person;
    p.name = BilingualName {
        roman: Some(pseudonym(d.id)),
        urdu: None,
    };
    p.parentage = BilingualName::default();
    p.parentage_relation = None;
    p.identifiers.clear();
    p.address = None;
    p.notes = None;
    d.pseudonymised = true;
}

impl Nigehban {
    /// The actor's widest access to a person through the cases they are in; `NotFound` (audited
    /// as denied) when none opens the person's record.
    pub(super) async fn person_access(
        &self,
        actor: &Actor,
        scope: &Scope,
        id: PersonId,
        action: &str,
    ) -> Result<(CaseAccess, bool), CoreError> {
        let Some(rel) = self.store.person_relation(id, scope, now_micros()).await? else {
            return Err(self
                .deny(
                    actor,
                    action,
                    "person",
                    Some(id.to_string()),
                    CoreError::NotFound,
                )
                .await);
        };
        let best = rel
            .cases
            .iter()
            .map(|r| CaseAccess::decide(scope, r))
            .filter(|a| a.persons)
            .max_by_key(|a| (a.own, a.work, !a.deidentified))
            .or_else(|| {
                // A person the unit received at intake is theirs to read and work on, case or not.
                (rel.in_own_batch && authorize(actor, Action::Intake).is_ok())
                    .then(CaseAccess::received_at_intake)
            });
        match best {
            Some(a) if !rel.sealed || rel.named_on_seal => {
                Ok((a, rel.cases.iter().any(|r| r.own_unit)))
            }
            _ => Err(self
                .deny(
                    actor,
                    action,
                    "person",
                    Some(id.to_string()),
                    CoreError::NotFound,
                )
                .await),
        }
    }

    /// Load a person the actor may see. Protected persons appear by pseudonym unless the actor
    /// revealed them; the reading is audited either way.
    pub async fn view_person(&self, actor: &Actor, id: PersonId) -> Result<PersonView, CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::ViewPersons,
                "person.view",
                "person",
                Some(id.to_string()),
            )
            .await?;
        let (access, owner) = self.person_access(actor, &scope, id, "person.view").await?;
        let mut detail = self
            .store
            .person_detail(id)
            .await?
            .ok_or(CoreError::NotFound)?;
        // Protection follows every role the person holds, including in cases the reader cannot see.
        let protected = detail.protected();
        // List only the cases the reader may see: the others (another unit's, sealed) must not
        // even be named.
        let mut visible = Vec::new();
        for link in detail.cases.drain(..) {
            let rel = self
                .store
                .case_relation(link.case_id, &scope, now_micros())
                .await?;
            if rel.is_some_and(|r| CaseAccess::decide(&scope, &r).see) {
                visible.push(link);
            }
        }
        detail.cases = visible;
        let revealed = protected
            && self
                .store
                .has_active_reveal(id, actor.user_id, now_micros())
                .await?;
        if access.deidentified || (protected && !revealed) {
            pseudonymise(&mut detail);
        }
        let may_reveal = authorize(actor, Action::RevealIdentity).is_ok() && !access.deidentified;
        let reveals = if owner && protected {
            self.store.reveals(id).await?
        } else {
            Vec::new()
        };
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            "person.view",
            "person",
            Some(id.to_string()),
        )
        .detail(json!({"protected": protected, "identity_shown": !detail.pseudonymised}));
        self.store.append_audit(draft).await?;
        Ok(PersonView {
            can_reveal: detail.pseudonymised && may_reveal,
            can_seal: owner && access.own && authorize(actor, Action::SealRecord).is_ok(),
            protected,
            detail,
            reveals,
        })
    }

    /// Show a protected person's real identity to this user for a while, for a stated reason.
    /// The reveal is audited with its reason and listed to the record's owner.
    pub async fn reveal_identity(
        &self,
        actor: &Actor,
        id: PersonId,
        reason: &str,
    ) -> Result<PersonView, CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::RevealIdentity,
                "identity.reveal",
                "person",
                Some(id.to_string()),
            )
            .await?;
        let (access, _) = self
            .person_access(actor, &scope, id, "identity.reveal")
            .await?;
        if access.deidentified {
            return Err(self
                .deny(
                    actor,
                    "identity.reveal",
                    "person",
                    Some(id.to_string()),
                    CoreError::Forbidden("reveal-identity"),
                )
                .await);
        }
        let reason = nigehban_domain::error::required_text(Some(reason), 500)
            .map_err(|p| ValidationErrors::single("reason", p))?;
        if reason.chars().count() < 10 {
            return Err(ValidationErrors::single("reason", Problem::TooShort { min: 10 }).into());
        }
        let now = Utc::now();
        let reveal = RevealRecord {
            person_id: id,
            username: actor.username.clone(),
            reason: reason.clone(),
            revealed_at: now,
            expires_at: now + Duration::minutes(REVEAL_MINUTES),
        };
        let draft = AuditDraft::new(
            &Principal::User(actor.clone()),
            "identity.reveal",
            "person",
            Some(id.to_string()),
        )
        .detail(json!({"reason": reason}));
        self.store
            .insert_reveal(&reveal, actor.user_id, draft)
            .await?;
        self.view_person(actor, id).await
    }

    /// Find persons by name (either script), parentage or identifier, within what the actor may see.
    pub async fn search_persons(
        &self,
        actor: &Actor,
        text: &str,
    ) -> Result<Vec<PersonSummary>, CoreError> {
        let scope = self
            .authorize(actor, Action::ViewPersons, "person.search", "person", None)
            .await?;
        let q = self.search_query(&scope, text)?;
        let mut list = if q.is_empty() {
            Vec::new()
        } else {
            self.store.search_persons(&q).await?
        };
        for p in list.iter_mut() {
            if p.protected
                && !self
                    .store
                    .has_active_reveal(p.id, actor.user_id, now_micros())
                    .await?
            {
                p.name_roman = Some(pseudonym(p.id));
                p.name_urdu = None;
                p.parentage_relation = None;
                p.parentage_roman = None;
                p.parentage_urdu = None;
                p.pseudonymised = true;
            }
        }
        self.store
            .append_audit(
                AuditDraft::new(
                    &Principal::User(actor.clone()),
                    "person.search",
                    "person",
                    None,
                )
                .detail(json!({"q": crate::audit::redact_query(text), "results": list.len()})),
            )
            .await?;
        Ok(list)
    }

    /// Seal a person's record by court order (e.g. a protected witness): from then on only the
    /// named users and the sealing supervisor see it anywhere; for everyone else it does not exist.
    pub async fn seal_person(
        &self,
        actor: &Actor,
        id: PersonId,
        order_ref: &str,
        named: &[String],
    ) -> Result<(), CoreError> {
        let scope = self
            .authorize(
                actor,
                Action::SealRecord,
                "person.seal",
                "person",
                Some(id.to_string()),
            )
            .await?;
        let (access, _) = self.person_access(actor, &scope, id, "person.seal").await?;
        if !access.own {
            return Err(self
                .deny(
                    actor,
                    "person.seal",
                    "person",
                    Some(id.to_string()),
                    CoreError::Forbidden("not-case-owner"),
                )
                .await);
        }
        self.seal_record(actor, "person", &id.to_string(), order_ref, named)
            .await
    }
}
