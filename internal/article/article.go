// Package article reads one article from a text file: the optional header
// of extraction-spec §4 (URL:, TITLE:, DATE:, LANG: lines, then a line
// "---") and the body, into a graph.Article whose Text is the body exactly
// as read, so that offsets point into it.
package article

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/defgraph/defgraph/graph"
)

// MaxSize is the largest article body accepted, in bytes.
const MaxSize = 4 << 20

// Parse reads an article from data; source names it in errors and is kept
// as Article.Source. The header is recognised only when the first lines are
// all "KEY: value" lines of the known keys followed by a "---" line;
// otherwise the whole file is the body. The title defaults to the first
// line of the body. Empty, binary, oversized or invalid UTF-8 input is an
// EINVALID error naming the source.
func Parse(source string, data []byte) (graph.Article, error) {
	var a graph.Article
	a.Source = source
	if len(data) > MaxSize {
		return a, graph.Errorf(graph.EINVALID, "%s: %d bytes is larger than the %d-byte limit", source, len(data), MaxSize)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		return a, graph.Errorf(graph.EINVALID, "%s: not valid UTF-8 text", source)
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return a, graph.Errorf(graph.EINVALID, "%s: binary data (NUL bytes), not text", source)
	}
	text := strings.ReplaceAll(string(data), "\r\n", "\n")
	body := text
	if hdr, rest, ok := splitHeader(text); ok {
		for k, v := range hdr {
			switch k {
			case "URL":
				a.URL = v
			case "TITLE":
				a.Title = v
			case "LANG", "LANGUAGE":
				a.Language = strings.ToLower(v)
			case "DATE", "PUBLISHED":
				d, err := NormalizeDate(v)
				if err != nil {
					return a, graph.Errorf(graph.EINVALID, "%s: header DATE: %v", source, err)
				}
				a.Published = d
			}
		}
		body = rest
	}
	if strings.TrimSpace(body) == "" {
		return a, graph.Errorf(graph.EINVALID, "%s: empty article (no text)", source)
	}
	a.Text = body
	if a.Title == "" {
		first, _, _ := strings.Cut(strings.TrimSpace(body), "\n")
		a.Title = strings.TrimSpace(first)
	}
	a.ID = graph.ArticleID(a.URL, a.Text)
	return a, nil
}

var headerKeys = map[string]bool{"URL": true, "TITLE": true, "DATE": true, "PUBLISHED": true, "LANG": true, "LANGUAGE": true}

func splitHeader(text string) (map[string]string, string, bool) {
	hdr := map[string]string{}
	rest := text
	for {
		line, after, found := strings.Cut(rest, "\n")
		t := strings.TrimSpace(line)
		if t == "---" && len(hdr) > 0 {
			return hdr, after, true
		}
		k, v, ok := strings.Cut(t, ":")
		k = strings.ToUpper(strings.TrimSpace(k))
		if !ok || !headerKeys[k] || !found {
			return nil, text, false
		}
		hdr[k] = strings.TrimSpace(v)
		rest = after
	}
}

// NormalizeDate turns a publication date given as YYYY-MM-DD, an RFC 3339
// timestamp, YYYY-MM or YYYY into its ISO date.
func NormalizeDate(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", nil
	}
	for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02"), nil
		}
	}
	if graph.ValidDate(s) {
		return s, nil
	}
	return "", fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
}
