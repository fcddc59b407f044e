// Shared by the browser test and the benchmark: a native `mediakit serve` on
// a free port with a temporary data directory, and Debian's Chromium driven by
// playwright-core (no downloaded browser).
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const webDir = join(repoRoot, 'web-demo/www');
export const corpusDir = join(process.env.MEDIAKIT_CORPUS || join(homedir(), '.cache/mediakit/corpus'), 'photos');
export const fixturesDir = join(repoRoot, 'tests/fixtures');

// The `mediakit` binary: MEDIAKIT_BIN, else the debug build in the shared
// target dir (scripts/test.d/50-browser.sh builds it).
export function serverBinary() {
  if (process.env.MEDIAKIT_BIN) return process.env.MEDIAKIT_BIN;
  const target = process.env.CARGO_TARGET_DIR || join(homedir(), '.cache/mediakit/target');
  return join(target, 'debug/mediakit');
}

// Starts `mediakit serve` on 127.0.0.1 (port chosen by the OS, read back from
// its first stdout line) and resolves once /healthz answers.
// `webDirectory: null`: no --web-dir, the page built into the binary.
export async function startServer({ flags = [], webDirectory = webDir } = {}) {
  const data = await mkdtemp(join(tmpdir(), 'mediakit-browser-'));
  const page = webDirectory === null ? [] : ['--web-dir', webDirectory];
  const child = spawn(serverBinary(), [
    'serve', '--listen', '127.0.0.1:0', '--data', data, ...page, ...flags,
  ], { cwd: data, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, MEDIAKIT_LOG: process.env.MEDIAKIT_LOG || 'warn' } });
  const url = await new Promise((resolveUrl, reject) => {
    let buffered = '';
    const timer = setTimeout(() => reject(new Error('mediakit serve did not start in 30 s')), 30_000);
    child.once('exit', (code) => reject(new Error(`mediakit serve exited with ${code}`)));
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const m = buffered.match(/listening on (http:\/\/[0-9.:]+)/);
      if (m) {
        clearTimeout(timer);
        resolveUrl(m[1]);
      }
    });
  });
  child.stdout.resume();
  for (let i = 0; ; i++) {
    const healthy = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (healthy) break;
    if (i > 300) throw new Error(`${url}/healthz did not answer in 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const adminToken = (await readFile(join(data, 'admin-token'), 'utf8')).trim();
  return {
    url,
    adminToken,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(data, { recursive: true, force: true });
    },
    // A REST call with the admin token (or `token`).
    async api(path, { method = 'GET', body, token = adminToken } = {}) {
      const headers = { Authorization: `Bearer ${token}` };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      return fetch(`${url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    },
  };
}

// The flags of toolchain.md: headless Debian Chromium, nothing phoning home.
export const CHROMIUM_FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

// A fresh profile each time (playwright passes it as --user-data-dir).
export async function launchChromium() {
  const profile = await mkdtemp(join(tmpdir(), 'mediakit-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

// Where the browser tests put their screenshots.
export const artifactsDir = join(process.env.MEDIAKIT_ARTIFACTS || join(repoRoot, 'test-artifacts'), 'web-demo');

// A name no earlier run of the suite has used.
export const unique = (prefix) => `${prefix}-${process.pid}-${Date.now()}`;

// The page of `server` in a new tab of `context`, once it is ready (core
// loaded, limits read), with what every browser test watches: `errors`
// (uncaught exceptions and console errors, which should stay empty) and
// `uploads` (each upload request the page sends, to count and weigh them).
export async function openPage(context, server) {
  const page = await context.newPage();
  const errors = [];
  const uploads = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/api/v1/media/upload')) uploads.push(r);
  });
  await page.goto(`${server.url}/`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  return { page, errors, uploads };
}
