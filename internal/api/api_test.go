package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/graph/sqlite"
	"github.com/defgraph/defgraph/internal/api"
	"github.com/defgraph/defgraph/internal/extract"
	"github.com/defgraph/defgraph/internal/importer"
)

// repoRoot finds the folder holding go.mod.
func repoRoot(t testing.TB) string {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("go.mod not found above the test's folder")
		}
		dir = parent
	}
}

// server starts the API over a fresh SQLite file loaded from the sample
// corpus, and returns its base URL and store.
func server(t *testing.T) (string, graph.Store) {
	t.Helper()
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	ex, err := extract.New(extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := importer.Import(context.Background(), store, ex, []string{filepath.Join(repoRoot(t), "examples", "articles")}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sum.Failed) > 0 || sum.Imported < 10 {
		t.Fatalf("sample corpus import: %+v", sum)
	}
	srv := httptest.NewServer(api.New(store, api.Options{}).Handler())
	t.Cleanup(srv.Close)
	return srv.URL, store
}

// get fetches path and decodes the JSON answer into v, checking the status.
func get(t *testing.T, base, path string, want int, v any) {
	t.Helper()
	res, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		t.Fatalf("GET %s: status %d, want %d: %s", path, res.StatusCode, want, body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("GET %s: content type %q", path, ct)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: %v in %s", path, err, body)
		}
	}
}

type apiError struct {
	Error struct{ Code, Message string } `json:"error"`
}

func TestAPI(t *testing.T) {
	base, store := server(t)

	t.Run("healthz", func(t *testing.T) {
		var h struct{ Status string }
		get(t, base, "/healthz", 200, &h)
		if h.Status != "ok" {
			t.Fatalf("healthz: %+v", h)
		}
	})

	t.Run("search in three scripts", func(t *testing.T) {
		for _, q := range []string{"المغرب", "Maroc", "morocco", "MOROCCO", "باكستان", "Pakistan"} {
			var res struct {
				Query   string
				Results []graph.EntitySummary
			}
			get(t, base, "/api/v1/search?q="+url.QueryEscape(q), 200, &res)
			want := "MAR"
			if strings.Contains(strings.ToLower(q), "pak") || strings.Contains(q, "باكستان") {
				want = "PAK"
			}
			if len(res.Results) == 0 || res.Results[0].Key != want {
				t.Errorf("search %q: want %s first, got %+v", q, want, res.Results)
			}
		}
	})

	t.Run("entity", func(t *testing.T) {
		var e graph.EntityDetail
		get(t, base, "/api/v1/entities/MAR", 200, &e)
		if e.Type != graph.Country || e.Name != "Morocco" || e.Names["ar"] == "" || e.Names["fr"] == "" {
			t.Fatalf("MAR: %+v", e)
		}
		if e.Counts.Events < 3 || e.Counts.Articles < 3 {
			t.Fatalf("MAR counts: %+v", e.Counts)
		}
	})

	t.Run("neighbors", func(t *testing.T) {
		var g graph.Subgraph
		get(t, base, "/api/v1/entities/MAR/neighbors?depth=1", 200, &g)
		keys := map[string]graph.Node{}
		for _, n := range g.Nodes {
			keys[n.Key] = n
		}
		if _, ok := keys["MAR"]; !ok {
			t.Fatal("the root is not among the neighbors")
		}
		if _, ok := keys["PAK"]; !ok {
			t.Fatalf("PAK is not a neighbor of MAR: %d nodes", len(g.Nodes))
		}
		events := 0
		for _, n := range g.Nodes {
			if n.Kind == "event" {
				events++
			}
		}
		if events < 2 {
			t.Fatalf("only %d events around MAR", events)
		}
		for _, e := range g.Edges {
			if _, ok := keys[e.Source]; !ok {
				t.Errorf("edge from a node not in the subgraph: %+v", e)
			}
			if _, ok := keys[e.Target]; !ok {
				t.Errorf("edge to a node not in the subgraph: %+v", e)
			}
		}
		var g2 graph.Subgraph
		get(t, base, "/api/v1/entities/MAR/neighbors?depth=2", 200, &g2)
		if len(g2.Nodes) <= len(g.Nodes) {
			t.Errorf("depth 2 (%d nodes) is not larger than depth 1 (%d)", len(g2.Nodes), len(g.Nodes))
		}
		var g3 graph.Subgraph
		get(t, base, "/api/v1/entities/MAR/neighbors?depth=1&events=EXERCISE", 200, &g3)
		for _, n := range g3.Nodes {
			if n.Kind == "event" && n.Type != "EXERCISE" {
				t.Errorf("events=EXERCISE let through %+v", n)
			}
		}
	})

	t.Run("timeline", func(t *testing.T) {
		var tl struct {
			Entity, With string
			Events       []graph.EventDetail
		}
		get(t, base, "/api/v1/timeline?entity=MAR&with=PAK", 200, &tl)
		if len(tl.Events) < 3 {
			t.Fatalf("MAR–PAK timeline has %d events", len(tl.Events))
		}
		dates := []string{}
		for _, ev := range tl.Events {
			dates = append(dates, ev.Date)
		}
		if !datesOrdered(dates) {
			t.Fatalf("timeline not ordered by date (undated last): %v", dates)
		}
		var indus *graph.EventDetail
		for i, ev := range tl.Events {
			if ev.Subject != nil && ev.Subject.Key == "exercise:indus-shield" {
				indus = &tl.Events[i]
			}
			roles := map[string]bool{}
			for _, p := range ev.Participants {
				if p.Name == "" || p.Role == "" {
					t.Errorf("event %s: participant without name or role: %+v", ev.ID, p)
				}
				c := p.Entity
				if p.Country != "" {
					c = p.Country
				}
				roles[c] = true
			}
			if !roles["MAR"] || !roles["PAK"] {
				t.Errorf("event %s (%s) in the MAR–PAK timeline lacks one of them: %+v", ev.ID, ev.Type, ev.Participants)
			}
			if len(ev.Evidence) == 0 {
				t.Fatalf("event %s has no evidence", ev.ID)
			}
			for _, e := range ev.Evidence {
				var a graph.ArticleDetail
				get(t, base, "/api/v1/articles/"+url.PathEscape(e.Article.ID), 200, &a)
				if got := runeSlice(a.Text, e.Start, e.End); got != e.Text {
					t.Errorf("evidence of %s is not the text at [%d,%d) of %s: %q vs %q", ev.ID, e.Start, e.End, a.ID, e.Text, got)
				}
			}
		}
		if indus == nil {
			t.Fatalf("no Indus Shield event in the MAR–PAK timeline")
		}
		if indus.Type != graph.EventExercise || !strings.HasPrefix(indus.Date, "2023-10") {
			t.Errorf("Indus Shield event: %s on %q", indus.Type, indus.Date)
		}
		var organizer bool
		for _, p := range indus.Participants {
			if (p.Entity == "PAK" || p.Country == "PAK") && p.Role == graph.RoleOrganizer {
				organizer = true
			}
		}
		if !organizer {
			t.Errorf("Pakistan is not the organizer of Indus Shield: %+v", indus.Participants)
		}
	})

	t.Run("paths", func(t *testing.T) {
		var p graph.Path
		get(t, base, "/api/v1/paths?from=exercise:indus-shield&to=USA", 200, &p)
		if len(p.Nodes) < 3 || p.Nodes[0].Key != "exercise:indus-shield" || p.Nodes[len(p.Nodes)-1].Key != "USA" {
			t.Fatalf("path: %+v", p.Nodes)
		}
		if len(p.Edges) != len(p.Nodes)-1 {
			t.Fatalf("%d edges for %d nodes", len(p.Edges), len(p.Nodes))
		}
		for i, e := range p.Edges {
			a, b := p.Nodes[i].Key, p.Nodes[i+1].Key
			if !(e.Source == a && e.Target == b) && !(e.Source == b && e.Target == a) {
				t.Errorf("edge %d %s→%s does not join %s and %s", i, e.Source, e.Target, a, b)
			}
		}
	})

	t.Run("stats", func(t *testing.T) {
		var st graph.Stats
		get(t, base, "/api/v1/stats", 200, &st)
		if st.Articles < 10 || st.Entities[graph.Country] < 5 || st.Events[graph.EventExercise] < 3 {
			t.Fatalf("stats: %+v", st)
		}
	})

	t.Run("errors", func(t *testing.T) {
		for _, c := range []struct {
			path   string
			status int
			code   string
			says   string
		}{
			{"/api/v1/entities/XXX", 404, graph.ENOTFOUND, "XXX"},
			{"/api/v1/entities/XXX/neighbors", 404, graph.ENOTFOUND, "XXX"},
			{"/api/v1/timeline?entity=nope", 404, graph.ENOTFOUND, "nope"},
			{"/api/v1/paths?from=MAR&to=nope", 404, graph.ENOTFOUND, "nope"},
			{"/api/v1/articles/sha256:0000", 404, graph.ENOTFOUND, "sha256:0000"},
			{"/api/v1/no-such-route", 404, graph.ENOTFOUND, "no-such-route"},
			{"/api/v1/search", 400, graph.EINVALID, "q"},
			{"/api/v1/search?q=x&limit=abc", 400, graph.EINVALID, "limit"},
			{"/api/v1/entities/MAR/neighbors?depth=9", 400, graph.EINVALID, "depth"},
			{"/api/v1/entities/MAR/neighbors?types=Planet", 400, graph.EINVALID, "Planet"},
			{"/api/v1/timeline", 400, graph.EINVALID, "entity"},
			{"/api/v1/timeline?entity=MAR&from=last-year", 400, graph.EINVALID, "from"},
			{"/api/v1/paths?from=MAR", 400, graph.EINVALID, "to"},
		} {
			var e apiError
			get(t, base, c.path, c.status, &e)
			if e.Error.Code != c.code || !strings.Contains(e.Error.Message, c.says) {
				t.Errorf("GET %s: %+v, want code %s and a message naming %q", c.path, e.Error, c.code, c.says)
			}
		}
	})

	t.Run("import twice changes nothing", func(t *testing.T) {
		before, err := store.Stats(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		ex, _ := extract.New(extract.Options{})
		sum, err := importer.Import(context.Background(), store, ex, []string{filepath.Join(repoRoot(t), "examples", "articles")}, importer.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if sum.Imported != 0 || sum.Unchanged != sum.Read {
			t.Errorf("second import: %+v", sum)
		}
		after, _ := store.Stats(context.Background())
		if fmt.Sprint(before) != fmt.Sprint(after) {
			t.Errorf("stats changed: %+v → %+v", before, after)
		}
	})
}

// datesOrdered reports whether dated entries come in ascending order and
// undated ones after them.
func datesOrdered(dates []string) bool {
	var dated []string
	undated := false
	for _, d := range dates {
		if d == "" {
			undated = true
			continue
		}
		if undated {
			return false
		}
		dated = append(dated, d)
	}
	return sort.StringsAreSorted(dated)
}

func runeSlice(s string, start, end int) string {
	if !utf8.ValidString(s) {
		return ""
	}
	r := []rune(s)
	if start < 0 || end > len(r) || start > end {
		return ""
	}
	return string(r[start:end])
}
