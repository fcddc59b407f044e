//! What the catalog hands an executor ([`crate::ports::SqlExecutor`]): a
//! statement, its arguments and, for queries, the columns each row holds.
//! The schema has two column types only (TEXT and BIGINT/INTEGER), so a
//! value is text or an integer, either of which may be NULL.

/// A value to bind or a value read. Nulls are typed because Postgres needs
/// to know the type of a NULL parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlValue {
    Text(Option<String>),
    Int(Option<i64>),
}

impl From<String> for SqlValue {
    fn from(s: String) -> Self {
        SqlValue::Text(Some(s))
    }
}
impl From<&str> for SqlValue {
    fn from(s: &str) -> Self {
        SqlValue::Text(Some(s.to_owned()))
    }
}
impl From<i64> for SqlValue {
    fn from(v: i64) -> Self {
        SqlValue::Int(Some(v))
    }
}
impl From<Option<String>> for SqlValue {
    fn from(v: Option<String>) -> Self {
        SqlValue::Text(v)
    }
}
impl From<Option<i64>> for SqlValue {
    fn from(v: Option<i64>) -> Self {
        SqlValue::Int(v)
    }
}

/// How an executor reads a column: SQLite `TEXT`/`INTEGER`, Postgres
/// `TEXT`/`BIGINT`, D1 strings/numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqlType {
    Text,
    Int,
}

/// A column a query returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub ty: SqlType,
}

pub(crate) const fn text(name: &'static str) -> Column {
    Column {
        name,
        ty: SqlType::Text,
    }
}

pub(crate) const fn int(name: &'static str) -> Column {
    Column {
        name,
        ty: SqlType::Int,
    }
}

/// A statement and its arguments. Placeholders are `$1, $2, …`, each used
/// once and numbered in order of appearance, which SQLite, D1 and Postgres
/// all bind positionally. `columns` lists what each returned row holds, in
/// order (empty for statements that return no rows).
#[derive(Debug, Clone, PartialEq)]
pub struct Statement {
    pub sql: String,
    pub args: Vec<SqlValue>,
    pub columns: &'static [Column],
}
