//! The four filter strategies run on the same graph and query, played side by side on one
//! clock that counts **distance computations**: at step t every strategy has measured t
//! distances (or finished), so the cheap strategy stops early and the costly one is still
//! walking — cost is seen, not claimed.

use std::collections::BTreeMap;

use crate::engine::PointId;
use crate::engine::filtered::{FilterEvent, Filtered, Strategy};
use crate::trace::{Seek, Steps};

/// One strategy's recorded search.
#[derive(Clone, Debug, Default)]
pub struct Run {
    pub strategy: Option<Strategy>,
    pub events: Vec<FilterEvent>,
    /// `after[t]`: how many events have happened once t distances are measured (the events up
    /// to, not including, the (t + 1)-th measurement).
    pub after: Vec<usize>,
    pub result: Filtered,
    /// How many of the exact filtered answer it returned.
    pub hits: usize,
}

impl Run {
    pub fn new(
        strategy: Strategy,
        events: Vec<FilterEvent>,
        result: Filtered,
        hits: usize,
    ) -> Self {
        let mut after = vec![0];
        for (i, e) in events.iter().enumerate() {
            if matches!(e, FilterEvent::Measure { .. }) {
                // Events up to this measurement belong to the previous count.
                if let Some(last) = after.last_mut() {
                    *last = i;
                }
                after.push(i + 1);
            }
        }
        if let Some(last) = after.last_mut() {
            *last = events.len();
        }
        Self {
            strategy: Some(strategy),
            events,
            after,
            result,
            hits,
        }
    }

    /// Distances this run measured.
    pub fn distances(&self) -> usize {
        self.after.len() - 1
    }

    /// Events replayed at clock `t`.
    pub fn events_at(&self, t: usize) -> usize {
        self.after[t.min(self.after.len() - 1)]
    }
}

/// Every strategy's run, and the clock's steps: one per distance computed by the longest.
#[derive(Clone, Debug, Default)]
pub struct Race {
    pub runs: Vec<Run>,
    len: usize,
    coarse: Vec<usize>,
}

impl Race {
    pub fn new(runs: Vec<Run>) -> Self {
        let len = runs.iter().map(Run::distances).max().unwrap_or(0);
        // Coarse steps: where a strategy expands a node or finishes.
        let mut coarse: Vec<usize> = Vec::new();
        for r in &runs {
            let mut t = 0;
            for e in &r.events {
                match e {
                    FilterEvent::Measure { .. } => t += 1,
                    FilterEvent::Expand { .. } => coarse.push(t),
                    _ => {}
                }
            }
            coarse.push(r.distances());
        }
        // A step is named by the index of its last event: clock t ends at index t − 1.
        coarse.retain(|&t| t > 0 && t <= len);
        coarse.iter_mut().for_each(|t| *t -= 1);
        coarse.sort_unstable();
        coarse.dedup();
        Self { runs, len, coarse }
    }
}

impl Steps for Race {
    fn len(&self) -> usize {
        self.len
    }
    fn coarse(&self) -> &[usize] {
        &self.coarse
    }
}

/// One strategy's search at the clock: what it measured, expanded and holds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Panel {
    pub applied: usize,
    /// (node, distance, layer, matches, looked through) in order.
    pub measured: Vec<(PointId, f32, u8, bool, Option<PointId>)>,
    pub descent: Vec<(PointId, u8)>,
    pub expanded: Vec<(PointId, f32)>,
    /// The results held now, with their distances.
    pub held: BTreeMap<PointId, f32>,
    pub dropped: Vec<(PointId, f32)>,
    pub stopped: Option<(f32, f32)>,
}

impl Panel {
    fn apply(&mut self, e: &FilterEvent) {
        match *e {
            FilterEvent::Measure {
                node,
                dist,
                layer,
                matches,
                via,
            } => self.measured.push((node, dist, layer, matches, via)),
            FilterEvent::Descend { node, layer } => self.descent.push((node, layer)),
            FilterEvent::Expand { node, dist } => self.expanded.push((node, dist)),
            FilterEvent::Admit {
                node,
                dist,
                evicted,
            } => {
                self.held.insert(node, dist);
                if let Some(x) = evicted {
                    self.held.remove(&x);
                }
            }
            FilterEvent::Stop { dist, bound } => self.stopped = Some((dist, bound)),
            FilterEvent::Drop { node, dist } => {
                self.held.remove(&node);
                self.dropped.push((node, dist));
            }
        }
    }

    /// Undoes `e`; `evicted_dist` finds an evicted result's distance among the measured.
    fn revert(&mut self, e: &FilterEvent) {
        match *e {
            FilterEvent::Measure { .. } => {
                self.measured.pop();
            }
            FilterEvent::Descend { .. } => {
                self.descent.pop();
            }
            FilterEvent::Expand { .. } => {
                self.expanded.pop();
            }
            FilterEvent::Admit { node, evicted, .. } => {
                self.held.remove(&node);
                if let Some(x) = evicted
                    && let Some(m) = self.measured.iter().rev().find(|m| m.0 == x)
                {
                    self.held.insert(x, m.1);
                }
            }
            FilterEvent::Stop { .. } => self.stopped = None,
            FilterEvent::Drop { node, dist } => {
                self.dropped.pop();
                self.held.insert(node, dist);
            }
        }
    }

    /// The node being expanded (the last one taken out), while the walk goes on.
    pub fn current(&self) -> Option<(PointId, f32)> {
        self.expanded.last().copied()
    }

    /// The results held, nearest first.
    pub fn ranked(&self) -> Vec<(PointId, f32)> {
        let mut v: Vec<(PointId, f32)> = self.held.iter().map(|(&a, &b)| (a, b)).collect();
        v.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        v
    }
}

/// Every strategy's panel at the clock.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RaceState {
    pub cursor: usize,
    pub panels: Vec<Panel>,
}

impl Seek for RaceState {
    type Trace = Race;
    fn cursor(&self) -> usize {
        self.cursor
    }

    fn seek(&mut self, race: &Race, target: usize) {
        let target = target.min(race.len);
        self.panels.resize_with(race.runs.len(), Panel::default);
        for (p, run) in self.panels.iter_mut().zip(&race.runs) {
            let want = run.events_at(target);
            while p.applied < want {
                p.apply(&run.events[p.applied]);
                p.applied += 1;
            }
            while p.applied > want {
                p.applied -= 1;
                p.revert(&run.events[p.applied]);
            }
        }
        self.cursor = target;
    }
}
