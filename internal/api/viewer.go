package api

import (
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/defgraph/defgraph/graph"
)

const notBuilt = `<!doctype html><meta charset="utf-8"><title>defgraph</title>
<p>The viewer has not been built. Run <code>make run</code> (or <code>make web</code>) to build it; the API is at <a href="/api/v1/stats">/api/v1/stats</a>.</p>`

// fallback answers every request no route matched: a JSON 404 under /api,
// else a file of the viewer (index.html for the root and for any path that
// is not a file, so that links like /?focus=MAR reopen the view).
func (s *Server) fallback(c *gin.Context) {
	p := c.Request.URL.Path
	if strings.HasPrefix(p, "/api/") || p == "/api" {
		s.fail(c, graph.Errorf(graph.ENOTFOUND, "no such API route: %s %s", c.Request.Method, p))
		return
	}
	if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
		c.AbortWithStatus(http.StatusMethodNotAllowed)
		return
	}
	assets := s.opts.Assets
	if assets == nil {
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(notBuilt))
		return
	}
	name := strings.TrimPrefix(path.Clean(p), "/")
	if name == "" {
		name = "index.html"
	}
	if st, err := fs.Stat(assets, name); err != nil || st.IsDir() {
		if path.Ext(name) != "" {
			c.AbortWithStatus(http.StatusNotFound)
			return
		}
		name = "index.html"
	}
	data, err := fs.ReadFile(assets, name)
	if err != nil {
		c.Data(http.StatusOK, "text/html; charset=utf-8", []byte(notBuilt))
		return
	}
	if name == "index.html" {
		c.Header("Cache-Control", "no-cache")
	}
	ctype := mime.TypeByExtension(path.Ext(name))
	if ctype == "" {
		ctype = http.DetectContentType(data)
	}
	c.Data(http.StatusOK, ctype, data)
}
