//! mediakit-server: the native host of mediakit's API.

pub mod adapters;
pub mod backend;
pub mod cli;
pub mod serve;
pub mod settings;
pub mod thumbnail_cmd;
pub mod token_cmd;
pub mod web_demo;
