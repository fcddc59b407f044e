// Many files at once in real Chromium: twenty images dropped together are
// resized by the wasm core, uploaded three at a time with a progress bar
// each, found by their tag in the library (two pages), and one gives a ready
// <img srcset> snippet whose every URL is served. Screenshots go to
// test-artifacts/web-demo/.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { artifactsDir, launchChromium, openPage, startServer, unique } from './harness.mjs';

let server;
let browser;
let page;
let pageErrors;
let uploads;

async function shot(name) {
  await page.screenshot({ path: join(artifactsDir, name), fullPage: true });
}

before(async () => {
  await mkdir(artifactsDir, { recursive: true });
  server = await startServer();
  browser = await launchChromium();
  ({ page, errors: pageErrors, uploads } = await openPage(browser.context, server));
  const res = await server.api('/api/v1/tokens', {
    method: 'POST',
    body: { scopes: ['media:read', 'media:upload', 'media:edit', 'media:delete'], label: 'batch test' },
  });
  assert.equal(res.status, 201);
  await page.fill('#token', (await res.json()).token);
  await page.click('#token-form button[type=submit]');
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('twenty files dropped at once upload in parallel with a bar each, then filter by tag and give a srcset snippet', async () => {
  const COUNT = 20;
  const tag = unique('batch');
  const before = uploads.length;
  // Twenty different images, drawn in the page and dropped together.
  await page.evaluate(async (count) => {
    const dt = new DataTransfer();
    for (let i = 0; i < count; i++) {
      const canvas = new OffscreenCanvas(900 + 16 * i, 600);
      const g = canvas.getContext('2d');
      const fill = g.createLinearGradient(0, 0, canvas.width, canvas.height);
      fill.addColorStop(0, `hsl(${i * 18} 80% 55%)`);
      fill.addColorStop(1, `hsl(${i * 18 + 140} 70% 25%)`);
      g.fillStyle = fill;
      g.fillRect(0, 0, canvas.width, canvas.height);
      g.fillStyle = '#fff';
      g.font = 'bold 220px sans-serif';
      g.fillText(String(i + 1), 60, 380);
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      dt.items.add(new File([blob], `batch-${String(i + 1).padStart(2, '0')}.png`, { type: 'image/png' }));
    }
    const drop = document.getElementById('drop');
    drop.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, COUNT);
  const batch = page.locator('li.card[data-file^="batch-"]');
  await page.waitForFunction(
    (n) => {
      const cards = [...document.querySelectorAll('li.card[data-file^="batch-"]')];
      return cards.length === n && cards.every((c) => c.dataset.state === 'ready');
    },
    COUNT,
    { timeout: 120_000 },
  );
  for (let i = 0; i < COUNT; i++) await batch.nth(i).getByLabel('Tags').fill(`${tag}, batch`);
  assert.match(await page.locator('#upload-summary').textContent(), /20 ready/);

  // Every card's bar is shown while it uploads; at most three at once.
  await page.evaluate(() => {
    window.batchSeen = { bars: {}, most: 0 };
    new MutationObserver(() => {
      const uploading = [...document.querySelectorAll('li.card[data-state="uploading"]')];
      window.batchSeen.most = Math.max(window.batchSeen.most, uploading.length);
      for (const c of uploading) window.batchSeen.bars[c.dataset.file] = !c.querySelector('progress').hidden;
    }).observe(document.getElementById('cards'), { attributes: true, subtree: true, attributeFilter: ['data-state'] });
  });
  await page.click('#upload-all');
  await page.waitForFunction(
    () => [...document.querySelectorAll('li.card[data-file^="batch-"]')].every((c) => c.dataset.state === 'uploaded'),
    null,
    { timeout: 120_000 },
  );
  await shot('06-batch-uploaded.png');
  const seen = await page.evaluate(() => window.batchSeen);
  assert.equal(Object.keys(seen.bars).length, COUNT, 'each card was seen uploading');
  assert.ok(Object.values(seen.bars).every(Boolean), 'with its progress bar shown');
  assert.equal(seen.most, 3, 'three uploads at a time');
  for (let i = 0; i < COUNT; i++) {
    assert.equal(await batch.nth(i).getAttribute('data-progress'), '1.000');
    assert.equal(await batch.nth(i).locator('progress').isHidden(), true);
  }
  assert.equal(uploads.length - before, COUNT, 'one request per file');
  assert.match(await page.locator('#upload-summary').textContent(), /20 uploaded/);
  assert.equal(await page.locator('#upload-all').isDisabled(), true);

  // The server has all twenty under the tag, each its own media.
  const res = await server.api(`/api/v1/media?tag=${encodeURIComponent(tag)}&limit=100`);
  const tagged = await res.json();
  assert.equal(tagged.length, COUNT);
  assert.equal(new Set(tagged.map((m) => m.sha256)).size, COUNT);

  // The library's tag filter: twelve on the first page, eight on the next.
  await page.fill('#library-q', '');
  await page.fill('#library-tag', tag);
  await page.dispatchEvent('#library-tag', 'change');
  await page.locator('#library-page', { hasText: `1–12 of ${COUNT}` }).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('li.media').count(), 12);
  await shot('07-tag-filter.png');
  await page.click('#library-next');
  await page.locator('#library-page', { hasText: `13–20 of ${COUNT}` }).waitFor({ timeout: 30_000 });
  assert.equal(await page.locator('li.media').count(), 8);

  // The <img> snippet of one item: every variant by width, all served.
  const first = page.locator('li.media').first();
  const id = await first.getAttribute('data-id');
  const media = await (await server.api(`/api/v1/media/${id}`)).json();
  await first.getByRole('button', { name: 'Copy <img> snippet' }).click();
  const snippet = await first.locator('textarea.snippet').inputValue();
  assert.match(snippet, /^<img src="[^"]+" srcset="[^"]+" sizes="[^"]+" width="\d+" height="\d+" alt="[^"]*" loading="lazy" decoding="async"/);
  const srcset = snippet.match(/srcset="([^"]+)"/)[1].split(', ').map((c) => c.split(' '));
  assert.ok(srcset.length >= 2, snippet);
  for (const v of media.variants) {
    assert.ok(srcset.some(([u, w]) => u.endsWith(v.path) && w === `${v.width}w`), `${v.name} in ${snippet}`);
  }
  for (const [u] of srcset) assert.equal((await fetch(u)).status, 200, u);
  await shot('08-snippet.png');
  await page.fill('#library-tag', '');
  await page.dispatchEvent('#library-tag', 'change');
});

test('the page logged no errors', () => {
  assert.deepEqual(pageErrors, []);
});
