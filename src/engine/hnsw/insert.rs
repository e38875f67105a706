//! Insertion: INSERT (Algorithm 1) with SELECT-NEIGHBORS simple or heuristic (Algorithm 4),
//! reverse links and the shrinking of overflowing lists.

use super::kernel::{key, key_dist, key_id};
use super::{Hnsw, HnswStats};
use crate::engine::points::{DataError, PointId};
use crate::engine::recorder::{Event, NoRecorder, Recorder};

impl Hnsw {
    /// SELECT-NEIGHBORS: keeps at most `m` of `cands` (keys with raw distances to the base
    /// point, any order) in `out`, nearest first. Simple (Algorithm 3) or heuristic
    /// (Algorithm 4: keep `e` only if it is closer to the base than to every kept one).
    #[allow(clippy::too_many_arguments)]
    pub(super) fn select<R: Recorder>(
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
        Ok(self.insert_at_level(v, level, u, rec))
    }

    /// Stores a new node's vector and level with empty link lists; returns its id.
    pub(super) fn append(&mut self, v: &[f32], level: usize) -> u32 {
        let id = self.len() as u32;
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
        id
    }

    /// INSERT with a level already drawn (from `u`): the checks are done.
    pub(super) fn insert_at_level<R: Recorder>(
        &mut self,
        v: &[f32],
        level: usize,
        u: f64,
        rec: &mut R,
    ) -> PointId {
        let id = self.len() as u32;
        if R::ENABLED {
            rec.record(Event::Level {
                node: PointId(id),
                level: level as u8,
                u: u as f32,
            });
        }
        self.append(v, level);
        let Some(ep) = self.entry else {
            self.entry = Some(id);
            self.max_level = level;
            return PointId(id);
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
        PointId(id)
    }

    /// Adds `new` to `e`'s list on `layer`; if that overflows `cap`, shrinks the list with
    /// SELECT-NEIGHBORS around `e`.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn link_back<R: Recorder>(
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
    pub(super) fn reselect<R: Recorder>(
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
}
