//! The NSW construction scene's frame: links made so far, the point being inserted, the
//! distances it computed and the links it made.

use crate::render::{Anchor, Frame, Place, Prim, Shape};
use crate::scenes::graph_walk::draw::*;
use crate::trace::Algo;

/// NSW construction at the cursor: links made so far, the point being inserted, the
/// distances it computed and the links it made.
pub fn construction_frame(inp: &Input) -> Frame {
    let mut f = Frame {
        bounds: bounds(inp),
        ..Frame::default()
    };
    let pal = inp.palette;
    let st = inp.state;
    let range = length_range(inp);
    f.length_scale = Some(range);
    let inserting = st.inserting();
    let n_in = st.inserted.len();
    let r = inp.style.point_radius;

    // Links so far; the current insertion's links on top, highlighted.
    for &(a, b, d) in &st.edges {
        if Some(a) != inserting {
            edge(&mut f, inp, a, b, d, range, 220);
        }
    }
    // Distances the new point computed (fine detail), as thin dashed rays.
    if inserting.is_some() {
        let evals = st.phase_evals();
        if evals.len() <= 400 {
            for &(node, from, _) in evals {
                f.prims.push(Prim::Line {
                    a_in_world: inp.points.xy(from),
                    b_in_world: inp.points.xy(node),
                    width: 1.0,
                    color: pal.evaluated.with_alpha(150),
                    dashed: true,
                });
            }
        }
    }
    for &(a, b, d) in &st.edges {
        if Some(a) == inserting {
            f.prims.push(Prim::Line {
                a_in_world: inp.points.xy(a),
                b_in_world: inp.points.xy(b),
                width: inp.style.path_width,
                color: pal.new_link,
                dashed: false,
            });
            if inp.points.len() <= inp.style.label_limit {
                let (pa, pb) = (inp.points.xy(a), inp.points.xy(b));
                f.prims.push(Prim::Text {
                    pos_in_world: [(pa[0] + pb[0]) / 2.0, (pa[1] + pb[1]) / 2.0],
                    text: format!("{d:.2}"),
                    size: inp.style.label_size * 0.9,
                    color: pal.new_link,
                    anchor: Anchor::Right,
                    gap: 4.0,
                    place: Place::Key,
                });
            }
        }
    }
    // Points: inserted filled, waiting ones faint and hollow; a crowd smaller and lighter.
    let crowd = crate::scenes::density_scale(inp.points.len());
    let (inserted, waiting) = (
        pal.point.with_alpha((255.0 * crowd.max(0.35)) as u8),
        pal.point_faint
            .with_alpha((pal.point_faint.0[3] as f32 * crowd.max(0.3)) as u8),
    );
    for id in inp.points.ids() {
        let at = inp.points.xy(id);
        if id.idx() < n_in {
            marker(
                &mut f,
                at,
                r * crowd.max(0.45),
                Shape::Circle,
                Some(inserted),
                None,
            );
        } else {
            marker(
                &mut f,
                at,
                r * 0.8 * crowd.max(0.45),
                Shape::Circle,
                None,
                Some((1.0, waiting)),
            );
        }
    }
    // Malkov rule: the searches' kept set and expanded nodes.
    for &(id, _) in st.phase_expanded() {
        marker(
            &mut f,
            inp.points.xy(id),
            r * 1.9,
            Shape::Circle,
            None,
            Some((1.5, pal.path)),
        );
    }
    for &(id, _) in &st.kept {
        marker(
            &mut f,
            inp.points.xy(id),
            r * 1.6,
            Shape::Square,
            None,
            Some((2.0, pal.kept)),
        );
    }
    for &(node, _, _) in st.phase_evals() {
        if st.phase_evals().len() <= 400 {
            marker(
                &mut f,
                inp.points.xy(node),
                r * 1.35,
                Shape::Circle,
                None,
                Some((1.5, pal.evaluated)),
            );
        }
    }
    id_labels(&mut f, inp, inp.points.len(), |_| inp.style.point_radius);
    if let Some(p) = inserting {
        let at = inp.points.xy(p);
        marker(
            &mut f,
            at,
            r * 2.4,
            Shape::Diamond,
            Some(pal.new_link),
            Some((2.0, pal.current)),
        );
        label(
            &mut f,
            inp,
            at,
            format!("new: {p}"),
            Anchor::Below,
            pal.new_link,
        );
    }
    f.legend = vec![
        legend(
            Shape::Diamond,
            pal.new_link,
            true,
            "point being inserted, its new links",
        ),
        legend(Shape::Circle, pal.point, true, "inserted point"),
        legend(Shape::Circle, pal.point_faint, false, "not inserted yet"),
        legend(
            Shape::Circle,
            pal.evaluated,
            false,
            "distance computed (dashed ray)",
        ),
    ];
    if matches!(inp.trace.algo, Algo::Construction(p) if matches!(p.rule, crate::engine::InsertRule::Malkov2014 { .. }))
    {
        f.legend.push(legend(
            Shape::Circle,
            pal.path,
            false,
            "expanded by the search",
        ));
        f.legend.push(legend(
            Shape::Square,
            pal.kept,
            false,
            "kept: m best found (W)",
        ));
    }
    f
}
