//! Editing metadata and the unlisted state.

use mediakit_core::ErrorCode;
use mediakit_core::auth::Scope;
use mediakit_core::model::{ListQuery, MediaPatch};
use mediakit_core::service::UploadRequest;

use crate::support::{MINUTE, START, advance, principal, service, upload_of, uploaded};

const EDIT: &[Scope] = &[Scope::Edit];

#[tokio::test]
async fn an_edit_changes_what_it_names_and_what_search_finds() {
    let s = service().await;
    let editor = principal(&s, &[Scope::Edit, Scope::Read]).await;
    let media = uploaded(
        &s,
        UploadRequest {
            name: Some("Harbour".into()),
            tags: vec!["sea".into()],
            alt_text: Some("Boats".into()),
            ..upload_of("photo-seeding-800.jpg")
        },
    )
    .await;
    advance(&s, MINUTE);
    let patch = MediaPatch {
        name: Some("Été au port".into()),
        tags: Some(vec!["Summer".into()]),
        alt_text: Some(None),
        filename_stem: Some("port".into()),
        ..MediaPatch::default()
    };
    let edited = s.update(&editor, EDIT, &media.id, patch).await.unwrap();
    assert_eq!(edited.name, "Été au port");
    assert_eq!(edited.tags, ["Summer"]);
    assert_eq!(edited.alt_text, None, "cleared");
    assert_eq!(edited.original_filename, "port.jpg", "the extension stays");
    assert_eq!(edited.updated_at, Some(START + MINUTE));
    assert_eq!(
        (edited.sha256, edited.variants),
        (media.sha256, media.variants),
        "the files are untouched"
    );

    let found = |q: ListQuery| {
        let (s, editor) = (&s, &editor);
        async move { s.list(editor, &q).await.unwrap().total }
    };
    let search = |t: &str| ListQuery {
        search: Some(t.into()),
        ..ListQuery::default()
    };
    assert_eq!(found(search("ÉTÉ")).await, 1, "the new name");
    assert_eq!(found(search("harbour")).await, 0, "not the old one");
    assert_eq!(found(search("boats")).await, 0, "nor the cleared alt text");
    let tag = |t: &str| ListQuery {
        tag: Some(t.into()),
        ..ListQuery::default()
    };
    assert_eq!(found(tag("summer")).await, 1);
    assert_eq!(found(tag("sea")).await, 0);
}

#[tokio::test]
async fn an_invalid_edit_changes_nothing() {
    let s = service().await;
    let uploader = principal(&s, &[Scope::Upload, Scope::Read]).await;
    let media = s
        .upload(&uploader, upload_of("document.pdf"))
        .await
        .unwrap();
    let patch = MediaPatch {
        name: Some("Fine".into()),
        alt_text: Some(Some("x".repeat(256))),
        ..MediaPatch::default()
    };
    let err = s.update(&uploader, EDIT, &media.id, patch.clone()).await;
    assert_eq!(err.unwrap_err().code, ErrorCode::Forbidden, "no media:edit");
    let admin = principal(&s, &[Scope::Admin]).await;
    let err = s.update(&admin, EDIT, &media.id, patch).await;
    assert_eq!(err.unwrap_err().code, ErrorCode::AltTextTooLong);
    assert_eq!(s.get(&admin, &media.id).await.unwrap(), media, "unchanged");
}

#[tokio::test]
async fn unlisting_hides_from_listings_not_from_links() {
    let s = service().await;
    let uploader = principal(&s, &[Scope::Upload, Scope::Read]).await;
    let editor = principal(&s, &[Scope::Edit, Scope::Read]).await;
    let media = s
        .upload(&uploader, upload_of("photo-seeding-800.jpg"))
        .await
        .unwrap();
    let listed = || async {
        s.list(&uploader, &ListQuery::default())
            .await
            .unwrap()
            .total
    };

    let err = s
        .set_unlisted(&uploader, &media.id, true)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden, "unlisting needs media:edit");
    assert!(s.set_unlisted(&editor, &media.id, true).await.unwrap());
    assert!(
        !s.set_unlisted(&editor, &media.id, true).await.unwrap(),
        "no change"
    );
    assert_eq!(listed().await, 0);
    let file = s.file(&media.id, Some("thumb"), "jpg").await.unwrap();
    assert!(file.unlisted, "served, marked unlisted");
    assert!(s.get(&uploader, &media.id).await.unwrap().is_unlisted());

    let relist = MediaPatch {
        unlisted: Some(false),
        ..MediaPatch::default()
    };
    s.update(&editor, EDIT, &media.id, relist).await.unwrap();
    assert_eq!(listed().await, 1, "listed again through an edit");
}
