//! What the vector database says: the narration of the query and of the race, its counters,
//! the notes on where this tool differs from the databases, and the two experiments' charts.

use super::query::{TRUST_K, TRUST_SAMPLE};
use super::race::{Panel, Run};
use super::{DbView, Near, VectorDb};
use crate::engine::collection::Source;
use crate::engine::filter_sweep::{SweepRow, switch_point};
use crate::engine::filtered::Strategy;
use crate::render::chart::{Chart, Series};
use crate::scenes::{Counter, Dist, Narration, plural};

use super::frame::CATEGORY;
use super::job::{DimsSpec, EfRow};

pub const PSEUDOCODE: &[&str] = &[
    "query(near, k, where, distance):",
    "  matches ← objects where the filter holds",
    "  pre-filter:  scan every match exactly          ▷ cost = matches",
    "  post-filter: HNSW search with ef, drop non-matches ▷ may return < k",
    "  in-walk:     HNSW walk through every node, keep matches until ef held",
    "  ACORN-1:     measure matches only; look through a non-match to its links",
    "  return the k nearest, within distance",
];

/// Recall a planner asks of a graph strategy before preferring it to the scan.
pub const PLANNER_RECALL: f64 = 0.95;

/// One line on where a strategy stands at the clock.
fn panel_line(name: &str, p: &Panel, run: &Run, done: bool) -> String {
    if done {
        return format!(
            "{name}: finished after {}, returning {}.",
            plural(run.distances() as u64, "distance", "distances"),
            run.result.results.len()
        );
    }
    match p.current() {
        Some((id, d)) => format!(
            "{name}: expanding object {id} (distance {}), {} held.",
            Dist(d),
            p.held.len()
        ),
        None => format!(
            "{name}: {} measured.",
            plural(p.measured.len() as u64, "distance", "distances")
        ),
    }
}

pub fn narrate(s: &VectorDb) -> Narration {
    let Some(a) = s.answer.as_ref() else {
        return Narration {
            title: "Vector database".into(),
            text: s
                .error
                .clone()
                .unwrap_or_else(|| "Building the collection…".into()),
            ..Narration::default()
        };
    };
    let k = s.settings.k.clamp(1, 100);
    let filt = if s.settings.filter.trim().is_empty() || a.filter.is_none() {
        String::new()
    } else {
        format!(" where {}", s.settings.filter.trim())
    };
    match s.settings.view {
        DbView::Objects => {
            let near = match &s.settings.near {
                Near::Object(i) => format!(
                    "More like this: object {i} ('{}'). {}",
                    s.built.as_ref().map_or(String::new(), |b| b.coll.title(*i as usize)),
                    if a.mask.get(*i as usize).copied().unwrap_or(false) {
                        "It comes back first, at distance 0."
                    } else {
                        "It does not match the filter, so it is not among the results."
                    }
                ),
                Near::Vector(_) => "Near a vector (typed, or clicked in the picture).".into(),
                Near::Default if s.settings.source == Source::Lesson => {
                    "Near the notebook's vector [−0.012, 0.021, −0.23, −0.42, 0.5, 0.5].".into()
                }
                Near::Default => "Near the collection's opening vector (the first object, a quarter of the way to the middle one).".into(),
            };
            // Short before the threshold: the threshold's cut is said on its own.
            let short = a.results.len() + a.beyond_threshold < k.min(a.matches);
            Narration {
                title: format!("Top {k}{filt}: {} returned", a.results.len()),
                text: format!(
                    "{near} {} of {} objects match. Answered by {} ({}). {}{}",
                    a.matches,
                    a.mask.len(),
                    a.used.map_or("", |u| u.name()),
                    a.why,
                    if a.beyond_threshold > 0 {
                        format!("The distance threshold removed {}. ", a.beyond_threshold)
                    } else {
                        String::new()
                    },
                    if short {
                        "Fewer than k came back: the strategy lost matches (see the strategies view)."
                    } else {
                        ""
                    }
                ),
                line: Some(if a.filter.is_some() { 1 } else { 6 }),
                alert: short,
            }
        }
        DbView::Strategies => {
            let t = s.play.state.cursor;
            let lines: Vec<String> = a
                .race
                .runs
                .iter()
                .zip(&s.play.state.panels)
                .map(|(r, p)| {
                    panel_line(
                        r.strategy.map_or("", |x| x.name()),
                        p,
                        r,
                        p.applied >= r.events.len(),
                    )
                })
                .collect();
            let short: Vec<&str> = a
                .race
                .runs
                .iter()
                .zip(&s.play.state.panels)
                .filter(|(r, p)| {
                    p.applied >= r.events.len() && r.result.results.len() < k.min(a.matches)
                })
                .filter_map(|(r, _)| r.strategy.map(|x| x.name()))
                .collect();
            let leader = s
                .play
                .state
                .panels
                .iter()
                .zip(&a.race.runs)
                .filter(|(p, r)| p.applied < r.events.len())
                .filter_map(|(p, r)| Some((p.current()?, r.strategy?)))
                .next_back();
            Narration {
                title: format!("Distance {t}: four strategies, one graph{filt}"),
                text: format!(
                    "{}{}",
                    lines.join(" "),
                    if short.is_empty() {
                        String::new()
                    } else {
                        format!(" {} returned fewer than k = {k}.", short.join(", "))
                    }
                ),
                line: Some(match leader.map(|x| x.1) {
                    Some(Strategy::PreFilter) => 2,
                    Some(Strategy::PostFilter) => 3,
                    Some(Strategy::InWalk) => 4,
                    Some(Strategy::Acorn1) => 5,
                    None => 6,
                }),
                alert: !short.is_empty(),
            }
        }
        DbView::Sweep => {
            let rows = s.sweep_rows();
            Narration {
                title: format!(
                    "Selectivity sweep ({} filter)",
                    s.settings.correlation.name()
                ),
                text: if rows.is_empty() {
                    "Run the sweep (R): every strategy at selectivities from 0.2 % to 100 %, the filter independent of, correlated with and anti-correlated with the query's neighbourhood.".into()
                } else {
                    switch_text(&rows)
                },
                line: None,
                alert: false,
            }
        }
        _ => Narration {
            title: format!(
                "Recall against ef: {} dimensions",
                s.settings
                    .dims
                    .dims
                    .iter()
                    .map(|d| d.to_string())
                    .collect::<Vec<_>>()
                    .join(" beside ")
            ),
            text: dims_text(&s.dims_rows(), &s.settings.dims),
            line: None,
            alert: false,
        },
    }
}

fn switch_text(rows: &[SweepRow]) -> String {
    let top = rows.iter().map(|r| r.selectivity).fold(0.0, f64::max);
    match switch_point(rows, PLANNER_RECALL) {
        Some(sw) if sw >= top => format!(
            "At every selectivity measured the exact scan costs no more than a graph strategy reaching recall {PLANNER_RECALL}: none reaches it here (raise ef, or M), so a planner would always scan."
        ),
        Some(sw) => format!(
            "Up to {:.1} % matching, the exact scan of the matches costs no more distances than any graph strategy reaching recall {PLANNER_RECALL}: a planner should scan there (Weaviate's flatSearchCutoff plays this part), and walk the graph above.",
            100.0 * sw
        ),
        None => {
            format!("The scan never beat a graph strategy reaching recall {PLANNER_RECALL} here.")
        }
    }
}

fn dims_text(rows: &[EfRow], spec: &DimsSpec) -> String {
    if rows.is_empty() {
        let dims: Vec<String> = spec.dims.iter().map(|d| d.to_string()).collect();
        return format!(
            "Run it (R): HNSW on the same kind of data in {} dimensions, recall@{} at each ef. In 2-D recall barely moves with ef; in 64-D it does — what the flat pictures hide.",
            dims.join(" and "),
            spec.k
        );
    }
    let mut dims: Vec<usize> = rows.iter().map(|r| r.dim).collect();
    dims.dedup();
    dims.iter()
        .map(|&d| {
            let mine: Vec<&EfRow> = rows.iter().filter(|r| r.dim == d).collect();
            let first = mine.first().map_or(0.0, |r| r.recall);
            let reach = mine.iter().find(|r| r.recall >= 0.95).map(|r| r.ef);
            format!(
                "{d}-d: recall {first:.3} at ef {}{}.",
                mine.first().map_or(0, |r| r.ef),
                reach.map_or(" and below 0.95 at every ef measured".into(), |e| format!(
                    ", 0.95 from ef {e}"
                ))
            )
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn counters(s: &VectorDb) -> Vec<Counter> {
    let mut c = Vec::new();
    let (Some(b), Some(a)) = (s.built.as_ref(), s.answer.as_ref()) else {
        return c;
    };
    let k = s.settings.k.clamp(1, 100);
    c.push(Counter::new(
        "objects",
        format!("{} × {}-d, {}", b.coll.len(), b.coll.dim(), b.metric.name()),
        false,
    ));
    c.push(Counter::new(
        "matches",
        format!("{} ({:.1} %)", a.matches, 100.0 * a.selectivity()),
        true,
    ));
    if a.filter.is_some() {
        c.push(Counter::new(
            "pieces of the matching subgraph",
            format!(
                "{} (largest {})",
                a.piece_sizes.len(),
                a.piece_sizes.first().copied().unwrap_or(0)
            ),
            false,
        ));
    }
    c.push(Counter::new(
        "results",
        format!("{} of k = {k}", a.results.len()),
        true,
    ));
    c.push(Counter::new(
        "answered by",
        a.used.map_or("", |u| u.name()),
        false,
    ));
    for (i, run) in a.race.runs.iter().enumerate() {
        // The objects view shows the answers: every strategy's totals, whatever the clock.
        let p = s.play.state.panels.get(i);
        let measured = p.map_or(0, |p| p.measured.len());
        let done = p.is_none_or(|p| p.applied >= run.events.len())
            || s.settings.view != DbView::Strategies;
        let name = run.strategy.map_or("", |x| x.name());
        c.push(Counter::new(
            format!("{name}: distances, returned, recall"),
            if done {
                format!(
                    "{}, {}, {:.2}",
                    run.distances(),
                    run.result.results.len(),
                    run.hits as f64 / a.truth.len().max(1) as f64
                )
            } else {
                format!("{measured} so far")
            },
            false,
        ));
    }
    if b.projects() {
        c.push(Counter::new(
            "PCA: variance kept by 2 axes",
            format!("{:.1} %", 100.0 * b.projection.explained),
            false,
        ));
        if let Some(t) = b.trust {
            c.push(Counter::new(
                format!("trustworthiness T({TRUST_K})"),
                format!("{t:.3}"),
                false,
            ));
        }
        c.push(Counter::new(
            "look near, are not (of k)",
            a.false_near().len(),
            true,
        ));
    }
    c
}

pub fn notes(s: &VectorDb) -> Vec<String> {
    let mut v = vec![
        "Differs from the databases: one HNSW graph in memory, no shards, no quantisation, no inverted index; the planner is Weaviate's rule (flatSearchCutoff, then ACORN-1), Qdrant's extra in-category links are not built, and ACORN-1 expands every two-hop neighbour (the paper truncates to M).".to_string(),
    ];
    if let Some(b) = s.built.as_ref()
        && b.projects()
    {
        v.push(format!(
            "{}. Distances are measured in {} dimensions; trustworthiness is measured over {TRUST_SAMPLE} sampled objects. A click stands for a vector among the objects drawn there, moved along the two axes to the click.",
            b.projection.caption(b.coll.dim()),
            b.coll.dim()
        ));
    }
    if let Some(a) = s.answer.as_ref()
        && let Some(e) = &a.filter_error
    {
        v.push(format!("The filter was not run: {e}"));
    }
    v
}

fn series(
    name: &str,
    color: crate::render::Rgba,
    points: Vec<[f64; 2]>,
    reference: bool,
) -> Series {
    Series {
        hover: points
            .iter()
            .map(|p| format!("{name}: {} → {:.3}", p[0], p[1]))
            .collect(),
        name: name.into(),
        color,
        points,
        reference,
        frontier: false,
        joined: true,
        errors: Vec::new(),
    }
}

/// The sweep's charts: recall, distances and results returned against selectivity.
pub fn sweep_charts(rows: &[SweepRow], correlation: &str) -> Vec<Chart> {
    let sw = switch_point(rows, PLANNER_RECALL);
    type Metric = (&'static str, bool, fn(&SweepRow) -> f64);
    let metrics: [Metric; 3] = [
        ("recall@k", false, |r| r.recall),
        ("distances per query", true, |r| {
            r.distances_per_query.max(1.0)
        }),
        ("results returned", false, |r| r.returned),
    ];
    metrics
        .iter()
        .map(|&(label, y_log, get)| {
            let mut chart = Chart {
                title: format!("{label} against selectivity ({correlation} filter)"),
                x_label: "fraction matching".into(),
                y_label: label.into(),
                x_log: true,
                y_log,
                note: String::new(),
                series: Vec::new(),
            };
            for (i, st) in Strategy::ALL.into_iter().enumerate() {
                let mut pts: Vec<[f64; 2]> = rows
                    .iter()
                    .filter(|r| r.strategy == st)
                    .map(|r| [r.selectivity, get(r)])
                    .collect();
                pts.sort_by(|a, b| a[0].total_cmp(&b[0]));
                if !pts.is_empty() {
                    chart
                        .series
                        .push(series(st.name(), CATEGORY[i], pts, false));
                }
            }
            if let (Some(sw), Some((lo, hi))) = (sw, chart.bounds()) {
                let (y0, y1) = if y_log {
                    (10f64.powf(lo[1]), 10f64.powf(hi[1]))
                } else {
                    (lo[1], hi[1])
                };
                chart.series.push(series(
                    &format!("planner: scan up to {:.1} %", 100.0 * sw),
                    CATEGORY[7],
                    vec![[sw, y0], [sw, y1]],
                    true,
                ));
            }
            chart
        })
        .collect()
}

/// Recall against ef, a curve per dimension.
pub fn dims_chart(rows: &[EfRow], spec: &DimsSpec) -> Option<Chart> {
    if rows.is_empty() {
        return None;
    }
    let mut chart = Chart {
        title: format!(
            "HNSW recall@{} against ef: {} points, M = {}",
            spec.k, spec.n, spec.m
        ),
        x_label: "ef".into(),
        y_label: format!("recall@{}", spec.k),
        x_log: true,
        y_log: false,
        note: dims_text(rows, spec),
        series: Vec::new(),
    };
    let mut dims: Vec<usize> = rows.iter().map(|r| r.dim).collect();
    dims.dedup();
    for (i, d) in dims.into_iter().enumerate() {
        let pts: Vec<[f64; 2]> = rows
            .iter()
            .filter(|r| r.dim == d)
            .map(|r| [r.ef as f64, r.recall])
            .collect();
        chart.series.push(series(
            &format!("{d}-d"),
            CATEGORY[i % CATEGORY.len()],
            pts,
            false,
        ));
    }
    Some(chart)
}
