//! Ranks as the Index gives them: the highest score first, overall and within the continent and
//! the region, on the published (two-decimal) composite. Countries with the same score share a
//! rank and the next one skips ("1, 2, 2, 4": standard competition ranking). This reproduces
//! every published rank we hold: Pakistan 2021 (criminality 29th of 193 in a tie, 10th of 46 in
//! Asia, 2nd of 8 in Southern Asia; resilience 133rd in a four-way tie, 29th, 5th) and the 2023
//! criminality tie of Cambodia and Indonesia, both 20th. Dense ranking would put Pakistan 28th
//! and 71st. For both editions, ranking on the exact means orders countries exactly as ranking
//! on the published two decimals does (`tests/published.rs`), so the rounding rule cannot change
//! a rank.

use crate::score::Centi;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A place among `of` (1 is the highest score).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rank {
    pub rank: u32,
    pub of: u32,
}

/// A composite's ranks overall, within the continent and within the region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankSet {
    pub overall: Rank,
    pub continent: Rank,
    pub region: Rank,
}

/// What ranking needs of a country.
#[derive(Debug, Clone)]
pub struct RankInput<'a> {
    pub continent: &'a str,
    pub region: &'a str,
    pub criminality: Centi,
    pub markets: Centi,
    pub actors: Centi,
    pub resilience: Centi,
}

/// A country's ranks on each composite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranks {
    pub criminality: RankSet,
    pub markets: RankSet,
    pub actors: RankSet,
    pub resilience: RankSet,
}

/// Competition ranks of values, highest first: each value's rank is one more than the number of
/// values strictly higher. In the order given.
pub fn competition_ranks<T: Ord>(values: &[T]) -> Vec<u32> {
    let mut sorted: Vec<&T> = values.iter().collect();
    sorted.sort_by(|a, b| b.cmp(a));
    values
        .iter()
        // The number of values strictly higher: where `v` first appears in descending order.
        .map(|v| sorted.partition_point(|x| *x > v) as u32 + 1)
        .collect()
}

/// Ranks within groups: `key` groups, `value` orders. In the order given.
fn grouped<'a, K: std::hash::Hash + Eq>(
    items: &'a [RankInput<'a>],
    key: impl Fn(&'a RankInput<'a>) -> K,
    value: impl Fn(&RankInput<'a>) -> Centi,
) -> Vec<Rank> {
    let mut groups: HashMap<K, Vec<usize>> = HashMap::new();
    for (i, it) in items.iter().enumerate() {
        groups.entry(key(it)).or_default().push(i);
    }
    let mut out = vec![Rank { rank: 0, of: 0 }; items.len()];
    for members in groups.values() {
        let values: Vec<Centi> = members
            .iter()
            .filter_map(|i| items.get(*i).map(&value))
            .collect();
        let ranks = competition_ranks(&values);
        for (i, r) in members.iter().zip(ranks) {
            if let Some(slot) = out.get_mut(*i) {
                *slot = Rank {
                    rank: r,
                    of: members.len() as u32,
                };
            }
        }
    }
    out
}

fn rank_sets<'a>(
    items: &'a [RankInput<'a>],
    value: impl Fn(&RankInput<'a>) -> Centi,
) -> Vec<RankSet> {
    let overall = grouped(items, |_| (), &value);
    let continent = grouped(items, |i| i.continent, &value);
    // A region is taken within its continent, in case two continents ever use one region name.
    let region = grouped(items, |i| (i.continent, i.region), &value);
    overall
        .into_iter()
        .zip(continent)
        .zip(region)
        .map(|((overall, continent), region)| RankSet {
            overall,
            continent,
            region,
        })
        .collect()
}

/// The ranks of every country of one edition, in the order given.
pub fn rank_countries(items: &[RankInput<'_>]) -> Vec<Ranks> {
    let c = rank_sets(items, |i| i.criminality);
    let m = rank_sets(items, |i| i.markets);
    let a = rank_sets(items, |i| i.actors);
    let r = rank_sets(items, |i| i.resilience);
    c.into_iter()
        .zip(m)
        .zip(a)
        .zip(r)
        .map(|(((criminality, markets), actors), resilience)| Ranks {
            criminality,
            markets,
            actors,
            resilience,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_a_rank_and_the_next_skips() {
        assert_eq!(competition_ranks(&[5, 7, 7, 3, 9]), vec![4, 2, 2, 5, 1]);
        assert_eq!(competition_ranks::<i32>(&[]), Vec::<u32>::new());
        assert_eq!(competition_ranks(&[1, 1, 1]), vec![1, 1, 1]);
    }

    #[test]
    fn ranks_are_overall_and_within_continent_and_region() {
        let row = |continent, region, c: i64, r: i64| RankInput {
            continent,
            region,
            criminality: Centi(c),
            markets: Centi(c),
            actors: Centi(c),
            resilience: Centi(r),
        };
        let items = vec![
            row("Asia", "Southern Asia", 628, 400),
            row("Asia", "Southern Asia", 700, 300),
            row("Asia", "Western Asia", 628, 500),
            row("Africa", "West Africa", 800, 400),
        ];
        let ranks = rank_countries(&items);
        let pak = ranks[0];
        assert_eq!(pak.criminality.overall, Rank { rank: 3, of: 4 });
        assert_eq!(pak.criminality.continent, Rank { rank: 2, of: 3 });
        assert_eq!(pak.criminality.region, Rank { rank: 2, of: 2 });
        assert_eq!(pak.resilience.overall, Rank { rank: 2, of: 4 });
        assert_eq!(ranks[3].resilience.overall, Rank { rank: 2, of: 4 });
        assert_eq!(ranks[3].criminality.continent, Rank { rank: 1, of: 1 });
    }
}
