//! The label placer shared by the canvas and every figure: each label tries positions around
//! its anchor and takes the first that is free of the labels already placed and of the
//! markers, moving further out (with a leader line back to its anchor) when the near ones
//! are taken; the picture's edge is a wall, so no label is ever clipped.
//!
//! Labels are placed in order of how much their position means: pinned labels (a layer's
//! name at its corner, ids along a matrix) first, then key labels (query, entry, ranks,
//! distances) in the order the scene drew them, then minor ones (point ids), which are left
//! out when no place near their point is free.

use super::text::{line_height, text_width};
use super::{Anchor, Frame, Prim};

/// How a label may move to stay clear of the others.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Place {
    /// Must show: tries every side of its anchor, then further out with a leader line.
    #[default]
    Key,
    /// Its position carries meaning: stays where it was put, sliding up or down to clear
    /// another label (or, when that fails, further out with a leader), inside the picture.
    Pinned,
    /// Nice to have (point ids): the four sides of its anchor, or not at all.
    Minor,
}

/// A rectangle in picture coordinates (y down).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub min: [f32; 2],
    pub max: [f32; 2],
}

impl Rect {
    pub fn new(min: [f32; 2], max: [f32; 2]) -> Self {
        Self { min, max }
    }

    fn around(center: [f32; 2], half: [f32; 2]) -> Self {
        Self {
            min: [center[0] - half[0], center[1] - half[1]],
            max: [center[0] + half[0], center[1] + half[1]],
        }
    }

    pub fn center(&self) -> [f32; 2] {
        [
            (self.min[0] + self.max[0]) / 2.0,
            (self.min[1] + self.max[1]) / 2.0,
        ]
    }

    pub fn intersects(&self, o: &Rect) -> bool {
        self.min[0] < o.max[0]
            && o.min[0] < self.max[0]
            && self.min[1] < o.max[1]
            && o.min[1] < self.max[1]
    }

    pub fn contains(&self, o: &Rect) -> bool {
        o.min[0] >= self.min[0] - 0.01
            && o.min[1] >= self.min[1] - 0.01
            && o.max[0] <= self.max[0] + 0.01
            && o.max[1] <= self.max[1] + 0.01
    }

    fn contains_point(&self, p: [f32; 2]) -> bool {
        p[0] >= self.min[0] && p[0] <= self.max[0] && p[1] >= self.min[1] && p[1] <= self.max[1]
    }

    /// `self` moved (not resized) to lie inside `wall`, as far as it fits.
    fn pushed_inside(self, wall: &Rect) -> Rect {
        let shift = |lo: f32, hi: f32, wall_lo: f32, wall_hi: f32| {
            let d = if hi > wall_hi { wall_hi - hi } else { 0.0 };
            if lo + d < wall_lo { wall_lo - lo } else { d }
        };
        let d = [
            shift(self.min[0], self.max[0], wall.min[0], wall.max[0]),
            shift(self.min[1], self.max[1], wall.min[1], wall.max[1]),
        ];
        Rect {
            min: [self.min[0] + d[0], self.min[1] + d[1]],
            max: [self.max[0] + d[0], self.max[1] + d[1]],
        }
    }

    /// The point of `self` nearest to `p`.
    fn nearest(&self, p: [f32; 2]) -> [f32; 2] {
        [
            p[0].clamp(self.min[0], self.max[0]),
            p[1].clamp(self.min[1], self.max[1]),
        ]
    }
}

/// One label where it will be drawn: its box (the text centred in it) and, when it moved away
/// from its anchor, a leader line from the anchor to the box.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    /// The index of its `Prim::Text` in the frame.
    pub prim: usize,
    pub rect: Rect,
    pub leader: Option<([f32; 2], [f32; 2])>,
}

/// Padding around a label's text inside its box, in points.
const PAD: f32 = 1.5;

/// Unit directions, by anchor: where a label's box sits relative to its anchor point.
fn direction(anchor: Anchor) -> [f32; 2] {
    match anchor {
        Anchor::Center => [0.0, 0.0],
        Anchor::Above => [0.0, -1.0],
        Anchor::Below => [0.0, 1.0],
        Anchor::Right => [1.0, 0.0],
        Anchor::Left => [-1.0, 0.0],
    }
}

/// The directions a key label tries, its own first, then the other sides, then the corners.
fn key_directions(anchor: Anchor) -> Vec<[f32; 2]> {
    let own = direction(anchor);
    let mut dirs = vec![own];
    let sides = [
        [0.0, -1.0],
        [1.0, 0.0],
        [0.0, 1.0],
        [-1.0, 0.0],
        [1.0, -1.0],
        [-1.0, -1.0],
        [1.0, 1.0],
        [-1.0, 1.0],
    ];
    dirs.extend(sides.iter().filter(|d| **d != own));
    dirs
}

/// The box of a `half`-sized label set `gap` points from `p` in direction `d`.
fn box_at(p: [f32; 2], d: [f32; 2], gap: f32, half: [f32; 2]) -> Rect {
    let c = [p[0] + d[0] * (gap + half[0]), p[1] + d[1] * (gap + half[1])];
    Rect::around(c, half)
}

/// Markers as obstacles, bucketed in a coarse grid so a label's test looks at a few.
struct Obstacles {
    cell: f32,
    cols: usize,
    rows: usize,
    origin: [f32; 2],
    buckets: Vec<Vec<Rect>>,
}

impl Obstacles {
    fn new(frame: &Frame, to_picture: &dyn Fn([f32; 2]) -> [f32; 2], wall: &Rect) -> Self {
        let cell = 32.0;
        let cols = (((wall.max[0] - wall.min[0]) / cell).ceil() as usize).clamp(1, 512);
        let rows = (((wall.max[1] - wall.min[1]) / cell).ceil() as usize).clamp(1, 512);
        let mut o = Self {
            cell,
            cols,
            rows,
            origin: wall.min,
            buckets: vec![Vec::new(); cols * rows],
        };
        for prim in &frame.prims {
            if let Prim::Marker {
                pos_in_world,
                radius,
                fill,
                ..
            } = prim
            {
                let p = to_picture(*pos_in_world);
                if !wall.contains_point(p) {
                    continue;
                }
                // A ring (no fill) blocks only its own outline's box when it is small; a
                // large ring would forbid its whole inside, so it keeps a band at the centre.
                let r = if fill.is_none() {
                    radius.min(12.0)
                } else {
                    *radius
                };
                o.add(Rect::around(p, [r, r]));
            }
        }
        o
    }

    fn range(&self, r: &Rect) -> (usize, usize, usize, usize) {
        let ix = |x: f32| {
            (((x - self.origin[0]) / self.cell).floor().max(0.0) as usize).min(self.cols - 1)
        };
        let iy = |y: f32| {
            (((y - self.origin[1]) / self.cell).floor().max(0.0) as usize).min(self.rows - 1)
        };
        (ix(r.min[0]), ix(r.max[0]), iy(r.min[1]), iy(r.max[1]))
    }

    fn add(&mut self, r: Rect) {
        let (x0, x1, y0, y1) = self.range(&r);
        for y in y0..=y1 {
            for x in x0..=x1 {
                self.buckets[y * self.cols + x].push(r);
            }
        }
    }

    /// How many markers `r` covers (a marker in several buckets may count more than once,
    /// which only makes a crowded place look more crowded).
    fn count(&self, r: &Rect) -> usize {
        let (x0, x1, y0, y1) = self.range(r);
        let mut n = 0;
        for y in y0..=y1 {
            for x in x0..=x1 {
                n += self.buckets[y * self.cols + x]
                    .iter()
                    .filter(|m| m.intersects(r))
                    .count();
            }
        }
        n
    }
}

/// Places every label of `frame` (its `Prim::Text`s) inside `wall`, the part of the picture
/// labels may use, through `to_picture` (world → picture points). Labels whose anchor lies
/// outside the picture (panned away) are left out, as are minor labels with no free place.
pub fn place(frame: &Frame, to_picture: &dyn Fn([f32; 2]) -> [f32; 2], wall: Rect) -> Vec<Placed> {
    if !frame.prims.iter().any(|p| matches!(p, Prim::Text { .. })) {
        return Vec::new();
    }
    let obstacles = Obstacles::new(frame, to_picture, &wall);
    let mut order: Vec<(usize, Place)> = frame
        .prims
        .iter()
        .enumerate()
        .filter_map(|(i, p)| match p {
            Prim::Text { place, .. } => Some((i, *place)),
            _ => None,
        })
        .collect();
    let rank = |p: Place| match p {
        Place::Pinned => 0,
        Place::Key => 1,
        Place::Minor => 2,
    };
    order.sort_by_key(|(i, p)| (rank(*p), *i));
    // Anchors a few points outside the wall (a layer's corner on the margin) still count.
    let reach = Rect::new(
        [wall.min[0] - 8.0, wall.min[1] - 8.0],
        [wall.max[0] + 8.0, wall.max[1] + 8.0],
    );
    let mut placed: Vec<Placed> = Vec::with_capacity(order.len());
    for (i, place) in order {
        let Prim::Text {
            pos_in_world,
            text,
            size,
            anchor,
            gap,
            ..
        } = &frame.prims[i]
        else {
            continue;
        };
        let p = to_picture(*pos_in_world);
        if !reach.contains_point(p) || text.is_empty() {
            continue;
        }
        let half = [
            text_width(text, *size) / 2.0 + PAD,
            line_height(*size) / 2.0,
        ];
        let near = candidates(place, p, *anchor, *gap, half, &wall);
        let free = |r: &Rect| !placed.iter().any(|o| o.rect.intersects(r));
        let mut best: Option<(usize, Rect)> = None;
        for c in &near {
            if !free(c) {
                continue;
            }
            let cost = if place == Place::Pinned {
                0
            } else {
                obstacles.count(c)
            };
            if best.is_none_or(|(b, _)| cost < b) {
                best = Some((cost, *c));
            }
            if cost == 0 {
                break;
            }
        }
        // No free place near: a wide sweep for one free of labels (not of markers), built
        // only now since it is rarely needed.
        let chosen = match (best, place) {
            (Some((_, c)), _) => Some(c),
            (None, Place::Minor) => None,
            (None, _) => {
                let from = *gap + 5.0 * (half[1] * 2.0 + 4.0);
                let wide = sweep(p, from, half, &wall);
                wide.iter().find(|c| free(c)).copied().or_else(|| {
                    // Nowhere free: the label still shows, where it overlaps the fewest.
                    near.iter()
                        .chain(&wide)
                        .min_by_key(|c| placed.iter().filter(|o| o.rect.intersects(c)).count())
                        .copied()
                })
            }
        };
        if let Some(rect) = chosen {
            // A leader line back to the anchor when the label ended up well away from it.
            let end = rect.nearest(p);
            let far = (end[0] - p[0]).hypot(end[1] - p[1]) > gap + 10.0;
            let leader = (far && place != Place::Minor).then_some((p, end));
            placed.push(Placed {
                prim: i,
                rect,
                leader,
            });
        }
    }
    placed
}

/// Where a label may go near its anchor, best first, each box pushed inside the wall.
fn candidates(
    place: Place,
    p: [f32; 2],
    anchor: Anchor,
    gap: f32,
    half: [f32; 2],
    wall: &Rect,
) -> Vec<Rect> {
    let own = box_at(p, direction(anchor), gap, half);
    let mut out = Vec::new();
    match place {
        Place::Pinned => {
            // Up or down a row or a few, to clear another label.
            let h = half[1] * 2.0;
            out.push(own);
            for k in 1..=4 {
                let k = k as f32;
                for s in [1.0, -1.0] {
                    out.push(Rect::around(
                        [own.center()[0], own.center()[1] + s * k * h],
                        half,
                    ));
                }
            }
        }
        Place::Minor => {
            let dirs = key_directions(anchor);
            out.extend(dirs.iter().take(4).map(|d| box_at(p, *d, gap, half)));
        }
        Place::Key => {
            let dirs = key_directions(anchor);
            out.extend(dirs.iter().map(|d| box_at(p, *d, gap, half)));
            for ring in 1..=4 {
                let g = gap + ring as f32 * (half[1] * 2.0 + 4.0);
                out.extend(dirs.iter().map(|d| box_at(p, *d, g, half)));
            }
        }
    }
    out.into_iter().map(|r| r.pushed_inside(wall)).collect()
}

/// Boxes on rings around `p` from `from` points out to the far side of `wall`, in sixteen
/// directions each, pushed inside the wall.
fn sweep(p: [f32; 2], from: f32, half: [f32; 2], wall: &Rect) -> Vec<Rect> {
    let reach = (wall.max[0] - wall.min[0]).hypot(wall.max[1] - wall.min[1]);
    let step = half[1] * 2.0 + 4.0;
    let mut out = Vec::new();
    let mut g = from;
    while g < reach {
        out.extend((0..16).map(|k| {
            let a = std::f32::consts::TAU * k as f32 / 16.0;
            box_at(p, [a.cos(), a.sin()], g, half).pushed_inside(wall)
        }));
        g += step;
    }
    out
}
