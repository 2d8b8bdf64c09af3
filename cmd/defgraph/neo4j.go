package main

import (
	"context"

	"github.com/defgraph/defgraph/graph"
)

func (a *app) openNeo4j(ctx context.Context) (graph.Store, error) {
	return nil, usagef("the neo4j store is not available in this build yet")
}
