//! The demo's smuggling network out of Gujrat: a main agent on the most-wanted book, his
//! sub-agent recorded twice by two districts under other spellings (a likely duplicate for the
//! analysts' queue), a transporter in Quetta and a hawaladar, and a "new" name who uses the
//! sub-agent's phone and the transporter's vehicle (alerts in the agent register). Everything is
//! written through the application, as officers would, so linkage and alerts run as they do in
//! service.

use anyhow::anyhow;
use nigehban_core::service::PersonRef;
use nigehban_core::Nigehban;
use nigehban_domain::case::CaseInput;
use nigehban_domain::person::PersonInput;

fn person(name: &str, parentage: Option<&str>, sex: &str) -> PersonInput {
    PersonInput {
        name_roman: Some(name.into()),
        parentage_relation: parentage.map(|_| {
            if sex == "female" {
                "daughter_of".into()
            } else {
                "son_of".into()
            }
        }),
        parentage_roman: parentage.map(str::to_string),
        sex: Some(sex.into()),
        nationality_claimed: Some("PAK".into()),
        ..Default::default()
    }
}

fn case(title: &str, crime: &str, provision: &str, district: &str, date: &str) -> CaseInput {
    CaseInput {
        title: Some(title.into()),
        crime_types: vec![crime.into()],
        exploitation_forms: if crime == "tip" {
            vec!["forced_labour".into()]
        } else {
            Vec::new()
        },
        provisions: vec![provision.into()],
        province: Some("PB".into()),
        district: Some(district.into()),
        offence_date: Some(date.into()),
        narrative: None,
    }
}

pub async fn load(app: &Nigehban) -> anyhow::Result<()> {
    let err = |e: nigehban_core::CoreError| anyhow!("loading the demo network: {e}");
    let inv = app.cli_actor("inv.gujrat").await.map_err(err)?;
    let add = |case_id, p: PersonInput, role: &'static str, chain: Option<&'static str>| {
        let inv = inv.clone();
        async move {
            app.add_person_to_case(
                &inv,
                case_id,
                PersonRef::New(Box::new(p)),
                Some(role),
                chain,
            )
            .await
        }
    };

    let route = app
        .register_case(
            &inv,
            &CaseInput {
                narrative: Some(
                    "Eleven young men from Gujrat and Mandi Bahauddin were taken by road to Quetta \
                     and across at Taftan for Turkey, for 12 lakh each paid through a hawaladar. \
                     Intercepted at Mashkel; the transporter's van was seized."
                        .into(),
                ),
                ..case(
                    "Gujrat–Quetta–Taftan: young men smuggled towards Turkey",
                    "som",
                    "PSMA-2018-S3",
                    "gujrat",
                    "2026-02-14",
                )
            },
        )
        .await
        .map_err(err)?;
    add(
        route.id,
        PersonInput {
            date_of_birth: Some("1968-07-01".into()),
            phone: Some("0300-6243117".into()),
            bank_account: Some("PK36SCBL0000001123456702".into()),
            address: Some("House 14, Street 3, Mohalla Shah Jahangir, Gujrat".into()),
            origin_district: Some("gujrat".into()),
            ..person("Haji Abdul Sattar Butt", Some("Muhammad Din"), "male")
        },
        "suspect",
        Some("main_agent"),
    )
    .await
    .map_err(err)?;
    add(
        route.id,
        PersonInput {
            name_urdu: Some("محمد آصف بٹ".into()),
            date_of_birth: Some("1985-04-12".into()),
            phone: Some("0301-7654321".into()),
            hawala_account: Some("Rafiq Exchange 4471".into()),
            origin_district: Some("gujrat".into()),
            ..person("Muhammad Asif Butt", Some("Ghulam Rasool"), "male")
        },
        "suspect",
        Some("sub_agent"),
    )
    .await
    .map_err(err)?;
    add(
        route.id,
        PersonInput {
            phone: Some("0333-8123456".into()),
            vehicle: Some("QAB-07-5512".into()),
            origin_district: Some("quetta".into()),
            ..person("Abdul Ghaffar Baloch", Some("Dost Muhammad"), "male")
        },
        "suspect",
        Some("transporter"),
    )
    .await
    .map_err(err)?;
    for (name, father, age) in [
        ("Usman Ali", "Muhammad Sadiq", "19"),
        ("Bilal Ahmed", "Ghulam Mustafa", "22"),
    ] {
        add(
            route.id,
            PersonInput {
                estimated_age: Some(age.into()),
                origin_district: Some("gujrat".into()),
                ..person(name, Some(father), "male")
            },
            "smuggled_migrant",
            None,
        )
        .await
        .map_err(err)?;
    }
    add(
        route.id,
        PersonInput {
            estimated_age: Some("17".into()),
            origin_district: Some("gujrat".into()),
            ..person("Hamza Iqbal", Some("Muhammad Iqbal"), "male")
        },
        "victim",
        None,
    )
    .await
    .map_err(err)?;

    // Another circle's file names the sub-agent again, spelt its own way, with the day and the
    // month of his birth swapped.
    let ransom = app
        .register_case(
            &inv,
            &CaseInput {
                narrative: Some(
                    "Families in Gujranwala paid ransom through a hawala shop after their sons, \
                     sent for work in Turkey, were held in Iran."
                        .into(),
                ),
                ..case(
                    "Migrants held for ransom in Iran; families paid through hawala",
                    "tip",
                    "PTPA-2018-S3",
                    "gujranwala",
                    "2026-05-02",
                )
            },
        )
        .await
        .map_err(err)?;
    add(
        ransom.id,
        PersonInput {
            date_of_birth: Some("1985-12-04".into()),
            ..person("Mohd. Asif Butt", Some("Gh. Rasool"), "male")
        },
        "suspect",
        Some("recruiter"),
    )
    .await
    .map_err(err)?;
    add(
        ransom.id,
        PersonInput {
            hawala_account: Some("RAFIQ EXCHANGE / 4471".into()),
            origin_district: Some("gujranwala".into()),
            ..person("Rafiq Ahmed", Some("Bashir Ahmed"), "male")
        },
        "suspect",
        Some("financial_agent"),
    )
    .await
    .map_err(err)?;
    add(
        ransom.id,
        PersonInput {
            estimated_age: Some("24".into()),
            origin_district: Some("gujranwala".into()),
            ..person("Zeeshan Haider", Some("Haider Ali"), "male")
        },
        "victim",
        None,
    )
    .await
    .map_err(err)?;
    // A name with no record, named by the families as the man who took the payments: on the
    // sub-agent's phone and in the transporter's van.
    add(
        ransom.id,
        PersonInput {
            phone: Some("+92 301 7654321".into()),
            vehicle: Some("QAB 07 5512".into()),
            ..person("Nadeem Akhtar", Some("Akhtar Hussain"), "male")
        },
        "suspect",
        Some("facilitator"),
    )
    .await
    .map_err(err)?;

    // The main agent is in the most-wanted book.
    app.add_person_to_watchlist(
        &inv,
        "most_wanted",
        "Red Book 2025, 3rd edition",
        &PersonInput {
            cnic: Some("34201-5524781-3".into()),
            ..person("Abdul Sattar Butt", Some("Muhammad Din"), "male")
        },
        Some("RB-2025/117".into()),
        Some("Smuggling of migrants, s. 3 PSMA 2018".into()),
    )
    .await
    .map_err(err)?;

    // The analysts' first sweep over the agency's records, trained on them.
    let analyst = app.cli_actor("analyst").await.map_err(err)?;
    app.sweep_duplicates(&analyst, &|_, _| {})
        .await
        .map_err(err)?;
    Ok(())
}
