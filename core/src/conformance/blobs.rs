//! The BlobStore contract. Every adapter (local disk, S3, R2) runs
//! [`run_all`] against an empty store.

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;

use crate::error::{ErrorCode, Result};
use crate::ports::{BlobStore, ByteRange, ByteStream};

/// Runs every check; panics with a message naming the broken rule.
pub async fn run_all<B: BlobStore>(b: &B) {
    put_get_round_trip(b).await;
    create_only(b).await;
    ranges(b).await;
    missing_and_delete(b).await;
    listing(b).await;
    binary_and_large(b).await;
    streams(b).await;
}

/// Every chunk of a stream, and the largest chunk's size.
async fn drain(stream: Result<ByteStream>) -> (Bytes, usize) {
    let mut stream = stream.expect("get_stream");
    let (mut all, mut largest) = (BytesMut::new(), 0);
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.expect("a chunk of the stream");
        largest = largest.max(chunk.len());
        all.extend_from_slice(&chunk);
    }
    (all.freeze(), largest)
}

/// Streams carry the same bytes as whole reads, for the blob and for
/// ranges of it; a missing key fails when opened, not mid-stream.
async fn streams(b: &impl BlobStore) {
    let r = |start, end| Some(ByteRange { start, end });
    let key = "media/a/original.jpg";
    assert_eq!(drain(b.get_stream(key, None).await).await.0, "hello blob");
    assert_eq!(drain(b.get_stream(key, r(6, 10)).await).await.0, "blob");
    assert_eq!(drain(b.get_stream(key, r(0, 1)).await).await.0, "h");
    let big = b.get("media/big/original.mp4", None).await.unwrap();
    let len = big.len() as u64;
    let (got, _) = drain(b.get_stream("media/big/original.mp4", None).await).await;
    assert!(got == big, "a 6 MiB blob streams whole");
    let (got, _) = drain(
        b.get_stream("media/big/original.mp4", r(len - 5_000_000, len - 7))
            .await,
    )
    .await;
    assert!(
        got == big.slice(big.len() - 5_000_000..big.len() - 7),
        "a range of 5 MB streams exactly"
    );
    let err = b
        .get_stream("media/zzz/original.jpg", None)
        .await
        .err()
        .expect("a missing blob");
    assert_eq!(err.code, ErrorCode::NotFound);
}

/// Streams come in chunks of at most `max_chunk` bytes: a 6 MiB blob is
/// never handed over in one piece. Separate from [`run_all`] because the
/// chunk size is the store's: stores whose reads are known to be chunked
/// (local disk, S3, the in-memory one) run it after the suite.
pub async fn streams_in_chunks<B: BlobStore>(b: &B, max_chunk: usize) {
    let (got, largest) = drain(b.get_stream("media/big/original.mp4", None).await).await;
    assert!(got.len() > 6 * 1024 * 1024, "run after run_all");
    assert!(
        largest <= max_chunk,
        "a chunk of {largest} bytes (at most {max_chunk} expected)"
    );
}

async fn put_get_round_trip(b: &impl BlobStore) {
    let data = Bytes::from_static(b"hello blob");
    b.put_new("media/a/original.jpg", data.clone(), "image/jpeg")
        .await
        .expect("put_new");
    assert_eq!(b.get("media/a/original.jpg", None).await.unwrap(), data);
}

async fn create_only(b: &impl BlobStore) {
    let err = b
        .put_new(
            "media/a/original.jpg",
            Bytes::from_static(b"other"),
            "image/jpeg",
        )
        .await
        .expect_err("a key is never overwritten");
    assert_eq!(err.code, ErrorCode::Conflict, "{err}");
    assert_eq!(
        b.get("media/a/original.jpg", None).await.unwrap(),
        Bytes::from_static(b"hello blob"),
        "the first write survives"
    );
}

async fn ranges(b: &impl BlobStore) {
    let r = |start, end| Some(ByteRange { start, end });
    assert_eq!(
        b.get("media/a/original.jpg", r(0, 5)).await.unwrap(),
        "hello"
    );
    assert_eq!(
        b.get("media/a/original.jpg", r(6, 10)).await.unwrap(),
        "blob"
    );
    assert_eq!(b.get("media/a/original.jpg", r(9, 10)).await.unwrap(), "b");
}

async fn missing_and_delete(b: &impl BlobStore) {
    let err = b
        .get("media/zzz/original.jpg", None)
        .await
        .expect_err("missing");
    assert_eq!(err.code, ErrorCode::NotFound);
    b.put_new("media/d/x.png", Bytes::from_static(b"x"), "image/png")
        .await
        .unwrap();
    b.delete("media/d/x.png").await.unwrap();
    assert_eq!(
        b.get("media/d/x.png", None).await.unwrap_err().code,
        ErrorCode::NotFound
    );
    b.delete("media/d/x.png")
        .await
        .expect("deleting a missing key is fine");
    b.put_new("media/d/x.png", Bytes::from_static(b"again"), "image/png")
        .await
        .expect("a deleted key can be written again");
}

async fn listing(b: &impl BlobStore) {
    for k in [
        "media/l1/original.jpg",
        "media/l1/thumb.jpg",
        "media/l2/original.png",
    ] {
        b.put_new(k, Bytes::from_static(b"1"), "image/jpeg")
            .await
            .unwrap();
    }
    let mut l1 = b.list("media/l1/").await.unwrap();
    l1.sort();
    assert_eq!(l1, ["media/l1/original.jpg", "media/l1/thumb.jpg"]);
    let all = b.list("media/").await.unwrap();
    assert!(all.contains(&"media/l2/original.png".to_owned()));
    assert!(all.contains(&"media/a/original.jpg".to_owned()));
    assert!(b.list("media/none/").await.unwrap().is_empty());
}

async fn binary_and_large(b: &impl BlobStore) {
    let big: Vec<u8> = (0..(6 * 1024 * 1024 + 7))
        .map(|i: u32| (i * 31 % 251) as u8)
        .collect();
    let big = Bytes::from(big);
    b.put_new("media/big/original.mp4", big.clone(), "video/mp4")
        .await
        .unwrap();
    let got = b.get("media/big/original.mp4", None).await.unwrap();
    assert!(got == big, "6 MiB of binary data round-trips");
    let tail = b
        .get(
            "media/big/original.mp4",
            Some(ByteRange {
                start: big.len() as u64 - 3,
                end: big.len() as u64,
            }),
        )
        .await
        .unwrap();
    assert_eq!(tail, big.slice(big.len() - 3..));
}
