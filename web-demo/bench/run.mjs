// scripts/bench-browser's driver (a benchmark, not a test): serves a bench
// page with the native server, times four browser resize paths in Chromium
// and the same core function natively, and prints a markdown table.
//   node bench/run.mjs --native native.jsonl [--side 1024] [--runs 5] PHOTO...
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

import { launchChromium, repoRoot, startServer } from '../tests/harness.mjs';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const [, value] = args.splice(i, 2);
  return value;
};
const side = Number(opt('--side', '1024'));
const runs = Number(opt('--runs', '5'));
const quality = Number(opt('--quality', '80'));
const nativeFile = opt('--native', '');
const nosimdPkg = opt('--nosimd-pkg', '');
const photos = args;
if (!photos.length || !nosimdPkg) {
  throw new Error('usage: run.mjs --nosimd-pkg DIR [--native FILE] [--side N] [--runs N] PHOTO...');
}

// The page, the demo's wasm, pica and the photos, as a --web-dir.
const dir = await mkdtemp(join(tmpdir(), 'mediakit-bench-'));
const assets = join(dir, 'assets');
await mkdir(join(assets, 'photos'), { recursive: true });
await copyFile(join(repoRoot, 'web-demo/bench/index.html'), join(dir, 'index.html'));
await copyFile(join(repoRoot, 'web-demo/bench/bench-page.mjs'), join(assets, 'bench-page.mjs'));
await copyFile(join(repoRoot, 'web-demo/node_modules/pica/dist/pica.min.mjs'), join(assets, 'pica.min.mjs'));
await symlink(join(repoRoot, 'web-demo/www/assets/pkg'), join(assets, 'pkg'));
// Built by scripts/bench-browser with `build-web-demo --no-simd --out …`.
await symlink(nosimdPkg, join(assets, 'pkg-nosimd'));
for (const p of photos) await symlink(p, join(assets, 'photos', basename(p)));

const server = await startServer({ webDirectory: dir });
const browser = await launchChromium();
let report;
let product;
try {
  const page = await browser.context.newPage();
  product = (await (await browser.context.newCDPSession(page)).send('Browser.getVersion')).product;
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(`${server.url}/`);
  await page.waitForFunction(() => typeof window.runBenchmark === 'function');
  report = await page.evaluate((o) => window.runBenchmark(o), {
    photos: photos.map((p) => basename(p)), side, quality, runs,
  });
} finally {
  await browser.close();
  await server.stop();
  await rm(dir, { recursive: true, force: true });
}

const native = new Map();
if (nativeFile) {
  for (const line of (await readFile(nativeFile, 'utf8')).split('\n').filter(Boolean)) {
    const r = JSON.parse(line);
    native.set(r.file, r);
  }
}

console.log(`${product.replace(/^(Headless)?Chrome\//, 'Chromium ')} headless, wasm SIMD128 ${report.simd128 ? 'on' : 'off'}; ` +
  `longest side ${side} px, JPEG quality ${quality}; median of ${runs} runs after a warm-up, one thread each.\n`);
const methods = ['wasm', 'nosimd', 'pica', 'canvas', 'bitmap'];
console.log('| photo | size | mediakit wasm (SIMD128) | mediakit wasm (no SIMD) | pica (lanczos3) | canvas drawImage | createImageBitmap resize | native (same core fn) |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|');
const cell = (r) => (r ? `${Math.round(r.median_ms)} ms (${Math.round(r.bytes / 1024)} KiB)` : '—');
for (const file of photos.map((p) => basename(p))) {
  const rows = Object.fromEntries(report.results.filter((r) => r.file === file).map((r) => [r.method, r]));
  const src = rows.wasm.source;
  const mp = ((src.width * src.height) / 1e6).toFixed(1);
  console.log(`| ${file} | ${src.width}×${src.height} (${mp} MP) | ${methods.map((m) => cell(rows[m])).join(' | ')} | ${cell(native.get(file))} |`);
}
