// Test-only PKI and card helpers: RSA-2048 keys and self-signed certificates
// generated once per test binary, profiles built from them, and APDU helpers.
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "emulator/card/bytes.h"
#include "emulator/card/card.h"
#include "emulator/card/card_profile.h"

namespace zairyu::card::testing {

// One generated key pair with a self-signed certificate.
struct TestKey {
  std::string private_key_pem;
  Bytes certificate_der;
  std::shared_ptr<EVP_PKEY> key;  // for verifying signatures
};

// Generated on first use (slow: RSA-2048 key generation), then shared.
struct TestPki {
  TestKey auth;
  TestKey sign;
  TestKey auth_ca;
  TestKey sign_ca;
};
const TestPki& test_pki();

// A personalized adult card profile: auth PIN 1234, sign password ABC123,
// input-helper PIN 5678, My Number 123456789012.
CardProfile adult_profile();
// The same without a sign certificate and key (a child under 15).
CardProfile child_profile();

// Sends hex APDU, returns the response as upper-case spaced hex ("90 00").
std::string tx(Card& card, std::string_view apdu_hex);
// The status word (last 2 bytes) of a response, as hex "6A 82".
std::string sw_of(const Bytes& response);

// Verifies an RSA PKCS#1 v1.5 signature over `digest_info` (no hashing).
bool verify_pkcs1(EVP_PKEY* key, const Bytes& digest_info, const Bytes& signature);
// SHA-256 DigestInfo of `message`.
Bytes sha256_digest_info(std::string_view message);

}  // namespace zairyu::card::testing
