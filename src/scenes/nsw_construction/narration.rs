//! The NSW construction scene's own narration: before the first step, and its insertions,
//! scans and links (the walks of the Malkov rule are narrated with the other walks).

use crate::engine::{Event, InsertRule, Points};
use crate::scenes::graph_walk::narrate::ordinal;
use crate::trace::{Algo, Trace, TraceState};

/// What the scene says before the first step.
pub fn ready(trace: &Trace, points: &Points) -> String {
    match trace.algo {
        Algo::Construction(p) => format!(
            "{} points will be inserted one at a time, each linked to its m = {} {}. \
             Press ▶ (Space) to play or -> to step.",
            points.len(),
            p.m,
            match p.rule {
                InsertRule::Exact => "nearest already-inserted points".to_string(),
                InsertRule::Malkov2014 { w } => format!(
                    "nearest found by searching the graph built so far ({w} searches from random entries)"
                ),
            }
        ),
        _ => String::new(),
    }
}

/// Its own events; `None` for the walk events narrated with the other graph scenes.
pub fn own_event(trace: &Trace, state: &TraceState, e: &Event) -> Option<(String, String)> {
    let algo = trace.algo;
    Some(match *e {
        Event::Insert { node } => {
            let before = state.inserted.len() - 1;
            if before == 0 {
                (
                    format!("Insert point {node}"),
                    format!("Point {node} is the first: the graph is empty, nothing to link to."),
                )
            } else {
                let m = match algo {
                    Algo::Construction(p) => p.m,
                    _ => 0,
                };
                (
                    format!("Insert point {node}"),
                    format!(
                        "{before} point{} already in the graph. Point {node} will be linked to {} of them.{}",
                        if before == 1 { " is" } else { "s are" },
                        if m >= before {
                            format!("all {before} (m = {m} ≥ {before})")
                        } else {
                            format!("the m = {m} nearest")
                        },
                        if before < 8 {
                            " Early links like these span the whole space: they become the long-range links of the small world."
                        } else {
                            ""
                        }
                    ),
                )
            }
        }
        Event::Scan { node, count } => (
            format!("Scan {count} distances"),
            format!(
                "Compute the distance from {node} to each of the {count} inserted points ({count} distance computations) and keep the nearest."
            ),
        ),
        Event::Connect {
            from,
            to,
            dist,
            rank,
        } => (
            format!("Link {from} — {to}"),
            format!(
                "Link {from} to {to}, its {} nearest{} at distance {dist:.3}. Links go both ways.",
                ordinal(rank as usize + 1),
                if matches!(algo, Algo::Construction(p) if matches!(p.rule, InsertRule::Malkov2014 { .. }))
                {
                    " found"
                } else {
                    ""
                }
            ),
        ),
        _ => return None,
    })
}
