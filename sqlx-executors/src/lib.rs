//! mediakit-sqlx: the catalog's SQLite and Postgres executors (core's
//! [`SqlExecutor`] port) over a sqlx pool, and the schema migrations of
//! `migrations/`. The native server opens and configures the pools; core's
//! tests run the service over SQLite `:memory:` with the same executor.
//!
//! One generic executor serves both databases: it binds core's values,
//! runs the statement and reads each column as the type core asks for.

use mediakit_core::ports::{SqlExecutor, SqlType, SqlValue, Statement};
use mediakit_core::{Error, Result};
use sqlx::migrate::Migrator;
use sqlx::query::Query;
use sqlx::{ColumnIndex, Database, Decode, Encode, Executor, IntoArguments, Pool, Row, Type};

/// The SQLite schema (also D1's, applied by wrangler).
pub static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("../migrations/sqlite");
/// The Postgres twin of the SQLite schema.
pub static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("../migrations/postgres");

/// The catalog's executor over a pool of `DB` connections.
#[derive(Debug)]
pub struct SqlxExecutor<DB: Database> {
    pool: Pool<DB>,
}

pub type SqliteExecutor = SqlxExecutor<sqlx::Sqlite>;
pub type PgExecutor = SqlxExecutor<sqlx::Postgres>;

// Not derived: a derive would require `DB: Clone`; the pool is a handle.
impl<DB: Database> Clone for SqlxExecutor<DB> {
    fn clone(&self) -> Self {
        Self {
            pool: self.pool.clone(),
        }
    }
}

impl<DB: Database> SqlxExecutor<DB> {
    pub fn new(pool: Pool<DB>) -> Self {
        Self { pool }
    }

    pub fn pool(&self) -> &Pool<DB> {
        &self.pool
    }
}

impl SqliteExecutor {
    /// A migrated SQLite database in memory (for tests and fuzzing). One
    /// connection, never recycled: an in-memory database lives as long as
    /// a connection to it.
    pub async fn in_memory() -> Result<Self> {
        let pool = sqlx::sqlite::SqlitePoolOptions::new()
            .max_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect("sqlite::memory:")
            .await
            .map_err(|e| Error::storage(format!("SQLite in memory: {e}")))?;
        SQLITE_MIGRATOR
            .run(&pool)
            .await
            .map_err(|e| Error::storage(format!("migrating SQLite in memory: {e}")))?;
        Ok(Self::new(pool))
    }
}

/// What sqlx has no trait for: the count of rows a statement changed.
pub trait Driver: Database {
    fn rows_affected(result: &Self::QueryResult) -> u64;
}

impl Driver for sqlx::Sqlite {
    fn rows_affected(result: &Self::QueryResult) -> u64 {
        result.rows_affected()
    }
}

impl Driver for sqlx::Postgres {
    fn rows_affected(result: &Self::QueryResult) -> u64 {
        result.rows_affected()
    }
}

/// A database failure; the detail goes to logs, not to clients.
fn db_err(e: sqlx::Error) -> Error {
    Error::storage(format!("database: {e}"))
}

impl<DB> SqlExecutor for SqlxExecutor<DB>
where
    DB: Driver,
    DB::Arguments: IntoArguments<DB>,
    for<'c> &'c mut DB::Connection: Executor<'c, Database = DB>,
    for<'v> Option<String>: Encode<'v, DB> + Decode<'v, DB> + Type<DB>,
    for<'v> Option<i64>: Encode<'v, DB> + Decode<'v, DB> + Type<DB>,
    usize: ColumnIndex<DB::Row>,
{
    async fn execute(&self, st: &Statement) -> Result<u64> {
        let done = bind(st).execute(&self.pool).await.map_err(db_err)?;
        Ok(DB::rows_affected(&done))
    }

    async fn fetch(&self, st: &Statement) -> Result<Vec<Vec<SqlValue>>> {
        let rows = bind(st).fetch_all(&self.pool).await.map_err(db_err)?;
        rows.iter()
            .map(|row| {
                st.columns
                    .iter()
                    .enumerate()
                    .map(|(i, column)| {
                        Ok(match column.ty {
                            SqlType::Text => SqlValue::Text(row.try_get(i).map_err(db_err)?),
                            SqlType::Int => SqlValue::Int(row.try_get(i).map_err(db_err)?),
                        })
                    })
                    .collect()
            })
            .collect()
    }
}

fn bind<DB>(st: &Statement) -> Query<'static, DB, DB::Arguments>
where
    DB: Database,
    for<'v> Option<String>: Encode<'v, DB> + Type<DB>,
    for<'v> Option<i64>: Encode<'v, DB> + Type<DB>,
{
    let mut query = sqlx::query(sqlx::AssertSqlSafe(st.sql.clone()));
    for arg in &st.args {
        query = match arg {
            SqlValue::Text(v) => query.bind(v.clone()),
            SqlValue::Int(v) => query.bind(*v),
        };
    }
    query
}
