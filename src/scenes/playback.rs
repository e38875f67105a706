//! A trace with its own cursor and replayed state: what every scene plays.

use crate::trace::player::{Command, Player};
use crate::trace::{Seek, Steps, Trace, TraceState};

/// A recorded run, the state replayed to the player's cursor, and the player.
#[derive(Clone, Debug)]
pub struct Playback<T, S> {
    pub trace: T,
    pub state: S,
    pub player: Player,
}

/// The graph scenes' playback: walk events over a [`TraceState`].
pub type WalkPlayback = Playback<Trace, TraceState>;

impl<T: Steps, S: Seek<Trace = T> + Default> Playback<T, S> {
    /// A playback at the start, keeping the player's speed and detail.
    pub fn new(trace: T, player: Player) -> Self {
        let mut p = Self {
            trace,
            state: S::default(),
            player,
        };
        p.player.cursor = 0;
        p.player.playing = false;
        p
    }

    /// Carries out a player command and replays the state to the new cursor.
    pub fn command(&mut self, cmd: Command) {
        self.player.apply(cmd, &self.trace);
        self.state.seek(&self.trace, self.player.cursor);
    }

    /// Advances the clock; returns whether the cursor moved.
    pub fn tick(&mut self, dt: f32) -> bool {
        let moved = self.player.tick(dt, &self.trace);
        if moved {
            self.state.seek(&self.trace, self.player.cursor);
        }
        moved
    }

    pub fn steps(&self) -> (&Player, &dyn Steps) {
        (&self.player, &self.trace)
    }
}
