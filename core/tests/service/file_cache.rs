//! The catalog's file cache as file requests see it: writes on this
//! instance are seen at once, writes elsewhere within the time to live.

use mediakit_core::ErrorCode;
use mediakit_core::auth::Scope;
use mediakit_core::catalog::{DEFAULT_FILE_CACHE_TTL_MS, sql};
use mediakit_core::model::MediaPatch;
use mediakit_core::ports::SqlExecutor;

use crate::support::{START, advance, principal, service, upload_of, uploaded};

const ALL: &[Scope] = &[Scope::Read, Scope::Edit, Scope::Delete, Scope::Upload];

#[tokio::test]
async fn a_delete_here_is_seen_by_file_requests_at_once() {
    let s = service().await;
    let media = uploaded(&s, upload_of("photo-grayscale.jpg")).await;
    let admin = principal(&s, ALL).await;

    s.file(&media.id, None, &media.extension).await.unwrap();
    assert_eq!(s.ports().catalog.file_cache().len(), 1, "the row is kept");

    assert!(s.delete(&admin, &media.id).await.unwrap());
    let err = s.file(&media.id, None, &media.extension).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound, "no clock moved: {err:?}");

    assert!(s.restore(&admin, &media.id).await.unwrap());
    s.file(&media.id, None, &media.extension)
        .await
        .expect("restored: served again at once");
}

#[tokio::test]
async fn a_rename_here_changes_the_download_name_at_once() {
    let s = service().await;
    let media = uploaded(&s, upload_of("photo-grayscale.jpg")).await;
    let admin = principal(&s, ALL).await;
    let before = s.file(&media.id, None, &media.extension).await.unwrap();
    assert_eq!(before.download_name, "photo-grayscale.jpg");

    let patch = MediaPatch {
        original_filename: Some("renamed.jpg".into()),
        ..MediaPatch::default()
    };
    s.update(&admin, &[Scope::Edit], &media.id, patch)
        .await
        .unwrap();
    let after = s.file(&media.id, None, &media.extension).await.unwrap();
    assert_eq!(after.download_name, "renamed.jpg");
}

/// Another instance on the same database writes past this one's cache: the
/// raw statement below is what its catalog runs.
#[tokio::test]
async fn a_delete_elsewhere_is_seen_within_the_time_to_live() {
    let s = service().await;
    let media = uploaded(&s, upload_of("photo-grayscale.jpg")).await;
    s.file(&media.id, None, &media.extension).await.unwrap();

    let elsewhere = sql::set_deleted(&media.id, Some(START), START);
    assert_eq!(
        s.ports()
            .catalog
            .executor()
            .execute(&elsewhere)
            .await
            .unwrap(),
        1
    );
    // Still served from memory: this is the bound, and the proof that a
    // cached file request does not ask the database.
    advance(&s, DEFAULT_FILE_CACHE_TTL_MS - 1);
    s.file(&media.id, None, &media.extension)
        .await
        .expect("within the time to live the cached row answers");

    advance(&s, 1);
    let err = s.file(&media.id, None, &media.extension).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound, "{err:?}");
}

/// A file request that read the row just before a write committed must not
/// keep what it read: the write's invalidation refuses the late insertion.
#[tokio::test]
async fn a_read_that_raced_a_write_is_not_kept() {
    let s = service().await;
    let media = uploaded(&s, upload_of("photo-grayscale.jpg")).await;
    let admin = principal(&s, ALL).await;
    let catalog = &s.ports().catalog;

    let generation = catalog.file_cache().generation();
    let read = catalog.media_by_id(&media.id).await.unwrap().unwrap();
    assert!(s.delete(&admin, &media.id).await.unwrap());
    catalog.file_cache().insert(read, START, generation);
    assert!(
        catalog.file_cache().is_empty(),
        "the stale read was dropped"
    );
    let err = s.file(&media.id, None, &media.extension).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
}

#[tokio::test]
async fn unknown_ids_are_not_kept() {
    let s = service().await;
    for i in 0..50 {
        let id = format!("0190a1b2-c3d4-7e5f-8a9b-{i:012x}");
        let err = s.file(&id, None, "jpg").await.unwrap_err();
        assert_eq!(err.code, ErrorCode::NotFound);
    }
    assert!(s.ports().catalog.file_cache().is_empty());
}

#[tokio::test]
async fn the_cache_holds_at_most_its_capacity() {
    use std::sync::Arc;

    use mediakit_core::catalog::FileCache;

    let s = service().await;
    let cache = Arc::new(FileCache::new(DEFAULT_FILE_CACHE_TTL_MS, 2));
    let media = uploaded(&s, upload_of("photo-grayscale.jpg")).await;
    let row = s
        .ports()
        .catalog
        .media_by_id(&media.id)
        .await
        .unwrap()
        .unwrap();
    for i in 0..5 {
        let mut copy = row.clone();
        copy.id = format!("copy-{i}");
        cache.insert(copy, START, cache.generation());
        assert!(cache.len() <= 2, "{} rows", cache.len());
    }
    assert!(cache.get("copy-4", START).is_some(), "the newest is kept");
    assert!(
        cache
            .get("copy-4", START + DEFAULT_FILE_CACHE_TTL_MS)
            .is_none(),
        "expired"
    );
    let off = FileCache::new(0, 100);
    off.insert(row, START, off.generation());
    assert!(off.is_empty(), "ttl 0 turns the cache off");
}
