//! The lab's data: uniform or clustered points in any dimension, queries from the same
//! distribution, and their exact k nearest (by brute force, on every thread, untimed).
//! Seeded: the points of size n are the first n of a larger size, so the curves compare like
//! with like.

use std::sync::Arc;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::{LabError, Progress, Sweep};
use crate::engine::brute::top_k_l2;
use crate::engine::{PointId, Points};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DataKind {
    /// Uniform in the unit cube.
    #[default]
    Uniform,
    /// Twenty Gaussian clusters (σ = 0.05 along each axis) around centres uniform in the cube.
    Clusters,
}

impl DataKind {
    pub fn id(self) -> &'static str {
        match self {
            DataKind::Uniform => "uniform",
            DataKind::Clusters => "clusters",
        }
    }

    pub fn parse(s: &str) -> Result<Self, LabError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "uniform" => Ok(DataKind::Uniform),
            "clusters" | "clustered" => Ok(DataKind::Clusters),
            other => Err(LabError::Bad(format!(
                "unknown data '{other}': choose uniform or clusters"
            ))),
        }
    }
}

const CLUSTERS: usize = 20;
const SIGMA: f32 = 0.05;

/// [`draw`] of the data (stream 0), in slices, stopping if the task is cancelled.
fn draw_checked(
    kind: DataKind,
    dim: usize,
    count: usize,
    seed: u64,
    progress: &Progress,
) -> Result<Vec<f32>, LabError> {
    let mut stream = Drawer::new(kind, dim, seed, 0);
    let mut out = Vec::with_capacity(count * dim);
    let mut left = count;
    while left > 0 {
        progress.check()?;
        let take = left.min(1 << 16);
        stream.extend(&mut out, take);
        left -= take;
    }
    Ok(out)
}

/// `count` points of `dim` dimensions drawn from `kind`, from the stream `seed`.
pub fn draw(kind: DataKind, dim: usize, count: usize, seed: u64, stream: u64) -> Vec<f32> {
    let mut d = Drawer::new(kind, dim, seed, stream);
    let mut out = Vec::with_capacity(count * dim);
    d.extend(&mut out, count);
    out
}

/// A seeded stream of points.
struct Drawer {
    kind: DataKind,
    dim: usize,
    centres: Vec<f32>,
    rng: Pcg64Mcg,
}

impl Drawer {
    fn new(kind: DataKind, dim: usize, seed: u64, stream: u64) -> Self {
        let mut centres = Pcg64Mcg::seed_from_u64(seed ^ 0xC1C1_C1C1);
        let centres: Vec<f32> = (0..CLUSTERS * dim).map(|_| centres.random()).collect();
        let rng = Pcg64Mcg::seed_from_u64(seed.wrapping_add(stream.wrapping_mul(0x9E37_79B9)));
        Self {
            kind,
            dim,
            centres,
            rng,
        }
    }

    fn extend(&mut self, out: &mut Vec<f32>, count: usize) {
        let dim = self.dim;
        for _ in 0..count {
            match self.kind {
                DataKind::Uniform => out.extend((0..dim).map(|_| self.rng.random::<f32>())),
                DataKind::Clusters => {
                    let c = self.rng.random_range(0..CLUSTERS);
                    for a in 0..dim {
                        out.push(self.centres[c * dim + a] + SIGMA * gaussian(&mut self.rng));
                    }
                }
            }
        }
    }
}

/// A standard normal draw (Box–Muller).
fn gaussian(rng: &mut Pcg64Mcg) -> f32 {
    let u: f32 = 1.0 - rng.random::<f32>();
    let v: f32 = rng.random();
    (-2.0 * u.ln()).sqrt() * (std::f32::consts::TAU * v).cos()
}

/// The data, the queries and the exact answers of one size.
#[derive(Clone, Debug)]
pub struct Workload {
    pub points: Arc<Points>,
    /// `queries × dim` numbers.
    pub queries: Vec<f32>,
    /// The exact `k` nearest ids of each query, nearest first (`queries × k`).
    pub truth: Vec<u32>,
    pub k: usize,
}

impl Workload {
    pub fn n(&self) -> usize {
        self.points.len()
    }

    pub fn dim(&self) -> usize {
        self.points.dim()
    }

    pub fn query_count(&self) -> usize {
        self.queries.len() / self.dim().max(1)
    }

    pub fn query(&self, i: usize) -> &[f32] {
        let d = self.dim();
        &self.queries[i * d..(i + 1) * d]
    }

    pub fn truth(&self, i: usize) -> &[u32] {
        &self.truth[i * self.k..(i + 1) * self.k]
    }

    /// Draws the data of size `n` and finds the exact answers, on the current thread pool.
    pub fn generate(sweep: &Sweep, n: usize, progress: &Progress) -> Result<Self, LabError> {
        let dim = sweep.dim;
        let data = draw_checked(sweep.data, dim, n, sweep.seed, progress)?;
        let queries = draw(sweep.data, dim, sweep.queries, sweep.seed, 1);
        let points = Points::new(dim, data)?;
        progress.phase("exact answers", sweep.queries as u64);
        let k = sweep.k;
        let truth: Vec<Vec<u32>> = queries
            .par_chunks(dim)
            .map(|q| {
                progress.check()?;
                let mut heap = Vec::new();
                top_k_l2(&points, q, k, &mut heap);
                progress.add(1);
                Ok(heap.iter().map(|r: &(PointId, f32)| r.0.0).collect())
            })
            .collect::<Result<_, LabError>>()?;
        Ok(Self {
            points: Arc::new(points),
            queries,
            truth: truth.concat(),
            k,
        })
    }

    /// Recall@k of `found` (ids per query) against the exact answers.
    pub fn recall(&self, found: &[Vec<u32>]) -> f64 {
        let mut hits = 0usize;
        for (i, f) in found.iter().enumerate() {
            let t = self.truth(i);
            hits += f.iter().filter(|id| t.contains(id)).count();
        }
        hits as f64 / (found.len().max(1) * self.k) as f64
    }
}
