//! The decisions of a walk, read off its trace. Greedy: before each move the walk at a node
//! has computed the distances of its neighbours and either moves to the closest one (if it
//! is closer than where it stands), stops (a local minimum), or — in HNSW above layer 0 —
//! drops a layer. Beam search (ef): the next node expanded is the closest candidate not yet
//! expanded, unless it is farther than the furthest kept, and the beam stops.
//! Predict-the-next-hop asks the student for each of these, and grades the answer against
//! the trace itself, so the lesson never holds the answers.

use super::Trace;
use crate::engine::{Event, PointId};

/// What the walk did at a decision.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Answer {
    /// Moved to this neighbour.
    Move(PointId),
    /// Stopped: no neighbour is closer (the end of a greedy walk, a local minimum).
    Stop,
    /// HNSW: no neighbour on this layer is closer; the walk goes on a layer down.
    Drop,
}

/// One decision of a walk.
#[derive(Clone, Debug, PartialEq)]
pub struct Decision {
    /// The index of the event that carries it out (a `Move` or `Stop`).
    pub at: usize,
    /// Where the walk stands, and its distance to the query.
    pub from: PointId,
    pub from_dist: f32,
    /// HNSW: the layer the walk is on.
    pub layer: Option<u8>,
    /// The neighbours whose distances were computed from `from` (greedy), or the candidates
    /// not yet expanded (beam), nearest first.
    pub candidates: Vec<(PointId, f32)>,
    pub answer: Answer,
    /// A beam's choice of the next candidate to expand, not a greedy move.
    pub beam: bool,
}

impl Decision {
    /// The candidates the student is offered, as numbered 1–9: the nine nearest (so the
    /// walk's choice is always among them), in id order (nearest first would give every move
    /// away as "1").
    pub fn numbered(&self) -> Vec<(PointId, f32)> {
        let mut c: Vec<(PointId, f32)> = self.candidates.iter().copied().take(9).collect();
        c.sort_by_key(|c| c.0);
        c
    }

    /// The candidate the walk chose, if it moved.
    pub fn chosen(&self) -> Option<(PointId, f32)> {
        match self.answer {
            Answer::Move(to) => self.candidates.iter().copied().find(|c| c.0 == to),
            _ => None,
        }
    }
}

/// Every decision of `trace`, in order: greedy moves, stops and drops, and a beam's
/// expansions (when more than one candidate waits) and its stop.
pub fn decisions(trace: &Trace) -> Vec<Decision> {
    let mut out = Vec::new();
    let mut current: Option<(PointId, f32)> = None;
    let mut layer: Option<u8> = None;
    let mut candidates: Vec<(PointId, f32)> = Vec::new();
    // A beam's candidates not yet expanded, and the node it expanded last.
    let mut queue: Vec<(PointId, f32)> = Vec::new();
    let mut beam_at: Option<(PointId, f32)> = None;
    for (i, e) in trace.events.iter().enumerate() {
        match *e {
            Event::Start { entry, dist, .. } => {
                current = Some((entry, dist));
                beam_at = Some((entry, dist));
                candidates.clear();
                queue.clear();
            }
            Event::Layer { layer: l, .. } => {
                layer = Some(l);
                candidates.clear();
                queue.clear();
            }
            Event::Evaluate { node, from, dist } if current.is_some_and(|c| c.0 == from) => {
                candidates.push((node, dist));
            }
            Event::Move {
                from,
                to,
                from_dist,
                to_dist,
            } => {
                let d = decision(i, (from, from_dist), layer, &candidates, Answer::Move(to));
                out.push(d);
                current = Some((to, to_dist));
                beam_at = current;
                candidates.clear();
            }
            Event::Stop { node, dist, .. } => {
                // A stop followed by a move down a layer is a drop.
                let drops = trace.events[i + 1..]
                    .iter()
                    .find_map(|e| match e {
                        Event::Layer { layer: l, from } => Some(l < from),
                        Event::Start { .. } | Event::Result { .. } => Some(false),
                        _ => None,
                    })
                    .unwrap_or(false);
                let answer = if drops { Answer::Drop } else { Answer::Stop };
                out.push(decision(i, (node, dist), layer, &candidates, answer));
                beam_at = Some((node, dist));
                candidates.clear();
            }
            Event::Accept { node, dist, .. } => queue.push((node, dist)),
            Event::Expand { node, dist } => {
                // One candidate to expand is no question (the beam's first step).
                if let Some(from) = beam_at.filter(|_| queue.len() > 1) {
                    let mut d = decision(i, from, layer, &queue, Answer::Move(node));
                    d.beam = true;
                    out.push(d);
                }
                queue.retain(|c| c.0 != node);
                beam_at = Some((node, dist));
                current = None;
                candidates.clear();
            }
            Event::BeamStop { .. } => {
                if let Some(from) = beam_at {
                    let mut d = decision(i, from, layer, &queue, Answer::Stop);
                    d.beam = true;
                    out.push(d);
                }
                queue.clear();
            }
            Event::Insert { .. } => {
                current = None;
                candidates.clear();
                queue.clear();
            }
            _ => {}
        }
    }
    out
}

fn decision(
    at: usize,
    from: (PointId, f32),
    layer: Option<u8>,
    candidates: &[(PointId, f32)],
    answer: Answer,
) -> Decision {
    let mut candidates = candidates.to_vec();
    candidates.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    candidates.dedup_by_key(|c| c.0);
    Decision {
        at,
        from: from.0,
        from_dist: from.1,
        layer,
        candidates,
        answer,
        beam: false,
    }
}
