// Export of the view: PNG of the canvas, and the visible subgraph as
// GraphML (for Gephi) or CSV (nodes and edges), as file downloads. Every
// download also fires a "defgraph:download" event on window with the file
// name and Blob, which the browser tests listen to.

function download(name, blob) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30000);
  window.dispatchEvent(new CustomEvent('defgraph:download', { detail: { name, blob } }));
}

// visible returns the nodes and edges shown (not filtered, no "more" nodes).
function visible(cy) {
  const nodes = cy.nodes().filter((n) => !n.hasClass('filtered') && n.data('kind') !== 'more');
  const ids = new Set(nodes.map((n) => n.id()));
  const edges = cy.edges().filter((e) => e.data('type') !== 'MORE' && ids.has(e.source().id()) && ids.has(e.target().id()));
  return { nodes, edges };
}

const nodeRow = (n) => {
  const d = n.data();
  const node = d.node || {};
  return {
    id: d.id,
    kind: d.kind,
    type: d.kind === 'event' ? 'Event' : d.type,
    eventType: d.kind === 'event' ? d.type : '',
    name: d.label || node.name || d.id,
    date: d.date || '',
    country: node.country || '',
  };
};
const edgeRow = (e) => {
  const d = e.data();
  return { source: d.source, target: d.target, type: d.type, role: d.role || '', eventType: d.eventType || '', date: d.date || '' };
};

// xml escapes text for XML content and attribute values, dropping
// characters XML 1.0 does not allow.
export function xml(s) {
  return String(s ?? '')
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function graphML(cy) {
  const { nodes, edges } = visible(cy);
  const keys = [
    ['kind', 'node'],
    ['type', 'all'],
    ['name', 'node'],
    ['date', 'all'],
    ['country', 'node'],
    ['role', 'edge'],
    ['eventType', 'all'],
  ];
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ...keys.map(([k, f]) => `  <key id="${k}" for="${f}" attr.name="${k}" attr.type="string"/>`),
    '  <graph id="defgraph" edgedefault="directed">',
  ];
  const data = (row, names) => names.filter((k) => row[k]).map((k) => `<data key="${k}">${xml(row[k])}</data>`).join('');
  nodes.forEach((n) => {
    const r = nodeRow(n);
    out.push(`    <node id="${xml(r.id)}">${data(r, ['kind', 'type', 'name', 'date', 'country', 'eventType'])}</node>`);
  });
  edges.forEach((e, i) => {
    const r = edgeRow(e);
    out.push(`    <edge id="e${i}" source="${xml(r.source)}" target="${xml(r.target)}">${data(r, ['type', 'role', 'eventType', 'date'])}</edge>`);
  });
  out.push('  </graph>', '</graphml>', '');
  return out.join('\n');
}

const csvCell = (v) => {
  const s = String(v ?? '');
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
function csv(rows, cols) {
  return [cols.join(','), ...rows.map((r) => cols.map((c) => csvCell(r[c])).join(','))].join('\r\n') + '\r\n';
}

export function nodesCSV(cy) {
  return csv(visible(cy).nodes.map(nodeRow), ['id', 'kind', 'type', 'eventType', 'name', 'date', 'country']);
}
export function edgesCSV(cy) {
  return csv(visible(cy).edges.map(edgeRow), ['source', 'target', 'type', 'role', 'eventType', 'date']);
}

export function exportAs(cy, what, base = 'defgraph') {
  switch (what) {
    case 'png':
      return download(`${base}.png`, cy.png({ output: 'blob', full: true, scale: 2, bg: '#ffffff', maxWidth: 6000, maxHeight: 6000 }));
    case 'graphml':
      return download(`${base}.graphml`, new Blob([graphML(cy)], { type: 'application/graphml+xml' }));
    case 'nodes':
      return download(`${base}-nodes.csv`, new Blob(['\uFEFF' + nodesCSV(cy)], { type: 'text/csv;charset=utf-8' }));
    case 'edges':
      return download(`${base}-edges.csv`, new Blob(['\uFEFF' + edgesCSV(cy)], { type: 'text/csv;charset=utf-8' }));
  }
}
