#!/usr/bin/env python3
"""Helpers of tests/load/bench.sh (standard library only).

  bench_tools.py free-port
  bench_tools.py wait-ready URL DIR                          creates DIR/polling, waits for DIR/started (the
      date +%s%N just before the server was started, and its PID), then for URL to answer 200, and prints the
      milliseconds in between; started before the server, so its own start-up is not counted
  bench_tools.py rss PID                                     prints "VmRSS_MB VmHWM_MB"
  bench_tools.py switches PID                                prints the context switches of all PID's threads
  bench_tools.py cpu PID                                     prints the CPU seconds PID used: "USER SYSTEM"
  bench_tools.py drive URL METHOD N BODY_FILE API_KEY BEARER  N requests, one after another on one keep-alive
      connection (BODY_FILE, API_KEY, BEARER may be ""); fails on any answer but 200
  bench_tools.py probe URL METHOD N BODY_FILE API_KEY BEARER  the same N requests, counting an answer but 200 as
      an error, and prints the RESULT line tests/load/report.lua prints for a wrk run (bench.sh --smoke)
  bench_tools.py drive-paths URL FILE PREFIX                 GET URL PREFIX <line> for every line of FILE, one
      after another on one keep-alive connection; prints the latency "MEAN P50 P99" in microseconds
  bench_tools.py jwt SECRET SUBJECT                          an HS256 access token valid for two hours
  bench_tools.py table RESULTS_TSV                           the results table (see bench.sh)
"""
import base64
import hashlib
import hmac
import http.client
import json
import os
import socket
import sys
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers_ok(url):
    host_port, _, path = url.removeprefix("http://").partition("/")
    host, _, port = host_port.partition(":")
    try:
        connection = http.client.HTTPConnection(host, int(port), timeout=1)
        connection.request("GET", "/" + path)
        status = connection.getresponse().status
        connection.close()
        return status == 200
    except OSError:
        return False


def wait_ready(url, directory, timeout_seconds=30):
    open(os.path.join(directory, "polling"), "w").close()
    started_file = os.path.join(directory, "started")
    deadline = time.monotonic() + timeout_seconds
    while not os.path.exists(started_file) or os.path.getsize(started_file) == 0:
        if time.monotonic() > deadline:
            sys.exit("the server was never started")
        time.sleep(0.0005)
    started_ns, pid = (int(word) for word in open(started_file).read().split())
    while time.monotonic() < deadline:
        if answers_ok(url):
            print(f"{(time.time_ns() - started_ns) / 1e6:.1f}")
            return
        if not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z":
            sys.exit(f"the server (PID {pid}) exited before {url} was ready")
        time.sleep(0.001)
    sys.exit(f"{url} was not ready within {timeout_seconds} s")


def rss(pid):
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            fields[name] = value.split()
    print(f"{int(fields['VmRSS'][0]) / 1024:.1f} {int(fields['VmHWM'][0]) / 1024:.1f}")


def switches(pid):
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as status:
                for line in status:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        total += int(line.split()[1])
        except FileNotFoundError:
            pass  # a thread that ended meanwhile
    print(total)


def cpu(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    print(f"{int(fields[11]) / ticks:.2f} {int(fields[12]) / ticks:.2f}")


def requests_on_one_connection(url, method, count, body_file, api_key, bearer):
    """Sends the request `count` times on one keep-alive connection; yields (status, answer, seconds) each."""
    host_port, _, path = url.removeprefix("http://").partition("/")
    host, _, port = host_port.partition(":")
    body = open(body_file, "rb").read() if body_file else None
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if api_key:
        headers["X-API-Key"] = api_key
    if bearer:
        headers["Authorization"] = "Bearer " + bearer
    connection = http.client.HTTPConnection(host, int(port), timeout=600)
    for _ in range(count):
        started = time.perf_counter()
        connection.request(method, "/" + path, body=body, headers=headers)
        response = connection.getresponse()
        answer = response.read()
        yield response.status, answer, time.perf_counter() - started
    connection.close()


def drive(url, method, count, body_file, api_key, bearer):
    for status, answer, _ in requests_on_one_connection(url, method, count, body_file, api_key, bearer):
        if status != 200:
            sys.exit(f"{method} {url} answered {status}: {answer[:300]!r}")


def probe(url, method, count, body_file, api_key, bearer):
    started = time.perf_counter()
    latencies, errors = [], 0
    for status, answer, seconds in requests_on_one_connection(url, method, count, body_file, api_key, bearer):
        latencies.append(seconds * 1000)
        if status != 200:
            errors += 1
            print(f"{method} {url} answered {status}: {answer[:300]!r}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    latencies.sort()
    print(f"RESULT requests={count} rps={count / elapsed:.1f} p50_ms={latencies[len(latencies) // 2]:.3f} "
          f"p99_ms={latencies[int(len(latencies) * 0.99)]:.3f} p999_ms={latencies[int(len(latencies) * 0.999)]:.3f} "
          f"max_ms={latencies[-1]:.3f} errors={errors}")


def drive_paths(url, paths_file, prefix):
    host, _, port = url.removeprefix("http://").partition(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=600)
    latencies = []
    for line in open(paths_file):
        path = prefix + line.strip()
        started = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        answer = response.read()
        latencies.append((time.perf_counter() - started) * 1e6)
        if response.status != 200:
            sys.exit(f"GET {path} answered {response.status}: {answer[:300]!r}")
    connection.close()
    latencies.sort()
    mean = sum(latencies) / len(latencies)
    print(f"{mean:.0f} {latencies[len(latencies) // 2]:.0f} {latencies[int(len(latencies) * 0.99)]:.0f}")


def jwt(secret, subject):
    def encode(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    now = int(time.time())
    header = encode(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    claims = encode(json.dumps({"sub": subject, "iat": now, "exp": now + 7200, "token_use": "access",
                                "roles": ["user"]}).encode())
    signature = hmac.new(secret.encode(), f"{header}.{claims}".encode(), hashlib.sha256).digest()
    print(f"{header}.{claims}.{encode(signature)}")


def table(results_path):
    """RESULTS_TSV rows: kind<TAB>fields...
         point  TARGET CONNECTIONS RPS P50_MS P99_MS P999_MS MAX_MS ERRORS SWITCHES USER_US SYSTEM_US   one wrk
                run (the last three per request)
         server NAME READY_MS RSS_IDLE_MB RSS_PEAK_MB           one server process
    The ratio of a point is its rps over the reference's at the same connection count."""
    points, servers = [], []
    for line in open(results_path):
        kind, *fields = line.rstrip("\n").split("\t")
        (points if kind == "point" else servers).append(fields)
    reference = {c: float(rps) for target, c, rps, *_ in points if target == "reference"}
    print(f"{'target':<38} {'conns':>5} {'rps':>9} {'p50 ms':>8} {'p99 ms':>8} {'p99.9 ms':>8} {'max ms':>8} "
          f"{'errors':>7} {'cs/req':>6} {'usr us':>6} {'sys us':>6} {'ratio':>6}")
    for target, connections, rps, p50, p99, p999, longest, errors, switches, user_us, system_us in points:
        base = reference.get(connections)
        ratio = f"{float(rps) / base:.3f}" if base else "-"
        print(f"{target:<38} {connections:>5} {float(rps):>9.0f} {float(p50):>8.2f} {float(p99):>8.2f} "
              f"{float(p999):>8.2f} {float(longest):>8.2f} {errors:>7} {float(switches):>6.2f} {float(user_us):>6.1f} "
              f"{float(system_us):>6.1f} {ratio:>6}")
    print()
    print(f"{'server':<38} {'start to ready ms':>18} {'RSS idle MB':>12} {'RSS peak MB':>12}")
    for name, ready_ms, idle, peak in servers:
        print(f"{name:<38} {float(ready_ms):>18.1f} {float(idle):>12.1f} {float(peak):>12.1f}")
    print()
    print("ratio: rps over the reference's at the same connection count; per request, of the server process:")
    print("cs/req its context switches (hand-offs and wakeups), usr us / sys us its user / kernel CPU time")


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command == "free-port":
        print(free_port())
    elif command == "wait-ready" and len(sys.argv) == 4:
        wait_ready(sys.argv[2], sys.argv[3])
    elif command == "rss" and len(sys.argv) == 3:
        rss(sys.argv[2])
    elif command == "cpu" and len(sys.argv) == 3:
        cpu(sys.argv[2])
    elif command == "switches" and len(sys.argv) == 3:
        switches(sys.argv[2])
    elif command == "drive" and len(sys.argv) == 8:
        drive(sys.argv[2], sys.argv[3], int(sys.argv[4]), *sys.argv[5:8])
    elif command == "probe" and len(sys.argv) == 8:
        probe(sys.argv[2], sys.argv[3], int(sys.argv[4]), *sys.argv[5:8])
    elif command == "drive-paths" and len(sys.argv) == 5:
        drive_paths(sys.argv[2], sys.argv[3], sys.argv[4])
    elif command == "jwt" and len(sys.argv) == 4:
        jwt(sys.argv[2], sys.argv[3])
    elif command == "table" and len(sys.argv) == 3:
        table(sys.argv[2])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
