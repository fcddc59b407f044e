//! mediakit-server: the native host of mediakit's API.

pub mod adapters;
pub mod backend;
pub mod cli;
pub mod commands;
pub mod http_server;
pub mod http_stack;
pub mod memory_budget;
pub mod metrics;
pub mod page_files;
pub mod progress;
pub mod request_ids;
pub mod settings;
pub mod signing_key;
pub mod stores;
pub mod web_demo;
