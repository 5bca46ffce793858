//! From a name as written to canonical tokens: titles, parentage, aliases and residence split
//! off, Urdu transliterated, spellings mapped to their variant group, compounds split.

use crate::fold::{self, Script};
use crate::tables::{FormKind, NameTables, PhraseKind, TitleAt};
use crate::urdu;

/// How a person is related to the person named in the parentage phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Relation {
    /// s/o, son of, bin, ibn, walad, ولد.
    SonOf,
    /// d/o, daughter of, bint, بنت.
    DaughterOf,
    /// w/o, wife of, widow of, zauja, زوجہ.
    WifeOf,
    /// Parentage whose sex is not stated: ولدیت, "father name".
    ChildOf,
}

impl Relation {
    /// Stable code (`son_of`, `daughter_of`, `wife_of`, `child_of`); the first three are the
    /// codes of `nigehban_domain::names::ParentageRelation`.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::SonOf => "son_of",
            Relation::DaughterOf => "daughter_of",
            Relation::WifeOf => "wife_of",
            Relation::ChildOf => "child_of",
        }
    }
}

/// The parentage (or husband) named after a person's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parentage {
    pub relation: Relation,
    /// Canonical tokens of the parent's (or husband's) name, titles removed.
    pub tokens: Vec<String>,
}

impl Parentage {
    /// The tokens joined by single spaces.
    pub fn name(&self) -> String {
        self.tokens.join(" ")
    }
}

/// A name reduced to what comparison needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalisedName {
    /// Canonical tokens of the person's name in written order: lower-case a-z, Urdu
    /// transliterated, each spelling replaced by the canonical one of its variant group,
    /// compounds split into their parts ("Abdurrehman" -> abdul rehman), particles (ul, ud, ur)
    /// dropped. One-letter tokens are initials. Honorific names (Syed, Chaudhry) stay.
    pub tokens: Vec<String>,
    /// Titles removed from the name (canonical: "haji", "dr", "mst"), in written order. A
    /// name of titles only ("Haji Sahib") keeps them as its tokens instead.
    pub titles: Vec<String>,
    /// The tokens of `tokens` that are also honorifics (Syed, Chaudhry, Malik, Begum...).
    pub honorifics: Vec<String>,
    /// Parentage or husband after s/o, d/o, w/o, bin, ولد... (the first one only).
    pub parentage: Option<Parentage>,
    /// Canonical tokens after "alias", "urf", عرف (the first alias only).
    pub alias: Vec<String>,
    /// Folded text after "r/o", "resident of", سکنہ (not a name: kept as written, folded).
    pub residence: Option<String>,
    /// The script of the input.
    pub script: Script,
}

impl NormalisedName {
    /// The canonical tokens joined by single spaces.
    pub fn text(&self) -> String {
        self.tokens.join(" ")
    }
}

impl NameTables {
    /// Normalises a name written in Roman letters, Urdu script or both. Never fails: text with
    /// no letters gives no tokens.
    pub fn normalise(&self, raw: &str) -> NormalisedName {
        let (raw_tokens, script) = fold::fold_tokens(raw);
        let mut tokens: Vec<String> = Vec::with_capacity(raw_tokens.len() + 2);
        for t in raw_tokens {
            if t.arabic {
                let roman = urdu::transliterate_word(&self.urdu, &t.text);
                tokens.extend(
                    roman
                        .split(' ')
                        .filter(|s| !s.is_empty())
                        .map(str::to_owned),
                );
            } else {
                tokens.push(t.text);
            }
        }
        let mut out = NormalisedName {
            tokens: Vec::new(),
            titles: Vec::new(),
            honorifics: Vec::new(),
            parentage: None,
            alias: Vec::new(),
            residence: None,
            script,
        };
        let mut segments: Vec<(Option<PhraseKind>, Vec<String>)> = vec![(None, Vec::new())];
        let mut i = 0;
        while let Some(tok) = tokens.get(i) {
            if let Some((len, kind, needs_name)) = self.match_phrase(&tokens, i) {
                let has_name = segments
                    .last()
                    .is_some_and(|(_, s)| s.iter().any(|t| has_letter(t)));
                if !needs_name || has_name {
                    segments.push((Some(kind), Vec::new()));
                    i += len;
                    continue;
                }
            }
            if let Some((_, seg)) = segments.last_mut() {
                seg.push(tok.clone());
            }
            i += 1;
        }
        for (kind, seg) in segments {
            match kind {
                None => {
                    out.tokens = self.name_tokens(seg, Some(&mut out.titles));
                }
                Some(PhraseKind::Alias) => {
                    if out.alias.is_empty() {
                        out.alias = self.name_tokens(seg, None);
                    }
                }
                Some(PhraseKind::Residence) => {
                    if out.residence.is_none() && !seg.is_empty() {
                        out.residence = Some(seg.join(" "));
                    }
                }
                Some(k) => {
                    if out.parentage.is_none() {
                        let relation = match k {
                            PhraseKind::DaughterOf => Relation::DaughterOf,
                            PhraseKind::WifeOf => Relation::WifeOf,
                            PhraseKind::ChildOf => Relation::ChildOf,
                            _ => Relation::SonOf,
                        };
                        out.parentage = Some(Parentage {
                            relation,
                            tokens: self.name_tokens(seg, None),
                        });
                    }
                }
            }
        }
        out.honorifics = out
            .tokens
            .iter()
            .filter(|t| self.is_honorific(t))
            .cloned()
            .collect();
        out
    }

    /// Transliterates Urdu-script text to Roman letters, word by word (whole-word table, then
    /// letters). Roman words in the text are kept (folded). Tokens are separated by spaces;
    /// spellings are not canonicalised (use `normalise` for that).
    pub fn transliterate(&self, text: &str) -> String {
        self.roman_tokens(text).join(" ")
    }

    /// Like `transliterate`, but letter by letter only, without the whole-word table: what an
    /// Urdu name not in the table becomes.
    pub fn transliterate_letters(&self, text: &str) -> String {
        let (raw_tokens, _) = fold::fold_tokens(text);
        let words: Vec<String> = raw_tokens
            .into_iter()
            .map(|t| {
                if t.arabic {
                    urdu::transliterate_letters(&self.urdu, &t.text)
                } else {
                    t.text
                }
            })
            .collect();
        words.join(" ")
    }

    /// The phrase (parentage, alias, residence) starting at token `i`, if any:
    /// (length in tokens, kind, whether it needs a name before it).
    fn match_phrase(&self, tokens: &[String], i: usize) -> Option<(usize, PhraseKind, bool)> {
        let first = tokens.get(i)?;
        let forms = self.forms.get(first)?;
        forms.iter().find_map(|f| match &f.what {
            FormKind::Phrase { kind, needs_name } if starts_with(tokens, i, &f.tokens) => {
                Some((f.tokens.len(), *kind, *needs_name))
            }
            _ => None,
        })
    }

    /// A title starting at token `i` that may stand at the given edge: (length, canonical).
    fn title_at(&self, tokens: &[String], i: usize, start: bool) -> Option<(usize, &str)> {
        let first = tokens.get(i)?;
        let forms = self.forms.get(first)?;
        forms.iter().find_map(|f| match &f.what {
            FormKind::Title { canonical, at }
                if starts_with(tokens, i, &f.tokens)
                    && match at {
                        TitleAt::Start => start,
                        TitleAt::End => !start,
                        TitleAt::Either => true,
                    } =>
            {
                Some((f.tokens.len(), canonical.as_str()))
            }
            _ => None,
        })
    }

    /// Title removal and canonicalisation of one segment's raw tokens.
    fn name_tokens(&self, raw: Vec<String>, titles: Option<&mut Vec<String>>) -> Vec<String> {
        let raw: Vec<String> = raw.into_iter().filter(|t| has_letter(t)).collect();
        let n = raw.len();
        let mut keep = vec![true; n];
        let mut found: Vec<(usize, String)> = Vec::new();
        // The opening run: titles (dropped) and honorific names (kept).
        let mut i = 0;
        while i < n {
            if let Some((len, canonical)) = self.title_at(&raw, i, true) {
                for k in keep.iter_mut().skip(i).take(len) {
                    *k = false;
                }
                found.push((i, canonical.to_owned()));
                i += len;
            } else if raw.get(i).is_some_and(|t| self.is_honorific_spelling(t)) {
                i += 1;
            } else {
                break;
            }
        }
        let opening_end = i;
        // The closing run: titles only.
        let mut j = n;
        'closing: while j > opening_end {
            for len in 1..=3.min(j - opening_end) {
                let s = j - len;
                if let Some((l, canonical)) = self.title_at(&raw, s, false) {
                    if l == len {
                        for k in keep.iter_mut().skip(s).take(len) {
                            *k = false;
                        }
                        found.push((s, canonical.to_owned()));
                        j = s;
                        continue 'closing;
                    }
                }
            }
            break;
        }
        if !keep.iter().any(|&k| k) {
            // Nothing but titles ("Haji Sahib"): they are the name, in their canonical form.
            found.sort_by_key(|(pos, _)| *pos);
            return found.into_iter().map(|(_, t)| t).collect();
        }
        if let Some(titles) = titles {
            found.sort_by_key(|(pos, _)| *pos);
            titles.extend(found.into_iter().map(|(_, t)| t));
        }
        let kept: Vec<&String> = raw
            .iter()
            .zip(&keep)
            .filter_map(|(t, &k)| k.then_some(t))
            .collect();
        let is_particle = |t: &str| self.particles.iter().any(|p| p == t);
        let only_particles = kept.iter().all(|t| is_particle(t));
        let mut tokens: Vec<String> = Vec::with_capacity(kept.len() + 1);
        for t in &kept {
            if let Some(c) = self.canonical(t) {
                tokens.push(c.to_owned());
            } else if !only_particles && is_particle(t) {
                // Zia ul Haq, Abd ur Rehman, Ud Din.
            } else if let Some(parts) = self.segment(t, 0) {
                tokens.extend(parts);
            } else {
                tokens.push((*t).clone());
            }
        }
        self.apply_joins(&mut tokens);
        tokens
    }

    fn is_honorific_spelling(&self, token: &str) -> bool {
        self.lookup(token).is_some_and(|g| g.honorific)
    }

    fn apply_joins(&self, tokens: &mut Vec<String>) {
        if tokens.len() < 2 {
            return;
        }
        let mut i = 0;
        while i < tokens.len() {
            let hit = self
                .joins
                .iter()
                .find(|(parts, _)| starts_with(tokens, i, parts));
            if let Some((parts, into)) = hit {
                let len = parts.len();
                tokens.splice(i..i + len, std::iter::once(into.clone()));
            }
            i += 1;
        }
    }

    /// Splits an unknown joined token into known parts: A+B, A+particle+B ("shamsuddin"),
    /// A+(B split again), A+particle ("ziaul"), particle+B ("uddin"), where A is the longest
    /// known beginning of the token; a shorter A only when it is a canonical spelling and B a
    /// known name. Parts have three letters or more. Returns canonical parts.
    fn segment(&self, t: &str, depth: u8) -> Option<Vec<String>> {
        if !t.is_ascii() || t.len() < 5 {
            return None;
        }
        let n = t.len();
        let mut longest = true;
        for a_len in (3..=n - 2).rev() {
            let (a, rest) = t.split_at(a_len);
            let Some(ga) = self.lookup(a) else {
                continue;
            };
            if rest.len() >= 3 && (longest || ga.canonical == a) {
                if let Some(b) = self.canonical(rest) {
                    return Some(vec![ga.canonical.clone(), b.to_owned()]);
                }
            }
            if !longest {
                // A shorter first part only as a canonical spelling followed by a known name
                // (Aliabbas, where "alia" is also a name); Shahina is not Sha + Hina.
                continue;
            }
            longest = false;
            for p in &self.particles {
                if let Some(b) = rest.strip_prefix(p.as_str()) {
                    if b.len() >= 3 {
                        if let Some(b) = self.canonical(b) {
                            return Some(vec![ga.canonical.clone(), b.to_owned()]);
                        }
                    }
                }
            }
            if depth == 0 && rest.len() >= 3 {
                if let Some(more) = self.segment(rest, 1) {
                    let mut v = vec![ga.canonical.clone()];
                    v.extend(more);
                    return Some(v);
                }
            }
            if rest.len() <= 3 && self.particles.iter().any(|p| p == rest) && rest.starts_with('u')
            {
                return Some(vec![ga.canonical.clone()]);
            }
        }
        for p in self.particles.iter().filter(|p| p.starts_with('u')) {
            if let Some(b) = t.strip_prefix(p.as_str()) {
                if b.len() >= 3 {
                    if let Some(b) = self.canonical(b) {
                        return Some(vec![b.to_owned()]);
                    }
                }
            }
        }
        None
    }
}

fn has_letter(t: &str) -> bool {
    t.chars().any(char::is_alphabetic)
}

fn starts_with(tokens: &[String], i: usize, form: &[String]) -> bool {
    tokens
        .get(i..i + form.len())
        .is_some_and(|s| s.iter().zip(form).all(|(a, b)| a == b))
}
