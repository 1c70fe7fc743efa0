#!/usr/bin/env bash
# zairyu-client without pcscd (PCSCLITE_CSOCK_NAME points nowhere): "no pcscd"
# is exit 2 with a clear message (text and --json), usage errors are exit 1,
# --help is exit 0 and documents the exit codes. No PIN is ever echoed.
#
#   cli_no_pcscd_test.sh ZAIRYU_CLIENT
set -uo pipefail
CLI=$1
export PCSCLITE_CSOCK_NAME=/nonexistent/pcscd.comm
unset ZAIRYU_AUTH_PIN ZAIRYU_SIGN_PIN ZAIRYU_INPUT_HELPER_PIN
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# expect RC PATTERN ARGS...: runs the CLI (stdin not a terminal), checks the
# exit code and that stdout+stderr match the extended regex PATTERN.
expect() {
  local want=$1 pattern=$2 rc
  shift 2
  "$CLI" "$@" </dev/null >"$work/out" 2>"$work/err"
  rc=$?
  [[ $rc == "$want" ]] || fail "zairyu-client $* exited $rc, want $want: $(cat "$work/err")"
  grep -Eq -- "$pattern" "$work/out" "$work/err" ||
    fail "zairyu-client $*: output does not match /$pattern/: $(cat "$work/out" "$work/err")"
}

expect 2 'cannot reach pcscd \(SCARD_E_NO_SERVICE\)' readers
expect 2 '"kind": "no_pcscd"' readers --json
expect 2 'cannot reach pcscd' --json card info
expect 2 'cannot reach pcscd' card pin-status
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["ok"] is False and d["error"]["exit_code"] == 2, d' \
  <("$CLI" readers --json 2>/dev/null) || fail "readers --json is not one JSON error object"

expect 0 'Exit codes:' --help
expect 0 '6  refused to spend the last PIN try' --help
expect 1 'A subcommand is required'
expect 1 'A subcommand is required' card
expect 1 'subcommand is required|not expected' card nonsense
expect 1 'read-cert|which' card read-cert nope
expect 1 'needs --input FILE or --digest HEX' card sign --key auth -o "$work/sig"
expect 1 'excludes' card sign --key auth --input /etc/hostname --digest 00 -o "$work/sig"
expect 1 '64 hex digits' card sign --key auth --digest abc -o "$work/sig"
expect 1 'key' card sign --key other --digest abc -o "$work/sig"
expect 1 'File does not exist' card sign --key auth --input "$work/missing" -o "$work/sig"
expect 1 'not expected' --pin 7391 card verify-pin auth
expect 1 'Range|3600' --wait -1 readers
# PIN sources are checked before the card: no terminal, no variable, no file.
expect 1 'no auth PIN: set ZAIRYU_AUTH_PIN' card change-pin auth
expect 1 'cannot open PIN file' --pin-file "$work/none" card change-pin auth
printf '7391\n' >"$work/pin"
expect 1 'no new auth PIN: set ZAIRYU_NEW_AUTH_PIN' --pin-file "$work/pin" card change-pin auth
: >"$work/empty"
expect 1 'empty auth PIN from PIN file' --pin-file "$work/empty" card change-pin auth
ZAIRYU_AUTH_PIN=7391 ZAIRYU_NEW_AUTH_PIN=8264 expect 2 'cannot reach pcscd' card change-pin auth
grep -q -e 7391 -e 8264 "$work/out" "$work/err" && fail "a PIN appeared in the output"

if ((failures)); then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all checks passed"
