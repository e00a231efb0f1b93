#!/usr/bin/env bash
# A throw-away Redis server for the tests, from Debian's redis-server package: listening on 127.0.0.1 only, on
# a free port, no persistence, its config, log and pid file in DIR.
#
#   scripts/redis-test-server.sh start DIR   starts it and prints its address, redis://127.0.0.1:PORT/0
#   scripts/redis-test-server.sh stop DIR    stops it (SHUTDOWN NOSAVE; killed by PID if that fails)
#   scripts/redis-test-server.sh kill DIR    SIGKILL, the way a crash takes it away
#   scripts/redis-test-server.sh pid DIR     prints the server's PID (to pause it with SIGSTOP, say)
#
# `start` after `stop` or `kill` starts it again on the same port (empty: nothing is persisted), which is
# what the tests use to take Redis away and bring it back.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop|kill|pid DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
command=$1
dir=$2

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
  echo "no redis-server/redis-cli: apt-get install redis-server redis-tools" >&2
  exit 1
fi

# A process that exited but was not reaped yet (the daemon's parent is init, which may take a while) is gone.
alive() {
  kill -0 "$1" 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' "/proc/$1/status"
}

running_pid() {
  [ -f "$dir/redis.pid" ] || return 1
  local pid
  pid=$(cat "$dir/redis.pid")
  [ -n "$pid" ] && alive "$pid" && echo "$pid"
}

wait_gone() {
  local pid=$1
  for _ in $(seq 1 200); do
    alive "$pid" || return 0
    sleep 0.02
  done
  return 1
}

case $command in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    # A port picked here (no port file yet) can be taken by another socket before Redis binds it: then a
    # fresh one is picked, a few times. A port kept from an earlier start is kept, however that goes.
    attempts=1
    if [ ! -f "$dir/port" ]; then attempts=5; fi
    for _ in $(seq 1 "$attempts"); do
      if [ ! -f "$dir/port" ]; then
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' >"$dir/port"
      fi
      port=$(cat "$dir/port")
      if ! running_pid >/dev/null; then
        rm -f "$dir/redis.pid"
        cat >"$dir/redis.conf" <<EOF
bind 127.0.0.1
port $port
protected-mode yes
daemonize yes
pidfile $dir/redis.pid
logfile $dir/redis.log
dir $dir
save ""
appendonly no
databases 16
EOF
        redis-server "$dir/redis.conf"
      fi
      for _ in $(seq 1 200); do
        # Before the ping: whatever holds a taken port may accept the ping and never answer it.
        if grep -q "Address already in use" "$dir/redis.log" 2>/dev/null; then break; fi
        if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = "PONG" ]; then
          echo "redis://127.0.0.1:$port/0"
          exit 0
        fi
        sleep 0.05
      done
      if [ "$attempts" -gt 1 ] && grep -q "Address already in use" "$dir/redis.log" 2>/dev/null; then
        rm -f "$dir/port"
        : >"$dir/redis.log"
        continue
      fi
      break
    done
    echo "Redis did not start; its log:" >&2
    tail -20 "$dir/redis.log" >&2 || true
    exit 1
    ;;
  stop)
    pid=$(running_pid) || exit 0
    redis-cli -h 127.0.0.1 -p "$(cat "$dir/port")" shutdown nosave >/dev/null 2>&1 || true
    wait_gone "$pid" || { kill -KILL "$pid" 2>/dev/null || true; wait_gone "$pid" || true; }
    ;;
  kill)
    pid=$(running_pid) || exit 0
    kill -KILL "$pid"
    wait_gone "$pid"
    ;;
  pid)
    running_pid || { echo "Redis in $dir is not running" >&2; exit 1; }
    ;;
  *)
    usage
    ;;
esac
