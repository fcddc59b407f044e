//! Conformance suites, run by every adapter's tests against the real backend:
//! the blob store port (local disk, S3, R2, in memory) and the catalog over
//! each SQL executor (SQLite, Postgres, D1). They are plain async functions
//! so that any async runtime can drive them. Behind the `conformance`
//! feature: only the builds that run them compile them.

pub mod blobs;
pub mod catalog;
