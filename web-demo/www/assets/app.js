// @ts-check
// Entry point: start the core worker, read the server's limits, then wire
// the token form, the uploader and the library.
import * as api from './api.js';
import { CoreClient } from './core-client.js';
import { byIds, bytes } from './format.js';
import { setupLibrary } from './library.js';
import { setupResizePanel } from './resize-panel.js';

const [coreStatus, limitsNote] = byIds('core-status', 'limits');

async function main() {
  const core = new CoreClient();
  let info;
  try {
    info = await core.info();
  } catch (e) {
    coreStatus.textContent = `The core could not be loaded: ${e.message}. Is the web demo built (scripts/build-web-demo)?`;
    coreStatus.classList.add('error');
    return;
  }
  coreStatus.textContent = `Core loaded in a Web Worker (WebAssembly${info.simd128 ? ' with SIMD128' : ''}).`;
  document.body.dataset.core = 'ready';

  // The server's real limits; core's defaults when it cannot be reached
  // (the page also works as plain static files: resizing needs no server).
  /** @type {import('./api.js').Limits} */
  let limits;
  let online = false;
  try {
    limits = await api.limits();
    online = true;
    const types = limits.accepted_types.map((t) => t.split('/')[1].replace('svg+xml', 'svg').toUpperCase()).join(', ');
    limitsNote.textContent = `This server accepts ${types}; up to ${bytes(limits.max_upload_bytes)} and ${(limits.max_pixels / 1e6).toLocaleString()} megapixels per file${limits.uploads_enabled ? '' : ' — uploads are disabled on this instance'}.`;
  } catch (e) {
    limits = {
      ...info.default_limits,
      max_alt_text_chars: 255,
      variant_presets: info.default_presets,
      accepted_types: [],
      uploads_enabled: false,
    };
    limitsNote.textContent = `The server could not be reached (${e.message}): checking against core's default limits; uploading needs the server.`;
    limitsNote.classList.add('error');
  }
  const state = { limits, online, defaultQuality: info.default_quality };

  setupToken();
  const library = setupLibrary({ state, core });
  setupResizePanel({ core, state, onUploaded: () => library.refresh() });
  if (state.online) library.refresh();
  document.body.dataset.ready = 'true';
}

function setupToken() {
  const [form, input, forget, libraryControls] = /** @type {[HTMLFormElement, HTMLInputElement, HTMLButtonElement, HTMLFormElement]} */ (
    byIds('token-form', 'token', 'token-forget', 'library-controls'));
  input.value = api.token.get();
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    api.token.set(input.value);
    libraryControls.requestSubmit();
  });
  forget.addEventListener('click', () => {
    api.token.clear();
    input.value = '';
  });
}

main();
