//! Every word the user reads, in English and Urdu, as Fluent message files (`locales/*.ftl`)
//! embedded in the binary. Domain errors carry stable codes (`problem-<code>`), and so do codes
//! for crime types, stages, roles and the like (`crime-tip`, `stage-fir`): the words live here.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use unic_langid::LanguageIdentifier;

/// The message files, one per feature area, each in both languages. A message id must be unique
/// across the files of one language (Fluent refuses a duplicate, and the catalogue fails to load).
const FILES: &[(&str, &str, &str)] = &[
    (
        "general",
        include_str!("../locales/en.ftl"),
        include_str!("../locales/ur.ftl"),
    ),
    (
        "linkage",
        include_str!("../locales/linkage.en.ftl"),
        include_str!("../locales/linkage.ur.ftl"),
    ),
    (
        "intake",
        include_str!("../locales/intake.en.ftl"),
        include_str!("../locales/intake.ur.ftl"),
    ),
    (
        "assessment",
        include_str!("../locales/assessment.en.ftl"),
        include_str!("../locales/assessment.ur.ftl"),
    ),
    (
        "sheets",
        include_str!("../locales/sheets.en.ftl"),
        include_str!("../locales/sheets.ur.ftl"),
    ),
    (
        "victims",
        include_str!("../locales/victims.en.ftl"),
        include_str!("../locales/victims.ur.ftl"),
    ),
    (
        "exchange",
        include_str!("../locales/exchange.en.ftl"),
        include_str!("../locales/exchange.ur.ftl"),
    ),
    (
        "resolve",
        include_str!("../locales/resolve.en.ftl"),
        include_str!("../locales/resolve.ur.ftl"),
    ),
    (
        "statistics",
        include_str!("../locales/statistics.en.ftl"),
        include_str!("../locales/statistics.ur.ftl"),
    ),
    (
        "ocindex",
        include_str!("../locales/ocindex.en.ftl"),
        include_str!("../locales/ocindex.ur.ftl"),
    ),
];

/// The languages of the interface.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    En,
    Ur,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ur];
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ur => "ur",
        }
    }
    /// Text direction: Urdu is written right to left.
    pub fn dir(self) -> &'static str {
        match self {
            Lang::En => "ltr",
            Lang::Ur => "rtl",
        }
    }
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_ascii_lowercase().as_str() {
            "en" | "english" => Some(Lang::En),
            "ur" | "urdu" | "اردو" => Some(Lang::Ur),
            _ => None,
        }
    }
    /// Pick from an Accept-Language header: Urdu if it comes before English.
    pub fn from_accept_language(header: &str) -> Lang {
        for part in header.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            if tag.starts_with("ur") {
                return Lang::Ur;
            }
            if tag.starts_with("en") {
                return Lang::En;
            }
        }
        Lang::En
    }
}

#[derive(Debug, thiserror::Error)]
#[error("message catalogue `{file}` is invalid: {detail}")]
pub struct I18nError {
    pub file: &'static str,
    pub detail: String,
}

/// The message catalogue of both languages.
pub struct Catalog {
    en: FluentBundle<FluentResource>,
    ur: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Catalog")
    }
}

fn bundle(lang: Lang) -> Result<FluentBundle<FluentResource>, I18nError> {
    let id: LanguageIdentifier = lang.code().parse().map_err(|e| I18nError {
        file: "",
        detail: format!("{e}"),
    })?;
    let mut b = FluentBundle::new_concurrent(vec![id]);
    // Bidirectional isolation is done in the HTML (<bdi>), where it is visible and testable.
    b.set_use_isolating(false);
    for (file, en, ur) in FILES {
        let src = match lang {
            Lang::En => en,
            Lang::Ur => ur,
        };
        let res = FluentResource::try_new(src.to_string()).map_err(|(_, errs)| I18nError {
            file,
            detail: format!("{}: {errs:?}", lang.code()),
        })?;
        b.add_resource(res).map_err(|errs| I18nError {
            file,
            detail: format!("{}: {errs:?}", lang.code()),
        })?;
    }
    Ok(b)
}

impl Catalog {
    pub fn embedded() -> Result<Catalog, I18nError> {
        Ok(Catalog {
            en: bundle(Lang::En)?,
            ur: bundle(Lang::Ur)?,
        })
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::En => &self.en,
            Lang::Ur => &self.ur,
        }
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundle(lang).has_message(key)
    }

    /// The message for `key`, with named arguments. A missing Urdu message falls back to English,
    /// and a missing message altogether shows its key, so a gap is visible rather than blank.
    pub fn text_args(&self, lang: Lang, key: &str, args: &[(&str, String)]) -> String {
        let bundle = if self.has(lang, key) {
            self.bundle(lang)
        } else {
            &self.en
        };
        let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) else {
            return key.to_string();
        };
        let mut fargs = FluentArgs::new();
        for (k, v) in args {
            fargs.set(*k, FluentValue::from(v.clone()));
        }
        let mut errors = Vec::new();
        bundle
            .format_pattern(pattern, Some(&fargs), &mut errors)
            .into_owned()
    }

    pub fn text(&self, lang: Lang, key: &str) -> String {
        self.text_args(lang, key, &[])
    }

    /// Message ids of a language's files, for the completeness test.
    pub fn keys(src_lang: Lang) -> Vec<String> {
        FILES
            .iter()
            .flat_map(|(_, en, ur)| {
                let src = match src_lang {
                    Lang::En => en,
                    Lang::Ur => ur,
                };
                src.lines()
                    .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
                    .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string()))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_messages() {
        let en: std::collections::BTreeSet<_> = Catalog::keys(Lang::En).into_iter().collect();
        let ur: std::collections::BTreeSet<_> = Catalog::keys(Lang::Ur).into_iter().collect();
        assert_eq!(
            en.len(),
            Catalog::keys(Lang::En).len(),
            "a message id repeats"
        );
        let missing: Vec<_> = en.difference(&ur).collect();
        let extra: Vec<_> = ur.difference(&en).collect();
        assert!(missing.is_empty(), "missing in ur.ftl: {missing:?}");
        assert!(extra.is_empty(), "only in ur.ftl: {extra:?}");
    }

    #[test]
    fn messages_format_with_arguments() {
        let c = Catalog::embedded().unwrap();
        assert_eq!(
            c.text_args(Lang::En, "problem-too-long", &[("max", "5".into())]),
            "Too long: at most 5 characters."
        );
        assert!(c
            .text(Lang::Ur, "nav-cases")
            .chars()
            .any(|ch| ('\u{0600}'..='\u{06FF}').contains(&ch)));
        assert_eq!(c.text(Lang::En, "no-such-key"), "no-such-key");
        assert_eq!(
            Lang::from_accept_language("ur-PK,ur;q=0.9,en;q=0.8"),
            Lang::Ur
        );
        assert_eq!(Lang::from_accept_language("en-GB"), Lang::En);
    }
}
