//! Command-line interface.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "mediakit",
    version,
    about = "Self-hosted media management service"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log lines as human-readable text or as one JSON object per line
    /// (for log shippers). Levels come from MEDIAKIT_LOG (default `info`).
    #[arg(
        long,
        global = true,
        env = "MEDIAKIT_LOG_FORMAT",
        default_value = "text"
    )]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (defaults: 127.0.0.1:8080, data in ./mediakit-data).
    Serve(ServeArgs),
    /// Manage API tokens directly in the data directory.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Resize images with the upload pipeline (like vipsthumbnail).
    Thumbnail(ThumbnailArgs),
    /// Purge media deleted longer ago than the retention window, and remove
    /// orphaned files, now.
    Gc(StoreArgs),
    /// Bring the database schema up to date, then exit (`serve` also does
    /// it at start; this is for upgrading before a rolling restart).
    Migrate(StoreArgs),
    /// Copy every blob from the current storage to another (local disk or
    /// S3), verifying each copy by hash. Safe to interrupt and re-run: what
    /// is already copied is checked, not copied again.
    MigrateStorage(MigrateStorageArgs),
    /// Copy every row of the current database (media with their numeric
    /// ids, tokens, tasks) to another one, e.g. SQLite to Postgres. Safe to
    /// re-run: rows already there are compared, not copied again.
    MigrateDatabase(MigrateDatabaseArgs),
    /// Write every live item's stored original and a JSON sidecar of its
    /// metadata into DIR (`<id>.<ext>`, `<id>.json`). Safe to re-run: files
    /// already there and unchanged are kept.
    Export(ExportArgs),
    /// Upload files and folders (recursively), several at once, skipping
    /// files the library already holds; restores what `export` wrote
    /// (its ids, times and metadata). Safe to interrupt and re-run.
    Import(ImportArgs),
    /// Print the OpenAPI 3.1 description of the REST API (the document
    /// served at /api/v1/openapi.json), e.g. to generate a client offline.
    Openapi,
}

/// Where the data lives; shared by every command that opens the store.
/// S3 connection settings come from the environment (`MEDIAKIT_S3_ENDPOINT`,
/// `MEDIAKIT_S3_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`) or
/// `[s3]` in mediakit.toml, never from flags (they would show in `ps`).
#[derive(Debug, Clone, Args)]
pub struct StoreArgs {
    /// Data directory (default database and files, the admin token).
    #[arg(long, env = "MEDIAKIT_DATA")]
    pub data: Option<PathBuf>,
    /// Metadata database: a SQLite file (default <data>/mediakit.db) or
    /// postgres://user:password@host/db (prefer the environment variable
    /// for URLs with a password).
    #[arg(long, env = "MEDIAKIT_DATABASE", hide_env_values = true)]
    pub database: Option<String>,
    /// Blob storage: a directory (default <data>/blobs) or
    /// s3://bucket[/prefix].
    #[arg(long, env = "MEDIAKIT_STORAGE")]
    pub storage: Option<String>,
    /// Configuration file (default: ./mediakit.toml when it exists).
    #[arg(long, env = "MEDIAKIT_CONFIG")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Address to listen on.
    #[arg(long, env = "MEDIAKIT_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// Also serve `/metrics` on this address, without a token (keep it on
    /// a private network). The main listener serves it to tokens with the
    /// `metrics` or `admin` scope either way.
    #[arg(long, env = "MEDIAKIT_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
    /// Largest accepted upload in bytes (default 10 MiB).
    #[arg(long, env = "MEDIAKIT_MAX_UPLOAD_BYTES")]
    pub max_upload_bytes: Option<u64>,
    /// Largest accepted image in pixels, read from its header (default 50 MP).
    #[arg(long, env = "MEDIAKIT_MAX_PIXELS")]
    pub max_pixels: Option<u64>,
    /// Memory (MiB) the uploads in progress may hold, counted from each
    /// upload's size and estimated processing memory; beyond it uploads
    /// wait, then get 503 (default: a quarter of the machine's memory, at
    /// most 512).
    #[arg(long, env = "MEDIAKIT_MEMORY_BUDGET_MIB")]
    pub memory_budget_mib: Option<u64>,
    /// Uploads that may wait for room in the memory budget at once; more
    /// get 503 at once (default 32).
    #[arg(long, env = "MEDIAKIT_UPLOAD_QUEUE")]
    pub upload_queue: Option<usize>,
    /// Milliseconds an upload waits for room before it gets 503 (default
    /// 5000).
    #[arg(long, env = "MEDIAKIT_UPLOAD_QUEUE_WAIT_MS")]
    pub upload_queue_wait_ms: Option<u64>,
    /// Serve a read-only API: uploads and deletions answer 503.
    #[arg(long)]
    pub no_uploads: bool,
    /// Serve the web page at / from this directory (e.g. web-demo/www while
    /// working on it) instead of the page built into the binary.
    #[arg(long, env = "MEDIAKIT_WEB_DIR")]
    pub web_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token; the secret is printed as the last line of stdout.
    Create {
        /// Comma-separated: media:read, media:upload, media:edit, media:delete, metrics, admin.
        #[arg(long)]
        scopes: String,
        #[arg(long, default_value = "")]
        label: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// List tokens (never their secrets).
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Revoke a token by id.
    Revoke {
        id: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Clone, Args)]
pub struct MigrateStorageArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// The storage to copy to: a directory or s3://bucket[/prefix].
    #[arg(long)]
    pub to: String,
    /// Blobs copied at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: u16,
}

#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// The directory to write into (created if missing).
    pub dir: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct ImportArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Files and folders to import; folders are walked recursively
    /// (hidden files are skipped).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Tags to add to every imported file (comma-separated, or repeat).
    #[arg(long, value_delimiter = ',')]
    pub tags: Vec<String>,
    /// Import every file as unlisted.
    #[arg(long)]
    pub unlisted: bool,
    /// Files processed at once (default: the image workers).
    #[arg(long)]
    pub jobs: Option<usize>,
}

#[derive(Debug, Clone, Args)]
pub struct MigrateDatabaseArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// The database to copy to: postgres://… (or a SQLite file). Read from
    /// MEDIAKIT_MIGRATE_TO when not given, to keep a password out of `ps`.
    #[arg(long, env = "MEDIAKIT_MIGRATE_TO", hide_env_values = true)]
    pub to: String,
}

#[derive(Debug, Clone, Args)]
pub struct ThumbnailArgs {
    /// Input images (JPEG, PNG, GIF, WebP).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Longest side of the output in pixels (never upscales).
    #[arg(long, default_value_t = 256)]
    pub size: u32,
    /// Output format: jpeg, png or webp (default: jpeg, png for alpha).
    #[arg(long)]
    pub format: Option<String>,
    /// Encoder quality, 1-100.
    #[arg(long, default_value_t = 80, value_parser = clap::value_parser!(u8).range(1..=100))]
    pub quality: u8,
    /// Output directory.
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
}
