//! The demo's organized-crime assessment: the Global Organized Crime Index's published scores of
//! all 193 countries (the repository's copy of its workbook, embedded: a quarter of a megabyte,
//! imported in well under a second), and two provincial assessments the FIA analyst made for 2023
//! with the 2023 indicators: Punjab, the main source of irregular migrants, and Balochistan, the
//! land and sea corridor they are smuggled through. Both are saved through the application, as
//! an analyst would, so they are validated, sealed and audited as in service.

use anyhow::{anyhow, bail};
use nigehban_core::actor::Principal;
use nigehban_core::service::{AssessmentInput, IndexImport};
use nigehban_core::Nigehban;

const WORKBOOK: &[u8] = include_bytes!("../../ocindex/data/global_oc_index.xlsx");

/// (indicator, score, justification) for one place.
type Sample = &'static [(&'static str, &'static str, &'static str)];

const PUNJAB_2023: Sample = &[
    ("human_trafficking", "8", "Bonded labour at brick kilns and in agriculture across central and south Punjab; domestic servitude of children in Lahore households; recruitment for sexual exploitation in the Gulf through licensed and unlicensed promoters."),
    ("human_smuggling", "9", "Gujrat, Gujranwala, Mandi Bahauddin, Sialkot and Jhelum are the main source districts; village agents collect PKR 650,000-800,000 for Greece or Italy and pass migrants to Quetta transporters."),
    ("arms_trafficking", "6", "Illicit weapons reach the province from KP workshops; seizures on the GT Road are regular but networks are local and small."),
    ("flora_crimes", "3", "Timber smuggling is limited to the Salt Range and Murree hills; no organised trade beyond local mafias."),
    ("fauna_crimes", "4.5", "Trapping of falcons and houbara hunting parties in Cholistan; pangolin scales collected for onward trade via Karachi."),
    ("non_renewable_resource_crimes", "4", "Illegal sand and gravel mining along the Chenab and Jhelum rivers, tolerated by local officials."),
    ("heroin_trade", "7", "Heroin moves south along the motorway to Karachi; Lahore and Faisalabad retail markets supplied by networks from KP."),
    ("cocaine_trade", "2.5", "Small elite market in Lahore; no transit trade recorded."),
    ("cannabis_trade", "6", "Widespread retail cannabis; supply from KP and Balochistan."),
    ("synthetic_drug_trade", "6.5", "Methamphetamine (ice) use rising among students in Lahore and Rawalpindi; supplied through Balochistan."),
    ("cyber_dependent_crimes", "5", "Online fraud and sextortion cases reported to the FIA Cyber Crime Wing in Lahore, some linked to job offers abroad."),
    ("financial_crimes", "6.5", "Hawala dealers in Gujrat and Gujranwala settle smugglers' fees in instalments; visa and job frauds by fake overseas employment promoters."),
    ("counterfeit_goods", "5", "Counterfeit medicines and branded goods sold openly in wholesale markets."),
    ("excisable_goods", "5", "Cigarettes and fuel smuggled from Iran sold along transport routes."),
    ("extortion_racketeering", "5", "Debt collection by agents' enforcers from families of migrants held in Iran or Libya."),
    ("mafia_style_groups", "5", "Land and qabza groups in Lahore, not central to migrant smuggling."),
    ("criminal_networks", "8.5", "Layered networks: village sub-agents, main agents in Gujrat and Lahore, transporters in Quetta, hawala in Dubai; each segment paid on delivery."),
    ("state_embedded_actors", "6.5", "Complicity reported at police stations and in the Protector of Emigrants' offices; FIRs avoided for payment."),
    ("foreign_actors", "6", "Iranian and Turkish smugglers take migrants over from Pakistani agents; Libyan networks for the central Mediterranean route."),
    ("private_sector_actors", "6", "Licensed overseas employment promoters and travel agencies issue fraudulent visas and tickets."),
    ("political_leadership", "4", "Anti-smuggling drives follow boat tragedies but lapse; local political patronage of agents."),
    ("government_transparency", "4", "Little public reporting on prosecutions; complaints against officials rarely concluded."),
    ("international_cooperation", "5", "Cooperation with Greece, Italy and the EU on returns; limited joint investigations."),
    ("national_policies", "5.5", "PTPA and PSMA 2018 in force; provincial bonded labour law exists but is weakly applied."),
    ("judicial_system", "3.5", "Low conviction rates; cases collapse when victims and witnesses withdraw."),
    ("law_enforcement", "5", "FIA AHTC circles in Lahore and Gujranwala active; police cooperation uneven across districts."),
    ("territorial_integrity", "6", "No border of its own; the provincial state controls its territory."),
    ("anti_money_laundering", "4", "Hawala remains the main channel for smugglers' payments; few financial investigations accompany smuggling cases."),
    ("economic_regulatory_capacity", "5", "Large informal economy in the source districts."),
    ("victim_witness_support", "3.5", "Few shelters for trafficked persons; returnees get no support."),
    ("prevention", "4", "Awareness campaigns in source districts are occasional and small."),
    ("non_state_actors", "5", "NGOs work on bonded labour and with returnees; journalists report on deaths at sea."),
];

const BALOCHISTAN_2023: Sample = &[
    ("human_trafficking", "7", "Migrants held for ransom in safe houses in Turbat and Mand; women and children trafficked across the Iranian border."),
    ("human_smuggling", "9.5", "The land corridor to Iran through Taftan, Mashkel and Mand Ballo and the sea route from Gwadar, Jiwani and Pishukan to Oman; for some border villages smuggling is the main income."),
    ("arms_trafficking", "7.5", "Weapons cross from Afghanistan and circulate among insurgents and smugglers."),
    ("flora_crimes", "3", "Limited; juniper forests of Ziarat cut for fuel."),
    ("fauna_crimes", "5", "Houbara hunting under permits issued against the law; trade in Chagai falcons."),
    ("non_renewable_resource_crimes", "7", "Illicit coal and chromite mining, and fuel smuggling from Iran worth more than local trade."),
    ("heroin_trade", "9", "The main transit of Afghan heroin to the Makran coast and Iran; laboratories in the border areas."),
    ("cocaine_trade", "1.5", "No market."),
    ("cannabis_trade", "7", "Cannabis from Afghanistan transits to the coast and Iran."),
    ("synthetic_drug_trade", "8", "Methamphetamine from Afghanistan crosses into the province and onward to Punjab and Sindh."),
    ("cyber_dependent_crimes", "2", "Little connectivity; no significant market."),
    ("financial_crimes", "5.5", "Hawala and cash settle smuggling fees at Quetta and Turbat."),
    ("counterfeit_goods", "4", "Smuggled goods, not counterfeit production."),
    ("excisable_goods", "8.5", "Iranian diesel and cigarettes carried across the border in daily convoys, taxed informally."),
    ("extortion_racketeering", "6.5", "Armed groups levy tolls on smuggling routes and mines."),
    ("mafia_style_groups", "6", "Tribal smuggling syndicates control crossings and the fuel trade."),
    ("criminal_networks", "8.5", "Transporters and safe-house keepers receive migrants from Punjab agents and hand them to Iranian smugglers."),
    ("state_embedded_actors", "7.5", "Checkpoints let convoys through for payment; intercepted migrants released for bribes."),
    ("foreign_actors", "7.5", "Iranian and Afghan smugglers and drug traffickers operate on both sides of the border."),
    ("private_sector_actors", "4", "Transport companies carry migrants to Quetta and the border knowingly."),
    ("political_leadership", "3", "Governance weak in border districts; insurgency shapes priorities."),
    ("government_transparency", "3", "Little reporting on enforcement; budgets for border control opaque."),
    ("international_cooperation", "4", "Cooperation with Iran on returns at Taftan; little beyond it."),
    ("national_policies", "5", "National laws apply; provincial implementation limited."),
    ("judicial_system", "3", "Courts distant from the border; smuggling cases rarely tried."),
    ("law_enforcement", "3.5", "FC and Levies at crossings, the FIA thinly staffed: fewer than 10 officials to process 500-600 deportees at Quetta."),
    ("territorial_integrity", "2.5", "The state does not control long stretches of the Iran and Afghan borders; insurgent activity along the routes."),
    ("anti_money_laundering", "3", "Cash economy; no financial investigation of smuggling proceeds."),
    ("economic_regulatory_capacity", "3", "The formal economy is small beside smuggling."),
    ("victim_witness_support", "2.5", "No shelter or referral for intercepted migrants or deportees at Taftan."),
    ("prevention", "3", "No prevention work in transit communities."),
    ("non_state_actors", "3.5", "Few NGOs; journalists at risk."),
];

fn input(scope: &str, year: &str, sample: Sample) -> AssessmentInput {
    AssessmentInput {
        scope: scope.into(),
        year: year.into(),
        edition: "2023".into(),
        scores: sample
            .iter()
            .map(|(code, score, _)| ((*code).to_string(), (*score).to_string()))
            .collect(),
        justifications: sample
            .iter()
            .map(|(code, _, why)| ((*code).to_string(), (*why).to_string()))
            .collect(),
        version: None,
    }
}

/// Import the published scores (idempotent) and save the two sample assessments.
pub async fn load(app: &Nigehban) -> anyhow::Result<()> {
    let err = |e: nigehban_core::CoreError| anyhow!("loading the demo assessments: {e}");
    match app
        .import_index(&Principal::system("demo"), "global_oc_index.xlsx", WORKBOOK)
        .await
        .map_err(err)?
    {
        IndexImport::Imported(_) => {}
        IndexImport::Refused { problems } => bail!(
            "the embedded Global Organized Crime Index workbook is refused: {}",
            problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("; ")
        ),
    }
    let analyst = app.cli_actor("analyst").await.map_err(err)?;
    for (scope, sample) in [
        ("province:PB", PUNJAB_2023),
        ("province:BA", BALOCHISTAN_2023),
    ] {
        app.save_assessment(&analyst, None, &input(scope, "2023", sample))
            .await
            .map_err(err)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_samples_score_every_2023_indicator_once() {
        let m = nigehban_ocindex::Method::embedded().unwrap();
        let e = m.edition(2023).unwrap();
        for sample in [PUNJAB_2023, BALOCHISTAN_2023] {
            let codes: Vec<&str> = sample.iter().map(|s| s.0).collect();
            let want: Vec<&str> = e.indicators().map(|i| i.code.as_str()).collect();
            assert_eq!(codes, want);
            for (code, score, _) in sample {
                assert!(nigehban_ocindex::Score::parse(score).is_ok(), "{code}");
            }
        }
    }
}
