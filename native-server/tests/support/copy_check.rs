//! What `mediakit migrate-database` relies on, checked on each database:
//! rows copied with their numeric ids keep them, and new ids follow.

use mediakit_core::conformance::catalog::sample_media;
use mediakit_server::adapters::catalog::NativeCatalog;

pub async fn copied_rows_keep_their_numeric_ids(catalog: &NativeCatalog) {
    let mut copied = sample_media(1);
    copied.seq = 1000;
    catalog.insert_media_keeping_seq(&copied).await.unwrap();
    let got = catalog.media_by_id(&copied.id).await.unwrap().unwrap();
    assert_eq!(got, copied, "the row, numeric id included");
    assert!(
        catalog.insert_media_keeping_seq(&copied).await.is_err(),
        "the same row twice fails"
    );
    let mut clash = sample_media(2);
    clash.seq = 1000;
    assert!(
        catalog.insert_media_keeping_seq(&clash).await.is_err(),
        "a numeric id is never given twice"
    );
    catalog.executor().sync_seq().await.unwrap();
    let next = catalog.insert_media(&sample_media(3)).await.unwrap();
    assert!(next > 1000, "new ids follow the copied ones: {next}");
    catalog
        .put_task(&mediakit_core::model::Task {
            id: "t-1".into(),
            created_at: 1,
            created_by: None,
            items: vec![],
        })
        .await
        .unwrap();
    assert_eq!(catalog.task_ids().await.unwrap(), ["t-1"]);
}
