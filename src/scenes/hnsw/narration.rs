//! The HNSW scene's own narration: before the first step, and the events only HNSW records
//! (the level drawn, layer changes, the neighbour heuristic, links, deletes, promotions).

use crate::engine::Event;
use crate::trace::{Algo, Trace, TraceState};

/// What the scene says before the first step.
pub fn ready(trace: &Trace) -> String {
    match trace.algo {
        Algo::HnswDelete { node, moved, .. } => format!(
            "Delete point {node}{}: every node that links to it re-selects its links, so the graph stays navigable. Press ▶ (Space) to play or -> to step.",
            if moved {
                " and insert it again at its new place"
            } else {
                ""
            }
        ),
        Algo::HnswInsert(p) => format!(
            "Insert a new point into the HNSW (M = {}, Mmax0 = {}, ef_construction = {}, mL = {:.3}). Press ▶ (Space) to play or -> to step.",
            p.m, p.m_max0, p.ef_construction, p.ml
        ),
        Algo::HnswSearch { ef, .. } => format!(
            "Search the HNSW: greedy from the entry point down the layers, then a beam of ef = {ef} on layer 0. Press ▶ (Space) to play or -> to step."
        ),
        _ => String::new(),
    }
}

/// Its own events; `None` for the walk events narrated with the other graph scenes. The last
/// step of an insertion, delete or move also sums the operation up.
pub fn own_event(trace: &Trace, state: &TraceState, e: &Event) -> Option<(String, String)> {
    let (title, text) = event_words(trace, state, e)?;
    if state.cursor < trace.events.len() {
        return Some((title, text));
    }
    let done = |what: String| {
        let level = state
            .levels_drawn
            .last()
            .map(|&(_, l, _)| format!(" on layers 0 … {l}"))
            .unwrap_or_default();
        (
            what,
            format!(
                "{text} Done{level}: {} links added, {} dropped, {} distance computations.",
                state.links_added.len(),
                state.links_dropped.len(),
                state.distance_computations
            ),
        )
    };
    Some(match trace.algo {
        Algo::HnswInsert(_) => {
            let node = state.levels_drawn.last().map(|&(n, _, _)| n);
            done(node.map_or(title, |n| format!("Point {n} inserted")))
        }
        Algo::HnswDelete { node, moved, .. } => done(if moved {
            format!("Point {node} moved")
        } else {
            format!("Point {node} deleted")
        }),
        _ => (title, text),
    })
}

/// What one of the scene's own events did.
fn event_words(trace: &Trace, state: &TraceState, e: &Event) -> Option<(String, String)> {
    let algo = trace.algo;
    let deleting = match algo {
        Algo::HnswDelete { node, .. } if state.levels_drawn.is_empty() => Some(node),
        _ => None,
    };
    Some(match *e {
        Event::Level { node, level, u } => {
            let ml = match algo {
                Algo::HnswInsert(p) => p.ml,
                _ => 0.0,
            };
            let x = -(u as f64).ln();
            (
                format!("Point {node} gets level {level}"),
                format!(
                    "Draw u = {u:.3}: l = ⌊−ln(u) · mL⌋ = ⌊{x:.3} × {ml:.3}⌋ = {level}. Point {node} will live on layer{} 0{}. Higher levels are exponentially rarer.",
                    if level > 0 { "s" } else { "" },
                    if level > 0 {
                        format!(" … {level}")
                    } else {
                        " only".to_string()
                    }
                ),
            )
        }
        Event::Layer { layer, from } => {
            let here = state
                .current()
                .map_or(String::new(), |(c, d)| format!(" at node {c} ({d:.3})"));
            if let Some(x) = deleting {
                (
                    format!("Layer {layer}: unlink {x}"),
                    format!(
                        "On layer {layer}, find every node that links to {x}, drop that link and re-choose its neighbours among its own and {x}'s."
                    ),
                )
            } else if layer == from {
                (
                    format!("Layer {layer}: the top"),
                    format!("Work starts on the top layer, {layer}{here}: few nodes, long links."),
                )
            } else {
                let what = match algo {
                    Algo::HnswInsert(p)
                        if state.levels_drawn.last().is_some_and(|l| l.1 >= layer) =>
                    {
                        format!(
                            " Search it with ef_construction = {} and link the new point here.",
                            p.ef_construction
                        )
                    }
                    Algo::HnswSearch { ef, .. } if layer == 0 => {
                        format!(" Layer 0 holds every point: search it with a beam of ef = {ef}.")
                    }
                    _ => " Continue greedily (ef = 1).".to_string(),
                };
                (
                    format!("Drop to layer {layer}"),
                    format!(
                        "Nothing closer on layer {from}: drop to layer {layer}{here}, the best node found becomes the entry.{what}"
                    ),
                )
            }
        }
        Event::Keep { base, node, dist } => (
            format!("Keep {node}"),
            format!(
                "Keep {node} ({dist:.3}) as a neighbour of {base}: it is closer to {base} than to every neighbour kept so far."
            ),
        ),
        Event::Prune {
            base,
            node,
            dist,
            by,
            by_dist,
        } => (
            format!("Prune {node}"),
            format!(
                "Prune {node}: it is {dist:.3} from {base} but only {by_dist:.3} from {by}, already kept; {by} covers that direction. (Heuristic, Alg. 4.)"
            ),
        ),
        Event::Link { from, to, dist } if deleting.is_some() => {
            let l = state.layer().unwrap_or(0);
            let x = deleting.unwrap_or(from);
            (
                format!("Repair {from}: link {to}"),
                format!(
                    "{from} lost its link to {x} on layer {l}; SELECT-NEIGHBORS now gives it {to} ({dist:.3}), one of {x}'s neighbours."
                ),
            )
        }
        Event::Unlink { from, to } if deleting.is_some() => {
            let l = state.layer().unwrap_or(0);
            let x = deleting.unwrap_or(from);
            if from == x {
                (
                    format!("Clear {x} -> {to}"),
                    format!("{x} is leaving the graph: its own link to {to} on layer {l} goes."),
                )
            } else if to == x {
                (
                    format!("{from} drops {x}"),
                    format!("{from} linked to {x} on layer {l}: that link goes."),
                )
            } else {
                (
                    format!("Repair {from}: drop {to}"),
                    format!("Re-selecting {from}'s list on layer {l} leaves {to} out."),
                )
            }
        }
        Event::Promote { node, level } => (
            format!("New entry point: {node}"),
            format!(
                "The deleted point was the entry point. {node}, on the top level {level}, is promoted: every search now starts there."
            ),
        ),
        Event::Link { from, to, dist } => {
            let l = state.layer().unwrap_or(0);
            let reverse = state.levels_drawn.last().is_some_and(|x| x.0 == to);
            (
                format!("Link {from} -> {to}"),
                if reverse {
                    format!(
                        "Reverse link on layer {l}: {from} -> {to} ({dist:.3}), so the new point can be found from {from}."
                    )
                } else {
                    format!("Link {from} -> {to} on layer {l} ({dist:.3}).")
                },
            )
        }
        Event::Unlink { from, to } => {
            let l = state.layer().unwrap_or(0);
            let cap = match algo {
                Algo::HnswInsert(p) if l == 0 => format!("Mmax0 = {}", p.m_max0),
                Algo::HnswInsert(p) => format!("Mmax = {}", p.m_max),
                _ => "its cap".into(),
            };
            (
                format!("Shrink {from}: drop {to}"),
                format!(
                    "{from} now has more than {cap} links on layer {l}: SELECT-NEIGHBORS re-chooses its list and drops {to}."
                ),
            )
        }
        _ => return None,
    })
}
