//! `ann-explorer filter-bench`: the four filter strategies on one HNSW graph at several
//! selectivities (a property uniform in [0, 1) per object, the filter `p < selectivity`):
//! recall@k against the exact filtered answer, distance computations per query and results
//! returned, as CSV.

use std::path::PathBuf;

use std::sync::atomic::AtomicBool;

use clap::Args;

use super::scale::{list, parse_size};
use crate::engine::filter_sweep::{Correlation, SweepRow, SweepSpec, sweep_each, switch_point};
use crate::engine::filtered::Strategy;
use crate::engine::hnsw::{Hnsw, HnswParams};
use crate::engine::scaling::{DataKind, data};
use crate::engine::{Metric, Points};

#[derive(Args, Debug, Clone)]
pub struct FilterBenchArgs {
    /// Objects (20k and 1M are understood).
    #[arg(long, default_value = "20000")]
    pub n: String,
    #[arg(long, default_value_t = 16)]
    pub dim: usize,
    #[arg(long, default_value_t = 10)]
    pub k: usize,
    /// The graph walks' width.
    #[arg(long, default_value_t = 64)]
    pub ef: usize,
    /// Fractions of the objects that match, comma-separated.
    #[arg(long, default_value = "0.5,0.1,0.01")]
    pub selectivity: String,
    /// Strategies, comma-separated: pre-filter, post-filter, in-walk, acorn-1.
    #[arg(long, default_value = "pre-filter,post-filter,in-walk,acorn-1")]
    pub strategies: String,
    #[arg(long, default_value_t = 200)]
    pub queries: usize,
    /// How the matches lie: independent (a random property), correlated (the objects nearest
    /// the query match) or anti-correlated (the furthest match).
    #[arg(long, default_value = "independent")]
    pub correlation: String,
    /// uniform or clusters.
    #[arg(long, default_value = "clusters")]
    pub data: String,
    /// HNSW's M.
    #[arg(long = "M", default_value_t = 16)]
    pub m: usize,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The rows as CSV.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(a: &FilterBenchArgs) -> Result<String, String> {
    let n = parse_size(&a.n)?;
    if !(2..=2_000_000).contains(&n) || !(1..=512).contains(&a.dim) || a.k == 0 {
        return Err("n must be 2 … 2,000,000, dim 1 … 512 and k at least 1".into());
    }
    let sels: Vec<f64> = list(&a.selectivity, |s| {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| (0.0..=1.0).contains(v) && *v > 0.0)
            .ok_or_else(|| format!("'{s}' is not a selectivity (a fraction in (0, 1])"))
    })?;
    let strategies: Vec<Strategy> = list(&a.strategies, |s| {
        Strategy::parse(s).ok_or_else(|| {
            format!("'{s}' is no strategy (pre-filter, post-filter, in-walk, acorn-1)")
        })
    })?;
    let correlation = Correlation::parse(&a.correlation).ok_or_else(|| {
        format!(
            "'{}' is no correlation (independent, correlated, anti-correlated)",
            a.correlation
        )
    })?;
    let kind = DataKind::parse(&a.data).map_err(|e| e.to_string())?;
    let points =
        Points::new(a.dim, data::draw(kind, a.dim, n, a.seed, 0)).map_err(|e| e.to_string())?;
    let m = a.m.clamp(2, 100);
    let params = HnswParams {
        m,
        m_max: m,
        m_max0: 2 * m,
        ef_construction: 200,
        ml: 1.0 / (m as f64).ln(),
        seed: a.seed,
        ..HnswParams::default()
    };
    let index = Hnsw::build_parallel(&points, params, 0, &|_| true).map_err(|e| e.to_string())?;
    let queries = data::draw(kind, a.dim, a.queries.max(1), a.seed, 1);
    let spec = SweepSpec {
        k: a.k,
        ef: a.ef,
        selectivities: sels,
        strategies,
        correlation,
        seed: a.seed,
    };
    let mut rows = Vec::new();
    let never = AtomicBool::new(false);
    sweep_each(
        &index,
        &points,
        Metric::Euclidean,
        &queries,
        &spec,
        &never,
        |r| rows.push(r),
    );
    let err = |e: csv::Error| format!("writing the CSV: {e}");
    let mut w = csv::Writer::from_path(&a.out).map_err(err)?;
    w.write_record([
        "strategy",
        "selectivity",
        "recall",
        "distances_per_query",
        "returned",
        "k",
        "ef",
        "n",
        "dim",
        "correlation",
    ])
    .map_err(err)?;
    let mut out = format!(
        "{:<12} {:>11} {:>7} {:>12} {:>9}\n",
        "strategy", "selectivity", "recall", "distances", "returned"
    );
    for r in &rows {
        w.write_record([
            r.strategy.name().to_string(),
            r.selectivity.to_string(),
            format!("{:.4}", r.recall),
            format!("{:.1}", r.distances_per_query),
            format!("{:.2}", r.returned),
            a.k.to_string(),
            a.ef.to_string(),
            n.to_string(),
            a.dim.to_string(),
            r.correlation.name().to_string(),
        ])
        .map_err(err)?;
        out.push_str(&format!(
            "{:<12} {:>11} {:>7.3} {:>12.0} {:>9.2}\n",
            r.strategy.name(),
            r.selectivity,
            r.recall,
            r.distances_per_query,
            r.returned
        ));
    }
    w.flush().map_err(|e| format!("writing the CSV: {e}"))?;
    if strategies_have_scan(&rows) {
        out.push_str(&match switch_point(&rows, PLANNER_RECALL) {
            Some(s) => format!(
                "planner: scan the matches up to {:.1} % matching (cheaper than any graph strategy reaching recall {PLANNER_RECALL}), walk the graph above\n",
                100.0 * s
            ),
            None => format!(
                "planner: the scan never beat a graph strategy reaching recall {PLANNER_RECALL}\n"
            ),
        });
    }
    out.push_str(&format!("wrote {}", a.out.display()));
    Ok(out)
}

/// Recall a planner asks of a graph strategy before preferring it to the scan (as the view).
const PLANNER_RECALL: f64 = 0.95;

fn strategies_have_scan(rows: &[SweepRow]) -> bool {
    rows.iter().any(|r| r.strategy == Strategy::PreFilter)
}
