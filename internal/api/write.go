package api

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/defgraph/defgraph/graph"
	"github.com/defgraph/defgraph/internal/article"
)

// requireToken lets a request through only with a configured bearer token.
func (s *Server) requireToken(c *gin.Context) {
	if len(s.opts.Tokens) == 0 {
		s.failStatus(c, http.StatusForbidden, "forbidden", "this server accepts no writes: no api.tokens are configured")
		return
	}
	h := c.GetHeader("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || tok == "" {
		c.Header("WWW-Authenticate", `Bearer realm="defgraph"`)
		s.failStatus(c, http.StatusUnauthorized, "unauthorized", "this endpoint needs an Authorization: Bearer <token> header with a token from api.tokens")
		return
	}
	for _, t := range s.opts.Tokens {
		if t != "" && subtle.ConstantTimeCompare([]byte(t), []byte(tok)) == 1 {
			c.Next()
			return
		}
	}
	c.Header("WWW-Authenticate", `Bearer realm="defgraph", error="invalid_token"`)
	s.failStatus(c, http.StatusUnauthorized, "unauthorized", "the bearer token is not one of api.tokens")
}

func (s *Server) failStatus(c *gin.Context, status int, code, msg string) {
	var b errorBody
	b.Error.Code, b.Error.Message = code, msg
	c.AbortWithStatusJSON(status, b)
}

// PostedArticle is one article of POST /api/v1/articles.
type PostedArticle struct {
	URL       string `json:"url"`
	Title     string `json:"title"`
	Published string `json:"published"`
	Language  string `json:"language"`
	Text      string `json:"text"`
}

// PostResult is the answer of POST /api/v1/articles.
type PostResult struct {
	Imported  int                `json:"imported"`
	Unchanged int                `json:"unchanged"`
	Articles  []graph.Extraction `json:"articles"`
	Failed    []PostFailure      `json:"failed"`
}

// PostFailure names a posted article that was not imported.
type PostFailure struct {
	Index  int    `json:"index"`
	Reason string `json:"reason"`
}

// postArticles imports one article (a JSON object) or several (an array)
// synchronously and answers with what was extracted. Invalid articles are
// listed in "failed" by their index; the others are imported (200). When
// none could be imported the answer is 400.
func (s *Server) postArticles(c *gin.Context) {
	if s.opts.Extractor == nil {
		s.fail(c, graph.Errorf(graph.EUNAVAILABLE, "this server has no extractor: imports are disabled"))
		return
	}
	body, err := readBody(c, s.opts.MaxBodyBytes)
	if err != nil {
		s.fail(c, err)
		return
	}
	var posted []PostedArticle
	trimmed := bytes.TrimSpace(body)
	switch {
	case len(trimmed) == 0:
		s.fail(c, invalid("empty body: send an article as a JSON object {url, title, published, language, text} or an array of them"))
		return
	case trimmed[0] == '[':
		err = json.Unmarshal(trimmed, &posted)
	default:
		var one PostedArticle
		err = json.Unmarshal(trimmed, &one)
		posted = []PostedArticle{one}
	}
	if err != nil {
		s.fail(c, invalid("malformed JSON: %v", err))
		return
	}
	res := PostResult{Articles: []graph.Extraction{}, Failed: []PostFailure{}}
	var batch []graph.Extraction
	var index []int
	for i, p := range posted {
		a, err := postedArticle(i, p)
		if err == nil {
			var x graph.Extraction
			x, err = s.opts.Extractor.Extract(a)
			if err == nil {
				batch = append(batch, x)
				index = append(index, i)
				continue
			}
		}
		res.Failed = append(res.Failed, PostFailure{Index: i, Reason: graph.ErrorMessage(err)})
	}
	if len(batch) > 0 {
		ctx, cancel := s.ctx(c)
		defer cancel()
		wr, err := s.store.Write(ctx, batch)
		if err != nil {
			s.fail(c, err)
			return
		}
		failed := map[string]string{}
		for _, f := range wr.Failed {
			failed[f.Article] = f.Reason
		}
		for j, x := range batch {
			if reason, bad := failed[x.Article.ID]; bad {
				res.Failed = append(res.Failed, PostFailure{Index: index[j], Reason: reason})
				continue
			}
			x.Article.Text = "" // the client has it; keep answers small
			res.Articles = append(res.Articles, x)
		}
		res.Imported, res.Unchanged = wr.Written, wr.Unchanged
	}
	status := http.StatusOK
	if len(res.Articles) == 0 && len(res.Failed) > 0 {
		status = http.StatusBadRequest
	}
	c.JSON(status, res)
}

func postedArticle(i int, p PostedArticle) (graph.Article, error) {
	where := fmt.Sprintf("article %d", i)
	if p.URL != "" {
		where += " (" + p.URL + ")"
	}
	a, err := article.Parse(where, []byte(p.Text))
	if err != nil {
		return a, err
	}
	pub, err := article.NormalizeDate(p.Published)
	if err != nil {
		return a, graph.Errorf(graph.EINVALID, "%s: published: %v", where, err)
	}
	a.URL, a.Published = strings.TrimSpace(p.URL), pub
	if p.Title != "" {
		a.Title = p.Title
	}
	if p.Language != "" {
		a.Language = strings.ToLower(p.Language)
	}
	a.ID = graph.ArticleID(a.URL, a.Text)
	return a, nil
}

// readBody reads the request body, refusing more than max bytes with 413.
func readBody(c *gin.Context, max int64) ([]byte, error) {
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, max)
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(c.Request.Body); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, errTooLarge(max)
		}
		return nil, invalid("reading the body: %v", err)
	}
	return buf.Bytes(), nil
}

// tooLarge is the error of a body over its limit (413).
type tooLarge struct{ max int64 }

func (e tooLarge) Error() string {
	return fmt.Sprintf("the body is larger than the %d-byte limit", e.max)
}

func errTooLarge(max int64) error { return tooLarge{max} }
