//! The NSW construction scene's controls.

use egui::Ui;

use super::NswConstruction;
use crate::scenes::graph_walk::nsw_panel::{graph_summary, lesson_walks};
use crate::scenes::panel::error_line;
use crate::scenes::{Panel, Reaction, Scene, Shared};

impl Panel for NswConstruction {
    fn controls(&mut self, ui: &mut Ui, shared: &Shared) -> Reaction {
        ui.heading("NSW construction");
        if self.settings.controls(ui) {
            self.build(shared);
        }
        let r = lesson_walks(ui, shared);
        error_line(ui, self.error());
        graph_summary(ui, &self.graph);
        r
    }
}
