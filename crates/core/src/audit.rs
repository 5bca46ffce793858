//! The hash-chained audit log. Every entry's hash covers its own fields and the previous entry's
//! hash, so editing, deleting or reordering any entry in the database breaks the chain from that
//! point on, and [`verify_chain`] names the first entry where it breaks. The store appends entries
//! in the same transaction as the change they record, under a lock on the chain head.

use crate::actor::Principal;
use chrono::{DateTime, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Whether the action was done or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Outcome {
    Done,
    Denied,
    Failed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Done => "done",
            Outcome::Denied => "denied",
            Outcome::Failed => "failed",
        }
    }
}

/// An entry waiting to be appended: everything but its place in the chain.
#[derive(Debug, Clone)]
pub struct AuditDraft {
    pub at: DateTime<Utc>,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub origin: String,
    pub action: String,
    pub entity_kind: String,
    pub entity_id: Option<String>,
    pub outcome: Outcome,
    /// Compact JSON with what the action concerned (ids, case numbers, the query typed).
    pub detail: String,
}

impl AuditDraft {
    pub fn new(
        principal: &Principal,
        action: &str,
        entity_kind: &str,
        entity_id: Option<String>,
    ) -> AuditDraft {
        let (actor_id, actor_name, origin) = match principal {
            Principal::User(a) => (
                Some(a.user_id.to_string()),
                a.username.clone(),
                a.origin.clone(),
            ),
            Principal::System { name, origin } => (None, format!("system:{name}"), origin.clone()),
        };
        AuditDraft {
            at: Utc::now(),
            actor_id,
            actor_name,
            origin,
            action: action.to_string(),
            entity_kind: entity_kind.to_string(),
            entity_id,
            outcome: Outcome::Done,
            detail: "{}".to_string(),
        }
    }
    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail.to_string();
        self
    }
    pub fn outcome(mut self, outcome: Outcome) -> Self {
        self.outcome = outcome;
        self
    }
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    /// Microseconds since the Unix epoch, UTC.
    pub at_micros: i64,
    pub actor_id: Option<String>,
    pub actor_name: String,
    pub origin: String,
    pub action: String,
    pub entity_kind: String,
    pub entity_id: Option<String>,
    pub outcome: String,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// Place a draft in the chain after the entry with sequence `prev_seq` and hash `prev_hash`.
    pub fn chain(draft: AuditDraft, prev_seq: i64, prev_hash: &str) -> AuditEntry {
        let mut e = AuditEntry {
            seq: prev_seq + 1,
            at_micros: draft.at.timestamp_micros(),
            actor_id: draft.actor_id,
            actor_name: draft.actor_name,
            origin: draft.origin,
            action: draft.action,
            entity_kind: draft.entity_kind,
            entity_id: draft.entity_id,
            outcome: draft.outcome.as_str().to_string(),
            detail: draft.detail,
            prev_hash: prev_hash.to_string(),
            hash: String::new(),
        };
        e.hash = e.compute_hash();
        e
    }

    /// SHA-256 over an unambiguous encoding of every field but the hash itself.
    pub fn compute_hash(&self) -> String {
        let canonical = serde_json::json!([
            self.seq,
            self.at_micros,
            self.actor_id,
            self.actor_name,
            self.origin,
            self.action,
            self.entity_kind,
            self.entity_id,
            self.outcome,
            self.detail,
            self.prev_hash,
        ]);
        let digest = Sha256::digest(canonical.to_string().as_bytes());
        hex::encode(digest)
    }
}

/// Why verification stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ChainBreak {
    /// The entry's contents do not match its hash: it was edited.
    Edited,
    /// The entry's `prev_hash` does not match the entry before it: something before it was
    /// deleted, inserted or reordered.
    Unlinked,
    /// The sequence jumps: entries are missing.
    Gap { expected: i64 },
    /// The chain head records more entries, or another last hash, than the log holds: the newest
    /// entries were removed.
    Truncated { head_seq: i64 },
}

/// The first bad entry, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    pub checked: i64,
    pub first_bad: Option<(i64, ChainBreak)>,
}

/// Incremental chain verifier: feed it entries in sequence order, page by page.
#[derive(Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    prev_hash: String,
    checked: i64,
    first_bad: Option<(i64, ChainBreak)>,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self::new()
    }
}

impl ChainVerifier {
    pub fn new() -> Self {
        ChainVerifier {
            expected_seq: 1,
            prev_hash: GENESIS_HASH.to_string(),
            checked: 0,
            first_bad: None,
        }
    }

    /// Check the next entry. Returns false once a break was found (later entries need no look).
    pub fn feed(&mut self, e: &AuditEntry) -> bool {
        if self.first_bad.is_some() {
            return false;
        }
        let problem = if e.seq != self.expected_seq {
            Some(ChainBreak::Gap {
                expected: self.expected_seq,
            })
        } else if e.compute_hash() != e.hash {
            Some(ChainBreak::Edited)
        } else if e.prev_hash != self.prev_hash {
            Some(ChainBreak::Unlinked)
        } else {
            None
        };
        if let Some(p) = problem {
            self.first_bad = Some((e.seq, p));
            return false;
        }
        self.checked += 1;
        self.expected_seq += 1;
        self.prev_hash = e.hash.clone();
        true
    }

    /// Finish against the chain head the store keeps (last sequence and hash).
    pub fn finish(mut self, head_seq: i64, head_hash: &str) -> VerifyReport {
        if self.first_bad.is_none()
            && (head_seq != self.expected_seq - 1 || head_hash != self.prev_hash)
        {
            self.first_bad = Some((self.expected_seq, ChainBreak::Truncated { head_seq }));
        }
        VerifyReport {
            checked: self.checked,
            first_bad: self.first_bad,
        }
    }
}

/// A search as the audit log keeps it: enough for an auditor to see what kind of search it was
/// (a name of two words, a CNIC from region 35202), not whom it sought, since auditors read the
/// log but not case content. Each word keeps its first character (first five of a number).
pub fn redact_query(text: &str) -> String {
    text.split_whitespace()
        .map(|w| {
            let numeric = w
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, '-' | '+' | '/'));
            let keep = if numeric { 5 } else { 1 };
            let shown: String = w.chars().take(keep).collect();
            if w.chars().count() > keep {
                format!("{shown}…")
            } else {
                shown
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// `cli@hostname`, for entries made from the command line.
pub fn local_origin() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "localhost".to_string());
    format!("cli@{host}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(action: &str) -> AuditDraft {
        AuditDraft::new(&Principal::system("test"), action, "case", Some("x".into()))
    }

    fn chain(n: usize) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for i in 0..n {
            let (seq, hash) = out
                .last()
                .map(|e| (e.seq, e.hash.clone()))
                .unwrap_or((0, GENESIS_HASH.into()));
            out.push(AuditEntry::chain(draft(&format!("a{i}")), seq, &hash));
        }
        out
    }

    fn verify(entries: &[AuditEntry], head: (i64, &str)) -> VerifyReport {
        let mut v = ChainVerifier::new();
        for e in entries {
            v.feed(e);
        }
        v.finish(head.0, head.1)
    }

    #[test]
    fn search_terms_are_redacted() {
        assert_eq!(redact_query("Kaneez Fatima"), "K… F…");
        assert_eq!(redact_query("35202-1234567-1"), "35202…");
        assert_eq!(redact_query("کنیز"), "ک…");
        assert_eq!(redact_query("FIA-AHTC-LHE-2026-000001"), "F…");
    }

    #[test]
    fn intact_chain_verifies() {
        let c = chain(5);
        let r = verify(&c, (5, &c[4].hash));
        assert_eq!(
            r,
            VerifyReport {
                checked: 5,
                first_bad: None
            }
        );
    }

    #[test]
    fn edit_delete_reorder_and_truncation_are_caught() {
        let c = chain(5);
        let head = (5, c[4].hash.as_str());
        let mut edited = c.clone();
        edited[2].action = "view".into();
        assert_eq!(
            verify(&edited, head).first_bad,
            Some((3, ChainBreak::Edited))
        );

        let mut deleted = c.clone();
        deleted.remove(1);
        assert_eq!(
            verify(&deleted, head).first_bad,
            Some((3, ChainBreak::Gap { expected: 2 }))
        );

        // Reordering while keeping sequence numbers: swap the contents of entries 2 and 3.
        let mut reordered = c.clone();
        let (a, b) = (reordered[1].clone(), reordered[2].clone());
        reordered[1] = AuditEntry { seq: 2, ..b };
        reordered[2] = AuditEntry { seq: 3, ..a };
        assert_eq!(verify(&reordered, head).first_bad.map(|x| x.0), Some(2));

        let truncated = &c[..4];
        assert_eq!(
            verify(truncated, head).first_bad,
            Some((5, ChainBreak::Truncated { head_seq: 5 }))
        );
    }
}
