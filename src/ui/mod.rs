//! The window: panels, canvas, keyboard. Imports from every layer below; nothing imports it.

pub mod app;
pub mod canvas;
pub mod figure;
pub mod hnsw_model;
pub mod model;
pub mod scene_file;

pub use app::App;
