//! Sends `tracing` warnings and errors (the API logs every 5xx with its
//! detail, which clients never see) to the Workers console, where `wrangler
//! dev` prints them and `wrangler tail` streams them from production.
//! A few lines instead of tracing-subscriber, whose formatter reads the
//! system clock, which wasm32-unknown-unknown lacks.

use std::fmt::Write;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Metadata, Subscriber, span};

struct ConsoleSubscriber;

/// Installs the subscriber for this isolate (a no-op if one already is).
pub fn init() {
    let _ = tracing::subscriber::set_global_default(ConsoleSubscriber);
}

struct Line(String);

impl Visit for Line {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, " {value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            let _ = write!(self.0, " {value}");
        } else {
            let _ = write!(self.0, " {}={value}", field.name());
        }
    }
}

impl Subscriber for ConsoleSubscriber {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        *metadata.level() <= Level::WARN
    }

    fn new_span(&self, _: &span::Attributes<'_>) -> span::Id {
        span::Id::from_u64(1)
    }

    fn record(&self, _: &span::Id, _: &span::Record<'_>) {}

    fn record_follows_from(&self, _: &span::Id, _: &span::Id) {}

    fn event(&self, event: &Event<'_>) {
        let level = *event.metadata().level();
        let mut line = Line(format!("{level} {}:", event.metadata().target()));
        event.record(&mut line);
        if level == Level::ERROR {
            worker::console_error!("{}", line.0);
        } else {
            worker::console_warn!("{}", line.0);
        }
    }

    fn enter(&self, _: &span::Id) {}

    fn exit(&self, _: &span::Id) {}
}
