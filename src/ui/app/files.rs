//! The File menu: open and save scenes (native dialogs, recent files, built-in examples),
//! export figures (PNG, SVG, GIF, APNG) on a worker thread with progress and cancel, and
//! screenshots of the whole window.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};

use super::App;
use crate::export::raster::{self, MAX_HEIGHT, MAX_WIDTH};
use crate::render::{Look, Theme};
use crate::session::figure::{
    self, Figure, FigureError, FigureFormat, Job, Made, Progress, SavedView,
};
use crate::session::scene_file::{self, SceneFile, Step};

pub const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
pub const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
pub const SAVE_AS: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
pub const EXPORT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::E);
pub const SCREENSHOT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F12);

/// How many recent files the menu keeps.
const RECENT: usize = 8;

/// The built-in example scenes (also in `assets/scenes/`), from the scene registry: each
/// scene names its own, compiled in so they open from anywhere.
pub fn examples() -> Vec<crate::scenes::Example> {
    crate::scenes::REGISTRY
        .iter()
        .flat_map(|e| e.info.examples.iter().copied())
        .collect()
}

/// Picture size choices.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SizeChoice {
    /// The canvas size times 1, 2 or 4.
    Times(u8),
    /// Explicit pixels.
    Custom,
}

/// Colour choices for a figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LookChoice {
    AsShown,
    Light,
    Dark,
    Presenter,
}

/// The export dialog's fields.
#[derive(Clone, Debug)]
pub struct ExportForm {
    pub open: bool,
    pub format: FigureFormat,
    pub size: SizeChoice,
    pub custom: [u32; 2],
    pub transparent: bool,
    pub look: LookChoice,
    /// Animation: steps `from ..= to`, frames a second.
    pub from: usize,
    pub to: usize,
    pub fps: f32,
    pub path: String,
    /// A file at `path` exists: ask before replacing it.
    pub confirm_replace: bool,
    /// The existing file the user agreed to replace (here or in the native dialog).
    pub replace_ok: Option<PathBuf>,
}

impl Default for ExportForm {
    fn default() -> Self {
        Self {
            open: false,
            format: FigureFormat::Png,
            size: SizeChoice::Times(2),
            custom: [3840, 2160],
            transparent: false,
            look: LookChoice::AsShown,
            from: 0,
            to: 0,
            fps: 2.0,
            path: String::new(),
            confirm_replace: false,
            replace_ok: None,
        }
    }
}

/// An export running on a worker thread.
pub struct Running {
    pub progress: Arc<Progress>,
    pub out: PathBuf,
    handle: JoinHandle<Result<Made, FigureError>>,
}

/// A message for the user: what was written, or what went wrong.
#[derive(Clone, Debug, PartialEq)]
pub struct Status {
    pub text: String,
    pub error: bool,
}

/// Everything the File menu keeps between frames.
#[derive(Default)]
pub struct Files {
    pub recent: Vec<PathBuf>,
    /// The scene file last opened or saved: Save writes here.
    pub current: Option<PathBuf>,
    pub status: Option<Status>,
    pub form: ExportForm,
    pub running: Option<Running>,
    /// Screenshots answer on another thread.
    screenshot: Arc<Mutex<Option<Status>>>,
    /// Where the canvas was last frame, in screen points.
    pub canvas_rect: Option<egui::Rect>,
    /// Screen pixels per point last frame (presenter mode zooms): 1× exports are screen pixels.
    pub pixels_per_point: f32,
}

impl Files {
    /// The canvas size last frame, in points.
    pub fn canvas_size(&self) -> egui::Vec2 {
        self.canvas_rect.map_or(egui::Vec2::ZERO, |r| r.size())
    }

    fn ppp(&self) -> f32 {
        if self.pixels_per_point > 0.0 {
            self.pixels_per_point
        } else {
            1.0
        }
    }

    pub fn remember(&mut self, path: &Path) {
        let p = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|r| r != &p);
        self.recent.insert(0, p);
        self.recent.truncate(RECENT);
    }

    fn say(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    fn fail(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: true,
        });
    }
}

fn json_dialog() -> rfd::FileDialog {
    rfd::FileDialog::new().add_filter("ANN Explorer scene", &["json"])
}

/// A file name in the current folder that does not exist yet: `stem-1.ext`, `stem-2.ext`, …
pub fn fresh_path(dir: &Path, stem: &str, ext: &str) -> PathBuf {
    (1..10_000)
        .map(|i| dir.join(format!("{stem}-{i}.{ext}")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(format!("{stem}.{ext}")))
}

impl App {
    /// The scene on show as a file, with the canvas's pan and zoom if the user changed them.
    pub fn scene_file(&self) -> SceneFile {
        let mut f = SceneFile::from_session(&self.session);
        if self.view_touched {
            f.view = self.saved_view();
        }
        f
    }

    fn saved_view(&self) -> Option<SavedView> {
        let size = self.files.canvas_size();
        let v = self.view?;
        (size.x > 1.0 && size.y > 1.0).then_some(SavedView {
            center_in_world: v.center_in_world,
            scale: v.scale,
            width: size.x,
            height: size.y,
        })
    }

    /// Opens a scene file. A file that cannot be read, parsed or built leaves the scene on
    /// show untouched and says why (with the line for syntax errors).
    pub fn open_scene(&mut self, ctx: &egui::Context, path: &Path) -> bool {
        match SceneFile::load(path).and_then(|f| f.build().map(|m| (f, m))) {
            Ok((f, m)) => {
                self.install(ctx, &f, m);
                self.files.current = Some(path.to_path_buf());
                self.files.remember(path);
                self.files.say(format!("opened {}", path.display()));
                true
            }
            Err(e) => {
                self.files
                    .fail(format!("{} not opened: {e}", path.display()));
                false
            }
        }
    }

    /// Opens a built-in example scene.
    pub fn open_example(&mut self, ctx: &egui::Context, i: usize) -> bool {
        let Some(crate::scenes::Example { name, json: text }) = examples().get(i).copied() else {
            return false;
        };
        match SceneFile::parse(text).and_then(|f| f.build().map(|m| (f, m))) {
            Ok((f, m)) => {
                self.install(ctx, &f, m);
                self.files.current = None;
                self.files.say(format!("opened the example '{name}'"));
                true
            }
            Err(e) => {
                self.files.fail(format!("example '{name}': {e}"));
                false
            }
        }
    }

    fn install(&mut self, ctx: &egui::Context, f: &SceneFile, m: crate::session::Session) {
        self.session = m;
        self.apply_theme(ctx);
        self.cached = None;
        self.last_scene = Some(self.session.current_index());
        match f.view {
            Some(v) => {
                let size = self.files.canvas_size();
                let fit = if size.x > 1.0 && size.y > 1.0 {
                    v.fit_to(size.x, size.y)
                } else {
                    v.fit_to(v.width, v.height)
                };
                self.view = Some(crate::ui::canvas::View {
                    center_in_world: fit.center_in_world,
                    scale: fit.scale,
                });
                self.fit_pending = false;
                self.view_touched = true;
                self.fitted_size = size;
            }
            None => {
                self.fit_pending = true;
                self.view_touched = false;
            }
        }
    }

    /// Saves the scene on show; the file is written atomically.
    pub fn save_scene(&mut self, path: &Path) -> bool {
        let text = self.scene_file().to_json();
        match scene_file::write_atomic(path, text.as_bytes()) {
            Ok(()) => {
                self.files.current = Some(path.to_path_buf());
                self.files.remember(path);
                self.files.say(format!("saved {}", path.display()));
                true
            }
            Err(e) => {
                self.files
                    .fail(format!("{} not saved: {e}", path.display()));
                false
            }
        }
    }

    fn open_dialog(&mut self, ctx: &egui::Context) {
        let mut d = json_dialog();
        if let Some(dir) = self.files.current.as_ref().and_then(|p| p.parent()) {
            d = d.set_directory(dir);
        }
        if let Some(p) = d.pick_file() {
            self.open_scene(ctx, &p);
        }
    }

    fn save_as_dialog(&mut self) {
        let name = self
            .files
            .current
            .as_ref()
            .and_then(|p| p.file_name())
            .map_or_else(|| "scene.json".to_string(), |n| n.to_string_lossy().into());
        if let Some(p) = json_dialog().set_file_name(name).save_file() {
            self.save_scene(&p);
        }
    }

    fn save(&mut self) {
        match self.files.current.clone() {
            Some(p) => {
                self.save_scene(&p);
            }
            None => self.save_as_dialog(),
        }
    }

    /// Asks for a screenshot of the whole window, written as a new PNG in the current folder.
    pub fn screenshot(&mut self, ctx: &egui::Context) {
        let out = fresh_path(Path::new("."), "ann-explorer-window", "png");
        let slot = self.files.screenshot.clone();
        let repaint = ctx.clone();
        ctx.request_screenshot(move |img| {
            let [w, h] = img.size;
            let rgba: Vec<u8> = img.pixels.iter().flat_map(|c| c.to_array()).collect();
            let r = raster::Raster {
                width: w as u32,
                height: h as u32,
                rgba,
            };
            let status = match raster::encode_png(&r)
                .map_err(|e| e.to_string())
                .and_then(|b| scene_file::write_atomic(&out, &b).map_err(|e| e.to_string()))
            {
                Ok(()) => Status {
                    text: format!("window screenshot: {} ({w} × {h})", out.display()),
                    error: false,
                },
                Err(e) => Status {
                    text: format!("screenshot not written: {e}"),
                    error: true,
                },
            };
            if let Ok(mut s) = slot.lock() {
                *s = Some(status);
            }
            repaint.request_repaint();
        });
        self.files.say("taking a screenshot…");
    }

    /// Ctrl+O, Ctrl+S, Ctrl+Shift+S, Ctrl+E, F12. Taken before the single-letter keys so
    /// Ctrl+E does not also pick a random entry.
    pub(super) fn file_keys(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        if ui.input_mut(|i| i.consume_shortcut(&SAVE_AS)) {
            self.save_as_dialog();
        }
        if ui.input_mut(|i| i.consume_shortcut(&SAVE)) {
            self.save();
        }
        if ui.input_mut(|i| i.consume_shortcut(&OPEN)) {
            self.open_dialog(&ctx);
        }
        if ui.input_mut(|i| i.consume_shortcut(&EXPORT)) {
            self.open_export_form();
        }
        if ui.input_mut(|i| i.consume_shortcut(&SCREENSHOT)) {
            self.screenshot(&ctx);
        }
    }

    /// Opens the export dialog with the step range of the scene on show.
    pub fn open_export_form(&mut self) {
        let steps = self.session.position().1;
        let f = &mut self.files.form;
        f.open = true;
        if f.to == 0 || f.to > steps || f.from > f.to {
            f.from = 0;
            f.to = steps;
        }
        if f.path.is_empty() {
            let dir = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            f.path = fresh_path(&dir, "figure", f.format.extension())
                .display()
                .to_string();
        }
        f.confirm_replace = false;
    }

    pub(super) fn file_menu(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let sc = |s: &KeyboardShortcut| ctx.format_shortcut(s);
        ui.menu_button("File", |ui| {
            if ui
                .add(egui::Button::new("Open scene…").shortcut_text(sc(&OPEN)))
                .clicked()
            {
                self.open_dialog(&ctx);
            }
            ui.menu_button("Open recent", |ui| {
                if self.files.recent.is_empty() {
                    ui.label("(none yet)");
                }
                let mut chosen = None;
                for p in &self.files.recent {
                    let name = p
                        .file_name()
                        .map_or_else(|| p.display().to_string(), |n| n.to_string_lossy().into());
                    if ui
                        .button(name)
                        .on_hover_text(p.display().to_string())
                        .clicked()
                    {
                        chosen = Some(p.clone());
                    }
                }
                if let Some(p) = chosen {
                    self.open_scene(&ctx, &p);
                }
            });
            ui.menu_button("Open example", |ui| {
                for (i, ex) in examples().iter().enumerate() {
                    if ui.button(ex.name).clicked() {
                        self.open_example(&ctx, i);
                    }
                }
            });
            ui.separator();
            if ui
                .add(egui::Button::new("Save scene").shortcut_text(sc(&SAVE)))
                .on_hover_text(match &self.files.current {
                    Some(p) => format!("Save to {}", p.display()),
                    None => "Save to a new file".into(),
                })
                .clicked()
            {
                self.save();
            }
            if ui
                .add(egui::Button::new("Save scene as…").shortcut_text(sc(&SAVE_AS)))
                .clicked()
            {
                self.save_as_dialog();
            }
            ui.separator();
            if ui
                .add(egui::Button::new("Export figure…").shortcut_text(sc(&EXPORT)))
                .on_hover_text("PNG, SVG, animated GIF or APNG of what the canvas shows")
                .clicked()
            {
                self.open_export_form();
            }
            if ui
                .add(egui::Button::new("Screenshot of the window").shortcut_text(sc(&SCREENSHOT)))
                .on_hover_text("Writes ann-explorer-window-N.png in the current folder")
                .clicked()
            {
                self.screenshot(&ctx);
            }
        });
    }

    /// The View menu: the same toggles as the top bar and the keys, named with their keys.
    pub(super) fn view_menu(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        ui.menu_button("View", |ui| {
            let mut presenter = self.presenter;
            if ui
                .checkbox(&mut presenter, "Presenter mode (F5)")
                .on_hover_text(
                    "Larger type, thicker strokes, high contrast, narration as a caption",
                )
                .changed()
            {
                self.toggle_presenter(&ctx);
            }
            let mut full = self.fullscreen;
            if ui.checkbox(&mut full, "Full screen (F11)").changed() {
                self.set_fullscreen(&ctx, full);
            }
            let mut dark = self.session.look.dark;
            if ui.checkbox(&mut dark, "Dark theme (T)").changed() {
                self.set_dark(&ctx, dark);
            }
            // The cached frame's key includes the palette choice: no invalidation needed.
            ui.checkbox(
                &mut self.session.look.okabe_ito,
                "Colour-blind safe palette",
            )
            .on_hover_text("Okabe–Ito colours; every colour is also a shape or a label");
            ui.separator();
            if ui.button("Keyboard map (H or ?)").clicked() {
                self.show_help = true;
            }
        });
    }

    /// The picture the export dialog asks for: layout width and height in points, and pixels
    /// per point. Cheap (no scene), so the dialog can show it every frame.
    fn figure_size(&self) -> Result<(f32, f32, f32), String> {
        let f = &self.files.form;
        let size = self.files.canvas_size();
        if !(size.x >= 16.0 && size.y >= 16.0) {
            return Err("the canvas is too small to export".into());
        }
        match f.size {
            SizeChoice::Times(k) => Ok((size.x, size.y, f32::from(k) * self.files.ppp())),
            SizeChoice::Custom => {
                let [w, h] = f.custom;
                raster::check_size(w, h).map_err(|e| e.to_string())?;
                if f.format == FigureFormat::Svg {
                    return Ok((w as f32, h as f32, 1.0));
                }
                // Keep the canvas's proportions of text to picture: lay out at the canvas's
                // size stretched to the asked aspect, then scale to the asked pixels.
                let s = (w as f32 / size.x).min(h as f32 / size.y);
                Ok((w as f32 / s, h as f32 / s, s))
            }
        }
    }

    /// The figure the export dialog describes: the canvas's scene, view and look.
    pub fn figure_from_form(&self) -> Result<(Figure, Job, PathBuf), String> {
        let (width, height, scale) = self.figure_size()?;
        let f = &self.files.form;
        // Always the canvas's own view, touched or not: the figure is what the screen shows.
        let mut scene = SceneFile::from_session(&self.session);
        scene.view = self.saved_view();
        let mut fig = Figure::new(scene, width, height);
        fig.scale = scale;
        fig.transparent = f.transparent;
        let shown = self.look();
        fig.look = match f.look {
            LookChoice::AsShown => shown,
            LookChoice::Light => Look {
                theme: Theme::Light,
                presenter: false,
                ..shown
            },
            LookChoice::Dark => Look {
                theme: Theme::Dark,
                presenter: false,
                ..shown
            },
            LookChoice::Presenter => Look {
                presenter: true,
                ..shown
            },
        };
        let job = if f.format.animated() {
            Job::Animation {
                from: f.from,
                to: Some(f.to),
                fps: f.fps,
                format: f.format,
            }
        } else {
            Job::Still {
                step: Step::Saved,
                format: f.format,
            }
        };
        let path = PathBuf::from(f.path.trim());
        if f.path.trim().is_empty() {
            return Err("choose where to write the figure".into());
        }
        let path = figure::with_extension(&path, f.format);
        Ok((fig, job, path))
    }

    /// Starts the export the dialog describes on a worker thread.
    pub fn start_export(&mut self) {
        if self.files.running.is_some() {
            return;
        }
        let (fig, job, out) = match self.figure_from_form() {
            Ok(x) => x,
            Err(e) => {
                self.files.fail(e);
                return;
            }
        };
        if out.exists() && self.files.form.replace_ok.as_ref() != Some(&out) {
            self.files.form.path = out.display().to_string();
            self.files.form.confirm_replace = true;
            return;
        }
        self.files.form.confirm_replace = false;
        self.files.form.replace_ok = None;
        let progress = Arc::new(Progress::default());
        let handle = {
            let progress = progress.clone();
            let out = out.clone();
            std::thread::spawn(move || figure::export(&fig, &job, &out, &progress))
        };
        self.files.running = Some(Running {
            progress,
            out,
            handle,
        });
        self.files.say("exporting…");
    }

    /// Waits for the running export (tests; the window polls instead).
    pub fn wait_for_export(&mut self) {
        if let Some(r) = self.files.running.as_ref() {
            while !r.handle.is_finished() {
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
        }
        self.poll_export();
    }

    /// Collects a finished export or screenshot.
    pub(super) fn poll_export(&mut self) {
        if let Some(s) = self.files.screenshot.lock().ok().and_then(|mut s| s.take()) {
            self.files.status = Some(s);
        }
        if !self
            .files
            .running
            .as_ref()
            .is_some_and(|r| r.handle.is_finished())
        {
            return;
        }
        let Some(r) = self.files.running.take() else {
            return;
        };
        match r.handle.join() {
            Ok(Ok(made)) => {
                let what = if made.frames > 1 {
                    format!("{} frames, ", made.frames)
                } else {
                    String::new()
                };
                self.files.say(format!(
                    "wrote {} ({what}{} × {})",
                    r.out.display(),
                    made.width,
                    made.height
                ));
                self.files.form.open = false;
                let dir = r.out.parent().unwrap_or(Path::new("."));
                let ext = self.files.form.format.extension();
                self.files.form.path = fresh_path(dir, "figure", ext).display().to_string();
            }
            Ok(Err(FigureError::Cancelled)) => self.files.say("export cancelled; nothing written"),
            Ok(Err(e)) => self.files.fail(format!("export failed: {e}")),
            Err(_) => self.files.fail("export failed: the worker thread panicked"),
        }
    }

    /// The export dialog, and the progress of a running export.
    pub(super) fn export_window(&mut self, ctx: &egui::Context) {
        if let Some(r) = self.files.running.as_ref() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
            let (done, total) = r.progress.get();
            let mut cancel = false;
            egui::Window::new("Exporting")
                .collapsible(false)
                .resizable(false)
                .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
                .show(ctx, |ui| {
                    ui.label(r.out.display().to_string());
                    let text = if total == 0 {
                        "building the scene…".to_string()
                    } else {
                        format!("frame {done} / {total}")
                    };
                    ui.add(
                        egui::ProgressBar::new(r.progress.fraction())
                            .text(text)
                            .desired_width(320.0),
                    );
                    cancel = ui
                        .button("Cancel")
                        .on_hover_text("Stop; nothing is written (Esc)")
                        .clicked()
                        || ui.input(|i| i.key_pressed(Key::Escape));
                });
            if cancel {
                r.progress.cancel();
            }
            return;
        }
        if !self.files.form.open {
            return;
        }
        let mut open = true;
        let mut export = false;
        let mut browse = false;
        let canvas = self.files.canvas_size() * self.files.ppp();
        let (here, steps) = self.session.position();
        let summary = self.figure_size().and_then(|(w, h, scale)| {
            let f = &self.files.form;
            if f.path.trim().is_empty() {
                return Err("choose where to write the figure".to_string());
            }
            let (pw, ph) = ((w * scale).round(), (h * scale).round());
            Ok(if f.format.animated() {
                let n = f.to.saturating_sub(f.from) + 1;
                format!(
                    "{pw} × {ph} pixels, {n} frames, {:.1} s",
                    n as f32 / f.fps.max(0.1)
                )
            } else if f.format == FigureFormat::Svg {
                format!("{} × {} points, vector", w.round(), h.round())
            } else {
                format!("{pw} × {ph} pixels")
            })
        });
        egui::Window::new("Export figure")
            .open(&mut open)
            .collapsible(false)
            .resizable(false)
            .show(ctx, |ui| {
                let f = &mut self.files.form;
                egui::Grid::new("export-form")
                    .num_columns(2)
                    .spacing([12.0, 8.0])
                    .show(ui, |ui| {
                        ui.label("Format");
                        ui.horizontal(|ui| {
                            for fmt in FigureFormat::ALL {
                                if ui.radio_value(&mut f.format, fmt, fmt.label()).changed() {
                                    let p = figure::with_extension(Path::new(&f.path), fmt);
                                    f.path = p.display().to_string();
                                    f.confirm_replace = false;
                                }
                            }
                        });
                        ui.end_row();
                        ui.label("Size");
                        ui.vertical(|ui| {
                            ui.horizontal(|ui| {
                                for k in [1u8, 2, 4] {
                                    let (w, h) = (
                                        (canvas.x * f32::from(k)).round() as u32,
                                        (canvas.y * f32::from(k)).round() as u32,
                                    );
                                    let fits = w <= MAX_WIDTH && h <= MAX_HEIGHT;
                                    ui.add_enabled_ui(fits, |ui| {
                                        ui.radio_value(
                                            &mut f.size,
                                            SizeChoice::Times(k),
                                            format!("{k}×"),
                                        )
                                        .on_hover_text(format!(
                                            "{w} × {h} pixels: the canvas at {k}×"
                                        ))
                                        .on_disabled_hover_text(format!(
                                            "{w} × {h} is larger than {MAX_WIDTH} × {MAX_HEIGHT}"
                                        ));
                                    });
                                }
                                ui.radio_value(&mut f.size, SizeChoice::Custom, "width × height");
                            });
                            if f.size == SizeChoice::Custom {
                                ui.horizontal(|ui| {
                                    ui.add(
                                        egui::DragValue::new(&mut f.custom[0])
                                            .range(16..=MAX_WIDTH),
                                    );
                                    ui.label("×");
                                    ui.add(
                                        egui::DragValue::new(&mut f.custom[1])
                                            .range(16..=MAX_HEIGHT),
                                    );
                                    ui.label("pixels");
                                    for (name, w, h) in [
                                        ("1080p", 1920, 1080),
                                        ("4K", 3840, 2160),
                                        ("8K", 7680, 4320),
                                    ] {
                                        if ui.small_button(name).clicked() {
                                            f.custom = [w, h];
                                        }
                                    }
                                });
                            }
                        });
                        ui.end_row();
                        ui.label("Colours");
                        ui.horizontal(|ui| {
                            ui.radio_value(&mut f.look, LookChoice::AsShown, "as shown");
                            ui.radio_value(&mut f.look, LookChoice::Light, "light");
                            ui.radio_value(&mut f.look, LookChoice::Dark, "dark");
                            ui.radio_value(&mut f.look, LookChoice::Presenter, "presenter");
                        });
                        ui.end_row();
                        ui.label("Background");
                        ui.horizontal(|ui| {
                            ui.radio_value(&mut f.transparent, false, "theme");
                            ui.radio_value(&mut f.transparent, true, "transparent");
                        });
                        ui.end_row();
                        if f.format.animated() {
                            ui.label("Steps");
                            ui.horizontal(|ui| {
                                ui.add(
                                    egui::DragValue::new(&mut f.from)
                                        .range(0..=steps)
                                        .prefix("from "),
                                );
                                let from = f.from;
                                ui.add(
                                    egui::DragValue::new(&mut f.to)
                                        .range(from..=steps)
                                        .prefix("to "),
                                );
                                ui.label(format!(
                                    "of {steps}: {} frames",
                                    f.to.saturating_sub(f.from) + 1
                                ));
                                if ui
                                    .small_button("from here")
                                    .on_hover_text(format!("Start at the step on show ({here})"))
                                    .clicked()
                                {
                                    f.from = here.min(f.to);
                                }
                                if ui
                                    .small_button("to here")
                                    .on_hover_text(format!("End at the step on show ({here})"))
                                    .clicked()
                                {
                                    f.to = here.max(f.from);
                                }
                            });
                            ui.end_row();
                            let label = ui.label("Speed");
                            ui.add(
                                egui::Slider::new(&mut f.fps, 0.5..=30.0)
                                    .logarithmic(true)
                                    .suffix(" frames/s"),
                            )
                            .labelled_by(label.id);
                            ui.end_row();
                        }
                        let label = ui.label("Save to");
                        ui.horizontal(|ui| {
                            if ui
                                .add(egui::TextEdit::singleline(&mut f.path).desired_width(360.0))
                                .labelled_by(label.id)
                                .changed()
                            {
                                f.confirm_replace = false;
                            }
                            browse = ui.button("Choose…").clicked();
                        });
                        ui.end_row();
                    });
                match &summary {
                    Ok(text) => ui.label(RichText::new(format!("-> {text}")).weak()),
                    Err(e) => ui.label(RichText::new(e).color(ui.visuals().error_fg_color)),
                };
                ui.separator();
                if f.confirm_replace {
                    ui.label(
                        RichText::new(format!("{} exists.", f.path))
                            .color(ui.visuals().warn_fg_color),
                    );
                    ui.horizontal(|ui| {
                        if ui.button("Replace it").clicked() {
                            let p = figure::with_extension(Path::new(f.path.trim()), f.format);
                            f.replace_ok = Some(p);
                            export = true;
                        }
                        if ui.button("Keep it").clicked() {
                            f.confirm_replace = false;
                        }
                    });
                } else {
                    export = ui
                        .button(RichText::new("Export").strong())
                        .on_hover_text("Write the figure (Enter)")
                        .clicked()
                        || ui.input(|i| i.key_pressed(Key::Enter));
                }
            });
        if browse {
            let f = &mut self.files.form;
            let ext = f.format.extension();
            let current = PathBuf::from(f.path.trim());
            let mut d = rfd::FileDialog::new().add_filter(f.format.label(), &[ext]);
            if let Some(dir) = current.parent().filter(|d| d.is_dir()) {
                d = d.set_directory(dir);
            }
            if let Some(name) = current.file_name() {
                d = d.set_file_name(name.to_string_lossy());
            }
            if let Some(p) = d.save_file() {
                f.path = p.display().to_string();
                // The native dialog has asked about replacing an existing file.
                f.confirm_replace = false;
                f.replace_ok = Some(p);
            }
        }
        if export {
            self.start_export();
        }
        if !open {
            self.files.form.open = false;
        }
    }

    /// The last message, shown at the right of the top bar.
    pub(super) fn status_line(&mut self, ui: &mut Ui) {
        let Some(s) = self.files.status.clone() else {
            return;
        };
        let color = if s.error {
            ui.visuals().error_fg_color
        } else {
            ui.visuals().weak_text_color()
        };
        ui.label(RichText::new(&s.text).color(color));
        if ui.small_button("✖").on_hover_text("Dismiss").clicked() {
            self.files.status = None;
        }
    }
}
