//! The SQL of every catalog query, written once for SQLite, D1 and
//! Postgres: one text per statement and one rule for derived columns.
//! Placeholders are `$1, $2, …` (see [`Statement`]).
//! (Past 400 lines only with its tests: all the SQL stays in one file.)

use super::derived::{TAG_SEP, like_escape, search_text, tag_keys};
use super::rows::{self, select_list};
use crate::MediaKind;
use crate::model::{ListQuery, Media, MetadataUpdate, SortOrder, Task, TokenRecord, Visibility};
use crate::statement::{SqlValue, Statement};
use crate::time::Millis;

fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".to_owned())
}

fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// The columns an insert writes (all but `seq`), in argument order.
const INSERT_MEDIA_COLUMNS: &str = "id, original_filename, stored_filename, kind, mime_type, \
extension, size, width, height, sha256, name, tags, alt_text, credit, uploaded_by, created_at, \
updated_at, deleted_at, unlisted_at, variants, search_text, tag_keys, placeholder, blob_id, \
focal_point";

/// `$1, $2, … $n`.
fn placeholders(n: usize) -> String {
    (1..=n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A new row; the database assigns its numeric id.
pub fn insert_media(m: &Media) -> Statement {
    let args = insert_media_args(m);
    Statement {
        sql: format!(
            "INSERT INTO media ({INSERT_MEDIA_COLUMNS}) VALUES ({}) RETURNING seq",
            placeholders(args.len())
        ),
        args,
        columns: rows::SEQ,
    }
}

/// A row copied from another catalog, keeping its numeric id (numeric ids
/// are in clients' URLs: `mediakit migrate-database` must not renumber).
pub fn insert_media_keeping_seq(m: &Media) -> Statement {
    let mut args = insert_media_args(m);
    args.push(m.seq.into());
    Statement {
        sql: format!(
            "INSERT INTO media ({INSERT_MEDIA_COLUMNS}, seq) VALUES ({})",
            placeholders(args.len())
        ),
        args,
        columns: &[],
    }
}

fn insert_media_args(m: &Media) -> Vec<SqlValue> {
    vec![
        m.id.clone().into(),
        m.original_filename.clone().into(),
        m.stored_filename.clone().into(),
        kind_str(m.kind).into(),
        m.mime_type.clone().into(),
        m.extension.clone().into(),
        int(m.size).into(),
        m.width.map(i64::from).into(),
        m.height.map(i64::from).into(),
        m.sha256.clone().into(),
        m.name.clone().into(),
        json(&m.tags).into(),
        m.alt_text.clone().into(),
        m.credit.clone().into(),
        m.uploaded_by.clone().into(),
        m.created_at.into(),
        m.updated_at.into(),
        m.deleted_at.into(),
        m.unlisted_at.into(),
        json(&m.variants).into(),
        search_text(
            &m.name,
            &m.original_filename,
            &m.tags,
            m.alt_text.as_deref(),
        )
        .into(),
        tag_keys(&m.tags).into(),
        m.placeholder.clone().into(),
        m.blob_id.clone().into(),
        m.focal_point.map(|f| f.to_text(',')).into(),
    ]
}

pub fn media_by_id(id: &str) -> Statement {
    Statement {
        sql: format!(
            "SELECT {} FROM media WHERE id = $1",
            select_list(rows::MEDIA)
        ),
        args: vec![id.into()],
        columns: rows::MEDIA,
    }
}

/// The newest row whose stored original is these bytes: what an upload of
/// them shares (dedup). Kind and size too, so that a hash alone never
/// decides. The newest, because if an older set of files cannot be shared
/// (a purge left its marker, see service/shared_files.rs), the upload that
/// then stored its own made the newest row, whose files can.
pub fn media_with_content(sha256: &str, size: u64, kind: MediaKind) -> Statement {
    Statement {
        sql: format!(
            "SELECT {} FROM media WHERE sha256 = $1 AND size = $2 AND kind = $3 \
             ORDER BY seq DESC LIMIT 1",
            select_list(rows::MEDIA)
        ),
        args: vec![sha256.into(), int(size).into(), kind_str(kind).into()],
        columns: rows::MEDIA,
    }
}

/// A row whose files are under `blob_id`, if any. `id = ` as well: a row
/// an older instance wrote has no blob_id and holds its files under its id
/// (counting a row too many only keeps files longer).
pub fn blob_user(blob_id: &str) -> Statement {
    Statement {
        sql: "SELECT id FROM media WHERE blob_id = $1 OR id = $2 LIMIT 1".to_owned(),
        args: vec![blob_id.into(), blob_id.into()],
        columns: rows::ID,
    }
}

pub fn media_by_seq(seq: i64) -> Statement {
    Statement {
        sql: format!(
            "SELECT {} FROM media WHERE seq = $1",
            select_list(rows::MEDIA)
        ),
        args: vec![seq.into()],
        columns: rows::MEDIA,
    }
}

/// The page query and the count query of a listing (same filters).
pub fn list_media(q: &ListQuery) -> (Statement, Statement) {
    let mut conds: Vec<String> = Vec::new();
    let mut args: Vec<SqlValue> = Vec::new();
    match q.visibility {
        Visibility::Listed => conds.push("deleted_at IS NULL AND unlisted_at IS NULL".into()),
        Visibility::Live => conds.push("deleted_at IS NULL".into()),
        Visibility::Deleted => conds.push("deleted_at IS NOT NULL".into()),
    }
    if q.images_only {
        conds.push("mime_type LIKE 'image/%'".into());
    }
    if let Some(term) = q.search.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        args.push(format!("%{}%", like_escape(&term.to_lowercase())).into());
        conds.push(format!("search_text LIKE ${} ESCAPE '\\'", args.len()));
    }
    if let Some(tag) = q.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let key = format!("{TAG_SEP}{}{TAG_SEP}", tag.to_lowercase());
        args.push(format!("%{}%", like_escape(&key)).into());
        conds.push(format!("tag_keys LIKE ${} ESCAPE '\\'", args.len()));
    }
    let filter = conds.join(" AND ");
    let count = Statement {
        sql: format!("SELECT COUNT(*) AS total FROM media WHERE {filter}"),
        args: args.clone(),
        columns: rows::TOTAL,
    };
    let dir = match q.order {
        SortOrder::Newest => "DESC",
        SortOrder::Oldest => "ASC",
    };
    let n = args.len();
    args.push(int(q.limit).into());
    args.push(int(q.offset).into());
    let page = Statement {
        sql: format!(
            "SELECT {} FROM media WHERE {filter} \
             ORDER BY created_at {dir}, seq {dir} LIMIT ${} OFFSET ${}",
            select_list(rows::MEDIA),
            n + 1,
            n + 2
        ),
        args,
        columns: rows::MEDIA,
    };
    (page, count)
}

pub fn update_metadata(id: &str, u: &MetadataUpdate, now: Millis) -> Statement {
    Statement {
        sql: "UPDATE media SET name = $1, tags = $2, alt_text = $3, credit = $4, \
              original_filename = $5, search_text = $6, tag_keys = $7, updated_at = $8, \
              focal_point = $9 WHERE id = $10"
            .to_owned(),
        args: vec![
            u.name.clone().into(),
            json(&u.tags).into(),
            u.alt_text.clone().into(),
            u.credit.clone().into(),
            u.original_filename.clone().into(),
            search_text(
                &u.name,
                &u.original_filename,
                &u.tags,
                u.alt_text.as_deref(),
            )
            .into(),
            tag_keys(&u.tags).into(),
            now.into(),
            u.focal_point.map(|f| f.to_text(',')).into(),
            id.into(),
        ],
        columns: &[],
    }
}

/// Sets or clears a lifecycle timestamp only when it changes, so the number
/// of affected rows tells whether this call made the transition.
fn set_state(column: &str, id: &str, at: Option<Millis>, now: Millis) -> Statement {
    let guard = if at.is_some() {
        "IS NULL"
    } else {
        "IS NOT NULL"
    };
    Statement {
        sql: format!(
            "UPDATE media SET {column} = $1, updated_at = $2 WHERE id = $3 AND {column} {guard}"
        ),
        args: vec![at.into(), now.into(), id.into()],
        columns: &[],
    }
}

pub fn set_deleted(id: &str, at: Option<Millis>, now: Millis) -> Statement {
    set_state("deleted_at", id, at, now)
}

pub fn set_unlisted(id: &str, at: Option<Millis>, now: Millis) -> Statement {
    set_state("unlisted_at", id, at, now)
}

pub fn remove_media(id: &str) -> Statement {
    Statement {
        sql: "DELETE FROM media WHERE id = $1".to_owned(),
        args: vec![id.into()],
        columns: &[],
    }
}

/// Removes a row only while it is still deleted, and deleted before
/// `before` (the predicate of [`deleted_before`]). Retention purges with
/// it: a restore that lands between selecting a row and removing it leaves
/// the row live, so this changes nothing (0 rows) and its files are kept.
pub fn remove_expired_media(id: &str, before: Millis) -> Statement {
    Statement {
        sql: "DELETE FROM media WHERE id = $1 AND deleted_at IS NOT NULL AND deleted_at < $2"
            .to_owned(),
        args: vec![id.into(), before.into()],
        columns: &[],
    }
}

pub fn deleted_before(before: Millis, limit: u64) -> Statement {
    Statement {
        sql: format!(
            "SELECT {} FROM media WHERE deleted_at IS NOT NULL AND deleted_at < $1 \
             ORDER BY deleted_at ASC LIMIT $2",
            select_list(rows::MEDIA)
        ),
        args: vec![before.into(), int(limit).into()],
        columns: rows::MEDIA,
    }
}

pub fn insert_token(t: &TokenRecord) -> Statement {
    Statement {
        sql: format!(
            "INSERT INTO tokens ({}) VALUES ($1, $2, $3, $4, $5, $6)",
            select_list(rows::TOKEN)
        ),
        args: vec![
            t.id.clone().into(),
            t.hash.clone().into(),
            t.label.clone().into(),
            t.scopes.join(",").into(),
            t.created_at.into(),
            t.revoked_at.into(),
        ],
        columns: &[],
    }
}

pub fn token_by_hash(hash: &str) -> Statement {
    Statement {
        sql: format!(
            "SELECT {} FROM tokens WHERE hash = $1",
            select_list(rows::TOKEN)
        ),
        args: vec![hash.into()],
        columns: rows::TOKEN,
    }
}

pub fn list_tokens() -> Statement {
    Statement {
        sql: format!(
            "SELECT {} FROM tokens ORDER BY created_at DESC, id DESC",
            select_list(rows::TOKEN)
        ),
        args: vec![],
        columns: rows::TOKEN,
    }
}

pub fn revoke_token(id: &str, at: Millis) -> Statement {
    Statement {
        sql: "UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL".to_owned(),
        args: vec![at.into(), id.into()],
        columns: &[],
    }
}

/// Insert or replace, in the syntax SQLite, D1 and Postgres share.
pub fn put_task(t: &Task) -> Statement {
    Statement {
        sql: format!(
            "INSERT INTO tasks ({}) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET items = excluded.items",
            select_list(rows::TASK)
        ),
        args: vec![
            t.id.clone().into(),
            t.created_at.into(),
            t.created_by.clone().into(),
            json(&t.items).into(),
        ],
        columns: &[],
    }
}

pub fn task_by_id(id: &str) -> Statement {
    Statement {
        sql: format!(
            "SELECT {} FROM tasks WHERE id = $1",
            select_list(rows::TASK)
        ),
        args: vec![id.into()],
        columns: rows::TASK,
    }
}

/// Every task id, oldest first (for copying a catalog).
pub fn task_ids() -> Statement {
    Statement {
        sql: "SELECT id FROM tasks ORDER BY created_at, id".to_owned(),
        args: vec![],
        columns: rows::ID,
    }
}

fn kind_str(k: MediaKind) -> &'static str {
    k.extension()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `$N` appears once and in order, so positional binding is right
    /// on every database.
    fn assert_placeholders_in_order(st: &Statement) {
        let mut expected = 1;
        let bytes = st.sql.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'$' {
                let digits: String = st.sql[i + 1..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                assert_eq!(digits.parse::<usize>().unwrap(), expected, "{}", st.sql);
                expected += 1;
                i += digits.len();
            }
            i += 1;
        }
        assert_eq!(expected - 1, st.args.len(), "{}", st.sql);
    }

    #[test]
    fn list_statements_bind_in_order() {
        let q = ListQuery {
            search: Some("50%_off\\".into()),
            tag: Some("Sea".into()),
            images_only: true,
            ..ListQuery::default()
        };
        let (page, count) = list_media(&q);
        assert_placeholders_in_order(&page);
        assert_placeholders_in_order(&count);
        assert_eq!(
            page.args[0],
            SqlValue::Text(Some("%50\\%\\_off\\\\%".into()))
        );
        assert_eq!(
            page.args[1],
            SqlValue::Text(Some("%\u{1f}sea\u{1f}%".into()))
        );
        assert!(page.sql.contains("ORDER BY created_at DESC"));
    }

    #[test]
    fn all_statements_bind_in_order() {
        let u = MetadataUpdate {
            name: "n".into(),
            tags: vec!["A".into()],
            alt_text: None,
            credit: None,
            original_filename: "f.jpg".into(),
            focal_point: None,
        };
        for st in [
            update_metadata("id", &u, 1),
            set_deleted("id", Some(1), 1),
            set_unlisted("id", None, 1),
            remove_media("id"),
            remove_expired_media("id", 5),
            deleted_before(5, 10),
            media_by_id("x"),
            media_by_seq(3),
            media_with_content("ab", 3, MediaKind::Png),
            blob_user("x"),
            revoke_token("t", 1),
            list_tokens(),
            task_by_id("t"),
            task_ids(),
            insert_media(&crate::conformance::catalog::sample_media(1)),
            insert_media_keeping_seq(&crate::conformance::catalog::sample_media(2)),
            put_task(&Task {
                id: "t".into(),
                created_at: 1,
                created_by: None,
                items: vec![],
            }),
        ] {
            assert_placeholders_in_order(&st);
        }
    }
}
