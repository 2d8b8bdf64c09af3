// Evidence sentences with the entity mentions highlighted, and their
// source: title, outlet (the link's host name), date and language.
//
// Highlights come from the article's mentions (GET /articles/{id}: rune
// offsets into the article text, like the evidence's start and end); until
// they arrive, or when the article has none, the known names of the
// event's participants and subject are looked for in the sentence. The
// sentence is built from text nodes and <mark> elements only.
import { api } from './api.js';
import { el, safeURL } from './dom.js';
import { entityStyle, formatDate, namesOf } from './kinds.js';

const articles = new Map(); // id -> Promise<ArticleDetail|null>

export function articleMentions(id) {
  if (!articles.has(id)) {
    articles.set(
      id,
      api.article(id).then(
        (a) => (Array.isArray(a.mentions) ? a.mentions : null),
        () => null,
      ),
    );
  }
  return articles.get(id);
}

// rangesFromMentions turns mentions (rune offsets into the article) into
// [from, to, mention] ranges in UTF-16 code units of the sentence, keeping
// those that lie inside the evidence span and whose text matches.
export function rangesFromMentions(ev, mentions) {
  const runes = Array.from(ev.text || '');
  const unit = [0]; // unit[i]: UTF-16 offset of rune i
  for (const r of runes) unit.push(unit[unit.length - 1] + r.length);
  const out = [];
  for (const m of mentions || []) {
    const s = m.start - ev.start;
    const e = m.end - ev.start;
    if (!(s >= 0 && e > s && e <= runes.length)) continue;
    if (m.text && runes.slice(s, e).join('') !== m.text) continue;
    out.push([unit[s], unit[e], m]);
  }
  return out;
}

// rangesFromNames finds each name in the sentence (case-insensitively).
export function rangesFromNames(textStr, entities) {
  const out = [];
  const low = textStr.toLowerCase();
  for (const ent of entities) {
    for (const name of namesOf(ent)) {
      if (!name || name.length < 2) continue;
      const n = name.toLowerCase();
      for (let i = low.indexOf(n); i >= 0; i = low.indexOf(n, i + n.length)) {
        out.push([i, i + n.length, { entity: ent.key || ent.entity, type: ent.type, text: name }]);
      }
    }
  }
  return out;
}

// highlight fills node with the text, the ranges wrapped in <mark>.
// Overlapping ranges merge into the first, longest one.
export function highlight(node, textStr, ranges) {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const parts = [];
  let at = 0;
  for (const [s, e, m] of sorted) {
    if (s < at) continue;
    if (s > at) parts.push(document.createTextNode(textStr.slice(at, s)));
    const mark = el('mark', { class: 'mention', title: `${m.type || ''} ${m.entity || ''}`.trim(), dataset: { entity: m.entity || '' } }, textStr.slice(s, e));
    mark.style.setProperty('--c', entityStyle(m.type).color);
    parts.push(mark);
    at = e;
  }
  if (at < textStr.length) parts.push(document.createTextNode(textStr.slice(at)));
  node.replaceChildren(...parts);
  return node;
}

export function hostOf(u) {
  try {
    return new URL(u).hostname.replace(/^www\./, '');
  } catch {
    return '';
  }
}

// renderEvidence shows one evidence sentence of an event. entities are
// the event's participants and subject (for the fallback highlights).
export function renderEvidence(ev, entities = []) {
  const a = ev.article || {};
  const quote = el('blockquote', { class: 'evidence-text', dir: 'auto' });
  if (a.language) quote.setAttribute('lang', a.language);
  const textStr = ev.text || '';
  highlight(quote, textStr, rangesFromNames(textStr, entities));
  if (a.id && typeof ev.start === 'number' && typeof ev.end === 'number' && ev.end > ev.start) {
    articleMentions(a.id).then((mentions) => {
      if (!mentions) return;
      const r = rangesFromMentions(ev, mentions);
      if (r.length) {
        highlight(quote, textStr, r);
        quote.dataset.highlights = 'mentions';
      }
    });
  }
  const href = safeURL(a.url);
  const title = a.title || a.url || a.id || 'Article';
  const link = href
    ? el('a', { href, target: '_blank', rel: 'noopener noreferrer', dir: 'auto', class: 'article-title', onclick: (e) => e.stopPropagation() }, title)
    : el('span', { class: 'article-title', dir: 'auto' }, title);
  if (a.language) link.setAttribute('lang', a.language);
  const outlet = a.outlet || (href ? hostOf(href) : '');
  return el(
    'li',
    { class: 'evidence-item' },
    quote,
    el(
      'div',
      { class: 'source' },
      link,
      outlet ? el('span', { class: 'outlet' }, outlet) : null,
      a.published ? el('time', { datetime: a.published }, formatDate(a.published)) : null,
      a.language ? el('span', { class: 'lang-tag' }, a.language.toUpperCase()) : null,
    ),
  );
}
