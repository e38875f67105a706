//! World → picture transforms: where the data goes in a canvas or a figure of a given size.

use super::Frame;

/// Height of the legend strip under the picture, as on screen, when its entries fit in three
/// rows (more rows make it taller: see [`super::legend_strip`]).
pub const LEGEND_STRIP: f32 = 70.0;

/// World → picture transform: fits `bounds` into `width × height` above the legend strip,
/// with the same margins as the canvas. World y points up, picture y down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fit {
    pub center_in_world: [f32; 2],
    pub scale: f32,
    pub width: f32,
    pub height: f32,
    /// The legend strip along the bottom.
    pub legend: f32,
}

impl Fit {
    pub fn new(bounds: ([f32; 2], [f32; 2]), width: f32, height: f32, bottom: f32) -> Self {
        Self::with_margin(bounds, width, height, bottom, margin(width, height))
    }

    /// [`Fit::new`] with a given margin (a crop keeps the margin of the picture it trims).
    pub fn with_margin(
        bounds: ([f32; 2], [f32; 2]),
        width: f32,
        height: f32,
        bottom: f32,
        margin: f32,
    ) -> Self {
        let (lo, hi) = bounds;
        let w = (hi[0] - lo[0]).max(1e-3);
        let h = (hi[1] - lo[1]).max(1e-3);
        let sx = (width - 2.0 * margin).max(10.0) / w;
        let sy = (height - 2.0 * margin - bottom).max(10.0) / h;
        let scale = sx.min(sy);
        let mut center = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
        center[1] -= bottom / 2.0 / scale;
        Self {
            center_in_world: center,
            scale,
            width,
            height,
            legend: bottom,
        }
    }

    /// Where a figure's labels may go: the picture above the legend strip, less a hairline.
    pub fn label_wall(&self) -> super::labels::Rect {
        super::labels::Rect::new(
            [2.0, 2.0],
            [self.width - 2.0, self.height - self.legend - 2.0],
        )
    }

    pub fn to_picture(&self, p: [f32; 2]) -> [f32; 2] {
        [
            self.width / 2.0 + (p[0] - self.center_in_world[0]) * self.scale,
            self.height / 2.0 - (p[1] - self.center_in_world[1]) * self.scale,
        ]
    }
}

/// The margin around the data: 40 points, less on a small picture (labels are kept inside by
/// the placer, so a projector's small canvas need not give a quarter of its height to margins).
pub fn margin(width: f32, height: f32) -> f32 {
    (0.06 * width.min(height)).clamp(12.0, 40.0)
}

/// The room the data gets in a `width × height` picture above a legend strip of `legend`.
pub fn data_room(width: f32, height: f32, legend: f32) -> (f32, f32) {
    let m = margin(width, height);
    (width - 2.0 * m, height - 2.0 * m - legend)
}

/// The fit that frames all of `frame` in `width × height`, above the legend strip.
pub fn fit_frame(frame: &Frame, width: f32, height: f32) -> Fit {
    let bounds = frame.bounds.unwrap_or(([0.0, 0.0], [1.0, 1.0]));
    Fit::new(bounds, width, height, super::legend_strip(frame, width))
}
