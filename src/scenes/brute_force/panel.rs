//! The brute-force scene's controls and its table of the best k.

use egui::{RichText, Ui};

use super::BruteForce;
use crate::scenes::panel::{error_line, slider};
use crate::scenes::{Dist, Panel, Reaction, Scene, Shared};

impl Panel for BruteForce {
    fn controls(&mut self, ui: &mut Ui, shared: &Shared) -> Reaction {
        ui.heading("Brute force");
        let mut rebuild = slider(ui, &mut self.settings.k, 1..=20, "k (answers)", false);
        rebuild |= ui
            .add(egui::Slider::new(&mut self.settings.queries, 1..=5).text("queries in a row"))
            .on_hover_text("The shared query, then seeded random ones: the cost repeats for each")
            .changed();
        ui.label(
            RichText::new(format!(
                "query ({:.3}, {:.3}) — click or drag to move it; E: a random one",
                shared.query[0], shared.query[1]
            ))
            .small(),
        );
        if rebuild {
            self.build(shared);
        }
        error_line(ui, self.error());
        Reaction::default()
    }

    fn details(&mut self, ui: &mut Ui, _shared: &Shared) -> Reaction {
        ui.separator();
        let Some(sc) = self.scan() else {
            return Reaction::default();
        };
        ui.label(
            RichText::new(if sc.done {
                format!("Answer to query {}", sc.query + 1)
            } else {
                format!("Best k so far (query {})", sc.query + 1)
            })
            .strong(),
        );
        egui::Grid::new("brute_best")
            .striped(true)
            .num_columns(3)
            .show(ui, |ui| {
                for h in ["rank", "point", "distance"] {
                    ui.label(RichText::new(h).small().strong());
                }
                ui.end_row();
                for (i, (id, d)) in sc.best.iter().enumerate() {
                    ui.label(format!("#{}", i + 1));
                    ui.label(id.to_string());
                    ui.label(format!("{:.4}", Dist(*d)));
                    ui.end_row();
                }
            });
        let done: Vec<_> = self.state().scans.iter().filter(|s| s.done).collect();
        if !done.is_empty() {
            ui.add_space(6.0);
            ui.label(RichText::new("Queries answered").strong());
            egui::Grid::new("brute_queries")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    for h in ["query", "nearest", "distances"] {
                        ui.label(RichText::new(h).small().strong());
                    }
                    ui.end_row();
                    for s in done {
                        ui.label(format!("{}", s.query + 1));
                        ui.label(
                            s.best
                                .first()
                                .map_or("—".into(), |(id, d)| format!("{id} ({:.3})", Dist(*d))),
                        );
                        ui.label(s.dists.len().to_string());
                        ui.end_row();
                    }
                });
        }
        Reaction::default()
    }
}
