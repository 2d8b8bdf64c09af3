#!/usr/bin/env bash
# Starts tools/neo4j/run.sh in the background and waits until its Bolt port
# accepts TCP connections. Exits non-zero, with the tail of the log, when it
# does not within NEO4J_START_TIMEOUT seconds (default 120; fetching the
# jars on a first run comes before and is not counted).
#
#   NEO4J_DATA, NEO4J_BOLT_PORT  as for run.sh
#   NEO4J_LOG                    the server's output (default $NEO4J_DATA/neo4j.log)
#   NEO4J_PIDFILE                its pid (default $NEO4J_DATA/neo4j.pid); stop.sh reads it
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
export NEO4J_DATA=${NEO4J_DATA:-$root/data/neo4j}
export NEO4J_BOLT_PORT=${NEO4J_BOLT_PORT:-7687}
log=${NEO4J_LOG:-$NEO4J_DATA/neo4j.log}
pidfile=${NEO4J_PIDFILE:-$NEO4J_DATA/neo4j.pid}
timeout=${NEO4J_START_TIMEOUT:-120}
mkdir -p "$NEO4J_DATA" "$(dirname "$log")" "$(dirname "$pidfile")"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$NEO4J_BOLT_PORT") 2>/dev/null; }
ours() { [ -s "$pidfile" ] && grep -qa Launcher.java "/proc/$(cat "$pidfile")/cmdline" 2>/dev/null; }

if ours && port_open; then
  echo "neo4j already running (pid $(cat "$pidfile")) on bolt://127.0.0.1:$NEO4J_BOLT_PORT"
  exit 0
fi
if port_open; then
  echo "tools/neo4j/start-bg.sh: 127.0.0.1:$NEO4J_BOLT_PORT is already in use by another process" >&2
  exit 1
fi

"$here/run.sh" --resolve

t0=$(date +%s%N)
nohup "$here/run.sh" >"$log" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$pidfile"
deadline=$(( $(date +%s) + timeout ))
until port_open; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "tools/neo4j/start-bg.sh: neo4j exited before opening bolt://127.0.0.1:$NEO4J_BOLT_PORT; last lines of $log:" >&2
    tail -n 40 "$log" >&2
    rm -f "$pidfile"
    exit 1
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "tools/neo4j/start-bg.sh: neo4j did not open bolt://127.0.0.1:$NEO4J_BOLT_PORT within ${timeout}s; last lines of $log:" >&2
    tail -n 40 "$log" >&2
    kill -TERM "$pid" 2>/dev/null || true
    rm -f "$pidfile"
    exit 1
  fi
  sleep 0.5
done
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
printf 'neo4j ready on bolt://127.0.0.1:%s (pid %s, %d.%d s, log %s)\n' "$NEO4J_BOLT_PORT" "$pid" $((ms / 1000)) $((ms % 1000 / 100)) "$log"
