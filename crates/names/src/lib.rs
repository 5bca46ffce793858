//! Name handling for Pakistan: normalisation of Roman and Urdu-script names, transliteration,
//! phonetic keys, blocking keys and similarity, for screening people (deportees) against a
//! register of a million persons and, later, for record linkage (Fellegi-Sunter). Pure: no
//! IO, no dependency on other Nigehban crates.
//!
//! # Use
//!
//! ```
//! use nigehban_names::NameTables;
//!
//! // Once, at start: parses and checks the embedded data files.
//! let names: &'static NameTables = NameTables::embedded()?;
//!
//! let n = names.normalise("Haji Mohd. Asif s/o Ghulam Abbas");
//! assert_eq!(n.tokens, ["muhammad", "asif"]);
//! assert_eq!(n.titles, ["haji"]);
//! assert_eq!(n.parentage.as_ref().map(|p| p.name()).as_deref(), Some("ghulam abbas"));
//!
//! assert!(names.similarity("Muhammad Asif", "محمد آصف") > 0.9);
//! let a = names.blocking_keys("Asif Muhammad", None, Some(1990));
//! let b = names.query_blocking_keys("Mohd Asif", None, Some(1991));
//! assert!(a.iter().any(|k| b.contains(k)));
//! # Ok::<(), nigehban_names::NamesError>(())
//! ```
//!
//! All functions that need the tables are methods of [`NameTables`]; the caller gets
//! `&'static NameTables` once (`NameTables::embedded()`, parsed on first use behind a
//! `OnceLock`) and passes it where names are compared. There are no hidden globals that could
//! fail in the middle of a comparison, and a deployment or a test can build other tables with
//! [`NameTables::from_sources`]. [`phonetic`] and [`jaro_winkler`] need no tables and are free
//! functions.
//!
//! # Pipeline
//!
//! `normalise` turns a written name into canonical tokens:
//!
//! 1. Folding (`fold`): Roman letters lower-cased with accents stripped (canonical
//!    decomposition: "Muḥammad" → muhammad); Urdu letters normalised (Arabic ي ى ك ه ة to Urdu
//!    ی ک ہ, diacritics zabar/zer/pesh/shadda/tanween and tatweel removed, ىٰ read as ا,
//!    presentation forms decomposed); apostrophes and zero-width joiners joined; any other
//!    character a token boundary (so "s/o", "S/O." and "s o" are the same tokens).
//! 2. Transliteration of Urdu words (`urdu`): the whole-word table of `data/urdu_roman.toml`
//!    first, then a word with an Arabic article inside split in two (عبدالرحمن → abdul
//!    rehman), then letter by letter with guessed short vowels (see
//!    [`NameTables::transliterate_letters`]). From here on, both scripts are the same.
//! 3. Phrases (`data/titles.toml`): the name is cut at s/o, d/o, w/o, son of, bin, bint, ibn,
//!    walad, ولد, بنت, زوجہ, ولدیت... (parentage), alias/urf/عرف (alias) and r/o/سکنہ
//!    (residence). "bin" and "ibn" are phrases only after a name (a name may begin with Bin).
//! 4. Titles: Mr, Mrs, Mst, Dr, Prof, Hafiz, Haji, Maulana, Qari... are dropped (kept in
//!    `titles`) in the opening run of the name, Sahib, Retd, Marhoom in the closing run; a
//!    title word inside a name is a name ("Muhammad Hafiz"). Honorific names (Syed, Chaudhry,
//!    Malik, Mian, Mirza, Begum, Bibi...) are not dropped: people carry them as names and
//!    records keep them, sometimes as the only surname. They stay tokens, are listed in
//!    `honorifics` and weigh little (see below). Bibi and Begum in particular end many
//!    women's names and may be all that is recorded besides the given name.
//! 5. Canonical spellings (`data/variants.toml`): each token is replaced by the first
//!    spelling of its variant group (Mohd, Md, M. → muhammad; Ch. → chaudhry; Sayed → syed).
//!    An unknown joined token is split into known parts, dropping an Arabic particle between
//!    them (Abdurrehman → abdul rehman, Shamsuddin → shams din, Asadullah → asad allah,
//!    Mehrunnisa → mehr nisa); particles standing alone between tokens are dropped (Zia ul
//!    Haq → zia haq); a few sequences are joined (Abd Ullah → abdullah, Bi Bi → bibi).
//!    Compound names are thus compared by their parts however they were spaced.
//!
//! # Phonetic key
//!
//! [`phonetic`] is designed for the Roman spellings of names of Urdu, Punjabi, Sindhi, Pashto
//! and Balochi origin, where vowels follow no standard and some consonant pairs are written
//! either way (its documentation lists the rules). Not Soundex: Soundex keeps the first letter
//! itself (Qureshi and Kureshi, Ehsan and Ihsan, Chaudhry and Ch. get different codes), puts
//! c g j k q s x z in one class (Raja, Rasa and Raza are all R200), knows no digraphs (sh,
//! kh, gh), truncates to four characters and was built for English surnames. Not Metaphone
//! either: its rules are English ones (th read as a fricative, g before e or i read as j).
//!
//! Inner vowels are dropped entirely, because Urdu does not write short vowels and Roman
//! spellings disagree on them; the first vowel and the final vowel are kept as classes. The
//! price is that some different names share a key (Hasan / Hussain, Umar / Amir): the key is
//! for blocking and for matching unknown spellings, and similarity does not treat two
//! different *known* names with the same key as a match.
//!
//! # Similarity and blocking
//!
//! [`NameTables::similarity`] compares canonical tokens with Jaro-Winkler, assigns tokens
//! across the two names best-first (so order does not matter), weighs each token by the
//! weight of its variant group (Muhammad 0.3, Ghulam 0.4, Khan 0.6, an unknown name 1) and
//! penalises a missing token by half its weight. See [`NameTables::token_similarity`].
//!
//! [`NameTables::blocking_keys`] builds a few keys from the phonetic keys of the informative
//! tokens (not Muhammad alone), sorted, combined with the parentage and the birth year. For a
//! register of a million, store `blocking_keys` of every person in an index and look up
//! `query_blocking_keys` of the screened person; score the candidates with `similarity`.
//!
//! # Performance
//!
//! All lookups are `HashMap`s built once; no regular expressions. Normalising a name costs a
//! few small allocations (the tokens). Splitting an unknown joined token tries its known
//! prefixes only.
//!
//! # Data files
//!
//! - `data/variants.toml`: variant groups (canonical first) with weights and the honorific
//!   flag, the Arabic particles, and joins.
//! - `data/titles.toml`: titles (with where they stand) and phrases (parentage, alias,
//!   residence), in Roman and Urdu script.
//! - `data/urdu_roman.toml`: Urdu whole words (every Urdu name of the synthetic data, titles,
//!   parentage words, common names) and the letter table (Urdu, Sindhi and Pashto letters).
//!
//! They are embedded with `include_str!`, and `NameTables::from_sources` rejects them listing
//! every problem: a spelling in two groups, an empty group, a weight out of range, a title
//! that is also a name, an Urdu word of a phrase missing from the word table, an Urdu word
//! written twice with different values...

mod compare;
mod fold;
mod keys;
mod normalise;
mod phonetic;
mod tables;
mod urdu;

pub use compare::jaro_winkler;
pub use fold::{is_arabic_script, Script};
pub use keys::{NameKeys, BLOCKING_MIN_WEIGHT};
pub use normalise::{NormalisedName, Parentage, Relation};
pub use phonetic::phonetic;
pub use tables::NameTables;

/// The name tables could not be built: every problem found, each naming its file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid name tables:\n{}", .problems.join("\n"))]
pub struct NamesError {
    pub problems: Vec<String>,
}
