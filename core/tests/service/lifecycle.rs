//! Delete, restore, purge, retention and orphan collection.

use bytes::Bytes;
use mediakit_core::auth::Scope;
use mediakit_core::config::DEFAULT_RETENTION_MS;
use mediakit_core::ids::uuid_v7;
use mediakit_core::ports::BlobStore;
use mediakit_core::service::Collected;
use mediakit_core::{ErrorCode, Result};

use crate::support::{
    HOUR, MINUTE, START, advance, blob_keys, principal, service, upload_of, uploaded,
};

fn not_found<T: std::fmt::Debug>(r: Result<T>) -> bool {
    r.unwrap_err().code == ErrorCode::NotFound
}

#[tokio::test]
async fn a_deleted_item_is_hidden_restorable_then_purged_after_retention() {
    let s = service().await;
    let manager = principal(&s, &[Scope::Upload, Scope::Read, Scope::Delete]).await;
    let media = s
        .upload(&manager, upload_of("photo-seeding-800.jpg"))
        .await
        .unwrap();
    let keys = media.blob_keys();

    let err = s
        .delete(&principal(&s, &[Scope::Read]).await, &media.id)
        .await;
    assert_eq!(err.unwrap_err().code, ErrorCode::Forbidden);
    assert!(s.delete(&manager, &media.id).await.unwrap());
    assert!(
        !s.delete(&manager, &media.id).await.unwrap(),
        "already deleted"
    );
    assert!(not_found(s.get(&manager, &media.id).await));
    assert!(not_found(s.file(&media.id, None, "jpg").await), "no file");
    let listed = s.list(&manager, &Default::default()).await.unwrap();
    assert_eq!(listed.total, 0);
    assert_eq!(blob_keys(&s), sorted(&keys), "the files are kept meanwhile");

    assert!(s.restore(&manager, &media.id).await.unwrap());
    assert!(
        !s.restore(&manager, &media.id).await.unwrap(),
        "not deleted"
    );
    assert_eq!(s.get(&manager, &media.id).await.unwrap().deleted_at, None);
    assert!(s.file(&media.id, Some("small"), "jpg").await.is_ok());

    s.delete(&manager, &media.id).await.unwrap();
    advance(&s, DEFAULT_RETENTION_MS - MINUTE);
    assert_eq!(s.collect(HOUR).await.unwrap(), Collected::default());
    assert!(
        s.get_any(&manager, &media.id).await.is_ok(),
        "still restorable"
    );
    advance(&s, 2 * MINUTE);
    let done = s.collect(HOUR).await.unwrap();
    assert_eq!(done.purged_media, 1);
    assert!(
        not_found(s.get_any(&manager, &media.id).await),
        "the row is gone"
    );
    assert!(
        blob_keys(&s).is_empty(),
        "and its files: {:?}",
        blob_keys(&s)
    );
}

fn sorted(keys: &[String]) -> Vec<String> {
    let mut keys = keys.to_vec();
    keys.sort();
    keys
}

#[tokio::test]
async fn a_purge_removes_the_item_and_its_files_at_once() {
    let s = service().await;
    let manager = principal(&s, &[Scope::Upload, Scope::Read, Scope::Delete]).await;
    let kept = s.upload(&manager, upload_of("document.pdf")).await.unwrap();
    let media = s
        .upload(&manager, upload_of("photo-seeding-800.jpg"))
        .await
        .unwrap();
    s.purge(&manager, &media.id).await.unwrap();
    assert!(not_found(s.get_any(&manager, &media.id).await));
    assert_eq!(
        blob_keys(&s),
        kept.blob_keys(),
        "only the other item's file"
    );
    assert!(not_found(s.purge(&manager, &media.id).await), "purged once");
}

#[tokio::test]
async fn orphaned_files_are_collected_once_old_enough() {
    let s = service().await;
    let live = uploaded(&s, upload_of("document.pdf")).await;
    // Files under ids no row refers to: one from an upload two hours ago
    // that crashed before writing its row, one from an upload in flight.
    let old = format!("media/{}/original.jpg", uuid_v7(START - 2 * HOUR, [1; 10]));
    let young = format!("media/{}/original.jpg", uuid_v7(START - MINUTE, [2; 10]));
    for key in [&old, &young] {
        s.ports()
            .blobs
            .put_new(key, Bytes::from_static(b"x"), "image/jpeg")
            .await
            .unwrap();
    }
    advance(&s, MINUTE);
    assert_eq!(s.collect_orphans(HOUR).await.unwrap(), 1, "the old one");
    let mut expected = vec![young.clone()];
    expected.extend(live.blob_keys());
    assert_eq!(blob_keys(&s), sorted(&expected));
    // Two hours on, the young orphan is old enough, and so is the live
    // item: its row keeps it.
    advance(&s, 2 * HOUR);
    assert_eq!(
        s.collect_orphans(HOUR).await.unwrap(),
        1,
        "now the young one"
    );
    assert_eq!(blob_keys(&s), live.blob_keys());
}

#[tokio::test]
async fn a_delete_only_token_deletes_and_restores_but_reads_no_metadata() {
    let s = service().await;
    let uploader = principal(&s, &[Scope::Upload]).await;
    let media = s
        .upload(&uploader, upload_of("document.pdf"))
        .await
        .unwrap();
    let deleter = principal(&s, &[Scope::Delete]).await;
    let forbidden = |r: Result<_>| {
        r.map(|_: mediakit_core::model::Media| ()).unwrap_err().code == ErrorCode::Forbidden
    };

    assert!(forbidden(s.get_any(&deleter, &media.id).await), "live item");
    assert!(
        s.delete(&deleter, &media.id).await.unwrap(),
        "deleting works"
    );
    assert!(
        forbidden(s.get_any(&deleter, &media.id).await),
        "deleted item"
    );
    assert!(
        s.restore(&deleter, &media.id).await.unwrap(),
        "restoring works"
    );

    let manager = principal(&s, &[Scope::Read, Scope::Delete]).await;
    assert_eq!(s.get_any(&manager, &media.id).await.unwrap().id, media.id);
    let reader = principal(&s, &[Scope::Read]).await;
    assert!(forbidden(s.get_any(&reader, &media.id).await), "needs both");
}
