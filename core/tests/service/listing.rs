//! Listings (order, paging, search, tags, visibility) and reading one item.

use mediakit_core::ErrorCode;
use mediakit_core::auth::{Principal, Scope};
use mediakit_core::conformance::catalog::sample_media;
use mediakit_core::model::{ListQuery, Media, SortOrder, Visibility};
use mediakit_core::service::{DEFAULT_PAGE, MAX_PAGE, UploadRequest, page_size};

use crate::support::{MINUTE, START, TestService, advance, principal, service, upload_of};

/// Uploads, a minute apart: a sunset photo (tags Sea, Dusk), a transparent
/// logo (alt text "Company logo"), a report (PDF) and an unlisted photo.
async fn library(s: &TestService) -> Vec<Media> {
    let uploader = principal(s, &[Scope::Upload]).await;
    let requests = [
        UploadRequest {
            name: Some("Sunset".into()),
            tags: vec!["Sea".into(), "Dusk".into()],
            ..upload_of("photo-seeding-800.jpg")
        },
        UploadRequest {
            alt_text: Some("Company logo".into()),
            ..upload_of("photo-alpha.png")
        },
        UploadRequest {
            name: Some("Report 50% done".into()),
            ..upload_of("document.pdf")
        },
        UploadRequest {
            name: Some("Hidden sea".into()),
            tags: vec!["sea".into()],
            unlisted: true,
            ..upload_of("photo-grayscale.jpg")
        },
    ];
    let mut stored = Vec::new();
    for req in requests {
        stored.push(s.upload(&uploader, req).await.unwrap());
        advance(s, MINUTE);
    }
    stored
}

async fn names(s: &TestService, who: &Principal, query: ListQuery) -> (Vec<String>, u64) {
    let page = s.list(who, &query).await.unwrap();
    (page.items.into_iter().map(|m| m.name).collect(), page.total)
}

#[tokio::test]
async fn listings_order_page_and_filter() {
    let s = service().await;
    library(&s).await;
    let reader = principal(&s, &[Scope::Read]).await;
    let list = |query| names(&s, &reader, query);

    assert_eq!(
        list(ListQuery::default()).await,
        (
            vec![
                "Report 50% done".into(),
                "photo-alpha".into(),
                "Sunset".into()
            ],
            3
        ),
        "newest first, unlisted left out"
    );
    let oldest_second_page = ListQuery {
        order: SortOrder::Oldest,
        offset: 1,
        limit: 1,
        ..ListQuery::default()
    };
    assert_eq!(
        list(oldest_second_page).await,
        (vec!["photo-alpha".into()], 3),
        "a page of one, the total of all"
    );
    let search = |term: &str| ListQuery {
        search: Some(term.into()),
        ..ListQuery::default()
    };
    assert_eq!(list(search("SUNSET")).await.1, 1, "by name, any case");
    assert_eq!(list(search("company")).await.1, 1, "by alt text");
    assert_eq!(list(search("alpha.png")).await.1, 1, "by filename");
    assert_eq!(list(search("50%")).await.1, 1, "a literal %");
    assert_eq!(list(search("%")).await.1, 1, "% is not a wildcard");
    let tag = |t: &str| ListQuery {
        tag: Some(t.into()),
        ..ListQuery::default()
    };
    assert_eq!(list(tag("sea")).await.0, ["Sunset"], "whole tag, any case");
    assert_eq!(list(tag("se")).await.1, 0, "no partial tags");
    let images = ListQuery {
        images_only: true,
        ..ListQuery::default()
    };
    assert_eq!(list(images).await.1, 2, "the PDF is not an image");
}

#[tokio::test]
async fn unlisted_and_deleted_items_are_listed_only_for_those_who_manage_them() {
    let s = service().await;
    let stored = library(&s).await;
    let reader = principal(&s, &[Scope::Read]).await;
    let editor = principal(&s, &[Scope::Read, Scope::Edit]).await;
    let deleter = principal(&s, &[Scope::Read, Scope::Delete]).await;
    let live = ListQuery {
        visibility: Visibility::Live,
        ..ListQuery::default()
    };
    let trash = ListQuery {
        visibility: Visibility::Deleted,
        ..ListQuery::default()
    };

    let err = s.list(&reader, &live).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);
    assert_eq!(names(&s, &editor, live.clone()).await.1, 4, "unlisted too");
    let err = s.list(&editor, &trash).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);

    assert!(s.delete(&deleter, &stored[0].id).await.unwrap());
    assert_eq!(names(&s, &deleter, trash).await.0, ["Sunset"]);
    assert_eq!(names(&s, &editor, live).await.1, 3, "deleted is not live");
}

#[tokio::test]
async fn items_are_read_by_id_and_numeric_id() {
    let s = service().await;
    let stored = library(&s).await;
    let reader = principal(&s, &[Scope::Read]).await;
    let hidden = &stored[3];
    assert_eq!(
        s.get(&reader, &hidden.id).await.unwrap().name,
        "Hidden sea",
        "unlisted items are read by those who know the id"
    );
    for id in ["0196a000-0000-7000-8000-000000000000", "not-an-id", ""] {
        assert_eq!(
            s.get(&reader, id).await.unwrap_err().code,
            ErrorCode::NotFound,
            "{id:?}"
        );
    }
    let nobody = principal(&s, &[Scope::Upload]).await;
    let err = s.get(&nobody, &hidden.id).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden, "reading needs media:read");

    let id = s.id_for_seq(&reader, &[Scope::Read], hidden.seq).await;
    assert_eq!(id.unwrap(), hidden.id);
    let missing = s.id_for_seq(&reader, &[Scope::Read], 999).await;
    assert_eq!(missing.unwrap_err().code, ErrorCode::NotFound);
    let err = s
        .id_for_seq(&reader, &[Scope::Edit], 999)
        .await
        .unwrap_err();
    assert_eq!(
        err.code,
        ErrorCode::Forbidden,
        "scopes are checked before ids are looked up"
    );
}

#[tokio::test]
async fn every_listing_is_capped_at_the_largest_page() {
    let s = service().await;
    let reader = principal(&s, &[Scope::Read]).await;
    // Rows straight into the catalog: a listing needs no files.
    let rows = MAX_PAGE + 3;
    for n in 0..rows {
        let mut m = sample_media(u32::try_from(n).unwrap());
        m.created_at = START - 1_000_000 + i64::try_from(n).unwrap();
        s.ports().catalog.insert_media(&m).await.unwrap();
    }
    let query = |limit| ListQuery {
        limit,
        ..ListQuery::default()
    };
    let unbounded = s.list(&reader, &query(u64::MAX)).await.unwrap();
    assert_eq!(unbounded.items.len() as u64, MAX_PAGE, "capped");
    assert_eq!(unbounded.total, rows, "the total still counts every match");
    let default = s.list(&reader, &ListQuery::default()).await.unwrap();
    assert_eq!(default.items.len() as u64, DEFAULT_PAGE);
    assert_eq!(page_size(None, MAX_PAGE), MAX_PAGE);
    assert_eq!(page_size(Some(u64::MAX), DEFAULT_PAGE), MAX_PAGE);
    assert_eq!(page_size(Some(7), DEFAULT_PAGE), 7);
    assert_eq!(page_size(None, DEFAULT_PAGE), DEFAULT_PAGE);
}
