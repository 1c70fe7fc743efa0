#!/bin/sh
# Opens the HTML report of a suite with one failure from disk in headless
# Chromium and checks what a person sees once the page's JS has run: the
# summary counts, the failed check and the failed scenario's APDU trace.
# Usage: html_browser_test.sh ZAIRYU_CONFORMANCE SUITE_DIR WORK_DIR
# Exit 77 (CTest SKIP_RETURN_CODE) when chromium is not installed.
set -u
bin=$1 suite=$2 work=$3
chromium=${CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  echo "chromium not installed ($chromium): skipping"
  exit 77
fi
mkdir -p "$work"
"$bin" run --suite "$suite" --transport direct --html "$work/report.html" >"$work/run.log" 2>&1
rc=$?
if [ "$rc" -ne 1 ]; then
  echo "expected exit 1 (one unexpected failure), got $rc"; cat "$work/run.log"; exit 1
fi
profile=$(mktemp -d)
timeout 120 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
  --dump-dom "file://$work/report.html" >"$work/dom.html" 2>"$work/chromium.log"
rc=$?
rm -rf "$profile"
if [ "$rc" -ne 0 ]; then
  echo "chromium failed ($rc)"; tail -20 "$work/chromium.log"; exit 1
fi
status=0
# Each needle appears only in elements the script creates, never in the
# embedded JSON, so finding it proves the page rendered.
for needle in \
  'data-rendered="true"' \
  'id="count-total">2<' \
  'id="count-passed">1<' \
  'id="count-failed">1<' \
  'class="badge FAILED">FAILED<' \
  '<span>no-verify-after-last-try </span>' \
  '<span class="rule">[CARD-PIN-002] </span>' \
  '<span>00 20 00 80 04 2A 2A 2A 2A  →  63 C' ; do
  if ! grep -qF -- "$needle" "$work/dom.html"; then
    echo "not in the rendered page: $needle"; status=1
  fi
done
[ "$status" -eq 0 ] && echo "HTML report renders: counts, failed check and trace visible"
exit "$status"
