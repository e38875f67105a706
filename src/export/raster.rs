//! Raster figures on the CPU, no window and no GPU: the SVG backend's document rasterized by
//! resvg (tiny-skia), so a PNG is pixel for pixel the SVG; PNG, animated PNG and GIF encoding.

use std::sync::{Arc, OnceLock};

use resvg::{tiny_skia, usvg};

/// The largest picture written: 8K UHD.
pub const MAX_WIDTH: u32 = 7680;
pub const MAX_HEIGHT: u32 = 4320;

/// Why a raster figure could not be made.
#[derive(Debug, Clone, PartialEq)]
pub enum RasterError {
    /// Asked for more pixels than 7680 × 4320 (or none).
    Size {
        width: u32,
        height: u32,
    },
    /// The SVG document did not parse (a bug: the SVG backend wrote it).
    Svg(String),
    Encode(String),
    /// An animation needs at least one frame, all of one size.
    Frames(String),
}

impl std::fmt::Display for RasterError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RasterError::Size { width, height } => write!(
                f,
                "{width} × {height} pixels is outside 1 × 1 … {MAX_WIDTH} × {MAX_HEIGHT}"
            ),
            RasterError::Svg(e) => write!(f, "the figure's SVG did not parse: {e}"),
            RasterError::Encode(e) => write!(f, "encoding failed: {e}"),
            RasterError::Frames(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RasterError {}

/// An RGBA picture, 8 bits a channel, straight (not premultiplied) alpha, rows top to bottom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Raster {
    pub width: u32,
    pub height: u32,
    pub rgba: Vec<u8>,
}

/// The fonts figures are drawn with: egui's own (Ubuntu Light, Hack, Noto Emoji), built in, so
/// a figure looks the same on every machine whatever fonts it has installed.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(epaint_default_fonts::UBUNTU_LIGHT.to_vec());
        db.load_font_data(epaint_default_fonts::HACK_REGULAR.to_vec());
        db.load_font_data(epaint_default_fonts::NOTO_EMOJI_REGULAR.to_vec());
        let family = db
            .faces()
            .next()
            .and_then(|f| f.families.first().map(|(name, _)| name.clone()))
            .unwrap_or_else(|| "Ubuntu".into());
        db.set_sans_serif_family(family.clone());
        db.set_serif_family(family);
        db.set_monospace_family("Hack");
        Arc::new(db)
    })
    .clone()
}

/// The SVG with its text turned into outlines drawn from the built-in fonts (usvg's own
/// writer): what librsvg, Inkscape or any viewer shows is then what the PNG shows.
pub fn outline_text(svg: &str) -> Result<String, RasterError> {
    let opt = usvg::Options {
        fontdb: fonts(),
        ..Default::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| RasterError::Svg(e.to_string()))?;
    Ok(tree.to_string(&usvg::WriteOptions::default()))
}

/// Checks a picture size against the limits.
pub fn check_size(width: u32, height: u32) -> Result<(), RasterError> {
    if width == 0 || height == 0 || width > MAX_WIDTH || height > MAX_HEIGHT {
        return Err(RasterError::Size { width, height });
    }
    Ok(())
}

/// Rasterizes an SVG document at `scale` pixels per SVG unit (2.0 for a 2× figure).
pub fn rasterize(svg: &str, scale: f32) -> Result<Raster, RasterError> {
    let opt = usvg::Options {
        fontdb: fonts(),
        ..Default::default()
    };
    let tree = usvg::Tree::from_str(svg, &opt).map_err(|e| RasterError::Svg(e.to_string()))?;
    let size = tree.size();
    let width = (size.width() * scale).round().max(0.0) as u32;
    let height = (size.height() * scale).round().max(0.0) as u32;
    check_size(width, height)?;
    let mut pixmap =
        tiny_skia::Pixmap::new(width, height).ok_or(RasterError::Size { width, height })?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let mut rgba = Vec::with_capacity(width as usize * height as usize * 4);
    for px in pixmap.pixels() {
        let c = px.demultiply();
        rgba.extend_from_slice(&[c.red(), c.green(), c.blue(), c.alpha()]);
    }
    Ok(Raster {
        width,
        height,
        rgba,
    })
}

fn encode_err(e: impl std::fmt::Display) -> RasterError {
    RasterError::Encode(e.to_string())
}

fn png_encoder(out: &mut Vec<u8>, width: u32, height: u32) -> png::Encoder<'_, &mut Vec<u8>> {
    let mut enc = png::Encoder::new(out, width, height);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc
}

/// One picture as PNG.
pub fn encode_png(r: &Raster) -> Result<Vec<u8>, RasterError> {
    let mut out = Vec::new();
    {
        let mut enc = png_encoder(&mut out, r.width, r.height);
        enc.add_text_chunk("Software".into(), "ANN Explorer".into())
            .map_err(encode_err)?;
        let mut w = enc.write_header().map_err(encode_err)?;
        w.write_image_data(&r.rgba).map_err(encode_err)?;
        w.finish().map_err(encode_err)?;
    }
    Ok(out)
}

/// Animation formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnimFormat {
    Gif,
    Apng,
}

/// Frame delay as a fraction of a second for `fps` (0.1 … 60 frames a second).
fn delay(fps: f32) -> (u16, u16) {
    let fps = fps.clamp(0.1, 60.0);
    ((1000.0 / fps).round().clamp(1.0, 65535.0) as u16, 1000)
}

/// A byte buffer the PNG writer fills and the encoder reads back after `finish`.
#[derive(Clone, Default)]
struct Sink(Arc<std::sync::Mutex<Vec<u8>>>);

impl Sink {
    fn take(&self) -> Vec<u8> {
        self.0
            .lock()
            .map(|mut v| std::mem::take(&mut *v))
            .unwrap_or_default()
    }
}

impl std::io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned buffer"))?
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Encodes frames one at a time, so a long animation never holds every frame in memory.
pub struct AnimationEncoder {
    format: AnimFormat,
    fps: f32,
    frames: u32,
    written: u32,
    size: Option<(u32, u32)>,
    out: Vec<u8>,
    apng: Option<png::Writer<Sink>>,
    apng_bytes: Sink,
    gif: Option<gif::Encoder<Vec<u8>>>,
}

impl AnimationEncoder {
    /// An animation of exactly `frames` frames at `fps` frames a second, looping forever.
    pub fn new(format: AnimFormat, frames: u32, fps: f32) -> Result<Self, RasterError> {
        if frames == 0 {
            return Err(RasterError::Frames(
                "an animation needs at least one frame".into(),
            ));
        }
        if !fps.is_finite() || !(0.1..=60.0).contains(&fps) {
            return Err(RasterError::Frames(format!(
                "{fps} frames a second is outside 0.1 … 60"
            )));
        }
        Ok(Self {
            format,
            fps,
            frames,
            written: 0,
            size: None,
            out: Vec::new(),
            apng: None,
            apng_bytes: Sink::default(),
            gif: None,
        })
    }

    pub fn push(&mut self, frame: &Raster) -> Result<(), RasterError> {
        if self.written >= self.frames {
            return Err(RasterError::Frames(format!(
                "more than the {} frames announced",
                self.frames
            )));
        }
        match self.size {
            None => self.start(frame.width, frame.height)?,
            Some(s) if s != (frame.width, frame.height) => {
                return Err(RasterError::Frames(format!(
                    "frame of {} × {} in an animation of {} × {}",
                    frame.width, frame.height, s.0, s.1
                )));
            }
            Some(_) => {}
        }
        let (num, den) = delay(self.fps);
        if let Some(w) = self.apng.as_mut() {
            w.write_image_data(&frame.rgba).map_err(encode_err)?;
        }
        if let Some(g) = self.gif.as_mut() {
            if frame.width > u16::MAX as u32 || frame.height > u16::MAX as u32 {
                return Err(RasterError::Size {
                    width: frame.width,
                    height: frame.height,
                });
            }
            let mut px = frame.rgba.clone();
            let mut f =
                gif::Frame::from_rgba_speed(frame.width as u16, frame.height as u16, &mut px, 10);
            // GIF delays are in hundredths of a second.
            f.delay = ((num as f32 / den as f32) * 100.0).round().max(1.0) as u16;
            f.dispose = gif::DisposalMethod::Background;
            g.write_frame(&f).map_err(encode_err)?;
        }
        self.written += 1;
        Ok(())
    }

    fn start(&mut self, width: u32, height: u32) -> Result<(), RasterError> {
        check_size(width, height)?;
        self.size = Some((width, height));
        match self.format {
            AnimFormat::Apng => {
                let mut enc = png::Encoder::new(self.apng_bytes.clone(), width, height);
                enc.set_color(png::ColorType::Rgba);
                enc.set_depth(png::BitDepth::Eight);
                enc.set_animated(self.frames, 0).map_err(encode_err)?;
                let (num, den) = delay(self.fps);
                enc.set_frame_delay(num, den).map_err(encode_err)?;
                enc.set_dispose_op(png::DisposeOp::None)
                    .map_err(encode_err)?;
                enc.set_blend_op(png::BlendOp::Source).map_err(encode_err)?;
                enc.add_text_chunk("Software".into(), "ANN Explorer".into())
                    .map_err(encode_err)?;
                self.apng = Some(enc.write_header().map_err(encode_err)?);
            }
            AnimFormat::Gif => {
                if width > u16::MAX as u32 || height > u16::MAX as u32 {
                    return Err(RasterError::Size { width, height });
                }
                let mut g = gif::Encoder::new(
                    std::mem::take(&mut self.out),
                    width as u16,
                    height as u16,
                    &[],
                )
                .map_err(encode_err)?;
                g.set_repeat(gif::Repeat::Infinite).map_err(encode_err)?;
                self.gif = Some(g);
            }
        }
        Ok(())
    }

    /// Frames pushed so far.
    pub fn written(&self) -> u32 {
        self.written
    }

    /// The finished file's bytes; fails unless every announced frame was pushed.
    pub fn finish(self) -> Result<Vec<u8>, RasterError> {
        if self.written != self.frames {
            return Err(RasterError::Frames(format!(
                "{} of {} frames were written",
                self.written, self.frames
            )));
        }
        if let Some(w) = self.apng {
            w.finish().map_err(encode_err)?;
            return Ok(self.apng_bytes.take());
        }
        if let Some(g) = self.gif {
            return g.into_inner().map_err(encode_err);
        }
        Ok(self.out)
    }
}
