//! The algorithm core. GUI-free: nothing under `engine` imports egui.

pub mod annoy;
pub mod brute;
pub mod collection;
pub mod filter;
pub mod filter_sweep;
pub mod filtered;
pub mod hnsw;
pub mod kdtree;
pub mod matrix;
pub mod nsw;
pub mod pca;
pub mod points;
pub mod presets;
pub mod projection;
pub mod recorder;
pub mod rng;
pub mod scaling;
pub mod search;
pub mod smallworld;

pub use matrix::human_bytes;
pub use nsw::{InsertRule, Nsw, NswParams};
pub use points::{DataError, Dist, Metric, PointId, Points};
pub use recorder::{Event, Level, Log, NoRecorder, Recorder, VecRecorder};
pub use search::{Graph, Outcome, SearchMode, SearchStats};
