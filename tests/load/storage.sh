#!/usr/bin/env bash
# Write throughput of the storage plugins, on 127.0.0.1 only and bounded in time: for storage-sqlite and then
# storage-postgres (a throw-away server from scripts/postgres-test-server.sh), starts p2j with a fresh data
# dir and runs wrk against GET /livez and POST /generate in the same run, then counts the committed rows.
# The server has no auth and no rate limit: the path measured is agent + storage commit.
# Usage: tests/load/storage.sh [BUILD_DIR] [SECONDS] [CONNECTIONS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
seconds=${2:-10}
connections=${3:-64}
work=$(mktemp -d)
postgres_dir=$(mktemp -d)
server=""

cleanup() {
  if [ -n "$server" ]; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  "$root/scripts/postgres-test-server.sh" stop "$postgres_dir" >/dev/null 2>&1 || true
  rm -rf "$work" "$postgres_dir"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

write_config() {
  local storage=$1
  cat >"$work/p2j.yaml" <<YAML
server: { threads: $connections, max_queued: 1024 }
logging: { level: warn, access_log: false }
plugins:
  rules: { use: agent-rules }
  db: $storage
storage: db
endpoints:
  - { method: POST, path: /generate, action: generate, agent: rules }
  - { method: GET,  path: /livez,    action: livez }
YAML
}

wrk_run() {
  local port=$1 script=$2 path=$3
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "$root/tests/load/$script" "http://127.0.0.1:$port$path" |
    grep '^RESULT' | sed "s|^RESULT|$path|"
}

# bench NAME COUNT_COMMAND: serves $work/p2j.yaml, measures, prints, counts rows, stops the server.
bench() {
  local name=$1 count_command=$2 port
  port=$(free_port)
  P2J_DATA_DIR=$work/data-$name "$build/bin/p2j" serve --config "$work/p2j.yaml" --listen "127.0.0.1:$port" \
    >"$work/$name.out" 2>"$work/$name.err" &
  server=$!
  for _ in $(seq 150); do
    curl -sf "http://127.0.0.1:$port/livez" >/dev/null && break
    sleep 0.1
  done
  local livez generate
  livez=$(wrk_run "$port" livez.lua /livez)
  generate=$(wrk_run "$port" generate.lua /generate)
  kill -TERM "$server"
  wait "$server" || true
  server=""
  rps() { sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$1"; }
  echo "[$name] $livez"
  echo "[$name] $generate"
  echo "[$name] ratio /generate : /livez rps = $(python3 -c "print(f'{$(rps "$generate") / $(rps "$livez"):.3f}')")"
  echo "[$name] rows committed: $(eval "$count_command")"
}

write_config "{ use: storage-sqlite, config: { path: \"\${P2J_DATA_DIR}/p2j.db\" } }"
bench sqlite "python3 -c \"import sqlite3; print(sqlite3.connect('$work/data-sqlite/p2j.db').execute('SELECT COUNT(*) FROM specs').fetchone()[0])\""

url=$("$root/scripts/postgres-test-server.sh" start "$postgres_dir")
write_config "{ use: storage-postgres, config: { connection: \"$url\", pool_size: 16, spool_path: \"\${P2J_DATA_DIR}/spool.db\" } }"
P2J_DATA_DIR=$work/data-postgres "$build/bin/p2j" migrate --config "$work/p2j.yaml" >/dev/null
bench postgres "psql -Atc 'SELECT COUNT(*) FROM specs' '$url'"
