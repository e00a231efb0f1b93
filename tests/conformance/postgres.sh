#!/usr/bin/env bash
# The storage conformance suite against storage-postgres, in a schema of its own on $P2J_TEST_POSTGRES_URL
# (scripts/postgres-test-server.sh start DIR prints one). Skipped (77) without it, failed in CI.
# Usage: postgres.sh P2J_STORAGE_CONFORMANCE STORAGE_POSTGRES_SO [gtest flags]
set -euo pipefail
program=$1
plugin=$2
shift 2
if [ -z "${P2J_TEST_POSTGRES_URL:-}" ]; then
  echo "P2J_TEST_POSTGRES_URL is not set: scripts/postgres-test-server.sh start DIR prints one"
  [ "${CI:-}" = true ] && exit 1
  exit 77
fi
schema="p2j_conformance_$$_$RANDOM"
psql "$P2J_TEST_POSTGRES_URL" -qc "CREATE SCHEMA $schema" >/dev/null
trap 'psql "$P2J_TEST_POSTGRES_URL" -qc "DROP SCHEMA $schema CASCADE" >/dev/null' EXIT
separator='?'
[[ $P2J_TEST_POSTGRES_URL == *\?* ]] && separator='&'
connection="${P2J_TEST_POSTGRES_URL}${separator}options=-csearch_path%3D${schema}"
"$program" --plugin "$plugin" \
  --config "{\"connection\": \"$connection\", \"spool_path\": \"{tmp}/spool.db\", \"auto_migrate\": true}" "$@"
