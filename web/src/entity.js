// The card of the focused entity, and the partners of its timeline.
import { el, text, list, clear, $ } from './dom.js';
import { typeChip } from './events.js';
import { displayName, entityStyle, learnNames, LANGS } from './kinds.js';

const LANG_NAMES = { en: 'English', ar: 'العربية', fr: 'Français' };

export function renderEntity(state) {
  const e = state.entity;
  const card = clear($('#entity'));
  learnNames(e);
  const names = LANGS.filter((l) => e.names && e.names[l]).map((l) => [l, e.names[l]]);
  const shown = new Set([displayName(e), ...names.map(([, v]) => v)]);
  const aliases = (e.aliases || []).filter((a) => !shown.has(a));
  const c = e.counts || {};
  card.append(
    el('div', { class: 'entity-meta' }, typeChip(e.type), e.country && e.country !== e.key ? el('span', { class: 'muted' }, e.country) : null, el('code', { class: 'key' }, e.key)),
    text('h1', displayName(e), 'entity-name'),
    names.length ? el('dl', { class: 'names' }, names.map(([l, v]) => [el('dt', {}, LANG_NAMES[l] || l), text('dd', v)])) : null,
    aliases.length ? el('p', { class: 'aliases' }, el('span', { class: 'muted' }, 'Also: '), list(aliases.slice(0, 8))) : null,
    el('p', { class: 'counts muted' }, `${c.events || 0} events · ${c.articles || 0} articles · ${c.mentions || 0} mentions`),
  );
  card.style.setProperty('--c', entityStyle(e.type).color);
}

export function renderEntityMissing(key, err) {
  clear($('#entity')).append(
    el('h1', { class: 'entity-name' }, key),
    el('p', { class: 'muted' }, err && err.code === 'not_found' ? 'This entity is not in the graph.' : 'This entity could not be loaded.'),
  );
}

// partnersOf counts, per other participant, the events it shares with key.
export function partnersOf(events, key) {
  const m = new Map();
  for (const ev of events) {
    const seen = new Set();
    for (const p of ev.participants || []) {
      if (p.entity === key || seen.has(p.entity)) continue;
      seen.add(p.entity);
      const cur = m.get(p.entity) || { key: p.entity, name: p.name, type: p.type, count: 0 };
      cur.count++;
      m.set(p.entity, cur);
    }
  }
  return [...m.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}
