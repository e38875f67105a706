//! Annoy's forest: leaves, splits, the priority-queue search, and bad parameters.

use ann_explorer::engine::annoy::{Annoy, AnnoyEvent, AnnoyMetric, AnnoyParams, Node};
use ann_explorer::engine::brute::top_k_l2;
use ann_explorer::engine::scaling::{DataKind, data};
use ann_explorer::engine::{Log, NoRecorder, PointId, Points};

fn points(n: usize, dim: usize, seed: u64) -> Points {
    Points::new(dim, data::draw(DataKind::Clusters, dim, n, seed, 0)).expect("points")
}

fn params(n_trees: usize, k_leaf: Option<usize>, seed: u64) -> AnnoyParams {
    AnnoyParams {
        n_trees,
        k_leaf,
        seed,
        ..AnnoyParams::default()
    }
}

/// Every leaf's points, tree by tree, walking from the roots.
fn leaves_of(a: &Annoy, root: u32) -> Vec<Vec<PointId>> {
    let mut out = Vec::new();
    let mut stack = vec![root];
    while let Some(n) = stack.pop() {
        match &a.nodes()[n as usize] {
            Node::Leaf { items, .. } => out.push(items.clone()),
            Node::Split { left, right, .. } => {
                stack.push(*left);
                stack.push(*right);
            }
        }
    }
    out
}

#[test]
fn every_point_is_in_exactly_one_leaf_of_each_tree_and_leaves_hold_at_most_k() {
    for (seed, k_leaf) in [(1, None), (2, Some(1)), (3, Some(10))] {
        let p = points(2_000, 2, seed);
        let a = Annoy::build(&p, params(5, k_leaf, seed), &mut NoRecorder).expect("build");
        assert_eq!(a.roots().len(), 5);
        let k = k_leaf.unwrap_or(4);
        assert_eq!(a.k_leaf(), k);
        for &root in a.roots() {
            let leaves = leaves_of(&a, root);
            let mut seen = vec![0u32; p.len()];
            for leaf in &leaves {
                assert!(
                    !leaf.is_empty() && leaf.len() <= k,
                    "seed {seed}: a leaf of {}",
                    leaf.len()
                );
                for id in leaf {
                    seen[id.idx()] += 1;
                }
            }
            assert!(
                seen.iter().all(|&c| c == 1),
                "seed {seed}: a point in 0 or 2 leaves"
            );
        }
    }
}

#[test]
fn each_split_is_equidistant_from_its_two_centroids_side_by_side() {
    // A split's hyperplane puts each point on the side of its margin's sign: check it on
    // every point below every split, and that the normal has unit length.
    let p = points(1_000, 3, 4);
    let a = Annoy::build(&p, params(3, None, 4), &mut NoRecorder).expect("build");
    for (i, n) in a.nodes().iter().enumerate() {
        let Node::Split {
            normal,
            left,
            right,
            ..
        } = n
        else {
            continue;
        };
        let len: f32 = normal.iter().map(|x| x * x).sum::<f32>().sqrt();
        if len == 0.0 {
            continue; // a random split (duplicates)
        }
        assert!((len - 1.0).abs() < 1e-4);
        for leaf in leaves_of(&a, *right) {
            for id in leaf {
                assert!(
                    a.margin(i as u32, p.get(id)) >= 0.0,
                    "right side, negative margin"
                );
            }
        }
        for leaf in leaves_of(&a, *left) {
            for id in leaf {
                assert!(
                    a.margin(i as u32, p.get(id)) <= 0.0,
                    "left side, positive margin"
                );
            }
        }
    }
    // Without 2-means steps the plane lies exactly half-way between the two sampled
    // points: their margins are ± half their distance.
    let a = Annoy::build(
        &p,
        AnnoyParams {
            two_means_steps: 0,
            ..params(2, None, 4)
        },
        &mut NoRecorder,
    )
    .expect("build");
    let mut splits = 0;
    for (i, n) in a.nodes().iter().enumerate() {
        if let Node::Split {
            sampled: Some((x, y)),
            ..
        } = n
        {
            let (mx, my) = (a.margin(i as u32, p.get(*x)), a.margin(i as u32, p.get(*y)));
            let half = a.distance(p.get(*x), *y) / 2.0;
            assert!(
                (mx + my).abs() < 1e-4 && (mx.abs() - half).abs() < 1e-4,
                "{mx} {my} {half}"
            );
            splits += 1;
        }
    }
    assert!(splits > 100);
}

#[test]
fn search_with_search_k_at_least_n_is_exact() {
    let p = points(3_000, 8, 5);
    let a = Annoy::build(&p, params(4, None, 5), &mut NoRecorder).expect("build");
    let mut truth = Vec::new();
    for q in data::draw(DataKind::Clusters, 8, 30, 5, 1).chunks(8) {
        let (found, stats) = a.search(q, 10, Some(4 * p.len())).expect("search");
        top_k_l2(&p, q, 10, &mut truth);
        let ids = |v: &[(PointId, f32)]| v.iter().map(|r| r.0).collect::<Vec<_>>();
        assert_eq!(ids(&found), ids(&truth));
        assert_eq!(stats.distance_computations, p.len() as u64);
    }
}

#[test]
fn recall_does_not_fall_as_search_k_grows() {
    let p = points(20_000, 16, 6);
    let a = Annoy::build(&p, params(10, None, 6), &mut NoRecorder).expect("build");
    let queries = data::draw(DataKind::Clusters, 16, 200, 6, 1);
    let mut truth = Vec::new();
    let mut last = 0.0;
    let mut last_cost = 0;
    for search_k in [10, 100, 1_000, 10_000] {
        let mut hits = 0;
        let mut cost = 0;
        for q in queries.chunks(16) {
            top_k_l2(&p, q, 10, &mut truth);
            let (found, s) = a.search(q, 10, Some(search_k)).expect("search");
            hits += found
                .iter()
                .filter(|f| truth.iter().any(|t| t.0 == f.0))
                .count();
            cost += s.distance_computations;
        }
        let recall = hits as f64 / 2000.0;
        assert!(
            recall + 0.01 >= last,
            "search_k {search_k}: {recall} < {last}"
        );
        assert!(cost >= last_cost);
        (last, last_cost) = (recall, cost);
    }
    assert!(last > 0.9, "recall at search_k 10,000: {last}");
}

#[test]
fn the_search_pops_in_priority_order_and_reports_its_work() {
    let p = points(5_000, 2, 7);
    let a = Annoy::build(&p, params(3, None, 7), &mut NoRecorder).expect("build");
    let mut log = Log::default();
    let (found, stats) = a
        .search_with(&[0.5, 0.5], 5, Some(200), &mut log)
        .expect("search");
    assert_eq!(found.len(), 5);
    let pops: Vec<f32> = log
        .events
        .iter()
        .filter_map(|e| match e {
            AnnoyEvent::Pop { priority, .. } => Some(*priority),
            _ => None,
        })
        .collect();
    assert_eq!(pops.len() as u64, stats.nodes_visited);
    assert!(
        pops.windows(2).all(|w| w[1] <= w[0]),
        "a larger priority popped later"
    );
    assert!(stats.candidates >= 200 && stats.distance_computations <= stats.candidates);
}

#[test]
fn angular_distance_is_that_of_the_unit_vectors() {
    let p = points(500, 4, 8);
    let a = Annoy::build(
        &p,
        AnnoyParams {
            metric: AnnoyMetric::Angular,
            ..params(2, None, 8)
        },
        &mut NoRecorder,
    )
    .expect("build");
    let q = [0.3, -0.2, 0.9, 0.1];
    let (found, _) = a.search(&q, 3, Some(10_000)).expect("search");
    for (id, d) in found {
        let v = p.get(id);
        let cos = v.iter().zip(&q).map(|(x, y)| x * y).sum::<f32>()
            / (v.iter().map(|x| x * x).sum::<f32>().sqrt()
                * q.iter().map(|x| x * x).sum::<f32>().sqrt());
        assert!((d - (2.0 - 2.0 * cos).max(0.0).sqrt()).abs() < 1e-4);
    }
}

#[test]
fn bad_parameters_and_duplicates_get_a_message_not_a_hang() {
    let p = points(100, 2, 9);
    let refused = |params: AnnoyParams, pts: &Points| {
        Annoy::build(pts, params, &mut NoRecorder)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert!(refused(params(0, None, 1), &p).contains("n_trees"));
    assert!(refused(params(1, Some(0), 1), &p).contains("K"));
    let one = Points::new(2, vec![0.1, 0.2]).expect("one point");
    assert!(refused(params(1, None, 1), &one).contains("at least 2"));
    let none = Points::new(2, vec![]).expect("no points");
    assert!(refused(params(1, None, 1), &none).contains("at least 2"));
    let a = Annoy::build(&p, params(2, None, 1), &mut NoRecorder).expect("build");
    assert!(a.search(&[0.0, 0.0], 3, Some(0)).is_err());
    assert!(a.search(&[0.0], 3, None).is_err());
    // 5,000 identical points: 2-means finds no plane, random sides take over and end.
    let same = Points::new(2, [0.25f32, 0.75].repeat(5_000)).expect("duplicates");
    let a = Annoy::build(&same, params(3, Some(2), 1), &mut NoRecorder).expect("terminates");
    for &root in a.roots() {
        assert_eq!(
            leaves_of(&a, root).iter().map(Vec::len).sum::<usize>(),
            5_000
        );
    }
    let (found, _) = a.search(&[0.25, 0.75], 4, None).expect("search");
    assert_eq!(found.len(), 4);
    assert!(found.iter().all(|r| r.1 == 0.0));
}
