package importer_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/sqlite"
	"github.com/defgraph/defgraph/internal/extract"
	"github.com/defgraph/defgraph/internal/importer"
)

const english = `URL: https://example.org/test/indus
TITLE: Moroccan airmen back from Pakistan
DATE: 2023-11-02
LANG: en
---
The Royal Moroccan Armed Forces took part in the multinational exercise Indus Shield 2023, organized by the Pakistan Air Force in October 2023.
`

const french = `Les Forces Armées Royales ont participé en octobre 2023 à l'exercice Indus Shield 2023, organisé par l'armée de l'air pakistanaise.
`

func setup(t *testing.T) (graph.Store, *extract.Extractor, string) {
	t.Helper()
	dir := t.TempDir()
	store, err := sqlite.Open(filepath.Join(dir, "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ex, err := extract.New(extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(filepath.Join(in, "sub", ".hidden"), 0o755); err != nil {
		t.Fatal(err)
	}
	return store, ex, in
}

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestImportFolderAndBadInput(t *testing.T) {
	store, ex, in := setup(t)
	write(t, filepath.Join(in, "a.txt"), english)
	write(t, filepath.Join(in, "sub", "b.md"), french)
	write(t, filepath.Join(in, "sub", ".hidden", "c.txt"), english+"hidden")
	write(t, filepath.Join(in, "README.md"), "# not an article")
	write(t, filepath.Join(in, "notes.csv"), "not,read")
	write(t, filepath.Join(in, "empty.txt"), "  \n")
	write(t, filepath.Join(in, "binary.txt"), "abc\x00\x01def")
	write(t, filepath.Join(in, "latin1.txt"), "caf\xe9 au Maroc")
	line, _ := json.Marshal(map[string]string{"url": "https://example.org/test/jsonl", "title": "T", "published": "2023-11-03",
		"language": "en", "text": "Pakistan and Morocco held a joint counter-terrorism exercise in 2021."})
	write(t, filepath.Join(in, "feed.jsonl"), string(line)+"\n{not json\n\n"+`{"text": ""}`+"\n")

	sum, err := importer.Import(context.Background(), store, ex, []string{in}, importer.Options{BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Read != 8 || sum.Imported != 3 || len(sum.Failed) != 5 {
		t.Fatalf("summary: %+v", sum)
	}
	reasons := map[string]string{}
	for _, f := range sum.Failed {
		key := filepath.Base(f.Source)
		if f.Line > 0 {
			key += ":" + string(rune('0'+f.Line))
		}
		reasons[key] = f.Reason
	}
	for key, want := range map[string]string{
		"empty.txt":    "empty",
		"binary.txt":   "binary",
		"latin1.txt":   "UTF-8",
		"feed.jsonl:2": "malformed JSON",
		"feed.jsonl:4": "empty",
	} {
		if !strings.Contains(reasons[key], want) {
			t.Errorf("%s: reason %q does not say %q (all: %v)", key, reasons[key], want, reasons)
		}
	}
	st, err := store.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.Articles != 3 {
		t.Fatalf("%d articles stored, want 3", st.Articles)
	}
	tl, err := store.Timeline(context.Background(), graph.TimelineQuery{Entity: "MAR", With: "PAK"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tl) < 2 {
		t.Fatalf("MAR–PAK timeline after import: %d events", len(tl))
	}

	again, err := importer.Import(context.Background(), store, ex, []string{in}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if again.Imported != 0 || again.Unchanged != 3 {
		t.Fatalf("second import: %+v", again)
	}
	st2, _ := store.Stats(context.Background())
	if st2.Links != st.Links || st2.Articles != st.Articles {
		t.Fatalf("second import changed the graph: %+v → %+v", st, st2)
	}
}

func TestImportPreExtractedLines(t *testing.T) {
	store, ex, in := setup(t)
	src := filepath.Join(in, "a.txt")
	write(t, src, english)
	// defgraph extract's output is a valid import input.
	sum, err := importer.Import(context.Background(), store, ex, []string{src}, importer.Options{})
	if err != nil || sum.Imported != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
	a, err := store.Timeline(context.Background(), graph.TimelineQuery{Entity: "MAR"})
	if err != nil || len(a) == 0 {
		t.Fatalf("timeline: %v %v", a, err)
	}
	art, err := store.Article(context.Background(), a[0].Evidence[0].Article.ID)
	if err != nil {
		t.Fatal(err)
	}
	x, err := ex.Extract(art.Article)
	if err != nil {
		t.Fatal(err)
	}
	x.Article.URL = "https://example.org/test/pre-extracted"
	x.Article.ID = ""
	line, _ := json.Marshal(x)
	jl := filepath.Join(in, "pre.jsonl")
	write(t, jl, string(line)+"\n")
	sum, err = importer.Import(context.Background(), store, ex, []string{jl}, importer.Options{})
	if err != nil || sum.Imported != 1 || len(sum.Failed) != 0 {
		t.Fatalf("pre-extracted line: %+v %v", sum, err)
	}
}

func TestImportMissingPath(t *testing.T) {
	store, ex, in := setup(t)
	_, err := importer.Import(context.Background(), store, ex, []string{filepath.Join(in, "nope")}, importer.Options{})
	if graph.ErrorCode(err) != graph.EINVALID || !strings.Contains(err.Error(), "nope") {
		t.Fatalf("missing path: %v", err)
	}
}

// Every kind of source in one run, with bad items beside good ones: the
// good ones are all imported, each bad one is reported with its reason.
func TestImportEverySourceAndBadInput(t *testing.T) {
	store, ex, in := setup(t)
	page := `<!doctype html><html lang="en"><head><title>Moroccan airmen at Indus Shield</title>
<link rel="canonical" href="https://example.org/test/page">
<meta property="article:published_time" content="2023-11-05T08:00:00Z"></head>
<body><nav>Home | World</nav><article><h1>Moroccan airmen at Indus Shield</h1>
<p>The Royal Moroccan Armed Forces took part in the multinational exercise Indus Shield 2023, organized by the Pakistan Air Force in October 2023.</p>
<p>The drills brought together air crews from several countries over two weeks, the organizers said in a statement.</p></article>
<script>alert("x")</script></body></html>`
	write(t, filepath.Join(in, "page.html"), page)
	write(t, filepath.Join(in, "scripts.html"), `<html><body><script>var a = 1;</script><script>document.write("x")</script></body></html>`)
	feed := `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title><language>fr</language>
<item><title>Accord</title><link>https://example.org/test/feed-1</link><pubDate>Thu, 25 Nov 2021 10:00:00 GMT</pubDate>
<description>Le Maroc et Israël ont signé mercredi 24 novembre 2021 à Rabat un protocole d'accord de coopération sécuritaire.</description></item>
</channel></rss>`
	write(t, filepath.Join(in, "feed.xml"), feed)
	big := filepath.Join(in, "huge.txt")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	f.Truncate(51 << 20) // a 51 MB (sparse) file
	f.Close()

	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, strings.ReplaceAll(page, "https://example.org/test/page", "https://example.org/test/url"))
	}))
	defer srv.Close()
	stdin := strings.NewReader(`{"url":"https://example.org/test/stdin","published":"2021-06-01","language":"en","text":"Egypt and the United States opened the Bright Star exercise in September 2021."}` + "\n")

	sum, err := importer.Import(context.Background(), store, ex, []string{in, srv.URL + "/article", "-"}, importer.Options{Stdin: stdin})
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, f := range sum.Failed {
		reasons[filepath.Base(f.Source)] = f.Reason
	}
	if sum.Imported != 4 || len(sum.Failed) != 2 || !strings.Contains(reasons["scripts.html"], "no article text") ||
		!strings.Contains(reasons["huge.txt"], "limit") {
		t.Fatalf("summary %+v", sum)
	}
	for _, id := range []string{"https://example.org/test/page", "https://example.org/test/url", "https://example.org/test/feed-1", "https://example.org/test/stdin"} {
		a, err := store.Article(context.Background(), graph.ArticleID(id, ""))
		if err != nil {
			t.Errorf("%s: %v", id, err)
			continue
		}
		if strings.Contains(a.Text, "<") || strings.Contains(a.Text, "alert") {
			t.Errorf("%s: markup or script in the text: %q", id, a.Text)
		}
		if a.Published == "" {
			t.Errorf("%s: no publication date", id)
		}
	}
}
