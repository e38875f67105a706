//! Presenter mode's side panel, laid out for the room it has: nothing scrolls on stage, so
//! every part is set to fit — the slide's head and task, the counters, the pseudocode around
//! the current line, then the slide's text and questions as far as there is room. A part that
//! does not fit is shortened (its whole text on hover) or left for the next part; nothing is
//! cut at an edge.

use egui::text::LayoutJob;
use egui::{Color32, FontId, Ui};

use super::App;
use super::lessons::{DONE, MISS};
use super::panels::{code_line, space_width};

/// Text sizes of the presenter panel, in points (18 px and more at the presenter zoom).
const BODY: f32 = 14.0;
const CODE: f32 = 12.0;

/// A label of at most `max_rows` rows of the room's width, shortened with "…" (the whole
/// text on hover).
pub(super) fn fitted(ui: &mut Ui, text: &str, font: FontId, color: Color32, max_rows: usize) {
    if max_rows == 0 {
        return;
    }
    let mut job = LayoutJob::simple(text.to_owned(), font, color, ui.available_width());
    job.wrap.max_rows = max_rows;
    job.wrap.overflow_character = Some('…');
    let galley = ui.painter().layout_job(job);
    let cut = galley.elided;
    let resp = ui.add(egui::Label::new(galley));
    if cut {
        resp.on_hover_text(text);
    }
}

/// How many rows of `font` the room left holds.
pub(super) fn rows_left(ui: &Ui, font: &FontId) -> usize {
    let row = ui.fonts_mut(|f| f.row_height(font)) + ui.spacing().item_spacing.y;
    ((ui.available_height() - 2.0) / row).floor().max(0.0) as usize
}

/// The rows a line of pseudocode takes at the room's width, under its indentation.
fn rows_of(ui: &Ui, line: &str, font: &FontId, space: f32) -> usize {
    let body = line.trim_start();
    let indent = indent_of(ui, line, space);
    let g = ui.painter().layout(
        body.to_owned(),
        font.clone(),
        Color32::WHITE,
        ui.available_width() - indent,
    );
    g.rows.len().max(1)
}

/// A line of pseudocode's indentation, at most 30 % of the room.
fn indent_of(ui: &Ui, line: &str, space: f32) -> f32 {
    let n = line.chars().count() - line.trim_start().chars().count();
    (n as f32 * space).min(ui.available_width() * 0.3)
}

impl App {
    /// Presenter mode's side panel.
    pub(super) fn presenter_panel(&mut self, ui: &mut Ui) {
        let strong = ui.visuals().strong_text_color();
        let body = FontId::proportional(BODY);
        if self.session.quiz.on {
            self.quiz_box(ui, BODY);
            ui.separator();
        }
        let slide = self.lessons.slide().map(|(l, s, i)| {
            (
                format!("{} · {} / {}", l.title, i + 1, l.slides.len()),
                s.clone(),
            )
        });
        if let Some((head, slide)) = &slide {
            let (task_done, _) = self.slide_done();
            ui.horizontal(|ui| {
                if ui
                    .small_button("✖")
                    .on_hover_text("Close the lesson")
                    .clicked()
                {
                    self.lessons.current = None;
                }
                fitted(ui, head, FontId::proportional(BODY * 0.85), strong, 1);
            });
            fitted(
                ui,
                &slide.title,
                FontId::proportional(BODY * 1.2),
                strong,
                2,
            );
            if let Some(task) = &slide.task {
                let (mark, col) = if task_done {
                    ("✔", DONE)
                } else {
                    ("○", MISS)
                };
                fitted(ui, &format!("{mark} {task}"), body.clone(), col, 3);
            }
            ui.separator();
        }
        // The scene's alert (a local minimum's remedies), then the counters.
        let r = self.with_panel(|p, sh| p.alert(ui, sh, true));
        self.react(r);
        let counters = self.session.counters();
        for c in &counters {
            let text = format!("{}: {}", c.label, c.value);
            let font = FontId::proportional(BODY);
            if rows_left(ui, &font) < 1 {
                break;
            }
            let col = if c.strong {
                strong
            } else {
                ui.visuals().text_color()
            };
            fitted(ui, &text, font, col, 1);
        }
        ui.separator();
        self.presenter_code(ui);
        // The slide's text and questions with the room that is left.
        if let Some((_, slide)) = &slide {
            let rows = rows_left(ui, &body);
            if rows >= 2 {
                ui.separator();
                let text = slide.text.replace(['*', '`'], "");
                fitted(ui, &text, body.clone(), ui.visuals().text_color(), rows - 1);
            }
            if rows_left(ui, &body) >= 2 {
                self.presenter_questions(ui, slide);
            }
        }
    }

    /// The pseudocode's current line and its neighbours, as many lines as fit; each wraps
    /// between words under its own indentation.
    fn presenter_code(&mut self, ui: &mut Ui) {
        let font = FontId::monospace(CODE);
        let line = self.session.narration().line;
        let code = self.session.scene().pseudocode();
        if code.is_empty() {
            return;
        }
        let cur = line.unwrap_or(0).min(code.len() - 1);
        let space = space_width(ui, &font);
        // Lines nearest the current one first, until the room is used.
        let mut shown = vec![cur];
        let room = rows_left(ui, &font).saturating_sub(1);
        let mut used = rows_of(ui, code[cur], &font, space);
        let (mut lo, mut hi) = (cur, cur);
        loop {
            let mut grew = false;
            for next in [hi + 1, lo.wrapping_sub(1)] {
                if next < code.len() && !shown.contains(&next) {
                    let r = rows_of(ui, code[next], &font, space);
                    if used + r <= room {
                        used += r;
                        shown.push(next);
                        lo = lo.min(next);
                        hi = hi.max(next);
                        grew = true;
                    }
                }
            }
            if !grew {
                break;
            }
        }
        if used > room {
            // Not even the current line fits: say where the code is instead.
            return;
        }
        shown.sort_unstable();
        for i in shown {
            let l = code[i];
            code_line(
                ui,
                l.trim_start(),
                &font,
                indent_of(ui, l, space),
                line == Some(i),
            );
        }
    }

    /// The slide's questions, as far as there is room: the question and its choices.
    fn presenter_questions(&mut self, ui: &mut Ui, slide: &crate::session::lesson::Slide) {
        use crate::session::lesson::Question;
        let font = FontId::proportional(BODY * 0.9);
        for q in &slide.questions {
            let ask = match q {
                Question::Choice { ask, .. } | Question::Node { ask, .. } => ask,
            };
            if rows_left(ui, &font) < 2 {
                return;
            }
            fitted(
                ui,
                &format!("❓ {ask}"),
                font.clone(),
                ui.visuals().strong_text_color(),
                2,
            );
        }
    }
}
