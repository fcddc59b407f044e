//! The native catalog: core's one catalog over embedded SQLite (one
//! instance) or Postgres (several instances on one database), chosen at
//! start-up by the database setting. What the host does beyond the catalog
//! (opening, locks between instances, the schema version, the numeric-id
//! sequence after a copy) is here too.

use std::future::Future;

use mediakit_core::Result;
use mediakit_core::catalog::Catalog;
use mediakit_core::ports::{SqlExecutor, SqlValue, Statement};
use mediakit_sqlx::{PgExecutor, SqliteExecutor};

pub use super::postgres::Lock;
use super::{postgres, sqlite};
use crate::stores::Database;

pub type NativeCatalog = Catalog<NativeSql>;

/// Opens the database (creating a SQLite file if needed), applies
/// migrations and returns the catalog over it.
pub async fn open(database: &Database, max_connections: u32) -> anyhow::Result<NativeCatalog> {
    Ok(Catalog::new(
        NativeSql::open(database, max_connections).await?,
    ))
}

/// The executor of whichever database the settings name.
#[derive(Clone, Debug)]
pub enum NativeSql {
    Sqlite(SqliteExecutor),
    Postgres(PgExecutor),
}

impl SqlExecutor for NativeSql {
    async fn execute(&self, statement: &Statement) -> Result<u64> {
        match self {
            Self::Sqlite(db) => db.execute(statement).await,
            Self::Postgres(db) => db.execute(statement).await,
        }
    }

    async fn fetch(&self, statement: &Statement) -> Result<Vec<Vec<SqlValue>>> {
        match self {
            Self::Sqlite(db) => db.fetch(statement).await,
            Self::Postgres(db) => db.fetch(statement).await,
        }
    }
}

impl NativeSql {
    pub async fn open(database: &Database, max_connections: u32) -> anyhow::Result<Self> {
        Ok(match database {
            Database::Sqlite(file) => {
                if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)?;
                }
                Self::Sqlite(sqlite::open(file).await?)
            }
            Database::Postgres(url) => {
                Self::Postgres(postgres::open(url.expose(), max_connections).await?)
            }
        })
    }

    /// Runs `work` so that no other instance on the same database runs
    /// work under the same lock at the same time (see [`postgres::with_lock`]).
    /// A SQLite file belongs to one instance, so there it just runs.
    pub async fn exclusively<T>(
        &self,
        lock: Lock,
        work: impl Future<Output = T>,
    ) -> anyhow::Result<T> {
        match self {
            Self::Sqlite(_) => Ok(work.await),
            Self::Postgres(pg) => postgres::with_lock(pg.pool(), lock, work).await,
        }
    }

    /// Like [`Self::exclusively`], but `None` without running `work` when
    /// another instance holds the lock.
    pub async fn try_exclusively<T>(
        &self,
        lock: Lock,
        work: impl Future<Output = T>,
    ) -> anyhow::Result<Option<T>> {
        match self {
            Self::Sqlite(_) => Ok(Some(work.await)),
            Self::Postgres(pg) => postgres::try_with_lock(pg.pool(), lock, work).await,
        }
    }

    /// The newest migration applied to the database.
    pub async fn schema_version(&self) -> anyhow::Result<i64> {
        // sqlx's own bookkeeping table, the same on both databases.
        const SQL: &str = "SELECT MAX(version) FROM _sqlx_migrations WHERE success";
        let version: Option<i64> = match self {
            Self::Sqlite(db) => sqlx::query_scalar(SQL).fetch_one(db.pool()).await?,
            Self::Postgres(db) => sqlx::query_scalar(SQL).fetch_one(db.pool()).await?,
        };
        Ok(version.unwrap_or(0))
    }

    /// Makes numeric ids assigned from now on follow rows copied with
    /// theirs (`mediakit migrate-database`).
    pub async fn sync_seq(&self) -> anyhow::Result<()> {
        match self {
            Self::Sqlite(_) => Ok(()),
            Self::Postgres(pg) => postgres::sync_seq(pg.pool()).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The catalog over this executor passes the contract (on SQLite here;
    /// on Postgres in native-server/tests/postgres_catalog.rs).
    #[tokio::test]
    async fn the_sqlite_catalog_passes_the_catalog_contract() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::Sqlite(dir.path().join("sub/t.db"));
        let catalog = open(&db, 2).await.unwrap();
        mediakit_core::conformance::catalog::run_all(&catalog).await;
        assert_eq!(catalog.executor().schema_version().await.unwrap(), 4);
    }
}
