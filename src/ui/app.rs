//! The egui application: the shared data and the scene's controls on the left, the canvas in
//! the middle, narration, pseudocode, counters and the scene's tables on the right, the
//! transport at the bottom. Everything scene-specific comes from the scene through the
//! session; this file only lays it out.

mod canvas_input;
pub mod clicker;
pub mod export;
pub mod files;
mod help;
pub mod lessons;
mod panels;
mod presenter;
mod quiz;
mod undo;

use egui::{Color32, Key, RichText, Ui};

use super::canvas::View;
use crate::engine::Level;
use crate::render::{Look, Palette, Style};
use crate::scenes::{REGISTRY, SceneAction};
use crate::session::Session;
use crate::session::scene_file::SceneFile;
use crate::trace::player::Command;

pub use help::KEYS;

/// Where eframe keeps the recent files, and the session (as a scene file).
const RECENT_KEY: &str = "recent_files";
const SESSION_KEY: &str = "session";

/// Presenter caption sizes, in points.
pub const CAPTION_TITLE: f32 = 26.0;
pub const CAPTION_BODY: f32 = 20.0;
/// The smallest the presenter caption's body is set (18 px at presenter mode's zoom of 1.5).
pub const CAPTION_MIN: f32 = 12.0;

/// The presenter caption's body colour: the theme's strongest text colour.
pub fn caption_body_color(visuals: &egui::Visuals) -> Color32 {
    visuals.strong_text_color()
}

/// The width the top bar's quick controls need (theme, presenter, colour-blind safe, keys).
const QUICK_CONTROLS_WIDTH: f32 = 560.0;

const RED: Color32 = Color32::from_rgb(230, 60, 60);

/// The explorer window.
pub struct App {
    /// Presenter mode: larger UI, thicker strokes, high contrast, narration as a caption.
    pub presenter: bool,
    fullscreen: bool,
    /// The scene on show last frame (switching between spaces refits the view).
    last_scene: Option<usize>,
    pub session: Session,
    view: Option<View>,
    fit_pending: bool,
    /// The canvas size at the last fit, and whether the user has panned or zoomed since:
    /// an untouched view refits when the canvas changes size (window, presenter mode).
    fitted_size: egui::Vec2,
    /// The legend strip's height when the view was fitted (a taller legend refits).
    fitted_legend: crate::render::LegendRoom,
    /// The scene's layout shape when the view was fitted (a new HNSW layout refits).
    fitted_aspect: f32,
    view_touched: bool,
    dragging_query: bool,
    /// The query before the last plain click: a double-click (fit) puts it back.
    query_before_click: Option<([f32; 2], Vec<f32>)>,
    show_help: bool,
    /// A message that must not be missed (e.g. the scene file named on the command line could
    /// not be opened), shown over the window until dismissed.
    pub alert: Option<String>,
    /// Whether the fonts (with their fallbacks) are installed in the context.
    fonts_set: bool,
    /// Undo and redo.
    pub history: crate::session::history::History,
    /// The legend strip under the canvas (L toggles it: room on a small projector).
    pub legend: bool,
    cached: Option<(u64, crate::render::Frame)>,
    style: Style,
    /// Scene files, recent files, exports and screenshots.
    pub files: files::Files,
    /// Lessons: the list, the slide on show, progress.
    pub lessons: lessons::Lessons,
    /// A clicker's "next" pressed while work ran: carried out when it ends.
    pub clicker_waiting: bool,
    /// The beat cursors of the trace on show, by (frame key, budget): see
    /// [`App::beat_position`].
    beat_cache: std::cell::RefCell<Option<clicker::BeatCache>>,
}

impl App {
    /// The window on a session.
    pub fn new(session: Session) -> Self {
        Self {
            session,
            view: None,
            fit_pending: true,
            fitted_size: egui::Vec2::ZERO,
            fitted_legend: crate::render::LegendRoom::none(),
            fitted_aspect: 0.0,
            view_touched: false,
            presenter: false,
            fullscreen: false,
            last_scene: None,
            dragging_query: false,
            query_before_click: None,
            show_help: false,
            alert: None,
            fonts_set: false,
            history: Default::default(),
            legend: true,
            cached: None,
            style: Style::default(),
            files: files::Files::default(),
            lessons: lessons::Lessons::default(),
            clicker_waiting: false,
            beat_cache: Default::default(),
        }
    }

    /// A window on a new session showing the scene with this id.
    pub fn on_scene(id: &str) -> Self {
        Self::new(Session::new(id))
    }

    /// For eframe: restores the last session (kept as a scene file).
    pub fn from_creation_context(cc: &eframe::CreationContext<'_>) -> Self {
        let session = cc
            .storage
            .and_then(|s| s.get_string(SESSION_KEY))
            .and_then(|text| SceneFile::parse(&text).ok())
            .and_then(|f| f.build().ok())
            .unwrap_or_else(|| Session::new("nsw-construction"));
        let mut app = Self::new(session);
        app.files.recent = cc
            .storage
            .and_then(|s| eframe::get_value(s, RECENT_KEY))
            .unwrap_or_default();
        app.lessons.progress = cc
            .storage
            .and_then(|s| eframe::get_value(s, lessons::PROGRESS_KEY))
            .unwrap_or_default();
        app.apply_theme(&cc.egui_ctx);
        app
    }

    /// For eframe: opens on the given session (from the command line).
    pub fn with_session(cc: &eframe::CreationContext<'_>, session: Session) -> Self {
        let app = Self::new(session);
        app.apply_theme(&cc.egui_ctx);
        app
    }

    fn apply_theme(&self, ctx: &egui::Context) {
        ctx.set_theme(if self.session.look.dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
    }

    fn regenerate(&mut self) {
        self.session.regenerate();
        self.fit_pending = true;
    }

    /// Shows the scene at this registry position.
    pub fn select(&mut self, i: usize) {
        if let Some(e) = REGISTRY.get(i) {
            self.session.select(e.info.id);
        }
    }

    /// Keys, unless a text field has the keyboard.
    fn keyboard(&mut self, ui: &mut Ui) {
        self.file_keys(ui);
        self.undo_keys(ui);
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let pressed = |k: Key| ui.input(|i| i.key_pressed(k));
        let typed_question = ui.input(|i| {
            i.events
                .iter()
                .any(|e| matches!(e, egui::Event::Text(t) if t == "?"))
        });
        if self.quiz_keys(ui) {
            return;
        }
        // A slide clicker cannot type a number: its "next" shows the answer and goes on.
        let next = pressed(Key::PageDown) || pressed(Key::Period);
        let back = pressed(Key::PageUp) || pressed(Key::B);
        if self.by_beats() {
            // Presenter mode and lessons: the clicker moves by beats.
            if next {
                self.clicker_next();
            } else if back {
                self.clicker_back();
            }
        } else if self.session.quiz.pending.is_some() && next {
            self.session.reveal();
            return;
        } else if next {
            self.step_forward(true);
        } else if back {
            self.run(Command::StepBack);
        }
        for (k, cmd) in [
            (Key::Space, Command::TogglePlay),
            (Key::ArrowRight, Command::StepForward),
            (Key::ArrowLeft, Command::StepBack),
            (Key::Home, Command::First),
            (Key::End, Command::Last),
        ] {
            if pressed(k) {
                self.run(cmd);
            }
        }
        if pressed(Key::F) {
            self.toggle_detail();
        }
        if pressed(Key::R) {
            // A scene with data of its own (the scaling lab) runs its experiment instead.
            if self.session.scene().uses_shared_data() {
                self.regenerate();
            } else {
                self.session.action(SceneAction::Run);
            }
        }
        if pressed(Key::V) && self.session.action(SceneAction::NextView).is_some() {
            self.fit_pending = true;
        }
        if pressed(Key::E) {
            self.session.action(SceneAction::Random);
        }
        if pressed(Key::I) {
            self.session.action(SceneAction::Insert);
        }
        // Each scene's own key, from the registry.
        for (i, e) in REGISTRY.iter().enumerate() {
            if Key::from_name(&e.info.key.to_string()).is_some_and(pressed) {
                self.select(i);
            }
        }
        if pressed(Key::L) {
            self.toggle_legend();
        }
        if pressed(Key::F5) {
            self.toggle_presenter(ui.ctx());
        }
        if pressed(Key::F11) {
            self.set_fullscreen(ui.ctx(), !self.fullscreen);
        }
        if pressed(Key::T) {
            self.set_dark(ui.ctx(), !self.session.look.dark);
        }
        if pressed(Key::H) || typed_question {
            self.show_help = !self.show_help;
        }
        if pressed(Key::Escape) {
            self.show_help = false;
            if self.presenter {
                self.toggle_presenter(ui.ctx());
            }
            if self.fullscreen {
                self.set_fullscreen(ui.ctx(), false);
            }
        }
    }

    fn set_fullscreen(&mut self, ctx: &egui::Context, on: bool) {
        self.fullscreen = on;
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(on));
    }

    /// Light or dark, for the canvas (its cached frame is keyed by the theme) and the widgets.
    fn set_dark(&mut self, ctx: &egui::Context, dark: bool) {
        self.session.look.dark = dark;
        self.apply_theme(ctx);
    }

    /// Enters or leaves presenter mode.
    pub fn toggle_presenter(&mut self, ctx: &egui::Context) {
        self.presenter = !self.presenter;
        ctx.set_zoom_factor(if self.presenter { 1.5 } else { 1.0 });
        self.style = if self.presenter {
            Style::presenter()
        } else {
            Style::default()
        };
        self.cached = None;
        self.fit_pending = true;
    }

    /// Shows or hides the legend strip (the view refits to the room there is).
    pub fn toggle_legend(&mut self) {
        self.legend = !self.legend;
        if !self.view_touched {
            self.fit_pending = true;
        }
    }

    /// How the canvas looks now; exports use the same.
    pub fn look(&self) -> Look {
        self.session.look.look(self.presenter)
    }

    fn palette(&self) -> Palette {
        self.look().palette()
    }

    fn toggle_detail(&mut self) {
        let d = match self.session.detail() {
            Level::Coarse => Level::Fine,
            Level::Fine => Level::Coarse,
        };
        self.session.command(Command::SetDetail(d));
    }

    /// Draws the whole window into `ui` (also what the tests drive).
    pub fn show(&mut self, ui: &mut Ui) {
        if !self.fonts_set {
            ui.ctx().set_fonts(super::font_definitions());
            self.fonts_set = true;
        }
        // A question from a walk no longer on show (another scene, query or setting) goes.
        self.session.sync_quiz();
        self.keyboard(ui);
        let scene = self.session.current_index();
        if let Some(last) = self.last_scene
            && last != scene
            && (REGISTRY[last].info.own_space || REGISTRY[scene].info.own_space)
        {
            self.fit_pending = true;
        }
        self.last_scene = Some(scene);
        self.clicker_poll();
        let dt = ui.input(|i| i.stable_dt).min(0.1);
        if self.session.tick(dt) || self.session.playing() {
            ui.ctx().request_repaint();
        }

        egui::Panel::top("top").show(ui, |ui| self.top_bar(ui));
        egui::Panel::bottom("transport").show(ui, |ui| {
            let beats = self.by_beats().then(|| self.beat_position());
            if let Some(cmd) = super::transport::transport(ui, &self.session, beats) {
                self.run(cmd);
            }
        });
        if self.presenter {
            // A caption of fixed height: the canvas holds still from one step to the next.
            let caption = App::caption_height(ui.ctx().content_rect().height());
            egui::Panel::bottom("caption")
                .resizable(false)
                .exact_size(caption)
                .show(ui, |ui| self.caption(ui));
            // A projector is small: the essentials take at most 28 % of the width.
            let width = ui.ctx().content_rect().width();
            // Of fixed width: nothing it shows can push the canvas aside.
            egui::Panel::right("essentials")
                .resizable(false)
                .exact_size((width * 0.28).min(380.0))
                .show(ui, |ui| self.presenter_panel(ui));
        } else {
            // With a lesson open, the slide takes the left panel and the scene's settings fold
            // under it: two side panels, so a small screen keeps its canvas.
            let lesson = self.lessons.current.is_some();
            // Side panels in proportion to the window, so a 1024-wide screen keeps a canvas.
            let width = ui.ctx().content_rect().width();
            egui::Panel::left("params")
                .resizable(true)
                .default_size(if lesson { 330.0f32 } else { 270.0 }.min(width * 0.26))
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        if lesson {
                            self.lesson_panel(ui, 15.0);
                            ui.separator();
                            egui::CollapsingHeader::new("Data and settings")
                                .default_open(false)
                                .show(ui, |ui| self.left_panel(ui));
                        } else {
                            self.left_panel(ui);
                        }
                    });
                });
            egui::Panel::right("narration")
                .resizable(true)
                .default_size(440.0f32.min(width * 0.3))
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| self.right_panel(ui));
                });
        }
        egui::CentralPanel::default().show(ui, |ui| self.canvas(ui));
        if self.show_help {
            self.help_window(ui);
        }
        self.lessons_window(ui.ctx());
        self.alert_window(ui);
        self.poll_export();
        let ctx = ui.ctx().clone();
        self.export_window(&ctx);
        // What the user changed this frame becomes a step that can be undone (only input
        // changes the session: frames without any skip the comparison).
        if !self.history.has_seen() || ui.input(|i| !i.events.is_empty()) {
            self.history.observe(&self.session);
        }
    }

    fn top_bar(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            self.file_menu(ui);
            self.edit_menu(ui);
            self.view_menu(ui);
            ui.heading("ANN Explorer");
            // On a small projector the button keeps only its icon.
            let lessons = if ui.ctx().content_rect().width() >= 1100.0 {
                "📖 Lessons"
            } else {
                "📖"
            };
            if ui
                .button(lessons)
                .on_hover_text("Lessons: guided, one slide at a time, with tasks and questions")
                .clicked()
            {
                self.show_lessons();
            }
            ui.separator();
            let current = self.session.current_index();
            // Tabs when they fit with room left for the presenter button and the status; on
            // a small projector (or with many scenes) one menu holds them.
            let tabs_at = |size: f32| -> f32 {
                REGISTRY
                    .iter()
                    .map(|e| {
                        ui.painter()
                            .layout_no_wrap(
                                e.info.name.to_string(),
                                egui::FontId::proportional(size),
                                egui::Color32::WHITE,
                            )
                            .size()
                            .x
                            + ui.spacing().item_spacing.x
                            + 2.0 * ui.spacing().button_padding.x
                    })
                    .sum()
            };
            // The largest tab text that fits (16 points, else 14).
            let tab_size = [16.0, 14.0]
                .into_iter()
                .find(|&size| ui.available_width() - tabs_at(size) >= 160.0);
            if let Some(tab_size) = tab_size.filter(|_| ui.ctx().content_rect().width() >= 1100.0) {
                for (i, e) in REGISTRY.iter().enumerate() {
                    if ui
                        .selectable_label(i == current, RichText::new(e.info.name).size(tab_size))
                        .on_hover_text(format!(
                            "{} (key {})\n{}",
                            e.info.name, e.info.key, e.info.blurb
                        ))
                        .clicked()
                    {
                        self.select(i);
                    }
                }
            } else {
                ui.menu_button(
                    RichText::new(format!("{} ⏷", REGISTRY[current].info.name)).size(16.0),
                    |ui| {
                        for (i, e) in REGISTRY.iter().enumerate() {
                            if ui
                                .selectable_label(i == current, e.info.name)
                                .on_hover_text(format!("key {}: {}", e.info.key, e.info.blurb))
                                .clicked()
                            {
                                self.select(i);
                                ui.close();
                            }
                        }
                    },
                );
            }
            ui.separator();
            // The quick controls when they fit; on a small projector only the presenter
            // toggle stays, the rest are in the View menu (theme, colour-blind safe, keys).
            let room = ui.available_width();
            if room >= QUICK_CONTROLS_WIDTH {
                self.quick_controls(ui);
            } else {
                self.presenter_button(ui);
            }
            ui.separator();
            self.status_line(ui);
        });
    }

    /// Theme, presenter, colour-blind safe and keys, as buttons in the top bar.
    fn quick_controls(&mut self, ui: &mut Ui) {
        let theme_label = if self.session.look.dark {
            "☀ Light"
        } else {
            "🌙 Dark"
        };
        if ui
            .button(theme_label)
            .on_hover_text("Switch theme (T)")
            .clicked()
        {
            self.set_dark(ui.ctx(), !self.session.look.dark);
        }
        self.presenter_button(ui);
        ui.checkbox(&mut self.session.look.okabe_ito, "colour-blind safe")
            .on_hover_text("Okabe–Ito colours; every colour is also a shape or a label");
        if ui
            .button("⌨ Keys")
            .on_hover_text("Keyboard map (H or ?)")
            .clicked()
        {
            self.show_help = !self.show_help;
        }
    }

    fn presenter_button(&mut self, ui: &mut Ui) {
        let present = if self.presenter {
            "⏹ Leave presenter"
        } else {
            "🎦 Present"
        };
        if ui
            .button(present)
            .on_hover_text("Presenter mode: big type, thick strokes, high contrast (F5; Esc leaves; F11 full screen)")
            .clicked()
        {
            self.toggle_presenter(ui.ctx());
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        storage.set_string(SESSION_KEY, self.scene_file().to_json());
        eframe::set_value(storage, RECENT_KEY, &self.files.recent);
        eframe::set_value(storage, lessons::PROGRESS_KEY, &self.lessons.progress);
    }
}
