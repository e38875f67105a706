//! ANN Explorer: watch approximate-nearest-neighbour search work, one decision at a time.
//!
//! Layers, importing one way only: `engine` ← `trace` ← `scene` ← `ui`.

pub mod engine;
pub mod export;
pub mod scene;
pub mod trace;
pub mod ui;
