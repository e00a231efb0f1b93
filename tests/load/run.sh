#!/usr/bin/env bash
# Load test on 127.0.0.1 only, bounded in time: starts p2j on tests/data/open.yaml (the default plugins
# without auth, so the request path itself is measured) with a fresh data dir,
# runs wrk against GET /livez and POST /generate in the same run, and prints both and their ratio.
# Usage: tests/load/run.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
seconds=${2:-10}
connections=${3:-64}
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

P2J_DATA_DIR=$work/data "$build/bin/p2j" serve --config "$root/tests/data/open.yaml" --listen "127.0.0.1:$port" \
  >"$work/access.log" 2>"$work/server.log" &
server=$!
cleanup() {
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/livez" >/dev/null && break
  sleep 0.1
done

run() {
  local script=$1 path=$2
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$root/tests/load/$script" "http://127.0.0.1:$port$path" |
    grep '^RESULT' | sed "s|^RESULT|$path|"
}
livez=$(run livez.lua /livez)
generate=$(run generate.lua /generate)
echo "$livez"
echo "$generate"
rps() { sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$1"; }
echo "ratio /generate : /livez rps = $(python3 -c "print(f'{$(rps "$generate") / $(rps "$livez"):.3f}')")"
echo "rows committed: $(sqlite3 "$work/data/p2j.db" 'SELECT COUNT(*) FROM specs' 2>/dev/null || echo '?')"
