#!/usr/bin/env bash
# Runs a development/test Neo4j 5.26 (embedded, community) with Bolt on
# 127.0.0.1, in the foreground, until SIGTERM or SIGINT.
#
#   NEO4J_DATA       its home folder (default data/neo4j under the repo root)
#   NEO4J_BOLT_PORT  the Bolt port (default 7687)
#   NEO4J_HEAP       the JVM's maximum heap (default 1g)
#   JAVA             the java to run (default $JAVA_HOME/bin/java, else java)
#
# The first run asks Maven for the jars (pom.xml) and caches the class path
# in tools/neo4j/target/classpath.txt; later runs start at once.
# `run.sh --resolve` only does that and exits.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

cp_file=$here/target/classpath.txt
stale() {
  [ ! -s "$cp_file" ] && return 0
  [ "$here/pom.xml" -nt "$cp_file" ] && return 0
  # The local Maven repository may have been emptied since.
  local first; first=$(cut -d: -f1 "$cp_file")
  [ ! -f "$first" ]
}
if stale; then
  command -v mvn >/dev/null || { echo "tools/neo4j/run.sh: mvn not found (needed once to fetch Neo4j)" >&2; exit 1; }
  echo "tools/neo4j/run.sh: resolving the Neo4j jars with Maven (first run only)" >&2
  mkdir -p "$here/target"
  if ! mvn -q -B -Dstyle.color=never -f "$here/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$cp_file.tmp" >"$here/target/mvn.log" 2>&1; then
    echo "tools/neo4j/run.sh: Maven could not resolve the Neo4j jars:" >&2
    tail -n 40 "$here/target/mvn.log" >&2
    exit 1
  fi
  mv "$cp_file.tmp" "$cp_file"
fi
[ "${1:-}" = --resolve ] && exit 0

if [ -z "${JAVA:-}" ]; then
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then JAVA=$JAVA_HOME/bin/java; else JAVA=java; fi
fi

export NEO4J_DATA=${NEO4J_DATA:-$root/data/neo4j}
export NEO4J_BOLT_PORT=${NEO4J_BOLT_PORT:-7687}
mkdir -p "$NEO4J_DATA"
exec "$JAVA" -Xmx"${NEO4J_HEAP:-1g}" -XX:+UseG1GC -Dfile.encoding=UTF-8 \
  -cp "$(cat "$cp_file")" "$here/Launcher.java"
