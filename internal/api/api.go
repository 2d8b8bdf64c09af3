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
	"github.com/defgraph/defgraph/internal/importer"
)

// Options configure a Server.
type Options struct {
	// Assets is the built viewer (web.Assets()); nil serves a page that says
	// the viewer was not built.
	Assets fs.FS
	// Logger receives one line per request; nil discards them.
	Logger *slog.Logger

	// Extractor reads the articles posted to the write endpoints; nil
	// disables them (503).
	Extractor importer.Extractor
	// Tokens are the bearer tokens the write endpoints accept (api.tokens).
	// With none, writes are refused.
	Tokens []string
	// ProtectReads makes the read endpoints require a token too
	// (api.protect_reads).
	ProtectReads bool
	// MaxBodyBytes bounds the body of POST /articles (default 10 MiB);
	// MaxUploadBytes bounds a POST /imports upload (default 256 MiB).
	MaxBodyBytes, MaxUploadBytes int64
	// UploadDir is where uploads wait for their import job (default: the
	// system's temporary folder).
	UploadDir string
	// Import tunes the background import jobs.
	Import importer.Options
}

// Server is the HTTP API over one graph.Store.
type Server struct {
	store  graph.Store
	opts   Options
	engine *gin.Engine
	jobs   *jobs
}

// New returns a Server reading from store.
func New(store graph.Store, opts Options) *Server {
	gin.SetMode(gin.ReleaseMode)
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 10 << 20
	}
	if opts.MaxUploadBytes <= 0 {
		opts.MaxUploadBytes = 256 << 20
	}
	s := &Server{store: store, opts: opts, engine: gin.New(), jobs: newJobs()}
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
	if s.opts.ProtectReads {
		v1.Use(s.requireToken)
	}
	v1.GET("/search", s.search)
	v1.GET("/entities/:key", s.entity)
	v1.GET("/entities/:key/neighbors", s.neighbors)
	v1.GET("/timeline", s.timeline)
	v1.GET("/paths", s.paths)
	v1.GET("/articles/:id", s.article)
	v1.GET("/stats", s.stats)

	w := v1.Group("", s.requireToken)
	w.POST("/articles", s.postArticles)
	w.POST("/imports", s.postImport)
	w.GET("/imports", s.listImports)
	w.GET("/imports/:id", s.getImport)

	// Anything else: a JSON 404 under /api, else the viewer's files.
	r.NoRoute(s.fallback)
	r.NoMethod(s.fallback)
	r.HandleMethodNotAllowed = false
}
