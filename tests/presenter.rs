//! Presenter mode, driven headless with egui_kittest: F5 and the View menu, the canvas's
//! share of small projectors, every top-bar control reachable, the caption's size and
//! contrast, the pseudocode folding to the current line.

use ann_explorer::scenes::nsw_construction::NswConstruction;
use ann_explorer::ui::App;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

mod common;
use common::{harness, on};

/// WCAG contrast ratio of two colours.
fn contrast(a: egui::Color32, b: egui::Color32) -> f32 {
    let lum = |c: egui::Color32| {
        let f = |v: u8| {
            let v = v as f32 / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * f(c.r()) + 0.7152 * f(c.g()) + 0.0722 * f(c.b())
    };
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[test]
fn the_presenter_caption_reads_from_the_back_of_the_room() {
    use ann_explorer::ui::app::{CAPTION_BODY, CAPTION_TITLE, caption_body_color};
    const { assert!(CAPTION_BODY >= CAPTION_TITLE / 2.0) };
    for v in [egui::Visuals::dark(), egui::Visuals::light()] {
        let c = contrast(caption_body_color(&v), v.panel_fill);
        assert!(
            c >= 7.0,
            "caption body contrast {c:.1}:1 (dark = {})",
            v.dark_mode
        );
    }
}

/// Presenter mode on the projectors lecture rooms have: the canvas takes most of the width and
/// every scene tab and top-bar control is still there.
#[test]
fn presenter_mode_leaves_the_canvas_most_of_a_small_projector() {
    for (w, h_px) in [
        (1280.0, 720.0),
        (1024.0, 768.0),
        (1280.0, 800.0),
        (1920.0, 1080.0),
        (3840.0, 2160.0),
    ] {
        for e in ann_explorer::scenes::REGISTRY {
            let mut h = Harness::builder()
                .with_size(egui::vec2(w, h_px))
                .build_ui_state(|ui, app: &mut App| app.show(ui), on(e.info.id));
            h.run();
            h.key_press(egui::Key::F5);
            h.run();
            h.run();
            let screen = h.ctx.content_rect();
            let canvas = h.state().files.canvas_rect.expect("canvas");
            let share = canvas.width() / screen.width();
            assert!(
                share >= 0.6,
                "{} at {w}x{h_px}: the canvas has {:.0} % of the width",
                e.info.id,
                share * 100.0
            );
            // Every scene can still be chosen, and presenter mode left, on screen.
            let leave = h.get_by_label_contains("Leave presenter").rect();
            assert!(
                leave.right() <= screen.right() + 0.5,
                "{} at {w}x{h_px}: 'Leave presenter' is off screen ({leave:?})",
                e.info.id
            );
            assert!(
                h.query_all_by_label_contains(e.info.name).next().is_some(),
                "{}",
                e.info.name
            );
            // Every quick control of the top bar is on screen, or folded into the View menu.
            let mut folded = Vec::new();
            // The theme button names the theme it switches to.
            let theme = if h.state().session.look.dark {
                "Light"
            } else {
                "Dark"
            };
            for (bar, in_menu) in [
                ("colour-blind safe", "Colour-blind safe palette"),
                ("Keys", "Keyboard map (H or ?)"),
                (theme, "Dark theme (T)"),
            ] {
                match h.query_by_label_contains(bar) {
                    Some(node) => assert!(
                        node.rect().right() <= screen.right() + 0.5,
                        "{} at {w}x{h_px}: '{bar}' is cut off ({:?})",
                        e.info.id,
                        node.rect()
                    ),
                    None => folded.push(in_menu),
                }
            }
            if !folded.is_empty() {
                h.get_by_label("View").click();
                h.run();
                for label in folded {
                    let node = h.get_by_label(label);
                    assert!(node.rect().right() <= screen.right() + 0.5, "{label}");
                }
                h.key_press(egui::Key::Escape);
                h.run();
            }
        }
    }
}

#[test]
fn presenter_pseudocode_shrinks_to_the_current_line_and_its_neighbours() {
    let mut h = Harness::builder()
        .with_size(egui::vec2(1024.0, 768.0))
        .build_ui_state(|ui, app: &mut App| app.show(ui), on("hnsw"));
    h.run();
    h.key_press(egui::Key::F5);
    h.run();
    h.key_press(egui::Key::End);
    h.run();
    let code = h.state().session.scene().pseudocode();
    let line = h.state().session.narration().line.expect("a line");
    let shown = |h: &Harness<'_, App>, i: usize| h.query_by_label(code[i].trim_start()).is_some();
    assert!(shown(&h, line), "the current line");
    // On a small projector the panel has room for a few lines around it, not for all.
    let far = if line > 4 { 0 } else { code.len() - 1 };
    assert!(!shown(&h, far), "a far line is left out");
}

#[test]
fn f5_toggles_presenter_mode_and_pgdn_steps() {
    let mut h = harness(on("nsw-construction"));
    h.run();
    let zoom = |h: &Harness<'_, App>| h.ctx.zoom_factor();
    assert_eq!(zoom(&h), 1.0);
    assert!(
        h.query_by_label("Data").is_some(),
        "the parameters panel is shown"
    );
    h.key_press(egui::Key::F5);
    h.run();
    assert!(h.state().presenter);
    assert!(zoom(&h) > 1.0, "presenter mode scales the UI");
    assert!(
        h.query_by_label("Data").is_none(),
        "side panels collapse to the essentials"
    );
    let before = h
        .state()
        .session
        .get::<NswConstruction>()
        .expect("nsw")
        .build
        .player
        .cursor;
    h.key_press(egui::Key::PageDown);
    h.run();
    assert!(
        h.state()
            .session
            .get::<NswConstruction>()
            .expect("nsw")
            .build
            .player
            .cursor
            > before,
        "PgDn steps the trace"
    );
    // The narration is the caption under the canvas.
    h.get_by_label_contains("Insert point 0");
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!h.state().presenter);
    assert_eq!(zoom(&h), 1.0);
}

#[test]
fn the_view_menu_toggles_presenter_mode_too() {
    let mut h = harness(on("nsw-construction"));
    h.run();
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Presenter mode (F5)").click();
    h.run();
    assert!(h.state().presenter);
    assert!(h.ctx.zoom_factor() > 1.0);
    h.key_press(egui::Key::Escape);
    h.run();
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Keyboard map (H or ?)").click();
    h.run();
    h.get_by_label("Keyboard map");
}
