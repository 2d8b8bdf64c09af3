package extract_test

import (
	"strings"
	"testing"
	"time"

	"github.com/defgraph/defgraph/graph"
)

// TestLongListIsFast guards against super-linear clause handling: one
// sentence listing a thousand countries is read in well under a second.
func TestLongListIsFast(t *testing.T) {
	ex := extractor(t)
	for _, text := range []string{
		"The exercise African Lion 2024 brought together " + strings.Repeat("Morocco, Tunisia, Senegal and Ghana, ", 250) + "organized by the US Army.",
		"African Lion 2024 began on Monday. " + strings.Repeat("Morocco, Tunisia, Senegal, Ghana, ", 150) + "and Chad.",
		"شارك في تمرين الأسد الإفريقي 2024 كل من " + strings.Repeat("المغرب وتونس والسنغال وغانا و", 250) + "الولايات المتحدة.",
	} {
		start := time.Now()
		if _, err := ex.Extract(graph.Article{ID: "long", Text: text, Published: "2024-05-01"}); err != nil {
			t.Fatal(err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%d runes took %v", len([]rune(text)), d)
		}
	}
}
