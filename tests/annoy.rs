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

#[test]
fn with_two_means_steps_the_split_is_equidistant_from_the_recorded_centres() {
    let p = points(800, 2, 6);
    let mut log: Log<AnnoyEvent> = Log::default();
    let a = Annoy::build(&p, params(2, Some(6), 6), &mut log).expect("build");
    let mut checked = 0;
    for (i, e) in log.events.iter().enumerate() {
        // Build events come in node order: event i is node i.
        let AnnoyEvent::Split { node, centres, .. } = e else {
            assert!(matches!(e, AnnoyEvent::Leaf { node, .. } if *node as usize == i));
            continue;
        };
        assert_eq!(*node as usize, i, "events in node order");
        let Some([c0, c1]) = centres else { continue };
        let (m0, m1) = (a.margin(*node, c0), a.margin(*node, c1));
        let half = c0
            .iter()
            .zip(c1)
            .map(|(x, y)| (x - y) * (x - y))
            .sum::<f32>()
            .sqrt()
            / 2.0;
        assert!(
            (m0 + m1).abs() < 1e-4 && (m0.abs() - half).abs() < 1e-4 && m0 > 0.0,
            "node {node}: margins {m0} {m1}, half distance {half}"
        );
        checked += 1;
    }
    assert!(checked > 100, "{checked} splits");
}

#[test]
fn found_at_is_the_smallest_search_k_that_returns_a_point() {
    let p = points(3_000, 2, 8);
    let a = Annoy::build(&p, params(4, Some(10), 8), &mut NoRecorder).expect("build");
    let mut rng = ann_explorer::engine::rng::SplitMix64::new(8);
    let mut tight = 0;
    for qi in 0..40 {
        let q = [rng.unit_f32(), rng.unit_f32()];
        let mut truth = Vec::new();
        top_k_l2(&p, &q, 10, &mut truth);
        let ids: Vec<PointId> = truth.iter().map(|t| t.0).collect();
        let at = a.found_at(&q, &ids).expect("found_at");
        for (id, f) in ids.iter().zip(&at) {
            let f = f.unwrap_or_else(|| panic!("seed 8 query {qi}: point {id} never found"));
            let (got, _) = a.search(&q, 10, Some(f)).expect("search");
            assert!(
                got.iter().any(|g| g.0 == *id),
                "query {qi}: {id} at search_k {f}"
            );
            if f > 1 {
                let (got, _) = a.search(&q, 10, Some(f - 1)).expect("search");
                assert!(
                    !got.iter().any(|g| g.0 == *id),
                    "query {qi}: {id} before {f}"
                );
                tight += 1;
            }
        }
    }
    assert!(tight > 100);
    assert_eq!(
        a.found_at(&q_of(3), &[PointId(0)]).err().map(|_| ()),
        Some(())
    );
}

fn q_of(dim: usize) -> Vec<f32> {
    vec![0.5; dim]
}

mod scene {
    use ann_explorer::scenes::annoy::{AnnoyScene, ForestView};
    use ann_explorer::scenes::{Button, Click, SceneAction};
    use ann_explorer::session::Session;
    use ann_explorer::session::scene_file::SceneFile;
    use ann_explorer::trace::player::Command;

    fn example() -> Session {
        let text = include_str!("../assets/scenes/annoy-clusters.json");
        let file = SceneFile::parse(text).expect("parse");
        let mut s = file.build().expect("build");
        s.command(Command::Last);
        s
    }

    fn annoy(s: &Session) -> &AnnoyScene {
        s.get::<AnnoyScene>().expect("the annoy scene")
    }

    #[test]
    fn the_example_misses_a_neighbour_across_a_border_and_search_k_finds_it_again() {
        let mut s = example();
        let a = annoy(&s);
        let m = *a
            .missed
            .first()
            .expect("the example misses a true neighbour");
        let (border, q_margin) = m.border.expect("where it parts from the query");
        let index = a.index.as_ref().expect("index");
        // The border separates the query from the missed point, and the query is close to it.
        let p_margin = index.margin(border, s.points.get(m.id));
        assert!(
            (q_margin > 0.0) != (p_margin > 0.0),
            "{q_margin} {p_margin}"
        );
        assert!(s.narration().alert, "the end says so");
        assert!(s.narration().text.contains("missed"));
        let need = m.found_at.expect("some search_k finds it");
        assert!(need > a.search_k, "{need} > {}", a.search_k);
        // One less than enough: still missed; enough: found, recall 1.
        s.set_scene_setting("annoy", "search_k", &(need - 1).to_string())
            .expect("search_k");
        s.command(Command::Last);
        assert!(annoy(&s).missed.iter().any(|x| x.id == m.id));
        s.set_scene_setting("annoy", "search_k", &need.to_string())
            .expect("search_k");
        s.command(Command::Last);
        let a = annoy(&s);
        assert!(!a.missed.iter().any(|x| x.id == m.id), "found again");
        assert_eq!(a.search_k, need);
        let recall = s
            .counters()
            .into_iter()
            .find(|c| c.label == "recall@k")
            .expect("recall counter");
        if a.missed.is_empty() {
            assert!(recall.value.ends_with("= 1.00"), "{}", recall.value);
        }
        // The recall curve rises (on average over its queries) and ends at 1.
        let c = &a.curve;
        assert!(c.windows(2).all(|w| w[1].recall >= w[0].recall));
        assert_eq!(c.last().map(|p| p.recall), Some(1.0));
    }

    #[test]
    fn v_walks_the_trees_then_overlays_them_and_the_diagram_keeps_the_query() {
        let mut s = example();
        let trees = annoy(&s).settings.n_trees;
        for t in 1..trees {
            s.action(SceneAction::NextView);
            assert_eq!(annoy(&s).settings.tree, t);
            assert_eq!(annoy(&s).settings.view, ForestView::OneTree);
        }
        s.action(SceneAction::NextView);
        assert_eq!(annoy(&s).settings.view, ForestView::AllTrees);
        s.action(SceneAction::NextView);
        assert_eq!(
            (annoy(&s).settings.view, annoy(&s).settings.tree),
            (ForestView::OneTree, 0)
        );
        // A click on the tree diagram does not move the query; one on the plane does.
        let forest = annoy(&s).forest.clone().expect("forest");
        let (lo, hi) = forest.diagram_box(s.aspect());
        let q = s.query;
        let click = |at: [f32; 2]| Click {
            pos_in_world: at,
            button: Button::Primary,
            shift: false,
            command: false,
            alt: false,
            radius_in_world: 0.01,
        };
        s.click(&click([(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0]));
        assert_eq!(s.query, q);
        let inside = [
            (forest.lo[0] + forest.hi[0]) / 2.0,
            (forest.lo[1] + forest.hi[1]) / 2.0,
        ];
        s.click(&click(inside));
        assert_ne!(s.query, q);
        let (at, last) = s.position();
        assert_eq!(at, last, "moving the query keeps the search's end on show");
        // From the middle of the build, the build stays where it was.
        let start = annoy(&s).search_start;
        s.command(Command::SeekCursor(start / 2));
        s.click(&click([inside[0] * 0.9, inside[1]]));
        assert_eq!(s.position().0, start / 2);
    }

    #[test]
    fn the_lessons_second_slide_misses_the_true_fifth_close_to_a_border() {
        use ann_explorer::session::LookSettings;
        use ann_explorer::session::lesson;
        let l = lesson::find("10").expect("lesson 10");
        let mut s = l.slides[1]
            .state
            .open(LookSettings::default())
            .expect("slide 2");
        s.command(Command::Last);
        let a = annoy(&s);
        let m = a.missed.first().expect("a missed neighbour");
        assert_eq!((a.missed.len(), m.rank), (1, 4), "the true 5th, alone");
        let (_, margin) = m.border.expect("a border");
        assert!((margin.abs() - 0.030).abs() < 0.0005, "{margin}");
        let need = m.found_at.expect("found");
        assert!(need <= 40, "slide 3 shows search_k = 40; {need} needed");
    }
}

#[test]
fn the_replayed_queue_pops_what_the_engine_pops_ties_included() {
    use ann_explorer::scenes::annoy::AnnoyState;
    use ann_explorer::trace::Replay;
    let p = points(2_000, 2, 12);
    let a = Annoy::build(&p, params(5, Some(4), 12), &mut NoRecorder).expect("build");
    for q in [[0.3, 0.6], [0.5, 0.5], [0.9, 0.1]] {
        let mut log: Log<AnnoyEvent> = Log::default();
        a.search_with(&q, 10, Some(400), &mut log).expect("search");
        let mut st = AnnoyState::default();
        let mut ties = 0;
        for e in &log.events {
            if let AnnoyEvent::Pop { node, .. } = e {
                let mut head = st.queue();
                let first = head.next();
                ties += usize::from(head.next().is_some_and(|s| Some(s.1) == first.map(|f| f.1)));
                assert_eq!(first.map(|f| f.0), Some(*node), "seed 12 query {q:?}");
            }
            st.apply(e);
        }
        assert!(ties > 0 || q != [0.3, 0.6], "the test meets ties");
    }
}
