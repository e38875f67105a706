//! A lecture by slide clicker on a 1024 × 768 projector, driven headless with egui_kittest:
//! presenter mode (F5), then PgDn and nothing else. Every built-in lesson must reach the end
//! of its last slide, every slide's task must hold before the clicker leaves it, and no slide
//! may take more than 12 presses; every scene on its own must reach its end by beats, and its
//! canvas must not move or change size from one beat to the next.

use ann_explorer::scenes::REGISTRY;
use ann_explorer::ui::App;
use egui_kittest::Harness;

/// Presses a slide may take at most (the limit).
const MAX_PRESSES: usize = 12;

fn projector(app: App, w: f32, h: f32) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(w, h))
        .with_step_dt(0.1)
        .with_max_steps(200)
        .build_ui_state(|ui, app: &mut App| app.show(ui), app);
    h.run_steps(2);
    h.key_press(egui::Key::F5);
    h.run_steps(3);
    h
}

/// Frames until the clicker's move has played and background work has finished (at most
/// 120 s of work: a lesson's sweep is sized for seconds).
fn settle(h: &mut Harness<'static, App>) {
    let start = std::time::Instant::now();
    loop {
        h.step();
        let s = h.state();
        let idle = !s.session.moving() && !s.session.busy() && !s.clicker_waiting;
        if idle {
            break;
        }
        if s.session.busy() {
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        assert!(
            start.elapsed().as_secs() < 120,
            "the clicker's work never ended"
        );
    }
    h.run_steps(2);
}

fn press_next(h: &mut Harness<'static, App>) {
    h.key_press(egui::Key::PageDown);
    settle(h);
}

#[test]
fn every_lesson_is_taught_by_pgdn_alone_at_1024x768() {
    let (lessons, refused) = ann_explorer::session::lesson::built_in();
    assert!(refused.is_empty(), "{refused:?}");
    let (mut slides, mut most, mut all) = (0, 0, 0);
    for lesson in &lessons {
        let mut app = App::on_scene("brute-force");
        app.open_lesson_named(&lesson.id, 1).expect("opens");
        let mut h = projector(app, 1024.0, 768.0);
        let n = lesson.slides.len();
        let mut per_slide = vec![0usize; n];
        let mut slide = 0;
        let mut canvas = h.state().files.canvas_rect.expect("a canvas");
        loop {
            let (task, _) = h.state_mut().slide_done();
            if slide + 1 == n && task && h.state_mut().slide_finished() {
                break;
            }
            if std::env::var("LECTURE_DEBUG").is_ok() {
                let s = h.state();
                eprintln!(
                    "{} slide {} press {}: position {:?} beat {:?} task {task} shown {:?} '{}'",
                    lesson.id,
                    slide + 1,
                    per_slide[slide] + 1,
                    s.session.position(),
                    s.beat_position(),
                    s.lessons.shown,
                    s.session.narration().title
                );
            }
            press_next(&mut h);
            per_slide[slide] += 1;
            let now = h.state().lessons.current.expect("a slide").1;
            let rect = h.state().files.canvas_rect.expect("a canvas");
            if now == slide {
                // Within a slide the canvas holds still.
                assert!(
                    (rect.min - canvas.min).length() < 0.5
                        && (rect.max - canvas.max).length() < 0.5,
                    "{}: slide {}: the canvas moved from {canvas:?} to {rect:?} at press {}",
                    lesson.id,
                    slide + 1,
                    per_slide[slide]
                );
            }
            canvas = rect;
            if now != slide {
                assert_eq!(
                    now,
                    slide + 1,
                    "{}: slide {} went to {now}",
                    lesson.id,
                    slide + 1
                );
                assert!(
                    task,
                    "{}: slide {} ('{}') was left with its task not done",
                    lesson.id,
                    slide + 1,
                    lesson.slides[slide].title
                );
                slide = now;
            }
            assert!(
                per_slide[slide] <= MAX_PRESSES,
                "{}: slide {} ('{}') takes more than {MAX_PRESSES} presses (at {}, beat {:?}, narration '{}')",
                lesson.id,
                slide + 1,
                lesson.slides[slide].title,
                h.state().session.position().0,
                h.state().beat_position(),
                h.state().session.narration().title
            );
        }
        println!(
            "{}: {} slides, presses per slide {:?}",
            lesson.id, n, per_slide
        );
        slides += n;
        most = most.max(per_slide.iter().copied().max().unwrap_or(0));
        all += per_slide.iter().sum::<usize>();
    }
    println!(
        "lecture: {} lessons, {slides} slides, at most {most} presses per slide, {all} presses in all",
        lessons.len()
    );
}

#[test]
fn every_scene_reaches_its_end_by_beats_and_its_canvas_holds_still() {
    for (w, hgt) in [(1024.0, 768.0), (1280.0, 720.0)] {
        for e in REGISTRY {
            let mut h = projector(App::on_scene(e.info.id), w, hgt);
            settle(&mut h);
            let canvas = h.state().files.canvas_rect.expect("a canvas");
            let mut presses = 0;
            loop {
                let s = h.state();
                if !s.session.beat_ahead(s.beat_budget()) {
                    break;
                }
                press_next(&mut h);
                presses += 1;
                let now = h.state().files.canvas_rect.expect("a canvas");
                assert!(
                    (now.min - canvas.min).length() < 0.5 && (now.max - canvas.max).length() < 0.5,
                    "{} at {w}x{hgt}: the canvas moved from {canvas:?} to {now:?} at press {presses}",
                    e.info.id
                );
                if presses > 34 {
                    let s = h.state();
                    eprintln!(
                        "{} press {presses}: position {:?} beats {:?} busy {} work {:?} '{}'",
                        e.info.id,
                        s.session.position(),
                        s.beat_position(),
                        s.session.busy(),
                        s.session.scene().next_work(),
                        s.session.narration().title
                    );
                }
                assert!(presses <= 40, "{}: no end after 40 presses", e.info.id);
            }
            let (_, beats) = h.state().beat_position();
            println!(
                "{} at {w}x{hgt}: {presses} presses, {beats} beats, canvas {:.0} × {:.0} points",
                e.info.id,
                canvas.width(),
                canvas.height()
            );
        }
    }
}
