//! The egui painter backend: turns a scene's primitives into egui meshes and text.
//!
//! Points and lines are batched into one `Mesh` per run of primitives (one shape call per
//! run, not one per point), so 10,000 points and their links stay smooth.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Align2, Color32, FontId, Pos2, Rect, Shape as EShape, Vec2, pos2, vec2};

use crate::render::{self, Frame, Prim, Rgba, Shape};

/// World ↔ screen transform: world y points up, screen y points down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub center_in_world: [f32; 2],
    /// Screen points per world unit.
    pub scale: f32,
}

impl Default for View {
    fn default() -> Self {
        Self {
            center_in_world: [0.5, 0.5],
            scale: 500.0,
        }
    }
}

impl View {
    /// A view that shows `bounds` inside `rect`, clear of the room kept for the legend (the
    /// same fit as the SVG export, so a figure frames the data as the screen does).
    pub fn fit(bounds: ([f32; 2], [f32; 2]), rect: Rect, legend: render::LegendRoom) -> Self {
        let f = crate::render::fit::Fit::new(bounds, rect.width(), rect.height(), legend);
        Self {
            center_in_world: f.center_in_world,
            scale: f.scale,
        }
    }

    pub fn to_screen(&self, rect: Rect, p: [f32; 2]) -> Pos2 {
        let c = rect.center();
        pos2(
            c.x + (p[0] - self.center_in_world[0]) * self.scale,
            c.y - (p[1] - self.center_in_world[1]) * self.scale,
        )
    }

    pub fn to_world(&self, rect: Rect, p: Pos2) -> [f32; 2] {
        let c = rect.center();
        [
            self.center_in_world[0] + (p.x - c.x) / self.scale,
            self.center_in_world[1] - (p.y - c.y) / self.scale,
        ]
    }

    /// Moves the view by a screen-space drag.
    pub fn pan(&mut self, delta: Vec2) {
        self.center_in_world[0] -= delta.x / self.scale;
        self.center_in_world[1] += delta.y / self.scale;
    }

    /// Zooms by `factor`, keeping the world point under `anchor` fixed.
    pub fn zoom_at(&mut self, rect: Rect, anchor: Pos2, factor: f32) {
        if !factor.is_finite() || factor <= 0.0 {
            return;
        }
        let before = self.to_world(rect, anchor);
        self.scale = (self.scale * factor).clamp(1.0, 1e7);
        let after = self.to_world(rect, anchor);
        self.center_in_world[0] += before[0] - after[0];
        self.center_in_world[1] += before[1] - after[1];
    }
}

pub fn color(c: Rgba) -> Color32 {
    let [r, g, b, a] = c.0;
    Color32::from_rgba_unmultiplied(r, g, b, a)
}

/// Width of the anti-aliasing fringe, in points: edges fade to transparent over it, as
/// egui's own tessellator and the SVG rasterizer do, so thin links are smooth, not stepped.
const FEATHER: f32 = 1.0;

fn vertex(mesh: &mut Mesh, pos: Pos2, color: Color32) {
    mesh.vertices.push(Vertex {
        pos,
        uv: WHITE_UV,
        color,
    });
}

/// Half-widths (inner solid, outer faded) and colour of an anti-aliased stroke: strokes
/// thinner than the fringe are drawn one fringe wide and fainter.
fn feathered(width: f32, col: Color32) -> (f32, f32, Color32) {
    if width >= FEATHER {
        ((width - FEATHER) / 2.0, (width + FEATHER) / 2.0, col)
    } else {
        (0.0, FEATHER, col.gamma_multiply(width.max(0.0) / FEATHER))
    }
}

fn quad(mesh: &mut Mesh, a: Pos2, b: Pos2, width: f32, col: Color32) {
    let d = b - a;
    let len = d.length();
    if len < 1e-3 {
        return;
    }
    let (hi, ho, col) = feathered(width, col);
    let u = vec2(-d.y, d.x) / len;
    let i = mesh.vertices.len() as u32;
    if hi <= 0.0 {
        // A hairline: one solid spine between two faded edges (most links at large n).
        for p in [a, b] {
            vertex(mesh, p + u * ho, Color32::TRANSPARENT);
            vertex(mesh, p, col);
            vertex(mesh, p - u * ho, Color32::TRANSPARENT);
        }
        for k in 0..2 {
            let (a0, a1, b0, b1) = (i + k, i + k + 1, i + 3 + k, i + 3 + k + 1);
            mesh.add_triangle(a0, a1, b1);
            mesh.add_triangle(a0, b1, b0);
        }
        return;
    }
    // Across the stroke: faded, solid, solid, faded; at a then at b.
    for p in [a, b] {
        vertex(mesh, p + u * ho, Color32::TRANSPARENT);
        vertex(mesh, p + u * hi, col);
        vertex(mesh, p - u * hi, col);
        vertex(mesh, p - u * ho, Color32::TRANSPARENT);
    }
    for k in 0..3 {
        let (a0, a1, b0, b1) = (i + k, i + k + 1, i + 4 + k, i + 4 + k + 1);
        mesh.add_triangle(a0, a1, b1);
        mesh.add_triangle(a0, b1, b0);
    }
}

fn line(mesh: &mut Mesh, a: Pos2, b: Pos2, width: f32, col: Color32, dashed: bool) {
    if !dashed {
        quad(mesh, a, b, width, col);
        return;
    }
    let d = b - a;
    let len = d.length();
    let (dash, gap) = (6.0, 4.0);
    let mut t = 0.0;
    while t < len {
        let e = (t + dash).min(len);
        quad(mesh, a + d * (t / len), a + d * (e / len), width, col);
        t = e + gap;
    }
}

/// Segments for a circle of radius `r` points: enough to look round, no more.
fn circle_segments(r: f32) -> usize {
    ((r * 1.5) as usize).clamp(8, 64)
}

/// A circular ring of width `w` centred on radius `r`, as one anti-aliased triangle strip.
fn ring_strip(mesh: &mut Mesh, c: Pos2, r: f32, w: f32, col: Color32) {
    let k = circle_segments(r + w);
    let i0 = mesh.vertices.len() as u32;
    let (hi, ho, col) = feathered(w, col);
    let radii = [
        ((r - ho).max(0.0), Color32::TRANSPARENT),
        ((r - hi).max(0.0), col),
        (r + hi, col),
        (r + ho, Color32::TRANSPARENT),
    ];
    let dirs = unit_circle(k);
    let k = dirs.len();
    for d in dirs {
        for (rr, cc) in radii {
            vertex(mesh, c + *d * rr, cc);
        }
    }
    let k = k as u32;
    for i in 0..k {
        let j = (i + 1) % k;
        for band in 0..3 {
            let (a, b) = (i0 + 4 * i + band, i0 + 4 * i + band + 1);
            let (cc, d) = (i0 + 4 * j + band, i0 + 4 * j + band + 1);
            mesh.add_triangle(a, b, d);
            mesh.add_triangle(a, d, cc);
        }
    }
}

/// A shape's outline (shared with the SVG backend) as screen positions.
fn outline(shape: Shape, c: Pos2, r: f32) -> Vec<Pos2> {
    shape
        .outline([c.x, c.y], r, circle_segments(r))
        .into_iter()
        .map(|p| pos2(p[0], p[1]))
        .collect()
}

/// Unit vectors around a circle in `k` steps (y down), computed once per `k`.
fn unit_circle(k: usize) -> &'static [Vec2] {
    static TABLE: std::sync::OnceLock<Vec<Vec<Vec2>>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..=64usize)
            .map(|k| {
                (0..k)
                    .map(|i| {
                        let a = std::f32::consts::TAU * i as f32 / k as f32;
                        vec2(a.cos(), -a.sin())
                    })
                    .collect()
            })
            .collect()
    });
    &table[k.clamp(3, 64)]
}

/// Triangles of a fan around vertex `i0` whose rim is `k` (solid, faded) vertex pairs.
fn fan_with_fringe(mesh: &mut Mesh, i0: u32, k: u32) {
    for i in 0..k {
        let j = (i + 1) % k;
        let (si, oi, sj, oj) = (
            i0 + 1 + 2 * i,
            i0 + 2 + 2 * i,
            i0 + 1 + 2 * j,
            i0 + 2 + 2 * j,
        );
        mesh.add_triangle(i0, si, sj);
        mesh.add_triangle(si, oi, oj);
        mesh.add_triangle(si, oj, sj);
    }
}

fn fill_polygon(mesh: &mut Mesh, c: Pos2, poly: &[Pos2], col: Color32) {
    let i0 = mesh.vertices.len() as u32;
    vertex(mesh, c, col);
    // Each outline point twice: half a fringe inside (solid) and outside (faded), pushed
    // away from the centre, which the markers' star-shaped outlines allow.
    for p in poly {
        let out = (*p - c).normalized() * (FEATHER / 2.0);
        vertex(mesh, *p - out, col);
        vertex(mesh, *p + out, Color32::TRANSPARENT);
    }
    fan_with_fringe(mesh, i0, poly.len() as u32);
}

/// A filled, anti-aliased disc: the polygon path without trigonometry or square roots, as
/// most markers at large n are discs.
fn fill_circle(mesh: &mut Mesh, c: Pos2, r: f32, col: Color32) {
    let dirs = unit_circle(circle_segments(r));
    let i0 = mesh.vertices.len() as u32;
    vertex(mesh, c, col);
    let (ri, ro) = ((r - FEATHER / 2.0).max(0.0), r + FEATHER / 2.0);
    for d in dirs {
        vertex(mesh, c + *d * ri, col);
        vertex(mesh, c + *d * ro, Color32::TRANSPARENT);
    }
    fan_with_fringe(mesh, i0, dirs.len() as u32);
}

fn stroke_polygon(mesh: &mut Mesh, poly: &[Pos2], width: f32, col: Color32) {
    for i in 0..poly.len() {
        let a = poly[i];
        let b = poly[(i + 1) % poly.len()];
        // Extend each side a little so corners close.
        let d = (b - a).normalized() * (width / 2.0);
        quad(mesh, a - d, b + d, width, col);
    }
}

/// Adds a marker to a mesh.
pub fn marker(
    mesh: &mut Mesh,
    c: Pos2,
    r: f32,
    shape: Shape,
    fill: Option<Rgba>,
    stroke: Option<(f32, Rgba)>,
) {
    if shape == Shape::Cross {
        let col = fill
            .or(stroke.map(|s| s.1))
            .map(color)
            .unwrap_or(Color32::GRAY);
        let w = stroke.map_or(r * 0.5, |s| s.0).max(1.5);
        quad(mesh, c + vec2(-r, -r), c + vec2(r, r), w, col);
        quad(mesh, c + vec2(-r, r), c + vec2(r, -r), w, col);
        return;
    }
    if shape == Shape::Circle {
        if let Some(f) = fill {
            fill_circle(mesh, c, r, color(f));
        }
        if let Some((w, s)) = stroke {
            ring_strip(mesh, c, r, w, color(s));
        }
        return;
    }
    let poly = outline(shape, c, r);
    if let Some(f) = fill {
        fill_polygon(mesh, c, &poly, color(f));
    }
    if let Some((w, s)) = stroke {
        stroke_polygon(mesh, &poly, w, color(s));
    }
}

/// Paints `frame` into `rect` through `view`. Returns the number of primitives drawn.
/// Labels stay inside `wall`.
pub fn paint(painter: &egui::Painter, rect: Rect, view: &View, frame: &Frame, wall: Rect) -> usize {
    let mut mesh = Mesh::default();
    // Room for the usual case up front: growing a mesh of 100,000s of vertices by doubling
    // costs more than filling it.
    let (lines, marks) = frame.prims.iter().fold((0, 0), |(l, m), p| match p {
        Prim::Line { .. } => (l + 1, m),
        Prim::Marker { .. } => (l, m + 1),
        _ => (l, m),
    });
    mesh.reserve_vertices(lines * 8 + marks * 40);
    mesh.reserve_triangles(lines * 6 + marks * 40);
    let cull = rect.expand(50.0);
    let flush = |mesh: &mut Mesh| {
        if !mesh.is_empty() {
            painter.add(EShape::mesh(std::mem::take(mesh)));
        }
    };
    for prim in &frame.prims {
        match prim {
            Prim::Line {
                a_in_world,
                b_in_world,
                width,
                color: c,
                dashed,
            } => {
                let a = view.to_screen(rect, *a_in_world);
                let b = view.to_screen(rect, *b_in_world);
                if !cull.intersects(Rect::from_two_pos(a, b)) {
                    continue;
                }
                line(&mut mesh, a, b, *width, color(*c), *dashed);
            }
            Prim::WorldCircle {
                center_in_world,
                radius_in_world,
                width,
                color: c,
                dashed,
            } => {
                let ctr = view.to_screen(rect, *center_in_world);
                let r = radius_in_world * view.scale;
                let k = ((r * 0.5) as usize).clamp(24, 256);
                let pts: Vec<Pos2> = (0..=k)
                    .map(|i| {
                        let a = std::f32::consts::TAU * i as f32 / k as f32;
                        ctr + vec2(a.cos(), a.sin()) * r
                    })
                    .collect();
                for (i, w) in pts.windows(2).enumerate() {
                    if !*dashed || i % 2 == 0 {
                        quad(&mut mesh, w[0], w[1], *width, color(*c));
                    }
                }
            }
            Prim::Marker {
                pos_in_world,
                radius,
                shape,
                fill,
                stroke,
            } => {
                let c = view.to_screen(rect, *pos_in_world);
                if !cull.contains(c) {
                    continue;
                }
                marker(&mut mesh, c, *radius, *shape, *fill, *stroke);
            }
            Prim::Polygon {
                points_in_world,
                fill,
                stroke,
            } => {
                let pts: Vec<Pos2> = points_in_world
                    .iter()
                    .map(|p| view.to_screen(rect, *p))
                    .collect();
                if pts.len() >= 3 {
                    let c = pts.iter().fold(Pos2::ZERO, |a, p| a + p.to_vec2()) / pts.len() as f32;
                    fill_polygon(&mut mesh, c, &pts, color(*fill));
                    if let Some((w, s)) = stroke {
                        stroke_polygon(&mut mesh, &pts, *w, color(*s));
                    }
                }
            }
            Prim::Image {
                min_in_world,
                max_in_world,
                picture,
            } => {
                flush(&mut mesh);
                let a = view.to_screen(rect, [min_in_world[0], max_in_world[1]]);
                let b = view.to_screen(rect, [max_in_world[0], min_in_world[1]]);
                let tex = texture(painter.ctx(), picture);
                painter.image(
                    tex.id(),
                    Rect::from_min_max(a, b),
                    Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)),
                    Color32::WHITE,
                );
            }
            // Labels go last, over everything, where the placer puts them.
            Prim::Text { .. } => {}
        }
    }
    flush(&mut mesh);
    labels(painter, rect, view, frame, wall);
    frame.prims.len()
}

/// The texture of a picture, uploaded once per `key` (kept in the context's memory: a
/// density image of a million points is uploaded when it changes, not every frame).
fn texture(ctx: &egui::Context, picture: &render::Picture) -> egui::TextureHandle {
    // One slot: a new picture replaces (and frees) the one before.
    let id = egui::Id::unique("canvas-picture");
    if let Some((key, t)) = ctx.data(|d| d.get_temp::<(u64, egui::TextureHandle)>(id))
        && key == picture.key
    {
        return t;
    }
    let image = egui::ColorImage::from_rgba_unmultiplied(
        [picture.width as usize, picture.height as usize],
        &picture.rgba,
    );
    let t = ctx.load_texture("canvas-picture", image, egui::TextureOptions::LINEAR);
    ctx.data_mut(|d| d.insert_temp(id, (picture.key, t.clone())));
    t
}

/// Every label where the shared placer puts it (the same placer as the figures), with its
/// leader line when it moved away from its anchor. `wall` is the part of the canvas labels
/// may use (above the legend strip).
fn labels(painter: &egui::Painter, rect: Rect, view: &View, frame: &Frame, wall: Rect) {
    let to_picture = |p: [f32; 2]| {
        let s = view.to_screen(rect, p);
        [s.x, s.y]
    };
    let wall = render::labels::Rect::new(
        [wall.left() + 2.0, wall.top() + 2.0],
        [wall.right() - 2.0, wall.bottom() - 2.0],
    );
    let placed = render::labels::place(frame, &to_picture, wall);
    for l in &placed {
        if let (Some((a, b)), Prim::Text { color: c, .. }) = (l.leader, &frame.prims[l.prim]) {
            let faded = c.with_alpha((c.0[3] as f32 * 0.6) as u8);
            painter.line_segment(
                [pos2(a[0], a[1]), pos2(b[0], b[1])],
                egui::Stroke::new(1.0, color(faded)),
            );
        }
    }
    for l in &placed {
        if let Prim::Text {
            text,
            size,
            color: c,
            ..
        } = &frame.prims[l.prim]
        {
            let m = l.rect.center();
            painter.text(
                pos2(m[0], m[1]),
                Align2::CENTER_CENTER,
                text,
                FontId::proportional(*size),
                color(*c),
            );
        }
    }
}
