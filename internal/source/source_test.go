package source

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/defgraph/defgraph/graph"
)

// Arabic fixture text.
const (
	arTitle = "تمرين الأسد الأفريقي"
	arPara1 = "أجرت القوات المسلحة الملكية المغربية والقوات الأمريكية تمرين الأسد الأفريقي في منطقة طانطان بمشاركة وحدات من عدة دول إفريقية وأوروبية."
	arPara2 = "وقال المتحدث باسم القيادة إن التمرين يهدف إلى تعزيز التعاون العسكري بين البلدين وتبادل الخبرات في مجالات التخطيط والقيادة."
)

// arPage is an Arabic article page; head goes into <head>.
func arPage(head string) string {
	return `<!DOCTYPE html><html lang="ar" dir="rtl"><head>` + head + `<title>` + arTitle + `</title></head>
<body><nav><a href="/">الرئيسية</a> <a href="/news">أخبار</a></nav>
<article><h1>` + arTitle + `</h1>
<p>` + arPara1 + `</p>
<p>` + arPara2 + `</p>
</article><footer>جميع الحقوق محفوظة</footer></body></html>`
}

func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func collect(t *testing.T, specs []string, opts Options) []Item {
	t.Helper()
	var items []Item
	if err := Read(context.Background(), specs, opts, func(it Item) error {
		items = append(items, it)
		return nil
	}); err != nil {
		t.Fatalf("Read: %v", err)
	}
	return items
}

// one reads specs and wants exactly one item.
func one(t *testing.T, specs []string, opts Options) Item {
	t.Helper()
	items := collect(t, specs, opts)
	if len(items) != 1 {
		t.Fatalf("%d items, want 1: %+v", len(items), items)
	}
	return items[0]
}

// ok checks an item read without error.
func ok(t *testing.T, it Item) graph.Article {
	t.Helper()
	if it.Err != nil {
		t.Fatalf("%s:%d: %v", it.Source, it.Line, it.Err)
	}
	return it.Article
}

// failed checks an item failed with EINVALID and a message holding every
// part.
func failed(t *testing.T, it Item, parts ...string) {
	t.Helper()
	if it.Err == nil {
		t.Fatalf("%s:%d: no error, want %q; article %+v", it.Source, it.Line, parts, it.Article)
	}
	if graph.ErrorCode(it.Err) != graph.EINVALID {
		t.Errorf("%s: code %s, want invalid: %v", it.Source, graph.ErrorCode(it.Err), it.Err)
	}
	for _, p := range parts {
		if !strings.Contains(it.Err.Error(), p) {
			t.Errorf("error %q does not say %q", it.Err, p)
		}
	}
}

// plain checks that text has no markup.
func plain(t *testing.T, text string) {
	t.Helper()
	for _, bad := range []string{"<", ">", "alert(", "color:"} {
		if strings.Contains(text, bad) {
			t.Errorf("text carries %q: %q", bad, text)
		}
	}
}

func TestTextFiles(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, data string
		want       graph.Article // ID is checked against URL and Text
	}{
		{"header.txt", "URL: https://example.org/a\nTITLE: Un titre\nDATE: 2024-02-07\nLANG: FR\n---\nLe corps.\n",
			graph.Article{URL: "https://example.org/a", Title: "Un titre", Published: "2024-02-07", Language: "fr", Text: "Le corps.\n"}},
		{"plain.md", arTitle + "\n\n" + arPara1 + "\n",
			graph.Article{Title: arTitle, Published: "2020-01-01", Text: arTitle + "\n\n" + arPara1 + "\n"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := write(t, dir, c.name, []byte(c.data))
			it := one(t, []string{p}, Options{Published: "2020-01-01"})
			a := ok(t, it)
			c.want.Source = p
			c.want.ID = graph.ArticleID(c.want.URL, c.want.Text)
			if a != c.want {
				t.Errorf("got  %+v\nwant %+v", a, c.want)
			}
			if it.Source != p || it.Line != 0 {
				t.Errorf("source %q line %d", it.Source, it.Line)
			}
		})
	}
}

func TestJSONL(t *testing.T) {
	dir := t.TempDir()
	x := `{"article":{"url":"https://example.org/x","text":"Done."},"entities":[{"key":"MAR","type":"Country","name":"Morocco"}],"events":[]}`
	lines := []string{
		`{"url":"https://example.org/1","title":"One","published":"2024-03-01T08:00:00Z","language":"EN","text":"Morocco and France held an exercise."}`,
		`{"url": "https://example.org/2", "text": "broken`,
		``,
		`{"url":"https://news.example.ma/ar/2","html":` + quote(arPage(`<link rel="canonical" href="/ar/canonical-2">`)) + `}`,
		x,
		`{"text":""}`,
		`{"text":"Text without a date.","published":"yesterday"}`,
		`{"text":"Last line without newline."}`,
	}
	p := write(t, dir, "batch.jsonl", []byte(strings.Join(lines, "\n")))
	items := collect(t, []string{p}, Options{Published: "2021-06-30"})
	if len(items) != 7 {
		t.Fatalf("%d items, want 7 (blank line skipped)", len(items))
	}
	wantLines := []int{1, 2, 4, 5, 6, 7, 8}
	for i, it := range items {
		if it.Line != wantLines[i] || it.Source != p {
			t.Errorf("item %d: %s:%d, want line %d", i, it.Source, it.Line, wantLines[i])
		}
	}
	a := ok(t, items[0])
	if a.URL != "https://example.org/1" || a.Title != "One" || a.Published != "2024-03-01" || a.Language != "en" ||
		a.ID != graph.ArticleID("https://example.org/1", "") || a.Source != p+":1" {
		t.Errorf("text line: %+v", a)
	}
	failed(t, items[1], p+":2: malformed JSON")

	h := ok(t, items[2])
	if h.URL != "https://news.example.ma/ar/canonical-2" || h.Language != "ar" || h.Title != arTitle ||
		h.Published != "2021-06-30" || h.ID != graph.ArticleID(h.URL, "") {
		t.Errorf("html line: %+v", h)
	}
	if !strings.Contains(h.Text, arPara1+"\n\n"+arPara2) {
		t.Errorf("html line text: %q", h.Text)
	}
	plain(t, h.Text)

	if items[3].Extraction == nil || items[3].Extraction.Article.URL != "https://example.org/x" ||
		items[3].Extraction.Article.ID != graph.ArticleID("https://example.org/x", "") ||
		len(items[3].Extraction.Entities) != 1 || items[3].Err != nil {
		t.Errorf("extraction line: %+v", items[3])
	}
	failed(t, items[4], p+":6", "empty article")
	failed(t, items[5], p+":7", "published", "yesterday")
	if a := ok(t, items[6]); a.Text != "Last line without newline." || a.Published != "2021-06-30" {
		t.Errorf("last line: %+v", a)
	}
}

func quote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n':
			b.WriteString(`\n`)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func TestJSONLLineLimit(t *testing.T) {
	dir := t.TempDir()
	long := `{"text":"` + strings.Repeat("x", 5000) + `"}`
	p := write(t, dir, "big.jsonl", []byte(`{"text":"first"}`+"\n"+long+"\n"+`{"text":"third"}`+"\n"))
	items := collect(t, []string{p}, Options{MaxBytes: 1000})
	if len(items) != 3 {
		t.Fatalf("%d items", len(items))
	}
	ok(t, items[0])
	failed(t, items[1], p+":2", "1000-byte limit")
	if a := ok(t, items[2]); a.Text != "third" {
		t.Errorf("after a long line: %+v", a)
	}
}

func TestHTMLFiles(t *testing.T) {
	dir := t.TempDir()
	win1256 := func(s string) []byte {
		b, err := charmap.Windows1256.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	iso6 := func(s string) []byte {
		b, err := charmap.ISO8859_6.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	// ISO-8859-6 lacks some letters of the windows-1256 text (ی, ڤ…) but
	// has all of these.
	cases := []struct {
		name string
		data []byte
	}{
		{"utf8.html", []byte(arPage(`<meta charset="utf-8">`))},
		{"meta-charset-1256.html", win1256(arPage(`<meta charset="windows-1256">`))},
		{"http-equiv-1256.htm", win1256(arPage(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">`))},
		{"iso-8859-6.html", iso6(arPage(`<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-6">`))},
		{"late-meta-1256.html", win1256(arPage(`<style>` + strings.Repeat("/* padding */\n", 200) + `</style><meta charset="windows-1256">`))},
		{"undeclared-1256.html", win1256(arPage(``))},
		{"utf8-bom.html", append([]byte("\xef\xbb\xbf"), arPage(`<meta charset="windows-1256">`)...)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := write(t, dir, c.name, c.data)
			a := ok(t, one(t, []string{p}, Options{}))
			if a.Title != arTitle || a.Language != "ar" || a.Source != p {
				t.Errorf("title %q lang %q source %q", a.Title, a.Language, a.Source)
			}
			if !strings.Contains(a.Text, arPara1+"\n\n"+arPara2) {
				t.Errorf("text not decoded or not in paragraphs: %q", a.Text)
			}
			if strings.Contains(a.Text, "الرئيسية") || strings.Contains(a.Text, "الحقوق") {
				t.Errorf("navigation or footer kept: %q", a.Text)
			}
			if a.URL != "" || a.ID != graph.ArticleID("", a.Text) {
				t.Errorf("no canonical URL: want the text hash, got url %q id %s", a.URL, a.ID)
			}
		})
	}
}

func TestHTMLMeta(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		name, head, body string
		url, date, lang  string
	}{
		{name: "canonical and published_time",
			head: `<link rel="canonical" href="https://news.example.ma/ar/a-1"><meta property="og:url" content="https://other.example/x"><meta property="article:published_time" content="2024-05-20T23:30:00-04:00">`,
			url:  "https://news.example.ma/ar/a-1", date: "2024-05-20", lang: "ar"},
		{name: "og:url and og:published_time",
			head: `<meta property="og:url" content="https://news.example.ma/ar/a-2"><meta property="og:published_time" content="2023-11-02">`,
			url:  "https://news.example.ma/ar/a-2", date: "2023-11-02", lang: "ar"},
		{name: "JSON-LD graph",
			head: `<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},{"@type":"NewsArticle","headline":"x","datePublished":"2022-09-14T07:00:00+01:00"}]}</script>`,
			date: "2022-09-14", lang: "ar"},
		{name: "time datetime",
			body: `<p>نشر في <time datetime="2021-01-15T09:00:00Z">15 يناير 2021</time></p>`,
			date: "2021-01-15", lang: "ar"},
		{name: "itemprop datePublished",
			head: `<meta itemprop="datePublished" content="2020-02-29">`,
			date: "2020-02-29", lang: "ar"},
		{name: "og:locale when html has no lang",
			head: `<meta property="og:locale" content="fr_FR">`,
			lang: "fr"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			page := arPage(c.head)
			if c.body != "" {
				page = strings.Replace(page, "</article>", c.body+"</article>", 1)
			}
			if c.lang != "ar" {
				page = strings.Replace(page, ` lang="ar"`, "", 1)
			}
			p := write(t, dir, fmt.Sprintf("p%d.html", i), []byte(page))
			a := ok(t, one(t, []string{p}, Options{}))
			if a.URL != c.url || a.Published != c.date || a.Language != c.lang {
				t.Errorf("url %q date %q lang %q, want %q %q %q", a.URL, a.Published, a.Language, c.url, c.date, c.lang)
			}
			if a.ID != graph.ArticleID(c.url, a.Text) {
				t.Errorf("id is not from the canonical URL (or text)")
			}
		})
	}
}

func TestHTMLWithoutText(t *testing.T) {
	dir := t.TempDir()
	scripts := `<html><head><script src="app.js"></script><style>body{color:red}</style></head><body>` +
		strings.Repeat(`<script>window.data = {"a": "<p>not text</p>"}; alert(1);</script>`, 50) + `<noscript></noscript></body></html>`
	p := write(t, dir, "app.html", []byte(scripts))
	failed(t, one(t, []string{p}, Options{}), p, "no article text found")
}

func TestHTMLNeverCarriesTags(t *testing.T) {
	dir := t.TempDir()
	page := arPage("") // the article, then markup written as text
	page = strings.Replace(page, "</article>", `<p>Le code &lt;script&gt;alert(1)&lt;/script&gt; et &lt;b&gt;gras&lt;/b&gt; restent du texte: 3 &lt; 4.</p><script>alert(2)</script><style>p{color:red}</style></article>`, 1)
	p := write(t, dir, "hostile.html", []byte(page))
	a := ok(t, one(t, []string{p}, Options{}))
	// The escaped markup is the page's text: its words stay, its tags go.
	// The real script and style are dropped.
	if !strings.Contains(a.Text, "Le code alert(1) et gras restent du texte: 3 < 4.") {
		t.Errorf("text lost: %q", a.Text)
	}
	for _, bad := range []string{"<script", "</script", "<b>", "alert(2)", "color:"} {
		if strings.Contains(a.Text, bad) {
			t.Errorf("text carries %q: %q", bad, a.Text)
		}
	}
}

const rssFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel>
<title>أخبار الدفاع</title>
<link>https://news.example.ma/ar</link>
<language>ar-MA</language>
<item>
  <title>` + arTitle + `</title>
  <link>https://news.example.ma/ar/1</link>
  <pubDate>Tue, 14 May 2024 09:00:00 +0000</pubDate>
  <description>ملخص قصير</description>
  <content:encoded><![CDATA[<p>` + arPara1 + `</p><script>alert(1)</script><p>` + arPara2 + `</p>]]></content:encoded>
</item>
<item>
  <title>بدون محتوى</title>
  <link>/ar/2</link>
</item>
<item>
  <title>وصف مهرب مرتين</title>
  <link>https://news.example.ma/ar/3</link>
  <description>&amp;lt;p&amp;gt;` + arPara2 + `&amp;lt;/p&amp;gt;</description>
</item>
</channel>
</rss>`

const atomFeed = `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">
<title>أخبار</title>
<link href="https://defense.example.sa/"/>
<id>urn:x</id>
<updated>2024-01-02T00:00:00Z</updated>
<entry>
  <title type="html">` + arTitle + `</title>
  <link href="https://defense.example.sa/a/1"/>
  <id>urn:1</id>
  <published>2024-01-01T22:00:00+03:00</published>
  <updated>2024-01-02T00:00:00Z</updated>
  <content type="html">&lt;p&gt;` + arPara1 + `&lt;/p&gt;&lt;p&gt;` + arPara2 + `&lt;/p&gt;</content>
</entry>
<entry>
  <title>بدون نص</title>
  <link href="https://defense.example.sa/a/2"/>
  <id>urn:2</id>
  <updated>2024-01-03T00:00:00Z</updated>
</entry>
</feed>`

// checkRSS checks the items of rssFeed read from src.
func checkRSS(t *testing.T, items []Item, src string) {
	t.Helper()
	if len(items) != 3 {
		t.Fatalf("%d items, want 3", len(items))
	}
	for i, it := range items {
		if it.Source != src || it.Line != i+1 {
			t.Errorf("item %d: %s:%d", i, it.Source, it.Line)
		}
	}
	a := ok(t, items[0])
	if a.URL != "https://news.example.ma/ar/1" || a.Title != arTitle || a.Published != "2024-05-14" || a.Language != "ar" ||
		a.Text != arPara1+"\n\n"+arPara2 || a.ID != graph.ArticleID(a.URL, "") || a.Source != src+" item 1" {
		t.Errorf("entry 1: %+v", a)
	}
	failed(t, items[1], src+" item 2", "no text")
	if a := ok(t, items[2]); a.Text != arPara2 {
		t.Errorf("entry 3 (escaped twice): %q", a.Text)
	}
}

// checkAtom checks the items of atomFeed read from src.
func checkAtom(t *testing.T, items []Item, src string) {
	t.Helper()
	if len(items) != 2 {
		t.Fatalf("%d items, want 2", len(items))
	}
	a := ok(t, items[0])
	if a.URL != "https://defense.example.sa/a/1" || a.Title != arTitle || a.Published != "2024-01-01" || a.Language != "ar" ||
		a.Text != arPara1+"\n\n"+arPara2 || a.ID != graph.ArticleID(a.URL, "") {
		t.Errorf("entry 1: %+v", a)
	}
	failed(t, items[1], src+" item 2", "no text")
}

func TestFeedFiles(t *testing.T) {
	dir := t.TempDir()
	rss := write(t, dir, "news.rss", []byte(rssFeed))
	checkRSS(t, collect(t, []string{rss}, Options{}), rss)
	xml := write(t, dir, "news.xml", []byte(rssFeed))
	checkRSS(t, collect(t, []string{xml}, Options{}), xml)
	atom := write(t, dir, "news.atom", []byte(atomFeed))
	checkAtom(t, collect(t, []string{atom}, Options{}), atom)
	// windows-1256 RSS, as its XML declaration says.
	enc, _ := charmap.Windows1256.NewEncoder().String(strings.Replace(rssFeed, `encoding="UTF-8"`, `encoding="windows-1256"`, 1))
	legacy := write(t, dir, "legacy.rss", []byte(enc))
	checkRSS(t, collect(t, []string{legacy}, Options{}), legacy)

	bad := write(t, dir, "notafeed.xml", []byte(`<?xml version="1.0"?><config><a>1</a></config>`))
	failed(t, one(t, []string{bad}, Options{}), bad, "not an RSS or Atom feed")
}

func TestURLs(t *testing.T) {
	page1256, _ := charmap.Windows1256.NewEncoder().String(arPage(`<link rel="canonical" href="/ar/canonical">`))
	mux := http.NewServeMux()
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("User-Agent") == "" {
			http.Error(w, "no agent", http.StatusForbidden)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=windows-1256")
		fmt.Fprint(w, page1256)
	})
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/page", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/rss", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, rssFeed)
	})
	mux.HandleFunc("/atom-as-html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, atomFeed)
	})
	mux.HandleFunc("/plain", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprint(w, "TITLE: Texte\n---\nLe Maroc et la France.\n")
	})
	mux.HandleFunc("/lines", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-ndjson")
		fmt.Fprint(w, "{\"text\":\"one\"}\n{bad}\n")
	})
	mux.HandleFunc("/big", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Header().Set("Content-Length", "5000")
		w.Write([]byte(strings.Repeat("a", 5000)))
	})
	mux.HandleFunc("/big-chunked", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for range 10 {
			w.Write([]byte(strings.Repeat("a", 1000)))
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/image", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write([]byte("\x89PNG\r\n"))
	})
	srv := httptest.NewServer(mux) // 127.0.0.1 only
	defer srv.Close()

	t.Run("windows-1256 page, redirect, canonical", func(t *testing.T) {
		for _, path := range []string{"/page", "/old"} {
			it := one(t, []string{srv.URL + path}, Options{HTTPClient: srv.Client()})
			a := ok(t, it)
			if it.Source != srv.URL+path || a.Source != srv.URL+path {
				t.Errorf("source %q / %q", it.Source, a.Source)
			}
			if a.URL != srv.URL+"/ar/canonical" || a.ID != graph.ArticleID(a.URL, "") || a.Title != arTitle || a.Language != "ar" {
				t.Errorf("%s: %+v", path, a)
			}
			if !strings.Contains(a.Text, arPara1+"\n\n"+arPara2) {
				t.Errorf("%s: text %q", path, a.Text)
			}
		}
	})
	t.Run("rss", func(t *testing.T) {
		checkRSS(t, collect(t, []string{srv.URL + "/rss"}, Options{HTTPClient: srv.Client()}), srv.URL+"/rss")
	})
	t.Run("atom served as text/html", func(t *testing.T) {
		checkAtom(t, collect(t, []string{srv.URL + "/atom-as-html"}, Options{HTTPClient: srv.Client()}), srv.URL+"/atom-as-html")
	})
	t.Run("plain text", func(t *testing.T) {
		a := ok(t, one(t, []string{srv.URL + "/plain"}, Options{HTTPClient: srv.Client()}))
		if a.Title != "Texte" || a.URL != srv.URL+"/plain" || a.Text != "Le Maroc et la France.\n" {
			t.Errorf("%+v", a)
		}
	})
	t.Run("json lines", func(t *testing.T) {
		items := collect(t, []string{srv.URL + "/lines"}, Options{HTTPClient: srv.Client()})
		if len(items) != 2 {
			t.Fatalf("%d items", len(items))
		}
		ok(t, items[0])
		failed(t, items[1], srv.URL+"/lines:2: malformed JSON")
	})
	t.Run("failures", func(t *testing.T) {
		opts := Options{HTTPClient: srv.Client(), MaxBytes: 4000}
		failed(t, one(t, []string{srv.URL + "/missing"}, opts), srv.URL+"/missing", "404")
		failed(t, one(t, []string{srv.URL + "/big"}, opts), "5000 bytes", "4000-byte limit")
		failed(t, one(t, []string{srv.URL + "/big-chunked"}, opts), "4000-byte limit")
		failed(t, one(t, []string{srv.URL + "/image"}, opts), "unsupported content type", "image/png")
		// A closed port: a failed item, not a failed run.
		dead := httptest.NewServer(http.NotFoundHandler())
		deadURL := dead.URL
		dead.Close()
		failed(t, one(t, []string{deadURL + "/x"}, opts), deadURL+"/x", "cannot fetch")
	})
}

func TestStdin(t *testing.T) {
	t.Run("json lines", func(t *testing.T) {
		in := "\n  {\"text\":\"Un article.\",\"url\":\"https://example.org/s\"}\nnot json\n{\"text\":\"Deux.\"}\n"
		items := collect(t, []string{"-"}, Options{Stdin: strings.NewReader(in)})
		if len(items) != 3 {
			t.Fatalf("%d items", len(items))
		}
		a := ok(t, items[0])
		if items[0].Source != "-" || items[0].Line != 2 || a.Source != "stdin:2" || a.URL != "https://example.org/s" {
			t.Errorf("%+v", items[0])
		}
		failed(t, items[1], "stdin:3: malformed JSON")
		ok(t, items[2])
	})
	t.Run("text", func(t *testing.T) {
		in := "\n" + arTitle + "\n\n" + arPara1 + "\n"
		it := one(t, []string{"-"}, Options{Stdin: strings.NewReader(in), Published: "2024-01-01"})
		a := ok(t, it)
		if it.Source != "-" || a.Source != "stdin" || a.Text != in || a.Title != arTitle || a.Published != "2024-01-01" {
			t.Errorf("%+v", it)
		}
	})
	t.Run("text too big", func(t *testing.T) {
		it := one(t, []string{"-"}, Options{Stdin: strings.NewReader(strings.Repeat("x", 2000)), MaxBytes: 1000})
		failed(t, it, "stdin", "1000-byte limit")
	})
	t.Run("given twice", func(t *testing.T) {
		err := Read(context.Background(), []string{"-", "-"}, Options{Stdin: strings.NewReader("x")}, func(Item) error { return nil })
		if graph.ErrorCode(err) != graph.EINVALID {
			t.Errorf("err %v", err)
		}
	})
}

func TestSizeLimit(t *testing.T) {
	dir := t.TempDir()
	// A sparse 60 MB file: reading it would give NUL bytes (a "binary"
	// error) and 60 MB of allocations.
	huge := filepath.Join(dir, "huge.txt")
	if err := os.WriteFile(huge, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(huge, 60<<20); err != nil {
		t.Fatal(err)
	}
	hugeHTML := filepath.Join(dir, "huge.html")
	if err := os.WriteFile(hugeHTML, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(hugeHTML, 60<<20); err != nil {
		t.Fatal(err)
	}
	small := write(t, dir, "small.html", []byte(arPage("")))
	mid := write(t, dir, "mid.txt", []byte(strings.Repeat("texte ", 1000_000))) // 6 MB: above article.MaxSize

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	items := collect(t, []string{huge, hugeHTML}, Options{})
	runtime.ReadMemStats(&after)
	failed(t, items[0], huge, "62914560 bytes", fmt.Sprintf("%d-byte limit", DefaultMaxBytes))
	failed(t, items[1], hugeHTML, fmt.Sprintf("%d-byte limit", DefaultMaxBytes))
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 4<<20 {
		t.Errorf("reading two 60 MB files allocated %d bytes: they were read", grew)
	}

	failed(t, one(t, []string{mid}, Options{}), mid, "4194304-byte limit")

	items = collect(t, []string{small, huge}, Options{MaxBytes: 500})
	failed(t, items[0], small, "bytes is larger than the 500-byte limit")
	failed(t, items[1], huge, "500-byte limit")
	ok(t, one(t, []string{small}, Options{MaxBytes: 100_000}))
}

func TestFolder(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, "b-good.txt", []byte("Deuxième article."))
	write(t, dir, "a-good.md", []byte("Premier article."))
	write(t, dir, "c-empty.txt", nil)
	write(t, dir, "d-spaces.txt", []byte(" \n\t\n"))
	write(t, dir, "e-binary.txt", []byte("GIF89a\x00\x01\x02\x00text"))
	write(t, dir, "f-latin1.txt", []byte("Caf\xe9 cr\xe8me"))
	write(t, dir, "g-lines.jsonl", []byte(`{"text":"ligne un"}`+"\n"+`{"text":"ligne deux"}`+"\n"))
	write(t, dir, "sub/h-page.HTML", []byte(arPage("")))
	write(t, dir, "sub/deeper/i-feed.rss", []byte(rssFeed))
	write(t, dir, "README.md", []byte("not an article"))
	write(t, dir, "readme.txt", []byte("not an article"))
	write(t, dir, ".hidden.txt", []byte("hidden"))
	write(t, dir, ".git/x.txt", []byte("hidden"))
	write(t, dir, "photo.jpg", []byte("\xff\xd8\xff"))
	write(t, dir, "notes.pdf", []byte("%PDF"))

	items := collect(t, []string{dir}, Options{})
	var got []string
	for _, it := range items {
		s := strings.TrimPrefix(filepath.ToSlash(it.Source), filepath.ToSlash(dir)+"/")
		if it.Line > 0 {
			s += fmt.Sprint(":", it.Line)
		}
		if it.Err != nil {
			s += " FAIL"
		}
		got = append(got, s)
	}
	want := []string{"a-good.md", "b-good.txt", "c-empty.txt FAIL", "d-spaces.txt FAIL", "e-binary.txt FAIL", "f-latin1.txt FAIL",
		"g-lines.jsonl:1", "g-lines.jsonl:2", "sub/deeper/i-feed.rss:1", "sub/deeper/i-feed.rss:2 FAIL", "sub/deeper/i-feed.rss:3", "sub/h-page.HTML"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("items\n got %q\nwant %q", got, want)
	}
	failed(t, items[2], "c-empty.txt", "empty")
	failed(t, items[3], "d-spaces.txt", "empty")
	failed(t, items[4], "e-binary.txt", "binary")
	failed(t, items[5], "f-latin1.txt", "not valid UTF-8")

	n, err := Count([]string{dir, "-", "https://example.org/x"})
	if err != nil || n != 11 {
		t.Errorf("Count = %d, %v; want 11 (9 files, stdin, a URL)", n, err)
	}

	// Same order every time, and specs in the order given.
	again := collect(t, []string{dir}, Options{})
	if !reflect.DeepEqual(sources(items), sources(again)) {
		t.Error("order changed between runs")
	}
	b := filepath.Join(dir, "b-good.txt")
	a := filepath.Join(dir, "a-good.md")
	if got := sources(collect(t, []string{b, a}, Options{})); !reflect.DeepEqual(got, []string{b + ":0", a + ":0"}) {
		t.Errorf("specs not in order: %q", got)
	}
}

func sources(items []Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, fmt.Sprint(it.Source, ":", it.Line))
	}
	return out
}

func TestSkip(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "a.txt", []byte("A."))
	b := write(t, dir, "b.txt", []byte("B."))
	c := write(t, dir, "c.jsonl", []byte(`{"text":"C."}`))
	var asked []string
	opts := Options{
		Stdin: strings.NewReader("Stdin."),
		Skip: func(src string) bool {
			asked = append(asked, src)
			return src == b || src == c
		},
	}
	got := sources(collect(t, []string{dir, "-"}, opts))
	if !reflect.DeepEqual(got, []string{a + ":0", "-:0"}) {
		t.Errorf("items %q", got)
	}
	if !reflect.DeepEqual(asked, []string{a, b, c}) {
		t.Errorf("Skip asked about %q (never about stdin)", asked)
	}
}

func TestBadSpecs(t *testing.T) {
	dir := t.TempDir()
	good := write(t, dir, "good.txt", []byte("Good."))
	missing := filepath.Join(dir, "nope", "missing.txt")
	for _, specs := range [][]string{{good, missing}, {missing}, {}, {""}, {"http://"}} {
		called := false
		err := Read(context.Background(), specs, Options{}, func(Item) error { called = true; return nil })
		if graph.ErrorCode(err) != graph.EINVALID {
			t.Errorf("%q: err %v, want invalid", specs, err)
		}
		if called {
			t.Errorf("%q: items read before the bad spec was reported", specs)
		}
		if len(specs) == 2 && !strings.Contains(err.Error(), missing) {
			t.Errorf("error %q does not name %s", err, missing)
		}
		if _, err := Count(specs); graph.ErrorCode(err) != graph.EINVALID {
			t.Errorf("Count(%q): %v", specs, err)
		}
	}
	if err := Read(context.Background(), []string{good}, Options{Published: "soon"}, func(Item) error { return nil }); graph.ErrorCode(err) != graph.EINVALID {
		t.Errorf("bad default date: %v", err)
	}
}

func TestStop(t *testing.T) {
	dir := t.TempDir()
	for i := range 5 {
		write(t, dir, fmt.Sprintf("%d.txt", i), []byte(fmt.Sprint("Article ", i)))
	}
	stop := errors.New("stop")
	n := 0
	err := Read(context.Background(), []string{dir}, Options{}, func(Item) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if err != stop || n != 2 {
		t.Errorf("fn error: err %v after %d items", err, n)
	}

	ctx, cancel := context.WithCancel(context.Background())
	n = 0
	err = Read(ctx, []string{dir}, Options{}, func(Item) error {
		n++
		if n == 3 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 3 {
		t.Errorf("cancel: err %v after %d items", err, n)
	}
}
