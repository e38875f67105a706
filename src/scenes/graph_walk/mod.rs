//! What the graph scenes share (NSW construction, greedy search, HNSW): they record the same
//! walk events ([`crate::engine::Event`]), so they share their narration and drawing helpers.

pub mod draw;
pub mod narrate;
pub mod nsw_panel;
pub mod nsw_settings;
pub mod pseudocode;
