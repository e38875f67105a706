//! The vector database's pictures: the collection through its projection with the query's
//! results (and what only looks near), the four strategies side by side on the graph, the
//! selectivity sweep's curves and recall against ef in 2 and 64 dimensions.

use super::race::Panel;
use super::{DbView, VectorDb};
use crate::engine::PointId;
use crate::engine::filter::Column;
use crate::engine::filtered::Strategy;
use crate::render::chart::{ChartLook, to_frame};
use crate::render::{Anchor, Frame, Palette, Place, Prim, Rgba, Shape, Style, legend};
use crate::scenes::{density_scale, ring_ranked};

/// Ten colours told apart (Okabe–Ito and two more) for categories and the graph's pieces.
pub const CATEGORY: [Rgba; 10] = [
    Rgba::rgb(230, 159, 0),
    Rgba::rgb(86, 180, 233),
    Rgba::rgb(0, 158, 115),
    Rgba::rgb(240, 228, 66),
    Rgba::rgb(0, 114, 178),
    Rgba::rgb(213, 94, 0),
    Rgba::rgb(204, 121, 167),
    Rgba::rgb(160, 160, 160),
    Rgba::rgb(140, 86, 75),
    Rgba::rgb(148, 103, 189),
];

/// Space between the strategies' panels, and above each for its title, in picture units.
const GAP: f32 = 0.1;
const TITLE: f32 = 0.42;

/// Columns and rows of the strategies' panels for a picture of this shape: the grid whose
/// panels come out largest.
fn grid(aspect: f32) -> (usize, usize) {
    let size = |(c, r): (usize, usize)| {
        (aspect / (c as f32 * (1.0 + GAP))).min(1.0 / (r as f32 * (1.0 + GAP + TITLE)))
    };
    [(2, 2), (4, 1), (1, 4)]
        .into_iter()
        .max_by(|a, b| size(*a).total_cmp(&size(*b)))
        .unwrap_or((2, 2))
}

/// Where strategy panel `i` starts (its picture's lower-left corner) in world coordinates.
fn cell_origin(i: usize, aspect: f32) -> [f32; 2] {
    let (cols, _) = grid(aspect);
    let (c, r) = (i % cols, i / cols);
    [c as f32 * (1.0 + GAP), -(r as f32) * (1.0 + GAP + TITLE)]
}

/// World units per picture unit on the canvas (1: every view draws its pictures at scale 1).
pub fn panel_scale(_s: &VectorDb, _aspect: f32) -> f32 {
    1.0
}

/// The picture position (unit square) under a world position, in the views that draw objects.
pub fn to_picture(s: &VectorDb, aspect: f32, pos: [f32; 2]) -> Option<[f32; 2]> {
    match s.settings.view {
        DbView::Objects => Some(pos),
        DbView::Strategies => (0..Strategy::ALL.len()).find_map(|i| {
            let o = cell_origin(i, aspect);
            let p = [pos[0] - o[0], pos[1] - o[1]];
            ((-0.02..=1.02).contains(&p[0]) && (-0.02..=1.02).contains(&p[1])).then_some(p)
        }),
        _ => None,
    }
}

/// The colour of object `i`: its category (a `category` or `digit` property, or another
/// number with at most ten values), else the plain point colour.
fn category_colour(s: &VectorDb, i: usize, pal: Palette) -> Rgba {
    let Some(b) = s.built.as_ref() else {
        return pal.point;
    };
    let col = ["category", "digit", "label"]
        .iter()
        .find_map(|n| b.coll.props.column(n));
    match col {
        Some(Column::Number(v)) => v
            .get(i)
            .map_or(pal.point, |x| CATEGORY[(x.abs() as usize) % CATEGORY.len()]),
        _ => pal.point,
    }
}

pub fn frame(s: &VectorDb, aspect: f32, pal: Palette, style: Style) -> Frame {
    match s.settings.view {
        DbView::Objects => objects(s, pal, style),
        DbView::Strategies => strategies(s, aspect, pal, style),
        DbView::Sweep => {
            let charts =
                super::narration::sweep_charts(&s.sweep_rows(), s.settings.correlation.name());
            let look = ChartLook::of(pal, style);
            let mut f = Frame::default();
            if charts.iter().all(|c| c.series.is_empty()) {
                return f;
            }
            // Side by side on a wide picture, stacked on a tall one.
            // Each chart is w wide and 1 high (1.45 with its labels), in a grid of `cols`
            // columns filling a picture of this aspect.
            let cols: usize = if aspect >= 2.4 {
                3
            } else if aspect >= 1.2 {
                2
            } else {
                1
            };
            let rows = charts.len().div_ceil(cols);
            let w = ((aspect * rows as f32 * 1.6 - (cols as f32 - 1.0) * 0.4) / cols as f32)
                .clamp(0.7, 4.0);
            for (i, c) in charts.iter().enumerate() {
                let by = [(i % cols) as f32 * (w + 0.4), -((i / cols) as f32) * 1.6];
                f.append_shifted(to_frame(c, w, look), by);
            }
            f
        }
        DbView::Dimensions => {
            let look = ChartLook::of(pal, style);
            super::narration::dims_chart(&s.dims_rows(), &s.settings.dims)
                .map(|c| to_frame(&c, aspect * 0.92, look))
                .unwrap_or_default()
        }
    }
}

fn objects(s: &VectorDb, pal: Palette, style: Style) -> Frame {
    let mut f = Frame {
        bounds: Some(([0.0, 0.0], [1.0, 1.0])),
        ..Frame::default()
    };
    let (Some(b), Some(a)) = (s.built.as_ref(), s.answer.as_ref()) else {
        return f;
    };
    let n = b.coll.len();
    let shrink = density_scale(n);
    let r = style.point_radius * shrink.max(0.45);
    // Links only when the graph is small enough to read.
    if n <= 60 {
        for u in 0..n as u32 {
            for &v in b.index.neighbors(PointId(u), 0) {
                if v > u || !b.index.neighbors(PointId(v), 0).contains(&u) {
                    f.line(
                        b.picture[u as usize],
                        b.picture[v as usize],
                        style.edge_width,
                        pal.point_faint.with_alpha(140),
                        false,
                    );
                }
            }
        }
    }
    for (i, &p) in b.picture.iter().enumerate() {
        if a.mask[i] {
            f.marker(p, r, Shape::Circle, Some(category_colour(s, i, pal)), None);
        } else {
            f.marker(
                p,
                r * 0.7,
                Shape::Circle,
                Some(pal.point_faint.with_alpha(110)),
                None,
            );
        }
    }
    if n <= 20 {
        for i in 0..n {
            f.label(
                b.picture[i],
                b.coll.title(i),
                style.label_size,
                pal.text,
                Anchor::Above,
                Place::Key,
            );
        }
    }
    for id in a.false_near() {
        f.marker(
            b.picture[id.idx()],
            r + 4.0,
            Shape::Square,
            None,
            Some((1.5, pal.stuck)),
        );
    }
    for id in a
        .true_near
        .iter()
        .filter(|id| !a.results.iter().any(|x| x.0 == **id))
    {
        f.marker(
            b.picture[id.idx()],
            r + 4.0,
            Shape::Diamond,
            None,
            Some((1.5, pal.evaluated)),
        );
    }
    for (rank, (id, _)) in a.results.iter().enumerate() {
        ring_ranked(&mut f, b.picture[id.idx()], rank, style, pal.found);
    }
    if let Some(h) = s.hovered.filter(|h| h.idx() < n) {
        f.marker(
            b.picture[h.idx()],
            r + 8.0,
            Shape::Circle,
            None,
            Some((2.5, pal.current)),
        );
    }
    f.marker(
        a.q_xy,
        style.point_radius + 5.0,
        Shape::Star,
        Some(pal.query),
        None,
    );
    f.legend.push(legend(Shape::Star, pal.query, true, "query"));
    f.legend
        .push(legend(Shape::Circle, pal.found, false, "returned (#rank)"));
    if a.filter.is_some() {
        f.legend.push(legend(
            Shape::Circle,
            pal.point_faint,
            true,
            "does not match the filter",
        ));
    }
    f.legend.push(legend(
        Shape::Diamond,
        pal.evaluated,
        false,
        "nearest in d dimensions, unfiltered, not returned",
    ));
    if b.projects() {
        f.legend.push(legend(
            Shape::Square,
            pal.stuck,
            false,
            "looks near here, is not (projection)",
        ));
        f.label(
            [0.0, 1.0],
            b.projection.caption(b.coll.dim()),
            style.label_size,
            pal.text,
            Anchor::Right,
            Place::Pinned,
        );
        if let Some(t) = b.trust {
            f.label(
                [0.0, 0.95],
                format!("trustworthiness T({}) = {t:.2}", super::query::TRUST_K),
                style.label_size,
                pal.text,
                Anchor::Right,
                Place::Pinned,
            );
        }
    }
    f
}

/// Colours of the matching subgraph's six largest pieces (none of the walk's colours).
const PIECES: [Rgba; 6] = [
    Rgba::rgb(240, 228, 66),
    Rgba::rgb(204, 121, 167),
    Rgba::rgb(148, 103, 189),
    Rgba::rgb(0, 114, 178),
    Rgba::rgb(213, 94, 0),
    Rgba::rgb(140, 86, 75),
];

/// The colour of a piece of the matching subgraph: the six largest told apart.
fn piece_colour(piece: Option<u32>, pal: Palette) -> Rgba {
    match piece {
        Some(p) if (p as usize) < PIECES.len() => PIECES[p as usize],
        Some(_) => pal.point,
        None => pal.point_faint.with_alpha(90),
    }
}

fn strategies(s: &VectorDb, aspect: f32, pal: Palette, style: Style) -> Frame {
    let (cols, rows) = grid(aspect);
    let mut f = Frame {
        bounds: Some((
            [-0.02, -((rows - 1) as f32) * (1.0 + GAP + TITLE) - 0.02],
            [cols as f32 * (1.0 + GAP) - GAP + 0.02, 1.0 + TITLE],
        )),
        ..Frame::default()
    };
    let (Some(b), Some(a)) = (s.built.as_ref(), s.answer.as_ref()) else {
        return f;
    };
    let n = b.coll.len();
    let r = style.point_radius * density_scale(n).max(0.4) * 0.8;
    let k = s.settings.k.clamp(1, 100);
    // The matching subgraph's links, drawn in every panel when there are few enough.
    let mut links: Vec<(usize, usize)> = Vec::new();
    for u in 0..n {
        if !a.mask[u] {
            continue;
        }
        for &v in b.index.neighbors(PointId(u as u32), 0) {
            let v = v as usize;
            // Each link once, one-way links too (the pieces count both directions).
            let back = b
                .index
                .neighbors(PointId(v as u32), 0)
                .contains(&(u as u32));
            if a.mask[v] && (v > u || !back) {
                links.push((u, v));
            }
        }
    }
    let draw_links = links.len() <= 6_000;
    for (i, run) in a.race.runs.iter().enumerate() {
        let o = cell_origin(i, aspect);
        let at = |p: [f32; 2]| [o[0] + p[0], o[1] + p[1]];
        let panel = s.play.state.panels.get(i).cloned().unwrap_or_default();
        f.prims.push(Prim::Polygon {
            points_in_world: vec![
                at([0.0, 0.0]),
                at([1.0, 0.0]),
                at([1.0, 1.0]),
                at([0.0, 1.0]),
            ],
            fill: Rgba([0, 0, 0, 0]),
            stroke: Some((1.0, pal.point_faint)),
        });
        if draw_links {
            for &(u, v) in &links {
                f.line(
                    at(b.picture[u]),
                    at(b.picture[v]),
                    0.8,
                    piece_colour(a.pieces[u], pal).with_alpha(150),
                    false,
                );
            }
        }
        for (j, &p) in b.picture.iter().enumerate() {
            let matching = a.mask[j];
            f.marker(
                at(p),
                if matching { r } else { r * 0.6 },
                Shape::Circle,
                Some(piece_colour(a.pieces[j], pal)),
                None,
            );
        }
        let done = panel.applied >= run.events.len();
        walk(&mut f, &panel, &at, b, r, pal, style, done);
        if done {
            // Ringed without their ranks: four panels of ten labels would hide the walk.
            for (id, _) in &run.result.results {
                f.marker(
                    at(b.picture[id.idx()]),
                    r + 5.0,
                    Shape::Circle,
                    None,
                    Some((2.5, pal.found)),
                );
            }
        }
        f.marker(
            at(a.q_xy),
            style.point_radius + 3.0,
            Shape::Star,
            Some(pal.query),
            None,
        );
        let name = run.strategy.map_or("", |s| s.name());
        let got = run.result.results.len();
        // Three short lines, so four panels side by side on a projector keep them apart.
        // Three short lines (≤ 20 characters), so four panels side by side on a projector
        // keep them apart.
        let (outcome, cost) = if done {
            (
                format!(
                    "{got}/{k} · recall {:.2}",
                    run.hits as f32 / a.truth.len().max(1) as f32
                ),
                format!("{} distances", run.distances()),
            )
        } else {
            (
                format!("walking · {} held", panel.held.len()),
                format!("{} distances", panel.measured.len()),
            )
        };
        let alert = done && got < k.min(a.matches);
        let colour = if alert { pal.stuck } else { pal.text };
        let (size, pinned) = (style.label_size.min(15.0), Place::Pinned);
        let small = size * 0.85;
        f.label(
            at([0.0, 1.0 + TITLE * 0.8]),
            name.to_string(),
            size,
            colour,
            Anchor::Right,
            pinned,
        );
        f.label(
            at([0.0, 1.0 + TITLE * 0.47]),
            outcome,
            small,
            colour,
            Anchor::Right,
            pinned,
        );
        f.label(
            at([0.0, 1.0 + TITLE * 0.17]),
            cost,
            small,
            colour,
            Anchor::Right,
            pinned,
        );
    }
    f.legend.push(legend(
        Shape::Circle,
        PIECES[0],
        true,
        "matches (colour: graph piece)",
    ));
    f.legend
        .push(legend(Shape::Circle, pal.point_faint, true, "no match"));
    f.legend
        .push(legend(Shape::Circle, pal.evaluated, false, "measured"));
    f.legend
        .push(legend(Shape::Circle, pal.path, true, "expanded"));
    f.legend
        .push(legend(Shape::Circle, pal.kept, false, "held"));
    f.legend
        .push(legend(Shape::Circle, pal.found, false, "returned"));
    if s.play.state.panels.iter().any(|p| !p.dropped.is_empty()) {
        f.legend
            .push(legend(Shape::Cross, pal.rejected, false, "dropped"));
    }
    f
}

/// One strategy's walk so far: what it measured (layer 0), looked through, expanded, holds.
#[allow(clippy::too_many_arguments)]
fn walk(
    f: &mut Frame,
    p: &Panel,
    at: &dyn Fn([f32; 2]) -> [f32; 2],
    b: &super::query::Built,
    r: f32,
    pal: Palette,
    style: Style,
    done: bool,
) {
    for &(node, _, layer, _, via) in &p.measured {
        if layer > 0 {
            continue;
        }
        if let Some(v) = via {
            f.line(
                at(b.picture[v.idx()]),
                at(b.picture[node.idx()]),
                0.8,
                pal.evaluated.with_alpha(120),
                true,
            );
        }
        f.marker(
            at(b.picture[node.idx()]),
            r + 2.0,
            Shape::Circle,
            None,
            Some((1.2, pal.evaluated)),
        );
    }
    for w in p.descent.windows(2) {
        f.line(
            at(b.picture[w[0].0.idx()]),
            at(b.picture[w[1].0.idx()]),
            style.path_width * 0.6,
            pal.path_old,
            false,
        );
    }
    for &(node, _) in &p.expanded {
        f.marker(
            at(b.picture[node.idx()]),
            r + 1.0,
            Shape::Circle,
            Some(pal.path),
            None,
        );
    }
    for &id in p.held.keys() {
        f.marker(
            at(b.picture[id.idx()]),
            r + 3.5,
            Shape::Circle,
            None,
            Some((1.6, pal.kept)),
        );
    }
    for &(id, _) in &p.dropped {
        f.marker(
            at(b.picture[id.idx()]),
            r + 4.0,
            Shape::Cross,
            None,
            Some((2.0, pal.rejected)),
        );
    }
    if let Some((id, _)) = p.current().filter(|_| !done) {
        f.marker(
            at(b.picture[id.idx()]),
            r + 6.0,
            Shape::Circle,
            None,
            Some((2.5, pal.current)),
        );
    }
}
