package source

import (
	"bytes"
	"fmt"
	"net/url"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/internal/article"
)

// readFeed reads an RSS or Atom feed held in data, one item per entry.
// pageURL is where it was downloaded from, if it was.
func (r *reader) readFeed(src, where string, data []byte, pageURL string) error {
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		return r.fail(src, 0, invalid(where, "not an RSS or Atom feed: %v", err))
	}
	var base *url.URL
	for _, s := range []string{pageURL, feed.Link} {
		if u, err := url.Parse(s); err == nil && u.Host != "" {
			base = u
			break
		}
	}
	lang := langCode(feed.Language)
	for i, e := range feed.Items {
		if e == nil {
			continue
		}
		n := i + 1
		a, err := feedArticle(fmt.Sprintf("%s item %d", where, n), e, lang, base)
		if err := r.emit(Item{Source: src, Line: n, Article: a, Err: err}); err != nil {
			return err
		}
	}
	return nil
}

// feedArticle turns one feed entry into an article: its link, title,
// date, the feed's language (or the entry's own dc:language) and the text
// of its content, else of its description.
func feedArticle(where string, e *gofeed.Item, lang string, base *url.URL) (graph.Article, error) {
	a := graph.Article{Source: where, Language: lang}
	a.URL = absURL(e.Link, base)
	if a.URL == "" && e.GUID != "" {
		if u := absURL(e.GUID, nil); u != "" {
			a.URL = u
		}
	}
	a.Title = oneLine(e.Title)
	if e.DublinCoreExt != nil && len(e.DublinCoreExt.Language) > 0 {
		if l := langCode(e.DublinCoreExt.Language[0]); l != "" {
			a.Language = l
		}
	}
	for _, t := range []*time.Time{e.PublishedParsed, e.UpdatedParsed} {
		if t != nil {
			a.Published = t.Format(time.DateOnly)
			break
		}
	}
	a.Text = htmlText(e.Content)
	if a.Text == "" {
		a.Text = htmlText(e.Description)
	}
	if a.Text == "" {
		return a, invalid(where, "entry has no text (no content or description)")
	}
	if len(a.Text) > article.MaxSize {
		return a, tooBig(where, int64(len(a.Text)), article.MaxSize)
	}
	if a.Title == "" {
		a.Title = firstLine(a.Text)
	}
	a.ID = graph.ArticleID(a.URL, a.Text)
	return a, nil
}

// firstLine returns the first paragraph of text, for a missing title.
func firstLine(text string) string {
	for i, r := range text {
		if r == '\n' {
			return text[:i]
		}
	}
	return text
}
