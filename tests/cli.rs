//! The command line refuses what it cannot do, and says why.

use std::process::Command;

fn run(args: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ann-explorer"))
        .args(args)
        .output()
        .expect("run");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("ann-explorer-cli2-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("dir");
    d
}

#[test]
fn a_step_past_the_end_is_refused_naming_the_last_step() {
    let dir = tmp("step");
    let scene = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/scenes/seed-lesson-search.json"
    );
    let out = dir.join("x.svg");
    let (ok, text) = run(&[
        "render",
        scene,
        "--step",
        "999999",
        "--out",
        &out.display().to_string(),
    ]);
    assert!(!ok);
    assert!(text.contains("past the last step"), "{text}");
    assert!(!out.exists());
    let (ok, text) = run(&[
        "render",
        scene,
        "--step",
        "3",
        "--out",
        &out.display().to_string(),
    ]);
    assert!(ok, "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_numbers_get_the_reason_not_a_parse_error() {
    let dir = tmp("nums");
    let scene = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/scenes/seed-lesson-search.json"
    );
    let out = dir.join("x.png").display().to_string();
    let (ok, text) = run(&["render", scene, "--width", "-5", "--out", &out]);
    assert!(!ok);
    assert!(text.contains("is not a picture"), "{text}");
    let (ok, text) = run(&[
        "scene",
        "--scene",
        "greedy-search",
        "--mode",
        "beam",
        "--ef",
        "0",
        "--out",
        &out,
    ]);
    assert!(!ok);
    assert!(text.contains("--ef"), "{text}");
    // n without a preset: the lesson has its own 8 points; n over the limit is refused.
    let (ok, text) = run(&["scene", "--n", "50", "--out", &out]);
    assert!(!ok);
    assert!(text.contains("needs a preset"), "{text}");
    let (ok, text) = run(&[
        "scene", "--preset", "uniform", "--n", "1000000", "--out", &out,
    ]);
    assert!(!ok);
    assert!(text.contains("10000"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn crop_trims_and_caption_adds_the_narration() {
    use ann_explorer::session::figure::{self, Figure, FigureFormat, Job, Progress};
    use ann_explorer::session::scene_file::{SceneFile, Step};
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/scenes/seed-lesson-search.json"
    );
    let file = SceneFile::load(std::path::Path::new(path)).expect("scene");
    let make = |crop: bool, caption: bool, format, step| {
        let mut fig = Figure::new(file.clone(), 1600.0, 1000.0);
        fig.crop = crop;
        fig.caption = caption;
        let job = Job::Still { step, format };
        figure::make(&fig, &job, &Progress::default()).expect("figure")
    };
    let plain = make(false, false, FigureFormat::Svg, Step::Last);
    let cropped = make(true, false, FigureFormat::Svg, Step::Last);
    assert_eq!((plain.width, plain.height), (1600, 1000));
    assert!(
        cropped.width < 1600 || cropped.height < 1000,
        "{} x {}",
        cropped.width,
        cropped.height
    );
    assert!(cropped.width <= 1600 && cropped.height <= 1000);
    let captioned = make(false, true, FigureFormat::Png, Step::Last);
    assert!(captioned.height > 1000, "the caption adds height");
    let svg =
        String::from_utf8(make(false, true, FigureFormat::Svg, Step::At(2)).bytes).expect("utf-8");
    assert!(svg.contains("Step 2 / "), "the step in the caption");
    // Every frame of a captioned animation has the same size.
    let mut fig = Figure::new(file.clone(), 640.0, 400.0);
    fig.caption = true;
    let anim = Job::Animation {
        from: 0,
        to: None,
        fps: 2.0,
        format: FigureFormat::Gif,
    };
    let made = figure::make(&fig, &anim, &Progress::default()).expect("animation");
    assert!(made.frames > 2 && made.height > 400);
    // The command line takes both.
    let out = std::env::temp_dir().join(format!("ann-explorer-crop-{}.png", std::process::id()));
    let (ok, text) = run(&[
        "render",
        path,
        "--crop",
        "--caption",
        "--out",
        &out.display().to_string(),
    ]);
    assert!(ok, "{text}");
    let _ = std::fs::remove_file(&out);
}

#[test]
fn lessons_are_listed_and_a_slide_renders_for_handouts() {
    let (ok, out) = run(&["lessons"]);
    assert!(ok, "{out}");
    let lines: Vec<&str> = out.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 12, "{out}");
    assert!(lines[3].starts_with("04-greedy-search") && lines[3].contains("3 slides"));
    let dir = tmp("lesson");
    let png = dir.join("slide.png");
    let (ok, out) = run(&[
        "lesson",
        "4",
        "--slide",
        "2",
        "--out",
        png.to_str().unwrap_or(""),
    ]);
    assert!(ok, "{out}");
    assert!(out.contains("From 0: stuck"), "{out}");
    let bytes = std::fs::read(&png).expect("the slide's PNG");
    assert_eq!(&bytes[1..4], b"PNG");
    let _ = std::fs::remove_dir_all(&dir);
    // A slide that is not there, and a lesson that is not there, are named.
    let (ok, out) = run(&["lesson", "4", "--slide", "9", "--out", "x.png"]);
    assert!(!ok && out.contains("slides 1 … 3"), "{out}");
    let (ok, out) = run(&["lesson", "no-such", "--out", "x.png"]);
    assert!(!ok && out.contains("no lesson 'no-such'"), "{out}");
}

#[test]
fn a_new_lesson_is_a_new_file_and_a_bad_one_is_refused_by_name() {
    let dir = tmp("library");
    let mine = r#"{ "version": 1, "title": "9. My own lesson", "slides": [
        { "title": "One", "text": "Look.", "state": { "scene": "hnsw" } } ] }"#;
    std::fs::write(dir.join("09-mine.json"), mine).expect("write");
    std::fs::write(dir.join("10-broken.json"), "{ \"title\": ").expect("write");
    let out = Command::new(env!("CARGO_BIN_EXE_ann-explorer"))
        .arg("lessons")
        .env("ANN_EXPLORER_LESSONS", &dir)
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("09-mine") && text.contains("9. My own lesson"),
        "{text}"
    );
    assert!(
        text.contains("04-greedy-search"),
        "the built-ins stay: {text}"
    );
    assert!(text.contains("refused: lesson '10-broken'"), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn svg_text_is_refused_for_a_picture_that_is_not_svg() {
    let dir = tmp("svgtext");
    let scene = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/scenes/hnsw-clusters.json"
    );
    let png = dir.join("x.png");
    let (ok, out) = run(&[
        "render",
        scene,
        "--svg-text",
        "paths",
        "--out",
        png.to_str().unwrap_or(""),
    ]);
    assert!(!ok && out.contains("--svg-text applies to .svg"), "{out}");
    assert!(!png.exists(), "nothing written");
    let svg = dir.join("x.svg");
    let (ok, out) = run(&[
        "render",
        scene,
        "--svg-text",
        "paths",
        "--out",
        svg.to_str().unwrap_or(""),
    ]);
    assert!(ok, "{out}");
    let text = std::fs::read_to_string(&svg).expect("the SVG");
    assert!(!text.contains("<text"), "outlines, not text");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn filter_bench_and_smallworld_write_their_rows_and_refuse_bad_input() {
    let dir = tmp("bench");
    let f = dir.join("f.csv");
    let fs = f.to_string_lossy().to_string();
    let (ok, out) = run(&[
        "filter-bench",
        "--n",
        "3000",
        "--dim",
        "4",
        "--queries",
        "20",
        "--selectivity",
        "0.5,0.02",
        "--out",
        &fs,
    ]);
    assert!(ok, "{out}");
    let csv = std::fs::read_to_string(&f).expect("csv");
    let mut lines = csv.lines();
    assert!(lines.next().is_some_and(|h| {
        h.starts_with("strategy,selectivity,recall,distances_per_query,returned")
    }));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 8, "4 strategies × 2 selectivities: {csv}");
    // Pre-filter is exact.
    assert!(
        rows.iter()
            .filter(|r| r.starts_with("pre-filter"))
            .all(|r| r.contains(",1.0000,"))
    );
    let (ok, out) = run(&["filter-bench", "--strategies", "pre,magic", "--out", &fs]);
    assert!(!ok && out.contains("'pre' is no strategy"), "{out}");
    let (ok, out) = run(&["filter-bench", "--selectivity", "2", "--out", &fs]);
    assert!(!ok && out.contains("not a selectivity"), "{out}");
    // Small worlds: Kleinberg and Watts–Strogatz rows with their columns.
    let k = dir.join("k.csv");
    let (ok, out) = run(&[
        "smallworld",
        "kleinberg",
        "--side",
        "100,1000",
        "--r",
        "1,2",
        "--pairs",
        "40",
        "--out",
        &k.to_string_lossy(),
    ]);
    assert!(ok && out.contains("best r"), "{out}");
    let csv = std::fs::read_to_string(&k).expect("csv");
    assert!(csv.starts_with("side,lattice,p,q,r,pairs,mean_hops,stderr"));
    assert_eq!(csv.lines().count(), 5);
    let w = dir.join("w.csv");
    let (ok, out) = run(&[
        "smallworld",
        "watts-strogatz",
        "--n",
        "200",
        "--k",
        "6",
        "--p",
        "0.01,0.1",
        "--runs",
        "2",
        "--out",
        &w.to_string_lossy(),
    ]);
    assert!(ok && out.contains("closed form"), "{out}");
    assert!(
        std::fs::read_to_string(&w)
            .expect("csv")
            .starts_with("n,k,p,runs,c_ratio,l_ratio")
    );
    let (ok, out) = run(&[
        "smallworld",
        "watts-strogatz",
        "--k",
        "5",
        "--out",
        &w.to_string_lossy(),
    ]);
    assert!(!ok && out.contains("even"), "{out}");
    let (ok, out) = run(&[
        "smallworld",
        "kleinberg",
        "--side",
        "0",
        "--out",
        &k.to_string_lossy(),
    ]);
    assert!(!ok && out.contains("side"), "{out}");
}
