//! Clock, randomness and CPU offload from the Workers runtime.

use mediakit_core::Result;
use mediakit_core::ports::{Clock, Entropy, Offload};

/// `Date.now()`. Workers advance it only across I/O (a Spectre
/// mitigation), so calls within one computation may return the same
/// millisecond; ids stay unique through their random bits and listings
/// break ties by the numeric id.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsClock;

impl Clock for JsClock {
    fn now_ms(&self) -> i64 {
        worker::js_sys::Date::now() as i64
    }
}

/// `crypto.getRandomValues` (getrandom's `wasm_js` backend).
#[derive(Clone, Copy, Debug, Default)]
pub struct JsEntropy;

impl Entropy for JsEntropy {
    fn fill(&self, buf: &mut [u8]) {
        // Without a secure random source ids and tokens would be guessable:
        // failing the request (a panic the worker shim reports) is the only
        // safe answer, and the Workers runtime always provides one.
        getrandom::fill(buf).expect("crypto.getRandomValues failed");
    }
}

/// An isolate has one thread: image work runs inline, in the request.
#[derive(Clone, Copy, Debug, Default)]
pub struct InlineOffload;

impl Offload for InlineOffload {
    async fn run<F, R>(&self, job: F) -> Result<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        Ok(job())
    }
}
