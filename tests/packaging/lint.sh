#!/usr/bin/env bash
# Lints what packaging/ holds besides CMake, without a Docker engine (none runs here):
#   - packaging/Dockerfile with dockerfile-utils (the Dockerfile language server's validator: instructions,
#     flags, arguments, durations, ports), warnings included
#   - packaging/docker-compose.yml with dclint (the Compose Specification's JSON Schema plus its rules,
#     tests/packaging/dclint.json), then compose_check.mjs (paths, volumes, depends_on), and every p2j
#     configuration a service mounts with `p2j check-config` in that service's environment
#   - the maintainer scripts and the packaging scripts with shellcheck
#   - the generated systemd units with systemd-analyze verify (the binary they name is the build's)
# Usage: lint.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build_dir=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
here=$source_dir/tests/packaging
bin=$here/node_modules/.bin

missing() {
  if [ "${CI:-}" = true ]; then echo "FAILED: $1"; exit 1; fi
  echo "skipped: $1"
  exit 77
}
[ -x "$bin/dockerfile-utils" ] && [ -x "$bin/dclint" ] || missing "tests/packaging/node_modules: run scripts/install-deps.sh"
command -v shellcheck >/dev/null || missing "shellcheck: run scripts/install-deps.sh"
command -v systemd-analyze >/dev/null || missing "systemd-analyze: run scripts/install-deps.sh"

echo "--- dockerfile-utils lint packaging/Dockerfile"
problems=$("$bin/dockerfile-utils" lint --json "$source_dir/packaging/Dockerfile" || true)
if [ "$problems" != "[]" ]; then
  "$bin/dockerfile-utils" lint "$source_dir/packaging/Dockerfile" || true
  echo "FAILED: packaging/Dockerfile: $problems"
  exit 1
fi

echo "--- dclint packaging/docker-compose.yml"
"$bin/dclint" --config "$here/dclint.json" --max-warnings 0 "$source_dir/packaging/docker-compose.yml"
configs=$(node "$here/compose_check.mjs" "$source_dir/packaging/docker-compose.yml")
[ -n "$configs" ] || { echo "FAILED: no service of docker-compose.yml mounts a p2j configuration"; exit 1; }
while IFS=$'\t' read -r config environment; do
  echo "--- p2j check-config $config (as docker-compose.yml's service sees it)"
  mapfile -t assignments < <(python3 -c 'import json, sys
for name, value in json.loads(sys.argv[1]).items(): print(f"{name}={value}")' "$environment")
  env "${assignments[@]}" P2J_DATA_DIR="$(mktemp -d)" "$build_dir/bin/p2j" check-config "$config"
done <<<"$configs"

echo "--- shellcheck"
shellcheck --shell=sh "$source_dir"/packaging/debian/postinst "$source_dir"/packaging/debian/prerm \
  "$source_dir"/packaging/debian/postrm
# SC2015 (A && B || C): the scripts use `test && test || fail`, where fail exits.
shellcheck --exclude=SC2015 "$source_dir"/packaging/build-packages.sh "$here"/*.sh "$source_dir"/scripts/install-deps.sh

echo "--- systemd-analyze verify"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/bin"
ln -s "$build_dir/bin/p2j" "$root/usr/bin/p2j"
for unit in p2j.service p2j@.service; do
  instance=$unit
  [ "$unit" != p2j@.service ] || instance=p2j@lint.service
  cp "$build_dir/packaging/systemd/$unit" "$root/$instance"
  sed -i "s|/usr/bin/p2j|$root/usr/bin/p2j|" "$root/$instance"
  if ! out=$(systemd-analyze verify "$root/$instance" 2>&1) || [ -n "$out" ]; then
    echo "FAILED: systemd-analyze verify $unit: $out"
    exit 1
  fi
done
echo "packaging lint passed"
