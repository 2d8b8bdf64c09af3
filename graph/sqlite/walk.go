package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/internal/walk"
)

// The walks are graph/internal/walk's, shared with graph/neo4j: each step
// loads the links of a whole frontier in one query.

// loader reads what a walk visits (see walk.Loader).
type loader struct {
	s   *Store
	ctx context.Context
}

func (s *Store) walker(ctx context.Context) *walk.Walker {
	return walk.New(&loader{s: s, ctx: ctx})
}

// Entities returns the entity nodes of keys.
func (w *loader) Entities(keys []string) ([]*graph.Node, error) {
	rows, err := w.s.db.QueryContext(w.ctx, `SELECT key, type, name, names, country FROM entities
		WHERE key IN (SELECT value FROM json_each(?))`, jsonList(keys))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*graph.Node
	for rows.Next() {
		n := &graph.Node{Kind: "entity"}
		var names string
		if err := rows.Scan(&n.Key, &n.Type, &n.Name, &names, &n.Country); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(names), &n.Names); err != nil {
			return nil, err
		}
		if len(n.Names) == 0 {
			n.Names = nil
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// Events returns the events of ids.
func (w *loader) Events(ids []string) ([]*walk.Event, error) {
	rows, err := w.s.db.QueryContext(w.ctx, `SELECT id, type, subject, place, date, edition, sources FROM events
		WHERE id IN (SELECT value FROM json_each(?))`, jsonList(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*walk.Event
	for rows.Next() {
		e := &walk.Event{}
		if err := rows.Scan(&e.ID, &e.Type, &e.Subject, &e.Place, &e.Date, &e.Edition, &e.Sources); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func scanEdges(rows *sql.Rows, err error) ([]graph.Edge, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []graph.Edge
	for rows.Next() {
		var e graph.Edge
		var role, et string
		if err := rows.Scan(&e.Source, &e.Target, &e.Type, &role, &e.Via, &et, &e.Date); err != nil {
			return nil, err
		}
		e.Role, e.EventType = graph.Role(role), graph.EventType(et)
		out = append(out, e)
	}
	return out, rows.Err()
}

// EntityEdges returns the links of the events of the entities keys (their
// participation, and the events they are the subject, place or date of).
func (w *loader) EntityEdges(keys []string) ([]graph.Edge, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	return scanEdges(w.s.db.QueryContext(w.ctx, `WITH k(key) AS (SELECT value FROM json_each(?1))
	SELECT p.entity, p.event, 'PARTICIPATED_IN', p.role, p.via, e.type, e.date
		FROM participation p JOIN events e ON e.id = p.event WHERE p.entity IN k
	UNION ALL SELECT e.id, e.subject, 'ABOUT', '', '', e.type, e.date FROM events e WHERE e.subject IN k
	UNION ALL SELECT e.id, e.place, 'HELD_IN', '', '', e.type, e.date FROM events e WHERE e.place IN k
	UNION ALL SELECT e.id, e.date, 'ON_DATE', '', '', e.type, e.date FROM events e WHERE e.date IN k`, jsonList(keys)))
}

// EventEdges returns every link of the events ids.
func (w *loader) EventEdges(ids []string) ([]graph.Edge, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	return scanEdges(w.s.db.QueryContext(w.ctx, `WITH k(id) AS (SELECT value FROM json_each(?1))
	SELECT p.entity, p.event, 'PARTICIPATED_IN', p.role, p.via, e.type, e.date
		FROM participation p JOIN events e ON e.id = p.event WHERE p.event IN k
	UNION ALL SELECT e.id, e.subject, 'ABOUT', '', '', e.type, e.date FROM events e WHERE e.id IN k AND e.subject <> ''
	UNION ALL SELECT e.id, e.place, 'HELD_IN', '', '', e.type, e.date FROM events e WHERE e.id IN k AND e.place <> ''
	UNION ALL SELECT e.id, e.date, 'ON_DATE', '', '', e.type, e.date FROM events e WHERE e.id IN k AND e.date <> ''`, jsonList(ids)))
}

// StructuralEdges returns the PART_OF and LOCATED_IN links from or to the
// entities keys.
func (w *loader) StructuralEdges(keys []string) ([]graph.Edge, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	const link = `SELECT o.key, o.country, CASE o.type WHEN 'Organization' THEN 'PART_OF' ELSE 'LOCATED_IN' END, '', '', '', ''
		FROM entities o JOIN entities c ON c.key = o.country
		WHERE o.type IN ('Organization', 'Place') AND o.country <> ''`
	edges, err := scanEdges(w.s.db.QueryContext(w.ctx, `WITH k(key) AS (SELECT value FROM json_each(?1))
		`+link+` AND o.key IN k UNION `+link+` AND o.country IN k`, jsonList(keys)))
	return edges, err
}

// Neighbors returns the subgraph around an entity or event. Nodes are
// added level by level, each level in key order, so that Limit keeps the
// nearest; the edges are every link among the nodes kept.
func (s *Store) Neighbors(ctx context.Context, key string, opts graph.NeighborOptions) (*graph.Subgraph, error) {
	depth, limit, err := opts.Check()
	if err != nil {
		return nil, err
	}
	w := s.walker(ctx)
	kind, err := w.Kind(key)
	if err != nil {
		return nil, s.fail(err, "neighbors of %s", key)
	}
	if kind == "" {
		return nil, errf(graph.ENOTFOUND, "entity or event %q not found", key)
	}
	g, err := w.Neighbors(key, kind, depth, limit, opts)
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
	p, err := s.walker(ctx).Path(from, to, maxDepth)
	if err != nil {
		return nil, s.fail(err, "path from %s to %s", from, to)
	}
	return p, nil
}
