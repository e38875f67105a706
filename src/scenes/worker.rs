//! A scene's experiment on a thread of its own (the small-world sweeps): rows arrive as they
//! are measured, progress counts the units done, and dropping the worker cancels it and
//! waits for its thread — the rows it had are then discarded by whoever dropped it.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

/// What the experiment's body reports through.
pub struct Reporter<T> {
    /// Units done (pairs routed, values of p measured): the progress bar's numerator.
    pub done: Arc<AtomicU64>,
    /// Set when the worker is dropped: the body stops at its next check.
    pub cancel: Arc<AtomicBool>,
    rows: Arc<Mutex<Vec<T>>>,
}

impl<T> Reporter<T> {
    pub fn push(&self, row: T) {
        if let Ok(mut rows) = self.rows.lock() {
            rows.push(row);
        }
    }
}

/// An experiment running on its own thread.
pub struct Worker<T> {
    total: u64,
    done: Arc<AtomicU64>,
    cancel: Arc<AtomicBool>,
    rows: Arc<Mutex<Vec<T>>>,
    error: Arc<Mutex<Option<String>>>,
    handle: Option<JoinHandle<()>>,
    started: Instant,
}

impl<T: Clone + Send + 'static> Worker<T> {
    /// Runs `body` on a thread named `name`; `total` units make the bar full.
    pub fn spawn(
        name: &str,
        total: u64,
        body: impl FnOnce(&Reporter<T>) -> Result<(), String> + Send + 'static,
    ) -> Result<Self, String> {
        let reporter = Reporter {
            done: Arc::new(AtomicU64::new(0)),
            cancel: Arc::new(AtomicBool::new(false)),
            rows: Arc::new(Mutex::new(Vec::new())),
        };
        let (done, cancel, rows) = (
            reporter.done.clone(),
            reporter.cancel.clone(),
            reporter.rows.clone(),
        );
        let error = Arc::new(Mutex::new(None));
        let e = error.clone();
        let handle = std::thread::Builder::new()
            .name(name.into())
            .spawn(move || {
                if let Err(err) = body(&reporter)
                    && let Ok(mut e) = e.lock()
                {
                    *e = Some(err);
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
    pub fn rows(&self) -> Vec<T> {
        self.rows.lock().map(|r| r.clone()).unwrap_or_default()
    }

    /// How many rows so far (without copying them: for a frame's key).
    pub fn count(&self) -> usize {
        self.rows.lock().map_or(0, |r| r.len())
    }

    /// The job in `slot`, once it has finished: its rows and its error, the slot emptied.
    pub fn take_finished(slot: &mut Option<Self>) -> Option<(Vec<T>, Option<String>)> {
        if !slot.as_ref()?.finished() {
            return None;
        }
        let job = slot.take()?;
        Some((job.rows(), job.error()))
    }

    pub fn error(&self) -> Option<String> {
        self.error.lock().ok().and_then(|e| e.clone())
    }

    pub fn finished(&self) -> bool {
        self.handle.as_ref().is_none_or(|h| h.is_finished())
    }

    /// Done / total, and the seconds left at the rate so far.
    pub fn progress(&self) -> (f32, Option<f64>) {
        let done = self.done.load(Ordering::Relaxed).min(self.total);
        let frac = done as f32 / self.total.max(1) as f32;
        let secs = self.started.elapsed().as_secs_f64();
        let left = (done > 0).then(|| secs * (self.total - done) as f64 / done as f64);
        (frac, left)
    }
}

impl<T> Drop for Worker<T> {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
