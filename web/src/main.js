// defgraph viewer: search an entity, see its neighbourhood as a graph,
// filter it by type and date, find paths, compare a pair, read the
// evidence of each event, export the view. The view lives in the URL
// (see url.js) so a link reopens it.
import './style.css';
import { api } from './api.js';
import { el, $, clear } from './dom.js';
import { createGraph } from './graph.js';
import { createExpander } from './expand.js';
import { createFilters } from './filters.js';
import { createSearch } from './search.js';
import { createSelection } from './selection.js';
import { createPaths } from './paths.js';
import { createPair } from './pair.js';
import { exportAs } from './export.js';
import { eventsSubgraph } from './subgraph.js';
import { renderTimeline } from './events.js';
import { renderEntity, renderEntityMissing, partnersOf } from './entity.js';
import { displayName, compareEvents, getLang, setLang } from './kinds.js';
import { readURL, writeURL } from './url.js';

const state = {
  focus: null, // key of the focused entity
  with: '', // key of the other entity of a pair, or ''
  entity: null, // EntityDetail of the focus
  other: null, // EntityDetail of the pair's other entity
  events: [], // timeline of the focus (restricted by with)
  partners: [], // [{key, name, type, count}] for the with selector
  selected: null, // id of the selected event
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

// ---- graph, expansions, filters --------------------------------------

const graph = createGraph($('#graph'), {
  onEntity: (n) => {
    selection.entity(n);
    expander.expand(n.key);
  },
  onEvent: (n) => selection.event(n.key),
  onEdge: (e, s, t) => selection.edge(e, s, t),
  onFocus: (key) => focus(key, { reset: false }),
  onMore: (key) => expander.more(key),
  onHover: (id) => pair.mark(id),
});

const expander = createExpander(graph, {
  onChange: (c) => {
    filters.refresh();
    if (!c.undone && c.added) graph.layout(true);
    updateTools();
  },
  onError: (err, key) => showError(err, `Could not expand ${key}`),
});

const filters = createFilters($('#legend'), graph.cy, {
  onChange: (o = {}) => {
    updateCount();
    if (!o.playing) syncURL(false);
  },
});

function updateCount() {
  const cy = graph.cy;
  const all = cy.nodes().filter((n) => n.data('kind') !== 'more');
  const hidden = all.filter('.filtered').length;
  $('#graph-count').textContent = all.length ? `${all.length - hidden} nodes${hidden ? ` · ${hidden} hidden by filters` : ''}` : '';
}

function updateTools() {
  $('#undo').disabled = !expander.canUndo;
  updateCount();
}

$('#undo').addEventListener('click', () => expander.undo());
$('#relayout').addEventListener('click', () => graph.layout(true));
$('#fit').addEventListener('click', () => graph.fit());
$('#reset').addEventListener('click', () => {
  if (state.focus) focus(state.focus, { reset: true, withKey: state.with, push: false });
});

const exportBtn = $('#export');
const exportMenu = $('#export-menu');
exportBtn.addEventListener('click', () => {
  exportMenu.hidden = !exportMenu.hidden;
  exportBtn.setAttribute('aria-expanded', String(!exportMenu.hidden));
});
exportMenu.addEventListener('click', (e) => {
  const b = e.target.closest('[data-export]');
  if (!b) return;
  exportMenu.hidden = true;
  exportBtn.setAttribute('aria-expanded', 'false');
  const base = ['defgraph', state.focus, state.with].filter(Boolean).join('-').replace(/[^\w.-]+/g, '_');
  exportAs(graph.cy, b.dataset.export, base);
});
document.addEventListener('click', (e) => {
  if (!e.target.closest('.menu')) exportMenu.hidden = true;
});

// ---- paths and pairs --------------------------------------------------

const paths = createPaths({
  graph,
  expander,
  showError,
  onOpen: (k) => focus(k, { reset: false }),
  onChange: () => {
    filters.refresh();
    graph.layout(true);
    updateTools();
    syncURL(true);
  },
});

const pair = createPair($('#pair'), {
  onHover: (id) => graph.link(id),
  onSelect: (id) => selectEventAnywhere(id),
  onClose: () => focus(state.focus, { reset: false, withKey: '' }),
});

const pickers = {};
for (const [id, types] of [['path-from'], ['path-to'], ['pair-a', 'Country'], ['pair-b', 'Country']]) {
  pickers[id] = createSearch($(`#${id}`), $(`#${id}-list`), { onPick: () => {}, onError: (err) => showError(err, 'Search failed'), types });
}
$('#path-go').addEventListener('click', () => {
  const a = pickers['path-from'].key;
  const b = pickers['path-to'].key;
  if (!a || !b) return showMessage('Pick two entities from the suggestions first.', 'info');
  paths.show(a, b);
});
$('#pair-go').addEventListener('click', () => {
  const a = pickers['pair-a'].key;
  const b = pickers['pair-b'].key;
  if (!a || !b) return showMessage('Pick two countries from the suggestions first.', 'info');
  focus(a, { reset: a !== state.focus, withKey: b });
});

async function showPath(a, b) {
  const name = (k) => (graph.has(k) ? displayName(graph.cy.getElementById(k).data('node')) : k);
  pickers['path-from'].set(a, name(a));
  pickers['path-to'].set(b, name(b));
  const p = await paths.show(a, b);
  if (p) {
    pickers['path-from'].set(a, name(a));
    pickers['path-to'].set(b, name(b));
  }
  return p;
}

// ---- focus: entity card, graph, timeline, pair -----------------------

function syncURL(push) {
  writeURL({ focus: state.focus, with: state.with, path: paths.current, hide: filters.state.hide, since: filters.state.since, until: filters.state.until, lang: getLang() }, push);
}

// focus opens an entity: its card, its timeline and (with reset) a graph
// of its neighbourhood alone; without reset its neighbourhood is added to
// the graph shown. withKey makes it a pair: the shared events on the time
// axis under the graph.
async function focus(key, { reset = true, withKey = '', push = true } = {}) {
  if (!key) return;
  for (const p of [search, ...Object.values(pickers)]) p.close();
  const seq = ++state.seq;
  const changed = key !== state.focus;
  state.focus = key;
  state.with = withKey || '';
  if (push) syncURL(true);
  hideMessage();
  $('#graph-hint').hidden = true;
  if (changed) {
    state.entity = null;
    selection.close();
  }
  document.body.classList.add('loading');
  $('#timeline-card').hidden = false;
  clear($('#timeline')).append(el('p', { class: 'empty' }, 'Loading…'));
  if (reset) {
    paths.clear();
    graph.reset();
    expander.clear();
  }
  const current = () => seq === state.seq;
  const entityP = api.entity(key);
  const otherP = state.with ? api.entity(state.with).catch(() => null) : null;
  const allP = api.timeline(key);
  const withP = state.with ? api.timeline(key, state.with) : null;

  try {
    state.entity = await entityP;
    if (!current()) return;
    renderEntity(state);
    document.title = `${displayName(state.entity)} — defgraph`;
  } catch (err) {
    if (!current()) return;
    document.body.classList.remove('loading');
    renderEntityMissing(key, err);
    $('#timeline-card').hidden = true;
    $('#graph-hint').hidden = graph.cy.nodes().length > 0;
    showError(err, `Could not open ${key}`);
    return;
  }

  const graphP = expander.expand(key, { isCurrent: current }).then(() => {
    if (current()) graph.setRoot(key);
  });

  try {
    const all = await allP;
    if (!current()) return;
    remember(all.events);
    state.partners = partnersOf(all.events || [], key);
    let events = all.events || [];
    if (withP) events = (await withP).events || [];
    if (!current()) return;
    remember(events);
    state.events = [...events].sort(compareEvents);
    renderWith();
    renderEvents();
    await graphP;
    if (!current()) return;
    if (state.with) {
      state.other = await otherP;
      if (!current()) return;
      const sub = eventsSubgraph(state.events);
      expander.record(sub.nodes, sub.edges, key);
      filters.refresh();
      graph.layout(true);
      updateTools();
      pair.show(state.entity, state.other || { key: state.with }, state.events);
      pickers['pair-a'].set(key, displayName(state.entity));
      pickers['pair-b'].set(state.with, displayName(state.other || { key: state.with }));
    } else {
      state.other = null;
      pair.hide();
    }
  } catch (err) {
    if (!current()) return;
    clear($('#timeline')).append(el('p', { class: 'empty' }, 'The timeline could not be loaded.'));
    showError(err, 'Could not load the timeline');
  } finally {
    if (current()) document.body.classList.remove('loading');
  }
}

function remember(events) {
  for (const ev of events || []) state.cache.set(ev.id, ev);
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
  selection.mark();
}

$('#with').addEventListener('change', (e) => focus(state.focus, { reset: false, withKey: e.target.value }));

// Hovering a timeline item links it to the graph too.
$('#timeline').addEventListener('mouseover', (e) => {
  const item = e.target.closest('.event[data-id]');
  graph.link(item ? item.dataset.id : null);
});
$('#timeline').addEventListener('mouseleave', () => graph.link(null));

// ---- selection -------------------------------------------------------

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

const selection = createSelection({
  graph,
  state,
  focus,
  eventDetail,
  showPath,
  showError,
  pending: (k) => expander.pendingCount(k),
});

// ensureEvent puts a timeline event in the graph when it is not there.
function ensureEvent(id) {
  if (graph.has(id) || !state.cache.has(id)) return;
  const sub = eventsSubgraph([state.cache.get(id)]);
  expander.record(sub.nodes, sub.edges, state.focus);
  filters.refresh();
  graph.layout(true);
  updateTools();
}

// highlightEvent marks an event of the timeline and its node in the graph;
// the timeline item already shows everything about it.
function highlightEvent(id) {
  state.selected = id;
  selection.hide();
  ensureEvent(id);
  graph.select(id);
  selection.mark();
}

function selectEventAnywhere(id) {
  ensureEvent(id);
  selection.event(id);
}

// ---- search, language, history, stats --------------------------------

const search = createSearch($('#search'), $('#suggestions'), {
  onPick: (key) => focus(key, { reset: true }),
  onError: (err) => showError(err, 'Search failed'),
});

function applyLang(l) {
  setLang(l);
  document.body.dataset.lang = l;
  $('#graph').setAttribute('dir', l === 'ar' ? 'rtl' : 'ltr');
  for (const b of document.querySelectorAll('#lang-switch [data-lang]')) b.setAttribute('aria-checked', String(b.dataset.lang === l));
  graph.relabel();
  if (state.entity) renderEntity(state);
  if (state.focus) {
    renderWith();
    renderEvents();
  }
  if (pair.open) pair.redraw();
}
$('#lang-switch').addEventListener('click', (e) => {
  const b = e.target.closest('[data-lang]');
  if (!b) return;
  applyLang(b.dataset.lang);
  syncURL(false);
});

async function fromURL() {
  const v = readURL();
  applyLang(['en', 'fr', 'ar'].includes(v.lang) ? v.lang : getLang());
  filters.set(v.hide, v.since, v.until);
  if (v.focus) await focus(v.focus, { reset: true, withKey: v.with, push: false });
  if (v.path) await showPath(v.path[0], v.path[1]);
  viewer.ready = true;
}
window.addEventListener('popstate', () => fromURL());

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

// For the browser tests and for poking around in devtools.
const viewer = { graph, expander, filters, paths, pair, state, ready: false, focus, showPath };
window.viewer = viewer;

fromURL();
