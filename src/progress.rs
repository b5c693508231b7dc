//! The progress indicator: a spinner with the count of files read, on stderr, only when stderr
//! is a terminal and the scan has run for about a second (a quick scan, a pipe or a CI log never
//! sees it). Cleared before the report is written.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a scan runs before the spinner shows (`DATALOSS_SCAN_PROGRESS_DELAY_MS` changes it,
/// for tests).
const DELAY: Duration = Duration::from_millis(1000);

pub struct Spinner {
    stop: Option<mpsc::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Spinner {
    pub fn start(files: Arc<AtomicUsize>) -> Spinner {
        if !std::io::stderr().is_terminal() {
            return Spinner {
                stop: None,
                thread: None,
            };
        }
        let delay = std::env::var("DATALOSS_SCAN_PROGRESS_DELAY_MS")
            .ok()
            .and_then(|v| v.parse().ok())
            .map_or(DELAY, Duration::from_millis);
        let (tx, rx) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            if rx.recv_timeout(delay) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{spinner} scanning: {msg} files read ({elapsed})")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            loop {
                bar.set_message(files.load(Ordering::Relaxed).to_string());
                bar.tick();
                match rx.recv_timeout(Duration::from_millis(100)) {
                    Err(RecvTimeoutError::Timeout) => {}
                    _ => break,
                }
            }
            bar.finish_and_clear();
        });
        Spinner {
            stop: Some(tx),
            thread: Some(thread),
        }
    }

    /// Stop and clear the spinner (before anything else is written).
    pub fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
