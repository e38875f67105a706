//! Searching: SEARCH-LAYER (Algorithm 2), the greedy descent through the upper layers, and
//! K-NN-SEARCH (Algorithm 5).

use std::cmp::Reverse;

use super::kernel::{key, key_dist, key_id};
use super::{Hnsw, HnswStats, Scratch};
use crate::engine::points::PointId;
use crate::engine::recorder::{Event, NoRecorder, Recorder};

impl Hnsw {
    /// SEARCH-LAYER (Algorithm 2): the `ef` nearest to `q` reachable on `layer` from the
    /// entries in `scratch.buf` (keys with raw distances). Leaves the results in
    /// `scratch.results`.
    pub(super) fn search_layer<R: Recorder>(
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
    pub(super) fn greedy_closest<R: Recorder>(
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

    /// Starts at the entry point `ep` on the top layer and walks greedily (ef = 1) down to
    /// layer `lowest` (no walk when `lowest` is above the top). Returns the key reached.
    pub(super) fn descend<R: Recorder>(
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
}
