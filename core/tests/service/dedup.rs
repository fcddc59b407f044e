//! Dedup: an upload of bytes already stored is a media item of its own
//! that shares the stored files; deleting, restoring and purging one never
//! takes what another needs.

use std::sync::{Arc, Mutex};

use bytes::Bytes;
use mediakit_core::auth::{Principal, Scope};
use mediakit_core::config::DEFAULT_RETENTION_MS;
use mediakit_core::model::{Media, purge_marker_key};
use mediakit_core::ports::BlobStore;
use mediakit_core::service::{UploadOutcome, UploadRequest};
use mediakit_core::{ErrorCode, Result};

use crate::support::{
    HOUR, MINUTE, TestService, advance, blob_keys, fixture, principal, service, upload_of,
};

const PHOTO: &str = "photo-seeding-800.jpg";

async fn manager(s: &TestService) -> Principal {
    principal(s, &[Scope::Upload, Scope::Read, Scope::Delete]).await
}

/// Uploads `PHOTO` under another name, with its own tags.
async fn photo_as(s: &TestService, who: &Principal, name: &str) -> Media {
    let req = UploadRequest {
        name: Some(name.into()),
        tags: vec![name.to_lowercase()],
        ..upload_of(PHOTO)
    };
    s.upload(who, req).await.expect("the upload")
}

/// Every file of `media` as its URLs resolve it: (variant, bytes).
async fn served(s: &TestService, media: &Media) -> Vec<(Option<String>, Bytes)> {
    let mut names = vec![None];
    names.extend(media.variants.iter().map(|v| Some(v.name.clone())));
    let mut files = Vec::new();
    for name in names {
        let file = s
            .stored_file(&media.id, name.as_deref())
            .await
            .unwrap_or_else(|e| panic!("{name:?} of {} is not served: {e:?}", media.id));
        let bytes = s.ports().blobs.get(&file.key, None).await.unwrap();
        files.push((name, bytes));
    }
    files
}

fn not_found<T: std::fmt::Debug>(r: Result<T>) -> bool {
    r.unwrap_err().code == ErrorCode::NotFound
}

#[tokio::test]
async fn the_same_bytes_twice_are_two_media_sharing_one_set_of_files() {
    let stored = Arc::new(Mutex::new(Vec::new()));
    let seen = Arc::clone(&stored);
    let s = service()
        .await
        .with_upload_observer(Arc::new(move |o: &UploadOutcome| {
            seen.lock().unwrap().push(o.result);
        }));
    let who = manager(&s).await;
    let first = photo_as(&s, &who, "Harbour").await;
    let keys = blob_keys(&s);
    assert_eq!(keys.len(), 3, "the original and two variants");
    let second = photo_as(&s, &who, "Boats").await;

    assert_ne!(first.id, second.id);
    assert_ne!(first.seq, second.seq);
    assert_eq!(blob_keys(&s), keys, "the second upload wrote no file");
    assert_eq!(second.blob_id, first.id);
    assert_eq!(second.blob_keys(), first.blob_keys());
    assert_eq!(
        (second.sha256.as_str(), second.size, &second.variants),
        (first.sha256.as_str(), first.size, &first.variants)
    );
    assert_eq!(second.placeholder, first.placeholder);
    assert_eq!(
        second.stored_filename,
        format!("{}.jpg", second.id),
        "its own file name"
    );
    for (m, name) in [(&first, "Harbour"), (&second, "Boats")] {
        let got = s.get(&who, &m.id).await.unwrap();
        assert_eq!(
            (got.name.as_str(), got.tags.clone()),
            (name, vec![name.to_lowercase()])
        );
    }
    assert_eq!(served(&s, &first).await, served(&s, &second).await);
    assert_eq!(
        *stored.lock().unwrap(),
        [Ok(first.stored_bytes()), Ok(0)],
        "metrics count the bytes written: none the second time"
    );

    // Each has its own state.
    assert!(s.delete(&who, &first.id).await.unwrap());
    assert!(not_found(s.file(&first.id, None, "jpg").await));
    assert_eq!(
        served(&s, &second).await.len(),
        3,
        "the twin is still served"
    );
}

#[tokio::test]
async fn other_bytes_are_not_shared_but_other_metadata_is() {
    let s = service().await;
    let who = manager(&s).await;
    let photo = photo_as(&s, &who, "Photo").await;
    let other = s
        .upload(&who, upload_of("photo-grayscale.jpg"))
        .await
        .unwrap();
    assert_eq!(other.blob_id, other.id);
    let pdf = s.upload(&who, upload_of("document.pdf")).await.unwrap();
    assert_eq!(pdf.blob_id, pdf.id);
    let again = s.upload(&who, upload_of("document.pdf")).await.unwrap();
    assert_eq!(again.blob_id, pdf.id, "a PDF is shared as well");

    // A comment is metadata: stripped, the file is the photo's original.
    let sent = fixture(PHOTO);
    let mut commented = sent[..2].to_vec();
    commented.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x07]);
    commented.extend_from_slice(b"hello");
    commented.extend_from_slice(&sent[2..]);
    let req = UploadRequest {
        bytes: commented.into(),
        ..upload_of(PHOTO)
    };
    let same_pixels = s.upload(&who, req).await.unwrap();
    assert_eq!(same_pixels.blob_id, photo.id);
    assert_eq!(
        blob_keys(&s).len(),
        3 + other.blob_keys().len() + 1,
        "files of the photo, the other photo and the PDF, once each"
    );
}

#[tokio::test]
async fn purging_one_keeps_what_the_other_needs_until_both_are_gone() {
    let s = service().await;
    let who = manager(&s).await;
    let first = photo_as(&s, &who, "First").await;
    let second = photo_as(&s, &who, "Second").await;
    let files = served(&s, &second).await;
    let keys = blob_keys(&s);

    // The first, whose id names the files, goes through the trash and
    // retention.
    assert!(s.delete(&who, &first.id).await.unwrap());
    advance(&s, DEFAULT_RETENTION_MS + MINUTE);
    let done = s.collect(HOUR).await.unwrap();
    assert_eq!(done.purged_media, 1);
    assert_eq!(
        done.orphan_blobs, 0,
        "files named by a purged id, still used"
    );
    assert!(not_found(s.get_any(&who, &first.id).await));
    assert_eq!(blob_keys(&s), keys, "every file is kept");
    assert_eq!(served(&s, &second).await, files, "byte for byte");

    // The second can still be deleted and restored.
    assert!(s.delete(&who, &second.id).await.unwrap());
    assert!(s.restore(&who, &second.id).await.unwrap());
    assert_eq!(served(&s, &second).await, files);

    // A third upload shares them too; purging the second keeps them.
    let third = photo_as(&s, &who, "Third").await;
    assert_eq!(third.blob_id, first.id);
    s.purge(&who, &second.id).await.unwrap();
    assert_eq!(blob_keys(&s), keys);
    assert_eq!(served(&s, &third).await, files);

    // The last one gone, so are the files (and no marker is left).
    s.purge(&who, &third.id).await.unwrap();
    assert!(blob_keys(&s).is_empty(), "{:?}", blob_keys(&s));
    let fresh = photo_as(&s, &who, "Fresh").await;
    assert_eq!(fresh.blob_id, fresh.id, "nothing left to share");
    assert_eq!(served(&s, &fresh).await, files);
}

#[tokio::test]
async fn a_shared_upload_undone_keeps_its_twins_files() {
    // A failed batch purges what it stored: a shared row, here.
    let s = service().await;
    let who = manager(&s).await;
    let first = photo_as(&s, &who, "First").await;
    let keys = blob_keys(&s);
    let mut batch = s.start_batch(&who).unwrap();
    let item = s.batch_upload(&mut batch, upload_of(PHOTO)).await.unwrap();
    let err = mediakit_core::Error::new(ErrorCode::MalformedMultipart, "broken");
    s.abandon_batch(batch, &err).await.unwrap();
    let undone = item.media_id.unwrap();
    assert!(not_found(s.get_any(&who, &undone).await));
    assert_eq!(blob_keys(&s), keys);
    assert_eq!(served(&s, &first).await.len(), 3);
}

#[tokio::test]
async fn a_marker_left_by_a_purge_makes_uploads_store_their_own() {
    let s = service().await;
    let who = manager(&s).await;
    let first = photo_as(&s, &who, "First").await;
    s.ports()
        .blobs
        .put_new(
            &purge_marker_key(&first.id),
            Bytes::from_static(b"x"),
            "text/plain",
        )
        .await
        .unwrap();
    let second = photo_as(&s, &who, "Second").await;
    assert_eq!(second.blob_id, second.id, "its own files");
    assert_eq!(blob_keys(&s).len(), 7, "two sets and the marker");
    assert_eq!(served(&s, &first).await, served(&s, &second).await);
    // The row it inserted to share was taken back: one row each.
    let listed = s.list(&who, &Default::default()).await.unwrap();
    assert_eq!(listed.total, 2);
    // The next upload shares the newest files, those of the second.
    let third = photo_as(&s, &who, "Third").await;
    assert_eq!(third.blob_id, second.id);
    assert_eq!(blob_keys(&s).len(), 7);
    // Purging the first removes its files and the marker, not the others'.
    s.purge(&who, &first.id).await.unwrap();
    assert_eq!(blob_keys(&s), sorted(second.blob_keys()));
    assert_eq!(served(&s, &third).await, served(&s, &second).await);
}

fn sorted(mut keys: Vec<String>) -> Vec<String> {
    keys.sort();
    keys
}
