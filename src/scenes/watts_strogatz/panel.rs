//! The Watts–Strogatz controls: the ring (N, K, p, seed), the two nodes of the path, the
//! figure's sweep with its progress, and the figure's table.

use egui::{RichText, Ui};

use super::{MAX_N, WattsStrogatz, WsView, frame};
use crate::scenes::panel::error_line;
use crate::scenes::{Panel, Reaction, Scene, Shared};

impl Panel for WattsStrogatz {
    fn controls(&mut self, ui: &mut Ui, shared: &Shared) -> Reaction {
        let mut reaction = Reaction::default();
        if self.poll() {
            reaction.refit = true;
        }
        ui.heading("The ring");
        let s = &mut self.settings;
        let mut rebuild = ui
            .add(
                egui::Slider::new(&mut s.n, 6..=MAX_N)
                    .logarithmic(true)
                    .text("N"),
            )
            .changed();
        rebuild |= ui
            .add(
                egui::Slider::new(&mut s.k, 4..=20)
                    .step_by(2.0)
                    .text("K (even)"),
            )
            .changed();
        rebuild |= ui
            .add(
                egui::Slider::new(&mut s.p, 0.0..=1.0)
                    .logarithmic(true)
                    .text("p"),
            )
            .on_hover_text("Each edge's far end moves to a uniform node with this probability")
            .changed();
        rebuild |= ui
            .add(egui::DragValue::new(&mut s.seed).prefix("seed "))
            .changed();
        ui.label(RichText::new("Click a node: the path's end; shift-click: its start").small());
        if rebuild {
            self.build(shared);
        }
        ui.separator();
        let before = self.settings.view;
        ui.horizontal(|ui| {
            ui.selectable_value(&mut self.settings.view, WsView::Ring, "the ring");
            ui.selectable_value(&mut self.settings.view, WsView::Figure, "the figure");
        })
        .response
        .on_hover_text("V: the other view");
        if before != self.settings.view {
            reaction.refit = true;
        }
        ui.separator();
        ui.heading("The classic figure");
        let sw = &mut self.settings.sweep;
        ui.add(
            egui::Slider::new(&mut sw.n, 100..=5000)
                .logarithmic(true)
                .text("N"),
        );
        ui.add(egui::Slider::new(&mut sw.k, 4..=20).step_by(2.0).text("K"));
        ui.add(egui::Slider::new(&mut sw.runs, 1..=50).text("rewirings per p"));
        ui.label(
            RichText::new(format!(
                "{} values of p from 10^−{} to 1",
                sw.ps().len(),
                sw.decades
            ))
            .small(),
        );
        // Dropping the job stops it between rewirings and keeps the earlier results.
        if crate::scenes::panel::job_controls(ui, &mut self.job, "▶ Run the sweep (R)", "✖ Cancel")
        {
            self.run_sweep();
        }
        error_line(ui, self.error());
        reaction
    }

    fn details(&mut self, ui: &mut Ui, _shared: &Shared) -> Reaction {
        let rows = &self.settings.results;
        if rows.is_empty() {
            return Reaction::default();
        }
        ui.separator();
        ui.label(RichText::new("C(p)/C(0) and L(p)/L(0)").strong());
        if let Some((lo, hi)) = frame::window(rows) {
            ui.label(RichText::new(format!("small world for p from {lo:.4} to {hi:.3}")).small());
        }
        egui::Grid::new("ws_rows").striped(true).show(ui, |ui| {
            for h in ["p", "C/C(0)", "L/L(0)"] {
                ui.label(RichText::new(h).small().strong());
            }
            ui.end_row();
            for r in rows {
                ui.label(format!("{:.4}", r.p));
                ui.label(format!("{:.3}", r.c_ratio));
                ui.label(format!("{:.3}", r.l_ratio));
                ui.end_row();
            }
        });
        Reaction::default()
    }
}
