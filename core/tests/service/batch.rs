//! Batch uploads: each file stored or refused on its own, recorded in a
//! task its creator can read back.

use mediakit_core::Error;
use mediakit_core::ErrorCode;
use mediakit_core::auth::Scope;
use mediakit_core::model::TaskState;
use mediakit_core::ports::SqlValue;
use mediakit_core::service::{MAX_BATCH_FILES, UploadRequest};

use crate::support::{blob_keys, principal, service, upload_of, watched_service};

#[tokio::test]
async fn each_file_of_a_batch_is_recorded_in_its_task() {
    let s = service().await;
    let uploader = principal(&s, &[Scope::Upload, Scope::Read]).await;
    let mut batch = s.start_batch(&uploader).unwrap();
    let done = s
        .batch_upload(&mut batch, upload_of("photo-seeding-800.jpg"))
        .await
        .unwrap();
    let failed = s
        .batch_upload(&mut batch, upload_of("not-a-jpeg.txt"))
        .await
        .unwrap();
    let refused = s.batch_refused(
        &mut batch,
        Some("huge.mp4"),
        Error::new(ErrorCode::FileTooLarge, "too large"),
    );
    assert_eq!(done.state, TaskState::Done);
    let media_id = done.media_id.clone().expect("the stored item");
    assert!(s.get(&uploader, &media_id).await.is_ok());
    assert_eq!(
        (failed.state, failed.error_code.as_deref()),
        (TaskState::Failed, Some("unsupported_type"))
    );
    assert_eq!(refused.error_code.as_deref(), Some("file_too_large"));

    let id = batch.task().id.clone();
    let finished = s.finish_batch(batch).await.unwrap();
    let task = s.task(&uploader, &id).await.unwrap();
    assert_eq!(task, finished);
    let names: Vec<_> = task
        .items
        .iter()
        .map(|i| i.original_filename.as_str())
        .collect();
    assert_eq!(
        names,
        ["photo-seeding-800.jpg", "not-a-jpeg.txt", "huge.mp4"]
    );
    assert_eq!(task.items[0], done);
    assert_eq!(task.created_by.as_deref(), Some(uploader.token_id.as_str()));

    let other = principal(&s, &[Scope::Upload, Scope::Read]).await;
    let err = s.task(&other, &task.id).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound, "another token's task");
    let admin = principal(&s, &[Scope::Admin]).await;
    assert_eq!(s.task(&admin, &task.id).await.unwrap(), task);
}

#[tokio::test]
async fn an_abandoned_batch_keeps_nothing_it_stored() {
    let s = service().await;
    let uploader = principal(&s, &[Scope::Upload, Scope::Read]).await;
    let mut batch = s.start_batch(&uploader).unwrap();
    for name in ["document.pdf", "photo-alpha.png"] {
        s.batch_upload(&mut batch, upload_of(name)).await.unwrap();
    }
    let broken = Error::new(ErrorCode::MalformedMultipart, "the body broke off");
    let task = s.abandon_batch(batch, &broken).await.unwrap();
    assert!(task.items.iter().all(|i| i.state == TaskState::Failed
        && i.media_id.is_none()
        && i.error_code.as_deref() == Some("malformed_multipart")));
    assert_eq!(s.task(&uploader, &task.id).await.unwrap(), task, "recorded");
    assert!(blob_keys(&s).is_empty(), "{:?}", blob_keys(&s));
    let listed = s.list(&uploader, &Default::default()).await.unwrap();
    assert_eq!(listed.total, 0);
}

#[tokio::test]
async fn a_batch_refuses_files_past_its_limit() {
    let s = service().await;
    let uploader = principal(&s, &[Scope::Upload, Scope::Read]).await;
    let reader = principal(&s, &[Scope::Read]).await;
    let err = s.start_batch(&reader).unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden, "checked before any file");
    let mut batch = s.start_batch(&uploader).unwrap();
    for _ in 0..MAX_BATCH_FILES {
        let item = s
            .batch_upload(&mut batch, upload_of("document.pdf"))
            .await
            .unwrap();
        assert_eq!(item.state, TaskState::Done);
    }
    let extra = s
        .batch_upload(&mut batch, UploadRequest::default())
        .await
        .unwrap();
    assert_eq!(extra.state, TaskState::Failed);
    assert_eq!(extra.error_code.as_deref(), Some("invalid_request"));
    let listed = s.list(&uploader, &Default::default()).await.unwrap();
    assert_eq!(listed.total, MAX_BATCH_FILES as u64);
}

/// The task row is written once per batch, so the bytes written are
/// linear in the number of files, not quadratic (a client may send many
/// parts, each refused past the limit).
#[tokio::test]
async fn a_batch_writes_its_task_once_however_many_files_it_refuses() {
    let s = watched_service().await;
    let uploader = principal(&s, &[Scope::Upload, Scope::Read]).await;
    let mut batch = s.start_batch(&uploader).unwrap();
    let stored = s
        .batch_upload(&mut batch, upload_of("document.pdf"))
        .await
        .unwrap();
    assert_eq!(stored.state, TaskState::Done);
    let refused = 60;
    for n in 0..refused {
        let too_large = Error::new(ErrorCode::FileTooLarge, "file size exceeds the limit");
        let item = s.batch_refused(&mut batch, Some(&format!("part-{n}.jpg")), too_large);
        assert_eq!(item.state, TaskState::Failed);
    }
    let task = s.finish_batch(batch).await.unwrap();
    assert_eq!(task.items.len(), refused + 1);
    assert_eq!(s.task(&uploader, &task.id).await.unwrap(), task);

    let task_writes: Vec<_> = s
        .ports()
        .catalog
        .executor()
        .executed()
        .into_iter()
        .filter(|st| st.sql.starts_with("INSERT INTO tasks"))
        .collect();
    let written: usize = task_writes
        .iter()
        .flat_map(|st| &st.args)
        .map(|arg| match arg {
            SqlValue::Text(t) => t.as_ref().map_or(0, String::len),
            SqlValue::Int(_) => 8,
        })
        .sum();
    let final_size = serde_json::to_string(&task.items).unwrap().len();
    assert_eq!(task_writes.len(), 1, "one write per batch");
    assert!(
        written < 2 * final_size,
        "{written} bytes written for a task of {final_size}"
    );
}
