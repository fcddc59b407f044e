//! A [`BlobStore`] in a map, held to the same contract as local disk, S3
//! and R2 (core/tests/service/adapters.rs runs the conformance suite on it).

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use bytes::Bytes;

use crate::error::{Error, ErrorCode, Result};
use crate::ports::{BlobStore, ByteRange, ByteStream};

/// The chunk size of [`MemoryBlobs::get_stream`].
const STREAM_CHUNK: usize = 64 * 1024;

#[derive(Debug, Default)]
pub struct MemoryBlobs {
    blobs: Mutex<BTreeMap<String, Bytes>>,
}

impl MemoryBlobs {
    fn map(&self) -> MutexGuard<'_, BTreeMap<String, Bytes>> {
        // A panic while holding the lock leaves the map consistent (every
        // operation is one map call), so a poisoned lock is still usable.
        self.blobs.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every key, in order.
    pub fn keys(&self) -> Vec<String> {
        self.map().keys().cloned().collect()
    }
}

impl BlobStore for MemoryBlobs {
    async fn put_new(&self, key: &str, bytes: Bytes, _content_type: &str) -> Result<()> {
        let mut map = self.map();
        if map.contains_key(key) {
            return Err(Error::new(ErrorCode::Conflict, "the key already exists"));
        }
        map.insert(key.to_owned(), bytes);
        Ok(())
    }

    async fn get(&self, key: &str, range: Option<ByteRange>) -> Result<Bytes> {
        let bytes = self.map().get(key).cloned().ok_or_else(Error::not_found)?;
        Ok(match range {
            None => bytes,
            Some(r) => {
                let len = bytes.len();
                let at = |n: u64| usize::try_from(n).map_or(len, |n| n.min(len));
                bytes.slice(at(r.start).min(at(r.end))..at(r.end))
            }
        })
    }

    /// Slices of the stored bytes (no copies), [`STREAM_CHUNK`] at a time,
    /// like a real store's reads.
    async fn get_stream(&self, key: &str, range: Option<ByteRange>) -> Result<ByteStream> {
        let bytes = self.get(key, range).await?;
        let chunks = (0..bytes.len())
            .step_by(STREAM_CHUNK)
            .map(move |at| Ok(bytes.slice(at..(at + STREAM_CHUNK).min(bytes.len()))));
        Ok(Box::pin(futures_util::stream::iter(chunks)))
    }

    async fn delete(&self, key: &str) -> Result<()> {
        self.map().remove(key);
        Ok(())
    }

    async fn list(&self, prefix: &str) -> Result<Vec<String>> {
        Ok(self
            .map()
            .range(prefix.to_owned()..)
            .map(|(k, _)| k)
            .take_while(|k| k.starts_with(prefix))
            .cloned()
            .collect())
    }
}
