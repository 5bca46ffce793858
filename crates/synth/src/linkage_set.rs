//! Person lists with known truth, for measuring record linkage: Pakistani persons (names of
//! `data/names.toml`, parentage, date of birth, CNIC, passport, phone, district), each recorded
//! one to four times with the noise of hand-kept ledgers, shuffled. The `truth` column names the
//! person behind each record; it is for the evaluator only, never for a linkage engine.
//!
//! Sets ([`SetKind`]) stress one kind of noise each (spelling variants, Urdu script, typing
//! errors, swapped name order and missing parentage, dates, shared common names) or all of them
//! (`mixed`, and `throughput`, a million records). Every set also has siblings: persons who share
//! a father, family name, district and sometimes a phone, but are different persons.
//!
//! Deterministic: one seed, one ChaCha8 generator, the same records.

use crate::names::{NameEntry, NameLists};
use crate::util::{pickc, wpick, Rand};
use nigehban_domain::person::Sex;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

/// The columns of a set, in order. `truth` is the person's id, for evaluation only.
pub const COLUMNS: [&str; 10] = [
    "id",
    "given_name",
    "family_name",
    "father_name",
    "dob",
    "cnic",
    "passport",
    "phone",
    "district",
    "truth",
];

/// Which noise a set stresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SetKind {
    /// Other Roman spellings of the same names (Muhammad / Mohammad / Mohd / M., Chaudhry / Ch.).
    Spelling,
    /// Half the records written in Urdu script.
    UrduScript,
    /// Typing errors in names, CNICs and phones.
    Typos,
    /// Given and family name swapped or reordered; parentage often missing.
    OrderAndParentage,
    /// Day and month swapped, digits mistyped, years off by one, dates missing.
    Dates,
    /// Few, common names: many different persons share the same name.
    CommonNames,
    /// All of the above, at moderate rates.
    Mixed,
    /// As `mixed`, for measuring speed on a million records.
    Throughput,
}

impl SetKind {
    /// The sets measuring accuracy, in report order.
    pub const ACCURACY: [SetKind; 7] = [
        SetKind::Spelling,
        SetKind::UrduScript,
        SetKind::Typos,
        SetKind::OrderAndParentage,
        SetKind::Dates,
        SetKind::CommonNames,
        SetKind::Mixed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SetKind::Spelling => "spelling",
            SetKind::UrduScript => "urdu_script",
            SetKind::Typos => "typos",
            SetKind::OrderAndParentage => "order_and_parentage",
            SetKind::Dates => "dates",
            SetKind::CommonNames => "common_names",
            SetKind::Mixed => "mixed",
            SetKind::Throughput => "throughput",
        }
    }

    pub fn parse(s: &str) -> Option<SetKind> {
        SetKind::ACCURACY
            .into_iter()
            .chain([SetKind::Throughput])
            .find(|k| k.as_str() == s)
    }

    fn noise(self) -> Noise {
        let base = Noise {
            other_spelling: 0.15,
            urdu: 0.0,
            typo: 0.0,
            id_typo: 0.0,
            swap_columns: 0.0,
            reorder_given: 0.0,
            drop_family: 0.05,
            drop_father: 0.08,
            swap_day_month: 0.0,
            date_typo: 0.0,
            year_off: 0.0,
            drop_dob: 0.08,
            drop_cnic: 0.15,
            partial_id: 0.0,
            drop_phone: 0.2,
            drop_district: 0.1,
            common_names: false,
        };
        match self {
            SetKind::Spelling => Noise {
                other_spelling: 0.6,
                ..base
            },
            SetKind::UrduScript => Noise { urdu: 0.5, ..base },
            SetKind::Typos => Noise {
                typo: 0.35,
                id_typo: 0.15,
                ..base
            },
            SetKind::OrderAndParentage => Noise {
                swap_columns: 0.25,
                reorder_given: 0.25,
                drop_family: 0.2,
                drop_father: 0.45,
                ..base
            },
            SetKind::Dates => Noise {
                swap_day_month: 0.35,
                date_typo: 0.15,
                year_off: 0.1,
                drop_dob: 0.1,
                ..base
            },
            SetKind::CommonNames => Noise {
                common_names: true,
                ..base
            },
            SetKind::Mixed | SetKind::Throughput => Noise {
                other_spelling: 0.3,
                urdu: 0.15,
                typo: 0.12,
                id_typo: 0.05,
                swap_columns: 0.06,
                reorder_given: 0.08,
                drop_family: 0.1,
                drop_father: 0.2,
                swap_day_month: 0.1,
                date_typo: 0.05,
                year_off: 0.04,
                drop_dob: 0.1,
                drop_cnic: 0.2,
                partial_id: 0.05,
                drop_phone: 0.25,
                drop_district: 0.15,
                common_names: false,
            },
        }
    }
}

/// Probabilities of each kind of noise, per record.
#[derive(Debug, Clone, Copy)]
struct Noise {
    other_spelling: f64,
    urdu: f64,
    typo: f64,
    id_typo: f64,
    swap_columns: f64,
    reorder_given: f64,
    drop_family: f64,
    drop_father: f64,
    swap_day_month: f64,
    date_typo: f64,
    year_off: f64,
    drop_dob: f64,
    drop_cnic: f64,
    partial_id: f64,
    drop_phone: f64,
    drop_district: f64,
    common_names: bool,
}

/// One record of a set, as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkageRecord {
    pub id: String,
    pub given_name: String,
    pub family_name: String,
    pub father_name: String,
    /// ISO date (`YYYY-MM-DD`), or empty.
    pub dob: String,
    /// `NNNNN-NNNNNNN-N`, or empty.
    pub cnic: String,
    pub passport: String,
    /// `03NN-NNNNNNN`, or empty.
    pub phone: String,
    pub district: String,
    /// The person's id.
    pub truth: String,
}

impl LinkageRecord {
    /// The cells in the order of `COLUMNS`.
    pub fn cells(&self) -> [&str; 10] {
        [
            &self.id,
            &self.given_name,
            &self.family_name,
            &self.father_name,
            &self.dob,
            &self.cnic,
            &self.passport,
            &self.phone,
            &self.district,
            &self.truth,
        ]
    }
}

/// A generated set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkageSet {
    pub kind: SetKind,
    pub seed: u64,
    pub records: Vec<LinkageRecord>,
}

impl LinkageSet {
    /// Pairs of records of the same person.
    pub fn true_pairs(&self) -> u64 {
        let mut per: std::collections::HashMap<&str, u64> = std::collections::HashMap::new();
        for r in &self.records {
            *per.entry(r.truth.as_str()).or_insert(0) += 1;
        }
        per.values().map(|n| n * (n - 1) / 2).sum()
    }
}

/// Districts with their province (gazetteer code) and the CNIC prefix of the province.
const DISTRICTS: &[(&str, &str, char)] = &[
    ("Lahore", "PB", '3'),
    ("Gujranwala", "PB", '3'),
    ("Sialkot", "PB", '3'),
    ("Gujrat", "PB", '3'),
    ("Mandi Bahauddin", "PB", '3'),
    ("Faisalabad", "PB", '3'),
    ("Sargodha", "PB", '3'),
    ("Rawalpindi", "PB", '3'),
    ("Multan", "PB", '3'),
    ("Bahawalpur", "PB", '3'),
    ("Dera Ghazi Khan", "PB", '3'),
    ("Sheikhupura", "PB", '3'),
    ("Karachi", "SD", '4'),
    ("Hyderabad", "SD", '4'),
    ("Sukkur", "SD", '4'),
    ("Larkana", "SD", '4'),
    ("Thatta", "SD", '4'),
    ("Peshawar", "KP", '1'),
    ("Mardan", "KP", '1'),
    ("Swat", "KP", '1'),
    ("Bannu", "KP", '1'),
    ("Dera Ismail Khan", "KP", '1'),
    ("Quetta", "BA", '5'),
    ("Kech", "BA", '5'),
    ("Gwadar", "BA", '5'),
    ("Chagai", "BA", '5'),
    ("Islamabad", "IS", '6'),
    ("Gilgit", "GB", '7'),
    ("Mirpur", "JK", '8'),
    ("Kotli", "JK", '8'),
];

/// A person behind the records.
struct Person<'a> {
    given: Vec<&'a NameEntry>,
    family: Option<&'a NameEntry>,
    father: Vec<&'a NameEntry>,
    dob: (i32, u32, u32),
    cnic: Option<String>,
    passport: Option<String>,
    phone: Option<String>,
    district: &'static str,
}

/// Generates a set of `records` records with a seed.
pub fn linkage_set(names: &NameLists, kind: SetKind, records: usize, seed: u64) -> LinkageSet {
    let mut rng = Rand::seed_from_u64(seed ^ (kind as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let noise = kind.noise();
    let pools = noise
        .common_names
        .then(|| CommonPools::new(names, &mut rng));
    let mut out: Vec<LinkageRecord> = Vec::with_capacity(records);
    let mut person_no = 0usize;
    let mut last: Option<Person> = None;
    while out.len() < records {
        person_no += 1;
        // One person in ten is a sibling of the one before: same father, family and district.
        let sibling = last.as_ref().filter(|_| rng.gen_bool(0.1));
        let p = match person(names, pools.as_ref(), sibling, &mut rng) {
            Some(p) => p,
            None => continue,
        };
        let copies = wpick(&mut rng, &[(1usize, 55), (2, 28), (3, 12), (4, 5)]).unwrap_or(1);
        let truth = format!("P{person_no:07}");
        for _ in 0..copies {
            if out.len() >= records {
                break;
            }
            out.push(render(&p, &noise, &truth, &mut rng));
        }
        last = Some(p);
    }
    out.shuffle(&mut rng);
    for (i, r) in out.iter_mut().enumerate() {
        r.id = format!("R{:07}", i + 1);
    }
    LinkageSet {
        kind,
        seed,
        records: out,
    }
}

/// The few names of the common-names set.
struct CommonPools<'a> {
    male: Vec<&'a NameEntry>,
    female: Vec<&'a NameEntry>,
    family: Vec<&'a NameEntry>,
}

impl<'a> CommonPools<'a> {
    fn new(names: &'a NameLists, rng: &mut Rand) -> CommonPools<'a> {
        let mut draw = |n: usize, f: &mut dyn FnMut(&mut Rand) -> Option<&'a NameEntry>| {
            let mut v: Vec<&NameEntry> = Vec::new();
            for _ in 0..n * 20 {
                if v.len() >= n {
                    break;
                }
                if let Some(e) = f(rng) {
                    if !v.iter().any(|x| x.ur == e.ur) {
                        v.push(e);
                    }
                }
            }
            v
        };
        CommonPools {
            male: draw(8, &mut |r| names.given(Sex::Male, r)),
            female: draw(6, &mut |r| names.given(Sex::Female, r)),
            family: draw(5, &mut |r| names.family(None, r)),
        }
    }
}

fn person<'a>(
    names: &'a NameLists,
    pools: Option<&CommonPools<'a>>,
    sibling: Option<&Person<'a>>,
    rng: &mut Rand,
) -> Option<Person<'a>> {
    let sex = if rng.gen_bool(0.7) {
        Sex::Male
    } else {
        Sex::Female
    };
    let district = match sibling {
        Some(s) => s.district,
        None => pickc(rng, DISTRICTS).map(|d| d.0).unwrap_or("Lahore"),
    };
    let province = DISTRICTS
        .iter()
        .find(|d| d.0 == district)
        .map(|d| (d.1, d.2))
        .unwrap_or(("PB", '3'));
    let given_one = |rng: &mut Rand, sex: Sex| -> Option<&'a NameEntry> {
        match pools {
            Some(p) => {
                let list = if sex == Sex::Female {
                    &p.female
                } else {
                    &p.male
                };
                list.get(rng.gen_range(0..list.len().max(1))).copied()
            }
            None => names.given(sex, rng),
        }
    };
    let family_one = |rng: &mut Rand| -> Option<&'a NameEntry> {
        match pools {
            Some(p) => p
                .family
                .get(rng.gen_range(0..p.family.len().max(1)))
                .copied(),
            None => names.family(Some(province.0), rng),
        }
    };
    let first = given_one(rng, sex)?;
    let mut given = vec![first];
    let second_p = if sex == Sex::Female {
        0.15
    } else if first.canonical() == "Muhammad" {
        0.85
    } else if first.canonical().contains(' ') {
        0.0
    } else {
        0.08
    };
    if rng.gen_bool(second_p) {
        let second = if sex == Sex::Female {
            names.female_suffix(rng)
        } else {
            given_one(rng, Sex::Male)
        };
        if let Some(s) = second.filter(|s| s.ur != first.ur && !s.canonical().contains(' ')) {
            given.push(s);
        }
    }
    let (family, father) = match sibling {
        Some(s) => (s.family, s.father.clone()),
        None => {
            let family = if rng.gen_bool(0.75) {
                family_one(rng)
            } else {
                None
            };
            let mut father = Vec::new();
            if let Some(f) = given_one(rng, Sex::Male).filter(|f| f.ur != first.ur) {
                father.push(f);
                if f.canonical() == "Muhammad" || f.canonical() == "Ghulam" {
                    if let Some(f2) = given_one(rng, Sex::Male)
                        .filter(|x| x.ur != f.ur && !x.canonical().contains(' '))
                    {
                        father.push(f2);
                    }
                }
            }
            (family, father)
        }
    };
    let year = rng.gen_range(1950..=2008);
    let month = rng.gen_range(1..=12);
    let day = rng.gen_range(1..=28);
    let cnic = rng.gen_bool(0.75).then(|| {
        let last = if sex == Sex::Female {
            2 * rng.gen_range(0..5)
        } else {
            2 * rng.gen_range(0..5) + 1
        };
        format!(
            "{}{:04}-{:07}-{last}",
            province.1,
            rng.gen_range(1000..10000),
            rng.gen_range(1_000_000..10_000_000)
        )
    });
    let passport = rng.gen_bool(0.15).then(|| {
        let letter = |rng: &mut Rand| char::from(b'A' + rng.gen_range(0..26u8));
        format!(
            "{}{}{:07}",
            letter(rng),
            letter(rng),
            rng.gen_range(0..10_000_000)
        )
    });
    // Siblings sometimes share the household's phone.
    let phone = match sibling.and_then(|s| s.phone.clone()) {
        Some(p) if rng.gen_bool(0.5) => Some(p),
        _ => rng.gen_bool(0.6).then(|| {
            format!(
                "03{}{}-{:07}",
                rng.gen_range(0..5),
                rng.gen_range(0..10),
                rng.gen_range(0..10_000_000)
            )
        }),
    };
    Some(Person {
        given,
        family,
        father,
        dob: (year, month, day),
        cnic,
        passport,
        phone,
        district,
    })
}

/// A spelling of a name for one record.
fn spell(e: &NameEntry, n: &Noise, urdu: bool, rng: &mut Rand) -> String {
    if urdu {
        return e.ur.clone();
    }
    let usual = e.spelling(rng);
    if rng.gen_bool(n.other_spelling) {
        e.other_spelling(rng, usual).to_string()
    } else {
        usual.to_string()
    }
}

fn spell_all(es: &[&NameEntry], n: &Noise, urdu: bool, rng: &mut Rand) -> Vec<String> {
    es.iter().map(|e| spell(e, n, urdu, rng)).collect()
}

/// One typing error in a Roman name: a letter replaced, dropped, doubled, or two swapped.
fn typo(s: &str, rng: &mut Rand) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let letters: Vec<usize> = chars
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_ascii_alphabetic())
        .map(|(i, _)| i)
        .collect();
    let Some(&i) = letters.get(rng.gen_range(0..letters.len().max(1))) else {
        return s.to_string();
    };
    match rng.gen_range(0..4) {
        0 => {
            if let Some(c) = chars.get_mut(i) {
                let l = char::from(b'a' + rng.gen_range(0..26u8));
                *c = if c.is_ascii_uppercase() {
                    l.to_ascii_uppercase()
                } else {
                    l
                };
            }
        }
        1 if letters.len() > 3 => {
            chars.remove(i);
        }
        2 => {
            if let Some(&c) = chars.get(i) {
                chars.insert(i, c.to_ascii_lowercase());
            }
        }
        _ => {
            if i + 1 < chars.len() && chars.get(i + 1).is_some_and(char::is_ascii_alphabetic) {
                chars.swap(i, i + 1);
            }
        }
    }
    chars.into_iter().collect()
}

/// One digit of a number replaced, or two adjacent digits swapped.
fn digit_typo(s: &str, rng: &mut Rand) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    let digits: Vec<usize> = chars
        .iter()
        .enumerate()
        .filter(|(_, c)| c.is_ascii_digit())
        .map(|(i, _)| i)
        .collect();
    let Some(&i) = digits.get(rng.gen_range(0..digits.len().max(1))) else {
        return s.to_string();
    };
    if rng.gen_bool(0.7) {
        if let Some(c) = chars.get_mut(i) {
            *c = char::from(b'0' + rng.gen_range(0..10u8));
        }
    } else if i + 1 < chars.len() && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
        chars.swap(i, i + 1);
    }
    chars.into_iter().collect()
}

fn render(p: &Person, n: &Noise, truth: &str, rng: &mut Rand) -> LinkageRecord {
    let urdu = rng.gen_bool(n.urdu);
    let mut given = spell_all(&p.given, n, urdu, rng);
    if given.len() > 1 && rng.gen_bool(n.reorder_given) {
        given.reverse();
    }
    let mut given_name = given.join(" ");
    let mut family_name = match p.family {
        Some(f) if !rng.gen_bool(n.drop_family) => spell(f, n, urdu, rng),
        _ => String::new(),
    };
    let mut father_name = if p.father.is_empty() || rng.gen_bool(n.drop_father) {
        String::new()
    } else {
        let mut f = spell_all(&p.father, n, urdu, rng);
        // The father's family name, as many ledgers write it.
        if let Some(fam) = p.family.filter(|_| rng.gen_bool(0.5)) {
            f.push(spell(fam, n, urdu, rng));
        }
        f.join(" ")
    };
    if !urdu {
        for s in [&mut given_name, &mut family_name, &mut father_name] {
            if !s.is_empty() && rng.gen_bool(n.typo) {
                *s = typo(s, rng);
            }
        }
    }
    if !family_name.is_empty() && rng.gen_bool(n.swap_columns) {
        std::mem::swap(&mut given_name, &mut family_name);
    }

    let (mut y, mut m, mut d) = p.dob;
    if rng.gen_bool(n.swap_day_month) && d <= 12 && d != m {
        std::mem::swap(&mut m, &mut d);
    }
    if rng.gen_bool(n.year_off) {
        y += if rng.gen_bool(0.5) { 1 } else { -1 };
    }
    let mut dob = format!("{y:04}-{m:02}-{d:02}");
    if rng.gen_bool(n.date_typo) {
        // A digit of the day or the year mistyped, keeping a valid date.
        let typed = digit_typo(&dob, rng);
        if is_valid_iso(&typed) {
            dob = typed;
        }
    }
    if rng.gen_bool(n.drop_dob) {
        dob.clear();
    }

    let mut cnic = match &p.cnic {
        Some(c) if !rng.gen_bool(n.drop_cnic) => c.clone(),
        _ => String::new(),
    };
    if !cnic.is_empty() && rng.gen_bool(n.id_typo) {
        cnic = digit_typo(&cnic, rng);
    }
    if !cnic.is_empty() && rng.gen_bool(n.partial_id) {
        // Only the serial and the check digit written down.
        cnic = cnic.get(6..).unwrap_or("").to_string();
    }
    let passport = p
        .passport
        .clone()
        .filter(|_| rng.gen_bool(0.8))
        .unwrap_or_default();
    let mut phone = match &p.phone {
        Some(x) if !rng.gen_bool(n.drop_phone) => x.clone(),
        _ => String::new(),
    };
    if !phone.is_empty() && rng.gen_bool(n.id_typo) {
        phone = digit_typo(&phone, rng);
    }
    if !phone.is_empty() && rng.gen_bool(n.partial_id) {
        phone = phone.get(5..).unwrap_or("").to_string();
    }
    let district = if rng.gen_bool(n.drop_district) {
        String::new()
    } else {
        p.district.to_string()
    };
    LinkageRecord {
        id: String::new(),
        given_name,
        family_name,
        father_name,
        dob,
        cnic,
        passport,
        phone,
        district,
        truth: truth.to_string(),
    }
}

fn is_valid_iso(s: &str) -> bool {
    let parts: Vec<u32> = s.split('-').filter_map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [y, m, d] => (1900..=2030).contains(y) && (1..=12).contains(m) && (1..=28).contains(d),
        _ => false,
    }
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
    use std::collections::{HashMap, HashSet};

    fn names() -> NameLists {
        NameLists::embedded().unwrap()
    }

    #[test]
    fn sets_are_deterministic_and_sized() {
        let n = names();
        let a = linkage_set(&n, SetKind::Mixed, 2000, 7);
        let b = linkage_set(&n, SetKind::Mixed, 2000, 7);
        assert_eq!(a, b);
        assert_eq!(a.records.len(), 2000);
        let c = linkage_set(&n, SetKind::Mixed, 2000, 8);
        assert_ne!(a, c);
        let ids: HashSet<&str> = a.records.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), 2000);
    }

    #[test]
    fn truth_groups_records_of_one_person() {
        let n = names();
        for kind in SetKind::ACCURACY {
            let s = linkage_set(&n, kind, 3000, 42);
            let mut by: HashMap<&str, Vec<&LinkageRecord>> = HashMap::new();
            for r in &s.records {
                by.entry(&r.truth).or_default().push(r);
            }
            // Duplicates exist, and a person's records agree where the generator keeps values
            // (district or empty, passport or empty).
            assert!(s.true_pairs() > 300, "{kind:?}: {}", s.true_pairs());
            for recs in by.values() {
                assert!(recs.len() <= 4);
                let districts: HashSet<&str> = recs
                    .iter()
                    .map(|r| r.district.as_str())
                    .filter(|d| !d.is_empty())
                    .collect();
                assert!(districts.len() <= 1, "{kind:?}: {recs:?}");
            }
        }
    }

    #[test]
    fn noise_of_each_set_is_present() {
        let n = names();
        let urdu = linkage_set(&n, SetKind::UrduScript, 2000, 1);
        let arabic = urdu
            .records
            .iter()
            .filter(|r| {
                r.given_name
                    .chars()
                    .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
            })
            .count();
        assert!(arabic > 700 && arabic < 1300, "{arabic}");

        let order = linkage_set(&n, SetKind::OrderAndParentage, 2000, 1);
        let no_father = order
            .records
            .iter()
            .filter(|r| r.father_name.is_empty())
            .count();
        assert!(no_father > 700, "{no_father}");

        // Many different persons share one written name.
        let common = linkage_set(&n, SetKind::CommonNames, 2000, 1);
        let mut persons: HashMap<(&str, &str), HashSet<&str>> = HashMap::new();
        for r in &common.records {
            persons
                .entry((&r.given_name, &r.family_name))
                .or_default()
                .insert(&r.truth);
        }
        let most = persons.values().map(HashSet::len).max().unwrap();
        assert!(most >= 10, "{most}");
    }
}
