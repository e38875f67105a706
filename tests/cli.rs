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
