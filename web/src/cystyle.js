// The Cytoscape stylesheet and how API nodes and edges become Cytoscape
// elements (data fields used by the stylesheet, the filters and exports).
import { entityStyle, eventStyle, displayName, formatDate, learnNames, humanize } from './kinds.js';

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans Arabic", "DejaVu Sans", sans-serif';

export const STYLE = [
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
      'min-zoomed-font-size': 7,
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
  { selector: 'node[kind = "event"]', style: { shape: 'diamond', width: 14, height: 14, label: '', 'border-width': 1 } },
  {
    selector: 'node[kind = "more"]',
    style: {
      shape: 'round-rectangle',
      width: 'label',
      height: 22,
      padding: 6,
      'background-color': '#f1f5f9',
      'border-color': '#94a3b8',
      'border-width': 1,
      'border-style': 'dashed',
      'text-valign': 'center',
      'text-margin-y': 0,
      'font-size': 12,
      color: '#334155',
      'text-background-opacity': 0,
    },
  },
  { selector: 'node[kind = "event"].hover, node[kind = "event"]:selected, node[kind = "event"].linked', style: { label: 'data(label)', 'font-size': 12, 'z-index': 20 } },
  { selector: 'node.root', style: { 'border-width': 4, 'border-color': '#0f172a', 'font-weight': 'bold', 'font-size': 15 } },
  { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#f59e0b', 'z-index': 10 } },
  { selector: '.faded', style: { opacity: 0.18 } },
  { selector: '.filtered', style: { display: 'none' } },
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
  { selector: 'edge[type = "MORE"]', style: { 'line-style': 'dashed', 'line-color': '#cbd5e1' } },
  // Large graphs: straight edges, much cheaper to draw and measure.
  { selector: 'edge.fast', style: { 'curve-style': 'haystack', 'haystack-radius': 0 } },
  { selector: 'edge.hover, edge:selected', style: { width: 3, opacity: 1, 'z-index': 20 } },
  { selector: 'edge:selected', style: { 'line-color': '#f59e0b' } },
  // A shortest path, and the event hovered in the pair timeline.
  { selector: 'node.on-path', style: { 'border-width': 5, 'border-color': '#e11d48', 'z-index': 30, label: 'data(label)', opacity: 1 } },
  { selector: 'edge.on-path', style: { width: 5, 'line-color': '#e11d48', opacity: 1, 'z-index': 30 } },
  { selector: 'node.linked', style: { 'border-width': 5, 'border-color': '#f59e0b', 'z-index': 40, width: 22, height: 22 } },
  { selector: 'edge.linked', style: { width: 4, 'line-color': '#f59e0b', opacity: 1, 'z-index': 40 } },
  { selector: 'node.fresh', style: { 'border-color': '#22c55e', 'border-width': 5 } },
];

export function nodeData(n) {
  const isEvent = n.kind === 'event';
  if (!isEvent) learnNames(n);
  const st = isEvent ? eventStyle(n.type) : entityStyle(n.type);
  return {
    id: n.key,
    kind: isEvent ? 'event' : 'entity',
    type: n.type,
    date: isEvent ? n.date || '' : '',
    color: st.color,
    shape: isEvent ? 'diamond' : st.shape,
    size: isEvent ? 14 : st.size,
    label: isEvent ? eventLabel(n) : displayName(n),
    node: n,
  };
}

export function eventLabel(n) {
  const st = eventStyle(n.type);
  return `${n.name && n.name !== n.key ? n.name : st.label} · ${formatDate(n.date)}`;
}

export const edgeID = (e) => [e.source, e.type, e.target, e.role || '', e.via || ''].join('|');

const EDGE_LABEL = { ABOUT: 'about', ON_DATE: 'on', HELD_IN: 'held in', PART_OF: 'part of', LOCATED_IN: 'located in' };

export function edgeData(e) {
  return {
    id: edgeID(e),
    source: e.source,
    target: e.target,
    type: e.type,
    role: e.role || '',
    eventType: e.eventType || '',
    date: e.date || '',
    color: e.eventType ? eventStyle(e.eventType).color : '#94a3b8',
    label: e.role ? humanize(e.role) + (e.via ? ' (via)' : '') : EDGE_LABEL[e.type] || e.type.toLowerCase(),
    edge: e,
  };
}
