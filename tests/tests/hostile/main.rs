//! The hostile-input suite: attack files and requests built here, in code,
//! each answered with a clear 4xx JSON error and a stable code, nothing
//! stored, and the server still answering `/healthz` promptly. How long each
//! hostile request takes is measured by `scripts/bench-hostile`, never here.
//!
//! One module per attack class; the byte forgers live in
//! `mediakit_e2e::forge` so the benchmark script's generator shares them.

mod concurrent;
mod decoders;
mod metadata;
mod requests;
mod svg;
