//! A slide clicker in the window: in presenter mode and in lessons PgDn / "." go to the next
//! beat and PgUp / B to the one before (the arrow keys keep single steps). Work a key or the
//! mouse would start is a beat too: the scene's pending sweep, a slide's *Show me*; a press
//! while work runs waits for it. At the end of a lesson slide's last beat, with its task
//! done, "next" opens the next slide; at the start of a slide, "back" the one before.

use super::App;
use crate::scenes::beats::{HALF_LESSON_BUDGET, LESSON_BUDGET, SCENE_BUDGET};
use crate::session::clicker::Next;
use crate::session::lesson::{Action, Slide};
use crate::trace::player::Command;

/// How far a slide's demonstration has been run on this visit of the slide.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Shown {
    #[default]
    No,
    /// What it changes (settings, clicks, a run), its cursor moves left to the beats.
    State,
    /// Its cursor moves, after what it changes was shown.
    Cursor,
    /// All of it, cursor moves included.
    All,
}

/// The beat cursors of a trace, by the (frame key, budget) they were worked out for.
pub(super) type BeatCache = ((u64, usize), Vec<usize>);

/// What a press of "next" does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Plan {
    /// Show the answer of predict-the-next-hop's question.
    Reveal,
    /// Predicting: one step, which the quiz may hold.
    QuizStep,
    /// The next beat of the trace, or the scene's pending work.
    Beat,
    Show(Shown),
    NextSlide,
}

impl App {
    /// Whether the clicker keys move by beats: presenter mode, or a lesson open.
    pub fn by_beats(&self) -> bool {
        self.presenter || self.lessons.current.is_some()
    }

    /// The most beats the trace on show takes: a lesson slide's share, or a scene's own.
    pub fn beat_budget(&self) -> usize {
        match self.lessons.slide() {
            Some((_, slide, _)) if slide.show_changes_state() && !slide.show_first() => {
                HALF_LESSON_BUDGET
            }
            Some(_) => LESSON_BUDGET,
            None => SCENE_BUDGET,
        }
    }

    /// (beats passed, beats in all) of the trace on show, for "beat 4 / 9". The beats are
    /// worked out again only when the picture's key or the budget changes, not at every
    /// repaint (a 10,000-point construction has 40,000 events to rank).
    pub fn beat_position(&self) -> (usize, usize) {
        let budget = self.beat_budget();
        let key = (self.session.frame_key(), budget);
        let mut cache = self.beat_cache.borrow_mut();
        let cursors = match cache.take() {
            Some((k, c)) if k == key => c,
            _ => self.session.beat_cursors(budget),
        };
        let at = self.session.beat_at();
        let position = (cursors.partition_point(|&c| c <= at), cursors.len());
        *cache = Some((key, cursors));
        position
    }

    /// What the clicker's "next" would do now.
    fn plan(&mut self) -> Plan {
        if self.session.quiz.pending.is_some() {
            return Plan::Reveal;
        }
        if self.session.quiz.on {
            return Plan::QuizStep;
        }
        let Some(slide) = self.lessons.slide().map(|(_, s, _)| s.clone()) else {
            return Plan::Beat;
        };
        let task = self.slide_done().0;
        if task && self.lessons.shown >= Shown::Cursor {
            // The demonstration put the trace where the task holds: that was the last beat.
            return Plan::NextSlide;
        }
        if !task && slide.show_first() && self.lessons.shown == Shown::No {
            return Plan::Show(Shown::State);
        }
        if self.session.beat_ahead(self.beat_budget()) {
            return Plan::Beat;
        }
        if !task && !slide.show.is_empty() && self.lessons.shown < Shown::Cursor {
            // The task not done at the trace's end: the demonstration does it, in the sight
            // of the room (what it changes first, then the beats of what it made).
            return Plan::Show(match self.lessons.shown {
                Shown::No if slide.show_changes_state() => Shown::State,
                Shown::No => Shown::All,
                _ => Shown::Cursor,
            });
        }
        Plan::NextSlide
    }

    /// Whether the slide on show is finished for the clicker: its next press opens the next
    /// slide (or, on a lesson's last slide, there is nothing left to show).
    pub fn slide_finished(&mut self) -> bool {
        self.lessons.current.is_some() && self.plan() == Plan::NextSlide
    }

    /// The clicker's "next".
    pub fn clicker_next(&mut self) {
        self.clicker_waiting = false;
        match self.plan() {
            Plan::Reveal => {
                self.session.reveal();
            }
            Plan::QuizStep => self.step_forward(true),
            Plan::Beat => {
                if self.session.beat_forward(self.beat_budget()) == Next::Busy {
                    self.clicker_waiting = true;
                }
            }
            Plan::Show(how) => {
                if let Some(slide) = self.lessons.slide().map(|(_, s, _)| s.clone()) {
                    self.clicker_show(&slide, how);
                }
            }
            Plan::NextSlide => self.next_slide(),
        }
    }

    /// The clicker's "back": the beat before; at a slide's start, the slide before.
    pub fn clicker_back(&mut self) {
        self.clicker_waiting = false;
        if self.session.beat_back(self.beat_budget()) {
            return;
        }
        if let Some((l, s)) = self.lessons.current
            && s > 0
        {
            self.open_slide(l, s - 1);
        }
    }

    /// Runs the slide's demonstration: all of it, what it changes, or its cursor moves.
    fn clicker_show(&mut self, slide: &Slide, how: Shown) {
        self.lessons.shown = how;
        // A demonstration's steps count from the trace's start.
        let steps_first = slide
            .show
            .iter()
            .find(|a| a.moves_cursor_only())
            .is_some_and(|a| matches!(a, Action::Step(_)));
        if how != Shown::State && steps_first {
            self.session.command(Command::First);
        }
        for a in &slide.show {
            let skip = match how {
                Shown::State => a.moves_cursor_only(),
                Shown::Cursor => !a.moves_cursor_only(),
                _ => false,
            };
            if skip {
                continue;
            }
            if let Err(e) = a.apply(&mut self.session) {
                self.files.fail(format!("show me: {e}"));
                return;
            }
        }
        if how == Shown::State {
            // The beats of what the demonstration made start from its beginning.
            self.session.command(Command::First);
        }
        self.fit_pending = true;
    }

    /// Each frame: a press that waited for background work is carried out once it ends.
    pub(super) fn clicker_poll(&mut self) {
        if self.clicker_waiting && !self.session.busy() {
            self.clicker_next();
        }
    }
}
