//! The native adapters of core's ports.

pub mod blobs;
pub mod runtime;
pub mod sqlite;
pub mod sqlx_catalog;
pub mod temp_files;
