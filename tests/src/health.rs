//! Watching `/healthz` while a test loads the server: a thread asks every
//! 50 ms and records how long each answer took and what went wrong. The
//! bound a test asserts is generous (seconds): it is about a server that
//! stops answering, not about speed, which is never asserted here.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How often `/healthz` is asked.
pub const POLL_EVERY: Duration = Duration::from_millis(50);

/// A running watch; [`HealthWatch::stop`] ends it and reports.
pub struct HealthWatch {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<HealthReport>,
}

/// What the watch saw.
#[derive(Debug, Default, Clone)]
pub struct HealthReport {
    pub polls: usize,
    pub slowest: Duration,
    /// Answers other than 200 `{"status":"ok"}`, and failed requests.
    pub failures: Vec<String>,
}

impl HealthWatch {
    /// Starts polling `{base}/healthz` at once.
    pub fn start(base: &str) -> HealthWatch {
        let url = format!("{}/healthz", base.trim_end_matches('/'));
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || watch(&url, &flag));
        HealthWatch { stop, thread }
    }

    /// Stops polling (after the poll in flight) and reports.
    pub fn stop(self) -> HealthReport {
        self.stop.store(true, Ordering::SeqCst);
        self.thread.join().expect("the health watch thread")
    }
}

fn watch(url: &str, stop: &AtomicBool) -> HealthReport {
    // Its own client and connections: the load must not queue it behind
    // the test's own requests on the client side.
    let client = reqwest::blocking::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("a client");
    let mut report = HealthReport::default();
    while !stop.load(Ordering::SeqCst) {
        let started = Instant::now();
        let outcome = client.get(url).send().and_then(|r| {
            let status = r.status();
            r.text().map(|body| (status, body))
        });
        let took = started.elapsed();
        report.polls += 1;
        report.slowest = report.slowest.max(took);
        match outcome {
            Ok((status, body)) if status == 200 && body.contains("\"ok\"") => {}
            Ok((status, body)) => report.failures.push(format!("{status}: {body}")),
            Err(e) => report.failures.push(format!("request failed: {e}")),
        }
        std::thread::sleep(POLL_EVERY.saturating_sub(took));
    }
    report
}

impl HealthReport {
    /// Every poll answered ok, none slower than `bound`, and there were
    /// polls at all.
    pub fn assert_prompt(&self, bound: Duration) {
        assert!(self.polls > 0, "the health watch never polled");
        assert!(
            self.failures.is_empty(),
            "/healthz failed during the load: {:?}",
            self.failures
        );
        assert!(
            self.slowest <= bound,
            "/healthz took {:?} to answer during the load (bound {bound:?}, {} polls)",
            self.slowest,
            self.polls
        );
    }
}
