//! The HTTP surface; see the crate description.
