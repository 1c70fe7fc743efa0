#!/bin/sh
# zairyu-conformance stopped by SIGTERM in the middle of a run of the online
# suite (direct transport, one emulator per worker): exit status 143, its
# emulators stopped and no temporary run directory left behind.
# usage: signal_test.sh ZAIRYU_CONFORMANCE SUITE_DIR
set -eu
binary=$1 suite=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/tmp"
TMPDIR="$scratch/tmp" "$binary" run --suite "$suite" --transport direct --workers 1 \
  >/dev/null 2>"$scratch/log" &
pid=$!
tries=0
until grep -q PASSED "$scratch/log"; do
  tries=$((tries + 1))
  if [ "$tries" -gt 300 ]; then
    echo "no run finished within 30 s"; cat "$scratch/log"; kill "$pid"; exit 1
  fi
  sleep 0.1
done
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
if [ "$status" -ne 143 ]; then
  echo "exit status $status, expected 143 (the run may have ended before the signal)"
  cat "$scratch/log"; exit 1
fi
grep -q "signal 15: stopping" "$scratch/log" || { echo "no stop message"; cat "$scratch/log"; exit 1; }
left=$(ls -A "$scratch/tmp")
if [ -n "$left" ]; then echo "left in TMPDIR: $left"; exit 1; fi
if pgrep -f "$scratch/tmp" >/dev/null; then echo "an emulator outlived the harness"; exit 1; fi
echo "stopped cleanly"
