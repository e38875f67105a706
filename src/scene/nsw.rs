//! The NSW construction and greedy-search scenes.

use super::{Anchor, Frame, LegendItem, Palette, Prim, Shape, Style};
use crate::engine::{Metric, Nsw, PointId, Points, SearchMode};
use crate::trace::{Algo, Trace, TraceState};

/// What a scene reads to draw one step.
pub struct Input<'a> {
    pub points: &'a Points,
    /// The finished graph (the search scene walks it; the construction scene colours by it).
    pub graph: &'a Nsw,
    pub trace: &'a Trace,
    pub state: &'a TraceState,
    pub query: Option<[f32; 2]>,
    pub entry: Option<PointId>,
    pub palette: Palette,
    pub style: Style,
}

fn legend(shape: Shape, color: super::Rgba, filled: bool, label: &str) -> LegendItem {
    LegendItem {
        shape,
        color,
        filled,
        label: label.to_string(),
    }
}

/// Shortest and longest link of the finished graph (fixes the colour scale for every step).
fn length_range(inp: &Input) -> (f32, f32) {
    let mut lo = f32::INFINITY;
    let mut hi = 0.0f32;
    for (a, b) in inp.graph.edges() {
        let d = inp
            .graph
            .params()
            .metric
            .eval(inp.points.get(a), inp.points.get(b));
        lo = lo.min(d);
        hi = hi.max(d);
    }
    if lo > hi {
        (0.0, 1.0)
    } else {
        (lo, hi.max(lo + 1e-6))
    }
}

fn edge(
    f: &mut Frame,
    inp: &Input,
    a: PointId,
    b: PointId,
    len: f32,
    range: (f32, f32),
    alpha: u8,
) {
    let t = (len - range.0) / (range.1 - range.0);
    f.prims.push(Prim::Line {
        a_in_world: inp.points.xy(a),
        b_in_world: inp.points.xy(b),
        // Long links are also drawn wider, so length does not rest on colour alone.
        width: inp.style.edge_width * (1.0 + 1.2 * t.clamp(0.0, 1.0)),
        color: inp.palette.length_color(t).with_alpha(alpha),
        dashed: false,
    });
}

fn label(
    f: &mut Frame,
    inp: &Input,
    at: [f32; 2],
    text: String,
    anchor: Anchor,
    color: super::Rgba,
) {
    label_clear_of(f, inp, at, text, anchor, color, inp.style.point_radius);
}

/// A label set clear of a marker of radius `clear` drawn at the same place.
fn label_clear_of(
    f: &mut Frame,
    inp: &Input,
    at: [f32; 2],
    text: String,
    anchor: Anchor,
    color: super::Rgba,
    clear: f32,
) {
    f.prims.push(Prim::Text {
        pos_in_world: at,
        text,
        size: inp.style.label_size,
        color,
        anchor,
        gap: clear + 3.0,
    });
}

fn marker(
    f: &mut Frame,
    at: [f32; 2],
    radius: f32,
    shape: Shape,
    fill: Option<super::Rgba>,
    stroke: Option<(f32, super::Rgba)>,
) {
    f.prims.push(Prim::Marker {
        pos_in_world: at,
        radius,
        shape,
        fill,
        stroke,
    });
}

/// Point ids above the points, each clear of the marker `clear(id)` says it carries.
fn id_labels(f: &mut Frame, inp: &Input, upto: usize, clear: impl Fn(PointId) -> f32) {
    if inp.points.len() > inp.style.label_limit {
        return;
    }
    for id in inp.points.ids().take(upto) {
        label_clear_of(
            f,
            inp,
            inp.points.xy(id),
            id.to_string(),
            Anchor::Above,
            inp.palette.text,
            clear(id),
        );
    }
}

fn bounds(inp: &Input) -> Option<([f32; 2], [f32; 2])> {
    let (mut lo, mut hi) = inp.points.bounds_xy().unwrap_or(([0.0, 0.0], [1.0, 1.0]));
    if let Some(q) = inp.query {
        lo = [lo[0].min(q[0]), lo[1].min(q[1])];
        hi = [hi[0].max(q[0]), hi[1].max(q[1])];
    }
    Some((lo, hi))
}

/// NSW construction at the cursor: links made so far, the point being inserted, the
/// distances it computed and the links it made.
pub fn construction_frame(inp: &Input) -> Frame {
    let mut f = Frame {
        bounds: bounds(inp),
        ..Frame::default()
    };
    let pal = inp.palette;
    let st = inp.state;
    let range = length_range(inp);
    f.length_scale = Some(range);
    let inserting = st.inserting();
    let n_in = st.inserted.len();
    let r = inp.style.point_radius;

    // Links so far; the current insertion's links on top, highlighted.
    for &(a, b, d) in &st.edges {
        if Some(a) != inserting {
            edge(&mut f, inp, a, b, d, range, 220);
        }
    }
    // Distances the new point computed (fine detail), as thin dashed rays.
    if inserting.is_some() {
        let evals = st.phase_evals();
        if evals.len() <= 400 {
            for &(node, from, _) in evals {
                f.prims.push(Prim::Line {
                    a_in_world: inp.points.xy(from),
                    b_in_world: inp.points.xy(node),
                    width: 1.0,
                    color: pal.evaluated.with_alpha(150),
                    dashed: true,
                });
            }
        }
    }
    for &(a, b, d) in &st.edges {
        if Some(a) == inserting {
            f.prims.push(Prim::Line {
                a_in_world: inp.points.xy(a),
                b_in_world: inp.points.xy(b),
                width: inp.style.path_width,
                color: pal.new_link,
                dashed: false,
            });
            if inp.points.len() <= inp.style.label_limit {
                let (pa, pb) = (inp.points.xy(a), inp.points.xy(b));
                f.prims.push(Prim::Text {
                    pos_in_world: [(pa[0] + pb[0]) / 2.0, (pa[1] + pb[1]) / 2.0],
                    text: format!("{d:.2}"),
                    size: inp.style.label_size * 0.9,
                    color: pal.new_link,
                    anchor: Anchor::Right,
                    gap: 4.0,
                });
            }
        }
    }
    // Points: inserted filled, waiting ones faint and hollow.
    for id in inp.points.ids() {
        let at = inp.points.xy(id);
        if id.idx() < n_in {
            marker(&mut f, at, r, Shape::Circle, Some(pal.point), None);
        } else {
            marker(
                &mut f,
                at,
                r * 0.8,
                Shape::Circle,
                None,
                Some((1.0, pal.point_faint)),
            );
        }
    }
    // Malkov rule: the searches' kept set and expanded nodes.
    for &(id, _) in st.phase_expanded() {
        marker(
            &mut f,
            inp.points.xy(id),
            r * 1.9,
            Shape::Circle,
            None,
            Some((1.5, pal.path)),
        );
    }
    for &(id, _) in &st.kept {
        marker(
            &mut f,
            inp.points.xy(id),
            r * 1.6,
            Shape::Square,
            None,
            Some((2.0, pal.kept)),
        );
    }
    for &(node, _, _) in st.phase_evals() {
        if st.phase_evals().len() <= 400 {
            marker(
                &mut f,
                inp.points.xy(node),
                r * 1.35,
                Shape::Circle,
                None,
                Some((1.5, pal.evaluated)),
            );
        }
    }
    id_labels(&mut f, inp, inp.points.len(), |_| inp.style.point_radius);
    if let Some(p) = inserting {
        let at = inp.points.xy(p);
        marker(
            &mut f,
            at,
            r * 2.4,
            Shape::Diamond,
            Some(pal.new_link),
            Some((2.0, pal.current)),
        );
        label(
            &mut f,
            inp,
            at,
            format!("new: {p}"),
            Anchor::Below,
            pal.new_link,
        );
    }
    f.legend = vec![
        legend(
            Shape::Diamond,
            pal.new_link,
            true,
            "point being inserted, its new links",
        ),
        legend(Shape::Circle, pal.point, true, "inserted point"),
        legend(Shape::Circle, pal.point_faint, false, "not inserted yet"),
        legend(
            Shape::Circle,
            pal.evaluated,
            false,
            "distance computed (dashed ray)",
        ),
    ];
    if matches!(inp.trace.algo, Algo::Construction(p) if matches!(p.rule, crate::engine::InsertRule::Malkov2014 { .. }))
    {
        f.legend.push(legend(
            Shape::Circle,
            pal.path,
            false,
            "expanded by the search",
        ));
        f.legend.push(legend(
            Shape::Square,
            pal.kept,
            false,
            "kept: m best found (W)",
        ));
    }
    f
}

/// Greedy, multi-start or beam search at the cursor.
pub fn search_frame(inp: &Input) -> Frame {
    let mut f = Frame {
        bounds: bounds(inp),
        ..Frame::default()
    };
    let pal = inp.palette;
    let st = inp.state;
    let r = inp.style.point_radius;
    let range = length_range(inp);
    f.length_scale = Some(range);
    let g = inp.graph;
    let metric = g.params().metric;

    for (a, b) in g.edges() {
        let d = metric.eval(inp.points.get(a), inp.points.get(b));
        edge(&mut f, inp, a, b, d, range, 110);
    }
    let finished = !st.stops.is_empty() || !st.results.is_empty() || !st.beam_stops.is_empty();
    let truth = inp.trace.nearest();

    // Beam: the ball that holds W (everything W keeps lies inside it).
    if matches!(inp.trace.algo, Algo::Search(SearchMode::Beam { .. }))
        && metric == Metric::Euclidean
        && let (Some(q), Some(&(_, d))) = (inp.query, st.kept.last())
    {
        f.prims.push(Prim::WorldCircle {
            center_in_world: q,
            radius_in_world: d,
            width: 1.5,
            color: pal.kept.with_alpha(200),
            dashed: true,
        });
    }
    // Rays to the neighbours looked at.
    let evals = st.phase_evals();
    let current = st.current();
    for &(node, from, _) in evals {
        let recent = current.is_some_and(|c| c.0 == from);
        f.prims.push(Prim::Line {
            a_in_world: inp.points.xy(from),
            b_in_world: inp.points.xy(node),
            width: if recent { 1.8 } else { 1.0 },
            color: pal.evaluated.with_alpha(if recent { 230 } else { 90 }),
            dashed: !recent,
        });
    }
    // The walks: older ones muted, the current one bright.
    let walks = st.phase_walks();
    for (wi, w) in walks.iter().enumerate() {
        let last = wi + 1 == walks.len();
        for pair in w.path.windows(2) {
            f.prims.push(Prim::Line {
                a_in_world: inp.points.xy(pair[0].0),
                b_in_world: inp.points.xy(pair[1].0),
                width: inp.style.path_width * if last { 1.0 } else { 0.7 },
                color: if last { pal.path } else { pal.path_old },
                dashed: false,
            });
        }
    }
    // The beam's expansions.
    for pair in st.phase_expanded().windows(2) {
        f.prims.push(Prim::Line {
            a_in_world: inp.points.xy(pair[0].0),
            b_in_world: inp.points.xy(pair[1].0),
            width: inp.style.path_width * 0.6,
            color: pal.path.with_alpha(140),
            dashed: true,
        });
    }
    if finished && let (Some(q), Some((t, _))) = (inp.query, truth) {
        f.prims.push(Prim::Line {
            a_in_world: q,
            b_in_world: inp.points.xy(t),
            width: 1.5,
            color: pal.found,
            dashed: true,
        });
    }
    for id in inp.points.ids() {
        marker(
            &mut f,
            inp.points.xy(id),
            r,
            Shape::Circle,
            Some(pal.point),
            None,
        );
    }
    for &(node, _, _) in evals {
        marker(
            &mut f,
            inp.points.xy(node),
            r * 1.5,
            Shape::Circle,
            None,
            Some((1.8, pal.evaluated)),
        );
    }
    for &(node, _) in st.phase_rejected() {
        marker(
            &mut f,
            inp.points.xy(node),
            r * 0.9,
            Shape::Cross,
            Some(pal.rejected),
            None,
        );
    }
    for &(node, _) in st.phase_expanded() {
        marker(
            &mut f,
            inp.points.xy(node),
            r * 1.5,
            Shape::Circle,
            Some(pal.path),
            None,
        );
    }
    for &(node, _) in &st.kept {
        marker(
            &mut f,
            inp.points.xy(node),
            r * 2.0,
            Shape::Square,
            None,
            Some((2.0, pal.kept)),
        );
    }
    id_labels(&mut f, inp, inp.points.len(), |id| {
        if st.stops.iter().any(|&(n, _)| n == id) {
            r * 3.4 + 1.5
        } else if finished && truth.is_some_and(|(t, _)| t == id) {
            r * 3.6 + 1.0
        } else if inp.entry == Some(id) {
            r * 1.9
        } else {
            r
        }
    });
    // Distances of the neighbours just looked at.
    if inp.points.len() <= inp.style.label_limit
        && let Some((c, _)) = current
    {
        for &(node, from, d) in evals {
            if from == c {
                f.prims.push(Prim::Text {
                    pos_in_world: inp.points.xy(node),
                    text: format!("{d:.2}"),
                    size: inp.style.label_size * 0.85,
                    color: pal.evaluated,
                    anchor: Anchor::Right,
                    gap: r + 6.0,
                });
            }
        }
    }
    if let Some(e) = inp.entry.filter(|e| e.idx() < inp.points.len()) {
        let at = inp.points.xy(e);
        marker(
            &mut f,
            at,
            r * 1.9,
            Shape::Square,
            Some(pal.entry),
            Some((1.5, pal.current)),
        );
        label_clear_of(
            &mut f,
            inp,
            at,
            "entry".into(),
            Anchor::Left,
            pal.entry,
            r * 1.9,
        );
    }
    for &(node, d) in &st.stops {
        let ok = inp.trace.is_nearest(node, d);
        let at = inp.points.xy(node);
        let c = if ok { pal.found } else { pal.stuck };
        marker(&mut f, at, r * 3.4, Shape::Circle, None, Some((3.0, c)));
        if !ok {
            label_clear_of(
                &mut f,
                inp,
                at,
                "local minimum".into(),
                Anchor::Below,
                pal.stuck,
                r * 3.4 + 1.5,
            );
        }
    }
    if finished && let Some((t, _)) = truth {
        let at = inp.points.xy(t);
        marker(
            &mut f,
            at,
            r * 2.6,
            Shape::Circle,
            None,
            Some((2.5, pal.found)),
        );
        marker(
            &mut f,
            at,
            r * 3.6,
            Shape::Circle,
            None,
            Some((1.5, pal.found)),
        );
        label_clear_of(
            &mut f,
            inp,
            at,
            "true nearest".into(),
            Anchor::Right,
            pal.found,
            r * 3.6 + 1.0,
        );
    }
    // Clear of the widest ring an answer can carry (a stop, the true nearest).
    for (rank, &(node, _)) in st.results.iter().enumerate() {
        label_clear_of(
            &mut f,
            inp,
            inp.points.xy(node),
            format!("#{}", rank + 1),
            Anchor::Left,
            pal.text,
            r * 3.6 + 1.0,
        );
    }
    if let Some((c, _)) = current
        && st.results.is_empty()
    {
        marker(
            &mut f,
            inp.points.xy(c),
            r * 2.2,
            Shape::Diamond,
            Some(pal.path),
            Some((2.0, pal.current)),
        );
    }
    if let Some(q) = inp.query {
        marker(
            &mut f,
            q,
            r * 3.0,
            Shape::Star,
            Some(pal.query),
            Some((1.5, pal.current)),
        );
        label_clear_of(
            &mut f,
            inp,
            q,
            "query".into(),
            Anchor::Below,
            pal.query,
            r * 3.0 - 2.0,
        );
    }
    f.legend = vec![
        legend(Shape::Star, pal.query, true, "query"),
        legend(Shape::Square, pal.entry, true, "entry node"),
        legend(Shape::Diamond, pal.path, true, "current node, walk so far"),
        legend(Shape::Circle, pal.evaluated, false, "distance computed"),
        legend(Shape::Circle, pal.stuck, false, "local minimum"),
        legend(
            Shape::Circle,
            pal.found,
            false,
            "true nearest (shown at the end)",
        ),
    ];
    if matches!(inp.trace.algo, Algo::Search(SearchMode::Beam { .. })) {
        f.legend.push(legend(
            Shape::Square,
            pal.kept,
            false,
            "kept in W (dashed: W's radius)",
        ));
        f.legend.push(legend(
            Shape::Cross,
            pal.rejected,
            true,
            "looked at, not kept",
        ));
    }
    f
}
