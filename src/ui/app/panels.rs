//! The panels around the canvas: the shared data and the scene's controls on the left, the
//! narration, pseudocode, counters and the scene's tables on the right, the presenter caption
//! and essentials, and the alert.

use egui::{Color32, RichText, Ui};

use super::{App, CAPTION_BODY, CAPTION_MIN, CAPTION_TITLE, RED, caption_body_color};
use crate::engine::Metric;
use crate::engine::presets::Preset;
use crate::scenes::{MAX_ANIMATED_POINTS, REGISTRY};

impl App {
    /// The shared data: preset, n, seed, metric.
    pub(super) fn data_panel(&mut self, ui: &mut Ui) {
        let mut regen = false;
        let explicit = self
            .session
            .explicit_points
            .then(|| self.session.points.len());
        let limit = self.session.scene().max_points();
        let d = &mut self.session.data;
        ui.heading("Data");
        egui::ComboBox::from_label("preset")
            .selected_text(d.preset.name())
            .show_ui(ui, |ui| {
                for p in Preset::ALL {
                    regen |= ui
                        .selectable_value(&mut d.preset, p, p.name())
                        .on_hover_text(p.describe())
                        .changed();
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
            ui.label(RichText::new(d.preset.describe()).small().weak());
        }
        ui.add_enabled_ui(d.preset != Preset::SeedLesson, |ui| {
            regen |= ui
                .add(
                    egui::Slider::new(&mut d.n, 0..=MAX_ANIMATED_POINTS)
                        .logarithmic(true)
                        .text("n points"),
                )
                .on_hover_text(format!(
                    "How many points (0 … 10,000; this scene takes up to {limit})"
                ))
                .changed();
            if matches!(d.preset, Preset::Uniform | Preset::Clusters) {
                regen |= ui
                    .add(
                        egui::Slider::new(&mut d.dim, 2..=128)
                            .logarithmic(true)
                            .text("dimensions"),
                    )
                    .on_hover_text(
                        "Above 2 the points are drawn at their PCA projection; distances, graphs and walks use every dimension",
                    )
                    .changed();
            }
            ui.horizontal(|ui| {
                let l = ui.label("seed");
                regen |= ui
                    .add(egui::DragValue::new(&mut d.seed))
                    .labelled_by(l.id)
                    .changed();
                if ui.button("🎲").on_hover_text("Next seed").clicked() {
                    d.seed = d.seed.wrapping_add(1);
                    regen = true;
                }
            });
        });
        let mut metric = d.metric;
        ui.horizontal(|ui| {
            ui.label("metric");
            for m in Metric::ALL {
                ui.radio_value(&mut metric, m, m.name());
            }
        });
        if ui
            .button("⟳ Regenerate")
            .on_hover_text("Make the points again from preset, n and seed (R)")
            .clicked()
        {
            regen = true;
        }
        if regen {
            self.regenerate();
        } else if metric != self.session.data.metric {
            self.session.set_metric(metric);
            // Cosine brings the origin into the picture.
            self.fit_pending = true;
        }
    }

    pub(super) fn left_panel(&mut self, ui: &mut Ui) {
        // A scene with data of its own (the scaling lab) has no use for the shared points.
        if self.session.scene().uses_shared_data() {
            self.data_panel(ui);
            ui.separator();
        }
        let r = self.with_panel(|p, sh| p.controls(ui, sh));
        self.react(r);
        ui.separator();
        if let Some(e) = &self.session.error {
            ui.colored_label(RED, format!("⚠ {e}"));
        }
        for note in self.session.notes() {
            ui.label(RichText::new(format!("ℹ {note}")).small());
        }
    }

    /// Runs `f` on the panels of the scene on show (from the registry; the session holds the
    /// scene free of egui).
    pub(super) fn with_panel(
        &mut self,
        f: impl FnOnce(&mut dyn crate::scenes::Panel, &crate::scenes::Shared) -> crate::scenes::Reaction,
    ) -> crate::scenes::Reaction {
        let entry = &REGISTRY[self.session.current_index()];
        self.session
            .with_scene(|s, sh| (entry.panel)(s).map(|p| f(p, sh)))
            .unwrap_or_default()
    }

    pub(super) fn react(&mut self, r: crate::scenes::Reaction) {
        if r.refit {
            self.fit_pending = true;
        }
        self.session.react(r);
    }

    /// Presenter mode: the narration as a large caption under the canvas, in a panel of
    /// fixed height (see [`caption_height`]): a long narration is set smaller, down to
    /// [`CAPTION_MIN`], then shortened with the whole text on hover; it never moves the canvas.
    pub(super) fn caption(&mut self, ui: &mut Ui) {
        let n = self.session.narration();
        let col = if n.alert {
            Color32::from_rgb(235, 64, 80)
        } else {
            ui.visuals().strong_text_color()
        };
        let mut title = n.title.clone();
        if self.session.busy() {
            title = format!("⏳ {title} — running (PgDn waits for it)");
        }
        ui.add_space(2.0);
        // Shortened when it does not fit; egui then shows the whole title on hover.
        ui.add(
            egui::Label::new(
                RichText::new(&title)
                    .size(CAPTION_TITLE)
                    .strong()
                    .color(col),
            )
            .truncate(),
        );
        // The body as readable as the title from the back of a room: at least half its size,
        // in the strongest text colour (over 7:1 in both themes); as large as the room allows.
        let body_col = caption_body_color(ui.visuals());
        let width = ui.available_width();
        let room = (ui.available_height() - 4.0).max(0.0);
        let fits = |size: f32| {
            let g = ui.painter().layout(
                n.text.clone(),
                egui::FontId::proportional(size),
                body_col,
                width,
            );
            g.rect.height() <= room
        };
        let size = [CAPTION_BODY, 18.0, 16.0, 14.0]
            .into_iter()
            .find(|&s| fits(s))
            .unwrap_or(CAPTION_MIN);
        let font = egui::FontId::proportional(size);
        let rows = super::presenter::rows_left(ui, &font).max(1);
        super::presenter::fitted(ui, &n.text, font, body_col, rows);
    }

    /// The presenter caption's fixed height for a window `height` points tall: a title and
    /// two to four lines of narration.
    pub fn caption_height(height: f32) -> f32 {
        (height * 0.2).clamp(84.0, 170.0)
    }

    /// The scene's pseudocode, the current line highlighted. A long line wraps with a hanging
    /// indent under its own indentation, never back to column 0.
    pub(super) fn pseudocode(&self, ui: &mut Ui, size: f32) {
        let line = self.session.narration().line;
        let font = egui::FontId::monospace(size);
        let space = space_width(ui, &font);
        for (i, l) in self.session.scene().pseudocode().iter().enumerate() {
            let body = l.trim_start();
            let indent = (l.chars().count() - body.chars().count()) as f32 * space;
            code_line(ui, body, &font, indent, line == Some(i));
        }
    }

    pub(super) fn right_panel(&mut self, ui: &mut Ui) {
        let narration = self.session.narration();
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
        let r = self.with_panel(|p, sh| p.alert(ui, sh, false));
        self.react(r);
        if self.can_predict() {
            ui.separator();
            self.quiz_box(ui, 14.0);
        }
        ui.separator();
        ui.label(RichText::new("Pseudocode").strong());
        egui::Frame::group(ui.style()).show(ui, |ui| self.pseudocode(ui, 12.5));
        ui.separator();
        ui.label(RichText::new("Counters").strong());
        egui::Grid::new("counters").num_columns(2).show(ui, |ui| {
            for c in self.session.counters() {
                ui.label(&c.label);
                let v = RichText::new(&c.value);
                ui.label(if c.strong { v.strong() } else { v });
                ui.end_row();
            }
        });
        let r = self.with_panel(|p, sh| p.details(ui, sh));
        self.react(r);
        self.lab_plot_export();
    }

    /// Writes the scaling lab's plot (SVG, PNG) or results (CSV, JSON) where its panel asked.
    fn lab_plot_export(&mut self) {
        use crate::scenes::scaling_lab::{ScalingLab, job, plots};
        let done = self.session.with_scene(|s, _| {
            let lab = s.as_any_mut().downcast_mut::<ScalingLab>()?;
            let path = lab.export.take()?;
            let rows = lab.rows();
            let ext = path
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            let written = if ext == "csv" || ext == "json" {
                let sweep = lab
                    .settings
                    .results_sweep
                    .clone()
                    .unwrap_or_else(|| lab.settings.sweep.clone());
                job::write_results(&path, &sweep, &rows)
            } else {
                let chart = plots::plot(lab.settings.plot, &rows, None);
                crate::export::chart::write(&chart, &path)
            };
            Some(written.map(|_| path))
        });
        match done {
            Some(Ok(path)) => {
                self.files.status = Some(super::files::Status {
                    text: format!("wrote {}", path.display()),
                    error: false,
                })
            }
            Some(Err(e)) => self.alert = Some(e),
            None => {}
        }
    }
    /// The alert, if any, as a modal window with an OK button.
    pub(super) fn alert_window(&mut self, ui: &mut Ui) {
        let Some(text) = self.alert.clone() else {
            return;
        };
        let resp = egui::Modal::new(egui::Id::unique("alert")).show(ui.ctx(), |ui| {
            ui.heading("Could not open the scene");
            ui.label(RichText::new(text).size(16.0));
            ui.add_space(8.0);
            ui.button("OK").clicked()
        });
        if resp.inner || resp.should_close() {
            self.alert = None;
        }
    }
}

/// The width of a space in `font`: the unit of a pseudocode line's indentation.
pub(super) fn space_width(ui: &Ui, font: &egui::FontId) -> f32 {
    ui.painter()
        .layout_no_wrap(" ".into(), font.clone(), Color32::WHITE)
        .size()
        .x
}

/// One line of pseudocode, `indent` points in: it wraps between words under its own
/// indentation; the current line is highlighted.
pub(super) fn code_line(ui: &mut Ui, body: &str, font: &egui::FontId, indent: f32, current: bool) {
    let mut t = RichText::new(body).font(font.clone());
    if current {
        t = t
            .background_color(ui.visuals().selection.bg_fill)
            .color(ui.visuals().strong_text_color());
    }
    ui.horizontal_top(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        ui.add_space(indent);
        ui.add(egui::Label::new(t).wrap());
    });
}
