//! Text metrics from the font figures are drawn in (egui's Ubuntu Light), so a figure lays
//! out text as the canvas does without a window.

use std::sync::OnceLock;

use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};

/// Advance widths of Ubuntu Light at 1 point, by character, for the characters asked so far.
fn face() -> Option<&'static skrifa::FontRef<'static>> {
    static FACE: OnceLock<Option<skrifa::FontRef<'static>>> = OnceLock::new();
    FACE.get_or_init(|| skrifa::FontRef::new(epaint_default_fonts::UBUNTU_LIGHT).ok())
        .as_ref()
}

/// The width of `text` set in one line at `size` points (sum of advances; a character the
/// font lacks counts as 0.55 em).
pub fn text_width(text: &str, size: f32) -> f32 {
    let Some(font) = face() else {
        return text.chars().count() as f32 * size * 0.55;
    };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars()
        .map(|c| {
            charmap
                .map(c)
                .and_then(|g| metrics.advance_width(g))
                .unwrap_or(size * 0.55)
        })
        .sum()
}
