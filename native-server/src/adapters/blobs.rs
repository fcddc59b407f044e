//! BlobStore over `object_store`: the local filesystem by default, any
//! S3-compatible service by URL.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use mediakit_core::ports::{BlobStore, ByteRange};
use mediakit_core::{Error, ErrorCode, Result};
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{
    Attribute, Attributes, GetOptions, GetRange, ObjectStore, PutMode, PutOptions, PutPayload,
};

#[derive(Clone, Debug)]
pub struct ObjectStoreBlobs {
    store: Arc<dyn ObjectStore>,
    /// Whether the store keeps a Content-Type with each object (S3 does; the
    /// local filesystem refuses attributes). mediakit never relies on it —
    /// types come from the catalog — but it helps anyone browsing a bucket.
    content_types: bool,
}

impl ObjectStoreBlobs {
    pub fn new(store: Arc<dyn ObjectStore>, content_types: bool) -> Self {
        Self {
            store,
            content_types,
        }
    }

    /// Files under `dir`, written durably: fsync of the file and its
    /// directory before a write is acknowledged.
    pub fn local(dir: &std::path::Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let fs = LocalFileSystem::new_with_prefix(dir)?
            .with_fsync(true)
            .with_automatic_cleanup(true);
        Ok(Self::new(Arc::new(fs), false))
    }

    pub fn inner(&self) -> &Arc<dyn ObjectStore> {
        &self.store
    }
}

fn path(key: &str) -> Result<Path> {
    Path::parse(key).map_err(|e| Error::storage(format!("bad blob key {key:?}: {e}")))
}

fn map_err(key: &str, e: object_store::Error) -> Error {
    match e {
        object_store::Error::NotFound { .. } => {
            Error::new(ErrorCode::NotFound, format!("no blob at {key}"))
        }
        object_store::Error::AlreadyExists { .. } => Error::new(
            ErrorCode::Conflict,
            format!("a blob already exists at {key}"),
        ),
        other => Error::storage(format!("{key}: {other}")),
    }
}

impl BlobStore for ObjectStoreBlobs {
    async fn put_new(&self, key: &str, bytes: Bytes, content_type: &str) -> Result<()> {
        let location = path(key)?;
        let mut attributes = Attributes::new();
        if self.content_types {
            attributes.insert(Attribute::ContentType, content_type.to_owned().into());
        }
        let opts = PutOptions {
            mode: PutMode::Create,
            attributes,
            ..PutOptions::default()
        };
        self.store
            .put_opts(&location, PutPayload::from_bytes(bytes), opts)
            .await
            .map(|_| ())
            .map_err(|e| map_err(key, e))
    }

    async fn get(&self, key: &str, range: Option<ByteRange>) -> Result<Bytes> {
        let location = path(key)?;
        let opts = GetOptions {
            range: range.map(|r| GetRange::Bounded(r.start..r.end)),
            ..GetOptions::default()
        };
        let result = self
            .store
            .get_opts(&location, opts)
            .await
            .map_err(|e| map_err(key, e))?;
        result.bytes().await.map_err(|e| map_err(key, e))
    }

    async fn delete(&self, key: &str) -> Result<()> {
        let location = path(key)?;
        let mut results = self
            .store
            .delete_stream(futures_util::stream::once(async move { Ok(location) }).boxed());
        while let Some(r) = results.next().await {
            match r {
                Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(map_err(key, e)),
            }
        }
        Ok(())
    }

    async fn list(&self, prefix: &str) -> Result<Vec<String>> {
        let location = path(prefix.trim_end_matches('/'))?;
        self.store
            .list(Some(&location))
            .map_ok(|meta| meta.location.to_string())
            .try_collect()
            .await
            .map_err(|e| map_err(prefix, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn local_disk_passes_the_blob_store_contract() {
        let dir = tempfile::tempdir().unwrap();
        let blobs = ObjectStoreBlobs::local(dir.path()).unwrap();
        mediakit_core::conformance::blobs::run_all(&blobs).await;
    }
}
