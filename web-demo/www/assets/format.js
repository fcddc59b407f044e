// @ts-check
// Small display and form helpers shared by the panels.

// 1536 → "1.5 KiB": binary units, as the server states its limits.
/** @param {number} n */
export function bytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n;
  let i = -1;
  do { v /= 1024; i++; } while (v >= 1024 && i < units.length - 1);
  const digits = v >= 100 || Number.isInteger(v) ? 0 : 1;
  return `${v.toFixed(digits)} ${units[i]}`;
}

/** @param {number} n */
export function ms(n) {
  return n < 10 ? `${n.toFixed(1)} ms` : `${Math.round(n)} ms`;
}

/**
 * @param {number | null | undefined} w
 * @param {number | null | undefined} h
 */
export function dims(w, h) {
  return w && h ? `${w} × ${h}` : 'size unknown';
}

// el('p', {class: 'x', text: 'hi'}, child…): attributes, `text`, children.
// An `on…` attribute is a listener; undefined, null and false ones are left out.
/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, any>} [attrs]
 * @param {...(Node | string | null | undefined | false | (Node | string | null | undefined | false)[])} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (value === true) node.setAttribute(key, '');
    else node.setAttribute(key, value);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) node.append(child);
  }
  return node;
}

// The page's elements with these ids, in order; a missing one is a bug of
// the page, said here rather than as a null later. The callers state each
// element's type (a JSDoc cast): getElementById cannot know it.
/** @param {...string} ids */
export function byIds(...ids) {
  return ids.map((name) => {
    const node = document.getElementById(name);
    if (!node) throw new Error(`the page has no #${name}`);
    return node;
  });
}

// A labelled form field around `input` (given a fresh id for the label).
/**
 * @param {string} label
 * @param {HTMLElement} input
 */
export function field(label, input) {
  input.id = id('field');
  return el('div', { class: 'field' }, el('label', { for: input.id, text: label }), input);
}

// Text made safe inside a double-quoted HTML attribute.
/** @param {string} text */
export function htmlAttr(text) {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// "holiday, sea ,," → ["holiday", "sea"]
/** @param {string} text */
export function tagList(text) {
  return text.split(',').map((t) => t.trim()).filter(Boolean);
}

let uid = 0;
/** @param {string} prefix */
function id(prefix) {
  uid += 1;
  return `${prefix}-${uid}`;
}
