//! Building on every core, in batches (the batch-insertion scheme of ParlayANN's HNSW, in
//! place of hnswlib's per-node locks): a batch's new nodes search the graph as it stands in
//! parallel and choose their links; the reverse links are then re-chosen in parallel, one
//! task per receiving node; only the writes are sequential. A batch is at most 2 % of the
//! graph, so new nodes miss few of their batch-mates, and a node drawn above the top layer
//! is inserted alone, as INSERT does. The result depends on the seed, not on the number of
//! threads.

use rayon::prelude::*;

use super::kernel::{key, key_dist, key_id};
use super::{Hnsw, HnswParams, HnswStats, Scratch};
use crate::engine::points::{DataError, Points};
use crate::engine::recorder::NoRecorder;

/// Nodes inserted one at a time before batches start.
const PREFIX: usize = 2_000;
/// Largest batch.
const MAX_BATCH: usize = 8_192;

/// A new node's choice on one layer: (layer, chosen keys).
type Choice = (usize, Vec<u64>);

impl Hnsw {
    /// Builds an index of every point, on the current rayon pool split `threads` ways (0: one
    /// way per core; the same graph for any number of threads; [`Hnsw::build`] inserts one at
    /// a time and is the one-thread baseline). `progress(done)` is told the
    /// number inserted every few hundred points; when it answers `false` the build stops
    /// early and returns the part built.
    pub fn build_parallel(
        points: &Points,
        params: HnswParams,
        threads: usize,
        progress: &(dyn Fn(usize) -> bool + Sync),
    ) -> Result<Self, DataError> {
        let n = points.len();
        let mut h = Self::new(points.dim(), n, params)?;
        // The same scheme for any number of threads, so the graph depends on the seed alone
        // (`extendCandidates` reads lists a batch is writing: it inserts one at a time).
        let prefix = if params.extend_candidates {
            n
        } else {
            n.min(PREFIX)
        };
        for id in points.ids().take(prefix) {
            h.insert(points.get(id))?;
            if id.idx() % 256 == 0 && !progress(id.idx()) {
                return Ok(h);
            }
        }
        let threads = if threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            threads
        };
        let mut scratches: Vec<Scratch> = (0..threads).map(|_| Scratch::new(n)).collect();
        while h.len() < n {
            let start = h.len();
            let size = (start / 50).clamp(64, MAX_BATCH).min(n - start);
            let mut high = None;
            for i in start..start + size {
                let (level, u) = h.draw_level_u();
                if level > h.max_level {
                    high = Some((level, u));
                    break;
                }
                h.append(points.get(crate::engine::PointId(i as u32)), level);
            }
            h.link_batch(start, &mut scratches);
            if let Some((level, u)) = high {
                let v = points.get(crate::engine::PointId(h.len() as u32));
                h.insert_at_level(v, level, u, &mut NoRecorder);
            }
            if !progress(h.len()) {
                break;
            }
        }
        Ok(h)
    }

    /// Links the nodes from `start` on (appended, none above the top layer) into the graph.
    fn link_batch(&mut self, start: usize, scratches: &mut [Scratch]) {
        let end = self.len();
        if start >= end {
            return;
        }
        let Some(ep) = self.entry else { return };
        let ids: Vec<u32> = (start as u32..end as u32).collect();
        let per = ids.len().div_ceil(scratches.len());
        // 1. Each new node searches the graph as it stands and chooses its links.
        let this = &*self;
        let choices: Vec<Vec<Choice>> = scratches
            .par_iter_mut()
            .zip(ids.par_chunks(per))
            .flat_map_iter(|(scratch, chunk)| {
                chunk
                    .iter()
                    .map(|&id| this.choose_links(id, ep, scratch))
                    .collect::<Vec<_>>()
            })
            .collect();
        // 2. Their own lists, and the reverse links each old node receives.
        let mut requests: Vec<(usize, u32, u64)> = Vec::new();
        for (&id, layers) in ids.iter().zip(&choices) {
            for (layer, chosen) in layers {
                let block = self.block_mut(id, *layer);
                block[0] = chosen.len() as u32;
                for (slot, k) in block[1..].iter_mut().zip(chosen) {
                    *slot = key_id(*k);
                }
                for k in chosen {
                    requests.push((*layer, key_id(*k), key(key_dist(*k), id)));
                }
            }
        }
        requests.sort_unstable();
        let groups: Vec<&[(usize, u32, u64)]> =
            requests.chunk_by(|a, b| a.0 == b.0 && a.1 == b.1).collect();
        // 3. Each receiving node re-chooses its list once for the whole batch.
        let this = &*self;
        let lists: Vec<(usize, u32, Vec<u32>)> = groups
            .par_iter()
            .map(|g| {
                let (layer, target) = (g[0].0, g[0].1);
                (layer, target, this.receive(target, layer, g))
            })
            .collect();
        for (layer, target, list) in lists {
            let block = self.block_mut(target, layer);
            block[0] = list.len() as u32;
            block[1..1 + list.len()].copy_from_slice(&list);
        }
    }

    /// A new node's links on each of its layers, chosen from a search of the graph.
    fn choose_links(&self, id: u32, ep: u32, scratch: &mut Scratch) -> Vec<Choice> {
        let level = self.levels[id as usize] as usize;
        let q = self.vec_of(id);
        let mut stats = HnswStats::default();
        let cur = self.descend(q, ep, level + 1, &mut stats, &mut NoRecorder);
        scratch.buf.clear();
        scratch.buf.push(cur);
        let mut out = Vec::new();
        let mut cands = Vec::new();
        for layer in (0..=level.min(self.max_level)).rev() {
            self.search_layer(
                q,
                self.params.ef_construction,
                layer,
                scratch,
                &mut NoRecorder,
            );
            cands.clear();
            cands.extend(scratch.results.iter().copied());
            scratch.buf.clear();
            scratch.buf.extend(cands.iter().copied());
            let mut selected = Vec::new();
            self.select(
                id,
                q,
                &mut cands,
                self.params.m,
                layer,
                &mut selected,
                &mut stats,
                &mut NoRecorder,
            );
            out.push((layer, selected));
        }
        out
    }

    /// `target`'s new list on `layer` after receiving the links of `group` (keys of the new
    /// nodes with their distances to it): appended while they fit, else SELECT-NEIGHBORS
    /// over the old and the new.
    fn receive(&self, target: u32, layer: usize, group: &[(usize, u32, u64)]) -> Vec<u32> {
        let cap = if layer == 0 {
            self.params.m_max0
        } else {
            self.params.m_max
        };
        let old = self.neighbors(crate::engine::PointId(target), layer);
        if old.len() + group.len() <= cap {
            let mut list = old.to_vec();
            list.extend(group.iter().map(|r| key_id(r.2)));
            return list;
        }
        let tv = self.vec_of(target);
        let metric = self.params.metric;
        let mut cands: Vec<u64> = old
            .iter()
            .map(|&nb| key(Self::raw(metric, tv, self.vec_of(nb)), nb))
            .collect();
        cands.extend(group.iter().map(|r| r.2));
        let mut out = Vec::with_capacity(cap);
        let mut stats = HnswStats::default();
        self.select(
            target,
            tv,
            &mut cands,
            cap,
            layer,
            &mut out,
            &mut stats,
            &mut NoRecorder,
        );
        out.iter().map(|k| key_id(*k)).collect()
    }
}
