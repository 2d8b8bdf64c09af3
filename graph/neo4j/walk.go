package neo4j

import (
	"context"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/internal/walk"
	nj "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// The walks are graph/internal/walk's, shared with graph/sqlite, over
// Cypher: each step loads the links of a whole frontier in one query.

// loader reads what a walk visits (see walk.Loader), in one read
// transaction.
type loader struct {
	ctx context.Context
	tx  nj.ManagedTransaction
}

func newWalker(ctx context.Context, tx nj.ManagedTransaction) *walk.Walker {
	return walk.New(&loader{ctx: ctx, tx: tx})
}

// Entities returns the entity nodes of keys.
func (w *loader) Entities(keys []string) ([]*graph.Node, error) {
	recs, err := run(w.ctx, w.tx, `UNWIND $keys AS k MATCH (e:Entity {key: k})
		RETURN e.key, e.type, e.name, e.names, e.country`, map[string]any{"keys": keys})
	if err != nil {
		return nil, err
	}
	out := make([]*graph.Node, 0, len(recs))
	for _, r := range recs {
		v := r.Values
		n := &graph.Node{Kind: "entity", Key: str(v[0]), Type: str(v[1]), Name: str(v[2]), Country: str(v[4])}
		if n.Names, err = parseNames(n.Key, v[3]); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, nil
}

// Events returns the events of ids.
func (w *loader) Events(ids []string) ([]*walk.Event, error) {
	recs, err := run(w.ctx, w.tx, `UNWIND $ids AS id MATCH (ev:Event {id: id})
		RETURN ev.id, ev.type, ev.subject, ev.place, ev.date, ev.edition, ev.sources`, map[string]any{"ids": ids})
	if err != nil {
		return nil, err
	}
	out := make([]*walk.Event, 0, len(recs))
	for _, r := range recs {
		v := r.Values
		out = append(out, &walk.Event{ID: str(v[0]), Type: str(v[1]), Subject: str(v[2]), Place: str(v[3]),
			Date: str(v[4]), Edition: num(v[5]), Sources: num(v[6])})
	}
	return out, nil
}

// edgeCols are the columns scanEdges reads, for a link r between an
// entity x and an event ev (entity first for PARTICIPATED_IN, event first
// for the others).
const edgeCols = `CASE type(r) WHEN 'PARTICIPATED_IN' THEN x.key ELSE ev.id END,
	CASE type(r) WHEN 'PARTICIPATED_IN' THEN ev.id ELSE x.key END,
	type(r), coalesce(r.role, ''), coalesce(r.via, ''), ev.type, ev.date`

func (w *loader) edges(q string, params map[string]any) ([]graph.Edge, error) {
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

// EntityEdges returns the links of the events of the entities keys (their
// participation, and the events they are the subject, place or date of).
func (w *loader) EntityEdges(keys []string) ([]graph.Edge, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	return w.edges(`UNWIND $keys AS k MATCH (x:Entity {key: k})-[r:`+eventLinks+`]-(ev:Event) RETURN `+edgeCols,
		map[string]any{"keys": walk.SortedUnique(keys)})
}

// EventEdges returns every link of the events ids.
func (w *loader) EventEdges(ids []string) ([]graph.Edge, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return w.edges(`UNWIND $ids AS id MATCH (ev:Event {id: id})-[r:`+eventLinks+`]-(x:Entity) RETURN `+edgeCols,
		map[string]any{"ids": walk.SortedUnique(ids)})
}

// StructuralEdges returns the PART_OF and LOCATED_IN links from or to the
// entities keys, each once.
func (w *loader) StructuralEdges(keys []string) ([]graph.Edge, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	recs, err := run(w.ctx, w.tx, `UNWIND $keys AS k MATCH (x:Entity {key: k})-[r:PART_OF|LOCATED_IN]-(:Entity)
		RETURN DISTINCT startNode(r).key, endNode(r).key, type(r)`, map[string]any{"keys": walk.SortedUnique(keys)})
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

// Neighbors returns the subgraph around an entity or event. Nodes are
// added level by level, each level in key order, so that Limit keeps the
// nearest; the edges are every link among the nodes kept.
func (s *Store) Neighbors(ctx context.Context, key string, opts graph.NeighborOptions) (*graph.Subgraph, error) {
	depth, limit, err := opts.Check()
	if err != nil {
		return nil, err
	}
	g, err := read(ctx, s, func(tx nj.ManagedTransaction) (*graph.Subgraph, error) {
		w := newWalker(ctx, tx)
		kind, err := w.Kind(key)
		if err != nil {
			return nil, err
		}
		if kind == "" {
			return nil, errf(graph.ENOTFOUND, "entity or event %q not found", key)
		}
		return w.Neighbors(key, kind, depth, limit, opts)
	})
	if err != nil {
		return nil, s.fail(err, "neighbors of %s", key)
	}
	return g, nil
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
		return newWalker(ctx, tx).Path(from, to, maxDepth)
	})
	if err != nil {
		return nil, s.fail(err, "path from %s to %s", from, to)
	}
	return p, nil
}
