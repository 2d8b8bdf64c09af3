package extract_test

import (
	"testing"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/internal/extract"
)

// TestUserGazetteer loads the example user gazetteer (testdata/
// user-gazetteer.tsv, documented in docs/extraction.md) and finds its
// exercise, exhibition, organization, place and country alias in the three
// languages.
func TestUserGazetteer(t *testing.T) {
	ex, err := extract.New(extract.Options{GazetteerPath: "testdata/user-gazetteer.tsv"})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		lang, text string
		want       []string
		year       int
	}{
		{"en", "Niger and Chad took part in Sahel Shield 2024 near Agadez, alongside the Cherifian Kingdom.",
			[]string{"exercise:sahel-shield", "place:NER:agadez", "MAR", "NER", "TCD"}, 2024},
		{"ar", "شاركت القوات المسلحة الملكية في تمرين «درع الساحل» لسنة 2024 بأغاديس، بحضور قيادة المنطقة الجنوبية.",
			[]string{"exercise:sahel-shield", "place:NER:agadez", "org:MAR:southern-zone", "MAR"}, 2024},
		{"fr", "Le Maroc participe au Salon de la défense de Nouakchott, où Sahel Drones expose ses appareils.",
			[]string{"exhibition:defense-expo-nouakchott", "org:sahel-drones", "MAR"}, 0},
		{"en", "Pakistan held exercise Zilzal-2025 with Turkey.", []string{"exercise:zilzal", "PAK", "TUR"}, 2025},
	}
	for _, c := range cases {
		x, err := ex.Extract(graph.Article{ID: "user", Text: c.text, Language: c.lang, Published: "2024-05-01"})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]graph.Entity{}
		for _, e := range x.Entities {
			got[e.Key] = e
		}
		for _, k := range c.want {
			if _, ok := got[k]; !ok {
				t.Errorf("%s: %q: no entity %s in %v", c.lang, c.text, k, keysOf(x.Entities))
			}
		}
		if c.year != 0 {
			found := false
			for _, e := range x.Entities {
				if (e.Type == graph.Exercise || e.Type == graph.Exhibition) && e.Year == c.year {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: %q: no edition %d", c.lang, c.text, c.year)
			}
		}
	}
	// an ambiguous user name needs its cue
	x, err := ex.Extract(graph.Article{ID: "user", Text: "A zilzal (earthquake) hit the region.", Language: "en"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range x.Entities {
		if e.Key == "exercise:zilzal" {
			t.Errorf("ambiguous name matched without a cue")
		}
	}
	if _, err := extract.New(extract.Options{GazetteerPath: "testdata/missing.tsv"}); graph.ErrorCode(err) != graph.EINVALID {
		t.Errorf("missing user gazetteer: %v, want EINVALID", err)
	}
}

func keysOf(es []graph.Entity) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Key)
	}
	return out
}
