//! The HNSW scene's controls, the two-width comparison, the per-layer table and the level
//! histogram against the geometric law.

use egui::{RichText, Ui};

use super::{Hnsw, HnswOp, level_share};
use crate::scenes::panel::{error_line, slider};
use crate::scenes::{Panel, Reaction, Scene, Shared};

impl Panel for Hnsw {
    fn controls(&mut self, ui: &mut Ui, shared: &Shared) -> Reaction {
        let s = &mut self.settings;
        let mut rebuild = false;
        let mut research = false;
        ui.heading("HNSW index");
        rebuild |= ui
            .add(egui::Slider::new(&mut s.m, 2..=48).text("M"))
            .on_hover_text("Links chosen per insertion; Mmax = M, Mmax0 = 2·M")
            .changed();
        rebuild |= slider(ui, &mut s.ef_construction, 1..=400, "ef_construction", true);
        rebuild |= ui
            .add(egui::Slider::new(&mut s.ml_factor, 0.0..=3.0).text("mL × ln M"))
            .on_hover_text("mL = factor / ln M; 1 is the paper's choice, 0 gives one layer")
            .changed();
        let ml = s.ml_factor / (s.m.max(2) as f64).ln();
        ui.label(
            RichText::new(format!("Mmax = {}, Mmax0 = {}, mL = {ml:.3}", s.m, 2 * s.m)).small(),
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
        research |= slider(ui, &mut s.ef, 1..=512, "ef", true);
        research |= slider(ui, &mut s.ef2, 1..=512, "ef to compare", true);
        research |= slider(ui, &mut s.k, 1..=20, "k (answers)", false);
        ui.separator();
        ui.heading("View");
        let mut flat = s.stack.flat.is_some();
        ui.horizontal(|ui| {
            ui.radio_value(&mut flat, false, "stacked layers");
            ui.radio_value(&mut flat, true, "one layer");
        });
        let top = self
            .state
            .as_ref()
            .map_or(0, |h| h.base().max_level().max(h.index.max_level())) as u8;
        let s = &mut self.settings;
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
            ui.horizontal(|ui| {
                use super::stack::Arrange;
                ui.label("planes:");
                ui.radio_value(&mut s.stack.arrange, Arrange::Auto, "auto")
                    .on_hover_text("A tower when there is height, a grid on a wide, short canvas");
                ui.radio_value(&mut s.stack.arrange, Arrange::Tower, "tower");
                ui.radio_value(&mut s.stack.arrange, Arrange::Grid, "grid");
            });
            ui.add(egui::Slider::new(&mut s.stack.tilt_deg, 0.0..=80.0).text("tilt °"));
            ui.add(egui::Slider::new(&mut s.stack.spin_deg, -180.0..=180.0).text("spin °"));
            ui.add(egui::Slider::new(&mut s.stack.separation, 0.1..=1.5).text("separation"));
        }
        ui.separator();
        ui.heading("Edit");
        if ui
            .button("➕ insert a random point")
            .on_hover_text(
                "Animated insertion of a seeded random point (I); shift+click or right-click places one",
            )
            .clicked()
            && let Some(h) = self.state.as_mut()
        {
            h.insert_random(shared.seed);
        }
        if ui
            .button("✖ delete the point nearest the query")
            .on_hover_text(
                "Hard delete: unlink, repair neighbours, promote a new entry point if needed \
                 (ctrl+click deletes the point under the cursor; alt+click moves the point \
                 nearest the query there)",
            )
            .clicked()
            && let Some(h) = self.state.as_mut()
        {
            h.delete_nearest_to(shared.query_vec);
        }
        if ui
            .button("🔍 search the query again")
            .on_hover_text("Back to the search animation for the current query")
            .clicked()
        {
            research = true;
        }
        let mut r = Reaction::default();
        if rebuild {
            self.build(shared);
            r.refit = true;
        } else if research {
            self.search(shared);
        }
        ui.label(
            RichText::new(format!(
                "{}: click layer 0 to move it",
                crate::scenes::query_where(shared)
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
        error_line(ui, self.error());
        r
    }

    fn details(&mut self, ui: &mut Ui, _shared: &Shared) -> Reaction {
        let Some(h) = self.state.as_ref() else {
            return Reaction::default();
        };
        // The comparison shows answers: after the walk, as the true nearest is.
        let at_end = self.play().is_some_and(|p| p.player.at_end(&p.trace));
        if h.op == HnswOp::Search && !h.compare.is_empty() && at_end {
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
            ui.checkbox(
                &mut self.settings.ring_unreachable,
                "ring unreachable nodes",
            );
        });
        let Some(h) = self.state.as_ref() else {
            return Reaction::default();
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
                let e = n as f64 * level_share(l, ml);
                egui_plot::Bar::new(l as f64 + 0.18, (1.0 + e).log10())
                    .width(0.34)
                    .name(format!("level {l}: {e:.1} expected"))
            })
            .collect();
        // The law in a line of its own: as a legend entry it covered the bars.
        ui.label(
            RichText::new(format!(
                "expected: n·(e^(−l/mL) − e^(−(l+1)/mL)), mL = {ml:.3}"
            ))
            .small(),
        );
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
                plot.bar_chart(egui_plot::BarChart::new("expected", expected));
            });
        Reaction::default()
    }
}
