// Package web holds the defgraph viewer: the sources in src/ and, after
// `npm install && npm run build` in this directory, the bundle in dist/
// that the server embeds and serves.
package web

import (
	"embed"
	"io/fs"
)

// dist holds dist/.keep at least, so the package builds before npm runs.
//
//go:embed all:dist
var dist embed.FS

// Assets returns the built viewer (index.html, app.js, app.css) rooted at
// dist/. Before the bundle is built it holds only .keep; see Built.
func Assets() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		panic(err) // cannot happen: "dist" is a valid path
	}
	return sub
}

// Built reports whether the bundle was built (dist/index.html exists) when
// this binary was compiled.
func Built() bool {
	_, err := fs.Stat(dist, "dist/index.html")
	return err == nil
}
