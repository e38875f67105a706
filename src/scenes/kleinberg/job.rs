//! The Kleinberg scene's experiments: the sweep of r for several lattice sides on a
//! background thread (each (side, r) routes its pairs on every core) with progress and
//! cancel, and Milgram's letters with a drop-out per hop.

use crate::engine::NoRecorder;
use crate::engine::rng::{SplitMix64, nth};
use crate::engine::smallworld::kleinberg::{Kleinberg, KleinbergParams};
use crate::engine::smallworld::{Hops, mean_hops};
use crate::scenes::worker::Worker;

/// What a sweep measures: mean greedy hops at each (side, r).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct KSweep {
    pub sides: Vec<u64>,
    pub rs: Vec<f64>,
    pub pairs: u64,
}

impl Default for KSweep {
    fn default() -> Self {
        Self {
            sides: vec![100, 1_000, 10_000, 100_000],
            rs: vec![0.0, 0.5, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0],
            pairs: 150,
        }
    }
}

/// A sweep running on a thread of its own: rows of mean hops, progress in pairs routed.
pub type SweepJob = Worker<Hops>;

/// Starts the sweep over `base`'s lattice (shape, p, q, seed) at every side and r.
pub fn start_sweep(base: KleinbergParams, sweep: &KSweep) -> Result<SweepJob, String> {
    let tasks: Vec<KleinbergParams> = sweep
        .sides
        .iter()
        .flat_map(|&side| {
            sweep
                .rs
                .iter()
                .map(move |&r| KleinbergParams { side, r, ..base })
        })
        .collect();
    if tasks.is_empty() || sweep.pairs == 0 {
        return Err("choose at least one side, one r and one pair".into());
    }
    if sweep.pairs > crate::engine::smallworld::MAX_PAIRS {
        return Err(format!(
            "at most {} pairs per (side, r)",
            crate::engine::smallworld::MAX_PAIRS
        ));
    }
    for t in &tasks {
        Kleinberg::new(*t).map_err(|e| e.to_string())?;
    }
    let total = sweep.pairs.saturating_mul(tasks.len() as u64);
    let pairs = sweep.pairs;
    Worker::spawn("kleinberg sweep", total, move |rep| {
        for t in tasks {
            match mean_hops(t, pairs, &rep.done, &rep.cancel) {
                Ok(Some(h)) => rep.push(h),
                Ok(None) => break,
                Err(e) => return Err(e.to_string()),
            }
        }
        Ok(())
    })
}

/// Milgram's letters: chains of greedy forwarding where each holder drops the letter with
/// probability `dropout`.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Letters {
    /// The side of the lattice the letters travelled on.
    pub side: u64,
    pub dropout: f64,
    pub sent: u64,
    pub arrived: u64,
    /// The hops every chain needed (what would be seen if nobody dropped out).
    pub lengths: Vec<u64>,
    /// The hops of the chains that arrived.
    pub arrived_lengths: Vec<u64>,
}

impl Letters {
    pub fn mean(v: &[u64]) -> f64 {
        v.iter().sum::<u64>() as f64 / v.len().max(1) as f64
    }
}

/// Sends `sent` letters between random pairs of the lattice.
pub fn send_letters(k: &Kleinberg, sent: u64, dropout: f64, seed: u64) -> Letters {
    let dropout = dropout.clamp(0.0, 0.99);
    let mut out = Letters {
        side: k.params().side,
        dropout,
        sent,
        ..Letters::default()
    };
    for i in 0..sent {
        let mut rng = SplitMix64::new(nth(seed ^ 0x1E77E5, i));
        let s = k.random_node(&mut rng);
        let mut t = k.random_node(&mut rng);
        while t == s {
            t = k.random_node(&mut rng);
        }
        let hops = k.route(s, t, &mut NoRecorder).hops;
        out.lengths.push(hops);
        // Every holder on the way forwards with probability 1 − dropout.
        let kept = (0..hops).all(|_| rng.unit_f64() >= dropout);
        if kept {
            out.arrived += 1;
            out.arrived_lengths.push(hops);
        }
    }
    out
}
