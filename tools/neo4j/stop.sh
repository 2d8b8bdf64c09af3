#!/usr/bin/env bash
# Stops the Neo4j that start-bg.sh started (the pid in NEO4J_PIDFILE,
# default $NEO4J_DATA/neo4j.pid): SIGTERM, a clean shutdown of up to 60 s,
# then SIGKILL. Does nothing when it is not running.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
NEO4J_DATA=${NEO4J_DATA:-$root/data/neo4j}
pidfile=${NEO4J_PIDFILE:-$NEO4J_DATA/neo4j.pid}
[ -s "$pidfile" ] || { echo "neo4j: no pid file $pidfile, nothing to stop"; exit 0; }
pid=$(cat "$pidfile")
if ! grep -qa Launcher.java "/proc/$pid/cmdline" 2>/dev/null; then
  echo "neo4j: pid $pid is not running the launcher any more"
  rm -f "$pidfile"
  exit 0
fi
kill -TERM "$pid"
for _ in $(seq 1 120); do
  kill -0 "$pid" 2>/dev/null || { rm -f "$pidfile"; echo "neo4j stopped (pid $pid)"; exit 0; }
  sleep 0.5
done
echo "neo4j: pid $pid did not stop within 60 s, killing it" >&2
kill -KILL "$pid" 2>/dev/null || true
rm -f "$pidfile"
