//! Sealing identity fields on the way into the database and opening them on the way out. What is
//! sealed: persons' names, parentage, date of birth, address and notes; identifier values; case
//! narratives; audit details; the reasons given for shares and reveals; the justifications of
//! organized-crime assessments. Each sealed value is bound to its table, column and row (the AEAD
//! context), so it cannot be moved elsewhere unnoticed. Lookups use keyed blind indexes:
//! identifier `lookup` values and name tokens.

use nigehban_core::error::StoreError;
use nigehban_crypto::Keyring;
use nigehban_domain::names::fold_for_search;
use nigehban_domain::person::ValidatedPerson;

pub fn seal(keys: &Keyring, value: &str, context: &str) -> Result<String, StoreError> {
    keys.encrypt(value, context)
        .map_err(|e| StoreError::Database(format!("cannot seal {context}: {e}")))
}

pub fn seal_opt(
    keys: &Keyring,
    value: Option<&str>,
    context: &str,
) -> Result<Option<String>, StoreError> {
    value.map(|v| seal(keys, v, context)).transpose()
}

/// Open a stored value. Values written before encryption was introduced are plaintext and are
/// returned as they are (the start-up pass seals them).
pub fn open(keys: &Keyring, stored: &str, context: &str) -> Result<String, StoreError> {
    if Keyring::is_sealed(stored) {
        keys.decrypt(stored, context)
            .map_err(|e| StoreError::Corrupt(format!("{context}: {e}")))
    } else {
        Ok(stored.to_string())
    }
}

pub fn open_opt(
    keys: &Keyring,
    stored: Option<String>,
    context: &str,
) -> Result<Option<String>, StoreError> {
    stored.map(|s| open(keys, &s, context)).transpose()
}

/// Whether a stored value must be (re)sealed under the current key.
pub fn needs_sealing(keys: &Keyring, stored: Option<&str>) -> bool {
    match stored {
        None => false,
        Some(s) => Keyring::key_id_of(s) != Some(keys.current_id()),
    }
}

pub fn person_ctx(column: &str, person: &str) -> String {
    format!("persons.{column}:{person}")
}

pub fn identifier_ctx(person: &str, kind: &str) -> String {
    format!("person_identifiers.value:{person}:{kind}")
}

/// The blind index of an identifier value, per kind.
pub fn identifier_lookup(keys: &Keyring, kind: &str, value: &str) -> String {
    keys.blind_index(kind, value)
}

/// Folded words of a text, at least two characters long, each once.
pub fn words(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in fold_for_search(text).split_whitespace() {
        if w.chars().count() >= 2 && !out.iter().any(|o| o == w) {
            out.push(w.to_string());
        }
    }
    out
}

/// Shortest word prefix that is indexed: enough to type "Muh" for Muhammad, few enough rows.
pub const PREFIX_MIN: usize = 3;

/// Blind-indexed tokens of a text: each word whole (domain `name`) and each of its prefixes from
/// [`PREFIX_MIN`] letters up (domain `name-prefix`), so a search may give the start of a word.
pub fn token_values(keys: &Keyring, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in words(text) {
        out.push(keys.blind_index("name", &w));
        let chars: Vec<char> = w.chars().collect();
        for k in PREFIX_MIN..chars.len() {
            let prefix: String = chars.iter().take(k).collect();
            out.push(keys.blind_index("name-prefix", &prefix));
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The tokens one query word matches: the whole word, or the start of a longer one.
pub fn query_word_tokens(keys: &Keyring, word: &str) -> Vec<String> {
    let mut t = vec![keys.blind_index("name", word)];
    if word.chars().count() >= PREFIX_MIN {
        t.push(keys.blind_index("name-prefix", word));
    }
    t
}

/// Blind-indexed name tokens of a person: every word of the names and parentage, in both scripts.
pub fn name_tokens(keys: &Keyring, p: &ValidatedPerson) -> Vec<String> {
    let parts = [
        p.name.roman.as_deref(),
        p.name.urdu.as_deref(),
        p.parentage.roman.as_deref(),
        p.parentage.urdu.as_deref(),
    ];
    let text = parts
        .iter()
        .flatten()
        .copied()
        .collect::<Vec<_>>()
        .join(" ");
    token_values(keys, &text)
}

/// The blind index of a name match key (see `nigehban_core::screening::match_keys`).
pub fn match_key_index(keys: &Keyring, key: &str) -> String {
    keys.blind_index("match", key)
}

/// The name tables of `nigehban-names` (embedded; checked when the binary starts).
pub fn name_tables() -> Result<&'static nigehban_names::NameTables, StoreError> {
    nigehban_names::NameTables::embedded()
        .map_err(|e| StoreError::Corrupt(format!("name tables: {e}")))
}

/// Blind-indexed match keys of a person, for screening and linkage.
pub fn match_key_values(keys: &Keyring, p: &ValidatedPerson) -> Result<Vec<String>, StoreError> {
    Ok(nigehban_core::screening::match_keys(name_tables()?, p)
        .iter()
        .map(|k| match_key_index(keys, k))
        .collect())
}
