//! Import: a plain file is skipped when the library already holds its
//! stored bytes; an exported item comes back under its own id and times,
//! and is skipped when that id is there.

use mediakit_core::ErrorCode;
use mediakit_core::auth::{Principal, Scope};
use mediakit_core::model::{FocalPoint, Media, MediaPatch};
use mediakit_core::ports::BlobStore;
use mediakit_core::service::{ExportedItem, Imported, UploadRequest};

use crate::support::{HOUR, START, TestService, advance, blob_keys, principal, service, upload_of};

const PHOTO: &str = "photo-seeding-800.jpg";

async fn admin(s: &TestService) -> Principal {
    principal(s, &[Scope::Admin]).await
}

fn stored(imported: Imported) -> Media {
    match imported {
        Imported::Stored(m) => m,
        other => panic!("expected a new item, got {other:?}"),
    }
}

fn already_there(imported: Imported) -> Media {
    match imported {
        Imported::AlreadyThere(m) => m,
        other => panic!("expected the item already there, got {other:?}"),
    }
}

/// What an export of `m` records.
fn exported(m: &Media) -> ExportedItem {
    ExportedItem {
        id: m.id.clone(),
        sha256: m.sha256.clone(),
        created_at: m.created_at,
        updated_at: m.updated_at,
        unlisted_at: m.unlisted_at,
        uploaded_by: m.uploaded_by.clone(),
        credit: m.credit.clone(),
        focal_point: m.focal_point,
    }
}

#[tokio::test]
async fn a_plain_file_already_in_the_library_is_not_imported_again() {
    let s = service().await;
    let who = principal(&s, &[Scope::Upload]).await;
    // Uploaded before with its EXIF block; the import compares the bytes
    // as stored (stripped), so the same photo is recognised.
    let first = s.upload(&who, upload_of(PHOTO)).await.unwrap();
    let keys = blob_keys(&s);
    let again = already_there(s.import_file(&who, upload_of(PHOTO)).await.unwrap());
    assert_eq!(again.id, first.id);
    assert_eq!(blob_keys(&s), keys, "nothing stored");

    // A new file is imported, once.
    let png = stored(
        s.import_file(&who, upload_of("photo-alpha.png"))
            .await
            .unwrap(),
    );
    let twice = already_there(
        s.import_file(&who, upload_of("photo-alpha.png"))
            .await
            .unwrap(),
    );
    assert_eq!(twice.id, png.id);

    // One in the trash counts as there: a re-run does not bring back
    // what someone deleted.
    let deleter = principal(&s, &[Scope::Delete]).await;
    s.delete(&deleter, &png.id).await.unwrap();
    let trashed = already_there(
        s.import_file(&who, upload_of("photo-alpha.png"))
            .await
            .unwrap(),
    );
    assert_eq!(trashed.id, png.id);
}

#[tokio::test]
async fn an_exported_item_comes_back_with_its_id_times_and_history() {
    let source = service().await;
    let who = admin(&source).await;
    let req = UploadRequest {
        name: Some("Harbour".into()),
        tags: vec!["sea".into(), "boats".into()],
        alt_text: Some("Boats in a harbour".into()),
        unlisted: true,
        ..upload_of(PHOTO)
    };
    let original = source.upload(&who, req).await.unwrap();
    advance(&source, HOUR);
    let edited = source
        .update(
            &who,
            &[Scope::Edit],
            &original.id,
            MediaPatch {
                credit: Some(Some("Jo Doe".into())),
                focal_point: Some(Some(FocalPoint { x: 2500, y: 7500 })),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let bytes = source
        .ports()
        .blobs
        .get(&edited.original_key(), None)
        .await
        .unwrap();

    // Another instance, a day later.
    let target = service().await;
    advance(&target, 24 * HOUR);
    let importer = admin(&target).await;
    let item = exported(&edited);
    let req = UploadRequest {
        filename: Some(edited.original_filename.clone()),
        bytes: bytes.clone(),
        name: Some(edited.name.clone()),
        tags: edited.tags.clone(),
        alt_text: edited.alt_text.clone(),
        unlisted: true,
        ..UploadRequest::default()
    };
    let back = stored(target.import_exported(&importer, req, &item).await.unwrap());
    assert_eq!(back.created_at, START);
    assert_eq!(back.updated_at, Some(START + HOUR));
    assert_eq!(
        Media {
            seq: back.seq,
            ..edited.clone()
        },
        back,
        "every field as exported (the numeric id is this instance's)"
    );
    let listed = target.get(&importer, &edited.id).await.unwrap();
    assert_eq!(listed.variants, edited.variants, "the same renditions");

    // A second run finds it and stores nothing.
    let keys = blob_keys(&target);
    let req = UploadRequest {
        bytes,
        ..UploadRequest::default()
    };
    let again = already_there(target.import_exported(&importer, req, &item).await.unwrap());
    assert_eq!(again.id, edited.id);
    assert_eq!(blob_keys(&target), keys);
}

#[tokio::test]
async fn a_damaged_or_clashing_export_is_refused_and_nothing_is_stored() {
    let s = service().await;
    let who = admin(&s).await;
    let photo = s.upload(&who, upload_of(PHOTO)).await.unwrap();
    let target = service().await;
    let importer = admin(&target).await;
    let item = exported(&photo);

    // Bytes that are not the exported original.
    let err = target
        .import_exported(&importer, upload_of("photo-alpha.png"), &item)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidRequest, "{err:?}");
    assert!(blob_keys(&target).is_empty());

    // Not an id.
    let bad = ExportedItem {
        id: "../../etc".into(),
        ..item.clone()
    };
    let err = target
        .import_exported(&importer, upload_of(PHOTO), &bad)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidRequest);

    // The id taken by another file.
    let png = target
        .upload(&importer, upload_of("photo-alpha.png"))
        .await
        .unwrap();
    let clash = ExportedItem {
        id: png.id.clone(),
        ..item.clone()
    };
    let err = target
        .import_exported(&importer, upload_of(PHOTO), &clash)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);

    // Only an admin writes history.
    let uploader = principal(&target, &[Scope::Upload]).await;
    let err = target
        .import_exported(&uploader, upload_of(PHOTO), &item)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);
    assert_eq!(blob_keys(&target).len(), 1 + png.variants.len());
}
