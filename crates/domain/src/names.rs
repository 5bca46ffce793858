//! Names as officers write them: in Roman letters, in Urdu script, or both, with parentage
//! (s/o, d/o, w/o) as a key identifier. Normalisation for search lives here too, so every layer
//! folds names the same way.

use crate::error::Problem;
use serde::{Deserialize, Serialize};

pub const NAME_MAX: usize = 120;

/// Whether a character belongs to the Arabic script blocks used for Urdu.
pub fn is_arabic_script(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF)
}

/// A name in Roman letters: letters (including accented), spaces, dots, apostrophes and hyphens.
pub fn parse_roman_name(raw: &str) -> Result<String, Problem> {
    let t = collapse_spaces(raw);
    if t.is_empty() {
        return Err(Problem::Required);
    }
    if t.chars().count() > NAME_MAX {
        return Err(Problem::TooLong { max: NAME_MAX });
    }
    if t.chars().any(is_arabic_script) {
        return Err(Problem::NotRomanScript);
    }
    // Punctuation inside a name (M. Ali, D'Souza, Khan-Baloch), but a name starts with a letter:
    // a leading "-", "'" or "." is a typing slip or a spreadsheet formula, not a name.
    if !t
        .chars()
        .all(|c| c.is_alphabetic() || matches!(c, ' ' | '.' | '\'' | '-'))
        || !t.chars().next().is_some_and(char::is_alphabetic)
    {
        return Err(Problem::InvalidChars);
    }
    Ok(t)
}

/// A name in Urdu script (Arabic letters, spaces, and the marks Urdu uses).
pub fn parse_urdu_name(raw: &str) -> Result<String, Problem> {
    let t = collapse_spaces(raw);
    if t.is_empty() {
        return Err(Problem::Required);
    }
    if t.chars().count() > NAME_MAX {
        return Err(Problem::TooLong { max: NAME_MAX });
    }
    if !t
        .chars()
        .all(|c| is_arabic_script(c) || c == ' ' || c == '\u{200C}' || c == '\u{200D}' || c == '.')
    {
        return Err(Problem::NotUrduScript);
    }
    if !t.chars().any(is_arabic_script) {
        return Err(Problem::NotUrduScript);
    }
    Ok(t)
}

fn collapse_spaces(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Fold text for substring search: lower-case Roman letters without accents or punctuation, and
/// Urdu without diacritics (zer, zabar, pesh, shadd...), with letter variants unified (Arabic kaf and
/// yeh to their Urdu forms), so that "Muḥammad", "MUHAMMAD" and "مُحَمَّد" find "Muhammad" and "محمد".
pub fn fold_for_search(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.chars() {
        let mapped: Option<char> = match c {
            // Arabic diacritics and tatweel: drop.
            '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0640}' => None,
            // Arabic letter forms to their Urdu equivalents.
            'ك' => Some('ک'),
            'ي' | 'ى' => Some('ی'),
            'ة' => Some('ہ'),
            'ه' => Some('ہ'),
            'أ' | 'إ' | 'آ' => Some('ا'),
            c if is_arabic_script(c) => Some(c),
            c if c.is_alphanumeric() => Some(fold_latin(c)),
            _ => Some(' '),
        };
        if let Some(m) = mapped {
            if m == ' ' {
                if !last_space {
                    out.push(' ');
                    last_space = true;
                }
            } else {
                for l in m.to_lowercase() {
                    out.push(l);
                }
                last_space = false;
            }
        }
    }
    out.trim_end().to_string()
}

fn fold_latin(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ā' | 'Á' | 'À' | 'Â' | 'Ä' | 'Ā' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'ē' | 'É' | 'È' | 'Ê' | 'Ë' | 'Ē' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'ī' | 'Í' | 'Ì' | 'Î' | 'Ï' | 'Ī' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'ō' | 'Ó' | 'Ò' | 'Ô' | 'Ö' | 'Ō' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ū' | 'Ú' | 'Ù' | 'Û' | 'Ü' | 'Ū' => 'u',
        'ḥ' | 'Ḥ' => 'h',
        'ṣ' | 'Ṣ' => 's',
        'ṭ' | 'Ṭ' => 't',
        'ḍ' | 'Ḍ' => 'd',
        'ẓ' | 'Ẓ' => 'z',
        other => other,
    }
}

/// How a person is related to the parent or husband named with them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ParentageRelation {
    /// s/o, son of (bin).
    SonOf,
    /// d/o, daughter of (bint).
    DaughterOf,
    /// w/o, wife of.
    WifeOf,
}

impl ParentageRelation {
    pub const ALL: [ParentageRelation; 3] = [
        ParentageRelation::SonOf,
        ParentageRelation::DaughterOf,
        ParentageRelation::WifeOf,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ParentageRelation::SonOf => "son_of",
            ParentageRelation::DaughterOf => "daughter_of",
            ParentageRelation::WifeOf => "wife_of",
        }
    }
    /// The abbreviation used on Pakistani forms.
    pub fn abbreviation(self) -> &'static str {
        match self {
            ParentageRelation::SonOf => "s/o",
            ParentageRelation::DaughterOf => "d/o",
            ParentageRelation::WifeOf => "w/o",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == t || r.abbreviation() == t)
    }
}

/// A name written in either or both scripts; at least one must be present.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BilingualName {
    pub roman: Option<String>,
    pub urdu: Option<String>,
}

impl BilingualName {
    /// The name to show: Urdu in an Urdu page when present, else Roman, else Urdu.
    pub fn display(&self, prefer_urdu: bool) -> &str {
        match (&self.roman, &self.urdu, prefer_urdu) {
            (_, Some(u), true) => u,
            (Some(r), _, _) => r,
            (None, Some(u), _) => u,
            (None, None, _) => "",
        }
    }
    pub fn is_empty(&self) -> bool {
        self.roman.is_none() && self.urdu.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roman_and_urdu_names_are_checked_by_script() {
        assert_eq!(
            parse_roman_name("  Muhammad   Ali ").unwrap(),
            "Muhammad Ali"
        );
        assert_eq!(parse_roman_name("محمد"), Err(Problem::NotRomanScript));
        assert_eq!(parse_roman_name("<script>"), Err(Problem::InvalidChars));
        assert_eq!(parse_urdu_name("محمد علی").unwrap(), "محمد علی");
        assert_eq!(parse_urdu_name("Ali"), Err(Problem::NotUrduScript));
        assert_eq!(parse_roman_name("   "), Err(Problem::Required));
    }

    #[test]
    fn folding_ignores_case_accents_and_diacritics() {
        assert_eq!(fold_for_search("MUḤAMMAD  Ali-Khan"), "muhammad ali khan");
        assert_eq!(fold_for_search("مُحَمَّد"), "محمد");
        assert_eq!(fold_for_search("كريم"), fold_for_search("کریم"));
    }

    #[test]
    fn parentage_abbreviations_parse() {
        assert_eq!(
            ParentageRelation::parse("S/O"),
            Some(ParentageRelation::SonOf)
        );
        assert_eq!(
            ParentageRelation::parse("wife_of"),
            Some(ParentageRelation::WifeOf)
        );
        assert_eq!(ParentageRelation::parse("x"), None);
    }
}
