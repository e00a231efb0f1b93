#!/usr/bin/env python3
"""A scripted OpenAI-compatible chat completions server for the agent-openai tests (Python stdlib only).

    fake_openai_server.py --port-file FILE [--cert CERT --key KEY]

Listens on two ports of 127.0.0.1 chosen by the kernel and writes "<api port> <control port>\\n" to
FILE once both accept connections. The API port serves POST /v1/chat/completions (over TLS when --cert
and --key are given); the control port (always plain HTTP) lets a test script the answers and read what
was sent:

    PUT    /script    {"steps": [<step>, ...], "then": <step>}   the next answers, in order; then `then`
    GET    /requests  [{"path", "headers": {lower-case name: value}, "body": <parsed JSON or text>}, ...]
    DELETE /requests  forget them

A step is a mode name or {"mode": name, "delay": seconds, "total_tokens": n}. Modes:
    valid      a valid design spec, in the strict schema's shape (name/value pair lists)
    invalid    a spec that breaks the full schema (no materials)
    prose      text that is not JSON
    refusal    message.refusal set, content null
    filtered   finish_reason "content_filter", content null
    truncated  half a spec, finish_reason "length"
    slow       a valid spec after `delay` seconds (default 5)
    error500   HTTP 500 with an OpenAI-style error body
    garbage    HTTP 200 with an HTML body
The server stops on SIGTERM.
"""

import argparse
import json
import os
import signal
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VALID_SPEC = {
    "design_type": "building",
    "category": "commercial",
    "stories": 10,
    "materials": [
        {"type": "steel", "grade": "S355", "properties": [{"name": "finish", "value": "galvanized"}]},
        {"type": "glass", "grade": None, "properties": []},
    ],
    "dimensions": {"length": 40.0, "width": 30.0, "height": 35.0, "depth": None, "diameter": None,
                   "area": 1200.0, "volume": None, "weight": None, "units": "metric"},
    "performance": {"power": None, "efficiency": "high", "capacity": None, "speed": None,
                    "other_specs": [{"name": "floor_load", "value": "5 kPa"}]},
    "features": ["atrium", "green roof"],
    "components": ["elevator core"],
    "requirements": [],
    "constraints": ["downtown plot"],
    "use_cases": ["offices"],
    "target_audience": "professional",
    "estimated_cost": None,
    "timeline": None,
}

INVALID_SPEC = dict(VALID_SPEC, materials=[])


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.steps = []
        self.then = {"mode": "valid"}
        self.requests = []


STATE = State()


def as_step(step):
    return {"mode": step} if isinstance(step, str) else dict(step)


def completion(content, finish_reason="stop", refusal=None, total_tokens=None):
    prompt_tokens = 900
    completion_tokens = len(content or "") // 4
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": "fake-model",
        "choices": [{"index": 0, "finish_reason": finish_reason,
                     "message": {"role": "assistant", "content": content, "refusal": refusal}}],
        "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                  "total_tokens": total_tokens if total_tokens is not None else prompt_tokens + completion_tokens},
    }


class ApiHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_body(self, status, body, content_type="application/json"):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass  # the client gave up (a timeout test); nothing to answer

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length).decode("utf-8", "replace")
        try:
            body = json.loads(raw)
        except ValueError:
            body = raw
        with STATE.lock:
            STATE.requests.append({"path": self.path,
                                   "headers": {k.lower(): v for k, v in self.headers.items()},
                                   "body": body})
            step = STATE.steps.pop(0) if STATE.steps else dict(STATE.then)
        if self.path != "/v1/chat/completions":
            self.send_body(404, {"error": {"message": "no such path", "type": "invalid_request_error"}})
            return
        mode = step.get("mode", "valid")
        time.sleep(step.get("delay", 5 if mode == "slow" else 0))
        tokens = step.get("total_tokens")
        if mode in ("valid", "slow"):
            self.send_body(200, completion(json.dumps(VALID_SPEC), total_tokens=tokens))
        elif mode == "invalid":
            self.send_body(200, completion(json.dumps(INVALID_SPEC), total_tokens=tokens))
        elif mode == "prose":
            self.send_body(200, completion("Sure! Here is a lovely building for you.", total_tokens=tokens))
        elif mode == "refusal":
            self.send_body(200, completion(None, refusal="I can only help with design requests.",
                                           total_tokens=tokens))
        elif mode == "filtered":
            self.send_body(200, completion(None, finish_reason="content_filter", total_tokens=tokens))
        elif mode == "truncated":
            text = json.dumps(VALID_SPEC)
            self.send_body(200, completion(text[: len(text) // 2], finish_reason="length", total_tokens=tokens))
        elif mode == "error500":
            self.send_body(500, {"error": {"message": "the fake model fell over", "type": "server_error",
                                           "code": "fake_failure"}})
        elif mode == "garbage":
            self.send_body(200, "<html><body>502 Bad Gateway</body></html>", "text/html")
        else:
            self.send_body(400, {"error": {"message": "unknown mode " + mode, "type": "test_error"}})


class ControlHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        length = int(self.headers.get("Content-Length", "0"))
        script = json.loads(self.rfile.read(length) or b"{}")
        with STATE.lock:
            STATE.steps = [as_step(s) for s in script.get("steps", [])]
            STATE.then = as_step(script.get("then", "valid"))
        self.answer(200, {"steps": len(STATE.steps)})

    def do_GET(self):
        with STATE.lock:
            self.answer(200, list(STATE.requests))

    def do_DELETE(self):
        with STATE.lock:
            STATE.requests.clear()
        self.answer(200, {})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port-file", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()

    api = ThreadingHTTPServer(("127.0.0.1", 0), ApiHandler)
    api.daemon_threads = True
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        api.socket = context.wrap_socket(api.socket, server_side=True)
    control = ThreadingHTTPServer(("127.0.0.1", 0), ControlHandler)
    control.daemon_threads = True
    for server in (api, control):
        threading.Thread(target=server.serve_forever, daemon=True).start()

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    partial = args.port_file + ".partial"
    with open(partial, "w") as out:
        out.write("%d %d\n" % (api.server_address[1], control.server_address[1]))
    os.replace(partial, args.port_file)
    stop.wait()
    api.shutdown()
    control.shutdown()


if __name__ == "__main__":
    main()
