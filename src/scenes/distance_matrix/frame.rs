//! The distance matrix's frame and narration: the points on the left, the n × n heatmap on
//! the right (in blocks above 100 points), the row being computed, the hovered pair, and the
//! row read off with its nearest neighbours.

use super::{MAX_MATRIX_POINTS, Matrix, Order};
use crate::engine::PointId;
use crate::engine::human_bytes;
use crate::engine::matrix::{MatrixEvent, bytes_for};
use crate::render::{Anchor, Frame, Palette, Place, Prim, Rgba, Shape, Style, legend};
use crate::scenes::{Dist, Narration, Shared, plural, point_labels, ring_ranked};

pub const PSEUDOCODE: &[&str] = &[
    "precompute(points):            ▷ once: O(n²) time and memory",
    "  D ← n × n array               ▷ n²·4 bytes",
    "  for i in 0 … n−1:",
    "    for j in i+1 … n−1:",
    "      D[i][j] ← D[j][i] ← dist(x[i], x[j])",
    "lookup(i, j): return D[i][j]          ▷ O(1), no distance computed",
    "neighbours(i, k): k smallest of row i, j ≠ i   ▷ O(n) reads",
];

/// Most blocks per side drawn; above, each block shows the mean of its cells.
const MAX_BLOCKS: usize = 100;

/// Where the heatmap sits: left edge, top edge and side, in world units.
struct Layout {
    lo: [f32; 2],
    hi: [f32; 2],
    x0: f32,
    top: f32,
    side: f32,
}

fn layout(shared: &Shared) -> Layout {
    let (lo, hi) = crate::scenes::spread_bounds(shared.points);
    let side = (hi[0] - lo[0]).max(hi[1] - lo[1]).max(1e-6);
    Layout {
        lo,
        hi,
        x0: hi[0] + 0.18 * side,
        top: hi[1],
        side,
    }
}

/// The mean distance of each of the g × g blocks of the heatmap (g = min(n, 100)), over the
/// cells `known` says are computed; `None` where none is.
pub fn block_means(m: &Matrix, known: impl Fn(u32, u32) -> bool) -> Vec<Option<f32>> {
    let n = m.n;
    let Some(mat) = m.matrix.as_ref().filter(|_| n > 0 && m.order.len() == n) else {
        return Vec::new();
    };
    let g = n.min(MAX_BLOCKS);
    let mut out = Vec::with_capacity(g * g);
    for br in 0..g {
        let rows = &m.order[br * n / g..(br + 1) * n / g];
        for bc in 0..g {
            let cols = &m.order[bc * n / g..(bc + 1) * n / g];
            let (mut sum, mut count) = (0.0f64, 0usize);
            for &i in rows {
                let row = mat.row(PointId(i));
                for &j in cols {
                    if known(i, j) {
                        sum += f64::from(row[j as usize]);
                        count += 1;
                    }
                }
            }
            out.push((count > 0).then(|| (sum / count as f64) as f32));
        }
    }
    out
}

/// The (row point, column point) of the heatmap cell at a world position.
pub fn cell_at(m: &Matrix, shared: &Shared, pos: [f32; 2]) -> Option<(u32, u32)> {
    if m.matrix.is_none() || m.n == 0 {
        return None;
    }
    let l = layout(shared);
    let (u, v) = ((pos[0] - l.x0) / l.side, (l.top - pos[1]) / l.side);
    if !(0.0..1.0).contains(&u) || !(0.0..1.0).contains(&v) {
        return None;
    }
    let n = m.n as f32;
    let (r, c) = ((v * n) as usize, (u * n) as usize);
    Some((*m.order.get(r)?, *m.order.get(c)?))
}

fn rect(x: f32, y_top: f32, w: f32, h: f32) -> Vec<[f32; 2]> {
    vec![
        [x, y_top],
        [x + w, y_top],
        [x + w, y_top - h],
        [x, y_top - h],
    ]
}

pub fn frame(m: &Matrix, shared: &Shared, pal: Palette, style: Style) -> Frame {
    let l = layout(shared);
    let pts = shared.points;
    let mut f = Frame {
        bounds: Some((
            [l.lo[0], l.lo[1].min(l.top - l.side)],
            [l.x0 + l.side, l.hi[1]],
        )),
        ..Frame::default()
    };
    let r = style.point_radius;
    let n = m.n;
    let pos_of: Vec<usize> = {
        let mut v = vec![0; m.order.len()];
        for (p, &id) in m.order.iter().enumerate() {
            v[id as usize] = p;
        }
        v
    };
    let cell = l.side / n.max(1) as f32;
    let band = |f: &mut Frame, id: u32, color: Rgba, width: f32| {
        if let Some(&p) = pos_of.get(id as usize) {
            f.prims.push(Prim::Polygon {
                points_in_world: rect(l.x0, l.top - p as f32 * cell, l.side, cell),
                fill: Rgba([0, 0, 0, 0]),
                stroke: Some((width, color)),
            });
        }
    };

    // The heatmap.
    if let Some(mat) = m.matrix.as_ref().filter(|_| n > 0) {
        let max = mat.max().max(1e-12);
        let g = n.min(MAX_BLOCKS);
        let unknown = pal.point_faint.with_alpha(70);
        // Cells overlap a little so anti-aliased edges leave no seams between them.
        let seam = (cell * 0.05).max(l.side * 0.0015);
        // The complete matrix's blocks are computed once (hovering redraws often).
        let partial;
        let means = if m.complete() && m.block_means.len() == g * g {
            &m.block_means
        } else {
            partial = block_means(m, |i, j| m.known(i, j));
            &partial
        };
        for br in 0..g {
            let (r0, r1) = (br * n / g, (br + 1) * n / g);
            for bc in 0..g {
                let (c0, c1) = (bc * n / g, (bc + 1) * n / g);
                let fill = match means[br * g + bc] {
                    Some(mean) => pal.length_color(mean / max),
                    None => unknown,
                };
                let last = (bc + 1 == g, br + 1 == g);
                f.prims.push(Prim::Polygon {
                    points_in_world: rect(
                        l.x0 + c0 as f32 * cell,
                        l.top - r0 as f32 * cell,
                        (c1 - c0) as f32 * cell + if last.0 { 0.0 } else { seam },
                        (r1 - r0) as f32 * cell + if last.1 { 0.0 } else { seam },
                    ),
                    fill,
                    stroke: None,
                });
            }
        }
        f.prims.push(Prim::Polygon {
            points_in_world: rect(l.x0, l.top, l.side, l.side),
            fill: Rgba([0, 0, 0, 0]),
            stroke: Some((1.0, pal.text.with_alpha(160))),
        });
        // Ids along the edges when they can be read.
        if n <= 24 {
            for (p, &id) in m.order.iter().enumerate() {
                let c = (p as f32 + 0.5) * cell;
                f.prims.push(Prim::Text {
                    pos_in_world: [l.x0, l.top - c],
                    text: id.to_string(),
                    size: style.label_size * 0.85,
                    color: pal.text,
                    anchor: Anchor::Left,
                    gap: 4.0,
                    place: Place::Pinned,
                });
                f.prims.push(Prim::Text {
                    pos_in_world: [l.x0 + c, l.top],
                    text: id.to_string(),
                    size: style.label_size * 0.85,
                    color: pal.text,
                    anchor: Anchor::Above,
                    gap: 3.0,
                    place: Place::Pinned,
                });
            }
        }
    }
    let (line1, line2) = if m.too_big() {
        (
            format!(
                "n = {n}: {n}² = {} cells, {}",
                (n as u64) * (n as u64),
                human_bytes(bytes_for(n as u64))
            ),
            format!(
                "not drawn above {MAX_MATRIX_POINTS} points; a million points: {}",
                human_bytes(bytes_for(1_000_000))
            ),
        )
    } else {
        (
            format!("D: {n} × {n}, {}", human_bytes(bytes_for(n as u64))),
            format!(
                "{}{}",
                match m.settings.order {
                    Order::Ids => "rows in id order",
                    Order::Chain => "rows: neighbours together",
                },
                if n > MAX_BLOCKS {
                    format!(", {MAX_BLOCKS} × {MAX_BLOCKS} blocks of means")
                } else {
                    String::new()
                }
            ),
        )
    };
    for (i, text) in [line1, line2].into_iter().enumerate() {
        f.prims.push(Prim::Text {
            pos_in_world: [l.x0 + l.side / 2.0, l.top - l.side],
            text,
            size: style.label_size,
            color: pal.text,
            anchor: Anchor::Below,
            gap: 8.0 + i as f32 * style.label_size * 1.35,
            place: Place::Pinned,
        });
    }

    // The row being computed.
    let st = m.state();
    let computing = st
        .row
        .filter(|&row| !m.complete() && (row as usize) >= st.rows_done);
    if let Some(row) = computing {
        band(&mut f, row, pal.current, 2.0);
        if m.fine {
            for j in row + 1..=row + st.in_row {
                f.prims.push(Prim::Line {
                    a_in_world: pts.xy(PointId(row)),
                    b_in_world: pts.xy(PointId(j)),
                    width: 1.2,
                    color: pal.evaluated.with_alpha(170),
                    dashed: false,
                });
            }
        }
    }
    // The row read off, and its nearest.
    let answer = m.row_answer();
    if let Some((row, near)) = &answer {
        band(&mut f, row.0, pal.found, 2.5);
        // The cells of the row that hold the answer.
        if let Some(&pr) = pos_of.get(row.idx()) {
            let size = cell.max(l.side / 120.0);
            for &(id, _) in near {
                let pc = pos_of[id.idx()] as f32;
                f.prims.push(Prim::Polygon {
                    points_in_world: rect(
                        l.x0 + (pc + 0.5) * cell - size / 2.0,
                        l.top - (pr as f32 + 0.5) * cell + size / 2.0,
                        size,
                        size,
                    ),
                    fill: Rgba([0, 0, 0, 0]),
                    stroke: Some((2.5, pal.found)),
                });
            }
        }
        for (rank, &(id, _)) in near.iter().enumerate() {
            f.prims.push(Prim::Line {
                a_in_world: pts.xy(*row),
                b_in_world: pts.xy(id),
                width: style.path_width * 0.6,
                color: pal.found,
                dashed: false,
            });
            ring_ranked(&mut f, pts.xy(id), rank, style, pal.found);
        }
    }
    // The hovered pair.
    if let (Some((i, j)), Some(mat)) = (m.hovered, m.matrix.as_ref()) {
        let (pi, pj) = (pos_of[i as usize], pos_of[j as usize]);
        f.prims.push(Prim::Polygon {
            points_in_world: rect(
                l.x0 + pj as f32 * cell,
                l.top - pi as f32 * cell,
                cell.max(l.side / 200.0),
                cell.max(l.side / 200.0),
            ),
            fill: Rgba([0, 0, 0, 0]),
            stroke: Some((2.5, pal.query)),
        });
        let (a, b) = (pts.xy(PointId(i)), pts.xy(PointId(j)));
        f.prims.push(Prim::Line {
            a_in_world: a,
            b_in_world: b,
            width: style.path_width * 0.7,
            color: pal.query,
            dashed: false,
        });
        let known = m.known(i, j);
        f.prims.push(Prim::Text {
            pos_in_world: [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0],
            text: if known {
                format!("D[{i}][{j}] = {:.3}", Dist(mat.get(PointId(i), PointId(j))))
            } else {
                format!("D[{i}][{j}] = ?")
            },
            size: style.label_size,
            color: pal.query,
            anchor: Anchor::Below,
            gap: 4.0,
            place: Place::Key,
        });
    }
    // The points.
    for id in pts.ids() {
        let is_row = answer.as_ref().is_some_and(|(row, _)| *row == id) || computing == Some(id.0);
        f.prims.push(Prim::Marker {
            pos_in_world: pts.xy(id),
            radius: if is_row { r + 2.0 } else { r },
            shape: if is_row {
                Shape::Diamond
            } else {
                Shape::Circle
            },
            fill: Some(if is_row { pal.current } else { pal.point }),
            stroke: None,
        });
    }
    point_labels(&mut f, pts, style, pal.text);
    f.legend = vec![
        legend(Shape::Circle, pal.point, true, "point"),
        legend(Shape::Square, pal.ramp[0], true, "short distance"),
        legend(Shape::Square, pal.ramp[4], true, "long distance"),
        legend(Shape::Square, pal.point_faint, true, "not computed yet"),
        legend(
            Shape::Diamond,
            pal.current,
            true,
            "row being computed / read",
        ),
        legend(Shape::Circle, pal.found, false, "nearest, read off the row"),
        legend(Shape::Square, pal.query, false, "hovered pair"),
    ];
    // Labels over everything else.
    f.prims.sort_by_key(|p| matches!(p, Prim::Text { .. }));
    f
}

pub fn narrate(m: &Matrix, _shared: &Shared) -> Narration {
    let n = m.n;
    let total = m.total();
    let bytes = human_bytes(bytes_for(n as u64));
    if m.too_big() {
        return Narration {
            title: format!("{n} points: too many to draw the matrix"),
            text: format!(
                "The matrix would hold {n} × {n} = {} distances, {bytes} at 4 bytes each, from {total} distance computations. \
                 This scene draws it up to {MAX_MATRIX_POINTS} points. At a million points it would need {} of memory: \
                 this is why vector databases do not precompute, and build an index instead.",
                (n as u64) * (n as u64),
                human_bytes(bytes_for(1_000_000))
            ),
            line: Some(1),
            alert: true,
        };
    }
    let event = m
        .play
        .state
        .cursor
        .checked_sub(1)
        .and_then(|i| m.play.trace.events.get(i));
    if m.complete()
        && let Some((row, near)) = m.row_answer()
    {
        let list: Vec<String> = near
            .iter()
            .map(|(id, d)| format!("{id} ({:.3})", Dist(*d)))
            .collect();
        let text = if near.is_empty() {
            format!(
                "Point {row} is alone: its row holds only D[{row}][{row}] = 0, so it has no neighbour to read off."
            )
        } else {
            format!(
                "The {} of point {row}: {}. No distance was computed: {} of row {row} were read and the k smallest kept. \
                 Each distance is one O(1) lookup — but only between points of the set: a new query still costs n = {}.",
                plural(near.len() as u64, "nearest", "nearest"),
                list.join(", "),
                plural(n.saturating_sub(1) as u64, "number", "numbers"),
                plural(n as u64, "distance", "distances"),
            )
        };
        return Narration {
            title: format!("Row {row}: its neighbours, read off"),
            text,
            line: Some(6),
            alert: false,
        };
    }
    let Some(e) = event else {
        return Narration {
            title: "Ready".into(),
            text: format!(
                "Precompute every distance between the {n} points: n(n−1)/2 = {total} computations (the matrix is symmetric, \
                 its diagonal zero), stored in n² = {} cells, {bytes}. Press ▶ (Space) to play or -> to step.",
                (n as u64) * (n as u64)
            ),
            line: Some(0),
            alert: false,
        };
    };
    let (title, text, line) = match *e {
        MatrixEvent::Row { row } => (
            format!("Row {row}"),
            format!(
                "The distances from point {row} to the {} after it; the column below the diagonal is their mirror, D[j][{row}] = D[{row}][j].",
                plural((n - row as usize - 1) as u64, "point", "points")
            ),
            2,
        ),
        MatrixEvent::Cell { i, j, dist } => (
            format!("D[{i}][{j}] = {:.3}", Dist(dist)),
            format!(
                "One distance computed, stored twice: D[{i}][{j}] = D[{j}][{i}] = {:.3}. {} of {total} so far.",
                Dist(dist),
                m.computed()
            ),
            4,
        ),
        MatrixEvent::RowDone { row, .. } if row as usize + 1 == n => (
            "The matrix is complete".to_string(),
            format!(
                "{total} distance computations (O(n²)), {bytes} of memory (n²·4), {:.2} ms here without recording. \
                 Now hover a cell: its distance is one lookup. Click a point or a row to read its neighbours off the row.",
                m.build_ms,
            ),
            5,
        ),
        MatrixEvent::RowDone { row, cells, .. } => (
            format!("Row {row} done"),
            format!(
                "{} for row {row}; {} of {total} so far. Each row is shorter than the last: the matrix is symmetric.",
                plural(cells, "distance", "distances"),
                m.computed()
            ),
            3,
        ),
    };
    Narration {
        title,
        text,
        line: Some(line),
        alert: false,
    }
}
