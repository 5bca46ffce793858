//! Screening of arriving persons against the database: the pure part. The service gathers
//! candidates from the store (exact identifier hits, persons sharing a name match key); here each
//! candidate is scored and turned into explained flags. Thresholds are in one place, below.

use crate::intake_store::{Candidate, Encounter, Flag, FlagReason, WatchlistRecord};
use chrono::{Datelike, NaiveDate};
use nigehban_domain::identifiers::{Identifier, IdentifierKind};
use nigehban_domain::ids::{BatchId, PersonId};
use nigehban_domain::intake::{FlagKind, NationalityDoubt};
use nigehban_domain::person::{AgeInfo, Sex, ValidatedPerson};
use nigehban_names::{NameTables, NormalisedName};
use std::collections::{BTreeMap, HashMap, HashSet};

/// Name similarity from which a candidate is considered at all.
pub const NAME_MIN: f64 = 0.85;
/// Parentage similarity that counts as the same father or husband.
pub const PARENTAGE_MIN: f64 = 0.85;
/// A key shared by more persons than this is too common to say anything (a blocking rule).
pub const PER_KEY_LIMIT: i64 = 200;

/// What screening concluded about one arriving person.
#[derive(Debug, Clone, Default)]
pub struct ScreenResult {
    /// A recorded person with the same CNIC or passport: the entry reuses that record.
    pub existing: Option<PersonId>,
    pub flags: Vec<Flag>,
    /// Deported, offloaded or intercepted before: interview as a possible victim.
    pub victim_screening: bool,
}

fn reason(code: &str, args: &[(&str, String)]) -> FlagReason {
    FlagReason {
        code: code.to_string(),
        args: args
            .iter()
            .map(|(k, v)| ((*k).to_string(), v.clone()))
            .collect(),
    }
}

fn birth_year(p: &ValidatedPerson) -> Option<i32> {
    match p.age {
        AgeInfo::DateOfBirth { date } => Some(date.year()),
        _ => None,
    }
}

/// The blocking keys stored for a person: order- and spelling-insensitive keys of the name in
/// each script, alone and with the parentage and the birth year (from `nigehban-names`).
pub fn match_keys(names: &NameTables, p: &ValidatedPerson) -> Vec<String> {
    match_keys_of(
        names,
        [p.name.roman.as_deref(), p.name.urdu.as_deref()],
        [p.parentage.roman.as_deref(), p.parentage.urdu.as_deref()],
        birth_year(p),
    )
}

/// [`match_keys`] from the plain fields (as re-keying reads them back).
pub fn match_keys_of(
    names: &NameTables,
    name: [Option<&str>; 2],
    parentage: [Option<&str>; 2],
    birth_year: Option<i32>,
) -> Vec<String> {
    keys_with(name, parentage, |n, p| {
        names.blocking_keys(n, p, birth_year)
    })
}

fn keys_with(
    name: [Option<&str>; 2],
    parentage: [Option<&str>; 2],
    keys_of: impl Fn(&str, Option<&str>) -> Vec<String>,
) -> Vec<String> {
    let mut keys = Vec::new();
    for n in name.into_iter().flatten() {
        let mut any_parent = false;
        for par in parentage.into_iter().flatten() {
            any_parent = true;
            keys.extend(keys_of(n, Some(par)));
        }
        if !any_parent {
            keys.extend(keys_of(n, None));
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

/// Names normalised once: an arriving person is compared with many candidates.
fn normalised(names: &NameTables, texts: [Option<&str>; 2]) -> Vec<NormalisedName> {
    texts
        .into_iter()
        .flatten()
        .map(|t| names.normalise(t))
        .collect()
}

fn best_similarity(names: &NameTables, a: &[NormalisedName], b: &[NormalisedName]) -> Option<f64> {
    let mut best: Option<f64> = None;
    for x in a {
        for y in b {
            let s = names.similarity_normalised(x, y);
            best = Some(best.map_or(s, |b: f64| b.max(s)));
        }
    }
    best
}

/// An arriving person ready for scoring against many candidates.
pub struct Prepared<'a> {
    pub person: &'a ValidatedPerson,
    name: Vec<NormalisedName>,
    parentage: Vec<NormalisedName>,
}

impl<'a> Prepared<'a> {
    pub fn new(names: &NameTables, person: &'a ValidatedPerson) -> Prepared<'a> {
        Prepared {
            person,
            name: normalised(
                names,
                [person.name.roman.as_deref(), person.name.urdu.as_deref()],
            ),
            parentage: normalised(
                names,
                [
                    person.parentage.roman.as_deref(),
                    person.parentage.urdu.as_deref(),
                ],
            ),
        }
    }
}

/// How a recorded birth date compares with the arriving person's.
fn dob_agreement(a: NaiveDate, b: NaiveDate) -> Option<&'static str> {
    if a == b {
        Some("same-dob")
    } else if a.year() == b.year() && a.month() == b.day() && a.day() == b.month() {
        // Day and month swapped: the commonest slip between DD/MM and MM/DD forms.
        Some("dob-swapped")
    } else if a.year() == b.year() {
        Some("same-birth-year")
    } else {
        None
    }
}

/// Score one candidate against the arriving person: `None` when they are not alike enough.
/// The cheap refusals (sex, birth date) come before the name comparisons.
pub fn similar_flag(names: &NameTables, a: &Prepared<'_>, c: &Candidate) -> Option<Flag> {
    let p = a.person;
    if matches!(
        (p.sex, c.sex),
        (Sex::Male, Sex::Female) | (Sex::Female, Sex::Male)
    ) {
        return None;
    }
    let dob = match (p.age, c.dob) {
        (AgeInfo::DateOfBirth { date }, Some(cd)) => Some((dob_agreement(date, cd)?, cd)),
        _ => None,
    };
    let candidate_name = normalised(names, [c.name_roman.as_deref(), c.name_urdu.as_deref()]);
    let name = best_similarity(names, &a.name, &candidate_name)?;
    if name < NAME_MIN {
        return None;
    }
    let mut reasons = vec![reason(
        "similar-name",
        &[("score", format!("{:.0}", name * 100.0))],
    )];
    let mut support = 0.0;
    let mut evidence = 0;
    let candidate_parentage = normalised(
        names,
        [c.parentage_roman.as_deref(), c.parentage_urdu.as_deref()],
    );
    if let Some(par) = best_similarity(names, &a.parentage, &candidate_parentage) {
        if par >= PARENTAGE_MIN {
            reasons.push(reason(
                "similar-parentage",
                &[("score", format!("{:.0}", par * 100.0))],
            ));
            support += par;
            evidence += 1;
        } else {
            // A different father's name is strong evidence of a different person.
            return None;
        }
    }
    if let Some((code, cd)) = dob {
        reasons.push(reason(code, &[("date", cd.to_string())]));
        support += if code == "same-birth-year" { 0.8 } else { 1.0 };
        evidence += 1;
    }
    if evidence == 0 {
        // A name alone is not enough to point at somebody.
        return None;
    }
    let score = (name + support) / f64::from(1 + evidence);
    Some(Flag {
        kind: FlagKind::SimilarPerson,
        person_id: Some(c.person_id),
        agency: Some(c.agency.clone()),
        score: Some((score * 100.0).round() / 100.0),
        reasons,
    })
}

/// Everything screening gathered from the store for a set of arriving persons.
#[derive(Debug, Default)]
pub struct Gathered {
    pub by_identifier: HashMap<(IdentifierKind, String), Vec<PersonId>>,
    pub by_key: HashMap<String, Vec<PersonId>>,
    pub candidates: HashMap<PersonId, Candidate>,
    pub encounters: HashMap<PersonId, Vec<Encounter>>,
    pub watchlist: HashMap<PersonId, Vec<WatchlistRecord>>,
}

/// The identifiers that single a person out (a phone is shared too often to count).
pub fn strong_identifiers(p: &ValidatedPerson) -> impl Iterator<Item = &Identifier> {
    p.identifiers
        .iter()
        .filter(|i| matches!(i.kind, IdentifierKind::Cnic | IdentifierKind::Passport))
}

/// Persons found for one arriving person: exact identifier hits and similar persons.
pub fn matches_of(names: &NameTables, p: &ValidatedPerson, g: &Gathered) -> (Vec<Flag>, Vec<Flag>) {
    let prepared = Prepared::new(names, p);
    let mut exact: BTreeMap<PersonId, Vec<FlagReason>> = BTreeMap::new();
    for i in strong_identifiers(p) {
        for pid in g
            .by_identifier
            .get(&(i.kind, i.value.clone()))
            .into_iter()
            .flatten()
        {
            exact
                .entry(*pid)
                .or_default()
                .push(reason(&format!("same-{}", i.kind.as_str()), &[]));
        }
    }
    let exact_flags: Vec<Flag> = exact
        .into_iter()
        .map(|(pid, reasons)| Flag {
            kind: FlagKind::SameIdentifier,
            person_id: Some(pid),
            agency: g.candidates.get(&pid).map(|c| c.agency.clone()),
            score: Some(1.0),
            reasons,
        })
        .collect();
    let exact_ids: HashSet<PersonId> = exact_flags.iter().filter_map(|f| f.person_id).collect();
    let mut seen = HashSet::new();
    let mut similar = Vec::new();
    for key in match_keys(names, p) {
        for pid in g.by_key.get(&key).into_iter().flatten() {
            if exact_ids.contains(pid) || !seen.insert(*pid) {
                continue;
            }
            if let Some(f) = g
                .candidates
                .get(pid)
                .and_then(|c| similar_flag(names, &prepared, c))
            {
                similar.push(f);
            }
        }
    }
    similar.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    similar.truncate(5);
    (exact_flags, similar)
}

/// Turn the matches of one person into the flags shown to the officer.
pub fn flags_for(
    names: &NameTables,
    p: &ValidatedPerson,
    doubts: Vec<NationalityDoubt>,
    g: &Gathered,
    this_batch: Option<BatchId>,
) -> ScreenResult {
    let (exact, similar) = matches_of(names, p, g);
    let existing = exact.first().and_then(|f| f.person_id);
    let mut flags = Vec::new();
    // Earlier encounters and watch lists of the persons this one is, or may be.
    let mut encounter_reasons = Vec::new();
    let mut watch_flags = Vec::new();
    for f in exact.iter().chain(similar.iter()) {
        let Some(pid) = f.person_id else { continue };
        let mine: Vec<&Encounter> = g
            .encounters
            .get(&pid)
            .into_iter()
            .flatten()
            .filter(|e| e.batch_id.is_none() || e.batch_id != this_batch)
            .collect();
        if !mine.is_empty() {
            let latest = mine.iter().map(|e| e.date).max();
            let kinds: Vec<&str> = {
                let mut k: Vec<&str> = mine.iter().map(|e| e.kind.as_str()).collect();
                k.sort_unstable();
                k.dedup();
                k
            };
            encounter_reasons.push(reason(
                if f.kind == FlagKind::SameIdentifier {
                    "earlier-encounters"
                } else {
                    "earlier-encounters-similar"
                },
                &[
                    ("count", mine.len().to_string()),
                    ("kinds", kinds.join(", ")),
                    ("latest", latest.map(|d| d.to_string()).unwrap_or_default()),
                ],
            ));
        }
        for w in g.watchlist.get(&pid).into_iter().flatten() {
            watch_flags.push(Flag {
                kind: FlagKind::Watchlist,
                person_id: Some(pid),
                agency: f.agency.clone(),
                score: f.score,
                reasons: vec![reason(
                    &format!("on-{}", w.list.as_str().replace('_', "-")),
                    &[
                        ("edition", w.edition.clone()),
                        ("reference", w.reference.clone().unwrap_or_default()),
                    ],
                )],
            });
        }
    }
    let victim_screening = !encounter_reasons.is_empty();
    flags.extend(exact);
    flags.extend(similar);
    if victim_screening {
        flags.push(Flag {
            kind: FlagKind::RepeatEncounter,
            person_id: None,
            agency: None,
            score: None,
            reasons: encounter_reasons,
        });
    }
    flags.extend(watch_flags);
    if !doubts.is_empty() {
        flags.push(Flag {
            kind: FlagKind::NationalityDoubt,
            person_id: None,
            agency: None,
            score: None,
            reasons: doubts
                .into_iter()
                .map(|d| FlagReason {
                    code: format!("doubt-{}", d.code),
                    args: d.args,
                })
                .collect(),
        });
    }
    ScreenResult {
        existing,
        flags,
        victim_screening,
    }
}
