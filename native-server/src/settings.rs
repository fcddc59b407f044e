//! Settings resolution: command-line flag or environment variable, then
//! `mediakit.toml`, then the built-in defaults. Nothing is required.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use mediakit_core::config::{DEFAULT_MAX_PIXELS, DEFAULT_MAX_UPLOAD_BYTES, DEFAULT_RETENTION_MS};
use serde::Deserialize;

use crate::cli::{ServeArgs, StoreArgs};

pub const DEFAULT_LISTEN: &str = "127.0.0.1:8080";
pub const DEFAULT_DATA: &str = "mediakit-data";
pub const DEFAULT_CONFIG: &str = "mediakit.toml";

/// The keys `mediakit.toml` may hold (all optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<SocketAddr>,
    pub data: Option<PathBuf>,
    pub max_upload_bytes: Option<u64>,
    pub max_pixels: Option<u64>,
    pub uploads: Option<bool>,
    /// Days a deleted item stays restorable before it is purged.
    pub retention_days: Option<u64>,
    /// Images processed at once (default: the number of CPUs).
    pub image_workers: Option<usize>,
    /// The web demo's directory, served at `/`.
    pub web_dir: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: SocketAddr,
    pub data: PathBuf,
    pub max_upload_bytes: u64,
    pub max_pixels: u64,
    pub uploads_enabled: bool,
    pub retention_ms: i64,
    pub image_workers: usize,
    pub web_dir: PathBuf,
}

impl Settings {
    pub fn database_file(&self) -> PathBuf {
        self.data.join("mediakit.db")
    }

    pub fn blobs_dir(&self) -> PathBuf {
        self.data.join("blobs")
    }

    pub fn admin_token_file(&self) -> PathBuf {
        self.data.join("admin-token")
    }
}

fn load_file(explicit: Option<&Path>) -> anyhow::Result<FileConfig> {
    let path = match explicit {
        Some(p) => p.to_path_buf(),
        None if Path::new(DEFAULT_CONFIG).exists() => PathBuf::from(DEFAULT_CONFIG),
        None => return Ok(FileConfig::default()),
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("reading the configuration file {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("in the configuration file {}", path.display()))
}

pub fn resolve_store(args: &StoreArgs) -> anyhow::Result<Settings> {
    resolve(args, None)
}

pub fn resolve_serve(args: &ServeArgs) -> anyhow::Result<Settings> {
    resolve(&args.store, Some(args))
}

fn resolve(store: &StoreArgs, serve: Option<&ServeArgs>) -> anyhow::Result<Settings> {
    let file = load_file(store.config.as_deref())?;
    let default_workers = std::thread::available_parallelism().map_or(2, usize::from);
    let settings = Settings {
        listen: serve
            .and_then(|s| s.listen)
            .or(file.listen)
            .unwrap_or_else(|| DEFAULT_LISTEN.parse().expect("valid default address")),
        data: store
            .data
            .clone()
            .or(file.data)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA)),
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
        web_dir: serve
            .and_then(|s| s.web_dir.clone())
            .or(file.web_dir)
            .unwrap_or_else(|| PathBuf::from(crate::web_demo::DEFAULT_WEB_DIR)),
    };
    anyhow::ensure!(
        settings.max_upload_bytes > 0,
        "max_upload_bytes must be positive"
    );
    anyhow::ensure!(settings.max_pixels > 0, "max_pixels must be positive");
    Ok(settings)
}
