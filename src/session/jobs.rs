//! Background jobs: a figure or an animation made on a worker thread, with its progress and
//! a cancel. The window polls it; the command line waits for it. One place spawns them.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::thread::JoinHandle;

use super::figure::{self, Figure, FigureError, Job, Made, Progress};

/// A figure being made and written on a worker thread.
pub struct ExportJob {
    pub progress: Arc<Progress>,
    pub out: PathBuf,
    handle: JoinHandle<Result<Made, FigureError>>,
}

impl ExportJob {
    /// Starts making `job` of `fig` and writing it to `out` (atomically: nothing is written
    /// if it fails or is cancelled).
    pub fn start(fig: Figure, job: Job, out: PathBuf) -> Self {
        let progress = Arc::new(Progress::default());
        let handle = {
            let progress = progress.clone();
            let out = out.clone();
            std::thread::spawn(move || figure::export(&fig, &job, &out, &progress))
        };
        Self {
            progress,
            out,
            handle,
        }
    }

    pub fn is_finished(&self) -> bool {
        self.handle.is_finished()
    }

    /// Asks the worker to stop at the next frame.
    pub fn cancel(&self) {
        self.progress.cancel();
    }

    pub fn out(&self) -> &Path {
        &self.out
    }

    /// Waits for the worker and returns what it made.
    pub fn wait(self) -> Result<Made, FigureError> {
        self.handle
            .join()
            .unwrap_or_else(|_| Err(FigureError::Io("the export thread failed".into())))
    }
}
