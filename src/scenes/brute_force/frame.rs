//! The brute-force scene's frame and narration: the query, a line per distance computed, the
//! point being examined with its distance, the best k so far ranked.

use super::BruteForce;
use crate::engine::brute::ScanEvent;
use crate::render::{Anchor, Frame, Palette, Place, Prim, Shape, Style, legend};
use crate::scenes::{Dist, Narration, Shared, plural, point_labels, ring_ranked};

pub const PSEUDOCODE: &[&str] = &[
    "brute_force_knn(q, k):        ▷ O(n·d) per query",
    "  H ← empty max-heap           ▷ the best k so far",
    "  for each point x in 0 … n−1:",
    "    d ← dist(q, x)              ▷ d coordinates each",
    "    if |H| < k: push (d, x) into H",
    "    else if d < max(H): pop max(H); push (d, x)",
    "  return H sorted, nearest first",
];

/// Lines drawn for the most recent distances of a scan.
const TRAIL: usize = 300;

fn line_of(e: &ScanEvent) -> usize {
    match e {
        ScanEvent::Query { .. } => 1,
        ScanEvent::Enter { evicted: None, .. } => 4,
        ScanEvent::Enter { .. } | ScanEvent::Skip { .. } => 5,
        ScanEvent::Done { .. } => 6,
    }
}

pub fn frame(s: &BruteForce, shared: &Shared, pal: Palette, style: Style) -> Frame {
    let pts = shared.points;
    let (mut lo, mut hi) = pts.bounds_xy().unwrap_or(([0.0, 0.0], [1.0, 1.0]));
    for q in &s.queries {
        lo = [lo[0].min(q[0]), lo[1].min(q[1])];
        hi = [hi[0].max(q[0]), hi[1].max(q[1])];
    }
    let mut f = Frame {
        bounds: Some((lo, hi)),
        ..Frame::default()
    };
    let r = style.point_radius;
    let scan = s.scan();
    let q_now = scan
        .and_then(|sc| s.queries.get(usize::from(sc.query)))
        .copied()
        .unwrap_or(shared.query);
    // A line per distance computed, the latest brightest (only the last TRAIL of a long scan:
    // the points' colour already tells which were compared).
    if let Some(sc) = scan {
        let from = sc.dists.len().saturating_sub(TRAIL);
        let trail = &sc.dists[from..];
        for (i, &(id, _)) in trail.iter().enumerate() {
            let age = (trail.len() - i) as f32 / TRAIL as f32;
            f.prims.push(Prim::Line {
                a_in_world: q_now,
                b_in_world: pts.xy(id),
                width: 1.0,
                color: pal.evaluated.with_alpha((110.0 * (1.0 - 0.7 * age)) as u8),
                dashed: false,
            });
        }
    }
    for id in pts.ids() {
        f.prims.push(Prim::Marker {
            pos_in_world: pts.xy(id),
            radius: r,
            shape: Shape::Circle,
            fill: Some(if scan.is_some_and(|sc| sc.dists.len() > id.idx()) {
                pal.point
            } else {
                pal.point_faint
            }),
            stroke: None,
        });
    }
    point_labels(&mut f, pts, style, pal.text);
    // The best k so far (the answer once the scan is done).
    if let Some(sc) = scan {
        let col = if sc.done { pal.found } else { pal.kept };
        for (rank, &(id, _)) in sc.best.iter().enumerate() {
            ring_ranked(&mut f, pts.xy(id), rank, style, col);
        }
        // The point just examined: its line and distance.
        if !sc.done
            && let Some(&(id, d)) = sc.dists.last()
        {
            let p = pts.xy(id);
            f.prims.push(Prim::Line {
                a_in_world: q_now,
                b_in_world: p,
                width: style.path_width * 0.6,
                color: pal.current,
                dashed: false,
            });
            f.prims.push(Prim::Marker {
                pos_in_world: p,
                radius: r + 2.0,
                shape: Shape::Diamond,
                fill: Some(pal.current),
                stroke: None,
            });
            f.prims.push(Prim::Text {
                pos_in_world: [(p[0] + q_now[0]) / 2.0, (p[1] + q_now[1]) / 2.0],
                text: format!("d = {:.3}", Dist(d)),
                size: style.label_size,
                color: pal.current,
                anchor: Anchor::Below,
                gap: 4.0,
                place: Place::Key,
            });
        }
    }
    // Every query of the batch: the one being scanned solid, the others outlined.
    for (i, &q) in s.queries.iter().enumerate() {
        let now = scan.is_some_and(|sc| usize::from(sc.query) == i) || (scan.is_none() && i == 0);
        f.prims.push(Prim::Marker {
            pos_in_world: q,
            radius: r + 5.0,
            shape: Shape::Star,
            fill: now.then_some(pal.query),
            stroke: Some((1.5, pal.query)),
        });
        f.prims.push(Prim::Text {
            pos_in_world: q,
            text: if s.queries.len() > 1 {
                format!("query {}", i + 1)
            } else {
                "query".into()
            },
            size: style.label_size,
            color: pal.query,
            anchor: Anchor::Below,
            gap: r + 8.0,
            place: Place::Key,
        });
    }
    f.legend = vec![
        legend(Shape::Star, pal.query, true, "query"),
        legend(Shape::Circle, pal.point, true, "distance computed"),
        legend(Shape::Circle, pal.point_faint, true, "not yet"),
        legend(Shape::Diamond, pal.current, true, "examined now"),
        legend(Shape::Circle, pal.kept, false, "best k so far (heap)"),
        legend(Shape::Circle, pal.found, false, "answer"),
    ];
    // Labels over everything else.
    f.prims.sort_by_key(|p| matches!(p, Prim::Text { .. }));
    f
}

fn list(best: &[(crate::engine::PointId, f32)]) -> String {
    best.iter()
        .map(|(id, d)| format!("{id} ({:.3})", Dist(*d)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn narrate(s: &BruteForce, _shared: &Shared) -> Narration {
    let n = s.n();
    let k = s.settings.k;
    let Some(e) = s.last_event() else {
        return Narration {
            title: "Ready".into(),
            text: if n == 0 {
                "There are no points to scan: choose n ≥ 1 and regenerate (R).".into()
            } else {
                format!(
                    "Brute force compares the query with every one of the {n} points, keeping the best k = {k} in a max-heap. \
                     Exact, and it costs n = {n} distance computations of d = {} coordinates each, O(n·d), for every query{}. \
                     Press ▶ (Space) to play or -> to step.",
                    s.dim,
                    if s.queries.len() > 1 {
                        format!(
                            " — {} queries here, {} distances in all",
                            s.queries.len(),
                            n * s.queries.len()
                        )
                    } else {
                        String::new()
                    }
                )
            },
            line: Some(0),
            alert: false,
        };
    };
    let scanned = s.scan().map_or(0, |sc| sc.dists.len());
    let list_or_none = |best: &[(crate::engine::PointId, f32)]| {
        if best.is_empty() {
            "none (there are no points)".to_string()
        } else {
            list(best)
        }
    };
    let (title, text) = match *e {
        ScanEvent::Query { query } => (
            format!("Query {}: start the scan", query + 1),
            format!(
                "The heap of the best k = {k} is empty. All {n} points will be compared with this query{}.",
                if query > 0 {
                    " — the same n distances again: nothing from the last query helps"
                } else {
                    ""
                }
            ),
        ),
        ScanEvent::Enter {
            node,
            dist,
            evicted: None,
        } => (
            format!("Point {node} enters the best k"),
            format!(
                "Distance {scanned} of {n}: d(q, {node}) = {:.3}. The heap holds fewer than k = {k}, so {node} goes in. Best so far: {}.",
                Dist(dist),
                s.scan().map_or(String::new(), |sc| list(&sc.best))
            ),
        ),
        ScanEvent::Enter {
            node,
            dist,
            evicted: Some((out, out_d)),
        } => (
            format!("Point {node} enters, {out} leaves"),
            format!(
                "Distance {scanned} of {n}: d(q, {node}) = {:.3} beats the worst of the best k, {out} at {:.3}: pop {out}, push {node}. Best so far: {}.",
                Dist(dist),
                Dist(out_d),
                s.scan().map_or(String::new(), |sc| list(&sc.best))
            ),
        ),
        ScanEvent::Skip { node, dist, worst } => (
            format!("Point {node}: not among the best k"),
            format!(
                "Distance {scanned} of {n}: d(q, {node}) = {:.3} is no better than the worst kept ({:.3}); skip it. Still one distance computed.",
                Dist(dist),
                Dist(worst)
            ),
        ),
        ScanEvent::Done { query } => (
            format!(
                "Query {} answered: exactly {}",
                query + 1,
                plural(n as u64, "distance", "distances")
            ),
            format!(
                "Every point was compared: {}, each over d = {} coordinates — O(n·d). The answer, nearest first: {}. \
                 It is exact, but the next query costs the same {n} again, and a million points cost a million distances per query.",
                plural(n as u64, "distance computation", "distance computations"),
                s.dim,
                s.scan().map_or(String::new(), |sc| list_or_none(&sc.best))
            ),
        ),
    };
    Narration {
        title,
        text,
        line: Some(line_of(e)),
        alert: false,
    }
}
