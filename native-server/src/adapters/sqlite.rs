//! The embedded default catalog: SQLite in WAL mode.
//!
//! `synchronous=FULL`: every commit is fsynced, so an acknowledged upload
//! survives power loss (NORMAL in WAL mode could lose the last commits).
//! Uploads are dominated by image processing, so the extra fsync is not the
//! bottleneck.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};

crate::sqlx_catalog!(SqliteCatalog, sqlx::Sqlite, SqliteRow);

impl SqliteCatalog {
    /// Opens (creating if needed) the database file and applies migrations.
    pub async fn open(file: &Path) -> anyhow::Result<Self> {
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
        sqlx::migrate!("../migrations/sqlite").run(&pool).await?;
        Ok(Self::from_pool(pool))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn sqlite_passes_the_catalog_contract() {
        let dir = tempfile::tempdir().unwrap();
        let catalog = SqliteCatalog::open(&dir.path().join("t.db")).await.unwrap();
        mediakit_core::conformance::catalog::run_all(&catalog).await;
    }
}
