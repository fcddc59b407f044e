//! The BlobStore contract on a real S3-compatible server (SeaweedFS in CI),
//! and the start-up check of create-only writes. Needs stage 30's services.

mod support;

use mediakit_server::adapters::blobs::ObjectStoreBlobs;
use mediakit_server::backend;
use mediakit_server::stores::{Secret, Storage};

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
    // HTTP body frames: far below the 6 MiB blob.
    mediakit_core::conformance::blobs::streams_in_chunks(&blobs, 1024 * 1024).await;
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

/// s3rver: a real S3 server that accepts `If-None-Match: *` and overwrites
/// anyway (credentials fixed to S3RVER/S3RVER).
fn overwriting_store() -> Storage {
    let settings = mediakit_server::stores::S3Settings {
        endpoint: Some(support::env("MEDIAKIT_TEST_OVERWRITING_S3_ENDPOINT")),
        region: "us-east-1".into(),
        access_key_id: Some("S3RVER".into()),
        secret_access_key: Some(Secret::new("S3RVER")),
        session_token: None,
        virtual_hosted_style: false,
    };
    let bucket = support::env("MEDIAKIT_TEST_OVERWRITING_S3_BUCKET");
    Storage::parse(
        &format!("s3://{bucket}/{}", support::unique("p")),
        &settings,
    )
    .unwrap()
}

#[tokio::test]
async fn a_store_that_overwrites_create_only_writes_fails_the_check() {
    let location = overwriting_store();
    let blobs = ObjectStoreBlobs::open(&location).unwrap();
    let err = backend::check_storage(&blobs, &location)
        .await
        .expect_err("s3rver overwrites");
    assert!(
        format!("{err:#}").contains("does not honour create-only writes"),
        "{err:#}"
    );
}

#[test]
fn the_server_refuses_to_start_on_a_store_that_overwrites() {
    let Storage::S3 { bucket, prefix, .. } = overwriting_store() else {
        unreachable!()
    };
    let data = tempfile::tempdir().unwrap();
    // MEDIAKIT_BIN: the stage's private copy (see 30-postgres-s3.sh).
    let bin = std::env::var("MEDIAKIT_BIN").unwrap_or(env!("CARGO_BIN_EXE_mediakit").to_owned());
    let out = std::process::Command::new(bin)
        .args(["serve", "--listen", "127.0.0.1:0", "--storage"])
        .arg(format!("s3://{bucket}/{prefix}"))
        .arg("--data")
        .arg(data.path())
        .env(
            "MEDIAKIT_S3_ENDPOINT",
            support::env("MEDIAKIT_TEST_OVERWRITING_S3_ENDPOINT"),
        )
        .env("AWS_ACCESS_KEY_ID", "S3RVER")
        .env("AWS_SECRET_ACCESS_KEY", "S3RVER")
        .current_dir(data.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "it must not serve: {stderr}");
    assert!(
        stderr.contains("does not honour create-only writes"),
        "{stderr}"
    );
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("listening"),
        "it never listened"
    );
    assert!(
        !data.path().join("admin-token").exists(),
        "no token created for a store it will not use"
    );
}
