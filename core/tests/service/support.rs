//! The in-memory service each test builds, and shorthands for its inputs.

use std::sync::{Mutex, MutexGuard};

use bytes::Bytes;
use mediakit_core::Result;
use mediakit_core::auth::{Principal, Scope};
use mediakit_core::catalog::Catalog;
use mediakit_core::config::ServiceConfig;
use mediakit_core::model::Media;
use mediakit_core::ports::{Adapters, Backend, InlineOffload, SqlExecutor, SqlValue, Statement};
use mediakit_core::service::{MediaService, Ports, UploadRequest};
use mediakit_core::testing::{ManualClock, MemoryBlobs, SeededEntropy};
use mediakit_core::time::Millis;
use mediakit_sqlx::SqliteExecutor;

/// Blobs in a map, the catalog on SQLite `:memory:`, a clock that moves
/// when told, reproducible randomness, work inline.
pub type InMemory =
    Adapters<MemoryBlobs, SqliteExecutor, ManualClock, SeededEntropy, InlineOffload>;

pub type TestService = MediaService<InMemory>;

/// When every test's clock starts.
pub const START: Millis = 1_750_000_000_000;
pub const MINUTE: Millis = 60_000;
pub const HOUR: Millis = 60 * MINUTE;

/// A migrated SQLite database in memory. One connection, never recycled:
/// an in-memory database lives as long as a connection to it.
pub async fn sqlite_in_memory() -> SqliteExecutor {
    SqliteExecutor::in_memory().await.expect("SQLite in memory")
}

pub async fn service() -> TestService {
    service_with(ServiceConfig::default()).await
}

pub async fn service_with(config: ServiceConfig) -> TestService {
    let ports = Ports {
        blobs: MemoryBlobs::default(),
        catalog: Catalog::new(sqlite_in_memory().await),
        clock: ManualClock::at(START),
        entropy: SeededEntropy::default(),
        offload: InlineOffload,
    };
    MediaService::new(ports, config)
}

/// A token with these scopes, as the service authenticates it (on any
/// backend: the offload tests use their own).
pub async fn principal<P: Backend>(service: &MediaService<P>, scopes: &[Scope]) -> Principal {
    let created = service
        .create_token_unchecked("test", scopes)
        .await
        .expect("creating a token");
    service
        .authenticate(&created.secret)
        .await
        .expect("authenticating")
}

/// Uploads `req` with a new token that may only upload.
pub async fn try_upload(service: &TestService, req: UploadRequest) -> Result<Media> {
    let uploader = principal(service, &[Scope::Upload]).await;
    service.upload(&uploader, req).await
}

/// Like [`try_upload`]; the upload must pass.
pub async fn uploaded(service: &TestService, req: UploadRequest) -> Media {
    try_upload(service, req).await.expect("the upload")
}

/// A file of tests/fixtures.
pub fn fixture(name: &str) -> Bytes {
    let path = format!("{}/../tests/fixtures/{name}", manifest_dir());
    Bytes::from(std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
}

/// An upload of a fixture under its own name.
pub fn upload_of(name: &str) -> UploadRequest {
    UploadRequest {
        filename: Some(name.to_owned()),
        bytes: fixture(name),
        ..UploadRequest::default()
    }
}

pub fn advance(service: &TestService, ms: Millis) {
    service.ports().clock.advance(ms);
}

/// Every blob key the service has stored.
pub fn blob_keys(service: &TestService) -> Vec<String> {
    service.ports().blobs.keys()
}

/// SQLite in memory, watched: it records every statement run for its
/// effect, and can run one statement of a test's own right after a given
/// query returns (to land a concurrent write at an exact point).
pub struct WatchedSql {
    inner: SqliteExecutor,
    executed: Mutex<Vec<Statement>>,
    after_query: Mutex<Option<(String, Statement)>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl WatchedSql {
    /// Every statement executed so far (writes; queries are not recorded).
    pub fn executed(&self) -> Vec<Statement> {
        lock(&self.executed).clone()
    }

    /// Runs `then` once, right after the next query whose SQL is
    /// `query_sql` has returned its rows.
    pub fn after_query(&self, query_sql: &str, then: Statement) {
        *lock(&self.after_query) = Some((query_sql.to_owned(), then));
    }
}

impl SqlExecutor for WatchedSql {
    async fn execute(&self, statement: &Statement) -> mediakit_core::Result<u64> {
        lock(&self.executed).push(statement.clone());
        self.inner.execute(statement).await
    }

    async fn fetch(&self, statement: &Statement) -> mediakit_core::Result<Vec<Vec<SqlValue>>> {
        let rows = self.inner.fetch(statement).await?;
        let due = {
            let mut hook = lock(&self.after_query);
            match hook.as_ref() {
                Some((sql, _)) if *sql == statement.sql => hook.take().map(|(_, then)| then),
                _ => None,
            }
        };
        if let Some(then) = due {
            self.inner.execute(&then).await?;
        }
        Ok(rows)
    }
}

pub type Watched = Adapters<MemoryBlobs, WatchedSql, ManualClock, SeededEntropy, InlineOffload>;

/// Like [`service`], over a [`WatchedSql`] (reached through
/// `s.ports().catalog.executor()`).
pub async fn watched_service() -> MediaService<Watched> {
    let ports = Ports {
        blobs: MemoryBlobs::default(),
        catalog: Catalog::new(WatchedSql {
            inner: sqlite_in_memory().await,
            executed: Mutex::new(Vec::new()),
            after_query: Mutex::new(None),
        }),
        clock: ManualClock::at(START),
        entropy: SeededEntropy::default(),
        offload: InlineOffload,
    };
    MediaService::new(ports, ServiceConfig::default())
}

/// The package's directory, read when the test runs (cargo sets it) rather
/// than baked in at compile time: a build reused from a checkout elsewhere
/// (a shared target directory) must still read this checkout's files.
fn manifest_dir() -> String {
    std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned())
}
