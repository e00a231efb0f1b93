#!/usr/bin/env bash
# The .deb packages as an operator and a plugin author meet them, on this machine (CI's is a throw-away
# root machine; systemd is not PID 1 there, so the units' commands are run the way systemd would run them):
#
#   1. build p2j and p2j-sdk-dev (and the same at Debian revision +1, for the upgrade) and check their contents
#   2. dpkg -i both: the p2j system user, /var/lib/p2j, the conffile, `systemd-analyze verify` of both units
#   3. run p2j.service's ExecStart as its User, in its WorkingDirectory, without privileges
#      (setpriv: no new privileges, an empty capability bounding set), with $NOTIFY_SOCKET: READY=1, the
#      printed API key and admin password, POST /token, then /generate with both -> 200; SIGTERM -> STOPPING=1, 0
#   4. build /usr/share/doc/p2j-sdk-dev/examples out of tree against the installed SDK only, drop the .so in
#      /usr/lib/p2j/plugins, wire it in /etc/p2j/features.yaml, run that as p2j@features.service would,
#      and see the plugin's score from POST /evaluate
#   5. edit /etc/p2j/p2j.yaml, upgrade to the newer packages: the edit, the data and the API key survive
#   6. dpkg -r keeps the configuration and the data; dpkg -P deletes them (an operator's own
#      /etc/p2j/features.yaml stays)
#
# Usage: package_test.sh BUILD_DIR SOURCE_DIR. Needs root; exits 77 (skipped) without it unless CI=true.
# Refuses to touch a p2j installed by someone else (dpkg --purge p2j p2j-sdk-dev first).
set -euo pipefail

build_dir=$(cd "$1" && pwd)
source_dir=$(cd "$2" && pwd)
started=$(date +%s)

skip() {
  if [ "${CI:-}" = true ]; then
    echo "FAILED: $1"
    exit 1
  fi
  echo "skipped: $1"
  exit 77
}
fail() {
  echo "FAILED: $*"
  exit 1
}
step() { echo "--- $(($(date +%s) - started))s: $*"; }

[ "$(id -u)" -eq 0 ] || skip "the package test installs packages: run it as root"
for tool in dpkg dpkg-deb cpack setpriv systemd-analyze python3 curl cmake ninja; do
  command -v "$tool" >/dev/null || skip "$tool is missing (scripts/install-deps.sh installs it)"
done

# A run that died half-way leaves this marker; a p2j without it belongs to someone else.
marker=/run/p2j-package-test
if dpkg-query -W -f='${Status}' p2j 2>/dev/null | grep -q "install ok installed\|config-files" ||
  dpkg-query -W -f='${Status}' p2j-sdk-dev 2>/dev/null | grep -q "install ok installed"; then
  [ -e "$marker" ] || [ "${CI:-}" = true ] ||
    fail "p2j is installed on this machine and not by this test: dpkg --purge p2j p2j-sdk-dev first"
  dpkg --purge p2j-sdk-dev p2j >/dev/null
fi
created_user=false
getent passwd p2j >/dev/null || created_user=true
touch "$marker"

work=$(mktemp -d)
chmod 711 "$work" # the p2j user reaches the notify sockets in it, nothing else
server_pid=""
notify_pid=""
cleanup() {
  [ -z "$server_pid" ] || kill -KILL "$server_pid" 2>/dev/null || true
  [ -z "$notify_pid" ] || kill "$notify_pid" 2>/dev/null || true
  rm -f /usr/lib/p2j/plugins/example-feature-count.so /etc/p2j/features.yaml
  dpkg --purge p2j-sdk-dev p2j >/dev/null 2>&1 || true
  rmdir /etc/p2j 2>/dev/null || true
  if $created_user && getent passwd p2j >/dev/null; then
    userdel p2j || true
  fi
  rm -f "$marker"
  rm -rf "$work"
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------------
step "building the packages"
"$source_dir/packaging/build-packages.sh" "$build_dir" "$work/v1" >/dev/null
"$source_dir/packaging/build-packages.sh" "$build_dir" "$work/v2" 2 >/dev/null
server_deb=$(ls "$work"/v1/p2j_*.deb)
sdk_deb=$(ls "$work"/v1/p2j-sdk-dev_*.deb)
version=$(dpkg-deb -f "$server_deb" Version)
echo "packages: $(basename "$server_deb") $(stat -c %s "$server_deb") bytes," \
  "$(basename "$sdk_deb") $(stat -c %s "$sdk_deb") bytes; installed size $(dpkg-deb -f "$server_deb" Installed-Size) KiB" \
  "and $(dpkg-deb -f "$sdk_deb" Installed-Size) KiB"

step "checking what the packages hold"
[ "$(dpkg-deb -f "$server_deb" Package)" = p2j ] || fail "the server package is not named p2j"
[ "$(dpkg-deb -f "$sdk_deb" Package)" = p2j-sdk-dev ] || fail "the SDK package is not named p2j-sdk-dev"
[ "$(dpkg-deb -f "$sdk_deb" Architecture)" = all ] || fail "p2j-sdk-dev should be Architecture: all"
depends=$(dpkg-deb -f "$server_deb" Depends)
echo "p2j Depends: $depends"
# From dpkg-shlibdeps: the libraries the binary and the plugins link, with versions from their shlibs.
for library in libpoco libyaml-cpp libsqlite3 libpq5 libsodium libsystemd0 libstdc++6; do
  grep -q "$library" <<<"$depends" || fail "p2j's Depends lacks $library: $depends"
done
grep -q rapidjson-dev <<<"$(dpkg-deb -f "$sdk_deb" Depends)" || fail "p2j-sdk-dev must depend on rapidjson-dev"
server_files=$(dpkg-deb -c "$server_deb" | awk '{print $6}' | sed 's|^\.||')
for file in /usr/bin/p2j /usr/lib/p2j/plugins/agent-rules.so /usr/lib/p2j/plugins/storage-sqlite.so \
  /usr/lib/p2j/plugins/storage-postgres.so /usr/lib/p2j/plugins/auth-apikey.so /usr/lib/p2j/plugins/auth-jwt.so \
  /usr/lib/p2j/plugins/evaluator-criteria.so /usr/lib/p2j/plugins/feedback-heuristic.so /etc/p2j/p2j.yaml \
  /lib/systemd/system/p2j.service /lib/systemd/system/p2j@.service /usr/share/doc/p2j/README.md \
  /usr/share/doc/p2j/docs/operations.md /usr/share/doc/p2j/migrations/sqlite/0001_initial.sql \
  /usr/share/doc/p2j/examples/postgres.yaml; do
  grep -qx "$file" <<<"$server_files" || fail "p2j lacks $file"
done
if grep -E 'example-feature-count|broken-|good-raw|/include/' <<<"$server_files"; then
  fail "p2j holds files that are not the server's (above)"
fi
[ "$(dpkg-deb --ctrl-tarfile "$server_deb" | tar -xO ./conffiles)" = /etc/p2j/p2j.yaml ] ||
  fail "/etc/p2j/p2j.yaml is not p2j's conffile"
sdk_files=$(dpkg-deb -c "$sdk_deb" | awk '{print $6}' | sed 's|^\.||')
for file in /usr/include/p2j/sdk/abi.h /usr/include/p2j/sdk/plugin.hpp /usr/lib/cmake/p2j-sdk/p2j-sdk-config.cmake \
  /usr/lib/cmake/p2j-sdk/P2JPlugin.cmake /usr/share/p2j/schemas/design-spec.schema.json \
  /usr/share/p2j/schemas/records.schema.json /usr/include/p2j/sdk/collections.hpp \
  /usr/share/doc/p2j-sdk-dev/examples/CMakeLists.txt /usr/share/doc/p2j-sdk-dev/examples/feature_count_evaluator.cpp; do
  grep -qx "$file" <<<"$sdk_files" || fail "p2j-sdk-dev lacks $file"
done

# Everything lintian finds but three tags: the repository states no license yet (copyright), keeps no Debian
# changelog, and p2j has --help instead of a manual page.
if command -v lintian >/dev/null; then
  step "lintian"
  tags=$(lintian --tag-display-limit 0 "$server_deb" "$sdk_deb" 2>&1 | grep -v "running with root privileges" |
    grep -vE ": (no-copyright-file|no-changelog|no-manual-page)( |$)" || true)
  [ -z "$tags" ] || fail "lintian: $tags"
elif [ "${CI:-}" = true ]; then
  fail "lintian is missing (scripts/install-deps.sh installs it)"
fi

# ---------------------------------------------------------------------------------------------------
step "installing"
dpkg -i "$server_deb" "$sdk_deb" >/dev/null
[ "$(dpkg-query -W -f='${Version}' p2j)" = "$version" ] || fail "p2j $version is not installed"
passwd_entry=$(getent passwd p2j) || fail "postinst created no p2j user"
IFS=: read -r _ _ uid _ _ home shell <<<"$passwd_entry"
[ "$uid" -lt 1000 ] && [ "$uid" -gt 0 ] || fail "p2j is not a system user (uid $uid)"
[ "$home" = /var/lib/p2j ] && [ "$shell" = /usr/sbin/nologin ] || fail "p2j's passwd entry: $passwd_entry"
[ "$(stat -c '%U:%G %a' /var/lib/p2j)" = "p2j:p2j 700" ] || fail "/var/lib/p2j is $(stat -c '%U:%G %a' /var/lib/p2j)"
[ "$(stat -c '%U %a' /etc/p2j/p2j.yaml)" = "root 644" ] || fail "/etc/p2j/p2j.yaml is $(stat -c '%U %a' /etc/p2j/p2j.yaml)"
/usr/bin/p2j check-config /etc/p2j/p2j.yaml >/dev/null || fail "the packaged configuration does not check"
/usr/bin/p2j plugins | grep -q "^agent-rules .*/usr/lib/p2j/plugins/agent-rules.so$" ||
  fail "the installed p2j does not find its plugins in /usr/lib/p2j/plugins"

step "systemd-analyze verify and security"
template_instance=$work/units/p2j@features.service
mkdir -p "$work/units"
ln -s /lib/systemd/system/p2j@.service "$template_instance"
for unit in /lib/systemd/system/p2j.service "$template_instance"; do
  if ! out=$(systemd-analyze verify "$unit" 2>&1) || [ -n "$out" ]; then
    fail "systemd-analyze verify $unit: $out"
  fi
done
exposure=$(systemd-analyze security --offline=yes /lib/systemd/system/p2j.service 2>/dev/null | tail -1)
echo "systemd-analyze security: $exposure"

# ---------------------------------------------------------------------------------------------------
# A unit's setting ("ExecStart", ...) with %i and %S expanded as systemd would.
unit_setting() {
  local unit=$1 key=$2 instance=${3:-}
  sed -nE "s/^$key=(.*)/\1/p" "$unit" | sed -e "s|%i|$instance|g" -e "s|%S|/var/lib|g"
}

# Runs a unit's ExecStart the way systemd would (User/Group, WorkingDirectory, UMask, Environment, no new
# privileges, no capabilities) on 127.0.0.1:$port, with a notify socket; waits for READY=1.
start_unit() {
  local unit=$1 instance=$2 name=$3
  local exec_start user group workdir umask_value state
  exec_start=$(unit_setting "$unit" ExecStart "$instance")
  user=$(unit_setting "$unit" User)
  group=$(unit_setting "$unit" Group)
  workdir=$(unit_setting "$unit" WorkingDirectory "$instance")
  umask_value=$(unit_setting "$unit" UMask)
  state=$(unit_setting "$unit" StateDirectory "$instance")
  install -d -o "$user" -g "$group" -m "$(unit_setting "$unit" StateDirectoryMode)" "/var/lib/$state"
  local environment=()
  while read -r assignment; do
    [ -z "$assignment" ] || environment+=("$assignment")
  done < <(unit_setting "$unit" Environment "$instance")
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  notify_log=$work/$name.notify
  : >"$notify_log"
  python3 - "$work/$name.socket" "$notify_log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
import os
os.chmod(sys.argv[1], 0o777)
with open(sys.argv[2], "a") as log:
    while True:
        log.write(s.recv(4096).decode() + "\n---\n")
        log.flush()
PY
  notify_pid=$!
  for _ in $(seq 50); do [ -S "$work/$name.socket" ] && break; sleep 0.1; done
  (
    cd "$workdir"
    umask "$umask_value"
    # shellcheck disable=SC2086  # ExecStart is a command line: split it as systemd does (no quotes in ours)
    exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "${environment[@]}" \
      NOTIFY_SOCKET="$work/$name.socket" P2J_LISTEN="127.0.0.1:$port" \
      setpriv --reuid="$user" --regid="$group" --init-groups --no-new-privs --bounding-set=-all --inh-caps=-all \
      $exec_start
  ) >"$work/$name.out" 2>"$work/$name.err" &
  server_pid=$!
  for _ in $(seq 300); do
    grep -q "READY=1" "$notify_log" && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/$name.err"; fail "$name exited during start-up"; }
    sleep 0.1
  done
  cat "$work/$name.err"
  fail "$name sent no READY=1 in 30 s"
}

stop_unit() {
  local name=$1 status=0
  kill -TERM "$server_pid"
  wait "$server_pid" || status=$?
  server_pid=""
  [ "$status" -eq 0 ] || { cat "$work/$name.err"; fail "$name exited $status on SIGTERM"; }
  grep -q "STOPPING=1" "$work/$name.notify" || fail "$name sent no STOPPING=1"
  kill "$notify_pid" 2>/dev/null || true
  wait "$notify_pid" 2>/dev/null || true
  notify_pid=""
}

# printed_secret NAME "X-API-Key" | "password"
printed_secret() { sed -nE "s/^  $2: (.*)/\1/p" "$work/$1.err" | head -1; }

# http METHOD PATH [BODY] [curl args...]: prints the body, then the status on a line of its own.
http() {
  local method=$1 path=$2 body=${3:-}
  shift $(($# < 3 ? $# : 3))
  local data=()
  [ -z "$body" ] || data=(-H 'Content-Type: application/json' -d "$body")
  curl -s -w '\n%{http_code}' -X "$method" "http://127.0.0.1:$port$path" "${data[@]}" "$@"
}
expect_status() {
  local expected=$1 answer=$2
  [ "$(tail -1 <<<"$answer")" = "$expected" ] || fail "expected HTTP $expected, got: $answer"
}
json_field() { python3 -c 'import json, sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$(head -n -1 <<<"$1")" "$2"; }

get_token() {
  local key=$1 password=$2 answer
  answer=$(http POST /token "{\"username\": \"admin\", \"password\": \"$password\"}" -H "X-API-Key: $key")
  expect_status 200 "$answer"
  json_field "$answer" access_token
}

# ---------------------------------------------------------------------------------------------------
step "running p2j.service's command as the p2j user"
start_unit /lib/systemd/system/p2j.service "" p2j
grep -q "STATUS=serving on 127.0.0.1:$port" "$work/p2j.notify" || fail "no STATUS in $(cat "$work/p2j.notify")"
key=$(printed_secret p2j X-API-Key)
password=$(printed_secret p2j password)
[ -n "$key" ] && [ -n "$password" ] || { cat "$work/p2j.err"; fail "the first start printed no API key and password"; }
expect_status 401 "$(http POST /generate '{"prompt": "Design a garden shed"}')"
token=$(get_token "$key" "$password")
answer=$(http POST /generate '{"prompt": "Design a 10-story office building with steel and glass, 40x30 m"}' \
  -H "X-API-Key: $key" -H "Authorization: Bearer $token")
expect_status 200 "$answer"
spec_id=$(json_field "$answer" spec_id)
expect_status 200 "$(http GET "/specs/$spec_id" "" -H "X-API-Key: $key" -H "Authorization: Bearer $token")"
for file in api-keys jwt-secret users p2j.db; do
  [ "$(stat -c '%U %a' "/var/lib/p2j/$file")" = "p2j 600" ] ||
    fail "/var/lib/p2j/$file is $(stat -c '%U %a' "/var/lib/p2j/$file") (umask 0077 and the secrets' 0600)"
done
stop_unit p2j

# ---------------------------------------------------------------------------------------------------
step "building the SDK example against the installed SDK and wiring it"
cp -r /usr/share/doc/p2j-sdk-dev/examples "$work/example"
cmake -S "$work/example" -B "$work/example-build" -G Ninja -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DCMAKE_CXX_FLAGS="-Wall -Wextra -Werror" >"$work/example.log" || { cat "$work/example.log"; fail "configure"; }
cmake --build "$work/example-build" >>"$work/example.log" || { cat "$work/example.log"; fail "build"; }
grep -q "^p2j-sdk_DIR:PATH=/usr/lib/cmake/p2j-sdk$" "$work/example-build/CMakeCache.txt" ||
  fail "find_package(p2j-sdk) did not find the installed SDK: $(grep p2j-sdk_DIR "$work/example-build/CMakeCache.txt")"
if grep -e "$source_dir" -e "$build_dir" "$work/example-build/compile_commands.json"; then
  fail "the example was compiled with paths into the source or build tree"
fi
install -m 0644 "$work/example-build/example-feature-count.so" /usr/lib/p2j/plugins/
/usr/bin/p2j plugins | grep -q "^example-feature-count .*/usr/lib/p2j/plugins/example-feature-count.so$" ||
  fail "p2j does not list the dropped-in plugin"
# An operator's instance configuration: the packaged one with the plugin as /evaluate's evaluator.
sed -e 's|^plugins:$|plugins:\n  features: { use: example-feature-count, config: { points_per_feature: 25 } }|' \
  -e '/path: \/evaluate,/s|evaluator: criteria|evaluator: features|' /etc/p2j/p2j.yaml >/etc/p2j/features.yaml
grep -q "evaluator: features" /etc/p2j/features.yaml || fail "could not wire the plugin into /evaluate"

step "running p2j@features.service's command"
start_unit /lib/systemd/system/p2j@.service features features
[ -f /var/lib/p2j/features/api-keys ] || fail "p2j@features keeps no data in /var/lib/p2j/features"
features_key=$(printed_secret features X-API-Key)
features_token=$(get_token "$features_key" "$(printed_secret features password)")
answer=$(http POST /evaluate \
  '{"prompt": "a house", "spec": {"design_type": "building", "category": "residential", "stories": 2, "features": ["garden", "pool", "solar"]}}' \
  -H "X-API-Key: $features_key" -H "Authorization: Bearer $features_token")
expect_status 200 "$answer"
score=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["evaluation"]["score"])' "$(head -n -1 <<<"$answer")")
[ "$score" = 75 ] || [ "$score" = 75.0 ] || fail "expected the plugin's score 75 (3 features x 25), got $score: $answer"
stop_unit features

# ---------------------------------------------------------------------------------------------------
step "upgrading with an edited conffile"
sed -i 's/^  level: info$/  level: warn  # edited by the operator/' /etc/p2j/p2j.yaml
grep -q "edited by the operator" /etc/p2j/p2j.yaml || fail "could not edit the conffile"
keys_before=$(sha256sum /var/lib/p2j/api-keys)
dpkg -i "$work"/v2/p2j_*.deb "$work"/v2/p2j-sdk-dev_*.deb >/dev/null
new_version=$(dpkg-query -W -f='${Version}' p2j)
dpkg --compare-versions "$new_version" gt "$version" || fail "the upgrade installed $new_version over $version"
grep -q "edited by the operator" /etc/p2j/p2j.yaml || fail "the upgrade lost the edit of /etc/p2j/p2j.yaml"
ls /etc/p2j/p2j.yaml.dpkg-* 2>/dev/null && fail "the upgrade left dpkg copies of the conffile"
[ "$(sha256sum /var/lib/p2j/api-keys)" = "$keys_before" ] || fail "the upgrade changed the API keys"
start_unit /lib/systemd/system/p2j.service "" upgraded
[ -z "$(printed_secret upgraded X-API-Key)" ] || fail "the upgraded server generated a new API key"
token=$(get_token "$key" "$password")
expect_status 200 "$(http GET "/specs/$spec_id" "" -H "X-API-Key: $key" -H "Authorization: Bearer $token")"
stop_unit upgraded

# ---------------------------------------------------------------------------------------------------
step "remove, then purge"
rm /usr/lib/p2j/plugins/example-feature-count.so
dpkg --remove p2j-sdk-dev p2j >/dev/null
[ ! -e /usr/bin/p2j ] && [ ! -e /usr/lib/p2j ] && [ ! -e /usr/include/p2j ] || fail "dpkg --remove left files behind"
[ -f /etc/p2j/p2j.yaml ] && grep -q "edited by the operator" /etc/p2j/p2j.yaml || fail "remove deleted the configuration"
[ -f /var/lib/p2j/api-keys ] || fail "remove deleted the data"
dpkg --purge p2j >/dev/null 2>&1
[ ! -e /etc/p2j/p2j.yaml ] || fail "purge left /etc/p2j/p2j.yaml"
[ ! -e /var/lib/p2j ] || fail "purge left /var/lib/p2j"
[ -f /etc/p2j/features.yaml ] || fail "purge deleted the operator's /etc/p2j/features.yaml"
getent passwd p2j >/dev/null || fail "purge removed the p2j user (Debian keeps system users)"

step "done"
echo "package test passed in $(($(date +%s) - started)) s"
