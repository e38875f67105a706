//! Engine behaviour: brute force, NSW construction, greedy/multi-start/beam search, presets.

use ann_explorer::engine::brute;
use ann_explorer::engine::presets::{self, Preset};
use ann_explorer::engine::search::{self, Visited};
use ann_explorer::engine::*;

fn build(points: &Points, m: usize, rule: InsertRule, seed: u64) -> Nsw {
    let params = NswParams {
        m,
        rule,
        metric: Metric::Euclidean,
        seed,
    };
    Nsw::build(points, params, &mut NoRecorder)
        .unwrap_or_else(|e| panic!("seed {seed}: build failed: {e}"))
        .0
}

fn greedy_path(g: &Nsw, points: &Points, q: &[f32], entry: u32) -> Vec<u32> {
    let mut rec = VecRecorder::new(true);
    let mut d = Dist::new(Metric::Euclidean);
    let mut v = Visited::new(points.len());
    search::greedy(g, points, &mut d, q, PointId(entry), 0, &mut v, &mut rec);
    let mut path = vec![entry];
    for e in rec.events {
        if let Event::Move { to, .. } = e {
            path.push(to.0);
        }
    }
    path
}

#[test]
fn brute_force_is_exact_and_counts_n() {
    for seed in 0..5u64 {
        let ds = presets::generate(Preset::Uniform, 500, seed).expect("generate");
        let q = [0.3f32, 0.7];
        let mut d = Dist::new(Metric::Euclidean);
        let got = brute::knn(&ds.points, &mut d, &q, 10, &mut NoRecorder).expect("knn");
        assert_eq!(
            d.count, 500,
            "seed {seed}: brute force computes n distances"
        );
        let mut all: Vec<(f32, u32)> = ds
            .points
            .ids()
            .map(|i| (Metric::Euclidean.eval(&q, ds.points.get(i)), i.0))
            .collect();
        all.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let want: Vec<u32> = all.iter().take(10).map(|x| x.1).collect();
        let got_ids: Vec<u32> = got.iter().map(|x| x.0.0).collect();
        assert_eq!(got_ids, want, "seed {seed}");
        assert!(
            got.windows(2).all(|w| w[0].1 <= w[1].1),
            "seed {seed}: sorted"
        );
    }
}

#[test]
fn seed_lesson_example_links_and_walks_as_in_the_lesson() {
    let ds = presets::generate(Preset::SeedLesson, 0, 0).expect("seed lesson");
    let g = build(&ds.points, 2, InsertRule::Exact, 0);
    let want: [&[u32]; 8] = [
        &[],
        &[0],
        &[1, 0],
        &[2, 0],
        &[2, 0],
        &[2, 0],
        &[2, 4],
        &[5, 3],
    ];
    // The links each insertion made are the node's neighbours with a smaller id, in rank order.
    let mut rec = VecRecorder::new(false);
    Nsw::build(&ds.points, g.params(), &mut rec).expect("build");
    for (node, w) in want.iter().enumerate() {
        let made: Vec<u32> = rec
            .events
            .iter()
            .filter_map(|e| match e {
                Event::Connect { from, to, .. } if from.0 == node as u32 => Some(to.0),
                _ => None,
            })
            .collect();
        assert_eq!(&made[..], *w, "insertion of {node}");
    }
    let q = ds.query;
    assert_eq!(
        brute::nearest(&ds.points, Metric::Euclidean, &q).map(|x| x.0.0),
        Some(6)
    );
    assert_eq!(greedy_path(&g, &ds.points, &q, 7), vec![7, 5, 2, 6]);
    assert_eq!(
        greedy_path(&g, &ds.points, &q, 0),
        vec![0, 1],
        "local minimum at 1"
    );
}

#[test]
fn greedy_path_strictly_decreases_distance() {
    for seed in 0..10u64 {
        let ds = presets::generate(Preset::Clusters, 800, seed).expect("generate");
        let g = build(&ds.points, 3, InsertRule::Exact, seed);
        for entry in [0u32, 17, 399, 799] {
            let mut rec = VecRecorder::new(true);
            let mut d = Dist::new(Metric::Euclidean);
            let mut v = Visited::new(800);
            let o = search::greedy(
                &g,
                &ds.points,
                &mut d,
                &ds.query,
                PointId(entry),
                0,
                &mut v,
                &mut rec,
            );
            let mut last = f32::INFINITY;
            for e in &rec.events {
                if let Event::Move {
                    from_dist, to_dist, ..
                } = e
                {
                    assert!(to_dist < from_dist, "seed {seed} entry {entry}");
                    assert!(*from_dist <= last);
                    last = *to_dist;
                }
            }
            // At the stop, no neighbour is closer.
            let (stop, sd) = o.results[0];
            for nb in g.neighbors(stop) {
                assert!(Metric::Euclidean.eval(&ds.query, ds.points.get(*nb)) >= sd);
            }
            assert_eq!(o.stats.distance_computations, d.count);
        }
    }
}

#[test]
fn beam_with_ef_at_least_n_is_exact() {
    for seed in 0..5u64 {
        let ds = presets::generate(Preset::Trap, 300, seed).expect("generate");
        let g = build(&ds.points, 2, InsertRule::Exact, seed);
        let mut d = Dist::new(Metric::Euclidean);
        let truth = brute::knn(&ds.points, &mut d, &ds.query, 5, &mut NoRecorder).expect("knn");
        for entry in [0u32, 150, 299] {
            let o = search::beam(
                &g,
                &ds.points,
                &mut d,
                &ds.query,
                PointId(entry),
                300,
                5,
                &mut NoRecorder,
            );
            assert_eq!(o.results, truth, "seed {seed} entry {entry}");
        }
    }
}

#[test]
fn nsw_degrees_and_symmetry_for_both_rules() {
    for seed in 0..4u64 {
        for rule in [InsertRule::Exact, InsertRule::Malkov2014 { w: 3 }] {
            let n = 600;
            let m = 4;
            let ds = presets::generate(Preset::Uniform, n, seed).expect("generate");
            let g = build(&ds.points, m, rule, seed);
            assert_eq!(g.inserted(), n);
            for id in ds.points.ids() {
                let nbs = g.neighbors(id);
                // Every node made min(m, id) links itself, and links are undirected.
                let own = nbs.iter().filter(|b| b.0 < id.0).count();
                assert_eq!(own, m.min(id.0 as usize), "seed {seed} {rule:?} node {id}");
                for b in nbs {
                    assert!(
                        g.neighbors(*b).contains(&id),
                        "seed {seed}: {id}–{b} one-way"
                    );
                    assert_ne!(*b, id, "no self loops");
                }
                let mut s = nbs.to_vec();
                s.sort();
                s.dedup();
                assert_eq!(s.len(), nbs.len(), "no duplicate links at {id}");
            }
            assert_eq!(g.edge_count(), g.edges().count());
        }
    }
}

#[test]
fn exact_rule_links_true_nearest_and_malkov_rule_mostly_agrees() {
    let seed = 3;
    let ds = presets::generate(Preset::Uniform, 400, seed).expect("generate");
    let exact = build(&ds.points, 3, InsertRule::Exact, seed);
    let malkov = build(&ds.points, 3, InsertRule::Malkov2014 { w: 4 }, seed);
    let mut agree = 0;
    let mut total = 0;
    for id in ds.points.ids().skip(1) {
        let prefix = Points::from_xy(
            &(0..id.0)
                .map(|i| ds.points.xy(PointId(i)))
                .collect::<Vec<_>>(),
        )
        .expect("prefix");
        let mut d = Dist::new(Metric::Euclidean);
        let truth: Vec<PointId> =
            brute::knn(&prefix, &mut d, ds.points.get(id), 3, &mut NoRecorder)
                .expect("knn")
                .into_iter()
                .map(|x| x.0)
                .collect();
        let own = |g: &Nsw| -> Vec<PointId> {
            g.neighbors(id)
                .iter()
                .copied()
                .filter(|b| b.0 < id.0)
                .collect()
        };
        let mut e = own(&exact);
        e.sort();
        let mut t = truth.clone();
        t.sort();
        assert_eq!(e, t, "exact rule at {id}");
        let m = own(&malkov);
        agree += m.iter().filter(|x| truth.contains(x)).count();
        total += truth.len();
    }
    let frac = agree as f64 / total as f64;
    assert!(
        frac > 0.7,
        "Malkov rule found {frac:.3} of true nearest links (seed {seed})"
    );
}

#[test]
fn presets_are_reproducible_from_their_seed() {
    for p in Preset::ALL {
        let a = presets::generate(p, 1000, 42).expect("a");
        let b = presets::generate(p, 1000, 42).expect("b");
        assert_eq!(a, b, "{p:?}");
        if !matches!(p, Preset::SeedLesson | Preset::Grid) {
            let c = presets::generate(p, 1000, 43).expect("c");
            assert_ne!(a.points, c.points, "{p:?}: another seed gives other points");
        }
        if p != Preset::SeedLesson {
            assert_eq!(a.points.len(), 1000, "{p:?}");
        }
    }
}

#[test]
fn trap_preset_traps_greedy_search() {
    for seed in 0..5u64 {
        let ds = presets::generate(Preset::Trap, 400, seed).expect("trap");
        let g = build(&ds.points, 3, InsertRule::Exact, seed);
        let truth = brute::nearest(&ds.points, Metric::Euclidean, &ds.query)
            .expect("nn")
            .0;
        let mut stuck = 0;
        for e in ds.points.ids() {
            let p = greedy_path(&g, &ds.points, &ds.query, e.0);
            if *p.last().expect("path") != truth.0 {
                stuck += 1;
            }
        }
        let frac = stuck as f64 / 400.0;
        assert!(
            frac > 0.6,
            "seed {seed}: only {frac:.2} of entries end in a local minimum"
        );
    }
}

#[test]
fn multi_start_never_worse_than_its_first_walk() {
    for seed in 0..5u64 {
        let ds = presets::generate(Preset::Trap, 300, seed).expect("trap");
        let g = build(&ds.points, 2, InsertRule::Exact, seed);
        let mut d = Dist::new(Metric::Euclidean);
        let one = search::run(
            &g,
            &ds.points,
            &mut d,
            &ds.query,
            PointId(250),
            SearchMode::Greedy,
            1,
            seed,
            &mut NoRecorder,
        )
        .expect("greedy");
        let many = search::run(
            &g,
            &ds.points,
            &mut d,
            &ds.query,
            PointId(250),
            SearchMode::MultiStart { restarts: 20 },
            1,
            seed,
            &mut NoRecorder,
        )
        .expect("multi");
        assert!(many.results[0].1 <= one.results[0].1);
        assert_eq!(many.stops.len(), 21);
        assert!(many.stats.distance_computations > one.stats.distance_computations);
    }
}

#[test]
fn bad_input_is_rejected_with_a_message() {
    let nan = Points::from_xy(&[[0.0, 0.0], [f32::NAN, 1.0]]);
    let err = nan.expect_err("NaN must be rejected");
    assert!(err.to_string().contains("point 1"), "{err}");
    assert!(Points::new(2, vec![1.0, 2.0, 3.0]).is_err());
    assert!(Points::new(0, vec![]).is_err());
    assert!(presets::generate(Preset::Uniform, presets::MAX_POINTS + 1, 0).is_err());

    // n = 0: building works, searching explains there is nothing to search.
    let empty = Points::empty(2).expect("empty");
    let g = build(&empty, 3, InsertRule::Exact, 0);
    let mut d = Dist::new(Metric::Euclidean);
    let e = search::run(
        &g,
        &empty,
        &mut d,
        &[0.5, 0.5],
        PointId(0),
        SearchMode::Greedy,
        1,
        0,
        &mut NoRecorder,
    )
    .expect_err("empty");
    assert!(e.to_string().contains("no points"), "{e}");

    // n = 1 and 2, with m ≥ n: a complete graph, and search finds the nearest.
    for n in [1usize, 2] {
        let ds = presets::generate(Preset::Uniform, n, 9).expect("small");
        for rule in [InsertRule::Exact, InsertRule::Malkov2014 { w: 2 }] {
            let g = build(&ds.points, 5, rule, 0);
            assert_eq!(g.edge_count(), n * (n - 1) / 2);
            let o = search::run(
                &g,
                &ds.points,
                &mut d,
                &ds.query,
                PointId(0),
                SearchMode::Beam { ef: 4 },
                3,
                0,
                &mut NoRecorder,
            )
            .expect("search");
            assert_eq!(o.results.len(), n);
        }
    }
    // m = 0 and w = 0 are refused.
    let ds = presets::generate(Preset::Uniform, 10, 0).expect("ds");
    let bad = NswParams {
        m: 0,
        ..NswParams::default()
    };
    assert!(Nsw::new(&ds.points, bad).is_err());
    let bad = NswParams {
        rule: InsertRule::Malkov2014 { w: 0 },
        ..NswParams::default()
    };
    assert!(Nsw::new(&ds.points, bad).is_err());
    // An entry that does not exist and a query of the wrong dimension are refused.
    let g = build(&ds.points, 2, InsertRule::Exact, 0);
    assert!(
        search::run(
            &g,
            &ds.points,
            &mut d,
            &[0.5, 0.5],
            PointId(10),
            SearchMode::Greedy,
            1,
            0,
            &mut NoRecorder
        )
        .is_err()
    );
    assert!(
        search::run(
            &g,
            &ds.points,
            &mut d,
            &[0.5],
            PointId(0),
            SearchMode::Greedy,
            1,
            0,
            &mut NoRecorder
        )
        .is_err()
    );
}

#[test]
fn duplicate_points_are_found_and_handled() {
    let pts = Points::from_xy(&[[0.1, 0.1], [0.5, 0.5], [0.1, 0.1], [0.9, 0.9], [0.5, 0.5]])
        .expect("pts");
    assert_eq!(
        pts.duplicates(),
        vec![(PointId(2), PointId(0)), (PointId(4), PointId(1))]
    );
    let g = build(&pts, 2, InsertRule::Exact, 0);
    let mut d = Dist::new(Metric::Euclidean);
    let o = search::run(
        &g,
        &pts,
        &mut d,
        &[0.5, 0.5],
        PointId(3),
        SearchMode::Beam { ef: 5 },
        2,
        0,
        &mut NoRecorder,
    )
    .expect("search");
    let ids: Vec<u32> = o.results.iter().map(|x| x.0.0).collect();
    assert_eq!(ids, vec![1, 4], "ties broken by id");
}

#[test]
fn cosine_distance_is_one_minus_cos() {
    let m = Metric::Cosine;
    assert!((m.eval(&[1.0, 0.0], &[0.0, 2.0]) - 1.0).abs() < 1e-6);
    assert!(m.eval(&[1.0, 1.0], &[2.0, 2.0]).abs() < 1e-6);
    assert!((m.eval(&[1.0, 0.0], &[-1.0, 0.0]) - 2.0).abs() < 1e-6);
    assert_eq!(m.eval(&[0.0, 0.0], &[1.0, 0.0]), 1.0);
}
