//! The keyboard map and its overlay (H or ?).

use egui::{Color32, RichText, Ui};

use super::App;

/// The keyboard map, shown in the help overlay and in tooltips.
pub const KEYS: &[(&str, &str)] = &[
    ("Space", "play / pause"),
    (
        "->  or  PgDn",
        "step forward (a clicker's PgDn: at a lesson slide's end the next slide; while predicting, the answer)",
    ),
    ("<-  or  PgUp", "step back (slide clicker: previous)"),
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
        "slide clickers' blank-screen keys: step forward / back",
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
                ui.heading("Keyboard map");
                ui.label(
                    RichText::new("Every button's tooltip names its key. Click outside to close.")
                        .weak(),
                );
                ui.add_space(6.0);
                let screen = ui.ctx().content_rect();
                // Two columns when they fit (they need ~1,400 points), else one that scrolls.
                let columns = if screen.width() >= 1400.0 { 2 } else { 1 };
                // The scenes' number keys come from the registry, then the fixed keys.
                let rows: Vec<(String, String)> = crate::scenes::REGISTRY
                    .iter()
                    .map(|e| (e.info.key.to_string(), format!("scene: {}", e.info.name)))
                    .chain(KEYS.iter().map(|(k, w)| (k.to_string(), w.to_string())))
                    .collect();
                let per_column = rows.len().div_ceil(columns);
                egui::ScrollArea::vertical()
                    .max_height(screen.height() * 0.75)
                    .show(ui, |ui| {
                        ui.horizontal_top(|ui| {
                            for (col, part) in rows.chunks(per_column).enumerate() {
                                egui::Grid::new(("keys", col))
                                    .striped(true)
                                    .spacing([14.0, 6.0])
                                    .show(ui, |ui| {
                                        for (k, what) in part {
                                            ui.label(RichText::new(k).monospace().strong());
                                            ui.label(what);
                                            ui.end_row();
                                        }
                                    });
                                ui.add_space(18.0);
                            }
                        });
                    });
            });
        if resp.should_close() {
            self.show_help = false;
        }
    }
}
