//! The Watts–Strogatz frame: the ring with its edges as chords (ring edges faint, rewired ones
//! bold), the edge being considered, the shortest path between the two chosen nodes; or the
//! classic figure with the small-world window shaded.

use super::{WattsStrogatz, WsView};
use crate::engine::smallworld::watts_strogatz::{WsEvent, WsRow};
use crate::render::chart::{Chart, ChartLook, Series, padded, to_frame};
use crate::render::{Anchor, Frame, Palette, Place, Prim, Rgba, Shape, Style, legend};
use crate::scenes::{Narration, Shared, density_scale};

pub const PSEUDOCODE: &[&str] = &[
    "ring(N, K): join each node to its K/2 nearest on each side",
    "for lap j in 1 … K/2:                ▷ nearest edges first",
    "  for each node i:",
    "    with probability p:",
    "      move the far end of edge (i, i+j) to a uniform node",
    "      (no self-loop, no repeated edge)",
    "C = mean over nodes of (links among its neighbours) / (d(d−1)/2)",
    "L = mean over pairs of the shortest path's hops (breadth-first)",
];

const R: f32 = 0.45;

pub fn pos(n: usize, u: u32) -> [f32; 2] {
    let a = std::f32::consts::FRAC_PI_2 - std::f32::consts::TAU * u as f32 / n.max(1) as f32;
    [0.5 + R * a.cos(), 0.5 + R * a.sin()]
}

/// The node drawn nearest a world position, if the position is near the ring.
pub fn node_at(n: usize, p: [f32; 2]) -> Option<u32> {
    let (dx, dy) = (p[0] - 0.5, p[1] - 0.5);
    if (dx.hypot(dy) - R).abs() > 0.06 || n == 0 {
        return None;
    }
    let a = (std::f32::consts::FRAC_PI_2 - dy.atan2(dx)).rem_euclid(std::f32::consts::TAU);
    Some(((a / std::f32::consts::TAU * n as f32).round() as usize % n) as u32)
}

/// The figure: C(p)/C(0) and L(p)/L(0) against p.
pub fn figure(rows: &[WsRow]) -> Chart {
    let mut rows: Vec<&WsRow> = rows.iter().filter(|r| r.p > 0.0).collect();
    rows.sort_by(|a, b| a.p.total_cmp(&b.p));
    let s = |name: &str, color, f: &dyn Fn(&WsRow) -> f64| {
        let points: Vec<[f64; 2]> = rows.iter().map(|r| [r.p, f(r)]).collect();
        Series {
            hover: points
                .iter()
                .map(|p| format!("{name} at p = {}: {:.3}", p[0], p[1]))
                .collect(),
            name: name.into(),
            color,
            points,
            reference: false,
            frontier: false,
            joined: true,
            errors: Vec::new(),
        }
    };
    let (n, k, runs) = rows.first().map_or((0, 0, 0), |r| (r.n, r.k, r.runs));
    Chart {
        title: "Watts–Strogatz: clustering and path length against p".into(),
        x_label: "p (rewiring probability)".into(),
        y_label: "C(p)/C(0), L(p)/L(0)".into(),
        x_log: true,
        y_log: false,
        note: match window(&rows.iter().map(|r| **r).collect::<Vec<_>>()) {
            Some((lo, hi)) => format!(
                "N = {n}, K = {k}, {runs} rewirings per p. From p = {lo:.4} to {hi:.3} paths are short (L/L(0) < 0.5) while neighbourhoods stay clustered (C/C(0) > 0.8): the shaded small-world window."
            ),
            None => format!(
                "N = {n}, K = {k}, {runs} rewirings per p. No p measured has both L/L(0) < 0.5 and C/C(0) > 0.8: try more values of p, or a larger N."
            ),
        },
        series: vec![
            s("C(p)/C(0)", Rgba::rgb(0, 158, 115), &|r| r.c_ratio),
            s("L(p)/L(0)", Rgba::rgb(230, 159, 0), &|r| r.l_ratio),
        ],
    }
}

/// The p range where paths are short and neighbourhoods still clustered.
pub fn window(rows: &[WsRow]) -> Option<(f64, f64)> {
    let inside: Vec<f64> = rows
        .iter()
        .filter(|r| r.p > 0.0 && r.l_ratio < 0.5 && r.c_ratio > 0.8)
        .map(|r| r.p)
        .collect();
    let lo = inside.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = inside.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (lo <= hi).then_some((lo, hi))
}

fn figure_frame(s: &WattsStrogatz, shared: &Shared, pal: Palette, style: Style) -> Frame {
    let rows = &s.settings.results;
    if rows.is_empty() {
        return Frame {
            bounds: Some(([0.0, 0.0], [1.6, 1.0])),
            prims: vec![Prim::Text {
                pos_in_world: [0.8, 0.5],
                text: "Run the sweep (R, or ▶ in the panel) to draw the classic figure.".into(),
                size: style.label_size * 1.2,
                color: pal.text,
                anchor: Anchor::Center,
                gap: 0.0,
                place: Place::Pinned,
            }],
            ..Frame::default()
        };
    }
    let chart = figure(rows);
    let aspect = shared.aspect * 0.9;
    let look = ChartLook::of(pal, style);
    let mut f = to_frame(&chart, aspect, look);
    // The window, shaded under the curves (the same mapping as the chart's).
    if let (Some((lo, hi)), Some((plo, phi))) = (window(rows), padded(&chart)) {
        let w = f64::from(aspect.clamp(0.6, 4.0));
        let x = |p: f64| ((p.log10() - plo[0]) / (phi[0] - plo[0]) * w) as f32;
        let (a, b) = (x(lo), x(hi));
        f.prims.insert(
            0,
            Prim::Polygon {
                points_in_world: vec![[a, 0.0], [b, 0.0], [b, 1.0], [a, 1.0]],
                fill: pal.evaluated.with_alpha(45),
                stroke: None,
            },
        );
        f.prims.push(Prim::Text {
            pos_in_world: [(a + b) / 2.0, 0.97],
            text: "small world".into(),
            size: style.label_size,
            color: pal.evaluated,
            anchor: Anchor::Below,
            gap: 2.0,
            place: Place::Pinned,
        });
    }
    f
}

pub fn frame(s: &WattsStrogatz, shared: &Shared, pal: Palette, style: Style) -> Frame {
    if s.settings.view == WsView::Figure {
        return figure_frame(s, shared, pal, style);
    }
    let mut f = Frame {
        bounds: Some(([0.0, 0.0], [1.0, 1.0])),
        ..Frame::default()
    };
    let st = s.state();
    let n = st.adj.len();
    if n == 0 {
        return f;
    }
    let rewired: std::collections::HashSet<(u32, u32)> = st
        .rewired
        .iter()
        .flat_map(|&(a, b)| [(a, b), (b, a)])
        .collect();
    let crowd = density_scale(n * 4);
    for (u, links) in st.adj.iter().enumerate() {
        let u = u as u32;
        for &v in links.iter().filter(|&&v| v > u) {
            if rewired.contains(&(u, v)) {
                f.line(
                    pos(n, u),
                    pos(n, v),
                    style.edge_width * 1.6,
                    pal.path,
                    false,
                );
            } else {
                f.line(
                    pos(n, u),
                    pos(n, v),
                    style.edge_width * crowd.max(0.4),
                    pal.point_faint,
                    false,
                );
            }
        }
    }
    // The edge the step is about.
    let cursor = s.play.state.cursor;
    if let Some(WsEvent::Edge { node, old, new, .. }) = cursor
        .checked_sub(1)
        .and_then(|i| s.play.trace.events.get(i))
    {
        f.line(
            pos(n, *node),
            pos(n, *old),
            style.path_width * 0.5,
            pal.rejected,
            true,
        );
        if let Some(w) = new {
            f.line(
                pos(n, *node),
                pos(n, *w),
                style.path_width * 0.8,
                pal.current,
                false,
            );
        }
        f.prims.push(Prim::Marker {
            pos_in_world: pos(n, *node),
            radius: style.point_radius + 4.0,
            shape: Shape::Circle,
            fill: None,
            stroke: Some((2.5, pal.current)),
        });
    }
    if let Some(path) = s.path() {
        for w in path.windows(2) {
            f.line(
                pos(n, w[0]),
                pos(n, w[1]),
                style.path_width,
                pal.found,
                false,
            );
        }
    }
    let r = style.point_radius * density_scale(n).max(0.35);
    for u in 0..n as u32 {
        f.prims.push(Prim::Marker {
            pos_in_world: pos(n, u),
            radius: r,
            shape: Shape::Circle,
            fill: Some(pal.point),
            stroke: None,
        });
        if n <= 60 {
            f.prims.push(Prim::Text {
                pos_in_world: pos(n, u),
                text: u.to_string(),
                size: style.label_size * 0.85,
                color: pal.text,
                anchor: Anchor::Above,
                gap: r + 3.0,
                place: Place::Minor,
            });
        }
    }
    if let Some([a, b]) = s.settings.path {
        for (u, shape, c) in [(a, Shape::Diamond, pal.entry), (b, Shape::Star, pal.query)] {
            if (u as usize) < n {
                f.prims.push(Prim::Marker {
                    pos_in_world: pos(n, u),
                    radius: style.point_radius + 4.0,
                    shape,
                    fill: Some(c),
                    stroke: Some((1.0, pal.background)),
                });
            }
        }
    }
    f.legend
        .push(legend(Shape::Circle, pal.point_faint, true, "ring edge"));
    f.legend
        .push(legend(Shape::Circle, pal.path, true, "rewired edge"));
    f.legend
        .push(legend(Shape::Circle, pal.found, true, "shortest path"));
    f
}

pub fn narrate(s: &WattsStrogatz) -> Narration {
    if let Some(e) = s.error.as_ref() {
        return Narration {
            title: "Watts–Strogatz".into(),
            text: e.clone(),
            ..Narration::default()
        };
    }
    if s.settings.view == WsView::Figure {
        let chart = figure(&s.settings.results);
        let text = match s.job.as_ref() {
            Some(j) => format!(
                "Sweep running: {:.0} %. {}",
                j.progress().0 * 100.0,
                chart.note
            ),
            None if s.settings.results.is_empty() => {
                "No measurements yet: run the sweep (R).".into()
            }
            None => chart.note,
        };
        return Narration {
            title: chart.title,
            text,
            line: Some(7),
            alert: false,
        };
    }
    let st = s.state();
    let m = s.measured;
    let ratios = format!(
        "C/C(0) = {:.2}, L/L(0) = {:.2}",
        m.c / s.c0.max(1e-12),
        m.l / s.l0.max(1e-12)
    );
    let cursor = s.play.state.cursor;
    let total = s.play.trace.events.len();
    match cursor
        .checked_sub(1)
        .and_then(|i| s.play.trace.events.get(i))
    {
        None => Narration {
            title: format!(
                "A ring of {} nodes, each joined to its {} nearest",
                st.adj.len(),
                s.settings.k
            ),
            text: format!(
                "Clustered (C(0) = {:.3}: neighbours of a node are neighbours of each other) and far apart (L(0) = {:.1} hops on average). Each of the {} edges will have its far end moved to a random node with probability p = {}. Step (→).",
                s.c0, s.l0, total, s.settings.p
            ),
            line: Some(0),
            alert: false,
        },
        Some(WsEvent::Edge {
            node,
            old,
            new,
            lap,
        }) => {
            let what = match new {
                Some(w) => format!("rewired: {node}–{old} becomes {node}–{w}"),
                None => format!("kept: {node}–{old}"),
            };
            Narration {
                title: format!("Edge {cursor} of {total} (lap {lap}): {what}"),
                text: format!(
                    "{} rewired so far. {ratios}: {}",
                    crate::scenes::plural(st.rewired.len() as u64, "edge", "edges"),
                    if m.l / s.l0.max(1e-12) < 0.6 && m.c / s.c0.max(1e-12) > 0.7 {
                        "already a small world — short paths, clustered neighbourhoods."
                    } else if st.rewired.is_empty() {
                        "still the ring."
                    } else {
                        "every shortcut shortens many paths at once, and breaks little clustering."
                    }
                ),
                line: Some(if new.is_some() { 4 } else { 3 }),
                alert: false,
            }
        }
    }
}
