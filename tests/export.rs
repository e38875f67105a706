//! Scene files and headless figures: SVG, PNG, GIF and APNG.

use ann_explorer::render::Theme;
use ann_explorer::scenes::greedy_search::GreedySearch;
use ann_explorer::session::Session;
use ann_explorer::session::figure::{self, Figure, FigureError, FigureFormat, Job, Progress};
use ann_explorer::session::scene_file::{SceneError, SceneFile, Step, write_atomic};

fn figure_of(file: &SceneFile, width: f32, height: f32, theme: Theme, transparent: bool) -> Figure {
    let mut fig = Figure::new(file.clone(), width, height);
    fig.look.theme = theme;
    fig.transparent = transparent;
    fig
}

fn render_svg(
    file: &SceneFile,
    step: Step,
    width: f32,
    height: f32,
    theme: Theme,
    transparent: bool,
) -> Result<String, FigureError> {
    let fig = figure_of(file, width, height, theme, transparent);
    let job = Job::Still {
        step,
        format: FigureFormat::Svg,
    };
    let made = figure::make(&fig, &job, &Progress::default())?;
    Ok(String::from_utf8(made.bytes).expect("SVG is UTF-8"))
}

/// Decodes a PNG (first frame of an APNG too) as RGBA: (width, height, frames, pixels).
fn decode_png(bytes: &[u8]) -> (u32, u32, u32, Vec<Vec<u8>>) {
    let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
    dec.set_transformations(png::Transformations::EXPAND);
    let mut r = dec.read_info().expect("PNG header");
    let (w, h) = (r.info().width, r.info().height);
    let n = r.info().animation_control().map_or(1, |a| a.num_frames);
    let mut frames = Vec::new();
    for _ in 0..n {
        let mut buf = vec![0; r.output_buffer_size().expect("size")];
        let info = r.next_frame(&mut buf).expect("PNG frame");
        assert_eq!(info.color_type, png::ColorType::Rgba);
        buf.truncate(info.buffer_size());
        frames.push(buf);
    }
    (w, h, n, frames)
}

fn distinct(rgba: &[u8]) -> usize {
    let mut seen = std::collections::HashSet::new();
    for px in rgba.chunks_exact(4) {
        seen.insert([px[0], px[1], px[2], px[3]]);
    }
    seen.len()
}

/// The built-in scene file whose name contains `name`.
fn builtin_named(name: &str) -> String {
    builtin()
        .into_iter()
        .find(|(n, _)| n.contains(name))
        .unwrap_or_else(|| panic!("no built-in scene {name}"))
        .1
}

fn builtin() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/scenes");
    let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("assets/scenes")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read");
            (p.display().to_string(), text)
        })
        .collect();
    v.sort();
    v
}

#[test]
fn every_builtin_scene_renders_to_svg_that_parses() {
    let scenes = builtin();
    assert!(scenes.len() >= 4, "built-in scenes in assets/scenes");
    for (name, text) in scenes {
        let file = SceneFile::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (step, theme) in [
            (Step::Saved, Theme::Dark),
            (Step::Last, Theme::Light),
            (Step::At(3), Theme::Dark),
        ] {
            let svg = render_svg(&file, step, 1200.0, 800.0, theme, false)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let doc =
                roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{name}: not XML: {e}"));
            let root = doc.root_element();
            assert_eq!(root.tag_name().name(), "svg");
            assert_eq!(root.attribute("width"), Some("1200"));
            let count = |tag: &str| doc.descendants().filter(|n| n.has_tag_name(tag)).count();
            if step == Step::Last {
                assert!(count("line") > 0, "{name}: lines");
            }
            assert!(count("circle") + count("polygon") > 0, "{name}: markers");
            let texts: Vec<String> = doc
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .filter_map(|n| n.text().map(str::to_string))
                .collect();
            assert!(!texts.is_empty(), "{name}: text is text");
            match file.scene.as_str() {
                "hnsw" => assert!(texts.iter().any(|t| t.starts_with("layer 0:")), "{name}"),
                "greedy-search" => assert!(texts.iter().any(|t| t == "query"), "{name}"),
                _ => {}
            }
            if file.data.preset == ann_explorer::engine::presets::Preset::SeedLesson {
                for id in 0..8 {
                    assert!(texts.contains(&id.to_string()), "{name}: label {id}");
                }
            }
        }
    }
}

#[test]
fn the_last_step_of_the_lesson_search_shows_the_local_minimum() {
    let mut m = Session::new("greedy-search");
    m.with_scene(|s, sh| {
        s.as_any_mut()
            .downcast_mut::<GreedySearch>()
            .expect("greedy search")
            .set_entry(sh, ann_explorer::engine::PointId(0))
    });
    let file = SceneFile::from_session(&m);
    let svg = render_svg(&file, Step::Last, 1600.0, 1000.0, Theme::Dark, true).expect("render");
    // Once in the legend, once on the canvas at the stuck node.
    assert_eq!(svg.matches(">local minimum</text>").count(), 2);
    assert!(svg.contains(">true nearest</text>"));
    assert!(
        !svg.contains(r#"<rect x="0" y="0""#),
        "transparent: no background"
    );
    let early = render_svg(&file, Step::At(0), 1600.0, 1000.0, Theme::Dark, false).expect("render");
    assert_eq!(
        early.matches(">local minimum</text>").count(),
        1,
        "legend only"
    );
}

#[test]
fn scene_files_round_trip_byte_for_byte() {
    for (name, text) in builtin() {
        let a = SceneFile::parse(&text).expect("parse");
        assert_eq!(a.to_json(), text, "{name}: load then save is identical");
        let m = a.build().expect("build");
        let b = SceneFile::from_session(&m);
        assert_eq!(b.to_json(), text, "{name}: build then save is identical");
    }
}

#[test]
fn malformed_scene_files_are_refused_with_the_line() {
    let good = &builtin_named("hnsw-clusters");
    let truncated = &good[..good.len() / 2];
    match SceneFile::parse(truncated) {
        Err(SceneError::Syntax { line, .. }) => assert!(line > 1),
        other => panic!("truncated: {other:?}"),
    }
    let future = good.replacen("\"version\": 2", "\"version\": 99", 1);
    assert!(matches!(
        SceneFile::parse(&future),
        Err(SceneError::FutureVersion(99))
    ));
    let bad_type = good.replacen("\"seed\":", "\"seed\": \"many\", \"x\":", 1);
    let e = SceneFile::parse(&bad_type).expect_err("bad type");
    assert!(e.to_string().starts_with("line "), "{e}");
    assert!(SceneFile::parse("").is_err());
    assert!(SceneFile::parse("[]").is_err());
    let nan = good.replacen("\"query\": [", "\"query\": [1e999, ", 1);
    assert!(SceneFile::parse(&nan).is_err());
    // A scene that does not exist, or a section of one, is refused by name.
    let unknown = good.replacen("\"scene\": \"", "\"scene\": \"no-such-", 1);
    let e = SceneFile::parse(&unknown).expect_err("unknown scene");
    assert!(e.to_string().contains("no-such-"), "{e}");
    let section = good.replacen("\"scenes\": {", "\"scenes\": {\n    \"milgram\": {},", 1);
    let e = SceneFile::parse(&section).expect_err("unknown section");
    assert!(e.to_string().contains("milgram"), "{e}");
    // A bad value inside a scene's section names the scene.
    let bad_section = good.replacen("\"k\": ", "\"k\": \"many\", \"x\": ", 1);
    let e = SceneFile::parse(&bad_section)
        .and_then(|f| f.build().map(|_| ()))
        .expect_err("bad section value");
    assert!(e.to_string().contains("section"), "{e}");
    // A size out of range is refused, not rendered.
    let f = SceneFile::parse(good).expect("good");
    assert!(render_svg(&f, Step::Last, 100_000.0, 10.0, Theme::Dark, false).is_err());
}

#[test]
fn thousands_of_mutated_files_never_panic() {
    let seed_text = builtin()
        .into_iter()
        .find(|(n, _)| n.contains("seed-lesson-search"))
        .expect("lesson")
        .1;
    let bytes = seed_text.as_bytes();
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut parsed = 0;
    for i in 0..3000 {
        let mut b = bytes.to_vec();
        for _ in 0..(1 + next() % 4) {
            let pos = (next() as usize) % b.len();
            match next() % 3 {
                0 => b[pos] = b"0123456789-.e\":,{}[] x"[(next() % 22) as usize],
                1 => {
                    b.remove(pos);
                }
                _ => b.insert(pos, b"9"[0]),
            }
        }
        let text = String::from_utf8_lossy(&b);
        if let Ok(f) = SceneFile::parse(&text) {
            parsed += 1;
            // Build only small scenes: a mutation can ask for 10,000 points.
            if f.data.n <= 2000 {
                let _ = f.build();
            }
        }
        let _ = i;
    }
    assert!(parsed > 0, "some mutations stay valid");
}

#[test]
fn writes_are_atomic_and_leave_no_temporary_file() {
    let dir = std::env::temp_dir().join(format!("ann-explorer-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("figure.svg");
    write_atomic(&path, b"<svg/>").expect("write");
    assert_eq!(std::fs::read(&path).expect("read"), b"<svg/>");
    // Writing into a folder that does not exist fails and creates nothing.
    let bad = dir.join("missing").join("x.svg");
    assert!(write_atomic(&bad, b"x").is_err());
    let left: Vec<_> = std::fs::read_dir(&dir)
        .expect("ls")
        .filter_map(|e| e.ok())
        .collect();
    assert_eq!(left.len(), 1, "only the figure remains");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn every_builtin_scene_renders_to_png_of_the_asked_size_that_is_not_blank() {
    for (name, text) in builtin() {
        let file = SceneFile::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        for (w, h, scale, transparent) in [(640.0, 400.0, 1.0, false), (500.0, 300.0, 2.0, true)] {
            let mut fig = figure_of(&file, w, h, Theme::Light, transparent);
            fig.scale = scale;
            let job = Job::Still {
                step: Step::Last,
                format: FigureFormat::Png,
            };
            let made = figure::make(&fig, &job, &Progress::default())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            let (pw, ph, n, frames) = decode_png(&made.bytes);
            assert_eq!(
                (pw, ph, n),
                ((w * scale) as u32, (h * scale) as u32, 1),
                "{name}"
            );
            let px = &frames[0];
            assert!(
                distinct(px) > 20,
                "{name}: not blank ({} colours)",
                distinct(px)
            );
            let corner = &px[..4];
            if transparent {
                assert_eq!(corner[3], 0, "{name}: transparent background");
            } else {
                let bg = ann_explorer::render::Palette::for_theme(Theme::Light)
                    .background
                    .0;
                assert_eq!(corner, bg.as_slice(), "{name}: light background");
            }
        }
    }
}

#[test]
fn png_is_the_svg_rasterized_and_text_is_drawn() {
    // The lesson's point labels are text: with text, more pixels are label-coloured than the
    // same picture's SVG with its text removed.
    let file =
        SceneFile::parse(&builtin_named("seed-lesson-construction")).expect("lesson construction");
    let fig = figure_of(&file, 800.0, 500.0, Theme::Dark, false);
    let svg = String::from_utf8(
        figure::make(
            &fig,
            &Job::Still {
                step: Step::Last,
                format: FigureFormat::Svg,
            },
            &Progress::default(),
        )
        .expect("svg")
        .bytes,
    )
    .expect("utf8");
    let with_text = ann_explorer::export::raster::rasterize(&svg, 1.0).expect("raster");
    let no_text: String = svg
        .lines()
        .filter(|l| !l.starts_with("<text"))
        .collect::<Vec<_>>()
        .join("\n");
    let without = ann_explorer::export::raster::rasterize(&no_text, 1.0).expect("raster");
    let differing = with_text
        .rgba
        .chunks_exact(4)
        .zip(without.rgba.chunks_exact(4))
        .filter(|(a, b)| a != b)
        .count();
    assert!(differing > 500, "text adds pixels ({differing})");
    let png = figure::make(
        &fig,
        &Job::Still {
            step: Step::Last,
            format: FigureFormat::Png,
        },
        &Progress::default(),
    )
    .expect("png");
    assert_eq!(
        decode_png(&png.bytes).3[0],
        with_text.rgba,
        "PNG = rasterized SVG"
    );
}

fn animation(file: &SceneFile, from: usize, to: usize, format: FigureFormat) -> figure::Made {
    let mut fig = figure_of(file, 400.0, 260.0, Theme::Dark, false);
    fig.look.presenter = true;
    let job = Job::Animation {
        from,
        to: Some(to),
        fps: 4.0,
        format,
    };
    figure::make(&fig, &job, &Progress::default()).expect("animation")
}

#[test]
fn apng_has_one_frame_per_step_and_frames_change_with_the_trace() {
    let file = SceneFile::parse(&builtin_named("seed-lesson-search")).expect("lesson search");
    let m = file.build().expect("build");
    let steps = m.position().1;
    assert!(steps >= 4, "the lesson search has steps");
    let made = animation(&file, 0, steps, FigureFormat::Apng);
    let (w, h, n, frames) = decode_png(&made.bytes);
    assert_eq!((w, h), (400, 260));
    assert_eq!(n as usize, steps + 1, "frames = steps 0 ..= {steps}");
    assert_eq!(frames.len(), steps + 1);
    for (i, pair) in frames.windows(2).enumerate() {
        assert_ne!(
            pair[0],
            pair[1],
            "step {i} -> {} changes the picture",
            i + 1
        );
    }
    // The same range again gives the same bytes: nothing depends on the clock.
    assert_eq!(
        animation(&file, 0, steps, FigureFormat::Apng).bytes,
        made.bytes
    );
}

#[test]
fn gif_has_one_frame_per_step_and_frames_change_with_the_trace() {
    let file = SceneFile::parse(&builtin_named("seed-lesson-search")).expect("lesson search");
    let made = animation(&file, 1, 4, FigureFormat::Gif);
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::RGBA);
    let mut dec = opts
        .read_info(std::io::Cursor::new(&made.bytes))
        .expect("GIF header");
    assert_eq!((dec.width(), dec.height()), (400, 260));
    let mut frames = Vec::new();
    while let Some(f) = dec.read_next_frame().expect("GIF frame") {
        assert_eq!(f.delay, 25, "4 frames a second");
        frames.push(f.buffer.to_vec());
    }
    assert_eq!(frames.len(), 4, "steps 1 ..= 4");
    for pair in frames.windows(2) {
        assert_ne!(pair[0], pair[1]);
    }
}

#[test]
fn bad_figure_requests_are_refused_and_write_nothing() {
    let file = SceneFile::parse(&builtin_named("seed-lesson-search")).expect("lesson search");
    let dir = std::env::temp_dir().join(format!("ann-explorer-fig-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let out = dir.join("a.gif");
    let fig = figure_of(&file, 400.0, 260.0, Theme::Dark, false);
    let anim = |from, to, fps| Job::Animation {
        from,
        to: Some(to),
        fps,
        format: FigureFormat::Gif,
    };
    let p = Progress::default();
    for (job, what) in [
        (anim(3, 2, 2.0), "backwards range"),
        (anim(0, 10_000, 2.0), "past the end"),
        (anim(0, 2, 0.0), "zero fps"),
        (anim(0, 2, f32::NAN), "NaN fps"),
    ] {
        let e = figure::export(&fig, &job, &out, &p).expect_err(what);
        assert!(!e.to_string().is_empty());
        assert!(!out.exists(), "{what}: nothing written");
    }
    let mut huge = fig.clone();
    huge.scale = 20.0;
    let still = Job::Still {
        step: Step::Last,
        format: FigureFormat::Png,
    };
    assert!(matches!(
        figure::export(&huge, &still, &dir.join("a.png"), &p),
        Err(FigureError::Size(_))
    ));
    let mut nan = fig.clone();
    nan.width = f32::NAN;
    assert!(figure::export(&nan, &still, &dir.join("a.png"), &p).is_err());
    // 7680 × 4320 is the largest allowed, and it is made.
    let mut uhd = fig.clone();
    uhd.width = 3840.0;
    uhd.height = 2160.0;
    uhd.scale = 2.0;
    let made = figure::make(&uhd, &still, &p).expect("8K");
    assert_eq!((made.width, made.height), (7680, 4320));
    // Cancelled before it starts: an error, and no file.
    let cancelled = Progress::default();
    cancelled.cancel();
    assert!(matches!(
        figure::export(&fig, &anim(0, 3, 2.0), &out, &cancelled),
        Err(FigureError::Cancelled)
    ));
    assert!(!out.exists());
    // Formats come from the file name; a still is not an animation.
    assert!(FigureFormat::from_path(std::path::Path::new("x.gif"), false).is_err());
    assert!(FigureFormat::from_path(std::path::Path::new("x.txt"), false).is_err());
    assert_eq!(
        FigureFormat::from_path(std::path::Path::new("x.PNG"), true).expect("apng"),
        FigureFormat::Apng
    );
    let left: Vec<_> = std::fs::read_dir(&dir).expect("ls").collect();
    assert!(left.is_empty(), "no temporary files left");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_scene_file_can_carry_its_own_points() {
    // A lecturer's hand-placed points: a U, greedy search from the top of the left arm.
    let mut xy = Vec::new();
    for i in 0..6 {
        xy.push([0.1, 0.9 - 0.15 * i as f32]);
    }
    for i in 1..6 {
        xy.push([0.1 + 0.16 * i as f32, 0.15]);
    }
    for i in 1..6 {
        xy.push([0.9, 0.15 + 0.15 * i as f32]);
    }
    let mut file = SceneFile::from_session(&Session::new("greedy-search"));
    file.points = Some(xy.clone());
    file.scenes.get_mut("greedy-search").expect("section")["entry"] = 0.into();
    file.query = [0.8, 0.9];
    let text = file.to_json();
    assert!(text.contains("\"points\""));
    let parsed = SceneFile::parse(&text).expect("parse");
    let m = parsed.build().expect("build");
    assert!(m.explicit_points);
    assert_eq!(m.points.len(), xy.len());
    assert_eq!(
        m.get::<GreedySearch>().expect("search").graph.inserted(),
        xy.len()
    );
    for (i, p) in xy.iter().enumerate() {
        assert_eq!(m.points.xy(ann_explorer::engine::PointId(i as u32)), *p);
    }
    assert_eq!(m.query, [0.8, 0.9]);
    // It round-trips byte for byte and draws.
    assert_eq!(SceneFile::from_session(&m).to_json(), text);
    let svg = render_svg(&parsed, Step::Last, 800.0, 500.0, Theme::Light, false).expect("svg");
    assert!(svg.contains(">15</text>"), "the last point's label");
    // Too many, or not numbers: refused with the reason.
    let mut many = file.clone();
    many.points = Some(vec![[0.5, 0.5]; 10_001]);
    let Err(e) = many.build() else {
        panic!("10,001 points refused")
    };
    assert!(e.to_string().contains("10001 points"), "{e}");
    let bad = text.replacen("\"points\": [", "\"points\": [\n    [1e999, 0],", 1);
    assert!(SceneFile::parse(&bad).is_err());
    let bad = text.replacen("\"points\": [", "\"points\": [\n    [0.5],", 1);
    assert!(matches!(
        SceneFile::parse(&bad),
        Err(SceneError::Syntax { .. })
    ));
}
