//! Dedup racing a purge, made exact with the watched executor: the other
//! side's statement lands right after a given query returns. Whatever the
//! interleaving, no live item loses a file (see core/src/service/
//! shared_files.rs for the protocol these walk through).

use bytes::Bytes;
use mediakit_core::MediaKind;
use mediakit_core::auth::{Principal, Scope};
use mediakit_core::catalog::sql;
use mediakit_core::model::{Media, purge_marker_key};
use mediakit_core::ports::BlobStore;
use mediakit_core::service::{MediaService, UploadRequest};

use crate::support::{HOUR, Watched, principal, upload_of, watched_service};

type Service = MediaService<Watched>;

async fn manager(s: &Service) -> Principal {
    principal(s, &[Scope::Upload, Scope::Read, Scope::Delete]).await
}

async fn photo(s: &Service, who: &Principal, name: &str) -> Media {
    let req = UploadRequest {
        name: Some(name.into()),
        ..upload_of("photo-seeding-800.jpg")
    };
    s.upload(who, req).await.expect("the upload")
}

/// Every file of `media` is served, with the bytes its row describes.
async fn all_served(s: &Service, media: &Media) {
    let mut names = vec![None];
    names.extend(media.variants.iter().map(|v| Some(v.name.as_str())));
    for name in names {
        let file = s.stored_file(&media.id, name).await.unwrap();
        let bytes = s.ports().blobs.get(&file.key, None).await;
        let bytes = bytes.unwrap_or_else(|_| panic!("{} lost {name:?}", media.id));
        assert_eq!(bytes.len() as u64, file.size, "{name:?}");
    }
}

fn keys(s: &Service) -> Vec<String> {
    s.ports().blobs.keys()
}

/// The twin query an upload runs, whatever its arguments.
fn twin_query() -> String {
    sql::media_with_content("", 0, MediaKind::Jpeg).sql
}

#[tokio::test]
async fn a_purge_of_the_twin_after_the_lookup_leaves_the_files_to_the_new_row() {
    let s = watched_service().await;
    let who = manager(&s).await;
    let twin = photo(&s, &who, "Twin").await;
    // The twin's row goes once the upload has found it; the files are
    // released after the new row is in: they are in use, so kept.
    s.ports()
        .catalog
        .executor()
        .after_query(&twin_query(), sql::remove_media(&twin.id));
    let shared = photo(&s, &who, "Shared").await;
    assert_eq!(shared.blob_id, twin.id, "it shares");
    s.ports().clock.advance(2 * HOUR);
    assert_eq!(s.collect_orphans(HOUR).await.unwrap(), 0);
    all_served(&s, &shared).await;
}

#[tokio::test]
async fn an_upload_that_finds_the_files_being_released_stores_its_own() {
    let s = watched_service().await;
    let who = manager(&s).await;
    let twin = photo(&s, &who, "Twin").await;
    // A release of the twin's files is under way: its row is gone (after
    // the upload found it) and its marker written.
    s.ports()
        .blobs
        .put_new(
            &purge_marker_key(&twin.id),
            Bytes::from_static(b"x"),
            "text/plain",
        )
        .await
        .unwrap();
    s.ports()
        .catalog
        .executor()
        .after_query(&twin_query(), sql::remove_media(&twin.id));
    let own = photo(&s, &who, "Own").await;
    assert_eq!(own.blob_id, own.id, "it stored its own files");
    // The release goes on and deletes the twin's files; the upload's stay.
    s.ports().clock.advance(2 * HOUR);
    assert_eq!(s.collect_orphans(HOUR).await.unwrap(), 3);
    assert_eq!(keys(&s), sorted(own.blob_keys()));
    all_served(&s, &own).await;
}

#[tokio::test]
async fn an_upload_that_finds_the_files_released_stores_its_own() {
    let s = watched_service().await;
    let who = manager(&s).await;
    let twin = photo(&s, &who, "Twin").await;
    // The release ran to its end between the lookup and the check: the
    // row, the files and the marker are all gone.
    s.ports()
        .catalog
        .executor()
        .after_query(&twin_query(), sql::remove_media(&twin.id));
    for key in twin.blob_keys() {
        s.ports().blobs.delete(&key).await.unwrap();
    }
    let own = photo(&s, &who, "Own").await;
    assert_eq!(own.blob_id, own.id);
    assert_eq!(keys(&s), sorted(own.blob_keys()));
    all_served(&s, &own).await;
    let listed = s.list(&who, &Default::default()).await.unwrap();
    assert_eq!(
        listed.total, 1,
        "the row that tried to share was taken back"
    );
}

#[tokio::test]
async fn a_purge_that_sees_a_new_sharer_at_its_second_look_keeps_the_files() {
    let s = watched_service().await;
    let who = manager(&s).await;
    let twin = photo(&s, &who, "Twin").await;
    // An upload's row, sharing the twin's files, lands between the purge's
    // first look (nobody uses them) and its marker's check.
    let sharer = Media {
        id: "01900000-0000-7000-8000-000000000001".into(),
        stored_filename: "01900000-0000-7000-8000-000000000001.jpg".into(),
        name: "Sharer".into(),
        ..twin.clone()
    };
    let users = sql::blob_user(&twin.id).sql;
    s.ports()
        .catalog
        .executor()
        .after_query(&users, sql::insert_media(&sharer));
    s.purge(&who, &twin.id).await.unwrap();

    let marker = purge_marker_key(&twin.id);
    let mut expected = twin.blob_keys();
    expected.push(marker.clone());
    expected.sort();
    assert_eq!(keys(&s), expected, "every file kept, and the marker");
    all_served(&s, &s.get(&who, &sharer.id).await.unwrap()).await;

    // While the marker is there, a new upload stores its own files.
    let own = photo(&s, &who, "Own").await;
    assert_eq!(own.blob_id, own.id);
    // Once the sharer is purged, its files and the marker go.
    s.purge(&who, &sharer.id).await.unwrap();
    assert_eq!(keys(&s), sorted(own.blob_keys()));
    all_served(&s, &own).await;
}

fn sorted(mut keys: Vec<String>) -> Vec<String> {
    keys.sort();
    keys
}
