// mediakit's REST API (docs/api.md), from the page's origin. The token lives
// in localStorage; file URLs are public and need none.
const TOKEN_KEY = 'mediakit.token';

export const token = {
  get: () => localStorage.getItem(TOKEN_KEY) || '',
  set: (value) => localStorage.setItem(TOKEN_KEY, value.trim()),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

// A refusal from the server, with its stable code.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function request(path, { method = 'GET', body, headers = {}, auth = true } = {}) {
  const h = new Headers(headers);
  if (auth) {
    const t = token.get();
    if (!t) throw new ApiError(401, 'unauthorized', 'enter an API token first (Server and token, above)');
    h.set('Authorization', `Bearer ${t}`);
  }
  let res;
  try {
    res = await fetch(path, { method, body, headers: h });
  } catch (e) {
    throw new ApiError(0, 'network', `the server could not be reached (${e.message})`);
  }
  if (!res.ok) {
    let code = `http_${res.status}`;
    let message = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
    try {
      const err = (await res.json()).error;
      if (err) ({ code, message } = err);
    } catch { /* not JSON: keep the status */ }
    throw new ApiError(res.status, code, message);
  }
  return res;
}

export async function limits() {
  return (await request('api/v1/limits', { auth: false })).json();
}

// view: 'all' (unlisted too), 'listed' or 'trash'; tag: one exact tag.
export async function list({ view = 'all', q = '', tag = '', skip = 0, limit = 24 } = {}) {
  const params = new URLSearchParams({ skip, limit });
  if (view === 'trash') params.set('deleted', 'true');
  if (view === 'all') params.set('include_unlisted', 'true');
  if (q.trim()) params.set('q', q.trim());
  if (tag.trim()) params.set('tag', tag.trim());
  const res = await request(`api/v1/media?${params}`);
  return { items: await res.json(), total: Number(res.headers.get('X-Total-Count') || 0) };
}

// fields: {name, alt_text, tags, unlisted}; empty ones are left out.
// onProgress(sent, total) follows the request body out (fetch cannot tell
// upload progress, XMLHttpRequest can); the answer is the stored media.
export function upload(blob, filename, fields = {}, { onProgress } = {}) {
  const form = new FormData();
  form.append('file', blob, filename);
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    form.append(key, String(value));
  }
  const t = token.get();
  if (!t) return Promise.reject(new ApiError(401, 'unauthorized', 'enter an API token first (Server and token, above)'));
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', 'api/v1/media/upload');
    xhr.setRequestHeader('Authorization', `Bearer ${t}`);
    xhr.responseType = 'text';
    if (onProgress) {
      xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded, e.lengthComputable ? e.total : blob.size));
      xhr.upload.addEventListener('load', () => onProgress(1, 1));
    }
    xhr.addEventListener('error', () => reject(new ApiError(0, 'network', 'the server could not be reached')));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted', 'the upload was cancelled')));
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch { /* not JSON: the status speaks */ }
      if (xhr.status >= 200 && xhr.status < 300 && body) return resolve(body);
      const err = body?.error;
      reject(err
        ? new ApiError(xhr.status, err.code, err.message)
        : new ApiError(xhr.status, `http_${xhr.status}`, `HTTP ${xhr.status}${xhr.statusText ? ` ${xhr.statusText}` : ''}`));
    });
    xhr.send(form);
  });
}

export async function patch(id, changes) {
  const res = await request(`api/v1/media/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: JSON.stringify(changes),
    headers: { 'Content-Type': 'application/json' },
  });
  return res.json();
}

export async function remove(id) {
  await request(`api/v1/media/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export async function restore(id) {
  return (await request(`api/v1/media/${encodeURIComponent(id)}/restore`, { method: 'POST' })).json();
}

// Public file URLs, relative to the page (the API gives `uploads/media/…`).
export function fileUrl(path) {
  return path.replace(/^\/+/, '');
}
