package corpusgen

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/internal/extract"
)

func TestDeterministicAndDistinct(t *testing.T) {
	var a, b bytes.Buffer
	if err := New(7).WriteJSONL(&a, 50); err != nil {
		t.Fatal(err)
	}
	New(7).WriteJSONL(&b, 50)
	if a.String() != b.String() {
		t.Fatal("the same seed gave two corpora")
	}
	urls := map[string]bool{}
	langs := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(a.String()), "\n") {
		var art Article
		if err := json.Unmarshal([]byte(line), &art); err != nil {
			t.Fatal(err)
		}
		if urls[art.URL] || art.Text == "" || !graph.ValidDate(art.Published) {
			t.Fatalf("bad article %+v", art)
		}
		urls[art.URL] = true
		langs[art.Language]++
	}
	if langs["ar"] < 16 || langs["en"] < 16 || langs["fr"] < 16 {
		t.Fatalf("languages: %v", langs)
	}
}

// The articles read as news to the extractor: nearly every one yields an
// event between at least two countries.
func TestExtractable(t *testing.T) {
	ex, err := extract.New(extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := New(1)
	withEvent := map[string]int{}
	for i := 0; i < 150; i++ {
		art := g.Article(i)
		x, err := ex.Extract(graph.Article{ID: graph.ArticleID(art.URL, art.Text), URL: art.URL, Title: art.Title,
			Published: art.Published, Language: art.Language, Text: art.Text})
		if err != nil {
			t.Fatalf("article %d: %v", i, err)
		}
		countries := 0
		for _, e := range x.Entities {
			if e.Type == graph.Country {
				countries++
			}
		}
		if len(x.Events) > 0 && countries >= 2 {
			withEvent[art.Language]++
		}
	}
	for _, l := range []string{"ar", "en", "fr"} {
		if withEvent[l] < 40 { // of 50
			t.Errorf("%s: only %d of 50 generated articles give an event between two countries", l, withEvent[l])
		}
	}
}
