//! Plain-words captions with real numbers for the graph-walk events (NSW construction,
//! greedy search, HNSW: the algorithms that share [`crate::engine::Event`]), and the
//! pseudocode line each event executes. Each graph scene calls [`narrate`] with its own trace;
//! scenes with their own event families narrate in their own folders.

use super::pseudocode::line_of;
pub use super::pseudocode::pseudocode;
use crate::engine::{Event, Graph, InsertRule, Points, SearchMode};
use crate::scenes::Narration;
use crate::trace::{Algo, Trace, TraceState};

pub fn ordinal(i: usize) -> String {
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

/// Explains the step that brought the state to its cursor./// A graph scene's own part of the narration: the text before the first step, and the
/// events only that scene's algorithm records (construction: insertions and links; HNSW:
/// levels, layers, the heuristic, links and deletes). The walk events all three share
/// (start, evaluate, move, stop, beam, result) are narrated here.
pub struct Part<'a> {
    pub ready: String,
    pub own: &'a dyn Fn(&Event) -> Option<(String, String)>,
}

/// Explains the step that brought the state to its cursor.
pub fn narrate(
    trace: &Trace,
    state: &TraceState,
    points: &Points,
    graph: &dyn Graph,
    part: Part<'_>,
) -> Narration {
    let algo = trace.algo;
    let Some(e) = state
        .cursor
        .checked_sub(1)
        .and_then(|i| trace.events.get(i))
    else {
        return Narration {
            title: "Ready".into(),
            text: part.ready,
            line: Some(0),
            alert: false,
        };
    };
    // A move's second half is an insertion: its steps point at the MOVE line, not at the
    // delete's own lines.
    let line = match algo {
        Algo::HnswDelete { moved: true, .. } if !state.levels_drawn.is_empty() => Some(6),
        _ => line_of(algo, e),
    };
    let mut alert = false;
    let (title, text) = if let Some(own) = (part.own)(e) {
        own
    } else {
        match *e {
            Event::Evaluate { node, from, dist } => match algo {
                Algo::Construction(p) if p.rule == InsertRule::Exact => (
                    format!("dist({from}, {node}) = {dist:.3}"),
                    format!(
                        "Distance from the new point {from} to inserted point {node}: {dist:.3}."
                    ),
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
                        format!(
                            "{node} ({dist:.3}) joins W and the candidates C: W is not full yet."
                        )
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
            // The scenes' own events are narrated by their parts.
            _ => (String::new(), String::new()),
        }
    };
    Narration {
        title,
        text,
        line,
        alert,
    }
}
