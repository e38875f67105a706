//! The keyboard map and its overlay (H or ?).

use egui::{Color32, RichText, Ui};

use super::App;

/// The keyboard map, shown in the help overlay and in tooltips.
pub const KEYS: &[(&str, &str)] = &[
    ("Space", "play / pause"),
    ("->  /  <-", "one step forward / back"),
    (
        "PgDn  /  PgUp",
        "presenter mode and lessons: the next / previous beat (a hop, a layer, a split, a sweep run, a slide's Show me; at a slide's end the next slide); otherwise one step",
    ),
    ("Home / End", "first / last step"),
    ("F", "fine / coarse detail"),
    (
        "R",
        "regenerate the points (the scaling lab: run the sweep)",
    ),
    (
        "V",
        "the scaling lab: the next plot, then the points and one query's walk",
    ),
    (
        "E",
        "greedy search: random entry node; brute force: random query",
    ),
    ("I", "HNSW: insert a random point (animated)"),
    (
        "ctrl+click",
        "HNSW: delete the point under the cursor (animated)",
    ),
    (
        "alt+click",
        "HNSW: move the point nearest the query there (delete + insert)",
    ),
    (
        "P",
        "predict the next hop (greedy search, HNSW): the walk waits for your answer",
    ),
    (
        "1 … 9  /  S  /  D",
        "predicting: the numbered neighbour / stop here / drop a layer (or click the node)",
    ),
    ("T", "light / dark theme"),
    ("L", "show / hide the legend under the canvas"),
    (
        "F5",
        "presenter mode (larger type, thicker strokes, high contrast)",
    ),
    ("F11", "full screen"),
    ("Esc", "leave presenter mode and full screen"),
    (
        ".  /  B",
        "slide clickers' blank-screen keys: as PgDn / PgUp",
    ),
    ("H  or  ?", "this help"),
    (
        "ctrl+O / ctrl+S",
        "open / save a scene file (ctrl+shift+S: save as)",
    ),
    ("ctrl+E", "export a figure: PNG, SVG, GIF, APNG"),
    (
        "ctrl+Z / ctrl+shift+Z",
        "undo / redo a change: query, parameters, data, edits (also ctrl+Y)",
    ),
    ("F12", "screenshot of the whole window"),
    (
        "click",
        "move the query; construction: jump to that point's insertion; matrix: read that row",
    ),
    (
        "shift+click / right-click",
        "search: start from that node; HNSW: insert a point there",
    ),
    (
        "drag",
        "move the query (grab it) or pan; scroll zooms; double-click fits",
    ),
];

impl App {
    /// The keyboard map as an overlay over the whole window (H or ?; a click outside, Esc,
    /// H or ? closes it). Two columns, so it fits on a projector at presenter scale.
    pub(super) fn help_window(&mut self, ui: &mut Ui) {
        let resp = egui::Modal::new(egui::Id::unique("keyboard-map"))
            .backdrop_color(Color32::from_black_alpha(170))
            .show(ui.ctx(), |ui| {
                let screen = ui.ctx().content_rect();
                ui.set_max_width(screen.width() - 40.0);
                ui.add(egui::Label::new(RichText::new("Keyboard map").heading()).wrap());
                ui.add(
                    egui::Label::new(
                        RichText::new(
                            "Every button's tooltip names its key. Click outside to close.",
                        )
                        .weak(),
                    )
                    .wrap(),
                );
                ui.add_space(6.0);
                // Two columns when they fit (they need ~1,400 points), else one that scrolls.
                let columns = if screen.width() >= 1400.0 { 2 } else { 1 };
                // The scenes' number keys come from the registry, then the fixed keys.
                let rows: Vec<(String, String)> = crate::scenes::REGISTRY
                    .iter()
                    .map(|e| (e.info.key.to_string(), format!("scene: {}", e.info.name)))
                    .chain(KEYS.iter().map(|(k, w)| (k.to_string(), w.to_string())))
                    .collect();
                let per_column = rows.len().div_ceil(columns);
                // Laid out for the window: a key column, then the meaning wrapped beside it.
                let width = ((screen.width() - 60.0) / columns as f32).min(680.0);
                let key_width = (width * 0.3).min(190.0);
                egui::ScrollArea::vertical()
                    .max_height(screen.height() * 0.7)
                    .show(ui, |ui| {
                        ui.horizontal_top(|ui| {
                            for part in rows.chunks(per_column) {
                                ui.vertical(|ui| {
                                    ui.set_width(width);
                                    for (k, what) in part {
                                        ui.horizontal_top(|ui| {
                                            ui.allocate_ui(egui::vec2(key_width, 0.0), |ui| {
                                                ui.set_width(key_width);
                                                ui.add(
                                                    egui::Label::new(
                                                        RichText::new(k).monospace().strong(),
                                                    )
                                                    .wrap(),
                                                );
                                            });
                                            ui.add(egui::Label::new(what.as_str()).wrap());
                                        });
                                        ui.add_space(3.0);
                                    }
                                });
                            }
                        });
                    });
            });
        if resp.should_close() {
            self.show_help = false;
        }
    }
}
