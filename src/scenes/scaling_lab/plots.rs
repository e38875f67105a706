//! The lab's plots as data: which rows make which series, the axes and their scales. The
//! lab's panel draws them with egui_plot and the SVG backend writes them as SVG, so
//! the window and a figure show the same curves.

use crate::engine::scaling::{Method, Row, short_n};
use crate::render::Rgba;
use crate::render::chart::{Chart, Series};

/// The plots the lab offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlotKind {
    QueryTime,
    Distances,
    Build,
    Recall,
    Pareto,
}

impl PlotKind {
    pub const ALL: [PlotKind; 5] = [
        PlotKind::QueryTime,
        PlotKind::Distances,
        PlotKind::Build,
        PlotKind::Recall,
        PlotKind::Pareto,
    ];

    pub fn id(self) -> &'static str {
        match self {
            PlotKind::QueryTime => "query-time",
            PlotKind::Distances => "distances",
            PlotKind::Build => "build",
            PlotKind::Recall => "recall",
            PlotKind::Pareto => "pareto",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            PlotKind::QueryTime => "Query time against n",
            PlotKind::Distances => "Distance computations per query against n",
            PlotKind::Build => "Build time against n",
            PlotKind::Recall => "Recall@k against n",
            PlotKind::Pareto => "Recall against queries per second",
        }
    }

    pub fn short(self) -> &'static str {
        match self {
            PlotKind::QueryTime => "query time",
            PlotKind::Distances => "distances",
            PlotKind::Build => "build",
            PlotKind::Recall => "recall",
            PlotKind::Pareto => "recall–QPS",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.id() == s)
    }
}

fn hover(r: &Row) -> String {
    let d = r
        .distances_per_query
        .map_or("not reported".to_string(), |d| format!("{d:.0}"));
    format!(
        "{} · n = {} · {}\nquery {:.1} µs · {:.0} queries/s\nbuild {:.2} s · recall@{} {:.3}\ndistances per query {d}",
        r.method.name(),
        short_n(r.n),
        r.params,
        r.query_us,
        r.qps,
        r.build_s,
        r.k,
        r.recall
    )
}

/// The series of `kind` from `rows`; the Pareto plot is at size `at` (default: the largest
/// size measured).
pub fn plot(kind: PlotKind, rows: &[Row], at: Option<usize>) -> Chart {
    let k = rows.first().map_or(10, |r| r.k);
    let (x_label, y_label, x_log, y_log, note) = match kind {
        PlotKind::QueryTime => ("n (points)", "µs per query", true, true, "lower is better"),
        PlotKind::Distances => (
            "n (points)",
            "distance computations per query",
            true,
            true,
            "brute force lies on y = n; a graph's count bends towards log n",
        ),
        PlotKind::Build => ("n (points)", "build seconds", true, true, "lower is better"),
        PlotKind::Recall => (
            "n (points)",
            "recall@k",
            true,
            false,
            "1 is every true neighbour found",
        ),
        PlotKind::Pareto => (
            "recall@k",
            "queries per second",
            false,
            true,
            "up and to the right is better; lines join each method's Pareto frontier",
        ),
    };
    let mut series: Vec<Series> = Vec::new();
    let settings = |m: Method| -> Vec<Option<usize>> {
        let mut v: Vec<Option<usize>> = rows
            .iter()
            .filter(|r| r.method == m)
            .map(|r| r.setting())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let mut push = |name: String, r: &Row, xy: [f64; 2]| {
        if !(xy[0].is_finite() && xy[1].is_finite()) || (x_log && xy[0] <= 0.0) {
            return;
        }
        if y_log && xy[1] <= 0.0 {
            return;
        }
        if let Some(s) = series.iter_mut().find(|s| s.name == name) {
            s.points.push(xy);
            s.hover.push(hover(r));
        } else {
            let shade = settings(r.method)
                .iter()
                .position(|e| *e == r.setting())
                .unwrap_or(0);
            let shade = if matches!(kind, PlotKind::Build | PlotKind::Pareto) {
                0
            } else {
                shade
            };
            series.push(Series {
                name,
                color: method_color(r.method, shade),
                points: vec![xy],
                hover: vec![hover(r)],
                reference: false,
                frontier: false,
                joined: kind != PlotKind::Pareto,
                errors: Vec::new(),
            });
        }
    };
    let at = at.or_else(|| rows.iter().map(|r| r.n).max());
    for r in rows {
        let n = r.n as f64;
        match kind {
            PlotKind::QueryTime => push(r.label(), r, [n, r.query_us]),
            PlotKind::Distances => {
                if let Some(d) = r.distances_per_query {
                    push(r.label(), r, [n, d]);
                }
            }
            PlotKind::Build => {
                // One build per method and size: its first setting's row.
                let first = rows
                    .iter()
                    .find(|o| o.method == r.method && o.n == r.n)
                    .is_some_and(|o| std::ptr::eq(o, r));
                if first && r.method != Method::Brute {
                    push(r.method.name().to_string(), r, [n, r.build_s]);
                }
            }
            PlotKind::Recall => push(r.label(), r, [n, r.recall]),
            PlotKind::Pareto => {
                if Some(r.n) == at {
                    push(r.method.name().to_string(), r, [r.recall, r.qps]);
                }
            }
        }
    }
    for s in &mut series {
        let mut idx: Vec<usize> = (0..s.points.len()).collect();
        idx.sort_by(|&a, &b| s.points[a][0].total_cmp(&s.points[b][0]));
        s.points = idx.iter().map(|&i| s.points[i]).collect();
        s.hover = idx.iter().map(|&i| s.hover[i].clone()).collect();
    }
    if kind == PlotKind::Distances && !series.is_empty() {
        let mut ns: Vec<usize> = rows.iter().map(|r| r.n).collect();
        ns.sort_unstable();
        ns.dedup();
        series.push(Series {
            name: "y = n".into(),
            color: Rgba::rgb(150, 150, 150),
            points: ns.iter().map(|&n| [n as f64, n as f64]).collect(),
            hover: ns.iter().map(|&n| format!("n = {}", short_n(n))).collect(),
            reference: true,
            frontier: false,
            joined: true,
            errors: Vec::new(),
        });
    }
    if kind == PlotKind::Pareto {
        let frontiers: Vec<Series> = series
            .iter()
            .filter(|s| s.points.len() > 1)
            .map(|s| Series {
                name: format!("{} frontier", s.name),
                color: s.color,
                points: pareto(&s.points),
                hover: Vec::new(),
                reference: false,
                frontier: true,
                joined: true,
                errors: Vec::new(),
            })
            .collect();
        series.extend(frontiers);
    }
    let title = match (kind, at) {
        (PlotKind::Pareto, Some(n)) => format!("{} (n = {})", kind.title(), short_n(n)),
        _ => kind.title().to_string(),
    };
    Chart {
        title,
        x_label: x_label.replace("@k", &format!("@{k}")),
        y_label: y_label.replace("@k", &format!("@{k}")),
        x_log,
        y_log,
        note: note.to_string(),
        series,
    }
}

/// The Pareto frontier of (recall, QPS) points: those no other point beats on both, by
/// recall ascending.
pub fn pareto(points: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let mut v: Vec<[f64; 2]> = points.to_vec();
    // Highest recall first; keep a point when its QPS beats every point of higher recall.
    v.sort_by(|a, b| b[0].total_cmp(&a[0]).then(b[1].total_cmp(&a[1])));
    let mut out: Vec<[f64; 2]> = Vec::new();
    let mut best = f64::NEG_INFINITY;
    for p in v {
        if p[1] > best {
            best = p[1];
            out.push(p);
        }
    }
    out.reverse();
    out
}

/// A method's colour (Okabe–Ito, safe for colour-blind viewers), lighter for each further
/// setting (ef) of the method.
pub fn method_color(method: Method, shade: usize) -> Rgba {
    let [r, g, b] = match method {
        Method::Brute => [213, 94, 0],
        Method::Kdtree => [0, 158, 115],
        Method::Nsw => [230, 159, 0],
        Method::Hnsw => [86, 180, 233],
        Method::Annoy => [204, 121, 167],
    };
    let t = (shade as f32 * 0.22).min(0.66);
    let mix = |c: u8| (c as f32 + (255.0 - c as f32) * t).round() as u8;
    let dark = |c: u8| (c as f32 * (1.0 - t * 0.6)).round() as u8;
    // HNSW's sky blue lightens towards white too fast: it darkens instead.
    if method == Method::Hnsw {
        Rgba::rgb(dark(r), dark(g), dark(b))
    } else {
        Rgba::rgb(mix(r), mix(g), mix(b))
    }
}

/// Each method's headline rows, by n: its smallest ef or search_k (or its one setting).
fn headline_rows(rows: &[Row], m: Method) -> Vec<&Row> {
    let least = rows
        .iter()
        .filter(|r| r.method == m)
        .filter_map(|r| r.setting())
        .min();
    let mut v: Vec<&Row> = rows
        .iter()
        .filter(|r| r.method == m && r.setting() == least)
        .collect();
    v.sort_by_key(|r| r.n);
    v
}

/// What the plot says, with its numbers: the sentence a lecturer would say over it.
pub fn headline(kind: PlotKind, rows: &[Row]) -> String {
    let methods: Vec<Method> = Method::ALL
        .into_iter()
        .filter(|m| rows.iter().any(|r| r.method == *m))
        .collect();
    let growth = |m: Method, f: &dyn Fn(&Row) -> Option<f64>, unit: &str| -> Option<String> {
        let v = headline_rows(rows, m);
        let (a, b) = (v.first()?, v.last()?);
        if a.n == b.n {
            return None;
        }
        let (x, y) = (f(a)?, f(b)?);
        let times = if unit == "recall" {
            String::new()
        } else {
            format!(" ({:.1}×)", y / x.max(1e-12))
        };
        Some(format!(
            "{} {} → {}{times}",
            a.label(),
            format_value(x, unit),
            format_value(y, unit),
        ))
    };
    let span = |m: Method| {
        let v = headline_rows(rows, m);
        match (v.first(), v.last()) {
            (Some(a), Some(b)) if a.n != b.n => Some((a.n, b.n)),
            _ => None,
        }
    };
    let Some((n0, n1)) = methods.iter().find_map(|&m| span(m)) else {
        return "One size so far: the curves need two.".into();
    };
    let from = format!(
        "From n = {} to {} ({:.0}× the points): ",
        short_n(n0),
        short_n(n1),
        n1 as f64 / n0 as f64
    );
    let parts: Vec<String> = match kind {
        PlotKind::QueryTime => methods
            .iter()
            .filter_map(|&m| growth(m, &|r| Some(r.query_us), "µs"))
            .collect(),
        PlotKind::Distances => methods
            .iter()
            .filter_map(|&m| growth(m, &|r| r.distances_per_query, ""))
            .collect(),
        PlotKind::Build => methods
            .iter()
            .filter(|&&m| m != Method::Brute)
            .filter_map(|&m| growth(m, &|r| Some(r.build_s), "s"))
            .collect(),
        PlotKind::Recall => methods
            .iter()
            .filter_map(|&m| growth(m, &|r| Some(r.recall), "recall"))
            .collect(),
        PlotKind::Pareto => {
            let best = methods.iter().filter_map(|&m| {
                rows.iter()
                    .filter(|r| r.method == m && r.n == n1 && r.recall >= 0.99)
                    .max_by(|a, b| a.qps.total_cmp(&b.qps))
                    .map(|r| {
                        format!(
                            "{} {} queries/s",
                            r.label(),
                            crate::engine::scaling::thousands(r.qps.round() as u64)
                        )
                    })
            });
            return format!(
                "At n = {}, the fastest setting of each method with recall@k ≥ 0.99: {}. Up and to the right is better.",
                short_n(n1),
                best.collect::<Vec<_>>().join("; ")
            );
        }
    };
    format!("{from}{}.", parts.join("; "))
}

fn format_value(x: f64, unit: &str) -> String {
    match unit {
        "µs" => format!("{x:.1} µs"),
        "s" => format!("{x:.2} s"),
        "recall" => format!("{x:.3}"),
        _ => format!("{x:.0}"),
    }
}
