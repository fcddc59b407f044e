//! The embedded default database: SQLite in WAL mode.
//!
//! `synchronous=FULL`: every commit is fsynced, so an acknowledged upload
//! survives power loss (NORMAL in WAL mode could lose the last commits).
//! Uploads are dominated by image processing, so the extra fsync is not the
//! bottleneck.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use mediakit_sqlx::{SQLITE_MIGRATOR, SqliteExecutor};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// Opens (creating if needed) the database file and applies migrations.
pub async fn open(file: &Path) -> anyhow::Result<SqliteExecutor> {
    let options = SqliteConnectOptions::from_str("sqlite://")?
        .filename(file)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        // The CLI and a running server may write at the same time.
        .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    SQLITE_MIGRATOR.run(&pool).await?;
    Ok(SqliteExecutor::new(pool))
}

#[cfg(test)]
mod tests {
    use mediakit_core::catalog::Catalog;

    #[tokio::test]
    async fn sqlite_passes_the_catalog_contract() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = Catalog::new(super::open(&dir.path().join("t.db")).await.unwrap());
        mediakit_core::conformance::catalog::run_all(&catalog).await;
    }
}
