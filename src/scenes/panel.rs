//! A scene's egui side: the controls and tables that sit beside the canvas. Each scene
//! implements it in `panel.rs` in its own folder; the scene core stays egui-free, so every
//! scene still builds, plays and renders without a window.

use super::{Reaction, Scene, Shared};

/// A scene's panels.
pub trait Panel {
    /// Parameters, in the left panel under the shared data.
    fn controls(&mut self, ui: &mut egui::Ui, shared: &Shared) -> Reaction;
    /// Results, tables and plots, in the right panel under the counters.
    fn details(&mut self, _ui: &mut egui::Ui, _shared: &Shared) -> Reaction {
        Reaction::default()
    }
    /// Right under the narration (and under the presenter caption, `big`): what the
    /// audience must not miss, with its remedies (e.g. a local minimum).
    fn alert(&mut self, _ui: &mut egui::Ui, _shared: &Shared, _big: bool) -> Reaction {
        Reaction::default()
    }
}

/// The panels of a scene of type `T`, found from the scene itself (the session holds scenes
/// as `dyn Scene`, free of egui; the window asks the registry for their panels).
pub fn panel_of<T: Scene + Panel>(scene: &mut dyn Scene) -> Option<&mut dyn Panel> {
    scene
        .as_any_mut()
        .downcast_mut::<T>()
        .map(|t| t as &mut dyn Panel)
}

/// A slider that reports a change; the shared shape of every scene's numeric controls.
pub fn slider<N: egui::emath::Numeric>(
    ui: &mut egui::Ui,
    value: &mut N,
    range: std::ops::RangeInclusive<N>,
    text: &str,
    log: bool,
) -> bool {
    ui.add(egui::Slider::new(value, range).logarithmic(log).text(text))
        .changed()
}

/// The scene's error in red, if any.
pub fn error_line(ui: &mut egui::Ui, error: Option<String>) {
    if let Some(e) = error {
        ui.colored_label(egui::Color32::from_rgb(230, 60, 60), format!("⚠ {e}"));
    }
}

/// The scene's views as a row of choices (V walks them too); returns whether the view changed
/// (the window then refits).
pub fn view_picker<V: PartialEq + Copy>(
    ui: &mut egui::Ui,
    view: &mut V,
    all: &[V],
    name: impl Fn(V) -> &'static str,
) -> bool {
    let before = *view;
    ui.horizontal_wrapped(|ui| {
        for &v in all {
            ui.selectable_value(view, v, name(v));
        }
    })
    .response
    .on_hover_text("V: the next view");
    before != *view
}

/// A background job's progress bar with its Cancel button (dropping the job stops it and
/// keeps the rows so far), or, with no job, the button that starts one: returns whether that
/// button was clicked.
pub fn job_controls<T: Clone + Send + 'static>(
    ui: &mut egui::Ui,
    job: &mut Option<super::worker::Worker<T>>,
    start: &str,
    cancel: &str,
) -> bool {
    match job.as_ref() {
        Some(j) => {
            ui.add(egui::ProgressBar::new(j.progress().0).show_percentage());
            if ui.button(cancel).clicked() {
                *job = None;
            }
            false
        }
        None => ui.button(start).clicked(),
    }
}
