// A throw-away PKI for the certificate tests: a CA, leaf certificates with
// chosen validity and key usage, CRLs, and RSA SHA-256 signatures. Built with
// the OpenSSL API in memory (independent of tools/pki).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "emulator/online/clock.h"
#include "emulator/online/openssl_ptr.h"

namespace zairyu::online::test {

using Der = std::vector<std::uint8_t>;

// One key pair with a certificate.
struct TestIdentity {
  EvpPkeyPtr key;
  X509Ptr cert;
  Der der;
};

// A self-signed CA valid over [not_before, not_after].
TestIdentity MakeCa(const std::string& name, Instant not_before, Instant not_after);
// A leaf issued by `ca` with serial `serial` and keyUsage `key_usage` (an
// OpenSSL config string like "critical,digitalSignature"; empty = none).
TestIdentity MakeLeaf(const TestIdentity& ca, long serial, Instant not_before, Instant not_after,
                      const std::string& key_usage);
// A CRL by `ca` listing `serial` as revoked at `revoked_at`.
Der MakeCrl(const TestIdentity& ca, long serial, Instant revoked_at, Instant this_update);
// RSA PKCS#1 v1.5 SHA-256 signature.
Der Sign(const TestIdentity& who, const std::string& data);

}  // namespace zairyu::online::test
