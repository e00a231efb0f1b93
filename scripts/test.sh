#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test:
#   - formatting (clang-format), warnings as errors
#   - unit + integration tests (ctest) in the release build, then again under ASan + UBSan
# and ends with one ctest-style summary line over all of it. Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh || { echo "dependency installation failed"; exit 1; }

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

if build sanitize; then
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    run_ctest "sanitizer tests (ASan+UBSan)" build/sanitize
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
