// Package api serves the graph over HTTP with Gin: JSON under /api/v1, a
// health check at /healthz, and the embedded viewer at /. Every route is
// declared in one place, Server.routes.
package api

import (
	"io/fs"
	"log/slog"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/defgraph/defgraph/graph"
)

// Options configure a Server.
type Options struct {
	// Assets is the built viewer (web.Assets()); nil serves a page that says
	// the viewer was not built.
	Assets fs.FS
	// Logger receives one line per request; nil discards them.
	Logger *slog.Logger
}

// Server is the HTTP API over one graph.Store.
type Server struct {
	store  graph.Store
	opts   Options
	engine *gin.Engine
}

// New returns a Server reading from store.
func New(store graph.Store, opts Options) *Server {
	gin.SetMode(gin.ReleaseMode)
	s := &Server{store: store, opts: opts, engine: gin.New()}
	s.engine.Use(gin.Recovery())
	if opts.Logger != nil {
		s.engine.Use(s.logRequests)
	}
	s.routes()
	return s
}

// Handler returns the http.Handler serving every route.
func (s *Server) Handler() http.Handler { return s.engine }

// routes declares every route of the server.
func (s *Server) routes() {
	r := s.engine
	r.GET("/healthz", s.healthz)

	v1 := r.Group("/api/v1")
	v1.GET("/search", s.search)
	v1.GET("/entities/:key", s.entity)
	v1.GET("/entities/:key/neighbors", s.neighbors)
	v1.GET("/timeline", s.timeline)
	v1.GET("/paths", s.paths)
	v1.GET("/articles/:id", s.article)
	v1.GET("/stats", s.stats)

	// Anything else: a JSON 404 under /api, else the viewer's files.
	r.NoRoute(s.fallback)
	r.NoMethod(s.fallback)
	r.HandleMethodNotAllowed = false
}
