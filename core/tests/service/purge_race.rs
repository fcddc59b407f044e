//! Retention racing a restore: the restore lands after the purge selected
//! the row and before it removed it. The row must survive, live, with
//! every file. The race is made exact by running the restore's own
//! statement right after the purge's selection query returns.

use mediakit_core::auth::Scope;
use mediakit_core::catalog::sql;
use mediakit_core::config::DEFAULT_RETENTION_MS;
use mediakit_core::ports::Clock;

use crate::support::{MINUTE, principal, upload_of, watched_service};

#[tokio::test]
async fn a_restore_between_selection_and_purge_keeps_the_row_and_its_files() {
    let s = watched_service().await;
    let manager = principal(&s, &[Scope::Upload, Scope::Read, Scope::Delete]).await;
    let restored = s
        .upload(&manager, upload_of("photo-seeding-800.jpg"))
        .await
        .unwrap();
    let expired = s.upload(&manager, upload_of("document.pdf")).await.unwrap();
    for m in [&restored, &expired] {
        assert!(s.delete(&manager, &m.id).await.unwrap());
    }
    s.ports().clock.advance(DEFAULT_RETENTION_MS + MINUTE);

    // The restore, as `restore` writes it, lands once the purge has
    // selected both rows.
    let restore = sql::set_deleted(&restored.id, None, s.ports().clock.now_ms());
    let selection = sql::deleted_before(0, 0).sql;
    s.ports()
        .catalog
        .executor()
        .after_query(&selection, restore);
    let purged = s.purge_expired().await.unwrap();

    assert_eq!(purged, 1, "only the item still deleted is purged");
    let kept = s
        .get(&manager, &restored.id)
        .await
        .expect("the restored row");
    assert_eq!(kept.deleted_at, None);
    let keys = s.ports().blobs.keys();
    for key in restored.blob_keys() {
        assert!(keys.contains(&key), "{key} was deleted with a live row");
    }
    assert!(!restored.variants.is_empty());
    for variant in &restored.variants {
        let file = s.stored_file(&restored.id, Some(&variant.name)).await;
        assert!(file.is_ok(), "{} is served", variant.name);
    }
    assert!(s.stored_file(&restored.id, None).await.is_ok());
    assert!(s.get_any(&manager, &expired.id).await.is_err());
    for key in expired.blob_keys() {
        assert!(!keys.contains(&key), "{key} of the purged item is left");
    }
}
