//! Every scene of the registry, in one loop: it builds on every preset at n ∈ {0, 1, 2, 50},
//! steps to the end and back to the same picture, draws as SVG and PNG, and its scene file
//! round-trips. Then the two scenes written only through the trait (brute force, the distance
//! matrix) against their definitions, the session's laziness, and the fixes made on the move.

use ann_explorer::engine::brute::{self, ScanEvent};
use ann_explorer::engine::matrix::{self, DistanceMatrix};
use ann_explorer::engine::presets::{self, Preset};
use ann_explorer::engine::{Dist, Level, Log, Metric, NoRecorder, PointId, Points};
use ann_explorer::render::{Palette, Style, Theme};
use ann_explorer::scenes::annoy::AnnoyScene;
use ann_explorer::scenes::brute_force::BruteForce;
use ann_explorer::scenes::distance_matrix::{Matrix, Order};
use ann_explorer::scenes::hnsw::Hnsw;
use ann_explorer::scenes::{Button, Click, REGISTRY, SceneAction, registry};
use ann_explorer::session::figure::{self, Figure, FigureFormat, Job, Progress};
use ann_explorer::session::scene_file::{SceneFile, Step};
use ann_explorer::session::{DataSettings, Session};
use ann_explorer::trace::player::Command;

fn session(scene: &str, preset: Preset, n: usize, seed: u64) -> Session {
    Session::with_data(
        scene,
        DataSettings {
            preset,
            n,
            seed,
            ..DataSettings::default()
        },
    )
}

fn frame(s: &Session) -> ann_explorer::render::Frame {
    s.frame(Palette::for_theme(Theme::Dark), Style::default())
}

fn still(file: &SceneFile, format: FigureFormat, w: f32, h: f32) -> Vec<u8> {
    let fig = Figure::new(file.clone(), w, h);
    let job = Job::Still {
        step: Step::Saved,
        format,
    };
    figure::make(&fig, &job, &Progress::default())
        .unwrap_or_else(|e| panic!("{}: {e}", file.scene))
        .bytes
}

#[test]
fn every_scene_builds_steps_draws_and_round_trips_on_every_preset() {
    for e in REGISTRY {
        let id = e.info.id;
        for preset in Preset::ALL {
            for n in [0, 1, 2, 50] {
                let seed = 11;
                let tag = format!("{id} {preset:?} n={n} seed={seed}");
                let mut s = session(id, preset, n, seed);
                assert_eq!(s.scene_id(), id, "{tag}");
                assert!(s.error().is_none(), "{tag}: {:?}", s.error());
                let start = frame(&s);
                let narration = s.narration();
                assert!(!narration.title.is_empty(), "{tag}: narrated");
                // To the end, then back step by step at fine detail, then forward again.
                s.command(Command::Last);
                let end = frame(&s);
                let (_, total) = s.position();
                s.command(Command::SetDetail(Level::Fine));
                let mut guard = 0;
                while s.cursor() > 0 {
                    s.command(Command::StepBack);
                    guard += 1;
                    assert!(guard < 200_000, "{tag}: stepping back ends");
                }
                assert_eq!(
                    frame(&s),
                    start,
                    "{tag}: back at the start, the same picture"
                );
                // Halfway, reached forwards and backwards, is the same picture.
                let (_, fine_total) = s.position();
                let half = fine_total / 2;
                s.command(Command::SeekCursor(half));
                let fwd = frame(&s);
                s.command(Command::Last);
                assert_eq!(frame(&s), end, "{tag}: forward again, the same end");
                s.command(Command::SeekCursor(half));
                assert_eq!(frame(&s), fwd, "{tag}: halfway from either side");
                s.command(Command::SetDetail(Level::Coarse));
                assert_eq!(s.position().1, total, "{tag}: coarse steps unchanged");
                // The scene file round-trips and draws as SVG and PNG.
                let file = SceneFile::from_session(&s);
                let text = file.to_json();
                let parsed = SceneFile::parse(&text).unwrap_or_else(|e| panic!("{tag}: {e}"));
                assert_eq!(parsed.to_json(), text, "{tag}: parse then save");
                let rebuilt = parsed.build().unwrap_or_else(|e| panic!("{tag}: {e}"));
                assert_eq!(
                    SceneFile::from_session(&rebuilt).to_json(),
                    text,
                    "{tag}: build then save"
                );
                assert_eq!(
                    frame(&rebuilt),
                    frame(&s),
                    "{tag}: the same picture reopened"
                );
                let svg = String::from_utf8(still(&file, FigureFormat::Svg, 480.0, 320.0))
                    .expect("utf-8");
                roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{tag}: {e}"));
                let png = still(&file, FigureFormat::Png, 240.0, 160.0);
                let dec = png::Decoder::new(std::io::Cursor::new(png));
                let r = dec.read_info().unwrap_or_else(|e| panic!("{tag}: {e}"));
                assert_eq!((r.info().width, r.info().height), (240, 160), "{tag}");
            }
        }
    }
}

#[test]
fn the_registry_is_the_one_list() {
    let ids = registry::ids();
    assert_eq!(
        ids,
        [
            "brute-force",
            "distance-matrix",
            "nsw-construction",
            "greedy-search",
            "hnsw",
            "annoy",
            "kleinberg",
            "watts-strogatz",
            "scaling-lab",
            "vector-db"
        ]
    );
    for (i, e) in REGISTRY.iter().enumerate() {
        assert_eq!(
            Some(e.info.key),
            "1234567890".chars().nth(i),
            "{}: key",
            e.info.id
        );
        let mut made = (e.make)();
        assert_eq!(made.info().id, e.info.id, "make() makes its own scene");
        assert!(
            (e.panel)(made.as_mut()).is_some(),
            "{}: its panel",
            e.info.id
        );
        assert!(e.info.blurb.ends_with('.'), "{}: one sentence", e.info.id);
    }
    // Old names still open the scenes they meant.
    assert_eq!(
        registry::find("search").map(|e| e.info.id),
        Some("greedy-search")
    );
    assert_eq!(
        registry::find("construction").map(|e| e.info.id),
        Some("nsw-construction")
    );
    assert!(registry::find("milgram").is_none());
    // `ann-explorer scenes` prints it: the id first on each line, in order.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ann-explorer"))
        .arg("scenes")
        .output()
        .expect("run");
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).expect("utf-8");
    let first: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(first, ids);
    for e in REGISTRY {
        assert!(text.contains(e.info.name), "{}", e.info.name);
    }
    // `--scene` takes the registry's ids and refuses others with the list.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ann-explorer"))
        .args(["scene", "--scene", "voronoi", "--out", "/dev/null"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("brute-force") && err.contains("distance-matrix"),
        "{err}"
    );
}

#[test]
fn the_cli_writes_a_scene_of_any_registered_scene_with_its_settings() {
    let dir = std::env::temp_dir().join(format!("ann-explorer-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let out = dir.join("bf.json");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_ann-explorer"))
        .args([
            "scene",
            "--scene",
            "brute-force",
            "--preset",
            "uniform",
            "--n",
            "300",
        ])
        .args(["--set", "k=5", "--set", "queries=3", "--out"])
        .arg(&out)
        .status()
        .expect("run");
    assert!(status.success());
    let f = SceneFile::load(&out).expect("scene file");
    assert_eq!(f.scene, "brute-force");
    assert_eq!(f.scenes["brute-force"]["k"], 5);
    assert_eq!(f.scenes["brute-force"]["queries"], 3);
    let s = f.build().expect("build");
    let bf = s.get::<BruteForce>().expect("brute force");
    assert_eq!(bf.queries.len(), 3);
    // A setting the scene does not have is refused by name.
    let bad = std::process::Command::new(env!("CARGO_BIN_EXE_ann-explorer"))
        .args(["scene", "--scene", "brute-force", "--set", "ef=5", "--out"])
        .arg(dir.join("bad.json"))
        .output()
        .expect("run");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no setting 'ef'"));
    assert!(!dir.join("bad.json").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

fn sorted_truth(points: &Points, metric: Metric, q: &[f32], k: usize) -> Vec<(PointId, f32)> {
    let mut all: Vec<(PointId, f32)> = points
        .ids()
        .map(|id| (id, metric.eval(q, points.get(id))))
        .collect();
    all.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    all.truncate(k);
    all
}

#[test]
fn brute_force_returns_what_sorting_all_distances_returns() {
    for seed in 0..20u64 {
        for (preset, metric) in [
            (Preset::Uniform, Metric::Euclidean),
            (Preset::Clusters, Metric::Cosine),
            (Preset::Grid, Metric::Euclidean),
        ] {
            let ds = presets::generate(preset, 300, seed).expect("data");
            for k in [1, 3, 10, 400] {
                let tag = format!("seed={seed} {preset:?} {metric:?} k={k}");
                let mut dist = Dist::new(metric);
                let mut log = Log::default();
                let got =
                    brute::scan(&ds.points, &mut dist, &ds.query, k, 0, &mut log).expect("scan");
                assert_eq!(got, sorted_truth(&ds.points, metric, &ds.query, k), "{tag}");
                assert_eq!(dist.count, 300, "{tag}: exactly n distance computations");
                let evaluated = log
                    .events
                    .iter()
                    .filter(|e| matches!(e, ScanEvent::Enter { .. } | ScanEvent::Skip { .. }))
                    .count();
                assert_eq!(evaluated, 300, "{tag}: one event per point");
                // The fast path (no recorder) gives the same answer.
                let mut d2 = Dist::new(metric);
                let fast = brute::scan(&ds.points, &mut d2, &ds.query, k, 0, &mut NoRecorder)
                    .expect("scan");
                assert_eq!(fast, got, "{tag}");
            }
        }
    }
    // Duplicates tie by id; the empty set answers nothing; a wrong dimension is refused.
    let dup = Points::from_xy(&[[0.5, 0.5], [0.5, 0.5], [0.1, 0.1]]).expect("points");
    let mut d = Dist::new(Metric::Euclidean);
    let got = brute::scan(&dup, &mut d, &[0.5, 0.5], 2, 0, &mut NoRecorder).expect("scan");
    assert_eq!(got, vec![(PointId(0), 0.0), (PointId(1), 0.0)]);
    let empty = Points::empty_xy();
    assert!(
        brute::scan(&empty, &mut d, &[0.5, 0.5], 3, 0, &mut NoRecorder)
            .expect("scan")
            .is_empty()
    );
    assert!(brute::scan(&dup, &mut d, &[0.5], 1, 0, &mut NoRecorder).is_err());
}

#[test]
fn the_brute_force_scene_counts_n_per_query_and_its_heap_is_the_answer() {
    let mut s = session("brute-force", Preset::Clusters, 500, 3);
    s.set_scene_setting("brute-force", "k", "4").expect("k");
    s.set_scene_setting("brute-force", "queries", "3")
        .expect("queries");
    s.command(Command::Last);
    let bf = s.get::<BruteForce>().expect("scene");
    let st = bf.state();
    assert_eq!(st.scans.len(), 3);
    assert_eq!(st.distance_computations, 1500, "n for every query");
    for (scan, q) in st.scans.iter().zip(&bf.queries) {
        assert!(scan.done);
        assert_eq!(scan.dists.len(), 500);
        assert_eq!(scan.best, sorted_truth(&s.points, Metric::Euclidean, q, 4));
    }
    let n = s.narration();
    assert!(n.text.contains("500 distance computations"), "{}", n.text);
    assert!(n.text.contains("O(n·d)"), "{}", n.text);
    assert!(
        s.counters()
            .iter()
            .any(|c| c.label.contains("all queries") && c.value == "1500")
    );
    // Coarse steps: the queries, the entries into the heap and the ends; far fewer than n.
    s.command(Command::First);
    s.command(Command::StepForward);
    s.command(Command::StepForward);
    assert!(s.narration().title.contains("enters the best k"));
    assert!(
        s.position().1 < 500,
        "coarse skips the points that do not enter"
    );
}

#[test]
fn the_matrix_is_symmetric_with_a_zero_diagonal_and_its_rows_answer_like_brute_force() {
    for metric in Metric::ALL {
        let ds = presets::generate(Preset::Clusters, 120, 5).expect("data");
        let m = DistanceMatrix::build(&ds.points, metric, false, &mut NoRecorder).expect("m");
        assert_eq!(m.computations, 120 * 119 / 2, "n(n−1)/2 distances");
        for i in ds.points.ids() {
            assert_eq!(m.get(i, i), 0.0, "zero diagonal");
            for j in ds.points.ids() {
                assert_eq!(m.get(i, j), m.get(j, i), "symmetric");
                let d = metric.eval(ds.points.get(i), ds.points.get(j));
                if i != j {
                    assert_eq!(m.get(i, j), d, "agrees with the metric");
                }
            }
            for k in [1, 5] {
                // Brute force from the point itself, without the point.
                let mut truth: Vec<(PointId, f32)> =
                    sorted_truth(&ds.points, metric, ds.points.get(i), k + 1)
                        .into_iter()
                        .filter(|&(id, _)| id != i)
                        .collect();
                truth.truncate(k);
                assert_eq!(m.row_knn(i, k), truth, "{metric:?} row {i} k={k}");
            }
        }
        // The seriation is a permutation.
        let mut order = m.nn_chain_order();
        order.sort();
        assert_eq!(order, (0..120).collect::<Vec<u32>>());
    }
    assert_eq!(matrix::bytes_for(1_000_000), 4_000_000_000_000);
}

#[test]
fn the_matrix_scene_reads_rows_and_refuses_to_draw_what_it_cannot() {
    let mut s = session("distance-matrix", Preset::Uniform, 40, 2);
    let total = 40 * 39 / 2;
    s.command(Command::Last);
    let m = s.get::<Matrix>().expect("scene");
    assert_eq!(m.computed(), total);
    // Fine recording: every distance was a step.
    s.command(Command::SetDetail(Level::Fine));
    assert!(s.position().1 >= total as usize);
    // Click a point: its row is read off; the answer equals brute force.
    let p = s.points.xy(PointId(7));
    s.click(&Click {
        pos_in_world: p,
        button: Button::Primary,
        shift: false,
        command: false,
        alt: false,
        radius_in_world: 1e-4,
    });
    let m = s.get::<Matrix>().expect("scene");
    let (row, near) = m.row_answer().expect("row read");
    assert_eq!(row, PointId(7));
    let truth: Vec<_> = sorted_truth(&s.points, Metric::Euclidean, s.points.get(row), 4)
        .into_iter()
        .filter(|&(id, _)| id != row)
        .take(3)
        .collect();
    assert_eq!(near, truth);
    assert!(s.narration().text.contains("No distance was computed"));
    // Hovering a heatmap cell names the pair and its distance.
    let f = frame(&s);
    let (lo, hi) = f.bounds.expect("bounds");
    let tip = s.hover(Some([hi[0] - 1e-3, hi[1] - 1e-3]), 1e-3);
    assert!(
        tip.is_some_and(|t| t.starts_with("D[0][")),
        "top-right cell is row 0"
    );
    let _ = lo;
    // Reordered rows keep the same matrix.
    s.set_scene_setting("distance-matrix", "order", "\"Chain\"")
        .expect("order");
    assert_eq!(s.get::<Matrix>().expect("m").settings.order, Order::Chain);
    // Over the limit: no matrix, the memory it would need is said, nothing freezes.
    let big = session("distance-matrix", Preset::Uniform, 5_000, 1);
    let m = big.get::<Matrix>().expect("scene");
    assert!(m.too_big() && m.matrix.is_none());
    let n = big.narration();
    assert!(n.text.contains("100.0 MB"), "{}", n.text);
    assert!(n.text.contains("4.0 TB"), "{}", n.text);
    assert!(frame(&big).prims.iter().any(|p| matches!(
        p,
        ann_explorer::render::Prim::Text { text, .. } if text.contains("not drawn above")
    )));
}

#[test]
fn only_the_scene_on_show_is_built() {
    let mut s = session("brute-force", Preset::Uniform, 2_000, 1);
    assert_eq!(s.builds, 1);
    assert!(
        s.get::<Hnsw>().expect("hnsw").state.is_none(),
        "HNSW waits until it is shown"
    );
    assert!(s.get::<Matrix>().expect("matrix").matrix.is_none());
    // Moving the query rebuilds only the scene on show.
    s.set_query([0.3, 0.3]);
    assert_eq!(s.builds, 2);
    s.select("hnsw");
    assert_eq!(s.builds, 3);
    assert!(s.get::<Hnsw>().expect("hnsw").state.is_some());
    // Back to a fresh scene: nothing to build.
    s.select("brute-force");
    assert_eq!(s.builds, 3);
    // New data: every scene goes stale; only the one on show is rebuilt.
    s.data.seed = 2;
    s.regenerate();
    assert_eq!(s.builds, 4);
    assert!(s.get::<Hnsw>().expect("hnsw").state.is_none());
}

#[test]
fn hnsw_right_click_inserts_and_coarse_fine_reaches_it() {
    let mut s = session("hnsw", Preset::Clusters, 200, 4);
    let n0 = s
        .get::<Hnsw>()
        .and_then(|h| h.state.as_ref())
        .expect("h")
        .index
        .len();
    s.command(Command::SetDetail(Level::Fine));
    let fine_total = s.position().1;
    s.command(Command::SetDetail(Level::Coarse));
    assert!(s.position().1 < fine_total, "coarse hides the distances");
    s.click(&Click {
        pos_in_world: [0.0, 0.0],
        button: Button::Secondary,
        shift: false,
        command: false,
        alt: false,
        radius_in_world: 0.01,
    });
    let h = s.get::<Hnsw>().and_then(|h| h.state.as_ref()).expect("h");
    assert_eq!(h.index.len(), n0 + 1, "right-click inserts");
    // The session's detail carries to the new operation and to other scenes.
    s.command(Command::SetDetail(Level::Fine));
    s.action(SceneAction::Insert);
    let (p, _) = s.scene().steps().expect("steps");
    assert_eq!(p.detail, Level::Fine);
    s.select("greedy-search");
    let (p, _) = s.scene().steps().expect("steps");
    assert_eq!(p.detail, Level::Fine, "switching keeps the detail");
}

#[test]
fn random_insertions_into_an_almost_empty_hnsw_spread_out() {
    for n in [0, 1] {
        let mut s = session("hnsw", Preset::Uniform, n, 9);
        for _ in 0..4 {
            s.action(SceneAction::Insert);
        }
        let h = s.get::<Hnsw>().and_then(|h| h.state.as_ref()).expect("h");
        assert_eq!(h.index.len(), n + 4);
        let new = &h.xy[n..];
        for (i, a) in new.iter().enumerate() {
            for b in &new[i + 1..] {
                assert!(
                    (a[0] - b[0]).abs() + (a[1] - b[1]).abs() > 1e-3,
                    "n={n}: {a:?} and {b:?} stacked"
                );
            }
        }
    }
}

#[test]
fn the_construction_scenes_lesson_walk_opens_greedy_search_and_plays() {
    let mut s = Session::new("nsw-construction");
    s.react(ann_explorer::scenes::Reaction {
        switch_to: Some("greedy-search"),
        then: Some(SceneAction::StartAt(PointId(0))),
        ..Default::default()
    });
    assert_eq!(s.scene_id(), "greedy-search");
    assert!(s.playing());
    let gs = s
        .get::<ann_explorer::scenes::greedy_search::GreedySearch>()
        .expect("gs");
    assert_eq!(gs.settings.entry, 0);
}

#[test]
fn small_distances_keep_their_digits_and_tiny_sets_read_well() {
    use ann_explorer::scenes::Dist;
    assert_eq!(format!("{:.3}", Dist(0.5)), "0.500");
    assert_eq!(format!("{:.3}", Dist(0.0)), "0.000");
    assert_eq!(format!("{:.3}", Dist(0.000_123_4)), "1.23e-4");
    assert_eq!(format!("{:.4}", Dist(0.002_5)), "0.0025");
    // No points: every scene says what to do instead.
    for e in REGISTRY {
        let mut s = session(e.info.id, Preset::Uniform, 0, 1);
        s.command(Command::Last);
        let n = s.narration();
        assert_eq!(n.title, "No points yet", "{}", e.info.id);
        assert!(n.text.contains("Regenerate"), "{}", n.text);
    }
    // One point: one distance (not "1 distances").
    let mut s = session("brute-force", Preset::Uniform, 1, 1);
    s.command(Command::Last);
    assert!(
        s.narration().title.ends_with("exactly 1 distance"),
        "{}",
        s.narration().title
    );
    // One point has no neighbour to read off its row.
    let mut s = session("distance-matrix", Preset::Uniform, 1, 1);
    s.set_scene_setting("distance-matrix", "row", "0")
        .expect("row");
    s.command(Command::Last);
    assert!(
        s.narration().text.contains("alone"),
        "{}",
        s.narration().text
    );
    // Cosine: the canvas's positions are not its distances, and a note says so.
    let mut s = session("brute-force", Preset::Clusters, 50, 1);
    s.set_metric(Metric::Cosine);
    assert!(s.notes().iter().any(|n| n.contains("directions")));
}

#[test]
fn both_nsw_scenes_walk_one_graph() {
    let mut s = session("nsw-construction", Preset::Uniform, 80, 2);
    // Change m in the construction scene, as its panel does, then open greedy search.
    s.set_scene_setting("nsw-construction", "m", "5")
        .expect("m");
    s.select("greedy-search");
    let gs = s
        .get::<ann_explorer::scenes::greedy_search::GreedySearch>()
        .expect("gs");
    assert_eq!(
        gs.settings.graph.m, 5,
        "the search walks the graph the construction built"
    );
    let built = s
        .get::<ann_explorer::scenes::nsw_construction::NswConstruction>()
        .expect("nsw")
        .graph
        .edge_count();
    assert_eq!(gs.graph.edge_count(), built, "the same links");
    // And the other way round; the file keeps them equal.
    s.set_scene_setting("greedy-search", "exact_rule", "false")
        .expect("rule");
    let f = SceneFile::from_session(&s);
    assert_eq!(f.scenes["nsw-construction"]["exact_rule"], false);
}

#[test]
fn a_rebuild_keeps_the_detail_and_the_speed() {
    let mut s = session("hnsw", Preset::Clusters, 150, 1);
    s.command(Command::SetDetail(Level::Fine));
    s.command(Command::SetSpeed(7.0));
    // What the HNSW panel does when M changes: rebuild, then react.
    s.with_scene(|sc, sh| {
        sc.as_any_mut()
            .downcast_mut::<Hnsw>()
            .expect("hnsw")
            .settings
            .m = 8;
        sc.build(sh);
    });
    s.react(ann_explorer::scenes::Reaction::default());
    let (p, _) = s.scene().steps().expect("steps");
    assert_eq!((p.detail, p.speed), (Level::Fine, 7.0));
}

#[test]
fn settings_from_a_hand_edited_file_cannot_break_a_scene() {
    for (id, key, value) in [
        ("brute-force", "k", "1000000000000000"),
        ("brute-force", "k", "0"),
        ("brute-force", "queries", "0"),
        ("brute-force", "queries", "65535"),
        ("distance-matrix", "row", "99999"),
        ("distance-matrix", "k", "0"),
        ("distance-matrix", "k", "1000000000000000"),
        ("greedy-search", "entry", "99999"),
        ("hnsw", "k", "0"),
    ] {
        let mut s = session(id, Preset::Clusters, 40, 1);
        let _ = s.set_scene_setting(id, key, value);
        s.command(Command::Last);
        let _ = (s.narration(), s.counters(), frame(&s));
        s.command(Command::First);
        let _ = frame(&s);
    }
    let mut s = session("brute-force", Preset::Clusters, 40, 1);
    s.set_scene_setting("brute-force", "k", "1000000000000000")
        .expect("k");
    s.command(Command::Last);
    let bf = s.get::<BruteForce>().expect("bf");
    assert_eq!(
        bf.scan().map(|sc| sc.best.len()),
        Some(40),
        "k is at most n"
    );
}

#[test]
fn the_new_scenes_states_are_the_same_reached_forwards_or_backwards() {
    for n in [0, 1, 7, 30] {
        let mut a = session("brute-force", Preset::Uniform, n, 3);
        a.set_scene_setting("brute-force", "queries", "2")
            .expect("q");
        a.command(Command::SetDetail(Level::Fine));
        let total = a.position().1;
        let forward: Vec<_> = (0..=total)
            .map(|c| {
                a.command(Command::SeekCursor(c));
                a.get::<BruteForce>().expect("bf").state().clone()
            })
            .collect();
        for c in (0..=total).rev() {
            a.command(Command::SeekCursor(c));
            assert_eq!(
                a.get::<BruteForce>().expect("bf").state(),
                &forward[c],
                "n={n} c={c}"
            );
        }
        let mut t = session("annoy", Preset::Clusters, n, 3);
        t.set_scene_setting("annoy", "K", "3").expect("K");
        t.command(Command::SetDetail(Level::Fine));
        let total = t.position().1;
        let forward: Vec<_> = (0..=total)
            .map(|c| {
                t.command(Command::SeekCursor(c));
                t.get::<AnnoyScene>().expect("annoy").state().clone()
            })
            .collect();
        for c in (0..=total).rev() {
            t.command(Command::SeekCursor(c));
            assert_eq!(
                t.get::<AnnoyScene>().expect("annoy").state(),
                &forward[c],
                "annoy n={n} c={c}"
            );
        }
        let mut m = session("distance-matrix", Preset::Uniform, n, 3);
        m.command(Command::SetDetail(Level::Fine));
        let total = m.position().1;
        let forward: Vec<_> = (0..=total)
            .map(|c| {
                m.command(Command::SeekCursor(c));
                m.get::<Matrix>().expect("m").state().clone()
            })
            .collect();
        for c in (0..=total).rev() {
            m.command(Command::SeekCursor(c));
            assert_eq!(
                m.get::<Matrix>().expect("m").state(),
                &forward[c],
                "n={n} c={c}"
            );
        }
    }
}

#[test]
fn every_step_of_every_scene_is_narrated() {
    for e in REGISTRY {
        let mut s = session(e.info.id, Preset::Clusters, 40, 5);
        if e.info.id == "nsw-construction" {
            s.set_scene_setting(e.info.id, "exact_rule", "false")
                .expect("Malkov rule: walks inside the construction");
        }
        let mut ops: Vec<Option<SceneAction>> = vec![None];
        if e.info.id == "hnsw" {
            ops.push(Some(SceneAction::Insert));
        }
        for op in ops {
            if let Some(a) = op {
                s.action(a);
            }
            s.command(Command::SetDetail(Level::Fine));
            let total = s.position().1;
            for c in 0..=total {
                s.command(Command::SeekCursor(c));
                let n = s.narration();
                assert!(
                    !n.title.is_empty() && !n.text.is_empty(),
                    "{} step {c}: nothing said",
                    e.info.id
                );
            }
        }
    }
    // A hard delete in HNSW too.
    let mut s = session("hnsw", Preset::Clusters, 40, 5);
    s.with_scene(|sc, _| {
        let h = sc.as_any_mut().downcast_mut::<Hnsw>().expect("hnsw");
        h.state.as_mut().expect("index").delete_nearest([0.5, 0.5]);
    });
    s.command(Command::SetDetail(Level::Fine));
    for c in 0..=s.position().1 {
        s.command(Command::SeekCursor(c));
        assert!(!s.narration().title.is_empty(), "delete step {c}");
    }
}

#[test]
fn a_moves_insertion_half_points_at_the_move_line() {
    let mut s = session("hnsw", Preset::Clusters, 60, 2);
    s.with_scene(|sc, _| {
        let h = sc.as_any_mut().downcast_mut::<Hnsw>().expect("hnsw");
        let st = h.state.as_mut().expect("index");
        let id = st.nearest_live([0.2, 0.2]).expect("a point");
        st.delete(id, Some([0.8, 0.8]));
    });
    s.command(Command::SetDetail(Level::Fine));
    let code = s.scene().pseudocode();
    let move_line = code
        .iter()
        .position(|l| l.starts_with("MOVE"))
        .expect("the move line");
    let mut inserting = 0;
    for c in 1..=s.position().1 {
        s.command(Command::SeekCursor(c));
        let h = s.get::<Hnsw>().and_then(|h| h.state.as_ref()).expect("h");
        let drawn = h
            .play
            .as_ref()
            .is_some_and(|p| !p.state.levels_drawn.is_empty());
        if drawn {
            inserting += 1;
            assert_eq!(s.narration().line, Some(move_line), "step {c}");
        }
    }
    assert!(inserting > 0, "the move inserts");
}

#[test]
fn during_an_insertion_the_layer_counts_agree_with_the_table() {
    let mut s = session("hnsw", Preset::Clusters, 80, 3);
    s.action(SceneAction::Insert);
    s.command(Command::SetDetail(Level::Fine));
    s.command(Command::SeekCursor(1)); // the level is drawn
    let f = frame(&s);
    let label = f
        .prims
        .iter()
        .find_map(|p| match p {
            ann_explorer::render::Prim::Text { text, .. } if text.starts_with("layer 0:") => {
                Some(text.clone())
            }
            _ => None,
        })
        .expect("layer 0 label");
    assert!(label.contains("80 nodes (+1 arriving)"), "{label}");
    let h = s.get::<Hnsw>().and_then(|h| h.state.as_ref()).expect("h");
    assert_eq!(
        h.details[0].nodes, 81,
        "the table counts the index after the insertion"
    );
}

#[test]
fn an_insertion_ends_on_a_summary() {
    let mut s = session("hnsw", Preset::Clusters, 80, 3);
    s.action(SceneAction::Insert);
    s.command(Command::Last);
    let n = s.narration();
    assert!(n.title.ends_with("inserted"), "{}", n.title);
    assert!(n.text.contains("links added"), "{}", n.text);
}

#[test]
fn cosine_shows_where_angles_are_measured_from() {
    let has_origin = |s: &Session| {
        frame(s).prims.iter().any(|p| {
            matches!(p, ann_explorer::render::Prim::Text { text, .. } if text.starts_with("origin"))
        })
    };
    let mut s = session("brute-force", Preset::Clusters, 50, 1);
    assert!(!has_origin(&s));
    s.set_metric(Metric::Cosine);
    assert!(has_origin(&s));
    let f = frame(&s);
    let (lo, _) = f.bounds.expect("bounds");
    assert!(lo[0] <= 0.0 && lo[1] <= 0.0, "the origin is in view");
    assert!(f.prims.iter().any(|p| matches!(
        p,
        ann_explorer::render::Prim::Line {
            a_in_world: [0.0, 0.0],
            dashed: true,
            ..
        }
    )));
    // The stacked HNSW view has no data plane to draw it in.
    s.select("hnsw");
    assert!(!has_origin(&s));
}

#[test]
fn undo_and_redo_walk_the_changes_back_and_forth() {
    use ann_explorer::session::history::History;
    let mut s = session("greedy-search", Preset::Clusters, 60, 2);
    let mut h = History::default();
    h.observe(&s);
    assert!(!h.can_undo());
    let q0 = s.query;
    s.set_query([0.9, 0.1]);
    h.observe(&s);
    s.set_scene_setting("greedy-search", "k", "4").expect("k");
    h.observe(&s);
    // Stepping is not a change to undo.
    s.command(Command::Last);
    h.observe(&s);
    s = h.undo(&s).expect("a change").expect("builds");
    h.observe(&s);
    assert_eq!(
        s.get::<ann_explorer::scenes::greedy_search::GreedySearch>()
            .expect("gs")
            .settings
            .k,
        1
    );
    assert_eq!(s.query, [0.9, 0.1]);
    s = h.undo(&s).expect("a change").expect("builds");
    h.observe(&s);
    assert_eq!(s.query, q0);
    assert!(!h.can_undo());
    s = h.redo(&s).expect("a change").expect("builds");
    h.observe(&s);
    assert_eq!(s.query, [0.9, 0.1]);
    // A new change after an undo drops what could be redone.
    s.set_query([0.2, 0.2]);
    h.observe(&s);
    assert!(!h.can_redo());
}

#[test]
fn hnsw_links_are_coloured_by_the_metric_in_use() {
    let mut s = session("hnsw", Preset::Clusters, 150, 4);
    let (_, euclid_hi) = frame(&s).length_scale.expect("scale");
    s.set_metric(Metric::Cosine);
    let (lo, hi) = frame(&s).length_scale.expect("scale");
    assert!(
        (0.0..=2.0).contains(&lo) && hi <= 2.0,
        "cosine distances: {lo} … {hi}"
    );
    assert_ne!(hi, euclid_hi);
}

#[test]
fn crowded_hnsw_layers_draw_smaller_lighter_points() {
    use ann_explorer::scenes::hnsw::frame::density_scale;
    assert_eq!(density_scale(200), 1.0);
    assert!(density_scale(10_000) < 0.3);
    let radius_max = |n: usize| {
        let s = session("hnsw", Preset::Uniform, n, 1);
        frame(&s)
            .prims
            .iter()
            .filter_map(|p| match p {
                ann_explorer::render::Prim::Marker {
                    radius,
                    fill: Some(_),
                    shape: ann_explorer::render::Shape::Circle,
                    ..
                } => Some(*radius),
                _ => None,
            })
            .fold(f32::INFINITY, f32::min)
    };
    assert!(
        radius_max(5_000) < radius_max(100),
        "layer 0's points shrink with the crowd"
    );
}
