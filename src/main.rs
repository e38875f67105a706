//! ANN Explorer: the desktop window.

fn main() -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("ANN Explorer")
            .with_inner_size([1600.0, 1000.0])
            .with_min_inner_size([900.0, 600.0]),
        ..Default::default()
    };
    eframe::run_native(
        "ANN Explorer",
        options,
        Box::new(|cc| Ok(Box::new(ann_explorer::ui::App::from_creation_context(cc)))),
    )
}
