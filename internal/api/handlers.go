package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/defgraph/defgraph/graph"
)

// requestTimeout bounds every store call made for one request.
const requestTimeout = 30 * time.Second

func (s *Server) ctx(c *gin.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(c.Request.Context(), requestTimeout)
}

// errorBody is the JSON of every error answer.
type errorBody struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// fail answers with the status that err's code calls for and its message.
func (s *Server) fail(c *gin.Context, err error) {
	status := http.StatusInternalServerError
	code := graph.ErrorCode(err)
	switch code {
	case graph.ENOTFOUND:
		status = http.StatusNotFound
	case graph.EINVALID:
		status = http.StatusBadRequest
	case graph.EUNAVAILABLE:
		status = http.StatusServiceUnavailable
	}
	var big tooLarge
	if errors.As(err, &big) {
		status, code = http.StatusRequestEntityTooLarge, "too_large"
	}
	if errors.Is(err, context.DeadlineExceeded) {
		status, code = http.StatusServiceUnavailable, graph.EUNAVAILABLE
		err = graph.Errorf(code, "the store did not answer within %s", requestTimeout)
	}
	var b errorBody
	b.Error.Code = code
	b.Error.Message = graph.ErrorMessage(err)
	if code == "too_large" {
		b.Error.Message = err.Error()
	}
	if status == http.StatusInternalServerError && s.opts.Logger != nil {
		s.opts.Logger.Error("request failed", "path", c.Request.URL.Path, "err", err)
	}
	c.AbortWithStatusJSON(status, b)
}

func invalid(format string, args ...any) error {
	return graph.Errorf(graph.EINVALID, format, args...)
}

func (s *Server) healthz(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), 5*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		var b errorBody
		b.Error.Code = graph.EUNAVAILABLE
		b.Error.Message = graph.ErrorMessage(err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "error": b.Error})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
}

func (s *Server) search(c *gin.Context) {
	q := strings.TrimSpace(c.Query("q"))
	if q == "" {
		s.fail(c, invalid("parameter q is required: the text to search for"))
		return
	}
	limit, err := intParam(c, "limit", 20, 1, 100)
	if err != nil {
		s.fail(c, err)
		return
	}
	types, err := entityTypes(c, "types")
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	res, err := s.store.Search(ctx, q, graph.SearchOptions{Types: types, Limit: limit})
	if err != nil {
		s.fail(c, err)
		return
	}
	if res == nil {
		res = []graph.EntitySummary{}
	}
	c.JSON(http.StatusOK, gin.H{"query": q, "results": res})
}

func (s *Server) entity(c *gin.Context) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	e, err := s.store.Entity(ctx, c.Param("key"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, e)
}

func (s *Server) neighbors(c *gin.Context) {
	depth, err := intParam(c, "depth", 1, 1, graph.MaxDepth)
	if err != nil {
		s.fail(c, err)
		return
	}
	types, err := entityTypes(c, "types")
	if err != nil {
		s.fail(c, err)
		return
	}
	f, err := eventFilters(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	g, err := s.store.Neighbors(ctx, c.Param("key"), graph.NeighborOptions{
		Depth: depth, NodeTypes: types, EventTypes: f.events, From: f.from, To: f.to, Limit: f.limit,
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, g)
}

func (s *Server) timeline(c *gin.Context) {
	entity := strings.TrimSpace(c.Query("entity"))
	if entity == "" {
		s.fail(c, invalid("parameter entity is required: the key of the entity whose events to list"))
		return
	}
	f, err := eventFilters(c)
	if err != nil {
		s.fail(c, err)
		return
	}
	with := strings.TrimSpace(c.Query("with"))
	ctx, cancel := s.ctx(c)
	defer cancel()
	evs, err := s.store.Timeline(ctx, graph.TimelineQuery{
		Entity: entity, With: with, EventTypes: f.events, From: f.from, To: f.to, Limit: f.limit,
	})
	if err != nil {
		s.fail(c, err)
		return
	}
	if evs == nil {
		evs = []graph.EventDetail{}
	}
	c.JSON(http.StatusOK, gin.H{"entity": entity, "with": with, "events": evs})
}

func (s *Server) paths(c *gin.Context) {
	from, to := strings.TrimSpace(c.Query("from")), strings.TrimSpace(c.Query("to"))
	if from == "" || to == "" {
		s.fail(c, invalid("parameters from and to are required: the keys of the two entities to connect"))
		return
	}
	maxDepth, err := intParam(c, "maxDepth", graph.DefaultPathDepth, 1, 2*graph.DefaultPathDepth)
	if err != nil {
		s.fail(c, err)
		return
	}
	ctx, cancel := s.ctx(c)
	defer cancel()
	p, err := s.store.ShortestPath(ctx, from, to, maxDepth)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, p)
}

func (s *Server) article(c *gin.Context) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	a, err := s.store.Article(ctx, c.Param("id"))
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, a)
}

func (s *Server) stats(c *gin.Context) {
	ctx, cancel := s.ctx(c)
	defer cancel()
	st, err := s.store.Stats(ctx)
	if err != nil {
		s.fail(c, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

// intParam reads an optional integer parameter within [min, max].
func intParam(c *gin.Context, name string, def, min, max int) (int, error) {
	v := strings.TrimSpace(c.Query(name))
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, invalid("parameter %s=%q is not a whole number", name, v)
	}
	if n < min || n > max {
		return 0, invalid("parameter %s=%d is out of range: it must be between %d and %d", name, n, min, max)
	}
	return n, nil
}

// list reads a parameter given as a comma-separated list or repeated.
func list(c *gin.Context, name string) []string {
	var out []string
	for _, v := range c.QueryArray(name) {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
	}
	return out
}

func entityTypes(c *gin.Context, name string) ([]graph.EntityType, error) {
	var out []graph.EntityType
	for _, v := range list(c, name) {
		t := graph.EntityType(v)
		if !t.Valid() {
			return nil, invalid("parameter %s: %q is not an entity type (one of %v)", name, v, graph.EntityTypes)
		}
		out = append(out, t)
	}
	return out, nil
}

func eventTypes(c *gin.Context, name string) ([]graph.EventType, error) {
	var out []graph.EventType
	for _, v := range list(c, name) {
		t := graph.EventType(strings.ToUpper(v))
		if !t.Valid() {
			return nil, invalid("parameter %s: %q is not an event type (one of %v)", name, v, graph.EventTypes)
		}
		out = append(out, t)
	}
	return out, nil
}

// filters are the parameters neighbors and timeline share: limit, events
// (event types), from and to.
type filters struct {
	limit    int
	events   []graph.EventType
	from, to string
}

func eventFilters(c *gin.Context) (filters, error) {
	var f filters
	var err error
	if f.limit, err = intParam(c, "limit", graph.DefaultLimit, 1, 5000); err != nil {
		return f, err
	}
	if f.events, err = eventTypes(c, "events"); err != nil {
		return f, err
	}
	f.from, f.to, err = dateRange(c)
	return f, err
}

func dateRange(c *gin.Context) (string, string, error) {
	from, to := strings.TrimSpace(c.Query("from")), strings.TrimSpace(c.Query("to"))
	for _, p := range [][2]string{{"from", from}, {"to", to}} {
		if !graph.ValidDate(p[1]) {
			return "", "", invalid("parameter %s=%q is not a date: use YYYY, YYYY-MM or YYYY-MM-DD", p[0], p[1])
		}
	}
	if from != "" && to != "" && from > to {
		return "", "", invalid("parameter from=%s is after to=%s", from, to)
	}
	return from, to, nil
}

func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	s.opts.Logger.Info(fmt.Sprintf("%s %s", c.Request.Method, c.Request.URL.RequestURI()),
		"status", c.Writer.Status(), "ms", time.Since(start).Milliseconds())
}
