#!/usr/bin/env bash
# How cost grows, on 127.0.0.1 and bounded (docs/performance.md has the results):
#   iterate   POST /iterate instructions per request (callgrind) against the rounds the loop ran, with the
#             design type's insight window full: the cost should be a fixed part plus one part per round.
#   reports   GET /reports/{id} against the evaluations table's size: the table is filled with copies of a
#             real /evaluate row (python3's sqlite3, ids sorted so the fill is fast) up to each size, and 5000
#             random reports are fetched one after another: latency and server CPU per request should stay
#             flat (a primary-key lookup).
#
# Usage: tests/load/growth.sh [--build DIR] [iterate] [reports] [--rows "1000 10000 100000 1000000"]
#   1M rows take about 3 GB in a temp dir and a few minutes to write; the iterate part about two minutes.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build/release
rows="1000 10000 100000 1000000"
parts=""
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift 2 ;;
    --rows) rows=$2; shift 2 ;;
    iterate|reports) parts="$parts $1"; shift ;;
    *) echo "usage: $0 [--build DIR] [iterate] [reports] [--rows \"1000 10000 ...\"]" >&2; exit 2 ;;
  esac
done
[ -n "$parts" ] || parts="iterate reports"
build=$(cd "$build" && pwd)
tools="python3 $root/tests/load/bench_tools.py"
work=$(mktemp -d)
server=""
stop_server() {
  if [ -n "$server" ]; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
  fi
}
trap 'stop_server; rm -rf "$work"' EXIT

cat >"$work/p2j.yaml" <<YAML
server: { threads: 64, max_queued: 1024 }
logging: { level: info, access_log: true }
plugins:
  rules:    { use: agent-rules }
  criteria: { use: evaluator-criteria }
  reviewer: { use: feedback-heuristic }
  db:       { use: storage-sqlite, config: { path: "\${P2J_DATA_DIR}/p2j.db" } }
storage: db
endpoints:
  - { method: POST, path: /evaluate, action: evaluate, evaluator: criteria, rate_limit: none }
  - { method: POST, path: /iterate,  action: iterate, agent: rules, evaluator: criteria, feedback: reviewer, rate_limit: none }
  - { method: GET,  path: "/reports/{id}", action: get_report, rate_limit: none }
  - { method: GET,  path: /livez,    action: livez }
YAML

# serve [WRAPPER...]: starts p2j (under WRAPPER, e.g. valgrind) on a free port; sets $server and $port.
serve() {
  port=$($tools free-port)
  P2J_DATA_DIR=$work/data "$@" "$build/bin/p2j" serve --config "$work/p2j.yaml" --listen "127.0.0.1:$port" \
    >"$work/access.log" 2>"$work/server.log" &
  server=$!
  for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$port/livez" >/dev/null && return
    sleep 0.1
  done
  echo "p2j did not start:" >&2
  cat "$work/server.log" >&2
  exit 1
}

# measure_iterate LABEL PROMPT N: prints n_iter, the rounds the loop ran and the instructions per request.
measure_iterate() {
  local label=$1 prompt=$2 n=$3 rounds profile total
  printf '{"prompt": "%s", "n_iter": %d}' "$prompt" "$n" >"$work/iterate.json"
  rounds=$(curl -s "http://127.0.0.1:$port/iterate" -H 'Content-Type: application/json' -d @"$work/iterate.json" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["total_iterations"])')
  callgrind_control --zero "$server" >/dev/null 2>&1
  $tools drive "http://127.0.0.1:$port/iterate" POST 20 "$work/iterate.json" "" ""
  callgrind_control --dump="n$n" "$server" >/dev/null 2>&1
  profile=$(ls -t "$work"/callgrind.* | head -1)
  total=$(grep -m1 '^summary:' "$profile" | awk '{print $2}')
  rm -f "$profile"
  awk -v p="$label" -v n="$n" -v r="$rounds" -v t="$total" 'BEGIN { printf "%-10s %-7d %-7d %22.0f\n", p, n, r, t / 20 }'
}

iterate_part() {
  # The loop stops early once the score reaches target_score or a round changes nothing: the building prompt
  # takes 2 rounds, the bridge 3, whatever n_iter allows beyond that.
  local building="Design a 10-story office building with steel and glass, 40x30 m" bridge="Design a bridge"
  serve valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.%p"
  # Fill each design type's insight window (100 rows) first, so every measured request reads a full one.
  for prompt in "$building" "$bridge"; do
    printf '{"prompt": "%s", "n_iter": 3}' "$prompt" >"$work/warm.json"
    $tools drive "http://127.0.0.1:$port/iterate" POST 40 "$work/warm.json" "" ""
  done
  echo "POST /iterate with the design type's insight window full (callgrind, 20 requests each)"
  printf '%-10s %-7s %-7s %22s\n' prompt n_iter rounds instructions/request
  for n in 1 2 3 10; do measure_iterate building "$building" "$n"; done
  for n in 1 2 3; do measure_iterate bridge "$bridge" "$n"; done
  stop_server
  rm -rf "$work/data"
}

reports_part() {
  serve
  local prompt="Design a 10-story office building with steel and glass, 40x30 m"
  printf '{"prompt": "%s", "spec": %s}' "$prompt" "$("$build/bin/p2j" generate "$prompt")" >"$work/evaluate.json"
  curl -sf "http://127.0.0.1:$port/evaluate" -H 'Content-Type: application/json' -d @"$work/evaluate.json" >/dev/null
  stop_server
  echo "GET /reports/{id}: 5000 random reports, one after another on one connection"
  printf '%-10s %12s %10s %10s %10s %16s\n' rows "db size MB" "mean us" "p50 us" "p99 us" "server CPU us/req"
  for count in $rows; do
    python3 - "$work/data/p2j.db" "$count" "$work/ids" <<'PY'
import random, sqlite3, sys, uuid
path, count, ids_file = sys.argv[1], int(sys.argv[2]), sys.argv[3]
db = sqlite3.connect(path)
template = db.execute("SELECT spec_id, prompt, evaluator, spec_data, eval_data, score, grade, created_at "
                      "FROM evaluations LIMIT 1").fetchone()
have = db.execute("SELECT COUNT(*) FROM evaluations").fetchone()[0]
# Ids ascending in key order: appending to the primary-key index is what keeps the fill fast.
new = sorted(str(uuid.uuid4()) for _ in range(max(0, count - have)))
db.executemany("INSERT INTO evaluations (id, spec_id, prompt, evaluator, spec_data, eval_data, score, grade,"
               " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               ((i,) + template for i in new))
db.commit()
ids = [row[0] for row in db.execute("SELECT id FROM evaluations")]
with open(ids_file, "w") as out:
    out.write("\n".join(random.choice(ids) for _ in range(5000)))
PY
    serve
    local cpu_before cpu_after latency size
    cpu_before=$($tools cpu "$server")
    latency=$($tools drive-paths "http://127.0.0.1:$port" "$work/ids" /reports/)
    cpu_after=$($tools cpu "$server")
    size=$(du -m "$work/data/p2j.db" | cut -f1)
    awk -v c="$count" -v s="$size" -v l="$latency" -v b="$cpu_before" -v a="$cpu_after" 'BEGIN {
      split(l, t, " "); split(b, x, " "); split(a, y, " ")
      printf "%-10d %12d %10.0f %10.0f %10.0f %16.1f\n", c, s, t[1], t[2], t[3], (y[1] + y[2] - x[1] - x[2]) * 1e6 / 5000 }'
    stop_server
  done
}

for part in $parts; do
  "${part}_part"
  echo
done
