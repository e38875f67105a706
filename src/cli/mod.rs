//! Commands of the command line that have more to them than a line of `main.rs`.

pub mod filter_bench;
pub mod scale;
pub mod smallworld;
