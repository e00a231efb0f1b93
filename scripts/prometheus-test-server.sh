#!/usr/bin/env bash
# A throw-away Prometheus for the tests, from Debian's package: it listens on 127.0.0.1 only, on a free port,
# keeps its data in DIR, scrapes one target every second, and stops by itself after 10 minutes at the latest
# (so a test that dies cannot leave it running).
#
#   scripts/prometheus-test-server.sh start DIR HOST:PORT   starts it scraping http://HOST:PORT/metrics, prints its URL
#   scripts/prometheus-test-server.sh stop DIR              stops it (killed by PID if it does not stop in 10 s)
set -euo pipefail

usage() {
  echo "usage: $0 start DIR HOST:PORT | stop DIR" >&2
  exit 2
}
[ $# -ge 2 ] || usage
command=$1
dir=$2

case $command in
  start)
    [ $# -eq 3 ] || usage
    target=$3
    command -v prometheus >/dev/null || { echo "no prometheus: apt-get install prometheus" >&2; exit 1; }
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    cat >"$dir/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: p2j
    metrics_path: /metrics
    static_configs:
      - targets: ["$target"]
YAML
    timeout 600 prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
      --web.listen-address="127.0.0.1:$port" --log.level=warn >"$dir/prometheus.log" 2>&1 </dev/null &
    echo $! >"$dir/pid"
    for _ in $(seq 300); do
      if curl -sf "http://127.0.0.1:$port/-/ready" >/dev/null 2>&1; then
        echo "http://127.0.0.1:$port"
        exit 0
      fi
      kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
      sleep 0.1
    done
    echo "Prometheus did not become ready; its log:" >&2
    tail -20 "$dir/prometheus.log" >&2
    "$0" stop "$dir"
    exit 1
    ;;
  stop)
    [ -f "$dir/pid" ] || exit 0
    pid=$(cat "$dir/pid")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || { rm -f "$dir/pid"; exit 0; }
      sleep 0.1
    done
    pkill -KILL -P "$pid" 2>/dev/null || true  # the prometheus that `timeout` runs
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$dir/pid"
    ;;
  *)
    usage
    ;;
esac
