//! BlobStore over `object_store`: the local filesystem by default, any
//! S3-compatible service by URL.

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};
use mediakit_core::ports::{BlobStore, ByteRange, ByteStream};
use mediakit_core::{Error, ErrorCode, Result};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::prefix::PrefixStore;
use object_store::{
    Attribute, Attributes, GetOptions, GetRange, GetResult, ObjectStore, PutMode, PutOptions,
    PutPayload,
};

use super::local_read;
use crate::stores::{S3Settings, Storage};

#[derive(Clone, Debug)]
pub struct ObjectStoreBlobs {
    store: Arc<dyn ObjectStore>,
    /// Whether the store keeps a Content-Type with each object (S3 does; the
    /// local filesystem refuses attributes). mediakit never relies on it —
    /// types come from the catalog — but it helps anyone browsing a bucket.
    content_types: bool,
    /// The directory of a local-disk store: its files are streamed
    /// straight from disk ([`super::local_read`]).
    local_root: Option<PathBuf>,
}

impl ObjectStoreBlobs {
    pub fn new(store: Arc<dyn ObjectStore>, content_types: bool) -> Self {
        Self {
            store,
            content_types,
            local_root: None,
        }
    }

    /// Files under `dir`, written durably: fsync of the file and its
    /// directory before a write is acknowledged.
    pub fn local(dir: &std::path::Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let fs = LocalFileSystem::new_with_prefix(dir)?
            .with_fsync(true)
            .with_automatic_cleanup(true);
        Ok(Self {
            local_root: Some(std::fs::canonicalize(dir)?),
            ..Self::new(Arc::new(fs), false)
        })
    }

    /// A bucket on an S3-compatible service, keys under `prefix/`.
    /// Path-style addressing unless configured otherwise: R2's S3 API,
    /// MinIO, SeaweedFS and AWS all accept it.
    pub fn s3(bucket: &str, prefix: &str, settings: &S3Settings) -> anyhow::Result<Self> {
        // from_env first so that AWS's other credential sources (web
        // identity, container credentials) keep working; explicit settings win.
        let mut builder = AmazonS3Builder::from_env()
            .with_bucket_name(bucket)
            .with_region(&settings.region)
            .with_virtual_hosted_style_request(settings.virtual_hosted_style);
        if let Some(endpoint) = &settings.endpoint {
            builder = builder.with_endpoint(endpoint);
            if endpoint.starts_with("http://") {
                builder = builder.with_allow_http(true);
            }
        }
        if let Some(key) = &settings.access_key_id {
            builder = builder.with_access_key_id(key);
        }
        if let Some(secret) = &settings.secret_access_key {
            builder = builder.with_secret_access_key(secret.expose());
        }
        if let Some(token) = &settings.session_token {
            builder = builder.with_token(token.expose());
        }
        let s3 = builder
            .build()
            .with_context(|| format!("configuring S3 bucket {bucket}"))?;
        let store: Arc<dyn ObjectStore> = if prefix.is_empty() {
            Arc::new(s3)
        } else {
            Arc::new(PrefixStore::new(s3, prefix))
        };
        // S3 keeps a Content-Type per object: set it for anyone browsing.
        Ok(Self::new(store, true))
    }

    /// The store a storage setting names.
    pub fn open(storage: &Storage) -> anyhow::Result<Self> {
        match storage {
            Storage::Local(dir) => Self::local(dir),
            Storage::S3 {
                bucket,
                prefix,
                settings,
            } => Self::s3(bucket, prefix, settings),
        }
    }

    pub fn inner(&self) -> &Arc<dyn ObjectStore> {
        &self.store
    }

    /// Checks that the store refuses to overwrite a key written with
    /// `PutMode::Create`. Uploads, and therefore immutable file URLs, rely
    /// on it; some S3-compatible servers silently overwrite instead.
    pub async fn check_create_only(&self, described_as: &str) -> anyhow::Result<()> {
        let mut random = [0u8; 8];
        getrandom::fill(&mut random).context("the operating system's random source")?;
        let key = format!(".mediakit/create-only-check/{}", hex::encode(random));
        let unreachable = |e: Error| anyhow::anyhow!("cannot write to {described_as}: {e}");
        self.put_new(&key, Bytes::from_static(b"first"), "text/plain")
            .await
            .map_err(unreachable)?;
        let second = self
            .put_new(&key, Bytes::from_static(b"second"), "text/plain")
            .await;
        let kept = self.get(&key, None).await;
        self.delete(&key).await.map_err(unreachable)?;
        match second {
            Err(e) if e.code == ErrorCode::Conflict => {}
            Err(e) => anyhow::bail!(
                "{described_as} failed a create-only write instead of refusing it: {e}"
            ),
            Ok(()) => anyhow::bail!(
                "{described_as} does not honour create-only writes (If-None-Match: *): \
                 a second write to the same key succeeded. mediakit never rewrites a key \
                 and relies on the store to refuse it; use a store that supports \
                 conditional writes (AWS S3, Cloudflare R2, MinIO, SeaweedFS)"
            ),
        }
        anyhow::ensure!(
            kept.ok().as_deref() == Some(b"first".as_slice()),
            "{described_as} lost the first write to {key} after refusing a second one"
        );
        Ok(())
    }

    /// The object at `key` (or its `range`), not yet read.
    async fn fetch(&self, key: &str, range: Option<ByteRange>) -> Result<GetResult> {
        let opts = GetOptions {
            range: range.map(|r| GetRange::Bounded(r.start..r.end)),
            ..GetOptions::default()
        };
        self.store
            .get_opts(&path(key)?, opts)
            .await
            .map_err(|e| map_err(key, e))
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
        let result = self.fetch(key, range).await?;
        result.bytes().await.map_err(|e| map_err(key, e))
    }

    /// Local disk: straight from the file, 64 KiB per blocking read. S3:
    /// object_store's stream, as the HTTP body arrives.
    async fn get_stream(&self, key: &str, range: Option<ByteRange>) -> Result<ByteStream> {
        if let Some(root) = &self.local_root
            && local_read::plain_key(key)
        {
            return local_read::open(root, key, range).await;
        }
        let result = self.fetch(key, range).await?;
        let key = key.to_owned();
        Ok(Box::pin(
            result.into_stream().map_err(move |e| map_err(&key, e)),
        ))
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
        // One chunk per blocking read, never more.
        let chunk = usize::try_from(local_read::CHUNK).unwrap();
        mediakit_core::conformance::blobs::streams_in_chunks(&blobs, chunk).await;
    }
}
