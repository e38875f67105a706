//! Text metrics from the fonts labels and figures are drawn in (egui's Ubuntu Light, with Hack
//! for the symbols it lacks, as on the canvas), so the label placer, the canvas and a figure
//! lay text out alike, with or without a window.

use std::sync::OnceLock;

use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

fn parse(data: &'static [u8]) -> Option<skrifa::FontRef<'static>> {
    skrifa::FontRef::new(data).ok()
}

/// The main face (Ubuntu Light) and the fallback (Hack).
fn faces() -> &'static [Option<skrifa::FontRef<'static>>; 2] {
    static FACES: OnceLock<[Option<skrifa::FontRef<'static>>; 2]> = OnceLock::new();
    FACES.get_or_init(|| {
        [
            parse(epaint_default_fonts::UBUNTU_LIGHT),
            parse(epaint_default_fonts::HACK_REGULAR),
        ]
    })
}

/// The advance of `c` at `size` points in the first face that has it.
fn advance(c: char, size: f32) -> Option<f32> {
    faces().iter().flatten().find_map(|font| {
        let g = font.charmap().map(c)?;
        font.glyph_metrics(Size::new(size), LocationRef::default())
            .advance_width(g)
    })
}

/// Advances of the printable ASCII characters at 1 point (metrics scale linearly with size).
fn ascii() -> &'static [f32; 128] {
    static TABLE: OnceLock<[f32; 128]> = OnceLock::new();
    TABLE.get_or_init(|| std::array::from_fn(|i| advance(i as u8 as char, 1.0).unwrap_or(0.55)))
}

/// The width of `text` set in one line at `size` points (sum of advances; a character no
/// face has counts as 0.55 em).
pub fn text_width(text: &str, size: f32) -> f32 {
    let table = ascii();
    let ems: f32 = text
        .chars()
        .map(|c| match table.get(c as usize) {
            Some(w) => *w,
            None => advance(c, 1.0).unwrap_or(0.55),
        })
        .sum();
    ems * size
}

/// The height of a one-line label box at `size` points.
pub fn line_height(size: f32) -> f32 {
    size * 1.25
}
