// The graph view: a Cytoscape.js instance that subgraphs from the API are
// merged into. Entities are drawn by type (colour and shape), events as
// small diamonds coloured by event type.
import cytoscape from 'cytoscape';
import { ENTITY_STYLE, EVENT_STYLE, entityStyle, eventStyle, displayName, formatDate, learnNames } from './kinds.js';
import { el } from './dom.js';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", "DejaVu Sans", sans-serif';

const STYLE = [
  {
    selector: 'node',
    style: {
      'background-color': 'data(color)',
      shape: 'data(shape)',
      width: 'data(size)',
      height: 'data(size)',
      label: 'data(label)',
      'font-family': FONT,
      'font-size': 13,
      color: '#1e293b',
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-wrap': 'wrap',
      'text-max-width': 120,
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.8,
      'text-background-padding': 1,
      'border-width': 2,
      'border-color': '#ffffff',
      'overlay-opacity': 0,
    },
  },
  {
    selector: 'node[kind = "event"]',
    style: {
      shape: 'diamond',
      width: 14,
      height: 14,
      label: '',
      'border-width': 1,
    },
  },
  { selector: 'node[kind = "event"].hover, node[kind = "event"]:selected', style: { label: 'data(label)', 'font-size': 12, 'z-index': 20 } },
  { selector: 'node.root', style: { 'border-width': 4, 'border-color': '#0f172a', 'font-weight': 'bold', 'font-size': 15 } },
  { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#f59e0b', 'z-index': 10 } },
  { selector: 'node.faded, edge.faded', style: { opacity: 0.25 } },
  {
    selector: 'edge',
    style: {
      width: 1.5,
      'line-color': '#94a3b8',
      'curve-style': 'bezier',
      'target-arrow-shape': 'none',
      'font-family': FONT,
      'font-size': 9,
      color: '#334155',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.9,
      'text-rotation': 'autorotate',
      'overlay-padding': 4,
      'overlay-opacity': 0,
    },
  },
  { selector: 'edge[type = "PARTICIPATED_IN"]', style: { 'line-color': 'data(color)', opacity: 0.75 } },
  { selector: 'edge[type = "ABOUT"]', style: { 'line-style': 'dashed' } },
  { selector: 'edge[type = "HELD_IN"], edge[type = "ON_DATE"]', style: { 'line-style': 'dotted' } },
  { selector: 'edge[type = "PART_OF"], edge[type = "LOCATED_IN"]', style: { 'line-color': '#cbd5e1', width: 2.5 } },
  { selector: 'edge.hover, edge:selected', style: { label: 'data(label)', width: 3, opacity: 1, 'z-index': 20 } },
  { selector: 'edge:selected', style: { 'line-color': '#f59e0b' } },
];

function nodeData(n) {
  const isEvent = n.kind === 'event';
  if (!isEvent) learnNames(n);
  const st = isEvent ? eventStyle(n.type) : entityStyle(n.type);
  return {
    id: n.key,
    kind: isEvent ? 'event' : 'entity',
    type: n.type,
    color: st.color,
    shape: isEvent ? 'diamond' : st.shape,
    size: isEvent ? 14 : st.size,
    label: isEvent ? `${st.label} · ${formatDate(n.date)}` : displayName(n),
    node: n,
  };
}

const edgeID = (e) => [e.source, e.type, e.target, e.role || '', e.via || ''].join('|');

const EDGE_LABEL = {
  ABOUT: 'about',
  ON_DATE: 'on',
  HELD_IN: 'held in',
  PART_OF: 'part of',
  LOCATED_IN: 'located in',
};

function edgeData(e) {
  return {
    id: edgeID(e),
    source: e.source,
    target: e.target,
    type: e.type,
    color: e.eventType ? eventStyle(e.eventType).color : '#94a3b8',
    label: e.role ? (e.via ? `${e.role} (via)` : e.role) : EDGE_LABEL[e.type] || e.type.toLowerCase(),
    edge: e,
  };
}

// createGraph mounts Cytoscape in container. handlers: onEntity(node),
// onEvent(node), onEdge(edge, sourceNode, targetNode), onFocus(key) —
// node and edge are the API's Node and Edge objects.
export function createGraph(container, handlers) {
  const cy = cytoscape({
    container,
    style: STYLE,
    minZoom: 0.15,
    maxZoom: 3,
    wheelSensitivity: 0.3,
    boxSelectionEnabled: false,
    selectionType: 'single',
  });
  window.cy = cy; // for the browser tests and for poking around in devtools

  cy.on('tap', 'node', (evt) => {
    const d = evt.target.data();
    if (d.kind === 'event') handlers.onEvent(d.node);
    else handlers.onEntity(d.node);
  });
  cy.on('dbltap', 'node[kind = "entity"]', (evt) => handlers.onFocus(evt.target.id()));
  cy.on('tap', 'edge', (evt) => {
    const e = evt.target;
    handlers.onEdge(e.data('edge'), e.source().data('node'), e.target().data('node'));
  });
  cy.on('mouseover', 'node, edge', (evt) => {
    evt.target.addClass('hover');
    container.style.cursor = 'pointer';
  });
  cy.on('mouseout', 'node, edge', (evt) => {
    evt.target.removeClass('hover');
    container.style.cursor = '';
  });

  let running = null;
  function layout(animate) {
    if (running) running.stop();
    const n = cy.nodes().length;
    running = cy.layout({
      name: 'cose',
      animate: animate ? 'end' : false,
      animationDuration: 450,
      randomize: !animate,
      fit: true,
      padding: 40,
      nodeDimensionsIncludeLabels: true,
      idealEdgeLength: () => (n > 40 ? 55 : 80),
      nodeRepulsion: () => 6500,
      nodeOverlap: 12,
      gravity: 0.6,
      numIter: 1200,
      componentSpacing: 60,
    });
    running.run();
  }

  return {
    cy,

    reset() {
      if (running) running.stop();
      cy.elements().remove();
    },

    // merge adds a Subgraph's nodes and edges that are not there yet and
    // lays the graph out again. New nodes start next to the node the
    // subgraph was expanded from. Returns the number of nodes added.
    merge(sub, around) {
      const fresh = cy.nodes().length === 0;
      const origin = around && cy.getElementById(around);
      const at = origin && origin.nonempty() ? origin.position() : { x: 0, y: 0 };
      const add = [];
      for (const n of sub.nodes || []) {
        if (cy.getElementById(n.key).nonempty()) continue;
        add.push({
          group: 'nodes',
          data: nodeData(n),
          position: { x: at.x + (Math.random() - 0.5) * 80, y: at.y + (Math.random() - 0.5) * 80 },
        });
      }
      const known = new Set([...cy.nodes().map((n) => n.id()), ...add.map((a) => a.data.id)]);
      for (const e of sub.edges || []) {
        const d = edgeData(e);
        if (!known.has(e.source) || !known.has(e.target) || cy.getElementById(d.id).nonempty()) continue;
        add.push({ group: 'edges', data: d });
      }
      if (add.length) {
        cy.add(add);
        layout(!fresh);
      }
      return add.filter((a) => a.group === 'nodes').length;
    },

    setRoot(key) {
      cy.nodes('.root').removeClass('root');
      cy.getElementById(key).addClass('root');
    },

    // select highlights one node or edge (by node key) and its neighborhood.
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

    relabel() {
      cy.nodes('[kind = "entity"]').forEach((n) => n.data('label', displayName(n.data('node'))));
    },

    layout: () => layout(true),
    fit: () => cy.animate({ fit: { eles: cy.elements(), padding: 40 }, duration: 300 }),
  };
}

function isVisible(cy, n) {
  const e = cy.extent();
  const p = n.position();
  return p.x >= e.x1 && p.x <= e.x2 && p.y >= e.y1 && p.y <= e.y2;
}

// legend builds the key of shapes and colours shown over the graph.
export function legend() {
  const svg = (shape, color) => {
    const ns = 'http://www.w3.org/2000/svg';
    const s = document.createElementNS(ns, 'svg');
    s.setAttribute('viewBox', '0 0 16 16');
    s.setAttribute('width', '14');
    s.setAttribute('height', '14');
    s.setAttribute('aria-hidden', 'true');
    const p = document.createElementNS(ns, 'path');
    p.setAttribute('d', SHAPE_PATH[shape] || SHAPE_PATH.ellipse);
    p.setAttribute('fill', color);
    s.append(p);
    return s;
  };
  const item = (shape, color, label) => el('li', {}, svg(shape, color), el('span', {}, label));
  return el(
    'div',
    { class: 'legend', id: 'legend' },
    el('div', { class: 'legend-title' }, 'Entities'),
    el('ul', {}, Object.values(ENTITY_STYLE).map((s) => item(s.shape, s.color, s.label))),
    el('div', { class: 'legend-title' }, 'Events'),
    el('ul', {}, Object.values(EVENT_STYLE).map((s) => item('diamond', s.color, s.label))),
  );
}

const SHAPE_PATH = {
  ellipse: 'M8 1a7 7 0 1 0 0.001 0z',
  'round-rectangle': 'M4 2h8a3 3 0 0 1 3 3v6a3 3 0 0 1-3 3H4a3 3 0 0 1-3-3V5a3 3 0 0 1 3-3z',
  'round-hexagon': 'M4.5 1.5h7L15 8l-3.5 6.5h-7L1 8z',
  'round-tag': 'M1 3h9l5 5-5 5H1z',
  'round-triangle': 'M8 1.5L15 14.5H1z',
  rectangle: 'M2 3h12v10H2z',
  diamond: 'M8 1l7 7-7 7-7-7z',
};
