//! The Catalog contract on Postgres, the schema twin's equivalence with
//! SQLite's, and the bootstrap lock. Needs the services of stage 30.

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;

use mediakit_server::adapters::catalog::{self, Lock, NativeCatalog, NativeSql};
use mediakit_server::settings::Settings;
use mediakit_server::stores::{Database, Secret, Storage};
use mediakit_server::{backend, settings};

/// The catalog over the database at `url`, opened as the server opens it.
async fn open_catalog(url: &str, connections: u32) -> NativeCatalog {
    catalog::open(&Database::Postgres(Secret::new(url)), connections)
        .await
        .unwrap()
}

#[tokio::test]
async fn postgres_passes_the_catalog_contract() {
    let db = support::fresh_database("mk_contract").await;
    let catalog = open_catalog(&db.url, 4).await;
    assert!(matches!(catalog.executor(), NativeSql::Postgres(_)));
    mediakit_core::conformance::catalog::run_all(&catalog).await;
    assert_eq!(catalog.executor().schema_version().await.unwrap(), 4);
    drop(catalog);
    support::drop_database(db).await;
}

/// (table, column, type class) of every column, from each database's own
/// catalog: the twin schemas must describe the same rows.
type Columns = BTreeSet<(String, String, &'static str)>;

async fn columns_pg(url: &str) -> Columns {
    let pool = sqlx::PgPool::connect(url).await.unwrap();
    let rows = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text \
         FROM information_schema.columns WHERE table_schema = 'public' \
         AND table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    classified(rows)
}

async fn columns_sqlite(file: &std::path::Path) -> Columns {
    let NativeSql::Sqlite(c) = NativeSql::open(&Database::Sqlite(file.into()), 2)
        .await
        .unwrap()
    else {
        unreachable!()
    };
    let rows = sqlx::query_as(
        "SELECT m.name, p.name, p.type FROM sqlite_master m \
         JOIN pragma_table_info(m.name) p WHERE m.type = 'table' \
         AND m.name NOT IN ('_sqlx_migrations', 'sqlite_sequence')",
    )
    .fetch_all(c.pool())
    .await
    .unwrap();
    classified(rows)
}

/// (table, column, declared type) rows with the type as its class.
fn classified(rows: Vec<(String, String, String)>) -> Columns {
    rows.into_iter()
        .map(|(table, column, ty)| (table, column, type_class(&ty)))
        .collect()
}

fn type_class(ty: &str) -> &'static str {
    match ty.to_ascii_lowercase().as_str() {
        "integer" | "bigint" => "integer",
        "text" => "text",
        other => panic!("unexpected column type {other}"),
    }
}

#[tokio::test]
async fn the_postgres_schema_is_the_twin_of_sqlites() {
    let db = support::fresh_database("mk_twin").await;
    NativeSql::open(&Database::Postgres(Secret::new(&db.url)), 2)
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let sqlite = columns_sqlite(&dir.path().join("t.db")).await;
    let pg = columns_pg(&db.url).await;
    assert!(
        sqlite.len() > 20,
        "the comparison sees the columns: {sqlite:?}"
    );
    assert_eq!(sqlite, pg, "same tables, columns and types");
    support::drop_database(db).await;
}

fn settings_for(url: &str, data: &std::path::Path) -> Settings {
    let args = mediakit_server::cli::StoreArgs {
        data: Some(data.to_path_buf()),
        config: None,
        database: Some(url.to_owned()),
        storage: None,
    };
    settings::resolve_store(&args).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn instances_starting_together_create_one_admin_token() {
    let db = support::fresh_database("mk_bootstrap").await;
    let dir = tempfile::tempdir().unwrap();
    // Eight "instances": each its own pool, its own data directory.
    let mut services = Vec::new();
    for i in 0..8 {
        let settings = settings_for(&db.url, &dir.path().join(format!("i{i}")));
        assert!(matches!(settings.storage, Storage::Local(_)));
        services.push(Arc::new(backend::open(&settings).await.unwrap()));
    }
    let tasks: Vec<_> = services
        .iter()
        .map(|s| {
            let s = s.clone();
            tokio::spawn(async move {
                s.ports()
                    .catalog
                    .executor()
                    .exclusively(Lock::Bootstrap, s.bootstrap_admin_token())
                    .await
                    .unwrap()
                    .unwrap()
            })
        })
        .collect();
    let mut created = 0;
    for t in tasks {
        created += usize::from(t.await.unwrap().is_some());
    }
    assert_eq!(created, 1, "exactly one instance created the admin token");
    let tokens = services[0].ports().catalog.list_tokens().await.unwrap();
    assert_eq!(tokens.len(), 1, "one token row: {tokens:?}");
    drop(services);
    support::drop_database(db).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn periodic_collection_runs_on_one_instance_at_a_time() {
    let db = support::fresh_database("mk_collect").await;
    let database = Database::Postgres(Secret::new(&db.url));
    let a = NativeSql::open(&database, 2).await.unwrap();
    let b = NativeSql::open(&database, 2).await.unwrap();
    let (held_tx, held_rx) = tokio::sync::oneshot::channel();
    let (release_tx, release_rx) = tokio::sync::oneshot::channel::<()>();
    let holder = {
        let a = a.clone();
        tokio::spawn(async move {
            a.try_exclusively(Lock::Collect, async {
                held_tx.send(()).unwrap();
                release_rx.await.unwrap();
            })
            .await
            .unwrap()
        })
    };
    held_rx.await.unwrap();
    let skipped = b
        .try_exclusively(Lock::Collect, async { "ran" })
        .await
        .unwrap();
    assert_eq!(skipped, None, "a second instance skips while one collects");
    let other_lock = b
        .try_exclusively(Lock::Bootstrap, async { "ran" })
        .await
        .unwrap();
    assert_eq!(other_lock, Some("ran"), "locks are independent");
    release_tx.send(()).unwrap();
    assert_eq!(holder.await.unwrap(), Some(()));
    let after = b
        .try_exclusively(Lock::Collect, async { "ran" })
        .await
        .unwrap();
    assert_eq!(after, Some("ran"), "free again once the first is done");
    drop((a, b));
    support::drop_database(db).await;
}

#[path = "support/copy_check.rs"]
mod copy_check;

#[tokio::test]
async fn copied_rows_keep_their_numeric_ids_on_postgres() {
    let db = support::fresh_database("mk_copy").await;
    let catalog = open_catalog(&db.url, 2).await;
    copy_check::copied_rows_keep_their_numeric_ids(&catalog).await;
    drop(catalog);
    support::drop_database(db).await;
}
