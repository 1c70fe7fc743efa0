#!/bin/bash
# CTest driver of the Node interop test: installs the locked npm packages into
# a build directory (npm ci), starts zairyu-emulator on a free port, runs
# interop.mjs against it. Exits 77 (CTest SKIP_RETURN_CODE) when node or npm
# is missing (tools/setup installs Debian's nodejs and npm).
# Usage: run.sh <zairyu-emulator> <source dir> <work dir> <personas> <pki>
set -euo pipefail
emulator=$1 source_dir=$2 work=$3 personas=$4 pki=$5
here="$source_dir/tests/interop/node"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "SKIP: node and npm are needed (Debian packages nodejs, npm)"
  exit 77
fi

mkdir -p "$work"
cp "$here/package.json" "$here/package-lock.json" "$here/interop.mjs" "$work/"
(cd "$work" && npm ci --no-audit --no-fund --loglevel=error)

port_file="$work/port"
rm -f "$port_file"
"$emulator" --listen 127.0.0.1:0 --port-file "$port_file" --personas "$personas" --pki "$pki" \
  --geo-table "$source_dir/fixtures/geo/geo.txt" --state :memory: >"$work/emulator.out" 2>"$work/emulator.log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  [[ -s "$port_file" ]] && break
  kill -0 $pid 2>/dev/null || { cat "$work/emulator.log"; exit 1; }
  sleep 0.1
done
[[ -s "$port_file" ]] || { echo "emulator did not start"; exit 1; }

node "$work/interop.mjs" "$(cat "$port_file")" "$source_dir/protos"
