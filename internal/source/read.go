package source

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/mmcdole/gofeed"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/internal/article"
)

// kind is the format of an input.
type kind int

const (
	kindText kind = iota
	kindJSONL
	kindHTML
	kindFeed
)

// kindByExt returns the format a file name says, and whether it says one.
func kindByExt(name string) (kind, bool) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".md":
		return kindText, true
	case ".jsonl":
		return kindJSONL, true
	case ".html", ".htm":
		return kindHTML, true
	case ".xml", ".rss", ".atom":
		return kindFeed, true
	}
	return kindText, false
}

// sniff guesses the format from the first bytes: JSON Lines if the first
// non-space byte is '{', a feed or an HTML page if it is '<', else text.
func sniff(head []byte) kind {
	b := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	switch {
	case len(b) == 0:
		return kindText
	case b[0] == '{':
		return kindJSONL
	case b[0] == '<':
		if isFeed(head) {
			return kindFeed
		}
		return kindHTML
	}
	return kindText
}

// isFeed reports whether data starts like an RSS or Atom document.
func isFeed(data []byte) bool {
	if len(data) > 4096 {
		data = data[:4096]
	}
	switch gofeed.DetectFeedType(bytes.NewReader(data)) {
	case gofeed.FeedTypeRSS, gofeed.FeedTypeAtom:
		return true
	}
	return false
}

// kindOfResponse decides the format of a download from its Content-Type,
// then its URL's extension, then its first bytes.
func kindOfResponse(contentType, rawURL string, body []byte) (kind, error) {
	mt, _, _ := mime.ParseMediaType(contentType)
	byExt := func() (kind, bool) {
		if u, err := url.Parse(rawURL); err == nil {
			return kindByExt(path.Base(u.Path))
		}
		return kindText, false
	}
	switch mt {
	case "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+json":
		return kindFeed, nil
	case "application/xml", "text/xml":
		if isFeed(body) {
			return kindFeed, nil
		}
		return kindHTML, nil
	case "text/html", "application/xhtml+xml":
		if isFeed(body) {
			return kindFeed, nil
		}
		return kindHTML, nil
	case "application/x-ndjson", "application/jsonl", "application/json-lines", "application/json", "application/jsonlines":
		return kindJSONL, nil
	case "text/plain", "text/markdown":
		if k, ok := byExt(); ok {
			return k, nil
		}
		return kindText, nil
	case "", "application/octet-stream", "binary/octet-stream":
		if k, ok := byExt(); ok {
			return k, nil
		}
		return sniff(body), nil
	}
	if strings.HasPrefix(mt, "text/") {
		return sniff(body), nil
	}
	return 0, fmt.Errorf("unsupported content type %q (want an HTML page, a feed, JSON Lines or text)", mt)
}

// reader holds the state of one Read.
type reader struct {
	ctx  context.Context
	opts Options
	fn   func(Item) error
}

// emit hands an item to fn, giving an article without a date the default
// one.
func (r *reader) emit(it Item) error {
	if err := r.ctx.Err(); err != nil {
		return err
	}
	if it.Err == nil && it.Extraction == nil && it.Article.Published == "" {
		it.Article.Published = r.opts.Published
	}
	return r.fn(it)
}

// fail hands on a failed item.
func (r *reader) fail(src string, line int, err error) error {
	return r.emit(Item{Source: src, Line: line, Err: err})
}

// readFile reads one file: a .jsonl file streamed line by line, any other
// one whole once its size is known to be within the limit.
func (r *reader) readFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return r.fail(name, 0, invalid(name, "%v", pathErr(err)))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return r.fail(name, 0, invalid(name, "%v", pathErr(err)))
	}
	if st.IsDir() {
		return r.fail(name, 0, invalid(name, "is a folder"))
	}
	br := bufio.NewReaderSize(f, 64<<10)
	k, known := kindByExt(name)
	if !known {
		head, _ := br.Peek(4096)
		k = sniff(head)
	}
	if k == kindJSONL {
		return r.readJSONL(name, name, br)
	}
	size := st.Size()
	if size > r.opts.MaxBytes {
		return r.fail(name, 0, tooBig(name, size, r.opts.MaxBytes))
	}
	if k == kindText && size > article.MaxSize {
		// article.Parse would say the same, after reading it all.
		return r.fail(name, 0, tooBig(name, size, article.MaxSize))
	}
	data, err := io.ReadAll(io.LimitReader(br, r.opts.MaxBytes+1))
	if err != nil {
		return r.fail(name, 0, invalid(name, "%v", pathErr(err)))
	}
	if int64(len(data)) > r.opts.MaxBytes {
		return r.fail(name, 0, tooBig(name, 0, r.opts.MaxBytes))
	}
	return r.readData(name, name, k, data, "", "")
}

// readStdin reads standard input: JSON Lines if its first non-space byte
// is '{', else one text article.
func (r *reader) readStdin() error {
	const src, where = "-", "stdin"
	br := bufio.NewReaderSize(r.opts.Stdin, 64<<10)
	// Peek returns what there is when the input is shorter than the buffer.
	head, _ := br.Peek(br.Size())
	k := kindText
	if sniff(head) == kindJSONL {
		k = kindJSONL
	}
	if k == kindJSONL {
		return r.readJSONL(src, where, br)
	}
	data, err := io.ReadAll(io.LimitReader(br, r.opts.MaxBytes+1))
	if err != nil {
		return r.fail(src, 0, invalid(where, "%v", err))
	}
	if int64(len(data)) > r.opts.MaxBytes {
		return r.fail(src, 0, tooBig(where, 0, r.opts.MaxBytes))
	}
	return r.readData(src, where, kindText, data, "", "")
}

// userAgent is sent with every request.
const userAgent = "defgraph/1 (+https://github.com/defgraph/defgraph)"

// readURL downloads one URL, within the size limit, and reads it as its
// Content-Type says.
func (r *reader) readURL(u string) error {
	req, err := http.NewRequestWithContext(r.ctx, http.MethodGet, u, nil)
	if err != nil {
		return r.fail(u, 0, invalid(u, "%v", err))
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "text/html, application/xhtml+xml, application/rss+xml, application/atom+xml, application/xml;q=0.9, text/plain;q=0.8, */*;q=0.5")
	resp, err := r.opts.HTTPClient.Do(req)
	if err != nil {
		if cerr := r.ctx.Err(); cerr != nil {
			return cerr
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return r.fail(u, 0, invalid(u, "cannot fetch: %v", err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return r.fail(u, 0, invalid(u, "HTTP status %s", resp.Status))
	}
	if resp.ContentLength > r.opts.MaxBytes {
		return r.fail(u, 0, tooBig(u, resp.ContentLength, r.opts.MaxBytes))
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, r.opts.MaxBytes+1))
	if err != nil {
		if cerr := r.ctx.Err(); cerr != nil {
			return cerr
		}
		return r.fail(u, 0, invalid(u, "reading the response: %v", err))
	}
	if int64(len(data)) > r.opts.MaxBytes {
		return r.fail(u, 0, tooBig(u, 0, r.opts.MaxBytes))
	}
	final := u
	if resp.Request != nil && resp.Request.URL != nil {
		final = resp.Request.URL.String()
	}
	ct := resp.Header.Get("Content-Type")
	k, err := kindOfResponse(ct, final, data)
	if err != nil {
		return r.fail(u, 0, invalid(u, "%v", err))
	}
	return r.readData(u, u, k, data, ct, final)
}

// readData reads an input held in memory. src is the Item.Source, where
// the name used in errors and Article.Source, pageURL the URL it was
// downloaded from, if any.
func (r *reader) readData(src, where string, k kind, data []byte, contentType, pageURL string) error {
	switch k {
	case kindJSONL:
		return r.readJSONL(src, where, bytes.NewReader(data))
	case kindFeed:
		return r.readFeed(src, where, data, pageURL)
	case kindHTML:
		a, err := fromHTML(where, data, contentType, pageURL)
		return r.emit(Item{Source: src, Article: a, Err: err})
	}
	a, err := article.Parse(where, data)
	if err == nil && a.URL == "" && pageURL != "" {
		a.URL = pageURL
		a.ID = graph.ArticleID(a.URL, a.Text)
	}
	return r.emit(Item{Source: src, Article: a, Err: err})
}
