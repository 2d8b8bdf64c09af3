// The view in the URL, so that a link reopens it:
//   focus=KEY        the entity opened (its card, timeline, neighbourhood)
//   with=KEY         the other entity of a pair (shared events)
//   path=A,B         a shortest path shown between A and B
//   hide=T1,T2       entity types (Country…) and event types (EXERCISE…) hidden
//   since, until     the date range (ISO dates of events)
//   lang=en|fr|ar    the language of names
export function readURL() {
  const p = new URLSearchParams(window.location.search);
  const path = (p.get('path') || '').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    focus: p.get('focus') || '',
    with: p.get('with') || '',
    path: path.length === 2 ? path : null,
    hide: (p.get('hide') || '').split(',').map((s) => s.trim()).filter(Boolean),
    since: p.get('since') || '',
    until: p.get('until') || '',
    lang: p.get('lang') || '',
  };
}

export function urlOf(v) {
  const p = new URLSearchParams();
  if (v.focus) p.set('focus', v.focus);
  if (v.with) p.set('with', v.with);
  if (v.path) p.set('path', v.path.join(','));
  const hide = [...(v.hide || [])];
  if (hide.length) p.set('hide', hide.join(','));
  if (v.since) p.set('since', v.since);
  if (v.until) p.set('until', v.until);
  if (v.lang && v.lang !== 'en') p.set('lang', v.lang);
  const qs = p.toString().replace(/%2C/g, ',').replace(/%3A/g, ':');
  return window.location.pathname + (qs ? `?${qs}` : '');
}

// writeURL puts v in the address bar: a new history entry when push,
// else replacing the current one.
export function writeURL(v, push) {
  const url = urlOf(v);
  if (url === window.location.pathname + window.location.search) return;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}
