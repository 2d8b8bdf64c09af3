package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/sqlite"
	"github.com/defgraph/defgraph/graph/storetest"
)

func open(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) graph.Store {
		return open(t, filepath.Join(t.TempDir(), "graph.db"))
	})
}

func TestMemory(t *testing.T) {
	s := open(t, ":memory:")
	defer s.Close()
	res, err := s.Write(context.Background(), storetest.Corpus())
	if err != nil || res.Written != 6 {
		t.Fatalf("Write: %+v %v", res, err)
	}
}

func TestReopenKeepsData(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "nested", "folder", "graph.db")
	s := open(t, path)
	if _, err := s.Write(ctx, storetest.Corpus()); err != nil {
		t.Fatal(err)
	}
	want, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t, path)
	defer s.Close()
	got, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.Articles != want.Articles || got.Links != want.Links || len(got.Entities) != len(want.Entities) {
		t.Errorf("after reopening: %+v, want %+v", got, want)
	}
	res, err := s.Write(ctx, storetest.Corpus())
	if err != nil || res.Unchanged != 6 {
		t.Errorf("writing the corpus again after reopening: %+v %v, want 6 unchanged", res, err)
	}
	if _, err := s.Entity(ctx, storetest.MAR); err != nil {
		t.Errorf("Entity after reopening: %v", err)
	}
}

func TestMigrationIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "graph.db")
	for i := 0; i < 3; i++ {
		s := open(t, path)
		v, err := s.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != sqlite.SchemaVersion {
			t.Errorf("open %d: schema version %d, want %d", i, v, sqlite.SchemaVersion)
		}
		if i == 0 {
			if _, err := s.Write(ctx, storetest.Corpus()[:1]); err != nil {
				t.Fatal(err)
			}
		}
		st, err := s.Stats(ctx)
		if err != nil || st.Articles != 1 {
			t.Errorf("open %d: %+v %v", i, st, err)
		}
		s.Close()
	}
}

func TestWriteThousandArticles(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	s := open(t, filepath.Join(t.TempDir(), "graph.db"))
	defer s.Close()
	items := make([]graph.Extraction, 1000)
	for i := range items {
		items[i] = storetest.Generated(i)
	}
	start := time.Now()
	res, err := s.Write(context.Background(), items)
	if err != nil || res.Written != 1000 {
		t.Fatalf("Write: %+v %v", res, err)
	}
	if d := time.Since(start); d > 3*time.Second && !raceEnabled {
		t.Errorf("writing 1,000 articles took %v", d)
	}
	t.Logf("1,000 articles written in %v", time.Since(start))
}

func BenchmarkWrite(b *testing.B) {
	s := open(b, filepath.Join(b.TempDir(), "graph.db"))
	defer s.Close()
	const batch = 100
	items := make([]graph.Extraction, batch)
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for i := range items {
			items[i] = storetest.Generated(n*batch + i)
		}
		if _, err := s.Write(context.Background(), items); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "articles/s")
}

// Two stores writing one file in turns: each one's cache of event tallies
// must not hide what the other wrote. The result is the graph one store
// writing everything holds.
func TestTwoStoresOneFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "graph.db")
	a, b := open(t, path), open(t, path)
	defer a.Close()
	defer b.Close()
	// The Indus Shield edition, reported by three articles written by a,
	// then b, then a again.
	turns := []struct {
		s     *sqlite.Store
		items []graph.Extraction
	}{
		{a, storetest.Corpus()},
		{b, storetest.SecondReports()[:1]},
		{a, storetest.SecondReports()[1:]},
		{b, []graph.Extraction{storetest.IndusShieldBilan()}},
	}
	var all []graph.Extraction
	for _, turn := range turns {
		if _, err := turn.s.Write(ctx, turn.items); err != nil {
			t.Fatal(err)
		}
		all = append(all, turn.items...)
	}
	one := open(t, filepath.Join(t.TempDir(), "one.db"))
	defer one.Close()
	if _, err := one.Write(ctx, all); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{storetest.Indus, storetest.MAR, storetest.PAK} {
		got, err := a.Timeline(ctx, graph.TimelineQuery{Entity: k})
		if err != nil {
			t.Fatal(err)
		}
		want, _ := one.Timeline(ctx, graph.TimelineQuery{Entity: k})
		if gj, wj := mustJSON(t, got), mustJSON(t, want); gj != wj {
			t.Errorf("timeline of %s after writes in turns:\n%s\nwant\n%s", k, gj, wj)
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestForeignKeys holds the writer, which checks no foreign key, to the
// schema's: after writes that add articles, rewrite them (deleting their
// mentions and reports, and events left without reports) and write them
// back, PRAGMA foreign_key_check finds no row without its parent.
func TestForeignKeys(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "graph.db")
	s := open(t, path)
	defer s.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	all := append(storetest.Corpus(), storetest.SecondReports()...)
	// Each article again with no events and only its first entity.
	var bare []graph.Extraction
	for _, x := range all {
		x.Events = nil
		x.Entities = x.Entities[:min(1, len(x.Entities))]
		bare = append(bare, x)
	}
	for i, step := range [][]graph.Extraction{all, bare, all, append(bare, all...)} {
		if _, err := s.Write(ctx, step); err != nil {
			t.Fatal(err)
		}
		rows, err := raw.QueryContext(ctx, `PRAGMA foreign_key_check`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var table, parent string
			var rowid sql.NullInt64
			var fk int
			if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
				t.Fatal(err)
			}
			t.Errorf("step %d: a row of %s (rowid %v) has no parent in %s", i, table, rowid, parent)
		}
		rows.Close()
		var events int
		if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM events`).Scan(&events); err != nil {
			t.Fatal(err)
		}
		if (i == 1) != (events == 0) {
			t.Errorf("step %d: %d events", i, events)
		}
	}
}
