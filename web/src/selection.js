// The selection card: an event (with its evidence), a link, or an entity
// picked in the graph, the pair timeline or the side panel.
import { el, text, list, clear, $ } from './dom.js';
import { renderEvent, typeChip, eventChip, entityButton } from './events.js';
import { displayName, formatDate, humanize, LANGS } from './kinds.js';

// ctx: { graph, state, focus(key, opts), eventDetail(id), showPath(a, b), showError }
export function createSelection(ctx) {
  const card = $('#selection');
  const box = $('#evidence');
  const open = (k) => ctx.focus(k, { reset: false });

  function show(...nodes) {
    clear(box).append(...nodes.filter(Boolean));
    card.hidden = false;
    card.scrollIntoView({ block: 'nearest' });
  }

  function close() {
    ctx.state.selected = null;
    card.hidden = true;
    clear(box);
    ctx.graph.cy.elements().unselect();
    mark();
  }
  $('#selection-close').addEventListener('click', close);

  // mark outlines the selected event in the timeline.
  function mark() {
    for (const n of document.querySelectorAll('#timeline .event.selected')) n.classList.remove('selected');
    const id = ctx.state.selected;
    if (!id) return null;
    const item = document.querySelector(`#timeline .event[data-id="${CSS.escape(id)}"]`);
    if (item) item.classList.add('selected');
    return item;
  }

  // event shows an event's details and evidence.
  async function event(id, header) {
    ctx.state.selected = id;
    ctx.graph.select(id);
    mark();
    show(header || '', el('p', { class: 'muted' }, 'Loading…'));
    try {
      const ev = await ctx.eventDetail(id);
      if (ctx.state.selected !== id) return;
      if (ev) {
        show(header || '', renderEvent(ev, { focus: ctx.state.focus, onOpen: open }));
      } else {
        const n = ctx.graph.cy.getElementById(id).data('node') || {};
        show(
          header || '',
          el('div', { class: 'event' }, el('header', { class: 'event-head' }, eventChip(n.type), el('time', {}, formatDate(n.date)))),
          el('p', { class: 'muted' }, 'The details of this event could not be found.'),
        );
      }
    } catch (err) {
      ctx.showError(err, 'Could not load the event');
    }
  }

  function edge(e, s, t) {
    const name = (n) => entityButton(n.key, displayName(n), open);
    if (s && s.kind === 'event') [s, t] = [t, s]; // the entity first
    const ev = t && t.kind === 'event' ? t : null;
    if (ev) {
      const role = e.role ? `${humanize(e.role)}${e.via ? ' (through an organization)' : ''}` : e.type.toLowerCase().replace(/_/g, ' ');
      return event(ev.key, el('p', { class: 'link-head' }, name(s), el('span', { class: 'role' }, role), eventChip(ev.type), el('span', { class: 'muted' }, formatDate(ev.date))));
    }
    ctx.state.selected = null;
    mark();
    const verb = { PART_OF: 'is part of', LOCATED_IN: 'is located in' }[e.type] || e.type.toLowerCase();
    show(el('p', { class: 'link-head' }, name(s), el('span', { class: 'muted' }, ` ${verb} `), name(t)), el('p', { class: 'muted small' }, 'A structural link: it comes from the entities’ keys, not from an article.'));
  }

  function entity(n) {
    ctx.state.selected = null;
    mark();
    const f = ctx.state.focus;
    const actions = el('div', { class: 'actions' });
    if (n.key !== f) {
      actions.append(el('button', { type: 'button', class: 'primary', onclick: () => open(n.key) }, 'Open its timeline'));
      if (f) {
        const fname = displayName(ctx.state.entity || { key: f });
        actions.append(
          el('button', { type: 'button', onclick: () => ctx.focus(f, { reset: false, withKey: n.key }) }, `Events shared with ${fname}`),
          el('button', { type: 'button', onclick: () => ctx.showPath(f, n.key) }, `Path from ${fname}`),
        );
      }
    }
    const names = LANGS.map((l) => (n.names || {})[l]).filter((v, i, all) => v && v !== displayName(n) && all.indexOf(v) === i);
    const more = ctx.pending(n.key);
    show(
      el('div', { class: 'entity-meta' }, typeChip(n.type), n.country && n.country !== n.key ? el('span', { class: 'muted' }, n.country) : null, el('code', { class: 'key' }, n.key)),
      text('h3', displayName(n), 'selection-name'),
      names.length ? el('p', { class: 'muted' }, list(names)) : null,
      more ? el('p', { class: 'muted small' }, `${more} more neighbours: click “${more} more…” in the graph to add them.`) : null,
      actions,
    );
  }

  return { event, edge, entity, close, mark, hide: () => (card.hidden = true) };
}
