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
        (a..=b)
            .map(|e| (e as f64, power_label(e)))
            .filter(|(v, _)| *v >= lo - 1e-9 && *v <= hi + 1e-9)
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

/// 10^e as people read it: 1, 10, 100, 1k, 10k, 100k, 1M, or 0.01.
pub fn power_label(e: i32) -> String {
    match e {
        0..=2 => format!("{}", 10i64.pow(e as u32)),
        3..=5 => format!("{}k", 10i64.pow(e as u32 - 3)),
        6..=8 => format!("{}M", 10i64.pow(e as u32 - 6)),
        9..=11 => format!("{}G", 10i64.pow(e as u32 - 9)),
        _ => format!("1e{e}"),
    }
}
