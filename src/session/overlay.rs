//! What the session draws over a scene's frame: the cosine guide (the origin and the ray
//! through the query) and, with predict-the-next-hop, the numbered candidates of the decision
//! waiting for the student; and the caption of a projected picture.

use super::Session;
use crate::render::{Anchor, Frame, Palette, Place, Prim, Shape, Style};

/// The origin and the ray through the query, under everything else.
pub(super) fn cosine_guide(f: &mut Frame, query: [f32; 2], palette: Palette, style: Style) {
    let (lo, hi) = f.bounds.unwrap_or(([0.0, 0.0], [1.0, 1.0]));
    let (lo, hi) = (
        [lo[0].min(0.0), lo[1].min(0.0)],
        [hi[0].max(0.0), hi[1].max(0.0)],
    );
    f.bounds = Some((lo, hi));
    let color = palette.text.with_alpha(150);
    let mut guide = vec![
        Prim::Marker {
            pos_in_world: [0.0, 0.0],
            radius: style.point_radius + 2.0,
            shape: Shape::Cross,
            fill: None,
            stroke: Some((2.0, color)),
        },
        Prim::Text {
            pos_in_world: [0.0, 0.0],
            text: "origin: cosine measures angles from here".into(),
            size: style.label_size,
            color,
            anchor: Anchor::Below,
            gap: style.point_radius + 6.0,
            place: crate::render::Place::Key,
        },
    ];
    let len = (query[0].powi(2) + query[1].powi(2)).sqrt();
    if len > 1e-6 {
        // Out to the far side of the frame.
        let reach = (hi[0] - lo[0]).hypot(hi[1] - lo[1]) / len;
        guide.push(Prim::Line {
            a_in_world: [0.0, 0.0],
            b_in_world: [query[0] * reach, query[1] * reach],
            width: 1.2,
            color,
            dashed: true,
        });
    }
    f.prims.splice(0..0, guide);
}

/// The candidates of the decision waiting, numbered 1–9 as the keys answer them (by id:
/// neither their distances nor their order may give the answer away), and a "?" at the node
/// the walk is on.
pub(super) fn quiz(s: &Session, f: &mut Frame, palette: Palette, style: Style) {
    let Some(d) = s.quiz.pending.as_ref() else {
        return;
    };
    let shared = s.shared();
    let at = |id| s.scene().world_pos(&shared, id, d.layer);
    let r = style.point_radius;
    for (i, &(id, _)) in d.numbered().iter().enumerate().take(9) {
        let Some(p) = at(id) else { continue };
        f.prims.push(Prim::Marker {
            pos_in_world: p,
            radius: r + 6.0,
            shape: Shape::Circle,
            fill: None,
            stroke: Some((2.5, palette.query)),
        });
        // "[1]": a key to press, not to be read as a node id.
        f.prims.push(Prim::Text {
            pos_in_world: p,
            text: format!("[{}]", i + 1),
            size: style.label_size * 1.3,
            color: palette.query,
            anchor: Anchor::Right,
            gap: r + 8.0,
            place: Place::Key,
        });
    }
    // A greedy walk stands on a node; a beam chooses among its candidates.
    if let Some(p) = at(d.from).filter(|_| !d.beam) {
        f.prims.push(Prim::Text {
            pos_in_world: p,
            text: "? next hop".into(),
            size: style.label_size * 1.2,
            color: palette.query,
            anchor: Anchor::Above,
            gap: r + 10.0,
            place: Place::Key,
        });
    }
}

/// A line of text at the picture's top-left (what the picture is: a projection).
pub(super) fn caption(f: &mut Frame, text: String, palette: Palette, style: Style) {
    let (lo, hi) = f.bounds.unwrap_or(([0.0, 0.0], [1.0, 1.0]));
    f.prims.push(Prim::Text {
        pos_in_world: [lo[0], hi[1]],
        text,
        size: style.label_size,
        color: palette.text,
        anchor: Anchor::Right,
        gap: 4.0,
        place: Place::Pinned,
    });
}
