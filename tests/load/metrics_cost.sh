#!/usr/bin/env bash
# What recording the metrics costs POST /generate, on 127.0.0.1 only and bounded in time. Two servers on the
# same configuration (tests/data/open.yaml: the default plugins, SQLite, access log on, no auth), one with
# `metrics: {enabled: true}` and one with `enabled: false`, loaded by two wrk runs AT THE SAME TIME for
# ROUNDS rounds: on a shared machine both sides then see the same interference, and with both saturating the
# CPU each gets about half of it, so the ratio of their rps is the ratio of their CPU cost per request.
# Prints each round's rps and ratio (on / off) and the median and spread of the ratios. With CALLGRIND=1 it
# then counts the instructions per request of each (valgrind's callgrind, all threads: the difference of a
# 1200- and a 200-request run of the same server, divided by 1000), which no other load disturbs.
# CALIBRATE=1 runs metrics off on both sides: the spread of that A/A ratio is the method's own noise.
# Usage: tests/load/metrics_cost.sh [BUILD_DIR] [SECONDS] [CONNECTIONS] [ROUNDS]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build/release}
seconds=${2:-10}
connections=${3:-64}
rounds=${4:-5}
work=$(mktemp -d)
pids=()

cleanup() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# config NAME true|false: open.yaml with metrics switched on or off (and its /metrics endpoint only when on).
config() {
  local name=$1 enabled=$2
  mkdir -p "$work/$name"
  {
    printf 'metrics: { enabled: %s }\n' "$enabled"
    if [ "$enabled" = true ]; then cat "$root/tests/data/open.yaml"; else grep -v 'action: metrics' "$root/tests/data/open.yaml"; fi
  } >"$work/$name/p2j.yaml"
}

# start NAME PORT [WRAPPER...]: serves $work/NAME/p2j.yaml on PORT and waits until it answers.
start() {
  local name=$1 port=$2
  shift 2
  P2J_DATA_DIR=$work/$name/data "$@" "$build/bin/p2j" serve --config "$work/$name/p2j.yaml" \
    --listen "127.0.0.1:$port" >"$work/$name/access.log" 2>"$work/$name/server.log" &
  pids+=($!)
  for _ in $(seq 600); do
    curl -sf "http://127.0.0.1:$port/livez" >/dev/null && return 0
    sleep 0.1
  done
  echo "the $name server did not start:" >&2
  cat "$work/$name/server.log" >&2
  return 1
}

# load PORT OUT: wrk against PORT's /generate, "rps errors" into OUT.
load() {
  wrk -t1 -c"$connections" -d"${seconds}s" --latency -s "$root/tests/load/generate.lua" "http://127.0.0.1:$1/generate" |
    sed -nE 's/^RESULT .* rps=([0-9.]+).* errors=([0-9]+).*/\1 \2/p' >"$2"
}

config on "$([ "${CALIBRATE:-0}" = 1 ] && echo false || echo true)"
config off false
on_port=$(free_port)
off_port=$(free_port)
start on "$on_port"
start off "$off_port"
ratios=()
for round in $(seq "$rounds"); do
  load "$on_port" "$work/on.rps" &
  on_load=$!
  load "$off_port" "$work/off.rps" &
  off_load=$!
  wait "$on_load" "$off_load"
  read -r on_rps on_errors <"$work/on.rps"
  read -r off_rps off_errors <"$work/off.rps"
  ratio=$(python3 -c "print(f'{$on_rps / $off_rps:.4f}')")
  ratios+=("$ratio")
  echo "round $round: metrics on $on_rps rps ($on_errors errors), off $off_rps rps ($off_errors errors), on/off $ratio"
done
python3 - "${ratios[@]}" <<'PY'
import statistics, sys
r = sorted(float(x) for x in sys.argv[1:])
print(f"on/off ratio: median {statistics.median(r):.4f}, min {r[0]:.4f}, max {r[-1]:.4f} over {len(r)} rounds"
      f" (cost {100 * (1 - statistics.median(r)):.2f} % of /generate rps at the median)")
PY
curl -s "http://127.0.0.1:$on_port/metrics" | grep -E '^http_requests_total\{handler="/generate"' || true

[ "${CALLGRIND:-0}" = 1 ] || exit 0
command -v valgrind >/dev/null || { echo "CALLGRIND=1 needs valgrind (apt-get install valgrind)"; exit 1; }
body='{"prompt": "Design a 10-story office building with steel and glass, 40x30 m"}'
# instructions NAME COUNT: total instructions (Ir) of a server under callgrind that served COUNT requests.
instructions() {
  local name=$1 count=$2 port pid
  port=$(free_port)
  rm -rf "$work/$name/data"
  start "$name" "$port" valgrind --tool=callgrind --callgrind-out-file="$work/$name/callgrind.$count" \
    --log-file="$work/$name/valgrind.log"
  pid=${pids[-1]}
  local urls=()
  for _ in $(seq "$count"); do urls+=("http://127.0.0.1:$port/generate"); done
  curl -s -H 'Content-Type: application/json' -d "$body" "${urls[@]}" >/dev/null
  kill -TERM "$pid"
  wait "$pid" || true
  sed -nE 's/^summary: ([0-9]+).*/\1/p' "$work/$name/callgrind.$count"
}
for name in on off; do
  small=$(instructions "$name" 200)
  large=$(instructions "$name" 1200)
  per_request=$(((large - small) / 1000))
  echo "callgrind, metrics $name: $per_request instructions per POST /generate"
done
