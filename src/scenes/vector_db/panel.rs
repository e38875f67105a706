//! The vector database's controls in the database's terms (collection, nearVector /
//! nearObject, limit, distance, where, the strategy) and its tables: the results linked to the
//! canvas, the strategies' costs, the sweep's rows.

use egui::{RichText, Ui};

use super::{DbView, Near, VectorDb};
use crate::engine::Metric;
use crate::engine::collection::{MAX_OBJECTS, Source};
use crate::engine::filter_sweep::Correlation;
use crate::engine::filtered::Strategy;
use crate::scenes::panel::{error_line, job_controls, slider, view_picker};
use crate::scenes::{Dist, Panel, Reaction, Shared};

/// A control's change is taken when it settles: a drag ended, or a click or typed value.
fn settled(r: egui::Response) -> bool {
    r.drag_stopped() || (r.changed() && !r.dragged())
}

/// The vector as people type it: "0.1, -0.2, 0.3".
fn vector_text(v: &[f32]) -> String {
    v.iter()
        .map(|x| format!("{x}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl VectorDb {
    fn collection_controls(&mut self, ui: &mut Ui) -> bool {
        let mut rebuild = false;
        ui.heading("Collection");
        let s = &mut self.settings;
        let label = s.source.name();
        egui::ComboBox::from_label("data")
            .selected_text(label)
            .width(200.0)
            .show_ui(ui, |ui| {
                for (src, name) in [
                    (Source::Lesson, "the lesson's 5 objects (6-d)"),
                    (
                        Source::Clusters {
                            n: 2000,
                            dim: 16,
                            clusters: 8,
                            seed: 1,
                        },
                        "clustered objects",
                    ),
                    (Source::Digits, "1,797 handwritten digits (64-d)"),
                ] {
                    let same = std::mem::discriminant(&src) == std::mem::discriminant(&s.source);
                    if ui.selectable_label(same, name).clicked() && !same {
                        s.source = src;
                        s.near = Near::Default;
                        s.filter.clear();
                        rebuild = true;
                    }
                }
            });
        if let Source::Clusters {
            n,
            dim,
            clusters,
            seed,
        } = &mut s.source
        {
            // The collection and its graph are built when a drag ends, not at every step.
            rebuild |= settled(
                ui.add(
                    egui::Slider::new(n, 10..=MAX_OBJECTS)
                        .logarithmic(true)
                        .text("objects"),
                ),
            );
            rebuild |= settled(
                ui.add(
                    egui::Slider::new(dim, 2..=128)
                        .logarithmic(true)
                        .text("dimensions"),
                ),
            );
            rebuild |= settled(ui.add(egui::Slider::new(clusters, 1..=50).text("clusters")));
            rebuild |= settled(ui.add(egui::DragValue::new(seed).prefix("data seed ")));
            ui.label(
                RichText::new(
                    "category = the cluster (follows position); tag and foo are random (do not)",
                )
                .small(),
            );
        }
        if ui
            .button("📂 Import CSV…")
            .on_hover_text("A header row; the vector in columns v0, v1, … or one column 'vector'; every other column is a property")
            .clicked()
            && let Some(p) = rfd::FileDialog::new().add_filter("CSV", &["csv", "txt"]).pick_file()
        {
            s.source = Source::Csv {
                path: p.display().to_string(),
            };
            s.near = Near::Default;
            s.filter.clear();
            rebuild = true;
        }
        let own = "the collection's own";
        egui::ComboBox::from_label("distance")
            .selected_text(s.metric.map_or(own, |m| m.name()))
            .show_ui(ui, |ui| {
                rebuild |= ui.selectable_value(&mut s.metric, None, own).changed();
                for m in Metric::ALL {
                    rebuild |= ui
                        .selectable_value(&mut s.metric, Some(m), m.name())
                        .changed();
                }
            });
        ui.horizontal(|ui| {
            rebuild |= settled(ui.add(egui::DragValue::new(&mut s.m).range(2..=64).prefix("M ")));
            rebuild |= settled(
                ui.add(
                    egui::DragValue::new(&mut s.ef_construction)
                        .range(1..=1000)
                        .prefix("ef_construction "),
                ),
            );
            rebuild |= settled(ui.add(egui::DragValue::new(&mut s.seed).prefix("seed ")));
        });
        rebuild
    }

    fn query_controls(&mut self, ui: &mut Ui) -> bool {
        let mut requery = false;
        ui.heading("Query");
        let dim = self.built.as_ref().map_or(0, |b| b.coll.dim());
        let current = self
            .answer
            .as_ref()
            .map(|a| a.q.clone())
            .unwrap_or_default();
        let s = &mut self.settings;
        ui.horizontal(|ui| {
            let is_obj = matches!(s.near, Near::Object(_));
            if ui.selectable_label(!is_obj, "nearVector").clicked() && is_obj {
                s.near = Near::Vector(current.clone());
                requery = true;
            }
            if ui.selectable_label(is_obj, "nearObject").clicked() && !is_obj {
                s.near = Near::Object(0);
                requery = true;
            }
        });
        match &mut s.near {
            Near::Object(id) => {
                requery |= ui
                    .add(
                        egui::DragValue::new(id)
                            .range(0..=u32::MAX)
                            .prefix("object id "),
                    )
                    .on_hover_text("More like this object: click an object in the picture")
                    .changed();
            }
            _ => {
                let id = ui.make_persistent_id("vdb_vector");
                let mut text: String = ui
                    .data_mut(|d| d.get_temp::<String>(id))
                    .unwrap_or_else(|| vector_text(&current));
                // Wrapped over a few rows: a 64-d vector is read whole, not through a slit.
                let r = ui.add(
                    egui::TextEdit::multiline(&mut text)
                        .hint_text(format!("{dim} numbers, comma-separated"))
                        .desired_rows(2)
                        .desired_width(ui.available_width()),
                );
                // Enter runs it (the newline it typed is only a separator).
                let entered = text.contains('\n');
                if entered {
                    text = text.replace('\n', " ");
                }
                if entered || r.lost_focus() && text != vector_text(&current) {
                    let parsed: Result<Vec<f32>, _> = text
                        .split(|c: char| c == ',' || c.is_whitespace())
                        .filter(|t| !t.is_empty())
                        .map(str::parse::<f32>)
                        .collect();
                    match parsed {
                        Ok(v) => {
                            s.near = Near::Vector(v);
                            requery = true;
                        }
                        Err(e) => self.error = Some(format!("the vector: {e}")),
                    }
                }
                if entered {
                    ui.data_mut(|d| d.remove::<String>(id));
                    r.surrender_focus();
                } else if r.changed() {
                    ui.data_mut(|d| d.insert_temp(id, text));
                } else if !r.has_focus() {
                    ui.data_mut(|d| d.remove::<String>(id));
                }
                ui.label(RichText::new("Enter runs it; a click in the picture sets it").small());
            }
        }
        requery |= slider(ui, &mut s.k, 1..=100, "limit (k)", true);
        ui.horizontal(|ui| {
            let mut on = s.threshold.is_some();
            if ui.checkbox(&mut on, "distance ≤").changed() {
                s.threshold = on.then_some(0.5);
                requery = true;
            }
            if let Some(t) = s.threshold.as_mut() {
                requery |= ui
                    .add(egui::DragValue::new(t).speed(0.005).range(0.0..=1e6))
                    .changed();
            }
        });
        ui.label("where");
        let r = ui.add(
            egui::TextEdit::singleline(&mut s.filter)
                .hint_text("foo > 44 AND category = 3")
                .desired_width(240.0),
        );
        requery |= r.changed();
        if let Some(e) = self.answer.as_ref().and_then(|a| a.filter_error.clone()) {
            ui.colored_label(egui::Color32::from_rgb(230, 60, 60), format!("⚠ {e}"));
        } else if let Some(b) = self.built.as_ref() {
            ui.label(
                RichText::new(format!("properties: {}", b.coll.props.names.join(", "))).small(),
            );
        }
        let s = &mut self.settings;
        egui::ComboBox::from_label("strategy")
            .selected_text(
                s.strategy
                    .map_or("the planner (Weaviate's rule)", |x| x.name()),
            )
            .show_ui(ui, |ui| {
                requery |= ui
                    .selectable_value(&mut s.strategy, None, "the planner (Weaviate's rule)")
                    .changed();
                for st in Strategy::ALL {
                    requery |= ui
                        .selectable_value(&mut s.strategy, Some(st), st.name())
                        .changed();
                }
            });
        ui.horizontal(|ui| {
            requery |= ui
                .add(
                    egui::DragValue::new(&mut s.ef)
                        .range(1..=2000)
                        .prefix("ef "),
                )
                .changed();
            requery |= ui
                .add(
                    egui::DragValue::new(&mut s.flat_cutoff)
                        .range(0..=1_000_000)
                        .prefix("flatSearchCutoff "),
                )
                .changed();
        });
        requery
    }
}

impl Panel for VectorDb {
    fn controls(&mut self, ui: &mut Ui, _shared: &Shared) -> Reaction {
        let mut reaction = Reaction::default();
        if self.poll() {
            reaction.refit = true;
        }
        if self.collection_controls(ui) {
            self.rebuild();
            reaction.refit = true;
        }
        ui.separator();
        if self.query_controls(ui) {
            self.requery();
        }
        ui.separator();
        if view_picker(ui, &mut self.settings.view, &DbView::ALL, DbView::name) {
            reaction.refit = true;
        }
        ui.separator();
        ui.heading("Experiments");
        ui.horizontal(|ui| {
            for c in Correlation::ALL {
                ui.selectable_value(&mut self.settings.correlation, c, c.name());
            }
        })
        .response
        .on_hover_text("Which sweep the curves show: matches spread everywhere, nearest the query, or furthest from it");
        ui.add(
            egui::Slider::new(&mut self.settings.sweep_queries, 5..=500)
                .logarithmic(true)
                .text("queries per point"),
        );
        ui.add(
            egui::Slider::new(&mut self.settings.dims.n, 1000..=100_000)
                .logarithmic(true)
                .text("points (2-d vs 64-d)"),
        );
        // Each experiment: its progress and Cancel while it runs, else the button that runs it.
        if self.sweep_job.is_some() {
            ui.label("selectivity sweep");
        }
        let sweep = job_controls(ui, &mut self.sweep_job, "▶ Selectivity sweep", "✖ Cancel");
        if self.dims_job.is_some() {
            ui.label("2-d against 64-d");
        }
        let dims = job_controls(
            ui,
            &mut self.dims_job,
            "▶ Recall against ef, 2-d and 64-d",
            "✖ Cancel ",
        );
        for (clicked, view) in [(sweep, DbView::Sweep), (dims, DbView::Dimensions)] {
            if clicked {
                self.settings.view = view;
                self.run();
                reaction.refit = true;
            }
        }
        error_line(ui, self.error.clone());
        reaction
    }

    fn details(&mut self, ui: &mut Ui, _shared: &Shared) -> Reaction {
        let (Some(b), Some(a)) = (self.built.as_ref(), self.answer.as_ref()) else {
            return Reaction::default();
        };
        ui.separator();
        ui.label(RichText::new(format!("Results ({})", a.used.map_or("", |u| u.name()))).strong());
        if a.results.is_empty() {
            ui.label("nothing returned");
        }
        let mut pick: Option<crate::engine::PointId> = None;
        let mut hovered = None;
        egui::Grid::new("vdb_results").striped(true).show(ui, |ui| {
            for h in ["#", "id", "title", "distance", "properties", "exact?"] {
                ui.label(RichText::new(h).small().strong());
            }
            ui.end_row();
            for (rank, (id, d)) in a.results.iter().enumerate() {
                let lit = self.hovered == Some(*id);
                let t = |s: String| {
                    if lit {
                        RichText::new(s).strong()
                    } else {
                        RichText::new(s)
                    }
                };
                ui.label(t(format!("{}", rank + 1)));
                let r = ui
                    .link(t(id.to_string()))
                    .on_hover_text("More like this object");
                if r.clicked() {
                    pick = Some(*id);
                }
                if r.hovered() {
                    hovered = Some(*id);
                }
                ui.label(t(b.coll.title(id.idx())));
                ui.label(t(format!("{}", Dist(*d))));
                let props: Vec<String> = b
                    .coll
                    .properties(id.idx())
                    .into_iter()
                    .take(4)
                    .map(|(n, v)| format!("{n}={v}"))
                    .collect();
                ui.label(RichText::new(props.join(" ")).small());
                ui.label(if a.truth.iter().any(|x| x.0 == *id) {
                    "✔"
                } else {
                    "✖"
                });
                ui.end_row();
            }
        });
        if let Some(h) = hovered {
            self.hovered = Some(h);
        }
        if let Some(id) = pick {
            self.near_object(id);
        }
        let rows = self.sweep_rows();
        if !rows.is_empty() {
            ui.separator();
            ui.label(
                RichText::new(format!("Sweep ({})", self.settings.correlation.name())).strong(),
            );
            egui::Grid::new("vdb_sweep").striped(true).show(ui, |ui| {
                for h in ["strategy", "matching", "recall", "distances", "returned"] {
                    ui.label(RichText::new(h).small().strong());
                }
                ui.end_row();
                for r in &rows {
                    ui.label(r.strategy.name());
                    ui.label(format!("{:.1} %", 100.0 * r.selectivity));
                    ui.label(format!("{:.3}", r.recall));
                    ui.label(format!("{:.0}", r.distances_per_query));
                    ui.label(format!("{:.2}", r.returned));
                    ui.end_row();
                }
            });
        }
        Reaction::default()
    }
}
