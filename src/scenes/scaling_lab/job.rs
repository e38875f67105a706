//! A sweep running on a worker thread (its tasks' progress, cancel, the rows measured so
//! far), and the results as CSV and JSON. Egui-free: the lab's panel and `ann-explorer scale`
//! both use it.

use std::path::Path;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::engine::scaling::{self, Built, LabError, Progress, Row, Sweep, Task};

type Outcome = Result<Option<Built>, LabError>;

/// A sweep on a worker thread.
pub struct LabJob {
    pub sweep: Sweep,
    pub tasks: Vec<Task>,
    pub progress: Vec<Arc<Progress>>,
    rows: Arc<Mutex<Vec<Row>>>,
    handle: Option<JoinHandle<Outcome>>,
    outcome: Option<Outcome>,
}

impl LabJob {
    /// Checks the sweep (settings and memory) and starts it.
    pub fn start(sweep: Sweep) -> Result<Self, LabError> {
        sweep.validate()?;
        scaling::memory::check(&sweep)?;
        let tasks = sweep.tasks();
        let progress: Vec<Arc<Progress>> = tasks.iter().map(|_| Arc::default()).collect();
        let rows = Arc::new(Mutex::new(Vec::new()));
        let handle = {
            let (sweep, progress, rows) = (sweep.clone(), progress.clone(), rows.clone());
            std::thread::Builder::new()
                .name("scaling-lab".into())
                .spawn(move || {
                    scaling::run(&sweep, &progress, |row| {
                        rows.lock().unwrap_or_else(|p| p.into_inner()).push(row)
                    })
                })
                .map_err(|e| LabError::Failed(format!("cannot start a thread: {e}")))?
        };
        Ok(Self {
            sweep,
            tasks,
            progress,
            rows,
            handle: Some(handle),
            outcome: None,
        })
    }

    /// The rows measured so far.
    pub fn rows(&self) -> Vec<Row> {
        self.rows.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub fn row_count(&self) -> usize {
        self.rows.lock().unwrap_or_else(|p| p.into_inner()).len()
    }

    /// Whether the worker is still running.
    pub fn running(&self) -> bool {
        self.handle.as_ref().is_some_and(|h| !h.is_finished())
    }

    /// Once the worker has stopped: its outcome (taken once: the kept data and index).
    pub fn poll(&mut self) -> Option<&Outcome> {
        if let Some(h) = self.handle.take_if(|h| h.is_finished()) {
            self.outcome = Some(joined(h));
        }
        self.outcome.as_ref()
    }

    /// Waits for the worker to stop.
    pub fn wait(mut self) -> (Vec<Row>, Outcome) {
        if let Some(h) = self.handle.take() {
            self.outcome = Some(joined(h));
        }
        let rows = self.rows();
        (rows, self.outcome.take().unwrap_or(Ok(None)))
    }

    /// Cancels one task (the others go on).
    pub fn cancel_task(&self, i: usize) {
        if let Some(p) = self.progress.get(i) {
            p.cancel();
        }
    }

    /// Cancels every task not finished.
    pub fn cancel_all(&self) {
        for p in &self.progress {
            p.cancel();
        }
    }
}

/// The worker's outcome (a panic in it reads as a failure).
fn joined(h: JoinHandle<Outcome>) -> Outcome {
    h.join()
        .unwrap_or_else(|_| Err(LabError::Failed("the lab's thread failed".into())))
}

impl Drop for LabJob {
    /// A job dropped (a new sweep, another slide or file) is cancelled: its thread stops at
    /// its next check, within milliseconds, and is joined by a small reaper thread so the
    /// window never waits for it.
    fn drop(&mut self) {
        self.cancel_all();
        if let Some(h) = self.handle.take() {
            if h.is_finished() {
                let _ = h.join();
            } else {
                let _ = std::thread::Builder::new()
                    .name("scaling-lab-reaper".into())
                    .spawn(move || h.join());
            }
        }
    }
}

/// The CSV header: the columns the issue names first, then the context.
pub const CSV_COLUMNS: &[&str] = &[
    "method",
    "n",
    "dim",
    "k",
    "params",
    "build_s",
    "qps",
    "query_us",
    "distances_per_query",
    "recall",
    "ef",
    "search_k",
    "data",
    "queries",
    "threads",
];

/// The rows as CSV (one per method, n and setting; an empty cell where a method does not
/// report a figure).
pub fn to_csv(rows: &[Row]) -> Result<String, String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r).map_err(|e| e.to_string())?;
    }
    let bytes = w.into_inner().map_err(|e| e.to_string())?;
    String::from_utf8(bytes).map_err(|e| e.to_string())
}

/// Rows read back from [`to_csv`]'s text; an error names the line.
pub fn from_csv(text: &str) -> Result<Vec<Row>, String> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    r.deserialize()
        .enumerate()
        .map(|(i, row)| row.map_err(|e| format!("line {}: {e}", i + 2)))
        .collect()
}

/// The sweep and its rows as JSON.
pub fn to_json(sweep: &Sweep, rows: &[Row]) -> String {
    let v = serde_json::json!({ "sweep": sweep, "rows": rows });
    serde_json::to_string_pretty(&v).unwrap_or_default()
}

/// Writes the rows as CSV, or as JSON when the path ends in `.json`.
pub fn write_results(path: &Path, sweep: &Sweep, rows: &[Row]) -> Result<(), String> {
    let json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let text = if json {
        to_json(sweep, rows)
    } else {
        to_csv(rows)?
    };
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}
