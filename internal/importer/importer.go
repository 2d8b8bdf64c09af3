// Package importer reads articles from files and folders, extracts them
// and writes the results to a graph.Store in batches: a streaming reader,
// a pool of extraction workers and one batching writer, so memory stays
// bounded by the batch size whatever the size of the corpus.
package importer

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/internal/article"
)

// Extractor turns an article into an extraction (internal/extract).
type Extractor interface {
	Extract(a graph.Article) (graph.Extraction, error)
}

// Options tune an import.
type Options struct {
	Workers   int // extraction workers; 0: one per core
	BatchSize int // articles per store write; 0: 200
	// Published is the publication date given to articles that carry none.
	Published string
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

// Extensions are the file kinds read from folders.
var Extensions = []string{".txt", ".md", ".jsonl"}

// item is one unit flowing through the pipeline.
type item struct {
	source string
	line   int
	art    graph.Article
	pre    *graph.Extraction // already extracted (a JSON line of `defgraph extract`)
	err    error
}

// Import reads every path (a file, or a folder walked recursively for
// Extensions, skipping README files and hidden entries), extracts each
// article and writes the results. Bad items are recorded in
// Summary.Failed and never stop the others; the error is non-nil only for
// a path that cannot be read at all or a failing store.
func Import(ctx context.Context, store graph.Store, ex Extractor, paths []string, opts Options) (Summary, error) {
	start := time.Now()
	if opts.Workers <= 0 {
		opts.Workers = runtime.GOMAXPROCS(0)
	}
	if opts.BatchSize <= 0 {
		opts.BatchSize = 200
	}
	files, err := listFiles(paths)
	if err != nil {
		return Summary{}, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	items := make(chan item, opts.BatchSize)
	results := make(chan item, opts.BatchSize)
	var readErr error
	go func() {
		defer close(items)
		for _, f := range files {
			if err := readFile(ctx, f, opts.Published, items); err != nil {
				readErr = err
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < opts.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for it := range items {
				if it.err == nil && it.pre == nil {
					x, err := extractSafely(ex, it.art)
					if err != nil {
						it.err = err
					} else {
						it.pre = &x
					}
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
		} else if res, err = store.Write(ctx, batch); err != nil {
			return err
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

func listFiles(paths []string) ([]string, error) {
	if len(paths) == 0 {
		return nil, graph.Errorf(graph.EINVALID, "no path to import")
	}
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, graph.Errorf(graph.EINVALID, "%s: %v", p, unwrapPathErr(err))
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if path != p && strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || strings.HasPrefix(strings.ToUpper(name), "README") {
				return nil
			}
			ext := strings.ToLower(filepath.Ext(name))
			for _, e := range Extensions {
				if ext == e {
					out = append(out, path)
				}
			}
			return nil
		})
		if err != nil {
			return nil, graph.Errorf(graph.EINVALID, "%s: %v", p, unwrapPathErr(err))
		}
	}
	return out, nil
}

func unwrapPathErr(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// readFile sends the items of one file: one article for .txt/.md, one per
// non-empty line for .jsonl. An unreadable file is one failed item.
func readFile(ctx context.Context, name string, published string, out chan<- item) error {
	send := func(it item) error {
		select {
		case out <- it:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if strings.ToLower(filepath.Ext(name)) == ".jsonl" {
		return readJSONL(name, published, send)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return send(item{source: name, err: graph.Errorf(graph.EINVALID, "%s: %v", name, unwrapPathErr(err))})
	}
	a, err := article.Parse(name, data)
	if a.Published == "" {
		a.Published = published
	}
	return send(item{source: name, art: a, err: err})
}

// Line is one line of a .jsonl file: an article, or an extraction as
// `defgraph extract` prints it (with "article" and "entities").
type Line struct {
	URL       string         `json:"url"`
	Title     string         `json:"title"`
	Published string         `json:"published"`
	Language  string         `json:"language"`
	Text      string         `json:"text"`
	Article   *graph.Article `json:"article"`
	Entities  []graph.Entity `json:"entities"`
	Events    []graph.Event  `json:"events"`
}

func readJSONL(name, published string, send func(item) error) error {
	f, err := os.Open(name)
	if err != nil {
		return send(item{source: name, err: graph.Errorf(graph.EINVALID, "%s: %v", name, unwrapPathErr(err))})
	}
	defer f.Close()
	r := bufio.NewReaderSize(f, 1<<16)
	for n := 1; ; n++ {
		raw, err := readLine(r, article.MaxSize)
		if len(bytes.TrimSpace(raw)) > 0 || err == errLineTooLong {
			it := item{source: name, line: n}
			if err == errLineTooLong {
				it.err = graph.Errorf(graph.EINVALID, "%s:%d: line longer than %d bytes", name, n, article.MaxSize)
			} else {
				it.art, it.pre, it.err = parseLine(name, n, raw, published)
			}
			if e := send(it); e != nil {
				return e
			}
		}
		if err != nil && err != errLineTooLong {
			return nil
		}
	}
}

var errLineTooLong = fmt.Errorf("line too long")

// readLine reads one line of at most max bytes; a longer line is consumed
// and reported as errLineTooLong. At the end of the input it returns the
// last line and a non-nil error.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(buf)+len(chunk) > max {
			for err == bufio.ErrBufferFull {
				_, err = r.ReadSlice('\n')
			}
			if err != nil {
				return nil, err
			}
			return nil, errLineTooLong
		}
		buf = append(buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		return buf, err
	}
}

func parseLine(name string, n int, raw []byte, published string) (graph.Article, *graph.Extraction, error) {
	var l Line
	where := fmt.Sprintf("%s:%d", name, n)
	if err := json.Unmarshal(raw, &l); err != nil {
		return graph.Article{}, nil, graph.Errorf(graph.EINVALID, "%s: malformed JSON: %v", where, err)
	}
	if l.Article != nil && (l.Entities != nil || l.Events != nil) {
		x := graph.Extraction{Article: *l.Article, Entities: l.Entities, Events: l.Events}
		if x.Article.Source == "" {
			x.Article.Source = where
		}
		if x.Article.ID == "" {
			x.Article.ID = graph.ArticleID(x.Article.URL, x.Article.Text)
		}
		return graph.Article{}, &x, nil
	}
	a, err := article.Parse(where, []byte(l.Text))
	if err != nil {
		return a, nil, err
	}
	pub, err := article.NormalizeDate(l.Published)
	if err != nil {
		return a, nil, graph.Errorf(graph.EINVALID, "%s: published: %v", where, err)
	}
	if pub == "" {
		pub = published
	}
	a.URL, a.Published = l.URL, pub
	if l.Title != "" {
		a.Title = l.Title
	}
	if l.Language != "" {
		a.Language = strings.ToLower(l.Language)
	}
	a.ID = graph.ArticleID(a.URL, a.Text)
	return a, nil, nil
}

// CountItems returns how many items Import would read from paths: one per
// article file and one per non-empty line of a .jsonl file. It reads the
// .jsonl files once, in blocks, to count their lines.
func CountItems(paths []string) (int, error) {
	files, err := listFiles(paths)
	if err != nil {
		return 0, err
	}
	n := 0
	buf := make([]byte, 1<<20)
	for _, f := range files {
		if strings.ToLower(filepath.Ext(f)) != ".jsonl" {
			n++
			continue
		}
		fh, err := os.Open(f)
		if err != nil {
			n++
			continue
		}
		lineHasText := false
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
		fh.Close()
	}
	return n, nil
}
