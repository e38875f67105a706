//! The Annoy scene's controls (the forest, the search, the view), the queue as a list with
//! its priorities, the ranking against the truth and recall@k against search_k.

use egui::{RichText, Ui};

use super::{AnnoyScene, ForestView, MAX_TREES};
use crate::engine::annoy::Node;
use crate::scenes::panel::{error_line, slider};
use crate::scenes::{Dist, Panel, Reaction, Scene, Shared};
use crate::trace::player::Command;

impl AnnoyScene {
    fn forest_controls(&mut self, ui: &mut Ui, shared: &Shared) -> bool {
        let s = &mut self.settings;
        let mut rebuild = ui
            .add(egui::Slider::new(&mut s.n_trees, 1..=MAX_TREES).text("n_trees"))
            .on_hover_text("Trees in the forest: more trees, more cells around the query, better recall for the same search_k")
            .changed();
        let own = shared.points.dim() + 2;
        let mut annoy_k = s.k_leaf.is_none();
        if ui
            .checkbox(&mut annoy_k, format!("Annoy's K = f + 2 = {own}"))
            .on_hover_text("annoylib.h stops splitting at f + 2 points for f coordinates")
            .changed()
        {
            s.k_leaf = if annoy_k { None } else { Some(8) };
            rebuild = true;
        }
        if let Some(k_leaf) = s.k_leaf.as_mut() {
            rebuild |= slider(ui, k_leaf, 1..=64, "K (most points in a leaf)", true);
        }
        rebuild |= ui
            .add(egui::Slider::new(&mut s.two_means_steps, 0..=200).text("2-means steps"))
            .on_hover_text("Annoy refines the two sampled points with 200 steps of 2-means; 0 splits half-way between the sampled points themselves")
            .changed();
        rebuild
    }

    fn search_controls(&mut self, ui: &mut Ui, shared: &Shared) -> bool {
        let n = shared.points.len().max(1);
        let s = &mut self.settings;
        let mut research = slider(ui, &mut s.k, 1..=20, "k (answers)", false);
        let default = s.n_trees.clamp(1, MAX_TREES) * s.k.max(1);
        let mut annoy_sk = s.search_k.is_none();
        if ui
            .checkbox(
                &mut annoy_sk,
                format!("Annoy's search_k = n_trees · k = {default}"),
            )
            .changed()
        {
            s.search_k = if annoy_sk { None } else { Some(default) };
            research = true;
        }
        if let Some(sk) = s.search_k.as_mut() {
            let top = (n * s.n_trees.max(1)).max(2);
            research |= ui
                .add(egui::Slider::new(sk, 1..=top).logarithmic(true).text("search_k"))
                .on_hover_text("Candidates to collect (repeats across trees count) before ranking them exactly")
                .changed();
        }
        if let Some(need) = self.missed.iter().filter_map(|m| m.found_at).max()
            && ui
                .button(format!("search_k = {need}: find the missed"))
                .on_hover_text("The smallest search_k whose queue reaches every true neighbour")
                .clicked()
        {
            self.settings.search_k = Some(need);
            research = true;
        }
        research
    }

    fn view_controls(&mut self, ui: &mut Ui) {
        let s = &mut self.settings;
        ui.horizontal(|ui| {
            ui.radio_value(&mut s.view, ForestView::OneTree, "one tree");
            ui.radio_value(&mut s.view, ForestView::AllTrees, "all trees overlaid");
        })
        .response
        .on_hover_text("V: the next tree, then all trees");
        let last = s.n_trees.clamp(1, MAX_TREES);
        let mut shown = s.tree.min(last - 1) + 1;
        if ui
            .add(egui::Slider::new(&mut shown, 1..=last).text("tree on show"))
            .on_hover_text(
                "While the build or the search works in another tree, the canvas follows it",
            )
            .changed()
        {
            s.tree = shown - 1;
        }
        if self.search_start > 0
            && self.play.player.cursor < self.search_start
            && ui.button("⏭ Skip the build: to the search").clicked()
        {
            self.command(Command::SeekCursor(self.search_start));
        }
    }

    fn queue_table(&self, ui: &mut Ui) {
        let st = self.state();
        let (Some(index), Some(forest)) = (self.index.as_ref(), self.forest.as_ref()) else {
            return;
        };
        ui.label(RichText::new(format!("Priority queue ({} nodes)", st.queue_len())).strong());
        egui::Grid::new("annoy_queue")
            .striped(true)
            .num_columns(4)
            .show(ui, |ui| {
                for h in ["tree", "node", "kind", "priority"] {
                    ui.label(RichText::new(h).small().strong());
                }
                ui.end_row();
                for (node, p) in st.queue().take(12) {
                    ui.label((forest.tree_of[node as usize] + 1).to_string());
                    ui.label(node.to_string());
                    ui.label(match &index.nodes()[node as usize] {
                        Node::Leaf { items, .. } => format!("leaf ({})", items.len()),
                        Node::Split { count, .. } => format!("split ({count})"),
                    });
                    ui.label(if p.is_infinite() {
                        "+∞".to_string()
                    } else {
                        format!("{p:+.4}")
                    });
                    ui.end_row();
                }
            });
        if st.queue_len() > 12 {
            ui.label(RichText::new(format!("… and {} more", st.queue_len() - 12)).small());
        }
    }

    fn ranking_table(&self, ui: &mut Ui) {
        let st = self.state();
        ui.label(RichText::new("Answer against the truth (brute force)").strong());
        egui::Grid::new("annoy_rank")
            .striped(true)
            .num_columns(3)
            .show(ui, |ui| {
                for h in ["rank", "Annoy", "exact"] {
                    ui.label(RichText::new(h).small().strong());
                }
                ui.end_row();
                for (i, t) in self.truth.iter().enumerate() {
                    ui.label(format!("#{}", i + 1));
                    ui.label(st.results.get(i).map_or("—".into(), |(id, d)| {
                        format!("{id} ({:.3})", Dist(self.shown(*d)))
                    }));
                    let missed = self.missed.iter().any(|m| m.id == t.0);
                    let exact = format!("{} ({:.3})", t.0, Dist(t.1));
                    if missed && !st.results.is_empty() {
                        ui.colored_label(
                            egui::Color32::from_rgb(230, 80, 80),
                            format!("{exact} missed"),
                        );
                    } else {
                        ui.label(exact);
                    }
                    ui.end_row();
                }
            });
    }

    fn recall_plot(&self, ui: &mut Ui) {
        if self.curve.is_empty() {
            return;
        }
        ui.label(
            RichText::new(format!(
                "Recall@{} against search_k ({} random queries, {} trees)",
                self.settings.k.max(1),
                super::CURVE_QUERIES,
                self.index.as_ref().map_or(0, |i| i.roots().len())
            ))
            .strong(),
        );
        let pts: Vec<[f64; 2]> = self
            .curve
            .iter()
            .map(|c| [(c.search_k as f64).log10(), c.recall])
            .collect();
        let now = (self.search_k.max(1) as f64).log10();
        let at = self
            .curve
            .iter()
            .rfind(|c| c.search_k <= self.search_k)
            .map_or(0.0, |c| c.recall);
        ui.label(RichText::new(format!("at search_k = {}: ≥ {at:.2}", self.search_k)).small());
        egui_plot::Plot::new("annoy_recall")
            .height(150.0)
            .allow_drag(false)
            .allow_zoom(false)
            .allow_scroll(false)
            .include_y(0.0)
            .include_y(1.0)
            .x_axis_label("search_k (log)")
            .y_axis_label("recall")
            .x_axis_formatter(|m, _| format!("{}", 10f64.powf(m.value).round()))
            .show(ui, |p| {
                p.line(egui_plot::Line::new("recall", pts.clone()).width(2.0));
                p.points(egui_plot::Points::new("search_k values", pts).radius(3.0));
                p.vline(
                    egui_plot::VLine::new("search_k now", now)
                        .style(egui_plot::LineStyle::dashed_loose()),
                );
            });
    }
}

impl Panel for AnnoyScene {
    fn controls(&mut self, ui: &mut Ui, shared: &Shared) -> Reaction {
        ui.heading("Annoy forest");
        let rebuild = self.forest_controls(ui, shared);
        ui.separator();
        ui.heading("Search");
        let research = self.search_controls(ui, shared);
        ui.label(
            RichText::new(format!(
                "{} — click or drag to move it; E: a random one",
                crate::scenes::query_where(shared)
            ))
            .small(),
        );
        ui.separator();
        ui.heading("View");
        self.view_controls(ui);
        if rebuild {
            self.build(shared);
        } else if research {
            self.query_moved(shared);
        }
        error_line(ui, self.error());
        Reaction::default()
    }

    fn details(&mut self, ui: &mut Ui, _shared: &Shared) -> Reaction {
        ui.separator();
        if self.state().searching() {
            self.queue_table(ui);
            ui.add_space(6.0);
            self.ranking_table(ui);
            ui.add_space(6.0);
        }
        self.recall_plot(ui);
        Reaction::default()
    }
}
