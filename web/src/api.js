// Client of the defgraph HTTP API (/api/v1). Every call resolves to the
// decoded JSON or rejects with an APIError carrying the server's error code
// and message ({"error":{"code","message"}}).

const BASE = '/api/v1';

export class APIError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function get(path, params, signal) {
  const qs = params ? '?' + new URLSearchParams(Object.entries(params).filter(([, v]) => v !== undefined && v !== null && v !== '')) : '';
  let res;
  try {
    res = await fetch(BASE + path + qs, { headers: { Accept: 'application/json' }, signal });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new APIError(0, 'unavailable', 'Cannot reach the server.');
  }
  let body = null;
  try {
    body = await res.json();
  } catch {
    // fall through: a non-JSON answer is reported below
  }
  if (!res.ok) {
    const e = body && body.error;
    throw new APIError(res.status, (e && e.code) || 'internal', (e && e.message) || `HTTP ${res.status} ${res.statusText}`);
  }
  if (body === null) throw new APIError(res.status, 'internal', 'The server sent an unreadable answer.');
  return body;
}

const enc = encodeURIComponent;

export const api = {
  search: (q, limit = 8, signal, types) => get('/search', { q, limit, types }, signal),
  entity: (key) => get(`/entities/${enc(key)}`),
  neighbors: (key, depth = 1, limit) => get(`/entities/${enc(key)}/neighbors`, { depth, limit }),
  timeline: (entity, withKey) => get('/timeline', { entity, with: withKey }),
  paths: (from, to) => get('/paths', { from, to }),
  article: (id) => get(`/articles/${enc(id)}`),
  stats: () => get('/stats'),
};
