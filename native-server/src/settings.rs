//! Settings resolution: command-line flag or environment variable, then
//! `mediakit.toml`, then the built-in defaults. Nothing is required.
//!
//! The configuration file is `--config FILE`, else `./mediakit.toml`, else
//! `mediakit.toml` inside the data directory given by `--data` or
//! `MEDIAKIT_DATA`: an instance directory can describe its own store, so
//! that `mediakit token create --data /srv/mediakit` reaches the same
//! database as the server running from there.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use mediakit_core::blob_cache::DEFAULT_BLOB_CACHE_BYTES;
use mediakit_core::catalog::DEFAULT_FILE_CACHE_TTL_MS;
use mediakit_core::config::{
    DEFAULT_FILE_CACHE_CONTROL, DEFAULT_IMAGE_DEADLINE_MS, DEFAULT_MAX_PIXELS,
    DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_RETENTION_MS, DEFAULT_UNLISTED_FILE_CACHE_CONTROL,
};
use serde::Deserialize;

use crate::cli::{ServeArgs, StoreArgs};
use crate::http_stack::Timeouts;
use crate::memory_budget::{self, MemoryBudget};
use crate::stores::{Database, S3Settings, Secret, Storage};

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA: &str = "mediakit-data";
pub const DEFAULT_CONFIG: &str = "mediakit.toml";
pub const DEFAULT_S3_REGION: &str = "us-east-1";
/// Database connections per instance (Postgres); SQLite uses its own pool.
pub const DEFAULT_DATABASE_CONNECTIONS: u32 = 16;

/// The keys `mediakit.toml` may hold (all optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<SocketAddr>,
    /// A second address serving only `/metrics`, without a token (for a
    /// private network).
    pub metrics_listen: Option<SocketAddr>,
    pub data: Option<PathBuf>,
    pub max_upload_bytes: Option<u64>,
    pub max_pixels: Option<u64>,
    pub uploads: Option<bool>,
    /// Days a deleted item stays restorable before it is purged.
    pub retention_days: Option<u64>,
    /// Images processed at once (default: the number of CPUs).
    pub image_workers: Option<usize>,
    /// Milliseconds processing one image may take before it is refused.
    pub image_deadline_ms: Option<u64>,
    /// A SQLite file (default `<data>/mediakit.db`) or a `postgres://` URL.
    pub database: Option<String>,
    /// Connections each instance keeps to Postgres.
    pub database_connections: Option<u32>,
    /// A directory (default `<data>/blobs`) or `s3://bucket[/prefix]`.
    pub storage: Option<String>,
    /// How to reach the S3-compatible service of an `s3://` storage.
    pub s3: Option<S3FileConfig>,
    /// A directory to serve the web page from, instead of the page built
    /// into the binary.
    pub web_dir: Option<PathBuf>,
    /// Seconds any request but an upload may take to be answered.
    pub request_timeout_secs: Option<u64>,
    /// Seconds a request body (an upload's too) may go without a byte.
    pub body_timeout_secs: Option<u64>,
    /// Seconds a client may take to send a request's headers (also how
    /// long an idle keep-alive connection stays open).
    pub header_timeout_secs: Option<u64>,
    /// MiB the uploads in progress may hold (default: a quarter of the
    /// machine's memory, at most 512).
    pub memory_budget_mib: Option<u64>,
    /// Uploads that may wait for room in the budget at once.
    pub upload_queue: Option<usize>,
    /// Milliseconds an upload waits for room before a 503.
    pub upload_queue_wait_ms: Option<u64>,
    /// Milliseconds a row read for a file request is trusted (0: off).
    /// Bounds how late a delete made by another instance is seen here.
    pub file_cache_ttl_ms: Option<u64>,
    /// MiB of small files (≤ 512 KiB each) kept in memory once served
    /// (0: off).
    pub file_memory_cache_mib: Option<u64>,
    /// `Cache-Control` of files of listed media.
    pub file_cache_control: Option<String>,
    /// `Cache-Control` of files of unlisted media.
    pub unlisted_file_cache_control: Option<String>,
}

/// `[s3]` in `mediakit.toml`. Environment variables win over it.
#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct S3FileConfig {
    pub endpoint: Option<String>,
    pub region: Option<String>,
    pub access_key_id: Option<String>,
    pub secret_access_key: Option<String>,
    pub session_token: Option<String>,
    pub virtual_hosted_style: Option<bool>,
}

impl std::fmt::Debug for S3FileConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("S3FileConfig")
            .field("endpoint", &self.endpoint)
            .field("region", &self.region)
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    /// See [`FileConfig::metrics_listen`].
    pub metrics_listen: Option<SocketAddr>,
    pub data: PathBuf,
    pub max_upload_bytes: u64,
    pub max_pixels: u64,
    pub uploads_enabled: bool,
    pub retention_ms: i64,
    pub image_workers: usize,
    pub image_deadline_ms: u64,
    pub database: Database,
    pub database_connections: u32,
    pub storage: Storage,
    /// The S3 connection settings, also for storage URLs given elsewhere
    /// (`mediakit migrate-storage --to s3://…`).
    pub s3: S3Settings,
    /// See [`FileConfig::web_dir`]; `None`: the built-in page.
    pub web_dir: Option<PathBuf>,
    pub timeouts: Timeouts,
    pub memory: MemoryBudget,
    /// See [`FileConfig::file_cache_ttl_ms`].
    pub file_cache_ttl_ms: i64,
    /// See [`FileConfig::file_memory_cache_mib`], in bytes.
    pub file_memory_cache_bytes: u64,
    pub file_cache_control: String,
    pub unlisted_file_cache_control: String,
}

impl Settings {
    /// The admin token of the instance that created it: always on local
    /// disk, whatever the storage.
    pub fn admin_token_file(&self) -> PathBuf {
        self.data.join("admin-token")
    }
}

fn load_file(explicit: Option<&Path>, data: Option<&Path>) -> anyhow::Result<FileConfig> {
    let in_data = data.map(|d| d.join(DEFAULT_CONFIG));
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None if Path::new(DEFAULT_CONFIG).exists() => PathBuf::from(DEFAULT_CONFIG),
        None => match in_data.filter(|p| p.exists()) {
            Some(p) => p,
            None => return Ok(FileConfig::default()),
        },
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading the configuration file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("in the configuration file {}", path.display()))
}

pub fn resolve_store(args: &StoreArgs) -> anyhow::Result<Settings> {
    resolve(args, None, &process_env)
}

pub fn resolve_serve(args: &ServeArgs) -> anyhow::Result<Settings> {
    resolve(&args.store, Some(args), &process_env)
}

fn process_env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The S3 settings: environment first (mediakit's own names, then the
/// AWS SDK's usual ones), then `[s3]`, then defaults.
fn resolve_s3(file: Option<S3FileConfig>, env: &dyn Fn(&str) -> Option<String>) -> S3Settings {
    let file = file.unwrap_or_default();
    let first = |names: &[&str]| names.iter().find_map(|n| env(n));
    S3Settings {
        endpoint: first(&[
            "MEDIAKIT_S3_ENDPOINT",
            "AWS_ENDPOINT_URL_S3",
            "AWS_ENDPOINT_URL",
        ])
        .or(file.endpoint),
        region: first(&["MEDIAKIT_S3_REGION", "AWS_REGION", "AWS_DEFAULT_REGION"])
            .or(file.region)
            .unwrap_or_else(|| DEFAULT_S3_REGION.to_owned()),
        access_key_id: first(&["AWS_ACCESS_KEY_ID"]).or(file.access_key_id),
        secret_access_key: first(&["AWS_SECRET_ACCESS_KEY"])
            .or(file.secret_access_key)
            .map(Secret::new),
        session_token: first(&["AWS_SESSION_TOKEN"])
            .or(file.session_token)
            .map(Secret::new),
        virtual_hosted_style: first(&["MEDIAKIT_S3_VIRTUAL_HOSTED_STYLE"])
            .map(|v| v == "true" || v == "1")
            .or(file.virtual_hosted_style)
            .unwrap_or(false),
    }
}

fn resolve(
    store: &StoreArgs,
    serve: Option<&ServeArgs>,
    env: &dyn Fn(&str) -> Option<String>,
) -> anyhow::Result<Settings> {
    let file = load_file(store.config.as_deref(), store.data.as_deref())?;
    let data = store
        .data
        .clone()
        .or(file.data)
        .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA));
    let s3 = resolve_s3(file.s3, env);
    let database = match store.database.as_deref().or(file.database.as_deref()) {
        Some(value) => Database::parse(value).context("in the database setting")?,
        None => Database::Sqlite(data.join("mediakit.db")),
    };
    let storage = match store.storage.as_deref().or(file.storage.as_deref()) {
        Some(value) => Storage::parse(value, &s3).context("in the storage setting")?,
        None => Storage::Local(data.join("blobs")),
    };
    let default_workers = std::thread::available_parallelism().map_or(2, usize::from);
    let settings = Settings {
        listen: serve
            .and_then(|s| s.listen)
            .or(file.listen)
            .unwrap_or_else(|| DEFAULT_LISTEN.parse().expect("valid default address")),
        metrics_listen: serve.and_then(|s| s.metrics_listen).or(file.metrics_listen),
        data,
        max_upload_bytes: serve
            .and_then(|s| s.max_upload_bytes)
            .or(file.max_upload_bytes)
            .unwrap_or(DEFAULT_MAX_UPLOAD_BYTES),
        max_pixels: serve
            .and_then(|s| s.max_pixels)
            .or(file.max_pixels)
            .unwrap_or(DEFAULT_MAX_PIXELS),
        uploads_enabled: !serve.is_some_and(|s| s.no_uploads) && file.uploads.unwrap_or(true),
        retention_ms: file.retention_days.map_or(DEFAULT_RETENTION_MS, |d| {
            i64::try_from(d).unwrap_or(36500) * 86_400_000
        }),
        image_workers: file.image_workers.unwrap_or(default_workers).max(1),
        image_deadline_ms: file.image_deadline_ms.unwrap_or(DEFAULT_IMAGE_DEADLINE_MS),
        database,
        database_connections: file
            .database_connections
            .unwrap_or(DEFAULT_DATABASE_CONNECTIONS),
        storage,
        s3,
        web_dir: serve.and_then(|s| s.web_dir.clone()).or(file.web_dir),
        timeouts: Timeouts {
            request: file
                .request_timeout_secs
                .map_or(Timeouts::default().request, Duration::from_secs),
            body_idle: file
                .body_timeout_secs
                .map_or(Timeouts::default().body_idle, Duration::from_secs),
            header_read: file
                .header_timeout_secs
                .map_or(Timeouts::default().header_read, Duration::from_secs),
        },
        memory: MemoryBudget {
            total_bytes: memory_budget::mib_to_bytes(
                serve
                    .and_then(|s| s.memory_budget_mib)
                    .or(file.memory_budget_mib)
                    .unwrap_or_else(memory_budget::default_mib),
            ),
            queue: serve
                .and_then(|s| s.upload_queue)
                .or(file.upload_queue)
                .unwrap_or(memory_budget::DEFAULT_QUEUE),
            queue_wait: serve
                .and_then(|s| s.upload_queue_wait_ms)
                .or(file.upload_queue_wait_ms)
                .map_or(memory_budget::DEFAULT_QUEUE_WAIT, Duration::from_millis),
        },
        file_cache_ttl_ms: file
            .file_cache_ttl_ms
            .map_or(DEFAULT_FILE_CACHE_TTL_MS, |ms| {
                i64::try_from(ms).unwrap_or(i64::MAX)
            }),
        file_memory_cache_bytes: file
            .file_memory_cache_mib
            .map_or(DEFAULT_BLOB_CACHE_BYTES, memory_budget::mib_to_bytes),
        file_cache_control: file
            .file_cache_control
            .unwrap_or_else(|| DEFAULT_FILE_CACHE_CONTROL.to_owned()),
        unlisted_file_cache_control: file
            .unlisted_file_cache_control
            .unwrap_or_else(|| DEFAULT_UNLISTED_FILE_CACHE_CONTROL.to_owned()),
    };
    for (key, value) in [
        ("file_cache_control", &settings.file_cache_control),
        (
            "unlisted_file_cache_control",
            &settings.unlisted_file_cache_control,
        ),
    ] {
        anyhow::ensure!(
            !value.is_empty() && value.bytes().all(|b| b == b' ' || b.is_ascii_graphic()),
            "{key} must be a Cache-Control header value (printable ASCII), not {value:?}"
        );
    }
    // One connection holds the bootstrap lock while another does the work.
    anyhow::ensure!(
        settings.database_connections >= 2,
        "database_connections must be at least 2"
    );
    anyhow::ensure!(
        settings.max_upload_bytes > 0,
        "max_upload_bytes must be positive"
    );
    anyhow::ensure!(settings.max_pixels > 0, "max_pixels must be positive");
    // Request bodies may hold half the budget: a body at the limit must fit.
    anyhow::ensure!(
        settings.memory.total_bytes / 2 >= settings.max_upload_bytes,
        "memory_budget_mib ({} MiB) must be at least twice max_upload_bytes: request \
         bodies may hold half of it",
        settings.memory.total_bytes / (1024 * 1024)
    );
    anyhow::ensure!(
        settings.image_deadline_ms > 0,
        "image_deadline_ms must be positive"
    );
    anyhow::ensure!(
        !settings.timeouts.request.is_zero()
            && !settings.timeouts.body_idle.is_zero()
            && !settings.timeouts.header_read.is_zero(),
        "request_timeout_secs, body_timeout_secs and header_timeout_secs must be positive"
    );
    Ok(settings)
}

#[cfg(test)]
mod tests;
