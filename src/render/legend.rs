//! Where a picture's legend goes: a strip along the bottom, or a column at the right when the
//! picture is wide enough that the data keeps more room beside it (a projector's canvas, where
//! five rows of legend under the data would take half its height). The canvas, the SVG writer
//! and the rasterizer all place it by [`legend_room`] and [`legend_layout`], so a figure puts
//! every entry where the screen does.

use super::{Frame, fit, text};

/// Legend text size, in points, on the canvas and in figures.
pub const LEGEND_FONT: f32 = 13.5;

/// The link-length colour bar's width, in points.
pub const BAR_W: f32 = 170.0;

/// One legend row's height, in points.
const ROW: f32 = 20.0;

/// The room the legend takes from a picture: a strip `bottom` tall along its bottom edge, or a
/// column `right` wide along its right edge (one of them is zero).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LegendRoom {
    pub bottom: f32,
    pub right: f32,
}

impl LegendRoom {
    /// A strip along the bottom.
    pub fn bottom(height: f32) -> Self {
        Self {
            bottom: height,
            right: 0.0,
        }
    }

    /// A column at the right.
    pub fn right(width: f32) -> Self {
        Self {
            bottom: 0.0,
            right: width,
        }
    }

    /// No legend.
    pub fn none() -> Self {
        Self::default()
    }
}

/// Where each legend entry goes in a strip whose top-left is `(left, top)`: entries flow left
/// to right and wrap before `right_limit`. `widths` are the labels' text widths, measured by
/// the backend with the font it draws in, so the canvas and a figure wrap alike. Returns each
/// entry's top-left; its marker is centred at (+6, +8), its text starts at +18.
fn legend_positions(widths: &[f32], left: f32, top: f32, right_limit: f32) -> Vec<[f32; 2]> {
    let x0 = left + 12.0;
    let (mut x, mut y) = (x0, top + 8.0);
    widths
        .iter()
        .map(|tw| {
            let w = 20.0 + tw + 18.0;
            if x + w > right_limit && x > x0 {
                x = x0;
                y += ROW;
            }
            let at = [x, y];
            x += w;
            at
        })
        .collect()
}

/// Too narrow to keep the colour bar beside the legend's entries: it goes under them.
fn bar_below(width: f32) -> bool {
    width < 2.0 * BAR_W + 80.0
}

/// Where legend entries stop in a strip `width` wide: before the colour bar beside them, or
/// at the edge when the bar goes under them.
fn strip_right_limit(width: f32) -> f32 {
    if bar_below(width) {
        width - 12.0
    } else {
        width - BAR_W - 30.0
    }
}

fn label_widths(frame: &Frame) -> Vec<f32> {
    frame
        .legend
        .iter()
        .map(|i| text::text_width(&i.label, LEGEND_FONT))
        .collect()
}

/// The bottom of the strip's last row of entries, from the strip's top.
fn rows_bottom(widths: &[f32], width: f32) -> f32 {
    let at = legend_positions(widths, 0.0, 0.0, strip_right_limit(width));
    at.iter().map(|p| p[1]).fold(0.0, f32::max) + 16.0
}

/// The height of the legend strip under a picture `width` wide: room for every row of
/// entries (and the colour bar under them on a narrow picture), at least
/// [`fit::LEGEND_STRIP`]. A narrow picture grows its strip instead of cutting the legend.
pub fn legend_strip(frame: &Frame, width: f32) -> f32 {
    strip_height(frame, &label_widths(frame), width)
}

/// [`legend_strip`] with the labels' widths already measured.
fn strip_height(frame: &Frame, widths: &[f32], width: f32) -> f32 {
    let mut h = rows_bottom(widths, width) + 6.0;
    if frame.length_scale.is_some() && bar_below(width) {
        h += 34.0;
    }
    h.max(fit::LEGEND_STRIP)
}

/// The legend as a column: its width and height (one entry a row, the colour bar under them).
fn column_size(frame: &Frame, widths: &[f32]) -> [f32; 2] {
    let mut w = widths
        .iter()
        .fold(0.0f32, |a, &t| a.max(12.0 + 18.0 + t + 12.0));
    let mut h = 8.0 + ROW * widths.len() as f32;
    if frame.length_scale.is_some() {
        w = w.max(12.0 + BAR_W + 16.0);
        h += 6.0 + 34.0;
    }
    [w, h + 6.0]
}

/// How a picture `width × height` gives room to `frame`'s legend: a column at the right when
/// the data's room beside it has a short side at least a quarter longer than under a strip
/// (and the column fits the picture's height), else a strip along the bottom. The choice
/// depends on the picture's size and the legend's entries, never on the data, so it holds
/// still from step to step.
pub fn legend_room(frame: &Frame, width: f32, height: f32) -> LegendRoom {
    let widths = label_widths(frame);
    let strip = strip_height(frame, &widths, width);
    if frame.legend.is_empty() && frame.length_scale.is_none() {
        return LegendRoom::bottom(strip);
    }
    let [cw, ch] = column_size(frame, &widths);
    let (bw, bh) = fit::data_room(width, height, LegendRoom::bottom(strip));
    let (rw, rh) = fit::data_room(width, height, LegendRoom::right(cw));
    let beside = rw.min(rh);
    if ch <= height && cw <= 0.5 * width && beside >= 1.25 * bw.min(bh) {
        LegendRoom::right(cw)
    } else {
        LegendRoom::bottom(strip)
    }
}

/// The legend laid out in a picture: its backdrop rectangle, each entry's top-left (marker
/// centred at +6, +8, text from +18) and the colour bar's top-left, all in picture points.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendLayout {
    pub min: [f32; 2],
    pub max: [f32; 2],
    pub entries: Vec<[f32; 2]>,
    pub bar: Option<[f32; 2]>,
}

/// Where `frame`'s legend goes in a picture `width × height` that gives it `room`.
pub fn legend_layout(frame: &Frame, room: LegendRoom, width: f32, height: f32) -> LegendLayout {
    let widths = label_widths(frame);
    if room.right > 0.0 {
        let left = width - room.right;
        let entries: Vec<[f32; 2]> = (0..widths.len())
            .map(|i| [left + 12.0, 8.0 + ROW * i as f32])
            .collect();
        let bar = frame
            .length_scale
            .map(|_| [left + 12.0, 8.0 + ROW * widths.len() as f32 + 6.0]);
        let bottom = column_size(frame, &widths)[1].min(height);
        return LegendLayout {
            min: [left, 0.0],
            max: [width, bottom],
            entries,
            bar,
        };
    }
    let top = height - room.bottom;
    let entries = legend_positions(&widths, 0.0, top, strip_right_limit(width));
    let bar = frame.length_scale.map(|_| {
        if bar_below(width) {
            [12.0, top + rows_bottom(&widths, width) + 6.0]
        } else {
            [width - BAR_W - 16.0, top + 10.0]
        }
    });
    LegendLayout {
        min: [0.0, top],
        max: [width, height],
        entries,
        bar,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::{Rgba, Shape, legend};

    fn frame(entries: usize) -> Frame {
        Frame {
            legend: (0..entries)
                .map(|i| {
                    legend(
                        Shape::Circle,
                        Rgba([255, 255, 255, 255]),
                        true,
                        &format!("entry number {i}"),
                    )
                })
                .collect(),
            length_scale: Some((0.1, 0.9)),
            ..Frame::default()
        }
    }

    #[test]
    fn a_wide_short_picture_puts_a_long_legend_beside_the_data() {
        let f = frame(5);
        let room = legend_room(&f, 475.0, 273.0);
        assert!(room.right > 0.0 && room.bottom == 0.0, "{room:?}");
        let lay = legend_layout(&f, room, 475.0, 273.0);
        assert!(lay.entries.iter().all(|p| p[0] >= 475.0 - room.right));
        assert!(lay.bar.is_some_and(|b| b[1] + 34.0 <= 273.0));
    }

    #[test]
    fn a_tall_picture_keeps_the_strip() {
        let f = frame(3);
        let room = legend_room(&f, 800.0, 800.0);
        assert_eq!(room.right, 0.0);
        assert_eq!(room.bottom, legend_strip(&f, 800.0));
    }
}
