//! The greedy-search scene's frame: the walks, the distances computed, the beam's kept set,
//! the local minimum ringed and the true nearest shown.

use crate::engine::{Metric, SearchMode};
use crate::render::{Anchor, Frame, Place, Prim, Shape};
use crate::scenes::graph_walk::draw::*;
use crate::trace::Algo;

/// Greedy, multi-start or beam search at the cursor.
pub fn search_frame(inp: &Input) -> Frame {
    let mut f = Frame {
        bounds: bounds(inp),
        ..Frame::default()
    };
    let pal = inp.palette;
    let st = inp.state;
    let r = inp.style.point_radius;
    let range = length_range(inp);
    f.length_scale = Some(range);
    let g = inp.graph;
    let metric = g.params().metric;

    for (a, b) in g.edges() {
        let d = metric.eval(inp.points.get(a), inp.points.get(b));
        edge(&mut f, inp, a, b, d, range, 110);
    }
    let finished = !st.stops.is_empty() || !st.results.is_empty() || !st.beam_stops.is_empty();
    let truth = inp.trace.nearest();

    // Beam: the ball that holds W (everything W keeps lies inside it).
    if matches!(inp.trace.algo, Algo::Search(SearchMode::Beam { .. }))
        && metric == Metric::Euclidean
        // A d-dimensional ball has no circle in the projection.
        && !inp.points.projected()
        && let (Some(q), Some(&(_, d))) = (inp.query, st.kept.last())
    {
        f.prims.push(Prim::WorldCircle {
            center_in_world: q,
            radius_in_world: d,
            width: 1.5,
            color: pal.kept.with_alpha(200),
            dashed: true,
        });
    }
    // Rays to the neighbours looked at.
    let evals = st.phase_evals();
    let current = st.current();
    for &(node, from, _) in evals {
        let recent = current.is_some_and(|c| c.0 == from);
        f.prims.push(Prim::Line {
            a_in_world: inp.points.xy(from),
            b_in_world: inp.points.xy(node),
            width: if recent { 1.8 } else { 1.0 },
            color: pal.evaluated.with_alpha(if recent { 230 } else { 90 }),
            dashed: !recent,
        });
    }
    // The walks: older ones muted, the current one bright.
    let walks = st.phase_walks();
    for (wi, w) in walks.iter().enumerate() {
        let last = wi + 1 == walks.len();
        for pair in w.path.windows(2) {
            f.prims.push(Prim::Line {
                a_in_world: inp.points.xy(pair[0].0),
                b_in_world: inp.points.xy(pair[1].0),
                width: inp.style.path_width * if last { 1.0 } else { 0.7 },
                color: if last { pal.path } else { pal.path_old },
                dashed: false,
            });
        }
    }
    // The beam's expansions.
    for pair in st.phase_expanded().windows(2) {
        f.prims.push(Prim::Line {
            a_in_world: inp.points.xy(pair[0].0),
            b_in_world: inp.points.xy(pair[1].0),
            width: inp.style.path_width * 0.6,
            color: pal.path.with_alpha(140),
            dashed: true,
        });
    }
    if finished && let (Some(q), Some((t, _))) = (inp.query, truth) {
        f.prims.push(Prim::Line {
            a_in_world: q,
            b_in_world: inp.points.xy(t),
            width: 1.5,
            color: pal.found,
            dashed: true,
        });
    }
    // A crowd of points is drawn smaller and lighter, so the links and the walk show.
    let crowd = crate::scenes::density_scale(inp.points.len());
    let plain = pal.point.with_alpha((255.0 * crowd.max(0.35)) as u8);
    for id in inp.points.ids() {
        marker(
            &mut f,
            inp.points.xy(id),
            r * crowd.max(0.45),
            Shape::Circle,
            Some(plain),
            None,
        );
    }
    for &(node, _, _) in evals {
        marker(
            &mut f,
            inp.points.xy(node),
            r * 1.5,
            Shape::Circle,
            None,
            Some((1.8, pal.evaluated)),
        );
    }
    for &(node, _) in st.phase_rejected() {
        marker(
            &mut f,
            inp.points.xy(node),
            r * 0.9,
            Shape::Cross,
            Some(pal.rejected),
            None,
        );
    }
    for &(node, _) in st.phase_expanded() {
        marker(
            &mut f,
            inp.points.xy(node),
            r * 1.5,
            Shape::Circle,
            Some(pal.path),
            None,
        );
    }
    for &(node, _) in &st.kept {
        marker(
            &mut f,
            inp.points.xy(node),
            r * 2.0,
            Shape::Square,
            None,
            Some((2.0, pal.kept)),
        );
    }
    id_labels(&mut f, inp, inp.points.len(), |id| {
        if st.stops.iter().any(|&(n, _)| n == id) {
            r * 3.4 + 1.5
        } else if finished && truth.is_some_and(|(t, _)| t == id) {
            r * 3.6 + 1.0
        } else if inp.entry == Some(id) {
            r * 1.9
        } else {
            r
        }
    });
    // Distances of the neighbours just looked at.
    if inp.points.len() <= inp.style.label_limit
        && let Some((c, _)) = current
    {
        for &(node, from, d) in evals {
            if from == c {
                f.prims.push(Prim::Text {
                    pos_in_world: inp.points.xy(node),
                    text: format!("{d:.2}"),
                    size: inp.style.label_size * 0.85,
                    color: pal.evaluated,
                    anchor: Anchor::Right,
                    gap: r + 6.0,
                    place: Place::Key,
                });
            }
        }
    }
    if let Some(e) = inp.entry.filter(|e| e.idx() < inp.points.len()) {
        let at = inp.points.xy(e);
        marker(
            &mut f,
            at,
            r * 1.9,
            Shape::Square,
            Some(pal.entry),
            Some((1.5, pal.current)),
        );
        label_clear_of(
            &mut f,
            inp,
            at,
            "entry".into(),
            Anchor::Left,
            pal.entry,
            r * 1.9,
        );
    }
    for &(node, d) in &st.stops {
        let ok = inp.trace.is_nearest(node, d);
        let at = inp.points.xy(node);
        let c = if ok { pal.found } else { pal.stuck };
        marker(&mut f, at, r * 3.4, Shape::Circle, None, Some((3.0, c)));
        if !ok {
            label_clear_of(
                &mut f,
                inp,
                at,
                "local minimum".into(),
                Anchor::Below,
                pal.stuck,
                r * 3.4 + 1.5,
            );
        }
    }
    if finished && let Some((t, _)) = truth {
        let at = inp.points.xy(t);
        marker(
            &mut f,
            at,
            r * 2.6,
            Shape::Circle,
            None,
            Some((2.5, pal.found)),
        );
        marker(
            &mut f,
            at,
            r * 3.6,
            Shape::Circle,
            None,
            Some((1.5, pal.found)),
        );
        label_clear_of(
            &mut f,
            inp,
            at,
            "true nearest".into(),
            Anchor::Right,
            pal.found,
            r * 3.6 + 1.0,
        );
    }
    // Clear of the widest ring an answer can carry (a stop, the true nearest).
    for (rank, &(node, _)) in st.results.iter().enumerate() {
        label_clear_of(
            &mut f,
            inp,
            inp.points.xy(node),
            format!("#{}", rank + 1),
            Anchor::Left,
            pal.text,
            r * 3.6 + 1.0,
        );
    }
    if let Some((c, _)) = current
        && st.results.is_empty()
    {
        marker(
            &mut f,
            inp.points.xy(c),
            r * 2.2,
            Shape::Diamond,
            Some(pal.path),
            Some((2.0, pal.current)),
        );
    }
    if let Some(q) = inp.query {
        marker(
            &mut f,
            q,
            r * 3.0,
            Shape::Star,
            Some(pal.query),
            Some((1.5, pal.current)),
        );
        label_clear_of(
            &mut f,
            inp,
            q,
            "query".into(),
            Anchor::Below,
            pal.query,
            r * 3.0 - 2.0,
        );
    }
    f.legend = vec![
        legend(Shape::Star, pal.query, true, "query"),
        legend(Shape::Square, pal.entry, true, "entry node"),
        legend(Shape::Diamond, pal.path, true, "current node, walk so far"),
        legend(Shape::Circle, pal.evaluated, false, "distance computed"),
        legend(Shape::Circle, pal.stuck, false, "local minimum"),
        legend(
            Shape::Circle,
            pal.found,
            false,
            "true nearest (shown at the end)",
        ),
    ];
    if matches!(inp.trace.algo, Algo::Search(SearchMode::Beam { .. })) {
        f.legend.push(legend(
            Shape::Square,
            pal.kept,
            false,
            "kept in W (dashed: W's radius)",
        ));
        f.legend.push(legend(
            Shape::Cross,
            pal.rejected,
            true,
            "looked at, not kept",
        ));
    }
    f
}
