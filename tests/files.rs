//! The File menu driven like a user: open examples, save and reopen, refuse bad files,
//! export figures from the window with progress, replace prompts and cancel.

use std::path::{Path, PathBuf};

use ann_explorer::scenes::greedy_search::GreedySearch;
use ann_explorer::scenes::hnsw::{Hnsw, HnswScene};
use ann_explorer::session::{DataSettings, Session};
use ann_explorer::ui::App;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

fn harness(app: App) -> Harness<'static, App> {
    Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .build_ui_state(|ui, app: &mut App| app.show(ui), app)
}

fn hnsw_of(s: &Session) -> &HnswScene {
    s.get::<Hnsw>()
        .and_then(|h| h.state.as_ref())
        .expect("hnsw")
}

/// A fresh empty folder for one test.
fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ann-explorer-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("ls")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn png_size(path: &Path) -> (u32, u32, u32) {
    let bytes = std::fs::read(path).expect("read png");
    let dec = png::Decoder::new(std::io::Cursor::new(bytes));
    let r = dec.read_info().expect("PNG");
    let frames = r.info().animation_control().map_or(1, |a| a.num_frames);
    (r.info().width, r.info().height, frames)
}

#[test]
fn the_file_menu_opens_an_example_then_a_saved_scene_reopens_as_saved() {
    let dir = tmp("menu");
    let mut h = harness(App::on_scene("nsw-construction"));
    h.run();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open example").click();
    h.run();
    h.get_by_label("HNSW: clusters").click();
    h.run();
    assert_eq!(h.state().session.scene_id(), "hnsw");
    h.get_by_label_contains("opened the example 'HNSW: clusters'");

    // Step on, save, wander off, reopen: the cursor and every setting come back.
    for _ in 0..3 {
        h.key_press(Key::PageDown);
        h.run();
    }
    let path = dir.join("mine.json");
    assert!(h.state_mut().save_scene(&path));
    let saved = h.state().scene_file();
    h.key_press(Key::Num1);
    h.key_press(Key::Home);
    h.run();
    assert_ne!(h.state().scene_file(), saved);
    let ctx = h.ctx.clone();
    assert!(h.state_mut().open_scene(&ctx, &path));
    h.run();
    assert_eq!(h.state().scene_file(), saved);
    assert_eq!(
        h.state().files.recent.first(),
        Some(&std::path::absolute(&path).expect("abs"))
    );

    // The recent list is in the menu and opens the file.
    h.key_press(Key::Num2);
    h.run();
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Open recent").click();
    h.run();
    h.get_by_label("mine.json").click();
    h.run();
    assert_eq!(h.state().session.scene_id(), "hnsw");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_malformed_scene_file_is_refused_by_line_and_the_scene_stays() {
    let dir = tmp("bad");
    let mut h = harness(App::on_scene("nsw-construction"));
    h.run();
    h.key_press(Key::End);
    h.run();
    let before = h.state().scene_file();
    let good = h.state().scene_file().to_json();
    let cases = [
        ("truncated.json", good[..good.len() / 2].to_string()),
        (
            "future.json",
            good.replacen("\"version\": 2", "\"version\": 7", 1),
        ),
        ("empty.json", String::new()),
        (
            "huge.json",
            good.replacen("\"SeedLesson\"", "\"Uniform\"", 1).replacen(
                "\"n\": 200",
                "\"n\": 99999999",
                1,
            ),
        ),
    ];
    for (name, text) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        let ctx = h.ctx.clone();
        assert!(!h.state_mut().open_scene(&ctx, &path), "{name} refused");
        h.run();
        assert_eq!(h.state().scene_file(), before, "{name}: scene untouched");
        let status = h.state().files.status.clone().expect("a message");
        assert!(status.error, "{name}: an error");
        assert!(
            status.text.contains(name),
            "{name}: names the file: {}",
            status.text
        );
        h.get_by_label_contains("not opened");
    }
    let status = h.state().files.status.clone().expect("message");
    assert!(status.text.contains("99999999"), "{}", status.text);
    let ctx = h.ctx.clone();
    assert!(!h.state_mut().open_scene(&ctx, &dir.join("missing.json")));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ctrl_e_exports_the_canvas_as_png_at_2x_then_asks_before_replacing() {
    let dir = tmp("export");
    let mut h = harness(App::on_scene("nsw-construction"));
    h.run();
    h.key_press(Key::End);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run();
    h.get_by_label("Export figure");
    // Ctrl+E did not also pick a random entry (E alone does).
    let entry = |s: &Session| s.get::<GreedySearch>().expect("search").settings.entry;
    assert_eq!(
        entry(&h.state().session),
        entry(&Session::new("nsw-construction"))
    );
    let out = dir.join("fig.png");
    h.state_mut().files.form.path = out.display().to_string();
    h.run();
    h.get_by_label("2×").click();
    h.run();
    h.get_by_label("Export").click();
    h.run();
    h.state_mut().wait_for_export();
    h.run();
    h.get_by_label_contains("wrote");
    let canvas = h.state().files.canvas_size();
    let (w, hh, frames) = png_size(&out);
    assert_eq!(
        (w, hh, frames),
        (
            (canvas.x * 2.0).round() as u32,
            (canvas.y * 2.0).round() as u32,
            1
        )
    );

    // Again to the same name: it asks; "Keep it" writes nothing, "Replace it" does.
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run();
    h.state_mut().files.form.path = out.display().to_string();
    h.get_by_label("1×").click();
    h.run();
    h.get_by_label("Export").click();
    h.run();
    h.get_by_label_contains("exists.");
    h.get_by_label("Keep it").click();
    h.run();
    assert_eq!(png_size(&out).0, w, "kept");
    h.get_by_label("Export").click();
    h.run();
    h.get_by_label("Replace it").click();
    h.run();
    h.state_mut().wait_for_export();
    h.run();
    assert_eq!(png_size(&out).0, canvas.x.round() as u32, "replaced at 1×");
    assert_eq!(
        files_in(&dir),
        vec!["fig.png".to_string()],
        "no temporary files"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_animation_exports_one_frame_per_step_and_cancel_writes_nothing() {
    let dir = tmp("anim");
    let mut h = harness(App::on_scene("greedy-search"));
    h.run();
    h.state_mut().open_export_form();
    h.run();
    h.get_by_label("APNG (animated)").click();
    h.run();
    let steps = h.state().session.position().1;
    assert_eq!(
        h.state().files.form.to,
        steps,
        "the range defaults to every step"
    );
    h.get_by_label_contains(&format!("of {steps}: {} frames", steps + 1));
    let out = dir.join("walk.apng");
    h.state_mut().files.form.path = out.display().to_string();
    h.get_by_label("1×").click();
    h.run();
    h.get_by_label("Export").click();
    h.run();
    h.state_mut().wait_for_export();
    h.run();
    assert_eq!(png_size(&out).2 as usize, steps + 1);

    // A long export shows its progress and stops on Cancel, leaving no file.
    let cancelled = dir.join("cancelled.gif");
    h.state_mut().open_export_form();
    h.run();
    h.get_by_label("GIF (animated)").click();
    h.run();
    h.state_mut().files.form.path = cancelled.display().to_string();
    h.get_by_label("4×").click();
    h.run();
    h.get_by_label("Export").click();
    h.run();
    h.get_by_label("Exporting");
    h.get_by_label("Cancel").click();
    h.run();
    h.state_mut().wait_for_export();
    h.run();
    h.get_by_label_contains("export cancelled; nothing written");
    assert!(!cancelled.exists());
    assert_eq!(files_in(&dir), vec!["walk.apng".to_string()]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn hnsw_edits_made_in_the_window_are_saved_and_replayed() {
    use ann_explorer::engine::PointId;
    use ann_explorer::session::scene_file::SceneFile;
    let dir = tmp("edits");
    let mut h = harness(App::new(Session::with_data(
        "hnsw",
        DataSettings {
            preset: ann_explorer::engine::presets::Preset::Clusters,
            n: 120,
            ..DataSettings::default()
        },
    )));
    h.run();
    // Insert two random points (I), delete one point and move another.
    h.key_press(Key::I);
    h.run();
    h.key_press(Key::I);
    h.run();
    {
        let hs = h
            .state_mut()
            .session
            .get_mut::<Hnsw>()
            .and_then(|h| h.state.as_mut())
            .expect("hnsw");
        hs.delete_nearest([0.5, 0.5]).expect("a point to delete");
        let id = hs.nearest_live([0.1, 0.1]).expect("a point to move");
        hs.delete(id, Some([0.9, 0.2]));
    }
    h.key_press(Key::End);
    h.run();
    let path = dir.join("edited.json");
    assert!(h.state_mut().save_scene(&path));
    let text = std::fs::read_to_string(&path).expect("saved");
    assert!(text.contains("\"edits\""), "edits are in the file");
    let file = SceneFile::parse(&text).expect("parse");
    assert_eq!(
        file.scenes["hnsw"]["edits"].as_array().map(Vec::len),
        Some(4)
    );
    let rebuilt = file.build().expect("replays");
    // The replayed index is the edited one, link for link.
    let (a, b) = (&hnsw_of(&h.state().session).index, &hnsw_of(&rebuilt).index);
    assert_eq!(a.len(), b.len());
    for i in 0..a.len() as u32 {
        let id = PointId(i);
        assert_eq!(a.is_removed(id), b.is_removed(id), "node {i}");
        if a.is_removed(id) {
            continue;
        }
        for l in 0..=a.level(id) {
            assert_eq!(a.neighbors(id, l), b.neighbors(id, l), "node {i} layer {l}");
        }
    }
    // Save → load → save is byte-identical with edits too.
    assert_eq!(SceneFile::from_session(&rebuilt).to_json(), text);
    // An edit that cannot apply (the third deletes a node that does not exist) is refused
    // with its number.
    let bad = text.replacen("\"Delete\": ", "\"Delete\": 9999", 1);
    assert_ne!(bad, text);
    let Err(e) = SceneFile::parse(&bad).expect("parses").build() else {
        panic!("an edit of a missing node is refused");
    };
    assert!(e.to_string().contains("HNSW edit 3"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}
