//! The export dialog: PNG, SVG, GIF or APNG of the canvas at a chosen size and look, made on
//! a worker thread with progress and cancel, asking before it replaces a file.

use std::path::{Path, PathBuf};

use egui::{Key, RichText};

use super::App;
use super::files::fresh_path;
use crate::export::raster::{self, MAX_HEIGHT, MAX_WIDTH};
use crate::render::{Look, Theme};
use crate::session::figure::{self, Figure, FigureError, FigureFormat, Job, SvgText};
use crate::session::scene_file::{SceneFile, Step};

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
    /// Trim to the data; the step and narration under the picture.
    pub crop: bool,
    pub caption: bool,
    /// SVG text: embedded fonts or outlines.
    pub svg_text: SvgText,
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
            crop: false,
            caption: false,
            svg_text: SvgText::Embedded,
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
pub type Running = crate::session::jobs::ExportJob;

impl App {
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
        fig.crop = f.crop;
        fig.caption = f.caption;
        fig.svg_text = f.svg_text;
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
        self.files.running = Some(Running::start(fig, job, out));
        self.files.say("exporting…");
    }

    /// Waits for the running export (tests; the window polls instead).
    pub fn wait_for_export(&mut self) {
        if let Some(r) = self.files.running.as_ref() {
            while !r.is_finished() {
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
        if !self.files.running.as_ref().is_some_and(|r| r.is_finished()) {
            return;
        }
        let Some(r) = self.files.running.take() else {
            return;
        };
        let out = r.out.clone();
        match r.wait() {
            Ok(made) => {
                let what = if made.frames > 1 {
                    format!("{} frames, ", made.frames)
                } else {
                    String::new()
                };
                self.files.say(format!(
                    "wrote {} ({what}{} × {})",
                    out.display(),
                    made.width,
                    made.height
                ));
                self.files.form.open = false;
                let dir = out.parent().unwrap_or(Path::new("."));
                let ext = self.files.form.format.extension();
                self.files.form.path = fresh_path(dir, "figure", ext).display().to_string();
            }
            Err(FigureError::Cancelled) => self.files.say("export cancelled; nothing written"),
            Err(e) => self.files.fail(format!("export failed: {e}")),
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
                        ui.label("Frame");
                        ui.horizontal(|ui| {
                            ui.checkbox(&mut f.crop, "crop to the data")
                                .on_hover_text("Trim empty bands: the data plus a margin");
                            ui.checkbox(&mut f.caption, "caption").on_hover_text(
                                "The step number and the narration under the picture",
                            );
                        });
                        ui.end_row();
                        if f.format == FigureFormat::Svg {
                            ui.label("Text");
                            ui.horizontal(|ui| {
                                ui.radio_value(&mut f.svg_text, SvgText::Embedded, "editable")
                                    .on_hover_text(
                                        "<text> with the glyphs it uses embedded as fonts: \
                                         the same letters in any browser, still editable",
                                    );
                                ui.radio_value(&mut f.svg_text, SvgText::Paths, "outlines")
                                    .on_hover_text(
                                        "Glyph outlines: the same pixels in every viewer \
                                         (librsvg, Inkscape, browsers), not editable as text",
                                    );
                            });
                            ui.end_row();
                        }
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
}
