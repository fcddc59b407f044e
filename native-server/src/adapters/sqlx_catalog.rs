//! The Catalog over sqlx, written once and instantiated per database with
//! [`sqlx_catalog!`]. The SQL comes from `mediakit_core::sql`; this file
//! only binds arguments and reads rows.
//!
//! A macro rather than generics: sqlx's database-generic bounds are long and
//! change between releases, while the code is identical text for each
//! backend.

use mediakit_core::Error;

/// A database failure; the detail goes to logs, not to clients.
pub fn db_err(e: sqlx::Error) -> Error {
    Error::storage(format!("database: {e}"))
}

/// Binds core's typed arguments to a sqlx query.
#[macro_export]
macro_rules! bind_args {
    ($query:expr, $args:expr) => {{
        let mut q = $query;
        for arg in $args {
            q = match arg {
                mediakit_core::sql::SqlValue::Text(v) => q.bind(v),
                mediakit_core::sql::SqlValue::Int(v) => q.bind(v),
            };
        }
        q
    }};
}

/// Implements `Catalog` for `$name` wrapping a `sqlx::Pool<$db>`.
#[macro_export]
macro_rules! sqlx_catalog {
    ($name:ident, $db:ty, $row:ty) => {
        #[derive(Clone, Debug)]
        pub struct $name {
            pool: sqlx::Pool<$db>,
        }

        impl $name {
            pub fn from_pool(pool: sqlx::Pool<$db>) -> Self {
                Self { pool }
            }

            pub fn pool(&self) -> &sqlx::Pool<$db> {
                &self.pool
            }

            async fn fetch_media(
                &self,
                st: mediakit_core::sql::Statement,
            ) -> mediakit_core::Result<Vec<mediakit_core::model::Media>> {
                let q = $crate::bind_args!(sqlx::query(sqlx::AssertSqlSafe(st.sql)), st.args);
                let rows = q
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::adapters::sqlx_catalog::db_err)?;
                rows.iter().map(|r| media_row(r)?.into_media()).collect()
            }

            /// Inserts a row copied from another catalog, numeric id
            /// included (see `mediakit_core::sql::insert_media_keeping_seq`).
            pub async fn insert_media_keeping_seq(
                &self,
                media: &mediakit_core::model::Media,
            ) -> mediakit_core::Result<()> {
                self.execute(mediakit_core::sql::insert_media_keeping_seq(media))
                    .await
                    .map(|_| ())
            }

            /// Every task id, oldest first.
            pub async fn task_ids(&self) -> mediakit_core::Result<Vec<String>> {
                use sqlx::Row;
                let st = mediakit_core::sql::task_ids();
                let rows = sqlx::query(sqlx::AssertSqlSafe(st.sql))
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::adapters::sqlx_catalog::db_err)?;
                rows.iter()
                    .map(|r| {
                        r.try_get::<String, _>("id")
                            .map_err($crate::adapters::sqlx_catalog::db_err)
                    })
                    .collect()
            }

            async fn execute(
                &self,
                st: mediakit_core::sql::Statement,
            ) -> mediakit_core::Result<u64> {
                let q = $crate::bind_args!(sqlx::query(sqlx::AssertSqlSafe(st.sql)), st.args);
                q.execute(&self.pool)
                    .await
                    .map(|r| r.rows_affected())
                    .map_err($crate::adapters::sqlx_catalog::db_err)
            }
        }

        fn media_row(r: &$row) -> mediakit_core::Result<mediakit_core::sql::MediaRow> {
            use sqlx::Row;
            let e = $crate::adapters::sqlx_catalog::db_err;
            Ok(mediakit_core::sql::MediaRow {
                seq: r.try_get("seq").map_err(e)?,
                id: r.try_get("id").map_err(e)?,
                original_filename: r.try_get("original_filename").map_err(e)?,
                stored_filename: r.try_get("stored_filename").map_err(e)?,
                kind: r.try_get("kind").map_err(e)?,
                mime_type: r.try_get("mime_type").map_err(e)?,
                extension: r.try_get("extension").map_err(e)?,
                size: r.try_get("size").map_err(e)?,
                width: r.try_get("width").map_err(e)?,
                height: r.try_get("height").map_err(e)?,
                sha256: r.try_get("sha256").map_err(e)?,
                name: r.try_get("name").map_err(e)?,
                tags: r.try_get("tags").map_err(e)?,
                alt_text: r.try_get("alt_text").map_err(e)?,
                credit: r.try_get("credit").map_err(e)?,
                uploaded_by: r.try_get("uploaded_by").map_err(e)?,
                created_at: r.try_get("created_at").map_err(e)?,
                updated_at: r.try_get("updated_at").map_err(e)?,
                deleted_at: r.try_get("deleted_at").map_err(e)?,
                unlisted_at: r.try_get("unlisted_at").map_err(e)?,
                variants: r.try_get("variants").map_err(e)?,
            })
        }

        fn token_row(r: &$row) -> mediakit_core::Result<mediakit_core::model::TokenRecord> {
            use sqlx::Row;
            let e = $crate::adapters::sqlx_catalog::db_err;
            Ok(mediakit_core::sql::TokenRow {
                id: r.try_get("id").map_err(e)?,
                hash: r.try_get("hash").map_err(e)?,
                label: r.try_get("label").map_err(e)?,
                scopes: r.try_get("scopes").map_err(e)?,
                created_at: r.try_get("created_at").map_err(e)?,
                revoked_at: r.try_get("revoked_at").map_err(e)?,
            }
            .into_record())
        }

        impl mediakit_core::ports::Catalog for $name {
            async fn insert_media(
                &self,
                media: &mediakit_core::model::Media,
            ) -> mediakit_core::Result<i64> {
                use sqlx::Row;
                let st = mediakit_core::sql::insert_media(media);
                let q = $crate::bind_args!(sqlx::query(sqlx::AssertSqlSafe(st.sql)), st.args);
                let row = q
                    .fetch_one(&self.pool)
                    .await
                    .map_err($crate::adapters::sqlx_catalog::db_err)?;
                row.try_get::<i64, _>("seq")
                    .map_err($crate::adapters::sqlx_catalog::db_err)
            }

            async fn media_by_id(
                &self,
                id: &str,
            ) -> mediakit_core::Result<Option<mediakit_core::model::Media>> {
                Ok(self
                    .fetch_media(mediakit_core::sql::media_by_id(id))
                    .await?
                    .pop())
            }

            async fn media_by_seq(
                &self,
                seq: i64,
            ) -> mediakit_core::Result<Option<mediakit_core::model::Media>> {
                Ok(self
                    .fetch_media(mediakit_core::sql::media_by_seq(seq))
                    .await?
                    .pop())
            }

            async fn list_media(
                &self,
                query: &mediakit_core::model::ListQuery,
            ) -> mediakit_core::Result<mediakit_core::model::Page<mediakit_core::model::Media>>
            {
                use sqlx::Row;
                let (page, count) = mediakit_core::sql::list_media(query);
                let items = self.fetch_media(page).await?;
                let q = $crate::bind_args!(sqlx::query(sqlx::AssertSqlSafe(count.sql)), count.args);
                let row = q
                    .fetch_one(&self.pool)
                    .await
                    .map_err($crate::adapters::sqlx_catalog::db_err)?;
                let total: i64 = row
                    .try_get("total")
                    .map_err($crate::adapters::sqlx_catalog::db_err)?;
                Ok(mediakit_core::model::Page {
                    items,
                    total: u64::try_from(total).unwrap_or(0),
                })
            }

            async fn update_metadata(
                &self,
                id: &str,
                update: &mediakit_core::model::MetadataUpdate,
                now: i64,
            ) -> mediakit_core::Result<bool> {
                Ok(self
                    .execute(mediakit_core::sql::update_metadata(id, update, now))
                    .await?
                    > 0)
            }

            async fn set_deleted(
                &self,
                id: &str,
                at: Option<i64>,
                now: i64,
            ) -> mediakit_core::Result<bool> {
                Ok(self
                    .execute(mediakit_core::sql::set_deleted(id, at, now))
                    .await?
                    > 0)
            }

            async fn set_unlisted(
                &self,
                id: &str,
                at: Option<i64>,
                now: i64,
            ) -> mediakit_core::Result<bool> {
                Ok(self
                    .execute(mediakit_core::sql::set_unlisted(id, at, now))
                    .await?
                    > 0)
            }

            async fn remove_media(&self, id: &str) -> mediakit_core::Result<bool> {
                Ok(self.execute(mediakit_core::sql::remove_media(id)).await? > 0)
            }

            async fn deleted_before(
                &self,
                before: i64,
                limit: u64,
            ) -> mediakit_core::Result<Vec<mediakit_core::model::Media>> {
                self.fetch_media(mediakit_core::sql::deleted_before(before, limit))
                    .await
            }

            async fn insert_token(
                &self,
                token: &mediakit_core::model::TokenRecord,
            ) -> mediakit_core::Result<()> {
                self.execute(mediakit_core::sql::insert_token(token))
                    .await
                    .map(|_| ())
            }

            async fn token_by_hash(
                &self,
                hash: &str,
            ) -> mediakit_core::Result<Option<mediakit_core::model::TokenRecord>> {
                let st = mediakit_core::sql::token_by_hash(hash);
                let q = $crate::bind_args!(sqlx::query(sqlx::AssertSqlSafe(st.sql)), st.args);
                let row = q
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($crate::adapters::sqlx_catalog::db_err)?;
                row.as_ref().map(token_row).transpose()
            }

            async fn list_tokens(
                &self,
            ) -> mediakit_core::Result<Vec<mediakit_core::model::TokenRecord>> {
                let st = mediakit_core::sql::list_tokens();
                let rows = sqlx::query(sqlx::AssertSqlSafe(st.sql))
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::adapters::sqlx_catalog::db_err)?;
                rows.iter().map(token_row).collect()
            }

            async fn revoke_token(&self, id: &str, at: i64) -> mediakit_core::Result<bool> {
                Ok(self
                    .execute(mediakit_core::sql::revoke_token(id, at))
                    .await?
                    > 0)
            }

            async fn put_task(
                &self,
                task: &mediakit_core::model::Task,
            ) -> mediakit_core::Result<()> {
                self.execute(mediakit_core::sql::put_task(task))
                    .await
                    .map(|_| ())
            }

            async fn task_by_id(
                &self,
                id: &str,
            ) -> mediakit_core::Result<Option<mediakit_core::model::Task>> {
                use sqlx::Row;
                let st = mediakit_core::sql::task_by_id(id);
                let q = $crate::bind_args!(sqlx::query(sqlx::AssertSqlSafe(st.sql)), st.args);
                let row = q
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($crate::adapters::sqlx_catalog::db_err)?;
                let Some(r) = row else { return Ok(None) };
                let e = $crate::adapters::sqlx_catalog::db_err;
                mediakit_core::sql::TaskRow {
                    id: r.try_get("id").map_err(e)?,
                    created_at: r.try_get("created_at").map_err(e)?,
                    created_by: r.try_get("created_by").map_err(e)?,
                    items: r.try_get("items").map_err(e)?,
                }
                .into_task()
                .map(Some)
            }
        }
    };
}
