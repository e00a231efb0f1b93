#!/usr/bin/env python3
"""Grade a prompt -> JSON design-spec extractor against a labelled corpus (the contract: docs/extraction.md).

Each corpus line is {"id", "prompt", "expect"}; `expect` holds only the fields to check:
  refused            true: the prompt must be refused (then nothing else is checked)
  design_type, category, target_audience, estimated_cost, timeline   exact strings
  stories            exact number
  materials          the set of material `type` strings
  features           the exact set of feature ids
  dimensions         SI values, each within 1% relative; every other dimension key must be null or absent
Fields absent from `expect` are not graded.

Targets (one of):
  --url URL   POST {"prompt": ...} to URL/generate. A 2xx body is the spec itself or {"spec": spec};
              a 4xx is a refusal (422 expected), except 401/403/404/405/429, which stop the run;
              a 5xx, a bad body or no answer is an error.
  --cmd CMD   run CMD with the prompt appended as one extra argument. Exit 0 with a JSON spec (or
              {"spec": spec}) on stdout = accepted, exit 2 = refused, anything else = error.

Prints per-field accuracy (prompts where the field is expected and correct / prompts where it is expected),
prompt accuracy (every expected field right), refusal precision/recall, then the failures. The last line is
`field accuracy: X.XXX, prompt accuracy: Y.YYY` (field accuracy pools every field check of every prompt).
Exits 0 once graded, 2 when it cannot run (bad arguments, unreadable corpus, target unreachable).
Standard library only (Python 3.10+).
"""
import argparse
import json
import os
import shlex
import subprocess
import sys
import urllib.error
import urllib.request

FIELDS = ["refused", "design_type", "category", "stories", "materials", "dimensions", "features",
          "estimated_cost", "timeline", "target_audience"]
DIMS = ["length", "width", "height", "depth", "diameter", "area", "volume", "weight"]


class CannotRun(Exception):
    pass


def unwrap(body):
    """The spec from a 2xx body / stdout: the object itself, or its "spec" member."""
    data = json.loads(body)
    if isinstance(data, dict) and isinstance(data.get("spec"), dict):
        data = data["spec"]
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    return data


def ask_url(url, headers, timeout, prompt):
    """-> ("ok", spec) | ("refused", status) | ("error", why); raises CannotRun when nothing answers."""
    req = urllib.request.Request(url, data=json.dumps({"prompt": prompt}).encode(), method="POST",
                                 headers={"Content-Type": "application/json", **headers})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        if e.code in (401, 403, 404, 405, 429):
            raise CannotRun(f"{url}: HTTP {e.code} (check the URL, credentials and rate limits)")
        if 400 <= e.code < 500:
            return "refused", e.code
        return "error", f"HTTP {e.code}"
    except (TimeoutError, urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", e)
        if isinstance(reason, TimeoutError):
            return "error", f"timed out after {timeout}s"
        raise CannotRun(f"{url}: {reason}")
    try:
        return "ok", unwrap(body)
    except ValueError as e:
        return "error", f"bad body ({e}): {body[:80]!r}"


def ask_cmd(argv, timeout, prompt):
    try:
        proc = subprocess.run(argv + [prompt], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "error", f"timed out after {timeout}s"
    except OSError as e:
        raise CannotRun(f"{argv[0]}: {e}")
    if proc.returncode == 2:
        return "refused", None
    if proc.returncode != 0:
        return "error", f"exit {proc.returncode}: {proc.stderr.strip()[-120:]}"
    try:
        return "ok", unwrap(proc.stdout)
    except ValueError as e:
        return "error", f"bad stdout ({e}): {proc.stdout[:80]!r}"


def is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def got_value(spec, field):
    """What the spec says for a field, in the form the expectation uses."""
    v = spec.get(field)
    if field == "materials":
        items = v if isinstance(v, list) else []
        return sorted({str(m.get("type")) if isinstance(m, dict) else str(m) for m in items})
    if field == "features":
        return sorted({str(f) for f in v}) if isinstance(v, list) else v
    if field == "dimensions":
        v = v if isinstance(v, dict) else {}
        return {k: v[k] for k in DIMS if v.get(k) is not None}
    return v


def correct(field, expected, got):
    if field in ("materials", "features"):
        return isinstance(got, list) and set(got) == set(expected)
    if field == "dimensions":
        if set(got) != set(expected):
            return False
        return all(is_number(got[k]) and abs(got[k] - e) <= 0.01 * abs(e) + 1e-9 for k, e in expected.items())
    if field == "stories":
        return is_number(got) and got == expected
    return got == expected


def grade(row, outcome, payload):
    """-> {field: (ok, expected, got)} for every field in row["expect"]."""
    expect = row["expect"]
    if expect.get("refused"):
        shown = "<accepted>" if outcome == "ok" else f"<{outcome}>"
        return {"refused": (outcome == "refused", True, True if outcome == "refused" else shown)}
    if outcome != "ok":
        shown = "<refused>" if outcome == "refused" else f"<error: {payload}>"
        return {f: (False, expect[f], shown) for f in FIELDS if f in expect}
    checks = {}
    for f in FIELDS:
        if f in expect:
            got = got_value(payload, f)
            checks[f] = (correct(f, expect[f], got), expect[f], got)
    return checks


def short(v, n=110):
    s = v if isinstance(v, str) else json.dumps(v, sort_keys=True)
    return s if len(s) <= n else s[: n - 3] + "..."


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description="Grade a design-spec extractor against a labelled corpus.")
    target = ap.add_mutually_exclusive_group(required=True)
    target.add_argument("--url", help="service base URL; prompts go to URL/generate")
    target.add_argument("--cmd", help="command; the prompt is appended as one extra argument")
    ap.add_argument("--header", action="append", default=[], help="extra HTTP header 'Name: value' (repeatable)")
    ap.add_argument("--corpus", default=os.path.join(here, "prompts.jsonl"), help="labelled JSONL file")
    ap.add_argument("--show-failures", type=int, default=20, metavar="N", help="failing prompts to list (default 20)")
    ap.add_argument("--json-out", metavar="FILE", help="write the per-prompt results and the summary as JSON")
    ap.add_argument("--timeout", type=float, default=30, help="seconds per prompt (default 30)")
    args = ap.parse_args()

    try:
        with open(args.corpus, encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
        if not all(isinstance(r, dict) and {"id", "prompt", "expect"} <= r.keys() for r in rows):
            raise ValueError(f"{args.corpus}: every line needs id, prompt and expect")
        if any(":" not in h for h in args.header):
            raise ValueError("--header wants 'Name: value'")
        headers = {k.strip(): v.strip() for k, v in (h.split(":", 1) for h in args.header)}
        argv = shlex.split(args.cmd) if args.cmd else None
    except (OSError, ValueError) as e:
        print(f"grade.py: cannot run: {e}", file=sys.stderr)
        return 2
    if not rows:
        print("grade.py: cannot run: empty corpus", file=sys.stderr)
        return 2

    results, n_err, n_auth = [], 0, 0
    for i, row in enumerate(rows):
        try:
            if argv:
                outcome, payload = ask_cmd(argv, args.timeout, row["prompt"])
            else:
                outcome, payload = ask_url(args.url.rstrip("/") + "/generate", headers, args.timeout, row["prompt"])
        except CannotRun as e:
            if i == 0:
                print(f"grade.py: cannot run: {e}", file=sys.stderr)
                return 2
            outcome, payload = "error", str(e)
        n_err += outcome == "error"
        n_auth += outcome == "refused" and payload in (401, 403)
        results.append({"id": row["id"], "prompt": row["prompt"], "outcome": outcome,
                        "checks": grade(row, outcome, payload)})

    print(f"corpus: {args.corpus} ({len(rows)} prompts, {n_err} errors)")
    if n_auth:
        print(f"note: {n_auth} answers were HTTP 401/403 (check --header); they count as refusals")
    print("per-field accuracy:")
    total = ok_total = 0
    for f in FIELDS:
        marks = [r["checks"][f][0] for r in results if f in r["checks"]]
        if marks:
            print(f"  {f:<16} {sum(marks) / len(marks):.3f}  ({sum(marks)}/{len(marks)})")
            total, ok_total = total + len(marks), ok_total + sum(marks)
    field_acc = ok_total / total if total else 0.0
    passed = [all(c[0] for c in r["checks"].values()) for r in results]
    prompt_acc = sum(passed) / len(results)
    print(f"prompt accuracy: {prompt_acc:.3f}  ({sum(passed)}/{len(results)})")

    want = [bool(row["expect"].get("refused")) for row in rows]
    did = [r["outcome"] == "refused" for r in results]
    tp = sum(w and d for w, d in zip(want, did))
    prec = f"{tp / sum(did):.3f}" if any(did) else "n/a"
    rec = f"{tp / sum(want):.3f}" if any(want) else "n/a"
    print(f"refusals: precision {prec} ({tp}/{sum(did)} refused were expected), "
          f"recall {rec} ({tp}/{sum(want)} expected were refused)")

    failures = [r for r, p in zip(results, passed) if not p]
    if failures and args.show_failures > 0:
        print(f"failures ({len(failures)}, showing {min(len(failures), args.show_failures)}):")
        for r in failures[: args.show_failures]:
            print(f"  [{r['id']}] {short(r['prompt'], 100)}")
            for f, (ok, exp, got) in r["checks"].items():
                if not ok:
                    print(f"      {f}: expected {short(exp)}  got {short(got)}")

    if args.json_out:
        summary = {"corpus": args.corpus, "prompts": len(rows), "errors": n_err, "field_accuracy": field_acc,
                   "prompt_accuracy": prompt_acc, "refusal_precision": prec, "refusal_recall": rec}
        with open(args.json_out, "w", encoding="utf-8") as f:
            for r in results:
                r["checks"] = {k: {"ok": ok, "expected": exp, "got": got} for k, (ok, exp, got) in r["checks"].items()}
            json.dump({"summary": summary, "results": results}, f, indent=1)
    print(f"field accuracy: {field_acc:.3f}, prompt accuracy: {prompt_acc:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
