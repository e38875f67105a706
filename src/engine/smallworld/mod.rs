//! Small worlds, where "navigable" comes from: Kleinberg's lattice with long links ∝ d^−r and
//! greedy routing on it (`kleinberg`), and Watts–Strogatz's rewired ring with its clustering
//! and path length (`watts_strogatz`). The experiments here are what the scenes run on
//! background threads and `ann-explorer smallworld` runs on a terminal.

pub mod kleinberg;
pub mod watts_strogatz;

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rayon::prelude::*;

use super::points::DataError;
use super::recorder::NoRecorder;
use super::rng::{SplitMix64, nth};
use kleinberg::{Kleinberg, KleinbergParams};

/// Greedy routing's hops between random pairs on one lattice.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Hops {
    pub side: u64,
    pub r: f64,
    /// The lattice the pairs were routed on (its dimension is the navigable r).
    #[serde(default)]
    pub lattice: kleinberg::Lattice,
    #[serde(default = "one")]
    pub p: u32,
    #[serde(default = "one")]
    pub q: u32,
    pub pairs: u64,
    pub mean_hops: f64,
    /// Standard error of the mean.
    pub stderr: f64,
    /// Mean hops over long links.
    pub mean_long: f64,
    /// Mean lattice distance of the pairs.
    pub mean_distance: f64,
}

fn one() -> u32 {
    1
}

/// Most pairs per (side, r).
pub const MAX_PAIRS: u64 = 100_000;

/// Routes `pairs` random source–target pairs (distinct, seeded) on the lattice of `params`,
/// on every core; `done` counts the pairs routed, `cancel` stops early (`None` then).
pub fn mean_hops(
    params: KleinbergParams,
    pairs: u64,
    done: &AtomicU64,
    cancel: &AtomicBool,
) -> Result<Option<Hops>, DataError> {
    if !(1..=MAX_PAIRS).contains(&pairs) {
        return Err(DataError::BadParameter(format!(
            "pairs must be between 1 and {MAX_PAIRS} (got {pairs})"
        )));
    }
    let k = Kleinberg::new(params)?;
    // Sums, not a list: hops, hops², long hops, distances, routes.
    let zero = || [0.0f64; 5];
    let sums = (0..pairs)
        .into_par_iter()
        .fold(zero, |mut acc, i| {
            if cancel.load(Ordering::Relaxed) {
                return acc;
            }
            let mut rng = SplitMix64::new(nth(params.seed ^ 0x9A1F, i));
            let s = k.random_node(&mut rng);
            let mut t = k.random_node(&mut rng);
            while t == s {
                t = k.random_node(&mut rng);
            }
            let r = k.route(s, t, &mut NoRecorder);
            done.fetch_add(1, Ordering::Relaxed);
            let h = r.hops as f64;
            for (a, v) in acc
                .iter_mut()
                .zip([h, h * h, r.long_hops as f64, r.distance as f64, 1.0])
            {
                *a += v;
            }
            acc
        })
        .reduce(zero, |a, b| std::array::from_fn(|i| a[i] + b[i]));
    if cancel.load(Ordering::Relaxed) || sums[4] < pairs as f64 {
        return Ok(None);
    }
    let n = sums[4];
    let mean = sums[0] / n;
    let var = ((sums[1] - n * mean * mean) / (n - 1.0).max(1.0)).max(0.0);
    Ok(Some(Hops {
        side: params.side,
        r: params.r,
        lattice: params.lattice,
        p: params.p,
        q: params.q,
        pairs,
        mean_hops: mean,
        stderr: (var / n).sqrt(),
        mean_long: sums[2] / n,
        mean_distance: sums[3] / n,
    }))
}

/// The r with the fewest mean hops among `rows` of one side.
pub fn best_r(rows: &[Hops], side: u64) -> Option<f64> {
    rows.iter()
        .filter(|h| h.side == side)
        .min_by(|a, b| a.mean_hops.total_cmp(&b.mean_hops))
        .map(|h| h.r)
}

/// How links spread over distance scales: the share of links whose length falls in each
/// factor-of-two bin, for an NSW's links and for Kleinberg's law on the same points.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkScales {
    /// Each bin's geometric middle (a length).
    pub lengths: Vec<f64>,
    /// The NSW's links per bin (shares summing to 1).
    pub nsw: Vec<f64>,
    /// Links drawn ∝ d^−2 (Kleinberg's navigable law in 2-D), expected shares.
    pub law2: Vec<f64>,
    /// Links drawn uniformly (r = 0), expected shares.
    pub law0: Vec<f64>,
    pub n: usize,
    pub m: usize,
    /// Greedy walks on the same NSW from random entries to random queries (of at least 3
    /// hops): per tenth of the walk (its middle, 0.05 … 0.95), the mean length of the links
    /// taken there and how many hops fell in it.
    pub walk: Vec<(f64, f64, usize)>,
    pub walks: usize,
}

/// Builds an NSW (exact rule, `m` links per insertion) on `n` uniform points in the unit
/// square and bins its link lengths by factors of two, beside the expected shares of links
/// drawn from every point ∝ d^−2 and uniformly. O(n²): for a few thousand points.
pub fn nsw_link_scales(n: usize, m: usize, seed: u64) -> Result<LinkScales, DataError> {
    use super::nsw::{InsertRule, Nsw, NswParams};
    use super::points::{Metric, Points};
    if !(10..=5_000).contains(&n) {
        return Err(DataError::BadParameter(
            "between 10 and 5,000 points".into(),
        ));
    }
    let flat = super::scaling::data::draw(super::scaling::DataKind::Uniform, 2, n, seed, 0);
    let points = Points::new(2, flat)?;
    let (g, _) = Nsw::build(
        &points,
        NswParams {
            m,
            rule: InsertRule::Exact,
            metric: Metric::Euclidean,
            seed,
        },
        &mut NoRecorder,
    )?;
    let d = |a: usize, b: usize| {
        let (p, q) = (
            points.xy(super::PointId(a as u32)),
            points.xy(super::PointId(b as u32)),
        );
        f64::from((p[0] - q[0]).hypot(p[1] - q[1]))
    };
    // Bins of a factor of two from the shortest distance up to the square's diagonal.
    let lo = 0.25 / (n as f64).sqrt() / 4.0;
    let bins = ((2f64.sqrt() / lo).log2().ceil() as usize).max(1);
    let bin = |len: f64| ((len / lo).log2().floor().max(0.0) as usize).min(bins - 1);
    let mut nsw = vec![0.0; bins];
    let mut count = 0.0f64;
    for (a, b) in g.edges() {
        nsw[bin(d(a.idx(), b.idx()))] += 1.0;
        count += 1.0;
    }
    let mut law2 = vec![0.0; bins];
    let mut law0 = vec![0.0; bins];
    for u in 0..n {
        let mut row2 = vec![0.0; bins];
        let mut row0 = vec![0.0; bins];
        for v in (0..n).filter(|&v| v != u) {
            let len = d(u, v).max(1e-9);
            row2[bin(len)] += len.powi(-2);
            row0[bin(len)] += 1.0;
        }
        let (t2, t0): (f64, f64) = (row2.iter().sum(), row0.iter().sum());
        for i in 0..bins {
            law2[i] += row2[i] / t2 / n as f64;
            law0[i] += row0[i] / t0 / n as f64;
        }
    }
    // Greedy walks: the link length of each hop.
    let walks = 300;
    let mut sums = [(0.0f64, 0usize); 10];
    let mut rng = super::rng::SplitMix64::new(seed ^ 0x3A1C);
    let mut visited = super::search::Visited::new(n);
    for _ in 0..walks {
        let q = [rng.unit_f32(), rng.unit_f32()];
        let entry = super::PointId(rng.below(n as u64) as u32);
        let mut rec = super::VecRecorder::new(false);
        let mut dist = super::Dist::new(Metric::Euclidean);
        super::search::greedy(&g, &points, &mut dist, &q, entry, 0, &mut visited, &mut rec);
        let lens: Vec<f64> = rec
            .events
            .iter()
            .filter_map(|e| match e {
                super::Event::Move { from, to, .. } => Some(d(from.idx(), to.idx())),
                _ => None,
            })
            .collect();
        if lens.len() < 3 {
            continue;
        }
        for (i, len) in lens.iter().enumerate() {
            let b = (i * 10 / lens.len()).min(9);
            sums[b].0 += len;
            sums[b].1 += 1;
        }
    }
    Ok(LinkScales {
        lengths: (0..bins).map(|i| lo * 2f64.powf(i as f64 + 0.5)).collect(),
        nsw: nsw.iter().map(|c| c / count.max(1.0)).collect(),
        law2,
        law0,
        n,
        m,
        walk: sums
            .iter()
            .enumerate()
            .filter(|(_, c)| c.1 > 0)
            .map(|(i, &(s, c))| ((i as f64 + 0.5) / 10.0, s / c as f64, c))
            .collect(),
        walks,
    })
}
