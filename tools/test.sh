#!/usr/bin/env bash
# Runs every test. When Java and Maven are present it starts a real Neo4j
# (tools/neo4j) on a spare port for the Neo4j tests and stops it afterwards;
# with CI=true a Neo4j that cannot start fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEFGRAPH_TEST_OUT=${DEFGRAPH_TEST_OUT:-$PWD/data/test-output}
mkdir -p "$DEFGRAPH_TEST_OUT"

if [ -x tools/neo4j/start-bg.sh ] && command -v java >/dev/null && command -v mvn >/dev/null; then
  export NEO4J_BOLT_PORT=${NEO4J_BOLT_PORT:-17687}
  export NEO4J_DATA=${NEO4J_DATA:-$(mktemp -d /tmp/defgraph-neo4j-test.XXXXXX)}
  export NEO4J_PIDFILE=$NEO4J_DATA/neo4j.pid
  export DEFGRAPH_TEST_NEO4J_URI=bolt://127.0.0.1:$NEO4J_BOLT_PORT
  trap 'tools/neo4j/stop.sh || true' EXIT
  tools/neo4j/start-bg.sh
elif [ "${CI:-}" = true ]; then
  echo "CI=true but Java, Maven or tools/neo4j is missing: the Neo4j tests cannot run" >&2
  exit 1
fi

go vet ./...
go test -count=1 -timeout 30m ./...
