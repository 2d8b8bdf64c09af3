package source

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/internal/article"
)

// Line is one line of a .jsonl input: an article given as text or as an
// HTML page, or an extraction as `defgraph extract` prints it (with
// "article" and "entities" or "events").
type Line struct {
	URL       string         `json:"url"`
	Title     string         `json:"title"`
	Published string         `json:"published"`
	Language  string         `json:"language"`
	Text      string         `json:"text"`
	HTML      string         `json:"html"`
	Article   *graph.Article `json:"article"`
	Entities  []graph.Entity `json:"entities"`
	Events    []graph.Event  `json:"events"`
}

// readJSONL streams the lines of in, one item per non-blank line. A line
// longer than MaxBytes is read past, never held, and fails.
func (r *reader) readJSONL(src, where string, in io.Reader) error {
	br, ok := in.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(in, 64<<10)
	}
	for n := 1; ; n++ {
		raw, err := readLine(br, r.opts.MaxBytes)
		lw := fmt.Sprintf("%s:%d", where, n)
		switch {
		case err == errLineTooLong:
			if e := r.fail(src, n, tooBig(lw, 0, r.opts.MaxBytes)); e != nil {
				return e
			}
			continue
		case err != nil && err != io.EOF:
			return r.fail(src, n, invalid(lw, "%v", pathErr(err)))
		}
		if n == 1 {
			raw = bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))
		}
		if len(bytes.TrimSpace(raw)) > 0 {
			a, x, perr := parseLine(lw, raw)
			if e := r.emit(Item{Source: src, Line: n, Article: a, Extraction: x, Err: perr}); e != nil {
				return e
			}
		}
		if err == io.EOF {
			return nil
		}
	}
}

var errLineTooLong = errors.New("line too long")

// readLine reads one line of at most max bytes. A longer line is consumed
// and reported as errLineTooLong. At the end of the input it returns the
// last line and io.EOF.
func readLine(r *bufio.Reader, max int64) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if int64(len(buf)+len(chunk)) > max {
			for err == bufio.ErrBufferFull {
				_, err = r.ReadSlice('\n')
			}
			if err != nil && err != io.EOF {
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

// parseLine reads one JSON line; where names it in errors ("file:12").
func parseLine(where string, raw []byte) (graph.Article, *graph.Extraction, error) {
	var l Line
	if err := json.Unmarshal(raw, &l); err != nil {
		return graph.Article{}, nil, invalid(where, "malformed JSON: %v", err)
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
	pub, err := article.NormalizeDate(l.Published)
	if err != nil {
		return graph.Article{}, nil, invalid(where, "published: %v", err)
	}
	var a graph.Article
	if l.Text == "" && l.HTML != "" {
		// The string is UTF-8 whatever the page's <meta charset> says.
		a, err = fromHTML(where, []byte(l.HTML), "text/html; charset=utf-8", l.URL)
		if err != nil {
			return a, nil, err
		}
		if a.URL == "" {
			a.URL = l.URL
		}
	} else {
		a, err = article.Parse(where, []byte(l.Text))
		if err != nil {
			return a, nil, err
		}
		if l.URL != "" {
			a.URL = l.URL
		}
	}
	if pub != "" {
		a.Published = pub
	}
	if l.Title != "" {
		a.Title = l.Title
	}
	if l.Language != "" {
		a.Language = strings.ToLower(l.Language)
	}
	a.ID = graph.ArticleID(a.URL, a.Text)
	return a, nil, nil
}
