//! World → picture transforms: where the data goes in a canvas or a figure of a given size.

use super::{Frame, LegendRoom};

/// Height of the legend strip under the picture, as on screen, when its entries fit in three
/// rows (more rows make it taller: see [`super::legend::legend_strip`]).
pub const LEGEND_STRIP: f32 = 70.0;

/// World → picture transform: fits `bounds` into `width × height` clear of the legend's room,
/// with the same margins as the canvas. World y points up, picture y down.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Fit {
    pub center_in_world: [f32; 2],
    pub scale: f32,
    pub width: f32,
    pub height: f32,
    /// The room the legend takes: a strip along the bottom or a column at the right.
    pub legend: LegendRoom,
}

impl Fit {
    pub fn new(bounds: ([f32; 2], [f32; 2]), width: f32, height: f32, room: LegendRoom) -> Self {
        Self::with_margin(bounds, width, height, room, margin(width, height))
    }

    /// [`Fit::new`] with a given margin (a crop keeps the margin of the picture it trims).
    pub fn with_margin(
        bounds: ([f32; 2], [f32; 2]),
        width: f32,
        height: f32,
        room: LegendRoom,
        margin: f32,
    ) -> Self {
        let (lo, hi) = bounds;
        let w = (hi[0] - lo[0]).max(1e-3);
        let h = (hi[1] - lo[1]).max(1e-3);
        let sx = (width - 2.0 * margin - room.right).max(10.0) / w;
        let sy = (height - 2.0 * margin - room.bottom).max(10.0) / h;
        let scale = sx.min(sy);
        let mut center = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
        center[0] += room.right / 2.0 / scale;
        center[1] -= room.bottom / 2.0 / scale;
        Self {
            center_in_world: center,
            scale,
            width,
            height,
            legend: room,
        }
    }

    /// Where a figure's labels may go: the picture clear of the legend, less a hairline.
    pub fn label_wall(&self) -> super::labels::Rect {
        super::labels::Rect::new(
            [2.0, 2.0],
            [
                self.width - self.legend.right - 2.0,
                self.height - self.legend.bottom - 2.0,
            ],
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

/// The room the data gets in a `width × height` picture that gives `legend` its room.
pub fn data_room(width: f32, height: f32, legend: LegendRoom) -> (f32, f32) {
    let m = margin(width, height);
    (
        width - 2.0 * m - legend.right,
        height - 2.0 * m - legend.bottom,
    )
}

/// The fit that frames all of `frame` in `width × height`, clear of its legend.
pub fn fit_frame(frame: &Frame, width: f32, height: f32) -> Fit {
    let bounds = frame.bounds.unwrap_or(([0.0, 0.0], [1.0, 1.0]));
    Fit::new(
        bounds,
        width,
        height,
        super::legend_room(frame, width, height),
    )
}
