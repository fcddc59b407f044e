//! The small ports the service runs over. Adapters live in the frontends
//! (native: object_store + sqlx; edge: R2 + D1); the blob store and the
//! catalog over each SQL executor have one conformance suite each
//! (`conformance`, behind the feature of that name) that every adapter runs.
//!
//! Futures are `Send` so that one axum Router serves both hosts; the edge
//! adapters meet the bound with `SendWrapper` (a Worker is single-threaded).

use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;

use bytes::Bytes;
use futures_util::Stream;

use crate::error::Result;
pub use crate::statement::{Column, SqlType, SqlValue, Statement};
use crate::time::Millis;

/// A byte range, `start..end` (end exclusive), already checked against the
/// blob's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteRange {
    pub start: u64,
    pub end: u64,
}

/// A blob's bytes in chunks, as storage delivers them.
pub type ByteStream = Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>;

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

    /// Reads the blob or a range of it into memory. A missing key is
    /// `NotFound`. For what needs the bytes whole (copies between stores,
    /// checks); files served to clients use [`Self::get_stream`].
    fn get(
        &self,
        key: &str,
        range: Option<ByteRange>,
    ) -> impl Future<Output = Result<Bytes>> + Send;

    /// Opens the blob or a range of it as a stream of chunks of bounded
    /// size, so that serving a file never holds it whole in memory. A
    /// missing key is `NotFound` here, before any chunk; a failure later
    /// ends the stream with an error.
    fn get_stream(
        &self,
        key: &str,
        range: Option<ByteRange>,
    ) -> impl Future<Output = Result<ByteStream>> + Send;

    /// Deletes the blob; deleting a missing key is not an error.
    fn delete(&self, key: &str) -> impl Future<Output = Result<()>> + Send;

    /// Every key under `prefix` (used by orphan collection and storage
    /// migration).
    fn list(&self, prefix: &str) -> impl Future<Output = Result<Vec<String>>> + Send;
}

/// Runs SQL for the one catalog ([`crate::catalog::Catalog`]), which
/// writes every statement and decodes every row: an executor only binds
/// [`SqlValue`]s and reads them back (SQLite and Postgres natively, D1 on
/// the edge).
pub trait SqlExecutor: Send + Sync + 'static {
    /// Runs a statement that returns no rows; how many rows it changed.
    fn execute(&self, statement: &Statement) -> impl Future<Output = Result<u64>> + Send;

    /// Runs a query. Each row holds one value per entry of
    /// `statement.columns`, in that order, read as that column's type.
    fn fetch(
        &self,
        statement: &Statement,
    ) -> impl Future<Output = Result<Vec<Vec<SqlValue>>>> + Send;
}

/// Wall-clock time. `Clone`: an image job takes a copy of the clock to
/// the worker that runs it, to keep to its deadline there.
pub trait Clock: Clone + Send + Sync + 'static {
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

/// Runs the job at once, on the calling task: for single-threaded hosts
/// (an edge isolate has one thread) and tests.
#[derive(Clone, Copy, Debug, Default)]
pub struct InlineOffload;

impl Offload for InlineOffload {
    async fn run<F, R>(&self, job: F) -> Result<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        Ok(job())
    }
}

/// The set of adapters a frontend plugs into the service.
pub trait Backend: Send + Sync + 'static {
    type Blobs: BlobStore;
    /// The catalog's database: the service holds a
    /// [`crate::catalog::Catalog`] over it.
    type Sql: SqlExecutor;
    type Clock: Clock;
    type Entropy: Entropy;
    type Offload: Offload;
}

/// The [`Backend`] of these adapters, named in the order of its types:
/// `Adapters<Blobs, Sql, Clock, Entropy, Offload>`. A host names its own
/// with a type alias; only a type, never a value.
pub struct Adapters<B, S, C, E, O>(PhantomData<(B, S, C, E, O)>);

impl<B, S, C, E, O> Backend for Adapters<B, S, C, E, O>
where
    B: BlobStore,
    S: SqlExecutor,
    C: Clock,
    E: Entropy,
    O: Offload,
{
    type Blobs = B;
    type Sql = S;
    type Clock = C;
    type Entropy = E;
    type Offload = O;
}
