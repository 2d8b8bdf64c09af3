// The shortest path between two entities (GET /paths), added to the graph
// and highlighted (class "on-path"), and listed in the side panel.
import { api } from './api.js';
import { el, clear, $ } from './dom.js';
import { displayName, eventStyle, formatDate } from './kinds.js';

export function createPaths({ graph, expander, onChange, showError, onOpen }) {
  const box = $('#path-result');
  let current = null;

  function clearPath() {
    graph.cy.elements('.on-path').removeClass('on-path');
    graph.cy.elements('.faded').removeClass('faded');
    current = null;
    clear(box);
  }

  async function show(from, to) {
    clearPath();
    current = [from, to];
    clear(box).append(el('p', { class: 'muted small' }, 'Looking for a path…'));
    let p;
    try {
      p = await api.paths(from, to);
    } catch (err) {
      if (!current || current[0] !== from || current[1] !== to) return null;
      clear(box).append(el('p', { class: 'empty' }, err.code === 'not_found' ? err.message : 'The path could not be found.'));
      if (err.code !== 'not_found') showError(err, 'Path');
      onChange();
      return null;
    }
    if (!current || current[0] !== from || current[1] !== to) return null;
    expander.record(p.nodes, p.edges, graph.has(from) ? from : null);
    const cy = graph.cy;
    const ids = new Set(p.nodes.map((n) => n.key));
    cy.batch(() => {
      for (const n of p.nodes) cy.getElementById(n.key).addClass('on-path');
      cy.edges().forEach((e) => {
        if (ids.has(e.source().id()) && ids.has(e.target().id()) && p.edges.some((x) => x.source === e.source().id() && x.target === e.target().id())) e.addClass('on-path');
      });
      cy.elements().not('.on-path').addClass('faded');
    });
    const steps = p.nodes.map((n, i) => {
      const item =
        n.kind === 'event'
          ? el('span', { class: 'path-event', style: `--c:${eventStyle(n.type).color}` }, `${n.name || eventStyle(n.type).label} · ${formatDate(n.date)}`)
          : el('button', { type: 'button', class: 'entity-link', dir: 'auto', onclick: () => onOpen(n.key) }, displayName(n));
      return el('li', { class: 'path-step', dataset: { key: n.key } }, i ? el('span', { class: 'arrow', 'aria-hidden': 'true' }, '→') : null, item);
    });
    const hops = p.nodes.filter((n) => n.kind === 'entity').length - 1;
    clear(box).append(
      el('p', { class: 'small muted' }, `${hops} step${hops === 1 ? '' : 's'} through ${p.nodes.length - hops - 1} event${p.nodes.length - hops - 1 === 1 ? '' : 's'}`),
      el('ol', { class: 'path-steps', id: 'path-steps' }, steps),
      el('button', { type: 'button', class: 'link-button', id: 'path-clear', onclick: () => { clearPath(); onChange(); } }, 'Clear the path'),
    );
    onChange();
    return p;
  }

  return {
    show,
    clear: clearPath,
    get current() {
      return current;
    },
  };
}
