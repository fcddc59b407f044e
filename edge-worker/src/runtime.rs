//! Clock and randomness from the Workers runtime (image work runs inline:
//! core's `InlineOffload`, an isolate has one thread).

use mediakit_core::ports::{Clock, Entropy};

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
