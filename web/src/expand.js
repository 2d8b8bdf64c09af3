// Expansions: opening a node adds its neighbours at most PAGE at a time;
// the rest waits behind a "N more" node that adds the next PAGE when
// tapped. Every change to the graph is recorded so that Undo takes the
// last one back.
import { api } from './api.js';

export const PAGE = 25;

export function createExpander(graph, { onChange, onError }) {
  const pending = new Map(); // key -> { nodes: [...], edges: [...] } not shown yet
  const history = []; // [{ ids, more: [key, pendingBefore], expanded }]
  const expanded = new Set();

  // order lists the new nodes of a neighbourhood: each event next to key
  // (most recent first) followed by its other ends, then structural
  // neighbours, then anything else.
  function order(key, sub) {
    const byKey = new Map(sub.nodes.map((n) => [n.key, n]));
    const adj = new Map();
    for (const e of sub.edges) {
      for (const [a, b] of [[e.source, e.target], [e.target, e.source]]) {
        if (!adj.has(a)) adj.set(a, []);
        adj.get(a).push(b);
      }
    }
    const near = [...new Set(adj.get(key) || [])].map((k) => byKey.get(k)).filter(Boolean);
    near.sort((a, b) => (a.kind === b.kind ? (b.date || '').localeCompare(a.date || '') : a.kind === 'event' ? -1 : 1));
    const out = [];
    const seen = new Set([key]);
    const push = (n) => {
      if (!n || seen.has(n.key)) return;
      seen.add(n.key);
      out.push(n);
    };
    for (const n of near) {
      push(n);
      if (n.kind === 'event') for (const k of adj.get(n.key) || []) push(byKey.get(k));
    }
    for (const n of sub.nodes) push(n);
    return out.filter((n) => !graph.has(n.key));
  }

  // page shows the next PAGE pending nodes of key and records the change.
  function page(key, rec) {
    const p = pending.get(key);
    const take = p.nodes.slice(0, PAGE);
    const rest = p.nodes.slice(PAGE);
    rec.ids.push(...graph.add(take, p.edges, key));
    // Edges from nodes shown now to nodes shown before, or the reverse.
    if (rest.length) {
      pending.set(key, { nodes: rest, edges: p.edges });
      rec.ids.push(...graph.more(key, rest.length));
    } else {
      pending.delete(key);
      graph.more(key, 0);
    }
    return take.length;
  }

  return {
    expanded,
    get canUndo() {
      return history.length > 0;
    },
    get steps() {
      return history.length;
    },

    clear() {
      pending.clear();
      history.length = 0;
      expanded.clear();
    },

    // expand adds the neighbours of key (first PAGE of them). Returns the
    // number of nodes added, or 0 when key was expanded already.
    async expand(key, opts = {}) {
      if (expanded.has(key)) return 0;
      expanded.add(key);
      let sub;
      try {
        sub = await api.neighbors(key, 1, 1000);
      } catch (err) {
        expanded.delete(key);
        onError(err, key);
        return 0;
      }
      if (opts.isCurrent && !opts.isCurrent()) return 0;
      // The start node itself, when the graph does not hold it yet.
      const rec = { ids: [], more: [key, pending.get(key)], expanded: key };
      const root = sub.nodes.find((n) => n.key === key);
      if (root) rec.ids.push(...graph.add([root], [], null));
      pending.set(key, { nodes: order(key, sub), edges: sub.edges });
      const n = page(key, rec);
      history.push(rec);
      onChange({ added: n, key, truncated: sub.truncated });
      return n;
    },

    // more shows the next page of key's neighbours.
    more(key) {
      if (!pending.has(key)) return 0;
      const rec = { ids: [], more: [key, pending.get(key)], moreIds: [`more:${key}`] };
      const n = page(key, rec);
      history.push(rec);
      onChange({ added: n, key });
      return n;
    },

    // record adds nodes and edges (a path, a pair's events) as one step
    // that Undo can take back.
    record(nodes, edges, around) {
      const ids = graph.add(nodes, edges, around);
      if (ids.length) history.push({ ids });
      return ids;
    },

    pendingCount: (key) => (pending.get(key) ? pending.get(key).nodes.length : 0),

    // undo takes the last step back: removes what it added and restores
    // the "N more" node as it was.
    undo() {
      const rec = history.pop();
      if (!rec) return false;
      const cy = graph.cy;
      cy.batch(() => {
        for (const id of rec.ids) cy.remove(cy.getElementById(id));
      });
      if (rec.more) {
        const [key, before] = rec.more;
        if (before) {
          pending.set(key, before);
          graph.more(key, before.nodes.length);
        } else {
          pending.delete(key);
          graph.more(key, 0);
        }
      }
      if (rec.expanded) expanded.delete(rec.expanded);
      onChange({ undone: true });
      return true;
    },
  };
}
