// Test-only: a real virtual card personalized with a freshly generated
// RSA-2048 key and self-signed certificate (OpenSSL), for slot and PC/SC tests.
#pragma once

#include <memory>
#include <string>

#include "emulator/card/bytes.h"
#include "emulator/card/card.h"
#include "emulator/card/card_profile.h"

namespace zairyu::slots::testing {

// One key (PEM) and its self-signed certificate (DER). Generated on first use
// and shared by every card of the test binary: RSA-2048 generation is slow.
struct TestIdentity {
  std::string private_key_pem;
  card::Bytes certificate_der;
};
const TestIdentity& test_identity();

inline constexpr const char* kAuthPin = "1234";
inline constexpr const char* kSignPin = "ABC123";
inline constexpr const char* kInputHelperPin = "5678";

// Every certificate and key of the profile is test_identity()'s.
card::CardProfile test_profile();
// A card with test_profile(), an in-memory state store and a fixed seed.
std::shared_ptr<card::Card> make_test_card();

}  // namespace zairyu::slots::testing
