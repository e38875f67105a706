//! Traces: the recorded events of one run, and the state they replay to at any cursor.
//!
//! Every event carries what is needed to undo it, so [`TraceState::seek`] walks forwards and
//! backwards by applying and reverting events; the state at step k is the same either way.

pub mod narrate;
pub mod player;

use crate::engine::search::{self, Outcome};
use crate::engine::{
    DataError, Dist, Event, Level, Metric, Nsw, NswParams, PointId, Points, SearchMode,
    VecRecorder, brute,
};

/// Fine per-distance events of the exact rule are recorded up to this many points
/// (the scan is quadratic: n²/2 events).
pub const FINE_SCAN_LIMIT: usize = 1500;

/// Which algorithm a trace records (picks the pseudocode and the wording).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Algo {
    Construction(NswParams),
    Search(SearchMode),
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
}

/// Lengths of the per-phase lists when an insertion began, so drawing can show "this
/// insertion's" work and reverting can restore them.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Marks {
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
                self.marks.push(Marks {
                    evals: self.evals.len(),
                    walks: self.walks.len(),
                    expanded: self.expanded.len(),
                    stops: self.stops.len(),
                    rejected: self.rejected.len(),
                    beam_stops: self.beam_stops.len(),
                });
                self.saved_kept.push(std::mem::take(&mut self.kept));
            }
            Event::Scan { count, .. } => {
                self.scans.push(count);
                self.distance_computations += u64::from(count);
            }
            Event::Connect { from, to, dist, .. } => self.edges.push((from, to, dist)),
            Event::Start { entry, dist, .. } => {
                self.walks.push(Walk {
                    path: vec![(entry, dist)],
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
        }
    }

    fn revert(&mut self, e: &Event) {
        match *e {
            Event::Insert { .. } => {
                self.inserted.pop();
                self.marks.pop();
                self.kept = self.saved_kept.pop().unwrap_or_default();
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
        }
    }
}
