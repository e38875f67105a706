//! The File and View menus: open and save scenes (native dialogs, recent files, built-in
//! examples), screenshots of the whole window, the status line. The export dialog is in
//! `export.rs`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use egui::{Key, KeyboardShortcut, Modifiers, RichText, Ui};

use super::App;
pub use super::export::{ExportForm, LookChoice, Running, SizeChoice};
use crate::export::raster;
use crate::session::figure::SavedView;
use crate::session::scene_file::{self, SceneFile};

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
    pub(super) screenshot: Arc<Mutex<Option<Status>>>,
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

    pub(super) fn ppp(&self) -> f32 {
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

    pub(super) fn say(&mut self, text: impl Into<String>) {
        self.status = Some(Status {
            text: text.into(),
            error: false,
        });
    }

    pub(super) fn fail(&mut self, text: impl Into<String>) {
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

    pub(super) fn saved_view(&self) -> Option<SavedView> {
        let size = self.files.canvas_size();
        let v = self.view?;
        (size.x > 1.0 && size.y > 1.0).then_some(SavedView {
            center_in_world: v.center_in_world,
            scale: v.scale,
            width: size.x,
            height: size.y,
            aspect: Some(self.session.aspect()),
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
            if ui.button("Lessons…").clicked() {
                self.show_lessons();
            }
            if ui.button("Open lesson…").clicked() {
                self.open_lesson_dialog();
            }
            if ui
                .button("Save state as slide…")
                .on_hover_text("Append the scene on show, as it is now, to a lesson file")
                .clicked()
            {
                self.save_slide_dialog();
            }
            ui.separator();
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
            let mut legend = self.legend;
            if ui
                .checkbox(&mut legend, "Legend (L)")
                .on_hover_text("The strip under the canvas; hide it for room on a small projector")
                .changed()
            {
                self.toggle_legend();
            }
            if ui.button("Keyboard map (H or ?)").clicked() {
                self.show_help = true;
            }
        });
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
        // The dismiss button first, so a long message truncated at the window's edge keeps it.
        if ui.small_button("✖").on_hover_text("Dismiss").clicked() {
            self.files.status = None;
        }
        ui.add(egui::Label::new(RichText::new(&s.text).color(color)).truncate())
            .on_hover_text(&s.text);
    }
}
