//! SVG text in its two modes. Embedded (the default): `<text>` stays text and every character
//! it uses is covered by a font embedded in the file. Outlines (`--svg-text paths`): no
//! `<text>` is left, and librsvg (`rsvg-convert`, a renderer that knows none of our fonts)
//! draws the same picture as the program's own PNG: at most 0.30 % of the pixels differ by
//! more than 15 %.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use ann_explorer::session::figure::{self, Figure, FigureFormat, Job, Progress, SvgText};
use ann_explorer::session::scene_file::{SceneFile, Step};
use base64::Engine;
use skrifa::MetadataProvider;

fn built_in() -> Vec<(String, SceneFile)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scenes");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("assets/scenes")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_stem().map(|s| s.to_string_lossy().into_owned());
            (
                name.unwrap_or_default(),
                SceneFile::load(&p).expect("scene file"),
            )
        })
        .collect()
}

fn make(fig: &Figure, step: Step, format: FigureFormat) -> Vec<u8> {
    figure::make(fig, &Job::Still { step, format }, &Progress::default())
        .expect("figure")
        .bytes
}

fn rgba(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut dec = png::Decoder::new(std::io::Cursor::new(png_bytes));
    dec.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
    let mut r = dec.read_info().expect("PNG header");
    let mut buf = vec![0; r.output_buffer_size().expect("size")];
    let info = r.next_frame(&mut buf).expect("PNG frame");
    buf.truncate(info.buffer_size());
    let (w, h) = (info.width, info.height);
    let buf = match info.color_type {
        png::ColorType::Rgba => buf,
        png::ColorType::Rgb => buf
            .chunks_exact(3)
            .flat_map(|p| [p[0], p[1], p[2], 255])
            .collect(),
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    (w, h, buf)
}

/// The share of pixels whose largest channel difference is above 15 % of full scale.
fn differing(a: &[u8], b: &[u8]) -> f64 {
    let n = a.len() / 4;
    let off = a
        .chunks_exact(4)
        .zip(b.chunks_exact(4))
        .filter(|(p, q)| {
            p.iter()
                .zip(q.iter())
                .any(|(x, y)| x.abs_diff(*y) as f32 > 0.15 * 255.0)
        })
        .count();
    off as f64 / n as f64
}

fn text_contents(svg: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("SVG parses");
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn embedded_svgs_carry_a_font_for_every_character_they_use() {
    for (name, file) in built_in() {
        let mut fig = Figure::new(file, 900.0, 560.0);
        fig.caption = true;
        let svg = String::from_utf8(make(&fig, Step::Last, FigureFormat::Svg)).expect("UTF-8");
        let texts = text_contents(&svg);
        assert!(!texts.is_empty(), "{name}: no text left as text");
        let fonts: Vec<Vec<u8>> = svg
            .split("base64,")
            .skip(1)
            .map(|rest| {
                let data = rest.split(')').next().unwrap_or_default();
                base64::engine::general_purpose::STANDARD
                    .decode(data)
                    .expect("base64 font")
            })
            .collect();
        assert!(!fonts.is_empty(), "{name}: no embedded font");
        let faces: Vec<skrifa::FontRef> = fonts
            .iter()
            .map(|f| skrifa::FontRef::new(f).expect("embedded font parses"))
            .collect();
        let used: BTreeSet<char> = texts.iter().flat_map(|t| t.chars()).collect();
        let missing: Vec<char> = used
            .iter()
            .copied()
            .filter(|&c| c != ' ' && !faces.iter().any(|f| f.charmap().map(c).is_some()))
            .collect();
        assert!(
            missing.is_empty(),
            "{name}: no embedded glyph for {missing:?}"
        );
        // Small: a subset, not the 360 kB font.
        let total: usize = fonts.iter().map(Vec::len).sum();
        assert!(total < 80_000, "{name}: {total} bytes of fonts");
    }
}

#[test]
fn outline_svgs_render_in_librsvg_as_the_program_draws_them() {
    let dir = std::env::temp_dir().join(format!("ann-explorer-svg-text-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let mut report = Vec::new();
    for (name, file) in built_in() {
        for (step, presenter) in [(Step::Last, false), (Step::At(3), true)] {
            let mut fig = Figure::new(file.clone(), 900.0, 560.0);
            fig.look.presenter = presenter;
            fig.caption = true;
            let own = make(&fig, step, FigureFormat::Png);
            fig.svg_text = SvgText::Paths;
            let svg = String::from_utf8(make(&fig, step, FigureFormat::Svg)).expect("UTF-8");
            assert!(
                text_contents(&svg).is_empty(),
                "{name}: text left in outline mode"
            );
            let (svg_path, png_path) = (
                dir.join(format!("{name}.svg")),
                dir.join(format!("{name}.png")),
            );
            std::fs::write(&svg_path, &svg).expect("write SVG");
            let out = Command::new("rsvg-convert")
                .arg("-o")
                .arg(&png_path)
                .arg(&svg_path)
                .output()
                .expect("rsvg-convert runs (apt-get install librsvg2-bin)");
            assert!(
                out.status.success(),
                "{name}: rsvg-convert failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            let (w0, h0, a) = rgba(&own);
            let (w1, h1, b) = rgba(&std::fs::read(&png_path).expect("rsvg's PNG"));
            assert_eq!((w0, h0), (w1, h1), "{name}: sizes differ");
            let share = differing(&a, &b);
            report.push(format!("{name} {step:?}: {:.3} %", share * 100.0));
            assert!(
                share <= 0.003,
                "{name} {step:?}: {:.3} % of pixels differ",
                share * 100.0
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    println!("{}", report.join("\n"));
}
