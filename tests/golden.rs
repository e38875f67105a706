//! The built-in scene files draw to the same SVG bytes as the recorded ones in `tests/golden/`.
//! These were recorded before scenes became units of the code, from the version-1 files kept
//! in `tests/fixtures/v1/`; the move must not change a single byte of a figure, whether the
//! scene comes from the old file (migrated on load) or from its version-2 rewrite in
//! `assets/scenes/`. `UPDATE_GOLDEN=1 cargo test --test golden` rewrites them (only for a
//! change that is meant to change the pictures).

use std::path::Path;

use ann_explorer::session::figure::{self, Figure, FigureFormat, Job, Progress};
use ann_explorer::session::scene_file::{SceneFile, Step};

const SCENES: [&str; 4] = [
    "seed-lesson-construction",
    "seed-lesson-search",
    "trap-search",
    "hnsw-clusters",
];

fn svg(file: &SceneFile, step: Step, presenter: bool) -> String {
    let mut fig = Figure::new(file.clone(), 1200.0, 760.0);
    fig.look.presenter = presenter;
    let job = Job::Still {
        step,
        format: FigureFormat::Svg,
    };
    let made = figure::make(&fig, &job, &Progress::default()).expect("figure");
    String::from_utf8(made.bytes).expect("utf-8")
}

#[test]
fn built_in_scenes_draw_the_recorded_svgs() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut differ = Vec::new();
    for (name, dir) in SCENES
        .iter()
        .flat_map(|n| [(n, "assets/scenes"), (n, "tests/fixtures/v1")])
    {
        let file = SceneFile::load(&root.join(format!("{dir}/{name}.json"))).expect("scene file");
        for (step, tag, presenter) in [
            (Step::Saved, "saved", false),
            (Step::Last, "last", false),
            (Step::At(3), "step3-presenter", true),
        ] {
            let got = svg(&file, step, presenter);
            let path = root.join(format!("tests/golden/{name}-{tag}.svg"));
            if update {
                std::fs::write(&path, &got).expect("write golden");
                continue;
            }
            let want = std::fs::read_to_string(&path).expect("golden file");
            if got != want {
                differ.push(format!("{dir}/{name} → {}", path.display()));
            }
        }
    }
    assert!(
        differ.is_empty(),
        "SVGs differ from the recorded ones: {differ:?}"
    );
}
