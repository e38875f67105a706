//! The render layer: drawing primitives in world coordinates, the palette, the fit of the
//! world into a picture and the legend's layout. Scenes produce [`Frame`]s; the backends (the
//! egui painter in `ui::canvas`, the SVG writer and the rasterizer in `export`) consume them.
//! Nothing here knows about egui, and backends never import scenes or each other.

pub mod chart;
pub mod fit;
pub mod labels;
pub mod legend;
pub mod palette;
pub mod text;

pub use labels::Place;
pub use legend::{BAR_W, LEGEND_FONT, LegendLayout, LegendRoom, legend_layout, legend_room};
pub use palette::{Look, Palette, Rgba, Theme};

/// A marker's outline. Colour is always paired with a shape or a label.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Circle,
    Square,
    Diamond,
    Triangle,
    Star,
    Cross,
}

impl Shape {
    /// The outline of this shape of "radius" `r` points around `c`, in picture coordinates
    /// (y down), as a closed polygon; a circle uses `circle_segments` sides, a cross has none.
    /// Every backend draws markers from this one outline.
    pub fn outline(self, c: [f32; 2], r: f32, circle_segments: usize) -> Vec<[f32; 2]> {
        use std::f32::consts::{FRAC_PI_2, FRAC_PI_4, TAU};
        let ring = |k: usize, rot: f32, rr: &dyn Fn(usize) -> f32| -> Vec<[f32; 2]> {
            (0..k)
                .map(|i| {
                    let a = rot + TAU * i as f32 / k as f32;
                    [c[0] + a.cos() * rr(i), c[1] - a.sin() * rr(i)]
                })
                .collect()
        };
        match self {
            Shape::Circle => ring(circle_segments.max(3), 0.0, &|_| r),
            Shape::Square => ring(4, FRAC_PI_4, &|_| r * 1.1),
            Shape::Diamond => ring(4, FRAC_PI_2, &|_| r * 1.25),
            Shape::Triangle => ring(3, FRAC_PI_2, &|_| r * 1.3),
            Shape::Star => ring(10, FRAC_PI_2, &|i| {
                if i % 2 == 0 { r * 1.3 } else { r * 0.55 }
            }),
            Shape::Cross => Vec::new(),
        }
    }
}

/// Where a label sits relative to its anchor point.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Anchor {
    Center,
    Above,
    Below,
    Right,
    Left,
}

/// One drawing instruction. Positions are in world coordinates (y up); widths, radii and
/// text sizes are in screen points, so they stay readable at any zoom.
#[derive(Clone, Debug, PartialEq)]
pub enum Prim {
    Line {
        a_in_world: [f32; 2],
        b_in_world: [f32; 2],
        width: f32,
        color: Rgba,
        dashed: bool,
    },
    /// A circle whose radius is a world distance (e.g. "everything within dist of the query").
    WorldCircle {
        center_in_world: [f32; 2],
        radius_in_world: f32,
        width: f32,
        color: Rgba,
        dashed: bool,
    },
    Marker {
        pos_in_world: [f32; 2],
        radius: f32,
        shape: Shape,
        fill: Option<Rgba>,
        stroke: Option<(f32, Rgba)>,
    },
    /// A filled convex polygon (e.g. a layer's plane).
    Polygon {
        points_in_world: Vec<[f32; 2]>,
        fill: Rgba,
        stroke: Option<(f32, Rgba)>,
    },
    /// A raster picture stretched over a world rectangle (a density image of a million
    /// points): row 0 is the top (largest y).
    Image {
        min_in_world: [f32; 2],
        max_in_world: [f32; 2],
        picture: std::sync::Arc<Picture>,
    },
    Text {
        pos_in_world: [f32; 2],
        text: String,
        size: f32,
        color: Rgba,
        anchor: Anchor,
        /// Extra distance from the anchor, in screen points.
        gap: f32,
        /// How the label placer may move it (see [`labels`]).
        place: Place,
    },
}

impl Prim {
    /// Moves the primitive by `by` (world units); sizes in points stay as they are.
    pub fn translate(&mut self, by: [f32; 2]) {
        let mv = |p: &mut [f32; 2]| *p = [p[0] + by[0], p[1] + by[1]];
        match self {
            Prim::Line {
                a_in_world,
                b_in_world,
                ..
            } => {
                mv(a_in_world);
                mv(b_in_world);
            }
            Prim::WorldCircle {
                center_in_world, ..
            } => mv(center_in_world),
            Prim::Marker { pos_in_world, .. } | Prim::Text { pos_in_world, .. } => mv(pos_in_world),
            Prim::Polygon {
                points_in_world, ..
            } => points_in_world.iter_mut().for_each(mv),
            Prim::Image {
                min_in_world,
                max_in_world,
                ..
            } => {
                mv(min_in_world);
                mv(max_in_world);
            }
        }
    }
}

/// Pixels of an [`Prim::Image`]: RGBA, not premultiplied, rows top to bottom. `key`
/// changes whenever the pixels do (backends cache the upload by it).
#[derive(Clone, Debug, PartialEq)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
    pub key: u64,
}

/// A legend entry: the shape and colour that stand for a thing, and its name.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    pub shape: Shape,
    pub color: Rgba,
    pub filled: bool,
    pub label: String,
}

/// A legend entry.
pub fn legend(shape: Shape, color: Rgba, filled: bool, label: &str) -> LegendItem {
    LegendItem {
        shape,
        color,
        filled,
        label: label.to_string(),
    }
}

impl LegendItem {
    /// Fill and stroke of the entry's marker: a filled shape, or an outline 2 points wide.
    pub fn paint(&self) -> (Option<Rgba>, Option<(f32, Rgba)>) {
        if self.filled {
            (Some(self.color), None)
        } else {
            (None, Some((2.0, self.color)))
        }
    }
}

/// Everything a backend needs to draw one step.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Frame {
    pub prims: Vec<Prim>,
    pub legend: Vec<LegendItem>,
    /// The world rectangle worth showing: (min, max).
    pub bounds: Option<([f32; 2], [f32; 2])>,
    /// Colour bar for edge lengths: (shortest, longest), if edges are coloured by length.
    pub length_scale: Option<(f32, f32)>,
}

impl Frame {
    /// Adds `other`'s primitives moved by `by` (world units): several charts in one picture.
    /// Legend entries already present are not repeated; the bounds grow to hold both.
    pub fn append_shifted(&mut self, other: Frame, by: [f32; 2]) {
        let mv = |p: [f32; 2]| [p[0] + by[0], p[1] + by[1]];
        self.prims.extend(other.prims.into_iter().map(|mut prim| {
            prim.translate(by);
            prim
        }));
        for item in other.legend {
            if !self.legend.iter().any(|l| l.label == item.label) {
                self.legend.push(item);
            }
        }
        if let Some((lo, hi)) = other.bounds {
            let (lo, hi) = (mv(lo), mv(hi));
            self.bounds = Some(match self.bounds {
                Some((a, b)) => (
                    [a[0].min(lo[0]), a[1].min(lo[1])],
                    [b[0].max(hi[0]), b[1].max(hi[1])],
                ),
                None => (lo, hi),
            });
        }
    }

    /// A marker at a world position: `radius` in points, filled and/or outlined.
    pub fn marker(
        &mut self,
        at: [f32; 2],
        radius: f32,
        shape: Shape,
        fill: Option<Rgba>,
        stroke: Option<(f32, Rgba)>,
    ) {
        self.prims.push(Prim::Marker {
            pos_in_world: at,
            radius,
            shape,
            fill,
            stroke,
        });
    }

    /// A label at a world position, 4 points from its anchor.
    pub fn label(
        &mut self,
        at: [f32; 2],
        text: String,
        size: f32,
        color: Rgba,
        anchor: Anchor,
        place: Place,
    ) {
        self.prims.push(Prim::Text {
            pos_in_world: at,
            text,
            size,
            color,
            anchor,
            gap: 4.0,
            place,
        });
    }

    /// A straight line between two world positions.
    pub fn line(&mut self, a: [f32; 2], b: [f32; 2], width: f32, color: Rgba, dashed: bool) {
        self.prims.push(Prim::Line {
            a_in_world: a,
            b_in_world: b,
            width,
            color,
            dashed,
        });
    }
}

/// Sizes that a presenter view may scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Style {
    pub point_radius: f32,
    pub edge_width: f32,
    pub path_width: f32,
    pub label_size: f32,
    /// Show point ids as labels when there are at most this many points.
    pub label_limit: usize,
}

impl Style {
    /// Bigger points, thicker strokes and larger labels for a projector.
    pub fn presenter() -> Self {
        Self {
            point_radius: 6.0,
            edge_width: 2.0,
            path_width: 6.0,
            label_size: 18.0,
            label_limit: 120,
        }
    }
}

impl Default for Style {
    fn default() -> Self {
        Self {
            point_radius: 4.0,
            edge_width: 1.2,
            path_width: 3.5,
            label_size: 13.0,
            label_limit: 120,
        }
    }
}
