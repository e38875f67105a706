//! Deleting: hnswlib's soft delete (marked, skipped in answers) and a hard delete that
//! unlinks the node, repairs its neighbours' lists and promotes a new entry point.

use std::cmp::Reverse;

use super::kernel::{key, key_id};
use super::{Hnsw, HnswStats};
use crate::engine::points::{DataError, PointId};
use crate::engine::recorder::{Event, NoRecorder, Recorder};

impl Hnsw {
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
