#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! Measured against the names of the synthetic data (crates/synth/data/names.toml): the Roman
//! spellings officers write and the Urdu-script form of each name. Failures are printed
//! (`cargo test -p nigehban-names --test synth_names -- --nocapture`) to improve the tables.

use nigehban_names::{phonetic, NameTables};
use serde::Deserialize;
use std::collections::BTreeMap;

const NAMES_TOML: &str = include_str!("../../synth/data/names.toml");

#[derive(Deserialize)]
struct Entry {
    roman: Vec<String>,
    ur: String,
}

fn entries() -> Vec<(String, Entry)> {
    let lists: BTreeMap<String, Vec<Entry>> = toml::from_str(NAMES_TOML).unwrap();
    let mut out = Vec::new();
    for (list, entries) in lists {
        for e in entries {
            out.push((list.clone(), e));
        }
    }
    assert!(out.len() > 600, "{}", out.len());
    out
}

fn t() -> &'static NameTables {
    NameTables::embedded().unwrap_or_else(|e| panic!("{e}"))
}

/// Sorted phonetic keys of a normalised name.
fn key(tables: &NameTables, raw: &str) -> Vec<String> {
    let mut k = tables.keys(raw).phonetic;
    k.sort();
    k
}

fn report(what: &str, hits: usize, total: usize, failures: &[String]) -> f64 {
    let rate = hits as f64 / total as f64;
    println!("{what}: {hits}/{total} = {:.1}%", rate * 100.0);
    for f in failures {
        println!("  {f}");
    }
    rate
}

/// Every Urdu name, normalised (whole-word table, then letters), has the phonetic keys of at
/// least one of its Roman spellings.
#[test]
fn urdu_names_match_one_of_their_roman_spellings() {
    let tables = t();
    let all = entries();
    let mut hits = 0;
    let mut failures = Vec::new();
    for (list, e) in &all {
        let ur = key(tables, &e.ur);
        if e.roman.iter().any(|r| key(tables, r) == ur) {
            hits += 1;
        } else {
            failures.push(format!(
                "[{list}] {} -> {:?} {ur:?}; {:?} -> {:?}",
                e.ur,
                tables.normalise(&e.ur).tokens,
                e.roman,
                e.roman.iter().map(|r| key(tables, r)).collect::<Vec<_>>()
            ));
        }
    }
    let rate = report(
        "Urdu normalised = a Roman spelling",
        hits,
        all.len(),
        &failures,
    );
    assert!(rate >= 0.99, "{rate}");
}

/// The same, with the letter-by-letter transliteration only (no word table, no variant
/// groups): phonetic key of each transliterated word against the phonetic key of the
/// corresponding word of some Roman spelling with as many words. This is what an Urdu name
/// missing from the tables gets.
#[test]
fn letter_transliteration_alone_finds_most_roman_spellings() {
    let tables = t();
    let all = entries();
    let mut hits = 0;
    let mut failures = Vec::new();
    for (list, e) in &all {
        let ur: Vec<String> =
            e.ur.split_whitespace()
                .map(|w| phonetic(&tables.transliterate_letters(w)))
                .collect();
        let found = e.roman.iter().any(|r| {
            let words: Vec<String> = r
                .split([' ', '-'])
                .filter(|w| !w.is_empty())
                .map(phonetic)
                .collect();
            words == ur
        });
        if found {
            hits += 1;
        } else {
            failures.push(format!(
                "[{list}] {} -> {:?} {ur:?}; {:?}",
                e.ur,
                tables.transliterate_letters(&e.ur),
                e.roman
            ));
        }
    }
    let rate = report(
        "Urdu letters only = a Roman spelling",
        hits,
        all.len(),
        &failures,
    );
    assert!(rate >= 0.93, "{rate}");
}

/// Every Roman spelling of a name normalises to the tokens of its first (usual) spelling.
#[test]
fn roman_spellings_of_a_name_normalise_alike() {
    let tables = t();
    let all = entries();
    let mut hits = 0;
    let mut total = 0;
    let mut failures = Vec::new();
    for (list, e) in &all {
        let first = tables.normalise(&e.roman[0]).tokens;
        for r in &e.roman[1..] {
            total += 1;
            let n = tables.normalise(r).tokens;
            if n == first {
                hits += 1;
            } else {
                failures.push(format!(
                    "[{list}] {} -> {first:?}; {r} -> {n:?}",
                    e.roman[0]
                ));
            }
        }
    }
    let rate = report("Roman variant = first spelling", hits, total, &failures);
    assert!(rate >= 0.97, "{rate}");
}

/// And they are similar (> 0.9) to it, and meet it in a block.
#[test]
fn roman_spellings_of_a_name_are_similar_and_share_a_block() {
    let tables = t();
    let all = entries();
    let mut failures = Vec::new();
    let mut total = 0;
    for (list, e) in &all {
        let first = &e.roman[0];
        let keys = tables.blocking_keys(first, None, None);
        for r in e.roman.iter().skip(1).chain(std::iter::once(&e.ur)) {
            total += 1;
            let s = tables.similarity(first, r);
            let q = tables.query_blocking_keys(r, None, None);
            if s <= 0.9 || !keys.iter().any(|k| q.contains(k)) {
                failures.push(format!("[{list}] {first} / {r}: {s:.3} {keys:?} {q:?}"));
            }
        }
    }
    let rate = report(
        "variant similar and in the same block",
        total - failures.len(),
        total,
        &failures,
    );
    assert!(rate >= 0.97, "{rate}");
}
