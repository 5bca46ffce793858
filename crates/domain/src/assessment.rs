//! The TIP / SOM assessment: from the facts an interview records, suggest trafficking in persons,
//! smuggling of migrants, both, neither, or "not enough facts", with every reason as a message code
//! (`assess-<code>`) the officer reads in plain words. The officer decides; this only suggests.
//!
//! The law encoded here (DOMAIN.md §2):
//! - Trafficking (UN Trafficking Protocol art. 3; PTPA 2018) = an *act* (recruitment, transportation,
//!   transfer, harbouring, receipt) by *means* (threat, force, coercion, abduction, fraud,
//!   deception, abuse of power or of vulnerability, payments to a person in control) for the
//!   *purpose* of exploitation. For a child (under 18) the means need not be shown (art. 3(c)).
//!   Consent is irrelevant once means were used (art. 3(b)), and a child's never counts: consent
//!   therefore never enters the trafficking rule. No border is needed (PTPA 2018 covers internal
//!   trafficking).
//! - Smuggling (UN Smuggling Protocol art. 3; PSMA 2018) = procuring, for a financial or other
//!   material benefit, the illegal entry of a person into a state of which they are not a national
//!   or resident. Three elements: a border (crossed, or an attempt: PSMA punishes attempts, and the
//!   FIA intercepts and offloads migrants before they cross), irregularity (illegal entry, or an
//!   irregular exit from Pakistan, which is where Pakistan's agencies meet it), and a benefit to the
//!   smuggler. Paying an agent for a lawful journey is not smuggling.
//! - They intersect: a smuggled migrant exploited on the way is also a trafficking victim (see
//!   [`assess`] for how that is derived rather than simply asserted).
//!
//! Indicators (the checkboxes of the interview) come from `data/indicators.toml`, loaded into
//! [`ReferenceData`]. A ticked indicator is a fact found; an unticked one is "not found in the
//! interview". The yes/no questions are tri-state: `null` is "unknown", which differs from `false`.

use crate::code_enum;
use crate::crime::{CrimeType, ExploitationForm};
use crate::error::{Problem, ValidationErrors};
use crate::person::MAX_AGE_YEARS;
use crate::reference::ReferenceData;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// A person under this age is a child: the means of trafficking need not be shown.
pub const CHILD_AGE_YEARS: u32 = 18;

/// The yes/no/unknown questions of [`AssessmentFacts`] (field names; the question text is
/// `assess-q-<field>`). `indicators` are asked as checkboxes grouped by [`IndicatorCategory`].
pub const QUESTIONS: &[&str] = &[
    "age_years",
    "is_child",
    "exploitation_forms",
    "crossed_border",
    "irregular_crossing",
    "benefit_to_facilitator",
    "consented",
    "exploited_en_route",
];

code_enum! {
    /// The groups of indicators, as presented in the interview.
    pub enum IndicatorCategory {
        /// What was done to the person (the act).
        Act = "act",
        /// How the person's will was overridden (the means).
        Means = "means",
        /// The form of exploitation, actual or intended (the purpose).
        Purpose = "purpose",
        /// The 11 ILO indicators of forced labour.
        ForcedLabour = "forced_labour",
        /// Elements of smuggling of migrants.
        Smuggling = "smuggling",
        /// Circumstances that make a person vulnerable (context, never means by themselves).
        Vulnerability = "vulnerability",
    }
}

code_enum! {
    /// Which element of smuggling a smuggling indicator shows.
    pub enum SmugglingElement {
        Border = "border",
        AttemptedCrossing = "attempted_crossing",
        Irregularity = "irregularity",
        Benefit = "benefit",
    }
}

code_enum! {
    /// The elements assessed, for labels (`assess-element-<code>`).
    pub enum Element {
        Act = "act",
        Means = "means",
        Purpose = "purpose",
        Border = "border",
        Irregularity = "irregularity",
        Benefit = "benefit",
    }
}

/// One indicator of the catalogue. Its label is `indicator-<code>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Indicator {
    pub code: String,
    pub category: IndicatorCategory,
    /// Means indicators this one is evidence of (ILO forced-labour indicators only).
    pub implies_means: Vec<String>,
    /// The form of exploitation this one shows (purpose and forced-labour indicators).
    pub exploitation_form: Option<ExploitationForm>,
    /// The smuggling elements this one shows (smuggling indicators only).
    pub smuggling_elements: Vec<SmugglingElement>,
}

/// Raw entry of `indicators.toml`: codes are checked by hand so that every bad entry is listed,
/// not just the first the deserialiser meets.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorDef {
    code: String,
    category: String,
    #[serde(default)]
    implies_means: Vec<String>,
    exploitation_form: Option<String>,
    #[serde(default)]
    smuggling_elements: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndicatorsFile {
    indicator: Vec<IndicatorDef>,
}

fn is_snake_code(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !s.ends_with('_')
        && !s.contains("__")
}

/// Parse and check the indicator catalogue (the contents of `indicators.toml`). On failure, every
/// problem found, each prefixed with the file name.
pub fn parse_indicators(src: &str) -> Result<Vec<Indicator>, Vec<String>> {
    const FILE: &str = "indicators.toml";
    let file: IndicatorsFile = toml::from_str(src).map_err(|e| vec![format!("{FILE}: {e}")])?;
    let mut errs = Vec::new();
    let mut out = Vec::new();
    let mut seen = BTreeSet::new();
    for d in &file.indicator {
        let code = d.code.as_str();
        if !is_snake_code(code) {
            errs.push(format!(
                "{FILE}: indicator code `{code}` is not snake_case (a-z, 0-9, _)"
            ));
        }
        if !seen.insert(code) {
            errs.push(format!("{FILE}: indicator `{code}` is defined twice"));
        }
        let category = IndicatorCategory::parse(&d.category);
        if category.is_none() {
            errs.push(format!(
                "{FILE}: indicator `{code}` has unknown category `{}`",
                d.category
            ));
        }
        let form = match &d.exploitation_form {
            None => None,
            Some(f) => {
                let parsed = ExploitationForm::parse(f);
                if parsed.is_none() {
                    errs.push(format!(
                        "{FILE}: indicator `{code}` names unknown form of exploitation `{f}`"
                    ));
                }
                parsed
            }
        };
        let mut elements = Vec::new();
        for e in &d.smuggling_elements {
            match SmugglingElement::parse(e) {
                Some(el) => elements.push(el),
                None => errs.push(format!(
                    "{FILE}: indicator `{code}` names unknown smuggling element `{e}`"
                )),
            }
        }
        let Some(category) = category else { continue };
        let is = |c: IndicatorCategory| category == c;
        if is(IndicatorCategory::Purpose) && d.exploitation_form.is_none() {
            errs.push(format!(
                "{FILE}: purpose indicator `{code}` lacks exploitation_form"
            ));
        }
        if d.exploitation_form.is_some()
            && !is(IndicatorCategory::Purpose)
            && !is(IndicatorCategory::ForcedLabour)
        {
            errs.push(format!(
                "{FILE}: indicator `{code}`: only purpose and forced_labour indicators name an exploitation_form"
            ));
        }
        if !d.implies_means.is_empty() && !is(IndicatorCategory::ForcedLabour) {
            errs.push(format!(
                "{FILE}: indicator `{code}`: only forced_labour indicators may imply means"
            ));
        }
        if is(IndicatorCategory::Smuggling) && d.smuggling_elements.is_empty() {
            errs.push(format!(
                "{FILE}: smuggling indicator `{code}` names no smuggling element"
            ));
        }
        if !is(IndicatorCategory::Smuggling) && !d.smuggling_elements.is_empty() {
            errs.push(format!(
                "{FILE}: indicator `{code}`: only smuggling indicators name smuggling elements"
            ));
        }
        out.push(Indicator {
            code: d.code.clone(),
            category,
            implies_means: d.implies_means.clone(),
            exploitation_form: form,
            smuggling_elements: elements,
        });
    }
    let category_of: HashMap<&str, IndicatorCategory> =
        out.iter().map(|i| (i.code.as_str(), i.category)).collect();
    for i in &out {
        for m in &i.implies_means {
            match category_of.get(m.as_str()) {
                Some(IndicatorCategory::Means) => {}
                Some(_) => errs.push(format!(
                    "{FILE}: indicator `{}` implies `{m}`, which is not a means indicator",
                    i.code
                )),
                None => errs.push(format!(
                    "{FILE}: indicator `{}` implies unknown means indicator `{m}`",
                    i.code
                )),
            }
        }
    }
    for c in IndicatorCategory::ALL {
        if !out.iter().any(|i| i.category == *c) {
            errs.push(format!("{FILE}: category `{c}` has no indicator"));
        }
    }
    for f in ExploitationForm::ALL {
        let covered = out
            .iter()
            .any(|i| i.category == IndicatorCategory::Purpose && i.exploitation_form == Some(*f));
        if !covered {
            errs.push(format!(
                "{FILE}: form of exploitation `{f}` has no purpose indicator"
            ));
        }
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

/// What the interview found, as the assessment reads it. Every question is tri-state: absent or
/// `null` means unknown, which is not the same as `false`. JSON (all fields optional):
///
/// ```json
/// { "age_years": 15, "is_child": null,
///   "indicators": ["recruitment", "deception", "purpose_forced_labour"],
///   "exploitation_forms": ["forced_labour"],
///   "crossed_border": true, "irregular_crossing": true, "benefit_to_facilitator": true,
///   "consented": true, "exploited_en_route": false }
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AssessmentFacts {
    /// Age in whole years at the time of the events, from the person record if known.
    pub age_years: Option<u32>,
    /// Whether the person was a child (under 18), when the exact age is not known.
    pub is_child: Option<bool>,
    /// Indicator codes found (`data/indicators.toml`); unknown codes are validation errors.
    pub indicators: Vec<String>,
    /// Forms of exploitation, actual or intended (`ExploitationForm` codes), e.g. from the case.
    pub exploitation_forms: Vec<String>,
    /// Crossed an international border into a country of which they are not a national or resident.
    pub crossed_border: Option<bool>,
    /// Entered the other country, or left Pakistan, outside the law (no valid documents, away from
    /// an official crossing, on false papers).
    pub irregular_crossing: Option<bool>,
    /// The person who arranged or facilitated the journey received or was promised money or another
    /// material benefit.
    pub benefit_to_facilitator: Option<bool>,
    /// The person agreed to the journey or the work. Recorded, but never defeats trafficking.
    pub consented: Option<bool>,
    /// Exploited on the way or at the destination (forced to work, sexually exploited, ...).
    pub exploited_en_route: Option<bool>,
}

code_enum! {
    /// What the engine suggests. Its label is `suggestion-<code>`.
    pub enum Suggestion {
        Trafficking = "trafficking",
        Smuggling = "smuggling",
        Both = "both",
        Neither = "neither",
        InsufficientInformation = "insufficient_information",
    }
}

impl Suggestion {
    /// The crime types this suggestion proposes, to pre-fill the officer's decision.
    pub fn crime_types(self) -> &'static [CrimeType] {
        match self {
            Suggestion::Trafficking => &[CrimeType::Tip],
            Suggestion::Smuggling => &[CrimeType::Som],
            Suggestion::Both => &[CrimeType::Tip, CrimeType::Som],
            Suggestion::Neither | Suggestion::InsufficientInformation => &[],
        }
    }
    pub fn message_id(self) -> String {
        format!("suggestion-{}", self.as_str())
    }
}

code_enum! {
    /// How far the facts show one element. Label: `assess-status-<code>`.
    pub enum FindingStatus {
        Shown = "shown",
        NotShown = "not_shown",
        /// The means, for a child.
        NotRequired = "not_required",
        Unknown = "unknown",
        /// An answer and an indicator disagree; treated as unknown until corrected.
        Contradictory = "contradictory",
    }
}

code_enum! {
    /// Whether the facts show one crime. Label: `assess-conclusion-<code>`.
    pub enum Conclusion {
        Yes = "yes",
        No = "no",
        Unknown = "unknown",
    }
}

code_enum! {
    /// What a reason is about, to group reasons on screen. Label: `assess-topic-<code>`.
    pub enum Topic {
        Trafficking = "trafficking",
        Smuggling = "smuggling",
        General = "general",
    }
}

code_enum! {
    /// Why the engine concluded as it did. Each is a plain sentence, `assess-<code>`, without
    /// arguments; the indicators and forms of a [`Reason`] are shown under it as a list of labels.
    pub enum ReasonCode {
        ConflictChild = "conflict_child",
        ConflictBorder = "conflict_border",
        ConflictIrregularity = "conflict_irregularity",
        ConflictBenefit = "conflict_benefit",
        TipNotAssessed = "tip_not_assessed",
        TipActShown = "tip_act_shown",
        TipActNotShown = "tip_act_not_shown",
        TipExploitedEnRoute = "tip_exploited_en_route",
        TipMeansShown = "tip_means_shown",
        TipIrregularMigrantExploited = "tip_irregular_migrant_exploited",
        TipChildMeansNotRequired = "tip_child_means_not_required",
        TipNoMeansAdult = "tip_no_means_adult",
        TipMeansDependOnAge = "tip_means_depend_on_age",
        TipCheckAbuseOfVulnerability = "tip_check_abuse_of_vulnerability",
        TipPurposeShown = "tip_purpose_shown",
        TipPurposeNotShown = "tip_purpose_not_shown",
        TipConsentIrrelevant = "tip_consent_irrelevant",
        TipSuggested = "tip_suggested",
        TipNoBorderNeeded = "tip_no_border_needed",
        SomNotAssessed = "som_not_assessed",
        SomBorderShown = "som_border_shown",
        SomAttempt = "som_attempt",
        SomBorderNotShown = "som_border_not_shown",
        SomBorderUnknown = "som_border_unknown",
        SomIrregularShown = "som_irregular_shown",
        SomLawfulCrossing = "som_lawful_crossing",
        SomIrregularUnknown = "som_irregular_unknown",
        SomBenefitShown = "som_benefit_shown",
        SomNoBenefit = "som_no_benefit",
        SomBenefitUnknown = "som_benefit_unknown",
        SomSuggested = "som_suggested",
        SomWithoutConsent = "som_without_consent",
        BothSmuggledAndExploited = "both_smuggled_and_exploited",
        BothSeparateOffences = "both_separate_offences",
        NeitherSuggested = "neither_suggested",
        InsufficientInformation = "insufficient_information",
    }
}

impl ReasonCode {
    pub fn topic(self) -> Topic {
        use ReasonCode as R;
        match self {
            R::TipNotAssessed
            | R::TipActShown
            | R::TipActNotShown
            | R::TipExploitedEnRoute
            | R::TipMeansShown
            | R::TipIrregularMigrantExploited
            | R::TipChildMeansNotRequired
            | R::TipNoMeansAdult
            | R::TipMeansDependOnAge
            | R::TipCheckAbuseOfVulnerability
            | R::TipPurposeShown
            | R::TipPurposeNotShown
            | R::TipConsentIrrelevant
            | R::TipSuggested
            | R::TipNoBorderNeeded
            | R::ConflictChild => Topic::Trafficking,
            R::SomNotAssessed
            | R::SomBorderShown
            | R::SomAttempt
            | R::SomBorderNotShown
            | R::SomBorderUnknown
            | R::SomIrregularShown
            | R::SomLawfulCrossing
            | R::SomIrregularUnknown
            | R::SomBenefitShown
            | R::SomNoBenefit
            | R::SomBenefitUnknown
            | R::SomSuggested
            | R::SomWithoutConsent
            | R::ConflictBorder
            | R::ConflictIrregularity
            | R::ConflictBenefit => Topic::Smuggling,
            R::BothSmuggledAndExploited
            | R::BothSeparateOffences
            | R::NeitherSuggested
            | R::InsufficientInformation => Topic::General,
        }
    }
    pub fn message_id(self) -> String {
        format!("assess-{}", self.as_str())
    }
}

/// How one element stands, and what showed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElementFinding {
    pub status: FindingStatus,
    /// Indicator codes that showed (or contradicted) it.
    pub indicators: Vec<String>,
    /// Fields of [`AssessmentFacts`] whose answers showed (or contradicted) it.
    pub answers: Vec<String>,
}

impl ElementFinding {
    fn status(status: FindingStatus) -> Self {
        ElementFinding {
            status,
            indicators: Vec::new(),
            answers: Vec::new(),
        }
    }
    fn is_shown(&self) -> bool {
        self.status == FindingStatus::Shown
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TraffickingFinding {
    pub conclusion: Conclusion,
    /// Whether the person is a child (under 18); `None` when unknown or contradictory.
    pub child: Option<bool>,
    pub act: ElementFinding,
    pub means: ElementFinding,
    pub purpose: ElementFinding,
    /// Forms of exploitation shown (from purpose and forced-labour indicators and the answers).
    pub forms: Vec<ExploitationForm>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmugglingFinding {
    pub conclusion: Conclusion,
    pub border: ElementFinding,
    /// The border element is shown only by an attempt (intercepted or offloaded before crossing).
    pub attempt_only: bool,
    pub irregularity: ElementFinding,
    pub benefit: ElementFinding,
}

/// One reason: the message `assess-<code>`, followed on screen by the labels of its indicators
/// (`indicator-<code>`) and forms (`exploit-<code>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub topic: Topic,
    pub indicators: Vec<String>,
    pub forms: Vec<ExploitationForm>,
}

/// The engine's suggestion with its findings and reasons. Kept beside the officer's decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assessment {
    pub suggestion: Suggestion,
    pub trafficking: TraffickingFinding,
    pub smuggling: SmugglingFinding,
    pub reasons: Vec<Reason>,
}

impl Assessment {
    pub fn has_reason(&self, code: ReasonCode) -> bool {
        self.reasons.iter().any(|r| r.code == code)
    }
}

#[derive(Default)]
struct Reasons(Vec<Reason>);

impl Reasons {
    fn add(&mut self, code: ReasonCode) {
        self.with(code, Vec::new(), Vec::new());
    }
    fn with(&mut self, code: ReasonCode, indicators: Vec<String>, forms: Vec<ExploitationForm>) {
        self.0.push(Reason {
            code,
            topic: code.topic(),
            indicators,
            forms,
        });
    }
}

fn codes<'a, 'b: 'a>(inds: impl Iterator<Item = &'a &'b Indicator>) -> Vec<String> {
    inds.map(|i| i.code.clone()).collect()
}

/// An element of smuggling from its yes/no answer and the indicators that show it.
fn answered_element(answer: Option<bool>, field: &str, indicators: Vec<String>) -> ElementFinding {
    let answers = if answer.is_some() {
        vec![field.to_string()]
    } else {
        Vec::new()
    };
    let status = match (answer, indicators.is_empty()) {
        (Some(false), false) => FindingStatus::Contradictory,
        (Some(true), _) | (None, false) => FindingStatus::Shown,
        (Some(false), true) => FindingStatus::NotShown,
        (None, true) => FindingStatus::Unknown,
    };
    ElementFinding {
        status,
        indicators,
        answers,
    }
}

/// Assess the facts: suggest trafficking, smuggling, both, neither or insufficient information,
/// with the reasons. Unknown indicator or exploitation-form codes and an implausible age are
/// validation errors (fields `indicators`, `exploitation_forms`, `age_years`).
///
/// Rules (each documented where applied below):
/// - TIP = act ∧ purpose ∧ (means ∨ child). Consent is not an input to this rule.
/// - SOM = border (crossed or attempted) ∧ irregularity ∧ benefit.
/// - Both when both hold; neither when both are ruled out; insufficient information otherwise
///   unless one holds (TIP needs no border, so an unknown border does not hold back a TIP
///   suggestion, and an unknown TIP does not hold back a SOM one).
pub fn assess(
    facts: &AssessmentFacts,
    refdata: &ReferenceData,
) -> Result<Assessment, ValidationErrors> {
    let mut errs = ValidationErrors::new();
    let mut inds: Vec<&Indicator> = Vec::new();
    for raw in &facts.indicators {
        match refdata.indicator(raw.trim()) {
            Some(i) if inds.iter().any(|x| x.code == i.code) => {}
            Some(i) => inds.push(i),
            None => errs.add("indicators", Problem::UnknownCode { value: raw.clone() }),
        }
    }
    let mut answer_forms = BTreeSet::new();
    for raw in &facts.exploitation_forms {
        match ExploitationForm::parse(raw) {
            Some(f) => {
                answer_forms.insert(f);
            }
            None => errs.add(
                "exploitation_forms",
                Problem::UnknownCode { value: raw.clone() },
            ),
        }
    }
    if facts.age_years.is_some_and(|a| a > MAX_AGE_YEARS) {
        errs.add("age_years", Problem::AgeImplausible { max: MAX_AGE_YEARS });
    }
    if !errs.is_empty() {
        return Err(errs);
    }

    let in_cat = |c: IndicatorCategory| inds.iter().filter(move |i| i.category == c);
    let with_element = |e: SmugglingElement| {
        codes(
            inds.iter()
                .filter(move |i| i.smuggling_elements.contains(&e)),
        )
    };
    let mut reasons = Reasons::default();

    // --- The child question. The age wins over nothing: if age and answer disagree, the officer
    // must correct one, and until then the means are assessed as for a person of unknown age.
    let child_by_age = facts.age_years.map(|a| a < CHILD_AGE_YEARS);
    let mut child_answers = Vec::new();
    if facts.age_years.is_some() {
        child_answers.push("age_years".to_string());
    }
    if facts.is_child.is_some() {
        child_answers.push("is_child".to_string());
    }
    let child = match (child_by_age, facts.is_child) {
        (Some(a), Some(b)) if a != b => {
            reasons.add(ReasonCode::ConflictChild);
            None
        }
        (Some(a), _) => Some(a),
        (None, b) => b,
    };

    // --- Smuggling elements (computed first: the trafficking means may depend on irregularity).
    let mut border = answered_element(
        facts.crossed_border,
        "crossed_border",
        with_element(SmugglingElement::Border),
    );
    let attempts = with_element(SmugglingElement::AttemptedCrossing);
    let mut attempt_only = false;
    if !attempts.is_empty()
        && matches!(
            border.status,
            FindingStatus::NotShown | FindingStatus::Unknown
        )
    {
        // Intercepted or offloaded before crossing: the border element is met by the attempt.
        // "Did not cross" is then no contradiction, it is what an attempt is.
        border.status = FindingStatus::Shown;
        border.indicators = attempts;
        attempt_only = true;
    }
    let irregularity = answered_element(
        facts.irregular_crossing,
        "irregular_crossing",
        with_element(SmugglingElement::Irregularity),
    );
    let benefit = answered_element(
        facts.benefit_to_facilitator,
        "benefit_to_facilitator",
        with_element(SmugglingElement::Benefit),
    );

    // --- Trafficking elements.
    let en_route = facts.exploited_en_route == Some(true);
    let mut act = ElementFinding::status(FindingStatus::NotShown);
    act.indicators = codes(in_cat(IndicatorCategory::Act));
    if en_route {
        // Exploited "on the way": the person was being moved (transportation) or was received
        // and held where the exploitation happened (receipt, harbouring). Either is the act.
        act.answers.push("exploited_en_route".into());
    }
    if !act.indicators.is_empty() || en_route {
        act.status = FindingStatus::Shown;
    }

    let mut purpose = ElementFinding::status(FindingStatus::NotShown);
    let mut forms = answer_forms.clone();
    for i in in_cat(IndicatorCategory::Purpose).chain(in_cat(IndicatorCategory::ForcedLabour)) {
        if let Some(f) = i.exploitation_form {
            forms.insert(f);
            purpose.indicators.push(i.code.clone());
        }
    }
    if !answer_forms.is_empty() {
        purpose.answers.push("exploitation_forms".into());
    }
    if en_route {
        // The exploitation happened, so the purpose is shown (the purpose is only an intent;
        // exploitation that took place proves it).
        purpose.answers.push("exploited_en_route".into());
    }
    if !purpose.indicators.is_empty() || !purpose.answers.is_empty() {
        purpose.status = FindingStatus::Shown;
    }
    let forms: Vec<ExploitationForm> = forms.into_iter().collect();

    let mut means = ElementFinding::status(FindingStatus::NotShown);
    means.indicators = codes(
        in_cat(IndicatorCategory::Means)
            .chain(in_cat(IndicatorCategory::ForcedLabour).filter(|i| !i.implies_means.is_empty())),
    );
    // A smuggled (or otherwise irregular) migrant exploited on the way: the migrant is abroad or
    // in transit without legal status, far from family, often indebted to and dependent on the
    // people moving them. Exploiting such a person takes advantage of a position of
    // vulnerability (the UN Protocol's "abuse of a position of vulnerability": the person has
    // no real and acceptable alternative but to submit). So the means is shown by the facts
    // themselves, and the consent the migrant gave to being smuggled does not extend to being
    // exploited (art. 3(b)). With act and purpose also shown (see above), the smuggled migrant
    // is also a trafficking victim, as the requirement states; the officer can still overrule.
    // Regular migrants exploited on the way get no such presumption: their means must be shown.
    let irregular_exploited = en_route && irregularity.is_shown();
    if irregular_exploited {
        means.answers.push("exploited_en_route".into());
        means.answers.extend(irregularity.answers.iter().cloned());
    }
    if !means.indicators.is_empty() || irregular_exploited {
        means.status = FindingStatus::Shown;
    } else {
        match child {
            Some(true) => {
                means.status = FindingStatus::NotRequired;
                means.answers.clone_from(&child_answers);
            }
            Some(false) => means.answers.clone_from(&child_answers),
            None => means.status = FindingStatus::Unknown,
        }
    }

    // Trafficking can be assessed only once something about it was recorded; a blank trafficking
    // part is "not assessed", not "ruled out". Answering "exploited on the way" (yes or no)
    // counts: it is the trafficking screening question of a smuggling interview.
    let screened = !act.indicators.is_empty()
        || !means.indicators.is_empty()
        || !purpose.indicators.is_empty()
        || !answer_forms.is_empty()
        || facts.exploited_en_route.is_some();
    let vulnerabilities = codes(in_cat(IndicatorCategory::Vulnerability));

    let tip = if !screened {
        act.status = FindingStatus::Unknown;
        purpose.status = FindingStatus::Unknown;
        if means.status == FindingStatus::NotShown {
            means.status = FindingStatus::Unknown;
        }
        Conclusion::Unknown
    } else if !act.is_shown() || !purpose.is_shown() {
        Conclusion::No
    } else {
        match means.status {
            FindingStatus::Shown | FindingStatus::NotRequired => Conclusion::Yes,
            FindingStatus::NotShown => Conclusion::No,
            _ => Conclusion::Unknown,
        }
    };

    if !screened {
        reasons.add(ReasonCode::TipNotAssessed);
    } else {
        if act.is_shown() {
            if !act.indicators.is_empty() {
                reasons.with(ReasonCode::TipActShown, act.indicators.clone(), Vec::new());
            }
            if en_route {
                reasons.add(ReasonCode::TipExploitedEnRoute);
            }
        } else {
            reasons.add(ReasonCode::TipActNotShown);
        }
        match means.status {
            FindingStatus::Shown => {
                if !means.indicators.is_empty() {
                    reasons.with(
                        ReasonCode::TipMeansShown,
                        means.indicators.clone(),
                        Vec::new(),
                    );
                }
                if irregular_exploited {
                    reasons.with(
                        ReasonCode::TipIrregularMigrantExploited,
                        irregularity.indicators.clone(),
                        Vec::new(),
                    );
                }
            }
            FindingStatus::NotShown => reasons.add(ReasonCode::TipNoMeansAdult),
            FindingStatus::Unknown if tip == Conclusion::Unknown => {
                reasons.add(ReasonCode::TipMeansDependOnAge);
            }
            _ => {}
        }
        if child == Some(true) {
            reasons.add(ReasonCode::TipChildMeansNotRequired);
        }
        if matches!(
            means.status,
            FindingStatus::NotShown | FindingStatus::Unknown
        ) && !vulnerabilities.is_empty()
        {
            reasons.with(
                ReasonCode::TipCheckAbuseOfVulnerability,
                vulnerabilities.clone(),
                Vec::new(),
            );
        }
        if purpose.is_shown() {
            reasons.with(
                ReasonCode::TipPurposeShown,
                purpose.indicators.clone(),
                forms.clone(),
            );
        } else {
            reasons.add(ReasonCode::TipPurposeNotShown);
        }
        // Consent is recorded but never weighed: with means used it is vitiated (art. 3(b)), and a
        // child's consent never counts (art. 3(c)). Said out loud because officers and courts are
        // often told "she went willingly".
        if facts.consented == Some(true) && tip != Conclusion::No {
            reasons.add(ReasonCode::TipConsentIrrelevant);
        }
        if tip == Conclusion::Yes {
            reasons.add(ReasonCode::TipSuggested);
            if facts.crossed_border == Some(false) {
                reasons.add(ReasonCode::TipNoBorderNeeded);
            }
        }
    }

    // --- Smuggling conclusion and reasons.
    let elements = [&border, &irregularity, &benefit];
    let som = if elements.iter().all(|e| e.is_shown()) {
        Conclusion::Yes
    } else if elements.iter().any(|e| e.status == FindingStatus::NotShown) {
        Conclusion::No
    } else {
        Conclusion::Unknown
    };
    if elements.iter().all(|e| e.status == FindingStatus::Unknown) {
        reasons.add(ReasonCode::SomNotAssessed);
    } else {
        let unknown_matters = som == Conclusion::Unknown;
        type Codes = (ReasonCode, ReasonCode, ReasonCode, ReasonCode);
        let per_element: [(&ElementFinding, Codes); 3] = [
            (
                &border,
                (
                    if attempt_only {
                        ReasonCode::SomAttempt
                    } else {
                        ReasonCode::SomBorderShown
                    },
                    ReasonCode::SomBorderNotShown,
                    ReasonCode::SomBorderUnknown,
                    ReasonCode::ConflictBorder,
                ),
            ),
            (
                &irregularity,
                (
                    ReasonCode::SomIrregularShown,
                    ReasonCode::SomLawfulCrossing,
                    ReasonCode::SomIrregularUnknown,
                    ReasonCode::ConflictIrregularity,
                ),
            ),
            (
                &benefit,
                (
                    ReasonCode::SomBenefitShown,
                    ReasonCode::SomNoBenefit,
                    ReasonCode::SomBenefitUnknown,
                    ReasonCode::ConflictBenefit,
                ),
            ),
        ];
        for (e, (shown, not_shown, unknown, conflict)) in per_element {
            match e.status {
                FindingStatus::Shown => reasons.with(shown, e.indicators.clone(), Vec::new()),
                FindingStatus::NotShown => reasons.add(not_shown),
                FindingStatus::Contradictory => {
                    reasons.with(conflict, e.indicators.clone(), Vec::new());
                }
                FindingStatus::Unknown if unknown_matters => reasons.add(unknown),
                _ => {}
            }
        }
        if som == Conclusion::Yes {
            reasons.add(ReasonCode::SomSuggested);
            // Smuggling presumes a consenting migrant; one who did not agree was moved by some
            // means, which is the trafficking question.
            if facts.consented == Some(false) && tip != Conclusion::Yes {
                reasons.add(ReasonCode::SomWithoutConsent);
            }
        }
    }

    let suggestion = match (tip, som) {
        (Conclusion::Yes, Conclusion::Yes) => {
            if en_route {
                reasons.add(ReasonCode::BothSmuggledAndExploited);
            }
            reasons.add(ReasonCode::BothSeparateOffences);
            Suggestion::Both
        }
        (Conclusion::Yes, _) => Suggestion::Trafficking,
        (_, Conclusion::Yes) => Suggestion::Smuggling,
        (Conclusion::No, Conclusion::No) => {
            reasons.add(ReasonCode::NeitherSuggested);
            Suggestion::Neither
        }
        _ => {
            reasons.add(ReasonCode::InsufficientInformation);
            Suggestion::InsufficientInformation
        }
    };

    Ok(Assessment {
        suggestion,
        trafficking: TraffickingFinding {
            conclusion: tip,
            child,
            act,
            means,
            purpose,
            forms,
        },
        smuggling: SmugglingFinding {
            conclusion: som,
            border,
            attempt_only,
            irregularity,
            benefit,
        },
        reasons: reasons.0,
    })
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
    use std::sync::OnceLock;

    fn refdata() -> &'static ReferenceData {
        static R: OnceLock<ReferenceData> = OnceLock::new();
        R.get_or_init(|| ReferenceData::embedded().unwrap())
    }

    fn facts(indicators: &[&str]) -> AssessmentFacts {
        AssessmentFacts {
            indicators: indicators.iter().map(|s| s.to_string()).collect(),
            ..AssessmentFacts::default()
        }
    }

    fn run(f: &AssessmentFacts) -> Assessment {
        assess(f, refdata()).unwrap()
    }

    fn reason_codes(a: &Assessment) -> Vec<ReasonCode> {
        a.reasons.iter().map(|r| r.code).collect()
    }

    #[test]
    fn embedded_indicators_cover_every_category_and_form() {
        let r = refdata();
        let count = |c| r.indicators_in(c).count();
        assert_eq!(count(IndicatorCategory::Act), 5);
        assert_eq!(count(IndicatorCategory::Means), 9);
        assert_eq!(
            count(IndicatorCategory::ForcedLabour),
            11,
            "the 11 ILO indicators"
        );
        assert_eq!(
            count(IndicatorCategory::Purpose),
            ExploitationForm::ALL.len()
        );
        assert!(count(IndicatorCategory::Smuggling) > 0);
        assert!(count(IndicatorCategory::Vulnerability) > 0);
        let debt = r.indicator("ilo_debt_bondage").unwrap();
        assert_eq!(debt.exploitation_form, Some(ExploitationForm::BondedLabour));
        assert!(debt.implies_means.contains(&"coercion".to_string()));
        assert!(r.indicator("no_such_indicator").is_none());
    }

    #[test]
    fn child_without_means_is_trafficking() {
        let mut f = facts(&["recruitment", "transportation", "purpose_forced_begging"]);
        f.age_years = Some(12);
        let a = run(&f);
        assert_eq!(a.trafficking.conclusion, Conclusion::Yes);
        assert_eq!(a.trafficking.child, Some(true));
        assert_eq!(a.trafficking.means.status, FindingStatus::NotRequired);
        assert_eq!(a.trafficking.means.answers, vec!["age_years"]);
        assert_eq!(a.trafficking.forms, vec![ExploitationForm::ForcedBegging]);
        assert_eq!(a.suggestion, Suggestion::Trafficking);
        let codes = reason_codes(&a);
        assert!(codes.contains(&ReasonCode::TipChildMeansNotRequired));
        assert!(codes.contains(&ReasonCode::TipSuggested));
        assert!(!codes.contains(&ReasonCode::TipNoMeansAdult));
        let act = a
            .reasons
            .iter()
            .find(|r| r.code == ReasonCode::TipActShown)
            .unwrap();
        assert_eq!(act.indicators, vec!["recruitment", "transportation"]);
        assert_eq!(act.topic, Topic::Trafficking);

        // The same facts by the is_child answer alone, and at 17: still a child.
        let mut f2 = f.clone();
        f2.age_years = None;
        f2.is_child = Some(true);
        assert_eq!(run(&f2).trafficking.conclusion, Conclusion::Yes);
        f2.age_years = Some(17);
        assert_eq!(run(&f2).trafficking.conclusion, Conclusion::Yes);
    }

    #[test]
    fn adult_with_act_and_purpose_but_no_means_is_not_trafficking() {
        let mut f = facts(&["recruitment", "purpose_domestic_servitude"]);
        f.age_years = Some(18);
        f.crossed_border = Some(false);
        let a = run(&f);
        assert_eq!(a.trafficking.conclusion, Conclusion::No);
        assert_eq!(a.trafficking.means.status, FindingStatus::NotShown);
        assert!(a.has_reason(ReasonCode::TipNoMeansAdult));
        assert!(!a.has_reason(ReasonCode::TipSuggested));
        assert_eq!(a.smuggling.conclusion, Conclusion::No);
        assert_eq!(a.suggestion, Suggestion::Neither);
        assert!(a.has_reason(ReasonCode::NeitherSuggested));

        // With the border unknown smuggling is still open: not enough facts.
        f.crossed_border = None;
        let a = run(&f);
        assert_eq!(a.suggestion, Suggestion::InsufficientInformation);
        assert!(a.has_reason(ReasonCode::SomNotAssessed));

        // A recorded vulnerability prompts the officer to check for its abuse.
        f.indicators.push("family_debt".into());
        let a = run(&f);
        let r = a
            .reasons
            .iter()
            .find(|r| r.code == ReasonCode::TipCheckAbuseOfVulnerability)
            .unwrap();
        assert_eq!(r.indicators, vec!["family_debt"]);
        assert_eq!(
            a.trafficking.conclusion,
            Conclusion::No,
            "vulnerability is not means"
        );
    }

    #[test]
    fn unknown_age_without_means_leaves_trafficking_open() {
        let a = run(&facts(&["harbouring", "purpose_sexual_exploitation"]));
        assert_eq!(a.trafficking.means.status, FindingStatus::Unknown);
        assert_eq!(a.trafficking.conclusion, Conclusion::Unknown);
        assert!(a.has_reason(ReasonCode::TipMeansDependOnAge));
        assert_eq!(a.suggestion, Suggestion::InsufficientInformation);
        assert!(a.has_reason(ReasonCode::InsufficientInformation));
    }

    #[test]
    fn consent_never_defeats_trafficking() {
        let mut f = facts(&["recruitment", "deception", "purpose_forced_labour"]);
        f.age_years = Some(30);
        let without = run(&f);
        f.consented = Some(true);
        let with = run(&f);
        assert_eq!(with.trafficking.conclusion, Conclusion::Yes);
        assert_eq!(with.trafficking, without.trafficking);
        assert_eq!(with.suggestion, Suggestion::Trafficking);
        assert!(with.has_reason(ReasonCode::TipConsentIrrelevant));
        assert!(!without.has_reason(ReasonCode::TipConsentIrrelevant));
        let means = with
            .reasons
            .iter()
            .find(|r| r.code == ReasonCode::TipMeansShown)
            .unwrap();
        assert_eq!(means.indicators, vec!["deception"]);

        // A consenting child: trafficking, and the consent reason too.
        let mut c = facts(&["recruitment", "purpose_forced_marriage"]);
        c.age_years = Some(14);
        c.consented = Some(true);
        let a = run(&c);
        assert_eq!(a.trafficking.conclusion, Conclusion::Yes);
        assert!(a.has_reason(ReasonCode::TipConsentIrrelevant));
    }

    #[test]
    fn ilo_indicators_give_means_and_purpose() {
        let mut f = facts(&["recruitment", "ilo_debt_bondage"]);
        f.age_years = Some(40);
        let a = run(&f);
        assert_eq!(a.trafficking.conclusion, Conclusion::Yes);
        assert_eq!(a.trafficking.means.indicators, vec!["ilo_debt_bondage"]);
        assert_eq!(a.trafficking.forms, vec![ExploitationForm::BondedLabour]);

        // Excessive overtime shows exploitation but no means.
        let mut f = facts(&["recruitment", "ilo_excessive_overtime"]);
        f.age_years = Some(40);
        let a = run(&f);
        assert_eq!(a.trafficking.purpose.status, FindingStatus::Shown);
        assert_eq!(a.trafficking.means.status, FindingStatus::NotShown);
        assert_eq!(a.trafficking.conclusion, Conclusion::No);
    }

    #[test]
    fn exploitation_forms_answer_counts_as_purpose() {
        let mut f = facts(&["transfer", "abduction"]);
        f.exploitation_forms = vec!["organ_removal".into()];
        let a = run(&f);
        assert_eq!(a.trafficking.purpose.answers, vec!["exploitation_forms"]);
        assert_eq!(a.trafficking.forms, vec![ExploitationForm::OrganRemoval]);
        assert_eq!(a.trafficking.conclusion, Conclusion::Yes);
    }

    #[test]
    fn no_act_means_no_trafficking() {
        let mut f = facts(&["threat", "purpose_forced_labour"]);
        f.age_years = Some(25);
        let a = run(&f);
        assert_eq!(a.trafficking.conclusion, Conclusion::No);
        assert!(a.has_reason(ReasonCode::TipActNotShown));
    }

    #[test]
    fn internal_trafficking_needs_no_border() {
        let mut f = facts(&["recruitment", "coercion", "purpose_bonded_labour"]);
        f.crossed_border = Some(false);
        let a = run(&f);
        assert_eq!(a.suggestion, Suggestion::Trafficking);
        assert!(a.has_reason(ReasonCode::TipNoBorderNeeded));
        assert!(a.has_reason(ReasonCode::SomBorderNotShown));
        assert_eq!(a.smuggling.conclusion, Conclusion::No);
    }

    #[test]
    fn border_benefit_and_irregularity_is_smuggling() {
        let f = AssessmentFacts {
            crossed_border: Some(true),
            irregular_crossing: Some(true),
            benefit_to_facilitator: Some(true),
            consented: Some(true),
            ..AssessmentFacts::default()
        };
        let a = run(&f);
        assert_eq!(a.smuggling.conclusion, Conclusion::Yes);
        assert_eq!(a.suggestion, Suggestion::Smuggling);
        assert_eq!(a.smuggling.benefit.answers, vec!["benefit_to_facilitator"]);
        assert!(a.has_reason(ReasonCode::SomSuggested));
        assert!(a.has_reason(ReasonCode::TipNotAssessed));
        assert!(!a.has_reason(ReasonCode::TipConsentIrrelevant));

        // The same by indicators alone.
        let a = run(&facts(&[
            "irregular_entry",
            "paid_facilitator",
            "paid_through_hawala",
        ]));
        assert_eq!(a.smuggling.conclusion, Conclusion::Yes);
        assert_eq!(a.smuggling.border.indicators, vec!["irregular_entry"]);
        assert_eq!(
            a.smuggling.benefit.indicators,
            vec!["paid_facilitator", "paid_through_hawala"]
        );

        // A migrant who did not consent: smuggling, and a prompt to check the means.
        let mut f2 = f.clone();
        f2.consented = Some(false);
        assert!(run(&f2).has_reason(ReasonCode::SomWithoutConsent));
    }

    #[test]
    fn border_and_benefit_without_irregularity() {
        // Decided: a lawful crossing is not smuggling, even if an agent was paid for it.
        let mut f = AssessmentFacts {
            crossed_border: Some(true),
            benefit_to_facilitator: Some(true),
            irregular_crossing: Some(false),
            ..AssessmentFacts::default()
        };
        let a = run(&f);
        assert_eq!(a.smuggling.conclusion, Conclusion::No);
        assert!(a.has_reason(ReasonCode::SomLawfulCrossing));
        assert!(a.has_reason(ReasonCode::SomBenefitShown));
        // Unknown irregularity: the question stays open.
        f.irregular_crossing = None;
        let a = run(&f);
        assert_eq!(a.smuggling.conclusion, Conclusion::Unknown);
        assert_eq!(a.smuggling.irregularity.status, FindingStatus::Unknown);
        assert!(a.has_reason(ReasonCode::SomIrregularUnknown));
        assert_eq!(a.suggestion, Suggestion::InsufficientInformation);
        // A forged visa settles it.
        f.indicators = vec!["fraudulent_travel_documents".into()];
        assert_eq!(run(&f).suggestion, Suggestion::Smuggling);
        // No benefit: not smuggling.
        f.benefit_to_facilitator = Some(false);
        f.indicators.clear();
        f.irregular_crossing = Some(true);
        let a = run(&f);
        assert_eq!(a.smuggling.conclusion, Conclusion::No);
        assert!(a.has_reason(ReasonCode::SomNoBenefit));
    }

    #[test]
    fn an_attempt_meets_the_border_element() {
        let f = AssessmentFacts {
            crossed_border: Some(false),
            indicators: vec![
                "intercepted_before_crossing".into(),
                "irregular_exit".into(),
                "paid_facilitator".into(),
            ],
            exploited_en_route: Some(false),
            ..AssessmentFacts::default()
        };
        let a = run(&f);
        assert!(a.smuggling.attempt_only);
        assert_eq!(a.smuggling.border.status, FindingStatus::Shown);
        assert_eq!(a.smuggling.conclusion, Conclusion::Yes);
        assert!(a.has_reason(ReasonCode::SomAttempt));
        assert!(!a.has_reason(ReasonCode::SomBorderShown));
        assert_eq!(a.trafficking.conclusion, Conclusion::No);
        assert_eq!(a.suggestion, Suggestion::Smuggling);
    }

    #[test]
    fn smuggled_and_exploited_on_the_way_is_both() {
        let f = AssessmentFacts {
            age_years: Some(24),
            crossed_border: Some(true),
            irregular_crossing: Some(true),
            benefit_to_facilitator: Some(true),
            consented: Some(true),
            exploited_en_route: Some(true),
            ..AssessmentFacts::default()
        };
        let a = run(&f);
        assert_eq!(a.smuggling.conclusion, Conclusion::Yes);
        assert_eq!(a.trafficking.conclusion, Conclusion::Yes);
        assert_eq!(a.trafficking.act.answers, vec!["exploited_en_route"]);
        assert_eq!(
            a.trafficking.means.answers,
            vec!["exploited_en_route", "irregular_crossing"]
        );
        assert_eq!(a.suggestion, Suggestion::Both);
        let codes = reason_codes(&a);
        for c in [
            ReasonCode::TipExploitedEnRoute,
            ReasonCode::TipIrregularMigrantExploited,
            ReasonCode::TipConsentIrrelevant,
            ReasonCode::BothSmuggledAndExploited,
            ReasonCode::BothSeparateOffences,
        ] {
            assert!(codes.contains(&c), "{c} missing from {codes:?}");
        }
        assert_eq!(
            Suggestion::Both.crime_types(),
            &[CrimeType::Tip, CrimeType::Som]
        );
    }

    #[test]
    fn a_regular_migrant_exploited_on_the_way_still_needs_means() {
        let f = AssessmentFacts {
            age_years: Some(30),
            crossed_border: Some(true),
            irregular_crossing: Some(false),
            benefit_to_facilitator: Some(true),
            exploited_en_route: Some(true),
            ..AssessmentFacts::default()
        };
        let a = run(&f);
        assert_eq!(a.trafficking.means.status, FindingStatus::NotShown);
        assert_eq!(a.trafficking.conclusion, Conclusion::No);
        assert!(a.has_reason(ReasonCode::TipNoMeansAdult));
        assert_eq!(a.suggestion, Suggestion::Neither);
    }

    #[test]
    fn nothing_known_is_insufficient() {
        let a = run(&AssessmentFacts::default());
        assert_eq!(a.suggestion, Suggestion::InsufficientInformation);
        assert_eq!(a.trafficking.conclusion, Conclusion::Unknown);
        assert_eq!(a.smuggling.conclusion, Conclusion::Unknown);
        assert_eq!(a.trafficking.act.status, FindingStatus::Unknown);
        assert_eq!(
            reason_codes(&a),
            vec![
                ReasonCode::TipNotAssessed,
                ReasonCode::SomNotAssessed,
                ReasonCode::InsufficientInformation
            ]
        );
        assert!(Suggestion::InsufficientInformation.crime_types().is_empty());
    }

    #[test]
    fn contradictions_are_reported_and_treated_as_unknown() {
        let f = AssessmentFacts {
            age_years: Some(20),
            is_child: Some(true),
            crossed_border: Some(false),
            indicators: vec![
                "irregular_entry".into(),
                "recruitment".into(),
                "purpose_forced_labour".into(),
            ],
            benefit_to_facilitator: Some(true),
            ..AssessmentFacts::default()
        };
        let a = run(&f);
        assert_eq!(a.trafficking.child, None);
        assert_eq!(a.trafficking.means.status, FindingStatus::Unknown);
        assert_eq!(a.trafficking.conclusion, Conclusion::Unknown);
        assert_eq!(a.smuggling.border.status, FindingStatus::Contradictory);
        assert_eq!(a.smuggling.border.indicators, vec!["irregular_entry"]);
        assert_eq!(a.smuggling.conclusion, Conclusion::Unknown);
        assert!(a.has_reason(ReasonCode::ConflictChild));
        assert!(a.has_reason(ReasonCode::ConflictBorder));
        assert_eq!(a.suggestion, Suggestion::InsufficientInformation);
    }

    #[test]
    fn unknown_codes_are_validation_errors_listing_each() {
        let f = AssessmentFacts {
            indicators: vec!["recruitment".into(), "bogus".into(), "also_bogus".into()],
            exploitation_forms: vec!["slavery".into()],
            age_years: Some(MAX_AGE_YEARS + 1),
            ..AssessmentFacts::default()
        };
        let e = assess(&f, refdata()).unwrap_err();
        let got: Vec<(String, Problem)> = e
            .iter()
            .map(|x| (x.field.clone(), x.problem.clone()))
            .collect();
        let unknown = |v: &str| Problem::UnknownCode { value: v.into() };
        assert_eq!(
            got,
            vec![
                ("indicators".to_string(), unknown("bogus")),
                ("indicators".to_string(), unknown("also_bogus")),
                ("exploitation_forms".to_string(), unknown("slavery")),
                (
                    "age_years".to_string(),
                    Problem::AgeImplausible { max: MAX_AGE_YEARS }
                ),
            ]
        );
        // Repeated and padded codes are fine.
        let a = run(&facts(&["recruitment", " recruitment "]));
        assert_eq!(a.trafficking.act.indicators, vec!["recruitment"]);
    }

    #[test]
    fn facts_deserialise_with_unknown_as_absent() {
        let f: AssessmentFacts = toml::from_str(
            "age_years = 15\nindicators = [\"recruitment\"]\ncrossed_border = false\n",
        )
        .unwrap();
        assert_eq!(f.age_years, Some(15));
        assert_eq!(f.crossed_border, Some(false));
        assert_eq!(f.benefit_to_facilitator, None);
        assert!(toml::from_str::<AssessmentFacts>("crosed_border = true\n").is_err());
        // QUESTIONS names exactly the fields besides the indicators.
        let all = AssessmentFacts {
            age_years: Some(1),
            is_child: Some(true),
            indicators: vec!["x".into()],
            exploitation_forms: vec!["x".into()],
            crossed_border: Some(true),
            irregular_crossing: Some(true),
            benefit_to_facilitator: Some(true),
            consented: Some(true),
            exploited_en_route: Some(true),
        };
        let table = toml::Value::try_from(&all).unwrap();
        let mut keys: Vec<&str> = table
            .as_table()
            .unwrap()
            .keys()
            .map(String::as_str)
            .filter(|k| *k != "indicators")
            .collect();
        keys.sort_unstable();
        let mut questions = QUESTIONS.to_vec();
        questions.sort_unstable();
        assert_eq!(keys, questions);
    }

    const GOOD_FILE: &str = r#"
[[indicator]]
code = "recruitment"
category = "act"
[[indicator]]
code = "coercion"
category = "means"
[[indicator]]
code = "ilo_debt_bondage"
category = "forced_labour"
implies_means = ["coercion"]
exploitation_form = "bonded_labour"
[[indicator]]
code = "crossed_international_border"
category = "smuggling"
smuggling_elements = ["border"]
[[indicator]]
code = "poverty"
category = "vulnerability"
"#;

    fn with_purposes(src: &str) -> String {
        let mut s = src.to_string();
        for f in ExploitationForm::ALL {
            s.push_str(&format!(
                "[[indicator]]\ncode = \"purpose_{f}\"\ncategory = \"purpose\"\nexploitation_form = \"{f}\"\n"
            ));
        }
        s
    }

    #[test]
    fn a_good_indicator_file_parses() {
        let list = parse_indicators(&with_purposes(GOOD_FILE)).unwrap();
        assert_eq!(list.len(), 5 + ExploitationForm::ALL.len());
        assert_eq!(list[3].smuggling_elements, vec![SmugglingElement::Border]);
    }

    #[test]
    fn a_bad_indicator_file_lists_every_problem() {
        let bad = r#"
[[indicator]]
code = "recruitment"
category = "act"
[[indicator]]
code = "recruitment"
category = "act"
[[indicator]]
code = "Bad-Code"
category = "actions"
[[indicator]]
code = "ilo_debt_bondage"
category = "forced_labour"
implies_means = ["coercion", "recruitment"]
exploitation_form = "slavery"
[[indicator]]
code = "paid"
category = "smuggling"
smuggling_elements = ["money"]
[[indicator]]
code = "poverty"
category = "vulnerability"
implies_means = ["threat"]
smuggling_elements = ["border"]
[[indicator]]
code = "purpose_x"
category = "purpose"
"#;
        let errs = parse_indicators(bad).unwrap_err();
        let text = errs.join("\n");
        for expected in [
            "indicators.toml: indicator `recruitment` is defined twice",
            "indicator code `Bad-Code` is not snake_case",
            "indicator `Bad-Code` has unknown category `actions`",
            "indicator `ilo_debt_bondage` names unknown form of exploitation `slavery`",
            "indicator `ilo_debt_bondage` implies unknown means indicator `coercion`",
            "indicator `ilo_debt_bondage` implies `recruitment`, which is not a means indicator",
            "indicator `paid` names unknown smuggling element `money`",
            "indicator `poverty`: only forced_labour indicators may imply means",
            "indicator `poverty`: only smuggling indicators name smuggling elements",
            "purpose indicator `purpose_x` lacks exploitation_form",
            "category `means` has no indicator",
            "form of exploitation `organ_removal` has no purpose indicator",
        ] {
            assert!(text.contains(expected), "missing `{expected}` in:\n{text}");
        }
        assert!(errs.iter().all(|e| e.starts_with("indicators.toml: ")));

        let unknown_field =
            parse_indicators("[[indicator]]\ncode = \"a\"\ncategory = \"act\"\nlabel = \"A\"\n")
                .unwrap_err();
        assert!(
            unknown_field[0].contains("unknown field `label`"),
            "{unknown_field:?}"
        );
    }

    /// Message ids the screens need, from the closed sets and the catalogue.
    fn required_message_ids() -> Vec<String> {
        let mut ids: Vec<String> = refdata()
            .indicators
            .iter()
            .map(|i| format!("indicator-{}", i.code))
            .collect();
        for c in IndicatorCategory::ALL {
            ids.push(format!("indicator-category-{c}"));
            ids.push(format!("indicator-category-{c}-hint"));
        }
        ids.extend(Suggestion::ALL.iter().map(|s| s.message_id()));
        ids.extend(ReasonCode::ALL.iter().map(|r| r.message_id()));
        ids.extend(QUESTIONS.iter().map(|q| format!("assess-q-{q}")));
        ids.extend(["yes", "no", "unknown"].map(|a| format!("assess-answer-{a}")));
        ids.extend(Element::ALL.iter().map(|e| format!("assess-element-{e}")));
        ids.extend(
            FindingStatus::ALL
                .iter()
                .map(|s| format!("assess-status-{s}")),
        );
        ids.extend(
            Conclusion::ALL
                .iter()
                .map(|c| format!("assess-conclusion-{c}")),
        );
        ids.extend(Topic::ALL.iter().map(|t| format!("assess-topic-{t}")));
        ids
    }

    fn message_ids(src: &str) -> BTreeSet<String> {
        src.lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_alphabetic()))
            .filter_map(|l| l.split_once('=').map(|(k, _)| k.trim().to_string()))
            .collect()
    }

    const EN: &str = include_str!("../../i18n/locales/assessment.en.ftl");
    const UR: &str = include_str!("../../i18n/locales/assessment.ur.ftl");

    #[test]
    fn every_code_has_a_message_in_both_languages() {
        let (en, ur) = (message_ids(EN), message_ids(UR));
        let missing: Vec<_> = required_message_ids()
            .into_iter()
            .filter(|id| !en.contains(id) || !ur.contains(id))
            .collect();
        assert!(missing.is_empty(), "missing messages: {missing:?}");
        assert_eq!(en, ur, "assessment.en.ftl and assessment.ur.ftl differ");
        let required: BTreeSet<String> = required_message_ids().into_iter().collect();
        let unused: Vec<_> = en.difference(&required).collect();
        assert!(unused.is_empty(), "messages no code uses: {unused:?}");
    }

    #[test]
    fn urdu_messages_are_urdu_with_latin_isolated() {
        for line in UR.lines().filter(|l| l.contains(" = ")) {
            let (id, text) = line.split_once(" = ").unwrap();
            assert!(
                text.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
                "{id} is not in Urdu script"
            );
            let mut depth = 0i32;
            for c in text.chars() {
                match c {
                    '\u{2066}' => depth += 1,
                    '\u{2069}' => depth -= 1,
                    c if c.is_ascii_alphabetic() => {
                        assert!(depth > 0, "{id}: Latin text outside U+2066..U+2069")
                    }
                    _ => {}
                }
            }
            assert_eq!(depth, 0, "{id}: unbalanced isolates");
        }
    }
}
