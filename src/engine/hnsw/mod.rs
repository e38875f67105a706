//! Hierarchical navigable small worlds (Malkov & Yashunin, arXiv:1603.09320), following the
//! paper's algorithms and hnswlib's vocabulary: `M`, `Mmax = M`, `Mmax0 = 2·M`,
//! `ef_construction`, `ef`, `mL = 1/ln M`.
//!
//! Storage is flat: layer 0 is one `Vec<u32>` of `Mmax0 + 1` slots per node (a count, then
//! the neighbours), upper layers one `Vec<u32>` of `Mmax + 1` slots per (node, layer).
//! Searches reuse one scratch (heaps and a generation-counted visited set): no allocation
//! per query. Euclidean distances are squared inside the index (monotone, no square root)
//! and reported as true distances.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

mod delete;
mod insert;
mod kernel;
mod parallel;
mod search;

pub use kernel::l2_squared;

use super::points::{DataError, Metric, PointId, Points};
use super::search::Visited;

/// Parameters of an HNSW index, named as in the paper and hnswlib.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HnswParams {
    /// Links chosen per insertion on every layer (`M`).
    pub m: usize,
    /// Most links a node keeps on layers above 0 (`Mmax`, default `M`).
    pub m_max: usize,
    /// Most links a node keeps on layer 0 (`Mmax0`, default `2·M`).
    pub m_max0: usize,
    /// Width of the insertion search (`efConstruction`).
    pub ef_construction: usize,
    /// Level normalisation (`mL`, default `1/ln M`).
    pub ml: f64,
    /// SELECT-NEIGHBORS-HEURISTIC (Algorithm 4) instead of SIMPLE (Algorithm 3).
    pub heuristic: bool,
    /// Algorithm 4's `extendCandidates`.
    pub extend_candidates: bool,
    /// Algorithm 4's `keepPrunedConnections`.
    pub keep_pruned: bool,
    pub metric: Metric,
    /// Seeds the level draws.
    pub seed: u64,
}

impl HnswParams {
    /// The paper's defaults for a given `M`.
    pub fn new(m: usize) -> Self {
        let m = m.max(2);
        Self {
            m,
            m_max: m,
            m_max0: 2 * m,
            ef_construction: 200,
            ml: 1.0 / (m as f64).ln(),
            heuristic: true,
            extend_candidates: false,
            keep_pruned: false,
            metric: Metric::Euclidean,
            seed: 100,
        }
    }

    fn check(&self) -> Result<(), DataError> {
        let bad = |s: &str| Err(DataError::BadParameter(s.into()));
        if self.m < 1 {
            return bad("M must be at least 1");
        }
        if self.m_max < 1 || self.m_max0 < 1 {
            return bad("Mmax and Mmax0 must be at least 1");
        }
        if self.ef_construction < 1 {
            return bad("ef_construction must be at least 1");
        }
        if !(self.ml.is_finite() && self.ml >= 0.0) {
            return bad("mL must be a finite number ≥ 0");
        }
        if self.m_max > u32::MAX as usize / 2 || self.m_max0 > u32::MAX as usize / 2 {
            return bad("Mmax is too large");
        }
        Ok(())
    }
}

impl Default for HnswParams {
    fn default() -> Self {
        Self::new(16)
    }
}

/// Reusable working memory of a search.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    candidates: BinaryHeap<Reverse<u64>>,
    results: BinaryHeap<u64>,
    visited: Visited,
    /// Entry points of the next layer / sorted results.
    buf: Vec<u64>,
    selected: Vec<u64>,
}

impl Scratch {
    pub fn new(n: usize) -> Self {
        Self {
            visited: Visited::new(n),
            ..Self::default()
        }
    }
}

/// Counters of one HNSW operation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HnswStats {
    pub distance_computations: u64,
    /// Nodes expanded (taken from the candidate queue).
    pub hops: u64,
}

/// A hierarchical navigable small world over points of one dimension.
#[derive(Clone, Debug)]
pub struct Hnsw {
    params: HnswParams,
    dim: usize,
    data: Vec<f32>,
    levels: Vec<u8>,
    /// Layer 0: `Mmax0 + 1` slots per node.
    links0: Vec<u32>,
    /// Start of a node's upper blocks in `links_up` (unused for level-0 nodes).
    up_start: Vec<u32>,
    /// Layers 1..=level of each node: `Mmax + 1` slots per layer.
    links_up: Vec<u32>,
    entry: Option<u32>,
    max_level: usize,
    deleted: Vec<bool>,
    /// Hard-deleted: unlinked from the graph; the id is never reused.
    removed: Vec<bool>,
    rng: Pcg64Mcg,
    scratch: Scratch,
    stats: HnswStats,
}

impl Hnsw {
    /// An empty index for points of dimension `dim`, with room for `capacity` points.
    pub fn new(dim: usize, capacity: usize, params: HnswParams) -> Result<Self, DataError> {
        params.check()?;
        if dim == 0 {
            return Err(DataError::ZeroDimension);
        }
        Ok(Self {
            params,
            dim,
            data: Vec::with_capacity(capacity * dim),
            levels: Vec::with_capacity(capacity),
            links0: Vec::with_capacity(capacity * (params.m_max0 + 1)),
            up_start: Vec::with_capacity(capacity),
            links_up: Vec::new(),
            entry: None,
            max_level: 0,
            deleted: Vec::with_capacity(capacity),
            removed: Vec::with_capacity(capacity),
            rng: Pcg64Mcg::seed_from_u64(params.seed),
            scratch: Scratch::new(capacity),
            stats: HnswStats::default(),
        })
    }

    /// Builds an index of every point, in id order.
    pub fn build(points: &Points, params: HnswParams) -> Result<Self, DataError> {
        let mut h = Self::new(points.dim(), points.len(), params)?;
        for id in points.ids() {
            h.insert(points.get(id))?;
        }
        Ok(h)
    }

    pub fn params(&self) -> &HnswParams {
        &self.params
    }

    pub fn len(&self) -> usize {
        self.levels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    pub fn dim(&self) -> usize {
        self.dim
    }

    pub fn entry_point(&self) -> Option<PointId> {
        self.entry.map(PointId)
    }

    /// The top layer's number (0 for an empty index).
    pub fn max_level(&self) -> usize {
        self.max_level
    }

    pub fn level(&self, id: PointId) -> usize {
        self.levels[id.idx()] as usize
    }

    /// Soft-deleted (tombstone) or hard-deleted.
    pub fn is_deleted(&self, id: PointId) -> bool {
        self.deleted[id.idx()] || self.removed[id.idx()]
    }

    /// Hard-deleted: no longer in the graph.
    pub fn is_removed(&self, id: PointId) -> bool {
        self.removed[id.idx()]
    }

    /// Points still in the graph (soft-deleted ones included).
    pub fn live_count(&self) -> usize {
        self.removed.iter().filter(|r| !**r).count()
    }

    /// Counters summed over every operation since the index was made (or since `reset_stats`).
    pub fn stats(&self) -> HnswStats {
        self.stats
    }

    pub fn reset_stats(&mut self) {
        self.stats = HnswStats::default();
    }

    pub fn vector(&self, id: PointId) -> &[f32] {
        let s = id.idx() * self.dim;
        &self.data[s..s + self.dim]
    }

    /// The neighbours of `id` on `layer` (empty above its level).
    pub fn neighbors(&self, id: PointId, layer: usize) -> &[u32] {
        let i = id.idx();
        if layer > self.levels[i] as usize {
            return &[];
        }
        let block = self.block(i as u32, layer);
        let count = block[0] as usize;
        &block[1..1 + count]
    }

    /// The links of `id` on `layer` still in the graph, each with its distance to `query`
    /// (what predicting a walk's next hop chooses among); empty above the node's level or for
    /// a query of another dimension.
    pub fn links_scored(&self, id: PointId, layer: usize, query: &[f32]) -> Vec<(PointId, f32)> {
        if id.idx() >= self.len() || self.level(id) < layer || query.len() != self.dim {
            return Vec::new();
        }
        self.neighbors(id, layer)
            .iter()
            .map(|&n| PointId(n))
            .filter(|&n| !self.is_removed(n))
            .map(|n| (n, self.params.metric.eval(self.vector(n), query)))
            .collect()
    }

    #[inline(always)]
    fn block_range(&self, id: u32, layer: usize) -> (bool, usize, usize) {
        if layer == 0 {
            let w = self.params.m_max0 + 1;
            (true, id as usize * w, w)
        } else {
            let w = self.params.m_max + 1;
            (
                false,
                self.up_start[id as usize] as usize + (layer - 1) * w,
                w,
            )
        }
    }

    #[inline(always)]
    fn block(&self, id: u32, layer: usize) -> &[u32] {
        let (zero, s, w) = self.block_range(id, layer);
        if zero {
            &self.links0[s..s + w]
        } else {
            &self.links_up[s..s + w]
        }
    }

    #[inline(always)]
    fn block_mut(&mut self, id: u32, layer: usize) -> &mut [u32] {
        let (zero, s, w) = self.block_range(id, layer);
        if zero {
            &mut self.links0[s..s + w]
        } else {
            &mut self.links_up[s..s + w]
        }
    }

    /// Hints the CPU to load a point's vector into cache.
    #[inline(always)]
    fn prefetch(&self, id: u32) {
        #[cfg(target_arch = "x86_64")]
        {
            let p = self.vec_of(id).as_ptr() as *const i8;
            // SSE is part of the x86_64 baseline; a prefetch never faults.
            unsafe {
                std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(p);
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = id;
    }

    #[inline(always)]
    fn vec_of(&self, id: u32) -> &[f32] {
        let s = id as usize * self.dim;
        &self.data[s..s + self.dim]
    }

    /// The distance used inside the index (squared for Euclidean).
    #[inline(always)]
    fn raw(metric: Metric, a: &[f32], b: &[f32]) -> f32 {
        match metric {
            Metric::Euclidean => l2_squared(a, b),
            Metric::Cosine => Metric::Cosine.eval(a, b),
        }
    }

    /// An internal distance as a true distance.
    #[inline]
    fn public(&self, raw: f32) -> f32 {
        match self.params.metric {
            Metric::Euclidean => raw.sqrt(),
            Metric::Cosine => raw,
        }
    }

    /// Draws a level: `⌊−ln(U(0,1)) · mL⌋`, capped so it fits a byte.
    pub fn draw_level(&mut self) -> usize {
        self.draw_level_u().0
    }

    /// A level and the uniform draw it came from.
    pub(super) fn draw_level_u(&mut self) -> (usize, f64) {
        let u: f64 = 1.0 - self.rng.random::<f64>(); // in (0, 1]
        let l = (-u.ln() * self.params.ml).floor();
        (l.clamp(0.0, 200.0) as usize, u)
    }
}
