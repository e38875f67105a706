//! The shared data in d dimensions: NSW, greedy search, HNSW and Annoy build and search there
//! and draw at the PCA projection; a click lifts the query among the points drawn there (for
//! cosine data too); the query vector survives files and undo; brute force refuses clearly.

use ann_explorer::engine::brute;
use ann_explorer::engine::presets::Preset;
use ann_explorer::engine::{Dist, Metric, NoRecorder, PointId};
use ann_explorer::scenes::hnsw::Hnsw as HnswSceneCore;
use ann_explorer::scenes::{Button, Click};
use ann_explorer::session::scene_file::SceneFile;
use ann_explorer::session::{DataSettings, Session};
use ann_explorer::trace::player::Command;

fn session(scene: &str) -> Session {
    Session::with_data(
        scene,
        DataSettings {
            preset: Preset::Clusters,
            n: 1500,
            dim: 16,
            seed: 3,
            ..DataSettings::default()
        },
    )
}

fn truth(s: &Session, k: usize) -> Vec<PointId> {
    let mut dist = Dist::new(Metric::Euclidean);
    brute::knn(&s.points, &mut dist, &s.query_vec, k, &mut NoRecorder)
        .expect("knn")
        .into_iter()
        .map(|x| x.0)
        .collect()
}

#[test]
fn hnsw_searches_in_16_dimensions_and_draws_at_the_projection() {
    let mut s = session("hnsw");
    assert_eq!((s.points.dim(), s.query_vec.len()), (16, 16));
    let p = s.projection.clone().expect("a projection");
    // Every point and the query are drawn where the projection puts them.
    for id in s.points.ids().step_by(97) {
        let (a, b) = (s.points.xy(id), p.project(s.points.get(id)));
        assert!((a[0] - b[0]).abs() < 1e-5 && (a[1] - b[1]).abs() < 1e-5);
    }
    let q = p.project(&s.query_vec);
    assert!((q[0] - s.query[0]).abs() < 1e-5 && (q[1] - s.query[1]).abs() < 1e-5);
    s.command(Command::Last);
    let h = s.get::<HnswSceneCore>().expect("scene");
    let st = h.state.as_ref().expect("built");
    let trace = &st.play.as_ref().expect("a search").trace;
    assert_eq!(
        trace.query.as_deref(),
        Some(&s.query_vec[..]),
        "the 16-d query"
    );
    let exact: Vec<PointId> = trace.truth.iter().map(|t| t.0).collect();
    assert_eq!(
        exact,
        truth(&s, exact.len()),
        "truth measured in 16 dimensions"
    );
    let f = s.frame(
        ann_explorer::render::Palette::for_theme(ann_explorer::render::Theme::Dark),
        ann_explorer::render::Style::default(),
    );
    assert!(
        f.prims.iter().any(|p| matches!(p, ann_explorer::render::Prim::Text { text, .. } if text.contains("16-d points by PCA"))),
        "the picture says it projects"
    );
    // A click places no point in 16 dimensions: refused, said, nothing lost.
    let n = s.points.len();
    s.click(&Click {
        pos_in_world: [0.5, 0.5],
        button: Button::Secondary,
        shift: false,
        command: false,
        alt: false,
        radius_in_world: 0.01,
    });
    assert!(
        s.error().is_some_and(|e| e.contains("PCA projection")),
        "{:?}",
        s.error()
    );
    assert_eq!(s.points.len(), n);
}

#[test]
fn a_click_lifts_the_query_among_the_points_drawn_there() {
    let mut s = session("greedy-search");
    let at = s.points.xy(PointId(42));
    s.set_query(at);
    let p = s.projection.clone().expect("projection");
    let drawn = p.project(&s.query_vec);
    assert!(
        (drawn[0] - at[0]).abs() < 1e-4 && (drawn[1] - at[1]).abs() < 1e-4,
        "lands at the click"
    );
    let near = |q: &[f32]| {
        s.points
            .ids()
            .map(|id| Metric::Euclidean.eval(s.points.get(id), q))
            .fold(f32::INFINITY, f32::min)
    };
    let plane = p.unproject(at);
    assert!(
        near(&s.query_vec) < 0.6 * near(&plane),
        "among the points ({}), not in the plane through the mean ({})",
        near(&s.query_vec),
        near(&plane)
    );
    // The walk measures in 16 dimensions.
    s.command(Command::Last);
    let t = s.scene().walk_trace().expect("a walk");
    assert_eq!(t.query.as_ref().map(Vec::len), Some(16));
    // Saved and opened again: the same 16-d query.
    let file = SceneFile::from_session(&s);
    let back = SceneFile::parse(&file.to_json())
        .expect("parse")
        .build()
        .expect("build");
    assert_eq!(back.query_vec, s.query_vec);
    assert_eq!(back.points.dim(), 16);
}

#[test]
fn brute_force_says_it_scans_the_plane_only() {
    let s = session("brute-force");
    assert!(
        s.error().is_some_and(|e| e.contains("16 dimensions")),
        "{:?}",
        s.error()
    );
}

#[test]
fn cosine_clicks_land_where_clicked_and_the_metric_keeps_the_query() {
    let mut s = session("greedy-search");
    s.set_metric(Metric::Cosine);
    let before = s.query_vec.clone();
    assert_eq!(before.len(), 16, "the metric keeps the query vector");
    let p = s.projection.clone().expect("projection");
    assert_eq!(p.metric, Metric::Cosine);
    // The star is where the vector is drawn, and a click lands where it was made.
    let q = p.project(&s.query_vec);
    assert!((q[0] - s.query[0]).abs() < 1e-4 && (q[1] - s.query[1]).abs() < 1e-4);
    let at = s.points.xy(PointId(7));
    s.set_query(at);
    let drawn = p.project(&s.query_vec);
    assert!(
        (drawn[0] - at[0]).abs() < 2e-3 && (drawn[1] - at[1]).abs() < 2e-3,
        "{drawn:?} against the click {at:?}"
    );
    assert_eq!(s.query, drawn);
    // A double-click puts the earlier query back, vector and all.
    s.restore_query([0.0, 0.0], &before);
    assert_eq!(s.query_vec, before);
    assert_eq!(s.query, p.project(&before));
}

#[test]
fn a_vector_db_sweep_survives_a_scene_file() {
    use ann_explorer::scenes::vector_db::VectorDb;
    let mut s = Session::new("vector-db");
    s.set_scene_setting("vector-db", "source", "\"Lesson\"")
        .expect("lesson");
    s.action(ann_explorer::scenes::SceneAction::Run);
    let start = std::time::Instant::now();
    while s.get::<VectorDb>().is_some_and(|v| v.sweep_job.is_some()) {
        assert!(start.elapsed().as_secs() < 120, "the sweep ends");
        s.tick(0.05);
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let rows = s.get::<VectorDb>().expect("scene").settings.sweep.len();
    assert!(rows > 0, "the sweep measured");
    let file = SceneFile::from_session(&s);
    let back = SceneFile::parse(&file.to_json())
        .expect("parse")
        .build()
        .expect("build");
    assert_eq!(
        back.get::<VectorDb>().expect("scene").settings.sweep.len(),
        rows
    );
}
