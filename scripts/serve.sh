#!/usr/bin/env bash
# Installs what is needed, builds, and runs the server on the embedded default configuration
# (config/p2j.yaml: SQLite under ./data, the rule-based agent) on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
exec build/release/bin/p2j serve --config config/p2j.yaml "$@"
