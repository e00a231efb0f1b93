#!/usr/bin/env bash
# A throw-away nginx in front of p2j instances, from Debian's nginx package: listening on 127.0.0.1 on a free
# port, an upstream that balances round-robin over the given 127.0.0.1 ports, its config, logs, temporary
# files and pid file in DIR.
#
#   scripts/nginx-test-server.sh start DIR PORT [PORT...]   starts it and prints its URL, http://127.0.0.1:PORT
#   scripts/nginx-test-server.sh stop DIR                   stops it (SIGQUIT: finish the requests in flight)
#
# The upstream block is what docs/operations.md recommends for N instances: keep-alive connections to the
# instances, X-Forwarded-For for p2j's server.trusted_proxies, and a failed instance retried on the next one
# only for requests that cannot have had an effect.
set -euo pipefail

usage() {
  echo "usage: $0 start DIR PORT [PORT...] | stop DIR" >&2
  exit 2
}
[ $# -ge 2 ] || usage
command=$1
dir=$2
shift 2

if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
  echo "no nginx: apt-get install nginx" >&2
  exit 1
fi
nginx=$(command -v nginx || echo /usr/sbin/nginx)

# A process that exited but was not reaped yet (the daemon's parent is init, which may take a while) is gone.
alive() {
  kill -0 "$1" 2>/dev/null && ! grep -qs '^State:[[:space:]]*Z' "/proc/$1/status"
}

case $command in
  start)
    [ $# -ge 1 ] || usage
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ ! -f "$dir/port" ]; then
      python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' >"$dir/port"
    fi
    port=$(cat "$dir/port")
    servers=""
    for upstream in "$@"; do
      servers+="    server 127.0.0.1:$upstream max_fails=0;"$'\n'
    done
    # As root, nginx's workers would switch to a user that cannot write DIR; keep them as root (test only).
    user_line=""
    [ "$(id -u)" -ne 0 ] || user_line="user root;"
    mkdir -p "$dir/tmp"
    cat >"$dir/nginx.conf" <<EOF
$user_line
worker_processes 1;
daemon on;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 256; }
http {
  access_log $dir/access.log;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  upstream p2j {
$servers    keepalive 16;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://p2j;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_next_upstream error timeout;
      proxy_connect_timeout 2s;
      proxy_read_timeout 30s;
    }
  }
}
EOF
    "$nginx" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -t -q
    "$nginx" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log"
    for _ in $(seq 1 100); do
      if [ -s "$dir/nginx.pid" ] && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
        echo "http://127.0.0.1:$port"
        exit 0
      fi
      sleep 0.05
    done
    echo "nginx did not start; its log:" >&2
    tail -20 "$dir/error.log" >&2 || true
    exit 1
    ;;
  stop)
    [ -s "$dir/nginx.pid" ] || exit 0
    pid=$(cat "$dir/nginx.pid")
    kill -QUIT "$pid" 2>/dev/null || exit 0
    for _ in $(seq 1 250); do
      alive "$pid" || exit 0
      sleep 0.02
    done
    kill -KILL "$pid" 2>/dev/null || true
    ;;
  *)
    usage
    ;;
esac
