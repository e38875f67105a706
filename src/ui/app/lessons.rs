//! Lessons in the window: the list with progress (kept between sessions), the slide beside
//! the canvas (text, task with its check, hints, "show me", questions), back / reset / next,
//! and the instructor's tools: open a lesson file, save the state on show as a slide.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use egui::text::LayoutJob;
use egui::{Color32, FontId, RichText, TextFormat, Ui};

use super::App;
use crate::engine::PointId;
use crate::session::lesson::{self, CheckContext, Lesson, Question, Slide, SlideState};

/// Storage key of the lessons' progress.
pub const PROGRESS_KEY: &str = "ann-explorer-lesson-progress";

pub(super) const DONE: Color32 = Color32::from_rgb(60, 200, 110);
pub(super) const MISS: Color32 = Color32::from_rgb(240, 140, 40);

/// An answer given to a slide's question.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Given {
    Choice(usize),
    Node { id: PointId, right: bool },
}

/// The lessons' state in the window.
#[derive(Default)]
pub struct Lessons {
    /// The built-in lessons, then those opened from files; loaded on first use.
    pub list: Vec<Lesson>,
    loaded: bool,
    /// Lessons refused, in plain words (by name and slide).
    pub refused: Vec<String>,
    /// The list window is open.
    pub window: bool,
    /// (lesson, slide) on show.
    pub current: Option<(usize, usize)>,
    /// Slides done, by lesson id.
    pub progress: BTreeMap<String, BTreeSet<usize>>,
    /// Hints revealed on this slide.
    hints: usize,
    /// Answers given on this slide, by question.
    pub answers: Vec<Option<Given>>,
    /// A "click the node" question waiting for a click on the canvas.
    pub asking_node: Option<usize>,
    /// Where the slide put the query (a check can ask whether it moved).
    start_query: Option<[f32; 2]>,
    /// How much of the slide's demonstration a clicker has run on this visit.
    pub shown: super::clicker::Shown,
}

impl Lessons {
    /// Lessons already read (and checked), so a window need not read them again.
    pub fn preloaded(list: Vec<Lesson>) -> Self {
        Self {
            list,
            loaded: true,
            ..Self::default()
        }
    }

    fn ensure_loaded(&mut self) {
        if self.loaded {
            return;
        }
        let (ok, bad) = lesson::library();
        self.list = ok;
        self.refused = bad.iter().map(ToString::to_string).collect();
        self.loaded = true;
    }

    pub fn slide(&self) -> Option<(&Lesson, &Slide, usize)> {
        let (l, s) = self.current?;
        let lesson = self.list.get(l)?;
        Some((lesson, lesson.slides.get(s)?, s))
    }
}

/// A slide's text with its light markup: `*emphasis*` in italics, `` `code` `` in monospace.
pub fn rich_text(text: &str, size: f32, color: Color32) -> LayoutJob {
    let mut job = LayoutJob::default();
    let (mut italic, mut code) = (false, false);
    let mut run = String::new();
    let flush = |job: &mut LayoutJob, run: &mut String, italic: bool, code: bool| {
        if run.is_empty() {
            return;
        }
        let font = if code {
            FontId::monospace(size * 0.92)
        } else {
            FontId::proportional(size)
        };
        job.append(
            run,
            0.0,
            TextFormat {
                font_id: font,
                color,
                italics: italic,
                ..Default::default()
            },
        );
        run.clear();
    };
    for c in text.chars() {
        match c {
            '*' if !code => {
                flush(&mut job, &mut run, italic, code);
                italic = !italic;
            }
            '`' => {
                flush(&mut job, &mut run, italic, code);
                code = !code;
            }
            c => run.push(c),
        }
    }
    flush(&mut job, &mut run, italic, code);
    job
}

impl App {
    /// Opens the lessons window.
    pub fn show_lessons(&mut self) {
        self.lessons.ensure_loaded();
        self.lessons.window = true;
    }

    /// Opens slide `s` of lesson `l`: the session takes the slide's state.
    pub fn open_slide(&mut self, l: usize, s: usize) -> bool {
        self.lessons.ensure_loaded();
        let Some(slide) = self.lessons.list.get(l).and_then(|x| x.slides.get(s)) else {
            return false;
        };
        match slide.state.open(self.session.look) {
            Ok(m) => {
                self.lessons.answers = vec![None; slide.questions.len()];
                self.lessons.current = Some((l, s));
                self.lessons.hints = 0;
                self.lessons.shown = Default::default();
                self.clicker_waiting = false;
                self.lessons.asking_node = None;
                self.lessons.start_query = Some(m.query);
                self.session = m;
                // Undo starts at the slide: Ctrl+Z must not bring back another scene under it.
                self.history = Default::default();
                self.cached = None;
                self.fit_pending = true;
                self.view_touched = false;
                self.last_scene = Some(self.session.current_index());
                true
            }
            Err(e) => {
                self.files.fail(format!("slide not opened: {e}"));
                false
            }
        }
    }

    pub fn next_slide(&mut self) {
        if let Some((l, s)) = self.lessons.current {
            let n = self.lessons.list.get(l).map_or(0, |x| x.slides.len());
            if s + 1 < n {
                self.open_slide(l, s + 1);
            } else {
                self.files
                    .say("the last slide of this lesson: choose the next lesson in Lessons");
            }
        }
    }

    pub fn prev_slide(&mut self) {
        if let Some((l, s)) = self.lessons.current
            && s > 0
        {
            self.open_slide(l, s - 1);
        }
    }

    /// Whether the slide's task is done (its check holds) and whether the whole slide is (the
    /// task, and every question answered right); marks the slide done in the progress then.
    pub fn slide_done(&mut self) -> (bool, bool) {
        let Some((lesson, slide, s)) = self.lessons.slide() else {
            return (false, false);
        };
        let answered = slide.questions.iter().enumerate().all(|(i, q)| {
            match (q, self.lessons.answers.get(i).copied().flatten()) {
                (Question::Choice { choices, .. }, Some(Given::Choice(c))) => {
                    choices.get(c).is_some_and(|c| c.correct)
                }
                (Question::Node { .. }, Some(Given::Node { right, .. })) => right,
                _ => false,
            }
        });
        let cx = CheckContext {
            query: self.lessons.start_query,
            answered,
        };
        let task = slide
            .check
            .as_ref()
            .is_none_or(|c| c.holds(&self.session, &cx));
        let done = task && answered;
        if done {
            let id = lesson.id.clone();
            self.lessons.progress.entry(id).or_default().insert(s);
        }
        (task, done)
    }

    /// A click on the canvas while a "click the node" question waits: graded from the trace.
    pub fn lesson_click(&mut self, pos_in_world: [f32; 2], radius_in_world: f32) -> bool {
        let Some(q) = self.lessons.asking_node else {
            return false;
        };
        let Some(Question::Node { target, .. }) = self
            .lessons
            .slide()
            .and_then(|(_, s, _)| s.questions.get(q).cloned())
        else {
            self.lessons.asking_node = None;
            return false;
        };
        let m = &self.session;
        let shared_hit = m.points.ids().filter_map(|id| {
            let p = m.world_pos(id)?;
            let d = (p[0] - pos_in_world[0]).hypot(p[1] - pos_in_world[1]);
            (d <= radius_in_world).then_some((d, id))
        });
        let Some((_, id)) = shared_hit.min_by(|a, b| a.0.total_cmp(&b.0)) else {
            return false;
        };
        let right = target.node(m) == Some(id);
        if let Some(a) = self.lessons.answers.get_mut(q) {
            *a = Some(Given::Node { id, right });
        }
        self.lessons.asking_node = None;
        true
    }

    /// The slide beside the canvas.
    pub(super) fn lesson_panel(&mut self, ui: &mut Ui, size: f32) {
        let Some((lesson, slide, s)) = self.lessons.slide() else {
            return;
        };
        let (title, n, slide) = (lesson.title.clone(), lesson.slides.len(), slide.clone());
        let (task_done, done) = self.slide_done();
        let text_col = ui.visuals().strong_text_color();
        // Everything wraps to the panel: a narrow presenter panel must not push it wider.
        ui.horizontal_wrapped(|ui| {
            if ui
                .small_button("✖")
                .on_hover_text("Close the lesson")
                .clicked()
            {
                self.lessons.current = None;
            }
            let head = RichText::new(format!("{title} · {} / {n}", s + 1)).size(size * 0.85);
            ui.add(egui::Label::new(head).wrap());
        });
        ui.add(egui::Label::new(RichText::new(&slide.title).size(size * 1.3).strong()).wrap());
        let mut job = rich_text(&slide.text, size, text_col);
        job.wrap.max_width = ui.available_width();
        ui.add(egui::Label::new(job).wrap());
        if let Some(task) = &slide.task {
            egui::Frame::group(ui.style()).show(ui, |ui| {
                let (mark, col) = if task_done {
                    ("✔", DONE)
                } else {
                    ("○", MISS)
                };
                ui.label(
                    RichText::new(format!("{mark} Your task: {task}"))
                        .size(size)
                        .color(col),
                );
            });
        }
        self.questions(ui, &slide, size);
        ui.horizontal_wrapped(|ui| {
            if !slide.hints.is_empty() {
                let shown = self.lessons.hints.min(slide.hints.len());
                if shown < slide.hints.len()
                    && ui
                        .button(format!("💡 Hint ({}/{})", shown + 1, slide.hints.len()))
                        .clicked()
                {
                    self.lessons.hints += 1;
                }
            }
            if !slide.show.is_empty()
                && ui
                    .button("▶ Show me")
                    .on_hover_text("Do the task for me, step by step as the window would")
                    .clicked()
            {
                for a in &slide.show {
                    if let Err(e) = a.apply(&mut self.session) {
                        self.files.fail(format!("show me: {e}"));
                        break;
                    }
                }
            }
        });
        for h in slide.hints.iter().take(self.lessons.hints) {
            ui.label(RichText::new(format!("💡 {h}")).size(size * 0.9));
        }
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            if ui.add_enabled(s > 0, egui::Button::new("◀ Back")).clicked() {
                self.prev_slide();
            }
            if ui.button("⟲ Reset slide").clicked()
                && let Some((l, s)) = self.lessons.current
            {
                self.open_slide(l, s);
            }
            let next = if done { "Next ▶" } else { "Skip ▶" };
            if ui
                .add_enabled(s + 1 < n, egui::Button::new(next))
                .on_hover_text("PgDn at the end of the trace goes on too")
                .clicked()
            {
                self.next_slide();
            }
        });
        if s + 1 == n && done {
            ui.label(
                RichText::new("✔ The end of this lesson: the next one is in 📖 Lessons.")
                    .size(size * 0.9)
                    .color(DONE),
            );
        }
    }

    fn questions(&mut self, ui: &mut Ui, slide: &Slide, size: f32) {
        for (i, q) in slide.questions.iter().enumerate() {
            let given = self.lessons.answers.get(i).copied().flatten();
            match q {
                Question::Choice { ask, choices } => {
                    ui.label(RichText::new(format!("❓ {ask}")).size(size).strong());
                    for (k, c) in choices.iter().enumerate() {
                        let chosen = given == Some(Given::Choice(k));
                        if ui
                            .selectable_label(chosen, RichText::new(&c.text).size(size))
                            .clicked()
                            && let Some(a) = self.lessons.answers.get_mut(i)
                        {
                            *a = Some(Given::Choice(k));
                        }
                        if chosen {
                            let (word, col) = if c.correct {
                                ("Right.", DONE)
                            } else {
                                ("Not quite.", MISS)
                            };
                            ui.label(
                                RichText::new(format!("{word} {}", c.why))
                                    .size(size * 0.9)
                                    .color(col),
                            );
                        }
                    }
                }
                Question::Node { ask, why, .. } => {
                    ui.label(RichText::new(format!("❓ {ask}")).size(size).strong());
                    let waiting = self.lessons.asking_node == Some(i);
                    if ui
                        .selectable_label(
                            waiting,
                            if waiting {
                                "… now click the node on the canvas"
                            } else {
                                "Answer by clicking a node"
                            },
                        )
                        .clicked()
                    {
                        self.lessons.asking_node = (!waiting).then_some(i);
                    }
                    if let Some(Given::Node { id, right }) = given {
                        let (word, col) = if right {
                            ("Right", DONE)
                        } else {
                            ("Not this one", MISS)
                        };
                        ui.label(
                            RichText::new(format!("{word}: you chose {id}. {why}"))
                                .size(size * 0.9)
                                .color(col),
                        );
                    }
                }
            }
        }
    }

    /// The list of lessons with progress, and the refused ones by name.
    pub(super) fn lessons_window(&mut self, ctx: &egui::Context) {
        if !self.lessons.window {
            return;
        }
        let mut open = true;
        let mut chosen = None;
        // Never wider or taller than the window: the list scrolls, every line wraps.
        let screen = ctx.content_rect();
        let width = (screen.width() - 40.0).min(620.0);
        egui::Window::new("Lessons")
            .open(&mut open)
            .collapsible(false)
            .default_width(width)
            .max_width(width)
            .max_height(screen.height() - 60.0)
            .constrain(true)
            .show(ctx, |ui| {
                egui::ScrollArea::vertical()
                    .max_height(screen.height() - 160.0)
                    .show(ui, |ui| {
                        for (i, l) in self.lessons.list.iter().enumerate() {
                            let done = self.lessons.progress.get(&l.id).map_or(0, BTreeSet::len);
                            let mark = if done >= l.slides.len() { "✔" } else { "·" };
                            ui.horizontal_wrapped(|ui| {
                                ui.label(format!("{mark} {done}/{}", l.slides.len()));
                                if ui
                                    .link(RichText::new(&l.title).strong())
                                    .on_hover_text(&l.summary)
                                    .clicked()
                                {
                                    chosen = Some(i);
                                }
                            });
                            ui.add(egui::Label::new(RichText::new(&l.summary).small()).wrap());
                            ui.add_space(4.0);
                        }
                    });
                for r in &self.lessons.refused {
                    ui.add(egui::Label::new(RichText::new(format!("⚠ {r}")).color(MISS)).wrap());
                }
                ui.separator();
                ui.horizontal_wrapped(|ui| {
                    if ui.button("Open lesson file…").clicked() {
                        self.open_lesson_dialog();
                    }
                    if ui
                        .button("Reset progress")
                        .on_hover_text("Forget which slides are done")
                        .clicked()
                    {
                        self.lessons.progress.clear();
                    }
                });
            });
        if let Some(i) = chosen {
            // Resume at the first slide not yet done.
            let l = &self.lessons.list[i];
            let done = self.lessons.progress.get(&l.id);
            let first = (0..l.slides.len())
                .find(|s| done.is_none_or(|d| !d.contains(s)))
                .unwrap_or(0);
            self.open_slide(i, first);
            self.lessons.window = false;
        } else {
            self.lessons.window = open;
        }
    }

    pub(super) fn open_lesson_dialog(&mut self) {
        if let Some(p) = rfd::FileDialog::new()
            .add_filter("ANN Explorer lesson", &["json"])
            .pick_file()
        {
            self.open_lesson(&p);
        }
    }

    /// Opens a lesson file (it joins the list); a refused one is said by name and slide.
    pub fn open_lesson(&mut self, path: &Path) -> bool {
        self.lessons.ensure_loaded();
        match Lesson::load(path) {
            Ok(l) => {
                let i = match self.lessons.list.iter().position(|x| x.id == l.id) {
                    Some(i) => {
                        self.lessons.list[i] = l;
                        i
                    }
                    None => {
                        self.lessons.list.push(l);
                        self.lessons.list.len() - 1
                    }
                };
                self.files.say(format!("opened lesson {}", path.display()));
                self.open_slide(i, 0)
            }
            Err(e) => {
                self.files.fail(e.to_string());
                self.lessons.refused.push(e.to_string());
                false
            }
        }
    }

    /// Opens a lesson by id, number or file, at `slide` (from 1): for the command line.
    pub fn open_lesson_named(&mut self, name: &str, slide: usize) -> Result<(), String> {
        self.lessons.ensure_loaded();
        let path = Path::new(name);
        let i = if path.is_file() {
            if !self.open_lesson(path) {
                return Err(self.lessons.refused.last().cloned().unwrap_or_default());
            }
            self.lessons.current.map_or(0, |c| c.0)
        } else {
            self.lessons
                .list
                .iter()
                .position(|l| l.answers_to(name))
                .ok_or_else(|| {
                    format!("there is no lesson '{name}' (`ann-explorer lessons` lists them)")
                })?
        };
        let n = self.lessons.list[i].slides.len();
        let s = slide
            .checked_sub(1)
            .filter(|s| *s < n)
            .ok_or_else(|| format!("lesson '{name}' has slides 1 … {n}, not {slide}"))?;
        if self.open_slide(i, s) {
            Ok(())
        } else {
            Err(self
                .files
                .status
                .as_ref()
                .map(|s| s.text.clone())
                .unwrap_or_default())
        }
    }

    /// Appends the state on show as a slide to a lesson file (made if it does not exist).
    pub fn save_slide_to(&mut self, path: &Path) -> Result<usize, String> {
        let id = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "lesson".into());
        let mut lesson = if path.exists() {
            Lesson::load(path).map_err(|e| e.to_string())?
        } else {
            Lesson {
                version: lesson::LESSON_VERSION,
                id,
                title: "A new lesson".into(),
                summary: String::new(),
                slides: Vec::new(),
            }
        };
        let n = self.session.narration();
        lesson.slides.push(Slide {
            title: n.title,
            text: n.text,
            state: SlideState::from_session(&self.session),
            task: None,
            check: None,
            hints: Vec::new(),
            show: Vec::new(),
            questions: Vec::new(),
        });
        crate::session::scene_file::write_atomic(path, lesson.to_json().as_bytes())
            .map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(lesson.slides.len())
    }

    pub(super) fn save_slide_dialog(&mut self) {
        if let Some(p) = rfd::FileDialog::new()
            .add_filter("ANN Explorer lesson", &["json"])
            .set_file_name("my-lesson.json")
            .save_file()
        {
            match self.save_slide_to(&p) {
                Ok(n) => self
                    .files
                    .say(format!("slide {n} saved to {}", p.display())),
                Err(e) => self.files.fail(format!("slide not saved: {e}")),
            }
        }
    }
}
