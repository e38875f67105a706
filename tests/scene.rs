//! Scenes draw what the state says: links, walks, the local minimum and the true answer.

use ann_explorer::engine::presets::{self, Preset};
use ann_explorer::engine::*;
use ann_explorer::render::{Palette, Prim, Style, Theme};
use ann_explorer::scenes::graph_walk::draw::Input;
use ann_explorer::scenes::greedy_search::frame::search_frame;
use ann_explorer::scenes::nsw_construction::frame::construction_frame;
use ann_explorer::trace::{Trace, TraceState};

fn texts(f: &ann_explorer::render::Frame) -> Vec<String> {
    f.prims
        .iter()
        .filter_map(|p| match p {
            Prim::Text { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn construction_frame_draws_the_links_made_so_far() {
    let ds = presets::generate(Preset::SeedLesson, 0, 0).expect("lesson");
    let params = NswParams {
        m: 2,
        ..NswParams::default()
    };
    let (trace, graph, _) = Trace::record_construction(&ds.points, params).expect("build");
    for cursor in 0..=trace.len() {
        let state = TraceState::at(&trace, cursor);
        let inp = Input {
            points: &ds.points,
            graph: &graph,
            trace: &trace,
            state: &state,
            query: None,
            entry: None,
            palette: Palette::for_theme(Theme::Light),
            style: Style::default(),
        };
        let f = construction_frame(&inp);
        let lines = f
            .prims
            .iter()
            .filter(|p| matches!(p, Prim::Line { dashed: false, .. }))
            .count();
        assert_eq!(
            lines,
            state.edges.len(),
            "one solid line per link at cursor {cursor}"
        );
        let t = texts(&f);
        for id in 0..8 {
            assert!(t.contains(&id.to_string()), "label {id} at cursor {cursor}");
        }
        if let Some(p) = state.inserting() {
            assert!(t.contains(&format!("new: {p}")));
        }
    }
}

#[test]
fn search_frame_rings_the_local_minimum_and_reveals_the_truth_at_the_end() {
    let ds = presets::generate(Preset::SeedLesson, 0, 0).expect("lesson");
    let params = NswParams {
        m: 2,
        ..NswParams::default()
    };
    let (_, graph, _) = Trace::record_construction(&ds.points, params).expect("build");
    let (trace, _) = Trace::record_search(
        &graph,
        &ds.points,
        Metric::Euclidean,
        &ds.query,
        PointId(0),
        SearchMode::Greedy,
        1,
        0,
    )
    .expect("search");
    let frame_at = |cursor: usize| {
        let state = TraceState::at(&trace, cursor);
        let inp = Input {
            points: &ds.points,
            graph: &graph,
            trace: &trace,
            state: &state,
            query: Some(ds.query),
            entry: Some(PointId(0)),
            palette: Palette::for_theme(Theme::Dark),
            style: Style::default(),
        };
        search_frame(&inp)
    };
    let start = texts(&frame_at(0));
    assert!(start.contains(&"query".to_string()));
    assert!(start.contains(&"entry".to_string()));
    assert!(
        !start.contains(&"true nearest".to_string()),
        "the answer is not given away"
    );
    let end = texts(&frame_at(trace.len()));
    assert!(end.contains(&"local minimum".to_string()));
    assert!(end.contains(&"true nearest".to_string()));
    assert!(end.contains(&"#1".to_string()));
    // Every primitive is finite, so any backend can draw it.
    for p in &frame_at(trace.len()).prims {
        match p {
            Prim::Line {
                a_in_world,
                b_in_world,
                ..
            } => {
                assert!(a_in_world.iter().chain(b_in_world).all(|v| v.is_finite()))
            }
            Prim::Marker { pos_in_world, .. } | Prim::Text { pos_in_world, .. } => {
                assert!(pos_in_world.iter().all(|v| v.is_finite()))
            }
            Prim::WorldCircle {
                radius_in_world, ..
            } => assert!(radius_in_world.is_finite()),
            Prim::Polygon {
                points_in_world, ..
            } => assert!(points_in_world.iter().flatten().all(|v| v.is_finite())),
            Prim::Image {
                min_in_world,
                max_in_world,
                picture,
            } => {
                assert!(
                    min_in_world
                        .iter()
                        .chain(max_in_world)
                        .all(|v| v.is_finite())
                );
                assert_eq!(
                    picture.rgba.len(),
                    (picture.width * picture.height * 4) as usize
                );
            }
        }
    }
}

#[test]
fn big_scenes_skip_labels() {
    let ds = presets::generate(Preset::Uniform, 2000, 5).expect("ds");
    let (trace, graph, _) =
        Trace::record_construction(&ds.points, NswParams::default()).expect("build");
    let state = TraceState::at(&trace, trace.len());
    let inp = Input {
        points: &ds.points,
        graph: &graph,
        trace: &trace,
        state: &state,
        query: None,
        entry: None,
        palette: Palette::for_theme(Theme::Dark),
        style: Style::default(),
    };
    let f = construction_frame(&inp);
    assert!(texts(&f).len() < 10, "no per-point labels at n = 2000");
    assert_eq!(
        f.prims
            .iter()
            .filter(|p| matches!(p, Prim::Marker { .. }))
            .count(),
        2000 + 1
    );
}

#[test]
fn hnsw_frame_draws_every_layer_and_highlights_unreachable_nodes() {
    use ann_explorer::engine::hnsw::{Hnsw, HnswParams};
    use ann_explorer::render::Shape;
    use ann_explorer::scenes::hnsw::frame::{Input as HInput, StackView, frame};
    let ds = presets::generate(Preset::Clusters, 300, 2).expect("data");
    let params = HnswParams {
        heuristic: false,
        seed: 2,
        ..HnswParams::new(3)
    };
    let index = Hnsw::build(&ds.points, params).expect("build");
    let xy: Vec<[f32; 2]> = ds.points.ids().map(|id| ds.points.xy(id)).collect();
    let (trace, _) = Trace::record_hnsw_search(&index, &ds.query, 3, 16).expect("search");
    let state = TraceState::at(&trace, trace.len());
    let details: Vec<_> = (0..=index.max_level() as u8)
        .map(|l| ann_explorer::scenes::hnsw::layer_detail(&index, l))
        .collect();
    let highlight: Vec<(u8, PointId)> = details
        .iter()
        .flat_map(|d| d.unreachable.iter().map(move |&id| (d.layer, id)))
        .collect();
    let f = frame(&HInput {
        index: &index,
        xy: &xy,
        trace: &trace,
        state: &state,
        query: Some(ds.query),
        highlight: &highlight,
        view: StackView::default(),
        aspect: ann_explorer::session::DEFAULT_ASPECT,
        palette: Palette::for_theme(Theme::Dark),
        style: Style::default(),
    });
    let planes = f
        .prims
        .iter()
        .filter(|p| matches!(p, Prim::Polygon { .. }))
        .count();
    assert_eq!(planes, index.max_level() + 1, "one plane per layer");
    let texts = texts(&f);
    for l in 0..=index.max_level() {
        assert!(
            texts.iter().any(|t| t.starts_with(&format!("layer {l}:"))),
            "layer {l} label"
        );
    }
    let rings = f
        .prims
        .iter()
        .filter(|p| {
            matches!(
                p,
                Prim::Marker {
                    shape: Shape::Triangle,
                    ..
                }
            )
        })
        .count();
    assert_eq!(rings, highlight.len());
    // One flat layer draws one plane.
    let flat = frame(&HInput {
        index: &index,
        xy: &xy,
        trace: &trace,
        state: &state,
        query: Some(ds.query),
        highlight: &[],
        view: StackView {
            flat: Some(0),
            follow: false,
            ..StackView::default()
        },
        aspect: ann_explorer::session::DEFAULT_ASPECT,
        palette: Palette::for_theme(Theme::Light),
        style: Style::default(),
    });
    assert_eq!(
        flat.prims
            .iter()
            .filter(|p| matches!(p, Prim::Polygon { .. }))
            .count(),
        1
    );
}
