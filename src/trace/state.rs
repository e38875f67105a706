//! The graph-walk trace's state: what the events up to the cursor have done (walks, links,
//! kept sets, layers), applied and reverted event by event.

use super::{Seek, Trace};
use crate::engine::{Event, PointId};

/// One greedy walk (or one beam attempt's entry): the nodes it stood on, with distances.
#[derive(Clone, Debug, PartialEq)]
pub struct Walk {
    pub path: Vec<(PointId, f32)>,
    /// The HNSW layer the walk is on (None for single-layer graphs).
    pub layer: Option<u8>,
    /// Opened by a drop to a lower layer (not by a `Start`).
    pub from_drop: bool,
}

/// Lengths of the per-phase lists when an insertion began, so drawing can show "this
/// insertion's" work and reverting can restore them.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Marks {
    pub kept_sel: usize,
    pub pruned: usize,
    pub evals: usize,
    pub walks: usize,
    pub expanded: usize,
    pub stops: usize,
    pub rejected: usize,
    pub beam_stops: usize,
}

/// What the events up to the cursor have done.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct TraceState {
    /// Number of events applied.
    pub cursor: usize,
    pub inserted: Vec<PointId>,
    /// Links, in the order they were made: (new point, existing point, length).
    pub edges: Vec<(PointId, PointId, f32)>,
    /// Distances computed, as (node, from, distance).
    pub evals: Vec<(PointId, PointId, f32)>,
    pub walks: Vec<Walk>,
    pub expanded: Vec<(PointId, f32)>,
    /// W of the beam search, nearest first.
    pub kept: Vec<(PointId, f32)>,
    pub rejected: Vec<(PointId, f32)>,
    pub stops: Vec<(PointId, f32)>,
    pub beam_stops: Vec<(PointId, f32, f32)>,
    pub results: Vec<(PointId, f32)>,
    pub distance_computations: u64,
    pub hops: u64,
    /// HNSW: levels drawn for new points, as (node, level, u).
    pub levels_drawn: Vec<(PointId, u8, f32)>,
    /// HNSW: the layers worked on, in order; the last is the current one.
    pub layers: Vec<u8>,
    /// HNSW heuristic: kept, as (base, node, distance).
    pub kept_sel: Vec<(PointId, PointId, f32)>,
    /// HNSW heuristic: pruned, as (base, node, distance, closer kept node, its distance).
    pub pruned: Vec<(PointId, PointId, f32, PointId, f32)>,
    /// HNSW: directed links added, as (layer, from, to, length).
    pub links_added: Vec<(u8, PointId, PointId, f32)>,
    /// HNSW: directed links dropped, as (layer, from, to).
    pub links_dropped: Vec<(u8, PointId, PointId)>,
    /// HNSW: new entry points promoted after a delete, as (node, level).
    pub promoted: Vec<(PointId, u8)>,
    marks: Vec<Marks>,
    saved_kept: Vec<Vec<(PointId, f32)>>,
    scans: Vec<u32>,
}

fn kept_insert(kept: &mut Vec<(PointId, f32)>, node: PointId, dist: f32) {
    let pos = kept
        .iter()
        .position(|&(id, d)| d.total_cmp(&dist).then(id.cmp(&node)).is_gt())
        .unwrap_or(kept.len());
    kept.insert(pos, (node, dist));
}

fn kept_remove(kept: &mut Vec<(PointId, f32)>, node: PointId) {
    if let Some(pos) = kept.iter().position(|&(id, _)| id == node) {
        kept.remove(pos);
    }
}

impl TraceState {
    /// The state before any event.
    pub fn new() -> Self {
        Self::default()
    }

    /// The state after the first `cursor` events, replayed from the start.
    pub fn at(trace: &Trace, cursor: usize) -> Self {
        let mut s = Self::new();
        s.seek(trace, cursor);
        s
    }

    /// Moves to `target` (clamped to the trace), applying or reverting events one by one.
    pub fn seek(&mut self, trace: &Trace, target: usize) {
        let target = target.min(trace.events.len());
        while self.cursor < target {
            self.apply(&trace.events[self.cursor]);
            self.cursor += 1;
        }
        while self.cursor > target {
            self.cursor -= 1;
            self.revert(&trace.events[self.cursor]);
        }
    }

    /// Marks of the insertion in progress (zeros before the first insertion).
    pub fn phase(&self) -> Marks {
        self.marks.last().copied().unwrap_or_default()
    }

    /// The point being inserted, if a construction is under way.
    pub fn inserting(&self) -> Option<PointId> {
        self.inserted.last().copied()
    }

    /// Distances computed during the current phase (insertion or whole search).
    pub fn phase_evals(&self) -> &[(PointId, PointId, f32)] {
        &self.evals[self.phase().evals.min(self.evals.len())..]
    }

    pub fn phase_walks(&self) -> &[Walk] {
        &self.walks[self.phase().walks.min(self.walks.len())..]
    }

    pub fn phase_expanded(&self) -> &[(PointId, f32)] {
        &self.expanded[self.phase().expanded.min(self.expanded.len())..]
    }

    /// The HNSW layer being worked on.
    pub fn layer(&self) -> Option<u8> {
        self.layers.last().copied()
    }

    pub fn phase_kept_sel(&self) -> &[(PointId, PointId, f32)] {
        &self.kept_sel[self.phase().kept_sel.min(self.kept_sel.len())..]
    }

    pub fn phase_pruned(&self) -> &[(PointId, PointId, f32, PointId, f32)] {
        &self.pruned[self.phase().pruned.min(self.pruned.len())..]
    }

    fn push_marks(&mut self) {
        self.marks.push(Marks {
            kept_sel: self.kept_sel.len(),
            pruned: self.pruned.len(),
            evals: self.evals.len(),
            walks: self.walks.len(),
            expanded: self.expanded.len(),
            stops: self.stops.len(),
            rejected: self.rejected.len(),
            beam_stops: self.beam_stops.len(),
        });
        self.saved_kept.push(std::mem::take(&mut self.kept));
    }

    fn pop_marks(&mut self) {
        self.marks.pop();
        self.kept = self.saved_kept.pop().unwrap_or_default();
    }

    pub fn phase_rejected(&self) -> &[(PointId, f32)] {
        &self.rejected[self.phase().rejected.min(self.rejected.len())..]
    }

    /// The node the current walk stands on.
    pub fn current(&self) -> Option<(PointId, f32)> {
        self.walks.last().and_then(|w| w.path.last().copied())
    }

    /// Distinct nodes whose distance was computed in the current phase (entries included).
    pub fn visited(&self) -> usize {
        let mut ids: Vec<PointId> = self
            .phase_evals()
            .iter()
            .map(|e| e.0)
            .chain(
                self.phase_walks()
                    .iter()
                    .filter_map(|w| w.path.first().map(|p| p.0)),
            )
            .collect();
        ids.sort();
        ids.dedup();
        ids.len()
    }

    fn apply(&mut self, e: &Event) {
        match *e {
            Event::Insert { node } => {
                self.inserted.push(node);
                self.push_marks();
            }
            Event::Scan { count, .. } => {
                self.scans.push(count);
                self.distance_computations += u64::from(count);
            }
            Event::Connect { from, to, dist, .. } => self.edges.push((from, to, dist)),
            Event::Start { entry, dist, .. } => {
                self.walks.push(Walk {
                    path: vec![(entry, dist)],
                    layer: None,
                    from_drop: false,
                });
                self.distance_computations += 1;
            }
            Event::Evaluate { node, from, dist } => {
                self.evals.push((node, from, dist));
                self.distance_computations += 1;
            }
            Event::Move { to, to_dist, .. } => {
                if let Some(w) = self.walks.last_mut() {
                    w.path.push((to, to_dist));
                }
                self.hops += 1;
            }
            Event::Stop { node, dist, .. } => self.stops.push((node, dist)),
            Event::Expand { node, dist } => {
                self.expanded.push((node, dist));
                self.hops += 1;
            }
            Event::BeamStop {
                node,
                dist,
                furthest,
            } => self.beam_stops.push((node, dist, furthest)),
            Event::Accept {
                node,
                dist,
                evicted,
            } => {
                kept_insert(&mut self.kept, node, dist);
                if let Some((id, _)) = evicted {
                    kept_remove(&mut self.kept, id);
                }
            }
            Event::Reject { node, dist, .. } => self.rejected.push((node, dist)),
            Event::Result { node, dist, .. } => self.results.push((node, dist)),
            Event::Level { node, level, u } => self.levels_drawn.push((node, level, u)),
            Event::Layer { layer, from } => {
                self.layers.push(layer);
                self.push_marks();
                if layer == from {
                    if let Some(w) = self.walks.last_mut() {
                        w.layer = Some(layer);
                    }
                } else if let Some(&at) = self.walks.last().and_then(|w| w.path.last()) {
                    self.walks.push(Walk {
                        path: vec![at],
                        layer: Some(layer),
                        from_drop: true,
                    });
                }
            }
            Event::Keep { base, node, dist } => self.kept_sel.push((base, node, dist)),
            Event::Prune {
                base,
                node,
                dist,
                by,
                by_dist,
            } => self.pruned.push((base, node, dist, by, by_dist)),
            Event::Link { from, to, dist } => {
                let l = self.layer().unwrap_or(0);
                self.links_added.push((l, from, to, dist));
            }
            Event::Unlink { from, to } => {
                let l = self.layer().unwrap_or(0);
                self.links_dropped.push((l, from, to));
            }
            Event::Promote { node, level } => self.promoted.push((node, level)),
        }
    }

    fn revert(&mut self, e: &Event) {
        match *e {
            Event::Insert { .. } => {
                self.inserted.pop();
                self.pop_marks();
            }
            Event::Scan { count, .. } => {
                self.scans.pop();
                self.distance_computations -= u64::from(count);
            }
            Event::Connect { .. } => {
                self.edges.pop();
            }
            Event::Start { .. } => {
                self.walks.pop();
                self.distance_computations -= 1;
            }
            Event::Evaluate { .. } => {
                self.evals.pop();
                self.distance_computations -= 1;
            }
            Event::Move { .. } => {
                if let Some(w) = self.walks.last_mut() {
                    w.path.pop();
                }
                self.hops -= 1;
            }
            Event::Stop { .. } => {
                self.stops.pop();
            }
            Event::Expand { .. } => {
                self.expanded.pop();
                self.hops -= 1;
            }
            Event::BeamStop { .. } => {
                self.beam_stops.pop();
            }
            Event::Accept { node, evicted, .. } => {
                kept_remove(&mut self.kept, node);
                if let Some((id, d)) = evicted {
                    kept_insert(&mut self.kept, id, d);
                }
            }
            Event::Reject { .. } => {
                self.rejected.pop();
            }
            Event::Result { .. } => {
                self.results.pop();
            }
            Event::Level { .. } => {
                self.levels_drawn.pop();
            }
            Event::Layer { layer, from } => {
                if layer == from {
                    if let Some(w) = self.walks.last_mut() {
                        w.layer = None;
                    }
                } else if self.walks.last().is_some_and(|w| w.from_drop) {
                    self.walks.pop();
                }
                self.pop_marks();
                self.layers.pop();
            }
            Event::Keep { .. } => {
                self.kept_sel.pop();
            }
            Event::Prune { .. } => {
                self.pruned.pop();
            }
            Event::Link { .. } => {
                self.links_added.pop();
            }
            Event::Unlink { .. } => {
                self.links_dropped.pop();
            }
            Event::Promote { .. } => {
                self.promoted.pop();
            }
        }
    }
}

impl Seek for TraceState {
    type Trace = Trace;
    fn cursor(&self) -> usize {
        self.cursor
    }
    fn seek(&mut self, trace: &Trace, target: usize) {
        TraceState::seek(self, trace, target);
    }
}
