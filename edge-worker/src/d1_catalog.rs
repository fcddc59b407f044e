//! Catalog over a D1 database binding, running core's shared SQL (the same
//! statements as SQLite natively, on the same schema from `migrations/`).
//! D1 answers rows as JS objects, which deserialize straight into core's
//! row types.
//!
//! `Send` as in [`crate::r2_blobs`]: D1 futures are wrapped in
//! `SendFuture`, sound because an isolate is single-threaded.

use std::future::Future;

use mediakit_core::model::{ListQuery, Media, MetadataUpdate, Page, Task, TokenRecord};
use mediakit_core::ports::Catalog;
use mediakit_core::sql::{self, MediaRow, SqlValue, Statement, TaskRow, TokenRow};
use mediakit_core::time::Millis;
use mediakit_core::{Error, Result};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use worker::send::SendFuture;
use worker::wasm_bindgen::JsValue;
use worker::{D1Database, D1PreparedStatement};

use crate::placeholders;

/// JS numbers hold integers exactly up to 2^53 - 1 (D1 takes no BigInt).
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

pub struct D1Catalog {
    db: D1Database,
}

#[derive(Deserialize)]
struct SeqRow {
    seq: i64,
}

#[derive(Deserialize)]
struct CountRow {
    total: i64,
}

fn d1_err(e: worker::Error) -> Error {
    Error::storage(format!("D1: {e}"))
}

/// Binds one of core's typed values. Integers beyond the JS-safe range are
/// clamped: mediakit's only such values are "skip everything" offsets,
/// whose meaning survives the clamp (no table holds 2^53 rows; 2^53 ms is
/// 285 000 years).
fn js_value(v: &SqlValue) -> JsValue {
    match v {
        SqlValue::Text(Some(s)) => JsValue::from_str(s),
        SqlValue::Int(Some(n)) => {
            JsValue::from_f64((*n).clamp(-MAX_SAFE_INTEGER, MAX_SAFE_INTEGER) as f64)
        }
        SqlValue::Text(None) | SqlValue::Int(None) => JsValue::NULL,
    }
}

impl D1Catalog {
    pub fn new(db: D1Database) -> Self {
        Self { db }
    }

    /// Empties every table (the conformance suite wants an empty catalog).
    pub async fn clear(&self) -> Result<()> {
        for table in ["media", "tokens", "tasks"] {
            self.db
                .prepare(format!("DELETE FROM {table}"))
                .run()
                .await
                .map_err(d1_err)?;
        }
        Ok(())
    }

    fn prepare(&self, st: &Statement) -> Result<D1PreparedStatement> {
        let args: Vec<JsValue> = st.args.iter().map(js_value).collect();
        self.db
            .prepare(placeholders::to_d1(&st.sql))
            .bind(&args)
            .map_err(d1_err)
    }

    async fn rows<T: DeserializeOwned>(&self, st: Statement) -> Result<Vec<T>> {
        let result = self.prepare(&st)?.all().await.map_err(d1_err)?;
        if let Some(e) = result.error() {
            return Err(Error::storage(format!("D1: {e}")));
        }
        result.results::<T>().map_err(d1_err)
    }

    /// Runs a statement; the number of rows it changed.
    async fn execute(&self, st: Statement) -> Result<u64> {
        let result = self.prepare(&st)?.run().await.map_err(d1_err)?;
        let meta = result.meta().map_err(d1_err)?;
        Ok(meta.and_then(|m| m.changes).unwrap_or(0) as u64)
    }

    async fn media(&self, st: Statement) -> Result<Vec<Media>> {
        self.rows::<MediaRow>(st)
            .await?
            .into_iter()
            .map(MediaRow::into_media)
            .collect()
    }

    async fn insert_media_row(&self, media: &Media) -> Result<i64> {
        self.rows::<SeqRow>(sql::insert_media(media))
            .await?
            .pop()
            .map(|r| r.seq)
            .ok_or_else(|| Error::storage("D1: INSERT … RETURNING seq returned no row"))
    }

    async fn list(&self, query: &ListQuery) -> Result<Page<Media>> {
        let (page, count) = sql::list_media(query);
        let items = self.media(page).await?;
        let total = self
            .rows::<CountRow>(count)
            .await?
            .pop()
            .map_or(0, |r| r.total);
        Ok(Page {
            items,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    async fn token(&self, hash: &str) -> Result<Option<TokenRecord>> {
        Ok(self
            .rows::<TokenRow>(sql::token_by_hash(hash))
            .await?
            .pop()
            .map(TokenRow::into_record))
    }

    async fn tokens(&self) -> Result<Vec<TokenRecord>> {
        Ok(self
            .rows::<TokenRow>(sql::list_tokens())
            .await?
            .into_iter()
            .map(TokenRow::into_record)
            .collect())
    }

    async fn task(&self, id: &str) -> Result<Option<Task>> {
        self.rows::<TaskRow>(sql::task_by_id(id))
            .await?
            .pop()
            .map(TaskRow::into_task)
            .transpose()
    }
}

impl Catalog for D1Catalog {
    fn insert_media(&self, media: &Media) -> impl Future<Output = Result<i64>> + Send {
        SendFuture::new(self.insert_media_row(media))
    }

    fn media_by_id(&self, id: &str) -> impl Future<Output = Result<Option<Media>>> + Send {
        SendFuture::new(async move { Ok(self.media(sql::media_by_id(id)).await?.pop()) })
    }

    fn media_by_seq(&self, seq: i64) -> impl Future<Output = Result<Option<Media>>> + Send {
        SendFuture::new(async move { Ok(self.media(sql::media_by_seq(seq)).await?.pop()) })
    }

    fn list_media(&self, query: &ListQuery) -> impl Future<Output = Result<Page<Media>>> + Send {
        SendFuture::new(self.list(query))
    }

    fn update_metadata(
        &self,
        id: &str,
        update: &MetadataUpdate,
        now: Millis,
    ) -> impl Future<Output = Result<bool>> + Send {
        SendFuture::new(async move {
            Ok(self.execute(sql::update_metadata(id, update, now)).await? > 0)
        })
    }

    fn set_deleted(
        &self,
        id: &str,
        at: Option<Millis>,
        now: Millis,
    ) -> impl Future<Output = Result<bool>> + Send {
        SendFuture::new(async move { Ok(self.execute(sql::set_deleted(id, at, now)).await? > 0) })
    }

    fn set_unlisted(
        &self,
        id: &str,
        at: Option<Millis>,
        now: Millis,
    ) -> impl Future<Output = Result<bool>> + Send {
        SendFuture::new(async move { Ok(self.execute(sql::set_unlisted(id, at, now)).await? > 0) })
    }

    fn remove_media(&self, id: &str) -> impl Future<Output = Result<bool>> + Send {
        SendFuture::new(async move { Ok(self.execute(sql::remove_media(id)).await? > 0) })
    }

    fn deleted_before(
        &self,
        before: Millis,
        limit: u64,
    ) -> impl Future<Output = Result<Vec<Media>>> + Send {
        SendFuture::new(self.media(sql::deleted_before(before, limit)))
    }

    fn insert_token(&self, token: &TokenRecord) -> impl Future<Output = Result<()>> + Send {
        SendFuture::new(async move { self.execute(sql::insert_token(token)).await.map(|_| ()) })
    }

    fn token_by_hash(
        &self,
        hash: &str,
    ) -> impl Future<Output = Result<Option<TokenRecord>>> + Send {
        SendFuture::new(self.token(hash))
    }

    fn list_tokens(&self) -> impl Future<Output = Result<Vec<TokenRecord>>> + Send {
        SendFuture::new(self.tokens())
    }

    fn revoke_token(&self, id: &str, at: Millis) -> impl Future<Output = Result<bool>> + Send {
        SendFuture::new(async move { Ok(self.execute(sql::revoke_token(id, at)).await? > 0) })
    }

    fn put_task(&self, task: &Task) -> impl Future<Output = Result<()>> + Send {
        SendFuture::new(async move { self.execute(sql::put_task(task)).await.map(|_| ()) })
    }

    fn task_by_id(&self, id: &str) -> impl Future<Output = Result<Option<Task>>> + Send {
        SendFuture::new(self.task(id))
    }
}
