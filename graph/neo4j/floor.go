package neo4j

import (
	"context"
	"fmt"
	"time"

	nj "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/internal/walk"
)

// This file serves benchmarks (bench-import): the server's CPU time, and a
// floor under the cost of any write of the graph.

// ServerCPU returns the CPU time the server's process has used since it
// started (JMX java.lang:type=OperatingSystem ProcessCpuTime), with the
// number of cores it sees. Differences of two readings tell how much of a
// machine the server used for a job.
func (s *Store) ServerCPU(ctx context.Context) (cpu time.Duration, cores int, err error) {
	res, err := nj.ExecuteQuery(ctx, s.driver, `CALL dbms.queryJmx('java.lang:type=OperatingSystem') YIELD attributes
		RETURN attributes.ProcessCpuTime.value, attributes.AvailableProcessors.value`, nil, nj.EagerResultTransformer,
		nj.ExecuteQueryWithDatabase(s.db))
	if err != nil {
		return 0, 0, s.fail(err, "read the server's CPU time")
	}
	if len(res.Records) != 1 {
		return 0, 0, graph.Errorf(graph.EUNAVAILABLE, "neo4j: the server did not report its CPU time")
	}
	v := res.Records[0].Values
	return time.Duration(num64(v[0])), num(v[1]), nil
}

func num64(v any) int64 {
	switch n := v.(type) {
	case int64:
		return n
	case float64:
		return int64(n)
	}
	return 0
}

// The floor's labels, relationship types and constraints: apart from the
// real ones, so that the floor never touches the graph.
var floorSchema = []string{
	`CREATE CONSTRAINT floor_article_id IF NOT EXISTS FOR (a:FloorArticle) REQUIRE a.id IS UNIQUE`,
	`CREATE CONSTRAINT floor_entity_key IF NOT EXISTS FOR (e:FloorEntity) REQUIRE e.key IS UNIQUE`,
	`CREATE CONSTRAINT floor_event_id IF NOT EXISTS FOR (e:FloorEvent) REQUIRE e.id IS UNIQUE`,
}

const (
	qFloorEntities = cachedPlan + `UNWIND $keys AS k MERGE (:FloorEntity {key: k})`
	qFloorEvents   = cachedPlan + `UNWIND $ids AS id MERGE (:FloorEvent {id: id})`
	qFloorArticles = cachedPlan + `UNWIND $rows AS r
		CREATE (a:FloorArticle) SET a = r[0]
		WITH a, r
		CALL {
			WITH a, r
			UNWIND r[1] AS m
			MATCH (e:FloorEntity {key: m[0]})
			CREATE (a)-[:FLOOR_MENTIONS {count: m[1], mentions: m[2]}]->(e)
		}
		CALL {
			WITH a, r
			UNWIND r[2] AS p
			MATCH (ev:FloorEvent {id: p[0]})
			CREATE (ev)-[rep:FLOOR_REPORTED_IN]->(a) SET rep = p[1]
		}`
)

// WriteFloor writes, for benchmarks, the least that any writer of items
// must write: each article as a node with all its properties, one link
// to each entity it mentions (with the mention count and offsets) and one
// to the event of each report (with the report's properties, evidence
// included), the entity and event nodes being merged on their keys. None
// of the rest of a Write is done: no entity names, type labels or
// structural links, no consolidation of events, no participation links,
// no check of what is stored. The nodes get labels of their own
// (FloorArticle, FloorEntity, FloorEvent, each with its uniqueness
// constraint as the real ones have), in transactions of WriteBatchSize
// articles; DropFloor removes them. Items must be valid and new.
func (s *Store) WriteFloor(ctx context.Context, items []graph.Extraction) error {
	for _, q := range floorSchema {
		if _, err := nj.ExecuteQuery(ctx, s.driver, q, nil, nj.EagerResultTransformer, nj.ExecuteQueryWithDatabase(s.db)); err != nil {
			return s.fail(err, "create the floor's constraints")
		}
	}
	for start := 0; start < len(items); start += s.batch {
		chunk := items[start:min(start+s.batch, len(items))]
		var keys, ids []string
		rows := make([]any, 0, len(chunk))
		for i := range chunk {
			p := &prepared{x: &chunk[i], hash: graph.ContentHash(&chunk[i])}
			p.prepare()
			mentions := make([]any, 0, len(p.mentions))
			for _, m := range p.mentions {
				keys = append(keys, m.key)
				mentions = append(mentions, []any{m.key, m.count, m.mentions})
			}
			for _, r := range p.reports {
				ids = append(ids, r[0].(string))
			}
			rows = append(rows, []any{p.article, mentions, p.reports})
		}
		_, err := write(ctx, s, func(tx nj.ManagedTransaction) (struct{}, error) {
			if err := exec(ctx, tx, qFloorEntities, map[string]any{"keys": walk.SortedUnique(keys)}); err != nil {
				return struct{}{}, err
			}
			if err := exec(ctx, tx, qFloorEvents, map[string]any{"ids": walk.SortedUnique(ids)}); err != nil {
				return struct{}{}, err
			}
			return struct{}{}, exec(ctx, tx, qFloorArticles, map[string]any{"rows": rows})
		})
		if err != nil {
			return s.fail(err, "write the floor of %d articles", len(chunk))
		}
	}
	return nil
}

// DropFloor deletes what WriteFloor wrote, and its constraints.
func (s *Store) DropFloor(ctx context.Context) error {
	sess := s.driver.NewSession(ctx, nj.SessionConfig{DatabaseName: s.db, AccessMode: nj.AccessModeWrite})
	defer sess.Close(ctx)
	res, err := sess.Run(ctx, `MATCH (n) WHERE n:FloorArticle OR n:FloorEntity OR n:FloorEvent
		CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 5000 ROWS`, nil)
	if err == nil {
		_, err = res.Consume(ctx)
	}
	if err != nil {
		return s.fail(err, "delete the floor")
	}
	for _, name := range []string{"floor_article_id", "floor_entity_key", "floor_event_id"} {
		q := fmt.Sprintf("DROP CONSTRAINT %s IF EXISTS", name)
		if _, err := nj.ExecuteQuery(ctx, s.driver, q, nil, nj.EagerResultTransformer, nj.ExecuteQueryWithDatabase(s.db)); err != nil {
			return s.fail(err, "drop the floor's constraints")
		}
	}
	return nil
}
