#!/usr/bin/env bash
# Instructions per request, the measure that does not move with the machine's load: serves p2j under
# valgrind's callgrind on 127.0.0.1 (the configuration tests/load/bench.sh uses: API key + JWT, access log,
# SQLite), and for each endpoint zeroes the counters, sends N requests one after another on one keep-alive
# connection, and reads the instructions every thread of the server executed. Bounded: N requests per endpoint
# (callgrind runs the server about 50x slower).
#
# Usage: tests/load/instructions.sh [--build DIR] [--requests N] [--keep DIR]
#   --keep DIR   leaves the callgrind profile of each endpoint in DIR (callgrind_annotate DIR/generate.out)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build/release
requests=2000
keep=""
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --keep) keep=$(mkdir -p "$2" && cd "$2" && pwd); shift 2 ;;
    *) echo "usage: $0 [--build DIR] [--requests N] [--keep DIR]" >&2; exit 2 ;;
  esac
done
build=$(cd "$build" && pwd)
tools="python3 $root/tests/load/bench_tools.py"
work=$(mktemp -d)
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

export P2J_API_KEY P2J_JWT_SECRET
P2J_API_KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
P2J_JWT_SECRET=$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n')
bearer=$($tools jwt "$P2J_JWT_SECRET" bench)
cat >"$work/p2j.yaml" <<YAML
server: { threads: 64, max_queued: 1024 }
logging: { level: info, access_log: true }
auth: { default: [key, jwt] }
plugins:
  rules:    { use: agent-rules }
  criteria: { use: evaluator-criteria }
  reviewer: { use: feedback-heuristic }
  key:      { use: auth-apikey }
  jwt:      { use: auth-jwt }
  db:       { use: storage-sqlite, config: { path: "\${P2J_DATA_DIR}/p2j.db" } }
storage: db
endpoints:
  - { method: POST, path: /generate, action: generate, agent: rules, rate_limit: none }
  - { method: POST, path: /evaluate, action: evaluate, evaluator: criteria, rate_limit: none }
  - { method: POST, path: /iterate,  action: iterate, agent: rules, evaluator: criteria, feedback: reviewer, rate_limit: none }
  - { method: GET,  path: /livez,    action: livez }
YAML
prompt="Design a 10-story office building with steel and glass, 40x30 m"
printf '{"prompt": "%s"}' "$prompt" >"$work/generate.json"
printf '{"prompt": "%s", "n_iter": 3}' "$prompt" >"$work/iterate.json"
printf '{"prompt": "%s", "spec": %s}' "$prompt" "$("$build/bin/p2j" generate "$prompt")" >"$work/evaluate.json"

port=$($tools free-port)
P2J_DATA_DIR=$work/data valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.%p" \
  "$build/bin/p2j" serve --config "$work/p2j.yaml" --listen "127.0.0.1:$port" >"$work/access.log" 2>"$work/server.log" &
server=$!
for _ in $(seq 600); do
  curl -sf "http://127.0.0.1:$port/livez" >/dev/null && break
  sleep 0.1
done

# measure NAME METHOD PATH [BODY_FILE]: prints the instructions per request of that endpoint.
measure() {
  local name=$1 method=$2 path=$3 body=${4:-}
  callgrind_control --zero "$server" >/dev/null 2>&1
  $tools drive "http://127.0.0.1:$port$path" "$method" "$requests" "$body" "$P2J_API_KEY" "$bearer"
  callgrind_control --dump="$name" "$server" >/dev/null 2>&1
  local profile
  profile=$(ls -t "$work"/callgrind.* | head -1)
  local total
  total=$(grep -m1 '^summary:' "$profile" | awk '{print $2}')
  [ -z "$keep" ] || cp "$profile" "$keep/$name.out"
  rm -f "$profile"
  awk -v t="$total" -v n="$requests" -v what="$method $path" 'BEGIN { printf "%-34s %12.0f instructions/request\n", what, t / n }'
}

echo "p2j under callgrind, $requests requests per endpoint, one keep-alive connection"
measure livez GET /livez
measure generate POST /generate "$work/generate.json"
measure evaluate POST /evaluate "$work/evaluate.json"
measure iterate POST /iterate "$work/iterate.json"
