//! Reading a field's text as a value of its kind: names normalised with `nigehban-names`
//! (both scripts), dates in the forms Pakistani ledgers use, identifiers and phone numbers
//! reduced to their characters, addresses to their words.

use crate::schema::FieldKind;
use nigehban_names::{phonetic, NameTables, Script};
use serde::{Deserialize, Serialize};

/// Text that stands for "no value" in ledgers: compared as missing, never as a disagreement.
const PLACEHOLDERS: &[&str] = &[
    "-",
    "--",
    "---",
    ".",
    "?",
    "??",
    "0",
    "n/a",
    "n.a.",
    "n.a",
    "na",
    "nil",
    "none",
    "null",
    "unknown",
    "not known",
    "nk",
    "x",
    "xx",
    "xxx",
    "نامعلوم",
    "معلوم نہیں",
];

/// One token of a name with what comparison needs, computed once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameToken {
    /// Canonical spelling (lower-case a-z).
    pub text: String,
    /// `nigehban_names::phonetic` of the token.
    pub phonetic: String,
    /// `NameTables::token_weight`: below 1 for names many people carry.
    pub weight: f64,
    /// In a variant group of the name tables.
    pub known: bool,
    /// An honorific name (Syed, Chaudhry, Begum...).
    pub honorific: bool,
    /// How often each letter a-z occurs (saturating), for a quick upper bound of the
    /// Jaro-Winkler similarity of two tokens.
    #[serde(default)]
    pub letters: [u8; 26],
}

impl NameToken {
    pub(crate) fn is_initial(&self) -> bool {
        let mut c = self.text.chars();
        c.next().is_some() && c.next().is_none()
    }
}

/// Letter counts of a lower-case ASCII word.
pub(crate) fn letter_counts(word: &str) -> [u8; 26] {
    let mut h = [0u8; 26];
    for b in word.bytes() {
        if b.is_ascii_lowercase() {
            if let Some(c) = h.get_mut(usize::from(b - b'a')) {
                *c = c.saturating_add(1);
            }
        }
    }
    h
}

/// A person's name, normalised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NameValue {
    /// The text as written, lower-cased, with punctuation and repeated spaces removed.
    pub exact: String,
    /// Canonical tokens in written order.
    pub tokens: Vec<NameToken>,
    /// Canonical tokens sorted and joined by spaces: equal for the same name in any order,
    /// spelling variant or script. The key of term frequencies.
    pub key: String,
    /// Phonetic keys of the tokens, sorted, joined by spaces.
    pub phonetic_key: String,
    /// Written (at least partly) in Urdu script.
    pub urdu: bool,
    /// Parentage written inside the name ("Ali s/o Ahmed"): its canonical tokens.
    pub parentage: Vec<String>,
    /// The canonical tokens run together in written order, and its phonetic key (for names
    /// spaced differently: Shahnaz / Shah Naz).
    pub joined: String,
    pub joined_phonetic: String,
    /// Hashes of `exact`, `key` and `phonetic_key`: unequal hashes, unequal texts (compared
    /// first, as most pairs of names differ).
    #[serde(default)]
    pub hashes: [u64; 3],
}

/// A 64-bit FNV-1a hash of a text.
pub(crate) fn text_hash(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

impl NameValue {
    /// Same `exact` text.
    pub(crate) fn same_exact(&self, o: &NameValue) -> bool {
        self.hashes[0] == o.hashes[0] && self.exact == o.exact
    }

    /// Same canonical name.
    pub(crate) fn same_key(&self, o: &NameValue) -> bool {
        self.hashes[1] == o.hashes[1] && self.key == o.key
    }

    /// Same sounds.
    pub(crate) fn same_sound(&self, o: &NameValue) -> bool {
        !self.phonetic_key.is_empty()
            && self.hashes[2] == o.hashes[2]
            && self.phonetic_key == o.phonetic_key
    }
}

impl NameValue {
    /// The canonical token texts.
    pub fn token_texts(&self) -> Vec<String> {
        self.tokens.iter().map(|t| t.text.clone()).collect()
    }
}

/// A date, or a year alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateValue {
    pub year: i32,
    /// 1-12, or 0 when only the year is known.
    pub month: u8,
    /// 1-31, or 0 when only the year is known.
    pub day: u8,
}

impl DateValue {
    /// Whether the whole date is known (not only the year).
    pub fn is_full(&self) -> bool {
        self.month > 0 && self.day > 0
    }

    /// Days since 1970-01-01 (proleptic Gregorian), for a full date.
    pub fn days(&self) -> Option<i64> {
        self.is_full()
            .then(|| days_from_civil(self.year, u32::from(self.month), u32::from(self.day)))
    }

    /// `YYYY-MM-DD` (or `YYYY` alone).
    pub fn iso(&self) -> String {
        if self.is_full() {
            format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
        } else {
            format!("{:04}", self.year)
        }
    }
}

/// Words of an address, a place or free text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WordsValue {
    /// Folded text (lower case, Urdu transliterated, punctuation removed).
    pub exact: String,
    /// The distinct words, sorted.
    pub words: Vec<String>,
    /// Phonetic key of the words run together (for places).
    pub phonetic_key: String,
}

/// A field's value as comparison sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    /// Empty, or a placeholder ("N/A", "-", "unknown"): compares as missing.
    Missing,
    /// Present but not a value of the field's kind (a date that is not a date): compares as
    /// missing. Callers count these to tell a user that a column is not of the kind given.
    Unreadable,
    Name(NameValue),
    Date(DateValue),
    /// Identifiers and postcodes: upper-case letters and digits. Phone numbers: the national
    /// number's digits (no country code, no trunk 0).
    Code(String),
    Words(WordsValue),
}

impl Value {
    pub fn is_present(&self) -> bool {
        !matches!(self, Value::Missing | Value::Unreadable)
    }

    /// The key of term frequencies: the canonical name, the code or the folded words.
    pub fn tf_key(&self) -> Option<&str> {
        match self {
            Value::Name(n) if !n.key.is_empty() => Some(&n.key),
            Value::Code(c) => Some(c),
            Value::Words(w) if !w.exact.is_empty() => Some(&w.exact),
            _ => None,
        }
    }
}

/// Whether text is empty or a placeholder for "no value".
pub fn is_placeholder(raw: &str) -> bool {
    let t = raw.trim();
    if t.is_empty() {
        return true;
    }
    let lower = t.to_lowercase();
    PLACEHOLDERS.contains(&lower.as_str())
}

/// Reads a field's text as a value of `kind`.
pub fn read_value(names: &NameTables, kind: FieldKind, raw: &str) -> Value {
    if is_placeholder(raw) {
        return Value::Missing;
    }
    let raw = raw.trim();
    match kind {
        FieldKind::GivenName | FieldKind::FamilyName | FieldKind::FullName => {
            read_name(names, raw, false)
        }
        FieldKind::Parentage => read_name(names, raw, true),
        FieldKind::Date => match parse_date(raw) {
            Some(d) => Value::Date(d),
            None => Value::Unreadable,
        },
        FieldKind::Identifier => read_identifier(raw),
        FieldKind::Phone => read_phone(raw),
        FieldKind::Postcode => {
            let c = alnum_upper(raw);
            if c.is_empty() || !c.bytes().any(|b| b.is_ascii_digit()) {
                Value::Unreadable
            } else {
                Value::Code(c)
            }
        }
        FieldKind::Address | FieldKind::Text | FieldKind::Locality => {
            let w = read_words(names, raw);
            let no_letters = !w.exact.chars().any(char::is_alphabetic);
            if w.words.is_empty() || (kind == FieldKind::Locality && no_letters) {
                Value::Unreadable
            } else {
                Value::Words(w)
            }
        }
    }
}

/// The tokens of a normalised name with their comparison data.
pub(crate) fn name_tokens(names: &NameTables, tokens: &[String]) -> Vec<NameToken> {
    tokens
        .iter()
        .map(|t| NameToken {
            text: t.clone(),
            phonetic: phonetic(t),
            weight: names.token_weight(t),
            known: names.is_known(t),
            honorific: names.is_honorific(t),
            letters: letter_counts(t),
        })
        .collect()
}

fn read_name(names: &NameTables, raw: &str, is_parentage: bool) -> Value {
    if !raw.chars().any(char::is_alphabetic) {
        return Value::Unreadable;
    }
    let n = names.normalise(raw);
    let mut tokens = n.tokens;
    let mut parentage = n.parentage.map(|p| p.tokens).unwrap_or_default();
    if is_parentage && tokens.is_empty() {
        // "s/o Ghulam Abbas" in a father's-name column: the name after the phrase.
        tokens = std::mem::take(&mut parentage);
    }
    if tokens.is_empty() {
        tokens = n.alias;
    }
    if tokens.is_empty() {
        // Only words normalisation takes for phrases or titles ("Sakna", a misspelt Sakina,
        // reads as سکنہ "resident of"): the words themselves, as written.
        tokens = fold_exact(&names.transliterate(raw))
            .split(' ')
            .filter(|t| t.chars().any(char::is_alphabetic))
            .map(str::to_owned)
            .collect();
    }
    if tokens.is_empty() {
        return Value::Unreadable;
    }
    Value::Name(name_value(names, raw, &tokens, n.script, parentage))
}

pub(crate) fn name_value(
    names: &NameTables,
    raw: &str,
    tokens: &[String],
    script: Script,
    parentage: Vec<String>,
) -> NameValue {
    let mut sorted: Vec<&str> = tokens.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let toks = name_tokens(names, tokens);
    let mut phon: Vec<&str> = toks.iter().map(|t| t.phonetic.as_str()).collect();
    phon.sort_unstable();
    let joined: String = tokens.concat();
    let (exact, key, phonetic_key) = (fold_exact(raw), sorted.join(" "), phon.join(" "));
    NameValue {
        hashes: [text_hash(&exact), text_hash(&key), text_hash(&phonetic_key)],
        exact,
        joined_phonetic: phonetic(&joined),
        joined,
        key,
        phonetic_key,
        tokens: toks,
        urdu: matches!(script, Script::Urdu | Script::Mixed),
        parentage,
    }
}

/// Lower case, letters and digits kept, everything else one space.
pub(crate) fn fold_exact(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut space = false;
    for c in raw.chars() {
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.extend(c.to_lowercase());
        } else {
            space = true;
        }
    }
    out
}

fn alnum_upper(raw: &str) -> String {
    raw.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The same character repeated ("0000000000000", "XXXXXXX"): a placeholder.
fn all_same(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => chars.all(|c| c == first),
        None => true,
    }
}

fn read_identifier(raw: &str) -> Value {
    let c = alnum_upper(raw);
    if c.is_empty() {
        return if raw.chars().any(char::is_alphanumeric) {
            // Letters or digits of another script only.
            Value::Unreadable
        } else {
            Value::Missing
        };
    }
    if all_same(&c) && c.len() > 2 {
        return Value::Missing;
    }
    if c.len() < 4 {
        return Value::Unreadable;
    }
    Value::Code(c)
}

/// The national significant number of a phone number: digits only, without the international
/// prefix (00 or +), Pakistan's country code 92 or the trunk 0. `None` when the text is not a
/// phone number (letters, too few digits).
pub fn national_number(raw: &str) -> Option<String> {
    let letters = raw.chars().filter(|c| c.is_alphabetic()).count();
    if letters >= 3 {
        return None;
    }
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    let mut d = digits.as_str();
    if let Some(rest) = d.strip_prefix("00").filter(|r| r.len() >= 9) {
        // An international prefix (0092...), not a number typed with a leading 00.
        d = rest;
    }
    if d.len() >= 11 {
        if let Some(rest) = d.strip_prefix("92") {
            d = rest;
        }
    }
    if let Some(rest) = d.strip_prefix('0') {
        d = rest;
    }
    (d.len() >= 6).then(|| d.to_string())
}

fn read_phone(raw: &str) -> Value {
    match national_number(raw) {
        Some(n) if all_same(&n) => Value::Missing,
        Some(n) => Value::Code(n),
        None => {
            if raw.chars().any(|c| c.is_ascii_digit() || c.is_alphabetic()) {
                Value::Unreadable
            } else {
                Value::Missing
            }
        }
    }
}

fn read_words(names: &NameTables, raw: &str) -> WordsValue {
    let roman = if raw.chars().any(nigehban_names::is_arabic_script) {
        names.transliterate(raw)
    } else {
        raw.to_string()
    };
    let exact = fold_exact(&roman);
    let mut words: Vec<String> = exact
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect();
    let joined: String = words.concat();
    words.sort();
    words.dedup();
    WordsValue {
        phonetic_key: phonetic(&joined),
        exact,
        words,
    }
}

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_of(word: &str) -> Option<u8> {
    let w = word.to_ascii_lowercase();
    if w.len() < 3 || !w.bytes().all(|b| b.is_ascii_lowercase()) {
        return None;
    }
    let w = if w == "sept" { "sep".to_string() } else { w };
    MONTHS
        .iter()
        .position(|m| w.starts_with(m))
        .and_then(|i| u8::try_from(i + 1).ok())
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
pub(crate) fn days_from_civil(year: i32, month: u32, day: u32) -> i64 {
    let y = i64::from(year) - i64::from(month <= 2);
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn full_year(text: &str) -> Option<i32> {
    let n: i32 = text.parse().ok()?;
    match text.len() {
        4 => Some(n),
        // Two-digit years in dates of birth: 30-99 are 1930-1999, 00-29 are 2000-2029.
        2 => Some(if n >= 30 { 1900 + n } else { 2000 + n }),
        _ => None,
    }
}

fn make_date(year: i32, month: u32, day: u32) -> Option<DateValue> {
    if !(1850..=2100).contains(&year) {
        return None;
    }
    let (month, day) = if month > 12 && day <= 12 {
        // Written month first (03/25/1990): read it so.
        (day, month)
    } else {
        (month, day)
    };
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    Some(DateValue {
        year,
        month: u8::try_from(month).ok()?,
        day: u8::try_from(day).ok()?,
    })
}

/// Reads a date as ledgers write it: `1990-03-12`, `1990/03/12`, day first `12/03/1990`,
/// `12-03-1990`, `12.03.90`, `12 Mar 1990`, `12-March-1990`, `March 12, 1990`, `19900312`,
/// a year alone (`1990`), with a time after it ignored. Day-first is Pakistan's order; a
/// "month" above 12 with a day of 12 or less is read month first.
pub fn parse_date(raw: &str) -> Option<DateValue> {
    let mut text = raw.trim();
    // "1990-03-12 00:00:00", "1990-03-12T00:00:00".
    if let Some(pos) = text.find(['T', ' ']) {
        if text.get(pos + 1..).is_some_and(|rest| rest.contains(':')) {
            text = text.get(..pos).unwrap_or(text);
        }
    }
    let parts: Vec<&str> = text
        .split(['-', '/', '.', ' ', ',', '\\'])
        .filter(|p| !p.is_empty())
        .collect();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [one] if digits(one) => match one.len() {
            4 => {
                let year: i32 = one.parse().ok()?;
                (1850..=2100).contains(&year).then_some(DateValue {
                    year,
                    month: 0,
                    day: 0,
                })
            }
            8 => {
                let (a, b, c) = (one.get(..4)?, one.get(4..6)?, one.get(6..)?);
                if a.starts_with("19") || a.starts_with("20") {
                    make_date(a.parse().ok()?, b.parse().ok()?, c.parse().ok()?)
                } else {
                    let (d, m, y) = (one.get(..2)?, one.get(2..4)?, one.get(4..)?);
                    make_date(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
                }
            }
            _ => None,
        },
        [a, b, c] => {
            if digits(a) && a.len() == 4 && digits(b) && digits(c) {
                make_date(a.parse().ok()?, b.parse().ok()?, c.parse().ok()?)
            } else if digits(a) && digits(c) && a.len() <= 2 {
                let month = if digits(b) {
                    b.parse().ok()?
                } else {
                    u32::from(month_of(b)?)
                };
                make_date(full_year(c)?, month, a.parse().ok()?)
            } else if !digits(a) && digits(b) && digits(c) && b.len() <= 2 {
                make_date(full_year(c)?, u32::from(month_of(a)?), b.parse().ok()?)
            } else {
                None
            }
        }
        _ => None,
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

    fn d(y: i32, m: u8, dd: u8) -> Option<DateValue> {
        Some(DateValue {
            year: y,
            month: m,
            day: dd,
        })
    }

    #[test]
    fn dates_in_ledger_forms() {
        assert_eq!(parse_date("1990-03-12"), d(1990, 3, 12));
        assert_eq!(parse_date("12/03/1990"), d(1990, 3, 12));
        assert_eq!(parse_date("12-03-1990"), d(1990, 3, 12));
        assert_eq!(parse_date("12.03.90"), d(1990, 3, 12));
        assert_eq!(parse_date("12 Mar 1990"), d(1990, 3, 12));
        assert_eq!(parse_date("12-March-1990"), d(1990, 3, 12));
        assert_eq!(parse_date("March 12, 1990"), d(1990, 3, 12));
        assert_eq!(parse_date("19900312"), d(1990, 3, 12));
        assert_eq!(parse_date("12031990"), d(1990, 3, 12));
        assert_eq!(parse_date("1990-03-12 00:00:00"), d(1990, 3, 12));
        assert_eq!(parse_date("03/25/1990"), d(1990, 3, 25));
        assert_eq!(parse_date("1990"), d(1990, 0, 0));
        assert_eq!(parse_date("31/02/1990"), None);
        assert_eq!(parse_date("Asif"), None);
        assert_eq!(parse_date("35202-1234567-1"), None);
    }

    #[test]
    fn days_count_from_the_epoch() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
    }

    #[test]
    fn phones_lose_prefixes() {
        assert_eq!(
            national_number("0300-1234567").as_deref(),
            Some("3001234567")
        );
        assert_eq!(
            national_number("+92 300 1234567").as_deref(),
            Some("3001234567")
        );
        assert_eq!(
            national_number("0092-300-1234567").as_deref(),
            Some("3001234567")
        );
        assert_eq!(
            national_number("923001234567").as_deref(),
            Some("3001234567")
        );
        assert_eq!(national_number("Lahore"), None);
        assert_eq!(national_number("123"), None);
    }

    #[test]
    fn names_in_both_scripts_meet() {
        let t = NameTables::embedded().unwrap();
        let a = read_value(t, FieldKind::FullName, "Mohd. Asif Khan");
        let b = read_value(t, FieldKind::FullName, "خان محمد آصف");
        match (a, b) {
            (Value::Name(a), Value::Name(b)) => {
                assert_eq!(a.key, b.key);
                assert!(b.urdu && !a.urdu);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(read_value(t, FieldKind::FullName, "N/A"), Value::Missing);
        assert_eq!(
            read_value(t, FieldKind::FullName, "12345"),
            Value::Unreadable
        );
        match read_value(t, FieldKind::Parentage, "s/o Ghulam Abbas") {
            Value::Name(n) => assert_eq!(n.key, "abbas ghulam"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn identifiers_and_placeholders() {
        assert_eq!(
            read_identifier("35202-1234567-1"),
            Value::Code("3520212345671".into())
        );
        assert_eq!(read_identifier("0000000000000"), Value::Missing);
        assert_eq!(read_identifier("12"), Value::Unreadable);
    }
}
