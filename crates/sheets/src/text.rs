//! Folding text for matching headers and values, and small helpers for cells.

use nigehban_domain::names::{fold_for_search, is_arabic_script};

/// Fold text to a key for exact matching of headers and listed values: case, accents, Arabic
/// letter variants and diacritics, Greek accents, Turkish dotless i, spaces and punctuation are
/// ignored, and "#", "No", "Num", "Number" become one word. "Passport No.", "PASSPORT #" and
/// "passport number" all fold to `passportno`.
pub fn fold_key(s: &str) -> String {
    let mut pre = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '#' | '№' => pre.push_str(" no "),
            'İ' | 'ı' => pre.push('i'),
            // Combining marks (a decomposed accent) carry no letter.
            '\u{0300}'..='\u{036F}' => {}
            _ => {
                for l in c.to_lowercase() {
                    pre.push(match l {
                        'ğ' => 'g',
                        'ş' => 's',
                        'ç' => 'c',
                        'ñ' => 'n',
                        'ά' => 'α',
                        'έ' => 'ε',
                        'ή' => 'η',
                        'ί' | 'ϊ' | 'ΐ' => 'ι',
                        'ό' => 'ο',
                        'ύ' | 'ϋ' | 'ΰ' => 'υ',
                        'ώ' => 'ω',
                        'ς' => 'σ',
                        other => other,
                    });
                }
            }
        }
    }
    let folded = fold_for_search(&ascii_digits(&pre));
    let mut out = String::with_capacity(folded.len());
    for token in folded.split(' ') {
        match token {
            "number" | "num" | "nbr" | "nr" | "no" => out.push_str("no"),
            t => match t.strip_suffix("number") {
                Some(stem) if !stem.is_empty() => {
                    out.push_str(stem);
                    out.push_str("no");
                }
                _ => out.push_str(t),
            },
        }
    }
    out
}

/// Arabic-Indic and Persian digits to ASCII: Gulf and Iranian lists write dates and numbers in them.
pub fn ascii_digits(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{0660}'..='\u{0669}' => char::from_u32(c as u32 - 0x0660 + 0x30).unwrap_or(c),
            '\u{06F0}'..='\u{06F9}' => char::from_u32(c as u32 - 0x06F0 + 0x30).unwrap_or(c),
            _ => c,
        })
        .collect()
}

/// Which writing system a letter belongs to, for splitting bilingual cells and headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Arabic,
    Other,
}

fn script_of(c: char) -> Option<Script> {
    if is_arabic_script(c) {
        // Arabic-script letters; the block also holds punctuation and digits, which are neutral.
        if c.is_alphabetic() {
            Some(Script::Arabic)
        } else {
            None
        }
    } else if c.is_alphabetic() {
        Some(Script::Other)
    } else {
        None
    }
}

/// Whether the text has letters of the Arabic script (Urdu, Arabic, Persian).
pub fn has_arabic_letters(s: &str) -> bool {
    s.chars().any(|c| script_of(c) == Some(Script::Arabic))
}

/// Whether the text has letters of another script (Roman, Greek...).
pub fn has_other_letters(s: &str) -> bool {
    s.chars().any(|c| script_of(c) == Some(Script::Other))
}

/// Split text into runs of one script; neutral characters (spaces, punctuation, digits) stay with
/// the run they follow. "Passport No رقم الجواز" gives "Passport No " and "رقم الجواز".
pub fn script_runs(s: &str) -> Vec<String> {
    let mut runs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut script = None;
    for c in s.chars() {
        if let Some(sc) = script_of(c) {
            if script.is_some_and(|s| s != sc) {
                runs.push(std::mem::take(&mut current));
            }
            script = Some(sc);
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        runs.push(current);
    }
    runs
}

/// Split a name cell into its Roman and Urdu-script words, for lists that give both in one cell
/// ("Muhammad Asif / محمد آصف"). Separators between them are dropped.
pub fn split_name_scripts(s: &str) -> (Option<String>, Option<String>) {
    let mut roman = Vec::new();
    let mut urdu = Vec::new();
    for word in s.split_whitespace() {
        let arabic = has_arabic_letters(word);
        let other = has_other_letters(word);
        match (arabic, other) {
            (true, false) => urdu.push(word),
            (false, true) => roman.push(word),
            // A word mixing scripts cannot be split: keep it whole with the Roman part, where
            // validation will name the problem.
            (true, true) => roman.push(word),
            (false, false) => {
                // Separators ("/", "|", "-") between the two names are dropped; a dot or an
                // apostrophe belongs to the name it follows.
                if !word
                    .chars()
                    .all(|c| matches!(c, '/' | '|' | '-' | '–' | ',' | ';'))
                {
                    roman.push(word);
                }
            }
        }
    }
    let join = |v: Vec<&str>| (!v.is_empty()).then(|| v.join(" "));
    (join(roman), join(urdu))
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

    #[test]
    fn headers_fold_to_one_key() {
        for h in [
            "Passport No",
            "PASSPORT NO.",
            "Passport #",
            "passport number",
            "PassportNumber",
            " Passport  Num ",
        ] {
            assert_eq!(fold_key(h), "passportno", "{h}");
        }
        assert_eq!(fold_key("PP#"), "ppno");
        assert_eq!(fold_key("D.O.B"), fold_key("DOB"));
        assert_eq!(fold_key("Father's Name"), fold_key("Fathers Name"));
        assert_eq!(fold_key("الإسم"), fold_key("الاسم"));
        assert_eq!(fold_key("الجنسيه"), fold_key("الجنسية"));
        assert_eq!(fold_key("Ονοματεπώνυμο"), fold_key("ΟΝΟΜΑΤΕΠΩΝΥΜΟ"));
        assert_eq!(fold_key("Uyruğu"), fold_key("UYRUGU"));
        assert_eq!(fold_key("Adı"), fold_key("ADI"));
        assert_eq!(fold_key("-"), "");
    }

    #[test]
    fn digits_of_other_scripts_become_ascii() {
        assert_eq!(ascii_digits("١٢/٠٣/١٩٩٠"), "12/03/1990");
        assert_eq!(ascii_digits("۱۳۶۹"), "1369");
    }

    #[test]
    fn bilingual_text_splits_by_script() {
        assert_eq!(
            script_runs("Passport No رقم الجواز"),
            vec!["Passport No ", "رقم الجواز"]
        );
        assert_eq!(
            split_name_scripts("Muhammad Asif / محمد آصف"),
            (Some("Muhammad Asif".into()), Some("محمد آصف".into()))
        );
        assert_eq!(
            split_name_scripts("محمد آصف"),
            (None, Some("محمد آصف".into()))
        );
        assert_eq!(
            split_name_scripts("Zahid Hussain"),
            (Some("Zahid Hussain".into()), None)
        );
    }
}
