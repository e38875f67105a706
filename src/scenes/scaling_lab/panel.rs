//! The lab's panels: the sweep's settings and Run, a progress bar per task with its Cancel,
//! the plots (egui_plot, log axes, hover for the row behind a point) and the exports.

use std::time::Duration;

use egui::{Color32, RichText, Ui};

use super::ScalingLab;
use super::plots::{self, PlotKind};
use crate::engine::scaling::{self, DataKind, Method, short_n};
use crate::render::chart::{Chart, power_label, value_label};
use crate::scenes::panel::{error_line, slider};
use crate::scenes::{Panel, Reaction, Shared};

const SIZES: &[usize] = &[1_000, 3_000, 10_000, 30_000, 100_000, 300_000, 1_000_000];
const EFS: &[usize] = &[10, 16, 32, 64, 128, 256];
const DIMS: &[usize] = &[2, 16, 128];
const SEARCH_KS: &[usize] = &[10, 100, 1_000, 10_000, 100_000];

fn color(c: crate::render::Rgba) -> Color32 {
    Color32::from_rgba_unmultiplied(c.0[0], c.0[1], c.0[2], c.0[3])
}

fn toggle_list(ui: &mut Ui, list: &mut Vec<usize>, value: usize, text: &str) -> bool {
    let mut on = list.contains(&value);
    if ui.toggle_value(&mut on, text).changed() {
        if on {
            list.push(value);
            list.sort_unstable();
        } else {
            list.retain(|v| *v != value);
        }
        return true;
    }
    false
}

fn duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 60.0 {
        format!("{s:.1} s")
    } else {
        format!("{}:{:02}", (s / 60.0) as u64, (s as u64) % 60)
    }
}

impl ScalingLab {
    fn sweep_controls(&mut self, ui: &mut Ui) {
        let running = self.running();
        ui.add_enabled_ui(!running, |ui| {
            let sw = &mut self.settings.sweep;
            ui.label(RichText::new("Methods").strong());
            ui.horizontal_wrapped(|ui| {
                for m in Method::ALL {
                    let mut on = sw.methods.contains(&m);
                    if ui.checkbox(&mut on, m.name()).changed() {
                        if on {
                            sw.methods.push(m);
                            sw.methods.sort();
                        } else {
                            sw.methods.retain(|x| *x != m);
                        }
                    }
                }
            });
            ui.label(RichText::new("Sizes n").strong());
            ui.horizontal_wrapped(|ui| {
                for &n in SIZES {
                    toggle_list(ui, &mut sw.sizes, n, &short_n(n));
                }
            });
            ui.horizontal_wrapped(|ui| {
                ui.label("dimension");
                for &d in DIMS {
                    ui.radio_value(&mut sw.dim, d, d.to_string());
                }
            });
            ui.horizontal_wrapped(|ui| {
                ui.label("data");
                ui.radio_value(&mut sw.data, DataKind::Uniform, "uniform");
                ui.radio_value(&mut sw.data, DataKind::Clusters, "clusters");
            });
            ui.label(RichText::new("ef of NSW and HNSW").strong());
            ui.horizontal_wrapped(|ui| {
                for &e in EFS {
                    toggle_list(ui, &mut sw.ef, e, &e.to_string());
                }
            });
            // The sliders' ends are where most will set them; a scene file or a typed value
            // may go further, up to what the sweep accepts (never clamped on the way).
            if sw.methods.contains(&Method::Annoy) {
                ui.label(RichText::new("search_k of Annoy").strong());
                ui.horizontal_wrapped(|ui| {
                    for &sk in SEARCH_KS {
                        toggle_list(ui, &mut sw.search_k, sk, &short_n(sk));
                    }
                });
                free_slider(ui, &mut sw.n_trees, 1..=100, "n_trees (Annoy)", true);
            }
            free_slider(ui, &mut sw.k, 1..=100, "k", false);
            free_slider(ui, &mut sw.queries, 10..=10_000, "queries", true);
            free_slider(ui, &mut sw.m, 2..=64, "M (HNSW)", false);
            free_slider(
                ui,
                &mut sw.ef_construction,
                10..=500,
                "ef_construction",
                true,
            );
            let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
            free_slider(
                ui,
                &mut sw.threads,
                0..=cores.max(1),
                "build threads",
                false,
            );
            if sw.threads == 0 {
                ui.label(RichText::new(format!("0 = every core ({cores})")).small());
            }
        });
        let (n, bytes) = scaling::memory::estimate(&self.settings.sweep);
        let free = scaling::memory::available();
        ui.label(
            RichText::new(format!(
                "n = {} needs about {}{}",
                short_n(n),
                crate::engine::human_bytes(u128::from(bytes)),
                free.map_or(String::new(), |f| format!(
                    " of {} free",
                    crate::engine::human_bytes(u128::from(f))
                ))
            ))
            .small(),
        );
        ui.horizontal(|ui| {
            if running {
                if ui.button("⏹ Cancel all").clicked()
                    && let Some(j) = &self.job
                {
                    j.cancel_all();
                }
            } else if ui
                .button(RichText::new("▶ Run sweep").strong())
                .on_hover_text("Build and time every method at every size, in the background")
                .clicked()
            {
                self.run();
            }
        });
    }

    fn progress_bars(&mut self, ui: &mut Ui) {
        let Some(job) = &self.job else { return };
        let width = ui.available_width().min(300.0);
        let snaps: Vec<_> = job.progress.iter().map(|p| p.snapshot()).collect();
        let done = snaps.iter().filter(|s| s.finished).count();
        let all = snaps.len();
        ui.add(
            egui::ProgressBar::new(done as f32 / all.max(1) as f32)
                .desired_width(width)
                .text(format!("sweep: {done} of {all} tasks")),
        );
        for (i, s) in snaps.iter().enumerate() {
            if !s.started || s.finished {
                continue;
            }
            let task = &job.tasks[i];
            ui.horizontal(|ui| {
                ui.label(RichText::new(task.to_string()).strong());
                if ui
                    .small_button("✖ Cancel")
                    .on_hover_text("Stop this task; the rows measured so far stay")
                    .clicked()
                {
                    job.cancel_task(i);
                }
            });
            ui.add(
                egui::ProgressBar::new(s.fraction())
                    .desired_width(width)
                    .text(format!("{} / {}", s.done, s.total)),
            );
            ui.label(
                RichText::new(format!(
                    "{} · {}{}",
                    s.phase,
                    duration(s.elapsed),
                    s.left
                        .map_or(String::new(), |l| format!(" · {} left", duration(l)))
                ))
                .small(),
            );
        }
        let waiting: Vec<usize> = (0..all)
            .filter(|&i| !snaps[i].started && !snaps[i].finished)
            .collect();
        if !waiting.is_empty() {
            egui::CollapsingHeader::new(format!("queue: {} waiting", waiting.len()))
                .id_salt("lab-queue")
                .show(ui, |ui| {
                    for i in waiting {
                        ui.horizontal(|ui| {
                            ui.label(RichText::new(job.tasks[i].to_string()).small());
                            if snaps[i].cancelled {
                                ui.label(RichText::new("skipped").small());
                            } else if ui
                                .small_button("✖")
                                .on_hover_text("Skip this task")
                                .clicked()
                            {
                                job.cancel_task(i);
                            }
                        });
                    }
                });
        }
        let cancelled = snaps.iter().filter(|s| s.cancelled && s.finished).count();
        if cancelled > 0 {
            ui.label(RichText::new(format!("{cancelled} cancelled")).small());
        }
        ui.ctx().request_repaint_after(Duration::from_millis(100));
    }
}

/// Draws a chart with egui_plot: log axes as log10 values with 1k / 1M tick labels, a hover
/// naming the row behind a point.
pub fn draw_chart(ui: &mut Ui, chart: &Chart, id: &str, height: f32) {
    let (x_log, y_log) = (chart.x_log, chart.y_log);
    let hover: std::collections::HashMap<String, Vec<String>> = chart
        .series
        .iter()
        .map(|s| (s.name.clone(), s.hover.clone()))
        .collect();
    let axis = |log: bool| {
        move |mark: egui_plot::GridMark, r: &std::ops::RangeInclusive<f64>| {
            if log {
                if (mark.value - mark.value.round()).abs() < 1e-9 {
                    power_label(mark.value.round() as i32)
                } else {
                    value_label(10f64.powf(mark.value))
                }
            } else {
                // As many decimals as the visible range needs (recall 0.9995 against 1).
                let step = ((r.end() - r.start()) / 5.0).abs().max(1e-12);
                let decimals = ((-step.log10()).ceil().max(0.0) as usize).min(6);
                format!("{:.decimals$}", mark.value)
            }
        }
    };
    ui.label(RichText::new(&chart.title).strong());
    egui_plot::Plot::new(id)
        .height(height)
        .legend(egui_plot::Legend::default())
        .x_axis_label(format!(
            "{}{}",
            chart.x_label,
            if x_log { " (log)" } else { "" }
        ))
        .y_axis_label(format!(
            "{}{}",
            chart.y_label,
            if y_log { " (log)" } else { "" }
        ))
        .x_axis_formatter(axis(x_log))
        .y_axis_formatter(axis(y_log))
        .label_formatter(move |pos| match pos {
            egui_plot::HoverPosition::NearDataPoint {
                plot_name, index, ..
            } => hover
                .get(*plot_name)
                .and_then(|h| h.get(*index))
                .cloned()
                .or_else(|| Some(plot_name.to_string())),
            egui_plot::HoverPosition::Elsewhere { .. } => None,
        })
        .show(ui, |p| {
            for s in &chart.series {
                let pts: Vec<[f64; 2]> = s.points.iter().map(|q| chart.to_plot(*q)).collect();
                let c = color(s.color);
                if s.joined && pts.len() > 1 {
                    let mut line = egui_plot::Line::new(s.name.clone(), pts.clone())
                        .color(c)
                        .width(if s.frontier { 3.0 } else { 1.8 });
                    if s.reference {
                        line = line.style(egui_plot::LineStyle::dashed_loose());
                    }
                    p.line(line);
                }
                if !s.reference && !s.frontier {
                    p.points(
                        egui_plot::Points::new(s.name.clone(), pts)
                            .color(c)
                            .radius(4.0)
                            .filled(true),
                    );
                }
            }
        });
    ui.label(RichText::new(&chart.note).small().italics());
}

impl Panel for ScalingLab {
    fn controls(&mut self, ui: &mut Ui, _shared: &Shared) -> Reaction {
        let mut reaction = Reaction::default();
        if self.poll() {
            reaction.refit = true;
        }
        self.sweep_controls(ui);
        self.progress_bars(ui);
        error_line(ui, self.error.clone());
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            ui.label("canvas");
            let before = self.settings.points;
            ui.selectable_value(&mut self.settings.points, false, "plot");
            ui.selectable_value(&mut self.settings.points, true, "points and walk");
            if before != self.settings.points {
                reaction.refit = true;
            }
        })
        .response
        .on_hover_text("V: the next plot, then the points");
        ui.label(RichText::new("The walk over the largest size").strong());
        let before = (self.settings.query, self.settings.ef);
        let nq = self
            .kept
            .as_ref()
            .map_or(1, |b| b.workload.query_count().max(1));
        // The stored query is taken modulo the queries there are (the preview has fewer).
        let mut q = self.settings.query % nq + 1;
        if slider(ui, &mut q, 1..=nq, "query", false) {
            self.settings.query = q - 1;
        }
        free_slider(ui, &mut self.settings.ef, 1..=256, "ef", true);
        if (self.settings.query, self.settings.ef) != before {
            self.walk();
        }
        reaction
    }

    fn details(&mut self, ui: &mut Ui, _shared: &Shared) -> Reaction {
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            for k in PlotKind::ALL {
                if ui
                    .selectable_value(&mut self.settings.plot, k, k.short())
                    .clicked()
                {
                    self.generation += 1;
                }
            }
        });
        let rows = self.rows();
        let chart = plots::plot(self.settings.plot, &rows, None);
        if rows.is_empty() {
            ui.label("No measurements yet: choose methods and sizes, then ▶ Run sweep.");
        } else {
            draw_chart(ui, &chart, "scaling-plot", 260.0);
        }
        ui.horizontal_wrapped(|ui| {
            ui.add_enabled_ui(!rows.is_empty(), |ui| {
                // The window writes what is asked for (by the file's extension).
                let plot = self.settings.plot.id();
                for (text, name) in [
                    ("Plot as SVG…", format!("{plot}.svg")),
                    ("Plot as PNG…", format!("{plot}.png")),
                    ("Results as CSV…", "results.csv".to_string()),
                    ("JSON…", "results.json".to_string()),
                ] {
                    if ui.button(text).clicked() {
                        self.export = rfd::FileDialog::new().set_file_name(name).save_file();
                    }
                }
            });
        });
        Reaction::default()
    }
}

/// A slider that does not clamp the value it shows (see [`crate::scenes::panel::slider`]).
fn free_slider<N: egui::emath::Numeric>(
    ui: &mut Ui,
    value: &mut N,
    range: std::ops::RangeInclusive<N>,
    text: &str,
    log: bool,
) -> bool {
    ui.add(
        egui::Slider::new(value, range)
            .logarithmic(log)
            .clamping(egui::SliderClamping::Never)
            .text(text),
    )
    .changed()
}
