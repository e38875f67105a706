//! The greedy-search scene's controls, its result against brute force, the runs on this
//! query and the remedies at a local minimum.

use egui::{Color32, RichText, Stroke, Ui};

use super::{GreedySearch, ModeKind};
use crate::engine::PointId;
use crate::scenes::graph_walk::nsw_panel::{graph_summary, lesson_walks};
use crate::scenes::panel::{error_line, slider};
use crate::scenes::{Panel, Reaction, Shared};

const RED: Color32 = Color32::from_rgb(235, 64, 80);
const GREEN: Color32 = Color32::from_rgb(60, 200, 110);

impl Panel for GreedySearch {
    fn controls(&mut self, ui: &mut Ui, shared: &Shared) -> Reaction {
        ui.heading("Graph (NSW)");
        let rebuild = self.settings.graph.controls(ui);
        ui.separator();
        ui.heading("Search");
        let s = &mut self.settings;
        let mut research = false;
        ui.horizontal(|ui| {
            for mk in ModeKind::ALL {
                research |= ui.radio_value(&mut s.mode, mk, mk.name()).changed();
            }
        });
        ui.add_enabled_ui(s.mode == ModeKind::MultiStart, |ui| {
            research |= slider(ui, &mut s.restarts, 1..=50, "restarts", false);
        });
        ui.add_enabled_ui(s.mode == ModeKind::Beam, |ui| {
            research |= slider(ui, &mut s.ef, 1..=256, "ef (beam width)", true);
        });
        research |= slider(ui, &mut s.k, 1..=20, "k (answers)", false);
        let n = self.graph.inserted();
        let mut entry = self.settings.entry;
        ui.horizontal(|ui| {
            let l = ui.label("entry node");
            let changed = ui
                .add(egui::DragValue::new(&mut entry).range(0..=n.saturating_sub(1) as u32))
                .labelled_by(l.id)
                .on_hover_text("Where the search starts (shift+click a node)")
                .changed();
            if changed && (entry as usize) < n {
                self.set_entry(shared, PointId(entry));
            }
            if ui
                .button("🎲 random")
                .on_hover_text("Random entry node (E)")
                .clicked()
            {
                self.random_entry(shared);
            }
        });
        let r = lesson_walks(ui, shared);
        ui.label(
            RichText::new(format!(
                "{} — click the canvas to move it",
                crate::scenes::query_where(shared)
            ))
            .small(),
        );
        if rebuild {
            self.rebuild_graph(shared);
        } else if research {
            self.runs.clear();
            self.rerun(shared);
        }
        error_line(ui, self.error.clone());
        graph_summary(ui, &self.graph);
        r
    }

    fn details(&mut self, ui: &mut Ui, _shared: &Shared) -> Reaction {
        ui.separator();
        self.result_box(ui);
        Reaction::default()
    }

    fn alert(&mut self, ui: &mut Ui, shared: &Shared, big: bool) -> Reaction {
        if !self.at_local_minimum() {
            return Reaction::default();
        }
        if big {
            // Wrapped: a presenter panel is narrow, and a row wider than it would push it aside.
            ui.horizontal_wrapped(|ui| {
                if ui
                    .button(RichText::new("retry with restarts").size(18.0))
                    .clicked()
                {
                    self.retry_with_restarts(shared);
                }
                if ui
                    .button(RichText::new("retry with beam ef").size(18.0))
                    .clicked()
                {
                    self.retry_with_beam(shared);
                }
            });
            return Reaction::default();
        }
        egui::Frame::group(ui.style())
            .stroke(Stroke::new(2.0, RED))
            .show(ui, |ui| {
                ui.label(
                    RichText::new("Stuck in a local minimum")
                        .strong()
                        .color(RED),
                );
                ui.label("Try a remedy on the same query, data and entry:");
                let s = &mut self.settings;
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
                    self.retry_with_restarts(shared);
                } else if beam {
                    self.retry_with_beam(shared);
                }
            });
        Reaction::default()
    }
}

impl GreedySearch {
    fn result_box(&self, ui: &mut Ui) {
        let Some(p) = self.search.as_ref() else {
            return;
        };
        ui.label(RichText::new("Result against the true nearest").strong());
        let truth = &p.trace.truth;
        // Told at the end, as on the canvas: before, it would answer the lessons' questions.
        let at_end = p.player.at_end(&p.trace);
        match truth.first() {
            Some((t, td)) if at_end => {
                ui.label(format!("true nearest (brute force): {t} at {td:.3}"));
            }
            Some(_) => {
                ui.label(RichText::new("true nearest: (shown at the end)").weak());
            }
            None => {}
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
                .color(if ok { GREEN } else { RED }),
            );
            ui.label(format!(
                "recall@{}: {:.2}",
                truth.len(),
                hits as f32 / truth.len().max(1) as f32
            ));
        }
        if self.runs.is_empty() {
            return;
        }
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
                let walking = !p.player.at_end(&p.trace);
                let last = self.runs.len().saturating_sub(1);
                for (i, r) in self.runs.iter().enumerate() {
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
