//! Nothing cut off, at any projector size: every text shape egui paints — in every scene,
//! every lesson slide, the help overlay and the Lessons window, at 1024 × 768, 1280 × 720 and
//! 1600 × 1000, in presenter and in normal mode — lies whole inside the window and inside its
//! clip rectangle (its panel, its scroll area, the canvas), or wholly outside it (scrolled
//! away). Read off egui's own output, not off the widgets' intentions.

use ann_explorer::scenes::REGISTRY;
use ann_explorer::ui::App;
use ann_explorer::ui::app::lessons::Lessons;
use egui::{Pos2, Rect, Shape};
use egui_kittest::Harness;

const SIZES: [(f32, f32); 3] = [(1024.0, 768.0), (1280.0, 720.0), (1600.0, 1000.0)];

/// How far a glyph may pass its clip, in points (antialiasing, rounding).
const SLACK: f32 = 1.0;

/// One text painted: what it says, and where its glyphs are.
struct Painted {
    text: String,
    bounds: Rect,
    clip: Rect,
}

fn texts_of(shape: &Shape, clip: Rect, out: &mut Vec<Painted>) {
    match shape {
        Shape::Vec(v) => v.iter().for_each(|s| texts_of(s, clip, out)),
        Shape::Text(t) => {
            let g = &t.galley;
            if g.text().trim().is_empty() || !g.mesh_bounds.is_positive() {
                return;
            }
            let b = g.mesh_bounds.translate(t.pos.to_vec2());
            // A rotated label: the bounds of its corners turned about its anchor.
            let bounds = if t.angle == 0.0 {
                b
            } else {
                let rot = egui::emath::Rot2::from_angle(t.angle);
                let pts: Vec<Pos2> = [
                    b.left_top(),
                    b.right_top(),
                    b.left_bottom(),
                    b.right_bottom(),
                ]
                .into_iter()
                .map(|p| t.pos + rot * (p - t.pos))
                .collect();
                Rect::from_points(&pts)
            };
            out.push(Painted {
                text: g.text().to_string(),
                bounds,
                clip,
            });
        }
        _ => {}
    }
}

/// (texts cut, texts checked) of the last frame, and a description of each cut one.
fn check(h: &Harness<'_, App>, what: &str, presenter: bool, overlay: bool) -> (Vec<String>, usize) {
    let screen = h.ctx.content_rect();
    let canvas = h.state().files.canvas_rect;
    let mut painted = Vec::new();
    for cs in &h.output().shapes {
        texts_of(&cs.shape, cs.clip_rect, &mut painted);
    }
    let mut cut = Vec::new();
    let mut checked = 0;
    for p in &painted {
        let visible = p.clip.intersect(screen);
        if !visible.intersects(p.bounds) {
            // Scrolled away or hidden: nothing of it is seen.
            continue;
        }
        checked += 1;
        let b = p.bounds;
        let across = b.left() >= visible.left() - SLACK && b.right() <= visible.right() + SLACK;
        let down = b.top() >= visible.top() - SLACK && b.bottom() <= visible.bottom() + SLACK;
        // Away from a projector a panel may scroll: a line cut at the top or bottom of its
        // clip is scrolled, not cut, when more text lies beyond that edge in the same clip
        // (and the clip is not the window's edge). Presenter mode scrolls nothing.
        // Away from the canvas, a normal window's panels, the keyboard map and the Lessons
        // window scroll: a line at a scroll area's top or bottom edge is scrolled, not cut.
        // The canvas, and presenter mode's panels and caption, scroll nothing.
        let on_canvas = canvas.is_some_and(|c| {
            (c.min - p.clip.min).length() < 1.0 && (c.max - p.clip.max).length() < 1.0
        });
        let scrolled = !down && !on_canvas && (overlay || !presenter);
        if !across || (!down && !scrolled) {
            cut.push(format!(
                "{what}: '{}' at {:?} cut by {:?}",
                p.text.chars().take(60).collect::<String>(),
                b,
                visible
            ));
        }
    }
    (cut, checked)
}

fn window(app: App, (w, hgt): (f32, f32), presenter: bool) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(egui::vec2(w, hgt))
        .with_step_dt(0.1)
        .build_ui_state(|ui, app: &mut App| app.show(ui), app);
    h.run_steps(2);
    if presenter {
        h.key_press(egui::Key::F5);
    }
    h.run_steps(4);
    h
}

#[derive(Default)]
struct Tally {
    cut: Vec<String>,
    checked: usize,
    per_size: std::collections::BTreeMap<String, (usize, usize)>,
}

impl Tally {
    fn add(&mut self, h: &Harness<'_, App>, size: (f32, f32), presenter: bool, what: &str) {
        self.add_over(h, size, presenter, what, false);
    }

    /// `overlay`: a window over the canvas (the keyboard map, the Lessons window) is on show.
    fn add_over(
        &mut self,
        h: &Harness<'_, App>,
        size: (f32, f32),
        presenter: bool,
        what: &str,
        overlay: bool,
    ) {
        let mode = if presenter { "presenter" } else { "normal" };
        let (cut, checked) = check(
            h,
            &format!("{what} at {}x{} {mode}", size.0, size.1),
            presenter,
            overlay,
        );
        let e = self
            .per_size
            .entry(format!("{}x{} {mode}", size.0, size.1))
            .or_default();
        e.0 += cut.len();
        e.1 += checked;
        self.checked += checked;
        self.cut.extend(cut);
    }

    fn report(self) {
        for (size, (c, t)) in &self.per_size {
            println!("{size}: clipped {c} of {t}");
        }
        for c in self.cut.iter() {
            println!("{c}");
        }
        println!("clipped texts: {} of {}", self.cut.len(), self.checked);
        assert!(self.cut.is_empty(), "{} texts are cut off", self.cut.len());
    }
}

#[test]
fn no_text_is_cut_off_in_any_scene_slide_or_overlay() {
    let mut tally = Tally::default();
    let (lessons, _) = ann_explorer::session::lesson::built_in();
    for size in SIZES {
        for presenter in [true, false] {
            for e in REGISTRY {
                let mut h = window(App::on_scene(e.info.id), size, presenter);
                tally.add(&h, size, presenter, e.info.id);
                // Half-way through and at the end too: the narration changes with the step.
                h.key_press(egui::Key::End);
                h.run_steps(3);
                tally.add(&h, size, presenter, &format!("{} at its end", e.info.id));
            }
            // The help overlay and the Lessons window.
            let mut h = window(App::on_scene("hnsw"), size, presenter);
            h.key_press(egui::Key::H);
            h.run_steps(3);
            tally.add_over(&h, size, presenter, "the keyboard map", true);
            h.key_press(egui::Key::Escape);
            h.run_steps(2);
            let mut app = App::on_scene("hnsw");
            app.show_lessons();
            let h = window(app, size, presenter);
            tally.add_over(&h, size, presenter, "the Lessons window", true);
            // Every slide of every lesson.
            for (i, l) in lessons.iter().enumerate() {
                for s in 0..l.slides.len() {
                    let mut app = App::on_scene("brute-force");
                    app.lessons = Lessons::preloaded(lessons.clone());
                    assert!(app.open_slide(i, s));
                    let mut h = window(app, size, presenter);
                    tally.add(&h, size, presenter, &format!("{} slide {}", l.id, s + 1));
                    // And at the trace's end, where the outcome (a local minimum's
                    // remedies, a result) is said.
                    h.key_press(egui::Key::End);
                    h.run_steps(3);
                    tally.add(
                        &h,
                        size,
                        presenter,
                        &format!("{} slide {} at its end", l.id, s + 1),
                    );
                }
            }
        }
    }
    tally.report();
}
