//! Scene files and headless SVG figures.

use ann_explorer::scene::Theme;
use ann_explorer::ui::model::{Model, SceneKind, Settings};
use ann_explorer::ui::scene_file::{SceneError, SceneFile, Step, render_svg, write_atomic};

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
            match file.settings.scene {
                SceneKind::Hnsw => {
                    assert!(texts.iter().any(|t| t.starts_with("layer 0:")), "{name}")
                }
                SceneKind::Search => assert!(texts.iter().any(|t| t == "query"), "{name}"),
                SceneKind::Construction => {}
            }
            if file.settings.preset == ann_explorer::engine::presets::Preset::SeedLesson {
                for id in 0..8 {
                    assert!(texts.contains(&id.to_string()), "{name}: label {id}");
                }
            }
        }
    }
}

#[test]
fn the_last_step_of_the_lesson_search_shows_the_local_minimum() {
    let mut m = Model::new(Settings {
        scene: SceneKind::Search,
        ..Settings::default()
    });
    m.set_entry(ann_explorer::engine::PointId(0));
    let file = SceneFile::from_model(&m);
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
        let b = SceneFile::from_model(&m);
        assert_eq!(b.to_json(), text, "{name}: build then save is identical");
    }
}

#[test]
fn malformed_scene_files_are_refused_with_the_line() {
    let good = &builtin()[0].1;
    let truncated = &good[..good.len() / 2];
    match SceneFile::parse(truncated) {
        Err(SceneError::Syntax { line, .. }) => assert!(line > 1),
        other => panic!("truncated: {other:?}"),
    }
    let future = good.replacen("\"version\": 1", "\"version\": 99", 1);
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
            if f.settings.n <= 2000 {
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
