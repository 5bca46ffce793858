//! Blocking: which pairs are compared at all. Each record gets keys from rules generated from
//! the kinds of its fields; two records are compared when they share a key. Keys held by more
//! records than a limit are skipped (counted and reported), so that a million records with
//! common names still give a manageable number of comparisons.

use crate::parallel::{map_ranges, stable_hash};
use crate::record::Dataset;
use crate::schema::FieldKind;
use crate::value::{NameToken, Value};
use nigehban_names::{NameTables, BLOCKING_MIN_WEIGHT};
use serde::Serialize;

/// The blocking rules a schema gives, for reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockingRule {
    pub code: String,
    pub description: String,
}

/// What blocking did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BlockingStats {
    /// Distinct keys shared by at least two records.
    pub keys: u64,
    /// Keys skipped because more records than `max_block` held them.
    pub skipped_keys: u64,
    /// Records holding a skipped key (counted once per key).
    pub skipped_key_records: u64,
    /// The largest block kept: `Settings::max_block`, or less when the blocks up to that size
    /// would give more pairs than `Settings::max_comparisons_per_record` allows.
    pub max_block: u64,
    /// Distinct pairs to compare.
    pub pairs: u64,
}

/// Which pairs to compare: all pairs of a list, or pairs across two lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Mode {
    /// Find the records of one list that are the same person.
    Dedupe,
    /// Records `0..left` are one list and `left..` another: compare only across them.
    Link { left: usize },
}

impl Mode {
    /// Pairs there are in all.
    pub fn total_pairs(self, len: usize) -> f64 {
        let n = len as f64;
        match self {
            Mode::Dedupe => n * (n - 1.0) / 2.0,
            Mode::Link { left } => {
                let l = left.min(len) as f64;
                l * (n - l)
            }
        }
    }

    pub(crate) fn side(self, record: usize) -> u8 {
        match self {
            Mode::Dedupe => 0,
            Mode::Link { left } => u8::from(record >= left),
        }
    }
}

/// The rules blocking uses for a dataset's schema.
pub fn rules(data: &Dataset) -> Vec<BlockingRule> {
    let s = data.schema();
    let mut out = Vec::new();
    let rule = |code: &str, description: String| BlockingRule {
        code: code.to_string(),
        description,
    };
    let names = name_fields(data);
    if !names.primary.is_empty() {
        let mut what = vec![field_list(data, &names.primary)];
        if let Some(p) = names.parentage {
            what.push(format!("+ {}", field_name(data, p)));
        }
        if let Some(d) = names.date {
            what.push(format!("+ year of {}", field_name(data, d)));
        }
        out.push(rule(
            "name_keys",
            format!(
                "name keys of nigehban-names (informative tokens by sound, name + parentage, name + birth year) from {}; the whole name's sound with the birth year, the parent's first name or the place",
                what.join(" ")
            ),
        ));
        if let Some(d) = names.date {
            out.push(rule(
                "date_initial",
                format!(
                    "{} (day and month in either order) + first sound of a name token; day and month + the first sounds of all name tokens",
                    field_name(data, d)
                ),
            ));
        }
    }
    for (f, spec) in s.fields().iter().enumerate() {
        match spec.kind {
            FieldKind::Identifier => out.push(rule(
                "identifier",
                format!("{} exact, or its last 7 characters", field_name(data, f)),
            )),
            FieldKind::Phone => out.push(rule(
                "phone",
                format!("{} exact, or its last 7 digits", field_name(data, f)),
            )),
            _ => {}
        }
    }
    if out.is_empty() {
        for (f, spec) in s.fields().iter().enumerate() {
            out.push(rule(
                "value",
                format!("{} ({}) exact", field_name(data, f), spec.kind),
            ));
        }
    }
    out
}

fn field_name(data: &Dataset, f: usize) -> String {
    data.schema()
        .fields()
        .get(f)
        .map(|s| s.name.clone())
        .unwrap_or_default()
}

fn field_list(data: &Dataset, fields: &[usize]) -> String {
    fields
        .iter()
        .map(|f| field_name(data, *f))
        .collect::<Vec<_>>()
        .join(" + ")
}

struct NameFields {
    /// Full name, or given (+ family) name fields.
    primary: Vec<usize>,
    parentage: Option<usize>,
    date: Option<usize>,
    /// Locality fields (a name is blocked on with its place too).
    places: Vec<usize>,
}

/// The informative tokens' phonetic keys, sorted and joined (all tokens when none is
/// informative): the sound of a name in any order, spelling and script.
fn name_sound(tokens: &[&NameToken]) -> String {
    let informative = |t: &&&NameToken| !t.is_initial() && t.weight >= BLOCKING_MIN_WEIGHT;
    let mut keys: Vec<&str> = tokens
        .iter()
        .filter(informative)
        .map(|t| t.phonetic.as_str())
        .collect();
    if keys.is_empty() {
        keys = tokens
            .iter()
            .filter(|t| !t.is_initial())
            .map(|t| t.phonetic.as_str())
            .collect();
    }
    keys.retain(|k| !k.is_empty());
    keys.sort_unstable();
    keys.dedup();
    keys.join(".")
}

/// The phonetic key of the first informative token of a name (of the first token when none
/// is informative).
fn first_sound(tokens: &[NameToken]) -> Option<String> {
    tokens
        .iter()
        .find(|t| !t.is_initial() && t.weight >= BLOCKING_MIN_WEIGHT)
        .or_else(|| tokens.iter().find(|t| !t.is_initial()))
        .map(|t| t.phonetic.clone())
        .filter(|k| !k.is_empty())
}

fn name_fields(data: &Dataset) -> NameFields {
    let s = data.schema();
    let primary = match s.first(FieldKind::FullName) {
        Some(f) => vec![f],
        None => [FieldKind::GivenName, FieldKind::FamilyName]
            .into_iter()
            .filter_map(|k| s.first(k))
            .collect(),
    };
    NameFields {
        primary,
        parentage: s.first(FieldKind::Parentage),
        date: s.first(FieldKind::Date),
        places: s
            .fields()
            .iter()
            .enumerate()
            .filter(|(_, f)| f.kind == FieldKind::Locality)
            .map(|(i, _)| i)
            .collect(),
    }
}

fn name_tokens<'a>(data: &'a Dataset, fields: &[usize], r: usize) -> Vec<&'a NameToken> {
    let mut out = Vec::new();
    for f in fields {
        if let Some(Value::Name(n)) = data.value(r, *f) {
            out.extend(n.tokens.iter());
        }
    }
    out
}

/// Keys of one record (hashed, sorted, deduplicated).
fn record_keys(names: &NameTables, data: &Dataset, nf: &NameFields, r: usize) -> Vec<u64> {
    let mut keys: Vec<u64> = Vec::with_capacity(16);
    let tokens = name_tokens(data, &nf.primary, r);
    let year = nf.date.and_then(|d| match data.value(r, d) {
        Some(Value::Date(d)) => Some(d.year),
        _ => None,
    });
    if !tokens.is_empty() {
        let texts: Vec<String> = tokens.iter().map(|t| t.text.clone()).collect();
        let parent: Vec<String> = nf
            .parentage
            .and_then(|p| match data.value(r, p) {
                Some(Value::Name(n)) => Some(n.token_texts()),
                _ => None,
            })
            .unwrap_or_default();
        for k in names.blocking_keys_normalised(&texts, &parent, year, 0) {
            keys.push(stable_hash(&[b"n", k.as_bytes()]));
        }
        // The whole name's sound with one more thing: selective where the name alone is too
        // common to block on (a million records hold hundreds of Asif Khans).
        let sound = name_sound(&tokens);
        if !sound.is_empty() {
            if let Some(y) = year {
                keys.push(stable_hash(&[b"ny", sound.as_bytes(), &y.to_le_bytes()]));
            }
            let parent_sound = nf.parentage.and_then(|p| match data.value(r, p) {
                Some(Value::Name(n)) => first_sound(&n.tokens),
                _ => None,
            });
            if let Some(ps) = parent_sound {
                keys.push(stable_hash(&[b"np", sound.as_bytes(), ps.as_bytes()]));
            }
            for l in &nf.places {
                if let Some(Value::Words(w)) = data.value(r, *l) {
                    keys.push(stable_hash(&[b"nl", sound.as_bytes(), w.exact.as_bytes()]));
                }
            }
        }
        if let Some(Value::Date(d)) = nf.date.and_then(|d| data.value(r, d)) {
            if d.is_full() {
                let (lo, hi) = (d.month.min(d.day), d.month.max(d.day));
                let date = [d.year.to_le_bytes()[0], d.year.to_le_bytes()[1], lo, hi];
                let mut initials: Vec<u8> = tokens
                    .iter()
                    .filter(|t| !t.is_initial() && t.weight >= BLOCKING_MIN_WEIGHT)
                    .filter_map(|t| t.phonetic.bytes().next())
                    .collect();
                if initials.is_empty() {
                    initials = tokens
                        .iter()
                        .filter_map(|t| t.phonetic.bytes().next())
                        .collect();
                }
                initials.sort_unstable();
                initials.dedup();
                initials.truncate(4);
                for i in &initials {
                    keys.push(stable_hash(&[b"d", &date, &[*i]]));
                }
                // Day and month (either order) with every initial, whatever the year (a year
                // mistyped or off by one).
                if initials.len() >= 2 {
                    keys.push(stable_hash(&[b"e", &[lo, hi], &initials]));
                }
            }
        }
    }
    let s = data.schema();
    let mut any_rule = !nf.primary.is_empty();
    for (f, spec) in s.fields().iter().enumerate() {
        if matches!(spec.kind, FieldKind::Identifier | FieldKind::Phone) {
            any_rule = true;
            if let Some(Value::Code(c)) = data.value(r, f) {
                let tag = [b'i', u8::try_from(f).unwrap_or(0)];
                keys.push(stable_hash(&[&tag, c.as_bytes()]));
                // The last seven characters: a number written in part (a CNIC's serial and
                // check digit, a phone without its network code).
                if c.len() > 7 {
                    let tail = c.get(c.len() - 7..).unwrap_or("");
                    let tag = [b'l', u8::try_from(f).unwrap_or(0)];
                    keys.push(stable_hash(&[&tag, tail.as_bytes()]));
                }
            }
        }
    }
    if !any_rule {
        // Nothing to block on but plain values: their exact text.
        for f in 0..s.len() {
            if let Some(key) = data.value(r, f).and_then(Value::tf_key) {
                let tag = [b'v', u8::try_from(f).unwrap_or(0)];
                keys.push(stable_hash(&[&tag, key.as_bytes()]));
            }
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The distinct pairs to compare, sorted, each `(a, b)` with `a < b` (in link mode `a` is in
/// the left list and `b` in the right one).
pub(crate) fn candidate_pairs(
    names: &NameTables,
    data: &Dataset,
    mode: Mode,
    max_block: usize,
    pair_budget: u64,
    threads: usize,
    on_progress: &(dyn Fn(u64) + Sync),
) -> (Vec<(u32, u32)>, BlockingStats) {
    let n = data.len();
    let nf = name_fields(data);
    // (key, record) for every record, sorted by key then record.
    let mut entries: Vec<(u64, u32)> = map_ranges(n, 4096, threads, |range| {
        let mut out = Vec::with_capacity(range.len() * 8);
        for r in range {
            let rid = u32::try_from(r).unwrap_or(u32::MAX);
            for k in record_keys(names, data, &nf, r) {
                out.push((k, rid));
            }
        }
        out
    });
    entries.sort_unstable();
    on_progress(n as u64 / 2);

    // Groups of records sharing a key (at least two records, both lists in link mode), with
    // the pairs each gives.
    let mut candidates: Vec<(usize, usize, u64)> = Vec::new(); // (start, len, pairs)
    let mut i = 0;
    while i < entries.len() {
        let key = entries.get(i).map(|e| e.0);
        let mut j = i + 1;
        while j < entries.len() && entries.get(j).map(|e| e.0) == key {
            j += 1;
        }
        let len = j - i;
        if len >= 2 {
            let pairs = match mode {
                Mode::Dedupe => (len * (len - 1) / 2) as u64,
                Mode::Link { .. } => {
                    let members = entries.get(i..j).unwrap_or(&[]);
                    let left = members
                        .iter()
                        .filter(|e| mode.side(e.1 as usize) == 0)
                        .count();
                    (left * (len - left)) as u64
                }
            };
            if pairs > 0 {
                candidates.push((i, len, pairs));
            }
        }
        i = j;
    }
    // The largest block size kept: at most `max_block`, and small enough that the pairs of
    // all blocks kept stay within the budget (the most common keys go first).
    let mut by_size: Vec<(usize, u64)> = candidates.iter().map(|c| (c.1, c.2)).collect();
    by_size.sort_unstable();
    let mut cap = max_block.max(2);
    let mut total = 0u64;
    let mut k = 0;
    while let Some(&(len, _)) = by_size.get(k) {
        if len > cap {
            break;
        }
        let mut group_pairs = 0u64;
        while let Some(&(l, p)) = by_size.get(k) {
            if l != len {
                break;
            }
            group_pairs += p;
            k += 1;
        }
        if total + group_pairs > pair_budget && len > 2 {
            cap = len - 1;
            break;
        }
        total += group_pairs;
    }
    let mut stats = BlockingStats {
        max_block: cap as u64,
        ..BlockingStats::default()
    };
    let mut groups: Vec<(u32, u32)> = Vec::new(); // (start, len) in `entries`
    let mut memberships: Vec<(u32, u32)> = Vec::new(); // (record, group)
    for (start, len, _) in candidates {
        stats.keys += 1;
        if len > cap {
            stats.skipped_keys += 1;
            stats.skipped_key_records += len as u64;
            continue;
        }
        let g = u32::try_from(groups.len()).unwrap_or(u32::MAX);
        groups.push((
            u32::try_from(start).unwrap_or(u32::MAX),
            u32::try_from(len).unwrap_or(0),
        ));
        for e in entries.get(start..start + len).unwrap_or(&[]) {
            memberships.push((e.1, g));
        }
    }
    memberships.sort_unstable();
    // Start of each record's memberships.
    let mut starts = vec![0u32; n + 1];
    for (r, _) in &memberships {
        if let Some(s) = starts.get_mut(*r as usize + 1) {
            *s += 1;
        }
    }
    for r in 0..n {
        let prev = starts.get(r).copied().unwrap_or(0);
        if let Some(s) = starts.get_mut(r + 1) {
            *s += prev;
        }
    }

    let pairs: Vec<(u32, u32)> = map_ranges(n, 2048, threads, |range| {
        let mut out = Vec::new();
        let mut local: Vec<u32> = Vec::new();
        for r in range.clone() {
            // In link mode the left record gathers its partners; right records gather none.
            if let Mode::Link { left } = mode {
                if r >= left {
                    continue;
                }
            }
            local.clear();
            let (s, e) = (
                starts.get(r).copied().unwrap_or(0) as usize,
                starts.get(r + 1).copied().unwrap_or(0) as usize,
            );
            for (_, g) in memberships.get(s..e).unwrap_or(&[]) {
                let Some(&(gs, gl)) = groups.get(*g as usize) else {
                    continue;
                };
                let members = entries.get(gs as usize..(gs + gl) as usize).unwrap_or(&[]);
                for (_, other) in members {
                    let o = *other as usize;
                    let keep = match mode {
                        Mode::Dedupe => o > r,
                        Mode::Link { left } => o >= left,
                    };
                    if keep {
                        local.push(*other);
                    }
                }
            }
            local.sort_unstable();
            local.dedup();
            let a = u32::try_from(r).unwrap_or(u32::MAX);
            out.extend(local.iter().map(|b| (a, *b)));
        }
        on_progress(range.len() as u64 / 2);
        out
    });
    stats.pairs = pairs.len() as u64;
    (pairs, stats)
}
