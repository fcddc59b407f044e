//! The real services the stage `scripts/test.d/30-postgres-s3.sh` starts,
//! as the environment describes them (see scripts/lib/services.sh). These
//! tests only run there; a missing variable is a failure, not a skip.

#![allow(dead_code)] // each test file uses a different part

use std::str::FromStr;

use mediakit_server::stores::{S3Settings, Secret};
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};

pub fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run these tests with scripts/test 30 (it starts the services)")
    })
}

pub fn unique(prefix: &str) -> String {
    let mut random = [0u8; 6];
    getrandom::fill(&mut random).unwrap();
    format!("{prefix}_{}", hex::encode(random))
}

/// A new, empty database on the test cluster; dropped by [`drop_database`].
pub struct TestDatabase {
    pub name: String,
    pub url: String,
}

pub async fn fresh_database(prefix: &str) -> TestDatabase {
    let admin = env("MEDIAKIT_TEST_POSTGRES_URL");
    let name = unique(prefix);
    let mut conn = PgConnection::connect(&admin)
        .await
        .expect("connecting to Postgres");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&mut conn)
        .await
        .expect("CREATE DATABASE");
    conn.close().await.ok();
    let base = admin.rsplit_once('/').expect("a URL with a database").0;
    TestDatabase {
        url: format!("{base}/{name}"),
        name,
    }
}

pub async fn drop_database(db: TestDatabase) {
    let admin = PgConnectOptions::from_str(&env("MEDIAKIT_TEST_POSTGRES_URL")).unwrap();
    let mut conn = PgConnection::connect_with(&admin).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE \"{}\" WITH (FORCE)",
        db.name
    )))
    .execute(&mut conn)
    .await
    .expect("DROP DATABASE");
}

/// The test S3 service and its credentials.
pub fn s3_settings() -> S3Settings {
    S3Settings {
        endpoint: Some(env("MEDIAKIT_TEST_S3_ENDPOINT")),
        region: env("MEDIAKIT_TEST_S3_REGION"),
        access_key_id: Some(env("MEDIAKIT_TEST_S3_KEY")),
        secret_access_key: Some(Secret::new(env("MEDIAKIT_TEST_S3_SECRET"))),
        session_token: None,
        virtual_hosted_style: false,
    }
}

pub fn s3_bucket() -> String {
    env("MEDIAKIT_TEST_S3_BUCKET")
}
