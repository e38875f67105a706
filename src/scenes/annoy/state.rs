//! What the Annoy trace's events have done at the cursor: how much of the forest is built,
//! and the search's queue, the nodes it popped, the leaves it collected and the ranking.

use std::cmp::Reverse;
use std::collections::BTreeSet;

use crate::engine::PointId;
use crate::engine::annoy::{AnnoyEvent, priority_key, priority_of};
use crate::trace::{Recording, Replay, Replayed};

/// The replayed state. Node ids are handed out in the order the build reaches the nodes
/// (depth first, tree after tree), so the part of the forest built is a count.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AnnoyState {
    /// Nodes the build has reached: ids `0 .. built`.
    pub built: u32,
    /// The priority queue, ordered as the engine pops it: highest priority first, and
    /// among equal priorities the larger node first (as `BinaryHeap` and Annoy's
    /// `priority_queue` of pairs do). Keys as [`priority_key`] orders them.
    queue: BTreeSet<(Reverse<u32>, Reverse<u32>)>,
    /// Nodes taken from the queue, in order, with their priorities.
    pub popped: Vec<(u32, f32)>,
    /// Leaves whose points joined the candidates, with the candidates counted after each
    /// (repeats across trees included).
    pub collected: Vec<(u32, u32)>,
    /// The answers ranked so far, nearest first.
    pub results: Vec<(PointId, f32)>,
}

impl AnnoyState {
    /// Whether the search has begun (its roots are on the queue).
    pub fn searching(&self) -> bool {
        !self.queue.is_empty() || !self.popped.is_empty()
    }

    /// Candidates collected so far, repeats included (what `search_k` counts).
    pub fn candidates(&self) -> u32 {
        self.collected.last().map_or(0, |c| c.1)
    }

    /// The queue in the order it pops: (node, priority).
    pub fn queue(&self) -> impl Iterator<Item = (u32, f32)> + '_ {
        self.queue
            .iter()
            .map(|&(Reverse(k), Reverse(n))| (n, priority_of(k)))
    }

    pub fn queue_len(&self) -> usize {
        self.queue.len()
    }

    /// The priority of `node` if it waits on the queue.
    pub fn queued(&self, node: u32) -> Option<f32> {
        self.queue().find(|q| q.0 == node).map(|q| q.1)
    }

    fn enqueue(&mut self, node: u32, priority: f32) {
        self.queue
            .insert((Reverse(priority_key(priority)), Reverse(node)));
    }

    fn dequeue(&mut self, node: u32, priority: f32) {
        self.queue
            .remove(&(Reverse(priority_key(priority)), Reverse(node)));
    }
}

impl Replay<AnnoyEvent> for AnnoyState {
    fn apply(&mut self, e: &AnnoyEvent) {
        match e {
            AnnoyEvent::Split { .. } | AnnoyEvent::Leaf { .. } => self.built += 1,
            AnnoyEvent::Push { node, priority } => self.enqueue(*node, *priority),
            AnnoyEvent::Pop { node, priority } => {
                self.dequeue(*node, *priority);
                self.popped.push((*node, *priority));
            }
            AnnoyEvent::Collect { node, total, .. } => self.collected.push((*node, *total)),
            AnnoyEvent::Result { node, dist, .. } => self.results.push((*node, *dist)),
        }
    }

    fn revert(&mut self, e: &AnnoyEvent) {
        match e {
            AnnoyEvent::Split { .. } | AnnoyEvent::Leaf { .. } => {
                self.built = self.built.saturating_sub(1);
            }
            AnnoyEvent::Push { node, priority } => self.dequeue(*node, *priority),
            AnnoyEvent::Pop { node, priority } => {
                self.popped.pop();
                self.enqueue(*node, *priority);
            }
            AnnoyEvent::Collect { .. } => {
                self.collected.pop();
            }
            AnnoyEvent::Result { .. } => {
                self.results.pop();
            }
        }
    }
}

fn is_build(e: &AnnoyEvent) -> bool {
    matches!(e, AnnoyEvent::Split { .. } | AnnoyEvent::Leaf { .. })
}

/// Whether an event begins a step: a split or leaf of the build, a node taken from the
/// queue, an answer. The pushes and the collection after a pop belong to its step.
pub fn starts_step(e: &AnnoyEvent) -> bool {
    matches!(
        e,
        AnnoyEvent::Split { .. }
            | AnnoyEvent::Leaf { .. }
            | AnnoyEvent::Pop { .. }
            | AnnoyEvent::Result { .. }
    )
}

/// The recording with a step ending where the next begins: a pop's step shows its children
/// on the queue, and the roots entering the queue are the search's first step.
pub fn recording(events: Vec<AnnoyEvent>) -> Recording<AnnoyEvent> {
    let coarse = (0..events.len())
        .filter(|&i| {
            events
                .get(i + 1)
                .is_none_or(|next| starts_step(next) || (is_build(&events[i]) && !is_build(next)))
        })
        .collect();
    Recording { events, coarse }
}

/// The event that began the step ending at `cursor` (events `0 .. cursor` applied).
pub fn step_head(events: &[AnnoyEvent], cursor: usize) -> Option<usize> {
    let last = cursor.checked_sub(1)?;
    let mut i = last;
    loop {
        let e = events.get(i)?;
        if starts_step(e) {
            return Some(i);
        }
        if i == 0
            || (starts_step(&events[i - 1]) && !matches!(events[i - 1], AnnoyEvent::Pop { .. }))
        {
            // The pushes of the roots, which follow the last build event.
            return Some(i);
        }
        i -= 1;
    }
}

pub type AnnoyPlayback =
    crate::scenes::playback::Playback<Recording<AnnoyEvent>, Replayed<AnnoyState, AnnoyEvent>>;
