package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/sqlite"
)

// dump is what two graphs are compared by: counts, and every country's
// timeline and neighborhood.
func dump(t *testing.T, path string) string {
	t.Helper()
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	st, err := s.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]any{"stats": st}
	for _, c := range []string{"MAR", "PAK", "USA", "FRA", "SAU", "IND", "EGY", "TUR"} {
		tl, err := s.Timeline(ctx, graph.TimelineQuery{Entity: c, Limit: 5000})
		if err != nil {
			t.Fatalf("timeline %s: %v", c, err)
		}
		nb, err := s.Neighbors(ctx, c, graph.NeighborOptions{Depth: 1, Limit: 5000})
		if err != nil {
			t.Fatalf("neighbors %s: %v", c, err)
		}
		out[c] = []any{tl, nb}
	}
	b, _ := json.Marshal(out)
	return string(b)
}

// TestResumeAfterKill kills an import with SIGKILL in the middle, runs the
// same command again, and checks that the graph is exactly the one an
// uninterrupted import gives.
func TestResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and imports twice")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "defgraph")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	corpus := filepath.Join(dir, "corpus.jsonl")
	if out, err := exec.Command(bin, "gen-corpus", "--n", "6000", corpus).CombinedOutput(); err != nil {
		t.Fatalf("gen-corpus: %v\n%s", err, out)
	}
	importCmd := func(db string) *exec.Cmd {
		c := exec.Command(bin, "import", "--sqlite-path", db, "--batch-size", "100", corpus)
		c.Dir = dir
		return c
	}

	whole := filepath.Join(dir, "whole.db")
	if out, err := importCmd(whole).CombinedOutput(); err != nil {
		t.Fatalf("uninterrupted import: %v\n%s", err, out)
	}

	resumed := filepath.Join(dir, "resumed.db")
	c := importCmd(resumed)
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	// Wait until some batches are in, then kill -9.
	deadline := time.Now().Add(60 * time.Second)
	for {
		time.Sleep(100 * time.Millisecond)
		if n := articles(resumed); n >= 300 {
			break
		}
		if time.Now().After(deadline) {
			c.Process.Kill()
			t.Fatal("the import wrote nothing within 60 s")
		}
	}
	c.Process.Signal(syscall.SIGKILL)
	c.Wait()
	partial := articles(resumed)
	if partial >= 6000 {
		t.Fatalf("the import finished before it was killed (%d articles); use a bigger corpus", partial)
	}
	t.Logf("killed after %d of 6000 articles", partial)

	out, err := importCmd(resumed).CombinedOutput()
	if err != nil {
		t.Fatalf("resumed import: %v\n%s", err, out)
	}
	if a, b := dump(t, whole), dump(t, resumed); a != b {
		os.WriteFile(filepath.Join(dir, "whole.json"), []byte(a), 0o644)
		os.WriteFile(filepath.Join(dir, "resumed.json"), []byte(b), 0o644)
		t.Fatalf("the resumed graph differs from the uninterrupted one (dumps in %s)", dir)
	}
}

// articles counts the articles in a SQLite file being written by another
// process, or -1 when it cannot be read yet.
func articles(path string) int {
	if _, err := os.Stat(path); err != nil {
		return -1
	}
	s, err := sqlite.Open(path)
	if err != nil {
		return -1
	}
	defer s.Close()
	st, err := s.Stats(context.Background())
	if err != nil {
		return -1
	}
	return st.Articles
}
