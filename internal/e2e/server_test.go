package e2e

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/defgraph/defgraph/graph"
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
	needViewer(t)
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

	if res, err := store.Write(context.Background(), []graph.Extraction{hostile()}); err != nil || len(res.Failed) > 0 {
		t.Fatalf("writing the hostile article: %v %+v", err, res.Failed)
	}
	return serve(t, store)
}

// serve serves the API and the embedded viewer over store with httptest.
func serve(t *testing.T, store graph.Store) string {
	t.Helper()
	srv := httptest.NewServer(api.New(store, api.Options{Assets: web.Assets()}).Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// needViewer skips (or fails, when CI=true) when the bundle is not built.
func needViewer(t *testing.T) {
	t.Helper()
	if !web.Built() {
		msg := "the viewer is not built: run `make web`, then run the test again"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
}

// hostileText is an article whose sentence holds markup: the viewer must
// show it as text, never run it.
const hostileText = "Hostile test article.\n\nXanadu hosted Zembla for a drill <script>window.__xss=1</script> and <img src=x onerror=\"window.__xss=2\"> in March 2024."

// hostile is one extraction: an exercise of two made-up countries whose
// evidence sentence holds a <script> and an <img onerror>.
func hostile() graph.Extraction {
	txt := hostileText
	runeAt := func(s string) (int, int) {
		i := strings.Index(txt, s)
		a := utf8.RuneCountInString(txt[:i])
		return a, a + utf8.RuneCountInString(s)
	}
	sentence := txt[strings.Index(txt, "Xanadu"):]
	ss, se := runeAt(sentence)
	xa, xb := runeAt("Xanadu")
	za, zb := runeAt("Zembla")
	url := "https://hostile.example.net/drill?a=1&b=<2>"
	return graph.Extraction{
		Article: graph.Article{ID: graph.ArticleID(url, txt), URL: url, Title: `Drill <b>"bold"</b> & co`, Language: "en",
			Published: "2024-03-20", Source: url, Text: txt},
		Entities: []graph.Entity{
			{Key: "XAN", Type: graph.Country, Name: "Xanadu", Mentions: []graph.Mention{{Text: "Xanadu", Start: xa, End: xb}}},
			{Key: "ZEM", Type: graph.Country, Name: "Zembla", Mentions: []graph.Mention{{Text: "Zembla", Start: za, End: zb}}},
		},
		Events: []graph.Event{{Type: graph.EventExercise, Date: "2024-03",
			Participants: []graph.Participant{{Entity: "XAN", Role: graph.RoleHost}, {Entity: "ZEM", Role: graph.RoleParticipant}},
			Evidence:     graph.Evidence{Text: sentence, Start: ss, End: se}, Confidence: 0.9}},
	}
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
