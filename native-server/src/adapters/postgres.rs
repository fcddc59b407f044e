//! The shared database for several instances: PostgreSQL, running the
//! same catalog SQL as SQLite (core/src/catalog) against the twin schema in
//! migrations/postgres. Also what only Postgres has: advisory locks that
//! let instances agree on who does what, and the numeric-id sequence.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use mediakit_sqlx::{POSTGRES_MIGRATOR, PgExecutor};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection, PgPool, PgPoolOptions};

/// Work that at most one instance on a database may do at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lock {
    /// Creating the first admin token on an empty database.
    Bootstrap,
    /// Purging expired deletions and collecting orphaned blobs.
    Collect,
}

impl Lock {
    /// Its advisory lock key: any constants unique to mediakit
    /// ("mkadmin1", "mkcollct" in ASCII).
    fn key(self) -> i64 {
        match self {
            Lock::Bootstrap => 0x6d6b_6164_6d69_6e31,
            Lock::Collect => 0x6d6b_636f_6c6c_6374,
        }
    }
}

/// Connects and brings the schema up to date. Safe when several instances
/// start at once: sqlx serialises migrations with an advisory lock.
pub async fn open(url: &str, max_connections: u32) -> anyhow::Result<PgExecutor> {
    let options = PgConnectOptions::from_str(url)
        .context("the Postgres URL is not valid")?
        .application_name("mediakit");
    // One plain connection first: a pool retries until its timeout and
    // then reports only that, hiding "connection refused" or "password
    // authentication failed".
    let probe = tokio::time::timeout(
        Duration::from_secs(30),
        PgConnection::connect_with(&options),
    )
    .await
    .context("connecting to Postgres: no answer in 30 s")?
    .context("connecting to Postgres")?;
    probe.close().await.ok();
    let pool = PgPoolOptions::new()
        .max_connections(max_connections)
        .acquire_timeout(Duration::from_secs(30))
        .connect_with(options)
        .await
        .context("connecting to Postgres")?;
    POSTGRES_MIGRATOR
        .run(&pool)
        .await
        .context("migrating the Postgres schema")?;
    Ok(PgExecutor::new(pool))
}

/// Moves the numeric-id sequence past every row, after rows were
/// inserted with their ids (an identity column's sequence does not
/// follow explicit values by itself, SQLite's AUTOINCREMENT does).
pub async fn sync_seq(pool: &PgPool) -> anyhow::Result<()> {
    sqlx::query(
        "SELECT setval(pg_get_serial_sequence('media', 'seq'), \
         (SELECT COALESCE(MAX(seq), 0) + 1 FROM media), false)",
    )
    .execute(pool)
    .await
    .context("moving the numeric-id sequence")?;
    Ok(())
}

/// Runs `work` while holding `lock` database-wide, waiting for it if
/// another instance holds it. E.g. instances starting together on an
/// empty database agree on one first admin token: the second one waits,
/// then finds the first one's token. A transaction-scoped advisory lock:
/// released at commit, or by the server if this process dies.
pub async fn with_lock<T>(
    pool: &PgPool,
    lock: Lock,
    work: impl std::future::Future<Output = T>,
) -> anyhow::Result<T> {
    let mut tx = pool.begin().await?;
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(lock.key())
        .execute(&mut *tx)
        .await
        .with_context(|| format!("taking the {lock:?} lock"))?;
    let out = work.await;
    tx.commit().await?;
    Ok(out)
}

/// Like [`with_lock`], but `None` at once when another instance
/// holds the lock (periodic work that one instance doing is enough).
pub async fn try_with_lock<T>(
    pool: &PgPool,
    lock: Lock,
    work: impl std::future::Future<Output = T>,
) -> anyhow::Result<Option<T>> {
    let mut tx = pool.begin().await?;
    let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock($1)")
        .bind(lock.key())
        .fetch_one(&mut *tx)
        .await
        .with_context(|| format!("trying the {lock:?} lock"))?;
    if !got {
        return Ok(None);
    }
    let out = work.await;
    tx.commit().await?;
    Ok(Some(out))
}
