//! Helpers the window tests share.
#![allow(dead_code)]

use ann_explorer::ui::App;
use egui_kittest::Harness;

/// The window at 1600 × 1000 points, headless.
pub fn harness(app: App) -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_ui_state(|ui, app: &mut App| app.show(ui), app)
}

/// The window on a scene with default data (the seed lesson).
pub fn on(scene: &str) -> App {
    App::on_scene(scene)
}
