//! The fonts a figure embeds: for the characters its text uses, a subset of the font the
//! program draws with (Ubuntu Light), and of Hack for the symbols Ubuntu lacks (⌊ ⌋ ≤ …),
//! each a complete TrueType font, so an SVG shows the same letters in any browser or editor
//! whatever fonts its machine has.

use std::collections::BTreeSet;

use skrifa::MetadataProvider;
use skrifa::raw::{FontRef, TableProvider};
use write_fonts::FontBuilder;
use write_fonts::tables::cmap::Cmap;
use write_fonts::types::{GlyphId, Tag};

/// The family names a figure's `@font-face` rules declare, main face first.
pub const FAMILIES: [&str; 2] = ["ANN Explorer Sans", "ANN Explorer Symbols"];

/// The faces figures are drawn in, in fallback order, with the family each is embedded as.
fn faces() -> [(&'static str, &'static [u8]); 2] {
    [
        (FAMILIES[0], epaint_default_fonts::UBUNTU_LIGHT),
        (FAMILIES[1], epaint_default_fonts::HACK_REGULAR),
    ]
}

/// One embedded face: its family name and the TrueType bytes of the subset.
pub struct Subset {
    pub family: &'static str,
    pub ttf: Vec<u8>,
}

/// Subsets of the figure fonts covering `chars`: each character goes to the first face that
/// has it; a face that gets none is left out. Characters no face has are drawn by the
/// viewer's fallback, as on the canvas.
pub fn subsets(chars: &BTreeSet<char>) -> Vec<Subset> {
    let mut left: BTreeSet<char> = chars.iter().copied().filter(|c| !c.is_control()).collect();
    let mut out = Vec::new();
    for (family, data) in faces() {
        let Ok(font) = FontRef::new(data) else {
            continue;
        };
        let charmap = font.charmap();
        let mine: Vec<(char, u32)> = left
            .iter()
            .filter_map(|&c| charmap.map(c).map(|g| (c, g.to_u32())))
            .collect();
        if mine.is_empty() {
            continue;
        }
        for (c, _) in &mine {
            left.remove(c);
        }
        if let Some(ttf) = subset(data, &font, &mine) {
            out.push(Subset { family, ttf });
        }
    }
    out
}

/// The glyphs of `mine` (character, glyph id) cut out of `data` as a font of their own:
/// subsetter keeps the outlines, metrics and names (it writes fonts for PDF, without a
/// character map); the cmap is rebuilt for the new glyph ids and OS/2 copied, which browsers
/// require.
fn subset(data: &[u8], font: &FontRef, mine: &[(char, u32)]) -> Option<Vec<u8>> {
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut cmap = Vec::with_capacity(mine.len());
    for &(c, g) in mine {
        let old = u16::try_from(g).ok()?;
        cmap.push((c, GlyphId::new(u32::from(remapper.remap(old)))));
    }
    let cut = subsetter::subset(data, 0, &remapper).ok()?;
    let cut_font = FontRef::new(&cut).ok()?;
    let mut builder = FontBuilder::new();
    for record in cut_font.table_directory().table_records() {
        let tag = record.tag();
        if let Some(table) = cut_font.table_data(tag) {
            builder.add_raw(tag, table.as_bytes());
        }
    }
    builder.add_table(&Cmap::from_mappings(cmap).ok()?).ok()?;
    let os2 = Tag::new(b"OS/2");
    if let Some(table) = font.table_data(os2) {
        builder.add_raw(os2, table.as_bytes());
    }
    // The glyphs must still read back through the new cmap.
    let ttf = builder.build();
    FontRef::new(&ttf).ok()?.cmap().ok()?;
    Some(ttf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subset_maps_each_character_to_a_glyph_with_the_original_advance() {
        let chars: BTreeSet<char> = "query #1 ⌊−ln U · mL⌋ ≤ 0.25".chars().collect();
        let subs = subsets(&chars);
        assert_eq!(subs.len(), 2, "Ubuntu for the letters, Hack for ⌊ ⌋");
        let size = skrifa::instance::Size::new(1000.0);
        let loc = skrifa::instance::LocationRef::default();
        let mut covered = BTreeSet::new();
        for (sub, (_, data)) in subs.iter().zip(faces()) {
            assert!(
                sub.ttf.len() < data.len() / 4,
                "{} is not small",
                sub.family
            );
            let (small, full) = (
                FontRef::new(&sub.ttf).expect("parses"),
                FontRef::new(data).expect("font"),
            );
            for &c in &chars {
                if let Some(g) = small.charmap().map(c) {
                    covered.insert(c);
                    let g0 = full.charmap().map(c).expect("in the full font");
                    let a = small.glyph_metrics(size, loc).advance_width(g);
                    let b = full.glyph_metrics(size, loc).advance_width(g0);
                    assert_eq!(a, b, "advance of {c:?}");
                }
            }
        }
        let missing: Vec<char> = chars
            .iter()
            .copied()
            .filter(|c| !covered.contains(c))
            .collect();
        assert!(missing.is_empty(), "not embedded: {missing:?}");
    }
}
