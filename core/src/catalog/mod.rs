//! The catalog: media, token and task rows, written once over the
//! [`SqlExecutor`] port. SQLite and Postgres (native) and D1 (edge) only
//! run statements and read typed values; the SQL ([`sql`]), the columns and
//! row decoding ([`rows`]) and the meaning of each answer are here.
//!
//! Adding a query touches [`sql`], this file, its check in
//! `conformance::catalog` and, for new columns, `migrations/`.

mod derived;
mod file_cache;
mod rows;
pub mod sql;

pub use crate::statement::{Column, SqlType, SqlValue, Statement};
pub use file_cache::{DEFAULT_FILE_CACHE_CAPACITY, DEFAULT_FILE_CACHE_TTL_MS, FileCache};

use std::sync::Arc;

use crate::error::{Error, Result};
use crate::model::{ListQuery, Media, MetadataUpdate, Page, Task, TokenRecord};
use crate::ports::SqlExecutor;
use crate::time::Millis;
use rows::Row;

/// Metadata rows over an executor.
#[derive(Clone, Debug)]
pub struct Catalog<E> {
    sql: E,
    /// Rows read for public file requests; every media write below
    /// invalidates its entry (see [`FileCache`] for the rule it keeps).
    files: Arc<FileCache>,
}

impl<E: SqlExecutor> Catalog<E> {
    /// A catalog with the default file cache ([`DEFAULT_FILE_CACHE_TTL_MS`]).
    pub fn new(executor: E) -> Self {
        Self {
            sql: executor,
            files: Arc::new(FileCache::default()),
        }
    }

    /// Replaces the file cache (`FileCache::new(0, 0)` turns it off). A
    /// host that builds a catalog per request (the edge) passes one shared
    /// cache to each.
    pub fn with_file_cache(mut self, cache: Arc<FileCache>) -> Self {
        self.files = cache;
        self
    }

    pub fn file_cache(&self) -> &FileCache {
        &self.files
    }

    /// The executor, for what a host does beyond the catalog (locks,
    /// schema version).
    pub fn executor(&self) -> &E {
        &self.sql
    }

    /// Runs a query and decodes each row with `decode`.
    async fn rows<T>(&self, st: Statement, decode: fn(&Row) -> Result<T>) -> Result<Vec<T>> {
        let rows = self.sql.fetch(&st).await?;
        rows.into_iter()
            .map(|values| decode(&Row::new(st.columns, values)?))
            .collect()
    }

    /// Runs a statement; whether it changed any row.
    async fn changed(&self, st: Statement) -> Result<bool> {
        Ok(self.sql.execute(&st).await? > 0)
    }

    /// [`Self::changed`] for a statement that writes the media row `id`:
    /// the file cache's entry is dropped after it, whatever its outcome,
    /// so that a file request that read the row before the write committed
    /// cannot keep what it read (see `FileCache::generation`).
    async fn changed_media(&self, id: &str, st: Statement) -> Result<bool> {
        let changed = self.changed(st).await;
        self.files.invalidate(id);
        changed
    }

    /// Inserts a new media row and returns the numeric id it was given.
    pub async fn insert_media(&self, media: &Media) -> Result<i64> {
        self.rows(sql::insert_media(media), |r| r.int("seq"))
            .await?
            .pop()
            .ok_or_else(|| Error::storage("INSERT … RETURNING seq returned no row"))
    }

    /// Inserts a row copied from another catalog, numeric id included
    /// (`mediakit migrate-database`; see [`sql::insert_media_keeping_seq`]).
    pub async fn insert_media_keeping_seq(&self, media: &Media) -> Result<()> {
        self.sql
            .execute(&sql::insert_media_keeping_seq(media))
            .await
            .map(|_| ())
    }

    /// The row with this id, deleted or not.
    pub async fn media_by_id(&self, id: &str) -> Result<Option<Media>> {
        Ok(self.rows(sql::media_by_id(id), rows::media).await?.pop())
    }

    /// Like [`Self::media_by_id`], answered from the file cache when it
    /// holds a row read less than its time to live before `now`. Only for
    /// public file requests: a change made by another instance is seen
    /// here at most that late (on this one, at once).
    pub async fn media_for_file(&self, id: &str, now: Millis) -> Result<Option<Arc<Media>>> {
        if let Some(hit) = self.files.get(id, now) {
            return Ok(Some(hit));
        }
        let generation = self.files.generation();
        let Some(media) = self.media_by_id(id).await? else {
            return Ok(None);
        };
        let media = Arc::new(media);
        self.files.insert(Arc::clone(&media), now, generation);
        Ok(Some(media))
    }

    /// The newest row, deleted or not, whose stored original has this
    /// SHA-256, size and kind: the twin a new upload of the same bytes
    /// shares files with.
    pub async fn media_with_content(
        &self,
        sha256: &str,
        size: u64,
        kind: crate::MediaKind,
    ) -> Result<Option<Media>> {
        Ok(self
            .rows(sql::media_with_content(sha256, size, kind), rows::media)
            .await?
            .pop())
    }

    /// Whether any row's files are under `blob_id` (its own or shared).
    pub async fn blob_in_use(&self, blob_id: &str) -> Result<bool> {
        let users = self.rows(sql::blob_user(blob_id), |r| r.text("id")).await?;
        Ok(!users.is_empty())
    }

    /// The row with this numeric id, deleted or not.
    pub async fn media_by_seq(&self, seq: i64) -> Result<Option<Media>> {
        Ok(self.rows(sql::media_by_seq(seq), rows::media).await?.pop())
    }

    pub async fn list_media(&self, query: &ListQuery) -> Result<Page<Media>> {
        let (page, count) = sql::list_media(query);
        let items = self.rows(page, rows::media).await?;
        let total = self.rows(count, |r| r.int("total")).await?.pop();
        Ok(Page {
            items,
            total: total.map_or(0, |t| u64::try_from(t).unwrap_or(0)),
        })
    }

    /// Writes the editable fields. `false` when the row does not exist.
    pub async fn update_metadata(
        &self,
        id: &str,
        update: &MetadataUpdate,
        now: Millis,
    ) -> Result<bool> {
        self.changed_media(id, sql::update_metadata(id, update, now))
            .await
    }

    /// Sets (`Some`) or clears (`None`) `deleted_at`, only if it is not
    /// already in that state. Returns whether the row changed, so concurrent
    /// callers agree on who made the transition.
    pub async fn set_deleted(&self, id: &str, at: Option<Millis>, now: Millis) -> Result<bool> {
        self.changed_media(id, sql::set_deleted(id, at, now)).await
    }

    /// Like [`Self::set_deleted`] for `unlisted_at`.
    pub async fn set_unlisted(&self, id: &str, at: Option<Millis>, now: Millis) -> Result<bool> {
        self.changed_media(id, sql::set_unlisted(id, at, now)).await
    }

    /// Removes the row for good. `false` when it did not exist.
    pub async fn remove_media(&self, id: &str) -> Result<bool> {
        self.changed_media(id, sql::remove_media(id)).await
    }

    /// Removes the row only if it is still deleted, and was deleted before
    /// `before`: `false` when a restore (or a later delete) got there first,
    /// or the row is gone. What retention purges with, so that a restore
    /// racing the purge wins.
    pub async fn remove_expired_media(&self, id: &str, before: Millis) -> Result<bool> {
        self.changed_media(id, sql::remove_expired_media(id, before))
            .await
    }

    /// Rows soft-deleted before `before`, oldest first, at most `limit`.
    pub async fn deleted_before(&self, before: Millis, limit: u64) -> Result<Vec<Media>> {
        self.rows(sql::deleted_before(before, limit), rows::media)
            .await
    }

    pub async fn insert_token(&self, token: &TokenRecord) -> Result<()> {
        self.sql
            .execute(&sql::insert_token(token))
            .await
            .map(|_| ())
    }

    pub async fn token_by_hash(&self, hash: &str) -> Result<Option<TokenRecord>> {
        Ok(self
            .rows(sql::token_by_hash(hash), rows::token)
            .await?
            .pop())
    }

    /// All tokens, newest first, revoked ones included.
    pub async fn list_tokens(&self) -> Result<Vec<TokenRecord>> {
        self.rows(sql::list_tokens(), rows::token).await
    }

    /// Marks the token revoked. `false` when it does not exist or already is.
    pub async fn revoke_token(&self, id: &str, at: Millis) -> Result<bool> {
        self.changed(sql::revoke_token(id, at)).await
    }

    /// Stores a task, replacing the one with the same id (tasks are written
    /// when created and again when their items finish).
    pub async fn put_task(&self, task: &Task) -> Result<()> {
        self.sql.execute(&sql::put_task(task)).await.map(|_| ())
    }

    pub async fn task_by_id(&self, id: &str) -> Result<Option<Task>> {
        Ok(self.rows(sql::task_by_id(id), rows::task).await?.pop())
    }

    /// Every task id, oldest first (for copying a catalog).
    pub async fn task_ids(&self) -> Result<Vec<String>> {
        self.rows(sql::task_ids(), |r| r.text("id")).await
    }
}
