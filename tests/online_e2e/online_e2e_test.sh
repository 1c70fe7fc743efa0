#!/usr/bin/env bash
# End to end, as an applicant's PC does it: real pcscd + vpcd (tools/pcscd-vpcd)
# with adult-valid's virtual card served by zairyu-emulator, and the
# zairyu-client CLI registering the persona, logging in and filing an
# extension of period of stay (在留期間更新). The emulator's outbox must then
# hold the acceptance mail with the provisional number.
# Usage: online_e2e_test.sh SOURCE_DIR BUILD_DIR CONTROL_TOOL
set -euo pipefail
ZAIRYU_ROOT=$1
ZAIRYU_BUILD=$2
control=$3
PORT_BASE=42900
PERSONA=adult-valid
RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/zairyu-online-e2e-XXXXXX")
client="$ZAIRYU_BUILD/client/cli/zairyu-client"

# shellcheck source=../opensc/card_session.sh
source "$ZAIRYU_ROOT/tests/opensc/card_session.sh"
cleanup() {
  card_session_stop
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

card_session_start
server=$(sed -n 's/^zairyu-emulator: listening on //p' "$RUN_DIR/emulator.out")
[[ -n "$server" ]] || fail "no listening address in $RUN_DIR/emulator.out"

# adult-valid's stay ends 2027-06-30: an extension may be filed from 2027-03-30.
"$control" "$server" set-time 2027-04-15T09:00:00+09:00

# PINs and the password come from the environment (never argv); the session
# file lives in the run directory.
export ZAIRYU_PASSWORD="e2e password 1" ZAIRYU_AUTH_PIN=1234 ZAIRYU_SIGN_PIN=ABC123
common=(--server "$server" --session-file "$RUN_DIR/session.json" --json)

out=$("$client" "${common[@]}" register --category foreign_national \
  --email nguyen.van.an@example.com --residence-card AB12345678CD) || fail "register: $out"
user_id=$(jq -r .user_id <<<"$out")
[[ -n "$user_id" && "$user_id" != null ]] || fail "no user ID: $out"

out=$("$client" "${common[@]}" login --user-id "$user_id") || fail "login: $out"
[[ $(stat -c %a "$RUN_DIR/session.json") == 600 ]] || fail "session file is not 0600"

out=$("$client" "${common[@]}" apply "$ZAIRYU_ROOT/client/examples/forms/extension-with-pdf.yaml") ||
  fail "apply: $out"
number=$(jq -r .provisional_number <<<"$out")
[[ "$number" == P2027* ]] || fail "no provisional number: $out"
[[ $(jq -r '.procedures[0].japanese' <<<"$out") == 在留期間更新 ]] || fail "procedure: $out"
[[ $(jq -r '.attachments[0].accepted' <<<"$out") == true ]] || fail "attachment: $out"

out=$("$client" "${common[@]}" status "$number") || fail "status: $out"
[[ $(jq -r .state <<<"$out") == PROVISIONAL ]] || fail "state: $out"

"$control" "$server" outbox "$number" ACCEPTANCE_NOTICE

# 電子届出: the end of the contract with the employer, filed within 14 days.
out=$("$client" "${common[@]}" notify --kind 契約機関に関する届出 --event CONTRACT_ENDED \
  --event-date 2027-04-10 --status 技術・人文知識・国際業務 --organization テスト株式会社) ||
  fail "notify: $out"
[[ $(jq -r .late <<<"$out") == false && $(jq -r .deadline <<<"$out") == 2027-04-24 ]] ||
  fail "notify: $out"
out=$("$client" "${common[@]}" notify --list) || fail "notify --list: $out"
[[ $(jq -r '.notifications[0].event' <<<"$out") == CONTRACT_ENDED ]] || fail "notify --list: $out"
out=$("$client" "${common[@]}" password reset --user-id "$user_id" \
  --email nguyen.van.an@example.com) || fail "password reset: $out"
[[ $(jq -r .code_expires_at <<<"$out") == 2027-04-16T* ]] || fail "password reset: $out"

# Nothing printed may hold a PIN or the password.
if grep -rqs -e "e2e password 1" -e ABC123 "$RUN_DIR"/*.out "$RUN_DIR"/*.log; then
  fail "a secret appears in the emulator's output"
fi
# Exit codes and messages of the failures (the command, its expected exit
# code and a fragment of the JSON error message).
expect() {
  local want=$1 fragment=$2 code
  shift 2
  set +e
  out=$("$client" --json "$@" 2>/dev/null)
  code=$?
  set -e
  [[ $code == "$want" ]] || fail "$*: exit $code, wanted $want: $out"
  [[ $(jq -r .error.message <<<"$out") == *"$fragment"* ]] || fail "$*: message: $out"
}
expect 11 "not logged in" --server "$server" --session-file "$RUN_DIR/none.json" list
expect 11 "not 127.0.0.1:1" --server 127.0.0.1:1 --session-file "$RUN_DIR/session.json" list
printf 'applicant: {birth_date: 1994-02-30}\nprocedures: [在留期間更新, 永住許可]\n' >"$RUN_DIR/bad.yaml"
expect 7 "procedures[1]" apply --check "$RUN_DIR/bad.yaml"
ZAIRYU_PASSWORD="wrong password" expect 9 "LOGIN_FAILED (rule RAS-USER-011)" \
  --server "$server" --session-file "$RUN_DIR/other.json" login --user-id "$user_id"
expect 8 "cannot reach the online system at 127.0.0.1:1" --server 127.0.0.1:1 --deadline 2 \
  password reset --user-id "$user_id" --email nguyen.van.an@example.com
echo "online e2e: user $user_id filed $number; the outbox holds its ACCEPTANCE_NOTICE"
