//! Traces: the recorded events of one run, and the state they replay to at any cursor.
//!
//! Every event carries what is needed to undo it, so [`TraceState::seek`] walks forwards and
//! backwards by applying and reverting events; the state at step k is the same either way.

pub mod player;

use crate::engine::hnsw::{Hnsw, HnswParams, Scratch};
use crate::engine::search::{self, Outcome};
use crate::engine::{
    DataError, Dist, Event, Level, Metric, Nsw, NswParams, PointId, Points, SearchMode,
    VecRecorder, brute,
};

/// What a player needs of a recorded run: how many events, and which are coarse steps.
pub trait Steps {
    fn len(&self) -> usize;
    /// Indices of the coarse events, ascending.
    fn coarse(&self) -> &[usize];
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Steps for Trace {
    fn len(&self) -> usize {
        self.events.len()
    }
    fn coarse(&self) -> &[usize] {
        &self.coarse
    }
}

/// A recorded run of any event family (brute force's scans, the distance matrix's rows):
/// the events and which of them are coarse steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Recording<E> {
    pub events: Vec<E>,
    pub coarse: Vec<usize>,
}

impl<E> Default for Recording<E> {
    fn default() -> Self {
        Self {
            events: Vec::new(),
            coarse: Vec::new(),
        }
    }
}

impl<E> Recording<E> {
    pub fn new(events: Vec<E>, is_coarse: impl Fn(&E) -> bool) -> Self {
        let coarse = events
            .iter()
            .enumerate()
            .filter(|(_, e)| is_coarse(e))
            .map(|(i, _)| i)
            .collect();
        Self { events, coarse }
    }
}

impl<E> Steps for Recording<E> {
    fn len(&self) -> usize {
        self.events.len()
    }
    fn coarse(&self) -> &[usize] {
        &self.coarse
    }
}

/// State that events move forwards and backwards: `apply` then `revert` of the same event
/// leaves it as it was, so the state at a cursor is the same whichever way it was reached.
pub trait Replay<E> {
    fn apply(&mut self, e: &E);
    fn revert(&mut self, e: &E);
}

/// A state that can be moved to any cursor of its trace.
pub trait Seek {
    type Trace: Steps;
    /// Number of events applied.
    fn cursor(&self) -> usize;
    fn seek(&mut self, trace: &Self::Trace, target: usize);
}

/// A [`Replay`] state with its cursor over a [`Recording`] of `E`s.
#[derive(Debug, PartialEq)]
pub struct Replayed<S, E> {
    pub cursor: usize,
    pub inner: S,
    events: std::marker::PhantomData<fn(&E)>,
}

impl<S: Clone, E> Clone for Replayed<S, E> {
    fn clone(&self) -> Self {
        Self {
            cursor: self.cursor,
            inner: self.inner.clone(),
            events: std::marker::PhantomData,
        }
    }
}

impl<S: Default, E> Default for Replayed<S, E> {
    fn default() -> Self {
        Self {
            cursor: 0,
            inner: S::default(),
            events: std::marker::PhantomData,
        }
    }
}

impl<E, S: Replay<E>> Seek for Replayed<S, E> {
    type Trace = Recording<E>;
    fn cursor(&self) -> usize {
        self.cursor
    }
    fn seek(&mut self, trace: &Recording<E>, target: usize) {
        let target = target.min(trace.events.len());
        while self.cursor < target {
            self.inner.apply(&trace.events[self.cursor]);
            self.cursor += 1;
        }
        while self.cursor > target {
            self.cursor -= 1;
            self.inner.revert(&trace.events[self.cursor]);
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

/// Fine per-distance events of the exact rule are recorded up to this many points
/// (the scan is quadratic: n²/2 events).
pub const FINE_SCAN_LIMIT: usize = 1500;

/// Which algorithm a trace records (picks the pseudocode and the wording).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Algo {
    Construction(NswParams),
    Search(SearchMode),
    /// One HNSW insertion (Algorithm 1).
    HnswInsert(HnswParams),
    /// One HNSW k-NN search (Algorithm 5) with this `ef`.
    HnswSearch {
        ef: u16,
        params: HnswParams,
    },
    /// A hard delete of `node`, followed by its insertion at a new place when `moved`.
    HnswDelete {
        params: HnswParams,
        node: PointId,
        moved: bool,
    },
}

impl Algo {
    /// Whether this trace answers a query (and has a truth to compare with).
    pub fn is_search(self) -> bool {
        matches!(self, Algo::Search(_) | Algo::HnswSearch { .. })
    }
}

/// A place on the scrubber worth a marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    /// A walk began.
    Entry,
    /// A greedy walk stopped somewhere other than the true nearest neighbour.
    LocalMinimum,
    /// A walk stopped at, or the answer is, the true nearest neighbour.
    Found,
    /// A beam search stopped.
    BeamStop,
    /// HNSW: the search drops to the layer below.
    Descent,
    /// HNSW: the heuristic pruned a candidate, or a list was shrunk.
    Prune,
}

/// One recorded run.
#[derive(Clone, Debug)]
pub struct Trace {
    pub algo: Algo,
    pub events: Vec<Event>,
    /// Indices of the coarse events, ascending.
    pub coarse: Vec<usize>,
    /// The query (search traces).
    pub query: Option<Vec<f32>>,
    /// The exact k nearest (search traces), from brute force, not counted.
    pub truth: Vec<(PointId, f32)>,
    pub metric: Metric,
    /// Whether fine events (every distance) were recorded.
    pub fine_recorded: bool,
}

impl Trace {
    fn new(algo: Algo, events: Vec<Event>, metric: Metric, fine_recorded: bool) -> Self {
        let coarse = events
            .iter()
            .enumerate()
            .filter(|(_, e)| e.level() == Level::Coarse)
            .map(|(i, _)| i)
            .collect();
        Self {
            algo,
            events,
            coarse,
            query: None,
            truth: Vec::new(),
            metric,
            fine_recorded,
        }
    }

    /// A trace with no events.
    pub fn empty(algo: Algo) -> Self {
        Self::new(algo, Vec::new(), Metric::Euclidean, true)
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Records the construction of an NSW over `points`; returns the trace and the graph,
    /// built by the same code as the fast path.
    pub fn record_construction(
        points: &Points,
        params: NswParams,
    ) -> Result<(Self, Nsw, u64), DataError> {
        let fine = points.len() <= FINE_SCAN_LIMIT;
        let mut rec = VecRecorder::new(fine);
        let (g, count) = Nsw::build(points, params, &mut rec)?;
        let fine_recorded = fine || !matches!(params.rule, crate::engine::InsertRule::Exact);
        Ok((
            Self::new(
                Algo::Construction(params),
                rec.events,
                params.metric,
                fine_recorded,
            ),
            g,
            count,
        ))
    }

    /// Records one search on `graph` and computes the exact answer to compare with.
    #[allow(clippy::too_many_arguments)]
    pub fn record_search(
        graph: &Nsw,
        points: &Points,
        metric: Metric,
        query: &[f32],
        entry: PointId,
        mode: SearchMode,
        k: usize,
        seed: u64,
    ) -> Result<(Self, Outcome), DataError> {
        let mut rec = VecRecorder::new(true);
        let mut dist = Dist::new(metric);
        let outcome = search::run(
            graph, points, &mut dist, query, entry, mode, k, seed, &mut rec,
        )?;
        let mut t = Self::new(Algo::Search(mode), rec.events, metric, true);
        t.query = Some(query.to_vec());
        let mut uncounted = Dist::new(metric);
        t.truth = brute::knn(
            points,
            &mut uncounted,
            query,
            k.max(1),
            &mut crate::engine::NoRecorder,
        )?;
        Ok((t, outcome))
    }

    /// Records one HNSW search, with the exact answer (live points only) to compare with.
    pub fn record_hnsw_search(
        index: &Hnsw,
        query: &[f32],
        k: usize,
        ef: usize,
    ) -> Result<(Self, Vec<(PointId, f32)>), DataError> {
        if query.len() != index.dim() {
            return Err(DataError::QueryDimension {
                expected: index.dim(),
                got: query.len(),
            });
        }
        if index.live_count() == 0 {
            return Err(DataError::BadParameter(
                "there are no points to search".into(),
            ));
        }
        let mut rec = VecRecorder::new(true);
        let mut scratch = Scratch::new(index.len());
        let mut out = Vec::new();
        index.search_with(query, k, ef, &mut scratch, &mut out, &mut rec);
        let metric = index.params().metric;
        let mut t = Self::new(
            Algo::HnswSearch {
                ef: ef.min(u16::MAX as usize) as u16,
                params: *index.params(),
            },
            rec.events,
            metric,
            true,
        );
        t.query = Some(query.to_vec());
        let mut all: Vec<(PointId, f32)> = (0..index.len() as u32)
            .map(PointId)
            .filter(|&id| !index.is_deleted(id))
            .map(|id| (id, metric.eval(query, index.vector(id))))
            .collect();
        all.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        all.truncate(k.max(1));
        t.truth = all;
        Ok((t, out))
    }

    /// Records the insertion of `v` into a copy of `index`; returns the trace and the index
    /// after the insertion (the same code as the fast path, with a recorder).
    pub fn record_hnsw_insert(index: &Hnsw, v: &[f32]) -> Result<(Self, Hnsw, PointId), DataError> {
        let mut after = index.clone();
        let mut rec = VecRecorder::new(true);
        let id = after.insert_with(v, &mut rec)?;
        let mut t = Self::new(
            Algo::HnswInsert(*index.params()),
            rec.events,
            index.params().metric,
            true,
        );
        t.query = Some(v.to_vec());
        Ok((t, after, id))
    }

    /// Records the hard delete of `id` from a copy of `index` and, if `move_to` is given,
    /// the insertion of the point at its new place; returns the trace and the index after.
    pub fn record_hnsw_delete(
        index: &Hnsw,
        id: PointId,
        move_to: Option<&[f32]>,
    ) -> Result<(Self, Hnsw, Option<PointId>), DataError> {
        let mut after = index.clone();
        let mut rec = VecRecorder::new(true);
        after.remove_with(id, &mut rec)?;
        let new_id = match move_to {
            Some(v) => Some(after.insert_with(v, &mut rec)?),
            None => None,
        };
        let mut t = Self::new(
            Algo::HnswDelete {
                params: *index.params(),
                node: id,
                moved: move_to.is_some(),
            },
            rec.events,
            index.params().metric,
            true,
        );
        t.query = move_to.map(<[f32]>::to_vec);
        Ok((t, after, new_id))
    }

    /// The true nearest neighbour (search traces).
    pub fn nearest(&self) -> Option<(PointId, f32)> {
        self.truth.first().copied()
    }

    /// Whether a walk ending at `node` (at `dist`) ended at a true nearest neighbour; ties in
    /// distance count as found.
    pub fn is_nearest(&self, node: PointId, dist: f32) -> bool {
        self.nearest()
            .is_some_and(|(t, td)| t == node || dist <= td)
    }

    /// The marker of event `i`, if it deserves one.
    pub fn marker(&self, i: usize) -> Option<MarkerKind> {
        if matches!(
            self.algo,
            Algo::HnswSearch { .. } | Algo::HnswInsert(_) | Algo::HnswDelete { .. }
        ) {
            return match self.events.get(i)? {
                Event::Layer { layer, from } if layer != from => Some(MarkerKind::Descent),
                Event::Prune { .. } | Event::Unlink { .. } => Some(MarkerKind::Prune),
                Event::Result {
                    rank: 0,
                    node,
                    dist,
                } => Some(if self.is_nearest(*node, *dist) {
                    MarkerKind::Found
                } else {
                    MarkerKind::LocalMinimum
                }),
                _ => None,
            };
        }
        match self.events.get(i)? {
            Event::Start { .. } if matches!(self.algo, Algo::Search(_)) => Some(MarkerKind::Entry),
            Event::Stop { node, dist, .. } if matches!(self.algo, Algo::Search(_)) => {
                Some(if self.is_nearest(*node, *dist) {
                    MarkerKind::Found
                } else {
                    MarkerKind::LocalMinimum
                })
            }
            Event::BeamStop { .. } if matches!(self.algo, Algo::Search(_)) => {
                Some(MarkerKind::BeamStop)
            }
            Event::Result {
                rank: 0,
                node,
                dist,
            } if matches!(self.algo, Algo::Search(SearchMode::Beam { .. })) => {
                Some(if self.is_nearest(*node, *dist) {
                    MarkerKind::Found
                } else {
                    MarkerKind::LocalMinimum
                })
            }
            _ => None,
        }
    }

    /// Every marker, as (event index, kind).
    pub fn markers(&self) -> Vec<(usize, MarkerKind)> {
        if matches!(self.algo, Algo::Construction(_)) {
            return Vec::new();
        }
        (0..self.events.len())
            .filter_map(|i| self.marker(i).map(|m| (i, m)))
            .collect()
    }
}

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
