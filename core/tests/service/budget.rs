//! Uploads are processed within the service's memory budget: the image's
//! estimate is held while it is processed and stored, an upload that cannot
//! get it in time is `server_busy` with nothing stored, and a batch answers
//! busy as a whole instead of failing the file.

use mediakit_core::ErrorCode;
use mediakit_core::admission::Budget;
use mediakit_core::auth::Scope;

use crate::support::{blob_keys, principal, service, upload_of};

const MB: u64 = 1_000_000;

/// A budget of `total` bytes whose waits end at once: what does not fit
/// now is busy.
fn impatient(total: u64) -> Budget {
    Budget::new(total, 4, Box::new(|| Box::pin(std::future::ready(()))))
}

#[tokio::test]
async fn an_upload_waits_for_its_estimate_and_gives_it_back() {
    let budget = impatient(64 * MB);
    let s = service().await.with_budget(budget.clone());
    let uploader = principal(&s, &[Scope::Upload, Scope::Read]).await;
    // Another upload holds 40 MB: the 800x450 JPEG's estimate (about
    // 30 MB: fixed costs, its copies, its pixels) does not fit beside it.
    let other = budget
        .admit_processing(budget.empty_permit(), 40 * MB)
        .await
        .unwrap();
    let err = s
        .upload(&uploader, upload_of("photo-seeding-800.jpg"))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::ServerBusy, "{err}");
    assert!(blob_keys(&s).is_empty(), "nothing stored");
    assert_eq!(budget.in_use(), 40 * MB, "the refused upload held nothing");

    drop(other);
    s.upload(&uploader, upload_of("photo-seeding-800.jpg"))
        .await
        .unwrap();
    assert_eq!(budget.in_use(), 0, "given back once stored");
}

#[tokio::test]
async fn the_body_permit_is_part_of_the_estimate() {
    let budget = impatient(64 * MB);
    let s = service().await.with_budget(budget.clone());
    let uploader = principal(&s, &[Scope::Upload]).await;
    // The HTTP layer counted the body at 30 MB: the estimate replaces it
    // rather than adding to it, so the upload fits in 64 MB.
    let mut req = upload_of("photo-seeding-800.jpg");
    req.permit = Some(budget.admit_body(30 * MB).await.unwrap());
    s.upload(&uploader, req).await.unwrap();
    assert_eq!(budget.in_use(), 0);
    // A PDF is not decoded: it keeps its body's share, and gives it back.
    let mut req = upload_of("document.pdf");
    req.permit = Some(budget.admit_body(32 * MB).await.unwrap());
    let hog = budget
        .admit_processing(budget.empty_permit(), 32 * MB)
        .await;
    s.upload(&uploader, req).await.unwrap();
    drop(hog);
    assert_eq!(budget.in_use(), 0);
}

#[tokio::test]
async fn a_busy_batch_is_an_error_not_a_failed_file() {
    let budget = impatient(64 * MB);
    let s = service().await.with_budget(budget.clone());
    let uploader = principal(&s, &[Scope::Upload, Scope::Read]).await;
    let mut batch = s.start_batch(&uploader).unwrap();
    let hog = budget
        .admit_processing(budget.empty_permit(), 60 * MB)
        .await
        .unwrap();
    let err = s
        .batch_upload(&mut batch, upload_of("photo-seeding-800.jpg"))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::ServerBusy);
    assert!(
        batch.task().items.is_empty(),
        "not recorded as a failed file"
    );
    drop(hog);
    let item = s
        .batch_upload(&mut batch, upload_of("photo-seeding-800.jpg"))
        .await
        .unwrap();
    assert!(item.media_id.is_some());
}
