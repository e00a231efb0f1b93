#!/usr/bin/env bash
# The performance benchmark, in one run on 127.0.0.1 and bounded in time: builds and starts the bare Poco
# reference server (tests/load/reference_server.cpp: fixed JSON, p2j's thread settings) and p2j, then runs wrk
# at each connection count against
#   the reference, GET /livez, POST /generate (API key + JWT, a committed SQLite row), POST /evaluate,
#   POST /iterate n_iter=3, and POST /generate on PostgreSQL (a throw-away server, scripts/postgres-test-server.sh)
# and prints rps, p50/p99/p99.9/max latency, errors and each rps as a ratio to the reference's at the same
# connection count, then start-to-ready time and RSS (idle, and the peak under load) of every server. Ratios
# are what to compare across machines; a loaded machine moves absolute numbers.
#
# Usage: tests/load/bench.sh [--build DIR] [--no-build] [--seconds N] [--connections "16 64 256"] [--threads N]
#                            [--only "reference livez generate evaluate iterate postgres"] [--no-postgres]
#                            [--postgres-url URL] [--sqlite-config "KEY: VALUE, ..."] [--smoke]
#   --build        the CMake build directory (default build/release); its p2j and reference server are built first
#   --no-build     measure the binaries already in DIR/bin and DIR/lib (a copy of another build, say)
#   --seconds      per point (default 10), after one unmeasured second of the same load; the whole run takes
#                  about (7 × connection counts × (N + 1)) seconds
#   --threads      server.threads of p2j and the reference (default 64, the default config's)
#   --only         the targets to measure (default all of them; the reference always runs)
#   --postgres-url a running PostgreSQL server to use (in a schema of its own, dropped after) instead of a new one
#   --sqlite-config more keys of storage-sqlite's config, YAML flow style, to compare its settings
#                  (e.g. "checkpoint_pages: 0")
#   --smoke        checks every point answers without errors (exit 1 otherwise) in ~10 s: 20 requests a point
#                  on one connection (bench_tools.py probe, not wrk), no settling pause, and PostgreSQL only on
#                  $P2J_TEST_POSTGRES_URL (skipped without it, failed in CI); ctest runs it (load.bench_smoke)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build/release
seconds=10
connections="16 64 256"
threads=64
targets="reference livez generate evaluate iterate postgres"
smoke=0
rebuild=1
postgres_url=""
sqlite_config=""
while [ $# -gt 0 ]; do
  case $1 in
    --build) build=$2; shift 2 ;;
    --no-build) rebuild=0; shift ;;
    --seconds) seconds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --only) targets="reference $2"; shift 2 ;;
    --no-postgres) targets=${targets/postgres/}; shift ;;
    --postgres-url) postgres_url=$2; shift 2 ;;
    --sqlite-config) sqlite_config=", $2"; shift 2 ;;
    --smoke) smoke=1; connections=1; shift ;;
    *) echo "usage: $0 [--build DIR] [--no-build] [--seconds N] [--connections \"16 64 256\"] [--threads N] [--only TARGETS] [--no-postgres] [--postgres-url URL] [--sqlite-config KEYS] [--smoke]" >&2
       exit 2 ;;
  esac
done
if [ "$smoke" -eq 1 ] && [ -z "$postgres_url" ] && [[ " $targets " == *" postgres "* ]]; then
  if [ -n "${P2J_TEST_POSTGRES_URL:-}" ]; then
    postgres_url=$P2J_TEST_POSTGRES_URL
  elif [ "${CI:-}" = true ]; then
    echo "bench.sh --smoke: P2J_TEST_POSTGRES_URL is not set (scripts/postgres-test-server.sh start DIR prints one)" >&2
    exit 1
  else
    echo "bench.sh --smoke: P2J_TEST_POSTGRES_URL is not set, PostgreSQL skipped" >&2
    targets=${targets/postgres/}
  fi
fi
build=$(cd "$build" && pwd)
tools="python3 $root/tests/load/bench_tools.py"

if [ "$rebuild" -eq 1 ]; then
  cmake --build "$build" --target p2j p2j_reference_server agent-rules evaluator-criteria feedback-heuristic \
    storage-sqlite storage-postgres auth-apikey auth-jwt >/dev/null
fi

work=$(mktemp -d)
postgres_dir=""  # its own mktemp -d: as root the server runs as the postgres user, which must reach it
postgres_schema=""  # on --postgres-url's server
server=""
results=$work/results.tsv
: >"$results"
stop_server() {
  if [ -n "$server" ]; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    server=""
  fi
}
cleanup() {
  stop_server
  if [ -n "$postgres_dir" ]; then
    "$root/scripts/postgres-test-server.sh" stop "$postgres_dir" >/dev/null 2>&1 || true
    rm -rf "$postgres_dir"
  fi
  if [ -n "$postgres_schema" ]; then psql "$postgres_url" -qc "DROP SCHEMA $postgres_schema CASCADE" >/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# Credentials from the environment, so no secret is generated or printed; the token is minted here.
export P2J_API_KEY
P2J_API_KEY=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export P2J_JWT_SECRET
P2J_JWT_SECRET=$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n')
bearer=$($tools jwt "$P2J_JWT_SECRET" bench)

# start NAME READY_PATH COMMAND...: serves (@PORT@ in COMMAND is a free port), records start-to-ready and the
# idle RSS; sets $server and $port.
start() {
  local name=$1 ready_path=$2
  shift 2
  port=$($tools free-port)
  local command=("${@//@PORT@/$port}") probe=$work/probe-$name
  mkdir "$probe"
  $tools wait-ready "http://127.0.0.1:$port$ready_path" "$probe" >"$probe/ready_ms" &
  local poller=$!
  while [ ! -e "$probe/polling" ]; do sleep 0.01; done
  local started
  started=$(date +%s%N)
  "${command[@]}" >"$work/$name.out" 2>"$work/$name.err" &
  server=$!
  echo "$started $server" >"$probe/started"
  if ! wait "$poller"; then
    cat "$work/$name.err" >&2
    exit 1
  fi
  ready_ms=$(cat "$probe/ready_ms")
  [ "$smoke" -eq 1 ] || sleep 0.5  # lets start-up allocations settle before the idle RSS
  read -r idle_rss _ < <($tools rss "$server")
  server_name=$name
}
# finish: records the server line (peak RSS is the high-water mark over its load) and stops it.
finish() {
  local peak_rss
  read -r _ peak_rss < <($tools rss "$server")
  printf 'server\t%s\t%s\t%s\t%s\n' "$server_name" "$ready_ms" "$idle_rss" "$peak_rss" >>"$results"
  stop_server
}

wanted() { [[ " $targets " == *" $1 "* ]]; }

# point NAME TARGET PATH [METHOD BODY_FILE AUTH]: wrk at every connection count against the running server,
# when NAME is one of the wanted targets.
point() {
  local name=$1 target=$2 path=$3 method=${4:-GET} body=${5:-} auth=${6:-}
  wanted "$name" || return 0
  local api_key="" token=""
  if [ "$auth" = auth ]; then api_key=$P2J_API_KEY; token=$bearer; fi
  for c in $connections; do
    local line switches_before switches_after cpu_before cpu_after
    if [ "$smoke" -eq 1 ]; then
      switches_before=$($tools switches "$server")
      cpu_before=$($tools cpu "$server")
      line=$($tools probe "http://127.0.0.1:$port$path" "$method" 20 "$body" "$api_key" "$token")
    else
      # One unmeasured second first: the server's threads, connections and database file grow to this load
      # before the point measures it (a cold database put stalls of up to ~300 ms into the p99 of runs here).
      BENCH_METHOD=$method BENCH_BODY_FILE=$body BENCH_API_KEY=$api_key BENCH_BEARER=$token \
        wrk -t2 -c"$c" -d1s -s "$root/tests/load/request.lua" "http://127.0.0.1:$port$path" >/dev/null
      switches_before=$($tools switches "$server")
      cpu_before=$($tools cpu "$server")
      line=$(BENCH_METHOD=$method BENCH_BODY_FILE=$body BENCH_API_KEY=$api_key BENCH_BEARER=$token \
        wrk -t2 -c"$c" -d"${seconds}s" --latency -s "$root/tests/load/request.lua" "http://127.0.0.1:$port$path" |
        grep '^RESULT')
    fi
    switches_after=$($tools switches "$server")
    cpu_after=$($tools cpu "$server")
    local rps p50 p99 p999 longest errors requests
    rps=$(sed -E 's/.* rps=([0-9.]+).*/\1/' <<<"$line")
    p50=$(sed -E 's/.* p50_ms=([0-9.]+).*/\1/' <<<"$line")
    p99=$(sed -E 's/.* p99_ms=([0-9.]+).*/\1/' <<<"$line")
    p999=$(sed -E 's/.* p999_ms=([0-9.]+).*/\1/' <<<"$line")
    longest=$(sed -E 's/.* max_ms=([0-9.]+).*/\1/' <<<"$line")
    errors=$(sed -E 's/.* errors=([0-9]+).*/\1/' <<<"$line")
    requests=$(sed -E 's/.* requests=([0-9]+).*/\1/' <<<"$line")
    # Per request: the server's context switches, and its user and system CPU time in microseconds.
    local per_request
    per_request=$(awk -v d=$((switches_after - switches_before)) -v n="$requests" \
      -v before="$cpu_before" -v after="$cpu_after" 'BEGIN {
        split(before, b, " "); split(after, a, " "); if (n == 0) n = 1
        printf "%.3f\t%.1f\t%.1f", d / n, (a[1] - b[1]) * 1e6 / n, (a[2] - b[2]) * 1e6 / n }')
    printf 'point\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$target" "$c" "$rps" "$p50" "$p99" "$p999" "$longest" \
      "$errors" "$per_request" >>"$results"
    echo "  $target c=$c: $rps rps, p99 $p99 ms, $errors errors" >&2
  done
}

# The p2j configuration: the default's auth and access log, no rate limit (it would cap the load at 20/minute).
write_config() {
  local storage=$1
  cat >"$work/p2j.yaml" <<YAML
server: { threads: $threads, max_queued: 1024 }
logging: { level: info, access_log: true }
auth: { default: [key, jwt] }
plugins:
  rules:    { use: agent-rules }
  criteria: { use: evaluator-criteria }
  reviewer: { use: feedback-heuristic }
  key:      { use: auth-apikey }
  jwt:      { use: auth-jwt }
  db:       $storage
storage: db
endpoints:
  - { method: POST, path: /generate, action: generate, agent: rules, rate_limit: none }
  - { method: POST, path: /evaluate, action: evaluate, evaluator: criteria, rate_limit: none }
  - { method: POST, path: /iterate,  action: iterate, agent: rules, evaluator: criteria, feedback: reviewer, rate_limit: none }
  - { method: GET,  path: /livez,    action: livez }
  - { method: GET,  path: /readyz,   action: readyz }
YAML
}

prompt="Design a 10-story office building with steel and glass, 40x30 m"
printf '{"prompt": "%s"}' "$prompt" >"$work/generate.json"
printf '{"prompt": "%s", "n_iter": 3}' "$prompt" >"$work/iterate.json"
printf '{"prompt": "%s", "spec": %s}' "$prompt" "$("$build/bin/p2j" generate "$prompt")" >"$work/evaluate.json"

echo "reference server (threads $threads)" >&2
start reference / "$build/bin/p2j_reference_server" --listen "127.0.0.1:@PORT@" --threads "$threads"
point reference reference /
finish

if wanted livez || wanted generate || wanted evaluate || wanted iterate; then
  echo "p2j on SQLite" >&2
  write_config "{ use: storage-sqlite, config: { path: \"\${P2J_DATA_DIR}/p2j.db\"$sqlite_config } }"
  P2J_DATA_DIR=$work/data-sqlite start p2j-sqlite /readyz \
    "$build/bin/p2j" serve --config "$work/p2j.yaml" --listen "127.0.0.1:@PORT@"
  point livez "GET /livez" /livez
  point generate "POST /generate (key+JWT, SQLite)" /generate POST "$work/generate.json" auth
  point evaluate "POST /evaluate (key+JWT, SQLite)" /evaluate POST "$work/evaluate.json" auth
  point iterate "POST /iterate n=3 (key+JWT, SQLite)" /iterate POST "$work/iterate.json" auth
  finish
fi

if wanted postgres; then
  echo "p2j on PostgreSQL" >&2
  if [ -n "$postgres_url" ]; then
    postgres_schema="p2j_bench_$$_$RANDOM"
    psql "$postgres_url" -qc "CREATE SCHEMA $postgres_schema" >/dev/null
    separator='?'
    [[ $postgres_url == *\?* ]] && separator='&'
    url="${postgres_url}${separator}options=-csearch_path%3D${postgres_schema}"
  else
    postgres_dir=$(mktemp -d)
    url=$("$root/scripts/postgres-test-server.sh" start "$postgres_dir")
  fi
  write_config "{ use: storage-postgres, config: { connection: \"$url\", spool_path: \"\${P2J_DATA_DIR}/spool.db\" } }"
  P2J_DATA_DIR=$work/data-postgres "$build/bin/p2j" migrate --config "$work/p2j.yaml" >/dev/null
  P2J_DATA_DIR=$work/data-postgres start p2j-postgres /readyz \
    "$build/bin/p2j" serve --config "$work/p2j.yaml" --listen "127.0.0.1:@PORT@"
  point postgres "POST /generate (key+JWT, PostgreSQL)" /generate POST "$work/generate.json" auth
  finish
fi

echo
mode="wrk -t2, ${seconds} s per point"
[ "$smoke" -eq 1 ] && mode="smoke, 20 requests a point on one connection"
echo "p2j benchmark: $mode, server.threads $threads, $(nproc) cores ($(uptime | sed 's/.*load/load/'))"
$tools table "$results"

if [ "$smoke" -eq 1 ]; then
  awk -F'\t' '$1 == "point" && ($4 + 0 == 0 || $9 + 0 > 0) { bad = 1; print "smoke: " $2 " failed" > "/dev/stderr" }
              END { exit bad }' "$results"
fi
