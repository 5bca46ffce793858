//! Insider-abuse alerts: patterns in the audit log that an auditor should look at. The rules are a
//! pure function of audit entries, so they are tested on made-up activity, and each alert carries
//! its explanation (what was counted, in which window, against which threshold).

use crate::audit::AuditEntry;
use chrono::{DateTime, FixedOffset, Timelike, Utc};
use serde::Serialize;
use std::collections::BTreeMap;

/// Pakistan Standard Time (UTC+5), for "odd hours".
const PKT_SECONDS: i32 = 5 * 3600;

/// One alert rule: what it counts and when it fires. Kept in one table a reviewer can read.
#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub code: &'static str,
    /// Minutes per counting window.
    pub window_minutes: i64,
    /// Fire when a user's count in one window reaches this.
    pub threshold: usize,
}

pub const RULES: &[Rule] = &[
    // Many record views and searches in a short time: browsing, or harvesting names.
    Rule {
        code: "many-lookups",
        window_minutes: 10,
        threshold: 40,
    },
    // Attempts to open records outside one's jurisdiction (refused by the policy).
    Rule {
        code: "outside-jurisdiction",
        window_minutes: 24 * 60,
        threshold: 3,
    },
    // Protected identities revealed again and again.
    Rule {
        code: "repeated-reveals",
        window_minutes: 24 * 60,
        threshold: 3,
    },
    // Reading records at night (22:00 to 06:00 Pakistan time).
    Rule {
        code: "odd-hours",
        window_minutes: 24 * 60,
        threshold: 5,
    },
    // Exports of records in bulk.
    Rule {
        code: "bulk-exports",
        window_minutes: 60,
        threshold: 3,
    },
];

fn is_lookup(e: &AuditEntry) -> bool {
    matches!(
        e.action.as_str(),
        "case.view" | "person.view" | "case.search" | "person.search" | "case.list"
    )
}

fn matches(rule: &str, e: &AuditEntry) -> bool {
    match rule {
        "many-lookups" => e.outcome == "done" && is_lookup(e),
        "outside-jurisdiction" => {
            e.outcome == "denied" && e.actor_id.is_some() && !e.action.starts_with("auth.")
        }
        "repeated-reveals" => e.outcome == "done" && e.action == "identity.reveal",
        "odd-hours" => e.outcome == "done" && is_lookup(e) && at_night(e.at_micros),
        "bulk-exports" => e.outcome == "done" && e.action.starts_with("export."),
        _ => false,
    }
}

fn at_night(micros: i64) -> bool {
    let Some(offset) = FixedOffset::east_opt(PKT_SECONDS) else {
        return false;
    };
    match DateTime::from_timestamp_micros(micros) {
        Some(t) => {
            let h = t.with_timezone(&offset).hour();
            !(6..22).contains(&h)
        }
        None => false,
    }
}

/// An alert found in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: &'static str,
    pub actor_name: String,
    /// Start of the counting window (microseconds since the epoch); with rule and user, the
    /// alert's identity, so a rescan does not raise it twice.
    pub window_start: i64,
    pub window_minutes: i64,
    pub count: usize,
    pub threshold: usize,
    /// Sequence numbers of the entries that made it fire (the first few), for the review.
    pub examples: Vec<i64>,
}

/// Apply every rule to the entries (any order).
pub fn evaluate(entries: &[AuditEntry]) -> Vec<Finding> {
    let mut out = Vec::new();
    for rule in RULES {
        let width = rule.window_minutes * 60 * 1_000_000;
        let mut buckets: BTreeMap<(String, i64), Vec<i64>> = BTreeMap::new();
        for e in entries.iter().filter(|e| matches(rule.code, e)) {
            let start = e.at_micros.div_euclid(width) * width;
            buckets
                .entry((e.actor_name.clone(), start))
                .or_default()
                .push(e.seq);
        }
        for ((actor, start), seqs) in buckets {
            if seqs.len() >= rule.threshold {
                out.push(Finding {
                    rule: rule.code,
                    actor_name: actor,
                    window_start: start,
                    window_minutes: rule.window_minutes,
                    count: seqs.len(),
                    threshold: rule.threshold,
                    examples: seqs.into_iter().take(5).collect(),
                });
            }
        }
    }
    out
}

/// An alert as stored, with its acknowledgement.
#[derive(Debug, Clone, Serialize)]
pub struct Alert {
    pub id: String,
    pub finding: StoredFinding,
    pub raised_at: DateTime<Utc>,
    pub ack_by: Option<String>,
    pub ack_at: Option<DateTime<Utc>>,
    pub ack_comment: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StoredFinding {
    pub rule: String,
    pub actor_name: String,
    pub window_start: i64,
    pub window_minutes: i64,
    pub count: i64,
    pub threshold: i64,
    pub examples: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: i64, actor: &str, action: &str, outcome: &str, at: DateTime<Utc>) -> AuditEntry {
        AuditEntry {
            seq,
            at_micros: at.timestamp_micros(),
            actor_id: Some("u".into()),
            actor_name: actor.into(),
            origin: "127.0.0.1".into(),
            action: action.into(),
            entity_kind: "person".into(),
            entity_id: None,
            outcome: outcome.into(),
            detail: "{}".into(),
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    fn noon() -> DateTime<Utc> {
        // 12:00 in Pakistan.
        DateTime::from_timestamp(1_790_000_000 - 1_790_000_000 % 86_400 + 7 * 3600, 0).unwrap()
    }

    #[test]
    fn quiet_work_raises_nothing() {
        let t = noon();
        let es: Vec<_> = (0..20)
            .map(|i| {
                entry(
                    i,
                    "inv",
                    "case.view",
                    "done",
                    t + chrono::Duration::seconds(i * 60),
                )
            })
            .collect();
        assert!(evaluate(&es).is_empty());
    }

    #[test]
    fn each_rule_fires_on_its_pattern() {
        let t = noon();
        let mut es = Vec::new();
        let mut seq = 0;
        let mut push = |actor: &str, action: &str, outcome: &str, at: DateTime<Utc>| {
            seq += 1;
            es.push(entry(seq, actor, action, outcome, at));
        };
        for i in 0..45 {
            push(
                "harvester",
                "person.view",
                "done",
                t + chrono::Duration::seconds(i),
            );
        }
        for i in 0..3 {
            push(
                "prober",
                "case.view",
                "denied",
                t + chrono::Duration::minutes(i),
            );
        }
        for i in 0..3 {
            push(
                "curious",
                "identity.reveal",
                "done",
                t + chrono::Duration::minutes(i * 30),
            );
        }
        let night = t - chrono::Duration::hours(10); // 02:00 in Pakistan
        for i in 0..5 {
            push(
                "nightowl",
                "case.search",
                "done",
                night + chrono::Duration::minutes(i),
            );
        }
        let found = evaluate(&es);
        let rules: Vec<(&str, &str)> = found
            .iter()
            .map(|f| (f.rule, f.actor_name.as_str()))
            .collect();
        assert!(rules.contains(&("many-lookups", "harvester")), "{rules:?}");
        assert!(
            rules.contains(&("outside-jurisdiction", "prober")),
            "{rules:?}"
        );
        assert!(
            rules.contains(&("repeated-reveals", "curious")),
            "{rules:?}"
        );
        assert!(rules.contains(&("odd-hours", "nightowl")), "{rules:?}");
        assert!(!rules
            .iter()
            .any(|(_, a)| *a == "harvester" && rules.len() > 5));
        let h = found.iter().find(|f| f.rule == "many-lookups").unwrap();
        assert_eq!(h.count, 45);
        assert_eq!(h.examples.len(), 5);
    }
}
