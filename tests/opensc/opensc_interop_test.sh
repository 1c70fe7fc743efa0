#!/usr/bin/env bash
# Interop with a program nobody here wrote: OpenSC's jpki driver (opensc-tool,
# pkcs15-tool, pkcs11-tool from Debian's opensc) against the virtual My Number
# Card through real pcscd + vpcd. It must see the card, list its certificates
# and PINs, sign with the authentication key after the PIN, and three wrong PINs
# must lock it.
# Usage: opensc_interop_test.sh ROOT BUILD
set -euo pipefail
ZAIRYU_ROOT=$1
ZAIRYU_BUILD=$2
PORT_BASE=42600
PERSONA=adult-valid
RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/zairyu-opensc.XXXXXX")
# shellcheck source=card_session.sh
source "$ZAIRYU_ROOT/tests/opensc/card_session.sh"
trap 'card_session_stop; rm -rf "$RUN_DIR"' EXIT

module=/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so
pki="$ZAIRYU_BUILD/fixtures/pki"
failures=0
check() {  # check NAME COMMAND... : runs the command, reports pass/fail
  local name=$1
  shift
  if "$@"; then echo "ok   - $name"; else echo "FAIL - $name"; failures=$((failures + 1)); fi
}
contains() { grep -qF -- "$2" <<<"$1"; }
count_of() { grep -cF -- "$2" <<<"$1" || true; }

card_session_start

atr=$(opensc-tool --atr)
check "ATR is the real card's contact ATR" contains "$atr" "3b:e0:00:ff:81:31:fe:45:14"
name=$(opensc-tool --name)
check "OpenSC binds its jpki driver (got: $name)" contains "$name" "jpki"

certs=$(pkcs15-tool --list-certificates)
check "pkcs15-tool lists 4 certificates" [ "$(count_of "$certs" "X.509 Certificate")" -eq 4 ]
pins=$(pkcs15-tool --list-pins)
check "pkcs15-tool lists 2 PINs" [ "$(count_of "$pins" "PIN [")" -eq 2 ]
check "user authentication PIN listed" contains "$pins" "User Authentication PIN"
check "digital signature PIN listed" contains "$pins" "Digital Signature PIN"

pkcs15-tool --read-certificate 01 >"$RUN_DIR/auth.pem"
openssl x509 -inform DER -in "$pki/personas/$PERSONA/auth.crt.der" -out "$RUN_DIR/expected.pem"
check "auth certificate read by OpenSC equals the issued one" \
  cmp -s <(openssl x509 -in "$RUN_DIR/auth.pem" -outform DER) \
  <(openssl x509 -in "$RUN_DIR/expected.pem" -outform DER)
check "auth certificate chains to the test CA" \
  openssl verify -CAfile "$pki/ca/auth-ca.crt.pem" -no_check_time "$RUN_DIR/auth.pem"

slots=$(pkcs11-tool --module "$module" --list-token-slots)
check "pkcs11 shows the authentication token" contains "$slots" "JPKI (User Authentication PIN)"
check "pkcs11 shows the signature token" contains "$slots" "JPKI (Digital Signature PIN)"

head -c 1000 /dev/urandom >"$RUN_DIR/data"
auth_token=(--module "$module" --token-label "JPKI (User Authentication PIN)")
pkcs11-tool "${auth_token[@]}" --login --pin 1234 --sign --id 01 -m SHA256-RSA-PKCS \
  --input-file "$RUN_DIR/data" --output-file "$RUN_DIR/sig" >/dev/null 2>&1 || true
openssl x509 -in "$RUN_DIR/expected.pem" -pubkey -noout >"$RUN_DIR/pub.pem"
check "pkcs11-tool signs with the auth key; OpenSSL verifies it" \
  openssl dgst -sha256 -verify "$RUN_DIR/pub.pem" -signature "$RUN_DIR/sig" "$RUN_DIR/data"

wrong_login() { pkcs11-tool "${auth_token[@]}" --login --pin 9999 --list-objects 2>&1 || true; }
first=$(wrong_login)
check "1st wrong PIN rejected as incorrect" contains "$first" "CKR_PIN_INCORRECT"
second=$(wrong_login)
check "2nd wrong PIN rejected as incorrect" contains "$second" "CKR_PIN_INCORRECT"
third=$(wrong_login)
check "3rd wrong PIN rejected (63 C0: no tries left)" contains "$third" "CKR_PIN_INCORRECT"
# The card now answers 69 84 even to the status query (empty VERIFY), which
# OpenSC's jpki driver cannot map, so it no longer binds the token at all; the
# correct PIN sent by OpenSC's own APDU tool is refused as blocked.
locked=$(pkcs11-tool "${auth_token[@]}" --login --pin 1234 --list-objects 2>&1 || true)
check "after the lock OpenSC no longer offers the token" contains "$locked" "No slot with token"
raw=$(opensc-tool -s "00 A4 04 0C 0A D3 92 F0 00 26 01 00 00 00 01" -s "00 A4 02 0C 02 00 18" \
  -s "00 20 00 80 04 31 32 33 34" 2>&1)
check "the correct auth PIN is refused with 69 84 (blocked)" \
  [ "$(grep -c "SW1=0x69, SW2=0x84" <<<"$raw")" -eq 1 ]

echo "$failures failed"
[[ $failures -eq 0 ]]
