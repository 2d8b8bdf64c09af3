// The country pair: the events two entities share on a horizontal time
// axis drawn in SVG under the graph. Items are ordered by date in the
// document; hovering one highlights its event node and edges in the graph,
// and hovering an event node in the graph highlights its item.
import { el } from './dom.js';
import { eventStyle, formatDate, displayName } from './kinds.js';

const NS = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}) => {
  const n = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  return n;
};

// dayOf turns an ISO date at any precision into a day number (the middle
// of its month or year when the day or month is missing).
function dayOf(d) {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(d || '');
  if (!m) return null;
  const y = Number(m[1]);
  const mo = m[2] ? Number(m[2]) - 1 : 6;
  const day = m[3] ? Number(m[3]) : m[2] ? 15 : 1;
  return Date.UTC(y, mo, day) / 86400000;
}

export function createPair(box, { onHover, onSelect, onClose }) {
  const title = el('h2', { class: 'pair-title', id: 'pair-title' });
  const close = el('button', { type: 'button', class: 'icon-button', title: 'Close the pair', 'aria-label': 'Close the pair', onclick: () => onClose() }, '×');
  const axis = el('div', { class: 'pair-axis', id: 'pair-axis' });
  box.replaceChildren(el('div', { class: 'pair-head' }, title, close), axis);
  let items = [];
  let shown = null;

  function draw() {
    axis.replaceChildren();
    if (!shown) return;
    const { a, b, events } = shown;
    const dated = events.filter((e) => dayOf(e.date) !== null);
    const undated = events.length - dated.length;
    title.replaceChildren(
      el('bdi', {}, displayName(a)),
      ' × ',
      el('bdi', {}, displayName(b)),
      el('span', { class: 'muted' }, ` — ${events.length} shared event${events.length === 1 ? '' : 's'}${undated ? ` (${undated} undated)` : ''}`),
    );
    if (!dated.length) {
      axis.append(el('p', { class: 'empty' }, 'No dated event shared.'));
      items = [];
      return;
    }
    const W = Math.max(300, axis.clientWidth || 600);
    const H = 96;
    const pad = 28;
    let t0 = Math.min(...dated.map((e) => dayOf(e.date)));
    let t1 = Math.max(...dated.map((e) => dayOf(e.date)));
    const y0 = new Date(t0 * 86400000).getUTCFullYear();
    const y1 = new Date(t1 * 86400000).getUTCFullYear() + 1;
    t0 = Date.UTC(y0, 0, 1) / 86400000;
    t1 = Date.UTC(y1, 0, 1) / 86400000;
    const x = (t) => pad + ((t - t0) / (t1 - t0)) * (W - 2 * pad);
    const root = svg('svg', { width: W, height: H, viewBox: `0 0 ${W} ${H}`, class: 'pair-svg', role: 'list' });
    const base = H - 24;
    root.append(svg('line', { x1: pad, x2: W - pad, y1: base, y2: base, class: 'axis-line' }));
    const step = Math.max(1, Math.ceil((y1 - y0) / 12));
    for (let y = y0; y <= y1; y += step) {
      const tx = x(Date.UTC(y, 0, 1) / 86400000);
      root.append(svg('line', { x1: tx, x2: tx, y1: base, y2: base + 5, class: 'axis-tick' }));
      const label = svg('text', { x: tx, y: base + 17, class: 'axis-label', 'text-anchor': 'middle' });
      label.textContent = String(y);
      root.append(label);
    }
    // Items at the same place stack upwards.
    const lanes = [];
    items = [];
    for (const ev of dated) {
      const cx = x(dayOf(ev.date));
      let lane = 0;
      while (lanes[lane] !== undefined && cx - lanes[lane] < 16) lane++;
      lanes[lane] = cx;
      const cy = base - 12 - lane * 16;
      const st = eventStyle(ev.type);
      const g = svg('g', { class: 'pair-item', role: 'listitem', tabindex: 0, 'data-id': ev.id, 'data-date': ev.date || '', 'data-type': ev.type });
      const t = svg('title');
      t.textContent = `${st.label} · ${formatDate(ev.date)}${ev.subject ? ` · ${displayName(ev.subject)}` : ''}`;
      g.append(t, svg('line', { x1: cx, x2: cx, y1: cy, y2: base, class: 'stem' }), svg('path', { d: `M${cx} ${cy - 7}l7 7-7 7-7-7z`, fill: st.color, class: 'mark' }));
      g.addEventListener('mouseenter', () => {
        mark(ev.id);
        onHover(ev.id);
      });
      g.addEventListener('mouseleave', () => {
        mark(null);
        onHover(null);
      });
      g.addEventListener('click', () => onSelect(ev.id));
      g.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') onSelect(ev.id);
      });
      root.append(g);
      items.push(g);
    }
    axis.append(root);
  }

  function mark(id) {
    for (const g of items) g.classList.toggle('hover', g.dataset.id === id);
  }

  new ResizeObserver(() => shown && draw()).observe(axis);

  return {
    // show draws the shared events of a and b (entities with names).
    show(a, b, events) {
      shown = { a, b, events };
      box.hidden = false;
      draw();
    },
    hide() {
      shown = null;
      box.hidden = true;
      axis.replaceChildren();
      items = [];
    },
    mark,
    redraw: draw,
    get open() {
      return !!shown;
    },
  };
}
