//! How the HNSW's layers are laid out: planes stacked and seen at an angle (tilt, spin,
//! separation) or one flat layer, the projection between data and picture, and how crowded
//! layers are thinned.

/// How much smaller and lighter points are drawn when `count` share a layer: 1 up to 500,
/// then falling with the square root of the crowd.
pub fn density_scale(count: usize) -> f32 {
    if count <= 500 {
        1.0
    } else {
        (500.0 / count as f32).sqrt()
    }
}

/// How the layers are laid out.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StackView {
    /// 0° looks straight down on each plane; larger values flatten the planes.
    pub tilt_deg: f32,
    /// Rotation of every plane about its centre.
    pub spin_deg: f32,
    /// Distance between planes, as a fraction of the data's extent.
    pub separation: f32,
    /// `Some(l)`: draw only layer l, flat. `None`: the stack.
    pub flat: Option<u8>,
    /// With `flat`: show the layer the current step works on instead of a fixed one.
    #[serde(default)]
    pub follow: bool,
}

impl Default for StackView {
    fn default() -> Self {
        Self {
            tilt_deg: 60.0,
            spin_deg: 20.0,
            separation: 0.55,
            flat: None,
            follow: true,
        }
    }
}

pub(super) struct Projection {
    pub(super) centre: [f32; 2],
    cos_s: f32,
    sin_s: f32,
    squash: f32,
    step: f32,
    pub(super) flat: bool,
}

impl Projection {
    /// The projection of a stack over points `xy` (the query does not move the planes).
    pub(super) fn of(view: StackView, xy: &[[f32; 2]]) -> (Self, [f32; 2], [f32; 2]) {
        let (mut lo, mut hi) = ([f32::INFINITY; 2], [f32::NEG_INFINITY; 2]);
        for p in xy.iter() {
            lo = [lo[0].min(p[0]), lo[1].min(p[1])];
            hi = [hi[0].max(p[0]), hi[1].max(p[1])];
        }
        if lo[0] > hi[0] {
            (lo, hi) = ([0.0, 0.0], [1.0, 1.0]);
        }
        let extent = (hi[0] - lo[0]).max(hi[1] - lo[1]).max(1e-3);
        let pad = 0.06 * extent;
        let lo = [lo[0] - pad, lo[1] - pad];
        let hi = [hi[0] + pad, hi[1] + pad];
        let flat = view.flat.is_some();
        let s = view.spin_deg.to_radians();
        let proj = Self {
            centre: [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0],
            cos_s: if flat { 1.0 } else { s.cos() },
            sin_s: if flat { 0.0 } else { s.sin() },
            squash: if flat {
                1.0
            } else {
                view.tilt_deg.to_radians().cos().clamp(0.05, 1.0)
            },
            step: if flat { 0.0 } else { view.separation * extent },
            flat,
        };
        (proj, lo, hi)
    }

    pub(super) fn at(&self, p: [f32; 2], layer: u8) -> [f32; 2] {
        let d = [p[0] - self.centre[0], p[1] - self.centre[1]];
        let r = [
            d[0] * self.cos_s - d[1] * self.sin_s,
            d[0] * self.sin_s + d[1] * self.cos_s,
        ];
        [
            self.centre[0] + r[0],
            self.centre[1] + r[1] * self.squash + layer as f32 * self.step,
        ]
    }
}

/// Where a point of `layer`'s plane drawn at `p_in_world` lies in data coordinates (the
/// inverse of the stack's projection), for clicks on the stacked view.
pub fn to_data(view: StackView, xy: &[[f32; 2]], p_in_world: [f32; 2], layer: u8) -> [f32; 2] {
    let (proj, _, _) = Projection::of(view, xy);
    let r = [
        p_in_world[0] - proj.centre[0],
        (p_in_world[1] - proj.centre[1] - layer as f32 * proj.step) / proj.squash,
    ];
    [
        proj.centre[0] + r[0] * proj.cos_s + r[1] * proj.sin_s,
        proj.centre[1] - r[0] * proj.sin_s + r[1] * proj.cos_s,
    ]
}
