// Small DOM helpers. Text is only ever set through textContent: article and
// entity text never goes through innerHTML.

// el(tag, attrs, ...children): attrs may hold class, dataset, on* handlers
// (functions) and plain attributes; children are nodes or strings (strings
// become text nodes). null/undefined/false children are skipped.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

// text(tag, s, cls): an element holding text in any script, laid out in
// its own direction (Arabic right to left).
export function text(tag, s, cls) {
  return el(tag, { class: cls, dir: 'auto' }, s ?? '');
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export function $(sel) {
  return document.querySelector(sel);
}

// safeURL returns u when it is an http(s) URL, else null, so that a link
// taken from an article cannot run script (javascript:, data:).
export function safeURL(u) {
  if (!u) return null;
  try {
    const p = new URL(u, window.location.href);
    return p.protocol === 'http:' || p.protocol === 'https:' ? p.href : null;
  } catch {
    return null;
  }
}

export function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

// list shows several names, each isolated in its own direction (<bdi>), so
// that Arabic and Latin names side by side keep their order.
export function list(items, sep = ' · ', cls) {
  const out = el('span', { class: cls });
  items.forEach((s, i) => {
    if (i) out.append(sep);
    out.append(el('bdi', {}, s));
  });
  return out;
}
