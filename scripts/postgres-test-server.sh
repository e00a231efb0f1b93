#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests and benchmarks, from Debian's packages: a cluster initialised in
# DIR, listening on 127.0.0.1 only (and a socket in DIR) on a free port, trust authentication, and a fresh
# database p2j_test.
#
#   scripts/postgres-test-server.sh start DIR   starts it (initdb on first use) and prints its connection URL
#   scripts/postgres-test-server.sh stop DIR    fast shutdown (a clean stop; killed by PID if that fails)
#
# `start` after `stop` restarts the same cluster on the same port with its data, which is what the failover
# tests use to take PostgreSQL away and bring it back. PostgreSQL refuses to run as root, so as root (CI) the
# server runs as the postgres user and DIR is handed to it; DIR's parent must be traversable by that user
# (a directory from mktemp -d under /tmp is).
set -euo pipefail

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
command=$1
dir=$2

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "no PostgreSQL server under /usr/lib/postgresql: apt-get install postgresql" >&2
  exit 1
fi

as_server_user() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case $command in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ "$(id -u)" -ne 0 ] || chown postgres: "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_server_user "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    fi
    if [ ! -f "$dir/port" ]; then
      python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' >"$dir/port"
    fi
    port=$(cat "$dir/port")
    if ! as_server_user "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $port -k $dir" start >/dev/null; then
      echo "PostgreSQL did not start; its log:" >&2
      tail -20 "$dir/server.log" >&2
      exit 1
    fi
    if [ ! -f "$dir/database-created" ]; then
      as_server_user "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres p2j_test
      touch "$dir/database-created"
    fi
    echo "postgresql://postgres@127.0.0.1:$port/p2j_test"
    ;;
  stop)
    [ -f "$dir/data/postmaster.pid" ] || exit 0
    if ! as_server_user "$bindir/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null; then
      pid=$(head -1 "$dir/data/postmaster.pid")
      kill -KILL "$pid" 2>/dev/null || true
    fi
    ;;
  *)
    usage
    ;;
esac
