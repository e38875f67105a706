//! The HNSW scene's frame: layers stacked as planes seen at an angle (2.5D), or one flat layer.

use crate::engine::PointId;
use crate::engine::hnsw::Hnsw;
use crate::render::{Anchor, Frame, Palette, Place, Prim, Shape, Style, legend};
use crate::trace::{Algo, Trace, TraceState};

use super::stack::Projection;
pub use super::stack::{StackView, density_scale, to_data};

/// What the HNSW scene reads to draw one step.
pub struct Input<'a> {
    /// The graph drawn as the base (for an insertion: the graph before it).
    pub index: &'a Hnsw,
    /// Where every id the trace may name is drawn (new points included).
    pub xy: &'a [[f32; 2]],
    pub trace: &'a Trace,
    pub state: &'a TraceState,
    pub query: Option<[f32; 2]>,
    /// Nodes to ring, by layer (e.g. those no search from the entry point reaches).
    pub highlight: &'a [(u8, PointId)],
    pub view: StackView,
    /// The picture's shape (width / height) the stack is laid out for.
    pub aspect: f32,
    pub palette: Palette,
    pub style: Style,
}

/// Draws the HNSW at the cursor: every layer as a plane, links, the copies of each point
/// joined by dashed verticals, and the walk on every layer it has passed.
pub fn frame(inp: &Input) -> Frame {
    let pal = inp.palette;
    let st = inp.state;
    let r = inp.style.point_radius;
    let idx = inp.index;
    let mut f = Frame::default();
    let current = st.layer();
    let top = idx
        .max_level()
        .max(st.levels_drawn.last().map_or(0, |l| l.1 as usize)) as u8;
    let (proj, lo, hi) = Projection::of(inp.view, inp.xy, top, inp.aspect);
    let layers: Vec<u8> = match inp.view.flat {
        Some(l) if inp.view.follow => vec![current.unwrap_or(l).min(top)],
        Some(l) => vec![l.min(top)],
        None => (0..=top).collect(),
    };
    let labels = inp.xy.len() <= inp.style.label_limit;
    let new_node = match inp.trace.algo {
        Algo::HnswInsert(_) | Algo::HnswDelete { .. } => st.levels_drawn.last().copied(),
        _ => None,
    };
    let pos = |id: PointId, l: u8| proj.at(inp.xy[id.idx()], l);
    let is_current = |l: u8| current == Some(l) || (current.is_none() && l == top);

    // A link's length in the index's own metric (cosine links are angles, not spans).
    let metric = idx.params().metric;
    let link_len = |a: [f32; 2], b: [f32; 2]| match metric {
        crate::engine::Metric::Cosine => metric.eval(&a, &b),
        crate::engine::Metric::Euclidean => ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt(),
    };
    // Edge colour scale from the base graph's layer-0 links.
    let mut range = (f32::INFINITY, 0.0f32);
    for i in 0..idx.len() as u32 {
        if idx.is_removed(PointId(i)) {
            continue;
        }
        for &nb in idx.neighbors(PointId(i), 0) {
            let (a, b) = (inp.xy[i as usize], inp.xy[nb as usize]);
            let d = link_len(a, b);
            range = (range.0.min(d), range.1.max(d));
        }
    }
    if range.0 > range.1 {
        range = (0.0, 1.0);
    }
    f.length_scale = Some(range);

    let mut bounds = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
    for &l in &layers {
        let corners = [
            proj.at([lo[0], lo[1]], l),
            proj.at([hi[0], lo[1]], l),
            proj.at([hi[0], hi[1]], l),
            proj.at([lo[0], hi[1]], l),
        ];
        for c in &corners {
            bounds.0 = [bounds.0[0].min(c[0]), bounds.0[1].min(c[1])];
            bounds.1 = [bounds.1[0].max(c[0]), bounds.1[1].max(c[1])];
        }
        let cur = is_current(l);
        f.prims.push(Prim::Polygon {
            points_in_world: corners.to_vec(),
            fill: if cur {
                pal.entry.with_alpha(34)
            } else {
                pal.point_faint.with_alpha(22)
            },
            stroke: Some((
                if cur { 2.5 } else { 1.0 },
                if cur { pal.entry } else { pal.point_faint },
            )),
        });
        let nodes = (0..idx.len() as u32)
            .filter(|&i| !idx.is_removed(PointId(i)) && idx.level(PointId(i)) >= l as usize)
            .count();
        let edges: usize = (0..idx.len() as u32)
            .filter(|&i| !idx.is_removed(PointId(i)) && idx.level(PointId(i)) >= l as usize)
            .map(|i| idx.neighbors(PointId(i), l as usize).len())
            .sum();
        // The point being inserted is not in the drawn graph yet: say it is arriving, so the
        // count agrees with the table (which counts the index after the insertion).
        let arriving = matches!(inp.trace.algo, Algo::HnswInsert(_))
            && new_node.is_some_and(|(_, level, _)| level >= l);
        // A point being deleted is still drawn until the step list removes it.
        let leaving = matches!(inp.trace.algo, Algo::HnswDelete { node, .. }
            if node.idx() < idx.len() && idx.level(node) >= l as usize);
        // Beside the plane's right corner in a tower; centred under the plane in a grid
        // (where the next plane is to the right), shorter, to fit a plane's width.
        let grid = proj.side_by_side();
        let label_at = if grid {
            let x = corners.iter().map(|c| c[0]).sum::<f32>() / 4.0;
            let y = corners.iter().map(|c| c[1]).fold(f32::INFINITY, f32::min);
            [x, y]
        } else {
            corners[1]
        };
        let links = if grid {
            String::new()
        } else {
            format!(", {edges} link{}", if edges == 1 { "" } else { "s" })
        };
        f.prims.push(Prim::Text {
            pos_in_world: label_at,
            text: format!(
                "layer {l}: {nodes} node{}{}{links}",
                if nodes == 1 { "" } else { "s" },
                if arriving {
                    " (+1 arriving)"
                } else if leaving {
                    " (−1 leaving)"
                } else {
                    ""
                },
            ),
            // A grid's cells are small: its labels a little smaller.
            size: inp.style.label_size
                * if cur { 1.15 } else { 1.0 }
                * if grid { 0.85 } else { 1.0 },
            color: if cur { pal.entry } else { pal.text },
            anchor: if grid { Anchor::Below } else { Anchor::Right },
            gap: 8.0,
            place: Place::Pinned,
        });
        // Links of this layer (dropped ones shown separately).
        let dim = if cur || proj.flat { 200 } else { 90 };
        for i in 0..idx.len() as u32 {
            let a = PointId(i);
            if idx.is_removed(a) || idx.level(a) < l as usize {
                continue;
            }
            for &nb in idx.neighbors(a, l as usize) {
                let b = PointId(nb);
                // Draw each pair once when the link goes both ways.
                if nb < i && idx.neighbors(b, l as usize).contains(&i) {
                    continue;
                }
                if st
                    .links_dropped
                    .iter()
                    .any(|&(dl, from, to)| dl == l && from == a && to == b)
                {
                    continue;
                }
                let (pa, pb) = (inp.xy[i as usize], inp.xy[nb as usize]);
                let d = link_len(pa, pb);
                let t = (d - range.0) / (range.1 - range.0).max(1e-9);
                f.prims.push(Prim::Line {
                    a_in_world: pos(a, l),
                    b_in_world: pos(b, l),
                    width: inp.style.edge_width * (1.0 + 1.2 * t.clamp(0.0, 1.0)),
                    color: pal.length_color(t).with_alpha(dim),
                    dashed: false,
                });
            }
        }
        for &(dl, from, to) in &st.links_dropped {
            if dl == l {
                f.prims.push(Prim::Line {
                    a_in_world: pos(from, l),
                    b_in_world: pos(to, l),
                    width: 2.0,
                    color: pal.stuck,
                    dashed: true,
                });
            }
        }
        for &(al, from, to, _) in &st.links_added {
            if al == l {
                f.prims.push(Prim::Line {
                    a_in_world: pos(from, l),
                    b_in_world: pos(to, l),
                    width: inp.style.path_width * 0.8,
                    color: pal.new_link,
                    dashed: false,
                });
            }
        }
        // Points of this layer: smaller and lighter where there are thousands, so the
        // links between them stay visible.
        let crowd = density_scale(nodes);
        for i in 0..idx.len() as u32 {
            let a = PointId(i);
            if idx.is_removed(a) || idx.level(a) < l as usize {
                continue;
            }
            let c = if idx.is_deleted(a) {
                pal.point_faint
            } else {
                pal.point
            };
            let alpha = if cur || proj.flat { 255.0 } else { 170.0 };
            f.prims.push(Prim::Marker {
                pos_in_world: pos(a, l),
                radius: if l > 0 { r * 1.2 } else { r } * crowd.max(0.45),
                shape: Shape::Circle,
                fill: Some(c.with_alpha((alpha * crowd.max(0.35)) as u8)),
                stroke: None,
            });
            if labels && (cur || l > 0 || proj.flat) {
                f.prims.push(Prim::Text {
                    pos_in_world: pos(a, l),
                    text: i.to_string(),
                    size: inp.style.label_size * 0.85,
                    color: pal.text,
                    anchor: Anchor::Above,
                    gap: r + 2.0,
                    place: Place::Minor,
                });
            }
        }
    }
    // Dashed verticals join the copies of one point (not across a grid of planes).
    if !proj.flat && !proj.side_by_side() {
        let tall: Vec<PointId> = (0..idx.len() as u32)
            .map(PointId)
            .filter(|&a| idx.level(a) > 0 && !idx.is_removed(a))
            .collect();
        // Hundreds of dashed lines cost tens of thousands of dashes: past 400, draw them
        // solid and fainter.
        let dashed = tall.len() <= 400;
        // Past 1,000 they fade with their number, or they are a fog over layer 0.
        let alpha = if dashed {
            150.0
        } else {
            70.0 * (1000.0 / tall.len() as f32).min(1.0)
        };
        for a in tall {
            f.prims.push(Prim::Line {
                a_in_world: pos(a, 0),
                b_in_world: pos(a, idx.level(a) as u8),
                width: 1.0,
                color: pal.point_faint.with_alpha(alpha.max(12.0) as u8),
                dashed,
            });
        }
    }
    let on = |l: u8| layers.contains(&l);

    // The walk on every layer it has passed, and the drops between layers.
    for w in &st.walks {
        let Some(l) = w.layer else { continue };
        let bright = is_current(l);
        if on(l) {
            for pair in w.path.windows(2) {
                f.prims.push(Prim::Line {
                    a_in_world: pos(pair[0].0, l),
                    b_in_world: pos(pair[1].0, l),
                    width: inp.style.path_width,
                    color: if bright { pal.path } else { pal.path_old },
                    dashed: false,
                });
            }
            for &(node, _) in &w.path {
                f.prims.push(Prim::Marker {
                    pos_in_world: pos(node, l),
                    radius: r * 1.5,
                    shape: Shape::Circle,
                    fill: Some(if bright { pal.path } else { pal.path_old }),
                    stroke: None,
                });
            }
        }
        // The drop between layers, when the planes are stacked (in a grid the walk simply
        // goes on from the same node on the next plane).
        if w.from_drop
            && !proj.flat
            && !proj.side_by_side()
            && let Some(&(node, _)) = w.path.first()
        {
            f.prims.push(Prim::Line {
                a_in_world: pos(node, l + 1),
                b_in_world: pos(node, l),
                width: 2.5,
                color: pal.path,
                dashed: true,
            });
        }
    }
    // The work of the current layer: distances computed, W, expansions, rejections.
    if let Some(l) = current.filter(|l| on(*l)) {
        for &(node, from, _) in st.phase_evals() {
            f.prims.push(Prim::Line {
                a_in_world: pos(from, l),
                b_in_world: pos(node, l),
                width: 1.0,
                color: pal.evaluated.with_alpha(120),
                dashed: true,
            });
            f.prims.push(Prim::Marker {
                pos_in_world: pos(node, l),
                radius: r * 1.6,
                shape: Shape::Circle,
                fill: None,
                stroke: Some((1.6, pal.evaluated)),
            });
        }
        for &(node, _) in st.phase_expanded() {
            f.prims.push(Prim::Marker {
                pos_in_world: pos(node, l),
                radius: r * 1.4,
                shape: Shape::Circle,
                fill: Some(pal.path),
                stroke: None,
            });
        }
        for &(node, _) in st.phase_rejected() {
            f.prims.push(Prim::Marker {
                pos_in_world: pos(node, l),
                radius: r,
                shape: Shape::Cross,
                fill: Some(pal.rejected),
                stroke: None,
            });
        }
        for &(node, _) in &st.kept {
            f.prims.push(Prim::Marker {
                pos_in_world: pos(node, l),
                radius: r * 2.1,
                shape: Shape::Square,
                fill: None,
                stroke: Some((2.0, pal.kept)),
            });
        }
        for &(_, node, _) in st.phase_kept_sel() {
            f.prims.push(Prim::Marker {
                pos_in_world: pos(node, l),
                radius: r * 2.8,
                shape: Shape::Circle,
                fill: None,
                stroke: Some((3.0, pal.found)),
            });
        }
        for &(_, node, _, by, _) in st.phase_pruned() {
            f.prims.push(Prim::Line {
                a_in_world: pos(node, l),
                b_in_world: pos(by, l),
                width: 1.5,
                color: pal.stuck,
                dashed: true,
            });
            f.prims.push(Prim::Marker {
                pos_in_world: pos(node, l),
                radius: r * 1.8,
                shape: Shape::Cross,
                fill: Some(pal.stuck),
                stroke: None,
            });
        }
    }
    // Results, and the truth once the answer is in (moved over the query's star below, so
    // an answer right at the query keeps its ring in sight).
    let rings_from = f.prims.len();
    if let Some(l) = on(0).then_some(0u8) {
        for (rank, &(node, _)) in st.results.iter().enumerate() {
            f.prims.push(Prim::Marker {
                pos_in_world: pos(node, l),
                radius: r * 2.6,
                shape: Shape::Circle,
                fill: None,
                stroke: Some((2.5, pal.found)),
            });
            f.prims.push(Prim::Text {
                pos_in_world: pos(node, l),
                text: format!("#{}", rank + 1),
                size: inp.style.label_size,
                color: pal.found,
                anchor: Anchor::Left,
                gap: r * 2.6 + 3.0,
                place: Place::Key,
            });
        }
        if !st.results.is_empty()
            && let Some((t, _)) = inp.trace.nearest()
        {
            f.prims.push(Prim::Marker {
                pos_in_world: pos(t, l),
                radius: r * 3.6,
                shape: Shape::Circle,
                fill: None,
                stroke: Some((1.5, pal.found)),
            });
        }
    }
    let rings_to = f.prims.len();
    for &(l, node) in inp.highlight {
        if on(l) && node.idx() < inp.xy.len() {
            f.prims.push(Prim::Marker {
                pos_in_world: pos(node, l),
                radius: r * 3.2,
                shape: Shape::Triangle,
                fill: None,
                stroke: Some((2.5, pal.stuck)),
            });
        }
    }
    if !inp.highlight.is_empty() {
        f.legend.push(legend(
            Shape::Triangle,
            pal.stuck,
            false,
            "unreachable from the entry point",
        ));
    }
    // A deleted point: crossed out on every layer it was on.
    if let Algo::HnswDelete { node, .. } = inp.trace.algo
        && node.idx() < idx.len()
    {
        for l in 0..=idx.level(node) as u8 {
            if on(l) {
                f.prims.push(Prim::Marker {
                    pos_in_world: pos(node, l),
                    radius: r * 2.8,
                    shape: Shape::Cross,
                    fill: Some(pal.stuck),
                    stroke: Some((3.0, pal.stuck)),
                });
                if is_current(l) || proj.flat {
                    f.prims.push(Prim::Text {
                        pos_in_world: pos(node, l),
                        text: format!("deleted: {node}"),
                        size: inp.style.label_size,
                        color: pal.stuck,
                        anchor: Anchor::Below,
                        gap: r * 2.8 + 3.0,
                        place: Place::Key,
                    });
                }
            }
        }
    }
    // The entry point on the top layer, the query (or new point) on every layer.
    if let Some(ep) = idx.entry_point() {
        let l = idx.level(ep) as u8;
        if on(l) {
            f.prims.push(Prim::Marker {
                pos_in_world: pos(ep, l),
                radius: r * 2.0,
                shape: Shape::Square,
                fill: Some(pal.entry),
                stroke: Some((1.5, pal.current)),
            });
            f.prims.push(Prim::Text {
                pos_in_world: pos(ep, l),
                text: "entry point".into(),
                size: inp.style.label_size,
                color: pal.entry,
                anchor: Anchor::Left,
                gap: r * 2.0 + 4.0,
                place: Place::Key,
            });
        }
    }
    if let Some((c, _)) = st.current()
        && let Some(l) = current.filter(|l| on(*l))
    {
        f.prims.push(Prim::Marker {
            pos_in_world: pos(c, l),
            radius: r * 2.3,
            shape: Shape::Diamond,
            fill: Some(pal.path),
            stroke: Some((2.0, pal.current)),
        });
    }
    if let Some(q) = inp.query {
        let new_level = new_node.map(|n| n.1);
        for &l in &layers {
            if new_node.is_some() && new_level.is_some_and(|nl| l > nl) {
                continue;
            }
            let big = is_current(l);
            let at = proj.at(q, l);
            match new_node {
                Some((id, _, _)) => {
                    f.prims.push(Prim::Marker {
                        pos_in_world: at,
                        radius: r * if big { 2.6 } else { 1.8 },
                        shape: Shape::Diamond,
                        fill: Some(pal.new_link),
                        stroke: Some((2.0, pal.current)),
                    });
                    if big {
                        f.prims.push(Prim::Text {
                            pos_in_world: at,
                            text: format!("new: {id}"),
                            size: inp.style.label_size,
                            color: pal.new_link,
                            anchor: Anchor::Below,
                            gap: r * 2.6 + 3.0,
                            place: Place::Key,
                        });
                    }
                }
                None => {
                    f.prims.push(Prim::Marker {
                        pos_in_world: at,
                        radius: r * if big { 3.0 } else { 2.0 },
                        shape: Shape::Star,
                        fill: Some(pal.query.with_alpha(if big { 255 } else { 150 })),
                        stroke: Some((1.5, pal.current)),
                    });
                    if big {
                        f.prims.push(Prim::Text {
                            pos_in_world: at,
                            text: "query".into(),
                            size: inp.style.label_size,
                            color: pal.query,
                            anchor: Anchor::Below,
                            gap: r * 3.0 + 3.0,
                            place: Place::Key,
                        });
                    }
                }
            }
        }
    }
    let rings: Vec<Prim> = f.prims.drain(rings_from..rings_to).collect();
    f.prims.extend(rings);
    if bounds.0[0].is_finite() {
        f.bounds = Some(bounds);
    }
    f.legend.splice(
        0..0,
        [
            legend(Shape::Square, pal.entry, true, "entry point (top layer)"),
            legend(
                Shape::Diamond,
                pal.path,
                true,
                "current node, path on every layer",
            ),
            legend(Shape::Circle, pal.evaluated, false, "distance computed"),
            legend(Shape::Square, pal.kept, false, "kept in W"),
            legend(Shape::Circle, pal.found, false, "result / kept neighbour"),
        ],
    );
    match inp.trace.algo {
        Algo::HnswInsert(_) => {
            f.legend.push(legend(
                Shape::Diamond,
                pal.new_link,
                true,
                "new point, new links",
            ));
            f.legend.push(legend(
                Shape::Cross,
                pal.stuck,
                true,
                "pruned (dashed: the closer kept node) / dropped link",
            ));
        }
        _ => f.legend.push(legend(Shape::Star, pal.query, true, "query")),
    }
    f
}
