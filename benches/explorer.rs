//! `cargo bench --bench explorer`: recording overhead and per-frame cost of the window.
//!
//! Figures are ratios against a baseline measured in the same run, since the machines are
//! shared and noisy: recorded build / fast build, and frame time at n / frame time at 1,000.
//! `NO_STEP=1` keeps the cursor still, measuring a frame whose primitives are cached.

use std::hint::black_box;
use std::time::Instant;

use ann_explorer::engine::presets::{self, Preset};
use ann_explorer::engine::{InsertRule, Metric, NoRecorder, Nsw, NswParams};
use ann_explorer::trace::Trace;
use ann_explorer::trace::player::Command;
use ann_explorer::ui::App;
use ann_explorer::ui::model::{SceneKind, Settings};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn time<F: FnMut()>(reps: usize, mut f: F) -> f64 {
    median(
        (0..reps)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

fn build_overhead() {
    println!("== NSW build: recorded trace vs fast path (same code, no-op recorder) ==");
    for (rule, n) in [
        (InsertRule::Exact, 1_000),
        (InsertRule::Exact, 10_000),
        (InsertRule::Malkov2014 { w: 3 }, 10_000),
    ] {
        let ds = presets::generate(Preset::Uniform, n, 1).expect("data");
        let params = NswParams {
            m: 4,
            rule,
            metric: Metric::Euclidean,
            seed: 1,
        };
        let fast = time(5, || {
            black_box(Nsw::build(&ds.points, params, &mut NoRecorder).expect("build"));
        });
        let mut events = 0;
        let rec = time(5, || {
            let (t, _, _) = Trace::record_construction(&ds.points, params).expect("build");
            events = t.len();
            black_box(t);
        });
        println!(
            "{:>28} n={n:>6}: fast {:>8.2} ms, recorded {:>8.2} ms ({events} events), ratio {:.2}",
            rule.name(),
            fast * 1e3,
            rec * 1e3,
            rec / fast
        );
    }
}

fn frame_ms(n: usize, scene: SceneKind) -> f64 {
    let settings = Settings {
        preset: Preset::Uniform,
        n,
        m: 4,
        scene,
        ..Settings::default()
    };
    let mut app = App::new(settings);
    let ctx = egui::Context::default();
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1920.0, 1080.0),
        )),
        ..Default::default()
    };
    // Warm up fonts and caches.
    for _ in 0..3 {
        let out = ctx.run_ui(input(), |ui| app.show(ui));
        black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
    }
    let mut forward = true;
    time(30, || {
        // Move the cursor so the scene's primitives are rebuilt every frame, as when playing.
        let at_end = app
            .model
            .playback()
            .is_some_and(|p| p.player.at_end(&p.trace));
        let at_start = app.model.playback().is_some_and(|p| p.player.cursor == 0);
        if at_end || at_start {
            forward = !at_end;
        }
        if std::env::var_os("NO_STEP").is_none() {
            app.model.command(if forward {
                Command::StepForward
            } else {
                Command::StepBack
            });
        }
        let out = ctx.run_ui(input(), |ui| app.show(ui));
        black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
    }) * 1e3
}

fn frame_cost() {
    println!("== One frame of the window (run_ui + tessellate, 1920x1080, step each frame) ==");
    for scene in [SceneKind::Search, SceneKind::Construction, SceneKind::Hnsw] {
        let base = frame_ms(1_000, scene);
        println!("{:>18} n=  1000: {base:>7.2} ms (baseline)", scene.name());
        for n in [3_000, 10_000] {
            let ms = frame_ms(n, scene);
            println!(
                "{:>18} n={n:>6}: {ms:>7.2} ms, {:.1}x the 1,000-point frame",
                scene.name(),
                ms / base
            );
        }
    }
}

/// Export cost: each format's time as a ratio of writing the same step as SVG.
fn figures() {
    use ann_explorer::ui::figure::{self, Figure, FigureFormat, Job, Progress};
    use ann_explorer::ui::scene_file::{SceneFile, Step};
    println!("== Figures (1600x1000 layout): time / the SVG of the same step ==");
    for (scene, n) in [
        (SceneKind::Search, 1_000),
        (SceneKind::Search, 10_000),
        (SceneKind::Hnsw, 1_000),
    ] {
        let m = ann_explorer::ui::model::Model::new(Settings {
            preset: Preset::Uniform,
            n,
            m: 4,
            scene,
            ..Settings::default()
        });
        let file = SceneFile::from_model(&m);
        let p = Progress::default();
        let still = |format, scale: f32| {
            let mut fig = Figure::new(file.clone(), 1600.0, 1000.0);
            fig.scale = scale;
            let job = Job::Still {
                step: Step::Last,
                format,
            };
            time(3, || {
                black_box(figure::make(&fig, &job, &p).expect("figure"));
            })
        };
        let svg = still(FigureFormat::Svg, 1.0);
        let png1 = still(FigureFormat::Png, 1.0);
        let png2 = still(FigureFormat::Png, 2.0);
        let to = m.position().1.min(9);
        let anim = |format| {
            let fig = Figure::new(file.clone(), 800.0, 500.0);
            let job = Job::Animation {
                from: 0,
                to: Some(to),
                fps: 2.0,
                format,
            };
            time(1, || {
                black_box(figure::make(&fig, &job, &p).expect("animation"));
            }) / (to + 1) as f64
        };
        let gif = anim(FigureFormat::Gif);
        let apng = anim(FigureFormat::Apng);
        println!(
            "{:>18} n={n:>6}: SVG {:>7.1} ms (incl. building the scene); PNG 1x {:.2}x, 2x {:.2}x; per 800x500 frame: GIF {:.2}x, APNG {:.2}x",
            scene.name(),
            svg * 1e3,
            png1 / svg,
            png2 / svg,
            gif / svg,
            apng / svg
        );
    }
}

fn main() {
    if std::env::var_os("FIGURES_ONLY").is_some() {
        figures();
        return;
    }
    if std::env::var_os("FRAMES_ONLY").is_some() {
        frame_cost();
        return;
    }
    build_overhead();
    frame_cost();
    figures();
    scene_only(10_000);
    paint_only(10_000);
    hnsw_scene_only(10_000);
}

#[allow(dead_code)]
fn scene_only(n: usize) {
    use ann_explorer::scene::{self, Palette, Style, Theme};
    let settings = Settings {
        preset: Preset::Uniform,
        n,
        m: 4,
        scene: SceneKind::Search,
        ..Settings::default()
    };
    let app = App::new(settings);
    let m = &app.model;
    let p = m.search.as_ref().expect("search");
    let ms = time(20, || {
        let input = scene::nsw::Input {
            points: m.points(),
            graph: &m.graph,
            trace: &p.trace,
            state: &p.state,
            query: Some(m.query),
            entry: Some(m.entry),
            palette: Palette::for_theme(Theme::Dark),
            style: Style::default(),
        };
        black_box(scene::nsw::search_frame(&input));
    }) * 1e3;
    println!("scene primitives only, n={n}: {ms:.2} ms");
}

#[allow(dead_code)]
fn paint_only(n: usize) {
    use ann_explorer::scene::{self, Palette, Style, Theme};
    use ann_explorer::ui::canvas::{self, View};
    let settings = Settings {
        preset: Preset::Uniform,
        n,
        m: 4,
        scene: SceneKind::Search,
        ..Settings::default()
    };
    let app = App::new(settings);
    let m = &app.model;
    let p = m.search.as_ref().expect("search");
    let input = scene::nsw::Input {
        points: m.points(),
        graph: &m.graph,
        trace: &p.trace,
        state: &p.state,
        query: Some(m.query),
        entry: Some(m.entry),
        palette: Palette::for_theme(Theme::Dark),
        style: Style::default(),
    };
    let frame = scene::nsw::search_frame(&input);
    let ctx = egui::Context::default();
    let rect = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1920.0, 1080.0));
    let view = View::fit(frame.bounds.expect("bounds"), rect, 0.0);
    let run = |tess: bool| {
        time(20, || {
            let out = ctx.run_ui(
                egui::RawInput {
                    screen_rect: Some(rect),
                    ..Default::default()
                },
                |ui| {
                    canvas::paint(ui.painter(), rect, &view, &frame);
                },
            );
            if tess {
                black_box(ctx.tessellate(out.shapes, out.pixels_per_point));
            }
        }) * 1e3
    };
    let a = run(false);
    let b = run(true);
    println!(
        "paint only n={n}: run_ui {a:.2} ms, with tessellate {b:.2} ms ({} prims)",
        frame.prims.len()
    );
}

#[allow(dead_code)]
fn hnsw_scene_only(n: usize) {
    use ann_explorer::scene::{self, Palette, Style, Theme};
    let settings = Settings {
        preset: Preset::Uniform,
        n,
        scene: SceneKind::Hnsw,
        ..Settings::default()
    };
    let app = App::new(settings);
    let h = app.model.hnsw.as_ref().expect("hnsw");
    let p = h.play.as_ref().expect("play");
    let ms = time(20, || {
        let input = scene::hnsw::Input {
            index: h.base(),
            xy: &h.xy,
            trace: &p.trace,
            state: &p.state,
            query: Some(app.model.query),
            highlight: &[],
            view: app.model.settings.stack,
            palette: Palette::for_theme(Theme::Dark),
            style: Style::default(),
        };
        black_box(scene::hnsw::frame(&input));
    }) * 1e3;
    let input = scene::hnsw::Input {
        index: h.base(),
        xy: &h.xy,
        trace: &p.trace,
        state: &p.state,
        query: Some(app.model.query),
        highlight: &[],
        view: app.model.settings.stack,
        palette: Palette::for_theme(Theme::Dark),
        style: Style::default(),
    };
    let f = scene::hnsw::frame(&input);
    let lines = f
        .prims
        .iter()
        .filter(|p| matches!(p, scene::Prim::Line { .. }))
        .count();
    let dashed = f
        .prims
        .iter()
        .filter(|p| matches!(p, scene::Prim::Line { dashed: true, .. }))
        .count();
    println!(
        "HNSW scene primitives only, n={n}: {ms:.2} ms ({} prims, {lines} lines, {dashed} dashed)",
        f.prims.len()
    );
}
