//! mediakit-core: every rule of mediakit, with no I/O, clock or randomness of
//! its own. Frontends (native server, edge worker, browser) plug adapters into
//! the [`ports`] and call the [`service`]. Files are told, parsed and
//! rendered by the image crate (`mediakit_image`), which [`validate`] and the
//! upload use.

pub mod admission;
pub mod auth;
pub mod blob_cache;
pub mod catalog;
pub mod config;
#[cfg(any(test, feature = "conformance"))]
pub mod conformance;
pub mod error;
pub mod ids;
pub mod metadata;
pub mod model;
pub mod ports;
pub mod rendition;
pub mod service;
pub mod statement;
#[cfg(feature = "testing")]
pub mod testing;
pub mod time;
pub mod validate;

pub use error::{Error, ErrorCode, Result};
pub use mediakit_image::MediaKind;
