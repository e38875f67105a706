//! The distance matrix's controls and the row read off.

use egui::{RichText, Ui};

use super::{Matrix, Order};
use crate::scenes::panel::{error_line, slider};
use crate::scenes::{Dist, Panel, Reaction, Scene, Shared};

impl Panel for Matrix {
    fn controls(&mut self, ui: &mut Ui, _shared: &Shared) -> Reaction {
        ui.heading("Distance matrix");
        let mut r = Reaction::default();
        ui.horizontal(|ui| {
            ui.label("rows");
            let before = self.settings.order;
            ui.radio_value(&mut self.settings.order, Order::Ids, "id order")
                .on_hover_text("Point 0 first, then 1, 2, …");
            ui.radio_value(&mut self.settings.order, Order::Chain, "neighbours together")
                .on_hover_text("A nearest-neighbour chain: from an end of the data, always on to the nearest point not yet placed; clusters show as dark blocks");
            if before != self.settings.order {
                self.reorder();
            }
        });
        slider(
            ui,
            &mut self.settings.k,
            1..=20,
            "k (neighbours read off a row)",
            false,
        );
        let mut row = self.settings.row.is_some();
        if ui
            .checkbox(&mut row, "read a row")
            .on_hover_text("Or click a point or a row of the heatmap")
            .changed()
        {
            self.settings.row = row.then_some(0);
            if row && !self.complete() {
                self.command(crate::trace::player::Command::Last);
            }
        }
        if let Some(mut i) = self.settings.row {
            let l = ui.label("row");
            if ui
                .add(egui::DragValue::new(&mut i).range(0..=self.n.saturating_sub(1) as u32))
                .labelled_by(l.id)
                .changed()
            {
                self.settings.row = Some(i);
            }
        }
        ui.label(
            RichText::new(
                "Hover a cell for its distance; click a point or a row to read its neighbours.",
            )
            .small(),
        );
        error_line(ui, self.error());
        r.refit = false;
        r
    }

    fn details(&mut self, ui: &mut Ui, _shared: &Shared) -> Reaction {
        let Some((row, near)) = self.row_answer() else {
            return Reaction::default();
        };
        ui.separator();
        ui.label(RichText::new(format!("Row {row}, read off")).strong());
        egui::Grid::new("matrix_row")
            .striped(true)
            .num_columns(3)
            .show(ui, |ui| {
                for h in ["rank", "point", "D[row][point]"] {
                    ui.label(RichText::new(h).small().strong());
                }
                ui.end_row();
                for (i, (id, d)) in near.iter().enumerate() {
                    ui.label(format!("#{}", i + 1));
                    ui.label(id.to_string());
                    ui.label(format!("{:.4}", Dist(*d)));
                    ui.end_row();
                }
            });
        Reaction::default()
    }
}
