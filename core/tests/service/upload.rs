//! Upload: an image is stored with its variants, other files as sent, and a
//! refused upload stores nothing.

use mediakit_core::ErrorCode;
use mediakit_core::MediaKind;
use mediakit_core::auth::Scope;
use mediakit_core::config::ServiceConfig;
use mediakit_core::ports::BlobStore;
use mediakit_core::service::UploadRequest;
use sha2::{Digest, Sha256};

use crate::support::{
    START, blob_keys, fixture, principal, service, service_with, try_upload, upload_of, uploaded,
};

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[tokio::test]
async fn an_image_is_stored_with_its_variants() {
    let s = service().await;
    let uploader = principal(&s, &[Scope::Read, Scope::Upload]).await;
    let media = s
        .upload(
            &uploader,
            UploadRequest {
                alt_text: Some("A harbour at dusk".into()),
                tags: vec!["Sea".into(), "boats".into()],
                ..upload_of("photo-seeding-800.jpg")
            },
        )
        .await
        .unwrap();

    assert!(media.seq > 0, "a numeric id is assigned");
    assert_eq!(media.kind, MediaKind::Jpeg);
    assert_eq!((media.width, media.height), (Some(800), Some(450)));
    assert_eq!(media.name, "photo-seeding-800", "named after the file");
    assert_eq!(media.tags, ["Sea", "boats"]);
    assert_eq!(media.created_at, START);
    assert_eq!(
        media.uploaded_by.as_deref(),
        Some(uploader.token_id.as_str())
    );
    let sizes: Vec<_> = media
        .variants
        .iter()
        .map(|v| (v.name.as_str(), v.width, v.height))
        .collect();
    assert_eq!(
        sizes,
        [("thumb", 256, 144), ("small", 640, 360)],
        "presets below the image's size, never upscaled"
    );

    let original = s
        .ports()
        .blobs
        .get(&media.original_key(), None)
        .await
        .unwrap();
    assert_eq!(sha256_hex(&original), media.sha256);
    assert_eq!(original.len() as u64, media.size);
    for v in &media.variants {
        let bytes = s.ports().blobs.get(&v.key, None).await.unwrap();
        assert_eq!(sha256_hex(&bytes), v.sha256, "{}", v.name);
        assert_eq!(bytes.len() as u64, v.size, "{}", v.name);
        assert_eq!(&bytes[..3], b"\xff\xd8\xff", "{} is a JPEG", v.name);
    }
    assert_eq!(blob_keys(&s).len(), 3, "the original and two variants");
    assert_eq!(s.get(&uploader, &media.id).await.unwrap(), media);
}

#[tokio::test]
async fn private_metadata_never_reaches_the_store() {
    let s = service().await;
    let sent = fixture("photo-orient6.jpg");
    assert!(
        sent.windows(7).any(|w| w == b"TestCam"),
        "the fixture carries camera metadata"
    );
    let media = uploaded(&s, upload_of("photo-orient6.jpg")).await;
    for key in media.blob_keys() {
        let stored = s.ports().blobs.get(&key, None).await.unwrap();
        assert!(
            !stored.windows(7).any(|w| w == b"TestCam"),
            "{key} keeps the camera metadata"
        );
    }
}

#[tokio::test]
async fn a_transparent_image_gets_png_variants() {
    let s = service().await;
    let media = uploaded(&s, upload_of("photo-alpha.png")).await;
    assert_eq!(media.kind, MediaKind::Png);
    let thumb = media.variant("thumb").expect("a thumbnail");
    assert_eq!(thumb.mime_type, "image/png");
    assert_eq!(
        media.variants.len(),
        1,
        "a 400 px image has only a thumbnail"
    );
}

#[tokio::test]
async fn a_document_is_stored_as_sent_without_variants() {
    let s = service().await;
    let media = uploaded(
        &s,
        UploadRequest {
            name: Some("Annual report".into()),
            ..upload_of("document.pdf")
        },
    )
    .await;
    assert_eq!(media.kind, MediaKind::Pdf);
    assert_eq!(media.mime_type, "application/pdf");
    assert_eq!(media.name, "Annual report");
    assert!(media.variants.is_empty());
    assert_eq!((media.width, media.height), (None, None));
    let stored = s
        .ports()
        .blobs
        .get(&media.original_key(), None)
        .await
        .unwrap();
    assert_eq!(stored, fixture("document.pdf"), "byte for byte");
}

#[tokio::test]
async fn refused_uploads_store_nothing() {
    let s = service().await;
    let uploader = principal(&s, &[Scope::Upload, Scope::Read]).await;
    let reader = principal(&s, &[Scope::Read]).await;

    let err = s.upload(&uploader, upload_of("not-a-jpeg.txt")).await;
    assert_eq!(err.unwrap_err().code, ErrorCode::UnsupportedType);
    let err = s.upload(&reader, upload_of("photo-seeding-800.jpg")).await;
    assert_eq!(err.unwrap_err().code, ErrorCode::Forbidden);
    let mut truncated = upload_of("photo-seeding-800.jpg");
    truncated.bytes = truncated.bytes.slice(..truncated.bytes.len() / 2);
    let err = s.upload(&uploader, truncated).await;
    assert_eq!(err.unwrap_err().code, ErrorCode::ImageCorrupt);
    let too_long = UploadRequest {
        alt_text: Some("x".repeat(256)),
        ..upload_of("photo-seeding-800.jpg")
    };
    let err = s.upload(&uploader, too_long).await;
    assert_eq!(err.unwrap_err().code, ErrorCode::AltTextTooLong);

    assert!(blob_keys(&s).is_empty(), "no blob: {:?}", blob_keys(&s));
    let listed = s.list(&reader, &Default::default()).await.unwrap();
    assert_eq!(listed.total, 0, "no row");
}

#[tokio::test]
async fn limits_come_from_the_configuration() {
    let mut config = ServiceConfig::default();
    config.limits.max_upload_bytes = 1000;
    let small = service_with(config).await;
    let err = try_upload(&small, upload_of("photo-seeding-800.jpg")).await;
    assert_eq!(err.unwrap_err().code, ErrorCode::FileTooLarge);
    let pdf = try_upload(&small, upload_of("document.pdf")).await;
    assert!(pdf.is_ok(), "593 bytes fit: {pdf:?}");

    let mut config = ServiceConfig::default();
    config.limits.max_pixels = 100_000;
    let few_pixels = service_with(config).await;
    let err = try_upload(&few_pixels, upload_of("photo-seeding-800.jpg")).await;
    assert_eq!(err.unwrap_err().code, ErrorCode::ImageTooManyPixels);
    let png = try_upload(&few_pixels, upload_of("photo-alpha.png")).await;
    assert!(png.is_ok(), "400 × 225 fits: {png:?}");

    let read_only = service_with(ServiceConfig {
        uploads_enabled: false,
        ..ServiceConfig::default()
    })
    .await;
    let err = try_upload(&read_only, upload_of("document.pdf")).await;
    assert_eq!(err.unwrap_err().code, ErrorCode::UploadsDisabled);
}

#[tokio::test]
async fn an_image_past_its_deadline_is_refused_by_the_service_clock() {
    // The deadline reads the service's clock port: the manual clock stands
    // still, so 1 ms is never reached however long decoding really takes.
    let mut config = ServiceConfig::default();
    config.limits.image_deadline_ms = 1;
    let stopped = service_with(config).await;
    let uploader = principal(&stopped, &[Scope::Upload]).await;
    let ok = stopped
        .upload(&uploader, upload_of("photo-seeding-800.jpg"))
        .await;
    assert!(ok.is_ok(), "the clock did not move: {ok:?}");

    // No time at all: the job is abandoned at its first check.
    let mut config = ServiceConfig::default();
    config.limits.image_deadline_ms = 0;
    let s = service_with(config).await;
    let uploader = principal(&s, &[Scope::Upload]).await;
    let err = s
        .upload(&uploader, upload_of("photo-progressive.jpg"))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::ImageTooComplex);
    assert!(err.message.contains("0 ms"), "{}", err.message);
    assert!(blob_keys(&s).is_empty(), "no blob: {:?}", blob_keys(&s));
    // What is not decoded has no deadline to meet.
    let pdf = s.upload(&uploader, upload_of("document.pdf")).await;
    assert!(pdf.is_ok(), "{pdf:?}");
}
