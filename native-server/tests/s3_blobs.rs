//! The BlobStore contract on a real S3-compatible server (SeaweedFS in CI),
//! and the start-up check of create-only writes. Needs stage 30's services.

mod support;

use mediakit_server::adapters::blobs::ObjectStoreBlobs;
use mediakit_server::backend;
use mediakit_server::locations::{Secret, Storage};

fn storage(prefix: &str, secret: Option<&str>) -> Storage {
    let mut settings = support::s3_settings();
    if let Some(s) = secret {
        settings.secret_access_key = Some(Secret::new(s));
    }
    Storage::parse(
        &format!("s3://{}/{prefix}", support::s3_bucket()),
        &settings,
    )
    .unwrap()
}

#[tokio::test]
async fn s3_passes_the_blob_store_contract() {
    let location = storage(&support::unique("contract"), None);
    let blobs = ObjectStoreBlobs::open(&location).unwrap();
    mediakit_core::conformance::blobs::run_all(&blobs).await;
}

#[tokio::test]
async fn s3_at_the_bucket_root_passes_the_contract_too() {
    // Its own bucket, so that "the root" starts empty.
    let bucket = support::unique("mk-root").replace('_', "-");
    let settings = support::s3_settings();
    let location = Storage::parse(&format!("s3://{bucket}"), &settings).unwrap();
    let blobs = ObjectStoreBlobs::open(&location).unwrap();
    // SeaweedFS creates a bucket on first write for admin identities.
    mediakit_core::conformance::blobs::run_all(&blobs).await;
}

#[tokio::test]
async fn the_start_up_check_accepts_a_store_that_refuses_overwrites() {
    let location = storage(&support::unique("check"), None);
    let blobs = ObjectStoreBlobs::open(&location).unwrap();
    backend::check_storage(&blobs, &location).await.unwrap();
    let left: Vec<_> = futures_util::TryStreamExt::try_collect::<Vec<_>>(blobs.inner().list(None))
        .await
        .unwrap();
    assert!(
        left.is_empty(),
        "the check cleans up after itself: {left:?}"
    );
}

#[tokio::test]
async fn a_wrong_secret_fails_the_start_up_check_clearly() {
    let location = storage(&support::unique("denied"), Some("not-the-secret"));
    let blobs = ObjectStoreBlobs::open(&location).unwrap();
    let err = backend::check_storage(&blobs, &location)
        .await
        .expect_err("a wrong secret must not pass");
    let msg = format!("{err:#}");
    assert!(msg.contains("cannot write to s3://"), "{msg}");
    assert!(
        !msg.contains("not-the-secret"),
        "secrets never printed: {msg}"
    );
}
