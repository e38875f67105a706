//! The window: panels, canvas, keyboard, transport. Uses the session and the scenes' panels;
//! nothing imports it.

pub mod app;
pub mod canvas;
pub mod transport;

pub use app::App;
