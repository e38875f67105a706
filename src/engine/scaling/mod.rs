//! The scaling lab's engine: build brute force, an exact k-d tree, NSW and HNSW over 1,000 to
//! 1,000,000 points, time their queries, count their distance computations and measure their
//! recall against the exact answers. GUI-free; the window's lab and `ann-explorer scale` run
//! the same [`run`], on a worker thread and on the terminal.
//!
//! A sweep is a list of tasks, one per (method, n), in order of n. Each task has its own
//! [`Progress`] (phase, done / total, elapsed, time left) and its own cancel; a cancelled task
//! stops within a few milliseconds and the rows already measured stay.

pub mod data;
pub mod memory;
mod methods;
mod progress;

use serde::{Deserialize, Serialize};

pub use data::{DataKind, Workload};
pub use methods::{Built, KEPT_MAX, hnsw_params};
pub use progress::{Progress, ProgressSnapshot};

/// A method the lab measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Brute,
    Kdtree,
    Nsw,
    Hnsw,
    Annoy,
}

impl Method {
    pub const ALL: [Method; 5] = [
        Method::Brute,
        Method::Kdtree,
        Method::Nsw,
        Method::Hnsw,
        Method::Annoy,
    ];

    /// The id used on the command line and in the CSV.
    pub fn id(self) -> &'static str {
        match self {
            Method::Brute => "brute",
            Method::Kdtree => "kdtree",
            Method::Nsw => "nsw",
            Method::Hnsw => "hnsw",
            Method::Annoy => "annoy",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Method::Brute => "brute force",
            Method::Kdtree => "k-d tree",
            Method::Nsw => "NSW",
            Method::Hnsw => "HNSW",
            Method::Annoy => "Annoy",
        }
    }

    pub fn parse(s: &str) -> Result<Self, LabError> {
        let s = s.trim().to_ascii_lowercase();
        Method::ALL
            .into_iter()
            .find(|m| m.id() == s || (s == "kd-tree" && *m == Method::Kdtree))
            .ok_or_else(|| {
                LabError::Bad(format!(
                    "unknown method '{s}': choose from brute, kdtree, nsw, hnsw, annoy"
                ))
            })
    }

    /// Exact methods have one setting; the graphs sweep `ef`.
    pub fn sweeps_ef(self) -> bool {
        matches!(self, Method::Nsw | Method::Hnsw)
    }

    /// The name of the setting a method sweeps, if any.
    pub fn setting_name(self) -> Option<&'static str> {
        match self {
            Method::Nsw | Method::Hnsw => Some("ef"),
            Method::Annoy => Some("search_k"),
            Method::Brute | Method::Kdtree => None,
        }
    }
}

/// What a sweep measures.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sweep {
    pub methods: Vec<Method>,
    pub sizes: Vec<usize>,
    pub dim: usize,
    pub data: DataKind,
    /// Queries per setting.
    pub queries: usize,
    pub k: usize,
    /// The `ef` of each graph setting (HNSW's `ef`, NSW's beam width).
    pub ef: Vec<usize>,
    /// HNSW's `M` (Mmax = M, Mmax0 = 2·M).
    pub m: usize,
    pub ef_construction: usize,
    /// NSW: links per insertion (Malkov 2014's f) and restarts of its insertion search (w).
    pub nsw_m: usize,
    pub nsw_w: u16,
    /// Annoy's trees and the `search_k` of each of its settings (candidates collected).
    pub n_trees: usize,
    pub search_k: Vec<usize>,
    /// Threads of the HNSW build and of the exact answers (queries are timed on one); 0 is
    /// every core of the machine running the sweep.
    pub threads: usize,
    pub seed: u64,
}

impl Default for Sweep {
    fn default() -> Self {
        Self {
            methods: Method::ALL.to_vec(),
            sizes: vec![1_000, 3_000, 10_000, 30_000, 100_000],
            dim: 2,
            data: DataKind::Uniform,
            queries: 200,
            k: 10,
            ef: vec![10, 32, 128],
            m: 16,
            ef_construction: 200,
            nsw_m: 10,
            nsw_w: 4,
            n_trees: 10,
            search_k: vec![100, 1_000, 10_000],
            threads: 0,
            seed: 1,
        }
    }
}

/// Most points a sweep takes (besides what memory allows).
pub const MAX_N: usize = 10_000_000;

/// One (method, n) of a sweep.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Task {
    pub method: Method,
    pub n: usize,
}

impl Row {
    /// The swept setting (ef, or Annoy's search_k), if the method has one.
    pub fn setting(&self) -> Option<usize> {
        self.ef.or(self.search_k)
    }

    /// "HNSW ef=32", "Annoy search_k=1000", "brute force".
    pub fn label(&self) -> String {
        match (self.method.setting_name(), self.setting()) {
            (Some(name), Some(v)) => format!("{} {name}={v}", self.method.name()),
            _ => self.method.name().to_string(),
        }
    }
}

impl std::fmt::Display for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} · n = {}",
            self.method.name(),
            thousands(self.n as u64)
        )
    }
}

impl Sweep {
    /// Why the sweep cannot run as asked, if so (memory is checked by [`memory::check`]).
    pub fn validate(&self) -> Result<(), LabError> {
        let bad = |s: String| Err(LabError::Bad(s));
        if self.methods.is_empty() {
            return bad("choose at least one method".into());
        }
        if self.sizes.is_empty() {
            return bad("give at least one size".into());
        }
        if let Some(&n) = self.sizes.iter().find(|&&n| !(2..=MAX_N).contains(&n)) {
            return bad(format!(
                "size {n} is out of range: sizes go from 2 to {}",
                thousands(MAX_N as u64)
            ));
        }
        if self.dim == 0 || self.dim > 4096 {
            return bad(format!("dimension {} is out of range 1..=4096", self.dim));
        }
        if self.methods.contains(&Method::Kdtree) && !super::kdtree::DIMS.contains(&self.dim) {
            return bad(format!(
                "the k-d tree takes dimensions {:?}, not {}",
                super::kdtree::DIMS,
                self.dim
            ));
        }
        if self.queries == 0 || self.queries > 1_000_000 {
            return bad("queries must be between 1 and 1,000,000".into());
        }
        if self.k == 0 || self.k > 1000 {
            return bad("k must be between 1 and 1000".into());
        }
        if let Some(&n) = self.sizes.iter().find(|&&n| n < self.k) {
            return bad(format!("size {n} is smaller than k = {}", self.k));
        }
        if self.methods.iter().any(|m| m.sweeps_ef()) && self.ef.is_empty() {
            return bad("give at least one ef for the graph methods".into());
        }
        if self.ef.contains(&0) {
            return bad("ef must be at least 1".into());
        }
        if self.m < 2 || self.m > 256 {
            return bad("M must be between 2 and 256".into());
        }
        if self.ef_construction == 0 {
            return bad("ef_construction must be at least 1".into());
        }
        if self.methods.contains(&Method::Annoy) {
            if !(1..=1000).contains(&self.n_trees) {
                return bad("n_trees must be between 1 and 1000".into());
            }
            if self.search_k.is_empty() || self.search_k.contains(&0) {
                return bad("give Annoy at least one search_k, each at least 1".into());
            }
        }
        if self.nsw_m == 0 || self.nsw_w == 0 {
            return bad("NSW's m and w must be at least 1".into());
        }
        if self.threads > 1024 {
            return bad("threads must be at most 1024".into());
        }
        Ok(())
    }

    /// The threads the sweep uses: [`Sweep::threads`], or every core for 0.
    pub fn effective_threads(&self) -> usize {
        if self.threads == 0 {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            self.threads
        }
    }

    /// The tasks, smallest n first, methods in the order given.
    pub fn tasks(&self) -> Vec<Task> {
        let mut sizes = self.sizes.clone();
        sizes.sort_unstable();
        sizes.dedup();
        let mut methods: Vec<Method> = Vec::new();
        for &m in &self.methods {
            if !methods.contains(&m) {
                methods.push(m);
            }
        }
        sizes
            .iter()
            .flat_map(|&n| methods.iter().map(move |&method| Task { method, n }))
            .collect()
    }

    /// The settings measured for a method: `ef` values for the graphs (each at least k, as
    /// the search runs them), one for the others.
    pub fn settings(&self, method: Method) -> Vec<Option<usize>> {
        if method == Method::Annoy {
            let mut sk = self.search_k.clone();
            sk.sort_unstable();
            sk.dedup();
            return sk.into_iter().map(Some).collect();
        }
        if method.sweeps_ef() {
            // A search keeps at least k candidates: an ef below k runs as ef = k.
            let mut ef: Vec<usize> = self.ef.iter().map(|&e| e.max(self.k)).collect();
            ef.sort_unstable();
            ef.dedup();
            ef.into_iter().map(Some).collect()
        } else {
            vec![None]
        }
    }
}

/// One measured (method, n, setting): a row of the CSV.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    pub method: Method,
    pub n: usize,
    pub dim: usize,
    pub k: usize,
    /// The setting in words, e.g. `M=16 ef_construction=200 ef=32`.
    pub params: String,
    pub build_s: f64,
    pub qps: f64,
    pub query_us: f64,
    /// Empty when the method does not report it (the k-d tree).
    pub distances_per_query: Option<f64>,
    pub recall: f64,
    pub ef: Option<usize>,
    /// Annoy's candidates collected per query.
    #[serde(default)]
    pub search_k: Option<usize>,
    pub data: DataKind,
    pub queries: usize,
    pub threads: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LabError {
    /// A setting out of range.
    Bad(String),
    /// More memory than the machine has free.
    Memory {
        needed: u64,
        available: u64,
        n: usize,
    },
    Cancelled,
    Failed(String),
}

impl std::fmt::Display for LabError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LabError::Bad(s) | LabError::Failed(s) => write!(f, "{s}"),
            LabError::Memory {
                needed,
                available,
                n,
            } => write!(
                f,
                "n = {} needs about {} but {} is free: choose smaller sizes or fewer dimensions",
                thousands(*n as u64),
                crate::engine::human_bytes(u128::from(*needed)),
                crate::engine::human_bytes(u128::from(*available))
            ),
            LabError::Cancelled => write!(f, "cancelled"),
        }
    }
}

impl std::error::Error for LabError {}

impl From<super::DataError> for LabError {
    fn from(e: super::DataError) -> Self {
        LabError::Failed(e.to_string())
    }
}

/// Runs `sweep`: each task in order, reporting its rows to `on_row` as they are measured.
/// `progress[i]` follows task `i` (and cancels it). Returns the data and indexes of the
/// largest n completed (for the lab's picture), or the first error that stops the sweep.
pub fn run(
    sweep: &Sweep,
    progress: &[std::sync::Arc<Progress>],
    mut on_row: impl FnMut(Row) + Send,
) -> Result<Option<Built>, LabError> {
    sweep.validate()?;
    memory::check(sweep)?;
    let tasks = sweep.tasks();
    let mut workload: Option<Workload> = None;
    // The picture keeps the largest size whose HNSW was built (or, without HNSW in the
    // sweep, the largest size measured): a cancelled 1M build leaves the 300k walk.
    let mut built: Option<Built> = None;
    let mut candidate: Option<Built> = None;
    let wants_hnsw = sweep.methods.contains(&Method::Hnsw);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(sweep.effective_threads())
        .build()
        .map_err(|e| LabError::Failed(e.to_string()))?;
    for (i, task) in tasks.iter().enumerate() {
        let Some(p) = progress.get(i) else { break };
        if p.is_cancelled() {
            p.finish();
            continue;
        }
        if workload.as_ref().is_none_or(|w| w.n() != task.n) {
            workload = None;
            candidate = None;
            p.phase("data and exact answers", task.n as u64);
            match pool.install(|| Workload::generate(sweep, task.n, p)) {
                Ok(w) => workload = Some(w),
                Err(LabError::Cancelled) => {
                    p.finish();
                    continue;
                }
                Err(e) => return Err(e),
            }
        }
        let Some(w) = workload.as_ref() else { continue };
        match pool.install(|| methods::measure(sweep, task.method, w, p, &mut on_row)) {
            Ok(index) if task.n <= KEPT_MAX => {
                let c = candidate.get_or_insert_with(|| Built::new(w));
                c.keep(index);
                if !wants_hnsw || c.hnsw.is_some() {
                    built = Some(c.clone());
                }
            }
            Ok(_) => {}
            Err(LabError::Cancelled) => {}
            Err(e) => {
                p.finish();
                return Err(e);
            }
        }
        p.finish();
    }
    Ok(built)
}

/// 1234567 as "1,234,567".
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// 1000 as "1k", 1000000 as "1M", 300000 as "300k".
pub fn short_n(n: usize) -> String {
    if n >= 1_000_000 && n.is_multiple_of(100_000) {
        let m = n as f64 / 1e6;
        format!("{}M", trim(m))
    } else if n >= 1000 && n.is_multiple_of(100) {
        format!("{}k", trim(n as f64 / 1e3))
    } else {
        n.to_string()
    }
}

fn trim(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}
