//! The store a native test server runs on, chosen by `MEDIAKIT_TEST_BACKEND`:
//!
//! - unset or `sqlite`: the defaults, SQLite and files in the server's
//!   temporary data directory;
//! - `postgres+s3`: a fresh Postgres database and a fresh key prefix in an
//!   S3 bucket per server, from the services `scripts/lib/services.sh`
//!   starts (`MEDIAKIT_TEST_POSTGRES_URL`, `MEDIAKIT_TEST_S3_*`). The server
//!   finds them in `<data>/mediakit.toml`, so `mediakit … --data DIR`
//!   commands in tests reach the same store without knowing about it.
//!
//! Dropping a [`TestStore`] drops its database and deletes its prefix.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use futures_util::{StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::path::Path as Key;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, ObjectStoreExt};
use sqlx::Connection;
use sqlx::postgres::PgConnection;

/// The kind of store test servers run on (not to be confused with core's
/// `ports::Backend`, the set of adapters a host plugs into the service).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreKind {
    /// SQLite + local disk (the defaults).
    Local,
    /// Postgres + S3.
    PostgresS3,
}

/// The store kind this test process runs servers on.
pub fn store_kind() -> StoreKind {
    match std::env::var("MEDIAKIT_TEST_BACKEND").as_deref() {
        Err(_) | Ok("" | "sqlite") => StoreKind::Local,
        Ok("postgres+s3") => StoreKind::PostgresS3,
        Ok(other) => panic!("MEDIAKIT_TEST_BACKEND={other:?}: use `sqlite` or `postgres+s3`"),
    }
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: the postgres+s3 backend needs the services of scripts/test 30")
    })
}

/// One runtime for the harness's async clients (tests themselves are
/// blocking).
pub fn runtime() -> &'static tokio::runtime::Runtime {
    static RT: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RT.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("tokio runtime")
    })
}

fn unique_name(prefix: &str) -> String {
    // Database names and S3 prefixes: lowercase letters, digits, '_'.
    crate::unique(prefix).replace('-', "_").to_lowercase()
}

/// How to reach the test S3 service.
#[derive(Clone, Debug)]
pub struct S3Service {
    pub endpoint: String,
    pub region: String,
    pub bucket: String,
    pub key: String,
    pub secret: String,
}

impl S3Service {
    pub fn from_env() -> Self {
        Self {
            endpoint: env("MEDIAKIT_TEST_S3_ENDPOINT"),
            region: env("MEDIAKIT_TEST_S3_REGION"),
            bucket: env("MEDIAKIT_TEST_S3_BUCKET"),
            key: env("MEDIAKIT_TEST_S3_KEY"),
            secret: env("MEDIAKIT_TEST_S3_SECRET"),
        }
    }

    /// A client of the bucket, keys under `prefix` ("" for all of it):
    /// the harness's own view, independent of the server under test.
    pub fn client(&self, prefix: &str) -> Arc<dyn ObjectStore> {
        let s3 = AmazonS3Builder::new()
            .with_endpoint(&self.endpoint)
            .with_allow_http(true)
            .with_virtual_hosted_style_request(false)
            .with_region(&self.region)
            .with_bucket_name(&self.bucket)
            .with_access_key_id(&self.key)
            .with_secret_access_key(&self.secret)
            .build()
            .expect("S3 client");
        if prefix.is_empty() {
            Arc::new(s3)
        } else {
            Arc::new(PrefixStore::new(s3, prefix))
        }
    }

    /// A new key prefix in the bucket, for one test's store.
    pub fn unique_prefix(label: &str) -> String {
        unique_name(label)
    }

    /// The `--storage` URL of the keys under `prefix`.
    pub fn storage_url(&self, prefix: &str) -> String {
        format!("s3://{}/{prefix}", self.bucket)
    }

    /// The environment that gives `mediakit` this service's endpoint and
    /// credentials, the way an operator would pass them.
    pub fn env(&self) -> [(&'static str, &str); 4] {
        [
            ("MEDIAKIT_S3_ENDPOINT", self.endpoint.as_str()),
            ("MEDIAKIT_S3_REGION", self.region.as_str()),
            ("AWS_ACCESS_KEY_ID", self.key.as_str()),
            ("AWS_SECRET_ACCESS_KEY", self.secret.as_str()),
        ]
    }

    /// The `[s3]` section of a mediakit.toml for this service.
    pub fn toml_section(&self) -> String {
        format!(
            "[s3]\nendpoint = {:?}\nregion = {:?}\naccess_key_id = {:?}\nsecret_access_key = {:?}\n",
            self.endpoint, self.region, self.key, self.secret
        )
    }

    /// Every key under the client's prefix.
    pub fn list(store: &Arc<dyn ObjectStore>) -> Vec<String> {
        runtime().block_on(async {
            store
                .list(None)
                .map_ok(|m| m.location.to_string())
                .try_collect()
                .await
                .expect("listing the bucket")
        })
    }

    pub fn put(store: &Arc<dyn ObjectStore>, key: &str, bytes: &[u8]) {
        let bytes = bytes.to_vec();
        runtime().block_on(async {
            store
                .put(&Key::from(key), bytes.into())
                .await
                .expect("writing to the bucket");
        });
    }

    pub fn exists(store: &Arc<dyn ObjectStore>, key: &str) -> bool {
        runtime().block_on(async {
            match store.head(&Key::from(key)).await {
                Ok(_) => true,
                Err(object_store::Error::NotFound { .. }) => false,
                Err(e) => panic!("HEAD {key}: {e}"),
            }
        })
    }

    /// Deletes every key under the client's prefix.
    pub fn clear(store: &Arc<dyn ObjectStore>) -> object_store::Result<()> {
        runtime().block_on(async {
            let keys = store.list(None).map_ok(|m| m.location).boxed();
            store.delete_stream(keys).try_collect::<Vec<_>>().await?;
            Ok(())
        })
    }
}

/// A Postgres database made for one test (or one group of test servers).
#[derive(Debug)]
pub struct TestDatabase {
    pub name: String,
    /// With the password: give it to servers, never print it.
    pub url: String,
}

impl TestDatabase {
    pub fn create(prefix: &str) -> Self {
        let admin = env("MEDIAKIT_TEST_POSTGRES_URL");
        let name = unique_name(prefix);
        runtime().block_on(async {
            let mut conn = PgConnection::connect(&admin)
                .await
                .expect("connecting to the test Postgres");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
                .execute(&mut conn)
                .await
                .expect("CREATE DATABASE");
            conn.close().await.ok();
        });
        let base = admin
            .rsplit_once('/')
            .expect("MEDIAKIT_TEST_POSTGRES_URL ends with /database")
            .0;
        Self {
            url: format!("{base}/{name}"),
            name,
        }
    }

    /// Runs a query returning rows of (i64, String) — for tests that
    /// check the database directly.
    pub fn rows_i64_text(&self, sql: &str) -> Vec<(i64, String)> {
        let url = self.url.clone();
        let sql = sql.to_owned();
        runtime().block_on(async move {
            let mut conn = PgConnection::connect(&url).await.expect("connecting");
            let rows: Vec<(i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .fetch_all(&mut conn)
                .await
                .expect("query");
            conn.close().await.ok();
            rows
        })
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Ok(admin) = std::env::var("MEDIAKIT_TEST_POSTGRES_URL") else {
            return;
        };
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        runtime().block_on(async {
            if let Ok(mut conn) = PgConnection::connect(&admin).await {
                let _ = sqlx::query(sqlx::AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await;
                conn.close().await.ok();
            }
        });
    }
}

/// The database and blob prefix of one test server (kept across restarts).
#[derive(Debug)]
pub struct TestStore {
    pub database: TestDatabase,
    pub s3: S3Service,
    /// Key prefix in the bucket (`s3://bucket/prefix`).
    pub prefix: String,
}

impl TestStore {
    pub fn create() -> Self {
        Self {
            database: TestDatabase::create("mk_e2e"),
            s3: S3Service::from_env(),
            prefix: unique_name("e2e"),
        }
    }

    pub fn storage_url(&self) -> String {
        format!("s3://{}/{}", self.s3.bucket, self.prefix)
    }

    /// A mediakit.toml that points a data directory at this store, around
    /// `other` settings (top-level keys only: they go before `[s3]`).
    pub fn config_toml(&self, other: &str) -> String {
        format!(
            "database = {:?}\nstorage = {:?}\n{other}\n{}",
            self.database.url,
            self.storage_url(),
            self.s3.toml_section()
        )
    }

    pub fn write_config(&self, data: &Path, other: &str) {
        let file = data.join("mediakit.toml");
        std::fs::write(&file, self.config_toml(other))
            .unwrap_or_else(|e| panic!("writing {}: {e}", file.display()));
    }

    pub fn blobs(&self) -> Arc<dyn ObjectStore> {
        self.s3.client(&self.prefix)
    }
}

impl Drop for TestStore {
    fn drop(&mut self) {
        // Best effort: the stage removes the whole service at its end.
        let _ = S3Service::clear(&self.blobs());
    }
}
