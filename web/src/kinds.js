// How each kind of node looks, shared by the graph, the legend and the
// side panel, and small formatting helpers.

export const ENTITY_STYLE = {
  Country: { color: '#1d4ed8', shape: 'ellipse', label: 'Country', size: 38 },
  Organization: { color: '#0f766e', shape: 'round-rectangle', label: 'Armed force / organization', size: 30 },
  Exercise: { color: '#b45309', shape: 'round-hexagon', label: 'Exercise', size: 32 },
  Exhibition: { color: '#7c3aed', shape: 'round-tag', label: 'Exhibition', size: 32 },
  Place: { color: '#15803d', shape: 'round-triangle', label: 'Place', size: 26 },
  Date: { color: '#64748b', shape: 'rectangle', label: 'Date', size: 20 },
};
export const ENTITY_FALLBACK = { color: '#475569', shape: 'ellipse', label: 'Other', size: 26 };

export const EVENT_STYLE = {
  EXERCISE: { color: '#ea580c', label: 'Exercise' },
  EXHIBITION: { color: '#9333ea', label: 'Exhibition' },
  VISIT: { color: '#0891b2', label: 'Visit' },
  AGREEMENT: { color: '#16a34a', label: 'Agreement' },
  ARMS_TRANSFER: { color: '#dc2626', label: 'Arms transfer' },
  TRAINING: { color: '#ca8a04', label: 'Training' },
  MEETING: { color: '#2563eb', label: 'Meeting' },
  INDUSTRY: { color: '#475569', label: 'Industry' },
};
export const EVENT_FALLBACK = { color: '#334155', label: 'Event' };

export const entityStyle = (type) => ENTITY_STYLE[type] || ENTITY_FALLBACK;
export const eventStyle = (type) => EVENT_STYLE[type] || { ...EVENT_FALLBACK, label: humanize(type) };

export function humanize(s) {
  if (!s) return '';
  const t = String(s).replace(/_/g, ' ').toLowerCase();
  return t.charAt(0).toUpperCase() + t.slice(1);
}

// Display language for names: "en", "ar" or "fr". Entities carry their
// English name in name and the others in names.
let lang = 'en';
try {
  lang = localStorage.getItem('defgraph.lang') || 'en';
} catch {
  /* storage may be disabled */
}
export const getLang = () => lang;
export function setLang(l) {
  lang = l;
  try {
    localStorage.setItem('defgraph.lang', l);
  } catch {
    /* ignore */
  }
}

// Names per language of every entity seen so far (graph nodes, search
// results, event subjects), so that a participant, which comes with its
// English name only, shows in the chosen language too.
const known = new Map();
export function learnNames(x) {
  const key = x && (x.key || x.entity);
  if (key && x.names && Object.keys(x.names).length) known.set(key, x.names);
}

export function displayName(x) {
  if (!x) return '';
  const names = x.names || known.get(x.key || x.entity);
  return (names && names[lang]) || x.name || x.key || x.entity || '';
}

// namesOf lists every name known for an entity (or participant), the
// displayed one first.
export function namesOf(x) {
  if (!x) return [];
  const names = x.names || known.get(x.key || x.entity) || {};
  return [...new Set([displayName(x), x.name, ...Object.values(names)].filter(Boolean))];
}

// LANGS is the order in which names in several languages are listed.
export const LANGS = ['en', 'fr', 'ar'];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// formatDate shows an ISO date at the precision it has: 2023, Oct 2023,
// 12 Oct 2023. Anything else is shown as it is; empty means undated.
export function formatDate(d) {
  if (!d) return 'Undated';
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(d);
  if (!m) return d;
  const [, y, mo, day] = m;
  if (!mo) return y;
  const month = MONTHS[Number(mo) - 1] || mo;
  return day ? `${Number(day)} ${month} ${y}` : `${month} ${y}`;
}

// compareEvents orders events as the timeline does: by date, undated
// last, then by id.
export function compareEvents(a, b) {
  const da = a.date || '';
  const db = b.date || '';
  if (da !== db) {
    if (!da) return 1;
    if (!db) return -1;
    return da < db ? -1 : 1;
  }
  return (a.id || '') < (b.id || '') ? -1 : (a.id || '') > (b.id || '') ? 1 : 0;
}
