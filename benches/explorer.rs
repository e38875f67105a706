//! `cargo bench --bench explorer`: recording overhead and per-frame cost of the window.
//!
//! Figures are ratios against a baseline measured in the same run, since the machines are
//! shared and noisy: recorded build / fast build, and frame time at n / frame time at 1,000.
//! `NO_STEP=1` keeps the cursor still, measuring a frame whose primitives are cached.
//! `FRAMES_ONLY=1` / `FIGURES_ONLY=1` / `LAB_ONLY=1` run one part; `SCENE=id` limits the frames
//! to one scene.

use std::hint::black_box;
use std::time::Instant;

use ann_explorer::engine::presets::{self, Preset};
use ann_explorer::engine::{InsertRule, Metric, NoRecorder, Nsw, NswParams};
use ann_explorer::render::{Palette, Style, Theme};
use ann_explorer::scenes::REGISTRY;
use ann_explorer::session::{DataSettings, Session};
use ann_explorer::trace::Trace;
use ann_explorer::trace::player::Command;
use ann_explorer::ui::App;

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

/// A session on `scene` with `n` uniform points (m = 4 for the NSW scenes).
fn session(scene: &str, n: usize) -> Session {
    let mut s = Session::with_data(
        scene,
        DataSettings {
            preset: Preset::Uniform,
            n,
            ..DataSettings::default()
        },
    );
    for id in ["nsw-construction", "greedy-search"] {
        s.set_scene_setting(id, "m", "4").expect("m");
    }
    if scene == "vector-db" {
        // The vector database makes its own collection: n clustered 16-d objects, the race on
        // show (four panels of n points each), a filter matching about a tenth.
        let source =
            format!("{{\"Clusters\": {{\"n\": {n}, \"dim\": 16, \"clusters\": 8, \"seed\": 1}}}}");
        s.set_scene_setting(scene, "source", &source)
            .expect("source");
        s.set_scene_setting(scene, "filter", "\"tag = 3\"")
            .expect("filter");
        s.set_scene_setting(scene, "view", "\"Strategies\"")
            .expect("view");
    }
    s
}

fn frame_ms(n: usize, scene: &str) -> f64 {
    frame_ms_of(&mut App::new(session(scene, n)))
}

fn frame_ms_of(app: &mut App) -> f64 {
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
        let (step, total) = app.session.position();
        let (at_start, at_end) = (step == 0, step == total);
        if at_end || at_start {
            forward = !at_end;
        }
        if std::env::var_os("NO_STEP").is_none() {
            app.session.command(if forward {
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
    let only = std::env::var("SCENE").ok();
    // The first window of a process pays for fonts and allocations: warm up outside the table.
    black_box(frame_ms(200, "brute-force"));
    for e in REGISTRY {
        // The lab draws its own data, not the session's: see `lab_frames`.
        if only.as_deref().is_some_and(|o| o != e.info.id) || e.info.id == "scaling-lab" {
            continue;
        }
        let largest = (e.make)().max_points();
        let base = frame_ms(1_000, e.info.id);
        println!("{:>18} n=  1000: {base:>7.2} ms (baseline)", e.info.name);
        for n in [3_000, 10_000]
            .into_iter()
            .filter(|&n| n < largest)
            .chain([largest])
        {
            let ms = frame_ms(n, e.info.id);
            println!(
                "{:>18} n={n:>6}: {ms:>7.2} ms, {:.1}x the 1,000-point frame",
                e.info.name,
                ms / base
            );
        }
    }
}

/// Export cost: each format's time as a ratio of writing the same step as SVG.
fn figures() {
    use ann_explorer::session::figure::{self, Figure, FigureFormat, Job, Progress};
    use ann_explorer::session::scene_file::{SceneFile, Step};
    println!("== Figures (1600x1000 layout): time / the SVG of the same step ==");
    for (scene, n) in [
        ("greedy-search", 1_000),
        ("greedy-search", 10_000),
        ("hnsw", 1_000),
        ("brute-force", 10_000),
        ("distance-matrix", 2_000),
    ] {
        let m = session(scene, n);
        let file = SceneFile::from_session(&m);
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
            "{scene:>18} n={n:>6}: SVG {:>7.1} ms (incl. building the scene); PNG 1x {:.2}x, 2x {:.2}x; per 800x500 frame: GIF {:.2}x, APNG {:.2}x",
            svg * 1e3,
            png1 / svg,
            png2 / svg,
            gif / svg,
            apng / svg
        );
    }
}

/// Building one frame of primitives (no painting), at the last step, for every scene.
fn primitives_only(n: usize) {
    println!("== Scene primitives only (Scene::frame at the last step) ==");
    for e in REGISTRY {
        let n = n.min((e.make)().max_points());
        let mut s = session(e.info.id, n);
        s.command(Command::Last);
        let mut prims = 0;
        let ms = time(10, || {
            let f = s.frame(Palette::for_theme(Theme::Dark), Style::default());
            prims = f.prims.len();
            black_box(f);
        }) * 1e3;
        println!("{:>18} n={n:>6}: {ms:>7.2} ms ({prims} prims)", e.info.name);
    }
}

/// Painting one frame's primitives on the egui canvas (greedy search at n points).
fn paint_only(n: usize) {
    use ann_explorer::ui::canvas::{self, View};
    let s = session("greedy-search", n);
    let frame = s.frame(Palette::for_theme(Theme::Dark), Style::default());
    let ctx = egui::Context::default();
    let rect = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(1920.0, 1080.0));
    let view = View::fit(
        frame.bounds.expect("bounds"),
        rect,
        ann_explorer::render::LegendRoom::none(),
    );
    let run = |tess: bool| {
        time(20, || {
            let out = ctx.run_ui(
                egui::RawInput {
                    screen_rect: Some(rect),
                    ..Default::default()
                },
                |ui| {
                    canvas::paint(ui.painter(), rect, &view, &frame, rect);
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

/// The scaling lab's frame over a million points (density image, one query's HNSW walk,
/// stepping each frame), then the same frame while a million-point HNSW build runs on the
/// lab's background threads. `LAB_N` sets the size (default 1,000,000).
fn lab_frames() {
    use std::sync::Arc;

    use ann_explorer::engine::scaling::{self, Method, Progress, Sweep};
    use ann_explorer::scenes::scaling_lab::ScalingLab;
    use ann_explorer::scenes::scaling_lab::job::LabJob;
    let n: usize = std::env::var("LAB_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    println!("== The scaling lab's frame (1920x1080, step each frame) at n = {n} ==");
    let sweep = Sweep {
        methods: vec![Method::Hnsw],
        sizes: vec![n],
        queries: 20,
        ef: vec![32],
        ..Sweep::default()
    };
    let t = Instant::now();
    let built = scaling::run(&sweep, &[Arc::new(Progress::default())], |_| {})
        .expect("sweep")
        .expect("the data and index kept");
    println!(
        "(built the {n}-point HNSW in {:.1} s)",
        t.elapsed().as_secs_f64()
    );
    let mut app = App::new(session("scaling-lab", 200));
    if let Some(lab) = app.session.get_mut::<ScalingLab>() {
        lab.kept = Some(built);
        lab.picture();
        lab.walk();
    }
    let idle = frame_ms_of(&mut app);
    println!("lab frame, {n} points as a density image: {idle:.2} ms");
    let job = LabJob::start(Sweep {
        threads: 0,
        ..sweep.clone()
    })
    .expect("start");
    // Wait until the build itself runs (past the data and the exact answers).
    while job
        .progress
        .first()
        .is_some_and(|p| p.snapshot().phase != "build")
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let busy = frame_ms_of(&mut app);
    let still = job.running();
    job.cancel_all();
    println!(
        "lab frame while a {n}-point HNSW build runs on every core: {busy:.2} ms, {:.2}x the idle frame{}",
        busy / idle,
        if still {
            ""
        } else {
            " (the build ended before the frames did)"
        }
    );
}

fn main() {
    // As the program does (see `tune_allocator`).
    ann_explorer::ui::tune_allocator();
    if std::env::var_os("FIGURES_ONLY").is_some() {
        figures();
        return;
    }
    if std::env::var_os("FRAMES_ONLY").is_some() {
        frame_cost();
        lab_frames();
        return;
    }
    if std::env::var_os("LAB_ONLY").is_some() {
        lab_frames();
        return;
    }
    build_overhead();
    frame_cost();
    lab_frames();
    figures();
    primitives_only(10_000);
    paint_only(10_000);
}
