// @ts-check
// mediakit's REST API, from the page's origin, through openapi-fetch typed
// by the server's own OpenAPI document: `paths` is generated from it
// (scripts/gen-web-client → web-demo/types/api.d.ts) and `tsc` checks every
// path, parameter and body below against it, so a call the spec does not
// describe fails the test stage. The token lives in localStorage; file URLs
// are public and need none.
import createClient from './vendor/openapi-fetch.mjs';

/** @typedef {import('../../types/api').paths} paths */
/** @typedef {import('../../types/api').components['schemas']} schemas */
/** @typedef {schemas['Media']} Media */
/** @typedef {schemas['Limits']} Limits */
/** @typedef {schemas['MediaPatch']} MediaPatch */

const TOKEN_KEY = 'mediakit.token';

export const token = {
  get: () => localStorage.getItem(TOKEN_KEY) || '',
  /** @param {string} value */
  set: (value) => localStorage.setItem(TOKEN_KEY, value.trim()),
  clear: () => localStorage.removeItem(TOKEN_KEY),
};

// A refusal from the server, with its stable code.
export class ApiError extends Error {
  /**
   * @param {number} status 0 when no answer came
   * @param {string} code the server's stable code, or `http_<status>`, `network`, `aborted`
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// The spec's paths are absolute (`/api/v1/…`); the page's URLs stay relative
// to where it is served from, so that it also works under a path prefix.
// (openapi-fetch drops the base's trailing slash before adding the path.)
const baseUrl = new URL('.', document.baseURI).href;

/** @type {import('./vendor/openapi-fetch.mjs').Client<paths>} */
const client = createClient({ baseUrl });

/** The token's header, or the refusal the server would give without one. */
function auth() {
  const t = token.get();
  if (!t) throw new ApiError(401, 'unauthorized', 'enter an API token first (Server and token, above)');
  return { Authorization: `Bearer ${t}` };
}

/**
 * The ApiError for a non-2xx answer whose body openapi-fetch parsed
 * (`body`: JSON when it was, else its text).
 * @param {number} status
 * @param {string} statusText
 * @param {unknown} body
 */
function refusal(status, statusText, body) {
  const err = /** @type {{ error?: { code?: unknown, message?: unknown } } | null} */ (body)?.error;
  if (err && typeof err.code === 'string' && typeof err.message === 'string') {
    return new ApiError(status, err.code, err.message);
  }
  return new ApiError(status, `http_${status}`, `HTTP ${status}${statusText ? ` ${statusText}` : ''}`);
}

/**
 * Runs an openapi-fetch call: its data and response when the server said
 * yes, an ApiError otherwise (a network failure is one too).
 * @template {{ data?: unknown, error?: unknown, response: Response }} R
 * @param {() => Promise<R>} call
 * @returns {Promise<{ data: NonNullable<R['data']>, response: Response }>}
 */
async function send(call) {
  let result;
  try {
    result = await call();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(0, 'network', `the server could not be reached (${e instanceof Error ? e.message : e})`);
  }
  const { response } = result;
  if (!response.ok) throw refusal(response.status, response.statusText, result.error);
  return { data: /** @type {NonNullable<R['data']>} */ (result.data), response };
}

/** @returns {Promise<Limits>} */
export async function limits() {
  return (await send(() => client.GET('/api/v1/limits'))).data;
}

/**
 * One page of the library.
 * @param {{ view?: 'all' | 'listed' | 'trash', q?: string, tag?: string, skip?: number, limit?: number }} options
 *   view: 'all' (unlisted too), 'listed' or 'trash'; tag: one exact tag.
 * @returns {Promise<{ items: Media[], total: number }>}
 */
export async function list({ view = 'all', q = '', tag = '', skip = 0, limit = 24 } = {}) {
  // Built in a typed variable, not inline in the call: openapi-fetch's
  // generic options do not flag an unknown key of an inline literal.
  /** @type {NonNullable<paths['/api/v1/media']['get']['parameters']['query']>} */
  const query = { skip, limit };
  if (view === 'trash') query.deleted = true;
  if (view === 'all') query.include_unlisted = true;
  if (q.trim()) query.q = q.trim();
  if (tag.trim()) query.tag = tag.trim();
  const { data, response } = await send(() => client.GET('/api/v1/media', { params: { query }, headers: auth() }));
  // Matches over all pages (the spec's X-Total-Count header).
  return { items: data, total: Number(response.headers.get('X-Total-Count') || 0) };
}

// Uploads go through XMLHttpRequest, not openapi-fetch: fetch cannot report
// how much of a request body has been sent, and each card shows that as a
// progress bar. The path, the form's fields and the answer still come from
// the generated types (only `file` is left out of the fields: the spec
// types a binary part as a string, the page sends a Blob).
const UPLOAD_PATH = /** @satisfies {keyof paths} */ ('/api/v1/media/upload');
/** @typedef {paths[typeof UPLOAD_PATH]['post']} UploadOperation */
/** @typedef {Omit<UploadOperation['requestBody']['content']['multipart/form-data'], 'file'>} UploadFields */
/** @typedef {UploadOperation['responses'][201]['content']['application/json']} Uploaded */

/**
 * Uploads one file; empty fields are left out. onProgress(sent, total)
 * follows the request body out; the answer is the stored media.
 * @param {Blob} blob
 * @param {string} filename
 * @param {UploadFields} [fields]
 * @param {{ onProgress?: (sent: number, total: number) => void }} [options]
 * @returns {Promise<Uploaded>}
 */
export function upload(blob, filename, fields = {}, { onProgress } = {}) {
  const form = new FormData();
  form.append('file', blob, filename);
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    form.append(key, String(value));
  }
  let headers;
  try {
    headers = auth();
  } catch (e) {
    return Promise.reject(e);
  }
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${baseUrl.replace(/\/$/, '')}${UPLOAD_PATH}`);
    xhr.setRequestHeader('Authorization', headers.Authorization);
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
      if (xhr.status >= 200 && xhr.status < 300 && body) return resolve(/** @type {Uploaded} */ (body));
      reject(refusal(xhr.status, xhr.statusText, body));
    });
    xhr.send(form);
  });
}

/**
 * @param {string} id
 * @param {MediaPatch} changes
 * @returns {Promise<Media>}
 */
export async function patch(id, changes) {
  const call = () => client.PATCH('/api/v1/media/{id}', { params: { path: { id } }, body: changes, headers: auth() });
  return (await send(call)).data;
}

/** Moves to the trash (restorable). @param {string} id */
export async function remove(id) {
  await send(() => client.DELETE('/api/v1/media/{id}', { params: { path: { id } }, headers: auth() }));
}

/**
 * @param {string} id
 * @returns {Promise<Media>}
 */
export async function restore(id) {
  return (await send(() => client.POST('/api/v1/media/{id}/restore', { params: { path: { id } }, headers: auth() }))).data;
}

/**
 * Public file URLs, relative to the page (the API gives `uploads/media/…`).
 * @param {string} path
 */
export function fileUrl(path) {
  return path.replace(/^\/+/, '');
}
