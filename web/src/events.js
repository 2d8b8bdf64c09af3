// Rendering of events (timeline items and the selection panel) and of
// their evidence. All text goes through textContent (see dom.js).
import { el } from './dom.js';
import { renderEvidence } from './evidence.js';
import { eventStyle, entityStyle, displayName, formatDate, humanize, learnNames } from './kinds.js';

export function chip(label, color, cls = 'chip') {
  const c = el('span', { class: cls }, label);
  c.style.setProperty('--c', color);
  return c;
}

export const typeChip = (type) => chip(entityStyle(type).label.split(' /')[0], entityStyle(type).color, 'chip chip-entity');
export const eventChip = (type) => chip(eventStyle(type).label, eventStyle(type).color, 'chip chip-event');

// entityButton is a name that opens the entity when clicked.
export function entityButton(key, name, onOpen, cls = 'entity-link') {
  return el('button', { type: 'button', class: cls, dir: 'auto', title: key, onclick: (e) => { e.stopPropagation(); onOpen(key); } }, name || key);
}

// renderEvent returns one event: type, date, subject, place, participants
// with their roles and the evidence sentences with their articles.
// opts: focus (entity key to mark), onOpen(key), onSelect(id), tag.
export function renderEvent(ev, opts = {}) {
  const root = el('article', {
    class: 'event',
    tabindex: opts.onSelect ? '0' : null,
    dataset: { id: ev.id || '', date: ev.date || '', type: ev.type || '' },
    onclick: opts.onSelect ? () => opts.onSelect(ev.id) : null,
    onkeydown: opts.onSelect ? (e) => { if (e.key === 'Enter' && e.target === root) opts.onSelect(ev.id); } : null,
  });
  root.style.setProperty('--c', eventStyle(ev.type).color);

  root.append(
    el(
      'header',
      { class: 'event-head' },
      eventChip(ev.type),
      el('time', { class: 'event-date', datetime: ev.date || null }, formatDate(ev.date)),
      typeof ev.confidence === 'number' && ev.confidence > 0
        ? el('span', { class: 'confidence', title: 'Extraction confidence' }, `${Math.round(ev.confidence * 100)}%`)
        : null,
    ),
  );

  learnNames(ev.subject);
  learnNames(ev.place);
  const about = [];
  if (ev.subject) {
    about.push(entityButton(ev.subject.key, displayName(ev.subject), opts.onOpen, 'entity-link subject'));
    if (ev.edition) about.push(el('span', { class: 'muted' }, ` ${ev.edition} edition`));
  }
  if (ev.place) {
    about.push(el('span', { class: 'muted' }, about.length ? ' · in ' : 'In '));
    about.push(entityButton(ev.place.key, displayName(ev.place), opts.onOpen, 'entity-link place'));
  }
  if (about.length) root.append(el('div', { class: 'event-about' }, about));

  const parts = ev.participants || [];
  if (parts.length) {
    const names = new Map(parts.map((p) => [p.entity, p.name]));
    root.append(
      el(
        'ul',
        { class: 'participants', 'aria-label': 'Participants' },
        parts.map((p) =>
          el(
            'li',
            { class: p.entity === opts.focus ? 'participant self' : 'participant' },
            entityButton(p.entity, displayName(p), opts.onOpen),
            el('span', { class: 'role' }, humanize(p.role)),
            p.via ? el('span', { class: 'via muted', dir: 'auto' }, `via ${names.get(p.via) || p.via}`) : null,
          ),
        ),
      ),
    );
  }

  const evidence = ev.evidence || [];
  if (evidence.length) {
    const ents = [...parts, ev.subject, ev.place].filter(Boolean);
    root.append(el('ul', { class: 'evidence-list' }, evidence.map((x) => renderEvidence(x, ents))));
  } else {
    root.append(el('p', { class: 'muted small' }, 'No evidence sentence stored for this event.'));
  }
  return root;
}

// renderTimeline fills container with the events, grouped by year.
export function renderTimeline(container, events, opts) {
  container.replaceChildren();
  if (!events.length) {
    container.append(el('p', { class: 'empty' }, opts.emptyText || 'No events.'));
    return;
  }
  let year = null;
  for (const ev of events) {
    const y = ev.date ? ev.date.slice(0, 4) : 'Undated';
    if (y !== year) {
      year = y;
      container.append(el('h3', { class: 'year' }, y));
    }
    container.append(renderEvent(ev, opts));
  }
}
