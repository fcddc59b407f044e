//! The small ports the service runs over. Adapters live in the frontends
//! (native: object_store + sqlx; edge: R2 + D1); each port has one
//! conformance suite in [`crate::conformance`] that every adapter runs.
//!
//! Futures are `Send` so that one axum Router serves both hosts; the edge
//! adapters meet the bound with `SendWrapper` (a Worker is single-threaded).

use std::future::Future;

use bytes::Bytes;

use crate::error::Result;
use crate::model::{ListQuery, Media, MetadataUpdate, Page, Task, TokenRecord};
use crate::time::Millis;

/// A byte range, `start..end` (end exclusive), already checked against the
/// blob's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    pub start: u64,
    pub end: u64,
}

/// Blobs by key. Keys are ASCII paths like `media/{id}/original.jpg`.
pub trait BlobStore: Send + Sync + 'static {
    /// Stores `bytes` under `key`, failing with `Conflict` if the key exists
    /// (keys are never rewritten, which is what makes file URLs immutable).
    /// The write is atomic: readers see all of it or nothing.
    fn put_new(
        &self,
        key: &str,
        bytes: Bytes,
        content_type: &str,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Reads the blob or a range of it. A missing key is `NotFound`.
    fn get(
        &self,
        key: &str,
        range: Option<ByteRange>,
    ) -> impl Future<Output = Result<Bytes>> + Send;

    /// Deletes the blob; deleting a missing key is not an error.
    fn delete(&self, key: &str) -> impl Future<Output = Result<()>> + Send;

    /// Every key under `prefix` (used by orphan collection and storage
    /// migration).
    fn list(&self, prefix: &str) -> impl Future<Output = Result<Vec<String>>> + Send;
}

/// Metadata rows. Implementations share the SQL in [`crate::sql`].
pub trait Catalog: Send + Sync + 'static {
    /// Inserts a new media row and returns the numeric id it was given.
    fn insert_media(&self, media: &Media) -> impl Future<Output = Result<i64>> + Send;

    /// The row with this id, deleted or not.
    fn media_by_id(&self, id: &str) -> impl Future<Output = Result<Option<Media>>> + Send;

    /// The row with this numeric id, deleted or not.
    fn media_by_seq(&self, seq: i64) -> impl Future<Output = Result<Option<Media>>> + Send;

    fn list_media(&self, query: &ListQuery) -> impl Future<Output = Result<Page<Media>>> + Send;

    /// Writes the editable fields. `false` when the row does not exist.
    fn update_metadata(
        &self,
        id: &str,
        update: &MetadataUpdate,
        now: Millis,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Sets (`Some`) or clears (`None`) `deleted_at`, only if it is not
    /// already in that state. Returns whether the row changed, so concurrent
    /// callers agree on who made the transition.
    fn set_deleted(
        &self,
        id: &str,
        at: Option<Millis>,
        now: Millis,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Like [`Catalog::set_deleted`] for `unlisted_at`.
    fn set_unlisted(
        &self,
        id: &str,
        at: Option<Millis>,
        now: Millis,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Removes the row for good. `false` when it did not exist.
    fn remove_media(&self, id: &str) -> impl Future<Output = Result<bool>> + Send;

    /// Rows soft-deleted before `before`, oldest first, at most `limit`.
    fn deleted_before(
        &self,
        before: Millis,
        limit: u64,
    ) -> impl Future<Output = Result<Vec<Media>>> + Send;

    fn insert_token(&self, token: &TokenRecord) -> impl Future<Output = Result<()>> + Send;

    fn token_by_hash(&self, hash: &str)
    -> impl Future<Output = Result<Option<TokenRecord>>> + Send;

    /// All tokens, newest first, revoked ones included.
    fn list_tokens(&self) -> impl Future<Output = Result<Vec<TokenRecord>>> + Send;

    /// Marks the token revoked. `false` when it does not exist or already is.
    fn revoke_token(&self, id: &str, at: Millis) -> impl Future<Output = Result<bool>> + Send;

    /// Stores a task, replacing the one with the same id (tasks are written
    /// when created and again when their items finish).
    fn put_task(&self, task: &Task) -> impl Future<Output = Result<()>> + Send;

    fn task_by_id(&self, id: &str) -> impl Future<Output = Result<Option<Task>>> + Send;
}

/// Wall-clock time.
pub trait Clock: Send + Sync + 'static {
    fn now_ms(&self) -> Millis;
}

/// Cryptographically secure random bytes (ids and token secrets).
pub trait Entropy: Send + Sync + 'static {
    fn fill(&self, buf: &mut [u8]);
}

/// Runs CPU-heavy work (image decoding) off the request path: a blocking
/// thread pool natively, inline on the single-threaded edge.
pub trait Offload: Send + Sync + 'static {
    fn run<F, R>(&self, job: F) -> impl Future<Output = Result<R>> + Send
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static;
}

/// The set of adapters a frontend plugs into the service.
pub trait Backend: Send + Sync + 'static {
    type Blobs: BlobStore;
    type Catalog: Catalog;
    type Clock: Clock;
    type Entropy: Entropy;
    type Offload: Offload;
}
