// @ts-check
// "Resize and upload": files dropped or chosen become cards. Each file is
// inspected by the core (the server's own checks, against the server's
// limits), still images are resized by the core in the worker, and the result
// is uploaded with the user's name, alt text and tags.
import * as api from './api.js';
import { byIds, bytes, dims, el, field, ms, tagList } from './format.js';

// Originals that will be resized are not sent, so the server's byte limit
// applies to the resized file; this caps what the tab reads in. The pixel
// limit (the decompression-bomb guard) is the server's, always.
const RESIZE_INPUT_MAX_BYTES = 256 * 1024 * 1024;
const KEEP_ORIGINAL = 'original';
// "Upload all" sends this many files at once: enough to keep the link busy,
// few enough that each bar moves and the server's image workers keep up.
const PARALLEL_UPLOADS = 3;
const CUSTOM = 'custom';

/** @typedef {import('./api.js').Media} Media */
/** @typedef {import('./core-client.js').CoreClient} CoreClient */
/** @typedef {{ limits: import('./api.js').Limits, defaultQuality: number }} PanelState */
/** @typedef {{ keepOriginal: boolean, maxSide: number, quality: number, format: string }} Settings */

/**
 * @param {{ core: CoreClient, state: PanelState, onUploaded: (media: Media) => void }} deps
 */
export function setupResizePanel({ core, state, onUploaded }) {
  const [preset, maxSide, quality, qualityValue, format, input, drop, cards, uploadAll, summary] = /** @type {[
    HTMLSelectElement, HTMLInputElement, HTMLInputElement, HTMLOutputElement, HTMLSelectElement,
    HTMLInputElement, HTMLElement, HTMLOListElement, HTMLButtonElement, HTMLElement,
  ]} */ (byIds(
    'preset', 'max-side', 'quality', 'quality-value', 'format', 'files', 'drop', 'cards',
    'upload-all', 'upload-summary'));
  /** @type {Set<Card>} */
  const live = new Set();
  // What "Upload all" can send, and how the whole batch is doing.
  const updateBatch = () => {
    const states = [...live].map((c) => c.node.dataset.state);
    const count = (/** @type {string} */ s) => states.filter((x) => x === s).length;
    uploadAll.disabled = count('ready') === 0;
    const parts = /** @type {[number, string][]} */ ([
      [count('uploaded'), 'uploaded'], [count('uploading'), 'uploading'], [count('ready'), 'ready'],
      [count('checking') + count('resizing'), 'being prepared'], [count('refused'), 'refused'],
    ]).filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`);
    summary.textContent = live.size ? `${live.size} file${live.size === 1 ? '' : 's'}: ${parts.join(', ')}` : '';
  };
  uploadAll.addEventListener('click', async () => {
    const queue = [...live].filter((c) => c.node.dataset.state === 'ready').reverse();
    const worker = async () => {
      for (let card = queue.shift(); card; card = queue.shift()) await card.upload();
    };
    await Promise.all(Array.from({ length: PARALLEL_UPLOADS }, worker));
  });

  // Presets: the server's variant sizes (largest first), custom, or none.
  const presets = [...state.limits.variant_presets].sort((a, b) => b.max_side - a.max_side);
  for (const p of presets) {
    preset.append(el('option', { value: String(p.max_side), text: `${p.name} — ${p.max_side} px (a server preset)` }));
  }
  preset.append(el('option', { value: CUSTOM, text: 'Custom size' }));
  preset.append(el('option', { value: KEEP_ORIGINAL, text: 'Original size (send as is)' }));
  if (presets.length) {
    preset.value = String(presets[0].max_side);
    maxSide.value = String(presets[0].max_side);
  }
  quality.value = String(state.defaultQuality);
  qualityValue.value = quality.value;

  /** @returns {Settings} */
  const settings = () => ({
    keepOriginal: preset.value === KEEP_ORIGINAL,
    maxSide: Number(maxSide.value),
    quality: Number(quality.value),
    format: format.value,
  });

  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let rerunTimer;
  const settingsChanged = () => {
    clearTimeout(rerunTimer);
    rerunTimer = setTimeout(() => {
      for (const card of live) card.rerun();
    }, 250);
  };
  preset.addEventListener('change', () => {
    if (preset.value !== CUSTOM && preset.value !== KEEP_ORIGINAL) maxSide.value = preset.value;
    maxSide.disabled = preset.value === KEEP_ORIGINAL;
    settingsChanged();
  });
  maxSide.addEventListener('input', () => {
    if (preset.value !== CUSTOM) preset.value = CUSTOM;
    settingsChanged();
  });
  quality.addEventListener('input', () => {
    qualityValue.value = quality.value;
    settingsChanged();
  });
  format.addEventListener('change', settingsChanged);

  const add = (/** @type {File[]} */ files) => {
    for (const file of files) {
      const card = new Card(file, {
        core, state, settings, onUploaded, onChange: updateBatch,
        onRemove: () => {
          live.delete(card);
          updateBatch();
        },
      });
      live.add(card);
      cards.prepend(card.node);
      card.run();
    }
    updateBatch();
  };
  input.addEventListener('change', () => {
    add([...(input.files || [])]);
    input.value = '';
  });
  for (const type of ['dragenter', 'dragover']) {
    drop.addEventListener(type, (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
  }
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    add([...(e.dataTransfer?.files || [])]);
  });
}

class Card {
  /**
   * @param {File} file
   * @param {{ core: CoreClient, state: PanelState, settings: () => Settings,
   *   onUploaded: (media: Media) => void, onChange: () => void, onRemove: () => void }} deps
   */
  constructor(file, { core, state, settings, onUploaded, onChange, onRemove }) {
    // One by one rather than Object.assign: the type check follows these.
    this.file = file;
    this.core = core;
    this.state = state;
    this.settings = settings;
    this.onUploaded = onUploaded;
    this.onChange = onChange;
    this.onRemove = onRemove;
    this.generation = 0;
    /** @type {{ blob: Blob, filename: string, note?: string } | null} */
    this.sendable = null;
    /** @type {ArrayBuffer | undefined} the file's bytes, read once */
    this.bytes = undefined;
    /** @type {any} core's inspection of the file (null while re-checking) */
    this.probe = undefined;
    /** @type {string | undefined} */
    this.originalUrl = undefined;
    /** @type {string | undefined} */
    this.resizedUrl = undefined;
    const stem = file.name.replace(/\.[^.]*$/, '') || file.name;
    this.name = el('input', { type: 'text', value: stem, maxlength: '255', required: true });
    this.alt = el('input', { type: 'text', maxlength: String(state.limits.max_alt_text_chars || 255), placeholder: 'Describe the image for people who cannot see it' });
    this.tags = el('input', { type: 'text', placeholder: 'comma, separated' });
    this.unlisted = el('input', { type: 'checkbox' });
    this.uploadButton = el('button', { type: 'submit', class: 'primary', disabled: true, text: 'Upload' });
    this.originalMeta = el('span', { class: 'meta', text: `${bytes(file.size)} · checking…` });
    this.resizedMeta = el('span', { class: 'meta', text: 'waiting for the core…' });
    this.originalView = el('div', { class: 'preview' });
    this.resizedView = el('div', { class: 'preview' });
    this.message = el('p', { class: 'message', role: 'alert' });
    this.status = el('p', { class: 'status', role: 'status' });
    this.progress = el('progress', { class: 'upload-progress', max: '1', value: '0', hidden: true, 'aria-label': `Upload of ${file.name}` });
    this.form = el('form', { class: 'upload-form', onsubmit: (/** @type {SubmitEvent} */ e) => { e.preventDefault(); this.upload(); } },
      field('Name', this.name),
      field('Alt text', this.alt),
      field('Tags', this.tags),
      el('div', { class: 'field check' }, el('label', {}, this.unlisted, ' Unlisted (served by URL, left out of listings)')),
      el('div', { class: 'actions' },
        this.uploadButton,
        el('button', { type: 'button', class: 'quiet', text: 'Remove', onclick: () => this.remove() })));
    this.node = el('li', { class: 'card', 'data-state': 'checking', 'data-file': file.name },
      el('h3', { text: file.name }),
      el('div', { class: 'compare' },
        el('figure', { class: 'original' }, this.originalView, el('figcaption', {}, el('strong', { text: 'Original' }), ' ', this.originalMeta)),
        el('figure', { class: 'resized' }, this.resizedView, el('figcaption', {}, el('strong', { text: 'To upload' }), ' ', this.resizedMeta))),
      this.message, this.form, this.progress, this.status);
    this.originalView.replaceChildren(el('span', { class: 'placeholder', text: 'checking…' }));
  }

  /** @param {string} s */
  setState(s) {
    this.node.dataset.state = s;
    this.onChange();
  }

  // The bar, and its fraction in data-progress for scripts and tests.
  /** @param {number} sent @param {number} total */
  showProgress(sent, total) {
    const fraction = total > 0 ? Math.min(1, sent / total) : 0;
    this.progress.value = fraction;
    this.node.dataset.progress = fraction.toFixed(3);
    this.status.textContent = `Uploading ${bytes(this.sendable?.blob.size ?? 0)}… ${Math.round(fraction * 100)} %`;
  }

  serverLimits() {
    return this.state.limits;
  }

  // Only after the core has passed the file: a decompression bomb is never
  // handed to the browser's own decoder either.
  /** @param {{ mime_type: string }} probe */
  showOriginal(probe) {
    if (this.originalUrl) return;
    if (!probe.mime_type.startsWith('image/')) {
      this.originalView.replaceChildren(el('span', { class: 'placeholder', text: probe.mime_type }));
      return;
    }
    this.originalUrl = URL.createObjectURL(new Blob([this.file], { type: probe.mime_type }));
    this.originalView.replaceChildren(el('img', { src: this.originalUrl, alt: `Original of ${this.file.name}` }));
  }

  /** @param {{ code?: string, message: string }} error @param {string} [prefix] */
  refuse(error, prefix = '') {
    this.setState('refused');
    this.sendable = null;
    this.uploadButton.disabled = true;
    this.node.dataset.errorCode = error.code || 'error';
    this.message.textContent = `Not sent: ${prefix}${error.message}`;
    if (!this.probe) {
      this.originalMeta.textContent = `${bytes(this.file.size)} · refused`;
      this.originalView.replaceChildren(el('span', { class: 'placeholder', text: 'not shown' }));
    }
    this.resizedMeta.textContent = '—';
    this.resizedView.replaceChildren();
  }

  async run() {
    const generation = ++this.generation;
    const stale = () => generation !== this.generation;
    this.message.textContent = '';
    delete this.node.dataset.errorCode;
    this.uploadButton.disabled = true;
    try {
      this.bytes ??= await this.file.arrayBuffer();
      this.probe = null;
      const server = this.serverLimits();
      const opts = this.settings();
      // The server's checks; the byte limit is applied to what will be sent.
      const inputLimits = {
        max_upload_bytes: Math.max(server.max_upload_bytes, RESIZE_INPUT_MAX_BYTES),
        max_pixels: server.max_pixels,
      };
      this.setState('checking');
      const probe = await this.core.inspect(this.bytes, inputLimits);
      if (stale()) return;
      this.probe = probe;
      this.showOriginal(probe);
      const orientation = probe.orientation !== 1 ? ` · EXIF orientation ${probe.orientation}` : '';
      this.originalMeta.textContent = `${dims(probe.width, probe.height)} · ${bytes(this.file.size)} · ${probe.mime_type}${orientation}`;
      Object.assign(this.originalMeta.dataset, { width: probe.width ?? '', height: probe.height ?? '', bytes: this.file.size });

      if (!probe.resizable || opts.keepOriginal) {
        await this.core.inspect(this.bytes, server);
        if (stale()) return;
        const why = opts.keepOriginal ? 'original size chosen'
          : probe.animated ? 'an animation keeps all its frames' : 'not a still raster image';
        this.ready({ blob: this.file, filename: this.file.name, note: `sent as is (${why})` });
        this.resizedMeta.textContent = `${bytes(this.file.size)} · sent as is (${why})`;
        this.resizedView.replaceChildren(el('span', { class: 'placeholder', text: 'the original' }));
        return;
      }

      this.setState('resizing');
      this.resizedMeta.textContent = 'resizing…';
      const out = await this.core.resize(this.bytes, inputLimits, opts);
      if (stale()) return;
      // What is sent must pass the server's checks as they are.
      try {
        await this.core.inspect(out.bytes, server);
      } catch (e) {
        if (!stale()) this.refuse(e, 'the resized file is refused too: ');
        return;
      }
      if (stale()) return;
      const blob = new Blob([out.bytes], { type: out.mime_type });
      const stem = this.file.name.replace(/\.[^.]*$/, '') || 'image';
      this.showResized(blob, out);
      this.ready({ blob, filename: `${stem}.${out.extension}` });
    } catch (e) {
      if (!stale()) this.refuse(e);
    }
  }

  /**
   * @param {Blob} blob
   * @param {{ bytes: ArrayBuffer, width: number, height: number, ms: number }} out core's resize result
   */
  showResized(blob, out) {
    if (this.resizedUrl) URL.revokeObjectURL(this.resizedUrl);
    this.resizedUrl = URL.createObjectURL(blob);
    const size = out.bytes.byteLength;
    const saved = 1 - size / this.file.size;
    const change = saved >= 0 ? `${Math.round(saved * 100)} % smaller` : `${Math.round(-saved * 100)} % larger`;
    this.resizedMeta.textContent = `${dims(out.width, out.height)} · ${bytes(size)} · ${change} · ${ms(out.ms)} in wasm`;
    Object.assign(this.resizedMeta.dataset, { width: out.width, height: out.height, bytes: size, ms: out.ms.toFixed(1) });
    this.resizedView.replaceChildren(el('img', { src: this.resizedUrl, alt: `Resized ${this.file.name}, ${out.width} by ${out.height} pixels` }));
  }

  /** @param {{ blob: Blob, filename: string, note?: string }} sendable */
  ready(sendable) {
    this.sendable = sendable;
    this.setState('ready');
    this.uploadButton.disabled = false;
  }

  rerun() {
    if (this.node.dataset.state === 'ready' || this.node.dataset.state === 'refused') this.run();
  }

  async upload() {
    if (!this.sendable || this.node.dataset.state !== 'ready') return;
    const { blob, filename } = this.sendable;
    this.setState('uploading');
    this.uploadButton.disabled = true;
    this.message.textContent = '';
    this.progress.hidden = false;
    this.showProgress(0, blob.size);
    try {
      const media = await api.upload(blob, filename, {
        name: this.name.value.trim(),
        alt_text: this.alt.value.trim(),
        tags: tagList(this.tags.value).join(','),
        unlisted: this.unlisted.checked,
      }, { onProgress: (sent, total) => this.showProgress(sent, total) });
      this.progress.hidden = true;
      this.setState('uploaded');
      this.node.dataset.mediaId = media.id;
      for (const control of /** @type {Iterable<HTMLButtonElement | HTMLInputElement>} */ (this.form.elements)) {
        control.disabled = control.textContent !== 'Remove';
      }
      const variants = media.variants.map((v) => `${v.name} ${v.width} px`).join(', ') || 'none';
      this.status.replaceChildren(
        `Uploaded as “${media.name}” (${bytes(media.size)}; variants: ${variants}). `,
        el('a', { href: api.fileUrl(media.path), text: 'Open the file' }));
      this.onUploaded(media);
    } catch (e) {
      this.progress.hidden = true;
      this.setState('ready');
      this.uploadButton.disabled = false;
      this.status.textContent = '';
      this.message.textContent = `Upload failed: ${e.message} (${e.code})`;
    }
  }

  remove() {
    this.generation++;
    for (const url of [this.originalUrl, this.resizedUrl]) if (url) URL.revokeObjectURL(url);
    this.node.remove();
    this.onRemove();
  }
}
