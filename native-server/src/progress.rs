//! Progress of a long command: a bar on a terminal, a line every 5 % (and
//! at the end) otherwise, so that logs and scripts see it too.

use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    total: u64,
    what: &'static str,
    bar: Option<ProgressBar>,
    /// (done, last percentage step printed) when there is no bar.
    lines: Mutex<(u64, u64)>,
}

impl Progress {
    pub fn new(total: u64, what: &'static str) -> Self {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template(
                    "{elapsed_precise} [{wide_bar}] {pos}/{len} {msg} ({eta} left)",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_message(what);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Self {
            total,
            what,
            bar,
            lines: Mutex::new((0, 0)),
        }
    }

    /// One more item done.
    pub fn inc(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
            return;
        }
        let mut lines = self.lines.lock().unwrap_or_else(|e| e.into_inner());
        lines.0 += 1;
        let step = lines.0 * 20 / self.total.max(1);
        if step > lines.1 {
            lines.1 = step;
            eprintln!(
                "progress: {} of {} {} ({} %)",
                lines.0,
                self.total,
                self.what,
                lines.0 * 100 / self.total.max(1)
            );
        }
    }

    pub fn finish(&self) {
        // The caller prints a summary; a finished bar would share its line.
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
