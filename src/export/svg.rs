//! SVG: true vector output (lines, circles, polygons, text as text) of one frame.

use std::collections::BTreeSet;
use std::fmt::Write;

use crate::render::{Frame, LEGEND_FONT, Palette, Prim, Rgba, Shape, labels};

pub use crate::render::fit::{Fit, LEGEND_STRIP, fit_frame};

fn hex(c: Rgba) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0[0], c.0[1], c.0[2])
}

fn opacity(c: Rgba) -> String {
    format!("{:.3}", c.0[3] as f32 / 255.0)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// ` stroke-dasharray="…"` for a dashed stroke, nothing for a solid one.
fn dash_attr(dashed: bool, pattern: &str) -> String {
    if dashed {
        format!(r#" stroke-dasharray="{pattern}""#)
    } else {
        String::new()
    }
}

fn points_attr(pts: &[[f32; 2]]) -> String {
    pts.iter()
        .map(|p| format!("{:.2},{:.2}", p[0], p[1]))
        .collect::<Vec<_>>()
        .join(" ")
}

fn paint_attrs(fill: Option<Rgba>, stroke: Option<(f32, Rgba)>) -> String {
    let mut s = match fill {
        Some(f) => format!(r#"fill="{}" fill-opacity="{}""#, hex(f), opacity(f)),
        None => r#"fill="none""#.to_string(),
    };
    if let Some((w, c)) = stroke {
        let _ = write!(
            s,
            r#" stroke="{}" stroke-opacity="{}" stroke-width="{w:.2}""#,
            hex(c),
            opacity(c)
        );
    }
    s
}

fn marker(
    out: &mut String,
    c: [f32; 2],
    r: f32,
    shape: Shape,
    fill: Option<Rgba>,
    stroke: Option<(f32, Rgba)>,
) {
    match shape {
        Shape::Circle => {
            let _ = writeln!(
                out,
                r#"<circle cx="{:.2}" cy="{:.2}" r="{r:.2}" {}/>"#,
                c[0],
                c[1],
                paint_attrs(fill, stroke)
            );
        }
        Shape::Cross => {
            let col = fill
                .or(stroke.map(|s| s.1))
                .unwrap_or(Rgba::rgb(128, 128, 128));
            let w = stroke.map_or(r * 0.5, |s| s.0).max(1.5);
            for (a, b) in [([-r, -r], [r, r]), ([-r, r], [r, -r])] {
                let _ = writeln!(
                    out,
                    r#"<line x1="{:.2}" y1="{:.2}" x2="{:.2}" y2="{:.2}" stroke="{}" stroke-opacity="{}" stroke-width="{w:.2}"/>"#,
                    c[0] + a[0],
                    c[1] + a[1],
                    c[0] + b[0],
                    c[1] + b[1],
                    hex(col),
                    opacity(col)
                );
            }
        }
        _ => {
            let _ = writeln!(
                out,
                r#"<polygon points="{}" {} stroke-linejoin="round"/>"#,
                points_attr(&shape.outline(c, r, 0)),
                paint_attrs(fill, stroke)
            );
        }
    }
}

/// How a figure's text is written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SvgText {
    /// `<text>`, editable, with the glyphs it uses embedded as fonts (`@font-face` with a
    /// data URI): the same letters in any browser, whatever fonts the machine has.
    #[default]
    Embedded,
    /// The glyphs as outlines (paths): the same pixels in every renderer, including those
    /// that ignore embedded fonts (librsvg, Inkscape), but no longer editable as text.
    Paths,
    /// `<text>` naming the fonts without embedding them: for the program's own rasterizer,
    /// which has them built in.
    Named,
}

impl SvgText {
    pub fn label(self) -> &'static str {
        match self {
            SvgText::Embedded => "text with embedded fonts",
            SvgText::Paths => "text as outlines",
            SvgText::Named => "text naming the fonts",
        }
    }
}

/// Writes `frame` as an SVG picture of `width × height` points, with the legend where the
/// screen puts it (a strip along the bottom, or a column at the right). `background` `None` leaves it transparent.
pub fn to_svg(
    frame: &Frame,
    width: f32,
    height: f32,
    background: Option<Rgba>,
    palette: &Palette,
) -> String {
    to_svg_with(frame, fit_frame(frame, width, height), background, palette)
}

/// Writes `frame` as SVG through a given world → picture transform (e.g. the canvas's own
/// pan and zoom), so the figure frames the data exactly as the screen does.
pub fn to_svg_with(frame: &Frame, fit: Fit, background: Option<Rgba>, palette: &Palette) -> String {
    to_svg_captioned(frame, fit, background, palette, None, SvgText::Named)
}

/// Every character the figure's text may use: labels, legend, colour bar and caption.
fn characters(frame: &Frame, caption: Option<&Caption>) -> BTreeSet<char> {
    let mut chars: BTreeSet<char> = "link length 0123456789.… -".chars().collect();
    for p in &frame.prims {
        if let Prim::Text { text, .. } = p {
            chars.extend(text.chars());
        }
    }
    for item in &frame.legend {
        chars.extend(item.label.chars());
    }
    for line in caption.iter().flat_map(|c| c.lines.iter()) {
        chars.extend(line.chars());
    }
    chars
}

/// The `@font-face` rules that embed the glyphs of `chars`, and the font-family list naming
/// them first.
fn embedded_fonts(chars: &BTreeSet<char>) -> (String, String) {
    use base64::Engine;
    let mut style = String::new();
    let mut families = String::new();
    for sub in super::font::subsets(chars) {
        let _ = writeln!(
            style,
            "@font-face {{ font-family: '{}'; src: url(data:font/ttf;base64,{}) format('truetype'); }}",
            sub.family,
            base64::engine::general_purpose::STANDARD.encode(&sub.ttf)
        );
        let _ = write!(families, "'{}', ", sub.family);
    }
    (style, families)
}

/// Lines of text under a figure (the step and its narration), and their size in points.
#[derive(Clone, Debug, PartialEq)]
pub struct Caption {
    pub lines: Vec<String>,
    pub size: f32,
}

impl Caption {
    /// `title` then `text` wrapped to `width` points at `size`, by the figure font's metrics.
    pub fn wrapped(title: &str, text: &str, width: f32, size: f32) -> Self {
        let mut lines = vec![title.to_string()];
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && crate::render::text::text_width(&candidate, size) > width {
                lines.push(std::mem::take(&mut line));
                line = word.to_string();
            } else {
                line = candidate;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        Self { lines, size }
    }

    /// The height the caption adds under the picture.
    pub fn height(&self) -> f32 {
        if self.lines.is_empty() {
            0.0
        } else {
            self.lines.len() as f32 * self.size * 1.35 + self.size
        }
    }
}

/// [`to_svg_with`], with a caption under the picture (the picture grows by its height).
pub fn to_svg_captioned(
    frame: &Frame,
    fit: Fit,
    background: Option<Rgba>,
    palette: &Palette,
    caption: Option<&Caption>,
    text: SvgText,
) -> String {
    let (width, height) = (fit.width, fit.height);
    let total = height + caption.map_or(0.0, Caption::height);
    let (style, families) = match text {
        SvgText::Embedded => embedded_fonts(&characters(frame, caption)),
        _ => (String::new(), String::new()),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total}" viewBox="0 0 {width} {total}" font-family="{families}Ubuntu, 'DejaVu Sans', sans-serif">"#
    );
    if !style.is_empty() {
        let _ = writeln!(out, "<defs><style>\n{style}</style></defs>");
    }
    if let Some(bg) = background {
        let _ = writeln!(
            out,
            r#"<rect x="0" y="0" width="{width}" height="{total}" fill="{}" fill-opacity="{}"/>"#,
            hex(bg),
            opacity(bg)
        );
    }
    for prim in &frame.prims {
        match prim {
            Prim::Line {
                a_in_world,
                b_in_world,
                width: w,
                color,
                dashed,
            } => {
                let (a, b) = (fit.to_picture(*a_in_world), fit.to_picture(*b_in_world));
                let _ = writeln!(
                    out,
                    r#"<line x1="{:.2}" y1="{:.2}" x2="{:.2}" y2="{:.2}" stroke="{}" stroke-opacity="{}" stroke-width="{w:.2}" stroke-linecap="butt"{}/>"#,
                    a[0],
                    a[1],
                    b[0],
                    b[1],
                    hex(*color),
                    opacity(*color),
                    dash_attr(*dashed, "6 4")
                );
            }
            Prim::WorldCircle {
                center_in_world,
                radius_in_world,
                width: w,
                color,
                dashed,
            } => {
                let c = fit.to_picture(*center_in_world);
                let _ = writeln!(
                    out,
                    r#"<circle cx="{:.2}" cy="{:.2}" r="{:.2}" fill="none" stroke="{}" stroke-opacity="{}" stroke-width="{w:.2}"{}/>"#,
                    c[0],
                    c[1],
                    radius_in_world * fit.scale,
                    hex(*color),
                    opacity(*color),
                    dash_attr(*dashed, "8 8")
                );
            }
            Prim::Marker {
                pos_in_world,
                radius,
                shape,
                fill,
                stroke,
            } => marker(
                &mut out,
                fit.to_picture(*pos_in_world),
                *radius,
                *shape,
                *fill,
                *stroke,
            ),
            Prim::Polygon {
                points_in_world,
                fill,
                stroke,
            } => {
                let pts: Vec<[f32; 2]> =
                    points_in_world.iter().map(|p| fit.to_picture(*p)).collect();
                let _ = writeln!(
                    out,
                    r#"<polygon points="{}" {}/>"#,
                    points_attr(&pts),
                    paint_attrs(Some(*fill), *stroke)
                );
            }
            Prim::Image {
                min_in_world,
                max_in_world,
                picture,
            } => {
                let a = fit.to_picture([min_in_world[0], max_in_world[1]]);
                let b = fit.to_picture([max_in_world[0], min_in_world[1]]);
                let raster = super::raster::Raster {
                    width: picture.width,
                    height: picture.height,
                    rgba: picture.rgba.clone(),
                };
                if let Ok(png) = super::raster::encode_png(&raster) {
                    use base64::Engine;
                    let _ = writeln!(
                        out,
                        r#"<image x="{:.2}" y="{:.2}" width="{:.2}" height="{:.2}" preserveAspectRatio="none" href="data:image/png;base64,{}"/>"#,
                        a[0],
                        a[1],
                        b[0] - a[0],
                        b[1] - a[1],
                        base64::engine::general_purpose::STANDARD.encode(png)
                    );
                }
            }
            // Labels go last, over everything, where the placer puts them.
            Prim::Text { .. } => {}
        }
    }
    labels(&mut out, frame, &fit);
    legend(&mut out, frame, &fit, palette);
    if let Some(c) = caption {
        for (i, line) in c.lines.iter().enumerate() {
            let _ = writeln!(
                out,
                r#"<text x="16" y="{:.2}" font-size="{:.1}" fill="{}"{}>{}</text>"#,
                height + c.size * (1.2 + 1.35 * i as f32),
                c.size,
                hex(palette.text),
                if i == 0 { r#" font-weight="bold""# } else { "" },
                escape(line)
            );
        }
    }
    out.push_str("</svg>\n");
    out
}

/// Every label where the shared placer puts it (clear of each other, inside the picture
/// clear of the legend), with its leader line when it moved away from its anchor.
fn labels(out: &mut String, frame: &Frame, fit: &Fit) {
    let placed = labels::place(frame, &|p| fit.to_picture(p), fit.label_wall());
    for l in &placed {
        if let (Some((a, b)), Prim::Text { color, .. }) = (l.leader, &frame.prims[l.prim]) {
            let _ = writeln!(
                out,
                r#"<line x1="{:.2}" y1="{:.2}" x2="{:.2}" y2="{:.2}" stroke="{}" stroke-opacity="{:.3}" stroke-width="1"/>"#,
                a[0],
                a[1],
                b[0],
                b[1],
                hex(*color),
                color.0[3] as f32 / 255.0 * 0.6
            );
        }
    }
    for l in &placed {
        if let Prim::Text {
            text, size, color, ..
        } = &frame.prims[l.prim]
        {
            // The baseline placed by hand (0.35 em below the middle): renderers disagree on
            // dominant-baseline.
            let c = l.rect.center();
            let _ = writeln!(
                out,
                r#"<text x="{:.2}" y="{:.2}" font-size="{size:.1}" fill="{}" fill-opacity="{}" text-anchor="middle">{}</text>"#,
                c[0],
                c[1] + 0.35 * size,
                hex(*color),
                opacity(*color),
                escape(text)
            );
        }
    }
}

/// The legend and the link-length colour bar, laid out as on screen.
fn legend(out: &mut String, frame: &Frame, fit: &Fit, palette: &Palette) {
    let lay = crate::render::legend_layout(frame, fit.legend, fit.width, fit.height);
    let _ = writeln!(
        out,
        r#"<rect x="{}" y="{:.2}" width="{}" height="{}" fill="{}" fill-opacity="0.84"/>"#,
        lay.min[0],
        lay.min[1],
        lay.max[0] - lay.min[0],
        lay.max[1] - lay.min[1],
        hex(palette.background)
    );
    let bar_w = crate::render::BAR_W;
    for (item, [x, y]) in frame.legend.iter().zip(lay.entries) {
        let (fill, stroke) = item.paint();
        marker(out, [x + 6.0, y + 8.0], 5.5, item.shape, fill, stroke);
        let _ = writeln!(
            out,
            r#"<text x="{:.2}" y="{:.2}" font-size="{LEGEND_FONT}" fill="{}">{}</text>"#,
            x + 18.0,
            y + 8.0 + 0.35 * LEGEND_FONT,
            hex(palette.text),
            escape(&item.label)
        );
    }
    if let (Some((lo, hi)), Some([bx, by])) = (frame.length_scale, lay.bar) {
        let _ = writeln!(out, r#"<defs><linearGradient id="ramp">"#);
        for (i, c) in palette.ramp.iter().enumerate() {
            let _ = writeln!(
                out,
                r#"<stop offset="{:.3}" stop-color="{}"/>"#,
                i as f32 / (palette.ramp.len() - 1) as f32,
                hex(*c)
            );
        }
        let _ = writeln!(out, r#"</linearGradient></defs>"#);
        let _ = writeln!(
            out,
            r#"<rect x="{bx:.2}" y="{by:.2}" width="{bar_w}" height="10" fill="url(#ramp)"/>"#
        );
        let _ = writeln!(
            out,
            r#"<text x="{bx:.2}" y="{:.2}" font-size="13.5" fill="{}">link length {lo:.2} … {hi:.2}</text>"#,
            by + 14.0 + 0.8 * 13.5,
            hex(palette.text)
        );
    }
}
