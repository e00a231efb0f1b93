#!/usr/bin/env bash
# Installs what p2j needs, from Debian 12's packages and the npm registry only.
#
#   scripts/install-deps.sh         everything: build, tests, and the packaging checks (CI, developers)
#   scripts/install-deps.sh build   only what building the server and its .deb packages needs
#                                   (packaging/Dockerfile's build stage)
set -euo pipefail
cd "$(dirname "$0")/.."

build_packages=(
  build-essential cmake ninja-build pkg-config
  libpoco-dev libboost-dev libyaml-cpp-dev libspdlog-dev libsqlite3-dev libpq-dev libsodium-dev libssl-dev
  prometheus-cpp-dev rapidjson-dev libsimdjson-dev libvalijson-dev libsystemd-dev libhiredis-dev
  dpkg-dev file
)
# redis-server, redis-tools and nginx: what the cache, rate-limit and end-to-end tests start
# (scripts/redis-test-server.sh, scripts/nginx-test-server.sh); systemd: systemd-analyze verify for the units;
# lintian and shellcheck: the packages and their scripts; mmdebstrap + iproute2: the container image's file
# tree built and run in a Debian 12 root (tests/packaging/image_test.py); prometheus: the scrape test
# (tests/e2e/prometheus_scrape_test.cpp).
test_packages=(
  clang-14 clang-format-14 libclang-rt-14-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql redis-server redis-tools nginx prometheus python3 openssl curl wrk
  systemd lintian shellcheck mmdebstrap iproute2
  chromium  # the browser test of /docs and /redoc (tests/web/browser.js), driven by npm's playwright-core
)
# The build runs npm ci for the documentation pages (web/) and the API test tools (tests/web/). Machines
# that come with Node.js and npm keep theirs; elsewhere Debian's.
command -v node >/dev/null || build_packages+=(nodejs)
command -v npm >/dev/null || build_packages+=(npm)

case "${1:-all}" in
  build) packages=("${build_packages[@]}") ;;
  all) packages=("${build_packages[@]}" "${test_packages[@]}") ;;
  *)
    echo "usage: $0 [build]" >&2
    exit 2
    ;;
esac

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The Dockerfile and docker-compose.yml linters (tests/packaging/lint.sh), pinned by their lock file.
lock=tests/packaging/package-lock.json
if [ "${1:-all}" = all ] && [ ! "tests/packaging/node_modules/.package-lock.json" -nt "$lock" ]; then
  echo "installing the npm packages of tests/packaging"
  npm ci --prefix tests/packaging --no-audit --no-fund --loglevel=error
fi
