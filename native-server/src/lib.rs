//! mediakit-server: the native host of mediakit's API.

pub mod adapters;
pub mod backend;
pub mod cli;
pub mod locations;
pub mod migrate_cmd;
pub mod migrate_database_cmd;
pub mod migrate_storage_cmd;
pub mod progress;
pub mod serve;
pub mod settings;
pub mod thumbnail_cmd;
pub mod token_cmd;
pub mod web_demo;
