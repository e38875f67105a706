//! The one list of scenes ([`REGISTRY`], declared in `scenes/mod.rs` by one macro call that
//! also declares each scene's folder). The top bar, the number keys, `--scene`, the `scene` and `scenes`
//! commands, File ▸ Open example and the scene-file format all read it.

pub use super::REGISTRY;
use super::{Panel, Scene, SceneInfo};

/// A scene as the registry knows it: what it is, and how to make one with default settings.
pub struct SceneEntry {
    pub info: &'static SceneInfo,
    pub make: fn() -> Box<dyn Scene>,
    /// The scene's egui panels (beside its core, used by the window only).
    pub panel: fn(&mut dyn Scene) -> Option<&mut dyn Panel>,
}

/// The scene with this id (or an old alias such as `construction`, `search`).
pub fn find(id: &str) -> Option<&'static SceneEntry> {
    let id = match id {
        "construction" | "nsw" => "nsw-construction",
        "search" | "greedy" => "greedy-search",
        "brute" => "brute-force",
        "matrix" => "distance-matrix",
        other => other,
    };
    REGISTRY.iter().find(|e| e.info.id == id)
}

/// Position of a scene in the registry.
pub fn index_of(id: &str) -> Option<usize> {
    let e = find(id)?;
    REGISTRY.iter().position(|x| std::ptr::eq(x, e))
}

/// Every scene id, in order.
pub fn ids() -> Vec<&'static str> {
    REGISTRY.iter().map(|e| e.info.id).collect()
}

/// The registry as text, one line per scene: id, name, one sentence.
pub fn listing() -> String {
    let w = REGISTRY.iter().map(|e| e.info.id.len()).max().unwrap_or(0);
    REGISTRY
        .iter()
        .map(|e| format!("{:<w$}  {} — {}\n", e.info.id, e.info.name, e.info.blurb))
        .collect()
}
