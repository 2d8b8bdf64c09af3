package source

import (
	"bytes"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"codeberg.org/readeck/go-readability/v2/render"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/internal/article"
)

// fromHTML reads an article out of an HTML page: data in the page's own
// encoding, contentType the HTTP header if any, pageURL the address it was
// fetched from (the base of relative links; "" for a local file).
func fromHTML(where string, data []byte, contentType, pageURL string) (graph.Article, error) {
	a := graph.Article{Source: where}
	if bytes.IndexByte(data, 0) >= 0 && !hasUTF16BOM(data) {
		return a, invalid(where, "binary data (NUL bytes), not an HTML page")
	}
	doc, err := html.Parse(strings.NewReader(decodeHTML(data, contentType)))
	if err != nil {
		return a, invalid(where, "not an HTML page: %v", err)
	}
	var base *url.URL
	if u, err := url.Parse(pageURL); err == nil && (u.Scheme == "http" || u.Scheme == "https") {
		base = u
	}
	m := scanMeta(doc)
	parser := readability.NewParser()
	r, err := parser.ParseAndMutate(doc, base)
	if err != nil {
		return a, invalid(where, "no article text found: %v", err)
	}
	if r.Node != nil {
		a.Text = plainText(render.InnerText(r.Node))
	}
	if a.Text == "" {
		return a, invalid(where, "no article text found")
	}
	if len(a.Text) > article.MaxSize {
		return a, tooBig(where, int64(len(a.Text)), article.MaxSize)
	}
	a.Title = oneLine(firstNonEmpty(r.Title(), m.ogTitle, m.title))
	a.URL = firstNonEmpty(absURL(m.canonical, base), absURL(m.ogURL, base), pageURL)
	for _, d := range m.dates {
		if a.Published = isoDate(d); a.Published != "" {
			break
		}
	}
	if a.Published == "" {
		if t, err := r.PublishedTime(); err == nil {
			a.Published = t.Format(time.DateOnly)
		}
	}
	a.Language = firstNonEmpty(langCode(m.lang), langCode(r.Language()), langCode(m.ogLocale))
	a.ID = graph.ArticleID(a.URL, a.Text)
	return a, nil
}

func hasUTF16BOM(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xFF, 0xFE}) || bytes.HasPrefix(b, []byte{0xFE, 0xFF})
}

// metaCharset finds a <meta charset> or http-equiv declaration anywhere in
// the head, for pages that declare it after the first KiB the standard
// prescan looks at.
var metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_:.\-]+)`)

// htmlArabic finds <html lang="ar…"> (or fa, ur: the same code pages).
var htmlArabic = regexp.MustCompile(`(?i)<html[^>]*\slang\s*=\s*["']?(ar|fa|ur)\b`)

// decodeHTML returns the page as UTF-8. The encoding is the one the BOM or
// the Content-Type header names, else the one a <meta> tag declares; a page
// declaring none is UTF-8 when it is valid UTF-8, else windows-1256 when
// <html lang> says Arabic, else windows-1252 (the HTML standard's default).
func decodeHTML(data []byte, contentType string) string {
	enc, _, certain := charset.DetermineEncoding(data, contentType)
	if !certain {
		head := data[:min(len(data), 64<<10)]
		if m := metaCharset.FindSubmatch(head); m != nil {
			if e, _ := charset.Lookup(string(m[1])); e != nil {
				enc = e
			}
		} else if utf8.Valid(data) {
			enc = encoding.Nop
		} else if htmlArabic.Match(head) {
			enc = charmap.Windows1256
		}
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		out = data
	}
	out = bytes.TrimPrefix(out, []byte("\xef\xbb\xbf"))
	return strings.ToValidUTF8(string(out), "\uFFFD")
}

// meta is what the page says about itself in its tags.
type meta struct {
	canonical, ogURL string
	title, ogTitle   string
	lang, ogLocale   string
	dates            []string // publication date candidates, best first
}

// scanMeta reads the page's metadata before readability strips scripts
// (JSON-LD) from the tree.
func scanMeta(doc *html.Node) meta {
	var m meta
	var (
		propDates, ldDates, itemDates, timeDates []string
	)
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.DataAtom {
			case atom.Html:
				if m.lang == "" {
					m.lang = attr(n, "lang")
				}
				if m.lang == "" {
					m.lang = attr(n, "xml:lang")
				}
			case atom.Title:
				if m.title == "" && n.FirstChild != nil {
					m.title = n.FirstChild.Data
				}
			case atom.Link:
				if hasToken(attr(n, "rel"), "canonical") && m.canonical == "" {
					m.canonical = attr(n, "href")
				}
			case atom.Meta:
				prop := strings.ToLower(firstNonEmpty(attr(n, "property"), attr(n, "name"), attr(n, "itemprop"), attr(n, "http-equiv")))
				content := strings.TrimSpace(attr(n, "content"))
				switch prop {
				case "og:url":
					setOnce(&m.ogURL, content)
				case "og:title":
					setOnce(&m.ogTitle, content)
				case "og:locale":
					setOnce(&m.ogLocale, content)
				case "content-language", "language", "dc.language":
					if m.lang == "" {
						m.lang = content
					}
				case "article:published_time", "og:published_time", "og:article:published_time":
					propDates = append(propDates, content)
				case "datepublished", "pubdate", "publishdate", "date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date":
					itemDates = append(itemDates, content)
				}
			case atom.Time:
				if dt := attr(n, "datetime"); dt != "" {
					if strings.EqualFold(attr(n, "itemprop"), "datePublished") || hasAttr(n, "pubdate") {
						itemDates = append(itemDates, dt)
					} else {
						timeDates = append(timeDates, dt)
					}
				}
			case atom.Script:
				if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
					ldDates = append(ldDates, jsonLDDates(n.FirstChild.Data)...)
				}
			}
			if dp := attr(n, "itemprop"); strings.EqualFold(dp, "datePublished") && n.DataAtom != atom.Meta && n.DataAtom != atom.Time {
				itemDates = append(itemDates, firstNonEmpty(attr(n, "content"), attr(n, "datetime")))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	m.dates = append(append(append(propDates, ldDates...), itemDates...), timeDates...)
	return m
}

// jsonLDDates returns every datePublished in a JSON-LD block, at any depth
// (@graph, arrays, nested objects).
func jsonLDDates(src string) []string {
	var v any
	if json.Unmarshal([]byte(strings.TrimSpace(src)), &v) != nil {
		return nil
	}
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			if s, ok := t["datePublished"].(string); ok {
				out = append(out, s)
			}
			for _, c := range t {
				walk(c)
			}
		case []any:
			for _, c := range t {
				walk(c)
			}
		}
	}
	walk(v)
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return true
		}
	}
	return false
}

func hasToken(list, tok string) bool {
	for _, f := range strings.Fields(list) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

func setOnce(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}

// absURL resolves ref against base and returns it when it is an absolute
// http(s) URL, else "".
func absURL(ref string, base *url.URL) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	u.Fragment = ""
	return u.String()
}

// langCode returns the primary language subtag of a BCP 47 tag or a
// locale ("ar-SA", "ar_AR" → "ar"), or "".
func langCode(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	s = strings.ToLower(s)
	if len(s) < 2 || len(s) > 3 {
		return ""
	}
	for _, r := range s {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return s
}

// dateLayouts are the timestamp forms found in page and feed metadata.
var dateLayouts = []string{
	time.RFC3339Nano, time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05.000Z0700",
	"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04:05 -0700",
	time.DateOnly, "2006/01/02", "20060102",
	time.RFC1123Z, time.RFC1123, time.RFC822Z, time.RFC822, "Mon, 2 Jan 2006 15:04:05 -0700", "2 Jan 2006",
	"January 2, 2006", "Jan 2, 2006",
}

var isoPrefix = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})[T ]`)

// isoDate turns a metadata timestamp into YYYY-MM-DD, the date in the
// timestamp's own time zone; "" when it is not a date.
func isoDate(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format(time.DateOnly)
		}
	}
	if m := isoPrefix.FindStringSubmatch(s); m != nil {
		if _, err := time.Parse(time.DateOnly, m[1]); err == nil {
			return m[1]
		}
	}
	return ""
}

// tagLike matches what is left of markup in text: a tag or a comment.
var tagLike = regexp.MustCompile(`</?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?>|<!--[\s\S]*?-->|<!\[CDATA\[|\]\]>`)

// htmlText returns the plain text of an HTML fragment (a feed entry's
// content): tags, scripts and styles dropped, one paragraph per block.
// Text that still carries tags after a pass (escaped twice) is parsed
// again, and whatever remains of a tag is cut out.
func htmlText(s string) string {
	if !tagLike.MatchString(s) {
		// Plain text, perhaps with entities: keep its own line breaks.
		return plainText(html.UnescapeString(s))
	}
	for i := 0; i < 3 && tagLike.MatchString(s); i++ {
		doc, err := html.Parse(strings.NewReader(s))
		if err != nil {
			break
		}
		s = render.InnerText(doc)
	}
	return plainText(s)
}

// plainText cleans rendered text: no markup left, no control characters,
// spaces collapsed, each non-empty line a paragraph, paragraphs separated
// by a blank line.
func plainText(s string) string {
	s = tagLike.ReplaceAllString(strings.ToValidUTF8(s, "\uFFFD"), " ")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n':
			return r
		case r == '\u2028', r == '\u2029':
			return '\n'
		case r == '\u00a0', r == '\t', r == '\r':
			return ' '
		case unicode.IsControl(r), r == '\ufeff':
			return -1
		}
		return r
	}, s)
	var paras []string
	for line := range strings.SplitSeq(s, "\n") {
		if l := strings.Join(strings.Fields(line), " "); l != "" {
			paras = append(paras, l)
		}
	}
	return strings.Join(paras, "\n\n")
}

// oneLine returns s as plain text on one line (a title).
func oneLine(s string) string {
	return strings.Join(strings.Fields(htmlText(s)), " ")
}
