//! The commands of the `mediakit` binary, one file each; `main.rs` parses
//! the command line ([`crate::cli`]) and dispatches here.

pub mod export;
pub mod gc;
pub mod import;
pub mod migrate;
pub mod migrate_database;
pub mod migrate_storage;
pub mod openapi;
pub mod serve;
pub mod thumbnail;
pub mod token;
