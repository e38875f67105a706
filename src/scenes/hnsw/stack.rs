//! How the HNSW's layers are laid out: planes stacked and seen at an angle (tilt, spin,
//! separation) or one flat layer, the projection between data and picture, and how crowded
//! layers are thinned.

pub use crate::scenes::density_scale;

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
    /// How the stacked planes are arranged: for the picture's shape, or always one way
    /// (written to a scene file only when not automatic, so older files stay as they were).
    #[serde(default, skip_serializing_if = "Arrange::is_auto")]
    pub arrange: Arrange,
}

impl Arrange {
    fn is_auto(&self) -> bool {
        *self == Arrange::Auto
    }
}

/// How the stacked planes are arranged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Arrange {
    /// A tower when there is height, a grid when the picture is wide and short.
    #[default]
    Auto,
    /// Always one above the other.
    Tower,
    /// Always side by side (rows of planes, the top layer first).
    Grid,
}

impl Default for StackView {
    fn default() -> Self {
        Self {
            tilt_deg: 60.0,
            spin_deg: 20.0,
            separation: 0.55,
            flat: None,
            follow: true,
            arrange: Arrange::Auto,
        }
    }
}

pub(super) struct Projection {
    pub(super) centre: [f32; 2],
    cos_s: f32,
    sin_s: f32,
    squash: f32,
    /// Where each layer's plane goes relative to layer 0's.
    layout: Layout,
    pub(super) flat: bool,
}

/// How the planes are arranged.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Layout {
    /// Stacked straight up, `step` apart.
    Tower { step: f32 },
    /// In a picture too wide for a tower: side by side in rows of `cols`, the top layer
    /// first (top left), layer 0 last, `cell` apart.
    Grid { cols: u8, top: u8, cell: [f32; 2] },
}

impl Layout {
    /// For `top + 1` planes each `pw × ph` in the picture, `v0` apart in a tower: the tower,
    /// or the grid that draws the planes clearly larger in a picture of `aspect`
    /// (width / height).
    fn choose(pw: f32, ph: f32, v0: f32, top: u8, aspect: f32, arrange: Arrange) -> Self {
        let tower = Layout::Tower { step: v0 };
        if top == 0
            || arrange == Arrange::Tower
            || !(aspect.is_finite() && aspect > 0.0)
            || pw <= 0.0
            || ph <= 0.0
        {
            return tower;
        }
        // How large a plane is drawn in a picture of height 1 (larger is better); the tower
        // reads best, so a grid must win clearly.
        let scale = |w: f32, h: f32| (aspect / w).min(1.0 / h);
        // A forced grid competes without the tower.
        let mut best = match arrange {
            Arrange::Grid => (0.0, tower),
            _ => (scale(pw, ph + top as f32 * v0) * 1.3, tower),
        };
        let layers = top as u32 + 1;
        let cell = [pw * 1.06, ph * 1.45];
        for cols in 2..=layers.min(8) {
            let rows = layers.div_ceil(cols);
            let s = scale(cols as f32 * cell[0], rows as f32 * cell[1]);
            if s > best.0 {
                let cols = cols as u8;
                best = (s, Layout::Grid { cols, top, cell });
            }
        }
        best.1
    }

    fn offset(self, layer: u8) -> [f32; 2] {
        match self {
            Layout::Tower { step } => [0.0, layer as f32 * step],
            Layout::Grid { cols, top, cell } => {
                // Counted from the top layer, which sits top left.
                let cols = cols.max(1);
                let k = top.saturating_sub(layer);
                let (row, col) = (k / cols, k % cols);
                let rows = (top / cols) as f32;
                [col as f32 * cell[0], (rows - row as f32) * cell[1]]
            }
        }
    }
}

impl Projection {
    /// The projection of a stack of layers `0..=top` over points `xy` (the query does not
    /// move the planes), laid out for a picture of `aspect` (width / height).
    pub(super) fn of(
        view: StackView,
        xy: &[[f32; 2]],
        top: u8,
        aspect: f32,
    ) -> (Self, [f32; 2], [f32; 2]) {
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
        let (cos_s, sin_s) = if flat { (1.0, 0.0) } else { (s.cos(), s.sin()) };
        let squash = if flat {
            1.0
        } else {
            view.tilt_deg.to_radians().cos().clamp(0.05, 1.0)
        };
        // One plane's footprint in the picture: the padded box turned and squashed.
        let (w, h) = (hi[0] - lo[0], hi[1] - lo[1]);
        let pw = w * cos_s.abs() + h * sin_s.abs();
        let ph = (w * sin_s.abs() + h * cos_s.abs()) * squash;
        let layout = if flat {
            Layout::Tower { step: 0.0 }
        } else {
            Layout::choose(pw, ph, view.separation * extent, top, aspect, view.arrange)
        };
        let proj = Self {
            centre: [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0],
            cos_s,
            sin_s,
            squash,
            layout,
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
        let o = self.layout.offset(layer);
        [
            self.centre[0] + r[0] + o[0],
            self.centre[1] + r[1] * self.squash + o[1],
        ]
    }

    /// The planes sit side by side rather than one above the other (lines joining a point's
    /// copies would cross other planes).
    pub(super) fn side_by_side(&self) -> bool {
        matches!(self.layout, Layout::Grid { .. })
    }
}

/// Where a point drawn at `p_in_world` lies in data coordinates (the inverse of the stack's
/// projection of layers `0..=top` for a picture of `aspect`), for clicks: on `layer`'s plane
/// in a tower or a flat view; in a grid, on the plane the click is in (else `layer`'s).
pub fn to_data(
    view: StackView,
    xy: &[[f32; 2]],
    (top, aspect): (u8, f32),
    p_in_world: [f32; 2],
    layer: u8,
) -> [f32; 2] {
    let (proj, lo, hi) = Projection::of(view, xy, top, aspect);
    let invert = |l: u8| {
        let o = proj.layout.offset(l);
        let r = [
            p_in_world[0] - proj.centre[0] - o[0],
            (p_in_world[1] - proj.centre[1] - o[1]) / proj.squash,
        ];
        [
            proj.centre[0] + r[0] * proj.cos_s + r[1] * proj.sin_s,
            proj.centre[1] - r[0] * proj.sin_s + r[1] * proj.cos_s,
        ]
    };
    let inside = |d: [f32; 2]| d[0] >= lo[0] && d[0] <= hi[0] && d[1] >= lo[1] && d[1] <= hi[1];
    if proj.side_by_side()
        && let Some(d) = (0..=top).map(invert).find(|d| inside(*d))
    {
        return d;
    }
    invert(layer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tall_picture_keeps_the_tower_and_a_wide_one_gets_a_grid() {
        let (pw, ph, v0) = (1.43, 0.72, 0.55);
        assert_eq!(
            Layout::choose(pw, ph, v0, 5, 1.0, Arrange::Auto),
            Layout::Tower { step: v0 }
        );
        let wide = Layout::choose(pw, ph, v0, 5, 2.65, Arrange::Auto);
        assert!(matches!(wide, Layout::Grid { cols: 3, .. }), "{wide:?}");
        // Asked for, each arrangement holds whatever the shape.
        assert_eq!(
            Layout::choose(pw, ph, v0, 5, 2.65, Arrange::Tower),
            Layout::Tower { step: v0 }
        );
        let grid = Layout::choose(pw, ph, v0, 5, 1.0, Arrange::Grid);
        assert!(matches!(grid, Layout::Grid { .. }), "{grid:?}");
    }

    #[test]
    fn a_click_on_any_plane_maps_back_to_the_point_drawn_there() {
        let xy: Vec<[f32; 2]> = (0..50)
            .map(|i| [(i % 7) as f32 / 7.0, (i / 7) as f32 / 7.0])
            .collect();
        for (aspect, arrange) in [
            (0.8, Arrange::Auto),
            (1.6, Arrange::Grid),
            (3.0, Arrange::Auto),
            (5.0, Arrange::Tower),
        ] {
            let view = StackView {
                arrange,
                ..StackView::default()
            };
            let (proj, _, _) = Projection::of(view, &xy, 4, aspect);
            for l in 0..=4u8 {
                for &p in xy.iter().step_by(5) {
                    let back = to_data(view, &xy, (4, aspect), proj.at(p, l), l);
                    assert!(
                        (back[0] - p[0]).abs() < 1e-4 && (back[1] - p[1]).abs() < 1e-4,
                        "aspect {aspect}, layer {l}: {p:?} came back as {back:?}"
                    );
                }
            }
        }
    }
}
