#!/usr/bin/env python3
"""Runs the documentation's examples as written, so the documents cannot drift from what p2j does.

  doc_examples.py readme SOURCE_DIR BUILD_DIR        README.md's quick start
  doc_examples.py sdk-tutorial SOURCE_DIR BUILD_DIR  docs/sdk.md's "Write an evaluator in 10 minutes"

Both run in a scratch directory laid out like a fresh clone after the build (`build/release` is BUILD_DIR,
`config/` and `scripts/` are the repository's), with HOME there too. What a document says is taken from the
document itself:

- readme: the first ```sh block must be the two commands (scripts/serve.sh, scripts/test.sh; .ci/run must
  call the second). The server is started with the command scripts/serve.sh ends in, and the API key and
  admin password it prints on its first start replace the README's '<the printed API key>' and
  '<the printed password>'. Every later ```sh block before "## Command line" then runs in one bash.
- sdk-tutorial: each "Save as `PATH`:" before a fenced block writes that file; every ```sh block runs, in
  order, in one bash.

The bash runs with `set -euo pipefail` and curl made to fail on an HTTP error (--fail-with-body), and the
documents' port (8000 for the README, 8001 for the tutorial) is replaced by a free one, so the test can run
beside others. A commented `"key": value` right after a command is what its output must contain.
"""
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

FENCE = re.compile(r"^```(\w*)\s*$")
SAVE_AS = re.compile(r"Save as `([^`]+)`")
KEY_PLACEHOLDER = "<the printed API key>"
PASSWORD_PLACEHOLDER = "<the printed password>"


def fail(why):
    print(f"FAILED: {why}")
    sys.exit(1)


def blocks(markdown):
    """[(info, text, the paragraph before the block)] in document order."""
    result, lines, i, prose, in_paragraph = [], markdown.splitlines(), 0, "", False
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            if lines[i].strip():
                prose = prose + " " + lines[i] if in_paragraph else lines[i]
            in_paragraph = bool(lines[i].strip())
            i += 1
            continue
        body = []
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        result.append((match.group(1), "\n".join(body) + "\n", prose))
        i += 1
        prose, in_paragraph = "", False
    return result


def section(markdown, heading):
    start = markdown.find(heading)
    if start < 0:
        fail(f"no section '{heading}'")
    end = markdown.find("\n## ", start + len(heading))
    return markdown[start:end if end >= 0 else len(markdown)]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def expected_fragments(script):
    """`"key": value` pairs written in comments right after commands, as compact JSON text."""
    fragments = []
    for line in script.splitlines():
        if line.startswith("# "):
            for key, value in re.findall(r'"(\w+)": (true|false|-?[0-9.]+|"[^"…]*")', line):
                fragments.append(f'"{key}":{value}')
    return fragments


def run_bash(script, cwd, env):
    # A curl the document already makes fail on an HTTP error (-f) is left as written.
    prelude = ("set -euo pipefail\n"
               "curl() { case \" $* \" in *\" -f\"*|*\" -sf\"*|*\" --fail\"*) command curl \"$@\" ;;"
               " *) command curl --fail-with-body \"$@\" ;; esac; }\n")
    result = subprocess.run(["bash", "-c", prelude + script], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=600)
    print(result.stdout)
    print(result.stderr, file=sys.stderr)
    if result.returncode != 0:
        fail(f"the document's commands exited {result.returncode}:\n{script}")
    compact = re.sub(r'":\s+', '":', result.stdout)
    for fragment in expected_fragments(script):
        if fragment not in compact:
            fail(f"the output lacks {fragment}, which the document shows")
    return result.stdout


def scratch_clone(source_dir, build_dir):
    work = tempfile.mkdtemp(prefix="p2j-doc-")
    os.makedirs(os.path.join(work, "build"))
    os.symlink(build_dir, os.path.join(work, "build", "release"))
    for name in ("config", "scripts", "sdk"):
        os.symlink(os.path.join(source_dir, name), os.path.join(work, name))
    os.makedirs(os.path.join(work, "home"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("P2J_")}
    env["HOME"] = os.path.join(work, "home")
    return work, env


def readme(source_dir, build_dir):
    text = section(open(os.path.join(source_dir, "README.md"), encoding="utf-8").read(), "# p2j")
    text = text[: text.find("\n## Command line")]
    sh = [body for info, body, _ in blocks(text) if info == "sh"]
    commands = [line.split("#")[0].strip() for line in sh[0].splitlines() if line.split("#")[0].strip()]
    if commands != ["scripts/serve.sh", "scripts/test.sh"]:
        fail(f"the README should start with scripts/serve.sh and scripts/test.sh, not {commands}")
    if "scripts/test.sh" not in open(os.path.join(source_dir, ".ci", "run"), encoding="utf-8").read():
        fail(".ci/run does not call scripts/test.sh")
    serve = [line for line in open(os.path.join(source_dir, "scripts", "serve.sh"), encoding="utf-8")
             if line.startswith("exec ")]
    if len(serve) != 1:
        fail("scripts/serve.sh should end in one `exec` of the server")
    server_command = serve[0].removeprefix("exec ").replace('"$@"', "").split()

    work, env = scratch_clone(source_dir, build_dir)
    port = free_port()
    server_env = dict(env, P2J_LISTEN=f"127.0.0.1:{port}")
    err_path = os.path.join(work, "server.err")
    with open(err_path, "w") as err:
        server = subprocess.Popen(server_command, cwd=work, env=server_env, stdout=subprocess.DEVNULL, stderr=err)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/livez", timeout=1)
                break
            except OSError:
                if server.poll() is not None:
                    fail(f"{' '.join(server_command)} exited: {open(err_path).read()}")
                time.sleep(0.1)
        printed = open(err_path, encoding="utf-8").read()
        key = re.search(r"^  X-API-Key: (\S+)$", printed, re.M)
        password = re.search(r"^  password: (\S+)$", printed, re.M)
        if not key or not password:
            fail(f"the first start printed no key and password:\n{printed}")
        script = "\n".join(sh[1:])
        for placeholder in (KEY_PLACEHOLDER, PASSWORD_PLACEHOLDER):
            if placeholder not in script:
                fail(f"the README's quick start has no {placeholder} to fill in")
        script = script.replace(KEY_PLACEHOLDER, key.group(1)).replace(PASSWORD_PLACEHOLDER, password.group(1))
        script = script.replace("localhost:8000", f"localhost:{port}").replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        out = run_bash(script, work, env)
        if '"spec_id"' not in out:
            fail("the quick start printed no spec_id")
        print(f"README quick start: {len(sh) - 1} shell blocks ran against a fresh server")
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
        shutil.rmtree(work)


def sdk_tutorial(source_dir, build_dir):
    text = section(open(os.path.join(source_dir, "docs", "sdk.md"), encoding="utf-8").read(),
                   "## Write an evaluator in 10 minutes")
    script, files = [], 0
    for info, body, prose in blocks(text):
        saved = SAVE_AS.search(prose)
        if saved:
            path = saved.group(1)
            script.append(f"mkdir -p \"$(dirname '{path}')\"\ncat > '{path}' <<'P2J_DOC_EOF'\n{body}P2J_DOC_EOF\n")
            files += 1
        elif info == "sh":
            script.append(body)
        else:
            fail(f"a ```{info} block in the tutorial is neither saved nor run:\n{body}")
    work, env = scratch_clone(source_dir, build_dir)
    port = free_port()
    try:
        joined = "\n".join(script).replace(":8001", f":{port}")
        run_bash(joined, work, env)
        print(f"SDK tutorial: {files} files written, {len(script) - files} shell blocks ran")
    finally:
        shutil.rmtree(work)


def main():
    if len(sys.argv) != 4 or sys.argv[1] not in ("readme", "sdk-tutorial"):
        print(__doc__)
        sys.exit(2)
    source_dir, build_dir = os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    (readme if sys.argv[1] == "readme" else sdk_tutorial)(source_dir, build_dir)


if __name__ == "__main__":
    main()
