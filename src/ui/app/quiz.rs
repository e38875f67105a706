//! Predict the next hop in the window: the switch (P), the question with its numbered
//! candidates (keys 1–9, S stop, D drop a layer, or a click on the node), the verdict with
//! the real distances, the score, and "why?" for every step.

use egui::{Color32, Key, RichText, Ui};

use super::App;
use crate::session::quiz::Guess;
use crate::trace::player::Command;

const RIGHT: Color32 = Color32::from_rgb(60, 200, 110);
const WRONG: Color32 = Color32::from_rgb(240, 140, 40);

impl App {
    /// Whether the scene on show has a greedy walk to predict.
    pub(super) fn can_predict(&self) -> bool {
        self.session.scene().walk_trace().is_some()
    }

    /// One step forward: the quiz may hold it for an answer. From a slide clicker (PgDn, ".")
    /// at the end of a lesson slide's trace, the next slide.
    pub(super) fn step_forward(&mut self, clicker: bool) {
        self.session.sync_quiz();
        let at_end = self.session.position().0 == self.session.position().1;
        if clicker
            && at_end
            && self.lessons.current.is_some()
            && self.session.quiz.pending.is_none()
        {
            self.next_slide();
            return;
        }
        self.session.step_forward();
    }

    /// A command from the keys or the transport, with forward steps through the quiz.
    pub(super) fn run(&mut self, cmd: Command) {
        match cmd {
            Command::StepForward => self.step_forward(false),
            c => self.session.command(c),
        }
    }

    /// The quiz's keys; true when one was used (it then shadows the scene keys 1–5).
    pub(super) fn quiz_keys(&mut self, ui: &Ui) -> bool {
        let pressed = |k: Key| ui.input(|i| i.key_pressed(k));
        if pressed(Key::P) && self.can_predict() {
            let on = !self.session.quiz.on;
            self.session.set_quiz(on);
            return true;
        }
        let digits = [
            Key::Num1,
            Key::Num2,
            Key::Num3,
            Key::Num4,
            Key::Num5,
            Key::Num6,
            Key::Num7,
            Key::Num8,
            Key::Num9,
        ];
        let Some(d) = self.session.quiz.pending.as_ref() else {
            // With predictions on, a digit is an answer, never a jump to another scene.
            return self.session.quiz.on && digits.iter().any(|k| pressed(*k));
        };

        if let Some(n) = digits.iter().position(|k| pressed(*k)) {
            if n < d.numbered().len() {
                self.session.guess_number(n + 1);
            }
            return true;
        }
        if pressed(Key::S) {
            self.session.guess(Guess::Stop);
            return true;
        }
        if pressed(Key::D) && d.layer.is_some() {
            self.session.guess(Guess::Drop);
            return true;
        }
        false
    }

    /// The quiz box: the switch, the question, the verdict, the score and "why?".
    pub(super) fn quiz_box(&mut self, ui: &mut Ui, size: f32) {
        if !self.can_predict() {
            return;
        }
        let mut on = self.session.quiz.on;
        if ui
            .checkbox(
                &mut on,
                RichText::new("🎯 Predict the next hop (P)").size(size),
            )
            .on_hover_text(
                "Before each move the walk waits: click the node it goes to, press its number, \
                 S for stop, D for drop a layer",
            )
            .changed()
        {
            self.session.set_quiz(on);
        }
        if self.session.quiz.on {
            self.quiz_question(ui, size);
        }
        // Worked out only while open (not every frame).
        egui::CollapsingHeader::new(RichText::new("Why? Every neighbour's distance").size(size))
            .id_salt("quiz-why")
            .show(ui, |ui| {
                let why = self.session.why().unwrap_or_else(|| {
                    if self.session.quiz.pending.is_some() {
                        "(after your answer)".into()
                    } else {
                        "(no step taken yet)".into()
                    }
                });
                ui.label(RichText::new(why).monospace().size(size * 0.9));
            });
    }

    fn quiz_question(&mut self, ui: &mut Ui, size: f32) {
        self.session.sync_quiz();
        if let Some(d) = self.session.quiz.pending.clone() {
            let on_layer = d.layer.map_or(String::new(), |l| format!(" on layer {l}"));
            let ask = if d.beam {
                format!(
                    "Your turn: which candidate does the beam expand next{on_layer}? (S if it stops)"
                )
            } else {
                format!(
                    "Your turn: the walk is at {}{on_layer}. Where does it go next?",
                    d.from
                )
            };
            ui.label(RichText::new(ask).size(size).strong());
            if d.candidates.len() > 9 {
                ui.label(
                    RichText::new(format!(
                        "The nine nearest of its {} candidates are offered.",
                        d.candidates.len()
                    ))
                    .size(size * 0.85),
                );
            }
            let mut guess = None;
            ui.horizontal_wrapped(|ui| {
                for (i, (id, _)) in d.numbered().iter().enumerate().take(9) {
                    if ui
                        .button(RichText::new(format!("[{}] node {id}", i + 1)).size(size))
                        .clicked()
                    {
                        guess = Some(Guess::Node(*id));
                    }
                }
                if ui
                    .button(RichText::new("S: stop here").size(size))
                    .on_hover_text("No neighbour is closer: a local minimum")
                    .clicked()
                {
                    guess = Some(Guess::Stop);
                }
                if d.layer.is_some()
                    && ui
                        .button(RichText::new("D: drop a layer").size(size))
                        .clicked()
                {
                    guess = Some(Guess::Drop);
                }
            });
            if let Some(g) = guess {
                self.session.guess(g);
            }
        } else if self.session.position().0 < self.session.position().1 {
            let cursor = self.session.cursor();
            let left = self.session.decisions().iter().any(|d| d.at >= cursor);
            ui.label(
                RichText::new(if left {
                    "Step (→) to the next decision."
                } else {
                    "No decision left on this walk: step (→) to its answer."
                })
                .size(size),
            );
        }
        if let Some(fb) = &self.session.quiz.feedback {
            ui.label(RichText::new(&fb.text).size(size).color(if fb.right {
                RIGHT
            } else {
                WRONG
            }));
        }
        let (step, last) = self.session.position();
        let score = self.session.quiz_score();
        if step == last && self.session.quiz.tried > 0 {
            ui.label(
                RichText::new(format!("Run over: {score}."))
                    .size(size)
                    .strong(),
            );
        } else {
            ui.label(RichText::new(score).size(size));
        }
    }
}
