//! Character folding and tokenisation: lower-case Roman letters without accents, Urdu letters
//! in one normal form, everything else a token boundary.

use crate::urdu;
use unicode_normalization::char::decompose_canonical;

/// The script a name was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Script {
    /// Roman (Latin) letters only.
    Roman,
    /// Urdu (Arabic-script) letters only.
    Urdu,
    /// Both.
    Mixed,
    /// No letters at all.
    None,
}

/// Whether a character belongs to the Arabic script blocks used for Urdu, Sindhi and Pashto.
pub fn is_arabic_script(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

/// A token as folded: lower-case Roman letters (or digits), or normalised Urdu letters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RawToken {
    pub text: String,
    pub arabic: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Latin,
    Arabic,
    Digit,
}

struct Tokeniser {
    tokens: Vec<RawToken>,
    current: String,
    class: Option<Class>,
    saw_latin: bool,
    saw_arabic: bool,
}

impl Tokeniser {
    fn boundary(&mut self) {
        if !self.current.is_empty() {
            self.tokens.push(RawToken {
                text: std::mem::take(&mut self.current),
                arabic: self.class == Some(Class::Arabic),
            });
        }
        self.class = None;
    }

    fn enter(&mut self, class: Class) {
        if self.class != Some(class) {
            self.boundary();
            self.class = Some(class);
        }
    }
}

/// Splits raw text into folded tokens and reports its script.
pub(crate) fn fold_tokens(raw: &str) -> (Vec<RawToken>, Script) {
    let mut t = Tokeniser {
        tokens: Vec::with_capacity(8),
        current: String::with_capacity(16),
        class: None,
        saw_latin: false,
        saw_arabic: false,
    };
    for c in raw.chars() {
        if c.is_ascii_alphabetic() {
            t.enter(Class::Latin);
            t.current.push(c.to_ascii_lowercase());
            t.saw_latin = true;
        } else if c.is_ascii_digit() {
            t.enter(Class::Digit);
            t.current.push(c);
        } else if let Some(d) = arabic_digit(c) {
            t.enter(Class::Digit);
            t.current.push(d);
        } else if is_apostrophe(c) || is_invisible(c) {
            // Inside a word: "Sa'ad", "Is'haq"; zero-width (non-)joiners in Urdu words.
        } else if is_arabic_script(c) {
            if urdu::is_mark(c) {
                // A diacritic attaches to the current Urdu word, if any.
                if t.class == Some(Class::Arabic) {
                    urdu::push_normalised(&mut t.current, c);
                }
                continue;
            }
            if !urdu::is_letter(c) {
                // Arabic punctuation (، ؛ ؟ ۔) and other signs.
                t.boundary();
                continue;
            }
            t.enter(Class::Arabic);
            urdu::push_normalised(&mut t.current, c);
            t.saw_arabic = true;
        } else if c.is_alphabetic() {
            t.enter(Class::Latin);
            fold_latin(c, &mut t.current);
            t.saw_latin = true;
        } else if is_combining(c) {
            // A combining accent after a Roman letter: drop it.
        } else {
            t.boundary();
        }
    }
    t.boundary();
    let script = match (t.saw_latin, t.saw_arabic) {
        (true, true) => Script::Mixed,
        (true, false) => Script::Roman,
        (false, true) => Script::Urdu,
        (false, false) => Script::None,
    };
    (t.tokens, script)
}

/// Folds one non-ASCII letter into lower-case ASCII where it has an obvious ASCII form
/// (accents stripped by canonical decomposition: "ā", "ḥ", "é"), else keeps it lower-cased.
fn fold_latin(c: char, out: &mut String) {
    let special = match c {
        'ß' => Some("ss"),
        'æ' | 'Æ' => Some("ae"),
        'œ' | 'Œ' => Some("oe"),
        'ø' | 'Ø' => Some("o"),
        'đ' | 'Đ' | 'ð' | 'Ð' => Some("d"),
        'ł' | 'Ł' => Some("l"),
        'ı' => Some("i"),
        'þ' | 'Þ' => Some("th"),
        _ => None,
    };
    if let Some(s) = special {
        out.push_str(s);
        return;
    }
    let mut pushed = false;
    decompose_canonical(c, |d| {
        if d.is_ascii_alphabetic() {
            out.push(d.to_ascii_lowercase());
            pushed = true;
        }
    });
    if !pushed {
        out.extend(c.to_lowercase());
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{02BB}' | '`' | '\u{00B4}'
    )
}

fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{200E}' | '\u{200F}' | '\u{FEFF}' | '\u{00AD}'
    )
}

fn is_combining(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF)
}

fn arabic_digit(c: char) -> Option<char> {
    let v = c as u32;
    let d = match v {
        0x0660..=0x0669 => v - 0x0660,
        0x06F0..=0x06F9 => v - 0x06F0,
        _ => return None,
    };
    char::from_digit(d, 10)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        fold_tokens(s).0.into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn roman_is_lowered_and_accents_stripped() {
        assert_eq!(
            texts("MUḤAMMAD  Ā. Sa'ad-Khan"),
            ["muhammad", "a", "saad", "khan"]
        );
        assert_eq!(texts("S/O"), ["s", "o"]);
        assert_eq!(texts("s/0"), ["s", "0"]);
        assert_eq!(fold_tokens("Ali").1, Script::Roman);
        assert_eq!(fold_tokens("..").1, Script::None);
    }

    #[test]
    fn urdu_is_normalised_and_split_from_roman() {
        let (t, script) = fold_tokens("مُحَمَّد Ali");
        assert_eq!(script, Script::Mixed);
        assert_eq!(t[0].text, "محمد");
        assert!(t[0].arabic);
        assert_eq!(t[1].text, "ali");
        // Arabic kaf/yeh/heh become their Urdu forms; alef maksura with a superscript alef is ا.
        assert_eq!(texts("كريم"), texts("کریم"));
        assert_eq!(texts("فاطمه"), texts("فاطمہ"));
        assert_eq!(texts("موسیٰ"), ["موسا"]);
        assert_eq!(texts("علی،رضا"), ["علی", "رضا"]);
    }
}
