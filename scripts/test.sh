#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test:
#   - formatting (clang-format), warnings as errors
#   - unit + integration tests (ctest) in the release build, then again under ASan + UBSan (without the
#     tests labelled release-only: the packages, the container image, load tests, the end-to-end, browser,
#     property and newman tests)
#   - the npm steps: the build runs `npm ci` for web/ (Swagger UI, ReDoc) and tests/web/ (the API test tools);
#     the release ctest runs tests/web/ (label web): Redocly lint, headless Chromium on /docs and /redoc,
#     the property-based API test and newman, about 90 s together
# and ends with one ctest-style summary line over all of it. Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh || { echo "dependency installation failed"; exit 1; }

# A real PostgreSQL and a real Redis from Debian's packages for the storage, cache and rate-limit tests
# (127.0.0.1, free ports, fresh data under temp dirs), stopped on exit, whatever happens before. Without them
# their tests fail when CI=true. The tests that kill or pause a server (and the e2e test's nginx) start
# servers of their own with the same scripts.
postgres_dir=$(mktemp -d)
redis_dir=$(mktemp -d)
stop_servers() {
  scripts/postgres-test-server.sh stop "$postgres_dir" || echo "could not stop the test PostgreSQL in $postgres_dir"
  scripts/redis-test-server.sh stop "$redis_dir" || echo "could not stop the test Redis in $redis_dir"
  rm -rf "$postgres_dir" "$redis_dir"
}
trap stop_servers EXIT
if P2J_TEST_POSTGRES_URL=$(scripts/postgres-test-server.sh start "$postgres_dir"); then
  export P2J_TEST_POSTGRES_URL
  echo "test PostgreSQL: $P2J_TEST_POSTGRES_URL"
else
  echo "the test PostgreSQL did not start: its tests will fail or be skipped"
fi
if P2J_TEST_REDIS_URL=$(scripts/redis-test-server.sh start "$redis_dir"); then
  export P2J_TEST_REDIS_URL
  echo "test Redis: $P2J_TEST_REDIS_URL"
else
  echo "the test Redis did not start: its tests will fail or be skipped"
fi

total=0
failed=0
failures=()

# A check that is one test: `check NAME COMMAND...`
check() {
  local name=$1
  shift
  echo "=== $name"
  total=$((total + 1))
  if "$@"; then
    echo "--- $name: passed"
  else
    failed=$((failed + 1))
    failures+=("$name")
    echo "--- $name: FAILED"
  fi
}

# A ctest run counts as its own tests: `run_ctest NAME BUILD_DIR [ctest args...]`
run_ctest() {
  local name=$1 dir=$2
  shift 2
  echo "=== $name"
  local log
  log=$(mktemp)
  ctest --test-dir "$dir" --output-on-failure -j2 "$@" 2>&1 | tee "$log"
  local summary
  summary=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$log" | tail -1)
  rm -f "$log"
  if [ -z "$summary" ]; then
    total=$((total + 1))
    failed=$((failed + 1))
    failures+=("$name (no test summary)")
    return
  fi
  local n_failed n_total
  n_failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$summary")
  n_total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$summary")
  total=$((total + n_total))
  failed=$((failed + n_failed))
  [ "$n_failed" -eq 0 ] || failures+=("$name ($n_failed failed)")
}

build() {
  local preset=$1
  shift
  cmake --preset "$preset" -DP2J_WERROR=ON "$@" >/dev/null && cmake --build --preset "$preset"
}

format_check() {
  git ls-files '*.cpp' '*.hpp' '*.h' | xargs clang-format-14 --dry-run --Werror
}

check "format (clang-format)" format_check

if build release; then
  run_ctest "release tests" build/release
else
  total=$((total + 1)); failed=$((failed + 1)); failures+=("release build")
fi

# The rule agent against the labelled corpus (tests/corpus, the contract in docs/extraction.md), through
# the real CLI and plugin.
grade_corpus() {
  local grader=tests/corpus/grade.py
  local out
  out=$(python3 "$grader" --cmd "build/release/bin/p2j generate" --show-failures 10) || { echo "$out"; return 1; }
  echo "$out"
  python3 - "$(tail -1 <<<"$out")" <<'PY'
import re, sys
field, prompt = map(float, re.match(r"field accuracy: ([0-9.]+), prompt accuracy: ([0-9.]+)", sys.argv[1]).groups())
ok = field >= 0.97 and prompt >= 0.92
print(f"corpus gate (field >= 0.97, prompt >= 0.92): {'met' if ok else 'NOT met'}")
sys.exit(0 if ok else 1)
PY
}
check "extraction corpus (grade.py)" grade_corpus

# libFuzzer on the extractor for a bounded 60 s, seeded with the corpus prompts.
fuzz_extractor() {
  cmake --preset fuzz >/dev/null && cmake --build --preset fuzz --target p2j_extractor_fuzz || return 1
  local seeds
  seeds=$(mktemp -d)
  python3 - "$seeds" <<'PY'
import json, pathlib, sys
for line in open("tests/corpus/prompts.jsonl", encoding="utf-8"):
    if line.strip():
        row = json.loads(line)
        (pathlib.Path(sys.argv[1]) / row["id"]).write_text(row["prompt"], encoding="utf-8")
PY
  build/fuzz/bin/p2j_extractor_fuzz -max_total_time=60 -print_final_stats=1 "$seeds" 2>&1 | grep -E "stat::number_of_executed_units|ERROR|crash|Done" 
  local status=${PIPESTATUS[0]}
  rm -rf "$seeds"
  return "$status"
}
check "extractor fuzzing (libFuzzer, 60 s)" fuzz_extractor

# libFuzzer on the HTTP request-head parser for a bounded 30 s, seeded with heads the tests send.
fuzz_request_head() {
  cmake --preset fuzz >/dev/null && cmake --build --preset fuzz --target p2j_request_head_fuzz || return 1
  local seeds
  seeds=$(mktemp -d)
  printf 'GET /livez HTTP/1.1\r\nHost: t\r\n\r\n' >"$seeds/get"
  printf 'POST /generate?x=1 HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: keep-alive, close\r\n\r\n{}' >"$seeds/post"
  printf 'POST / HTTP/1.0\nTransfer-Encoding: chunked\nExpect: 100-continue\n\n' >"$seeds/chunked"
  build/fuzz/bin/p2j_request_head_fuzz -max_total_time=30 -print_final_stats=1 "$seeds" 2>&1 | grep -E "stat::number_of_executed_units|ERROR|crash|Done"
  local status=${PIPESTATUS[0]}
  rm -rf "$seeds"
  return "$status"
}
check "request-head fuzzing (libFuzzer, 30 s)" fuzz_request_head

echo "=== extractor benchmark (informational)"
P2J_CORPUS=tests/corpus/prompts.jsonl build/release/bin/p2j_extractor_bench --benchmark_min_time=0.05 2>/dev/null | tail -4 || true

if build sanitize; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_ctest "sanitizer tests (ASan+UBSan)" build/sanitize -LE release-only
else
  total=$((total + 1)); failed=$((failed + 1)); failures+=("sanitize build")
fi

echo
if [ ${#failures[@]} -gt 0 ]; then
  echo "failed:"
  printf '  %s\n' "${failures[@]}"
fi
passed=$((total - failed))
percent=0
[ "$total" -gt 0 ] && percent=$((passed * 100 / total))
echo "${percent}% tests passed, ${failed} tests failed out of ${total}"
[ "$failed" -eq 0 ] && [ "$total" -gt 0 ]
