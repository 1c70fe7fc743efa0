#!/usr/bin/env bash
# The installed zairyu_client package works for a vendor: install only the
# zairyu_client component of the build into a temporary prefix, configure and
# build client/examples (a standalone project using find_package) against it,
# and run the example. Without pcscd (PCSCLITE_CSOCK_NAME points nowhere) the
# example must get as far as PC/SC and exit 2 with SCARD_E_NO_SERVICE.
#
#   install_consumer_test.sh BUILD_DIR EXAMPLES_SOURCE_DIR CMAKE
set -euo pipefail
BUILD=$1 EXAMPLES=$2 CMAKE=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

die() {
  echo "FAIL: $*"
  exit 1
}

"$CMAKE" --install "$BUILD" --prefix "$prefix" --component zairyu_client >"$tmp/install.log" ||
  die "install failed: $(cat "$tmp/install.log")"

# Exactly the client's files, nothing of the rest of the project.
(cd "$prefix" && find . -type f | sed 's|^\./||' | sort) >"$tmp/files"
config=$(grep '/cmake/zairyu_client/zairyu_clientConfig.cmake$' "$tmp/files") ||
  die "no zairyu_clientConfig.cmake installed"
for want in bin/zairyu-client include/zairyu/client/jpki_card.h \
  include/zairyu/client/pcsc_transport.h include/zairyu/client/secret_string.h; do
  grep -qx "$want" "$tmp/files" || die "$want not installed"
done
for lib in client_card client_form client_online protos; do
  grep -q "/libzairyu_$lib\.a\$" "$tmp/files" || die "libzairyu_$lib.a not installed"
done
unexpected=$(grep -Ev '^(bin/zairyu-client|include/zairyu/client/[a-z_]+\.h|lib[^/]*/(libzairyu_(client_card|client_form|client_online|protos)\.a|cmake/zairyu_client/zairyu_client(Config|ConfigVersion|Targets|Targets-[a-z]+)\.cmake))$' \
  "$tmp/files" || true)
[[ -z $unexpected ]] || die "files outside the client component installed: $unexpected"

"$prefix/bin/zairyu-client" --help | grep -q 'Exit codes:' || die "installed CLI does not run"

# A vendor's build: nothing of the source tree, only the prefix.
"$CMAKE" -S "$EXAMPLES" -B "$tmp/build" -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_BUILD_TYPE=Release >"$tmp/configure.log" 2>&1 ||
  die "configure of the examples failed: $(cat "$tmp/configure.log")"
grep -q "^zairyu_client_DIR:PATH=$prefix/$(dirname "$config")\$" "$tmp/build/CMakeCache.txt" ||
  die "the examples did not find the installed package: $(grep zairyu_client_DIR "$tmp/build/CMakeCache.txt")"
"$CMAKE" --build "$tmp/build" >"$tmp/build.log" 2>&1 ||
  die "build of the examples failed: $(cat "$tmp/build.log")"

set +e
PCSCLITE_CSOCK_NAME=/nonexistent/pcscd.comm "$tmp/build/zairyu_card_info" >"$tmp/out" 2>"$tmp/err"
rc=$?
set -e
[[ $rc == 2 ]] || die "zairyu_card_info exited $rc, want 2: $(cat "$tmp/out" "$tmp/err")"
grep -q 'SCARD_E_NO_SERVICE' "$tmp/err" || die "zairyu_card_info did not reach PC/SC: $(cat "$tmp/err")"
# The online example links gRPC through the package; it checks a sample form.
"$tmp/build/zairyu_file_application" "$EXAMPLES/forms/extension.yaml" >"$tmp/out" 2>&1 ||
  die "zairyu_file_application failed: $(cat "$tmp/out")"
grep -q '在留期間更新' "$tmp/out" || die "zairyu_file_application: $(cat "$tmp/out")"
echo "installed package OK: $(wc -l <"$tmp/files") files; example built and ran (exit 2, no pcscd)"
