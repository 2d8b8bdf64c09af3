// The search box: suggestions from /search as the user types (debounced),
// arrow keys to move, Enter or click to open an entity.
import { api } from './api.js';
import { el, text, list, debounce } from './dom.js';
import { displayName, learnNames, LANGS } from './kinds.js';
import { typeChip } from './events.js';

export function createSearch(input, listbox, { onPick, onError, types, keepValue = true }) {
  let results = [];
  let active = -1;
  let forQuery = '';
  let ctrl = null;
  let gen = 0; // bumped by a pick: answers to earlier queries are dropped

  function close() {
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function render() {
    listbox.replaceChildren();
    if (!forQuery) return close();
    if (!results.length) {
      listbox.append(el('li', { class: 'suggestion-empty', role: 'presentation' }, `No entity matches “${forQuery}”.`));
    }
    results.forEach((r, i) => {
      learnNames(r);
      const others = LANGS.map((l) => (r.names || {})[l])
        .filter((v, j, all) => v && v !== displayName(r) && all.indexOf(v) === j);
      const li = el(
        'li',
        {
          id: `${listbox.id}-${i}`,
          class: 'suggestion',
          role: 'option',
          'aria-selected': i === active ? 'true' : 'false',
          dataset: { key: r.key },
          onmousedown: (e) => e.preventDefault(), // keep focus in the input
          onclick: () => pick(r),
        },
        el('div', { class: 'suggestion-main' }, text('span', displayName(r), 'suggestion-name'), typeChip(r.type)),
        el(
          'div',
          { class: 'suggestion-sub' },
          others.length ? list(others, ' · ', 'suggestion-names') : null,
          el('span', { class: 'muted' }, [r.country, `${r.events} event${r.events === 1 ? '' : 's'}`].filter(Boolean).join(' · ')),
        ),
      );
      listbox.append(li);
    });
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    if (active >= 0) input.setAttribute('aria-activedescendant', `${listbox.id}-${active}`);
    else input.removeAttribute('aria-activedescendant');
  }

  async function fetchNow(q) {
    if (ctrl) ctrl.abort();
    ctrl = new AbortController();
    const res = await api.search(q, 8, ctrl.signal, types);
    return res.results || [];
  }

  const suggest = debounce(async () => {
    const q = input.value.trim();
    if (!q) {
      forQuery = '';
      results = [];
      return close();
    }
    const g = gen;
    try {
      const r = await fetchNow(q);
      if (input.value.trim() !== q || g !== gen) return; // typed on, or picked, meanwhile
      results = r;
      forQuery = q;
      active = -1;
      render();
    } catch (err) {
      if (err.name !== 'AbortError') onError(err);
    }
  }, 180);

  function pick(r) {
    gen++;
    if (ctrl) ctrl.abort();
    close();
    input.value = keepValue ? displayName(r) : '';
    input.dataset.key = r.key;
    input.blur();
    onPick(r.key, r);
  }

  input.addEventListener('input', () => {
    delete input.dataset.key;
    suggest();
  });
  input.addEventListener('focus', () => {
    if (results.length && forQuery === input.value.trim()) render();
  });
  input.addEventListener('blur', () => setTimeout(close, 120));
  input.addEventListener('keydown', async (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (!results.length) return;
      e.preventDefault();
      const n = results.length;
      active = e.key === 'ArrowDown' ? (active + 1) % n : (active - 1 + n) % n;
      render();
    } else if (e.key === 'Escape') {
      close();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const q = input.value.trim();
      if (!q) return;
      if (active >= 0 && results[active]) return pick(results[active]);
      if (forQuery === q && results.length) return pick(results[0]);
      try {
        const r = await fetchNow(q);
        if (r.length) pick(r[0]);
        else {
          results = [];
          forQuery = q;
          render();
        }
      } catch (err) {
        if (err.name !== 'AbortError') onError(err);
      }
    }
  });

  // set shows an entity as picked (from the URL).
  function set(key, name) {
    input.value = name || key || '';
    if (key) input.dataset.key = key;
    else delete input.dataset.key;
  }
  return { close, set, get key() { return input.dataset.key || ''; } };
}
