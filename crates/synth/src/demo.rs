//! The demo dataset: cases with their persons, stage histories and verdicts, in batches.

use crate::geo::{Geo, OriginMode};
use crate::names::NameEntry;
use crate::person::{foreign_mobile, mobile, nat_static, Docs, PersonGen, PersonSpec, Req};
use crate::scenario::{
    destination, narratives, place_short, price, recent_bias, route, titles, Loc, Net, Scenario,
    UnitAt,
};
use crate::util::{
    add_days, capitalise, date_between, fill, number_words, office_time, pick, pickc, uuid_at,
    wpick, zipf_index, Rand,
};
use crate::{Creator, DemoConfig, NameLists, SynthError};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use nigehban_core::store::{BulkBatch, BulkCase, NewCase, NewPerson, StageEvent};
use nigehban_domain::case::CaseInput;
use nigehban_domain::crime::CrimeType;
use nigehban_domain::ids::{CaseId, CasePersonId, PersonId};
use nigehban_domain::org::AgencyKind;
use nigehban_domain::person::{CaseRole, ChainRole, PersonRole, Sex};
use nigehban_domain::reference::{District, Place, PlaceKind, ReferenceData};
use nigehban_domain::stage::{CaseStage, Verdict};
use rand::{Rng, SeedableRng};
use std::collections::{BTreeMap, BTreeSet};

/// Attempts at generating a valid record before giving up.
const ATTEMPTS: u32 = 12;

struct CreatorInfo<'a> {
    creator: &'a Creator,
    kind: Option<AgencyKind>,
    district: Option<&'a District>,
    places: Vec<&'a Place>,
    table: Vec<(Scenario, u32)>,
    weight: u32,
}

struct Plan {
    creator: usize,
    scenario: Scenario,
    offence: NaiveDate,
    complaint: NaiveDate,
}

/// A person in the synthetic world, once written.
struct Rec<'a> {
    id: PersonId,
    spec: PersonSpec<'a>,
    cases: u8,
}

/// The case being built.
struct Cx<'a> {
    s: Scenario,
    creator: usize,
    date: NaiveDate,
    at: DateTime<Utc>,
    district: &'a District,
    place: Option<&'a Place>,
    dest: &'static str,
    net: String,
    links: Vec<(usize, CaseRole)>,
    scale: f64,
    mass_base: usize,
    crimes: BTreeSet<CrimeType>,
    /// A family name for the migrants (Hazaras).
    family_hint: Option<&'a NameEntry>,
}

impl Cx<'_> {
    fn tip(&self) -> bool {
        self.crimes.contains(&CrimeType::Tip)
    }
    fn som(&self) -> bool {
        self.crimes.contains(&CrimeType::Som)
    }
    /// The country that sent deportees back.
    fn deported_from(&self) -> &'static str {
        match self.s {
            Scenario::IranDeportees => "Iran",
            _ => self.dest,
        }
    }
}

pub(crate) struct Demo<'a> {
    rng: Rand,
    geo: Geo<'a>,
    names: &'a NameLists,
    today: NaiveDate,
    creators: Vec<CreatorInfo<'a>>,
    registry: Vec<Rec<'a>>,
    /// Persons written in the current batch.
    fresh: Vec<NewPerson>,
    migrant_pool: Vec<usize>,
    agents: BTreeMap<String, Vec<(usize, ChainRole)>>,
    /// Phone numbers seen with a network's agents, and how many agents hold each.
    phones: BTreeMap<String, Vec<(String, u8)>>,
}

fn unit_at(places: &[&Place]) -> UnitAt {
    let mut at = UnitAt::default();
    for p in places {
        match p.kind {
            PlaceKind::Airport => at.airport = true,
            PlaceKind::Seaport => at.seaport = true,
            PlaceKind::LandBorder | PlaceKind::InformalCrossing => at.land = true,
            PlaceKind::CoastalLaunchPoint => at.coast = true,
        }
    }
    at
}

fn kind_weight(kind: Option<AgencyKind>) -> u32 {
    match kind {
        Some(AgencyKind::Fia) => 30,
        Some(AgencyKind::Police) => 22,
        Some(AgencyKind::TaskForce) => 12,
        Some(AgencyKind::Prosecution) => 3,
        Some(AgencyKind::Ngo) => 5,
        Some(AgencyKind::UnAgency) => 3,
        Some(AgencyKind::ForeignLiaison) => 2,
        None => 10,
    }
}

fn place_candidates(refdata: &ReferenceData, loc: Loc) -> Vec<&Place> {
    match loc {
        Loc::Place {
            kinds, neighbours, ..
        } => refdata
            .places
            .iter()
            .filter(|p| kinds.contains(&p.kind))
            .filter(|p| {
                neighbours.is_empty()
                    || p.neighbour
                        .as_deref()
                        .is_some_and(|n| neighbours.contains(&n))
            })
            .collect(),
        Loc::Area(_) => Vec::new(),
    }
}

impl<'a> Demo<'a> {
    pub fn new(
        refdata: &'a ReferenceData,
        names: &'a NameLists,
        creators: &'a [Creator],
        seed: u64,
        today: NaiveDate,
    ) -> Result<Demo<'a>, SynthError> {
        if creators.is_empty() {
            return Err(SynthError::NoCreators);
        }
        let geo = Geo::new(refdata);
        let mut infos = Vec::with_capacity(creators.len());
        for c in creators {
            let kind = refdata.agency(&c.agency).map(|a| a.kind);
            let unit = refdata.units.iter().find(|u| u.code == c.unit_code);
            let district = unit.and_then(|u| refdata.district(&u.district));
            let mut places: Vec<&Place> = refdata
                .places
                .iter()
                .filter(|p| c.unit_code.contains(p.code.as_str()))
                .collect();
            if places.is_empty() {
                if let Some(d) = district {
                    places = refdata
                        .places
                        .iter()
                        .filter(|p| p.district == d.code)
                        .collect();
                }
            }
            // Circles are not posted at exit points even when one lies in their district.
            let posted = kind != Some(AgencyKind::Fia)
                || c.unit_code.contains("IMM")
                || c.unit_code.contains("PORT");
            if !posted
                || matches!(
                    kind,
                    Some(
                        AgencyKind::Police
                            | AgencyKind::Prosecution
                            | AgencyKind::Ngo
                            | AgencyKind::UnAgency
                    )
                )
            {
                places.clear();
            }
            let at = unit_at(&places);
            let province = district.map(|d| d.province.as_str());
            let allowed = |s: Scenario| -> bool {
                match s.loc() {
                    Loc::Place { strict: true, .. } => {
                        let cands = place_candidates(refdata, s.loc());
                        places
                            .iter()
                            .any(|p| cands.iter().any(|c| c.code == p.code))
                            || match province {
                                None => !cands.is_empty(),
                                Some(pv) => cands.iter().any(|p| geo.province_of(p) == Some(pv)),
                            }
                    }
                    _ => true,
                }
            };
            // District police take up what happens in their district.
            let local_fit = |s: Scenario, w: u32| -> u32 {
                match (kind, s.loc(), district) {
                    (Some(AgencyKind::Police), Loc::Area(prefer), Some(d))
                        if !prefer.is_empty() && !prefer.contains(&d.code.as_str()) =>
                    {
                        w.div_ceil(4)
                    }
                    _ => w,
                }
            };
            let build = |k: Option<AgencyKind>| -> Vec<(Scenario, u32)> {
                Scenario::ALL
                    .iter()
                    .map(|s| (*s, local_fit(*s, s.weight(k, &at, province))))
                    .filter(|(s, w)| *w > 0 && allowed(*s))
                    .collect()
            };
            let mut table = build(kind);
            if table.is_empty() {
                table = build(None);
            }
            if table.is_empty() {
                table = vec![(Scenario::VisaFraud, 1)];
            }
            infos.push(CreatorInfo {
                creator: c,
                kind,
                district,
                places,
                table,
                weight: kind_weight(kind),
            });
        }
        Ok(Demo {
            rng: Rand::seed_from_u64(seed ^ 0x4e69_6765_6862_616e),
            geo,
            names,
            today,
            creators: infos,
            registry: Vec::new(),
            fresh: Vec::new(),
            migrant_pool: Vec::new(),
            agents: BTreeMap::new(),
            phones: BTreeMap::new(),
        })
    }

    fn last_day(&self) -> NaiveDate {
        add_days(self.today, -1)
    }

    fn plan(&mut self) -> Plan {
        let weights: Vec<(usize, u32)> = self
            .creators
            .iter()
            .enumerate()
            .map(|(i, c)| (i, c.weight))
            .collect();
        let creator = wpick(&mut self.rng, &weights).unwrap_or(0);
        let table = self
            .creators
            .get(creator)
            .map(|c| c.table.clone())
            .unwrap_or_default();
        let scenario = wpick(&mut self.rng, &table).unwrap_or(Scenario::VisaFraud);
        let last = add_days(self.today, -2);
        let offence = match scenario.window(self.today) {
            Some((from, to)) if from <= to.min(last) => {
                date_between(&mut self.rng, from, to.min(last))
            }
            _ => recent_bias(&mut self.rng, self.today),
        };
        let (lo, hi) = scenario.lag();
        let lag = self.rng.gen_range(lo..=hi);
        let complaint = add_days(offence, lag).min(self.last_day());
        Plan {
            creator,
            scenario,
            offence,
            complaint,
        }
    }

    /// Generate the dataset.
    pub fn run(
        mut self,
        cfg: &DemoConfig,
        batch_cases: usize,
    ) -> Result<Vec<BulkBatch>, SynthError> {
        let batch_cases = batch_cases.max(1);
        let mut plans: Vec<Plan> = (0..cfg.cases).map(|_| self.plan()).collect();
        plans.sort_by_key(|p| p.complaint);
        let mut batches: Vec<BulkBatch> = Vec::new();
        let mut batch = BulkBatch::default();
        let mut mass_base_sum = 0usize;
        let mut other_sum = 0usize;
        let mut done = 0usize;
        let total = cfg.cases.max(1);
        let mut extra = 0usize;
        let mut queue = plans.into_iter();
        loop {
            let plan = match queue.next() {
                Some(p) => p,
                None => {
                    // Top up when the cases so far hold fewer persons than asked.
                    if self.registry.len() >= cfg.persons || extra > cfg.persons {
                        break;
                    }
                    extra += 1;
                    self.plan()
                }
            };
            let need = cfg.persons.saturating_sub(self.registry.len()) as f64;
            let remaining = total.saturating_sub(done).max(1) as f64;
            let (est_mass, est_other) = if done == 0 {
                (5.0, 3.0)
            } else {
                (
                    (mass_base_sum as f64 / done as f64).max(1.0),
                    other_sum as f64 / done as f64,
                )
            };
            let scale = ((need / remaining - est_other) / est_mass).clamp(0.5, 4.0);
            let before = self.registry.len();
            let (bc, mass_base) = self.case(&plan, scale)?;
            let created = self.registry.len() - before;
            mass_base_sum += mass_base;
            other_sum += created.saturating_sub((mass_base as f64 * scale) as usize);
            done += 1;
            batch.cases.push(bc);
            batch.persons.append(&mut self.fresh);
            if batch.cases.len() >= batch_cases {
                batches.push(std::mem::take(&mut batch));
            }
        }
        if !batch.cases.is_empty() || !batch.persons.is_empty() {
            batches.push(batch);
        }
        Ok(batches)
    }

    fn creator(&self, i: usize) -> Option<&CreatorInfo<'a>> {
        self.creators.get(i)
    }

    /// The district a unit registers a case in.
    fn area_district(&mut self, ci: usize, prefer: &[&str]) -> Option<&'a District> {
        let info = self.creator(ci)?;
        let own = info.district;
        let kind = info.kind;
        let federal = matches!(kind, Some(AgencyKind::Fia) | None);
        let geo = &self.geo;
        let rng = &mut self.rng;
        let Some(own) = own else {
            let listed = geo.listed_in(prefer, None);
            return if !listed.is_empty() && rng.gen_bool(0.5) {
                pickc(rng, &listed)
            } else {
                geo.main_source(rng)
            };
        };
        let province = own.province.as_str();
        // District police and the task forces work in their own district.
        let local_p = match kind {
            Some(AgencyKind::Police) => 0.75,
            Some(AgencyKind::TaskForce) => 0.85,
            _ => 0.0,
        };
        if local_p > 0.0 {
            return if rng.gen_bool(local_p) {
                Some(own)
            } else {
                pickc(rng, geo.districts_in(province)).or(Some(own))
            };
        }
        let listed = geo.listed_in(prefer, Some(province));
        let main: Vec<&District> = geo
            .main_source
            .iter()
            .copied()
            .filter(|d| d.province == province)
            .collect();
        // A unit outside the scenario's usual districts registers most such cases where they happen.
        let own_listed = prefer.is_empty() || prefer.contains(&own.code.as_str());
        let plan = if own_listed || listed.is_empty() {
            [
                (0u8, 40u32),
                (1, if listed.is_empty() { 0 } else { 30 }),
                (2, if main.is_empty() { 0 } else { 15 }),
                (3, 10),
                (4, if federal { 5 } else { 0 }),
            ]
        } else {
            [
                (0u8, 12u32),
                (1, 58),
                (2, if main.is_empty() { 0 } else { 10 }),
                (3, 15),
                (4, if federal { 5 } else { 0 }),
            ]
        };
        let d = match wpick(rng, &plan).unwrap_or(0) {
            1 => pickc(rng, &listed),
            2 => pickc(rng, &main),
            3 => pickc(rng, geo.districts_in(province)),
            4 => geo.main_source(rng),
            _ => Some(own),
        };
        d.or(Some(own))
    }

    /// Where the case is registered, and the exit point involved if any.
    fn locate(&mut self, ci: usize, s: Scenario) -> Option<(&'a District, Option<&'a Place>)> {
        match s.loc() {
            Loc::Area(prefer) => self.area_district(ci, prefer).map(|d| (d, None)),
            loc @ Loc::Place { strict, .. } => {
                let cands = place_candidates(self.geo.refdata, loc);
                let info = self.creator(ci)?;
                let province = info.district.map(|d| d.province.clone());
                let mine: Vec<&'a Place> = info
                    .places
                    .iter()
                    .copied()
                    .filter(|p| cands.iter().any(|c| c.code == p.code))
                    .collect();
                let in_prov: Vec<&'a Place> = cands
                    .iter()
                    .copied()
                    .filter(|p| {
                        province
                            .as_deref()
                            .is_some_and(|pv| self.geo.province_of(p) == Some(pv))
                    })
                    .collect();
                let place = if !mine.is_empty() && self.rng.gen_bool(0.9) {
                    pickc(&mut self.rng, &mine)
                } else if !in_prov.is_empty() && (strict || self.rng.gen_bool(0.8)) {
                    pickc(&mut self.rng, &in_prov)
                } else {
                    // The big exit points see most traffic.
                    let big: Vec<&'a Place> = cands
                        .iter()
                        .copied()
                        .filter(|p| {
                            matches!(
                                p.code.as_str(),
                                "ISB-AIRPORT"
                                    | "LHE-AIRPORT"
                                    | "KHI-AIRPORT"
                                    | "PEW-AIRPORT"
                                    | "MUX-AIRPORT"
                                    | "SKT-AIRPORT"
                                    | "KHI-SEAPORT"
                                    | "TAFTAN"
                            )
                        })
                        .collect();
                    if !big.is_empty() && self.rng.gen_bool(0.7) {
                        pickc(&mut self.rng, &big)
                    } else {
                        pickc(&mut self.rng, &cands)
                    }
                };
                let place_district = place.and_then(|p| self.geo.district(&p.district));
                let posted_here = place.is_some_and(|p| mine.iter().any(|m| m.code == p.code));
                let here = strict
                    || posted_here
                    || match (&province, place_district) {
                        (None, Some(_)) => true,
                        (Some(pv), Some(pd)) => &pd.province == pv,
                        _ => false,
                    };
                if here {
                    place_district.map(|d| (d, place))
                } else {
                    self.area_district(ci, &[]).map(|d| (d, place))
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Persons
    // ------------------------------------------------------------------------------------------

    /// Generate, validate and register a new person; returns its index in the registry.
    fn create(&mut self, cx: &Cx<'a>, req: &Req<'a, '_>) -> Result<usize, SynthError> {
        let mut last_err = String::new();
        for _ in 0..ATTEMPTS {
            let pg = PersonGen {
                geo: &self.geo,
                names: self.names,
            };
            let Some(spec) = pg.generate(&mut self.rng, req) else {
                last_err = "no names to draw from".into();
                continue;
            };
            match spec.validate(&self.geo, self.today) {
                Ok(person) => {
                    return Ok(self.register(cx, spec, person));
                }
                Err(e) => last_err = e.to_string(),
            }
        }
        Err(SynthError::Invalid {
            what: "person",
            attempts: ATTEMPTS,
            detail: last_err,
        })
    }

    fn register(
        &mut self,
        cx: &Cx<'a>,
        spec: PersonSpec<'a>,
        person: nigehban_domain::person::ValidatedPerson,
    ) -> usize {
        let created_at = cx.at + Duration::seconds(self.fresh.len() as i64 * 90 + 60);
        let id = PersonId(uuid_at(&mut self.rng, created_at));
        let (agency, created_by) = self
            .creator(cx.creator)
            .map(|c| (c.creator.agency.clone(), c.creator.user_id))
            .unwrap_or_default();
        self.fresh.push(NewPerson {
            id,
            person,
            agency,
            created_by,
            created_at,
        });
        self.registry.push(Rec { id, spec, cases: 0 });
        self.registry.len() - 1
    }

    /// Link a person to the case in a role, once per role.
    fn link(&mut self, cx: &mut Cx<'a>, idx: usize, role: PersonRole, chain: Option<ChainRole>) {
        if cx.links.iter().any(|(i, r)| *i == idx && r.role == role) {
            return;
        }
        if !cx.links.iter().any(|(i, _)| *i == idx) {
            if let Some(r) = self.registry.get_mut(idx) {
                r.cases = r.cases.saturating_add(1);
            }
        }
        let chain_role = if role == PersonRole::Suspect {
            Some(chain.unwrap_or(ChainRole::MainAgent))
        } else {
            None
        };
        cx.links.push((idx, CaseRole { role, chain_role }));
    }

    fn in_case(cx: &Cx<'a>, idx: usize) -> bool {
        cx.links.iter().any(|(i, _)| *i == idx)
    }

    fn spec(&self, idx: usize) -> Option<&PersonSpec<'a>> {
        self.registry.get(idx).map(|r| &r.spec)
    }

    fn note(&mut self, options: &[&str], p: f64, vars: &[(&str, String)]) -> Option<String> {
        if self.rng.gen_bool(p) {
            pickc(&mut self.rng, options).map(|t| fill(t, vars))
        } else {
            None
        }
    }

    /// Migrants, deportees, offloadees or intercepted migrants; some met before.
    #[allow(clippy::too_many_arguments)]
    fn migrants(
        &mut self,
        cx: &mut Cx<'a>,
        role: PersonRole,
        n: usize,
        female_p: f64,
        passport_p: f64,
        mode: OriginMode,
        foreign: &[(&'static str, u32)],
        foreign_p: f64,
    ) -> Result<Vec<usize>, SynthError> {
        let mut out = Vec::with_capacity(n);
        for _ in 0..n {
            // Met before: deported twice, intercepted again.
            if !self.migrant_pool.is_empty() && self.rng.gen_bool(0.06) {
                let k = self.rng.gen_range(0..self.migrant_pool.len());
                if let Some(&idx) = self.migrant_pool.get(k) {
                    let ok = self
                        .registry
                        .get(idx)
                        .is_some_and(|r| r.cases < 3 && r.spec.age_on(cx.date) >= 16);
                    if ok && !Self::in_case(cx, idx) {
                        self.link(cx, idx, role, None);
                        out.push(idx);
                        continue;
                    }
                }
            }
            // Recorded again as a new person, spelt differently.
            if !self.migrant_pool.is_empty() && self.rng.gen_bool(0.012) {
                let k = self.rng.gen_range(0..self.migrant_pool.len());
                if let Some(spec) = self
                    .migrant_pool
                    .get(k)
                    .and_then(|i| self.spec(*i))
                    .cloned()
                {
                    let dup = spec.near_duplicate(&mut self.rng);
                    if let Ok(person) = dup.validate(&self.geo, self.today) {
                        let idx = self.register(cx, dup, person);
                        self.link(cx, idx, role, None);
                        out.push(idx);
                        continue;
                    }
                }
            }
            let female = self.rng.gen_bool(female_p);
            let minor = role != PersonRole::Victim && self.rng.gen_bool(0.05);
            let age = if minor {
                self.rng.gen_range(14..18)
            } else {
                18 + (self.rng.gen::<f64>().powi(2) * 27.0) as u32
            };
            let origin = self.geo.origin(&mut self.rng, mode, Some(cx.district));
            let mut req = Req::new(
                if female { Sex::Female } else { Sex::Male },
                age,
                cx.date,
                origin,
            );
            req.docs = Docs {
                cnic: 0.82,
                passport: passport_p,
                phone: 0.6,
            };
            req.family = cx.family_hint;
            if !foreign.is_empty() && self.rng.gen_bool(foreign_p) {
                req.nationality = nat_static(wpick(&mut self.rng, foreign).unwrap_or("AFG"));
                req.claims_pak = self.rng.gen_bool(0.4);
            }
            let place = cx
                .place
                .map(|p| place_short(&p.code, &p.name_en))
                .unwrap_or_default();
            let vars = [
                ("place", place),
                ("dest", cx.dest.to_string()),
                ("from", cx.deported_from().to_string()),
            ];
            req.notes = match role {
                PersonRole::Deportee => self.note(
                    &[
                        "Deported from {from}; received at {place}.",
                        "Handed over by {from} authorities.",
                        "Deported from {from}. Screened for victim indicators.",
                        "Travel documents retained as evidence.",
                    ],
                    0.3,
                    &vars,
                ),
                PersonRole::InterceptedMigrant => self.note(
                    &[
                        "Intercepted with group; screened for victim indicators.",
                        "No travel documents. Statement recorded.",
                        "States he paid the agent in instalments.",
                    ],
                    0.25,
                    &vars,
                ),
                PersonRole::Offloadee => self.note(
                    &[
                        "Offloaded; forged visa retained as evidence.",
                        "Offloaded at {place}; passport impounded.",
                    ],
                    0.3,
                    &vars,
                ),
                _ => self.note(
                    &[
                        "Statement recorded.",
                        "Family paid the agent through hawala.",
                        "Returned to Pakistan; statement recorded.",
                    ],
                    0.2,
                    &vars,
                ),
            };
            let idx = self.create(cx, &req)?;
            self.link(cx, idx, role, None);
            self.migrant_pool.push(idx);
            out.push(idx);
        }
        Ok(out)
    }

    /// Victims or workers drawn from a profile.
    #[allow(clippy::too_many_arguments)]
    fn people(
        &mut self,
        cx: &mut Cx<'a>,
        role: PersonRole,
        n: usize,
        female_p: f64,
        ages: (u32, u32),
        mode: OriginMode,
        nationality: Option<&'static str>,
    ) -> Result<Vec<usize>, SynthError> {
        let mut out = Vec::with_capacity(n);
        let origin = self.geo.origin(&mut self.rng, mode, Some(cx.district));
        for _ in 0..n {
            let female = self.rng.gen_bool(female_p);
            let age = self.rng.gen_range(ages.0..=ages.1.max(ages.0));
            // Victims recovered together often come from the same place.
            let origin = if self.rng.gen_bool(0.6) {
                origin
            } else {
                self.geo.origin(&mut self.rng, mode, Some(cx.district))
            };
            let mut req = Req::new(
                if female { Sex::Female } else { Sex::Male },
                age,
                cx.date,
                origin,
            );
            req.docs = Docs {
                cnic: 0.5,
                passport: if cx.s.is_tip_internal() { 0.03 } else { 0.4 },
                phone: 0.35,
            };
            if let Some(nat) = nationality {
                req.nationality = nat;
                req.claims_pak = self.rng.gen_bool(0.3);
            }
            if role == PersonRole::Victim {
                req.notes = self.note(
                    &[
                        "Referred to shelter.",
                        "Medico-legal examination conducted.",
                        "Statement recorded under s.164 CrPC.",
                        "Handed over to family on court order.",
                        "Referred for psychosocial support.",
                    ],
                    0.3,
                    &[],
                );
            }
            let idx = self.create(cx, &req)?;
            self.link(cx, idx, role, None);
            out.push(idx);
        }
        Ok(out)
    }

    /// A family held together: father, mother, children. The father comes first.
    fn household(
        &mut self,
        cx: &mut Cx<'a>,
        n: usize,
        mode: OriginMode,
    ) -> Result<Vec<usize>, SynthError> {
        let origin = self.geo.origin(&mut self.rng, mode, Some(cx.district));
        let region = origin.map(|d| d.province.clone());
        let family = self.names.family(region.as_deref(), &mut self.rng);
        let father_age = self.rng.gen_range(28..56);
        let mut req = Req::new(Sex::Male, father_age, cx.date, origin);
        req.family = family;
        req.docs = Docs {
            cnic: 0.6,
            passport: 0.0,
            phone: 0.4,
        };
        let father = self.create(cx, &req)?;
        self.link(cx, father, PersonRole::Victim, None);
        let mut out = vec![father];
        let Some(father_spec) = self.spec(father).cloned() else {
            return Ok(out);
        };
        if n >= 2 {
            let mut req = Req::new(
                Sex::Female,
                father_age.saturating_sub(self.rng.gen_range(2..9)).max(20),
                cx.date,
                origin,
            );
            req.husband = Some(&father_spec);
            req.family = family;
            req.docs = Docs {
                cnic: 0.4,
                passport: 0.0,
                phone: 0.1,
            };
            let mother = self.create(cx, &req)?;
            self.link(cx, mother, PersonRole::Victim, None);
            out.push(mother);
        }
        let max_child = father_age.saturating_sub(18).clamp(4, 19);
        for _ in 2..n {
            let female = self.rng.gen_bool(0.45);
            let age = self.rng.gen_range(3..max_child);
            let mut req = Req::new(
                if female { Sex::Female } else { Sex::Male },
                age,
                cx.date,
                origin,
            );
            req.father = Some(&father_spec);
            req.family = family;
            req.docs = Docs {
                cnic: 0.3,
                passport: 0.0,
                phone: 0.1,
            };
            let child = self.create(cx, &req)?;
            self.link(cx, child, PersonRole::Victim, None);
            out.push(child);
        }
        Ok(out)
    }

    /// A child victim with the father who complains (and sometimes sent the child).
    fn child_with_father(
        &mut self,
        cx: &mut Cx<'a>,
        female_p: f64,
        ages: (u32, u32),
        mode: OriginMode,
    ) -> Result<(usize, usize), SynthError> {
        let docs = Docs {
            cnic: 0.2,
            passport: 0.05,
            phone: 0.05,
        };
        self.parent_and_child(cx, PersonRole::Victim, female_p, ages, mode, docs)
    }

    /// A son or daughter in a role, and the father who complains for them.
    fn parent_and_child(
        &mut self,
        cx: &mut Cx<'a>,
        role: PersonRole,
        female_p: f64,
        ages: (u32, u32),
        mode: OriginMode,
        docs: Docs,
    ) -> Result<(usize, usize), SynthError> {
        let origin = self.geo.origin(&mut self.rng, mode, Some(cx.district));
        let female = self.rng.gen_bool(female_p);
        let age = self.rng.gen_range(ages.0..=ages.1.max(ages.0));
        let father_age = age + self.rng.gen_range(20..36);
        let mut req = Req::new(Sex::Male, father_age, cx.date, origin);
        req.docs = Docs {
            cnic: 0.85,
            passport: 0.05,
            phone: 0.7,
        };
        req.family = cx.family_hint;
        let father = self.create(cx, &req)?;
        let Some(father_spec) = self.spec(father).cloned() else {
            return Ok((father, father));
        };
        let mut req = Req::new(
            if female { Sex::Female } else { Sex::Male },
            age,
            cx.date,
            origin,
        );
        req.father = Some(&father_spec);
        req.family = father_spec.family.map(|p| p.entry);
        req.docs = docs;
        let child = self.create(cx, &req)?;
        self.link(cx, child, role, None);
        self.link(cx, father, PersonRole::Complainant, None);
        if self.rng.gen_bool(0.4) || role != PersonRole::Victim {
            self.link(cx, father, PersonRole::FamilyMember, None);
        }
        if matches!(
            role,
            PersonRole::SmuggledMigrant | PersonRole::Deportee | PersonRole::InterceptedMigrant
        ) {
            self.migrant_pool.push(child);
        }
        Ok((child, father))
    }

    /// A complainant, witness or family member.
    fn other(
        &mut self,
        cx: &mut Cx<'a>,
        role: PersonRole,
        male_p: f64,
        mode: OriginMode,
    ) -> Result<usize, SynthError> {
        self.other_aged(cx, role, male_p, mode, (22, 65))
    }

    fn other_aged(
        &mut self,
        cx: &mut Cx<'a>,
        role: PersonRole,
        male_p: f64,
        mode: OriginMode,
        ages: (u32, u32),
    ) -> Result<usize, SynthError> {
        let male = self.rng.gen_bool(male_p);
        let age = self.rng.gen_range(ages.0..=ages.1.max(ages.0));
        let origin = self.geo.origin(&mut self.rng, mode, Some(cx.district));
        let mut req = Req::new(
            if male { Sex::Male } else { Sex::Female },
            age,
            cx.date,
            origin,
        );
        req.docs = Docs {
            cnic: 0.88,
            passport: 0.08,
            phone: 0.75,
        };
        req.title_p = 0.06;
        if role == PersonRole::Witness {
            req.notes = self.note(
                &[
                    "Eye-witness to the recovery.",
                    "Recovery witness.",
                    "Identity protected under s.14 PTPA 2018.",
                    "Neighbour of the accused.",
                ],
                0.3,
                &[],
            );
        }
        let idx = self.create(cx, &req)?;
        self.link(cx, idx, role, None);
        Ok(idx)
    }

    /// Suspects in chain roles, drawn partly from the network's known agents.
    fn suspects(
        &mut self,
        cx: &mut Cx<'a>,
        slots: &[(ChainRole, f64, f64)],
        foreign: Option<(&'static str, ChainRole, f64)>,
    ) -> Result<Vec<usize>, SynthError> {
        let mut out = Vec::new();
        let mut first = true;
        for &(chain, p, female_p) in slots {
            if out.len() >= 4 {
                break;
            }
            if !first && !self.rng.gen_bool(p) {
                continue;
            }
            first = false;
            let reuse_p = match (cx.s.net(), chain) {
                (_, ChainRole::Transporter) => 0.15,
                (Net::Internal, ChainRole::Exploiter) => 0.06,
                (Net::Internal, _) => 0.12,
                (Net::China | Net::Bengal, _) => 0.25,
                (_, ChainRole::CorruptOfficial) => 0.25,
                (_, ChainRole::Recruiter) => 0.25,
                _ => 0.38,
            };
            let pool = self.agents.get(&cx.net).cloned().unwrap_or_default();
            let same: Vec<usize> = pool
                .iter()
                .filter(|(_, r)| *r == chain)
                .map(|(i, _)| *i)
                .collect();
            if !same.is_empty() && self.rng.gen_bool(reuse_p) {
                let k = zipf_index(&mut self.rng, same.len());
                if let Some(&idx) = same.get(k) {
                    if !Self::in_case(cx, idx) {
                        self.link(cx, idx, PersonRole::Suspect, Some(chain));
                        out.push(idx);
                        continue;
                    }
                }
            }
            let female = self.rng.gen_bool(female_p);
            let age = self.rng.gen_range(24..62);
            let origin = match chain {
                ChainRole::Facilitator | ChainRole::SafeHouseKeeper | ChainRole::Transporter
                    if matches!(cx.s.net(), Net::Land | Net::Sea) =>
                {
                    self.geo
                        .origin(&mut self.rng, OriginMode::Agent, Some(cx.district))
                }
                ChainRole::Exploiter | ChainRole::CorruptOfficial => {
                    self.geo
                        .origin(&mut self.rng, OriginMode::Local, Some(cx.district))
                }
                _ => self
                    .geo
                    .origin(&mut self.rng, OriginMode::Agent, Some(cx.district)),
            };
            let mut req = Req::new(
                if female { Sex::Female } else { Sex::Male },
                age,
                cx.date,
                origin,
            );
            req.docs = Docs {
                cnic: 0.65,
                passport: if cx.s.is_tip_internal() { 0.1 } else { 0.35 },
                phone: 0.9,
            };
            req.title_p = 0.14;
            let mut foreign_suspect = false;
            if let Some((nat, role, fp)) = foreign {
                if role == chain && self.rng.gen_bool(fp) {
                    req.nationality = nat;
                    req.claims_pak = self.rng.gen_bool(0.25);
                    foreign_suspect = true;
                }
            }
            // Gangs share handsets and SIMs: a number seen with one agent turns up with another.
            let phones = self.phones.entry(cx.net.clone()).or_default();
            let shared = if !phones.is_empty() && self.rng.gen_bool(0.15) {
                let k = self.rng.gen_range(0..phones.len());
                phones.get_mut(k).filter(|(_, n)| *n < 6).map(|(p, n)| {
                    *n += 1;
                    p.clone()
                })
            } else {
                None
            };
            if shared.is_some() {
                req.phone = shared;
            } else if self.rng.gen_bool(0.9) {
                let p = if foreign_suspect || self.rng.gen_bool(0.06) {
                    foreign_mobile(&mut self.rng)
                } else {
                    mobile(&mut self.rng)
                };
                if self.rng.gen_bool(0.35) {
                    phones.push((p.clone(), 1));
                }
                req.phone = Some(p);
            }
            let dest = cx.dest.to_string();
            let abroad = dest != "Pakistan";
            req.notes = self.note(
                &[
                    "Arrested.",
                    "Absconding; proclaimed offender.",
                    if abroad {
                        "Believed to be in {dest}."
                    } else {
                        "Released on bail."
                    },
                    "On bail.",
                    "Named by the victims; not traced.",
                    "Previously involved in similar cases.",
                    if abroad {
                        "Placed on the Exit Control List."
                    } else {
                        "Arrested in a raid."
                    },
                ],
                0.35,
                &[("dest", dest)],
            );
            let idx = self.create(cx, &req)?;
            self.link(cx, idx, PersonRole::Suspect, Some(chain));
            if self.rng.gen_bool(if chain == ChainRole::Transporter {
                0.3
            } else {
                0.7
            }) {
                self.agents
                    .entry(cx.net.clone())
                    .or_default()
                    .push((idx, chain));
            }
            out.push(idx);
        }
        Ok(out)
    }

    /// A group size: `lo..=hi` skewed toward `lo`, scaled to reach the number of persons asked.
    fn size(&mut self, cx: &mut Cx<'a>, lo: usize, hi: usize) -> usize {
        let u: f64 = self.rng.gen();
        let base = lo as f64 + (hi.saturating_sub(lo)) as f64 * u * u;
        cx.mass_base += base.round() as usize;
        ((base * cx.scale).round() as usize).clamp(lo.max(1), 80)
    }

    // ------------------------------------------------------------------------------------------
    // Cases
    // ------------------------------------------------------------------------------------------

    fn case(&mut self, plan: &Plan, scale: f64) -> Result<(BulkCase, usize), SynthError> {
        let s = plan.scenario;
        let (district, place) = self
            .locate(plan.creator, s)
            .ok_or_else(|| SynthError::Reference("a district for the case".into()))?;
        let at = office_time(&mut self.rng, plan.complaint);
        let dest = destination(&mut self.rng, s);
        let (crimes, forms) = s.crimes(&mut self.rng);
        let family_hint = if s == Scenario::HazaraAustralia {
            self.names.hazara(&mut self.rng)
        } else {
            None
        };
        let mut cx = Cx {
            s,
            creator: plan.creator,
            date: plan.complaint,
            at,
            district,
            place,
            dest,
            net: s.net().key(&district.province),
            links: Vec::new(),
            scale,
            mass_base: 0,
            crimes,
            family_hint,
        };
        let cast = self.cast(&mut cx)?;
        let vars = self.case_vars(&cx, &cast, plan);
        let crimes = cx.crimes.clone();
        let kind = self.creator(plan.creator).and_then(|c| c.kind);
        let (path, verdicts) = self.history_plan(&cx, kind, plan.complaint, &cast.suspects);
        let stage = path.last().map(|(s, _)| *s).unwrap_or(CaseStage::Complaint);
        let provisions = self.provisions(s, &crimes, plan.offence, kind, stage);

        let plural = cast.victims.len().max(cast.extra_complainants + 1) >= 2;
        let fits = |t: &&str| plural || !(t.contains("{n}") || t.contains("{N}"));
        let title_ts: Vec<&str> = titles(s).iter().copied().filter(fits).collect();
        let narr_ts: Vec<&str> = narratives(s).iter().copied().filter(fits).collect();
        let title_t = pickc(&mut self.rng, &title_ts)
            .or_else(|| pickc(&mut self.rng, titles(s)))
            .unwrap_or("Case");
        let mut title = capitalise(&fill(title_t, &vars).replace("..", "."));
        if title.chars().count() > nigehban_domain::case::TITLE_MAX {
            title = title
                .chars()
                .take(nigehban_domain::case::TITLE_MAX)
                .collect();
        }
        let narr_t = pickc(&mut self.rng, &narr_ts)
            .or_else(|| pickc(&mut self.rng, narratives(s)))
            .unwrap_or("");
        let narrative = fill(narr_t, &vars).replace("..", ".");

        let mut input = CaseInput {
            title: Some(title),
            crime_types: crimes.iter().map(|c| c.as_str().to_string()).collect(),
            exploitation_forms: forms.iter().map(|f| f.as_str().to_string()).collect(),
            provisions,
            province: Some(district.province.clone()),
            district: Some(district.code.clone()),
            offence_date: Some(plan.offence.format("%Y-%m-%d").to_string()),
            narrative: Some(narrative),
        };
        let case = match input.validate(self.geo.refdata, self.today) {
            Ok(c) => c,
            Err(_) => {
                input.provisions.clear();
                input
                    .validate(self.geo.refdata, self.today)
                    .map_err(|e| SynthError::Invalid {
                        what: "case",
                        attempts: 2,
                        detail: e.to_string(),
                    })?
            }
        };

        let info = self.creator(plan.creator).ok_or(SynthError::NoCreators)?;
        let creator = info.creator;
        let username = creator.username.clone();
        let history = self.events(&path, &cx, kind, &username, &verdicts);
        let id = CaseId(uuid_at(&mut self.rng, at));
        let new_case = NewCase {
            id,
            unit_id: creator.unit_id,
            unit_code: creator.unit_code.clone(),
            agency: creator.agency.clone(),
            year: at.year(),
            case,
            stage,
            created_by: creator.user_id,
            created_at: at,
        };
        let mut persons = Vec::with_capacity(cx.links.len());
        for (k, (idx, role)) in cx.links.iter().enumerate() {
            let Some(rec) = self.registry.get(*idx) else {
                continue;
            };
            let verdict = if role.role == PersonRole::Suspect {
                verdicts.iter().find(|(i, _)| i == idx).map(|(_, v)| *v)
            } else {
                None
            };
            let link_at = at + Duration::seconds(k as i64 * 30);
            persons.push((
                CasePersonId(uuid_at(&mut self.rng, link_at)),
                rec.id,
                *role,
                verdict,
            ));
        }
        Ok((
            BulkCase {
                case: new_case,
                history,
                persons,
            },
            cx.mass_base,
        ))
    }

    /// The persons of a case, by scenario.
    fn cast(&mut self, cx: &mut Cx<'a>) -> Result<Cast, SynthError> {
        use ChainRole as C;
        use OriginMode as O;
        use PersonRole as R;
        let mut c = Cast::default();
        let s = cx.s;
        match s {
            Scenario::BrickKiln | Scenario::AgriBondage => {
                let n = self.size(cx, 3, 10);
                // Kiln workers move across the province; haris are mostly local.
                let mode = if s == Scenario::BrickKiln {
                    O::Internal
                } else {
                    O::Local
                };
                c.victims = self.household(cx, n, mode)?;
                if n > 6 && self.rng.gen_bool(0.4) {
                    let m = self.size(cx, 2, 6);
                    let more = self.household(cx, m, mode)?;
                    c.victims.extend(more);
                }
                self.complainant_or_victim(cx, &mut c, 0.5)?;
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::Exploiter, 1.0, 0.05),
                        (C::Facilitator, 0.6, 0.0),
                        (C::Recruiter, 0.5, 0.05),
                    ],
                    None,
                )?;
                self.witnesses(cx, 0, 2)?;
            }
            Scenario::CoalMine | Scenario::CarpetLoom => {
                let n = self.size(cx, 2, 8);
                let (female_p, ages) = if s == Scenario::CoalMine {
                    (0.0, (16, 45))
                } else {
                    (0.2, (8, 15))
                };
                c.victims = self.people(cx, R::Victim, n, female_p, ages, O::Internal, None)?;
                self.complainant(cx, &mut c, O::Local)?;
                c.suspects = self.suspects(
                    cx,
                    &[(C::Exploiter, 1.0, 0.0), (C::Recruiter, 0.6, 0.0)],
                    None,
                )?;
                self.witnesses(cx, 0, 1)?;
            }
            Scenario::DomesticServitude => {
                let (child, father) = self.child_with_father(cx, 0.65, (7, 16), O::Internal)?;
                c.victims.push(child);
                c.complainant = Some(father);
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::Exploiter, 1.0, 0.45),
                        (C::Exploiter, 0.5, 0.5),
                        (C::Recruiter, 0.6, 0.2),
                    ],
                    None,
                )?;
                self.witnesses(cx, 0, 2)?;
            }
            Scenario::SexInternal => {
                let n = self.size(cx, 1, 5);
                if self.rng.gen_bool(0.5) {
                    let (v, f) = self.child_with_father(cx, 1.0, (14, 17), O::Internal)?;
                    c.victims.push(v);
                    c.complainant = Some(f);
                }
                let more = self.people(cx, R::Victim, n, 1.0, (15, 30), O::Internal, None)?;
                c.victims.extend(more);
                if c.complainant.is_none() {
                    self.complainant(cx, &mut c, O::Local)?;
                }
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::Recruiter, 1.0, 0.4),
                        (C::Exploiter, 0.8, 0.4),
                        (C::Transporter, 0.3, 0.0),
                        (C::MainAgent, 0.3, 0.2),
                    ],
                    None,
                )?;
                self.witnesses(cx, 0, 2)?;
            }
            Scenario::SexGulf => {
                let n = self.size(cx, 1, 4);
                c.victims = self.people(cx, R::Victim, n, 1.0, (19, 35), O::Migrant, None)?;
                if cx.som() {
                    for v in c.victims.clone() {
                        self.link(cx, v, R::SmuggledMigrant, None);
                    }
                }
                self.complainant_or_victim(cx, &mut c, 0.6)?;
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::MainAgent, 1.0, 0.3),
                        (C::Recruiter, 0.6, 0.5),
                        (C::Facilitator, 0.4, 0.0),
                        (C::DocumentForger, 0.3, 0.0),
                    ],
                    None,
                )?;
            }
            Scenario::ChinaMarriage => {
                let (v, f) = self.child_with_father(cx, 1.0, (16, 24), O::Local)?;
                c.victims.push(v);
                c.complainant = Some(f);
                if self.rng.gen_bool(0.3) {
                    let more = self.people(cx, R::Victim, 1, 1.0, (16, 24), O::Local, None)?;
                    c.victims.extend(more);
                }
                self.family(cx, 0.6)?;
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::MainAgent, 1.0, 0.1),
                        (C::Recruiter, 0.7, 0.3),
                        (C::Facilitator, 0.4, 0.0),
                        (C::DocumentForger, 0.3, 0.0),
                    ],
                    None,
                )?;
            }
            Scenario::BangladeshiWomen => {
                let n = self.size(cx, 1, 6);
                c.victims = self.people(cx, R::Victim, n, 1.0, (15, 30), O::Local, Some("BGD"))?;
                if cx.som() {
                    for v in c.victims.clone() {
                        self.link(cx, v, R::SmuggledMigrant, None);
                    }
                }
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::MainAgent, 1.0, 0.3),
                        (C::Exploiter, 0.6, 0.2),
                        (C::SafeHouseKeeper, 0.4, 0.3),
                    ],
                    Some(("BGD", C::MainAgent, 0.4)),
                )?;
                self.witnesses(cx, 0, 1)?;
            }
            Scenario::BeggingRing => {
                let n = self.size(cx, 2, 10);
                c.victims = self.people(cx, R::Victim, n, 0.45, (5, 14), O::Internal, None)?;
                if self.rng.gen_bool(0.5) {
                    self.family(cx, 0.5)?;
                }
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::Exploiter, 1.0, 0.3),
                        (C::Transporter, 0.4, 0.0),
                        (C::Recruiter, 0.4, 0.3),
                    ],
                    None,
                )?;
                self.witnesses(cx, 0, 1)?;
            }
            Scenario::UmrahBeggars => {
                let n = self.size(cx, 2, 10);
                c.victims = self.migrants(cx, R::Offloadee, n, 0.5, 1.0, O::Internal, &[], 0.0)?;
                if cx.tip() {
                    let k = self.rng.gen_range(1..=c.victims.len().max(1));
                    for v in c.victims.clone().into_iter().take(k) {
                        self.link(cx, v, R::Victim, None);
                    }
                }
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::MainAgent, 1.0, 0.25),
                        (C::SubAgent, 0.5, 0.2),
                        (C::CorruptOfficial, 0.08, 0.0),
                    ],
                    None,
                )?;
            }
            Scenario::CamelJockey => {
                let n = self.size(cx, 1, 5);
                let (v, f) = self.child_with_father(cx, 0.0, (4, 10), O::Internal)?;
                c.victims.push(v);
                c.complainant = Some(f);
                if n > 1 {
                    let more =
                        self.people(cx, R::Victim, n - 1, 0.0, (4, 11), O::Internal, None)?;
                    c.victims.extend(more);
                }
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::MainAgent, 1.0, 0.1),
                        (C::Recruiter, 0.7, 0.0),
                        (C::DocumentForger, 0.5, 0.0),
                        (C::Transporter, 0.3, 0.3),
                    ],
                    None,
                )?;
            }
            Scenario::KidneyRing => {
                let n = self.size(cx, 1, 4);
                c.victims = self.people(cx, R::Victim, n, 0.2, (19, 45), O::Internal, None)?;
                self.complainant_or_victim(cx, &mut c, 0.6)?;
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::MainAgent, 1.0, 0.1),
                        (C::Recruiter, 0.8, 0.1),
                        (C::Exploiter, 0.6, 0.05),
                        (C::Facilitator, 0.3, 0.0),
                    ],
                    None,
                )?;
                self.witnesses(cx, 0, 1)?;
            }
            Scenario::GulfLabour => {
                let n = self.size(cx, 1, 10);
                c.victims = self.migrants(cx, R::Victim, n, 0.0, 1.0, O::Gulf, &[], 0.0)?;
                self.complainant_or_victim(cx, &mut c, 0.7)?;
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::MainAgent, 1.0, 0.05),
                        (C::SubAgent, 0.6, 0.05),
                        (C::Recruiter, 0.4, 0.05),
                    ],
                    None,
                )?;
            }
            Scenario::ChildrenInCrime => {
                let n = self.size(cx, 1, 5);
                c.victims = self.people(cx, R::Victim, n, 0.05, (10, 17), O::Internal, None)?;
                self.family(cx, 0.7)?;
                c.suspects = self.suspects(
                    cx,
                    &[(C::Exploiter, 1.0, 0.05), (C::Recruiter, 0.5, 0.05)],
                    None,
                )?;
            }
            Scenario::LandInterception => {
                let n = self.size(cx, 2, 22);
                c.victims = self.migrants(
                    cx,
                    R::InterceptedMigrant,
                    n,
                    0.03,
                    0.35,
                    O::Migrant,
                    &[("AFG", 80), ("BGD", 20)],
                    0.08,
                )?;
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::Transporter, 1.0, 0.0),
                        (C::Facilitator, 0.6, 0.0),
                        (C::MainAgent, 0.6, 0.05),
                        (C::SubAgent, 0.4, 0.05),
                    ],
                    Some(("AFG", C::Facilitator, 0.15)),
                )?;
            }
            Scenario::IranDeportees => {
                let n = self.size(cx, 2, 30);
                c.victims = self.migrants(
                    cx,
                    R::Deportee,
                    n,
                    0.02,
                    0.4,
                    O::Migrant,
                    &[("AFG", 1)],
                    0.03,
                )?;
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::MainAgent, 1.0, 0.05),
                        (C::SubAgent, 0.6, 0.05),
                        (C::Facilitator, 0.3, 0.0),
                    ],
                    Some(("IRN", C::Facilitator, 0.3)),
                )?;
            }
            Scenario::AirportDeportees => {
                let n = self.size(cx, 1, 10);
                c.victims = self.migrants(cx, R::Deportee, n, 0.08, 0.95, O::Migrant, &[], 0.0)?;
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::MainAgent, 1.0, 0.1),
                        (C::DocumentForger, 0.4, 0.0),
                        (C::SubAgent, 0.4, 0.1),
                    ],
                    None,
                )?;
            }
            Scenario::OmanDeportees => {
                let n = self.size(cx, 3, 35);
                c.victims = self.migrants(
                    cx,
                    R::Deportee,
                    n,
                    0.01,
                    0.15,
                    O::Migrant,
                    &[("BGD", 1)],
                    0.03,
                )?;
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::MainAgent, 1.0, 0.05),
                        (C::Transporter, 0.5, 0.0),
                        (C::SafeHouseKeeper, 0.3, 0.0),
                        (C::FinancialAgent, 0.3, 0.0),
                    ],
                    None,
                )?;
            }
            Scenario::BoatInterception => {
                let n = self.size(cx, 3, 28);
                c.victims = self.migrants(
                    cx,
                    R::InterceptedMigrant,
                    n,
                    0.01,
                    0.15,
                    O::Migrant,
                    &[("BGD", 50), ("AFG", 50)],
                    0.05,
                )?;
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::Transporter, 1.0, 0.0),
                        (C::Facilitator, 0.7, 0.0),
                        (C::MainAgent, 0.5, 0.0),
                    ],
                    None,
                )?;
            }
            Scenario::Offloading => {
                let n = self.size(cx, 1, 4);
                c.victims = self.migrants(
                    cx,
                    R::Offloadee,
                    n,
                    0.1,
                    1.0,
                    O::Migrant,
                    &[("AFG", 1)],
                    0.03,
                )?;
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::SubAgent, 1.0, 0.1),
                        (C::DocumentForger, 0.6, 0.0),
                        (C::MainAgent, 0.4, 0.1),
                        (C::CorruptOfficial, 0.1, 0.0),
                    ],
                    None,
                )?;
            }
            Scenario::VisaFraud => {
                let n = self.size(cx, 1, 7);
                // Young men who paid for jobs abroad, often from the same area.
                let first = self.other_aged(cx, R::Complainant, 0.95, O::Migrant, (19, 42))?;
                c.complainant = Some(first);
                for _ in 1..n {
                    self.other_aged(cx, R::Complainant, 0.95, O::Migrant, (19, 42))?;
                    c.extra_complainants += 1;
                }
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::MainAgent, 1.0, 0.1),
                        (C::SubAgent, 0.5, 0.1),
                        (C::DocumentForger, 0.25, 0.0),
                        (C::FinancialAgent, 0.2, 0.0),
                    ],
                    None,
                )?;
                self.witnesses(cx, 0, 1)?;
            }
            Scenario::BoatTragedy | Scenario::DebtBondageAbroad | Scenario::RansomInIran => {
                let n = self.size(cx, 1, 6);
                let docs = Docs {
                    cnic: 0.85,
                    passport: 0.6,
                    phone: 0.7,
                };
                let (son, father) =
                    self.parent_and_child(cx, R::SmuggledMigrant, 0.0, (17, 32), O::Migrant, docs)?;
                c.victims.push(son);
                c.complainant = Some(father);
                let more = self.migrants(
                    cx,
                    R::SmuggledMigrant,
                    n.saturating_sub(1),
                    0.01,
                    0.6,
                    O::Migrant,
                    &[],
                    0.0,
                )?;
                c.victims.extend(more);
                if cx.tip() {
                    for (k, v) in c.victims.clone().into_iter().enumerate() {
                        if k == 0 || self.rng.gen_bool(0.6) {
                            self.link(cx, v, R::Victim, None);
                        }
                    }
                }
                if self.rng.gen_bool(0.4) {
                    self.family(cx, 0.5)?;
                }
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::MainAgent, 1.0, 0.05),
                        (C::SubAgent, 0.7, 0.05),
                        (C::FinancialAgent, 0.5, 0.0),
                        (
                            if s == Scenario::RansomInIran {
                                C::SafeHouseKeeper
                            } else {
                                C::Facilitator
                            },
                            0.5,
                            0.0,
                        ),
                    ],
                    Some(("IRN", C::SafeHouseKeeper, 0.5)),
                )?;
            }
            Scenario::AlienHarbouring => {
                let n = self.size(cx, 1, 8);
                let nats: &[(&'static str, u32)] =
                    &[("AFG", 60), ("BGD", 30), ("IRN", 5), ("IND", 5)];
                c.victims =
                    self.migrants(cx, R::SmuggledMigrant, n, 0.25, 0.2, O::Local, nats, 1.0)?;
                c.suspects = self.suspects(
                    cx,
                    &[
                        (C::SafeHouseKeeper, 1.0, 0.1),
                        (C::DocumentForger, 0.6, 0.0),
                        (C::CorruptOfficial, 0.25, 0.1),
                    ],
                    None,
                )?;
                self.witnesses(cx, 0, 1)?;
            }
            Scenario::HazaraAustralia => {
                let n = self.size(cx, 1, 5);
                let docs = Docs {
                    cnic: 0.9,
                    passport: 0.9,
                    phone: 0.7,
                };
                let (son, father) =
                    self.parent_and_child(cx, R::SmuggledMigrant, 0.0, (17, 30), O::Hazara, docs)?;
                c.victims.push(son);
                c.complainant = Some(father);
                let more = self.migrants(
                    cx,
                    R::SmuggledMigrant,
                    n.saturating_sub(1),
                    0.02,
                    0.9,
                    O::Hazara,
                    &[],
                    0.0,
                )?;
                c.victims.extend(more);
                c.suspects = self.suspects(
                    cx,
                    &[(C::MainAgent, 1.0, 0.0), (C::Facilitator, 0.5, 0.0)],
                    None,
                )?;
            }
        }
        if c.suspects.is_empty() {
            c.suspects = self.suspects(cx, &[(ChainRole::MainAgent, 1.0, 0.1)], None)?;
        }
        Ok(c)
    }

    fn complainant(
        &mut self,
        cx: &mut Cx<'a>,
        c: &mut Cast,
        mode: OriginMode,
    ) -> Result<(), SynthError> {
        let idx = self.other(cx, PersonRole::Complainant, 0.85, mode)?;
        c.complainant = Some(idx);
        Ok(())
    }

    /// The victim complains, or someone else does.
    fn complainant_or_victim(
        &mut self,
        cx: &mut Cx<'a>,
        c: &mut Cast,
        victim_p: f64,
    ) -> Result<(), SynthError> {
        let adult_victim = c
            .victims
            .iter()
            .copied()
            .find(|v| self.spec(*v).is_some_and(|s| s.age_on(cx.date) >= 18));
        match adult_victim {
            Some(v) if self.rng.gen_bool(victim_p) => {
                self.link(cx, v, PersonRole::Complainant, None);
                c.complainant = Some(v);
                Ok(())
            }
            _ => self.complainant(cx, c, OriginMode::Local),
        }
    }

    fn witnesses(&mut self, cx: &mut Cx<'a>, lo: usize, hi: usize) -> Result<(), SynthError> {
        let n = self.rng.gen_range(lo..=hi);
        for _ in 0..n {
            self.other(cx, PersonRole::Witness, 0.8, OriginMode::Local)?;
        }
        Ok(())
    }

    fn family(&mut self, cx: &mut Cx<'a>, male_p: f64) -> Result<(), SynthError> {
        self.other(cx, PersonRole::FamilyMember, male_p, OriginMode::Local)?;
        Ok(())
    }

    /// Provisions charged: the usual ones for the scenario that the catalogue allows for the crime
    /// types on the offence date, preferring those the registering agency investigates.
    fn provisions(
        &mut self,
        s: Scenario,
        crimes: &BTreeSet<CrimeType>,
        offence: NaiveDate,
        kind: Option<AgencyKind>,
        stage: CaseStage,
    ) -> Vec<String> {
        let none_p = match stage {
            CaseStage::Complaint => 0.5,
            CaseStage::Inquiry => 0.3,
            _ => 0.0,
        };
        if self.rng.gen_bool(none_p) {
            return Vec::new();
        }
        let valid = self.geo.refdata.provisions_for(crimes, Some(offence));
        let agency = match kind {
            Some(AgencyKind::Police) => Some("POLICE"),
            Some(AgencyKind::Fia) => Some("FIA"),
            _ => None,
        };
        let preferred: Vec<&str> = s
            .provisions()
            .iter()
            .copied()
            .filter(|c| valid.iter().any(|p| p.code == *c))
            .collect();
        let by_agency: Vec<&str> = preferred
            .iter()
            .copied()
            .filter(|c| {
                agency.is_none_or(|a| {
                    valid
                        .iter()
                        .any(|p| p.code == *c && p.agencies.iter().any(|x| x == a))
                })
            })
            .collect();
        let list = if by_agency.is_empty() {
            preferred
        } else {
            by_agency
        };
        let mut out: Vec<String> = Vec::new();
        if list.is_empty() {
            let n = self.rng.gen_range(1..=2);
            for _ in 0..n {
                if let Some(p) = pick(&mut self.rng, &valid) {
                    if !out.contains(&p.code) {
                        out.push(p.code.clone());
                    }
                }
            }
            return out;
        }
        let first = if list.len() > 1 && self.rng.gen_bool(0.25) {
            1
        } else {
            0
        };
        for (i, code) in list.iter().enumerate() {
            if out.len() >= 4 {
                break;
            }
            if i == first || self.rng.gen_bool(0.4) {
                out.push((*code).to_string());
            }
        }
        out
    }

    // ------------------------------------------------------------------------------------------
    // Stages
    // ------------------------------------------------------------------------------------------

    /// The stages the case went through after the complaint, with dates, and the verdicts.
    fn history_plan(
        &mut self,
        cx: &Cx<'a>,
        kind: Option<AgencyKind>,
        complaint: NaiveDate,
        suspects: &[usize],
    ) -> (Vec<(CaseStage, NaiveDate)>, Verdicts) {
        use CaseStage as S;
        let last = self.last_day();
        let avail = (last - complaint).num_days().max(0);
        let weights: &[(CaseStage, u32)] = match avail {
            0..=30 => &[(S::Complaint, 60), (S::Inquiry, 25), (S::Fir, 15)],
            31..=180 => &[
                (S::Complaint, 25),
                (S::Inquiry, 25),
                (S::Fir, 20),
                (S::Investigation, 27),
                (S::Closed, 3),
            ],
            181..=730 => &[
                (S::Complaint, 10),
                (S::Inquiry, 18),
                (S::Fir, 12),
                (S::Investigation, 38),
                (S::Challan, 8),
                (S::Trial, 8),
                (S::Closed, 6),
            ],
            731..=2000 => &[
                (S::Complaint, 5),
                (S::Inquiry, 10),
                (S::Fir, 6),
                (S::Investigation, 24),
                (S::Challan, 8),
                (S::Trial, 18),
                (S::Judgment, 8),
                (S::Appeal, 3),
                (S::Closed, 18),
            ],
            _ => &[
                (S::Inquiry, 3),
                (S::Investigation, 10),
                (S::Trial, 17),
                (S::Judgment, 15),
                (S::Appeal, 10),
                (S::Closed, 45),
            ],
        };
        let target = wpick(&mut self.rng, weights).unwrap_or(S::Complaint);
        let paths = paths_to(self.geo.refdata, target);
        let fia_like = matches!(
            kind,
            Some(AgencyKind::Fia) | Some(AgencyKind::ForeignLiaison) | Some(AgencyKind::UnAgency)
        );
        let old = avail > 1500;
        let weighted: Vec<(usize, u32)> = paths
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let via_inquiry = p.contains(&S::Inquiry);
                let mut w: u32 = match (fia_like, via_inquiry) {
                    (true, true) => 70,
                    (true, false) => 30,
                    (false, true) => 15,
                    (false, false) => 85,
                };
                if target == S::Closed {
                    let before = p.len().checked_sub(2).and_then(|k| p.get(k)).copied();
                    w *= match (before, old) {
                        (Some(S::Complaint), _) => 2,
                        (Some(S::Inquiry), _) => 3,
                        (Some(S::Fir), _) => 2,
                        (Some(S::Investigation), _) => 3,
                        (Some(S::Judgment), true) => 4,
                        (Some(S::Appeal), true) => 3,
                        _ => 1,
                    };
                }
                (i, w.max(1))
            })
            .collect();
        let chosen = wpick(&mut self.rng, &weighted)
            .and_then(|i| paths.get(i))
            .cloned()
            .unwrap_or_else(|| vec![S::Complaint]);
        // Transitions after the complaint, each with a typical duration.
        let mut steps: Vec<(CaseStage, i64)> = Vec::new();
        for w in chosen.windows(2) {
            if let [from, to] = w {
                let (lo, hi) = duration(*from, *to, cx.s);
                steps.push((*to, self.rng.gen_range(lo..=hi).max(1)));
            }
        }
        let avail_usize = usize::try_from(avail).unwrap_or(0);
        steps.truncate(avail_usize);
        let sum: i64 = steps.iter().map(|(_, d)| d).sum();
        if sum > avail {
            let f = avail as f64 / sum as f64;
            for s in steps.iter_mut() {
                s.1 = ((s.1 as f64 * f).floor() as i64).max(1);
            }
            let mut total: i64 = steps.iter().map(|(_, d)| d).sum();
            while total > avail {
                let Some(m) = steps.iter_mut().max_by_key(|s| s.1) else {
                    break;
                };
                if m.1 <= 1 {
                    break;
                }
                m.1 -= 1;
                total -= 1;
            }
        }
        let mut date = complaint;
        let mut out = Vec::with_capacity(steps.len());
        for (stage, d) in steps {
            date = add_days(date, d).min(last);
            out.push((stage, date));
        }
        let verdicts = if out.iter().any(|(s, _)| *s == S::Judgment) {
            suspects
                .iter()
                .enumerate()
                .map(|(i, idx)| {
                    let p = if i == 0 { 0.45 } else { 0.3 };
                    let v = if self.rng.gen_bool(p) {
                        Verdict::Convicted
                    } else {
                        Verdict::Acquitted
                    };
                    (*idx, v)
                })
                .collect()
        } else {
            Vec::new()
        };
        (out, verdicts)
    }

    fn events(
        &mut self,
        path: &[(CaseStage, NaiveDate)],
        cx: &Cx<'a>,
        kind: Option<AgencyKind>,
        username: &str,
        verdicts: &[(usize, Verdict)],
    ) -> Vec<StageEvent> {
        use CaseStage as S;
        let mut out = Vec::with_capacity(path.len());
        let mut from = S::Complaint;
        let fia = matches!(kind, Some(AgencyKind::Fia) | None);
        // The FIA registers at its circle's police station and is tried in the circle's city;
        // police at a station of the district.
        let unit_city = self
            .creator(cx.creator)
            .and_then(|c| c.district)
            .map(|d| d.name_en.clone());
        let city = if fia {
            unit_city.unwrap_or_else(|| cx.district.name_en.clone())
        } else {
            cx.district.name_en.clone()
        };
        let court_city = city.clone();
        let high_court = match cx.district.province.as_str() {
            "PB" => "Lahore High Court",
            "SD" => "Sindh High Court",
            "KP" => "Peshawar High Court",
            "BA" => "Balochistan High Court",
            "IS" => "Islamabad High Court",
            "GB" => "Chief Court Gilgit-Baltistan",
            _ => "High Court of Azad Jammu and Kashmir",
        };
        let convicted = verdicts
            .iter()
            .filter(|(_, v)| *v == Verdict::Convicted)
            .count();
        let acquitted = verdicts.len() - convicted;
        for (to, date) in path {
            let year = date.year();
            let n = self.rng.gen_range(1..900);
            let (reference, note): (Option<String>, Option<String>) = match to {
                S::Inquiry => (
                    Some(format!("Enquiry No. {n}/{year}")),
                    pickc(
                        &mut self.rng,
                        &[
                            Some("Inquiry ordered on the complaint."),
                            Some("Verification of the complaint ordered."),
                            None,
                        ],
                    )
                    .flatten()
                    .map(str::to_string),
                ),
                S::Fir => {
                    let ps = if fia {
                        format!("PS FIA AHTC {city}")
                    } else {
                        let st = pickc(
                            &mut self.rng,
                            &["Saddar", "City", "Civil Lines", "Cantt", "Kotwali", "Airport", "Model Town", "Industrial Area"],
                        )
                        .unwrap_or("Saddar");
                        format!("PS {st} {city}")
                    };
                    (
                        Some(format!("FIR No. {n}/{year}, {ps}")),
                        Some("Case registered.".to_string()),
                    )
                }
                S::Investigation => (
                    None,
                    pickc(
                        &mut self.rng,
                        &[
                            "Investigation entrusted to Inspector.",
                            "Investigation entrusted to Sub-Inspector.",
                            "Joint investigation with FIA Immigration.",
                            "Accused arrested; physical remand obtained.",
                            "Raids conducted to arrest the accused.",
                        ],
                    )
                    .map(str::to_string),
                ),
                S::Challan => (
                    Some(format!("Challan No. {n}/{year}")),
                    Some(
                        pickc(
                            &mut self.rng,
                            &[
                                "Final report under s.173 CrPC submitted.",
                                "Complete challan submitted to the court.",
                                "Interim challan submitted; absconding accused to be declared proclaimed offenders.",
                            ],
                        )
                        .unwrap_or("Final report under s.173 CrPC submitted.")
                        .to_string(),
                    ),
                ),
                S::Trial => {
                    let court = if fia && !cx.s.is_tip_internal() {
                        if self.rng.gen_bool(0.5) {
                            format!("Court of Special Judge (Central), {court_city}")
                        } else {
                            format!("Court of Judicial Magistrate, {court_city}")
                        }
                    } else {
                        format!("Court of Additional Sessions Judge, {court_city}")
                    };
                    (Some(court), Some("Charge framed.".to_string()))
                }
                S::Judgment => (
                    None,
                    Some(match (convicted, acquitted) {
                        (0, _) => "All accused acquitted.".to_string(),
                        (_, 0) => format!(
                            "All accused convicted; sentenced to imprisonment of {} years and fine.",
                            self.rng.gen_range(2..11)
                        ),
                        (c, a) => format!(
                            "{} convicted, {} acquitted.",
                            capitalise(&number_words(c)),
                            number_words(a)
                        ),
                    }),
                ),
                S::Appeal => (
                    Some(format!("Criminal Appeal No. {n}/{year}, {high_court}")),
                    Some(if convicted > 0 {
                        "Appeal filed by the convicts.".to_string()
                    } else {
                        "Appeal against acquittal filed by the State.".to_string()
                    }),
                ),
                S::Closed => (
                    None,
                    Some(
                        match from {
                            S::Complaint => pickc(
                                &mut self.rng,
                                &[
                                    "Complaint filed: no cognizable offence made out.",
                                    "Complainant withdrew the complaint.",
                                    "Referred to the police station of jurisdiction.",
                                ],
                            ),
                            S::Inquiry => pickc(
                                &mut self.rng,
                                &[
                                    "Inquiry closed for want of evidence.",
                                    "Inquiry closed: matter settled between the parties.",
                                    "Inquiry closed; complainant not traced.",
                                ],
                            ),
                            S::Fir | S::Investigation => pickc(
                                &mut self.rng,
                                &[
                                    "Cancellation report accepted by the Magistrate.",
                                    "Untraced report: accused absconding abroad.",
                                    "Case file kept in abeyance; accused proclaimed offenders.",
                                ],
                            ),
                            S::Judgment => pickc(
                                &mut self.rng,
                                &["No appeal filed within limitation.", "Case consigned to record."],
                            ),
                            S::Appeal => pickc(
                                &mut self.rng,
                                &[
                                    "Appeal decided; case consigned to record.",
                                    "Appeal dismissed.",
                                    "Appeal disposed of.",
                                ],
                            ),
                            _ => Some("Closed."),
                        }
                        .unwrap_or("Closed.")
                        .to_string(),
                    ),
                ),
                S::Complaint => (None, None),
            };
            out.push(StageEvent {
                from: Some(from),
                to: *to,
                occurred_on: *date,
                reference,
                note,
                by_user: username.to_string(),
                at: office_time(&mut self.rng, *date),
            });
            from = *to;
        }
        out
    }

    // ------------------------------------------------------------------------------------------
    // Words
    // ------------------------------------------------------------------------------------------

    fn case_vars(&mut self, cx: &Cx<'a>, cast: &Cast, plan: &Plan) -> Vec<(&'static str, String)> {
        let year = plan.offence.year();
        let rng = &mut self.rng;
        let price = price(rng, cx.dest, cx.s, year);
        let growth = 1.10f64.powi(year - 2011).clamp(0.6, 4.0);
        let advance = ((rng.gen_range(40_000.0..250_000.0) * growth / 10_000.0).round() * 10_000.0)
            .max(10_000.0) as u64;
        let debt = advance * rng.gen_range(2..6);
        let salary = ((rng.gen_range(3_000.0..6_000.0) * growth / 500.0).round() * 500.0) as u64;
        let route = match (cx.s, cx.place) {
            (Scenario::BoatInterception, Some(p)) => {
                format!("by boat from {}", place_short(&p.code, &p.name_en))
            }
            (Scenario::LandInterception, Some(p)) => format!(
                "by road through Balochistan toward the border at {}",
                place_short(&p.code, &p.name_en)
            ),
            _ => route(rng, cx.s, cx.dest).to_string(),
        };
        let victim = cast.victims.first().and_then(|v| self.registry.get(*v));
        let victim_desc = victim
            .map(|r| {
                let age = r.spec.age_on(cx.date);
                let who = match (r.spec.sex, age < 18) {
                    (Sex::Female, true) => "girl",
                    (Sex::Female, false) => "woman",
                    (_, true) => "boy",
                    (_, false) => "man",
                };
                let article = if age == 8 || age == 11 || age == 18 || (80..90).contains(&age) {
                    "an"
                } else {
                    "a"
                };
                format!("{article} {age}-year-old {who}")
            })
            .unwrap_or_else(|| "the victim".to_string());
        let (person_noun, he, his) = match victim.map(|r| (r.spec.sex, r.spec.age_on(cx.date) < 18))
        {
            Some((Sex::Female, true)) => ("girl", "she", "her"),
            Some((Sex::Female, false)) => ("woman", "she", "her"),
            Some((_, true)) => ("boy", "he", "his"),
            _ => ("man", "he", "his"),
        };
        let victim_age = victim
            .map(|r| r.spec.age_on(cx.date).to_string())
            .unwrap_or_else(|| "12".into());
        // The district most of the victims or migrants come from.
        let mut origins: Vec<(&str, usize)> = Vec::new();
        for v in &cast.victims {
            if let Some(d) = self.registry.get(*v).and_then(|r| r.spec.origin) {
                match origins.iter_mut().find(|(c, _)| *c == d.name_en) {
                    Some(o) => o.1 += 1,
                    None => origins.push((d.name_en.as_str(), 1)),
                }
            }
        }
        if origins.is_empty() {
            if let Some(d) = cast
                .complainant
                .and_then(|c| self.registry.get(c))
                .and_then(|r| r.spec.origin)
            {
                origins.push((d.name_en.as_str(), 1));
            }
        }
        let origin = origins
            .iter()
            .enumerate()
            .max_by_key(|(i, (_, n))| (*n, usize::MAX - i))
            .map(|(_, (c, _))| c.to_string())
            .unwrap_or_else(|| cx.district.name_en.clone());
        let name_of = |idx: Option<usize>| -> Option<String> {
            idx.and_then(|i| self.registry.get(i)).map(|r| {
                let d = r.spec.display();
                if d.trim().is_empty() {
                    r.spec.urdu_name()
                } else {
                    d
                }
            })
        };
        let main = cast.suspects.first().copied();
        let agent = name_of(main).unwrap_or_else(|| "an agent".into());
        let agent_district = main
            .and_then(|i| self.registry.get(i))
            .and_then(|r| r.spec.origin)
            .map(|d| d.name_en.clone())
            .unwrap_or_else(|| cx.district.name_en.clone());
        let recruiter = cast
            .suspects
            .get(1)
            .copied()
            .and_then(|i| name_of(Some(i)))
            .map(|n| format!("one {n}"))
            .unwrap_or_else(|| "a middleman".into());
        let complainant = name_of(cast.complainant).unwrap_or_else(|| "a relative".into());
        let n = if cast.victims.is_empty() {
            cast.extra_complainants + 1
        } else {
            cast.victims.len()
        };
        let minors = cast
            .victims
            .iter()
            .filter(|v| {
                self.registry
                    .get(**v)
                    .is_some_and(|r| r.spec.age_on(cx.date) < 18)
            })
            .count();
        let (incl_children, incl_minors, minors_clause) = if minors == 0 {
            (String::new(), String::new(), String::new())
        } else {
            let w = number_words(minors);
            let kids = if minors == 1 { "child" } else { "children" };
            let mins = if minors == 1 { "minor" } else { "minors" };
            (
                format!(", including {w} {kids},"),
                format!(" including {w} {mins}"),
                if minors == 1 {
                    ", one of them a minor".to_string()
                } else {
                    format!(", {w} of them minors")
                },
            )
        };
        let n_cap = if n <= 12 {
            capitalise(&number_words(n))
        } else {
            n.to_string()
        };
        let place = cx
            .place
            .map(|p| place_short(&p.code, &p.name_en))
            .unwrap_or_else(|| cx.district.name_en.clone());
        vec![
            ("district", cx.district.name_en.clone()),
            ("origin", origin),
            ("place", place),
            ("dest", cx.dest.to_string()),
            ("route", route),
            (
                "destv",
                match cx.dest {
                    "the United Arab Emirates" => "UAE".to_string(),
                    "the United Kingdom" => "UK".to_string(),
                    d => d.to_string(),
                },
            ),
            ("Person", capitalise(person_noun)),
            ("he", he.to_string()),
            ("He", capitalise(he)),
            ("his", his.to_string()),
            (
                "and_others",
                match cast.extra_complainants {
                    0 => String::new(),
                    1 => " and one other".to_string(),
                    k => format!(" and {} others", number_words(k)),
                },
            ),
            (
                "them",
                if cast.extra_complainants == 0 {
                    "him"
                } else {
                    "them"
                }
                .to_string(),
            ),
            (
                "jobs",
                if cast.extra_complainants == 0 {
                    "a job"
                } else {
                    "jobs"
                }
                .to_string(),
            ),
            (
                "each",
                if cast.extra_complainants == 0 {
                    ""
                } else {
                    " each"
                }
                .to_string(),
            ),
            ("price", crate::util::pkr(price)),
            ("advance", crate::util::pkr(advance)),
            ("debt", crate::util::pkr(debt)),
            ("salary", crate::util::pkr(salary)),
            ("n", n.to_string()),
            ("N", n_cap),
            ("minors", number_words(minors)),
            ("incl_children", incl_children),
            ("incl_minors", incl_minors),
            ("minors_clause", minors_clause),
            ("others", number_words(cast.extra_complainants)),
            ("agent", agent),
            ("agent_district", agent_district),
            ("recruiter", recruiter),
            ("complainant", complainant.clone()),
            ("Complainant", capitalise(&complainant)),
            ("victim", victim_desc.clone()),
            ("Victim", capitalise(&victim_desc)),
            ("Age", victim_age),
        ]
    }
}

/// A verdict per suspect (registry index).
type Verdicts = Vec<(usize, Verdict)>;

/// Who is in the case, for the words.
#[derive(Debug, Default)]
struct Cast {
    victims: Vec<usize>,
    suspects: Vec<usize>,
    complainant: Option<usize>,
    extra_complainants: usize,
}

/// Every path through the stage table from the complaint to a stage.
fn paths_to(refdata: &ReferenceData, target: CaseStage) -> Vec<Vec<CaseStage>> {
    fn walk(
        refdata: &ReferenceData,
        path: &mut Vec<CaseStage>,
        target: CaseStage,
        out: &mut Vec<Vec<CaseStage>>,
    ) {
        let Some(&here) = path.last() else { return };
        if here == target {
            out.push(path.clone());
            return;
        }
        if path.len() > 12 {
            return;
        }
        for next in refdata.next_stages(here) {
            if !path.contains(next) {
                path.push(*next);
                walk(refdata, path, target, out);
                path.pop();
            }
        }
    }
    let mut out = Vec::new();
    walk(refdata, &mut vec![CaseStage::Complaint], target, &mut out);
    out
}

/// Typical days between two stages.
fn duration(from: CaseStage, to: CaseStage, s: Scenario) -> (i64, i64) {
    use CaseStage as S;
    let caught = matches!(
        s,
        Scenario::LandInterception
            | Scenario::BoatInterception
            | Scenario::Offloading
            | Scenario::UmrahBeggars
    );
    match (from, to) {
        (S::Complaint, S::Inquiry) => (1, 30),
        (S::Complaint, S::Fir) if caught => (1, 2),
        (S::Complaint, S::Fir) => (1, 12),
        (S::Inquiry, S::Fir) => (15, 200),
        (S::Fir, S::Investigation) => (1, 7),
        (S::Investigation, S::Challan) => (30, 300),
        (S::Challan, S::Trial) => (15, 120),
        (S::Trial, S::Judgment) => (120, 1100),
        (S::Judgment, S::Appeal) => (15, 60),
        (S::Appeal, S::Closed) => (150, 900),
        (S::Judgment, S::Closed) => (30, 120),
        (S::Complaint, S::Closed) => (15, 180),
        (S::Inquiry, S::Closed) => (30, 300),
        (S::Fir | S::Investigation, S::Closed) => (60, 500),
        _ => (10, 200),
    }
}
