#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use chrono::NaiveDate;
use nigehban_domain::case::CaseInput;
use nigehban_domain::crime::ExploitationForm;
use nigehban_domain::person::{CaseRole, ChainRole, PersonInput, PersonRole, Sex};
use nigehban_domain::reference::ReferenceData;
use nigehban_domain::stage::{CaseStage, Verdict};
use nigehban_exchange::ctdc::{self, Layout, PrivacyError, VictimRecord, QUASI_IDENTIFIERS};
use nigehban_exchange::htcds::{self, FileFormat, UnmappedReason};
use nigehban_exchange::*;
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, BTreeSet};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
}

fn setup() -> (ReferenceData, Mapping) {
    let r = ReferenceData::embedded().unwrap();
    let m = Mapping::embedded(&r).unwrap();
    (r, m)
}

fn person(r: &ReferenceData, input: PersonInput) -> nigehban_domain::person::ValidatedPerson {
    input.validate(r, today()).unwrap()
}

/// A TIP case of Gujrat with a victim (full context), a suspect, a witness and a withheld victim.
fn sample_cases(r: &ReferenceData) -> Vec<ExchangeCase> {
    let case = CaseInput {
        title: Some("Recruitment for Greece via Taftan".into()),
        crime_types: vec!["tip".into(), "som".into()],
        exploitation_forms: vec!["forced_labour".into(), "domestic_servitude".into()],
        provisions: vec![],
        province: Some("PB".into()),
        district: Some("gujrat".into()),
        offence_date: Some("2025-06-15".into()),
        narrative: Some("Promised work in Athens; held in a house in Tehran.".into()),
    }
    .validate(r, today())
    .unwrap();
    let victim = person(
        r,
        PersonInput {
            name_roman: Some("Muhammad Asif Iqbal".into()),
            name_urdu: Some("محمد آصف اقبال".into()),
            parentage_relation: Some("son_of".into()),
            parentage_roman: Some("Iqbal Hussain".into()),
            sex: Some("male".into()),
            date_of_birth: Some("2001-04-03".into()),
            nationality_claimed: Some("PAK".into()),
            nationality_verified: Some("PAK".into()),
            origin_district: Some("gujrat".into()),
            cnic: Some("34201-1234567-1".into()),
            passport: Some("AB1234567".into()),
            passport_country: Some("PAK".into()),
            phone: Some("0300-1234567".into()),
            address: Some("Mohalla Islampura, Kharian".into()),
            notes: Some("Returned via Taftan".into()),
            ..Default::default()
        },
    );
    let suspect = person(
        r,
        PersonInput {
            name_roman: Some("Tariq Mehmood".into()),
            sex: Some("male".into()),
            estimated_age: Some("45".into()),
            nationality_claimed: Some("PAK".into()),
            hawala_account: Some("Chaudhry Exchange 4471".into()),
            ..Default::default()
        },
    );
    let witness = person(
        r,
        PersonInput {
            name_roman: Some("Nasreen Bibi".into()),
            sex: Some("female".into()),
            nationality_claimed: Some("AFG".into()),
            ..Default::default()
        },
    );
    let mut withheld = person(
        r,
        PersonInput {
            name_roman: Some("Hidden Person".into()),
            sex: Some("female".into()),
            nationality_claimed: Some("BGD".into()),
            ..Default::default()
        },
    );
    withheld.name.roman = None;
    let ctx = VictimContext {
        indicators: [
            "deception",
            "ilo_debt_bondage",
            "ilo_retention_of_documents",
            "fraud",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        labour: [LabourSector::DomesticWork].into_iter().collect(),
        country_of_exploitation: Some("IRN".into()),
        recruiter_relation: Some(RecruiterRelation::Acquainted),
    };
    vec![ExchangeCase {
        id: "0190c3a1-0000-7000-8000-000000000001".into(),
        number: Some("FIA-AHTC-GRW-2025-000007".into()),
        agency_name: Some("Federal Investigation Agency".into()),
        agency_kind: Some(nigehban_domain::org::AgencyKind::Fia),
        case,
        stage: CaseStage::Judgment,
        persons: vec![
            ExchangePerson {
                id: "p-victim".into(),
                role: CaseRole {
                    role: PersonRole::Victim,
                    chain_role: None,
                },
                verdict: None,
                person: victim,
                withheld: false,
                victim: ctx.clone(),
            },
            ExchangePerson {
                id: "p-suspect".into(),
                role: CaseRole {
                    role: PersonRole::Suspect,
                    chain_role: Some(ChainRole::SubAgent),
                },
                verdict: Some(Verdict::Convicted),
                person: suspect,
                withheld: false,
                victim: VictimContext::default(),
            },
            ExchangePerson {
                id: "p-witness".into(),
                role: CaseRole {
                    role: PersonRole::Witness,
                    chain_role: None,
                },
                verdict: None,
                person: witness,
                withheld: false,
                victim: VictimContext::default(),
            },
            ExchangePerson {
                id: "P-7KQ2M".into(),
                role: CaseRole {
                    role: PersonRole::Victim,
                    chain_role: None,
                },
                verdict: None,
                person: withheld,
                withheld: true,
                victim: VictimContext {
                    country_of_exploitation: Some("OMN".into()),
                    ..Default::default()
                },
            },
        ],
        kept: vec![],
    }]
}

fn column<'a>(t: &'a HtcdsTable, row: usize, name: &str) -> &'a str {
    let i = t.headers.iter().position(|h| h == name).unwrap();
    &t.rows[row][i]
}

#[test]
fn the_round_trip_keeps_every_mapped_field_in_every_format() {
    let (r, m) = setup();
    let cases = sample_cases(&r);
    let table = htcds::to_table(&m, &r, &cases, today());
    assert_eq!(table.rows.len(), 4);
    assert_eq!(column(&table, 0, "prs_FirstName"), "Muhammad");
    assert_eq!(column(&table, 0, "prs_MiddleName"), "Asif");
    assert_eq!(column(&table, 0, "prs_LastName"), "Iqbal");
    assert_eq!(column(&table, 0, "prs_Citizenship"), "PK");
    assert_eq!(column(&table, 0, "prs_Gender"), "Masculine");
    assert_eq!(column(&table, 0, "vic_MethodsOfControlDebtBondage"), "Yes");
    assert_eq!(
        column(&table, 0, "vic_MethodsOfControlFalsePromises"),
        "Yes"
    );
    assert_eq!(column(&table, 0, "vic_MethodsOfControlThreats"), "");
    assert_eq!(
        column(&table, 0, "vic_MethodsOfControl"),
        "DebtBondage;FalsePromises;WithholdsDocuments"
    );
    assert_eq!(column(&table, 0, "vic_TypeOfExploitation"), "ForcedLabour");
    assert_eq!(
        column(&table, 0, "vic_TraffickingStatus"),
        "ActualVictimOfTrafficking"
    );
    assert_eq!(column(&table, 0, "vic_AgeWhenTrafficked"), "24");
    assert_eq!(column(&table, 0, "hte_Country"), "IR");
    assert_eq!(column(&table, 0, "hte_Type"), "Exploitation");
    assert_eq!(column(&table, 0, "cas_Status"), "FollowUp");
    assert_eq!(column(&table, 1, "per_RoleInProcess"), "BrokerTravelAgent");
    assert_eq!(column(&table, 3, "prs_FirstName"), "");
    assert_eq!(column(&table, 3, "nig_IdentityWithheld"), "Yes");

    for format in [FileFormat::Csv, FileFormat::Xlsx, FileFormat::Json] {
        let bytes = table.write(format, "htcds").unwrap();
        let name = format!("cases.{}", format.extension());
        let imported = htcds::read(&name, &bytes, &m, &r, today())
            .unwrap_or_else(|e| panic!("{format:?}: {e}"));
        assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
        assert_eq!(imported.cases.len(), 1);
        let got = &imported.cases[0];
        let want = &cases[0];
        assert_eq!(got.external_id, want.id);
        assert_eq!(got.number, want.number);
        assert_eq!(got.case, want.case, "{format:?}");
        assert_eq!(got.stage, want.stage);
        assert_eq!(got.persons.len(), 4);
        for (g, w) in got.persons.iter().zip(&want.persons) {
            assert_eq!(g.external_id, w.id);
            assert_eq!(g.role, w.role);
            assert_eq!(g.verdict, w.verdict);
            assert_eq!(g.withheld, w.withheld);
            assert_eq!(g.victim, w.victim, "{format:?} {}", w.id);
            if w.withheld {
                assert_eq!(g.person.name.roman.as_deref(), Some(model::WITHHELD_NAME));
                assert_eq!(g.person.sex, w.person.sex);
                assert_eq!(g.person.nationality_claimed, w.person.nationality_claimed);
            } else {
                assert_eq!(g.person, w.person, "{format:?} {}", w.id);
            }
        }
        // The sending organisation belongs to the sender: reported and kept, not lost.
        let org: Vec<&str> = imported
            .unmapped
            .iter()
            .map(|u| u.header.as_str())
            .collect();
        assert_eq!(org, ["org_Name", "org_Type"], "{format:?}");
        assert_eq!(got.kept.len(), 2);
    }
}

#[test]
fn an_htcds_table_round_trips_to_the_same_table() {
    // Export, import, export again: the same bytes but for the organisation, which becomes the
    // importer's.
    let (r, m) = setup();
    let cases = sample_cases(&r);
    let t1 = htcds::to_table(&m, &r, &cases, today());
    let bytes = t1.write(FileFormat::Csv, "htcds").unwrap();
    let imp = htcds::read("a.csv", &bytes, &m, &r, today()).unwrap();
    let again: Vec<ExchangeCase> = imp
        .cases
        .iter()
        .map(|c| ExchangeCase {
            id: c.external_id.clone(),
            number: c.number.clone(),
            agency_name: None,
            agency_kind: None,
            case: c.case.clone(),
            stage: c.stage,
            persons: c
                .persons
                .iter()
                .map(|p| {
                    let mut person = p.person.clone();
                    if p.withheld {
                        person.name.roman = None;
                    }
                    ExchangePerson {
                        id: p.external_id.clone(),
                        role: p.role,
                        verdict: p.verdict,
                        person,
                        withheld: p.withheld,
                        victim: p.victim.clone(),
                    }
                })
                .collect(),
            kept: c.kept.clone(),
        })
        .collect();
    let t2 = htcds::to_table(&m, &r, &again, today());
    assert_eq!(t1, t2);
}

#[test]
fn values_without_a_nigehban_field_are_reported_and_kept() {
    let (r, m) = setup();
    let csv = "cas_Id,nig_Title,nig_CrimeTypes,nig_Province,nig_District,nig_OffenceDate,cas_ReferringOrganisation,prs_Id,prs_FirstName,prs_LastName,prs_Gender,prs_Citizenship,prs_MaritalStatus,vic_TraffickingStatus,vic_TypeOfExploitation,vic_TypeOfLabourExploitation,vic_MethodsOfControlUsesChildren,vic_TypeOfSexExploitation,hte_Type,hte_Country,hte_City\n\
               C-1,Brick kiln,tip,PB,gujrat,2025-01-10,IOM Islamabad,X-1,Rukhsana,Bibi,Feminine,PK,Married,PossibleVictimOfTrafficking,ForcedLabour;ForcedMilitaryService,Manufacturing;Mining,Yes,Prostitution,Transit,TR,Van\n";
    let imp = htcds::read("ngo.csv", csv.as_bytes(), &m, &r, today()).unwrap();
    let c = &imp.cases[0];
    assert_eq!(c.persons[0].role.role, PersonRole::Victim);
    assert_eq!(
        c.case.exploitation_forms,
        [ExploitationForm::ForcedLabour].into_iter().collect()
    );
    assert_eq!(
        c.persons[0].victim.labour,
        [LabourSector::Manufacturing].into_iter().collect()
    );
    // A transit country is not the country of exploitation.
    assert_eq!(c.persons[0].victim.country_of_exploitation, None);
    let reported: BTreeMap<(String, String), UnmappedReason> = imp
        .unmapped
        .iter()
        .map(|u| ((u.header.clone(), u.value.clone()), u.reason))
        .collect();
    let expect = [
        (
            "cas_ReferringOrganisation",
            "IOM Islamabad",
            UnmappedReason::NoField,
        ),
        ("prs_MaritalStatus", "Married", UnmappedReason::NoField),
        (
            "vic_TypeOfExploitation",
            "ForcedMilitaryService",
            UnmappedReason::NoValue,
        ),
        (
            "vic_TypeOfLabourExploitation",
            "Mining",
            UnmappedReason::NoValue,
        ),
        (
            "vic_MethodsOfControlUsesChildren",
            "Yes",
            UnmappedReason::NoField,
        ),
        (
            "vic_TypeOfSexExploitation",
            "Prostitution",
            UnmappedReason::NoField,
        ),
        ("hte_Type", "Transit", UnmappedReason::NoValue),
        ("hte_Country", "TR", UnmappedReason::NoValue),
        ("hte_City", "Van", UnmappedReason::NoField),
    ];
    for (h, v, why) in expect {
        assert_eq!(
            reported.get(&(h.to_string(), v.to_string())),
            Some(&why),
            "{h}={v}: {reported:?}"
        );
    }
    assert_eq!(reported.len(), expect.len(), "{reported:?}");
    // Every reported value is kept with the case...
    for u in &imp.unmapped {
        assert!(
            c.kept
                .iter()
                .any(|k| k.column == u.header && k.value == u.value),
            "{u:?}"
        );
        assert_eq!(u.row, 2);
    }
    // ...and goes back into its column on export.
    let back = htcds::to_table(
        &m,
        &r,
        &[ExchangeCase {
            id: c.external_id.clone(),
            number: None,
            agency_name: None,
            agency_kind: None,
            case: c.case.clone(),
            stage: c.stage,
            persons: vec![ExchangePerson {
                id: "X-1".into(),
                role: c.persons[0].role,
                verdict: None,
                person: c.persons[0].person.clone(),
                withheld: false,
                victim: c.persons[0].victim.clone(),
            }],
            kept: c.kept.clone(),
        }],
        today(),
    );
    assert_eq!(column(&back, 0, "prs_MaritalStatus"), "Married");
    assert_eq!(column(&back, 0, "hte_City"), "Van");
    assert_eq!(
        column(&back, 0, "cas_ReferringOrganisation"),
        "IOM Islamabad"
    );
    assert_eq!(
        column(&back, 0, "vic_TypeOfLabourExploitation"),
        "Manufacturing;Mining"
    );
    assert_eq!(
        column(&back, 0, "vic_TypeOfExploitation"),
        "ForcedLabour;ForcedMilitaryService"
    );
}

#[test]
fn files_of_earlier_versions_are_read_through_aliases() {
    // The multi-select methods of control and the older names of the person's columns.
    let (r, m) = setup();
    let csv = "cas_Id,nig_Title,nig_CrimeTypes,nig_Province,nig_District,nig_OffenceDate,prs_Id,prs_First_Name,prs_SecondName,prs_Gender,prs_Nationality,vic_TraffickingStatus,vic_MethodsOfControl\n\
               C-1,Kiln,tip,PB,gujrat,2025-01-10,X-1,Rukhsana,Bibi,Female,PK,PossibleVictimOfTrafficking,DebtBondage;Threats;PsychoactiveSubstances\n";
    let imp = htcds::read("v1.csv", csv.as_bytes(), &m, &r, today()).unwrap();
    let p = &imp.cases[0].persons[0];
    assert_eq!(p.person.name.roman.as_deref(), Some("Rukhsana Bibi"));
    assert_eq!(p.person.nationality_claimed.as_deref(), Some("PAK"));
    assert_eq!(p.person.sex, Sex::Female);
    assert_eq!(
        p.victim.indicators,
        ["ilo_debt_bondage", "threat"]
            .iter()
            .map(|s| s.to_string())
            .collect()
    );
    assert_eq!(imp.unmapped.len(), 1);
    assert_eq!(imp.unmapped[0].value, "PsychoactiveSubstances");
    assert_eq!(imp.unmapped[0].header, "vic_MethodsOfControl");
    // Two headers for one field is a duplicate column.
    let e = htcds::read(
        "dup.csv",
        b"cas_Id,prs_Citizenship,prs_Nationality\nC-1,PK,PK\n",
        &m,
        &r,
        today(),
    )
    .unwrap_err();
    assert!(e
        .problems
        .iter()
        .any(|p| p.code == "sheet-htcds-duplicate-column" && p.column.as_deref() == Some("C")));
}

#[test]
fn bad_files_get_located_errors() {
    let (r, m) = setup();
    let read = |csv: &str| htcds::read("bad.csv", csv.as_bytes(), &m, &r, today()).unwrap_err();
    // An unexpected column and a missing key.
    let e = read("Name,prs_FirstName\nAli,Ali\n");
    let codes: Vec<(&str, Option<&str>)> = e
        .problems
        .iter()
        .map(|p| (p.code.as_str(), p.column.as_deref()))
        .collect();
    assert!(
        codes.contains(&("sheet-htcds-unexpected-column", Some("A"))),
        "{codes:?}"
    );
    assert!(
        codes.iter().any(|(c, _)| *c == "sheet-htcds-missing-key"),
        "{codes:?}"
    );
    // Invalid values, each at its row and column; a case missing what Nigehban needs.
    let e = read(
        "cas_Id,nig_Title,nig_CrimeTypes,nig_Province,nig_District,nig_OffenceDate,prs_Id,prs_FirstName,prs_Birthdate,nig_Role\n\
         C-1,T,tip,PB,gujrat,2025-01-10,A,Ali,2090-01-01,victim\n\
         C-2,,,PB,gujrat,2025-01-10,B,Ali,,boss\n",
    );
    let found: BTreeSet<(usize, String, String)> = e
        .problems
        .iter()
        .map(|p| {
            (
                p.row.unwrap_or(0),
                p.column.clone().unwrap_or_default(),
                p.code.clone(),
            )
        })
        .collect();
    for want in [
        (2, "I", "date-in-future"),
        (3, "B", "required"),
        (3, "C", "no-crime-type"),
        (3, "J", "unknown-code"),
    ] {
        assert!(
            found.contains(&(want.0, want.1.to_string(), want.2.to_string())),
            "{want:?} in {found:?}"
        );
    }
    // A case whose rows disagree.
    let e = read(
        "cas_Id,nig_Title,prs_Id,prs_FirstName,nig_Role\nC-1,One,A,Ali,victim\nC-1,Two,B,Asif,witness\n",
    );
    assert!(e
        .problems
        .iter()
        .any(|p| p.code == "sheet-htcds-case-differs" && p.row == Some(3)));
    // One person id described two ways.
    let e = read(
        "cas_Id,nig_Title,nig_CrimeTypes,nig_Province,nig_District,nig_OffenceDate,prs_Id,prs_FirstName,nig_Role\n\
         C-1,T,tip,PB,gujrat,2025-01-10,A,Ali,victim\n\
         C-2,T,tip,PB,gujrat,2025-01-10,A,Asif,victim\n",
    );
    assert!(
        e.problems
            .iter()
            .any(|p| p.code == "sheet-htcds-person-differs" && p.row == Some(3)),
        "{e}"
    );
    // A column the file lacks is named.
    let e = read("cas_Id,prs_Id,prs_FirstName\nC-1,A,Ali\n");
    assert!(e
        .problems
        .iter()
        .any(|p| p.code == "sheet-htcds-needs-column"
            && p.args.get("column").map(String::as_str) == Some("nig_Title")));
}

#[test]
fn a_workbook_with_other_sheets_is_refused() {
    let (r, m) = setup();
    let table = htcds::to_table(&m, &r, &sample_cases(&r), today());
    let one = table.write(FileFormat::Xlsx, "htcds").unwrap();
    assert!(htcds::read("ok.xlsx", &one, &m, &r, today()).is_ok());
    let mut wb = rust_xlsxwriter::Workbook::new();
    let s1 = wb.add_worksheet();
    s1.set_name("htcds").unwrap();
    for (c, h) in table.headers.iter().enumerate() {
        s1.write_string(0, c as u16, h).unwrap();
        s1.write_string(1, c as u16, &table.rows[0][c]).unwrap();
    }
    let s2 = wb.add_worksheet();
    s2.set_name("notes").unwrap();
    s2.write_string(0, 0, "remarks").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    let e = htcds::read("two.xlsx", &bytes, &m, &r, today()).unwrap_err();
    assert!(
        e.problems
            .iter()
            .any(|p| p.code == "sheet-htcds-unexpected-sheets"
                && p.args.get("others").map(String::as_str) == Some("notes")),
        "{e}"
    );
}

// ---------------------------------------------------------------------------------------------
// CTDC release
// ---------------------------------------------------------------------------------------------

fn layout() -> (ReferenceData, Layout) {
    let (r, m) = setup();
    let l = Layout::new(&m, &r);
    (r, l)
}

fn victim(sex: Sex, age: u32, citizenship: &str, country: &str) -> VictimRecord {
    VictimRecord {
        sex: Some(sex),
        age: Some(age),
        citizenship: Some(citizenship.into()),
        country_of_exploitation: Some(country.into()),
        indicators: ["ilo_debt_bondage".to_string()].into_iter().collect(),
        forms: [ExploitationForm::BondedLabour].into_iter().collect(),
        labour: [LabourSector::Manufacturing].into_iter().collect(),
        relation: Some(RecruiterRelation::Familial),
    }
}

/// Class sizes over the quasi-identifiers, computed here from the written cells.
fn smallest_class(t: &ctdc::CtdcTable) -> usize {
    let qi: Vec<usize> = QUASI_IDENTIFIERS
        .iter()
        .map(|q| t.headers.iter().position(|h| h == q).unwrap())
        .collect();
    let mut sizes: BTreeMap<Vec<&str>, usize> = BTreeMap::new();
    for row in &t.rows {
        *sizes
            .entry(qi.iter().map(|i| row[*i].as_str()).collect())
            .or_default() += 1;
    }
    sizes.values().copied().min().unwrap_or(usize::MAX)
}

#[test]
fn the_check_refuses_a_group_smaller_than_k_without_suppression() {
    let (r, l) = layout();
    let mut victims: Vec<VictimRecord> = (0..5)
        .map(|_| victim(Sex::Male, 30, "PAK", "IRN"))
        .collect();
    victims.push(victim(Sex::Female, 15, "BGD", "PAK"));
    match ctdc::anonymise(&l, &r, &victims, 5, false) {
        Err(PrivacyError::ClassTooSmall { size: 1, k: 5, .. }) => {}
        other => panic!("{other:?}"),
    }
    // The same data pass with suppression: the lone girl from Bangladesh is left out.
    let rel = ctdc::anonymise(&l, &r, &victims, 5, true).unwrap();
    assert_eq!(rel.checked.rows(), 5);
    assert_eq!(rel.suppression.records, 1);
    assert!(smallest_class(rel.checked.table()) >= 5);
    // k below 2 protects nobody.
    assert_eq!(
        ctdc::anonymise(&l, &r, &victims, 1, true).unwrap_err(),
        PrivacyError::KTooSmall { k: 1 }
    );
    // Too few victims for any group of k.
    assert!(matches!(
        ctdc::anonymise(&l, &r, &victims[..3], 5, true),
        Err(PrivacyError::NothingToRelease { k: 5 })
    ));
}

#[test]
fn suppression_sets_quasi_identifiers_to_unknown_before_leaving_rows_out() {
    let (r, l) = layout();
    // Five men of 30 exploited in Iran, of five citizenships: citizenship goes, the rest stays.
    let victims: Vec<VictimRecord> = ["PAK", "AFG", "BGD", "IND", "IRN"]
        .iter()
        .map(|c| victim(Sex::Male, 30, c, "IRN"))
        .collect();
    let rel = ctdc::anonymise(&l, &r, &victims, 5, true).unwrap();
    assert_eq!(rel.suppression.records, 0);
    assert_eq!(rel.suppression.cells.get(ctdc::CITIZENSHIP), Some(&5));
    assert_eq!(rel.suppression.cells_total(), 5);
    let t = rel.checked.table();
    let ci = t.headers.iter().position(|h| h == "citizenship").unwrap();
    let gi = t
        .headers
        .iter()
        .position(|h| h == "CountryOfExploitation")
        .unwrap();
    assert!(t
        .rows
        .iter()
        .all(|row| row[ci] == "unknown" && row[gi] == "IR"));
}

#[test]
fn random_data_always_pass_after_suppression_and_fail_before_exactly_when_a_group_is_small() {
    let (r, l) = layout();
    let sexes = [Sex::Male, Sex::Female, Sex::Transgender, Sex::Unknown];
    let countries = ["PAK", "AFG", "BGD", "IRN", "OMN", "TUR", "GRC"];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    for round in 0..300 {
        let n = rng.gen_range(0..60);
        let spread = rng.gen_range(1..=countries.len());
        let victims: Vec<VictimRecord> = (0..n)
            .map(|_| VictimRecord {
                sex: Some(sexes[rng.gen_range(0..sexes.len())]),
                age: if rng.gen_bool(0.9) {
                    Some(rng.gen_range(5..70))
                } else {
                    None
                },
                citizenship: Some(countries[rng.gen_range(0..spread)].into()),
                country_of_exploitation: if rng.gen_bool(0.5) {
                    Some(countries[rng.gen_range(0..spread)].into())
                } else {
                    None
                },
                ..Default::default()
            })
            .collect();
        let k = rng.gen_range(2..8);
        let raw = ctdc::table(&l, &r, &victims);
        let small = !raw.rows.is_empty() && smallest_class(&raw) < k;
        // Without suppression the release is refused exactly when some group is below k.
        match ctdc::anonymise(&l, &r, &victims, k, false) {
            Ok(rel) => {
                assert!(!small, "round {round}: a small group passed");
                assert!(smallest_class(rel.checked.table()) >= k || rel.checked.rows() == 0);
            }
            Err(PrivacyError::ClassTooSmall { size, .. }) => {
                assert!(small && size < k, "round {round}")
            }
            Err(e) => panic!("round {round}: {e}"),
        }
        // With suppression it passes (or refuses to release nothing), every group at least k.
        match ctdc::anonymise(&l, &r, &victims, k, true) {
            Ok(rel) => {
                let t = rel.checked.table();
                assert!(t.rows.is_empty() || smallest_class(t) >= k, "round {round}");
                assert_eq!(t.rows.len() + rel.suppression.records, victims.len());
            }
            Err(PrivacyError::NothingToRelease { .. }) => assert!(n < k || small),
            Err(e) => panic!("round {round}: {e}"),
        }
    }
}

#[test]
fn the_check_refuses_a_tampered_table() {
    let (r, l) = layout();
    let victims: Vec<VictimRecord> = (0..6)
        .map(|_| victim(Sex::Female, 22, "PAK", "ARE"))
        .collect();
    let good = ctdc::table(&l, &r, &victims);
    assert!(ctdc::check(&l, good.clone(), 5).is_ok());
    assert!(matches!(
        ctdc::check(&l, good.clone(), 7),
        Err(PrivacyError::ClassTooSmall { size: 6, .. })
    ));
    assert!(matches!(
        ctdc::check(&l, good.clone(), 1),
        Err(PrivacyError::KTooSmall { .. })
    ));
    // One row made unique.
    let mut t = good.clone();
    t.rows[0][1] = "48+".into();
    assert!(matches!(
        ctdc::check(&l, t, 5),
        Err(PrivacyError::ClassTooSmall { size: 1, .. })
    ));
    // An identifier in any cell: a name, a CNIC, a date of birth, a case number.
    for (col, value) in [
        (0, "Rukhsana Bibi"),
        (2, "34201-1234567-1"),
        (1, "2001-04-03"),
        (5, "FIA-AHTC-LHE-2026-000123"),
        (good.headers.len() - 1, "her uncle Aslam"),
    ] {
        let mut t = good.clone();
        for row in t.rows.iter_mut() {
            row[col] = value.into();
        }
        assert!(
            matches!(
                ctdc::check(&l, t, 5),
                Err(PrivacyError::ValueNotAllowed { .. })
            ),
            "{value}"
        );
    }
    // An extra column.
    let mut t = good.clone();
    t.headers.push("name".into());
    for row in t.rows.iter_mut() {
        row.push("x".into());
    }
    assert!(matches!(
        ctdc::check(&l, t, 5),
        Err(PrivacyError::UnexpectedColumn { .. })
    ));
    // A missing quasi-identifier column.
    let mut t = good;
    t.headers.remove(0);
    for row in t.rows.iter_mut() {
        row.remove(0);
    }
    assert!(matches!(
        ctdc::check(&l, t, 5),
        Err(PrivacyError::UnexpectedColumn { .. })
    ));
}

#[test]
fn the_release_carries_only_ctdc_vocabulary() {
    let (r, l) = layout();
    let victims: Vec<VictimRecord> = (0..5)
        .map(|_| victim(Sex::Male, 16, "PAK", "PAK"))
        .collect();
    let rel = ctdc::anonymise(&l, &r, &victims, 5, true).unwrap();
    let csv = String::from_utf8(rel.checked.write(FileFormat::Csv).unwrap()).unwrap();
    let mut lines = csv.lines();
    let header = lines.next().unwrap().trim_start_matches('\u{feff}');
    assert!(header.starts_with(
        "gender,ageBroad,citizenship,CountryOfExploitation,meansOfControlDebtBondage"
    ));
    let first = lines.next().unwrap();
    assert!(first.starts_with("Male,9--17,PK,PK,1,"), "{first}");
    assert!(first.ends_with(",Family"), "{first}");
}

#[test]
fn every_problem_and_refusal_has_words_in_english_and_urdu() {
    let catalog = nigehban_i18n::Catalog::embedded().unwrap();
    let codes = [
        "sheet-htcds-unexpected-sheets",
        "sheet-htcds-unexpected-column",
        "sheet-htcds-duplicate-column",
        "sheet-htcds-missing-key",
        "sheet-htcds-needs-column",
        "sheet-htcds-case-differs",
        "sheet-htcds-person-differs",
        "sheet-htcds-derived-differs",
        UnmappedReason::NoField.message_id(),
        UnmappedReason::NoValue.message_id(),
    ];
    let refusals = [
        PrivacyError::KTooSmall { k: 1 },
        PrivacyError::ClassTooSmall {
            size: 1,
            k: 5,
            class: String::new(),
        },
        PrivacyError::UnexpectedColumn {
            column: String::new(),
        },
        PrivacyError::ValueNotAllowed {
            row: 2,
            column: String::new(),
        },
        PrivacyError::RaggedRow {
            row: 2,
            found: 1,
            expected: 2,
        },
        PrivacyError::NothingToRelease { k: 5 },
    ];
    for lang in nigehban_i18n::Lang::ALL {
        for code in codes
            .iter()
            .copied()
            .chain(refusals.iter().map(|r| r.message_id()))
        {
            assert!(catalog.has(lang, code), "{code} ({lang:?})");
        }
    }
}
