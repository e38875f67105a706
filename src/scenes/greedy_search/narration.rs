//! The greedy-search scene's own narration: what it says before the first step (its walks are
//! narrated with the other graph scenes' walks).

use crate::engine::SearchMode;
use crate::trace::{Algo, Trace};

/// What the scene says before the first step.
pub fn ready(trace: &Trace) -> String {
    match trace.algo {
        Algo::Search(mode) => format!(
            "{} for the query. Press ▶ (Space) to play or -> to step.",
            match mode {
                SearchMode::Greedy => "A greedy walk from the entry node".to_string(),
                SearchMode::MultiStart { restarts } =>
                    format!("Greedy walks from the entry and {restarts} random restarts"),
                SearchMode::Beam { ef } => format!("A beam search keeping the ef = {ef} best"),
            }
        ),
        _ => String::new(),
    }
}
