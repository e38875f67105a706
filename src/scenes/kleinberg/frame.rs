//! The Kleinberg scene's frame and narration: the lattice (whole when it is small, its outline
//! when it has millions of nodes), the route hop by hop with its long links, the current
//! node's links, the source and target; or one of the sweep's plots.

use super::{KView, KleinbergScene, charts};
use crate::engine::smallworld::kleinberg::{Kleinberg, Lattice, Node};
use crate::render::chart::{ChartLook, to_frame};
use crate::render::{Anchor, Frame, Palette, Place, Prim, Rgba, Shape, Style, legend};
use crate::scenes::{Narration, Shared, density_scale};

pub const PSEUDOCODE: &[&str] = &[
    "route(s, t):                  ▷ greedy: no node knows the whole graph",
    "  u ← s",
    "  while u ≠ t:",
    "    links ← u's lattice neighbours (within p) and its q long links",
    "    u ← the link closest to t (lattice distance)",
    "  return the hops",
    "long link of u: v with probability ∝ d(u, v)^−r",
];

/// Largest side whose nodes are all drawn (10,000 nodes).
const DRAW_NODES: u64 = 100;
/// Largest side whose long links are all drawn.
const DRAW_LINKS: u64 = 50;
const RING_R: f32 = 0.45;

/// Where node `u` is drawn: its cell's centre in the unit square, or on a circle for a ring.
pub fn pos(k: &Kleinberg, u: Node) -> [f32; 2] {
    let side = k.params().side as f64;
    let (x, y) = k.coords(u);
    match k.params().lattice {
        Lattice::Ring => {
            let a = std::f64::consts::TAU * x as f64 / side;
            [0.5 + RING_R * a.cos() as f32, 0.5 + RING_R * a.sin() as f32]
        }
        _ => [
            ((x as f64 + 0.5) / side) as f32,
            ((y as f64 + 0.5) / side) as f32,
        ],
    }
}

/// The node drawn at a world position, if any.
pub fn node_at(k: &Kleinberg, p: [f32; 2]) -> Option<Node> {
    let side = k.params().side;
    match k.params().lattice {
        Lattice::Ring => {
            let (dx, dy) = (p[0] - 0.5, p[1] - 0.5);
            let r = dx.hypot(dy);
            if (r - RING_R).abs() > 0.08 {
                return None;
            }
            let a = f64::from(dy.atan2(dx)).rem_euclid(std::f64::consts::TAU);
            Some(((a / std::f64::consts::TAU * side as f64).round() as u64) % side)
        }
        _ => {
            if !(0.0..1.0).contains(&p[0]) || !(0.0..1.0).contains(&p[1]) {
                return None;
            }
            let x = (f64::from(p[0]) * side as f64) as u64;
            let y = (f64::from(p[1]) * side as f64) as u64;
            Some(k.node(x.min(side - 1), y.min(side - 1)))
        }
    }
}

fn coords(k: &Kleinberg, u: Node) -> String {
    let (x, y) = k.coords(u);
    match k.params().lattice {
        Lattice::Ring => format!("{x}"),
        _ => format!("({x}, {y})"),
    }
}

/// The part of segment a–b inside the unit square (Liang–Barsky).
fn clip_unit(a: [f32; 2], b: [f32; 2]) -> Option<([f32; 2], [f32; 2])> {
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    let d = [b[0] - a[0], b[1] - a[1]];
    for axis in 0..2 {
        for (p, q) in [(-d[axis], a[axis]), (d[axis], 1.0 - a[axis])] {
            if p == 0.0 {
                if q < 0.0 {
                    return None;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
    }
    (t0 <= t1).then(|| {
        (
            [a[0] + d[0] * t0, a[1] + d[1] * t0],
            [a[0] + d[0] * t1, a[1] + d[1] * t1],
        )
    })
}

/// A link as drawn: straight, or on a torus the short way round — out of one edge and in at
/// the opposite one, as two pieces.
fn link(f: &mut Frame, k: &Kleinberg, a: Node, b: Node, width: f32, color: Rgba, dashed: bool) {
    let (pa, pb) = (pos(k, a), pos(k, b));
    if k.params().lattice != Lattice::Torus {
        f.line(pa, pb, width, color, dashed);
        return;
    }
    // The image of b nearest to a, one side-length away along each axis that wraps.
    let shift = |x: f32, y: f32| {
        if y - x > 0.5 {
            -1.0
        } else if x - y > 0.5 {
            1.0
        } else {
            0.0
        }
    };
    let s = [shift(pa[0], pb[0]), shift(pa[1], pb[1])];
    if s == [0.0, 0.0] {
        f.line(pa, pb, width, color, dashed);
        return;
    }
    let pb2 = [pb[0] + s[0], pb[1] + s[1]];
    let pa2 = [pa[0] - s[0], pa[1] - s[1]];
    for (x, y) in [(pa, pb2), (pa2, pb)] {
        if let Some((x, y)) = clip_unit(x, y) {
            f.line(x, y, width, color, dashed);
        }
    }
}

pub fn frame(s: &KleinbergScene, shared: &Shared, pal: Palette, style: Style) -> Frame {
    if s.settings.view != KView::Route {
        return chart_frame(s, shared, pal, style);
    }
    let mut f = Frame {
        bounds: Some(([0.0, 0.0], [1.0, 1.0])),
        ..Frame::default()
    };
    let Some(k) = s.lattice.as_ref() else {
        return f;
    };
    let side = k.params().side;
    let ring = k.params().lattice == Lattice::Ring;
    // The lattice: its outline, its nodes when few enough, its lattice links when fewer.
    if ring {
        let pts: Vec<[f32; 2]> = (0..128)
            .map(|i| {
                let a = std::f32::consts::TAU * i as f32 / 128.0;
                [0.5 + RING_R * a.cos(), 0.5 + RING_R * a.sin()]
            })
            .collect();
        f.prims.push(Prim::Polygon {
            points_in_world: pts,
            fill: Rgba([0, 0, 0, 0]),
            stroke: Some((1.2, pal.point_faint)),
        });
    } else {
        f.prims.push(Prim::Polygon {
            points_in_world: vec![[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]],
            fill: Rgba([0, 0, 0, 0]),
            stroke: Some((1.2, pal.point_faint)),
        });
        if side <= DRAW_NODES && k.params().p == 1 {
            for i in 0..side {
                let c = (i as f32 + 0.5) / side as f32;
                let (a, b) = (0.5 / side as f32, 1.0 - 0.5 / side as f32);
                f.line([a, c], [b, c], 0.8, pal.point_faint.with_alpha(120), false);
                f.line([c, a], [c, b], 0.8, pal.point_faint.with_alpha(120), false);
            }
        }
    }
    let small = if ring {
        side <= 400
    } else {
        side <= DRAW_NODES
    };
    if small {
        let r = style.point_radius * 0.6 * density_scale(k.nodes() as usize).max(0.4);
        for u in 0..k.nodes() {
            f.prims.push(Prim::Marker {
                pos_in_world: pos(k, u),
                radius: r,
                shape: Shape::Circle,
                fill: Some(pal.point_faint),
                stroke: None,
            });
        }
    }
    if (ring && side <= 120) || (!ring && side <= DRAW_LINKS) {
        for u in 0..k.nodes() {
            for v in k.long_links(u) {
                link(&mut f, k, u, v, 0.8, pal.evaluated.with_alpha(70), false);
            }
        }
    }
    // The route so far.
    let st = s.state();
    for &(a, b, long) in &st.hops {
        let (w, c) = if long {
            (style.path_width * 0.8, pal.path)
        } else {
            (style.edge_width * 1.8, pal.kept)
        };
        link(&mut f, k, a, b, w, c, false);
        f.prims.push(Prim::Marker {
            pos_in_world: pos(k, b),
            radius: style.point_radius * 0.8,
            shape: Shape::Circle,
            fill: Some(c),
            stroke: None,
        });
    }
    // The current node's links, the next choice among them.
    let cur = s.current();
    if cur != s.target {
        for v in k.long_links(cur) {
            link(
                &mut f,
                k,
                cur,
                v,
                style.edge_width * 1.5,
                pal.evaluated,
                true,
            );
            f.prims.push(Prim::Marker {
                pos_in_world: pos(k, v),
                radius: style.point_radius + 2.0,
                shape: Shape::Circle,
                fill: None,
                stroke: Some((2.0, pal.evaluated)),
            });
        }
        f.prims.push(Prim::Marker {
            pos_in_world: pos(k, cur),
            radius: style.point_radius + 4.0,
            shape: Shape::Circle,
            fill: None,
            stroke: Some((2.5, pal.current)),
        });
    }
    for (u, shape, color, name) in [
        (s.source, Shape::Diamond, pal.entry, "source"),
        (s.target, Shape::Star, pal.query, "target"),
    ] {
        f.prims.push(Prim::Marker {
            pos_in_world: pos(k, u),
            radius: style.point_radius + 4.0,
            shape,
            fill: Some(color),
            stroke: Some((1.0, pal.background)),
        });
        f.prims.push(Prim::Text {
            pos_in_world: pos(k, u),
            text: format!("{name} {}", coords(k, u)),
            size: style.label_size,
            color,
            anchor: Anchor::Above,
            gap: style.point_radius + 6.0,
            place: Place::Key,
        });
    }
    if !small {
        f.prims.push(Prim::Text {
            pos_in_world: [0.5, 0.0],
            text: format!(
                "side {}: {} nodes, drawn as the {}; the route's nodes only",
                crate::engine::scaling::thousands(side),
                crate::engine::scaling::thousands(k.nodes()),
                if ring { "circle" } else { "square" }
            ),
            size: style.label_size * 0.9,
            color: pal.point,
            anchor: Anchor::Below,
            gap: 6.0,
            place: Place::Pinned,
        });
    }
    f.legend
        .push(legend(Shape::Diamond, pal.entry, true, "source"));
    f.legend
        .push(legend(Shape::Star, pal.query, true, "target"));
    f.legend.push(legend(
        Shape::Circle,
        pal.path,
        true,
        "hop over a long link",
    ));
    f.legend.push(legend(
        Shape::Circle,
        pal.kept,
        true,
        "hop to a lattice neighbour",
    ));
    f.legend.push(legend(
        Shape::Circle,
        pal.evaluated,
        false,
        "the current node's long links",
    ));
    f
}

/// The plot on show, or a word on how to get it.
fn chart_frame(s: &KleinbergScene, shared: &Shared, pal: Palette, style: Style) -> Frame {
    let dim = s.results_dim();
    let rows = &s.settings.results;
    let chart = match s.settings.view {
        KView::HopsAgainstN => charts::hops_against_n(rows, dim),
        KView::BestR => charts::best_r_against_side(rows, dim),
        KView::Letters => match s.settings.letters.as_ref() {
            Some(l) => charts::letters(l),
            None => return empty(pal, style, "Send the letters (R, or ✉ in the panel)."),
        },
        KView::NswLinks | KView::NswWalk => match s.nsw_links.as_ref() {
            Some(l) if s.settings.view == KView::NswWalk => charts::nsw_walk(l),
            Some(l) => charts::nsw_links(l),
            None => return empty(pal, style, "No NSW measured."),
        },
        _ => charts::hops_against_r(rows, dim),
    };
    if chart.series.iter().all(|s| s.points.is_empty()) {
        return empty(pal, style, "Run the sweep of r: R or PgDn (seconds).");
    }
    let look = ChartLook::of(pal, style);
    to_frame(&chart, shared.aspect * 0.9, look)
}

fn empty(pal: Palette, style: Style, what: &str) -> Frame {
    Frame {
        bounds: Some(([0.0, 0.0], [1.6, 1.0])),
        prims: vec![Prim::Text {
            pos_in_world: [0.8, 0.5],
            text: what.into(),
            size: style.label_size * 1.2,
            color: pal.text,
            anchor: Anchor::Center,
            gap: 0.0,
            place: Place::Pinned,
        }],
        ..Frame::default()
    }
}

pub fn narrate(s: &KleinbergScene) -> Narration {
    let Some(k) = s.lattice.as_ref() else {
        return Narration {
            title: "Kleinberg's lattice".into(),
            text: s.error.clone().unwrap_or_default(),
            ..Narration::default()
        };
    };
    if s.settings.view == KView::Letters && s.settings.letters.is_none() {
        return Narration {
            title: "Milgram's letters".into(),
            text: format!(
                "Each letter goes from a random person to a random target, forwarded greedily; every holder drops it with probability {:.2}. Send them (R, or ✉ Send the letters in the panel).",
                s.settings.dropout
            ),
            line: Some(4),
            alert: false,
        };
    }
    if s.settings.view != KView::Route {
        let dim = s.results_dim();
        let rows = &s.settings.results;
        let chart = match s.settings.view {
            KView::HopsAgainstN => charts::hops_against_n(rows, dim),
            KView::BestR => charts::best_r_against_side(rows, dim),
            KView::Letters => match s.settings.letters.as_ref() {
                Some(l) => charts::letters(l),
                None => charts::hops_against_r(rows, dim),
            },
            KView::NswLinks | KView::NswWalk => match s.nsw_links.as_ref() {
                Some(l) if s.settings.view == KView::NswWalk => charts::nsw_walk(l),
                Some(l) => charts::nsw_links(l),
                None => charts::hops_against_r(rows, dim),
            },
            _ => charts::hops_against_r(rows, dim),
        };
        let mut text = chart.note.clone();
        if let Some(job) = s.job.as_ref() {
            let (frac, left) = job.progress();
            text = format!(
                "Sweep running: {:.0} % ({}). {text}",
                frac * 100.0,
                left.map_or("…".into(), |l| format!("about {l:.0} s left"))
            );
        } else if rows.is_empty()
            && !matches!(
                s.settings.view,
                KView::Letters | KView::NswLinks | KView::NswWalk
            )
        {
            text = format!("No measurements yet: run the sweep (R). {text}");
        }
        return Narration {
            title: chart.title,
            text,
            line: None,
            alert: false,
        };
    }
    let st = s.state();
    let r = k.params().r;
    let d0 = k.distance(s.source, s.target);
    match st.hops.last() {
        None => Narration {
            title: "Greedy routing on Kleinberg's lattice".into(),
            text: format!(
                "From {} to {}, {d0} lattice steps apart, among {} nodes. Each node knows only its lattice neighbours and {} long link{} drawn with probability ∝ d^−r (r = {r}), and forwards to whichever is closest to the target. Step (→).",
                coords(k, s.source),
                coords(k, s.target),
                crate::engine::scaling::thousands(k.nodes()),
                k.params().q,
                if k.params().q == 1 { "" } else { "s" },
            ),
            line: Some(0),
            alert: false,
        },
        Some(&(a, b, long)) => {
            let before = k.distance(a, s.target);
            let after = k.distance(b, s.target);
            if b == s.target {
                let long_hops = st.hops.iter().filter(|h| h.2).count();
                return Narration {
                    title: format!("Arrived in {} hops", st.hops.len()),
                    text: format!(
                        "{long_hops} of them over long links; the lattice distance was {d0}, (ln n)² = {:.0}. At r = {} (the dimension is {}), {}",
                        s.log2_n(),
                        r,
                        k.params().lattice.dim(),
                        if (r - f64::from(k.params().lattice.dim())).abs() < 1e-9 {
                            "long links come at every scale: each halves the distance often enough for O(log² n) hops."
                        } else if r < f64::from(k.params().lattice.dim()) {
                            "long links are too uniform: they jump far, but rarely near the target."
                        } else {
                            "long links are too short: the route crawls along the lattice."
                        }
                    ),
                    line: Some(5),
                    alert: false,
                };
            }
            let cut = s.truncated && s.play.state.cursor == s.play.trace.events.len();
            Narration {
                title: format!(
                    "Hop {}: {} → {}{}",
                    st.hops.len(),
                    coords(k, a),
                    coords(k, b),
                    if cut { " (the last hop animated)" } else { "" }
                ),
                text: format!(
                    "{} forwards to {} over {}: {before} → {after} lattice steps from the target ({} closer).",
                    coords(k, a),
                    coords(k, b),
                    if long {
                        "its long link"
                    } else {
                        "a lattice link"
                    },
                    before - after
                ),
                line: Some(4),
                alert: false,
            }
        }
    }
}
