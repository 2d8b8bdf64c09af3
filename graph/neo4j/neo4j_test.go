package neo4j

import (
	"context"
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/storetest"
	nj "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// These tests need a Neo4j 5 server: DEFGRAPH_TEST_NEO4J_URI, by default
// bolt://127.0.0.1:7687 (tools/neo4j/start-bg.sh starts one). They wipe
// its database ("neo4j", or DEFGRAPH_TEST_NEO4J_DATABASE): never point them
// at data you want to keep. Without a server they are skipped, except with
// CI=true, where they fail.

func testConfig() Config {
	uri := os.Getenv("DEFGRAPH_TEST_NEO4J_URI")
	if uri == "" {
		uri = "bolt://127.0.0.1:7687"
	}
	return Config{URI: uri, User: os.Getenv("DEFGRAPH_TEST_NEO4J_USER"), Password: os.Getenv("DEFGRAPH_TEST_NEO4J_PASSWORD"),
		Database: os.Getenv("DEFGRAPH_TEST_NEO4J_DATABASE"), ConnectTimeout: 5 * time.Second}
}

var (
	reachOnce sync.Once
	reachErr  error
)

// needServer skips t, or fails it with CI=true, unless the test server
// answers. The first failure to reach it is remembered, so that a missing
// server costs one timeout, not one per test.
func needServer(t testing.TB) {
	t.Helper()
	reachOnce.Do(func() {
		s, err := Open(context.Background(), testConfig())
		if err == nil {
			s.Close()
		}
		reachErr = err
	})
	if reachErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and the Neo4j test server cannot be used: %v", reachErr)
		}
		if graph.ErrorCode(reachErr) == graph.EUNAVAILABLE {
			t.Skipf("no Neo4j test server (%v): start one with tools/neo4j/start-bg.sh or set DEFGRAPH_TEST_NEO4J_URI", reachErr)
		}
		t.Fatalf("Open: %v", reachErr)
	}
}

// openTest opens the test server's store and empties it.
func openTest(t testing.TB, batch int) *Store {
	t.Helper()
	needServer(t)
	cfg := testConfig()
	cfg.WriteBatchSize = batch
	s, err := Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if err := s.deleteAll(context.Background()); err != nil {
		s.Close()
		t.Fatalf("empty the test database: %v", err)
	}
	return s
}

func TestConformance(t *testing.T) {
	needServer(t)
	storetest.Run(t, func(t *testing.T) graph.Store { return openTest(t, 0) })
}

// The suite again with one article per transaction, and with batches of
// two, so that the batch boundaries are crossed.
func TestConformanceSmallBatches(t *testing.T) {
	needServer(t)
	for _, n := range []int{1, 2} {
		t.Run(map[int]string{1: "PerArticle", 2: "BatchOf2"}[n], func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) graph.Store { return openTest(t, n) })
		})
	}
}

func TestOpenUnreachable(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err := Open(ctx, Config{URI: "bolt://127.0.0.1:1", ConnectTimeout: 2 * time.Second})
	if graph.ErrorCode(err) != graph.EUNAVAILABLE {
		t.Fatalf("Open of a closed port: code %q (%v), want %q", graph.ErrorCode(err), err, graph.EUNAVAILABLE)
	}
	if msg := graph.ErrorMessage(err); !strings.Contains(msg, "neo4j at bolt://127.0.0.1:1 unreachable") {
		t.Errorf("message %q does not say which server is unreachable", msg)
	}
	_, err = Open(ctx, Config{})
	if graph.ErrorCode(err) != graph.EINVALID {
		t.Errorf("Open without a URI: %v, want EINVALID", err)
	}
}

// An article written twice in one call: the second version wins, and the
// graph is the one a single write of it gives.
func TestWriteSameArticleTwiceInOneCall(t *testing.T) {
	s := openTest(t, 0)
	defer s.Close()
	ctx := context.Background()
	x := storetest.AfricanLion()
	y := storetest.AfricanLion()
	y.Events = y.Events[1:]
	res, err := s.Write(ctx, []graph.Extraction{x, y, y})
	if err != nil {
		t.Fatal(err)
	}
	if res.Written != 2 || res.Unchanged != 1 {
		t.Errorf("Write(x, y, y) = %+v, want 2 written and 1 unchanged", res)
	}
	got, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s2 := openTest(t, 0)
	defer s2.Close()
	if _, err := s2.Write(ctx, []graph.Extraction{y}); err != nil {
		t.Fatal(err)
	}
	want, _ := s2.Stats(ctx)
	if got.Articles != want.Articles || got.Links != want.Links || got.Events[graph.EventExercise] != want.Events[graph.EventExercise] {
		t.Errorf("stats after x, y, y: %+v; after y alone: %+v", got, want)
	}
}

// No node is left without its type label, and every node has a name.
func TestNodesHaveLabelsAndNames(t *testing.T) {
	s := openTest(t, 0)
	defer s.Close()
	ctx := context.Background()
	if _, err := s.Write(ctx, append(storetest.Corpus(), edgeCases()...)); err != nil {
		t.Fatal(err)
	}
	if e, err := s.Entity(ctx, "ZZZ"); err != nil || e.Type != graph.Organization || e.Country != "QQQ" {
		t.Errorf("the stub ZZZ listed as an organization: %+v, %v", e, err)
	}
	n, err := read(ctx, s, func(tx nj.ManagedTransaction) (int, error) {
		recs, err := run(ctx, tx, `MATCH (n) WHERE n.name IS NULL OR n.name = ''
			OR (n:Entity AND size(labels(n)) <> 2) OR n.new IS NOT NULL RETURN count(n)`, nil)
		if err != nil {
			return 0, err
		}
		return num(recs[0].Values[0]), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d nodes lack a name or a type label", n)
	}
}

// Writers in separate Stores (as in separate processes) that add names to
// the same entity at once lose none: a row is locked and checked before it
// is written, and merged again when another writer changed it.
func TestConcurrentStoresKeepEveryName(t *testing.T) {
	base := openTest(t, 0)
	defer base.Close()
	ctx := context.Background()
	const n = 6
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		s, err := Open(ctx, testConfig())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			x := storetest.Generated(i)
			x.Entities[1].Key = "SHARED"
			x.Entities[1].Aliases = []string{"alias " + strconv.Itoa(i)}
			x.Events[0].Participants[1].Entity = "SHARED"
			_, err := s.Write(ctx, []graph.Extraction{x})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	e, err := base.Entity(ctx, "SHARED")
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if !slices.Contains(e.AllNames(), "alias "+strconv.Itoa(i)) {
			t.Errorf("SHARED lost alias %d: %v", i, e.AllNames())
		}
	}
	if e.Counts.Events != n {
		t.Errorf("SHARED has %d events, want %d", e.Counts.Events, n)
	}
}

// The full-text index finds entities by a word of any of their names,
// with Arabic clitics and letter variants handled by the arabic analyzer.
func TestFullTextIndex(t *testing.T) {
	s := openTest(t, 0)
	defer s.Close()
	ctx := context.Background()
	if _, err := s.Write(ctx, storetest.Corpus()); err != nil {
		t.Fatal(err)
	}
	if _, err := nj.ExecuteQuery(ctx, s.driver, `CALL db.awaitIndexes(60)`, nil, nj.EagerResultTransformer,
		nj.ExecuteQueryWithDatabase(s.db)); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]string{"والمغرب": storetest.MAR, "Maroc": storetest.MAR, "باكستان": storetest.PAK, "pakistan": storetest.PAK} {
		res, err := nj.ExecuteQuery(ctx, s.driver,
			`CALL db.index.fulltext.queryNodes($index, $q) YIELD node, score RETURN node.key AS key ORDER BY score DESC`,
			map[string]any{"index": FullTextIndex, "q": q}, nj.EagerResultTransformer, nj.ExecuteQueryWithDatabase(s.db))
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, r := range res.Records {
			k, _ := r.Get("key")
			keys = append(keys, k.(string))
		}
		if !slices.Contains(keys, want) {
			t.Errorf("full-text %q: %v, want %s among them", q, keys, want)
		}
	}
}

// Events written before tallies existed (no `tally` property) are rebuilt
// from all their reports when a write touches them, and the graph is then
// the one a store written in one go holds.
func TestEventsWithoutTally(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, 0)
	defer s.Close()
	if _, err := s.Write(ctx, storetest.Corpus()); err != nil {
		t.Fatal(err)
	}
	sess := s.driver.NewSession(ctx, nj.SessionConfig{DatabaseName: s.db, AccessMode: nj.AccessModeWrite})
	r, err := sess.Run(ctx, `MATCH (ev:Event) REMOVE ev.tally RETURN count(ev)`, nil)
	if err == nil {
		var rec *nj.Record
		if rec, err = r.Single(ctx); err == nil && rec.Values[0].(int64) == 0 {
			t.Fatal("no event to strip of its tally")
		}
	}
	sess.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Write(ctx, storetest.SecondReports()); err != nil {
		t.Fatal(err)
	}
	got := must(t)(s.Timeline(ctx, graph.TimelineQuery{Entity: storetest.MAR}))

	s2 := openTest(t, 0)
	defer s2.Close()
	if _, err := s2.Write(ctx, append(storetest.Corpus(), storetest.SecondReports()...)); err != nil {
		t.Fatal(err)
	}
	want := must(t)(s2.Timeline(ctx, graph.TimelineQuery{Entity: storetest.MAR}))
	gj, _ := json.Marshal(got)
	wj, _ := json.Marshal(want)
	if string(gj) != string(wj) {
		t.Errorf("timeline after rebuilding events without tally:\n%s\nwant\n%s", gj, wj)
	}
}

func must(t *testing.T) func([]graph.EventDetail, error) []graph.EventDetail {
	return func(v []graph.EventDetail, err error) []graph.EventDetail {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

// Opening a database written before consolidation deletes its per-article
// events (those without a key) and clears the hash of their articles, so
// that importing them again rewrites them.
func TestMigrateDropsPerArticleEvents(t *testing.T) {
	s := openTest(t, 0)
	defer s.Close()
	ctx := context.Background()
	x := storetest.AfricanLion()
	if _, err := s.Write(ctx, []graph.Extraction{x}); err != nil {
		t.Fatal(err)
	}
	if _, err := write(ctx, s, func(tx nj.ManagedTransaction) (int, error) {
		return 0, exec(ctx, tx, `MATCH (a:Article {id: $id}) CREATE (:Event {id: 'old'})-[:REPORTED_IN]->(a)`,
			map[string]any{"id": x.Article.ID})
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	n, err := read(ctx, s, func(tx nj.ManagedTransaction) (int, error) {
		recs, err := run(ctx, tx, `MATCH (ev:Event) WHERE ev.key IS NULL RETURN count(ev) * 10 + COUNT { (a:Article {hash: ''}) }`, nil)
		if err != nil {
			return 0, err
		}
		return num(recs[0].Values[0]), nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Errorf("after Migrate: %d events without key, %d articles without hash; want 0 and 1", n/10, n%10)
	}
	if res, err := s.Write(ctx, []graph.Extraction{x}); err != nil || res.Written != 1 {
		t.Errorf("writing the article again: %+v, %v; want it written", res, err)
	}
}
