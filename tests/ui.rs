//! The window driven like a user: click by label, read what it says.

use ann_explorer::engine::SearchMode;
use ann_explorer::engine::presets::Preset;
use ann_explorer::scenes::greedy_search::GreedySearch;
use ann_explorer::scenes::hnsw::Hnsw;
use ann_explorer::scenes::nsw_construction::NswConstruction;
use ann_explorer::session::{DataSettings, Session};
use ann_explorer::ui::App;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;
use common::{harness, on};

/// The window on a scene with a preset of n points.
fn with(scene: &str, preset: Preset, n: usize) -> App {
    App::new(Session::with_data(
        scene,
        DataSettings {
            preset,
            n,
            ..DataSettings::default()
        },
    ))
}

fn search<'a>(h: &'a Harness<'_, App>) -> &'a GreedySearch {
    h.state()
        .session
        .get::<GreedySearch>()
        .expect("greedy search")
}

fn hnsw<'a>(h: &'a Harness<'_, App>) -> &'a ann_explorer::scenes::hnsw::HnswScene {
    h.state()
        .session
        .get::<Hnsw>()
        .and_then(|s| s.state.as_ref())
        .expect("hnsw")
}

#[test]
fn step_to_a_local_minimum_then_retry_with_beam() {
    let mut h = harness(on("nsw-construction"));
    h.run();
    h.get_by_label("Greedy search").click();
    h.run();
    assert_eq!(h.state().session.scene_id(), "greedy-search");
    // The lesson's walk from 0 stops at 1.
    // The lesson's walk button starts the walk playing; a step pauses it.
    h.get_by_label("from 0").click();
    h.run_steps(2);
    assert!(h.state().session.playing());
    let mut steps = 0;
    while h.query_by_label_contains("LOCAL MINIMUM").is_none() {
        h.get_by_label("Step ⏵").click();
        h.run();
        steps += 1;
        assert!(steps < 20, "no local minimum narrated after {steps} steps");
    }
    // The narration lists the stuck node's neighbour distances and names the true answer.
    h.get_by_label_contains("the true nearest neighbour is 6");
    h.get_by_label_contains("Distances from the query to 1's neighbours");
    assert!(search(&h).at_local_minimum());

    h.get_by_label("retry with beam ef").click();
    h.run();
    let m = search(&h);
    assert!(matches!(m.settings.search_mode(), SearchMode::Beam { .. }));
    // Both outcomes are kept side by side, on the same query and entry.
    let greedy = m
        .runs
        .iter()
        .find(|r| r.mode == SearchMode::Greedy && r.entry.0 == 0)
        .expect("greedy run")
        .clone();
    let beam = m
        .runs
        .iter()
        .find(|r| matches!(r.mode, SearchMode::Beam { .. }))
        .expect("beam run")
        .clone();
    assert!(!greedy.exact);
    assert!(beam.exact, "beam ef = 8 on 8 points finds the nearest");
    assert_eq!(beam.entry, greedy.entry);
    assert!(beam.stats.distance_computations > greedy.stats.distance_computations);
    // Play the beam search to the end and read its counters off the screen.
    h.get_by_label("Last ⏭").click();
    h.run();
    h.get_by_label_contains("✔ exact");
    let shown = format!(
        "{}",
        search(&h)
            .search
            .as_ref()
            .expect("search")
            .state
            .distance_computations
    );
    assert_eq!(shown, beam.stats.distance_computations.to_string());
    assert!(
        h.query_all_by_label(&shown).next().is_some(),
        "counter {shown} on screen"
    );
    h.get_by_label("beam ef = 8");
}

#[test]
fn keyboard_drives_the_player() {
    let mut h = harness(on("nsw-construction"));
    h.run();
    let cursor = |h: &Harness<'_, App>| {
        h.state()
            .session
            .get::<NswConstruction>()
            .expect("nsw")
            .build
            .player
            .cursor
    };
    assert_eq!(cursor(&h), 0);
    h.key_press(egui::Key::ArrowRight);
    h.run();
    let one = cursor(&h);
    assert!(one > 0);
    h.key_press(egui::Key::PageDown);
    h.run();
    assert!(cursor(&h) > one, "PgDn steps forward like a slide clicker");
    h.key_press(egui::Key::PageUp);
    h.run();
    assert_eq!(cursor(&h), one);
    h.key_press(egui::Key::End);
    h.run();
    assert_eq!(
        cursor(&h),
        h.state()
            .session
            .get::<NswConstruction>()
            .expect("nsw")
            .build
            .trace
            .len()
    );
    h.get_by_label_contains("step 21 / 21");
    h.key_press(egui::Key::Home);
    h.run();
    assert_eq!(cursor(&h), 0);
    h.key_press(egui::Key::Num4);
    h.run();
    assert_eq!(h.state().session.scene_id(), "greedy-search");
}

#[test]
fn every_preset_opens_in_both_scenes() {
    for preset in Preset::ALL {
        let mut h = harness(with("nsw-construction", preset, 300));
        h.run();
        assert!(
            h.state().session.error().is_none(),
            "{preset:?}: {:?}",
            h.state().session.error()
        );
        h.get_by_label("Greedy search").click();
        h.run();
        h.get_by_label("Last ⏭").click();
        h.run();
        h.get_by_label_contains("true nearest (brute force)");
        h.get_by_label("HNSW").click();
        h.run();
        h.get_by_label("Last ⏭").click();
        h.run();
        h.get_by_label_contains("Path by layer");
        h.get_by_label_contains("Graph details");
    }
}

#[test]
fn zero_points_say_so_and_do_not_panic() {
    let mut h = harness(with("nsw-construction", Preset::Uniform, 0));
    h.run();
    h.get_by_label_contains("There are no points");
    h.get_by_label("Step ⏵").click();
    h.run();
    h.get_by_label_contains("step 0 / 0");
    h.get_by_label("Greedy search").click();
    h.run();
    h.get_by_label_contains("Nothing to play");
    h.get_by_label_contains("No points yet");
}

#[test]
fn hnsw_search_in_the_stacked_view_reads_the_path_per_layer() {
    let mut h = harness(with("nsw-construction", Preset::Uniform, 400));
    h.run();
    h.get_by_label("HNSW").click();
    h.run();
    assert_eq!(h.state().session.scene_id(), "hnsw");
    let top = hnsw(&h).index.max_level();
    assert!(top >= 2, "400 points with M = 5 make several layers");
    // Step through: the narration names each layer drop.
    let mut drops = 0;
    for _ in 0..500 {
        h.get_by_label("Step ⏵").click();
        h.run();
        if h.query_by_label_contains("Drop to layer").is_some() {
            drops += 1;
        }
        if h.query_by_label_contains("Answer #1").is_some() {
            break;
        }
    }
    assert!(drops >= top, "saw {drops} layer drops for {top} layers");
    // The answer's narration lists the path on every layer, top to bottom.
    h.get_by_label_contains("Path by layer");
    let text = h.state().session.narration().text;
    for l in 0..=top {
        assert!(
            text.contains(&format!("layer {l}:")),
            "layer {l} missing from: {text}"
        );
    }
    h.get_by_label_contains("Graph details");
    h.get_by_label_contains("Same query, two widths");
    // Insert a point with animation, then the counters show the links it added.
    h.get_by_label("➕ insert a random point").click();
    h.run();
    h.get_by_label("Last ⏭").click();
    h.run();
    let st = &hnsw(&h).play.as_ref().expect("play").state;
    assert!(!st.links_added.is_empty());
    assert_eq!(hnsw(&h).index.len(), 401);
}

#[test]
fn question_mark_overlays_the_keyboard_map_and_escape_closes_it() {
    let mut h = harness(on("nsw-construction"));
    h.run();
    assert!(h.query_by_label("Keyboard map").is_none());
    h.event(egui::Event::Text("?".into()));
    h.run();
    h.get_by_label("Keyboard map");
    // Every shortcut is listed, the file ones too.
    for (key, _) in ann_explorer::ui::app::KEYS {
        h.get_by_label(key);
    }
    h.get_by_label("ctrl+E");
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.query_by_label("Keyboard map").is_none());
    // H opens it too; a second H closes it.
    h.key_press(egui::Key::H);
    h.run();
    h.get_by_label("Keyboard map");
    h.key_press(egui::Key::H);
    h.run();
    assert!(h.query_by_label("Keyboard map").is_none());
}

#[test]
fn the_runs_table_keeps_the_answer_until_the_walk_ends() {
    let mut h = harness(on("greedy-search"));
    h.run();
    // The lesson's walk button starts the walk playing; a step pauses it.
    h.get_by_label("from 0").click();
    h.run_steps(2);
    assert!(h.state().session.playing());
    // From 0 the lesson's walk stops at 1, not at the nearest (6): not told before the end.
    assert!(h.query_by_label("1 (0.355)").is_none(), "no spoiler");
    h.get_by_label("(walking…)");
    h.key_press(egui::Key::End);
    h.run();
    h.get_by_label("1 (0.355)");
    assert!(h.query_by_label("(walking…)").is_none());
}

#[test]
fn every_scene_opens_by_its_tab_and_plays_to_the_end() {
    for e in ann_explorer::scenes::REGISTRY {
        let mut h = harness(with("nsw-construction", Preset::Clusters, 120));
        h.run();
        // The tab (the first of the name's labels: the panel's heading may repeat it).
        h.query_all_by_label(e.info.name)
            .next()
            .expect("a tab")
            .click();
        h.run();
        assert_eq!(h.state().session.scene_id(), e.info.id);
        h.get_by_label("Last ⏭").click();
        h.run();
        let (step, total) = h.state().session.position();
        assert_eq!(step, total, "{}", e.info.id);
        h.get_by_label_contains(&format!("step {total} / {total}"));
        // The narration and the counters of the scene are on screen.
        let n = h.state().session.narration();
        h.get_by_label(&n.title);
        for c in h.state().session.counters() {
            assert!(
                h.query_all_by_label(&c.label).next().is_some(),
                "{}: counter {}",
                e.info.id,
                c.label
            );
        }
        // The number key opens it too.
        h.key_press(egui::Key::Num1);
        h.run();
        let key = match e.info.key {
            '1' => egui::Key::Num1,
            '2' => egui::Key::Num2,
            '3' => egui::Key::Num3,
            '4' => egui::Key::Num4,
            '5' => egui::Key::Num5,
            '6' => egui::Key::Num6,
            '7' => egui::Key::Num7,
            '8' => egui::Key::Num8,
            '9' => egui::Key::Num9,
            _ => egui::Key::Num0,
        };
        h.key_press(key);
        h.run();
        assert_eq!(
            h.state().session.scene_id(),
            e.info.id,
            "key {}",
            e.info.key
        );
    }
}

#[test]
fn the_construction_scenes_lesson_walk_switches_to_greedy_search_and_plays() {
    let mut h = harness(on("nsw-construction"));
    h.run();
    h.get_by_label("from 0").click();
    h.run_steps(2);
    assert_eq!(h.state().session.scene_id(), "greedy-search");
    assert!(h.state().session.playing());
    assert_eq!(search(&h).settings.entry, 0);
}

fn press(h: &mut Harness<'_, App>, pos: egui::Pos2, pressed: bool) {
    h.event(egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::NONE,
    });
}

#[test]
fn a_double_click_fits_the_view_without_moving_the_query() {
    // Frames 1/60 s apart, so two clicks fall within egui's double-click time.
    let mut h = Harness::builder()
        .with_size(egui::vec2(1600.0, 1000.0))
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(|ui, app: &mut App| app.show(ui), on("greedy-search"));
    h.run();
    let q0 = h.state().session.query;
    let rect = h.state().files.canvas_rect.expect("canvas");
    let at = rect.left_top() + egui::vec2(rect.width() * 0.8, rect.height() * 0.3);
    h.event(egui::Event::PointerMoved(at));
    for _ in 0..2 {
        press(&mut h, at, true);
        h.step();
        press(&mut h, at, false);
        h.step();
    }
    h.run();
    assert_eq!(h.state().session.query, q0, "the query stays where it was");
    // A single click still moves it.
    press(&mut h, at, true);
    h.step();
    press(&mut h, at, false);
    h.run();
    assert_ne!(h.state().session.query, q0);
}

#[test]
fn a_quick_drag_of_the_query_star_moves_the_query_not_the_view() {
    let mut h = harness(on("greedy-search"));
    h.run();
    let q0 = h.state().session.query;
    let star = h.state().screen_pos_of(q0).expect("on screen");
    let to = star + egui::vec2(120.0, 40.0);
    h.event(egui::Event::PointerMoved(star));
    press(&mut h, star, true);
    h.step();
    // One big jump, as a quick hand makes: the grab is where the press began.
    h.event(egui::Event::PointerMoved(to));
    h.step();
    press(&mut h, to, false);
    h.run();
    let q1 = h.state().session.query;
    assert_ne!(q1, q0, "the query moved");
    let now = h.state().screen_pos_of(q1).expect("on screen");
    assert!(
        now.distance(to) < 2.0,
        "the star is under the pointer: {now:?} vs {to:?}"
    );
    assert_eq!(
        h.state().screen_pos_of(q0).map(|p| p.distance(star) < 0.5),
        Some(true),
        "the view did not pan"
    );
}

#[test]
fn long_pseudocode_lines_wrap_under_their_own_indent() {
    // A narrow right panel: HNSW's long lines must wrap.
    let mut h = Harness::builder()
        .with_size(egui::vec2(1024.0, 768.0))
        .build_ui_state(|ui, app: &mut App| app.show(ui), on("hnsw"));
    h.run();
    // Every pseudocode line starts at or right of its own indentation.
    let lines = h.state().session.scene().pseudocode();
    let anchor = h.get_by_label(lines[0].trim_start()).rect().left();
    let mut found = 0;
    for l in lines.iter().skip(1) {
        let body = l.trim_start();
        let indent = l.len() - body.len();
        if let Some(node) = h.query_by_label(body) {
            found += 1;
            let left = node.rect().left();
            assert!(
                left >= anchor + indent as f32 * 5.0,
                "'{body}' starts at {left}, left of its indent {indent} (anchor {anchor})"
            );
        }
    }
    assert_eq!(found, lines.len() - 1, "every line is its own label");
}

#[test]
fn a_scene_file_that_cannot_be_opened_is_said_in_the_window() {
    let mut h = harness(on("nsw-construction"));
    h.run();
    let bad = std::env::temp_dir().join(format!("ann-explorer-bad-{}.json", std::process::id()));
    std::fs::write(&bad, "{ not json").expect("write");
    let ctx = h.ctx.clone();
    // What main does with --open-file: open, and on failure raise the alert.
    let ok = h.state_mut().open_scene(&ctx, &bad);
    assert!(!ok);
    let msg = h.state().files.status.as_ref().map(|s| s.text.clone());
    h.state_mut().alert = msg;
    h.run();
    h.get_by_label("Could not open the scene");
    assert!(
        h.query_all_by_label_contains("not opened").count() >= 2,
        "in the alert and the status line"
    );
    h.get_by_label("OK").click();
    h.run();
    assert!(h.state().alert.is_none());
    assert!(h.query_by_label("Could not open the scene").is_none());
    let _ = std::fs::remove_file(&bad);
}

#[test]
fn ctrl_z_undoes_a_query_move_and_ctrl_shift_z_redoes_it() {
    let mut h = harness(on("greedy-search"));
    h.run();
    let q0 = h.state().session.query;
    let rect = h.state().files.canvas_rect.expect("canvas");
    let at = rect.left_top() + egui::vec2(rect.width() * 0.7, rect.height() * 0.4);
    h.event(egui::Event::PointerMoved(at));
    press(&mut h, at, true);
    h.step();
    press(&mut h, at, false);
    h.run();
    let q1 = h.state().session.query;
    assert_ne!(q1, q0);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(h.state().session.query, q0, "undone");
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    h.run();
    assert_eq!(h.state().session.query, q1, "redone");
    // The Edit menu offers both.
    h.get_by_label("Edit").click();
    h.run();
    assert!(h.query_all_by_label_contains("Undo").next().is_some());
    assert!(h.query_all_by_label_contains("Redo").next().is_some());
}

#[test]
fn l_hides_the_legend_and_the_view_refits_to_the_room() {
    let mut h = harness(on("brute-force"));
    h.run();
    let before = h.state().screen_pos_of([0.5, 0.0]).expect("on screen");
    h.key_press(egui::Key::L);
    h.run();
    assert!(!h.state().legend);
    let after = h.state().screen_pos_of([0.5, 0.0]).expect("on screen");
    assert!(after.y > before.y, "the data takes the strip's room");
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Legend (L)").click();
    h.run();
    assert!(h.state().legend);
}
