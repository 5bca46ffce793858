use super::*;
use crate::util::ymd;
use chrono::Datelike;
use nigehban_core::store::BulkCase;
use nigehban_domain::crime::CrimeType;
use nigehban_domain::identifiers::{Cnic, IdentifierKind};
use nigehban_domain::ids::PersonId;
use nigehban_domain::names::{is_arabic_script, ParentageRelation};
use nigehban_domain::person::{AgeInfo, PersonRole, Sex};
use nigehban_domain::stage::CaseStage;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;
use uuid::Uuid;

const TODAY: NaiveDate = match NaiveDate::from_ymd_opt(2025, 11, 20) {
    Some(d) => d,
    None => NaiveDate::MIN,
};

fn refdata() -> &'static ReferenceData {
    static R: OnceLock<ReferenceData> = OnceLock::new();
    R.get_or_init(|| ReferenceData::embedded().unwrap())
}

fn names() -> &'static NameLists {
    static N: OnceLock<NameLists> = OnceLock::new();
    N.get_or_init(|| NameLists::embedded().unwrap())
}

/// One user in every unit of the reference organisations.
fn creators() -> Vec<Creator> {
    refdata()
        .units
        .iter()
        .enumerate()
        .map(|(i, u)| Creator {
            user_id: UserId(Uuid::from_u128(1000 + i as u128)),
            unit_id: UnitId(Uuid::from_u128(2000 + i as u128)),
            unit_code: u.code.clone(),
            agency: u.agency.clone(),
            username: format!("officer{i}"),
        })
        .collect()
}

fn demo_cfg() -> DemoConfig {
    DemoConfig {
        seed: 42,
        cases: 2_000,
        persons: 10_000,
    }
}

/// The full demo, generated once for the tests that inspect it.
fn full_demo() -> &'static Vec<BulkBatch> {
    static D: OnceLock<Vec<BulkBatch>> = OnceLock::new();
    D.get_or_init(|| {
        demo_batches_as_of(refdata(), names(), &creators(), &demo_cfg(), 250, TODAY).unwrap()
    })
}

fn small(seed: u64) -> Vec<BulkBatch> {
    let cfg = DemoConfig {
        seed,
        cases: 150,
        persons: 700,
    };
    demo_batches_as_of(refdata(), names(), &creators(), &cfg, 40, TODAY).unwrap()
}

/// A fingerprint of everything that must repeat for a seed.
fn fingerprint(batches: &[BulkBatch]) -> Vec<String> {
    let mut out = Vec::new();
    for b in batches {
        out.push(format!("batch {} {}", b.persons.len(), b.cases.len()));
        for p in &b.persons {
            out.push(format!(
                "{} {:?} {:?} {:?} {:?} {:?} {:?}",
                p.id,
                p.person.name,
                p.person.parentage,
                p.person.sex,
                p.person.age,
                p.person.identifiers,
                p.created_at
            ));
        }
        for c in &b.cases {
            out.push(format!(
                "{} {} {} {:?} {:?} {} {} {:?} {}",
                c.case.id,
                c.case.case.title,
                c.case.case.offence_date,
                c.case.case.crime_types,
                c.case.case.provisions,
                c.case.stage,
                c.case.case.district,
                c.case.created_at,
                c.history.len()
            ));
            for (l, p, r, v) in &c.persons {
                out.push(format!("{l} {p} {r:?} {v:?}"));
            }
        }
    }
    out
}

fn all_cases(batches: &[BulkBatch]) -> impl Iterator<Item = &BulkCase> {
    batches.iter().flat_map(|b| b.cases.iter())
}

fn all_persons(batches: &[BulkBatch]) -> impl Iterator<Item = &NewPerson> {
    batches.iter().flat_map(|b| b.persons.iter())
}

#[test]
fn embedded_names_load() {
    let n = NameLists::embedded().unwrap();
    let (m, f, fam) = n.sizes();
    assert!(m > 200 && f > 100 && fam > 100, "{m} {f} {fam}");
    for nat in ["AFG", "BGD", "IND", "IRN"] {
        assert!(n.foreign_nationalities().iter().any(|x| x == nat), "{nat}");
    }
}

#[test]
fn broken_names_are_reported() {
    let err = NameLists::from_toml(
        "family = []\ntitle = []\nforeign = []\n\
         [[male_given]]\nroman = [\"Ali<\"]\nur = \"Ali\"\nweight = 0\n\
         [[female_given]]\nroman = []\nur = \"فاطمہ\"\nweight = 1\n",
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("Roman spelling `Ali<` is invalid"), "{err}");
    assert!(err.contains("Urdu `Ali` is invalid"), "{err}");
    assert!(err.contains("weight must be a positive number"), "{err}");
    assert!(err.contains("no Roman spelling"), "{err}");
}

#[test]
fn no_creators_is_an_error() {
    let r = demo_batches_as_of(refdata(), names(), &[], &demo_cfg(), 100, TODAY);
    assert!(matches!(r, Err(SynthError::NoCreators)));
}

#[test]
fn same_seed_same_data_other_seed_other_data() {
    let a = small(7);
    let b = small(7);
    let c = small(8);
    assert_eq!(fingerprint(&a), fingerprint(&b));
    assert_ne!(fingerprint(&a), fingerprint(&c));
    let titles = |x: &[BulkBatch]| -> Vec<String> {
        all_cases(x).map(|c| c.case.case.title.clone()).collect()
    };
    assert_eq!(titles(&a), titles(&b));
    assert_ne!(titles(&a), titles(&c));
}

#[test]
fn unknown_creator_units_still_work() {
    let creators = vec![Creator {
        user_id: UserId(Uuid::from_u128(1)),
        unit_id: UnitId(Uuid::from_u128(2)),
        unit_code: "XYZ-UNIT".into(),
        agency: "XYZ".into(),
        username: "someone".into(),
    }];
    let cfg = DemoConfig {
        seed: 3,
        cases: 60,
        persons: 200,
    };
    let b = demo_batches_as_of(refdata(), names(), &creators, &cfg, 25, TODAY).unwrap();
    check_dataset(&b, &creators, &cfg);
}

/// Every rule a dataset must satisfy.
fn check_dataset(batches: &[BulkBatch], creators: &[Creator], cfg: &DemoConfig) {
    let r = refdata();
    let cases: Vec<&BulkCase> = all_cases(batches).collect();
    let persons: Vec<&NewPerson> = all_persons(batches).collect();
    assert!(cases.len() >= cfg.cases, "{} cases", cases.len());
    assert!(persons.len() >= cfg.persons, "{} persons", persons.len());

    // Persons are valid: re-validate the pieces that depend on the generator.
    let mut by_id: HashMap<PersonId, &NewPerson> = HashMap::new();
    for p in &persons {
        assert!(by_id.insert(p.id, p).is_none(), "duplicate person id");
        check_person(p, r);
        assert!(creators
            .iter()
            .any(|c| c.agency == p.agency && c.user_id == p.created_by));
        assert!(p.created_at.date_naive() < TODAY);
    }

    // Persons exist before the cases that link them.
    let mut written: HashSet<PersonId> = HashSet::new();
    let mut case_ids = HashSet::new();
    for b in batches {
        written.extend(b.persons.iter().map(|p| p.id));
        for c in &b.cases {
            assert!(case_ids.insert(c.case.id), "duplicate case id");
            for (_, pid, _, _) in &c.persons {
                assert!(written.contains(pid), "person linked before it is written");
            }
        }
    }

    for c in &cases {
        let vc = &c.case.case;
        // Valid as a case input, with its own reference data.
        let d = r.district(&vc.district).unwrap();
        assert_eq!(d.province, vc.province, "district within province");
        assert!(r.province(&vc.province).is_some());
        assert!(!vc.crime_types.is_empty());
        for code in &vc.provisions {
            let p = r.provision(code).unwrap();
            assert!(
                p.in_force_on(vc.offence_date),
                "{code} on {}",
                vc.offence_date
            );
            assert!(
                p.applies_to_any(&vc.crime_types),
                "{code} for {:?}",
                vc.crime_types
            );
        }
        // Forms of exploitation belong to trafficking cases, and every one has some.
        assert_eq!(
            !vc.exploitation_forms.is_empty(),
            vc.crime_types.contains(&CrimeType::Tip)
        );
        assert!(vc.title.chars().count() <= 200 && !vc.title.is_empty());
        assert!(!vc.title.contains('{'), "unfilled title: {}", vc.title);
        let narrative = vc.narrative.as_deref().unwrap_or("");
        assert!(!narrative.contains('{'), "unfilled narrative: {narrative}");
        assert!(vc.offence_date < TODAY);
        assert!(vc.offence_date <= c.case.created_at.date_naive());
        assert_eq!(c.case.year, c.case.created_at.year());
        let creator = creators
            .iter()
            .find(|x| x.user_id == c.case.created_by)
            .unwrap();
        assert_eq!(creator.unit_id, c.case.unit_id);
        assert_eq!(creator.unit_code, c.case.unit_code);
        assert_eq!(creator.agency, c.case.agency);

        // History: from the complaint, along the transition table, dates increasing, not future.
        let mut stage = CaseStage::Complaint;
        let mut last = c.case.created_at.date_naive();
        for e in &c.history {
            assert_eq!(e.from, Some(stage));
            assert!(r.transition_allowed(stage, e.to), "{stage} -> {}", e.to);
            assert!(e.occurred_on > last, "dates increase");
            assert!(e.occurred_on < TODAY);
            assert!(e.occurred_on >= vc.offence_date);
            assert_eq!(e.by_user, creator.username);
            last = e.occurred_on;
            stage = e.to;
        }
        assert_eq!(stage, c.case.stage);

        // Roles: one link per person and role; chain roles for suspects only; 1-4 suspects.
        let mut seen = HashSet::new();
        let mut suspects = 0;
        for (_, pid, role, verdict) in &c.persons {
            assert!(seen.insert((*pid, role.role)), "person twice in a role");
            assert_eq!(role.role == PersonRole::Suspect, role.chain_role.is_some());
            if role.role == PersonRole::Suspect {
                suspects += 1;
            } else {
                assert!(verdict.is_none());
            }
        }
        assert!((1..=4).contains(&suspects), "{suspects} suspects");
        // Judgment: a verdict for every suspect.
        let judged = c.history.iter().any(|e| e.to == CaseStage::Judgment);
        for (_, _, role, verdict) in &c.persons {
            if role.role == PersonRole::Suspect {
                assert_eq!(verdict.is_some(), judged);
            }
        }
    }
}

fn check_person(p: &NewPerson, r: &ReferenceData) {
    let v = &p.person;
    assert!(!v.name.is_empty());
    if let Some(rel) = v.parentage_relation {
        assert!(!v.parentage.is_empty());
        match rel {
            ParentageRelation::SonOf => assert_ne!(v.sex, Sex::Female),
            ParentageRelation::DaughterOf | ParentageRelation::WifeOf => {
                assert_ne!(v.sex, Sex::Male)
            }
        }
    }
    if let Some(d) = &v.origin_district {
        assert!(r.district(d).is_some());
    }
    for id in &v.identifiers {
        match id.kind {
            IdentifierKind::Cnic => {
                let c = Cnic::parse(&id.value).unwrap();
                c.check_sex(v.sex).unwrap();
                let first = id.value.chars().next().unwrap();
                let prov = v
                    .origin_district
                    .as_deref()
                    .and_then(|d| r.district(d))
                    .map(|d| d.province.as_str())
                    .unwrap();
                let want = match prov {
                    "KP" => '1',
                    "PB" => '3',
                    "SD" => '4',
                    "BA" => '5',
                    "IS" => '6',
                    "GB" => '7',
                    _ => '8',
                };
                assert_eq!(first, want, "CNIC {} for {prov}", id.value);
            }
            IdentifierKind::Phone => {
                assert!(id.value.starts_with('+'));
                if id.value.starts_with("+92") {
                    assert_eq!(id.value.len(), 13, "{}", id.value);
                    assert!(id.value.starts_with("+923"));
                }
            }
            IdentifierKind::Passport => {
                if id.country.as_deref() == Some("PAK") {
                    assert_eq!(id.value.len(), 9);
                }
            }
            // Accounts, vehicles and the address key come from their own fields, checked there.
            IdentifierKind::NaraCard
            | IdentifierKind::BankAccount
            | IdentifierKind::HawalaAccount
            | IdentifierKind::Vehicle
            | IdentifierKind::Address => {}
        }
    }
    match v.age {
        AgeInfo::DateOfBirth { date } => assert!(date < TODAY),
        AgeInfo::Estimated { years, .. } => assert!(years <= 110),
        AgeInfo::Unknown => {}
    }
}

#[test]
fn small_datasets_are_valid() {
    for seed in [1, 2, 3] {
        let cfg = DemoConfig {
            seed,
            cases: 150,
            persons: 700,
        };
        let b = demo_batches_as_of(refdata(), names(), &creators(), &cfg, 40, TODAY).unwrap();
        check_dataset(&b, &creators(), &cfg);
        assert!(b.iter().all(|x| x.cases.len() <= 40));
    }
}

#[test]
fn demo_dataset_is_valid_and_realistic() {
    let batches = full_demo();
    let cfg = demo_cfg();
    check_dataset(batches, &creators(), &cfg);
    assert!(batches.iter().all(|b| b.cases.len() <= 250));
    let cases: Vec<&BulkCase> = all_cases(batches).collect();
    let persons: Vec<&NewPerson> = all_persons(batches).collect();
    let by_id: HashMap<PersonId, &NewPerson> = persons.iter().map(|p| (p.id, *p)).collect();

    // Urdu script for most persons.
    let urdu = persons
        .iter()
        .filter(|p| {
            p.person
                .name
                .urdu
                .as_deref()
                .is_some_and(|u| u.chars().any(is_arabic_script))
        })
        .count();
    let share = urdu as f64 / persons.len() as f64;
    assert!((0.6..0.85).contains(&share), "Urdu share {share}");

    // The same kind of name spelt differently.
    let romans: HashSet<&str> = persons
        .iter()
        .filter_map(|p| p.person.name.roman.as_deref())
        .collect();
    let muhammad_spellings = ["Muhammad ", "Mohammad ", "Mohammed ", "M. ", "Muhammed "]
        .iter()
        .filter(|s| romans.iter().any(|r| r.starts_with(**s)))
        .count();
    assert!(muhammad_spellings >= 4, "{muhammad_spellings}");

    // Repeat encounters: migrants in two or three cases.
    let migrant_roles = [
        PersonRole::SmuggledMigrant,
        PersonRole::Deportee,
        PersonRole::Offloadee,
        PersonRole::InterceptedMigrant,
    ];
    let mut cases_of: HashMap<PersonId, BTreeSet<usize>> = HashMap::new();
    let mut migrants: HashSet<PersonId> = HashSet::new();
    for (i, c) in cases.iter().enumerate() {
        for (_, pid, role, _) in &c.persons {
            cases_of.entry(*pid).or_default().insert(i);
            if migrant_roles.contains(&role.role) {
                migrants.insert(*pid);
            }
        }
    }
    let repeat = migrants
        .iter()
        .filter(|p| cases_of.get(*p).is_some_and(|s| s.len() >= 2))
        .count();
    let repeat_share = repeat as f64 / migrants.len() as f64;
    assert!(
        (0.02..0.12).contains(&repeat_share),
        "repeat migrants {repeat} of {}",
        migrants.len()
    );
    assert!(migrants
        .iter()
        .all(|p| cases_of.get(p).is_some_and(|s| s.len() <= 3)));

    // Every linked person is written; most written persons are linked.
    assert!(cases_of.keys().all(|p| by_id.contains_key(p)));

    // Agents reused across cases, and phones shared by distinct suspects.
    let mut suspect_cases: HashMap<PersonId, usize> = HashMap::new();
    let mut suspects: HashSet<PersonId> = HashSet::new();
    for c in &cases {
        for (_, pid, role, _) in &c.persons {
            if role.role == PersonRole::Suspect {
                *suspect_cases.entry(*pid).or_default() += 1;
                suspects.insert(*pid);
            }
        }
    }
    let busy = suspect_cases.values().filter(|n| **n >= 3).count();
    assert!(busy >= 20, "{busy} agents in 3+ cases");
    let mut phone_holders: HashMap<&str, HashSet<PersonId>> = HashMap::new();
    for pid in &suspects {
        if let Some(p) = by_id.get(pid) {
            for id in &p.person.identifiers {
                if id.kind == IdentifierKind::Phone {
                    phone_holders
                        .entry(id.value.as_str())
                        .or_default()
                        .insert(*pid);
                }
            }
        }
    }
    let shared = phone_holders.values().filter(|h| h.len() >= 2).count();
    assert!(shared >= 10, "{shared} phones shared among suspects");

    // Crime types: TIP and SOM both common, some cases both, related offences with SOM.
    let count = |f: &dyn Fn(&BulkCase) -> bool| cases.iter().filter(|c| f(c)).count();
    let tip = count(&|c| c.case.case.crime_types.contains(&CrimeType::Tip));
    let som = count(&|c| c.case.case.crime_types.contains(&CrimeType::Som));
    let both = count(&|c| {
        c.case.case.crime_types.contains(&CrimeType::Tip)
            && c.case.case.crime_types.contains(&CrimeType::Som)
    });
    let related = count(&|c| {
        c.case.case.crime_types.contains(&CrimeType::Som)
            && (c.case.case.crime_types.contains(&CrimeType::DocumentFraud)
                || c.case
                    .case
                    .crime_types
                    .contains(&CrimeType::UnlawfulEmigration))
    });
    assert!(
        tip > 500 && som > 500 && both > 30 && related > 200,
        "{tip} {som} {both} {related}"
    );

    // Exploitation forms among TIP cases.
    let forms: BTreeSet<_> = cases
        .iter()
        .flat_map(|c| c.case.case.exploitation_forms.iter().copied())
        .collect();
    assert!(forms.len() >= 8, "{forms:?}");

    // Old cases charged under PACHTO 2002.
    let pachto = count(&|c| {
        c.case.case.offence_date < ymd(2018, 5, 31)
            && c.case
                .case
                .provisions
                .iter()
                .any(|p| p.starts_with("PACHTO-2002"))
    });
    assert!(pachto >= 50, "{pachto} PACHTO cases");

    // Stages: early stages more common than late ones.
    let mut stages: BTreeMap<CaseStage, usize> = BTreeMap::new();
    for c in &cases {
        *stages.entry(c.case.stage).or_default() += 1;
    }
    let get = |s: CaseStage| stages.get(&s).copied().unwrap_or(0);
    let early = get(CaseStage::Complaint)
        + get(CaseStage::Inquiry)
        + get(CaseStage::Fir)
        + get(CaseStage::Investigation);
    let late = get(CaseStage::Challan)
        + get(CaseStage::Trial)
        + get(CaseStage::Judgment)
        + get(CaseStage::Appeal)
        + get(CaseStage::Closed);
    assert!(early > late, "{stages:?}");
    assert!(CaseStage::ALL.iter().all(|s| get(*s) > 0), "{stages:?}");

    // Spread across units, agencies, provinces, districts.
    let units: HashSet<_> = cases.iter().map(|c| c.case.unit_code.as_str()).collect();
    let provinces: HashSet<_> = cases
        .iter()
        .map(|c| c.case.case.province.as_str())
        .collect();
    let districts: HashSet<_> = cases
        .iter()
        .map(|c| c.case.case.district.as_str())
        .collect();
    assert!(units.len() >= 20, "{units:?}");
    assert!(provinces.len() >= 5, "{provinces:?}");
    assert!(districts.len() >= 40, "{}", districts.len());

    // Persons: women among victims, minors among TIP victims, foreigners, suspects mostly men.
    let mut victims = HashSet::new();
    for c in &cases {
        for (_, pid, role, _) in &c.persons {
            if role.role == PersonRole::Victim {
                victims.insert(*pid);
            }
        }
    }
    let female_victims = victims
        .iter()
        .filter(|p| by_id.get(*p).is_some_and(|x| x.person.sex == Sex::Female))
        .count();
    assert!(
        female_victims * 4 > victims.len(),
        "{female_victims} of {}",
        victims.len()
    );
    let minors = victims
        .iter()
        .filter(|p| {
            by_id
                .get(*p)
                .and_then(|x| x.person.age.age_on(TODAY))
                .is_some_and(|a| a < 18)
        })
        .count();
    assert!(minors > 100, "{minors} minor victims");
    let male_suspects = suspects
        .iter()
        .filter(|p| by_id.get(*p).is_some_and(|x| x.person.sex == Sex::Male))
        .count();
    assert!(male_suspects * 10 > suspects.len() * 7);
    assert!(male_suspects < suspects.len(), "some women agents");
    let foreign: BTreeSet<&str> = persons
        .iter()
        .filter_map(|p| p.person.nationality_claimed.as_deref())
        .filter(|n| *n != "PAK")
        .collect();
    assert!(foreign.len() >= 3, "{foreign:?}");
    let parentage = persons
        .iter()
        .filter(|p| p.person.parentage_relation.is_some())
        .count();
    assert!(parentage * 10 > persons.len() * 7, "{parentage}");
    let dob = persons
        .iter()
        .filter(|p| matches!(p.person.age, AgeInfo::DateOfBirth { .. }))
        .count();
    let est = persons
        .iter()
        .filter(|p| matches!(p.person.age, AgeInfo::Estimated { .. }))
        .count();
    assert!(dob > 1000 && est > 1000, "{dob} {est}");

    // Titles varied, narratives mention money.
    let titles: HashSet<&str> = cases.iter().map(|c| c.case.case.title.as_str()).collect();
    assert!(titles.len() > 1000, "{} distinct titles", titles.len());
    let priced = cases
        .iter()
        .filter(|c| {
            c.case
                .case
                .narrative
                .as_deref()
                .is_some_and(|n| n.contains("PKR"))
        })
        .count();
    assert!(priced * 2 > cases.len());
}

#[test]
fn person_chunks_yield_n_persons() {
    let c = creators();
    let creator = c.first().unwrap();
    let chunks: Vec<Vec<NewPerson>> =
        person_chunks_as_of(refdata(), names(), creator, 9, 2_345, 500, TODAY).collect();
    assert_eq!(chunks.len(), 5);
    assert!(chunks.iter().take(4).all(|c| c.len() == 500));
    assert_eq!(chunks.iter().map(Vec::len).sum::<usize>(), 2_345);
    let ids: HashSet<PersonId> = chunks.iter().flatten().map(|p| p.id).collect();
    assert_eq!(ids.len(), 2_345);
    for p in chunks.iter().flatten() {
        check_person(p, refdata());
        assert_eq!(p.agency, creator.agency);
    }
    // Near-duplicates: the same CNIC or passport on two records.
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for p in chunks.iter().flatten() {
        for id in &p.person.identifiers {
            if matches!(id.kind, IdentifierKind::Cnic | IdentifierKind::Passport) {
                *seen.entry(id.value.as_str()).or_default() += 1;
            }
        }
    }
    let dups = seen.values().filter(|n| **n >= 2).count();
    assert!((20..150).contains(&dups), "{dups} shared documents");

    // Deterministic (whatever the chunk size), and different for another seed.
    let run = |seed: u64, chunk: usize| -> Vec<String> {
        person_chunks_as_of(refdata(), names(), creator, seed, 300, chunk, TODAY)
            .flatten()
            .map(|p| format!("{} {:?} {:?}", p.id, p.person.name, p.person.identifiers))
            .collect()
    };
    let a = run(9, 64);
    assert_eq!(a.len(), 300);
    assert_eq!(a, run(9, 64));
    assert_eq!(a, run(9, 100));
    assert_ne!(a, run(10, 64));
    assert_eq!(
        person_chunks_as_of(refdata(), names(), creator, 1, 0, 10, TODAY).count(),
        0
    );
}

/// Release-mode timings: `cargo test --release -p nigehban-synth timing -- --ignored --nocapture`.
#[test]
#[ignore]
fn timing() {
    let t = std::time::Instant::now();
    let b = demo_batches_as_of(refdata(), names(), &creators(), &demo_cfg(), 250, TODAY).unwrap();
    println!("demo: {:?} ({} batches)", t.elapsed(), b.len());
    let c = creators();
    let t = std::time::Instant::now();
    let n: usize = person_chunks_as_of(refdata(), names(), &c[0], 1, 1_000_000, 10_000, TODAY)
        .map(|c| c.len())
        .sum();
    println!("1M persons: {:?} ({n})", t.elapsed());
}

/// Figures of the demo: `cargo test -p nigehban-synth stats -- --ignored --nocapture`.
#[test]
#[ignore]
fn stats() {
    let batches = full_demo();
    let cases: Vec<&BulkCase> = all_cases(batches).collect();
    let persons: Vec<&NewPerson> = all_persons(batches).collect();
    let mut cases_of: HashMap<PersonId, usize> = HashMap::new();
    let mut migrants = HashSet::new();
    let mut suspects = HashSet::new();
    for c in &cases {
        let mut seen = HashSet::new();
        for (_, pid, role, _) in &c.persons {
            if seen.insert(*pid) {
                *cases_of.entry(*pid).or_default() += 1;
            }
            if matches!(
                role.role,
                PersonRole::Deportee
                    | PersonRole::SmuggledMigrant
                    | PersonRole::Offloadee
                    | PersonRole::InterceptedMigrant
            ) {
                migrants.insert(*pid);
            }
            if role.role == PersonRole::Suspect {
                suspects.insert(*pid);
            }
        }
    }
    let rep = migrants.iter().filter(|p| cases_of[*p] >= 2).count();
    println!(
        "migrants {} repeat {} ({:.1}%)",
        migrants.len(),
        rep,
        100.0 * rep as f64 / migrants.len() as f64
    );
    let unlinked = persons
        .iter()
        .filter(|p| !cases_of.contains_key(&p.id))
        .count();
    println!("persons {} unlinked {}", persons.len(), unlinked);
    let mut hist: BTreeMap<usize, usize> = BTreeMap::new();
    for p in &suspects {
        *hist.entry(cases_of[p]).or_default() += 1;
    }
    println!("suspects {} cases-per-suspect {:?}", suspects.len(), hist);
    let by_id: HashMap<PersonId, &NewPerson> = persons.iter().map(|p| (p.id, *p)).collect();
    let mut phone: HashMap<&str, usize> = HashMap::new();
    for s in &suspects {
        for i in &by_id[s].person.identifiers {
            if i.kind == IdentifierKind::Phone {
                *phone.entry(i.value.as_str()).or_default() += 1;
            }
        }
    }
    let mut ph: BTreeMap<usize, usize> = BTreeMap::new();
    for n in phone.values() {
        *ph.entry(*n).or_default() += 1;
    }
    println!("phone sharing {:?}", ph);
    let mut stages: BTreeMap<String, usize> = BTreeMap::new();
    for c in &cases {
        *stages.entry(c.case.stage.to_string()).or_default() += 1;
    }
    println!("stages {stages:?}");
    let sizes: Vec<usize> = cases.iter().map(|c| c.persons.len()).collect();
    println!(
        "links per case avg {:.1} max {}",
        sizes.iter().sum::<usize>() as f64 / sizes.len() as f64,
        sizes.iter().max().unwrap()
    );
}

/// Numbers agree with nouns, articles with numbers, and no placeholder is left.
#[test]
fn texts_read_well() {
    let bad = [
        "One victims",
        "One men",
        "One boys",
        "One passengers",
        "One complainants",
        "One Pakistanis",
        " 1 men",
        " 1 women",
        " 1 children",
        "the the",
        "  ",
        "..",
        "a 8-",
        "a 11-",
        "a 18-",
        "Fake the",
        "no others",
        "{",
        "}",
    ];
    for c in all_cases(full_demo()) {
        let t = format!(
            "{} || {}",
            c.case.case.title,
            c.case.case.narrative.as_deref().unwrap_or("")
        );
        assert!(!bad.iter().any(|b| t.contains(b)), "{t}");
    }
}
