// @ts-check
// "Library": the media of the REST API with thumbnails; name, alt text and
// tags edited in place; unlist / list again, move to trash, restore.
import * as api from './api.js';
import { byIds, bytes, dims, el, field, htmlAttr, tagList } from './format.js';

/** @typedef {import('./api.js').Media} Media */

const PAGE = 12;

/**
 * @param {{ state: { limits: { max_alt_text_chars?: number } }, core: import('./core-client.js').CoreClient }} deps
 */
export function setupLibrary({ state, core }) {
  const [form, view, search, tagFilter, tagChoices, list, status, prev, next, pageLabel] = /** @type {[
    HTMLFormElement, HTMLSelectElement & { value: 'all' | 'listed' | 'trash' }, HTMLInputElement, HTMLInputElement,
    HTMLDataListElement, HTMLUListElement, HTMLElement, HTMLButtonElement, HTMLButtonElement, HTMLElement,
  ]} */ (byIds(
    'library-controls', 'library-view', 'library-q', 'library-tag', 'library-tags', 'library-items',
    'library-status', 'library-prev', 'library-next', 'library-page'));
  const knownTags = new Set();
  let skip = 0;
  let total = 0;
  let loading = 0;

  async function refresh() {
    const ticket = ++loading;
    list.setAttribute('aria-busy', 'true');
    try {
      const page = await api.list({ view: view.value, q: search.value, tag: tagFilter.value, skip, limit: PAGE });
      if (ticket !== loading) return;
      total = page.total;
      if (skip > 0 && page.items.length === 0 && total > 0) {
        skip = Math.max(0, skip - PAGE);
        return refresh();
      }
      list.replaceChildren(...page.items.map((m) => item(m, view.value === 'trash')));
      // The tags seen so far, offered as the tag filter's choices.
      for (const m of page.items) for (const t of m.tags) knownTags.add(t);
      tagChoices.replaceChildren(...[...knownTags].sort().map((t) => el('option', { value: t })));
      const shown = page.items.length ? `${skip + 1}–${skip + page.items.length} of ${total}` : '0 items';
      status.textContent = total ? `${total} item${total === 1 ? '' : 's'}` : 'Nothing here yet.';
      pageLabel.textContent = shown;
      prev.disabled = skip === 0;
      next.disabled = skip + page.items.length >= total;
    } catch (e) {
      if (ticket !== loading) return;
      list.replaceChildren();
      status.textContent = `The library could not be loaded: ${e.message} (${e.code})`;
      prev.disabled = next.disabled = true;
      pageLabel.textContent = '';
    } finally {
      if (ticket === loading) list.removeAttribute('aria-busy');
    }
  }

  /**
   * @param {Media} media
   * @param {boolean} inTrash
   * @returns {HTMLLIElement}
   */
  function item(media, inTrash) {
    const message = el('p', { class: 'message', role: 'alert' });
    const note = el('p', { class: 'status', role: 'status' });
    /** @param {string} label @param {() => Promise<void>} work */
    const act = async (label, work) => {
      message.textContent = '';
      note.textContent = `${label}…`;
      try {
        await work();
      } catch (e) {
        note.textContent = '';
        message.textContent = `${label} failed: ${e.message} (${e.code})`;
      }
    };
    const name = el('input', { type: 'text', value: media.name, maxlength: '255', required: true, disabled: inTrash });
    const alt = el('input', { type: 'text', value: media.alt_text ?? '', maxlength: String(state.limits.max_alt_text_chars || 255), disabled: inTrash });
    const tags = el('input', { type: 'text', value: media.tags.join(', '), disabled: inTrash });
    const snippetBox = el('textarea', { class: 'snippet', readonly: true, rows: '4', hidden: true, 'aria-label': `HTML snippet for ${media.name}` });
    const node = el('li', { class: 'media', 'data-id': media.id, 'data-name': media.name, 'data-unlisted': String(media.unlisted) });

    const buttons = inTrash
      ? [el('button', { type: 'button', class: 'primary', text: 'Restore', onclick: () => act('Restore', async () => {
        await api.restore(media.id);
        await removeItem(node);
      }) })]
      : [
        el('button', { type: 'submit', class: 'primary', text: 'Save' }),
        el('button', { type: 'button', text: media.unlisted ? 'List again' : 'Unlist', onclick: () => act(media.unlisted ? 'Listing' : 'Unlisting', async () => {
          const updated = await api.patch(media.id, { unlisted: !media.unlisted });
          if (view.value === 'listed' && updated.unlisted) await removeItem(node);
          else replaceItem(node, item(updated, false));
        }) }),
        el('button', { type: 'button', text: 'Copy <img> snippet', onclick: () => copySnippet(media, snippetBox, note) }),
        el('button', { type: 'button', class: 'danger', text: 'Move to trash', onclick: () => act('Deleting', async () => {
          await api.remove(media.id);
          await removeItem(node);
        }) }),
      ];

    const form = el('form', { class: 'edit', onsubmit: (/** @type {SubmitEvent} */ e) => {
      e.preventDefault();
      act('Saving', async () => {
        const updated = await api.patch(media.id, {
          name: name.value.trim(),
          alt_text: alt.value.trim() || null,
          tags: tagList(tags.value),
        });
        const fresh = item(updated, false);
        replaceItem(node, fresh);
        /** @type {HTMLElement} */ (fresh.querySelector('.status')).textContent = 'Saved.';
      });
    } },
    field('Name', name), field('Alt text', alt), field('Tags', tags),
    el('div', { class: 'actions' }, buttons));

    const badges = el('p', { class: 'badges' },
      media.unlisted ? el('span', { class: 'badge', text: 'unlisted' }) : null,
      media.deleted_at ? el('span', { class: 'badge warn', text: `deleted ${new Date(media.deleted_at).toLocaleString()}` }) : null);
    node.append(
      el('figure', {}, thumbnail(media, inTrash),
        el('figcaption', {},
          el('span', { class: 'meta', text: `${media.mime_type} · ${dims(media.width, media.height)} · ${bytes(media.size)}` }),
          el('span', { class: 'alt-shown', text: media.alt_text ? `Alt: ${media.alt_text}` : 'No alt text yet' }))),
      badges, form, snippetBox, message, note);
    return node;
  }

  // Keyboard users keep their place: when an item is replaced (saved,
  // unlisted), the control at the same place in the new one takes the focus
  // the old one had; when it leaves the list (trash, restore), the status
  // line takes it, rather than the focus falling back to the page's start.
  /** @param {HTMLElement} node */
  const controlsOf = (node) => [.../** @type {NodeListOf<HTMLElement>} */ (node.querySelectorAll('input, button, textarea, a[href]'))];
  /** @param {HTMLElement} old @param {HTMLElement} fresh */
  function replaceItem(old, fresh) {
    const at = controlsOf(old).findIndex((c) => c === document.activeElement);
    old.replaceWith(fresh);
    if (at >= 0) controlsOf(fresh)[at]?.focus();
  }
  /** @param {HTMLElement} old */
  async function removeItem(old) {
    const focused = old.contains(document.activeElement);
    old.remove();
    await refresh();
    // Only while the focus is still lost (on the body): a person who moved
    // on during the refresh keeps their place.
    const lost = !document.activeElement || document.activeElement === document.body;
    if (focused && lost) status.focus();
  }

  // A ready <img> for a page: every variant in srcset by its width, the
  // original as src, the stored size to reserve the space, the alt text.
  // Shown in a box as well as copied: the clipboard may be refused.
  /**
   * @param {Media} media
   * @param {HTMLTextAreaElement} box
   * @param {HTMLElement} note
   */
  async function copySnippet(media, box, note) {
    box.value = imgSnippet(media, new URL('.', window.location.href));
    box.hidden = false;
    box.select();
    try {
      await navigator.clipboard.writeText(box.value);
      note.textContent = 'Snippet copied.';
    } catch {
      note.textContent = 'Snippet ready: copy it from the box.';
    }
  }

  // Files of deleted media answer 404, so the trash shows no picture.
  /**
   * @param {Media} media
   * @param {boolean} inTrash
   */
  function thumbnail(media, inTrash) {
    if (inTrash) return el('span', { class: 'placeholder', text: 'in the trash' });
    const thumb = media.variants.find((v) => v.name === 'thumb');
    const src = thumb ? thumb.path : media.mime_type.startsWith('image/') ? media.path : null;
    if (!src) return el('span', { class: 'placeholder', text: media.mime_type });
    const img = el('img', { src: api.fileUrl(src), alt: media.alt_text ?? '', loading: 'lazy', width: thumb?.width, height: thumb?.height });
    if (media.placeholder) showPlaceholder(img, media.placeholder);
    return el('a', { href: api.fileUrl(media.path), class: 'thumb-link', 'aria-label': `Open the file of ${media.name}` }, img);
  }

  // The item's ThumbHash, drawn blurred behind the thumbnail until it has
  // loaded. A placeholder that cannot be drawn is simply not shown.
  /**
   * @param {HTMLImageElement} img
   * @param {string} base64
   */
  async function showPlaceholder(img, base64) {
    let p;
    try {
      p = await core.placeholder(base64);
    } catch {
      return;
    }
    if (img.complete && img.naturalWidth) return;
    const canvas = document.createElement('canvas');
    canvas.width = p.width;
    canvas.height = p.height;
    /** @type {CanvasRenderingContext2D} */ (canvas.getContext('2d')).putImageData(new ImageData(new Uint8ClampedArray(p.rgba), p.width, p.height), 0, 0);
    img.style.backgroundImage = `url(${canvas.toDataURL()})`;
    img.classList.add('has-placeholder');
    img.dataset.placeholder = 'shown';
    const clear = () => {
      img.style.backgroundImage = '';
      img.classList.remove('has-placeholder');
    };
    if (img.complete && img.naturalWidth) clear();
    else img.addEventListener('load', clear, { once: true });
  }

  tagFilter.addEventListener('change', () => {
    skip = 0;
    refresh();
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    skip = 0;
    refresh();
  });
  view.addEventListener('change', () => {
    skip = 0;
    refresh();
  });
  prev.addEventListener('click', () => {
    skip = Math.max(0, skip - PAGE);
    refresh();
  });
  next.addEventListener('click', () => {
    skip += PAGE;
    refresh();
  });
  return { refresh };
}

// The <img> markup for `media`, its URLs absolute against `base`.
/**
 * @param {Media} media
 * @param {URL | string} base
 */
export function imgSnippet(media, base) {
  const url = (/** @type {string} */ path) => new URL(api.fileUrl(path), base).href;
  const variants = media.variants.filter((v) => v.width).sort((a, b) => a.width - b.width);
  /** @type {[string, string | number][]} */
  const attrs = [['src', url(media.path)]];
  const largest = variants.at(-1);
  if (largest) {
    const widths = variants.map((v) => `${url(v.path)} ${v.width}w`);
    if (media.width && !variants.some((v) => v.width === media.width)) widths.push(`${url(media.path)} ${media.width}w`);
    attrs.push(['srcset', widths.join(', ')], ['sizes', `(max-width: ${largest.width}px) 100vw, ${largest.width}px`]);
  }
  if (media.width && media.height) attrs.push(['width', media.width], ['height', media.height]);
  attrs.push(['alt', media.alt_text ?? ''], ['loading', 'lazy'], ['decoding', 'async']);
  if (media.placeholder) attrs.push(['data-thumbhash', media.placeholder]);
  return `<img ${attrs.map(([k, v]) => `${k}="${htmlAttr(String(v))}"`).join(' ')}>`;
}
