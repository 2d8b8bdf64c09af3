package main

import (
	"context"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/neo4j"
)

// openNeo4j connects to the configured Neo4j server and migrates its
// schema.
func (a *app) openNeo4j(ctx context.Context) (graph.Store, error) {
	return neo4j.Open(ctx, neo4j.Config{
		URI:      a.v.GetString("neo4j.uri"),
		User:     a.v.GetString("neo4j.user"),
		Password: a.v.GetString("neo4j.password"),
		Database: a.v.GetString("neo4j.database"),
	})
}
