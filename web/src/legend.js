// The key of shapes and colours shown under the graph.
import { ENTITY_STYLE, EVENT_STYLE } from './kinds.js';
import { el } from './dom.js';

const SHAPE_PATH = {
  ellipse: 'M8 1a7 7 0 1 0 0.001 0z',
  'round-rectangle': 'M4 2h8a3 3 0 0 1 3 3v6a3 3 0 0 1-3 3H4a3 3 0 0 1-3-3V5a3 3 0 0 1 3-3z',
  'round-hexagon': 'M4.5 1.5h7L15 8l-3.5 6.5h-7L1 8z',
  'round-tag': 'M1 3h9l5 5-5 5H1z',
  'round-triangle': 'M8 1.5L15 14.5H1z',
  rectangle: 'M2 3h12v10H2z',
  diamond: 'M8 1l7 7-7 7-7-7z',
};

export function shapeIcon(shape, color) {
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
}

export function legend() {
  const item = (shape, color, label) => el('li', {}, shapeIcon(shape, color), el('span', {}, label));
  return el(
    'div',
    { class: 'legend', id: 'legend' },
    el('div', { class: 'legend-title' }, 'Entities'),
    el('ul', {}, Object.values(ENTITY_STYLE).map((s) => item(s.shape, s.color, s.label))),
    el('div', { class: 'legend-title' }, 'Events'),
    el('ul', {}, Object.values(EVENT_STYLE).map((s) => item('diamond', s.color, s.label))),
  );
}
