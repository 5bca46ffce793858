//! Persons only, in chunks, for benchmarks: generated lazily so that a million fit in little memory.

use crate::geo::Geo;
use crate::names::NameLists;
use crate::person::{PersonGen, PersonSpec};
use crate::util::{uuid_at, Rand};
use crate::Creator;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use nigehban_core::store::NewPerson;
use nigehban_domain::ids::PersonId;
use nigehban_domain::person::{PersonInput, ValidatedPerson};
use nigehban_domain::reference::ReferenceData;
use rand::{Rng, SeedableRng};
use std::collections::VecDeque;

/// Share of records that are another record of a person already generated.
const NEAR_DUPLICATE_P: f64 = 0.03;
/// How many recent persons a near-duplicate may copy.
const RECENT: usize = 4096;
const ATTEMPTS: u32 = 16;

pub(crate) struct PersonChunks<'a> {
    geo: Geo<'a>,
    names: &'a NameLists,
    creator: &'a Creator,
    rng: Rand,
    today: NaiveDate,
    remaining: usize,
    chunk: usize,
    produced: u64,
    recent: VecDeque<PersonSpec<'a>>,
    start: DateTime<Utc>,
    step_ms: i64,
}

impl<'a> PersonChunks<'a> {
    pub fn new(
        refdata: &'a ReferenceData,
        names: &'a NameLists,
        creator: &'a Creator,
        seed: u64,
        n: usize,
        chunk: usize,
        today: NaiveDate,
    ) -> Self {
        // Records spread over the three years before today.
        let start_day = crate::util::years_before(today, 3);
        let start = start_day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
        let span_ms = (today - start_day).num_milliseconds().max(1);
        let step_ms = (span_ms / i64::try_from(n.max(1)).unwrap_or(i64::MAX)).max(1);
        PersonChunks {
            geo: Geo::new(refdata),
            names,
            creator,
            rng: Rand::seed_from_u64(seed ^ 0x7065_7273_6f6e_7321),
            today,
            remaining: n,
            chunk: chunk.max(1),
            produced: 0,
            recent: VecDeque::with_capacity(RECENT),
            start,
            step_ms,
        }
    }

    fn one(&mut self) -> Option<NewPerson> {
        let mut found: Option<(ValidatedPerson, Option<PersonSpec<'a>>)> = None;
        for _ in 0..ATTEMPTS {
            let dup = !self.recent.is_empty() && self.rng.gen_bool(NEAR_DUPLICATE_P);
            let spec = if dup {
                let k = self.rng.gen_range(0..self.recent.len());
                match self.recent.get(k) {
                    Some(orig) => orig.clone().near_duplicate(&mut self.rng),
                    None => continue,
                }
            } else {
                let pg = PersonGen {
                    geo: &self.geo,
                    names: self.names,
                };
                match pg.random(&mut self.rng, self.today) {
                    Some(s) => s,
                    None => continue,
                }
            };
            if let Ok(v) = spec.validate(&self.geo, self.today) {
                found = Some((v, (!dup).then_some(spec)));
                break;
            }
        }
        let person = match found {
            Some((v, spec)) => {
                if let Some(spec) = spec {
                    if self.recent.len() >= RECENT {
                        self.recent.pop_front();
                    }
                    self.recent.push_back(spec);
                }
                v
            }
            None => {
                // Should not happen; a record with only a name and sex is always valid.
                let input = PersonInput {
                    name_roman: Some("Unknown".into()),
                    sex: Some("unknown".into()),
                    ..PersonInput::default()
                };
                input.validate(self.geo.refdata, self.today).ok()?
            }
        };
        let offset = i64::try_from(self.produced)
            .unwrap_or(i64::MAX)
            .saturating_mul(self.step_ms)
            .saturating_add(self.rng.gen_range(0..self.step_ms.max(1)));
        let created_at = self.start + Duration::milliseconds(offset);
        self.produced += 1;
        Some(NewPerson {
            id: PersonId(uuid_at(&mut self.rng, created_at)),
            person,
            agency: self.creator.agency.clone(),
            created_by: self.creator.user_id,
            created_at,
        })
    }
}

impl Iterator for PersonChunks<'_> {
    type Item = Vec<NewPerson>;

    fn next(&mut self) -> Option<Vec<NewPerson>> {
        if self.remaining == 0 {
            return None;
        }
        let k = self.chunk.min(self.remaining);
        let mut out = Vec::with_capacity(k);
        // Each slot gets a person; a slot that cannot be filled is retried a bounded number of times.
        let mut misses = 0;
        while out.len() < k && misses < 1000 {
            match self.one() {
                Some(p) => out.push(p),
                None => misses += 1,
            }
        }
        self.remaining -= k;
        Some(out)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.remaining.div_ceil(self.chunk);
        (n, Some(n))
    }
}
