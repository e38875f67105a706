//! The player owns time: a cursor over a trace, moved by commands and by a clock.

use super::Steps;
use crate::engine::Level;

/// Everything that moves the cursor. The UI turns buttons and keys into these.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Command {
    Play,
    Pause,
    TogglePlay,
    StepForward,
    StepBack,
    First,
    Last,
    /// Go to just after event `i` (or to the start for 0 with `SeekCursor`).
    SeekCursor(usize),
    /// Steps per second while playing.
    SetSpeed(f32),
    SetDetail(Level),
}

/// Slowest and fastest playing speed, in steps per second.
pub const SPEED_RANGE: (f32, f32) = (0.25, 2000.0);

/// A cursor over a trace: `cursor` events have been applied (0 = before the first).
#[derive(Clone, Debug, PartialEq)]
pub struct Player {
    pub cursor: usize,
    pub playing: bool,
    /// Steps per second.
    pub speed: f32,
    pub detail: Level,
    accum: f32,
}

impl Default for Player {
    fn default() -> Self {
        Self {
            cursor: 0,
            playing: false,
            speed: 2.0,
            detail: Level::Coarse,
            accum: 0.0,
        }
    }
}

impl Player {
    /// Whether event `i` is a step at the current detail.
    fn is_step(&self, trace: &(impl Steps + ?Sized), i: usize) -> bool {
        self.detail == Level::Fine || trace.coarse().binary_search(&i).is_ok()
    }

    /// The cursor after the next step, if any.
    pub fn next_cursor(&self, trace: &(impl Steps + ?Sized)) -> Option<usize> {
        let from = self.cursor;
        match self.detail {
            Level::Fine => (from < trace.len()).then_some(from + 1),
            Level::Coarse => {
                let k = trace.coarse().partition_point(|&c| c < from);
                trace.coarse().get(k).map(|&c| c + 1)
            }
        }
    }

    /// The cursor after the previous step (0 when none is left).
    pub fn prev_cursor(&self, trace: &(impl Steps + ?Sized)) -> Option<usize> {
        if self.cursor == 0 {
            return None;
        }
        let last_applied = self.cursor - 1;
        match self.detail {
            Level::Fine => Some(last_applied),
            Level::Coarse => {
                let k = trace.coarse().partition_point(|&c| c < last_applied);
                Some(if k == 0 { 0 } else { trace.coarse()[k - 1] + 1 })
            }
        }
    }

    pub fn at_end(&self, trace: &(impl Steps + ?Sized)) -> bool {
        self.next_cursor(trace).is_none()
    }

    /// Carries out a command. Returns whether the cursor moved.
    pub fn apply(&mut self, cmd: Command, trace: &(impl Steps + ?Sized)) -> bool {
        let before = self.cursor;
        match cmd {
            Command::Play => {
                if self.at_end(trace) {
                    self.cursor = 0;
                }
                self.playing = true;
                self.accum = 0.0;
            }
            Command::Pause => self.playing = false,
            Command::TogglePlay => {
                let c = if self.playing {
                    Command::Pause
                } else {
                    Command::Play
                };
                return self.apply(c, trace);
            }
            Command::StepForward => {
                self.playing = false;
                if let Some(c) = self.next_cursor(trace) {
                    self.cursor = c;
                }
            }
            Command::StepBack => {
                self.playing = false;
                if let Some(c) = self.prev_cursor(trace) {
                    self.cursor = c;
                }
            }
            Command::First => {
                self.playing = false;
                self.cursor = 0;
            }
            Command::Last => {
                self.playing = false;
                self.cursor = trace.len();
            }
            Command::SeekCursor(c) => self.cursor = c.min(trace.len()),
            Command::SetSpeed(s) => {
                self.speed = if s.is_finite() {
                    s.clamp(SPEED_RANGE.0, SPEED_RANGE.1)
                } else {
                    self.speed
                }
            }
            Command::SetDetail(d) => {
                self.detail = d;
                // Land on a step of the new detail: the end of the step containing the cursor.
                if d == Level::Coarse && self.cursor > 0 && !self.is_step(trace, self.cursor - 1) {
                    self.cursor = self.next_cursor(trace).unwrap_or(trace.len());
                }
            }
        }
        self.cursor != before
    }

    /// Advances the clock by `dt` seconds. Returns whether the cursor moved.
    pub fn tick(&mut self, dt: f32, trace: &(impl Steps + ?Sized)) -> bool {
        if !self.playing {
            return false;
        }
        let before = self.cursor;
        self.accum += dt.max(0.0) * self.speed;
        while self.accum >= 1.0 {
            self.accum -= 1.0;
            match self.next_cursor(trace) {
                Some(c) => self.cursor = c,
                None => {
                    self.playing = false;
                    self.accum = 0.0;
                    break;
                }
            }
        }
        if self.at_end(trace) {
            self.playing = false;
        }
        self.cursor != before
    }

    /// (steps taken, steps in all) at the current detail, for "step 12 / 57".
    pub fn position(&self, trace: &(impl Steps + ?Sized)) -> (usize, usize) {
        match self.detail {
            Level::Fine => (self.cursor, trace.len()),
            Level::Coarse => (
                trace.coarse().partition_point(|&c| c < self.cursor),
                trace.coarse().len(),
            ),
        }
    }

    /// The cursor at which `step` steps (at the current detail) have been taken.
    pub fn cursor_for_step(&self, trace: &(impl Steps + ?Sized), step: usize) -> usize {
        match self.detail {
            Level::Fine => step.min(trace.len()),
            Level::Coarse => match step {
                0 => 0,
                s => trace.coarse().get(s - 1).map_or(trace.len(), |&c| c + 1),
            },
        }
    }
}
