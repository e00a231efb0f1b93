#!/usr/bin/env bash
# A third party's view of the SDK: install it into a prefix, build sdk/examples out of tree with
# find_package(p2j-sdk) and p2j_add_plugin(), check that only p2j_* symbols are exported, and have p2j
# load the result.
# Usage: out_of_tree_example.sh BUILD_DIR SOURCE_DIR P2J_BINARY
set -euo pipefail
build_dir=$1
source_dir=$2
p2j=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build_dir" --component sdk --prefix "$work/prefix" >/dev/null
cmake -S "$source_dir/sdk/examples" -B "$work/build" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" >/dev/null
cmake --build "$work/build" >/dev/null
plugin="$work/build/example-feature-count.so"

exported=$(nm -D --defined-only "$plugin" | awk '{print $3}')
if grep -qv '^p2j_' <<<"$exported"; then
  echo "the plugin exports symbols besides p2j_*:"
  grep -v '^p2j_' <<<"$exported"
  exit 1
fi

# Built against the installed headers, the plugin carries the ABI version the host reports.
abi=$("$p2j" --version | sed -nE 's/.*plugin ABI ([0-9]+\.[0-9]+).*/\1/p')
listing=$("$p2j" plugins --plugin-dir "$work/build")
if ! grep -qE "^example-feature-count +evaluator +1\.0\.0 +${abi//./\\.} +$plugin\$" <<<"$listing"; then
  echo "p2j did not list the out-of-tree plugin:"
  echo "$listing"
  exit 1
fi
echo "out-of-tree example plugin built against the installed SDK and loaded"
