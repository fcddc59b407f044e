-- What `cover` renditions keep in frame: `x,y` in ten-thousandths of the
-- displayed image's width and height (0..10000). NULL: the image's most
-- salient region is used.
ALTER TABLE media ADD COLUMN focal_point TEXT;
