//! Comparison levels: for each kind of field, the ordered ways two values can agree, from the
//! strongest (exact) to disagreement. A missing value on either side is the null level (0),
//! which carries no evidence either way.

use crate::schema::FieldKind;
use crate::value::{DateValue, NameToken, NameValue, Value, WordsValue};
use nigehban_names::jaro_winkler;
use serde::Serialize;

/// One comparison level of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LevelDef {
    /// Stable code (`exact`, `day_month_swapped`...), used in models and explanations.
    pub code: &'static str,
    /// What the level means, for people.
    pub description: &'static str,
    /// Whether a match at this level is adjusted by how common the value is.
    pub tf: bool,
}

const fn level(code: &'static str, description: &'static str, tf: bool) -> LevelDef {
    LevelDef {
        code,
        description,
        tf,
    }
}

/// Similarity bands of names (`token_similarity` of the canonical tokens).
const NAME_HIGH: f64 = 0.92;
const NAME_MID: f64 = 0.80;
const NAME_LOW: f64 = 0.65;

const GIVEN_LEVELS: &[LevelDef] = &[
    level("exact", "the same text", true),
    level(
        "normalised",
        "the same name (spelling variants, titles, word order)",
        true,
    ),
    level(
        "transliterated",
        "the same name, one written in Urdu script",
        true,
    ),
    level(
        "swapped",
        "given and family names recorded in each other's columns, and agreeing there",
        false,
    ),
    level("phonetic", "the same sounds (phonetic keys equal)", false),
    level("similar_92", "name similarity at least 0.92", false),
    level("similar_80", "name similarity at least 0.80", false),
    level("similar_65", "name similarity at least 0.65", false),
    level("different", "different names", false),
];

const NAME_LEVELS: &[LevelDef] = &[
    level("exact", "the same text", true),
    level(
        "normalised",
        "the same name (spelling variants, titles, word order)",
        true,
    ),
    level(
        "transliterated",
        "the same name, one written in Urdu script",
        true,
    ),
    level("phonetic", "the same sounds (phonetic keys equal)", false),
    level("similar_92", "name similarity at least 0.92", false),
    level("similar_80", "name similarity at least 0.80", false),
    level("similar_65", "name similarity at least 0.65", false),
    level("different", "different names", false),
];

const DATE_LEVELS: &[LevelDef] = &[
    level("exact", "the same date", false),
    level("day_month_swapped", "day and month swapped", false),
    level(
        "one_digit",
        "one digit different or two digits swapped",
        false,
    ),
    level("within_month", "within 31 days", false),
    level(
        "within_year",
        "within a year (or the same year given alone)",
        false,
    ),
    level("different", "different dates", false),
];

const IDENTIFIER_LEVELS: &[LevelDef] = &[
    level("exact", "the same number", true),
    level(
        "one_edit",
        "one character different, added, dropped or swapped",
        false,
    ),
    level(
        "partial",
        "one is part of the other, or the last 7 characters agree",
        false,
    ),
    level("different", "different numbers", false),
];

const PHONE_LEVELS: &[LevelDef] = &[
    level("exact", "the same number", true),
    level(
        "one_edit",
        "one digit different, added, dropped or swapped",
        false,
    ),
    level("last_seven", "the last 7 digits agree", false),
    level("different", "different numbers", false),
];

const WORDS_LEVELS: &[LevelDef] = &[
    level("exact", "the same text", true),
    level(
        "most_words",
        "at least three quarters of the words shared",
        false,
    ),
    level("some_words", "at least 40% of the words shared", false),
    level("one_word", "a word shared", false),
    level("different", "no word shared", false),
];

const LOCALITY_LEVELS: &[LevelDef] = &[
    level("exact", "the same text", true),
    level(
        "same_place",
        "the same words or sounds (spelling, script)",
        true,
    ),
    level(
        "similar",
        "similar spelling (Jaro-Winkler at least 0.88)",
        false,
    ),
    level("different", "different places", false),
];

const POSTCODE_LEVELS: &[LevelDef] = &[
    level("exact", "the same code", true),
    level("prefix", "the first three characters agree", false),
    level("different", "different codes", false),
];

impl FieldKind {
    /// The comparison levels of the kind, strongest first; the last is disagreement. In a
    /// comparison vector, level `i` of this slice is written `i + 1` and 0 is "missing".
    pub fn levels(self) -> &'static [LevelDef] {
        match self {
            FieldKind::GivenName => GIVEN_LEVELS,
            FieldKind::FamilyName | FieldKind::FullName | FieldKind::Parentage => NAME_LEVELS,
            FieldKind::Date => DATE_LEVELS,
            FieldKind::Identifier => IDENTIFIER_LEVELS,
            FieldKind::Phone => PHONE_LEVELS,
            FieldKind::Address | FieldKind::Text => WORDS_LEVELS,
            FieldKind::Locality => LOCALITY_LEVELS,
            FieldKind::Postcode => POSTCODE_LEVELS,
        }
    }

    /// The level number (1-based) of a level code.
    pub fn level_number(self, code: &str) -> Option<u8> {
        self.levels()
            .iter()
            .position(|l| l.code == code)
            .and_then(|i| u8::try_from(i + 1).ok())
    }
}

/// The level (1-based; 0 when either value is missing) two values of a field reach.
/// `partner_a` and `partner_b` are the values of the partner field (family name for a given
/// name and the other way round), to recognise names recorded in each other's column.
pub fn compare_values(
    kind: FieldKind,
    a: &Value,
    b: &Value,
    partner_a: Option<&Value>,
    partner_b: Option<&Value>,
) -> u8 {
    if matches!(kind, FieldKind::GivenName | FieldKind::FamilyName)
        && !same_name(a, b)
        && columns_swapped(kind, a, b, partner_a, partner_b)
    {
        // The two columns agree crosswise: one event, counted once, on the given name (whose
        // u is that of the swap); the family name then carries no evidence of its own.
        return if kind == FieldKind::GivenName {
            kind.level_number("swapped").unwrap_or(0)
        } else {
            0
        };
    }
    let code = match (a, b) {
        (Value::Name(x), Value::Name(y)) => compare_names(x, y),
        (Value::Date(x), Value::Date(y)) => compare_dates(x, y),
        (Value::Code(x), Value::Code(y)) => match kind {
            FieldKind::Phone => compare_phones(x, y),
            FieldKind::Postcode => compare_postcodes(x, y),
            _ => compare_identifiers(x, y),
        },
        (Value::Words(x), Value::Words(y)) => match kind {
            FieldKind::Locality => compare_localities(x, y),
            _ => compare_words(x, y),
        },
        _ => return 0,
    };
    kind.level_number(code).unwrap_or(0)
}

fn is_present(v: Option<&Value>) -> bool {
    v.is_some_and(Value::is_present)
}

/// The same name in the same column (exact, normalised or transliterated).
fn same_name(a: &Value, b: &Value) -> bool {
    matches!((a, b), (Value::Name(x), Value::Name(y)) if x.same_key(y))
}

/// Whether the given and family names of two records were recorded in each other's columns:
/// both agree crosswise, or one does and the other cannot be checked (a value missing). One
/// name agreeing across the columns while the other disagrees (Shah Hameed / Awais Shah) is
/// no swap. `a`, `b` are this field's values, `pa`, `pb` the partner field's.
fn columns_swapped(
    kind: FieldKind,
    a: &Value,
    b: &Value,
    pa: Option<&Value>,
    pb: Option<&Value>,
) -> bool {
    // As (given, family) of records a and b.
    let (ga, fa, gb, fb) = match kind {
        FieldKind::GivenName => (Some(a), pa, Some(b), pb),
        _ => (pa, Some(a), pb, Some(b)),
    };
    let cross1 = names_agree(ga, fb);
    let cross2 = names_agree(fa, gb);
    (cross1 && (cross2 || !is_present(fa) || !is_present(gb)))
        || (cross2 && (!is_present(ga) || !is_present(fb)))
}

/// Two names agree for a swap: the same canonical name, or spellings close enough
/// (similarity at least 0.92; two different known names sharing a sound, Hasan and Hussain,
/// are not).
fn names_agree(x: Option<&Value>, y: Option<&Value>) -> bool {
    match (x, y) {
        (Some(Value::Name(p)), Some(Value::Name(o))) => {
            p.same_key(o) || (may_reach(p, o, NAME_HIGH) && name_similarity(p, o) >= NAME_HIGH)
        }
        _ => false,
    }
}

fn compare_names(a: &NameValue, b: &NameValue) -> &'static str {
    if a.same_exact(b) {
        return "exact";
    }
    if a.same_key(b) {
        return if a.urdu != b.urdu {
            "transliterated"
        } else {
            "normalised"
        };
    }
    if a.same_sound(b) {
        return "phonetic";
    }
    if !may_reach(a, b, NAME_LOW) {
        return "different";
    }
    let s = name_similarity(a, b);
    if s >= NAME_HIGH {
        "similar_92"
    } else if s >= NAME_MID {
        "similar_80"
    } else if s >= NAME_LOW {
        "similar_65"
    } else {
        "different"
    }
}

fn compare_dates(a: &DateValue, b: &DateValue) -> &'static str {
    match (a.days(), b.days()) {
        (Some(x), Some(y)) => {
            if x == y {
                return "exact";
            }
            if a.year == b.year && a.month == b.day && a.day == b.month {
                return "day_month_swapped";
            }
            if one_edit_bytes(&date_digits(a), &date_digits(b)) {
                return "one_digit";
            }
            let diff = (x - y).abs();
            if diff <= 31 {
                "within_month"
            } else if diff <= 366 {
                "within_year"
            } else {
                "different"
            }
        }
        _ => {
            if (a.year - b.year).abs() <= 1 {
                "within_year"
            } else {
                "different"
            }
        }
    }
}

fn compare_identifiers(a: &str, b: &str) -> &'static str {
    if a == b {
        "exact"
    } else if one_edit(a, b) {
        "one_edit"
    } else if partial(a, b) {
        "partial"
    } else {
        "different"
    }
}

fn compare_phones(a: &str, b: &str) -> &'static str {
    if a == b {
        "exact"
    } else if one_edit(a, b) {
        "one_edit"
    } else if a.len() >= 7 && b.len() >= 7 && last(a, 7) == last(b, 7) {
        "last_seven"
    } else {
        "different"
    }
}

fn compare_postcodes(a: &str, b: &str) -> &'static str {
    if a == b {
        "exact"
    } else if a.len() >= 3 && b.len() >= 3 && a.get(..3) == b.get(..3) {
        "prefix"
    } else {
        "different"
    }
}

fn compare_words(a: &WordsValue, b: &WordsValue) -> &'static str {
    if a.exact == b.exact {
        return "exact";
    }
    let j = jaccard(&a.words, &b.words);
    if j >= 0.75 {
        "most_words"
    } else if j >= 0.4 {
        "some_words"
    } else if j > 0.0 {
        "one_word"
    } else {
        "different"
    }
}

fn compare_localities(a: &WordsValue, b: &WordsValue) -> &'static str {
    if a.exact == b.exact {
        "exact"
    } else if a.words == b.words || (!a.phonetic_key.is_empty() && a.phonetic_key == b.phonetic_key)
    {
        "same_place"
    } else if jaro_winkler(&a.exact, &b.exact) >= 0.88 {
        "similar"
    } else {
        "different"
    }
}

fn last(s: &str, n: usize) -> &str {
    s.get(s.len().saturating_sub(n)..).unwrap_or(s)
}

/// One is a part of the other (at least 6 characters), or both end with the same 7.
fn partial(a: &str, b: &str) -> bool {
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    (short.len() >= 6 && long.contains(short))
        || (a.len() >= 7 && b.len() >= 7 && last(a, 7) == last(b, 7))
}

/// Damerau-Levenshtein distance at most 1 (one substitution, insertion, deletion or swap of
/// adjacent characters) between two ASCII strings.
pub(crate) fn one_edit(a: &str, b: &str) -> bool {
    one_edit_bytes(a.as_bytes(), b.as_bytes())
}

fn one_edit_bytes(a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return true;
    }
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (
        a.get(prefix..).unwrap_or(&[]),
        b.get(prefix..).unwrap_or(&[]),
    );
    if la == lb {
        // A substitution, or a swap of two adjacent characters.
        if ra.get(1..) == rb.get(1..) {
            return true;
        }
        matches!((ra, rb), ([x0, x1, ..], [y0, y1, ..]) if x0 == y1 && x1 == y0)
            && ra.get(2..) == rb.get(2..)
    } else if la > lb {
        ra.get(1..) == Some(rb)
    } else {
        rb.get(1..) == Some(ra)
    }
}

fn date_digits(d: &DateValue) -> [u8; 8] {
    let y = d.year.unsigned_abs();
    let digit = |n: u32| b'0' + (n % 10) as u8;
    [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        digit(u32::from(d.month) / 10),
        digit(u32::from(d.month)),
        digit(u32::from(d.day) / 10),
        digit(u32::from(d.day)),
    ]
}

fn jaccard(a: &[String], b: &[String]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    // Both sorted and deduplicated: merge.
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common as f64 / (a.len() + b.len() - common) as f64
}

// ---------------------------------------------------------------------------------------------
// Name similarity
// ---------------------------------------------------------------------------------------------

// The constants and the algorithm of `nigehban_names::NameTables::token_similarity`, on tokens
// whose phonetic keys and weights were computed once (`value::NameToken`), so that scoring a
// pair needs no tables and allocates little. A test checks that both give the same scores.
const PHONETIC_MATCH: f64 = 0.95;
const INITIAL_MATCH: f64 = 0.8;
const UNMATCHED_PENALTY: f64 = 0.5;
const UNMATCHED_HONORIFIC_PENALTY: f64 = 0.2;
const KNOWN_NAMES_DIFFER: f64 = 0.85;

fn token_score(x: &NameToken, y: &NameToken) -> f64 {
    if x.text == y.text {
        return 1.0;
    }
    if x.is_initial() || y.is_initial() {
        return if x.text.chars().next() == y.text.chars().next() {
            INITIAL_MATCH
        } else {
            0.0
        };
    }
    let same_key = !x.phonetic.is_empty() && x.phonetic == y.phonetic;
    let both_known = x.known && y.known;
    if same_key && !both_known {
        return PHONETIC_MATCH;
    }
    let s = ((jaro_winkler_fast(&x.text, &y.text) - 0.5) / 0.5).clamp(0.0, 1.0);
    if both_known && !same_key {
        s * KNOWN_NAMES_DIFFER
    } else {
        s
    }
}

/// Jaro-Winkler as `nigehban_names::jaro_winkler`, without allocating for ASCII words of up
/// to 64 letters (every canonical token): the same value, faster.
fn jaro_winkler_fast(a: &str, b: &str) -> f64 {
    let (x, y) = (a.as_bytes(), b.as_bytes());
    if !(a.is_ascii() && b.is_ascii()) || x.len() > 64 || y.len() > 64 {
        return jaro_winkler(a, b);
    }
    let j = jaro_ascii(x, y);
    let prefix = x.iter().zip(y).take(4).take_while(|(p, q)| p == q).count();
    j + prefix as f64 * 0.1 * (1.0 - j)
}

fn jaro_ascii(a: &[u8], b: &[u8]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let window = (a.len().max(b.len()) / 2).saturating_sub(1);
    let mut b_used = [false; 64];
    let mut a_matched = [0u8; 64];
    let mut m = 0usize;
    for (i, &ca) in a.iter().enumerate() {
        let lo = i.saturating_sub(window);
        let hi = (i + window + 1).min(b.len());
        for (j, &cb) in b.iter().enumerate().take(hi).skip(lo) {
            if let Some(used) = b_used.get_mut(j) {
                if !*used && ca == cb {
                    *used = true;
                    if let Some(slot) = a_matched.get_mut(m) {
                        *slot = ca;
                    }
                    m += 1;
                    break;
                }
            }
        }
    }
    if m == 0 {
        return 0.0;
    }
    let b_matched = b.iter().zip(&b_used).filter_map(|(&c, &u)| u.then_some(c));
    let half_transpositions = a_matched
        .iter()
        .take(m)
        .zip(b_matched)
        .filter(|(x, y)| **x != *y)
        .count();
    let mf = m as f64;
    let t = (half_transpositions / 2) as f64;
    (mf / a.len() as f64 + mf / b.len() as f64 + (mf - t) / mf) / 3.0
}

/// Token-order-insensitive similarity of two names in [0, 1]: the same scores as
/// `NameTables::token_similarity` (Jaro-Winkler per token, phonetic and initial matches, best
/// pairs first, weighted by how common each name is, a missing token costing half its weight).
pub fn token_similarity(a: &[NameToken], b: &[NameToken]) -> f64 {
    let joined = |t: &[NameToken]| -> String { t.iter().map(|x| x.text.as_str()).collect() };
    let (ja, jb) = (joined(a), joined(b));
    let (pa, pb) = (nigehban_names::phonetic(&ja), nigehban_names::phonetic(&jb));
    similarity_core(a, b, (&ja, &pa), (&jb, &pb))
}

/// `token_similarity` of two prepared names, with their joined forms computed once.
pub(crate) fn name_similarity(a: &NameValue, b: &NameValue) -> f64 {
    similarity_core(
        &a.tokens,
        &b.tokens,
        (&a.joined, &a.joined_phonetic),
        (&b.joined, &b.joined_phonetic),
    )
}

/// An upper bound of a token pair's score (`token_score` is never above it), from letter
/// counts and the common prefix: cheap, and below `NAME_LOW` for most pairs of different
/// names, which then need no Jaro-Winkler.
fn token_score_bound(x: &NameToken, y: &NameToken) -> f64 {
    if x.text == y.text {
        return 1.0;
    }
    if x.is_initial() || y.is_initial() {
        return INITIAL_MATCH;
    }
    if !x.phonetic.is_empty() && x.phonetic == y.phonetic {
        return 1.0;
    }
    let (xa, ya) = (x.text.as_bytes(), y.text.as_bytes());
    if !(x.text.is_ascii() && y.text.is_ascii()) || xa.is_empty() || ya.is_empty() {
        return 1.0;
    }
    let common: u32 = x
        .letters
        .iter()
        .zip(&y.letters)
        .map(|(p, q)| u32::from(*p.min(q)))
        .sum();
    let m = f64::from(common.min(xa.len().min(ya.len()) as u32));
    if m == 0.0 {
        return 0.0;
    }
    let jaro = (m / xa.len() as f64 + m / ya.len() as f64 + 1.0) / 3.0;
    let prefix = xa
        .iter()
        .zip(ya)
        .take(4)
        .take_while(|(p, q)| p == q)
        .count();
    let jw = jaro + prefix as f64 * 0.1 * (1.0 - jaro);
    ((jw - 0.5) / 0.5).clamp(0.0, 1.0)
}

/// Whether the similarity of two names may reach `at`: false only when no pair of tokens
/// can score that much (the similarity is a weighted mean of pair scores, at most their
/// maximum) and the names run together are not the same (`similarity_core`'s last rule).
fn may_reach(a: &NameValue, b: &NameValue, at: f64) -> bool {
    if a.tokens.len() != b.tokens.len()
        && (a.joined == b.joined || a.joined_phonetic == b.joined_phonetic)
    {
        return true;
    }
    a.tokens
        .iter()
        .any(|x| b.tokens.iter().any(|y| token_score_bound(x, y) >= at))
}

/// Pairs of tokens kept on the stack (more fall back to the heap).
const STACK_PAIRS: usize = 36;

fn similarity_core(
    a: &[NameToken],
    b: &[NameToken],
    (ja, pa): (&str, &str),
    (jb, pb): (&str, &str),
) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    type Pair = (f64, f64, usize, usize);
    let mut stack: [Pair; STACK_PAIRS] = [(0.0, 0.0, 0, 0); STACK_PAIRS];
    let mut heap: Vec<Pair> = Vec::new();
    let mut n = 0usize;
    let small = a.len() * b.len() <= STACK_PAIRS;
    for (i, x) in a.iter().enumerate() {
        for (j, y) in b.iter().enumerate() {
            let s = token_score(x, y);
            if s > 0.0 {
                let p = (s, (x.weight + y.weight) / 2.0, i, j);
                if small {
                    if let Some(slot) = stack.get_mut(n) {
                        *slot = p;
                    }
                } else {
                    heap.push(p);
                }
                n += 1;
            }
        }
    }
    let pairs: &mut [Pair] = if small {
        stack.get_mut(..n).unwrap_or(&mut [])
    } else {
        &mut heap
    };
    pairs.sort_by(|p, q| {
        q.0.total_cmp(&p.0)
            .then_with(|| q.1.total_cmp(&p.1))
            .then_with(|| (p.2, p.3).cmp(&(q.2, q.3)))
    });
    let mut used_a = vec_or_stack(a.len());
    let mut used_b = vec_or_stack(b.len());
    let mut num = 0.0;
    let mut den = 0.0;
    for &(s, w, i, j) in pairs.iter() {
        if used_a.get(i) || used_b.get(j) {
            continue;
        }
        used_a.set(i);
        used_b.set(j);
        num += s * w;
        den += w;
    }
    for (t, i) in a
        .iter()
        .zip(0..)
        .map(|(t, i)| (t, used_a.get(i)))
        .chain(b.iter().zip(0..).map(|(t, i)| (t, used_b.get(i))))
    {
        if !i {
            let penalty = if t.honorific {
                UNMATCHED_HONORIFIC_PENALTY
            } else {
                UNMATCHED_PENALTY
            };
            den += penalty * t.weight;
        }
    }
    let mut score = if den > 0.0 { num / den } else { 0.0 };
    if a.len() != b.len() && score < PHONETIC_MATCH {
        if ja == jb {
            score = 1.0;
        } else if pa == pb {
            score = PHONETIC_MATCH;
        }
    }
    score.clamp(0.0, 1.0)
}

/// A set of token positions: bits for up to 128, a vector beyond.
enum Used {
    Bits(u128),
    Vec(Vec<bool>),
}

fn vec_or_stack(n: usize) -> Used {
    if n <= 128 {
        Used::Bits(0)
    } else {
        Used::Vec(vec![false; n])
    }
}

impl Used {
    fn get(&self, i: usize) -> bool {
        match self {
            Used::Bits(b) => i < 128 && (b >> i) & 1 == 1,
            Used::Vec(v) => v.get(i).copied().unwrap_or(true),
        }
    }

    fn set(&mut self, i: usize) {
        match self {
            Used::Bits(b) => {
                if i < 128 {
                    *b |= 1 << i;
                }
            }
            Used::Vec(v) => {
                if let Some(x) = v.get_mut(i) {
                    *x = true;
                }
            }
        }
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
mod tests {
    use super::*;
    use crate::value::read_value;
    use nigehban_names::NameTables;

    fn tables() -> &'static NameTables {
        NameTables::embedded().unwrap()
    }

    fn level(kind: FieldKind, a: &str, b: &str) -> &'static str {
        let t = tables();
        let (x, y) = (read_value(t, kind, a), read_value(t, kind, b));
        let n = compare_values(kind, &x, &y, None, None);
        if n == 0 {
            return "null";
        }
        kind.levels()[usize::from(n - 1)].code
    }

    #[test]
    fn similarity_is_that_of_the_names_crate() {
        let t = tables();
        let names = [
            "Muhammad Asif",
            "Mohd Asif Khan",
            "Asif Muhammad",
            "Arif Khan",
            "M. Asif",
            "Shahnawaz Bhatti",
            "Shah Nawaz Bhattee",
            "Syed Ali Raza",
            "Ali Raza",
            "Nasreen Bibi",
            "Nasrin",
            "Zahid Hussain",
            "Zahida Hussain",
            "محمد آصف",
            "Ghulam Abbas s/o Ali",
            "Qureshi",
            "Kureshi",
            "Aly",
        ];
        for a in names {
            for b in names {
                let na = t.normalise(a);
                let nb = t.normalise(b);
                let want = t.token_similarity(&na.tokens, &nb.tokens);
                let ta = crate::value::name_tokens(t, &na.tokens);
                let tb = crate::value::name_tokens(t, &nb.tokens);
                let got = token_similarity(&ta, &tb);
                assert!((want - got).abs() < 1e-12, "{a} / {b}: {want} vs {got}");
                if let (Value::Name(x), Value::Name(y)) = (
                    read_value(t, FieldKind::FullName, a),
                    read_value(t, FieldKind::FullName, b),
                ) {
                    let prepared = name_similarity(&x, &y);
                    let direct = token_similarity(&x.tokens, &y.tokens);
                    assert!((prepared - direct).abs() < 1e-12, "{a} / {b}");
                }
            }
        }
    }

    #[test]
    fn the_bound_is_never_below_the_score() {
        let t = tables();
        let words = [
            "asif",
            "arif",
            "aasif",
            "asf",
            "muhammad",
            "mohd",
            "m",
            "bilal",
            "belal",
            "shahnawaz",
            "shahnaz",
            "qureshi",
            "kureshi",
            "zahid",
            "zahida",
            "abcdefghij",
            "jihgfedcba",
            "kh",
            "khan",
            "khaan",
        ];
        let toks = crate::value::name_tokens(t, &words.map(String::from));
        for x in &toks {
            for y in &toks {
                let (s, b) = (token_score(x, y), token_score_bound(x, y));
                assert!(
                    b + 1e-12 >= s,
                    "{} / {}: score {s} bound {b}",
                    x.text,
                    y.text
                );
            }
        }
    }

    #[test]
    fn fast_jaro_winkler_is_the_names_crates() {
        let words = [
            "martha",
            "marhta",
            "dwayne",
            "duane",
            "dixon",
            "dicksonx",
            "",
            "abc",
            "asif",
            "arif",
            "muhammad",
            "mohammad",
            "shahnawaz",
            "shahnaz",
            "a",
            "aa",
        ];
        for a in words {
            for b in words {
                let (x, y) = (jaro_winkler(a, b), jaro_winkler_fast(a, b));
                assert!((x - y).abs() < 1e-15, "{a} / {b}: {x} vs {y}");
            }
        }
    }

    #[test]
    fn name_levels() {
        let k = FieldKind::FullName;
        assert_eq!(level(k, "Muhammad Asif", "muhammad  asif"), "exact");
        assert_eq!(level(k, "Muhammad Asif", "Asif Mohd."), "normalised");
        assert_eq!(level(k, "Muhammad Asif", "محمد آصف"), "transliterated");
        assert_eq!(level(k, "Muhammad Asif", "Muhammad Asyf"), "phonetic");
        assert_eq!(level(k, "Syed Ali Raza", "Ali Raza"), "similar_92");
        assert_eq!(level(k, "Muhammad Asif Khan", "Asif Khan"), "similar_80");
        assert_eq!(level(k, "Muhammad Asif", "Bilal Ahmed"), "different");
        assert_eq!(level(k, "Muhammad Asif", ""), "null");
        assert_eq!(level(k, "N/A", "Asif"), "null");
    }

    #[test]
    fn swapped_columns_are_recognised() {
        let t = tables();
        let (k, fam) = (FieldKind::GivenName, FieldKind::FamilyName);
        let g = |x: &str| read_value(t, k, x);
        let f = |x: &str| read_value(t, fam, x);
        let code = |kind: FieldKind, n: u8| {
            if n == 0 {
                "null"
            } else {
                kind.levels()[usize::from(n - 1)].code
            }
        };
        // Both ways: counted once, on the given name.
        let (ga, fa, gb, fb) = (g("Asif"), f("Awan"), g("Awan"), f("Asif"));
        let n = compare_values(k, &ga, &gb, Some(&fa), Some(&fb));
        assert_eq!(code(k, n), "swapped");
        let n = compare_values(fam, &fa, &fb, Some(&ga), Some(&gb));
        assert_eq!(code(fam, n), "null");

        // One name across the columns, the other different: no swap (Shah Hameed / Awais Shah).
        let (g1, f1, g2, f2) = (g("Shah"), f("Hameed"), g("Awais"), f("Shah"));
        assert_eq!(
            code(k, compare_values(k, &g1, &g2, Some(&f1), Some(&f2))),
            "different"
        );
        assert_eq!(
            code(fam, compare_values(fam, &f1, &f2, Some(&g1), Some(&g2))),
            "different"
        );
        // Hasan Khan / Khan Hussain: two names sharing a sound are not one.
        let (g1, f1, g2, f2) = (g("Hasan"), f("Khan"), g("Khan"), f("Hussain"));
        assert_eq!(
            code(k, compare_values(k, &g1, &g2, Some(&f1), Some(&f2))),
            "different"
        );

        // Asif Khan / Khan (no family name): the swap on the given name.
        let (none_f, khan_g) = (f(""), g("Khan"));
        let khan_f = f("Khan");
        let n = compare_values(k, &ga, &khan_g, Some(&khan_f), Some(&none_f));
        assert_eq!(code(k, n), "swapped");
        let n = compare_values(fam, &khan_f, &none_f, Some(&ga), Some(&khan_g));
        assert_eq!(code(fam, n), "null");
        // Asif with no family name / no given name, family name Asif: counted once.
        let (none_g, asif_f) = (g(""), f("Asif"));
        let n = compare_values(k, &ga, &none_g, Some(&none_f), Some(&asif_f));
        assert_eq!(code(k, n), "swapped");
        let n = compare_values(fam, &none_f, &asif_f, Some(&ga), Some(&none_g));
        assert_eq!(code(fam, n), "null");
        // The same names in the same columns are no swap.
        let n = compare_values(k, &ga, &g("Asif"), Some(&fa), Some(&f("Awan")));
        assert_eq!(code(k, n), "exact");
    }

    #[test]
    fn date_levels() {
        let k = FieldKind::Date;
        assert_eq!(level(k, "1990-03-12", "12/03/1990"), "exact");
        assert_eq!(level(k, "1990-03-12", "1990-12-03"), "day_month_swapped");
        assert_eq!(level(k, "1990-03-12", "1990-03-13"), "one_digit");
        assert_eq!(level(k, "1990-03-12", "1980-03-12"), "one_digit");
        assert_eq!(level(k, "1990-03-12", "1990-03-31"), "within_month");
        assert_eq!(level(k, "1990-03-12", "1990-09-30"), "within_year");
        assert_eq!(level(k, "1990-03-12", "1991"), "within_year");
        assert_eq!(level(k, "1990-03-12", "1975-01-01"), "different");
        assert_eq!(level(k, "1990-03-12", "not a date"), "null");
    }

    #[test]
    fn identifier_and_phone_levels() {
        let k = FieldKind::Identifier;
        assert_eq!(level(k, "35202-1234567-1", "3520212345671"), "exact");
        assert_eq!(level(k, "35202-1234567-1", "35202-1234568-1"), "one_edit");
        assert_eq!(level(k, "35202-1234567-1", "35202-1243567-1"), "one_edit");
        assert_eq!(level(k, "35202-1234567-1", "1234567-1"), "partial");
        assert_eq!(level(k, "35202-1234567-1", "61101-7654321-2"), "different");
        let k = FieldKind::Phone;
        assert_eq!(level(k, "0300-1234567", "+92 300 1234567"), "exact");
        assert_eq!(level(k, "0300-1234567", "0300-1234576"), "one_edit");
        assert_eq!(level(k, "0300-1234567", "0333-1234567"), "last_seven");
        assert_eq!(level(k, "0300-1234567", "0321-7654321"), "different");
    }

    #[test]
    fn words_and_places() {
        let k = FieldKind::Address;
        assert_eq!(
            level(k, "House 5, Street 2, Gulberg", "house 5 street 2 gulberg"),
            "exact"
        );
        assert_eq!(
            level(
                k,
                "House 5 Street 2 Gulberg Lahore",
                "H 5 Street 2 Gulberg Lahore"
            ),
            "some_words"
        );
        let k = FieldKind::Locality;
        assert_eq!(level(k, "Lahore", "LAHORE"), "exact");
        assert_eq!(level(k, "Dera Ghazi Khan", "Ghazi Khan Dera"), "same_place");
        let k = FieldKind::Postcode;
        assert_eq!(level(k, "54000", "54000"), "exact");
        assert_eq!(level(k, "54000", "54070"), "prefix");
    }

    #[test]
    fn one_edit_cases() {
        assert!(one_edit("abcd", "abce"));
        assert!(one_edit("abcd", "abdc"));
        assert!(one_edit("abcd", "abd"));
        assert!(one_edit("abc", "xabc"));
        assert!(!one_edit("abcd", "badc"));
        assert!(!one_edit("abcd", "ab"));
    }
}
