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
    pub pairs: u64,
    pub mean_hops: f64,
    /// Standard error of the mean.
    pub stderr: f64,
    /// Mean hops over long links.
    pub mean_long: f64,
    /// Mean lattice distance of the pairs.
    pub mean_distance: f64,
}

/// Routes `pairs` random source–target pairs (distinct, seeded) on the lattice of `params`,
/// on every core; `done` counts the pairs routed, `cancel` stops early (`None` then).
pub fn mean_hops(
    params: KleinbergParams,
    pairs: u64,
    done: &AtomicU64,
    cancel: &AtomicBool,
) -> Result<Option<Hops>, DataError> {
    if pairs == 0 {
        return Err(DataError::BadParameter("pairs must be at least 1".into()));
    }
    let k = Kleinberg::new(params)?;
    let routes: Vec<Option<(u64, u64, u64)>> = (0..pairs)
        .into_par_iter()
        .map(|i| {
            if cancel.load(Ordering::Relaxed) {
                return None;
            }
            let mut rng = SplitMix64::new(nth(params.seed ^ 0x9A1F, i));
            let s = k.random_node(&mut rng);
            let mut t = k.random_node(&mut rng);
            while t == s {
                t = k.random_node(&mut rng);
            }
            let r = k.route(s, t, &mut NoRecorder);
            done.fetch_add(1, Ordering::Relaxed);
            Some((r.hops, r.long_hops, r.distance))
        })
        .collect();
    let Some(routes) = routes.into_iter().collect::<Option<Vec<_>>>() else {
        return Ok(None);
    };
    let n = routes.len() as f64;
    let mean = routes.iter().map(|r| r.0 as f64).sum::<f64>() / n;
    let var = routes
        .iter()
        .map(|r| (r.0 as f64 - mean).powi(2))
        .sum::<f64>()
        / (n - 1.0).max(1.0);
    Ok(Some(Hops {
        side: params.side,
        r: params.r,
        pairs,
        mean_hops: mean,
        stderr: (var / n).sqrt(),
        mean_long: routes.iter().map(|r| r.1 as f64).sum::<f64>() / n,
        mean_distance: routes.iter().map(|r| r.2 as f64).sum::<f64>() / n,
    }))
}

/// The r with the fewest mean hops among `rows` of one side.
pub fn best_r(rows: &[Hops], side: u64) -> Option<f64> {
    rows.iter()
        .filter(|h| h.side == side)
        .min_by(|a, b| a.mean_hops.total_cmp(&b.mean_hops))
        .map(|h| h.r)
}
