//! HNSW against brute force, its invariants, and the level law.

use ann_explorer::engine::hnsw::{Hnsw, HnswParams, Scratch};
use ann_explorer::engine::presets::{self, Preset};
use ann_explorer::engine::*;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

fn recall(index: &Hnsw, points: &Points, queries: &[Vec<f32>], k: usize, ef: usize) -> f64 {
    let mut scratch = Scratch::new(points.len());
    let mut hits = 0usize;
    for q in queries {
        let (got, _) = index.search(q, k, ef, &mut scratch);
        let mut d = Dist::new(index.params().metric);
        let truth = brute::knn(points, &mut d, q, k, &mut NoRecorder).expect("knn");
        hits += got
            .iter()
            .filter(|g| truth.iter().any(|t| t.0 == g.0))
            .count();
    }
    hits as f64 / (queries.len() * k) as f64
}

fn queries(dim: usize, n: usize, seed: u64) -> Vec<Vec<f32>> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    (0..n)
        .map(|_| (0..dim).map(|_| rng.random::<f32>()).collect())
        .collect()
}

fn check_invariants(h: &Hnsw, seed: u64) {
    let p = h.params();
    let entry = h.entry_point().expect("entry");
    assert_eq!(
        h.level(entry),
        h.max_level(),
        "seed {seed}: entry point is on the top level"
    );
    for i in 0..h.len() as u32 {
        let id = PointId(i);
        for layer in 0..=h.level(id) {
            let nbs = h.neighbors(id, layer);
            let cap = if layer == 0 { p.m_max0 } else { p.m_max };
            assert!(
                nbs.len() <= cap,
                "seed {seed}: node {i} layer {layer} has {} > {cap}",
                nbs.len()
            );
            for &nb in nbs {
                assert_ne!(nb, i, "self loop at {i}");
                assert!(
                    h.level(PointId(nb)) >= layer,
                    "seed {seed}: {i}→{nb} on layer {layer} above {nb}'s level"
                );
            }
            let mut s = nbs.to_vec();
            s.sort();
            s.dedup();
            assert_eq!(s.len(), nbs.len(), "duplicate links at {i}");
        }
        assert!(h.neighbors(id, h.level(id) + 1).is_empty());
    }
}

#[test]
fn recall_on_10k_uniform_2d_at_ef_64() {
    let seed = 7;
    let ds = presets::generate(Preset::Uniform, 10_000, seed).expect("data");
    let params = HnswParams {
        seed,
        ..HnswParams::new(16)
    };
    let h = Hnsw::build(&ds.points, params).expect("build");
    check_invariants(&h, seed);
    let r = recall(&h, &ds.points, &queries(2, 300, seed + 1), 10, 64);
    assert!(r >= 0.99, "seed {seed}: recall@10 = {r:.4}");
}

#[test]
fn recall_on_32_dimensional_clusters() {
    let seed = 3;
    let (n, dim) = (4000, 32);
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let centres: Vec<Vec<f32>> = (0..20)
        .map(|_| (0..dim).map(|_| rng.random::<f32>()).collect())
        .collect();
    let mut flat = Vec::with_capacity(n * dim);
    for i in 0..n {
        for c in &centres[i % 20] {
            flat.push(c + 0.05 * (rng.random::<f32>() - 0.5));
        }
    }
    let points = Points::new(dim, flat).expect("points");
    let h = Hnsw::build(
        &points,
        HnswParams {
            seed,
            ..HnswParams::new(16)
        },
    )
    .expect("build");
    check_invariants(&h, seed);
    let qs: Vec<Vec<f32>> = (0..200)
        .map(|i| {
            centres[i % 20]
                .iter()
                .map(|c| c + 0.05 * (rng.random::<f32>() - 0.5))
                .collect()
        })
        .collect();
    let r = recall(&h, &points, &qs, 10, 100);
    assert!(r >= 0.95, "seed {seed}: recall@10 = {r:.4}");
}

#[test]
fn invariants_after_every_insertion_both_selections() {
    for seed in 0..3u64 {
        let mut recalls = Vec::new();
        for heuristic in [true, false] {
            let ds = presets::generate(Preset::Clusters, 600, seed).expect("data");
            let params = HnswParams {
                seed,
                heuristic,
                ..HnswParams::new(4)
            };
            let mut h = Hnsw::new(2, 0, params).expect("new");
            for id in ds.points.ids() {
                h.insert(ds.points.get(id)).expect("insert");
                check_invariants(&h, seed);
            }
            let r = recall(&h, &ds.points, &queries(2, 100, seed), 5, 50);
            recalls.push(r);
        }
        // The simple rule links inside clusters only and can cut the graph apart on
        // clustered data: that is the paper's case for the heuristic.
        assert!(
            recalls[0] >= 0.95,
            "seed {seed}: heuristic recall {:.3}",
            recalls[0]
        );
        assert!(
            recalls[0] >= recalls[1],
            "seed {seed}: heuristic {:.3} < simple {:.3}",
            recalls[0],
            recalls[1]
        );
    }
}

#[test]
fn level_counts_follow_the_geometric_law() {
    // P(level ≥ l) = exp(−l/mL) = M^−l for mL = 1/ln M. χ² over levels 0..4 (+ tail).
    let m = 4usize;
    let n = 200_000usize;
    let mut h = Hnsw::new(
        2,
        0,
        HnswParams {
            seed: 12345,
            ..HnswParams::new(m)
        },
    )
    .expect("new");
    let mut counts = [0usize; 6];
    for _ in 0..n {
        let l = h.draw_level();
        counts[l.min(5)] += 1;
    }
    let p = |l: usize| (m as f64).powi(-(l as i32));
    let mut chi2 = 0.0;
    for (l, &count) in counts.iter().enumerate() {
        let expected = if l < 5 { p(l) - p(l + 1) } else { p(5) } * n as f64;
        chi2 += (count as f64 - expected).powi(2) / expected;
    }
    // 5 degrees of freedom: the 99.9% quantile is 20.5.
    assert!(chi2 < 20.5, "chi² = {chi2:.2}, counts {counts:?}");
}

#[test]
fn heuristic_keeps_exactly_what_the_papers_rule_keeps() {
    // Base point b at the origin; candidates on a line to the right and one above.
    // a = (1, 0), c = (2, 0) lies behind a (closer to a than to b): pruned.
    // d = (0, 2.5) is closer to b than to a: kept.
    let pts = [[0.0f32, 0.0], [1.0, 0.0], [2.0, 0.0], [0.0, 2.5]];
    let params = HnswParams {
        seed: 1,
        m: 3,
        m_max: 3,
        m_max0: 3,
        ml: 0.0,
        ..HnswParams::new(3)
    };
    let mut h = Hnsw::new(2, 4, params).expect("new");
    for p in &pts[1..] {
        h.insert(p).expect("insert");
    }
    h.insert(&pts[0]).expect("insert b");
    let mut kept: Vec<u32> = h.neighbors(PointId(3), 0).to_vec();
    kept.sort();
    // ids: a = 0, c = 1, d = 2, b = 3.
    assert_eq!(
        kept,
        vec![0, 2],
        "the heuristic keeps a and d, prunes c (closer to a than to b)"
    );
    let simple = HnswParams {
        heuristic: false,
        ..params
    };
    let mut h = Hnsw::new(2, 4, simple).expect("new");
    for p in &pts[1..] {
        h.insert(p).expect("insert");
    }
    h.insert(&pts[0]).expect("insert b");
    let mut kept: Vec<u32> = h.neighbors(PointId(3), 0).to_vec();
    kept.sort();
    assert_eq!(kept, vec![0, 1, 2], "the simple rule keeps the 3 nearest");
}

#[test]
fn soft_deleted_points_are_skipped_but_traversed() {
    let ds = presets::generate(Preset::Uniform, 2000, 4).expect("data");
    let mut h = Hnsw::build(&ds.points, HnswParams::new(8)).expect("build");
    let q = [0.5f32, 0.5];
    let mut s = Scratch::new(2000);
    let (before, _) = h.search(&q, 5, 64, &mut s);
    h.mark_deleted(before[0].0).expect("delete");
    let (after, _) = h.search(&q, 5, 64, &mut s);
    assert!(after.iter().all(|r| r.0 != before[0].0));
    assert_eq!(after[0], before[1]);
    assert!(h.mark_deleted(PointId(5000)).is_err());
}

#[test]
fn bad_input_is_refused() {
    let mut h = Hnsw::new(2, 0, HnswParams::new(8)).expect("new");
    assert!(h.insert(&[f32::NAN, 0.0]).is_err());
    assert!(h.insert(&[1.0]).is_err());
    assert!(h.is_empty(), "a refused insert adds nothing");
    let mut s = Scratch::new(0);
    assert!(
        h.search(&[0.0, 0.0], 3, 10, &mut s).0.is_empty(),
        "empty index: no results"
    );
    assert!(
        Hnsw::new(
            2,
            0,
            HnswParams {
                ef_construction: 0,
                ..HnswParams::new(8)
            }
        )
        .is_err()
    );
    assert!(Hnsw::new(0, 0, HnswParams::new(8)).is_err());
    // Duplicates are fine: all are found, ties broken by id.
    for _ in 0..5 {
        h.insert(&[0.3, 0.3]).expect("dup");
    }
    let (r, _) = h.search(&[0.3, 0.3], 5, 10, &mut s);
    let ids: Vec<u32> = r.iter().map(|x| x.0.0).collect();
    assert_eq!(ids, vec![0, 1, 2, 3, 4]);
}

#[test]
fn hard_deletes_keep_the_rest_findable_and_promote_the_entry() {
    for seed in 0..3u64 {
        let ds = presets::generate(Preset::Uniform, 3000, seed).expect("data");
        let mut h = Hnsw::build(
            &ds.points,
            HnswParams {
                seed,
                ..HnswParams::new(8)
            },
        )
        .expect("build");
        let mut rng = Pcg64Mcg::seed_from_u64(seed);
        // Remove the entry point first, then 10% of the points at random.
        let first = h.entry_point().expect("entry");
        h.remove(first).expect("remove entry");
        assert_ne!(
            h.entry_point(),
            Some(first),
            "seed {seed}: a new entry point is promoted"
        );
        for _ in 0..300 {
            let id = PointId(rng.random_range(0..3000u32));
            if !h.is_removed(id) {
                h.remove(id).expect("remove");
            }
        }
        assert!(h.remove(first).is_err(), "removing twice is refused");
        let entry = h.entry_point().expect("entry");
        assert!(!h.is_removed(entry));
        assert_eq!(h.level(entry), h.max_level());
        let p = h.params();
        let mut s = Scratch::new(3000);
        let mut found = 0;
        let mut live = 0;
        for i in 0..3000u32 {
            let id = PointId(i);
            if h.is_removed(id) {
                continue;
            }
            live += 1;
            for layer in 0..=h.level(id) {
                let nbs = h.neighbors(id, layer);
                assert!(nbs.len() <= if layer == 0 { p.m_max0 } else { p.m_max });
                assert!(
                    nbs.iter().all(|nb| !h.is_removed(PointId(*nb))),
                    "seed {seed}: link to a removed node"
                );
            }
            let (r, _) = h.search(ds.points.get(id), 1, 32, &mut s);
            if r.first().map(|x| x.0) == Some(id) {
                found += 1;
            }
            assert!(r.iter().all(|x| !h.is_removed(x.0)));
        }
        assert_eq!(live, h.live_count());
        let frac = found as f64 / live as f64;
        assert!(
            frac >= 0.99,
            "seed {seed}: only {frac:.4} of the remaining points find themselves"
        );
    }
}

mod traces {
    use super::*;
    use ann_explorer::trace::{Trace, TraceState};

    fn index(n: usize, seed: u64) -> (Hnsw, Points) {
        let ds = presets::generate(Preset::Uniform, n, seed).expect("data");
        let h = Hnsw::build(
            &ds.points,
            HnswParams {
                seed,
                ..HnswParams::new(4)
            },
        )
        .expect("build");
        (h, ds.points)
    }

    #[test]
    fn recorded_insertion_builds_the_same_graph_as_the_fast_path() {
        for seed in 0..4u64 {
            let (h, _) = index(400, seed);
            let v = [0.31f32, 0.62];
            let (trace, after, id) = Trace::record_hnsw_insert(&h, &v).expect("insert");
            let mut fast = h.clone();
            let fid = fast.insert(&v).expect("fast insert");
            assert_eq!(id, fid);
            assert_eq!(after.max_level(), fast.max_level());
            for i in 0..after.len() as u32 {
                for layer in 0..=after.level(PointId(i)) {
                    assert_eq!(
                        after.neighbors(PointId(i), layer),
                        fast.neighbors(PointId(i), layer),
                        "seed {seed}"
                    );
                }
            }
            // Replaying the links added and dropped onto the old graph gives the new one.
            let s = TraceState::at(&trace, trace.len());
            for layer in 0..=after.level(id).min(h.max_level()) as u8 {
                for i in 0..after.len() as u32 {
                    if after.level(PointId(i)) < layer as usize {
                        continue;
                    }
                    let mut want: Vec<u32> = after.neighbors(PointId(i), layer as usize).to_vec();
                    let mut got: Vec<u32> = if (i as usize) < h.len() {
                        h.neighbors(PointId(i), layer as usize).to_vec()
                    } else {
                        Vec::new()
                    };
                    for &(l, from, to) in &s.links_dropped {
                        if l == layer && from.0 == i {
                            got.retain(|x| *x != to.0);
                        }
                    }
                    for &(l, from, to, _) in &s.links_added {
                        if l == layer && from.0 == i && !got.contains(&to.0) {
                            got.push(to.0);
                        }
                    }
                    want.sort();
                    got.sort();
                    assert_eq!(got, want, "seed {seed}: node {i} layer {layer}");
                }
            }
        }
    }

    #[test]
    fn hnsw_traces_replay_the_same_forwards_and_backwards() {
        let (h, _) = index(500, 9);
        let (search, _) = Trace::record_hnsw_search(&h, &[0.4, 0.4], 5, 16).expect("search");
        let (insert, _, _) = Trace::record_hnsw_insert(&h, &[0.7, 0.2]).expect("insert");
        for t in [search, insert] {
            let mut s = TraceState::at(&t, t.len());
            for k in (0..t.len()).rev() {
                s.seek(&t, k);
                assert_eq!(s, TraceState::at(&t, k), "{:?} at {k}", t.algo);
            }
        }
    }

    #[test]
    fn search_trace_walks_every_layer_and_agrees_with_the_fast_path() {
        let (h, points) = index(3000, 2);
        assert!(
            h.max_level() >= 2,
            "a 3000-point index with M = 4 has several layers"
        );
        let q = [0.55f32, 0.45];
        let (t, got) = Trace::record_hnsw_search(&h, &q, 5, 32).expect("search");
        let mut s = Scratch::new(3000);
        let (fast, stats) = h.search(&q, 5, 32, &mut s);
        assert_eq!(got, fast);
        let st = TraceState::at(&t, t.len());
        assert_eq!(st.distance_computations, stats.distance_computations);
        assert_eq!(st.results, fast);
        let layers: Vec<u8> = st.walks.iter().filter_map(|w| w.layer).collect();
        let want: Vec<u8> = (0..=h.max_level() as u8).rev().collect();
        assert_eq!(layers, want, "one walk per layer, top to bottom");
        let mut d = Dist::new(Metric::Euclidean);
        let truth = brute::knn(&points, &mut d, &q, 5, &mut NoRecorder).expect("knn");
        assert_eq!(t.truth, truth);
    }

    #[test]
    fn recorded_delete_and_move_replay_to_the_graph_after() {
        for seed in 0..3u64 {
            let (h, _) = index(400, seed);
            let victim = h.entry_point().expect("entry");
            for move_to in [None, Some([0.2f32, 0.8])] {
                let (trace, after, new_id) =
                    Trace::record_hnsw_delete(&h, victim, move_to.as_ref().map(|p| &p[..]))
                        .expect("delete");
                assert!(after.is_removed(victim));
                assert_eq!(new_id.is_some(), move_to.is_some());
                assert_ne!(
                    after.entry_point(),
                    Some(victim),
                    "seed {seed}: entry promoted"
                );
                let s = TraceState::at(&trace, trace.len());
                assert!(!s.promoted.is_empty());
                for i in 0..after.len() as u32 {
                    let id = PointId(i);
                    if after.is_removed(id) {
                        continue;
                    }
                    for layer in 0..=after.level(id) as u8 {
                        let mut want: Vec<u32> = after.neighbors(id, layer as usize).to_vec();
                        let mut got: Vec<u32> = if (i as usize) < h.len() {
                            h.neighbors(id, layer as usize).to_vec()
                        } else {
                            Vec::new()
                        };
                        // Apply the recorded changes in order.
                        let mut events: Vec<(bool, u8, u32, u32)> = Vec::new();
                        let mut st = TraceState::new();
                        for k in 0..trace.len() {
                            let (a, d) = (st.links_added.len(), st.links_dropped.len());
                            st.seek(&trace, k + 1);
                            if st.links_added.len() > a {
                                let (l, f, t, _) = st.links_added[a];
                                events.push((true, l, f.0, t.0));
                            }
                            if st.links_dropped.len() > d {
                                let (l, f, t) = st.links_dropped[d];
                                events.push((false, l, f.0, t.0));
                            }
                        }
                        for (add, l, f, t) in events {
                            if l == layer && f == i {
                                if add {
                                    if !got.contains(&t) {
                                        got.push(t);
                                    }
                                } else {
                                    got.retain(|x| *x != t);
                                }
                            }
                        }
                        want.sort();
                        got.sort();
                        assert_eq!(
                            got, want,
                            "seed {seed} move {move_to:?}: node {i} layer {layer}"
                        );
                    }
                }
                let mut st = TraceState::at(&trace, trace.len());
                for k in (0..trace.len()).rev().step_by(5) {
                    st.seek(&trace, k);
                    assert_eq!(st, TraceState::at(&trace, k));
                }
            }
        }
    }
}
