// Runs in Chromium (scripts/bench-browser): decode → resize to a longest
// side → JPEG encode of real photos, four ways, each timed in this thread:
//   wasm      mediakit's core (the demo's wasm, SIMD128): the server's pipeline
//   nosimd    the same core built without SIMD128
//   pica      pica (Lanczos in JS/wasm) after the browser's own decode
//   canvas    drawImage with imageSmoothingQuality 'high'
//   bitmap    createImageBitmap's decode-time resize ('high')
// The browser paths decode with createImageBitmap and encode with
// canvas.toBlob; all include decoding and encoding, like the server's.
import init, * as core from './pkg/mediakit_web.js';
import initNoSimd, * as coreNoSimd from './pkg-nosimd/mediakit_web.js';
import Pica from './pica.min.mjs';

const pica = new Pica({ features: ['js', 'wasm'] }); // one thread, like the others

function fit(w, h, side) {
  const longest = Math.max(w, h);
  return [Math.max(1, Math.round((w * side) / longest)), Math.max(1, Math.round((h * side) / longest))];
}

function canvasOf(w, h) {
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}

const toJpeg = (canvas, quality) => new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', quality));

function wasmWith(build) {
  return async (bytes, side, quality) => {
    const limits = build.default_limits();
    const r = build.resize(bytes, limits, side, quality, 'jpeg');
    const out = { width: r.width, height: r.height, bytes: r.bytes.length };
    r.free();
    limits.free();
    return out;
  };
}

const methods = {
  wasm: wasmWith(core),
  nosimd: wasmWith(coreNoSimd),
  async pica(bytes, side, quality) {
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
    const [w, h] = fit(bitmap.width, bitmap.height, side);
    const dst = canvasOf(w, h);
    await pica.resize(bitmap, dst, { filter: 'lanczos3' });
    bitmap.close();
    const blob = await pica.toBlob(dst, 'image/jpeg', quality / 100);
    return { width: w, height: h, bytes: blob.size };
  },
  async canvas(bytes, side, quality) {
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }));
    const [w, h] = fit(bitmap.width, bitmap.height, side);
    const dst = canvasOf(w, h);
    const ctx = dst.getContext('2d');
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(bitmap, 0, 0, w, h);
    bitmap.close();
    const blob = await toJpeg(dst, quality / 100);
    return { width: w, height: h, bytes: blob.size };
  },
  async bitmap(bytes, side, quality, size) {
    const [w, h] = fit(size.width, size.height, side);
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/jpeg' }), {
      resizeWidth: w, resizeHeight: h, resizeQuality: 'high',
    });
    const dst = canvasOf(w, h);
    dst.getContext('2d').drawImage(bitmap, 0, 0);
    bitmap.close();
    const blob = await toJpeg(dst, quality / 100);
    return { width: w, height: h, bytes: blob.size };
  },
};

// {photos: [names], side, quality, runs} → [{file, method, median_ms, ...}]
window.runBenchmark = async ({ photos, side, quality, runs }) => {
  await init();
  await initNoSimd();
  if (!core.simd128() || coreNoSimd.simd128()) throw new Error('the two wasm builds are mixed up');
  const status = document.getElementById('status');
  const results = [];
  for (const file of photos) {
    const bytes = new Uint8Array(await (await fetch(`assets/photos/${file}`)).arrayBuffer());
    const limits = core.default_limits();
    const probe = core.inspect(bytes, limits);
    const size = { width: probe.width, height: probe.height };
    probe.free();
    limits.free();
    for (const [method, run] of Object.entries(methods)) {
      status.textContent = `${file}: ${method}`;
      const out = await run(bytes, side, quality, size); // warm-up
      const times = [];
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        await run(bytes, side, quality, size);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      results.push({ file, method, median_ms: times[runs >> 1], min_ms: times[0], ...out, source: size });
      document.getElementById('out').textContent += `${file} ${method} ${times[runs >> 1].toFixed(1)} ms\n`;
    }
  }
  status.textContent = 'done';
  return { results, simd128: core.simd128(), userAgent: navigator.userAgent };
};
