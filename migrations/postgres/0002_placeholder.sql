-- The placeholder of an image upload: its ThumbHash, base64 (about 30
-- characters). NULL for media without pixels (SVG, PDF, video) and for
-- images uploaded before placeholders existed.
ALTER TABLE media ADD COLUMN placeholder TEXT;
