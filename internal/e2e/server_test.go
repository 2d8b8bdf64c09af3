package e2e

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/defgraph/defgraph/graph/sqlite"
	"github.com/defgraph/defgraph/internal/api"
	"github.com/defgraph/defgraph/internal/extract"
	"github.com/defgraph/defgraph/internal/importer"
	"github.com/defgraph/defgraph/web"
)

// startServer imports examples/articles into a fresh SQLite store, serves
// the API and the embedded viewer with httptest, and returns its URL.
// Everything is closed when the test ends.
func startServer(t *testing.T) string {
	t.Helper()
	if !web.Built() {
		msg := "the viewer is not built: run `cd web && npm install && npm run build`, then run the test again"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	root := repoRoot(t)

	store, err := sqlite.Open(filepath.Join(t.TempDir(), "graph.db"))
	if err != nil {
		t.Fatalf("opening the store: %v", err)
	}
	t.Cleanup(func() { store.Close() })

	ex, err := extract.New(extract.Options{})
	if err != nil {
		t.Fatalf("making the extractor: %v", err)
	}
	sum, err := importer.Import(context.Background(), store, ex,
		[]string{filepath.Join(root, "examples", "articles")}, importer.Options{})
	if err != nil {
		t.Fatalf("importing examples/articles: %v", err)
	}
	for _, f := range sum.Failed {
		t.Logf("import: %s:%d: %s", f.Source, f.Line, f.Reason)
	}
	t.Logf("imported %d articles (%d read): %d entities, %d events", sum.Imported, sum.Read, sum.Entities, sum.Events)
	if sum.Imported == 0 {
		t.Fatal("no article was imported from examples/articles")
	}

	srv := httptest.NewServer(api.New(store, api.Options{Assets: web.Assets()}).Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// repoRoot walks up from the working directory to the folder of go.mod.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the working directory")
		}
		dir = parent
	}
}
