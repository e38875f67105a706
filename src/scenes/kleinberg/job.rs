//! The Kleinberg scene's experiments: the sweep of r for several lattice sides on a
//! background thread (each (side, r) routes its pairs on every core) with progress and
//! cancel, and Milgram's letters with a drop-out per hop.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use crate::engine::NoRecorder;
use crate::engine::rng::{SplitMix64, nth};
use crate::engine::smallworld::kleinberg::{Kleinberg, KleinbergParams};
use crate::engine::smallworld::{Hops, mean_hops};

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

/// A sweep running on a thread of its own.
pub struct SweepJob {
    pub total: u64,
    pub done: Arc<AtomicU64>,
    cancel: Arc<AtomicBool>,
    rows: Arc<Mutex<Vec<Hops>>>,
    error: Arc<Mutex<Option<String>>>,
    handle: Option<JoinHandle<()>>,
    pub started: Instant,
}

impl SweepJob {
    /// Starts the sweep over `base`'s lattice (shape, p, q, seed) at every side and r.
    pub fn start(base: KleinbergParams, sweep: &KSweep) -> Result<Self, String> {
        let tasks: Vec<KleinbergParams> = sweep
            .sides
            .iter()
            .flat_map(|&side| sweep.rs.iter().map(move |&r| KleinbergParams { side, r, ..base }))
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
        let done = Arc::new(AtomicU64::new(0));
        let cancel = Arc::new(AtomicBool::new(false));
        let rows = Arc::new(Mutex::new(Vec::new()));
        let error = Arc::new(Mutex::new(None));
        let pairs = sweep.pairs;
        let (d, c, r, e) = (done.clone(), cancel.clone(), rows.clone(), error.clone());
        let handle = std::thread::Builder::new()
            .name("kleinberg sweep".into())
            .spawn(move || {
                for t in tasks {
                    match mean_hops(t, pairs, &d, &c) {
                        Ok(Some(h)) => {
                            if let Ok(mut rows) = r.lock() {
                                rows.push(h);
                            }
                        }
                        Ok(None) => return,
                        Err(err) => {
                            if let Ok(mut e) = e.lock() {
                                *e = Some(err.to_string());
                            }
                            return;
                        }
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(Self {
            total,
            done,
            cancel,
            rows,
            error,
            handle: Some(handle),
            started: Instant::now(),
        })
    }

    /// The rows measured so far.
    pub fn rows(&self) -> Vec<Hops> {
        self.rows.lock().map(|r| r.clone()).unwrap_or_default()
    }

    pub fn error(&self) -> Option<String> {
        self.error.lock().ok().and_then(|e| e.clone())
    }

    pub fn finished(&self) -> bool {
        self.handle.as_ref().is_none_or(|h| h.is_finished())
    }

    pub fn cancel(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }

    /// Done / total, and the seconds left at the rate so far.
    pub fn progress(&self) -> (f32, Option<f64>) {
        let done = self.done.load(Ordering::Relaxed);
        let frac = done as f32 / self.total.max(1) as f32;
        let secs = self.started.elapsed().as_secs_f64();
        let left = (done > 0).then(|| secs * (self.total - done.min(self.total)) as f64 / done as f64);
        (frac, left)
    }
}

impl Drop for SweepJob {
    fn drop(&mut self) {
        self.cancel();
    }
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
        let kept = (0..hops).all(|_| (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64 >= dropout);
        if kept {
            out.arrived += 1;
            out.arrived_lengths.push(hops);
        }
    }
    out
}
