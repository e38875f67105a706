//! Filtered k-NN on an HNSW graph, the four ways vector databases do it:
//! **pre-filter** (an exact scan of the matching objects: cost = their number, as Weaviate does
//! below its flat-search cutoff), **post-filter** (an ordinary search of width ef, then the
//! non-matches dropped: fewer than k results under a tight filter), **in-walk** (the walk
//! traverses every node but only matches enter the results, and it goes on until ef matches
//! are held, as hnswlib's filter does) and **ACORN-1** (only matches are measured; a
//! non-matching neighbour is looked through to its own neighbours, two hops). Every strategy
//! descends the upper layers unfiltered, as hnswlib does.
//!
//! Where this differs from the databases: ACORN-1 here expands every two-hop neighbour (the
//! paper truncates the list to M), and no planner switches strategy by itself.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::hnsw::Hnsw;
use super::points::{Metric, PointId, Points};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Strategy {
    PreFilter,
    PostFilter,
    InWalk,
    Acorn1,
}

impl Strategy {
    pub const ALL: [Strategy; 4] = [
        Strategy::PreFilter,
        Strategy::PostFilter,
        Strategy::InWalk,
        Strategy::Acorn1,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Strategy::PreFilter => "pre-filter",
            Strategy::PostFilter => "post-filter",
            Strategy::InWalk => "in-walk",
            Strategy::Acorn1 => "acorn-1",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.name() == s.trim())
    }
}

/// What a filtered search returns and what it cost.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filtered {
    /// Matching objects, nearest first (at most k; fewer when the strategy found fewer).
    pub results: Vec<(PointId, f32)>,
    pub distance_computations: u64,
    /// Nodes whose links were read.
    pub expanded: u64,
}

/// Ordered f32 distances for the heaps.
#[derive(Clone, Copy, Debug, PartialEq)]
struct D(f32, u32);

impl Eq for D {}

impl PartialOrd for D {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for D {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&o.0).then(self.1.cmp(&o.1))
    }
}

struct Ctx<'a> {
    index: &'a Hnsw,
    points: &'a Points,
    metric: Metric,
    q: &'a [f32],
    count: u64,
}

impl Ctx<'_> {
    fn dist(&mut self, id: u32) -> f32 {
        self.count += 1;
        self.metric.eval(self.points.get(PointId(id)), self.q)
    }

    /// The greedy descent through the upper layers (unfiltered): the base layer's entry.
    fn descend(&mut self) -> Option<(u32, f32)> {
        let ep = self.index.entry_point()?.0;
        let mut cur = (ep, self.dist(ep));
        for layer in (1..=self.index.max_level()).rev() {
            loop {
                let before = cur.0;
                for &v in self.index.neighbors(PointId(cur.0), layer) {
                    let d = self.dist(v);
                    if d < cur.1 {
                        cur = (v, d);
                    }
                }
                if cur.0 == before {
                    break;
                }
            }
        }
        Some(cur)
    }
}

/// The `k` nearest matching objects (`mask[i]`: object i matches) by `strategy` with width
/// `ef`, on `index` built over `points`.
#[allow(clippy::too_many_arguments)]
pub fn search(
    index: &Hnsw,
    points: &Points,
    metric: Metric,
    q: &[f32],
    k: usize,
    ef: usize,
    mask: &[bool],
    strategy: Strategy,
) -> Filtered {
    let mut cx = Ctx {
        index,
        points,
        metric,
        q,
        count: 0,
    };
    let n = points.len().min(mask.len());
    let matches = |i: u32| mask.get(i as usize).copied().unwrap_or(false);
    let ef = ef.max(k).max(1);
    let mut expanded = 0u64;
    let mut results: Vec<(PointId, f32)> = match strategy {
        Strategy::PreFilter => {
            let mut all: Vec<(PointId, f32)> = (0..n as u32)
                .filter(|&i| matches(i))
                .map(|i| (PointId(i), cx.dist(i)))
                .collect();
            all.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            all
        }
        _ => {
            let Some(entry) = cx.descend() else {
                return Filtered::default();
            };
            let mut visited = vec![false; n];
            // C: candidates, nearest first; W: results, furthest on top.
            let mut c: BinaryHeap<Reverse<D>> = BinaryHeap::new();
            let mut w: BinaryHeap<D> = BinaryHeap::new();
            let admit = |id: u32| match strategy {
                Strategy::PostFilter => true,
                _ => matches(id),
            };
            let mut seeds = vec![entry];
            if strategy == Strategy::Acorn1 && !matches(entry.0) {
                // A non-matching entry is looked through to its matching neighbours (two hops).
                seeds.clear();
                for &v in index.neighbors(PointId(entry.0), 0) {
                    for u in
                        std::iter::once(v).chain(index.neighbors(PointId(v), 0).iter().copied())
                    {
                        if matches(u) && !visited[u as usize] {
                            visited[u as usize] = true;
                            seeds.push((u, cx.dist(u)));
                        }
                    }
                }
            }
            for &(id, d) in &seeds {
                visited[id as usize] = true;
                c.push(Reverse(D(d, id)));
                if admit(id) {
                    w.push(D(d, id));
                }
            }
            // The furthest result held (none yet: no bound), hnswlib's lowerBound.
            let mut bound = w.peek().map_or(f32::INFINITY, |x| x.0);
            while let Some(Reverse(D(d, id))) = c.pop() {
                let full = w.len() >= ef;
                // The filtered walks go on until ef matches are held (hnswlib's filtered loop);
                // the unfiltered one stops at its bound as Algorithm 2 does.
                if d > bound && (full || strategy == Strategy::PostFilter) {
                    break;
                }
                expanded += 1;
                let mut next: Vec<u32> = Vec::new();
                for &v in index.neighbors(PointId(id), 0) {
                    if strategy == Strategy::Acorn1 && !matches(v) {
                        next.extend(
                            index
                                .neighbors(PointId(v), 0)
                                .iter()
                                .copied()
                                .filter(|&u| matches(u)),
                        );
                    } else {
                        next.push(v);
                    }
                }
                for v in next {
                    if std::mem::replace(&mut visited[v as usize], true) {
                        continue;
                    }
                    let dv = cx.dist(v);
                    if w.len() < ef || dv < bound {
                        c.push(Reverse(D(dv, v)));
                        if admit(v) {
                            w.push(D(dv, v));
                            if w.len() > ef {
                                w.pop();
                            }
                        }
                        if let Some(top) = w.peek() {
                            bound = top.0;
                        }
                    }
                }
            }
            let mut found: Vec<(PointId, f32)> =
                w.into_iter().map(|D(d, id)| (PointId(id), d)).collect();
            found.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            if strategy == Strategy::PostFilter {
                found.retain(|(id, _)| matches(id.0));
            }
            found
        }
    };
    results.truncate(k);
    Filtered {
        results,
        distance_computations: cx.count,
        expanded,
    }
}
