// Filters over the graph shown: entity types and event types (the legend's
// toggles) and a date range over the dates of the events in the graph,
// with Play, which replays the graph through time (events appear in date
// order). Hidden elements get the class "filtered" (display: none).
import { el } from './dom.js';
import { ENTITY_STYLE, EVENT_STYLE, formatDate } from './kinds.js';
import { shapeIcon } from './legend.js';

export function createFilters(box, cy, { onChange }) {
  const state = { hide: new Set(), since: '', until: '' };
  let dates = []; // distinct event dates in the graph, sorted
  let timer = null;

  const toggle = (type, shape, color, label) => {
    const b = el('button', { type: 'button', class: 'toggle', 'aria-pressed': 'true', dataset: { type }, title: `Show or hide: ${label}` }, shapeIcon(shape, color), el('span', {}, label));
    b.addEventListener('click', () => {
      if (state.hide.has(type)) state.hide.delete(type);
      else state.hide.add(type);
      apply();
      onChange();
    });
    return b;
  };
  const entityRow = el('div', { class: 'toggles', role: 'group', 'aria-label': 'Entity types' }, Object.entries(ENTITY_STYLE).map(([t, s]) => toggle(t, s.shape, s.color, s.label)));
  const eventRow = el('div', { class: 'toggles', role: 'group', 'aria-label': 'Event types' }, Object.entries(EVENT_STYLE).map(([t, s]) => toggle(t, 'diamond', s.color, s.label)));

  const lo = el('input', { type: 'range', id: 'date-from', min: '0', max: '0', value: '0', 'aria-label': 'From date' });
  const hi = el('input', { type: 'range', id: 'date-to', min: '0', max: '0', value: '0', 'aria-label': 'Until date' });
  const label = el('span', { class: 'date-label', id: 'date-label' }, 'All dates');
  const play = el('button', { type: 'button', id: 'play', class: 'play', title: 'Replay the graph through time' }, '▶ Play');
  const all = el('button', { type: 'button', id: 'date-all', class: 'link-button', title: 'Every date' }, 'All');
  const slider = el('div', { class: 'range' }, lo, hi);
  const dateRow = el('div', { class: 'dates' }, play, slider, label, all);

  box.replaceChildren(
    el('div', { class: 'legend-title' }, 'Entities'),
    entityRow,
    el('div', { class: 'legend-title' }, 'Events'),
    eventRow,
    el('div', { class: 'legend-title' }, 'Dates'),
    dateRow,
  );

  const idx = (d, fallback) => {
    if (!d) return fallback;
    const i = dates.findIndex((x) => x >= d);
    return i < 0 ? dates.length - 1 : i;
  };
  const lastIdx = (d) => {
    if (!d) return dates.length - 1;
    let i = dates.length - 1;
    while (i > 0 && dates[i] > d) i--;
    return i;
  };

  function syncSlider() {
    const max = Math.max(0, dates.length - 1);
    lo.max = hi.max = String(max);
    lo.value = String(idx(state.since, 0));
    hi.value = String(lastIdx(state.until));
    lo.disabled = hi.disabled = play.disabled = dates.length < 2;
    const a = state.since ? formatDate(state.since) : dates.length ? formatDate(dates[0]) : '';
    const b = state.until ? formatDate(state.until) : dates.length ? formatDate(dates[dates.length - 1]) : '';
    label.textContent = !dates.length ? 'No dated events' : state.since || state.until ? `${a} – ${b}` : `All dates (${a} – ${b})`;
    all.hidden = !(state.since || state.until);
  }

  function onSlide(which) {
    stop();
    let a = Number(lo.value);
    let b = Number(hi.value);
    if (a > b) {
      if (which === lo) b = a;
      else a = b;
      lo.value = String(a);
      hi.value = String(b);
    }
    state.since = a > 0 ? dates[a] : '';
    state.until = b < dates.length - 1 ? dates[b] : '';
    apply();
    onChange();
  }
  lo.addEventListener('input', () => onSlide(lo));
  hi.addEventListener('input', () => onSlide(hi));
  all.addEventListener('click', () => {
    stop();
    state.since = state.until = '';
    apply();
    onChange();
  });

  // inRange: an event's date is within [since, until], compared as ISO
  // strings, so that a year-only date comes before the months of its year
  // (as in the slider's order); with a range set, undated events are out.
  const inRange = (d) => {
    if (!state.since && !state.until) return true;
    if (!d) return false;
    if (state.since && d < state.since) return false;
    if (state.until && d > state.until) return false;
    return true;
  };

  // apply hides what the filters exclude: events of a hidden type or out
  // of the range, entities of a hidden type, and entities whose events are
  // all hidden (unless they are the focus or on a path).
  function apply() {
    cy.batch(() => {
      const events = cy.nodes('[kind = "event"]');
      events.forEach((n) => {
        n.toggleClass('filtered', state.hide.has(n.data('type')) || !inRange(n.data('date')));
      });
      cy.nodes('[kind = "entity"]').forEach((n) => {
        let hide = state.hide.has(n.data('type'));
        if (!hide && !n.hasClass('root') && !n.hasClass('on-path')) {
          const evs = n.neighborhood('node[kind = "event"]');
          hide = evs.nonempty() && evs.every((e) => e.hasClass('filtered'));
        }
        n.toggleClass('filtered', hide);
      });
      cy.nodes('[kind = "more"]').forEach((n) => {
        n.toggleClass('filtered', cy.getElementById(n.data('of')).hasClass('filtered'));
      });
    });
    for (const b of box.querySelectorAll('.toggle')) b.setAttribute('aria-pressed', state.hide.has(b.dataset.type) ? 'false' : 'true');
    syncSlider();
  }

  // refresh re-reads the dates of the graph's events (after it changed).
  function refresh() {
    dates = [...new Set(cy.nodes('[kind = "event"]').map((n) => n.data('date')).filter(Boolean))].sort();
    apply();
  }

  function stop() {
    if (!timer) return;
    clearTimeout(timer);
    timer = null;
    play.textContent = '▶ Play';
    play.classList.remove('playing');
    cy.nodes('.fresh').removeClass('fresh');
  }

  // Play shows the graph as it was at each event date in turn, from the
  // range's start (or the first date) to its end.
  function start() {
    if (dates.length < 2) return;
    const from = idx(state.since, 0);
    const to = lastIdx(state.until);
    const end = state.until ? to : dates.length - 1;
    let i = from === end ? 0 : from;
    const delay = Math.max(120, Math.min(700, 9000 / (end - i + 1)));
    play.textContent = '❚❚ Pause';
    play.classList.add('playing');
    const stepOnce = () => {
      const before = new Set(cy.nodes('[kind = "event"]').not('.filtered').map((n) => n.id()));
      state.until = i < dates.length - 1 ? dates[i] : '';
      apply();
      cy.nodes('.fresh').removeClass('fresh');
      cy.nodes('[kind = "event"]').not('.filtered').filter((n) => !before.has(n.id())).addClass('fresh');
      onChange({ playing: true });
      if (i >= end) {
        timer = setTimeout(stop, delay);
        return;
      }
      i++;
      timer = setTimeout(stepOnce, delay);
    };
    timer = -1;
    stepOnce();
  }
  play.addEventListener('click', () => (timer ? stop() : start()));

  return {
    state,
    apply,
    refresh,
    get dates() {
      return dates;
    },
    get playing() {
      return !!timer;
    },
    set(hide, since, until) {
      state.hide = new Set(hide);
      state.since = since || '';
      state.until = until || '';
      apply();
    },
    stop,
    play: start,
  };
}
