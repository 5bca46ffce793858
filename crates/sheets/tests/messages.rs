//! Every code this crate emits has words in English and Urdu, and the two message files match.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use nigehban_i18n::Lang;
use nigehban_sheets::ManifestField;
use std::collections::BTreeSet;
use std::path::Path;
use support::catalog;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).unwrap()
}

fn ids(ftl: &str) -> Vec<String> {
    ftl.lines()
        .filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_alphabetic()))
        .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string()))
        .collect()
}

#[test]
fn both_message_files_have_the_same_sheet_ids() {
    let en = ids(&read("../i18n/locales/sheets.en.ftl"));
    let ur = ids(&read("../i18n/locales/sheets.ur.ftl"));
    assert_eq!(
        en, ur,
        "sheets.en.ftl and sheets.ur.ftl differ (ids or order)"
    );
    let unique: BTreeSet<_> = en.iter().collect();
    assert_eq!(unique.len(), en.len(), "an id repeats");
    assert!(en.iter().all(|k| k.starts_with("sheet-")), "{en:?}");
}

#[test]
fn every_code_in_the_source_has_words_in_both_languages() {
    let mut codes = BTreeSet::new();
    for file in ["problem", "table", "columns", "manifest", "values", "write"] {
        let src = read(&format!("src/{file}.rs"));
        for (i, _) in src.match_indices("\"sheet-") {
            let rest = &src[i + 1..];
            let code: String = rest
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                .collect();
            // Prefixes that are completed at run time ("sheet-field-").
            if !code.ends_with('-') {
                codes.insert(code);
            }
        }
    }
    for f in ManifestField::ALL {
        codes.insert(format!("sheet-field-{}", f.as_str().replace('_', "-")));
    }
    assert!(codes.len() > 40, "{codes:?}");
    let c = catalog();
    for code in &codes {
        for lang in Lang::ALL {
            assert!(c.has(lang, code), "{code} has no {lang:?} message");
        }
        let ur = c.text(Lang::Ur, code);
        assert!(
            ur.chars().any(|ch| ('\u{0600}'..='\u{06FF}').contains(&ch)),
            "{code}: the Urdu message is not in Urdu: {ur}"
        );
    }
}
