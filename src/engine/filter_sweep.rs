//! The selectivity sweep: every filter strategy on one HNSW graph at a range of selectivities
//! (the fraction of objects that match), recall@k against the exact filtered answer, distance
//! computations and results returned per query — and where a query planner should switch to
//! the exact scan. The filter is independent of position (a random property below the
//! selectivity), or correlated (the objects nearest the query match) or anti-correlated (the
//! furthest match) with the query's neighbourhood. `ann-explorer filter-bench` and the
//! vector-database view both run this code.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::filtered::{self, Strategy};
use super::hnsw::Hnsw;
use super::points::{Metric, PointId, Points};
use super::rng::SplitMix64;

/// How the matching objects lie relative to the query.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Correlation {
    /// A random property below the selectivity: matches are spread everywhere.
    #[default]
    Independent,
    /// The objects nearest the query match (a filter that agrees with the vector).
    Correlated,
    /// The objects furthest from the query match (a filter that fights the vector).
    Anti,
}

impl Correlation {
    pub const ALL: [Correlation; 3] = [
        Correlation::Independent,
        Correlation::Correlated,
        Correlation::Anti,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Correlation::Independent => "independent",
            Correlation::Correlated => "correlated",
            Correlation::Anti => "anti-correlated",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|c| c.name() == s || (s == "anti" && *c == Correlation::Anti))
    }
}

/// One strategy at one selectivity, averaged over the queries.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SweepRow {
    pub strategy: Strategy,
    pub selectivity: f64,
    pub correlation: Correlation,
    pub recall: f64,
    pub distances_per_query: f64,
    pub returned: f64,
}

/// What to sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepSpec {
    pub k: usize,
    pub ef: usize,
    pub selectivities: Vec<f64>,
    pub strategies: Vec<Strategy>,
    pub correlation: Correlation,
    pub seed: u64,
}

/// The random property the independent filter thresholds: uniform in [0, 1), one per object.
pub fn random_property(n: usize, seed: u64) -> Vec<f32> {
    let mut rng = SplitMix64::new(seed ^ 0xF1_17E5);
    (0..n).map(|_| rng.unit_f32()).collect()
}

/// Which objects match at selectivity `sel` for query `q`: those whose random property is
/// below `sel` (about sel · n), or exactly `⌈sel · n⌉` nearest or furthest.
pub fn mask_for(
    points: &Points,
    metric: Metric,
    q: &[f32],
    sel: f64,
    correlation: Correlation,
    property: &[f32],
) -> Vec<bool> {
    let n = points.len();
    match correlation {
        Correlation::Independent => property.iter().map(|&p| f64::from(p) < sel).collect(),
        Correlation::Correlated | Correlation::Anti => {
            let want = ((sel * n as f64).ceil() as usize).min(n);
            let mut order: Vec<(f32, u32)> = points
                .ids()
                .map(|id| (metric.eval(points.get(id), q), id.0))
                .collect();
            order.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            if correlation == Correlation::Anti {
                order.reverse();
            }
            let mut mask = vec![false; n];
            for &(_, id) in order.iter().take(want) {
                mask[id as usize] = true;
            }
            mask
        }
    }
}

/// The exact `k` nearest matching objects.
pub fn exact(points: &Points, metric: Metric, q: &[f32], k: usize, mask: &[bool]) -> Vec<PointId> {
    let mut all: Vec<(PointId, f32)> = points
        .ids()
        .filter(|id| mask.get(id.idx()).copied().unwrap_or(false))
        .map(|id| (id, metric.eval(points.get(id), q)))
        .collect();
    all.sort_by(|x, y| x.1.total_cmp(&y.1).then(x.0.cmp(&y.0)));
    all.into_iter().take(k).map(|r| r.0).collect()
}

/// Runs the sweep over `queries` (flat, `points.dim()` each), calling `on_row` as each
/// selectivity finishes (all strategies' rows for it). Stops early when `cancel` is set.
pub fn sweep_each(
    index: &Hnsw,
    points: &Points,
    metric: Metric,
    queries: &[f32],
    spec: &SweepSpec,
    cancel: &AtomicBool,
    mut on_row: impl FnMut(SweepRow),
) {
    let dim = points.dim();
    let property = random_property(points.len(), spec.seed);
    for &sel in &spec.selectivities {
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        // Per query: (recall, distances, returned) for every strategy, on every core.
        let per_query: Vec<Vec<(f64, f64, f64)>> = queries
            .par_chunks(dim)
            .map(|q| {
                if cancel.load(Ordering::Relaxed) {
                    return Vec::new();
                }
                let mask = mask_for(points, metric, q, sel, spec.correlation, &property);
                let truth = exact(points, metric, q, spec.k, &mask);
                spec.strategies
                    .iter()
                    .map(|&s| {
                        let r =
                            filtered::search(index, points, metric, q, spec.k, spec.ef, &mask, s);
                        let hit = r.results.iter().filter(|x| truth.contains(&x.0)).count();
                        let recall = if truth.is_empty() {
                            1.0
                        } else {
                            hit as f64 / truth.len() as f64
                        };
                        (
                            recall,
                            r.distance_computations as f64,
                            r.results.len() as f64,
                        )
                    })
                    .collect()
            })
            .collect();
        if cancel.load(Ordering::Relaxed) {
            return;
        }
        let nq = per_query.len().max(1) as f64;
        for (i, &s) in spec.strategies.iter().enumerate() {
            let sum = per_query.iter().fold((0.0, 0.0, 0.0), |a, r| {
                (a.0 + r[i].0, a.1 + r[i].1, a.2 + r[i].2)
            });
            on_row(SweepRow {
                strategy: s,
                selectivity: sel,
                correlation: spec.correlation,
                recall: sum.0 / nq,
                distances_per_query: sum.1 / nq,
                returned: sum.2 / nq,
            });
        }
    }
}

/// Where a planner should switch to the exact scan: the largest selectivity measured at which
/// the scan costs no more distances than the cheapest graph strategy that reaches
/// `recall_target` (or no graph strategy reaches it). `None` when the scan never wins.
pub fn switch_point(rows: &[SweepRow], recall_target: f64) -> Option<f64> {
    let mut sels: Vec<f64> = rows.iter().map(|r| r.selectivity).collect();
    sels.sort_by(f64::total_cmp);
    sels.dedup();
    sels.into_iter()
        .filter(|&s| {
            let at: Vec<&SweepRow> = rows.iter().filter(|r| r.selectivity == s).collect();
            let Some(scan) = at.iter().find(|r| r.strategy == Strategy::PreFilter) else {
                return false;
            };
            let graph = at
                .iter()
                .filter(|r| r.strategy != Strategy::PreFilter && r.recall >= recall_target)
                .map(|r| r.distances_per_query)
                .fold(f64::INFINITY, f64::min);
            scan.distances_per_query <= graph
        })
        .fold(None, |best: Option<f64>, s| {
            Some(best.map_or(s, |b| b.max(s)))
        })
}
