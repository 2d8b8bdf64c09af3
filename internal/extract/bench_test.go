package extract_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/internal/article"
)

// corpusArticles reads the development corpus (testdata/gold), or the
// examples when it is absent.
func corpusArticles(tb testing.TB) []graph.Article {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		p := filepath.Dir(dir)
		if p == dir {
			tb.Skip("go.mod not found")
		}
		dir = p
	}
	var arts []graph.Article
	for _, sub := range []string{"testdata/gold", "examples/articles"} {
		files, _ := filepath.Glob(filepath.Join(dir, sub, "*.txt"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			a, err := article.Parse(f, data)
			if err != nil {
				tb.Fatal(err)
			}
			arts = append(arts, a)
		}
		if len(arts) > 0 {
			break
		}
	}
	if len(arts) == 0 {
		tb.Skip("no corpus")
	}
	return arts
}

// BenchmarkExtractCorpus extracts the whole development corpus per
// iteration and reports MB/s (b.SetBytes), articles/s and allocations.
// With -cpu 1 the figures are per core:
//
//	go test ./internal/extract/ -run '^$' -bench ExtractCorpus -benchmem -cpu 1
func BenchmarkExtractCorpus(b *testing.B) {
	ex := extractor(b)
	arts := corpusArticles(b)
	size := 0
	for _, a := range arts {
		size += len(a.Text)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		for _, a := range arts {
			if _, err := ex.Extract(a); err != nil {
				b.Fatal(err)
			}
		}
	}
	if s := time.Since(start).Seconds(); s > 0 {
		b.ReportMetric(float64(b.N*len(arts))/s, "articles/s")
	}
}
