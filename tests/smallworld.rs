//! Small worlds: Kleinberg's lattice (degrees, the law of the long links, greedy routing, the
//! best r as the lattice grows) and Watts–Strogatz (closed forms, edge count, the classic
//! figure), and bad input.

use std::sync::atomic::{AtomicBool, AtomicU64};

use ann_explorer::engine::Log;
use ann_explorer::engine::rng::SplitMix64;
use ann_explorer::engine::smallworld::kleinberg::{
    Kleinberg, KleinbergParams, Lattice, RouteEvent,
};
use ann_explorer::engine::smallworld::watts_strogatz::{self as ws, WsGraph, WsParams};
use ann_explorer::engine::smallworld::{self, best_r, mean_hops};

fn lattice(side: u64, lattice: Lattice, p: u32, r: f64, seed: u64) -> Kleinberg {
    Kleinberg::new(KleinbergParams {
        side,
        lattice,
        p,
        q: 1,
        r,
        seed,
    })
    .expect("lattice")
}

#[test]
fn lattice_degrees_and_distance_counts() {
    for (side, lat, p, degree) in [
        (11, Lattice::Torus, 1, 4),
        (12, Lattice::Torus, 2, 12),
        (10, Lattice::Ring, 1, 2),
        (10, Lattice::Ring, 3, 6),
    ] {
        let k = lattice(side, lat, p, 2.0, 1);
        for u in 0..k.nodes() {
            let links = k.lattice_links(u);
            assert_eq!(links.len(), degree, "{lat:?} side {side} p {p} node {u}");
            assert!(
                links
                    .iter()
                    .all(|&v| v != u && k.distance(u, v) <= u64::from(p))
            );
        }
        // Every other node is at some distance: the counts add up to n − 1.
        let total: u64 = (1..=k.max_distance()).map(|d| k.count_at(d)).sum();
        assert_eq!(total, k.nodes() - 1, "{lat:?} side {side}");
        // And they are the real counts, from node 0.
        for d in 1..=k.max_distance() {
            let real = (0..k.nodes()).filter(|&v| k.distance(0, v) == d).count() as u64;
            assert_eq!(k.count_at(d), real, "{lat:?} side {side} d {d}");
        }
    }
    let g = lattice(5, Lattice::Grid, 1, 2.0, 1);
    assert_eq!(g.lattice_links(0).len(), 2, "a corner");
    assert_eq!(g.lattice_links(g.node(2, 2)).len(), 4);
    assert_eq!(g.lattice_links(g.node(2, 0)).len(), 3, "an edge");
}

/// Kolmogorov–Smirnov distance between the long links' lengths and the law ∝ count(d)·d^−r.
fn ks(k: &Kleinberg, draws: usize) -> f64 {
    let r = k.params().r;
    let dmax = k.max_distance() as usize;
    let mut hist = vec![0usize; dmax + 1];
    // Distinct nodes, spread over the lattice: a node's links are the same at every visit.
    assert!(k.nodes() >= draws as u64);
    let stride = k.nodes() / draws as u64;
    let mut n = 0usize;
    for i in 0..draws as u64 {
        let u = i * stride;
        for v in k.long_links(u) {
            hist[k.distance(u, v) as usize] += 1;
            n += 1;
        }
    }
    let w: Vec<f64> = (0..=dmax)
        .map(|d| {
            if d == 0 {
                0.0
            } else {
                k.count_at(d as u64) as f64 * (d as f64).powf(-r)
            }
        })
        .collect();
    let total: f64 = w.iter().sum();
    let (mut fe, mut fo, mut worst) = (0.0, 0.0, 0.0f64);
    for d in 0..=dmax {
        fe += w[d] / total;
        fo += hist[d] as f64 / n as f64;
        worst = worst.max((fe - fo).abs());
    }
    worst
}

#[test]
fn long_links_follow_the_inverse_power_law() {
    // 1.63/√N is the KS test's 1 % critical value; the seed is fixed.
    let draws = 40_000;
    let critical = 1.63 / (draws as f64).sqrt();
    for (side, lat, r) in [
        (301, Lattice::Torus, 2.0),
        (300, Lattice::Torus, 1.0),
        (100_000, Lattice::Torus, 2.0),
        (1_000_001, Lattice::Ring, 1.0),
    ] {
        let k = lattice(side, lat, 1, r, 7);
        let d = ks(&k, draws);
        assert!(
            d < critical,
            "seed 7: {lat:?} side {side} r {r}: KS {d:.4} ≥ {critical:.4}"
        );
    }
    // The test tells laws apart: links drawn at r = 2 are far from r = 1's law.
    let k2 = lattice(301, Lattice::Torus, 1, 2.0, 7);
    let k1 = lattice(301, Lattice::Torus, 1, 1.0, 7);
    let mut rng = SplitMix64::new(3);
    let lens: Vec<u64> = (0..5000)
        .flat_map(|_| {
            let u = k2.random_node(&mut rng);
            k2.long_links(u).into_iter().map(move |v| (u, v))
        })
        .map(|(u, v)| k2.distance(u, v))
        .collect();
    let mean = lens.iter().sum::<u64>() as f64 / lens.len() as f64;
    let mean_law1: f64 = {
        let w: Vec<f64> = (1..=k1.max_distance())
            .map(|d| k1.count_at(d) as f64 / d as f64)
            .collect();
        let t: f64 = w.iter().sum();
        w.iter()
            .enumerate()
            .map(|(i, x)| (i + 1) as f64 * x / t)
            .sum()
    };
    assert!(mean < mean_law1 / 2.0, "{mean} against {mean_law1}");
}

#[test]
fn greedy_routing_always_arrives_and_never_moves_away() {
    for (side, lat, r) in [
        (50, Lattice::Torus, 0.0),
        (50, Lattice::Grid, 2.0),
        (51, Lattice::Torus, 4.0),
        (1000, Lattice::Ring, 1.0),
        (100_000, Lattice::Torus, 2.0),
    ] {
        let k = lattice(side, lat, 1, r, 11);
        let mut rng = SplitMix64::new(11);
        for _ in 0..50 {
            let (s, t) = (k.random_node(&mut rng), k.random_node(&mut rng));
            let mut log: Log<RouteEvent> = Log::default();
            let route = k.route(s, t, &mut log);
            assert!(
                route.hops <= route.distance,
                "{lat:?}: at most one hop per step"
            );
            let mut at = s;
            for e in &log.events {
                let RouteEvent::Hop {
                    from,
                    to,
                    before,
                    after,
                    long,
                } = *e;
                assert_eq!(from, at);
                assert!(after < before, "{lat:?} side {side}: moved away");
                assert_eq!(after, k.distance(to, t));
                assert!(long || k.lattice_links(from).contains(&to));
                at = to;
            }
            assert_eq!(at, t, "seed 11: {lat:?} side {side} r {r}: arrived");
        }
    }
}

#[test]
fn the_best_r_rises_with_the_side_towards_two() {
    let rs = [1.0, 1.5, 1.75, 2.0, 2.25, 2.5];
    let mut rows = Vec::new();
    for side in [1_000u64, 100_000] {
        for &r in &rs {
            let p = KleinbergParams {
                side,
                r,
                seed: 5,
                ..KleinbergParams::default()
            };
            let h = mean_hops(p, 1_500, &AtomicU64::new(0), &AtomicBool::new(false))
                .expect("params")
                .expect("not cancelled");
            rows.push(h);
        }
    }
    let small = best_r(&rows, 1_000).expect("rows");
    let large = best_r(&rows, 100_000).expect("rows");
    assert!(
        large > small && (1.75..=2.0).contains(&large),
        "seed 5: best r {small} at side 1,000, {large} at side 100,000: {rows:?}"
    );
    // Away from the best, r loses: at side 100,000 both r = 1 and r = 2.5 take longer.
    let at = |r: f64| {
        rows.iter()
            .find(|h| h.side == 100_000 && h.r == r)
            .map_or(f64::NAN, |h| h.mean_hops)
    };
    assert!(
        at(1.0) > 1.5 * at(large) && at(2.5) > 1.5 * at(large),
        "{rows:?}"
    );
}

#[test]
fn watts_strogatz_matches_the_closed_forms_and_the_classic_figure() {
    let ring = WsGraph::build(WsParams {
        n: 1000,
        k: 10,
        p: 0.0,
        seed: 1,
    })
    .expect("ring");
    assert!((ring.clustering() - ws::clustering_0(10)).abs() < 1e-12);
    let l0 = ring.mean_path_length();
    assert!(
        (l0 / ws::path_length_0(1000, 10) - 1.0).abs() < 0.02,
        "{l0}"
    );
    for p in [0.0, 0.01, 0.3, 1.0] {
        let g = WsGraph::build(WsParams {
            n: 1000,
            k: 10,
            p,
            seed: 2,
        })
        .expect("graph");
        assert_eq!(
            g.edges(),
            1000 * 10 / 2,
            "p = {p}: rewiring keeps the edges"
        );
        assert!(
            g.adj
                .iter()
                .enumerate()
                .all(|(i, a)| !a.contains(&(i as u32)))
        );
        assert!(
            g.adj.iter().all(|a| a.windows(2).all(|w| w[0] < w[1])),
            "no repeats"
        );
        if p == 0.0 {
            assert!(g.rewired.is_empty());
        }
    }
    let rows = ws::sweep(1000, 10, &[0.001, 0.01, 0.1], 4, 3).expect("sweep");
    let (a, b, c) = (rows[0], rows[1], rows[2]);
    assert!(
        b.l_ratio < 0.5 && b.c_ratio > 0.85,
        "the small-world window at p = 0.01: {b:?}"
    );
    assert!(a.l_ratio > b.l_ratio && b.l_ratio > c.l_ratio);
    assert!(c.c_ratio < b.c_ratio);
    // A shortest path is a path, and as long as the breadth-first distance.
    let g = WsGraph::build(WsParams {
        n: 200,
        k: 4,
        p: 0.05,
        seed: 9,
    })
    .expect("graph");
    let path = g.shortest_path(3, 150).expect("connected");
    assert_eq!(path.len() as u32 - 1, g.hops_from(3)[150]);
    assert!(
        path.windows(2)
            .all(|w| g.adj[w[0] as usize].contains(&w[1]))
    );
}

#[test]
fn bad_input_gets_a_clear_message() {
    let k = |side, r, p| {
        Kleinberg::new(KleinbergParams {
            side,
            r,
            p,
            ..KleinbergParams::default()
        })
        .err()
        .map(|e| e.to_string())
    };
    assert!(k(0, 2.0, 1).is_some_and(|e| e.contains("side")));
    assert!(k(100, f64::NAN, 1).is_some_and(|e| e.contains("r must")));
    assert!(k(100, 2.0, 0).is_some_and(|e| e.contains("p must")));
    assert!(k(2_000_000, 2.0, 1).is_some_and(|e| e.contains("side")));
    let w = |n, k, p| {
        WsGraph::build(WsParams { n, k, p, seed: 1 })
            .err()
            .map(|e| e.to_string())
    };
    assert!(w(100, 5, 0.1).is_some_and(|e| e.contains("even")));
    assert!(w(10, 10, 0.1).is_some_and(|e| e.contains("below N")));
    assert!(w(100, 4, 1.5).is_some_and(|e| e.contains("[0, 1]")));
    assert!(w(100, 4, -0.1).is_some_and(|e| e.contains("[0, 1]")));
    let none = mean_hops(
        KleinbergParams::default(),
        0,
        &AtomicU64::new(0),
        &AtomicBool::new(false),
    );
    assert!(none.is_err());
    let _ = smallworld::best_r(&[], 1);
}

mod scenes {
    use ann_explorer::engine::smallworld::watts_strogatz::{WsGraph, WsParams};
    use ann_explorer::render::{Palette, Style, Theme};
    use ann_explorer::scenes::kleinberg::{KView, KleinbergScene};
    use ann_explorer::scenes::watts_strogatz::{WattsStrogatz, WsView};
    use ann_explorer::scenes::{Button, Click, SceneAction};
    use ann_explorer::session::{DataSettings, Session};
    use ann_explorer::trace::player::Command;

    fn open(id: &str) -> Session {
        Session::with_data(id, DataSettings::default())
    }

    fn wait(s: &mut Session, done: impl Fn(&Session) -> bool) {
        let start = std::time::Instant::now();
        while !done(s) {
            assert!(start.elapsed().as_secs() < 120, "the sweep ends");
            s.tick(0.05);
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }

    fn click(at: [f32; 2], shift: bool) -> Click {
        Click {
            pos_in_world: at,
            button: Button::Primary,
            shift,
            command: false,
            alt: false,
            radius_in_world: 0.01,
        }
    }

    #[test]
    fn kleinberg_routes_to_the_clicked_target_and_sweeps_r_in_the_background() {
        let mut s = open("kleinberg");
        s.command(Command::Last);
        assert!(s.narration().title.starts_with("Arrived in"));
        let left = s
            .counters()
            .into_iter()
            .find(|c| c.label == "lattice distance left")
            .expect("counter");
        assert_eq!(left.value, "0");
        // A click on node (5, 7) makes it the target; shift-click (20, 2) the source.
        let side = 24.0;
        let at = |x: f32, y: f32| [(x + 0.5) / side, (y + 0.5) / side];
        s.click(&click(at(5.0, 7.0), false));
        s.click(&click(at(20.0, 2.0), true));
        let k = s.get::<KleinbergScene>().expect("scene");
        assert_eq!((k.settings.target, k.settings.source), ([5, 7], [20, 2]));
        s.command(Command::Last);
        let k = s.get::<KleinbergScene>().expect("scene");
        assert_eq!(
            k.current(),
            k.target,
            "the route ends at the clicked target"
        );
        // The sweep: 2 sides × 3 r, on a thread; the plot replaces the route.
        s.set_scene_setting(
            "kleinberg",
            "sweep",
            r#"{"sides": [100, 1000], "rs": [1.0, 2.0, 3.0], "pairs": 60}"#,
        )
        .expect("sweep");
        s.action(SceneAction::Run);
        assert!(s.get::<KleinbergScene>().expect("scene").job.is_some());
        wait(&mut s, |s| {
            s.get::<KleinbergScene>().is_some_and(|k| k.job.is_none())
        });
        let k = s.get::<KleinbergScene>().expect("scene");
        assert_eq!(k.settings.results.len(), 6);
        assert_eq!(k.settings.view, KView::HopsAgainstR);
        let f = s.frame(Palette::for_theme(Theme::Dark), Style::default());
        assert!(
            f.legend.iter().any(|l| l.label == "side 1,000"),
            "{:?}",
            f.legend
        );
        // Milgram: the letters that arrive took fewer hops than the chains needed.
        s.set_scene_setting("kleinberg", "view", "\"Letters\"")
            .expect("view");
        s.action(SceneAction::Run);
        let l = s
            .get::<KleinbergScene>()
            .and_then(|k| k.settings.letters.clone())
            .expect("letters sent");
        assert!(l.arrived < l.sent && l.arrived > 0);
        let mean = |v: &[u64]| v.iter().sum::<u64>() as f64 / v.len() as f64;
        assert!(
            mean(&l.arrived_lengths) < mean(&l.lengths),
            "survivors are shorter: {} against {}",
            mean(&l.arrived_lengths),
            mean(&l.lengths)
        );
        assert!(s.narration().text.contains("arrived"));
    }

    #[test]
    fn watts_strogatz_replays_the_rewiring_and_draws_the_figure() {
        let mut s = open("watts-strogatz");
        s.command(Command::Last);
        let w = s.get::<WattsStrogatz>().expect("scene");
        let built = WsGraph::build(WsParams {
            n: w.settings.n,
            k: w.settings.k,
            p: w.settings.p,
            seed: w.settings.seed,
        })
        .expect("graph");
        assert_eq!(
            w.state().adj,
            built.adj,
            "the replay ends on the engine's graph"
        );
        assert_eq!(w.state().rewired, built.rewired);
        assert!(
            (w.c0 - 0.5).abs() < 1e-12,
            "C(0) = 3(K−2)/(4(K−1)) for K = 4"
        );
        // Back to the start: the ring again.
        s.command(Command::First);
        let w = s.get::<WattsStrogatz>().expect("scene");
        assert_eq!(w.state().adj, WsGraph::ring(w.settings.n, w.settings.k));
        // Two clicks on the ring choose the path's ends.
        let n = w.settings.n as f32;
        let on_ring = |u: f32| {
            let a = std::f32::consts::FRAC_PI_2 - std::f32::consts::TAU * u / n;
            [0.5 + 0.45 * a.cos(), 0.5 + 0.45 * a.sin()]
        };
        s.click(&click(on_ring(3.0), true));
        s.click(&click(on_ring(30.0), false));
        let w = s.get::<WattsStrogatz>().expect("scene");
        assert_eq!(w.settings.path, Some([3, 30]));
        let path = w.path().expect("a path on the ring");
        assert_eq!(path.first(), Some(&3));
        assert_eq!(path.last(), Some(&30));
        // The figure, from a small sweep on a thread.
        s.set_scene_setting(
            "watts-strogatz",
            "sweep",
            r#"{"n": 200, "k": 6, "decades": 3, "per_decade": 1, "runs": 2}"#,
        )
        .expect("sweep");
        s.action(SceneAction::Run);
        wait(&mut s, |s| {
            s.get::<WattsStrogatz>().is_some_and(|w| w.job.is_none())
        });
        let w = s.get::<WattsStrogatz>().expect("scene");
        assert_eq!(w.settings.results.len(), 4);
        assert_eq!(w.settings.view, WsView::Figure);
        let l: Vec<f64> = w.settings.results.iter().map(|r| r.l_ratio).collect();
        assert!(
            l.windows(2).all(|x| x[1] <= x[0] + 0.02),
            "L falls with p: {l:?}"
        );
    }
}

#[test]
fn nsw_links_have_a_power_law_tail_and_walks_zoom_out_then_in() {
    let l = smallworld::nsw_link_scales(2_000, 6, 1).expect("scales");
    let sum = |v: &[f64]| v.iter().sum::<f64>();
    assert!((sum(&l.nsw) - 1.0).abs() < 1e-9 && (sum(&l.law2) - 1.0).abs() < 1e-9);
    // Uniform links grow with length up to the square's size; the d^−2 law is nearly flat
    // across the middle scales (boundaries bend its ends).
    let mid = &l.law2[2..l.law2.len() - 3];
    let (lo, hi) = mid
        .iter()
        .fold((f64::MAX, 0.0f64), |(a, b), &x| (a.min(x), b.max(x)));
    assert!(
        hi / lo < 2.5,
        "d^−2: an even share per doubling: {:?}",
        l.law2
    );
    assert!(l.law0.windows(2).take(6).all(|w| w[1] > w[0]));
    // NSW: peaked at the nearest-neighbour scale, with a tail beyond.
    let peak = l
        .nsw
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .map(|p| p.0)
        .expect("bins");
    assert!(l.nsw[peak + 3] > 0.0 && l.nsw[peak + 3] < l.nsw[peak] / 10.0);
    // Walks: longer links in the middle than at either end.
    let len = |i: usize| l.walk[i].1;
    let middle = (3..7).map(len).fold(0.0f64, f64::max);
    assert!(
        middle > 1.3 * len(0) && middle > 1.3 * len(l.walk.len() - 1),
        "{:?}",
        l.walk
    );
    assert!(smallworld::nsw_link_scales(5, 6, 1).is_err());
}
