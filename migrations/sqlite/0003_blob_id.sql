-- Deduplication: the media id whose keys (media/{blob_id}/…) hold this
-- row's files. An upload stored as new holds its own (blob_id = id); a
-- later upload of identical bytes is a row of its own that shares them.
-- NULL only in a row written by an instance older than this migration
-- (during a rolling upgrade): it is read as the row's own id.
ALTER TABLE media ADD COLUMN blob_id TEXT;
UPDATE media SET blob_id = id;
-- Whether any row still uses a set of files (purge, orphan collection).
CREATE INDEX media_blob ON media (blob_id);
-- An upload's twin by content.
CREATE INDEX media_content ON media (sha256);
