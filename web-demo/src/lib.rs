//! mediakit-web: the browser's view of mediakit's core. [`ops`] is plain Rust
//! over core (tested natively); `bindings` exposes it to JavaScript through
//! wasm-bindgen and exists only in the wasm32 build.
//!
//! No rule lives here: validation is `mediakit_core::validate::inspect`,
//! resizing is `mediakit_image::thumbnail`, presets are
//! `mediakit_core::config::default_presets` — the very code the server runs.

pub mod ops;

#[cfg(target_arch = "wasm32")]
mod bindings;
