//! The catalog contract: the one [`Catalog`] over each executor (SQLite,
//! Postgres, D1) runs [`run_all`] against a fresh, empty, migrated database.
//!
//! (Past 400 lines: one contract, one file, so that a new query's
//! conformance check goes in the one place a reader looks.)

use crate::MediaKind;
use crate::catalog::Catalog;
use crate::model::{
    FocalPoint, ListQuery, Media, MetadataUpdate, SortOrder, Task, TaskItem, TaskState,
    TokenRecord, Variant, Visibility,
};
use crate::ports::SqlExecutor;
use crate::statement::Statement;

/// A media row for tests; `n` makes it unique and orders `created_at`.
pub fn sample_media(n: u32) -> Media {
    let id = crate::ids::uuid_v7(1_700_000_000_000 + i64::from(n), [n as u8; 10]);
    Media {
        seq: 0,
        original_filename: format!("photo-{n}.jpg"),
        stored_filename: format!("{id}.jpg"),
        kind: MediaKind::Jpeg,
        mime_type: "image/jpeg".into(),
        extension: "jpg".into(),
        size: 1000 + u64::from(n),
        width: Some(800),
        height: Some(600),
        sha256: format!("{n:064x}"),
        name: format!("Photo {n}"),
        tags: vec!["Sea".into(), format!("t{n}")],
        alt_text: Some(format!("alt {n}")),
        credit: None,
        uploaded_by: Some("token-1".into()),
        created_at: 1_700_000_000_000 + i64::from(n),
        updated_at: None,
        deleted_at: None,
        unlisted_at: None,
        variants: vec![Variant {
            name: "thumb".into(),
            width: 256,
            height: 192,
            mime_type: "image/jpeg".into(),
            size: 99,
            key: format!("media/{id}/thumb.jpg"),
            sha256: "ab".repeat(32),
        }],
        // Both kinds of row: with and without one.
        placeholder: n
            .is_multiple_of(2)
            .then(|| format!("1QcSHQRnh493V4dIh4eXh1h4kJUI{n}")),
        // And with and without a focal point (the extremes included).
        focal_point: n.is_multiple_of(3).then_some(FocalPoint {
            x: 10_000,
            y: (n % 10_000) as u16,
        }),
        blob_id: id.clone(),
        id,
    }
}

fn sample_token(n: u32) -> TokenRecord {
    TokenRecord {
        id: format!("tok-{n}"),
        hash: format!("{n:064x}"),
        label: format!("token {n}"),
        scopes: vec!["media:read".into(), "media:upload".into()],
        created_at: 1_700_000_000_000 + i64::from(n),
        revoked_at: None,
    }
}

/// Runs every check; panics with a message naming the broken rule.
pub async fn run_all<E: SqlExecutor>(c: &Catalog<E>) {
    insert_and_read_back(c).await;
    numeric_ids_are_unique_and_increasing(c).await;
    listing_orders_filters_and_pages(c).await;
    search_and_tag_filters(c).await;
    state_transitions_report_change(c).await;
    metadata_update(c).await;
    purge_and_retention_queries(c).await;
    tokens(c).await;
    tasks(c).await;
    shared_files(c).await;
}

async fn insert(c: &Catalog<impl SqlExecutor>, n: u32) -> Media {
    let m = sample_media(n);
    let seq = c.insert_media(&m).await.expect("insert_media");
    assert!(seq > 0, "numeric ids start at 1");
    Media { seq, ..m }
}

async fn insert_and_read_back(c: &Catalog<impl SqlExecutor>) {
    let m = insert(c, 1).await;
    let got = c.media_by_id(&m.id).await.unwrap().expect("row by id");
    assert_eq!(got, m, "a row reads back exactly as written");
    let by_seq = c.media_by_seq(m.seq).await.unwrap().expect("row by seq");
    assert_eq!(by_seq.id, m.id);
    assert!(
        c.media_by_id("00000000-0000-7000-8000-000000000000")
            .await
            .unwrap()
            .is_none()
    );
    assert!(c.media_by_seq(i64::MAX).await.unwrap().is_none());
    let dup = c.insert_media(&m).await;
    assert!(dup.is_err(), "inserting the same id twice fails");
}

async fn numeric_ids_are_unique_and_increasing(c: &Catalog<impl SqlExecutor>) {
    let a = insert(c, 2).await;
    let b = insert(c, 3).await;
    assert!(
        b.seq > a.seq,
        "numeric ids increase: {} then {}",
        a.seq,
        b.seq
    );
}

async fn listing_orders_filters_and_pages(c: &Catalog<impl SqlExecutor>) {
    // Rows 1..=3 exist; add 4 (unlisted), 5 (deleted), 6 (a PDF).
    let mut unlisted = sample_media(4);
    unlisted.unlisted_at = Some(1);
    c.insert_media(&unlisted).await.unwrap();
    let mut deleted = sample_media(5);
    deleted.deleted_at = Some(1);
    c.insert_media(&deleted).await.unwrap();
    let mut pdf = sample_media(6);
    pdf.kind = MediaKind::Pdf;
    pdf.mime_type = "application/pdf".into();
    c.insert_media(&pdf).await.unwrap();

    let names =
        |p: &crate::model::Page<Media>| p.items.iter().map(|m| m.name.clone()).collect::<Vec<_>>();
    let all = c.list_media(&ListQuery::default()).await.unwrap();
    assert_eq!(
        names(&all),
        ["Photo 6", "Photo 3", "Photo 2", "Photo 1"],
        "newest first, no unlisted/deleted"
    );
    assert_eq!(all.total, 4);

    let oldest = c
        .list_media(&ListQuery {
            order: SortOrder::Oldest,
            limit: 2,
            offset: 1,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(
        names(&oldest),
        ["Photo 2", "Photo 3"],
        "oldest first with offset/limit"
    );
    assert_eq!(oldest.total, 4, "total counts every match, not the page");

    let images = c
        .list_media(&ListQuery {
            images_only: true,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(images.total, 3, "images only skips the PDF");

    let live = c
        .list_media(&ListQuery {
            visibility: Visibility::Live,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(live.total, 5, "live includes unlisted");
    let trash = c
        .list_media(&ListQuery {
            visibility: Visibility::Deleted,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(names(&trash), ["Photo 5"]);

    let past_end = c
        .list_media(&ListQuery {
            offset: 100,
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(past_end.items.is_empty());
    assert_eq!(past_end.total, 4);
}

async fn search_and_tag_filters(c: &Catalog<impl SqlExecutor>) {
    let search = |s: &str| ListQuery {
        search: Some(s.into()),
        ..Default::default()
    };
    let total = |q| async move { c.list_media(&q).await.unwrap().total };
    assert_eq!(total(search("photo 2")).await, 1, "name, case-insensitive");
    assert_eq!(total(search("PHOTO-3.JPG")).await, 1, "original filename");
    assert_eq!(total(search("alt 6")).await, 1, "alt text");
    assert_eq!(total(search("t1")).await, 1, "tags");
    assert_eq!(total(search("%")).await, 0, "LIKE wildcards are literal");
    assert_eq!(total(search("_")).await, 0, "LIKE wildcards are literal");
    let tag = |t: &str| ListQuery {
        tag: Some(t.into()),
        ..Default::default()
    };
    assert_eq!(total(tag("sea")).await, 4, "tag filter ignores case");
    assert_eq!(
        total(tag("t")).await,
        0,
        "tag filter matches whole tags only"
    );
    assert_eq!(total(tag("t2")).await, 1);
}

async fn state_transitions_report_change(c: &Catalog<impl SqlExecutor>) {
    let m = insert(c, 7).await;
    assert!(
        c.set_deleted(&m.id, Some(10), 10).await.unwrap(),
        "first delete changes"
    );
    assert!(
        !c.set_deleted(&m.id, Some(11), 11).await.unwrap(),
        "second delete does not"
    );
    let got = c.media_by_id(&m.id).await.unwrap().unwrap();
    assert_eq!(
        got.deleted_at,
        Some(10),
        "a repeated delete keeps the first time"
    );
    assert!(
        c.set_deleted(&m.id, None, 12).await.unwrap(),
        "restore changes"
    );
    assert!(
        !c.set_deleted(&m.id, None, 13).await.unwrap(),
        "second restore does not"
    );
    assert!(c.set_unlisted(&m.id, Some(14), 14).await.unwrap());
    assert!(!c.set_unlisted(&m.id, Some(15), 15).await.unwrap());
    assert!(c.set_unlisted(&m.id, None, 16).await.unwrap());
    let got = c.media_by_id(&m.id).await.unwrap().unwrap();
    assert_eq!(
        (got.deleted_at, got.unlisted_at, got.updated_at),
        (None, None, Some(16))
    );
    assert!(!c.set_deleted("missing", Some(1), 1).await.unwrap());
}

async fn metadata_update(c: &Catalog<impl SqlExecutor>) {
    let m = insert(c, 8).await;
    let update = MetadataUpdate {
        name: "Été à la mer".into(),
        tags: vec!["Beach".into(), "xy".into()],
        alt_text: None,
        credit: Some("Photo: A. B.".into()),
        original_filename: "renamed.jpg".into(),
        focal_point: Some(FocalPoint { x: 0, y: 3333 }),
    };
    assert!(c.update_metadata(&m.id, &update, 99).await.unwrap());
    let got = c.media_by_id(&m.id).await.unwrap().unwrap();
    assert_eq!(got.name, "Été à la mer");
    assert_eq!(got.tags, ["Beach", "xy"]);
    assert_eq!(got.alt_text, None);
    assert_eq!(got.credit.as_deref(), Some("Photo: A. B."));
    assert_eq!(got.original_filename, "renamed.jpg");
    assert_eq!(got.focal_point, Some(FocalPoint { x: 0, y: 3333 }));
    assert_eq!(got.updated_at, Some(99));
    let q = ListQuery {
        search: Some("été".into()),
        ..Default::default()
    };
    assert_eq!(
        c.list_media(&q).await.unwrap().total,
        1,
        "search follows updates, Unicode-aware"
    );
    let q = ListQuery {
        search: Some("ÉTÉ".into()),
        ..Default::default()
    };
    assert_eq!(
        c.list_media(&q).await.unwrap().total,
        1,
        "search ignores case beyond ASCII"
    );
    let q = ListQuery {
        tag: Some("beach".into()),
        ..Default::default()
    };
    assert_eq!(c.list_media(&q).await.unwrap().total, 1);
    assert!(!c.update_metadata("missing", &update, 1).await.unwrap());
}

async fn purge_and_retention_queries(c: &Catalog<impl SqlExecutor>) {
    let old = insert(c, 9).await;
    let recent = insert(c, 10).await;
    c.set_deleted(&old.id, Some(100), 100).await.unwrap();
    c.set_deleted(&recent.id, Some(500), 500).await.unwrap();
    let expired = c.deleted_before(200, 10).await.unwrap();
    let ids: Vec<_> = expired.iter().map(|m| m.id.clone()).collect();
    assert!(
        ids.contains(&old.id) && !ids.contains(&recent.id),
        "only items deleted before the cutoff"
    );
    assert!(c.remove_media(&old.id).await.unwrap());
    assert!(
        !c.remove_media(&old.id).await.unwrap(),
        "removing twice reports false"
    );
    assert!(c.media_by_id(&old.id).await.unwrap().is_none());
    expired_removal_is_conditional(c).await;
}

/// Retention removes a row only while it is deleted and expired, in the
/// statement itself: a restore between selecting it and removing it wins.
async fn expired_removal_is_conditional(c: &Catalog<impl SqlExecutor>) {
    let restored = insert(c, 11).await;
    c.set_deleted(&restored.id, Some(100), 100).await.unwrap();
    let selected = c.deleted_before(200, 10).await.unwrap();
    assert!(selected.iter().any(|m| m.id == restored.id));
    // The restore lands after the selection, before the removal.
    assert!(c.set_deleted(&restored.id, None, 150).await.unwrap());
    assert!(
        !c.remove_expired_media(&restored.id, 200).await.unwrap(),
        "a row restored since it was selected is not removed"
    );
    let kept = c.media_by_id(&restored.id).await.unwrap();
    assert_eq!(
        kept.map(|m| m.deleted_at),
        Some(None),
        "the restored row is kept, live"
    );

    let live = insert(c, 12).await;
    assert!(
        !c.remove_expired_media(&live.id, i64::MAX).await.unwrap(),
        "a live row is never removed by retention"
    );
    let recent = insert(c, 13).await;
    c.set_deleted(&recent.id, Some(300), 300).await.unwrap();
    assert!(
        !c.remove_expired_media(&recent.id, 300).await.unwrap(),
        "deleted at the cutoff is not expired"
    );
    assert!(c.media_by_id(&recent.id).await.unwrap().is_some());
    assert!(
        c.remove_expired_media(&recent.id, 301).await.unwrap(),
        "deleted before the cutoff is removed"
    );
    assert!(c.media_by_id(&recent.id).await.unwrap().is_none());
    assert!(
        !c.remove_expired_media(&recent.id, 301).await.unwrap(),
        "removing twice reports false"
    );
    for m in [&restored, &live] {
        assert!(c.remove_media(&m.id).await.unwrap());
    }
}

async fn tokens(c: &Catalog<impl SqlExecutor>) {
    let t1 = sample_token(1);
    let t2 = sample_token(2);
    c.insert_token(&t1).await.unwrap();
    c.insert_token(&t2).await.unwrap();
    assert!(c.insert_token(&t1).await.is_err(), "token ids are unique");
    assert_eq!(c.token_by_hash(&t1.hash).await.unwrap().as_ref(), Some(&t1));
    assert!(c.token_by_hash("nope").await.unwrap().is_none());
    let listed: Vec<_> = c
        .list_tokens()
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.id)
        .collect();
    assert_eq!(listed, ["tok-2", "tok-1"], "newest first");
    assert!(c.revoke_token("tok-1", 5).await.unwrap());
    assert!(
        !c.revoke_token("tok-1", 6).await.unwrap(),
        "revoking twice reports false"
    );
    assert_eq!(
        c.token_by_hash(&t1.hash).await.unwrap().unwrap().revoked_at,
        Some(5)
    );
}

async fn tasks(c: &Catalog<impl SqlExecutor>) {
    let item = |name: &str, state| TaskItem {
        original_filename: name.into(),
        state,
        media_id: None,
        error_code: None,
        error_message: None,
    };
    let mut task = Task {
        id: "task-1".into(),
        created_at: 5,
        created_by: Some("tok-1".into()),
        items: vec![
            item("a.jpg", TaskState::Pending),
            item("b.txt", TaskState::Pending),
        ],
    };
    c.put_task(&task).await.unwrap();
    assert_eq!(c.task_by_id("task-1").await.unwrap().as_ref(), Some(&task));
    task.items[0].state = TaskState::Done;
    task.items[0].media_id = Some("m1".into());
    task.items[1].state = TaskState::Failed;
    task.items[1].error_code = Some("unsupported_type".into());
    c.put_task(&task).await.unwrap();
    assert_eq!(
        c.task_by_id("task-1").await.unwrap().as_ref(),
        Some(&task),
        "put replaces"
    );
    assert!(c.task_by_id("nope").await.unwrap().is_none());
}

/// Dedup: the twin of an upload found by content, and whether any row
/// still uses a set of files, whoever's id names it.
async fn shared_files(c: &Catalog<impl SqlExecutor>) {
    let first = insert(c, 30).await;
    let twin_of = |n| Media {
        sha256: first.sha256.clone(),
        size: first.size,
        blob_id: first.blob_id.clone(),
        variants: first.variants.clone(),
        ..sample_media(n)
    };
    let second = Media {
        seq: c.insert_media(&twin_of(31)).await.unwrap(),
        ..twin_of(31)
    };
    assert_eq!(
        c.media_by_id(&second.id).await.unwrap().as_ref(),
        Some(&second),
        "a row sharing another's files reads back as written"
    );
    let found = |sha: &str, size, kind| {
        let sha = sha.to_owned();
        async move {
            c.media_with_content(&sha, size, kind)
                .await
                .unwrap()
                .map(|m| m.id)
        }
    };
    assert_eq!(
        found(&first.sha256, first.size, MediaKind::Jpeg).await,
        Some(second.id.clone()),
        "the newest row with the content"
    );
    assert_eq!(
        found(&first.sha256, first.size + 1, MediaKind::Jpeg).await,
        None
    );
    assert_eq!(found(&first.sha256, first.size, MediaKind::Png).await, None);
    assert_eq!(
        found(&"f".repeat(64), first.size, MediaKind::Jpeg).await,
        None
    );

    assert!(c.blob_in_use(&first.id).await.unwrap());
    assert!(c.remove_media(&second.id).await.unwrap());
    c.set_deleted(&first.id, Some(5), 5).await.unwrap();
    assert_eq!(
        found(&first.sha256, first.size, MediaKind::Jpeg).await,
        Some(first.id.clone()),
        "deleted rows still hold their files"
    );
    assert!(c.blob_in_use(&first.id).await.unwrap());
    assert!(
        !c.blob_in_use(&second.id).await.unwrap(),
        "a removed row uses nothing"
    );
    let third = Media {
        seq: c.insert_media(&twin_of(33)).await.unwrap(),
        ..twin_of(33)
    };
    assert!(c.remove_media(&first.id).await.unwrap());
    assert!(
        c.blob_in_use(&first.id).await.unwrap(),
        "the third row uses the first's files"
    );
    assert!(
        c.blob_in_use(&third.id).await.unwrap(),
        "a row's own id counts too (see sql::blob_user)"
    );
    assert!(c.remove_media(&third.id).await.unwrap());
    assert!(!c.blob_in_use(&first.id).await.unwrap(), "no row left");
    assert_eq!(
        found(&first.sha256, first.size, MediaKind::Jpeg).await,
        None
    );

    // A row an instance older than blob_id wrote: its files are its own.
    let old = insert(c, 32).await;
    let forget = Statement {
        sql: "UPDATE media SET blob_id = NULL WHERE id = $1".into(),
        args: vec![old.id.as_str().into()],
        columns: &[],
    };
    c.executor().execute(&forget).await.unwrap();
    let read = c.media_by_id(&old.id).await.unwrap().unwrap();
    assert_eq!(read.blob_id, old.id, "a NULL blob_id reads as the row's id");
    assert!(c.blob_in_use(&old.id).await.unwrap());
    assert!(c.remove_media(&old.id).await.unwrap());
    assert!(!c.blob_in_use(&old.id).await.unwrap());
}
