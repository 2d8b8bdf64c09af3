# defgraph — the two commands of the README:
#   make run    build everything, import examples/articles/ into the embedded
#               store if it is empty, serve on http://localhost:8080
#   make test   install what a fresh machine lacks, start a real Neo4j, run every test
SHELL := /bin/bash
GO    ?= go
BIN   := bin/defgraph
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: run test build web web-deps chromium neo4j clean

run: build
	DEFGRAPH_HTTP_ADDR=$${DEFGRAPH_HTTP_ADDR:-127.0.0.1:8080} ./$(BIN) serve --seed examples/articles

build: web
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/defgraph

# The viewer: npm packages from the lock file, then the esbuild bundle into
# web/dist, which the binary embeds.
web-deps: web/node_modules/.package-lock.json
web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	cd web && npm ci --no-audit --no-fund
web: web-deps
	cd web && npm run build

# Debian's chromium, for the browser tests.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

test: web chromium
	tools/test.sh

# A Neo4j server for development on bolt://127.0.0.1:7687 (data in data/neo4j).
neo4j:
	tools/neo4j/run.sh

clean:
	rm -rf bin web/dist/assets web/dist/*.js web/dist/*.css web/dist/*.html
