// Subgraphs built from timeline events (EventDetail), so that events
// listed in a timeline or a pair can be put in the graph without another
// request: the event node, its participants, its subject and place.
export function eventsSubgraph(events) {
  const nodes = [];
  const edges = [];
  for (const ev of events || []) {
    const subj = ev.subject;
    nodes.push({ key: ev.id, kind: 'event', type: ev.type, date: ev.date || '', name: subj ? `${subj.name}${ev.edition ? ` ${ev.edition}` : ''}` : '', subject: subj ? subj.key : '' });
    for (const p of ev.participants || []) {
      nodes.push({ key: p.entity, kind: 'entity', type: p.type, name: p.name, country: p.country });
      edges.push({ source: p.entity, target: ev.id, type: 'PARTICIPATED_IN', role: p.role, via: p.via, eventType: ev.type, date: ev.date });
    }
    if (subj) {
      nodes.push({ key: subj.key, kind: 'entity', type: subj.type, name: subj.name, names: subj.names, country: subj.country });
      edges.push({ source: ev.id, target: subj.key, type: 'ABOUT', eventType: ev.type, date: ev.date });
    }
    if (ev.place) {
      nodes.push({ key: ev.place.key, kind: 'entity', type: ev.place.type, name: ev.place.name, names: ev.place.names, country: ev.place.country });
      edges.push({ source: ev.id, target: ev.place.key, type: 'HELD_IN', eventType: ev.type, date: ev.date });
    }
  }
  return { nodes, edges };
}
