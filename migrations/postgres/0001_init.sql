-- mediakit schema for PostgreSQL: the twin of ../sqlite/0001_init.sql, for
-- several server instances sharing one database. Same tables, columns and
-- indexes, so that the statements in mediakit-core (core/src/sql.rs) run
-- unchanged on both. Every integer column is BIGINT because adapters decode
-- integers as i64. Times are milliseconds since the Unix epoch.

CREATE TABLE media (
    -- numeric id (the CMS dialect's). An identity column draws from one
    -- sequence, so ids stay unique however many instances insert at once
    -- (and, like SQLite's AUTOINCREMENT, are never reused).
    seq               BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- UUIDv7, the canonical id
    id                TEXT    NOT NULL UNIQUE,
    original_filename TEXT    NOT NULL,
    stored_filename   TEXT    NOT NULL,
    kind              TEXT    NOT NULL,
    mime_type         TEXT    NOT NULL,
    extension         TEXT    NOT NULL,
    size              BIGINT  NOT NULL,
    width             BIGINT,
    height            BIGINT,
    sha256            TEXT    NOT NULL,
    name              TEXT    NOT NULL,
    -- JSON array of strings, as given (display form)
    tags              TEXT    NOT NULL DEFAULT '[]',
    alt_text          TEXT,
    credit            TEXT,
    uploaded_by       TEXT,
    created_at        BIGINT  NOT NULL,
    updated_at        BIGINT,
    deleted_at        BIGINT,
    unlisted_at       BIGINT,
    -- JSON array of variants {name, width, height, mime_type, size, key, sha256}
    variants          TEXT    NOT NULL DEFAULT '[]',
    -- derived by mediakit-core (sql.rs): lowercased search text and tag keys
    search_text       TEXT    NOT NULL DEFAULT '',
    tag_keys          TEXT    NOT NULL DEFAULT ''
);

CREATE INDEX media_listing ON media (created_at, seq);
CREATE INDEX media_deleted ON media (deleted_at);

CREATE TABLE tokens (
    id         TEXT   PRIMARY KEY,
    -- hex SHA-256 of the secret; the secret itself is never stored
    hash       TEXT   NOT NULL UNIQUE,
    label      TEXT   NOT NULL,
    -- comma-separated scopes
    scopes     TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

-- Batch uploads (the RPC dialect's task_ID): items is a JSON array of
-- {original_filename, state, media_id, error_code, error_message}.
CREATE TABLE tasks (
    id         TEXT   PRIMARY KEY,
    created_at BIGINT NOT NULL,
    created_by TEXT,
    items      TEXT   NOT NULL
);
