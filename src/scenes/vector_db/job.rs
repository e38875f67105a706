//! The view's two measurements on a background thread: the selectivity sweep (every strategy,
//! the filter independent of, correlated with and anti-correlated with the query's
//! neighbourhood) and recall against ef in 2 dimensions beside 64 on the same kind of data.

use std::sync::atomic::Ordering;

use rayon::prelude::*;

use super::query::Built;
use crate::engine::filter_sweep::{Correlation, SweepRow, SweepSpec, exact, sweep_each};
use crate::engine::filtered::Strategy;
use crate::engine::hnsw::{Hnsw, HnswParams, Scratch};
use crate::engine::rng::SplitMix64;
use crate::engine::scaling::{DataKind, data};
use crate::engine::{Metric, PointId, Points};
use crate::scenes::worker::Worker;

pub type SweepJob = Worker<SweepRow>;

/// The fractions of objects that match, log-spaced, each leaving at least one match.
pub fn selectivities(n: usize) -> Vec<f64> {
    [0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
        .into_iter()
        .filter(|&s| s * n as f64 >= 1.0)
        .collect()
}

/// Queries for the sweep: halfway between two random objects (inside the data, on no object).
pub fn sweep_queries(points: &Points, count: usize, seed: u64) -> Vec<f32> {
    let mut rng = SplitMix64::new(seed ^ 0x5EE9);
    let n = points.len() as u64;
    let mut out = Vec::with_capacity(count * points.dim());
    for _ in 0..count {
        let a = points.get(PointId((rng.next_u64() % n) as u32));
        let b = points.get(PointId((rng.next_u64() % n) as u32));
        out.extend(a.iter().zip(b).map(|(x, y)| (x + y) / 2.0));
    }
    out
}

/// Starts the selectivity sweep on the built collection: all three correlations.
pub fn start_sweep(
    b: &Built,
    k: usize,
    ef: usize,
    queries: usize,
    seed: u64,
) -> Result<SweepJob, String> {
    if b.coll.len() < 2 {
        return Err("the sweep needs at least 2 objects".into());
    }
    let sels = selectivities(b.coll.len());
    let (index, points, metric) = (b.index.clone(), b.coll.points.clone(), b.metric);
    let qs = sweep_queries(&points, queries.clamp(1, 1000), seed);
    let total = (sels.len() * Correlation::ALL.len()) as u64;
    Worker::spawn("filter sweep", total, move |rep| {
        for correlation in Correlation::ALL {
            let spec = SweepSpec {
                k,
                ef,
                selectivities: sels.clone(),
                strategies: Strategy::ALL.to_vec(),
                correlation,
                seed,
            };
            let mut seen = 0usize;
            sweep_each(&index, &points, metric, &qs, &spec, &rep.cancel, |row| {
                rep.push(row);
                seen += 1;
                if seen.is_multiple_of(Strategy::ALL.len()) {
                    rep.done.fetch_add(1, Ordering::Relaxed);
                }
            });
            if rep.cancel.load(Ordering::Relaxed) {
                return Ok(());
            }
        }
        Ok(())
    })
}

/// Recall@k of HNSW at one ef in one dimension.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct EfRow {
    pub dim: usize,
    pub ef: usize,
    pub recall: f64,
    pub distances_per_query: f64,
}

/// What the dimensions experiment measures.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct DimsSpec {
    pub n: usize,
    pub dims: Vec<usize>,
    pub efs: Vec<usize>,
    pub k: usize,
    #[serde(rename = "M")]
    pub m: usize,
    pub queries: usize,
    pub kind: DataKind,
    pub seed: u64,
}

impl Default for DimsSpec {
    fn default() -> Self {
        Self {
            n: 10_000,
            dims: vec![2, 64],
            efs: vec![10, 16, 24, 32, 48, 64, 128, 256],
            k: 10,
            m: 16,
            queries: 200,
            kind: DataKind::Uniform,
            seed: 1,
        }
    }
}

/// Measures recall@k against ef for every dimension (the same kind of data, the same n, M).
pub fn measure_dims(
    spec: &DimsSpec,
    cancel: &std::sync::atomic::AtomicBool,
    mut on_row: impl FnMut(EfRow),
) -> Result<(), String> {
    for &dim in &spec.dims {
        let points = Points::new(dim, data::draw(spec.kind, dim, spec.n, spec.seed, 0))
            .map_err(|e| e.to_string())?;
        let params = HnswParams {
            seed: spec.seed,
            ef_construction: 100,
            ..HnswParams::new(spec.m)
        };
        let index = Hnsw::build_parallel(&points, params, 0, &|_| !cancel.load(Ordering::Relaxed))
            .map_err(|e| e.to_string())?;
        if cancel.load(Ordering::Relaxed) {
            return Ok(());
        }
        let queries = data::draw(spec.kind, dim, spec.queries.max(1), spec.seed, 1);
        let all = vec![true; points.len()];
        let truth: Vec<Vec<PointId>> = queries
            .par_chunks(dim)
            .map(|q| exact(&points, Metric::Euclidean, q, spec.k, &all))
            .collect();
        for &ef in &spec.efs {
            let (mut hits, mut dists) = (0usize, 0u64);
            let mut scratch = Scratch::new(points.len());
            for (q, t) in queries.chunks(dim).zip(&truth) {
                let (found, stats) = index.search(q, spec.k, ef, &mut scratch);
                hits += found.iter().filter(|f| t.contains(&f.0)).count();
                dists += stats.distance_computations;
            }
            let nq = truth.len().max(1) as f64;
            on_row(EfRow {
                dim,
                ef,
                recall: hits as f64 / (nq * spec.k as f64),
                distances_per_query: dists as f64 / nq,
            });
            if cancel.load(Ordering::Relaxed) {
                return Ok(());
            }
        }
    }
    Ok(())
}

pub fn start_dims(spec: DimsSpec) -> Result<Worker<EfRow>, String> {
    if !(100..=200_000).contains(&spec.n) || spec.dims.iter().any(|d| !(1..=512).contains(d)) {
        return Err("the experiment takes 100 to 200,000 points of 1 to 512 dimensions".into());
    }
    if spec.k == 0 || spec.dims.is_empty() || spec.efs.is_empty() || spec.queries == 0 {
        return Err(
            "the experiment needs k ≥ 1, at least one dimension, one ef and one query".into(),
        );
    }
    let total = (spec.dims.len() * spec.efs.len()) as u64;
    Worker::spawn("dimensions", total, move |rep| {
        measure_dims(&spec, &rep.cancel, |row| {
            rep.push(row);
            rep.done.fetch_add(1, Ordering::Relaxed);
        })
    })
}
