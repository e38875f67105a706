//! The window: panels, canvas, keyboard. Imports from every layer below; nothing imports it.

pub mod app;
pub mod canvas;
pub mod model;

pub use app::App;
