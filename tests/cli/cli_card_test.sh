#!/usr/bin/env bash
# zairyu-client through the real pcscd + vpcd against the virtual test card
# (cli_card_server; PINs auth 1234, sign ABC123, input-helper 5678):
# readers, card info --json, read-cert, sign (checked with openssl), my-number,
# basic-four, change-pin, and a PIN lock reached from the CLI (wrong PIN twice
# = exit 4, last try refused = exit 6, forced = exit 5, then pin-status shows
# blocked). No PIN may appear on stdout or stderr. Needs RESOURCE_LOCK pcscd.
#
#   cli_card_test.sh ZAIRYU_CLIENT CLI_CARD_SERVER PCSCD_VPCD_SCRIPT
set -uo pipefail
CLI=$1 SERVER=$2 PCSCD=$3
readonly PORT=42520
# Fixed run directory: a pcscd left by a crashed run of this test is stopped first.
readonly RUN=${TMPDIR:-/tmp}/zairyu-pcscd-cli_card_test
work=$(mktemp -d)
server_pid=""
failures=0
unset ZAIRYU_AUTH_PIN ZAIRYU_SIGN_PIN ZAIRYU_INPUT_HELPER_PIN ZAIRYU_NEW_AUTH_PIN

cleanup() {
  if [[ -n $server_pid ]]; then
    kill "$server_pid" 2>/dev/null
    wait "$server_pid" 2>/dev/null
  fi
  "$PCSCD" stop --dir "$RUN" >/dev/null 2>&1
  rm -rf "$work" "$RUN"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

# expect RC PATTERN ARGS...: runs the CLI, checks its exit code and that
# stdout+stderr match the extended regex PATTERN (empty: no check). Output is
# kept in $work/out, $work/err and, when the command was given a PIN, in
# $work/all for the secret check (certificates in PEM could hold any digits).
expect() {
  local want=$1 pattern=$2 rc
  shift 2
  "$CLI" "$@" </dev/null >"$work/out" 2>"$work/err"
  rc=$?
  if [[ -n ${ZAIRYU_AUTH_PIN-}${ZAIRYU_SIGN_PIN-}${ZAIRYU_INPUT_HELPER_PIN-} ||
        " $* " == *" --pin-file "* ]]; then
    cat "$work/out" "$work/err" >>"$work/all"
  fi
  [[ $rc == "$want" ]] || fail "zairyu-client $* exited $rc, want $want: $(cat "$work/err")"
  if [[ -n $pattern ]] && ! grep -Eq -- "$pattern" "$work/out" "$work/err"; then
    fail "zairyu-client $*: output does not match /$pattern/: $(cat "$work/out" "$work/err")"
  fi
}

# json_check EXPRESSION: a Python expression over d = the JSON in $work/out.
json_check() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' \
    "$work/out" "$1" || fail "JSON check failed: $1 in $(cat "$work/out")"
}

# --- pcscd (waits while another test's pcscd serves the machine) and the card.
"$PCSCD" stop --dir "$RUN" >/dev/null 2>&1
deadline=$((SECONDS + 240))
until out=$("$PCSCD" start --dir "$RUN" --slots 1 --port-base "$PORT" 2>&1); do
  if [[ $out == *"another pcscd"* || $out == *"is a zombie"* ]] && ((SECONDS < deadline)); then
    sleep 2
    continue
  fi
  echo "pcscd-vpcd start failed: $out"
  exit 1
done
netns=$("$PCSCD" netns --dir "$RUN")
"$SERVER" --port "$PORT" ${netns:+--netns "$netns"} >"$work/server.log" 2>&1 &
server_pid=$!
for ((i = 0; i < 300; i++)); do
  "$CLI" readers 2>/dev/null | grep -q '^\* ' && break
  sleep 0.1
done

# --- readers
expect 0 '^\* Zairyu vpcd 0 00 00  \[card\]  ATR 3B E0 00 FF 81 31 FE 45 14' readers
expect 0 'Zairyu vpcd 0 00 01  \[no card\]' readers
expect 0 '' readers --json
json_check 'd["ok"] and d["readers"][0]["card_present"] and d["readers"][0]["atr"] == "3B E0 00 FF 81 31 FE 45 14"'
expect 0 '' readers --json
json_check 'not d["readers"][1]["card_present"] and d["readers"][1]["atr"] == ""'

# --- reader choice
expect 1 'matches several readers' --reader 'Zairyu vpcd' card pin-status
expect 2 "no card in reader 'Zairyu vpcd 0 00 01'" --reader '00 01' card pin-status
expect 2 "no reader matches 'Nope'" --reader Nope card pin-status
expect 0 'auth PIN: 3 tries left' --reader '0 00 00' card pin-status
expect 2 'no card inserted within 1000 ms' --wait 1 --reader '00 01' card pin-status

# --- card info
expect 0 '' card info --json
json_check 'd["token"] == {"kind": "my_number_card", "name": "JPKIAPICCTOKEN2"}'
json_check 'd["sign_certificate_present"] is True'
json_check 'd["auth_certificate"]["subject"] == "CN=zairyu slot test" and d["auth_certificate"]["serial"] == "01"'
json_check 'd["auth_certificate"]["not_before"] < d["auth_certificate"]["not_after"]'
json_check 'd["pins"] == {"auth": {"state": "tries_left", "tries_left": 3}, "sign": {"state": "tries_left", "tries_left": 5}, "input-helper": {"state": "tries_left", "tries_left": 3}}'
expect 0 'token: JPKIAPICCTOKEN2 \(my_number_card\)' card info
expect 0 'sign PIN: 5 tries left' card info

# --- certificates
expect 0 'written to .*auth.der as DER' card read-cert auth -o "$work/auth.der"
openssl x509 -inform DER -in "$work/auth.der" -noout -subject | grep -q 'zairyu slot test' ||
  fail "auth.der is not the test certificate"
expect 0 '-----BEGIN CERTIFICATE-----' card read-cert auth-ca
expect 0 '' card read-cert sign-ca --pem -o "$work/sign-ca.pem"
openssl x509 -in "$work/sign-ca.pem" -noout || fail "sign-ca.pem is not PEM"
expect 1 'no sign PIN: set ZAIRYU_SIGN_PIN' card read-cert sign -o "$work/sign.der"
printf 'abc123\n' >"$work/sign.pin"  # the CLI upper-cases a sign PIN, as JPKI software does
expect 0 'written to' --pin-file "$work/sign.pin" card read-cert sign -o "$work/sign.der"
cmp -s "$work/auth.der" "$work/sign.der" || fail "sign certificate differs from the test one"

# --- signatures, checked with openssl against the auth certificate
openssl x509 -inform DER -in "$work/auth.der" -pubkey -noout >"$work/pub.pem"
printf 'zairyu-client signature test\n' >"$work/message"
ZAIRYU_AUTH_PIN=1234 expect 0 '256 bytes written' card sign --key auth --input "$work/message" -o "$work/auth.sig"
openssl dgst -sha256 -verify "$work/pub.pem" -signature "$work/auth.sig" "$work/message" >/dev/null ||
  fail "auth signature does not verify with openssl"
digest=$(sha256sum "$work/message" | cut -d' ' -f1)
ZAIRYU_AUTH_PIN=1234 expect 0 '' --json card sign --key auth --digest "$digest" -o "$work/digest.sig"
json_check "d['sha256'] == '$digest' and d['signature_bytes'] == 256"
cmp -s "$work/auth.sig" "$work/digest.sig" || fail "--digest and --input signatures differ"
ZAIRYU_SIGN_PIN=ABC123 expect 0 'with the sign key' card sign --key sign --input "$work/message" -o "$work/sign.sig"
openssl dgst -sha256 -verify "$work/pub.pem" -signature "$work/sign.sig" "$work/message" >/dev/null ||
  fail "sign-key signature does not verify with openssl"

# --- input-helper AP (its output holds the digits of the test PINs: kept out of $work/all)
ZAIRYU_INPUT_HELPER_PIN=5678 "$CLI" --json card my-number </dev/null >"$work/out" 2>"$work/err" ||
  fail "my-number failed: $(cat "$work/err")"
json_check 'd["my_number"] == "123456789018"'
[[ -s $work/err ]] && fail "my-number wrote to stderr: $(cat "$work/err")"
ZAIRYU_INPUT_HELPER_PIN=5678 expect 0 '' --json card basic-four
json_check 'd["birth_date"] == "19900101" and d["sex"] == "male" and d["name"] == "試験\u3000太郎"'
ZAIRYU_INPUT_HELPER_PIN=5678 expect 0 'input-helper PIN verified' card verify-pin input-helper

# --- a PIN typed at a prompt (script gives the CLI a terminal): not echoed.
# The PIN is sent after the prompt is up: input that arrives before echo is off
# would be echoed by the terminal itself (and is then discarded by the CLI).
(sleep 2; printf '1234\n'; sleep 1) | script -qfec "$CLI card verify-pin auth" /dev/null >"$work/tty" 2>&1 ||
  fail "verify-pin at a prompt failed: $(cat "$work/tty")"
grep -q 'auth PIN (4 digits): ' "$work/tty" || fail "no PIN prompt: $(cat "$work/tty")"
grep -q 'auth PIN verified' "$work/tty" || fail "prompted PIN not verified: $(cat "$work/tty")"
cat "$work/tty" >>"$work/all"

# --- change-pin (auth 1234 -> 8264)
ZAIRYU_AUTH_PIN=1234 ZAIRYU_NEW_AUTH_PIN=12 expect 1 'PIN' card change-pin auth
ZAIRYU_AUTH_PIN=1234 ZAIRYU_NEW_AUTH_PIN=8264 expect 0 'auth PIN changed' card change-pin auth
ZAIRYU_AUTH_PIN=8264 expect 0 'auth PIN verified' card verify-pin auth

# --- PIN lock from the CLI (wrong auth PIN 7391)
ZAIRYU_AUTH_PIN=7391 expect 4 'wrong PIN: 2 tries left \(auth PIN\)' card verify-pin auth
ZAIRYU_AUTH_PIN=7391 expect 4 '' --json card verify-pin auth
json_check 'd["ok"] is False and d["error"]["kind"] == "wrong_pin" and d["error"]["tries_left"] == 1'
ZAIRYU_AUTH_PIN=7391 expect 6 '1 try left; not sent' card verify-pin auth
ZAIRYU_AUTH_PIN=7391 expect 6 '' card sign --key auth --digest "$digest" -o "$work/none.sig"
expect 0 'auth PIN: 1 try left' card pin-status  # the refusals spent nothing
ZAIRYU_AUTH_PIN=7391 expect 5 'auth PIN is blocked' --force-last-try card verify-pin auth
expect 0 'auth PIN: blocked' card pin-status
expect 0 '' --json card pin-status
json_check 'd["pins"]["auth"]["state"] == "blocked" and d["pins"]["sign"]["tries_left"] == 5'
ZAIRYU_AUTH_PIN=8264 expect 5 'auth PIN is blocked' card verify-pin auth
[[ -f $work/none.sig ]] && fail "a refused sign wrote a signature file"

# --- no PIN on stdout or stderr, ever
for pin in 1234 7391 8264 5678 ABC123 abc123; do
  grep -q -- "$pin" "$work/all" && fail "PIN $pin appeared in the CLI's output"
done

if ((failures)); then
  echo "$failures check(s) failed"
  echo "--- card server log"
  cat "$work/server.log"
  exit 1
fi
echo "all checks passed"
