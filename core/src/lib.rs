//! mediakit-core: every rule of mediakit, with no I/O, clock or randomness of
//! its own. Frontends (native server, edge worker, browser) plug adapters into
//! the [`ports`] and call the [`service`].

pub mod auth;
pub mod catalog;
pub mod config;
#[cfg(any(test, feature = "conformance"))]
pub mod conformance;
pub mod error;
pub mod ids;
pub mod image;
pub mod kind;
pub mod model;
pub mod ports;
pub mod service;
pub mod sniff;
pub mod svg;
#[cfg(feature = "testing")]
pub mod testing;
pub mod text;
pub mod time;
pub mod validate;

pub use error::{Error, ErrorCode, Result};
pub use kind::MediaKind;
