//! The catalog's executor over a D1 database binding: core's one catalog
//! runs here the same SQL as on SQLite natively, on the same schema
//! (`migrations/sqlite`, applied by wrangler). D1 binds JS values and
//! answers rows as arrays of them, read here as the types core asks for.
//!
//! `Send` as in [`crate::r2_blobs`]: D1 futures are wrapped in
//! `SendFuture`, sound because an isolate is single-threaded.

use std::future::Future;

use mediakit_core::ports::{Column, SqlExecutor, SqlType, SqlValue, Statement};
use mediakit_core::{Error, Result};
use worker::js_sys::Array;
use worker::send::SendFuture;
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::{D1Database, D1PreparedStatement};

use crate::placeholders;

/// JS numbers hold integers exactly up to 2^53 - 1 (D1 takes no BigInt).
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

pub struct D1Executor {
    db: D1Database,
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

/// Reads one value of a row: a string or an integral number, or null.
fn sql_value(v: &JsValue, column: &Column) -> Result<SqlValue> {
    let null = v.is_null() || v.is_undefined();
    let value = match column.ty {
        SqlType::Text if null => Some(SqlValue::Text(None)),
        SqlType::Int if null => Some(SqlValue::Int(None)),
        SqlType::Text => v.as_string().map(|s| SqlValue::Text(Some(s))),
        SqlType::Int => v
            .as_f64()
            .filter(|n| n.fract() == 0.0 && n.abs() <= MAX_SAFE_INTEGER as f64)
            .map(|n| SqlValue::Int(Some(n as i64))),
    };
    value.ok_or_else(|| {
        Error::storage(format!(
            "D1: column {} is not {:?}: {v:?}",
            column.name, column.ty
        ))
    })
}

fn sql_row(row: &JsValue, columns: &[Column]) -> Result<Vec<SqlValue>> {
    let values = row
        .dyn_ref::<Array>()
        .ok_or_else(|| Error::storage("D1: a raw row is not an array"))?;
    if values.length() as usize != columns.len() {
        return Err(Error::storage(format!(
            "D1: a row has {} values for {} columns",
            values.length(),
            columns.len()
        )));
    }
    (0u32..)
        .zip(columns)
        .map(|(i, column)| sql_value(&values.get(i), column))
        .collect()
}

impl D1Executor {
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
}

impl SqlExecutor for D1Executor {
    fn execute(&self, st: &Statement) -> impl Future<Output = Result<u64>> + Send {
        SendFuture::new(async move {
            let result = self.prepare(st)?.run().await.map_err(d1_err)?;
            let meta = result.meta().map_err(d1_err)?;
            Ok(meta.and_then(|m| m.changes).unwrap_or(0) as u64)
        })
    }

    fn fetch(&self, st: &Statement) -> impl Future<Output = Result<Vec<Vec<SqlValue>>>> + Send {
        SendFuture::new(async move {
            let rows = self.prepare(st)?.raw_js_value().await.map_err(d1_err)?;
            rows.iter().map(|row| sql_row(row, st.columns)).collect()
        })
    }
}
