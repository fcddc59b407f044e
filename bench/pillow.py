"""Pillow peer of scripts/bench: one process, one thread, one file after another.

    python pillow.py TASK OUTDIR FILE...     TASK: jpeg256 | webp1024 | variants

Same work as `mediakit thumbnail`: auto-orient, fit inside the box without
enlarging, JPEG shrink-on-load (Image.draft through thumbnail's reducing_gap),
Lanczos, JPEG q80 4:2:0 / WebP q80 method 4, no metadata copied.
"""

import os
import sys

from PIL import Image, ImageOps

SIZES = {"jpeg256": [256], "webp1024": [1024], "variants": [2048, 1280, 640, 256]}


def save(img, out_dir, stem, size, task):
    if img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    if task == "webp1024":
        img.save(os.path.join(out_dir, f"{stem}-{size}.webp"), quality=80, method=4)
    else:
        img.save(os.path.join(out_dir, f"{stem}-{size}.jpg"), quality=80)


def main():
    task, out_dir, *files = sys.argv[1:]
    sizes = SIZES[task]
    for path in files:
        stem = os.path.splitext(os.path.basename(path))[0]
        with Image.open(path) as img:
            # Decode once, shrunk on load to no less than twice the largest
            # output (what thumbnail()'s reducing_gap=2 asks of draft(), and
            # what vipsthumbnail and mediakit do), then derive every size from
            # it, largest first.
            scale = min(1.0, sizes[0] / max(img.size))
            img.draft("RGB", tuple(max(1, round(2 * scale * side)) for side in img.size))
            img = ImageOps.exif_transpose(img)
            for size in sizes:
                thumb = img.copy()
                thumb.thumbnail((size, size), Image.Resampling.LANCZOS, reducing_gap=2.0)
                save(thumb, out_dir, stem, size, task)


if __name__ == "__main__":
    main()
