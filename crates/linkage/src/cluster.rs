//! Clustering of pairwise links: connected components (union-find), strongest links first, with
//! an optional limit on a cluster's size against long chains of weak links.

use serde::Serialize;

/// A link between two records with its match weight.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Link {
    pub a: u32,
    pub b: u32,
    pub match_weight: f64,
}

/// Clusters of records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Clusters {
    /// For each record, its cluster: the smallest record index in it.
    pub cluster_of: Vec<u32>,
    /// Clusters, singletons included.
    pub count: u64,
    /// Records in the largest cluster.
    pub largest: u64,
    /// Links not followed because they would have made a cluster larger than the limit.
    pub refused_links: u64,
}

struct UnionFind {
    parent: Vec<u32>,
    size: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n)
                .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
                .collect(),
            size: vec![1; n],
        }
    }

    fn find(&mut self, x: u32) -> u32 {
        let mut root = x;
        while let Some(&p) = self.parent.get(root as usize) {
            if p == root {
                break;
            }
            root = p;
        }
        // Path compression.
        let mut cur = x;
        while let Some(&p) = self.parent.get(cur as usize) {
            if p == root {
                break;
            }
            if let Some(slot) = self.parent.get_mut(cur as usize) {
                *slot = root;
            }
            cur = p;
        }
        root
    }

    fn size(&self, root: u32) -> u32 {
        self.size.get(root as usize).copied().unwrap_or(1)
    }

    /// Joins two roots; the smaller index becomes the root, so roots are the smallest member.
    fn join(&mut self, ra: u32, rb: u32) {
        let (keep, gone) = if ra < rb { (ra, rb) } else { (rb, ra) };
        let total = self.size(keep) + self.size(gone);
        if let Some(p) = self.parent.get_mut(gone as usize) {
            *p = keep;
        }
        if let Some(s) = self.size.get_mut(keep as usize) {
            *s = total;
        }
    }
}

/// Connected components of `n` records joined by `links`, followed strongest first (ties by
/// record indexes) so that the result is the same whatever the links' order. With
/// `max_size > 0`, a link that would make a cluster larger than `max_size` is not followed.
pub fn cluster(n: usize, links: &[Link], max_size: usize) -> Clusters {
    let mut order: Vec<&Link> = links.iter().collect();
    order.sort_by(|x, y| {
        y.match_weight
            .total_cmp(&x.match_weight)
            .then_with(|| (x.a, x.b).cmp(&(y.a, y.b)))
    });
    let mut uf = UnionFind::new(n);
    let mut refused = 0u64;
    for l in order {
        let (ra, rb) = (uf.find(l.a), uf.find(l.b));
        if ra == rb {
            continue;
        }
        if max_size > 0 && (uf.size(ra) + uf.size(rb)) as usize > max_size {
            refused += 1;
            continue;
        }
        uf.join(ra, rb);
    }
    let cluster_of: Vec<u32> = (0..n)
        .map(|i| uf.find(u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    let mut sizes = vec![0u64; n];
    for c in &cluster_of {
        if let Some(s) = sizes.get_mut(*c as usize) {
            *s += 1;
        }
    }
    Clusters {
        count: sizes.iter().filter(|s| **s > 0).count() as u64,
        largest: sizes.iter().copied().max().unwrap_or(0),
        cluster_of,
        refused_links: refused,
    }
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

    fn link(a: u32, b: u32, w: f64) -> Link {
        Link {
            a,
            b,
            match_weight: w,
        }
    }

    #[test]
    fn components_are_named_by_their_smallest_record() {
        let c = cluster(6, &[link(4, 1, 5.0), link(1, 3, 5.0), link(2, 5, 1.0)], 0);
        assert_eq!(c.cluster_of, vec![0, 1, 2, 1, 1, 2]);
        assert_eq!(c.count, 3);
        assert_eq!(c.largest, 3);
    }

    #[test]
    fn the_size_limit_keeps_the_strongest_links() {
        let links = [link(0, 1, 9.0), link(1, 2, 1.0), link(2, 3, 9.0)];
        let c = cluster(4, &links, 2);
        assert_eq!(c.cluster_of, vec![0, 0, 2, 2]);
        assert_eq!(c.refused_links, 1);
    }
}
