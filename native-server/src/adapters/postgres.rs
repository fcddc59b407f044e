//! The shared catalog for several instances: PostgreSQL, running the same
//! SQL as SQLite (core/src/sql.rs) against the twin schema in
//! migrations/postgres.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};

crate::sqlx_catalog!(PgCatalog, sqlx::Postgres, PgRow);

/// The key of the advisory lock held while the first admin token is
/// created (any constant unique to mediakit; "mkadmin1" in ASCII).
const BOOTSTRAP_LOCK: i64 = 0x6d6b_6164_6d69_6e31;

pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations/postgres");

impl PgCatalog {
    /// Connects and brings the schema up to date. Safe when several
    /// instances start at once: sqlx serialises migrations with an advisory
    /// lock.
    pub async fn open(url: &str, max_connections: u32) -> anyhow::Result<Self> {
        let options = PgConnectOptions::from_str(url)
            .context("the Postgres URL is not valid")?
            .application_name("mediakit");
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .context("connecting to Postgres")?;
        MIGRATOR
            .run(&pool)
            .await
            .context("migrating the Postgres schema")?;
        Ok(Self::from_pool(pool))
    }

    /// Runs `work` while holding a database-wide lock, so that instances
    /// starting together on an empty database agree on one first admin
    /// token: the second one waits, then finds the first one's token. The
    /// lock is a transaction-scoped advisory lock, released at commit (or
    /// by the server if this process dies).
    pub async fn with_bootstrap_lock<T>(
        &self,
        work: impl std::future::Future<Output = T>,
    ) -> anyhow::Result<T> {
        let mut tx = self.pool().begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(BOOTSTRAP_LOCK)
            .execute(&mut *tx)
            .await
            .context("taking the bootstrap lock")?;
        let out = work.await;
        tx.commit().await?;
        Ok(out)
    }
}
