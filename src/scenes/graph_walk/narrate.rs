//! Plain-words captions with real numbers for the graph-walk events (NSW construction,
//! greedy search, HNSW: the algorithms that share [`crate::engine::Event`]), and the
//! pseudocode line each event executes. Each graph scene calls [`narrate`] with its own trace;
//! scenes with their own event families narrate in their own folders.

use super::pseudocode::line_of;
pub use super::pseudocode::pseudocode;
use crate::engine::{Event, Graph, InsertRule, Points, SearchMode};
use crate::scenes::Narration;
use crate::trace::{Algo, Trace, TraceState};

fn ordinal(i: usize) -> String {
    let suffix = match (i % 10, i % 100) {
        (1, r) if r != 11 => "st",
        (2, r) if r != 12 => "nd",
        (3, r) if r != 13 => "rd",
        _ => "th",
    };
    format!("{i}{suffix}")
}

/// The distances from the query to every neighbour of `node`, nearest first (for the
/// local-minimum explanation; computed for the reader, not counted).
pub fn neighbour_distances(
    trace: &Trace,
    points: &Points,
    graph: &dyn Graph,
    node: crate::engine::PointId,
) -> Vec<(crate::engine::PointId, f32)> {
    let Some(q) = trace.query.as_deref() else {
        return Vec::new();
    };
    if node.idx() >= graph.node_count() {
        return Vec::new();
    }
    let mut v: Vec<_> = graph
        .neighbors(node)
        .iter()
        .map(|&nb| (nb, trace.metric.eval(q, points.get(nb))))
        .collect();
    v.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    v
}

/// The HNSW walk, layer by layer: "layer 2: 39 -> 20; layer 1: 20 -> 16; layer 0: from 16,
/// 12 expanded".
pub fn layer_path(state: &TraceState) -> String {
    let mut parts = Vec::new();
    for w in &state.walks {
        let Some(l) = w.layer else { continue };
        let nodes: Vec<String> = w.path.iter().map(|(id, _)| id.to_string()).collect();
        if l == 0 && !state.expanded.is_empty() {
            parts.push(format!(
                "layer 0: from {}, beam expanded {} nodes",
                nodes.first().cloned().unwrap_or_default(),
                state.phase_expanded().len()
            ));
        } else {
            parts.push(format!("layer {l}: {}", nodes.join(" -> ")));
        }
    }
    parts.join("; ")
}

/// Explains the step that brought the state to its cursor.
pub fn narrate(trace: &Trace, state: &TraceState, points: &Points, graph: &dyn Graph) -> Narration {
    let algo = trace.algo;
    let Some(e) = state
        .cursor
        .checked_sub(1)
        .and_then(|i| trace.events.get(i))
    else {
        return Narration {
            title: "Ready".into(),
            text: match algo {
                Algo::HnswDelete { node, moved, .. } => format!(
                    "Delete point {node}{}: every node that links to it re-selects its links, so the graph stays navigable. Press ▶ (Space) to play or -> to step.",
                    if moved {
                        " and insert it again at its new place"
                    } else {
                        ""
                    }
                ),
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
                Algo::HnswInsert(p) => format!(
                    "Insert a new point into the HNSW (M = {}, Mmax0 = {}, ef_construction = {}, mL = {:.3}). Press ▶ (Space) to play or -> to step.",
                    p.m, p.m_max0, p.ef_construction, p.ml
                ),
                Algo::HnswSearch { ef, .. } => format!(
                    "Search the HNSW: greedy from the entry point down the layers, then a beam of ef = {ef} on layer 0. Press ▶ (Space) to play or -> to step."
                ),
                Algo::Search(mode) => format!(
                    "{} for the query. Press ▶ (Space) to play or -> to step.",
                    match mode {
                        SearchMode::Greedy => "A greedy walk from the entry node".to_string(),
                        SearchMode::MultiStart { restarts } =>
                            format!("Greedy walks from the entry and {restarts} random restarts"),
                        SearchMode::Beam { ef } =>
                            format!("A beam search keeping the ef = {ef} best"),
                    }
                ),
            },
            line: Some(0),
            alert: false,
        };
    };
    let line = line_of(algo, e);
    let deleting = match algo {
        Algo::HnswDelete { node, .. } if state.levels_drawn.is_empty() => Some(node),
        _ => None,
    };
    let mut alert = false;
    let (title, text) = match *e {
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
        Event::Evaluate { node, from, dist } => match algo {
            Algo::Construction(p) if p.rule == InsertRule::Exact => (
                format!("dist({from}, {node}) = {dist:.3}"),
                format!("Distance from the new point {from} to inserted point {node}: {dist:.3}."),
            ),
            _ => {
                let here = state.current().map(|c| c.1);
                (
                    format!("Look at {node}: {dist:.3}"),
                    format!(
                        "Neighbour {node} of {from} is {dist:.3} from the {}{}.",
                        if matches!(algo, Algo::Construction(_)) {
                            "new point"
                        } else {
                            "query"
                        },
                        match here {
                            Some(h)
                                if matches!(
                                    algo,
                                    Algo::Search(
                                        SearchMode::Greedy | SearchMode::MultiStart { .. }
                                    )
                                ) =>
                            {
                                if dist < h {
                                    format!(", closer than {from} ({h:.3})")
                                } else {
                                    format!(", not closer than {from} ({h:.3})")
                                }
                            }
                            _ => String::new(),
                        }
                    ),
                )
            }
        },
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
        Event::Start {
            entry,
            dist,
            attempt,
        } => {
            let what = match algo {
                Algo::Search(SearchMode::MultiStart { restarts }) if attempt > 0 => {
                    format!("Restart {attempt} of {restarts}: a random entry, node {entry}")
                }
                Algo::Construction(_) => {
                    format!("Search {} from random entry {entry}", attempt + 1)
                }
                _ => format!("Start at entry node {entry}"),
            };
            (
                what.clone(),
                format!(
                    "{what}, {dist:.3} from the {}.",
                    if matches!(algo, Algo::Construction(_)) {
                        "new point"
                    } else {
                        "query"
                    }
                ),
            )
        }
        Event::Move {
            from,
            to,
            from_dist,
            to_dist,
        } => (
            format!("Move {from} -> {to}"),
            format!(
                "Node {to} is {to_dist:.3} from the query, closer than node {from} at {from_dist:.3}: move to {to}."
            ),
        ),
        Event::Stop { node, dist, best } => {
            let nb_text = match best {
                Some((b, bd)) => format!("its closest neighbour, {b}, is {bd:.3}"),
                None => "it has no neighbour left to look at".to_string(),
            };
            if matches!(algo, Algo::HnswInsert(_) | Algo::HnswSearch { .. }) {
                let l = state.layer().unwrap_or(0);
                (
                    format!("Layer {l}: stop at {node}"),
                    format!(
                        "No neighbour of {node} on layer {l} is closer than {node} ({dist:.3}); {nb_text}. {node} is where the next layer starts."
                    ),
                )
            } else if trace.is_nearest(node, dist) {
                (
                    format!("Stop at {node}: found the nearest"),
                    format!(
                        "No neighbour of {node} is closer than {node} ({dist:.3}); {nb_text}. The walk stops, and {node} is the true nearest neighbour."
                    ),
                )
            } else {
                alert = true;
                let (t, td) = trace.nearest().unwrap_or((node, dist));
                let list = neighbour_distances(trace, points, graph, node)
                    .iter()
                    .map(|(id, d)| format!("{id}: {d:.3}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                (
                    format!("LOCAL MINIMUM at {node}"),
                    format!(
                        "No neighbour of {node} is closer than {node} ({dist:.3}), so greedy search stops here. \
                         But the true nearest neighbour is {t} at {td:.3}: the walk is stuck in a local minimum. \
                         Distances from the query to {node}'s neighbours: {list}. \
                         Remedies: restart from random entries, or keep a wider beam (ef)."
                    ),
                )
            }
        }
        Event::Expand { node, dist } => (
            format!("Expand {node}"),
            format!(
                "Take the closest candidate not yet expanded, {node} ({dist:.3}), out of C and look at its neighbours."
            ),
        ),
        Event::BeamStop {
            node,
            dist,
            furthest,
        } => (
            "Stop: W cannot improve".into(),
            format!(
                "The closest candidate left, {node} at {dist:.3}, is farther than the furthest element of W ({furthest:.3}): nothing left can enter W. Stop."
            ),
        ),
        Event::Accept {
            node,
            dist,
            evicted,
        } => (
            format!("Keep {node}"),
            match evicted {
                None => {
                    format!("{node} ({dist:.3}) joins W and the candidates C: W is not full yet.")
                }
                Some((x, xd)) => format!(
                    "{node} ({dist:.3}) is closer than W's furthest, {x} ({xd:.3}): {node} joins W and C, {x} is dropped from W."
                ),
            },
        ),
        Event::Reject {
            node,
            dist,
            furthest,
        } => (
            format!("Skip {node}"),
            format!(
                "{node} ({dist:.3}) is not closer than W's furthest ({furthest:.3}): it is not kept."
            ),
        ),
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
        Event::Result { rank, node, dist } => {
            let exact = trace.truth.get(rank as usize);
            let verdict = match exact {
                Some(&(t, td)) if t == node || (dist - td).abs() <= f32::EPSILON => {
                    "the exact answer agrees".to_string()
                }
                Some(&(t, td)) => {
                    alert = rank == 0;
                    format!(
                        "the exact {} nearest is {t} at {td:.3}",
                        ordinal(rank as usize + 1)
                    )
                }
                None => String::new(),
            };
            let mut text = format!("Result {}: node {node} at {dist:.3}; {verdict}.", rank + 1);
            if matches!(algo, Algo::HnswSearch { .. }) {
                text.push_str(&format!(" Path by layer: {}.", layer_path(state)));
            }
            (format!("Answer #{}: {node}", rank + 1), text)
        }
    };
    Narration {
        title,
        text,
        line,
        alert,
    }
}
