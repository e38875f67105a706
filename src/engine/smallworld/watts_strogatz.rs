//! Watts & Strogatz, "Collective dynamics of 'small-world' networks" (1998): a ring of N
//! nodes each joined to its K nearest (K/2 a side), every edge's far end rewired with
//! probability p to a uniform node (no self-loops, no repeated edges). A few rewired edges
//! make paths short (L falls) while neighbourhoods stay clustered (C stays high).

use super::super::points::DataError;
use super::super::recorder::{NoRecorder, Recorder};
use super::super::rng::SplitMix64;

/// What rewiring does, edge by edge, for the scene to replay.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WsEvent {
    /// Node `node`'s edge to `old` (`lap` places clockwise) is considered: kept when `new`
    /// is `None`, else its far end moves to `new`.
    Edge {
        node: u32,
        old: u32,
        lap: u32,
        new: Option<u32>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WsParams {
    pub n: usize,
    /// Neighbours per node on the ring (even).
    pub k: usize,
    pub p: f64,
    pub seed: u64,
}

impl WsParams {
    pub fn check(&self) -> Result<(), DataError> {
        let bad = |m: String| Err(DataError::BadParameter(m));
        if self.n < 4 || self.n > 1_000_000 {
            return bad(format!(
                "N must be between 4 and 1,000,000 (got {})",
                self.n
            ));
        }
        // K = 2 has no triangles: C(0) = 0 and no clustering to compare with.
        if self.k < 4 || !self.k.is_multiple_of(2) || self.k >= self.n {
            return bad(format!(
                "K must be even, at least 4 and below N = {} (got {})",
                self.n, self.k
            ));
        }
        if !(0.0..=1.0).contains(&self.p) {
            return bad(format!("p must lie in [0, 1] (got {})", self.p));
        }
        Ok(())
    }
}

/// A rewired ring: adjacency lists (sorted) and the edges whose far end moved.
#[derive(Clone, Debug, PartialEq)]
pub struct WsGraph {
    pub adj: Vec<Vec<u32>>,
    /// (node, its new far end) for every rewired edge.
    pub rewired: Vec<(u32, u32)>,
}

impl WsGraph {
    pub fn build(params: WsParams) -> Result<Self, DataError> {
        Self::build_with(params, &mut NoRecorder)
    }

    /// The ring before any rewiring.
    pub fn ring(n: usize, k: usize) -> Vec<Vec<u32>> {
        let mut adj: Vec<Vec<u32>> = vec![Vec::with_capacity(k + 2); n];
        for i in 0..n {
            for j in 1..=k / 2 {
                let v = (i + j) % n;
                adj[i].push(v as u32);
                adj[v].push(i as u32);
            }
        }
        for a in &mut adj {
            a.sort_unstable();
        }
        adj
    }

    /// [`WsGraph::build`], reporting every edge considered to `rec`.
    pub fn build_with<R: Recorder<WsEvent>>(
        params: WsParams,
        rec: &mut R,
    ) -> Result<Self, DataError> {
        params.check()?;
        let n = params.n;
        let mut adj = Self::ring(n, params.k);
        let mut rng = SplitMix64::new(params.seed);
        let mut rewired = Vec::new();
        // Lap by lap, as in the paper: first every node's nearest clockwise edge, then the
        // next, ...
        for j in 1..=params.k / 2 {
            for i in 0..n {
                let v = ((i + j) % n) as u32;
                if !adj[i].contains(&v) {
                    continue; // already moved away by an earlier rewiring of v's edge
                }
                let coin = rng.unit_f64();
                if coin >= params.p || adj[i].len() >= n - 1 {
                    if R::ENABLED {
                        rec.record(WsEvent::Edge {
                            node: i as u32,
                            old: v,
                            lap: j as u32,
                            new: None,
                        });
                    }
                    continue;
                }
                let w = loop {
                    let w = rng.below(n as u64) as u32;
                    if w as usize != i && !adj[i].contains(&w) {
                        break w;
                    }
                };
                adj[i].retain(|&x| x != v);
                adj[v as usize].retain(|&x| x as usize != i);
                adj[i].push(w);
                adj[w as usize].push(i as u32);
                rewired.push((i as u32, w));
                if R::ENABLED {
                    rec.record(WsEvent::Edge {
                        node: i as u32,
                        old: v,
                        lap: j as u32,
                        new: Some(w),
                    });
                }
            }
        }
        for a in &mut adj {
            a.sort_unstable();
        }
        Ok(Self { adj, rewired })
    }

    pub fn edges(&self) -> usize {
        self.adj.iter().map(Vec::len).sum::<usize>() / 2
    }

    /// The mean of the local clustering coefficients (a node of degree < 2 counts 0).
    pub fn clustering(&self) -> f64 {
        clustering(&self.adj)
    }

    /// Hops from `s` to every node (`u32::MAX`: unreachable).
    pub fn hops_from(&self, s: usize) -> Vec<u32> {
        hops_from(&self.adj, s)
    }

    /// The mean shortest-path length over every connected pair.
    pub fn mean_path_length(&self) -> f64 {
        mean_path_length(&self.adj)
    }

    /// A shortest path from `s` to `t`, both ends included.
    pub fn shortest_path(&self, s: usize, t: usize) -> Option<Vec<u32>> {
        shortest_path(&self.adj, s, t)
    }
}

/// The mean of the local clustering coefficients (a node of degree < 2 counts 0).
pub fn clustering(adj: &[Vec<u32>]) -> f64 {
    let n = adj.len().max(1);
    let mut sum = 0.0;
    for nb in adj {
        let d = nb.len();
        if d < 2 {
            continue;
        }
        let mut links = 0usize;
        for (i, &a) in nb.iter().enumerate() {
            for &b in &nb[i + 1..] {
                if adj[a as usize].binary_search(&b).is_ok() {
                    links += 1;
                }
            }
        }
        sum += links as f64 / (d * (d - 1) / 2) as f64;
    }
    sum / n as f64
}

/// Hops from `s` to every node by breadth-first search (`u32::MAX`: unreachable).
pub fn hops_from(adj: &[Vec<u32>], s: usize) -> Vec<u32> {
    let mut dist = vec![u32::MAX; adj.len()];
    let mut queue = std::collections::VecDeque::new();
    dist[s] = 0;
    queue.push_back(s);
    while let Some(u) = queue.pop_front() {
        for &v in &adj[u] {
            if dist[v as usize] == u32::MAX {
                dist[v as usize] = dist[u] + 1;
                queue.push_back(v as usize);
            }
        }
    }
    dist
}

/// [`mean_path_length`] on the calling thread (for the window: a background sweep may hold
/// every core).
pub fn mean_path_length_here(adj: &[Vec<u32>]) -> f64 {
    let (mut sum, mut count) = (0u64, 0u64);
    for s in 0..adj.len() {
        for (t, &h) in hops_from(adj, s).iter().enumerate() {
            if t != s && h != u32::MAX {
                sum += u64::from(h);
                count += 1;
            }
        }
    }
    sum as f64 / count.max(1) as f64
}

/// The mean shortest-path length over every pair that is connected.
pub fn mean_path_length(adj: &[Vec<u32>]) -> f64 {
    use rayon::prelude::*;
    let (sum, count) = (0..adj.len())
        .into_par_iter()
        .map(|s| {
            let d = hops_from(adj, s);
            d.iter()
                .enumerate()
                .filter(|&(t, &h)| t != s && h != u32::MAX)
                .fold((0u64, 0u64), |(a, c), (_, &h)| (a + u64::from(h), c + 1))
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    sum as f64 / count.max(1) as f64
}

/// A shortest path from `s` to `t` (both ends included), if they are connected.
pub fn shortest_path(adj: &[Vec<u32>], s: usize, t: usize) -> Option<Vec<u32>> {
    let d = hops_from(adj, t);
    if d.get(s).is_none_or(|&h| h == u32::MAX) {
        return None;
    }
    let mut path = vec![s as u32];
    let mut cur = s;
    while cur != t {
        cur = *adj[cur].iter().find(|&&v| d[v as usize] + 1 == d[cur])? as usize;
        path.push(cur as u32);
    }
    Some(path)
}

/// The ring's clustering before rewiring: 3(K − 2) / (4(K − 1)).
pub fn clustering_0(k: usize) -> f64 {
    3.0 * (k as f64 - 2.0) / (4.0 * (k as f64 - 1.0))
}

/// The ring's mean path length before rewiring, ≈ N / (2K) for N ≫ K.
pub fn path_length_0(n: usize, k: usize) -> f64 {
    n as f64 / (2.0 * k as f64)
}

/// Largest N of a sweep.
pub const MAX_SWEEP_N: usize = 5_000;

/// C(p)/C(0) and L(p)/L(0), averaged over `runs` rewirings.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WsRow {
    pub n: usize,
    pub k: usize,
    pub p: f64,
    pub runs: usize,
    pub c_ratio: f64,
    pub l_ratio: f64,
}

/// The classic figure's points: for each p, C(p)/C(0) and L(p)/L(0) averaged over `runs`
/// seeded realizations (C(0) and L(0) measured once on the unrewired ring).
pub fn sweep(
    n: usize,
    k: usize,
    ps: &[f64],
    runs: usize,
    seed: u64,
) -> Result<Vec<WsRow>, DataError> {
    let mut rows = Vec::new();
    sweep_each(
        n,
        k,
        ps,
        runs,
        seed,
        &std::sync::atomic::AtomicBool::new(false),
        |r| rows.push(r),
    )?;
    Ok(rows)
}

/// [`sweep`], handing each row to `row` as it is measured and stopping between rewirings
/// when `cancel` is set.
pub fn sweep_each(
    n: usize,
    k: usize,
    ps: &[f64],
    runs: usize,
    seed: u64,
    cancel: &std::sync::atomic::AtomicBool,
    mut row: impl FnMut(WsRow),
) -> Result<(), DataError> {
    use std::sync::atomic::Ordering;
    if n > MAX_SWEEP_N {
        return Err(DataError::BadParameter(format!(
            "a sweep takes at most N = {MAX_SWEEP_N} (got {n})"
        )));
    }
    for &p in ps {
        WsParams { n, k, p, seed }.check()?;
    }
    let ring = WsGraph::build(WsParams { n, k, p: 0.0, seed })?;
    let (c0, l0) = (ring.clustering(), ring.mean_path_length());
    let runs = runs.clamp(1, 1000);
    for &p in ps {
        let (mut c, mut l) = (0.0, 0.0);
        for run in 0..runs {
            if cancel.load(Ordering::Relaxed) {
                return Ok(());
            }
            let g = WsGraph::build(WsParams {
                n,
                k,
                p,
                seed: super::super::rng::nth(seed, run as u64 + 1),
            })?;
            c += g.clustering();
            l += g.mean_path_length();
        }
        row(WsRow {
            n,
            k,
            p,
            runs,
            c_ratio: c / runs as f64 / c0,
            l_ratio: l / runs as f64 / l0,
        });
    }
    Ok(())
}
