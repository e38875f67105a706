//! Typed events that algorithms report, and the recorders that receive them.
//!
//! Every algorithm takes `&mut impl Recorder`. With [`NoRecorder`] the `if R::ENABLED` guards
//! are constant-false and the recording compiles away, so the benchmarked path and the
//! animated path are the same code.

use super::points::PointId;

/// One decision an algorithm made. Every event carries the numbers needed to narrate it and to
/// undo it, so a trace can be replayed forwards and backwards.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Event {
    /// NSW construction: start inserting `node` (insertion order = id order).
    Insert { node: PointId },
    /// Exact rule: the distances from `node` to all `count` inserted points were computed.
    Scan { node: PointId, count: u32 },
    /// An undirected link `from`–`to` was added; `rank` is `to`'s rank among the chosen.
    Connect {
        from: PointId,
        to: PointId,
        dist: f32,
        rank: u16,
    },
    /// A walk starts at `entry`, whose distance to the query is `dist`.
    Start {
        entry: PointId,
        dist: f32,
        attempt: u16,
    },
    /// The distance from the query to `node` (a neighbour of `from`) was computed.
    Evaluate {
        node: PointId,
        from: PointId,
        dist: f32,
    },
    /// Greedy: `to` is the closest neighbour of `from` and closer than `from`: move there.
    Move {
        from: PointId,
        to: PointId,
        from_dist: f32,
        to_dist: f32,
    },
    /// Greedy: no neighbour of `node` is closer than `node`; the walk stops.
    /// `best` is the closest neighbour seen (if any).
    Stop {
        node: PointId,
        dist: f32,
        best: Option<(PointId, f32)>,
    },
    /// Beam: the closest unexpanded candidate `node` is taken out of C to be expanded.
    Expand { node: PointId, dist: f32 },
    /// Beam: the closest candidate is farther than the furthest of the `ef` kept: stop.
    BeamStop {
        node: PointId,
        dist: f32,
        furthest: f32,
    },
    /// Beam: `node` joins the kept set W (and the candidate queue); `evicted` was the furthest
    /// of W and was dropped to keep W at `ef`.
    Accept {
        node: PointId,
        dist: f32,
        evicted: Option<(PointId, f32)>,
    },
    /// Beam: `node` was evaluated but is no closer than the furthest kept; it is not kept.
    Reject {
        node: PointId,
        dist: f32,
        furthest: f32,
    },
    /// One entry of the final answer, best first.
    Result { rank: u16, node: PointId, dist: f32 },
    /// HNSW: the new point's level was drawn as `⌊−ln(u) · mL⌋`.
    Level { node: PointId, level: u8, u: f32 },
    /// HNSW: work moves from layer `from` to layer `layer` (equal when work starts).
    Layer { layer: u8, from: u8 },
    /// HNSW heuristic: `node` (at `dist` from `base`) is kept as a neighbour of `base`.
    Keep {
        base: PointId,
        node: PointId,
        dist: f32,
    },
    /// HNSW heuristic: `node` is pruned: it is closer to the kept `by` (`by_dist`) than to
    /// `base` (`dist`).
    Prune {
        base: PointId,
        node: PointId,
        dist: f32,
        by: PointId,
        by_dist: f32,
    },
    /// HNSW: a directed link `from` → `to` on the current layer.
    Link {
        from: PointId,
        to: PointId,
        dist: f32,
    },
    /// HNSW: `to` is dropped from `from`'s list on the current layer (overflow or delete).
    Unlink { from: PointId, to: PointId },
    /// HNSW: the entry point was deleted; `node`, on the top level `level`, takes its place.
    Promote { node: PointId, level: u8 },
}

/// How much an event matters when stepping: coarse steps skip the fine ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Coarse,
    Fine,
}

impl Event {
    /// Coarse shows moves and insertions; fine adds every neighbour evaluated.
    pub fn level(&self) -> Level {
        match self {
            Event::Evaluate { .. } | Event::Reject { .. } | Event::Accept { .. } => Level::Fine,
            _ => Level::Coarse,
        }
    }
}

/// Receives the events of an algorithm. Each algorithm family has its own event type `E`
/// (graph walks use [`Event`]; brute force its `ScanEvent`; the distance matrix its
/// `MatrixEvent`).
pub trait Recorder<E = Event> {
    /// `false` makes every recording call site dead code.
    const ENABLED: bool;
    /// Whether per-distance events (`Evaluate`) of bulk scans are wanted.
    fn fine(&self) -> bool {
        Self::ENABLED
    }
    fn record(&mut self, event: E);
}

/// The fast path: records nothing, costs nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoRecorder;

impl<E> Recorder<E> for NoRecorder {
    const ENABLED: bool = false;
    #[inline(always)]
    fn record(&mut self, _event: E) {}
}

/// Keeps every event of any family in order.
#[derive(Clone, Debug)]
pub struct Log<E> {
    pub events: Vec<E>,
}

impl<E> Default for Log<E> {
    fn default() -> Self {
        Self { events: Vec::new() }
    }
}

impl<E> Recorder<E> for Log<E> {
    const ENABLED: bool = true;
    #[inline]
    fn record(&mut self, event: E) {
        self.events.push(event);
    }
}

/// Keeps every event in order.
#[derive(Clone, Debug, Default)]
pub struct VecRecorder {
    pub events: Vec<Event>,
    /// Record each distance of the exact rule's full scans (quadratic in n).
    pub fine_scans: bool,
}

impl VecRecorder {
    pub fn new(fine_scans: bool) -> Self {
        Self {
            events: Vec::new(),
            fine_scans,
        }
    }
}

impl Recorder for VecRecorder {
    const ENABLED: bool = true;
    fn fine(&self) -> bool {
        self.fine_scans
    }
    #[inline]
    fn record(&mut self, event: Event) {
        self.events.push(event);
    }
}
