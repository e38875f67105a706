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

use super::points::{DataError, Metric, PointId, Points};
use super::recorder::{Event, NoRecorder, Recorder};
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

/// Packs a non-negative distance and an id into one integer that orders by (distance, id):
/// for non-negative floats the bit pattern is monotone.
#[inline(always)]
fn key(d: f32, id: u32) -> u64 {
    ((d.to_bits() as u64) << 32) | id as u64
}

#[inline(always)]
fn key_dist(k: u64) -> f32 {
    f32::from_bits((k >> 32) as u32)
}

#[inline(always)]
fn key_id(k: u64) -> u32 {
    k as u32
}

/// Squared Euclidean distance. Short vectors take a plain loop; long ones use 16
/// independent accumulators so the compiler can keep SIMD lanes busy without reassociating
/// one sum, compiled for AVX2+FMA when the CPU has them (checked once, cached by std).
#[inline(always)]
pub fn l2_squared(a: &[f32], b: &[f32]) -> f32 {
    if a.len() < 16 {
        let mut s = 0.0f32;
        for (x, y) in a.iter().zip(b) {
            let d = x - y;
            s += d * d;
        }
        return s;
    }
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
        {
            // SAFETY: the CPU supports AVX2 and FMA, checked just above.
            return unsafe { l2_squared_avx2(a, b) };
        }
    }
    l2_squared_lanes(a, b)
}

#[inline(always)]
fn l2_squared_lanes(a: &[f32], b: &[f32]) -> f32 {
    let (ca, ta) = a.as_chunks::<16>();
    let (cb, tb) = b.as_chunks::<16>();
    let mut acc = [0.0f32; 16];
    for (x, y) in ca.iter().zip(cb) {
        for i in 0..16 {
            let d = x[i] - y[i];
            acc[i] = d.mul_add(d, acc[i]);
        }
    }
    let mut s = 0.0f32;
    for v in acc {
        s += v;
    }
    for (x, y) in ta.iter().zip(tb) {
        let d = x - y;
        s += d * d;
    }
    s
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn l2_squared_avx2(a: &[f32], b: &[f32]) -> f32 {
    l2_squared_lanes(a, b)
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
    fn draw_level_u(&mut self) -> (usize, f64) {
        let u: f64 = 1.0 - self.rng.random::<f64>(); // in (0, 1]
        let l = (-u.ln() * self.params.ml).floor();
        (l.clamp(0.0, 200.0) as usize, u)
    }

    /// SEARCH-LAYER (Algorithm 2): the `ef` nearest to `q` reachable on `layer` from the
    /// entries in `scratch.buf` (keys with raw distances). Leaves the results in
    /// `scratch.results`.
    fn search_layer<R: Recorder>(
        &self,
        q: &[f32],
        ef: usize,
        layer: usize,
        scratch: &mut Scratch,
        rec: &mut R,
    ) -> HnswStats {
        let metric = self.params.metric;
        let mut stats = HnswStats::default();
        let Scratch {
            candidates,
            results,
            visited,
            buf,
            ..
        } = scratch;
        candidates.clear();
        results.clear();
        visited.clear(self.levels.len());
        for &k in buf.iter() {
            if visited.insert(PointId(key_id(k))) {
                candidates.push(Reverse(k));
                results.push(k);
                let evicted = if results.len() > ef {
                    results.pop()
                } else {
                    None
                };
                if R::ENABLED {
                    rec.record(Event::Accept {
                        node: PointId(key_id(k)),
                        dist: self.public(key_dist(k)),
                        evicted: evicted.map(|x| (PointId(key_id(x)), self.public(key_dist(x)))),
                    });
                }
            }
        }
        while let Some(Reverse(c)) = candidates.pop() {
            let furthest = results.peek().copied().unwrap_or(u64::MAX);
            if key_dist(c) > key_dist(furthest) {
                if R::ENABLED {
                    rec.record(Event::BeamStop {
                        node: PointId(key_id(c)),
                        dist: self.public(key_dist(c)),
                        furthest: self.public(key_dist(furthest)),
                    });
                }
                break;
            }
            stats.hops += 1;
            if R::ENABLED {
                rec.record(Event::Expand {
                    node: PointId(key_id(c)),
                    dist: self.public(key_dist(c)),
                });
            }
            let block = self.block(key_id(c), layer);
            let count = block[0] as usize;
            let nbs = &block[1..1 + count];
            // Ask for the first neighbours' vectors early, as hnswlib does (helps long vectors).
            if self.dim >= 16 {
                for &e in nbs.iter().take(4) {
                    self.prefetch(e);
                }
            }
            for (j, &e) in nbs.iter().enumerate() {
                if self.dim >= 16
                    && let Some(&next) = nbs.get(j + 4)
                {
                    self.prefetch(next);
                }
                if !visited.insert(PointId(e)) {
                    continue;
                }
                let d = Self::raw(metric, q, self.vec_of(e));
                stats.distance_computations += 1;
                if R::ENABLED {
                    rec.record(Event::Evaluate {
                        node: PointId(e),
                        from: PointId(key_id(c)),
                        dist: self.public(d),
                    });
                }
                let k = key(d, e);
                let top = results.peek().copied().unwrap_or(u64::MAX);
                if results.len() < ef || k < top {
                    candidates.push(Reverse(k));
                    results.push(k);
                    let evicted = if results.len() > ef {
                        results.pop()
                    } else {
                        None
                    };
                    if R::ENABLED {
                        rec.record(Event::Accept {
                            node: PointId(e),
                            dist: self.public(d),
                            evicted: evicted
                                .map(|x| (PointId(key_id(x)), self.public(key_dist(x)))),
                        });
                    }
                } else if R::ENABLED {
                    rec.record(Event::Reject {
                        node: PointId(e),
                        dist: self.public(d),
                        furthest: self.public(key_dist(top)),
                    });
                }
            }
        }
        stats
    }

    /// Greedy descent with ef = 1 (hnswlib's loop): move to the closest neighbour while it
    /// is closer. Returns the key of the node reached.
    fn greedy_closest<R: Recorder>(
        &self,
        q: &[f32],
        mut cur: u64,
        layer: usize,
        stats: &mut HnswStats,
        rec: &mut R,
    ) -> u64 {
        let metric = self.params.metric;
        loop {
            let from = cur;
            let mut best_seen: Option<u64> = None;
            let block = self.block(key_id(cur), layer);
            let count = block[0] as usize;
            for &e in &block[1..1 + count] {
                let d = Self::raw(metric, q, self.vec_of(e));
                stats.distance_computations += 1;
                let k = key(d, e);
                if R::ENABLED {
                    rec.record(Event::Evaluate {
                        node: PointId(e),
                        from: PointId(key_id(from)),
                        dist: self.public(d),
                    });
                    if best_seen.is_none_or(|b| k < b) {
                        best_seen = Some(k);
                    }
                }
                if k < cur {
                    cur = k;
                }
            }
            if cur == from {
                if R::ENABLED {
                    rec.record(Event::Stop {
                        node: PointId(key_id(cur)),
                        dist: self.public(key_dist(cur)),
                        best: best_seen.map(|b| (PointId(key_id(b)), self.public(key_dist(b)))),
                    });
                }
                return cur;
            }
            stats.hops += 1;
            if R::ENABLED {
                rec.record(Event::Move {
                    from: PointId(key_id(from)),
                    to: PointId(key_id(cur)),
                    from_dist: self.public(key_dist(from)),
                    to_dist: self.public(key_dist(cur)),
                });
            }
        }
    }

    /// SELECT-NEIGHBORS: keeps at most `m` of `cands` (keys with raw distances to the base
    /// point, any order) in `out`, nearest first. Simple (Algorithm 3) or heuristic
    /// (Algorithm 4: keep `e` only if it is closer to the base than to every kept one).
    #[allow(clippy::too_many_arguments)]
    fn select<R: Recorder>(
        &self,
        base_id: u32,
        base: &[f32],
        cands: &mut Vec<u64>,
        m: usize,
        layer: usize,
        out: &mut Vec<u64>,
        stats: &mut HnswStats,
        rec: &mut R,
    ) {
        out.clear();
        let metric = self.params.metric;
        if self.params.heuristic && self.params.extend_candidates {
            let n0 = cands.len();
            for i in 0..n0 {
                let c = key_id(cands[i]);
                let block = self.block(c, layer);
                let count = block[0] as usize;
                for &e in &block[1..1 + count] {
                    if cands.iter().all(|k| key_id(*k) != e) && e != base_id {
                        let d = Self::raw(metric, base, self.vec_of(e));
                        stats.distance_computations += 1;
                        cands.push(key(d, e));
                    }
                }
            }
        }
        cands.sort_unstable();
        // The paper applies the heuristic to every candidate set; hnswlib skips it when
        // there are fewer than M candidates. We follow the paper.
        let keep = |rec: &mut R, c: u64| {
            if R::ENABLED {
                rec.record(Event::Keep {
                    base: PointId(base_id),
                    node: PointId(key_id(c)),
                    dist: self.public(key_dist(c)),
                });
            }
        };
        if !self.params.heuristic {
            for &c in cands.iter().take(m) {
                keep(rec, c);
                out.push(c);
            }
            return;
        }
        let mut pruned: Vec<u64> = Vec::new();
        for &c in cands.iter() {
            if out.len() >= m {
                break;
            }
            let cv = self.vec_of(key_id(c));
            let dq = key_dist(c);
            let mut by: Option<(u32, f32)> = None;
            for &r in out.iter() {
                let d = Self::raw(metric, cv, self.vec_of(key_id(r)));
                stats.distance_computations += 1;
                if d < dq {
                    by = Some((key_id(r), d));
                    break;
                }
            }
            match by {
                None => {
                    keep(rec, c);
                    out.push(c);
                }
                Some((r, d)) => {
                    if R::ENABLED {
                        rec.record(Event::Prune {
                            base: PointId(base_id),
                            node: PointId(key_id(c)),
                            dist: self.public(dq),
                            by: PointId(r),
                            by_dist: self.public(d),
                        });
                    }
                    if self.params.keep_pruned {
                        pruned.push(c);
                    }
                }
            }
        }
        if self.params.keep_pruned {
            for p in pruned {
                if out.len() >= m {
                    break;
                }
                keep(rec, p);
                out.push(p);
            }
        }
    }

    /// Starts at the entry point `ep` on the top layer and walks greedily (ef = 1) down to
    /// layer `lowest` (no walk when `lowest` is above the top). Returns the key reached.
    fn descend<R: Recorder>(
        &self,
        q: &[f32],
        ep: u32,
        lowest: usize,
        stats: &mut HnswStats,
        rec: &mut R,
    ) -> u64 {
        let mut cur = key(Self::raw(self.params.metric, q, self.vec_of(ep)), ep);
        stats.distance_computations += 1;
        let top = self.max_level;
        if R::ENABLED {
            rec.record(Event::Start {
                entry: PointId(ep),
                dist: self.public(key_dist(cur)),
                attempt: 0,
            });
            rec.record(Event::Layer {
                layer: top as u8,
                from: top as u8,
            });
        }
        for layer in (lowest..=top).rev() {
            if R::ENABLED && layer != top {
                rec.record(Event::Layer {
                    layer: layer as u8,
                    from: layer as u8 + 1,
                });
            }
            cur = self.greedy_closest(q, cur, layer, stats, rec);
        }
        cur
    }

    /// INSERT (Algorithm 1). Returns the new point's id.
    pub fn insert(&mut self, v: &[f32]) -> Result<PointId, DataError> {
        self.insert_with(v, &mut NoRecorder)
    }

    /// [`Hnsw::insert`], reporting every decision to `rec`.
    pub fn insert_with<R: Recorder>(
        &mut self,
        v: &[f32],
        rec: &mut R,
    ) -> Result<PointId, DataError> {
        if v.len() != self.dim {
            return Err(DataError::QueryDimension {
                expected: self.dim,
                got: v.len(),
            });
        }
        if let Some(c) = v.iter().position(|x| !x.is_finite()) {
            return Err(DataError::NotFinite {
                point: self.len(),
                coord: c,
            });
        }
        if self.len() >= u32::MAX as usize - 1 {
            return Err(DataError::TooMany {
                n: self.len() + 1,
                max: u32::MAX as usize - 1,
            });
        }
        let (level, u) = self.draw_level_u();
        let id = self.len() as u32;
        if R::ENABLED {
            rec.record(Event::Level {
                node: PointId(id),
                level: level as u8,
                u: u as f32,
            });
        }
        self.data.extend_from_slice(v);
        self.levels.push(level as u8);
        self.deleted.push(false);
        self.removed.push(false);
        self.links0
            .resize(self.links0.len() + self.params.m_max0 + 1, 0);
        self.up_start.push(self.links_up.len() as u32);
        if level > 0 {
            self.links_up
                .resize(self.links_up.len() + level * (self.params.m_max + 1), 0);
        }
        let Some(ep) = self.entry else {
            self.entry = Some(id);
            self.max_level = level;
            return Ok(PointId(id));
        };
        let q: Vec<f32> = v.to_vec();
        let mut stats = HnswStats::default();
        let mut scratch = std::mem::take(&mut self.scratch);
        let top = self.max_level;
        let cur = self.descend(&q, ep, level + 1, &mut stats, rec);
        scratch.buf.clear();
        scratch.buf.push(cur);
        let mut cands: Vec<u64> = Vec::new();
        let mut selected = std::mem::take(&mut scratch.selected);
        for layer in (0..=level.min(top)).rev() {
            if R::ENABLED && layer != top {
                rec.record(Event::Layer {
                    layer: layer as u8,
                    from: layer as u8 + 1,
                });
            }
            let s = self.search_layer(&q, self.params.ef_construction, layer, &mut scratch, rec);
            stats.distance_computations += s.distance_computations;
            stats.hops += s.hops;
            cands.clear();
            cands.extend(scratch.results.iter().copied());
            // The whole result set is the entry set of the next layer.
            scratch.buf.clear();
            scratch.buf.extend(cands.iter().copied());
            self.select(
                id,
                &q,
                &mut cands,
                self.params.m,
                layer,
                &mut selected,
                &mut stats,
                rec,
            );
            let cap = if layer == 0 {
                self.params.m_max0
            } else {
                self.params.m_max
            };
            {
                let block = self.block_mut(id, layer);
                block[0] = selected.len() as u32;
                for (slot, k) in block[1..].iter_mut().zip(selected.iter()) {
                    *slot = key_id(*k);
                }
            }
            if R::ENABLED {
                for &k in selected.iter() {
                    rec.record(Event::Link {
                        from: PointId(id),
                        to: PointId(key_id(k)),
                        dist: self.public(key_dist(k)),
                    });
                }
            }
            for &k in selected.iter() {
                let e = key_id(k);
                self.link_back(e, id, key_dist(k), cap, layer, &mut stats, rec);
            }
        }
        scratch.selected = selected;
        self.scratch = scratch;
        if level > self.max_level {
            self.max_level = level;
            self.entry = Some(id);
        }
        self.stats.distance_computations += stats.distance_computations;
        self.stats.hops += stats.hops;
        Ok(PointId(id))
    }

    /// Adds `new` to `e`'s list on `layer`; if that overflows `cap`, shrinks the list with
    /// SELECT-NEIGHBORS around `e`.
    #[allow(clippy::too_many_arguments)]
    fn link_back<R: Recorder>(
        &mut self,
        e: u32,
        new: u32,
        d_raw: f32,
        cap: usize,
        layer: usize,
        stats: &mut HnswStats,
        rec: &mut R,
    ) {
        let public = self.public(d_raw);
        let block = self.block_mut(e, layer);
        let count = block[0] as usize;
        if count < cap {
            block[1 + count] = new;
            block[0] = count as u32 + 1;
            if R::ENABLED {
                rec.record(Event::Link {
                    from: PointId(e),
                    to: PointId(new),
                    dist: public,
                });
            }
            return;
        }
        let metric = self.params.metric;
        let mut cands: Vec<u64> = Vec::with_capacity(cap + 1);
        cands.push(key(d_raw, new));
        let ev = self.vec_of(e).to_vec();
        let existing: Vec<u32> = self.block(e, layer)[1..1 + count].to_vec();
        for &nb in &existing {
            let d = Self::raw(metric, &ev, self.vec_of(nb));
            stats.distance_computations += 1;
            cands.push(key(d, nb));
        }
        // The shrink's own keep/prune decisions are not narrated; its outcome is.
        self.reselect(e, layer, cands, cap, stats, rec);
    }

    /// Re-chooses `e`'s list on `layer` from `cands` (keys of raw distances to `e`) with
    /// SELECT-NEIGHBORS, writes it, and reports the links it drops and adds.
    fn reselect<R: Recorder>(
        &mut self,
        e: u32,
        layer: usize,
        mut cands: Vec<u64>,
        cap: usize,
        stats: &mut HnswStats,
        rec: &mut R,
    ) {
        let ev = self.vec_of(e).to_vec();
        let mut out = Vec::with_capacity(cap);
        self.select(
            e,
            &ev,
            &mut cands,
            cap,
            layer,
            &mut out,
            stats,
            &mut NoRecorder,
        );
        if R::ENABLED {
            let block = self.block(e, layer);
            let old = &block[1..1 + block[0] as usize];
            for &o in old {
                if !out.iter().any(|k| key_id(*k) == o) {
                    rec.record(Event::Unlink {
                        from: PointId(e),
                        to: PointId(o),
                    });
                }
            }
            for k in &out {
                if !old.contains(&key_id(*k)) {
                    rec.record(Event::Link {
                        from: PointId(e),
                        to: PointId(key_id(*k)),
                        dist: self.public(key_dist(*k)),
                    });
                }
            }
        }
        let block = self.block_mut(e, layer);
        block[0] = out.len() as u32;
        for (slot, k) in block[1..].iter_mut().zip(out.iter()) {
            *slot = key_id(*k);
        }
    }

    /// K-NN-SEARCH (Algorithm 5): greedy descent to layer 1, then SEARCH-LAYER with
    /// `max(ef, k)` on layer 0. Deleted points are traversed but not returned.
    pub fn search(
        &self,
        q: &[f32],
        k: usize,
        ef: usize,
        scratch: &mut Scratch,
    ) -> (Vec<(PointId, f32)>, HnswStats) {
        let mut out = Vec::with_capacity(k);
        let stats = self.search_into(q, k, ef, scratch, &mut out);
        (out, stats)
    }

    /// [`Hnsw::search`] writing into `out` (cleared first): no allocation once warm.
    pub fn search_into(
        &self,
        q: &[f32],
        k: usize,
        ef: usize,
        scratch: &mut Scratch,
        out: &mut Vec<(PointId, f32)>,
    ) -> HnswStats {
        self.search_with(q, k, ef, scratch, out, &mut NoRecorder)
    }

    /// [`Hnsw::search_into`], reporting every decision to `rec`.
    pub fn search_with<R: Recorder>(
        &self,
        q: &[f32],
        k: usize,
        ef: usize,
        scratch: &mut Scratch,
        out: &mut Vec<(PointId, f32)>,
        rec: &mut R,
    ) -> HnswStats {
        out.clear();
        let mut stats = HnswStats::default();
        let Some(ep) = self.entry else {
            return stats;
        };
        if q.len() != self.dim || k == 0 {
            return stats;
        }
        let top = self.max_level;
        let cur = self.descend(q, ep, 1, &mut stats, rec);
        if R::ENABLED && top != 0 {
            rec.record(Event::Layer { layer: 0, from: 1 });
        }
        scratch.buf.clear();
        scratch.buf.push(cur);
        let ef = ef.max(k);
        let s = self.search_layer(q, ef, 0, scratch, rec);
        stats.distance_computations += s.distance_computations;
        stats.hops += s.hops;
        scratch.buf.clear();
        scratch.buf.extend(scratch.results.drain());
        scratch.buf.sort_unstable();
        for &kk in scratch.buf.iter() {
            let id = key_id(kk);
            if self.deleted[id as usize] || self.removed[id as usize] {
                continue;
            }
            out.push((PointId(id), self.public(key_dist(kk))));
            if R::ENABLED {
                rec.record(Event::Result {
                    rank: (out.len() - 1) as u16,
                    node: PointId(id),
                    dist: self.public(key_dist(kk)),
                });
            }
            if out.len() == k {
                break;
            }
        }
        stats
    }

    /// Soft delete: the point stays in the graph (searches still pass through it) but is
    /// never returned.
    pub fn mark_deleted(&mut self, id: PointId) -> Result<(), DataError> {
        match self.deleted.get_mut(id.idx()) {
            Some(d) => {
                *d = true;
                Ok(())
            }
            None => Err(DataError::BadParameter(format!(
                "point {id} does not exist"
            ))),
        }
    }

    /// Undoes a soft delete.
    pub fn unmark_deleted(&mut self, id: PointId) -> Result<(), DataError> {
        match self.deleted.get_mut(id.idx()) {
            Some(d) => {
                *d = false;
                Ok(())
            }
            None => Err(DataError::BadParameter(format!(
                "point {id} does not exist"
            ))),
        }
    }

    /// Hard delete: unlinks `id` from every layer, repairs each neighbour that lost a link
    /// by re-selecting its list from its remaining neighbours and `id`'s neighbours, and
    /// promotes a new entry point (the highest remaining level, lowest id) if `id` was it.
    pub fn remove(&mut self, id: PointId) -> Result<HnswStats, DataError> {
        self.remove_with(id, &mut NoRecorder)
    }

    /// [`Hnsw::remove`], reporting every link dropped and added to `rec`.
    pub fn remove_with<R: Recorder>(
        &mut self,
        id: PointId,
        rec: &mut R,
    ) -> Result<HnswStats, DataError> {
        let x = id.0;
        if id.idx() >= self.len() || self.removed[id.idx()] {
            return Err(DataError::BadParameter(format!(
                "point {id} does not exist or was already removed"
            )));
        }
        let mut stats = HnswStats::default();
        let metric = self.params.metric;
        let level = self.levels[id.idx()] as usize;
        self.removed[id.idx()] = true;
        for layer in (0..=level).rev() {
            if R::ENABLED {
                rec.record(Event::Layer {
                    layer: layer as u8,
                    from: layer as u8,
                });
            }
            let x_nbs: Vec<u32> = self.neighbors(id, layer).to_vec();
            let cap = if layer == 0 {
                self.params.m_max0
            } else {
                self.params.m_max
            };
            // Links are directed after shrinking: find every node that points at x.
            for e in 0..self.len() as u32 {
                if self.removed[e as usize] || (self.levels[e as usize] as usize) < layer {
                    continue;
                }
                let block = self.block(e, layer);
                let count = block[0] as usize;
                if !block[1..1 + count].contains(&x) {
                    continue;
                }
                let ev = self.vec_of(e).to_vec();
                let mut cands: Vec<u64> = Vec::with_capacity(count + x_nbs.len());
                for &nb in block[1..1 + count].iter().chain(x_nbs.iter()) {
                    if nb == x || nb == e || self.removed[nb as usize] {
                        continue;
                    }
                    if cands.iter().any(|k| key_id(*k) == nb) {
                        continue;
                    }
                    let d = Self::raw(metric, &ev, self.vec_of(nb));
                    stats.distance_computations += 1;
                    cands.push(key(d, nb));
                }
                self.reselect(e, layer, cands, cap, &mut stats, rec);
            }
            if R::ENABLED {
                for &nb in &x_nbs {
                    rec.record(Event::Unlink {
                        from: id,
                        to: PointId(nb),
                    });
                }
            }
            self.block_mut(x, layer)[0] = 0;
        }
        if self.entry == Some(x) {
            let next = (0..self.len() as u32)
                .filter(|&i| !self.removed[i as usize])
                .max_by_key(|&i| (self.levels[i as usize], Reverse(i)));
            self.entry = next;
            self.max_level = next.map_or(0, |i| self.levels[i as usize] as usize);
            if R::ENABLED
                && let Some(n) = next
            {
                rec.record(Event::Promote {
                    node: PointId(n),
                    level: self.max_level as u8,
                });
            }
        }
        self.stats.distance_computations += stats.distance_computations;
        Ok(stats)
    }
}
