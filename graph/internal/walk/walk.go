// Package walk is the breadth-first walk over entities and events that
// every store's Neighbors and ShortestPath share, so that limits and ties cut
// the same way on every store. A store gives it a Loader: how to read nodes
// and the links of a frontier, one query per step; the walk does the rest.
package walk

import (
	"fmt"
	"slices"
	"strings"

	"github.com/defgraph/defgraph/graph"
)

// Event is what a walk needs of an event.
type Event struct {
	ID, Type, Subject, Place, Date string
	Edition, Sources               int
}

// Loader reads what a walk visits. Each method gets a batch of keys and
// returns what exists among them (nothing for an empty batch).
type Loader interface {
	// Entities returns the entity nodes of keys (Kind "entity", Names nil
	// when empty).
	Entities(keys []string) ([]*graph.Node, error)
	// Events returns the events of ids.
	Events(ids []string) ([]*Event, error)
	// EntityEdges returns the links between the entities keys and their
	// events (participation, and the events they are the subject, place or
	// date of), with EventType and Date set.
	EntityEdges(keys []string) ([]graph.Edge, error)
	// EventEdges returns every link of the events ids, as EntityEdges.
	EventEdges(ids []string) ([]graph.Edge, error)
	// StructuralEdges returns the PART_OF and LOCATED_IN links from or to
	// the entities keys, each once.
	StructuralEdges(keys []string) ([]graph.Edge, error)
}

// Walker loads, through its Loader, and caches what it visits.
type Walker struct {
	l        Loader
	entities map[string]*graph.Node // nil value: looked up, absent
	events   map[string]*Event
}

// New returns a Walker reading through l.
func New(l Loader) *Walker {
	return &Walker{l: l, entities: map[string]*graph.Node{}, events: map[string]*Event{}}
}

// loadEntities caches the entity nodes of keys.
func (w *Walker) loadEntities(keys []string) error {
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
	nodes, err := w.l.Entities(miss)
	for _, n := range nodes {
		w.entities[n.Key] = n
	}
	return err
}

// loadEvents caches the events of ids.
func (w *Walker) loadEvents(ids []string) error {
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
	evs, err := w.l.Events(miss)
	for _, e := range evs {
		w.events[e.ID] = e
	}
	return err
}

// SortedUnique returns l sorted without duplicates.
func SortedUnique(l []string) []string {
	l = slices.Clone(l)
	slices.Sort(l)
	return slices.Compact(l)
}

// kind returns "entity", "event" or "" for an unknown key.
func (w *Walker) Kind(key string) (string, error) {
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
func (w *Walker) node(key string) graph.Node {
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
func (w *Walker) nodes(keys []string) ([]graph.Node, error) {
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

func (w *Walker) Neighbors(root, kind string, depth, limit int, opts graph.NeighborOptions) (*graph.Subgraph, error) {
	keepType := func(t string) bool {
		if len(opts.NodeTypes) == 0 {
			return t != string(graph.Date)
		}
		return slices.Contains(opts.NodeTypes, graph.EntityType(t))
	}
	keepEvent := func(e *Event) bool {
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
		structural, err := w.l.StructuralEdges(frontEntities)
		if err != nil {
			return nil, err
		}
		incident, err := w.l.EntityEdges(frontEntities)
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
		evEdges, err := w.l.EventEdges(kept)
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
			for _, id := range SortedUnique(frontEvents) {
				if !addEvent(id) {
					return
				}
			}
			for _, k := range SortedUnique(frontEntities) {
				for _, o := range SortedUnique(structBy[k]) {
					if !addEntity(o) {
						return
					}
				}
				evs := SortedUnique(eventsBy[k])
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
	a, err := w.l.EventEdges(evs)
	if err != nil {
		return nil, err
	}
	b, err := w.l.StructuralEdges(ents)
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

// Path finds one shortest path by breadth-first search over entities and
// events, through PARTICIPATED_IN, ABOUT, HELD_IN, PART_OF and LOCATED_IN
// links in either direction. Among paths of the same length it returns the
// one through the smallest keys at each step.
func (w *Walker) Path(from, to string, maxDepth int) (*graph.Path, error) {
	for _, k := range []string{from, to} {
		kind, err := w.Kind(k)
		if err != nil {
			return nil, err
		}
		if kind == "" {
			return nil, graph.Errorf(graph.ENOTFOUND, "entity %q not found", k)
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
		for _, load := range []func([]string) ([]graph.Edge, error){w.l.EntityEdges, w.l.StructuralEdges} {
			e, err := load(ents)
			if err != nil {
				return nil, err
			}
			edges = append(edges, e...)
		}
		e, err := w.l.EventEdges(evs)
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
		for _, k := range SortedUnique(frontier) {
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
		return nil, graph.Errorf(graph.ENOTFOUND, "no path between %q and %q within %d links", from, to, maxDepth)
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
