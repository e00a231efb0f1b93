#!/usr/bin/env bash
# Installs what p2j needs to build and test, from Debian 12's packages only.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config clang-14 clang-format-14 libclang-rt-14-dev
  libpoco-dev libboost-dev libyaml-cpp-dev libspdlog-dev libsqlite3-dev libpq-dev postgresql libsodium-dev libssl-dev
  libhiredis-dev redis-server redis-tools nginx
  rapidjson-dev libvalijson-dev libgtest-dev libgmock-dev libbenchmark-dev
  python3 curl wrk
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
echo "installing: ${missing[*]}"
$sudo apt-get update -q
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
