//! The Kleinberg scene's plots as charts (drawn on the canvas, in figures and in the panel):
//! mean hops against r per side, hops against n per r beside log² n, the best r against the
//! side, and Milgram's chain lengths.

use crate::engine::smallworld::{Hops, best_r};
use crate::render::Rgba;
use crate::render::chart::{Chart, Series};

use super::job::Letters;

/// A colour per lattice side or per r (viridis-like, told apart by the legend).
const COLOURS: [Rgba; 6] = [
    Rgba::rgb(86, 180, 233),
    Rgba::rgb(230, 159, 0),
    Rgba::rgb(0, 158, 115),
    Rgba::rgb(204, 121, 167),
    Rgba::rgb(213, 94, 0),
    Rgba::rgb(240, 228, 66),
];

fn series(name: String, color: Rgba, points: Vec<[f64; 2]>, errors: Vec<f64>) -> Series {
    Series {
        hover: points
            .iter()
            .map(|p| format!("{name}: {:.2} → {:.1}", p[0], p[1]))
            .collect(),
        name,
        color,
        points,
        reference: false,
        frontier: false,
        joined: true,
        errors,
    }
}

fn sides(rows: &[Hops]) -> Vec<u64> {
    let mut v: Vec<u64> = rows.iter().map(|h| h.side).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// "side 1,000".
fn side_name(side: u64) -> String {
    format!("side {}", crate::engine::scaling::thousands(side))
}

/// Mean hops against r, a curve per side, with standard errors.
pub fn hops_against_r(rows: &[Hops], dim: u32) -> Chart {
    let mut chart = Chart {
        title: "Greedy routing: mean hops against r".into(),
        x_label: "r (long links drawn as d^−r)".into(),
        y_label: "mean hops".into(),
        x_log: false,
        y_log: true,
        note: format!(
            "Kleinberg: only r = {dim} (the dimension) routes in O(log² n) hops. Best r measured: {}.",
            sides(rows)
                .into_iter()
                .filter_map(|s| best_r(rows, s).map(|r| format!("{r} at {}", side_name(s))))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        series: Vec::new(),
    };
    for (i, side) in sides(rows).into_iter().enumerate() {
        let mut pts: Vec<&Hops> = rows.iter().filter(|h| h.side == side).collect();
        pts.sort_by(|a, b| a.r.total_cmp(&b.r));
        chart.series.push(series(
            side_name(side),
            COLOURS[i % COLOURS.len()],
            pts.iter().map(|h| [h.r, h.mean_hops]).collect(),
            pts.iter().map(|h| h.stderr).collect(),
        ));
    }
    chart
}

/// Mean hops against n (nodes) on log axes, a curve per r among 0, 1, 2, 3 measured, with
/// log² n scaled to meet r = 2's first point.
pub fn hops_against_n(rows: &[Hops], dim: u32) -> Chart {
    let nodes = |side: u64| (side as f64).powi(dim as i32);
    let mut chart = Chart {
        title: "Greedy routing: hops against the lattice's size".into(),
        x_label: "n (nodes)".into(),
        y_label: "mean hops".into(),
        x_log: true,
        y_log: true,
        note: "On log axes a power law is a straight line: r ≠ dimension grows like a power of n; r = dimension bends like log² n.".into(),
        series: Vec::new(),
    };
    for (i, r) in [0.0, 1.0, 2.0, 3.0].into_iter().enumerate() {
        let mut pts: Vec<&Hops> = rows.iter().filter(|h| h.r == r).collect();
        if pts.len() < 2 {
            continue;
        }
        pts.sort_by_key(|h| h.side);
        chart.series.push(series(
            format!("r = {r}"),
            COLOURS[i % COLOURS.len()],
            pts.iter().map(|h| [nodes(h.side), h.mean_hops]).collect(),
            pts.iter().map(|h| h.stderr).collect(),
        ));
    }
    let anchor = rows
        .iter()
        .filter(|h| h.r == f64::from(dim))
        .min_by_key(|h| h.side);
    let all = sides(rows);
    if let Some(a) = anchor
        && all.len() > 1
    {
        let ln2 = |side: u64| nodes(side).ln().powi(2);
        let scale = a.mean_hops / ln2(a.side);
        chart.series.push(Series {
            reference: true,
            hover: Vec::new(),
            ..series(
                "log² n (scaled)".into(),
                Rgba::rgb(150, 150, 150),
                all.iter().map(|&s| [nodes(s), scale * ln2(s)]).collect(),
                Vec::new(),
            )
        });
    }
    chart
}

/// The r with the fewest hops at each side, against the side, beside r = dimension.
pub fn best_r_against_side(rows: &[Hops], dim: u32) -> Chart {
    let all = sides(rows);
    let pts: Vec<[f64; 2]> = all
        .iter()
        .filter_map(|&s| best_r(rows, s).map(|r| [s as f64, r]))
        .collect();
    let mut chart = Chart {
        title: "The best r against the lattice's side".into(),
        x_label: "side".into(),
        y_label: "best r".into(),
        x_log: true,
        y_log: false,
        note: format!(
            "The theorem is asymptotic: at small sizes the best r lies below the dimension ({dim}); it rises towards it as the lattice grows. Measured: {}.",
            all.iter()
                .filter_map(|&s| best_r(rows, s).map(|r| format!("{r} at {}", side_name(s))))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        series: vec![series(
            "best r measured".into(),
            COLOURS[0],
            pts,
            Vec::new(),
        )],
    };
    if let (Some(&lo), Some(&hi)) = (all.first(), all.last())
        && hi > lo
    {
        chart.series.push(Series {
            reference: true,
            hover: Vec::new(),
            ..series(
                format!("r = {dim} (the dimension)"),
                Rgba::rgb(150, 150, 150),
                vec![[lo as f64, f64::from(dim)], [hi as f64, f64::from(dim)]],
                Vec::new(),
            )
        });
    }
    chart
}

/// NSW's link lengths per factor-of-two bin against Kleinberg's law on the same points.
pub fn nsw_links(l: &crate::engine::smallworld::LinkScales) -> Chart {
    let pick = |v: &[f64]| -> Vec<[f64; 2]> {
        l.lengths
            .iter()
            .zip(v)
            .filter(|(_, s)| **s > 1e-6)
            .map(|(d, s)| [*d, *s])
            .collect()
    };
    let law = |name: &str, color, v: &[f64]| Series {
        reference: true,
        hover: Vec::new(),
        ..series(name.into(), color, pick(v), Vec::new())
    };
    Chart {
        title: "NSW's links against Kleinberg's law".into(),
        x_label: "link length".into(),
        y_label: "share of links per doubling of length".into(),
        x_log: true,
        y_log: true,
        note: format!(
            "An NSW on {} uniform points (m = {}, each linked to its m nearest among those inserted before it). Kleinberg's d^−2 law puts an equal share of links at every doubling of length (away from the smallest and largest scales, which the points' spacing and the square's edges cut); uniform links (r = 0) are nearly all long. NSW's are mostly at the nearest-neighbour scale with a power-law tail of long ones{}: fewer than the law, but every scale has some, and they sit on the early-inserted points, the hubs a greedy walk meets first. The greedy-search scene's 'link length per hop' counter shows a walk using them: long first, then shorter.",
            l.n,
            l.m,
            tail_slope(l).map_or(String::new(), |s| format!(
                " (share per doubling falling as d^{s:.1})"
            ))
        ),
        series: vec![
            series("NSW's links".into(), COLOURS[0], pick(&l.nsw), Vec::new()),
            law("d^−2 law (Kleinberg, r = 2)", COLOURS[1], &l.law2),
            law("uniform (r = 0)", Rgba::rgb(150, 150, 150), &l.law0),
        ],
    }
}

/// The link length of each hop of greedy walks on the NSW: long first, then shorter.
pub fn nsw_walk(l: &crate::engine::smallworld::LinkScales) -> Chart {
    let pts: Vec<[f64; 2]> = l.walk.iter().map(|w| [w.0, w.1]).collect();
    let first = pts.first().map_or(0.0, |p| p[1]);
    let last = pts.last().map_or(0.0, |p| p[1]);
    let peak = pts
        .iter()
        .copied()
        .max_by(|a, b| a[1].total_cmp(&b[1]))
        .unwrap_or([0.0, 0.0]);
    let shape = if peak[1] > first * 1.1 && peak[1] > last * 1.1 {
        format!(
            "the links first get longer ({first:.3} at the start, {:.3} at {:.0} % of the walk: zoom out, towards the early points' long links), then shorter ({last:.3} at the end: zoom in)",
            peak[1],
            peak[0] * 100.0
        )
    } else if first > last {
        format!(
            "the links get shorter along the walk ({first:.3} at the start, {last:.3} at the end: zoom in)"
        )
    } else {
        format!("the link length goes from {first:.3} to {last:.3}")
    };
    Chart {
        title: "Greedy walks on NSW: the link length along the walk".into(),
        x_label: "position along the walk (0 start, 1 stop)".into(),
        y_label: "mean link length".into(),
        x_log: false,
        y_log: true,
        note: format!(
            "{} greedy walks on the same NSW ({} points, m = {}) from random entries to random queries, each cut into tenths: {shape}. HNSW's layers make the two phases explicit: long links on the upper layers, short ones at the bottom.",
            l.walks, l.n, l.m
        ),
        series: vec![series(
            "mean link length".into(),
            COLOURS[0],
            pts,
            Vec::new(),
        )],
    }
}

/// The slope of NSW's share per doubling against length on log–log axes, beyond its peak.
pub fn tail_slope(l: &crate::engine::smallworld::LinkScales) -> Option<f64> {
    let peak = l
        .nsw
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))?
        .0;
    let pts: Vec<(f64, f64)> = l
        .lengths
        .iter()
        .zip(&l.nsw)
        .skip(peak)
        .filter(|(_, s)| **s > 0.0)
        .map(|(d, s)| (d.ln(), s.ln()))
        .collect();
    if pts.len() < 3 {
        return None;
    }
    let n = pts.len() as f64;
    let (mx, my) = (
        pts.iter().map(|p| p.0).sum::<f64>() / n,
        pts.iter().map(|p| p.1).sum::<f64>() / n,
    );
    let sxy: f64 = pts.iter().map(|p| (p.0 - mx) * (p.1 - my)).sum();
    let sxx: f64 = pts.iter().map(|p| (p.0 - mx).powi(2)).sum();
    (sxx > 0.0).then(|| sxy / sxx)
}

/// How many chains of each length: all of them, and those that arrived.
pub fn letters(l: &Letters) -> Chart {
    let max = l.lengths.iter().copied().max().unwrap_or(1).max(1);
    let bins = 12u64;
    let width = max.div_ceil(bins).max(1);
    let hist = |v: &[u64]| -> Vec<[f64; 2]> {
        (0..=max / width)
            .map(|b| {
                let c = v.iter().filter(|&&x| x / width == b).count();
                [
                    (b * width + width / 2) as f64,
                    c as f64 / v.len().max(1) as f64,
                ]
            })
            .collect()
    };
    Chart {
        title: "Milgram's letters: chain lengths".into(),
        x_label: "hops".into(),
        y_label: "share of chains".into(),
        x_log: false,
        y_log: false,
        note: format!(
            "{} of {} letters arrived (side {}, drop-out {:.0} % a hop). All chains: {:.1} hops on average; those that arrived: {:.1}. Long chains lose more letters, so the arrived ones look shorter than the real distances.",
            l.arrived,
            l.sent,
            crate::engine::scaling::thousands(l.side),
            l.dropout * 100.0,
            Letters::mean(&l.lengths),
            Letters::mean(&l.arrived_lengths)
        ),
        series: vec![
            series(
                "every chain".into(),
                COLOURS[0],
                hist(&l.lengths),
                Vec::new(),
            ),
            series(
                "chains that arrived".into(),
                COLOURS[1],
                hist(&l.arrived_lengths),
                Vec::new(),
            ),
        ],
    }
}
