//! The scaling lab in the window: open it, run a small sweep, wait for it, find the points
//! in the plot and the rows in the table.

mod common;

use common::{harness, on};
use egui_kittest::kittest::Queryable;

use ann_explorer::engine::scaling::Method;
use ann_explorer::scenes::scaling_lab::ScalingLab;
use ann_explorer::scenes::scaling_lab::plots::PlotKind;

#[test]
fn a_small_sweep_runs_in_the_background_and_fills_the_plot() {
    let mut h = harness(on("brute-force"));
    h.run();
    h.get_by_label("Scaling lab").click();
    h.run();
    assert_eq!(h.state().session.scene_id(), "scaling-lab");
    // A small sweep: two sizes, brute force and HNSW.
    {
        let lab = h
            .state_mut()
            .session
            .get_mut::<ScalingLab>()
            .expect("the lab");
        lab.settings.sweep.sizes = vec![1_000, 3_000];
        lab.settings.sweep.methods = vec![Method::Brute, Method::Hnsw];
        lab.settings.sweep.queries = 50;
    }
    h.run();
    h.get_by_label_contains("No measurements yet");
    h.get_by_label("▶ Run sweep").click();
    h.run();
    // The progress of the sweep is on screen while it runs; wait for it to finish.
    let t0 = std::time::Instant::now();
    loop {
        h.run();
        let lab = h.state().session.get::<ScalingLab>().expect("the lab");
        if lab.job.is_none() {
            break;
        }
        assert!(t0.elapsed().as_secs() < 300, "the sweep did not finish");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    h.run();
    let lab = h.state().session.get::<ScalingLab>().expect("the lab");
    // Two sizes × (brute force + HNSW at three ef) = 8 rows.
    assert_eq!(lab.settings.results.len(), 8, "{:?}", lab.error);
    assert!(lab.kept.as_ref().is_some_and(|b| b.workload.n() == 3_000));
    // The plot is drawn, with each series in its legend.
    // The plot's title over the right panel's plot, and as the narration's title (the
    // canvas draws the same plot).
    assert!(h.query_all_by_label("Query time against n").count() >= 2);
    assert!(!lab.settings.points, "the canvas shows the plot");
    h.query_all_by_label_contains("brute force")
        .next()
        .expect("brute force in the legend");
    h.query_all_by_label_contains("HNSW ef=32")
        .next()
        .expect("HNSW in the legend");
    h.get_by_label("distances").click();
    h.run();
    assert!(
        h.query_all_by_label("Distance computations per query against n")
            .next()
            .is_some()
    );
    h.query_all_by_label_contains("y = n")
        .next()
        .expect("the y = n line");
    // V shows the next plot; the canvas can show the points and the walk instead.
    h.key_press(egui::Key::V);
    h.run();
    assert_eq!(
        h.state()
            .session
            .get::<ScalingLab>()
            .map(|l| l.settings.plot),
        Some(PlotKind::Build)
    );
    h.get_by_label("points and walk").click();
    h.run();
    // The walk on the canvas plays to its end over the 3,000 points.
    h.get_by_label("Last ⏭").click();
    h.run();
    let (step, total) = h.state().session.position();
    assert!(total > 0 && step == total);
}
