// Package importer reads articles (internal/source: files, folders, URLs,
// feeds, standard input), extracts them and writes the results to a
// graph.Store in batches: a streaming reader, a pool of extraction workers
// and one batching writer, joined by bounded channels, so memory stays
// bounded by the batch size whatever the size of the corpus.
package importer

import (
	"context"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/internal/source"
)

// Extractor turns an article into an extraction (internal/extract).
type Extractor interface {
	Extract(a graph.Article) (graph.Extraction, error)
}

// Options tune an import.
type Options struct {
	Workers   int // extraction workers; 0: one per core
	BatchSize int // articles per store write; 0: 2500
	// Published is the publication date given to articles that carry none.
	Published string
	// Stdin is read for the path "-" (default os.Stdin).
	Stdin io.Reader
	// DryRun extracts every article but writes nothing: the bare
	// extraction rate, for benchmarks. Imported then counts the articles
	// extracted, Entities and Events what they hold.
	DryRun bool
	// OnProgress, when set, is called with the running totals after every
	// batch is written (from the writer's goroutine; keep it quick).
	OnProgress func(Summary)
}

// Failure is an item that was skipped or failed, with where it came from.
type Failure struct {
	Source string `json:"source"`
	Line   int    `json:"line,omitempty"`
	Reason string `json:"reason"`
}

// Summary reports what an import did.
type Summary struct {
	Read      int           `json:"read"`      // items read (articles, lines)
	Imported  int           `json:"imported"`  // articles written, new or changed
	Unchanged int           `json:"unchanged"` // articles already stored as they are
	Failed    []Failure     `json:"failed,omitempty"`
	Entities  int           `json:"entities"`
	Events    int           `json:"events"`
	Elapsed   time.Duration `json:"elapsed"`
}

// item is one unit flowing through the pipeline.
type item struct {
	source string
	line   int
	art    graph.Article
	pre    *graph.Extraction // already extracted (a JSON line of `defgraph extract`)
	prep   graph.Prepared    // pre as the store prepared it, when it is a graph.Preparer
	err    error
}

// Import reads every path as source.Read does (a file, a folder walked
// recursively for source.Extensions skipping README files and hidden
// entries, an http(s) URL or feed, "-" for standard input), extracts each
// article and writes the results. Bad items are recorded in
// Summary.Failed and never stop the others; the error is non-nil only for
// a path that cannot be read at all or a failing store.
func Import(ctx context.Context, store graph.Store, ex Extractor, paths []string, opts Options) (Summary, error) {
	start := time.Now()
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 2500
	}
	if _, err := source.Count(paths); err != nil {
		return Summary{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// items only keeps the workers fed; results holds the next batch while
	// the writer writes the last one.
	items := make(chan item, 4*opts.Workers)
	results := make(chan item, opts.BatchSize)
	// cores holds a token per core: a worker holds one while it extracts
	// an article and the writer one while it writes a batch, so that the
	// writer, the one stage that cannot be spread over cores, always has a
	// core to itself instead of a third of two.
	cores := make(chan struct{}, max(runtime.GOMAXPROCS(0), 1))
	var readErr error
	go func() {
		defer close(items)
		readErr = source.Read(ctx, paths, source.Options{Published: opts.Published, Stdin: opts.Stdin}, func(si source.Item) error {
			it := item{source: si.Source, line: si.Line, art: si.Article, pre: si.Extraction, err: si.Err}
			select {
			case items <- it:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	// A store that prepares its writes has them prepared by the workers.
	preparer, _ := store.(graph.Preparer)
	if opts.DryRun {
		preparer = nil
	}
	var wg sync.WaitGroup
	for i := 0; i < opts.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range items {
				if it.err == nil {
					cores <- struct{}{}
					if it.pre == nil {
						x, err := extractSafely(ex, it.art)
						if err != nil {
							it.err = err
						} else {
							it.pre = &x
						}
					}
					if it.pre != nil && preparer != nil {
						it.prep = preparer.Prepare(it.pre)
					}
					<-cores
				}
				select {
				case results <- it:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()

	var sum Summary
	batch := make([]graph.Extraction, 0, opts.BatchSize)
	var prepared []graph.Prepared // batch, prepared, when the store is a Preparer
	sources := map[string]item{}
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		var res graph.WriteResult
		var err error
		if opts.DryRun {
			res.Written = len(batch)
			for _, x := range batch {
				res.Entities += len(x.Entities)
				res.Events += len(x.Events)
			}
		} else {
			cores <- struct{}{}
			if preparer != nil {
				res, err = preparer.WritePrepared(ctx, prepared)
			} else {
				res, err = store.Write(ctx, batch)
			}
			<-cores
			if err != nil {
				return err
			}
		}
		sum.Imported += res.Written
		sum.Unchanged += res.Unchanged
		sum.Entities += res.Entities
		sum.Events += res.Events
		for _, f := range res.Failed {
			it := sources[f.Article]
			sum.Failed = append(sum.Failed, Failure{Source: it.source, Line: it.line, Reason: f.Reason})
		}
		batch = batch[:0]
		clear(prepared)
		prepared = prepared[:0]
		clear(sources)
		if opts.OnProgress != nil {
			sum.Elapsed = time.Since(start)
			opts.OnProgress(sum)
		}
		return nil
	}
	for it := range results {
		sum.Read++
		if it.err != nil {
			sum.Failed = append(sum.Failed, Failure{Source: it.source, Line: it.line, Reason: graph.ErrorMessage(it.err)})
			continue
		}
		batch = append(batch, *it.pre)
		if it.prep != nil {
			prepared = append(prepared, it.prep)
		}
		sources[it.pre.Article.ID] = it
		if len(batch) >= opts.BatchSize {
			if err := flush(); err != nil {
				cancel()
				return sum, err
			}
		}
	}
	if err := flush(); err != nil {
		return sum, err
	}
	if readErr != nil {
		return sum, readErr
	}
	sort.SliceStable(sum.Failed, func(i, j int) bool {
		if sum.Failed[i].Source != sum.Failed[j].Source {
			return sum.Failed[i].Source < sum.Failed[j].Source
		}
		return sum.Failed[i].Line < sum.Failed[j].Line
	})
	sum.Elapsed = time.Since(start)
	return sum, ctx.Err()
}

// extractSafely runs the extractor and turns a panic into an error, so one
// bad article never takes the import down.
func extractSafely(ex Extractor, a graph.Article) (x graph.Extraction, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = graph.Errorf(graph.EINTERNAL, "%s: extractor failed: %v", a.Source, r)
		}
	}()
	return ex.Extract(a)
}

// CountItems returns about how many items Import will read from paths,
// for progress totals: one per file, URL or standard input, and one per
// non-empty line of a .jsonl file (read once, in blocks, to count them). A
// bad path is an EINVALID error naming it.
func CountItems(paths []string) (int, error) {
	n, err := source.Count(paths)
	if err != nil {
		return 0, err
	}
	for _, p := range paths {
		walkJSONL(p, func(f string) { n += countLines(f) - 1 })
	}
	return n, nil
}

// walkJSONL calls fn for every .jsonl file under p (a file or folder).
func walkJSONL(p string, fn func(string)) {
	filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && path != p && strings.HasPrefix(d.Name(), ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.EqualFold(filepath.Ext(path), ".jsonl") && !strings.HasPrefix(d.Name(), ".") {
			fn(path)
		}
		return nil
	})
}

// countLines counts the non-empty lines of a file.
func countLines(name string) int {
	fh, err := os.Open(name)
	if err != nil {
		return 1
	}
	defer fh.Close()
	n := 0
	lineHasText := false
	buf := make([]byte, 1<<20)
	for {
		k, err := fh.Read(buf)
		for _, c := range buf[:k] {
			switch c {
			case '\n':
				if lineHasText {
					n++
				}
				lineHasText = false
			case ' ', '\t', '\r':
			default:
				lineHasText = true
			}
		}
		if err != nil {
			break
		}
	}
	if lineHasText {
		n++
	}
	return n
}
