//! View models: what a page shows, already translated and formatted, so templates stay simple.

use crate::ctx::{urlencode, Tr};
use nigehban_core::policy::{authorize, Action};
use nigehban_core::service::{CaseView as CoreCaseView, PersonView as CorePersonView};
use nigehban_core::store::{CaseSummary, PersonSummary};
use nigehban_core::Actor;
use nigehban_domain::crime::{CrimeType, ExploitationForm};
use nigehban_domain::error::ValidationErrors;
use nigehban_domain::names::ParentageRelation;
use nigehban_domain::person::{AgeInfo, ChainRole, PersonRole, Sex};
use nigehban_domain::reference::ReferenceData;
use nigehban_domain::stage::{CaseStage, Verdict};
use std::collections::BTreeSet;

/// The frame around every page: language, direction, menu, user.
pub struct Chrome {
    pub tr: Tr,
    pub title: String,
    pub user: Option<String>,
    pub csrf: String,
    pub lang_url: String,
    pub nav_cases: bool,
    pub nav_register: bool,
    pub nav_audit: bool,
    pub nav_users: bool,
    pub nav_intake: bool,
    pub nav_watchlist: bool,
    pub nav_duplicates: bool,
    pub nav_agents: bool,
    pub nav_statistics: bool,
    /// Victim protection: files, referrals (either side), the directory, measures.
    pub nav_victims: bool,
    pub nav_referrals: bool,
    pub nav_services: bool,
    pub nav_measures: bool,
    pub nav_exchange: bool,
    pub nav_assessments: bool,
    pub flash: Option<String>,
}

impl Chrome {
    pub fn new(tr: &Tr, title: String, path: &str, actor: Option<&Actor>, csrf: &str) -> Chrome {
        let other = match tr.lang {
            nigehban_i18n::Lang::En => "ur",
            nigehban_i18n::Lang::Ur => "en",
        };
        let user = actor.map(|a| {
            tr.ta(
                "nav-signed-in-as",
                &[
                    ("name", a.display_name.clone()),
                    ("role", tr.code("user-role", a.role.as_str())),
                    ("unit", a.unit_code.clone()),
                ],
            )
        });
        Chrome {
            tr: tr.clone(),
            title,
            user,
            csrf: csrf.to_string(),
            lang_url: format!("/lang?to={other}&next={}", urlencode(path)),
            nav_cases: actor.is_some_and(|a| authorize(a, Action::ViewCases).is_ok()),
            nav_register: actor.is_some_and(|a| authorize(a, Action::RegisterCase).is_ok()),
            nav_audit: actor.is_some_and(|a| authorize(a, Action::ReadAudit).is_ok()),
            nav_users: actor.is_some_and(|a| authorize(a, Action::ManageUsers).is_ok()),
            nav_intake: actor.is_some_and(|a| authorize(a, Action::Intake).is_ok()),
            nav_watchlist: actor.is_some_and(|a| authorize(a, Action::ViewWatchlist).is_ok()),
            nav_duplicates: actor.is_some_and(|a| authorize(a, Action::ReviewDuplicates).is_ok()),
            nav_agents: actor.is_some_and(|a| authorize(a, Action::ViewAgents).is_ok()),
            nav_statistics: actor.is_some_and(|a| authorize(a, Action::ViewStatistics).is_ok()),
            nav_victims: actor.is_some_and(|a| authorize(a, Action::ProtectVictims).is_ok()),
            nav_referrals: actor.is_some_and(|a| {
                authorize(a, Action::ProtectVictims).is_ok()
                    || authorize(a, Action::RespondToReferrals).is_ok()
            }),
            nav_services: actor.is_some_and(|a| authorize(a, Action::ViewDirectory).is_ok()),
            nav_measures: actor.is_some_and(|a| authorize(a, Action::ViewMeasures).is_ok()),
            nav_exchange: actor.is_some_and(|a| {
                authorize(a, Action::ExchangeCases).is_ok()
                    || authorize(a, Action::ReleaseAnonymised).is_ok()
            }),
            nav_assessments: actor.is_some_and(|a| authorize(a, Action::ViewAssessments).is_ok()),
            flash: None,
        }
    }
    pub fn t(&self, key: &str) -> String {
        self.tr.t(key)
    }
    pub fn lang(&self) -> &'static str {
        self.tr.lang.code()
    }
    pub fn dir(&self) -> &'static str {
        self.tr.lang.dir()
    }
}

/// One choice of a select, checkbox group or radio group.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub on: bool,
    /// Extra grouping key used by the enhancing script (e.g. a district's province).
    pub group: String,
}

pub fn choices<T: Copy>(
    all: &[T],
    code: impl Fn(T) -> &'static str,
    prefix: &str,
    tr: &Tr,
    on: &dyn Fn(&str) -> bool,
) -> Vec<Choice> {
    all.iter()
        .map(|v| {
            let c = code(*v);
            Choice {
                value: c.to_string(),
                label: tr.code(prefix, c),
                on: on(c),
                group: String::new(),
            }
        })
        .collect()
}

pub struct ErrorItem {
    pub field: String,
    pub label: String,
    pub message: String,
}

pub fn error_items(tr: &Tr, errs: &ValidationErrors) -> Vec<ErrorItem> {
    errs.iter()
        .map(|e| {
            let base = e.field.rsplit('.').next().unwrap_or(&e.field);
            ErrorItem {
                field: base.to_string(),
                label: tr.t(&format!("field-{base}")),
                message: tr.ta(
                    &format!("problem-{}", e.problem.code()),
                    &localise_args(tr, &e.problem.args()),
                ),
            }
        })
        .collect()
}

/// Stage codes in messages become their labels.
fn localise_args(tr: &Tr, args: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    args.iter()
        .map(|(k, v)| match *k {
            "from" | "to" if CaseStage::parse(v).is_some() => (*k, tr.code("stage", v)),
            // The other field a date must follow, by its label.
            "other" if v.ends_with("_date") => (*k, tr.t(&format!("field-{v}"))),
            _ => (*k, v.clone()),
        })
        .collect()
}

pub fn field_error(errors: &[ErrorItem], field: &str) -> String {
    errors
        .iter()
        .filter(|e| e.field == field)
        .map(|e| e.message.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

pub struct CaseRow {
    pub id: String,
    pub number: String,
    pub title: String,
    pub crime_types: String,
    pub stage: String,
    pub district: String,
    pub offence_date: String,
    pub unit: String,
}

pub fn district_label(tr: &Tr, refdata: &ReferenceData, code: &str) -> String {
    refdata
        .district(code)
        .map(|d| {
            if tr.urdu() {
                d.name_ur.clone()
            } else {
                d.name_en.clone()
            }
        })
        .unwrap_or_else(|| code.to_string())
}

pub fn province_label(tr: &Tr, refdata: &ReferenceData, code: &str) -> String {
    refdata
        .province(code)
        .map(|d| {
            if tr.urdu() {
                d.name_ur.clone()
            } else {
                d.name_en.clone()
            }
        })
        .unwrap_or_else(|| code.to_string())
}

pub fn country_label(tr: &Tr, refdata: &ReferenceData, code: &str) -> String {
    refdata
        .country(code)
        .map(|c| {
            if tr.urdu() {
                c.name_ur.clone()
            } else {
                c.name_en.clone()
            }
        })
        .unwrap_or_else(|| code.to_string())
}

pub fn case_rows(tr: &Tr, refdata: &ReferenceData, list: &[CaseSummary]) -> Vec<CaseRow> {
    list.iter()
        .map(|c| CaseRow {
            id: c.id.to_string(),
            number: c.number.to_string(),
            title: c.title.clone(),
            crime_types: c
                .crime_types
                .iter()
                .map(|t| tr.code("crime", t))
                .collect::<Vec<_>>()
                .join(", "),
            stage: tr.code("stage", c.stage.as_str()),
            district: district_label(tr, refdata, &c.district),
            offence_date: c.offence_date.to_string(),
            unit: c.unit_code.clone(),
        })
        .collect()
}

pub struct PersonRow {
    pub id: String,
    pub name_roman: String,
    pub name_urdu: String,
    pub parentage: String,
    pub sex: String,
    pub origin: String,
    pub protected: bool,
}

fn parentage_text(
    tr: &Tr,
    relation: Option<&str>,
    roman: Option<&str>,
    urdu: Option<&str>,
) -> String {
    let name = match (roman, urdu, tr.urdu()) {
        (_, Some(u), true) => u,
        (Some(r), _, _) => r,
        (None, Some(u), _) => u,
        (None, None, _) => return String::new(),
    };
    match relation.and_then(ParentageRelation::parse) {
        Some(r) => format!("{} {name}", tr.code("relation", r.as_str())),
        None => name.to_string(),
    }
}

pub fn person_rows(tr: &Tr, refdata: &ReferenceData, list: &[PersonSummary]) -> Vec<PersonRow> {
    list.iter()
        .map(|p| PersonRow {
            id: p.id.to_string(),
            name_roman: p.name_roman.clone().unwrap_or_default(),
            name_urdu: p.name_urdu.clone().unwrap_or_default(),
            parentage: parentage_text(
                tr,
                p.parentage_relation.as_deref(),
                p.parentage_roman.as_deref(),
                p.parentage_urdu.as_deref(),
            ),
            sex: tr.code("sex", &p.sex),
            origin: p
                .origin_district
                .as_deref()
                .map(|d| district_label(tr, refdata, d))
                .unwrap_or_default(),
            protected: p.protected,
        })
        .collect()
}

/// A provision as a checkbox in the case form, with the data the enhancing script filters on.
pub struct ProvisionChoice {
    pub code: String,
    pub label: String,
    pub penalty: String,
    pub on: bool,
    pub crime_types: String,
    pub from: String,
    pub to: String,
    pub unverified: bool,
    /// Shown without JavaScript: applies to the chosen crime types and date.
    pub matches: bool,
}

pub fn provision_choices(
    tr: &Tr,
    refdata: &ReferenceData,
    crime_types: &BTreeSet<CrimeType>,
    date: Option<chrono::NaiveDate>,
    chosen: &[String],
) -> Vec<ProvisionChoice> {
    let matching: BTreeSet<&str> = refdata
        .provisions_for(crime_types, date)
        .iter()
        .map(|p| p.code.as_str())
        .collect();
    refdata
        .provisions
        .iter()
        .map(|p| {
            let act = refdata
                .act(&p.act)
                .map(|a| {
                    if tr.urdu() {
                        a.title_ur.clone()
                    } else {
                        a.short_en.clone()
                    }
                })
                .unwrap_or_default();
            ProvisionChoice {
                code: p.code.clone(),
                label: format!(
                    "{act} s.{} — {}",
                    p.section,
                    if tr.urdu() {
                        &p.offence_ur
                    } else {
                        &p.offence_en
                    }
                ),
                penalty: if tr.urdu() {
                    p.penalty_ur.clone()
                } else {
                    p.penalty_en.clone()
                },
                on: chosen.contains(&p.code),
                crime_types: p
                    .crime_types
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                from: p.valid_from.to_string(),
                to: p.valid_to.map(|d| d.to_string()).unwrap_or_default(),
                unverified: !p.verified,
                matches: !crime_types.is_empty()
                    && date.is_some()
                    && matching.contains(p.code.as_str()),
            }
        })
        .collect()
}

pub fn province_choices(tr: &Tr, refdata: &ReferenceData, chosen: &str) -> Vec<Choice> {
    refdata
        .provinces
        .iter()
        .map(|p| Choice {
            value: p.code.clone(),
            label: if tr.urdu() {
                p.name_ur.clone()
            } else {
                p.name_en.clone()
            },
            on: p.code == chosen,
            group: String::new(),
        })
        .collect()
}

pub fn district_choices(tr: &Tr, refdata: &ReferenceData, chosen: &str) -> Vec<Choice> {
    let mut list: Vec<Choice> = refdata
        .districts
        .iter()
        .map(|d| Choice {
            value: d.code.clone(),
            label: format!(
                "{} ({})",
                if tr.urdu() { &d.name_ur } else { &d.name_en },
                province_label(tr, refdata, &d.province)
            ),
            on: d.code == chosen,
            group: d.province.clone(),
        })
        .collect();
    list.sort_by(|a, b| a.label.cmp(&b.label));
    list
}

pub fn country_choices(tr: &Tr, refdata: &ReferenceData, chosen: &str) -> Vec<Choice> {
    let mut list: Vec<Choice> = refdata
        .countries
        .iter()
        .map(|c| Choice {
            value: c.alpha3.clone(),
            label: format!(
                "{} ({})",
                if tr.urdu() { &c.name_ur } else { &c.name_en },
                c.alpha3
            ),
            on: c.alpha3 == chosen,
            group: String::new(),
        })
        .collect();
    // Pakistan and the countries most seen in these cases first.
    const FIRST: [&str; 8] = ["PAK", "AFG", "IRN", "BGD", "IND", "OMN", "ARE", "TUR"];
    list.sort_by_key(|c| {
        (
            FIRST
                .iter()
                .position(|f| *f == c.value)
                .unwrap_or(FIRST.len()),
            c.label.clone(),
        )
    });
    list
}

pub fn crime_choices(tr: &Tr, chosen: &[String]) -> Vec<Choice> {
    choices(CrimeType::ALL, CrimeType::as_str, "crime", tr, &|c| {
        chosen.iter().any(|x| x == c)
    })
}

pub fn exploitation_choices(tr: &Tr, chosen: &[String]) -> Vec<Choice> {
    choices(
        ExploitationForm::ALL,
        ExploitationForm::as_str,
        "exploit",
        tr,
        &|c| chosen.iter().any(|x| x == c),
    )
}

pub fn role_choices(tr: &Tr, chosen: &str) -> Vec<Choice> {
    choices(PersonRole::ALL, PersonRole::as_str, "role", tr, &|c| {
        c == chosen
    })
}

pub fn chain_choices(tr: &Tr, chosen: &str) -> Vec<Choice> {
    choices(ChainRole::ALL, ChainRole::as_str, "chain", tr, &|c| {
        c == chosen
    })
}

pub fn sex_choices(tr: &Tr, chosen: &str) -> Vec<Choice> {
    choices(Sex::ALL, Sex::as_str, "sex", tr, &|c| c == chosen)
}

pub fn relation_choices(tr: &Tr, chosen: &str) -> Vec<Choice> {
    choices(
        &ParentageRelation::ALL,
        ParentageRelation::as_str,
        "relation",
        tr,
        &|c| c == chosen,
    )
}

pub struct CasePersonRow {
    pub id: String,
    pub name_roman: String,
    pub name_urdu: String,
    pub role: String,
    pub chain: String,
    pub sex: String,
    pub verdict: String,
    pub protected: bool,
    pub pseudonymised: bool,
}

pub struct HistoryRow {
    pub from: String,
    pub to: String,
    pub date: String,
    pub reference: String,
    pub note: String,
    pub by: String,
}

pub struct Suspect {
    pub id: String,
    pub name: String,
    /// The "Verdict for ..." label around the name.
    pub label: (String, String),
    pub verdicts: Vec<Choice>,
}

/// Everything the case page shows.
pub struct CaseView {
    /// The "Case ..." heading around the number.
    pub heading: (String, String),
    pub id: String,
    pub number: String,
    pub title: String,
    pub stage: String,
    pub stage_code: String,
    pub crime_types: String,
    pub exploitation: String,
    pub provisions: Vec<String>,
    pub place: String,
    pub offence_date: String,
    pub narrative: String,
    pub unit: String,
    pub created_by: String,
    pub created: String,
    pub persons: Vec<CasePersonRow>,
    pub history: Vec<HistoryRow>,
    pub next: Vec<Choice>,
    pub judgment_possible: bool,
    pub suspects: Vec<Suspect>,
    pub can_move: bool,
    pub can_add_person: bool,
    pub can_share: bool,
    pub can_assign: bool,
    pub can_seal: bool,
    /// Shared with the viewer as a summary: persons withheld.
    pub summary_only: bool,
    pub deidentified: bool,
    pub shares: Vec<ShareRow>,
    pub share_units: Vec<Choice>,
    pub share_agencies: Vec<Choice>,
}

pub struct ShareRow {
    pub id: String,
    pub to: String,
    pub parts: String,
    pub reason: String,
    pub until: String,
    pub status: String,
    pub active: bool,
}

pub fn case_view(
    tr: &Tr,
    refdata: &ReferenceData,
    cv: &CoreCaseView,
    actor: &Actor,
    units: &[nigehban_domain::org::Unit],
) -> CaseView {
    let d = &cv.detail;
    let s = &d.summary;
    let now = chrono::Utc::now();
    let next: Vec<Choice> = refdata
        .next_stages(s.stage)
        .iter()
        .map(|st| Choice {
            value: st.as_str().into(),
            label: tr.code("stage", st.as_str()),
            on: false,
            group: String::new(),
        })
        .collect();
    let suspects = d
        .persons
        .iter()
        .filter(|p| p.role.role == PersonRole::Suspect)
        .map(|p| Suspect {
            label: tr.around("case-verdict-for", "name"),
            id: p.person_id.to_string(),
            name: p
                .name_roman
                .clone()
                .or(p.name_urdu.clone())
                .unwrap_or_default(),
            verdicts: choices(Verdict::ALL, Verdict::as_str, "verdict", tr, &|_| false),
        })
        .collect();
    CaseView {
        heading: tr.around("case-heading", "number"),
        id: s.id.to_string(),
        number: s.number.to_string(),
        title: s.title.clone(),
        stage: tr.code("stage", s.stage.as_str()),
        stage_code: s.stage.as_str().to_string(),
        crime_types: s
            .crime_types
            .iter()
            .map(|t| tr.code("crime", t))
            .collect::<Vec<_>>()
            .join(", "),
        exploitation: d
            .exploitation_forms
            .iter()
            .map(|t| tr.code("exploit", t))
            .collect::<Vec<_>>()
            .join(", "),
        provisions: d
            .provisions
            .iter()
            .map(|code| match refdata.provision(code) {
                Some(p) => {
                    let act = refdata
                        .act(&p.act)
                        .map(|a| {
                            if tr.urdu() {
                                a.title_ur.clone()
                            } else {
                                a.short_en.clone()
                            }
                        })
                        .unwrap_or_default();
                    format!(
                        "{act} s.{} — {}",
                        p.section,
                        if tr.urdu() {
                            &p.offence_ur
                        } else {
                            &p.offence_en
                        }
                    )
                }
                None => code.clone(),
            })
            .collect(),
        place: format!(
            "{}, {}",
            district_label(tr, refdata, &s.district),
            province_label(tr, refdata, &s.province)
        ),
        offence_date: s.offence_date.to_string(),
        narrative: d.narrative.clone().unwrap_or_default(),
        unit: s.unit_code.clone(),
        created_by: d.created_by.clone(),
        created: s.created_at.format("%Y-%m-%d %H:%M").to_string(),
        persons: d
            .persons
            .iter()
            .map(|p| CasePersonRow {
                id: p.person_id.to_string(),
                name_roman: p.name_roman.clone().unwrap_or_default(),
                name_urdu: p.name_urdu.clone().unwrap_or_default(),
                role: tr.code("role", p.role.role.as_str()),
                chain: p
                    .role
                    .chain_role
                    .map(|c| tr.code("chain", c.as_str()))
                    .unwrap_or_default(),
                sex: tr.code("sex", &p.sex),
                verdict: p
                    .verdict
                    .map(|v| tr.code("verdict", v.as_str()))
                    .unwrap_or_default(),
                protected: p.role.role.is_protected(),
                pseudonymised: p.pseudonymised,
            })
            .collect(),
        history: d
            .history
            .iter()
            .map(|h| HistoryRow {
                from: h
                    .from
                    .map(|f| tr.code("stage", f.as_str()))
                    .unwrap_or_default(),
                to: tr.code("stage", h.to.as_str()),
                date: h.occurred_on.to_string(),
                reference: h.reference.clone().unwrap_or_default(),
                note: h.note.clone().unwrap_or_default(),
                by: h.by_user.clone(),
            })
            .collect(),
        judgment_possible: refdata.transition_allowed(s.stage, CaseStage::Judgment),
        next,
        suspects,
        can_move: cv.access.mov && authorize(actor, Action::MoveCaseStage).is_ok(),
        can_add_person: cv.access.work && authorize(actor, Action::AddPersonToCase).is_ok(),
        can_share: cv.access.own && authorize(actor, Action::ShareCase).is_ok(),
        can_assign: cv.access.own && authorize(actor, Action::AssignCase).is_ok(),
        can_seal: cv.access.own && authorize(actor, Action::SealRecord).is_ok(),
        summary_only: !cv.access.persons,
        deidentified: cv.access.deidentified,
        shares: cv
            .shares
            .iter()
            .map(|sh| {
                let active = sh.active(now);
                ShareRow {
                    id: sh.id.clone(),
                    to: sh
                        .to_unit_code
                        .clone()
                        .or(sh.to_agency.clone())
                        .unwrap_or_default(),
                    parts: tr.code("parts", sh.parts.as_str()),
                    reason: sh.reason.clone(),
                    until: sh.expires_at.format("%Y-%m-%d").to_string(),
                    status: match (&sh.revoked_by, active) {
                        (Some(by), _) => tr.ta("share-revoked", &[("by", by.clone())]),
                        (None, true) => tr.t("share-active"),
                        (None, false) => tr.t("share-expired"),
                    },
                    active,
                }
            })
            .collect(),
        share_units: units
            .iter()
            .filter(|u| u.id != actor.unit_id)
            .map(|u| Choice {
                value: u.code.clone(),
                label: format!(
                    "{} ({})",
                    if tr.urdu() { &u.name_ur } else { &u.name_en },
                    u.code
                ),
                on: false,
                group: String::new(),
            })
            .collect(),
        share_agencies: refdata
            .agencies
            .iter()
            .map(|a| Choice {
                value: a.code.clone(),
                label: if tr.urdu() {
                    a.name_ur.clone()
                } else {
                    a.name_en.clone()
                },
                on: false,
                group: String::new(),
            })
            .collect(),
    }
}

pub struct PersonView {
    pub id: String,
    pub name_roman: String,
    pub name_urdu: String,
    pub parentage: String,
    pub sex: String,
    pub age: String,
    pub nationality: String,
    pub origin: String,
    pub identifiers: Vec<(String, String)>,
    pub cases: Vec<(String, String, String)>,
    pub address: String,
    pub notes: String,
    pub protected: bool,
    pub pseudonymised: bool,
    pub can_reveal: bool,
    pub can_seal: bool,
    pub reveals: Vec<(String, String, String, String)>,
}

pub fn person_view(tr: &Tr, refdata: &ReferenceData, pv: &CorePersonView) -> PersonView {
    let d = &pv.detail;
    let p = &d.person;
    let age = match p.age {
        AgeInfo::DateOfBirth { date } => {
            let years = p
                .age
                .age_on(chrono::Utc::now().date_naive())
                .map(|y| y.to_string())
                .unwrap_or_default();
            format!(
                "{years} ({})",
                tr.ta("person-dob", &[("date", date.to_string())])
            )
        }
        AgeInfo::Estimated { years, as_of } => tr.ta(
            "person-age-estimated",
            &[("years", years.to_string()), ("date", as_of.to_string())],
        ),
        AgeInfo::Unknown => tr.t("person-age-unknown"),
    };
    let nationality = match (&p.nationality_claimed, &p.nationality_verified) {
        (Some(c), Some(v)) if c != v => format!(
            "{} → {}",
            country_label(tr, refdata, c),
            country_label(tr, refdata, v)
        ),
        (_, Some(v)) => country_label(tr, refdata, v),
        (Some(c), None) => country_label(tr, refdata, c),
        (None, None) => String::new(),
    };
    PersonView {
        id: d.id.to_string(),
        name_roman: p.name.roman.clone().unwrap_or_default(),
        name_urdu: p.name.urdu.clone().unwrap_or_default(),
        parentage: parentage_text(
            tr,
            p.parentage_relation.map(|r| r.as_str()),
            p.parentage.roman.as_deref(),
            p.parentage.urdu.as_deref(),
        ),
        sex: tr.code("sex", p.sex.as_str()),
        age,
        nationality,
        origin: p
            .origin_district
            .as_deref()
            .map(|o| district_label(tr, refdata, o))
            .unwrap_or_default(),
        identifiers: p
            .identifiers
            .iter()
            .map(|i| (tr.code("idkind", i.kind.as_str()), i.display_value()))
            .collect(),
        cases: d
            .cases
            .iter()
            .map(|c| {
                let role = match c.role.chain_role {
                    Some(ch) => format!(
                        "{} ({})",
                        tr.code("role", c.role.role.as_str()),
                        tr.code("chain", ch.as_str())
                    ),
                    None => tr.code("role", c.role.role.as_str()),
                };
                (c.case_id.to_string(), c.case_number.to_string(), role)
            })
            .collect(),
        address: p.address.clone().unwrap_or_default(),
        notes: p.notes.clone().unwrap_or_default(),
        protected: pv.protected,
        pseudonymised: d.pseudonymised,
        can_reveal: pv.can_reveal,
        can_seal: pv.can_seal,
        reveals: pv
            .reveals
            .iter()
            .map(|r| {
                (
                    r.revealed_at.format("%Y-%m-%d %H:%M").to_string(),
                    r.username.clone(),
                    r.reason.clone(),
                    r.expires_at.format("%H:%M").to_string(),
                )
            })
            .collect(),
    }
}
