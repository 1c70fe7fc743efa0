#!/usr/bin/env bash
# Tests tools/pcscd-vpcd against the real pcscd: start/status/readers, idempotent
# start, refusal of other settings and of a second run directory, recovery
# after SIGKILL (stale /run/pcscd files), stop, and the reversed-mode guard.
# Network: as root the default runs pcscd in a private network namespace
# (RUNDIR/netns) where vpcd's 0.0.0.0 listener is invisible to the host;
# --shared-network shows the listener on the host (so the check means something).
# Usage: pcscd_vpcd_script_test.sh PATH/TO/pcscd-vpcd
set -uo pipefail

SCRIPT=$1
A=$(mktemp -d /tmp/zairyu-script-test-XXXXXX)
B=$(mktemp -d /tmp/zairyu-script-test-XXXXXX)
N=$(mktemp -d /tmp/zairyu-script-test-XXXXXX)  # writable by nobody
chmod 777 "$N"
PORT=42610
failures=0

check() {  # check DESCRIPTION COMMAND...
  local what=$1
  shift
  if "$@" >/dev/null 2>&1; then
    echo "ok: $what"
  else
    echo "FAIL: $what"
    failures=$((failures + 1))
  fi
}
fails() { ! "$@"; }
HEXPORT=$(printf '%04X' $PORT)
# listens TABLE: a socket in TABLE (/proc/.../net/tcp) listens on 0.0.0.0:PORT.
listens() { grep -q "^ *[0-9]*: 00000000:$HEXPORT 00000000:0000 0A" "$1"; }
# on_port TABLE: any socket in TABLE uses local port PORT.
on_port() { grep -q "^ *[0-9]*: [0-9A-F]*:$HEXPORT " "$1"; }
same_netns() { [[ $(stat -L -c %i "$1") == $(stat -L -c %i "$2") ]]; }
cleanup() {
  "$SCRIPT" stop --dir "$A" >/dev/null 2>&1
  "$SCRIPT" stop --dir "$B" >/dev/null 2>&1
  rm -rf "$A" "$B" "$N"
}
trap cleanup EXIT

check "start" "$SCRIPT" start --dir "$A" --slots 3 --port-base $PORT
pid=$(cat "$A/pcscd.pid")
check "status reports running" "$SCRIPT" status --dir "$A"
check "readers are visible" bash -c "diff <('$SCRIPT' readers --dir '$A') \
  <(timeout 5 pcsc_scan -r | sed -n 's/^[0-9]*: //p' | head -3)"
check "start again is a no-op" "$SCRIPT" start --dir "$A" --slots 3 --port-base $PORT
check "same pcscd after idempotent start" test "$(cat "$A/pcscd.pid")" = "$pid"
check "start with other settings refuses" fails "$SCRIPT" start --dir "$A" --slots 2 --port-base $PORT
check "second run directory refuses" fails "$SCRIPT" start --dir "$B" --slots 1 --port-base $PORT
check "stop of a directory that started nothing" "$SCRIPT" stop --dir "$B"
check "first pcscd still alive" kill -0 "$pid"

# Isolated by default (root): pcscd in the namespace mounted on A/netns.
check "default is isolated" grep -q 'network=isolated' "$A/settings"
check "netns names A/netns" test "$("$SCRIPT" netns --dir "$A")" = "$A/netns"
check "A/netns is a namespace file" test "$(stat -f -c %T "$A/netns")" = nsfs
check "pid file names pcscd itself" test "$(cat /proc/"$pid"/comm)" = pcscd
check "pcscd runs in A/netns" same_netns "/proc/$pid/ns/net" "$A/netns"
check "pcscd's namespace is not ours" fails same_netns "/proc/$pid/ns/net" /proc/self/ns/net
check "vpcd listens on 0.0.0.0 inside" listens "/proc/$pid/net/tcp"
check "host sees nothing on the port (tcp)" fails on_port /proc/self/net/tcp
check "host sees nothing on the port (tcp6)" fails on_port /proc/self/net/tcp6
check "host cannot connect" fails bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT"
check "lo is up inside" bash -c "nsenter --net='$A/netns' ip -o link show lo | grep -q 'UP'"

old_ns=$(stat -L -c %i "$A/netns")
kill -KILL "$pid"
sleep 0.3
check "SIGKILL leaves stale files" test -e /run/pcscd/pcscd.pid
check "start recovers from stale files" "$SCRIPT" start --dir "$A" --slots 3 --port-base $PORT
check "a new pcscd runs" test "$(cat "$A/pcscd.pid")" != "$pid"
check "the new pcscd has a new namespace" test "$(stat -L -c %i "$A/netns")" != "$old_ns"
check "the new pcscd runs in A/netns" same_netns "/proc/$(cat "$A/pcscd.pid")/ns/net" "$A/netns"
check "stop" "$SCRIPT" stop --dir "$A"
check "socket removed" test ! -e /run/pcscd/pcscd.comm
check "namespace unmounted and removed" test ! -e "$A/netns"
check "status reports stopped" fails "$SCRIPT" status --dir "$A"

# --shared-network: vpcd's listener is on the host, as without isolation.
check "start shared" "$SCRIPT" start --dir "$B" --slots 1 --port-base $PORT --shared-network
check "settings say shared" grep -q 'network=shared' "$B/settings"
check "no namespace file" test ! -e "$B/netns"
check "netns prints nothing" test -z "$("$SCRIPT" netns --dir "$B")"
check "host sees vpcd listening on 0.0.0.0" listens /proc/self/net/tcp
check "start isolated over shared refuses" \
  fails "$SCRIPT" start --dir "$B" --slots 1 --port-base $PORT --isolate-network
check "stop shared" "$SCRIPT" stop --dir "$B"
check "reversed mode refuses --isolate-network" \
  fails "$SCRIPT" start --dir "$B" --slots 2 --port-base $PORT --mode reversed --isolate-network
if command -v setpriv >/dev/null; then
  check "--isolate-network refuses without root" bash -c "setpriv --reuid=65534 --regid=65534 \
    --clear-groups '$SCRIPT' start --dir '$N' --isolate-network 2>&1 | grep -q 'not running as root'"
fi
check "reversed mode refuses without listening cards" \
  fails "$SCRIPT" start --dir "$B" --slots 2 --port-base $PORT --mode reversed
check "nothing left running" test ! -e /run/pcscd/pcscd.comm

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
