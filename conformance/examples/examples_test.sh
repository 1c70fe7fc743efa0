#!/bin/sh
# Both example adapters drive a few online scenarios over pcscd + vpcd: the
# ClientUnderTest service over our engine (--client grpc:) and our CLI
# through the command adapter file (--client command:). Every selected run
# must pass, and its trace must show the adapter at work.
# usage: examples_test.sh CONFORMANCE ZAIRYU_CLIENT SERVICE SUITE PERSONAS PKI WORKDIR
set -eu
conformance=$1 client=$2 service=$3 suite=$4 personas=$5 pki=$6 work=$7
here=$(cd "$(dirname "$0")" && pwd)

rm -rf "$work"
mkdir -p "$work"
service_pid=
cleanup() {
  if [ -n "$service_pid" ]; then kill "$service_pid" 2>/dev/null || true; wait "$service_pid" || true; fi
}
trap cleanup EXIT INT TERM

set -- --filter 'RAS-ACCESS-001' --filter 'RAS-PROC-001' --filter 'RAS-CERTS-001' \
  --filter 'RAS-PIN-001' --filter 'RAS-LIFE-001'

"$service" --listen 127.0.0.1:0 --port-file "$work/service.port" --personas "$personas" \
  --pki "$pki" 2>"$work/service.log" &
service_pid=$!
i=0
while [ ! -s "$work/service.port" ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$work/service.port" ] || { cat "$work/service.log"; exit 1; }
"$conformance" run --suite "$suite" --transport pcsc --workers 2 --vpcd-port-base 44100 \
  --personas "$personas" --pki "$pki" --client-grpc "127.0.0.1:$(cat "$work/service.port")" \
  --json "$work/grpc.json" "$@" || true

ZAIRYU_CLIENT=$client "$conformance" run --suite "$suite" --transport pcsc --workers 2 \
  --vpcd-port-base 44100 --personas "$personas" --pki "$pki" \
  --client "command:$here/cli-adapter/adapter.yaml" --json "$work/command.json" "$@" || true

python3 - "$work/grpc.json" "ClientUnderTest.Execute" "$work/command.json" "adapter " <<'PY'
import json, sys
for path, marker in zip(sys.argv[1::2], sys.argv[2::2]):
    report = json.load(open(path))
    results = report["results"]
    print(path, {r["id"] + ("[" + r["variant"] + "]" if r["variant"] else ""): r["result"] for r in results})
    assert len(results) >= 5, path
    bad = [(r["id"], r["variant"], r["skip_reason"], [c["message"] for s in r["steps"] for c in s["checks"] if not c["passed"]]) for r in results if r["result"] != "PASSED"]
    assert not bad, (path, bad)
    for r in results:
        methods = [e["data"]["method"] for e in r["trace"] if e["type"] == "rpc"]
        assert any(m.startswith(marker) for m in methods), (path, r["id"], methods)
print("example adapters: ok")
PY
