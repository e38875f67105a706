//! The vector database view: the Weaviate walk-through replayed (five objects, top-2 with
//! distances, `foo > 44`, more like this), cosine distances against 1 − cos computed here, CSV
//! import and its errors, the four strategies' recorded runs (same answers as the benchmarked
//! ones; the race replays the same forwards and backwards), trustworthiness, the correlated
//! sweep, and the scene through the session.

use ann_explorer::engine::collection::{Collection, LESSON_QUERY};
use ann_explorer::engine::filter::Column;
use ann_explorer::engine::filter_sweep::{
    Correlation, SweepSpec, exact, mask_for, random_property, sweep_each, switch_point,
};
use ann_explorer::engine::filtered::{self, FilterEvent, Strategy, matching_pieces};
use ann_explorer::engine::hnsw::{Hnsw, HnswParams};
use ann_explorer::engine::pca::{Pca, trustworthiness};
use ann_explorer::engine::rng::SplitMix64;
use ann_explorer::engine::{Log, Metric, PointId, Points};
use ann_explorer::scenes::vector_db::{DbView, Near, VectorDb};
use ann_explorer::scenes::{Button, Click, Scene};
use ann_explorer::session::{DataSettings, Session};
use ann_explorer::trace::player::Command;

fn open() -> Session {
    Session::with_data("vector-db", DataSettings::default())
}

fn set(s: &mut Session, key: &str, value: &str) {
    s.set_scene_setting("vector-db", key, value)
        .unwrap_or_else(|e| panic!("{key} = {value}: {e}"));
}

/// The results table: (id, distance).
fn results(s: &Session) -> Vec<(u32, f32)> {
    let db = s.get::<VectorDb>().expect("scene");
    db.answer
        .as_ref()
        .expect("an answer")
        .results
        .iter()
        .map(|r| (r.0.0, r.1))
        .collect()
}

fn lesson(s: &mut Session) {
    set(s, "source", "\"Lesson\"");
    set(s, "filter", "\"\"");
    set(s, "near", "\"Default\"");
}

#[test]
fn the_weaviate_walk_through_replays() {
    let mut s = open();
    lesson(&mut s);
    set(&mut s, "k", "2");
    // Top 2 near the notebook's vector: the Second and the Fourth Object, 0.65 and 0.81.
    let r = results(&s);
    assert_eq!(r.iter().map(|x| x.0).collect::<Vec<_>>(), [1, 3]);
    assert!((r[0].1 - 0.6506).abs() < 1e-3, "{r:?}");
    assert!((r[1].1 - 0.8072).abs() < 1e-3, "{r:?}");
    let db = s.get::<VectorDb>().expect("scene");
    let b = db.built.as_ref().expect("built");
    assert_eq!(b.coll.title(1), "Second Object");
    assert_eq!(b.metric, Metric::Cosine);
    // foo > 44: the Fourth (33) drops out, the First (99) comes in.
    set(&mut s, "filter", "\"foo > 44\"");
    let r = results(&s);
    assert_eq!(r.iter().map(|x| x.0).collect::<Vec<_>>(), [1, 0]);
    assert!((r[1].1 - 0.8284).abs() < 1e-3, "{r:?}");
    // More like the Second Object, limit 3: itself at 0, then the Fourth and the First.
    set(&mut s, "filter", "\"\"");
    set(&mut s, "k", "3");
    set(&mut s, "near", "{\"Object\": 1}");
    let r = results(&s);
    assert_eq!(r.iter().map(|x| x.0).collect::<Vec<_>>(), [1, 3, 0]);
    assert!(r[0].1.abs() < 1e-6);
    assert!(
        (r[1].1 - 0.0516).abs() < 1e-3 && (r[2].1 - 0.0651).abs() < 1e-3,
        "{r:?}"
    );
    // A threshold: distance ≤ 0.06 keeps two.
    set(&mut s, "threshold", "0.06");
    assert_eq!(results(&s).len(), 2);
    assert!(s.narration().text.contains("threshold removed 1"));
}

#[test]
fn cosine_distances_are_one_minus_the_cosine() {
    let c = Collection::lesson();
    let q = LESSON_QUERY;
    for id in c.points.ids() {
        let v = c.points.get(id);
        let dot: f64 = v
            .iter()
            .zip(&q)
            .map(|(a, b)| f64::from(*a) * f64::from(*b))
            .sum();
        let norm = |x: &[f32]| x.iter().map(|a| f64::from(*a).powi(2)).sum::<f64>().sqrt();
        let direct = 1.0 - dot / (norm(v) * norm(&q));
        let d = Metric::Cosine.eval(v, &q);
        assert!(
            (f64::from(d) - direct).abs() < 1e-5,
            "object {id}: {d} vs {direct}"
        );
    }
}

#[test]
fn csv_import_reads_objects_and_names_the_line_and_column_of_an_error() {
    let good = "title,price,colour,vector\n\
                a,1.5,red,\"[0.1, 0.2, 0.3]\"\n\
                b,2,blue,0.4 0.5 0.6\n";
    let c = Collection::from_csv(good, Metric::Euclidean).expect("good CSV");
    assert_eq!((c.len(), c.dim()), (2, 3));
    assert_eq!(c.title(1), "b");
    assert!(matches!(c.props.column("price"), Some(Column::Number(v)) if v == &[1.5, 2.0]));
    assert!(matches!(c.props.column("colour"), Some(Column::Text(_))));
    let cols = Collection::from_csv("id,v0,v1\n7,1,2\n8,3,4\n", Metric::Euclidean).expect("v0");
    assert_eq!(cols.points.get(PointId(1)), &[3.0, 4.0]);
    let err = |text: &str| Collection::from_csv(text, Metric::Euclidean).expect_err(text);
    let e = err("title,v0,v1\na,1,2\nb,3,oops\n");
    assert_eq!(e.line, 3);
    assert_eq!(e.column, Some((3, "v1".to_string())));
    assert!(e.to_string().contains("'oops' is not a number"), "{e}");
    let e = err("title,v0,v1\na,1,NaN\n");
    assert!(e.to_string().contains("line 2, column 3 (v1)"), "{e}");
    let e = err("title,vector\na,1 2 3\nb,1 2\n");
    assert_eq!(e.line, 3);
    assert!(e.message.contains("first object's had 3"), "{e}");
    let e = err("title,v0\na,1\n");
    assert!(e.message.contains("2 to 128"), "{e}");
    let e = err("title,foo\na,1\n");
    assert!(
        e.message.contains("no vector") && e.message.contains("title, foo"),
        "{e}"
    );
    let e = err("title,v0,v1\na,1,2\nb,3\n");
    assert_eq!(e.line, 3);
    assert!(e.message.contains("fields"), "{e}");
    assert!(err("").message.contains("empty"));
    assert!(err("v0,v1\n").message.contains("only a header"));
    assert!(err("v0,V0\n1,2\n").message.contains("repeats"));
}

#[test]
fn the_digits_are_1797_objects_of_64_dimensions_with_their_label() {
    let c = Collection::digits().expect("digits");
    assert_eq!((c.len(), c.dim()), (1797, 64));
    let Some(Column::Number(d)) = c.props.column("digit") else {
        panic!("a digit column");
    };
    let mut counts = [0usize; 10];
    d.iter().for_each(|&x| counts[x as usize] += 1);
    assert!(
        counts.iter().all(|&n| (170..=185).contains(&n)),
        "{counts:?}"
    );
    assert!(
        c.points
            .as_flat()
            .iter()
            .all(|&v| (0.0..=16.0).contains(&v))
    );
}

/// 3,000 clustered 16-d objects and their HNSW graph (M = 8).
fn graph(seed: u64) -> (Points, Hnsw) {
    let c = Collection::clusters(3000, 16, 8, seed).expect("clusters");
    let params = HnswParams {
        ef_construction: 100,
        seed,
        ..HnswParams::new(8)
    };
    let index = Hnsw::build(&c.points, params).expect("hnsw");
    (c.points, index)
}

#[test]
fn recorded_runs_answer_as_the_benchmarked_ones_and_the_race_replays_both_ways() {
    let seed = 4;
    let (points, index) = graph(seed);
    let prop = random_property(points.len(), seed);
    let mask: Vec<bool> = prop.iter().map(|&p| p < 0.05).collect();
    let q = points.get(PointId(17)).to_vec();
    for st in Strategy::ALL {
        let plain = filtered::search(&index, &points, Metric::Euclidean, &q, 10, 32, &mask, st);
        let mut log: Log<FilterEvent> = Log::default();
        let rec = filtered::search_with(
            &index,
            &points,
            Metric::Euclidean,
            &q,
            10,
            32,
            &mask,
            st,
            &mut log,
        );
        assert_eq!(plain, rec, "{st:?}: seed {seed}");
        let measured = log
            .events
            .iter()
            .filter(|e| matches!(e, FilterEvent::Measure { .. }))
            .count() as u64;
        assert_eq!(
            measured, rec.distance_computations,
            "{st:?}: every distance is an event"
        );
        // Every measured node reached through ACORN's look-through matches.
        for e in &log.events {
            if let FilterEvent::Measure {
                node,
                via: Some(_),
                matches,
                ..
            } = e
            {
                assert!(*matches && mask[node.idx()]);
            }
        }
    }
    // The scene's race: the state at any clock is the same reached forwards or backwards.
    let mut s = open();
    set(
        &mut s,
        "source",
        "{\"Clusters\": {\"n\": 1500, \"dim\": 16, \"clusters\": 8, \"seed\": 4}}",
    );
    set(&mut s, "filter", "\"tag = 3\"");
    set(&mut s, "view", "\"Strategies\"");
    s.command(Command::First);
    let total = s.position().1;
    assert!(total > 50, "the race has {total} steps");
    let mid = total / 3;
    s.command(Command::SeekCursor(mid));
    let forwards = s.get::<VectorDb>().expect("scene").play.state.clone();
    s.command(Command::Last);
    s.command(Command::SeekCursor(mid));
    let backwards = s.get::<VectorDb>().expect("scene").play.state.clone();
    assert_eq!(forwards, backwards);
    // At the end, each panel holds what its strategy returned (top k of what it held).
    s.command(Command::Last);
    let db = s.get::<VectorDb>().expect("scene");
    let a = db.answer.as_ref().expect("answer");
    for (run, panel) in a.race.runs.iter().zip(&db.play.state.panels) {
        let held: Vec<PointId> = panel.ranked().iter().take(10).map(|x| x.0).collect();
        let got: Vec<PointId> = run.result.results.iter().map(|x| x.0).collect();
        assert_eq!(held, got, "{:?}", run.strategy);
    }
}

#[test]
fn a_tight_filter_breaks_the_matching_subgraph_and_post_filter_runs_short_on_screen() {
    let mut s = open();
    set(
        &mut s,
        "source",
        "{\"Clusters\": {\"n\": 2000, \"dim\": 16, \"clusters\": 8, \"seed\": 1}}",
    );
    set(&mut s, "view", "\"Strategies\"");
    set(&mut s, "filter", "\"tag = 3 AND foo < 10\"");
    s.command(Command::First);
    assert!(!s.narration().alert);
    s.command(Command::Last);
    let n = s.narration();
    assert!(n.alert && n.text.contains("post-filter"), "{n:?}");
    let db = s.get::<VectorDb>().expect("scene");
    let a = db.answer.as_ref().expect("answer");
    assert!(a.matches > 5 && a.matches < 60, "{} match", a.matches);
    // A tight filter: many pieces, the largest a small part of the matches.
    assert!(a.piece_sizes.len() >= 5, "{:?}", a.piece_sizes);
    // The loose filter keeps the graph in few pieces.
    set(&mut s, "filter", "\"foo < 50\"");
    let db = s.get::<VectorDb>().expect("scene");
    let a = db.answer.as_ref().expect("answer");
    assert!(
        a.piece_sizes[0] as f64 > 0.9 * a.matches as f64,
        "half the objects: one giant piece ({:?})",
        &a.piece_sizes[..a.piece_sizes.len().min(5)]
    );
    // The picture draws every strategy's panel with its title.
    let f = s.frame(
        ann_explorer::render::Palette::for_theme(ann_explorer::render::palette::Theme::Dark),
        ann_explorer::render::Style::default(),
    );
    let titles = f
        .prims
        .iter()
        .filter(|p| matches!(p, ann_explorer::render::Prim::Text { text, .. } if text.contains(" · recall ")))
        .count();
    assert_eq!(titles, 4);
}

#[test]
fn matching_pieces_are_the_components_of_the_matches() {
    let (points, index) = graph(2);
    let mask: Vec<bool> = (0..points.len()).map(|i| i % 7 == 0).collect();
    let pieces = matching_pieces(&index, &mask);
    for (u, p) in pieces.iter().enumerate() {
        assert_eq!(p.is_some(), mask[u]);
        if let Some(p) = p {
            for &v in index.neighbors(PointId(u as u32), 0) {
                if mask[v as usize] {
                    assert_eq!(pieces[v as usize], Some(*p), "linked matches share a piece");
                }
            }
        }
    }
    // Numbered largest first.
    let mut sizes = vec![
        0usize;
        pieces
            .iter()
            .flatten()
            .map(|&p| p as usize + 1)
            .max()
            .unwrap_or(0)
    ];
    pieces
        .iter()
        .flatten()
        .for_each(|&p| sizes[p as usize] += 1);
    assert!(sizes.windows(2).all(|w| w[0] >= w[1]), "{sizes:?}");
}

#[test]
fn trustworthiness_is_one_for_a_faithful_picture_and_about_a_half_for_a_random_one() {
    // Points on a plane inside 5-d: PCA's picture loses nothing.
    let mut rng = SplitMix64::new(11);
    let n = 400;
    let mut data = Vec::new();
    for _ in 0..n {
        let (a, b) = (rng.unit_f32(), rng.unit_f32());
        data.extend([a, b, a + b, a - b, 0.5 * a]);
    }
    let points = Points::new(5, data).expect("points");
    let pca = Pca::fit(&points, 2).expect("pca");
    let picture: Vec<[f32; 2]> = points.ids().map(|i| pca.project(points.get(i))).collect();
    let t = trustworthiness(&points, Metric::Euclidean, &picture, 10, 400, 1).expect("T");
    assert!(t > 0.99, "faithful: {t}");
    let random: Vec<[f32; 2]> = (0..n).map(|_| [rng.unit_f32(), rng.unit_f32()]).collect();
    let r = trustworthiness(&points, Metric::Euclidean, &random, 10, 400, 1).expect("T");
    assert!((0.4..0.6).contains(&r), "random: {r}");
    // Sampling estimates the full figure.
    let sampled = trustworthiness(&points, Metric::Euclidean, &random, 10, 100, 3).expect("T");
    assert!((sampled - r).abs() < 0.05, "{sampled} vs {r}");
    assert!(trustworthiness(&points, Metric::Euclidean, &picture, 200, 10, 1).is_none());
}

#[test]
fn the_correlated_sweep_flatters_post_filter_and_the_anti_correlated_one_breaks_it() {
    let seed = 6;
    let (points, index) = graph(seed);
    let mut rng = SplitMix64::new(seed);
    let queries: Vec<f32> = (0..20)
        .flat_map(|_| points.get(PointId((rng.next_u64() % 3000) as u32)).to_vec())
        .collect();
    let run = |correlation| {
        let spec = SweepSpec {
            k: 10,
            ef: 32,
            selectivities: vec![0.01, 0.1, 1.0],
            strategies: Strategy::ALL.to_vec(),
            correlation,
            seed,
        };
        let mut rows = Vec::new();
        let never = std::sync::atomic::AtomicBool::new(false);
        sweep_each(
            &index,
            &points,
            Metric::Euclidean,
            &queries,
            &spec,
            &never,
            |r| rows.push(r),
        );
        rows
    };
    let at = |rows: &[ann_explorer::engine::filter_sweep::SweepRow], st, sel| {
        rows.iter()
            .find(|r| r.strategy == st && r.selectivity == sel)
            .copied()
            .expect("row")
    };
    let corr = run(Correlation::Correlated);
    let anti = run(Correlation::Anti);
    let post_c = at(&corr, Strategy::PostFilter, 0.01);
    let post_a = at(&anti, Strategy::PostFilter, 0.01);
    assert!(
        post_c.recall > 0.9,
        "correlated: the nearest match ({post_c:?})"
    );
    assert!(
        post_a.recall < 0.1 && post_a.returned < 1.0,
        "anti-correlated ({post_a:?})"
    );
    // ACORN-1 finds no match within two hops of the descent's end, and starts from the
    // allow-list instead of returning nothing.
    let acorn_a = at(&anti, Strategy::Acorn1, 0.01);
    assert!(
        acorn_a.returned >= 9.0 && acorn_a.recall > post_a.recall,
        "{acorn_a:?}"
    );
    for rows in [&corr, &anti] {
        // Pre-filter is exact and costs the matches.
        let pre = at(rows, Strategy::PreFilter, 0.1);
        assert_eq!(pre.recall, 1.0);
        assert_eq!(pre.distances_per_query, 300.0);
    }
    // The planner scans at 1 % (30 distances) and walks the graph at 100 %.
    let sw = switch_point(&corr, 0.95).expect("a switch point");
    assert!((0.01..1.0).contains(&sw), "{sw}");
    // The masks: ⌈s · n⌉ matches, the nearest (or furthest) to the query.
    let q = points.get(PointId(5));
    let m = mask_for(
        &points,
        Metric::Euclidean,
        q,
        0.01,
        Correlation::Correlated,
        &[],
    );
    let near = exact(&points, Metric::Euclidean, q, 30, &vec![true; 3000]);
    assert!(near.iter().all(|id| m[id.idx()]));
    assert_eq!(m.iter().filter(|&&x| x).count(), 30);
}

#[test]
fn the_scene_reads_clicks_and_refuses_bad_queries_without_losing_the_collection() {
    let mut s = open();
    lesson(&mut s);
    set(&mut s, "k", "3");
    let db = s.get::<VectorDb>().expect("scene");
    let b = db.built.as_ref().expect("built");
    let second = b.picture[1];
    // A click on an object: more like this.
    let click = |at: [f32; 2], shift| Click {
        pos_in_world: at,
        button: Button::Primary,
        shift,
        command: false,
        alt: false,
        radius_in_world: 0.02,
    };
    s.click(&click(second, false));
    let db = s.get::<VectorDb>().expect("scene");
    assert_eq!(db.settings.near, Near::Object(1));
    assert_eq!(results(&s)[0], (1, 0.0));
    // Shift-click: near the vector the picture's point stands for (6 numbers).
    s.click(&click([0.5, 0.5], true));
    let db = s.get::<VectorDb>().expect("scene");
    assert!(matches!(&db.settings.near, Near::Vector(v) if v.len() == 6));
    // A filter that does not parse is named and not run; the collection stays.
    set(&mut s, "filter", "\"bar > 4\"");
    assert!(
        s.notes()
            .iter()
            .any(|n| n.contains("bar") && n.contains("title, foo")),
        "{:?}",
        s.notes()
    );
    assert_eq!(results(&s).len(), 3);
    // A vector of the wrong dimension: an error, the collection kept.
    set(&mut s, "near", "{\"Vector\": [1.0, 2.0]}");
    let db = s.get::<VectorDb>().expect("scene");
    assert!(
        db.error().is_some_and(|e| e.contains("2 numbers")),
        "{:?}",
        db.error()
    );
    assert!(db.built.is_some());
    set(&mut s, "near", "{\"Object\": 99}");
    let db = s.get::<VectorDb>().expect("scene");
    assert!(db.error().is_some_and(|e| e.contains("no object 99")));
    // A CSV that is not there: the error names it.
    set(
        &mut s,
        "source",
        "{\"Csv\": {\"path\": \"/nonexistent/objects.csv\"}}",
    );
    let db = s.get::<VectorDb>().expect("scene");
    assert!(
        db.error()
            .is_some_and(|e| e.contains("/nonexistent/objects.csv"))
    );
    // V cycles the views.
    lesson(&mut s);
    for v in [
        DbView::Strategies,
        DbView::Sweep,
        DbView::Dimensions,
        DbView::Objects,
    ] {
        s.action(ann_explorer::scenes::SceneAction::NextView);
        assert_eq!(s.get::<VectorDb>().expect("scene").settings.view, v);
    }
}
