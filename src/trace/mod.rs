//! Traces: the recorded events of one run, and the state they replay to at any cursor.
//!
//! Every event carries what is needed to undo it, so [`TraceState::seek`] walks forwards and
//! backwards by applying and reverting events; the state at step k is the same either way.

pub mod player;
pub mod predict;
mod replay;
mod state;

pub use replay::{Recording, Replay, Replayed, Seek, Steps};
pub use state::{Marks, TraceState, Walk};

use crate::engine::hnsw::{Hnsw, HnswParams, Scratch};
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
