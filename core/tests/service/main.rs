//! The service's use cases through its API, over in-memory adapters: SQLite
//! `:memory:` for the catalog (the real SQL), a map for blobs, a clock that
//! moves only when told, seeded randomness, image work inline. No server,
//! no disk: each test builds its own service in milliseconds.

mod adapters;
mod batch;
mod budget;
mod dedup;
mod dedup_race;
mod file_body;
mod file_cache;
mod import;
mod lifecycle;
mod listing;
mod offload;
mod purge_race;
mod support;
mod tokens;
mod update;
mod upload;
