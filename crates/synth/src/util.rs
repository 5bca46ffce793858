//! Small helpers: seeded choices, deterministic ids, dates and text.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Utc};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use uuid::{Builder, Uuid};

pub(crate) type Rand = ChaCha8Rng;

/// One of the items, each with its weight; `None` only when the list is empty or all weights are 0.
pub(crate) fn wpick<T: Copy>(rng: &mut impl Rng, items: &[(T, u32)]) -> Option<T> {
    let total: u32 = items.iter().map(|(_, w)| *w).sum();
    if total == 0 {
        return None;
    }
    let mut x = rng.gen_range(0..total);
    for (item, w) in items {
        if x < *w {
            return Some(*item);
        }
        x -= *w;
    }
    None
}

/// One of the items, uniformly.
pub(crate) fn pick<'a, T>(rng: &mut impl Rng, items: &'a [T]) -> Option<&'a T> {
    if items.is_empty() {
        None
    } else {
        items.get(rng.gen_range(0..items.len()))
    }
}

/// A copy of one of the items (for lists of `&str` and small values).
pub(crate) fn pickc<T: Copy>(rng: &mut impl Rng, items: &[T]) -> Option<T> {
    pick(rng, items).copied()
}

/// An index in `0..n` preferring small indexes (rank 0 most), like a Zipf law: a few agents run
/// most of the trade.
pub(crate) fn zipf_index(rng: &mut impl Rng, n: usize) -> usize {
    if n <= 1 {
        return 0;
    }
    // Inverse transform of a density ~ 1/(i+1): i = exp(u * ln(n+1)) - 1.
    let u: f64 = rng.gen();
    let i = ((u * ((n + 1) as f64).ln()).exp() - 1.0).floor();
    (i.max(0.0) as usize).min(n - 1)
}

/// A UUIDv7-shaped id for an instant, its random part taken from the seeded generator.
pub(crate) fn uuid_at(rng: &mut impl Rng, at: DateTime<Utc>) -> Uuid {
    let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
    let mut bytes = [0u8; 10];
    rng.fill(&mut bytes);
    Builder::from_unix_timestamp_millis(millis, &bytes).into_uuid()
}

/// An instant on a date, during office hours in Pakistan (UTC+5).
pub(crate) fn office_time(rng: &mut impl Rng, date: NaiveDate) -> DateTime<Utc> {
    let secs = rng.gen_range((3 * 3600)..(13 * 3600));
    let t = NaiveTime::from_num_seconds_from_midnight_opt(secs, 0).unwrap_or(NaiveTime::MIN);
    date.and_time(t).and_utc()
}

/// The date `days` after `d` (saturating at the calendar's ends).
pub(crate) fn add_days(d: NaiveDate, days: i64) -> NaiveDate {
    d.checked_add_signed(Duration::days(days)).unwrap_or(d)
}

/// A uniformly random date in `[from, to]` (or `from` when the range is empty).
pub(crate) fn date_between(rng: &mut impl Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let span = (to - from).num_days();
    if span <= 0 {
        return from;
    }
    add_days(from, rng.gen_range(0..=span))
}

/// The date `years` years before `d` (29 February falls back to the 28th).
pub(crate) fn years_before(d: NaiveDate, years: u32) -> NaiveDate {
    let y = d.year() - years as i32;
    NaiveDate::from_ymd_opt(y, d.month(), d.day())
        .or_else(|| NaiveDate::from_ymd_opt(y, d.month(), 28))
        .unwrap_or(d)
}

pub(crate) fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// Whole years from `from` to `to` (0 if `to` is earlier).
pub(crate) fn age_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to < from {
        return 0;
    }
    let mut y = to.year() - from.year();
    if (to.month(), to.day()) < (from.month(), from.day()) {
        y -= 1;
    }
    u32::try_from(y).unwrap_or(0)
}

/// Digits grouped by thousands: 2800000 -> "2,800,000".
pub(crate) fn thousands(n: u64) -> String {
    let s = n.to_string();
    s.as_bytes()
        .rchunks(3)
        .rev()
        .map(|c| std::str::from_utf8(c).unwrap_or(""))
        .collect::<Vec<_>>()
        .join(",")
}

/// An amount in rupees as written in reports.
pub(crate) fn pkr(n: u64) -> String {
    format!("PKR {}", thousands(n))
}

/// Fill `{key}` placeholders of a template.
pub(crate) fn fill(template: &str, vars: &[(&str, String)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let (before, after) = rest.split_at(start);
        out.push_str(before);
        let after = after.get(1..).unwrap_or("");
        match after.find('}') {
            Some(end) => {
                let key = after.get(..end).unwrap_or("");
                match vars.iter().find(|(k, _)| *k == key) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(key);
                        out.push('}');
                    }
                }
                rest = after.get(end + 1..).unwrap_or("");
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Upper-case the first letter of a sentence.
pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// A small number in words, as narratives write them ("three migrants").
pub(crate) fn number_words(n: usize) -> String {
    const W: [&str; 13] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ];
    W.get(n)
        .map(|s| s.to_string())
        .unwrap_or_else(|| n.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helpers() {
        assert_eq!(thousands(2_800_000), "2,800,000");
        assert_eq!(thousands(650), "650");
        assert_eq!(
            fill("a {x} b {y} {z}", &[("x", "1".into()), ("y", "2".into())]),
            "a 1 b 2 {z}"
        );
        assert_eq!(capitalise("boat"), "Boat");
    }
}
