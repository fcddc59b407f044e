// The page's handle on the core worker: promise-returning calls.
export class CoreClient {
  constructor() {
    this.worker = new Worker(new URL('./core-worker.js', import.meta.url), { type: 'module' });
    this.pending = new Map();
    this.nextId = 1;
    this.worker.onmessage = ({ data }) => {
      const call = this.pending.get(data.id);
      if (!call) return;
      this.pending.delete(data.id);
      if (data.ok) call.resolve(data.result);
      else call.reject(new CoreError(data.error.code, data.error.message));
    };
    // A worker that fails to load (e.g. the wasm is not built) fails every call.
    this.worker.onerror = (event) => {
      event.preventDefault();
      const error = new CoreError('internal', `the core could not start: ${event.message || 'worker error'}`);
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
      this.broken = error;
    };
  }

  call(op, args = {}, transfer = []) {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, ...args }, transfer);
    });
  }

  info() {
    return this.call('info');
  }

  // `bytes` is copied (the caller keeps its buffer).
  inspect(bytes, limits) {
    const copy = bytes.slice(0);
    return this.call('inspect', { bytes: copy, limits }, [copy]);
  }

  // A media item's `placeholder` (base64 ThumbHash) as {width, height, rgba}.
  placeholder(base64) {
    const hash = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)).buffer;
    return this.call('placeholder', { hash }, [hash]);
  }

  resize(bytes, limits, { maxSide, quality, format }) {
    const copy = bytes.slice(0);
    return this.call('resize', { bytes: copy, limits, max_side: maxSide, quality, format }, [copy]);
  }
}

export class CoreError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}
