// The graph view: a Cytoscape.js instance that subgraphs from the API are
// merged into, laid out with fCoSE (force-directed). Entities are drawn by
// type (colour and shape), events as small diamonds coloured by event type.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { STYLE, nodeData, edgeData, eventLabel } from './cystyle.js';
import { displayName, eventStyle, formatDate, humanize } from './kinds.js';
import { el } from './dom.js';
import { bigLayout } from './biglayout.js';

cytoscape.use(fcose);

// Above this many nodes the layout is a Barnes–Hut force simulation
// (biglayout.js) without animation, so that 2,000 nodes lay out in well
// under 3 s; below, fCoSE with animation.
export const LARGE = 500;

// createGraph mounts Cytoscape in container. handlers: onEntity(node),
// onEvent(node), onEdge(edge, sourceNode, targetNode), onFocus(key),
// onMore(key), onHover(eventKey|null) — node and edge are the API's Node
// and Edge objects.
export function createGraph(container, handlers) {
  const cy = cytoscape({
    container,
    style: STYLE,
    minZoom: 0.05,
    maxZoom: 3,
    wheelSensitivity: 0.3,
    boxSelectionEnabled: false,
    selectionType: 'single',
  });
  window.cy = cy; // for the browser tests and for poking around in devtools

  // Keep the canvas the size of its box (the pair timeline opens under it).
  new ResizeObserver(() => {
    cy.resize();
  }).observe(container);

  const tip = el('div', { class: 'tooltip', id: 'tooltip', role: 'tooltip', hidden: true });
  container.parentElement.append(tip);

  cy.on('tap', 'node', (evt) => {
    const d = evt.target.data();
    if (d.kind === 'more') handlers.onMore(d.of);
    else if (d.kind === 'event') handlers.onEvent(d.node);
    else handlers.onEntity(d.node);
  });
  cy.on('dbltap', 'node[kind = "entity"]', (evt) => handlers.onFocus(evt.target.id()));
  cy.on('tap', 'edge', (evt) => {
    const e = evt.target;
    if (e.data('type') === 'MORE') return handlers.onMore(e.source().id());
    handlers.onEdge(e.data('edge'), e.source().data('node'), e.target().data('node'));
  });
  cy.on('mouseover', 'node, edge', (evt) => {
    evt.target.addClass('hover');
    container.style.cursor = 'pointer';
    if (evt.target.isEdge()) showTip(evt.target, evt.renderedPosition);
    else if (evt.target.data('kind') === 'event') {
      showTip(evt.target, evt.renderedPosition);
      handlers.onHover(evt.target.id());
    }
  });
  cy.on('mouseout', 'node, edge', (evt) => {
    evt.target.removeClass('hover');
    container.style.cursor = '';
    tip.hidden = true;
    if (evt.target.isNode() && evt.target.data('kind') === 'event') handlers.onHover(null);
  });
  cy.on('viewport', () => {
    tip.hidden = true;
  });

  // The tooltip of an edge says its event type, date and role; of an event
  // node, its type, name and date.
  function showTip(ele, at) {
    const d = ele.data();
    const pos = at || (ele.isEdge() ? ele.renderedMidpoint() : ele.renderedPosition());
    let lines;
    if (ele.isEdge()) {
      if (d.type === 'MORE') return;
      const s = ele.source().data();
      const t = ele.target().data();
      const ent = s.kind === 'event' ? t : s;
      const evn = s.kind === 'event' ? s : t.kind === 'event' ? t : null;
      lines = [
        evn ? `${eventStyle(d.eventType || evn.type).label} · ${formatDate(d.date || evn.date)}` : humanize(d.type),
        evn ? `${displayName(ent.node)} — ${d.role ? humanize(d.role) : d.label}` : `${displayName(s.node)} → ${displayName(t.node)}`,
      ];
    } else {
      lines = [`${eventStyle(d.type).label} · ${formatDate(d.date)}`, d.node.name && d.node.name !== d.id ? d.node.name : null];
    }
    tip.replaceChildren(...lines.filter(Boolean).map((l, i) => el('div', { class: i ? 'tip-sub' : 'tip-main', dir: 'auto' }, l)));
    tip.hidden = false;
    const x = Math.min(pos.x + 14, container.clientWidth - tip.offsetWidth - 4);
    const y = Math.min(pos.y + 14, container.clientHeight - tip.offsetHeight - 4);
    tip.style.left = `${Math.max(4, x)}px`;
    tip.style.top = `${Math.max(4, y)}px`;
  }

  let running = null;
  const timing = { nodes: 0, ms: 0, done: true };
  // layout lays out the visible elements; animate only for small graphs.
  function layout(animate = true) {
    if (running) running.stop();
    const eles = cy.elements().not('.filtered');
    const n = eles.nodes().length;
    if (!n) return;
    const t0 = performance.now();
    Object.assign(timing, { nodes: n, ms: 0, done: false, name: n > LARGE ? 'd3-force' : 'fcose' });
    // Large graphs pan and zoom on a cached texture (internal renderer
    // switches, the same as the init options of those names).
    const r = cy.renderer();
    if (r) r.textureOnViewport = r.hideEdgesOnViewport = n > LARGE;
    cy.batch(() => {
      if (n > LARGE) cy.edges(':not(.fast)').addClass('fast');
      else cy.edges('.fast').removeClass('fast');
    });
    if (n > LARGE) {
      running = null;
      bigLayout(cy, eles, { padding: 30 });
      Object.assign(timing, { ms: performance.now() - t0, done: true });
      return;
    }
    running = eles.layout({
      name: 'fcose',
      quality: 'default',
      randomize: true,
      animate: animate ? 'end' : false,
      animationDuration: 450,
      fit: true,
      padding: 40,
      nodeDimensionsIncludeLabels: true,
      packComponents: true,
      nodeRepulsion: () => 6500,
      idealEdgeLength: (e) => (e.data('type') === 'MORE' ? 40 : n > 60 ? 60 : 85),
      edgeElasticity: () => 0.45,
      gravity: 0.25,
      numIter: 2500,
      tile: true,
      stop: () => {
        Object.assign(timing, { ms: performance.now() - t0, done: true });
      },
    });
    running.run();
  }

  return {
    cy,
    timing,
    layout,

    reset() {
      if (running) running.stop();
      cy.elements().remove();
    },

    // merge adds a Subgraph's nodes and edges that are not there yet and
    // returns the ids of what it added (edges only between nodes shown).
    // New nodes start next to the node the subgraph was expanded from.
    add(nodes, edges, around) {
      const origin = around && cy.getElementById(around);
      const at = origin && origin.nonempty() ? origin.position() : { x: 0, y: 0 };
      const add = [];
      const known = new Set();
      for (const n of nodes || []) {
        if (known.has(n.key) || cy.getElementById(n.key).nonempty()) continue;
        known.add(n.key);
        add.push({ group: 'nodes', data: nodeData(n), position: { x: at.x + (Math.random() - 0.5) * 80, y: at.y + (Math.random() - 0.5) * 80 } });
      }
      for (const e of edges || []) {
        const d = edgeData(e);
        const has = (k) => known.has(k) || cy.getElementById(k).nonempty();
        if (!has(e.source) || !has(e.target) || known.has(d.id) || cy.getElementById(d.id).nonempty()) continue;
        known.add(d.id);
        add.push({ group: 'edges', data: d });
      }
      if (add.length) cy.add(add);
      return add.map((a) => a.data.id);
    },

    // more puts (or replaces) the "N more" node of key, linked to it.
    more(key, count) {
      const id = `more:${key}`;
      cy.remove(cy.getElementById(id));
      if (count <= 0) return [];
      const p = cy.getElementById(key).position();
      cy.add([
        { group: 'nodes', data: { id, kind: 'more', of: key, label: `${count} more…`, count }, position: { x: p.x + 30, y: p.y + 30 } },
        { group: 'edges', data: { id: `${id}|edge`, source: key, target: id, type: 'MORE' } },
      ]);
      return [id, `${id}|edge`];
    },

    setRoot(key) {
      cy.nodes('.root').removeClass('root');
      cy.getElementById(key).addClass('root');
    },

    // select highlights one node (by key) and centers it if it is off screen.
    select(key) {
      cy.elements().unselect();
      const n = cy.getElementById(key);
      if (n.nonempty()) {
        n.select();
        if (!isVisible(cy, n)) cy.animate({ center: { eles: n }, duration: 300 });
      }
      return n.nonempty();
    },

    has: (key) => cy.getElementById(key).nonempty(),

    // participantsOf lists the entity keys linked to an event node.
    participantsOf(key) {
      const n = cy.getElementById(key);
      if (n.empty()) return [];
      return n
        .connectedEdges('[type = "PARTICIPATED_IN"]')
        .map((e) => e.source().id())
        .filter((k) => k !== key);
    },

    // link marks an event node, its edges and their ends (hover in the
    // pair timeline); null clears.
    link(key) {
      cy.elements('.linked').removeClass('linked');
      if (!key) return;
      const n = cy.getElementById(key);
      n.addClass('linked');
      n.connectedEdges().addClass('linked');
    },

    relabel() {
      cy.batch(() => {
        cy.nodes('[kind = "entity"]').forEach((n) => n.data('label', displayName(n.data('node'))));
        cy.nodes('[kind = "event"]').forEach((n) => n.data('label', eventLabel(n.data('node'))));
      });
    },

    fit: () => cy.animate({ fit: { eles: cy.elements().not('.filtered'), padding: 40 }, duration: 300 }),
  };
}

function isVisible(cy, n) {
  const e = cy.extent();
  const p = n.position();
  return p.x >= e.x1 && p.x <= e.x2 && p.y >= e.y1 && p.y <= e.y2;
}
