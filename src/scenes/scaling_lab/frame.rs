//! What the lab's canvas draws and says: the kept points (as points, or as a density image
//! past [`super::POINTS_MAX`]), the query, its exact answers, and the HNSW walk to the cursor.

use crate::engine::Points;
use crate::engine::scaling::{self, short_n};
use crate::render::{Anchor, Frame, Palette, Picture, Place, Prim, Shape, Style, legend};
use crate::scenes::{Counter, Narration, density_scale, ring_ranked};

use super::ScalingLab;

pub const PSEUDOCODE: &[&str] = &[
    "for n in sizes:",
    "    draw n points and the queries; exact answers by brute force",
    "    for method in brute, k-d tree, NSW, HNSW, Annoy:",
    "        build the index over the n points            (build time)",
    "        for ef (search_k) in the method's settings:",
    "            answer every query, timed                   (µs per query, QPS)",
    "            count distance computations per query",
    "            recall@k = true neighbours found / k",
];

/// Side of the density image's longer edge, in pixels.
const DENSITY_SIDE: usize = 512;

/// The points binned into a picture: each pixel's count on a log scale, from transparent
/// to a light blue-white, so a million points show where they crowd.
pub fn density(points: &Points, key: u64) -> Picture {
    let (lo, hi) = crate::scenes::spread_bounds(points);
    let (w, h) = {
        let (dx, dy) = ((hi[0] - lo[0]).max(1e-9), (hi[1] - lo[1]).max(1e-9));
        if dx >= dy {
            (
                DENSITY_SIDE,
                ((DENSITY_SIDE as f32 * dy / dx).round() as usize).max(1),
            )
        } else {
            (
                ((DENSITY_SIDE as f32 * dx / dy).round() as usize).max(1),
                DENSITY_SIDE,
            )
        }
    };
    let mut counts = vec![0u32; w * h];
    if points.dim() >= 2 {
        for p in points.as_flat().chunks_exact(points.dim()) {
            let x = ((p[0] - lo[0]) / (hi[0] - lo[0]) * w as f32) as usize;
            let y = ((hi[1] - p[1]) / (hi[1] - lo[1]) * h as f32) as usize;
            counts[y.min(h - 1) * w + x.min(w - 1)] += 1;
        }
    }
    let max = counts.iter().copied().max().unwrap_or(1).max(1) as f32;
    let mut rgba = Vec::with_capacity(w * h * 4);
    for c in counts {
        if c == 0 {
            rgba.extend_from_slice(&[0, 0, 0, 0]);
        } else {
            let t = ((c as f32).ln_1p() / max.ln_1p()).clamp(0.0, 1.0);
            let a = (70.0 + 185.0 * t) as u8;
            rgba.extend_from_slice(&[
                (120.0 + 135.0 * t) as u8,
                (160.0 + 95.0 * t) as u8,
                (210.0 + 45.0 * t) as u8,
                a,
            ]);
        }
    }
    Picture {
        width: w as u32,
        height: h as u32,
        rgba,
        key: crate::scenes::key_of(&(key, points.len(), w, h)),
    }
}

/// The shape of the chart's plot area on a canvas of shape `aspect` (room for the y ticks).
pub fn chart_aspect(aspect: f32) -> f32 {
    aspect * 0.9
}

/// The plot on show as primitives, filling a canvas of shape `aspect`.
pub fn chart(lab: &ScalingLab, aspect: f32, palette: Palette, style: Style) -> Frame {
    let rows = lab.rows();
    let chart = super::plots::plot(lab.settings.plot, &rows, None);
    let look = crate::render::chart::ChartLook::of(palette, style);
    let mut f = crate::render::chart::to_frame(&chart, chart_aspect(aspect), look);
    // A legend entry per method, not per setting: a dozen series would take the plot's room
    // on a projector. Each method's settings are its colour, lighter as ef or search_k grows.
    let mut methods: Vec<crate::engine::scaling::Method> = rows.iter().map(|r| r.method).collect();
    methods.sort();
    methods.dedup();
    let reference: Vec<_> = f.legend.iter().filter(|l| !l.filled).cloned().collect();
    f.legend = methods
        .iter()
        .map(|&m| {
            legend(
                Shape::Circle,
                super::plots::method_color(m, 0),
                true,
                m.name(),
            )
        })
        .chain(reference)
        .collect();
    if rows.iter().any(|r| r.setting().is_some())
        && lab.settings.plot != super::plots::PlotKind::Pareto
    {
        f.legend.push(legend(
            Shape::Circle,
            palette.point,
            false,
            "lighter: larger ef / search_k",
        ));
    }
    if rows.is_empty() {
        for (y, line) in [(0.56, "No measurements yet"), (0.44, "▶ Run sweep (R)")] {
            f.prims.push(Prim::Text {
                pos_in_world: [0.5, y],
                text: line.into(),
                size: style.label_size * 1.3,
                color: palette.text,
                anchor: Anchor::Center,
                gap: 0.0,
                place: Place::Pinned,
            });
        }
        f.bounds = Some(([0.0, 0.0], [1.0, 1.0]));
    }
    f
}

pub fn frame(lab: &ScalingLab, palette: Palette, style: Style) -> Frame {
    let mut f = Frame::default();
    let Some(points) = lab.points().filter(|p| p.dim() >= 2) else {
        return f;
    };
    let (lo, hi) = crate::scenes::spread_bounds(points);
    f.bounds = Some((lo, hi));
    let n = points.len();
    match &lab.picture {
        Some(pic) if n > super::POINTS_MAX => f.prims.push(Prim::Image {
            min_in_world: lo,
            max_in_world: hi,
            picture: pic.clone(),
        }),
        // Past POINTS_MAX the density image is made when the data arrives; points never.
        _ if n > super::POINTS_MAX => {}
        _ => {
            let s = density_scale(n);
            for id in points.ids() {
                f.prims.push(Prim::Marker {
                    pos_in_world: points.xy(id),
                    radius: style.point_radius * 0.6 * s.max(0.4),
                    shape: Shape::Circle,
                    fill: Some(palette.point_faint),
                    stroke: None,
                });
            }
        }
    }
    f.legend.push(legend(
        Shape::Circle,
        palette.point_faint,
        true,
        &format!(
            "{} points{}",
            short_n(n),
            if n > super::POINTS_MAX {
                " (density)"
            } else {
                ""
            }
        ),
    ));
    let st = &lab.play.state;
    // Distances computed so far: small dots.
    for &(node, _, _) in &st.evals {
        f.prims.push(Prim::Marker {
            pos_in_world: points.xy(node),
            radius: style.point_radius * 0.55,
            shape: Shape::Circle,
            fill: Some(palette.evaluated),
            stroke: None,
        });
    }
    // The walk: upper layers thick and dashed, layer 0 solid.
    for walk in &st.walks {
        let upper = walk.layer.is_some_and(|l| l > 0);
        for pair in walk.path.windows(2) {
            f.prims.push(Prim::Line {
                a_in_world: points.xy(pair[0].0),
                b_in_world: points.xy(pair[1].0),
                width: style.path_width * if upper { 0.8 } else { 0.6 },
                color: if upper { palette.entry } else { palette.path },
                dashed: upper,
            });
        }
        if let Some(&(node, _)) = walk.path.last() {
            f.prims.push(Prim::Marker {
                pos_in_world: points.xy(node),
                radius: style.point_radius + 1.0,
                shape: Shape::Circle,
                fill: Some(palette.current),
                stroke: Some((1.5, palette.path)),
            });
        }
    }
    if let Some(b) = &lab.kept {
        let w = &b.workload;
        let qi = lab.settings.query % w.query_count().max(1);
        let q = w.query(qi);
        let at_end = lab.play.player.cursor >= lab.play.trace.len();
        if at_end {
            for (rank, &id) in w.truth(qi).iter().enumerate() {
                ring_ranked(
                    &mut f,
                    points.xy(crate::engine::PointId(id)),
                    rank,
                    style,
                    palette.found,
                );
            }
        }
        f.prims.push(Prim::Marker {
            pos_in_world: [q[0], q[1]],
            radius: style.point_radius * 2.2,
            shape: Shape::Star,
            fill: Some(palette.query),
            stroke: Some((1.0, palette.background)),
        });
        f.prims.push(Prim::Text {
            pos_in_world: [q[0], q[1]],
            text: format!("query {}", qi + 1),
            size: style.label_size,
            color: palette.query,
            anchor: Anchor::Above,
            gap: style.point_radius * 2.5,
            place: Place::Key,
        });
    }
    f.legend
        .push(legend(Shape::Star, palette.query, true, "query"));
    f.legend.push(legend(
        Shape::Circle,
        palette.evaluated,
        true,
        "distance computed",
    ));
    f.legend.push(legend(
        Shape::Circle,
        palette.entry,
        true,
        "upper layers (dashed)",
    ));
    f.legend
        .push(legend(Shape::Circle, palette.path, true, "layer 0 walk"));
    f.legend.push(legend(
        Shape::Circle,
        palette.found,
        false,
        "exact answers (at the end)",
    ));
    f
}

/// The honest caption the seeds leave out.
pub fn caveat(dim: usize) -> String {
    if dim <= 3 {
        format!(
            "In {dim}-D a k-d tree is exact and faster than any graph: HNSW's lead appears as the dimension grows (try 128)."
        )
    } else {
        format!(
            "In {dim}-D a k-d tree visits most of its leaves and brute force pays n·{dim}; the graphs keep their few hundred distances per query — at a recall below 1, so read the recall plot too."
        )
    }
}

pub fn narrate(lab: &ScalingLab) -> Narration {
    let running = lab.job.as_ref().map(|j| {
        let done = j.progress.iter().filter(|p| p.snapshot().finished).count();
        (done, j.tasks.len())
    });
    let rows = lab.rows();
    let title = match running {
        Some((done, all)) => format!("Measuring: {done} of {all} tasks done"),
        None if rows.is_empty() => "The scaling lab".to_string(),
        None if lab.settings.points => format!("One query's walk over {}", lab.kept_label()),
        None => super::plots::plot(lab.settings.plot, &rows, None).title,
    };
    let text = if lab.settings.points {
        walk_text(lab)
    } else if rows.is_empty() {
        "Choose methods and sizes, then ▶ Run sweep (R): every method is built and timed at each size on background threads, and checked against the exact answers. V shows the next plot.".to_string()
    } else {
        let mut t = super::plots::headline(lab.settings.plot, &rows);
        if running.is_some() {
            t.push_str(" The plot fills in as the rows arrive.");
        } else {
            t.push(' ');
            t.push_str(&caveat(lab.settings.sweep.dim));
        }
        t
    };
    Narration {
        title,
        text,
        line: running.map(|_| 3),
        alert: false,
    }
}

/// The walk on the canvas, in words.
fn walk_text(lab: &ScalingLab) -> String {
    if lab.play.trace.is_empty() {
        return "No HNSW to walk: include HNSW in the sweep.".into();
    }
    let st = &lab.play.state;
    let layer = st.layers.last().copied().unwrap_or(0);
    format!(
        "HNSW's search for one query over {}: {} distance computations so far, on layer {layer}{}. The trace of one search is small at any size.",
        lab.kept_label(),
        st.distance_computations,
        if lab.play.player.cursor >= lab.play.trace.len() {
            " — done; the rings are the exact answers"
        } else {
            ""
        }
    )
}

pub fn counters(lab: &ScalingLab) -> Vec<Counter> {
    let rows = lab.rows();
    let mut c = vec![
        Counter::new("measurements", rows.len(), true),
        Counter::new("picture", lab.kept_label(), false),
        Counter::new(
            "walk: distance computations",
            lab.play.state.distance_computations,
            true,
        ),
        Counter::new("walk: ef", lab.settings.ef, false),
    ];
    let (n, bytes) = scaling::memory::estimate(&lab.settings.sweep);
    let free = scaling::memory::available().map_or("?".to_string(), |f| {
        crate::engine::human_bytes(u128::from(f))
    });
    c.push(Counter::new(
        format!("memory for n = {}", short_n(n)),
        format!(
            "{} of {free} free",
            crate::engine::human_bytes(u128::from(bytes))
        ),
        false,
    ));
    c
}
