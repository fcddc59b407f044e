// The Web Worker that runs mediakit's core (wasm). Resizing a 20 MP photo
// takes a noticeable fraction of a second: here it never freezes the page.
//
// Protocol: the page posts {id, op, ...}; the worker answers
// {id, ok: true, result} or {id, ok: false, error: {code, message}} with the
// core's own error codes (the ones the server answers with).
import init, * as core from './pkg/mediakit_web.js';

const ready = init();

function limitsOf(l) {
  return new core.Limits(l.max_upload_bytes, l.max_pixels);
}

// Core errors are CoreError objects; anything else is a bug or a broken build.
function errorOf(e) {
  if (e && typeof e.code === 'string') return { code: e.code, message: e.message };
  return { code: 'internal', message: String(e && e.message || e) };
}

const ops = {
  info() {
    const limits = core.default_limits();
    const info = {
      simd128: core.simd128(),
      default_limits: { max_upload_bytes: limits.max_upload_bytes, max_pixels: limits.max_pixels },
      default_presets: core.default_presets().map((p) => {
        const preset = { name: p.name, max_side: p.max_side };
        p.free();
        return preset;
      }),
      default_quality: core.default_quality(),
    };
    limits.free();
    return { result: info };
  },

  inspect({ bytes, limits }) {
    const l = limitsOf(limits);
    const started = performance.now();
    try {
      const p = core.inspect(new Uint8Array(bytes), l);
      const ms = performance.now() - started;
      const result = {
        kind: p.kind, mime_type: p.mime_type, width: p.width, height: p.height,
        orientation: p.orientation, has_alpha: p.has_alpha, animated: p.animated,
        resizable: p.resizable, ms,
      };
      p.free();
      return { result };
    } finally {
      l.free();
    }
  },

  resize({ bytes, limits, max_side, quality, format }) {
    const l = limitsOf(limits);
    const started = performance.now();
    try {
      const r = core.resize(new Uint8Array(bytes), l, max_side, quality, format);
      const ms = performance.now() - started;
      const out = r.bytes; // a copy out of wasm memory, ours to transfer
      const result = {
        width: r.width, height: r.height, mime_type: r.mime_type,
        extension: r.extension, bytes: out.buffer, ms,
      };
      r.free();
      return { result, transfer: [out.buffer] };
    } finally {
      l.free();
    }
  },

  placeholder({ hash }) {
    const p = core.placeholder_image(new Uint8Array(hash));
    const rgba = p.rgba;
    const result = { width: p.width, height: p.height, rgba: rgba.buffer };
    p.free();
    return { result, transfer: [rgba.buffer] };
  },
};

self.onmessage = async ({ data }) => {
  const { id, op } = data;
  try {
    await ready;
    const run = ops[op];
    if (!run) throw { code: 'internal', message: `unknown operation ${op}` };
    const { result, transfer = [] } = run(data);
    self.postMessage({ id, ok: true, result }, transfer);
  } catch (e) {
    self.postMessage({ id, ok: false, error: errorOf(e) });
  }
};
