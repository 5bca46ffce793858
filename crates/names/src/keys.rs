//! Phonetic keys of a name and blocking keys for screening against a large register.

use crate::normalise::NormalisedName;
use crate::phonetic::phonetic;
use crate::tables::NameTables;

/// Tokens with a weight below this (Muhammad, Ghulam, Abdul, Allah, Bibi, Begum, Syed,
/// Chaudhry, Mian...) are left out of blocking keys unless nothing else is left.
pub const BLOCKING_MIN_WEIGHT: f64 = 0.6;
/// At most this many name tokens make blocking keys (the first ones written).
const MAX_BLOCKING_TOKENS: usize = 4;

/// The tokens of a name and their phonetic keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameKeys {
    /// Canonical tokens of the name (`NormalisedName::tokens`).
    pub tokens: Vec<String>,
    /// `phonetic` of each token, in the same order.
    pub phonetic: Vec<String>,
    /// `phonetic` of each token of the parentage, if the name had one.
    pub parentage_phonetic: Vec<String>,
}

impl NameTables {
    /// Normalises a name and computes the phonetic key of each token.
    pub fn keys(&self, raw: &str) -> NameKeys {
        let n = self.normalise(raw);
        let phonetic_of = |t: &[String]| t.iter().map(|t| phonetic(t)).collect::<Vec<_>>();
        NameKeys {
            phonetic: phonetic_of(&n.tokens),
            parentage_phonetic: n
                .parentage
                .as_ref()
                .map(|p| phonetic_of(&p.tokens))
                .unwrap_or_default(),
            tokens: n.tokens,
        }
    }

    /// Blocking keys to index a person by: two names that may be the same person share at
    /// least one key. `parentage` is the father's (or husband's) name when recorded apart;
    /// when `None`, a parentage written inside `name` ("Ali Raza s/o Ghulam Abbas") is used.
    ///
    /// Keys are built from the phonetic keys of the name's informative tokens (weight at
    /// least `BLOCKING_MIN_WEIGHT`, not initials; all tokens when none is informative), sorted,
    /// so they ignore token order, spelling variants and script:
    ///
    /// - `n:<all tokens>`, e.g. `n:ASF` for Muhammad Asif, Mohd Asif, Asif Muhammad and محمد آصف;
    /// - `c:<tokens run together>`: the phonetic key of the informative tokens written as one
    ///   word, in written order, for spacing that normalisation could not undo (Mirwais /
    ///   Mir Wais, Gulalai / Gul Lalai);
    /// - for three or more tokens, `n:<two tokens>` for each pair, so that a name recorded with
    ///   one token more or less still meets;
    /// - with a parentage, `p:<token>|<parent>` for each token, where parent is the phonetic key
    ///   of the parentage's first informative token (a given name with the father's name,
    ///   selective even for common given names);
    /// - with a birth year, `y:<token>|<year>` for each token.
    ///
    /// Use `query_blocking_keys` for the person screened, which allows a year either way.
    pub fn blocking_keys(
        &self,
        name: &str,
        parentage: Option<&str>,
        birth_year: Option<i32>,
    ) -> Vec<String> {
        self.blocking_keys_with_slack(name, parentage, birth_year, 0)
    }

    /// The blocking keys to look a screened person up with: as `blocking_keys`, but with
    /// year keys for the year before and after too (ages are often approximate).
    pub fn query_blocking_keys(
        &self,
        name: &str,
        parentage: Option<&str>,
        birth_year: Option<i32>,
    ) -> Vec<String> {
        self.blocking_keys_with_slack(name, parentage, birth_year, 1)
    }

    fn blocking_keys_with_slack(
        &self,
        name: &str,
        parentage: Option<&str>,
        birth_year: Option<i32>,
        year_slack: i32,
    ) -> Vec<String> {
        let n = self.normalise(name);
        let parent_tokens = match parentage {
            Some(p) => self.normalise(p).tokens,
            None => n.parentage.map(|p| p.tokens).unwrap_or_default(),
        };
        self.blocking_keys_normalised(&n.tokens, &parent_tokens, birth_year, year_slack)
    }

    /// Blocking keys from normalised tokens (see `blocking_keys`); `year_slack` adds year keys
    /// for that many years either side.
    pub fn blocking_keys_normalised(
        &self,
        tokens: &[String],
        parentage: &[String],
        birth_year: Option<i32>,
        year_slack: i32,
    ) -> Vec<String> {
        let core = self.informative_phonetics(tokens);
        if core.is_empty() {
            return Vec::new();
        }
        let mut keys = Vec::with_capacity(8);
        keys.push(format!("n:{}", core.join(".")));
        let joined: String = self
            .informative(tokens)
            .into_iter()
            .map(String::as_str)
            .collect();
        keys.push(format!("c:{}", phonetic(&joined)));
        if core.len() >= 3 {
            for (i, x) in core.iter().enumerate() {
                for y in core.iter().skip(i + 1) {
                    keys.push(format!("n:{x}.{y}"));
                }
            }
        }
        if let Some(parent) = self.first_informative(parentage) {
            for c in &core {
                keys.push(format!("p:{c}|{parent}"));
            }
        }
        if let Some(year) = birth_year {
            for y in year - year_slack.abs()..=year + year_slack.abs() {
                for c in &core {
                    keys.push(format!("y:{c}|{y}"));
                }
            }
        }
        keys.sort();
        keys.dedup();
        keys
    }

    /// The informative tokens (at most four, the first written), or all tokens but initials
    /// when none is informative, in written order.
    fn informative<'a>(&self, tokens: &'a [String]) -> Vec<&'a String> {
        let usable = |t: &&String| t.chars().count() > 1;
        let strong: Vec<&String> = tokens
            .iter()
            .filter(usable)
            .filter(|t| self.token_weight(t) >= BLOCKING_MIN_WEIGHT)
            .take(MAX_BLOCKING_TOKENS)
            .collect();
        if strong.is_empty() {
            tokens
                .iter()
                .filter(usable)
                .take(MAX_BLOCKING_TOKENS)
                .collect()
        } else {
            strong
        }
    }

    /// Sorted, deduplicated phonetic keys of the informative tokens.
    fn informative_phonetics(&self, tokens: &[String]) -> Vec<String> {
        let mut keys: Vec<String> = self
            .informative(tokens)
            .into_iter()
            .map(|t| phonetic(t))
            .filter(|k| !k.is_empty())
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    fn first_informative(&self, tokens: &[String]) -> Option<String> {
        let usable = |t: &&String| t.chars().count() > 1;
        tokens
            .iter()
            .filter(usable)
            .find(|t| self.token_weight(t) >= BLOCKING_MIN_WEIGHT)
            .or_else(|| tokens.iter().find(usable))
            .map(|t| phonetic(t))
            .filter(|k| !k.is_empty())
    }
}

impl NormalisedName {
    /// The phonetic key of each token.
    pub fn phonetic(&self) -> Vec<String> {
        self.tokens.iter().map(|t| phonetic(t)).collect()
    }
}
