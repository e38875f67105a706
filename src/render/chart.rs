//! A chart as data — axes, scales, series with their colours — which the lab's plots produce
//! and the backends draw (egui_plot in the window, the SVG backend, as SVG/PNG).

use super::Rgba;

/// One curve of a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: String,
    pub color: Rgba,
    /// (x, y), in data units, sorted by x.
    pub points: Vec<[f64; 2]>,
    /// What hovering each point says (empty for lines without points).
    pub hover: Vec<String>,
    /// A reference line (e.g. y = n): dashed, thin, no markers.
    pub reference: bool,
    /// A frontier: thick, no markers.
    pub frontier: bool,
    /// Points joined by a line (a curve against n); a scatter when false.
    pub joined: bool,
    /// Error bars: ± this much around each point's y (in data units); empty for none.
    pub errors: Vec<f64>,
}

/// A chart: title, axes (log or linear), a note, and its series.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    pub title: String,
    pub x_label: String,
    pub y_label: String,
    pub x_log: bool,
    pub y_log: bool,
    pub note: String,
    pub series: Vec<Series>,
}

impl Chart {
    /// The data's range along x and y (of the plotted values, logs taken on log axes).
    pub fn bounds(&self) -> Option<([f64; 2], [f64; 2])> {
        let mut lo = [f64::INFINITY; 2];
        let mut hi = [f64::NEG_INFINITY; 2];
        for s in &self.series {
            for p in &s.points {
                let v = self.to_plot(*p);
                for a in 0..2 {
                    lo[a] = lo[a].min(v[a]);
                    hi[a] = hi[a].max(v[a]);
                }
            }
        }
        (lo[0].is_finite() && lo[1].is_finite()).then_some((lo, hi))
    }

    /// A data point in plot units (log10 on a log axis).
    pub fn to_plot(&self, p: [f64; 2]) -> [f64; 2] {
        [
            if self.x_log { p[0].log10() } else { p[0] },
            if self.y_log { p[1].log10() } else { p[1] },
        ]
    }
}

/// Tick positions (in plot units) and their labels for an axis spanning `lo..hi`.
pub fn ticks(lo: f64, hi: f64, log: bool) -> Vec<(f64, String)> {
    if log {
        let (a, b) = (lo.floor() as i32, hi.ceil() as i32);
        let inside = |v: f64| v >= lo - 1e-9 && v <= hi + 1e-9;
        let decades: Vec<(f64, String)> = (a..=b)
            .map(|e| (e as f64, power_label(e)))
            .filter(|(v, _)| inside(*v))
            .collect();
        if decades.len() >= 2 {
            return decades;
        }
        // Less than a decade: 1, 2 and 5 of each decade, so the axis still reads.
        (a..=b)
            .flat_map(|e| [1.0, 2.0, 5.0].map(|m| (e as f64 + f64::log10(m), m * 10f64.powi(e))))
            .filter(|(v, _)| inside(*v))
            .map(|(v, x)| (v, value_label(x)))
            .collect()
    } else {
        let span = (hi - lo).max(1e-12);
        let raw = span / 5.0;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .into_iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw)
            .unwrap_or(mag * 10.0);
        let first = (lo / step).ceil() as i64;
        let last = (hi / step).floor() as i64;
        (first..=last)
            .map(|i| {
                let v = i as f64 * step;
                let decimals = (-step.log10().floor()).max(0.0) as usize + 1;
                let s = format!("{v:.decimals$}");
                let s = if s.contains('.') {
                    s.trim_end_matches('0').trim_end_matches('.').to_string()
                } else {
                    s
                };
                (v, s)
            })
            .collect()
    }
}

/// A value as a tick reads it: 2k, 500, 0.05, 3M.
pub fn value_label(x: f64) -> String {
    let trim = |v: f64| {
        let s = format!("{v:.2}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let a = x.abs();
    if a >= 1e9 {
        format!("{}G", trim(x / 1e9))
    } else if a >= 1e6 {
        format!("{}M", trim(x / 1e6))
    } else if a >= 1e3 {
        format!("{}k", trim(x / 1e3))
    } else if a >= 1.0 || a == 0.0 {
        trim(x)
    } else {
        format!("{}", (x * 1e6).round() / 1e6)
    }
}

/// 10^e as people read it: 1, 10, 100, 1k, 10k, 100k, 1M, or 0.01.
pub fn power_label(e: i32) -> String {
    match e {
        -6..=-1 => value_label(10f64.powi(e)),
        0..=2 => format!("{}", 10i64.pow(e as u32)),
        3..=5 => format!("{}k", 10i64.pow(e as u32 - 3)),
        6..=8 => format!("{}M", 10i64.pow(e as u32 - 6)),
        9..=11 => format!("{}G", 10i64.pow(e as u32 - 9)),
        _ => format!("1e{e}"),
    }
}

/// Colours of a chart drawn as primitives.
#[derive(Clone, Copy, Debug)]
pub struct ChartLook {
    pub text: Rgba,
    pub faint: Rgba,
    pub grid: Rgba,
    /// Text size in points (the presenter's is larger).
    pub size: f32,
}

impl ChartLook {
    /// A chart's look in a scene's palette and style (the presenter's text is larger).
    pub fn of(palette: super::Palette, style: super::Style) -> Self {
        Self {
            text: palette.text,
            faint: palette.point,
            grid: palette.point_faint.with_alpha(110),
            size: style.label_size.max(12.0) * 1.1,
        }
    }
}

/// The plotted range with a margin: the data's bounds widened by 5 % (a tenth of a decade on
/// a log axis), and to a unit where the data has no extent.
pub fn padded(chart: &Chart) -> Option<([f64; 2], [f64; 2])> {
    let (mut lo, mut hi) = chart.bounds()?;
    for a in 0..2 {
        let log = if a == 0 { chart.x_log } else { chart.y_log };
        if hi[a] - lo[a] < 1e-9 {
            lo[a] -= 0.5;
            hi[a] += 0.5;
        }
        let pad = if log { 0.08 } else { (hi[a] - lo[a]) * 0.05 };
        lo[a] -= pad;
        hi[a] += pad;
    }
    Some((lo, hi))
}

/// The chart as primitives in a world of its own: the plot area is `[0, aspect] × [0, 1]`
/// (so it fills a canvas of that shape), with ticks and axis titles around it and the series
/// in the frame's legend (the title is left to the narration). The canvas, presenter mode and figures draw it like any
/// scene's frame.
pub fn to_frame(chart: &Chart, aspect: f32, look: ChartLook) -> super::Frame {
    use super::{Anchor, Place, Prim, Shape, legend};
    let mut f = super::Frame::default();
    let w = aspect.clamp(0.6, 4.0) as f64;
    let Some((lo, hi)) = padded(chart) else {
        return f;
    };
    let to = |p: [f64; 2]| -> [f32; 2] {
        [
            ((p[0] - lo[0]) / (hi[0] - lo[0]) * w) as f32,
            ((p[1] - lo[1]) / (hi[1] - lo[1])) as f32,
        ]
    };
    let text = |f: &mut super::Frame, at: [f32; 2], s: String, anchor, size: f32, color| {
        f.prims.push(Prim::Text {
            pos_in_world: at,
            text: s,
            size,
            color,
            anchor,
            gap: 4.0,
            place: Place::Pinned,
        });
    };
    let line = |f: &mut super::Frame, a: [f32; 2], b: [f32; 2], width, color, dashed| {
        f.prims.push(Prim::Line {
            a_in_world: a,
            b_in_world: b,
            width,
            color,
            dashed,
        });
    };
    let w32 = w as f32;
    for (v, label) in ticks(lo[0], hi[0], chart.x_log) {
        let x = to([v, lo[1]])[0];
        line(&mut f, [x, 0.0], [x, 1.0], 1.0, look.grid, false);
        text(
            &mut f,
            [x, 0.0],
            label,
            Anchor::Below,
            look.size * 0.85,
            look.faint,
        );
    }
    for (v, label) in ticks(lo[1], hi[1], chart.y_log) {
        let y = to([lo[0], v])[1];
        line(&mut f, [0.0, y], [w32, y], 1.0, look.grid, false);
        text(
            &mut f,
            [0.0, y],
            label,
            Anchor::Left,
            look.size * 0.85,
            look.faint,
        );
    }
    for (a, b) in [
        ([0.0, 0.0], [w32, 0.0]),
        ([0.0, 0.0], [0.0, 1.0]),
        ([w32, 0.0], [w32, 1.0]),
        ([0.0, 1.0], [w32, 1.0]),
    ] {
        line(&mut f, a, b, 1.2, look.faint, false);
    }
    // One line over the plot names both axes (the title is the narration's, or a figure's
    // caption's): the room under the x ticks stays free on a small projector.
    let scale = |log: bool| if log { " (log)" } else { "" };
    text(
        &mut f,
        [0.0, 1.06],
        format!(
            "↑ {}{}   → {}{}",
            chart.y_label,
            scale(chart.y_log),
            chart.x_label,
            scale(chart.x_log)
        ),
        Anchor::Right,
        look.size,
        look.text,
    );
    for s in &chart.series {
        let pts: Vec<[f32; 2]> = s.points.iter().map(|p| to(chart.to_plot(*p))).collect();
        if s.joined {
            let width = if s.frontier {
                4.0
            } else if s.reference {
                1.5
            } else {
                2.2
            };
            let color = if s.frontier {
                s.color.with_alpha(150)
            } else {
                s.color
            };
            for p in pts.windows(2) {
                line(&mut f, p[0], p[1], width, color, s.reference);
            }
        }
        for (p, e) in s.points.iter().zip(&s.errors) {
            let (a, b) = ([p[0], p[1] - e], [p[0], p[1] + e]);
            // A bar reaching below zero on a log axis stops at the plot's floor.
            let lo_y = if chart.y_log && a[1] <= 0.0 {
                0.0
            } else {
                to(chart.to_plot(a))[1]
            };
            let top = to(chart.to_plot(b));
            line(
                &mut f,
                [top[0], lo_y.max(0.0)],
                [top[0], top[1].min(1.0)],
                1.5,
                s.color,
                false,
            );
        }
        if !s.reference && !s.frontier {
            for &p in &pts {
                f.prims.push(Prim::Marker {
                    pos_in_world: p,
                    radius: look.size * 0.32,
                    shape: Shape::Circle,
                    fill: Some(s.color),
                    stroke: Some((1.0, look.grid)),
                });
            }
        }
        if !s.frontier {
            f.legend
                .push(legend(Shape::Circle, s.color, !s.reference, &s.name));
        }
    }
    // Room for the tick labels and the axes' line, whose sizes are in points: enough for a
    // presenter's 20-point text on a 300-point-high canvas.
    f.bounds = Some(([-0.02 * w32, -0.22], [w32 * 1.01, 1.14]));
    f
}

/// The data point of `chart` nearest to `pos_in_world` (in [`to_frame`]'s world) within
/// `radius`, as (series, index).
pub fn point_near(
    chart: &Chart,
    aspect: f32,
    pos_in_world: [f32; 2],
    radius: f32,
) -> Option<(usize, usize)> {
    let (lo, hi) = padded(chart)?;
    let w = aspect.clamp(0.6, 4.0) as f64;
    let mut best: Option<((usize, usize), f32)> = None;
    for (si, s) in chart.series.iter().enumerate() {
        if s.reference || s.frontier {
            continue;
        }
        for (pi, p) in s.points.iter().enumerate() {
            let q = chart.to_plot(*p);
            let x = ((q[0] - lo[0]) / (hi[0] - lo[0]) * w) as f32;
            let y = ((q[1] - lo[1]) / (hi[1] - lo[1])) as f32;
            let d = ((x - pos_in_world[0]).powi(2) + (y - pos_in_world[1]).powi(2)).sqrt();
            if d <= radius && best.is_none_or(|b| d < b.1) {
                best = Some(((si, pi), d));
            }
        }
    }
    best.map(|b| b.0)
}
