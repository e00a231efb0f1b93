#!/usr/bin/env python3
"""The container image's runtime stage, built and run without a Docker engine (none runs here).

packaging/Dockerfile's runtime stage is read with a real Dockerfile parser (dockerfile-ast, through
dockerfile_stage.mjs) and its instructions are applied, in order, to a Debian 12 minbase root made by
mmdebstrap with debian:12-slim's dpkg path excludes (no /usr/share/doc, man pages or locales):

  RUN          /bin/sh -c in the root (chroot, private mount and PID namespaces, /proc and /dev mounted)
  COPY --from  the build stage's output: the p2j .deb that packaging/build-packages.sh made, which is what
               the build stage's last RUN runs too (checked)
  ENV, USER, WORKDIR, VOLUME, EXPOSE, HEALTHCHECK, STOPSIGNAL, ENTRYPOINT, CMD   recorded, then checked

Then the image is run as `docker run` would: ENTRYPOINT + CMD as USER, in WORKDIR, with ENV, in a network
namespace of its own (so it may listen on 0.0.0.0:8000 as in the image); the HEALTHCHECK command must
succeed within its start period, the first start must print the API key, and STOPSIGNAL must stop it with
exit code 0. That proves in a clean Debian 12 what the package test cannot on a machine that has every
-dev package: that the package's Depends (from dpkg-shlibdeps) are complete.

Usage: image_test.py SOURCE_DIR PACKAGES_DIR. Needs root, mmdebstrap and the npm packages of
tests/packaging; exits 77 (skipped) without them unless CI=true. Downloads Debian packages (about 60 MB).
"""
import fnmatch
import glob
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

# debian:12-slim's /etc/dpkg/dpkg.cfg.d/docker: what the slim image does not install.
SLIM_DPKG_EXCLUDES = [
    "path-exclude=/usr/share/doc/*",
    "path-include=/usr/share/doc/*/copyright",
    "path-exclude=/usr/share/man/*",
    "path-exclude=/usr/share/groff/*",
    "path-exclude=/usr/share/info/*",
    "path-exclude=/usr/share/lintian/*",
    "path-exclude=/usr/share/linda/*",
    "path-exclude=/usr/share/locale/*",
]
DOCKER_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
STARTED = time.monotonic()


def skip(why):
    if os.environ.get("CI") == "true":
        fail(why)
    print(f"skipped: {why}")
    sys.exit(77)


def fail(why):
    print(f"FAILED: {why}")
    sys.exit(1)


def step(what):
    print(f"--- {time.monotonic() - STARTED:.0f}s: {what}", flush=True)


def run(argv, failure=None, **kwargs):
    result = subprocess.run(argv, capture_output=True, text=True, **kwargs)
    if result.returncode != 0:
        what = failure or f"{shlex.join(argv)} exited {result.returncode}"
        fail(f"{what}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return result.stdout


def in_root(root, script, env=None, user=None, timeout=900, failure=None):
    """Runs `script` (sh) inside the root with /proc and /dev, as Docker's RUN does, as `user` (a name in
    the root's own passwd) or root."""
    spec = "--userspec=0:0"
    if user:
        entry = in_root(root, f"getent passwd {shlex.quote(user)}").strip().split(":")
        spec = f"--userspec={entry[2]}:{entry[3]} --groups={entry[3]}"
    env_words = " ".join(shlex.quote(f"{k}={v}") for k, v in (env or {}).items())
    inner = (
        f"mount -t proc proc {root}/proc && mount --rbind /dev {root}/dev && "
        f"exec chroot {spec} {root} /usr/bin/env -i PATH={DOCKER_PATH} {env_words} /bin/sh -c {shlex.quote(script)}"
    )
    return run(["unshare", "--mount", "--pid", "--fork", "--propagation", "private", "sh", "-c", inner],
               failure=failure, timeout=timeout)


def stage_of(source_dir, name):
    script = os.path.join(source_dir, "tests", "packaging", "dockerfile_stage.mjs")
    return json.loads(run(["node", script, os.path.join(source_dir, "packaging", "Dockerfile"), name]))


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    source_dir, packages_dir = map(os.path.abspath, sys.argv[1:])
    if os.geteuid() != 0:
        skip("building a Debian root needs root")
    for tool in ("mmdebstrap", "unshare", "chroot", "node", "ip"):
        if shutil.which(tool) is None:
            skip(f"{tool} is missing (scripts/install-deps.sh installs it)")
    if not os.path.isdir(os.path.join(source_dir, "tests", "packaging", "node_modules")):
        skip("tests/packaging/node_modules is missing (scripts/install-deps.sh installs it)")

    build = stage_of(source_dir, "build")
    runtime = stage_of(source_dir, "runtime")
    if runtime["from"] != "debian:12-slim":
        fail(f"the runtime stage is FROM {runtime['from']}; this test builds debian:12-slim (bookworm minbase)")
    if not build["from"].startswith("debian:12"):
        fail(f"the build stage is FROM {build['from']}, not Debian 12")
    build_runs = [i["args"] for i in build["instructions"] if i["keyword"] == "RUN"]
    if not build_runs or "packaging/build-packages.sh build/release /packages" not in build_runs[-1]:
        fail("the build stage's last RUN does not make the packages with packaging/build-packages.sh into /packages")

    work = tempfile.mkdtemp(prefix="p2j-image-")
    root = os.path.join(work, "root")
    try:
        step("mmdebstrap: a Debian 12 minbase root as debian:12-slim")
        argv = ["mmdebstrap", "--variant=minbase", "--mode=root", "--quiet"]
        argv += [f"--dpkgopt={rule}" for rule in SLIM_DPKG_EXCLUDES]
        run(argv + ["bookworm", root], timeout=900)
        shutil.copy("/etc/resolv.conf", os.path.join(root, "etc", "resolv.conf"))

        env, user, workdir, volumes, exposed, healthcheck, stop_signal = {}, None, "/", [], [], None, "SIGTERM"
        entrypoint, cmd = [], []
        for instruction in runtime["instructions"]:
            keyword, args = instruction["keyword"], instruction["args"]
            if keyword == "RUN":
                step(f"RUN {args[:100]}")
                in_root(root, f"cd {shlex.quote(workdir)} && {args}", env, user)
            elif keyword == "COPY":
                source, destination = args.split()
                if instruction["flags"].get("from") != "build" or not source.startswith("/packages/"):
                    fail(f"COPY {args}: this test knows the build stage's /packages only")
                pattern = os.path.basename(source)
                matches = [f for f in glob.glob(os.path.join(packages_dir, "*.deb"))
                           if fnmatch.fnmatch(os.path.basename(f), pattern)]
                if len(matches) != 1:
                    fail(f"COPY {args}: {pattern} matches {matches} in {packages_dir}")
                step(f"COPY {os.path.basename(matches[0])} {destination}")
                shutil.copy(matches[0], os.path.join(root, destination.lstrip("/")))
            elif keyword == "ENV":
                env.update(instruction["env"])
            elif keyword == "USER":
                user = args
            elif keyword == "WORKDIR":
                workdir = args
            elif keyword == "VOLUME":
                volumes += instruction["exec"] or args.split()
            elif keyword == "EXPOSE":
                exposed += args.split()
            elif keyword == "HEALTHCHECK":
                healthcheck = instruction
            elif keyword == "STOPSIGNAL":
                stop_signal = args
            elif keyword == "ENTRYPOINT":
                entrypoint = instruction["exec"] or fail("ENTRYPOINT must use the exec form")
            elif keyword == "CMD":
                cmd = instruction["exec"] or fail("CMD must use the exec form")
            else:
                fail(f"this test does not know what {keyword} does to the image")

        step("checking the image's user, paths and health check")
        if user is None:
            fail("the image runs as root: no USER")
        passwd = in_root(root, f"getent passwd {shlex.quote(user)}").strip().split(":")
        uid, gid, home = int(passwd[2]), int(passwd[3]), passwd[5]
        if uid == 0:
            fail(f"USER {user} is root")
        print(f"USER {user}: uid {uid}, gid {gid}, home {home}")
        for directory in [workdir] + volumes:
            info = os.stat(os.path.join(root, directory.lstrip("/")))
            if info.st_uid != uid:
                fail(f"{directory} belongs to uid {info.st_uid}, not to {user}: a new volume would be unwritable")
        for path in ("/usr/bin/p2j", "/etc/p2j/p2j.yaml", "/usr/lib/p2j/plugins/agent-rules.so"):
            if not os.path.exists(os.path.join(root, path.lstrip("/"))):
                fail(f"the image lacks {path}")
        if os.path.exists(os.path.join(root, "usr/share/doc/p2j/README.md")):
            fail("the slim excludes did not apply: /usr/share/doc/p2j/README.md is there")
        if not entrypoint or not os.access(os.path.join(root, entrypoint[0].lstrip("/")), os.X_OK):
            fail(f"ENTRYPOINT {entrypoint} is not an executable in the image")
        if healthcheck is None or not healthcheck["exec"]:
            fail("no HEALTHCHECK CMD in the exec form")
        check = healthcheck["exec"]
        if not any(word.endswith("/livez") for word in check):
            fail(f"the HEALTHCHECK does not ask /livez: {check}")
        in_root(root, f"command -v {shlex.quote(check[0])}",
                failure=f"the HEALTHCHECK's {check[0]} is not in the image")
        listen_port = env.get("P2J_LISTEN", "").rsplit(":", 1)[-1]
        if exposed != [listen_port] or not any(f":{listen_port}/" in word for word in check):
            fail(f"EXPOSE {exposed}, P2J_LISTEN {env.get('P2J_LISTEN')} and the HEALTHCHECK {check} disagree")
        start_period = float(healthcheck["flags"].get("start-period", "0s").rstrip("s"))

        step("running the image: ENTRYPOINT + CMD as USER, then the HEALTHCHECK")
        env_words = " ".join(shlex.quote(f"{k}={v}") for k, v in {"HOME": home, **env}.items())
        chroot = f"chroot --userspec={uid}:{gid} --groups={gid} {root} /usr/bin/env -i PATH={DOCKER_PATH} {env_words}"
        deadline = int(start_period) + 10
        script = f"""
set -u
ip link set lo up
mount -t proc proc {root}/proc
mount --rbind /dev {root}/dev
{chroot} /bin/sh -c {shlex.quote('cd ' + shlex.quote(workdir) + ' && exec ' + shlex.join(entrypoint + cmd))} \
  >{work}/server.out 2>{work}/server.err &
server=$!
healthy=no
for i in $(seq {deadline * 5}); do
  if {chroot} {shlex.join(check)} 2>{work}/health.err; then healthy=yes; break; fi
  kill -0 $server 2>/dev/null || break
  sleep 0.2
done
echo "healthy=$healthy after $i tries"
kill -s {stop_signal.removeprefix('SIG')} $server
wait $server
echo "exit=$?"
"""
        out = run(["unshare", "--net", "--mount", "--pid", "--fork", "--propagation", "private", "bash", "-c", script],
                  timeout=120)
        err = open(os.path.join(work, "server.err"), encoding="utf-8", errors="replace").read()
        print(out.strip())
        if "healthy=yes" not in out:
            fail(f"the HEALTHCHECK never passed; p2j's stderr:\n{err[-3000:]}\n{open(os.path.join(work, 'health.err')).read()}")
        if "exit=0" not in out:
            fail(f"p2j did not exit 0 on {stop_signal}; its stderr:\n{err[-3000:]}")
        if "X-API-Key: p2j_" not in err:
            fail(f"the first start printed no API key; stderr:\n{err[-3000:]}")
        secrets = os.path.join(root, "var/lib/p2j/api-keys")
        if os.stat(secrets).st_uid != uid:
            fail("the API key file in the volume does not belong to the image's user")
        print(f"image test passed in {time.monotonic() - STARTED:.0f} s")
    finally:
        subprocess.run(["rm", "-rf", "--one-file-system", work])


if __name__ == "__main__":
    main()
