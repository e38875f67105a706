//! What the Annoy scene measures its search against: the exact answer (brute force, not
//! counted), the true neighbours the search left out with the border that cut them off and
//! the search_k that finds them, and recall@k against search_k over random queries.

use super::AnnoyScene;
use crate::engine::annoy::{Annoy, Node};
use crate::engine::rng::SplitMix64;
use crate::engine::{Dist, NoRecorder, PointId, brute};
use crate::scenes::Shared;

/// A true neighbour the search did not return.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Missed {
    pub id: PointId,
    /// Its rank among the true neighbours (0 = nearest).
    pub rank: usize,
    pub dist: f32,
    /// Where it parts from the query in the tree on show: the split node and the query's
    /// margin there (how far the query is from that border).
    pub border: Option<(u32, f32)>,
    /// The smallest search_k that finds it.
    pub found_at: Option<usize>,
}

/// Mean recall@k over seeded random queries at one search_k.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RecallPoint {
    pub search_k: usize,
    pub recall: f64,
}

/// Queries behind the recall curve.
pub const CURVE_QUERIES: usize = 100;

/// The split node of tree `t` where point `p` and the query go different ways, with the
/// query's margin there.
pub fn parting(index: &Annoy, t: usize, q: &[f32], p: &[f32]) -> Option<(u32, f32)> {
    let mut node = *index.roots().get(t)?;
    loop {
        match &index.nodes()[node as usize] {
            Node::Leaf { .. } => return None,
            Node::Split { left, right, .. } => {
                let (mq, mp) = (index.margin(node, q), index.margin(node, p));
                if (mq > 0.0) != (mp > 0.0) {
                    return Some((node, mq));
                }
                node = if mq > 0.0 { *right } else { *left };
            }
        }
    }
}

/// search_k values of the recall curve: 1, 2, 5, 10, … up to every candidate.
pub fn curve_search_ks(n: usize, n_trees: usize) -> Vec<usize> {
    let top = n.saturating_mul(n_trees).max(1);
    let mut v = Vec::new();
    let mut decade = 1usize;
    'outer: loop {
        for m in [1, 2, 5] {
            let s = m * decade;
            if s >= top {
                v.push(top);
                break 'outer;
            }
            v.push(s);
        }
        decade *= 10;
    }
    v
}

/// Mean recall@k against search_k over [`CURVE_QUERIES`] seeded random queries in the data's
/// box: one walk of the queue per query answers every search_k (see `Annoy::found_at`).
pub fn recall_curve(index: &Annoy, shared: &Shared, k: usize) -> Vec<RecallPoint> {
    let ks = curve_search_ks(shared.points.len(), index.roots().len());
    let dim = shared.points.dim();
    // The box the queries are drawn in, per coordinate (the data's own, not the picture's).
    let (mut lo, mut hi) = (vec![f32::INFINITY; dim], vec![f32::NEG_INFINITY; dim]);
    for id in shared.points.ids() {
        for (a, &x) in shared.points.get(id).iter().enumerate() {
            lo[a] = lo[a].min(x);
            hi[a] = hi[a].max(x);
        }
    }
    if shared.points.is_empty() {
        (lo, hi) = (vec![0.0; dim], vec![1.0; dim]);
    }
    let mut rng = SplitMix64::new(shared.seed ^ 0xC0_4E);
    let mut hits = vec![0usize; ks.len()];
    let mut total = 0usize;
    for _ in 0..CURVE_QUERIES {
        let q: Vec<f32> = (0..dim)
            .map(|a| {
                let (l, h) = if hi[a] - lo[a] < 1e-6 {
                    (lo[a] - 0.5, lo[a] + 0.5)
                } else {
                    (lo[a], hi[a])
                };
                l + (h - l) * rng.unit_f32()
            })
            .collect();
        let mut dist = Dist::new(shared.metric);
        let Ok(truth) = brute::knn(shared.points, &mut dist, &q, k, &mut NoRecorder) else {
            continue;
        };
        let ids: Vec<PointId> = truth.iter().map(|t| t.0).collect();
        let Ok(found) = index.found_at(&q, &ids) else {
            continue;
        };
        total += ids.len();
        for (h, &sk) in hits.iter_mut().zip(&ks) {
            *h += found.iter().filter(|f| f.is_some_and(|f| f <= sk)).count();
        }
    }
    ks.iter()
        .zip(&hits)
        .map(|(&search_k, &h)| RecallPoint {
            search_k,
            recall: h as f64 / total.max(1) as f64,
        })
        .collect()
}

pub(super) fn find_missed(s: &AnnoyScene, shared: &Shared) -> Vec<Missed> {
    let Some(index) = s.index.as_ref() else {
        return Vec::new();
    };
    let lost: Vec<(usize, PointId, f32)> = s
        .truth
        .iter()
        .enumerate()
        .filter(|(_, t)| !s.answer.iter().any(|a| a.0 == t.0))
        .map(|(rank, t)| (rank, t.0, t.1))
        .collect();
    let ids: Vec<PointId> = lost.iter().map(|l| l.1).collect();
    let found = index.found_at(&s.query, &ids).unwrap_or_default();
    let tree = s.settings.tree.min(index.roots().len().saturating_sub(1));
    lost.iter()
        .enumerate()
        .map(|(i, &(rank, id, dist))| Missed {
            id,
            rank,
            dist,
            border: parting(index, tree, &s.query_vec(), shared.points.get(id)),
            found_at: found.get(i).copied().flatten(),
        })
        .collect()
}
