#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
//! The behaviour the screening and record-linkage work relies on.

use nigehban_names::{phonetic, NameTables, Relation, Script};

fn t() -> &'static NameTables {
    NameTables::embedded().unwrap_or_else(|e| panic!("{e}"))
}

fn share_a_key(a: &[String], b: &[String]) -> bool {
    a.iter().any(|k| b.contains(k))
}

#[test]
fn the_embedded_data_files_pass_their_checks() {
    let tables = t();
    assert!(tables.group_count() >= 150, "{}", tables.group_count());
    assert!(tables.urdu_words().len() >= 150);
}

#[test]
fn every_spelling_of_a_variant_group_gives_one_token_and_one_key() {
    let tables = t();
    let mut failures = Vec::new();
    for (canonical, spellings) in tables.groups() {
        assert!(!spellings.is_empty(), "{canonical}");
        let key = phonetic(&canonical);
        for s in &spellings {
            let n = tables.normalise(s);
            if n.tokens != [canonical.clone()] {
                failures.push(format!("{s} -> {:?} (group {canonical})", n.tokens));
                continue;
            }
            let k = tables.keys(s);
            if k.phonetic != [key.clone()] {
                failures.push(format!("{s}: key {:?}, group key {key}", k.phonetic));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn muhammad_asif_however_written_is_one_person() {
    let tables = t();
    let forms = [
        "Muhammad Asif",
        "Mohd Asif",
        "محمد آصف",
        "Asif Muhammad",
        "M. Asif",
        "MOHAMMAD ASIF",
    ];
    for a in forms {
        for b in forms {
            let s = tables.similarity(a, b);
            assert!(s > 0.9, "{a} / {b}: {s}");
            let ka = tables.blocking_keys(a, None, None);
            let kb = tables.query_blocking_keys(b, None, None);
            assert!(share_a_key(&ka, &kb), "{a} {ka:?} / {b} {kb:?}");
        }
    }
}

#[test]
fn different_names_score_lower() {
    let tables = t();
    let s = tables.similarity("Muhammad Asif", "Muhammad Arif");
    assert!(s < 0.9 && s > 0.6, "asif/arif {s}");
    let s = tables.similarity("Zahid Hussain", "Ghulam Abbas");
    assert!(s < 0.4, "zahid hussain/ghulam abbas {s}");
    let s = tables.similarity("Hasan Raza", "Hussain Raza");
    assert!(s < 0.9, "hasan/hussain {s}");
    let s = tables.similarity("Zahid Hussain", "Zahida Hussain");
    assert!(s < 0.95, "zahid/zahida {s}");
    // Not the same blocks either.
    let a = tables.blocking_keys("Muhammad Asif", None, Some(1990));
    let b = tables.query_blocking_keys("Muhammad Arif", None, Some(1990));
    assert!(!share_a_key(&a, &b), "{a:?} / {b:?}");
}

#[test]
fn similarity_is_symmetric_bounded_and_order_insensitive() {
    let tables = t();
    let names = [
        "Muhammad Asif",
        "Ghulam Abbas",
        "Ch. Naveed Akhtar",
        "علی رضا",
        "Syeda Fatima Bukhari",
        "Abdul Rehman Qureshi",
        "Qureshi Abdurrehman",
        "",
        "Mst. Nasreen Bibi",
    ];
    for a in names {
        for b in names {
            let ab = tables.similarity(a, b);
            let ba = tables.similarity(b, a);
            assert!((0.0..=1.0).contains(&ab), "{a} / {b}: {ab}");
            assert!((ab - ba).abs() < 1e-9, "{a} / {b}: {ab} vs {ba}");
        }
    }
    assert!(tables.similarity("Abdul Rehman Qureshi", "Qureshi Abdurrehman") > 0.99);
    assert!(tables.similarity("Abdul Rehman Qureshi", "Kureshi Abd-ur-Rahman") > 0.99);
    assert_eq!(tables.similarity("", "Ali"), 0.0);
}

#[test]
fn a_missing_common_name_costs_little_a_missing_surname_more() {
    let tables = t();
    let common = tables.similarity("Muhammad Asif Khan", "Asif Khan");
    let surname = tables.similarity("Asif Khan Niazi", "Asif Khan");
    assert!(common > 0.9, "{common}");
    assert!(surname < common && surname > 0.7, "{surname}");
    // The one missing token still meets the other in a block.
    let a = tables.blocking_keys("Asif Khan Niazi", None, None);
    let b = tables.query_blocking_keys("Asif Khan", None, None);
    assert!(share_a_key(&a, &b), "{a:?} / {b:?}");
}

#[test]
fn parentage_phrases_are_split_off() {
    let tables = t();
    let n = tables.normalise("Ali Raza s/o Ghulam Abbas");
    assert_eq!(n.tokens, ["ali", "raza"]);
    let p = n.parentage.unwrap();
    assert_eq!(p.relation, Relation::SonOf);
    assert_eq!(p.tokens, ["ghulam", "abbas"]);

    let n = tables.normalise("علی رضا ولد غلام عباس");
    assert_eq!(n.script, Script::Urdu);
    assert_eq!(n.tokens, ["ali", "raza"]);
    let p = n.parentage.unwrap();
    assert_eq!(p.relation, Relation::SonOf);
    assert_eq!(p.name(), "ghulam abbas");

    for (raw, relation, parent) in [
        (
            "Amina Bibi D/O Muhammad Iqbal",
            Relation::DaughterOf,
            "muhammad iqbal",
        ),
        (
            "Nasreen w/o Zahid Hussain",
            Relation::WifeOf,
            "zahid hussain",
        ),
        (
            "Nasreen wife of Zahid Hussain",
            Relation::WifeOf,
            "zahid hussain",
        ),
        ("Ahmad son of Haji Rasheed", Relation::SonOf, "rasheed"),
        ("Muhammad bin Qasim", Relation::SonOf, "qasim"),
        ("Fatima bint Asad", Relation::DaughterOf, "asad"),
        ("فاطمہ بنت اسد", Relation::DaughterOf, "asad"),
        ("زینب زوجہ محمد اکرم", Relation::WifeOf, "muhammad akram"),
        (
            "سلمان ولدیت محمد یوسف",
            Relation::ChildOf,
            "muhammad yousaf",
        ),
        ("Ali S/0. Akbar", Relation::SonOf, "akbar"),
    ] {
        let n = tables.normalise(raw);
        let p = n.parentage.unwrap_or_else(|| panic!("{raw}: no parentage"));
        assert_eq!((p.relation, p.name().as_str()), (relation, parent), "{raw}");
    }
    // "Bin" opening a name is a name.
    let n = tables.normalise("Bin Yamin");
    assert!(n.parentage.is_none());
    assert_eq!(n.tokens, ["bin", "yamin"]);
    // Alias and residence.
    let n = tables.normalise("Muhammad Asif alias Sonu s/o Akram r/o Mohalla Islamabad, Gujrat");
    assert_eq!(n.tokens, ["muhammad", "asif"]);
    assert_eq!(n.alias, ["sonu"]);
    assert_eq!(n.parentage.unwrap().tokens, ["akram"]);
    assert_eq!(n.residence.as_deref(), Some("mohalla islamabad gujrat"));
    assert!(tables.similarity("Muhammad Asif alias Sonu", "Sonu") > 0.9);
    // Parentage counts when both have one.
    let same = tables.similarity("Ali Raza s/o Ghulam Abbas", "علی رضا ولد غلام عباس");
    let other = tables.similarity("Ali Raza s/o Ghulam Abbas", "Ali Raza s/o Muhammad Akram");
    assert!(same > 0.99 && other < 0.9, "{same} {other}");
    // A parentage written in the name feeds the blocking keys.
    let a = tables.blocking_keys("Ali Raza s/o Ghulam Abbas", None, None);
    let b = tables.blocking_keys("Ali Raza", Some("Ghulam Abbas"), None);
    assert_eq!(a, b);
    assert!(a.iter().any(|k| k.starts_with("p:")), "{a:?}");
}

#[test]
fn titles_are_removed_but_remembered() {
    let tables = t();
    let n = tables.normalise("Haji Muhammad Iqbal");
    assert_eq!(n.tokens, ["muhammad", "iqbal"]);
    assert_eq!(n.titles, ["haji"]);

    // Chaudhry is a title and a name: kept, marked, and weighs little.
    let n = tables.normalise("Ch. Naveed Akhtar");
    assert_eq!(n.tokens, ["chaudhry", "naveed", "akhtar"]);
    assert_eq!(n.honorifics, ["chaudhry"]);
    assert!(tables.similarity("Ch. Naveed Akhtar", "Naveed Akhtar") > 0.9);
    assert!(tables.similarity("Chaudhry Naveed Akhtar", "Ch. Navid Akhter") > 0.99);

    let n = tables.normalise("Dr. Syed Ali");
    assert_eq!(n.tokens, ["syed", "ali"]);
    assert_eq!(n.titles, ["dr"]);
    assert_eq!(n.honorifics, ["syed"]);

    let n = tables.normalise("Mst. Hajiani Rasheedan Bibi");
    assert_eq!(n.tokens, ["rasheedan", "bibi"]);
    assert_eq!(n.titles, ["mst", "hajiani"]);

    let n = tables.normalise("Maulana Hafiz-e-Quran Abdul Ghafoor Sahib");
    assert_eq!(n.tokens, ["abdul", "ghafoor"]);
    assert_eq!(n.titles, ["maulana", "hafiz", "sahib"]);

    let n = tables.normalise("حاجی محمد اقبال");
    assert_eq!(n.tokens, ["muhammad", "iqbal"]);
    assert_eq!(n.titles, ["haji"]);

    // A title word inside a name is a name; a name of titles only is kept.
    assert_eq!(
        tables.normalise("Muhammad Hafiz Khan").tokens,
        ["muhammad", "hafiz", "khan"]
    );
    assert_eq!(tables.normalise("Haji Sahib").tokens, ["haji", "sahib"]);
    // Bibi and Begum are names.
    assert_eq!(tables.normalise("Begum Bibi").tokens, ["begum", "bibi"]);
}

#[test]
fn compounds_compare_by_their_parts() {
    let tables = t();
    for (a, b) in [
        ("Abdurrehman", "Abdul Rehman"),
        ("Abd-ur-Rahman", "Abdul Rehman"),
        ("Asadullah", "Asad Ullah"),
        ("Sanaulla", "Sana Ullah"),
        ("Zia-ul-Haq", "Ziaulhaq"),
        ("Ziaul Haq", "Zia ul Haq"),
        ("Shamsuddin", "Shams-ud-Din"),
        ("Mehrunnisa", "Mehr-un-Nisa"),
        ("Muhammadali", "Muhammad Ali"),
        ("Ghulamrasool", "Ghulam Rasool"),
        ("Khudabux", "Khuda Bakhsh"),
        ("Shahnawaz", "Shah Nawaz"),
        ("Abd Ullah", "Abdullah"),
        ("Bi Bi", "Bibi"),
        ("عبدالرحمن", "Abdul Rehman"),
        ("اسداللہ", "Asad Ullah"),
        ("شمس الدین", "Shamsuddin"),
    ] {
        let na = tables.normalise(a);
        let nb = tables.normalise(b);
        assert_eq!(na.tokens, nb.tokens, "{a} / {b}");
    }
    // Only known parts split a token, the longest known beginning first.
    assert_eq!(tables.normalise("Aliabbas").tokens, ["ali", "abbas"]);
    assert_eq!(tables.normalise("Shahina").tokens, ["shahina"]);
    assert_eq!(tables.normalise("Mahmood").tokens, ["mehmood"]);
    assert_eq!(tables.normalise("Kamran").tokens, ["kamran"]);
    // Spacing that splitting cannot undo still meets in a block.
    let a = tables.blocking_keys("Gulalai Khan", None, None);
    let b = tables.query_blocking_keys("Gul Lalai Khan", None, None);
    assert!(share_a_key(&a, &b), "{a:?} / {b:?}");
}

#[test]
fn text_without_a_name_gives_nothing() {
    let tables = t();
    for raw in ["", "  ", "123", "s/o", "--", "۔"] {
        let n = tables.normalise(raw);
        assert!(n.tokens.is_empty(), "{raw:?}: {n:?}");
        assert!(
            tables.blocking_keys(raw, None, Some(1990)).is_empty(),
            "{raw:?}"
        );
        assert_eq!(tables.similarity(raw, "Ali"), 0.0);
    }
    assert_eq!(tables.normalise("..").script, Script::None);
}

#[test]
fn urdu_letter_variants_and_diacritics_do_not_matter() {
    let tables = t();
    let plain = tables.normalise("محمد علی");
    for v in ["مُحَمَّد عَلِی", "محمد علي", "ﻣﺤﻤﺪ ﻋﻠﻰ"] {
        assert_eq!(tables.normalise(v).tokens, plain.tokens, "{v}");
    }
    assert_eq!(
        tables.normalise("كريم").tokens,
        tables.normalise("کریم").tokens
    );
    assert_eq!(tables.normalise("فاطمه").tokens, ["fatima"]);
    assert_eq!(tables.normalise("موسیٰ").tokens, ["musa"]);
    assert_eq!(tables.transliterate("محمد علی خان"), "muhammad ali khan");
    // Mixed input keeps both.
    let n = tables.normalise("Ali خان");
    assert_eq!(n.script, Script::Mixed);
    assert_eq!(n.tokens, ["ali", "khan"]);
}

#[test]
fn unknown_urdu_names_meet_their_roman_spellings_through_the_phonetic_key() {
    let tables = t();
    // Names in no table: the letter transliteration and a usual Roman spelling share a key.
    for (ur, roman) in [
        ("شاہ زیب", "Shahzeb"),
        ("ثمرینہ", "Samreena"),
        ("ناصرہ", "Nasira"),
        ("ارشدہ", "Arshada"),
        ("طالب", "Talib"),
        ("اکمل", "Akmal"),
        ("گلزار", "Gulzar"),
        ("بشارت", "Basharat"),
    ] {
        let a = tables.keys(ur).phonetic.join(" ");
        let b = tables.keys(roman).phonetic.join(" ");
        assert_eq!(a, b, "{ur} ({}) / {roman}", tables.transliterate(ur));
        assert!(tables.similarity(ur, roman) > 0.9, "{ur} / {roman}");
    }
}

#[test]
fn bad_data_files_are_rejected_with_every_problem() {
    let titles = "[[title]]\ncanonical = \"dr\"\nforms = [\"dr\"]\n";
    let urdu = "[words]\n\"علی\" = \"ali\"\n[letters]\n\"ب\" = \"b\"\n";
    let good = "[[group]]\nnames = [\"ali\", \"aly\"]\n";
    assert!(NameTables::from_sources(good, titles, urdu).is_ok());

    let bad = "particles = [\"ul\"]\n\
               [[group]]\nnames = [\"ali\", \"aly\"]\n\
               [[group]]\nnames = [\"aly\", \"alee\"]\n\
               [[group]]\nnames = []\n\
               [[group]]\nnames = [\"Khan\"]\n\
               [[group]]\nnames = [\"ul\"]\nweight = 2.0\n\
               [[join]]\nparts = [\"a\", \"b\"]\ninto = \"nobody\"\n";
    let err = NameTables::from_sources(bad, titles, urdu).unwrap_err();
    let all = err.problems.join("\n");
    for needle in [
        "\"aly\" is in two groups",
        "group #3 is empty",
        "\"Khan\"",
        "weight 2",
        "also a particle",
        "\"nobody\"",
    ] {
        assert!(all.contains(needle), "{needle} missing from:\n{all}");
    }

    let bad_titles = "[[title]]\ncanonical = \"ali\"\nforms = [\"ali\", \"بیگم\"]\n";
    let err = NameTables::from_sources(good, bad_titles, urdu).unwrap_err();
    let all = err.problems.join("\n");
    assert!(all.contains("also the name"), "{all}");
    assert!(all.contains("not in urdu_roman.toml"), "{all}");

    let bad_urdu =
        "[words]\n\"علی\" = \"ali\"\n\"علي\" = \"aly\"\n\"x\" = \"y\"\n[letters]\n\"بب\" = \"b\"\n";
    let err = NameTables::from_sources(good, titles, bad_urdu).unwrap_err();
    assert_eq!(err.problems.len(), 3, "{:#?}", err.problems);

    let err = NameTables::from_sources("[[group]]\nnames = 3\n", titles, urdu).unwrap_err();
    assert!(err.problems[0].starts_with("variants.toml:"), "{err}");
}

#[test]
fn keys_on_many_names_are_deterministic() {
    // Not a timed test: exercises keys and blocking keys on 20,000 generated names.
    let tables = t();
    let given = [
        "Muhammad", "Ali", "Asif", "Zahid", "Ghulam", "Nasreen", "محمد", "آصف", "Bibi",
    ];
    let family = ["Khan", "Qureshi", "Butt", "Awan", "بلوچ", "Shahnawaz", "Zz"];
    let mut total = 0usize;
    for i in 0..20_000usize {
        let name = format!(
            "{} {} {}",
            given[i % given.len()],
            given[(i / 7) % given.len()],
            family[(i / 3) % family.len()]
        );
        let a = tables.blocking_keys(&name, Some("Ghulam Abbas"), Some(1970 + (i % 40) as i32));
        if i % 997 == 0 {
            assert_eq!(
                a,
                tables.blocking_keys(&name, Some("Ghulam Abbas"), Some(1970 + (i % 40) as i32))
            );
            assert_eq!(tables.keys(&name), tables.keys(&name));
        }
        total += a.len();
    }
    assert!(total > 20_000);
}
