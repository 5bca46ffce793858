//! Urdu script: normalisation of letter variants and diacritics, and transliteration to Roman
//! letters (whole-word table first, then letter by letter).

use crate::tables::UrduTables;
use unicode_normalization::char::decompose_compatible;

/// Diacritics and other marks that attach to a letter: zabar, zer, pesh, shadda, sukun,
/// tanween, superscript alef, madda and hamza above, Quranic marks, tatweel.
pub(crate) fn is_mark(c: char) -> bool {
    matches!(c as u32, 0x0610..=0x061A | 0x064B..=0x065F | 0x0670 | 0x06D6..=0x06ED | 0x0640)
}

/// Letters of the Arabic script (including Urdu, Sindhi and Pashto additions and the
/// presentation forms of old fonts).
pub(crate) fn is_letter(c: char) -> bool {
    matches!(c as u32,
        0x0620..=0x063F | 0x0641..=0x064A | 0x066E..=0x066F | 0x0671..=0x06D3 | 0x06D5
        | 0x06EE..=0x06EF | 0x06FA..=0x06FC | 0x06FF | 0x0750..=0x077F | 0x08A0..=0x08C9
        | 0xFB50..=0xFDFF | 0xFE70..=0xFEFC)
}

/// Appends an Arabic-script character to a word, normalised: Arabic letter forms become their
/// Urdu forms (ي ى → ی, ك ڪ → ک, ه ة ۃ ۂ ە → ہ, أ إ ٱ → ا), diacritics are dropped except that
/// a superscript alef reads as ا (ىٰ at the end of موسیٰ is "a"), a madda on ا makes آ and a
/// hamza above ی or و makes ئ or ؤ; presentation forms are decomposed.
pub(crate) fn push_normalised(buf: &mut String, c: char) {
    match c {
        '\u{0670}' => {
            if buf.ends_with('ی') {
                buf.pop();
            }
            buf.push('ا');
        }
        '\u{0653}' => {
            if buf.ends_with('ا') {
                buf.pop();
                buf.push('آ');
            }
        }
        '\u{0654}' => {
            if buf.ends_with('ی') {
                buf.pop();
                buf.push('ئ');
            } else if buf.ends_with('و') {
                buf.pop();
                buf.push('ؤ');
            }
        }
        c if is_mark(c) => {}
        'ك' | 'ڪ' => buf.push('ک'),
        'ي' | 'ى' => buf.push('ی'),
        'ه' | 'ة' | 'ۃ' | 'ۂ' | 'ۀ' | 'ە' => buf.push('ہ'),
        'أ' | 'إ' | 'ٱ' | 'ٲ' | 'ٳ' => buf.push('ا'),
        'ۓ' => buf.push('ے'),
        c if matches!(c as u32, 0xFB50..=0xFDFF | 0xFE70..=0xFEFF) => {
            let mut parts = Vec::new();
            decompose_compatible(c, |d| parts.push(d));
            for d in parts {
                if d != c && (is_letter(d) || is_mark(d)) {
                    push_normalised(buf, d);
                }
            }
        }
        c => buf.push(c),
    }
}

/// One Urdu word normalised as the tokeniser does (for table keys).
pub(crate) fn normalise_word(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if c.is_whitespace() || c == '\u{200C}' || c == '\u{200D}' {
            continue;
        }
        push_normalised(&mut out, c);
    }
    out
}

const ARTICLE: &str = "ال";

/// Transliterates one normalised Urdu word: the whole-word table; else a word with an Arabic
/// article inside (عبدالرحمن, شمس‌الدین, اسداللہ) split in two when either side is in the table
/// (the article itself is dropped, as normalisation drops "ul", "ud", "ur"); else a leading
/// article before a known word; else letter by letter. The result may hold several tokens.
pub(crate) fn transliterate_word(t: &UrduTables, word: &str) -> String {
    if let Some(r) = t.words.get(word) {
        return r.clone();
    }
    for (i, _) in word.char_indices().skip(1) {
        let (left, right) = word.split_at(i);
        let Some(bare) = right.strip_prefix(ARTICLE) else {
            continue;
        };
        if bare.is_empty() {
            continue;
        }
        let right_known = t.words.get(right).or_else(|| t.words.get(bare));
        let left_known = t.words.get(left);
        if left_known.is_none() && right_known.is_none() {
            continue;
        }
        let l = left_known
            .cloned()
            .unwrap_or_else(|| transliterate_letters(t, left));
        let r = right_known
            .cloned()
            .unwrap_or_else(|| transliterate_letters(t, bare));
        return format!("{l} {r}");
    }
    if let Some(r) = word
        .strip_prefix(ARTICLE)
        .and_then(|bare| t.words.get(bare))
    {
        return r.clone();
    }
    transliterate_letters(t, word)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Vowel,
    Consonant,
    /// An h from ہ or ح inside a word: a full consonant, never an aspiration mark.
    H,
}

struct Unit {
    text: String,
    kind: Kind,
}

/// Letter-by-letter transliteration of one normalised Urdu word (no whole-word table).
///
/// Contextual letters: ا آ and ع are the vowel a; و is w at the start of a word or before a
/// vowel letter, else the vowel u; ی is y at the start or before ا/آ/و, else the vowel i; ہ is
/// the vowel a at the end of a word after a consonant or ی (فاطمہ, نازیہ), else h; ھ makes the
/// consonant before it aspirated (بھ bh, کھ kh); ء is silent. Short vowels are not written in
/// Urdu: an a (an i before y) is put inside a word-initial consonant cluster, inside a
/// word-final one, and before an inner h (so that س+ہ reads "sah", not "sh").
pub(crate) fn transliterate_letters(t: &UrduTables, word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    let mut units: Vec<Unit> = Vec::with_capacity(n);
    for (i, &c) in chars.iter().enumerate() {
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i + 1).copied();
        let first = i == 0;
        let last = i + 1 == n;
        let vowel = |s: &str| Unit {
            text: s.to_owned(),
            kind: Kind::Vowel,
        };
        let cons = |s: &str| Unit {
            text: s.to_owned(),
            kind: Kind::Consonant,
        };
        let unit = match c {
            'ا' | 'آ' | 'ع' => {
                if units
                    .last()
                    .is_some_and(|u| u.kind == Kind::Vowel && u.text == "a")
                {
                    continue;
                }
                vowel("a")
            }
            'و' => {
                if first || matches!(next, Some('ا' | 'آ' | 'ی' | 'ے')) {
                    cons("w")
                } else {
                    vowel("u")
                }
            }
            'ی' => {
                if first || matches!(next, Some('ا' | 'آ' | 'و')) {
                    cons("y")
                } else {
                    vowel("i")
                }
            }
            'ے' => vowel(if last { "ay" } else { "e" }),
            'ہ' | 'ح' => {
                if last && c == 'ہ' && prev.is_some_and(|p| !matches!(p, 'ا' | 'آ' | 'و')) {
                    vowel("a")
                } else if first {
                    cons("h")
                } else {
                    Unit {
                        text: "h".to_owned(),
                        kind: Kind::H,
                    }
                }
            }
            'ھ' => {
                match units.last_mut() {
                    Some(u) if u.kind == Kind::Consonant && !u.text.ends_with('h') => {
                        u.text.push('h');
                    }
                    Some(u) if u.kind == Kind::Consonant => {}
                    _ => units.push(cons("h")),
                }
                continue;
            }
            'ء' => continue,
            'ئ' => vowel("i"),
            'ؤ' => vowel("u"),
            'ۍ' => vowel("ai"),
            'ې' => vowel("e"),
            c => match t.letters.get(&c) {
                Some(s) if !s.is_empty() => cons(s),
                _ => continue,
            },
        };
        units.push(unit);
    }
    let mut out = String::with_capacity(word.len() + 4);
    let count = units.len();
    for (i, u) in units.iter().enumerate() {
        let prev_consonant = i
            .checked_sub(1)
            .and_then(|p| units.get(p))
            .is_some_and(|p| p.kind != Kind::Vowel);
        if u.kind != Kind::Vowel
            && prev_consonant
            && (i == 1 || i + 1 == count || u.kind == Kind::H)
        {
            out.push(if u.text == "y" { 'i' } else { 'a' });
        }
        out.push_str(&u.text);
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn letters_only() -> UrduTables {
        let mut t = UrduTables::default();
        for (c, s) in [
            ('ب', "b"),
            ('ت', "t"),
            ('ٹ', "t"),
            ('ث', "s"),
            ('ج', "j"),
            ('چ', "ch"),
            ('خ', "kh"),
            ('د', "d"),
            ('ذ', "z"),
            ('ر', "r"),
            ('ز', "z"),
            ('س', "s"),
            ('ش', "sh"),
            ('ص', "s"),
            ('ض', "z"),
            ('ط', "t"),
            ('ظ', "z"),
            ('غ', "gh"),
            ('ف', "f"),
            ('ق', "q"),
            ('ک', "k"),
            ('گ', "g"),
            ('ل', "l"),
            ('م', "m"),
            ('ن', "n"),
            ('ں', "n"),
        ] {
            t.letters.insert(c, s.to_owned());
        }
        t
    }

    #[test]
    fn letters_guess_the_usual_roman_spelling() {
        let t = letters_only();
        for (ur, roman) in [
            ("احمد", "ahmad"),
            ("اسلم", "aslam"),
            ("علی", "ali"),
            ("خان", "khan"),
            ("فاطمہ", "fatma"),
            ("شاہ", "shah"),
            ("نواز", "nawaz"),
            ("نوید", "nawid"),
            ("محمود", "mahmud"),
            ("بھٹو", "bhatu"),
            ("سہیل", "sahil"),
            ("ریاض", "riyaz"),
            ("یوسف", "yusaf"),
        ] {
            assert_eq!(transliterate_letters(&t, ur), roman, "{ur}");
        }
    }

    #[test]
    fn an_inner_article_splits_a_word() {
        let mut t = letters_only();
        t.words.insert("عبد".into(), "abdul".into());
        t.words.insert("دین".into(), "din".into());
        assert_eq!(transliterate_word(&t, "عبدالرحمن"), "abdul rahman");
        assert_eq!(transliterate_word(&t, "شمسالدین"), "shamas din");
    }

    #[test]
    fn normalisation_unifies_letter_forms() {
        assert_eq!(normalise_word("مُحَمَّد"), "محمد");
        assert_eq!(normalise_word("علي"), "علی");
        assert_eq!(normalise_word("الٰہی"), "الاہی");
        assert_eq!(normalise_word("ﷲ"), normalise_word("الله"));
    }
}
