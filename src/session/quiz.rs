//! Predict the next hop: on a greedy walk the player pauses before every decision and the
//! student says where the walk goes — a neighbour, "stop: local minimum", or "drop a layer".
//! The answer is graded against the trace and explained with its real distances; a score and
//! a streak are kept per run.

use std::fmt::Write;

use super::Session;
use crate::engine::PointId;
use crate::scenes::Dist;
use crate::trace::player::Command;
use crate::trace::predict::{self, Answer, Decision};

/// A student's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Guess {
    Node(PointId),
    Stop,
    Drop,
}

/// The verdict on the last answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Feedback {
    pub right: bool,
    pub text: String,
}

/// The quiz's state: on or off, the decision waiting for an answer, the score of this run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Quiz {
    pub on: bool,
    pub pending: Option<Decision>,
    pub feedback: Option<Feedback>,
    pub right: u32,
    pub tried: u32,
    pub streak: u32,
    pub best_streak: u32,
    /// Decisions answered in this run (by event index).
    answered: Vec<usize>,
    /// Which run the score belongs to.
    run: u64,
    /// The decisions of the walk on show, by run: read off the trace once, not every frame.
    decisions: std::cell::RefCell<Option<(u64, Vec<Decision>)>>,
}

impl Quiz {
    fn reset_run(&mut self, run: u64) {
        let on = self.on;
        *self = Quiz {
            on,
            run,
            ..Quiz::default()
        };
    }
}

/// The explanation of a decision with its real distances.
/// "a at 0.1, b at 0.2, …" for the first `n` of `cands`, and how many there are in all.
fn list(t: &mut String, cands: &[(PointId, f32)], n: usize) {
    for (i, (id, dist)) in cands.iter().take(n).enumerate() {
        let _ = write!(
            t,
            "{}{id} at {}",
            if i > 0 { ", " } else { "" },
            Dist(*dist)
        );
    }
    if cands.len() > n {
        let _ = write!(t, ", … ({} in all)", cands.len());
    }
}

/// The explanation of a decision with its real distances.
pub fn explain(d: &Decision) -> String {
    let mut t = String::new();
    if d.beam {
        let (word, rest) = match d.answer {
            Answer::Move(to) => (
                format!("The beam expands {to}"),
                "the closest candidate not yet expanded; its neighbours join the candidates if they beat the furthest kept.",
            ),
            _ => (
                "The beam stops".to_string(),
                "the closest candidate left is farther than the furthest of the ef kept: nothing can improve W.",
            ),
        };
        // The candidates in id order: by distance would hint at the next expansion.
        let mut ids: Vec<_> = d.candidates.clone();
        ids.sort_by_key(|c| c.0);
        let _ = write!(t, "{word}: {rest} Candidates: ");
        list(&mut t, &ids, 9);
        return t;
    }
    match d.answer {
        Answer::Move(to) => {
            let to_d = d.chosen().map_or(0.0, |c| c.1);
            let _ = write!(
                t,
                "From {} (at {}), the closest neighbour is {to} at {}, closer than {} itself, so the walk moves there. Neighbours: ",
                d.from,
                Dist(d.from_dist),
                Dist(to_d),
                d.from
            );
            list(&mut t, &d.candidates, 6);
        }
        Answer::Stop | Answer::Drop => {
            let _ = write!(
                t,
                "No neighbour of {} is closer than its {}",
                d.from,
                Dist(d.from_dist)
            );
            if d.candidates.is_empty() {
                t.push_str(if d.layer.is_some() {
                    " (it has no neighbour on this layer)"
                } else {
                    " (it has no neighbour to look at)"
                });
            } else {
                t.push_str(" (nearest first: ");
                list(&mut t, &d.candidates, 6);
                t.push(')');
            }
            t.push_str(if d.answer == Answer::Drop {
                ": the walk drops a layer and goes on from the same node."
            } else {
                ": the walk stops — a local minimum if the true nearest is elsewhere."
            });
        }
    }
    t
}

impl Session {
    /// Every decision of the walk on show. A greedy step's candidates are all the neighbours
    /// of the node it stands on (the trace holds those it computed; the ones visited before
    /// are added from the graph with their distances, since a student must weigh them too).
    pub fn decisions(&self) -> Vec<Decision> {
        let run = self.quiz_run();
        if let Some((r, ds)) = self.quiz.decisions.borrow().as_ref()
            && *r == run
        {
            return ds.clone();
        }
        let ds = self.read_decisions();
        *self.quiz.decisions.borrow_mut() = Some((run, ds.clone()));
        ds
    }

    fn read_decisions(&self) -> Vec<Decision> {
        let Some(trace) = self.scene().walk_trace() else {
            return Vec::new();
        };
        let mut ds = predict::decisions(trace);
        let Some(q) = trace.query.as_deref() else {
            return ds;
        };
        let shared = self.shared();
        for d in ds.iter_mut().filter(|d| !d.beam) {
            for (n, dist) in self.scene().neighbours_of(&shared, d.from, d.layer, q) {
                if n != d.from && !d.candidates.iter().any(|c| c.0 == n) {
                    d.candidates.push((n, dist));
                }
            }
            d.candidates
                .sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        }
        ds
    }

    /// Which run (trace) the quiz is on: a new search starts a new score.
    fn quiz_run(&self) -> u64 {
        // The walk itself: its length and its first and last events (another entry, seed or
        // insertion with as many events is still another walk).
        let walk = self.scene().walk_trace().map(|t| {
            let n = t.events.len();
            let ends: Vec<String> = t.events[..n.min(8)]
                .iter()
                .chain(&t.events[n.saturating_sub(8)..])
                .map(|e| format!("{e:?}"))
                .collect();
            (n, ends)
        });
        crate::scenes::key_of(&(
            self.scene_id(),
            walk,
            self.query.map(f32::to_bits),
            self.points.len(),
        ))
    }

    /// The decision the next step would carry out, if it has not been answered.
    fn decision_ahead(&self) -> Option<Decision> {
        let (player, steps) = self.scene().steps()?;
        let next = player.next_cursor(steps)?;
        self.decisions()
            .into_iter()
            .find(|d| d.at + 1 == next && !self.quiz.answered.contains(&d.at))
    }

    /// After a tick (which may play many steps at once): if it went past a decision not yet
    /// answered, back to just before the first such, paused, waiting for the answer.
    pub(super) fn quiz_catch_up(&mut self, before: usize) {
        if !self.quiz.on {
            return;
        }
        let now = self.cursor();
        let missed = self
            .decisions()
            .into_iter()
            .find(|d| d.at >= before && d.at < now && !self.quiz.answered.contains(&d.at));
        if let Some(d) = missed {
            self.command(Command::Pause);
            self.command(Command::SeekCursor(d.at));
            self.quiz.pending = Some(d);
        }
    }

    /// Turns predict-the-next-hop on or off (a fresh score either way).
    pub fn set_quiz(&mut self, on: bool) {
        let run = self.quiz_run();
        self.quiz.reset_run(run);
        self.quiz.on = on;
        if on {
            self.command(Command::Pause);
            self.quiz.pending = self.decision_ahead();
        }
    }

    /// One step forward; with the quiz on, a decision waits for the student's answer first.
    /// Returns whether the cursor moved.
    pub fn step_forward(&mut self) -> bool {
        if self.quiz.on {
            self.sync_quiz();
            if self.quiz.pending.is_some() {
                return false;
            }
            if let Some(d) = self.decision_ahead() {
                self.quiz.pending = Some(d);
                return false;
            }
        }
        let before = self.cursor();
        self.command(Command::StepForward);
        if self.quiz.on {
            self.quiz.pending = self.decision_ahead();
        }
        self.cursor() != before
    }

    /// Starts a new score when the walk changed under the quiz (new query, data, settings,
    /// scene), and drops a question that is no longer the one ahead.
    pub fn sync_quiz(&mut self) {
        if !self.quiz.on {
            self.quiz.pending = None;
            return;
        }
        let run = self.quiz_run();
        if run != self.quiz.run {
            self.quiz.reset_run(run);
        }
        if self.quiz.pending.is_some() {
            let ahead = self.decision_ahead();
            if ahead != self.quiz.pending {
                self.quiz.pending = ahead;
            }
        }
    }

    /// Shows the answer without grading it and carries the step out (a slide clicker cannot
    /// type a number).
    pub fn reveal(&mut self) -> Option<Feedback> {
        let d = self.quiz.pending.take()?;
        self.quiz.answered.push(d.at);
        let fb = Feedback {
            right: true,
            text: format!("Not graded. {}", explain(&d)),
        };
        self.quiz.feedback = Some(fb.clone());
        self.command(Command::StepForward);
        self.quiz.pending = self.decision_ahead();
        Some(fb)
    }

    /// Grades `g` against the decision waiting, explains it, and carries the step out.
    pub fn guess(&mut self, g: Guess) -> Option<Feedback> {
        let d = self.quiz.pending.take()?;
        let right = matches!(
            (g, d.answer),
            (Guess::Node(a), Answer::Move(b)) if a == b
        ) || matches!(
            (g, d.answer),
            // On an upper layer "no neighbour is closer" is both: the walk stops on this layer
            // and drops to the next.
            (Guess::Stop | Guess::Drop, Answer::Stop | Answer::Drop)
        );
        let said = match g {
            Guess::Node(id) => match d.candidates.iter().find(|c| c.0 == id) {
                Some(c) => format!("{id} (at {})", Dist(c.1)),
                None => format!("{id}, which is not among the candidates"),
            },
            Guess::Stop => "stop".into(),
            Guess::Drop => "drop a layer".into(),
        };
        let q = &mut self.quiz;
        q.tried += 1;
        if right {
            q.right += 1;
            q.streak += 1;
            q.best_streak = q.best_streak.max(q.streak);
        } else {
            q.streak = 0;
        }
        q.answered.push(d.at);
        let fb = Feedback {
            right,
            text: format!(
                "{} You said {said}. {}",
                if right { "Right." } else { "Not this time." },
                explain(&d)
            ),
        };
        q.feedback = Some(fb.clone());
        self.command(Command::StepForward);
        self.quiz.pending = self.decision_ahead();
        Some(fb)
    }

    /// The answer for candidate number `n` (1–9, as numbered on screen: by id) of the
    /// decision waiting.
    pub fn guess_number(&mut self, n: usize) -> Option<Feedback> {
        let id = self
            .quiz
            .pending
            .as_ref()?
            .numbered()
            .get(n.checked_sub(1)?)?
            .0;
        self.guess(Guess::Node(id))
    }

    /// A click on the canvas while a decision waits: the candidate under it, if any.
    pub fn quiz_click(&mut self, pos_in_world: [f32; 2], radius_in_world: f32) -> Option<Feedback> {
        let d = self.quiz.pending.as_ref()?;
        let shared = self.shared();
        let layer = d.layer;
        let hit = d
            .candidates
            .iter()
            .filter_map(|&(id, _)| {
                let p = self.scene().world_pos(&shared, id, layer)?;
                let dd = (p[0] - pos_in_world[0]).hypot(p[1] - pos_in_world[1]);
                (dd <= radius_in_world).then_some((dd, id))
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, id)| id);
        self.guess(Guess::Node(hit?))
    }

    /// "Why?": every neighbour distance of the decision just made, nearest first, with the
    /// one chosen marked. Nothing while a decision waits for the student (that would tell).
    pub fn why(&self) -> Option<String> {
        if self.quiz.pending.is_some() {
            return None;
        }
        let cursor = self.cursor();
        let d = self.decisions().into_iter().rev().find(|d| d.at < cursor)?;
        let mut t = format!("From {} (at {}):", d.from, Dist(d.from_dist));
        for (id, dist) in &d.candidates {
            let mark = if d.answer == Answer::Move(*id) {
                "  ← chosen"
            } else {
                ""
            };
            let _ = write!(t, "\n  {id} at {}{mark}", Dist(*dist));
        }
        let _ = write!(
            t,
            "\n{}",
            match d.answer {
                Answer::Move(to) => format!("→ moved to {to}"),
                Answer::Stop => "→ stopped: none closer".into(),
                Answer::Drop => "→ dropped a layer".into(),
            }
        );
        Some(t)
    }

    /// Where point `id` is drawn on the scene on show (layer 0 for layered scenes).
    pub fn world_pos(&self, id: PointId) -> Option<[f32; 2]> {
        self.scene().world_pos(&self.shared(), id, None)
    }

    /// The score line: "3 of 4 right, streak 2 (best 3)".
    pub fn quiz_score(&self) -> String {
        let q = &self.quiz;
        format!(
            "{} of {} right, streak {} (best {})",
            q.right, q.tried, q.streak, q.best_streak
        )
    }
}
