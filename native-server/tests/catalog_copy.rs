//! Copying rows with their numeric ids, on SQLite (Postgres: in
//! postgres_catalog.rs, with the services of stage 30).

#[path = "support/copy_check.rs"]
mod copy_check;

use mediakit_server::adapters::catalog;
use mediakit_server::stores::Database;

#[tokio::test]
async fn copied_rows_keep_their_numeric_ids_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let db = Database::Sqlite(dir.path().join("t.db"));
    let catalog = catalog::open(&db, 2).await.unwrap();
    copy_check::copied_rows_keep_their_numeric_ids(&catalog).await;
}
