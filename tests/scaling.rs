//! The scaling lab's engine: each method against the exact answers, the distance counts that
//! make O(n) against O(log n), cancelling, the CSV, and bad settings.

use std::sync::Arc;

use ann_explorer::engine::hnsw::{Hnsw, HnswParams, Scratch};
use ann_explorer::engine::scaling::{self, DataKind, LabError, Method, Progress, Row, Sweep};
use ann_explorer::engine::{PointId, Points};
use ann_explorer::scenes::scaling_lab::job::{self, LabJob};
use ann_explorer::scenes::scaling_lab::plots::{self, PlotKind, pareto};

fn sweep(methods: &[Method], sizes: &[usize], dim: usize) -> Sweep {
    Sweep {
        methods: methods.to_vec(),
        sizes: sizes.to_vec(),
        dim,
        queries: 100,
        k: 10,
        ef: vec![16, 64],
        threads: 2,
        seed: 7,
        ..Sweep::default()
    }
}

fn run(s: &Sweep) -> Vec<Row> {
    let tasks = s.tasks();
    let progress: Vec<Arc<Progress>> = tasks.iter().map(|_| Arc::default()).collect();
    let mut rows = Vec::new();
    scaling::run(s, &progress, |r| rows.push(r)).unwrap_or_else(|e| panic!("seed {}: {e}", s.seed));
    rows
}

fn row(rows: &[Row], m: Method, n: usize, ef: Option<usize>) -> &Row {
    rows.iter()
        .find(|r| r.method == m && r.n == n && r.ef == ef)
        .unwrap_or_else(|| panic!("no row for {m:?} n = {n} ef = {ef:?}"))
}

#[test]
fn brute_force_computes_exactly_n_distances_and_hnsw_far_fewer() {
    let s = sweep(&[Method::Brute, Method::Hnsw], &[1_000, 10_000], 2);
    let rows = run(&s);
    for n in [1_000, 10_000] {
        let b = row(&rows, Method::Brute, n, None);
        assert_eq!(b.distances_per_query, Some(n as f64), "seed {}", s.seed);
        assert_eq!(b.recall, 1.0);
    }
    // Ten times the points: brute force ten times the distances, HNSW well under twice.
    let h1 = row(&rows, Method::Hnsw, 1_000, Some(64))
        .distances_per_query
        .unwrap_or(0.0);
    let h10 = row(&rows, Method::Hnsw, 10_000, Some(64))
        .distances_per_query
        .unwrap_or(0.0);
    assert!(
        h1 > 0.0 && h10 / h1 < 2.0,
        "HNSW {h1} → {h10} (seed {})",
        s.seed
    );
    assert!(
        h10 < 10_000.0 / 10.0,
        "HNSW computes {h10} of 10,000 (seed {})",
        s.seed
    );
}

#[test]
fn hnsw_recall_at_10_is_at_least_099_at_ef_64() {
    for (dim, data) in [(2, DataKind::Uniform), (16, DataKind::Clusters)] {
        let s = Sweep {
            data,
            ..sweep(&[Method::Hnsw], &[10_000], dim)
        };
        let r = row(&run(&s), Method::Hnsw, 10_000, Some(64)).recall;
        assert!(
            r >= 0.99,
            "dim {dim} {data:?}: recall {r} (seed {})",
            s.seed
        );
    }
}

#[test]
fn the_kd_tree_agrees_with_brute_force() {
    for dim in [2, 16] {
        let s = sweep(&[Method::Kdtree, Method::Brute], &[5_000], dim);
        let rows = run(&s);
        assert_eq!(
            row(&rows, Method::Kdtree, 5_000, None).recall,
            1.0,
            "dim {dim}"
        );
        assert_eq!(
            row(&rows, Method::Kdtree, 5_000, None).distances_per_query,
            None
        );
    }
    // And id for id, distance for distance.
    let data = scaling::data::draw(DataKind::Clusters, 2, 3_000, 3, 0);
    let points = Points::new(2, data).expect("points");
    let tree = ann_explorer::engine::kdtree::KdTree::build(&points).expect("tree");
    let mut a = Vec::new();
    let mut b = Vec::new();
    for q in scaling::data::draw(DataKind::Clusters, 2, 50, 3, 1).chunks(2) {
        tree.search_into(q, 7, &mut a);
        ann_explorer::engine::brute::top_k_l2(&points, q, 7, &mut b);
        let ids = |v: &Vec<(PointId, f32)>| v.iter().map(|r| r.0).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
        for (x, y) in a.iter().zip(&b) {
            assert!((x.1 - y.1).abs() < 1e-5);
        }
    }
}

#[test]
fn nsw_finds_its_neighbours_and_its_count_grows() {
    let s = sweep(&[Method::Nsw], &[1_000, 10_000], 2);
    let rows = run(&s);
    let r = row(&rows, Method::Nsw, 10_000, Some(64));
    assert!(r.recall >= 0.95, "recall {}", r.recall);
    assert!(r.build_s > 0.0);
    // Its count grows with n, but far slower than brute force's n.
    let d1 = row(&rows, Method::Nsw, 1_000, Some(64))
        .distances_per_query
        .unwrap_or(0.0);
    let d10 = r.distances_per_query.unwrap_or(0.0);
    assert!(d1 > 0.0 && d10 > d1 && d10 < 5.0 * d1, "NSW {d1} → {d10}");
    // A wider beam measures more and finds at least as much.
    let narrow = row(&rows, Method::Nsw, 10_000, Some(16));
    assert!(narrow.distances_per_query < r.distances_per_query);
    assert!(narrow.recall <= r.recall);
}

#[test]
fn the_parallel_build_keeps_hnsw_recall() {
    let data = scaling::data::draw(DataKind::Uniform, 8, 20_000, 5, 0);
    let queries = scaling::data::draw(DataKind::Uniform, 8, 200, 5, 1);
    let points = Points::new(8, data).expect("points");
    let params = HnswParams {
        ef_construction: 100,
        seed: 5,
        ..HnswParams::new(12)
    };
    let recall = |h: &Hnsw| {
        let mut scratch = Scratch::new(points.len());
        let mut hits = 0;
        let mut truth = Vec::new();
        for q in queries.chunks(8) {
            ann_explorer::engine::brute::top_k_l2(&points, q, 10, &mut truth);
            let (found, _) = h.search(q, 10, 32, &mut scratch);
            hits += found
                .iter()
                .filter(|f| truth.iter().any(|t| t.0 == f.0))
                .count();
        }
        hits as f64 / 2000.0
    };
    let one = Hnsw::build(&points, params).expect("build");
    let par = Hnsw::build_parallel(&points, params, 2, &|_| true).expect("build");
    let par1 = Hnsw::build_parallel(&points, params, 1, &|_| true).expect("build");
    let par4 = Hnsw::build_parallel(&points, params, 4, &|_| true).expect("build");
    assert_eq!(par.len(), points.len());
    let (r1, r2) = (recall(&one), recall(&par));
    assert!(r2 >= r1 - 0.01, "parallel {r2} against one thread {r1}");
    // The graph depends on the seed, not on how many threads built it.
    for id in points.ids() {
        for layer in 0..=par.level(id) {
            assert_eq!(par.neighbors(id, layer), par1.neighbors(id, layer), "{id}");
            assert_eq!(par.neighbors(id, layer), par4.neighbors(id, layer), "{id}");
        }
        // Every list within its bound, without itself, without repeats.
        let l0 = par.neighbors(id, 0);
        assert!(l0.len() <= params.m_max0 && !l0.contains(&id.0));
        let mut sorted = l0.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), l0.len(), "{id}: a repeated link");
    }
    assert_eq!(par.entry_point(), par4.entry_point());
}

#[test]
fn cancelling_a_task_stops_it_and_keeps_the_rows() {
    let s = sweep(&[Method::Brute, Method::Hnsw], &[2_000, 300_000], 2);
    let job = LabJob::start(s.clone()).expect("start");
    // Wait for the first size's rows, then cancel the big HNSW build while it runs.
    let big = job
        .tasks
        .iter()
        .position(|t| t.n == 300_000 && t.method == Method::Hnsw)
        .expect("task");
    let t0 = std::time::Instant::now();
    while !job.progress[big].snapshot().started {
        assert!(t0.elapsed().as_secs() < 120, "the big task never started");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    job.cancel_task(big);
    // The worker sees the cancel within a batch of the build: well before the build would
    // have ended (a behaviour bound, not a speed measurement).
    let t_cancel = std::time::Instant::now();
    let (rows, outcome) = job.wait();
    assert!(
        t_cancel.elapsed().as_secs() < 20,
        "the cancelled build ran on for {:?}",
        t_cancel.elapsed()
    );
    assert!(outcome.is_ok(), "{outcome:?}");
    assert!(
        rows.iter()
            .any(|r| r.n == 2_000 && r.method == Method::Hnsw)
    );
    assert!(
        rows.iter()
            .any(|r| r.n == 300_000 && r.method == Method::Brute)
    );
    assert!(
        !rows
            .iter()
            .any(|r| r.n == 300_000 && r.method == Method::Hnsw)
    );
}

#[test]
fn the_csv_parses_back_and_names_its_columns() {
    let s = sweep(&[Method::Brute, Method::Kdtree, Method::Hnsw], &[1_000], 2);
    let rows = run(&s);
    let text = job::to_csv(&rows).expect("csv");
    let header = text.lines().next().unwrap_or_default();
    assert!(
        header.starts_with("method,n,dim,k,params,build_s,qps,query_us,distances_per_query,recall")
    );
    assert_eq!(header.split(',').count(), job::CSV_COLUMNS.len());
    assert_eq!(job::from_csv(&text).expect("parse"), rows);
    let err = job::from_csv("method,n\nwarp,3\n").expect_err("bad csv");
    assert!(err.contains("line 2"), "{err}");
    let json: serde_json::Value = serde_json::from_str(&job::to_json(&s, &rows)).expect("json");
    assert_eq!(json["rows"].as_array().map(Vec::len), Some(rows.len()));
}

#[test]
fn plots_put_brute_force_on_y_equals_n_and_draw_a_pareto_frontier() {
    let s = sweep(&[Method::Brute, Method::Hnsw], &[1_000, 3_000], 2);
    let rows = run(&s);
    let d = plots::plot(PlotKind::Distances, &rows, None);
    let brute = d
        .series
        .iter()
        .find(|x| x.name == "brute force")
        .expect("brute");
    let line = d.series.iter().find(|x| x.name == "y = n").expect("y = n");
    assert_eq!(brute.points, line.points);
    let p = plots::plot(PlotKind::Pareto, &rows, None);
    assert!(p.series.iter().any(|x| x.frontier));
    let f = pareto(&[[0.9, 100.0], [0.95, 50.0], [0.92, 40.0], [1.0, 10.0]]);
    assert_eq!(f, vec![[0.9, 100.0], [0.95, 50.0], [1.0, 10.0]]);
    let svg = ann_explorer::export::chart::to_svg(&d, 960.0, 640.0);
    roxmltree::Document::parse(&svg).expect("the plot is well-formed SVG");
}

#[test]
fn bad_settings_are_refused_with_a_reason() {
    let ok = sweep(&[Method::Brute], &[1_000], 2);
    let cases: Vec<(Sweep, &str)> = vec![
        (
            Sweep {
                methods: vec![],
                ..ok.clone()
            },
            "method",
        ),
        (
            Sweep {
                sizes: vec![],
                ..ok.clone()
            },
            "size",
        ),
        (
            Sweep {
                sizes: vec![1],
                ..ok.clone()
            },
            "out of range",
        ),
        (
            Sweep {
                sizes: vec![5],
                ..ok.clone()
            },
            "smaller than k",
        ),
        (Sweep { k: 0, ..ok.clone() }, "k must"),
        (
            Sweep {
                dim: 0,
                ..ok.clone()
            },
            "dimension",
        ),
        (
            Sweep {
                methods: vec![Method::Kdtree],
                dim: 5,
                ..ok.clone()
            },
            "k-d tree",
        ),
        (
            Sweep {
                methods: vec![Method::Hnsw],
                ef: vec![],
                ..ok.clone()
            },
            "ef",
        ),
        (
            Sweep {
                ef: vec![0],
                ..ok.clone()
            },
            "ef must",
        ),
        (
            Sweep {
                queries: 0,
                ..ok.clone()
            },
            "queries",
        ),
        (
            Sweep {
                threads: 5000,
                ..ok.clone()
            },
            "threads",
        ),
    ];
    for (s, word) in cases {
        let e = LabJob::start(s).err().expect("refused").to_string();
        assert!(e.contains(word), "{e} (wanted '{word}')");
    }
    // More than the machine has: refused before anything is built.
    let huge = Sweep {
        sizes: vec![10_000_000],
        dim: 4096,
        ..ok
    };
    // (Only where the system says how much is free: elsewhere it would really start.)
    if scaling::memory::available().is_some() {
        match LabJob::start(huge).err() {
            Some(LabError::Memory {
                needed, available, ..
            }) => assert!(needed > available / 10 * 8),
            other => panic!("expected a memory refusal, got {other:?}"),
        }
    }
}

#[test]
fn annoy_joins_the_lab_and_recall_grows_with_search_k() {
    let s = Sweep {
        n_trees: 5,
        search_k: vec![20, 200, 50_000],
        ..sweep(&[Method::Annoy], &[5_000], 8)
    };
    let rows = run(&s);
    assert_eq!(rows.len(), 3);
    let r = |sk| {
        rows.iter()
            .find(|r| r.search_k == Some(sk))
            .unwrap_or_else(|| panic!("no row at search_k {sk}"))
    };
    assert!(r(20).recall <= r(200).recall && r(200).recall <= r(50_000).recall);
    // Every tree's leaves together hold every point: search_k ≥ n·n_trees is exact.
    assert_eq!(r(50_000).recall, 1.0);
    assert_eq!(r(50_000).distances_per_query, Some(5_000.0));
    assert_eq!(r(200).label(), "Annoy search_k=200");
    assert!(r(200).ef.is_none() && r(200).params.contains("n_trees=5"));
    let text = job::to_csv(&rows).expect("csv");
    assert_eq!(job::from_csv(&text).expect("parse"), rows);
}
