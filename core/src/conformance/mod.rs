//! Port conformance suites: one per port, run by every adapter's tests
//! against the real backend (SQLite, Postgres, D1, local disk, S3, R2).
//! They are plain async functions so that any executor can drive them.

pub mod blobs;
pub mod catalog;
