//! The native adapters of core's ports.

pub mod blobs;
pub mod catalog;
pub mod local_read;
pub mod postgres;
pub mod runtime;
pub mod sqlite;
pub mod temp_files;
