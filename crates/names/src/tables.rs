//! The data files, parsed and checked once into lookup tables.

use crate::fold;
use crate::urdu;
use crate::NamesError;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

const VARIANTS_TOML: &str = include_str!("../data/variants.toml");
const TITLES_TOML: &str = include_str!("../data/titles.toml");
const URDU_ROMAN_TOML: &str = include_str!("../data/urdu_roman.toml");

/// What a phrase inside a written name introduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum PhraseKind {
    SonOf,
    DaughterOf,
    WifeOf,
    ChildOf,
    Alias,
    Residence,
}

/// Where a title is recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum TitleAt {
    #[default]
    Start,
    End,
    Either,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantsFile {
    #[serde(default)]
    particles: Vec<String>,
    #[serde(default)]
    join: Vec<JoinDef>,
    #[serde(default)]
    group: Vec<GroupDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupDef {
    names: Vec<String>,
    #[serde(default = "default_weight")]
    weight: f64,
    #[serde(default)]
    honorific: bool,
}

fn default_weight() -> f64 {
    1.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JoinDef {
    parts: Vec<String>,
    into: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TitlesFile {
    #[serde(default)]
    title: Vec<TitleDef>,
    #[serde(default)]
    phrase: Vec<PhraseDef>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TitleDef {
    canonical: String,
    forms: Vec<String>,
    #[serde(default)]
    at: TitleAt,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhraseDef {
    kind: PhraseKind,
    forms: Vec<String>,
    #[serde(default)]
    needs_name: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UrduFile {
    words: BTreeMap<String, String>,
    letters: BTreeMap<String, String>,
}

/// One variant group.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub canonical: String,
    pub weight: f64,
    pub honorific: bool,
}

/// A multi-token form (title or phrase) and what it means.
#[derive(Debug, Clone)]
pub(crate) struct Form {
    pub tokens: Vec<String>,
    pub what: FormKind,
}

#[derive(Debug, Clone)]
pub(crate) enum FormKind {
    Title { canonical: String, at: TitleAt },
    Phrase { kind: PhraseKind, needs_name: bool },
}

/// The Urdu-script tables: whole words and the letter fallback.
#[derive(Debug, Default)]
pub(crate) struct UrduTables {
    /// Normalised Urdu word -> Roman text (one or more tokens separated by single spaces).
    pub words: HashMap<String, String>,
    /// Letter -> Roman letters.
    pub letters: HashMap<char, String>,
}

/// The name tables: variant groups, titles, parentage phrases and Urdu transliteration,
/// parsed from the embedded data files (`NameTables::embedded`) or from other sources
/// (`NameTables::from_sources`). All name functions are methods on this type; get it once at
/// start and pass `&'static NameTables` around (it is `Sync`).
#[derive(Debug)]
pub struct NameTables {
    pub(crate) spelling: HashMap<String, u32>,
    pub(crate) groups: Vec<Group>,
    /// Particles, longest first (a fixed order, so that splitting is deterministic).
    pub(crate) particles: Vec<String>,
    pub(crate) joins: Vec<(Vec<String>, String)>,
    /// Forms (titles and phrases) by their first token, longest first.
    pub(crate) forms: HashMap<String, Vec<Form>>,
    pub(crate) urdu: UrduTables,
}

static EMBEDDED: OnceLock<Result<NameTables, NamesError>> = OnceLock::new();

impl NameTables {
    /// The tables of the data files compiled into the crate, parsed and checked on first use.
    /// An error lists every problem found; it cannot happen with the shipped files (a test
    /// loads them), so callers may treat it as a startup failure.
    pub fn embedded() -> Result<&'static NameTables, NamesError> {
        EMBEDDED
            .get_or_init(|| NameTables::from_sources(VARIANTS_TOML, TITLES_TOML, URDU_ROMAN_TOML))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// Parses and checks tables from the text of the three data files (for deployments that
    /// extend the variant lists, and for tests). Every problem is reported, with its file.
    pub fn from_sources(
        variants_toml: &str,
        titles_toml: &str,
        urdu_roman_toml: &str,
    ) -> Result<NameTables, NamesError> {
        let variants: VariantsFile = toml::from_str(variants_toml).map_err(|e| NamesError {
            problems: vec![format!("variants.toml: {e}")],
        })?;
        let titles: TitlesFile = toml::from_str(titles_toml).map_err(|e| NamesError {
            problems: vec![format!("titles.toml: {e}")],
        })?;
        let urdu_file: UrduFile = toml::from_str(urdu_roman_toml).map_err(|e| NamesError {
            problems: vec![format!("urdu_roman.toml: {e}")],
        })?;
        let mut problems = Vec::new();
        let urdu = build_urdu(urdu_file, &mut problems);
        let mut tables = NameTables {
            spelling: HashMap::new(),
            groups: Vec::new(),
            particles: Vec::new(),
            joins: Vec::new(),
            forms: HashMap::new(),
            urdu,
        };
        tables.build_variants(variants, &mut problems);
        tables.build_titles(titles, &mut problems);
        if problems.is_empty() {
            Ok(tables)
        } else {
            Err(NamesError { problems })
        }
    }

    fn build_variants(&mut self, file: VariantsFile, problems: &mut Vec<String>) {
        for p in file.particles {
            if !is_roman_word(&p) {
                problems.push(format!(
                    "variants.toml: particle {p:?} is not lower-case a-z"
                ));
            }
            if !self.particles.contains(&p) {
                self.particles.push(p);
            }
        }
        self.particles
            .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        for (i, g) in file.group.into_iter().enumerate() {
            let Some(canonical) = g.names.first().cloned() else {
                problems.push(format!("variants.toml: group #{} is empty", i + 1));
                continue;
            };
            if !(g.weight > 0.0 && g.weight <= 1.0) {
                problems.push(format!(
                    "variants.toml: group {canonical:?} has weight {} (must be in (0, 1])",
                    g.weight
                ));
            }
            let id = self.groups.len() as u32;
            let mut seen = HashSet::new();
            for name in &g.names {
                if !is_roman_word(name) {
                    problems.push(format!(
                        "variants.toml: {name:?} in group {canonical:?} is not lower-case a-z"
                    ));
                    continue;
                }
                if !seen.insert(name.as_str()) {
                    problems.push(format!(
                        "variants.toml: {name:?} is twice in group {canonical:?}"
                    ));
                    continue;
                }
                if self.particles.contains(name) {
                    problems.push(format!(
                        "variants.toml: {name:?} in group {canonical:?} is also a particle"
                    ));
                }
                if let Some(other) = self.spelling.get(name) {
                    let other = self
                        .groups
                        .get(*other as usize)
                        .map(|o| o.canonical.as_str())
                        .unwrap_or("?");
                    problems.push(format!(
                        "variants.toml: {name:?} is in two groups, {other:?} and {canonical:?}"
                    ));
                    continue;
                }
                self.spelling.insert(name.clone(), id);
            }
            self.groups.push(Group {
                canonical,
                weight: g.weight,
                honorific: g.honorific,
            });
        }
        for j in file.join {
            if j.parts.len() < 2 || j.parts.iter().any(|p| !is_roman_word(p)) {
                problems.push(format!(
                    "variants.toml: join {:?} needs two or more lower-case a-z parts",
                    j.parts
                ));
                continue;
            }
            match self.lookup(&j.into).map(|g| g.canonical.clone()) {
                Some(canonical) => self.joins.push((j.parts, canonical)),
                None => problems.push(format!(
                    "variants.toml: join {:?} makes {:?}, which is in no group",
                    j.parts, j.into
                )),
            }
        }
    }

    fn build_titles(&mut self, file: TitlesFile, problems: &mut Vec<String>) {
        let mut entries: Vec<(String, FormKind, Vec<String>)> = Vec::new();
        for t in file.title {
            if !is_roman_word(&t.canonical) {
                problems.push(format!(
                    "titles.toml: title {:?} is not lower-case a-z",
                    t.canonical
                ));
            }
            if t.forms.is_empty() {
                problems.push(format!("titles.toml: title {:?} has no forms", t.canonical));
            }
            let what = FormKind::Title {
                canonical: t.canonical.clone(),
                at: t.at,
            };
            entries.push((format!("title {:?}", t.canonical), what, t.forms));
        }
        for p in file.phrase {
            if p.forms.is_empty() {
                problems.push(format!("titles.toml: phrase {:?} has no forms", p.kind));
            }
            let what = FormKind::Phrase {
                kind: p.kind,
                needs_name: p.needs_name,
            };
            entries.push((format!("phrase {:?}", p.kind), what, p.forms));
        }
        let mut owner: HashMap<Vec<String>, String> = HashMap::new();
        for (label, what, forms) in entries {
            for form in forms {
                for word in form.split_whitespace() {
                    if word.chars().any(fold::is_arabic_script) {
                        let w = urdu::normalise_word(word);
                        if !self.urdu.words.contains_key(&w) {
                            problems.push(format!(
                                "titles.toml: {label}: Urdu word {word:?} is not in urdu_roman.toml [words]"
                            ));
                        }
                    }
                }
                let tokens = self.roman_tokens(&form);
                if tokens.is_empty() {
                    problems.push(format!(
                        "titles.toml: {label}: form {form:?} has no letters"
                    ));
                    continue;
                }
                if let FormKind::Title { .. } = what {
                    if let [single] = tokens.as_slice() {
                        if let Some(g) = self.lookup(single) {
                            problems.push(format!(
                                "titles.toml: {label}: form {form:?} is also the name {:?} of variants.toml",
                                g.canonical
                            ));
                        }
                    }
                }
                if let Some(prev) = owner.get(&tokens) {
                    if *prev != label {
                        problems.push(format!(
                            "titles.toml: form {form:?} is in both {prev} and {label}"
                        ));
                    }
                    continue;
                }
                owner.insert(tokens.clone(), label.clone());
                let Some(first) = tokens.first().cloned() else {
                    continue;
                };
                self.forms.entry(first).or_default().push(Form {
                    tokens,
                    what: what.clone(),
                });
            }
        }
        for list in self.forms.values_mut() {
            list.sort_by_key(|f| std::cmp::Reverse(f.tokens.len()));
        }
    }

    /// Folds text in either script into lower-case Roman tokens (Urdu words transliterated),
    /// with no further processing.
    pub(crate) fn roman_tokens(&self, raw: &str) -> Vec<String> {
        let (raw_tokens, _) = fold::fold_tokens(raw);
        let mut out = Vec::with_capacity(raw_tokens.len());
        for t in raw_tokens {
            if t.arabic {
                let roman = urdu::transliterate_word(&self.urdu, &t.text);
                out.extend(
                    roman
                        .split(' ')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned),
                );
            } else {
                out.push(t.text);
            }
        }
        out
    }

    /// The group of a spelling, if it is in one.
    pub(crate) fn lookup(&self, spelling: &str) -> Option<&Group> {
        self.spelling
            .get(spelling)
            .and_then(|&g| self.groups.get(g as usize))
    }

    /// Number of variant groups.
    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// The groups as (canonical, every spelling), in file order, for checks and for tools.
    pub fn groups(&self) -> Vec<(String, Vec<String>)> {
        let mut out: Vec<(String, Vec<String>)> = self
            .groups
            .iter()
            .map(|g| (g.canonical.clone(), Vec::new()))
            .collect();
        for (s, &g) in &self.spelling {
            if let Some(entry) = out.get_mut(g as usize) {
                entry.1.push(s.clone());
            }
        }
        for (c, names) in &mut out {
            names.sort();
            if let Some(pos) = names.iter().position(|n| n == c) {
                let canonical = names.remove(pos);
                names.insert(0, canonical);
            }
        }
        out
    }

    /// The canonical spelling of a Roman token (lower case, a-z), when it is in a variant group.
    pub fn canonical<'a>(&'a self, token: &str) -> Option<&'a str> {
        self.lookup(token).map(|g| g.canonical.as_str())
    }

    /// How much agreement on this (canonical) token counts, in (0, 1]: below 1 for names
    /// that very many people carry, 1 for unknown tokens, 0.5 for initials.
    pub fn token_weight(&self, token: &str) -> f64 {
        if token.len() == 1 {
            return INITIAL_WEIGHT;
        }
        self.lookup(token).map_or(1.0, |g| g.weight)
    }

    /// Whether a token is a name that is also an honorific (Syed, Chaudhry, Malik, Begum...).
    pub fn is_honorific(&self, token: &str) -> bool {
        self.lookup(token).is_some_and(|g| g.honorific)
    }

    /// Whether a token is in a variant group.
    pub fn is_known(&self, token: &str) -> bool {
        self.spelling.contains_key(token)
    }

    /// The Urdu whole-word table as (normalised Urdu, Roman), sorted, for checks and tools.
    pub fn urdu_words(&self) -> Vec<(String, String)> {
        let mut v: Vec<(String, String)> = self
            .urdu
            .words
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        v.sort();
        v
    }
}

/// Weight of a one-letter token (an initial).
pub(crate) const INITIAL_WEIGHT: f64 = 0.5;

fn build_urdu(file: UrduFile, problems: &mut Vec<String>) -> UrduTables {
    let mut t = UrduTables::default();
    for (k, v) in file.letters {
        let mut chars = k.chars();
        let (Some(c), None) = (chars.next(), chars.next()) else {
            problems.push(format!(
                "urdu_roman.toml: [letters] key {k:?} is not one letter"
            ));
            continue;
        };
        if !fold::is_arabic_script(c) {
            problems.push(format!(
                "urdu_roman.toml: [letters] key {k:?} is not an Arabic-script letter"
            ));
        }
        if !v.bytes().all(|b| b.is_ascii_lowercase()) {
            problems.push(format!(
                "urdu_roman.toml: [letters] {k:?} = {v:?}: value is not lower-case a-z"
            ));
        }
        t.letters.insert(c, v);
    }
    for (k, v) in file.words {
        let norm = urdu::normalise_word(&k);
        if norm.is_empty() || !norm.chars().all(fold::is_arabic_script) {
            problems.push(format!(
                "urdu_roman.toml: [words] key {k:?} is not one Urdu word"
            ));
            continue;
        }
        if v.is_empty() || !v.split(' ').all(is_roman_word) {
            problems.push(format!(
                "urdu_roman.toml: [words] {k:?} = {v:?}: value is not lower-case a-z words separated by single spaces"
            ));
            continue;
        }
        if let Some(prev) = t.words.get(&norm) {
            if *prev != v {
                problems.push(format!(
                    "urdu_roman.toml: [words] {k:?} = {v:?}, but the same word (normalised) is also {prev:?}"
                ));
            }
            continue;
        }
        t.words.insert(norm, v);
    }
    t
}

fn is_roman_word(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase())
}
