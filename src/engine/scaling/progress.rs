//! A task's progress, shared between the worker measuring it and whoever shows it.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Progress of one task: its phase ("build", "queries ef = 32"), done / total in the phase's
/// units, the time since the task started, and a cancel flag the worker polls.
#[derive(Debug, Default)]
pub struct Progress {
    done: AtomicU64,
    total: AtomicU64,
    cancel: AtomicBool,
    finished: AtomicBool,
    started: AtomicBool,
    times: Mutex<Times>,
}

#[derive(Debug, Default)]
struct Times {
    phase: String,
    task_start: Option<Instant>,
    phase_start: Option<Instant>,
    end: Option<Instant>,
}

/// What a progress bar shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgressSnapshot {
    pub phase: String,
    pub done: u64,
    pub total: u64,
    pub elapsed: Duration,
    /// Time left in this phase, estimated from its rate so far.
    pub left: Option<Duration>,
    pub started: bool,
    pub finished: bool,
    pub cancelled: bool,
}

impl ProgressSnapshot {
    pub fn fraction(&self) -> f32 {
        if self.total == 0 {
            0.0
        } else {
            (self.done as f64 / self.total as f64).clamp(0.0, 1.0) as f32
        }
    }
}

impl Progress {
    fn times(&self) -> std::sync::MutexGuard<'_, Times> {
        self.times.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Starts a phase of `total` units.
    pub fn phase(&self, name: &str, total: u64) {
        let now = Instant::now();
        let mut t = self.times();
        t.phase = name.to_string();
        t.phase_start = Some(now);
        t.task_start.get_or_insert(now);
        self.started.store(true, Ordering::Relaxed);
        self.done.store(0, Ordering::Relaxed);
        self.total.store(total, Ordering::Relaxed);
    }

    pub fn set(&self, done: u64) {
        self.done.store(done, Ordering::Relaxed);
    }

    pub fn add(&self, n: u64) {
        self.done.fetch_add(n, Ordering::Relaxed);
    }

    /// Asks the worker to stop this task.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// [`crate::engine::scaling::LabError::Cancelled`] if cancelled.
    pub fn check(&self) -> Result<(), super::LabError> {
        if self.is_cancelled() {
            Err(super::LabError::Cancelled)
        } else {
            Ok(())
        }
    }

    /// The worker is done with this task (measured, cancelled or failed).
    pub fn finish(&self) {
        self.times().end = Some(Instant::now());
        self.finished.store(true, Ordering::Relaxed);
    }

    pub fn snapshot(&self) -> ProgressSnapshot {
        let t = self.times();
        let now = t.end.unwrap_or_else(Instant::now);
        let done = self.done.load(Ordering::Relaxed);
        let total = self.total.load(Ordering::Relaxed);
        let elapsed = t.task_start.map_or(Duration::ZERO, |s| now - s);
        let finished = self.finished.load(Ordering::Relaxed);
        let left = match t.phase_start {
            Some(s) if done > 0 && done < total && !finished => {
                let spent = (now - s).as_secs_f64();
                Some(Duration::from_secs_f64(
                    spent * (total - done) as f64 / done as f64,
                ))
            }
            _ => None,
        };
        ProgressSnapshot {
            phase: t.phase.clone(),
            done,
            total,
            elapsed,
            left,
            started: self.started.load(Ordering::Relaxed),
            finished,
            cancelled: self.is_cancelled(),
        }
    }
}
