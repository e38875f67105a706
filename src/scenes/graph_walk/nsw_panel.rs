//! The NSW scenes' shared controls: the graph's settings and the seed lesson's two walks.

use egui::{RichText, Ui};

use super::nsw_settings::NswSettings;
use crate::engine::PointId;
use crate::engine::presets::Preset;
use crate::scenes::panel::slider;
use crate::scenes::{Reaction, SceneAction, Shared};

impl NswSettings {
    /// m, the rule and w. Returns whether anything changed.
    pub fn controls(&mut self, ui: &mut Ui) -> bool {
        let mut changed = slider(ui, &mut self.m, 1..=32, "m (links per insertion)", false);
        ui.horizontal(|ui| {
            ui.label("rule");
            changed |= ui
                .radio_value(&mut self.exact_rule, true, "exact")
                .on_hover_text("Link to the true m nearest already inserted (the lesson's rule)")
                .changed();
            changed |= ui
                .radio_value(&mut self.exact_rule, false, "Malkov 2014")
                .on_hover_text(
                    "Link to the m nearest found by searching the graph itself, w times from random entries",
                )
                .changed();
        });
        ui.add_enabled_ui(!self.exact_rule, |ui| {
            changed |= slider(ui, &mut self.w, 1..=16, "w (searches)", false);
        });
        changed
    }
}

/// The seed lesson's two walks: from 7 it finds the nearest, from 0 it is stuck. Each opens
/// greedy search and plays the walk.
pub fn lesson_walks(ui: &mut Ui, shared: &Shared) -> Reaction {
    let mut r = Reaction::default();
    if shared.preset != Preset::SeedLesson {
        return r;
    }
    ui.horizontal(|ui| {
        ui.label("lesson walks:");
        for (node, tip) in [
            (7, "7 -> 5 -> 2 -> 6: finds the nearest"),
            (0, "0 -> 1: stuck in a local minimum"),
        ] {
            if ui
                .button(format!("from {node}"))
                .on_hover_text(format!("Greedy search: {tip}"))
                .clicked()
            {
                r = Reaction {
                    switch_to: Some("greedy-search"),
                    then: Some(SceneAction::StartAt(PointId(node))),
                    ..Reaction::default()
                };
            }
        }
    });
    r
}

/// The graph's size, small, under the controls.
pub fn graph_summary(ui: &mut Ui, graph: &crate::engine::Nsw) {
    ui.label(
        RichText::new(format!(
            "graph: {} nodes, {} links",
            graph.inserted(),
            graph.edge_count()
        ))
        .small()
        .weak(),
    );
}
