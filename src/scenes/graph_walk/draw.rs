//! Drawing shared by the NSW scenes (construction and greedy search): links coloured and
//! widened by length, markers, labels clear of their markers, the frame's bounds.

use crate::engine::{Nsw, PointId, Points};
pub use crate::render::legend;
use crate::render::{Anchor, Frame, Palette, Place, Prim, Rgba, Shape, Style};
use crate::trace::{Trace, TraceState};

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

/// Shortest and longest link of the finished graph (fixes the colour scale for every step).
pub fn length_range(inp: &Input) -> (f32, f32) {
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

pub fn edge(
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

pub fn label(f: &mut Frame, inp: &Input, at: [f32; 2], text: String, anchor: Anchor, color: Rgba) {
    label_clear_of(f, inp, at, text, anchor, color, inp.style.point_radius);
}

/// A label set clear of a marker of radius `clear` drawn at the same place.
pub fn label_clear_of(
    f: &mut Frame,
    inp: &Input,
    at: [f32; 2],
    text: String,
    anchor: Anchor,
    color: Rgba,
    clear: f32,
) {
    f.prims.push(Prim::Text {
        pos_in_world: at,
        text,
        size: inp.style.label_size,
        color,
        anchor,
        gap: clear + 3.0,
        place: Place::Key,
    });
}

pub fn marker(
    f: &mut Frame,
    at: [f32; 2],
    radius: f32,
    shape: Shape,
    fill: Option<Rgba>,
    stroke: Option<(f32, Rgba)>,
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
pub fn id_labels(f: &mut Frame, inp: &Input, upto: usize, clear: impl Fn(PointId) -> f32) {
    if inp.points.len() > inp.style.label_limit {
        return;
    }
    // Point ids give way to the labels that matter (entry, query, local minimum).
    for id in inp.points.ids().take(upto) {
        f.prims.push(Prim::Text {
            pos_in_world: inp.points.xy(id),
            text: id.to_string(),
            size: inp.style.label_size,
            color: inp.palette.text,
            anchor: Anchor::Above,
            gap: clear(id) + 3.0,
            place: Place::Minor,
        });
    }
}

pub fn bounds(inp: &Input) -> Option<([f32; 2], [f32; 2])> {
    let (mut lo, mut hi) = inp.points.bounds_xy().unwrap_or(([0.0, 0.0], [1.0, 1.0]));
    if let Some(q) = inp.query {
        lo = [lo[0].min(q[0]), lo[1].min(q[1])];
        hi = [hi[0].max(q[0]), hi[1].max(q[1])];
    }
    Some((lo, hi))
}
