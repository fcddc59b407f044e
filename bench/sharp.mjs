// sharp peer of scripts/bench: one process, one thread, one file after another.
//   node sharp.mjs TASK OUTDIR FILE...     TASK: jpeg256 | webp1024 | variants
// Same work as `mediakit thumbnail`: auto-orient, fit inside the box without
// enlarging, Lanczos3 (sharp's default kernel), metadata stripped (default),
// JPEG q80 4:2:0 / WebP q80 effort 4.
import sharp from "sharp";
import { basename, extname, join } from "node:path";

sharp.concurrency(1);
sharp.cache(false);
const [task, outDir, ...files] = process.argv.slice(2);
const sizes = { jpeg256: [256], webp1024: [1024], variants: [256, 640, 1280, 2048] }[task];
if (!sizes) throw new Error(`unknown task ${task}`);

for (const file of files) {
  const stem = basename(file, extname(file));
  for (const size of sizes) {
    const pipeline = sharp(file)
      .rotate()
      .resize(size, size, { fit: "inside", withoutEnlargement: true });
    if (task === "webp1024") {
      await pipeline.webp({ quality: 80, effort: 4 }).toFile(join(outDir, `${stem}-${size}.webp`));
    } else {
      await pipeline.jpeg({ quality: 80 }).toFile(join(outDir, `${stem}-${size}.jpg`));
    }
  }
}
