//! ANN Explorer: watch approximate-nearest-neighbour search work, one decision at a time.
//!
//! Layers, importing one way only: `engine` ← `trace` ← `scenes` ← `session` ← `ui` (and the
//! command line in `main.rs`). Beside them, `render` holds the primitives scenes produce and
//! the backends consume (the egui painter in `ui::canvas`, SVG and raster in `export`).

pub mod cli;
pub mod engine;
pub mod export;
pub mod render;
pub mod scenes;
pub mod session;
pub mod trace;
pub mod ui;
