//! Traces replay to the same state forwards and backwards; the player obeys its commands.

use ann_explorer::engine::presets::{self, Preset};
use ann_explorer::engine::*;
use ann_explorer::trace::player::{Command, Player};
use ann_explorer::trace::{MarkerKind, Trace, TraceState};

fn traces(seed: u64) -> Vec<Trace> {
    let ds = presets::generate(Preset::Trap, 60, seed).expect("trap");
    let mut out = Vec::new();
    for rule in [InsertRule::Exact, InsertRule::Malkov2014 { w: 3 }] {
        let params = NswParams {
            m: 3,
            rule,
            metric: Metric::Euclidean,
            seed,
        };
        let (t, g, _) = Trace::record_construction(&ds.points, params).expect("construction");
        out.push(t);
        for mode in [
            SearchMode::Greedy,
            SearchMode::MultiStart { restarts: 4 },
            SearchMode::Beam { ef: 6 },
        ] {
            let (t, _) = Trace::record_search(
                &g,
                &ds.points,
                Metric::Euclidean,
                &ds.query,
                PointId(59),
                mode,
                3,
                seed,
            )
            .expect("search");
            out.push(t);
        }
    }
    out
}

#[test]
fn state_at_k_is_the_same_forwards_and_backwards() {
    for seed in 0..3u64 {
        for t in traces(seed) {
            let n = t.len();
            let mut walker = TraceState::new();
            walker.seek(&t, n);
            assert_eq!(walker, TraceState::at(&t, n), "seed {seed}");
            // Walk back one event at a time, comparing with a fresh forward replay.
            for k in (0..n).rev().step_by(7) {
                walker.seek(&t, k);
                assert_eq!(
                    walker,
                    TraceState::at(&t, k),
                    "seed {seed} {:?} at {k}",
                    t.algo
                );
            }
            walker.seek(&t, 0);
            assert_eq!(
                walker,
                TraceState::new(),
                "seed {seed}: back to the start is empty"
            );
            // Random jumps.
            let mut k = 0usize;
            for i in 0..50usize {
                k = (k * 31 + i * 17 + 5) % (n + 1);
                walker.seek(&t, k);
                assert_eq!(walker, TraceState::at(&t, k), "seed {seed} jump to {k}");
            }
        }
    }
}

#[test]
fn replayed_counters_match_the_engine() {
    let seed = 11;
    let ds = presets::generate(Preset::Uniform, 300, seed).expect("ds");
    for rule in [InsertRule::Exact, InsertRule::Malkov2014 { w: 2 }] {
        let params = NswParams {
            m: 4,
            rule,
            metric: Metric::Euclidean,
            seed,
        };
        let (t, g, count) = Trace::record_construction(&ds.points, params).expect("construction");
        let s = TraceState::at(&t, t.len());
        assert_eq!(s.distance_computations, count, "{rule:?}");
        assert_eq!(s.edges.len(), g.edge_count());
        // The fast path builds the same graph as the recorded one.
        let (fast, fast_count) = Nsw::build(&ds.points, params, &mut NoRecorder).expect("fast");
        assert_eq!(fast_count, count);
        for id in ds.points.ids() {
            assert_eq!(fast.neighbors(id), g.neighbors(id));
        }
        for mode in [
            SearchMode::Greedy,
            SearchMode::MultiStart { restarts: 5 },
            SearchMode::Beam { ef: 8 },
        ] {
            let (t, o) = Trace::record_search(
                &g,
                &ds.points,
                Metric::Euclidean,
                &ds.query,
                PointId(3),
                mode,
                5,
                seed,
            )
            .expect("search");
            let s = TraceState::at(&t, t.len());
            assert_eq!(
                s.distance_computations, o.stats.distance_computations,
                "{mode:?}"
            );
            assert_eq!(s.hops, o.stats.hops, "{mode:?}");
            assert_eq!(s.results, o.results, "{mode:?}");
        }
    }
}

#[test]
fn coarse_trace_of_a_big_exact_build_scans_instead_of_listing() {
    let ds = presets::generate(Preset::Uniform, 2000, 1).expect("ds");
    let (t, _, count) =
        Trace::record_construction(&ds.points, NswParams::default()).expect("build");
    assert!(!t.fine_recorded);
    assert!(
        t.events
            .iter()
            .all(|e| !matches!(e, Event::Evaluate { .. }))
    );
    assert_eq!(TraceState::at(&t, t.len()).distance_computations, count);
    assert_eq!(count, 2000 * 1999 / 2);
}

#[test]
fn seed_lesson_local_minimum_is_marked() {
    let ds = presets::generate(Preset::SeedLesson, 0, 0).expect("lesson");
    let params = NswParams {
        m: 2,
        ..NswParams::default()
    };
    let (_, g, _) = Trace::record_construction(&ds.points, params).expect("build");
    let (t, _) = Trace::record_search(
        &g,
        &ds.points,
        Metric::Euclidean,
        &ds.query,
        PointId(0),
        SearchMode::Greedy,
        1,
        0,
    )
    .expect("search");
    assert!(t.markers().iter().any(|m| m.1 == MarkerKind::LocalMinimum));
    let (t, _) = Trace::record_search(
        &g,
        &ds.points,
        Metric::Euclidean,
        &ds.query,
        PointId(7),
        SearchMode::Greedy,
        1,
        0,
    )
    .expect("search");
    assert!(t.markers().iter().any(|m| m.1 == MarkerKind::Found));
    assert!(!t.markers().iter().any(|m| m.1 == MarkerKind::LocalMinimum));
}

#[test]
fn player_commands_with_a_fixed_dt() {
    let t = traces(0).remove(1); // greedy search
    let mut p = Player::default();
    let coarse_total = t.coarse.len();
    assert_eq!(p.position(&t), (0, coarse_total));
    assert!(p.apply(Command::StepForward, &t));
    assert_eq!(p.position(&t).0, 1);
    assert!(p.apply(Command::StepBack, &t));
    assert_eq!(p.cursor, 0);
    assert!(!p.apply(Command::StepBack, &t), "nothing before the start");

    // Playing at 4 steps/s for 0.5 s with dt = 1/60 takes 2 steps (within float error).
    p.apply(Command::SetSpeed(4.0), &t);
    p.apply(Command::Play, &t);
    for _ in 0..30 {
        p.tick(1.0 / 60.0, &t);
    }
    let steps = p.position(&t).0;
    assert!((1..=2).contains(&steps), "took {steps} steps");
    p.apply(Command::Pause, &t);
    let c = p.cursor;
    p.tick(10.0, &t);
    assert_eq!(p.cursor, c, "paused player does not move");

    // Playing to the end stops there; Play at the end restarts.
    p.apply(Command::Play, &t);
    for _ in 0..10_000 {
        p.tick(0.1, &t);
    }
    assert!(!p.playing);
    assert_eq!(p.cursor, t.len());
    assert_eq!(p.position(&t), (coarse_total, coarse_total));
    p.apply(Command::Play, &t);
    assert_eq!(p.cursor, 0);
    assert!(p.playing);
    p.apply(Command::Last, &t);
    assert!(!p.playing);
    p.apply(Command::First, &t);
    assert_eq!(p.cursor, 0);

    // Fine detail visits every event; coarse only moves, starts, stops and results.
    p.apply(Command::SetDetail(Level::Fine), &t);
    let mut fine_steps = 0;
    while p.apply(Command::StepForward, &t) {
        fine_steps += 1;
    }
    assert_eq!(fine_steps, t.len());
    p.apply(Command::SetDetail(Level::Coarse), &t);
    p.apply(Command::First, &t);
    let mut coarse_steps = 0;
    while p.apply(Command::StepForward, &t) {
        coarse_steps += 1;
    }
    assert_eq!(coarse_steps, coarse_total);
    assert!(coarse_total < t.len());
    // Coarse stepping back visits the same cursors in reverse.
    let mut back = 0;
    while p.apply(Command::StepBack, &t) {
        back += 1;
    }
    assert_eq!(back, coarse_total);
    // Bad speeds are clamped or ignored.
    p.apply(Command::SetSpeed(f32::NAN), &t);
    assert!(p.speed.is_finite());
    p.apply(Command::SetSpeed(1e9), &t);
    assert!(p.speed <= 2000.0);
}
