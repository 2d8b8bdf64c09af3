// The layout of large graphs (above LARGE nodes), in two steps that cost
// little on thousands of nodes:
//  1. the entities alone are laid out by a force simulation (d3-force,
//     Barnes–Hut charges), linked where they share an event or a
//     structural link;
//  2. each event is put at the centre of its entities, the events of the
//     same entities spread on a small spiral around it.
// Positions are applied at once, without animation.
import { forceSimulation, forceManyBody, forceLink, forceX, forceY } from 'd3-force';

const TICKS = 150;
const GOLDEN = Math.PI * (3 - Math.sqrt(5));

export function bigLayout(cy, eles, { padding = 30 } = {}) {
  const all = eles.nodes();
  const isHub = (n) => n.data('kind') !== 'event';
  const hubs = all.filter(isHub);
  const nodes = hubs.map((n) => ({ id: n.id() }));
  const index = new Map(nodes.map((n, i) => [n.id, i]));
  const seen = new Map();
  const link = (a, b) => {
    const i = index.get(a);
    const j = index.get(b);
    if (i === undefined || j === undefined || i === j) return;
    const k = i < j ? `${i}|${j}` : `${j}|${i}`;
    if (seen.has(k)) seen.get(k).w++;
    else seen.set(k, { source: i, target: j, w: 1 });
  };
  // Entities of each event (its neighbours in the graph shown).
  const ends = new Map();
  all.forEach((n) => {
    if (isHub(n)) return;
    const ks = n.neighborhood('node').filter(isHub).map((m) => m.id());
    ends.set(n.id(), ks);
    for (let i = 0; i < ks.length && i < 6; i++) for (let j = i + 1; j < ks.length && j < 6; j++) link(ks[i], ks[j]);
  });
  eles.edges().forEach((e) => {
    if (isHub(e.source()) && isHub(e.target())) link(e.source().id(), e.target().id());
  });
  const links = [...seen.values()];
  const sim = forceSimulation(nodes)
    .alphaDecay(1 - Math.pow(0.001, 1 / TICKS))
    .force('charge', forceManyBody().strength(-260).theta(0.9))
    .force('link', forceLink(links).distance(90).strength((l) => Math.min(1, 0.15 * l.w)))
    .force('x', forceX().strength(0.03))
    .force('y', forceY().strength(0.03))
    .stop();
  for (let i = 0; i < TICKS; i++) sim.tick();

  const pos = new Map(nodes.map((n) => [n.id, { x: n.x, y: n.y }]));
  const groups = new Map(); // events of the same entities share a spiral
  all.forEach((n) => {
    if (isHub(n)) return;
    const ks = ends.get(n.id());
    let x = 0;
    let y = 0;
    for (const k of ks) {
      x += pos.get(k).x;
      y += pos.get(k).y;
    }
    if (ks.length) {
      x /= ks.length;
      y /= ks.length;
    }
    const g = ks.slice().sort().join('|');
    const i = groups.get(g) || 0;
    groups.set(g, i + 1);
    const r = 10 + 7 * Math.sqrt(i);
    pos.set(n.id(), { x: x + r * Math.cos(i * GOLDEN), y: y + r * Math.sin(i * GOLDEN) });
  });
  cy.batch(() => {
    all.positions((n) => pos.get(n.id()));
  });
  fitPositions(cy, pos.values(), padding);
}

// fitPositions fits the viewport to points, without measuring labels and
// edges as cy.fit does (seconds on thousands of elements).
function fitPositions(cy, points, padding) {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const p of points) {
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x);
    y2 = Math.max(y2, p.y);
  }
  if (!Number.isFinite(x1)) return;
  const w = cy.width();
  const h = cy.height();
  const zoom = Math.max(cy.minZoom(), Math.min(cy.maxZoom(), Math.min((w - 2 * padding) / Math.max(1, x2 - x1 + 40), (h - 2 * padding) / Math.max(1, y2 - y1 + 40))));
  cy.viewport({ zoom, pan: { x: (w - zoom * (x1 + x2)) / 2, y: (h - zoom * (y1 + y2)) / 2 } });
}
