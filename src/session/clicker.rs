//! The slide clicker's beats on the scene on show: "next" goes to the next beat (the steps
//! between play as a short animation), or starts the scene's pending work (a sweep), or says
//! that it waits for the work running; "back" goes to the beat before.

use super::Session;
use crate::scenes::beats::{self, Beat};
use crate::trace::player::Command;

/// The longest a move between two beats plays, in seconds.
pub const MOTION_SECONDS: f32 = 1.2;
/// How long each intermediate step of a move is shown at most, in seconds.
const STEP_SECONDS: f32 = 0.25;
/// Intermediate pictures a move shows at most.
const MOTION_FRAMES: usize = 24;

/// A move from one beat to the next, played over a short time.
#[derive(Clone, Debug, PartialEq)]
pub struct Motion {
    /// The cursors shown on the way, the target last.
    stops: Vec<usize>,
    /// Seconds played.
    t: f32,
    /// Seconds the move takes.
    duration: f32,
}

impl Motion {
    pub fn target(&self) -> usize {
        self.stops.last().copied().unwrap_or(0)
    }
}

/// What a clicker's "next" did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Next {
    /// A move to the next beat began (or the move playing was finished).
    Moved,
    /// The scene's pending work was started.
    Started,
    /// Work runs in the background: nothing to do until it ends.
    Busy,
    /// The trace is at its last beat and nothing is pending.
    AtEnd,
}

impl Session {
    /// The beats of the trace on show that a clicker stops at, at most `budget` of them.
    pub fn beat_cursors(&self, budget: usize) -> Vec<usize> {
        let Some((_, steps)) = self.scene().steps() else {
            return Vec::new();
        };
        let beats: Vec<Beat> = self.scene().beats();
        beats::choose(&beats, steps.len(), budget)
    }

    /// Where the clicker is: the cursor, or where the move playing is going.
    pub fn beat_at(&self) -> usize {
        self.motion.as_ref().map_or(self.cursor(), Motion::target)
    }

    /// Whether a move between beats is playing.
    pub fn moving(&self) -> bool {
        self.motion.is_some()
    }

    /// Whether the scene on show runs work in the background.
    pub fn busy(&self) -> bool {
        self.scene().busy()
    }

    /// The clicker's "next": finishes a move that is playing; else moves to the next beat;
    /// else starts the scene's pending work.
    pub fn beat_forward(&mut self, budget: usize) -> Next {
        if let Some(m) = self.motion.take() {
            self.seek_to(m.target());
            return Next::Moved;
        }
        if self.busy() {
            return Next::Busy;
        }
        let cursor = self.cursor();
        let cursors = self.beat_cursors(budget);
        if let Some(&target) = cursors.iter().find(|&&c| c > cursor) {
            self.start_motion(cursor, target);
            return Next::Moved;
        }
        match self.scene().next_work() {
            Some(a) => {
                self.action(a);
                Next::Started
            }
            None => Next::AtEnd,
        }
    }

    /// Whether "next" has something to do: a move playing, work running or pending, or a
    /// beat ahead of the cursor.
    pub fn beat_ahead(&self, budget: usize) -> bool {
        let cursor = self.cursor();
        self.motion.is_some()
            || self.busy()
            || self.beat_cursors(budget).iter().any(|&c| c > cursor)
            || self.scene().next_work().is_some()
    }

    /// The clicker's "back": to the beat before the cursor (the start before the first),
    /// at once. Returns whether the cursor moved.
    pub fn beat_back(&mut self, budget: usize) -> bool {
        let cursor = self.motion.take().map_or(self.cursor(), |m| m.target());
        let cursors = self.beat_cursors(budget);
        let target = cursors.iter().rev().find(|&&c| c < cursor).copied();
        let target = target.unwrap_or(0);
        self.seek_to(target);
        target != cursor
    }

    fn start_motion(&mut self, from: usize, to: usize) {
        // The coarse steps on the way, at most a couple of dozen of them.
        let coarse: Vec<usize> = self
            .scene()
            .steps()
            .map(|(_, s)| {
                s.coarse()
                    .iter()
                    .map(|&i| i + 1)
                    .filter(|&c| c > from && c < to)
                    .collect()
            })
            .unwrap_or_default();
        let mut stops: Vec<usize> = if coarse.len() <= MOTION_FRAMES {
            coarse
        } else {
            (1..=MOTION_FRAMES)
                .map(|k| coarse[(k * coarse.len()) / (MOTION_FRAMES + 1)])
                .collect()
        };
        stops.dedup();
        stops.push(to);
        if stops.len() == 1 {
            self.seek_to(to);
            return;
        }
        let duration = (stops.len() as f32 * STEP_SECONDS).min(MOTION_SECONDS);
        self.scenes[self.current].command(Command::Pause);
        self.motion = Some(Motion {
            stops,
            t: 0.0,
            duration,
        });
    }

    /// Advances a move between beats by `dt` seconds; returns whether the cursor moved.
    pub(super) fn tick_motion(&mut self, dt: f32) -> bool {
        let Some(m) = self.motion.as_mut() else {
            return false;
        };
        m.t += dt.max(0.0);
        let done = m.t >= m.duration;
        let k = if done {
            m.stops.len() - 1
        } else {
            ((m.t / m.duration) * m.stops.len() as f32) as usize
        };
        let target = m.stops[k.min(m.stops.len() - 1)];
        if done {
            self.motion = None;
        }
        if target != self.cursor() {
            self.seek_to(target);
            true
        } else {
            done
        }
    }

    /// Moves the cursor of the scene on show, leaving any move between beats alone.
    fn seek_to(&mut self, cursor: usize) {
        self.scenes[self.current].command(Command::SeekCursor(cursor));
    }

    /// Stops a move between beats where it is (any other command does).
    pub fn stop_motion(&mut self) {
        if let Some(m) = self.motion.take() {
            self.seek_to(m.target());
        }
    }
}
