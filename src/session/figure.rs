//! Figures from scene files, the one path for every export: the window's File menu and the
//! `render` and `animate` commands build the scene from a `SceneFile`, seek the step, take the
//! frame the canvas would paint and write it as SVG, or rasterize that SVG to PNG, GIF or APNG.
//! No window, no GPU; progress and cancel for long jobs; files written atomically.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use super::Session;
use super::scene_file::{SceneError, SceneFile, Step, write_atomic};
use crate::export::raster::{self, AnimFormat, AnimationEncoder, Raster, RasterError};
pub use crate::export::svg::SvgText;
use crate::export::svg::{self, Fit};
use crate::render::Look;
use crate::trace::player::Command;

/// The canvas's pan and zoom, kept so a figure frames the data as the screen did.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SavedView {
    pub center_in_world: [f32; 2],
    /// Screen points per world unit.
    pub scale: f32,
    /// The canvas size (points) the view was seen in.
    pub width: f32,
    pub height: f32,
    /// The shape the scene was laid out for on the canvas (the stacked HNSW layers), so a
    /// figure through this view lays it out the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aspect: Option<f32>,
}

impl SavedView {
    /// The same world rectangle in a picture of another size (the tighter side decides).
    pub fn fit_to(&self, width: f32, height: f32) -> Fit {
        let k = (width / self.width.max(1.0)).min(height / self.height.max(1.0));
        Fit {
            center_in_world: self.center_in_world,
            scale: self.scale * k,
            width,
            height,
            legend: crate::render::LegendRoom::bottom(svg::LEGEND_STRIP),
        }
    }
}

/// File formats a figure can be written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FigureFormat {
    Svg,
    Png,
    Gif,
    Apng,
}

impl FigureFormat {
    pub const ALL: [FigureFormat; 4] = [
        FigureFormat::Png,
        FigureFormat::Svg,
        FigureFormat::Gif,
        FigureFormat::Apng,
    ];

    pub fn label(self) -> &'static str {
        match self {
            FigureFormat::Svg => "SVG (vector)",
            FigureFormat::Png => "PNG",
            FigureFormat::Gif => "GIF (animated)",
            FigureFormat::Apng => "APNG (animated)",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FigureFormat::Svg => "svg",
            FigureFormat::Png => "png",
            FigureFormat::Gif => "gif",
            FigureFormat::Apng => "apng",
        }
    }

    pub fn animated(self) -> bool {
        matches!(self, FigureFormat::Gif | FigureFormat::Apng)
    }

    /// The format a file name asks for. `animated` reads `.png` as APNG (for `animate`).
    pub fn from_path(path: &Path, animated: bool) -> Result<Self, FigureError> {
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let f = match ext.as_str() {
            "svg" => FigureFormat::Svg,
            "png" if animated => FigureFormat::Apng,
            "png" => FigureFormat::Png,
            "gif" => FigureFormat::Gif,
            "apng" => FigureFormat::Apng,
            _ => {
                return Err(FigureError::Format(format!(
                    "cannot tell the format from '{}': use .svg, .png, .gif or .apng",
                    path.display()
                )));
            }
        };
        if f.animated() != animated {
            return Err(FigureError::Format(if animated {
                format!(
                    "'{}' is a still picture; an animation is .gif, .apng or .png",
                    path.display()
                )
            } else {
                format!(
                    "'{}' is an animation; use 'animate' (or the Animation export) for it",
                    path.display()
                )
            }));
        }
        Ok(f)
    }
}

/// How a figure looks and how big it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub scene: SceneFile,
    pub look: Look,
    pub transparent: bool,
    /// Layout size in points: where things go and how big text is.
    pub width: f32,
    pub height: f32,
    /// Pixels per point for raster formats (2.0 for a sharp 2× figure of the same layout).
    pub scale: f32,
    /// The canvas's pan and zoom; `None` frames all the data.
    pub view: Option<SavedView>,
    /// Trim the picture to the data plus a margin (no empty bands).
    pub crop: bool,
    /// The step number and the narration under the picture.
    pub caption: bool,
    /// SVG text: embedded fonts (editable) or outlines (the same pixels everywhere).
    pub svg_text: SvgText,
}

impl Figure {
    /// A figure of `scene` at its own theme and view, `width × height` points, 1×.
    pub fn new(scene: SceneFile, width: f32, height: f32) -> Self {
        let look = scene.look.look(false);
        let view = scene.view;
        Self {
            scene,
            look,
            transparent: false,
            width,
            height,
            scale: 1.0,
            view,
            crop: false,
            caption: false,
            svg_text: SvgText::Embedded,
        }
    }

    /// The raster size in pixels.
    pub fn pixels(&self) -> (u32, u32) {
        (
            (self.width * self.scale).round().max(0.0) as u32,
            (self.height * self.scale).round().max(0.0) as u32,
        )
    }

    fn check(&self, format: FigureFormat) -> Result<(), FigureError> {
        let ok = |v: f32| v.is_finite() && v >= 16.0;
        if !(ok(self.width) && ok(self.height) && self.scale.is_finite() && self.scale > 0.0) {
            return Err(FigureError::Size(format!(
                "{} × {} points at {}× is not a picture",
                self.width, self.height, self.scale
            )));
        }
        if format == FigureFormat::Svg {
            if self.width > raster::MAX_WIDTH as f32 || self.height > raster::MAX_HEIGHT as f32 {
                return Err(FigureError::Size(format!(
                    "{} × {} is larger than {} × {}",
                    self.width,
                    self.height,
                    raster::MAX_WIDTH,
                    raster::MAX_HEIGHT
                )));
            }
        } else {
            let (w, h) = self.pixels();
            raster::check_size(w, h).map_err(|e| FigureError::Size(e.to_string()))?;
        }
        Ok(())
    }

    /// The SVG of the session's step, and its size in points (crop and caption change it).
    /// `text`: how its text is written (a raster figure needs no embedded fonts).
    fn svg_of(&self, m: &Session, text: SvgText) -> Result<(String, f32, f32), FigureError> {
        let (svg, w, h) = self.svg_named(m, text);
        let svg = match text {
            SvgText::Paths => raster::outline_text(&svg)?,
            _ => svg,
        };
        Ok((svg, w, h))
    }

    fn svg_named(&self, m: &Session, text: SvgText) -> (String, f32, f32) {
        let text = match text {
            SvgText::Paths => SvgText::Named,
            t => t,
        };
        let palette = self.look.palette();
        let frame = m.frame(palette, self.look.style());
        let mut fit = match self.view {
            Some(v) => Fit {
                legend: crate::render::legend_room(&frame, self.width, self.height),
                ..v.fit_to(self.width, self.height)
            },
            None => svg::fit_frame(&frame, self.width, self.height),
        };
        if self.crop {
            fit = cropped(&frame, fit);
        }
        let bg = (!self.transparent).then_some(palette.background);
        if !self.caption {
            return (
                svg::to_svg_captioned(&frame, fit, bg, &palette, None, text),
                fit.width,
                fit.height,
            );
        }
        let n = m.narration();
        let (step, total) = m.position();
        let mut caption = svg::Caption::wrapped(
            &format!("Step {step} / {total}: {}", n.title),
            &n.text,
            fit.width - 32.0,
            15.0,
        );
        // The same height on every step, so the frames of an animation match.
        let cut = caption.lines.len() > CAPTION_LINES;
        caption.lines.resize(CAPTION_LINES, String::new());
        if cut && let Some(last) = caption.lines.last_mut() {
            last.push_str(" …");
        }
        let h = fit.height + caption.height();
        (
            svg::to_svg_captioned(&frame, fit, bg, &palette, Some(&caption), text),
            fit.width,
            h,
        )
    }
}

/// Lines of a figure's caption: the step and its title, then the narration.
const CAPTION_LINES: usize = 4;

/// The fit trimmed to the frame's bounds at the same scale, plus the usual margins and the
/// legend strip (a figure with no empty bands).
fn cropped(frame: &crate::render::Frame, fit: Fit) -> Fit {
    let Some((lo, hi)) = frame.bounds else {
        return fit;
    };
    let margin = crate::render::fit::margin(fit.width, fit.height);
    let w = ((hi[0] - lo[0]) * fit.scale + 2.0 * margin + fit.legend.right).clamp(16.0, fit.width);
    // A narrower picture may need more rows of a legend strip; a column keeps its width.
    let mut room = fit.legend;
    if room.right == 0.0 {
        room.bottom = crate::render::legend::legend_strip(frame, w.round()).max(room.bottom);
    }
    let h = ((hi[1] - lo[1]) * fit.scale + 2.0 * margin + room.bottom).clamp(16.0, fit.height);
    Fit::with_margin((lo, hi), w.round(), h.round(), room, margin)
}

/// What to make of a figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Job {
    /// One step, as SVG or PNG.
    Still { step: Step, format: FigureFormat },
    /// Steps `from ..= to` (at the scene's detail; `None`: the last step), one frame each.
    Animation {
        from: usize,
        to: Option<usize>,
        fps: f32,
        format: FigureFormat,
    },
}

impl Job {
    pub fn format(&self) -> FigureFormat {
        match *self {
            Job::Still { format, .. } | Job::Animation { format, .. } => format,
        }
    }
}

/// The most frames one animation may have.
pub const MAX_FRAMES: usize = 5000;

/// Why a figure was not made.
#[derive(Debug)]
pub enum FigureError {
    Scene(SceneError),
    Raster(RasterError),
    Size(String),
    Format(String),
    /// The step range is empty or outside the trace.
    Range(String),
    Io(String),
    Cancelled,
}

impl std::fmt::Display for FigureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FigureError::Scene(e) => write!(f, "{e}"),
            FigureError::Raster(e) => write!(f, "{e}"),
            FigureError::Size(e) | FigureError::Format(e) | FigureError::Range(e) => {
                write!(f, "{e}")
            }
            FigureError::Io(e) => write!(f, "cannot write the figure: {e}"),
            FigureError::Cancelled => write!(f, "cancelled; nothing was written"),
        }
    }
}

impl std::error::Error for FigureError {}

impl From<SceneError> for FigureError {
    fn from(e: SceneError) -> Self {
        FigureError::Scene(e)
    }
}

impl From<RasterError> for FigureError {
    fn from(e: RasterError) -> Self {
        FigureError::Raster(e)
    }
}

/// Shared between an export running on a worker thread and the window showing its progress.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicUsize,
    total: AtomicUsize,
    cancel: AtomicBool,
}

impl Progress {
    /// (units done, units in all): frames of an animation, or 1 for a still.
    pub fn get(&self) -> (usize, usize) {
        (
            self.done.load(Ordering::Relaxed),
            self.total.load(Ordering::Relaxed),
        )
    }

    pub fn fraction(&self) -> f32 {
        let (d, t) = self.get();
        if t == 0 { 0.0 } else { d as f32 / t as f32 }
    }

    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    fn start(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
    }

    fn tick(&self) -> Result<(), FigureError> {
        self.done.fetch_add(1, Ordering::Relaxed);
        if self.cancelled() {
            return Err(FigureError::Cancelled);
        }
        Ok(())
    }
}

/// A finished figure.
#[derive(Clone, Debug, PartialEq)]
pub struct Made {
    pub bytes: Vec<u8>,
    pub frames: usize,
    /// Pixels for raster formats, points for SVG.
    pub width: u32,
    pub height: u32,
}

/// Moves the scene's cursor to `step`.
pub fn seek(m: &mut Session, step: Step) {
    match step {
        Step::Saved => {}
        Step::Last => m.command(Command::Last),
        Step::At(n) => {
            if let Some(c) = m.scene().steps().map(|(p, t)| p.cursor_for_step(t, n)) {
                m.command(Command::SeekCursor(c));
            }
        }
    }
}

/// Makes the figure's bytes. Checks `progress` for a cancel between frames.
pub fn make(fig: &Figure, job: &Job, progress: &Progress) -> Result<Made, FigureError> {
    let format = job.format();
    fig.check(format)?;
    let mut m = fig.scene.build()?;
    // Layouts that use the room there is (the stacked HNSW layers) see the figure's shape:
    // the canvas's, through its view; else the room the data gets above the legend (which
    // does not depend on the layout).
    match fig.view.and_then(|v| v.aspect) {
        Some(a) => m.set_aspect(a, 1.0),
        None => {
            let frame = m.frame(fig.look.palette(), fig.look.style());
            let room = crate::render::legend_room(&frame, fig.width, fig.height);
            let (w, h) = crate::render::fit::data_room(fig.width, fig.height, room);
            m.set_aspect(w, h)
        }
    };
    match *job {
        Job::Still { step, format } => {
            if format.animated() {
                return Err(FigureError::Format(
                    "a still picture is .svg or .png".into(),
                ));
            }
            if let Step::At(n) = step {
                let last = m.position().1;
                if n > last {
                    return Err(FigureError::Range(format!(
                        "step {n} is past the last step, {last}"
                    )));
                }
            }
            progress.start(1);
            seek(&mut m, step);
            let text = if format == FigureFormat::Svg {
                fig.svg_text
            } else {
                SvgText::Named
            };
            let (svg, w, h) = fig.svg_of(&m, text)?;
            let made = if format == FigureFormat::Svg {
                Made {
                    bytes: svg.into_bytes(),
                    frames: 1,
                    width: w.round() as u32,
                    height: h.round() as u32,
                }
            } else {
                let r = raster::rasterize(&svg, fig.scale)?;
                Made {
                    bytes: raster::encode_png(&r)?,
                    frames: 1,
                    width: r.width,
                    height: r.height,
                }
            };
            progress.tick()?;
            Ok(made)
        }
        Job::Animation {
            from,
            to,
            fps,
            format,
        } => {
            let anim = match format {
                FigureFormat::Gif => AnimFormat::Gif,
                FigureFormat::Apng => AnimFormat::Apng,
                _ => {
                    return Err(FigureError::Format("an animation is .gif or .apng".into()));
                }
            };
            let steps = m.position().1;
            let to = to.unwrap_or(steps);
            if from > to || to > steps {
                return Err(FigureError::Range(format!(
                    "steps {from} … {to} are not a range within 0 … {steps}"
                )));
            }
            let frames = to - from + 1;
            if frames > MAX_FRAMES {
                return Err(FigureError::Range(format!(
                    "{frames} frames is more than {MAX_FRAMES}; choose a shorter range"
                )));
            }
            progress.start(frames);
            let mut enc = AnimationEncoder::new(anim, frames as u32, fps)?;
            let mut size = (0, 0);
            for step in from..=to {
                if progress.cancelled() {
                    return Err(FigureError::Cancelled);
                }
                seek(&mut m, Step::At(step));
                let r: Raster = raster::rasterize(&fig.svg_of(&m, SvgText::Named)?.0, fig.scale)?;
                size = (r.width, r.height);
                enc.push(&r)?;
                progress.tick()?;
            }
            Ok(Made {
                bytes: enc.finish()?,
                frames,
                width: size.0,
                height: size.1,
            })
        }
    }
}

/// Makes the figure and writes it to `out` atomically: nothing is written if it fails or is
/// cancelled.
pub fn export(
    fig: &Figure,
    job: &Job,
    out: &Path,
    progress: &Progress,
) -> Result<Made, FigureError> {
    let made = make(fig, job, progress)?;
    if progress.cancelled() {
        return Err(FigureError::Cancelled);
    }
    write_atomic(out, &made.bytes)
        .map_err(|e| FigureError::Io(format!("{}: {e}", out.display())))?;
    Ok(made)
}

/// `out` with the format's extension, unless it already has one the format accepts.
pub fn with_extension(out: &Path, format: FigureFormat) -> PathBuf {
    if FigureFormat::from_path(out, format.animated()).is_ok_and(|f| f == format) {
        return out.to_path_buf();
    }
    let mut p = out.to_path_buf();
    p.set_extension(format.extension());
    p
}
