//! The Annoy scene's frame: on the left the plane with the cells of the tree on show (or
//! every tree's splits overlaid), the split being made with its two sampled points and the
//! centres 2-means moved them to, the cells the query's queue reached, the candidates, the
//! ranking and the true neighbours it missed; on the right the tree as a node-link diagram,
//! the queue's nodes marked with their priorities and the current node ringed in both.

use super::{AnnoyScene, ForestView};
use crate::engine::PointId;
use crate::engine::annoy::{AnnoyEvent, AnnoyMetric, Node};
use crate::render::{Anchor, Frame, Palette, Place, Prim, Rgba, Shape, Style, legend};
use crate::scenes::{Shared, density_scale, point_labels, ring_ranked};

/// Leaf colours (Okabe–Ito hues and a grey), neighbours along the tree apart.
const LEAF_HUES: [Rgba; 8] = [
    Rgba::rgb(230, 159, 0),
    Rgba::rgb(86, 180, 233),
    Rgba::rgb(0, 158, 115),
    Rgba::rgb(240, 228, 66),
    Rgba::rgb(0, 114, 178),
    Rgba::rgb(213, 94, 0),
    Rgba::rgb(204, 121, 167),
    Rgba::rgb(150, 150, 150),
];

/// The colour of the leaf that is `rank`-th from the left of its tree.
pub fn leaf_hue(rank: u32) -> Rgba {
    LEAF_HUES[rank as usize % LEAF_HUES.len()]
}

/// A split's line width by its depth: the root's boldest.
fn split_width(depth: u16, style: Style) -> f32 {
    (style.edge_width * (2.6 - 0.3 * f32::from(depth))).max(style.edge_width * 0.5)
}

fn depth_of(node: &Node) -> u16 {
    match node {
        Node::Split { depth, .. } | Node::Leaf { depth, .. } => *depth,
    }
}

fn text(
    f: &mut Frame,
    at: [f32; 2],
    t: String,
    size: f32,
    color: Rgba,
    anchor: Anchor,
    place: Place,
) {
    f.prims.push(Prim::Text {
        pos_in_world: at,
        text: t,
        size,
        color,
        anchor,
        gap: 6.0,
        place,
    });
}

fn centroid(poly: &[[f32; 2]]) -> [f32; 2] {
    let n = poly.len().max(1) as f32;
    [
        poly.iter().map(|p| p[0]).sum::<f32>() / n,
        poly.iter().map(|p| p[1]).sum::<f32>() / n,
    ]
}

pub fn frame(s: &AnnoyScene, shared: &Shared, pal: Palette, style: Style) -> Frame {
    let pts = shared.points;
    let mut f = Frame::default();
    let (Some(index), Some(fo)) = (s.index.as_ref(), s.forest.as_ref()) else {
        for id in pts.ids() {
            f.prims.push(Prim::Marker {
                pos_in_world: pts.xy(id),
                radius: style.point_radius,
                shape: Shape::Circle,
                fill: Some(pal.point_faint),
                stroke: None,
            });
        }
        return f;
    };
    let dbox = fo.diagram_box(shared.aspect);
    f.bounds = Some((
        [fo.lo[0].min(dbox.0[0]), fo.lo[1].min(dbox.0[1])],
        [fo.hi[0].max(dbox.1[0]), fo.hi[1].max(dbox.1[1])],
    ));
    let nodes = index.nodes();
    let st = s.state();
    let built = st.built.min(nodes.len() as u32);
    let t = s.focus_tree();
    let range = fo.tree_nodes(index, t);
    let head = s.head();
    let current = s.current_node();
    let searching = st.searching();
    let done = !st.results.is_empty();
    let light = pal.background.0[0] > 128;
    let fill_alpha = if light { 70 } else { 48 };

    // The plane's frame.
    let b = [fo.lo, [fo.hi[0], fo.lo[1]], fo.hi, [fo.lo[0], fo.hi[1]]];
    f.prims.push(Prim::Polygon {
        points_in_world: b.to_vec(),
        fill: Rgba([0, 0, 0, 0]),
        stroke: Some((1.0, pal.point_faint)),
    });

    if s.planar {
        // Leaves of the tree on show, coloured.
        for node in range.clone().filter(|&n| n < built) {
            if let Node::Leaf { .. } = &nodes[node as usize] {
                f.prims.push(Prim::Polygon {
                    points_in_world: fo.cells[node as usize].clone(),
                    fill: leaf_hue(fo.leaf_rank[node as usize]).with_alpha(fill_alpha),
                    stroke: None,
                });
            }
        }
        // Cells the queue reached: every tree's when overlaid, else the tree on show's.
        for &(leaf, _) in &st.collected {
            let mine = fo.tree_of[leaf as usize] as usize == t;
            if mine || s.settings.view == ForestView::AllTrees {
                f.prims.push(Prim::Polygon {
                    points_in_world: fo.cells[leaf as usize].clone(),
                    fill: pal.evaluated.with_alpha(if mine { 70 } else { 30 }),
                    stroke: Some((style.edge_width, pal.evaluated.with_alpha(200))),
                });
            }
        }
        // The other trees' splits, faint.
        if s.settings.view == ForestView::AllTrees {
            for (node, seg) in fo.segments.iter().enumerate() {
                let node = node as u32;
                if node < built
                    && !range.contains(&node)
                    && let Some([a, b]) = seg
                {
                    f.line(
                        *a,
                        *b,
                        style.edge_width * 0.8,
                        pal.text.with_alpha(55),
                        false,
                    );
                }
            }
        }
        // The tree on show's splits, bolder the shallower.
        for node in range.clone().filter(|&n| n < built) {
            if let Some([a, b]) = fo.segments[node as usize] {
                let w = split_width(depth_of(&nodes[node as usize]), style);
                f.line(a, b, w, pal.text.with_alpha(170), false);
            }
        }
    }

    // The points, in their leaf's colour once it is made.
    let scale = density_scale(pts.len());
    // A presenter's larger points would merge into blobs in a leaf's small cell.
    let r = style.point_radius.min(4.5) * scale.max(0.35);
    for id in pts.ids() {
        let fill = match fo.leaf(t, id) {
            Some(leaf) if leaf < built => leaf_hue(fo.leaf_rank[leaf as usize]),
            _ => pal.point_faint,
        };
        f.prims.push(Prim::Marker {
            pos_in_world: pts.xy(id),
            radius: r,
            shape: Shape::Circle,
            fill: Some(fill),
            stroke: None,
        });
    }
    point_labels(&mut f, pts, style, pal.text);

    // The step at the cursor.
    match head {
        Some(AnnoyEvent::Split { node, centres, .. }) => {
            draw_split(&mut f, s, shared, *node, centres.as_ref(), pal, style);
        }
        Some(AnnoyEvent::Leaf { node, size, .. }) if s.planar => {
            let cell = &fo.cells[*node as usize];
            f.prims.push(Prim::Polygon {
                points_in_world: cell.clone(),
                fill: Rgba([0, 0, 0, 0]),
                stroke: Some((style.path_width * 0.6, pal.current)),
            });
            text(
                &mut f,
                centroid(cell),
                format!(
                    "leaf {node}: {}",
                    crate::scenes::plural(u64::from(*size), "point", "points")
                ),
                style.label_size,
                pal.current,
                Anchor::Center,
                Place::Key,
            );
        }
        Some(AnnoyEvent::Pop { node, .. }) if s.planar => {
            if let Some([a, b]) = fo.segments[*node as usize] {
                f.line(a, b, style.path_width * 0.8, pal.path, false);
            } else {
                f.prims.push(Prim::Polygon {
                    points_in_world: fo.cells[*node as usize].clone(),
                    fill: Rgba([0, 0, 0, 0]),
                    stroke: Some((style.path_width * 0.6, pal.path)),
                });
            }
        }
        _ => {}
    }

    if searching {
        // Candidates collected.
        let mut seen = vec![false; pts.len()];
        for &(leaf, _) in &st.collected {
            if let Node::Leaf { items, .. } = &nodes[leaf as usize] {
                for &id in items {
                    if let Some(v) = seen.get_mut(id.idx()) {
                        *v = true;
                    }
                }
            }
        }
        for (i, _) in seen.iter().enumerate().filter(|(_, v)| **v) {
            f.prims.push(Prim::Marker {
                pos_in_world: pts.xy(PointId(i as u32)),
                radius: r + 2.5,
                shape: Shape::Circle,
                fill: None,
                stroke: Some((1.5, pal.point)),
            });
        }
        for (rank, &(id, _)) in st.results.iter().enumerate() {
            ring_ranked(&mut f, pts.xy(id), rank, style, pal.found);
        }
        if done && st.results.len() == s.answer.len() {
            for m in &s.missed {
                let at = pts.xy(m.id);
                f.prims.push(Prim::Marker {
                    pos_in_world: at,
                    radius: r + 7.0,
                    shape: Shape::Circle,
                    fill: None,
                    stroke: Some((2.5, pal.stuck)),
                });
                text(
                    &mut f,
                    at,
                    format!("missed: true #{}", m.rank + 1),
                    style.label_size,
                    pal.stuck,
                    Anchor::Below,
                    Place::Key,
                );
                if let Some((node, _)) = s.border_of(m, shared)
                    && let Some([a, b]) = fo.segments.get(node as usize).copied().flatten()
                {
                    f.line(a, b, style.path_width * 0.7, pal.stuck, true);
                }
            }
        }
    }
    // The query, also during the build (it waits for the search; it can be dragged).
    if s.query.len() >= 2 {
        f.prims.push(Prim::Marker {
            // Where the picture has it (the vector itself for 2-D data).
            pos_in_world: shared.query,
            radius: style.point_radius + 5.0,
            shape: Shape::Star,
            fill: Some(if searching {
                pal.query
            } else {
                pal.query.with_alpha(150)
            }),
            stroke: Some((1.0, pal.background)),
        });
    }

    diagram(&mut f, s, dbox, pal, style, t, built, current);

    // Few entries: a projector's canvas is short.
    if searching {
        f.legend.push(legend(Shape::Star, pal.query, true, "query"));
        f.legend
            .push(legend(Shape::Square, pal.evaluated, true, "cells reached"));
        f.legend
            .push(legend(Shape::Circle, pal.point, false, "candidates"));
        if done {
            f.legend
                .push(legend(Shape::Circle, pal.found, false, "answer"));
            if !s.missed.is_empty() {
                f.legend
                    .push(legend(Shape::Circle, pal.stuck, false, "missed"));
            }
        } else {
            f.legend
                .push(legend(Shape::Circle, pal.path, false, "popped"));
        }
    } else {
        f.legend.push(legend(
            Shape::Star,
            pal.query,
            true,
            "query (searched after the build)",
        ));
        f.legend.push(legend(
            Shape::Square,
            leaf_hue(0),
            true,
            "a leaf (≤ K points)",
        ));
        if head.is_some_and(|e| matches!(e, AnnoyEvent::Split { .. })) {
            f.legend
                .push(legend(Shape::Diamond, pal.entry, false, "sampled points"));
            f.legend
                .push(legend(Shape::Cross, pal.current, true, "2-means centres"));
        }
    }
    f
}

/// The split being made: its cell, the two sampled points joined by a grey line, the centres
/// 2-means moved them to, and the hyperplane equidistant from the centres.
fn draw_split(
    f: &mut Frame,
    s: &AnnoyScene,
    shared: &Shared,
    node: u32,
    centres: Option<&[Vec<f32>; 2]>,
    pal: Palette,
    style: Style,
) {
    let (Some(index), Some(fo)) = (s.index.as_ref(), s.forest.as_ref()) else {
        return;
    };
    let pts = shared.points;
    if s.planar {
        f.prims.push(Prim::Polygon {
            points_in_world: fo.cells[node as usize].clone(),
            fill: Rgba([0, 0, 0, 0]),
            stroke: Some((style.path_width * 0.5, pal.current.with_alpha(160))),
        });
    }
    let Some(Node::Split { sampled, depth, .. }) = index.nodes().get(node as usize) else {
        return;
    };
    if let Some((a, b)) = sampled {
        let (pa, pb) = (pts.xy(*a), pts.xy(*b));
        f.line(pa, pb, style.edge_width * 1.5, pal.rejected, false);
        for p in [pa, pb] {
            f.prims.push(Prim::Marker {
                pos_in_world: p,
                radius: style.point_radius + 4.0,
                shape: Shape::Diamond,
                fill: None,
                stroke: Some((2.0, pal.entry)),
            });
        }
    }
    // The centres live where the index's vectors do: the plane for Euclidean data only.
    if let Some([c0, c1]) = centres
        && index.params().metric == AnnoyMetric::Euclidean
        && s.planar
        && index.params().two_means_steps > 0
    {
        let (a, b) = ([c0[0], c0[1]], [c1[0], c1[1]]);
        f.line(a, b, style.edge_width, pal.current.with_alpha(180), true);
        for p in [a, b] {
            f.prims.push(Prim::Marker {
                pos_in_world: p,
                radius: style.point_radius + 3.0,
                shape: Shape::Cross,
                fill: None,
                stroke: Some((2.5, pal.current)),
            });
        }
    }
    if let Some([a, b]) = fo.segments.get(node as usize).copied().flatten() {
        f.line(
            a,
            b,
            split_width(*depth, style).max(style.path_width * 0.7),
            pal.current,
            false,
        );
    }
}

/// The tree on show as a node-link diagram: nodes reached by the build, leaves coloured with
/// their sizes, the search's popped nodes filled, its queue's nodes with their priorities.
#[allow(clippy::too_many_arguments)]
fn diagram(
    f: &mut Frame,
    s: &AnnoyScene,
    dbox: ([f32; 2], [f32; 2]),
    pal: Palette,
    style: Style,
    t: usize,
    built: u32,
    current: Option<u32>,
) {
    let (Some(index), Some(fo)) = (s.index.as_ref(), s.forest.as_ref()) else {
        return;
    };
    let nodes = index.nodes();
    let st = s.state();
    let range = fo.tree_nodes(index, t);
    let shown: Vec<u32> = range.clone().filter(|&n| n < built).collect();
    let total_leaves = range
        .clone()
        .filter(|&n| matches!(nodes[n as usize], Node::Leaf { .. }))
        .count();
    let crowd = density_scale(total_leaves * 4);
    let pos = |n: u32| fo.diagram_pos(n, dbox);
    let top = [
        (dbox.0[0] + dbox.1[0]) / 2.0,
        dbox.1[1] + 0.04 * (fo.hi[1] - fo.lo[1]),
    ];
    text(
        f,
        top,
        format!(
            "tree {} of {} · {}",
            t + 1,
            index.roots().len(),
            crate::scenes::plural(total_leaves as u64, "leaf", "leaves")
        ),
        style.label_size,
        pal.text,
        Anchor::Above,
        Place::Pinned,
    );
    let mut was_popped = vec![false; nodes.len()];
    for &(n, _) in &st.popped {
        if let Some(v) = was_popped.get_mut(n as usize) {
            *v = true;
        }
    }
    let popped = |n: u32| was_popped.get(n as usize).copied().unwrap_or(false);
    // The links, those the queue went down in the path's colour.
    for &n in &shown {
        let p = fo.parent[n as usize];
        if p != u32::MAX {
            let (w, c) = if popped(n) {
                (style.path_width * 0.6, pal.path)
            } else {
                (style.edge_width * crowd.max(0.5), pal.point_faint)
            };
            f.line(pos(p), pos(n), w, c, false);
        }
    }
    let r = (style.point_radius * crowd).max(1.5);
    for &n in &shown {
        let at = pos(n);
        let leaf = matches!(nodes[n as usize], Node::Leaf { .. });
        let fill = if leaf {
            leaf_hue(fo.leaf_rank[n as usize])
        } else {
            pal.point
        };
        f.prims.push(Prim::Marker {
            pos_in_world: at,
            radius: r,
            shape: if leaf { Shape::Square } else { Shape::Circle },
            fill: Some(fill),
            stroke: popped(n).then_some((2.5, pal.path)),
        });
        // Leaf sizes while they fit under their leaves (fewer with a presenter's large text).
        let room = if style.label_size > 15.0 { 20 } else { 48 };
        if leaf
            && total_leaves <= room
            && let Node::Leaf { items, .. } = &nodes[n as usize]
        {
            text(
                f,
                at,
                items.len().to_string(),
                style.label_size * 0.85,
                pal.text,
                Anchor::Below,
                Place::Minor,
            );
        }
    }
    // The queue's nodes in this tree, with their priorities; the next to pop in bold.
    for (i, (n, p)) in st.queue().enumerate() {
        if !range.contains(&n) {
            continue;
        }
        let at = pos(n);
        f.prims.push(Prim::Marker {
            pos_in_world: at,
            radius: r + 3.0,
            shape: Shape::Circle,
            fill: None,
            stroke: Some((2.0, pal.evaluated)),
        });
        // The next to pop always; a few more while the text is small.
        if i == 0 || (i < 6 && style.label_size <= 15.0) {
            text(
                f,
                at,
                if p.is_infinite() {
                    "+∞".into()
                } else {
                    format!("{p:+.2}")
                },
                style.label_size * 0.85,
                pal.evaluated,
                Anchor::Right,
                if i == 0 { Place::Key } else { Place::Minor },
            );
        }
    }
    if let Some(n) = current.filter(|n| range.contains(n)) {
        f.prims.push(Prim::Marker {
            pos_in_world: pos(n),
            radius: r + 5.0,
            shape: Shape::Circle,
            fill: None,
            stroke: Some((2.5, pal.current)),
        });
    }
    if let Some(n) = s.hovered.filter(|n| range.contains(n)) {
        f.prims.push(Prim::Marker {
            pos_in_world: pos(n),
            radius: r + 4.0,
            shape: Shape::Square,
            fill: None,
            stroke: Some((1.5, pal.text)),
        });
    }
}
