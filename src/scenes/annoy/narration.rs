//! What the Annoy scene says at each step, and its pseudocode (after `annoylib.h`).

use super::{AnnoyScene, Missed};
use crate::engine::annoy::{AnnoyEvent, AnnoyMetric, Node};
use crate::scenes::{Dist, Narration, Shared, plural};

pub const PSEUDOCODE: &[&str] = &[
    "build(points, n_trees, K):",
    "  repeat n_trees times: roots += make_tree(all points)",
    "make_tree(S):",
    "  if |S| ≤ K: return leaf(S)",
    "  a, b ← two random points of S; 2-means steps move them",
    "  split S by the hyperplane equidistant from a and b",
    "  return node(make_tree(left), make_tree(right))    ▷ depth first",
    "query(q, k, search_k = n_trees·k):",
    "  Q ← every root, priority +∞     ▷ one max-queue, all trees",
    "  while |C| < search_k: node, p ← pop(Q)",
    "    if leaf: C ← C + its points",
    "    else m ← margin(q): push (right, min(p, m)), (left, min(p, −m))",
    "  rank the distinct C by exact distance; return the best k",
];

fn margin(p: f32) -> String {
    if p.is_infinite() {
        "+∞".into()
    } else {
        format!("{p:+.3}")
    }
}

/// A node as the hover and the narration name it.
pub fn describe_node(s: &AnnoyScene, node: u32) -> String {
    let (Some(index), Some(forest)) = (s.index.as_ref(), s.forest.as_ref()) else {
        return String::new();
    };
    let t = forest.tree_of.get(node as usize).map_or(0, |&t| t + 1);
    let queued = s.state().queued(node).map_or(String::new(), |p| {
        format!("\non the queue with priority {}", margin(p))
    });
    match index.nodes().get(node as usize) {
        Some(Node::Split {
            count,
            depth,
            sampled,
            ..
        }) => format!(
            "node {node} of tree {t}: a split at depth {depth} of {count} points{}{queued}",
            sampled.map_or(" (random sides)".into(), |(a, b)| format!(
                ", sampled {a} and {b}"
            ))
        ),
        Some(Node::Leaf { items, depth }) => format!(
            "leaf {node} of tree {t} at depth {depth}: {}{queued}",
            plural(items.len() as u64, "point", "points")
        ),
        None => String::new(),
    }
}

fn missed_text(m: &Missed, s: &AnnoyScene, shared: &Shared) -> String {
    let border = s.border_of(m, shared).map_or(String::new(), |(node, mq)| {
        format!(
            ", across the border of node {node} (the query is {:.3} from it)",
            mq.abs()
        )
    });
    let again = m.found_at.map_or(String::new(), |f| {
        format!("; search_k ≥ {f} finds it (now {})", s.search_k)
    });
    format!(
        "the true #{} (point {}, {:.3}) is missed{border}{again}",
        m.rank + 1,
        m.id,
        Dist(m.dist)
    )
}

pub fn narrate(s: &AnnoyScene, shared: &Shared) -> Narration {
    let (Some(index), Some(_)) = (s.index.as_ref(), s.forest.as_ref()) else {
        return Narration {
            title: "Annoy".into(),
            text: s.error.clone().unwrap_or_else(|| {
                format!(
                    "Annoy splits point sets in two: it needs at least 2 points ({} now).",
                    shared.points.len()
                )
            }),
            ..Narration::default()
        };
    };
    let n = shared.points.len();
    let trees = index.roots().len();
    let st = s.state();
    let Some(head) = s.head() else {
        return Narration {
            title: "A forest of random-projection trees".into(),
            text: format!(
                "Annoy builds {} over the {n} points: each splits its points in two by a hyperplane until a cell holds at most K = {} of them. Then one priority queue searches every tree at once. Step (→) to watch the first split.",
                plural(trees as u64, "tree", "trees"),
                index.k_leaf()
            ),
            line: Some(1),
            alert: false,
        };
    };
    let tree_of = |node: u32| {
        s.forest
            .as_ref()
            .and_then(|f| f.tree_of.get(node as usize))
            .map_or(0, |&t| t + 1)
    };
    match head {
        AnnoyEvent::Split {
            tree,
            node,
            left,
            right,
            centres,
        } => {
            let (count, depth, sampled) = match index.nodes().get(*node as usize) {
                Some(Node::Split {
                    count,
                    depth,
                    sampled,
                    ..
                }) => (*count, *depth, *sampled),
                _ => (0, 0, None),
            };
            let how = match (sampled, centres) {
                (Some((a, b)), Some(_)) if index.params().two_means_steps > 0 => format!(
                    "points {a} and {b} drawn at random, moved by {} 2-means steps to the centres of two groups (the crosses); the split is the line equidistant from the two centres",
                    index.params().two_means_steps
                ),
                (Some((a, b)), _) => format!(
                    "points {a} and {b} drawn at random; the split is the line equidistant from them"
                ),
                _ => "no 2-means split left 5 % of these points on each side (duplicates, or nearly): Annoy deals them to random sides".into(),
            };
            let how = if index.params().metric == AnnoyMetric::Angular && sampled.is_some() {
                format!(
                    "{} drawn at random and refined by 2-means on the unit vectors; for angular distance the split passes through the origin, perpendicular to the difference of the two centres",
                    sampled.map_or(String::new(), |(a, b)| format!("points {a} and {b}"))
                )
            } else {
                how
            };
            Narration {
                title: format!("Tree {}: node {node} splits {count} points", tree + 1),
                text: format!(
                    "Depth {depth}: {how}. {left} go left, {right} right. The build recurses depth first, the left side all the way down before the right (annoylib.h builds the smaller side first)."
                ),
                line: Some(5),
                alert: false,
            }
        }
        AnnoyEvent::Leaf { tree, node, size } => Narration {
            title: format!(
                "Tree {}: leaf {node}, {}",
                tree + 1,
                plural(u64::from(*size), "point", "points")
            ),
            text: format!(
                "{} ≤ K = {}: this cell is done. Its points are the candidates a query reaching it collects.",
                plural(u64::from(*size), "point", "points"),
                index.k_leaf()
            ),
            line: Some(3),
            alert: false,
        },
        AnnoyEvent::Push { .. } => Narration {
            title: "The query starts: every root on the queue".into(),
            text: format!(
                "One max-priority queue for all {} trees, each root with priority +∞. A node's priority is the smallest margin on the way to it: how close the query came to leaving that cell. search_k = {} candidates will be collected{}.",
                trees,
                s.search_k,
                if s.settings.search_k.is_none() {
                    " (Annoy's default, n_trees · k)"
                } else {
                    ""
                }
            ),
            line: Some(8),
            alert: false,
        },
        AnnoyEvent::Pop { node, priority } => match index.nodes().get(*node as usize) {
            Some(Node::Leaf { items, .. }) => {
                // In fine steps the collection comes just after the pop.
                let total = if st.collected.last().is_some_and(|c| c.0 == *node) {
                    st.candidates() as usize
                } else {
                    st.candidates() as usize + items.len()
                };
                Narration {
                    title: format!("Leaf {node} of tree {}: collect", tree_of(*node)),
                    text: format!(
                        "Priority {}: its {} join the candidates, {total} of search_k = {} now{}.",
                        margin(*priority),
                        plural(items.len() as u64, "point", "points"),
                        s.search_k,
                        if total >= s.search_k {
                            ": enough, the queue stops"
                        } else {
                            ""
                        }
                    ),
                    line: Some(10),
                    alert: false,
                }
            }
            _ => {
                let m = index.margin(*node, &s.query_vec());
                let (near, far) = (priority.min(m.abs()), priority.min(-m.abs()));
                let wait = if near == far {
                    format!(
                        "both sides inherit the priority {}: the query was already closer to an earlier border",
                        margin(near)
                    )
                } else {
                    format!(
                        "the far side waits with {}, and comes out only when nothing on the queue is nearer to the query's cells",
                        margin(far)
                    )
                };
                Narration {
                    title: format!("Node {node} of tree {}: which side?", tree_of(*node)),
                    text: format!(
                        "Priority {}. The query is {:+.3} from this split, so the {} side goes on the queue with priority {}; {wait}.",
                        margin(*priority),
                        m,
                        if m > 0.0 { "right" } else { "left" },
                        margin(near),
                    ),
                    line: Some(11),
                    alert: false,
                }
            }
        },
        AnnoyEvent::Collect { .. } => Narration::default(),
        AnnoyEvent::Result { rank, node, dist } => {
            let last = usize::from(*rank) + 1 == s.answer.len();
            if !last {
                return Narration {
                    title: format!("Ranked #{}: point {node}", rank + 1),
                    text: format!(
                        "The {} distinct candidates ({} collected, repeats across trees) are ranked by their exact distances: #{} is point {node} at {:.3}.",
                        s.stats.distance_computations,
                        s.stats.candidates,
                        rank + 1,
                        Dist(s.shown(*dist))
                    ),
                    line: Some(12),
                    alert: false,
                };
            }
            let k = s.truth.len();
            let hit = k - s.missed.len();
            let mut text = format!(
                "{} visited, {} distances computed (brute force: {n}). Recall@{k} = {hit}/{k}.",
                plural(s.stats.nodes_visited, "node", "nodes"),
                s.stats.distance_computations,
            );
            if let Some(m) = s.missed.first() {
                text.push_str(&format!(
                    " Annoy's failure mode: {}.",
                    missed_text(m, s, shared)
                ));
                if s.missed.len() > 1 {
                    text.push_str(&format!(" {} more missed.", s.missed.len() - 1));
                }
            } else {
                text.push_str(" Every true neighbour was in a cell the queue reached.");
            }
            Narration {
                title: if s.missed.is_empty() {
                    "Done: the exact k nearest".into()
                } else {
                    format!(
                        "Done: {} missed",
                        plural(s.missed.len() as u64, "neighbour", "neighbours")
                    )
                },
                text,
                line: Some(12),
                alert: !s.missed.is_empty(),
            }
        }
    }
}
