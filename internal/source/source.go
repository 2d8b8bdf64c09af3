// Package source turns import specs — files, folders, http(s) URLs and
// standard input — into a stream of articles, one Item at a time, for the
// importer. It only reads: extraction and storage happen elsewhere.
//
// What is read, and with what:
//
//   - .txt and .md files: internal/article.Parse (the optional URL:, TITLE:,
//     DATE:, LANG: header of extraction-spec §4; size, empty, binary and
//     UTF-8 checks).
//   - .jsonl files: one article per line, streamed with bufio so memory
//     stays bounded by the longest line, never by the file. A line has
//     "url", "title", "published", "language" and either "text" or "html";
//     a line printed by `defgraph extract` (with "article" and "entities")
//     is passed on as an extraction.
//   - .html and .htm files and HTML pages: the charset is decoded with
//     golang.org/x/net/html/charset (BOM, Content-Type, <meta charset>;
//     golang.org/x/text encodings, so windows-1256 and ISO-8859-6 Arabic
//     pages decode), the page is parsed with golang.org/x/net/html, the
//     main text is found by codeberg.org/readeck/go-readability/v2 and
//     rendered as plain text, one paragraph per block, paragraphs separated
//     by a blank line. The canonical URL, publication date and language are
//     read from the page's own tags (<link rel=canonical>, og:url,
//     article:published_time, JSON-LD datePublished, <time datetime>,
//     <html lang>, og:locale), with readability's metadata as a fallback.
//   - .xml, .rss and .atom files and feed URLs: github.com/mmcdole/gofeed,
//     one article per entry, its text from the entry's content or
//     description with the HTML stripped.
//   - http(s) URLs: fetched with net/http; the Content-Type (and, when it
//     is vague, the body) decides between HTML page, feed, JSON Lines and
//     plain text.
//   - "-": standard input, JSON Lines when its first non-space byte is '{',
//     else one text article.
//
// Text taken from HTML never carries markup: scripts, styles and tags are
// dropped, and text that still looks like markup after one pass (feeds
// that escape their HTML twice) is stripped again.
//
// Every article gets its ID from graph.ArticleID: the hash of its URL (the
// page's canonical URL when it names one) when it has one, else of its
// text.
package source

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/internal/article"
)

// Item is one article read, or one that could not be read.
type Item struct {
	// Source is the file path, URL or "-" (standard input) the item comes
	// from; for a feed entry, the feed's path or URL.
	Source string
	// Line is the 1-based line of a .jsonl input, or the 1-based index of
	// an entry in a feed; 0 otherwise.
	Line int
	// Article is the article read, with its ID and a readable Source
	// ("file", "file:12", "feed.xml item 3", "stdin:2").
	Article graph.Article
	// Extraction is set instead of Article when a JSON line already is an
	// extraction (a line of `defgraph extract`).
	Extraction *graph.Extraction
	// Err is set when the item could not be read: an EINVALID error naming
	// the item and the reason. Article and Extraction are then unset or
	// partial; the item is to be skipped, and the run goes on.
	Err error
}

// Options tune Read. The zero value is ready to use.
type Options struct {
	// Published is the publication date (YYYY-MM-DD) given to articles
	// that carry none.
	Published string
	// MaxBytes is the size of the largest file, download or JSON line read
	// into memory; 0 means DefaultMaxBytes. A bigger one is one failed item
	// and is never read into memory. A .jsonl file is streamed, so the
	// limit applies to each of its lines, not to the file. Article bodies
	// are limited further by article.MaxSize.
	MaxBytes int64
	// HTTPClient fetches URLs; nil means a client with a 30-second timeout.
	HTTPClient *http.Client
	// Stdin is read for the spec "-"; nil means os.Stdin.
	Stdin io.Reader
	// Skip, when set, is asked about every file path and URL before it is
	// read; returning true skips it without any item (to resume an
	// interrupted import). It is not asked about standard input.
	Skip func(source string) bool
}

// DefaultMaxBytes is the default Options.MaxBytes: 50 MiB.
const DefaultMaxBytes = 50 << 20

// Extensions are the kinds of file read from folders. A file named on
// its own is read whatever its name: by its extension when it is one of
// these, else by its content.
var Extensions = []string{".txt", ".md", ".jsonl", ".html", ".htm", ".xml", ".rss", ".atom"}

// Read expands every spec — a file, a folder (walked recursively, in
// name order, skipping hidden entries, README files and files whose
// extension is not in Extensions), an http(s) URL, or "-" for standard
// input — and calls fn for each item read, in a deterministic order:
// specs in the order given, folder entries sorted, lines and feed entries
// in their order.
//
// A spec that does not exist or cannot be listed is an EINVALID error
// returned before anything is read. A file, URL, line or entry that
// cannot be read is an item with Err set, and the run goes on. An error
// returned by fn stops the run and is returned, as is the context's error
// when ctx is done.
func Read(ctx context.Context, specs []string, opts Options, fn func(Item) error) error {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = DefaultMaxBytes
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = &http.Client{Timeout: 30 * time.Second}
	}
	if opts.Stdin == nil {
		opts.Stdin = os.Stdin
	}
	pub, err := article.NormalizeDate(opts.Published)
	if err != nil {
		return graph.Errorf(graph.EINVALID, "publication date: %v", err)
	}
	opts.Published = pub
	inputs, err := expand(specs)
	if err != nil {
		return err
	}
	r := &reader{ctx: ctx, opts: opts, fn: fn}
	for _, in := range inputs {
		if err := ctx.Err(); err != nil {
			return err
		}
		if in.kind != inStdin && opts.Skip != nil && opts.Skip(in.name) {
			continue
		}
		var err error
		switch in.kind {
		case inStdin:
			err = r.readStdin()
		case inURL:
			err = r.readURL(in.name)
		default:
			err = r.readFile(in.name)
		}
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}

// Count returns the number of files and URLs (and standard input) that
// Read would read from specs, for a progress total: a .jsonl file or a
// feed counts once, however many articles it holds. It fails as Read does
// on a spec that does not exist or cannot be listed.
func Count(specs []string) (int, error) {
	inputs, err := expand(specs)
	return len(inputs), err
}

type inputKind int

const (
	inFile inputKind = iota
	inURL
	inStdin
)

type input struct {
	kind inputKind
	name string
}

// isURL reports whether spec is an http(s) URL.
func isURL(spec string) bool {
	lower := strings.ToLower(spec)
	return strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://")
}

// expand turns specs into the list of inputs to read, listing folders.
func expand(specs []string) ([]input, error) {
	if len(specs) == 0 {
		return nil, graph.Errorf(graph.EINVALID, "nothing to import: no file, folder or URL given")
	}
	var out []input
	stdin := false
	for _, spec := range specs {
		switch {
		case strings.TrimSpace(spec) == "":
			return nil, graph.Errorf(graph.EINVALID, "empty file name or URL")
		case spec == "-":
			if stdin {
				return nil, graph.Errorf(graph.EINVALID, "-: standard input given more than once")
			}
			stdin = true
			out = append(out, input{inStdin, "-"})
			continue
		case isURL(spec):
			u, err := url.Parse(spec)
			if err != nil || u.Host == "" {
				return nil, graph.Errorf(graph.EINVALID, "%s: not a valid URL", spec)
			}
			out = append(out, input{inURL, spec})
			continue
		}
		st, err := os.Stat(spec)
		if err != nil {
			return nil, graph.Errorf(graph.EINVALID, "%s: %v", spec, pathErr(err))
		}
		if !st.IsDir() {
			out = append(out, input{inFile, spec})
			continue
		}
		err = filepath.WalkDir(spec, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if path == spec {
				return nil
			}
			name := d.Name()
			if strings.HasPrefix(name, ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || strings.HasPrefix(strings.ToUpper(name), "README") {
				return nil
			}
			if slices.Contains(Extensions, strings.ToLower(filepath.Ext(name))) {
				out = append(out, input{inFile, path})
			}
			return nil
		})
		if err != nil {
			return nil, graph.Errorf(graph.EINVALID, "%s: cannot list the folder: %v", spec, err)
		}
	}
	return out, nil
}

// pathErr drops the operation and path of an *fs.PathError, which the
// caller names itself.
func pathErr(err error) error {
	if pe, ok := err.(*fs.PathError); ok {
		return pe.Err
	}
	return err
}

// invalid returns the EINVALID error of an item: where, a colon, and the
// reason.
func invalid(where, format string, args ...any) error {
	return graph.Errorf(graph.EINVALID, "%s: %s", where, fmt.Sprintf(format, args...))
}

// tooBig is the error of an input above the size limit.
func tooBig(where string, size, limit int64) error {
	if size > 0 {
		return invalid(where, "%d bytes is larger than the %d-byte limit", size, limit)
	}
	return invalid(where, "larger than the %d-byte limit", limit)
}
