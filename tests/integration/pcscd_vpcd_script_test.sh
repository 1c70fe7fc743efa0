#!/usr/bin/env bash
# Tests tools/pcscd-vpcd against the real pcscd: start/status/readers, idempotent
# start, refusal of other settings and of a second run directory, recovery
# after SIGKILL (stale /run/pcscd files), stop, and the reversed-mode guard.
# Usage: pcscd_vpcd_script_test.sh PATH/TO/pcscd-vpcd
set -uo pipefail

SCRIPT=$1
A=$(mktemp -d /tmp/zairyu-script-test-XXXXXX)
B=$(mktemp -d /tmp/zairyu-script-test-XXXXXX)
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
cleanup() {
  "$SCRIPT" stop --dir "$A" >/dev/null 2>&1
  "$SCRIPT" stop --dir "$B" >/dev/null 2>&1
  rm -rf "$A" "$B"
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

kill -KILL "$pid"
sleep 0.3
check "SIGKILL leaves stale files" test -e /run/pcscd/pcscd.pid
check "start recovers from stale files" "$SCRIPT" start --dir "$A" --slots 3 --port-base $PORT
check "a new pcscd runs" test "$(cat "$A/pcscd.pid")" != "$pid"
check "stop" "$SCRIPT" stop --dir "$A"
check "socket removed" test ! -e /run/pcscd/pcscd.comm
check "status reports stopped" fails "$SCRIPT" status --dir "$A"
check "reversed mode refuses without listening cards" \
  fails "$SCRIPT" start --dir "$B" --slots 2 --port-base $PORT --mode reversed
check "nothing left running" test ! -e /run/pcscd/pcscd.comm

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
