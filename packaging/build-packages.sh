#!/usr/bin/env bash
# Packs a configured and built build directory into the .deb packages p2j_<version>-<release>_<arch>.deb
# and p2j-sdk-dev_<version>-<release>_all.deb, in OUT_DIR (default BUILD_DIR/packages), and lists them.
#
#   packaging/build-packages.sh BUILD_DIR [OUT_DIR] [RELEASE]
#
# RELEASE is the Debian revision (default: P2J_PACKAGE_RELEASE of the build, 1). packaging/Dockerfile's
# build stage and the packaging test (tests/packaging/package_test.sh) build the packages this way.
set -euo pipefail

[ $# -ge 1 ] && [ $# -le 3 ] || { echo "usage: $0 BUILD_DIR [OUT_DIR] [RELEASE]" >&2; exit 2; }
build_dir=$(cd "$1" && pwd)
out_dir=${2:-$build_dir/packages}
mkdir -p "$out_dir"
out_dir=$(cd "$out_dir" && pwd)
release_override=()
[ -z "${3:-}" ] || release_override=(-D "CPACK_DEBIAN_PACKAGE_RELEASE=$3")

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! cpack --config "$build_dir/CPackConfig.cmake" -B "$out_dir" "${release_override[@]}" >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
rm -rf "$out_dir/_CPack_Packages"
ls "$out_dir"/*.deb
