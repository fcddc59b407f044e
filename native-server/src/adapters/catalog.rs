//! The native Catalog: embedded SQLite (one instance) or Postgres (several
//! instances on one database), chosen at start-up by the database setting.
//! Both run core's SQL; this only dispatches.

use mediakit_core::Result;
use mediakit_core::model::{ListQuery, Media, MetadataUpdate, Page, Task, TokenRecord};
use mediakit_core::ports::Catalog;
use mediakit_core::time::Millis;

pub use super::postgres::Lock;
use super::postgres::PgCatalog;
use super::sqlite::SqliteCatalog;
use crate::locations::Database;

#[derive(Clone, Debug)]
pub enum NativeCatalog {
    Sqlite(SqliteCatalog),
    Postgres(PgCatalog),
}

impl NativeCatalog {
    /// Opens the database (creating a SQLite file if needed) and applies
    /// migrations.
    pub async fn open(database: &Database, max_connections: u32) -> anyhow::Result<Self> {
        Ok(match database {
            Database::Sqlite(file) => {
                if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
                    std::fs::create_dir_all(dir)?;
                }
                Self::Sqlite(SqliteCatalog::open(file).await?)
            }
            Database::Postgres(url) => {
                Self::Postgres(PgCatalog::open(url.expose(), max_connections).await?)
            }
        })
    }

    /// Runs `work` so that no other instance on the same database runs
    /// work under the same lock at the same time (see [`PgCatalog::with_lock`]).
    /// A SQLite file belongs to one instance, so there it just runs.
    pub async fn exclusively<T>(
        &self,
        lock: Lock,
        work: impl std::future::Future<Output = T>,
    ) -> anyhow::Result<T> {
        match self {
            Self::Sqlite(_) => Ok(work.await),
            Self::Postgres(pg) => pg.with_lock(lock, work).await,
        }
    }

    /// Like [`Self::exclusively`], but `None` without running `work` when
    /// another instance holds the lock.
    pub async fn try_exclusively<T>(
        &self,
        lock: Lock,
        work: impl std::future::Future<Output = T>,
    ) -> anyhow::Result<Option<T>> {
        match self {
            Self::Sqlite(_) => Ok(Some(work.await)),
            Self::Postgres(pg) => pg.try_with_lock(lock, work).await,
        }
    }
}

impl NativeCatalog {
    /// The newest migration applied to the database.
    pub async fn schema_version(&self) -> anyhow::Result<i64> {
        // sqlx's own bookkeeping table, the same on both databases.
        const SQL: &str = "SELECT MAX(version) FROM _sqlx_migrations WHERE success";
        let version: Option<i64> = match self {
            Self::Sqlite(c) => sqlx::query_scalar(SQL).fetch_one(c.pool()).await?,
            Self::Postgres(c) => sqlx::query_scalar(SQL).fetch_one(c.pool()).await?,
        };
        Ok(version.unwrap_or(0))
    }
}

/// Calls the same method on whichever catalog this is.
macro_rules! dispatch {
    ($self:ident . $method:ident ( $($arg:expr),* )) => {
        match $self {
            NativeCatalog::Sqlite(c) => c.$method($($arg),*).await,
            NativeCatalog::Postgres(c) => c.$method($($arg),*).await,
        }
    };
}

/// Copying a catalog (`mediakit migrate-database`): writes the port does
/// not offer because the service never needs them.
impl NativeCatalog {
    pub async fn insert_media_keeping_seq(&self, media: &Media) -> Result<()> {
        dispatch!(self.insert_media_keeping_seq(media))
    }

    pub async fn task_ids(&self) -> Result<Vec<String>> {
        dispatch!(self.task_ids())
    }

    /// Makes numeric ids assigned from now on follow the copied ones.
    pub async fn sync_seq(&self) -> anyhow::Result<()> {
        match self {
            Self::Sqlite(_) => Ok(()),
            Self::Postgres(pg) => pg.sync_seq().await,
        }
    }
}

impl Catalog for NativeCatalog {
    async fn insert_media(&self, media: &Media) -> Result<i64> {
        dispatch!(self.insert_media(media))
    }

    async fn media_by_id(&self, id: &str) -> Result<Option<Media>> {
        dispatch!(self.media_by_id(id))
    }

    async fn media_by_seq(&self, seq: i64) -> Result<Option<Media>> {
        dispatch!(self.media_by_seq(seq))
    }

    async fn list_media(&self, query: &ListQuery) -> Result<Page<Media>> {
        dispatch!(self.list_media(query))
    }

    async fn update_metadata(
        &self,
        id: &str,
        update: &MetadataUpdate,
        now: Millis,
    ) -> Result<bool> {
        dispatch!(self.update_metadata(id, update, now))
    }

    async fn set_deleted(&self, id: &str, at: Option<Millis>, now: Millis) -> Result<bool> {
        dispatch!(self.set_deleted(id, at, now))
    }

    async fn set_unlisted(&self, id: &str, at: Option<Millis>, now: Millis) -> Result<bool> {
        dispatch!(self.set_unlisted(id, at, now))
    }

    async fn remove_media(&self, id: &str) -> Result<bool> {
        dispatch!(self.remove_media(id))
    }

    async fn deleted_before(&self, before: Millis, limit: u64) -> Result<Vec<Media>> {
        dispatch!(self.deleted_before(before, limit))
    }

    async fn insert_token(&self, token: &TokenRecord) -> Result<()> {
        dispatch!(self.insert_token(token))
    }

    async fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRecord>> {
        dispatch!(self.token_by_hash(hash))
    }

    async fn list_tokens(&self) -> Result<Vec<TokenRecord>> {
        dispatch!(self.list_tokens())
    }

    async fn revoke_token(&self, id: &str, at: Millis) -> Result<bool> {
        dispatch!(self.revoke_token(id, at))
    }

    async fn put_task(&self, task: &Task) -> Result<()> {
        dispatch!(self.put_task(task))
    }

    async fn task_by_id(&self, id: &str) -> Result<Option<Task>> {
        dispatch!(self.task_by_id(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dispatcher itself passes the contract (on SQLite here; on
    /// Postgres in native-server/tests/postgres_catalog.rs).
    #[tokio::test]
    async fn the_sqlite_dispatch_passes_the_catalog_contract() {
        let dir = tempfile::tempdir().unwrap();
        let db = Database::Sqlite(dir.path().join("sub/t.db"));
        let catalog = NativeCatalog::open(&db, 2).await.unwrap();
        mediakit_core::conformance::catalog::run_all(&catalog).await;
        assert_eq!(catalog.schema_version().await.unwrap(), 1);
    }
}
