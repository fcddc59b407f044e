//! The columns the catalog reads and how its rows decode. One list per
//! table builds the SELECT list and tells executors how to read each
//! column, and rows decode by column name, so the two cannot drift apart.

use crate::MediaKind;
use crate::error::{Error, Result};
use crate::model::{FocalPoint, Media, Task, TaskItem, TokenRecord, Variant};
use crate::statement::{Column, SqlValue, int, text};

pub(crate) const MEDIA: &[Column] = &[
    int("seq"),
    text("id"),
    text("original_filename"),
    text("stored_filename"),
    text("kind"),
    text("mime_type"),
    text("extension"),
    int("size"),
    int("width"),
    int("height"),
    text("sha256"),
    text("name"),
    text("tags"),
    text("alt_text"),
    text("credit"),
    text("uploaded_by"),
    int("created_at"),
    int("updated_at"),
    int("deleted_at"),
    int("unlisted_at"),
    text("variants"),
    text("placeholder"),
    text("blob_id"),
    text("focal_point"),
];

pub(crate) const TOKEN: &[Column] = &[
    text("id"),
    text("hash"),
    text("label"),
    text("scopes"),
    int("created_at"),
    int("revoked_at"),
];

pub(crate) const TASK: &[Column] = &[
    text("id"),
    int("created_at"),
    text("created_by"),
    text("items"),
];

/// `INSERT … RETURNING seq`.
pub(crate) const SEQ: &[Column] = &[int("seq")];
/// `SELECT COUNT(*) AS total`.
pub(crate) const TOTAL: &[Column] = &[int("total")];
/// `SELECT id FROM tasks`.
pub(crate) const ID: &[Column] = &[text("id")];

/// `a, b, c`: the SELECT list of `columns`.
pub(crate) fn select_list(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// One row as an executor returned it, read by column name.
pub(crate) struct Row<'c> {
    columns: &'c [Column],
    values: Vec<SqlValue>,
}

impl<'c> Row<'c> {
    /// Checks that the executor returned one value per column.
    pub(crate) fn new(columns: &'c [Column], values: Vec<SqlValue>) -> Result<Self> {
        if values.len() != columns.len() {
            return Err(Error::storage(format!(
                "a row has {} values for {} columns",
                values.len(),
                columns.len()
            )));
        }
        Ok(Self { columns, values })
    }

    fn value(&self, name: &str) -> Result<&SqlValue> {
        self.columns
            .iter()
            .position(|c| c.name == name)
            .map(|i| &self.values[i])
            .ok_or_else(|| Error::storage(format!("no column {name} in this row")))
    }

    pub(crate) fn opt_text(&self, name: &str) -> Result<Option<String>> {
        match self.value(name)? {
            SqlValue::Text(v) => Ok(v.clone()),
            SqlValue::Int(_) => Err(Error::storage(format!("column {name} is not text"))),
        }
    }

    pub(crate) fn text(&self, name: &str) -> Result<String> {
        self.opt_text(name)?
            .ok_or_else(|| Error::storage(format!("column {name} is NULL")))
    }

    pub(crate) fn opt_int(&self, name: &str) -> Result<Option<i64>> {
        match self.value(name)? {
            SqlValue::Int(v) => Ok(*v),
            SqlValue::Text(_) => Err(Error::storage(format!("column {name} is not an integer"))),
        }
    }

    pub(crate) fn int(&self, name: &str) -> Result<i64> {
        self.opt_int(name)?
            .ok_or_else(|| Error::storage(format!("column {name} is NULL")))
    }
}

/// A row of [`MEDIA`].
pub(crate) fn media(r: &Row) -> Result<Media> {
    let id = r.text("id")?;
    let corrupt = |what: &str| Error::storage(format!("media row {id} has bad {what}"));
    let kind = MediaKind::from_extension(&r.text("kind")?).ok_or_else(|| corrupt("kind"))?;
    let tags: Vec<String> = serde_json::from_str(&r.text("tags")?).map_err(|_| corrupt("tags"))?;
    let variants: Vec<Variant> =
        serde_json::from_str(&r.text("variants")?).map_err(|_| corrupt("variants"))?;
    let dim = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok());
    Ok(Media {
        seq: r.int("seq")?,
        original_filename: r.text("original_filename")?,
        stored_filename: r.text("stored_filename")?,
        kind,
        mime_type: r.text("mime_type")?,
        extension: r.text("extension")?,
        size: u64::try_from(r.int("size")?).unwrap_or(0),
        width: dim(r.opt_int("width")?),
        height: dim(r.opt_int("height")?),
        sha256: r.text("sha256")?,
        name: r.text("name")?,
        tags,
        alt_text: r.opt_text("alt_text")?,
        credit: r.opt_text("credit")?,
        uploaded_by: r.opt_text("uploaded_by")?,
        created_at: r.int("created_at")?,
        updated_at: r.opt_int("updated_at")?,
        deleted_at: r.opt_int("deleted_at")?,
        unlisted_at: r.opt_int("unlisted_at")?,
        variants,
        placeholder: r.opt_text("placeholder")?,
        focal_point: match r.opt_text("focal_point")? {
            None => None,
            Some(text) => {
                Some(FocalPoint::parse_text(&text, ',').ok_or_else(|| corrupt("focal_point"))?)
            }
        },
        // NULL in rows an older instance wrote: their files are their own.
        blob_id: r
            .opt_text("blob_id")?
            .filter(|b| !b.is_empty())
            .unwrap_or_else(|| id.clone()),
        id,
    })
}

/// A row of [`TOKEN`].
pub(crate) fn token(r: &Row) -> Result<TokenRecord> {
    Ok(TokenRecord {
        id: r.text("id")?,
        hash: r.text("hash")?,
        label: r.text("label")?,
        scopes: r
            .text("scopes")?
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        created_at: r.int("created_at")?,
        revoked_at: r.opt_int("revoked_at")?,
    })
}

/// A row of [`TASK`].
pub(crate) fn task(r: &Row) -> Result<Task> {
    let id = r.text("id")?;
    let items: Vec<TaskItem> = serde_json::from_str(&r.text("items")?)
        .map_err(|_| Error::storage(format!("task row {id} has bad items")))?;
    Ok(Task {
        created_at: r.int("created_at")?,
        created_by: r.opt_text("created_by")?,
        items,
        id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn select_lists_follow_the_column_lists() {
        assert_eq!(
            select_list(MEDIA),
            "seq, id, original_filename, stored_filename, kind, mime_type, extension, size, \
             width, height, sha256, name, tags, alt_text, credit, uploaded_by, created_at, \
             updated_at, deleted_at, unlisted_at, variants, placeholder, blob_id, focal_point"
        );
        assert_eq!(select_list(TASK), "id, created_at, created_by, items");
        assert_eq!(
            select_list(TOKEN),
            "id, hash, label, scopes, created_at, revoked_at"
        );
    }

    fn task_row(values: Vec<SqlValue>) -> Result<Task> {
        task(&Row::new(TASK, values)?)
    }

    #[test]
    fn rows_decode_by_name_and_type() {
        let t = task_row(vec![
            "t1".into(),
            5.into(),
            SqlValue::Text(None),
            "[]".into(),
        ])
        .unwrap();
        assert_eq!((t.id.as_str(), t.created_at, t.created_by), ("t1", 5, None));
    }

    #[test]
    fn malformed_rows_are_storage_errors() {
        let short = task_row(vec!["t1".into()]).unwrap_err();
        assert_eq!(short.code, ErrorCode::StorageUnavailable);
        let wrong_type = task_row(vec!["t1".into(), "5".into(), "x".into(), "[]".into()]);
        assert_eq!(wrong_type.unwrap_err().code, ErrorCode::StorageUnavailable);
        let null = task_row(vec![
            "t1".into(),
            SqlValue::Int(None),
            "x".into(),
            "[]".into(),
        ]);
        assert_eq!(null.unwrap_err().code, ErrorCode::StorageUnavailable);
        let bad_json = task_row(vec!["t1".into(), 5.into(), "x".into(), "{".into()]);
        assert_eq!(bad_json.unwrap_err().code, ErrorCode::StorageUnavailable);
    }
}
