//! The egui application: left parameters, central canvas, right narration, bottom transport.

pub mod files;

use egui::{Color32, Key, RichText, Sense, Stroke, Ui, vec2};

use super::canvas::{self, View};
use super::model::{MAX_ANIMATED_POINTS, ModeKind, Model, SceneKind, Settings};
use crate::engine::presets::Preset;
use crate::engine::{Level, Metric, PointId};
use crate::scene::{self, Look, Palette, Style};
use crate::trace::narrate;
use crate::trace::player::{Command, SPEED_RANGE};
use crate::trace::{Algo, MarkerKind};

/// The keyboard map, shown in the help overlay and in tooltips.
pub const KEYS: &[(&str, &str)] = &[
    ("Space", "play / pause"),
    ("->  or  PgDn", "step forward (slide clicker: next)"),
    ("<-  or  PgUp", "step back (slide clicker: previous)"),
    ("Home / End", "first / last step"),
    ("F", "fine / coarse detail"),
    ("R", "regenerate the points"),
    ("E", "random entry node (search)"),
    ("1 / 2 / 3", "NSW construction / greedy search / HNSW scene"),
    ("I", "HNSW: insert a random point (animated)"),
    (
        "ctrl+click",
        "HNSW: delete the point under the cursor (animated)",
    ),
    (
        "alt+click",
        "HNSW: move the point nearest the query there (delete + insert)",
    ),
    ("T", "light / dark theme"),
    (
        "F5",
        "presenter mode (larger type, thicker strokes, high contrast)",
    ),
    ("F11", "full screen"),
    ("Esc", "leave presenter mode and full screen"),
    (
        ".  /  B",
        "slide clickers' blank-screen keys: step forward / back",
    ),
    ("H  or  ?", "this help"),
    (
        "ctrl+O / ctrl+S",
        "open / save a scene file (ctrl+shift+S: save as)",
    ),
    ("ctrl+E", "export a figure: PNG, SVG, GIF, APNG"),
    ("F12", "screenshot of the whole window"),
    (
        "click",
        "search: place the query; construction: jump to that point's insertion",
    ),
    (
        "shift+click / right-click",
        "search: start from that node; HNSW: insert a point there",
    ),
    (
        "drag",
        "move the query (grab it) or pan; scroll zooms; double-click fits",
    ),
];

static EMPTY_FRAME: scene::Frame = scene::Frame {
    prims: Vec::new(),
    legend: Vec::new(),
    bounds: None,
    length_scale: None,
};

/// Where eframe keeps the recent files.
const RECENT_KEY: &str = "recent_files";

/// Height kept free under the data for the legend.
const LEGEND_STRIP: f32 = 70.0;

/// Key for the cached frame: redraw primitives only when something they depend on changed.
#[derive(Clone, Copy, PartialEq)]
struct FrameKey {
    scene: SceneKind,
    cursor: usize,
    events_ptr: usize,
    events_len: usize,
    dark: bool,
    query: [u32; 2],
    entry: PointId,
    stack: [u32; 4],
    highlight: bool,
    /// Palette and sizes: Okabe–Ito, presenter.
    look: (bool, bool),
}

/// The explorer window.
pub struct App {
    /// Presenter mode: larger UI, thicker strokes, high contrast, narration as a caption.
    pub presenter: bool,
    fullscreen: bool,
    /// HNSW: ring the nodes no search from the entry point can reach.
    pub highlight_unreachable: bool,
    /// The scene on show last frame (switching to or from the stack refits the view).
    last_scene: Option<SceneKind>,
    pub model: Model,
    view: Option<View>,
    fit_pending: bool,
    /// The canvas size at the last fit, and whether the user has panned or zoomed since:
    /// an untouched view refits when the canvas changes size (window, presenter mode).
    fitted_size: egui::Vec2,
    view_touched: bool,
    dragging_query: bool,
    show_help: bool,
    cached: Option<(FrameKey, scene::Frame)>,
    style: Style,
    /// Scene files, recent files, exports and screenshots.
    pub files: files::Files,
}

impl App {
    pub fn new(settings: Settings) -> Self {
        Self {
            model: Model::new(settings),
            view: None,
            fit_pending: true,
            fitted_size: egui::Vec2::ZERO,
            view_touched: false,
            presenter: false,
            fullscreen: false,
            last_scene: None,
            highlight_unreachable: false,
            dragging_query: false,
            show_help: false,
            cached: None,
            style: Style::default(),
            files: files::Files::default(),
        }
    }

    /// For eframe: restores the last session's settings.
    pub fn from_creation_context(cc: &eframe::CreationContext<'_>) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, eframe::APP_KEY))
            .unwrap_or_default();
        let mut app = Self::new(settings);
        app.files.recent = cc
            .storage
            .and_then(|s| eframe::get_value(s, RECENT_KEY))
            .unwrap_or_default();
        app.apply_theme(&cc.egui_ctx);
        app
    }

    /// For eframe: opens with the given settings (from the command line).
    pub fn with_settings(cc: &eframe::CreationContext<'_>, settings: Settings) -> Self {
        let app = Self::new(settings);
        app.apply_theme(&cc.egui_ctx);
        app
    }

    fn apply_theme(&self, ctx: &egui::Context) {
        ctx.set_theme(if self.model.settings.dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
    }

    fn regenerate(&mut self) {
        self.model.regenerate();
        self.fit_pending = true;
    }

    /// Keys, unless a text field has the keyboard.
    fn keyboard(&mut self, ui: &mut Ui) {
        self.file_keys(ui);
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        let pressed = |k: Key| ui.input(|i| i.key_pressed(k));
        let typed_question = ui.input(|i| {
            i.events
                .iter()
                .any(|e| matches!(e, egui::Event::Text(t) if t == "?"))
        });
        if pressed(Key::Space) {
            self.model.command(Command::TogglePlay);
        }
        if pressed(Key::F5) {
            self.toggle_presenter(ui.ctx());
        }
        if pressed(Key::F11) {
            self.set_fullscreen(ui.ctx(), !self.fullscreen);
        }
        // Some slide clickers send B or "." (blank screen): step with them too.
        if pressed(Key::Period) {
            self.model.command(Command::StepForward);
        }
        if pressed(Key::B) {
            self.model.command(Command::StepBack);
        }
        if pressed(Key::ArrowRight) || pressed(Key::PageDown) {
            self.model.command(Command::StepForward);
        }
        if pressed(Key::ArrowLeft) || pressed(Key::PageUp) {
            self.model.command(Command::StepBack);
        }
        if pressed(Key::Home) {
            self.model.command(Command::First);
        }
        if pressed(Key::End) {
            self.model.command(Command::Last);
        }
        if pressed(Key::F) {
            self.toggle_detail();
        }
        if pressed(Key::R) {
            self.regenerate();
        }
        if pressed(Key::E) {
            self.model.random_entry();
        }
        if pressed(Key::Num1) {
            self.model.settings.scene = SceneKind::Construction;
        }
        if pressed(Key::Num3) {
            self.model.settings.scene = SceneKind::Hnsw;
        }
        if pressed(Key::I) && self.model.settings.scene == SceneKind::Hnsw {
            let seed = self.model.settings.seed;
            if let Some(h) = self.model.hnsw.as_mut() {
                h.insert_random(seed);
            }
        }
        if pressed(Key::Num2) {
            self.model.settings.scene = SceneKind::Search;
        }
        if pressed(Key::T) {
            self.set_dark(ui.ctx(), !self.model.settings.dark);
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
        self.model.settings.dark = dark;
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

    /// How the canvas looks now; exports use the same.
    pub fn look(&self) -> Look {
        self.model.settings.look(self.presenter)
    }

    fn palette(&self) -> Palette {
        self.look().palette()
    }

    fn toggle_detail(&mut self) {
        let d = match self.model.playback().map(|p| p.player.detail) {
            Some(Level::Coarse) => Level::Fine,
            _ => Level::Coarse,
        };
        self.model.build.command(Command::SetDetail(d));
        if let Some(s) = self.model.search.as_mut() {
            s.command(Command::SetDetail(d));
        }
    }

    /// Draws the whole window into `ui` (also what the tests drive).
    pub fn show(&mut self, ui: &mut Ui) {
        self.keyboard(ui);
        let scene = self.model.settings.scene;
        if self
            .last_scene
            .is_some_and(|l| (l == SceneKind::Hnsw) != (scene == SceneKind::Hnsw))
        {
            self.fit_pending = true;
        }
        self.last_scene = Some(scene);
        let dt = ui.input(|i| i.stable_dt).min(0.1);
        if self.model.tick(dt) || self.model.playback().is_some_and(|p| p.player.playing) {
            ui.ctx().request_repaint();
        }

        egui::Panel::top("top").show(ui, |ui| self.top_bar(ui));
        egui::Panel::bottom("transport").show(ui, |ui| self.transport(ui));
        if self.presenter {
            egui::Panel::bottom("caption").show(ui, |ui| self.caption(ui));
            egui::Panel::right("essentials")
                .resizable(true)
                .default_size(380.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| self.essentials(ui));
                });
        } else {
            egui::Panel::left("params")
                .resizable(true)
                .default_size(270.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| self.left_panel(ui));
                });
            egui::Panel::right("narration")
                .resizable(true)
                .default_size(440.0)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| self.right_panel(ui));
                });
        }
        egui::CentralPanel::default().show(ui, |ui| self.canvas(ui));
        if self.show_help {
            self.help_window(ui);
        }
        self.poll_export();
        let ctx = ui.ctx().clone();
        self.export_window(&ctx);
    }

    fn top_bar(&mut self, ui: &mut Ui) {
        ui.horizontal(|ui| {
            self.file_menu(ui);
            self.view_menu(ui);
            ui.heading("ANN Explorer");
            ui.separator();
            for (i, kind) in SceneKind::ALL.into_iter().enumerate() {
                let on = self.model.settings.scene == kind;
                if ui
                    .selectable_label(on, RichText::new(kind.name()).size(16.0))
                    .on_hover_text(format!("Scene {} (key {})", kind.name(), i + 1))
                    .clicked()
                {
                    self.model.settings.scene = kind;
                }
            }
            ui.separator();
            let theme_label = if self.model.settings.dark {
                "☀ Light"
            } else {
                "🌙 Dark"
            };
            if ui
                .button(theme_label)
                .on_hover_text("Switch theme (T)")
                .clicked()
            {
                self.set_dark(ui.ctx(), !self.model.settings.dark);
            }
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
            ui.checkbox(&mut self.model.settings.okabe_ito, "colour-blind safe")
                .on_hover_text("Okabe–Ito colours; every colour is also a shape or a label");
            if ui
                .button("⌨ Keys")
                .on_hover_text("Keyboard map (H or ?)")
                .clicked()
            {
                self.show_help = !self.show_help;
            }
            ui.separator();
            self.status_line(ui);
        });
    }

    fn left_panel(&mut self, ui: &mut Ui) {
        let mut regen = false;
        let mut rebuild = false;
        let mut research = false;
        let explicit = self
            .model
            .explicit_points
            .then(|| self.model.points().len());
        let s = &mut self.model.settings;
        ui.heading("Data");
        egui::ComboBox::from_label("preset")
            .selected_text(s.preset.name())
            .show_ui(ui, |ui| {
                for p in Preset::ALL {
                    if ui
                        .selectable_value(&mut s.preset, p, p.name())
                        .on_hover_text(p.describe())
                        .changed()
                    {
                        regen = true;
                    }
                }
            });
        if let Some(n) = explicit {
            ui.label(
                RichText::new(format!(
                    "The {n} points come from the scene file; Regenerate (R) returns to the preset."
                ))
                .small()
                .color(ui.visuals().warn_fg_color),
            );
        } else {
            ui.label(RichText::new(s.preset.describe()).small().weak());
        }
        ui.add_enabled_ui(s.preset != Preset::SeedLesson, |ui| {
            regen |= ui
                .add(
                    egui::Slider::new(&mut s.n, 0..=MAX_ANIMATED_POINTS)
                        .logarithmic(true)
                        .text("n points"),
                )
                .on_hover_text("How many points (0 … 10,000)")
                .changed();
            ui.horizontal(|ui| {
                let l = ui.label("seed");
                regen |= ui
                    .add(egui::DragValue::new(&mut s.seed))
                    .labelled_by(l.id)
                    .changed();
                if ui.button("🎲").on_hover_text("Next seed").clicked() {
                    s.seed = s.seed.wrapping_add(1);
                    regen = true;
                }
            });
        });
        if ui
            .button("⟳ Regenerate")
            .on_hover_text("Make the points again from preset, n and seed (R)")
            .clicked()
        {
            regen = true;
        }
        if s.scene == SceneKind::Hnsw {
            if regen {
                self.regenerate();
            }
            ui.separator();
            self.hnsw_controls(ui);
            if let Some(e) = &self.model.error {
                ui.colored_label(Color32::from_rgb(230, 60, 60), format!("⚠ {e}"));
            }
            return;
        }
        ui.separator();
        ui.heading("NSW construction");
        rebuild |= ui
            .add(egui::Slider::new(&mut s.m, 1..=32).text("m (links per insertion)"))
            .changed();
        ui.horizontal(|ui| {
            ui.label("rule");
            rebuild |= ui
                .radio_value(&mut s.exact_rule, true, "exact")
                .on_hover_text("Link to the true m nearest already inserted (the lesson's rule)")
                .changed();
            rebuild |= ui
                .radio_value(&mut s.exact_rule, false, "Malkov 2014")
                .on_hover_text("Link to the m nearest found by searching the graph itself, w times from random entries")
                .changed();
        });
        ui.add_enabled_ui(!s.exact_rule, |ui| {
            rebuild |= ui
                .add(egui::Slider::new(&mut s.w, 1..=16).text("w (searches)"))
                .changed();
        });
        ui.horizontal(|ui| {
            ui.label("metric");
            for m in Metric::ALL {
                rebuild |= ui.radio_value(&mut s.metric, m, m.name()).changed();
            }
        });
        ui.separator();
        ui.heading("Search");
        ui.horizontal(|ui| {
            for mk in ModeKind::ALL {
                research |= ui.radio_value(&mut s.mode, mk, mk.name()).changed();
            }
        });
        ui.add_enabled_ui(s.mode == ModeKind::MultiStart, |ui| {
            research |= ui
                .add(egui::Slider::new(&mut s.restarts, 1..=50).text("restarts"))
                .changed();
        });
        ui.add_enabled_ui(s.mode == ModeKind::Beam, |ui| {
            research |= ui
                .add(
                    egui::Slider::new(&mut s.ef, 1..=256)
                        .logarithmic(true)
                        .text("ef (beam width)"),
                )
                .changed();
        });
        research |= ui
            .add(egui::Slider::new(&mut s.k, 1..=20).text("k (answers)"))
            .changed();
        let n = self.model.graph.inserted();
        let mut entry = self.model.entry.0;
        ui.horizontal(|ui| {
            let l = ui.label("entry node");
            let changed = ui
                .add(egui::DragValue::new(&mut entry).range(0..=n.saturating_sub(1) as u32))
                .labelled_by(l.id)
                .on_hover_text("Where the search starts (shift+click a node)")
                .changed();
            if changed && (entry as usize) < n {
                self.model.set_entry(PointId(entry));
            }
            if ui
                .button("🎲 random")
                .on_hover_text("Random entry node (E)")
                .clicked()
            {
                self.model.random_entry();
            }
        });
        if self.model.settings.preset == Preset::SeedLesson {
            ui.horizontal(|ui| {
                ui.label("lesson walks:");
                if ui
                    .button("from 7")
                    .on_hover_text("7 -> 5 -> 2 -> 6: finds the nearest")
                    .clicked()
                {
                    self.model.set_entry(PointId(7));
                }
                if ui
                    .button("from 0")
                    .on_hover_text("0 -> 1: stuck in a local minimum")
                    .clicked()
                {
                    self.model.set_entry(PointId(0));
                }
            });
        }
        ui.label(
            RichText::new(format!(
                "query ({:.3}, {:.3}) — click the canvas to move it",
                self.model.query[0], self.model.query[1]
            ))
            .small(),
        );
        if regen {
            self.regenerate();
        } else if rebuild {
            self.model.rebuild_graph();
        } else if research {
            self.model.runs.clear();
            self.model.rerun_search();
        }
        ui.separator();
        if let Some(e) = &self.model.error {
            ui.colored_label(Color32::from_rgb(230, 60, 60), format!("⚠ {e}"));
        }
        for note in &self.model.notes {
            ui.label(RichText::new(format!("ℹ {note}")).small());
        }
        ui.label(
            RichText::new(format!(
                "graph: {} nodes, {} links",
                self.model.graph.inserted(),
                self.model.graph.edge_count()
            ))
            .small()
            .weak(),
        );
    }

    /// Presenter mode: the narration as a large caption under the canvas.
    fn caption(&mut self, ui: &mut Ui) {
        let n = self.model.narration();
        let col = if n.alert {
            Color32::from_rgb(235, 64, 80)
        } else {
            ui.visuals().strong_text_color()
        };
        ui.add_space(4.0);
        ui.label(RichText::new(&n.title).size(26.0).strong().color(col));
        ui.label(RichText::new(&n.text).size(20.0));
        if self.model.at_local_minimum() {
            ui.horizontal(|ui| {
                if ui
                    .button(RichText::new("retry with restarts").size(18.0))
                    .clicked()
                {
                    self.model.retry_with_restarts();
                }
                if ui
                    .button(RichText::new("retry with beam ef").size(18.0))
                    .clicked()
                {
                    self.model.retry_with_beam();
                }
            });
        }
        ui.add_space(4.0);
    }

    /// Presenter mode: pseudocode and counters only.
    fn essentials(&mut self, ui: &mut Ui) {
        let Some(p) = self.model.playback() else {
            return;
        };
        let line = self.model.narration().line;
        ui.label(RichText::new("Pseudocode").strong());
        for (i, l) in narrate::pseudocode(p.trace.algo).iter().enumerate() {
            let mut t = RichText::new(*l).monospace().size(13.0);
            if line == Some(i) {
                t = t
                    .background_color(ui.visuals().selection.bg_fill)
                    .color(ui.visuals().strong_text_color());
            }
            ui.label(t);
        }
        ui.separator();
        let st = &p.state;
        ui.label(
            RichText::new(format!(
                "distance computations: {}",
                st.distance_computations
            ))
            .size(18.0),
        );
        ui.label(RichText::new(format!("hops: {}", st.hops)).size(18.0));
        if p.trace.algo.is_search() {
            ui.label(
                RichText::new(format!(
                    "brute force would compute: {}",
                    self.model.points().len()
                ))
                .size(18.0),
            );
        }
    }

    fn right_panel(&mut self, ui: &mut Ui) {
        let narration = self.model.narration();
        let stuck_col = Color32::from_rgb(235, 64, 80);
        ui.heading(
            RichText::new(&narration.title)
                .size(20.0)
                .color(if narration.alert {
                    stuck_col
                } else {
                    ui.visuals().strong_text_color()
                }),
        );
        ui.label(RichText::new(&narration.text).size(15.0));
        if self.model.at_local_minimum() {
            self.local_minimum_box(ui);
        }
        ui.separator();
        if let Some(p) = self.model.playback() {
            let algo = p.trace.algo;
            ui.label(RichText::new("Pseudocode").strong());
            let code = narrate::pseudocode(algo);
            egui::Frame::group(ui.style()).show(ui, |ui| {
                for (i, line) in code.iter().enumerate() {
                    let mut t = RichText::new(*line).monospace().size(12.5);
                    if narration.line == Some(i) {
                        t = t
                            .background_color(ui.visuals().selection.bg_fill)
                            .color(ui.visuals().strong_text_color());
                    }
                    ui.label(t);
                }
            });
            ui.separator();
            ui.label(RichText::new("Counters").strong());
            let st = &p.state;
            egui::Grid::new("counters").num_columns(2).show(ui, |ui| {
                ui.label("distance computations");
                ui.label(RichText::new(st.distance_computations.to_string()).strong());
                ui.end_row();
                match algo {
                    Algo::Construction(_) => {
                        ui.label("inserted");
                        ui.label(format!(
                            "{} / {}",
                            st.inserted.len(),
                            self.model.points().len()
                        ));
                        ui.end_row();
                        ui.label("links");
                        ui.label(st.edges.len().to_string());
                        ui.end_row();
                    }
                    Algo::HnswInsert(_) | Algo::HnswDelete { .. } => {
                        ui.label("hops (expansions)");
                        ui.label(RichText::new(st.hops.to_string()).strong());
                        ui.end_row();
                        ui.label("links added / dropped");
                        ui.label(format!(
                            "{} / {}",
                            st.links_added.len(),
                            st.links_dropped.len()
                        ));
                        ui.end_row();
                    }
                    Algo::Search(_) | Algo::HnswSearch { .. } => {
                        ui.label("hops");
                        ui.label(RichText::new(st.hops.to_string()).strong());
                        ui.end_row();
                        ui.label("visited");
                        ui.label(RichText::new(st.visited().to_string()).strong());
                        ui.end_row();
                        ui.label("brute force would compute");
                        ui.label(self.model.points().len().to_string());
                        ui.end_row();
                    }
                }
            });
            if let Algo::Search(_) = algo {
                ui.separator();
                self.result_box(ui);
            }
        }
        if self.model.settings.scene == SceneKind::Hnsw {
            self.hnsw_details(ui);
        }
    }

    fn hnsw_controls(&mut self, ui: &mut Ui) {
        let s = &mut self.model.settings;
        let mut rebuild = false;
        let mut research = false;
        ui.heading("HNSW index");
        rebuild |= ui
            .add(egui::Slider::new(&mut s.hnsw_m, 2..=48).text("M"))
            .on_hover_text("Links chosen per insertion; Mmax = M, Mmax0 = 2·M")
            .changed();
        rebuild |= ui
            .add(
                egui::Slider::new(&mut s.ef_construction, 1..=400)
                    .logarithmic(true)
                    .text("ef_construction"),
            )
            .changed();
        rebuild |= ui
            .add(egui::Slider::new(&mut s.ml_factor, 0.0..=3.0).text("mL × ln M"))
            .on_hover_text("mL = factor / ln M; 1 is the paper's choice, 0 gives one layer")
            .changed();
        let ml = s.ml_factor / (s.hnsw_m.max(2) as f64).ln();
        ui.label(
            RichText::new(format!(
                "Mmax = {}, Mmax0 = {}, mL = {ml:.3}",
                s.hnsw_m,
                2 * s.hnsw_m
            ))
            .small(),
        );
        rebuild |= ui
            .checkbox(&mut s.heuristic, "heuristic neighbour selection (Alg. 4)")
            .changed();
        ui.add_enabled_ui(s.heuristic, |ui| {
            rebuild |= ui
                .checkbox(&mut s.extend_candidates, "extendCandidates")
                .changed();
            rebuild |= ui
                .checkbox(&mut s.keep_pruned, "keepPrunedConnections")
                .changed();
        });
        ui.separator();
        ui.heading("HNSW search");
        research |= ui
            .add(
                egui::Slider::new(&mut s.hnsw_ef, 1..=512)
                    .logarithmic(true)
                    .text("ef"),
            )
            .changed();
        research |= ui
            .add(
                egui::Slider::new(&mut s.hnsw_ef2, 1..=512)
                    .logarithmic(true)
                    .text("ef to compare"),
            )
            .changed();
        research |= ui
            .add(egui::Slider::new(&mut s.k, 1..=20).text("k (answers)"))
            .changed();
        ui.separator();
        ui.heading("View");
        let mut flat = s.stack.flat.is_some();
        ui.horizontal(|ui| {
            ui.radio_value(&mut flat, false, "stacked layers");
            ui.radio_value(&mut flat, true, "one layer");
        });
        let top = self
            .model
            .hnsw
            .as_ref()
            .map_or(0, |h| h.base().max_level().max(h.index.max_level())) as u8;
        let s = &mut self.model.settings;
        if flat {
            let mut l = s.stack.flat.unwrap_or(0).min(top);
            ui.checkbox(&mut s.stack.follow, "follow the current step's layer");
            ui.add_enabled(
                !s.stack.follow,
                egui::Slider::new(&mut l, 0..=top).text("layer"),
            );
            s.stack.flat = Some(l);
        } else {
            s.stack.flat = None;
            ui.add(egui::Slider::new(&mut s.stack.tilt_deg, 0.0..=80.0).text("tilt °"));
            ui.add(egui::Slider::new(&mut s.stack.spin_deg, -180.0..=180.0).text("spin °"));
            ui.add(egui::Slider::new(&mut s.stack.separation, 0.1..=1.5).text("separation"));
        }
        ui.separator();
        ui.heading("Edit");
        ui.horizontal(|ui| {
            if ui
                .button("➕ insert a random point")
                .on_hover_text(
                    "Animated insertion of a seeded random point (I); shift+click places one",
                )
                .clicked()
            {
                let seed = self.model.settings.seed;
                if let Some(h) = self.model.hnsw.as_mut() {
                    h.insert_random(seed);
                }
            }
        });
        if ui
            .button("✖ delete the point nearest the query")
            .on_hover_text(
                "Hard delete: unlink, repair neighbours, promote a new entry point if needed \
                 (ctrl+click deletes the point under the cursor; alt+click moves the point \
                 nearest the query there)",
            )
            .clicked()
        {
            let q = self.model.query;
            if let Some(h) = self.model.hnsw.as_mut() {
                h.delete_nearest(q);
            }
        }
        if ui
            .button("🔍 search the query again")
            .on_hover_text("Back to the search animation for the current query")
            .clicked()
        {
            research = true;
        }
        if rebuild {
            self.model.rebuild_hnsw();
            self.fit_pending = true;
        } else if research {
            self.model.rerun_hnsw_search();
        }
        ui.label(
            RichText::new(format!(
                "query ({:.3}, {:.3}): click layer 0 to move it",
                self.model.query[0], self.model.query[1]
            ))
            .small(),
        );
        ui.label(
            RichText::new(
                "Where this differs from hnswlib: the heuristic runs even on fewer than M \
                 candidates (as in the paper), and each layer's whole result set is the next \
                 layer's entry set (Alg. 1), not only its nearest element.",
            )
            .small()
            .weak(),
        );
    }

    fn hnsw_details(&mut self, ui: &mut Ui) {
        let Some(h) = self.model.hnsw.as_ref() else {
            return;
        };
        if let Some(e) = &h.error {
            ui.colored_label(Color32::from_rgb(230, 60, 60), format!("⚠ {e}"));
        }
        if h.op == super::hnsw_model::HnswOp::Search && !h.compare.is_empty() {
            ui.separator();
            ui.label(RichText::new("Same query, two widths").strong());
            egui::Grid::new("hnsw_compare")
                .striped(true)
                .num_columns(5)
                .show(ui, |ui| {
                    for t in ["ef", "answer", "recall", "distances", "hops"] {
                        ui.label(RichText::new(t).small().strong());
                    }
                    ui.end_row();
                    for r in &h.compare {
                        ui.label(format!("ef = {}", r.ef));
                        ui.label(
                            r.results
                                .first()
                                .map_or("—".into(), |(a, d)| format!("{a} ({d:.3})")),
                        );
                        ui.label(format!("{:.2}", r.recall));
                        ui.label(r.stats.distance_computations.to_string());
                        ui.label(r.stats.hops.to_string());
                        ui.end_row();
                    }
                });
        }
        ui.separator();
        ui.horizontal(|ui| {
            ui.label(RichText::new("Graph details").strong());
            ui.checkbox(&mut self.highlight_unreachable, "ring unreachable nodes");
        });
        let Some(h) = self.model.hnsw.as_ref() else {
            return;
        };
        egui::Grid::new("hnsw_layers")
            .striped(true)
            .num_columns(6)
            .show(ui, |ui| {
                for t in [
                    "layer",
                    "nodes",
                    "links",
                    "degree min/mean/max",
                    "parts",
                    "unreachable",
                ] {
                    ui.label(RichText::new(t).small().strong());
                }
                ui.end_row();
                for d in h.details.iter().rev() {
                    ui.label(d.layer.to_string());
                    ui.label(d.nodes.to_string());
                    ui.label(d.links.to_string());
                    ui.label(format!(
                        "{} / {:.1} / {}",
                        d.degree_min, d.degree_mean, d.degree_max
                    ));
                    ui.label(d.components.to_string());
                    let list: Vec<String> = d
                        .unreachable
                        .iter()
                        .take(6)
                        .map(|p| p.to_string())
                        .collect();
                    ui.label(if d.unreachable.is_empty() {
                        "none".to_string()
                    } else {
                        format!(
                            "{} ({}{})",
                            d.unreachable.len(),
                            list.join(", "),
                            if d.unreachable.len() > 6 { ", …" } else { "" }
                        )
                    })
                    .on_hover_text(
                        "Nodes no walk from the entry point along this layer's links can reach",
                    );
                    ui.end_row();
                }
            });
        ui.separator();
        ui.label(RichText::new("Nodes per level: observed vs the geometric law").strong());
        let ml = h.index.params().ml;
        let n: usize = h.level_counts.iter().sum();
        let observed: Vec<egui_plot::Bar> = h
            .level_counts
            .iter()
            .enumerate()
            .map(|(l, &c)| {
                egui_plot::Bar::new(l as f64 - 0.18, (1.0 + c as f64).log10())
                    .width(0.34)
                    .name(format!("level {l}: {c} nodes"))
            })
            .collect();
        let expected: Vec<egui_plot::Bar> = (0..h.level_counts.len())
            .map(|l| {
                let e = n as f64 * super::hnsw_model::level_share(l, ml);
                egui_plot::Bar::new(l as f64 + 0.18, (1.0 + e).log10())
                    .width(0.34)
                    .name(format!("level {l}: {e:.1} expected"))
            })
            .collect();
        egui_plot::Plot::new("levels")
            .height(150.0)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .legend(egui_plot::Legend::default())
            .y_axis_label("log10(1 + nodes)")
            .x_axis_label("level")
            .show(ui, |plot| {
                plot.bar_chart(egui_plot::BarChart::new("observed", observed));
                plot.bar_chart(egui_plot::BarChart::new(
                    format!("n·(e^(−l/mL) − e^(−(l+1)/mL)), mL = {ml:.3}"),
                    expected,
                ));
            });
    }

    fn result_box(&self, ui: &mut Ui) {
        let Some(p) = self.model.search.as_ref() else {
            return;
        };
        ui.label(RichText::new("Result against the true nearest").strong());
        let truth = &p.trace.truth;
        if let Some((t, td)) = truth.first() {
            ui.label(format!("true nearest (brute force): {t} at {td:.3}"));
        }
        if p.state.results.is_empty() {
            ui.label(RichText::new("answer: (step to the end)").weak());
        } else {
            let hits = p
                .state
                .results
                .iter()
                .filter(|r| truth.iter().any(|t| t.0 == r.0))
                .count();
            let (a, ad) = p.state.results[0];
            let ok = p.trace.is_nearest(a, ad);
            ui.label(
                RichText::new(format!(
                    "answer: {a} at {ad:.3}  {}",
                    if ok { "✔ exact" } else { "(not the nearest)" }
                ))
                .strong()
                .color(if ok {
                    Color32::from_rgb(60, 200, 110)
                } else {
                    Color32::from_rgb(235, 64, 80)
                }),
            );
            ui.label(format!(
                "recall@{}: {:.2}",
                truth.len(),
                hits as f32 / truth.len().max(1) as f32
            ));
        }
        if !self.model.runs.is_empty() {
            ui.add_space(6.0);
            ui.label(RichText::new("Runs on this query").strong());
            egui::Grid::new("runs")
                .striped(true)
                .num_columns(6)
                .show(ui, |ui| {
                    for h in ["search", "entry", "answer", "exact?", "distances", "hops"] {
                        ui.label(RichText::new(h).small().strong());
                    }
                    ui.end_row();
                    // The run on show is the last; its outcome waits until the walk ends.
                    let walking = self
                        .model
                        .search
                        .as_ref()
                        .is_some_and(|p| !p.player.at_end(&p.trace));
                    let last = self.model.runs.len().saturating_sub(1);
                    for (i, r) in self.model.runs.iter().enumerate() {
                        ui.label(r.label());
                        ui.label(r.entry.to_string());
                        if walking && i == last {
                            ui.label(RichText::new("(walking…)").weak());
                            for _ in 0..3 {
                                ui.label(RichText::new("…").weak());
                            }
                        } else {
                            ui.label(
                                r.answer
                                    .map_or("—".into(), |(a, d)| format!("{a} ({d:.3})")),
                            );
                            ui.label(if r.exact { "✔ yes" } else { "no" });
                            ui.label(r.stats.distance_computations.to_string());
                            ui.label(r.stats.hops.to_string());
                        }
                        ui.end_row();
                    }
                });
        }
    }

    fn local_minimum_box(&mut self, ui: &mut Ui) {
        let red = Color32::from_rgb(235, 64, 80);
        egui::Frame::group(ui.style())
            .stroke(Stroke::new(2.0, red))
            .show(ui, |ui| {
                ui.label(
                    RichText::new("Stuck in a local minimum")
                        .strong()
                        .color(red),
                );
                ui.label("Try a remedy on the same query, data and entry:");
                let s = &mut self.model.settings;
                let mut restart = false;
                let mut beam = false;
                ui.horizontal(|ui| {
                    let l = ui.label("restarts");
                    ui.add(egui::DragValue::new(&mut s.restarts).range(1..=50))
                        .labelled_by(l.id);
                    restart = ui
                        .button("retry with restarts")
                        .on_hover_text("Greedy again from this entry plus random restarts")
                        .clicked();
                });
                ui.horizontal(|ui| {
                    let l = ui.label("ef");
                    ui.add(egui::DragValue::new(&mut s.ef).range(1..=256))
                        .labelled_by(l.id);
                    beam = ui
                        .button("retry with beam ef")
                        .on_hover_text("Keep the ef best candidates instead of one (HNSW's search)")
                        .clicked();
                });
                if restart {
                    self.model.retry_with_restarts();
                } else if beam {
                    self.model.retry_with_beam();
                }
            });
    }

    fn transport(&mut self, ui: &mut Ui) {
        let Some(p) = self.model.playback() else {
            ui.label("Nothing to play.");
            return;
        };
        let playing = p.player.playing;
        let (step, total) = p.player.position(&p.trace);
        let detail = p.player.detail;
        let speed = p.player.speed;
        let mut cmd: Option<Command> = None;
        ui.add_space(4.0);
        ui.horizontal(|ui| {
            let big = |t: &str| RichText::new(t).size(18.0);
            if ui
                .button(big("⏮ First"))
                .on_hover_text("First step (Home)")
                .clicked()
            {
                cmd = Some(Command::First);
            }
            if ui
                .button(big("⏴ Back"))
                .on_hover_text("Step back (<- or PgUp)")
                .clicked()
            {
                cmd = Some(Command::StepBack);
            }
            let play = if playing { "⏸ Pause" } else { "▶ Play" };
            if ui
                .button(big(play))
                .on_hover_text("Play / pause (Space)")
                .clicked()
            {
                cmd = Some(Command::TogglePlay);
            }
            if ui
                .button(big("Step ⏵"))
                .on_hover_text("Step forward (-> or PgDn)")
                .clicked()
            {
                cmd = Some(Command::StepForward);
            }
            if ui
                .button(big("Last ⏭"))
                .on_hover_text("Last step (End)")
                .clicked()
            {
                cmd = Some(Command::Last);
            }
            ui.separator();
            ui.label(
                RichText::new(format!("step {step} / {total}"))
                    .size(18.0)
                    .strong(),
            );
            ui.separator();
            let mut sp = speed;
            if ui
                .add(
                    egui::Slider::new(&mut sp, SPEED_RANGE.0..=SPEED_RANGE.1)
                        .logarithmic(true)
                        .text("steps/s"),
                )
                .changed()
            {
                cmd = Some(Command::SetSpeed(sp));
            }
            ui.separator();
            let fine = detail == Level::Fine;
            if ui
                .selectable_label(!fine, "coarse")
                .on_hover_text("Coarse: moves and insertions only (F)")
                .clicked()
                && fine
            {
                cmd = Some(Command::SetDetail(Level::Coarse));
            }
            if ui
                .selectable_label(fine, "fine")
                .on_hover_text("Fine: every distance computed (F)")
                .clicked()
                && !fine
            {
                cmd = Some(Command::SetDetail(Level::Fine));
            }
        });
        if let Some(target) = self.scrubber(ui, step, total) {
            let p = self
                .model
                .playback()
                .map(|p| p.player.cursor_for_step(&p.trace, target));
            if let Some(c) = p {
                cmd = Some(Command::SeekCursor(c));
            }
        }
        match cmd {
            Some(Command::SetDetail(_)) => self.toggle_detail(),
            Some(c) => self.model.command(c),
            None => {}
        }
    }

    /// A scrubber with markers at entries, stops and local minima. Returns a step to seek to.
    fn scrubber(&self, ui: &mut Ui, step: usize, total: usize) -> Option<usize> {
        let p = self.model.playback()?;
        let w = ui.available_width();
        let (rect, resp) = ui.allocate_exact_size(vec2(w, 28.0), Sense::click_and_drag());
        let painter = ui.painter_at(rect);
        let track = rect.shrink2(vec2(8.0, 10.0));
        let vis = ui.visuals();
        painter.rect_filled(track, 3.0, vis.extreme_bg_color);
        let x_of = |s: usize| track.left() + track.width() * s as f32 / total.max(1) as f32;
        painter.rect_filled(
            egui::Rect::from_min_max(track.left_top(), egui::pos2(x_of(step), track.bottom())),
            3.0,
            vis.selection.bg_fill,
        );
        // Markers, placed at the step that contains their event.
        for (i, kind) in p.trace.markers() {
            let s = match p.player.detail {
                Level::Fine => i + 1,
                Level::Coarse => p.trace.coarse.partition_point(|&c| c <= i),
            };
            let col = match kind {
                MarkerKind::LocalMinimum => Color32::from_rgb(235, 64, 80),
                MarkerKind::Found => Color32::from_rgb(60, 200, 110),
                MarkerKind::Entry => Color32::from_rgb(86, 180, 233),
                MarkerKind::BeamStop => Color32::from_rgb(0, 200, 160),
                MarkerKind::Descent => Color32::from_rgb(200, 160, 255),
                MarkerKind::Prune => Color32::from_rgb(255, 159, 28),
            };
            let x = x_of(s);
            painter.line_segment(
                [egui::pos2(x, rect.top()), egui::pos2(x, rect.bottom())],
                Stroke::new(2.5, col),
            );
        }
        let hx = x_of(step);
        painter.circle_filled(
            egui::pos2(hx, track.center().y),
            7.0,
            vis.strong_text_color(),
        );
        let resp =
            resp.on_hover_text("Drag to scrub; marks: blue entry, red local minimum, green found");
        let pos = resp.interact_pointer_pos()?;
        if resp.dragged() || resp.clicked() {
            let t = ((pos.x - track.left()) / track.width()).clamp(0.0, 1.0);
            Some((t * total as f32).round() as usize)
        } else {
            None
        }
    }

    fn canvas(&mut self, ui: &mut Ui) {
        // Whole pixels: crisp edges, and a figure of the canvas lines up with it pixel for pixel.
        let rect = {
            let ppp = ui.pixels_per_point();
            let r = ui.available_rect_before_wrap();
            let (ceil, floor) = (
                |v: f32| (v * ppp).ceil() / ppp,
                |v: f32| (v * ppp).floor() / ppp,
            );
            egui::Rect::from_min_max(
                egui::pos2(ceil(r.min.x), ceil(r.min.y)),
                egui::pos2(floor(r.max.x), floor(r.max.y)),
            )
        };
        self.files.canvas_rect = Some(rect);
        self.files.pixels_per_point = ui.pixels_per_point();
        let resp = ui.allocate_rect(rect, Sense::click_and_drag());
        let palette = self.palette();
        let painter = ui.painter_at(rect);
        painter.rect_filled(rect, 0.0, canvas::color(palette.background));
        let bounds = self.current_frame(palette).bounds;
        if !self.view_touched && (rect.size() - self.fitted_size).length() > 0.5 {
            self.fit_pending = true;
        }
        if self.fit_pending || self.view.is_none() {
            // Both scenes fit the points and the query, so switching scenes keeps the framing.
            if let Some((lo, hi)) = bounds {
                let q = self.model.query;
                let b = (
                    [lo[0].min(q[0]), lo[1].min(q[1])],
                    [hi[0].max(q[0]), hi[1].max(q[1])],
                );
                self.view = Some(View::fit(b, rect, LEGEND_STRIP));
                self.fit_pending = false;
                self.fitted_size = rect.size();
                self.view_touched = false;
            }
        }
        let mut view = self.view.unwrap_or_default();

        // Interaction.
        if resp.double_clicked() {
            self.fit_pending = true;
        }
        if resp.hovered() {
            let scroll = ui.input(|i| i.smooth_scroll_delta.y);
            let zoom = ui.input(|i| i.zoom_delta());
            if let Some(pos) = resp.hover_pos() {
                let factor = zoom * (scroll * 0.0025).exp();
                if (factor - 1.0).abs() > 1e-4 {
                    view.zoom_at(rect, pos, factor);
                    self.view_touched = true;
                }
            }
        }
        let search_scene = self.model.settings.scene == SceneKind::Search;
        if resp.drag_started() {
            let q = view.to_screen(rect, self.model.query);
            self.dragging_query = search_scene
                && resp
                    .interact_pointer_pos()
                    .is_some_and(|p| p.distance(q) < 18.0);
        }
        if resp.dragged() {
            if self.dragging_query {
                if let Some(p) = resp.interact_pointer_pos() {
                    self.model.set_query(view.to_world(rect, p));
                }
            } else {
                view.pan(resp.drag_delta());
                self.view_touched = true;
            }
        }
        if resp.drag_stopped() {
            self.dragging_query = false;
        }
        // Hovering a point tells its id, degree and distance to the query.
        if let Some(pos) = resp.hover_pos().filter(|_| !resp.dragged())
            && let Some(id) = self
                .model
                .point_near(view.to_world(rect, pos), 10.0 / view.scale)
        {
            let m = &self.model;
            let p = m.points().xy(id);
            let degree = if id.idx() < m.graph.inserted() {
                m.graph.degree(id)
            } else {
                0
            };
            let mut tip = format!("node {id} at ({:.3}, {:.3}), {degree} links", p[0], p[1]);
            if search_scene {
                let d = m.settings.metric.eval(m.points().get(id), &m.query);
                tip.push_str(&format!(
                    "\ndistance to the query: {d:.3}\nshift+click or right-click: start here"
                ));
            } else {
                tip.push_str("\nclick: jump to its insertion");
            }
            resp.clone().on_hover_text_at_pointer(tip);
        }
        let shift = ui.input(|i| i.modifiers.shift);
        if self.model.settings.scene == SceneKind::Hnsw {
            if let Some(pos) = resp.interact_pointer_pos()
                && resp.clicked()
                && !resp.double_clicked()
            {
                let stack = self.model.settings.stack;
                let layer = stack.flat.unwrap_or(0);
                let at =
                    self.model.hnsw.as_ref().map(|h| {
                        scene::hnsw::to_data(stack, &h.xy, view.to_world(rect, pos), layer)
                    });
                let (ctrl, alt) = ui.input(|i| (i.modifiers.command, i.modifiers.alt));
                let q = self.model.query;
                if let (Some(at), Some(h)) = (at, self.model.hnsw.as_mut()) {
                    if shift {
                        h.insert(at);
                    } else if ctrl {
                        h.delete_nearest(at);
                    } else if alt {
                        if let Some(id) = h.nearest_live(q) {
                            h.delete(id, Some(at));
                        }
                    } else {
                        self.model.set_query(at);
                    }
                }
            }
        } else if let Some(pos) = resp.interact_pointer_pos() {
            let world = view.to_world(rect, pos);
            let hit = self.model.point_near(world, 12.0 / view.scale);
            if resp.clicked() && !resp.double_clicked() {
                if search_scene {
                    match hit {
                        Some(id) if shift => self.model.set_entry(id),
                        _ => self.model.set_query(world),
                    }
                } else if let Some(id) = hit {
                    self.jump_to_insertion(id);
                }
            }
            if resp.secondary_clicked()
                && search_scene
                && let Some(id) = hit
            {
                self.model.set_entry(id);
            }
        }
        self.view = Some(view);
        self.current_frame(palette);
        let frame = self.cached.as_ref().map_or(&EMPTY_FRAME, |c| &c.1);
        canvas::paint(&painter, rect, &view, frame);
        self.overlay(ui, rect, frame, palette);
    }

    fn jump_to_insertion(&mut self, id: PointId) {
        let t = &self.model.build.trace;
        if let Some(i) = t
            .events
            .iter()
            .position(|e| matches!(e, crate::engine::Event::Insert { node } if *node == id))
        {
            // Land after the insertion's last event, so its links show.
            let end = t.events[i + 1..]
                .iter()
                .position(|e| matches!(e, crate::engine::Event::Insert { .. }))
                .map_or(t.len(), |j| i + 1 + j);
            self.model.build.command(Command::SeekCursor(end));
        }
    }

    /// The primitives of the step on show, rebuilt only when what they depend on changed.
    fn current_frame(&mut self, palette: Palette) -> &scene::Frame {
        let m = &self.model;
        let Some(p) = m.playback() else {
            self.cached = None;
            return &EMPTY_FRAME;
        };
        let key = FrameKey {
            scene: m.settings.scene,
            cursor: p.state.cursor,
            events_ptr: p.trace.events.as_ptr() as usize,
            events_len: p.trace.events.len(),
            dark: m.settings.dark,
            query: [m.query[0].to_bits(), m.query[1].to_bits()],
            entry: m.entry,
            highlight: self.highlight_unreachable,
            look: (m.settings.okabe_ito, self.presenter),
            stack: {
                let v = m.settings.stack;
                [
                    v.tilt_deg.to_bits(),
                    v.spin_deg.to_bits(),
                    v.separation.to_bits(),
                    v.flat.map_or(u32::MAX, u32::from),
                ]
            },
        };
        if self.cached.as_ref().is_some_and(|(k, _)| *k == key) {
            return self.cached.as_ref().map_or(&EMPTY_FRAME, |c| &c.1);
        }
        let f = m.frame(palette, self.style, self.highlight_unreachable);
        self.cached = Some((key, f));
        self.cached.as_ref().map_or(&EMPTY_FRAME, |c| &c.1)
    }

    /// Legend and colour bar in a strip along the canvas's bottom edge.
    fn overlay(&self, ui: &Ui, rect: egui::Rect, frame: &scene::Frame, palette: Palette) {
        let painter = ui.painter_at(rect);
        let text = canvas::color(palette.text);
        let font = egui::FontId::proportional(scene::LEGEND_FONT);
        let strip = egui::Rect::from_min_max(
            egui::pos2(rect.left(), rect.bottom() - LEGEND_STRIP),
            rect.right_bottom(),
        );
        painter.rect_filled(
            strip,
            0.0,
            canvas::color(palette.background.with_alpha(215)),
        );
        let mut mesh = egui::epaint::Mesh::default();
        let bar_w = 170.0;
        let right_limit = strip.right() - bar_w - 30.0;
        let galleys: Vec<_> = frame
            .legend
            .iter()
            .map(|item| painter.layout_no_wrap(item.label.clone(), font.clone(), text))
            .collect();
        let widths: Vec<f32> = galleys.iter().map(|g| g.size().x).collect();
        let at = scene::legend_positions(&widths, strip.left(), strip.top(), right_limit);
        for ((item, galley), [x, y]) in frame.legend.iter().zip(galleys).zip(at) {
            let c = egui::pos2(x + 6.0, y + 8.0);
            let (fill, stroke) = item.paint();
            canvas::marker(&mut mesh, c, 5.5, item.shape, fill, stroke);
            painter.galley(egui::pos2(x + 18.0, y), galley, text);
        }
        painter.add(egui::Shape::mesh(mesh));
        if let Some((lo, hi)) = frame.length_scale {
            let (bx, by) = (strip.right() - bar_w - 16.0, strip.top() + 10.0);
            for i in 0..40 {
                let t0 = i as f32 / 40.0;
                let r = egui::Rect::from_min_size(
                    egui::pos2(bx + t0 * bar_w, by),
                    vec2(bar_w / 40.0 + 0.5, 10.0),
                );
                painter.rect_filled(r, 0.0, canvas::color(palette.length_color(t0)));
            }
            painter.text(
                egui::pos2(bx, by + 14.0),
                egui::Align2::LEFT_TOP,
                format!("link length {lo:.2} … {hi:.2}"),
                font.clone(),
                text,
            );
        }
        if self.model.points().is_empty() {
            painter.text(
                rect.center(),
                egui::Align2::CENTER_CENTER,
                "No points. Choose n ≥ 1 and press R.",
                egui::FontId::proportional(22.0),
                text,
            );
        }
    }

    /// The keyboard map as an overlay over the whole window (H or ?; a click outside, Esc,
    /// H or ? closes it). Two columns, so it fits on a projector at presenter scale.
    fn help_window(&mut self, ui: &mut Ui) {
        let resp = egui::Modal::new(egui::Id::unique("keyboard-map"))
            .backdrop_color(Color32::from_black_alpha(170))
            .show(ui.ctx(), |ui| {
                ui.heading("Keyboard map");
                ui.label(
                    RichText::new("Every button's tooltip names its key. Click outside to close.")
                        .weak(),
                );
                ui.add_space(6.0);
                let screen = ui.ctx().content_rect();
                // Two columns when they fit (they need ~1,400 points), else one that scrolls.
                let columns = if screen.width() >= 1400.0 { 2 } else { 1 };
                let per_column = KEYS.len().div_ceil(columns);
                egui::ScrollArea::vertical()
                    .max_height(screen.height() * 0.75)
                    .show(ui, |ui| {
                        ui.horizontal_top(|ui| {
                            for (col, part) in KEYS.chunks(per_column).enumerate() {
                                egui::Grid::new(("keys", col))
                                    .striped(true)
                                    .spacing([14.0, 6.0])
                                    .show(ui, |ui| {
                                        for (k, what) in part {
                                            ui.label(RichText::new(*k).monospace().strong());
                                            ui.label(*what);
                                            ui.end_row();
                                        }
                                    });
                                ui.add_space(18.0);
                            }
                        });
                    });
            });
        if resp.should_close() {
            self.show_help = false;
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        self.show(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, eframe::APP_KEY, &self.model.settings);
        eframe::set_value(storage, RECENT_KEY, &self.files.recent);
    }
}
