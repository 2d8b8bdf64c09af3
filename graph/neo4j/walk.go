package neo4j

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/defgraph/defgraph/graph"
	nj "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// The walks are graph/sqlite's, over Cypher: each step loads the links of
// a whole frontier in one query, and the nodes are added in the same order
// so that limits and ties cut the same way on both stores.

// eventRow is what a walk needs of an event.
type eventRow struct {
	ID, Type, Subject, Place, Date string
	Edition, Sources               int
}

// walker loads and caches what Neighbors and ShortestPath visit, in one
// read transaction.
type walker struct {
	ctx      context.Context
	tx       nj.ManagedTransaction
	entities map[string]*graph.Node // nil value: looked up, absent
	events   map[string]*eventRow
}

func newWalker(ctx context.Context, tx nj.ManagedTransaction) *walker {
	return &walker{ctx: ctx, tx: tx, entities: map[string]*graph.Node{}, events: map[string]*eventRow{}}
}

// loadEntities caches the entity nodes of keys.
func (w *walker) loadEntities(keys []string) error {
	var miss []string
	for _, k := range keys {
		if _, ok := w.entities[k]; !ok {
			miss = append(miss, k)
			w.entities[k] = nil
		}
	}
	if len(miss) == 0 {
		return nil
	}
	recs, err := run(w.ctx, w.tx, `UNWIND $keys AS k MATCH (e:Entity {key: k})
		RETURN e.key, e.type, e.name, e.names, e.country`, map[string]any{"keys": miss})
	if err != nil {
		return err
	}
	for _, r := range recs {
		v := r.Values
		n := &graph.Node{Kind: "entity", Key: str(v[0]), Type: str(v[1]), Name: str(v[2]), Country: str(v[4])}
		if n.Names, err = parseNames(n.Key, v[3]); err != nil {
			return err
		}
		w.entities[n.Key] = n
	}
	return nil
}

// loadEvents caches the event rows of ids.
func (w *walker) loadEvents(ids []string) error {
	var miss []string
	for _, id := range ids {
		if _, ok := w.events[id]; !ok {
			miss = append(miss, id)
			w.events[id] = nil
		}
	}
	if len(miss) == 0 {
		return nil
	}
	recs, err := run(w.ctx, w.tx, `UNWIND $ids AS id MATCH (ev:Event {id: id})
		RETURN ev.id, ev.type, ev.subject, ev.place, ev.date, ev.edition, ev.sources`, map[string]any{"ids": miss})
	if err != nil {
		return err
	}
	for _, r := range recs {
		v := r.Values
		e := &eventRow{ID: str(v[0]), Type: str(v[1]), Subject: str(v[2]), Place: str(v[3]), Date: str(v[4]), Edition: num(v[5]), Sources: num(v[6])}
		w.events[e.ID] = e
	}
	return nil
}

// kind returns "entity", "event" or "" for an unknown key.
func (w *walker) kind(key string) (string, error) {
	if err := w.loadEntities([]string{key}); err != nil {
		return "", err
	}
	if w.entities[key] != nil {
		return "entity", nil
	}
	if err := w.loadEvents([]string{key}); err != nil {
		return "", err
	}
	if w.events[key] != nil {
		return "event", nil
	}
	return "", nil
}

// node returns the node of a loaded key.
func (w *walker) node(key string) graph.Node {
	if n := w.entities[key]; n != nil {
		return *n
	}
	e := w.events[key]
	label := strings.ReplaceAll(strings.ToLower(e.Type), "_", " ")
	label = strings.ToUpper(label[:1]) + label[1:]
	if s := w.entities[e.Subject]; s != nil {
		label = s.Name
	}
	switch {
	case e.Edition > 0:
		label += fmt.Sprintf(" %d", e.Edition)
	case e.Date != "":
		label += " (" + graph.DateName(e.Date) + ")"
	}
	return graph.Node{Key: e.ID, Kind: "event", Type: e.Type, Name: label, Date: e.Date, Subject: e.Subject, Sources: e.Sources}
}

// nodes returns the nodes of keys, loading the subjects events are named by.
func (w *walker) nodes(keys []string) ([]graph.Node, error) {
	var subjects []string
	for _, k := range keys {
		if e := w.events[k]; e != nil && e.Subject != "" {
			subjects = append(subjects, e.Subject)
		}
	}
	if err := w.loadEntities(subjects); err != nil {
		return nil, err
	}
	out := make([]graph.Node, 0, len(keys))
	for _, k := range keys {
		out = append(out, w.node(k))
	}
	return out, nil
}

// edgeCols are the columns scanEdges reads, for a link r between an
// entity x and an event ev (entity first for PARTICIPATED_IN, event first
// for the others).
const edgeCols = `CASE type(r) WHEN 'PARTICIPATED_IN' THEN x.key ELSE ev.id END,
	CASE type(r) WHEN 'PARTICIPATED_IN' THEN ev.id ELSE x.key END,
	type(r), coalesce(r.role, ''), coalesce(r.via, ''), ev.type, ev.date`

func (w *walker) edges(q string, params map[string]any) ([]graph.Edge, error) {
	recs, err := run(w.ctx, w.tx, q, params)
	if err != nil {
		return nil, err
	}
	out := make([]graph.Edge, 0, len(recs))
	for _, r := range recs {
		v := r.Values
		out = append(out, graph.Edge{Source: str(v[0]), Target: str(v[1]), Type: str(v[2]), Role: graph.Role(str(v[3])),
			Via: str(v[4]), EventType: graph.EventType(str(v[5])), Date: str(v[6])})
	}
	return out, nil
}

// entityEdges returns the links of the events of the entities keys (their
// participation, and the events they are the subject, place or date of).
func (w *walker) entityEdges(keys []string) ([]graph.Edge, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	return w.edges(`UNWIND $keys AS k MATCH (x:Entity {key: k})-[r:`+eventLinks+`]-(ev:Event) RETURN `+edgeCols,
		map[string]any{"keys": sortedUnique(keys)})
}

// eventEdges returns every link of the events ids.
func (w *walker) eventEdges(ids []string) ([]graph.Edge, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return w.edges(`UNWIND $ids AS id MATCH (ev:Event {id: id})-[r:`+eventLinks+`]-(x:Entity) RETURN `+edgeCols,
		map[string]any{"ids": sortedUnique(ids)})
}

// structuralEdges returns the PART_OF and LOCATED_IN links from or to the
// entities keys, each once.
func (w *walker) structuralEdges(keys []string) ([]graph.Edge, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	recs, err := run(w.ctx, w.tx, `UNWIND $keys AS k MATCH (x:Entity {key: k})-[r:PART_OF|LOCATED_IN]-(:Entity)
		RETURN DISTINCT startNode(r).key, endNode(r).key, type(r)`, map[string]any{"keys": sortedUnique(keys)})
	if err != nil {
		return nil, err
	}
	out := make([]graph.Edge, 0, len(recs))
	for _, r := range recs {
		v := r.Values
		out = append(out, graph.Edge{Source: str(v[0]), Target: str(v[1]), Type: str(v[2])})
	}
	return out, nil
}

// other returns the end of e that is not key.
func other(e graph.Edge, key string) string {
	if e.Source == key {
		return e.Target
	}
	return e.Source
}

func edgeLess(a, b graph.Edge) int {
	return strings.Compare(a.Source+"\x00"+a.Target+"\x00"+a.Type+"\x00"+string(a.Role)+"\x00"+a.Via,
		b.Source+"\x00"+b.Target+"\x00"+b.Type+"\x00"+string(b.Role)+"\x00"+b.Via)
}

// inRange reports whether an event date is within [from, to] as ISO
// prefixes (see dateFilterSQL).
func inRange(date, from, to string) bool {
	if from == "" && to == "" {
		return true
	}
	if date == "" {
		return false
	}
	if from != "" && date < from && !strings.HasPrefix(from, date) {
		return false
	}
	if to != "" && date > to && !strings.HasPrefix(date, to) {
		return false
	}
	return true
}

// Neighbors returns the subgraph around an entity or event. Nodes are
// added level by level, each level in key order, so that Limit keeps the
// nearest; the edges are every link among the nodes kept.
func (s *Store) Neighbors(ctx context.Context, key string, opts graph.NeighborOptions) (*graph.Subgraph, error) {
	depth := opts.Depth
	if depth == 0 {
		depth = 1
	}
	if depth < 1 || depth > graph.MaxDepth {
		return nil, errf(graph.EINVALID, "depth %d is outside 1..%d", opts.Depth, graph.MaxDepth)
	}
	if err := checkEntityTypes(opts.NodeTypes); err != nil {
		return nil, err
	}
	if err := checkEventTypes(opts.EventTypes); err != nil {
		return nil, err
	}
	if err := checkRange(opts.From, opts.To); err != nil {
		return nil, err
	}
	if err := checkLimit(opts.Limit); err != nil {
		return nil, err
	}
	limit := opts.Limit
	if limit == 0 {
		limit = graph.DefaultLimit
	}
	g, err := read(ctx, s, func(tx nj.ManagedTransaction) (*graph.Subgraph, error) {
		w := newWalker(ctx, tx)
		kind, err := w.kind(key)
		if err != nil {
			return nil, err
		}
		if kind == "" {
			return nil, errf(graph.ENOTFOUND, "entity or event %q not found", key)
		}
		return w.neighbors(key, kind, depth, limit, opts)
	})
	if err != nil {
		return nil, s.fail(err, "neighbors of %s", key)
	}
	return g, nil
}

func (w *walker) neighbors(root, kind string, depth, limit int, opts graph.NeighborOptions) (*graph.Subgraph, error) {
	keepType := func(t string) bool {
		if len(opts.NodeTypes) == 0 {
			return t != string(graph.Date)
		}
		return slices.Contains(opts.NodeTypes, graph.EntityType(t))
	}
	keepEvent := func(e *eventRow) bool {
		return e != nil && (len(opts.EventTypes) == 0 || slices.Contains(opts.EventTypes, graph.EventType(e.Type))) &&
			inRange(e.Date, opts.From, opts.To)
	}
	g := &graph.Subgraph{Root: root, Nodes: []graph.Node{}, Edges: []graph.Edge{}}
	in := map[string]bool{root: true}
	order := []string{root}
	// add appends key unless it is in already; false when the limit stops it.
	add := func(key string) bool {
		if in[key] {
			return true
		}
		if len(order) >= limit {
			g.Truncated = true
			return false
		}
		in[key] = true
		order = append(order, key)
		return true
	}
	var frontEntities, frontEvents []string
	if kind == "event" {
		frontEvents = []string{root}
	} else {
		frontEntities = []string{root}
	}
	for d := 0; d < depth && !g.Truncated && len(frontEntities)+len(frontEvents) > 0; d++ {
		// Entity step: structural links and events.
		structural, err := w.structuralEdges(frontEntities)
		if err != nil {
			return nil, err
		}
		incident, err := w.entityEdges(frontEntities)
		if err != nil {
			return nil, err
		}
		var evIDs []string
		for _, e := range incident {
			if e.Type == graph.RelParticipatedIn {
				evIDs = append(evIDs, e.Target)
			} else {
				evIDs = append(evIDs, e.Source)
			}
		}
		if err := w.loadEvents(evIDs); err != nil {
			return nil, err
		}
		// Per frontier entity: its structural neighbours, then its events in
		// date order, each followed by its other entities.
		front := map[string]bool{}
		for _, k := range frontEntities {
			front[k] = true
		}
		structBy := map[string][]string{}
		for _, e := range structural {
			for _, k := range []string{e.Source, e.Target} {
				if front[k] {
					structBy[k] = append(structBy[k], other(e, k))
				}
			}
		}
		eventsBy := map[string][]string{}
		var kept []string
		for _, e := range incident {
			id, ent := e.Target, e.Source
			if e.Type != graph.RelParticipatedIn {
				id, ent = e.Source, e.Target
			}
			if keepEvent(w.events[id]) {
				eventsBy[ent] = append(eventsBy[ent], id)
				kept = append(kept, id)
			}
		}
		kept = append(kept, frontEvents...)
		evEdges, err := w.eventEdges(kept)
		if err != nil {
			return nil, err
		}
		entsOf := map[string][]string{}
		cands := []string{}
		for _, e := range evEdges {
			id, ent := e.Target, e.Source
			if e.Type != graph.RelParticipatedIn {
				id, ent = e.Source, e.Target
			}
			entsOf[id] = append(entsOf[id], ent)
			cands = append(cands, ent)
		}
		for _, l := range structBy {
			cands = append(cands, l...)
		}
		if err := w.loadEntities(cands); err != nil {
			return nil, err
		}
		var next []string
		addEntity := func(k string) bool {
			n := w.entities[k]
			if n == nil || !keepType(n.Type) {
				return true
			}
			if !in[k] {
				if !add(k) {
					return false
				}
				next = append(next, k)
			}
			return true
		}
		addEvent := func(id string) bool {
			if !add(id) {
				return false
			}
			ents := slices.Clone(entsOf[id])
			slices.Sort(ents)
			for _, k := range slices.Compact(ents) {
				if !addEntity(k) {
					return false
				}
			}
			return true
		}
		func() {
			for _, id := range sortedUnique(frontEvents) {
				if !addEvent(id) {
					return
				}
			}
			for _, k := range sortedUnique(frontEntities) {
				for _, o := range sortedUnique(structBy[k]) {
					if !addEntity(o) {
						return
					}
				}
				evs := sortedUnique(eventsBy[k])
				slices.SortStableFunc(evs, func(a, b string) int { return dateCmp(w.events[a].Date, w.events[b].Date) })
				for _, id := range evs {
					if !addEvent(id) {
						return
					}
				}
			}
		}()
		frontEntities, frontEvents = next, nil
	}

	// Edges: every link among the nodes kept.
	var evs, ents []string
	for _, k := range order {
		if w.entities[k] != nil {
			ents = append(ents, k)
		} else {
			evs = append(evs, k)
		}
	}
	a, err := w.eventEdges(evs)
	if err != nil {
		return nil, err
	}
	b, err := w.structuralEdges(ents)
	if err != nil {
		return nil, err
	}
	for _, e := range append(a, b...) {
		if in[e.Source] && in[e.Target] {
			g.Edges = append(g.Edges, e)
		}
	}
	slices.SortFunc(g.Edges, edgeLess)
	g.Edges = slices.CompactFunc(g.Edges, func(x, y graph.Edge) bool { return edgeLess(x, y) == 0 })
	if g.Nodes, err = w.nodes(order); err != nil {
		return nil, err
	}
	return g, nil
}

// dateCmp orders dates ascending with the undated last.
func dateCmp(a, b string) int {
	switch {
	case a == b:
		return 0
	case a == "":
		return 1
	case b == "":
		return -1
	}
	return strings.Compare(a, b)
}

// ShortestPath finds one shortest path by breadth-first search over
// entities and events, through PARTICIPATED_IN, ABOUT, HELD_IN, PART_OF and
// LOCATED_IN links in either direction. Among paths of the same length it
// returns the one through the smallest keys at each step.
func (s *Store) ShortestPath(ctx context.Context, from, to string, maxDepth int) (*graph.Path, error) {
	if maxDepth < 0 {
		return nil, errf(graph.EINVALID, "path depth %d is negative", maxDepth)
	}
	if maxDepth == 0 {
		maxDepth = graph.DefaultPathDepth
	}
	if from == "" || to == "" {
		return nil, errf(graph.EINVALID, "a path needs two keys")
	}
	p, err := read(ctx, s, func(tx nj.ManagedTransaction) (*graph.Path, error) {
		return newWalker(ctx, tx).path(from, to, maxDepth)
	})
	if err != nil {
		return nil, s.fail(err, "path from %s to %s", from, to)
	}
	return p, nil
}

// path is ShortestPath in a read transaction.
func (w *walker) path(from, to string, maxDepth int) (*graph.Path, error) {
	for _, k := range []string{from, to} {
		kind, err := w.kind(k)
		if err != nil {
			return nil, err
		}
		if kind == "" {
			return nil, errf(graph.ENOTFOUND, "entity %q not found", k)
		}
	}
	type step struct {
		prev string
		edge graph.Edge
	}
	parent := map[string]step{from: {}}
	frontier := []string{from}
	found := from == to
	for d := 0; d < maxDepth && !found && len(frontier) > 0; d++ {
		var ents, evs []string
		for _, k := range frontier {
			if w.events[k] != nil {
				evs = append(evs, k)
			} else {
				ents = append(ents, k)
			}
		}
		var edges []graph.Edge
		for _, load := range []func([]string) ([]graph.Edge, error){w.entityEdges, w.structuralEdges} {
			e, err := load(ents)
			if err != nil {
				return nil, err
			}
			edges = append(edges, e...)
		}
		e, err := w.eventEdges(evs)
		if err != nil {
			return nil, err
		}
		edges = append(edges, e...)
		inFront := map[string]bool{}
		for _, k := range frontier {
			inFront[k] = true
		}
		byNode := map[string][]graph.Edge{}
		var evIDs []string
		for _, e := range edges {
			if e.Type == graph.RelOnDate {
				continue
			}
			for _, k := range []string{e.Source, e.Target} {
				if inFront[k] {
					byNode[k] = append(byNode[k], e)
				}
			}
			if e.EventType != "" {
				evIDs = append(evIDs, e.Source, e.Target)
			}
		}
		if err := w.loadEvents(evIDs); err != nil {
			return nil, err
		}
		var next []string
		for _, k := range sortedUnique(frontier) {
			l := byNode[k]
			slices.SortFunc(l, func(a, b graph.Edge) int {
				if c := strings.Compare(other(a, k), other(b, k)); c != 0 {
					return c
				}
				return edgeLess(a, b)
			})
			for _, e := range l {
				o := other(e, k)
				if _, seen := parent[o]; seen {
					continue
				}
				parent[o] = step{prev: k, edge: e}
				next = append(next, o)
				if o == to {
					found = true
				}
			}
		}
		frontier = next
	}
	if !found {
		return nil, errf(graph.ENOTFOUND, "no path between %q and %q within %d links", from, to, maxDepth)
	}
	keys := []string{to}
	var edges []graph.Edge
	for k := to; k != from; k = parent[k].prev {
		edges = append(edges, parent[k].edge)
		keys = append(keys, parent[k].prev)
	}
	slices.Reverse(keys)
	slices.Reverse(edges)
	if err := w.loadEntities(keys); err != nil {
		return nil, err
	}
	nodes, err := w.nodes(keys)
	if err != nil {
		return nil, err
	}
	return &graph.Path{Nodes: nodes, Edges: edges}, nil
}
