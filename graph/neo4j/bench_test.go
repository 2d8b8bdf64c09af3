package neo4j

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	nj "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/storetest"
)

// benchArticles is the number of synthetic articles TestWriteThroughput
// writes with each writer: DEFGRAPH_NEO4J_BENCH_ARTICLES, default 200.
func benchArticles(t testing.TB) int {
	n := 200
	if v := os.Getenv("DEFGRAPH_NEO4J_BENCH_ARTICLES"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n <= 0 {
			t.Fatalf("DEFGRAPH_NEO4J_BENCH_ARTICLES=%q is not a positive number", v)
		}
	}
	return n
}

func generated(from, n int) []graph.Extraction {
	out := make([]graph.Extraction, n)
	for i := range out {
		out[i] = storetest.Generated(from + i)
	}
	return out
}

// graphSize counts nodes and links as Stats reports them.
func graphSize(t testing.TB, s *Store) (nodes, links int) {
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	nodes = st.Articles
	for _, n := range st.Entities {
		nodes += n
	}
	for _, n := range st.Events {
		nodes += n
	}
	return nodes, st.Links
}

type throughput struct {
	name             string
	articles, writes int
	elapsed          time.Duration
}

func (r throughput) String() string {
	secs := r.elapsed.Seconds()
	return fmt.Sprintf("%-28s %6d articles in %7.2fs: %8.1f articles/s, %9.1f graph writes/s (%d nodes and links)",
		r.name, r.articles, secs, float64(r.articles)/secs, float64(r.writes)/secs, r.writes)
}

// measure writes items into an emptied store with the given batch size, in
// one Write call.
func measure(t testing.TB, name string, batch int, items []graph.Extraction) throughput {
	s := openTest(t, batch)
	defer s.Close()
	start := time.Now()
	res, err := s.Write(context.Background(), items)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if res.Written != len(items) {
		t.Fatalf("%s: %+v, want %d written", name, res, len(items))
	}
	nodes, links := graphSize(t, s)
	return throughput{name: name, articles: len(items), writes: nodes + links, elapsed: elapsed}
}

// TestWriteThroughput writes the same N synthetic articles (see
// benchArticles) one transaction per article and in batches of
// DefaultWriteBatchSize, and reports both side by side. The target of the
// batched writer is ten times the other's rate on 10,000 articles:
//
//	DEFGRAPH_NEO4J_BENCH_ARTICLES=10000 go test -run WriteThroughput -v ./graph/neo4j/
//
// With the default N it only checks that batching is not slower.
func TestWriteThroughput(t *testing.T) {
	n := benchArticles(t)
	items := generated(0, n)
	// Warm the server's query caches so that neither run pays for planning.
	measure(t, "warm-up", 0, generated(1_000_000, 20))
	per := measure(t, "one transaction per article", 1, items)
	bat := measure(t, fmt.Sprintf("batches of %d", DefaultWriteBatchSize), 0, items)
	t.Log(per)
	t.Log(bat)
	ratio := per.elapsed.Seconds() / bat.elapsed.Seconds()
	t.Logf("batched is %.1f× as fast", ratio)
	if per.writes != bat.writes {
		t.Errorf("the two writers wrote different graphs: %d and %d nodes and links", per.writes, bat.writes)
	}
	if n >= 100 && ratio < 1 {
		t.Errorf("batched writes are slower than one transaction per article (%.2f×)", ratio)
	}
}

func benchmarkWrite(b *testing.B, batch int) {
	s := openTest(b, batch)
	defer s.Close()
	ctx := context.Background()
	items := generated(0, b.N)
	b.ResetTimer()
	res, err := s.Write(ctx, items)
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if res.Written != b.N {
		b.Fatalf("%+v, want %d written", res, b.N)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
}

// BenchmarkWriteBatched writes b.N synthetic articles in batches of
// DefaultWriteBatchSize.
func BenchmarkWriteBatched(b *testing.B) { benchmarkWrite(b, 0) }

// BenchmarkWritePerArticle writes b.N synthetic articles one transaction
// per article.
func BenchmarkWritePerArticle(b *testing.B) { benchmarkWrite(b, 1) }

// count runs a counting query in the test database.
func count(t testing.TB, s *Store, q string) int {
	t.Helper()
	res, err := nj.ExecuteQuery(context.Background(), s.driver, q, nil, nj.EagerResultTransformer, nj.ExecuteQueryWithDatabase(s.db))
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return num(res.Records[0].Values[0])
}

// TestWriteFloor checks that the floor writes exactly the articles and the
// MENTIONS and REPORTED_IN links a Write of the same items writes, apart
// from the graph, and that DropFloor leaves nothing of it; and that the
// server reports a CPU time that grows with the work.
func TestWriteFloor(t *testing.T) {
	s := openTest(t, 7) // batches of 7 cross the transaction boundaries
	defer s.Close()
	ctx := context.Background()
	cpu0, cores, err := s.ServerCPU(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cpu0 <= 0 || cores <= 0 {
		t.Fatalf("ServerCPU = %v, %d cores", cpu0, cores)
	}
	items := generated(0, 40)
	if _, err := s.Write(ctx, items); err != nil {
		t.Fatal(err)
	}
	nodes, links := graphSize(t, s)
	if err := s.WriteFloor(ctx, items); err != nil {
		t.Fatal(err)
	}
	defer s.DropFloor(ctx)
	for _, c := range []struct{ real, floor string }{
		{`MATCH (a:Article) RETURN count(a)`, `MATCH (a:FloorArticle) RETURN count(a)`},
		{`MATCH (:Article)-[m:MENTIONS]->() RETURN count(m)`, `MATCH (:FloorArticle)-[m:FLOOR_MENTIONS]->(:FloorEntity) RETURN count(m)`},
		{`MATCH (:Event)-[r:REPORTED_IN]->(:Article) RETURN count(r)`, `MATCH (:FloorEvent)-[r:FLOOR_REPORTED_IN]->(:FloorArticle) RETURN count(r)`},
		{`MATCH (e:Event) RETURN count(e)`, `MATCH (e:FloorEvent) RETURN count(e)`},
		{`MATCH (:Article)-[:MENTIONS]->(e) RETURN count(DISTINCT e)`, `MATCH (e:FloorEntity) RETURN count(e)`},
	} {
		r, f := count(t, s, c.real), count(t, s, c.floor)
		if r == 0 || r != f {
			t.Errorf("%s = %d, but %s = %d", c.real, r, c.floor, f)
		}
	}
	if n, l := graphSize(t, s); n != nodes || l != links {
		t.Errorf("the floor changed the graph's Stats: %d nodes and %d links, then %d and %d", nodes, links, n, l)
	}
	if got := count(t, s, `MATCH (a:FloorArticle {id: "`+items[3].Article.ID+`"}) RETURN count(a.text)`); got != 1 {
		t.Errorf("a floor article lacks its text")
	}
	cpu1, _, err := s.ServerCPU(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if cpu1 <= cpu0 {
		t.Errorf("the server's CPU time went from %v to %v over writes", cpu0, cpu1)
	}
	if err := s.DropFloor(ctx); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `MATCH (n) WHERE n:FloorArticle OR n:FloorEntity OR n:FloorEvent RETURN count(n)`); n != 0 {
		t.Errorf("DropFloor left %d nodes", n)
	}
	if n := count(t, s, `SHOW CONSTRAINTS YIELD name WHERE name STARTS WITH 'floor_' RETURN count(*)`); n != 0 {
		t.Errorf("DropFloor left %d constraints", n)
	}
}
