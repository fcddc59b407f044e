//! File bodies as responses send them: small files from the in-memory blob
//! cache once read, everything else streamed from storage.

use std::sync::Arc;

use bytes::Bytes;
use futures_util::TryStreamExt;
use mediakit_core::ErrorCode;
use mediakit_core::blob_cache::BlobCache;
use mediakit_core::ports::{BlobStore, ByteRange};
use mediakit_core::service::{FileBody, FileRef};

use crate::support::{TestService, service, upload_of, uploaded};

async fn bytes_of(body: FileBody) -> Bytes {
    match body {
        FileBody::Bytes(b) => b,
        FileBody::Stream(s) => {
            let chunks: Vec<Bytes> = s.try_collect().await.expect("the stream");
            chunks.concat().into()
        }
    }
}

async fn thumb(s: &TestService) -> FileRef {
    let media = uploaded(s, upload_of("photo-grayscale.jpg")).await;
    s.file(&media.id, Some("thumb"), "jpg").await.unwrap()
}

#[tokio::test]
async fn a_small_file_once_read_is_served_from_memory() {
    let s = service()
        .await
        .with_blob_cache(Arc::new(BlobCache::new(1024 * 1024)));
    let file = thumb(&s).await;
    let stored = s.ports().blobs.get(&file.key, None).await.unwrap();
    assert!(matches!(
        s.file_body(&file, None).await.unwrap(),
        FileBody::Bytes(_)
    ));

    // Gone from storage: still answered, so the bytes came from memory.
    s.ports().blobs.delete(&file.key).await.unwrap();
    assert_eq!(
        bytes_of(s.file_body(&file, None).await.unwrap()).await,
        stored
    );
    let range = ByteRange { start: 2, end: 10 };
    assert_eq!(
        bytes_of(s.file_body(&file, Some(range)).await.unwrap()).await,
        stored.slice(2..10)
    );

    // A file the cache holds under this key but with another hash is not
    // the one asked for: storage is asked, and it is gone.
    let other = FileRef {
        sha256: "0".repeat(64),
        ..file.clone()
    };
    let err = s.file_body(&other, None).await.err().expect("not cached");
    assert_eq!(err.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn without_a_cache_every_body_reads_storage() {
    let s = service().await;
    let file = thumb(&s).await;
    let stored = bytes_of(s.file_body(&file, None).await.unwrap()).await;
    assert_eq!(stored.len() as u64, file.size);
    s.ports().blobs.delete(&file.key).await.unwrap();
    let err = s.file_body(&file, None).await.err().expect("deleted blob");
    assert_eq!(err.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn files_larger_than_the_cache_admits_are_streamed() {
    // 8 KiB of cache keeps files of at most 1 KiB: a thumbnail is larger.
    let s = service()
        .await
        .with_blob_cache(Arc::new(BlobCache::new(8 * 1024)));
    let file = thumb(&s).await;
    assert!(file.size > 1024);
    let body = s.file_body(&file, None).await.unwrap();
    assert!(matches!(body, FileBody::Stream(_)));
    assert_eq!(bytes_of(body).await.len() as u64, file.size);
}

#[tokio::test]
async fn a_blob_of_another_length_than_its_row_is_an_error_and_not_kept() {
    let s = service()
        .await
        .with_blob_cache(Arc::new(BlobCache::new(1024 * 1024)));
    let file = thumb(&s).await;
    let blobs = &s.ports().blobs;
    blobs.delete(&file.key).await.unwrap();
    blobs
        .put_new(&file.key, Bytes::from_static(b"truncated"), "image/jpeg")
        .await
        .unwrap();
    for _ in 0..2 {
        let err = s.file_body(&file, None).await.err().expect("wrong size");
        assert_eq!(err.code, ErrorCode::StorageUnavailable, "{err:?}");
    }
}
