//! mediakit-edge: mediakit as a Cloudflare Worker. The fetch handler hands
//! every request to the same axum Router (`mediakit_api::router`) and core
//! service as the native server, over edge adapters: R2 for blobs, D1 as
//! the catalog's SQL executor (the schema of `migrations/`), clock and
//! randomness from the JS runtime, image work inline.
//!
//! Only the portable parts ([`placeholders`], [`settings`]) build natively,
//! so that `cargo test --workspace` checks them; everything that touches the
//! Workers runtime is compiled for wasm32 alone (scripts/edge-build).

pub mod placeholders;
pub mod settings;

#[cfg(target_arch = "wasm32")]
mod backend;
#[cfg(target_arch = "wasm32")]
mod console_log;
#[cfg(target_arch = "wasm32")]
mod d1_executor;
#[cfg(target_arch = "wasm32")]
mod entry;
#[cfg(target_arch = "wasm32")]
mod r2_blobs;
#[cfg(target_arch = "wasm32")]
mod request_body;
#[cfg(target_arch = "wasm32")]
mod runtime;
#[cfg(target_arch = "wasm32")]
mod test_routes;
