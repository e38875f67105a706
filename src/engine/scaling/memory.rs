//! How much memory a sweep needs, against what the machine has free: the lab refuses a size
//! it cannot hold before it starts instead of failing half-way through a build.

use super::{LabError, Method, Sweep};

/// Bytes the largest size of `sweep` needs at its peak: the data, queries and answers, the
/// picture's copy of the last HNSW, and the largest index being built.
pub fn estimate(sweep: &Sweep) -> (usize, u64) {
    let n = sweep.sizes.iter().copied().max().unwrap_or(0);
    let data = (n * sweep.dim * 4) as u64;
    let answers = (sweep.queries * (sweep.dim + sweep.k) * 4) as u64;
    let index = sweep
        .methods
        .iter()
        .map(|&m| index_bytes(sweep, m, n))
        .max()
        .unwrap_or(0);
    let kept = if sweep.methods.contains(&Method::Hnsw) {
        index_bytes(sweep, Method::Hnsw, n.min(super::KEPT_MAX))
    } else {
        0
    };
    // The parallel build's working sets: a visited mark per point for each thread.
    let scratch = if sweep.methods.contains(&Method::Hnsw) {
        (sweep.effective_threads() * n * 4) as u64
    } else {
        0
    };
    (n, data + answers + index + kept + scratch)
}

/// Bytes of one index over `n` points (besides the shared data).
pub fn index_bytes(sweep: &Sweep, method: Method, n: usize) -> u64 {
    let n = n as u64;
    let dim = sweep.dim as u64;
    match method {
        Method::Brute => 0,
        // kiddo's copy of the points (leaves of 32) and the rows handed to it.
        Method::Kdtree => n * (2 * dim * 4 + 8),
        // A Vec per node (24 bytes) holding about 2·m links of 4 bytes, doubled by growth.
        Method::Nsw => n * (24 + 4 * 4 * sweep.nsw_m as u64 + 8),
        // Its copy of the vectors, and per tree about n / K leaves and as many splits, each
        // split a normal of dim floats, the leaves n ids.
        Method::Annoy => {
            let trees = sweep.n_trees as u64;
            let k = (sweep.dim as u64 + 2).max(1);
            n * dim * 4 + trees * (n * 4 + (n / k + 1) * 2 * (dim * 4 + 48))
        }
        Method::Hnsw => {
            let m = sweep.m as u64;
            // Its copy of the vectors, layer 0's 2M + 1 slots, the upper layers (1/(M-1) of
            // the nodes on average, M + 1 slots each), levels, flags and the visited marks.
            let upper = n * (m + 1) * 4 / (m - 1).max(1);
            n * dim * 4 + n * (2 * m + 1) * 4 + upper + n * 11
        }
    }
}

/// Bytes the system can still give, if it says (Linux: `MemAvailable`; elsewhere unknown,
/// and the sweep is not refused in advance).
pub fn available() -> Option<u64> {
    // The window asks every frame: read the file at most once a second.
    use std::sync::Mutex;
    use std::time::{Duration, Instant};
    static LAST: Mutex<Option<(Instant, Option<u64>)>> = Mutex::new(None);
    let mut last = LAST.lock().unwrap_or_else(|p| p.into_inner());
    if let Some((at, v)) = *last
        && at.elapsed() < Duration::from_secs(1)
    {
        return v;
    }
    let v = read_available();
    *last = Some((Instant::now(), v));
    v
}

fn read_available() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = s.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Refuses a sweep whose estimate passes 80 % of the free memory.
pub fn check(sweep: &Sweep) -> Result<(), LabError> {
    let (n, needed) = estimate(sweep);
    match available() {
        Some(free) if needed > free / 10 * 8 => Err(LabError::Memory {
            needed,
            available: free,
            n,
        }),
        _ => Ok(()),
    }
}
