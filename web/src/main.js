// defgraph viewer: search an entity, see its neighborhood as a graph and
// the timeline of its events with the evidence for each.
//
// State lives in the URL (?focus=KEY&with=KEY) so a link reopens the view.
import './style.css';
import { api } from './api.js';
import { el, text, list, $, clear } from './dom.js';
import { createGraph, legend } from './graph.js';
import { createSearch } from './search.js';
import { renderEvent, renderTimeline, typeChip, eventChip, entityButton } from './events.js';
import { displayName, compareEvents, formatDate, getLang, setLang, entityStyle, learnNames, LANGS } from './kinds.js';

const LANG_NAMES = { en: 'English', ar: 'العربية', fr: 'Français' };

const state = {
  focus: null, // key of the focused entity
  with: '', // key of the entity the timeline is restricted to, or ''
  entity: null, // EntityDetail of the focus
  events: [], // timeline of the focus (restricted by with)
  partners: [], // [{key, name, names, type, count}] for the with selector
  selected: null, // id of the selected event
  expanded: new Set(), // keys whose neighbors are in the graph
  cache: new Map(), // EventDetail by id, from every timeline fetched
  seq: 0, // guards against answers to superseded requests
};

// ---- messages --------------------------------------------------------

const msgBox = $('#message');
let msgTimer;
function showMessage(msg, kind = 'error') {
  clearTimeout(msgTimer);
  msgBox.replaceChildren(
    el('span', { class: 'message-text', dir: 'auto' }, msg),
    el('button', { type: 'button', class: 'icon-button', 'aria-label': 'Dismiss', onclick: hideMessage }, '×'),
  );
  msgBox.className = `message ${kind}`;
  msgBox.hidden = false;
  if (kind === 'info') msgTimer = setTimeout(hideMessage, 6000);
}
function hideMessage() {
  msgBox.hidden = true;
}
function showError(err, what) {
  if (err && err.name === 'AbortError') return;
  console.error(what, err);
  const code = err && err.code ? ` [${err.code}]` : '';
  showMessage(`${what}: ${(err && err.message) || err}${code}`, 'error');
}

// ---- graph -----------------------------------------------------------

const graphBox = $('#graph');
graphBox.after(legend());
const graph = createGraph(graphBox, {
  onEntity: (n) => {
    selectEntity(n);
    expand(n.key);
  },
  onEvent: (n) => selectEvent(n.key),
  onEdge: (e, s, t) => selectEdge(e, s, t),
  onFocus: (key) => focus(key, { reset: false }),
});

async function expand(key) {
  if (state.expanded.has(key)) return;
  state.expanded.add(key);
  try {
    const sub = await api.neighbors(key, 1);
    graph.merge(sub, key);
    if (sub.truncated) showMessage(`The neighborhood of ${key} is large: only part of it is shown.`, 'info');
  } catch (err) {
    state.expanded.delete(key);
    showError(err, `Could not expand ${key}`);
  }
}

$('#reset').addEventListener('click', () => {
  if (state.focus) focus(state.focus, { reset: true, withKey: state.with, push: false });
});
$('#relayout').addEventListener('click', () => graph.layout());
$('#fit').addEventListener('click', () => graph.fit());

// ---- focus: entity card, graph and timeline --------------------------

function urlFor(focusKey, withKey) {
  const p = new URLSearchParams();
  if (focusKey) p.set('focus', focusKey);
  if (withKey) p.set('with', withKey);
  const qs = p.toString();
  return window.location.pathname + (qs ? `?${qs}` : '');
}

// focus opens an entity: its card, its timeline and (with reset) a graph
// of its neighborhood alone; without reset its neighborhood is merged into
// the graph already shown.
async function focus(key, { reset = true, withKey = '', push = true } = {}) {
  if (!key) return;
  const seq = ++state.seq;
  const changed = key !== state.focus;
  state.focus = key;
  state.with = withKey || '';
  if (push) {
    const url = urlFor(key, state.with);
    if (url !== window.location.pathname + window.location.search) history.pushState(null, '', url);
  }
  hideMessage();
  $('#graph-hint').hidden = true;
  if (changed) {
    state.entity = null;
    closeSelection();
  }
  document.body.classList.add('loading');
  $('#timeline-card').hidden = false;
  clear($('#timeline')).append(el('p', { class: 'empty' }, 'Loading…'));

  if (reset) {
    graph.reset();
    state.expanded.clear();
  }
  const entityP = api.entity(key);
  const neighborsP = state.expanded.has(key) ? null : api.neighbors(key, 1);
  const allP = api.timeline(key);
  const withP = state.with ? api.timeline(key, state.with) : null;

  try {
    state.entity = await entityP;
    if (seq !== state.seq) return;
    renderEntity();
    document.title = `${displayName(state.entity)} — defgraph`;
  } catch (err) {
    if (seq !== state.seq) return;
    document.body.classList.remove('loading');
    renderEntityMissing(key, err);
    $('#timeline-card').hidden = true;
    $('#graph-hint').hidden = graph.cy.nodes().length > 0;
    showError(err, `Could not open ${key}`);
    return;
  }

  if (neighborsP) {
    state.expanded.add(key);
    neighborsP
      .then((sub) => {
        if (seq !== state.seq) return;
        graph.merge(sub, key);
        graph.setRoot(key);
        if (sub.truncated) showMessage(`The neighborhood of ${displayName(state.entity)} is large: only part of it is shown.`, 'info');
      })
      .catch((err) => {
        state.expanded.delete(key);
        if (seq === state.seq) showError(err, 'Could not load the graph');
      });
  } else {
    graph.setRoot(key);
  }

  try {
    const all = await allP;
    if (seq !== state.seq) return;
    remember(all.events);
    state.partners = partnersOf(all.events || [], key);
    let events = all.events || [];
    if (withP) events = (await withP).events || [];
    if (seq !== state.seq) return;
    remember(events);
    state.events = [...events].sort(compareEvents);
    renderWith();
    renderEvents();
  } catch (err) {
    if (seq !== state.seq) return;
    clear($('#timeline')).append(el('p', { class: 'empty' }, 'The timeline could not be loaded.'));
    showError(err, 'Could not load the timeline');
  } finally {
    if (seq === state.seq) document.body.classList.remove('loading');
  }
}

function remember(events) {
  for (const ev of events || []) state.cache.set(ev.id, ev);
}

// partnersOf counts, per other participant, the events it shares with key.
function partnersOf(events, key) {
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

function renderEntity() {
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
    names.length
      ? el(
          'dl',
          { class: 'names' },
          names.map(([l, v]) => [el('dt', {}, LANG_NAMES[l] || l), text('dd', v)]),
        )
      : null,
    aliases.length ? el('p', { class: 'aliases' }, el('span', { class: 'muted' }, 'Also: '), list(aliases.slice(0, 8))) : null,
    el(
      'p',
      { class: 'counts muted' },
      `${c.events || 0} events · ${c.articles || 0} articles · ${c.mentions || 0} mentions`,
    ),
  );
  card.style.setProperty('--c', entityStyle(e.type).color);
}

function renderEntityMissing(key, err) {
  clear($('#entity')).append(
    el('h1', { class: 'entity-name' }, key),
    el('p', { class: 'muted' }, err && err.code === 'not_found' ? 'This entity is not in the graph.' : 'This entity could not be loaded.'),
  );
}

function renderWith() {
  const sel = $('#with');
  sel.replaceChildren(el('option', { value: '' }, 'anyone'));
  const partners = [...state.partners];
  if (state.with && !partners.some((p) => p.key === state.with)) partners.unshift({ key: state.with, name: state.with, count: 0 });
  for (const p of partners) {
    const o = el('option', { value: p.key }, `${displayName(p)}${p.count ? ` (${p.count})` : ''}`);
    if (p.key === state.with) o.selected = true;
    sel.append(o);
  }
  sel.disabled = partners.length === 0;
}

function renderEvents() {
  const other = state.with && state.partners.find((p) => p.key === state.with);
  renderTimeline($('#timeline'), state.events, {
    focus: state.focus,
    onOpen: (k) => focus(k, { reset: false }),
    onSelect: (id) => highlightEvent(id),
    emptyText: state.with ? `No event shared with ${other ? displayName(other) : state.with}.` : 'No events recorded for this entity.',
  });
  $('#timeline-count').textContent = `${state.events.length}`;
  markSelected();
}

$('#with').addEventListener('change', (e) => {
  focus(state.focus, { reset: false, withKey: e.target.value });
});

// ---- selection: an event, an edge or an entity -----------------------

function openSelection(...nodes) {
  const box = clear($('#evidence'));
  box.append(...nodes);
  const card = $('#selection');
  card.hidden = false;
  card.scrollIntoView({ block: 'nearest' });
}

function closeSelection() {
  state.selected = null;
  $('#selection').hidden = true;
  clear($('#evidence'));
  graph.cy.elements().unselect();
  markSelected();
}
$('#selection-close').addEventListener('click', closeSelection);

function markSelected() {
  for (const n of document.querySelectorAll('#timeline .event.selected')) n.classList.remove('selected');
  if (!state.selected) return null;
  const item = document.querySelector(`#timeline .event[data-id="${CSS.escape(state.selected)}"]`);
  if (item) item.classList.add('selected');
  return item;
}

// eventDetail finds an event's details: from a timeline already fetched,
// else from the timeline of one of its participants in the graph.
async function eventDetail(id) {
  if (state.cache.has(id)) return state.cache.get(id);
  const parts = graph.participantsOf(id);
  for (const p of parts.slice(0, 3)) {
    const other = parts.find((q) => q !== p);
    const res = await api.timeline(p, other);
    remember(res.events);
    if (state.cache.has(id)) return state.cache.get(id);
  }
  return null;
}

// highlightEvent marks an event of the timeline and its node in the graph;
// the timeline item already shows everything about it.
function highlightEvent(id) {
  state.selected = id;
  $('#selection').hidden = true;
  if (!graph.select(id)) showMessage('This event is not in the graph shown: use Reset to show the neighbourhood again.', 'info');
  markSelected();
}

// selectEvent shows an event picked in the graph in the selection card.
async function selectEvent(id, header) {
  state.selected = id;
  graph.select(id);
  markSelected();
  openSelection(header || '', el('p', { class: 'muted' }, 'Loading…'));
  try {
    const ev = await eventDetail(id);
    if (state.selected !== id) return;
    if (ev) {
      openSelection(header || '', renderEvent(ev, { focus: state.focus, onOpen: (k) => focus(k, { reset: false }) }));
    } else {
      const n = graph.cy.getElementById(id).data('node') || {};
      openSelection(
        header || '',
        el('div', { class: 'event' }, el('header', { class: 'event-head' }, eventChip(n.type), el('time', {}, formatDate(n.date)))),
        el('p', { class: 'muted' }, 'The details of this event could not be found.'),
      );
    }
  } catch (err) {
    showError(err, 'Could not load the event');
  }
}

function linkHeader(parts) {
  return el('p', { class: 'link-head' }, parts);
}

function selectEdge(e, s, t) {
  const open = (k) => focus(k, { reset: false });
  const name = (n) => entityButton(n.key, displayName(n), open);
  if (s && s.kind === 'event') [s, t] = [t, s]; // show entity first
  const eventNode = t && t.kind === 'event' ? t : null;
  if (eventNode) {
    const role = e.role ? `${e.role}${e.via ? ' (through an organization)' : ''}` : e.type.toLowerCase().replace(/_/g, ' ');
    return selectEvent(eventNode.key, linkHeader([name(s), el('span', { class: 'role' }, role), eventChip(eventNode.type), el('span', { class: 'muted' }, formatDate(eventNode.date))]));
  }
  state.selected = null;
  markSelected();
  const verb = { PART_OF: 'is part of', LOCATED_IN: 'is located in' }[e.type] || e.type.toLowerCase();
  openSelection(linkHeader([name(s), el('span', { class: 'muted' }, ` ${verb} `), name(t)]), el('p', { class: 'muted small' }, 'A structural link: it comes from the entities’ keys, not from an article.'));
}

function selectEntity(n) {
  state.selected = null;
  markSelected();
  const actions = el('div', { class: 'actions' });
  if (n.key !== state.focus) {
    actions.append(el('button', { type: 'button', class: 'primary', onclick: () => focus(n.key, { reset: false }) }, 'Open its timeline'));
    if (state.focus) {
      actions.append(
        el('button', { type: 'button', onclick: () => focus(state.focus, { reset: false, withKey: n.key }) }, `Events shared with ${displayName(state.entity || { key: state.focus })}`),
      );
    }
  }
  const names = LANGS.map((l) => (n.names || {})[l]).filter((v, i, all) => v && v !== displayName(n) && all.indexOf(v) === i);
  openSelection(
    el('div', { class: 'entity-meta' }, typeChip(n.type), n.country && n.country !== n.key ? el('span', { class: 'muted' }, n.country) : null, el('code', { class: 'key' }, n.key)),
    text('h3', displayName(n), 'selection-name'),
    names.length ? el('p', { class: 'muted' }, list(names)) : null,
    actions,
  );
}

// ---- search, language, history, stats --------------------------------

createSearch($('#search'), $('#suggestions'), {
  onPick: (key) => focus(key, { reset: true }),
  onError: (err) => showError(err, 'Search failed'),
});

const langSel = $('#lang');
langSel.value = getLang();
langSel.addEventListener('change', () => {
  setLang(langSel.value);
  graph.relabel();
  if (state.entity) renderEntity();
  if (state.focus) {
    renderWith();
    renderEvents();
  }
});

function fromURL() {
  const p = new URLSearchParams(window.location.search);
  const key = p.get('focus');
  if (key) focus(key, { reset: true, withKey: p.get('with') || '', push: false });
}
window.addEventListener('popstate', fromURL);

api
  .stats()
  .then((s) => {
    const events = Object.values(s.events || {}).reduce((a, b) => a + b, 0);
    const entities = Object.values(s.entities || {}).reduce((a, b) => a + b, 0);
    $('#stats').textContent = `${s.articles} articles · ${entities} entities · ${events} events`;
  })
  .catch(() => {
    /* the header count is optional */
  });

fromURL();
