//! A [`Chart`] as an SVG document (and, through [`super::raster`], PNG): axes with log or
//! linear ticks, a grid, each series as a polyline with markers, a legend and a note.

use std::fmt::Write;

use crate::render::Rgba;
use crate::render::chart::{Chart, ticks};

fn hex(c: Rgba) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0[0], c.0[1], c.0[2])
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The chart as SVG, `width` × `height` user units, dark text on white.
pub fn to_svg(chart: &Chart, width: f32, height: f32) -> String {
    let (w, h) = (width.max(320.0) as f64, height.max(240.0) as f64);
    let legend_rows = chart.series.len().div_ceil(3).max(1) as f64;
    let (left, right, top) = (78.0, 24.0, 48.0);
    let bottom = 70.0 + 20.0 * legend_rows;
    let (pw, ph) = (w - left - right, h - top - bottom);
    let mut s = String::new();
    let font = "font-family=\"Ubuntu, 'DejaVu Sans', sans-serif\"";
    let _ = write!(
        s,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">\n<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n"
    );
    let _ = writeln!(
        s,
        "<text x=\"{left}\" y=\"28\" {font} font-size=\"18\" fill=\"#222\">{}</text>",
        esc(&chart.title)
    );
    // The plotted range as the canvas draws it (a margin, and a unit where there is no spread).
    let Some((lo, hi)) = crate::render::chart::padded(chart) else {
        let _ = writeln!(
            s,
            "<text x=\"{}\" y=\"{}\" {font} font-size=\"14\" fill=\"#666\" text-anchor=\"middle\">no measurements yet</text>\n</svg>",
            w / 2.0,
            h / 2.0
        );
        return s;
    };
    let sx = |x: f64| left + (x - lo[0]) / (hi[0] - lo[0]) * pw;
    let sy = |y: f64| top + ph - (y - lo[1]) / (hi[1] - lo[1]) * ph;
    // Grid and ticks.
    for (v, label) in ticks(lo[0], hi[0], chart.x_log) {
        let x = sx(v);
        let _ = writeln!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{top}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#e4e4e4\"/><text x=\"{x:.1}\" y=\"{:.1}\" {font} font-size=\"12\" fill=\"#444\" text-anchor=\"middle\">{}</text>",
            top + ph,
            top + ph + 16.0,
            esc(&label)
        );
    }
    for (v, label) in ticks(lo[1], hi[1], chart.y_log) {
        let y = sy(v);
        let _ = writeln!(
            s,
            "<line x1=\"{left}\" y1=\"{y:.1}\" x2=\"{:.1}\" y2=\"{y:.1}\" stroke=\"#e4e4e4\"/><text x=\"{:.1}\" y=\"{:.1}\" {font} font-size=\"12\" fill=\"#444\" text-anchor=\"end\">{}</text>",
            left + pw,
            left - 6.0,
            y + 4.0,
            esc(&label)
        );
    }
    let _ = writeln!(
        s,
        "<rect x=\"{left}\" y=\"{top}\" width=\"{pw:.1}\" height=\"{ph:.1}\" fill=\"none\" stroke=\"#888\"/>"
    );
    let scale = |log: bool| if log { " (log scale)" } else { "" };
    let _ = writeln!(
        s,
        "<text x=\"{:.1}\" y=\"{:.1}\" {font} font-size=\"13\" fill=\"#222\" text-anchor=\"middle\">{}{}</text>",
        left + pw / 2.0,
        top + ph + 36.0,
        esc(&chart.x_label),
        scale(chart.x_log)
    );
    let _ = writeln!(
        s,
        "<text transform=\"translate(18 {:.1}) rotate(-90)\" {font} font-size=\"13\" fill=\"#222\" text-anchor=\"middle\">{}{}</text>",
        top + ph / 2.0,
        esc(&chart.y_label),
        scale(chart.y_log)
    );
    // Series.
    for series in &chart.series {
        let c = hex(series.color);
        let pts: Vec<String> = series
            .points
            .iter()
            .map(|p| {
                let q = chart.to_plot(*p);
                format!("{:.1},{:.1}", sx(q[0]), sy(q[1]))
            })
            .collect();
        let (width, dash) = if series.reference {
            (1.5, " stroke-dasharray=\"6 4\"")
        } else if series.frontier {
            (3.0, "")
        } else {
            (1.8, "")
        };
        if pts.len() > 1 && series.joined {
            let _ = writeln!(
                s,
                "<polyline points=\"{}\" fill=\"none\" stroke=\"{c}\" stroke-width=\"{width}\"{dash} stroke-opacity=\"{}\"/>",
                pts.join(" "),
                if series.frontier { 0.55 } else { 1.0 }
            );
        }
        if !series.reference && !series.frontier {
            for (p, hover) in series.points.iter().zip(&series.hover) {
                let q = chart.to_plot(*p);
                let _ = writeln!(
                    s,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"{c}\" stroke=\"#222\" stroke-width=\"0.6\"><title>{}</title></circle>",
                    sx(q[0]),
                    sy(q[1]),
                    esc(hover)
                );
            }
        }
    }
    // Legend, three entries a row, and the note.
    let col = pw / 3.0;
    for (i, series) in chart.series.iter().enumerate() {
        let x = left + (i % 3) as f64 * col;
        let y = top + ph + 58.0 + (i / 3) as f64 * 20.0;
        let c = hex(series.color);
        let dash = if series.reference {
            " stroke-dasharray=\"6 4\""
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{c}\" stroke-width=\"3\"{dash}/><text x=\"{:.1}\" y=\"{:.1}\" {font} font-size=\"12\" fill=\"#222\">{}</text>",
            y - 4.0,
            x + 22.0,
            y - 4.0,
            x + 28.0,
            y,
            esc(&series.name)
        );
    }
    let _ = writeln!(
        s,
        "<text x=\"{left}\" y=\"{:.1}\" {font} font-size=\"12\" fill=\"#555\" font-style=\"italic\">{}</text>\n</svg>",
        h - 10.0,
        esc(&chart.note)
    );
    s
}

/// Writes the chart to `out`: SVG, or PNG (the same SVG rasterized at 2×) by the extension.
pub fn write(chart: &Chart, out: &std::path::Path) -> Result<(), String> {
    let svg = to_svg(chart, 960.0, 640.0);
    let ext = out
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let bytes = match ext.as_str() {
        "svg" => svg.into_bytes(),
        "png" => {
            let r = super::raster::rasterize(&svg, 2.0).map_err(|e| e.to_string())?;
            super::raster::encode_png(&r).map_err(|e| e.to_string())?
        }
        _ => return Err(format!("{}: a plot is .svg or .png", out.display())),
    };
    std::fs::write(out, bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))
}
